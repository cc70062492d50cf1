"""Tests of exact rounding and safe number writing (ldn_compound._exact, rendering)."""

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from safe_writing import assert_safe

from ldn_compound._exact import exact_text, float_decimal, format_number, round_to_int
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


# -- signed and degenerate number text (issue 11) ------------------------------------
from ldn_compound import InputError  # noqa: E402
from ldn_compound._exact import (  # noqa: E402
    ceil_div,
    check_rounding,
    format_percent,
    fraction_from_text,
    read_number,
    round_ratio,
    safe_text,
    to_fraction,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [("3/1", Fraction(3)), ("+3/1", Fraction(3)), ("-3/1", Fraction(-3)), ("20/3", Fraction(20, 3)),
     ("0.45", Fraction(9, 20)), ("+0.45", Fraction(9, 20)), ("-0.45", Fraction(-9, 20)),
     ("4.5e-1", Fraction(9, 20)), ("45E-2", Fraction(9, 20)), ("4.", Fraction(4)),
     ("1e30", Fraction(10**30)), ("1e-30", Fraction(1, 10**30)), (" 9 / 20 ", Fraction(9, 20)),
     ("0", Fraction(0)), ("-0", Fraction(0))],
)
def test_number_text_is_read_exactly(text, value):
    """Signs, ratios, exponents and 9/20 written as a decimal read to the exact value."""
    assert fraction_from_text(text, "x", "a number") == value
    assert to_fraction(text, "x") == value


@pytest.mark.parametrize(
    ("text", "needle"),
    [("1/0", "denominator above 0"), ("-1/0", "denominator above 0"), ("-inf", "finite"),
     ("+nan", "finite"), ("inf", "finite"), ("-NaN", "finite"), ("+Infinity", "finite"),
     (".5", "leading zero"), ("-.5", "leading zero"), ("+.5", "leading zero"),
     ("4,5", "commas"), ("٤", "ASCII"), ("", "empty"), ("  ", "empty"), ("1e31", "exponent"),
     ("1e-31", "exponent"), ("3/1/2", "a number"), ("x" * 300, "at most 256"),
     ("1/2.5", "a number"), ("4.5 mg", "a number"), ("4.5X", "a number"), ("X4.5", "a number"),
     ("\v4.5", "a number"), ("4.5\f", "a number"), ("1" * 257, "at most 256")],
)
def test_degenerate_number_text_is_refused(text, needle):
    """Text that is no finite plain number raises InputError naming the parameter and why."""
    with pytest.raises(InputError) as info:
        to_fraction(text, "x")
    assert info.value.parameter == "x" and needle in str(info.value)
    assert info.value.value == safe_text(text)


def test_longest_number_text():
    """Text of exactly MAX_TEXT (256) characters is read; one more is refused."""
    assert to_fraction("0" * 255 + "7", "x") == 7
    assert to_fraction(" " * 253 + "4.5", "x") == Fraction(9, 2)


@given(st.integers(-10**6, 10**6), st.integers(1, 10**6))
def test_ratio_text_round_trips(num, den):
    """a/b text reads back to a/b exactly, its sign on the whole ratio, and ends where it ends."""
    x = Fraction(num, den)
    text = f"{num}/{den}"
    assert read_number(text + " mg", "x") == (x, len(text))
    assert fraction_from_text(exact_text(x), "x", "n") == x


