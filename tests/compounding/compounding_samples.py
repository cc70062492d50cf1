"""Masters and entries shared by the compounding-record tests (imported as a module)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import ldn_compound as lc

MADE = dt.date(2026, 12, 6)

#: The worked example of issue 25: 2 x 50 mg tablets made up to 20 mL, 5 mg/mL.
TABLETS = lc.master_formulation(lc.Stock.from_tablets("50 mg", "20 mL", 2))
#: A 1 mcg dose by serial dilution of one 50 mg tablet (plan_dilution's own plan).
DILUTION = lc.master_formulation(lc.plan_dilution("1 mcg", "50 mg"))
#: 50 mcg capsules by trituration, 100 x 200 mg (plan_trituration's defaults).
CAPSULES = lc.master_formulation(lc.plan_trituration("50 mcg"))
#: 2 mg/mL from bulk powder of 99 % purity, 100 mL.
POWDER = lc.master_formulation(lc.Stock.from_concentration("2 mg/mL", "100 mL"),
                               purity="99 %")
MASTERS = {"tablets": TABLETS, "dilution": DILUTION, "capsules": CAPSULES, "powder": POWDER}


def entered(value: Fraction, unit: str) -> str:
    """An amount as a pharmacist types it: exact, with its unit (a count bare)."""
    text = f"{value.numerator}/{value.denominator}" if value.denominator != 1 \
        else str(value.numerator)
    return f"{text} {unit}" if unit in ("mg", "mL") else text


def entries(master, *, measured=None, expiry=None, appearance="pass", date=MADE):
    """Entries for one batch of ``master``: as planned unless ``measured`` says otherwise."""
    amounts = {a.key: entered(a.exact, a.unit) for a in master.formula.amounts}
    amounts.update(measured or {})
    expiries = expiry or {}
    return {
        "batch": "B-2026-001", "date": date.isoformat(), "preparer": "A. Smith",
        "verifier": "B. Jones",
        "components": {k: {"manufacturer": "Maker", "lot": f"L-{k}",
                           "expiry": expiries.get(k, "2028-01-31")}
                       for k, _, _ in master.formula.components},
        "measured": amounts, "appearance": appearance,
    }
