"""What the equipment and the device allow: the search space, the window of
concentrations that can serve the doses, and the exact test of a concentration."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import attrs

from .._exact import round_to_int
from .._rules import least_accurate_count
from ..devices import Device, OralSyringe
from ..equipment import Equipment, is_container, is_transfer, measurable_volumes, relative_tolerance
from ._search import SearchSpace

__all__: list[str] = []


@attrs.frozen
class _Setup:
    device: Device
    max_rounding_error: Fraction
    max_volume: Fraction
    equipment: tuple[Equipment, ...]
    space: SearchSpace
    take_item: dict[Fraction, tuple[Fraction, Equipment]]
    make_up_item: dict[Fraction, tuple[Fraction, Equipment]]
    n_min: int
    n_max_device: int | None


def _best_items(items: Sequence[Equipment], limit: Fraction | None
                ) -> dict[Fraction, tuple[Fraction, Equipment]]:
    """Volume -> (relative tolerance, item): the most accurate item for each volume."""
    out: dict[Fraction, tuple[Fraction, Equipment]] = {}
    for item in items:
        for v in measurable_volumes(item):
            if limit is not None and v > limit:
                continue
            tol = relative_tolerance(item, v)
            held = out.get(v)
            if held is None or (tol, item.capacity_ml) < (held[0], held[1].capacity_ml):
                out[v] = (tol, item)
    return out


def _setup(device: Device, max_rounding_error: Fraction, max_volume: Fraction,
           equipment: tuple[Equipment, ...]) -> _Setup:
    takes = _best_items([i for i in equipment if is_transfer(i)], None)
    containers = [i for i in equipment if is_container(i) and i.capacity_ml <= max_volume]
    make_ups = _best_items(containers, max_volume)
    scale = math.lcm(*(v.denominator for v in (*takes, *make_ups))) if takes or make_ups else 1
    space = SearchSpace(scale, tuple(sorted(int(v * scale) for v in takes)),
                        tuple(sorted(int(v * scale) for v in make_ups)))
    u = device.unit_volume_ml
    cap = device.capacity_ml
    n_min = 1
    if isinstance(device, OralSyringe):
        # the planner's doses clear both syringe rules: 20 % of capacity, > 0.1 mL
        n_min = least_accurate_count(u, device.capacity_ml)
    n_max = None if cap is None else int(cap // u)
    return _Setup(device, max_rounding_error, max_volume, equipment, space, takes, make_ups,
                  n_min, n_max)


def _window(setup: _Setup, doses: Sequence[Fraction]) -> tuple[Fraction, Fraction]:
    """A necessary range (mg/mL) for a concentration that serves every dose."""
    u = setup.device.unit_volume_ml
    tol = setup.max_rounding_error
    n_max = setup.n_max_device
    if n_max is None:
        n_max = int(setup.max_volume // u)
    # The nearest count n of x = dose / (u * conc) must satisfy n_min <= n <= n_max
    # and |n / x - 1| <= tol, so x >= n_min - 1/2 and x >= n_min / (1 + tol), and
    # x < n_max + 1/2 and x <= n_max / (1 - tol).
    lo = max(d / (u * min(n_max / (1 - tol), n_max + Fraction(1, 2))) for d in doses)
    hi = min(d / (u * max(setup.n_min / (1 + tol), setup.n_min - Fraction(1, 2)))
             for d in doses)
    return lo, hi


def _serves(setup: _Setup, doses: Sequence[Fraction], conc: Fraction,
            volume: Fraction) -> Fraction | None:
    """Exact: the largest |rounding error| if measure gives every dose from ``conc``
    within tolerance and the device's limits, else None."""
    u = setup.device.unit_volume_ml
    cap = setup.device.capacity_ml
    worst = Fraction(0)
    for d in doses:
        x = d / (u * conc)
        count = round_to_int(x, "nearest")
        if count < setup.n_min or count * u > volume:
            return None
        if cap is not None and count * u > cap:
            return None
        err = abs(count / x - 1)
        if err > setup.max_rounding_error:
            return None
        worst = max(worst, err)
    return worst