@given(st.integers(0, 10**6), st.integers(1, 10**4), st.sampled_from(["nearest", "down", "up"]))
def test_round_ratio_matches_round_to_int(num, den, mode):
    """round_ratio on an unreduced ratio equals round_to_int of the Fraction, and ceil_div is
    the least integer not below."""
    k = 3
    assert round_ratio(num * k, den * k, mode) == round_to_int(Fraction(num, den), mode)
    x = Fraction(num, den)
    assert ceil_div(x) - 1 < x <= ceil_div(x)
    assert ceil_div(-x) == -(x.numerator // x.denominator)


def test_rounding_mode_names():
    """Only the three mode names pass; anything else is an InputError on 'rounding'."""
    for mode in ("nearest", "down", "up"):
        assert check_rounding(mode) == mode
    for bad in ("Nearest", "", None, 1):
        with pytest.raises(InputError) as info:
            check_rounding(bad)
        assert info.value.parameter == "rounding"
    with pytest.raises(InputError):
        round_ratio(1, 2, "half")


@pytest.mark.parametrize(
    ("value", "sig", "text"),
    [(2.675, 3, "2.68"), (Fraction(2675, 1000), 3, "2.68"), (2.665, 3, "2.67"),
     (-2.675, 3, "-2.68"), (0.125, 2, "0.13"), (1.005, 3, "1.01"), (99.95, 3, "100"),
     (9.9995, 4, "10"), (1234.5, 4, "1,235"), (0.00045, 1, "0.0005"), (7, 4, "7"),
     (Fraction(1, 3), 2, "0.33"), (Fraction(2, 3), 3, "0.667"), (1e-7, 4, "0.0000001")],
)
def test_format_number_half_up_ties(value, sig, text):
    """Half-up ties on the decimal the caller wrote (2.675 -> 2.68 to three figures)."""
    assert format_number(value, sig) == text


@given(st.integers(100, 999), st.integers(-3, 3))
def test_format_number_ties_go_up(digits, shift):
    """d.dd5 x 10^k, given as a float, rounds up at three figures: never to even, never down."""
    x = Fraction(digits * 10 + 5, 10**4) * Fraction(10) ** shift
    up = Fraction(digits + 1, 10**3) * Fraction(10) ** shift
    assert Fraction(format_number(float(x), 3).replace(",", "")) == up
    assert Fraction(format_number(x, 3).replace(",", "")) == up


def test_percent_and_safe_text():
    """format_percent signs its value; safe_text cuts long text and says how long it was."""
    assert format_percent(Fraction(1, 40)) == "+2.5 %"
    assert format_percent(Fraction(-1, 10)) == "-10 %"
    assert format_percent(Fraction(0)) == "0 %"
    assert format_percent(Fraction(1, 3)) == "+33.3 %"
    assert safe_text("a" * 60) == "a" * 60
    assert safe_text("a" * 61) == "a" * 40 + "...[61 characters]"
    assert safe_text("b" * 5000, 30) == "b" * 10 + "...[5,000 characters]"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.1, Fraction(1, 10)), (Fraction(1, 3), Fraction(1, 3)), (7, Fraction(7)),
     ("0.35", Fraction(7, 20))],
)
def test_to_fraction_plain_values(value, expected):
    """Plain numbers read as the decimal written."""
    assert to_fraction(value, "x") == expected


def test_to_fraction_refusals():
    """Booleans, non-finite floats, lists and others are InputErrors on the parameter."""
    from decimal import Decimal

    import numpy as np

    for bad in (True, float("inf"), float("nan"), [1], (1, 2), object(), Decimal("nan"),
                Decimal("1e31"), Decimal("1" * 401), np.array([1.0, 2.0]), np.bool_(True),
                np.float32("inf")):
        with pytest.raises(InputError) as info:
            to_fraction(bad, "x")
        assert info.value.parameter == "x"
        assert info.value.value is not None  # the refused value (or its shape) is carried
    assert to_fraction(Decimal("0"), "x") == 0
    assert to_fraction(Decimal("-4.5"), "x") == Fraction(-9, 2)
    assert to_fraction(np.float32(0.35), "x") == Fraction(7, 20)
    assert to_fraction(np.float64(0.1), "x") == Fraction(1, 10)
    assert to_fraction(np.int64(-3), "x") == -3
    assert to_fraction(np.array(2.5), "x") == Fraction(5, 2)


@given(st.integers(-10**6, 10**6), st.integers(0, 90), st.integers(0, 40))
def test_exact_text_terminating_decimals(num, twos, fives):
    """A denominator of only 2s and 5s is written as a plain decimal that reads back exactly."""
    x = Fraction(num, 2**twos * 5**fives)
    text = exact_text(x)
    assert "/" not in text and Fraction(text) == x
    assert not text.endswith(".") and ("." not in text or not text.endswith("0"))


@given(st.integers(1, 10**6), st.sampled_from([3, 6, 7, 12, 15, 120]))
def test_exact_text_other_denominators_are_ratios(num, den):
    """Any other prime in the reduced denominator is written as the exact ratio a/b."""
    x = Fraction(num, den)
    rest = x.denominator
    for p in (2, 5):
        while rest % p == 0:
            rest //= p
    text = exact_text(x)
    assert (text == f"{x.numerator}/{x.denominator}") == (rest != 1)
    assert Fraction(text) == x


