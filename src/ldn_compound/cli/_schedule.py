"""``ldn-compound schedule``: a titration or taper, step by step, with supply and labels."""

from __future__ import annotations

import argparse
import json
import re
import sys
from fractions import Fraction
from typing import Any

from ..devices import Device
from ..errors import InputError
from ..presets import preset
from ..schedule import Schedule, taper, titrate
from ..schedule._preparation import LIQUIDS
from ..stock import Stock
from . import _options as options
from ._flags import (
    LADDER_FLAGS,
    SCHEDULE_FLAGS,
    SUPPLY_FLAGS,
    FlagError,
    naming,
    printable,
    quoted,
    refuse_unused,
)

HELP = ("a titration or taper schedule: what to measure at each step, verdicts, and with "
        "--supply the batches, tablets and labels")

#: what each ladder option is, for the message refusing it in another mode
_LADDER_OPTIONS = {
    "start": "the first dose", "step": "a titration's rise per step",
    "target": "a titration's last dose", "every": "the length of each step",
    "hold": "a titration's extra time at the target", "steps": "a written ladder",
    "taper": "a taper", "percent": "a taper's reduction per step",
    "reduction": "a taper's reduction per step", "floor": "a taper's lowest dose",
}
#: a plain ASCII decimal, the only --percent value whose size is checked here
_DECIMAL = re.compile(r"\s*\+?([0-9]+\.?[0-9]*|\.[0-9]+)\s*", re.ASCII)


def configure(p: argparse.ArgumentParser) -> None:
    what = p.add_argument_group("the ladder (one of --preset, --start/--step/--target, "
                                "--taper, --steps)")
    what.add_argument("--preset", metavar="NAME",
                      help="a published ladder (see: ldn-compound presets)")
    what.add_argument("--start", metavar="MASS", help="first dose, e.g. '1.5 mg'")
    what.add_argument("--step", metavar="MASS", help="rise per step, e.g. '0.5 mg'")
    what.add_argument("--target", metavar="MASS", help="last dose, e.g. '4.5 mg'")
    what.add_argument("--every", metavar="DURATION", help="length of each step, e.g. '2 weeks'")
    what.add_argument("--hold", metavar="DURATION", help="extra time at the target")
    what.add_argument("--taper", action="store_true",
                      help="a taper from --start down by --percent (or --reduction) each --every, "
                           "to --floor")
    cut = what.add_mutually_exclusive_group()
    cut.add_argument("--percent", metavar="P",
                     help="taper: percent below the previous dose, above 1 (10 means 10 %%)")
    cut.add_argument("--reduction", metavar="RATIO",
                     help="taper: reduction per step as a fraction (0.1) or with a percent "
                          "sign ('10 %%')")
    what.add_argument("--floor", metavar="MASS", help="taper: lowest dose")
    what.add_argument("--steps", metavar="LADDER",
                      help="a written ladder: '1.5 mg for 4 weeks; 3 mg for 4 weeks'")
    options.add_stock_options(p)
    options.add_device_options(p)
    p.add_argument("--rounding", default="nearest", choices=("nearest", "down", "up"))
    p.add_argument("--tolerance", default="0.05", metavar="FRACTION",
                   help="rounding error beyond which a step is flagged (default 0.05)")
    p.add_argument("--doses-per-day", default="1", metavar="N")
    p.add_argument("--start-date", metavar="YYYY-MM-DD", help="date of the first dose")
    p.add_argument("--suggest-stock", action="store_true",
                   help="also propose a stock that measures every step within tolerance")
    sup = p.add_argument_group("supply")
    sup.add_argument("--supply", action="store_true",
                     help="batches within beyond-use dates, tablets, volumes and labels")
    sup.add_argument("--preparation", default="aqueous",
                     choices=LIQUIDS,
                     help="USP <795> category for the beyond-use date (default aqueous, "
                          "14 days refrigerated), or preserved_glycerol (Fawcett et al. "
                          "1997: 60 days refrigerated)")
    sup.add_argument("--bud", metavar="DURATION",
                     help="beyond-use override backed by a stability study, e.g. '30 days'")
    sup.add_argument("--overage", default="0.10", metavar="FRACTION",
                     help="extra volume per batch (default 0.10)")
    sup.add_argument("--stronger-stock", action="store_true",
                     help="let later batches use a stronger stock when the dose has grown")
    sup.add_argument("--allow-flagged", action="store_true",
                     help="make labels for flagged steps too, marked FLAGGED (exit 3 still)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON")
    out.add_argument("--csv", action="store_true",
                     help="print CSV (steps; with --supply, then a blank line and batches)")


def _has_stock(args: argparse.Namespace) -> bool:
    return args.volume is not None or options.has_source(args)


def _has_device(args: argparse.Namespace) -> bool:
    return args.dropper is not None or args.syringe is not None


def _steps(text: str) -> list[tuple[str, str]]:
    out = []
    for part in text.split(";"):
        dose, sep, duration = part.partition(" for ")
        if not sep:
            raise FlagError("--steps", "expected 'DOSE for DURATION' items separated by ';'; "
                                       f"got {quoted(part.strip())}")
        out.append((dose.strip(), duration.strip()))
    return out


