"""Measuring devices: what they can measure, how finely, and how accurately.

Every device offers the same few exact values that :func:`~ldn_compound.measure`
needs: ``unit_volume_ml`` (one drop or one graduation, mL), ``capacity_ml``
(most it measures at once, mL, or None), ``volume_error`` (relative volume
error) and the singular and plural name of its unit.
"""

from __future__ import annotations

import warnings
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

import attrs

from ._convert import UNSET, fraction_between, renamed, whole_number
from ._exact import exact_text, format_number, to_fraction
from ._records import given, stamp
from ._tables import (
    CALIBRATED_DROPPER_TOLERANCE,
    SYRINGE_TOLERANCE,
    TYPICAL_SYRINGE_GRADUATION_ML,
    USP_DROPPER_TOLERANCE,
    USP_DROPS_PER_ML,
)
from .errors import InputError
from .rendering import Rendered, Report, format_volume, format_volume_exact, sentence
from .types import CountLike, RatioLike, VolumeLike
from .units import VOLUME, parse, to_quantity

if TYPE_CHECKING:
    import pint

__all__ = [
    "Device",
    "Dropper",
    "OralSyringe",
    "checked_device",
    "device_from_dict",
    "device_volume_error",
    "is_device",
]


@runtime_checkable
class Device(Protocol):
    """What :func:`~ldn_compound.measure` needs to know about a device."""

    @property
    def unit_volume_ml(self) -> Fraction:
        """Exact mL in one drop or graduation."""

    @property
    def capacity_ml(self) -> Fraction | None:
        """Largest volume measured at once, exact mL; None for no limit."""

    @property
    def volume_error(self) -> Fraction:
        """Relative error of the volume measured (0.1 is +/-10 %)."""

    @property
    def unit(self) -> str:
        """One unit, as written: ``drop`` or ``graduation``."""

    @property
    def units(self) -> str:
        """Several units, as written: ``drops`` or ``graduations``."""

    def describe(self) -> str:
        """One line for people, e.g. ``dropper, 20 drops/mL +/-10 %``."""

    def to_dict(self) -> dict[str, Any]:
        """The device as plain data (``devices.device_from_dict`` reads it back)."""


@runtime_checkable
class _OldDevice(Protocol):
    """A caller's device written before ``tolerance`` became ``volume_error``."""

    @property
    def unit_volume_ml(self) -> Fraction: ...

    @property
    def capacity_ml(self) -> Fraction | None: ...

    @property
    def tolerance(self) -> Fraction: ...

    @property
    def unit(self) -> str: ...

    @property
    def units(self) -> str: ...

    def describe(self) -> str: ...

    def to_dict(self) -> dict[str, Any]: ...


def is_device(obj: object) -> bool:
    """True for a :class:`Device`, including a caller's own one that names its
    volume error ``tolerance`` (the deprecated name)."""
    return type(obj) in (Dropper, OralSyringe) or isinstance(obj, (Device, _OldDevice))


def checked_device(value: object, parameter: str = "device") -> Device:
    """``value`` if it is a device whose numbers are exact and sane, else an InputError.

    The library's own devices are checked when built; a caller's own class
    satisfying :class:`Device` is checked here, once, at the boundary: its
    ``unit_volume_ml`` must be an exact positive number (int or Fraction, not a
    float: the count is decided exactly), ``capacity_ml`` None or exact and
    positive, and its volume error an exact fraction below 1 (so bounds stay
    positive).
    """
    if type(value) in (Dropper, OralSyringe):
        return value  # type: ignore[return-value]
    if not is_device(value):
        raise InputError(parameter, value, "a Dropper or OralSyringe (or a Device)")
    device: Device = value  # type: ignore[assignment]
    uv, cap = device.unit_volume_ml, device.capacity_ml
    error = device_volume_error(device)
    exact = (int, Fraction)
    problems = []
    if isinstance(uv, bool) or not isinstance(uv, exact) or not 0 < uv <= 1000:
        problems.append("unit_volume_ml an exact positive number of mL (int or Fraction)")
    if cap is not None and (isinstance(cap, bool) or not isinstance(cap, exact) or cap <= 0):
        problems.append("capacity_ml None or an exact positive number of mL")
    if isinstance(error, bool) or not isinstance(error, exact) or not 0 <= error < 1:
        problems.append("volume_error an exact fraction from 0 to below 1")
    if problems:
        raise InputError(parameter, value, "a Device with " + "; ".join(problems))
    return device


def device_volume_error(device: Device) -> Fraction:
    """A device's relative volume error, read the one way every path reads it.

    A caller's own device that has only the deprecated ``tolerance`` still
    works, with a DeprecationWarning.
    """
    if type(device) in (Dropper, OralSyringe):
        return device.volume_error
    try:
        return device.volume_error
    except AttributeError:
        old: Fraction = getattr(device, "tolerance")  # noqa: B009 - not in the protocol
        warnings.warn(f"{type(device).__name__}.tolerance is deprecated: name a device's "
                      "relative volume error volume_error", DeprecationWarning, stacklevel=2)
        return old


