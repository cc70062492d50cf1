"""The compounding-records example notebook runs and prints what it should."""

from pathlib import Path

from notebook_runner import checked_text

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "compounding_records.ipynb"


def test_compounding_records_notebook():
    """examples/compounding_records.ipynb runs and prints exactly its stored outputs."""
    printed = checked_text(NOTEBOOK)
    assert "Master formulation record: Naltrexone hydrochloride 5 mg/mL oral suspension" in printed
    assert "Beyond-use date:    2026-12-15 (set by the expiry of vehicle" in printed
    assert "False None\nQC failed: final volume 21 mL is +5 % off 20 mL" in printed
