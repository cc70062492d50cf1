"""pandas tables (issue 24): to_frame() on batches, schedules, supplies and taper plans,
numbers in numeric columns with units in the names, CSV round trips, and pandas input."""

from __future__ import annotations

import io
import sys
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import (
    Dropper,
    InputError,
    OralSyringe,
    Stock,
    UnmeasurableDoseError,
    measure,
    measure_many,
    plan_taper,
    titrate,
)
from ldn_compound.strategies import devices, doses, schedules, stocks

DATES = {"start_date", "end_date", "last_use_date"}


def _round_trip(frame):
    """The frame written as CSV and read back, dates parsed as dates."""
    text = frame.to_csv()
    dates = [c for c in frame.columns if c in DATES]
    return pd.read_csv(io.StringIO(text), index_col=list(range(frame.index.nlevels)),
                       parse_dates=dates)


def _assert_same_after_csv(frame):
    """Every numeric, boolean and date column comes back with its kind and values."""
    back = _round_trip(frame)
    assert list(back.columns) == list(frame.columns)
    assert list(back.index) == list(frame.index)
    for name in frame.columns:
        kind = frame[name].dtype.kind
        if kind in "fiub":
            assert back[name].dtype.kind == kind, name
            np.testing.assert_array_equal(back[name].to_numpy(), frame[name].to_numpy(),
                                          err_msg=name)
        elif kind == "M":
            assert back[name].dtype.kind == "M", name
            assert list(back[name]) == list(frame[name]), name
        else:  # text: missing stays missing
            assert back[name].isna().tolist() == frame[name].isna().tolist(), name
            assert back[name].dropna().tolist() == frame[name].dropna().tolist(), name


@settings(max_examples=40, deadline=None)
@given(st.lists(doses(min_value="0.01", max_value="60"), min_size=1, max_size=12),
       stocks(), devices())
def test_batch_frame_is_measure_row_by_row_and_survives_csv(ds, stock, device):
    """Each row of measure_many(...).to_frame() is measure()'s numbers; CSV keeps them."""
    b = measure_many(ds, stock, device)
    f = b.to_frame()
    assert f.index.name == "dose" and len(f) == len(ds)
    assert f["count"].dtype == np.int64 and f["ok"].dtype == bool
    for col in ("dose_mg", "volume_mL", "delivered_mg", "rounding_error", "low_mg",
                "high_mg"):
        assert f[col].dtype == np.float64
    for i, dose in enumerate(ds):
        row = f.iloc[i]
        assert row["status"] == str(b.status_names[i])
        try:
            m = measure(dose, stock, device)
        except Exception:  # refused or unmeasurable: the row says so, with no numbers
            assert not row["ok"] and row["count"] == 0 and np.isnan(row["volume_mL"])
            continue
        assert row["ok"] and row["count"] == m.count
        assert row["volume_mL"] == float(m.exact_volume)
        assert row["delivered_mg"] == float(m.exact_delivered)
        assert (row["low_mg"], row["high_mg"]) == tuple(float(x) for x in m.exact_bounds)
    _assert_same_after_csv(f)


@settings(max_examples=25, deadline=None)
@given(schedules(), st.booleans())
def test_schedule_and_supply_frames_match_their_steps_and_survive_csv(schedule, dated):
    """Schedule.to_frame() has a row a step (flagged ones kept); Supply's a row a bottle."""
    if dated:
        schedule = schedule.with_start_date("2026-11-22")
    f = schedule.to_frame()
    assert list(f.index) == [s.number for s in schedule.steps]
    assert ("start_date" in f.columns) == (schedule.start_date is not None)
    for s in schedule.steps:
        row = f.loc[s.number]
        assert row["dose_mg"] == float(s.exact_dose) and row["ok"] == s.ok
        assert (row["problem"] if s.problem else None) == s.problem or pd.isna(row["problem"])
        if s.measurement is None:
            assert row["count"] == 0 and np.isnan(row["delivered_mg"])
        else:
            assert row["count"] == s.measurement.count
            assert row["delivered_mg"] == float(s.measurement.exact_delivered)
    _assert_same_after_csv(f)
    try:
        supply = schedule.supply()
    except (InputError, UnmeasurableDoseError):  # a step that cannot be measured: no supply
        return
    g = supply.to_frame()
    assert g["tablets"].sum() == supply.tablets
    assert g["volume_mL"].tolist() == [float(b.exact_volume) for b in supply.batches]
    assert g["label"].tolist() == list(supply.labels)
    _assert_same_after_csv(g)


