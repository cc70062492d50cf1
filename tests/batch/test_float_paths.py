"""Float doses on every path of the filter: exact ties, limits and thresholds sat on exactly.

Each test puts doses where the float64 estimate cannot decide (a rounding tie, a
whole unit, 45 mg, 5 mg, a rounding error of exactly 5 %) on the block path (one
stock and device), the broadcast path (a stock per dose or a column of stocks), past
one block of elements, and past 2**50 units; every element is then measure().
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import Dropper, OralSyringe, Stock, measure_many
from ldn_compound._rules import DECIMAL_SLIP_MG, LDN_MAX_MG, ROUNDING_WARNING
from ldn_compound.batch._kernels import BLOCK
from ldn_compound.strategies import rounding_modes

from ._cases import MG_PER, index
from ._scalar import assert_element_is_scalar

#: Stocks whose drop or graduation holds a short decimal of mg: 0.25, 0.105, 0.095 (Dropper).
STOCKS = [Stock.from_tablets("50 mg", "10 mL"), Stock(drug="21 mg", volume="10 mL"),
          Stock(drug="19 mg", volume="10 mL")]
DEVICES = [Dropper(), OralSyringe(capacity="1 mL"), Dropper(40)]


def _per_unit(stock: Stock, device: Any) -> Fraction:
    return Fraction(stock.concentration_mg_per_ml * device.unit_volume_ml)


def _as_float(mg: Fraction, unit: str) -> float | None:
    """The float whose shortest decimal is ``mg`` in ``unit``, or None if there is none."""
    x = float(mg / MG_PER[unit])
    return x if Fraction(repr(x)) == mg / MG_PER[unit] else None


def assert_all_scalar(b: Any, doses: Any, unit: str, stock: Any, device: Any, rounding: str,
                      allow_high_dose: bool = False, only: Any = None) -> None:
    """Every element (or those of ``only``, flat) of ``b`` is measure() of its inputs."""
    shape = b.shape
    d = np.broadcast_to(np.asarray(doses), shape).reshape(-1)
    s = np.broadcast_to(np.asarray(stock, dtype=object), shape).reshape(-1)
    v = np.broadcast_to(np.asarray(device, dtype=object), shape).reshape(-1)
    for j in range(len(b)) if only is None else only:
        assert_element_is_scalar(b, index(shape, j), (float(d[j]), unit), s[j], v[j], rounding,
                                 allow_high_dose)


def _objects(values: list[Any], shape: tuple[int, ...] | None = None) -> Any:
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr if shape is None else arr.reshape(shape)


@st.composite
def boundary_doses(draw: st.DrawFn, stock: Stock, device: Any, unit: str) -> float:
    """A dose of exactly k + 1/2 or k units (k small), in ``unit``, or a neighbour float."""
    q = _per_unit(stock, device)
    k = draw(st.one_of(st.integers(0, 3), st.integers(0, 400)))
    mg = (k + draw(st.sampled_from([Fraction(1, 2), Fraction(0), Fraction(1)]))) * q
    x = _as_float(mg, unit) if mg else None
    if x is None:
        x = float(round(max(mg, q) / MG_PER[unit], 3)) or 1.0
    return float(np.nextafter(x, draw(st.sampled_from([0.0, x, 2 * x]))))


@settings(max_examples=40, deadline=None)
@given(st.data(), st.sampled_from(["mg", "mcg", "g"]), rounding_modes(),
       st.sampled_from(["one", "per dose", "column"]))
def test_ties_and_whole_units_on_every_path(data: st.DataObject, unit: str, rounding: str,
                                            layout: str) -> None:
    """Exact ties and whole units, and their neighbours: one pair, a stock per dose, a column."""
    n = data.draw(st.integers(1, 8))
    picks = data.draw(st.lists(st.tuples(st.sampled_from(STOCKS), st.sampled_from(DEVICES)),
                               min_size=n, max_size=n))
    if layout == "one":
        picks = [picks[0]] * n
    doses = np.array([data.draw(boundary_doses(s, d, unit)) for s, d in picks])
    if layout == "one":
        stock: Any = picks[0][0]
        device: Any = picks[0][1]
    elif layout == "per dose":
        stock, device = _objects([s for s, _ in picks]), _objects([d for _, d in picks])
    else:
        stock, device = _objects(STOCKS[:2], (2, 1)), _objects([d for _, d in picks])
    b = measure_many((doses, unit), stock, device, rounding=rounding, allow_high_dose=True)
    assert_all_scalar(b, doses, unit, stock, device, rounding, True)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(0, 4000), min_size=1, max_size=8), st.sampled_from(["g", "mg"]),
       rounding_modes())
def test_ties_at_large_counts_in_grams(ks: list[int], unit: str, rounding: str) -> None:
    """k + 1/2 drops of 0.105 mg, given in g: a float tie that may fall either side."""
    stock, device = STOCKS[1], Dropper()
    q = _per_unit(stock, device)
    xs = [_as_float((k + Fraction(1, 2)) * q, unit) for k in ks]
    doses = np.array([x for x in xs if x is not None] or [0.0525])
    b = measure_many((doses, unit), stock, device, rounding=rounding, allow_high_dose=True)
    assert_all_scalar(b, doses, unit, stock, device, rounding, True)


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 2**32 - 1), rounding_modes(), st.booleans())
def test_near_elements_past_the_first_block(seed: int, rounding: str, per_dose: bool) -> None:
    """Ties after the first block of elements are found at their own index, exactly."""
    rng = np.random.default_rng(seed)
    size = BLOCK + 1000
    stock: Any = STOCKS[1]
    doses = rng.integers(1, 451, size) / 100  # whole 0.01 mg: no tie at 0.105 mg a drop
    where = rng.choice(np.arange(BLOCK, size), 6, replace=False)
    doses[where] = [0.0525, 0.1575, 0.2625, 1.0395, 0.105, 0.21]  # ties and whole drops
    if per_dose:
        stock = _objects([STOCKS[1], STOCKS[0]] * (size // 2))
    b = measure_many((doses, "mg"), stock, Dropper(), rounding=rounding)
    assert_all_scalar(b, doses, "mg", stock, Dropper(), rounding,
                      only=[*where.tolist(), *rng.choice(size, 6).tolist()])


def test_counts_past_two_to_the_fifty_are_over_capacity() -> None:
    """A stock of 1 ng in 1,000 L: 2**50 drops and more, refused as the scalar refuses them."""
    weak = Stock(drug="1 ng", volume="1000 L")
    doses = np.array([999.0, 1.5, 0.3, 250.0])
    for unit in ("g", "mg"):
        for rounding in ("nearest", "down", "up"):
            b = measure_many((doses, unit), weak, Dropper(), rounding=rounding,
                             allow_high_dose=True)
            assert b.summary["over_capacity"] == len(doses)
            assert_all_scalar(b, doses, unit, weak, Dropper(), rounding, True)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([DECIMAL_SLIP_MG, LDN_MAX_MG]), st.sampled_from(sorted(MG_PER)),
       st.lists(st.integers(-3, 3), min_size=1, max_size=6), st.booleans(),
       st.sampled_from(["one", "column"]))
def test_doses_on_45_and_5_mg_and_a_few_floats_either_side(limit: Fraction, unit: str,
                                                           steps: list[int],
                                                           allow_high_dose: bool,
                                                           layout: str) -> None:
    """45 mg and 5 mg exactly, and floats a few spacings away, in every unit: measure()."""
    x0 = float(limit / MG_PER[unit])
    doses = []
    for s in steps:
        x = x0
        for _ in range(abs(s)):
            x = float(np.nextafter(x, 0.0 if s < 0 else 2 * x0))
        doses.append(x)
    doses_arr = np.array(doses)
    stock: Any = Stock(drug="1000 mg", volume="10 mL") if layout == "one" else \
        _objects([Stock(drug="1000 mg", volume="10 mL"), STOCKS[0]], (2, 1))
    device = OralSyringe(capacity="3 mL")
    b = measure_many((doses_arr, unit), stock, device, allow_high_dose=allow_high_dose)
    assert_all_scalar(b, doses_arr, unit, stock, device, "nearest", allow_high_dose)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 18), st.sampled_from(sorted(MG_PER)), st.sampled_from(["one", "column"]),
       st.lists(st.integers(-1, 1), min_size=1, max_size=3))
def test_a_rounding_error_of_exactly_five_percent(c: int, unit: str, layout: str,
                                                  steps: list[int]) -> None:
    """c drops for 20c/21 (nearest, up) or 20c/19 (down) drops: 5 % exactly, not beyond."""
    for stock, rounding in ((STOCKS[1], "nearest"), (STOCKS[1], "up"), (STOCKS[2], "down")):
        q = _per_unit(stock, Dropper())
        units = Fraction(20 * c, 21 if stock is STOCKS[1] else 19)
        if rounding != "down" and c > 10:
            continue
        assert abs(c - units) == units * ROUNDING_WARNING  # on the threshold exactly
        x = _as_float(units * q, unit)
        if x is None:
            continue
        doses = np.array([float(np.nextafter(x, x + s)) if s else x for s in steps])
        col: Any = stock if layout == "one" else _objects([stock, STOCKS[0]], (2, 1))
        b = measure_many((doses, unit), col, Dropper(), rounding=rounding, allow_high_dose=True)
        assert_all_scalar(b, doses, unit, col, Dropper(), rounding, True)


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([2, 3]), rounding_modes(),
       st.sampled_from(["rounding_error", "volume_ml"]))
def test_six_place_doses_where_the_sample_reads_three(seed: int, step: int, rounding: str,
                                                      first: str) -> None:
    """The sample reads 3 places, the rest need 6: the error is read again at 6, exactly."""
    rng = np.random.default_rng(seed)
    size = 1024 * step
    doses = rng.integers(200_000, 4_500_000, size) / 10**6  # 6 places
    doses[::step] = rng.integers(200, 4500, 1024) / 1000  # 3 places where the sample looks
    b = measure_many((doses, "mg"), STOCKS[1], Dropper(), rounding=rounding)
    getattr(b, first)
    assert_all_scalar(b, doses, "mg", STOCKS[1], Dropper(), rounding,
                      only=rng.choice(size, 12).tolist())


ODD_TOLERANCES = [Stock(drug="50 mg", volume="10 mL", content_tolerance="0.0123456789",
                        volume_tolerance="0.0234567891"),
                  Stock(drug="21 mg", volume="10 mL", content_tolerance="0.0987654321")]


@settings(max_examples=20, deadline=None)
@given(st.lists(st.decimals("0.05", "4.5", places=3), min_size=1, max_size=5),
       st.sampled_from(["one", "two"]), st.sampled_from(["float", "text"]))
def test_bounds_with_tolerances_of_ten_digits(values: list[Any], layout: str,
                                              form: str) -> None:
    """Tolerances whose bounds have numerators past 2**52: every bound is measure()'s."""
    stock: Any = ODD_TOLERANCES[0] if layout == "one" else _objects(ODD_TOLERANCES, (2, 1))
    device = Dropper(drops_per_mL=23, volume_error="0.0345678912")
    doses: Any = (np.array([float(v) for v in values]), "mg") if form == "float" \
        else [f"{v} mg" for v in values]
    b = measure_many(doses, stock, device)
    assert_all_scalar(b, [float(v) for v in values], "mg", stock, device, "nearest")


