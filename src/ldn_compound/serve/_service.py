"""The calls behind every endpoint and form: request model in, library result out.

Nothing here knows HTTP. Each function reads a request model, makes the one
library call it stands for (with the same parameter names) and returns the
result object; a library error escapes as it is, and :func:`error_body` turns
it (or a request that failed validation) into the JSON every 422 carries.
"""

from __future__ import annotations

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
from ..errors import ErrorKind, InputError, LdnCompoundError, one_line, shown
from ..measurement import Measurement, measure
from ..presets import preset
from ..schedule import Schedule, taper, titrate
from ..schedule.supply import Supply
from ..stock import Stock
from ..trituration import TriturationPlan, plan_trituration
from ._models import (
    MAX_TEXT,
    BatchRecordIn,
    DeviceIn,
    DilutionIn,
    DropsIn,
    FormulationIn,
    LadderIn,
    MeasureIn,
    PresetIn,
    StockIn,
    SupplyFromRecordIn,
    SupplyIn,
    TaperIn,
    TitrateIn,
    TriturationIn,
    field_path,
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
                     name=r.name)}


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
    options = _common(r)
    options.pop("name", None)
    return preset(r.preset, stock, device, **options)


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
    """A field as JSON: numbers, text and null as they are, anything else as shown text."""
    if value is None or isinstance(value, (bool, int, float)):
        return value if not isinstance(value, int) or abs(value) < 1 << 53 else shown(value)
    if isinstance(value, str):
        return one_line(value, MAX_TEXT)
    if isinstance(value, Fraction):
        return exact_text(value)
    return shown(value) if not hasattr(value, "units") else str(value)


def error_body(exc: LdnCompoundError, model: type[BaseModel]) -> dict[str, Any]:
    """A library error as JSON: ``kind``, ``message`` (``str(exc)``), its fields, ``field``."""
    body: dict[str, Any] = {"kind": str(exc.kind), "message": str(exc)}
    body.update((k, _json_value(v)) for k, v in exc.fields().items() if k != "kind")
    if isinstance(exc, InputError):
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


def validation_body(exc: ValidationError | Sequence[Any]) -> dict[str, Any]:
    """A request that failed validation, worded as the library's ``InputError``."""
    errors = exc.errors() if isinstance(exc, ValidationError) else list(exc)
    first = errors[0]
    loc = [str(p) for p in first.get("loc", ()) if p != "body"]
    parameter = next((p for p in reversed(loc) if not p.isdigit()), "body")
    expected = _expected(first)
    value = first.get("input") if first.get("type") != "missing" else None
    error = InputError(parameter, value, expected)
    body = {"kind": str(ErrorKind.INVALID), "message": str(error),
            **{k: _json_value(v) for k, v in error.fields().items() if k != "kind"}}
    body["field"] = ".".join(loc) or "body"
    return body
