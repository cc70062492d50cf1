"""Versioned records: read any record, and the JSON Schemas shipped for them.

Every result and input class writes a record with ``to_dict()``/``to_json()``
and reads one with the classmethods ``from_dict()``/``from_json()``. A record's
first field, ``"schema"``, names its type and version:
``"ldn_compound/<record>@<version>"``, e.g. ``"ldn_compound/measurement@1"``.

Reading recomputes: the object is rebuilt from the record's exact inputs, and
a record whose stored results (count, volume, bounds, warnings, steps,
batches ...) disagree with the arithmetic is refused with an
:class:`~ldn_compound.InputError` of kind ``RECORD_MISMATCH`` naming the field
(``parameter``, e.g. ``"steps[2].count"``), never silently repaired.

Exact fields hold exact decimal text or a fraction with the unit and no
thousands separator (``"1000 mL"``, ``"32/7 mg"``); display fields hold safely
written text (``"1,000 mL"``). Each record's JSON Schema (draft 2020-12),
from :func:`schema`, says which fields are which (``$defs/exact``,
``$defs/display``).

>>> from ldn_compound import Dropper, Stock, measure
>>> m = measure("4.5 mg", Stock.from_tablets("50 mg", "10 mL"), Dropper())
>>> m.to_dict()["schema"]
'ldn_compound/measurement@1'
>>> load(m.to_dict()) == m
True
>>> schema("measurement")["properties"]["schema"]
{'const': 'ldn_compound/measurement@1'}
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from . import _records
from .errors import InputError

__all__ = ["NAMES", "SCHEMA_PREFIX", "VERSION", "from_json", "load", "schema"]

#: Every record's ``"schema"`` starts with this.
SCHEMA_PREFIX = _records.SCHEMA_PREFIX
#: The version of the records this release writes and reads.
VERSION = _records.VERSION
#: The record names, one JSON Schema each.
NAMES = (
    "batch", "batch_measurement", "chain_measurement", "compounding_record", "dilution_plan",
    "dilution_step", "dropper", "graduated_cylinder", "master_formulation", "measurement",
    "oral_syringe", "schedule", "simulation_result", "step", "stock", "supply", "taper_plan",
    "trituration_plan", "trituration_step", "volumetric_flask",
)


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the ``name`` record.

    Parameters
    ----------
    name : str
        A record name from :data:`NAMES` (``"measurement"``), or a record's
        ``"schema"`` field (``"ldn_compound/measurement@1"``).

    Returns
    -------
    dict
        The schema document, as shipped in ``ldn_compound/schemas/<name>.json``.
    """
    key = name.removeprefix(SCHEMA_PREFIX).removesuffix(f"@{VERSION}") \
        if isinstance(name, str) else name
    if key not in NAMES:
        raise InputError("name", name, f"a record name: {', '.join(NAMES)}")
    folder = resources.files(__package__).joinpath("schemas")
    text = folder.joinpath(f"{key}.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def load(data: dict[str, Any]) -> Any:
    """Any record, read by the class its ``"schema"`` names (recomputed and checked).

    Parameters
    ----------
    data : dict
        A record from some ``to_dict()``.

    Returns
    -------
    Stock, Measurement, Schedule, ... : the object the record describes.
    """
    return _records.load(data)


def from_json(text: str | bytes) -> Any:
    """:func:`load` of JSON text from some ``to_json()``.

    NaN, Infinity, numbers past a float's range and nesting deeper than any
    record are refused (:class:`~ldn_compound.InputError`), as in :func:`load`.
    """
    return load(_records.parsed(text, "an ldn_compound record"))
