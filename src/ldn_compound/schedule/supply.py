"""Supply for a schedule: batches within their beyond-use dates, tablets, labels.

A batch is one bottle, made from whole tablets on its first day of use. It
covers as many days as its beyond-use date (BUD) allows, holds the doses of
those days plus an overage, and is discarded on ``discard_day``, the first day
it must no longer be used (``start_day + BUD days``, 0-based as steps store
days): the day it is made counts as its first day of use, so a 14-day BUD
covers days 1 to 14 as tables and labels write them (day 1 is the first dose).
That is one day more conservative than reading the BUD as 14 whole days after
compounding.

The preparation, its BUD, storage, vehicle and the overage follow the one
supply rule of :mod:`ldn_compound.schedule._preparation`, which multi-stock
plans follow too. Default BUDs are those of USP <795> (revision official 1 Nov
2023) for preparations without a stability study; ``"preserved_glycerol"`` is
the preserved vehicle of Fawcett et al. 1997 (60 days refrigerated). A BUD
never runs past the earliest expiry of an ingredient: check the tablets'
expiry yourself. A flagged step never becomes a label unless
``allow_flagged=True``, which marks it on the label.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from .._exact import ceil_div, exact_text, format_number
from .._records import record_class, stamp
from .._rules import suggested_count
from .._tables import BUD, SOLUBILITY_MG_PER_ML
from .._verdict import flagged_note
from ..errors import ErrorKind, InputError, UnmeasurableDoseError
from ..fhir import supply_dosages
from ..measurement import Measurement, measure_exact
from ..rendering import Rendered, Report, format_mass, format_mass_exact, format_volume
from ..stock import Stock
from ..types import DateLike, DurationLike, MassLike, RatioLike
from ..units import MASS, VOLUME, Exact, parse, to_quantity
from ._batch import MAX_BATCHES, Batch
from ._labels import default_directions, label
from ._plan import parse_date, to_directions
from ._preparation import (
    DEFAULT_OVERAGE,
    Preparation,
    check_overage,
    preparation,
    product_name,
    with_overage,
)
from ._step import Planned, csv_text

if TYPE_CHECKING:
    import pint

__all__ = ["BUD_DAYS", "Batch", "Supply", "beyond_use_date", "beyond_use_days",
           "make_supply"]


#: USP <795> (2023) default beyond-use days by preparation.
BUD_DAYS: dict[str, int] = {k: v[0] for k, v in BUD.items()}
#: A stronger stock for a later batch is a whole multiple of the first one's
#: concentration (more whole tablets in the same volume), at most this many times.
MAX_STRONGER = 4


def beyond_use_days(preparation: str = "aqueous", bud: DurationLike | None = None) -> int:
    """Beyond-use days: ``bud`` if given, else the preparation's own.

    Parameters
    ----------
    preparation : {"aqueous", "aqueous_preserved", "nonaqueous", "solid", "preserved_glycerol"}
        USP <795> category: 14, 35, 90 and 180 days; or the preserved glycerol
        vehicle of Fawcett et al. 1997: 60 days refrigerated.
    bud : str, pint.Quantity or int, optional  [time, whole days]
        An override backed by a stability study, e.g. ``"60 days"``, or an
        int of days.
    """
    return _rule(preparation, bud, liquid=False).bud_days


def beyond_use_date(made: DateLike, preparation: str = "aqueous",
                    bud: DurationLike | None = None) -> dt.date:
    """Last date a preparation made on ``made`` may be used.

    The day it is made is its first day of use, so a 14-day BUD made on
    2026-11-22 gives 2026-12-05 (and it is discarded on 2026-12-06).

    >>> beyond_use_date("2026-11-22")
    datetime.date(2026, 12, 5)
    """
    day = parse_date(made, "made")
    assert day is not None or made is None
    if day is None:
        raise InputError("made", made, "a date, or ISO text such as '2026-11-22'")
    return day + dt.timedelta(days=beyond_use_days(preparation, bud) - 1)


def _directions(value: Any) -> str:
    return value if value == "" else to_directions(value, "")  # "": the class's unset default


@attrs.frozen(repr=False)
class Supply(Rendered):
    """What a schedule needs made and dispensed. Build it with :meth:`Schedule.supply`."""

    schedule: Planned
    batches: tuple[Batch, ...]
    bud_days: int
    preparation: str
    overage: Fraction
    tablet_strength_mg: Fraction
    exact_volume_needed: Fraction
    stronger_stock: bool = False
    directions: str = attrs.field(default="", converter=_directions)
    allow_flagged: bool = False

    @property
    def prep(self) -> Preparation:
        """The supply rule this supply follows: vehicle, beyond-use days, storage."""
        own = _rule(self.preparation, None)
        return own if own.bud_days == self.bud_days else _rule(self.preparation, self.bud_days)

    @property
    def exact_volume_made(self) -> Fraction:
        """Volume all batches make, exact mL."""
        return sum((b.exact_volume for b in self.batches), Fraction(0))

    @property
    def volume_needed(self) -> pint.Quantity:
        """What the doses consume plus overage [volume, mL]."""
        return to_quantity(self.exact_volume_needed, VOLUME)

    @property
    def volume_made(self) -> pint.Quantity:
        """What the batches make [volume, mL]."""
        return to_quantity(self.exact_volume_made, VOLUME)

    @property
    def tablets(self) -> int:
        """Whole tablets to dispense for every batch."""
        return sum(b.tablets for b in self.batches)

    @property
    def labels(self) -> tuple[str, ...]:
        """Each batch's label, in order."""
        return tuple(b.label for b in self.batches)

    def report(self) -> Report:
        """Totals, a batch table and the labels."""
        n = len(self.batches)
        title = (f"Supply: {n} batch{'es' if n != 1 else ''}, {self.tablets} x "
                 f"{format_mass(self.tablet_strength_mg)} tablets, "
                 f"{format_volume(self.exact_volume_made)} made")
        dated = self.schedule.start_date is not None
        header: tuple[str, ...] = ("Batch", "Days", "Make", "Needed", "Tablets",
                                   "Beyond-use day")
        if dated:
            header = (*header, "Discard after")
        table = []
        for b in self.batches:
            row = [str(b.number), f"{b.start_day + 1} to {b.start_day + b.days}",
                   b.stock.describe() + (" (stronger)" if b.stronger else ""),
                   format_volume(b.exact_volume_needed), str(b.tablets), str(b.discard_day)]
            if dated and b.last_use_date is not None:
                row.append(b.last_use_date.isoformat())
            table.append(tuple(row))
        return Report(
            title=title,
            rows=(("Preparation", self.prep.describe()),
                  ("Product", product_name(self.batches[0].stock)),
                  ("Preparations", f"{n}, one every {self.bud_days} days (day 1 is the "
                                   "first dose)"),
                  ("Overage", f"{format_number(self.overage * 100)} %"),
                  ("Volume needed", format_volume(self.exact_volume_needed)),
                  ("Volume made", format_volume(self.exact_volume_made)),
                  ("Tablets", f"{self.tablets} x {format_mass(self.tablet_strength_mg)}")),
            table_header=header,
            table=tuple(table),
            warnings=tuple(dict.fromkeys(
                c for b in self.batches
                if (c := self.prep.caution(b.stock.concentration_mg_per_ml)) is not None)),
            footer=tuple(f"Label {b.number}: {b.label}" for b in self.batches),
        )

    RECORD = "supply"

    def to_dict(self) -> dict[str, Any]:
        """The ``ldn_compound/supply@1`` record: the schedule's record and the parameters
        (read back), totals and every batch (checked)."""
        return stamp(self.RECORD, {
            "schedule": self.schedule.to_dict(),
            "stronger_stock": self.stronger_stock,
            "directions": self.directions,
            "allow_flagged": self.allow_flagged,
            "preparation": self.preparation,
            "bud_days": self.bud_days,
            "overage": exact_text(self.overage),
            "tablet_strength": format_mass(self.tablet_strength_mg, None),
            "volume_needed": format_volume(self.exact_volume_needed, None),
            "volume_made": format_volume(self.exact_volume_made, None),
            "tablets": self.tablets,
            "tablet_strength_exact": f"{exact_text(self.tablet_strength_mg)} mg",
            "batches": [b.to_dict() for b in self.batches],
        })

    @classmethod
    def _from_record(cls, data: dict[str, Any]) -> Supply:
        """Make the supply again from the schedule and parameters a record stores."""
        schedule = record_class("schedule").from_dict(data["schedule"])
        if not isinstance(schedule, Planned):  # pragma: no cover - a Schedule is Planned
            raise InputError("schedule", data["schedule"], "a schedule record")
        return make_supply(schedule, bud=data["bud_days"], preparation=data["preparation"],
                           overage=data["overage"], stronger_stock=data["stronger_stock"],
                           tablet=data["tablet_strength_exact"], directions=data["directions"],
                           allow_flagged=data["allow_flagged"])

    def to_fhir(self, *, allow_flagged: bool = False) -> list[dict[str, Any]]:
        """Each bottle's doses as FHIR R4 ``Dosage`` dicts (see :mod:`ldn_compound.fhir`);
        a flagged dose is refused unless ``allow_flagged``."""
        return supply_dosages(self, allow_flagged=allow_flagged)

    CSV_COLUMNS = ("batch", "start_day", "days", "discard_day", "start_date", "last_use_date",
                   "tablets", "concentration", "volume", "volume_needed", "stronger", "label")

    def to_csv(self) -> str:
        """One row per batch."""
        return csv_text(self.CSV_COLUMNS, (b.to_dict() for b in self.batches))


