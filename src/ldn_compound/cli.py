"""Command line: ``ldn-compound COMMAND [options]``.

Each command lives in its own module and is imported only when used, so the
common string-in, text-out path starts fast (no pint, no numpy).

Exit status: 0 done; 2 bad input (one line on stderr naming the argument and
what was expected, no traceback); 3 a dose that cannot be measured or falls
outside a tolerance.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from .errors import InputError, LdnCompoundError

__all__ = ["main"]

#: command name -> module with ``configure(parser)`` and ``run(args) -> int``
COMMANDS = {
    "measure": "ldn_compound._cli_measure",
    "schedule": "ldn_compound._cli_schedule",
    "presets": "ldn_compound._cli_presets",
    "dilute": "ldn_compound._cli_dilute",
    "triturate": "ldn_compound._cli_triturate",
}

PROG = "ldn-compound"


class _UsageError(Exception):
    """argparse found the command line malformed."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(f"{self.prog}: error: {message}")


def _build(commands: Sequence[str]) -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Exact dose arithmetic for compounding low-dose naltrexone. It computes; "
        "it does not prescribe. With no command, prints a worked example.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in commands:
        module = importlib.import_module(COMMANDS[name])
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.configure(p)
        p.set_defaults(run=module.run, flags=getattr(module, "FLAGS", {}))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args_in = list(sys.argv[1:] if argv is None else argv)
    if not args_in:
        from ._cli_measure import worked_example

        print(worked_example())
        return 0
    first = args_in[0]
    # Build only the parser that is needed: the rest import more than they cost.
    names = [first] if first in COMMANDS else list(COMMANDS)
    parser = _build(names)
    try:
        args = parser.parse_args(args_in)
    except _UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    flags: dict[str, str] = args.flags
    try:
        return int(args.run(args))
    except BrokenPipeError:
        # The reader went away (`ldn-compound ... | head`): stop quietly, as Unix tools do.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes at exit
        os.close(devnull)
        return 1
    except InputError as exc:
        flag = flags.get(exc.parameter, exc.parameter)
        print(f"{PROG}: error: {flag}: expected {exc.expected}; got {exc.value!r}",
              file=sys.stderr)
        return 2
    except LdnCompoundError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
