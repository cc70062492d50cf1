"""The verdict of one measured dose, once: ``ok``, the ``problem`` and a ``fix``.

A :class:`~ldn_compound.Measurement`, a schedule's step and a multi-stock plan's
step are judged here, on the same measured dose:

- its rounding error is beyond ``max_rounding_error`` (default 5 %, half of the
  90-110 % potency window; ``_rules.ROUNDING_WARNING``);
- its volume is one the device cannot measure accurately (an oral syringe at
  or below 0.1 mL or below 20 % of its capacity: ``_rules.syringe_accuracy_problem``);
- it is more drops than anyone should count (:data:`MAX_COUNTED_DROPS`:
  :func:`too_many_drops`; the planner's droppers-only volume cap is
  :func:`max_drop_dose_ml`, the same rule);
- its delivered dose is below the ``floor`` it may not go under (a taper's
  lowest dose), when there is one.

A dose that cannot be measured at all never gets here: it is an
:class:`~ldn_compound.UnmeasurableDoseError`.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ._exact import format_number, format_percent
from ._rules import (
    beyond,
    larger_syringe,
    smaller_syringe,
    suggested_concentration,
    suggested_count,
    syringe_accuracy_problem,
)
from ._tables import MAX_COUNTED_DROPS
from .devices import OralSyringe
from .errors import ErrorKind, InputError
from .rendering import format_concentration, format_mass, format_volume, join_words

if TYPE_CHECKING:
    from .devices import Device
    from .measurement import Measurement

__all__ = ["MAX_COUNTED_DROPS", "accuracy_fix", "accuracy_problem", "cautions",
           "count_limit", "flagged_note", "judge_measurement", "max_drop_dose_ml",
           "too_many_drops"]


def too_many_drops(count: int, device: Device) -> bool:
    """True when ``device`` is a dropper and ``count`` drops are more than
    :data:`MAX_COUNTED_DROPS` (20: one mL of USP drops; the published drop
    ladder tops out at 18)."""
    return device.unit == "drop" and count > MAX_COUNTED_DROPS


def count_limit(device: Device) -> int | None:
    """The most drops one dose may take unflagged with ``device`` (:data:`MAX_COUNTED_DROPS`
    for a dropper), or None for a syringe (its capacity limits it)."""
    return MAX_COUNTED_DROPS if device.unit == "drop" else None


def max_drop_dose_ml(device: Device) -> Fraction:
    """The largest volume one dose may be counted in with the dropper ``device``, exact
    mL: :data:`MAX_COUNTED_DROPS` drops (or the dropper's own ``max_drops``, if fewer).

    The multi-stock planner's cap on a dose measured with droppers only is this.
    """
    drops = MAX_COUNTED_DROPS
    own = getattr(device, "max_drops", None)
    if isinstance(own, int) and own < drops:
        drops = own
    return drops * device.unit_volume_ml


def flagged_note(allow_flagged: Any, parameter: str, what: str, problem: str | None,
                 fix: str | None, *, measurable: bool = True) -> list[dict[str, Any]] | None:
    """The one rule for a flagged dose on its way out (FHIR, labels): refuse it, or with
    ``allow_flagged=True`` return the ``additionalInstruction`` that marks it.

    Parameters
    ----------
    allow_flagged : bool
    parameter : str
        What the error names (``"schedule"``, ``"measurement"``, ``"supply"``).
    what : str
        The dose as the error shows it, e.g. ``"step 2 (1.5 mg)"``.
    problem, fix : str or None
        The verdict; None when the dose is ok (then None is returned).
    measurable : bool, default True
        False for a dose that cannot be measured at all: refused even when allowed.

    Raises
    ------
    InputError
        ``kind`` ``UNMEASURABLE`` naming the dose, its problem and fix
        (``override`` ``"allow_flagged"`` where allowing it would export it).
    """
    if not isinstance(allow_flagged, bool):
        raise InputError("allow_flagged", allow_flagged, "True or False")
    if problem is None and measurable:
        return None
    if allow_flagged and measurable:
        return [{"text": f"FLAGGED: {problem}. {fix}"}]
    need = ("no flagged dose (or allow_flagged=True to mark it)" if measurable else
            "a dose that can be measured (one that cannot is never exported, allow_flagged "
            "or not)")
    raise InputError(parameter, f"{what}: {problem}", f"{need}; {fix}",
                     kind=ErrorKind.UNMEASURABLE,
                     override="allow_flagged" if measurable else None)


def _unit_word(m: Measurement) -> str:
    return m.device.unit if m.count == 1 else m.device.units


def judge_measurement(m: Measurement, max_rounding_error: Fraction,
                      floor: Fraction | None = None,
                      whole_schedule: str | None = None) -> tuple[str | None, str | None]:
    """(problem, fix) of one measured dose, or (None, None) when it is ok.

    Parameters
    ----------
    m : Measurement
    max_rounding_error : Fraction  [dimensionless]
        Largest |rounding error| left unflagged.
    floor : Fraction, optional  [mass, mg]
        A delivered dose below it is flagged.
    whole_schedule : str, optional
        A last fix to add (a schedule's "one stock that fits every step").
    """
    problems = []
    err = m.exact_rounding_error
    if abs(err) > max_rounding_error:
        verb = "delivers" if m.count == 1 else "deliver"
        problems.append(f"{m.count:,} {_unit_word(m)} {verb} {format_mass(m.exact_delivered)}, "
                        f"{format_percent(err)} from {format_mass(m.exact_target)}, beyond "
                        f"the +/-{format_number(max_rounding_error * 100)} % tolerance")
    accuracy = m.accuracy_problem
    if accuracy is not None:
        problems.append(accuracy)
    many = too_many_drops(m.count, m.device)
    if many:
        problems.append(f"{m.count:,} drops is more than the {MAX_COUNTED_DROPS} drops one "
                        "dose should be counted in (miscounts; USP <1101> drops are 1/20 mL)")
    low = floor is not None and m.exact_delivered < floor
    if low:
        assert floor is not None
        problems.append(f"{format_mass(m.exact_delivered)} delivered is below the floor of "
                        f"{format_mass(floor)}")
    if not problems:
        return None, None
    return "; ".join(problems), _fix(m, accuracy is not None, many, low, whole_schedule)


def _fix(m: Measurement, accuracy: bool, many: bool, low: bool,
         whole_schedule: str | None) -> str:
    device = m.device
    n = suggested_count(device)  # its suggestion has no accuracy problem of its own
    amount = f"{n:,} {device.units}"
    if device.unit == "graduation":
        amount = f"{format_volume(n * device.unit_volume_ml)}, {amount}"
    fixes = [f"a stock of {format_concentration(suggested_concentration(m.exact_target, device))}"
             f" (the dose would be {amount})"]
    capacity = device.capacity_ml
    if accuracy and device.unit == "graduation" and capacity is not None:
        smaller = smaller_syringe(m.exact_volume, capacity)
        if smaller is not None:
            fixes.append(f"a {format_volume(smaller)} oral syringe")
    if many:
        syringe = larger_syringe(m.exact_volume)
        if syringe is not None:
            fixes.append(f"{format_volume(m.exact_volume)} measured with a "
                         f"{format_volume(syringe)} oral syringe")
    if low:
        fixes.append("rounding 'up', which never falls short of the dose")
    if whole_schedule is not None:
        fixes.append(whole_schedule)
    return f"Would work: {join_words(fixes)}"


# -- the cautions of one measurement (Measurement.warnings) -----------------------------
def accuracy_problem(m: Measurement) -> str | None:
    """Why an oral syringe cannot measure ``m``'s volume accurately, or None; a dropper
    has no such limit, a whole drop is its unit (``_rules.syringe_accuracy_problem``)."""
    if not isinstance(m.device, OralSyringe):
        return None
    v, cap = m.exact_volume, m.device.capacity_ml
    return syringe_accuracy_problem(v, cap, format_volume(v), format_volume(cap))


def accuracy_fix(m: Measurement) -> str:
    """A stock that aims the dose at :func:`~ldn_compound._rules.suggested_count` units,
    and a smaller syringe where one fits."""
    conc = suggested_concentration(m.exact_target, m.device)
    n = suggested_count(m.device)
    syringe = isinstance(m.device, OralSyringe)
    amount = format_volume(n * m.device.unit_volume_ml) if syringe else f"{n} {m.device.units}"
    fix = [f"a stock of {format_concentration(conc)} would make it {amount}"]
    if isinstance(m.device, OralSyringe):  # narrows the type for capacity_ml
        smaller = smaller_syringe(m.exact_volume, m.device.capacity_ml)
        if smaller is not None:
            fix.append(f"a {format_volume(smaller)} oral syringe")
    return join_words(fix)


def cautions(m: Measurement) -> tuple[str, ...]:
    """Readable cautions of ``m``, most important first."""
    out, delivered = list(m._extra_warnings), m.exact_delivered
    if beyond(delivered - m.exact_target, m.exact_target):
        out.append(
            f"rounding to whole {m.device.units} changes the dose by "
            f"{format_percent(m.exact_rounding_error)} ({format_mass(m.exact_target)} becomes "
            f"{format_mass(delivered)}); {accuracy_fix(m)}"
        )
    problem = accuracy_problem(m)
    if problem is not None:
        out.append(f"{problem}: {accuracy_fix(m)}")
    out += m.stock.warnings
    return tuple(out)
