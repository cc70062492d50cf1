"""The picture of a schedule: requested and delivered dose, worst-case bounds, flagged steps.

matplotlib is the optional ``plot`` extra, imported only here, when called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..rendering import FLAGGED_COLOUR

if TYPE_CHECKING:
    from ._schedule import Schedule

__all__ = ["plot_schedule"]


def plot_schedule(schedule: Schedule, ax: Any = None) -> Any:
    """Draw ``schedule`` on ``ax`` (a new figure if None); returns the axes.

    Doses in mg against the day: the requested dose as a dashed step line, the
    delivered dose as a solid one with its worst-case band, and each flagged
    step shaded red with a cross and the word "FLAGGED" in the legend, so a
    flagged step is told by colour, mark and word.
    """
    try:
        import matplotlib.pyplot as plt  # type: ignore[import-not-found, unused-ignore]
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("Schedule.plot needs matplotlib: pip install "
                          "'ldn-compound[plot]'") from exc
    if ax is None:
        _, ax = plt.subplots()
    steps = schedule.steps
    days = [s.start_day for s in steps] + [steps[-1].end_day]

    def line(values: list[float]) -> list[float]:
        return [*values, values[-1]]

    nan = float("nan")
    requested = [float(s.exact_dose) for s in steps]
    delivered = [float(s.exact_dose if s.measurement is None
                       else s.measurement.exact_delivered) for s in steps]
    low = [float(s.measurement.exact_bounds[0]) if s.measurement else nan for s in steps]
    high = [float(s.measurement.exact_bounds[1]) if s.measurement else nan for s in steps]
    ax.fill_between(days, line(low), line(high), step="post", color="C0", alpha=0.2,
                    label="worst-case bounds")
    ax.step(days, line(delivered), where="post", color="C0", linewidth=2,
            label="delivered dose")
    ax.step(days, line(requested), where="post", color="#222222", linestyle=(0, (4, 3)),
            linewidth=1.2, label="requested dose")
    flagged = [s for s in steps if not s.ok]
    for n, s in enumerate(flagged):
        ax.axvspan(s.start_day, s.end_day, color=FLAGGED_COLOUR, alpha=0.12, linewidth=0,
                   label=None if n else "FLAGGED step")
    if flagged:
        ax.plot([(s.start_day + s.end_day) / 2 for s in flagged],
                [float(s.exact_dose) for s in flagged], "X", color=FLAGGED_COLOUR,
                markersize=9, linestyle="none", label="FLAGGED dose")
    ax.set_xlabel("day")
    ax.set_ylabel("dose (mg)")
    ax.set_title(schedule.report().title)
    ax.legend(fontsize="small")
    return ax
