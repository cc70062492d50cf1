"""Running the examples of README.md and docs/: one home for how a page is checked.

A page's ``>>>`` examples run as one doctest (one namespace a page, top to bottom); a
```` ```text ```` block that starts with ``$ ldn-compound ...`` shows that command's real
output (stdout then stderr); a ```` ```bash ```` block's ``ldn-compound`` lines are commands
that run; relative links and ``{doc}`` references point at files that exist.
"""

from __future__ import annotations

import doctest
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
DOCS = ROOT / "docs"
#: every page of the documentation site, Markdown (MyST) and reStructuredText
PAGES = sorted(p for p in DOCS.rglob("*") if p.suffix in {".md", ".rst"}
               and "_build" not in p.relative_to(DOCS).parts)
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def run_doctests(page: Path) -> doctest.TestResults:
    """Run every ``>>>`` example of ``page``; the results (failures are printed)."""
    return doctest.testfile(str(page), module_relative=False, optionflags=FLAGS,
                            encoding="utf-8")


def cli(args: list[str]) -> subprocess.CompletedProcess[str]:
    """``ldn-compound ARGS`` as a user runs it (this interpreter's package)."""
    return subprocess.run([sys.executable, "-m", "ldn_compound", *args], capture_output=True,
                          text=True)


def cli_blocks(text: str) -> Iterator[tuple[list[str], str]]:
    """(arguments, output shown) of each ```text block that starts ``$ ldn-compound``."""
    for body in re.findall(r"```text\n(\$ ldn-compound .*?)```", text, flags=re.S):
        first, _, output = body.partition("\n")
        yield shlex.split(first[2:])[1:], output


def bash_commands(text: str) -> Iterator[list[str]]:
    """The arguments of each ``ldn-compound`` command line in ```bash blocks (comments cut,
    continuation lines joined)."""
    for body in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        for line in body.replace("\\\n", " ").splitlines():
            if line.startswith("ldn-compound "):
                yield shlex.split(line, comments=True)[1:]


def internal_links(page: Path) -> Iterator[tuple[str, Path]]:
    """(link as written, the file it names) for relative Markdown links and ``{doc}`` roles."""
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if not re.match(r"[a-z]+:|#", target):
            yield target, (page.parent / target.split("#")[0]).resolve()
    for target in re.findall(r"\{doc\}`(?:[^`<]*<)?([^`>]+)>?`", text):
        base = (DOCS / target.lstrip("/")) if target.startswith("/") else page.parent / target
        found = [base.with_suffix(s) for s in (".md", ".rst") if base.with_suffix(s).exists()]
        yield target, (found[0] if found else base.with_suffix(".md")).resolve()
