"""Multi-stock plans: the done-when taper, and properties of every plan."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import Dropper, InputError, OralSyringe, Stock
from ldn_compound.drugs import Drug
from ldn_compound.multistock import (
    DEFAULT_MAX_CUT_ERROR,
    Occupancy,
    TaperPlan,
    plan_taper,
    plan_titration,
)
from ldn_compound.multistock._liquids import DILUTION_VOLUME_ML, dilution_volume

STOCK = Stock.from_tablets("50 mg", "10 mL")
DEVICES = (Dropper(20), OralSyringe("1 mL", "0.01 mL"))


def _cut_ok(plan: TaperPlan, step) -> bool:
    """The step's change (a cut, or a rise) is within the plan's tolerance of the asked one."""
    want, got = step.change, step.delivered_change
    return abs(got - want) <= plan.max_cut_error * abs(want)


def test_done_when_ten_percent_taper():
    """The issue's done-when: 4.5 mg to 0.05 mg by 10 % every 14 days keeps every cut but the
    last within the stated tolerance of the requested 10 %, with at most five liquids."""
    plan = plan_taper("4.5 mg", "0.05 mg", "14 days", STOCK, DEVICES, reduction="10 %")
    assert plan.max_cut_error == DEFAULT_MAX_CUT_ERROR
    assert plan.steps[0].exact_delivered == Fraction(9, 2)
    assert plan.steps[-1].exact_delivered == Fraction(1, 20)
    judged = plan.steps[1:-1]
    assert all(s.change == Fraction(-1, 10) and _cut_ok(plan, s) for s in judged)
    assert not plan.flagged and len(plan.liquids) <= 5
    text = str(plan)
    assert "Taper plan: 4.5 mg to 50 mcg" in text and "Make liquid B" in text
    data = json.loads(plan.to_json())
    assert len(data["steps"]) == len(plan.steps) and data["max_cut_error"] == "0.1"


def test_single_stock_taper_goes_linear_where_the_plan_does_not():
    """The single-stock taper's one-drop ladder cuts 20 % and more at the bottom; the plan's
    largest judged cut stays within 11 % (the issue's motivating example)."""
    from ldn_compound import taper

    single = taper("4.5 mg", 0.1, "14 days", STOCK, Dropper(20), "0.5 mg")
    doses = [s.exact_dose for s in single.steps]
    assert max(1 - b / a for a, b in itertools.pairwise(doses)) >= Fraction(1, 5)
    plan = plan_taper("4.5 mg", "0.5 mg", "14 days", STOCK, DEVICES, reduction=0.1)
    assert max(-s.delivered_change for s in plan.steps[1:-1]) <= Fraction(11, 100)


def _check_plan(plan: TaperPlan, down: bool) -> None:
    doses = [s.exact_delivered for s in plan.steps if s.measurement is not None]
    pairs = list(itertools.pairwise(doses))
    assert all((b < a) if down else (b > a) for a, b in pairs)  # strictly monotone
    for s in plan.steps:
        if s.judged and s.delivered_change is not None:
            assert _cut_ok(plan, s) or s.problem  # within tolerance, or flagged
    by_name = {liq.name: liq for liq in plan.liquids}
    for liq in plan.liquids:  # every dilution's arithmetic is exact
        if liq.source is not None:
            src = by_name[liq.source]
            assert liq.concentration_mg_per_ml * liq.factor == src.concentration_mg_per_ml
            aliquot = liq.stock.volume_ml / liq.factor
            assert aliquot.denominator == 1 and liq.stock.volume_ml % DILUTION_VOLUME_ML == 0
            assert liq.stock.volume_ml == dilution_volume(liq.stock.volume_ml, liq.factor)
            assert liq.stock.drug_mg == aliquot * src.concentration_mg_per_ml
    for s in plan.steps:  # supply covers every day
        if s.measurement is None:
            continue
        for day in range(s.start_day, s.start_day + s.days):
            made = [b for b in plan.batches
                    if b.liquid == s.liquid and b.made_day <= day <= b.last_day]
            assert len(made) == 1
    for b in plan.batches:
        assert b.exact_used + b.exact_given <= b.exact_volume
        used = sum((s.measurement.exact_volume * len(
            set(range(s.start_day, s.start_day + s.days)) & set(range(b.made_day, b.last_day + 1)))
            for s in plan.steps if s.liquid == b.liquid and s.measurement), Fraction(0))
        assert used == b.exact_used


plans = st.builds(
    dict,
    start=st.sampled_from(["4.5 mg", "3 mg", "1.5 mg", "0.75 mg"]),
    low=st.fractions(Fraction(1, 200), Fraction(1, 2)),
    cut=st.fractions(Fraction(1, 20), Fraction(1, 3)),
    tol=st.sampled_from([Fraction(1, 20), Fraction(1, 10), Fraction(1, 5), Fraction(1, 2)]),
    every=st.sampled_from(["7 days", "14 days", "4 weeks"]),
    devices=st.sampled_from([DEVICES, (OralSyringe("1 mL"),), (Dropper(20),),
                             (OralSyringe("3 mL"), OralSyringe("1 mL"))]),
)


@settings(max_examples=15, deadline=None)
@given(plans)
def test_every_taper_is_monotone_within_tolerance_exact_and_supplied(p):
    """Any taper: doses strictly fall, each judged cut within tolerance or flagged, each
    dilution exact, and a fresh batch of the right liquid on every day (or the devices are
    refused, naming them and a fix)."""
    floor = Fraction(p["start"].split()[0]) * p["low"]
    try:
        plan = plan_taper(p["start"], f"{float(floor):.6f} mg", p["every"], STOCK,
                          p["devices"], reduction=p["cut"], max_cut_error=p["tol"])
    except InputError as exc:
        assert exc.parameter == "devices" and "Would work: " in exc.expected
        return
    _check_plan(plan, down=True)


@settings(max_examples=15, deadline=None)
@given(st.fractions(Fraction(1, 10), Fraction(1, 2)), st.sampled_from([10, 100, 1000]))
def test_titration_asks_for_the_taper_reversed(rise, ratio):
    """An up-titration by ``rise`` asks for the doses of the taper by ``rise / (1 + rise)``
    in reverse order; its rises are judged as rises."""
    try:
        up = plan_titration(f"{1.5 / ratio} mg", "1.5 mg", "14 days", STOCK, DEVICES, rise=rise)
        down = plan_taper("1.5 mg", f"{1.5 / ratio} mg", "14 days", STOCK, DEVICES,
                          reduction=rise / (1 + rise))
    except InputError as exc:  # e.g. 1.5 mcg: no device measures it; refused once
        assert exc.parameter == "devices"
        return
    assert [s.exact_requested for s in up.steps] == \
        [s.exact_requested for s in down.steps][::-1]
    _check_plan(up, down=False)


@settings(max_examples=25, deadline=None)
@given(st.fractions(Fraction(1, 2), 1), st.fractions(Fraction(1, 10), 10),
       st.fractions(Fraction(1, 100), Fraction(1, 10)))
def test_occupancy_steps_are_equal_before_rounding(emax, ed50, step):
    """The occupancy method's requested doses are exactly ``occupancy_step`` apart in
    occupancy (Emax x D / (ED50 + D)), the step onto the floor excepted."""
    occ = Occupancy(emax, f"{float(ed50)} mg")
    try:
        plan = plan_taper("10 mg", "0.5 mg", "14 days", Stock.from_tablets("50 mg", "5 mL"),
                          (OralSyringe("1 mL"),), occupancy=occ, occupancy_step=step,
                          allow_high_dose=True)
    except InputError as exc:  # mostly flags: refused once, naming the devices
        assert exc.parameter == "devices" and "Would work: " in exc.expected
        return
    occupancies = [occ.at(s.exact_requested) for s in plan.steps]
    gaps = [a - b for a, b in itertools.pairwise(occupancies)]
    assert all(g == step for g in gaps[:-1]) and 0 < gaps[-1] <= step
    _check_plan(plan, down=True)


def test_a_step_no_liquid_can_serve_is_flagged():
    """With a 0.1 % tolerance no liquid measures a 10 % cut that finely: steps are flagged
    with the reason, and the doses still fall."""
    plan = plan_taper("4.5 mg", "3 mg", "14 days", STOCK, (OralSyringe("1 mL"),),
                      reduction=0.1, max_cut_error=0.001)
    assert plan.flagged and all("no liquid" in s.problem for s in plan.flagged)
    assert any("step" in w for w in plan.warnings)
    _check_plan(plan, down=True)


def test_to_zero_adds_a_stop_and_csv_has_a_row_a_step():
    """``to_zero`` ends with a stop (no measurement); batches carry USP <795> dates (14 days,
    the day made counted); CSV has a header and one row a step."""
    plan = plan_taper("4.5 mg", "1 mg", "14 days", STOCK, DEVICES, reduction=0.2, to_zero=True,
                      start_date="2026-11-22")
    first = plan.to_dict()["batches"][0]
    assert (first["made_date"], first["last_use_date"]) == ("2026-11-22", "2026-12-05")
    assert plan.steps[-1].measurement is None and plan.steps[-1].what() == "stop"
    assert "then stop" in plan.report().title
    assert len(plan.to_csv().splitlines()) == len(plan.steps) + 1


def test_a_user_drug_sets_the_slip_guard_and_solubility():
    """A user-defined drug's usual maximum drives the decimal-slip guard and its
    solubility limits the liquids (made-up figures, for illustration only)."""
    drug = Drug("examplepam (made-up figures)", "20 mg", solubility="10 mg/mL")
    with pytest.raises(InputError) as solubility:
        Stock("200 mg", "10 mL", profile=drug)
    assert solubility.value.parameter == "volume" and "10 mg/mL" in str(solubility.value)
    plan = plan_taper("10 mg", "1 mg", "14 days", Stock("100 mg", "10 mL", profile=drug),
                      DEVICES, reduction=0.1, drug=drug)
    assert plan.steps[0].exact_delivered == 10 and not plan.flagged
    with pytest.raises(InputError) as high:
        plan_taper("200 mg", "1 mg", "14 days", STOCK, DEVICES, reduction=0.1, drug=drug)
    assert high.value.kind.name == "DECIMAL_SLIP"


BAD = [
    ({"reduction": None}, "reduction"),
    ({"reduction": 0.1, "occupancy": Occupancy("80 %", "1 mg"), "occupancy_step": 0.05},
     "reduction"),
    ({"reduction": 2}, "reduction"),
    ({"reduction": 0.1, "max_cut_error": 0}, "max_cut_error"),
    ({"reduction": 0.1, "dilutions": (1,)}, "dilutions"),
    ({"reduction": 0.1, "dilutions": 5}, "dilutions"),
    ({"reduction": 0.1, "floor": "5 mg"}, "floor"),
    ({"reduction": 0.1, "every": "1.5 days"}, "every"),
    ({"reduction": 0.1, "devices": []}, "devices"),
    ({"reduction": 0.1, "devices": "syringe"}, "device"),
    ({"reduction": 0.1, "stock": "10 mL"}, "stock"),
    ({"reduction": 0.1, "start": "45 mg"}, "start"),
    ({"reduction": 0.1, "drug": "naltrexone"}, "drug"),
    ({"reduction": 0.1, "max_volume": "0.05 mL"}, "stock"),
    ({"occupancy": Occupancy("80 %", "1 mg")}, "occupancy_step"),
    ({"occupancy": "80 %", "occupancy_step": 0.05}, "occupancy"),
    ({"reduction": 0.001, "floor": "1 mcg"}, "reduction"),
]


@pytest.mark.parametrize(("change", "parameter"), BAD)
def test_bad_input_names_the_parameter(change, parameter):
    """Each bad argument of plan_taper raises an InputError naming that parameter."""
    kwargs = {"start": "4.5 mg", "floor": "1 mg", "every": "14 days", "stock": STOCK,
              "devices": DEVICES, **change}
    with pytest.raises(InputError) as exc:
        plan_taper(**kwargs)
    assert exc.value.parameter == parameter


@pytest.mark.parametrize(("args", "parameter"), [
    (("0 %", "1 mg"), "emax"), (("120 %", "1 mg"), "emax"), (("80 %", "1 mL"), "ed50"),
    ((Fraction(1) + Fraction(1, 10**10), "1 mg"), "emax"),  # inside the reader's margin
])
def test_bad_occupancy_names_the_parameter(args, parameter):
    """Occupancy refuses an Emax outside (0, 1] and an ED50 that is not a mass."""
    with pytest.raises(InputError) as exc:
        Occupancy(*args)
    assert exc.value.parameter == parameter
