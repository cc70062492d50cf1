"""A multi-stock plan: its steps, liquids and batches, shown by the one formatter."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from fractions import Fraction
from typing import Any

import attrs

from .._exact import exact_text, format_number, format_percent
from .._frames import frame_method, taper_frame
from .._records import rebuild, stamp
from ..drugs import NALTREXONE_HCL, Drug
from ..errors import InputError
from ..measurement import Measurement
from ..rendering import (
    Rendered,
    Report,
    csv_number,
    format_mass,
    format_mass_range,
    format_volume,
)
from ..schedule._preparation import Preparation
from ._liquids import Liquid, LiquidBatch

__all__ = ["PlanStep", "TaperPlan"]


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _exact_or_none(x: Fraction | None) -> str | None:
    return None if x is None else exact_text(x)


@attrs.frozen
class PlanStep:
    """One step: the requested dose, what is measured, and how the cut came out.

    ``change`` is the requested and ``delivered_change`` the delivered change
    from the step before, as a fraction of it (negative going down); None on
    the first step and on a stop. ``switch`` says how to make the liquid when
    it changes here; ``problem`` why the step is flagged. A stop (the last step
    of a plan to zero) has no ``measurement``.
    """

    number: int
    start_day: int
    days: int
    exact_requested: Fraction  # mg
    measurement: Measurement | None
    liquid: str | None
    change: Fraction | None
    delivered_change: Fraction | None
    switch: str | None = None
    problem: str | None = None
    judged: bool = True

    @property
    def exact_delivered(self) -> Fraction:
        """The dose measured, exact mg (0 on a stop)."""
        return Fraction(0) if self.measurement is None else self.measurement.exact_delivered

    @property
    def exact_bounds(self) -> tuple[Fraction, Fraction]:
        """Worst-case (low, high) of the dose, exact mg."""
        if self.measurement is None:
            return Fraction(0), Fraction(0)
        return self.measurement.exact_bounds

    def what(self) -> str:
        """What to measure: ``0.9 mL of A`` or ``stop``."""
        m = self.measurement
        if m is None:
            return "stop"
        amount = (format_volume(m.exact_volume) if m.device.unit == "graduation"
                  else f"{m.count} {m.device.units if m.count != 1 else m.device.unit}")
        return f"{amount} of {self.liquid}"

    def to_dict(self) -> dict[str, Any]:
        """Plain data: doses as exact text with units."""
        low, high = self.exact_bounds
        return {
            "step": self.number, "start_day": self.start_day, "days": self.days,
            "requested": f"{exact_text(self.exact_requested)} mg",
            "delivered": f"{exact_text(self.exact_delivered)} mg",
            "low": f"{exact_text(low)} mg", "high": f"{exact_text(high)} mg",
            "liquid": self.liquid, "measure": self.what(),
            "count": None if self.measurement is None else self.measurement.count,
            "device": None if self.measurement is None else self.measurement.device.describe(),
            "change": _exact_or_none(self.change),
            "delivered_change": _exact_or_none(self.delivered_change),
            "switch": self.switch, "problem": self.problem,
        }


    def csv_row(self) -> dict[str, Any]:
        """The step's CSV cells: numbers without units (the column names carry them)."""
        low, high = self.exact_bounds
        numbers = {"requested": ("requested_mg", self.exact_requested),
                   "delivered": ("delivered_mg", self.exact_delivered),
                   "low": ("low_mg", low), "high": ("high_mg", high),
                   "change": ("change", self.change),
                   "delivered_change": ("delivered_change", self.delivered_change)}
        return dict((numbers[k][0], csv_number(numbers[k][1])) if k in numbers else (k, v)
                    for k, v in self.to_dict().items())


