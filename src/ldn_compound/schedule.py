"""Titration and taper schedules: a ladder of doses, each measured and judged.

A :class:`Schedule` is a list of (dose, days) steps with the stock and device
they are measured with. Every step is measured with
:func:`~ldn_compound.measure` and gets a *verdict*: a step is flagged, never
raised, when it cannot be measured at all (the dose rounds to nothing or needs
more than the device holds), when rounding to whole drops or graduations
moves it by more than ``tolerance`` (default 0.05, i.e. +/-5 %: half of the
90-110 % potency window compounded preparations are held to), or when its
volume is one the device cannot measure accurately
(:attr:`~ldn_compound.Measurement.accuracy_problem`: an oral syringe at or
below 0.1 mL or below 20 % of its capacity), or, in a taper, when its delivered cut from the
step before is more than 1.5 times the requested ``reduction``. A flagged step carries the
reason and a concrete fix; :meth:`Schedule.suggest_stock` finds one stock
that makes every step measurable.

Days are whole days; day 0 is the first day of the schedule. The library
computes what to measure; it does not prescribe, and no ladder here is a
recommendation.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from ._convert import fraction_between
from ._cuts import judge_cut, taper_reduction, to_reduction
from ._exact import (
    check_rounding,
    exact_text,
    format_number,
    format_percent,
    round_ratio,
    round_to_int,
    to_fraction,
)
from .devices import (
    SMALL_SYRINGE_VOLUME_ML,
    SYRINGE_SIZES_ML,
    Device,
    Dropper,
    OralSyringe,
    device_from_dict,
)
from .errors import ErrorKind, InputError, UnmeasurableDoseError
from .measurement import (
    MIN_SYRINGE_FILL,
    Measurement,
    measure,
    suggested_concentration,
    suggested_count,
)
from .rendering import (
    Rendered,
    Report,
    format_concentration,
    format_mass,
    format_mass_range,
    format_volume,
    join_words,
)
from .stock import SOLUBILITY_MG_PER_ML, Stock
from .units import MASS, TIME, parse, to_quantity

if TYPE_CHECKING:
    import pint

    from .supply import Supply

__all__ = ["Schedule", "Step", "taper", "titrate"]

#: Default largest acceptable rounding error of a step: half of the 90-110 %
#: potency window compounded preparations are held to (USP <795>).
DEFAULT_TOLERANCE = Fraction(5, 100)
#: More steps than this is taken for a slip in the inputs (a 0.001 mg step).
MAX_STEPS = 500


# -- parsing helpers -------------------------------------------------------------------
def parse_days(value: Any, parameter: str) -> int:
    """A duration (``"14 days"``, ``"2 weeks"``) as a positive whole number of days."""
    days = parse(value, TIME, parameter)
    if days.denominator != 1:
        raise InputError(parameter, value, "a whole number of days, such as '14 days' or "
                                           "'2 weeks'")
    return int(days)


def parse_date(value: Any, parameter: str = "start_date") -> dt.date | None:
    """None, a :class:`datetime.date` or ISO text ``"2026-11-22"``."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputError(parameter, value, "a date, or ISO text such as '2026-11-22'")


def _whole(value: Any, parameter: str, low: int, high: int) -> int:
    expected = f"a whole number from {low} to {high:,}"
    x = to_fraction(value, parameter, expected)
    if x.denominator != 1 or not low <= x <= high:
        raise InputError(parameter, value, expected)
    return int(x)


def _plan(value: Any) -> tuple[tuple[Fraction, int], ...]:
    """Converter: ``[(dose, duration), ...]`` -> exact (mg, days) pairs."""
    expected = "a list of (dose, duration) pairs, e.g. [('1.5 mg', '2 weeks'), ...]"
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InputError("steps", value, expected)
    out = []
    for n, item in enumerate(value):
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            raise InputError(f"steps[{n}]", item, expected)
        dose, days = item
        # An exact Fraction is the internal form, already in mg.
        raw = (dose, "mg") if isinstance(dose, Fraction) else dose
        mg = parse(raw, MASS, f"steps[{n}] dose")
        if isinstance(days, int) and not isinstance(days, bool):
            if days <= 0:
                raise InputError(f"steps[{n}] duration", days, "a positive number of days")
            d = days
        else:
            d = parse_days(days, f"steps[{n}] duration")
        out.append((mg, d))
    if not out:
        raise InputError("steps", value, "at least one (dose, duration) step")
    if len(out) > MAX_STEPS:
        raise InputError("steps", f"{len(out)} steps", f"at most {MAX_STEPS} steps")
    return tuple(out)


