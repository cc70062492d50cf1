"""Compounding equipment for dilutions: graduated cylinders, volumetric flasks, syringes.

A dilution step takes a volume of one liquid (measured with an oral syringe or
a graduated cylinder) and makes it up to a volume (in a graduated cylinder or
a volumetric flask). What each item can measure, and how accurately:

- a graduated item measures whole graduations from about 20 % of its capacity
  up to its capacity (USP <1176>: don't measure below about 20 % of a
  graduate's capacity);
- a volumetric flask measures only its capacity;
- an oral syringe's tolerance is relative (``OralSyringe.tolerance``); a
  cylinder's or flask's is absolute, in mL (ASTM E694), so its relative error
  is ``tolerance / volume``.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import attrs

from ._exact import exact_text
from .devices import OralSyringe
from .errors import InputError
from .measurement import MIN_SYRINGE_FILL
from .rendering import Rendered, Report, format_volume, sentence
from .units import VOLUME, parse

__all__ = [
    "DEFAULT_EQUIPMENT",
    "Equipment",
    "GraduatedCylinder",
    "VolumetricFlask",
    "check_equipment",
    "equipment_from_dict",
    "least_fraction_of_capacity",
    "measurable_volumes",
    "relative_tolerance",
]

# USP <1176>: don't measure below about 20 % of a graduate's capacity: the
# core's one constant for it, which also holds for oral syringes.
LEAST_FRACTION = MIN_SYRINGE_FILL

# ASTM E694 graduated cylinders, capacity mL -> tolerance mL, by class.
CYLINDER_TOLERANCE_ML = {
    "A": {Fraction(10): Fraction(8, 100), Fraction(25): Fraction(14, 100),
          Fraction(50): Fraction(20, 100), Fraction(100): Fraction(35, 100)},
    "B": {Fraction(10): Fraction(1, 10), Fraction(25): Fraction(3, 10),
          Fraction(50): Fraction(4, 10), Fraction(100): Fraction(6, 10)},
}
# Typical cylinder graduations (catalogue values, lower confidence, like the
# syringe graduations; references: 'astm-e694'): 10 mL in 0.2 mL, 25 mL in 0.5 mL,
# 50 and 100 mL in 1 mL. Give ``graduation`` for any other cylinder.
CYLINDER_GRADUATION_ML = {Fraction(10): Fraction(1, 5), Fraction(25): Fraction(1, 2),
                          Fraction(50): Fraction(1), Fraction(100): Fraction(1)}
# Volumetric flasks, class A (class B is twice the tolerance).
FLASK_TOLERANCE_ML = {Fraction(25): Fraction(3, 100), Fraction(50): Fraction(5, 100),
                      Fraction(100): Fraction(8, 100)}


# Named converters (mypy's attrs plugin reads only named functions).
def _to_capacity(value: Any) -> Fraction:
    return parse(value, VOLUME, "capacity")


def _to_graduation(value: Any) -> Fraction | None:
    return None if value is None else parse(value, VOLUME, "graduation")


def _to_tolerance(value: Any) -> Fraction | None:
    return None if value is None else parse(value, VOLUME, "tolerance")


def _glass_class(value: Any) -> str:
    if value not in ("A", "B"):
        raise InputError("glass_class", value, "'A' or 'B' (ASTM E694 class)")
    return str(value)


def _check_tolerance(tolerance: Fraction, capacity: Fraction) -> None:
    # Relative error at the least measurable volume must stay below 50 %.
    if tolerance >= capacity * LEAST_FRACTION / 2:
        raise InputError("tolerance", format_volume(tolerance),
                         f"a volume tolerance well below {format_volume(capacity)}")


@attrs.frozen(repr=False)
class GraduatedCylinder(Rendered):
    """A graduated cylinder, for measuring a transfer or making up to volume.

    Parameters
    ----------
    capacity : str or pint.Quantity, default "100 mL"  [volume]
        Nominal capacity.
    glass_class : {"A", "B"}, default "B"
        ASTM E694 class; sets the default tolerance (class B 10 mL +/-0.1,
        25 mL +/-0.3, 50 mL +/-0.4, 100 mL +/-0.6 mL; class A 10 mL +/-0.08,
        25 mL +/-0.14, 50 mL +/-0.2, 100 mL +/-0.35 mL).
    graduation : str or pint.Quantity, optional  [volume]
        Smallest marked step. Default: typical for the size (10 mL: 0.2 mL,
        25 mL: 0.5 mL, 50 and 100 mL: 1 mL).
    tolerance : str or pint.Quantity, optional  [volume]
        Absolute volume tolerance at any mark. Default: ASTM E694 for the class.
    """

    _capacity: Fraction = attrs.field(  # type: ignore[assignment]
        default="100 mL", alias="capacity", converter=_to_capacity)
    glass_class: str = attrs.field(default="B", kw_only=True, converter=_glass_class)
    _graduation: Fraction | None = attrs.field(
        default=None, kw_only=True, alias="graduation",
        converter=_to_graduation)
    _tolerance: Fraction | None = attrs.field(
        default=None, kw_only=True, alias="tolerance",
        converter=_to_tolerance)

    def __attrs_post_init__(self) -> None:
        cap = self._capacity
        if cap > 2000:
            raise InputError("capacity", format_volume(cap), "a cylinder of at most 2,000 mL")
        if self._graduation is None:
            grad = CYLINDER_GRADUATION_ML.get(cap)
            if grad is None:
                raise InputError("graduation", None,
                                 f"the graduation of a {format_volume(cap)} cylinder (typical "
                                 "ones are known only for 10, 25, 50 and 100 mL)")
            object.__setattr__(self, "_graduation", grad)
        if self._tolerance is None:
            tol = CYLINDER_TOLERANCE_ML[self.glass_class].get(cap)
            if tol is None:
                raise InputError("tolerance", None,
                                 f"the tolerance of a {format_volume(cap)} cylinder (ASTM E694 "
                                 "values are known only for 10, 25, 50 and 100 mL)")
            object.__setattr__(self, "_tolerance", tol)
        if (cap / self.graduation_ml).denominator != 1:
            raise InputError("graduation", format_volume(self.graduation_ml),
                             f"a graduation that divides the capacity {format_volume(cap)}")
        _check_tolerance(self.tolerance_ml, cap)

    @property
    def capacity_ml(self) -> Fraction:
        """Nominal capacity, exact mL."""
        return self._capacity

    @property
    def graduation_ml(self) -> Fraction:
        """Smallest marked step, exact mL."""
        assert self._graduation is not None  # set in __attrs_post_init__
        return self._graduation

    @property
    def tolerance_ml(self) -> Fraction:
        """Absolute volume tolerance, exact mL."""
        assert self._tolerance is not None  # set in __attrs_post_init__
        return self._tolerance

    def describe(self) -> str:
        return (f"{format_volume(self._capacity)} graduated cylinder (class {self.glass_class}), "
                f"graduated in {format_volume(self.graduation_ml)}, "
                f"+/-{format_volume(self.tolerance_ml)}")

    def report(self) -> Report:
        return Report(title=sentence(self.describe()))

    def to_dict(self) -> dict[str, Any]:
        return {"type": "graduated_cylinder", "capacity": f"{exact_text(self._capacity)} mL",
                "glass_class": self.glass_class,
                "graduation": f"{exact_text(self.graduation_ml)} mL",
                "tolerance": f"{exact_text(self.tolerance_ml)} mL"}


@attrs.frozen(repr=False)
class VolumetricFlask(Rendered):
    """A volumetric flask: makes up to its one marked volume, most accurately.

    Parameters
    ----------
    capacity : str or pint.Quantity, default "100 mL"  [volume]
        The marked volume.
    glass_class : {"A", "B"}, default "A"
        Class A 25 mL +/-0.03, 50 mL +/-0.05, 100 mL +/-0.08 mL; class B
        twice that.
    tolerance : str or pint.Quantity, optional  [volume]
        Absolute tolerance; default from the class for 25, 50 and 100 mL.
    """

    _capacity: Fraction = attrs.field(  # type: ignore[assignment]
        default="100 mL", alias="capacity", converter=_to_capacity)
    glass_class: str = attrs.field(default="A", kw_only=True, converter=_glass_class)
    _tolerance: Fraction | None = attrs.field(
        default=None, kw_only=True, alias="tolerance",
        converter=_to_tolerance)

    def __attrs_post_init__(self) -> None:
        cap = self._capacity
        if cap > 2000:
            raise InputError("capacity", format_volume(cap), "a flask of at most 2,000 mL")
        if self._tolerance is None:
            tol = FLASK_TOLERANCE_ML.get(cap)
            if tol is None:
                raise InputError("tolerance", None,
                                 f"the tolerance of a {format_volume(cap)} flask (known only "
                                 "for 25, 50 and 100 mL)")
            object.__setattr__(self, "_tolerance", tol if self.glass_class == "A" else 2 * tol)
        _check_tolerance(self.tolerance_ml, cap)

    @property
    def capacity_ml(self) -> Fraction:
        """The marked volume, exact mL."""
        return self._capacity

    @property
    def tolerance_ml(self) -> Fraction:
        """Absolute volume tolerance, exact mL."""
        assert self._tolerance is not None  # set in __attrs_post_init__
        return self._tolerance

    def describe(self) -> str:
        return (f"{format_volume(self._capacity)} volumetric flask (class {self.glass_class}), "
                f"+/-{format_volume(self.tolerance_ml)}")

    def report(self) -> Report:
        return Report(title=sentence(self.describe()))

    def to_dict(self) -> dict[str, Any]:
        return {"type": "volumetric_flask", "capacity": f"{exact_text(self._capacity)} mL",
                "glass_class": self.glass_class, "tolerance": f"{exact_text(self.tolerance_ml)} mL"}


#: One item of equipment a dilution may use.
Equipment = OralSyringe | GraduatedCylinder | VolumetricFlask


def _default_equipment() -> tuple[Equipment, ...]:
    # ISMP syringe sizes, typical graduations (references: 'ismp-oral-syringes'), and
    # class B cylinders (ASTM E694): what a compounding pharmacy has to hand.
    syringes = tuple(OralSyringe(capacity=(c, "mL")) for c in (1, 3, 5, 10))
    cylinders = tuple(GraduatedCylinder((c, "mL")) for c in (10, 25, 50, 100))
    return syringes + cylinders


#: Oral syringes of 1, 3, 5 and 10 mL (typical graduations, +/-10 %) and class B
#: graduated cylinders of 10, 25, 50 and 100 mL.
DEFAULT_EQUIPMENT: tuple[Equipment, ...] = _default_equipment()


def check_equipment(items: Any) -> tuple[Equipment, ...]:
    """Validate a collection of equipment; at least one transfer and one make-up item."""
    if isinstance(items, (OralSyringe, GraduatedCylinder, VolumetricFlask)):
        items = (items,)
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise InputError("equipment", items,
                         "a list of OralSyringe, GraduatedCylinder or VolumetricFlask")
    out = tuple(items)
    for item in out:
        if not isinstance(item, (OralSyringe, GraduatedCylinder, VolumetricFlask)):
            raise InputError("equipment", item,
                             "OralSyringe, GraduatedCylinder or VolumetricFlask items")
    if not any(isinstance(i, (OralSyringe, GraduatedCylinder)) for i in out):
        raise InputError("equipment", [describe(i) for i in out],
                         "at least one oral syringe or graduated cylinder to measure transfers")
    if not any(isinstance(i, (GraduatedCylinder, VolumetricFlask)) for i in out):
        raise InputError("equipment", [describe(i) for i in out],
                         "at least one graduated cylinder or volumetric flask to make up to "
                         "volume")
    return out


def describe(item: Equipment) -> str:
    """One line naming the item."""
    return item.describe()


def least_fraction_of_capacity(item: Equipment) -> Fraction:
    """Smallest volume the item measures, exact mL (20 % of capacity, USP <1176>)."""
    if isinstance(item, VolumetricFlask):
        return item.capacity_ml
    return item.capacity_ml * LEAST_FRACTION


def _graduation(item: OralSyringe | GraduatedCylinder) -> Fraction:
    return item.unit_volume_ml if isinstance(item, OralSyringe) else item.graduation_ml


def measurable_volumes(item: Equipment) -> list[Fraction]:
    """Every volume the item measures, exact mL, ascending.

    Whole graduations from 20 % of capacity (USP <1176>) to capacity; a
    volumetric flask measures its capacity only.
    """
    if isinstance(item, VolumetricFlask):
        return [item.capacity_ml]
    g = _graduation(item)
    first = -(-(item.capacity_ml * LEAST_FRACTION) // g)
    last = item.capacity_ml // g
    return [n * g for n in range(int(first), int(last) + 1)]


def can_measure(item: Equipment, volume_ml: Fraction) -> bool:
    """True if ``volume_ml`` is one of the item's measurable volumes."""
    if isinstance(item, VolumetricFlask):
        return volume_ml == item.capacity_ml
    g = _graduation(item)
    return (least_fraction_of_capacity(item) <= volume_ml <= item.capacity_ml
            and (volume_ml / g).denominator == 1)


def relative_tolerance(item: Equipment, volume_ml: Fraction) -> Fraction:
    """Relative volume error of measuring ``volume_ml`` with the item."""
    if isinstance(item, OralSyringe):
        return item.volume_error
    return item.tolerance_ml / volume_ml


def is_transfer(item: Equipment) -> bool:
    """Oral syringes and graduated cylinders measure transfers."""
    return isinstance(item, (OralSyringe, GraduatedCylinder))


def is_container(item: Equipment) -> bool:
    """Graduated cylinders and volumetric flasks are made up to volume in."""
    return isinstance(item, (GraduatedCylinder, VolumetricFlask))


def equipment_from_dict(data: dict[str, Any]) -> Equipment:
    """Rebuild an item from its ``to_dict()`` form."""
    kind = data.get("type") if isinstance(data, dict) else None
    fields = {k: v for k, v in data.items() if k != "type"} if isinstance(data, dict) else {}
    if kind == "oral_syringe":
        return OralSyringe(**fields)
    if kind == "graduated_cylinder":
        return GraduatedCylinder(**fields)
    if kind == "volumetric_flask":
        return VolumetricFlask(**fields)
    raise InputError("type", kind, "'oral_syringe', 'graduated_cylinder' or 'volumetric_flask'")

