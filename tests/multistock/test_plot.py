"""The plan's picture: requested and delivered curves, bounds, switches, log axis."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")

from ldn_compound import Dropper, OralSyringe, Stock, plan_taper


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


def _flagged_plan():
    """A 0.1 % tolerance no liquid meets: steps 3 and 4 are flagged; then a stop."""
    return plan_taper("4.5 mg", "3 mg", "14 days", Stock.from_tablets("50 mg", "10 mL"),
                      (OralSyringe("1 mL"),), reduction=0.1, max_cut_error=0.001,
                      to_zero=True)


def test_a_flagged_plan_is_drawn_step_by_step_with_its_flags():
    """The step lines run over each step's days (a stop drawn one day wide) at its
    delivered and requested doses, each at its stated width; each flagged step is shaded
    over its days in the flag colour and marked at its dose; the legend names each once."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgb

    from ldn_compound.multistock._plot import LINE_WIDTHS
    from ldn_compound.rendering import FLAGGED_COLOUR

    plan = _flagged_plan()
    steps = plan.steps
    flagged = plan.flagged
    assert len(flagged) >= 2 and steps[-1].days == 0  # two shaded spans, and a stop
    ax = plan.plot()
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    ends = [s.start_day for s in steps] + [steps[-1].start_day + 1]
    for label, dose in (("delivered", "exact_delivered"), ("requested", "exact_requested")):
        doses = [float(getattr(s, dose)) for s in steps]
        assert list(lines[label].get_xdata()) == ends
        assert list(lines[label].get_ydata()) == [*doses, doses[-1]]
        assert lines[label].get_linewidth() == LINE_WIDTHS[label]
    assert LINE_WIDTHS["requested"] < LINE_WIDTHS["delivered"]
    spans = [p for p in ax.patches if p.get_facecolor()[:3] == to_rgb(FLAGGED_COLOUR)]
    assert [(p.get_x(), p.get_width()) for p in spans] == [(s.start_day, s.days)
                                                           for s in flagged]
    marks = lines["FLAGGED dose"]
    assert list(marks.get_xdata()) == [s.start_day + s.days / 2 for s in flagged]
    assert list(marks.get_ydata()) == [float(s.exact_delivered) for s in flagged]
    labels = ax.get_legend_handles_labels()[1]
    assert labels.count("FLAGGED step") == labels.count("FLAGGED dose") == 1
    assert ax.get_title() == plan.report().title
    plt.close(ax.figure)


def test_without_matplotlib_the_plot_is_refused_naming_the_extra(monkeypatch):
    """No matplotlib: an InputError naming ``plot`` and what to install, not an ImportError."""
    import sys

    from ldn_compound import InputError

    plan = _flagged_plan()
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)  # import fails
    with pytest.raises(InputError) as info:
        plan.plot()
    exc = info.value
    assert (exc.parameter, exc.value, exc.kind.name) == ("plot", None, "INVALID")
    assert "matplotlib" in exc.expected
