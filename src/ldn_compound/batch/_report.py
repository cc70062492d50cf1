"""The summary rows of a batch (text, notebook HTML): counts, errors and doses in range."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from .._exact import format_percent
from .._rules import DECIMAL_SLIP_MG
from ..rendering import Report, format_mass
from ._kernels import np as numpy
from ._pair import Objects
from ._status import Status

if TYPE_CHECKING:
    from ._result import BatchMeasurement

__all__ = ["batch_report", "unit_word"]

_STATUS_ROWS = {Status.OK: "Measurable", Status.ROUNDS_TO_ZERO: "Rounds to 0",
                Status.OVER_CAPACITY: "Over the device's capacity",
                Status.HIGH_DOSE: f"Refused as >= {format_mass(DECIMAL_SLIP_MG)}"}


def batch_report(b: BatchMeasurement, unit: str) -> Report:
    """The rows of ``b``'s report; ``unit`` names a count ("drop", "graduation", "unit")."""
    s = b.summary
    total = len(b)
    rows = [("Doses", f"{total:,}" + (f" (shape {b.shape})" if len(b.shape) > 1 else "")),
            ("Rounding", b.rounding)]
    rows += [(_STATUS_ROWS[st], f"{s[str(st)]:,}") for st in Status]
    if s["ok"]:
        np = numpy()
        counts = b.count[b.ok]
        errors = b.rounding_error[b.ok]
        rows.append(("Counts", f"{int(counts.min()):,} to {int(counts.max()):,} {unit}s"))
        worst = float(errors[np.argmax(np.abs(errors))])
        rows.append(("Largest rounding error",
                     format_percent(Fraction(repr(worst))) if worst else "0 %"))
        delivered = b.delivered_mg[b.ok]
        rows.append(("Delivered", f"{_mass(delivered.min())} to {_mass(delivered.max())}"))
    return Report(title=f"{total:,} dose{'' if total == 1 else 's'}: {s['ok']:,} measurable",
                  rows=tuple(rows), warnings=b.warnings)


def _mass(mg: float) -> str:
    return format_mass(Fraction(repr(float(mg))))


def unit_word(devices: Objects) -> str:
    """The count's unit when every device has the same one, else "unit"."""
    kinds = {d.unit for d in devices[0]}
    return kinds.pop() if len(kinds) == 1 else "unit"
