"""The words on a bottle a pharmacy dispenses (USP <795>; references 'usp-795').

A label names the preparation (drug and salt form, strength, dosage form), the
quantity, that it is compounded and its batch, "Shake well." for a suspension,
the directions, the beyond-use date and the storage. Days are counted as in
every table of the library: day 1 is the first dose.
"""

from __future__ import annotations

import datetime as dt

from ..devices import Dropper
from ..measurement import Measurement
from ..rendering import format_mass, format_volume
from ..stock import Stock
from ._preparation import Preparation, dosage_form, product_name

__all__ = ["default_directions", "label"]


def default_directions(doses_per_day: int) -> str:
    if doses_per_day == 1:
        return "by mouth at bedtime"
    if doses_per_day == 2:
        return "by mouth twice a day"
    return f"by mouth {doses_per_day} times a day"


def _amount(m: Measurement) -> str:
    if isinstance(m.device, Dropper):
        return m.what_to_measure()
    return format_volume(m.exact_volume)


def _take(m: Measurement, directions: str) -> str:
    text = f"{_amount(m)} = {format_mass(m.exact_delivered)}"
    if m.exact_delivered != m.exact_target:
        text += f" (target {format_mass(m.exact_target)})"
    return f"{text} {directions}"


def _span(start: int, days: int, start_date: dt.date | None) -> str:
    """Days of a dose, ``start`` 0-based as the steps store it, written from day 1."""
    if start_date is None:
        return f"Days {start + 1} to {start + days}" if days > 1 else f"Day {start + 1}"
    first = start_date + dt.timedelta(days=start)
    last = first + dt.timedelta(days=days - 1)
    return f"{first.isoformat()} to {last.isoformat()}"


def label(doses: list[tuple[int, int, Measurement]], stock: Stock, number: int | str,
          stronger: bool, prep: Preparation, directions: str, discard_day: int,
          start_date: dt.date | None, flagged: tuple[str, ...] = ()) -> str:
    """One bottle's label.

    Parameters
    ----------
    doses : list of (start_day, days, Measurement)
        ``start_day`` 0-based as steps store it.
    stock : Stock
        The bottle [its volume is the quantity].
    number : int or str
        The batch number (a compounding record's own batch number is text).
    stronger : bool
        Stronger than the first bottle: said first.
    prep : Preparation
        Storage and beyond-use days.
    directions : str
    discard_day : int  [time, days]
        0-based first day it must no longer be used, i.e. the 1-based last day of use.
    start_date : datetime.date, optional
    flagged : tuple of str
        Verdicts of flagged doses, printed first (only with ``allow_flagged``).
    """
    parts = [f"FLAGGED, do not dispense unchecked: {'; '.join(flagged)}."] if flagged else []
    if stronger:
        parts.append("STRONGER than the first bottle: measure as below.")
    parts.append(f"{product_name(stock)}, {format_volume(stock.volume_ml)}. Compounded "
                 f"preparation, batch {number}.")
    if dosage_form(stock) == "oral suspension":
        parts.append("Shake well.")
    if len(doses) == 1:
        parts.append(f"Take {_take(doses[0][2], directions)}.")
    else:
        parts += [f"{_span(s, d, start_date)}: take {_take(m, directions)}." for s, d, m in doses]
    if start_date is None:
        parts.append(f"Beyond-use date: day {discard_day} (day 1 is the first dose); "
                     "discard after it.")
    else:
        last = start_date + dt.timedelta(days=discard_day - 1)
        parts.append(f"Beyond-use date: {last.isoformat()}; discard after it.")
    parts.append(prep.storage)
    return " ".join(parts)
