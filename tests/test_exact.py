"""Tests of exact rounding and safe number writing (ldn_compound._exact, rendering)."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from safe_writing import assert_safe

from ldn_compound._exact import exact_text, format_number, round_to_int
from ldn_compound.rendering import format_concentration, format_mass, format_volume

fractions = st.fractions(min_value=0, max_value=10**6, max_denominator=10**6)


@given(fractions)
def test_nearest_is_within_half(x):
    """nearest lands within half a unit, and exact halves go up (away from zero)."""
    n = round_to_int(x, "nearest")
    assert abs(n - x) <= Fraction(1, 2)
    if (x - Fraction(1, 2)).denominator == 1:
        assert n == x + Fraction(1, 2)


@given(fractions)
def test_down_and_up_bracket(x):
    """down never exceeds and up never falls short, each by less than one."""
    assert x - 1 < round_to_int(x, "down") <= x <= round_to_int(x, "up") < x + 1


def test_ties_away_from_zero_unlike_round():
    """2.5 rounds to 3 (Python's round() gives 2): ties go away from zero."""
    assert round_to_int(Fraction(5, 2), "nearest") == 3
    assert round(2.5) == 2


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(1), "1"),
        (Fraction(1, 2), "0.5"),
        (Fraction(9, 2), "4.5"),
        (Fraction(1000), "1,000"),
        (Fraction(12345), "12,350"),
        (Fraction(1, 3), "0.3333"),
        (Fraction(99995, 10000), "10"),
        (Fraction(1, 1000), "0.001"),
        (Fraction(-1, 2), "-0.5"),
        (0, "0"),
    ],
)
def test_format_number(value, text):
    """Safe writing (ISMP): leading zero, no trailing zero, commas from 1,000."""
    assert format_number(value) == text


@given(st.fractions(min_value=Fraction(1, 10**6), max_value=10**5, max_denominator=10**6))
def test_dose_writing_is_always_safe(mg):
    """No dose text ever has a bare leading point, a trailing zero after a point, µg or cc."""
    for text in (format_mass(mg), format_volume(mg), format_concentration(mg)):
        assert_safe(text)
        assert text.endswith((" mg", " mcg", " mL", " mg/mL", " mcg/mL"))


@pytest.mark.parametrize(
    ("mg", "text"),
    [(Fraction(9, 2), "4.5 mg"), (Fraction(1, 4), "0.25 mg"), (Fraction(1, 20), "50 mcg"),
     (Fraction(1, 2000), "0.5 mcg"), (Fraction(1), "1 mg")],
)
def test_format_mass(mg, text):
    """Masses from 0.1 mg up are written in mg, smaller ones in mcg."""
    assert format_mass(mg) == text


@given(st.fractions(min_value=0, max_value=10**6, max_denominator=10**6))
def test_exact_text_round_trips(x):
    """exact_text writes a value that reads back to exactly the same Fraction."""
    assert Fraction(exact_text(x)) == x


@given(st.integers(0, 10**12), st.integers(0, 12), st.integers(-30, 30))
def test_numeric_text_reads_exactly(n, places, exponent):
    """ASCII decimal text with an exponent in range reads as exactly the decimal it writes."""
    from ldn_compound._exact import to_fraction

    digits = str(n).rjust(places + 1, "0")
    text = f"{digits[:len(digits) - places]}.{digits[len(digits) - places:]}e{exponent}"
    assert to_fraction(text, "x") == Fraction(n, 10**places) * Fraction(10) ** exponent


@given(st.text(max_size=500))
def test_safe_text_is_short(text):
    """Quoted input is cut to a bounded length, so a message never carries a huge input."""
    from ldn_compound._exact import safe_text

    assert len(safe_text(text)) <= 80
    assert safe_text(text) == text or len(text) > 60
