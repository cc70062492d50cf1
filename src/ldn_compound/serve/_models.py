"""Request bodies: the Python API's parameters, by the same names, as JSON.

Quantities are text the library reads exactly (``"4.5 mg"``, ``"10 mL"``,
``"2 weeks"``); counts may be JSON integers or text. Every text field is at
most :data:`MAX_TEXT` characters, every list at most :data:`MAX_ITEMS` items;
unknown fields are refused, so a misspelt parameter is never silently ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.config import JsonDict

from ..cli._flags import MAX_VALUE_LENGTH

__all__ = [
    "MAX_ITEMS",
    "MAX_TEXT",
    "REQUEST_MODELS",
    "BatchRecordIn",
    "DeviceIn",
    "DilutionIn",
    "DropperIn",
    "DropsIn",
    "FormulationIn",
    "LadderIn",
    "MeasureIn",
    "NamedLadderIn",
    "PresetIn",
    "StockIn",
    "SupplyFromRecordIn",
    "SupplyIn",
    "TaperIn",
    "TitrateIn",
    "TriturationIn",
    "field_path",
    "request_path",
]

#: longest text field, as the command line's longest flag value
MAX_TEXT = MAX_VALUE_LENGTH
#: longest list (a dilution's doses: a year of weekly steps fits)
MAX_ITEMS = 60

Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
#: a count: a JSON integer, or text such as "1/2" (half a tablet)
Count = int | Text
Rounding = Literal["nearest", "down", "up"]
#: the stock of the documented examples: one 50 mg tablet in 10 mL (README worked example)
_STOCK: JsonDict = {"strength": "50 mg", "volume": "10 mL"}


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _one_of(*kinds: tuple[str, str, tuple[str, ...]]) -> dict[str, Any]:
    """The OpenAPI statement of a rule the service checks: exactly one kind of thing.

    Each kind is (title, the field it needs, the fields it has no use for); a
    field left out or null is not given. The check itself is the service's
    (a 422 with the library's error); this only tells generated clients.
    """
    return {"oneOf": [
        {"title": title, "required": [needs],
         "properties": {needs: {"not": {"type": "null"}},
                        **{name: {"type": "null"} for name in without}}}
        for title, needs, without in kinds]}


class StockIn(_In):
    """A stock: tablets of ``strength`` (``count`` of them), or ``drug``, in ``volume``."""

    model_config = ConfigDict(json_schema_extra=_one_of(
        ("StockOfTablets", "strength", ("drug",)), ("StockOfDrug", "drug", ("strength", "count"))))

    strength: Text | None = Field(default=None, description="one tablet [mass], e.g. '50 mg'",
                                  examples=["50 mg"])
    count: Count = Field(default=1, description="tablets used [count]; '1/2' for half a tablet")
    drug: Text | None = Field(default=None, description="drug in the stock [mass], if not tablets")
    volume: Text = Field(description="volume made up to [volume]", examples=["10 mL"])
    content_tolerance: Text | None = Field(default=None, description="relative drug-content "
                                           "tolerance [dimensionless]; default 0.1")
    volume_tolerance: Text | None = Field(default=None, description="relative error of making up "
                                          "the volume [dimensionless]")


class DeviceIn(_In):
    """A dropper (``drops_per_mL``) or an oral syringe (``capacity``), not both."""

    model_config = ConfigDict(json_schema_extra=_one_of(
        ("DeviceDropper", "drops_per_mL", ("capacity", "graduation")),
        ("DeviceOralSyringe", "capacity", ("drops_per_mL", "max_drops"))))

    drops_per_mL: Count | None = Field(default=None, description="a dropper [drops/mL], e.g. 20")
    max_drops: Count | None = Field(default=None,
                                    description="dropper: most drops per dose [count]")
    capacity: Text | None = Field(default=None, description="an oral syringe [volume], e.g. '1 mL'")
    graduation: Text | None = Field(default=None, description="syringe graduation [volume]")
    volume_error: Text | None = Field(default=None, description="relative volume error "
                                      "[dimensionless]")


class DropperIn(_In):
    """A dropper for a drop ladder."""

    drops_per_mL: Count = Field(default=20, description="drops per mL [drops/mL]")
    volume_error: Text | None = Field(default=None, description="relative volume error "
                                      "[dimensionless]")


class MeasureIn(_In):
    """``measure(dose, stock, device, rounding=..., allow_high_dose=...)``."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"dose": "4.5 mg", "stock": _STOCK, "device": {"drops_per_mL": 20}},
        {"dose": "1.5 mg", "stock": _STOCK, "device": {"capacity": "1 mL"}}]})

    dose: Text = Field(description="target dose [mass]", examples=["4.5 mg"])
    stock: StockIn
    device: DeviceIn
    rounding: Rounding = "nearest"
    allow_high_dose: bool = False


