"""The front door's edges: the shared registry, fixed units out, integer powers of a unit
written as floats, and what an error carries as the refused value (issue 11)."""

from fractions import Fraction

import numpy as np
import pint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import InputError, UnitError, units

edges = settings(max_examples=40, deadline=None)


def test_registry_is_pints_application_registry_built_once(monkeypatch):
    """get_registry() is pint's application registry, built under the lock when unset and
    the same object every call after."""
    monkeypatch.setattr(units, "_registry", None)
    reg = units.get_registry()
    assert reg is pint.get_application_registry() and units._registry is reg
    assert units.get_registry() is reg
    assert units.Q_(1, "mg").to("mcg").magnitude == 1000


@edges
@given(st.fractions(min_value=Fraction(1, 1000), max_value=10**6, max_denominator=1000),
       st.sampled_from([units.MASS, units.VOLUME]))
def test_to_quantity_attaches_the_fixed_unit(value, dimension):
    """to_quantity(x, d) is float(x) in d's fixed unit (mg, mL)."""
    q = units.to_quantity(value, dimension)
    assert q.magnitude == float(value)
    assert str(q.units) == {units.MASS: "milligram", units.VOLUME: "milliliter"}[dimension]


class _Foreign:
    """A quantity type of another library: pint's unit_items() with a float power."""

    def __init__(self, power: float) -> None:
        self.power = power
        self.units = f"milliliter ** {power}"
        self.magnitude = 2.0
        self.dimensionality = "[length] ** 3"

    def unit_items(self):
        return [("milliliter", self.power)]


@pytest.mark.parametrize("power", [1.0, 1])
def test_a_whole_power_written_as_a_float_is_read(power):
    """milliliter ** 1.0 is read as mL (a whole power, whatever its number type)."""
    assert units.quantity_factor(_Foreign(power), units.VOLUME, "volume") == 1


@pytest.mark.parametrize("power", [0.5, 1.5])
def test_a_fractional_power_is_refused(power):
    """milliliter ** 0.5 is no volume: refused as a UnitError naming the parameter."""
    with pytest.raises(UnitError) as info:
        units.quantity_factor(_Foreign(power), units.VOLUME, "volume")
    assert info.value.parameter == "volume"


def test_refused_quantity_is_carried_whole_or_by_shape():
    """A refused scalar Quantity is the error's value; an array is named by its shape."""
    ureg = pint.get_application_registry()
    scalar = ureg.Quantity(1.0, "grain")
    with pytest.raises(UnitError) as info:
        units.parse(scalar, units.MASS, "dose")
    assert info.value.value is scalar
    with pytest.raises(InputError) as info:
        units.parse(ureg.Quantity(np.array([1.0, 2.0]), "grain"), units.MASS, "dose")
    assert info.value.value == "a Quantity array of shape (2,)"
    with pytest.raises(UnitError) as info:
        units.quantity_factor(ureg.Quantity(np.array([[1.0], [2.0]]), "mL"), units.MASS, "d")
    assert info.value.value == "a Quantity array of shape (2, 1)"


def test_check_plausible_carries_the_raw_value():
    """check_plausible refuses 0 and too much naming the raw text the caller wrote."""
    for value in (Fraction(0), Fraction(10**12)):
        with pytest.raises(InputError) as info:
            units.check_plausible(value, units.MASS, "dose", "raw text")
        assert (info.value.parameter, info.value.value) == ("dose", "raw text")
    assert units.check_plausible(Fraction(9, 2), units.MASS, "dose", "4.5 mg") == Fraction(9, 2)


@pytest.mark.parametrize("raw", ["4.5", "4.5 grain", "4.5 mL", "4.5 MG", "4.5 foo", ",5 mg",
                                 "4.5 mg mg", "0 mg", "10000000 mg"])
def test_refused_text_is_the_errors_value(raw):
    """Every refusal of text carries the text as written (safe), naming the parameter."""
    with pytest.raises(InputError) as info:
        units.parse(raw, units.MASS, "dose")
    assert (info.value.parameter, info.value.value) == ("dose", raw)


