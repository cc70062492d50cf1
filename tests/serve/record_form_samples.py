"""The two record forms filled in as a pharmacist would (shared by the page's tests)."""

from __future__ import annotations

import json

import ldn_compound as lc

#: the master form's defaults: one 50 mg tablet made up to 10 mL
MASTER = lc.master_formulation(lc.Stock.from_tablets("50 mg", "10 mL", 1))


def batch_form(*, amounts: dict[str, str] | None = None, expiry: str = "2028-01-31",
               **changes: str) -> dict[str, str]:
    """The batch form for one batch of :data:`MASTER`, made as planned unless changed.

    ``amounts`` replaces measured amounts (by key); ``changes`` replaces whole fields.
    """
    measured = {"tablets": "1", "final volume": "10 mL"} | (amounts or {})
    components = {k: {"manufacturer": "Maker", "lot": f"L-{k}", "expiry": expiry}
                  for k, _, _ in MASTER.formula.components}
    return {"master": MASTER.to_json(),
            "batch": "B-2026-001", "date": "2026-12-06", "preparer": "A. Smith",
            "verifier": "B. Jones", "appearance": "pass",
            "components": json.dumps(components), "measured": json.dumps(measured)} | changes