class SupplyIn(_In):
    """``Schedule.supply(bud, preparation, overage, stronger_stock=..., allow_flagged=...)``."""

    bud: Text | None = Field(default=None, description="beyond-use override [time], e.g. '30 days'")
    preparation: Literal["aqueous", "aqueous_preserved", "nonaqueous",
                         "preserved_glycerol"] = "aqueous"
    overage: Text = Field(default="0.10", description="extra volume per batch [dimensionless]")
    stronger_stock: bool = False
    allow_flagged: bool = Field(default=False, description="make labels for flagged steps "
                                "too, each marked FLAGGED (refused otherwise)")


class LadderIn(_In):
    """What every schedule builder shares."""

    rounding: Rounding = "nearest"
    max_rounding_error: Text | None = Field(default=None, description="largest rounding error of a "
                                            "step [dimensionless]; default 0.05")
    doses_per_day: Count = 1
    start_date: Text | None = Field(default=None, description="date of the first dose, YYYY-MM-DD")
    supply: SupplyIn | None = Field(default=None,
                                    description="also plan batches, tablets and labels")


class NamedLadderIn(LadderIn):
    """A schedule the caller names (a preset is named by the preset)."""

    name: Text | None = Field(default=None, description="the schedule's title")


class TitrateIn(NamedLadderIn):
    """``titrate(start, step, target, every, stock, device, hold=...)``."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"start": "1.5 mg", "step": "0.5 mg", "target": "4.5 mg", "every": "2 weeks",
         "stock": _STOCK, "device": {"drops_per_mL": 20}, "supply": {}}]})

    start: Text = Field(examples=["1.5 mg"])
    step: Text = Field(examples=["0.5 mg"])
    target: Text = Field(examples=["4.5 mg"])
    every: Text = Field(examples=["2 weeks"])
    hold: Text | None = None
    stock: StockIn
    device: DeviceIn


class TaperIn(NamedLadderIn):
    """``taper(start, reduction, every, stock, device, floor)``."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"start": "4.5 mg", "reduction": "10 %", "every": "1 week", "floor": "1 mg",
         "stock": _STOCK, "device": {"capacity": "1 mL"}}]})

    start: Text = Field(examples=["4.5 mg"])
    reduction: Text = Field(description="cut per step: '0.1' or '10 %'", examples=["10 %"])
    every: Text = Field(examples=["1 week"])
    floor: Text = Field(examples=["0.5 mg"])
    stock: StockIn
    device: DeviceIn


class DropsIn(NamedLadderIn):
    """``Schedule.from_drops(stock, dropper, start_drops, step_drops, max_drops, every)``."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"stock": _STOCK, "max_drops": 6, "supply": {"preparation": "aqueous_preserved"}}]})

    stock: StockIn
    dropper: DropperIn = Field(default_factory=DropperIn)
    start_drops: Count = 1
    step_drops: Count = 1
    max_drops: Count = 18
    every: Text = "7 days"


class PresetIn(LadderIn):
    """``preset(name, stock, device)``; the default stock and dropper unless given."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"preset": "four-weekly"}]})

    preset: Text = Field(examples=["standard-2-weekly"])
    stock: StockIn | None = None
    device: DeviceIn | None = None


class SupplyFromRecordIn(SupplyIn):
    """``Schedule.from_dict(schedule).supply(...)``: supply for a schedule record."""

    schedule: dict[str, Any] = Field(description="a Schedule record, as a schedule "
                                     "endpoint returned it")


class DilutionIn(_In):
    """``plan_dilution(dose, source, device, max_volume=..., doses=...)``: ``dose`` or ``doses``."""

    model_config = ConfigDict(json_schema_extra={
        **_one_of(("DilutionOfOneDose", "dose", ("doses",)),
                  ("DilutionOfSeveralDoses", "doses", ("dose",))),
        "examples": [{"dose": "1 mcg"}, {"doses": ["1 mcg", "2 mcg"]}]})

    dose: Text | None = Field(default=None, examples=["1 mcg"])
    doses: list[Text] | None = Field(default=None, max_length=MAX_ITEMS,
                                     json_schema_extra={"minItems": 1})
    source: Text = Field(default="50 mg", description="tablet strength [mass]")
    tablets: Count | None = None
    content_tolerance: Text | None = None
    device: DeviceIn | None = None
    max_volume: Text = "100 mL"
    max_rounding_error: Text | None = None


