"""The command line never exits 0 on a flagged result, and never prints a label for a
flagged step unless --allow-flagged (which marks it)."""

from __future__ import annotations

import json
import re

import pytest

from ldn_compound import OralSyringe, Stock, measure
from ldn_compound.cli import main

STOCK = ["--tablet", "50 mg", "--volume", "10 mL"]
FLAGGED_SCHEDULE = ["schedule", "--start", "0.5 mg", "--step", "0.5 mg", "--target", "2 mg",
                    "--every", "1 week", "--tablet", "50 mg", "--volume", "50 mL",
                    "--syringe", "5 mL"]  # 0.5 mL of a 5 mL syringe: below 20 %


@pytest.mark.parametrize(("argv", "status"), [
    (["measure", *STOCK, "--dose", "1.5 mg", "--syringe", "10 mL"], 3),  # +33.3 %
    (["measure", "--tablet", "4.5 mg", "--volume", "10 mL", "--dose", "4.5 mg",
      "--dropper", "20"], 3),  # 200 drops, the whole bottle
    (["measure", *STOCK, "--dose", "4.5 mg", "--dropper", "20"], 0),  # 18 drops
    (["measure", *STOCK, "--dose", "1.5 mg", "--syringe", "10 mL", "--json"], 3),
])
def test_measure_exits_3_exactly_when_flagged(argv, status, capsys):
    """measure: exit 3 for a flagged dose (text or JSON, the verdict printed), else 0."""
    assert main(argv) == status
    out = capsys.readouterr().out
    if "--json" in argv:
        assert json.loads(out)["ok"] is (status == 0)
    else:
        assert bool(re.search(r"Verdict: +FLAGGED", out)) == (status == 3)


def test_measure_status_is_the_library_verdict(capsys):
    """The exit status follows Measurement.ok, the one rule."""
    m = measure("1.5 mg", Stock.from_tablets("50 mg", "10 mL"), OralSyringe("10 mL"))
    assert main(["measure", *STOCK, "--dose", "1.5 mg", "--syringe", "10 mL"]) == \
        (0 if m.ok else 3)
    capsys.readouterr()


def test_a_flagged_schedule_gets_no_label(capsys):
    """schedule --supply of a flagged schedule: the schedule, no labels, one stderr line
    naming --allow-flagged, exit 3."""
    assert main([*FLAGGED_SCHEDULE, "--supply"]) == 3
    captured = capsys.readouterr()
    assert "FLAGGED" in captured.out and "Label 1" not in captured.out
    assert len(captured.err.strip().splitlines()) == 1 and "--allow-flagged" in captured.err


def test_allow_flagged_marks_the_labels_and_still_exits_3(capsys):
    """--allow-flagged prints the labels, each flagged one marked first; exit 3 still."""
    assert main([*FLAGGED_SCHEDULE, "--supply", "--allow-flagged"]) == 3
    out = capsys.readouterr().out
    assert "Label 1: FLAGGED, do not dispense unchecked: step 1:" in out


def test_allow_flagged_needs_supply(capsys):
    """--allow-flagged without --supply is refused naming both flags (exit 2)."""
    assert main([*FLAGGED_SCHEDULE, "--allow-flagged"]) == 2
    err = capsys.readouterr().err
    assert "--allow-flagged" in err and "--supply" in err


def test_solid_is_not_an_oral_liquid(capsys):
    """--preparation solid is refused by the parser for schedules and plans (exit 2)."""
    assert main(["schedule", "--preset", "drops-18", "--supply", "--preparation", "solid"]) == 2
    assert "preserved_glycerol" in capsys.readouterr().err


def test_preserved_glycerol_on_the_command_line(capsys):
    """--preparation preserved_glycerol makes 60-day bottles that name the vehicle."""
    assert main(["schedule", "--preset", "drops-18", "--supply", "--preparation",
                 "preserved_glycerol"]) == 0
    out = capsys.readouterr().out
    assert "Supply: 3 batches" in out and "glycerol" in out and "60 days" in out


def test_a_flagged_taper_plan_exits_3(capsys):
    """taper: a plan with a flagged step exits 3 (a cut a dropper cannot keep, in a plan
    flagged in fewer than half its steps: a plan mostly of flags is refused, exit 2)."""
    argv = ["taper", "--start", "4.5 mg", "--floor", "0.25 mg", "--every", "14 days",
            "--reduction", "15 %", "--tablet", "50 mg", "--volume", "10 mL", "--dropper", "20"]
    assert main(argv) == 3
    assert "FLAGGED" in capsys.readouterr().out
    ok = ["taper", "--start", "4.5 mg", "--floor", "1 mg", "--every", "14 days", "--reduction",
          "10 %", "--tablet", "50 mg", "--volume", "10 mL", "--dropper", "20", "--syringe",
          "1 mL", "--graduation", "0.01 mL"]
    assert main(ok) == 0
    assert "FLAGGED" not in capsys.readouterr().out


def test_a_flagged_dilution_dose_exits_3_and_says_why(capsys):
    """dilute: a dose served as more than 20 drops exits 3 with its verdict as a warning;
    a plan with every dose ok exits 0."""
    assert main(["dilute", "--dose", "10 mcg", "--dose", "300 mcg", "--tablet", "50 mg",
                 "--dropper", "20"]) == 3
    assert "0.3 mg is FLAGGED: " in capsys.readouterr().out
    assert main(["dilute", "--dose", "1 mcg", "--tablet", "50 mg"]) == 0
    assert "FLAGGED" not in capsys.readouterr().out
