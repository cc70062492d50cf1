"""The plan's picture: requested and delivered curves, bounds, switches, log axis."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from ldn_compound import Dropper, OralSyringe, Stock, plan_taper  # noqa: E402


def test_plot_marks_every_switch_and_takes_a_log_axis():
    """One vertical line per liquid switch; the log axis is logarithmic; curves are drawn."""
    import matplotlib.pyplot as plt

    plan = plan_taper("4.5 mg", "0.05 mg", "14 days", Stock.from_tablets("50 mg", "10 mL"),
                      [Dropper(20), OralSyringe("1 mL")], reduction=0.1, to_zero=True)
    switches = sum(s.switch is not None for s in plan.steps)
    for log in (False, True):
        ax = plan.plot(log=log)
        vertical = [ln for ln in ax.get_lines() if len(set(ln.get_xdata())) == 1]
        assert len(vertical) == switches == len(plan.liquids) - 1
        assert ax.get_yscale() == ("log" if log else "linear")
        labels = ax.get_legend_handles_labels()[1]
        assert {"requested", "delivered", "worst case"} <= set(labels)
        plt.close(ax.figure)
