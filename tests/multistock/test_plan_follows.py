"""A plan follows its curve when the devices allow it: no step flagged."""

from __future__ import annotations

from fractions import Fraction

import pytest

from ldn_compound import OralSyringe, Stock
from ldn_compound.multistock import plan_taper
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
