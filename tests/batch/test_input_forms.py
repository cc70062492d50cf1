"""Every input form measure_many reads, over many stocks and devices: each element is measure()."""

from __future__ import annotations

from hypothesis import given, settings

from ._cases import Case, cases, index
from ._scalar import assert_element_is_scalar


@settings(max_examples=60, deadline=None)
@given(cases())
def test_every_form_and_broadcast_is_the_scalar_result(case: Case) -> None:
    """Int, uint, Decimal, Fraction, long, text and float doses, broadcast: measure() per element."""
    b = case.measure()
    assert b.shape == case.shape and len(b) == len(case.scalar)
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
