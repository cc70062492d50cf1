"""Stock and device parameters of a batch: each distinct pair worked out once, exactly."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, NamedTuple

from .._rules import bounds_factors
from ..devices import Device, checked_device, device_volume_error, is_device
from ..errors import InputError
from ..stock import Stock
from ._kernels import Int, exact_floats, np

__all__ = ["Objects", "Pair", "pick", "read_pair", "select"]


class Pair(NamedTuple):
    """Exact per-element numbers from a stock and a device (ints or arrays)."""

    r: tuple[Int, Int]  # units per mg: 1 / (concentration x unit volume)
    uv: tuple[Int, Int]  # mL per unit
    q: tuple[Int, Int]  # mg per unit
    low: tuple[Int, Int]  # mg per unit, worst low (tolerances)
    high: tuple[Int, Int]  # mg per unit, worst high
    max_count: Int  # most units the device measures at once


#: The distinct stocks (or devices), and for each element the index of its own
#: (None when a single one serves every element).
Objects = tuple[list[Any], Any]


def _pair_fractions(stock: Stock, device: Device) -> tuple[Fraction | int, ...]:
    """The same exact values :class:`~ldn_compound.Measurement` derives, for one pair."""
    uv = device.unit_volume_ml
    q = stock.concentration_mg_per_ml * uv
    low, high = bounds_factors(stock.content_tolerance, stock.effective_volume_tolerance,
                               device_volume_error(device))
    # The most one dose can draw: what the device measures at once, and never more
    # than the whole stock (measure() refuses both the same way).
    cap = device.capacity_ml
    cap = stock.volume_ml if cap is None else min(cap, stock.volume_ml)
    return 1 / q, uv, q, q * low, q * high, math.floor(cap / uv)


def _is_stock(x: object) -> bool:
    return isinstance(x, Stock)


def _objects(value: Any, check: Any, parameter: str, what: str) -> Any:
    """A single object, or an object array of them (each checked)."""
    if check(value):
        return value
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np().ndarray)):
        raise InputError(parameter, value, what)
    arr = np().asarray(value, dtype=object)
    if arr.size == 0:
        raise InputError(parameter, value, what + ", not an empty sequence")
    for i, obj in enumerate(arr.flat):
        if not check(obj):
            raise InputError(f"{parameter}[{i}]", obj, what)
    return arr


def _index_of_unique(value: Any) -> Objects:
    if not isinstance(value, np().ndarray):
        return [value], None
    seen: dict[int, int] = {}
    uniq: list[Any] = []
    codes = []
    for obj in value.flat:
        i = seen.get(id(obj))
        if i is None:
            i = seen[id(obj)] = len(uniq)
            uniq.append(obj)
        codes.append(i)
    return uniq, np().asarray(codes, dtype=np().int64).reshape(value.shape)


def _nd(x: Fraction | int) -> tuple[int, int]:
    f = Fraction(x)
    return f.numerator, f.denominator


def read_pair(stock: Any, device: Any) -> tuple[Pair, tuple[int, ...], Objects, Objects]:
    """Per-element exact parameters, their shape, and the stocks and devices."""
    n = np()
    stocks = _index_of_unique(_objects(stock, _is_stock, "stock",
                                       "a Stock, or a sequence or array of Stocks"))
    devices = _index_of_unique(_objects(
        device, is_device, "device", "a Dropper or OralSyringe, or a sequence or array of them"))
    for d in devices[0]:
        checked_device(d)
    for s in stocks[0]:
        if s.profile is not None:  # its own decimal-slip limit and bands: one dose at a time
            raise InputError("stock", s, "a stock without a drug profile: measure_many applies "
                                         "naltrexone's limits; measure() each dose of another "
                                         "drug's stock")
    if stocks[1] is None and devices[1] is None:
        f = _pair_fractions(stocks[0][0], devices[0][0])
        r, uv, q, low, high = (_nd(x) for x in f[:5])
        return Pair(r, uv, q, low, high, max_count=f[5]), (), stocks, devices
    s_idx = n.zeros((), n.int64) if stocks[1] is None else stocks[1]
    d_idx = n.zeros((), n.int64) if devices[1] is None else devices[1]
    try:
        s_b, d_b = n.broadcast_arrays(s_idx, d_idx)
    except ValueError as exc:
        raise InputError("device", f"an array of shape {d_idx.shape}",
                         f"a shape that broadcasts with the stocks' shape {s_idx.shape}") from exc
    nd = len(devices[0])
    code = s_b * nd + d_b
    uniq, inverse = n.unique(code.reshape(-1), return_inverse=True)
    inverse = inverse.reshape(code.shape)
    rows = [_pair_fractions(stocks[0][u // nd], devices[0][u % nd]) for u in uniq.tolist()]

    def column(j: int, part: str) -> Int:
        vals = n.empty(len(rows), dtype=object)
        vals[:] = [getattr(Fraction(row[j]), part) for row in rows]
        return exact_floats(vals[inverse])

    r, uv, q, low, high = ((column(j, "numerator"), column(j, "denominator")) for j in range(5))
    max_count = n.asarray([row[5] for row in rows], dtype=n.float64)[inverse]
    return (Pair(r, uv, q, low, high, max_count=max_count), code.shape,
            (stocks[0], s_idx), (devices[0], d_idx))


def pick(objects: Objects, shape: tuple[int, ...], flat: int) -> Any:
    """The stock or device of element ``flat``."""
    uniq, index = objects
    if index is None:
        return uniq[0]
    return uniq[int(np().broadcast_to(index, shape).reshape(-1)[flat])]


def select(objects: Objects, shape: tuple[int, ...]) -> list[tuple[Any, Any]]:
    """Each distinct stock or device, with the mask of its elements (None: all of them)."""
    uniq, index = objects
    if index is None:
        return [(uniq[0], None)]
    full = np().broadcast_to(index, shape)
    return [(obj, full == i) for i, obj in enumerate(uniq)]
