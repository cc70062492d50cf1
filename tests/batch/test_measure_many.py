"""measure_many: element by element the same as measure, exactly, without a Python loop."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pint
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ldn_compound import (
    Q_,
    Dropper,
    InputError,
    OralSyringe,
    Status,
    Stock,
    UnitError,
    UnmeasurableDoseError,
    measure,
    measure_many,
)
from ldn_compound.strategies import devices, rounding_modes, stocks

from ._scalar import assert_element_is_scalar, expected_status

WORKED_STOCK = Stock.from_tablets("50 mg", "10 mL")  # 5 mg/mL
# Stocks whose dose per drop or graduation is a short decimal, so (k + 1/2) drops is an
# exact half-way dose: 50 mg in 10, 20, 25, 40 or 50 mL.
TERMINATING_STOCKS = st.sampled_from([Stock.from_tablets("50 mg", f"{v} mL")
                                      for v in (10, 20, 25, 40, 50)])


dose_decimals = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("60"), places=4)
mcg_decimals = st.decimals(min_value=Decimal("0.1"), max_value=Decimal("60000"), places=1)


@st.composite
def half_way_doses(draw: st.DrawFn, stock: Stock, device: Any) -> float:
    """(k + 1/2) times the dose in one drop or graduation: a tie, exactly."""
    per = stock.concentration_mg_per_ml * device.unit_volume_ml
    k = draw(st.integers(0, 60))
    return float((k + Fraction(1, 2)) * per)


# -- identity with the scalar path ---------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(st.lists(dose_decimals, min_size=1, max_size=25), stocks(), devices(), rounding_modes())
def test_batch_equals_scalar_for_decimal_doses(values: list[Decimal], stock: Stock,
                                               device: Any, rounding: str) -> None:
    """Float doses in mg: every count, status, dose and volume equals measure()'s."""
    doses = np.array([float(v) for v in values])
    b = measure_many((doses, "mg"), stock, device, rounding=rounding)
    for i, x in enumerate(doses):
        assert_element_is_scalar(b, i, (float(x), "mg"), stock, device, rounding)


@settings(max_examples=80, deadline=None)
@given(st.data(), TERMINATING_STOCKS, st.sampled_from([Dropper(), OralSyringe(capacity="1 mL"),
                                                       Dropper(drops_per_mL=25)]),
       rounding_modes(), st.sampled_from(["array", "strings", "device list"]))
def test_batch_equals_scalar_at_half_way_cases(data: st.DataObject, stock: Stock, device: Any,
                                               rounding: str, form: str) -> None:
    """Exact ties (k + 1/2 drops) round as measure() rounds them: nearest goes up.

    Each input form takes its own path: float arrays the block-wise fast path,
    strings and arrays of devices the general one.
    """
    doses = data.draw(st.lists(half_way_doses(stock, device), min_size=1, max_size=20))
    given_doses: Any = (np.array(doses), "mg")
    if form == "strings":
        given_doses = [f"{x!r} mg" for x in doses]
    b = measure_many(given_doses, stock, [device] if form == "device list" else device,
                     rounding=rounding, allow_high_dose=True)
    per = stock.concentration_mg_per_ml * device.unit_volume_ml
    for i, x in enumerate(doses):
        assert_element_is_scalar(b, i, (x, "mg"), stock, device, rounding, True)
        units = Fraction(repr(x)) / per
        assert units.denominator == 2  # a true tie: the test would be weaker otherwise
        if rounding == "nearest" and b.ok[i]:
            assert b.count[i] == units.numerator // 2 + 1  # ties away from zero


@settings(max_examples=50, deadline=None)
@given(st.lists(mcg_decimals, min_size=1, max_size=20), stocks(), devices(), rounding_modes())
def test_batch_equals_scalar_for_mcg_doses(values: list[Decimal], stock: Stock, device: Any,
                                           rounding: str) -> None:
    """Doses in mcg are scaled exactly (1 mcg = 1/1000 mg), as the scalar path scales them."""
    doses = np.array([float(v) for v in values])
    b = measure_many((doses, "mcg"), stock, device, rounding=rounding)
    for i, x in enumerate(doses):
        assert_element_is_scalar(b, i, (float(x), "mcg"), stock, device, rounding)


