"""Serial dilution planner for microgram and nanogram doses, with propagated uncertainty.

A very-low or ultra-low dose cannot be measured from a 50 mg tablet in one
step (1 mcg from 50 mg in 100 mL is 0.002 mL). :func:`plan_dilution` plans a
chain of steps "take A of the previous liquid and make up to B", every A and
B measurable with the equipment declared, ending at a stock from which the
dose is measured with the patient's device within the tolerance. Every
transfer adds error; the plan reports the worst case through the whole chain,
and :meth:`DilutionPlan.simulate` draws it by Monte Carlo.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from ._convert import fraction_between
from ._dilution_search import (
    MAX_STEPS,
    MAX_WORK,
    Budget,
    Chain,
    SearchSpace,
    SearchTooLarge,
    search,
)
from ._exact import exact_text, format_number, format_percent, round_to_int
from .devices import SMALL_SYRINGE_VOLUME_ML, Device, Dropper, OralSyringe, device_volume_error
from .equipment import (
    DEFAULT_EQUIPMENT,
    Equipment,
    GraduatedCylinder,
    VolumetricFlask,
    check_equipment,
    is_container,
    is_transfer,
    measurable_volumes,
    relative_tolerance,
)
from .errors import ErrorKind, InputError, NoPlanError
from .measurement import MIN_SYRINGE_FILL, Bounds, Measurement, measure
from .rendering import (
    Rendered,
    Report,
    format_concentration,
    format_mass,
    format_mass_range,
    format_volume,
    join_words,
)
from .stock import SOLUBILITY_MG_PER_ML, TABLET_CONTENT_TOLERANCE, Stock
from .units import CONCENTRATION, MASS, VOLUME, parse, to_quantity

if TYPE_CHECKING:
    import pint

__all__ = [
    "ChainMeasurement",
    "DilutionPlan",
    "DilutionStep",
    "SimulationResult",
    "plan_dilution",
]

#: Percentiles a simulation reports.
PERCENTILES = (0.5, 2.5, 50.0, 97.5, 99.5)


def _and_list(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _exact_mass(mg: Fraction) -> str:
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
        """The step as one instruction, doses safely written."""
        up = (f"make up to {format_volume(self.exact_make_up_to)} with diluent in a "
              f"{_equipment_name(self.make_up_in)}")
        conc = format_concentration(self.exact_concentration)
        if self.exact_take is None:
            assert self.tablets is not None and self.tablet_strength_mg is not None
            n = format_number(self.tablets)
            word = "tablet" if self.tablets == 1 else "tablets"
            return (f"Crush {n} x {format_mass(self.tablet_strength_mg)} {word}, {up} and mix "
                    f"well (a suspension: shake well): {conc}.")
        assert self.take_with is not None
        source = "the stock" if self.number == 1 else f"the step {self.number - 1} liquid"
        return (f"Take {format_volume(self.exact_take)} of {source} with a "
                f"{_equipment_name(self.take_with)}, {up} and mix well: {conc}.")

    def report(self) -> Report:
        return Report(title=f"Step {self.number}: {self.instruction()}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.number,
            "take": None if self.exact_take is None else format_volume(self.exact_take, None),
            "tablets": None if self.tablets is None else exact_text(self.tablets),
            "tablet_strength": None if self.tablet_strength_mg is None
            else _exact_mass(self.tablet_strength_mg),
            "take_with": None if self.take_with is None else self.take_with.to_dict(),
            "make_up_to": format_volume(self.exact_make_up_to, None),
            "make_up_in": self.make_up_in.to_dict(),
            "concentration": format_concentration(self.exact_concentration, None),
            "take_tolerance": exact_text(self.take_tolerance),
            "make_up_tolerance": exact_text(self.make_up_tolerance),
            "instruction": self.instruction(),
        }


@attrs.frozen(repr=False)
class SimulationResult(Rendered):
    """Monte Carlo percentiles of the delivered dose (mg, as floats).

    Equal for equal inputs and seed. ``percentiles`` maps each percentile in
    :data:`PERCENTILES` to a Quantity; ``within_tolerance`` is the share of
    draws within the plan's tolerance of the target.
    """

    n: int
    seed: int
    target_mg: float
    tolerance: float
    percentiles_mg: tuple[tuple[float, float], ...]
    mean_mg: float
    within_tolerance: float

    @property
    def percentiles(self) -> dict[float, pint.Quantity]:
        """Percentile -> delivered dose [mass, mg]."""
        from .units import Q_

        return {p: Q_(v, "mg") for p, v in self.percentiles_mg}

    def percentile(self, p: float) -> pint.Quantity:
        """The delivered dose at percentile ``p`` (one of 0.5, 2.5, 50, 97.5, 99.5) [mass]."""
        for q, v in self.percentiles_mg:
            if q == p:
                from .units import Q_

                return Q_(v, "mg")
        raise InputError("p", p, f"one of {', '.join(format_number(q) for q in PERCENTILES)}")

    def report(self) -> Report:
        def mass(v: float) -> str:
            return format_mass(Fraction(repr(v)))

        rows = [("Target", mass(self.target_mg)), ("Draws", f"{self.n:,} (seed {self.seed})")]
        rows += [(f"{format_number(Fraction(repr(p)))}th percentile", mass(v))
                 for p, v in self.percentiles_mg]
        rows += [("Mean", mass(self.mean_mg)),
                 (f"Within +/-{format_number(Fraction(repr(self.tolerance)) * 100)} %",
                  f"{format_number(Fraction(repr(self.within_tolerance)) * 100, 3)} % of draws")]
        return Report(title=f"Monte Carlo of {mass(self.target_mg)}: every transfer's error "
                            "drawn uniformly within its tolerance", rows=tuple(rows))

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n, "seed": self.seed, "target": format_mass(Fraction(repr(self.target_mg))),
            "percentiles": {format_number(Fraction(repr(p))): format_mass(Fraction(repr(v)), 8)
                            for p, v in self.percentiles_mg},
            "mean": format_mass(Fraction(repr(self.mean_mg)), 8),
            "within_tolerance": self.within_tolerance,
        }


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

    @property
    def exact_bounds(self) -> tuple[Fraction, Fraction]:
        """Worst-case (low, high) delivered dose through the whole chain, exact mg."""
        return self.chain_bounds


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
    tolerance: Fraction
    exact_max_volume: Fraction
    equipment: tuple[Equipment, ...]
    served_by: tuple[int, ...]
    source_stock: Stock | None = None
    tablets: Fraction | None = None
    tablet_strength_mg: Fraction | None = None
    tablet_content_tolerance: Fraction = TABLET_CONTENT_TOLERANCE

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DilutionPlan:
        """Plan again from the inputs stored by :meth:`to_dict` (planning is deterministic)."""
        from .devices import device_from_dict
        from .equipment import equipment_from_dict

        try:
            src = data["source"]
            if "drug" in src:
                source: Any = Stock.from_dict(src)
                extra: dict[str, Any] = {}
            else:
                source = src["tablet_strength"]
                extra = {"tablets": src["tablets"],
                         "content_tolerance": src["content_tolerance"]}
            return plan_dilution(
                doses=data["doses"], source=source, device=device_from_dict(data["device"]),
                equipment=[equipment_from_dict(e) for e in data["equipment"]],
                max_volume=data["max_volume"], tolerance=data["tolerance"], **extra)
        except (KeyError, TypeError) as exc:
            raise InputError("data", data, "a dilution plan dict from to_dict()") from exc

    # -- the chain's stocks and their worst-case factors ------------------------------
    def _factors(self, index: int) -> tuple[Fraction, Fraction, Fraction]:
        """(low, high) concentration factors of liquid ``index`` before its make-up,
        and that make-up's tolerance."""
        if self.source_stock is not None:
            ct = self.source_stock.content_tolerance
            low, high = 1 - ct, 1 + ct
            vt = self.source_stock.effective_volume_tolerance
        else:
            t = self.tablet_content_tolerance
            low, high = 1 - t, 1 + t
            vt = Fraction(0)
        for step in self.steps[:index]:
            low, high = low / (1 + vt), high / (1 - vt)
            low, high = low * (1 - step.take_tolerance), high * (1 + step.take_tolerance)
            vt = step.make_up_tolerance
        return low, high, vt

    def stock_at(self, index: int) -> Stock:
        """The liquid after step ``index`` (0: the source stock) as a :class:`Stock`.

        A step's liquid is nominal: its drug and volume as planned, with
        ``content_tolerance`` and ``volume_tolerance`` 0. The error the chain
        carries into it is not a symmetric content tolerance (through a few
        steps it can exceed 100 %); it is in :meth:`exact_bounds_of`,
        :attr:`bounds` and the plan's measurements.
        """
        if index == 0:
            if self.source_stock is None:
                raise InputError("index", index, "a step number from 1: the source is tablets")
            return self.source_stock
        step = self.steps[index - 1]
        return Stock(drug=(step.exact_concentration * step.exact_make_up_to, "mg"),
                     volume=(step.exact_make_up_to, "mL"), content_tolerance=0,
                     volume_tolerance=0)

    @property
    def final_stock(self) -> Stock:
        """The last liquid of the chain (the source stock if there are no steps)."""
        return self.stock_at(len(self.steps))

    def measurement_of(self, i: int = 0) -> ChainMeasurement:
        """Dose ``i`` measured from the liquid that serves it, with the chain's bounds."""
        m = measure((self.exact_doses[i], "mg"), self.stock_at(self.served_by[i]), self.device)
        low, high, vt = self._factors(self.served_by[i])
        dt = device_volume_error(self.device)
        d = m.exact_delivered
        bounds = (d * low * (1 - dt) / (1 + vt), d * high * (1 + dt) / (1 - vt))
        fields = {str(f.alias): getattr(m, f.name) for f in attrs.fields(Measurement)}
        return ChainMeasurement(**fields, chain_bounds=bounds)

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

    # -- Monte Carlo -------------------------------------------------------------------
    def simulate(self, n: int = 100_000, seed: int = 0, *, dose_index: int = 0) -> SimulationResult:
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
        from ._convert import whole_number

        n = whole_number("n", 100, 10_000_000)(n)
        seed = whole_number("seed", 0, 2**63 - 1)(seed)
        if not isinstance(dose_index, int) or not 0 <= dose_index < len(self.exact_doses):
            raise InputError("dose_index", dose_index,
                             f"a whole number from 0 to {len(self.exact_doses) - 1}")
        import numpy as np

        rng = np.random.default_rng(seed)

        def draw(tol: Fraction) -> Any:
            t = float(tol)
            return 1.0 + rng.uniform(-t, t, n)

        j = self.served_by[dose_index]
        if self.source_stock is not None:
            s = self.source_stock
            conc = float(s.concentration_mg_per_ml) * draw(s.content_tolerance)
            conc = conc / draw(s.effective_volume_tolerance)
        else:
            conc = float(self.steps[0].exact_concentration) * draw(self.tablet_content_tolerance)
        for step in self.steps[:j]:
            if step.exact_take is not None:
                ratio = float(step.exact_take / step.exact_make_up_to)
                conc = conc * ratio * draw(step.take_tolerance)
            conc = conc / draw(step.make_up_tolerance)
        m = self.measurement_of(dose_index)
        delivered = conc * float(m.exact_volume) * draw(device_volume_error(self.device))
        target = float(self.exact_doses[dose_index])
        pct = np.percentile(delivered, PERCENTILES)
        within = np.abs(delivered / target - 1.0) <= float(self.tolerance)
        return SimulationResult(
            n=n, seed=seed, target_mg=target, tolerance=float(self.tolerance),
            percentiles_mg=tuple((p, float(v)) for p, v in zip(PERCENTILES, pct, strict=True)),
            mean_mg=float(delivered.mean()), within_tolerance=float(within.mean()),
        )

    # -- display -------------------------------------------------------------------
    def instructions(self) -> tuple[str, ...]:
        """Numbered instructions: the steps, then each dose."""
        lines = [f"{s.number}. {s.instruction()}" for s in self.steps]
        k = len(self.steps)
        for i, (m, j) in enumerate(zip(self.measurements, self.served_by, strict=True)):
            source = "the source stock" if j == 0 else f"the step {j} liquid"
            lines.append(f"{k + i + 1}. For {format_mass(m.exact_target)}: measure "
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
        doses = _and_list([format_mass(d) for d in self.exact_doses])
        k = len(self.steps)
        title = (f"Dilution plan for {doses}: {k} step{'' if k == 1 else 's'}"
                 if k else f"Dilution plan for {doses}: no dilution needed")
        rows = [
            ("Source", self._source_text()),
            ("Device", self.device.describe()),
            ("Tolerance", f"+/-{format_number(self.tolerance * 100)} % (rounding and dilution "
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
            warnings += [w for w in m.warnings if w not in warnings]
        for step in self.steps:
            if (isinstance(step.take_with, OralSyringe) and step.exact_take is not None
                    and step.exact_take <= SMALL_SYRINGE_VOLUME_ML):
                warnings.append(
                    f"step {step.number} draws {format_volume(step.exact_take)}: volumes of "
                    "0.1 mL and below missed a +/-10 % target in 1 mL oral syringes "
                    "(Arenas-Lopez et al. 2017); check the syringe's accuracy there")
        if self.source_stock is None:
            warnings.append("commercial tablets are film-coated with insoluble excipients: each "
                            "liquid is a suspension; shake well before every transfer")
        return Report(title=title, rows=tuple(rows), warnings=tuple(warnings),
                      footer=self.instructions())

    def to_dict(self) -> dict[str, Any]:
        out: list[dict[str, Any]] = []
        for m, j in zip(self.measurements, self.served_by, strict=True):
            low, high = m.exact_bounds
            out.append({"dose": format_mass(m.exact_target, None), "from_step": j,
                        "measurement": m.to_dict(),
                        "bounds": {"low": format_mass(low, None), "high": format_mass(high, None)}})
        return {
            "doses": [_exact_mass(d) for d in self.exact_doses],
            "source": self.source_stock.to_dict() if self.source_stock is not None else {
                "tablets": exact_text(self.tablets) if self.tablets is not None else None,
                "tablet_strength": _exact_mass(self.tablet_strength_mg)
                if self.tablet_strength_mg is not None else None,
                "content_tolerance": exact_text(self.tablet_content_tolerance)},
            "device": self.device.to_dict(),
            "tolerance": exact_text(self.tolerance),
            "max_volume": f"{exact_text(self.exact_max_volume)} mL",
            "equipment": [e.to_dict() for e in self.equipment],
            "steps": [s.to_dict() for s in self.steps],
            "liquid_made": format_volume(self.exact_liquid_made, None),
            "final_stock": self.final_stock.to_dict(),
            "results": out,
            "instructions": list(self.instructions()),
        }


# -- planning ----------------------------------------------------------------------------
@attrs.frozen
class _Setup:
    device: Device
    tolerance: Fraction
    max_volume: Fraction
    equipment: tuple[Equipment, ...]
    space: SearchSpace
    take_item: dict[Fraction, tuple[Fraction, Equipment]]
    make_up_item: dict[Fraction, tuple[Fraction, Equipment]]
    n_min: int
    n_max_device: int | None


def _best_items(items: Sequence[Equipment], limit: Fraction | None
                ) -> dict[Fraction, tuple[Fraction, Equipment]]:
    """Volume -> (relative tolerance, item): the most accurate item for each volume."""
    out: dict[Fraction, tuple[Fraction, Equipment]] = {}
    for item in items:
        for v in measurable_volumes(item):
            if limit is not None and v > limit:
                continue
            tol = relative_tolerance(item, v)
            held = out.get(v)
            if held is None or (tol, item.capacity_ml) < (held[0], held[1].capacity_ml):
                out[v] = (tol, item)
    return out


def _setup(device: Device, tolerance: Fraction, max_volume: Fraction,
           equipment: tuple[Equipment, ...]) -> _Setup:
    takes = _best_items([i for i in equipment if is_transfer(i)], None)
    containers = [i for i in equipment if is_container(i) and i.capacity_ml <= max_volume]
    make_ups = _best_items(containers, max_volume)
    scale = math.lcm(*(v.denominator for v in (*takes, *make_ups))) if takes or make_ups else 1
    space = SearchSpace(scale, tuple(sorted(int(v * scale) for v in takes)),
                        tuple(sorted(int(v * scale) for v in make_ups)))
    u = device.unit_volume_ml
    cap = device.capacity_ml
    n_min = 1
    if isinstance(device, OralSyringe):
        n_min = max(1, int(-(-(device.capacity_ml * MIN_SYRINGE_FILL) // u)))
    n_max = None if cap is None else int(cap // u)
    return _Setup(device, tolerance, max_volume, equipment, space, takes, make_ups, n_min, n_max)


def _window(setup: _Setup, doses: Sequence[Fraction]) -> tuple[Fraction, Fraction]:
    """A necessary range (mg/mL) for a concentration that serves every dose."""
    u = setup.device.unit_volume_ml
    tol = setup.tolerance
    n_max = setup.n_max_device
    if n_max is None:
        n_max = int(setup.max_volume // u)
    # The nearest count n of x = dose / (u * conc) must satisfy n_min <= n <= n_max
    # and |n / x - 1| <= tol, so x >= n_min - 1/2 and x >= n_min / (1 + tol), and
    # x < n_max + 1/2 and x <= n_max / (1 - tol).
    lo = max(d / (u * min(n_max / (1 - tol), n_max + Fraction(1, 2))) for d in doses)
    hi = min(d / (u * max(setup.n_min / (1 + tol), setup.n_min - Fraction(1, 2)))
             for d in doses)
    return lo, hi


def _serves(setup: _Setup, doses: Sequence[Fraction], conc: Fraction,
            volume: Fraction) -> Fraction | None:
    """Exact: the largest |rounding error| if measure gives every dose from ``conc``
    within tolerance and the device's limits, else None."""
    u = setup.device.unit_volume_ml
    cap = setup.device.capacity_ml
    worst = Fraction(0)
    for d in doses:
        x = d / (u * conc)
        count = round_to_int(x, "nearest")
        if count < setup.n_min or count * u > volume:
            return None
        if cap is not None and count * u > cap:
            return None
        err = abs(count / x - 1)
        if err > setup.tolerance:
            return None
        worst = max(worst, err)
    return worst


def _chain_steps(setup: _Setup, chain: Chain, first_number: int,
                 tablets: Fraction | None, strength: Fraction | None,
                 start_conc: Fraction | None) -> list[DilutionStep]:
    scale = setup.space.scale
    steps = []
    conc = start_conc
    for i, (b_int, a_int) in enumerate(zip(chain.make_ups, chain.takes, strict=True)):
        b = Fraction(b_int, scale)
        b_tol, b_item = setup.make_up_item[b]
        if a_int is None:
            assert tablets is not None and strength is not None
            conc = tablets * strength / b
            steps.append(DilutionStep(first_number + i, None, b, conc, None, b_item, Fraction(0),
                                      b_tol, tablets, strength))
        else:
            assert conc is not None
            a = Fraction(a_int, scale)
            a_tol, a_item = setup.take_item[a]
            conc = conc * a / b
            steps.append(DilutionStep(first_number + i, a, b, conc, a_item, b_item, a_tol, b_tol))
    assert conc == chain.concentration
    return steps


def _source(source: Any, tablets: Any) -> tuple[Stock | None, Fraction | None, Fraction | None]:
    if isinstance(source, Stock):
        if tablets is not None:
            raise InputError("tablets", tablets, "tablets only when source is a tablet strength")
        return source, None, None
    from .stock import _tablet_count

    try:
        strength = parse(source, MASS, "source")
    except InputError as exc:
        raise InputError("source", source,
                         "a Stock, or a tablet strength such as '50 mg'") from exc
    count = _tablet_count(1 if tablets is None else tablets)
    return None, count, strength


def _doses(dose: Any, doses: Any) -> tuple[Fraction, ...]:
    if doses is None:
        if dose is None:
            raise InputError("dose", None, "a dose such as '1 mcg', or doses=[...]")
        items = [dose]
    else:
        if dose is not None:
            raise InputError("doses", doses, "dose or doses, not both")
        if isinstance(doses, (str, bytes)) or not hasattr(doses, "__iter__"):
            raise InputError("doses", doses, "a list of doses such as ['1 mcg', '10 mcg']")
        items = list(doses)
        if not items:
            raise InputError("doses", doses, "at least one dose")
    out = tuple(parse(d, MASS, "dose") for d in items)
    for d in out:
        if d >= 45:  # measurement.DECIMAL_SLIP_MG: ten times the usual 4.5 mg maximum
            raise InputError("dose", format_mass(d), "a low dose below 45 mg (a larger one looks "
                             "like a decimal slip)",
                             kind=ErrorKind.DECIMAL_SLIP)
    return out


def plan_dilution(
    dose: Any = None,
    source: Any = "50 mg",
    device: Device | None = None,
    *,
    equipment: Any = DEFAULT_EQUIPMENT,
    max_volume: Any = "100 mL",
    tolerance: Any = 0.10,
    doses: Any = None,
    tablets: Any = None,
    content_tolerance: Any = TABLET_CONTENT_TOLERANCE,
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
    tolerance : number, default 0.1  [dimensionless]
        Largest nominal error of each dose (rounding to the device and dilution
        arithmetic). The worst case through the chain is reported, not held to it.
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
    targets = _doses(dose, doses)
    stock, count, strength = _source(source, tablets)
    content = fraction_between("content_tolerance", Fraction(0), Fraction(1))(content_tolerance)
    if device is None:
        device = OralSyringe()
    if not isinstance(device, (Dropper, OralSyringe)):
        raise InputError("device", device, "a Dropper or OralSyringe")
    tol = fraction_between("tolerance", Fraction(0), Fraction(1, 2), include_low=False)(tolerance)
    vmax = parse(max_volume, VOLUME, "max_volume")
    items = check_equipment(equipment)
    setup = _setup(device, tol, vmax, items)
    if not setup.space.make_ups:
        raise InputError("max_volume", format_volume(vmax),
                         "a volume that fits at least one container of the equipment (smallest: "
                         f"{format_volume(min(i.capacity_ml for i in items if is_container(i)))})")
    budget = Budget()
    try:
        plan = _plan(setup, targets, stock, count, strength, budget)
    except SearchTooLarge:
        raise NoPlanError(
            _and_list([format_mass(d) for d in targets]),
            f"the search examined {MAX_WORK:,} candidate chains without settling on a plan "
            f"for these {len(targets)} dose(s) with this equipment",
            "Would work: plan fewer doses at a time (each dose, or a narrower part of the "
            "ladder), or declare fewer equipment sizes",
        ) from None
    if plan is None:
        raise _no_plan(setup, targets, stock, count, strength)
    if stock is None and content != TABLET_CONTENT_TOLERANCE:
        plan = attrs.evolve(plan, tablet_content_tolerance=content)
    return plan


def _plan(setup: _Setup, targets: tuple[Fraction, ...], stock: Stock | None,
          count: Fraction | None, strength: Fraction | None,
          budget: Budget) -> DilutionPlan | None:
    order = sorted(range(len(targets)), key=lambda i: -targets[i])
    steps: list[DilutionStep] = []
    served = [0] * len(targets)
    pending = order
    while pending:
        group = _largest_group(setup, [targets[i] for i in pending])
        while True:
            chosen = [targets[i] for i in pending[:group]]
            found = _segment(setup, chosen, steps, stock, count, strength, budget)
            if found is not None or group == 1:
                break
            group -= 1
        if found is None:
            return None
        steps += found
        for i in pending[:group]:
            served[i] = len(steps)
        pending = pending[group:]
    return DilutionPlan(
        exact_doses=targets, steps=tuple(steps), device=setup.device, tolerance=setup.tolerance,
        exact_max_volume=setup.max_volume, equipment=setup.equipment, served_by=tuple(served),
        source_stock=stock, tablets=count, tablet_strength_mg=strength,
    )


def _largest_group(setup: _Setup, doses: list[Fraction]) -> int:
    """How many of the (descending) doses one concentration may serve."""
    n = 1
    while n < len(doses):
        lo, hi = _window(setup, doses[: n + 1])
        if lo > hi:
            break
        n += 1
    return n


def _segment(setup: _Setup, doses: list[Fraction], steps: list[DilutionStep],
             stock: Stock | None, count: Fraction | None, strength: Fraction | None,
             budget: Budget) -> list[DilutionStep] | None:
    """Steps that continue ``steps`` to a liquid serving ``doses`` (maybe none)."""
    window = _window(setup, doses)
    scale = setup.space.scale

    def serves(conc: Fraction, volume: int) -> Fraction | None:
        return _serves(setup, doses, conc, Fraction(volume, scale))

    liquid: tuple[Fraction, Fraction] | None = None  # (mg/mL, mL) of the liquid to dilute
    if steps:
        liquid = (steps[-1].exact_concentration, steps[-1].exact_make_up_to)
    elif stock is not None:
        liquid = (stock.concentration_mg_per_ml, stock.volume_ml)
    if liquid is not None:
        conc, vol = liquid
        if _serves(setup, doses, conc, vol) is not None:
            return []
        chain = search(setup.space, tablet_mg=None, stock_conc=conc,
                       stock_volume=math.floor(vol * scale), window=window, serves=serves,
                       max_conc=SOLUBILITY_MG_PER_ML, budget=budget)
        if chain is None:
            return None
        return _chain_steps(setup, chain, len(steps) + 1, None, None, conc)
    assert count is not None and strength is not None
    chain = search(setup.space, tablet_mg=count * strength, stock_conc=None, stock_volume=None,
                   window=window, serves=serves, max_conc=SOLUBILITY_MG_PER_ML, budget=budget)
    if chain is None:
        return None
    return _chain_steps(setup, chain, 1, count, strength, None)


# -- when there is no plan ----------------------------------------------------------------
def _no_plan(setup: _Setup, targets: tuple[Fraction, ...], stock: Stock | None,
             count: Fraction | None, strength: Fraction | None) -> NoPlanError:
    what = _and_list([format_mass(d) for d in targets])
    lo, hi = _window(setup, targets[:1] if len(targets) == 1 else [max(targets)])
    dev = setup.device.describe()
    smallest_b = Fraction(setup.space.make_ups[0], setup.space.scale)
    smallest_a = Fraction(setup.space.takes[0], setup.space.scale)
    biggest_b = Fraction(setup.space.make_ups[-1], setup.space.scale)
    if lo > hi:
        constraint = (f"the tolerance: +/-{format_number(setup.tolerance * 100)} % cannot be "
                      f"met with whole {setup.device.units} of the {dev}")
    elif stock is not None and stock.concentration_mg_per_ml < lo:
        constraint = (f"the source strength: {format_concentration(stock.concentration_mg_per_ml)}"
                      f" is weaker than the {format_concentration(lo)} the {dev} needs, and "
                      "dilution only weakens it")
    elif strength is not None and count is not None and count * strength / smallest_b < lo:
        constraint = (f"the smallest make-up volume: {format_volume(smallest_b)} gives "
                      f"{format_concentration(count * strength / smallest_b)}, weaker than the "
                      f"{format_concentration(lo)} the {dev} needs")
    else:
        constraint = (f"the dilution reachable in {MAX_STEPS} steps with transfers of at least "
                      f"{format_volume(smallest_a)} and make-up volumes of at most "
                      f"{format_volume(biggest_b)} (max_volume {format_volume(setup.max_volume)})"
                      f", or the +/-{format_number(setup.tolerance * 100)} % tolerance")
    return NoPlanError(what, constraint, _suggest(setup, targets, stock, count, strength))


def _suggest(setup: _Setup, targets: tuple[Fraction, ...], stock: Stock | None,
             count: Fraction | None, strength: Fraction | None) -> str:
    tries: list[tuple[str, _Setup]] = []
    finest = OralSyringe(capacity="0.5 mL")
    if not any(isinstance(i, OralSyringe) and i.capacity_ml <= Fraction(1, 2)
               for i in setup.equipment):
        tries.append((f"adding a {finest.describe()} to the equipment (transfers from 0.1 mL)",
                      _setup(setup.device, setup.tolerance, setup.max_volume,
                             (*setup.equipment, finest))))
    cylinder = GraduatedCylinder("100 mL")
    if setup.max_volume < 100:
        items = setup.equipment if any(is_container(i) and i.capacity_ml == 100
                                       for i in setup.equipment) else (*setup.equipment, cylinder)
        tries.append(("max_volume='100 mL' with a 100 mL graduated cylinder",
                      _setup(setup.device, setup.tolerance, Fraction(100), items)))
    for cap in (3, 1, 5, 10):
        syringe = OralSyringe(capacity=(cap, "mL"))
        if syringe != setup.device:
            tries.append((f"measuring the dose with a {syringe.describe()}",
                          _setup(syringe, setup.tolerance, setup.max_volume, setup.equipment)))
    for t in (Fraction(15, 100), Fraction(20, 100)):
        if t > setup.tolerance:
            tries.append((f"tolerance={format_number(t)}",
                          _setup(setup.device, t, setup.max_volume, setup.equipment)))
    if not any(isinstance(i, VolumetricFlask) for i in setup.equipment):
        flasks = tuple(VolumetricFlask((c, "mL")) for c in (25, 50, 100))
        tries.append(("class A volumetric flasks of 25, 50 and 100 mL",
                      _setup(setup.device, setup.tolerance, setup.max_volume,
                             (*setup.equipment, *flasks))))
    works = []
    for text, alt in tries:
        try:  # a smaller budget each: a suggestion must not take longer than the plan
            found = _plan(alt, targets, stock, count, strength, Budget(MAX_WORK // 10))
        except SearchTooLarge:
            found = None
        if found is not None:
            works.append(text)
        if len(works) == 2:
            break
    if works:
        return f"Would work: {join_words(works)}."
    return ("Nothing tried would work (a 0.5 mL syringe, max_volume 100 mL, another syringe for "
            "the dose, a wider tolerance, volumetric flasks): check the dose and the source.")
