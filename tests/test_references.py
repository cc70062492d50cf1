"""The shipped references: every citation in the code names an entry that exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ldn_compound import InputError, presets
from ldn_compound.references import REFERENCES, Reference, reference, render

SRC = Path(__file__).resolve().parent.parent / "src" / "ldn_compound"
CITATION = re.compile(r"references: ((?:'[a-z0-9-]+'(?:, )?)+)")


def _cited_keys() -> dict[str, set[str]]:
    """key -> files of src/ that cite it as ``references: 'key'``."""
    out: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        for group in CITATION.findall(path.read_text(encoding="utf-8")):
            for key in re.findall(r"'([a-z0-9-]+)'", group):
                out.setdefault(key, set()).add(path.name)
    return out


def test_every_cited_key_exists():
    """Each ``references: 'key'`` in src/ names an entry of REFERENCES."""
    cited = _cited_keys()
    assert len(cited) >= 5  # presets, equipment, trituration, strategies cite by key
    missing = {k: f for k, f in cited.items() if k not in REFERENCES}
    assert not missing


def test_no_citation_points_outside_the_package():
    """No source file cites REFERENCES.md, which users do not have."""
    for path in SRC.rglob("*.py"):
        assert "REFERENCES.md" not in path.read_text(encoding="utf-8"), path.name
        if path.name == "references.py":  # defines the name REFERENCES
            continue
        assert not re.search(r"\(REFERENCES[):]", path.read_text(encoding="utf-8")), path.name


def test_every_preset_cites_an_entry():
    """Each preset's source text names a reference key."""
    for p in presets.PRESETS.values():
        keys = re.findall(r"references: '([a-z0-9-]+)'", p.builder.__doc__ or "")
        assert keys and all(k in REFERENCES for k in keys), p.name


def test_entries_are_well_formed():
    """Keys are unique slugs matching their dict key; each entry states at least one fact."""
    for key, ref in REFERENCES.items():
        assert isinstance(ref, Reference) and ref.key == key
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key)
        assert ref.citation and (ref.supports or ref.unconfirmed)


def test_unconfirmed_facts_are_marked():
    """REFERENCES.md's unconfirmed ISO 7886-1 formula and syringe graduations stay marked."""
    assert REFERENCES["iso-7886-1"].unconfirmed and not REFERENCES["iso-7886-1"].supports
    assert any("0.01 mL" in s for s in REFERENCES["ismp-oral-syringes"].unconfirmed)
    assert "*unconfirmed:*" in render("markdown")
    assert "unconfirmed: " in render("text")


def test_render_lists_every_entry_once():
    """Brief rendering has one line per entry, in order, in both forms."""
    for form in ("markdown", "text"):
        lines = render(form, brief=True).splitlines()
        assert len(lines) == len(REFERENCES)
        for line, key in zip(lines, REFERENCES, strict=True):
            assert key in line
    full = render("text")
    for ref in REFERENCES.values():
        for fact in ref.supports + ref.unconfirmed:
            assert fact in full


def test_reference_lookup():
    """reference(key) gives the entry."""
    assert reference("usp-795") is REFERENCES["usp-795"]


@pytest.mark.parametrize(("call", "parameter"), [
    (lambda: reference("usp-9999"), "key"),
    (lambda: reference(None), "key"),
    (lambda: render("html"), "form"),
    (lambda: render(brief="yes"), "brief"),
])
def test_bad_arguments(call, parameter):
    """Unknown keys and forms raise InputError naming the parameter."""
    with pytest.raises(InputError) as info:
        call()
    assert info.value.parameter == parameter