@settings(max_examples=40, deadline=None)
@given(st.lists(dose_decimals, min_size=1, max_size=6),
       st.lists(stocks(), min_size=1, max_size=3),
       st.lists(st.fractions(min_value=10, max_value=40, max_denominator=4), min_size=1,
                max_size=3),
       rounding_modes())
def test_batch_broadcasts_over_stocks_and_droppers(values: list[Decimal], stock_list: list[Stock],
                                                   drops: list[Fraction], rounding: str) -> None:
    """Doses (n, 1) x stocks (m, 1, 1)... broadcast by numpy rules, each cell as measure()."""
    doses = np.array([float(v) for v in values]).reshape(-1, 1)
    droppers = [Dropper(drops_per_mL=d) for d in drops]
    stock_col = np.empty((len(stock_list), 1, 1), dtype=object)
    stock_col[:, 0, 0] = stock_list
    b = measure_many((doses, "mg"), stock_col, droppers, rounding=rounding)
    assert b.shape == (len(stock_list), len(values), len(drops))
    for s, stock in enumerate(stock_list):
        for i, x in enumerate(doses[:, 0]):
            for j, dropper in enumerate(droppers):
                assert_element_is_scalar(b, (s, i, j), (float(x), "mg"), stock, dropper,
                                         rounding)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(dose_decimals, st.sampled_from(["mg", "mcg", "g"])), min_size=1,
                max_size=12), stocks(), devices(), rounding_modes(), st.booleans())
def test_batch_equals_scalar_for_strings_and_quantities(
        items: list[tuple[Decimal, str]], stock: Stock, device: Any, rounding: str,
        as_text: bool) -> None:
    """A list of strings or of Quantities gives what measure() gives for each."""
    doses = [f"{v} {u}" if as_text else Q_(float(v), u) for v, u in items]
    try:
        b = measure_many(doses, stock, device, rounding=rounding)
    except InputError as exc:  # an implausible dose (e.g. 60 g): measure refuses it too
        i = int(exc.parameter.split("[")[1].rstrip("]"))
        with pytest.raises(InputError):
            measure(doses[i], stock, device, rounding=rounding)
        return
    for i, dose in enumerate(doses):
        assert_element_is_scalar(b, i, dose, stock, device, rounding)


@pytest.mark.parametrize("doses", [
    [0.1 + 0.2, 4.5],  # 0.30000000000000004 needs 17 digits: the one-by-one slow path
    [1e-7, 4.123456789012],  # needs 12 places
    [123456.789, 0.5],  # large counts, still within float64's exact integers
    [1000.123456789012, 0.5],  # 12 places x 1750 outgrows 2**52: exact Python ints take over
])
@pytest.mark.parametrize("rounding", ["nearest", "down", "up"])
def test_slow_paths_are_still_exact(doses: list[float], rounding: str) -> None:
    """Doses that defeat the fast path still equal the scalar path exactly."""
    stock = Stock(drug="1 mg", volume="100 mL")  # 0.01 mg/mL
    syringe = OralSyringe(capacity="1 mL")
    for device in (Dropper(drops_per_mL=Fraction(35, 2)), syringe):
        b = measure_many((np.array(doses), "mg"), stock, device, rounding=rounding,
                         allow_high_dose=True)
        for i, x in enumerate(doses):
            assert_element_is_scalar(b, i, (x, "mg"), stock, device, rounding, True)


