"""Tests of the command line's front door: flags named as typed, strict flags, safe echo."""

import pytest
from cli_helpers import parser_options

from ldn_compound.cli import _flags as flags
from ldn_compound.cli import main
from ldn_compound.cli._flags import FlagError, printable, quoted
from ldn_compound.cli._main import COMMANDS
from ldn_compound.errors import InputError

STOCK = ["--tablet", "50 mg", "--volume", "10 mL"]
MEASURE = ["measure", *STOCK, "--dose", "4.5 mg", "--dropper", "20"]
TITRATE = ["schedule", *STOCK, "--dropper", "20", "--start", "1.5 mg", "--step", "0.5 mg",
           "--target", "4.5 mg", "--every", "2 weeks"]
TAPER = ["schedule", *STOCK, "--syringe", "1 mL", "--taper", "--start", "4.5 mg",
         "--every", "2 weeks", "--floor", "3 mg"]
DILUTE = ["dilute", "--dose", "1 mcg", "--tablet", "50 mg"]


def run(argv, capsys):
    """Run the command line; the status and the stderr lines."""
    status = main(argv)
    return status, capsys.readouterr().err.splitlines()


# (command line, flag the one stderr line must name, words it must contain)
REFUSED = [
    # issue 8: a repeated --dose silently kept the last
    ([*MEASURE, "--dose", "1 mg"], "--dose", "more than once"),
    ([*MEASURE, "--dropper", "25"], "--dropper", "more than once"),
    ([*MEASURE, "--json", "--json"], "--json", "more than once"),
    ([*TITRATE, "--tolerance", "0.1", "--tolerance", "0.2"], "--tolerance", "more than once"),
    # issue 8: --percent and --floor without --taper were silently ignored
    ([*TITRATE, "--percent", "10"], "--percent", "taper"),
    ([*TITRATE, "--floor", "1 mg"], "--floor", "taper"),
    ([*TITRATE, "--reduction", "0.1"], "--reduction", "taper"),
    ([*TAPER, "--percent", "10", "--step", "0.5 mg"], "--step", "--taper"),
    ([*TAPER, "--percent", "10", "--target", "1 mg"], "--target", "--taper"),
    ([*TAPER, "--percent", "10", "--hold", "1 week"], "--hold", "--taper"),
    ([*TAPER, "--percent", "10", "--reduction", "0.1"], "--reduction", "not allowed"),
    (["schedule", *STOCK, "--dropper", "20", "--steps", "1 mg for 4 weeks", "--start", "1 mg"],
     "--start", "--steps"),
    (["schedule", "--preset", "drops-18", "--floor", "1 mg"], "--floor", "--preset"),
    (["schedule", "--preset", "drops-18", "--reduction", "0.1"], "--reduction", "--preset"),
    (["schedule", "--preset", "drops-18", "--bud", "30 days"], "--bud", "--supply"),
    (["schedule", "--preset", "drops-18", "--overage", "0.2"], "--overage", "--supply"),
    (["schedule", "--preset", "drops-18", "--preparation", "aqueous_preserved"], "--preparation",
     "--supply"),
    (["schedule", "--preset", "drops-18", "--count", "2"], "--count", "--tablet"),
    (["schedule", "--preset", "drops-18", "--device-tolerance", "0.05"], "--device-tolerance",
     "--dropper"),
    (["measure", "--drug", "50 mg", "--count", "2", "--volume", "10 mL", "--dose", "4.5 mg",
      "--dropper", "20"], "--count", "--tablet"),
    ([*MEASURE[:-2], "--syringe", "1 mL", "--max-drops", "3"], "--max-drops", "--dropper"),
    ([*DILUTE, "--seed", "3"], "--seed", "--simulate"),
    ([*DILUTE, "--cylinders", "none", "--cylinder-class", "A"], "--cylinder-class", "cylinders"),
    ([*DILUTE, "--device-tolerance", "0.05"], "--device-tolerance", "--syringe"),
    # issue 9: a stock below 1 mL needs --volume-tolerance, and the error names that flag
    (["measure", "--tablet", "1 mg", "--volume", "0.5 mL", "--dose", "0.2 mg", "--syringe",
      "1 mL"], "--volume-tolerance", "at least 1 mL"),
    ([*MEASURE[:3], "--volume-tolerance", "2", *MEASURE[3:]], "--volume-tolerance", "0.02"),
    ([*DILUTE, "--volume-tolerance", "0.02"], "--volume-tolerance", "--volume"),
    (["schedule", "--preset", "drops-18", "--volume-tolerance", "0.02"], "--volume-tolerance",
     "--volume"),
    # issue 9: dilute's equipment errors named a flag that does not exist (--equipment)
    ([*DILUTE, "--cylinders", "none", "--flasks", "none"],
     "--transfer-syringes/--cylinders/--flasks", "make up to volume"),
    ([*DILUTE, "--cylinders", "none", "--transfer-syringes", "none"],
     "--transfer-syringes/--cylinders/--flasks", "transfers"),
    # issue 9: one parameter name, two flags; each error names the one typed
    ([*DILUTE, "--syringe", "1 mL", "--device-tolerance", "0.9"], "--device-tolerance",
     "expected"),
    ([*DILUTE, "--tolerance", "0.9"], "--tolerance", "expected"),
    (["schedule", "--preset", "drops-18", "--tolerance", "2"], "--tolerance", "expected"),
    (["schedule", "--preset", "drops-18", "--dropper", "20", "--device-tolerance", "2"],
     "--device-tolerance", "expected"),
    # ratios: a bare --percent of at most 1 is ambiguous; both readings shown
    ([*TAPER, "--percent", "0.1"], "--percent", "0.1 % or 10 %"),
    ([*TAPER, "--percent", "1"], "--percent", "1 % or 100 %"),
    # issue 8: numbers of thousands of digits, huge exponents, long text
    ([*MEASURE[:-2], "--dropper", "1" * 5000], "--dropper", "at most 256 characters"),
    (["measure", *STOCK, "--count", "9" * 5000, "--dose", "4.5 mg", "--dropper", "20"],
     "--count", "at most 256 characters"),
    (["measure", *STOCK, "--dose", "1e100000000 mg", "--dropper", "20"], "--dose", "exponent"),
    (["measure", *STOCK, "--dose", "4.5 m" + " " * 30000 + "x", "--dropper", "20"], "--dose",
     "30,006 characters"),
    (["triturate", "--dose", "1 mcg", "--capsules", "1e99999"], "--capsules", "exponent"),
    # issue 8: a --preset with a newline gives one line
    (["schedule", "--preset", "drops\n18"], "--preset", "drops\\n18"),
    (["schedule", "--preset", "x\ny", "--start", "1 mg"], "--start", "x\\ny"),
]


