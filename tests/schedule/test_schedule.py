"""Tests of titration and taper schedules (ldn_compound.schedule)."""

import datetime as dt
import json
import re
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import (
    Dropper,
    InputError,
    OralSyringe,
    Schedule,
    Stock,
    UnmeasurableDoseError,
    taper,
    titrate,
)
from ldn_compound._exact import round_to_int
from ldn_compound._tables import MAX_COUNTED_DROPS
from ldn_compound.measurement import suggested_count
from ldn_compound.strategies import drop_ladders, schedules, tapers, titrations

STOCK = Stock.from_tablets("50 mg", "10 mL")  # 5 mg/mL: 0.25 mg per USP drop
DROPPER = Dropper()


def _ladder():
    return titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks", STOCK, DROPPER)


# -- worked examples -----------------------------------------------------------------
def test_drop_ladder_is_18_weeks_ending_at_18_drops():
    """REFERENCES.md drop ladder: 1 to 18 drops weekly lasts 18 weeks, last step 18 drops."""
    s = Schedule.from_drops(stock=STOCK, dropper=DROPPER)
    # Hand check: 18 steps of 7 days = 126 days; 18 drops x (5 mg/mL / 20 drops/mL) = 4.5 mg.
    assert len(s.steps) == 18 and s.total_days == 18 * 7
    last = s.steps[-1]
    assert last.measurement.count == 18 and last.exact_dose == Fraction(9, 2)
    assert last.measurement.exact_volume == Fraction(9, 10)
    assert [st.measurement.count for st in s.steps] == list(range(1, 19))


def test_standard_ladder_has_7_steps_over_14_weeks():
    """REFERENCES.md: 1.5 mg, +0.5 mg every 2 weeks to 4.5 mg is 7 steps over 14 weeks."""
    s = _ladder()
    # Hand check: 1.5, 2, 2.5, 3, 3.5, 4, 4.5 mg = 7 steps x 14 days = 98 days.
    assert [st.exact_dose for st in s.steps] == [Fraction(x, 2) for x in range(3, 10)]
    assert s.total_days == 98 and all(st.days == 14 for st in s.steps)
    # 1.5 mg / 0.25 mg per drop = 6 drops = 0.3 mL at 20 drops/mL.
    assert s.steps[0].measurement.count == 6 and s.ok


def test_hold_extends_only_the_target_step():
    """hold='4 weeks' makes the last step 14 + 28 days and leaves the others alone."""
    s = titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks", STOCK, DROPPER, hold="4 weeks")
    assert s.steps[-1].days == 42 and all(st.days == 14 for st in s.steps[:-1])
    assert s.total_days == 98 + 28


def test_uneven_step_ends_at_target():
    """1 mg +1.5 mg to 4.5 mg gives 1, 2.5, 4, then 4.5 mg (the last rise is smaller)."""
    s = titrate("1 mg", "1.5 mg", "4.5 mg", "7 days", STOCK, DROPPER)
    assert [st.exact_dose for st in s.steps] == [1, Fraction(5, 2), 4, Fraction(9, 2)]


def test_start_date_gives_step_dates():
    """With a start date each step knows its first and last date (inclusive)."""
    s = titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks", STOCK, DROPPER,
                start_date="2026-11-22")
    assert s.steps[0].start_date == dt.date(2026, 11, 22)
    assert s.steps[0].end_date == dt.date(2026, 12, 5)  # 22 Nov + 13 days
    assert s.steps[1].start_date == dt.date(2026, 12, 6)
    assert s.end_date == dt.date(2026, 11, 22) + dt.timedelta(days=97)


def test_hyperbolic_taper_worked_example():
    """10 % taper from 4.5 mg with a 1 mL syringe (0.05 mg per 0.01 mL at 5 mg/mL)."""
    s = taper("4.5 mg", 0.1, "2 weeks", STOCK, OralSyringe("1 mL"), "0.5 mg")
    counts = [st.measurement.count for st in s.steps]
    # Hand check, graduations: 90 -> 81 -> 72.9 = 73 -> 65.7 = 66 -> 59.4 = 59 -> ...
    assert counts[:5] == [90, 81, 73, 66, 59]
    assert counts[-1] == 10  # 0.5 mg; 9 graduations would be 0.45 mg, below the floor
    assert s.steps[-1].exact_dose == Fraction(1, 2)


