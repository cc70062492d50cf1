"""Check records against the JSON Schemas shipped in ldn_compound/schemas (jsonschema)."""

from __future__ import annotations

from typing import Any

import jsonschema

from ldn_compound import records

_VALIDATORS = {name: jsonschema.Draft202012Validator(records.schema(name))
               for name in records.NAMES}


def _name(record: dict[str, Any]) -> str:
    return str(record["schema"]).removeprefix(records.SCHEMA_PREFIX).partition("@")[0]


def _is_record(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("schema"), str)


def validate(data: Any) -> int:
    """Validate ``data`` and every record nested in it against its schema; how many were."""
    count = 0
    if _is_record(data):
        _VALIDATORS[_name(data)].validate(data)
        count += 1
    children = data.values() if isinstance(data, dict) else data if isinstance(data, list) \
        else ()
    return count + sum(validate(child) for child in children)


def _is_exact(node: dict[str, Any]) -> bool:
    options = node.get("anyOf", [node])
    return any(o.get("$ref") == "#/$defs/exact" for o in options)


def _display(data: Any, node: dict[str, Any]) -> Any:
    if _is_record(data):  # a nested record: its own schema says which fields are exact
        return display_only(data)
    for option in node.get("anyOf", [node]):
        if isinstance(data, dict) and set(data) <= set(option.get("properties", ())):
            return {k: _display(v, option["properties"][k]) for k, v in data.items()
                    if not _is_exact(option["properties"][k])}
        if isinstance(data, list) and "items" in option:
            return [_display(v, option["items"]) for v in data
                    if not _is_exact(option["items"])]
    return data


def display_only(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` (and every record in it) without its exact fields: what people read."""
    doc = records.schema(_name(record))
    return {k: _display(v, doc["properties"][k]) for k, v in record.items()
            if not _is_exact(doc["properties"][k])}
