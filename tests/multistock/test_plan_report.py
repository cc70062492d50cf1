"""A plan's report: the stated cut tolerance, and the change column of each step."""

from __future__ import annotations

import re
from fractions import Fraction

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import Dropper, OralSyringe, Stock
from ldn_compound._exact import format_percent
from ldn_compound.multistock import plan_taper

PLAN = plan_taper("4.5 mg", "1 mg", "14 days", Stock.from_tablets("50 mg", "10 mL"),
                  (Dropper(20), OralSyringe("1 mL", "0.01 mL")), reduction=0.2)
CUT_ERROR = re.compile(r"each change within ([0-9.]+) % of the requested change \(relative\)")
CHANGE = PLAN.report().table_header.index("change asked -> given")


def _magnitude(x: Fraction) -> int:
    """``e`` with ``10**e <= x < 10**(e + 1)``, exact (``x > 0``)."""
    e = 0
    while Fraction(10) ** e > x:
        e -= 1
    while Fraction(10) ** (e + 1) <= x:
        e += 1
    return e


@settings(max_examples=60, deadline=None)
@given(st.fractions(Fraction(1, 10**6), 1).filter(lambda x: 0 < x <= 1))
def test_the_cut_error_row_states_the_tolerance_to_three_significant_figures(tol):
    """The "Cut error" row gives max_cut_error as a percentage of at most three
    significant figures, within half a unit of the third of the exact value."""
    rows = dict(attrs.evolve(PLAN, max_cut_error=tol).report().rows)
    m = CUT_ERROR.fullmatch(rows["Cut error"])
    assert m is not None
    shown, exact = Fraction(m[1]), tol * 100
    digits = m[1].replace(".", "").lstrip("0").rstrip("0")
    assert len(digits) <= 3
    assert abs(shown - exact) <= Fraction(10) ** (_magnitude(exact) - 2) / 2


def test_the_change_column_is_empty_without_a_requested_change():
    """A step with a delivered change but no requested one (None) shows no change; one
    with both shows the asked then the given change; the first step shows none."""
    steps = list(PLAN.steps)
    second = steps[1]
    assert second.change is not None and second.delivered_change is not None
    table = PLAN.report().table
    assert table[0][CHANGE] == ""
    assert table[1][CHANGE] == (f"{format_percent(second.change)} -> "
                                f"{format_percent(second.delivered_change)}")
    steps[1] = attrs.evolve(second, change=None)
    unasked = attrs.evolve(PLAN, steps=tuple(steps)).report().table
    assert unasked[1][CHANGE] == ""
    assert unasked[2] == table[2]