def test_exact_text_examples():
    """0.2, 0.45, -0.45, 1000000, 1/3 and 1/1024 (a long but terminating decimal)."""
    assert [exact_text(Fraction(*p)) for p in ((1, 5), (9, 20), (-9, 20), (10**6, 1),
                                                 (1, 3), (1, 1024), (5, 6))] == [
        "0.2", "0.45", "-0.45", "1000000", "1/3", "0.0009765625", "5/6"]


def test_many_values_are_named_in_the_error():
    """An array or list where one value belongs is named (shape or type) in the error's value."""
    import numpy as np

    with pytest.raises(InputError) as info:
        to_fraction(np.array([1.0, 2.0]), "x")
    assert info.value.value == "an array of shape (2,)" and "measure_many" in str(info.value)
    with pytest.raises(InputError) as info:
        to_fraction([1, 2], "x")
    assert info.value.value == "a list"
    with pytest.raises(InputError) as info:
        to_fraction(np.array([1, 2]), "x", "E")
    assert "E: one value" in str(info.value)
    with pytest.raises(InputError) as info:
        to_fraction(np.array(True), "x", "E")
    assert info.value.parameter == "x" and "E, not a boolean" in str(info.value)
    assert info.value.value == np.bool_(True)
    with pytest.raises(InputError) as info:
        to_fraction(np.float32("nan"), "x")
    assert info.value.parameter == "x" and "finite" in str(info.value)
    assert info.value.value != info.value.value  # the nan itself, as a float
    with pytest.raises(InputError) as info:
        to_fraction(np.float32(1e38), "x")  # exponent 38: beyond any dose
    assert info.value.parameter == "x"


def test_decimal_digit_and_exponent_limits():
    """A Decimal of 400 digits and exponent 30 is read; 401 digits or exponent 31 is refused."""
    from decimal import Decimal

    assert to_fraction(Decimal("0." + "1" * 400), "x") == Fraction(int("1" * 400), 10**400)
    assert to_fraction(Decimal("1e30"), "x") == 10**30
    assert to_fraction(Decimal("1e-30"), "x") == Fraction(1, 10**30)
    for bad in (Decimal("0." + "1" * 401), Decimal("1e31"), Decimal("1e-31")):
        with pytest.raises(InputError) as info:
            to_fraction(bad, "x")
        assert info.value.parameter == "x" and info.value.value == safe_text(str(bad))
    with pytest.raises(InputError) as info:
        to_fraction(Decimal("-inf"), "x")
    assert info.value.value == Decimal("-inf")
    with pytest.raises(InputError) as info:
        check_rounding("half")
    assert info.value.value == "half"
    with pytest.raises(InputError) as info:
        round_ratio(1, 2, "half")
    assert info.value.value == "half"


def test_ascii_0_and_9_are_ascii():
    """Text that fails for another reason is not blamed on the digits 0 or 9."""
    for text in ("0x", "9x", "90 y", "0/"):
        with pytest.raises(InputError) as info:
            to_fraction(text, "x")
        assert "ASCII" not in str(info.value)


def test_non_ascii_digits_are_refused():
    """Digits outside 0-9 (Arabic-Indic, full-width) are named; ASCII 0 and 9 are not."""
    for text in ("٤.٥", "４.５", "0.9", "9.0"):
        try:
            to_fraction(text, "x")
        except InputError as exc:
            assert "ASCII" in str(exc) and text[0] not in "09"
        else:
            assert text[0] in "09"


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_float_decimal_is_the_shortest_decimal_of_any_float(x: float) -> None:
    """float_decimal(x) is Fraction(repr(x)) for every finite float, with a power-of-ten denominator."""
    num, den = float_decimal(x)
    assert Fraction(num, den) == Fraction(repr(x))
    assert den == 10 ** (len(str(den)) - 1)  # 1, 10, 100, ...
    assert float(Fraction(num, den)) == x  # and it reads back


@pytest.mark.parametrize(("x", "expected"), [
    (0.1, (1, 10)), (1e-05, (1, 100000)), (1.5e16, (15 * 10**15, 1)), (-2.5, (-25, 10)),
    (100.0, (1000, 10)), (5e-324, (5, 10**324)), (0.0, (0, 10)), (-0.0, (0, 10)),
])
def test_float_decimal_of_each_repr_form(x: float, expected: tuple[int, int]) -> None:
    """Each form repr writes (plain, 'e-', 'e+', signed, subnormal) read as Python reads it."""
    assert float_decimal(x) == expected


