"""README.md is a true front page: its examples run and print what it shows."""

import subprocess
import sys

from doc_examples import DOCS, README, cli, cli_blocks, internal_links, run_doctests


def test_readme_examples():
    """Every >>> example in README.md prints exactly the output shown."""
    result = run_doctests(README)
    assert result.attempted >= 8
    assert result.failed == 0


def test_readme_quickstart_output():
    """The quickstart's printed worked example is what `python -m ldn_compound` prints."""
    out = subprocess.run([sys.executable, "-m", "ldn_compound"], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() in README.read_text(encoding="utf-8")


def test_readme_cli_error_line():
    """The README's command-line error example is the real stderr line, with status 2."""
    r = cli(["measure", "--tablet", "50 mg", "--volume", "10 mL", "--dose", "5 units",
             "--dropper", "20"])
    assert r.returncode == 2
    assert r.stderr.strip() in README.read_text(encoding="utf-8")


def test_readme_cli_blocks():
    """Every `$ ldn-compound ...` block in README.md shows that command's real output."""
    blocks = list(cli_blocks(README.read_text(encoding="utf-8")))
    assert len(blocks) >= 2
    for args, shown in blocks:
        r = cli(args)
        assert r.stdout + r.stderr == shown, args


def test_readme_is_a_front_page():
    """Short, the Quickstart first, then one example each way, the picture, and the docs."""
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[0] == "## Quickstart" and headings[-1] == "## Where to go next"
    assert "![" in text and "docs/serve.png" in text
    linked = {path for _, path in internal_links(README)}
    for part in ("tutorial", "howto", "explanation", "reference"):
        assert any(DOCS / part in p.parents for p in linked), part


def test_readme_links_resolve():
    """Every relative link in README.md names a file of the repository."""
    links = list(internal_links(README))
    assert len(links) >= 15
    for target, path in links:
        assert path.exists(), target
