"""The batch kernels against exact Fraction arithmetic, on float64 and on Python-int arrays."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound._exact import round_ratio
from ldn_compound.batch._kernels import (
    EXACT,
    Scaled,
    count_units,
    exact_floats,
    fused_outputs,
    largest,
    ratio,
    scaled,
    scaled_error,
)
from ldn_compound.strategies import rounding_modes

SMALL = st.integers(1, 10**6)
ANY = st.one_of(SMALL, st.integers(EXACT, 10**30))  # past 2**52: Python ints


def _ints(values: list[int]) -> object:
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return exact_floats(arr)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(ANY, ANY), min_size=1, max_size=6), ANY, ANY, rounding_modes())
def test_count_units_is_round_ratio(doses: list[tuple[int, int]], rn: int, rd: int,
                                    mode: str) -> None:
    """Each count is round_ratio(dn rn, dd rd) (the scalar rounding), with the largest parts."""
    dn, dd = _ints([n for n, _ in doses]), _ints([d for _, d in doses])
    count, (num_max, den_max) = count_units(dn, dd, (rn, rd), mode)
    assert [int(c) for c in np.asarray(count).tolist()] == [
        round_ratio(n * rn, d * rd, mode) for n, d in doses]
    assert num_max == max(n for n, _ in doses) * rn and den_max == max(d for _, d in doses) * rd


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**4), ANY, ANY), min_size=1, max_size=6))
def test_ratio_is_the_correctly_rounded_quotient(rows: list[tuple[int, int, int]]) -> None:
    """float(c num / den) element by element, with or without the largest count given."""
    c = _ints([r[0] for r in rows])
    num, den = _ints([r[1] for r in rows]), _ints([r[2] for r in rows])
    want = [float(Fraction(a * b, d)) for a, b, d in rows]
    assert ratio(c, num, den, max(1, largest(c))).tolist() == want
    if min(r[0] for r in rows) > 0:  # without c_max: the largest count, at least 1 here
        assert ratio(c, num, den).tolist() == want
    assert ratio(c, 1, den).tolist() == [float(Fraction(a, d)) for a, _, d in rows]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 10**6), min_size=1, max_size=8), st.sampled_from([1, 10**3]),
       st.sampled_from([Fraction(1), Fraction(1000), Fraction(1, 1000)]),
       st.integers(1, 50), st.lists(st.tuples(SMALL, SMALL), min_size=1, max_size=4),
       st.booleans())
def test_fused_outputs_are_the_exact_quotients(ns: list[int], scale: int, factor: Fraction,
                                               rn: int, parts: list[tuple[int, int]],
                                               zeros: bool) -> None:
    """count x num / den per part, the rounding error of n / scale doses, NaN at count 0."""
    x = np.array(ns, dtype=np.float64) / scale
    units = [Fraction(n, scale) * factor * rn for n in ns]
    count = np.array([0 if zeros and i == 0 else round_ratio(u.numerator, u.denominator,
                                                               "nearest") or 1
                      for i, u in enumerate(units)], dtype=np.float64)
    den = scale * factor.denominator
    dose = Scaled(x, scale, factor)
    with np.errstate(all="ignore"):
        outs, idx = fused_outputs(count, dose, tuple(parts), rn, den, nan_at_zero=zeros)
        error = scaled_error(dose, count, rn, den)
    assert idx.size == 0  # every dose is an n / scale decimal
    for out, (num, d) in zip(outs, parts, strict=False):
        assert [None if np.isnan(v) else v for v in out.tolist()] == [
            None if zeros and i == 0 else float(Fraction(int(c) * num, d))
            for i, c in enumerate(count)]
    want = [float((int(c) - u) / u) for c, u in zip(count, units, strict=True)]
    fused = [None if zeros and i == 0 else v for i, v in enumerate(want)]
    assert [None if np.isnan(v) else v for v in outs[-1].tolist()] == fused
    assert error.tolist() == want
    if scale == 1 and factor == 1:  # units are whole: den 1 is the default
        with np.errstate(all="ignore"):
            plain, _ = fused_outputs(count, dose, tuple(parts), rn, nan_at_zero=zeros)
        assert [None if np.isnan(v) else v for v in plain[-1].tolist()] == fused


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 10**9), min_size=1, max_size=6),
       st.sampled_from([Fraction(1), Fraction(1000), Fraction(7, 1000)]),
       st.sampled_from([10**3, 10**6, 10**9]))
def test_scaled_is_n_over_scale_times_factor(ns: list[int], factor: Fraction, scale: int) -> None:
    """Scaled.exact reads rint(x scale) / scale x factor as exact integers."""
    x = np.array(ns, dtype=np.float64) / scale
    num, den = Scaled(x, scale, factor).exact()
    assert [Fraction(int(a), den) for a in np.asarray(num).tolist()] == [
        Fraction(n, scale) * factor for n in ns]
    big = np.array(ns, dtype=np.float64) * 2**30
    num, den = scaled(big, 1, factor)
    assert [Fraction(int(a), den) for a in np.asarray(num).tolist()] == [
        n * 2**30 * factor for n in ns]
