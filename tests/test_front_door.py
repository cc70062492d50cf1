"""Tests of the strict front door (issue 8): the closed unit grammar and every number type."""

import time
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import (
    Dropper,
    InputError,
    OralSyringe,
    Stock,
    UnitError,
    measure,
    measure_many,
)
from ldn_compound._convert import fraction_between
from ldn_compound._exact import MAX_EXPONENT, MAX_TEXT, exact_text, to_fraction
from ldn_compound.units import CONCENTRATION, MASS, TIME, VOLUME, parse

# Every accepted spelling and its exact factor to mg, mL or days (the closed vocabulary).
ACCEPTED = {
    MASS: {"g": 1000, "gram": 1000, "grams": 1000, "mg": 1, "milligram": 1, "milligrams": 1,
           "mcg": Fraction(1, 1000), "microgram": Fraction(1, 1000),
           "micrograms": Fraction(1, 1000), "ug": Fraction(1, 1000), "\u00b5g": Fraction(1, 1000),
           "\u03bcg": Fraction(1, 1000), "ng": Fraction(1, 10**6),
           "nanogram": Fraction(1, 10**6), "nanograms": Fraction(1, 10**6)},
    VOLUME: {"mL": 1, "ml": 1, "milliliter": 1, "milliliters": 1, "millilitre": 1,
             "millilitres": 1, "L": 1000, "liter": 1000, "liters": 1000, "litre": 1000,
             "litres": 1000},
    TIME: {"day": 1, "days": 1, "week": 7, "weeks": 7},
}
UREG = pint.UnitRegistry()  # a caller's own registry, not the application one
SMALL = Stock(drug="10 mg", volume="100 mL")
SYRINGE_1ML = OralSyringe(capacity="10 mL", graduation="1 mL")


def _seconds(fn):
    start = time.perf_counter()
    try:
        fn()
    except InputError:
        pass
    return time.perf_counter() - start


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([(d, u) for d, table in ACCEPTED.items() for u in table]),
       st.decimals(min_value=Decimal("0.001"), max_value=Decimal("999"), places=3),
       st.sampled_from(["", " ", "  "]))
def test_every_unit_reads_decimals_exactly(dim_unit, number, space):
    """Every accepted unit times a random decimal reads as exactly that decimal times its factor."""
    dimension, unit = dim_unit
    expected = Fraction(number) * ACCEPTED[dimension][unit]
    text = f"{number}{space}{unit}"
    try:
        assert parse(text, dimension, "x") == expected
    except InputError as exc:  # outside the plausibility range: refused, never misread
        assert "plausible" in str(exc) or "positive" in str(exc)


@given(st.fractions(min_value=Fraction(1, 1000), max_value=1000, max_denominator=10**6))
def test_exact_text_round_trips_through_parse(mg):
    """What exact_text writes (a decimal or a/b) reads back to the same Fraction."""
    assert parse(f"{exact_text(mg)} mg", MASS, "dose") == mg


@given(st.sampled_from(["mg", "mcg", "g"]), st.sampled_from(["mL", "L"]),
       st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2),
       st.sampled_from(["/", " / ", "/ "]))
def test_concentrations_combine_mass_and_volume(mass, volume, number, per):
    """A concentration is any accepted mass over any accepted volume, spaces around / optional."""
    expected = Fraction(number) * ACCEPTED[MASS][mass] / ACCEPTED[VOLUME][volume]
    try:
        assert parse(f"{number} {mass}{per}{volume}", CONCENTRATION, "c") == expected
    except InputError as exc:
        assert "plausible" in str(exc)


@given(st.integers(-MAX_EXPONENT, MAX_EXPONENT), st.integers(1, 99))
def test_exponents_in_range_are_exact(exponent, digits):
    """An exponent within the range is read exactly (plausibility decides the rest)."""
    try:
        assert parse(f"{digits}e{exponent} mg", MASS, "d") == Fraction(digits) * Fraction(10) ** exponent
    except InputError as exc:
        assert "plausible" in str(exc)


