"""One rung of a schedule: its dose, days, what to measure and its verdict."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

from .._convert import whole_number
from .._exact import exact_text, to_fraction
from .._records import stamp
from ..errors import InputError
from ..measurement import Measurement
from ..rendering import Rendered, Report, format_mass, format_volume
from ..units import MASS, to_quantity
from ._plan import parse_date

if TYPE_CHECKING:
    import pint

    from ..devices import Device
    from ..stock import Stock

__all__ = ["Planned", "Step", "csv_text"]


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
        for a step measured within ``max_rounding_error`` at a volume the
        device measures accurately.
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
        """True when the step is measured within its rounding limit, at an accurate volume."""
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
                ("Days", f"{self.start_day + 1} to {self.end_day} ({self.days} days; "
                         "day 1 is the first dose)"),
                ("Measure", self.what_to_measure()),
                ("Verdict", self.verdict)]
        if self.start_date is not None:
            rows.insert(2, ("Dates", self._dates()))
        return Report(title=f"Step {self.number}: {format_mass(self.exact_dose)}",
                      rows=tuple(rows))

    RECORD = "step"

    def to_dict(self) -> dict[str, Any]:
        """The ``ldn_compound/step@1`` record: exact fields, its measurement's record,
        and display fields checked against it when read."""
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
            "doses_per_day": self.doses_per_day,
            "cut_exact": None if self.exact_cut is None else exact_text(self.exact_cut),
            "measurement": None if m is None else m.to_dict(),
        }
        return stamp(self.RECORD, d)

    @classmethod
    def _from_record(cls, data: dict[str, Any]) -> Step:
        """A step from its stored fields (a schedule's record recomputes the verdict)."""
        m, cut, start = data["measurement"], data["cut_exact"], data["start_date"]
        return cls(number=whole_number("step", 1, 10_000)(data["step"]),
                   exact_dose=to_fraction(data["dose_mg"], "dose_mg"),
                   start_day=whole_number("start_day", 0, 100_000)(data["start_day"]),
                   days=whole_number("days", 1, 100_000)(data["days"]),
                   measurement=None if m is None else Measurement.from_dict(m),
                   problem=_text_or_none("problem", data["problem"]),
                   fix=_text_or_none("fix", data["fix"]),
                   start_date=parse_date(start),
                   doses_per_day=whole_number("doses_per_day", 1, 24)(data["doses_per_day"]),
                   exact_cut=None if cut is None else to_fraction(cut, "cut_exact"))


def _text_or_none(name: str, value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise InputError(name, value, "text or null")
    return value


def csv_text(columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> str:
    """CSV of ``columns`` from each row's ``to_dict()`` (None as an empty cell)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for d in rows:
        w.writerow(["" if d[c] is None else d[c] for c in columns])
    return buf.getvalue()


@runtime_checkable
class Planned(Protocol):
    """What a supply needs of a schedule (a :class:`~ldn_compound.Schedule` is one).

    Supply depends on this, not on the Schedule class, so the two modules do
    not import each other.
    """

    @property
    def steps(self) -> tuple[Step, ...]: ...

    @property
    def stock(self) -> Stock: ...

    @property
    def device(self) -> Device: ...

    @property
    def rounding(self) -> str: ...

    @property
    def max_rounding_error(self) -> Fraction: ...

    @property
    def doses_per_day(self) -> int: ...

    @property
    def start_date(self) -> dt.date | None: ...

    @property
    def total_days(self) -> int: ...

    def to_dict(self) -> dict[str, Any]: ...
