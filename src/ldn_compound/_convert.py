"""attrs converters that parse and check a value once, at the boundary."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from ._exact import to_fraction
from .errors import InputError
from .units import parse


def quantity(dimension: str, parameter: str) -> Callable[[Any], Fraction]:
    """Converter: any accepted quantity -> exact magnitude in the fixed unit."""

    def convert(value: Any) -> Fraction:
        return parse(value, dimension, parameter)

    convert.__name__ = f"to_{dimension}"
    return convert


def fraction_between(
    parameter: str, low: Fraction, high: Fraction, *, include_low: bool = True
) -> Callable[[Any], Fraction]:
    """Converter: a plain number in ``[low, high)`` (or ``(low, high)``) as a Fraction."""
    expected = f"a number {'from' if include_low else 'above'} {low} and below {high}"

    def convert(value: Any) -> Fraction:
        x = to_fraction(value, parameter, expected)
        if not ((x >= low if include_low else x > low) and x < high):
            raise InputError(parameter, value, expected)
        return x

    return convert


def whole_number(parameter: str, low: int, high: int) -> Callable[[Any], int]:
    """Converter: a whole number in ``[low, high]``."""
    expected = f"a whole number from {low} to {high:,}"

    def convert(value: Any) -> int:
        x = to_fraction(value, parameter, expected)
        if x.denominator != 1 or not low <= x <= high:
            raise InputError(parameter, value, expected)
        return int(x)

    return convert


def optional(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Converter that lets None through."""

    def wrapped(value: Any) -> Any:
        return None if value is None else convert(value)

    return wrapped
