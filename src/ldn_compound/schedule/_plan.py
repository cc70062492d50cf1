"""Reading a schedule's inputs once: days, dates, the plan, and the renamed keyword.

Everything a schedule is built from passes through here at the boundary; the
rest of the package works on the exact values these return.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .._convert import UNSET as _UNSET
from .._convert import fraction_between, parse_date, to_doses_per_day, whole_number
from .._rules import ROUNDING_WARNING
from .._text import MAX_PROSE, check_text
from ..devices import Device, checked_device
from ..errors import ErrorKind, InputError
from ..stock import Stock
from ..units import MASS, TIME, Exact, parse

if TYPE_CHECKING:
    from ..devices import Dropper

__all__ = [
    "DEFAULT_MAX_ROUNDING_ERROR",
    "MAX_STEPS",
    "UNSET",
    "check_device",
    "check_stock",
    "drop_plan",
    "max_rounding_error_from",
    "number_ranges",
    "parse_date",
    "parse_days",
    "to_doses_per_day",
    "to_max_rounding_error",
    "to_plan",
    "whole",
]

#: Default largest accepted rounding error of a step: the rounding warning of
#: :mod:`ldn_compound._rules`, half the 90-110 % potency window (USP <795>).
DEFAULT_MAX_ROUNDING_ERROR = ROUNDING_WARNING
#: More steps than this is taken for a slip in the inputs (a 0.001 mg step).
MAX_STEPS = 500


#: The default of the deprecated ``tolerance`` keyword (the one sentinel, from _convert).
UNSET: Any = _UNSET


def max_rounding_error_from(value: Any, tolerance: Any, where: str) -> Any:
    """``max_rounding_error``, or the deprecated ``tolerance`` keyword it replaced.

    The one place the old name is read: a ``DeprecationWarning`` naming ``where``;
    both at once is an ``InputError``. ``None`` means the default.
    """
    if tolerance is not UNSET:
        warnings.warn(f"{where}(tolerance=...) is deprecated: pass max_rounding_error= "
                      "(the largest accepted rounding error of a step)", DeprecationWarning,
                      stacklevel=3)
        if value is not None:
            raise InputError("tolerance", tolerance, "max_rounding_error or tolerance, not "
                                                     "both (tolerance is deprecated)")
        value = tolerance
    return DEFAULT_MAX_ROUNDING_ERROR if value is None else value


def parse_days(value: Any, parameter: str) -> int:
    """A duration (``"14 days"``, ``"2 weeks"``) as a positive whole number of days."""
    days = parse(value, TIME, parameter)
    if days.denominator != 1:
        raise InputError(parameter, value, "a whole number of days, such as '14 days' or "
                                           "'2 weeks'")
    return int(days)


def whole(value: Any, parameter: str, low: int, high: int) -> int:
    """A whole number in ``[low, high]``."""
    return whole_number(parameter, low, high)(value)


def _dose(dose: Any, parameter: str) -> Fraction:
    if isinstance(dose, Fraction):  # the plan's own exact form (attrs.evolve), mg
        if dose <= 0:
            raise InputError(parameter, dose, "a positive mass", kind=ErrorKind.OUT_OF_RANGE)
        return dose
    return parse(dose, MASS, parameter)


def to_plan(value: Any) -> tuple[tuple[Fraction, int], ...]:
    """Converter: ``[(dose, duration), ...]`` -> exact (mg, days) pairs."""
    expected = "a list of (dose, duration) pairs, e.g. [('1.5 mg', '2 weeks'), ...]"
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InputError("steps", value, expected)
    out = []
    for n, item in enumerate(value):
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            raise InputError(f"steps[{n}]", item, expected)
        dose, days = item
        mg = _dose(dose, f"steps[{n}] dose")
        if isinstance(days, int) and not isinstance(days, bool):
            if days <= 0:
                raise InputError(f"steps[{n}] duration", days, "a positive number of days")
            d = days
        else:
            d = parse_days(days, f"steps[{n}] duration")
        out.append((mg, d))
    if not out:
        raise InputError("steps", value, "at least one (dose, duration) step")
    if len(out) > MAX_STEPS:
        raise InputError("steps", f"{len(out)} steps", f"at most {MAX_STEPS} steps")
    return tuple(out)


def check_stock(value: Any) -> Stock:
    """Converter: a :class:`~ldn_compound.Stock`, or an ``InputError``."""
    if not isinstance(value, Stock):
        raise InputError("stock", value, "a Stock, e.g. Stock.from_tablets('50 mg', '10 mL')")
    return value


#: What a schedule is; the builder that made it sets it, a record stores it.
KINDS = ("ladder", "titration", "taper", "drops")


def to_kind(value: Any) -> str:
    """Converter: one of :data:`KINDS`."""
    if not isinstance(value, str) or value not in KINDS:
        raise InputError("kind", value, "one of " + ", ".join(map(repr, KINDS)))
    return value


def to_name(value: Any) -> str | None:
    """Converter: a schedule's title, free text under the one text rule, or None."""
    return None if value is None else check_text(value, "name", example="'drops-18'")


def to_directions(value: Any, default: str) -> str:
    """Directions for the label, free text under the one text rule; None is ``default``."""
    if value is None:
        return default
    return check_text(value, "directions", example="'by mouth at bedtime'", limit=MAX_PROSE)


def check_device(value: Any) -> Device:
    """Converter: a Dropper or OralSyringe (any :class:`~ldn_compound.devices.Device`)."""
    return checked_device(value)


_max_rounding_error = fraction_between("max_rounding_error", Fraction(0), Fraction(1))


def to_max_rounding_error(value: Any) -> Fraction:
    """Converter: the largest accepted rounding error, a fraction from 0 to below 1."""
    return _max_rounding_error(value)


def number_ranges(numbers: list[int]) -> str:
    """``[1, 2, 3, 5]`` -> ``1 to 3, 5``."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start} to {prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


def drop_plan(stock: Stock, dropper: Dropper, start_drops: Any, step_drops: Any,
              max_drops: Any, every: Any) -> list[tuple[Exact, int]]:
    """The (dose, days) plan of a drop ladder (see :meth:`Schedule.from_drops`)."""
    first = whole(start_drops, "start_drops", 1, 10_000)
    step = whole(step_drops, "step_drops", 1, 10_000)
    last = whole(max_drops, "max_drops", 1, 10_000)
    if last < first:
        raise InputError("max_drops", max_drops, f"at least start_drops ({first})")
    days = parse_days(every, "every")
    per_drop = stock.concentration_mg_per_ml * dropper.unit_volume_ml
    counts = [*range(first, last, step), last]
    if len(counts) > MAX_STEPS:
        raise InputError("step_drops", step_drops, f"a step giving at most {MAX_STEPS} steps")
    return [(Exact(n * per_drop, MASS), days) for n in counts]