@attrs.frozen(repr=False)
class TaperPlan(Rendered):
    """A taper or titration over several liquids: build it with :func:`plan_taper`.

    ``max_cut_error`` is the largest relative distance of a delivered change from
    the requested one (0.1: a 10 % cut may deliver 9 to 11 %); the last step of
    a taper (to the floor or to zero) and the first of a titration (from the
    start dose) are not judged. :attr:`overlaps` names the steps whose worst-case
    range overlaps the step before's. A record, ``ldn_compound/taper_plan@1``:
    ``from_dict`` plans again from ``inputs`` and refuses any disagreement.
    """

    kind: str  # "taper" or "titration"
    method: str
    max_cut_error: Fraction
    steps: tuple[PlanStep, ...]
    liquids: tuple[Liquid, ...]
    batches: tuple[LiquidBatch, ...]
    bud_days: int
    start_date: dt.date | None = None
    drug: Drug | None = None
    preparation: Preparation | None = None
    #: The record's inputs (exact text), from which ``from_dict`` plans again.
    inputs: dict[str, Any] = attrs.field(factory=dict, hash=False)

    def preparations_per_period(self) -> tuple[tuple[int, int], ...]:
        """(first day, 1 for the plan's first, and how many preparations are made that
        day) for each beyond-use period: every liquid of the period is made fresh."""
        made: dict[int, int] = {}
        for b in self.batches:
            made[b.made_day] = made.get(b.made_day, 0) + 1
        return tuple((day + 1, n) for day, n in sorted(made.items()))


    RECORD = "taper_plan"

    @classmethod
    def _from_record(cls, data: dict[str, Any]) -> TaperPlan:
        """Plan again from the inputs a record stores (planning is deterministic)."""
        inputs = data["inputs"]
        if not isinstance(inputs, dict):
            raise InputError("inputs", inputs, "the plan's inputs, as to_dict() writes them")
        plan: TaperPlan = rebuild(cls.RECORD, inputs)
        return plan

    @property
    def overlaps(self) -> tuple[int, ...]:
        """Numbers of the steps whose worst-case range overlaps the step before's: in
        the worst case their doses cannot be told apart (the cut tolerance is on the
        nominal doses)."""
        out = []
        for a, b in itertools.pairwise(self.steps):
            if a.measurement is None or b.measurement is None:
                continue
            (lo_a, hi_a), (lo_b, hi_b) = a.exact_bounds, b.exact_bounds
            if max(lo_a, lo_b) <= min(hi_a, hi_b):
                out.append(b.number)
        return tuple(out)

    def _overlap_text(self) -> str:
        changes = sum(1 for a, b in itertools.pairwise(self.steps)
                      if a.measurement is not None and b.measurement is not None)
        n = len(self.overlaps)
        return (f"the worst-case ranges of {n:,} of {changes:,} consecutive steps overlap "
                f"the step before's ({changes - n:,} distinguishable in the worst case): the "
                "cut tolerance holds for the nominal doses")

    @property
    def total_days(self) -> int:
        """Days from the first step to the end of the last."""
        return sum(s.days for s in self.steps)

    @property
    def flagged(self) -> tuple[PlanStep, ...]:
        """Steps whose change could not be kept within ``max_cut_error``."""
        return tuple(s for s in self.steps if s.problem is not None)

    @property
    def tablets(self) -> Fraction:
        """Tablets used over the whole plan."""
        by_name = {liq.name: liq.stock.tablets or 0 for liq in self.liquids}
        return sum((Fraction(by_name[b.liquid]) for b in self.batches), Fraction(0))

    def date_of(self, day: int) -> dt.date | None:
        """The calendar date of plan day ``day`` (None without a start date)."""
        return None if self.start_date is None else self.start_date + dt.timedelta(days=day)

    @property
    def warnings(self) -> tuple[str, ...]:
        """Flagged steps, then the liquids' own cautions."""
        out = [f"step {s.number}: {s.problem}" for s in self.flagged]
        for liq in self.liquids:
            out += [f"liquid {liq.name}: {w}" for w in liq.stock.warnings]
        return tuple(dict.fromkeys(out))

    def report(self) -> Report:
        """Rows, one table line a step, warnings, then how to make each liquid."""
        first, last = self.steps[0], self.steps[-1]
        stop = last.measurement is None
        end = self.steps[-2] if stop and len(self.steps) > 1 else last
        title = (f"{self.kind.capitalize()} plan: {format_mass(first.exact_requested)} to "
                 f"{format_mass(end.exact_requested)}{', then stop' if stop else ''}, "
                 f"{len(self.steps)} steps, "
                 f"{len(self.liquids)} liquid{'s' if len(self.liquids) != 1 else ''}")
        tol = format_number(self.max_cut_error * 100, 3)
        drug = NALTREXONE_HCL if self.drug is None else self.drug
        rows = [("Drug", drug.describe()), ("Method", self.method),
                ("Cut error", f"each change within {tol} % of the requested change "
                              "(relative)"),
                ("Worst case", self._overlap_text()),
                ("Days", f"{self.total_days:,}"),
                ("Batches", f"{len(self.batches)} (fresh every {self.bud_days} days)")]
        if self.preparation is not None:
            rows.append(("Preparation", self.preparation.describe()))
        runs: list[list[int]] = []  # [count, first day, last day, periods]
        for day, n in self.preparations_per_period():
            if runs and runs[-1][0] == n:
                runs[-1][2:] = [day, runs[-1][3] + 1]
            else:
                runs.append([n, day, day, 1])
        if runs:
            rows.append(("Preparations", "; ".join(
                f"{n} made on day {a}" if k == 1 else
                f"{n} made every {self.bud_days} days, days {a} to {b} ({k} periods)"
                for n, a, b, k in runs) + " (day 1 is the first dose)"))
        if self.start_date is not None:
            rows.append(("Start date", self.start_date.isoformat()))
        table = []
        for s in self.steps:
            low, high = s.exact_bounds
            change = "" if s.delivered_change is None else (
                f"{format_percent(s.change)} -> {format_percent(s.delivered_change)}"
                if s.change is not None else "")
            note = "FLAGGED" if s.problem else (f"switch to {s.liquid}" if s.switch else "")
            table.append((str(s.number), str(s.start_day + 1), format_mass(s.exact_requested),
                          s.what(), format_mass(s.exact_delivered),
                          "" if s.measurement is None else format_mass_range(low, high),
                          change, note))
        return Report(
            title=title, rows=tuple(rows),
            table_header=("step", "day", "requested", "measure", "dose", "worst case",
                          "change asked -> given", "note"),
            table=tuple(table), warnings=self.warnings,
            footer=tuple(f"Make {liq.instruction()}" for liq in self.liquids),
            flagged=tuple(n for n, s in enumerate(self.steps) if s.problem),
        )

    def to_dict(self) -> dict[str, Any]:
        """The ``ldn_compound/taper_plan@1`` record: the inputs exact, the steps, liquids
        and batches (recomputed and checked when read)."""
        return stamp(self.RECORD, {
            "inputs": self.inputs,
            "kind": self.kind, "method": self.method,
            "max_cut_error": exact_text(self.max_cut_error), "bud_days": self.bud_days,
            "preparation": None if self.preparation is None else self.preparation.name,
            "storage": None if self.preparation is None else self.preparation.storage,
            "start_date": None if self.start_date is None else self.start_date.isoformat(),
            "steps": [s.to_dict() for s in self.steps],
            "liquids": [liq.to_dict() for liq in self.liquids],
            "batches": [{**b.to_dict(), "made_date": _iso(self.date_of(b.made_day)),
                         "last_use_date": _iso(self.date_of(b.last_day))}
                        for b in self.batches],
            "warnings": list(self.warnings),
            "drug": None if self.drug is None else self.drug.to_dict(),
            "worst_case_overlaps": list(self.overlaps),
            "worst_case": self._overlap_text(),
        })

    def to_csv(self) -> str:
        """One row a step: the columns of ``PlanStep.to_dict``, numbers in the cells
        and units in the column names (``requested_mg``)."""
        rows = [s.csv_row() for s in self.steps]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()

    to_frame = frame_method(taper_frame)

    def plot(self, ax: Any = None, *, log: bool = False) -> Any:
        """The requested curve beside the delivered doses and their bounds
        (matplotlib, the ``plot`` extra); stock switches marked. Returns the axes."""
        from ._plot import plot_plan

        return plot_plan(self, ax, log=log)