def test_taper_takes_one_unit_when_rounding_would_repeat():
    """At 1 drop per 0.25 mg a 10 % cut of 3 drops rounds back to 3: the taper steps to 2."""
    s = taper("0.75 mg", 0.1, "7 days", STOCK, DROPPER, "0.25 mg")
    assert [st.measurement.count for st in s.steps] == [3, 2, 1]


def test_inaccurate_syringe_volume_is_flagged():
    """0.1, 0.25, 0.35 mg at 5 mg/mL are 0.02, 0.05, 0.07 mL of a 1 mL syringe: all flagged."""
    s = Schedule.from_steps([("0.1 mg", "2 weeks"), ("0.25 mg", "2 weeks"),
                             ("0.35 mg", "2 weeks")], STOCK, OralSyringe())
    # Exact counts (0 % rounding error), but every volume is at or below 0.1 mL
    # (Arenas-Lopez et al. 2017), so no step may be "ok".
    assert [st.measurement.count for st in s.steps] == [2, 5, 7]
    assert all(st.measurement.exact_rounding_error == 0 for st in s.steps)
    assert [st.ok for st in s.steps] == [False, False, False]
    assert all(st.verdict.startswith("FLAGGED: ") for st in s.steps)
    # Fix for 0.1 mg: 20 graduations (20 % of 1 mL = 0.2 mL): 0.1 mg / 0.2 mL = 0.5 mg/mL.
    assert "0.5 mg/mL (the dose would be 0.2 mL, 20 graduations)" in s.steps[0].fix
    fixed = Stock((Fraction(1, 2) * 10, "mg"), (10, "mL"))  # 0.5 mg/mL
    m = s.with_stock(fixed).steps[0].measurement
    assert m.exact_volume == Fraction(1, 5) and m.accuracy_problem is None
    # One line per step, each naming its own volume; never "steps 1 to 3: 0.02 mL".
    lines = [w for w in s.warnings if "0.1 mL" in w]
    assert [w.split(":")[0] for w in lines] == ["step 1 (0.1 mg)", "step 2 (0.25 mg)",
                                                "step 3 (0.35 mg)"]
    assert "0.05 mL" in lines[1] and "0.07 mL" in lines[2]


def test_taper_steps_below_a_fifth_of_the_syringe_are_flagged():
    """A 10 % taper in a 1 mL syringe: steps 16-23 (0.19 mL down to 0.1 mL) are flagged."""
    s = taper("4.5 mg", 0.1, "2 weeks", STOCK, OralSyringe("1 mL"), "0.5 mg")
    # Step 16 is 0.95 mg = 0.19 mL, the first below 1/5 of the 1 mL syringe (0.2 mL);
    # step 15 is 1.05 mg = 0.21 mL.
    assert [st.number for st in s.flagged] == list(range(16, 24))
    assert "0.19 mL is below 20 %" in s.steps[15].problem
    assert "a 0.5 mL oral syringe" in s.steps[15].fix


def test_taper_cut_beyond_the_reduction_is_flagged():
    """Issue 8: a 10 % taper of 6 to 1 drops cuts 17, 20, 25, 33, 50 %: each step flagged."""
    s = taper("1.5 mg", 0.1, "7 days", STOCK, DROPPER, "0.25 mg")
    assert [st.measurement.count for st in s.steps] == [6, 5, 4, 3, 2, 1]
    assert [st.exact_cut for st in s.steps] == [None, Fraction(1, 6), Fraction(1, 5),
                                                Fraction(1, 4), Fraction(1, 3), Fraction(1, 2)]
    assert [st.number for st in s.flagged] == [2, 3, 4, 5, 6]
    assert "a cut of 20 % from the step before (5 to 4 drops)" in s.steps[2].problem
    # Hand check of the fix: 10 drops of 1.25 mg (0.05 mL each) is 2.5 mg/mL; 10 drops
    # less 10 % is 9 drops, a cut of 10 %; or 1.25 mg / 10 / 5 mg/mL = 0.025 mL a drop.
    assert "a stock of at most 2.5 mg/mL (1.25 mg is then at least 10 drops)" in s.steps[2].fix
    assert "a device of at most 0.025 mL a drop" in s.steps[2].fix
    weaker = taper("1.25 mg", 0.1, "7 days", Stock("25 mg", "10 mL"), DROPPER, "1 mg")
    assert [st.measurement.count for st in weaker.steps][:2] == [10, 9] and weaker.ok
    finer = taper("1.25 mg", 0.1, "7 days", STOCK, Dropper(drops_per_mL=40), "1 mg")
    assert [st.measurement.count for st in finer.steps][:2] == [10, 9] and finer.ok


