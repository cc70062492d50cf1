"""The verdict on every step of a multi-stock plan, tapers and titrations alike (issue 20).

Each flag is recomputed here independently, on Fractions, from what the plan shows: the
dose against the requested one (USP <795>'s 90-110 % potency window, half of it: 5 %),
against the floor, the drop count, and the change against the asked change.
"""

from __future__ import annotations

import itertools
import json
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from record_schemas import validate

from ldn_compound import Dropper, ErrorKind, InputError, OralSyringe, Stock, records
from ldn_compound.multistock import Occupancy, TaperPlan, plan_taper, plan_titration

STOCK = Stock.from_tablets("50 mg", "10 mL")
DEVICES = (Dropper(20), OralSyringe("1 mL", "0.01 mL"))
#: Half the 90-110 % potency window of compounded preparations (USP <795>).
ROUNDING = Fraction(1, 20)
#: The drop count the plan calls more than anyone should count (the one rule, MAX_COUNTED_DROPS).
MOST_DROPS = 20  # USP <1101>: 20 drops are 1 mL


def _reasons(plan: TaperPlan, step, floor: Fraction) -> list[str]:
    """Why ``step`` should be flagged, recomputed from the step alone."""
    out = []
    d, r = step.exact_delivered, step.exact_requested
    if d < floor * (1 - ROUNDING):
        out.append("floor")
    elif abs(d - r) > ROUNDING * r:
        out.append("dose")
    m = step.measurement
    if m.device.unit == "drop" and m.count > MOST_DROPS:
        out.append("drops")
    if step.judged and step.change is not None:
        asked, given_ = step.change, step.delivered_change
        if abs(given_ - asked) > plan.max_cut_error * abs(asked):
            out.append("change")
    return out


def check_verdicts(plan: TaperPlan, high: Fraction, floor: Fraction) -> None:
    """The done-when: every flag justified and every justified flag raised; every unflagged
    change within ``max_cut_error``; the start honoured; the floor reached, never passed.

    ``high`` is a taper's start or a titration's target; ``floor`` a taper's floor or a
    titration's start dose."""
    rise = plan.kind == "titration"
    measured = [s for s in plan.steps if s.measurement is not None]
    doses = [s.exact_delivered for s in measured]
    assert all((b > a) if rise else (b < a) for a, b in itertools.pairwise(doses))
    for s in measured:
        why = _reasons(plan, s, floor)
        assert bool(why) == (s.problem is not None), (s.number, why, s.problem)
        if "change" in why:
            assert ("a rise of" if rise else "a cut of") in s.problem
            assert ("a cut of" if rise else "a rise of") not in s.problem
        if "floor" in why:
            assert f"below the {'start dose' if rise else 'floor'} of" in s.problem
        if "dose" in why:
            assert "from the requested" in s.problem and "beyond +/-5 %" in s.problem
        if "drops" in why:
            assert f"{s.measurement.count:,} drops: more than the 40" in s.problem
        if s.problem is None and s.judged and s.change is not None:
            assert abs(s.delivered_change - s.change) <= plan.max_cut_error * abs(s.change)
    top, bottom = (measured[-1], measured[0]) if rise else (measured[0], measured[-1])
    assert top.exact_requested == high and bottom.exact_requested == floor
    assert abs(top.exact_delivered - high) <= ROUNDING * high  # measured first, never off
    if not rise:
        assert top.problem is None  # a taper's start: no change onto it
    assert abs(bottom.exact_delivered - floor) <= ROUNDING * floor or bottom.problem is not None
    assert all(d >= floor * (1 - ROUNDING) for d in doses) or plan.flagged


def _refused_well(exc: InputError) -> None:
    """A refusal names the devices, says once why, and gives a fix in numbers."""
    assert exc.parameter == "devices" and exc.kind is ErrorKind.INVALID
    assert "Would work: " in exc.expected and any(c.isdigit() for c in exc.expected)


