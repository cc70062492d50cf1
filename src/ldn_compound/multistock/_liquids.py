"""The liquids of a plan and the batches that keep every day supplied.

Batches are made on a common rhythm: every beyond-use period (USP <795>: 14
days for an unpreserved aqueous liquid) from the plan's first day, every liquid
used in that period, and every stronger liquid a weaker one is diluted from,
is made fresh the same day, the strongest first. So a dilution's source is
always fresh and no batch outlives its ingredients. Each liquid is made to one
volume, enough for its busiest period:

- from tablets: whole tablets, each made up to the recipe's volume;
- by dilution 1 in k: a whole multiple of the least common multiple of
  :data:`DILUTION_VOLUME_ML` and k mL (so the aliquot ``V / k`` is a whole
  number of mL: 10 mL for 1 in 2, 5 or 10, 20 mL for 1 in 4), the aliquot
  measured and the whole made up in a class B cylinder (ASTM E694, as for
  every stock's make-up).

A dilution's worst case carries its source's: the three links (source
content and volume, aliquot, make-up) multiply as ``_rules.bounds_factors``.
"""

from __future__ import annotations

import math
import string
from fractions import Fraction
from typing import Any

import attrs

from .. import _rules
from .._exact import ceil_div, exact_text
from .._tables import CYLINDER_TOLERANCE_ML
from ..drugs import Drug
from ..rendering import format_concentration, format_volume
from ..schedule._preparation import with_overage
from ..stock import Stock
from ..units import MASS, VOLUME, Exact
from ._planner import Draft

__all__ = ["DILUTION_VOLUME_ML", "Liquid", "LiquidBatch", "dilution_volume", "make_liquids"]

#: A diluted liquid is made up to a whole multiple of this volume, mL (the
#: smallest ASTM E694 cylinder in ``_tables``).
DILUTION_VOLUME_ML = min(CYLINDER_TOLERANCE_ML["B"])


@attrs.frozen
class Liquid:
    """One liquid of a plan and how a batch of it is made.

    ``stock`` is one batch (its volume and worst-case tolerances); ``source``
    and ``factor`` name a dilution (``factor`` mL made from 1 mL of the
    source), ``tablets`` a batch made from tablets.
    """

    name: str
    stock: Stock
    source: str | None = None
    factor: int | None = None
    vehicle: str | None = None

    @property
    def concentration_mg_per_ml(self) -> Fraction:
        """Exact mg/mL."""
        return self.stock.concentration_mg_per_ml

    def instruction(self) -> str:
        """How to make one batch, in the pharmacist's words."""
        s = self.stock
        conc = format_concentration(s.concentration_mg_per_ml)
        with_vehicle = "" if self.vehicle is None else f" with {self.vehicle}"
        if self.source is not None and self.factor is not None:
            aliquot = s.volume_ml / self.factor
            return (f"liquid {self.name} ({conc}): dilute liquid {self.source} 1 in "
                    f"{self.factor}: {format_volume(aliquot)} of {self.source} made up to "
                    f"{format_volume(s.volume_ml)}{with_vehicle}")
        return f"liquid {self.name} ({conc}): {s.describe()}{with_vehicle}"

    def to_dict(self) -> dict[str, Any]:
        """Plain data; the stock as :meth:`Stock.to_dict`."""
        return {"name": self.name, "stock": self.stock.to_dict(), "source": self.source,
                "factor": self.factor, "vehicle": self.vehicle,
                "instruction": self.instruction()}


@attrs.frozen
class LiquidBatch:
    """One batch of one liquid, made on ``made_day`` and used up to ``last_day``."""

    liquid: str
    made_day: int
    last_day: int
    exact_volume: Fraction  # mL made
    exact_used: Fraction  # mL the period's doses take
    exact_given: Fraction  # mL taken the same day to dilute weaker liquids

    def to_dict(self) -> dict[str, Any]:
        """Plain data, volumes exact."""
        return {"liquid": self.liquid, "made_day": self.made_day, "last_day": self.last_day,
                "volume": f"{exact_text(self.exact_volume)} mL",
                "used": f"{exact_text(self.exact_used)} mL",
                "given": f"{exact_text(self.exact_given)} mL"}


def dilution_volume(need: Fraction, factor: int) -> Fraction:
    """The volume a dilution 1 in ``factor`` is made to for ``need`` mL: a whole multiple
    of ``lcm(DILUTION_VOLUME_ML, factor)`` mL, so the aliquot is whole mL."""
    unit = Fraction(math.lcm(int(DILUTION_VOLUME_ML), factor))
    return unit * max(1, ceil_div(need / unit))


