"""ldn_compound: exact dose arithmetic for compounding low-dose naltrexone.

The library computes what to measure; it does not prescribe.
"""

from .devices import Device, Dropper, OralSyringe
from .errors import (
    InputError,
    LdnCompoundError,
    ToleranceError,
    UnitError,
    UnmeasurableDoseError,
)
from .measurement import Bounds, DoseBand, Measurement, classify, measure
from .presets import PRESETS, preset
from .schedule import Schedule, Step, taper, titrate
from .stock import Stock
from .supply import Batch, Supply, beyond_use_date
from .units import Q_, get_registry

__version__ = "0.1.0"

__all__ = [
    "PRESETS",
    "Q_",
    "Batch",
    "Bounds",
    "Device",
    "DoseBand",
    "Dropper",
    "InputError",
    "LdnCompoundError",
    "Measurement",
    "OralSyringe",
    "Schedule",
    "Step",
    "Stock",
    "Supply",
    "ToleranceError",
    "UnitError",
    "UnmeasurableDoseError",
    "beyond_use_date",
    "classify",
    "get_registry",
    "measure",
    "preset",
    "taper",
    "titrate",
]
