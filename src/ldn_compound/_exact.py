"""Exact numbers: decimal text and numbers to Fractions, rounding, safe writing.

Everything that decides a count works on :class:`fractions.Fraction`, so a
decimal input means what it says (``0.1`` is 1/10, not the nearest binary
float) and ties are broken exactly.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Literal

from .errors import InputError

Rounding = Literal["nearest", "down", "up"]
ROUNDING_MODES: tuple[str, ...] = ("nearest", "down", "up")

# A plain decimal number: digits first (a leading zero is required, as in safe
# dose writing), no thousands separators, optional exponent.
NUMBER = r"[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?"
_NUMBER_RE = re.compile(rf"\s*({NUMBER})\s*")
_RATIO_RE = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


def number_problem(text: str) -> str | None:
    """Say what is wrong with a number written as text, or None if nothing known."""
    stripped = text.strip()
    if not stripped:
        return "a number, got empty text"
    low = stripped.lower()
    if low.lstrip("+-").startswith(("nan", "inf")):
        return "a finite number"
    if stripped.startswith((".", "-.", "+.")):
        return "a leading zero (write 0.5, not .5)"
    if "," in stripped:
        return "digits without commas (write 4.5, not 4,5; 1000, not 1,000)"
    return None


def fraction_from_text(text: str, parameter: str, expected: str) -> Fraction:
    """Parse a plain decimal (``"4.5"``) or ratio (``"20/3"``) exactly."""
    m = _NUMBER_RE.fullmatch(text)
    if m:
        return Fraction(m.group(1))
    m = _RATIO_RE.fullmatch(text)
    if m and int(m.group(2)) != 0:
        return Fraction(int(m.group(1)), int(m.group(2)))
    raise InputError(parameter, text, number_problem(text) or expected)


def to_fraction(value: object, parameter: str, expected: str = "a number") -> Fraction:
    """Convert a plain number (int, float, Decimal, Fraction, numeric text) exactly.

    A float is read as the shortest decimal that prints as it (``0.1`` -> 1/10):
    that is what the person who typed it meant.
    """
    if isinstance(value, bool):
        raise InputError(parameter, value, expected + ", not a boolean")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(parameter, value, "a finite number")
        return Fraction(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InputError(parameter, value, "a finite number")
        return Fraction(value)
    if isinstance(value, str):
        return fraction_from_text(value, parameter, expected)
    # numpy scalars and other numbers that know how to become a float or int
    kind = type(value).__module__
    if kind == "numpy":
        if hasattr(value, "dtype") and value.dtype.kind in "iu":
            return Fraction(int(value))  # type: ignore[call-overload]
        if hasattr(value, "dtype") and value.dtype.kind == "f":
            return to_fraction(float(value), parameter, expected)  # type: ignore[arg-type]
    raise InputError(parameter, value, expected)


def round_to_int(x: Fraction, mode: str) -> int:
    """Round a non-negative exact value to a whole count.

    ``nearest`` breaks ties away from zero (2.5 -> 3; Python's round() would
    give 2); ``down`` never exceeds ``x``; ``up`` never falls short of it.
    """
    return round_ratio(x.numerator, x.denominator, mode)


def round_ratio(num: int, den: int, mode: str) -> int:
    """:func:`round_to_int` of ``num / den``: ``num >= 0``, ``den > 0``, not necessarily reduced."""
    if mode == "nearest":
        return (2 * num + den) // (2 * den)
    if mode == "down":
        return num // den
    if mode == "up":
        return -(-num // den)
    raise InputError("rounding", mode, "one of 'nearest', 'down', 'up'")


def check_rounding(mode: object) -> str:
    """Validate a rounding mode name."""
    if not isinstance(mode, str) or mode not in ROUNDING_MODES:
        raise InputError("rounding", mode, "one of 'nearest', 'down', 'up'")
    return mode


def _decimal(x: Fraction) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 40
        return Decimal(x.numerator) / Decimal(x.denominator)


def format_number(x: Fraction | int | float, sig: int = 4) -> str:
    """Write a number safely: leading zero, no trailing zero, thousands commas.

    Rounds half up to ``sig`` significant digits (display only; decisions are
    made on the exact value).
    """
    fx = x if isinstance(x, Fraction) else Fraction(repr(x) if isinstance(x, float) else x)
    if fx == 0:
        return "0"
    d = _decimal(abs(fx))
    with localcontext() as ctx:
        ctx.prec = 60
        exponent = d.adjusted() - sig + 1
        q = d.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)
        if q.adjusted() - sig + 1 > exponent:  # 9.9995 -> 10.00: one digit fewer
            q = d.quantize(Decimal(1).scaleb(exponent + 1), rounding=ROUND_HALF_UP)
        text = f"{q.normalize():,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return ("-" if fx < 0 else "") + text


def exact_text(x: Fraction) -> str:
    """Write an exact value with no loss: a terminating decimal, else ``a/b``."""
    den = x.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    if den != 1:
        return f"{x.numerator}/{x.denominator}"
    text = f"{_decimal(x).normalize():f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_percent(x: Fraction, sig: int = 3) -> str:
    """A signed percentage, ``+2.5 %``, ``-10 %`` or ``0 %``."""
    if x == 0:
        return "0 %"
    sign = "+" if x > 0 else "-"
    return f"{sign}{format_number(abs(x) * 100, sig)} %"


def ceil_div(x: Fraction) -> int:
    """The smallest integer not below ``x``, exactly (``math.ceil`` goes through a float)."""
    return -(-x.numerator // x.denominator)
