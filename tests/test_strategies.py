"""Tests of the shipped hypothesis strategies (ldn_compound.strategies)."""

import subprocess
import sys
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis.errors import InvalidArgument

from ldn_compound import Dropper, OralSyringe, Stock
from ldn_compound.strategies import (
    decimal_quantities,
    doses,
    droppers,
    oral_syringes,
    stocks,
    volumes,
)
from ldn_compound.units import MASS, VOLUME, parse


@given(doses(min_value="0.5", max_value="4.5"))
def test_doses_in_range(dose):
    """doses() draws parseable doses inside the requested range."""
    assert Fraction(1, 2) <= parse(dose, MASS, "dose") <= Fraction(9, 2)


@given(volumes(min_value=10, max_value=20), stocks(), droppers())
def test_objects_are_valid(volume, stock, dropper):
    """volumes(), stocks() and droppers() draw valid library objects."""
    assert 10 <= parse(volume, VOLUME, "v") <= 20
    assert isinstance(stock, Stock) and isinstance(dropper, Dropper)


@pytest.mark.parametrize(
    "call",
    [
        lambda: doses(min_value=0),
        lambda: doses(min_value=-1),
        lambda: doses(min_value=5, max_value=1),
        lambda: doses(min_value="abc"),
        lambda: doses(max_value=float("inf")),
        lambda: decimal_quantities("mg", min_value=1, max_value=2, places=-1),
        lambda: decimal_quantities("mg", min_value=1, max_value=2, places=True),
        lambda: stocks(min_tablets=0),
        lambda: stocks(min_tablets=3, max_tablets=2),
        lambda: stocks(strengths=()),
        lambda: droppers(min_drops_per_mL=0.5),
        lambda: droppers(max_drops_per_mL=500),
    ],
)
def test_invalid_arguments(call):
    """Bad strategy arguments raise hypothesis's InvalidArgument."""
    with pytest.raises(InvalidArgument):
        call().example()


def test_not_imported_by_package():
    """import ldn_compound does not import the strategies (or hypothesis)."""
    code = "import sys, ldn_compound; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


@given(oral_syringes())
def test_syringe_strategy_sizes(syringe):
    """oral_syringes() draws the common sizes with their typical graduations."""
    assert isinstance(syringe, OralSyringe)
    assert syringe.capacity_ml in (Fraction(1, 2), 1, 3, 5, 10)
    assert syringe.unit_volume_ml <= Fraction(1, 5)