def _reference(strength: Fraction, conc: Fraction, content_tolerance: Fraction) -> Stock:
    """One tablet made up to give ``conc``: only its concentration matters."""
    return Stock.from_tablets(Exact(strength, MASS), Exact(strength / conc, VOLUME), 1,
                              content_tolerance=content_tolerance, volume_tolerance=0)


def _stronger(segments: list[tuple[int, int, Fraction]], strength: Fraction, base: Fraction,
              schedule: Planned) -> tuple[int, list[tuple[int, int, Measurement]]] | None:
    """The largest whole multiple (2 to MAX_STRONGER) of ``base`` that measures every dose
    of the batch at least as accurately as ``base`` does, with what it measures; or None.

    At least as accurately: a rounding error no larger, at least
    :func:`~ldn_compound._rules.suggested_count` drops or graduations, and no
    ``accuracy_problem`` (a syringe volume too small to trust).
    """
    at_base = {s.exact_dose: s.measurement for s in schedule.steps}
    device = schedule.device
    least = suggested_count(device)
    for factor in range(MAX_STRONGER, 1, -1):
        conc = base * factor
        if conc > SOLUBILITY_MG_PER_ML:
            continue
        ref = _reference(strength, conc, schedule.stock.content_tolerance)
        out = []
        for start, days, dose in segments:
            was = at_base[dose]
            assert was is not None  # make_supply refuses unmeasurable steps first
            try:
                m = measure_exact(dose, ref, device, schedule.rounding,
                                  max_rounding_error=was.max_rounding_error)
            except UnmeasurableDoseError:
                break
            if (abs(m.exact_rounding_error) > abs(was.exact_rounding_error) or not m.ok
                    or m.count < least or m.accuracy_problem is not None):
                break
            out.append((start, days, m))
        else:
            return factor, out
    return None


