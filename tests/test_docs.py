"""The documentation site is a true tour: every page's examples run and show what they print,
and every internal link and reference names a page that exists (issue 24)."""

from __future__ import annotations

import json
import re

import pytest
from doc_examples import (
    CONTRIBUTING,
    DOCS,
    PAGES,
    bash_commands,
    cli,
    cli_blocks,
    internal_links,
    run_doctests,
)

MARKDOWN = [p for p in PAGES if p.suffix == ".md"]


def _name(page):
    return str(page.relative_to(DOCS))


def test_the_site_has_its_four_parts_and_the_developers_guide():
    """Tutorial, how-to, explanation and reference, each with an index, and CONTRIBUTING."""
    names = {_name(p) for p in PAGES}
    for part in ("tutorial", "howto", "explanation", "reference"):
        assert f"{part}/index.md" in names, part
    assert "CONTRIBUTING.md" in (DOCS / "contributing.md").read_text(encoding="utf-8")
    assert len(PAGES) >= 20


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_page_examples_print_what_they_show(page):
    """Every >>> example on the page prints exactly the output shown."""
    result = run_doctests(page)
    assert result.failed == 0
    if ">>> " in page.read_text(encoding="utf-8"):
        assert result.attempted > 0


def test_the_docs_hold_the_examples_moved_from_the_readme():
    """The pages together run over a hundred examples (the README's tour moved here)."""
    assert sum(run_doctests(p).attempted for p in MARKDOWN) >= 120


def test_command_line_blocks_show_real_output():
    """Every `$ ldn-compound ...` text block in the docs is that command's stdout and stderr."""
    blocks = [b for p in [*PAGES, CONTRIBUTING] for b in cli_blocks(p.read_text("utf-8"))]
    assert len(blocks) >= 6
    for args, shown in blocks:
        r = cli(args)
        assert r.stdout + r.stderr == shown, args


def test_command_lines_in_bash_blocks_run():
    """Every `ldn-compound` command in a docs bash block runs and succeeds (not `serve`)."""
    commands = [c for p in PAGES for c in bash_commands(p.read_text("utf-8"))
                if c[:1] != ["serve"]]
    assert len(commands) >= 2
    for args in commands:
        r = cli(args)
        assert r.returncode == 0, (args, r.stderr)
        assert r.stdout.strip()


def test_the_curl_example_is_what_the_service_answers():
    """The how-to's curl request, sent to the app, answers 18 drops as its comment says."""
    from fastapi.testclient import TestClient

    from ldn_compound.serve import create_app

    text = (DOCS / "howto" / "serve.md").read_text(encoding="utf-8")
    path, body = re.search(r"curl -s http://127\.0\.0\.1:8000(\S+) .*?-d '(.*?)'", text,
                           flags=re.S).groups()
    answer = TestClient(create_app()).post(path, json=json.loads(body))
    assert answer.status_code == 200
    record = answer.json()
    assert (record["count"], record["unit"]) == (18, "drops")


@pytest.mark.parametrize("page", [*PAGES, CONTRIBUTING], ids=lambda p: p.name)
def test_internal_links_name_files_that_exist(page):
    """Relative links and {doc} references name a file of the repository."""
    for target, path in internal_links(page):
        assert path.exists(), f"{page.name}: {target}"


def test_the_link_check_can_fail(tmp_path):
    """A page linking to a missing page is caught (the check is not vacuous)."""
    page = tmp_path / "page.md"
    page.write_text("See [gone](nowhere.md) and {doc}`missing/page`.\n", encoding="utf-8")
    assert [path.exists() for _, path in internal_links(page)] == [False, False]


def test_the_sphinx_build_treats_broken_references_as_errors():
    """conf.py is nitpicky (CI builds with -W), so an unresolved reference fails the build."""
    conf = (DOCS / "conf.py").read_text(encoding="utf-8")
    assert re.search(r"^nitpicky = True$", conf, flags=re.M)
    assert '"myst_parser"' in conf


def test_refused_inputs_table_quotes_the_real_messages():
    """Each text row of the refused-inputs table, given as a dose, is refused with an
    InputError whose message says what the table says."""
    from ldn_compound import Dropper, InputError, Stock, measure

    stock, dropper = Stock.from_tablets("50 mg", "10 mL"), Dropper()
    text = (DOCS / "reference" / "inputs.md").read_text(encoding="utf-8")
    rows = re.findall(r'^\| .*? \| `"([^`]*)"`(?: for a mass)? \| (.*) \|$', text, flags=re.M)
    assert len(rows) >= 20
    for example, says in rows:
        dose = eval('"' + example.replace("300 spaces", '" " * 300') + '"')  # noqa: S307
        says = says[1:-1] if says.startswith("(") else re.sub(r" \([^)]*\)$", "", says)
        says = says.replace(" ...", "")
        with pytest.raises(InputError) as info:
            measure(dose, stock, dropper)
        assert says in str(info.value), example


def test_the_api_reference_names_every_public_name():
    """Every name in ldn_compound.__all__ is documented in the API reference."""
    import ldn_compound

    api = (DOCS / "reference" / "api.rst").read_text(encoding="utf-8")
    documented = set(re.findall(r"ldn_compound\.(\w+)", api))
    for members in re.findall(r":members: (.*)", api):  # an automodule's listed members
        documented |= {m.strip() for m in members.split(",")}
    assert sorted(set(ldn_compound.__all__) - documented) == []
