"""The fresh-machine contract (issue 19): the README's two commands are what CI runs, the
``test`` extra installs everything the suite imports, and the package ships every file."""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import importlib.util
import re
import sys
from pathlib import Path

import pytest
from system_packages import in_ci, require_system_program

import ldn_compound

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
SOURCE_PACKAGE = ROOT / "src" / "ldn_compound"


def _tool(name: str):
    """A module of tools/ (not a package), loaded from its file."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


readme_commands = _tool("readme_commands")


def test_quickstart_is_two_commands_the_example_then_the_tests() -> None:
    """The README's Quickstart block: one command runs the worked example, one the tests."""
    example, tests = readme_commands.quickstart_commands(
        (ROOT / "README.md").read_text(encoding="utf-8"))
    assert "python -m ldn_compound" in example and "pytest" not in example
    assert '".[test]"' in tests and tests.rstrip().split("#")[0].strip().endswith(
        "python -m pytest")


@pytest.mark.parametrize("text", [
    "# x\n\n## Install\n```bash\na\nb\n```\n## End\n",                 # no Quickstart
    "## Quickstart\nno block\n## End\n",                                # no bash block
    "## Quickstart\n```bash\none\n```\n## End\n",                       # one command
    "## Quickstart\n```bash\na\nb\nc\n```\n## End\n",                   # three commands
    "## Quickstart\n```bash\n# only a comment\n\n```\n## End\n",        # none
])
def test_quickstart_reading_refuses_a_readme_without_two_commands(text: str) -> None:
    """Anything but exactly two commands in the Quickstart's bash block is refused, not
    guessed, so CI cannot silently run fewer (or other) commands than the README shows."""
    with pytest.raises(ValueError):
        readme_commands.quickstart_commands(text)


def test_quickstart_reading_keeps_each_line_word_for_word() -> None:
    """Comments and blank lines are dropped; each command line is kept as written."""
    text = "## Quickstart\n```bash\n# a note\n  cmd one && two   # c\n\ncmd   three\n```\n## N\n"
    assert readme_commands.quickstart_commands(text) == ["cmd one && two   # c",
                                                         "cmd   three"]


def test_ci_runs_the_readme_commands_before_installing_anything_else() -> None:
    """.ci/run reads the commands from README.md and runs them in a fresh venv before any
    other pip install; it hard-codes neither command."""
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line.split("#")[0] for line in script.splitlines()]
    reading = next(i for i, line in enumerate(lines) if "tools/readme_commands.py" in line)
    running = next(i for i, line in enumerate(lines) if 'bash -euo pipefail -c "$cmd"' in line)
    venv = next(i for i, line in enumerate(lines) if "-m venv .venv-ci" in line)
    installs = [i for i, line in enumerate(lines) if "pip install" in line]
    assert reading < venv < running < min(installs)
    for command in readme_commands.quickstart_commands(
            (ROOT / "README.md").read_text(encoding="utf-8")):
        assert command.split("#")[0].strip() not in script


def _imported_top_levels() -> set[str]:
    """Top-level modules the test suite imports (statements and importorskip strings)."""
    names: set[str] = set()
    for path in TESTS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
            elif (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "importorskip"
                  and node.args and isinstance(node.args[0], ast.Constant)):
                names.add(str(node.args[0].value).split(".")[0])
    local = ({p.stem for p in TESTS.rglob("*.py")} | {p.name for p in TESTS.rglob("*") if p.is_dir()}
             | {p.stem for p in (ROOT / "tools").glob("*.py")})  # the repository's own tools
    return {n for n in names if n not in sys.stdlib_module_names and n not in local
            and n != "ldn_compound"}


def _requirement_names(extra: str | None) -> set[str]:
    """Normalised distribution names ldn-compound requires (with ``extra``, or at runtime)."""
    names = set()
    for req in metadata.requires("ldn-compound") or []:
        marker = req.split(";", 1)[1] if ";" in req else ""
        wanted = (not marker) if extra is None else bool(
            re.search(rf"""extra\s*==\s*["']{extra}["']""", marker))
        if wanted:
            names.add(_normalise(re.split(r"[\s<>=!~\[;(]", req, maxsplit=1)[0]))
    return names


