"""Filtered exact arithmetic for float doses: float64 first, exact only near a boundary.

A float dose ``x`` means the shortest decimal that prints as it, ``dec(x)``
(as :func:`~ldn_compound.measure` reads it). Every decision about a dose is a
comparison of an exact value with a boundary: the count with a rounding tie
(``k + 1/2`` units) or a whole unit (rounding down or up), the dose with the
decimal-slip limit (45 mg) and the LDN band (5 mg), the rounding with the
warning threshold (``|count - units| > units / 20``). Counts decide the
rest exactly (0 units, capacity and whole-stock limits, the 0.1 mL and 20 %
syringe findings are integer comparisons of the count).

The bound. Each step below is one correctly rounded IEEE 754 binary64
operation, relative error at most ``u = 2**-53`` (no step underflows:
plausible doses are 1 pg to 1 kg):

* ``|dec(x) - x| <= ulp(x) / 2 <= u |x|``: ``dec(x)`` rounds to ``x``. A
  float32 dose is first widened to the float64 nearest its own shortest
  decimal, which is again within ``u`` of it.
* ``k = float(K)`` for the exact constant ``K`` (units per dose unit, or mg
  per dose unit): within ``u``, ``float(Fraction)`` is correctly rounded.
* ``v = x * k``: within ``u`` once more.

So the estimate ``v`` of the exact ``V = dec(x) K`` has ``|v - V| <=
((1 + u)**3 / (1 - u) - 1) v < 4.01 u v < 2**-50 v``. A test against a
boundary then takes at most three more roundings, each within ``u`` of
magnitudes below ``v + count + 1``. An element is *near* when it lies within
:data:`RHO` ``(v + count + 1)`` of a boundary, ``RHO = 2**-48`` (four times
the sum): away from it, ``dec(x)`` and ``x`` fall on the same side and the
float decision is the exact one. Near elements (exact ties, doses on a
limit, and about ``1e-14`` of all others) are read exactly: the decimal
``rint(x 10**k) / 10**k`` for the smallest ``k`` in 3, 6, 9, 12 that gives
``x`` back (vectorised), else :func:`~ldn_compound._exact.float_decimal` one by one.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from .._exact import float_decimal
from .._rules import DECIMAL_SLIP_MG, ROUNDING_WARNING, beyond
from .._rules import is_above_ldn_band as above_band
from .._rules import is_decimal_slip as slip
from .._tables import LDN_MAX_MG
from ._kernels import (
    BLOCK,
    EXACT,
    PLACES,
    Array,
    Int,
    as_object,
    count_units,
    decide,
    exact_floats,
    np,
    spans,
)

__all__ = [
    "RHO",
    "block_counts",
    "compare",
    "decimal_reading",
    "float_counts",
    "large_rounding",
    "ldn_band",
    "limits",
    "patch",
    "rate",
    "read_exact",
    "sample_scale",
]

#: Relative width of the band around a boundary decided exactly (see the module doc).
RHO = 2.0**-48
# Estimates of this size or more are always read exactly (x * k and m + 1/2 stay exact).
_BIG = 2.0**50


def rate(factor: Fraction, r: tuple[Int, Int]) -> Any:
    """float(factor x rn / rd), correctly rounded: a float, or an array per element."""
    rn, rd = r
    if isinstance(rn, int) and isinstance(rd, int):
        return float(factor * Fraction(rn, rd))
    from ._kernels import ratio

    return ratio(factor.numerator, rn, rd * factor.denominator)


def _counts(v: Array, mode: str) -> tuple[Array, Array]:
    """(count, near) from estimates ``v`` of the exact number of units."""
    n = np()
    if mode == "nearest":  # the one half-integer in [floor(v), floor(v) + 1)
        m = n.floor(v)
        b = m + 0.5
        count = m + (v > b)
    else:
        b = n.rint(v)
        count = (n.floor if mode == "down" else n.ceil)(v)
    d = n.abs(v - b)
    tol = v + 1.0
    tol *= RHO
    near = d <= tol
    near |= ~(v < _BIG)
    return count, near


def block_counts(x: Array, k: float, hi: float, mode: str) -> tuple[Array, Array] | None:
    """(counts, flat indices of near elements) in one pass of blocks, or None if too large.

    Per block, in preallocated scratch: ``v = x k``; the count ``rint``,
    ``floor`` or ``ceil`` of ``v``; ``t = v - count`` (exact: Sterbenz) and
    one fused test ``|t| >= 1/2 - tol`` (nearest) or ``|t - 1/2| >= 1/2 -
    tol`` (down, up), with the band ``tol = RHO (2 v_max + 2)`` for the whole
    array: at least ``RHO (v + count + 1)`` for every element (the module doc).
    """
    n = np()
    vmax = hi * k * (1 + 2.0**-40)
    if not vmax < _BIG:
        return None
    limit = 0.5 - RHO * (2 * vmax + 2)
    flat = x.reshape(-1)
    count = n.empty(flat.size, dtype=n.int64)  # what ``count`` gives: one array, not two
    size = min(flat.size, BLOCK)
    v_all, t_all, c_all = n.empty(size), n.empty(size), n.empty(size)
    b_all = n.empty(size, dtype=bool)
    rnd = {"nearest": n.rint, "down": n.floor, "up": n.ceil}[mode]
    found = []
    for start, m in spans(flat.size):
        v, t, b, c = v_all[:m], t_all[:m], b_all[:m], c_all[:m]
        n.multiply(flat[start:start + m], k, out=v)
        rnd(v, out=c)
        count[start:start + m] = c  # whole numbers below 2**50: exact in int64
        n.subtract(v, c, out=t)
        if mode != "nearest":
            t -= -0.5 if mode == "up" else 0.5
        n.abs(t, out=t)
        if t.max() >= limit:  # one reduction: most blocks have no near element
            n.greater_equal(t, limit, out=b)
            found.append(n.flatnonzero(b) + start)
    idx = n.concatenate(found) if found else n.empty(0, dtype=n.intp)
    return count, idx


def compare(v: Array, limit: Fraction, strict: bool) -> tuple[Array, Array]:
    """(v > limit or v >= limit, near) for estimates ``v`` of exact values."""
    n = np()
    lf = float(limit)
    tol = (v + lf) * RHO
    near = n.abs(v - lf) <= tol
    return (v > lf) if strict else (v >= lf), near


def read_exact(xs: Array, factor: Fraction) -> tuple[Int, Int]:
    """Exact (numerator, denominator) in mg of a few float doses (a 1-D array).

    ``n / 10**k`` when it gives ``x`` back and one float spacing of ``x`` is
    below ``10**-k`` (then it is the only ``k``-place decimal rounding to
    ``x``, so the shortest); else its shortest decimal, one by one.
    """
    n = np()
    num = n.zeros(xs.size)
    den = n.ones(xs.size)
    todo = n.ones(xs.size, dtype=bool)
    spacing = n.spacing(xs)
    for k in PLACES:
        s = 10.0**k
        ns = n.rint(xs * s)
        ok = todo & (spacing * s < 1) & (ns / s == xs)
        num[ok], den[ok] = ns[ok], s
        todo &= ~ok
        if not todo.any():
            break
    if todo.any():  # more than 12 places: the documented one-by-one reading
        idx = n.flatnonzero(todo)
        nl, dl = [int(v) for v in num.tolist()], [int(v) for v in den.tolist()]
        for i, v in zip(idx.tolist(), xs[idx].tolist(), strict=True):
            nl[i], dl[i] = float_decimal(v)
        num, den = n.empty(xs.size, dtype=object), n.empty(xs.size, dtype=object)
        num[:], den[:] = nl, dl
    if factor == 1:
        return exact_floats(num), exact_floats(den)
    return (exact_floats(as_object(num) * factor.numerator),
            exact_floats(as_object(den) * factor.denominator))


def _pick(a: Any, shape: tuple[int, ...], idx: Array) -> Any:
    """Elements ``idx`` (flat, in ``shape``) of ``a`` broadcast to ``shape``; ints as they are."""
    if isinstance(a, int):
        return a
    n = np()
    return n.broadcast_to(a, shape)[n.unravel_index(idx, shape)]


def float_counts(x: Array, factor: Fraction, r: tuple[Int, Int], shape: tuple[int, ...],
                 mode: str, hi: float, check_slip: bool) -> tuple[Array, Array | None]:
    """Exact counts (float64) of float doses, and the decimal-slip mask (or None).

    Decided in float64 block by block (one stock and device) or at once;
    the near elements then exactly, together.
    """
    n = np()
    k = rate(factor, r)
    size = int(np().prod(shape))
    fast = block_counts(x, k, hi, mode) if isinstance(k, float) and x.shape == shape \
        else None
    if fast is not None:
        count, idx = fast
    else:
        count, idx = _general_counts(x, k, shape, size, mode)
    if idx.size:
        dn, dd = read_exact(_pick(x, shape, idx), factor)
        exact, _ = count_units(dn, dd, tuple(_pick(p, shape, idx) for p in r), mode)
        count[idx] = n.asarray(exact, dtype=count.dtype)
    high = None
    f = float(factor)
    if check_slip and hi * f * (1 + RHO) >= float(DECIMAL_SLIP_MG):
        high, nr = compare(n.broadcast_to(x, shape).reshape(-1) * f, DECIMAL_SLIP_MG,
                           strict=False)
        _resolve(high, nr, x, shape, factor, lambda dn, dd: decide(slip, DECIMAL_SLIP_MG,
                                                                 dn, dd))
        high = high.reshape(shape)
    return count.reshape(shape), high


def _general_counts(x: Array, k: Any, shape: tuple[int, ...], size: int, mode: str
                    ) -> tuple[Array, Array]:
    """(counts, near indices) of doses broadcast against many stocks or devices."""
    n = np()
    count = n.empty(size)
    near = n.empty(size, dtype=bool)
    if isinstance(k, float) and x.shape == shape:
        flat = x.reshape(-1)
        for start, m in spans(size):
            c, nr = _counts(flat[start:start + m] * k, mode)
            count[start:start + m], near[start:start + m] = c, nr
    else:
        c, nr = _counts(n.broadcast_to(x, shape) * k, mode)
        count[:], near[:] = c.reshape(-1), nr.reshape(-1)
    return count, n.flatnonzero(near)


def _resolve(out: Array, near: Array, x: Array, shape: tuple[int, ...], factor: Fraction,
             rule: Any) -> None:
    """out[near] = rule(exact numerator, exact denominator) of those doses."""
    idx = np().flatnonzero(near)
    if idx.size:
        out[idx] = rule(*read_exact(_pick(x, shape, idx), factor))


def ldn_band(x: Array, factor: Fraction, shape: tuple[int, ...]) -> Array:
    """Doses above the LDN band (more than 5 mg), decided as above."""
    above, nr = compare(np().broadcast_to(x, shape).reshape(-1) * float(factor), LDN_MAX_MG,
                        strict=True)
    _resolve(above, nr, x, shape, factor, lambda dn, dd: decide(above_band, LDN_MAX_MG, dn, dd))
    return above.reshape(shape)


def large_rounding(x: Array, factor: Fraction, r: tuple[Int, Int], count: Array,
                   shape: tuple[int, ...]) -> Array:
    """|count - units| > units x ROUNDING_WARNING, decided as above."""
    n = np()
    v = (n.broadcast_to(x, shape) * rate(factor, r)).reshape(-1)
    c = n.asarray(count, dtype=n.float64).reshape(-1)
    g = n.abs(c - v)
    g -= v * float(ROUNDING_WARNING)
    tol = v + c + 1.0
    tol *= RHO
    large = g > 0
    near = n.abs(g) <= tol
    near |= ~(v < _BIG)
    idx = n.flatnonzero(near)
    if idx.size:
        dn, dd = read_exact(_pick(x, shape, idx), factor)
        rn, rd = (_pick(p, shape, idx) for p in r)
        num, den = as_object(dn) * as_object(rn), as_object(dd) * as_object(rd)
        diff = as_object(c[idx]) * den - num
        large[idx] = decide(beyond, ROUNDING_WARNING, diff, num)
    return large.reshape(shape)


def patch(out: Array, idx: Array, x: Array, shape: tuple[int, ...], factor: Fraction,
          r: tuple[Int, Int] | None = None, count: Int = None) -> None:
    """out.flat[idx] = the exact dose (``r`` None) or rounding error, correctly rounded.

    For doses that are not read as ``k``-place decimals: one by one, exact.
    """
    if not idx.size:
        return
    n = np()
    dn, dd = (as_object(a) for a in read_exact(_pick(x, shape, idx), factor))
    if r is None:
        out.flat[idx] = dn / dd  # int / int: correctly rounded
        return
    rn, rd = (as_object(_pick(p, shape, idx)) for p in r)
    num, den = dn * rn, dd * rd
    c = as_object(n.asarray(_pick(count, shape, idx), dtype=n.float64))
    out.flat[idx] = (c * den - num) / num


def limits(hi: float, scale: int, factor: Fraction, r: tuple[Int, Int]) -> tuple[int, int]:
    """Largest numerator and denominator of units = rint(x scale) factor rn / (scale rd)."""
    from ._kernels import largest

    num_max = (int(np().ceil(hi * scale)) + 1) * factor.numerator * largest(r[0])
    return num_max, scale * factor.denominator * largest(r[1])


def sample_scale(x: Array, hi: float) -> int | None:
    """10**k for the smallest k that reads an even sample of 1,024 doses as decimals.

    A guess, checked: the fused pass then finds every dose that is not a
    ``k``-place decimal (:func:`~ldn_compound.batch._kernels.fused_outputs`);
    when more than 1/256 of them are not, the full :func:`decimal_reading`
    decides instead.
    """
    n = np()
    flat = x.reshape(-1)
    sample = flat[::max(1, flat.size // 1024)]
    spacing = float(n.spacing(hi))
    for k in PLACES:
        scale = 10**k
        if spacing * scale >= 1 or hi * scale >= EXACT:
            return None
        s = float(scale)
        if int(n.count_nonzero(n.rint(sample * s) / s != sample)) * 256 <= sample.size:
            return int(scale)
    return None


def decimal_reading(x: Array, hi: float) -> tuple[int | None, Array]:
    """(10**k, mask of doses that are not k-place decimals) for the cheapest k.

    Every dose read as ``rint(x 10**k) / 10**k`` is exact vectorised work;
    the others are read one by one (a few microseconds each), so a ``k``
    leaving at most 1/256 of the doses to that is taken at once.
    """
    n = np()
    flat = x.reshape(-1)
    spacing = float(n.spacing(hi))
    best: tuple[int, int | None, Array] = (flat.size + 1, None, n.ones(flat.shape, dtype=bool))
    for k in PLACES:
        scale = 10**k
        if spacing * scale >= 1 or hi * scale >= EXACT:
            break
        head = flat[:BLOCK]  # a first look: skip a k that leaves too many one by one
        if int(n.count_nonzero(n.rint(head * float(scale)) / scale != head)) * 256 > head.size:
            continue
        other = n.empty(flat.shape, dtype=bool)
        for start, m in spans(flat.size):
            xs = flat[start:start + m]
            ns = xs * float(scale)
            n.rint(ns, out=ns)
            ns /= scale
            n.not_equal(ns, xs, out=other[start:start + m])
        left = int(n.count_nonzero(other))
        if left < best[0]:
            best = (left, scale, other)
        if left * 256 <= flat.size:
            break
    return best[1], best[2].reshape(x.shape)