cases = st.fixed_dictionaries({
    "kind": st.sampled_from(["taper", "titration"]),
    "high": st.sampled_from([Fraction(9, 2), Fraction(3), Fraction(3, 2)]),
    "ratio": st.fractions(Fraction(1, 100), Fraction(1, 2)),
    "change": st.fractions(Fraction(1, 20), Fraction(1, 2)),
    "occupancy": st.booleans(),
    "tol": st.sampled_from([Fraction(1, 10), Fraction(1, 5), Fraction(1, 2)]),
    "devices": st.sampled_from([DEVICES, (OralSyringe("1 mL"),), (Dropper(20),),
                                (OralSyringe("3 mL"), OralSyringe("1 mL"))]),
})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases)
def test_every_flag_is_justified_and_every_plan_keeps_its_ends(c):
    """Random tapers and titrations (a share of the dose or occupancy steps): each flag has
    a reason recomputed here, each unflagged change is within max_cut_error, the start is
    honoured and the floor reached; or the devices are refused once, with a fix."""
    high = c["high"]
    low = high * c["ratio"]
    method = ({"occupancy": Occupancy("90 %", "2 mg"), "occupancy_step": c["change"] / 4}
              if c["occupancy"] else
              {"rise" if c["kind"] == "titration" else "reduction": c["change"]})
    text = {"every": "7 days", "stock": STOCK, "devices": c["devices"],
            "max_cut_error": c["tol"], **method}
    try:
        if c["kind"] == "taper":
            plan = plan_taper(f"{high} mg", f"{low} mg", **text)
        else:
            plan = plan_titration(f"{low} mg", f"{high} mg", **text)
    except InputError as exc:
        _refused_well(exc)
        return
    check_verdicts(plan, high, low)
    first = plan.steps[0].exact_requested
    assert first == (high if c["kind"] == "taper" else low)  # each starts at its start


def test_titration_flags_sit_on_the_rise_they_judge():
    """The issue's reproduction: +20 % asked, +25 % given is flagged, +20 % given is not;
    the text says rise, not cut."""
    plan = plan_titration("2 mg", "4.5 mg", "14 days", STOCK, [Dropper(20)], rise="20 %")
    check_verdicts(plan, Fraction(9, 2), Fraction(2))
    by_change = {(s.change, s.delivered_change): s for s in plan.steps if s.change}
    flagged = by_change[(Fraction(1, 5), Fraction(1, 4))].problem
    assert flagged.startswith("a rise of 25 % where 20 % was asked, beyond +/-2 % "
                              "(max_cut_error 10 % of it); no liquid")
    assert by_change[(Fraction(1, 5), Fraction(1, 5))].problem is None


@pytest.mark.parametrize(("reduction", "floor"), [(Fraction(1, 2), Fraction(1, 2)),
                                                  (Fraction(1, 20), Fraction(1, 10))])
def test_a_taper_ends_at_its_floor(reduction, floor):
    """The issue's reproductions: a 50 % taper to 0.5 mg no longer ends at 1 drop = 0.25 mg,
    nor a 5 % taper to 0.1 mg at 93.75 mcg unflagged."""
    plan = plan_taper("4.5 mg", f"{floor} mg", "14 days", STOCK, DEVICES, reduction=reduction)
    check_verdicts(plan, Fraction(9, 2), floor)
    assert abs(plan.steps[-1].exact_delivered - floor) <= ROUNDING * floor


@pytest.mark.parametrize("build", [
    lambda: plan_taper("4.5 mg", "0.05 mg", "14 days", STOCK, [Dropper(20)], reduction=0.1),
    lambda: plan_titration("0.3 mg", "3 mg", "7 days", STOCK, [Dropper(20)], rise=0.05),
])
def test_devices_that_cannot_follow_the_curve_are_refused_once_with_a_fix(build):
    """A droppers-only plan that would be mostly flags is refused, once, naming the devices
    and a fix in numbers; the fix it names works."""
    with pytest.raises(InputError) as info:
        build()
    _refused_well(info.value)
    assert "add a 1 mL oral syringe (0.01 mL graduations)" in info.value.expected
    units = info.value.expected.split("doses of about ")[1].split(" units")[0]
    assert int(units.replace(",", "")) > 20  # more than a millilitre of drops holds


def test_the_fix_a_refusal_names_makes_the_plan():
    """Adding the 1 mL oral syringe a refusal names gives a plan with no drift off the
    curve, its flags justified."""
    plan = plan_taper("4.5 mg", "0.05 mg", "14 days", STOCK,
                      [Dropper(20), OralSyringe("1 mL", "0.01 mL")], reduction=0.1)
    check_verdicts(plan, Fraction(9, 2), Fraction(1, 20))
    assert not plan.flagged


