"""The calls behind every endpoint and form: request model in, library result out.

Nothing here knows HTTP. Each function reads a request model, makes the one
library call it stands for (with the same parameter names) and returns the
result object; a library error escapes as it is, and :func:`error_body` turns
it (or a request that failed validation) into the JSON every 422 carries.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from pydantic import BaseModel, ValidationError

from .. import records
from .._exact import exact_text
from ..compounding import (
    CompoundingRecord,
    MasterFormulation,
    compounding_record,
    master_formulation,
)
from ..devices import Device, Dropper, OralSyringe
from ..dilution import DilutionPlan, plan_dilution
from ..errors import InputError, LdnCompoundError, one_line, shown
from ..measurement import Measurement, measure
from ..presets import preset
from ..schedule import Schedule, taper, titrate
from ..schedule.supply import Supply
from ..stock import Stock
from ..trituration import TriturationPlan, plan_trituration
from ._models import (
    MAX_TEXT,
    REQUEST_MODELS,
    BatchRecordIn,
    DeviceIn,
    DilutionIn,
    DropsIn,
    FormulationIn,
    LadderIn,
    MeasureIn,
    NamedLadderIn,
    PresetIn,
    StockIn,
    SupplyFromRecordIn,
    SupplyIn,
    TaperIn,
    TitrateIn,
    TriturationIn,
    field_path,
    request_path,
)

__all__ = ["LADDERS", "batch_record", "dilution", "error_body", "formulation", "measure_dose",
           "schedule", "supply_for", "trituration", "validation_body"]



def _given(**values: Any) -> dict[str, Any]:
    """Keyword arguments left out when not given, so the library's defaults apply."""
    return {k: v for k, v in values.items() if v is not None}


def stock_of(s: StockIn) -> Stock:
    tolerances = _given(content_tolerance=s.content_tolerance,
                        volume_tolerance=s.volume_tolerance)
    if s.strength is not None and s.drug is not None:
        raise InputError("drug", s.drug, "either strength (tablets) or drug, not both")
    if s.strength is None and s.drug is not None and "count" in s.model_fields_set:
        raise InputError("count", s.count, "no count with drug (count is the number of "
                         "tablets of strength)")
    if s.strength is not None:
        return Stock.from_tablets(s.strength, s.volume, s.count, **tolerances)
    if s.drug is None:
        raise InputError("strength", None, "a tablet strength such as '50 mg' (or drug)")
    return Stock(drug=s.drug, volume=s.volume, **tolerances)


def device_of(d: DeviceIn) -> Device:
    error = _given(volume_error=d.volume_error)
    if d.drops_per_mL is not None and d.capacity is not None:
        raise InputError("capacity", d.capacity, "either drops_per_mL (a dropper) or "
                         "capacity (an oral syringe), not both")
    if d.capacity is not None and d.max_drops is not None:
        raise InputError("max_drops", d.max_drops, "no max_drops with capacity (max_drops is "
                         "a dropper's; an oral syringe has a capacity)")
    if d.capacity is None and d.drops_per_mL is not None and d.graduation is not None:
        raise InputError("graduation", d.graduation, "no graduation with drops_per_mL "
                         "(graduation is an oral syringe's)")
    if d.capacity is not None:
        return OralSyringe(capacity=d.capacity, graduation=d.graduation, **error)
    if d.drops_per_mL is None:
        raise InputError("drops_per_mL", None, "a dropper's drops per mL such as 20, or "
                         "an oral syringe's capacity such as '1 mL'")
    return Dropper(drops_per_mL=d.drops_per_mL, max_drops=d.max_drops, **error)


def measure_dose(r: MeasureIn) -> Measurement:
    return measure(r.dose, stock_of(r.stock), device_of(r.device), rounding=r.rounding,
                   allow_high_dose=r.allow_high_dose)


def _common(r: LadderIn) -> dict[str, Any]:
    return {"rounding": r.rounding, "doses_per_day": r.doses_per_day,
            **_given(max_rounding_error=r.max_rounding_error, start_date=r.start_date,
                     name=r.name if isinstance(r, NamedLadderIn) else None)}


def _titrate(r: TitrateIn) -> Schedule:
    return titrate(r.start, r.step, r.target, r.every, stock_of(r.stock), device_of(r.device),
                   hold=r.hold, **_common(r))


def _taper(r: TaperIn) -> Schedule:
    return taper(r.start, r.reduction, r.every, stock_of(r.stock), device_of(r.device),
                 r.floor, **_common(r))


def _drops(r: DropsIn) -> Schedule:
    dropper = Dropper(drops_per_mL=r.dropper.drops_per_mL,
                      **_given(volume_error=r.dropper.volume_error))
    return Schedule.from_drops(stock_of(r.stock), dropper, r.start_drops, r.step_drops,
                               r.max_drops, r.every, **_common(r))


def _preset(r: PresetIn) -> Schedule:
    stock = None if r.stock is None else stock_of(r.stock)
    device = None if r.device is None else device_of(r.device)
    return preset(r.preset, stock, device, **_common(r))


#: ladder -> (request model, builder)
LADDERS: Mapping[str, tuple[type[LadderIn], Callable[[Any], Schedule]]] = {
    "titrate": (TitrateIn, _titrate),
    "taper": (TaperIn, _taper),
    "drops": (DropsIn, _drops),
    "preset": (PresetIn, _preset),
}