def test_outputs_are_kept_and_read_only() -> None:
    """Each output is computed once and kept (the same array again), never writable."""
    for doses in ((np.array([0.3, 1.5, 60.0]), "mg"), ["0.3 mg", "1.5 mg", "60 mg"]):
        b = measure_many(doses, STOCKS[0], Dropper())
        for name in ("count", "status", "ok", "target_mg", "volume_ml", "delivered_mg",
                     "rounding_error", "status_names", "accuracy_problem", "flags",
                     "bounds_mg", "warnings"):
            first = getattr(b, name)
            assert getattr(b, name) is first or name == "bounds_mg", name
            for arr in first if isinstance(first, tuple) and name != "warnings" else [first]:
                if hasattr(arr, "flags"):
                    assert not arr.flags.writeable, name


def test_every_count_zero_with_tolerances_of_ten_digits() -> None:
    """Doses that all round to 0 with bounds past 2**52: every output NaN, as measure() says."""
    stock = _objects(ODD_TOLERANCES, (2, 1))
    device = Dropper(drops_per_mL=23, volume_error="0.0345678912")
    for doses in ((np.array([0.001, 0.002]), "mg"), ["0.001 mg", "0.002 mg"]):
        b = measure_many(doses, stock, device)
        assert b.summary["rounds_to_zero"] == 4
        assert_all_scalar(b, [0.001, 0.002], "mg", stock, device, "nearest")