def test_worked_example_drop_ladder() -> None:
    """One 50 mg tablet in 10 mL at 20 drops/mL is 0.25 mg a drop (REFERENCES: drop ladder)."""
    b = measure_many((np.array([0.25, 1, 4.5]), "mg"), WORKED_STOCK, Dropper())
    # hand check: 0.25 / 0.25 = 1 drop, 1 / 0.25 = 4, 4.5 / 0.25 = 18 drops = 0.9 mL
    assert b.count.tolist() == [1, 4, 18]
    assert b.volume_ml.tolist() == [0.05, 0.2, 0.9]
    assert b.delivered_mg.tolist() == [0.25, 1.0, 4.5]
    assert b.rounding_error.tolist() == [0.0, 0.0, 0.0]


def test_exact_where_floats_are_wrong() -> None:
    """0.25 mg at 50 mg/15 mL and 20 drops/mL is exactly 1.5 drops: 2, where floats say 1."""
    stock = Stock.from_tablets("50 mg", "15 mL")  # 10/3 mg/mL, 1/6 mg a drop
    # hand check: 0.25 / (1/6) = 1.5 exactly; in floats 0.25 / (10/3 * 0.05) = 1.4999999999999998
    assert math.floor(0.25 / (10 / 3 * 0.05) + 0.5) == 1
    b = measure_many((np.array([0.25]), "mg"), stock, Dropper())
    assert b.count.tolist() == [2]
    assert measure("0.25 mg", stock, Dropper()).count == 2


def test_unmeasurable_elements_get_a_status_not_an_error() -> None:
    """Rounds to zero, over capacity and high doses are statuses; the rest is measured."""
    dropper = Dropper(max_drops=20)
    b = measure_many((np.array([0.1, 4.5, 6, 50]), "mg"), WORKED_STOCK, dropper)
    # hand check at 0.25 mg a drop: 0.4 drop -> 0; 18 drops; 24 drops > 20; 50 mg >= 45 mg
    assert [Status(int(s)) for s in b.status] == [
        Status.ROUNDS_TO_ZERO, Status.OK, Status.OVER_CAPACITY, Status.HIGH_DOSE]
    assert b.count.tolist() == [0, 18, 0, 0]
    assert b.status_names.tolist() == ["rounds_to_zero", "ok", "over_capacity", "high_dose"]
    assert b.summary == {"ok": 1, "rounds_to_zero": 1, "over_capacity": 1, "high_dose": 1}
    assert any("decimal slip" in w for w in b.warnings)
    with pytest.raises(UnmeasurableDoseError, match="Would work"):
        b.measurement(0)  # the scalar error names a stock that would work
    assert b.measurement(1).count == 18
    allowed = measure_many((np.array([50]), "mg"), WORKED_STOCK, Dropper(),
                           allow_high_dose=True)
    assert allowed.count.tolist() == [200]  # 50 / 0.25


def test_results_are_read_only_and_quantities() -> None:
    """Arrays cannot be changed behind the frozen result; quantities carry mg and mL."""
    b = measure_many(Q_(np.array([0.5, 4.5]), "mg"), WORKED_STOCK, Dropper())
    with pytest.raises(ValueError):
        b.count[0] = 3
    with pytest.raises(ValueError):
        b.volume_ml[0] = 3.0
    assert b.volume.to("mL").magnitude.tolist() == [0.1, 0.9]
    assert b.delivered.to("mg").magnitude.tolist() == [0.5, 4.5]
    low, _high = b.bounds
    assert low.to("mg").magnitude[1] == float(measure("4.5 mg", WORKED_STOCK,
                                                       Dropper()).exact_bounds[0])
    assert len(b) == 2 and "2 doses: 2 measurable" in str(b)
    data = json.loads(b.to_json())
    assert data["count"] == [2, 18] and data["status"] == ["ok", "ok"]


def test_quantities_from_a_separate_registry() -> None:
    """A caller's own pint.UnitRegistry() works: its units are read, never mixed."""
    ureg = pint.UnitRegistry()
    for q in (ureg.Quantity(np.array([450.0, 4500.0]), "microgram"),
              ureg.Quantity(np.array([0.45, 4.5]), "mg"),
              ureg.Quantity(np.array([0.00045, 0.0045]), "gram")):
        b = measure_many(q, WORKED_STOCK, Dropper())
        assert b.count.tolist() == [2, 18]  # 0.45 / 0.25 = 1.8 -> 2; 4.5 / 0.25 = 18
    listed = measure_many([ureg.Quantity(450, "microgram"), ureg.Quantity(4.5, "mg")],
                          WORKED_STOCK, Dropper())
    assert listed.count.tolist() == [2, 18]


