"""What plan_taper makes of its inputs: the stock's drug, the beyond-use period, a plan of
one cut, a stop, and the refusals' fields."""

from __future__ import annotations

from fractions import Fraction

import pytest

from ldn_compound import Dropper, InputError, OralSyringe, Stock
from ldn_compound.drugs import Drug
from ldn_compound.multistock import Occupancy, plan_taper
from ldn_compound.multistock._curve import requested_doses
from ldn_compound.schedule._preparation import preparation

STOCK = Stock.from_tablets("50 mg", "10 mL")
DEVICES = (Dropper(20), OralSyringe("1 mL", "0.01 mL"))
ARGS = ("4.5 mg", "1 mg", "14 days", STOCK, DEVICES)


def test_the_stocks_own_drug_is_the_plans_when_none_is_given():
    """Without ``drug=``, the plan's drug is the stock's profile (made-up figures, for
    illustration only), and every liquid is of it."""
    drug = Drug("examplepam (made-up figures)", "20 mg", solubility="10 mg/mL")
    plan = plan_taper("10 mg", "1 mg", "14 days", Stock("100 mg", "10 mL", profile=drug),
                      DEVICES, reduction=0.1)
    assert plan.drug == drug and plan.inputs["drug"] == drug.to_dict()
    assert all(liq.stock.profile == drug for liq in plan.liquids)


@pytest.mark.parametrize("bud", ["7 days", "10 days"])
def test_a_beyond_use_period_given_is_the_plans(bud):
    """``bud`` sets the beyond-use period (the one supply rule reads it): batches are made
    fresh every ``bud`` days, not the preparation's default."""
    days = preparation("aqueous", bud).bud_days
    assert days != preparation("aqueous").bud_days
    plan = plan_taper(*ARGS, reduction=0.2, bud=bud)
    assert plan.bud_days == days
    assert all(b.last_day - b.made_day + 1 == days for b in plan.batches[:-1])


def test_a_stop_cuts_the_whole_dose_and_is_not_judged():
    """``to_zero``'s last step delivers nothing: its change, asked and given, is -1 (the
    whole dose), and it is not judged against max_cut_error."""
    plan = plan_taper(*ARGS, reduction=0.2, to_zero=True)
    stop = plan.steps[-1]
    assert stop.measurement is None and stop.exact_delivered == 0
    assert stop.change == stop.delivered_change == -1
    assert not stop.judged and stop.problem is None
    assert stop.to_dict()["change"] == stop.to_dict()["delivered_change"] == "-1"


def test_a_floor_one_cut_away_is_a_plan_of_two_steps():
    """A floor within one cut of the start: the start, then the floor."""
    plan = plan_taper("4.5 mg", "4.2 mg", "14 days", STOCK, DEVICES, reduction=0.1)
    assert [s.exact_requested for s in plan.steps] == [Fraction(9, 2), Fraction(21, 5)]
    assert requested_doses(Fraction(9, 2), Fraction(21, 5), Fraction(1, 10), None, None) == \
        [Fraction(9, 2), Fraction(21, 5)]


def test_a_curve_with_no_step_is_refused_naming_the_floor():
    """requested_doses from a dose to itself has no step: refused, naming ``floor``."""
    with pytest.raises(InputError) as info:
        requested_doses(Fraction(1), Fraction(1), Fraction(1, 10), None, None)
    assert (info.value.parameter, info.value.value) == ("floor", "1 mg")


@pytest.mark.parametrize(("change", "parameter", "value"), [
    ({"reduction": 0.1, "occupancy": Occupancy("80 %", "1 mg"), "occupancy_step": 0.05},
     "reduction", 0.1),
    ({"reduction": None}, "reduction", None),
    # 4.5 mg to 1 mg is 0.2545 occupancy points (0.8 x D / (1 + D)): 2,545 steps of 0.0001
    ({"occupancy": Occupancy("80 %", "1 mg"), "occupancy_step": 0.0001}, "occupancy_step",
     Fraction(1, 10**4)),
])
def test_a_refusal_names_the_parameter_and_the_value_given(change, parameter, value):
    """Two methods or none, or an occupancy step making more than MAX_STEPS steps: the
    refusal names the parameter and quotes the value given."""
    with pytest.raises(InputError) as info:
        plan_taper(*ARGS, **change)
    assert (info.value.parameter, info.value.value) == (parameter, value)
