"""Tests of supply: batches, beyond-use dates, tablets and labels (ldn_compound.supply)."""

import datetime as dt
import json
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
    beyond_use_date,
    titrate,
)
from ldn_compound.measurement import suggested_count
from ldn_compound.schedule.supply import BUD_DAYS, beyond_use_days
from ldn_compound.strategies import schedules

STOCK = Stock.from_tablets("50 mg", "10 mL")  # 5 mg/mL, 0.25 mg per USP drop
DROPPER = Dropper()


def _ladder(**kw):
    return titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks", STOCK, DROPPER, **kw)


def test_standard_ladder_supply_by_hand():
    """1.5 mg +0.5 mg every 2 weeks to 4.5 mg, aqueous (14-day BUD): 7 bottles, 10 tablets.

    Hand check: one bottle per 14-day step. Daily volume = dose / 5 mg/mL; a bottle
    holds 14 days x that x 1.10 overage: 1.5 mg -> 0.3 x 14 x 1.1 = 4.62 mL,
    2 -> 6.16, 2.5 -> 7.7, 3 -> 9.24 (each fits one tablet = 10 mL),
    3.5 -> 10.78, 4 -> 12.32, 4.5 -> 13.86 mL (two tablets = 20 mL each).
    Tablets 4 x 1 + 3 x 2 = 10; made 100 mL; needed (0.3 + ... + 0.9) x 14 x 1.1
    = 4.2 x 15.4 = 64.68 mL.
    """
    sup = _ladder().supply()
    assert len(sup.batches) == 7
    assert [b.tablets for b in sup.batches] == [1, 1, 1, 1, 2, 2, 2]
    assert sup.tablets == 10 and isinstance(sup.tablets, int)
    assert sup.exact_volume_made == 100
    assert sup.exact_volume_needed == Fraction("64.68")
    assert [b.exact_volume_needed for b in sup.batches][:2] == [Fraction("4.62"),
                                                                  Fraction("6.16")]
    assert [b.discard_day for b in sup.batches] == [14, 28, 42, 56, 70, 84, 98]


def test_drop_ladder_supply_by_hand():
    """18-drop ladder: 9 two-week bottles, 12 tablets.

    Hand check: bottle k holds weeks 2k-1 and 2k, (4k - 1) x 7 drops, x 1.1 overage;
    one tablet makes 10 mL = 200 drops, enough while (4k - 1) x 7.7 <= 200, i.e. k <= 6;
    bottles 7-9 need two tablets: 6 + 3 x 2 = 12 tablets, 60 + 60 = 120 mL.
    """
    sup = Schedule.from_drops(stock=STOCK, dropper=DROPPER).supply()
    assert len(sup.batches) == 9 and sup.tablets == 12 and sup.exact_volume_made == 120
    assert [b.tablets for b in sup.batches] == [1] * 6 + [2] * 3


def test_label_text():
    """The label names the preparation, its strength and quantity, the batch, what to
    measure, the dose, the beyond-use date and storage (USP <795> label contents)."""
    sup = _ladder(start_date="2026-11-22").supply()
    # 1.5 mg = 6 drops = 0.3 mL; made 2026-11-22, 14 days of use: last day 2026-12-05.
    # 1 x 50 mg tablet in 10 mL = 5 mg/mL, a suspension (film-coated tablets' excipients).
    assert sup.batches[0].label == (
        "Naltrexone hydrochloride 5 mg/mL oral suspension, 10 mL. Compounded preparation, "
        "batch 1. Shake well. Take 6 drops (0.3 mL) = 1.5 mg by mouth at bedtime. "
        "Beyond-use date: 2026-12-05; discard after it. Keep refrigerated.")
    assert sup.batches[0].last_use_date == dt.date(2026, 12, 5)
    assert sup.batches[0].discard_date == dt.date(2026, 12, 6)


def test_label_with_two_doses_and_no_date():
    """A bottle spanning two steps lists each with its days; no date gives a day count."""
    sup = Schedule.from_drops(stock=STOCK, dropper=DROPPER).supply()
    label = sup.batches[0].label
    assert "Days 1 to 7: take 1 drop (0.05 mL) = 0.25 mg by mouth at bedtime." in label
    assert "Days 8 to 14: take 2 drops (0.1 mL) = 0.5 mg by mouth at bedtime." in label
    assert "Beyond-use date: day 14 (day 1 is the first dose)" in label