def test_taper_within_one_and_a_half_reductions_is_ok():
    """A 10 % taper of 0.05 mL graduations, 90 to 59 graduations: cuts of 9-11 %, all ok."""
    s = taper("4.5 mg", 0.1, "2 weeks", STOCK, OralSyringe("1 mL"), "2.95 mg")
    assert [st.measurement.count for st in s.steps] == [90, 81, 73, 66, 59]
    assert s.ok and all(st.exact_cut <= Fraction(3, 20) for st in s.steps[1:])


def test_taper_percent_is_deprecated_but_still_percent():
    """percent=10 warns and gives the same taper as reduction=0.1."""
    with pytest.warns(DeprecationWarning, match="reduction"):
        old = taper("4.5 mg", percent=10, every="2 weeks", stock=STOCK, device=DROPPER,
                    floor="1 mg")
    assert old == taper("4.5 mg", 0.1, "2 weeks", STOCK, DROPPER, "1 mg")


@pytest.mark.parametrize("percent", [0.1, 1, "0.5", Fraction(1, 4)])
def test_taper_percent_at_most_one_is_ambiguous(percent):
    """percent=0.1 is refused, the message showing both readings (0.1 % and 10 %)."""
    with pytest.warns(DeprecationWarning), pytest.raises(InputError) as info:
        taper("4.5 mg", percent=percent, every="2 weeks", stock=STOCK, device=DROPPER,
              floor="1 mg")
    x = Fraction(str(percent))
    assert info.value.parameter == "percent"
    text = info.value.expected
    for reading in (x, x * 100):
        assert f"{float(reading):g} %" in text


@pytest.mark.parametrize("call", [
    lambda: taper("4.5 mg", percent=0, every="7 days", stock=STOCK, device=DROPPER, floor="1 mg"),
    lambda: taper("4.5 mg", percent=100, every="7 days", stock=STOCK, device=DROPPER,
                  floor="1 mg"),
    lambda: taper("4.5 mg", percent=-10, every="7 days", stock=STOCK, device=DROPPER,
                  floor="1 mg"),
    lambda: taper("4.5 mg", 0.1, "7 days", STOCK, DROPPER, "1 mg", percent=10),
])
def test_taper_bad_percent(call):
    """A deprecated percent out of range, or given with reduction, names percent."""
    with pytest.warns(DeprecationWarning), pytest.raises(InputError) as info:
        call()
    assert info.value.parameter == "percent"


def test_titration_of_one_jump_is_refused():
    """Issue 8: a 5 mg step from 1.5 to 4.5 mg would be one jump: refused naming step."""
    with pytest.raises(InputError, match="whole climb") as info:
        titrate("1.5 mg", "5 mg", "4.5 mg", "2 weeks", STOCK, DROPPER)
    assert info.value.parameter == "step" and "1.5 mg" in info.value.expected


def test_only_identical_cautions_are_grouped():
    """Two steps of 6 mg share one above-LDN line; 7 mg gets its own (never merged)."""
    s = Schedule.from_steps([("6 mg", "7 days"), ("6 mg", "7 days"), ("7 mg", "7 days")],
                            STOCK, DROPPER)
    band = [w for w in s.warnings if "low-dose (LDN) band" in w]
    assert len(band) == 2
    assert band[0].startswith("steps 1 to 2: 6 mg ") and band[1].startswith("step 3: 7 mg ")


def test_decimal_slip_names_the_step():
    """45 mg in step 2 (ten times 4.5 mg) is refused naming steps[1], not a bare 'dose'."""
    with pytest.raises(InputError, match="at step 2") as info:
        Schedule.from_steps([("4.5 mg", "7 days"), ("45 mg", "7 days")], STOCK, DROPPER)
    assert info.value.parameter == "steps[1] dose"


