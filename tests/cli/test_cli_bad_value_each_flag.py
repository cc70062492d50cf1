"""Every value-taking flag of every command refuses a value it cannot read: exit 2, one
stderr line naming that flag (as typed) and echoing the value.

Each flag is tried on a command line that is otherwise good and in which the flag does
something (its mode given: --supply for --bud, --syringe for --graduation, ...), its value
replaced by (or added as) text no flag reads as a quantity, count, ratio, date, list or
choice. Free-text flags (names) are the exceptions, listed with why.
"""

import pytest
from cli_helpers import parser_options, with_flags
from test_fuzz_cli import VALID

from ldn_compound.cli import main

STOCK = ["--tablet", "50 mg", "--volume", "10 mL"]
LADDER = ["--start", "1.5 mg", "--step", "0.5 mg", "--target", "4.5 mg", "--every", "2 weeks"]
#: a good command line per command (the fuzz test's, a titration for schedule)
BASE = {**VALID, "schedule": [*STOCK, "--dropper", "20", *LADDER]}
#: free-text flags: any printable name is accepted
FREE_TEXT = {
    ("triturate", "--filler"),  # the filler's name, printed on the plan
    ("taper", "--drug-name"),  # another drug's name
}
#: flags naming a file: an unreadable one is refused naming the flag (the path not echoed)
FILES = {"--master", "--entries", "--from"}
#: the text tried: no unit, no number, no choice, no date, no list item reads it
BAD = "zq"

#: flag -> (flags to drop from the base, each with its value; flags to add) so that it
#: does something; a (command, flag) key overrides a flag's
MODE = {
    "--capsule": (["--tablet", "--count"], []),
    "--drug": (["--tablet", "--count"], []),
    "--concentration": (["--tablet", "--count"], []),
    "--syringe": (["--dropper"], []),
    "--graduation": (["--dropper"], ["--syringe", "1 mL"]),
    "--max-drops": (["--syringe"], ["--dropper", "20"]),
    "--volume-tolerance": ([], ["--volume", "10 mL"]),
    "--seed": ([], ["--simulate", "100"]),
    ("dilute", "--device-tolerance"): ([], ["--syringe", "1 mL"]),
    ("dilute", "--capsule"): (["--tablet"], ["--volume", "10 mL"]),
    ("dilute", "--drug"): (["--tablet"], ["--volume", "10 mL"]),
    ("dilute", "--concentration"): (["--tablet"], ["--volume", "10 mL"]),
    "--from": (["--tablet", "--count", "--volume"], []),
    ("schedule", "--preset"): (["--start", "--step", "--target", "--every"], []),
    ("schedule", "--hold"): ([], []),
    ("schedule", "--floor"): (["--step", "--target"], ["--taper", "--reduction", "0.1"]),
    ("schedule", "--reduction"): (["--step", "--target"], ["--taper", "--floor", "1 mg"]),
    ("schedule", "--percent"): (["--step", "--target"], ["--taper", "--floor", "1 mg"]),
    ("schedule", "--steps"): (["--start", "--step", "--target", "--every"], []),
    ("taper", "--target"): (["--floor"], []),
    ("taper", "--ed50"): (["--reduction"], ["--emax", "90 %"]),
    ("taper", "--emax"): (["--reduction"], ["--ed50", "1 mg"]),
    ("taper", "--occupancy-step"): (["--reduction"], ["--emax", "90 %", "--ed50", "1 mg"]),
    ("taper", "--usual-max"): ([], ["--drug-name", "baclofen"]),
    ("taper", "--solubility"): ([], ["--drug-name", "baclofen", "--usual-max", "80 mg"]),
    ("taper", "--max-drops"): ([], ["--dropper", "20"]),
    ("taper", "--dropper"): ([], []),
    ("taper", "--graduation"): ([], []),
    ("taper", "--preparation"): ([], []),
    ("taper", "--bud"): ([], []),
}
#: the supply's flags (schedule, titrate): only with --supply, a flag without a value
SUPPLY = {"--bud", "--overage", "--preparation"}
#: flags without a value that a mode adds
SWITCHES = {"--taper"}


def command_line(command, flag):
    """``command``'s good command line with ``flag``'s mode set and ``flag BAD`` in it."""
    drop, add = MODE.get((command, flag), MODE.get(flag, ([], [])))
    argv = list(BASE[command])
    for other in drop:
        if other in argv:
            i = argv.index(other)
            del argv[i:i + 2]
    if command in ("schedule", "titrate") and flag in SUPPLY:
        argv.append("--supply")
    argv += [a for a in add if a in SWITCHES]
    return [command, *with_flags(argv, [*(a for a in add if a not in SWITCHES), flag, BAD])]


CASES = [(command, flag) for command in sorted(BASE) if command != "serve"
         for flag, takes_value in parser_options(command)
         if takes_value and (command, flag) not in FREE_TEXT]


@pytest.mark.parametrize(("command", "flag"), CASES, ids=[f"{c} {f}" for c, f in CASES])
def test_unreadable_value_is_refused_naming_the_flag(command, flag, capsys):
    """An unreadable value exits 2 with one line naming the flag typed and the value."""
    capsys.readouterr()
    argv = command_line(command, flag)
    status = main(argv)
    err = capsys.readouterr().err.splitlines()
    assert status == 2 and len(err) == 1, (argv, err)
    assert f"{flag}:" in err[0] or f"argument {flag}:" in err[0], (argv, err[0])
    assert BAD in err[0] or flag in FILES, (argv, err[0])
