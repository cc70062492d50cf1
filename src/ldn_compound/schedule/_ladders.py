"""The arithmetic ladders: a titration up by a fixed rise, a taper down by a fixed cut."""

from __future__ import annotations

from .._exact import check_rounding, round_to_int
from ..devices import Device
from ..errors import InputError
from ..measurement import measure_exact
from ..rendering import format_mass
from ..stock import Stock
from ..types import CountLike, DateLike, DurationLike, MassLike, RatioLike
from ..units import MASS, Exact, parse
from ._cuts import taper_reduction
from ._plan import (
    MAX_STEPS,
    UNSET,
    check_device,
    check_stock,
    max_rounding_error_from,
    parse_days,
)
from ._schedule import Schedule

__all__ = ["taper", "titrate"]


def titrate(start: MassLike, step: MassLike, target: MassLike, every: DurationLike,
            stock: Stock, device: Device, *, hold: DurationLike | None = None,
            start_date: DateLike | None = None, rounding: str = "nearest",
            doses_per_day: CountLike = 1, max_rounding_error: RatioLike | None = None,
            name: str | None = None, tolerance: RatioLike = UNSET) -> Schedule:
    """An arithmetic ladder up: ``start``, ``start + step``, ... up to ``target``.

    Every step, the target's included, lasts ``every``; ``hold`` adds days to
    the target step. When ``step`` does not divide ``target - start`` the
    last step is ``target`` itself (a smaller last rise).

    Parameters
    ----------
    start, step, target : str or pint.Quantity  [mass]
        First dose, rise per step and last dose. ``target`` is above ``start``
        and ``step`` is positive and below ``target - start`` (a rise of the
        whole distance or more would be one jump: an ``InputError``), so a
        titration has at least three steps.
    every : str or pint.Quantity  [time, whole days]
        Length of each step, e.g. ``"2 weeks"``.
    stock : Stock
    device : Dropper or OralSyringe
    hold : str or pint.Quantity, optional  [time, whole days]
        Extra time at the target.
    start_date : datetime.date or ISO text, optional
    rounding : {"nearest", "down", "up"}
    doses_per_day : int, default 1
    max_rounding_error : number, default 0.05  [dimensionless]
        Rounding error beyond which a step is flagged (``tolerance`` is its
        deprecated name: a ``DeprecationWarning``).

    Examples
    --------
    >>> from ldn_compound import Dropper, Stock
    >>> s = titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks",
    ...             Stock.from_tablets("50 mg", "10 mL"), Dropper())
    >>> len(s.steps), s.total_days
    (7, 98)
    """
    limit = max_rounding_error_from(max_rounding_error, tolerance, "titrate")
    lo = parse(start, MASS, "start")
    if isinstance(step, str) and step.strip().startswith("-"):
        raise InputError("step", step, "a positive mass: titrate climbs; for a downward "
                                       "ladder use {taper()} or {Schedule.from_steps()}")
    rise = parse(step, MASS, "step")
    hi = parse(target, MASS, "target")
    if hi < lo:
        raise InputError("target", target, f"at least {{start}} ({format_mass(lo)}) on an upward "
                                           "ladder; for a downward one use {taper()} or "
                                           "{Schedule.from_steps()}")
    days = parse_days(every, "every")
    extra = 0 if hold is None else parse_days(hold, "hold")
    if hi == lo:
        raise InputError("target", target, f"above {{start}} ({format_mass(lo)}): a titration "
                                           "climbs; for one dose use {Schedule.from_steps()}")
    if rise >= hi - lo:
        raise InputError("step", step, f"a rise below the whole climb from {format_mass(lo)} "
                                       f"to {format_mass(hi)} ({format_mass(hi - lo)}), e.g. "
                                       f"{format_mass((hi - lo) / 2)} for a step between; for "
                                       "one jump use {Schedule.from_steps()}")
    n_rises = (hi - lo) / rise
    if n_rises + 1 > MAX_STEPS:
        raise InputError("step", step, f"a rise giving at most {MAX_STEPS} steps from "
                                       f"{format_mass(lo)} to {format_mass(hi)}")
    doses = [lo + k * rise for k in range(int(n_rises) + 1)]
    if doses[-1] != hi:
        doses.append(hi)
    plan = [(Exact(d, MASS), days) for d in doses]
    plan[-1] = (Exact(hi, MASS), days + extra)
    return Schedule(plan, stock, device, rounding=rounding, max_rounding_error=limit,
                    doses_per_day=doses_per_day, start_date=start_date, kind="titration",
                    name=name)


