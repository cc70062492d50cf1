"""Helpers shared by the command-line tests (imported as ``cli_helpers``)."""

import argparse

from ldn_compound.cli import main
from ldn_compound.cli._main import build_parser


def parser_options(command):
    """Each option of ``command``'s real parser: (flag, takes a value)."""
    parser = build_parser([command])
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return [(flag, action.nargs != 0) for action in sub.choices[command]._actions
            for flag in action.option_strings if flag not in ("-h", "--help")]


def with_flags(base, args):
    """``base`` with each ``FLAG VALUE`` pair of ``args`` replacing that flag's value, or added."""
    argv = list(base)
    for flag, value in zip(args[::2], args[1::2], strict=True):
        if flag in argv:
            argv[argv.index(flag) + 1] = value
        else:
            argv += [flag, value]
    return argv


def assert_one_line_error(argv, status, needle, capsys):
    """``argv`` exits with ``status`` and one stderr line holding ``needle``, no traceback."""
    assert main(argv) == status
    err = capsys.readouterr().err
    assert needle in err
    assert err.count("\n") == 1 and "Traceback" not in err
