"""How far a taper step may cut: the over-cut verdict and the ``reduction`` argument.

A taper asks for a cut of ``reduction`` a step, but a dose of a few drops or
graduations can only fall by whole units: 5 -> 4 drops is 20 %. A step whose
delivered cut is beyond the over-cut limit (``_rules.overcut_limit``: the
reduction and half of it again) is flagged, with the weaker stock or finer
device at which the dose before it takes enough units for the cut to stay
within.
"""

from __future__ import annotations

import math
import warnings
from fractions import Fraction
from typing import Any

from .._convert import fraction_between, optional
from .._exact import format_number, to_fraction
from .._rules import cut_needs, is_overcut, overcut_limit
from ..errors import InputError
from ..measurement import Measurement
from ..rendering import format_concentration, format_mass, format_volume

__all__ = ["judge_cut", "taper_reduction", "to_reduction"]

_reduction = optional(fraction_between("reduction", Fraction(0), Fraction(1),
                                      include_low=False))


def to_reduction(value: Any) -> Fraction | None:
    """Converter: None, or a cut strictly between 0 and 1 (``fraction_between``)."""
    return _reduction(value)  # type: ignore[no-any-return]


def judge_cut(cut: Fraction, reduction: Fraction, before: Measurement,
              now: Measurement, rounding: str) -> tuple[str, str] | None:
    """Flag a delivered cut beyond ``_rules.overcut_limit(reduction)``, with the weaker
    stock or finer device at which the dose before would take enough units."""
    if not is_overcut(cut, reduction):
        return None
    limit = overcut_limit(reduction)
    device = before.device
    n = cut_needs(reduction, rounding)
    # rounded down, so the dose before is at least n units and the text is exact
    conc = _floor_sig(before.exact_delivered / (n * device.unit_volume_ml))
    unit_ml = _floor_sig(before.exact_delivered / (n * before.stock.concentration_mg_per_ml))
    problem = (f"a cut of {format_number(cut * 100, 3)} % from the step before "
               f"({before.count:,} to {now.count:,} {device.units}), beyond the requested "
               f"{format_number(reduction * 100)} % (flagged above "
               f"{format_number(limit * 100)} %)")
    fix = (f"Would work: a stock of at most {format_concentration(conc)} ("
           f"{format_mass(before.exact_delivered)} is then at least {n:,} {device.units}), "
           f"or a "
           f"device of at most {format_volume(unit_ml)} a {device.unit}")
    return problem, fix


def _floor_sig(x: Fraction, sig: int = 3) -> Fraction:
    """``x > 0`` rounded down to ``sig`` significant figures."""
    shift = sig - 1 - math.floor(math.log10(x))
    while 10 ** (sig - 1) > x * Fraction(10) ** shift:  # log10 of a Fraction may be off by one
        shift += 1
    while x * Fraction(10) ** shift >= 10 ** sig:
        shift -= 1
    return Fraction(math.floor(x * Fraction(10) ** shift)) / Fraction(10) ** shift


def taper_reduction(reduction: Any, percent: Any) -> Fraction:
    """``reduction`` as a fraction, or the deprecated ``percent`` read as a percentage."""
    if percent is None:
        if reduction is None:
            raise InputError("reduction", None, "the cut per step, a fraction strictly "
                                                "between 0 and 1 (0.1 for 10 %)")
        r: Fraction = _reduction(reduction)
        return r
    warnings.warn("taper(percent=...) is deprecated: pass reduction=0.1 for 10 % (a fraction, "
                  "like every other ratio in ldn_compound)", DeprecationWarning, stacklevel=3)
    if reduction is not None:
        raise InputError("percent", percent, "reduction or percent, not both (percent is "
                                             "deprecated: pass reduction only)")
    pct = to_fraction(percent, "percent", "a percentage strictly between 1 and 100")
    if 0 < pct <= 1:
        raise InputError("percent", percent,
                         f"an unambiguous reduction: percent={format_number(pct)} reads as "
                         f"{format_number(pct)} %, but it may mean "
                         f"{format_number(pct * 100)} %; pass "
                         f"reduction={format_number(pct / 100)} for {format_number(pct)} % "
                         f"or reduction={format_number(pct)} for {format_number(pct * 100)} %")
    if not 1 < pct < 100:
        raise InputError("percent", percent, "a percentage strictly between 1 and 100 "
                                             "(better: reduction=0.1 for 10 %)")
    return pct / 100