@given(st.integers(MAX_EXPONENT + 1, 10**200) | st.integers(-(10**200), -MAX_EXPONENT - 1))
def test_exponents_out_of_range_are_refused_fast(exponent):
    """An exponent beyond the range is an InputError naming the range, answered at once."""
    with pytest.raises(InputError, match="exponent"):
        parse(f"1e{exponent} mg", MASS, "dose")


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=40) | st.text(alphabet="0123456789.eE+-/ %mgcLlµdayswk", max_size=30))
def test_random_text_is_read_or_refused_quickly(text):
    """Random text gives a value or an InputError/UnitError (never another type), fast."""
    for dimension in (MASS, VOLUME, CONCENTRATION, TIME):
        start = time.perf_counter()
        try:
            value = parse(text, dimension, "p")
        except InputError as exc:
            assert exc.parameter == "p"
            assert "\n" not in str(exc) or "\n" in text  # repr escapes what it quotes
        else:
            assert value > 0
        assert time.perf_counter() - start < 1.0  # a hang, not a benchmark


@pytest.mark.parametrize("text", [
    "1e100000000 mg", "4.5 m" + " " * 30_000 + "x", "4.5 " + "m" * 100_000, "9" * 5000 + " mg",
    "1" * 255 + "m", "4.5 mg" + "/" * 10_000, "1/" + "0" * 200 + " mg",
])
def test_pathological_text_answers_at_once(text):
    """The issue's hangs (huge exponent, backtracking, long units, 4,300+ digits) answer at once."""
    assert _seconds(lambda: parse(text, MASS, "dose")) < 1.0  # a hang, not a benchmark


def test_length_limit_is_checked_first():
    """Text over the length limit is refused before any other reading, quoted truncated."""
    with pytest.raises(InputError, match=f"at most {MAX_TEXT} characters") as info:
        parse("4.5 mg" + " " * MAX_TEXT, MASS, "dose")
    assert len(str(info.value)) < 200


@pytest.mark.parametrize(("text", "dimension", "error", "needle"), [
    # silent wrong numbers before issue 8
    ("4.5 mg%", MASS, UnitError, "mg/dL"),
    ("4.5 % mg", MASS, UnitError, "mg/dL"),
    ("4.5 percent", MASS, UnitError, "ratio"),
    ("4.5 %", MASS, UnitError, "ratio"),
    ("0.05 gr", MASS, UnitError, "misread as gram"),
    ("1 grain", MASS, UnitError, "apothecary"),
    ("0.02 ct", MASS, UnitError, "carat"),
    ("1 tsp", VOLUME, UnitError, "household"),
    ("1 teaspoon", VOLUME, UnitError, "household"),
    ("1 tbsp", VOLUME, UnitError, "household"),
    ("2 minim", VOLUME, UnitError, "apothecary"),
    ("1 dram", VOLUME, UnitError, "apothecary"),
    ("1 scruple", MASS, UnitError, "apothecary"),
    ("1 gallon", VOLUME, UnitError, "household"),
    ("1 oz", MASS, UnitError, "household"),
    ("1 fl oz", VOLUME, UnitError, "household"),
    ("1 cup", VOLUME, UnitError, "household"),
    ("3 drops", VOLUME, UnitError, "household"),
    ("5 cc", VOLUME, UnitError, "write mL"),
    ("5 mg/cc", CONCENTRATION, UnitError, "write mL"),
    ("1 kg", MASS, UnitError, "g or mg"),
    ("50 uL", VOLUME, UnitError, "0.05 mL"),
    ("50 \u00b5L", VOLUME, UnitError, "0.05 mL"),
    ("0.09 cg", MASS, UnitError, "write mg"),
    ("3 months", TIME, UnitError, "days or weeks"),
    ("\u1044\u0a6e\u0a69", MASS, InputError, "ASCII digits"),
    ("\uff15 mg", MASS, InputError, "ASCII digits"),
    ("3\x90\xab\x87cc", VOLUME, InputError, "stray character"),
    ("1.1=week", TIME, InputError, "stray character"),
    ("4.5 mg;", MASS, InputError, "stray character"),
    ("4.5 MG", MASS, UnitError, "case-sensitive: write 'mg'"),
    ("4.5 Mg", MASS, UnitError, "megagrams"),
    ("10 ML", VOLUME, UnitError, "case-sensitive: write 'mL'"),
    ("5 MG/ML", CONCENTRATION, UnitError, "write 'mg/mL'"),
    ("4.5 MCG", MASS, UnitError, "write 'mcg'"),
    ("10 mL", MASS, UnitError, "not a volume"),
    ("4.5 mg", VOLUME, UnitError, "not a mass"),
    ("5 blargs", MASS, UnitError, "unknown unit"),
    (".5 mg", MASS, InputError, "leading zero"),
    ("1/0 mg", MASS, InputError, "denominator"),
    ("1e31 mg", MASS, InputError, "exponent"),
    ("4.5", MASS, InputError, "bare number"),
])
def test_refused_text(text, dimension, error, needle):
    """Each refused kind of text is the right error, naming the parameter and how to write it."""
    with pytest.raises(error) as info:
        parse(text, dimension, "dose")
    assert info.value.parameter == "dose"
    assert needle in str(info.value)
    assert "\x90" not in str(info.value)  # quoted safely: repr escapes control characters


