"""Which liquid measures each step: the greedy rule that keeps the liquids few.

The rule, in the order it is applied:

1. Stay with the current liquid while some device measures the next step with
   its delivered cut within ``max_cut_error`` of the requested cut (relative to
   it: a 10 % cut with max_cut_error 0.1 may deliver 9 to 11 %), with no syringe
   accuracy problem. Of the counts that fit, the one closest to the requested
   curve is taken (so rounding does not drift), the first device on a tie.
2. Otherwise switch, once: to the *weakest* liquid among the current one
   diluted 1 in k (k from ``dilutions``) that serves the step, so it serves
   the most steps after it. A liquid that is a whole tablet made up to at most
   :data:`MAX_TABLET_VOLUME_ML` is made from a tablet instead of diluted (one
   link fewer in the error chain).
3. If no liquid serves it, the step is flagged with the reason and measured as
   near the requested cut as the current liquid allows, still below the step
   before: never silently coarse.

The last step (to the floor) is measured at the floor itself; its cut is
whatever remains and is not judged.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

import attrs

from .._exact import format_number
from .._rules import ROUNDING_WARNING, beyond
from .._tables import CYLINDER_TOLERANCE_ML
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

__all__ = ["MAX_LIQUIDS", "MAX_TABLET_VOLUME_ML", "Draft", "Means", "Pick", "cut_within",
           "plan_steps"]

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
    """One planned step: the liquid, the measurement, and any flag."""

    liquid: int
    measurement: Measurement
    problem: str | None = None


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
        cap = device.capacity_ml
        most = means.max_volume_ml if cap is None else min(cap, means.max_volume_ml or cap)
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


def cut_within(cut: Fraction, requested: Fraction, tolerance: Fraction) -> bool:
    """The delivered ``cut`` is within ``tolerance`` (relative) of the ``requested`` one."""
    return abs(cut - requested) <= tolerance * requested


def _serve(conc: Fraction, requested: Fraction, before: Fraction | None, ideal_before: Fraction,
           tolerance: Fraction, last: bool, means: Means) -> Measurement | None:
    """The best measurement of the step at ``conc``, or None if none fits."""
    if before is None or last:
        target = requested
    else:
        target = before * requested / ideal_before
    fits = []
    for m in _candidates(target, conc, means):
        d = m.exact_delivered
        if before is None:
            ok = not beyond(d - requested, requested)
        elif last:
            ok = d < before
        else:
            ok = d < before and cut_within(1 - d / before, 1 - requested / ideal_before,
                                           tolerance)
        if ok:
            fits.append(m)
    if not fits:
        return None
    return min(fits, key=lambda m: abs(m.exact_delivered - requested))


def _recipe(conc: Fraction, parent: int, factor: int, tablet_mg: Fraction | None) -> Draft:
    if tablet_mg is not None:
        volume = tablet_mg / conc
        if volume <= MAX_TABLET_VOLUME_ML and volume.denominator == 1:
            return Draft(conc, tablet_mg=tablet_mg, tablet_ml=volume)
    return Draft(conc, parent=parent, factor=factor)


def _flagged(conc: Fraction, requested: Fraction, before: Fraction, ideal_before: Fraction,
             tolerance: Fraction, means: Means) -> tuple[Measurement | None, str]:
    """The nearest measurable step below ``before`` at ``conc``, and why it is flagged."""
    want = 1 - requested / ideal_before
    target = before * requested / ideal_before
    below = [m for m in _candidates(target, conc, means)
             if m.exact_delivered < before]
    reason = (f"no liquid (the current one, or it diluted by any allowed factor) and device "
              f"measures a cut of {_pct(want)} within +/-{_pct(tolerance * want)}")
    if not below:
        return None, reason + "; nothing measurable lies below the step before"
    best = min(below, key=lambda m: abs(1 - m.exact_delivered / before - want))
    got = 1 - best.exact_delivered / before
    return best, f"{reason}: it cuts {_pct(got)}"


def plan_steps(requested: list[Fraction], first: Draft, means: Means, tolerance: Fraction,
               dilutions: tuple[int, ...], tablet_mg: Fraction | None,
               ) -> tuple[list[Draft], list[Pick], str | None]:
    """Plan every step of a downward ``requested`` curve.

    Returns the liquids, one pick a step, and why the plan stops early (or None).
    """
    liquids: list[Draft] = [first]
    picks: list[Pick] = []
    current = 0
    before: Fraction | None = None
    for k, want in enumerate(requested):
        last = k == len(requested) - 1 and k > 0
        ideal_before = requested[k - 1] if k else want
        args = (want, before, ideal_before, tolerance, last, means)
        m = _serve(liquids[current].conc, *args)
        problem = None
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
                raise _first_unmeasurable(want, liquids[0].conc, means)
            m, problem = _flagged(liquids[current].conc, want, before, ideal_before,
                                  tolerance, means)
            if m is None:
                return liquids, picks, f"the plan stops at step {k + 1}: {problem}"
        picks.append(Pick(current, m, problem))
        before = m.exact_delivered
    return liquids, picks, None


def _pct(x: Fraction) -> str:
    return f"{format_number(x * 100, 3)} %"


def _first_unmeasurable(want: Fraction, conc: Fraction, means: Means) -> LdnCompoundError:
    most = ("" if means.max_volume_ml is None
            else f" in at most {format_volume(means.max_volume_ml)}")
    return InputError("stock", format_concentration_exact(conc),
                      f"a stock from which {format_mass(want)} measures within "
                      f"{_pct(ROUNDING_WARNING)}{most} with "
                      "the devices given: a weaker one is made by dilution, a stronger one "
                      "must be given")
