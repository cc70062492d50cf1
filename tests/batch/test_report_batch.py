"""A batch's report and warnings: each row and each count checked against the arrays."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings

from ldn_compound import BatchMeasurement, Status
from ldn_compound._exact import format_number, format_percent
from ldn_compound._rules import DECIMAL_SLIP_MG, LDN_BAND, MIN_FILL, ROUNDING_WARNING, SMALL_SYRINGE
from ldn_compound.rendering import format_mass

from ._cases import Case, cases


def _of(n: int, total: int) -> str:
    return f"{n:,} of {total:,} doses {'is' if n == 1 else 'are'} "


def expected_warnings(b: BatchMeasurement, unit: str) -> list[tuple[str, str]]:
    """(prefix, phrase) of each batch warning, in order: the count of each finding."""
    s, f, total = b.summary, b.flags, len(b)
    low_fill = int(np.count_nonzero(f.below_min_fill & ~f.small_syringe_volume))
    found = [
        (s["high_dose"], format_mass(DECIMAL_SLIP_MG) + " or more"),
        (s["rounds_to_zero"], f"less than half a {unit}"),
        (s["over_capacity"], "more than the device measures at once"),
        (int(np.count_nonzero(f.large_rounding)),
         f"changed by more than {format_number(ROUNDING_WARNING * 100)} % by rounding to "
         f"whole {unit}s"),
        (int(np.count_nonzero(f.small_syringe_volume)), SMALL_SYRINGE),
        (low_fill, f"below {format_number(MIN_FILL * 100)} % of the oral syringe"),
        (int(np.count_nonzero(f.above_ldn_band)), f"above {LDN_BAND}"),
    ]
    return [(_of(n, total), phrase) for n, phrase in found if n]


def _unit(case: Case) -> str:
    units = {device.unit for _, _, device in case.scalar}
    return units.pop() if len(units) == 1 else "unit"


@settings(max_examples=50, deadline=None)
@given(cases())
def test_report_rows_are_the_arrays_summarised(case: Case) -> None:
    """Doses, statuses, counts, largest error and delivered range are those of the arrays."""
    b = case.measure()
    r = b.report()
    rows = dict(r.rows)
    assert [label for label, _ in r.rows][:6] == [
        "Doses", "Rounding", "Measurable", "Rounds to 0", "Over the device's capacity",
        f"Refused as >= {format_mass(DECIMAL_SLIP_MG)}"]
    shape = f" (shape {b.shape})" if len(b.shape) > 1 else ""
    assert rows["Doses"] == f"{len(b):,}{shape}" and rows["Rounding"] == case.rounding
    counts = [rows[label] for label, _ in r.rows[2:6]]
    assert counts == [f"{int(np.count_nonzero(b.status == s)):,}" for s in Status]
    ok = b.ok
    n_ok = int(np.count_nonzero(ok))
    assert r.title == f"{len(b):,} dose{'' if len(b) == 1 else 's'}: {n_ok:,} measurable"
    assert r.warnings == b.warnings
    if not n_ok:
        assert len(r.rows) == 6
        return
    assert len(r.rows) == 9
    unit = _unit(case)
    assert rows["Counts"] == f"{int(b.count[ok].min()):,} to {int(b.count[ok].max()):,} {unit}s"
    errors = b.rounding_error[ok]
    worst = float(errors[np.argmax(np.abs(errors))])
    assert abs(worst) == float(np.max(np.abs(errors)))
    assert rows["Largest rounding error"] == (format_percent(Fraction(repr(worst))) if worst
                                              else "0 %")
    d = b.delivered_mg[ok]
    assert rows["Delivered"] == (f"{format_mass(Fraction(repr(float(d.min()))))} to "
                                 f"{format_mass(Fraction(repr(float(d.max()))))}")


@settings(max_examples=50, deadline=None)
@given(cases())
def test_each_warning_counts_its_finding(case: Case) -> None:
    """One warning per finding present, in order, each 'n of total doses is/are' that many."""
    b = case.measure()
    expected = expected_warnings(b, _unit(case))
    stock_warnings = list(dict.fromkeys(w for _, stock, _ in case.scalar for w in stock.warnings))
    assert len(b.warnings) == len(expected) + len(stock_warnings)
    for w, (prefix, phrase) in zip(b.warnings, expected, strict=False):
        assert w.startswith(prefix) and phrase in w, (w, prefix, phrase)
    assert list(b.warnings[len(expected):]) == stock_warnings
