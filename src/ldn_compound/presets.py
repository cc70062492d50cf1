"""Published titration ladders, as examples.

These reproduce ladders that clinics and patient organisations have
published, so a pharmacist can check the arithmetic of a familiar
prescription. They are examples, not recommendations: the library computes,
it does not prescribe, and a prescription always decides the dose.

Each preset measures from one 50 mg tablet made up to 10 mL (5 mg/mL) with a
USP <1101> dropper (20 drops/mL, so 0.25 mg per drop) unless another stock or
device is given; every dose of these ladders is a whole number of such drops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from .devices import Device, Dropper
from .errors import InputError
from .schedule import Schedule, titrate
from .stock import Stock

__all__ = ["PRESETS", "Preset", "preset"]


def _default_stock() -> Stock:
    return Stock.from_tablets("50 mg", "10 mL")


def standard_two_weekly(stock: Stock, device: Device, **kw: Any) -> Schedule:
    """1.5 mg for 2 weeks, then +0.5 mg every 2 weeks, up to 4.5 mg (7 steps, 14 weeks).

    Source: the ladder "1.5 mg for 2 weeks, then +0.5 mg every 2 weeks, up to
    4.5 mg" (references: 'published-ladders'); the original publication is
    not confirmed there.
    """
    return titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks", stock, device,
                   name="standard-2-weekly", **kw)


def half_mg_weekly(stock: Stock, device: Device, **kw: Any) -> Schedule:
    """0.5 mg, then +0.5 mg every 7 days, to 4.5 mg (9 steps, 9 weeks).

    Source: LDN Research Trust, "How to Titrate Low Dose Naltrexone (LDN)",
    https://ldnresearchtrust.org/how-titrating-low-dose-naltrexone-ldn
    ("initiation at a half milligram and titrating up every seven days by a
    half milligram"). That source names no end point; 4.5 mg, the top of the
    conventional 0.5-4.5 mg LDN range (Toljan & Vrooman, Med Sci 2018;6:82),
    is this example's (references: 'ldn-research-trust-titration').
    """
    return titrate("0.5 mg", "0.5 mg", "4.5 mg", "7 days", stock, device,
                   name="half-mg-weekly", **kw)


def four_weekly(stock: Stock, device: Device, **kw: Any) -> Schedule:
    """1.5 mg for 4 weeks, 3 mg for 4 weeks, then 4.5 mg (shown for 4 weeks).

    Source: LDN Norge, "Dosering" (start-up regime suggested for MS),
    https://sites.google.com/view/ldnno/dosering (references: 'ldn-norge-dosering').
    The last step continues in practice; it is shown for one 4-week interval.
    """
    return Schedule.from_steps([("1.5 mg", "4 weeks"), ("3 mg", "4 weeks"),
                                ("4.5 mg", "4 weeks")], stock, device,
                               name="four-weekly", **kw)


def drops_18(stock: Stock, device: Device, **kw: Any) -> Schedule:
    """One more drop each week, 1 to 18 drops (0.25 mg to 4.5 mg over 18 weeks).

    Source: the drop ladder "one 50 mg tablet in 10 mL = 0.25 mg per drop at
    20 drops/mL; 1 drop the first week, one more drop each week, up to 18
    drops = 4.5 mg" (references: 'published-ladders'); the original
    publication is not confirmed there. Needs a Dropper.
    """
    if not isinstance(device, Dropper):
        raise InputError("device", device, "a Dropper: the drop ladder counts drops")
    return Schedule.from_drops(stock, device, 1, 1, 18, "7 days", name="drops-18", **kw)


def sensitive_monthly(stock: Stock, device: Device, **kw: Any) -> Schedule:
    """0.25 mg, then +0.25 mg every 4 weeks, to 1.5 mg (6 steps, 24 weeks).

    Source: "sensitive patients: start at 0.1-0.25 mg or at microgram doses,
    steps every 2-4 weeks" (references: 'published-ladders'; original
    publication not confirmed there). The end point 1.5 mg, the first dose of
    the standard ladder, is this example's.
    """
    return titrate("0.25 mg", "0.25 mg", "1.5 mg", "4 weeks", stock, device,
                   name="sensitive-monthly", **kw)


@attrs.frozen
class Preset:
    """A named published ladder: ``build(stock, device, **options)`` gives the Schedule."""

    name: str
    summary: str
    builder: Callable[..., Schedule]

    @property
    def citation(self) -> str:
        """The source, from the builder's docstring."""
        doc = self.builder.__doc__ or ""
        return " ".join(doc.split("Source:", 1)[-1].split()) if "Source:" in doc else ""

    def build(self, stock: Stock | None = None, device: Device | None = None,
              **options: Any) -> Schedule:
        """The schedule, with the default 50 mg in 10 mL and USP dropper unless given.

        ``options`` go to the builder: ``start_date``, ``doses_per_day``,
        ``max_rounding_error``, ``rounding``.
        """
        return self.builder(_default_stock() if stock is None else stock,
                            Dropper() if device is None else device, **options)


#: name -> Preset
PRESETS: dict[str, Preset] = {
    p.name: p for p in (
        Preset("standard-2-weekly", "1.5 mg, +0.5 mg every 2 weeks to 4.5 mg",
               standard_two_weekly),
        Preset("half-mg-weekly", "0.5 mg, +0.5 mg every 7 days to 4.5 mg", half_mg_weekly),
        Preset("four-weekly", "1.5 mg, 3 mg, 4.5 mg, 4 weeks each", four_weekly),
        Preset("drops-18", "1 drop, +1 drop each week to 18 drops (0.25 mg per drop)",
               drops_18),
        Preset("sensitive-monthly", "0.25 mg, +0.25 mg every 4 weeks to 1.5 mg",
               sensitive_monthly),
    )
}


def preset(name: str, stock: Stock | None = None, device: Device | None = None,
           **options: Any) -> Schedule:
    """Build the published ladder ``name`` (see :data:`PRESETS`).

    >>> preset("drops-18").total_days
    126
    """
    if not isinstance(name, str) or name not in PRESETS:
        raise InputError("preset", name, "one of " + ", ".join(sorted(PRESETS)))
    return PRESETS[name].build(stock, device, **options)