def _supply(schedule: Schedule, s: SupplyIn) -> Supply:
    return schedule.supply(bud=s.bud, preparation=s.preparation, overage=s.overage,
                           stronger_stock=s.stronger_stock, allow_flagged=s.allow_flagged)


def schedule(ladder: str, r: LadderIn) -> tuple[Schedule, Supply | None]:
    """The schedule ``r`` describes, and its supply when ``r.supply`` is given."""
    built = LADDERS[ladder][1](r)
    return built, None if r.supply is None else _supply(built, r.supply)


def supply_for(r: SupplyFromRecordIn) -> Supply:
    return _supply(Schedule.from_dict(r.schedule), r)


def dilution(r: DilutionIn) -> DilutionPlan:
    extra = _given(max_rounding_error=r.max_rounding_error, doses=r.doses, tablets=r.tablets,
                   content_tolerance=r.content_tolerance)
    device = None if r.device is None else device_of(r.device)
    return plan_dilution(r.dose, r.source, device, max_volume=r.max_volume, **extra)


def trituration(r: TriturationIn) -> TriturationPlan:
    return plan_trituration(
        r.dose, capsules=r.capsules, fill=r.fill, dose_as=r.dose_as, powder=r.powder,
        purity=r.purity, sensitivity=r.sensitivity, allowed_error=r.allowed_error,
        filler=r.filler, max_mixture=r.max_mixture)


def formulation(r: FormulationIn) -> MasterFormulation:
    return master_formulation(
        records.load(r.source), preparation=r.preparation, bud=r.bud, powder=r.powder,
        purity=r.purity, sensitivity=r.sensitivity, allowed_error=r.allowed_error)


def batch_record(r: BatchRecordIn) -> CompoundingRecord:
    return compounding_record(r.master, r.entries)


def _json_value(value: Any) -> Any:
    """A field as JSON: numbers, text and null as they are, anything else as shown text.

    A number JSON cannot carry (NaN, an infinity, an integer past 2**53) is text,
    so every 422 body can be written.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else json.dumps(value)  # "NaN", "Infinity"
    if isinstance(value, int):
        return value if abs(value) < 1 << 53 else shown(value)
    if isinstance(value, str):
        return one_line(value, MAX_TEXT)
    if isinstance(value, Fraction):
        return exact_text(value)
    return shown(value) if not hasattr(value, "units") else str(value)


def error_body(exc: LdnCompoundError, model: type[BaseModel],
               field: str | None = None) -> dict[str, Any]:
    """A library error as JSON: ``kind``, ``message`` (``str(exc)``), its fields, ``field``.

    ``field`` is the request field when the caller knows it; otherwise an
    :class:`InputError`'s ``parameter`` is looked up in ``model``.
    """
    body: dict[str, Any] = {"kind": str(exc.kind), "message": str(exc)}
    body.update((k, _json_value(getattr(exc, k))) for k in exc.fields() if k != "kind")
    if field is not None:
        body["field"] = field
    elif isinstance(exc, InputError):
        body["field"] = field_path(model, exc.parameter)
    return body


def _expected(error: Mapping[str, Any]) -> str:
    """What a request that failed validation should have held, in the library's words."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return "a value: this field is required"
    if kind == "extra_forbidden":
        return "no such field (the OpenAPI document at /openapi.json lists them)"
    if kind == "string_too_long":
        return f"at most {ctx.get('max_length', MAX_TEXT)} characters"
    if kind == "too_long":
        return f"at most {ctx.get('max_length')} items"
    if kind == "literal_error":
        return f"one of {ctx.get('expected', '')}"
    text = str(error.get("msg", "a valid request"))
    return text[:1].lower() + text[1:]


def _first(errors: Sequence[Mapping[str, Any]], model: type[BaseModel] | None,
           ) -> tuple[list[str], Mapping[str, Any], str]:
    """The first failing field's path, its error and what it expected.

    A field of several types (a count: integer or text) fails once per type;
    the error of the type the value has is the one to show, and a value of
    none of them is told every type.
    """
    def path(error: Mapping[str, Any]) -> list[str]:
        loc = [p for p in error.get("loc", ()) if p != "body"]
        if model is None:
            return [str(p) for p in loc]
        return request_path(model, loc, extra=error.get("type") == "extra_forbidden")

    where = path(errors[0])
    same = [e for e in errors if path(e) == where]
    fitting = [e for e in same if not str(e.get("type", "")).endswith("_type")
               and e.get("type") != "int_parsing"]
    if fitting or len(same) == 1:
        chosen = (fitting or same)[0]
        return where, chosen, _expected(chosen)
    return where, same[0], " or ".join(dict.fromkeys(_expected(e) for e in same))


def validation_body(exc: ValidationError | Sequence[Any],
                    model: type[BaseModel] | None = None) -> dict[str, Any]:
    """A request that failed validation, worded as the library's ``InputError``.

    ``model`` (or the model a :class:`ValidationError` names) turns pydantic's
    locations into request fields: ``device.drops_per_mL``, not ``...drops_per_mL.int``.
    """
    if isinstance(exc, ValidationError):
        errors: list[Any] = list(exc.errors())
        model = model or REQUEST_MODELS.get(exc.title)
    else:
        errors = list(exc)
    loc, first, expected = _first(errors, model)
    parameter = next((p for p in reversed(loc) if not p.isdigit()), "body")
    value = first.get("input") if first.get("type") != "missing" else None
    return error_body(InputError(parameter, value, expected), model or BaseModel,
                      field=".".join(loc) or "body")
