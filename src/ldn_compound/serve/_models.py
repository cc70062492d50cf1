"""Request bodies: the Python API's parameters, by the same names, as JSON.

Quantities are text the library reads exactly (``"4.5 mg"``, ``"10 mL"``,
``"2 weeks"``); counts may be JSON integers or text. Every text field is at
most :data:`MAX_TEXT` characters, every list at most :data:`MAX_ITEMS` items;
unknown fields are refused, so a misspelt parameter is never silently ignored.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ..cli._flags import MAX_VALUE_LENGTH

__all__ = [
    "MAX_ITEMS",
    "MAX_TEXT",
    "BatchRecordIn",
    "DeviceIn",
    "DilutionIn",
    "DropperIn",
    "DropsIn",
    "FormulationIn",
    "LadderIn",
    "MeasureIn",
    "PresetIn",
    "StockIn",
    "SupplyFromRecordIn",
    "SupplyIn",
    "TaperIn",
    "TitrateIn",
    "TriturationIn",
    "field_path",
]

#: longest text field, as the command line's longest flag value
MAX_TEXT = MAX_VALUE_LENGTH
#: longest list (a dilution's doses: a year of weekly steps fits)
MAX_ITEMS = 60

Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
#: a count: a JSON integer, or text such as "1/2" (half a tablet)
Count = int | Text
Rounding = Literal["nearest", "down", "up"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class StockIn(_In):
    """A stock: tablets of ``strength`` (``count`` of them), or ``drug``, in ``volume``."""

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
    name: Text | None = None
    supply: SupplyIn | None = Field(default=None,
                                    description="also plan batches, tablets and labels")


class TitrateIn(LadderIn):
    """``titrate(start, step, target, every, stock, device, hold=...)``."""

    start: Text = Field(examples=["1.5 mg"])
    step: Text = Field(examples=["0.5 mg"])
    target: Text = Field(examples=["4.5 mg"])
    every: Text = Field(examples=["2 weeks"])
    hold: Text | None = None
    stock: StockIn
    device: DeviceIn


class TaperIn(LadderIn):
    """``taper(start, reduction, every, stock, device, floor)``."""

    start: Text = Field(examples=["4.5 mg"])
    reduction: Text = Field(description="cut per step: '0.1' or '10 %'", examples=["10 %"])
    every: Text = Field(examples=["1 week"])
    floor: Text = Field(examples=["0.5 mg"])
    stock: StockIn
    device: DeviceIn


class DropsIn(LadderIn):
    """``Schedule.from_drops(stock, dropper, start_drops, step_drops, max_drops, every)``."""

    stock: StockIn
    dropper: DropperIn = Field(default_factory=DropperIn)
    start_drops: Count = 1
    step_drops: Count = 1
    max_drops: Count = 18
    every: Text = "7 days"


class PresetIn(LadderIn):
    """``preset(name, stock, device)``; the default stock and dropper unless given."""

    preset: Text = Field(examples=["standard-2-weekly"])
    stock: StockIn | None = None
    device: DeviceIn | None = None


class SupplyFromRecordIn(SupplyIn):
    """``Schedule.from_dict(schedule).supply(...)``: supply for a schedule record."""

    schedule: dict[str, Any] = Field(description="a Schedule record, as a schedule "
                                     "endpoint returned it")


class DilutionIn(_In):
    """``plan_dilution(dose, source, device, max_volume=..., doses=...)``."""

    dose: Text | None = Field(default=None, examples=["1 mcg"])
    doses: list[Text] | None = Field(default=None, max_length=MAX_ITEMS)
    source: Text = Field(default="50 mg", description="tablet strength [mass]")
    tablets: Count | None = None
    content_tolerance: Text | None = None
    device: DeviceIn | None = None
    max_volume: Text = "100 mL"
    max_rounding_error: Text | None = None


class TriturationIn(_In):
    """``plan_trituration(dose, capsules=..., fill=..., ...)``."""

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


class FormulationIn(_In):
    """``master_formulation(source, preparation=..., bud=..., ...)``."""

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

    master: dict[str, Any] = Field(description="a MasterFormulation record")
    entries: dict[str, Any] = Field(description="batch, date, preparer, verifier, "
                                    "components, measured, appearance")


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
