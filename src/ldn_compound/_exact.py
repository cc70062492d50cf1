"""Exact numbers: decimal text and numbers to Fractions, rounding, safe writing.

Everything that decides a count works on :class:`fractions.Fraction`, so a
decimal input means what it says (``0.1`` is 1/10, not the nearest binary
float) and ties are broken exactly.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from .errors import InputError

Rounding = Literal["nearest", "down", "up"]
ROUNDING_MODES: tuple[str, ...] = ("nearest", "down", "up")

# The number at the start of a text, in groups: sign, whole digits, fraction digits,
# exponent. Anchored, no nested quantifiers: linear in the text's length.
NUMBER_PREFIX = re.compile(r"([+-]?)([0-9]+)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?")
_RATIO_TAIL = re.compile(r"[ \t]*/[ \t]*([0-9]+)")
#: Longest text read as a number or quantity; checked before anything else.
MAX_TEXT = 256
#: Largest decimal exponent accepted (1e30 mg is already far past any plausible dose).
MAX_EXPONENT = 30
# Decimal inputs: more digits than this are not a dose someone wrote.
_MAX_DIGITS = 400


def safe_text(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters for quoting in a message (repr escapes the rest)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit - 20]}...[{len(text):,} characters]"


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
    if any(c.isdigit() and not "0" <= c <= "9" for c in stripped):
        return "a number in ASCII digits 0-9 (write 4.5)"
    return None


def read_number(text: str, parameter: str) -> tuple[Fraction, int] | None:
    """Read the number at the start of ``text``: (exact value, where it ends), or None.

    Accepts a decimal with an optional exponent (at most :data:`MAX_EXPONENT`) or an
    exact ratio ``a/b`` as :func:`exact_text` writes it. The caller has checked the length.
    """
    m = NUMBER_PREFIX.match(text)
    if m is None:
        return None
    sign, whole, frac, exp = m.groups()
    end = m.end()
    if frac is None and exp is None:
        r = _RATIO_TAIL.match(text, end)
        if r is not None:
            den = int(r.group(1))
            if den == 0:
                raise InputError(parameter, safe_text(text), "a ratio with a denominator "
                                 "above 0 (write 1/3, not 1/0)")
            value = Fraction(int(whole), den)
            return (-value if sign == "-" else value), r.end()
    digits = whole + (frac or "")
    scale = -len(frac or "")
    if exp is not None:
        e = int(exp)
        if abs(e) > MAX_EXPONENT:
            raise InputError(parameter, safe_text(text),
                             f"an exponent from -{MAX_EXPONENT} to {MAX_EXPONENT} (1e"
                             f"{safe_text(exp, 20)} is beyond any dose; write 4.5e-3 or 0.0045)")
        scale += e
    n = int(digits)
    value = Fraction(n * 10**scale) if scale >= 0 else Fraction(n, 10**-scale)
    return (-value if sign == "-" else value), end


# The common dose text: digits, an optional decimal part, optional spaces, a unit of
# letters. Anything else takes the full grammar (read_number and the caller's checks).
_PLAIN = re.compile(r"[ \t\r\n]*([0-9]+)\.?([0-9]*)[ \t]*([A-Za-z]+)[ \t\r\n]*")


def read_plain(text: str, factors: dict[str, Fraction], low: Fraction,
               high: Fraction) -> Fraction | None:
    """``"2.7183 mg"`` times its unit's factor if it lies in [low, high], else None.

    Integer arithmetic until one Fraction at the end (a few microseconds): the
    fast path for the common form; None sends the text to the full grammar,
    which reads the same value or names the problem.
    """
    m = _PLAIN.fullmatch(text)
    factor = None if m is None else factors.get(m.group(3))
    if m is None or factor is None:
        return None
    whole, frac, _ = m.groups()
    num = int(whole + frac) * factor.numerator
    den = 10 ** len(frac) * factor.denominator
    if num > 0 and low.numerator * den <= num * low.denominator \
            and num * high.denominator <= high.numerator * den:
        return Fraction(num, den)
    return None


def fraction_from_text(text: str, parameter: str, expected: str) -> Fraction:
    """Parse a plain decimal (``"4.5"``) or ratio (``"20/3"``) exactly."""
    if len(text) > MAX_TEXT:
        raise InputError(parameter, safe_text(text), f"at most {MAX_TEXT} characters")
    stripped = text.strip(" \t\r\n")
    read = read_number(stripped, parameter)
    if read is not None and read[1] == len(stripped):
        return read[0]
    raise InputError(parameter, safe_text(text), number_problem(text) or expected)


def _many(value: object, parameter: str, expected: str) -> InputError:
    shape = getattr(value, "shape", None)
    what = f"an array of shape {shape}" if shape is not None else f"a {type(value).__name__}"
    return InputError(parameter, what, f"{expected}: one value, not {what} "
                      "(for many doses use measure_many)")


def _decimal_fraction(value: Decimal, parameter: str) -> Fraction:
    if not value.is_finite():
        raise InputError(parameter, value, "a finite number")
    if value.is_zero():
        return Fraction(0)
    digits = len(value.as_tuple().digits)
    if digits > _MAX_DIGITS or abs(value.adjusted()) > MAX_EXPONENT:
        raise InputError(parameter, safe_text(str(value)), f"a number of at most {_MAX_DIGITS} "
                         f"digits with an exponent from -{MAX_EXPONENT} to {MAX_EXPONENT}")
    return Fraction(value)


def _numpy_fraction(value: Any, parameter: str, expected: str) -> Fraction | None:
    """A numpy scalar or array as an exact Fraction; None if it is no numpy number."""
    import numpy as np

    refuse_masked(value, parameter)
    if isinstance(value, (np.timedelta64, np.datetime64)):  # numpy counts these as integers
        raise InputError(parameter, value, f"{expected}, not a numpy {type(value).__name__} "
                         "(a time is no number: write a duration as text, e.g. '14 days')")
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return to_fraction(value[()], parameter, expected)
        raise _many(value, parameter, expected)
    if isinstance(value, np.bool_):
        raise InputError(parameter, value, expected + ", not a boolean")
    if isinstance(value, np.integer):
        return Fraction(int(value))
    if isinstance(value, np.floating):
        if not np.isfinite(value):
            raise InputError(parameter, float(value), "a finite number")
        # (np.float64 is a float, read by to_fraction before this.) The shortest
        # decimal that reads back to this value *at its width*:
        # np.float32(0.35) is 0.35, not its binary expansion 0.3499999940...
        text = np.format_float_scientific(value, unique=True, trim="0")
        return _decimal_fraction(Decimal(text), parameter)
    return None


def refuse_masked(value: Any, parameter: str) -> None:
    """Refuse a numpy masked array with a masked element: what it hides is no dose.

    numpy's own conversions (``asarray``, ``float``) read the hidden data; the
    library never does. The first masked element is named (``doses[0]``).
    """
    import numpy as np

    if isinstance(value, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(value).reshape(-1)
        if mask.any():
            name = f"{parameter}[{int(np.argmax(mask))}]" if np.ndim(value) else parameter
            raise InputError(name, "a masked element", "a value in every element: a masked "
                             "element is no dose (pass arr.compressed() for the unmasked "
                             "ones, or fill it)")


def float_decimal(x: float) -> tuple[int, int]:
    """The shortest decimal that prints as the finite float ``x``: (numerator, 10**k), not reduced.

    The one reading of a float (``0.1`` is 1/10, ``1e-05`` is 1/100000), without
    a Fraction: the batch path reads many floats one by one with it.

    >>> float_decimal(0.1 + 0.2), float_decimal(1.5e16), float_decimal(-2.5)
    ((30000000000000004, 100000000000000000), (15000000000000000, 1), (-25, 10))
    """
    mantissa, _, exponent = float.__repr__(x).partition("e")
    whole, _, digits = mantissa.partition(".")
    k = len(digits) - (int(exponent) if exponent else 0)
    num = int(whole + digits)  # the sign is in ``whole``
    return (num, 10**k) if k >= 0 else (num * 10**-k, 1)


def to_fraction(value: object, parameter: str, expected: str = "a number") -> Fraction:
    """Convert a plain number exactly: the one home for reading numbers.

    Accepts int, float, :class:`~decimal.Decimal`, :class:`~fractions.Fraction`,
    numeric text (``"4.5"``, ``"1/3"``), numpy integer and floating scalars of any
    width and 0-d arrays. A float is read as the shortest decimal that prints as it
    at its own width (``0.1`` -> 1/10, ``np.float32(0.35)`` -> 7/20): that is what
    the person who typed it meant. ``bool`` is refused; arrays and lists are an
    :class:`~ldn_compound.InputError` pointing to ``measure_many``.
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
        return Fraction(*float_decimal(value))  # np.float64 is a float: read as one
    if isinstance(value, Decimal):
        return _decimal_fraction(value, parameter)
    if isinstance(value, str):
        return fraction_from_text(value, parameter, expected)
    if type(value).__module__.startswith("numpy"):  # numpy.ma's arrays too
        found = _numpy_fraction(value, parameter, expected)
        if found is not None:
            return found
    if isinstance(value, (list, tuple)):
        raise _many(value, parameter, expected)
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


