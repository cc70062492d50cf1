"""The prescriptions notebook reads its CSV, measures every dose and plots the rounding error."""

import csv
from pathlib import Path

from notebook_runner import checked_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_prescriptions_notebook():
    """examples/prescriptions.ipynb runs and prints exactly its stored outputs.

    One 50 mg tablet in 10 mL at 20 drops/mL is 0.25 mg a drop (the README's worked
    example), so 4.5 mg is 18 drops and 450 mcg rounds to 2 drops (0.5 mg, +11.1 %).
    """
    printed = checked_text(EXAMPLES / "prescriptions.ipynb")
    with open(EXAMPLES / "prescriptions.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert f"{len(rows)} prescriptions" in printed
    assert "RX-1001    4.5 mg  18 drops  error   +0.0%  ok" in printed
    assert "RX-1005   450 mcg   2 drops  error  +11.1%  ok" in printed
    assert "RX-1009   0.35 mg    1 drop  error  -28.6%  ok" in printed
    unmeasurable = [r["rx"] for r in rows if r["dose"] in ("0.1 mg", "50 mcg")]
    for rx in unmeasurable:  # listed with the stock that would work, never plotted as 0
        assert f"{rx} (" in printed and "rounds_to_zero" in printed
    assert f"{len(rows) - len(unmeasurable)} bars" in printed