def test_text_at_the_length_limit():
    """Text of exactly MAX_TEXT characters is read; one more is refused unread."""
    from ldn_compound._exact import MAX_TEXT

    text = "4.5 mg".rjust(MAX_TEXT)
    assert units.parse(text, units.MASS, "dose") == Fraction(9, 2)
    with pytest.raises(InputError):
        units.parse(" " + text, units.MASS, "dose")
    ureg = pint.get_application_registry()
    assert units.parse((Fraction(9, 2), "mg".rjust(MAX_TEXT)), units.MASS, "dose") == \
        Fraction(9, 2)
    with pytest.raises(InputError):
        units.parse((Fraction(9, 2), "mg".rjust(MAX_TEXT + 1)), units.MASS, "dose")
    assert units.parse(ureg.Quantity(4.5, "mg"), units.MASS, "dose") == Fraction(9, 2)


_UREG = pint.get_application_registry()


@pytest.mark.parametrize(("raw", "value"), [
    ((Fraction(0), "mg"), (Fraction(0), "mg")),
    (_UREG.Quantity(0, "mg"), _UREG.Quantity(0, "mg")),
    ([1, 2], "a list"),
    (np.array([1.0, 2.0]), "an array of shape (2,)"),
    (4.5, 4.5),
    (np.float64(4.5), np.float64(4.5)),
    (("1", "mg"), ("1", "mg")),
    ({"dose": 1}, {"dose": 1}),
    (_UREG.Quantity(1.0, "mL"), _UREG.Quantity(1.0, "mL")),
])
def test_refused_values_are_carried(raw, value):
    """A refused tuple, Quantity, number or container is the error's value (a container
    is named by its kind or shape), naming the parameter."""
    with pytest.raises(InputError) as info:
        units.parse(raw, units.MASS, "dose")
    assert info.value.parameter == "dose"
    assert info.value.value == value and type(info.value.value) is type(value)


@pytest.mark.parametrize(("unit", "factor"), [("cm**3", 1), ("meter**3", 10**6),
                                              ("decimeter**3", 1000), ("mm**3", Fraction(1, 1000))])
def test_cubic_lengths_are_exact_volumes(unit, factor):
    """A cubic length's factor to mL is an exact Fraction (a cubic metre is 10**6 mL)."""
    got = units.quantity_factor(_UREG.Quantity(1, unit), units.VOLUME, "volume")
    assert got == factor and isinstance(got, Fraction)


# -- the text grammar's separators (issue 11) ---------------------------------------------
_PAIRS = [(m, v) for m in units._MASS for v in units._VOLUME]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(_PAIRS), st.sampled_from(["", " ", "\t", " \t "]),
       st.sampled_from(["", " ", "\t"]))
def test_concentration_is_mass_slash_volume(pair, before, after):
    """Every mass unit over every volume unit, with spaces or tabs around '/', is read as
    the exact ratio of their factors."""
    mass, volume = pair
    got = units.parse(f"0.01 {mass}{before}/{after}{volume}", units.CONCENTRATION, "c")
    assert got == Fraction(1, 100) * units._MASS[mass] / units._VOLUME[volume]


_OTHER = ["\x0b", "\x0c", "\u00a0", "\u2009", "X", "\n", "\r"]


@pytest.mark.parametrize("c", _OTHER)
@pytest.mark.parametrize("template", ["5 mg{c}/mL", "5 mg/{c}mL", "5 {c}mg/mL", "5 mg/mL{c}"])
def test_only_spaces_and_tabs_separate_a_concentrations_parts(c, template):
    """Any other character around a concentration's parts is refused, never trimmed away."""
    text = template.format(c=c)
    if c in "\n\r" and text.endswith(c):
        assert units.parse(text, units.CONCENTRATION, "c") == 5  # trimmed at the end only
        return
    with pytest.raises(InputError) as info:
        units.parse(text, units.CONCENTRATION, "c")
    assert info.value.parameter == "c"


@pytest.mark.parametrize("c", ["\x0b", "\x0c", "\u00a0", "\u2009", "X"])
@pytest.mark.parametrize("template", ["{c}4.5 mg", "4.5 mg{c}", "4.5{c}mg", "4.5 {c}mg"])
def test_only_spaces_tabs_and_newlines_are_trimmed(c, template):
    """Text is trimmed of spaces, tabs, CR and LF only, and only spaces and tabs separate
    number and unit: any other character there is refused (and so is a newline inside)."""
    for text in (template.format(c=c), "4.5\nmg", "4.5\r mg"):
        with pytest.raises(InputError) as info:
            units.parse(text, units.MASS, "dose")
        assert info.value.parameter == "dose"
    assert units.parse(" \t\r\n4.5 \t mg\r\n\t ", units.MASS, "dose") == Fraction(9, 2)


