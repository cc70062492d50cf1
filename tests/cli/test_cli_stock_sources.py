"""Command-line tests of --concentration and --capsule (stocks by concentration, capsules)."""

import pytest
from cli_helpers import assert_one_line_error

from ldn_compound import Stock
from ldn_compound.cli import main

_SCHEDULE = ["schedule", "--syringe", "3 mL", "--start", "1 mg", "--step", "0.5 mg",
             "--target", "2 mg", "--every", "7 days"]


@pytest.mark.parametrize(
    ("source", "stock"),
    [
        (["--concentration", "1 mg/mL", "--volume", "100 mL"],
         Stock.from_concentration("1 mg/mL", "100 mL")),
        (["--capsule", "4.5 mg", "--count", "2", "--volume", "9 mL"],
         Stock.from_capsules("4.5 mg", "9 mL", 2)),
    ],
)
@pytest.mark.parametrize("command", [
    ["measure", "--dose", "0.3 mg", "--syringe", "1 mL"],
    ["dilute", "--dose", "1 mcg"],
    _SCHEDULE,
])
def test_every_stock_command_builds_the_stock(command, source, stock, capsys):
    """measure, dilute and schedule describe the same stock the library builds."""
    assert main([*command, *source]) == 0
    assert stock.describe() in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "flag", "words"),
    [
        (["measure", "--concentration", "1 mg/mL", "--tablet", "50 mg", "--volume", "10 mL",
          "--dose", "1 mg", "--syringe", "3 mL"], "--tablet", "not allowed with"),
        (["measure", "--capsule", "1.5 mg", "--drug", "3 mg", "--volume", "10 mL",
          "--dose", "1 mg", "--syringe", "3 mL"], "--drug", "not allowed with"),
        (["measure", "--concentration", "1 mg/mL", "--count", "2", "--volume", "10 mL",
          "--dose", "1 mg", "--syringe", "3 mL"], "--count", "only with --tablet or --capsule"),
        (["measure", "--concentration", "1 mg", "--volume", "10 mL", "--dose", "1 mg",
          "--syringe", "3 mL"], "--concentration", "not a mass"),
        (["measure", "--concentration", "1 mg/mL", "--dose", "1 mg", "--syringe", "3 mL"],
         "--volume", "volume made up to"),
        (["measure", "--drug", "1 mg/mL", "--volume", "10 mL", "--dose", "1 mg",
          "--syringe", "3 mL"], "--drug", "use --concentration"),
        (["measure", "--capsule", "1.5 mg", "--count", "0.5", "--volume", "10 mL",
          "--dose", "0.1 mg", "--syringe", "3 mL"], "--count", "whole number of capsules"),
        (["measure", "--capsule", "1.5 mL", "--volume", "10 mL", "--dose", "0.1 mg",
          "--syringe", "3 mL"], "--capsule", "mass"),
        (["dilute", "--capsule", "4.5 mg", "--dose", "1 mcg"], "--volume", "volume"),
        ([*_SCHEDULE, "--concentration", "1 mg/mL", "--volume", "30 mL", "--supply"],
         "--concentration", "whole tablets"),
        ([*_SCHEDULE, "--capsule", "1.5 mg", "--volume", "30 mL", "--supply"],
         "--capsule", "whole tablets"),
    ],
)
def test_bad_or_unused_source_flags_exit_2_naming_the_flag(argv, flag, words, capsys):
    """Each bad or useless source flag is one error line naming the flag typed."""
    assert_one_line_error(argv, 2, flag, capsys)
    main(argv)
    assert words in capsys.readouterr().err
