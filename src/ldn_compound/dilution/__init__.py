"""Serial dilution for microgram and nanogram doses, with propagated uncertainty.

:func:`plan_dilution` plans the chain; :class:`DilutionPlan` holds its steps
(:class:`DilutionStep`), each dose measured from its liquid
(:class:`ChainMeasurement`, bounds through the whole chain) and a Monte Carlo
of it (:class:`SimulationResult`). Inside: ``_planner`` (equipment, windows,
segments, suggestions), ``_search`` (the exact search), ``_results`` and
``_simulate``.
"""

from ._planner import plan_dilution
from ._results import ChainMeasurement, DilutionPlan, DilutionStep
from ._simulate import SimulationResult

__all__ = [
    "ChainMeasurement",
    "DilutionPlan",
    "DilutionStep",
    "SimulationResult",
    "plan_dilution",
]
