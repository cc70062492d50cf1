"""Write src/ldn_compound/schemas/*.json from sample records (run by hand after a record change).

Field types come from many sample records merged (a field null in one and text in
another is ``["string", "null"]``); which text fields are *exact* (read back, no
thousands separator) is listed here, once, in EXACT. Everything else that is text
is a *display* field. Nested records are checked against their own schema (their
``schema`` field names it), so a parent only requires that field.

    python tools/make_schemas.py
"""

from __future__ import annotations

import json
import pathlib
import sys
from typing import Any

import numpy as np

import ldn_compound as lc
from ldn_compound import _records

OUT = pathlib.Path(__file__).resolve().parents[1] / "src" / "ldn_compound" / "schemas"

#: Exact fields of each record, as paths (``[]`` for list items).
EXACT: dict[str, set[str]] = {
    "stock": {"drug", "volume", "content_tolerance", "volume_tolerance", "tablets",
              "tablet_strength", "concentration"},
    "dropper": {"drops_per_mL", "volume_error", "drop_volume"},
    "oral_syringe": {"capacity", "graduation", "volume_error"},
    "graduated_cylinder": {"capacity", "graduation", "tolerance_ml"},
    "volumetric_flask": {"capacity", "tolerance_ml"},
    "measurement": {"target_exact", "max_rounding_error"},
    "chain_measurement": {"target_exact", "chain_bounds_exact.low", "chain_bounds_exact.high",
                          "max_rounding_error"},
    "batch_measurement": {"doses_exact[]"},
    "schedule": {"max_rounding_error", "plan[][]", "reduction"},
    "step": {"dose_mg", "cut_exact"},
    "supply": {"overage", "tablet_strength_exact"},
    "batch": {"volume_exact", "volume_needed_exact"},
    "dilution_plan": {"doses[]", "max_rounding_error", "max_volume", "source.tablets",
                      "source.tablet_strength", "source.content_tolerance"},
    "dilution_step": {"take_exact", "make_up_to_exact", "concentration_exact", "tablets",
                      "tablet_strength", "take_tolerance", "make_up_tolerance"},
    "simulation_result": set(),
    "trituration_plan": {"dose_exact", "fill_exact", "sensitivity_exact", "allowed_error",
                         "max_mixture_exact", "purity"},
    "trituration_step": {"weigh_exact", "mixture_exact", "powder_fraction"},
    "master_formulation": {"purity", "sensitivity_exact", "allowed_error", "strength_exact",
                           "amounts[].quantity_exact", "amounts[].tolerance"},
    "compounding_record": {"measured[].value", "checks[].deviation", "strength_exact"},
    "taper_plan": {"inputs.start", "inputs.end", "inputs.reduction", "inputs.occupancy.emax",
                   "inputs.occupancy.ed50", "inputs.occupancy_step", "inputs.max_cut_error",
                   "inputs.max_volume", "max_cut_error", "steps[].requested",
                   "steps[].delivered", "steps[].low", "steps[].high", "steps[].change",
                   "steps[].delivered_change", "batches[].volume", "batches[].used",
                   "batches[].given", *(f"{k}.{f}" for k in ("drug", "inputs.drug")
                                        for f in ("usual_max", "solubility", "salt_factor",
                                                  "band_max"))},
}

TITLES: dict[str, str] = {
    "stock": "Stock", "dropper": "Dropper", "oral_syringe": "OralSyringe",
    "graduated_cylinder": "GraduatedCylinder", "volumetric_flask": "VolumetricFlask",
    "measurement": "Measurement", "chain_measurement": "ChainMeasurement",
    "batch_measurement": "BatchMeasurement", "schedule": "Schedule", "step": "Step",
    "supply": "Supply", "batch": "Batch", "dilution_plan": "DilutionPlan",
    "dilution_step": "DilutionStep", "simulation_result": "SimulationResult",
    "trituration_plan": "TriturationPlan", "trituration_step": "TriturationStep",
    "master_formulation": "MasterFormulation", "compounding_record": "CompoundingRecord",
    "taper_plan": "TaperPlan",
}

EXACT_DEF = {
    "type": "string",
    "pattern": r"^-?[0-9]+(\.[0-9]+)?(/[0-9]+)?( [A-Za-z/]+)?$",
    "description": "Exact value: decimal digits or a fraction a/b, then the unit; no thousands "
                   "separator (\"1000 mL\", \"32/7 mg\", \"0.02\"). Read back by from_dict.",
}
DISPLAY_DEF = {
    "type": "string",
    "description": "Display text, safely written (leading zero, no trailing zero, mcg, mL, "
                   "thousands separators: \"1,000 mL\"); may be rounded to 8 significant "
                   "figures. Checked against the arithmetic when read, never read back.",
}
_JSON_TYPE = {bool: "boolean", int: "integer", float: "number", str: "string",
              type(None): "null", list: "array", dict: "object"}


