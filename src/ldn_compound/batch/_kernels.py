"""Vectorised exact arithmetic on integer arrays: counts, ratios, rule decisions.

Integers below 2**52 are held exactly in float64, where one IEEE division of
two of them is correctly rounded (what ``float(Fraction)`` gives); above that
bound the same expressions run on Python ints in numpy object arrays (exact,
slower). Every function here checks the bound from the largest values first.

Float doses with one stock and one device take the block-wise path: one loop
over blocks of :data:`BLOCK` elements (:func:`spans`), never over elements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import Any, NamedTuple

__all__ = [
    "BLOCK",
    "EXACT",
    "PLACES",
    "Array",
    "Int",
    "Scaled",
    "as_object",
    "count_units",
    "decide",
    "exact_floats",
    "fused_outputs",
    "largest",
    "np",
    "ratio",
    "scaled",
    "scaled_error",
    "spans",
]

Array = Any  # a numpy array (numpy is imported only inside functions)
Int = Any  # a Python int, a float64 array of exact integers, or an object array of ints

# Integers below this are exact in float64 with room for one doubling (IEEE 754 binary64).
EXACT = 2**52
# Decimal places tried for float doses: milligram doses are written to at most 3 places
# in practice; 12 keeps n = dose * 10**k below 2**52 up to about 4,500 mg.
PLACES = (3, 6, 9, 12)
# Elements per block: a few blocks of scratch stay in cache and no large temporaries
# are allocated.
BLOCK = 1 << 15


def np() -> Any:
    """numpy, imported on first use (``import ldn_compound`` does not load it)."""
    import numpy

    return numpy


def spans(size: int) -> Iterator[tuple[int, int]]:
    """(start, length) of each block of ``size`` elements: the one block loop."""
    for start in range(0, size, BLOCK):
        yield start, min(BLOCK, size - start)


def largest(x: Int) -> int:
    """Largest value of a non-negative Python int or array of exact integers."""
    if isinstance(x, int):
        return x
    if x.size == 0:
        return 0
    if x.dtype == object:
        return int(max(x.flat))  # only on the slow path
    return int(x.max())


def as_object(x: Int) -> Int:
    """The same exact integers as Python ints (object array), for the slow path."""
    if isinstance(x, int) or x.dtype == object:
        return x
    return np().asarray(x.astype(np().int64), dtype=object)


def exact_floats(x: Int) -> Int:
    """Object array of Python ints -> float64 if every value is below 2**52."""
    if isinstance(x, int) or x.dtype != object or largest(x) >= EXACT:
        return x
    return np().asarray(x, dtype=np().float64)


def decide(rule: Callable[..., Any], limit: Fraction, *parts: Int) -> Array:
    """``rule(*parts)`` as a bool array, decided exactly.

    ``rule`` is a ``_rules`` function that multiplies each part by the
    numerator or denominator of ``limit`` and compares; the parts stay float64
    when every such product is below 2**52, else they become Python ints.
    """
    k = max(limit.numerator, limit.denominator)
    if not all(largest(abs(p)) * k < EXACT for p in parts):
        parts = tuple(as_object(p) for p in parts)
    return np().asarray(rule(*parts), dtype=bool)


def ratio(c: Int, num: Int, den: Int, c_max: int | None = None) -> Array:
    """float(c * num / den), correctly rounded, element by element (c_max: largest c)."""
    n = np()
    if (largest(c) if c_max is None else c_max) * largest(num) < EXACT and largest(den) < EXACT:
        if isinstance(num, int) and num == 1:
            return n.asarray(c / den, dtype=n.float64)
        top = n.multiply(c, num, dtype=n.float64)
        top /= den  # in place: one array, not two
        return top
    q = (as_object(c) * as_object(num)) / as_object(den)  # int / int: correctly rounded
    return n.asarray(q, dtype=n.float64)


def scaled(n_: Any, scale: int, factor: Fraction) -> tuple[Int, Int]:
    """n / scale times factor, as exact integer arrays."""
    num: Int = n_
    if factor.numerator != 1:
        num = (as_object(n_) if largest(n_) * factor.numerator >= EXACT else n_) \
            * factor.numerator
    return num, scale * factor.denominator


class Scaled(NamedTuple):
    """Float doses read exactly as ``rint(x * scale) / scale`` x ``factor`` mg."""

    x: Any
    scale: int
    factor: Fraction

    def exact(self) -> tuple[Int, Int]:
        """Exact (numerator, denominator) in mg of every dose."""
        return scaled(np().rint(self.x * float(self.scale)), self.scale, self.factor)


def count_units(dn: Int, dd: Int, r: tuple[Int, Int], mode: str
                ) -> tuple[Any, tuple[int, int]]:
    """Counts for num / den = (dn x rn) / (dd x rd), and the largest num and den.

    Nearest is ``floor((2 num + den) / (2 den))``: ties away from zero, as
    :func:`~ldn_compound._exact.round_ratio` rounds one.
    """
    n = np()
    rn, rd = r
    num_max, den_max = largest(dn) * largest(rn), largest(dd) * largest(rd)
    if 2 * num_max + 3 * den_max < EXACT:  # float64 holds every integer exactly
        den = dd * rd
        if mode == "nearest":
            count = n.multiply(dn, 2 * rn, dtype=n.float64)
            count += den
            count /= 2 * den
            n.floor(count, out=count)
        else:
            count = n.multiply(dn, rn, dtype=n.float64)
            count /= den
            (n.floor if mode == "down" else n.ceil)(count, out=count)
        return count, (num_max, den_max)
    num_o, den_o = as_object(dn) * as_object(rn), as_object(dd) * as_object(rd)
    if mode == "nearest":
        exact = (2 * num_o + den_o) // (2 * den_o)
    elif mode == "down":
        exact = num_o // den_o
    else:
        exact = -((-num_o) // den_o)
    return exact_floats(n.asarray(exact, dtype=object)), (num_max, den_max)


def _error_block(xs: Array, cb: Array, dose: Scaled, a: int, den: int, ns: Array,
                 o: Array, other: Array | None = None) -> None:
    """o = (count x den - num) / num with num = rint(x x scale) x a, for one block.

    With ``other`` (a bool block), also marks the doses that are not read
    back from ``n / scale`` (correctly rounded): not ``k``-place decimals.
    """
    n = np()
    n.multiply(xs, float(dose.scale), out=ns)
    n.rint(ns, out=ns)
    if other is not None:
        n.divide(ns, float(dose.scale), out=o)  # o is free until the last three lines
        n.not_equal(o, xs, out=other)
    if a != 1:
        ns *= a
    n.multiply(cb, den, out=o)
    o -= ns  # exact: integers below 2**52
    o /= ns  # one correctly rounded division


def scaled_error(dose: Scaled, count: Array, rn: int, den: int) -> Array:
    """(count x den - num) / num with num = n x factor x rn, block by block."""
    n = np()
    x, c = dose.x.reshape(-1), count.reshape(-1)
    a = dose.factor.numerator * rn
    out = n.empty_like(x)
    scratch = n.empty(min(x.size, BLOCK))
    for start, m in spans(x.size):
        _error_block(x[start:start + m], c[start:start + m], dose, a, den, scratch[:m],
                     out[start:start + m])
    return out.reshape(dose.x.shape)


def fused_outputs(count: Array, dose: Scaled | None, parts: tuple[tuple[int, int], ...],
                  rn: int = 1, den: int = 1, nan_at_zero: bool = False
                  ) -> tuple[list[Array], Array]:
    """count x num / den for each part, then the rounding error (if ``dose``), in one pass.

    The same correctly rounded divisions of exact integers as one by one,
    with each block of counts read once while it is in cache; with
    ``nan_at_zero``, NaN in each part where the count is 0. Also gives the
    flat indices of the doses that are not ``k``-place decimals (their
    error is wrong here and is patched by the caller).
    """
    n = np()
    c = n.asarray(count).reshape(-1)
    # One allocation for every output: one large block is mapped at once.
    outs = list(n.empty((len(parts) + (dose is not None), c.size)))
    size = min(c.size, BLOCK)
    scratch, cf, other = n.empty(size), n.empty(size), n.empty(size, dtype=bool)
    x = dose.x.reshape(-1) if dose is not None else c
    a = dose.factor.numerator * rn if dose is not None else 1
    found = []
    for start, m in spans(c.size):
        cb = c[start:start + m]
        if cb.dtype != n.float64 or nan_at_zero:
            cb = cf[:m]
            cb[...] = c[start:start + m]  # counts as floats once: exact below 2**52
        if nan_at_zero:  # NaN x num / den is NaN in every part
            n.copyto(cb, n.nan, where=cb == 0)
        for out, (num, d) in zip(outs, parts, strict=False):
            o = out[start:start + m]
            if num == 1:
                n.divide(cb, d, out=o)
            else:
                n.multiply(cb, num, out=o)
                o /= d
        if dose is not None:
            ob = other[:m]
            _error_block(x[start:start + m], cb, dose, a, den, scratch[:m],
                         outs[-1][start:start + m], ob)
            if ob.any():
                found.append(n.flatnonzero(ob) + start)
    idx = n.concatenate(found) if found else n.empty(0, dtype=n.intp)
    return outs, idx