def _stock(value: Any) -> Stock:
    if not isinstance(value, Stock):
        raise InputError("stock", value, "a Stock, e.g. Stock.from_tablets('50 mg', '10 mL')")
    return value


def _device(value: Any) -> Device:
    if not isinstance(value, Device):
        raise InputError("device", value, "a Dropper or OralSyringe")
    return value


def _to_tolerance(value: Any) -> Fraction:
    return fraction_between("tolerance", Fraction(0), Fraction(1))(value)


def _doses_per_day(value: Any) -> int:
    return _whole(value, "doses_per_day", 1, 12)


def _number_ranges(numbers: list[int]) -> str:
    """``[1, 2, 3, 5]`` -> ``1 to 3, 5``."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start} to {prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


# -- one step --------------------------------------------------------------------------
@attrs.frozen(repr=False)
class Step(Rendered):
    """One rung of a schedule: a dose taken for ``days`` days from ``start_day``.

    Attributes
    ----------
    number : int
        1 for the first step.
    exact_dose : Fraction
        Each dose, exact mg (taken ``doses_per_day`` times a day).
    start_day : int
        First day of the step; day 0 is the first day of the schedule.
    days : int
        How many days the step lasts.
    measurement : Measurement or None
        What to measure; None when the dose cannot be measured at all.
    problem, fix : str or None
        The verdict: why the step is flagged and what would work; both None
        for a step measured within tolerance at a volume the device measures
        accurately.
    start_date : datetime.date or None
        Date of ``start_day`` when the schedule has a start date.
    exact_cut : Fraction or None
        In a schedule with a ``reduction`` (a taper), the delivered dose's
        cut from the step before, ``1 - delivered / previous delivered``;
        None for the first step, an unmeasurable one, or without a reduction.
    """

    number: int
    exact_dose: Fraction
    start_day: int
    days: int
    measurement: Measurement | None
    problem: str | None = None
    fix: str | None = None
    start_date: dt.date | None = None
    doses_per_day: int = 1
    exact_cut: Fraction | None = None

    @property
    def dose(self) -> pint.Quantity:
        """Each dose [mass, mg]."""
        return to_quantity(self.exact_dose, MASS)

    @property
    def end_day(self) -> int:
        """First day after the step (``start_day + days``)."""
        return self.start_day + self.days

    @property
    def end_date(self) -> dt.date | None:
        """Date of the step's last day (inclusive), when a start date is given."""
        if self.start_date is None:
            return None
        return self.start_date + dt.timedelta(days=self.days - 1)

    @property
    def ok(self) -> bool:
        """True when the step is measured within tolerance, at an accurate volume."""
        return self.problem is None

    @property
    def verdict(self) -> str:
        """``"ok"`` or ``"FLAGGED: reason. fix"``."""
        return "ok" if self.ok else f"FLAGGED: {self.problem}. {self.fix}"

    def exact_daily_volume(self) -> Fraction:
        """Liquid consumed per day, exact mL (0 when the dose cannot be measured)."""
        if self.measurement is None:
            return Fraction(0)
        return self.measurement.exact_volume * self.doses_per_day

    def what_to_measure(self) -> str:
        """``6 drops (0.3 mL)``, or ``cannot be measured``."""
        return "cannot be measured" if self.measurement is None \
            else self.measurement.what_to_measure()

    def _dates(self) -> str:
        if self.start_date is None or self.end_date is None:
            return ""
        return f"{self.start_date.isoformat()} to {self.end_date.isoformat()}"

    def report(self) -> Report:
        """Rows for one step."""
        rows = [("Dose", format_mass(self.exact_dose)),
                ("Days", f"{self.start_day} to {self.end_day - 1} ({self.days} days)"),
                ("Measure", self.what_to_measure()),
                ("Verdict", self.verdict)]
        if self.start_date is not None:
            rows.insert(2, ("Dates", self._dates()))
        return Report(title=f"Step {self.number}: {format_mass(self.exact_dose)}",
                      rows=tuple(rows))

    def to_dict(self) -> dict[str, Any]:
        """Step as plain data: inputs exact, results safely written."""
        m = self.measurement
        d: dict[str, Any] = {
            "step": self.number,
            "dose": format_mass(self.exact_dose, None),
            "dose_mg": exact_text(self.exact_dose),
            "start_day": self.start_day,
            "days": self.days,
            "start_date": None if self.start_date is None else self.start_date.isoformat(),
            "end_date": None if self.end_date is None else self.end_date.isoformat(),
            "measure": self.what_to_measure(),
            "count": None if m is None else m.count,
            "volume": None if m is None else format_volume(m.exact_volume, None),
            "delivered": None if m is None else format_mass(m.exact_delivered, None),
            "rounding_error": None if m is None else float(m.exact_rounding_error),
            "low": None if m is None else format_mass(m.exact_bounds[0], None),
            "high": None if m is None else format_mass(m.exact_bounds[1], None),
            "ok": self.ok,
            "problem": self.problem,
            "fix": self.fix,
        }
        return d


