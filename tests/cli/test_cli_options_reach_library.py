"""measure, schedule, titrate and dilute: each option reaches the library call with the
value typed, and an option left out gives the library's own default.

The expected record is the library's, computed here from the same values; the command's
``--json`` must be that record (``schedule`` wraps it as ``{"schedule": ...}``).
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ldn_compound as lc
from ldn_compound.cli import main
from ldn_compound.dilution import plan_dilution
from ldn_compound.equipment import GraduatedCylinder, VolumetricFlask
from ldn_compound.schedule import Schedule, taper, titrate

STOCK = ["--tablet", "50 mg", "--volume", "10 mL"]
DROPS = [*STOCK, "--dropper", "20"]


def tablets(count=1, volume="10 mL", **tolerances):
    return lc.Stock.from_tablets("50 mg", volume, count, **tolerances)


def dropper(**kw):
    return lc.Dropper(drops_per_mL=20, **kw)


def syringe(capacity="1 mL", **kw):
    return lc.OralSyringe(capacity=capacity, **kw)


def json_of(argv, capsys):
    """The command's exit status and its --json output, read."""
    capsys.readouterr()
    status = main([*argv, "--json"])
    out = capsys.readouterr()
    assert out.err == "", out.err
    return status, json.loads(out.out)


def verdict(result):
    return 0 if result.ok else 3


# measure: (flags after the command, the library's Measurement)
MEASURE = [
    ([*DROPS, "--dose", "1 mg"], lambda: lc.measure("1 mg", tablets(), dropper())),
    ([*DROPS, "--dose", "1.1 mg", "--rounding", "down"],
     lambda: lc.measure("1.1 mg", tablets(), dropper(), rounding="down")),
    ([*DROPS, "--dose", "1.1 mg", "--rounding", "up"],
     lambda: lc.measure("1.1 mg", tablets(), dropper(), rounding="up")),
    ([*DROPS, "--dose", "2 mg", "--max-drops", "10"],
     lambda: lc.measure("2 mg", tablets(), dropper(max_drops=10))),
    ([*DROPS, "--dose", "1 mg", "--device-tolerance", "0.05"],
     lambda: lc.measure("1 mg", tablets(), dropper(volume_error="0.05"))),
    ([*STOCK, "--syringe", "3 mL", "--graduation", "0.05 mL", "--dose", "2 mg"],
     lambda: lc.measure("2 mg", tablets(), syringe("3 mL", graduation="0.05 mL"))),
    ([*STOCK, "--syringe", "1 mL", "--device-tolerance", "0.02", "--dose", "2 mg"],
     lambda: lc.measure("2 mg", tablets(), syringe(volume_error="0.02"))),
    (["--tablet", "50 mg", "--count", "1/2", "--volume", "25 mL", "--content-tolerance", "0.05",
      "--volume-tolerance", "0.01", "--dropper", "20", "--dose", "1 mg"],
     lambda: lc.measure("1 mg", tablets("1/2", "25 mL", content_tolerance="0.05",
                                        volume_tolerance="0.01"), dropper())),
    (["--capsule", "4.5 mg", "--count", "2", "--volume", "9 mL", "--dropper", "20",
      "--dose", "1 mg"],
     lambda: lc.measure("1 mg", lc.Stock.from_capsules("4.5 mg", "9 mL", 2), dropper())),
    (["--concentration", "1 mg/mL", "--volume", "30 mL", "--syringe", "3 mL", "--dose", "2 mg"],
     lambda: lc.measure("2 mg", lc.Stock.from_concentration("1 mg/mL", "30 mL"), syringe("3 mL"))),
    (["--concentration", "1 mg/mL", "--volume", "30 mL", "--content-tolerance", "0.02",
      "--volume-tolerance", "0.01", "--syringe", "3 mL", "--dose", "2 mg"],
     lambda: lc.measure("2 mg", lc.Stock.from_concentration(
         "1 mg/mL", "30 mL", content_tolerance="0.02", volume_tolerance="0.01"), syringe("3 mL"))),
    (["--tablet", "50 mg", "--volume", "1 mL", "--dropper", "20", "--dose", "50 mg",
      "--allow-high-dose"],
     lambda: lc.measure("50 mg", tablets(volume="1 mL"), dropper(), allow_high_dose=True)),
]


