"""Monte Carlo of a dilution plan: every relative error drawn within its tolerance."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from .._convert import whole_number
from .._exact import format_number
from .._records import stamp
from ..devices import device_volume_error
from ..errors import InputError
from ..rendering import Rendered, Report, format_mass

if TYPE_CHECKING:
    import pint

    from ._plan import DilutionPlan

__all__ = ["PERCENTILES", "SimulationResult", "simulate"]

#: Percentiles a simulation reports.
PERCENTILES = (0.5, 2.5, 50.0, 97.5, 99.5)


@attrs.frozen(repr=False)
class SimulationResult(Rendered):
    """Monte Carlo percentiles of the delivered dose (mg, as floats).

    Equal for equal inputs and seed. ``percentiles`` maps each percentile in
    ``PERCENTILES`` to a Quantity; ``within_tolerance`` is the share of
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
        from ..units import Q_

        return {p: Q_(v, "mg") for p, v in self.percentiles_mg}

    def percentile(self, p: float) -> pint.Quantity:
        """The delivered dose at percentile ``p`` (one of 0.5, 2.5, 50, 97.5, 99.5) [mass]."""
        for q, v in self.percentiles_mg:
            if q == p:
                from ..units import Q_

                return Q_(v, "mg")
        raise InputError("p", p, f"one of {', '.join(format_number(q) for q in PERCENTILES)}")

    def report(self) -> Report:
        """The rows every display shows (text, notebook HTML), as a ``Report``."""
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

    RECORD = "simulation_result"

    def to_dict(self) -> dict[str, Any]:
        """The ``ldn_compound/simulation_result@1`` record.

        The draws are floats: ``*_mg`` fields are the float values exactly as drawn
        (read back), the others display them (checked). Drawing again needs the plan:
        ``plan.simulate(n, seed=seed)``.
        """
        return stamp(self.RECORD, {
            "n": self.n, "seed": self.seed,
            "target_mg": self.target_mg, "tolerance": self.tolerance,
            "percentiles_mg": [[p, v] for p, v in self.percentiles_mg],
            "mean_mg": self.mean_mg,
            "target": format_mass(Fraction(repr(self.target_mg))),
            "percentiles": {format_number(Fraction(repr(p))): format_mass(Fraction(repr(v)), 8)
                            for p, v in self.percentiles_mg},
            "mean": format_mass(Fraction(repr(self.mean_mg)), 8),
            "within_tolerance": self.within_tolerance,
        })

    @classmethod
    def _from_record(cls, data: dict[str, Any]) -> SimulationResult:
        def real(name: str, value: Any) -> float:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise InputError(name, value, "a number")
            return float(value)

        def pair(item: Any) -> tuple[float, float]:
            if not isinstance(item, list) or len(item) != 2:
                raise InputError("percentiles_mg", item, "a [percentile, mg] pair")
            return real("percentiles_mg", item[0]), real("percentiles_mg", item[1])

        pairs = data["percentiles_mg"]
        if not isinstance(pairs, list):
            raise InputError("percentiles_mg", pairs, "a list of [percentile, mg] pairs")
        return cls(n=whole_number("n", 100, 10_000_000)(data["n"]),
                   seed=whole_number("seed", 0, 2**63 - 1)(data["seed"]),
                   target_mg=real("target_mg", data["target_mg"]),
                   tolerance=real("tolerance", data["tolerance"]),
                   percentiles_mg=tuple(pair(item) for item in pairs),
                   mean_mg=real("mean_mg", data["mean_mg"]),
                   within_tolerance=real("within_tolerance", data["within_tolerance"]))


def simulate(plan: DilutionPlan, n: Any, seed: Any, dose_index: Any) -> SimulationResult:
    """:meth:`DilutionPlan.simulate`: draw every error of the chain and the device ``n`` times."""
    n = whole_number("n", 100, 10_000_000)(n)
    seed = whole_number("seed", 0, 2**63 - 1)(seed)
    if not isinstance(dose_index, int) or not 0 <= dose_index < len(plan.exact_doses):
        raise InputError("dose_index", dose_index,
                         f"a whole number from 0 to {len(plan.exact_doses) - 1}")
    import numpy as np

    rng = np.random.default_rng(seed)

    def draw(tol: Fraction) -> Any:
        t = float(tol)
        return 1.0 + rng.uniform(-t, t, n)

    j = plan.served_by[dose_index]
    if plan.source_stock is not None:
        s = plan.source_stock
        conc = float(s.concentration_mg_per_ml) * draw(s.content_tolerance)
        conc = conc / draw(s.effective_volume_tolerance)
    else:
        conc = float(plan.steps[0].exact_concentration) * draw(plan.tablet_content_tolerance)
    for step in plan.steps[:j]:
        if step.exact_take is not None:
            ratio = float(step.exact_take / step.exact_make_up_to)
            conc = conc * ratio * draw(step.take_tolerance)
        conc = conc / draw(step.make_up_tolerance)
    m = plan.measurement_of(dose_index)
    delivered = conc * float(m.exact_volume) * draw(device_volume_error(plan.device))
    target = float(plan.exact_doses[dose_index])
    pct = np.percentile(delivered, PERCENTILES)
    within = np.abs(delivered / target - 1.0) <= float(plan.max_rounding_error)
    return SimulationResult(
        n=n, seed=seed, target_mg=target, tolerance=float(plan.max_rounding_error),
        percentiles_mg=tuple((p, float(v)) for p, v in zip(PERCENTILES, pct, strict=True)),
        mean_mg=float(delivered.mean()), within_tolerance=float(within.mean()),
    )
