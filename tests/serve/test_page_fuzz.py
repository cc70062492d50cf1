"""Fuzz of the page's forms: any posted values give a result or errors, never an exception.

Every field (the high-dose and suggested-stock boxes too) gets clinical text,
random unicode or nothing; the handler must answer with either a result or
messages placed beside a field of that form (or the form as a whole), each one
line, and an error never names a Python keyword of the form's own fields.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("fastapi")

from ldn_compound.serve._forms import FORMS
from ldn_compound.serve._page import answer

CLINICAL = ["4.5 mg", "50 mg", "1 mcg", "10 mL", "0.5 mL", "1 mL", "20", "1", "1/2", "10 %",
            "2 weeks", "0.5 mg", "45 mg", "on", "", "taper", "titrate", "syringe", "dropper",
            "2026-11-22", "up", "down", "nearest", "solid"]


@st.composite
def posted(draw):
    """A form and values for some of its fields."""
    form = draw(st.sampled_from(sorted(FORMS)))
    names = [f.name for f in FORMS[form].fields]
    values = {f.name: f.default for f in FORMS[form].fields}
    for name in draw(st.lists(st.sampled_from(names), max_size=5, unique=True)):
        values[name] = draw(st.sampled_from(CLINICAL) | st.text(max_size=12))
    return form, values


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(posted())
def test_any_posted_form_gives_a_result_or_errors_beside_its_fields(case):
    """A result, or one-line errors keyed by a field of the form (or "" for the form)."""
    form, values = case
    result, errors = answer(form, values)
    assert bool(result) != bool(errors)
    fields = {f.name for f in FORMS[form].fields}
    for key, message in errors.items():
        assert key in fields | {""} and "\n" not in message and message
        assert not any(f"{name}:" in message for name in fields if "_" in name)
