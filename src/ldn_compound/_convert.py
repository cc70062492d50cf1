"""attrs converters that parse and check a value once, at the boundary."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from ._exact import exact_text, format_number, fraction_from_text, safe_text, to_fraction
from .errors import ErrorKind, InputError


def fraction_between(
    parameter: str, low: Fraction, high: Fraction, *, include_low: bool = True
) -> Callable[[Any], Fraction]:
    """Converter for a ratio: a fraction (``0.1``) or a percentage as text (``"10 %"``).

    The one home for ratio parameters (tolerances, overage, purity, reductions):
    the value must lie in ``[low, high)`` (``(low, high)`` without ``include_low``).
    A bare number that only fits read as a percentage (``5`` for a tolerance) is an
    error showing both readings, never a guess.
    """
    lo, hi = format_number(low), format_number(high)
    example = format_number(min(high, max(low, Fraction(1, 10))) * 100)
    expected = (f"a fraction {'from' if include_low else 'above'} {lo} and below {hi}, "
                f"or a percentage such as '{example} %'")

    def fits(x: Fraction) -> bool:
        return (x >= low if include_low else x > low) and x < high

    def convert(value: Any) -> Fraction:
        if isinstance(value, str) and value.rstrip(" \t\r\n").endswith("%"):
            number = value.rstrip(" \t\r\n")[:-1].rstrip(" \t")
            try:
                x = fraction_from_text(number, parameter, expected) / 100
            except InputError as exc:  # quote what was given, not the number part
                raise InputError(parameter, safe_text(value), exc.expected) from None
        else:
            x = to_fraction(value, parameter, expected)
            if not fits(x) and x >= 1:
                as_percent = f"'{exact_text(x)} %'"
                raise InputError(
                    parameter, value,
                    f"{expected}: {exact_text(x / 100)} or {as_percent} if {exact_text(x)} "
                    f"percent is meant; {exact_text(x)} as a fraction would mean "
                    f"{format_number(x * 100)} %",
                )
        if not fits(x):
            raise InputError(parameter, value, expected, kind=ErrorKind.OUT_OF_RANGE)
        return x

    return convert


#: A powder's stated purity (assay): from 50 % to below 103 %.
check_purity = fraction_between("purity", Fraction(1, 2), Fraction(103, 100))
#: An accepted weighing error: above 0 and below 50 %.
check_allowed_error = fraction_between("allowed_error", Fraction(0), Fraction(1, 2),
                                       include_low=False)


def whole_number(parameter: str, low: int, high: int) -> Callable[[Any], int]:
    """Converter: a whole number in ``[low, high]``."""
    expected = f"a whole number from {low} to {high:,}"

    def convert(value: Any) -> int:
        x = to_fraction(value, parameter, expected)
        if x.denominator != 1:
            raise InputError(parameter, value, expected)
        if not low <= x <= high:
            raise InputError(parameter, value, expected, kind=ErrorKind.OUT_OF_RANGE)
        return int(x)

    return convert


def to_doses_per_day(value: Any) -> int:
    """Converter: doses a day, 1 to 12 (a schedule's, a FHIR ``Dosage``'s frequency)."""
    return whole_number("doses_per_day", 1, 12)(value)


def parse_date(value: Any, parameter: str = "start_date") -> dt.date | None:
    """None, a :class:`datetime.date` or ISO text ``"2026-11-22"``."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputError(parameter, value, "a date, or ISO text such as '2026-11-22'")


def optional(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Converter that lets None through."""

    def wrapped(value: Any) -> Any:
        return None if value is None else convert(value)

    return wrapped


class _Unset:
    """The type of :data:`UNSET`."""

    def __repr__(self) -> str:
        return "UNSET"


#: A keyword the caller did not pass (so a renamed keyword can tell old from new).
UNSET: Any = _Unset()


def renamed(where: str, old: str, new: str, old_value: Any, new_value: Any,
            default: Any) -> Any:
    """The value of keyword ``new`` that was called ``old`` (accepted for one release).

    ``old_value`` and ``new_value`` are :data:`UNSET` when not passed. The old
    keyword gives a DeprecationWarning naming the new one; both at once is an
    InputError naming the old one.
    """
    if old_value is UNSET:
        return default if new_value is UNSET else new_value
    if new_value is not UNSET:
        raise InputError(old, old_value, f"{new} only ({old} is its deprecated name)")
    warnings.warn(f"{where}({old}=...) is deprecated: pass {new}=... (same meaning)",
                  DeprecationWarning, stacklevel=3)
    return old_value
