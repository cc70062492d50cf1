"""Reading a batch of doses: a refused dose is refused as measure() refuses it, named by index."""

from __future__ import annotations

import functools
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import Dropper, InputError, Stock, measure, measure_many
from ldn_compound._exact import exact_text
from ldn_compound.units import Q_

from ._cases import MG_PER
from ._scalar import assert_element_is_scalar

STOCK = Stock.from_tablets("50 mg", "10 mL")


def _objects(*values: Any) -> Any:
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


#: (doses, index of the refused element, the value named, that dose alone for measure()).
REFUSED_ELEMENTS = [
    ((np.array([3, 0, 2]), "mg"), 1, 0, (0, "mg")),
    ((np.array([3, 2, -1]), "mcg"), 2, -1, (-1, "mcg")),
    ((np.array([0, 2, 0], dtype=np.int8), "mg"), 0, 0, (0, "mg")),
    ((np.array([3, 2_000_000, 2]), "mg"), 1, 2_000_000, (2_000_000, "mg")),
    ((np.array([2_000, 1, 3], dtype=np.uint32), "g"), 0, 2_000, (2_000, "g")),
    ((np.array([1.0, 0.0]), "mg"), 1, "0.0 mg", (0.0, "mg")),
    ((np.array([1.0, -2.5, 3.0]), "mcg"), 1, "-2.5 mcg", (-2.5, "mcg")),
    ((np.array([1.0, np.nan]), "mg"), 1, "nan mg", (float("nan"), "mg")),
    ((np.array([2e6, 1.0]), "mg"), 0, "2000000.0 mg", (2e6, "mg")),
    ((np.array([1.0, 1e-13, 2.0]), "mg"), 1, "1e-13 mg", (1e-13, "mg")),
    ((np.array([5.0, 2e3], dtype=np.float32), "g"), 1, "2000.0 g", (2e3, "g")),
    (Q_(np.array([1.0, 0.0]), "mg"), 1, "0.0 milligram", (0.0, "mg")),
    ((_objects(Decimal(1), Decimal(0)), "mg"), 1, Decimal(0), (Decimal(0), "mg")),
    ((_objects(Fraction(1), Fraction(3 * 10**9)), "mg"), 1, Fraction(3 * 10**9),
     (Fraction(3 * 10**9), "mg")),
    ((_objects(1, 2, 10**13), "mcg"), 2, 10**13, (10**13, "mcg")),
    ((_objects(1.5, "a"), "mg"), 1, "a", ("a", "mg")),
    ((_objects(1.5, None), "mg"), 1, None, (None, "mg")),
]


@pytest.mark.parametrize(("doses", "i", "value", "alone"), REFUSED_ELEMENTS)
def test_a_refused_element_is_refused_as_measure_refuses_it(doses: Any, i: int, value: Any,
                                                            alone: Any) -> None:
    """Same error class and kind as measure(); the parameter doses[i], with its value."""
    with pytest.raises(InputError) as batch:
        measure_many(doses, STOCK, Dropper())
    with pytest.raises(InputError) as scalar:
        measure(alone, STOCK, Dropper())
    got, want = batch.value, scalar.value
    assert got.parameter == f"doses[{i}]"
    assert type(got) is type(want) and got.kind is want.kind
    assert got.value == value or (value == "nan mg" and got.value == value)


#: (doses, the value named) for a batch refused as a whole (parameter "doses").
REFUSED_BATCHES = [
    (np.array([1.0, 2.0]), "array of shape (2,)"),
    (np.array([[1, 2]]), "array of shape (1, 2)"),
    (np.float64(4.5), np.float64(4.5)),
    (np.array(4.5), np.array(4.5)),
    (Decimal("4.5"), Decimal("4.5")),
    (Fraction(9, 2), Fraction(9, 2)),
    (4, 4),
    (b"4 mg", b"4 mg"),
    (Q_(np.array([1 + 1j, 2]), "mg"), "array of shape (2,)"),
    (Q_(np.array([[1 + 1j], [2]]), "mg"), "array of shape (2, 1)"),
]


@pytest.mark.parametrize(("doses", "value"), REFUSED_BATCHES)
def test_a_refused_batch_names_its_value(doses: Any, value: Any) -> None:
    """Bare numbers, bytes and complex arrays are refused as 'doses', an array by its shape."""
    with pytest.raises(InputError) as info:
        measure_many(doses, STOCK, Dropper())
    assert info.value.parameter == "doses"
    assert type(info.value.value) is type(value) and np.array_equal(info.value.value, value)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 9_000), min_size=1, max_size=6),
       st.sampled_from(sorted(MG_PER)),
       st.sampled_from(["int8", "int16", "int64", "uint8", "uint16", "uint64", "object",
                        "float16", "longdouble", "0-d"]),
       st.sampled_from(["mg", " mg", "mg\t", " mg \t"]))