def test_measure_many_centigram_tie_rounds_as_measure():
    """Issue 8: 0.045 cg from a foreign registry gives count 5 in measure_many, as in measure."""
    many = measure_many(UREG.Quantity(np.array([0.045]), "centigram"), SMALL, SYRINGE_1ML)
    one = measure(UREG.Quantity(0.045, "centigram"), SMALL, SYRINGE_1ML)
    assert list(many.count) == [one.count] == [5]


@given(st.integers(1, 9999), st.sampled_from(["centigram", "decigram", "milligram",
                                               "microgram", "gram"]))
def test_foreign_quantities_convert_exactly(n, unit):
    """A foreign registry's SI-prefixed mass converts by an exact power of ten, in both paths."""
    exp = {"centigram": 1, "decigram": 2, "milligram": 0, "microgram": -3, "gram": 3}[unit]
    value = Fraction(n, 1000)
    expected = value * Fraction(10) ** exp
    assert parse(UREG.Quantity(float(value), unit), MASS, "d") == expected
    many = measure_many(UREG.Quantity(np.array([float(value)]), unit), SMALL, SYRINGE_1ML,
                        allow_high_dose=True)
    assert many.target_mg[0] == float(expected)
    if many.ok[0]:
        one = measure(UREG.Quantity(float(value), unit), SMALL, SYRINGE_1ML, allow_high_dose=True)
        assert many.count[0] == one.count


@pytest.mark.parametrize("unit", ["grain", "teaspoon", "minim", "fluid_ounce", "carat"])
def test_foreign_non_metric_quantities_refused(unit):
    """Quantities in apothecary or household units are refused as the text is."""
    dimension = MASS if unit in ("grain", "carat") else VOLUME
    with pytest.raises(UnitError, match="Quantity in"):
        parse(UREG.Quantity(1, unit), dimension, "d")


@pytest.mark.parametrize(("value", "expected"), [
    (np.float32(0.35), Fraction(7, 20)), (np.float16(0.1), Fraction(1, 10)),
    (np.float64(4.5), Fraction(9, 2)), (np.longdouble("0.1"), Fraction(1, 10)),
    (np.int8(3), Fraction(3)), (np.uint64(7), Fraction(7)), (np.array(2.5), Fraction(5, 2)),
    (Decimal("0.1"), Fraction(1, 10)), (Fraction(1, 3), Fraction(1, 3)), (0.1, Fraction(1, 10)),
])
def test_every_numeric_type_reads_exactly(value, expected):
    """Every number a numpy/pandas user holds reads as the decimal it prints as, at its width."""
    assert to_fraction(value, "x") == expected