def test_every_count_zero_with_a_bound_numerator_past_two_to_the_52() -> None:
    """100 mg drops with a 14-digit tolerance (low bound n/d, n past 2**52): NaN, no error."""
    col = _objects([Stock(drug="1000 mg", volume="10 mL", content_tolerance="0.01234567891237"),
                    Stock(drug="900 mg", volume="10 mL", content_tolerance="0.01234567891233")],
                   (2, 1))
    device = Dropper(drops_per_mL=1)
    for doses in ((np.array([1.0, 2.0]), "mg"), ["1 mg", "2 mg"]):
        b = measure_many(doses, col, device)
        assert b.summary["rounds_to_zero"] == 4
        assert_all_scalar(b, [1.0, 2.0], "mg", col, device, "nearest")


@settings(max_examples=20, deadline=None)
@given(st.lists(st.decimals("0.05", "4.5", places=2), min_size=1, max_size=6),
       st.sampled_from(["0.15 mL", "0.3 mL", "0.06 mL"]), st.sampled_from(["one", "two"]))
def test_syringes_whose_graduation_is_not_one_over_n(values: list[Any], graduation: str,
                                                     layout: str) -> None:
    """Graduations of 3/20, 3/10, 3/50 mL: small-volume and 20 % findings are measure()'s."""
    syringe = OralSyringe(capacity="3 mL", graduation=graduation)
    device: Any = syringe if layout == "one" else [Dropper(), syringe] * 3
    n = len(values) if layout == "one" else 6
    doses = np.array([float(values[j % len(values)]) for j in range(n)])
    b = measure_many((doses, "mg"), STOCKS[0], device)
    assert_all_scalar(b, doses, "mg", STOCKS[0], device, "nearest")
