"""The verdict on one step of a multi-stock plan, the same for tapers and titrations.

A step is flagged, with its reasons, when

- its dose misses the requested one by more than ``_rules.ROUNDING_WARNING``
  (the first step's dose is the start, the taper's last the floor: both are
  honoured this way, and no step drifts off the curve);
- its dose is below the floor (a titration's start dose) by more than that;
- its change from the step before (a cut, or a rise in a titration, as a share
  of the dose it starts from) is further than ``max_cut_error`` of the
  requested change from it (:func:`change_beyond`); the change onto the
  floor is not judged;
- it takes more drops than anyone should count (``ldn_compound._verdict.too_many_drops``).

These rules (and :func:`units_to_follow`, the resolution a change needs) live
here only; the planner and the plan's refusal call them.

The planner plans every curve downwards (a titration is the taper from its
target, reversed), so a change is judged on the pair (the dose before, the
dose now) in planning order and worded in the plan's own direction.
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from .._exact import ceil_div, format_number, format_percent
from .._rules import ROUNDING_WARNING, SUGGESTED_UNITS, beyond
from .._verdict import MAX_COUNTED_DROPS, too_many_drops
from ..measurement import Measurement
from ..rendering import format_mass

__all__ = ["Ask", "change_beyond", "change_problem", "dose_problem", "pct",
           "plan_change", "tolerance_for", "units_to_follow"]



def change_beyond(asked: Fraction, given: Fraction, tolerance: Fraction) -> bool:
    """A delivered change (a cut or a rise, as a fraction of the dose it starts from)
    further from the ``asked`` one than ``tolerance`` of it (relative)."""
    return abs(given - asked) > tolerance * abs(asked)


def units_to_follow(change: Fraction, tolerance: Fraction) -> int:
    """Fewest units (drops or graduations) the larger dose of a step must take so that a
    whole count always lands within ``tolerance`` of the ``change`` (negative: a cut).

    The larger dose is planned first, at ``n`` units. Down a cut ``c`` the other dose
    is a whole count in ``n * (1 - c +/- tolerance * c)``, an interval
    ``2 * tolerance * c * n`` wide; up a rise ``r`` it is in
    ``n / (1 + r -/+ tolerance * r)``, at least ``2 * tolerance * r * n / (1 + r) ** 2``
    wide. Either holds a whole number once its width is 1. At least
    ``_rules.SUGGESTED_UNITS``, so rounding to a unit stays within the rounding warning.
    """
    return max(SUGGESTED_UNITS, ceil_div(tolerance_for(change, 1) / tolerance))


def tolerance_for(change: Fraction, units: int) -> Fraction:
    """The ``max_cut_error`` at which :func:`units_to_follow` is ``units`` (before its
    floor of ``SUGGESTED_UNITS``): the loosest tolerance a dose of ``units`` needs."""
    return max(Fraction(1), 1 + change) ** 2 / (2 * abs(change) * units)


@attrs.frozen
class Ask:
    """What a plan asks of every step: its floor, its direction and its tolerance."""

    floor: Fraction  # mg: the taper's floor, the titration's start dose
    rise: bool  # a titration: changes are rises, read from the lower dose up
    tolerance: Fraction  # max_cut_error

    @property
    def floor_name(self) -> str:
        """``floor`` or ``start dose``."""
        return "start dose" if self.rise else "floor"


def plan_change(higher: Fraction, lower: Fraction, rise: bool) -> Fraction:
    """The change between two doses in the plan's direction, as a share of the dose
    it starts from: ``lower / higher - 1`` down a taper, ``higher / lower - 1`` up."""
    return higher / lower - 1 if rise else lower / higher - 1


def dose_problem(m: Measurement, requested: Fraction, ask: Ask) -> str | None:
    """Why the dose of ``m`` is flagged on its own (None: it is not)."""
    d = m.exact_delivered
    out = []
    if d < ask.floor and beyond(d - ask.floor, ask.floor):
        out.append(f"{format_mass(d)} is below the {ask.floor_name} of "
                   f"{format_mass(ask.floor)}")
    elif beyond(d - requested, requested):
        out.append(f"{format_mass(d)} is {format_percent(d / requested - 1)} from the "
                   f"requested {format_mass(requested)}, beyond "
                   f"+/-{format_number(ROUNDING_WARNING * 100)} %")
    if too_many_drops(m.count, m.device):  # the one drop-count rule (measure() too)
        out.append(f"{m.count:,} drops: more than the {MAX_COUNTED_DROPS} anyone should "
                   "count; measure it with an oral syringe")
    return "; ".join(out) or None


def change_problem(before: Fraction, now: Fraction, ideal_before: Fraction,
                   requested: Fraction, ask: Ask) -> str | None:
    """Why the change from ``before`` to ``now`` (planning order) is flagged, or None."""
    asked = plan_change(ideal_before, requested, ask.rise)
    given = plan_change(before, now, ask.rise)
    if not change_beyond(asked, given, ask.tolerance):
        return None
    word = "rise" if ask.rise else "cut"
    return (f"a {word} of {pct(abs(given))} where {pct(abs(asked))} was asked, beyond "
            f"+/-{pct(ask.tolerance * abs(asked))} (max_cut_error "
            f"{pct(ask.tolerance)} of it)")


def pct(x: Fraction) -> str:
    """``x`` as a percentage to 3 significant figures, unsigned: ``16.7 %``."""
    return f"{format_number(x * 100, 3)} %"
