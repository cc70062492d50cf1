"""ldn_compound: exact dose arithmetic for compounding low-dose naltrexone.

The library computes what to measure; it does not prescribe.
"""

from .batch import BatchMeasurement, Status, measure_many
from .devices import Device, Dropper, OralSyringe
from .errors import (
    InputError,
    LdnCompoundError,
    ToleranceError,
    UnitError,
    UnmeasurableDoseError,
)
from .measurement import Bounds, DoseBand, Measurement, classify, measure
from .stock import Stock
from .units import Q_, get_registry

__version__ = "0.1.0"

__all__ = [
    "Q_",
    "BatchMeasurement",
    "Bounds",
    "Device",
    "DoseBand",
    "Dropper",
    "InputError",
    "LdnCompoundError",
    "Measurement",
    "OralSyringe",
    "Status",
    "Stock",
    "ToleranceError",
    "UnitError",
    "UnmeasurableDoseError",
    "classify",
    "get_registry",
    "measure",
    "measure_many",
]
