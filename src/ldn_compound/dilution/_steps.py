"""The pieces of a dilution plan: its steps and each dose measured from a liquid of the chain.

:class:`DilutionStep` is one "take A of the previous liquid and make up to B";
:class:`ChainMeasurement` is a dose measured from one liquid, with the chain's
worst-case bounds. The planner (``_planner``) builds steps; the plan (``_plan``)
puts them together.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from .._convert import whole_number
from .._exact import exact_text, format_number, to_fraction
from .._records import stamp
from ..devices import OralSyringe, device_from_dict
from ..equipment import Equipment, GraduatedCylinder, equipment_from_dict
from ..measurement import Measurement, measure
from ..rendering import Rendered, Report, format_concentration, format_mass, format_volume
from ..stock import Stock
from ..units import CONCENTRATION, MASS, VOLUME, parse, to_quantity

if TYPE_CHECKING:
    import pint

__all__ = ["ChainMeasurement", "DilutionStep", "and_list", "exact_mass"]


def and_list(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def exact_mass(mg: Fraction) -> str:
    """A mass as text that ``units.parse`` reads back exactly, in the unit
    :func:`format_mass` shows it in: ``1 mcg``, ``1/3 mcg``, ``50 mg``."""
    if format_mass(mg).endswith(" mcg"):
        return f"{exact_text(mg * 1000)} mcg"
    return f"{exact_text(mg)} mg"


def _equipment_name(item: Equipment) -> str:
    if isinstance(item, OralSyringe):
        return f"{format_volume(item.capacity_ml)} oral syringe"
    if isinstance(item, GraduatedCylinder):
        return f"{format_volume(item.capacity_ml)} graduated cylinder"
    return f"{format_volume(item.capacity_ml)} volumetric flask"


@attrs.frozen(repr=False)
class DilutionStep(Rendered):
    """One step: take a volume of the previous liquid (or the tablets) and make up to volume.

    ``take`` is None for a first step that dissolves tablets (``tablets`` says
    how many). Tolerances are relative: ``take_tolerance`` of the transfer,
    ``make_up_tolerance`` of making up to volume.
    """

    number: int
    exact_take: Fraction | None  # mL of the previous liquid
    exact_make_up_to: Fraction  # mL
    exact_concentration: Fraction  # mg/mL of the liquid this step makes
    take_with: Equipment | None
    make_up_in: Equipment
    take_tolerance: Fraction
    make_up_tolerance: Fraction
    tablets: Fraction | None = None
    tablet_strength_mg: Fraction | None = None

    @property
    def take(self) -> pint.Quantity | None:
        """Volume of the previous liquid taken [volume, mL]; None for a tablet step."""
        return None if self.exact_take is None else to_quantity(self.exact_take, VOLUME)

    @property
    def make_up_to(self) -> pint.Quantity:
        """Volume it is made up to [volume, mL]."""
        return to_quantity(self.exact_make_up_to, VOLUME)

    @property
    def concentration(self) -> pint.Quantity:
        """Concentration of the liquid this step makes [mass / volume, mg/mL]."""
        return to_quantity(self.exact_concentration, CONCENTRATION)

    def instruction(self) -> str:
        """The step as one instruction, doses safely written.

        Every amount taken or made up to is written in full, as the plan uses
        it; only the resulting concentration is rounded for display.
        """
        up = (f"make up to {format_volume(self.exact_make_up_to, None)} with diluent in a "
              f"{_equipment_name(self.make_up_in)}")
        conc = format_concentration(self.exact_concentration)
        if self.exact_take is None:
            assert self.tablets is not None and self.tablet_strength_mg is not None
            n = format_number(self.tablets, 40)
            word = "tablet" if self.tablets == 1 else "tablets"
            return (f"Crush {n} x {format_mass(self.tablet_strength_mg, None)} {word}, {up} and "
                    f"mix well (a suspension: shake well): {conc}.")
        assert self.take_with is not None
        source = "the stock" if self.number == 1 else f"the step {self.number - 1} liquid"
        return (f"Take {format_volume(self.exact_take, None)} of {source} with a "
                f"{_equipment_name(self.take_with)}, {up} and mix well: {conc}.")

    def report(self) -> Report:
        """The rows every display shows (text, notebook HTML), as a ``Report``."""
        return Report(title=f"Step {self.number}: {self.instruction()}")

    RECORD = "dilution_step"

    def to_dict(self) -> dict[str, Any]:
        """The ``ldn_compound/dilution_step@1`` record (``*_exact`` fields are read back)."""
        return stamp(self.RECORD, {
            "step": self.number,
            "take_exact": None if self.exact_take is None else f"{exact_text(self.exact_take)} mL",
            "make_up_to_exact": f"{exact_text(self.exact_make_up_to)} mL",
            "concentration_exact": f"{exact_text(self.exact_concentration)} mg/mL",
            "take": None if self.exact_take is None else format_volume(self.exact_take, None),
            "tablets": None if self.tablets is None else exact_text(self.tablets),
            "tablet_strength": None if self.tablet_strength_mg is None
            else exact_mass(self.tablet_strength_mg),
            "take_with": None if self.take_with is None else self.take_with.to_dict(),
            "make_up_to": format_volume(self.exact_make_up_to, None),
            "make_up_in": self.make_up_in.to_dict(),
            "concentration": format_concentration(self.exact_concentration, None),
            "take_tolerance": exact_text(self.take_tolerance),
            "make_up_tolerance": exact_text(self.make_up_tolerance),
            "instruction": self.instruction(),
        })

    @classmethod
    def _from_record(cls, data: dict[str, Any]) -> DilutionStep:
        """A step from its stored exact fields (a plan's record recomputes the chain)."""
        take, tablets, strength = data["take_exact"], data["tablets"], data["tablet_strength"]
        return cls(
            number=whole_number("step", 1, 100)(data["step"]),
            exact_take=None if take is None else parse(take, VOLUME, "take_exact"),
            exact_make_up_to=parse(data["make_up_to_exact"], VOLUME, "make_up_to_exact"),
            exact_concentration=parse(data["concentration_exact"], CONCENTRATION,
                                      "concentration_exact"),
            take_with=None if data["take_with"] is None
            else equipment_from_dict(data["take_with"]),
            make_up_in=equipment_from_dict(data["make_up_in"]),
            take_tolerance=to_fraction(data["take_tolerance"], "take_tolerance"),
            make_up_tolerance=to_fraction(data["make_up_tolerance"], "make_up_tolerance"),
            tablets=None if tablets is None else to_fraction(tablets, "tablets"),
            tablet_strength_mg=None if strength is None
            else parse(strength, MASS, "tablet_strength"))


@attrs.frozen(repr=False)
class ChainMeasurement(Measurement):
    """A dose measured from one liquid of a dilution chain.

    Measured like any :class:`~ldn_compound.Measurement` (whole drops or
    graduations of the nominal liquid), but its bounds are the worst case
    through the whole chain (:meth:`DilutionPlan.exact_bounds_of`): the
    tablet or stock content, every transfer and make-up, and the device.
    So ``plan.measurement.bounds == plan.bounds``, in every display.
    """

    chain_bounds: tuple[Fraction, Fraction] = attrs.field(kw_only=True)  # exact mg

    RECORD = "chain_measurement"

    def to_dict(self) -> dict[str, Any]:
        """A measurement record plus ``chain_bounds_exact`` (the plan's record recomputes them)."""
        low, high = self.chain_bounds
        return stamp(self.RECORD, {
            **{k: v for k, v in super().to_dict().items() if k != "schema"},
            "chain_bounds_exact": {"low": exact_mass(low), "high": exact_mass(high)}})

    @classmethod
    def _from_record(cls, data: dict[str, Any]) -> ChainMeasurement:
        m = measure(data["target_exact"], Stock.from_dict(data["stock"]),
                    device_from_dict(data["device"]), rounding=data["rounding"],
                    allow_high_dose=True, max_rounding_error=data["max_rounding_error"])
        fields = {str(f.alias): getattr(m, f.name) for f in attrs.fields(Measurement)}
        chain = data["chain_bounds_exact"]
        return cls(**fields, chain_bounds=(parse(chain["low"], MASS, "chain_bounds_exact"),
                                           parse(chain["high"], MASS, "chain_bounds_exact")))

    @property
    def exact_bounds(self) -> tuple[Fraction, Fraction]:
        """Worst-case (low, high) delivered dose through the whole chain, exact mg."""
        return self.chain_bounds
