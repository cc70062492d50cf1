"""The command line's front door: one map from parameter to flag, strict flags, safe echo.

Every error the command line prints names the flag that was typed, never a
Python keyword. This module holds the ONE map from library parameter to flag:
the stock and device options every command shares, then one map per library
call. Each call is made inside :func:`naming` with its map, so a parameter name
used by more than one call (the old ``tolerance``) names the flag of the call
that raised. A renamed parameter is listed under its new name beside the old
one, both to the same flag.

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

from .._exact import MAX_TEXT
from ..errors import InputError, one_line, shown

__all__ = [
    "CAPSULE_FLAGS",
    "COMMAND_FLAGS",
    "DEVICE_FLAGS",
    "DILUTE_FLAGS",
    "EQUIPMENT",
    "GLASSWARE_FLAGS",
    "LADDER_FLAGS",
    "MAX_VALUE_LENGTH",
    "MEASURE_FLAGS",
    "PLAN_FLAGS",
    "PROG",
    "ROUNDING_FLAGS",
    "SCHEDULE_FLAGS",
    "SERVE_FLAGS",
    "SIMULATE_FLAGS",
    "STOCK_FLAGS",
    "SUPPLY_FLAGS",
    "TAPER_FLAGS",
    "TITRATE_FLAGS",
    "TRITURATE_FLAGS",
    "FlagError",
    "Parser",
    "given",
    "naming",
    "printable",
    "quoted",
    "refuse_unused",
    "unrecognized",
]

#: the command's name, as errors and warnings begin
PROG = "ldn-compound"
#: longest value accepted for any flag; clinical input is a few words
MAX_VALUE_LENGTH = MAX_TEXT  # the front door's own limit
#: a decimal exponent of four or more digits is never a clinical figure (and
#: asks a general-purpose parser for a number of that many digits)
_HUGE_EXPONENT = re.compile(r"[0-9.][eE][+-]?[0-9]{4,}")

# -- the one map: library parameter -> the flag that set it ------------------------
#: the stock options every command that takes a stock shares (Stock, Stock.from_tablets)
STOCK_FLAGS = {
    "strength": "--tablet", "tablet": "--tablet", "drug": "--drug", "volume": "--volume",
    "count": "--count", "tablets": "--count", "content_tolerance": "--content-tolerance",
    "volume_tolerance": "--volume-tolerance", "concentration": "--concentration",
}
#: Stock.from_capsules: as STOCK_FLAGS, the strength being one capsule's
CAPSULE_FLAGS = {**STOCK_FLAGS, "strength": "--capsule", "form": "--capsule"}
#: the device options every command that takes a device shares (Dropper, OralSyringe)
DEVICE_FLAGS = {
    "drops_per_mL": "--dropper", "dropper": "--dropper", "capacity": "--syringe",
    "graduation": "--graduation", "max_drops": "--max-drops",
    "volume_error": "--device-tolerance", "tolerance": "--device-tolerance",  # old name
}
#: the rounding error a dose may carry, in schedules and dilution plans
ROUNDING_FLAGS = {
    "max_rounding_error": "--tolerance", "tolerance": "--tolerance",  # old name
}
#: measure
MEASURE_FLAGS = {
    **STOCK_FLAGS, **DEVICE_FLAGS,
    "dose": "--dose", "rounding": "--rounding", "allow_high_dose": "--allow-high-dose",
}
#: the schedule builders (titrate, taper, Schedule.from_steps, preset)
LADDER_FLAGS = {
    **ROUNDING_FLAGS,
    "start": "--start", "step": "--step", "target": "--target", "every": "--every",
    "hold": "--hold", "floor": "--floor", "preset": "--preset", "steps": "--steps",
    "start_date": "--start-date", "doses_per_day": "--doses-per-day",
    "rounding": "--rounding", "stock": "--tablet", "device": "--syringe",
    "dropper": "--dropper", "percent": "--percent", "reduction": "--reduction",
    "taper()": "--taper", "Schedule.from_steps()": "--steps",
}
#: the titrate command: schedule's flags less the other ladders' (a downward ladder is
#: the taper command's, a written one schedule's)
TITRATE_FLAGS = {**{k: v for k, v in LADDER_FLAGS.items() if v not in (
                     "--preset", "--steps", "--floor", "--percent", "--reduction", "--taper")},
                 "taper()": "the taper command", "Schedule.from_steps()": "schedule --steps"}
#: Schedule.supply
SUPPLY_FLAGS = {**STOCK_FLAGS, "bud": "--bud", "preparation": "--preparation",
                "overage": "--overage", "stronger_stock": "--stronger-stock",
                "allow_flagged": "--allow-flagged"}
#: schedule, for an error raised outside a mapped call (Schedule.suggest_stock)
SCHEDULE_FLAGS = {**STOCK_FLAGS, **DEVICE_FLAGS, **SUPPLY_FLAGS, **LADDER_FLAGS}
#: every piece of equipment the dilute command builds, named by its list
EQUIPMENT = "--transfer-syringes/--cylinders/--flasks"
#: plan_dilution
PLAN_FLAGS = {
    **STOCK_FLAGS, **ROUNDING_FLAGS,
    "source": "--tablet", "dose": "--dose", "doses": "--dose", "max_volume": "--max-volume",
    "equipment": EQUIPMENT, "device": "--syringe",
}
#: the glassware and syringes of dilute's lists, by list (GraduatedCylinder,
#: VolumetricFlask, OralSyringe); a parameter not listed is the list's own flag
GLASSWARE_FLAGS: dict[str, Mapping[str, str]] = {
    "transfer_syringes": {"capacity": "--transfer-syringes"},
    # a cylinder's or flask's tolerance follows from its capacity (and class)
    "cylinders": {"capacity": "--cylinders", "glass_class": "--cylinder-class",
                  "tolerance_ml": "--cylinders", "tolerance": "--cylinders"},  # old name
    "flasks": {"capacity": "--flasks", "tolerance_ml": "--flasks",
               "tolerance": "--flasks"},  # old name
}
#: DilutionPlan.simulate
SIMULATE_FLAGS = {"n": "--simulate", "seed": "--seed"}
#: dilute, for an error raised outside a mapped call
DILUTE_FLAGS = {**DEVICE_FLAGS, **SIMULATE_FLAGS, **PLAN_FLAGS}
#: plan_trituration
TRITURATE_FLAGS = {
    "dose": "--dose", "capsules": "--capsules", "fill": "--fill", "dose_as": "--dose-as",
    "powder": "--powder", "purity": "--purity", "sensitivity": "--sensitivity",
    "allowed_error": "--allowed-error", "filler": "--filler", "max_mixture": "--max-mixture",
}
#: plan_taper / plan_titration, Occupancy and Drug
TAPER_FLAGS = {
    **STOCK_FLAGS,
    "start": "--start", "floor": "--floor", "target": "--target", "every": "--every",
    "reduction": "--reduction", "rise": "--reduction", "max_cut_error": "--max-cut-error",
    "emax": "--emax", "ed50": "--ed50", "occupancy_step": "--occupancy-step",
    "occupancy": "--emax", "dilutions": "--dilutions", "max_volume": "--max-volume",
    "preparation": "--preparation", "bud": "--bud", "start_date": "--start-date",
    "allow_high_dose": "--allow-high-dose", "devices": "--syringe", "stock": "--volume",
    "drops_per_mL": "--dropper", "capacity": "--syringe", "graduation": "--graduation",
    "name": "--drug-name", "usual_max": "--usual-max", "solubility": "--solubility",
}
#: serve (its options configure the server, not a library call)
SERVE_FLAGS = {"host": "--host", "port": "--port", "cors_origins": "--cors-origin"}
#: command -> its map, for an error the command raises outside a mapped call
COMMAND_FLAGS: dict[str, Mapping[str, str]] = {
    "measure": MEASURE_FLAGS, "schedule": SCHEDULE_FLAGS, "presets": {},
    "dilute": DILUTE_FLAGS, "triturate": TRITURATE_FLAGS, "taper": TAPER_FLAGS,
    "serve": SERVE_FLAGS,
    "titrate": {**STOCK_FLAGS, **DEVICE_FLAGS, **SUPPLY_FLAGS, **TITRATE_FLAGS},
    "formulation": {**STOCK_FLAGS, "preparation": "--preparation", "bud": "--bud",
                    "purity": "--purity"},
    "batch-record": {"master": "--master", "entries": "--entries"},
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

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None
                         ) -> tuple[argparse.Namespace, list[str]]:
        """As argparse, but an unknown flag is refused by the command it was typed to,
        with the closest flag that command has (argparse's own ``suggest_on_error``
        comes only with Python 3.14)."""
        try:
            known, extras = super().parse_known_args(args, namespace)
        except UsageError:
            # a required flag "missing" is most often one mistyped: name the typo first
            typos = [a for a in args or () if a.startswith("--") and not any(
                o == a.partition("=")[0] for act in self._actions for o in act.option_strings)]
            if typos and self._is_subparser():
                self.error(unrecognized(typos, self))
            meant = self._close_command(args)
            if meant and args:
                self.error(f"no command {quoted(args[0])}; did you mean {meant}? "
                           f"({PROG} --help lists them)")
            raise
        if extras and not self._is_subparser():
            command = self._command_parser(getattr(known, "command", None))
            command.error(unrecognized(extras, command))
        return known, extras

    def _is_subparser(self) -> bool:
        """A command's parser leaves its extras to the top parser, which names it."""
        return not any(isinstance(a, argparse._SubParsersAction) for a in self._actions)

    def _close_command(self, args: Sequence[str] | None) -> str:
        """The command closest to a mistyped first word, or ``""``."""
        import difflib

        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction) and args and (
                    args[0] not in action.choices and not args[0].startswith("-")):
                close = difflib.get_close_matches(args[0], list(action.choices), n=1)
                return close[0] if close else ""
        return ""

    def _command_parser(self, command: str | None) -> Parser:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction) and command in action.choices:
                found = action.choices[command]
                return found if isinstance(found, Parser) else self
        return self


def unrecognized(extras: Sequence[str], parser: argparse.ArgumentParser) -> str:
    """argparse's 'unrecognized arguments' message, with the closest known flag."""
    import difflib

    text = f"unrecognized arguments: {' '.join(extras)}"
    flags = [o for a in parser._actions for o in a.option_strings]
    for typed in extras:
        if typed.startswith("--"):
            close = difflib.get_close_matches(typed.partition("=")[0], flags, n=1, cutoff=0.6)
            if close:
                return f"{text} (did you mean {close[0]}?)"
    return text


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
