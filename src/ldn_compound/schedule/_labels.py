"""The words on a bottle: directions, what to take on which days, discard date, storage."""

from __future__ import annotations

import datetime as dt

from ..devices import Dropper
from ..measurement import Measurement
from ..rendering import format_mass, format_volume
from ..stock import Stock

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
    if start_date is None:
        return f"Days {start + 1} to {start + days}" if days > 1 else f"Day {start + 1}"
    first = start_date + dt.timedelta(days=start)
    last = first + dt.timedelta(days=days - 1)
    return f"{first.isoformat()} to {last.isoformat()}"


def label(doses: list[tuple[int, int, Measurement]], stock: Stock, stronger: bool,
           liquid: bool, directions: str, storage: str, discard_day: int,
           start_date: dt.date | None) -> str:
    parts = []
    if stronger:
        parts.append(f"STRONGER than the first bottle: {stock.describe()}; measure as "
                     "below.")
    if liquid:
        parts.append("Shake well.")
    if len(doses) == 1:
        parts.append(f"Take {_take(doses[0][2], directions)}.")
    else:
        parts += [f"{_span(s, d, start_date)}: take {_take(m, directions)}." for s, d, m in doses]
    if start_date is None:
        parts.append(f"Discard after day {discard_day} of the schedule (day 1 is the first "
                     "dose).")
    else:
        last = start_date + dt.timedelta(days=discard_day - 1)
        parts.append(f"Discard after {last.isoformat()}.")
    parts.append(storage)
    return " ".join(parts)
