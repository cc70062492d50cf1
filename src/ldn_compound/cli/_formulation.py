"""``ldn-compound formulation``: a master formulation record (USP <795>)."""

from __future__ import annotations

import argparse

from . import _options as options
from ._flags import STOCK_FLAGS, FlagError, naming

HELP = "write a master formulation record (the recipe) of a stock, dilution or trituration"

#: master_formulation's own parameters -> flags
FORMULATION_FLAGS = {**STOCK_FLAGS, "preparation": "--preparation", "bud": "--bud",
                     "powder": "--powder", "purity": "--purity",
                     "sensitivity": "--sensitivity", "allowed_error": "--allowed-error",
                     "paper": "--paper", "source": "--from", "text": "--from"}


def configure(p: argparse.ArgumentParser) -> None:
    options.add_stock_options(p)
    p.add_argument("--from", dest="source", metavar="FILE",
                   help="a record from 'dilute --json' or 'triturate --json' (or a stock "
                        "record) instead of the stock options")
    p.add_argument("--preparation", metavar="NAME",
                   help="USP <795> category or studied vehicle (default aqueous; solid for "
                        "capsules)")
    p.add_argument("--bud", metavar="DAYS", help="beyond-use days from a stability study")
    p.add_argument("--powder", default="salt", choices=("salt", "base"),
                   help="form bulk powder is weighed in (default salt)")
    p.add_argument("--purity", default="1", metavar="FRACTION",
                   help="the powder's assay, e.g. 0.99 (default 1)")
    p.add_argument("--sensitivity", default="6 mg", metavar="MASS",
                   help="balance sensitivity (default '6 mg')")
    p.add_argument("--allowed-error", default="0.05", metavar="FRACTION",
                   help="accepted weighing error (default 0.05)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the JSON record")
    out.add_argument("--html", action="store_true", help="print a printable HTML page")
    p.add_argument("--paper", default="A4", choices=("A4", "Letter"),
                   help="page size of --html (default A4)")


#: largest file read (a record of a long plan is well under a megabyte)
_MAX_FILE = 10_000_000


def _read(path: str, flag: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(_MAX_FILE)
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        why = getattr(exc, "strerror", None) or "not a file name"
        raise FlagError(flag, f"expected a readable JSON file; {why}") from None


def read_record(path: str, flag: str) -> object:
    """The record in the JSON file ``path`` (read back and checked)."""
    from ..records import from_json

    text = _read(path, flag)
    with naming({}):
        return from_json(text)


def read_json(path: str, flag: str) -> object:
    """The JSON value in the file ``path``, read by the records' one JSON reader (finite
    numbers, nested at most 32 deep)."""
    from .._records import parsed, screened
    from ..errors import InputError

    try:
        return screened(parsed(_read(path, flag), flag))
    except InputError as exc:
        raise FlagError(flag, f"expected a file of JSON text ({exc.details()})") from None


def show(record: object, args: argparse.Namespace) -> None:
    """Print ``record`` as text, JSON or a printable page."""
    from ..rendering import Rendered

    assert isinstance(record, Rendered)
    if args.json:
        print(record.to_json())
    elif args.html:
        print(record.to_html(args.paper), end="")
    else:
        print(record)


def run(args: argparse.Namespace) -> int:
    from ..compounding import master_formulation

    if args.source and (options.has_source(args) or args.volume is not None):
        raise FlagError("--from", "expected --from or the stock options, not both")
    source = read_record(args.source, "--from") if args.source else options.stock_from(args)
    with naming(FORMULATION_FLAGS):
        master = master_formulation(
            source, preparation=args.preparation, bud=args.bud, powder=args.powder,
            purity=args.purity, sensitivity=args.sensitivity,
            allowed_error=args.allowed_error)
    show(master, args)
    return 0