def _mode(args: argparse.Namespace) -> tuple[str, frozenset[str]]:
    """The ladder asked for, its description, and the ladder options it uses."""
    if args.preset is not None:
        return f"--preset {quoted(args.preset)} (the preset fixes the ladder)", frozenset()
    if args.steps is not None:
        return "--steps (the written ladder fixes doses and durations)", frozenset({"steps"})
    if args.taper:
        return ("--taper", frozenset({"taper", "start", "every", "percent", "reduction",
                                      "floor"}))
    return ("a titration (--start, --step, --target, --every; --taper for a taper)",
            frozenset({"start", "step", "target", "every", "hold"}))


def _refuse_unused(args: argparse.Namespace) -> None:
    mode, used = _mode(args)
    refuse_unused(args, [(name, name not in used, f"{what}, which does nothing with {mode}")
                         for name, what in _LADDER_OPTIONS.items()])
    refuse_unused(args, [(name, not args.supply, "only with --supply")
                         for name in ("preparation", "bud", "overage", "stronger_stock",
                                      "allow_flagged")])
    options.refuse_unused_stock_device(args)


def _reduction(args: argparse.Namespace) -> tuple[str, str]:
    """The taper's reduction as text the library reads ('10 %' or '0.1'), and its flag."""
    if args.percent is None:
        if args.reduction is None:
            raise FlagError("--reduction", "expected --percent P or --reduction RATIO "
                                           "with --taper")
        return args.reduction, "--reduction"
    text = args.percent.strip()
    if text.endswith("%"):
        return text, "--percent"
    number = _DECIMAL.fullmatch(text)
    if number is not None and 0 < Fraction(number.group(1)) <= 1:
        raise FlagError("--percent", f"expected a percentage above 1; {quoted(text)} is "
                                     f"ambiguous: {text} % or {Fraction(text) * 100} %? Write "
                                     f"--reduction '{text} %' or --reduction {text}")
    return f"{text} %", "--percent"


def _taper(args: argparse.Namespace, stock: Stock, device: Device, common: dict[str, Any]
           ) -> Schedule:
    if args.floor is None:
        raise FlagError("--floor", "expected --floor with --taper (the lowest dose)")
    reduction, flag = _reduction(args)
    with naming({**LADDER_FLAGS, "percent": flag, "reduction": flag}):
        return taper(args.start, reduction, args.every, stock, device, args.floor,
                     rounding=args.rounding, **common)


def build(args: argparse.Namespace) -> Schedule:
    """The schedule the options describe."""
    _refuse_unused(args)
    common = {"start_date": args.start_date, "doses_per_day": args.doses_per_day,
              "max_rounding_error": args.tolerance}
    stock: Stock | None = options.stock_from(args) if _has_stock(args) else None
    device: Device | None = options.device_from(args) if _has_device(args) else None
    if args.preset is not None:
        with naming(LADDER_FLAGS):
            return preset(args.preset, stock, device, rounding=args.rounding, **common)
    if stock is None:
        stock = options.stock_from(args)  # raises, naming --volume
    if device is None:
        device = options.device_from(args)  # raises, naming --dropper or --syringe
    if args.steps is not None:
        with naming(LADDER_FLAGS):
            return Schedule.from_steps(_steps(args.steps), stock, device,
                                       rounding=args.rounding, **common)
    for flag in ("start", "every"):
        if getattr(args, flag) is None:
            raise FlagError(f"--{flag}", f"expected --{flag} (or --preset NAME, or --steps)")
    if args.taper:
        return _taper(args, stock, device, common)
    for flag in ("step", "target"):
        if getattr(args, flag) is None:
            raise FlagError(f"--{flag}", f"expected --{flag} (or --taper with --percent "
                                         "and --floor)")
    with naming(LADDER_FLAGS):
        return titrate(args.start, args.step, args.target, args.every, stock, device,
                       hold=args.hold, rounding=args.rounding, **common)


def run(args: argparse.Namespace) -> int:
    for dest in ("drug", "concentration", "capsule"):
        if args.supply and getattr(args, dest) is not None:
            flag = "--" + dest
            raise FlagError(flag, f"expected --tablet MASS (with --count) instead of {flag} "
                                  "for --supply: batches are made up from whole tablets "
                                  "of a known strength")
    schedule = build(args)
    supply = None
    if args.supply:
        with naming(SUPPLY_FLAGS):
            try:
                supply = schedule.supply(bud=args.bud, preparation=args.preparation,
                                         overage=args.overage,
                                         stronger_stock=args.stronger_stock,
                                         allow_flagged=args.allow_flagged)
            except InputError as exc:
                if exc.override != "allow_flagged":
                    raise
                refused = exc
        if supply is None:
            print(schedule)  # what is flagged, and why; no label is made for it
            print(f"ldn-compound: no supply: {printable(str(refused.value), 300)}; add "
                  "--allow-flagged for labels marked FLAGGED", file=sys.stderr)
            return 3
    with naming(SCHEDULE_FLAGS):
        suggested = schedule.suggest_stock() if args.suggest_stock else None
    if args.json:
        data = {"schedule": schedule.to_dict()}
        if supply is not None:
            data["supply"] = supply.to_dict()
        if suggested is not None:
            data["suggested_stock"] = suggested.to_dict()
        print(json.dumps(data, indent=2, ensure_ascii=False))
    elif args.csv:
        print(schedule.to_csv(), end="")
        if supply is not None:
            print()
            print(supply.to_csv(), end="")
    else:
        print(schedule)
        if suggested is not None:
            print()
            print(f"Suggested stock: {suggested.describe()}")
            print(schedule.with_stock(suggested))
        if supply is not None:
            print()
            print(supply)
    return 0 if schedule.ok else 3