def test_unmeasurable_step_is_flagged_not_raised():
    """0.1 mg at 0.25 mg per drop rounds to 0 drops: flagged with a reason and a stock fix."""
    s = titrate("0.1 mg", "0.1 mg", "0.5 mg", "2 weeks", STOCK, DROPPER)
    first = s.steps[0]
    assert first.measurement is None and not first.ok
    assert "rounds to 0" in first.problem and "mg/mL" in first.fix
    assert not s.ok and first in s.flagged
    assert any(w.startswith("step 1 (0.1 mg)") for w in s.warnings)


def test_tolerance_verdict_and_fix():
    """0.2 mg as 1 drop of 0.25 mg is +25 %: flagged; a stock of 0.4 mg/mL makes it 10 drops."""
    s = Schedule.from_steps([("0.2 mg", "7 days")], STOCK, DROPPER)
    st0 = s.steps[0]
    assert st0.measurement.count == 1 and not st0.ok
    assert "+25 %" in st0.problem and "0.4 mg/mL" in st0.fix  # 0.2 / (10 x 0.05 mL)
    loose = Schedule.from_steps([("0.2 mg", "7 days")], STOCK, DROPPER, max_rounding_error="0.3")
    assert loose.ok


def test_suggest_stock_inverse_problem():
    """For 0.25 mg weekly steps to 4.5 mg (20 drops/mL) it is one 50 mg tablet in 10 mL."""
    s = titrate("0.25 mg", "0.25 mg", "4.5 mg", "7 days", Stock.from_tablets("50 mg", "50 mL"),
                DROPPER)
    # 0.05 mg per drop at 1 mg/mL: 0.25 mg is 5 drops, 4.5 mg is 90 drops to count: flagged
    assert s.steps[-1].measurement.count == 90 and not s.steps[-1].ok
    suggested = s.suggest_stock()
    # Hand check: at most 20 drops are counted for one dose (MAX_COUNTED_DROPS), so a drop
    # must hold >= 4.5 / 20.5 mg (about 0.22 mg); 2 drops of 0.25 mg within 5 % need
    # <= 0.131 mg a drop: 1 drop at most, exact at 0.25 mg per drop = 5 mg/mL = one
    # tablet in 10 mL, the REFERENCES.md drop ladder (18 drops = 4.5 mg).
    assert suggested.tablets == 1 and suggested.volume_ml == 10
    assert s.with_stock(suggested).ok


def test_suggest_stock_prefers_ten_units_for_the_smallest_dose():
    """0.5 mg weekly to 4.5 mg: 0.5 mg becomes 2 drops (not 1 drop of 50 mg in 5 mL)."""
    s = titrate("0.5 mg", "0.5 mg", "4.5 mg", "7 days", STOCK, DROPPER)
    # At most 20 drops counted for 4.5 mg: >= 0.2195 mg a drop, so 0.5 mg <= 2.28 drops; 2
    # whole drops exact: 0.25 mg a drop = 5 mg/mL = 50 mg in 10 mL (in 5 mL it was 1 drop).
    stock = s.suggest_stock()
    assert (stock.tablets, stock.volume_ml) == (1, 10)
    assert s.with_stock(stock).steps[0].measurement.count == 2
    # A larger max_count does not lift the verdict's drop-count cap.
    assert s.suggest_stock(max_count=100) == stock
    # A much wider search finds the same stocks (only volumes that can fit are tried).
    assert s.suggest_stock(max_tablets=100, max_volume="10 L") == stock