def _name(i: int) -> str:
    return string.ascii_uppercase[i]


def _batch_stock(draft: Draft, need: Fraction, first: Stock, source: Stock | None,
                 drug: Drug | None) -> Stock:
    """One batch of a liquid, big enough for ``need`` mL."""
    if draft.parent is None and draft.tablet_mg is None:  # the user's own stock
        m = max(1, ceil_div(need / first.volume_ml))
        n = None if first.tablets is None else first.tablets * m
        # tablets x strength = drug, checked by Stock: the strength is exact
        strength = None if n is None else Exact(first.drug_mg * m / n, MASS)
        return Stock(drug=Exact(first.drug_mg * m, MASS),
                     volume=Exact(first.volume_ml * m, VOLUME),
                     content_tolerance=first.content_tolerance,
                     volume_tolerance=first.volume_tolerance, tablets=n,
                     tablet_strength=strength, form=first.form, profile=drug)
    if draft.tablet_mg is not None and draft.tablet_ml is not None:
        whole = max(1, ceil_div(need / draft.tablet_ml))
        return Stock(drug=Exact(whole * draft.tablet_mg, MASS),
                     volume=Exact(whole * draft.tablet_ml, VOLUME),
                     content_tolerance=first.content_tolerance, tablets=whole,
                     tablet_strength=Exact(draft.tablet_mg, MASS), form=first.form,
                     profile=drug)
    assert source is not None and draft.factor is not None
    volume = dilution_volume(need, draft.factor)
    aliquot = volume / draft.factor
    lo1, hi1 = _rules.bounds_factors(source.content_tolerance, source.effective_volume_tolerance,
                                     _rules.make_up_tolerance(aliquot))
    lo2, hi2 = _rules.bounds_factors(Fraction(0), _rules.make_up_tolerance(volume), Fraction(0))
    content, vol = _rules.tolerances_of_factors(lo1 * lo2, hi1 * hi2)
    return Stock(drug=Exact(draft.conc * volume, MASS), volume=Exact(volume, VOLUME),
                 content_tolerance=content, volume_tolerance=vol, profile=drug)


def make_liquids(drafts: list[Draft], daily_ml: list[dict[int, Fraction]], bud_days: int,
                 first: Stock, drug: Drug | None, *, overage: Fraction = Fraction(0),
                 vehicle: str | None = None) -> tuple[list[Liquid], list[LiquidBatch]]:
    """The liquids and their batches.

    ``daily_ml[day]`` maps a liquid's index to the volume its dose takes that day;
    a batch holds that with ``overage`` (the supply rule's
    ``schedule._preparation.with_overage``) plus what weaker liquids are diluted from.
    ``vehicle`` is named in each liquid's making instruction.
    """
    periods = ceil_div(Fraction(len(daily_ml), bud_days)) if daily_ml else 0
    used = [[Fraction(0)] * periods for _ in drafts]
    for day, uses in enumerate(daily_ml):
        for i, ml in uses.items():
            used[i][day // bud_days] += ml
    given = [[Fraction(0)] * periods for _ in drafts]
    needed = [[used[i][w] > 0 for w in range(periods)] for i in range(len(drafts))]
    volumes: list[Fraction] = [Fraction(0)] * len(drafts)
    # weakest first: a dilution's aliquot is part of its source's need that period
    for i in range(len(drafts) - 1, -1, -1):
        d = drafts[i]
        most = max((with_overage(used[i][w], overage) + given[i][w] for w in range(periods)
                    if needed[i][w]), default=Fraction(0))
        volumes[i] = most
        if d.parent is not None and d.factor is not None:
            size = dilution_volume(most, d.factor)
            for w in range(periods):
                if needed[i][w]:
                    given[d.parent][w] += size / d.factor
                    needed[d.parent][w] = True
    stocks: list[Stock] = []
    for i, d in enumerate(drafts):  # strongest first: a dilution needs its source's stock
        source = stocks[d.parent] if d.parent is not None else None
        stocks.append(_batch_stock(d, volumes[i], first, source, drug))
    liquids = [Liquid(_name(i), stocks[i], None if d.parent is None else _name(d.parent),
                      d.factor, vehicle) for i, d in enumerate(drafts)]
    batches = [LiquidBatch(_name(i), w * bud_days, w * bud_days + bud_days - 1,
                           stocks[i].volume_ml, used[i][w], given[i][w])
               for w in range(periods) for i in range(len(drafts)) if needed[i][w]]
    return liquids, batches

