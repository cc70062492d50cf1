"""``ldn-compound measure``: what to measure for one dose."""

from __future__ import annotations

import argparse

from ..devices import Dropper
from ..measurement import measure
from ..stock import Stock
from . import _options as options
from ._flags import MEASURE_FLAGS, naming

HELP = "what to measure for one dose: drops or mL, delivered dose, error bounds"


def configure(p: argparse.ArgumentParser) -> None:
    options.add_stock_options(p)
    p.add_argument("--dose", required=True, metavar="MASS", help="target dose, e.g. '4.5 mg'")
    options.add_device_options(p)
    p.add_argument("--rounding", default="nearest", choices=("nearest", "down", "up"),
                   help="nearest (ties away from zero), down (never over), up (never under)")
    p.add_argument("--allow-high-dose", action="store_true",
                   help="accept a dose of 45 mg or more (otherwise taken for a decimal slip)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


def run(args: argparse.Namespace) -> int:
    options.refuse_unused_stock_device(args)
    stock, device = options.stock_from(args), options.device_from(args)
    with naming(MEASURE_FLAGS):
        m = measure(args.dose, stock, device, rounding=args.rounding,
                    allow_high_dose=args.allow_high_dose)
    print(m.to_json() if args.json else str(m))
    return 0 if m.ok else 3  # a flagged dose never exits 0


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
