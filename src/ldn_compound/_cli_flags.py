"""The command line's front door: one map from parameter to flag, strict flags, safe echo.

Every error the command line prints names the flag that was typed, never a
Python keyword. Each library call is made inside :func:`naming` with the map
for that call, so one parameter name (``tolerance``) can belong to different
flags in different calls (``--device-tolerance`` for the device,
``--tolerance`` for the planner).

Every flag is given at most once (``--dose`` in ``dilute`` excepted, a list),
no value is longer than :data:`MAX_VALUE_LENGTH` characters or carries a decimal
exponent of more than three digits, and a flag that does nothing in the mode
chosen is refused (:func:`refuse_unused`).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from .errors import InputError, one_line, shown

__all__ = [
    "DEVICE_FLAGS",
    "MAX_VALUE_LENGTH",
    "STOCK_FLAGS",
    "FlagError",
    "Parser",
    "given",
    "naming",
    "printable",
    "quoted",
    "refuse_unused",
]

#: longest value accepted for any flag; clinical input is a few words
MAX_VALUE_LENGTH = 256
#: a decimal exponent of four or more digits is never a clinical figure (and
#: asks a general-purpose parser for a number of that many digits)
_HUGE_EXPONENT = re.compile(r"[0-9.][eE][+-]?[0-9]{4,}")

#: the stock options every command that takes a stock shares
STOCK_FLAGS = {
    "strength": "--tablet", "tablet": "--tablet", "drug": "--drug", "volume": "--volume",
    "count": "--count", "tablets": "--count", "content_tolerance": "--content-tolerance",
}
#: the device options every command that takes a device shares
DEVICE_FLAGS = {
    "drops_per_mL": "--dropper", "dropper": "--dropper", "capacity": "--syringe",
    "graduation": "--graduation", "volume_error": "--device-tolerance",
    "max_drops": "--max-drops",
}


def printable(text: str, limit: int | None = None) -> str:
    """``text`` on one line of printable characters, cut to ``limit`` with '…'."""
    return one_line(text, 1 << 62 if limit is None else limit + 1)


def quoted(value: Any) -> str:
    """A value as an error message echoes it: the errors' own safe ``repr``."""
    return shown(value)


class FlagError(Exception):
    """Bad input, already worded for the command line: ``FLAG: message``."""

    def __init__(self, flag: str, message: str) -> None:
        self.flag = flag
        self.message = message
        super().__init__(f"{flag}: {message}")

    @classmethod
    def from_input(cls, exc: InputError, flags: Mapping[str, str]) -> FlagError:
        """The library's error with the parameter replaced by its flag."""
        return cls(flags.get(exc.parameter, exc.parameter), exc.details(flags))


@contextmanager
def naming(flags: Mapping[str, str]) -> Iterator[None]:
    """Run a library call whose parameters came from ``flags``; errors name the flag."""
    try:
        yield
    except InputError as exc:
        raise FlagError.from_input(exc, flags) from exc


def given(args: argparse.Namespace, dest: str) -> bool:
    """Whether the flag stored in ``dest`` was typed (not left at its default)."""
    return dest in getattr(args, "given_flags", ())


def _check_value(action: argparse.Action, value: str) -> None:
    if len(value) > MAX_VALUE_LENGTH:
        raise argparse.ArgumentError(
            action, f"expected at most {MAX_VALUE_LENGTH} characters; got {quoted(value)} "
                    f"({len(value):,} characters)")
    if _HUGE_EXPONENT.search(value):
        raise argparse.ArgumentError(
            action, f"expected a number with an exponent of at most three digits "
                    f"(e.g. '4.5e-3 mg'); got {quoted(value)}")


def _mark(action: argparse.Action, namespace: argparse.Namespace, option: str | None,
          once: bool) -> None:
    seen: set[str] = namespace.__dict__.setdefault("given_flags", set())
    if once and action.dest in seen:
        raise argparse.ArgumentError(
            action, f"given more than once (last as {option}); give it once")
    seen.add(action.dest)


class _Once(argparse.Action):
    """``store``, refusing a second occurrence and over-long values."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        assert isinstance(values, str)  # every option here takes one value
        _check_value(self, values)
        _mark(self, namespace, option_string, once=True)
        setattr(namespace, self.dest, values)


class _OnceTrue(argparse.Action):
    """``store_true``, refusing a second occurrence."""

    def __init__(self, option_strings: Sequence[str], dest: str, default: bool = False,
                 required: bool = False, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, const=True, default=default,
                         required=required, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        _mark(self, namespace, option_string, once=True)
        setattr(namespace, self.dest, True)


class _Append(argparse.Action):
    """``append`` (a list flag such as dilute's ``--dose``), checking each value."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        assert isinstance(values, str)
        _check_value(self, values)
        _mark(self, namespace, option_string, once=False)
        items = list(getattr(namespace, self.dest, None) or [])
        setattr(namespace, self.dest, [*items, values])


class UsageError(Exception):
    """argparse found the command line malformed."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose flags are strict and whose errors are one safe line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register("action", "store", _Once)
        self.register("action", None, _Once)
        self.register("action", "store_true", _OnceTrue)
        self.register("action", "append", _Append)

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: error: {message}")


def refuse_unused(args: argparse.Namespace,
                  rules: Iterable[tuple[str, bool, str]]) -> None:
    """Refuse a typed flag that does nothing here.

    ``rules`` are ``(dest, unused, why)``: when the flag in ``dest`` was typed
    and ``unused`` holds, exit 2 naming the flag with ``why`` (which mode it
    belongs to).
    """
    for dest, unused, why in rules:
        if unused and given(args, dest):
            raise FlagError("--" + dest.replace("_", "-"), why)
