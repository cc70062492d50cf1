"""The hyperbolic-taper notebook runs and prints what it should."""

from pathlib import Path

from notebook_runner import checked_text

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "hyperbolic_taper.ipynb"


def test_hyperbolic_taper_notebook():
    """examples/hyperbolic_taper.ipynb runs and prints exactly its stored outputs: the
    single-stock taper's coarse last cuts, the 4-liquid plan, and a made-up drug's taper."""
    printed = checked_text(NOTEBOOK)
    assert "0.5 mg -> 0.25 mg: cut 50%" in printed
    assert "Taper plan: 4.5 mg to 50 mcg, 44 steps, 4 liquids" in printed
    assert "MADE-UP" in printed or "made-up" in printed.lower()
    assert "equal occupancy steps of 5 % points" in printed
