"""The one verdict of a measured dose (ldn_compound._verdict): ok, problem and fix on a
Measurement as on a schedule step, and nothing flagged leaving silently."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ldn_compound import Dropper, InputError, Measurement, OralSyringe, Stock, measure
from ldn_compound._tables import MAX_COUNTED_DROPS, USP_DROPS_PER_ML
from ldn_compound._verdict import (
    count_limit,
    judge_measurement,
    max_drop_dose_ml,
    too_many_drops,
)
from ldn_compound.errors import ErrorKind, UnmeasurableDoseError
from ldn_compound.fhir import medication_request
from ldn_compound.records import schema
from ldn_compound.strategies import devices, doses, droppers, rounding_modes, stocks

S = Stock.from_tablets("50 mg", "10 mL")  # 5 mg/mL
FEW = settings(max_examples=60, deadline=None)


def _measured(dose, stock, device, mode="nearest", **kw):
    try:
        return measure(dose, stock, device, rounding=mode, **kw)
    except UnmeasurableDoseError:
        assume(False)
        raise AssertionError from None  # pragma: no cover


# -- the reproductions -----------------------------------------------------------
def test_a_big_syringe_for_a_small_dose_is_flagged():
    """Issue 20: 1.5 mg of 5 mg/mL in a 10 mL syringe (0.2 mL graduations) is 2 graduations
    = 0.4 mL = 2 mg (+33.3 %), below 20 % of the syringe: flagged with a fix."""
    m = measure("1.5 mg", S, OralSyringe("10 mL"))
    # Hand check: 1.5 / 5 = 0.3 mL = 1.5 graduations, rounds half away to 2 = 0.4 mL.
    assert (m.count, m.exact_delivered) == (2, 2)
    assert not m.ok and "+33.3 %" in m.problem and "below 20 %" in m.problem
    assert m.fix.startswith("Would work: ") and m.verdict.startswith("FLAGGED: ")
    assert m.report().rows[-1] == ("Verdict", m.verdict)


def test_the_whole_bottle_in_drops_is_flagged():
    """Issue 20: 4.5 mg from one 4.5 mg tablet in 10 mL is 200 drops, the whole bottle:
    more drops than one dose is counted in (20, one mL of USP drops)."""
    m = measure("4.5 mg", Stock.from_tablets("4.5 mg", "10 mL"), Dropper())
    assert m.count == 200 and m.exact_rounding_error == 0
    assert not m.ok and "200 drops" in m.problem
    # the fix aims at 10 drops (9 mg/mL) or one syringe draw of the same 10 mL
    assert "9 mg/mL" in m.fix and "10 mL oral syringe" in m.fix


def test_the_drop_ladder_top_is_ok():
    """REFERENCES.md drop ladder: 18 drops = 4.5 mg of 5 mg/mL is exact and counted: ok."""
    m = measure("4.5 mg", S, Dropper())
    assert m.count == 18 and m.ok and m.problem is None and m.fix is None
    assert m.verdict == "ok" and "Verdict" not in str(m)  # an ok dose's text is unchanged


# -- the rule, as a property -------------------------------------------------------------
@FEW
@given(doses(min_value="0.01", max_value="20"), stocks(), devices(), rounding_modes(),
       st.sampled_from(("0.01", "0.05", "0.1")))
def test_ok_is_exactly_the_three_limits(dose, stock, device, mode, limit):
    """ok <=> |rounding error| within max_rounding_error, no accuracy problem, and no more
    than 20 drops counted; problem and fix are both set or both None."""
    m = _measured(dose, stock, device, mode, max_rounding_error=limit)
    counted = device.unit != "drop" or m.count <= MAX_COUNTED_DROPS
    want = (abs(m.exact_rounding_error) <= Fraction(limit) and m.accuracy_problem is None
            and counted)
    assert m.ok == want
    assert (m.problem is None) == (m.fix is None) == m.ok


@FEW
@given(doses(min_value="0.01", max_value="20"), stocks(), devices(), rounding_modes())
def test_record_carries_the_verdict_and_reads_back(dose, stock, device, mode):
    """to_dict has ok, problem, fix and max_rounding_error; from_dict gives the same."""
    m = _measured(dose, stock, device, mode, max_rounding_error="0.1")
    d = m.to_dict()
    assert (d["ok"], d["problem"], d["fix"]) == (m.ok, m.problem, m.fix)
    assert d["max_rounding_error"] == "0.1"
    assert Measurement.from_dict(json.loads(json.dumps(d))) == m
    for key in ("ok", "problem", "fix", "max_rounding_error"):
        assert key in schema("measurement")["properties"]


def test_a_tampered_verdict_is_refused():
    """A record that says ok for a flagged dose is refused, naming the field."""
    d = measure("1.5 mg", S, OralSyringe("10 mL")).to_dict()
    d["ok"] = True
    with pytest.raises(InputError) as info:
        Measurement.from_dict(d)
    assert info.value.kind is ErrorKind.RECORD_MISMATCH and info.value.parameter == "ok"


@FEW
@given(droppers(), st.integers(1, 60))
def test_drop_count_cap_and_planner_volume_agree(dropper, count):
    """too_many_drops(n) <=> n drops take more than max_drop_dose_ml: one rule, two faces."""
    volume = count * dropper.unit_volume_ml
    assert too_many_drops(count, dropper) == (volume > max_drop_dose_ml(dropper))
    assert count_limit(dropper) == MAX_COUNTED_DROPS


def test_drop_cap_is_one_ml_of_usp_drops_and_honours_max_drops():
    """20 drops at USP 20 drops/mL (USP <1101>) is 1 mL; a dropper's own max_drops is lower."""
    assert MAX_COUNTED_DROPS == USP_DROPS_PER_ML  # one mL of USP drops
    assert max_drop_dose_ml(Dropper()) == 1
    assert max_drop_dose_ml(Dropper(max_drops=10)) == Fraction(1, 2)
    assert count_limit(OralSyringe("1 mL")) is None
    assert not too_many_drops(500, OralSyringe("10 mL"))


