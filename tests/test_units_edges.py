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