def _is_record(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("schema"), str)


#: Nested records that may be any of a family (the samples need not show every member).
_DEVICES = ("dropper", "oral_syringe")
_EQUIPMENT = ("oral_syringe", "graduated_cylinder", "volumetric_flask")
FAMILIES = {"device": _DEVICES, "devices[]": _DEVICES, "equipment[]": _EQUIPMENT,
            "take_with": _EQUIPMENT, "make_up_in": _EQUIPMENT}


def _infer(values: list[Any], path: str, exact: set[str]) -> dict[str, Any]:
    """A schema for every sample value at ``path`` (the record itself at ``""``)."""
    present = [v for v in values if v is not None]
    nullable = len(present) < len(values)
    nested = [v for v in present if _is_record(v)]
    if path and nested and len(nested) < len(present):  # a record or a plain object
        out: dict[str, Any] = {"anyOf": [_infer(nested, path, exact), _infer(
            [v for v in present if not _is_record(v)], path, exact)]}
    elif path and present and all(_is_record(v) for v in present):
        names = sorted({v["schema"] for v in present}
                       | {_records.schema_id(n) for n in FAMILIES.get(path, ())})
        out = {"type": "object", "required": ["schema"],
                               "properties": {"schema": {"enum": names}},
                               "description": "A nested record, valid against the schema its "
                                              "'schema' field names."}
    elif present and all(isinstance(v, dict) for v in present):
        keys = list(dict.fromkeys(k for v in present for k in v))
        out = {"type": "object", "additionalProperties": False,
               "required": [k for k in keys if all(k in v for v in present)],
               "properties": {k: _infer([v[k] for v in present if k in v],
                                        f"{path}.{k}" if path else k, exact) for k in keys}}
    elif present and all(isinstance(v, list) for v in present):
        items = [x for v in present for x in v]
        out = {"type": "array"}
        if items:
            out["items"] = _infer(items, f"{path}[]", exact)
    elif present and all(isinstance(v, str) for v in present):
        out = {"$ref": "#/$defs/exact" if path in exact else "#/$defs/display"}
    elif present:
        kinds = sorted({_JSON_TYPE[type(v)] for v in present})
        if kinds == ["integer", "number"]:
            kinds = ["number"]
        out = {"type": kinds[0] if len(kinds) == 1 else kinds}
    else:
        return {"type": "null"}
    if nullable:
        out = {"anyOf": [out, {"type": "null"}]}
    return out


