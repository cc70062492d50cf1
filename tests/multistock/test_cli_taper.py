"""``ldn-compound taper``: text, JSON, CSV, a titration, and errors naming the flag."""

from __future__ import annotations

import json

from ldn_compound.cli import main

BASE = ["taper", "--start", "4.5 mg", "--floor", "0.05 mg", "--every", "14 days",
        "--reduction", "10 %", "--tablet", "50 mg", "--volume", "10 mL", "--dropper", "20",
        "--syringe", "1 mL", "--graduation", "0.01 mL"]


def test_text_json_and_csv(capsys):
    """The done-when plan prints as text, as JSON and as CSV, all from one plan."""
    assert main(BASE) == 0
    text = capsys.readouterr().out
    assert text.startswith("Taper plan: 4.5 mg to 50 mcg, 44 steps, 4 liquids")
    assert main([*BASE, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["steps"]) == 44 and len(data["liquids"]) == 4
    assert main([*BASE, "--csv"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 45


def test_titration_and_occupancy(capsys):
    """--target makes a titration; --emax/--ed50/--occupancy-step the occupancy method."""
    assert main(["taper", "--start", "1 mcg", "--target", "1.5 mg", "--every", "14 days",
                 "--reduction", "25 %", "--tablet", "50 mg", "--volume", "10 mL",
                 "--syringe", "1 mL"]) == 0
    assert capsys.readouterr().out.startswith("Titration plan: 1 mcg to 1.5 mg")
    assert main(["taper", "--start", "4.5 mg", "--floor", "0.5 mg", "--every", "14 days",
                 "--emax", "90 %", "--ed50", "1 mg", "--occupancy-step", "0.05",
                 "--tablet", "50 mg", "--volume", "10 mL", "--syringe", "1 mL"]) == 0
    assert "equal occupancy steps" in capsys.readouterr().out


def test_errors_name_the_flag(capsys):
    """Bad values exit 2 with one line naming the flag typed."""
    for argv, flag in (([*BASE[:8], "2", *BASE[9:]], "--reduction"),
                       ([*BASE, "--dilutions", "2,x"], "--dilutions"),
                       ([*BASE, "--max-cut-error", "0"], "--max-cut-error"),
                       ([*BASE, "--usual-max", "5 mg"], "--usual-max"),
                       ([*BASE, "--drug-name", "examplepam"], "--usual-max")):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert flag in err and len(err.splitlines()) == 1
