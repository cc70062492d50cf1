"""``ldn-compound measure``: what to measure for one dose."""

from __future__ import annotations

import argparse

from ._cli_flags import DEVICE_FLAGS, STOCK_FLAGS, FlagError, naming, refuse_unused
from .devices import Device, Dropper, OralSyringe
from .measurement import measure
from .stock import Stock

HELP = "what to measure for one dose: drops or mL, delivered dose, error bounds"

#: library parameter name -> the flag that set it, for error messages
FLAGS = {
    **STOCK_FLAGS, **DEVICE_FLAGS,
    "dose": "--dose", "rounding": "--rounding", "allow_high_dose": "--allow-high-dose",
}


def add_stock_options(p: argparse.ArgumentParser) -> None:
    """--tablet/--drug, --volume, --count, --content-tolerance."""
    src = p.add_mutually_exclusive_group()
    src.add_argument("--tablet", metavar="MASS", help="strength of one tablet, e.g. '50 mg'")
    src.add_argument("--drug", metavar="MASS", help="drug in the stock if not from tablets")
    p.add_argument("--count", default="1", metavar="N",
                   help="tablets used (halves and quarters allowed; default 1)")
    p.add_argument("--volume", metavar="VOLUME", help="volume made up to, e.g. '10 mL'")
    p.add_argument("--content-tolerance", default="0.1", metavar="FRACTION",
                   help="relative drug-content tolerance (default 0.1, USP tablet monograph)")


def add_device_options(p: argparse.ArgumentParser) -> None:
    """--dropper or --syringe/--graduation, --device-tolerance, --max-drops."""
    dev = p.add_mutually_exclusive_group()
    dev.add_argument("--dropper", metavar="DROPS_PER_ML",
                     help="a dropper of this many drops per mL (USP dropper: 20)")
    dev.add_argument("--syringe", metavar="CAPACITY", help="an oral syringe, e.g. '1 mL'")
    p.add_argument("--graduation", metavar="VOLUME",
                   help="syringe graduation, e.g. '0.01 mL' (default: typical for the size)")
    p.add_argument("--device-tolerance", metavar="FRACTION",
                   help="relative volume error of the device (default: USP dropper 0.1, "
                        "syringe 0.1)")
    p.add_argument("--max-drops", metavar="N", help="most drops counted for one dose")


def refuse_unused_stock_device(args: argparse.Namespace, *, default_device: str = "") -> None:
    """Refuse a stock or device option that the other options make do nothing."""
    no_device = args.dropper is None and args.syringe is None
    refuse_unused(args, (
        ("count", args.tablet is None, "only with --tablet (the number of tablets used)"),
        ("content_tolerance", args.tablet is None and args.drug is None,
         "only with --tablet or --drug (the stock's drug-content tolerance)"),
        ("graduation", args.syringe is None, "only with --syringe (the syringe's graduation)"),
        ("max_drops", args.dropper is None,
         "only with --dropper (the most drops counted for one dose)"),
        ("device_tolerance", no_device,
         "only with --dropper or --syringe (that device's volume error)" + default_device),
    ))


def stock_from(args: argparse.Namespace) -> Stock:
    """The stock the options describe."""
    if args.volume is None:
        raise FlagError("--volume", "expected the volume made up to, e.g. '10 mL'")
    with naming(STOCK_FLAGS):
        if args.tablet is not None:
            return Stock.from_tablets(args.tablet, args.volume, args.count,
                                      content_tolerance=args.content_tolerance)
        if args.drug is not None:
            return Stock(drug=args.drug, volume=args.volume,
                         content_tolerance=args.content_tolerance)
    raise FlagError("--tablet", "expected --tablet (e.g. '50 mg') or --drug")


def device_from(args: argparse.Namespace) -> Device:
    """The device the options describe."""
    tol = {} if args.device_tolerance is None else {"volume_error": args.device_tolerance}
    with naming(DEVICE_FLAGS):
        if args.syringe is not None:
            return OralSyringe(capacity=args.syringe, graduation=args.graduation, **tol)
        if args.dropper is not None:
            return Dropper(drops_per_mL=args.dropper, max_drops=args.max_drops, **tol)
    raise FlagError("--dropper", "expected --dropper (e.g. 20) or --syringe (e.g. '1 mL')")


def configure(p: argparse.ArgumentParser) -> None:
    add_stock_options(p)
    p.add_argument("--dose", required=True, metavar="MASS", help="target dose, e.g. '4.5 mg'")
    add_device_options(p)
    p.add_argument("--rounding", default="nearest", choices=("nearest", "down", "up"),
                   help="nearest (ties away from zero), down (never over), up (never under)")
    p.add_argument("--allow-high-dose", action="store_true",
                   help="accept a dose of 45 mg or more (otherwise taken for a decimal slip)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


def run(args: argparse.Namespace) -> int:
    refuse_unused_stock_device(args)
    stock, device = stock_from(args), device_from(args)
    with naming(FLAGS):
        m = measure(args.dose, stock, device, rounding=args.rounding,
                    allow_high_dose=args.allow_high_dose)
    print(m.to_json() if args.json else str(m))
    return 0


def worked_example() -> str:
    """The mission's example: one 50 mg tablet in 10 mL, 20 drops/mL, 4.5 mg."""
    m = measure("4.5 mg", Stock.from_tablets("50 mg", volume="10 mL"), Dropper(drops_per_mL=20))
    return (
        "Worked example: one 50 mg tablet made up to 10 mL, USP dropper (20 drops/mL), "
        "4.5 mg dose\n"
        "(ldn-compound measure --tablet '50 mg' --volume '10 mL' --dose '4.5 mg' --dropper 20)\n\n"
        f"{m}\n\n"
        "ldn_compound does dose arithmetic; it does not prescribe. Try: ldn-compound --help"
    )
