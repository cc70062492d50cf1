"""The one map from library parameter to flag names only flags the command has.

An error raised in a library call is reworded with the flag its parameter came from;
a map naming a flag the command does not have (issue 9: dilute's ``--equipment``) would
send the pharmacist to a flag that does not exist.
"""

import argparse

import pytest

from ldn_compound.cli import _flags as flags
from ldn_compound.cli._formulation import FORMULATION_FLAGS
from ldn_compound.cli._main import COMMANDS, build_parser

#: each map, and the command whose errors it names
MAPS = [
    ("STOCK_FLAGS", flags.STOCK_FLAGS, "measure"),
    ("CAPSULE_FLAGS", flags.CAPSULE_FLAGS, "measure"),
    ("DEVICE_FLAGS", flags.DEVICE_FLAGS, "measure"),
    ("MEASURE_FLAGS", flags.MEASURE_FLAGS, "measure"),
    ("ROUNDING_FLAGS", flags.ROUNDING_FLAGS, "schedule"),
    ("LADDER_FLAGS", flags.LADDER_FLAGS, "schedule"),
    ("SUPPLY_FLAGS", flags.SUPPLY_FLAGS, "schedule"),
    ("SCHEDULE_FLAGS", flags.SCHEDULE_FLAGS, "schedule"),
    ("TITRATE_FLAGS", flags.TITRATE_FLAGS, "titrate"),
    ("PLAN_FLAGS", flags.PLAN_FLAGS, "dilute"),
    ("SIMULATE_FLAGS", flags.SIMULATE_FLAGS, "dilute"),
    ("DILUTE_FLAGS", flags.DILUTE_FLAGS, "dilute"),
    *((f"GLASSWARE_FLAGS[{k}]", v, "dilute") for k, v in flags.GLASSWARE_FLAGS.items()),
    ("TRITURATE_FLAGS", flags.TRITURATE_FLAGS, "triturate"),
    ("TAPER_FLAGS", flags.TAPER_FLAGS, "taper"),
    ("SERVE_FLAGS", flags.SERVE_FLAGS, "serve"),
    ("FORMULATION_FLAGS", FORMULATION_FLAGS, "formulation"),
    *((f"COMMAND_FLAGS[{k}]", v, k) for k, v in flags.COMMAND_FLAGS.items()),
]
#: the titrate command's pointers to another command, for a ladder it does not make
ELSEWHERE = {"the taper command", "schedule --steps"}


def _flags_of(command):
    parser = build_parser([command])
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {o for a in sub.choices[command]._actions for o in a.option_strings}


@pytest.mark.parametrize(("name", "mapping", "command"), MAPS, ids=[m[0] for m in MAPS])
def test_each_flag_a_map_names_is_the_commands(name, mapping, command):
    """Every flag a map gives (each of a '/'-joined list) is a flag of its command."""
    known = _flags_of(command)
    for parameter, flag in mapping.items():
        if flag in ELSEWHERE and command == "titrate":
            continue
        assert set(flag.split("/")) <= known, (name, parameter, flag)


def test_every_command_has_its_map():
    """Each command has a map for the errors it raises outside a mapped call."""
    assert set(flags.COMMAND_FLAGS) == set(COMMANDS)


def test_titrate_points_elsewhere_for_the_other_ladders():
    """titrate's errors about a taper or a written ladder point to the command that makes
    them, never to a flag titrate lacks."""
    titrate = _flags_of("titrate")
    assert flags.TITRATE_FLAGS["taper()"].split()[1] in COMMANDS
    assert flags.TITRATE_FLAGS["Schedule.from_steps()"].split()[1] in _flags_of("schedule")
    assert not {"--preset", "--steps", "--floor", "--taper"} & titrate
