"""ldn_compound: exact dose arithmetic for compounding low-dose naltrexone.

The library computes what to measure; it does not prescribe.

Where to start
--------------
measure(dose, stock, device)
    What to measure for one dose: a :class:`Measurement` (count, volume,
    delivered dose, worst-case bounds). ``measure_many`` does arrays.
Stock, Dropper, OralSyringe
    The liquid (``Stock.from_tablets("50 mg", "10 mL")``) and the device.
titrate, taper, Schedule, preset
    Ladders of doses, each step measured and judged; ``Schedule.supply()``
    gives the bottles and labels; ``Schedule.to_fhir()`` FHIR R4 ``Dosage``.
plan_taper, plan_titration, Occupancy, Drug
    Tapers (and slow rises) that switch to weaker liquids to stay
    hyperbolic, for naltrexone or a drug you describe.
plan_dilution, plan_trituration
    Microgram doses by serial dilution; capsules by trituration.
LdnCompoundError, InputError, ErrorKind
    Every error the library raises; branch on ``exc.kind``.

Modules: ``ldn_compound.records`` (versioned records and their schemas),
``ldn_compound.fhir`` (FHIR export), ``ldn_compound.types`` (what each
parameter accepts), ``ldn_compound.references`` (the sources),
``ldn_compound.strategies`` (hypothesis strategies, opt-in),
``ldn_compound.serve`` (the optional web page and JSON service).

>>> from ldn_compound import Dropper, Stock, measure
>>> measure("4.5 mg", Stock.from_tablets("50 mg", "10 mL"), Dropper()).what_to_measure()
'18 drops (0.9 mL)'
"""

from . import records
from .batch import BatchMeasurement, Status, measure_many
from .compounding import (
    CompoundingRecord,
    MasterFormulation,
    compounding_record,
    master_formulation,
)
from .devices import Device, Dropper, OralSyringe
from .dilution import (
    ChainMeasurement,
    DilutionPlan,
    DilutionStep,
    SimulationResult,
    plan_dilution,
)
from .drugs import NALTREXONE_HCL, Drug
from .equipment import DEFAULT_EQUIPMENT, GraduatedCylinder, VolumetricFlask
from .errors import (
    ErrorKind,
    InputError,
    LdnCompoundError,
    NoPlanError,
    ToleranceError,
    UnitError,
    UnmeasurableDoseError,
)
from .measurement import Bounds, DoseBand, Measurement, classify, measure
from .multistock import Occupancy, TaperPlan, plan_taper, plan_titration
from .presets import PRESETS, Preset, preset
from .references import Reference, reference
from .schedule import Schedule, Step, taper, titrate
from .schedule.supply import Batch, Supply, beyond_use_date
from .stock import Stock
from .trituration import TriturationPlan, TriturationStep, plan_trituration
from .units import Q_, get_registry

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_EQUIPMENT",
    "NALTREXONE_HCL",
    "PRESETS",
    "Q_",
    "Batch",
    "BatchMeasurement",
    "Bounds",
    "ChainMeasurement",
    "CompoundingRecord",
    "Device",
    "DilutionPlan",
    "DilutionStep",
    "DoseBand",
    "Dropper",
    "Drug",
    "ErrorKind",
    "GraduatedCylinder",
    "InputError",
    "LdnCompoundError",
    "MasterFormulation",
    "Measurement",
    "NoPlanError",
    "Occupancy",
    "OralSyringe",
    "Preset",
    "Reference",
    "Schedule",
    "SimulationResult",
    "Status",
    "Step",
    "Stock",
    "Supply",
    "TaperPlan",
    "ToleranceError",
    "TriturationPlan",
    "TriturationStep",
    "UnitError",
    "UnmeasurableDoseError",
    "VolumetricFlask",
    "beyond_use_date",
    "classify",
    "compounding_record",
    "get_registry",
    "master_formulation",
    "measure",
    "measure_many",
    "plan_dilution",
    "plan_taper",
    "plan_titration",
    "plan_trituration",
    "preset",
    "records",
    "reference",
    "taper",
    "titrate",
]
