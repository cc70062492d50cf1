"""How much of each liquid a plan makes: dilutions to whole-mL aliquots, the user's own
stock in whole units, and every liquid of the plan's drug."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_compound import Dropper, OralSyringe, Stock
from ldn_compound.drugs import Drug
from ldn_compound.multistock import plan_taper
from ldn_compound.multistock._liquids import DILUTION_VOLUME_ML, dilution_volume
from ldn_compound.schedule._preparation import DEFAULT_OVERAGE, with_overage

STOCK = Stock.from_tablets("50 mg", "10 mL")
DEVICES = (Dropper(20), OralSyringe("1 mL", "0.01 mL"))


@given(st.fractions(Fraction(1, 100), 1000), st.integers(2, 100))
def test_a_dilution_is_the_least_volume_with_a_whole_ml_aliquot(need, factor):
    """A dilution 1 in ``factor`` for ``need`` mL is made to the least whole multiple of
    DILUTION_VOLUME_ML that holds ``need`` and whose aliquot (volume / factor) is whole mL
    (found here by counting up)."""
    volume = dilution_volume(need, factor)
    least = next(v for v in (n * DILUTION_VOLUME_ML for n in itertools.count(1))
                 if v >= need and (v / factor).denominator == 1)
    assert volume == least


@pytest.mark.parametrize("start", ["4.5 mg", "1 mg"])
def test_the_users_stock_is_made_in_the_fewest_whole_units(start):
    """Liquid A is the user's stock, made in whole units of it: the fewest that hold its
    largest period's doses (with the overage) and what weaker liquids take from it."""
    plan = plan_taper(start, "0.05 mg", "14 days", STOCK, DEVICES, reduction=0.1)
    a = plan.liquids[0]
    assert a.source is None and a.stock.concentration_mg_per_ml == STOCK.concentration_mg_per_ml
    need = max(with_overage(b.exact_used, DEFAULT_OVERAGE) + b.exact_given
               for b in plan.batches if b.liquid == a.name)
    units = a.stock.volume_ml / STOCK.volume_ml
    assert units.denominator == 1 and units >= 1 and units * STOCK.volume_ml >= need
    assert units == 1 or (units - 1) * STOCK.volume_ml < need  # one fewer would not do
    assert a.stock.tablets == STOCK.tablets * units


def test_every_liquid_is_of_the_plans_drug():
    """A user-defined drug (made-up figures, for illustration only) is the profile of every
    liquid the plan makes, the diluted ones included."""
    drug = Drug("examplepam (made-up figures)", "20 mg", solubility="10 mg/mL")
    plan = plan_taper("10 mg", "0.1 mg", "14 days", Stock("100 mg", "10 mL", profile=drug),
                      DEVICES, reduction=0.2, drug=drug)
    assert any(liq.source is not None for liq in plan.liquids)
    assert all(liq.stock.profile == drug for liq in plan.liquids)