def _drops_per_ml(value: RatioLike) -> Fraction:
    expected = "drops per mL as a plain number from 1 to 100 (USP dropper: 20)"
    x = to_fraction(value, "drops_per_mL", expected)
    if not 1 <= x <= 100:
        raise InputError("drops_per_mL", value, expected)
    return x


# Named converters (mypy's attrs plugin reads only named functions).
_volume_error = fraction_between("volume_error", Fraction(0), Fraction(1, 2))
_max_drops = whole_number("max_drops", 1, 10_000)


def _to_volume_error(value: RatioLike) -> Fraction:
    return _volume_error(value)


def _deprecated_tolerance(owner: object) -> Fraction:
    warnings.warn(f"{type(owner).__name__}.tolerance is deprecated: read volume_error",
                  DeprecationWarning, stacklevel=3)
    return owner.volume_error  # type: ignore[attr-defined, no-any-return]


def _to_max_drops(value: CountLike | None) -> int | None:
    return None if value is None else _max_drops(value)


def _to_capacity(value: VolumeLike) -> Fraction:
    return parse(value, VOLUME, "capacity")


def _to_graduation(value: VolumeLike | None) -> Fraction | None:
    return None if value is None else parse(value, VOLUME, "graduation")


@attrs.frozen(repr=False, init=False)
class Dropper(Rendered):
    """A medicine dropper.

    Parameters
    ----------
    drops_per_mL : number, default 20  [1/volume, drops per mL]
        Drops that make 1 mL. The default is the USP <1101> medicine dropper
        (45-55 mg of water per drop, nominal 20 drops/mL).
    volume_error : number, default 0.1  [dimensionless]
        Relative error of one drop's volume: USP <1101>, +/-10 %. (Was
        ``tolerance``, still accepted with a DeprecationWarning.)
    max_drops : int, optional  [count]
        Most drops counted for one dose; no limit unless given.
    """

    drops_per_mL: Fraction = attrs.field(converter=_drops_per_ml)
    volume_error: Fraction = attrs.field(converter=_to_volume_error)
    max_drops: int | None = attrs.field(converter=_to_max_drops)

    def __init__(self, drops_per_mL: RatioLike = USP_DROPS_PER_ML,
                 volume_error: RatioLike = UNSET, max_drops: CountLike | None = None, *,
                 tolerance: RatioLike = UNSET) -> None:
        error = renamed("Dropper", "tolerance", "volume_error", tolerance, volume_error,
                        USP_DROPPER_TOLERANCE)
        self.__attrs_init__(drops_per_mL, error, max_drops)

    @property
    def tolerance(self) -> Fraction:
        """Deprecated name of ``volume_error``."""
        return _deprecated_tolerance(self)

    @classmethod
    def calibrate(
        cls, *, drops: CountLike, volume: VolumeLike, volume_error: RatioLike = UNSET,
        max_drops: CountLike | None = None, tolerance: RatioLike = UNSET,
    ) -> Dropper:
        """A dropper calibrated by counting drops to a graduation mark.

        Parameters
        ----------
        drops : int  [count]
            Drops counted, e.g. 35.
        volume : str or pint.Quantity  [volume]
            The mark they filled, e.g. ``"2 mL"``.
        volume_error : number, default 0.15  [dimensionless]
            USP <1101>: a calibrated dropper should not err by more than 15 %.
            (Was ``tolerance``, still accepted with a DeprecationWarning.)
        max_drops : int, optional  [count]
            As for :class:`Dropper`.

        Examples
        --------
        >>> Dropper.calibrate(drops=35, volume="2 mL").drops_per_mL
        Fraction(35, 2)
        """
        error = renamed("Dropper.calibrate", "tolerance", "volume_error", tolerance,
                        volume_error, CALIBRATED_DROPPER_TOLERANCE)
        n = whole_number("drops", 1, 10_000)(drops)
        ml = parse(volume, VOLUME, "volume")
        return cls(drops_per_mL=Fraction(n) / ml, volume_error=error, max_drops=max_drops)

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
        """One line: ``dropper, 20 drops/mL +/-10 %``."""
        limit = "" if self.max_drops is None else f", at most {self.max_drops} drops"
        return (f"dropper, {format_number(self.drops_per_mL)} drops/mL "
                f"+/-{format_number(self.volume_error * 100)} %{limit}")

    def report(self) -> Report:
        """The rows every display shows (text, notebook HTML), as a ``Report``."""
        return Report(title=sentence(self.describe()))

    RECORD = "dropper"
    RENAMED: ClassVar[dict[str, str]] = {"tolerance": "volume_error"}
    DEFAULTS: ClassVar[dict[str, Any]] = {"max_drops": None}

    def to_dict(self) -> dict[str, Any]:
        """The ``ldn_compound/dropper@1`` record (exact fields)."""
        return stamp(self.RECORD, {
            "type": "dropper", "drops_per_mL": exact_text(self.drops_per_mL),
            "volume_error": exact_text(self.volume_error), "max_drops": self.max_drops,
            "drop_volume": f"{exact_text(self.unit_volume_ml)} mL"})

    @classmethod
    def _from_record(cls, data: dict[str, Any]) -> Dropper:
        return cls(drops_per_mL=data["drops_per_mL"], volume_error=data["volume_error"],
                   max_drops=data["max_drops"])


