"""Scalar/batch parity is total: counts, statuses, every float output and every finding."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ldn_compound import Dropper, InputError, OralSyringe, Stock, measure, measure_many
from ldn_compound.strategies import devices, rounding_modes, stocks

from ._scalar import assert_element_is_scalar

# Plausible masses are 1 pg to 1 kg (units.py); a stock of 1 kg in 1,000 L (1 mg/mL)
# lets a dose near the top be measured, with counts in the millions.
HUGE_STOCK = Stock(drug="1000 g", volume="1000 L")
ANY_STOCK = st.one_of(stocks(), st.just(HUGE_STOCK))


@st.composite
def tie(draw: st.DrawFn, stock: Stock, device: Any) -> float:
    """(k + 1/2) drops or graduations, when that dose is a float exactly; else a decimal."""
    per = stock.concentration_mg_per_ml * device.unit_volume_ml
    x = (draw(st.integers(0, 400)) + Fraction(1, 2)) * per
    return float(x) if Fraction(float(x)) == x else float(round(x, 3))


@st.composite
def decimal_tie(draw: st.DrawFn, stock: Stock, device: Any) -> float:
    """A dose whose decimal reading is exactly (k + 1/2) units while its binary value is not.

    ``float(x)`` prints as the tie ``x`` (so measure reads the tie) but is a
    little above or below it: the float estimate cannot decide it.
    """
    per = stock.concentration_mg_per_ml * device.unit_volume_ml
    x = (draw(st.integers(0, 400)) + Fraction(1, 2)) * per
    if Fraction(repr(float(x))) != x:  # the tie is not a short decimal: take its neighbour
        x = (draw(st.integers(0, 400)) * 2 + 1) * Fraction(1, 2) * Fraction(1, 8)
    return float(x)


@st.composite
def mixed_doses(draw: st.DrawFn, stock: Stock, device: Any) -> list[float]:
    """Unrounded floats, huge and tiny values, long decimals and exact ties, in one array."""
    one = st.one_of(
        st.floats(min_value=2e-9, max_value=9e5, allow_nan=False, allow_infinity=False),
        st.floats(min_value=0.01, max_value=60).map(lambda x: x + 1e-13),  # 17 digits
        st.sampled_from([0.1 + 0.2, 1 / 3, 2e-9, 9e5, 123456.789, 4.123456789012]),
        st.decimals(min_value="0.001", max_value="60", places=3).map(float),
        tie(stock, device),
        decimal_tie(stock, device),
        st.floats(0.01, 0.5).flatmap(lambda mgkg: st.floats(2.5, 120).map(
            lambda kg: mgkg * kg)),  # mg/kg x weight: an unrounded product
        st.floats(0.5, 9.5).map(lambda d: d * 0.9**7),  # a percentage taper
    )
    return draw(st.lists(one, min_size=1, max_size=16))


@settings(max_examples=80, deadline=None)
@given(st.data(), ANY_STOCK, devices(), rounding_modes(), st.booleans(),
       st.sampled_from(["float64", "float32", "mcg"]))
def test_every_element_is_the_scalar_result(data: st.DataObject, stock: Stock, device: Any,
                                            rounding: str, allow_high_dose: bool,
                                            form: str) -> None:
    """Every element's count, status, floats and findings equal measure()'s decisions."""
    doses = data.draw(mixed_doses(stock, device))
    if form == "float32":
        arr: Any = np.array(doses, dtype=np.float32)
        scalar = [(x, "mg") for x in arr]  # measure reads a float32 at its own width
        given_doses: Any = (arr, "mg")
    elif form == "mcg":
        arr = np.array(doses) * 1000
        scalar = [(float(x), "mcg") for x in arr]
        given_doses = (arr, "mcg")
    else:
        arr = np.array(doses)
        scalar = [(float(x), "mg") for x in arr]
        given_doses = (arr, "mg")
    try:
        b = measure_many(given_doses, stock, device, rounding=rounding,
                         allow_high_dose=allow_high_dose)
    except InputError as exc:  # an implausible dose after float32/mcg scaling
        with pytest.raises(InputError):
            measure(scalar[int(exc.parameter.split("[")[1].rstrip("]"))], stock, device)
        assume(False)
        return
    for i, dose in enumerate(scalar):
        assert_element_is_scalar(b, i, dose, stock, device, rounding, allow_high_dose)


@settings(max_examples=40, deadline=None)
@given(st.data(), stocks(), devices(), rounding_modes())
def test_long_decimals_beside_off_binary_ties(data: st.DataObject, stock: Stock, device: Any,
                                              rounding: str) -> None:
    """Ties read from their decimal (binary value slightly off) round as measure() rounds."""
    ties = data.draw(st.lists(decimal_tie(stock, device), min_size=1, max_size=8))
    doses = [*ties, 0.1 + 0.2, 1 / 3, *ties]
    b = measure_many((np.array(doses), "mg"), stock, device, rounding=rounding,
                     allow_high_dose=True)
    for i, dose in enumerate(doses):
        assert_element_is_scalar(b, i, (dose, "mg"), stock, device, rounding, True)


def test_an_off_binary_tie_is_read_as_its_decimal() -> None:
    """0.145 mg at 0.01 mg a drop is 14.5 drops: 15 (measure), though 0.145 * 100 < 14.5 in floats."""
    stock = Stock(drug="2 mg", volume="10 mL")  # 0.2 mg/mL, 20 drops/mL: 0.01 mg a drop
    assert 0.145 * 100.0 < 14.5  # the float estimate is on the wrong side of the tie
    doses = np.array([0.145, 0.1 + 0.2, 0.29])  # 0.29 mg: 29 drops
    b = measure_many((doses, "mg"), stock, Dropper())
    assert b.count.tolist() == [measure((float(x), "mg"), stock, Dropper()).count
                                for x in doses]
    assert b.count.tolist()[0::2] == [15, 29]  # hand check: 14.5 rounds away from zero


def test_the_20_percent_rule_is_reported_like_measure() -> None:
    """1 mg at 5 mg/mL in a 5 mL syringe is 0.2 mL, below 20 % of 5 mL (ISMP; issue 9)."""
    stock, syringe = Stock.from_tablets("50 mg", "10 mL"), OralSyringe(capacity="5 mL")
    m = measure("1 mg", stock, syringe)
    assert m.accuracy_problem is not None  # the scalar path warns (0.2 mL < 1 mL)
    b = measure_many((np.array([1.0, 4.0]), "mg"), stock, syringe)
    # hand check: 4 mg is 0.8 mL (4 graduations of 0.2 mL), also below 1 mL
    assert b.flags.below_min_fill.tolist() == [True, True]
    assert b.accuracy_problem.tolist() == [True, True]
    assert any("below 20 %" in w and w.startswith("2 of 2 doses") for w in b.warnings)
    big = measure_many((np.array([6.0]), "mg"), stock, syringe)  # 1.2 mL: not below
    assert big.flags.below_min_fill.tolist() == [False]
    assert big.flags.above_ldn_band.tolist() == [True]  # 6 mg > 5 mg


def test_flags_are_false_where_not_measured_and_read_only() -> None:
    """An unmeasurable element has no findings; the flag arrays cannot be changed."""
    stock = Stock.from_tablets("50 mg", "10 mL")  # 0.25 mg a drop
    b = measure_many((np.array([0.1, 50.0, 0.3]), "mg"), stock, Dropper())
    # hand check: 0.4 drop -> 0; 50 mg refused as a slip; 0.3 mg -> 1 drop, +/-17 %
    assert b.flags.large_rounding.tolist() == [False, False, True]
    assert b.flags.above_ldn_band.tolist() == [False, False, False]
    with pytest.raises(ValueError):
        b.flags.large_rounding[0] = True


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value="0.000001", max_value="999999", places=6, allow_nan=False),
       st.sampled_from(["mg", "mcg", "g", "ng"]), st.sampled_from(["", " ", "\t"]))
def test_plain_dose_text_reads_as_the_full_grammar(d: Any, unit: str, space: str) -> None:
    """The fast reading of "2.7183 mg" gives what the full grammar gives (or its error)."""
    from ldn_compound._exact import read_number
    from ldn_compound.units import MASS, parse, unit_factor

    text = f"{d:f}{space}{unit}"
    value, _ = read_number(f"{d:f}", "dose")
    expected = value * unit_factor(unit, MASS, "dose", text)
    try:
        got = parse(text, MASS, "dose")
    except InputError as exc:  # out of the plausible range: refused, as the grammar refuses
        assert exc.kind is not None and not Fraction(10**-9) <= expected <= 10**6
        return
    assert got == expected
