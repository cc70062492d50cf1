"""The fused float-output pass (issue 10): a sampled decimal scale, checked on every dose.

The float outputs of one stock and one device are computed in one pass, the
rounding error included when an even sample of the doses reads them as
``k``-place decimals. Every dose the sample did not see is still checked in
that pass; those that are not decimals are patched one by one, or, when more
than 1/256 of them, the whole error is read again the slow way.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import Dropper, OralSyringe, Stock, measure_many
from ldn_compound.strategies import rounding_modes

from ._scalar import assert_element_is_scalar

STOCK = Stock.from_tablets("50 mg", "15 mL")  # 10/3 mg/mL: 1/6 mg a drop at 20 drops/mL
OUTPUTS = ("volume_ml", "delivered_mg", "bounds_mg", "rounding_error", "target_mg", "count")


def _read(b: Any, order: list[str]) -> None:
    """Read the outputs in ``order`` first: the first float output starts the fused pass."""
    for name in order:
        getattr(b, name)


@settings(max_examples=25, deadline=None)
@given(size=st.integers(300, 3000), seed=st.integers(0, 2**32 - 1),
       odd=st.lists(st.sampled_from([0.1 + 0.2, 1 / 3, 0.0100000000001, 2.675000000001,
                                     9e3 + 1 / 7, 4.123456789012]), max_size=8),
       device=st.sampled_from([Dropper(), OralSyringe(capacity="1 mL")]),
       rounding=rounding_modes(), order=st.permutations(OUTPUTS))
def test_few_odd_doses_among_decimals_are_patched(size: int, seed: int, odd: list[float],
                                                  device: Any, rounding: str,
                                                  order: list[str]) -> None:
    """Decimals with a few non-decimal, zero-count or over-capacity doses: every element is measure()."""
    rng = np.random.default_rng(seed)
    doses = rng.integers(1, 451, size) / 100  # 0.01-4.5 mg: some round to 0 drops
    where = rng.choice(size, len(odd), replace=False)
    doses[where] = odd
    b = measure_many((doses, "mg"), STOCK, device, rounding=rounding)
    _read(b, order)
    for i in [*where.tolist(), *rng.choice(size, 12).tolist()]:
        assert_element_is_scalar(b, i, (float(doses[i]), "mg"), STOCK, device, rounding)


@settings(max_examples=10, deadline=None)
@given(step=st.integers(2, 5), seed=st.integers(0, 2**32 - 1),
       order=st.permutations(OUTPUTS))
def test_a_sample_that_misleads_is_caught(step: int, seed: int, order: list[str]) -> None:
    """Decimals exactly where the sample looks, unrounded floats between: still measure()."""
    rng = np.random.default_rng(seed)
    size = 1024 * step  # the sample reads every step-th dose
    doses = rng.uniform(0.2, 4.5, size)  # unrounded
    doses[::step] = rng.integers(20, 451, 1024) / 100  # decimals where the sample reads
    b = measure_many((doses, "mg"), STOCK, Dropper())
    _read(b, order)
    for i in rng.choice(size, 16).tolist():
        assert_element_is_scalar(b, i, (float(doses[i]), "mg"), STOCK, Dropper(), "nearest")