def _brute_force_stock(s, n_max, v_lo, v_hi, count_max):
    """Every (tablets, mL) tried, with suggest_stock's order of preference."""
    unit = s.device.unit_volume_ml
    cap = s.device.capacity_ml
    want = suggested_count(s.device)
    if s.device.unit == "drop":  # the verdict's cap on drops counted for one dose
        count_max = min(count_max, MAX_COUNTED_DROPS)
    best = None
    for n in range(1, n_max + 1):
        for v in range(v_lo, v_hi + 1):
            per = Fraction(50 * n, v) * unit
            if per / unit > 100:  # solubility, 100 mg/mL
                continue
            counts = [round_to_int(d / per, s.rounding) for d, _ in s.plan]
            if any(c == 0 or c > count_max or (cap is not None and c * unit > cap)
                   for c in counts):
                continue
            errs = [abs(c * per / d - 1) for c, (d, _) in zip(counts, s.plan)]
            if max(errs) > s.max_rounding_error:
                continue
            key = (max(0, want - min(counts)), max(errs) != 0, max(errs), n, v)
            best = key if best is None or key < best else best
    return None if best is None else best[3:]


@settings(max_examples=40, deadline=None)
@given(titrations(), st.integers(1, 3), st.integers(1, 60), st.integers(5, 60))
def test_suggest_stock_matches_brute_force(s, n_max, v_lo, count_max):
    """The bounded search picks what trying every tablet count and whole mL would pick."""
    v_hi = v_lo + 60
    expected = _brute_force_stock(s, n_max, v_lo, v_hi, count_max)
    call = lambda: s.suggest_stock(max_tablets=n_max, min_volume=f"{v_lo} mL",  # noqa: E731
                                   max_volume=f"{v_hi} mL", max_count=count_max)
    if expected is None:
        with pytest.raises(UnmeasurableDoseError):
            call()
    else:
        got = call()
        assert (got.tablets, got.volume_ml) == expected


def test_suggest_stock_fixes_flagged_ladder():
    """0.1 mg steps are all flagged at 5 mg/mL; the suggested stock measures all exactly."""
    s = titrate("0.1 mg", "0.1 mg", "0.6 mg", "2 weeks", STOCK, DROPPER)
    fixed = s.with_stock(s.suggest_stock())
    assert fixed.ok
    assert all(st.measurement.exact_rounding_error == 0 for st in fixed.steps)


def test_suggest_stock_reports_impossible():
    """A 1 mcg ladder cannot be made from 50 mg tablets in at most 200 mL: a clear error."""
    s = titrate("0.001 mg", "0.001 mg", "0.003 mg", "2 weeks", STOCK, DROPPER)
    with pytest.raises(UnmeasurableDoseError, match="dilution"):
        s.suggest_stock()


def test_text_html_json_csv():
    """Text, HTML, JSON and CSV all show the same doses, safely written."""
    s = titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks", STOCK, DROPPER,
                start_date="2026-11-22")
    text = str(s)
    assert "Titration: 1.5 mg to 4.5 mg in 7 steps over 98 days" in text
    assert "18 drops (0.9 mL)" in text and "2026-11-22 to 2026-12-05" in text
    assert "<table>" in s._repr_html_() and "18 drops (0.9 mL)" in s._repr_html_()
    data = json.loads(s.to_json())
    assert data["steps"][6]["measure"] == "18 drops (0.9 mL)" and data["total_days"] == 98
    lines = s.to_csv().splitlines()
    assert lines[0].startswith("step,start_day,days,start_date")
    assert lines[1].startswith("1,0,14,2026-11-22,2026-12-05,1.5 mg,6 drops (0.3 mL),6")


def test_table_ranges_use_to_and_one_unit():
    """Day and bound ranges read "1 to 14" (day 1 the first dose) and "1.2 to 1.83 mg",
    never "1-14" or "mg to mg"."""
    text = str(_ladder())
    # Step 1: 1.5 mg as 6 drops; bounds 1.5 x 0.9 x 0.9 / (1 + vt) to 1.5 x 1.1 x 1.1 / (1 - vt).
    row = next(line for line in text.splitlines() if line.strip().startswith("1 "))
    assert " 1 to 14 " in row and "1.2 to 1.83 mg" in row
    table = text.splitlines()[5:-1]  # the step table, below the title and rows
    assert not any("mg to " in line or re.search(r"\d-\d", line) for line in table)


def test_plot_draws_dose_and_bounds():
    """plot() returns matplotlib Axes with the dose line."""
    import matplotlib

    matplotlib.use("Agg")
    ax = _ladder().plot()
    assert ax.get_xlabel() == "day" and len(ax.lines) == 1


