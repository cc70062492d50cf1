"""A step's, batch's, schedule's and supply's record, CSV row and report: every field is
the arithmetic it names, every stored input is read back, and a bad input is refused
naming its field."""

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import Dropper, InputError, Schedule, Stock
from ldn_compound.strategies import schedules, tapers

STOCK = Stock("50 mg", "5 mL")  # 10 mg/mL, 0.5 mg per 20/mL drop
# steps 1 and 4 are below one drop (unmeasurable, flagged); 2 and 3 measure
MIXED = Schedule([("0.1 mg", 3), ("1 mg", 3), ("4.5 mg", 2), ("0.01 mg", 2)], STOCK,
                 Dropper(20), start_date="2026-01-01")
DATE = st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)))


def _number(text):
    """The number of a safely written display field in mg or mL (``97.5 mcg`` -> 0.0975)."""
    value = float(re.match(r"[\d.,]+", text).group().replace(",", ""))
    return value / 1000 if text.endswith(" mcg") else value


def _close(text, exact):
    """A display field written to 8 figures: within 1e-7 of the exact value."""
    return abs(_number(text) - float(exact)) <= 1e-7 * max(1, abs(float(exact)))


def _with_date(s, date):
    return s if date is None else s.with_start_date(date)


@settings(max_examples=10, deadline=None)
@given(schedules(), DATE)
def test_step_record_fields_and_read_back(s, date):
    """Each step record field equals its arithmetic; a step read back equals the step."""
    s = _with_date(s, date)
    for step in s.steps:
        d = step.to_dict()
        assert d["days"] == step.end_day - step.start_day
        assert d["start_day"] == step.start_day
        first = s.start_date
        assert d["start_date"] == (None if first is None else
                                   (first + dt.timedelta(days=step.start_day)).isoformat())
        assert type(step).from_dict(d) == step
        m = step.measurement
        if m is None:
            continue
        assert d["count"] == m.count
        assert isinstance(d["rounding_error"], float)
        assert d["rounding_error"] == float(m.exact_rounding_error)
        low, high = m.exact_bounds
        assert _close(d["delivered"], m.exact_delivered)
        assert _close(d["low"], low) and _close(d["high"], high)
        assert _close(d["volume"], m.exact_volume)


def test_unmeasurable_step_fields():
    """A step below one unit has no count, volume or bounds in its record and CSV row,
    and is read back with its problem, fix and date."""
    for step in (MIXED.steps[0], MIXED.steps[3]):
        assert step.measurement is None and not step.ok
        d, row = step.to_dict(), step.csv_row()
        for key in ("count", "volume", "delivered", "rounding_error", "low", "high"):
            assert d[key] is None, key
        for key in ("count", "volume_mL", "delivered_mg", "rounding_error", "low_mg", "high_mg"):
            assert row[key] is None, key
        assert row["days"] == step.days and row["ok"] is False
        back = type(step).from_dict(d)
        assert back == step and back.fix == step.fix and back.start_date == step.start_date
    measured = MIXED.steps[1]
    row = measured.csv_row()
    assert row["count"] == measured.measurement.count
    assert _close(row["high_mg"], measured.measurement.exact_bounds[1])


@pytest.mark.parametrize(("field", "value"), [
    ("step", 10_001), ("step", 0), ("days", 100_001), ("days", 0), ("start_day", -1),
    ("fix", 3), ("problem", 3), ("doses_per_day", 25), ("dose_mg", "x"),
    ("cut_exact", "x"), ("start_date", "not a date"),
])
def test_step_record_refuses_bad_input(field, value):
    """A stored input out of its range or of the wrong type is refused naming the field."""
    d = MIXED.steps[1].to_dict()
    d[field] = value
    with pytest.raises(InputError) as exc:
        type(MIXED.steps[1]).from_dict(d)
    assert exc.value.parameter == field


def test_step_report_rows():
    """A dated step's report: dose, days counted from day 1, dates, measure, verdict."""
    for step in MIXED.steps:
        end = step.start_day + step.days
        first = dt.date(2026, 1, 1) + dt.timedelta(days=step.start_day)
        last = dt.date(2026, 1, 1) + dt.timedelta(days=end - 1)
        rows = dict(step.report().rows)
        assert list(rows) == ["Dose", "Days", "Dates", "Measure", "Verdict"]
        assert rows["Days"] == (f"{step.start_day + 1} to {end} ({step.days} days; "
                                "day 1 is the first dose)")
        assert rows["Dates"] == f"{first.isoformat()} to {last.isoformat()}"
    undated = MIXED.with_start_date(None).steps[1].report()
    assert [k for k, _ in undated.rows] == ["Dose", "Days", "Measure", "Verdict"]


def test_schedule_record_warnings():
    """The schedule record lists its warnings, flagged steps first."""
    d = MIXED.to_dict()
    assert d["warnings"] == list(MIXED.warnings)
    assert d["warnings"][0].startswith("step 1 ")


@settings(max_examples=8, deadline=None)
@given(tapers(), DATE)
def test_schedule_record_reads_back(s, date):
    """A taper (with its reduction) read back from its record is the same schedule."""
    s = _with_date(s, date)
    d = s.to_dict()
    assert d["reduction"] is not None
    back = Schedule.from_dict(d)
    assert back.reduction == s.reduction and back.to_dict() == s.to_dict()