def _whole_tablets(needed_ml: Fraction, strength: Fraction, conc: Fraction,
                   stock_tablets: Fraction) -> int:
    """Fewest whole tablets that hold ``needed_ml`` at ``conc`` in a bottle one can make up:
    a whole number of mL, or a whole multiple of the stock recipe (``stock_tablets`` in the
    schedule stock's volume). 3 tablets in 10 mL go by 3 (10, 20 mL), never 1 in 3.333 mL.
    """
    per_tablet = strength / conc  # mL per tablet
    least = max(1, ceil_div(needed_ml / per_tablet))
    return min(ceil_div(Fraction(least, step)) * step
               for step in (per_tablet.denominator, stock_tablets.numerator))


def make_supply(schedule: Planned, bud: DurationLike | None = None,
                preparation: str = "aqueous", overage: RatioLike = DEFAULT_OVERAGE, *,
                stronger_stock: bool = False, tablet: MassLike | None = None,
                directions: str | None = None, allow_flagged: bool = False) -> Supply:
    """Batches, volumes, tablets and labels for ``schedule``.

    ``schedule`` is a Schedule (every step measurable, and none flagged unless
    ``allow_flagged``); :meth:`ldn_compound.Schedule.supply` documents the
    other parameters.
    """
    if not isinstance(schedule, Planned):
        raise InputError("schedule", schedule, "a Schedule")
    rule = _rule(preparation, bud)
    prep, days_bud = rule.name, rule.bud_days
    extra = check_overage(overage)
    if not isinstance(stronger_stock, bool):
        raise InputError("stronger_stock", stronger_stock, "True or False")
    stock = schedule.stock
    limit = schedule.max_rounding_error
    if tablet is not None:
        strength = parse(tablet, MASS, "tablet")
    elif stock.tablets is not None:
        strength = stock.drug_mg / stock.tablets
    else:
        raise InputError("tablet", None, "the strength of the tablets the stock is made from, "
                                         "e.g. '50 mg' (the stock was given as a drug amount)")
    for s in schedule.steps:
        if s.measurement is None:
            raise UnmeasurableDoseError(format_mass_exact(s.exact_dose),
                                        f"step {s.number}: {s.problem}", s.fix or "")
    n_batches = ceil_div(Fraction(schedule.total_days, days_bud))
    if n_batches > MAX_BATCHES:
        raise InputError("bud", bud, f"a beyond-use date of at least "
                                     f"{ceil_div(Fraction(schedule.total_days, MAX_BATCHES)):,} "
                                     f"days: {days_bud:,} days would need {n_batches:,} batches "
                                     f"over {schedule.total_days:,} days (at most "
                                     f"{MAX_BATCHES:,})", kind=ErrorKind.OUT_OF_RANGE)
    words = to_directions(directions, default_directions(schedule.doses_per_day))
    base = stock.concentration_mg_per_ml
    total = schedule.total_days
    batches: list[Batch] = []
    needed_total = Fraction(0)
    start = 0
    while start < total:
        days = min(days_bud, total - start)
        segments = [(max(s.start_day, start), min(s.end_day, start + days) -
                     max(s.start_day, start), s.exact_dose)
                    for s in schedule.steps if s.start_day < start + days and s.end_day > start]
        factor = 1
        found = _stronger(segments, strength, base, schedule) \
            if stronger_stock and batches else None
        if found is not None:
            factor, measured = found
        else:
            measured = [(a, d, measure_exact(dose, stock, schedule.device, schedule.rounding,
                                             max_rounding_error=limit))
                        for a, d, dose in segments]
        conc = base * factor
        used = sum((d * m.exact_volume * schedule.doses_per_day for _, d, m in measured),
                   Fraction(0))
        needed = with_overage(used, extra)
        needed_total += needed
        count = _whole_tablets(needed, strength, conc, stock.drug_mg * factor / strength)
        volume = count * strength / conc
        bottle = stock.remade(strength, count, volume)
        final = [(a, d, measure_exact(m.exact_target, bottle, schedule.device,
                                      schedule.rounding, max_rounding_error=limit))
                 for a, d, m in measured]
        flags = _flags(schedule, final, factor != 1, len(batches) + 1, allow_flagged)
        discard = start + days_bud
        batches.append(Batch(
            number=len(batches) + 1, start_day=start, days=days, discard_day=discard,
            tablets=int(count), stock=bottle, exact_volume=volume, exact_volume_needed=needed,
            doses=tuple(final),
            label=label(final, bottle, len(batches) + 1, factor != 1, rule, words, discard,
                        schedule.start_date, flags),
            stronger=factor != 1,
            start_date=None if schedule.start_date is None
            else schedule.start_date + dt.timedelta(days=start),
        ))
        start += days
    return Supply(schedule=schedule, batches=tuple(batches), bud_days=days_bud,
                  preparation=prep, overage=extra, tablet_strength_mg=strength,
                  exact_volume_needed=needed_total, stronger_stock=stronger_stock,
                  directions=words, allow_flagged=allow_flagged)


def _flags(schedule: Planned, doses: list[tuple[int, int, Measurement]], stronger: bool,
           number: int, allow_flagged: bool) -> tuple[str, ...]:
    """The verdicts of the flagged doses of bottle ``number``: refused unless
    ``allow_flagged`` (then printed on its label). A dose measured from the schedule's
    stock carries its step's verdict (a taper's over-cut too); one from a stronger
    bottle its own measurement's."""
    out: dict[str, None] = {}
    for first, _, m in doses:
        step = next(s for s in schedule.steps if s.start_day <= first < s.end_day)
        problem, fix = (m.problem, m.fix) if stronger else (step.problem, step.fix)
        if flagged_note(allow_flagged, "schedule", f"step {step.number} "
                        f"({format_mass(step.exact_dose)}) on label {number}", problem,
                        fix) is not None:
            out[f"step {step.number}: {problem}"] = None
    return tuple(out)


def _rule(name: Any, bud: Any, *, liquid: bool = True) -> Preparation:
    return preparation(name, bud, liquid=liquid)
