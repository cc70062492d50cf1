"""Typed inputs: mypy, run over a caller's code, accepts right calls and flags wrong ones."""

from __future__ import annotations

import re
from pathlib import Path

from mypy import api

CALLS = Path(__file__).parent / "typing_calls"
ROOT = Path(__file__).resolve().parent.parent


def _mypy(cache: Path, *files: Path) -> list[tuple[str, int]]:
    """(file name, line) of every mypy error in ``files``, with the project's mypy settings."""
    out, err, _ = api.run(["--config-file", str(ROOT / "pyproject.toml"), "--strict",
                           "--no-error-summary", "--cache-dir", str(cache),
                           *map(str, files)])
    assert not err.strip(), err
    found = re.findall(r"^(.*?\.py):(\d+): error:", out, flags=re.M)
    return [(Path(name).name, int(line)) for name, line in found]


def test_right_and_wrong_calls(tmp_path: Path) -> None:
    """Every right call type-checks; every line marked ``# wrong`` is flagged, and no other."""
    right, wrong = CALLS / "right_calls.py", CALLS / "wrong_calls.py"
    errors = _mypy(tmp_path, right, wrong)
    assert [e for e in errors if e[0] == right.name] == []
    marked = {n for n, line in enumerate(wrong.read_text().splitlines(), 1)
              if line.endswith("# wrong")}
    assert len(marked) >= 10
    assert {line for name, line in errors if name == wrong.name} == marked
