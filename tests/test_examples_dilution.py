"""The dilution example notebook runs and prints what it should."""

from pathlib import Path

from notebook_runner import checked_text

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "dilution.ipynb"


def test_dilution_notebook():
    """examples/dilution.ipynb runs and prints exactly its stored outputs (a microgram ladder)."""
    printed = checked_text(NOTEBOOK)
    assert "Dilution plan for 1 mcg: 2 steps" in printed
    assert "For 0.5 mg: measure 0.98 mL" in printed and "For 1 mcg: measure 0.2 mL" in printed
    assert "binding constraint:" in printed
