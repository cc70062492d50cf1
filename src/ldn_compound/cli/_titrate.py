"""``ldn-compound titrate``: a titration up to the target, with ``schedule``'s flags."""

from __future__ import annotations

import argparse

from . import _schedule

HELP = ("a titration from --start up by --step every --every to --target: what to measure "
        "at each step, verdicts, and with --supply the batches, tablets and labels (the "
        "same flags as schedule)")


def configure(p: argparse.ArgumentParser) -> None:
    _schedule.configure(p, ladder="titrate")


def run(args: argparse.Namespace) -> int:
    return _schedule.run(args)
