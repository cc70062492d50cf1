"""The stock and device options every command that takes a stock or a device shares."""

from __future__ import annotations

import argparse

from ..devices import Device, Dropper, OralSyringe
from ..errors import InputError
from ..stock import Stock
from ._flags import (
    CAPSULE_FLAGS,
    DEVICE_FLAGS,
    STOCK_FLAGS,
    FlagError,
    naming,
    quoted,
    refuse_unused,
)

__all__ = ["add_device_options", "add_stock_options", "device_from", "has_source",
           "refuse_unused_stock_device", "stock_from"]


def add_stock_options(p: argparse.ArgumentParser) -> None:
    """--tablet/--capsule/--drug/--concentration, --volume, --count, the tolerances."""
    src = p.add_mutually_exclusive_group()
    src.add_argument("--tablet", metavar="MASS", help="strength of one tablet, e.g. '50 mg'")
    src.add_argument("--capsule", metavar="MASS",
                     help="strength of one capsule, opened and made up to --volume")
    src.add_argument("--drug", metavar="MASS", help="drug in the stock if not from tablets")
    src.add_argument("--concentration", metavar="MASS/VOLUME",
                     help="a liquid of this concentration, e.g. '1 mg/mL' (with --volume)")
    p.add_argument("--count", default="1", metavar="N",
                   help="tablets (halves and quarters allowed) or whole capsules used "
                        "(default 1)")
    p.add_argument("--volume", metavar="VOLUME", help="volume made up to, e.g. '10 mL'")
    p.add_argument("--content-tolerance", metavar="FRACTION",
                   help="relative drug-content tolerance (default 0.1: USP tablet monograph; "
                        "capsules and --drug/--concentration: USP <795> potency)")
    p.add_argument("--volume-tolerance", metavar="FRACTION",
                   help="relative error of making up --volume (default: a class B graduated "
                        "cylinder, ASTM E694; needed below 1 mL)")


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
        ("count", args.tablet is None and args.capsule is None,
         "only with --tablet or --capsule (the number of tablets or capsules used)"),
        ("content_tolerance", not has_source(args),
         "only with --tablet, --capsule, --drug or --concentration (the stock's drug-content "
         "tolerance)"),
        ("volume_tolerance", args.volume is None,
         "only with --volume (the error of making up that volume)"),
        ("graduation", args.syringe is None, "only with --syringe (the syringe's graduation)"),
        ("max_drops", args.dropper is None,
         "only with --dropper (the most drops counted for one dose)"),
        ("device_tolerance", no_device,
         "only with --dropper or --syringe (that device's volume error)" + default_device),
    ))


def has_source(args: argparse.Namespace) -> bool:
    """Whether a stock's drug was given (--tablet, --capsule, --drug or --concentration)."""
    return any(v is not None for v in (args.tablet, args.capsule, args.drug,
                                       args.concentration))


def _refuse_concentration_as_drug(drug: str) -> None:
    """--drug '1 mg/mL' names the flag that takes a concentration."""
    from ..units import CONCENTRATION, parse

    try:
        parse(drug, CONCENTRATION, "drug")
    except InputError:
        return  # not a concentration: the library's own error says what --drug takes
    raise FlagError("--drug", f"expected the mass of drug in the whole stock, such as "
                              f"'100 mg'; for a liquid known by its concentration use "
                              f"--concentration {quoted(drug)} with --volume; got {quoted(drug)}")


def stock_from(args: argparse.Namespace) -> Stock:
    """The stock the options describe."""
    if args.volume is None:
        raise FlagError("--volume", "expected the volume made up to, e.g. '10 mL'")
    tolerances = {"volume_tolerance": args.volume_tolerance}
    if args.content_tolerance is not None:  # else the library's sourced default
        tolerances["content_tolerance"] = args.content_tolerance
    if args.capsule is not None:
        with naming(CAPSULE_FLAGS):
            return Stock.from_capsules(args.capsule, args.volume, args.count, **tolerances)
    with naming(STOCK_FLAGS):
        if args.tablet is not None:
            return Stock.from_tablets(args.tablet, args.volume, args.count, **tolerances)
        if args.drug is not None:
            _refuse_concentration_as_drug(args.drug)
            return Stock(drug=args.drug, volume=args.volume, **tolerances)
        if args.concentration is not None:
            return Stock.from_concentration(args.concentration, args.volume, **tolerances)
    raise FlagError("--tablet", "expected --tablet (e.g. '50 mg'), --capsule, --drug or "
                                "--concentration")


def device_from(args: argparse.Namespace) -> Device:
    """The device the options describe."""
    tol = {} if args.device_tolerance is None else {"volume_error": args.device_tolerance}
    with naming(DEVICE_FLAGS):
        if args.syringe is not None:
            return OralSyringe(capacity=args.syringe, graduation=args.graduation, **tol)
        if args.dropper is not None:
            return Dropper(drops_per_mL=args.dropper, max_drops=args.max_drops, **tol)
    raise FlagError("--dropper", "expected --dropper (e.g. 20) or --syringe (e.g. '1 mL')")
