"""The command line's dispatch: one parser, one command run, one exit status.

Each command lives in its own module and is imported only when used, so the
common string-in, text-out path starts fast (no pint, no numpy). Exit statuses
are listed in the package docstring; the flag rules and the safe echo live in
``_flags``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Any

from ..errors import InputError, LdnCompoundError
from ._flags import COMMAND_FLAGS, PROG, FlagError, Parser, UsageError, printable

__all__ = ["COMMANDS", "DISTRIBUTION", "PROG", "build_parser", "main", "version"]

#: command name -> module with ``configure(parser)`` and ``run(args) -> int``
COMMANDS = {
    "measure": "ldn_compound.cli._measure",
    "schedule": "ldn_compound.cli._schedule",
    "titrate": "ldn_compound.cli._titrate",
    "presets": "ldn_compound.cli._presets",
    "dilute": "ldn_compound.cli._dilute",
    "triturate": "ldn_compound.cli._triturate",
    "taper": "ldn_compound.cli._taper",
    "serve": "ldn_compound.cli._serve",
    "formulation": "ldn_compound.cli._formulation",
    "batch-record": "ldn_compound.cli._batch_record",
}

#: the distribution whose installed version ``--version`` prints
DISTRIBUTION = "ldn-compound"


def version() -> str:
    """The installed version, or the package's own ``__version__`` when not installed."""
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # run from a source tree
        from .. import __version__

        return __version__


class _Version(argparse.Action):
    """``--version``: print ``ldn-compound <version>`` and exit 0."""

    def __init__(self, option_strings: Sequence[str], dest: str,
                 help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        print(f"{PROG} {version()}")
        parser.exit()


def build_parser(commands: Sequence[str]) -> argparse.ArgumentParser:
    parser = Parser(
        prog=PROG,
        description="Exact dose arithmetic for compounding low-dose naltrexone. It computes; "
        "it does not prescribe. With no command, prints a worked example.",
    )
    parser.add_argument("--version", action=_Version, help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    for name in commands:
        module = importlib.import_module(COMMANDS[name])
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.configure(p)
        p.set_defaults(run=module.run, flags=COMMAND_FLAGS[name])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args_in = list(sys.argv[1:] if argv is None else argv)
    if not args_in:
        from ._measure import worked_example

        print(worked_example())
        return 0
    bad = next((i for i, arg in enumerate(args_in) if not _is_text(arg)), None)
    if bad is not None:
        _say(_not_text(args_in, bad))
        return 2
    first = args_in[0]
    # Build only the parser that is needed: the rest import more than they cost.
    names = [first] if first in COMMANDS else [] if first == "--version" else list(COMMANDS)
    try:
        return _run(build_parser(names), args_in)
    except Exception as exc:  # the last resort: a bug, reported in one line, never a traceback
        _say(f"{PROG}: internal error ({type(exc).__name__}): {printable(str(exc), 200)}; "
             "please report this")
        return 70


#: longest line printed on stderr, a last guard against a runaway message
_LINE_LIMIT = 2000


def _is_text(arg: str) -> bool:
    """False for an argument holding bytes the locale could not decode.

    Python hands such bytes over as lone surrogates (``surrogateescape``:
    byte 0xff is U+DCFF) in any locale, C and C.UTF-8 alike; they are no text.
    """
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _not_text(args_in: list[str], i: int) -> str:
    """The one line for an undecodable argument, naming its flag where there is one."""
    arg = args_in[i]
    flag, eq, _ = arg.partition("=")
    where = (flag if eq and flag.startswith("-") and _is_text(flag) else
             args_in[i - 1] if i and args_in[i - 1].startswith("-") else f"argument {i + 1}")
    try:  # the bytes as typed; a surrogate no decoder makes is shown as its code point
        raw = arg.encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
    except UnicodeEncodeError:
        raw = arg
    return (f"{PROG}: error: {printable(where, 60)}: expected text in this locale's encoding "
            f"({sys.getfilesystemencoding()}); got undecodable bytes '{printable(raw, 60)}': "
            "retype it")


def _say(line: str) -> None:
    print(printable(line, _LINE_LIMIT), file=sys.stderr)


def _run(parser: argparse.ArgumentParser, args_in: list[str]) -> int:
    try:
        args = parser.parse_args(args_in)
    except UsageError as exc:
        _say(str(exc))
        return 2
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    flags: dict[str, str] = args.flags
    who = f"{PROG} {args.command}"  # every error names the command, as argparse's do
    try:
        return int(args.run(args))
    except BrokenPipeError:
        # The reader went away (`ldn-compound ... | head`): stop quietly, as Unix tools do.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes at exit
        os.close(devnull)
        return 1
    except FlagError as exc:
        _say(f"{who}: error: {exc}")
        return 2
    except InputError as exc:  # a call made outside `naming`: the command's own map
        _say(f"{who}: error: {FlagError.from_input(exc, flags)}")
        return 2
    except LdnCompoundError as exc:
        _say(f"{who}: {exc.describe(flags)}")
        return 3