def taper(start: MassLike, reduction: RatioLike | None = None,
          every: DurationLike | None = None, stock: Stock | None = None,
          device: Device | None = None, floor: MassLike | None = None, *,
          start_date: DateLike | None = None, rounding: str = "nearest",
          doses_per_day: CountLike = 1, max_rounding_error: RatioLike | None = None,
          name: str | None = None, percent: RatioLike | None = None,
          tolerance: RatioLike = UNSET) -> Schedule:
    """A hyperbolic taper: each step ``reduction`` below the one before.

    Each dose is the previous *measured* dose less ``reduction``, rounded to
    whole drops or graduations (``rounding``); when rounding would repeat the
    dose or go up, the step is one drop or graduation lower instead. The
    first dose is ``start`` rounded the same way. The taper ends at the last
    dose not below ``floor``, so every dose is measured exactly.

    Where the dose is only a few drops or graduations, a whole unit is a large
    cut: a step whose delivered cut is more than ``reduction x 1.5`` (a 10 %
    taper: above 15 %, e.g. 5 -> 4 drops) is flagged, with the weaker stock or
    finer device at which it would not be (see ``Schedule.reduction``).

    Parameters
    ----------
    start : str or pint.Quantity  [mass]
    reduction : number  [dimensionless]
        Cut per step, a fraction strictly between 0 and 1 (0.1 is 10 %).
    every : str or pint.Quantity  [time, whole days]
    stock : Stock
    device : Dropper or OralSyringe
    floor : str or pint.Quantity  [mass]
        Lowest dose in the taper.
    max_rounding_error : number, default 0.05  [dimensionless]
        As for :func:`titrate` (``tolerance`` is its deprecated name).
    percent : number, optional  [dimensionless, percent]
        Deprecated (a ``DeprecationWarning``): the cut as a percentage from 1
        to 100, exclusive (10 means 10 %). A value of 1 or less is refused as
        ambiguous (0.1 % or 10 %?). Give ``reduction`` instead.

    Examples
    --------
    >>> from ldn_compound import OralSyringe, Stock
    >>> s = taper("4.5 mg", 0.1, "2 weeks", Stock.from_tablets("50 mg", "10 mL"),
    ...           OralSyringe("1 mL"), "3 mg")
    >>> [format_mass(step.exact_dose) for step in s.steps]
    ['4.5 mg', '4.05 mg', '3.65 mg', '3.3 mg']
    """
    limit = max_rounding_error_from(max_rounding_error, tolerance, "taper")
    first = parse(start, MASS, "start")
    cut = taper_reduction(reduction, percent)
    days = parse_days(every, "every")
    lowest = parse(floor, MASS, "floor")
    stock = check_stock(stock)
    device = check_device(device)
    mode = check_rounding(rounding)
    per = stock.concentration_mg_per_ml * device.unit_volume_ml
    count = measure_exact(first, stock, device, mode, parameter="start").count  # or raises
    if count * per < lowest:
        raise InputError("floor", floor, f"at most the first dose, {format_mass(count * per)} "
                                         f"({format_mass(first)} measured as {count} "
                                         f"{device.units})")
    counts = [count]
    keep = 1 - cut
    while True:
        c = min(round_to_int(counts[-1] * keep, mode), counts[-1] - 1)
        if c <= 0 or c * per < lowest:
            break
        counts.append(c)
        if len(counts) > MAX_STEPS:
            name_ = "percent" if percent is not None else "reduction"
            raise InputError(name_, percent if percent is not None else reduction,
                             f"a larger reduction or a higher floor: the taper would take "
                             f"more than {MAX_STEPS} steps")
    return Schedule([(Exact(c * per, MASS), days) for c in counts], stock, device,
                    rounding=mode, max_rounding_error=limit, doses_per_day=doses_per_day,
                    start_date=start_date, kind="taper", name=name, reduction=cut)
