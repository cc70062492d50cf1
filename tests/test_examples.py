"""The worked-example script and notebook run and print what they should."""

import subprocess
import sys
from pathlib import Path

from notebook_runner import checked_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_worked_example_script():
    """examples/worked_example.py prints 18 drops for 4.5 mg (one 50 mg tablet in 10 mL)."""
    out = subprocess.run([sys.executable, str(EXAMPLES / "worked_example.py")],
                         capture_output=True, text=True, check=True).stdout
    assert "Concentration: 5 mg/mL" in out
    assert "Dose per drop: 0.25 mg" in out
    assert "4.5 mg: measure 18 drops (0.9 mL)" in out
    assert "4.5 mg: measure 4.5 mL (45 graduations of 0.1 mL)" in out


def test_worked_example_notebook():
    """examples/worked_example.ipynb runs and prints exactly its stored outputs."""
    printed = checked_text(EXAMPLES / "worked_example.ipynb")
    assert "measure 18 drops (0.9 mL)" in printed
    assert "nearest 3 drops" in printed and "down 2 drops" in printed