@pytest.mark.parametrize(("argv", "flag", "words"), REFUSED)
def test_refused_flags_exit_2_naming_the_flag(argv, flag, words, capsys):
    """Each refused command line exits 2 with one stderr line naming the typed flag."""
    status, lines = run(argv, capsys)
    assert status == 2, lines
    assert len(lines) == 1
    assert f"{flag}:" in lines[0] or f"argument {flag}" in lines[0]
    assert words in lines[0]


@pytest.mark.parametrize("extra", [
    ["--percent", "10 %"], ["--reduction", "0.1"], ["--reduction", "10 %"],
])
def test_percent_and_reduction_agree(extra, capsys):
    """--percent 10, --reduction 0.1 and --reduction '10 %' print the same taper."""
    assert main([*TAPER, *extra]) == 0
    out = capsys.readouterr().out
    assert main([*TAPER, "--percent", "10"]) == 0
    assert out == capsys.readouterr().out


def test_reduction_above_one_is_refused_naming_it(capsys):
    """A bare --reduction above 1 is refused, naming --reduction and the percent spelling."""
    status, lines = run([*TAPER, "--reduction", "10"], capsys)
    assert status == 2 and len(lines) == 1
    assert "--reduction" in lines[0] and "10 %" in lines[0]


def test_override_names_the_flag_not_the_keyword():
    """An InputError carrying an override is told as the flag that overrides it."""
    exc = InputError("dose", "45 mg", "a low dose")
    exc.override = "allow_high_dose"  # the errors branch adds this field
    text = str(FlagError.from_input(exc, {"dose": "--dose",
                                          "allow_high_dose": "--allow-high-dose"}))
    assert text.startswith("--dose: expected a low dose")
    assert "pass --allow-high-dose if it is meant" in text


def test_high_dose_names_allow_high_dose(capsys):
    """The 45 mg guard on the command line names --allow-high-dose, not the keyword."""
    status, lines = run(["measure", *STOCK, "--dose", "45 mg", "--dropper", "20"], capsys)
    assert status == 2 and len(lines) == 1
    assert "--allow-high-dose" in lines[0] and "allow_high_dose" not in lines[0]


def test_step_past_the_target_is_not_silent(capsys):
    """--step 5 mg from 1.5 to 4.5 mg is refused (2) or flagged (3), naming the step."""
    argv = ["schedule", *STOCK, "--dropper", "20", "--start", "1.5 mg", "--step", "5 mg",
            "--target", "4.5 mg", "--every", "2 weeks"]
    status = main(argv)
    captured = capsys.readouterr()
    assert status in (2, 3)
    assert "step" in (captured.out + captured.err).lower()


def test_internal_error_is_one_line_status_70(monkeypatch, capsys):
    """An unexpected exception is one 'internal error' line with status 70, no traceback."""
    import ldn_compound.cli._measure as cmd

    def boom(*args, **kwargs):
        raise ZeroDivisionError("bad\nthing")

    monkeypatch.setattr(cmd, "measure", boom)
    status, lines = run(MEASURE, capsys)
    assert status == 70 and len(lines) == 1
    assert lines[0] == ("ldn-compound: internal error (ZeroDivisionError): bad\\nthing; "
                        "please report this")


