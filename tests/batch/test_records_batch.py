"""The batch record: every field is the array it writes, and it reads back equal, every option."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from record_schemas import validate

from ldn_compound import BatchMeasurement, Dropper, InputError, Stock, measure_many, records
from ldn_compound._exact import exact_text
from ldn_compound.devices import device_from_dict
from ldn_compound.units import MASS, parse

from ._cases import ODD, Case, cases

STOCK = Stock.from_tablets("50 mg", "10 mL")
#: Past 8,192 mg a float spans more than 10**-12: the 12-place decimal nearest it is not
#: its shortest decimal (10 or 11 places), which the record must write.
WIDE = [14411.2915734479, 8693.00095872739]


def _floats(a: Any) -> list[Any]:
    return [None if math.isnan(x) else x for x in np.asarray(a, dtype=float).reshape(-1).tolist()]


def assert_record_is_the_batch(d: dict[str, Any], b: BatchMeasurement, case: Case) -> None:
    """Each field of the record equals what it records; doses, stocks, devices per element."""
    validate(d)
    assert d["shape"] == list(b.shape) and d["rounding"] == case.rounding
    assert d["allow_high_dose"] is case.allow_high_dose
    assert d["summary"] == b.summary and sum(d["summary"].values()) == len(b)
    assert d["warnings"] == list(b.warnings)
    assert d["count"] == b.count.reshape(-1).tolist()
    assert d["status"] == [str(s) for s in b.status_names.reshape(-1)]
    low, high = b.bounds_mg
    for key, arr in (("target_mg", b.target_mg), ("volume_ml", b.volume_ml),
                     ("delivered_mg", b.delivered_mg), ("rounding_error", b.rounding_error)):
        assert d[key] == _floats(arr), key
    assert d["bounds_mg"] == {"low": _floats(low), "high": _floats(high)}
    for j, (dose, stock, device) in enumerate(case.scalar):
        assert d["doses_exact"][j] == f"{exact_text(parse(dose, MASS, 'dose'))} mg", j
        si = 0 if d["stock_index"] is None else d["stock_index"][j]
        di = 0 if d["device_index"] is None else d["device_index"][j]
        assert Stock.from_dict(d["stocks"][si]) == stock
        assert device_from_dict(d["devices"][di]) == device
    for name in ("stock", "device"):  # distinct records in order of first use; null if one
        index = d[f"{name}_index"]
        assert (index is None) == (len(d[f"{name}s"]) == 1)
        if index is not None:
            assert list(dict.fromkeys(index)) == list(range(len(d[f"{name}s"])))


def _issue_19_case() -> Case:
    """Issue 19's flaky failure: read back, the exact doses' units are Python ints though
    each is below 2**52 (the limits bound them), and the rounding check cast them to float."""
    doses = np.array([2.675000000001, 1e-6, 1e-6, 1e-6, 1e-6])
    stock = Stock.from_tablets("50 mg", "5.1 mL")
    devices = [Dropper(20)] * 4 + [Dropper(38.5)]
    return Case((doses, "g"), stock, devices, "nearest", False, (5,),
                [((x, "g"), stock, dev) for x, dev in zip(doses, devices, strict=True)])


@settings(max_examples=40, deadline=None)
@given(cases())
@example(_issue_19_case())
def test_a_record_is_every_array_and_reads_back_equal(case: Case) -> None:
    """to_dict writes each array as it is and reads back (dict, JSON) to an equal batch."""
    b = case.measure()
    d = b.to_dict()
    assert_record_is_the_batch(d, b, case)
    again = BatchMeasurement.from_dict(d)
    assert again == b and again is not b and records.load(d) == b
    assert BatchMeasurement.from_json(b.to_json()) == b
    assert again.to_dict() == d and np.array_equal(again.count, b.count)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from([*ODD, *WIDE, 1.5, 0.25]), min_size=1, max_size=6),
       st.integers(0, 300))
def test_float_doses_that_are_not_short_decimals_are_written_exactly(xs: list[float],
                                                                    pad: int) -> None:
    """1/3 or 0.1 + 0.2 among decimals (or alone) are written as measure() reads them."""
    doses = np.array(xs + [1.5] * pad)
    b = measure_many((doses, "mg"), STOCK, Dropper())
    d = b.to_dict()
    assert d["doses_exact"] == [f"{exact_text(Fraction(repr(float(x))))} mg" for x in doses]
    assert BatchMeasurement.from_dict(d) == b


def test_batches_that_differ_are_not_equal() -> None:
    """== compares the records: another count or stock is unequal; a non-batch is not equal."""
    b = measure_many(["1 mg", "2 mg"], STOCK, Dropper())
    assert b == measure_many(["1 mg", "2 mg"], STOCK, Dropper())
    assert b != measure_many(["1 mg", "3 mg"], STOCK, Dropper())
    assert b != measure_many(["1 mg", "2 mg"], Stock.from_tablets("50 mg", "20 mL"), Dropper())
    assert b != b.to_dict() and b.__eq__(1) is NotImplemented


def _record() -> dict[str, Any]:
    stocks = [STOCK, Stock.from_tablets("50 mg", "20 mL")]
    return measure_many(["1 mg", "2 mg"], stocks, [Dropper(), Dropper(40)]).to_dict()


def _with(**fields: Any) -> dict[str, Any]:
    return {**_record(), **fields}


BAD_RECORDS = [
    (lambda: _with(doses_exact=["1 mg"]), "doses_exact", 1),
    (lambda: _with(doses_exact=["1 mg", "2 mg", "3 mg"]), "doses_exact", 3),
    (lambda: _with(doses_exact=["1 mg", "2 mcg"]), "doses_exact", "2 mcg"),
    (lambda: _with(doses_exact=["1 mg", "2 mL"]), "doses_exact", "2 mL"),
    (lambda: _with(doses_exact=["1 mg", "2,5 mg"]), "doses_exact", "2,5 mg"),
    (lambda: _with(stock_index=None), "stocks", 2),
    (lambda: _with(device_index=None), "devices", 2),
    (lambda: _with(shape=[2, -1]), "shape", [2, -1]),
    (lambda: _with(shape="2"), "shape", "2"),
    (lambda: _with(shape=[1] * 40), "shape", [1] * 40),
    (lambda: _with(stocks="50 mg"), "stocks", "50 mg"),
    (lambda: _with(stocks=[]), "stocks", []),
    (lambda: _with(devices={"type": "dropper"}), "devices", {"type": "dropper"}),
    (lambda: _with(doses_exact="1 mg"), "doses_exact", "1 mg"),
]


@pytest.mark.parametrize(("make", "parameter", "value"), BAD_RECORDS)
def test_a_record_that_does_not_fit_its_shape_is_refused(make: Any, parameter: str,
                                                         value: Any) -> None:
    """Doses not one per element or not in mg, or many stocks with a null index: InputError."""
    with pytest.raises(InputError) as info:
        BatchMeasurement.from_dict(make())
    assert info.value.parameter == parameter and info.value.value == value
