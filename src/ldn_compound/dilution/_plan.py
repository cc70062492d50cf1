"""What a dilution plan is, and :func:`plan_dilution`, which makes one.

:class:`DilutionPlan` holds the steps the planner (``_planner``) chose and
derives everything else from them exactly: the liquid after each step
(:meth:`DilutionPlan.stock_at`), each dose measured from the liquid that
serves it, and the worst case through the whole chain.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any, ClassVar
from warnings import warn

import attrs

from .. import _rules
from .._convert import UNSET, renamed
from .._exact import exact_text, format_number, format_percent
from .._records import stamp
from .._tables import SMALL_SYRINGE_VOLUME_ML, TABLET_CONTENT_TOLERANCE
from ..devices import Device, OralSyringe, device_from_dict, device_volume_error
from ..equipment import DEFAULT_EQUIPMENT, Equipment, equipment_from_dict
from ..errors import InputError
from ..measurement import Bounds, Measurement, measure_exact
from ..rendering import (
    Rendered,
    Report,
    format_concentration,
    format_mass,
    format_mass_range,
    format_volume,
)
from ..stock import Stock
from ..types import CountLike, MassLike, RatioLike, VolumeLike
from ..units import MASS, VOLUME, Exact, to_quantity
from ._planner import DEFAULT_MAX_ROUNDING_ERROR, plan_pieces
from ._simulate import SimulationResult, simulate
from ._steps import ChainMeasurement, DilutionStep, and_list, exact_mass

__all__ = ["DilutionPlan", "plan_dilution"]


@attrs.frozen(repr=False)
class DilutionPlan(Rendered):
    """A serial dilution: steps, the final stock, and each dose measured from it.

    Build it with :func:`plan_dilution`. ``steps`` may be empty (the dose is
    measurable from the source as it is). ``served_by[i]`` is the step whose
    liquid dose ``i`` is measured from (0: the source stock).
    """

    exact_doses: tuple[Fraction, ...]  # mg
    steps: tuple[DilutionStep, ...]
    device: Device
    max_rounding_error: Fraction
    exact_max_volume: Fraction
    equipment: tuple[Equipment, ...]
    served_by: tuple[int, ...]
    source_stock: Stock | None = None
    tablets: Fraction | None = None
    tablet_strength_mg: Fraction | None = None
    tablet_content_tolerance: Fraction = TABLET_CONTENT_TOLERANCE

    @property
    def tolerance(self) -> Fraction:
        """Deprecated name of :attr:`max_rounding_error` (read-only)."""
        warn("DilutionPlan.tolerance is deprecated: read max_rounding_error "
                      "(same meaning)", DeprecationWarning, stacklevel=2)
        return self.max_rounding_error

    RECORD = "dilution_plan"
    RENAMED: ClassVar[dict[str, str]] = {"tolerance": "max_rounding_error"}
    NESTED: ClassVar[tuple[str, ...]] = ("source", "device", "equipment")

    @classmethod
    def _from_record(cls, data: dict[str, Any]) -> DilutionPlan:
        """Plan again from the inputs a record stores (planning is deterministic)."""
        src = data["source"]
        if "drug" in src:
            source: Any = Stock.from_dict(src)
            extra: dict[str, Any] = {}
        else:
            source = src["tablet_strength"]
            extra = {"tablets": src["tablets"], "content_tolerance": src["content_tolerance"]}
        return plan_dilution(
            doses=data["doses"], source=source, device=device_from_dict(data["device"]),
            equipment=[equipment_from_dict(e) for e in data["equipment"]],
            max_volume=data["max_volume"], max_rounding_error=data["max_rounding_error"],
            **extra)

    # -- the chain's stocks and their worst-case factors ------------------------------
    def _factors(self, index: int) -> tuple[Fraction, Fraction]:
        """(low, high) concentration factors of liquid ``index``, made up to volume.

        Each link is :func:`_rules.bounds_factors`: the source (its content and
        make-up), then each step's transfer with the make-up before it, then the
        step's own make-up. Before a measurement the device is one more link.
        """
        if self.source_stock is not None:
            s = self.source_stock
            low, high = _rules.bounds_factors(s.content_tolerance,
                                              s.effective_volume_tolerance, Fraction(0))
        else:
            low, high = _rules.bounds_factors(self.tablet_content_tolerance, Fraction(0),
                                              Fraction(0))
        for step in self.steps[:index]:
            lo, hi = _rules.bounds_factors(Fraction(0), step.make_up_tolerance,
                                           step.take_tolerance)
            low, high = low * lo, high * hi
        return low, high

    def stock_at(self, index: int) -> Stock:
        """The liquid after step ``index`` (0: the source stock) as a :class:`Stock`.

        Its drug and volume are as planned; its tolerances carry the chain's
        worst case, so measuring from it gives the chain's bounds
        (:meth:`exact_bounds_of`). The chain's concentration factors (low, high)
        are not symmetric (through a few steps the high one can pass 2), so they
        are written as the one ``content_tolerance`` c and ``volume_tolerance`` v,
        both below 1, with (1 - c) / (1 + v) = low and (1 + c) / (1 - v) = high.
        """
        if index == 0:
            if self.source_stock is None:
                raise InputError("index", index, "a step number from 1: the source is tablets")
            return self.source_stock
        step = self.steps[index - 1]
        low, high = self._factors(index)
        content, volume = _rules.tolerances_of_factors(low, high)
        return Stock(drug=Exact(step.exact_concentration * step.exact_make_up_to, MASS),
                     volume=Exact(step.exact_make_up_to, VOLUME), content_tolerance=content,
                     volume_tolerance=volume)

    @property
    def final_stock(self) -> Stock:
        """The last liquid of the chain (the source stock if there are no steps)."""
        return self.stock_at(len(self.steps))

    def measurement_of(self, i: int = 0) -> ChainMeasurement:
        """Dose ``i`` measured from the liquid that serves it, with the chain's bounds."""
        j = self.served_by[i]
        m = measure_exact(self.exact_doses[i], self.stock_at(j), self.device, "nearest",
                          allow_high_dose=False, parameter="dose",
                          max_rounding_error=self.max_rounding_error)
        low, high = self._factors(j)
        lo, hi = _rules.bounds_factors(Fraction(0), Fraction(0), device_volume_error(self.device))
        d = m.exact_delivered
        fields = {str(f.alias): getattr(m, f.name) for f in attrs.fields(Measurement)}
        return ChainMeasurement(**fields, chain_bounds=(d * low * lo, d * high * hi))

    @property
    def measurements(self) -> tuple[ChainMeasurement, ...]:
        """Each dose measured from the liquid that serves it, in the order given."""
        return tuple(self.measurement_of(i) for i in range(len(self.exact_doses)))

    @property
    def measurement(self) -> ChainMeasurement:
        """The (first) dose measured from its stock, with the chain's bounds."""
        return self.measurement_of(0)

    def exact_bounds_of(self, i: int = 0) -> tuple[Fraction, Fraction]:
        """Worst-case (low, high) delivered dose ``i``, exact mg, through the whole chain.

        Tablet (or stock) content, every transfer and every make-up, and the
        device, each at the end of its tolerance that moves the dose the same way.
        """
        return self.measurement_of(i).chain_bounds

    @property
    def exact_bounds(self) -> tuple[Fraction, Fraction]:
        """Worst-case (low, high) of the (first) dose, exact mg."""
        return self.exact_bounds_of(0)

    @property
    def bounds(self) -> Bounds:
        """Worst-case (low, high) of the (first) dose through the whole chain [mass, mg]."""
        low, high = self.exact_bounds
        return Bounds(to_quantity(low, MASS), to_quantity(high, MASS))

    @property
    def exact_liquid_made(self) -> Fraction:
        """Total volume made up over all steps, exact mL."""
        return sum((s.exact_make_up_to for s in self.steps), Fraction(0))

    def simulate(self, n: int = 100_000, seed: int = 0, *,
                 dose_index: int = 0) -> SimulationResult:
        """Draw every error of the chain and the device, ``n`` times.

        Each relative error (tablet or stock content, stock volume, every
        transfer, every make-up, the device) is drawn independently and
        uniformly within its tolerance, so every draw lies within
        :attr:`bounds`. Uses numpy's PCG64 generator seeded with ``seed``.

        Parameters
        ----------
        n : int, default 100,000  [count]
            Number of draws (100 to 10,000,000).
        seed : int, default 0
            Seed; the same seed gives the same result.
        dose_index : int, default 0
            Which dose of the plan to simulate.
        """
        return simulate(self, n, seed, dose_index)

    # -- display -------------------------------------------------------------------
    def instructions(self) -> tuple[str, ...]:
        """Numbered instructions: the steps, then each dose."""
        lines = [f"{s.number}. {s.instruction()}" for s in self.steps]
        k = len(self.steps)
        for i, (m, j) in enumerate(zip(self.measurements, self.served_by, strict=True)):
            source = "the source stock" if j == 0 else f"the step {j} liquid"
            lines.append(f"{k + i + 1}. For {format_mass(m.exact_target, None)}: measure "
                         f"{m.what_to_measure()} of {source} "
                         f"({format_concentration(self.stock_at(j).concentration_mg_per_ml)}).")
        return tuple(lines)

    def _source_text(self) -> str:
        if self.source_stock is not None:
            return self.source_stock.describe()
        assert self.tablets is not None and self.tablet_strength_mg is not None
        word = "tablet" if self.tablets == 1 else "tablets"
        return f"{format_number(self.tablets)} x {format_mass(self.tablet_strength_mg)} {word}"

    def report(self) -> Report:
        """The rows every display shows (text, notebook HTML), as a ``Report``."""
        doses = and_list([format_mass(d) for d in self.exact_doses])
        k = len(self.steps)
        title = (f"Dilution plan for {doses}: {k} step{'' if k == 1 else 's'}"
                 if k else f"Dilution plan for {doses}: no dilution needed")
        rows = [
            ("Source", self._source_text()),
            ("Device", self.device.describe()),
            ("Tolerance", f"+/-{format_number(self.max_rounding_error * 100)} % (rounding and "
                          "dilution "
                          "arithmetic)"),
            ("Liquid made", format_volume(self.exact_liquid_made)),
            ("Final stock", format_concentration(self.final_stock.concentration_mg_per_ml)
             + f" ({format_volume(self.final_stock.volume_ml)})"),
        ]
        warnings: list[str] = []
        for m in self.measurements:
            low, high = m.exact_bounds
            label = "" if len(self.exact_doses) == 1 else f" ({format_mass(m.exact_target)})"
            rows += [
                (f"Measure{label}", m.what_to_measure()),
                (f"Delivered{label}", f"{format_mass(m.exact_delivered)} "
                                      f"({format_percent(m.exact_rounding_error)})"),
                (f"Worst-case bounds{label}", f"{format_mass_range(low, high)} "
                 f"({format_percent(low / m.exact_target - 1)} to "
                 f"{format_percent(high / m.exact_target - 1)}), through the whole chain"),
            ]
            if not m.ok:  # the verdict first: a flagged dose is never shown silently
                warnings.append(f"{format_mass(m.exact_target)} is FLAGGED: {m.problem}. {m.fix}")
            warnings += [w for w in m.warnings if w not in warnings]
        for step in self.steps:
            take = step.exact_take
            if (isinstance(step.take_with, OralSyringe) and take is not None
                    and _rules.is_small_syringe_volume(take.numerator, take.denominator)):
                warnings.append(
                    f"step {step.number} draws {format_volume(take)}: volumes of "
                    f"{format_volume(SMALL_SYRINGE_VOLUME_ML)} and below missed a +/-10 % target "
                    "in 1 mL oral syringes "
                    "(Arenas-Lopez et al. 2017); check the syringe's accuracy there")
        if self.source_stock is None:
            warnings.append("commercial tablets are film-coated with insoluble excipients: each "
                            "liquid is a suspension; shake well before every transfer")
        return Report(title=title, rows=tuple(rows), warnings=tuple(warnings),
                      footer=self.instructions())

    def to_dict(self) -> dict[str, Any]:
        """The ``ldn_compound/dilution_plan@1`` record: inputs exact, the plan to check."""
        out: list[dict[str, Any]] = []
        for m, j in zip(self.measurements, self.served_by, strict=True):
            low, high = m.exact_bounds
            out.append({"dose": format_mass(m.exact_target, None), "from_step": j,
                        "measurement": m.to_dict(),
                        "bounds": {"low": format_mass(low, None), "high": format_mass(high, None)}})
        return stamp(self.RECORD, {
            "doses": [exact_mass(d) for d in self.exact_doses],
            "source": self.source_stock.to_dict() if self.source_stock is not None else {
                "tablets": exact_text(self.tablets) if self.tablets is not None else None,
                "tablet_strength": exact_mass(self.tablet_strength_mg)
                if self.tablet_strength_mg is not None else None,
                "content_tolerance": exact_text(self.tablet_content_tolerance)},
            "device": self.device.to_dict(),
            "max_rounding_error": exact_text(self.max_rounding_error),
            "max_volume": f"{exact_text(self.exact_max_volume)} mL",
            "equipment": [e.to_dict() for e in self.equipment],
            "steps": [s.to_dict() for s in self.steps],
            "liquid_made": format_volume(self.exact_liquid_made, None),
            "final_stock": self.final_stock.to_dict(),
            "results": out,
            "instructions": list(self.instructions()),
        })