BAD_INPUTS = [
    (np.array([1.0, 2.0]), InputError, "doses", "bare numbers have no unit"),
    ((np.array([1.0, -2.0]), "mg"), InputError, r"doses\[1\]", "positive"),
    ((np.array([1.0, np.nan]), "mg"), InputError, r"doses\[1\]", "finite"),
    ((np.array([np.inf]), "mg"), InputError, r"doses\[0\]", "finite"),
    ((np.array([0.0]), "mg"), InputError, r"doses\[0\]", "positive"),
    ((np.array([2e6]), "mg"), InputError, r"doses\[0\]", "plausible"),
    ((np.array([1.0]), "mL"), UnitError, "doses", "not a volume"),
    ((np.array([1.0]), "furlong"), UnitError, "doses", "unknown unit"),  # no pint text parsing (issue 8)
    ((np.array([1.0]), "zzz"), InputError, "doses", "unknown unit"),
    ((np.array(["1"]), "mg"), InputError, "doses", "numbers"),
    (["4.5 mg", "4,5 mg"], InputError, r"doses\[1\]", "commas"),
    (["4.5 mg", 4.5], InputError, r"doses\[1\]", "no unit"),
    (["4.5 mg", "5 mL"], UnitError, r"doses\[1\]", "volume"),
    (Q_(np.array([1.0]), "mL"), UnitError, "doses", "mass"),
    (4.5, InputError, "doses", "no unit"),
    (None, InputError, "doses", "sequence"),
]


@pytest.mark.parametrize(("doses", "error", "parameter", "message"), BAD_INPUTS)
def test_bad_doses(doses: Any, error: type, parameter: str, message: str) -> None:
    """Bad doses raise for the whole batch, naming the element and what would work."""
    with pytest.raises(error, match=message) as info:
        measure_many(doses, WORKED_STOCK, Dropper())
    assert re.fullmatch(parameter, info.value.parameter)


@pytest.mark.parametrize(("kwargs", "parameter"), [
    ({"stock": "5 mg/mL"}, "stock"),
    ({"stock": [WORKED_STOCK, "5 mg/mL"]}, "stock[1]"),
    ({"stock": []}, "stock"),
    ({"device": 20}, "device"),
    ({"device": [Dropper(), None]}, "device[1]"),
    ({"device": [Dropper()] * 3, "doses": (np.array([1.0, 2.0]), "mg")}, "doses"),
    ({"rounding": "half-even"}, "rounding"),
    ({"allow_high_dose": "yes"}, "allow_high_dose"),
])
def test_bad_arguments(kwargs: dict[str, Any], parameter: str) -> None:
    """Bad stocks, devices, shapes, rounding or flags raise InputError naming the argument."""
    args = {"doses": (np.array([1.0]), "mg"), "stock": WORKED_STOCK, "device": Dropper(),
            **kwargs}
    doses, stock, device = args.pop("doses"), args.pop("stock"), args.pop("device")
    with pytest.raises(InputError) as info:
        measure_many(doses, stock, device, **args)
    assert info.value.parameter == parameter


