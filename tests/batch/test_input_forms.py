"""Every input form measure_many reads, over many stocks and devices: each element is measure()."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import Dropper, Stock, measure_many
from ldn_compound.strategies import rounding_modes

from ._cases import MG_PER, Case, cases, index
from ._scalar import assert_element_is_scalar


@settings(max_examples=60, deadline=None)
@given(cases())
def test_every_form_and_broadcast_is_the_scalar_result(case: Case) -> None:
    """Int, uint, Decimal, Fraction, long, text and float doses, broadcast: each is measure()."""
    b = case.measure()
    assert b.shape == case.shape and len(b) == len(case.scalar)
    assert b.count.dtype == np.int64 and b.status.dtype == np.int8
    for arr in (b.target_mg, b.volume_ml, b.delivered_mg, b.rounding_error, *b.bounds_mg):
        assert arr.dtype == np.float64 and arr.shape == b.shape
    for j, (dose, stock, device) in enumerate(case.scalar):
        assert_element_is_scalar(b, index(b.shape, j), dose, stock, device, case.rounding,
                                 case.allow_high_dose)


@settings(max_examples=25, deadline=None)
@given(cases())
def test_each_element_measurement_is_measure(case: Case) -> None:
    """measurement(i) by flat index and by index tuple is the scalar result, options kept."""
    from ldn_compound import Status, UnmeasurableDoseError
    from ldn_compound import measure as measure_one

    from ._scalar import expected_status

    b = case.measure()
    for j, (dose, stock, device) in enumerate(case.scalar):
        status, m = expected_status(dose, stock, device, case.rounding, case.allow_high_dose)
        for i in (j, index(b.shape, j)):
            if m is None:
                try:
                    b.measurement(i)
                except (UnmeasurableDoseError, ValueError) as exc:
                    assert Status.of(exc.kind) is status  # type: ignore[attr-defined]
                else:
                    raise AssertionError(f"element {i} measured; measure() refuses it")
            else:
                got = b.measurement(i)
                assert got == m and got.stock == stock and got.device == device
                assert got == measure_one(dose, stock, device, rounding=case.rounding,
                                          allow_high_dose=case.allow_high_dose)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(1, 9), min_size=1, max_size=4), st.sampled_from(["g", "mg"]),
       rounding_modes())
def test_long_decimals_that_all_round_to_zero_have_every_output(digits: list[int], unit: str,
                                                                rounding: str) -> None:
    """Every count 0 with denominators past 2**52: outputs are NaN, flags False, no error."""
    per = MG_PER[unit]
    doses = np.empty(len(digits), dtype=object)
    doses[:] = [Fraction(1, 10**6) / per + Fraction(d, 10**19) for d in digits]
    stock = Stock.from_tablets("50 mg", "10 mL")
    b = measure_many((doses, unit), stock, Dropper(), rounding="down" if rounding == "up"
                     else rounding)
    for j, x in enumerate(doses):
        assert_element_is_scalar(b, j, f"{x} {unit}", stock, Dropper(), b.rounding)
    assert b.warnings and all(not f.any() for f in b.flags)