@pytest.mark.parametrize("c", ["\n", "\x0b", "\u00a0", "X"])
def test_a_pairs_unit_is_trimmed_of_spaces_and_tabs_only(c):
    """(4.5, ' mg\\t') is read; any other character around the unit of a pair is refused."""
    assert units.parse((4.5, " \tmg\t "), units.MASS, "dose") == Fraction(9, 2)
    for unit in (f"{c}mg", f"mg{c}"):
        with pytest.raises(InputError) as info:
            units.parse((4.5, unit), units.MASS, "dose")
        assert (info.value.parameter, info.value.value) == ("dose", (4.5, unit))


def test_case_hint_only_for_one_slash():
    """A case slip is hinted for one unit or one ratio, never for a unit with two slashes."""
    assert units._case_hint("MG") is not None and units._case_hint("MG/ML") is not None
    assert units._case_hint("MG/ML/ML") is None and units._case_hint("foo") is None


# -- refused values are carried as the caller gave them ----------------------------------
@pytest.mark.parametrize("unit", ["grain", "5 mg", ",5 mg", "m$g", "MG", "mL"])
def test_a_refused_pair_is_the_errors_value(unit):
    """A (number, unit) pair refused for its unit is the error's value, whole."""
    with pytest.raises(InputError) as info:
        units.parse((4.5, unit), units.MASS, "dose")
    assert (info.value.parameter, info.value.value) == ("dose", (4.5, unit))


def test_long_refused_text_is_quoted_safely():
    """Refused text longer than a message shows is carried cut (safe_text), whole or pair."""
    from ldn_compound._exact import MAX_TEXT, safe_text

    for raw in ("4.5" + " " * 70 + "grain", "4.5 " + "x" * 70, "4" * (MAX_TEXT + 1) + " mg"):
        with pytest.raises(InputError) as info:
            units.parse(raw, units.MASS, "dose")
        assert info.value.value == safe_text(raw) != raw
    unit = "m" * (MAX_TEXT + 1)
    with pytest.raises(InputError) as info:
        units.parse((1, unit), units.MASS, "dose")
    assert info.value.value == safe_text(unit)


@pytest.mark.parametrize("number", [4, 4.5, Fraction(9, 2), np.float64(4.5), np.int64(4),
                                    np.float32(4.5)])
def test_bare_numbers_of_every_type_are_refused_alike(number):
    """A bare number of any numeric type is refused as a bare int is (same kind, wording)."""
    from decimal import Decimal

    with pytest.raises(InputError) as int_error:
        units.parse(4, units.MASS, "dose")
    for value in (number, Decimal("4.5")):
        with pytest.raises(InputError) as info:
            units.parse(value, units.MASS, "dose")
        assert (info.value.parameter, info.value.value) == ("dose", value)
        assert (info.value.kind, info.value.expected) == (int_error.value.kind,
                                                          int_error.value.expected)


def test_array_quantity_of_a_good_unit_is_named_by_shape():
    """A Quantity array, even in a good unit, is refused as 'a Quantity array of shape ..'."""
    for shape in ((2,), (1, 3)):
        q = _UREG.Quantity(np.ones(shape), "mg")
        with pytest.raises(InputError) as info:
            units.parse(q, units.MASS, "dose")
        assert (info.value.parameter, info.value.value) == (
            "dose", f"a Quantity array of shape {shape}")


@pytest.mark.parametrize("magnitude", [float("nan"), float("inf"), "x", None])
def test_quantity_with_a_bad_magnitude_names_the_parameter(magnitude):
    """A Quantity-like whose magnitude is no finite number is refused on the parameter."""
    with pytest.raises(InputError) as info:
        units.parse(_TextQuantity(magnitude, "mg"), units.MASS, "dose")
    assert info.value.parameter == "dose"


def test_is_quantity_needs_all_three_attributes():
    """Only an object with magnitude, units and dimensionality is read as a Quantity."""
    names = ("magnitude", "units", "dimensionality")
    for mask in range(8):
        obj = type("Partial", (), {n: 1 for i, n in enumerate(names) if mask >> i & 1})()
        assert units.is_quantity(obj) is (mask == 7)
        if mask != 7:
            with pytest.raises(InputError) as info:
                units.parse(obj, units.MASS, "dose")
            assert (info.value.parameter, info.value.value) == ("dose", obj)


