"""The requested curve: the doses a taper asks for before anything is measured.

Two methods, both exact on Fractions:

- a fixed reduction of the *current* dose (``reduction=0.1``: each dose is 90 %
  of the one before), the hyperbolic taper of Horowitz & Taylor, Lancet
  Psychiatry 2019;
- equal steps of receptor occupancy, ``occupancy = Emax * D / (ED50 + D)``
  (the Michaelis-Menten form Horowitz & Taylor 2019 fit to PET data), with
  ``Emax`` and ``ED50`` supplied by the user: the doses are the inverse,
  ``D = ED50 * O / (Emax - O)``, which is exact for rational inputs.

Either ends at the floor itself, so the last requested cut is at most the one
asked for.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import attrs

from .._convert import fraction_between
from ..errors import InputError
from ..rendering import format_mass, format_mass_exact
from ..units import MASS, parse

__all__ = ["MAX_STEPS", "Occupancy", "requested_doses"]

#: More requested steps than this is taken for a slip (a 0.1 % reduction).
MAX_STEPS = 500

_emax = fraction_between("emax", Fraction(0), Fraction(1) + Fraction(1, 10**9),
                         include_low=False)
_step = fraction_between("occupancy_step", Fraction(0), Fraction(1), include_low=False)


def _to_emax(value: Any) -> Fraction:
    x: Fraction = _emax(value)
    if x > 1:
        raise InputError("emax", value, "a fraction above 0 and at most 1, or a percentage "
                                        "such as '85 %'")
    return x


def _to_ed50(value: Any) -> Fraction:
    return parse(value, MASS, "ed50")


@attrs.frozen
class Occupancy:
    """A dose-occupancy curve, ``occupancy = emax * D / (ed50 + D)``.

    Parameters
    ----------
    emax : number or str  [dimensionless]
        Largest occupancy, above 0 and at most 1 (``0.85`` or ``"85 %"``).
    ed50 : str or pint.Quantity  [mass]
        Daily dose giving half of ``emax``.

    The figures are the user's: the library ships none (Horowitz & Taylor,
    Lancet Psychiatry 2019 show the method).
    """

    emax: Fraction = attrs.field(converter=_to_emax)
    ed50_mg: Fraction = attrs.field(alias="ed50", converter=_to_ed50)

    def at(self, mg: Fraction) -> Fraction:
        """Occupancy at a daily dose of ``mg``, exact."""
        return self.emax * mg / (self.ed50_mg + mg)

    def dose_at(self, occupancy: Fraction) -> Fraction:
        """The daily dose (mg) giving ``occupancy`` (from 0, below ``emax``), exact."""
        return self.ed50_mg * occupancy / (self.emax - occupancy)


def occupancy_step(value: Any) -> Fraction:
    """Converter: an occupancy step strictly between 0 and 1 (``0.05`` or ``"5 %"``)."""
    x: Fraction = _step(value)
    return x


def _check_count(n: int, parameter: str, value: Any) -> None:
    if n > MAX_STEPS:
        raise InputError(parameter, value, f"a larger step or a higher floor: the plan would "
                                           f"take more than {MAX_STEPS} steps")


def requested_doses(start: Fraction, floor: Fraction, reduction: Fraction | None,
                    occupancy: Occupancy | None, step: Fraction | None) -> list[Fraction]:
    """The requested doses from ``start`` down to ``floor`` (both included), exact mg.

    ``reduction`` for a fixed cut of the current dose; else ``occupancy`` and
    ``step`` (occupancy points a step) for equal occupancy steps.
    """
    doses = [start]
    if reduction is not None:
        keep = 1 - reduction
        while doses[-1] * keep > floor:
            doses.append(doses[-1] * keep)
            _check_count(len(doses), "reduction", reduction)
    else:
        assert occupancy is not None and step is not None
        top, low = occupancy.at(start), occupancy.at(floor)
        k = 1
        while top - k * step > low:
            doses.append(occupancy.dose_at(top - k * step))
            _check_count(len(doses), "occupancy_step", step)
            k += 1
    if doses[-1] != floor:
        doses.append(floor)
    if len(doses) < 2:
        raise InputError("floor", format_mass_exact(floor), f"below the start dose "
                                                      f"({format_mass(start)})")
    return doses
