"""Stock: a liquid preparation of known drug content and volume."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from ._convert import fraction_between, optional
from ._exact import exact_text, format_number, to_fraction
from ._records import given, stamp
from ._rules import SMALLEST_CYLINDER_ML, below_min_fill, check_make_up, make_up_tolerance
from ._tables import (
    CAPSULE_CONTENT_TOLERANCE,
    POTENCY_WINDOW,
    SOLUBILITY_MG_PER_ML,
    TABLET_CONTENT_TOLERANCE,
)
from .drugs import Drug
from .errors import InputError
from .rendering import (
    Rendered,
    Report,
    format_concentration,
    format_concentration_exact,
    format_mass,
    format_mass_exact,
    format_volume,
    format_volume_exact,
)
from .types import ConcentrationLike, CountLike, MassLike, RatioLike, VolumeLike
from .units import CONCENTRATION, MASS, VOLUME, Exact, parse, to_quantity

if TYPE_CHECKING:
    import pint

    from .devices import Device

__all__ = [
    # re-exported from _tables / _rules for callers that still import them from here
    "Stock",
    "make_up_tolerance",
    "tablet_count",
]

# Tablets are scored at best in halves; quarters are the finest split anyone
# should rely on, and even that varies in content.
_SPLITS = (1, 2, 4)


def tablet_count(value: CountLike) -> Fraction:
    """A number of tablets: positive, at most 1,000, in whole, half or quarter tablets."""
    expected = "a positive number of tablets in whole, half or quarter tablets (1, 0.5, 2.25)"
    n = to_fraction(value, "count", expected)
    if n <= 0 or n > 1000 or n.denominator not in _SPLITS:
        raise InputError("count", value, expected)
    return n


# Named converters (mypy's attrs plugin reads only named functions).
_content_tolerance = fraction_between("content_tolerance", Fraction(0), Fraction(1))
_volume_tolerance = optional(fraction_between("volume_tolerance", Fraction(0), Fraction(1)))


#: What a stock's solid source may be: tablets (crushed) or capsules (opened).
FORMS = ("tablet", "capsule")


def _to_drug(value: MassLike) -> Fraction:
    try:
        return parse(value, MASS, "drug")
    except InputError as exc:
        try:
            parse(value, CONCENTRATION, "drug")
        except InputError:
            raise exc from None
        raise exc.evolve(expected=(
            "a mass of drug in the whole stock, such as '100 mg'. For a liquid known by "
            "its concentration use Stock.from_concentration(concentration, volume), e.g. "
            "Stock.from_concentration('1 mg/mL', '100 mL')")) from None


def _to_volume(value: VolumeLike) -> Fraction:
    return parse(value, VOLUME, "volume")


def _to_content_tolerance(value: RatioLike) -> Fraction:
    return _content_tolerance(value)


def _to_volume_tolerance(value: RatioLike | None) -> Fraction | None:
    return _volume_tolerance(value)  # type: ignore[no-any-return]


def _to_tablets(value: CountLike | None) -> Fraction | None:
    return None if value is None else tablet_count(value)


def _to_tablet_strength(value: MassLike | None) -> Fraction | None:
    return None if value is None else parse(value, MASS, "tablet_strength")


def _to_form(value: str) -> str:
    if not isinstance(value, str) or value not in FORMS:
        raise InputError("form", value, "'tablet' or 'capsule'")
    return value


@attrs.frozen(repr=False)
class Stock(Rendered):
    """A liquid preparation: an amount of drug made up to a volume.

    Parameters
    ----------
    drug : str or pint.Quantity  [mass]
        Drug in the whole preparation, e.g. ``"100 mg"``.
    volume : str or pint.Quantity  [volume]
        Final volume it is made up to, e.g. ``"100 mL"``.
    content_tolerance : number, optional  [dimensionless]
        Relative uncertainty of the drug content. Default 0.1: the USP
        naltrexone hydrochloride tablet monograph allows 90.0-110.0 % of label.
    volume_tolerance : number, optional  [dimensionless]
        Relative uncertainty of making up to volume, from 0 and below 1.
        Default: a class B graduated cylinder of the smallest size that holds
        it (ASTM E694). Without it a volume below 1 mL is refused: the
        cylinder's +/-0.1 mL would be more than 10 % of it.
    tablets : number, optional  [dimensionless]
        How many tablets (or capsules) the drug came from (set by
        :meth:`from_tablets` and :meth:`from_capsules`).
    tablet_strength : str or pint.Quantity, optional  [mass]
        Labelled strength of each tablet or capsule.
    form : {"tablet", "capsule"}, default "tablet"
        What ``tablets`` counts (set by :meth:`from_capsules`). Capsules are
        whole only.
    profile : Drug, optional
        The drug (:mod:`ldn_compound.drugs`) whose solubility limits the
        concentration; None is naltrexone hydrochloride (about 100 mg/mL).

    A liquid known by its concentration is built with
    :meth:`from_concentration`; ``drug`` is always the mass in the whole stock.

    Examples
    --------
    >>> stock = Stock.from_tablets("50 mg", volume="10 mL")
    >>> print(stock.concentration)
    5.0 milligram / milliliter
    """

    _drug: Fraction = attrs.field(alias="drug", converter=_to_drug)
    _volume: Fraction = attrs.field(alias="volume", converter=_to_volume)
    content_tolerance: Fraction = attrs.field(
        default=TABLET_CONTENT_TOLERANCE, kw_only=True, converter=_to_content_tolerance
    )
    volume_tolerance: Fraction | None = attrs.field(
        default=None, kw_only=True, converter=_to_volume_tolerance
    )
    tablets: Fraction | None = attrs.field(default=None, kw_only=True, converter=_to_tablets)
    _tablet_strength: Fraction | None = attrs.field(
        default=None, kw_only=True, alias="tablet_strength", converter=_to_tablet_strength
    )
    form: str = attrs.field(default="tablet", kw_only=True, converter=_to_form)
    profile: Drug | None = attrs.field(default=None, kw_only=True)
    _conc: Fraction = attrs.field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if (self.tablets is None) != (self._tablet_strength is None):
            raise InputError("tablets", self.tablets, "tablets and tablet_strength given together")
        if self.form == "capsule" and (self.tablets is None or self.tablets.denominator != 1):
            raise InputError("count", None if self.tablets is None else format_number(self.tablets),
                             "a whole number of capsules (a capsule is opened whole, never "
                             "split)")
        if self.tablets is not None and self._tablet_strength is not None:
            if self.tablets * self._tablet_strength != self._drug:
                raise InputError("drug", format_mass_exact(self._drug), "tablets x tablet_strength"
                                 f" = {format_mass_exact(self.tablets * self._tablet_strength)}")
        conc = self._drug / self._volume
        if self.profile is not None:
            self.profile.check_solubility(self._drug, self._volume)
        elif conc > SOLUBILITY_MG_PER_ML:
            raise InputError(
                "volume", format_volume_exact(self._volume),
                f"at least {format_volume(self._drug / SOLUBILITY_MG_PER_ML)} for "
                f"{format_mass(self._drug)}: naltrexone HCl dissolves to about 100 mg/mL",
            )
        if self.volume_tolerance is None:
            check_make_up(self._volume)
        object.__setattr__(self, "_conc", conc)

    @classmethod
    def from_tablets(
        cls, strength: MassLike, volume: VolumeLike, count: CountLike = 1, *,
        content_tolerance: RatioLike = TABLET_CONTENT_TOLERANCE,
        volume_tolerance: RatioLike | None = None,
    ) -> Stock:
        """Tablets crushed and made up to a volume.

        Parameters
        ----------
        strength : str or pint.Quantity  [mass]
            Labelled strength of one tablet, e.g. ``"50 mg"``.
        volume : str or pint.Quantity  [volume]
            Final volume, e.g. ``"10 mL"``.
        count : int or number, default 1  [dimensionless]
            Number of tablets; halves and quarters are accepted, with a
            warning about splitting accuracy.
        content_tolerance, volume_tolerance : number, optional  [dimensionless]
            As for :class:`Stock`.
        """
        return cls._of_units("tablet", strength, volume, count,
                             content_tolerance=content_tolerance,
                             volume_tolerance=volume_tolerance)

    @classmethod
    def _of_units(cls, form: str, strength: Any, volume: Any, count: Any,
                  **tolerances: Any) -> Stock:
        """``count`` tablets or capsules of ``strength`` made up to ``volume``."""
        n = tablet_count(count)
        mg = parse(strength, MASS, "strength")
        return cls(drug=Exact(n * mg, MASS), volume=volume, tablets=n,
                   tablet_strength=Exact(mg, MASS), form=form, **tolerances)

    @classmethod
    def from_capsules(
        cls, strength: MassLike, volume: VolumeLike, count: CountLike = 1, *,
        content_tolerance: RatioLike = CAPSULE_CONTENT_TOLERANCE,
        volume_tolerance: RatioLike | None = None,
    ) -> Stock:
        """Capsules opened and their contents made up to a volume.

        Parameters
        ----------
        strength : str or pint.Quantity  [mass]
            Labelled strength of one capsule, e.g. ``"1.5 mg"``.
        volume : str or pint.Quantity  [volume]
            Final volume, e.g. ``"10 mL"``.
        count : int, default 1  [dimensionless]
            Number of capsules, whole (a capsule is not split).
        content_tolerance : number, default 0.1  [dimensionless]
            Relative uncertainty of a capsule's content. Default: compounded
            capsules are held to 90-110 % of label, the potency expected of
            compounded preparations (USP <795>; references:
            'compounded-capsules'). That the 2023 chapter text states this
            for capsules is unconfirmed, so it is a default, not a limit; a
            commercial capsule's monograph may allow less.
        volume_tolerance : number, optional  [dimensionless]
            As for :class:`Stock`.

        Examples
        --------
        >>> print(Stock.from_capsules("1.5 mg", "15 mL", 2).describe())
        2 x 1.5 mg capsules in 15 mL (0.2 mg/mL)
        """
        return cls._of_units("capsule", strength, volume, count,
                             content_tolerance=content_tolerance,
                             volume_tolerance=volume_tolerance)

    @classmethod
    def from_concentration(
        cls, concentration: ConcentrationLike, volume: VolumeLike, *,
        content_tolerance: RatioLike = POTENCY_WINDOW, volume_tolerance: RatioLike | None = None,
    ) -> Stock:
        """A liquid known by its concentration, e.g. ``"1 mg/mL"`` in ``"100 mL"``.

        The drug in the stock is concentration x volume, exactly.

        Parameters
        ----------
        concentration : str or pint.Quantity  [mass / volume]
            Labelled concentration, e.g. ``"1 mg/mL"`` or ``"500 mcg/mL"``.
        volume : str or pint.Quantity  [volume]
            Volume of the liquid, e.g. ``"100 mL"``.
        content_tolerance : number, default 0.1  [dimensionless]
            Relative uncertainty of the labelled concentration. Default: the
            90-110 % of label expected of compounded preparations (USP <795>;
            references: 'compounding-potency').
        volume_tolerance : number, optional  [dimensionless]
            As for :class:`Stock`.

        Examples
        --------
        >>> stock = Stock.from_concentration("1 mg/mL", "100 mL")
        >>> print(stock.describe())
        100 mg in 100 mL (1 mg/mL)
        """
        conc = parse(concentration, CONCENTRATION, "concentration")
        ml = parse(volume, VOLUME, "volume")
        if conc > SOLUBILITY_MG_PER_ML:
            raise InputError(
                "concentration", format_concentration_exact(conc),
                f"at most {format_concentration(SOLUBILITY_MG_PER_ML)}: naltrexone HCl "
                "dissolves to about 100 mg/mL")
        return cls(drug=Exact(conc * ml, MASS), volume=Exact(ml, VOLUME),
                   content_tolerance=content_tolerance, volume_tolerance=volume_tolerance)

    def remade(self, strength_mg: Fraction, count: int, volume_ml: Fraction) -> Stock:
        """The same preparation (form, tolerances, drug profile) made again from
        ``count`` tablets or capsules of ``strength_mg`` [mass, mg] in ``volume_ml`` [mL]."""
        return Stock(drug=Exact(count * strength_mg, MASS), volume=Exact(volume_ml, VOLUME),
                     content_tolerance=self.content_tolerance,
                     volume_tolerance=self.volume_tolerance, tablets=count,
                     tablet_strength=Exact(strength_mg, MASS), form=self.form,
                     profile=self.profile)

    # -- exact values, fixed units -------------------------------------------------
    @property
    def drug_mg(self) -> Fraction:
        """Exact drug content in mg."""
        return self._drug

    @property
    def volume_ml(self) -> Fraction:
        """Exact volume in mL."""
        return self._volume

    @property
    def concentration_mg_per_ml(self) -> Fraction:
        """Exact concentration in mg/mL."""
        return self._conc

    @property
    def effective_volume_tolerance(self) -> Fraction:
        """``volume_tolerance``, or the class B cylinder default (ASTM E694)."""
        if self.volume_tolerance is not None:
            return self.volume_tolerance
        return make_up_tolerance(self._volume)

    # -- quantities -----------------------------------------------------------------
    @property
    def drug(self) -> pint.Quantity:
        """Drug in the preparation [mass, mg]."""
        return to_quantity(self._drug, MASS)

    @property
    def volume(self) -> pint.Quantity:
        """Volume of the preparation [volume, mL]."""
        return to_quantity(self._volume, VOLUME)

    @property
    def concentration(self) -> pint.Quantity:
        """Drug per volume [mass / volume, mg/mL]."""
        return to_quantity(self._conc, CONCENTRATION)

    @property
    def tablet_strength(self) -> pint.Quantity | None:
        """Labelled strength of each tablet [mass, mg], if made from tablets."""
        s = self._tablet_strength
        return None if s is None else to_quantity(s, MASS)

    def dose_per(self, device: Device) -> pint.Quantity:
        """Drug in one unit of ``device`` (one drop, one graduation) [mass, mg].

        >>> from ldn_compound import Dropper
        >>> print(Stock.from_tablets("50 mg", "10 mL").dose_per(Dropper()))
        0.25 milligram
        """
        return to_quantity(self._conc * device.unit_volume_ml, MASS)

    @property
    def warnings(self) -> tuple[str, ...]:
        """Readable cautions about how the stock is made."""
        out = []
        if self.form == "tablet" and self.tablets is not None and self.tablets.denominator != 1:
            out.append(
                f"uses {format_number(self.tablets)} tablets: split tablets vary in drug "
                "content, so the strength is less certain than the label; prefer whole "
                "tablets and a larger volume"
            )
        if self.volume_tolerance is None and below_min_fill(self._volume, SMALLEST_CYLINDER_ML):
            out.append(
                f"made up to {format_volume(self._volume)}, below 20 % of a "
                f"{format_volume(SMALLEST_CYLINDER_ML)} graduate "
                "(USP <1176>): measure it with a syringe or a volumetric flask and give "
                "volume_tolerance"
            )
        if self.profile is not None and self.profile.is_suspension:
            out.append(f"{self.profile.name} does not dissolve: a suspension, shake well")
        return tuple(out)

    def describe(self) -> str:
        """``50 mg in 10 mL (5 mg/mL)``, or with the tablets or capsules it came from."""
        if self.tablets is not None and self._tablet_strength is not None:
            n = format_number(self.tablets)
            what = f"{n} x {format_mass(self._tablet_strength)} {self.form}"
            what += "" if self.tablets == 1 else "s"
        else:
            what = format_mass(self._drug)
        return f"{what} in {format_volume(self._volume)} ({format_concentration(self._conc)})"

    def report(self) -> Report:
        """The rows every display of a stock shows."""
        return Report(
            title=f"Stock: {self.describe()}",
            rows=(
                ("Drug", format_mass(self._drug)),
                ("Volume", format_volume(self._volume)),
                ("Concentration", format_concentration(self._conc)),
                ("Content tolerance", f"+/-{format_number(self.content_tolerance * 100)} %"),
                ("Volume tolerance",
                 f"+/-{format_number(self.effective_volume_tolerance * 100, 3)} %"),
            ),
            warnings=self.warnings,
        )

    RECORD = "stock"
    DEFAULTS: ClassVar[dict[str, Any]] = {"content_tolerance": TABLET_CONTENT_TOLERANCE,
                                          "tablets": None, "tablet_strength": None}

    @classmethod
    def _upgrade(cls, data: dict[str, Any]) -> dict[str, Any]:
        """0.1 wrote ``volume_tolerance: null`` for the default."""
        if "schema" not in data and "volume_tolerance_default" not in data:
            data["volume_tolerance_default"] = data.get("volume_tolerance") is None
            if data["volume_tolerance_default"]:
                data.pop("volume_tolerance", None)
        return super()._upgrade(data)

    def to_dict(self) -> dict[str, Any]:
        """The ``ldn_compound/stock@1`` record (exact fields; see :mod:`ldn_compound.records`).

        ``volume_tolerance`` is the value the bounds use; ``volume_tolerance_default``
        says whether it is the class B cylinder default (ASTM E694) rather than given.
        """
        return stamp(self.RECORD, {
            "drug": f"{exact_text(self._drug)} mg",
            "volume": f"{exact_text(self._volume)} mL",
            "content_tolerance": exact_text(self.content_tolerance),
            "volume_tolerance": exact_text(self.effective_volume_tolerance),
            "volume_tolerance_default": self.volume_tolerance is None,
            "tablets": None if self.tablets is None else exact_text(self.tablets),
            "tablet_strength": None if self._tablet_strength is None
            else f"{exact_text(self._tablet_strength)} mg",
            "form": None if self.tablets is None else self.form,
            "concentration": f"{exact_text(self._conc)} mg/mL",
            "profile": None if self.profile is None else self.profile.to_dict(),
            "warnings": list(self.warnings),
        })

    @classmethod
    def _from_record(cls, data: dict[str, Any]) -> Stock:
        profile = data.get("profile")
        return cls(drug=data["drug"], volume=data["volume"],
                   content_tolerance=data["content_tolerance"],
                   volume_tolerance=given(data, "volume_tolerance"),
                   tablets=data["tablets"], tablet_strength=data["tablet_strength"],
                   form=data.get("form") or "tablet",
                   profile=None if profile is None else Drug.from_dict(profile))

