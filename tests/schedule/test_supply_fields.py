"""A supply's and its batches' records read back whole, refusals name their field, and a
flagged dose names the label it would go on; plot, bud and drop-ladder edges."""

import datetime as dt
import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import Dropper, InputError, Schedule, Stock
from ldn_compound.measurement import suggested_count
from ldn_compound.schedule._plan import number_ranges
from ldn_compound.schedule.supply import beyond_use_days

STOCK = Stock.from_tablets("50 mg", "5 mL")  # 10 mg/mL; 0.5 mg per 20/mL drop
# step 3 (12 mg) is 24 drops: more than a dose should be counted in, so flagged
FLAGGED = Schedule([("1 mg", 3), ("4.5 mg", 2), ("12 mg", 2)], STOCK, Dropper(20),
                   start_date="2026-01-01")


@settings(max_examples=8, deadline=None)
@given(st.integers(1, 6), st.sampled_from([None, "at night", "with water"]),
       st.booleans())
def test_supply_and_batches_read_back(bud, directions, stronger):
    """A supply read back from its record is the same supply: every stored parameter
    (bud, directions, allow_flagged, stronger stock) is read, each batch too."""
    sup = FLAGGED.supply(bud=bud, directions=directions, allow_flagged=True,
                         stronger_stock=stronger)
    d = sup.to_dict()
    assert d["directions"] == sup.directions and d["allow_flagged"] is True
    assert d["bud_days"] == bud
    back = type(sup).from_dict(d)
    assert back == sup and back.allow_flagged and back.bud_days == bud
    assert back.directions == sup.directions
    for b in sup.batches:
        again = type(b).from_dict(b.to_dict())
        assert again == b
        assert (again.label, again.stronger, again.start_date) == (b.label, b.stronger,
                                                                   b.start_date)
        assert again.start_date == dt.date(2026, 1, 1) + dt.timedelta(days=b.start_day)


@pytest.mark.parametrize(("field", "value"), [
    ("tablets", 100_001), ("tablets", 0), ("batch", 0), ("volume_exact", "x"),
    ("volume_needed_exact", "x"), ("start_date", "not a date"),
])
def test_batch_record_refuses_bad_input(field, value):
    """A batch's stored input out of range or unreadable is refused naming the field."""
    b = FLAGGED.supply(bud=2, allow_flagged=True).batches[0]
    d = b.to_dict()
    d[field] = value
    with pytest.raises(InputError) as exc:
        type(b).from_dict(d)
    assert exc.value.parameter == field


@pytest.mark.parametrize("bud", [1, 2, 3, 4, 7])
def test_flagged_dose_names_its_label(bud):
    """Refusing a flagged dose names the label (batch) that covers its step's first day."""
    step = FLAGGED.steps[2]
    with pytest.raises(InputError) as exc:
        FLAGGED.supply(bud=bud)
    assert exc.value.parameter == "schedule"
    label = int(re.search(r"on label (\d+)", exc.value.value).group(1))
    batches = FLAGGED.supply(bud=bud, allow_flagged=True).batches
    covering = [b for b in batches if b.start_day <= step.start_day < b.start_day + b.days]
    assert label == covering[0].number == step.start_day // bud + 1


def test_bud_days_upper_edge():
    """A beyond-use time of 3,660 whole days is the largest taken; 3,661 is refused."""
    assert beyond_use_days(bud=3660) == 3660
    with pytest.raises(InputError) as exc:
        beyond_use_days(bud=3661)
    assert exc.value.parameter == "bud"


def test_too_many_drop_steps_names_step_drops():
    """A drop ladder of more than the most steps is refused naming step_drops."""
    dilute = Stock.from_tablets("50 mg", "500 mL")
    with pytest.raises(InputError) as exc:
        Schedule.from_drops(dilute, Dropper(20), start_drops=1, step_drops=1,
                            max_drops=600, every="1 day")
    assert exc.value.parameter == "step_drops"


def test_suggest_stock_bad_tablet_names_tablet():
    """suggest_stock refuses an unreadable tablet strength naming ``tablet``."""
    with pytest.raises(InputError) as exc:
        FLAGGED.suggest_stock("fifty")
    assert exc.value.parameter == "tablet"


@given(st.lists(st.integers(1, 40), min_size=1, max_size=12, unique=True))
def test_number_ranges(numbers):
    """Sorted numbers are written as runs: every number once, runs of consecutive ones as
    ``a to b``, separate runs never joined."""
    numbers = sorted(numbers)
    parts = number_ranges(numbers).split(", ")
    runs = [tuple(int(x) for x in p.split(" to ")) for p in parts]
    covered = [n for r in runs for n in range(r[0], r[-1] + 1)]
    assert covered == numbers
    assert all(b[0] > a[-1] + 1 for a, b in itertools.pairwise(runs))
    assert all(len(r) == 1 or r[1] > r[0] for r in runs)


