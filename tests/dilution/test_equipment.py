"""Tests of dilution equipment: graduated cylinders, volumetric flasks, measurable volumes."""

from fractions import Fraction

import pytest
from hypothesis import given

from ldn_compound import GraduatedCylinder, InputError, OralSyringe, UnitError, VolumetricFlask
from ldn_compound.equipment import (
    can_measure,
    check_equipment,
    equipment_from_dict,
    least_fraction_of_capacity,
    measurable_volumes,
    relative_tolerance,
)
from ldn_compound.strategies import equipment_sets, graduated_cylinders


@pytest.mark.parametrize(
    ("capacity", "glass_class", "tolerance"),
    [  # ASTM E694 (REFERENCES): class A and B graduated cylinders
        (10, "A", "0.08"), (25, "A", "0.14"), (50, "A", "0.2"), (100, "A", "0.35"),
        (10, "B", "0.1"), (25, "B", "0.3"), (50, "B", "0.4"), (100, "B", "0.6"),
    ],
)
def test_cylinder_tolerances_are_astm_e694(capacity, glass_class, tolerance):
    """Default cylinder tolerances are the ASTM E694 class A and B values."""
    c = GraduatedCylinder((capacity, "mL"), glass_class=glass_class)
    assert c.tolerance_ml == Fraction(tolerance)


@pytest.mark.parametrize(("capacity", "glass_class", "tolerance"),
                         [(25, "A", "0.03"), (50, "A", "0.05"), (100, "A", "0.08"),
                          (100, "B", "0.16")])
def test_flask_tolerances(capacity, glass_class, tolerance):
    """Volumetric flasks: class A 25 mL +/-0.03, 50 +/-0.05, 100 +/-0.08 mL; class B twice."""
    assert VolumetricFlask((capacity, "mL"), glass_class=glass_class).tolerance_ml == Fraction(
        tolerance)


def test_measurable_volumes_start_at_a_fifth_of_capacity():
    """A 10 mL cylinder graduated in 0.2 mL measures 2 to 10 mL (USP <1176>: not below 20 %)."""
    vols = measurable_volumes(GraduatedCylinder("10 mL"))
    assert vols[0] == 2 and vols[-1] == 10 and len(vols) == 41
    assert measurable_volumes(OralSyringe(capacity="1 mL"))[0] == Fraction(1, 5)
    assert measurable_volumes(VolumetricFlask("50 mL")) == [50]
    assert can_measure(GraduatedCylinder("10 mL"), Fraction(22, 10))
    assert not can_measure(GraduatedCylinder("10 mL"), Fraction(21, 10))
    assert not can_measure(GraduatedCylinder("10 mL"), Fraction(19, 10))
    assert not can_measure(VolumetricFlask("50 mL"), Fraction(49))


@given(graduated_cylinders())
def test_relative_tolerance_is_largest_at_the_least_volume(cylinder):
    """A cylinder's relative error is tolerance / volume, largest at 20 % of capacity."""
    vols = measurable_volumes(cylinder)
    assert relative_tolerance(cylinder, vols[0]) == cylinder.tolerance_ml / vols[0]
    assert relative_tolerance(cylinder, vols[0]) >= relative_tolerance(cylinder, vols[-1])
    assert least_fraction_of_capacity(cylinder) == cylinder.capacity_ml / 5


@given(equipment_sets())
def test_check_equipment_accepts_every_drawn_set(items):
    """check_equipment returns a valid set as it is (round trip: test_rendering.py)."""
    assert check_equipment(items) == items


@pytest.mark.parametrize(
    ("call", "error", "needle"),
    [
        (lambda: GraduatedCylinder("12 mL"), InputError, "graduation"),
        (lambda: GraduatedCylinder("12 mL", graduation="0.5 mL"), InputError, "tolerance"),
        (lambda: GraduatedCylinder("10 mL", graduation="0.3 mL"), InputError, "divides"),
        (lambda: GraduatedCylinder("10 mg"), UnitError, "capacity"),
        (lambda: GraduatedCylinder("10 mL", glass_class="C"), InputError, "glass_class"),
        (lambda: GraduatedCylinder("10 mL", tolerance_ml="1 mL"), InputError, "tolerance_ml"),
        (lambda: GraduatedCylinder("5 L", graduation="50 mL", tolerance_ml="5 mL"), InputError,
         "capacity"),
        (lambda: VolumetricFlask("30 mL"), InputError, "tolerance"),
        (lambda: VolumetricFlask("25 mL", glass_class="a"), InputError, "glass_class"),
        (lambda: equipment_from_dict({"type": "beaker"}), InputError, "type"),
        (lambda: check_equipment(42), InputError, "equipment"),
    ],
)
def test_bad_equipment_is_refused(call, error, needle):
    """Bad equipment arguments raise an error naming the parameter."""
    with pytest.raises(error, match=needle):
        call()


def test_descriptions_write_volumes_safely():
    """Descriptions say mL with leading zeros and no trailing zeros."""
    assert GraduatedCylinder("10 mL").describe() == (
        "10 mL graduated cylinder (class B), graduated in 0.2 mL, +/-0.1 mL")
    assert VolumetricFlask("100 mL").describe() == "100 mL volumetric flask (class A), +/-0.08 mL"
    assert str(GraduatedCylinder("25 mL")) == (
        "25 mL graduated cylinder (class B), graduated in 0.5 mL, +/-0.3 mL")


def test_strategies_refuse_bad_arguments():
    """graduated_cylinders() refuses unknown glass classes; microgram_doses() a bad range."""
    from hypothesis.errors import InvalidArgument

    from ldn_compound.strategies import microgram_doses

    with pytest.raises(InvalidArgument):
        graduated_cylinders(glass_classes=("C",))
    with pytest.raises(InvalidArgument):
        graduated_cylinders(glass_classes=())
    with pytest.raises(InvalidArgument):
        microgram_doses(min_value=0)


@pytest.mark.parametrize("cls", [GraduatedCylinder, VolumetricFlask])
def test_old_tolerance_keyword_is_tolerance_ml_with_a_warning(cls):
    """Glassware's tolerance= is tolerance_ml= with a DeprecationWarning; both at once is refused."""
    with pytest.warns(DeprecationWarning, match="tolerance_ml"):
        old = cls("50 mL", tolerance="0.1 mL")
    assert old == cls("50 mL", tolerance_ml="0.1 mL") and old.tolerance_ml == Fraction(1, 10)
    with pytest.raises(InputError, match="tolerance"):
        cls("50 mL", tolerance="0.1 mL", tolerance_ml="0.1 mL")
    data = old.to_dict()
    data["tolerance"] = data.pop("tolerance_ml")
    assert equipment_from_dict(data) == old
