"""The ONE place where served results become records and records get their schemas.

Every JSON response carries a result's ``to_dict()`` (its versioned record);
the OpenAPI document names each record's schema under ``components/schemas``.
When the package ships JSON Schemas (``ldn_compound.records.schema(name)``),
:func:`record_schema` returns them; until then it returns a placeholder object
schema that says which record it stands for.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["RECORDS", "record", "record_schema", "record_schemas"]

#: OpenAPI component name -> record name (the ``<record>`` in ``ldn_compound/<record>@1``)
RECORDS = {
    "Measurement": "measurement",
    "Schedule": "schedule",
    "Supply": "supply",
    "DilutionPlan": "dilution_plan",
    "TriturationPlan": "trituration_plan",
}


def record(result: Any) -> dict[str, Any]:
    """The record a response carries for ``result`` (any ldn_compound result)."""
    data: dict[str, Any] = result.to_dict()
    return data


def record_schema(component: str) -> dict[str, Any]:
    """The JSON Schema of the record named ``component`` (a key of :data:`RECORDS`)."""
    name = RECORDS[component]
    try:
        records = importlib.import_module("ldn_compound.records")
    except ImportError:  # a release without shipped schemas
        records = None
    if records is not None and hasattr(records, "schema"):
        shipped: dict[str, Any] = dict(records.schema(name))
        return shipped
    return {
        "type": "object",
        "title": component,
        "description": f"The ldn_compound/{name} record: {component}.to_dict().",
        "additionalProperties": True,
    }


def record_schemas() -> dict[str, dict[str, Any]]:
    """Every record schema by OpenAPI component name."""
    return {component: record_schema(component) for component in RECORDS}
