"""The scalar side of batch parity: what measure() decides for one element."""

from __future__ import annotations

import math
from typing import Any

from ldn_compound import BatchMeasurement, InputError, OralSyringe, Status, UnmeasurableDoseError
from ldn_compound import measure as measure_one
from ldn_compound._rules import (
    below_min_fill,
    beyond,
    is_above_ldn_band,
    is_small_syringe_volume,
)
from ldn_compound.measurement import Measurement
from ldn_compound.stock import Stock


def expected_status(dose: Any, stock: Stock, device: Any, rounding: str,
                    allow_high_dose: bool = False) -> tuple[Status, Measurement | None]:
    """What measure() says about one dose: a status, and the Measurement if OK."""
    try:
        m = measure_one(dose, stock, device, rounding=rounding, allow_high_dose=allow_high_dose)
    except (UnmeasurableDoseError, InputError) as exc:
        # Status.of raises for a kind with no status: a valid dose meets only these four
        return Status.of(exc.kind), None
    return Status.OK, m


def scalar_flags(m: Measurement | None) -> dict[str, bool]:
    """The scalar Measurement's findings, decided by the same _rules functions."""
    if m is None:
        return dict.fromkeys(("large_rounding", "small_syringe_volume", "below_min_fill",
                              "above_ldn_band"), False)
    v, t = m.exact_volume, m.exact_target
    syringe = isinstance(m.device, OralSyringe)
    return {
        "large_rounding": bool(beyond(m.exact_delivered - t, t)),
        "small_syringe_volume": syringe and bool(is_small_syringe_volume(v.numerator,
                                                                         v.denominator)),
        "below_min_fill": syringe and bool(below_min_fill(v, m.device.capacity_ml)),
        "above_ldn_band": bool(is_above_ldn_band(t.numerator, t.denominator)),
    }


def assert_element_is_scalar(b: BatchMeasurement, i: Any, dose: Any, stock: Stock,
                             device: Any, rounding: str, allow_high_dose: bool = False) -> None:
    """Element i of the batch equals the scalar path: status, count, floats and findings."""
    status, m = expected_status(dose, stock, device, rounding, allow_high_dose)
    assert Status(int(b.status[i])) is status, (dose, b.status[i], status)
    flags = scalar_flags(m)
    assert {name: bool(getattr(b.flags, name)[i]) for name in flags} == flags, dose
    low, high = b.bounds_mg
    if m is None:
        assert b.count[i] == 0 and not b.ok[i] and not b.accuracy_problem[i]
        for arr in (b.volume_ml, b.delivered_mg, b.rounding_error, low, high):
            assert math.isnan(arr[i])
        return
    # the flags are the decisions behind the scalar result's own warnings
    assert bool(b.accuracy_problem[i]) == (m.accuracy_problem is not None)
    assert len(m.warnings) == (flags["large_rounding"] + bool(b.accuracy_problem[i])
                               + flags["above_ldn_band"] + len(stock.warnings))
    assert b.count[i] == m.count
    assert b.target_mg[i] == float(m.exact_target)
    assert b.volume_ml[i] == float(m.exact_volume)
    assert b.delivered_mg[i] == float(m.exact_delivered)
    assert b.rounding_error[i] == m.rounding_error
    assert (low[i], high[i]) == tuple(float(x) for x in m.exact_bounds)
