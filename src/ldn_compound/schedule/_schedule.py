"""Titration and taper schedules: a ladder of doses, each measured and judged.

A :class:`Schedule` is a list of (dose, days) steps with the stock and device they are measured
with. Every step is measured with :func:`~ldn_compound.measure` and gets a *verdict*: a step is
flagged, never raised, when it cannot be measured at all (the dose rounds to nothing or needs
more than the device holds), when rounding to whole drops or graduations moves it by more than
``max_rounding_error`` (default 0.05, i.e. +/-5 %: half of the 90-110 % potency window
compounded preparations are held to), or when its volume is one the device cannot measure
accurately (:attr:`~ldn_compound.Measurement.accuracy_problem`: an oral syringe at or below
0.1 mL or below 20 % of its capacity), or, in a taper, when its delivered cut from the step
before is beyond the over-cut limit (1.5 times the requested ``reduction``,
``_rules.overcut_limit``). A flagged step carries the reason and a concrete fix;
:meth:`Schedule.suggest_stock` finds one stock that makes every step measurable.

Days are whole days, stored from 0; tables and labels write day 1 for the first dose. The
library computes what to measure; it does not prescribe.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterable
from fractions import Fraction
from typing import Any, ClassVar

import attrs

from .._exact import check_rounding, exact_text, format_number, format_percent
from .._frames import frame_method, schedule_frame
from .._records import stamp
from ..devices import Device, Dropper, device_from_dict
from ..errors import InputError
from ..fhir import schedule_dosages
from ..rendering import Rendered, Report, format_mass, format_mass_range
from ..stock import Stock
from ..types import CountLike, DateLike, DurationLike, MassLike, RatioLike, VolumeLike
from ._cuts import to_reduction
from ._plan import (
    UNSET,
    check_device,
    check_stock,
    drop_plan,
    max_rounding_error_from,
    number_ranges,
    parse_date,
    to_doses_per_day,
    to_kind,
    to_max_rounding_error,
    to_name,
    to_plan,
    whole,
)
from ._plot import plot_schedule
from ._step import Step, csv_text
from ._suggest import suggest_stock
from ._verdict import judge_step
from .supply import Supply, make_supply

__all__ = ["Schedule"]


@attrs.frozen(repr=False, init=False)
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
        How a dose is rounded to whole drops or graduations (as in ``measure``).
    max_rounding_error : number, default 0.05  [dimensionless]
        Largest rounding error a step may have before it is flagged: half of
        the 90-110 % potency window of compounded preparations. Was
        ``tolerance``, still accepted with a ``DeprecationWarning``.
    doses_per_day : int, default 1
        How many times a day each dose is taken.
    start_date : datetime.date or ISO text, optional
        Date of day 0; steps then carry dates.
    kind : str
        ``"titration"``, ``"taper"``, ``"drops"`` or ``"ladder"`` (display only).
    name : str, optional
        A title, e.g. the preset's name.
    reduction : number, optional  [dimensionless]
        The cut each step was meant to make (set by :func:`taper`), in (0, 1). A
        step whose delivered cut is more than ``reduction x 1.5`` (``_rules.
        overcut_limit``) is flagged, with a weaker stock or finer device as its fix.
    """

    plan: tuple[tuple[Fraction, int], ...] = attrs.field(converter=to_plan)
    stock: Stock = attrs.field(converter=check_stock)
    device: Device = attrs.field(converter=check_device)
    rounding: str = attrs.field(kw_only=True, converter=check_rounding)
    max_rounding_error: Fraction = attrs.field(kw_only=True, converter=to_max_rounding_error)
    doses_per_day: int = attrs.field(kw_only=True, converter=to_doses_per_day)
    start_date: dt.date | None = attrs.field(kw_only=True, converter=parse_date)
    kind: str = attrs.field(kw_only=True, converter=to_kind)
    name: str | None = attrs.field(kw_only=True, converter=to_name)
    reduction: Fraction | None = attrs.field(kw_only=True, converter=to_reduction)
    _steps: tuple[Step, ...] = attrs.field(init=False, eq=False)

    def __init__(self, plan: Iterable[tuple[MassLike, DurationLike]], stock: Stock,
                 device: Device, *, rounding: str = "nearest",
                 max_rounding_error: RatioLike | None = None, doses_per_day: CountLike = 1,
                 start_date: DateLike | None = None, kind: str = "ladder",
                 name: str | None = None, reduction: RatioLike | None = None,
                 tolerance: RatioLike = UNSET) -> None:
        limit = max_rounding_error_from(max_rounding_error, tolerance, "Schedule")
        self.__attrs_init__(plan, stock, device, rounding=rounding, max_rounding_error=limit,
                            doses_per_day=doses_per_day, start_date=start_date, kind=kind,
                            name=name, reduction=reduction)

    @property
    def tolerance(self) -> Fraction:
        """Deprecated name of ``max_rounding_error`` (a ``DeprecationWarning``)."""
        warnings.warn("Schedule.tolerance is deprecated: read Schedule.max_rounding_error",
                      DeprecationWarning, stacklevel=2)
        return self.max_rounding_error

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
            before = steps[-1].measurement if steps else None
            m, problem, fix, cut = judge_step(n, dose, self.stock, self.device, self.rounding,
                                              self.max_rounding_error, before, self.reduction)
            start = None if self.start_date is None \
                else self.start_date + dt.timedelta(days=day)
            steps.append(Step(n, dose, day, days, m, problem, fix, start, self.doses_per_day,
                              cut))
            day += days
        object.__setattr__(self, "_steps", tuple(steps))

    # -- constructors ---------------------------------------------------------------
    @classmethod
    def from_steps(cls, steps: Iterable[tuple[MassLike, DurationLike]], stock: Stock,
                   device: Device, *, rounding: str = "nearest",
                   max_rounding_error: RatioLike | None = None, doses_per_day: CountLike = 1,
                   start_date: DateLike | None = None, name: str | None = None,
                   tolerance: RatioLike = UNSET) -> Schedule:
        """Any written ladder: ``[("1.5 mg", "4 weeks"), ("3 mg", "4 weeks"), ...]``.

        Parameters
        ----------
        steps : list of (dose, duration)
            Dose [mass] and duration [time, whole days] of each step in order.
        stock, device, rounding, max_rounding_error, doses_per_day, start_date, name
            As for :class:`Schedule` (``tolerance`` is the deprecated name of
            ``max_rounding_error``).
        """
        limit = max_rounding_error_from(max_rounding_error, tolerance, "Schedule.from_steps")
        return cls(steps, stock, device, rounding=rounding, max_rounding_error=limit,
                   doses_per_day=doses_per_day, start_date=start_date, kind="ladder",
                   name=name)

    @classmethod
    def from_drops(cls, stock: Stock, dropper: Dropper, start_drops: CountLike = 1,
                   step_drops: CountLike = 1, max_drops: CountLike = 18,
                   every: DurationLike = "7 days", *, doses_per_day: CountLike = 1,
                   start_date: DateLike | None = None,
                   max_rounding_error: RatioLike | None = None, rounding: str = "nearest",
                   name: str | None = None, tolerance: RatioLike = UNSET) -> Schedule:
        """A drop ladder: ``start_drops``, then ``step_drops`` more each interval.

        With one 50 mg tablet in 10 mL and a 20 drops/mL dropper each drop is 0.25 mg, so the
        default 1 to 18 drops climbs from 0.25 mg to 4.5 mg. The last step is ``max_drops``
        even when the steps overshoot it.

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
            raise InputError("dropper", dropper, "a Dropper (from_steps or titrate: a syringe)")
        limit = max_rounding_error_from(max_rounding_error, tolerance, "Schedule.from_drops")
        stock = check_stock(stock)
        plan = drop_plan(stock, dropper, start_drops, step_drops, max_drops, every)
        return cls(plan, stock, dropper, doses_per_day=doses_per_day, start_date=start_date,
                   max_rounding_error=limit, rounding=rounding, kind="drops", name=name)

    def with_stock(self, stock: Stock) -> Schedule:
        """The same ladder measured from another stock."""
        return attrs.evolve(self, stock=stock)

    def with_start_date(self, start_date: DateLike | None) -> Schedule:
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
        """True when every step is measured within its rounding limit, accurately."""
        return all(s.ok for s in self._steps)

    @property
    def flagged(self) -> tuple[Step, ...]:
        """Steps that cannot be measured, or not within their rounding limit or accuracy."""
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
                else f"steps {number_ranges(numbers)}"
            out.append(f"{where}: {w}")
        out += self.stock.warnings
        return tuple(out)

    def step_on(self, day: int) -> Step:
        """The step taken on ``day`` (0-based)."""
        d = whole(day, "day", 0, max(self.total_days - 1, 0))
        for s in self._steps:
            if s.start_day <= d < s.end_day:
                return s
        raise AssertionError("steps tile the schedule")  # pragma: no cover

    def suggest_stock(self, tablet: MassLike = "50 mg", *, max_tablets: CountLike = 4,
                      min_volume: VolumeLike = "5 mL", max_volume: VolumeLike = "200 mL",
                      max_count: CountLike = 50, max_rounding_error: RatioLike | None = None,
                      tolerance: RatioLike = UNSET) -> Stock:
        """A stock that makes every step measurable within its rounding limit.

        See ``ldn_compound.schedule._suggest.suggest_stock`` for the search and the parameters;
        ``max_rounding_error`` defaults to the schedule's (``tolerance`` is its deprecated name).
        """
        if tolerance is not UNSET:
            max_rounding_error = max_rounding_error_from(max_rounding_error, tolerance,
                                                         "Schedule.suggest_stock")
        return suggest_stock(self, tablet, max_tablets=max_tablets, min_volume=min_volume,
                             max_volume=max_volume, max_count=max_count,
                             max_rounding_error=max_rounding_error)

    def supply(self, bud: DurationLike | None = None, preparation: str = "aqueous",
               overage: RatioLike = 0.10, *, stronger_stock: bool = False,
               tablet: MassLike | None = None, directions: str | None = None,
               allow_flagged: bool = False) -> Supply:
        """What to make and dispense: batches within their beyond-use dates.

        Parameters
        ----------
        bud : str, pint.Quantity or int, optional  [time, whole days]
            Beyond-use days; default by ``preparation`` from USP <795> (2023).
        preparation : {"aqueous", "aqueous_preserved", "nonaqueous", "preserved_glycerol"}
            14, 35, 90 days (USP <795>) or 60 (Fawcett et al. 1997); "solid" refused.
        overage : number, default 0.10  [dimensionless]
            Extra volume per batch for spills and priming, from 0 to below 1.
        stronger_stock : bool, default False
            Let a later batch be a whole multiple (up to 4) of the concentration
            when its doses measure at least as accurately, and unflagged
            (``supply._stronger``); its label says so.
        tablet : str or pint.Quantity, optional  [mass]
            Tablet strength when the stock was not made from tablets.
        directions : str, optional
            Words after the dose on labels; default "by mouth at bedtime" (by doses a day).
        allow_flagged : bool, default False
            Make flagged steps' labels too, marked FLAGGED (else refused).

        Returns
        -------
        Supply

        Raises
        ------
        UnmeasurableDoseError
            A step cannot be measured at all.
        InputError
            A flagged step (``override`` ``"allow_flagged"``); a bad ``preparation``.
        """
        return make_supply(self, bud=bud, preparation=preparation, overage=overage,
                           stronger_stock=stronger_stock, tablet=tablet, directions=directions,
                           allow_flagged=allow_flagged)

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
                ("Tolerance", f"+/-{format_number(self.max_rounding_error * 100)} % rounding error "
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
            row = [str(s.number), f"{s.start_day + 1} to {s.end_day}",
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
                      flagged=tuple(n for n, s in enumerate(self._steps) if not s.ok),
                      footer=("Computed, not prescribed: check every dose against the "
                              "prescription.",))

    RECORD = "schedule"
    RENAMED: ClassVar[dict[str, str]] = {"tolerance": "max_rounding_error"}
    DEFAULTS: ClassVar[dict[str, Any]] = {
        "rounding": "nearest", "max_rounding_error": None, "doses_per_day": 1,
        "start_date": None, "kind": "ladder", "name": None, "reduction": None}
    NESTED: ClassVar[tuple[str, ...]] = ("stock", "device")

    def to_dict(self) -> dict[str, Any]:
        """The ``ldn_compound/schedule@1`` record: inputs exact, every step to check."""
        return stamp(self.RECORD, {
            "kind": self.kind,
            "name": self.name,
            "stock": self.stock.to_dict(),
            "device": self.device.to_dict(),
            "rounding": self.rounding,
            "max_rounding_error": exact_text(self.max_rounding_error),
            "doses_per_day": self.doses_per_day,
            "start_date": None if self.start_date is None else self.start_date.isoformat(),
            "plan": [[f"{exact_text(d)} mg", days] for d, days in self.plan],
            "reduction": None if self.reduction is None else exact_text(self.reduction),
            "total_days": self.total_days,
            "ok": self.ok,
            "steps": [s.to_dict() for s in self._steps],
            "warnings": list(self.warnings),
        })

    @classmethod
    def _from_record(cls, data: dict[str, Any]) -> Schedule:
        """Measure the schedule again from the inputs a record stores."""
        return cls([tuple(step) for step in data["plan"]],
                   Stock.from_dict(data["stock"]), device_from_dict(data["device"]),
                   rounding=data["rounding"], max_rounding_error=data["max_rounding_error"],
                   doses_per_day=data["doses_per_day"], start_date=data["start_date"],
                   kind=data["kind"], name=data["name"], reduction=data["reduction"])

    def to_fhir(self, *, allow_flagged: bool = False) -> list[dict[str, Any]]:
        """One FHIR R4 ``Dosage`` dict per step (:func:`ldn_compound.fhir.schedule_dosages`)."""
        return schedule_dosages(self, allow_flagged=allow_flagged)

    CSV_COLUMNS = ("step", "start_day", "days", "start_date", "end_date", "dose_mg",
                   "measure", "count", "volume_mL", "delivered_mg", "rounding_error",
                   "low_mg", "high_mg", "ok", "problem", "fix")

    def to_csv(self) -> str:
        """One row per step: numbers in the cells, units in the column names, dates ISO."""
        return csv_text(self.CSV_COLUMNS, (s.csv_row() for s in self._steps))

    to_frame = frame_method(schedule_frame)

    def plot(self, ax: Any = None) -> Any:
        """Requested and delivered dose, worst-case bounds and flagged steps against day.

        Needs the ``plot`` extra (matplotlib). Returns the matplotlib Axes.
        """
        return plot_schedule(self, ax)