# -- a Quantity of another library, read by its unit text ---------------------------------
class _TextQuantity:
    """A quantity type with no unit_items(): its unit is read as text."""

    def __init__(self, magnitude, unit):
        self.magnitude, self.units, self.dimensionality = magnitude, unit, "?"


@edges
@given(st.sampled_from([(d, u) for d, t in units._TABLE.items() for u in t]),
       st.integers(1, 1000))
def test_text_quantity_is_read_by_the_unit_table(dim_unit, n):
    """A non-pint Quantity is n x its unit's exact factor; the wrong dimension is refused."""
    dimension, unit = dim_unit
    assume_ok = units._LIMITS[dimension][0] <= n * units._TABLE[dimension][unit] <= \
        units._LIMITS[dimension][1]
    q = _TextQuantity(n, unit)
    if assume_ok:
        assert units.parse(q, dimension, "x") == n * units._TABLE[dimension][unit]
    other = units.MASS if dimension != units.MASS else units.VOLUME
    with pytest.raises(UnitError) as info:
        units.parse(q, other, "x")
    assert (info.value.parameter, info.value.value) == ("x", q)


@pytest.mark.parametrize("unit", ["grain", "cc", "foo"])
def test_text_quantity_refused_unit_carries_the_quantity(unit):
    """A non-pint Quantity in a refused unit is the UnitError's value, on the parameter."""
    q = _TextQuantity(1, unit)
    with pytest.raises(UnitError) as info:
        units.quantity_factor(q, units.MASS, "dose")
    assert (info.value.parameter, info.value.value) == ("dose", q)


# -- products and powers of metric units are exact ----------------------------------------
@pytest.mark.parametrize("k", [1, 2, 3])
def test_powers_of_metric_units_multiply_exactly(k):
    """mL**(k+1) / L**k is a volume of 1000**-k mL, and g**(k+1) / mg**k a mass of
    1000**(k+1) mg: every power's factor and dimension is counted."""
    v = units.quantity_factor(_UREG.Quantity(1, f"mL**{k + 1}/L**{k}"), units.VOLUME, "v")
    assert v == Fraction(1, 1000**k)
    m = units.quantity_factor(_UREG.Quantity(1, f"g**{k + 1}/mg**{k}"), units.MASS, "m")
    assert m == 1000 ** (k + 1)


@pytest.mark.parametrize(("unit", "factor"), [("mg/m**3", Fraction(1, 10**6)),
                                              ("g/dm**3", Fraction(1)), ("mg/cm**3", 1)])
def test_per_cubic_length_is_an_exact_concentration(unit, factor):
    """A mass per cubic length is an exact concentration (a cubic metre is 10**6 mL)."""
    assert units.quantity_factor(_UREG.Quantity(1, unit), units.CONCENTRATION, "c") == factor


@pytest.mark.parametrize(("unit", "dimension"), [("g**3", units.VOLUME), ("mg/m", units.MASS),
                                                 ("m**2", units.VOLUME), ("mg*mL", units.MASS),
                                                 ("inch", units.MASS), ("mg*mL", units.VOLUME)])
def test_non_metric_or_wrong_power_is_refused(unit, dimension):
    """A cube of a mass, a length to a power not a multiple of 3, or a product of no
    dimension is refused as a UnitError carrying the Quantity."""
    q = _UREG.Quantity(1, unit)
    with pytest.raises(UnitError) as info:
        units.quantity_factor(q, dimension, "x")
    assert (info.value.parameter, info.value.value) == ("x", q)


class _Spelled:
    """A quantity type of another library naming units its own way (British spelling)."""

    def __init__(self, name: str, magnitude: object = 2) -> None:
        self.name = name
        self.units = name
        if magnitude is not None:
            self.magnitude = magnitude

    def unit_items(self):
        return [(self.name, 1)]


@pytest.mark.parametrize(("name", "factor"), [("millilitre", 1), ("centilitre", 10),
                                              ("litre", 1000), ("milliliter", 1)])
def test_litre_spelled_either_way_is_a_volume(name, factor):
    """'litre' and 'liter', prefixed or not, are read as exact volumes."""
    assert units.quantity_factor(_Spelled(name), units.VOLUME, "v") == factor