def test_syringe_label_and_twice_a_day():
    """A syringe label gives mL; two doses a day double the volume and say so."""
    s = Schedule.from_steps([("1 mg", "7 days"), ("2 mg", "7 days")],
                            Stock.from_tablets("50 mg", "50 mL"), OralSyringe("3 mL"),
                            doses_per_day=2)
    sup = s.supply(bud=7)
    assert sup.batches[0].label.startswith(
        "Naltrexone hydrochloride 1 mg/mL oral suspension, 50 mL. Compounded preparation, "
        "batch 1. Shake well. Take 1 mL = 1 mg by mouth twice a day.")
    # 1 mL twice a day for 7 days, + 10 %: 15.4 mL, one 50 mL tablet-bottle.
    assert sup.batches[0].exact_volume_needed == Fraction("15.4")


def test_bud_defaults_follow_usp_795():
    """USP <795> (2023): 14, 35, 90 and 180 days; bud= overrides."""
    assert BUD_DAYS == {"aqueous": 14, "aqueous_preserved": 35, "nonaqueous": 90, "solid": 180}
    assert beyond_use_days("nonaqueous") == 90 and beyond_use_days("aqueous", "30 days") == 30
    assert beyond_use_date("2026-11-22") == dt.date(2026, 12, 5)
    sup = _ladder().supply(preparation="aqueous_preserved")
    # 98 days in 35-day bottles: 35 + 35 + 28.
    assert [b.days for b in sup.batches] == [35, 35, 28]
    assert "room temperature" in sup.batches[0].label
    with pytest.raises(InputError) as info:  # an oral liquid is never a solid (180 days)
        _ladder().supply(preparation="solid")
    assert info.value.parameter == "preparation"
    assert beyond_use_days("solid") == 180  # capsules keep their own category


def test_stronger_stock_for_later_batches():
    """With stronger_stock a later bottle may be a multiple of the stock, and says so."""
    stock = Stock.from_tablets("50 mg", "50 mL")  # 1 mg/mL
    s = titrate("0.5 mg", "0.5 mg", "4.5 mg", "2 weeks", stock, OralSyringe("5 mL"))
    # 0.5 mg = 0.5 mL is below 20 % of the 5 mL syringe: flagged, so its label is marked
    plain = s.supply(allow_flagged=True)
    strong = s.supply(stronger_stock=True, allow_flagged=True)
    assert strong.batches[0].label.startswith("FLAGGED")
    assert not any(b.stronger for b in plain.batches)
    assert not strong.batches[0].stronger
    late = strong.batches[-1]
    # 4.5 mg: 4.5 mL = 22.5 graduations of 0.2 mL at 1 mg/mL; at 2 mg/mL 2.25 mL -> 11
    # graduations = 2.2 mL = 4.4 mg (-2.2 %), at least 10 graduations, within 5 %.
    assert late.stronger and late.stock.concentration_mg_per_ml == 2
    assert late.label.startswith("STRONGER than the first bottle")
    assert strong.tablets <= plain.tablets


def test_stronger_stock_keeps_exact_doses_and_whole_bottles():
    """Reviewer's case: no stronger bottle may turn an exact 3.5 mg into 3.6 mg or 33.33 mL."""
    s = titrate("0.5 mg", "0.5 mg", "4.5 mg", "1 week", Stock.from_tablets("50 mg", "50 mL"),
                OralSyringe(capacity="5 mL", graduation="0.1 mL"))
    sup = s.supply(stronger_stock=True, allow_flagged=True)  # 0.5 mL of 5 mL is flagged
    # At 1 mg/mL every dose is a whole number of 0.1 mL graduations (exact). Weeks 7-8
    # (3.5, 4 mg) at 2 mg/mL: 1.75 mL is not whole graduations; at 3 mg/mL 1.1667 mL neither;
    # at 4 mg/mL 0.875 mL neither: batch 4 stays at 1 mg/mL. Week 9 (4.5 mg) alone: 4 and 2
    # mg/mL give 1.125 and 2.25 mL (not exact), 3 mg/mL gives 1.5 mL = 15 graduations, exact,
    # at least 10 and 20 % of 5 mL: batch 5 is 3 tablets in 50 mL.
    assert [b.stronger for b in sup.batches] == [False, False, False, False, True]
    last = sup.batches[-1]
    assert last.stock.concentration_mg_per_ml == 3
    assert (last.tablets, last.exact_volume) == (3, 50)
    for b in sup.batches:
        assert b.exact_volume.denominator == 1
        assert all(m.exact_delivered == m.exact_target for _, _, m in b.doses)


