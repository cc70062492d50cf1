"""Tests of the schedule and presets commands (ldn-compound schedule / presets)."""

import csv
import io
import json
import subprocess
import sys

import pytest

from ldn_compound.cli import main

STOCK = ["--tablet", "50 mg", "--volume", "10 mL", "--dropper", "20"]


def test_preset_text(capsys):
    """--preset drops-18 prints the 18-week ladder ending at 18 drops."""
    assert main(["schedule", "--preset", "drops-18"]) == 0
    out = capsys.readouterr().out
    assert "0.25 mg to 4.5 mg in 18 steps over 126 days" in out
    assert "18 drops (0.9 mL)" in out


def test_explicit_titration_with_supply(capsys):
    """Explicit options with --supply and --start-date print batches and dated labels."""
    assert main(["schedule", "--start", "1.5 mg", "--step", "0.5 mg", "--target", "4.5 mg",
                 "--every", "2 weeks", *STOCK, "--supply", "--start-date", "2026-11-22"]) == 0
    out = capsys.readouterr().out
    assert "7 steps over 98 days" in out
    assert "Supply: 7 batches, 10 x 50 mg tablets, 100 mL made" in out
    assert ("Naltrexone hydrochloride 5 mg/mL oral suspension, 10 mL. Compounded preparation, "
            "batch 1. Shake well. Take 6 drops (0.3 mL) = 1.5 mg by mouth at bedtime. "
            "Beyond-use date: 2026-12-05; discard after it. Keep refrigerated.") in out


def test_taper_and_steps(capsys):
    """--taper and --steps build a taper and a written ladder."""
    assert main(["schedule", "--taper", "--start", "4.5 mg", "--percent", "10", "--every",
                 "2 weeks", "--floor", "2 mg", *STOCK]) == 0
    assert "Taper: 4.5 mg to 2 mg" in capsys.readouterr().out
    assert main(["schedule", "--steps", "1.5 mg for 4 weeks; 3 mg for 4 weeks", *STOCK]) == 0
    assert "1.5 mg to 3 mg in 2 steps over 56 days" in capsys.readouterr().out


def test_json_and_csv(capsys):
    """--json and --csv print machine-readable steps (and batches with --supply)."""
    assert main(["schedule", "--preset", "standard-2-weekly", "--supply", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schedule"]["total_days"] == 98 and data["supply"]["tablets"] == 10
    assert main(["schedule", "--preset", "standard-2-weekly", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 7 and rows[-1]["measure"] == "18 drops (0.9 mL)"


def test_preset_takes_rounding(capsys):
    """--rounding reaches a preset: 0.5 mg at 1.5 mg/mL is 6.67 drops, 6 down and 7 up."""
    base = ["schedule", "--preset", "half-mg-weekly", "--tablet", "30 mg", "--volume",
            "20 mL", "--dropper", "20", "--json"]
    # 30 mg / 20 mL = 1.5 mg/mL = 0.075 mg per drop; 0.5 / 0.075 = 6.67 drops.
    counts = {}
    for mode in ("down", "up"):
        main([*base, "--rounding", mode])
        data = json.loads(capsys.readouterr().out)["schedule"]
        assert data["rounding"] == mode
        counts[mode] = data["steps"][0]["count"]
    assert counts == {"down": 6, "up": 7}


def test_flagged_schedule_exits_3(capsys):
    """A schedule with a flagged step prints it and exits 3."""
    assert main(["schedule", "--start", "0.1 mg", "--step", "0.1 mg", "--target", "0.3 mg",
                 "--every", "7 days", *STOCK, "--suggest-stock"]) == 3
    out = capsys.readouterr().out
    assert "FLAGGED" in out and "Suggested stock:" in out


def test_presets_lists_names_and_sources(capsys):
    """ldn-compound presets lists each preset with its source."""
    assert main(["presets"]) == 0
    out = capsys.readouterr().out
    assert "drops-18" in out and "Source:" in out and "not recommendations" in out
    assert main(["presets", "--json"]) == 0
    assert {p["name"] for p in json.loads(capsys.readouterr().out)} >= {"drops-18"}


@pytest.mark.parametrize(("argv", "flag"), [
    (["schedule", "--preset", "nope"], "--preset"),
    (["schedule", "--start", "1 mg", "--step", "1 mg", "--target", "2 mg", "--every", "0 days",
      *STOCK], "--every"),
    (["schedule", "--start", "1 mg", "--every", "7 days", *STOCK], "--step"),
    (["schedule", "--taper", "--start", "4.5 mg", "--every", "7 days", "--percent", "100",
      "--floor", "1 mg", *STOCK], "--percent"),
    (["schedule", "--preset", "drops-18", "--supply", "--bud", "0 days"], "--bud"),
    (["schedule", "--start", "1 mg", "--step", "1 mg", "--target", "2 mg", "--every",
      "7 days"], "--volume"),
    (["schedule", "--steps", "1 mg 4 weeks", *STOCK], "--steps"),
    (["schedule", "--preset", "half-mg-weekly", "--start", "1 mg"], "--start"),
    (["schedule", "--preset", "half-mg-weekly", "--target", "3 mg"], "--target"),
    (["schedule", "--preset", "half-mg-weekly", "--every", "2 weeks"], "--every"),
    (["schedule", "--preset", "half-mg-weekly", "--hold", "2 weeks"], "--hold"),
    (["schedule", "--preset", "drops-18", "--steps", "1 mg for 4 weeks"], "--steps"),
    (["schedule", "--preset", "drops-18", "--taper"], "--taper"),
    (["schedule", "--drug", "100 mg", "--volume", "100 mL", "--dropper", "20", "--start",
      "1 mg", "--step", "1 mg", "--target", "3 mg", "--every", "7 days", "--supply"], "--tablet"),
])
def test_bad_input_exits_2(capsys, argv, flag):
    """Bad options exit 2 with one line naming the flag."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and flag in err


def test_cli_path_does_not_import_pint_or_numpy():
    """The schedule command with supply runs without importing pint or numpy."""
    code = ("import sys; from ldn_compound.cli import main; "
            "main(['schedule', '--preset', 'drops-18', '--supply', '--json']); "
            "assert 'pint' not in sys.modules and 'numpy' not in sys.modules, 'heavy import'")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
