"""``ldn-compound dilute``: a serial dilution for microgram and nanogram doses."""

from __future__ import annotations

import argparse
from typing import Any

from ..devices import Device, OralSyringe
from ..equipment import Equipment, GraduatedCylinder, VolumetricFlask
from ..errors import InputError
from . import _options as options
from ._flags import (
    GLASSWARE_FLAGS,
    PLAN_FLAGS,
    SIMULATE_FLAGS,
    FlagError,
    naming,
    quoted,
    refuse_unused,
)

HELP = "plan a serial dilution for a microgram or nanogram dose, with worst-case bounds"

_SYRINGES = "1 mL,3 mL,5 mL,10 mL"
_CYLINDERS = "10 mL,25 mL,50 mL,100 mL"


def configure(p: argparse.ArgumentParser) -> None:
    options.add_stock_options(p)
    p.add_argument("--dose", action="append", required=True, metavar="MASS",
                   help="target dose, e.g. '1 mcg'; repeat for a ladder served by one chain")
    options.add_device_options(p)
    p.add_argument("--tolerance", default="0.1", metavar="FRACTION",
                   help="largest nominal dose error, rounding and dilution arithmetic "
                        "(default 0.1)")
    p.add_argument("--max-volume", default="100 mL", metavar="VOLUME",
                   help="largest container and volume made up (default '100 mL')")
    p.add_argument("--transfer-syringes", default=_SYRINGES, metavar="LIST",
                   help=f"oral syringes for transfers, comma-separated (default '{_SYRINGES}')")
    p.add_argument("--cylinders", default=_CYLINDERS, metavar="LIST",
                   help=f"graduated cylinders (default '{_CYLINDERS}'; 'none' for none)")
    p.add_argument("--cylinder-class", default="B", choices=("A", "B"),
                   help="ASTM E694 class of the cylinders (default B)")
    p.add_argument("--flasks", default="none", metavar="LIST",
                   help="class A volumetric flasks, e.g. '25 mL,100 mL' (default none)")
    p.add_argument("--simulate", metavar="N",
                   help="also run a Monte Carlo of N draws of every transfer's error")
    p.add_argument("--seed", default="0", metavar="SEED", help="Monte Carlo seed (default 0)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


def _items(text: str) -> list[str]:
    if text.strip().lower() == "none":
        return []
    return [t.strip() for t in text.split(",") if t.strip()]


def equipment_from(args: argparse.Namespace) -> tuple[Equipment, ...]:
    """The equipment the options describe."""
    items: list[Equipment] = []
    makers: tuple[tuple[str, str, Any], ...] = (
        ("transfer_syringes", args.transfer_syringes, lambda c: OralSyringe(capacity=c)),
        ("cylinders", args.cylinders,
         lambda c: GraduatedCylinder(c, glass_class=args.cylinder_class)),
        ("flasks", args.flasks, VolumetricFlask),
    )
    for name, text, make in makers:
        for c in _items(text):
            try:
                items.append(make(c))
            except InputError as exc:  # name the flag and the item typed, not the keyword
                flag = GLASSWARE_FLAGS[name].get(exc.parameter, "--" + name.replace("_", "-"))
                raise FlagError(flag, f"expected {exc.expected}; got {quoted(c)}") from exc
    return tuple(items)


def _device(args: argparse.Namespace) -> Device:
    if args.dropper is None and args.syringe is None:
        return OralSyringe(capacity="1 mL")
    return options.device_from(args)


def run(args: argparse.Namespace) -> int:
    from ..dilution import plan_dilution

    options.refuse_unused_stock_device(
        args, default_device="; the default 1 mL syringe has its own, or add --syringe '1 mL'")
    refuse_unused(args, (
        ("seed", args.simulate is None, "only with --simulate (the Monte Carlo's seed)"),
        ("cylinder_class", not _items(args.cylinders),
         "only with graduated cylinders (--cylinders is none)"),
    ))
    if args.volume is not None or (options.has_source(args) and args.tablet is None):
        source: Any = options.stock_from(args)
        tablets = None
    else:
        if args.tablet is None:
            raise FlagError("--tablet", "expected --tablet (e.g. '50 mg'), or --drug and --volume")
        source, tablets = args.tablet, args.count
    doses = args.dose
    device, equipment = _device(args), equipment_from(args)
    with naming(PLAN_FLAGS):
        plan = plan_dilution(
            doses[0] if len(doses) == 1 else None, source, device,
            equipment=equipment, max_volume=args.max_volume, max_rounding_error=args.tolerance,
            doses=None if len(doses) == 1 else doses, tablets=tablets,
            **({} if tablets is None or args.content_tolerance is None
               else {"content_tolerance": args.content_tolerance}),
        )
    with naming(SIMULATE_FLAGS):
        sim = None if args.simulate is None else plan.simulate(args.simulate, args.seed)
    if args.json:
        import json

        data = plan.to_dict()
        if sim is not None:
            data["simulation"] = sim.to_dict()
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(plan)
        if sim is not None:
            print()
            print(sim)
    return 0 if all(m.ok for m in plan.measurements) else 3  # a flagged dose never exits 0
