"""Judging one step: measured at all, within ``max_rounding_error``, at an accurate
volume, and (in a taper) not cut beyond the over-cut limit.

A step is flagged, never raised: the verdict carries the reason and a concrete
fix. The rules themselves (fix advice, smaller syringe, over-cut) live in
:mod:`ldn_compound._rules`.
"""

from __future__ import annotations

from fractions import Fraction

from .._exact import format_number, format_percent
from .._rules import smaller_syringe, suggested_concentration, suggested_count
from ..devices import Device, OralSyringe
from ..errors import ErrorKind, InputError, UnmeasurableDoseError
from ..measurement import Measurement, measure_exact
from ..rendering import format_concentration, format_mass, format_volume, join_words
from ..stock import Stock
from ._cuts import judge_cut

__all__ = ["Verdict", "judge", "judge_step"]

#: (measurement or None, problem or None, fix or None)
Verdict = tuple[Measurement | None, str | None, str | None]


def judge(dose: Fraction, stock: Stock, device: Device, rounding: str,
          max_rounding_error: Fraction, parameter: str = "dose") -> Verdict:
    """Measure one dose; flag it when it cannot be measured, misses
    ``max_rounding_error``, or lands on a volume the device cannot measure
    accurately (``accuracy_problem``)."""
    try:
        m = measure_exact(dose, stock, device, rounding, parameter=parameter)
    except UnmeasurableDoseError as exc:
        return None, exc.reason, exc.suggestion
    problems = []
    err = m.exact_rounding_error
    if abs(err) > max_rounding_error:
        word = device.unit if m.count == 1 else device.units
        verb = "delivers" if m.count == 1 else "deliver"
        problems.append(f"{m.count:,} {word} {verb} {format_mass(m.exact_delivered)}, "
                        f"{format_percent(err)} from {format_mass(dose)}, beyond the "
                        f"+/-{format_number(max_rounding_error * 100)} % tolerance")
    if m.accuracy_problem is not None:
        problems.append(m.accuracy_problem)
    if not problems:
        return m, None, None
    # suggested_count keeps the suggestion itself clear of accuracy_problem
    n = suggested_count(device)
    amount = f"{n:,} {device.units}"
    if isinstance(device, OralSyringe):
        amount = f"{format_volume(n * device.unit_volume_ml)}, {amount}"
    fixes = [f"a stock of {format_concentration(suggested_concentration(dose, device))} "
             f"(the dose would be {amount})"]
    if m.accuracy_problem is not None and isinstance(device, OralSyringe):
        smaller = smaller_syringe(m.exact_volume, device.capacity_ml)
        if smaller is not None:
            fixes.append(f"a {format_volume(smaller)} oral syringe")
    fixes.append("one stock that fits every step (ask for a suggested stock)")
    return m, "; ".join(problems), f"Would work: {join_words(fixes)}"


def judge_step(number: int, dose: Fraction, stock: Stock, device: Device, rounding: str,
               max_rounding_error: Fraction, before: Measurement | None,
               reduction: Fraction | None) -> tuple[Measurement | None, str | None,
                                                    str | None, Fraction | None]:
    """:func:`judge` for step ``number`` (1 first), with the over-cut verdict of a
    taper: (measurement, problem, fix, delivered cut from ``before``)."""
    parameter = f"steps[{number - 1}] dose"
    try:
        m, problem, fix = judge(dose, stock, device, rounding, max_rounding_error, parameter)
    except InputError as exc:  # the decimal-slip check: say which step
        if exc.kind is not ErrorKind.DECIMAL_SLIP:
            raise
        raise exc.evolve(expected=f"at step {number}, {exc.expected}") from None
    cut = None
    if reduction is not None and m is not None and before is not None:
        cut = 1 - m.exact_delivered / before.exact_delivered
        flag = judge_cut(cut, reduction, before, m, rounding)
        if flag is not None:
            problem = flag[0] if problem is None else f"{problem}; {flag[0]}"
            fix = flag[1] if fix is None else f"{fix}; {flag[1][len('Would work: '):]}"
    return m, problem, fix, cut
