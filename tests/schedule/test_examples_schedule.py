"""The titration notebook runs and prints exactly its stored outputs."""

from pathlib import Path

from notebook_runner import checked_text

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "titration.ipynb"


def test_titration_notebook():
    """examples/titration.ipynb: 7 steps, 10 tablets in 7 bottles, dated labels, round trip."""
    printed = checked_text(NOTEBOOK)
    # Hand check in the notebook: 4 bottles of 1 tablet + 3 of 2 = 10 tablets.
    assert "Supply: 7 batches, 10 x 50 mg tablets, 100 mL made" in printed
    assert "Take 6 drops (0.3 mL) = 1.5 mg by mouth at bedtime. Beyond-use date: " \
        "2026-12-05; discard after it." in printed
    assert "\nTrue\n" in printed