def test_stronger_stock_for_a_dropper_ladder():
    """0.5 mg steps at 0.5 mg/mL are 20 to 90 drops; bottle 2 at 2 mg/mL counts 15 and 20."""
    s = titrate("0.5 mg", "0.5 mg", "4.5 mg", "1 week", Stock.from_tablets("50 mg", "100 mL"),
                DROPPER)
    # Bottle 1 holds 1 mg = 40 drops, more than 20 counted: refused unless allowed and marked
    with pytest.raises(InputError) as info:
        s.supply(stronger_stock=True)
    assert info.value.override == "allow_flagged"
    sup = s.supply(stronger_stock=True, allow_flagged=True)
    assert sup.batches[0].label.startswith("FLAGGED") and "step 2" in sup.batches[0].label
    # 2 mg/mL is 0.1 mg per drop: 1.5 mg = 15 drops (>= 10, exact), so batch 2 is 4 times
    # the stock, one tablet per 25 mL. Batch 2 (1.5 mg and 2 mg for 7 days each) needs
    # (15 + 20) drops x 7 / 20 drops/mL x 1.1 = 13.475 mL: 1 tablet in 25 mL. From batch 3
    # (2.5 mg = 25 drops at the strongest, 2 mg/mL) no multiple keeps to 20 drops counted.
    assert [b.stronger for b in sup.batches] == [False, True, False, False, False]
    b2 = sup.batches[1]
    assert (b2.tablets, b2.exact_volume, b2.exact_volume_needed) == (1, 25, Fraction(539, 40))
    assert [m.count for _, _, m in b2.doses] == [15, 20]


def test_flagged_unmeasurable_step_refuses_supply():
    """A step that cannot be measured at all stops supply with the step's reason."""
    s = titrate("0.1 mg", "0.1 mg", "0.5 mg", "2 weeks", STOCK, DROPPER)
    with pytest.raises(UnmeasurableDoseError, match="step 1"):
        s.supply()


def test_supply_outputs():
    """Text, JSON and CSV of a supply show batches and labels."""
    sup = _ladder(start_date="2026-11-22").supply()
    text = str(sup)
    assert "Supply: 7 batches, 10 x 50 mg tablets, 100 mL made" in text
    assert "Label 1: Naltrexone hydrochloride 5 mg/mL oral suspension, 10 mL." in text
    assert "made up with purified water" in text and "Keep refrigerated." in text
    data = json.loads(sup.to_json())
    assert data["tablets"] == 10 and data["volume_made"] == "100 mL"
    assert data["batches"][0]["last_use_date"] == "2026-12-05"
    assert sup.to_csv().splitlines()[0].startswith("batch,start_day,days,discard_day")
    assert "<table>" in sup._repr_html_()