def test_titration_frame_worked_example():
    """The README's 1.5 to 4.5 mg titration: 6 to 18 drops, 0.3 to 0.9 mL (0.25 mg a drop)."""
    s = titrate("1.5 mg", "0.5 mg", "4.5 mg", every="2 weeks",
                stock=Stock.from_tablets("50 mg", "10 mL"), device=Dropper(),
                start_date="2026-11-22")
    f = s.to_frame()
    assert f["count"].tolist() == [6, 8, 10, 12, 14, 16, 18]
    assert f["volume_mL"].tolist() == [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
    assert f["start_date"].iloc[1] == pd.Timestamp("2026-12-06")
    sup = s.supply().to_frame()
    assert sup["discard_day"].tolist() == [14, 28, 42, 56, 70, 84, 98]


def test_taper_plan_frame():
    """plan_taper's frame: a row a step, liquids named, cuts as fractions, CSV-safe."""
    plan = plan_taper("4.5 mg", "0.05 mg", "14 days", Stock.from_tablets("50 mg", "10 mL"),
                      [Dropper(20), OralSyringe("1 mL", "0.01 mL")], reduction="10 %",
                      start_date="2026-11-22")
    f = plan.to_frame()
    assert len(f) == len(plan.steps) and set(f["liquid"]) == {liq.name for liq in plan.liquids}
    assert f["requested_mg"].iloc[0] == 4.5 and f["change"].iloc[1] == -0.1
    assert f["delivered_mg"].tolist() == [float(s.exact_delivered) for s in plan.steps]
    assert f["switch"].sum() == len(plan.liquids) - 1
    assert f["ok"].all()
    _assert_same_after_csv(f)


def test_batch_frame_of_a_grid_has_one_index_level_an_axis():
    """A 2-d batch (doses x stocks, broadcast) is a frame with a two-level index."""
    b = measure_many((np.array([[0.5], [4.5]]), "mg"),
                     [Stock.from_tablets("50 mg", "10 mL"), Stock.from_tablets("50 mg", "20 mL")],
                     Dropper())
    f = b.to_frame()
    assert f.index.nlevels == 2 and len(f) == 4
    assert f.loc[(1, 0), "count"] == 18 and f.loc[(1, 1), "count"] == 36


@pytest.mark.parametrize("make", [
    lambda: measure_many(["1 mg"], Stock.from_tablets("50 mg", "10 mL"), Dropper()),
    lambda: titrate("1 mg", "0.5 mg", "2 mg", every="1 week",
                    stock=Stock.from_tablets("50 mg", "10 mL"), device=Dropper()),
])
def test_without_pandas_the_library_error_says_how_to_install(make, monkeypatch):
    """No pandas: to_frame() raises InputError naming the extra, not ImportError."""
    result = make()
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(InputError) as info:
        result.to_frame()
    assert info.value.parameter == "to_frame"
    assert "ldn-compound[pandas]" in str(info.value.expected)


def test_measure_many_reads_pandas_columns_as_numpy_arrays():
    """A Series with a unit, a column of text and an Index are read as arrays and lists are."""
    stock, dropper = Stock.from_tablets("50 mg", "10 mL"), Dropper()
    table = pd.DataFrame({"dose_mg": [0.25, 4.5], "dose": ["250 mcg", "4.5 mg"]})
    expected = measure_many((np.array([0.25, 4.5]), "mg"), stock, dropper)
    for doses_in in ((table["dose_mg"], "mg"), table["dose"], pd.Index(table["dose"]),
                     (table["dose_mg"].astype("float32"), "mg"), np.array(table["dose"])):
        b = measure_many(doses_in, stock, dropper)
        assert b.count.tolist() == expected.count.tolist() == [1, 18]
        assert b.delivered_mg.tolist() == expected.delivered_mg.tolist()


@pytest.mark.parametrize(("doses_in", "parameter"), [
    (pd.Series([0.5, 4.5]), "doses"),                         # numbers with no unit
    (pd.Series(["0.5 mg", None]), "doses[1]"),                # a missing dose
    ((pd.Series([0.5, float("nan")]), "mg"), "doses[1]"),     # NaN
    ((pd.Series([1, None], dtype="Int64"), "mg"), "doses[1]"),  # pandas NA
    (pd.Series(["0.5 mg", "5 units"]), "doses[1]"),           # not a mass
    (pd.DataFrame({"a": ["1 mg"]}), "doses"),                 # a table, not a column
    ((pd.Series([0.5]), "mg%"), "doses"),                     # a refused unit
])
def test_bad_pandas_doses_are_refused_naming_the_element(doses_in, parameter):
    """Bad pandas input is the library's InputError naming the dose, never a pandas error."""
    with pytest.raises(InputError) as info:
        measure_many(doses_in, Stock.from_tablets("50 mg", "10 mL"), Dropper())
    assert info.value.parameter == parameter


def test_frame_numbers_are_the_exact_values_correctly_rounded():
    """dose_mg of 1/3 mg written as a fraction is float(Fraction(1, 3)), not a float sum."""
    f = measure_many(["1/3 mg", "0.1 mg"], Stock(drug="1 mg", volume="10 mL"),
                     Dropper()).to_frame()
    assert f["dose_mg"].tolist() == [float(Fraction(1, 3)), 0.1]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=12), st.none(), st.floats(),
                          st.sampled_from(["4.5 mg", "450 mcg", "1e99 mg", "0 mg", "-1 mg"])),
                max_size=6),
       st.sampled_from(["object", "str"]))
def test_fuzzed_pandas_text_columns_give_a_batch_or_the_library_error(values, dtype):
    """Any column of text, None or floats: measured, or refused with InputError (never a raw
    pandas, numpy or Python exception)."""
    column = pd.Series(values, dtype=dtype if dtype == "object" or not values else "object")
    if dtype == "str" and all(isinstance(v, str) for v in values):
        column = column.astype("str")
    try:
        b = measure_many(column, Stock.from_tablets("50 mg", "10 mL"), Dropper())
    except InputError:
        return
    assert len(b.to_frame()) == len(values)