def test_round_ratio_names_the_rounding_parameter():
    """An unknown rounding mode is an InputError on ``rounding`` carrying the mode given."""
    from ldn_compound._exact import round_ratio

    with pytest.raises(InputError) as info:
        round_ratio(1, 2, "half-even")
    assert (info.value.parameter, info.value.value) == ("rounding", "half-even")


def _reference_rounding(x: Fraction, sig: int) -> Fraction:
    """Half up to ``sig`` figures, on Fractions only (independent of format_number)."""
    ax, e = abs(x), 0
    while Fraction(10) ** e > ax:
        e -= 1
    while Fraction(10) ** (e + 1) <= ax:
        e += 1
    unit = Fraction(10) ** (e - sig + 1)
    return math.floor(ax / unit + Fraction(1, 2)) * unit * (1 if x > 0 else -1)


@st.composite
def values_and_figures(draw):
    """A value and a number of figures: long decimals, wide fractions, or one step from a
    tie at that figure (d.dd5 then a long tail of 9s or 0s and one last digit)."""
    sig = draw(st.integers(1, 8))
    kind = draw(st.sampled_from(["long", "tie", "fraction"]))
    sign = draw(st.sampled_from([1, -1]))
    if kind == "long":
        x = Fraction(draw(st.integers(1, 10**80)), 10 ** draw(st.integers(0, 90)))
    elif kind == "tie":
        head = draw(st.integers(10 ** (sig - 1), 10**sig - 1))
        tail = draw(st.integers(sig + 2, sig + 70))
        x = (Fraction(head * 10 + 5, 10**sig) + Fraction(draw(st.sampled_from([1, 0, -1])),
                                                          10**tail)) * Fraction(10) ** draw(
            st.integers(-12, 12))
    else:
        x = draw(st.fractions(max_denominator=10**50).filter(lambda f: f != 0))
    return sign * x, sig


@given(values_and_figures())
def test_format_number_rounds_once_from_the_exact_value(case):
    """The text is the exact value rounded half up once, at any number of digits."""
    x, sig = case
    text = format_number(x, sig)
    assert Fraction(text.replace(",", "")) == _reference_rounding(x, sig)
    assert_safe(text)


@pytest.mark.parametrize(
    ("text", "shown"),
    [("1.2344999999999999999999999999999999999999", "1.234"),  # 41 figures: not 1.235
     ("1.23450000000000000000000000000000000000000001", "1.235"),
     ("0.000099994999999999999999999999999999999999999", "0.00009999"),
     ("9.99949999999999999999999999999999999999999", "9.999")],
)
def test_format_number_long_decimals(text, shown):
    """Past 40 significant figures the value is not rounded twice (first to 40, then to 4)."""
    assert format_number(Fraction(text)) == shown


@given(st.fractions(min_value=0, max_value=10**6, max_denominator=10**6))
def test_exact_text_signs_only_negative_values(x):
    """Zero is "0", never "-0"; -x is written as x with a minus sign."""
    assert exact_text(x).startswith("-") is False
    if x:
        assert exact_text(-x) == "-" + exact_text(x)
    assert exact_text(Fraction(0)) == "0"


@pytest.mark.parametrize("text", ["1.5/2", "1e2/3", "1.0/3", "2E0/5"])
def test_a_ratio_is_of_whole_numbers_only(text):
    """A ratio after a decimal point or an exponent is refused, never read as whole/den
    (1.5/2 is not 1/2)."""
    with pytest.raises(InputError) as info:
        fraction_from_text(text, "x", "a number")
    assert info.value.parameter == "x"


@given(st.sampled_from([("mg", 10**6), ("mL", 10**6), ("mg/mL", 1000)]),
       st.integers(12, 40), st.booleans())
def test_the_plain_fast_path_decides_its_upper_limit_exactly(case, zeros, above):
    """'1000.000...01 mg/mL' is one hair over the limit, at any number of digits: refused
    as out of range (a float quotient would let it through), and the limit itself reads."""
    from ldn_compound.errors import ErrorKind
    from ldn_compound.units import CONCENTRATION, MASS, VOLUME, parse

    unit, high = case
    dimension = {"mg": MASS, "mL": VOLUME, "mg/mL": CONCENTRATION}[unit]
    text = f"{high}.{'0' * zeros}{1 if above else 0} {unit}"
    if above:
        with pytest.raises(InputError) as info:
            parse(text, dimension, "x")
        assert info.value.kind is ErrorKind.OUT_OF_RANGE
    else:
        assert parse(text, dimension, "x") == high