def schema_document(name: str, samples: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the ``name`` record."""
    body = _infer(samples, "", EXACT[name])
    body["properties"]["schema"] = {"const": _records.schema_id(name)}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:ldn-compound:record:{name}:{_records.VERSION}",
        "title": f"ldn_compound {TITLES[name]} record, version {_records.VERSION}",
        "description": f"What {TITLES[name]}.to_dict() writes and {TITLES[name]}.from_dict() "
                       "reads. Exact fields ($defs/exact) are read back; display fields "
                       "($defs/display) and every other result are recomputed and must agree.",
        **body,
        "$defs": {"exact": EXACT_DEF, "display": DISPLAY_DEF},
    }


def _walk(data: Any, found: dict[str, list[dict[str, Any]]]) -> None:
    if isinstance(data, dict):
        if _is_record(data):
            name = data["schema"].removeprefix(_records.SCHEMA_PREFIX).partition("@")[0]
            found.setdefault(name, []).append(data)
        for v in data.values():
            _walk(v, found)
    elif isinstance(data, list):
        for v in data:
            _walk(v, found)


def samples() -> list[lc.rendering.Rendered]:
    """Results covering every record and its null/non-null fields."""
    stock = lc.Stock.from_tablets("50 mg", "10 mL")
    syringe = lc.OralSyringe("1 mL")
    out: list[Any] = [
        lc.measure("4.5 mg", stock, lc.Dropper(max_drops=40)),
        lc.measure("32/7 mg", lc.Stock(drug="45 mg", volume="0.9 mL", volume_tolerance=0.02),
                   syringe),
        lc.measure_many((np.array([0.5, 1.5, 4.5, 0.001, 50]), "mg"), stock, lc.Dropper()),
        lc.measure_many(["1 mg", "2 mg"], [stock, lc.Stock.from_tablets("50 mg", "20 mL")],
                        lc.Dropper()),
        lc.measure_many(["1 mg", "2 mg"], stock, [lc.Dropper(), syringe]),
        lc.GraduatedCylinder("10 mL"), lc.VolumetricFlask("50 mL"),
        lc.Stock(drug="10 mg", volume="10 mL", profile=lc.drugs.Drug(
            "example drug", usual_max="20 mg", solubility="5 mg/mL")),
        lc.Stock(drug="10 mg", volume="10 mL", profile=lc.drugs.Drug("example drug",
                                                                     usual_max="20 mg")),
        lc.plan_dilution("1 mcg", "50 mg"),
        lc.plan_dilution(doses=["10 mcg", "100 mcg"], source=stock),
        # a flagged chain measurement: 300 mcg as 28 drops, more than 20 counted
        lc.plan_dilution(doses=["10 mcg", "300 mcg"], source=stock, device=lc.Dropper()),
        lc.plan_dilution("1 mcg").simulate(200, seed=1),
        lc.plan_trituration("50 mcg"), lc.plan_trituration("3 mg"),
    ]
    titration = lc.titrate("0.5 mg", "0.5 mg", "4.5 mg", "7 days", stock, lc.Dropper(),
                           start_date="2026-01-05")
    taper = lc.taper("4.5 mg", "25 %", "7 days", stock, lc.Dropper(), floor="0.5 mg")
    flagged = lc.Schedule([("0.01 mg", 7), ("1 mg", 7)], stock, lc.Dropper())
    undated = lc.titrate("0.5 mg", "0.5 mg", "4.5 mg", "7 days", stock, lc.OralSyringe("1 mL"),
                         name="slow start")
    out += [titration, taper, flagged, undated, titration.supply(),
            undated.supply(allow_flagged=True),
            lc.measure("1.5 mg", stock, lc.OralSyringe("10 mL")),
            titration.supply(bud="14 days", stronger_stock=True),
            lc.plan_dilution("0.5 mg", "50 mg")]
    devices = [lc.Dropper(20), lc.OralSyringe("1 mL", "0.01 mL")]
    made_up = lc.drugs.Drug("example drug", usual_max="20 mg", solubility="10 mg/mL")
    out += [lc.plan_taper("4.5 mg", "0.5 mg", "14 days", stock, devices, reduction=0.1,
                          start_date="2026-01-05", to_zero=True),
            lc.plan_titration("1 mg", "4.5 mg", "7 days", stock, devices, rise="20 %",
                              bud="30 days", max_volume="1 mL"),
            lc.plan_taper("10 mg", "0.5 mg", "28 days", lc.Stock("100 mg", "10 mL",
                                                               profile=made_up),
                          devices, occupancy=lc.Occupancy("90 %", "2 mg"),
                          occupancy_step="5 %", drug=made_up)]
    return out + _records_of_batches() + _drawn()


def _records_of_batches() -> list[Any]:
    """Master formulation records of every source, and batch records ok and failed."""
    masters = [lc.master_formulation(lc.Stock.from_tablets("50 mg", "20 mL", 2)),
               lc.master_formulation(lc.Stock.from_concentration("2 mg/mL", "100 mL"),
                                     purity="99 %"),
               lc.master_formulation(lc.plan_dilution("1 mcg", "50 mg"), bud="7 days"),
               lc.master_formulation(lc.plan_trituration("50 mcg"))]
    out: list[Any] = list(masters)
    for m, appearance in zip(masters, ("pass", "fail", "pass", "pass"), strict=True):
        comps = {k: {"manufacturer": "M", "lot": "L1", "expiry": "2027-01-31"}
                 for k, _, _ in m.formula.components}
        measured = {a.key: f"{a.exact.numerator}/{a.exact.denominator} {a.unit}"
                    if a.unit in ("mg", "mL") else str(a.exact) for a in m.formula.amounts}
        out.append(lc.compounding_record(m, {
            "batch": "B-1", "date": "2026-12-06", "preparer": "A. Smith",
            "verifier": "B. Jones", "components": comps, "measured": measured,
            "appearance": appearance}))
    return out


def _drawn() -> list[Any]:
    """Results drawn from ldn_compound.strategies, so rarer null fields show too."""
    import warnings

    from hypothesis.errors import NonInteractiveExampleWarning

    from ldn_compound import strategies

    out: list[Any] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        for _ in range(60):
            schedule = strategies.schedules().example()
            out.append(schedule)
            try:
                out.append(schedule.supply())
            except lc.LdnCompoundError:
                pass
    return out


def main() -> int:
    found: dict[str, list[dict[str, Any]]] = {}
    for result in samples():
        _walk(json.loads(result.to_json()), found)
    missing = set(EXACT) - set(found)
    if missing:
        print(f"no sample of {sorted(missing)}", file=sys.stderr)
        return 1
    for name in sorted(found):
        doc = schema_document(name, found[name])
        (OUT / f"{name}.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    print(f"wrote {len(found)} schemas to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
