"""README.md is a true tour: its Python examples run and print what it shows."""

import doctest
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_examples():
    """Every >>> example in README.md prints exactly the output shown."""
    result = doctest.testfile(str(README), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 20
    assert result.failed == 0


def test_readme_quickstart_output():
    """The quickstart's printed worked example is what `python -m ldn_compound` prints."""
    out = subprocess.run([sys.executable, "-m", "ldn_compound"], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() in README.read_text(encoding="utf-8")


def test_readme_cli_error_line():
    """The README's command-line error example is the real stderr line."""
    r = subprocess.run([sys.executable, "-m", "ldn_compound", "measure", "--tablet", "50 mg",
                        "--volume", "10 mL", "--dose", "5 units", "--dropper", "20"],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert r.stderr.strip() in README.read_text(encoding="utf-8")


def _cli_blocks():
    """The README's text blocks that show an `ldn-compound` command and its output."""
    import re
    import shlex

    text = README.read_text(encoding="utf-8")
    for body in re.findall(r"```text\n(\$ ldn-compound .*?)```", text, flags=re.S):
        first, _, output = body.partition("\n")
        yield shlex.split(first[2:])[1:], output


def test_readme_cli_blocks():
    """Every `$ ldn-compound ...` block in README.md shows that command's real output."""
    blocks = list(_cli_blocks())
    assert len(blocks) >= 5
    for args, shown in blocks:
        r = subprocess.run([sys.executable, "-m", "ldn_compound", *args], capture_output=True,
                           text=True)
        assert r.stdout + r.stderr == shown, args