def test_step_on_day():
    """step_on(day) finds the step taken on that day."""
    s = _ladder()
    assert s.step_on(0).number == 1 and s.step_on(13).number == 1 and s.step_on(14).number == 2
    assert s.step_on(97).number == 7


# -- properties ----------------------------------------------------------------------
def _overcut(s, st):
    """True when step ``st`` of ``s`` cuts more than 1.5 x the schedule's reduction."""
    if s.reduction is None or st.number == 1:
        return False
    before = s.steps[st.number - 2].measurement
    if before is None or st.measurement is None:
        return False
    return 1 - st.measurement.exact_delivered / before.exact_delivered > s.reduction * 3 / 2


def _counted(s, m):
    """True when ``m`` is no more drops than one dose may be counted in."""
    return s.device.unit != "drop" or m.count <= MAX_COUNTED_DROPS


@settings(max_examples=80, deadline=None)
@given(titrations())
def test_titration_never_goes_down(s):
    """Doses (and their measured volumes) never decrease along an upward ladder."""
    doses = [st.exact_dose for st in s.steps]
    assert doses == sorted(doses)
    counts = [st.measurement.count for st in s.steps if st.measurement is not None]
    assert counts == sorted(counts)  # rounding is monotone


@settings(max_examples=80, deadline=None)
@given(tapers())
def test_taper_strictly_down_and_stops_at_floor(s):
    """A taper never repeats or raises a dose; each dose is exact, flagged only if inaccurate."""
    counts = [st.measurement.count for st in s.steps]
    assert all(b < a for a, b in zip(counts, counts[1:]))
    assert all(st.measurement.exact_rounding_error == 0 for st in s.steps)
    # exact, so a flag is a volume the syringe cannot measure accurately or a cut too large
    assert all(st.ok == (st.measurement.accuracy_problem is None and not _overcut(s, st)
                         and _counted(s, st.measurement))
               for st in s.steps)


@settings(max_examples=100, deadline=None)
@given(tapers())
def test_taper_flags_exactly_the_overcut_steps(s):
    """Every step cutting more than 1.5 x the reduction is flagged for it, and no other."""
    assert s.reduction is not None
    for st_ in s.steps:
        flagged = st_.problem is not None and "a cut of" in st_.problem
        assert flagged == _overcut(s, st_)
        if flagged:
            assert not st_.ok and "a stock of at most" in st_.fix


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.integers(1, 60), st.sampled_from(("nearest", "down", "up")))
def test_taper_cut_fix_works(start_count, percent, rounding):
    """The weaker stock a flagged step names keeps that step's cut within 1.5 x the reduction."""
    r = Fraction(percent, 100)
    s = taper((start_count * Fraction(1, 4), "mg"), r, "7 days", STOCK, DROPPER,
              ("0.25 mg"), rounding=rounding)
    for st_ in s.steps:
        if not _overcut(s, st_):
            continue
        before = s.steps[st_.number - 2].measurement.exact_delivered
        found = re.search(r"a stock of at most ([\d.]+) (mg|mcg)/mL", st_.fix)
        conc = Fraction(found.group(1)) / (1000 if found.group(2) == "mcg" else 1)
        n = int(re.search(r"is then at least ([\d,]+) drops", st_.fix).group(1).replace(",", ""))
        assert conc * DROPPER.unit_volume_ml * n <= before
        fixed = taper((before, "mg"), r, "7 days", Stock((conc * 1000, "mg"), "1000 mL"),
                      DROPPER, (before / 10, "mg"), rounding=rounding)
        assert fixed.steps[0].measurement.count >= n
        assert len(fixed.steps) == 1 or not _overcut(fixed, fixed.steps[1])


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 90), st.integers(1, 200), st.integers(0, 200))
def test_titration_refused_exactly_when_step_is_the_whole_climb(start, rise, climb):
    """titrate refuses exactly when step >= target - start (hundredths of a mg)."""
    lo, step, hi = Fraction(start, 20), Fraction(rise, 100), Fraction(start, 20) + Fraction(
        climb, 100)
    try:
        s = titrate((lo, "mg"), (step, "mg"), (hi, "mg"), "7 days", STOCK, DROPPER)
    except InputError as exc:
        assert step >= hi - lo and exc.parameter in ("step", "target")
    else:
        assert step < hi - lo and len(s.steps) >= 3


