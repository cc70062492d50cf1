"""One bottle of a supply: made from whole tablets, used until its beyond-use day."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from .._convert import whole_number
from .._exact import exact_text
from .._records import stamp
from ..errors import InputError
from ..measurement import Measurement
from ..rendering import Rendered, Report, format_concentration, format_volume
from ..stock import Stock
from ..units import VOLUME, parse, to_quantity
from ._plan import parse_date

if TYPE_CHECKING:
    import pint

__all__ = ["MAX_BATCHES", "Batch"]

#: More batches than this is taken for a slip (a 1-day beyond-use date on a
#: years-long schedule); it also bounds the work of one call.
MAX_BATCHES = 1000


@attrs.frozen(repr=False)
class Batch(Rendered):
    """One bottle: made on ``start_day`` from whole tablets, used for ``days`` days.

    Attributes
    ----------
    number : int
    start_day, days, discard_day : int
        First day of use (0-based), days covered, and the first day it must
        no longer be used (``start_day`` + beyond-use days).
    tablets : int
        Whole tablets it is made from.
    stock : Stock
        The bottle: ``tablets`` made up to its volume.
    exact_volume, exact_volume_needed : Fraction
        Volume made and volume its doses consume plus overage, exact mL.
    doses : tuple of (start_day, days, Measurement)
        What is measured from it, step by step.
    label : str
        Instructions for the bottle.
    stronger : bool
        True when it is stronger than the schedule's stock.
    start_date : datetime.date or None
    """

    number: int
    start_day: int
    days: int
    discard_day: int
    tablets: int
    stock: Stock
    exact_volume: Fraction
    exact_volume_needed: Fraction
    doses: tuple[tuple[int, int, Measurement], ...]
    label: str
    stronger: bool = False
    start_date: dt.date | None = None

    @property
    def volume(self) -> pint.Quantity:
        """Volume made [volume, mL]."""
        return to_quantity(self.exact_volume, VOLUME)

    @property
    def volume_needed(self) -> pint.Quantity:
        """Volume its doses consume, plus overage [volume, mL]."""
        return to_quantity(self.exact_volume_needed, VOLUME)

    @property
    def last_use_date(self) -> dt.date | None:
        """Last date it may be used (the label's "Discard after")."""
        if self.start_date is None:
            return None
        return self.start_date + dt.timedelta(days=self.discard_day - self.start_day - 1)

    @property
    def discard_date(self) -> dt.date | None:
        """Date of ``discard_day``: the first date it must no longer be used."""
        if self.start_date is None:
            return None
        return self.start_date + dt.timedelta(days=self.discard_day - self.start_day)

    def report(self) -> Report:
        """Rows for one bottle and its label."""
        return Report(
            title=f"Batch {self.number}: {self.stock.describe()}",
            rows=(("Days", f"{self.start_day + 1} to {self.start_day + self.days} (day 1 is "
                           "the first dose)"),
                  ("Tablets", str(self.tablets)),
                  ("Volume made", format_volume(self.exact_volume)),
                  ("Volume needed", format_volume(self.exact_volume_needed)),
                  ("Beyond-use day", f"{self.discard_day} (discard after it)"),
                  ("Label", self.label)),
        )

    RECORD = "batch"

    def to_dict(self) -> dict[str, Any]:
        """The ``ldn_compound/batch@1`` record: ``*_exact`` fields, the stock's and each
        dose's record are read back; volumes safely written for display."""
        return stamp(self.RECORD, {
            "batch": self.number,
            "start_day": self.start_day,
            "days": self.days,
            "discard_day": self.discard_day,
            "start_date": None if self.start_date is None else self.start_date.isoformat(),
            "last_use_date": None if self.last_use_date is None
            else self.last_use_date.isoformat(),
            "tablets": self.tablets,
            "stock": self.stock.to_dict(),
            "concentration": format_concentration(self.stock.concentration_mg_per_ml, None),
            "volume": format_volume(self.exact_volume, None),
            "volume_needed": format_volume(self.exact_volume_needed, None),
            "stronger": self.stronger,
            "label": self.label,
            "volume_exact": f"{exact_text(self.exact_volume)} mL",
            "volume_needed_exact": f"{exact_text(self.exact_volume_needed)} mL",
            "doses": [{"start_day": a, "days": d, "measurement": m.to_dict()}
                      for a, d, m in self.doses],
        })

    @classmethod
    def _from_record(cls, data: dict[str, Any]) -> Batch:
        """A batch from its stored fields (a supply's record recomputes the batches)."""
        day = whole_number("start_day", 0, 100_000)
        stronger = data["stronger"]
        if not isinstance(stronger, bool) or not isinstance(data["label"], str):
            raise InputError("stronger", stronger, "true or false, and a label as text")
        return cls(number=whole_number("batch", 1, MAX_BATCHES)(data["batch"]),
                   start_day=day(data["start_day"]), days=day(data["days"]),
                   discard_day=day(data["discard_day"]),
                   tablets=whole_number("tablets", 1, 100_000)(data["tablets"]),
                   stock=Stock.from_dict(data["stock"]),
                   exact_volume=parse(data["volume_exact"], VOLUME, "volume_exact"),
                   exact_volume_needed=parse(data["volume_needed_exact"], VOLUME,
                                             "volume_needed_exact"),
                   doses=tuple((day(x["start_day"]), day(x["days"]),
                                Measurement.from_dict(x["measurement"]))
                               for x in data["doses"]),
                   label=data["label"], stronger=stronger,
                   start_date=parse_date(data["start_date"]))