@pytest.mark.parametrize(("flags", "library"), MEASURE, ids=[" ".join(f[-4:]) for f, _ in MEASURE])
def test_measure_options_reach_the_library(flags, library, capsys):
    """measure prints the library's Measurement for the options given, and its verdict."""
    m = library()
    status, data = json_of(["measure", *flags], capsys)
    assert (status, data) == (verdict(m), json.loads(m.to_json()))


def _preset():
    return lc.preset("standard-2-weekly")


# schedule: (flags after the command, the library's Schedule, a supply call or None)
SCHEDULE = [
    ([*DROPS, "--start", "1.5 mg", "--step", "0.5 mg", "--target", "3 mg", "--every", "2 weeks"],
     lambda: titrate("1.5 mg", "0.5 mg", "3 mg", "2 weeks", tablets(), dropper()), None),
    ([*DROPS, "--start", "1.5 mg", "--step", "0.5 mg", "--target", "3 mg", "--every", "1 week",
      "--hold", "4 weeks", "--rounding", "down", "--tolerance", "0.2", "--doses-per-day", "2",
      "--start-date", "2026-03-02"],
     lambda: titrate("1.5 mg", "0.5 mg", "3 mg", "1 week", tablets(), dropper(),
                     hold="4 weeks", rounding="down", max_rounding_error="0.2",
                     doses_per_day=2, start_date="2026-03-02"), None),
    ([*DROPS, "--taper", "--start", "4.5 mg", "--reduction", "0.25", "--floor", "1 mg",
      "--every", "2 weeks"],
     lambda: taper("4.5 mg", "0.25", "2 weeks", tablets(), dropper(), "1 mg"), None),
    ([*DROPS, "--taper", "--start", "4.5 mg", "--reduction", "10 %", "--floor", "3 mg",
      "--every", "1 week", "--rounding", "up"],
     lambda: taper("4.5 mg", "10 %", "1 week", tablets(), dropper(), "3 mg", rounding="up"),
     None),
    ([*DROPS, "--steps", "1.5 mg for 4 weeks; 3 mg for 2 weeks"],
     lambda: Schedule.from_steps([("1.5 mg", "4 weeks"), ("3 mg", "2 weeks")], tablets(),
                                 dropper()), None),
    ([*DROPS, "--steps", "1.1 mg for 4 weeks; 2.9 mg for 2 weeks", "--rounding", "up"],
     lambda: Schedule.from_steps([("1.1 mg", "4 weeks"), ("2.9 mg", "2 weeks")], tablets(),
                                 dropper(), rounding="up"), None),
    (["--preset", "standard-2-weekly"], _preset, None),
    (["--preset", "standard-2-weekly", "--tablet", "50 mg", "--volume", "20 mL", "--syringe",
      "3 mL"],
     lambda: lc.preset("standard-2-weekly", tablets(volume="20 mL"), syringe("3 mL")), None),
    (["--preset", "standard-2-weekly", "--supply"], _preset, lambda s: s.supply()),
    (["--preset", "standard-2-weekly", "--supply", "--preparation", "aqueous_preserved",
      "--overage", "0.25"], _preset,
     lambda s: s.supply(preparation="aqueous_preserved", overage="0.25")),
    (["--preset", "standard-2-weekly", "--supply", "--bud", "30 days", "--stronger-stock"],
     _preset, lambda s: s.supply(bud="30 days", stronger_stock=True)),
]


@pytest.mark.parametrize(("flags", "library", "supply"), SCHEDULE,
                         ids=[" ".join(f[-3:]) for f, _, _ in SCHEDULE])
def test_schedule_options_reach_the_library(flags, library, supply, capsys):
    """schedule prints the library's Schedule (and Supply) for the options given."""
    schedule = library()
    expected = {"schedule": schedule.to_dict()}
    if supply is not None:
        expected["supply"] = supply(schedule).to_dict()
    status, data = json_of(["schedule", *flags], capsys)
    assert (status, data) == (verdict(schedule), json.loads(json.dumps(expected)))