def test_plot_artists():
    """The plot's artists carry the schedule's numbers: delivered and requested step
    lines, the bounds band, each flagged step shaded and crossed, all labelled."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Rectangle

    s = Schedule([("1 mg", 3), ("1.2 mg", 2), ("12 mg", 2)], STOCK, Dropper(20))
    ax = s.plot()
    try:
        lines = {ln.get_label(): ln for ln in ax.get_lines()}
        steps = s.steps
        delivered = [float(x.measurement.exact_delivered) for x in steps]
        assert delivered != [float(x.exact_dose) for x in steps]  # 1.2 mg is rounded
        assert list(lines["delivered dose"].get_ydata()) == [*delivered, delivered[-1]]
        req = lines["requested dose"]
        assert list(req.get_ydata()) == [float(x.exact_dose) for x in steps] + [12.0]
        assert req.get_linewidth() == 1.2 and lines["delivered dose"].get_linewidth() == 2
        assert req.get_linestyle() == "--"
        assert req._unscaled_dash_pattern == (0, (4, 3))
        mark = lines["FLAGGED dose"]
        assert mark.get_marker() == "X"
        flagged = [x for x in steps if not x.ok]
        assert list(mark.get_xdata()) == [x.start_day + x.days / 2 for x in flagged]
        assert list(mark.get_ydata()) == [float(x.exact_dose) for x in flagged]
        band = [c for c in ax.collections if isinstance(c, PolyCollection)]
        assert [c.get_label() for c in band] == ["worst-case bounds"]
        spans = [p for p in ax.patches if isinstance(p, Rectangle)
                 and p.get_label() == "FLAGGED step"]
        assert len(spans) == 1
        shaded = [p for p in ax.patches if isinstance(p, Rectangle)]
        assert len(shaded) == len(flagged) and all(p.get_linewidth() == 0 for p in shaded)
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend == ["worst-case bounds", "delivered dose", "requested dose",
                          "FLAGGED step", "FLAGGED dose"]
    finally:
        plt.close(ax.figure)


@pytest.mark.parametrize("dose", ["2.25 mg", "1.8 mg", "4.5 mg"])
def test_suggested_stock_prefers_enough_units(dose):
    """A suggested stock measures the dose in at least the suggested count of units, exactly,
    when one exists in range: 2.25 mg from one 50 mg tablet is 0.9 drop per mL of stock,
    so 10 mL gives 9 drops (exact but too few) and 20 mL gives 18 exact drops."""
    s = Schedule([(dose, 7)], STOCK, Dropper(20))
    m = s.with_stock(s.suggest_stock()).steps[0].measurement
    assert m.count >= suggested_count(Dropper(20))
    assert m.exact_rounding_error == 0


@pytest.mark.parametrize(("field", "value", "parameter", "kind"), [
    ("bud_days", 0, "bud", "invalid"), ("bud_days", "x", "bud", "invalid"),
    ("preparation", "juice", "preparation", "invalid"), ("overage", "x", "overage", "invalid"),
    ("tablet_strength_exact", "x", "tablet", "invalid"),
    ("directions", 3, "directions", "invalid"),
    ("allow_flagged", "yes", "allow_flagged", "invalid"),
    ("stronger_stock", "yes", "stronger_stock", "invalid"),
    # the stored allow_flagged is read: without it the flagged step 3 is refused
    ("allow_flagged", False, "schedule", "unmeasurable"),
])
def test_supply_record_refuses_bad_input(field, value, parameter, kind):
    """Each parameter a supply record stores is read: a bad one is refused naming it."""
    sup = FLAGGED.supply(bud=2, allow_flagged=True)
    d = sup.to_dict()
    d[field] = value
    with pytest.raises(InputError) as exc:
        type(sup).from_dict(d)
    assert (exc.value.parameter, exc.value.kind.value) == (parameter, kind)


@pytest.mark.parametrize(("field", "value", "kind"), [
    ("rounding", "up-ish", "invalid"), ("max_rounding_error", "x", "invalid"),
    ("doses_per_day", 0, "out_of_range"), ("start_date", "x", "invalid"),
    ("kind", "bogus", "invalid"), ("reduction", "x", "invalid"), ("name", 3, "invalid"),
])
def test_schedule_record_refuses_bad_input(field, value, kind):
    """Each input a schedule record stores is read: a bad one is refused naming it."""
    d = FLAGGED.to_dict()
    d[field] = value
    with pytest.raises(InputError) as exc:
        Schedule.from_dict(d)
    assert (exc.value.parameter, exc.value.kind.value) == (field, kind)


@pytest.mark.parametrize("bud", [1, 2, 3, 5])
def test_batch_fields_are_their_arithmetic(bud):
    """Each batch: discard day is its first day plus the beyond-use days, its last use the
    day before (as a date, from the schedule's start), its days cover the schedule without
    gap, its volume needed is its doses' volume plus the overage, and its report says so."""
    sup = FLAGGED.supply(bud=bud, allow_flagged=True)
    day = 0
    for b in sup.batches:
        assert b.start_day == day and 1 <= b.days <= bud
        assert b.discard_day == b.start_day + bud
        first = dt.date(2026, 1, 1) + dt.timedelta(days=b.start_day)
        assert b.start_date == first
        assert b.last_use_date == first + dt.timedelta(days=bud - 1)
        d = b.to_dict()
        assert d["last_use_date"] == b.last_use_date.isoformat()
        assert (d["start_day"], d["days"], d["discard_day"], d["tablets"]) == (
            b.start_day, b.days, b.discard_day, b.tablets)
        used = sum(days * m.exact_volume for _, days, m in b.doses)
        assert b.exact_volume_needed == used * (1 + sup.overage)
        assert b.exact_volume >= b.exact_volume_needed
        rows = dict(b.report().rows)
        assert rows["Days"] == (f"{b.start_day + 1} to {b.start_day + b.days} "
                                "(day 1 is the first dose)")
        assert rows["Tablets"] == str(b.tablets) and rows["Label"] == b.label
        assert rows["Beyond-use day"] == f"{b.discard_day} (discard after it)"
        day += b.days
    assert day == FLAGGED.total_days
    assert sup.tablets == sum(b.tablets for b in sup.batches)
