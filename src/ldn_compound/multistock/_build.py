"""plan_taper and plan_titration: read the inputs once, plan, supply, measure.

references: 'horowitz-taylor-2019' (the fixed share of the current dose and the
equal occupancy steps), 'usp-795' (beyond-use periods).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from .._convert import fraction_between
from .._exact import exact_text, format_number
from .._records import builder
from .._rules import SUGGESTED_UNITS, check_decimal_slip
from .._tables import MAX_COUNTED_DROPS, TYPICAL_SYRINGE_GRADUATION_ML
from .._verdict import max_drop_dose_ml
from ..devices import Device, OralSyringe, device_from_dict
from ..drugs import Drug
from ..errors import InputError, LdnCompoundError
from ..measurement import measure_exact
from ..rendering import format_mass, format_volume, join_words
from ..schedule._plan import check_device, check_stock, parse_date, parse_days
from ..schedule._preparation import DEFAULT_OVERAGE
from ..schedule._preparation import preparation as supply_rule
from ..stock import Stock
from ..units import MASS, VOLUME, parse
from ._curve import Occupancy, occupancy_step, requested_doses
from ._liquids import make_liquids
from ._planner import Draft, Means, Pick, dose_volume_cap, flagged_count, plan_steps
from ._result import PlanStep, TaperPlan
from ._verdict import (
    Ask,
    pct,
    plan_change,
    tolerance_for,
    units_to_follow,
)

__all__ = ["DEFAULT_DILUTIONS", "DEFAULT_MAX_CUT_ERROR", "plan_taper", "plan_titration"]

#: A delivered cut may differ from the requested one by this share of it: a 10 %
#: cut delivers 9 to 11 %. Tighter costs liquids (a dose needs about
#: 1 / (2 x tolerance x cut) units: 50 for 10 % of a 10 % cut).
DEFAULT_MAX_CUT_ERROR = Fraction(1, 10)
#: Dilutions a switch may make: 1 in 2, 4, 5 or 10 (whole-mL aliquots of 10 mL).
DEFAULT_DILUTIONS = (2, 4, 5, 10)

_tolerance = fraction_between("max_cut_error", Fraction(0), Fraction(1), include_low=False)
_reduction = fraction_between("reduction", Fraction(0), Fraction(1), include_low=False)
_rise = fraction_between("rise", Fraction(0), Fraction(10), include_low=False)



def _devices(value: Any) -> tuple[Device, ...]:
    items = list(value) if isinstance(value, Sequence) and not isinstance(value, str) else [value]
    if not items:
        raise InputError("devices", value, "a Dropper or OralSyringe, or a list of them")
    return tuple(check_device(d) for d in items)


def _dilutions(value: Any) -> tuple[int, ...]:
    expected = "whole dilution factors from 2 to 100, e.g. (2, 4, 5, 10)"
    try:
        out = tuple(value)
    except TypeError:
        raise InputError("dilutions", value, expected) from None
    if not out or not all(isinstance(k, int) and not isinstance(k, bool) and 2 <= k <= 100
                          for k in out):
        raise InputError("dilutions", value, expected)
    return out


def _max_volume(value: Any, devices: tuple[Device, ...]) -> Fraction:
    """``max_volume``, or the largest dose the devices measure: a syringe's capacity, and
    for a dropper the most drops anyone should count (without a cap the planner's "weakest
    liquid that serves" rule would ask for hundreds of drops)."""
    if value is not None:
        return parse(value, VOLUME, "max_volume")
    caps = [d.capacity_ml for d in devices if d.unit == "graduation" and d.capacity_ml]
    drops = [max_drop_dose_ml(d) for d in devices if d.unit == "drop"]  # the one cap
    return max(caps + drops)


def _method(reduction: Any, occupancy: Any, step: Any, rise: bool
            ) -> tuple[Fraction | None, Occupancy | None, Fraction | None, str]:
    if (reduction is None) == (occupancy is None):
        raise InputError("reduction", reduction, "one method: a reduction (0.1 for 10 % of "
                                                 "the current dose) or an occupancy curve "
                                                 "with an {occupancy_step}, not both")
    cite = "Horowitz & Taylor 2019"
    if reduction is not None:
        if rise:
            r = _rise(reduction)
            return r / (1 + r), None, None, (f"a rise of {pct(r)} of the current "
                                             f"dose a step ({cite})")
        r = _reduction(reduction)
        return r, None, None, f"a cut of {pct(r)} of the current dose a step ({cite})"
    if not isinstance(occupancy, Occupancy):
        raise InputError("occupancy", occupancy, "an Occupancy(emax, ed50)")
    if step is None:
        raise InputError("occupancy_step", None, "the occupancy points a step, e.g. 0.05")
    st = occupancy_step(step)
    return None, occupancy, st, (f"equal occupancy steps of {pct(st)} points "
                                 f"(Emax {pct(occupancy.emax)}, ED50 "
                                 f"{format_mass(occupancy.ed50_mg)}; {cite})")


def _build(kind: str, high: Any, low: Any, every: Any, stock: Any, devices: Any,
           reduction: Any, occupancy: Any, step: Any, tolerance: Any, to_zero: bool,
           dilutions: Any, max_volume: Any, preparation: str, bud: Any, start_date: Any,
           drug: Drug | None, allow_high_dose: bool, fixing: bool = True) -> TaperPlan:
    request = dict(locals())
    hi_name, lo_name = ("start", "floor") if kind == "taper" else ("target", "start")
    top = parse(high, MASS, hi_name)
    bottom = parse(low, MASS, lo_name)
    if not 0 < bottom < top:
        raise InputError(lo_name, low, f"a dose above 0 and below {hi_name} "
                                       f"({format_mass(top)})")
    if drug is not None and not isinstance(drug, Drug):
        raise InputError("drug", drug, "a Drug (ldn_compound.drugs), or None for naltrexone")
    if drug is None:
        drug = getattr(stock, "profile", None)  # the stock's own drug
    elif getattr(stock, "profile", None) not in (None, drug):
        raise InputError("drug", drug, f"the stock's own drug profile, {stock.profile}: "
                                       "give one drug, not two")
    check_decimal_slip(top, hi_name, allow_high_dose, drug)
    days = parse_days(every, "every")
    stock = check_stock(stock)
    devs = _devices(devices)
    rise = kind == "titration"
    cut, occ, st, method = _method(reduction, occupancy, step, rise)
    tol = _tolerance(tolerance)
    factors = _dilutions(dilutions)
    prep = supply_rule(preparation, bud)  # the one supply rule: an oral liquid's
    bud_days = prep.bud_days
    start = parse_date(start_date)
    means = Means(devs, _max_volume(max_volume, devs), drug, allow_high_dose)
    requested = requested_doses(top, bottom, cut, occ, st)
    n = stock.tablets
    tablet_mg = None if n is None or n.denominator != 1 else stock.drug_mg / n
    ask = Ask(bottom, rise, tol)
    drafts, picks, stop = plan_steps(requested, Draft(stock.concentration_mg_per_ml), means,
                                     ask, factors, tablet_mg)
    if stop is not None or _mostly_flagged(picks):
        raise _cannot_follow(requested, picks, stop, ask, means, request if fixing else None)
    unjudged = len(requested) - 1  # the step onto the floor
    order = list(range(len(picks)))
    if rise:
        order.reverse()
    daily: list[dict[int, Fraction]] = []
    for i in order:
        m = picks[i].measurement
        daily += [{picks[i].liquid: m.exact_volume}] * days
    liquids, batches = make_liquids(drafts, daily, bud_days, stock, drug,
                                    overage=DEFAULT_OVERAGE, vehicle=prep.vehicle)
    steps = _steps(order, picks, requested, unjudged, liquids, days, means, rise)
    if to_zero and kind == "taper":
        last = steps[-1]
        steps.append(PlanStep(len(steps) + 1, last.start_day + days, 0, Fraction(0), None,
                              None, Fraction(-1), Fraction(-1), judged=False))
    asked = None if cut is None else cut / (1 - cut) if rise else cut  # the rise given
    inputs = {
        "kind": kind, "start": f"{exact_text(bottom if rise else top)} mg",
        "end": f"{exact_text(top if rise else bottom)} mg",
        "every_days": days, "stock": stock.to_dict(), "devices": [d.to_dict() for d in devs],
        "reduction": None if asked is None else exact_text(asked),
        "occupancy": None if occ is None else {"emax": exact_text(occ.emax),
                                               "ed50": f"{exact_text(occ.ed50_mg)} mg"},
        "occupancy_step": None if st is None else exact_text(st),
        "max_cut_error": exact_text(tol), "to_zero": to_zero,
        "dilutions": list(factors), "max_volume": f"{exact_text(means.max_volume_ml)} mL"
        if means.max_volume_ml is not None else None,
        "preparation": preparation, "bud": None if bud is None else bud_days,
        "start_date": None if start is None else start.isoformat(),
        "drug": None if drug is None else drug.to_dict(), "allow_high_dose": allow_high_dose,
    }
    return TaperPlan(kind, method + f", every {format_number(Fraction(days))} days", tol,
                     tuple(steps), tuple(liquids), tuple(batches), bud_days, start, drug,
                     preparation=prep, inputs=inputs)


#: The oral syringe a refusal suggests adding: the most graduations a dose (1 mL in 0.01 mL).
FINE_SYRINGE_ML = max(TYPICAL_SYRINGE_GRADUATION_ML,
                      key=lambda c: c / TYPICAL_SYRINGE_GRADUATION_ML[c])
#: A plan with more flagged steps than this share is refused: its devices cannot follow
#: the curve (a design default: a plan that is mostly flags is no plan).
MAX_FLAGGED_SHARE = Fraction(1, 2)


def _mostly_flagged(picks: list[Pick]) -> bool:
    return flagged_count(picks) > MAX_FLAGGED_SHARE * len(picks)


def _cannot_follow(requested: list[Fraction], picks: list[Pick], stop: str | None, ask: Ask,
                   means: Means, request: dict[str, Any] | None) -> InputError:
    """The refusal of a plan whose devices cannot follow its curve, said once, with the
    fixes that were planned again and work (``request``: the arguments to try them on)."""
    changes = [plan_change(requested[k - 1], requested[k], ask.rise)
               for k in range(1, len(requested) - 1)]
    change = min(changes, key=abs, default=None)
    need = SUGGESTED_UNITS if change is None else units_to_follow(change, ask.tolerance)
    most = max(_units(d, means.max_volume_ml) for d in means.devices)
    word = "rise" if ask.rise else "cut"
    what = ("doses within the rounding warning" if change is None else
            f"a {word} of {pct(abs(change))} within +/-{pct(ask.tolerance * abs(change))}")
    why = (stop if stop is not None
           else f"{flagged_count(picks)} of {len(picks)} steps would be flagged")
    fixes = [] if request is None else _fixes(request, need, change, most, means)
    return InputError("devices", ", ".join(d.describe() for d in means.devices),
                      f"devices that can follow {what} to the {ask.floor_name}: {why}. "
                      f"That takes doses of about {need:,} units (drops or graduations) or "
                      f"more; these devices measure at most {most:,} in one dose. Would "
                      f"work: {join_words(fixes) if fixes else 'a finer device'}")


def _fixes(request: dict[str, Any], need: int, change: Fraction | None, most: int,
           means: Means) -> list[str]:
    """The fixes (in numbers) with which the plan is made, each planned again to check."""
    tries: list[tuple[str, dict[str, Any]]] = []
    # always tried (a syringe as fine but smaller, 0.5 mL in 0.01 mL, holds fewer units);
    # planned again with it, a plan it cannot help is refused again and it is not offered
    fine = OralSyringe(f"{exact_text(FINE_SYRINGE_ML)} mL")  # its typical graduation
    tries.append((f"add a {format_volume(FINE_SYRINGE_ML)} oral syringe "
                  f"({format_volume(fine.unit_volume_ml)} graduations)",
                  {"devices": (*means.devices, fine)}))
    drops = [d for d in means.devices if d.unit == "drop"]
    if drops and most < need <= MAX_COUNTED_DROPS:
        ml = need * drops[0].unit_volume_ml
        tries.append((f"max_volume of {format_volume(ml)} ({need} drops)",
                      {"max_volume": f"{exact_text(ml)} mL"}))
    if change is not None and most:
        loose = Fraction(math.ceil(tolerance_for(change, most) * 100), 100)
        if request["tolerance"] != loose and loose < 1:
            tries.append((f"max_cut_error of {format_number(loose)}", {"tolerance": loose}))
    out = []
    for text, change_args in tries:
        try:
            _build(**{**request, **change_args, "fixing": False})
        except LdnCompoundError:
            continue
        out.append(text)
    return out


def _units(device: Device, max_volume_ml: Fraction | None) -> int:
    """The most units (drops or graduations) ``device`` measures in one dose."""
    most = dose_volume_cap(device, max_volume_ml)
    return 0 if most is None else math.floor(most / device.unit_volume_ml)


@builder(TaperPlan.RECORD)
def rebuild(data: dict[str, Any]) -> TaperPlan:
    """The plan a ``taper_plan`` record's ``inputs`` describe, planned again."""
    occ = data["occupancy"]
    drug = data["drug"]
    common = dict(every=f"{data['every_days']} days", stock=Stock.from_dict(data["stock"]),
                  devices=[device_from_dict(d) for d in data["devices"]],
                  occupancy=None if occ is None else Occupancy(occ["emax"], occ["ed50"]),
                  occupancy_step=data["occupancy_step"], max_cut_error=data["max_cut_error"],
                  dilutions=tuple(data["dilutions"]), max_volume=data["max_volume"],
                  preparation=data["preparation"], bud=data["bud"],
                  start_date=data["start_date"],
                  drug=None if drug is None else Drug.from_dict(drug),
                  allow_high_dose=data["allow_high_dose"])
    if data["kind"] == "titration":
        return plan_titration(data["start"], data["end"], rise=data["reduction"], **common)
    return plan_taper(data["start"], data["end"], reduction=data["reduction"],
                      to_zero=data["to_zero"], **common)


def _steps(order: list[int], picks: list[Pick], requested: list[Fraction], unjudged: int,
           liquids: list[Any], days: int, means: Means, rise: bool) -> list[PlanStep]:
    """The steps in the plan's order; a titration's change onto step ``i`` is the
    mirrored pick ``i + 1``'s, so its flag moves with it."""
    steps: list[PlanStep] = []
    before = -1
    for n, i in enumerate(order):
        p = picks[i]
        liquid = liquids[p.liquid]
        m = measure_exact(p.measurement.exact_delivered, liquid.stock, p.measurement.device,
                          "nearest", allow_high_dose=means.allow_high_dose, drug=means.drug)
        change = delivered = None
        switch = None
        if steps:
            prev = steps[-1]
            change = requested[i] / prev.exact_requested - 1
            delivered = m.exact_delivered / prev.exact_delivered - 1
            if prev.liquid != liquid.name:
                switch = liquid.instruction()
        # a change is judged with the pick onto the lower of the two doses
        judged = before >= 0 and max(i, before) != unjudged
        onto = picks[before].change_problem if rise and before >= 0 else \
            None if rise else p.change_problem
        problem = "; ".join(x for x in (p.dose_problem, onto) if x is not None) or None
        steps.append(PlanStep(n + 1, n * days, days, requested[i], m, liquid.name, change,
                              delivered, switch, problem, judged=judged))
        before = i
    return steps


def plan_taper(start: Any, floor: Any, every: Any, stock: Stock, devices: Any, *,
               reduction: Any = None, occupancy: Occupancy | None = None,
               occupancy_step: Any = None, max_cut_error: Any = DEFAULT_MAX_CUT_ERROR,
               to_zero: bool = False, dilutions: Any = DEFAULT_DILUTIONS,
               max_volume: Any = None, preparation: str = "aqueous", bud: Any = None,
               start_date: Any = None, drug: Drug | None = None,
               allow_high_dose: bool = False) -> TaperPlan:
    """A taper that stays hyperbolic to the end, switching to weaker liquids.

    The requested curve falls from ``start`` by ``reduction`` of the current
    dose a step (or by equal ``occupancy_step`` points of an ``occupancy``
    curve) and ends at ``floor``. Each step is measured from the current
    liquid while its delivered cut stays within ``max_cut_error`` of the
    requested one; when it cannot, the plan switches to a weaker liquid (see
    ``ldn_compound.multistock._planner`` for the rule). A step no liquid
    serves is flagged with the reasons (``ldn_compound.multistock._verdict``:
    its dose off the requested one or below the floor by more than 5 %, its
    change off by more than ``max_cut_error``, too many drops); the plan ends
    at its floor or flags its last step.

    Parameters
    ----------
    start, floor : str or pint.Quantity  [mass]
        First and last daily dose; ``0 < floor < start``.
    every : str or pint.Quantity  [time, whole days]
        Length of each step.
    stock : Stock
        The first (strongest) liquid. Weaker ones are made from its tablets
        or diluted from it.
    devices : Device or sequence of Devices
        What may measure a dose (e.g. a dropper and a 1 mL oral syringe).
    reduction : number or str, optional  [dimensionless]
        Cut of the current dose a step, e.g. ``0.1`` or ``"10 %"``.
    occupancy : Occupancy, optional
        A user-supplied ``Emax`` and ``ED50``; with ``occupancy_step``
        [dimensionless], the occupancy points a step (``0.05``).
    max_cut_error : number or str, default 0.1  [dimensionless]
        Largest relative distance of a delivered cut from the requested one.
    to_zero : bool
        Add a last step that stops the drug after the floor.
    dilutions : sequence of int, default (2, 4, 5, 10)
        Dilutions (1 in k) a switch may make.
    max_volume : str or pint.Quantity, optional  [volume]
        Largest volume of one dose; default the largest oral syringe given.
    preparation, bud : as for :meth:`ldn_compound.Schedule.supply`.
    start_date : datetime.date or ISO text, optional
    drug : Drug, optional
        The drug (:mod:`ldn_compound.drugs`); None is the stock's profile, else
        naltrexone hydrochloride.
    allow_high_dose : bool
        Accept a start of ten or more times the drug's usual maximum.

    Returns
    -------
    TaperPlan
        The plan; a record (``ldn_compound/taper_plan@1``).

    Raises
    ------
    InputError
        Naming the bad argument; ``devices`` when the devices cannot follow
        the curve (more than half the steps would be flagged, or no dose can be
        measured on the way to the floor), said once with the fixes (in
        numbers) that were planned again and work.
    """
    return _build("taper", start, floor, every, stock, devices, reduction, occupancy,
                  occupancy_step, max_cut_error, to_zero, dilutions, max_volume, preparation,
                  bud, start_date, drug, allow_high_dose)


def plan_titration(start: Any, target: Any, every: Any, stock: Stock, devices: Any, *,
                   rise: Any = None, occupancy: Occupancy | None = None,
                   occupancy_step: Any = None, max_cut_error: Any = DEFAULT_MAX_CUT_ERROR,
                   dilutions: Any = DEFAULT_DILUTIONS, max_volume: Any = None,
                   preparation: str = "aqueous", bud: Any = None, start_date: Any = None,
                   drug: Drug | None = None, allow_high_dose: bool = False) -> TaperPlan:
    """An up-titration in proportional steps: :func:`plan_taper` from ``target``
    down to ``start``, in reverse.

    ``rise`` is the increase of the current dose a step (``0.1``: each dose
    is 110 % of the one before; the mirrored taper cuts ``rise / (1 + rise)``).
    The first rise (from ``start``) is the mirrored taper's last step and is
    not judged; ``max_cut_error`` is judged on the rises themselves (a 20 %
    rise within 10 % of it gives 18 to 22 %), and a flag sits on the step whose
    rise it judges. ``stock`` is the
    strongest liquid, used at ``target``. Other parameters as for
    :func:`plan_taper`.
    """
    return _build("titration", target, start, every, stock, devices, rise, occupancy,
                  occupancy_step, max_cut_error, False, dilutions, max_volume, preparation, bud,
                  start_date, drug, allow_high_dose)