def _normalise(name: str) -> str:
    """A distribution name as PEP 503 compares them (fhir.resources == fhir-resources)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_test_extra_installs_everything_the_suite_imports() -> None:
    """Every third-party module a test imports comes from a runtime requirement or the
    ``test`` extra, so `pip install ".[test]" && pytest` runs every test."""
    provided = _requirement_names(None) | _requirement_names("test")
    distributions = metadata.packages_distributions()
    missing = {}
    for module in sorted(_imported_top_levels()):
        owners = {_normalise(d) for d in distributions.get(module, [])}
        if not owners & provided:
            missing[module] = sorted(owners) or "not installed"
    # dependencies of a listed requirement count too (pytest brings _pytest, fhir.resources
    # brings pydantic): accept a module whose distribution some listed requirement requires
    for module, owners in list(missing.items()):
        if isinstance(owners, list) and any(_required_by(o, provided) for o in owners):
            del missing[module]
    assert missing == {}


def _required_by(distribution: str, roots: set[str]) -> bool:
    """True when ``distribution`` is among the requirements of one of ``roots``."""
    for root in roots:
        try:
            reqs = metadata.requires(root) or []
        except metadata.PackageNotFoundError:
            continue
        for req in reqs:
            if ";" in req and "extra ==" in req.split(";", 1)[1]:
                continue
            if _normalise(re.split(r"[\s<>=!~\[;(]", req, maxsplit=1)[0]) == distribution:
                return True
    return False


def test_the_installed_package_holds_every_file_of_the_source_tree() -> None:
    """Every file of src/ldn_compound (schemas, page assets, py.typed, references) is in the
    package that is imported: in the wheel run of .ci/run that is the installed wheel."""
    installed = Path(ldn_compound.__file__).resolve().parent
    wanted = {p.relative_to(SOURCE_PACKAGE) for p in SOURCE_PACKAGE.rglob("*")
              if p.is_file() and "__pycache__" not in p.parts}
    assert {Path("py.typed"), Path("schemas/measurement.json")} <= wanted
    absent = sorted(str(p) for p in wanted if not (installed / p).is_file())
    assert absent == []


def test_license_is_the_mit_text_pyproject_declares() -> None:
    """LICENSE is the MIT licence, and pyproject names it (so the sdist and wheel ship it)."""
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'license = "MIT"' in pyproject and 'license-files = ["LICENSE"]' in pyproject
    assert (metadata.metadata("ldn-compound").get("License-Expression") or "MIT") == "MIT"


@pytest.mark.parametrize(("value", "expected"), [
    ("", False), ("0", False), ("false", False), ("False", False), ("no", False),
    ("true", True), ("1", True), ("yes", True), ("TRUE", True),
])
def test_ci_is_read_from_the_environment(value: str, expected: bool,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """CI=true (or any value but empty, 0, false, no) makes system programs required."""
    monkeypatch.setenv("CI", value)
    assert in_ci() is expected


def test_a_missing_system_program_skips_naming_the_install_command_and_fails_in_ci(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Without CI the missing program skips, naming the install command; with CI it fails."""
    program, install = "ldn-no-such-program", "apt-get install ldn-no-such-program"
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match=re.escape(install)):
        require_system_program(program, install)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=re.escape(install)):
        require_system_program(program, install)
    assert require_system_program("sh", "apt-get install dash").endswith("sh")


def test_no_two_test_files_share_a_basename() -> None:
    """pytest's default import mode needs unique test module names across folders without
    __init__.py: two ``test_verdict.py`` stop collection, so the suite runs no test."""
    from collections import Counter

    names = Counter(p.name for p in TESTS.rglob("test_*.py")
                    if not (p.parent / "__init__.py").exists())
    assert [n for n, k in names.items() if k > 1] == []