def _typical_graduation(capacity: Fraction) -> Fraction:
    grad = TYPICAL_SYRINGE_GRADUATION_ML.get(capacity)
    if grad is None:
        raise InputError(
            "graduation", None,
            f"the graduation of a {format_volume(capacity)} syringe (typical ones are known "
            "only for 0.5, 1, 3, 5 and 10 mL)",
        )
    return grad


@attrs.frozen(repr=False, init=False)
class OralSyringe(Rendered):
    """A metric oral syringe (ISMP: metric-only, sized to the dose).

    Parameters
    ----------
    capacity : str or pint.Quantity, default "1 mL"  [volume]
        Nominal capacity.
    graduation : str or pint.Quantity, optional  [volume]
        Smallest marked step. Default: the typical graduation of that size
        (1 mL: 0.01 mL; 3 mL: 0.1 mL; 5 and 10 mL: 0.2 mL).
    volume_error : number, default 0.1  [dimensionless]
        Relative volume error. ISO 7886-1's formula is unconfirmed, so this is
        a parameter; the default is the +/-10 % target of Arenas-Lopez et al.
        (Arch Dis Child 2017;102:655). (Was ``tolerance``, still accepted with
        a DeprecationWarning.)
    """

    _capacity: Fraction = attrs.field(alias="capacity", converter=_to_capacity)
    _graduation: Fraction | None = attrs.field(alias="graduation", converter=_to_graduation)
    volume_error: Fraction = attrs.field(converter=_to_volume_error)
    #: whether the graduation came from the typical table (not given): the record says so
    _graduation_default: bool = attrs.field(init=False, default=False, eq=False)

    def __init__(self, capacity: VolumeLike = "1 mL", graduation: VolumeLike | None = None,
                 volume_error: RatioLike = UNSET, *, tolerance: RatioLike = UNSET) -> None:
        error = renamed("OralSyringe", "tolerance", "volume_error", tolerance, volume_error,
                        SYRINGE_TOLERANCE)
        # the default capacity passes through the converter like any input
        self.__attrs_init__(capacity, graduation, error)

    @property
    def tolerance(self) -> Fraction:
        """Deprecated name of ``volume_error``."""
        return _deprecated_tolerance(self)

    def __attrs_post_init__(self) -> None:
        if self._capacity > 100:
            raise InputError("capacity", format_volume_exact(self._capacity),
                             "an oral syringe of at most 100 mL")
        if self._graduation is None:
            object.__setattr__(self, "_graduation", _typical_graduation(self._capacity))
            object.__setattr__(self, "_graduation_default", True)
        steps = self._capacity / self.unit_volume_ml
        if steps.denominator != 1:
            raise InputError(
                "graduation", format_volume_exact(self.unit_volume_ml),
                f"a graduation that divides the capacity {format_volume_exact(self._capacity)}",
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
        """One line: ``1 mL oral syringe, graduated in 0.01 mL, +/-10 %``."""
        return (f"{format_volume(self._capacity)} oral syringe, graduated in "
                f"{format_volume(self.unit_volume_ml)}, "
                f"+/-{format_number(self.volume_error * 100)} %")

    def report(self) -> Report:
        """The rows every display shows (text, notebook HTML), as a ``Report``."""
        return Report(title=sentence(self.describe()))

    RECORD = "oral_syringe"
    RENAMED: ClassVar[dict[str, str]] = {"tolerance": "volume_error"}
    DEFAULTS: ClassVar[dict[str, Any]] = {"graduation_default": False}

    def to_dict(self) -> dict[str, Any]:
        """The ``ldn_compound/oral_syringe@1`` record (exact fields; the graduation used)."""
        return stamp(self.RECORD, {
            "type": "oral_syringe", "capacity": f"{exact_text(self._capacity)} mL",
            "graduation": f"{exact_text(self.unit_volume_ml)} mL",
            "graduation_default": self._graduation_default,
            "volume_error": exact_text(self.volume_error)})

    @classmethod
    def _from_record(cls, data: dict[str, Any]) -> OralSyringe:
        return cls(capacity=data["capacity"], graduation=given(data, "graduation"),
                   volume_error=data["volume_error"])


def device_from_dict(data: dict[str, Any]) -> Device:
    """Rebuild a device from its ``to_dict()`` record (a dropper's or an oral syringe's)."""
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "dropper":
        return Dropper.from_dict(data)
    if kind == "oral_syringe":
        return OralSyringe.from_dict(data)
    raise InputError("type", kind, "'dropper' or 'oral_syringe'")
