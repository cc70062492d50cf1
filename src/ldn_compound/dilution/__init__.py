"""Serial dilution for microgram and nanogram doses, with propagated uncertainty.

:func:`plan_dilution` plans the chain; :class:`DilutionPlan` holds its steps
(:class:`DilutionStep`), each dose measured from its liquid
(:class:`ChainMeasurement`, bounds through the whole chain) and a Monte Carlo
of it (:class:`SimulationResult`). Inside, each module imports only those
before it: ``_search`` (the exact search), ``_setup`` (what the equipment
measures, the target window), ``_steps`` (a step, a dose measured from the
chain), ``_planner`` (segments, suggestions; returns the plan's pieces),
``_simulate`` (Monte Carlo), ``_plan`` (:class:`DilutionPlan` and
:func:`plan_dilution`).
"""

from ._plan import DilutionPlan, plan_dilution
from ._simulate import SimulationResult
from ._steps import ChainMeasurement, DilutionStep

__all__ = [
    "ChainMeasurement",
    "DilutionPlan",
    "DilutionStep",
    "SimulationResult",
    "plan_dilution",
]
