"""Which liquid measures each step: the greedy rule that keeps the liquids few.

The rule, in the order it is applied:

1. Stay with the current liquid while some device measures the next step with
   no flag from :mod:`._verdict` (its change within ``max_cut_error`` of the
   requested one, relative to it: a 10 % cut with max_cut_error 0.1 may
   deliver 9 to 11 %; its dose within the rounding warning of the requested
   one; no more drops than anyone should count) and no syringe accuracy
   problem. Of the counts that fit, the one closest to the requested curve is
   taken, the first device on a tie.
2. Otherwise switch, once: to the *weakest* liquid among the current one
   diluted 1 in k (k from ``dilutions``) that serves the step, so it serves
   the most steps after it. A liquid that is a whole tablet made up to at most
   :data:`MAX_TABLET_VOLUME_ML` is made from a tablet instead of diluted (one
   link fewer in the error chain).
3. If no liquid serves it, the step is flagged with the reasons and measured,
   still below the step before, by the current liquid or one of those
   dilutions: a dose on the curve first (so flags never drift off it), then a
   change within ``max_cut_error``, then the liquid in hand, then the dose
   nearest the requested one. Never silently coarse.

The last step (to the floor) is measured at the floor itself (within the
rounding warning, or flagged); its change is whatever remains and is not judged.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

import attrs

from .._rules import ROUNDING_WARNING
from .._tables import CYLINDER_TOLERANCE_ML
from .._verdict import max_drop_dose_ml
from ..devices import Device
from ..drugs import Drug
from ..errors import InputError, LdnCompoundError
from ..measurement import Measurement, measure_exact
from ..rendering import (
    format_concentration_exact,
    format_mass,
    format_volume,
)
from ..stock import Stock
from ..units import MASS, VOLUME, Exact
from ._verdict import Ask, change_problem, dose_problem, pct

__all__ = ["MAX_LIQUIDS", "MAX_TABLET_VOLUME_ML", "NO_LIQUID", "Draft", "Means", "Pick",
           "dose_volume_cap", "flagged_count", "plan_steps"]

#: A weaker liquid is made from one tablet when that needs at most this volume, mL
#: (the largest ASTM E694 cylinder in ``_tables``).
MAX_TABLET_VOLUME_ML = max(CYLINDER_TOLERANCE_ML["B"])  # the largest class B cylinder
#: More liquids than this is taken for a slip; later steps are flagged.
MAX_LIQUIDS = 12
# planning measures against a large provisional volume; the supply sets the real one
_PROVISIONAL_ML = Fraction(1000)


@attrs.frozen
class Draft:
    """A liquid as planned: its concentration and how it is made."""

    conc: Fraction  # mg/mL
    parent: int | None = None  # index of the liquid it is diluted from
    factor: int | None = None  # dilution 1 in factor
    tablet_mg: Fraction | None = None  # one tablet of this strength ...
    tablet_ml: Fraction | None = None  # ... made up to this volume


@attrs.frozen
class Pick:
    """One planned step: the liquid, the measurement, and any flags: on the dose itself,
    and on the change onto it from the pick before (planning order)."""

    liquid: int
    measurement: Measurement
    dose_problem: str | None = None
    change_problem: str | None = None


@functools.lru_cache(maxsize=64)
def _provisional(conc: Fraction, drug: Drug | None) -> Stock:
    return Stock(drug=Exact(conc * _PROVISIONAL_ML, MASS), volume=Exact(_PROVISIONAL_ML, VOLUME),
                 volume_tolerance=0, profile=drug)


@attrs.frozen
class Means:
    """What measures a dose: the devices, the largest dose volume, the drug."""

    devices: tuple[Device, ...]
    max_volume_ml: Fraction | None
    drug: Drug | None
    allow_high_dose: bool


def dose_volume_cap(device: Device, max_volume_ml: Fraction | None) -> Fraction | None:
    """The largest volume of one dose ``device`` measures, mL: its capacity, or for a
    dropper the most drops anyone should count (the one rule, ``max_drop_dose_ml``), at
    most ``max_volume_ml`` (None: no limit)."""
    cap = max_drop_dose_ml(device) if device.unit == "drop" else device.capacity_ml
    return max_volume_ml if cap is None else min(cap, max_volume_ml or cap)


def _candidates(target: Fraction, conc: Fraction, means: Means) -> list[Measurement]:
    """Measurements of the counts just below and above ``target``, every device,
    finest unit first; none above ``max_volume_ml`` or with an accuracy problem."""
    stock = _provisional(conc, means.drug)
    drug, allow_high_dose = means.drug, means.allow_high_dose
    devices = sorted(means.devices, key=lambda d: d.unit_volume_ml)
    out = []
    for device in devices:
        per = conc * device.unit_volume_ml
        exact = target / per
        most = dose_volume_cap(device, means.max_volume_ml)
        for count in sorted({math.floor(exact), math.ceil(exact)}):
            if count < 1 or (most is not None and count * device.unit_volume_ml > most):
                continue
            try:
                m = measure_exact(count * per, stock, device, "nearest",
                                  allow_high_dose=allow_high_dose, parameter="start", drug=drug)
            except LdnCompoundError:
                continue
            if m.accuracy_problem is None:
                out.append(m)
    return out


def _verdict(m: Measurement, k: int, requested: list[Fraction], before: Fraction | None,
             ask: Ask) -> tuple[str | None, str | None]:
    """(dose problem, change problem) of ``m`` at step ``k`` (planning order)."""
    last = k == len(requested) - 1
    change = None
    if before is not None and k and not last:
        change = change_problem(before, m.exact_delivered, requested[k - 1], requested[k], ask)
    return dose_problem(m, requested[k], ask), change


def _targets(k: int, requested: list[Fraction], before: Fraction | None) -> list[Fraction]:
    """The doses to measure near: the requested one and the requested change from before."""
    out = [requested[k]]
    if before is not None and k < len(requested) - 1:
        out.append(before * requested[k] / requested[k - 1])
    return out


def _below(conc: Fraction, k: int, requested: list[Fraction], before: Fraction | None,
           means: Means) -> list[Measurement]:
    """Candidates at ``conc`` below the dose before (any, on the first step)."""
    out: dict[tuple[object, int], Measurement] = {}
    for target in _targets(k, requested, before):
        for m in _candidates(target, conc, means):
            if before is None or m.exact_delivered < before:
                out.setdefault((m.device, m.count), m)
    return list(out.values())


def _serve(conc: Fraction, k: int, requested: list[Fraction], before: Fraction | None,
           ask: Ask, means: Means) -> Measurement | None:
    """The measurement of step ``k`` at ``conc`` nearest the curve with no flag, or None."""
    fits = [m for m in _below(conc, k, requested, before, means)
            if _verdict(m, k, requested, before, ask) == (None, None)]
    if not fits:
        return None
    return min(fits, key=lambda m: abs(m.exact_delivered - requested[k]))


def _recipe(conc: Fraction, parent: int, factor: int, tablet_mg: Fraction | None) -> Draft:
    if tablet_mg is not None:
        volume = tablet_mg / conc
        if volume <= MAX_TABLET_VOLUME_ML and volume.denominator == 1:
            return Draft(conc, tablet_mg=tablet_mg, tablet_ml=volume)
    return Draft(conc, parent=parent, factor=factor)


#: Said of every flag: a switch was tried first.
NO_LIQUID = ("no liquid (the current one, or it diluted by any allowed factor) measures it "
             "unflagged")


def flagged_count(picks: list[Pick]) -> int:
    """How many picks carry a flag (on the dose or on the change onto it)."""
    return sum(p.dose_problem is not None or p.change_problem is not None for p in picks)


def _noted(problem: str | None) -> str | None:
    return None if problem is None else f"{problem}; {NO_LIQUID}"


def plan_steps(requested: list[Fraction], first: Draft, means: Means, ask: Ask,
               dilutions: tuple[int, ...], tablet_mg: Fraction | None,
               ) -> tuple[list[Draft], list[Pick], str | None]:
    """Plan every step of a downward ``requested`` curve (a titration's reversed).

    Returns the liquids, one pick a step, and why the plan stops early (or None).
    """
    liquids: list[Draft] = [first]
    picks: list[Pick] = []
    current = 0
    before: Fraction | None = None
    for k in range(len(requested)):
        args = (k, requested, before, ask, means)
        m = _serve(liquids[current].conc, *args)
        if m is None and len(liquids) < MAX_LIQUIDS:
            for factor in sorted(dilutions, reverse=True):
                conc = liquids[current].conc / factor
                m = _serve(conc, *args)
                if m is not None:
                    liquids.append(_recipe(conc, current, factor, tablet_mg))
                    current = len(liquids) - 1
                    break
        if m is None:
            if before is None:
                raise _first_unmeasurable(requested[0], liquids[0].conc, means)
            options: list[tuple[int | None, Fraction]] = [(None, liquids[current].conc)]
            if len(liquids) < MAX_LIQUIDS:
                options += [(f, liquids[current].conc / f) for f in sorted(dilutions)]
            near = [(f, c, _verdict(c, *args[:-1]))
                    for f, conc in options for c in _below(conc, *args[:3], means)]
            if not near:
                return liquids, picks, (f"no dose below {format_mass(before)} can be measured "
                                        f"on the way to the {ask.floor_name} "
                                        f"({format_mass(ask.floor)})")
            # on the curve first (no drift), then the change, then the liquid in hand
            diluted, m, (dose, change) = min(near, key=lambda x: (
                x[2][0] is not None, x[2][1] is not None, x[0] is not None,
                abs(x[1].exact_delivered - requested[k])))
            if diluted is not None:
                liquids.append(_recipe(liquids[current].conc / diluted, current, diluted,
                                       tablet_mg))
                current = len(liquids) - 1
            picks.append(Pick(current, m, _noted(dose), _noted(change)))
        else:
            picks.append(Pick(current, m))
        before = m.exact_delivered
    return liquids, picks, None



def _first_unmeasurable(want: Fraction, conc: Fraction, means: Means) -> LdnCompoundError:
    most = ("" if means.max_volume_ml is None
            else f" in at most {format_volume(means.max_volume_ml)}")
    return InputError("stock", format_concentration_exact(conc),
                      f"a stock from which {format_mass(want)} measures within "
                      f"{pct(ROUNDING_WARNING)}{most} with "
                      "the devices given: a weaker one is made by dilution, a stronger one "
                      "must be given")
