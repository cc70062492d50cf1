"""Reading a batch of doses: exact (numerator, denominator) arrays in mg, checked once.

A float dose means, as :func:`~ldn_compound.measure` reads it, the shortest
decimal that prints as it (``0.1`` is 1/10). Float arrays are checked here
and kept as floats (:class:`Floats`): ``_filter`` decides them in float64 and
reads exactly only the doses whose decision that reading could change.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, NamedTuple

from .._exact import refuse_masked, to_fraction
from ..errors import InputError
from ..units import (
    MASS,
    check_plausible,
    expected,
    is_quantity,
    parse,
    quantity_factor,
    unit_factor,
)
from ._kernels import EXACT, Int, exact_floats, largest, np

__all__ = ["Floats", "read_doses", "short"]


class Floats(NamedTuple):
    """Checked float doses ``x`` (in a unit of ``factor`` mg), not yet read exactly."""

    x: Any
    factor: Fraction
    largest: float


def read_doses(doses: Any) -> tuple[Any, Int, tuple[int, ...]]:
    """Exact (numerator, denominator) in mg of every dose, and their shape.

    Float arrays come back as :class:`Floats` (numerator) and None, read
    exactly only when needed; everything else as exact integer arrays.
    """
    if isinstance(doses, str):  # a single dose is a batch of one
        num, den = _from_fractions([parse(doses, MASS, "doses")])
        return num, den, (1,)
    if is_quantity(doses):
        # An exact factor from the caller's unit (any registry): a centigram tie
        # rounds as measure() rounds it, never through a float conversion.
        factor = quantity_factor(doses, MASS, "doses")
        return _magnitudes(doses.magnitude, factor, str(doses.units), doses)
    if isinstance(doses, tuple) and len(doses) == 2 and isinstance(doses[1], str) \
            and not isinstance(doses[0], str):
        factor = unit_factor(doses[1].strip(" \t"), MASS, "doses", doses)
        return _magnitudes(doses[0], factor, doses[1].strip(), doses)
    if type(doses).__module__.partition(".")[0] == "pandas":
        doses = np().asarray(doses)  # a Series, Index or column reads as its numpy array
    if isinstance(doses, np().ndarray) and doses.ndim == 1 and doses.dtype.kind in "OUT":
        doses = doses.tolist()  # text (or quantities), one a dose: read as a list
    if isinstance(doses, np().ndarray) or isinstance(doses, (int, float)) \
            or type(doses).__module__ in ("numpy", "decimal", "fractions"):
        raise InputError("doses", short(doses),
                         f"{expected(MASS)}; bare numbers have no unit: pass (array, 'mg') "
                         "or a Quantity")
    if not isinstance(doses, Sequence) or isinstance(doses, bytes):
        raise InputError("doses", doses,
                         "doses as a Quantity array, (array, 'mg'), or a sequence of "
                         "quantities or strings")
    values = []
    for i, x in enumerate(doses):
        try:
            values.append(parse(x, MASS, "doses"))
        except InputError as exc:
            raise exc.evolve(parameter=f"doses[{i}]") from None
    num, den = _from_fractions(values)
    return num, den, (len(values),)


def short(x: Any) -> Any:
    """An array named by its shape in messages, anything else as it is."""
    return f"array of shape {x.shape}" if hasattr(x, "shape") and x.shape != () else x


def _magnitudes(mag: Any, factor: Fraction, label: str, raw: Any
                ) -> tuple[Any, Int, tuple[int, ...]]:
    refuse_masked(mag, "doses")  # asarray would read the hidden values
    arr = np().asarray(mag)
    if arr.ndim == 0:
        arr = arr.reshape(1)  # a single dose is a batch of one
    kind = arr.dtype.kind
    if kind == "f" and arr.dtype.itemsize <= 8:
        return _float_doses(_float_width(arr), factor, label), None, arr.shape
    if kind in "iu":
        num, den = _int_doses(arr, factor)
    elif kind in "Of":  # Python numbers, Decimals, Fractions; long doubles one by one
        fractions = []
        for i, x in enumerate(arr.reshape(-1)):
            try:
                value = to_fraction(x, f"doses[{i}]") * factor
            except InputError as exc:
                raise exc.evolve(parameter=f"doses[{i}]") from None
            fractions.append(check_plausible(value, MASS, f"doses[{i}]", x))
        num, den = _from_fractions(fractions)
        num, den = num.reshape(arr.shape), den.reshape(arr.shape)
    else:
        raise InputError("doses", short(raw), f"{expected(MASS)}: numbers, not {arr.dtype}")
    return num, den, arr.shape


def _float_width(arr: Any) -> Any:
    """float16/float32 doses as float64 holding the shortest decimal *at their width*.

    ``np.float32(0.35)`` is 0.35 (as :func:`measure` reads it), not 0.3499999940...:
    numpy writes each the shortest text that reads back at its width.
    """
    if arr.dtype.itemsize >= 8:
        return arr
    return arr.astype(str).astype(np().float64)


def _dose_error(i: int, raw: Any, fraction: Fraction | None) -> InputError:
    """The error :func:`measure` raises for this dose, naming its index."""
    parameter = f"doses[{i}]"
    if fraction is None:
        return InputError(parameter, raw, "a finite number")
    try:
        check_plausible(fraction, MASS, parameter, raw)
    except InputError as exc:
        return exc
    raise AssertionError("unreachable: the dose passed the check")  # pragma: no cover


def _from_fractions(values: Sequence[Fraction]) -> tuple[Int, Int]:
    num = np().empty(len(values), dtype=object)
    den = np().empty(len(values), dtype=object)
    num[:] = [v.numerator for v in values]
    den[:] = [v.denominator for v in values]
    return exact_floats(num), exact_floats(den)


def _float_doses(mag: Any, factor: Fraction, raw_unit: str) -> Floats:
    """Float doses in a unit of ``factor`` mg, checked as :func:`measure` checks one."""
    n = np()
    d = n.asarray(mag, dtype=n.float64)
    flat = d.reshape(-1)
    if flat.size:
        lo, hi = float(flat.min()), float(flat.max())
        if not (math.isfinite(lo) and math.isfinite(hi) and lo > 0):
            bad = ~(n.isfinite(flat) & (flat > 0))
            i = int(n.argmax(bad))
            x = float(flat[i])
            raise _dose_error(i, f"{x!r} {raw_unit}",
                              Fraction(repr(x)) * factor if math.isfinite(x) else None)
        for x, where in ((lo, n.argmin), (hi, n.argmax)):
            try:
                check_plausible(Fraction(repr(x)) * factor, MASS, "doses", x)
            except InputError:  # name the element only now: argmin is another pass
                i = int(where(flat))
                check_plausible(Fraction(repr(x)) * factor, MASS, f"doses[{i}]",
                                f"{x!r} {raw_unit}")
    return Floats(d, factor, hi if flat.size else 0.0)


def _int_doses(mag: Any, factor: Fraction) -> tuple[Int, Int]:
    n = np()
    d = n.asarray(mag)
    flat = d.reshape(-1)
    if flat.size:
        if int(flat.min()) <= 0:
            i = int(n.argmax(flat <= 0))
            raise _dose_error(i, int(flat[i]), Fraction(int(flat[i])))
        for i in (int(n.argmin(flat)), int(n.argmax(flat))):
            check_plausible(int(flat[i]) * factor, MASS, f"doses[{i}]", int(flat[i]))
    if largest(d) * factor.numerator < EXACT:
        return d.astype(n.float64) * factor.numerator, factor.denominator
    return n.asarray(d, dtype=object) * factor.numerator, factor.denominator