def test_schedule_suggest_stock_is_the_librarys(capsys):
    """--suggest-stock adds the library's suggested stock to the record."""
    schedule = titrate("0.5 mg", "0.5 mg", "4.5 mg", "1 week", tablets(), syringe())
    status, data = json_of(["schedule", *STOCK, "--syringe", "1 mL", "--start", "0.5 mg",
                            "--step", "0.5 mg", "--target", "4.5 mg", "--every", "1 week",
                            "--suggest-stock"], capsys)
    assert status == verdict(schedule)
    assert data["suggested_stock"] == json.loads(json.dumps(schedule.suggest_stock().to_dict()))


def test_titrate_is_schedule_without_the_other_ladders(capsys):
    """titrate with the titration's flags prints what schedule prints for them."""
    ladder = [*DROPS, "--start", "1.5 mg", "--step", "0.5 mg", "--target", "4.5 mg",
              "--every", "2 weeks", "--hold", "2 weeks"]
    assert json_of(["titrate", *ladder], capsys) == json_of(["schedule", *ladder], capsys)


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.integers(1, 8), step=st.integers(1, 4), extra=st.integers(2, 8),
       weeks=st.integers(1, 4))
def test_any_titration_reaches_the_library(start, step, extra, weeks, capsys):
    """Any --start, --step, --target (in quarter mg) and --every give the library's schedule."""
    def mg(quarters):
        return f"{quarters / 4:g} mg"

    target = start + step * extra
    schedule = titrate(mg(start), mg(step), mg(target), f"{weeks} weeks", tablets(), dropper())
    status, data = json_of(["schedule", *DROPS, "--start", mg(start), "--step", mg(step),
                            "--target", mg(target), "--every", f"{weeks} weeks"], capsys)
    assert (status, data) == (verdict(schedule), {"schedule": schedule.to_dict()})


SYRINGES = tuple(syringe(c) for c in ("1 mL", "3 mL", "5 mL", "10 mL"))


def cylinders(glass_class="B", sizes=("10 mL", "25 mL", "50 mL", "100 mL")):
    return tuple(GraduatedCylinder(c, glass_class=glass_class) for c in sizes)


# dilute: (flags after the command, the library's DilutionPlan)
DILUTE = [
    (["--dose", "1 mcg", "--tablet", "50 mg"], lambda: plan_dilution("1 mcg", "50 mg")),
    (["--dose", "1 mcg", "--tablet", "50 mg", "--count", "2"],
     lambda: plan_dilution("1 mcg", "50 mg", tablets=2)),
    (["--dose", "1 mcg", "--dose", "5 mcg", "--tablet", "50 mg"],
     lambda: plan_dilution(None, "50 mg", doses=["1 mcg", "5 mcg"])),
    (["--dose", "10 mcg", *STOCK], lambda: plan_dilution("10 mcg", tablets())),
    (["--dose", "2 mcg", "--tablet", "50 mg", "--syringe", "3 mL"],
     lambda: plan_dilution("2 mcg", "50 mg", syringe("3 mL"))),
    (["--dose", "2 mcg", "--tablet", "50 mg", "--dropper", "20"],
     lambda: plan_dilution("2 mcg", "50 mg", dropper())),
    (["--dose", "2 mcg", "--tablet", "50 mg", "--tolerance", "0.05", "--max-volume", "50 mL"],
     lambda: plan_dilution("2 mcg", "50 mg", max_rounding_error="0.05", max_volume="50 mL")),
    (["--dose", "2 mcg", "--tablet", "50 mg", "--content-tolerance", "0.05"],
     lambda: plan_dilution("2 mcg", "50 mg", tablets=1, content_tolerance="0.05")),
    (["--dose", "2 mcg", "--tablet", "50 mg", "--transfer-syringes", "1 mL,5 mL",
      "--cylinder-class", "A"],
     lambda: plan_dilution("2 mcg", "50 mg", equipment=(syringe(), syringe("5 mL"),
                                                        *cylinders("A")))),
    (["--dose", "2 mcg", "--tablet", "50 mg", "--cylinders", "none", "--flasks",
      "25 mL,100 mL"],
     lambda: plan_dilution("2 mcg", "50 mg", equipment=(*SYRINGES, VolumetricFlask("25 mL"),
                                                        VolumetricFlask("100 mL")))),
    (["--dose", "2 mcg", "--tablet", "50 mg", "--cylinders", "25 mL, 100 mL"],
     lambda: plan_dilution("2 mcg", "50 mg", equipment=(*SYRINGES,
                                                        *cylinders(sizes=("25 mL", "100 mL"))))),
]