def _judge(dose: Fraction, stock: Stock, device: Device, rounding: str,
           tolerance: Fraction) -> tuple[Measurement | None, str | None, str | None]:
    """Measure one dose; flag it when it cannot be measured, misses tolerance, or
    lands on a volume the device cannot measure accurately (``accuracy_problem``)."""
    try:
        m = measure((dose, "mg"), stock, device, rounding=rounding)
    except UnmeasurableDoseError as exc:
        return None, exc.reason, exc.suggestion
    problems = []
    err = m.exact_rounding_error
    if abs(err) > tolerance:
        word = device.unit if m.count == 1 else device.units
        verb = "delivers" if m.count == 1 else "deliver"
        problems.append(f"{m.count:,} {word} {verb} {format_mass(m.exact_delivered)}, "
                        f"{format_percent(err)} from {format_mass(dose)}, beyond the "
                        f"+/-{format_number(tolerance * 100)} % tolerance")
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
        v = m.exact_volume
        smaller = [c for c in SYRINGE_SIZES_ML
                   if v >= c * MIN_SYRINGE_FILL and c < device.capacity_ml]
        if smaller and v > SMALL_SYRINGE_VOLUME_ML:
            fixes.append(f"a {format_volume(smaller[0])} oral syringe")
    fixes.append("Schedule.suggest_stock() for one stock that fits every step")
    return m, "; ".join(problems), f"Would work: {join_words(fixes)}"


