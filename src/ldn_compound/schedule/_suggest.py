"""Finding one stock that measures every step of a schedule: whole tablets made up to
a whole number of mL, searched exactly over only the volumes that can work."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .._exact import ceil_div, format_number, round_ratio
from .._rules import beyond, suggested_count
from .._tables import SOLUBILITY_MG_PER_ML
from .._verdict import count_limit
from ..devices import Device
from ..errors import InputError, UnmeasurableDoseError
from ..rendering import format_mass, format_mass_exact, format_volume
from ..stock import Stock
from ..types import CountLike, MassLike, RatioLike, VolumeLike
from ..units import MASS, VOLUME, parse
from ._plan import to_max_rounding_error, whole

if TYPE_CHECKING:
    from ._schedule import Schedule

__all__ = ["best_stock", "suggest_stock"]


def best_stock(doses: list[Fraction], strength: Fraction, device: Device, rounding: str,
                tol: Fraction, n_max: int, v_lo: Fraction, v_hi: Fraction,
                count_max: int) -> tuple[int, int] | None:
    """(tablets, whole mL) of the preferred stock for ``doses``, or None (see suggest_stock).

    Counts grow with the volume ``v`` (``dose x v / (tablets x strength x unit)``),
    so for each tablet count only the volumes between "the smallest dose is
    still within tolerance of one unit" and "the largest dose is at most the
    most units one dose may take" are tried.
    """
    unit_ml = device.unit_volume_ml
    cap = device.capacity_ml
    limit = count_max if cap is None else min(count_max, int(cap / unit_ml))
    counted = count_limit(device)  # the verdict's drop-count rule
    if counted is not None:
        limit = min(limit, counted)
    if limit < 1:
        return None
    want = suggested_count(device)
    # count of dose d from n tablets in v mL = d / (strength x unit) x v / n = P v / (Q n)
    ratios = [d / (strength * unit_ml) for d in doses]
    parts = [(r.numerator, r.denominator) for r in ratios]
    first_ml = max(ceil_div(v_lo), 1)
    last_ml = v_hi.numerator // v_hi.denominator
    best: tuple[Any, ...] | None = None
    for n in range(1, n_max + 1):
        drug = n * strength
        # soluble; smallest dose at least 1/(1 + tol) unit; largest below limit + 1 units
        lo = max(first_ml, ceil_div(drug / SOLUBILITY_MG_PER_ML),
                 ceil_div(n / (ratios[0] * (1 + tol))))
        hi = min(last_ml, ceil_div((limit + 1) * n / ratios[-1]))
        for v in range(lo, hi + 1):
            worst = Fraction(0)
            smallest = 0
            for p, q in parts:
                num, den = p * v, q * n
                c = round_ratio(num, den, rounding)
                if c == 0 or c > limit or beyond(c * den - num, num, tol):
                    break
                if not smallest:
                    smallest = c
                if c * den != num:
                    worst = max(worst, Fraction(abs(c * den - num), num))
            else:
                key = (max(0, want - smallest), worst != 0, worst, n, v)
                if best is None or key < best:
                    best = key
                    if key[0] == 0 and worst == 0:
                        return n, v  # nothing later has fewer tablets or less volume
    return None if best is None else (best[3], best[4])


def suggest_stock(schedule: Schedule, tablet: MassLike = "50 mg", *,
                  max_tablets: CountLike = 4, min_volume: VolumeLike = "5 mL",
                  max_volume: VolumeLike = "200 mL", max_count: CountLike = 50,
                  max_rounding_error: RatioLike | None = None) -> Stock:
    """A stock that makes every step of ``schedule`` measurable within its rounding limit.

    The inverse of "50 mg in 10 mL = 0.25 mg per drop": whole tablets made
    up to a whole number of mL so that each dose is a count of drops or
    graduations. Preferred, in order: the smallest dose at least
    :func:`~ldn_compound.measurement.suggested_count` units (10 drops or
    graduations, and for a syringe at least 20 % of it and more than
    0.1 mL), or as close to that as the other limits allow; every dose an
    exact whole count; the smallest worst rounding error; fewer tablets;
    the smallest volume. Only volumes that can meet the limits are tried,
    so wide ranges stay fast.

    Parameters
    ----------
    tablet : str or pint.Quantity, default "50 mg"  [mass]
        Strength of the tablets.
    max_tablets : int, default 4  [count]
    min_volume, max_volume : str or pint.Quantity  [volume]
        Range of whole-mL volumes to make up to (default 5 to 200 mL).
    max_count : int, default 50  [count]
        Most drops or graduations one dose may take; the device's own limit
        and the verdict's (at most 20 drops counted, ``_verdict``) also apply.
    max_rounding_error : number, optional  [dimensionless]
        Largest accepted rounding error of a step; default: the schedule's.

    Raises
    ------
    UnmeasurableDoseError
        No such stock exists in the range; the message says what to widen.
    """
    strength = parse(tablet, MASS, "tablet")
    n_max = whole(max_tablets, "max_tablets", 1, 100)
    v_lo = parse(min_volume, VOLUME, "min_volume")
    v_hi = parse(max_volume, VOLUME, "max_volume")
    if v_hi < v_lo:
        raise InputError("max_volume", max_volume, f"at least min_volume ({min_volume})")
    count_max = whole(max_count, "max_count", 1, 100_000)
    tol = schedule.max_rounding_error if max_rounding_error is None \
        else to_max_rounding_error(max_rounding_error)
    doses = sorted({d for d, _ in schedule.plan})
    best = best_stock(doses, strength, schedule.device, schedule.rounding, tol, n_max,
                      v_lo, v_hi, count_max)
    if best is None:
        raise UnmeasurableDoseError(
            f"{format_mass_exact(doses[0])} to {format_mass_exact(doses[-1])}",
            f"no stock of 1 to {n_max} x {format_mass(strength)} tablets made up to "
            f"{format_volume(v_lo)} to {format_volume(v_hi)} measures every step within "
            f"+/-{format_number(tol * 100)} % in at most {count_max} "
            f"{schedule.device.units} with this {schedule.device.describe()}",
            "Would work: widen max_volume, max_tablets or max_count, use a finer device, "
            "or split the ladder into two schedules with different stocks (microgram "
            "doses need a dilution of a stronger stock)",
        )
    n, v = best
    return schedule.stock.remade(strength, n, Fraction(v))