class TriturationIn(_In):
    """``plan_trituration(dose, capsules=..., fill=..., ...)``."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"dose": "50 mcg",
                                                                "capsules": 30}]})

    dose: Text = Field(examples=["50 mcg"])
    capsules: Count = 100
    fill: Text = "200 mg"
    dose_as: Literal["hydrochloride", "base"] = "hydrochloride"
    powder: Literal["hydrochloride", "base"] = "hydrochloride"
    purity: Text = "1"
    sensitivity: Text = "6 mg"
    allowed_error: Text = "0.05"
    filler: Text = "microcrystalline cellulose"
    max_mixture: Text = "50 g"


def _formulation_examples(schema: JsonDict) -> None:
    """The worked example of a master record (issue 25: 2 x 50 mg tablets to 20 mL), made
    only when the document is built."""
    from ..stock import Stock

    schema["examples"] = [{"source": Stock.from_tablets("50 mg", "20 mL", 2).to_dict()}]


def _batch_record_examples(schema: JsonDict) -> None:
    """One batch of the worked example made as planned, every amount entered exactly."""
    from ..compounding import master_formulation
    from ..stock import Stock

    master = master_formulation(Stock.from_tablets("50 mg", "20 mL", 2))
    measured: JsonDict = {}
    for a in master.formula.amounts:
        v = a.exact
        text = f"{v.numerator}/{v.denominator}" if v.denominator != 1 else str(v.numerator)
        measured[a.key] = f"{text} {a.unit}" if a.unit in ("mg", "mL") else text
    schema["examples"] = [{"master": master.to_dict(), "entries": {
        "batch": "B-2026-001", "date": "2026-12-06", "preparer": "A. Smith",
        "verifier": "B. Jones", "appearance": "pass", "measured": measured,
        "components": {k: {"manufacturer": "Maker", "lot": f"L-{k}", "expiry": "2030-01-31"}
                       for k, _, _ in master.formula.components}}}]


class FormulationIn(_In):
    """``master_formulation(source, preparation=..., bud=..., ...)``."""

    model_config = ConfigDict(json_schema_extra=_formulation_examples)
    source: dict[str, Any] = Field(description="a Stock, DilutionPlan or TriturationPlan "
                                   "record, as an endpoint returned it")
    preparation: Text | None = None
    bud: Text | None = None
    powder: Literal["salt", "base"] = "salt"
    purity: Text = "1"
    sensitivity: Text = "6 mg"
    allowed_error: Text = "0.05"


class BatchRecordIn(_In):
    """``compounding_record(master, entries)``: one batch checked against its recipe."""

    model_config = ConfigDict(json_schema_extra=_batch_record_examples)
    master: dict[str, Any] = Field(description="a MasterFormulation record")
    entries: dict[str, Any] = Field(description="batch, date, preparer, verifier, "
                                    "components, measured, appearance")


#: every request body, by its OpenAPI component name
REQUEST_MODELS: dict[str, type[BaseModel]] = {m.__name__: m for m in (
    MeasureIn, TitrateIn, TaperIn, DropsIn, PresetIn, SupplyFromRecordIn, DilutionIn,
    TriturationIn, FormulationIn, BatchRecordIn)}

#: a library parameter that the request spells otherwise
_ALIASES = {"tablet": "strength", "tolerance": "max_rounding_error", "percent": "reduction",
            "dropper": "drops_per_mL", "data": "schedule"}


def field_path(model: type[BaseModel], parameter: str) -> str:
    """The request field (``"stock.volume"``) a library error's ``parameter`` names.

    A parameter the request has no field for is returned as it is.
    """
    name = parameter if _find(model, parameter) else _ALIASES.get(parameter, parameter)
    return _find(model, name) or parameter


def _find(model: type[BaseModel], name: str, prefix: str = "") -> str:
    fields = model.model_fields
    if name in fields:
        return prefix + name
    for key, info in fields.items():
        for sub in _models_in(info.annotation):
            found = _find(sub, name, f"{prefix}{key}.")
            if found:
                return found
    return ""


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [a for a in getattr(annotation, "__args__", ())
            if isinstance(a, type) and issubclass(a, BaseModel)]


def request_path(model: type[BaseModel], loc: Sequence[str | int],
                 extra: bool = False) -> list[str]:
    """The request fields a validation error's ``loc`` names, without union branch tags.

    ``("device", "drops_per_mL", "int")`` is ``["device", "drops_per_mL"]``;
    with ``extra`` (a field the model does not have) the last name is kept.
    """
    path: list[str] = []
    models = [model]
    for i, part in enumerate(loc):
        if isinstance(part, int):
            path.append(str(part))
            continue
        owner = next((m for m in models if part in m.model_fields), None)
        if owner is not None:
            path.append(part)
            models = _models_in(owner.model_fields[part].annotation)
        elif extra and i == len(loc) - 1:
            path.append(part)
    return path
