"""The ONE place where served results become records and records get their schemas.

Every JSON response carries a result's ``to_dict()`` (its versioned record); the
OpenAPI document names each record's schema under ``components/schemas``, taken
from the JSON Schemas the package ships (:func:`ldn_compound.records.schema`),
with their shared ``$defs`` made components of their own.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RECORDS", "record", "record_schema", "record_schemas"]

#: OpenAPI component name -> record name (the ``<record>`` in ``ldn_compound/<record>@1``):
#: every record the package ships a schema for, the nested ones (stock, device, step...) too
RECORDS = {
    "Measurement": "measurement", "Schedule": "schedule", "Supply": "supply",
    "DilutionPlan": "dilution_plan", "TriturationPlan": "trituration_plan",
    "Stock": "stock", "Dropper": "dropper", "OralSyringe": "oral_syringe",
    "GraduatedCylinder": "graduated_cylinder", "VolumetricFlask": "volumetric_flask",
    "ChainMeasurement": "chain_measurement", "BatchMeasurement": "batch_measurement",
    "Step": "step", "Batch": "batch", "DilutionStep": "dilution_step",
    "SimulationResult": "simulation_result", "TriturationStep": "trituration_step",
    "MasterFormulation": "master_formulation", "CompoundingRecord": "compounding_record",
    "TaperPlan": "taper_plan",
}


def record(result: Any) -> dict[str, Any]:
    """The record a response carries for ``result`` (any ldn_compound result)."""
    data: dict[str, Any] = result.to_dict()
    return data


#: where a record schema's shared ``$defs`` go among the OpenAPI components
_DEFS = {"exact": "RecordExact", "display": "RecordDisplay"}


def _nested(node: dict[str, Any]) -> dict[str, Any] | None:
    """A reference to the component(s) a nested-record placeholder stands for, or None."""
    names = node.get("properties", {}).get("schema", {}).get("enum")
    if node.get("required") != ["schema"] or not isinstance(names, list):
        return None
    component = {record: name for name, record in RECORDS.items()}
    refs = [{"$ref": "#/components/schemas/" + component[n.split("/")[1].split("@")[0]]}
            for n in names]
    return refs[0] if len(refs) == 1 else {"anyOf": refs}


def _for_openapi(node: Any) -> Any:
    """A record schema as an OpenAPI component: ``#/$defs/x`` points at a shared component,
    and a nested record at its own component."""
    if isinstance(node, dict):
        nested = _nested(node)
        if nested is not None:
            return nested
        out = {k: _for_openapi(v) for k, v in node.items()
               if k not in ("$schema", "$id", "$defs")}
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            out["$ref"] = "#/components/schemas/" + _DEFS[ref.removeprefix("#/$defs/")]
        return out
    if isinstance(node, list):
        return [_for_openapi(v) for v in node]
    return node


def record_schema(component: str) -> dict[str, Any]:
    """The shipped JSON Schema of the record named ``component`` (a key of :data:`RECORDS`)."""
    from .. import records

    return records.schema(RECORDS[component])


def record_schemas() -> dict[str, dict[str, Any]]:
    """Every record schema by OpenAPI component name, with their shared definitions."""
    out: dict[str, dict[str, Any]] = {}
    for component in RECORDS:
        doc = record_schema(component)
        out[component] = _for_openapi(doc)
        for name, target in _DEFS.items():
            out[target] = doc["$defs"][name]
    return out
