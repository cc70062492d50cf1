"""``ldn-compound triturate``: capsules of a very low dose by geometric dilution."""

from __future__ import annotations

import argparse

HELP = "plan capsules of a very low dose: geometric dilution of powder with a filler"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dose", required=True, metavar="MASS",
                   help="naltrexone per capsule, e.g. '50 mcg'")
    p.add_argument("--capsules", default="100", metavar="N", help="capsules per batch (100)")
    p.add_argument("--fill", default="200 mg", metavar="MASS",
                   help="powder per capsule, drug and filler (default '200 mg'; measure yours)")
    p.add_argument("--dose-as", default="hydrochloride", choices=("hydrochloride", "base"),
                   help="form the dose is written in (default hydrochloride)")
    p.add_argument("--powder", default="hydrochloride", choices=("hydrochloride", "base"),
                   help="form of the powder weighed (default hydrochloride)")
    p.add_argument("--purity", default="1", metavar="FRACTION",
                   help="stated purity of the powder, e.g. 0.99 (default 1)")
    p.add_argument("--sensitivity", default="6 mg", metavar="MASS",
                   help="balance sensitivity (default '6 mg', a class III balance)")
    p.add_argument("--allowed-error", default="0.05", metavar="FRACTION",
                   help="largest weighing error (default 0.05)")
    p.add_argument("--filler", default="microcrystalline cellulose", metavar="NAME",
                   help="filler (default microcrystalline cellulose)")
    p.add_argument("--max-mixture", default="50 g", metavar="MASS",
                   help="largest mixture made in one step (default '50 g')")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


def run(args: argparse.Namespace) -> int:
    from ..trituration import plan_trituration

    plan = plan_trituration(
        args.dose, capsules=args.capsules, fill=args.fill, dose_as=args.dose_as,
        powder=args.powder, purity=args.purity, sensitivity=args.sensitivity,
        allowed_error=args.allowed_error, filler=args.filler, max_mixture=args.max_mixture,
    )
    print(plan.to_json() if args.json else str(plan))
    return 0