def format_number(x: Fraction | int | float, sig: int = 4) -> str:
    """Write a number safely: leading zero, no trailing zero, thousands commas.

    Rounds half up to ``sig`` significant digits, once, from the exact value
    (display only; decisions are made on the exact value). Integer arithmetic on
    the numerator and denominator: no working precision, so a value written with
    any number of digits is rounded as written (1.23449...9 is 1.234, never 1.235).
    """
    fx = x if isinstance(x, Fraction) else (
        Fraction(float.__repr__(x)) if isinstance(x, float) else Fraction(x))
    if fx == 0:
        return "0"
    num, den = abs(fx.numerator), fx.denominator
    # e with 10**e <= |x| < 10**(e + 1): the digit counts give e or e + 1.
    e = len(str(num)) - len(str(den))
    if num * 10 ** max(-e, 0) < den * 10 ** max(e, 0):
        e -= 1
    places = sig - 1 - e  # digits after the point (negative: whole tens, hundreds...)
    n = round_ratio(num * 10 ** max(places, 0), den * 10 ** max(-places, 0), "nearest")
    if places <= 0:  # 9.9995 to 4 figures is 10.00: the zeros a carry adds are dropped
        text = f"{n * 10 ** -places:,}"
    else:
        whole, frac = divmod(n, 10**places)
        digits = str(frac).rjust(places, "0").rstrip("0")
        text = f"{whole:,}" + ("." + digits if digits else "")
    return ("-" if fx < 0 else "") + text


def exact_text(x: Fraction) -> str:
    """Write an exact value with no loss: a terminating decimal, else ``a/b``."""
    den, places = x.denominator, 0
    for p in (2, 5):
        k = 0
        while den % p == 0:
            den //= p
            k += 1
        places = max(places, k)
    if den != 1:
        return f"{x.numerator}/{x.denominator}"
    # Integers only: x * 10**places is whole, so every digit is written (no context precision).
    digits = str(abs(x.numerator) * 10**places // x.denominator).rjust(places + 1, "0")
    whole, frac = digits[:len(digits) - places], digits[len(digits) - places:].rstrip("0")
    return ("-" if x < 0 else "") + whole + ("." + frac if frac else "")


def format_percent(x: Fraction, sig: int = 3) -> str:
    """A signed percentage, ``+2.5 %``, ``-10 %`` or ``0 %``."""
    if x == 0:
        return "0 %"
    sign = "+" if x > 0 else "-"
    return f"{sign}{format_number(abs(x) * 100, sig)} %"


def ceil_div(x: Fraction) -> int:
    """The smallest integer not below ``x``, exactly (``math.ceil`` goes through a float)."""
    return -(-x.numerator // x.denominator)