@given(st.integers(1, 60), st.integers(1, 99), st.integers(1, 100), st.sampled_from(
    ("nearest", "down", "up")))
@settings(max_examples=80, deadline=None)
def test_taper_floor_rule(start_count, percent, floor_pct, rounding):
    """The step after the last would be below the floor (or zero drops)."""
    per = Fraction(1, 4)
    floor = start_count * per * floor_pct / 100
    s = taper((start_count * per, "mg"), Fraction(percent, 100), "7 days", STOCK, DROPPER,
              (floor, "mg"), rounding=rounding)
    last = s.steps[-1].measurement.count
    assert all(st.exact_dose >= floor for st in s.steps)
    nxt = min(round_to_int(last * (1 - Fraction(percent, 100)), rounding), last - 1)
    assert nxt <= 0 or nxt * per < floor


@settings(max_examples=80, deadline=None)
@given(schedules())
def test_steps_tile_the_schedule(s):
    """Step days run from day 0 to total_days with no gap or overlap."""
    day = 0
    for st in s.steps:
        assert st.start_day == day and st.days >= 1
        assert isinstance(st.start_day, int) and isinstance(st.days, int)
        day += st.days
    assert day == s.total_days
    if s.start_date is not None:
        for a, b in zip(s.steps, s.steps[1:]):
            assert b.start_date == a.end_date + dt.timedelta(days=1)


@settings(max_examples=80, deadline=None)
@given(schedules())
def test_step_measurements_follow_core_rounding(s):
    """Each measured step has count = the rounded exact number of units, as measure() does."""
    for st in s.steps:
        m = st.measurement
        if m is None:
            assert st.problem and st.fix
            continue
        units = st.exact_dose / (s.stock.concentration_mg_per_ml * s.device.unit_volume_ml)
        assert m.count == round_to_int(units, s.rounding) >= 1
        if s.rounding == "down":
            assert m.exact_delivered <= st.exact_dose
        elif s.rounding == "up":
            assert m.exact_delivered >= st.exact_dose
        else:
            assert abs(m.count - units) <= Fraction(1, 2)
        assert st.ok == (abs(m.exact_rounding_error) <= s.max_rounding_error
                         and m.accuracy_problem is None and not _overcut(s, st)
                         and _counted(s, m))


@settings(max_examples=40, deadline=None)
@given(drop_ladders())
def test_drop_ladder_doses_are_whole_drops(s):
    """Every dose of a drop ladder is an exact count of drops."""
    assert all(st.measurement.exact_rounding_error == 0 for st in s.steps)


