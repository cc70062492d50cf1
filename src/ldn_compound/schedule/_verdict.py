"""Judging one step: measured at all, within ``max_rounding_error``, at an accurate
volume, in no more drops than one dose should be counted in, and (in a taper)
not cut beyond the over-cut limit.

A step is flagged, never raised: the verdict carries the reason and a concrete
fix. The rules themselves (fix advice, smaller syringe, over-cut) live in
:mod:`ldn_compound._rules`.
"""

from __future__ import annotations

from fractions import Fraction

from .._verdict import judge_measurement
from ..devices import Device
from ..errors import ErrorKind, InputError, UnmeasurableDoseError
from ..measurement import Measurement, measure_exact
from ..stock import Stock
from ._cuts import judge_cut

__all__ = ["Verdict", "judge", "judge_step"]

#: The last fix of a flagged step: the search for one stock that serves them all.
WHOLE_SCHEDULE = "Schedule.suggest_stock() for one stock that fits every step"
#: (measurement or None, problem or None, fix or None)
Verdict = tuple[Measurement | None, str | None, str | None]


def judge(dose: Fraction, stock: Stock, device: Device, rounding: str,
          max_rounding_error: Fraction, parameter: str = "dose") -> Verdict:
    """Measure one dose and judge it by the one rule of a measured dose
    (:func:`ldn_compound._verdict.judge_measurement`: rounding error, accuracy,
    drops counted); a dose that cannot be measured is flagged with its reason."""
    try:
        m = measure_exact(dose, stock, device, rounding, parameter=parameter,
                          max_rounding_error=max_rounding_error)
    except UnmeasurableDoseError as exc:
        return None, exc.reason, exc.suggestion
    problem, fix = judge_measurement(m, max_rounding_error, whole_schedule=WHOLE_SCHEDULE)
    return m, problem, fix


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
