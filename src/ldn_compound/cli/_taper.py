"""``ldn-compound taper``: a multi-stock taper (or titration) that stays hyperbolic."""

from __future__ import annotations

import argparse
from typing import Any

from .._exact import exact_text
from ..multistock import DEFAULT_DILUTIONS, DEFAULT_MAX_CUT_ERROR
from ..schedule._preparation import LIQUIDS
from ._flags import TAPER_FLAGS, FlagError, naming, quoted, refuse_unused
from ._options import add_stock_options, stock_from

_DEFAULT_DILUTIONS = ",".join(str(k) for k in DEFAULT_DILUTIONS)

HELP = ("a taper by a share of the current dose (or equal occupancy steps) that switches to "
        "weaker liquids as the doses get small; with --target, a titration up")


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--start", required=True, metavar="MASS", help="first daily dose")
    end = p.add_mutually_exclusive_group(required=True)
    end.add_argument("--floor", metavar="MASS", help="taper: last daily dose")
    end.add_argument("--target", metavar="MASS", help="titration: last (highest) daily dose")
    p.add_argument("--every", required=True, metavar="DURATION",
                   help="length of each step, e.g. '2 weeks' or '14 days'")
    p.add_argument("--reduction", metavar="FRACTION",
                   help="share of the current dose a step: '10 %%' or 0.1 (a rise with "
                        "--target)")
    p.add_argument("--emax", metavar="FRACTION", help="occupancy method: Emax, e.g. '85 %%'")
    p.add_argument("--ed50", metavar="MASS", help="occupancy method: ED50, e.g. '2 mg'")
    p.add_argument("--occupancy-step", metavar="FRACTION",
                   help="occupancy method: points a step, e.g. '5 %%'")
    p.add_argument("--max-cut-error", default=exact_text(DEFAULT_MAX_CUT_ERROR), metavar="FRACTION",
                   help="largest relative distance of a delivered cut from the requested one "
                        "(default 0.1: a 10 %% cut delivers 9 to 11 %%)")
    p.add_argument("--to-zero", action="store_true", help="taper: stop after the floor")
    add_stock_options(p)
    p.add_argument("--dropper", metavar="DROPS_PER_ML",
                   help="a dropper of this many drops per mL, e.g. 20 (with --syringe too: "
                        "the plan picks the device for each dose)")
    p.add_argument("--syringe", metavar="CAPACITY",
                   help="an oral syringe, e.g. '1 mL' (with --dropper too: the plan picks)")
    p.add_argument("--graduation", metavar="VOLUME", help="syringe graduation, '0.01 mL'")
    p.add_argument("--dilutions", default=_DEFAULT_DILUTIONS, metavar="K,K,...",
                   help=f"dilutions (1 in k) a switch may make (default {_DEFAULT_DILUTIONS})")
    p.add_argument("--max-volume", metavar="VOLUME",
                   help="largest volume of one dose (default: the syringe's capacity)")
    p.add_argument("--preparation", default="aqueous",
                   choices=LIQUIDS,
                   help="USP <795> category, for the beyond-use period (default aqueous), or "
                        "preserved_glycerol (Fawcett et al. 1997: 60 days refrigerated)")
    p.add_argument("--bud", metavar="DURATION",
                   help="beyond-use period backed by a stability study, e.g. '30 days'")
    p.add_argument("--start-date", metavar="YYYY-MM-DD", help="date of the first dose")
    p.add_argument("--drug-name", metavar="NAME",
                   help="another drug than naltrexone HCl (with --usual-max)")
    p.add_argument("--usual-max", metavar="MASS", help="that drug's usual largest daily dose")
    p.add_argument("--solubility", metavar="CONC",
                   help="that drug's solubility, e.g. '10 mg/mL' (none: a suspension)")
    p.add_argument("--allow-high-dose", action="store_true",
                   help="accept ten or more times the usual maximum")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON instead of text")
    out.add_argument("--csv", action="store_true", help="print one CSV row a step")


def _drug(args: argparse.Namespace) -> Any:
    refuse_unused(args, (
        ("usual_max", args.drug_name is None, "only with --drug-name"),
        ("solubility", args.drug_name is None, "only with --drug-name"),
    ))
    if args.drug_name is None:
        return None
    if args.usual_max is None:
        raise FlagError("--usual-max", "expected the drug's usual largest daily dose with "
                                       "--drug-name, e.g. '10 mg'")
    from ..drugs import Drug

    return Drug(args.drug_name, args.usual_max, solubility=args.solubility)


def _dilutions(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(k) for k in text.split(","))
    except ValueError:
        raise FlagError("--dilutions", "expected whole dilution factors separated by "
                                       f"commas, e.g. 2,4,5,10; got {quoted(text)}") from None


def run(args: argparse.Namespace) -> int:
    from ..devices import Dropper, OralSyringe
    from ..multistock import Occupancy, plan_taper, plan_titration

    refuse_unused(args, (("graduation", args.syringe is None, "only with --syringe"),
                         ("to_zero", args.target is not None, "only with --floor (a taper)")))
    stock = stock_from(args)
    with naming(TAPER_FLAGS):
        drug = _drug(args)
        devices: list[Any] = []
        if args.dropper is not None:
            devices.append(Dropper(drops_per_mL=args.dropper))
        if args.syringe is not None:
            devices.append(OralSyringe(capacity=args.syringe, graduation=args.graduation))
        if args.reduction is None and args.emax is None and args.ed50 is None:
            raise FlagError("--reduction", "expected --reduction (e.g. '10 %' or 0.1), or the "
                                           "occupancy method (--emax, --ed50, "
                                           "--occupancy-step)")
        if not devices:
            raise FlagError("--syringe", "expected --syringe (e.g. '1 mL') and/or --dropper")
        occupancy = None
        if args.emax is not None or args.ed50 is not None:
            occupancy = Occupancy(args.emax, args.ed50)
        common: dict[str, Any] = dict(
            dilutions=_dilutions(args.dilutions),
            occupancy=occupancy, occupancy_step=args.occupancy_step,
            max_cut_error=args.max_cut_error,
            max_volume=args.max_volume, preparation=args.preparation, bud=args.bud,
            start_date=args.start_date, drug=drug, allow_high_dose=args.allow_high_dose)
        if args.target is not None:
            plan = plan_titration(args.start, args.target, args.every, stock, devices,
                                  rise=args.reduction, **common)
        else:
            plan = plan_taper(args.start, args.floor, args.every, stock, devices,
                              reduction=args.reduction, to_zero=args.to_zero, **common)
    print(plan.to_json() if args.json else plan.to_csv() if args.csv else str(plan), end=""
          if args.csv else "\n")
    return 3 if plan.flagged else 0  # a flagged step never exits 0
