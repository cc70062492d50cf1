"""Drug profiles: what is drug-specific about the dose rules, as one object.

A :class:`Drug` holds the facts the library's checks use: the salt form and
its salt factor, the basis a label strength is written on, the strongest
liquid the drug makes (its solubility) or that it is a suspension, the usual
largest daily dose (ten times it is refused as a likely decimal slip) and an
optional band above which a dose is cautioned.

:data:`NALTREXONE_HCL` is the default everywhere, built from ``_tables``;
without naming a drug every function behaves as before. The library ships no
other drug's figures: define your own, from your own sources.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import attrs

from ._convert import fraction_between
from ._exact import exact_text
from ._rules import LDN_BAND
from ._tables import (
    BASE_MOLAR_MASS,
    HCL_MOLAR_MASS,
    LDN_MAX_MG,
    SOLUBILITY_MG_PER_ML,
    USUAL_LDN_MAX_MG,
)
from ._text import MAX_PROSE, check_text
from .errors import InputError
from .rendering import format_concentration, format_mass, format_volume, format_volume_exact
from .units import CONCENTRATION, MASS, Exact, parse

__all__ = ["NALTREXONE_HCL", "Drug"]

_BASES = ("salt", "base")


def _to_usual_max(value: Any) -> Fraction:
    return parse(value, MASS, "usual_max")


def _to_band_max(value: Any) -> Fraction | None:
    return None if value is None else parse(value, MASS, "band_max")


def _to_solubility(value: Any) -> Fraction | None:
    return None if value is None else parse(value, CONCENTRATION, "solubility")


def _to_salt_factor(value: Any) -> Fraction:
    x = fraction_between("salt_factor", Fraction(0), Fraction(100), include_low=False)(value)
    if x < 1:
        raise InputError("salt_factor", value, "at least 1: the salt's mass over the base's "
                                               "(1 when the drug is not a salt)")
    return x


def _to_basis(value: Any) -> str:
    if value not in _BASES:
        raise InputError("strength_basis", value, "'salt' (the label states the salt, as "
                                                  "for naltrexone HCl) or 'base'")
    return str(value)


def _to_name(value: Any) -> str:
    return check_text(value, "name", example="'naltrexone hydrochloride'")


def _to_salt(value: Any) -> str | None:
    return None if value is None else check_text(value, "salt", example="'hydrochloride'")


def _to_band_text(value: Any) -> str | None:
    return None if value is None else check_text(
        value, "band_text", example="'the usual LDN band'", limit=MAX_PROSE)


@attrs.frozen
class Drug:
    """The drug-specific facts the dose rules use.

    Parameters
    ----------
    name : str
        The drug as the label names it, e.g. ``"naltrexone hydrochloride"``.
    usual_max : str or pint.Quantity  [mass]
        The usual largest daily dose; ten times it is refused as a likely
        decimal slip unless ``allow_high_dose`` (ISMP: tenfold errors).
    solubility : str or pint.Quantity, optional  [mass / volume]
        The strongest solution the drug makes in the vehicle. None: the drug
        does not dissolve, a liquid is a suspension (shake well).
    salt : str, optional
        The salt form, e.g. ``"hydrochloride"``; None for a base.
    salt_factor : number, default 1  [dimensionless]
        Mass of the salt over the mass of the base it holds (at least 1).
    strength_basis : {"salt", "base"}
        What a label strength counts: the salt or the base.

        ``salt``, ``salt_factor`` and ``strength_basis`` describe the label and
        travel with every record; they change no count: doses, stocks and
        tablet strengths are all in the label's own terms, so the arithmetic
        never converts between salt and base (trituration from powder does,
        with its own ``dose_as``/``powder`` forms).
    band_max : str or pint.Quantity, optional  [mass]
        A dose above this is cautioned (``band_text`` names the band).
    band_text : str, optional
        How the band is named in that caution.
    """

    name: str = attrs.field(converter=_to_name)
    usual_max_mg: Fraction = attrs.field(alias="usual_max", converter=_to_usual_max)
    solubility_mg_per_ml: Fraction | None = attrs.field(
        default=None, kw_only=True, alias="solubility", converter=_to_solubility)
    salt: str | None = attrs.field(default=None, kw_only=True, converter=_to_salt)
    salt_factor: Fraction = attrs.field(default=Fraction(1), kw_only=True,
                                        converter=_to_salt_factor)
    strength_basis: str = attrs.field(default="salt", kw_only=True, converter=_to_basis)
    band_max_mg: Fraction | None = attrs.field(default=None, kw_only=True, alias="band_max",
                                               converter=_to_band_max)
    band_text: str | None = attrs.field(default=None, kw_only=True, converter=_to_band_text)

    @property
    def is_suspension(self) -> bool:
        """True when no solubility is given: every liquid is a suspension."""
        return self.solubility_mg_per_ml is None

    @property
    def base_fraction(self) -> Fraction:
        """Share of the salt's mass that is the base (1 / ``salt_factor``)."""
        return 1 / self.salt_factor

    def check_solubility(self, mg: Fraction, volume_ml: Fraction) -> None:
        """Refuse more drug than dissolves in ``volume_ml`` (a suspension has no limit)."""
        limit = self.solubility_mg_per_ml
        if limit is not None and mg / volume_ml > limit:
            raise InputError(
                "volume", format_volume_exact(volume_ml),
                f"at least {format_volume(mg / limit)} for {format_mass(mg)}: {self.name} "
                f"dissolves to about {format_concentration(limit)}",
            )

    def describe(self) -> str:
        """``naltrexone hydrochloride (usual maximum 4.5 mg/day; dissolves to 100 mg/mL)``."""
        liquid = ("a suspension: shake well" if self.solubility_mg_per_ml is None
                  else f"dissolves to {format_concentration(self.solubility_mg_per_ml)}")
        return f"{self.name} (usual maximum {format_mass(self.usual_max_mg)}/day; {liquid})"

    def to_dict(self) -> dict[str, Any]:
        """Plain data that :meth:`from_dict` reads back exactly."""
        sol = self.solubility_mg_per_ml
        return {
            "name": self.name, "usual_max": f"{exact_text(self.usual_max_mg)} mg",
            "solubility": None if sol is None else f"{exact_text(sol)} mg/mL",
            "salt": self.salt, "salt_factor": exact_text(self.salt_factor),
            "strength_basis": self.strength_basis,
            "band_max": None if self.band_max_mg is None
            else f"{exact_text(self.band_max_mg)} mg",
            "band_text": self.band_text,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Drug:
        """Inverse of :meth:`to_dict`."""
        try:
            return cls(data["name"], data["usual_max"], solubility=data.get("solubility"),
                       salt=data.get("salt"), salt_factor=data.get("salt_factor", 1),
                       strength_basis=data.get("strength_basis", "salt"),
                       band_max=data.get("band_max"), band_text=data.get("band_text"))
        except KeyError as exc:
            raise InputError("data", data, f"a drug dict with key {exc.args[0]!r}") from exc


#: Naltrexone hydrochloride, the default profile: molar masses 377.86 / 341.40
#: g/mol (salt factor), about 100 mg/mL in water (product label), usual maximum
#: 4.5 mg and the 1 to 5 mg LDN band (Toljan & Vrooman 2018). Tablets are
#: labelled as the hydrochloride.
NALTREXONE_HCL = Drug(
    "naltrexone hydrochloride", Exact(USUAL_LDN_MAX_MG, MASS),
    solubility=Exact(SOLUBILITY_MG_PER_ML, CONCENTRATION),
    salt="hydrochloride", salt_factor=HCL_MOLAR_MASS / BASE_MOLAR_MASS,
    strength_basis="salt", band_max=Exact(LDN_MAX_MG, MASS),
    band_text=LDN_BAND,
)
