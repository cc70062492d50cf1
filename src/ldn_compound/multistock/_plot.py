"""The picture of a plan: requested curve, delivered doses with bounds, switches.

matplotlib is the optional ``plot`` extra, imported only here, when called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..rendering import FLAGGED_COLOUR

if TYPE_CHECKING:
    from ._result import TaperPlan

__all__ = ["LINE_WIDTHS", "plot_plan"]

#: Widths of the step lines, points: the delivered doses drawn over the thinner,
#: dashed requested curve.
LINE_WIDTHS = {"delivered": 2.0, "requested": 1.2}


def plot_plan(plan: TaperPlan, ax: Any = None, *, log: bool = False) -> Any:
    """Draw ``plan`` on ``ax`` (a new figure if None); returns the axes.

    Doses in mg against the day; the requested curve as a dashed step line,
    the delivered doses as a step line with their worst-case band, and a
    vertical line where a new liquid starts. ``log`` puts the dose on a log
    axis (a stop at 0 is left out there).
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - the plot extra is in the test extra
        raise InputError("plot", None, "matplotlib installed: pip install "
                                       "'ldn-compound[plot]'") from exc
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    steps = [s for s in plan.steps if not (log and s.measurement is None)]
    days = [s.start_day for s in steps] + [steps[-1].start_day + max(steps[-1].days, 1)]

    def line(values: list[float]) -> list[float]:
        return [*values, values[-1]]

    requested = [float(s.exact_requested) for s in steps]
    delivered = [float(s.exact_delivered) for s in steps]
    low = [float(s.exact_bounds[0]) for s in steps]
    high = [float(s.exact_bounds[1]) for s in steps]
    ax.step(days, line(delivered), where="post", color="C0",
            linewidth=LINE_WIDTHS["delivered"], label="delivered")
    ax.step(days, line(requested), where="post", linestyle=(0, (4, 3)), color="#222222",
            linewidth=LINE_WIDTHS["requested"], label="requested")
    ax.fill_between(days, line(low), line(high), step="post", color="C0", alpha=0.2,
                    label="worst case")
    for s in steps:
        if s.switch is not None:
            ax.axvline(s.start_day, color="C3", linewidth=0.8)
            ax.annotate(f"liquid {s.liquid}", (s.start_day, max(high)), rotation=90,
                        fontsize=8, va="top", ha="right", color="C3")
    flagged = [s for s in steps if s.problem is not None]
    for n, s in enumerate(flagged):  # colour, mark and word, as the page marks them
        ax.axvspan(s.start_day, s.start_day + max(s.days, 1), color=FLAGGED_COLOUR,
                   alpha=0.12, linewidth=0, label=None if n else "FLAGGED step")
    if flagged:
        ax.plot([s.start_day + max(s.days, 1) / 2 for s in flagged],
                [float(s.exact_delivered) for s in flagged], "X", color=FLAGGED_COLOUR,
                markersize=9, linestyle="none", label="FLAGGED dose")
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("day")
    ax.set_ylabel("daily dose (mg)")
    ax.set_title(plan.report().title)
    ax.legend(loc="best", fontsize=8)
    return ax