@pytest.mark.parametrize(("text", "limit", "shown"), [
    ("4.5 mg", None, "4.5 mg"),
    ("a\nb\x00c\u202e", None, "a\\nb\\x00c\\u202e"),
    ("x" * 100, 10, "x" * 10 + "…"),
    ("၄੮ mg", None, "၄੮ mg"),
])
def test_printable(text, limit, shown):
    """printable escapes what a terminal would act on and cuts long text with '…'."""
    assert printable(text, limit) == shown


def test_quoted_is_one_short_line():
    """quoted gives one line of bounded length for any value."""
    q = quoted("\n" * 1000)
    assert "\n" not in q and len(q) < 300


def test_supply_of_a_decade_long_ladder_answers_within_seconds(capsys):
    """351 steps of 3000 days with a 1-day beyond-use date answers (or is refused) in 2 s."""
    import signal

    def stop(signum, frame):
        raise TimeoutError("supply ran past 2 s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(2)
    try:
        status = main(["schedule", *STOCK, "--dropper", "20", "--start", "1 mg", "--step",
                       "0.01 mg", "--target", "4.5 mg", "--every", "3000 days", "--supply",
                       "--bud", "1 day", "--csv"])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert status == 2


@pytest.mark.parametrize(("command", "table"), [
    *((name, flags.COMMAND_FLAGS[name]) for name in sorted(COMMANDS)),
    ("schedule", flags.LADDER_FLAGS), ("schedule", flags.SUPPLY_FLAGS),
    ("dilute", flags.PLAN_FLAGS), ("dilute", flags.SIMULATE_FLAGS),
    *(("dilute", table) for table in flags.GLASSWARE_FLAGS.values()),
])
def test_every_flag_the_map_names_exists(command, table):
    """Every flag an error can be told as is an option the command really has."""
    options = {flag for flag, _ in parser_options(command)}
    missing = {flag for flag in table.values() for part in flag.split("/")
               if part not in options}
    assert not missing, missing


# (module to patch, name there, command line, parameter the library names, flag typed)
RENAMED = [
    # issue 9: one name per meaning; the new name and the old both tell the flag typed
    ("_options", "Dropper", MEASURE, "volume_error", "--device-tolerance"),
    ("_options", "Dropper", MEASURE, "tolerance", "--device-tolerance"),
    ("_schedule", "titrate", TITRATE, "max_rounding_error", "--tolerance"),
    ("_schedule", "titrate", TITRATE, "tolerance", "--tolerance"),
    ("_dilute", "GraduatedCylinder", DILUTE, "tolerance_ml", "--cylinders"),
    ("_dilute", "VolumetricFlask", [*DILUTE, "--flasks", "25 mL"], "tolerance_ml", "--flasks"),
    ("_options", "Stock", ["measure", "--drug", "1 mg", *MEASURE[3:]], "volume_tolerance",
     "--volume-tolerance"),
]


@pytest.mark.parametrize(("module", "name", "argv", "parameter", "flag"), RENAMED)
def test_renamed_parameters_name_the_flag_typed(module, name, argv, parameter, flag,
                                                monkeypatch, capsys):
    """A library error naming a parameter (new name or old) is told as its flag."""
    import importlib

    def refuse(*args, **kwargs):
        raise InputError(parameter, "2", "a value that works")

    monkeypatch.setattr(importlib.import_module(f"ldn_compound.cli.{module}"), name, refuse)
    status, lines = run(argv, capsys)
    assert status == 2 and len(lines) == 1, lines
    assert lines[0].startswith(f"ldn-compound: error: {flag}: expected a value that works; got ")


def test_plan_dilution_rounding_error_names_tolerance(monkeypatch, capsys):
    """plan_dilution's max_rounding_error (old: tolerance) is told as --tolerance."""
    import ldn_compound.dilution

    for parameter in ("max_rounding_error", "tolerance"):
        def refuse(*args, _p=parameter, **kwargs):
            raise InputError(_p, "0.9", "a fraction above 0 and at most 0.5")

        monkeypatch.setattr(ldn_compound.dilution, "plan_dilution", refuse)
        status, lines = run([*DILUTE, "--tolerance", "0.9"], capsys)
        assert status == 2 and lines[0].startswith("ldn-compound: error: --tolerance: ")


def test_cli_imports_no_private_name_from_outside_it():
    """The command line uses the library's public names: no `_x` imported from outside cli/."""
    import ast
    from pathlib import Path

    import ldn_compound.cli

    bad = []
    for path in Path(ldn_compound.cli.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                inside = node.level == 1 or (node.module or "").startswith("ldn_compound.cli")
                bad += [f"{path.name}: {a.name}" for a in node.names
                        if not inside and a.name.startswith("_") and a.name != "__version__"]
    assert not bad, bad
