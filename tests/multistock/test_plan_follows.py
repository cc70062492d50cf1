"""A plan follows its curve where the devices allow it, and says why a step is flagged."""

from __future__ import annotations

from fractions import Fraction

import pytest

from ldn_compound import OralSyringe, Stock
from ldn_compound._rules import ROUNDING_WARNING
from ldn_compound.multistock import plan_taper, plan_titration
from ldn_compound.multistock._planner import NO_LIQUID
from ldn_compound.multistock._verdict import units_to_follow

STOCK = Stock.from_tablets("50 mg", "10 mL")  # 5 mg/mL
SYRINGE = OralSyringe("1 mL", "0.01 mL")  # 100 graduations


@pytest.mark.parametrize(("start", "floor", "cut", "tolerance"), [
    ("3 mg", "0.05 mg", Fraction(1, 20), Fraction(1, 5)),
    ("4.5 mg", "0.05 mg", Fraction(1, 20), Fraction(1, 5)),
    ("3 mg", "0.5 mg", Fraction(1, 20), Fraction(1, 5)),
    ("3 mg", "0.05 mg", Fraction(1, 10), Fraction(1, 10)),
])
def test_a_cut_the_syringe_can_follow_is_followed_at_every_step(start, floor, cut, tolerance):
    """The start takes at least the graduations the cut needs (units_to_follow: 50 here)
    and the syringe holds twice that, so the liquid in hand, or it diluted 1 in 2, measures
    every step within max_cut_error of the cut asked from the dose delivered before: no
    step is flagged, and each judged cut is within the tolerance."""
    need = units_to_follow(-cut, tolerance)
    start_units = Fraction(start.split()[0]) / STOCK.concentration_mg_per_ml \
        / SYRINGE.unit_volume_ml
    assert start_units >= need and 2 * need <= SYRINGE.capacity_ml / SYRINGE.unit_volume_ml
    plan = plan_taper(start, floor, "14 days", STOCK, (SYRINGE,), reduction=cut,
                      max_cut_error=tolerance)
    assert not plan.flagged
    for s in plan.steps[1:-1]:
        assert abs(s.delivered_change - s.change) <= tolerance * abs(s.change)


def test_a_step_no_liquid_serves_stays_with_the_liquid_in_hand():
    """With a 3 mL and a 1 mL syringe, 3 mg to 0.05 mg by 10 % flags a few cuts. Each such
    step's dose is on the curve (within the rounding warning) and no liquid measures its cut
    within max_cut_error (a switch is tried first), so a new liquid would clear no flag: it
    is measured from the liquid in hand, and no flagged step starts a liquid."""
    plan = plan_taper("3 mg", "0.05 mg", "14 days", STOCK,
                      (OralSyringe("3 mL"), OralSyringe("1 mL")), reduction=Fraction(1, 10))
    assert plan.flagged
    for s in plan.flagged:
        assert abs(s.exact_delivered - s.exact_requested) <= ROUNDING_WARNING * s.exact_requested
        assert s.switch is None


def test_each_reason_of_a_flag_says_no_liquid_serves_it():
    """A step flagged on its dose and on its rise (a titration's flag sits on the step whose
    rise it judges) gives both reasons, each saying that no liquid serves it; the number of
    reasons is recomputed from the step's numbers (dose off the requested one or below the
    start dose by more than the rounding warning; rise off by more than max_cut_error)."""
    tolerance, low = Fraction(1, 5), Fraction(1, 20)
    plan = plan_titration("0.05 mg", "3 mg", "14 days", STOCK, (OralSyringe("3 mL"),),
                          rise=Fraction(1, 20), max_cut_error=tolerance)
    counts = []
    for s in plan.flagged:
        d, r = s.exact_delivered, s.exact_requested
        dose = d < low * (1 - ROUNDING_WARNING) or abs(d - r) > ROUNDING_WARNING * r
        rise = s.judged and s.change is not None and \
            abs(s.delivered_change - s.change) > tolerance * abs(s.change)
        assert s.problem.split("; ").count(NO_LIQUID) == dose + rise >= 1
        counts.append(dose + rise)
    assert 2 in counts  # some step is flagged on both
