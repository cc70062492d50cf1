"""Tests of the stock sources beyond tablets: a liquid by its concentration, capsules."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import ErrorKind, InputError, Stock, UnitError
from ldn_compound._tables import (
    CAPSULE_CONTENT_TOLERANCE,
    POTENCY_WINDOW,
    SOLUBILITY_MG_PER_ML,
)
from ldn_compound.references import REFERENCES

_places = st.integers(0, 3)


@st.composite
def _decimal_text(draw, low, high):
    """A short decimal between low and high, as text."""
    places = draw(_places)
    n = draw(st.integers(int(low * 10**places), int(high * 10**places)))
    return str(Decimal(n).scaleb(-places))


@settings(max_examples=100, deadline=None)
@given(_decimal_text(Decimal("0.001"), Decimal(100)), st.sampled_from(["mg/mL", "mcg/mL"]),
       _decimal_text(Decimal(1), Decimal(500)))
def test_from_concentration_holds_concentration_times_volume_exactly(conc, unit, volume):
    """The drug is concentration x volume, exactly, and the concentration reads back."""
    c = Fraction(conc) / (1000 if unit == "mcg/mL" else 1)
    if c == 0:
        return
    stock = Stock.from_concentration(f"{conc} {unit}", f"{volume} mL")
    assert stock.drug_mg == c * Fraction(volume)
    assert stock.concentration_mg_per_ml == c
    assert stock.content_tolerance == POTENCY_WINDOW
    assert Stock.from_dict(stock.to_dict()) == stock


@settings(max_examples=100, deadline=None)
@given(_decimal_text(Decimal("0.1"), Decimal(50)), st.integers(1, 60),
       _decimal_text(Decimal(1), Decimal(500)))
def test_capsule_stock_is_count_times_strength_with_its_own_tolerance(strength, n, volume):
    """A capsule stock holds n x strength, says capsules, and keeps the capsule tolerance."""
    s = Fraction(strength)
    if s == 0 or n * s / Fraction(volume) > SOLUBILITY_MG_PER_ML:
        return
    stock = Stock.from_capsules(f"{strength} mg", f"{volume} mL", n)
    assert stock.drug_mg == n * s and stock.tablets == n and stock.form == "capsule"
    assert stock.content_tolerance == CAPSULE_CONTENT_TOLERANCE
    assert "capsule" in stock.describe() and "tablet" not in stock.describe()
    assert not any("split" in w for w in stock.warnings)
    assert Stock.from_dict(stock.to_dict()) == stock


def test_worked_capsule_and_concentration_examples():
    """1 mg/mL x 100 mL (the common oral liquid, references 'published-ladders'); 2 x 1.5 mg."""
    assert Stock.from_concentration("1 mg/mL", "100 mL").describe() == \
        "100 mg in 100 mL (1 mg/mL)"
    assert Stock.from_capsules("1.5 mg", "15 mL", 2).describe() == \
        "2 x 1.5 mg capsules in 15 mL (0.2 mg/mL)"
    assert Stock.from_capsules("4.5 mg", "10 mL").describe() == \
        "1 x 4.5 mg capsule in 10 mL (0.45 mg/mL)"


def test_capsule_tolerance_is_sourced_and_marked():
    """The capsule figure has a references entry, with what is unconfirmed said."""
    entry = REFERENCES["compounded-capsules"]
    assert any("90-110 %" in s for s in entry.supports)
    assert entry.unconfirmed


def test_concentration_as_drug_points_to_from_concentration():
    """Stock(drug='1 mg/mL') is a unit error whose expectation names from_concentration."""
    with pytest.raises(UnitError) as info:
        Stock(drug="1 mg/mL", volume="100 mL")
    assert info.value.kind is ErrorKind.UNIT and info.value.parameter == "drug"
    assert "from_concentration" in info.value.expected


@pytest.mark.parametrize(
    ("call", "parameter"),
    [
        (lambda: Stock.from_concentration("1 mg", "100 mL"), "concentration"),
        (lambda: Stock.from_concentration("0 mg/mL", "100 mL"), "concentration"),
        (lambda: Stock.from_concentration("200 mg/mL", "100 mL"), "concentration"),
        (lambda: Stock.from_concentration("1 mg/mL", "100 mg"), "volume"),
        (lambda: Stock.from_concentration("1 mg/mL", "0.5 mL"), "volume_tolerance"),
        (lambda: Stock.from_concentration("1 mg/mL", "10 mL", content_tolerance=2),
         "content_tolerance"),
        (lambda: Stock.from_capsules("1.5 mg", "10 mL", 1.5), "count"),
        (lambda: Stock.from_capsules("1.5 mL", "10 mL"), "strength"),
        (lambda: Stock.from_capsules("1.5 mg", "10 mL", 0), "count"),
        (lambda: Stock(drug="3 mg", volume="10 mL", form="capsule"), "count"),
        (lambda: Stock(drug="3 mg", volume="10 mL", form="powder"), "form"),
    ],
)
def test_bad_sources_are_refused_naming_the_parameter(call, parameter):
    """Each bad argument raises InputError naming it."""
    with pytest.raises(InputError) as info:
        call()
    assert info.value.parameter == parameter
