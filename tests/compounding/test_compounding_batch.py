"""Compounding records: the checks of one batch, each a property over masters and entries."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from compounding_samples import MADE, MASTERS, entered, entries
from hypothesis import given, settings
from hypothesis import strategies as st

import ldn_compound as lc

masters = st.sampled_from(sorted(MASTERS)).map(MASTERS.get)


@st.composite
def off_amount(draw, inside):
    """A master, one measured amount of it, and a value inside or outside its tolerance."""
    master = draw(masters)
    amounts = [a for a in master.formula.amounts if not inside or a.tolerance > 0]
    a = draw(st.sampled_from(amounts))
    if inside:
        factor = 1 + draw(st.fractions(-a.tolerance, a.tolerance))
    else:
        beyond = draw(st.fractions(Fraction(1, 10**6), Fraction(1, 2)))
        sign = draw(st.sampled_from([-1, 1])) if a.tolerance < 1 - beyond else 1
        factor = 1 + sign * (a.tolerance + beyond)
    return master, a, a.exact * factor


@settings(max_examples=60, deadline=None)
@given(off_amount(inside=False))
def test_an_amount_out_of_tolerance_fails_the_batch(case):
    """An amount outside its tolerance: not ok, no label, the problem says how far off and
    what the batch's strength becomes."""
    master, a, value = case
    r = lc.compounding_record(master, entries(master, measured={a.key: entered(value, a.unit)}))
    assert not r.ok and r.label is None and r.to_dict()["ok"] is False
    problem = next(p for p in r.problems if f": {a.key} " in p)
    assert lc.rendering.format_percent(value / a.exact - 1) in problem
    assert master.formula.strength_text(r.exact_strength) in problem
    assert "Verdict:            FAILED" in str(r)


@settings(max_examples=60, deadline=None)
@given(off_amount(inside=True))
def test_an_amount_within_tolerance_passes(case):
    """Every amount within its tolerance (and the strength within 90-110 %) is ok, labelled."""
    master, a, value = case
    r = lc.compounding_record(master, entries(master, measured={a.key: entered(value, a.unit)}))
    within = abs(r.exact_strength / master.formula.exact_strength - 1) <= Fraction(1, 10)
    assert r.ok == within
    assert (r.label is not None) == (within and master.formula.kind != "trituration")


@settings(max_examples=60, deadline=None)
@given(masters, st.data())
def test_the_earliest_expiry_sets_the_bud(master, data):
    """A component expiring before the preparation's BUD sets it, and is named."""
    days = master.prep.bud_days
    key = data.draw(st.sampled_from([k for k, _, _ in master.formula.components]))
    early = MADE + dt.timedelta(days=data.draw(st.integers(0, days - 2)))
    r = lc.compounding_record(master, entries(master, expiry={key: early.isoformat()}))
    bud, by = r.bud
    assert bud == early and key in by and f"L-{key}" in by
    assert r.to_dict()["bud_date"] == early.isoformat()
    if r.label is not None:
        assert early.isoformat() in r.label


@settings(max_examples=30, deadline=None)
@given(masters)
def test_the_bud_is_the_preparations_when_components_last(master):
    """With every component lasting, the BUD is the day made + the category's days - 1."""
    r = lc.compounding_record(master, entries(master))
    assert r.bud[0] == MADE + dt.timedelta(days=master.prep.bud_days - 1)
    assert r.ok


@settings(max_examples=60, deadline=None)
@given(masters, st.data())
def test_an_expired_component_is_refused(master, data):
    """An expiry before the day made: InputError naming the component's expiry."""
    key = data.draw(st.sampled_from([k for k, _, _ in master.formula.components]))
    past = MADE - dt.timedelta(days=data.draw(st.integers(1, 3000)))
    with pytest.raises(lc.InputError) as info:
        lc.compounding_record(master, entries(master, expiry={key: past.isoformat()}))
    assert info.value.parameter == f"components.{key}.expiry"
    assert info.value.kind == lc.ErrorKind.OUT_OF_RANGE


@settings(max_examples=30, deadline=None)
@given(masters)
def test_a_failed_appearance_fails_the_batch(master):
    """Appearance 'fail': QC failed, not ok, no label."""
    r = lc.compounding_record(master, entries(master, appearance="fail"))
    assert not r.ok and r.label is None
    assert any(p.startswith("QC failed: appearance") for p in r.problems)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["tablets", "dilution", "capsules"]), st.data())
def test_a_qc_amount_out_of_range_fails_the_batch(name, data):
    """Final volume or capsule weight outside its range: 'QC failed', not ok, no label."""
    master = MASTERS[name]
    a = next(x for x in master.formula.amounts if x.key in ("final volume", "capsule weight"))
    factor = 1 + a.tolerance + data.draw(st.fractions(Fraction(1, 1000), Fraction(1, 2)))
    r = lc.compounding_record(master, entries(master, measured={
        a.key: entered(a.exact * factor, a.unit)}))
    assert not r.ok and r.label is None
    assert any(p.startswith(f"QC failed: {a.key}") for p in r.problems)
