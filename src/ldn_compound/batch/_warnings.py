"""Per-element findings of a batch, decided by the ``_rules`` functions, and their warnings.

Each finding is the decision the scalar :class:`~ldn_compound.Measurement`
makes for one dose, taken on the exact integer arrays: the rounding warning
(:func:`~ldn_compound._rules.beyond`), the oral syringe's small volume and 20 %
fill (:func:`~ldn_compound._rules.is_small_syringe_volume`,
:func:`~ldn_compound._rules.below_min_fill`) and the LDN band
(:func:`~ldn_compound._rules.is_above_ldn_band`).
"""

from __future__ import annotations

from typing import NamedTuple

from .._exact import format_number
from .._rules import (
    DECIMAL_SLIP_MG,
    LDN_BAND,
    MIN_FILL_ADVICE,
    ROUNDING_WARNING,
    SMALL_SYRINGE,
    below_min_fill,
    beyond,
    is_above_ldn_band,
    is_small_syringe_volume,
)
from .._tables import LDN_MAX_MG, MIN_FILL, SMALL_SYRINGE_VOLUME_ML, USUAL_LDN_MAX_MG
from ..devices import OralSyringe
from ..rendering import format_mass
from ._kernels import EXACT, Array, Int, as_object, decide, exact_floats, largest, np
from ._pair import Objects, select

__all__ = ["Flags", "batch_warnings", "element_flags"]


class Flags(NamedTuple):
    """Boolean arrays, one finding each; False wherever the status is not OK."""

    large_rounding: Array  # rounding moved the dose by more than ROUNDING_WARNING
    small_syringe_volume: Array  # oral syringe volume at or below 0.1 mL
    below_min_fill: Array  # oral syringe filled below 20 % of its capacity
    above_ldn_band: Array  # dose above the LDN band (more than 5 mg)


def exact_findings(count: Int, units: tuple[Int, Int], count_max: int,
                   dose: tuple[Int, Int]) -> tuple[Array, Array]:
    """(large rounding, above the LDN band) of exact doses, exactly.

    ``units`` is the exact number of drops or graduations, ``num / den``;
    ``dose`` the exact dose in mg, ``(numerator, denominator)``.
    """
    n = np()
    # units may be Python ints (object arrays) even when every value is below 2**52: the
    # caller's limits are bounds, not the values. Read as float64 only what is exact there.
    count, num, den = (exact_floats(x) for x in (count, *units))
    if count_max * largest(den) < EXACT and largest(num) < EXACT \
            and not any(_objects(x) for x in (count, num, den)):
        diff = n.multiply(count, den, dtype=n.float64)
        diff -= num  # exact: integers below 2**52
    else:
        diff = as_object(count) * as_object(den) - as_object(num)
    return decide(beyond, ROUNDING_WARNING, diff, num), decide(is_above_ldn_band, LDN_MAX_MG,
                                                                *dose)


def _objects(x: Int) -> bool:
    """True for an object array of Python ints (the exact slow path)."""
    return not isinstance(x, int) and x.dtype == object


def element_flags(count: Int, ok: Array, large: Array, above: Array, count_max: int,
                  devices: Objects, shape: tuple[int, ...]) -> Flags:
    """Every finding of every element: ``large`` and ``above`` as decided, the syringe
    findings here, exactly, from the counts."""
    n = np()
    small = n.zeros(shape, dtype=bool)
    low_fill = n.zeros(shape, dtype=bool)
    counts = n.broadcast_to(count, shape)
    for device, mask in select(devices, shape):
        if not isinstance(device, OralSyringe):
            continue
        uv, cap = device.unit_volume_ml, device.capacity_ml
        c = counts if mask is None else counts[mask]
        vol = (as_object(c) if count_max * uv.numerator >= EXACT else c) * uv.numerator
        where = slice(None) if mask is None else mask
        small[where] = decide(is_small_syringe_volume, SMALL_SYRINGE_VOLUME_ML,
                              vol, uv.denominator)
        low_fill[where] = decide(lambda v, d, cap=cap: below_min_fill(v, cap, d),
                                 cap * MIN_FILL, vol, uv.denominator)
    return Flags(*(n.broadcast_to(f, shape) & ok for f in (large, small, low_fill, above)))


def batch_warnings(summary: dict[str, int], flags: Flags, unit: str,
                   stock_warnings: list[str]) -> tuple[str, ...]:
    """Cautions about the batch as a whole, most important first, each counted."""
    total = sum(summary.values())
    out = []
    if summary["high_dose"]:
        out.append(f"{_of(summary['high_dose'], total)} {format_mass(DECIMAL_SLIP_MG)} or "
                   f"more, ten times the usual {format_mass(USUAL_LDN_MAX_MG)} LDN maximum: "
                   "refused as a likely decimal slip (pass allow_high_dose=True if meant)")
    if summary["rounds_to_zero"]:
        out.append(f"{_of(summary['rounds_to_zero'], total)} less than half a {unit}: rounds "
                   "to 0; use a weaker stock (measurement(i) names one)")
    if summary["over_capacity"]:
        out.append(f"{_of(summary['over_capacity'], total)} more than the device measures at "
                   "once; use a stronger stock or a bigger syringe (measurement(i) says)")
    n = np()
    counted = [int(n.count_nonzero(f)) for f in flags]
    large, small, _, above = counted
    if large:
        out.append(f"{_of(large, total)} changed by more than "
                   f"{format_number(ROUNDING_WARNING * 100)} % by rounding to whole {unit}s")
    if small:
        out.append(f"{_of(small, total)} {SMALL_SYRINGE}")
    # as Measurement.accuracy_problem: the small volume is named first, so once
    low_fill = int(n.count_nonzero(flags.below_min_fill & ~flags.small_syringe_volume))
    if low_fill:
        out.append(f"{_of(low_fill, total)} below {format_number(MIN_FILL * 100)} % of the "
                   f"oral syringe's capacity ({MIN_FILL_ADVICE})")
    if above:
        out.append(f"{_of(above, total)} above {LDN_BAND}; check the prescriptions")
    out += stock_warnings
    return tuple(dict.fromkeys(out))


def _of(n: int, total: int) -> str:
    return f"{n:,} of {total:,} doses {'is' if n == 1 else 'are'}"