@settings(max_examples=60, deadline=None)
@given(schedules(), st.integers(1, 60), st.sampled_from(("0", "0.1", "0.25")), st.booleans())
def test_supply_properties(s, bud, overage, stronger):
    """Volume = consumption + overage; batches tile the days and never outlive their BUD."""
    if not all(step.measurement is not None for step in s.steps):
        with pytest.raises(UnmeasurableDoseError):
            s.supply(bud=bud)
        return
    sup = s.supply(bud=bud, overage=overage, stronger_stock=stronger, allow_flagged=True)
    # nothing flagged leaves unmarked: a bottle with a flagged dose says so first
    for b in sup.batches:
        flagged = any(not st_.ok for st_ in s.steps
                      if st_.start_day < b.start_day + b.days and st_.end_day > b.start_day)
        if flagged and not b.stronger:
            assert b.label.startswith("FLAGGED")
        if not b.label.startswith("FLAGGED"):
            assert all(m.ok for _, _, m in b.doses)
    ov = Fraction(overage)
    if not stronger:
        daily = sum(step.exact_daily_volume() * step.days for step in s.steps)
        assert sup.exact_volume_needed == daily * (1 + ov)
    assert sup.exact_volume_needed == sum(b.exact_volume_needed for b in sup.batches)
    day = 0
    for b in sup.batches:
        assert b.start_day == day and 1 <= b.days <= bud
        assert b.start_day + b.days <= b.discard_day == b.start_day + bud
        assert b.exact_volume >= b.exact_volume_needed
        assert isinstance(b.tablets, int) and b.tablets >= 1
        # a bottle one can make up: whole mL, or whole copies of the stock's volume
        def makeable(volume):
            return volume.denominator == 1 or (volume / s.stock.volume_ml).denominator == 1
        assert makeable(b.exact_volume)
        # whole tablets, no more than needed: fewer would not hold the doses or not make up
        per_tablet = b.exact_volume / b.tablets
        assert not any(k * per_tablet >= b.exact_volume_needed and makeable(k * per_tablet)
                       for k in range(1, b.tablets))
        if b.stronger:  # never less accurate than the schedule's own stock
            for _, _, m in b.doses:
                was = next(st.measurement for st in s.steps if st.exact_dose == m.exact_target)
                assert abs(m.exact_rounding_error) <= abs(was.exact_rounding_error)
                assert m.count >= suggested_count(s.device) and m.accuracy_problem is None
        day += b.days
    assert day == s.total_days
    assert sup.tablets == sum(b.tablets for b in sup.batches)


BAD = [
    (lambda: _ladder().supply(bud=0), "bud"),
    (lambda: _ladder().supply(bud="0 days"), "bud"),
    (lambda: _ladder().supply(bud=-3), "bud"),
    (lambda: _ladder().supply(bud="2.5 days"), "bud"),
    (lambda: _ladder().supply(preparation="wet"), "preparation"),
    (lambda: _ladder().supply(preparation="solid"), "preparation"),
    (lambda: _ladder().supply(allow_flagged="yes"), "allow_flagged"),
    (lambda: _ladder().supply(overage=1), "overage"),
    (lambda: _ladder().supply(overage=-0.1), "overage"),
    (lambda: _ladder().supply(stronger_stock="yes"), "stronger_stock"),
    (lambda: _ladder().with_stock(Stock(drug="50 mg", volume="10 mL")).supply(), "tablet"),
    (lambda: beyond_use_date("tomorrow"), "made"),
    (lambda: beyond_use_days("fridge"), "preparation"),
]


@pytest.mark.parametrize(("call", "parameter"), BAD)
def test_bad_input(call, parameter):
    """Each bad supply input is an InputError naming the parameter."""
    with pytest.raises(InputError) as info:
        call()
    assert info.value.parameter == parameter


@settings(max_examples=30, deadline=None)
@given(days=st.integers(1, 40), bud=st.integers(1, 14))
def test_batch_cap_refuses_exactly_beyond_the_limit(days, bud):
    """Schedule.supply refuses (naming bud) exactly when it would need more than MAX_BATCHES."""
    from ldn_compound.errors import ErrorKind
    from ldn_compound.schedule.supply import MAX_BATCHES

    stock = Stock.from_tablets("50 mg", "50 mL")
    steps = [("1 mg", f"{days * 25} days")] * 3  # 75 x days in all
    s = Schedule.from_steps(steps, stock, Dropper())
    need = -(-s.total_days // bud)
    if need > MAX_BATCHES:
        with pytest.raises(InputError) as info:
            s.supply(bud=f"{bud} days")
        assert info.value.parameter == "bud" and info.value.kind is ErrorKind.OUT_OF_RANGE
    else:
        assert len(s.supply(bud=f"{bud} days").batches) == need