def test_refused_foreign_unit_without_magnitude_is_carried():
    """A foreign quantity refused for its unit is the error's value even with no magnitude."""
    q = _Spelled("grain", magnitude=None)
    with pytest.raises(UnitError) as info:
        units.quantity_factor(q, units.MASS, "dose")
    assert (info.value.parameter, info.value.value) == ("dose", q)


@pytest.mark.parametrize(("unit", "kind"), [("Xg", "unit"), ("xyz", "unit"), ("Qmg", "unit"),
                                            ("5 mg", "invalid"), (",5 mg", "invalid"),
                                            (".5mg", "invalid")])
def test_unknown_unit_or_second_number_kind(unit, kind):
    """An unknown unit is a UnitError (kind unit); a 'unit' that starts as a number (a
    second number, a separator) is an InputError of kind invalid."""
    with pytest.raises(InputError) as info:
        units.parse((4.5, unit), units.MASS, "dose")
    assert str(info.value.kind) == kind
    assert isinstance(info.value, UnitError) is (kind == "unit")


@settings(max_examples=200)
@given(st.integers(0, 10**6), st.integers(0, 6), st.sampled_from(["mg", "mcg", "g", "ng"]))
def test_plain_dose_text_takes_the_fast_path(whole: int, places: int, unit: str) -> None:
    """'2.7183 mg' within the mass limits is read by read_plain (integers, no grammar) exactly."""
    from ldn_compound._exact import read_plain
    from ldn_compound.units import MASS, unit_factor

    text = f"{whole // 10**places}.{whole % 10**places:0{places}d} {unit}" if places \
        else f"{whole} {unit}"
    factors = {u: unit_factor(u, MASS, "dose", u) for u in ("mg", "mcg", "g", "ng")}
    value = Fraction(whole, 10**places) * factors[unit]
    low, high = Fraction(1, 10**9), Fraction(10**6)  # 1 pg and 1 kg, in mg
    got = read_plain(text, factors, low, high)
    assert got == (value if low <= value <= high else None)


def test_the_fast_path_keeps_its_limits_inclusive():
    """Exactly 1 pg and exactly 1 kg are read by the fast path; zero and beyond are not."""
    from ldn_compound._exact import read_plain

    factors = {"mg": Fraction(1), "ng": Fraction(1, 10**6), "g": Fraction(1000)}
    low, high = Fraction(1, 10**9), Fraction(10**6)
    assert read_plain("0.001 ng", factors, low, high) == low
    assert read_plain("1000 g", factors, low, high) == high
    assert read_plain("1 mg", factors, low, high) == 1
    for outside in ("0 mg", "0.0009 ng", "1000.001 g", "4.5 mL", "4,5 mg"):
        assert read_plain(outside, factors, low, high) is None


@pytest.mark.parametrize(("unit", "names"), [("furlong", "metric units only"),
                                             ("hectare", "metric units only"),
                                             ("grain", "mg"), ("teaspoon", "mL")])
def test_a_quantity_in_a_refused_unit_says_what_works(unit, names):
    """A pint Quantity in a unit the library does not take is a UnitError naming the
    parameter and quoting the value, and its ``expected`` says what would work: the
    unit's own advice, or the metric units taken."""
    with pytest.raises(UnitError) as info:
        units.quantity_factor(_UREG.Quantity(2, unit), units.MASS, "dose")
    assert info.value.parameter == "dose" and names in info.value.expected
    assert "None" not in info.value.expected


@pytest.mark.parametrize(("unit", "dimension", "names"), [
    ("mL", units.MASS, "not a volume"), ("day", units.MASS, "not a time"),
    ("mg", units.VOLUME, "not a mass"), ("mg/day", units.MASS, "not milligram / day"),
    ("fluid_dram", units.MASS, "apothecary"), ("fluid_dram", units.VOLUME, "apothecary"),
])
def test_a_quantity_of_another_kind_says_which(unit, dimension, names):
    """A pint Quantity of the wrong kind says what it is (another dimension by name, or
    its unit), and a refused unit whose pint name has an underscore gets its own advice."""
    with pytest.raises(UnitError) as info:
        units.quantity_factor(_UREG.Quantity(2, unit), dimension, "dose")
    assert info.value.parameter == "dose" and names in info.value.expected
