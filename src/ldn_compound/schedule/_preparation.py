"""The one supply rule, for a schedule's supply and a multi-stock plan alike.

How a liquid is made and kept: the preparation (a USP <795> category, or a
vehicle with its own stability study), its beyond-use days, its storage, the
vehicle it is made up with, the overage made on top of what the doses take,
its dosage form, and the name a label gives it. A dosed liquid is an oral
liquid: the ``"solid"`` category (capsules, 180 days) is refused for it.

references: 'usp-795' (categories, default BUDs, labels), 'fawcett-1997' (the
preserved glycerol vehicle), 'naltrexone-salt' (a liquid made from tablets is
a suspension).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import attrs

from .._convert import fraction_between
from .._tables import BUD, STUDIED_VEHICLES, VEHICLES
from ..drugs import NALTREXONE_HCL
from ..errors import InputError
from ..rendering import format_concentration
from ..stock import Stock
from ._plan import parse_days

__all__ = ["DEFAULT_OVERAGE", "LIQUIDS", "PREPARATIONS", "Preparation", "beyond_use_days",
           "check_overage", "dosage_form", "preparation", "product_name", "with_overage"]

#: Extra volume made on top of what the doses take (spills, priming a syringe): a
#: design default, not a sourced figure.
DEFAULT_OVERAGE = Fraction(1, 10)
#: Every preparation a supply or plan may name.
PREPARATIONS = (*BUD, *STUDIED_VEHICLES)
#: The preparations an oral liquid may be.
LIQUIDS = tuple(p for p in PREPARATIONS if p != "solid")

check_overage = fraction_between("overage", Fraction(0), Fraction(1))


@attrs.frozen
class Preparation:
    """How a liquid is made and kept.

    Attributes
    ----------
    name : str
        ``"aqueous"``, ``"aqueous_preserved"``, ``"nonaqueous"``, ``"solid"`` or a
        studied vehicle (``"preserved_glycerol"``).
    category : str
        Its USP <795> category.
    bud_days : int  [time, days]
        Beyond-use days (an override, else the study's or USP <795>'s).
    storage : str
        The storage sentence of a label, e.g. ``"Keep refrigerated."``.
    vehicle : str
        What the drug is made up with.
    source : str
        The reference key the beyond-use days rest on.
    studied_mg_per_ml : Fraction, optional  [mass/volume, mg/mL]
        The concentration a stability study tested (its BUD is for that liquid).
    """

    name: str
    category: str
    bud_days: int
    storage: str
    vehicle: str
    source: str
    studied_mg_per_ml: Fraction | None = None

    def caution(self, mg_per_ml: Fraction) -> str | None:
        """Why a liquid of ``mg_per_ml`` is outside the stability study its BUD rests on,
        or None."""
        studied = self.studied_mg_per_ml
        if studied is None or mg_per_ml == studied:
            return None
        return (f"{format_concentration(mg_per_ml)} is not the {format_concentration(studied)} "
                f"of the stability study ({self.source}) behind the {self.bud_days}-day "
                "beyond-use date: confirm it applies, or use the USP <795> default")

    def describe(self) -> str:
        """One line: vehicle, beyond-use days and their source, storage."""
        return (f"{self.name}: made up with {self.vehicle}; beyond-use {self.bud_days} days "
                f"({self.source}); {self.storage}")


def _days(bud: Any) -> int:
    if isinstance(bud, int) and not isinstance(bud, bool):
        if not 0 < bud <= 3660:  # the plausible time range of units.parse: up to 10 years
            raise InputError("bud", bud, "a positive whole number of days up to 3,660, e.g. 14")
        return bud
    return parse_days(bud, "bud")


def preparation(name: Any = "aqueous", bud: Any = None, *, liquid: bool = True) -> Preparation:
    """The rule: ``name`` checked (against an oral liquid when ``liquid``), its BUD,
    storage and vehicle.

    Parameters
    ----------
    name : str
        One of :data:`PREPARATIONS`.
    bud : str, pint.Quantity or int, optional  [time, whole days]
        An override backed by a stability study; default the preparation's own.
    liquid : bool, default True
        The preparation is a dosed oral liquid: ``"solid"`` is refused.

    Raises
    ------
    InputError
        ``parameter`` ``"preparation"``: unknown, or solid for an oral liquid;
        ``"bud"``: not a whole number of days.
    """
    allowed = LIQUIDS if liquid else PREPARATIONS
    if not isinstance(name, str) or name not in allowed:
        what = "an oral liquid's preparation" if liquid else "a preparation"
        extra = (": 'solid' (180 days) is for capsules, not a liquid measured in drops or "
                 "mL" if liquid and isinstance(name, str) and name == "solid" else "")
        raise InputError("preparation", name, f"{what}, one of "
                         + ", ".join(repr(k) for k in allowed) + f" (USP <795>){extra}")
    studied = None
    if name in STUDIED_VEHICLES:
        vehicle, days, storage, category, source, studied = STUDIED_VEHICLES[name]
    else:
        days, storage = BUD[name]
        vehicle, category, source = VEHICLES[name], name, "usp-795"
    if bud is not None:
        days, source, studied = _days(bud), "a stability study (bud given)", None
    return Preparation(name, category, days, storage, vehicle, source, studied)


def beyond_use_days(preparation_name: Any = "aqueous", bud: Any = None, *,
                    liquid: bool = False) -> int:
    """Beyond-use days of :func:`preparation` (``liquid=False``: solid allowed)."""
    return preparation(preparation_name, bud, liquid=liquid).bud_days


def with_overage(needed_ml: Fraction, overage: Fraction = DEFAULT_OVERAGE) -> Fraction:
    """The volume to make for ``needed_ml`` of doses, exact mL: ``needed x (1 + overage)``."""
    return needed_ml * (1 + overage)


def dosage_form(stock: Stock) -> str:
    """``"oral suspension"`` for a liquid made from tablets or capsules (insoluble
    excipients and fillers: references 'naltrexone-salt') or of a drug that does not
    dissolve; else ``"oral solution"``."""
    profile = stock.profile
    if stock.tablets is not None or (profile is not None and profile.is_suspension):
        return "oral suspension"
    return "oral solution"


def product_name(stock: Stock) -> str:
    """What a label calls the liquid: drug and salt form, strength, dosage form, e.g.
    ``"Naltrexone hydrochloride 5 mg/mL oral suspension"``."""
    drug = stock.profile or NALTREXONE_HCL
    name = drug.name[:1].upper() + drug.name[1:]
    return f"{name} {format_concentration(stock.concentration_mg_per_ml)} {dosage_form(stock)}"