@pytest.mark.parametrize(("flags", "library"), DILUTE, ids=[" ".join(f[:6]) for f, _ in DILUTE])
def test_dilute_options_reach_the_library(flags, library, capsys):
    """dilute prints the library's DilutionPlan for the options given."""
    plan = library()
    status, data = json_of(["dilute", *flags], capsys)
    assert status == (0 if all(m.ok for m in plan.measurements) else 3)
    assert data == json.loads(json.dumps(plan.to_dict()))


def test_dilute_simulation_is_the_librarys(capsys):
    """--simulate N --seed S adds the library's simulation of the plan, with that seed."""
    plan = plan_dilution("1 mcg", "50 mg")
    status, data = json_of(["dilute", "--dose", "1 mcg", "--tablet", "50 mg", "--simulate",
                            "200", "--seed", "7"], capsys)
    assert status == (0 if all(m.ok for m in plan.measurements) else 3)
    assert data["simulation"] == json.loads(json.dumps(plan.simulate(200, 7).to_dict()))
    assert data["simulation"] != json.loads(json.dumps(plan.simulate(200, 8).to_dict()))


FLAGGED = [*STOCK, "--syringe", "1 mL", "--start", "0.5 mg", "--step", "0.5 mg", "--target",
           "4.5 mg", "--every", "1 week", "--supply"]


def _flagged():
    return titrate("0.5 mg", "0.5 mg", "4.5 mg", "1 week", tablets(), syringe())


def test_flagged_schedule_gets_no_supply_unless_allowed(capsys):
    """A flagged schedule with --supply prints the schedule, no supply, and exits 3; with
    --allow-flagged it prints the library's supply marked so, and still exits 3."""
    schedule = _flagged()
    assert not schedule.ok
    capsys.readouterr()
    assert main(["schedule", *FLAGGED]) == 3
    out = capsys.readouterr()
    assert out.out == f"{schedule}\n" and len(out.err.splitlines()) == 1
    status, data = json_of(["schedule", *FLAGGED, "--allow-flagged"], capsys)
    assert status == 3
    assert data["supply"] == json.loads(json.dumps(schedule.supply(allow_flagged=True).to_dict()))


@pytest.mark.parametrize("source", [["--drug", "50 mg"], ["--capsule", "4.5 mg"],
                                    ["--concentration", "5 mg/mL"]])
def test_supply_needs_tablets(source, capsys):
    """--supply from a stock not made of tablets is refused naming the stock's flag."""
    capsys.readouterr()
    assert main(["schedule", "--preset", "standard-2-weekly", *source, "--volume", "10 mL",
                 "--dropper", "20", "--supply"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and f"error: {source[0]}:" in err[0]


def test_percent_is_reduction_with_a_warning(capsys):
    """The deprecated --percent 10 plans what --reduction '10 %' plans, and warns after."""
    taper_flags = [*DROPS, "--taper", "--start", "4.5 mg", "--floor", "3 mg", "--every",
                   "1 week"]
    capsys.readouterr()
    assert main(["schedule", *taper_flags, "--percent", "10", "--json"]) == 0
    old = capsys.readouterr()
    assert main(["schedule", *taper_flags, "--reduction", "10 %", "--json"]) == 0
    assert json.loads(old.out) == json.loads(capsys.readouterr().out)
    assert len(old.err.splitlines()) == 1 and "--reduction '10 %'" in old.err