def plan_dilution(
    dose: MassLike | None = None,
    source: Stock | MassLike = "50 mg",
    device: Device | None = None,
    *,
    equipment: Iterable[Equipment] = DEFAULT_EQUIPMENT,
    max_volume: VolumeLike = "100 mL",
    max_rounding_error: RatioLike = UNSET,
    doses: Iterable[MassLike] | None = None,
    tablets: CountLike | None = None,
    content_tolerance: RatioLike = TABLET_CONTENT_TOLERANCE,
    tolerance: RatioLike = UNSET,
) -> DilutionPlan:
    """Plan the serial dilution that makes a dose measurable.

    Parameters
    ----------
    dose : str or pint.Quantity  [mass]
        Target dose, e.g. ``"1 mcg"``. Give ``doses`` instead for a schedule.
    source : Stock, or str or pint.Quantity  [mass]
        A liquid :class:`Stock`, or the strength of the tablets to start from
        (default ``"50 mg"``; see ``tablets``).
    device : Dropper or OralSyringe, default 1 mL oral syringe
        What each dose is measured with. An oral syringe is not used below
        20 % of its capacity (USP <1176>).
    equipment : iterable of OralSyringe, GraduatedCylinder, VolumetricFlask
        What transfers are measured with (syringes, cylinders) and what liquids
        are made up in (cylinders, flasks). Default :data:`DEFAULT_EQUIPMENT`:
        1, 3, 5 and 10 mL oral syringes and class B 10, 25, 50 and 100 mL cylinders.
    max_volume : str or pint.Quantity, default "100 mL"  [volume]
        Largest container, and largest volume made up.
    max_rounding_error : number, default 0.1  [dimensionless]
        Largest nominal error of each dose (rounding to the device and dilution
        arithmetic). The worst case through the chain is reported, not held to it.
        Was ``tolerance`` (still accepted, with a DeprecationWarning).
    doses : list of str or pint.Quantity  [mass]
        Several doses (a ladder): one chain whose final stock serves them all,
        or as few of its liquids as possible.
    tablets : number, default 1  [count]
        Tablets dissolved when ``source`` is a strength (halves, quarters allowed).
    content_tolerance : number, default 0.1  [dimensionless]
        Relative drug-content tolerance of the tablets (USP monograph: 90.0-110.0 %
        of label). A Stock source carries its own.

    Returns
    -------
    DilutionPlan
        Fewest steps, then least liquid made, then the largest transfers
        (the largest smallest transfer, then the largest total), then the
        smallest rounding error.

    Raises
    ------
    InputError, UnitError
        Bad arguments.
    NoPlanError
        No plan meets the tolerance with the equipment given; says which
        constraint binds and what would make it work.

    Examples
    --------
    >>> plan = plan_dilution("1 mcg", "50 mg")
    >>> len(plan.steps)
    2
    """
    limit = renamed("plan_dilution", "tolerance", "max_rounding_error", tolerance,
                    max_rounding_error, DEFAULT_MAX_ROUNDING_ERROR)
    pieces = plan_pieces(dose, source, device, equipment=equipment, max_volume=max_volume,
                         max_rounding_error=limit, doses=doses, tablets=tablets,
                         content_tolerance=content_tolerance)
    return DilutionPlan(
        exact_doses=pieces.exact_doses, steps=pieces.steps, device=pieces.device,
        max_rounding_error=pieces.max_rounding_error, exact_max_volume=pieces.exact_max_volume,
        equipment=pieces.equipment, served_by=pieces.served_by, source_stock=pieces.source_stock,
        tablets=pieces.tablets, tablet_strength_mg=pieces.tablet_strength_mg,
        tablet_content_tolerance=pieces.tablet_content_tolerance,
    )