@given(st.floats(min_value=0.25, max_value=10**6, width=32))
def test_float32_reads_as_its_shortest_decimal(x):
    """A float32 is read as the shortest decimal that round-trips at 32 bits."""
    f = to_fraction(np.float32(x), "x")
    assert np.float32(float(f)) == np.float32(x)
    assert len(str(f.denominator)) <= 20


@pytest.mark.parametrize(("value", "needle"), [
    (True, "boolean"), (np.bool_(True), "boolean"), (np.array([1.0, 2.0]), "measure_many"),
    ([1, 2], "measure_many"), (Decimal("1e100000000"), "exponent"), (Decimal("NaN"), "finite"),
    (np.float64("inf"), "finite"), (np.complex128(1), "a number"), ("1e100000000", "exponent"),
])
def test_refused_numbers(value, needle):
    """bool, arrays, huge Decimals and non-finite numbers are InputErrors, at once."""
    start = time.perf_counter()
    with pytest.raises(InputError, match=needle):
        to_fraction(value, "x")
    assert time.perf_counter() - start < 1.0  # a hang, not a benchmark


def test_numpy_scalars_in_constructors():
    """Issue 8: np.float64 drops per mL and tablet count work; a float32 dose reads as 0.35 mg."""
    assert Dropper(drops_per_mL=np.float64(20)) == Dropper(drops_per_mL=20)
    assert Stock.from_tablets("50 mg", "10 mL", count=np.float64(1)).concentration_mg_per_ml == 5
    syringe = OralSyringe(capacity="1 mL", graduation="0.01 mL")
    stock = Stock(drug="10 mg", volume="10 mL")
    assert measure((np.float32(0.35), "mg"), stock, syringe).count == 35
    many = measure_many((np.array([0.35], dtype=np.float32), "mg"), stock, syringe)
    assert list(many.count) == [35]


def test_array_to_scalar_parameter_points_to_measure_many():
    """An array given where one dose is meant is an InputError naming measure_many."""
    with pytest.raises(InputError, match="measure_many"):
        measure((np.array([1.0, 2.0]), "mg"), SMALL, SYRINGE_1ML)
    with pytest.raises(InputError, match="measure_many"):
        Dropper(drops_per_mL=np.array([20, 21]))


@given(st.fractions(min_value=0, max_value=Fraction(99, 100), max_denominator=1000))
def test_ratio_as_fraction_or_percent(x):
    """A ratio reads the same as a fraction and as text with a percent sign."""
    convert = fraction_between("tolerance", Fraction(0), Fraction(1))
    percent = exact_text(x * 100)
    assert convert(x) == convert(f"{percent} %") == convert(f"{percent}%") == x


@given(st.integers(2, 99))
def test_bare_number_above_one_shows_both_readings(n):
    """A bare number above 1 for a ratio is refused, showing the fraction and the percent reading."""
    with pytest.raises(InputError) as info:
        fraction_between("tolerance", Fraction(0), Fraction(1))(n)
    message = str(info.value)
    assert f"'{n} %'" in message and f"{n * 100:,} %" in message
    assert exact_text(Fraction(n, 100)) in message


def test_stock_tolerance_takes_percent_text():
    """Stock's volume tolerance accepts '2 %' as 0.02; 2 is refused with both readings."""
    assert Stock(drug="50 mg", volume="10 mL", volume_tolerance="2 %").volume_tolerance == \
        Fraction(1, 50)
    with pytest.raises(InputError, match="'2 %'"):
        Stock(drug="50 mg", volume="10 mL", volume_tolerance=2)
