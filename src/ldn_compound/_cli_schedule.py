"""``ldn-compound schedule``: a titration or taper, step by step, with supply and labels."""

from __future__ import annotations

import argparse
import json
from fractions import Fraction

from ._cli_measure import FLAGS as MEASURE_FLAGS
from ._cli_measure import add_device_options, add_stock_options, device_from, stock_from
from ._exact import to_fraction
from .devices import Device
from .errors import InputError
from .presets import preset
from .schedule import Schedule, taper, titrate
from .stock import Stock

HELP = ("a titration or taper schedule: what to measure at each step, verdicts, and with "
        "--supply the batches, tablets and labels")

#: library parameter name -> the flag that set it, for error messages
FLAGS = {
    **MEASURE_FLAGS,
    "start": "--start", "step": "--step", "target": "--target", "every": "--every",
    "hold": "--hold", "percent": "--percent", "floor": "--floor", "preset": "--preset",
    "start_date": "--start-date", "bud": "--bud", "preparation": "--preparation",
    "overage": "--overage", "doses_per_day": "--doses-per-day", "steps": "--steps",
    "taper": "--taper", "rounding": "--rounding",
}
#: options that describe a ladder, which a preset already fixes
LADDER_OPTIONS = ("start", "step", "target", "every", "hold", "steps", "taper", "percent",
                  "floor")


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
                      help="a taper from --start down by --percent each --every, to --floor")
    what.add_argument("--percent", metavar="P", help="taper: percent below the previous dose")
    what.add_argument("--floor", metavar="MASS", help="taper: lowest dose")
    what.add_argument("--steps", metavar="LADDER",
                      help="a written ladder: '1.5 mg for 4 weeks; 3 mg for 4 weeks'")
    add_stock_options(p)
    add_device_options(p)
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
                     choices=("aqueous", "aqueous_preserved", "nonaqueous", "solid"),
                     help="USP <795> category for the beyond-use date (default aqueous, "
                          "14 days refrigerated)")
    sup.add_argument("--bud", metavar="DURATION",
                     help="beyond-use override backed by a stability study, e.g. '30 days'")
    sup.add_argument("--overage", default="0.10", metavar="FRACTION",
                     help="extra volume per batch (default 0.10)")
    sup.add_argument("--stronger-stock", action="store_true",
                     help="let later batches use a stronger stock when the dose has grown")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON")
    out.add_argument("--csv", action="store_true",
                     help="print CSV (steps; with --supply, then a blank line and batches)")


def _has_stock(args: argparse.Namespace) -> bool:
    return any(v is not None for v in (args.tablet, args.drug, args.volume))


def _has_device(args: argparse.Namespace) -> bool:
    return args.dropper is not None or args.syringe is not None


def _steps(text: str) -> list[tuple[str, str]]:
    out = []
    for part in text.split(";"):
        dose, sep, duration = part.partition(" for ")
        if not sep:
            raise InputError("steps", part.strip(), "'DOSE for DURATION' items separated by ';'")
        out.append((dose.strip(), duration.strip()))
    return out


def _percent(text: str) -> Fraction:
    """--percent P is P %: the taper's reduction as a fraction."""
    expected = "a percentage strictly between 0 and 100, e.g. 10"
    pct = to_fraction(text, "percent", expected)
    if not 0 < pct < 100:
        raise InputError("percent", text, expected)
    return pct / 100


def build(args: argparse.Namespace) -> Schedule:
    """The schedule the options describe."""
    common = {"start_date": args.start_date, "doses_per_day": args.doses_per_day,
              "tolerance": args.tolerance}
    stock: Stock | None = stock_from(args) if _has_stock(args) else None
    device: Device | None = device_from(args) if _has_device(args) else None
    if args.preset is not None:
        for name in LADDER_OPTIONS:
            value = getattr(args, name)
            if value is not None and value is not False:
                raise InputError(name, value, f"no {FLAGS[name]} with --preset "
                                              f"{args.preset} (the preset fixes the ladder; "
                                              "drop --preset to give your own)")
        return preset(args.preset, stock, device, rounding=args.rounding, **common)
    if stock is None:
        stock = stock_from(args)  # raises, naming --volume
    if device is None:
        device = device_from(args)  # raises, naming --dropper or --syringe
    for flag in ("start", "every"):
        if getattr(args, flag) is None and args.steps is None:
            raise InputError(flag, None, f"--{flag} (or --preset NAME, or --steps)")
    if args.steps is not None:
        return Schedule.from_steps(_steps(args.steps), stock, device, rounding=args.rounding,
                                   **common)
    if args.taper:
        for flag in ("percent", "floor"):
            if getattr(args, flag) is None:
                raise InputError(flag, None, f"--{flag} with --taper")
        return taper(args.start, _percent(args.percent), args.every, stock, device,
                     args.floor, rounding=args.rounding, **common)
    for flag in ("step", "target"):
        if getattr(args, flag) is None:
            raise InputError(flag, None, f"--{flag} (or --taper with --percent and --floor)")
    return titrate(args.start, args.step, args.target, args.every, stock, device,
                   hold=args.hold, rounding=args.rounding, **common)


def run(args: argparse.Namespace) -> int:
    if args.supply and args.drug is not None:
        raise InputError("drug", args.drug, "--tablet MASS (with --count) instead of --drug "
                                            "for --supply: batches are made up from whole "
                                            "tablets of a known strength")
    schedule = build(args)
    supply = None
    if args.supply:
        supply = schedule.supply(bud=args.bud, preparation=args.preparation,
                                 overage=args.overage, stronger_stock=args.stronger_stock)
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