def test_import_stays_light() -> None:
    """import ldn_compound loads neither numpy nor pint; measure_many imports numpy itself."""
    code = ("import sys, ldn_compound; print('numpy' in sys.modules, 'pint' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["False", "False"]


THREADS = """
import json, sys, threading
import numpy as np
import ldn_compound as L
assert "pint" not in sys.modules  # the registry is really cold
stock, dropper = L.Stock.from_tablets("50 mg", "10 mL"), L.Dropper()
barrier = threading.Barrier(8)
errors, results = [], []
def first_call():
    try:
        barrier.wait()
        delivered = L.measure("4.5 mg", stock, dropper).delivered.to("mg").magnitude
        b = L.measure_many(L.Q_(np.array([0.5, 4.5]), "mg"), stock, dropper)
        results.append([delivered, b.delivered.to("mg").magnitude.tolist(), b.count.tolist()])
    except BaseException as exc:
        errors.append(repr(exc))
threads = [threading.Thread(target=first_call) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps({"errors": errors, "results": results}))
"""


def test_first_calls_from_8_threads_at_once() -> None:
    """8 threads touching units for the first time together all succeed (fresh process)."""
    out = subprocess.run([sys.executable, "-c", THREADS], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    report = json.loads(out)
    assert report["errors"] == []
    assert report["results"] == [[4.5, [0.5, 4.5], [2, 18]]] * 8


@given(st.lists(dose_decimals, min_size=1, max_size=10), stocks(), devices(), rounding_modes())
@settings(max_examples=30, deadline=None)
def test_measurement_of_an_element_is_the_scalar_result(values: list[Decimal], stock: Stock,
                                                        device: Any, rounding: str) -> None:
    """batch.measurement(i) is measure() of that dose (or raises as it raises)."""
    doses = np.array([float(v) for v in values])
    b = measure_many((doses, "mg"), stock, device, rounding=rounding)
    i = len(values) - 1
    _status, m = expected_status((float(doses[i]), "mg"), stock, device, rounding)
    assume(m is not None)
    assert b.measurement(i).to_dict() == m.to_dict()


@pytest.mark.parametrize("doses", ["4.5 mg", Q_(4.5, "mg"), (4.5, "mg"), ["4.5 mg"],
                                   (np.array([4.5]), "mg"), (np.array([4500]), "mcg")])
def test_a_single_dose_is_a_batch_of_one(doses: Any) -> None:
    """One dose, however given, is a batch of shape (1,): 4.5 mg / 0.25 mg = 18 drops."""
    b = measure_many(doses, WORKED_STOCK, Dropper())
    assert b.shape == (1,) and b.count.tolist() == [18] and b.volume_ml.tolist() == [0.9]
    assert str(b).startswith("1 dose: 1 measurable")


def test_empty_and_two_dimensional_batches() -> None:
    """No doses give empty arrays; a 2-d array keeps its shape (0.25 mg a drop)."""
    empty = measure_many((np.array([]), "mg"), WORKED_STOCK, Dropper())
    assert empty.shape == (0,) and empty.count.tolist() == [] and empty.summary["ok"] == 0
    grid = measure_many((np.array([[0.5, 1.0], [2.0, 4.5]]), "mg"), WORKED_STOCK, Dropper())
    assert grid.count.tolist() == [[2, 4], [8, 18]]
    assert grid.measurement((1, 1)).count == 18


@settings(max_examples=40, deadline=None)
@given(st.lists(dose_decimals, min_size=1, max_size=10),
       st.decimals(min_value=Decimal("0"), max_value=Decimal("0.2"), places=3),
       st.decimals(min_value=Decimal("0"), max_value=Decimal("0.2"), places=3),
       st.decimals(min_value=Decimal("0"), max_value=Decimal("0.3"), places=2),
       st.booleans())
def test_bounds_follow_every_tolerance(values: list[Decimal], content: Decimal, volume: Decimal,
                                       device_tol: Decimal, as_list: bool) -> None:
    """Worst-case bounds use the stock's and the device's own tolerances, as measure() does."""
    stock = Stock.from_tablets("50 mg", "12.5 mL", content_tolerance=content,
                               volume_tolerance=volume)
    device: Any = Dropper(drops_per_mL=Fraction(45, 2), volume_error=device_tol)
    doses = np.array([float(v) for v in values])
    b = measure_many((doses, "mg"), stock, [device] if as_list else device,
                     allow_high_dose=True)
    for i, x in enumerate(doses):
        assert_element_is_scalar(b, i, (float(x), "mg"), stock, device, "nearest", True)
