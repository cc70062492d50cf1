"""Multi-stock plans: tapers that stay hyperbolic to the end, and titrations up.

:func:`plan_taper` follows a requested curve (a fixed share of the current
dose, or equal steps of receptor occupancy: Horowitz & Taylor, Lancet
Psychiatry 2019) and switches to a weaker liquid when the next cut cannot be
measured finely enough; :func:`plan_titration` is the same plan in reverse.

Inside: ``_curve`` the requested doses, ``_planner`` the liquid rule,
``_verdict`` the verdict on each step, ``_liquids`` the liquids and batches,
``_result`` the plan (a versioned record), ``_plot`` its picture.
"""

from __future__ import annotations

from ._build import DEFAULT_DILUTIONS, DEFAULT_MAX_CUT_ERROR, plan_taper, plan_titration
from ._curve import Occupancy
from ._liquids import Liquid, LiquidBatch
from ._result import PlanStep, TaperPlan

__all__ = [
    "DEFAULT_DILUTIONS",
    "DEFAULT_MAX_CUT_ERROR",
    "Liquid",
    "LiquidBatch",
    "Occupancy",
    "PlanStep",
    "TaperPlan",
    "plan_taper",
    "plan_titration",
]
