"""Tests of the dilute command (ldn-compound dilute)."""

import json
import subprocess
import sys

import pytest
from cli_helpers import assert_one_line_error, with_flags

from ldn_compound.cli import main

BASE = ["dilute", "--dose", "1 mcg", "--tablet", "50 mg"]


def test_dilute_text(capsys):
    """dilute prints the numbered steps of the 1 mcg worked example and its bounds."""
    assert main(BASE) == 0
    out = capsys.readouterr().out
    for needle in ("Dilution plan for 1 mcg: 2 steps",
                   "1. Crush 1 x 50 mg tablet, make up to 45 mL",
                   "2. Take 0.2 mL of the step 1 liquid with a 1 mL oral syringe",
                   "3. For 1 mcg: measure 0.2 mL (20 graduations of 0.01 mL)",
                   "Worst-case bounds: 0.7233 to 1.369 mcg"):
        assert needle in out


def test_dilute_json_with_simulation(capsys):
    """--json prints the plan (and --simulate's percentiles) as JSON."""
    assert main([*BASE, "--json", "--simulate", "1000", "--seed", "7"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["steps"][1]["take"] == "0.2 mL" and data["steps"][1]["make_up_to"] == "44 mL"
    assert data["simulation"]["n"] == 1000 and data["simulation"]["seed"] == 7
    assert set(data["simulation"]["percentiles"]) == {"0.5", "2.5", "50", "97.5", "99.5"}


def test_dilute_ladder_and_stock_source(capsys):
    """Repeated --dose plans a ladder; --volume makes the tablets a stock to start from."""
    assert main(["dilute", "--dose", "1 mcg", "--dose", "2 mcg", "--tablet", "50 mg",
                 "--volume", "50 mL", "--dropper", "20", "--tolerance", "0.15"]) == 0
    out = capsys.readouterr().out
    assert "Dilution plan for 1 mcg and 2 mcg" in out and "of the stock with" in out


def test_dilute_with_other_equipment(capsys):
    """--transfer-syringes, --cylinders, --cylinder-class and --flasks choose the equipment."""
    assert main([*BASE, "--transfer-syringes", "3 mL", "--cylinders", "10 mL",
                 "--cylinder-class", "A", "--flasks", "25 mL", "--max-volume", "25 mL"]) == 0
    out = capsys.readouterr().out
    assert "3 mL oral syringe" in out and "1 mL oral syringe" in out  # transfer, dose
    assert "Take 0.2 mL" not in out  # a 3 mL syringe measures from 0.6 mL


@pytest.mark.parametrize(
    ("args", "status", "needle"),
    [
        (["--dose", "1 mL"], 2, "--dose"),
        (["--tablet", "fifty"], 2, "--tablet"),
        (["--tolerance", "0"], 2, "--tolerance"),
        (["--max-volume", "10 mg"], 2, "--max-volume"),
        (["--cylinders", "12 mL"], 2, "--cylinders: expected the graduation of a 12 mL"),
        (["--transfer-syringes", "2 mL"], 2, "--transfer-syringes: expected the graduation"),
        (["--flasks", "30 mL"], 2, "--flasks: expected the tolerance of a 30 mL"),
        (["--simulate", "5"], 2, "--simulate"),
        (["--dose", "40 mg"], 3, "Would work"),
        (["--transfer-syringes", "10 mL", "--cylinders", "10 mL"], 3, "no plan for 1 mcg"),
    ],
)
def test_bad_arguments(args, status, needle, capsys):
    """Bad input: one stderr line naming the flag, status 2; no plan: status 3."""
    assert_one_line_error(with_flags(BASE, args), status, needle, capsys)


def test_missing_source_is_named(capsys):
    """Without --tablet or --drug the missing source is named."""
    assert main(["dilute", "--dose", "1 mcg"]) == 2
    assert "--tablet" in capsys.readouterr().err


def test_dilute_does_not_import_pint_or_numpy():
    """Planning from the command line loads neither pint nor numpy (only --simulate does)."""
    code = ("import sys; from ldn_compound.cli import main; main(" + repr(BASE) +
            "); print('pint' in sys.modules, 'numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().endswith("False False")


def test_triturate_text_and_json(capsys):
    """triturate prints the 50 mcg capsule plan; --json the same as JSON."""
    assert main(["triturate", "--dose", "50 mcg", "--capsules", "100"]) == 0
    assert "Weigh 120 mg of naltrexone powder; add 2,760 mg of filler" in capsys.readouterr().out
    assert main(["triturate", "--dose", "1 mcg", "--capsules", "30", "--powder", "base",
                 "--purity", "0.99", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["powder_form"] == "base" and len(data["steps"]) == 2


@pytest.mark.parametrize(
    ("args", "status", "needle"),
    [
        (["--dose", "1 mL"], 2, "--dose"),
        (["--dose", "1 mcg", "--capsules", "0"], 2, "--capsules"),
        (["--dose", "1 mcg", "--purity", "2"], 2, "--purity"),
        (["--dose", "1 mcg", "--sensitivity", "6 mL"], 2, "--sensitivity"),
        (["--dose", "1 mcg", "--capsules", "1", "--fill", "100 mg"], 3, "least weighable"),
    ],
)
def test_triturate_bad_arguments(args, status, needle, capsys):
    """triturate: bad input names the flag (status 2); an impossible batch is status 3."""
    assert main(["triturate", *args]) == status
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1
