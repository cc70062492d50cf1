"""``ldn-compound batch-record``: one batch's compounding record, checked (USP <795>)."""

from __future__ import annotations

import argparse

from ._flags import naming
from ._formulation import read_json, read_record, show

HELP = ("check one batch against its master formulation record (lots, expiries, amounts, "
        "QC); exit 3 when it fails")


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--master", required=True, metavar="FILE",
                   help="the master formulation record ('formulation --json')")
    p.add_argument("--entries", required=True, metavar="FILE",
                   help="JSON: batch, date, preparer, verifier, components (manufacturer, "
                        "lot, expiry), measured (each amount), appearance (pass or fail)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the JSON record")
    out.add_argument("--html", action="store_true", help="print a printable HTML page")
    p.add_argument("--paper", default="A4", choices=("A4", "Letter"),
                   help="page size of --html (default A4)")


def run(args: argparse.Namespace) -> int:
    from ..compounding import MasterFormulation, compounding_record
    from ..errors import InputError

    master = read_record(args.master, "--master")
    if not isinstance(master, MasterFormulation):
        raise InputError("master", type(master).__name__, "a master formulation record")
    entries = read_json(args.entries, "--entries")
    with naming({}):
        record = compounding_record(master, entries)
    show(record, args)
    return 0 if record.ok else 3
