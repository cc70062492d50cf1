"""Measuring devices: what they can measure, how finely, and how accurately.

Every device offers the same few exact values that :func:`~ldn_compound.measure`
needs: ``unit_volume_ml`` (one drop or one graduation, mL), ``capacity_ml``
(most it measures at once, mL, or None), ``tolerance`` (relative volume
error) and the singular and plural name of its unit.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

from ._convert import fraction_between, whole_number
from ._exact import exact_text, format_number, to_fraction
from .errors import InputError
from .rendering import Rendered, Report, format_volume, sentence
from .units import VOLUME, parse, to_quantity

if TYPE_CHECKING:
    import pint

__all__ = ["SYRINGE_SIZES_ML", "Device", "Dropper", "OralSyringe", "device_from_dict"]

# USP <1101>: a medicine dropper delivers 45-55 mg of water per drop held
# vertically: nominal 20 drops/mL, +/-10 %.
USP_DROPS_PER_ML = Fraction(20)
USP_DROPPER_TOLERANCE = Fraction(1, 10)
# USP <1101>: a dropper calibrated with the actual preparation should not err
# by more than 15 % in normal use.
CALIBRATED_DROPPER_TOLERANCE = Fraction(15, 100)

# ISMP: common oral syringe sizes, mL; and typical graduations (lower confidence).
SYRINGE_SIZES_ML = (Fraction(1, 2), Fraction(1), Fraction(3), Fraction(5), Fraction(10),
                    Fraction(20), Fraction(35), Fraction(60))
_TYPICAL_GRADUATION_ML = {Fraction(1, 2): Fraction(1, 100), Fraction(1): Fraction(1, 100),
                          Fraction(3): Fraction(1, 10), Fraction(5): Fraction(1, 5),
                          Fraction(10): Fraction(1, 5)}
# ISO 7886-1's tolerance formula is unconfirmed, so this is only a default:
# Arenas-Lopez et al., Arch Dis Child 2017;102:655 judged 1 mL oral syringes
# against a +/-10 % target (and found 0.1 mL and below failing it).
SYRINGE_TOLERANCE = Fraction(1, 10)
SMALL_SYRINGE_VOLUME_ML = Fraction(1, 10)


@runtime_checkable
class Device(Protocol):
    """What :func:`~ldn_compound.measure` needs to know about a device."""

    @property
    def unit_volume_ml(self) -> Fraction: ...  # exact mL in one drop or graduation

    @property
    def capacity_ml(self) -> Fraction | None: ...

    @property
    def tolerance(self) -> Fraction: ...

    @property
    def unit(self) -> str: ...  # "drop", "graduation"

    @property
    def units(self) -> str: ...  # "drops", "graduations"

    def describe(self) -> str: ...

    def to_dict(self) -> dict[str, Any]: ...


def _drops_per_ml(value: Any) -> Fraction:
    expected = "drops per mL as a plain number from 1 to 100 (USP dropper: 20)"
    x = to_fraction(value, "drops_per_mL", expected)
    if not 1 <= x <= 100:
        raise InputError("drops_per_mL", value, expected)
    return x


# Named converters (mypy's attrs plugin reads only named functions).
_tolerance = fraction_between("tolerance", Fraction(0), Fraction(1, 2))
_max_drops = whole_number("max_drops", 1, 10_000)


def _to_tolerance(value: Any) -> Fraction:
    return _tolerance(value)


def _to_max_drops(value: Any) -> int | None:
    return None if value is None else _max_drops(value)


def _to_capacity(value: Any) -> Fraction:
    return parse(value, VOLUME, "capacity")


def _to_graduation(value: Any) -> Fraction | None:
    return None if value is None else parse(value, VOLUME, "graduation")


@attrs.frozen(repr=False)
class Dropper(Rendered):
    """A medicine dropper.

    Parameters
    ----------
    drops_per_mL : number, default 20  [1/volume, drops per mL]
        Drops that make 1 mL. The default is the USP <1101> medicine dropper
        (45-55 mg of water per drop, nominal 20 drops/mL).
    tolerance : number, default 0.1  [dimensionless]
        Relative error of one drop's volume: USP <1101>, +/-10 %.
    max_drops : int, optional  [count]
        Most drops counted for one dose; no limit unless given.
    """

    drops_per_mL: Fraction = attrs.field(default=USP_DROPS_PER_ML, converter=_drops_per_ml)
    tolerance: Fraction = attrs.field(default=USP_DROPPER_TOLERANCE, converter=_to_tolerance)
    max_drops: int | None = attrs.field(default=None, converter=_to_max_drops)

    @classmethod
    def calibrate(
        cls, *, drops: Any, volume: Any, tolerance: Any = CALIBRATED_DROPPER_TOLERANCE,
        max_drops: Any = None,
    ) -> Dropper:
        """A dropper calibrated by counting drops to a graduation mark.

        Parameters
        ----------
        drops : int  [count]
            Drops counted, e.g. 35.
        volume : str or pint.Quantity  [volume]
            The mark they filled, e.g. ``"2 mL"``.
        tolerance : number, default 0.15  [dimensionless]
            USP <1101>: a calibrated dropper should not err by more than 15 %.

        Examples
        --------
        >>> Dropper.calibrate(drops=35, volume="2 mL").drops_per_mL
        Fraction(35, 2)
        """
        n = whole_number("drops", 1, 10_000)(drops)
        ml = parse(volume, VOLUME, "volume")
        return cls(drops_per_mL=Fraction(n) / ml, tolerance=tolerance, max_drops=max_drops)

    @property
    def unit_volume_ml(self) -> Fraction:
        """Exact volume of one drop, mL."""
        return 1 / self.drops_per_mL

    @property
    def capacity_ml(self) -> Fraction | None:
        """``max_drops`` as a volume, mL, or None for no limit."""
        return None if self.max_drops is None else self.max_drops / self.drops_per_mL

    @property
    def capacity(self) -> pint.Quantity | None:
        """Most volume measured for one dose [volume, mL], or None."""
        c = self.capacity_ml
        return None if c is None else to_quantity(c, VOLUME)

    @property
    def smallest_measurable(self) -> pint.Quantity:
        """One drop [volume, mL]."""
        return to_quantity(self.unit_volume_ml, VOLUME)

    unit = "drop"
    units = "drops"

    def describe(self) -> str:
        limit = "" if self.max_drops is None else f", at most {self.max_drops} drops"
        return (f"dropper, {format_number(self.drops_per_mL)} drops/mL "
                f"+/-{format_number(self.tolerance * 100)} %{limit}")

    def report(self) -> Report:
        return Report(title=sentence(self.describe()))

    def to_dict(self) -> dict[str, Any]:
        return {"type": "dropper", "drops_per_mL": exact_text(self.drops_per_mL),
                "tolerance": exact_text(self.tolerance), "max_drops": self.max_drops}


def _typical_graduation(capacity: Fraction) -> Fraction:
    grad = _TYPICAL_GRADUATION_ML.get(capacity)
    if grad is None:
        raise InputError(
            "graduation", None,
            f"the graduation of a {format_volume(capacity)} syringe (typical ones are known "
            "only for 0.5, 1, 3, 5 and 10 mL)",
        )
    return grad


@attrs.frozen(repr=False)
class OralSyringe(Rendered):
    """A metric oral syringe (ISMP: metric-only, sized to the dose).

    Parameters
    ----------
    capacity : str or pint.Quantity, default "1 mL"  [volume]
        Nominal capacity.
    graduation : str or pint.Quantity, optional  [volume]
        Smallest marked step. Default: the typical graduation of that size
        (1 mL: 0.01 mL; 3 mL: 0.1 mL; 5 and 10 mL: 0.2 mL).
    tolerance : number, default 0.1  [dimensionless]
        Relative volume error. ISO 7886-1's formula is unconfirmed, so this is
        a parameter; the default is the +/-10 % target of Arenas-Lopez et al.
        (Arch Dis Child 2017;102:655).
    """

    # The default passes through the converter like any input (attrs converts defaults).
    _capacity: Fraction = attrs.field(
        default="1 mL",  # type: ignore[assignment]
        alias="capacity",
        converter=_to_capacity,
    )
    _graduation: Fraction | None = attrs.field(
        default=None, alias="graduation", converter=_to_graduation
    )
    tolerance: Fraction = attrs.field(default=SYRINGE_TOLERANCE, converter=_to_tolerance)

    def __attrs_post_init__(self) -> None:
        if self._capacity > 100:
            raise InputError("capacity", format_volume(self._capacity),
                             "an oral syringe of at most 100 mL")
        if self._graduation is None:
            object.__setattr__(self, "_graduation", _typical_graduation(self._capacity))
        steps = self._capacity / self.unit_volume_ml
        if steps.denominator != 1:
            raise InputError(
                "graduation", format_volume(self.unit_volume_ml),
                f"a graduation that divides the capacity {format_volume(self._capacity)}",
            )

    @property
    def unit_volume_ml(self) -> Fraction:
        """Exact volume of one graduation, mL."""
        assert self._graduation is not None  # set in __attrs_post_init__
        return self._graduation

    @property
    def capacity_ml(self) -> Fraction:
        """Nominal capacity, mL."""
        return self._capacity

    @property
    def capacity(self) -> pint.Quantity:
        """Nominal capacity [volume, mL]."""
        return to_quantity(self._capacity, VOLUME)

    @property
    def graduation(self) -> pint.Quantity:
        """Smallest marked step [volume, mL]."""
        return to_quantity(self.unit_volume_ml, VOLUME)

    @property
    def smallest_measurable(self) -> pint.Quantity:
        """One graduation [volume, mL]."""
        return self.graduation

    unit = "graduation"
    units = "graduations"

    def describe(self) -> str:
        return (f"{format_volume(self._capacity)} oral syringe, graduated in "
                f"{format_volume(self.unit_volume_ml)}, +/-{format_number(self.tolerance * 100)} %")

    def report(self) -> Report:
        return Report(title=sentence(self.describe()))

    def to_dict(self) -> dict[str, Any]:
        return {"type": "oral_syringe", "capacity": f"{exact_text(self._capacity)} mL",
                "graduation": f"{exact_text(self.unit_volume_ml)} mL",
                "tolerance": exact_text(self.tolerance)}


def device_from_dict(data: dict[str, Any]) -> Device:
    """Rebuild a device from its ``to_dict()`` form."""
    kind = data.get("type") if isinstance(data, dict) else None
    fields = {k: v for k, v in data.items() if k != "type"} if isinstance(data, dict) else {}
    if kind == "dropper":
        return Dropper(**fields)
    if kind == "oral_syringe":
        return OralSyringe(**fields)
    raise InputError("type", kind, "'dropper' or 'oral_syringe'")