# -- bad input -----------------------------------------------------------------------
BAD = [
    (lambda: titrate("1.5 mg", "0.5 mg", "4.5 mg", "0 days", STOCK, DROPPER), "every"),
    (lambda: titrate("1.5 mg", "0.5 mg", "4.5 mg", "-7 days", STOCK, DROPPER), "every"),
    (lambda: titrate("1.5 mg", "0.5 mg", "4.5 mg", "1.5 days", STOCK, DROPPER), "every"),
    (lambda: titrate("1.5 mg", "0.5 mg", "4.5 mg", "14", STOCK, DROPPER), "every"),
    (lambda: titrate("1.5 mg", "-0.5 mg", "4.5 mg", "2 weeks", STOCK, DROPPER), "step"),
    (lambda: titrate("1.5 mg", "0 mg", "4.5 mg", "2 weeks", STOCK, DROPPER), "step"),
    (lambda: titrate("4.5 mg", "0.5 mg", "1.5 mg", "2 weeks", STOCK, DROPPER), "target"),
    (lambda: titrate("1.5 mg", "0.001 mg", "4.5 mg", "2 weeks", STOCK, DROPPER), "step"),
    (lambda: titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks", STOCK, DROPPER, hold="0 days"),
     "hold"),
    (lambda: titrate("1.5 mL", "0.5 mg", "4.5 mg", "2 weeks", STOCK, DROPPER), "start"),
    (lambda: titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks", STOCK, DROPPER,
                     rounding="half"), "rounding"),
    (lambda: titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks", STOCK, DROPPER,
                     doses_per_day=0), "doses_per_day"),
    (lambda: titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks", STOCK, DROPPER,
                     start_date="22/11/2026"), "start_date"),
    (lambda: titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks", "stock", DROPPER), "stock"),
    (lambda: titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks", STOCK, "dropper"), "device"),
    (lambda: titrate("1.5 mg", "3 mg", "4.5 mg", "2 weeks", STOCK, DROPPER), "step"),
    (lambda: titrate("1.5 mg", "5 mg", "4.5 mg", "2 weeks", STOCK, DROPPER), "step"),
    (lambda: titrate("4.5 mg", "0.5 mg", "4.5 mg", "2 weeks", STOCK, DROPPER), "target"),
    (lambda: taper("4.5 mg", 0, "2 weeks", STOCK, DROPPER, "0.5 mg"), "reduction"),
    (lambda: taper("4.5 mg", 1, "2 weeks", STOCK, DROPPER, "0.5 mg"), "reduction"),
    (lambda: taper("4.5 mg", 10, "2 weeks", STOCK, DROPPER, "0.5 mg"), "reduction"),
    (lambda: taper("4.5 mg", -0.1, "2 weeks", STOCK, DROPPER, "0.5 mg"), "reduction"),
    (lambda: taper("4.5 mg", every="2 weeks", stock=STOCK, device=DROPPER, floor="0.5 mg"),
     "reduction"),
    (lambda: taper("4.5 mg", 0.1, "0 days", STOCK, DROPPER, "0.5 mg"), "every"),
    (lambda: taper("1.5 mg", 0.1, "2 weeks", STOCK, DROPPER, "2 mg"), "floor"),
    (lambda: taper("4.5 mg", 0.1, "2 weeks", STOCK, DROPPER), "floor"),
    (lambda: taper("4.5 mg", 0.1, "2 weeks", STOCK, None, "0.5 mg"), "device"),
    (lambda: Schedule.from_drops(STOCK, DROPPER, start_drops=5, max_drops=4), "max_drops"),
    (lambda: Schedule.from_drops(STOCK, DROPPER, start_drops=0), "start_drops"),
    (lambda: Schedule.from_drops(STOCK, DROPPER, step_drops=-1), "step_drops"),
    (lambda: Schedule.from_drops(STOCK, OralSyringe("1 mL")), "dropper"),
    (lambda: Schedule.from_drops(STOCK, DROPPER, every="0 days"), "every"),
    (lambda: Schedule.from_steps([], STOCK, DROPPER), "steps"),
    (lambda: Schedule.from_steps("1 mg", STOCK, DROPPER), "steps"),
    (lambda: Schedule.from_steps([("1 mg",)], STOCK, DROPPER), "steps[0]"),
    (lambda: Schedule.from_steps([("1 mg", "0 days")], STOCK, DROPPER),
     "steps[0] duration"),
    (lambda: Schedule.from_steps([("1 mg", 0)], STOCK, DROPPER), "steps[0] duration"),
    (lambda: Schedule.from_steps([("1 mg", 7), ("45 mg", 7)], STOCK, DROPPER),
     "steps[1] dose"),
    (lambda: Schedule.from_steps([("1 mg", "7 days")], STOCK, DROPPER, max_rounding_error=2),
     "max_rounding_error"),
    (lambda: taper("50 mg", 0.1, "7 days", STOCK, DROPPER, "1 mg"), "start"),
    (lambda: Schedule.from_dict({"plan": []}), "data"),
    (lambda: Schedule.from_dict([]), "data"),
    (lambda: _ladder().suggest_stock(max_tablets=0), "max_tablets"),
    (lambda: _ladder().suggest_stock(min_volume="50 mL", max_volume="10 mL"), "max_volume"),
    (lambda: _ladder().step_on(98), "day"),
    (lambda: titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks", STOCK, DROPPER,
                     start_date="9999-12-01"), "start_date"),
]


@pytest.mark.parametrize(("call", "parameter"), BAD)
def test_bad_input(call, parameter):
    """Each bad input is an InputError naming the parameter."""
    with pytest.raises(InputError) as info:
        call()
    assert info.value.parameter == parameter