def test_every_numeric_dtype_reads_as_measure(ints: list[int], unit: str, dtype: str,
                                             spaced: str) -> None:
    """Ints of every width, Python ints, float16, long doubles and 0-d arrays: measure()."""
    if unit == "g":
        ints = [min(x, 1_000) for x in ints]  # plausible: at most 1 kg
    if dtype == "0-d":
        arr: Any = np.array(ints[0])
        ints = ints[:1]
    elif dtype in ("int8", "uint8"):
        ints = [min(x, 100) for x in ints]
        arr = np.array(ints, dtype=dtype)
    elif dtype == "float16":
        ints = [min(x, 2048) for x in ints]  # exact in float16
        arr = np.array(ints, dtype=dtype)
    else:
        arr = np.array(ints, dtype=dtype)
    b = measure_many((arr, spaced.replace("mg", unit)), STOCK, Dropper())
    assert b.shape == (len(ints),)
    for j, x in enumerate(ints):
        assert_element_is_scalar(b, j, (x, unit), STOCK, Dropper(), "nearest")


def test_a_single_text_dose_is_a_batch_of_one_as_measure() -> None:
    """'4.5 mg' and ['4.5 mg'] read the text as measure() does, shape (1,)."""
    for doses in ("0.3 mg", ["0.3 mg"], "300 mcg"):
        b = measure_many(doses, STOCK, Dropper())
        assert b.shape == (1,)
        assert_element_is_scalar(b, 0, "0.3 mg", STOCK, Dropper(), "nearest")


@functools.cache
def _registry() -> Any:
    import pint

    return pint.UnitRegistry()


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(10**6, 10**18), min_size=1, max_size=5),
       st.sampled_from(["femtogram", "picogram", "centigram"]))
def test_int_doses_in_any_registrys_metric_unit(ints: list[int], unit: str) -> None:
    """Femtograms past 2**53 (Python ints), picograms, centigrams: measure(), exact records."""
    registry = _registry()
    scale = {"femtogram": 1, "picogram": 10**-3, "centigram": 10**-14}[unit]
    ints = [max(1, int(x * scale)) for x in ints]
    if unit == "femtogram":  # odd, past 2**53: not even near a float
        ints += [10**18 - 1, 2**53 + 1]
    doses = registry.Quantity(np.array(ints, dtype=np.int64), unit)
    b = measure_many(doses, STOCK, Dropper(), allow_high_dose=True)
    for j, x in enumerate(ints):
        assert_element_is_scalar(b, j, registry.Quantity(x, unit), STOCK, Dropper(), "nearest",
                                 True)
    per = {"femtogram": Fraction(1, 10**12), "picogram": Fraction(1, 10**9),
           "centigram": Fraction(10)}[unit]
    assert b.to_dict()["doses_exact"] == [f"{exact_text(x * per)} mg" for x in ints]


def _batch() -> Any:
    return measure_many(["1 mg", "2 mg", "3 mg"], STOCK, Dropper())


#: (call, parameter named, value named) for the other arguments and methods of a batch.
REFUSED_ARGUMENTS = [
    (lambda: measure_many(["1 mg"], [], Dropper()), "stock", []),
    (lambda: measure_many(["1 mg"], [STOCK, 5], Dropper()), "stock[1]", 5),
    (lambda: measure_many(["1 mg"], STOCK, [Dropper(), 20]), "device[1]", 20),
    (lambda: measure_many(["1 mg"], STOCK, ()), "device", ()),
    (lambda: measure_many(["1 mg"], [STOCK, STOCK], [Dropper()] * 3), "device",
     "an array of shape (3,)"),
    (lambda: measure_many(["1 mg", "2 mg"], STOCK, [Dropper()] * 3), "doses", "shape (2,)"),
    (lambda: measure_many("4,5 mg", STOCK, Dropper()), "doses", "4,5 mg"),
    (lambda: measure_many(["1 mg", "4,5 mg"], STOCK, Dropper()), "doses[1]", "4,5 mg"),
    (lambda: measure_many((np.array([1.0]), "mg\n"), STOCK, Dropper()), "doses", None),
    (lambda: _batch().measurement(3), "index", 3),
    (lambda: _batch().measurement((0, 1)), "index", (0, 1)),
    (lambda: _batch().measurement(-4), "index", -4),
]


@pytest.mark.parametrize(("call", "parameter", "value"), REFUSED_ARGUMENTS)
def test_refused_arguments_name_the_parameter_and_value(call: Any, parameter: str,
                                                        value: Any) -> None:
    """Stocks, devices, shapes, text doses and indices: InputError naming what was given."""
    with pytest.raises(InputError) as info:
        call()
    assert info.value.parameter == parameter
    if value is not None:
        assert info.value.value == value


def test_status_is_read_only() -> None:
    """The status array cannot be written (it decides which outputs are NaN)."""
    b = _batch()
    assert not b.status.flags.writeable
    with pytest.raises(ValueError):
        b.status[0] = 1


@pytest.mark.parametrize("ints", [[10**6, 1, 10**7], [1, 10**6], [10**6, 10**7, 999]])
def test_whole_femtograms_below_a_picogram_are_refused_by_index(ints: list[int]) -> None:
    """1 fg is below the plausible 1 pg: refused as measure() refuses it, at its own index."""
    registry = _registry()
    with pytest.raises(InputError) as batch:
        measure_many(registry.Quantity(np.array(ints), "femtogram"), STOCK, Dropper())
    i = int(np.argmin(ints))
    with pytest.raises(InputError) as scalar:
        measure(registry.Quantity(ints[i], "femtogram"), STOCK, Dropper())
    assert batch.value.parameter == f"doses[{i}]" and batch.value.value == ints[i]
    assert batch.value.kind is scalar.value.kind