def _best_stock(doses: list[Fraction], strength: Fraction, device: Device, rounding: str,
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
    if limit < 1:
        return None
    want = suggested_count(device)
    tn, td = tol.numerator, tol.denominator
    # count of dose d from n tablets in v mL = d / (strength x unit) x v / n = P v / (Q n)
    ratios = [d / (strength * unit_ml) for d in doses]
    parts = [(r.numerator, r.denominator) for r in ratios]
    first_ml = max(-(-v_lo.numerator // v_lo.denominator), 1)
    last_ml = v_hi.numerator // v_hi.denominator
    best: tuple[Any, ...] | None = None
    for n in range(1, n_max + 1):
        drug = n * strength
        # soluble; smallest dose at least 1/(1 + tol) unit; largest below limit + 1 units
        lo = max(first_ml, _ceil(drug / SOLUBILITY_MG_PER_ML), _ceil(n / (ratios[0] * (1 + tol))))
        hi = min(last_ml, _ceil((limit + 1) * n / ratios[-1]))
        for v in range(lo, hi + 1):
            worst = Fraction(0)
            smallest = 0
            for p, q in parts:
                num, den = p * v, q * n
                c = round_ratio(num, den, rounding)
                if c == 0 or c > limit or abs(c * den - num) * td > tn * num:
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


def _ceil(x: Fraction) -> int:
    return -(-x.numerator // x.denominator)


# -- the schedule ----------------------------------------------------------------------
@attrs.frozen(repr=False)
class Schedule(Rendered):
    """A ladder of doses measured from one stock with one device.

    Build one with :func:`titrate`, :func:`taper`, :meth:`from_steps` or
    :meth:`from_drops`, or from a preset (:mod:`ldn_compound.presets`).

    Parameters
    ----------
    plan : list of (dose, duration)
        Each dose [mass] and how long it is taken [time, whole days, or an int
        of days], in order.
    stock : Stock
        The liquid every dose is measured from.
    device : Dropper or OralSyringe
        What it is measured with.
    rounding : {"nearest", "down", "up"}
        How a dose is rounded to whole drops or graduations (see
        :func:`~ldn_compound.measure`).
    tolerance : number, default 0.05  [dimensionless]
        Largest rounding error a step may have before it is flagged: half of
        the 90-110 % potency window of compounded preparations.
    doses_per_day : int, default 1
        How many times a day each dose is taken.
    start_date : datetime.date or ISO text, optional
        Date of day 0; steps then carry dates.
    kind : str
        ``"titration"``, ``"taper"``, ``"drops"`` or ``"ladder"`` (display only).
    name : str, optional
        A title, e.g. the preset's name.
    reduction : number, optional  [dimensionless]
        The cut each step was meant to make (set by :func:`taper`), strictly
        between 0 and 1. A step whose delivered cut from the step before is
        more than ``reduction x 1.5`` is flagged, with a weaker stock or a
        finer device that would keep it within.
    """

    plan: tuple[tuple[Fraction, int], ...] = attrs.field(converter=_plan)
    stock: Stock = attrs.field(converter=_stock)
    device: Device = attrs.field(converter=_device)
    rounding: str = attrs.field(default="nearest", kw_only=True, converter=check_rounding)
    tolerance: Fraction = attrs.field(default=DEFAULT_TOLERANCE, kw_only=True,
                                      converter=_to_tolerance)
    doses_per_day: int = attrs.field(default=1, kw_only=True, converter=_doses_per_day)
    start_date: dt.date | None = attrs.field(default=None, kw_only=True, converter=parse_date)
    kind: str = attrs.field(default="ladder", kw_only=True)
    name: str | None = attrs.field(default=None, kw_only=True)
    reduction: Fraction | None = attrs.field(default=None, kw_only=True,
                                             converter=to_reduction)
    _steps: tuple[Step, ...] = attrs.field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if self.start_date is not None:
            try:  # room for the schedule and any beyond-use date (at most 10 years)
                self.start_date + dt.timedelta(days=self.total_days + 3660)
            except OverflowError:
                raise InputError("start_date", self.start_date.isoformat(),
                                 "a date leaving room for the schedule before "
                                 "9999-12-31") from None
        steps: list[Step] = []
        day = 0
        for n, (dose, days) in enumerate(self.plan, 1):
            try:
                m, problem, fix = _judge(dose, self.stock, self.device, self.rounding,
                                         self.tolerance)
            except InputError as exc:  # the decimal-slip check: name the step
                if exc.kind is not ErrorKind.DECIMAL_SLIP:
                    raise
                raise exc.evolve(parameter=f"steps[{n - 1}] dose",
                                 expected=f"at step {n}, {exc.expected}") from None
            start = None if self.start_date is None \
                else self.start_date + dt.timedelta(days=day)
            before = steps[-1].measurement if steps else None
            cut = None
            if self.reduction is not None and m is not None and before is not None:
                cut = 1 - m.exact_delivered / before.exact_delivered
                flag = judge_cut(cut, self.reduction, before, m, self.rounding)
                if flag is not None:
                    problem = flag[0] if problem is None else f"{problem}; {flag[0]}"
                    fix = flag[1] if fix is None else f"{fix}; {flag[1][len('Would work: '):]}"
            steps.append(Step(n, dose, day, days, m, problem, fix, start, self.doses_per_day,
                              cut))
            day += days
        object.__setattr__(self, "_steps", tuple(steps))

    # -- constructors ---------------------------------------------------------------
    @classmethod
    def from_steps(cls, steps: Iterable[tuple[Any, Any]], stock: Stock, device: Device, *,
                   rounding: str = "nearest", tolerance: Any = DEFAULT_TOLERANCE,
                   doses_per_day: Any = 1, start_date: Any = None,
                   name: str | None = None) -> Schedule:
        """Any written ladder: ``[("1.5 mg", "4 weeks"), ("3 mg", "4 weeks"), ...]``.

        Parameters
        ----------
        steps : list of (dose, duration)
            Dose [mass] and duration [time, whole days] of each step in order.
        stock, device, rounding, tolerance, doses_per_day, start_date, name
            As for :class:`Schedule`.
        """
        return cls(steps, stock, device, rounding=rounding, tolerance=tolerance,
                   doses_per_day=doses_per_day, start_date=start_date, kind="ladder",
                   name=name)

    @classmethod
    def from_drops(cls, stock: Stock, dropper: Dropper, start_drops: Any = 1,
                   step_drops: Any = 1, max_drops: Any = 18, every: Any = "7 days", *,
                   doses_per_day: Any = 1, start_date: Any = None,
                   tolerance: Any = DEFAULT_TOLERANCE, rounding: str = "nearest",
                   name: str | None = None) -> Schedule:
        """A drop ladder: ``start_drops``, then ``step_drops`` more each interval.

        With one 50 mg tablet in 10 mL and a 20 drops/mL dropper each drop is
        0.25 mg, so the default 1 to 18 drops climbs from 0.25 mg to 4.5 mg.
        The last step is ``max_drops`` even when the steps overshoot it.

        Parameters
        ----------
        stock : Stock
        dropper : Dropper
        start_drops, step_drops, max_drops : int  [count]
        every : str or pint.Quantity  [time, whole days]
        rounding : {"nearest", "down", "up"}
            Kept for the display; every dose is a whole number of drops.
        """
        if not isinstance(dropper, Dropper):
            raise InputError("dropper", dropper, "a Dropper (use Schedule.from_steps or "
                                                 "titrate for an oral syringe)")
        stock = _stock(stock)
        first = _whole(start_drops, "start_drops", 1, 10_000)
        step = _whole(step_drops, "step_drops", 1, 10_000)
        last = _whole(max_drops, "max_drops", 1, 10_000)
        if last < first:
            raise InputError("max_drops", max_drops, f"at least start_drops ({first})")
        days = parse_days(every, "every")
        per_drop = stock.concentration_mg_per_ml * dropper.unit_volume_ml
        counts = [*range(first, last, step), last]
        if len(counts) > MAX_STEPS:
            raise InputError("step_drops", step_drops, f"a step giving at most {MAX_STEPS} steps")
        return cls([(n * per_drop, days) for n in counts], stock, dropper,
                   doses_per_day=doses_per_day, start_date=start_date, tolerance=tolerance,
                   rounding=rounding, kind="drops", name=name)

    def with_stock(self, stock: Stock) -> Schedule:
        """The same ladder measured from another stock."""
        return attrs.evolve(self, stock=stock)

    def with_start_date(self, start_date: Any) -> Schedule:
        """The same ladder starting on another date (or None)."""
        return attrs.evolve(self, start_date=start_date)

    # -- results --------------------------------------------------------------------
    @property
    def steps(self) -> tuple[Step, ...]:
        """The steps, in order; their days tile ``0 .. total_days - 1``."""
        return self._steps

    @property
    def total_days(self) -> int:
        """Days from the first dose to the last."""
        return sum(days for _, days in self.plan)

    @property
    def end_date(self) -> dt.date | None:
        """Date of the last day, when a start date is given."""
        return self._steps[-1].end_date

    @property
    def ok(self) -> bool:
        """True when every step is measured within tolerance."""
        return all(s.ok for s in self._steps)

    @property
    def flagged(self) -> tuple[Step, ...]:
        """Steps that cannot be measured, or not within tolerance."""
        return tuple(s for s in self._steps if not s.ok)

    @property
    def warnings(self) -> tuple[str, ...]:
        """Flagged steps first, then the measurements' other cautions.

        A caution that several steps share word for word is shown once with
        the steps it applies to; cautions that differ (another dose or
        volume) are never merged.
        """
        out = [f"step {s.number} ({format_mass(s.exact_dose)}): {s.problem}. {s.fix}"
               for s in self.flagged]
        same: dict[str, list[int]] = {}
        stock_warnings = set(self.stock.warnings)
        for s in self._steps:
            m = s.measurement
            if m is None:
                continue
            verdict = m.accuracy_problem
            for w in m.warnings:
                if (w.startswith("rounding to whole") or w in stock_warnings
                        or (verdict is not None and w.startswith(verdict))):
                    continue  # already a verdict, or said once below
                same.setdefault(w, []).append(s.number)
        for w, numbers in same.items():
            where = f"step {numbers[0]}" if len(numbers) == 1 \
                else f"steps {_number_ranges(numbers)}"
            out.append(f"{where}: {w}")
        out += self.stock.warnings
        return tuple(out)

    def step_on(self, day: int) -> Step:
        """The step taken on ``day`` (0-based)."""
        d = _whole(day, "day", 0, max(self.total_days - 1, 0))
        for s in self._steps:
            if s.start_day <= d < s.end_day:
                return s
        raise AssertionError("steps tile the schedule")  # pragma: no cover

    def suggest_stock(self, tablet: Any = "50 mg", *, max_tablets: int = 4,
                      min_volume: Any = "5 mL", max_volume: Any = "200 mL",
                      max_count: int = 50, tolerance: Any = None) -> Stock:
        """A stock that makes every step measurable within tolerance.

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
            Most drops or graduations one dose may take (counting many drops
            is itself an error source); the device's own limit also applies.
        tolerance : number, optional  [dimensionless]
            Default: the schedule's ``tolerance``.

        Raises
        ------
        UnmeasurableDoseError
            No such stock exists in the range; the message says what to widen.
        """
        strength = parse(tablet, MASS, "tablet")
        n_max = _whole(max_tablets, "max_tablets", 1, 100)
        v_lo = parse(min_volume, "volume", "min_volume")
        v_hi = parse(max_volume, "volume", "max_volume")
        if v_hi < v_lo:
            raise InputError("max_volume", max_volume, f"at least min_volume ({min_volume})")
        count_max = _whole(max_count, "max_count", 1, 100_000)
        tol = self.tolerance if tolerance is None else fraction_between(
            "tolerance", Fraction(0), Fraction(1))(tolerance)
        doses = sorted({d for d, _ in self.plan})
        best = _best_stock(doses, strength, self.device, self.rounding, tol, n_max,
                           v_lo, v_hi, count_max)
        if best is None:
            raise UnmeasurableDoseError(
                f"{format_mass(doses[0])} to {format_mass(doses[-1])}",
                f"no stock of 1 to {n_max} x {format_mass(strength)} tablets made up to "
                f"{format_volume(v_lo)} to {format_volume(v_hi)} measures every step within "
                f"+/-{format_number(tol * 100)} % in at most {count_max} "
                f"{self.device.units} with this {self.device.describe()}",
                "Would work: widen max_volume, max_tablets or max_count, use a finer device, "
                "or split the ladder into two schedules with different stocks (microgram "
                "doses need a dilution of a stronger stock)",
            )
        n, v = best
        return Stock.from_tablets((strength, "mg"), (Fraction(v), "mL"), n,
                                  content_tolerance=self.stock.content_tolerance)

    def supply(self, bud: Any = None, preparation: str = "aqueous", overage: Any = 0.10, *,
               stronger_stock: bool = False, tablet: Any = None,
               directions: str | None = None) -> Supply:
        """What to make and dispense: batches within their beyond-use dates.

        See :func:`ldn_compound.supply.make_supply` for the parameters.
        """
        from .supply import make_supply

        return make_supply(self, bud=bud, preparation=preparation, overage=overage,
                           stronger_stock=stronger_stock, tablet=tablet, directions=directions)

    # -- display and data -----------------------------------------------------------
    def _title(self) -> str:
        first, last = self.plan[0][0], self.plan[-1][0]
        what = {"titration": "Titration", "taper": "Taper", "drops": "Drop ladder"}.get(
            self.kind, "Schedule")
        if self.name:
            what = f"{what} '{self.name}'"
        n = len(self.plan)
        return (f"{what}: {format_mass(first)} to {format_mass(last)} in {n} "
                f"step{'s' if n != 1 else ''} over {self.total_days} days")

    def report(self) -> Report:
        """Rows and a step table; flagged steps as warnings."""
        rows = [("Stock", self.stock.describe()), ("Device", self.device.describe()),
                ("Doses a day", str(self.doses_per_day)),
                ("Tolerance", f"+/-{format_number(self.tolerance * 100)} % rounding error "
                              f"(rounding: {self.rounding})")]
        if self.start_date is not None and self.end_date is not None:
            rows.append(("Dates", f"{self.start_date.isoformat()} to "
                                  f"{self.end_date.isoformat()}"))
        header: tuple[str, ...] = ("Step", "Days", "Dose", "Measure", "Delivered", "Error",
                                   "Bounds", "Verdict")
        if self.start_date is not None:
            header = (*header[:2], "Dates", *header[2:])
        table = []
        for s in self._steps:
            m = s.measurement
            row = [str(s.number), f"{s.start_day} to {s.end_day - 1}",
                   format_mass(s.exact_dose), s.what_to_measure(),
                   "-" if m is None else format_mass(m.exact_delivered),
                   "-" if m is None else format_percent(m.exact_rounding_error),
                   "-" if m is None else format_mass_range(*m.exact_bounds, 3),
                   "ok" if s.ok else "FLAGGED"]
            if self.start_date is not None:
                row.insert(2, s._dates())
            table.append(tuple(row))
        return Report(title=self._title(), rows=tuple(rows), table_header=header,
                      table=tuple(table), warnings=self.warnings,
                      footer=("Computed, not prescribed: check every dose against the "
                              "prescription.",))

    def to_dict(self) -> dict[str, Any]:
        """Inputs (exact) and per-step results; :meth:`from_dict` reads it back."""
        return {
            "kind": self.kind,
            "name": self.name,
            "stock": self.stock.to_dict(),
            "device": self.device.to_dict(),
            "rounding": self.rounding,
            "tolerance": exact_text(self.tolerance),
            "doses_per_day": self.doses_per_day,
            "start_date": None if self.start_date is None else self.start_date.isoformat(),
            "plan": [[f"{exact_text(d)} mg", days] for d, days in self.plan],
            "reduction": None if self.reduction is None else exact_text(self.reduction),
            "total_days": self.total_days,
            "ok": self.ok,
            "steps": [s.to_dict() for s in self._steps],
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Schedule:
        """Inverse of :meth:`to_dict` (results are measured again from the inputs)."""
        if not isinstance(data, dict):
            raise InputError("data", data, "a schedule dict from Schedule.to_dict()")
        try:
            return cls([(d, int(days)) for d, days in data["plan"]],
                       Stock.from_dict(data["stock"]), device_from_dict(data["device"]),
                       rounding=data.get("rounding", "nearest"),
                       tolerance=data.get("tolerance", DEFAULT_TOLERANCE),
                       doses_per_day=data.get("doses_per_day", 1),
                       start_date=data.get("start_date"), kind=data.get("kind", "ladder"),
                       name=data.get("name"), reduction=data.get("reduction"))
        except KeyError as exc:
            raise InputError("data", data, f"a schedule dict with key {exc.args[0]!r}") from exc

    CSV_COLUMNS = ("step", "start_day", "days", "start_date", "end_date", "dose", "measure",
                   "count", "volume", "delivered", "rounding_error", "low", "high", "ok",
                   "problem", "fix")

    def to_csv(self) -> str:
        """One row per step (doses safely written, dates ISO)."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.CSV_COLUMNS)
        for s in self._steps:
            d = s.to_dict()
            w.writerow(["" if d[c] is None else d[c] for c in self.CSV_COLUMNS])
        return buf.getvalue()

    def plot(self, ax: Any = None) -> Any:
        """Dose and worst-case bounds against day (needs the ``plot`` extra: matplotlib).

        Returns the matplotlib Axes.
        """
        try:
            import matplotlib.pyplot as plt  # type: ignore[import-not-found, unused-ignore]
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("Schedule.plot needs matplotlib: pip install "
                              "'ldn-compound[plot]'") from exc
        if ax is None:
            _, ax = plt.subplots()
        xs: list[int] = []
        dose: list[float] = []
        low: list[float] = []
        high: list[float] = []
        for s in self._steps:
            m = s.measurement
            for x in (s.start_day, s.end_day):
                xs.append(x)
                dose.append(float(s.exact_dose if m is None else m.exact_delivered))
                low.append(float(m.exact_bounds[0]) if m else float("nan"))
                high.append(float(m.exact_bounds[1]) if m else float("nan"))
        ax.fill_between(xs, low, high, alpha=0.3, label="worst-case bounds")
        ax.plot(xs, dose, label="delivered dose")
        ax.set_xlabel("day")
        ax.set_ylabel("dose (mg)")
        ax.set_title(self._title())
        ax.legend()
        return ax


# -- arithmetic ladders ------------------------------------------------------------------
def titrate(start: Any, step: Any, target: Any, every: Any, stock: Stock, device: Device, *,
            hold: Any = None, start_date: Any = None, rounding: str = "nearest",
            doses_per_day: Any = 1, tolerance: Any = DEFAULT_TOLERANCE,
            name: str | None = None) -> Schedule:
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
    tolerance : number, default 0.05  [dimensionless]
        Rounding error beyond which a step is flagged.

    Examples
    --------
    >>> from ldn_compound import Dropper, Stock
    >>> s = titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks",
    ...             Stock.from_tablets("50 mg", "10 mL"), Dropper())
    >>> len(s.steps), s.total_days
    (7, 98)
    """
    lo = parse(start, MASS, "start")
    if isinstance(step, str) and step.strip().startswith("-"):
        raise InputError("step", step, "a positive mass: titrate climbs; for a downward "
                                       "ladder use taper() or Schedule.from_steps()")
    rise = parse(step, MASS, "step")
    hi = parse(target, MASS, "target")
    if hi < lo:
        raise InputError("target", target, f"at least start ({format_mass(lo)}) on an upward "
                                           "ladder; for a downward one use taper() or "
                                           "Schedule.from_steps()")
    days = parse_days(every, "every")
    extra = 0 if hold is None else parse_days(hold, "hold")
    if hi == lo:
        raise InputError("target", target, f"above start ({format_mass(lo)}): a titration "
                                           "climbs; for one dose use Schedule.from_steps()")
    if rise >= hi - lo:
        raise InputError("step", step, f"a rise below the whole climb from {format_mass(lo)} "
                                       f"to {format_mass(hi)} ({format_mass(hi - lo)}), e.g. "
                                       f"{format_mass((hi - lo) / 2)} for a step between; for "
                                       "one jump use Schedule.from_steps()")
    n_rises = (hi - lo) / rise
    if n_rises + 1 > MAX_STEPS:
        raise InputError("step", step, f"a rise giving at most {MAX_STEPS} steps from "
                                       f"{format_mass(lo)} to {format_mass(hi)}")
    doses = [lo + k * rise for k in range(int(n_rises) + 1)]
    if doses[-1] != hi:
        doses.append(hi)
    plan = [(d, days) for d in doses]
    plan[-1] = (hi, days + extra)
    return Schedule(plan, stock, device, rounding=rounding, tolerance=tolerance,
                    doses_per_day=doses_per_day, start_date=start_date, kind="titration",
                    name=name)


def taper(start: Any, reduction: Any = None, every: Any = None, stock: Any = None,
          device: Any = None, floor: Any = None, *, start_date: Any = None,
          rounding: str = "nearest", doses_per_day: Any = 1,
          tolerance: Any = DEFAULT_TOLERANCE, name: str | None = None,
          percent: Any = None) -> Schedule:
    """A hyperbolic taper: each step ``reduction`` below the one before.

    Each dose is the previous *measured* dose less ``reduction``, rounded to
    whole drops or graduations (``rounding``); when rounding would repeat the
    dose or go up, the step is one drop or graduation lower instead. The
    first dose is ``start`` rounded the same way. The taper ends at the last
    dose not below ``floor``, so every dose is measured exactly.

    Where the dose is only a few drops or graduations, a whole unit is a large
    cut: a step whose delivered cut is more than ``reduction x 1.5`` (a 10 %
    taper: above 15 %, e.g. 5 -> 4 drops) is flagged, with the weaker stock or
    finer device at which it would not be (see :attr:`Schedule.reduction`).

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
    first = parse(start, MASS, "start")
    cut = taper_reduction(reduction, percent)
    days = parse_days(every, "every")
    lowest = parse(floor, MASS, "floor")
    stock = _stock(stock)
    device = _device(device)
    mode = check_rounding(rounding)
    per = stock.concentration_mg_per_ml * device.unit_volume_ml
    count = measure((first, "mg"), stock, device, rounding=mode).count  # raises if unmeasurable
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
    return Schedule([(c * per, days) for c in counts], stock, device, rounding=mode,
                    tolerance=tolerance, doses_per_day=doses_per_day, start_date=start_date,
                    kind="taper", name=name, reduction=cut)
