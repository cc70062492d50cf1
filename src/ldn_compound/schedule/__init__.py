"""Titration and taper schedules, and the supply that fills them.

A :class:`Schedule` is a ladder of (dose, days) steps measured from one stock
with one device; every step gets a verdict (see :mod:`._verdict`). Build one
with :func:`titrate`, :func:`taper`, :meth:`Schedule.from_steps` or
:meth:`Schedule.from_drops`; :meth:`Schedule.supply` gives the batches,
tablets and labels (:mod:`ldn_compound.schedule.supply`).

Inside: ``_plan`` reads the inputs once, ``_step`` is one rung, ``_verdict``
judges it, ``_cuts`` words a taper's over-cut, ``_suggest`` searches for one
stock that fits every step, ``_ladders`` builds the arithmetic ladders.
"""

from __future__ import annotations

from ._ladders import taper, titrate
from ._schedule import Schedule
from ._step import Step
from .supply import BUD_DAYS, Batch, Supply, beyond_use_date, beyond_use_days, make_supply

__all__ = [
    "BUD_DAYS",
    "Batch",
    "Schedule",
    "Step",
    "Supply",
    "beyond_use_date",
    "beyond_use_days",
    "make_supply",
    "taper",
    "titrate",
]