@FEW
@given(doses(min_value="0.05", max_value="4.5"), stocks(), devices(), rounding_modes(),
       st.fractions(Fraction(1, 2), Fraction(3, 2), max_denominator=20))
def test_a_dose_below_its_floor_is_flagged(dose, stock, device, mode, ratio):
    """judge_measurement(floor=...) flags exactly a delivered dose below the floor."""
    m = _measured(dose, stock, device, mode)
    floor = m.exact_target * ratio
    problem, fix = judge_measurement(m, Fraction(1), floor)
    below = m.exact_delivered < floor
    assert ("below the floor" in (problem or "")) == below
    if below:
        assert "rounding 'up'" in fix


# -- nothing flagged leaves silently ---------------------------------------------------------
@FEW
@given(doses(min_value="0.01", max_value="4.5"), stocks(), devices())
def test_fhir_refuses_a_flagged_measurement(dose, stock, device):
    """Measurement.to_fhir and medication_request refuse a flagged dose unless
    allow_flagged, which marks it; an ok dose exports unmarked."""
    m = _measured(dose, stock, device)
    if m.ok:
        assert "additionalInstruction" not in m.to_fhir()
        assert medication_request(m)["dosageInstruction"][0] == m.to_fhir()
        return
    for call in (m.to_fhir, lambda: medication_request(m)):
        with pytest.raises(InputError) as info:
            call()
        assert info.value.kind is ErrorKind.UNMEASURABLE
        assert info.value.override == "allow_flagged"
    marked = m.to_fhir(allow_flagged=True)
    assert marked["additionalInstruction"] == [{"text": m.verdict}]
    req = medication_request(m, allow_flagged=True)
    assert req["dosageInstruction"][0]["additionalInstruction"] == [{"text": m.verdict}]


# -- bad input ---------------------------------------------------------------------------
FLAGGED = measure("1.5 mg", S, OralSyringe("10 mL"))
BAD = [
    (lambda: measure("1 mg", S, Dropper(), max_rounding_error=2), "max_rounding_error"),
    (lambda: measure("1 mg", S, Dropper(), max_rounding_error="-0.1"), "max_rounding_error"),
    (lambda: measure("1 mg", S, Dropper(), max_rounding_error="lots"), "max_rounding_error"),
    (lambda: FLAGGED.to_fhir(), "measurement"),
    (lambda: FLAGGED.to_fhir(allow_flagged="yes"), "allow_flagged"),
    (lambda: medication_request(FLAGGED), "measurement"),
    (lambda: medication_request(FLAGGED, allow_flagged=1), "allow_flagged"),
]


@pytest.mark.parametrize(("call", "parameter"), BAD)
def test_bad_input(call, parameter):
    """Each bad input is the library's InputError naming the parameter."""
    with pytest.raises(InputError) as info:
        call()
    assert info.value.parameter == parameter