def test_worst_case_overlap_is_stated():
    """The headline taper says how many consecutive worst-case ranges overlap, recomputed
    here from each step's low and high (the issue: step 19 0.54-0.83 mg, step 20
    0.49-0.74 mg)."""
    plan = plan_taper("4.5 mg", "0.05 mg", "14 days", STOCK, DEVICES, reduction=0.1)
    data = plan.to_dict()
    bands = [(Fraction(s["low"].split()[0]), Fraction(s["high"].split()[0]))
             for s in data["steps"]]
    overlap = [i + 2 for i, ((lo1, hi1), (lo2, hi2)) in enumerate(itertools.pairwise(bands))
               if max(lo1, lo2) <= min(hi1, hi2)]
    assert data["worst_case_overlaps"] == overlap == list(plan.overlaps)
    distinct = len(bands) - 1 - len(overlap)
    assert f"{distinct} distinguishable in the worst case" in str(plan)
    assert f"{distinct} distinguishable" in data["worst_case"]


PLANS = [
    lambda: plan_taper("4.5 mg", "0.5 mg", "14 days", STOCK, DEVICES, reduction=0.1,
                       to_zero=True, start_date="2026-01-05"),
    lambda: plan_titration("1 mg", "4.5 mg", "7 days", STOCK, DEVICES, rise="20 %",
                           bud="30 days", max_volume="1 mL"),
    lambda: plan_taper("3 mg", "0.5 mg", "28 days", STOCK, DEVICES,
                       occupancy=Occupancy("90 %", "2 mg"), occupancy_step="5 %"),
]


@pytest.mark.parametrize("build", PLANS)
def test_a_plan_is_a_versioned_record(build):
    """TaperPlan round-trips through JSON, records.load reads it, its schema validates it,
    and a tampered step is refused naming the field."""
    plan = build()
    data = json.loads(plan.to_json())
    assert data["schema"] == "ldn_compound/taper_plan@1" and validate(data) >= 1
    assert TaperPlan.from_json(plan.to_json()) == plan
    assert records.load(json.loads(plan.to_json())) == plan
    data["steps"][1]["delivered"] = "1 mg"
    with pytest.raises(InputError) as info:
        TaperPlan.from_dict(data)
    assert info.value.kind is ErrorKind.RECORD_MISMATCH
    assert info.value.parameter == "steps[1].delivered"


BAD_RECORDS = [
    (lambda d: d.pop("inputs"), "data"),
    (lambda d: d.update(inputs=["4.5 mg"]), "inputs"),
    (lambda d: d["inputs"].update(start="45 mg"), "start"),
    (lambda d: d["inputs"].update(reduction="2"), "reduction"),
    (lambda d: d["inputs"].update(devices=[]), "devices"),
    (lambda d: d["inputs"].update(every_days=0), "every"),
    (lambda d: d.update(schema="ldn_compound/taper_plan@9"), "schema"),
]


@pytest.mark.parametrize(("spoil", "parameter"), BAD_RECORDS)
def test_a_bad_plan_record_is_refused(spoil, parameter):
    """A record with missing or impossible inputs is refused with the library's error."""
    data = json.loads(PLANS[0]().to_json())
    spoil(data)
    with pytest.raises(InputError) as info:
        TaperPlan.from_dict(data)
    assert info.value.parameter == parameter


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.fractions(Fraction(-9, 10), Fraction(-1, 50), max_denominator=1000),
                 st.fractions(Fraction(1, 50), Fraction(3), max_denominator=1000)),
       st.fractions(Fraction(1, 20), Fraction(1), max_denominator=100), st.integers(0, 50))
def test_units_to_follow_is_enough(change, tolerance, extra):
    """From the larger dose of at least units_to_follow units, some whole count of the
    other dose lands within ``tolerance`` of the ``change`` (searched here exhaustively)."""
    from ldn_compound.multistock._verdict import units_to_follow

    n = units_to_follow(change, tolerance) + extra
    if change < 0:  # a cut from n units
        counts = [(n, k) for k in range(n)]
    else:  # a rise onto n units from k
        counts = [(k, n) for k in range(1, n)]
    assert any(abs(Fraction(b, a) - 1 - change) <= tolerance * abs(change) for a, b in counts)
    assert n >= 10


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 80), st.fractions(Fraction(1, 2), Fraction(3, 2)),
       st.fractions(Fraction(1, 10), Fraction(3, 2)), st.booleans())
