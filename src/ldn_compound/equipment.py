"""Compounding equipment for dilutions: graduated cylinders, volumetric flasks, syringes.

A dilution step takes a volume of one liquid (measured with an oral syringe or
a graduated cylinder) and makes it up to a volume (in a graduated cylinder or
a volumetric flask). What each item can measure, and how accurately:

- a graduated item measures whole graduations from about 20 % of its capacity
  up to its capacity (USP <1176>: don't measure below about 20 % of a
  graduate's capacity);
- a volumetric flask measures only its capacity;
- an oral syringe's volume error is relative; a cylinder's or flask's
  tolerance is absolute, in mL (``tolerance_ml``, ASTM E694), so its relative
  error is ``tolerance_ml / volume``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from fractions import Fraction
from typing import Any, ClassVar, TypeVar

import attrs

from ._convert import UNSET, renamed
from ._exact import ceil_div, exact_text
from ._records import given, stamp
from ._tables import (
    CYLINDER_GRADUATION_ML,
    CYLINDER_TOLERANCE_ML,
    FLASK_CLASS_B_FACTOR,
    FLASK_TOLERANCE_ML,
    MIN_FILL,
    SYRINGE_SIZES_ML,
)
from .devices import OralSyringe, device_volume_error
from .errors import InputError
from .rendering import Rendered, Report, format_volume, format_volume_exact, sentence
from .types import VolumeLike
from .units import VOLUME, Exact, parse

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

# Every sourced figure lives in ``_tables`` (USP <1176>'s 20 % least fill, ASTM
# E694 cylinders, class A flasks, ISMP syringe sizes).


# Named converters (mypy's attrs plugin reads only named functions).
def _to_capacity(value: VolumeLike) -> Fraction:
    return parse(value, VOLUME, "capacity")


def _to_graduation(value: VolumeLike | None) -> Fraction | None:
    return None if value is None else parse(value, VOLUME, "graduation")


def _to_tolerance_ml(value: VolumeLike | None) -> Fraction | None:
    return None if value is None else parse(value, VOLUME, "tolerance_ml")


def _glass_class(value: str) -> str:
    if value not in ("A", "B"):
        raise InputError("glass_class", value, "'A' or 'B' (ASTM E694 class)")
    return str(value)


_G = TypeVar("_G")


def _accepts_old_tolerance(cls: type[_G]) -> type[_G]:
    """Let ``cls`` take ``tolerance=`` for ``tolerance_ml=`` (deprecated, one release)."""
    init: Any = cls.__init__

    def __init__(self: Any, *args: Any, tolerance: Any = UNSET, tolerance_ml: Any = UNSET,
                 **kwargs: Any) -> None:
        value = renamed(cls.__name__, "tolerance", "tolerance_ml", tolerance, tolerance_ml, None)
        init(self, *args, tolerance_ml=value, **kwargs)

    functools.update_wrapper(__init__, init)
    setattr(cls, "__init__", __init__)  # noqa: B010 (mypy refuses assigning a method)
    return cls


def _check_tolerance(tolerance: Fraction, capacity: Fraction) -> None:
    # Relative error at the least measurable volume must stay below 50 %.
    if tolerance >= capacity * MIN_FILL / 2:
        raise InputError("tolerance_ml", format_volume_exact(tolerance),
                         f"a volume tolerance well below {format_volume(capacity)}")


@_accepts_old_tolerance
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
    tolerance_ml : str or pint.Quantity, optional  [volume]
        Absolute volume tolerance at any mark. Default: ASTM E694 for the class.
        Was ``tolerance`` (still accepted, with a DeprecationWarning).
    """

    _capacity: Fraction = attrs.field(  # type: ignore[assignment]
        default="100 mL", alias="capacity", converter=_to_capacity)
    glass_class: str = attrs.field(default="B", kw_only=True, converter=_glass_class)
    _graduation: Fraction | None = attrs.field(
        default=None, kw_only=True, alias="graduation",
        converter=_to_graduation)
    _tolerance: Fraction | None = attrs.field(
        default=None, kw_only=True, alias="tolerance_ml",
        converter=_to_tolerance_ml)

    def __attrs_post_init__(self) -> None:
        cap = self._capacity
        if cap > 2000:
            raise InputError("capacity", format_volume_exact(cap), "a cylinder of at most 2,000 mL")
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
                raise InputError("tolerance_ml", None,
                                 f"the tolerance of a {format_volume(cap)} cylinder (ASTM E694 "
                                 "values are known only for 10, 25, 50 and 100 mL)")
            object.__setattr__(self, "_tolerance", tol)
        if (cap / self.graduation_ml).denominator != 1:
            raise InputError("graduation", format_volume_exact(self.graduation_ml),
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
        """One line: ``25 mL class B graduated cylinder (+/-0.3 mL)``."""
        return (f"{format_volume(self._capacity)} graduated cylinder (class {self.glass_class}), "
                f"graduated in {format_volume(self.graduation_ml)}, "
                f"+/-{format_volume(self.tolerance_ml)}")

    def report(self) -> Report:
        """The rows every display shows (text, notebook HTML), as a ``Report``."""
        return Report(title=sentence(self.describe()))

    RECORD = "graduated_cylinder"
    RENAMED: ClassVar[dict[str, str]] = {"tolerance": "tolerance_ml"}
    DEFAULTS: ClassVar[dict[str, Any]] = {"graduation_default": False,
                                          "tolerance_ml_default": False}

    def to_dict(self) -> dict[str, Any]:
        """The ``ldn_compound/graduated_cylinder@1`` record (exact; the tolerance used)."""
        return stamp(self.RECORD, {
            "type": "graduated_cylinder", "capacity": f"{exact_text(self._capacity)} mL",
            "glass_class": self.glass_class,
            "graduation": f"{exact_text(self.graduation_ml)} mL",
            "graduation_default": self.graduation_ml == CYLINDER_GRADUATION_ML.get(self._capacity),
            "tolerance_ml": f"{exact_text(self.tolerance_ml)} mL",
            "tolerance_ml_default":
                self.tolerance_ml == CYLINDER_TOLERANCE_ML[self.glass_class].get(self._capacity)})

    @classmethod
    def _from_record(cls, data: dict[str, Any]) -> GraduatedCylinder:
        return cls(data["capacity"], glass_class=data["glass_class"],
                   graduation=given(data, "graduation"), tolerance_ml=given(data, "tolerance_ml"))


def _flask_tolerance(capacity: Fraction, glass_class: str) -> Fraction | None:
    """The class A or B tolerance of a flask of ``capacity`` mL, or None if unknown."""
    tol = FLASK_TOLERANCE_ML.get(capacity)
    if tol is None or glass_class == "A":
        return tol
    return FLASK_CLASS_B_FACTOR * tol


@_accepts_old_tolerance
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
    tolerance_ml : str or pint.Quantity, optional  [volume]
        Absolute tolerance; default from the class for 25, 50 and 100 mL. Was
        ``tolerance`` (still accepted, with a DeprecationWarning).
    """

    _capacity: Fraction = attrs.field(  # type: ignore[assignment]
        default="100 mL", alias="capacity", converter=_to_capacity)
    glass_class: str = attrs.field(default="A", kw_only=True, converter=_glass_class)
    _tolerance: Fraction | None = attrs.field(
        default=None, kw_only=True, alias="tolerance_ml",
        converter=_to_tolerance_ml)

    def __attrs_post_init__(self) -> None:
        cap = self._capacity
        if cap > 2000:
            raise InputError("capacity", format_volume_exact(cap), "a flask of at most 2,000 mL")
        if self._tolerance is None:
            tol = _flask_tolerance(cap, self.glass_class)
            if tol is None:
                raise InputError("tolerance_ml", None,
                                 f"the tolerance of a {format_volume(cap)} flask (known only "
                                 "for 25, 50 and 100 mL)")
            object.__setattr__(self, "_tolerance", tol)
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
        """One line: ``50 mL class A volumetric flask (+/-0.05 mL)``."""
        return (f"{format_volume(self._capacity)} volumetric flask (class {self.glass_class}), "
                f"+/-{format_volume(self.tolerance_ml)}")

    def report(self) -> Report:
        """The rows every display shows (text, notebook HTML), as a ``Report``."""
        return Report(title=sentence(self.describe()))

    RECORD = "volumetric_flask"
    RENAMED: ClassVar[dict[str, str]] = {"tolerance": "tolerance_ml"}
    DEFAULTS: ClassVar[dict[str, Any]] = {"tolerance_ml_default": False}

    def to_dict(self) -> dict[str, Any]:
        """The ``ldn_compound/volumetric_flask@1`` record (exact; the tolerance used)."""
        return stamp(self.RECORD, {
            "type": "volumetric_flask", "capacity": f"{exact_text(self._capacity)} mL",
            "glass_class": self.glass_class,
            "tolerance_ml": f"{exact_text(self.tolerance_ml)} mL",
            "tolerance_ml_default": self.tolerance_ml == _flask_tolerance(self._capacity,
                                                                          self.glass_class)})

    @classmethod
    def _from_record(cls, data: dict[str, Any]) -> VolumetricFlask:
        return cls(data["capacity"], glass_class=data["glass_class"],
                   tolerance_ml=given(data, "tolerance_ml"))


#: One item of equipment a dilution may use.
Equipment = OralSyringe | GraduatedCylinder | VolumetricFlask


#: Syringe sizes (ISMP) in the default equipment, mL: the 1 to 10 mL ones.
DEFAULT_SYRINGES_ML = tuple(c for c in SYRINGE_SIZES_ML if 1 <= c <= 10)
#: Cylinder sizes in the default equipment, mL: every size with ASTM E694 figures.
DEFAULT_CYLINDERS_ML = tuple(sorted(CYLINDER_TOLERANCE_ML["B"]))


def _default_equipment() -> tuple[Equipment, ...]:
    # ISMP syringe sizes, typical graduations (references: 'ismp-oral-syringes'), and
    # class B cylinders (ASTM E694): what a compounding pharmacy has to hand.
    syringes = tuple(OralSyringe(capacity=Exact(c, VOLUME)) for c in DEFAULT_SYRINGES_ML)
    cylinders = tuple(GraduatedCylinder(Exact(c, VOLUME)) for c in DEFAULT_CYLINDERS_ML)
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
    return item.capacity_ml * MIN_FILL


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
    first = ceil_div(item.capacity_ml * MIN_FILL / g)
    last = int(item.capacity_ml // g)
    return [n * g for n in range(first, last + 1)]


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
        return device_volume_error(item)
    return item.tolerance_ml / volume_ml


def is_transfer(item: Equipment) -> bool:
    """Oral syringes and graduated cylinders measure transfers."""
    return isinstance(item, (OralSyringe, GraduatedCylinder))


def is_container(item: Equipment) -> bool:
    """Graduated cylinders and volumetric flasks are made up to volume in."""
    return isinstance(item, (GraduatedCylinder, VolumetricFlask))


def equipment_from_dict(data: dict[str, Any]) -> Equipment:
    """Rebuild an item from its ``to_dict()`` record."""
    kind = data.get("type") if isinstance(data, dict) else None
    kind = kind if isinstance(kind, str) else None
    classes: dict[Any, type[Equipment]] = {
        "oral_syringe": OralSyringe, "graduated_cylinder": GraduatedCylinder,
        "volumetric_flask": VolumetricFlask}
    if kind not in classes:
        raise InputError("type", kind,
                         "'oral_syringe', 'graduated_cylinder' or 'volumetric_flask'")
    return classes[kind].from_dict(data)