def test_one_dose_is_judged_on_the_curve_the_floor_and_the_drop_count(count, off, floor, rise):
    """dose_problem on one measured dose: ``count`` drops of 0.25 mg against a requested
    dose ``off`` times away and a floor, each reason recomputed here."""
    from ldn_compound import measure
    from ldn_compound._exact import format_percent
    from ldn_compound.multistock._verdict import Ask, dose_problem

    m = measure(f"{Fraction(count, 4)} mg", STOCK, Dropper(20), allow_high_dose=True)
    d = m.exact_delivered
    requested, floor_mg = d / off, d * floor
    problem = dose_problem(m, requested, Ask(floor_mg, rise, Fraction(1, 10)))
    below = d < floor_mg * (1 - ROUNDING)
    off_curve = abs(d - requested) > ROUNDING * requested
    many = count > MOST_DROPS
    assert (problem is None) == (not below and not off_curve and not many)
    if below:
        assert f"below the {'start dose' if rise else 'floor'}" in problem
    elif off_curve:
        assert f"is {format_percent(d / requested - 1)} from the requested" in problem
        assert "beyond +/-5 %" in problem
    assert (f"{count} drops: more than the {MOST_DROPS}" in (problem or "")) == many
    if many:
        assert problem.endswith("count; measure it with an oral syringe")
        assert (f"; {count} drops" in problem) == (below or off_curve)  # reasons joined


def test_the_resolution_rules_on_worked_examples():
    """Worked from the formulas in _verdict's docstrings: a 10 % cut within 10 % of it needs
    1 / (2 x 0.1 x 0.1) = 50 units; a 20 % rise within 10 %, 1.2**2 / (2 x 0.1 x 0.2) = 36;
    20 drops follow a 10 % cut within 1 / (2 x 0.1 x 20) = 25 % of it; a change from 2 to
    1 is a 50 % cut down and a 100 % rise up; a change exactly at the tolerance passes."""
    from ldn_compound.multistock._verdict import (
        change_beyond,
        pct,
        plan_change,
        tolerance_for,
        units_to_follow,
    )

    assert pct(Fraction(1, 6)) == "16.7 %" and pct(Fraction(-1, 8)) == "-12.5 %"

    assert units_to_follow(Fraction(-1, 10), Fraction(1, 10)) == 50
    assert units_to_follow(Fraction(1, 5), Fraction(1, 10)) == 36
    assert units_to_follow(Fraction(-1, 2), Fraction(1, 2)) == 10  # never below 10 units
    assert tolerance_for(Fraction(-1, 10), 20) == Fraction(1, 4)
    assert tolerance_for(Fraction(1, 5), 36) == Fraction(1, 10)
    assert plan_change(Fraction(2), Fraction(1), False) == Fraction(-1, 2)
    assert plan_change(Fraction(2), Fraction(1), True) == 1
    assert not change_beyond(Fraction(-1, 10), Fraction(-11, 100), Fraction(1, 10))
    assert change_beyond(Fraction(-1, 10), Fraction(-111, 1000), Fraction(1, 10))
    assert not change_beyond(Fraction(1, 5), Fraction(9, 50), Fraction(1, 10))
    assert change_beyond(Fraction(1, 5), Fraction(17, 100), Fraction(1, 10))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["4.5 mg", "3 mg", "10 mg"]), st.sampled_from(["0.1 mg", "0.5 mg", "1 mg"]),
       st.sampled_from(["10 %", "15 %", "25 %", "0.5"]),
       st.sampled_from(["10 mL", "25 mL", "50 mL", "100 mL"]),
       st.lists(st.sampled_from([Dropper(20), Dropper(38.5), OralSyringe("1 mL", "0.01 mL"),
                                 OralSyringe("3 mL"), OralSyringe("10 mL")]),
                min_size=1, max_size=3, unique_by=lambda d: d.describe()),
       st.booleans())
def test_a_step_whose_own_measurement_is_flagged_is_flagged_in_the_plan(
        high, low, change, volume, devices, rise):
    """Hostile-integrator finding: 90 drops of A went out unflagged from a plan while
    ``measure`` flags them. Whatever the plan, a step whose measurement is not ok (the one
    verdict: rounding, syringe accuracy, more drops than anyone should count) is flagged,
    and no step is counted in more drops than that rule allows unflagged."""
    from ldn_compound import LdnCompoundError, plan_taper, plan_titration
    from ldn_compound._verdict import too_many_drops

    stock = Stock.from_tablets("50 mg", volume)
    try:
        plan = (plan_titration(low, high, "7 days", stock, devices, rise=change) if rise else
                plan_taper(high, low, "7 days", stock, devices, reduction=change))
    except LdnCompoundError:
        return  # refused with the library's error (devices that cannot follow the curve)
    for step in plan.steps:
        m = step.measurement
        if m is None:
            continue
        if not m.ok or too_many_drops(m.count, m.device):
            assert step in plan.flagged, (step.number, m.problem)
