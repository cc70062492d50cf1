"""The page's five forms: their fields, and how a filled form becomes a request.

Each input is named by the library parameter it sets (``dose``, ``volume``,
``drops_per_mL``), so an error's ``parameter`` (or the last part of its
``field``) names the input to show it beside.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

__all__ = ["FORMS", "Field", "Form", "PageNames", "request_of"]


class Field(NamedTuple):
    name: str
    label: str
    default: str = ""
    choices: tuple[str, ...] = ()  # a select; "checkbox" / "textarea" for those
    hint: str = ""
    group: str = ""  # shown only for this ladder or device (with JS)


class Form(NamedTuple):
    key: str
    prefix: str
    title: str
    submit: str
    fields: tuple[Field, ...]


_STOCK = (
    Field("strength", "Tablet strength", "50 mg", hint="mass, e.g. 50 mg"),
    Field("count", "Tablets used", "1", hint="halves allowed: 1/2"),
    Field("volume", "Made up to", "10 mL", hint="volume, e.g. 10 mL"),
)
_DEVICE = (
    Field("device", "Measured with", "dropper", ("dropper", "syringe")),
    Field("drops_per_mL", "Dropper: drops per mL", "20", hint="USP dropper: 20",
          group="dropper"),
    Field("capacity", "Oral syringe capacity", "1 mL", hint="e.g. 1 mL", group="syringe"),
)
#: the oral liquids a preparation may be (USP <795>), as the library names them
_LIQUIDS = ("aqueous", "aqueous_preserved", "nonaqueous", "preserved_glycerol")
_TEXTAREA = ("textarea",)
_ROUNDING = Field("rounding", "Rounding", "nearest", ("nearest", "down", "up"))

FORMS: dict[str, Form] = {f.key: f for f in (
    Form("measure", "m", "A single dose", "Measure", (
        Field("dose", "Dose", "", hint="mass, e.g. 4.5 mg"), *_STOCK, *_DEVICE, _ROUNDING,
        Field("allow_high_dose", "High dose intended", "", ("checkbox",),
              hint="tick only for a prescribed dose of 45 mg or more (ten times the usual "
                   "LDN maximum, else taken for a decimal slip)"))),
    Form("schedule", "s", "A titration or taper, with supply", "Plan schedule", (
        Field("ladder", "Schedule", "titrate", ("titrate", "taper")),
        Field("start", "First dose", "1.5 mg"),
        Field("step", "Rise per step", "0.5 mg", group="titrate"),
        Field("target", "Last dose", "4.5 mg", group="titrate"),
        Field("reduction", "Cut per step", "10 %", hint="0.1 or 10 %", group="taper"),
        Field("floor", "Lowest dose", "0.5 mg", group="taper"),
        Field("every", "Each step lasts", "2 weeks"),
        Field("start_date", "First day", "", hint="YYYY-MM-DD, optional"),
        *_STOCK, *_DEVICE, _ROUNDING,
        Field("suggest_stock", "Suggest a stock that fits every step", "", ("checkbox",)),
        Field("supply", "Plan supply and labels", "on", ("checkbox",)),
        Field("preparation", "Preparation (USP <795>)", "aqueous", _LIQUIDS))),
    Form("dilution", "d", "A microgram dose by dilution", "Plan dilution", (
        Field("dose", "Dose", "", hint="mass, e.g. 1 mcg"),
        Field("source", "Tablet strength", "50 mg"),
        Field("capacity", "Measured with an oral syringe of", "1 mL"),
        Field("max_volume", "Largest volume", "100 mL"))),
    Form("formulation", "f", "Master formulation record", "Write master record", (
        *_STOCK, Field("preparation", "Preparation (USP <795>)", "aqueous", _LIQUIDS),
        Field("bud", "Beyond-use date", "", hint="optional, from a stability study: "
                                                 "e.g. 30 days"))),
    Form("batch", "b", "Batch (compounding) record", "Check batch", (
        Field("master", "Master formulation record", "", _TEXTAREA,
              hint="paste the record a master formulation answer gives (JSON)"),
        Field("batch", "Batch number", "", hint="e.g. B-2026-001"),
        Field("date", "Date made", "", hint="YYYY-MM-DD"),
        Field("preparer", "Compounded by", ""),
        Field("verifier", "Verified by", ""),
        Field("components", "Components used", "", _TEXTAREA,
              hint="maker, lot and expiry of each (JSON; a master answer gives the form)"),
        Field("measured", "Amounts measured", "", _TEXTAREA,
              hint="each amount as measured, with its unit (JSON; a master answer gives "
                   "the form)"),
        Field("appearance", "Appearance", "pass", ("pass", "fail")))),
)}


def _device(v: Mapping[str, str]) -> dict[str, Any]:
    if v.get("device") == "syringe":
        return {"capacity": v.get("capacity", "")}
    return {"drops_per_mL": v.get("drops_per_mL", "")}


def _stock(v: Mapping[str, str]) -> dict[str, Any]:
    return {k: v.get(k, "") for k in ("strength", "count", "volume")}


def request_of(form: str, v: Mapping[str, str]) -> tuple[str, dict[str, Any]]:
    """The endpoint (``measure``, ``titrate``, ...) and JSON request a filled form stands for."""
    if form == "measure":
        return "measure", {"dose": v.get("dose", ""), "stock": _stock(v),
                           "device": _device(v), "rounding": v.get("rounding", "nearest"),
                           "allow_high_dose": bool(v.get("allow_high_dose"))}
    if form == "dilution":
        return "dilution", {"dose": v.get("dose", ""), "source": v.get("source", ""),
                            "device": {"capacity": v.get("capacity", "")},
                            "max_volume": v.get("max_volume", "")}
    ladder = "taper" if v.get("ladder") == "taper" else "titrate"
    names = ("reduction", "floor") if ladder == "taper" else ("step", "target")
    request: dict[str, Any] = {k: v.get(k, "") for k in ("start", "every", *names)}
    request.update(stock=_stock(v), device=_device(v), rounding=v.get("rounding", "nearest"))
    if v.get("start_date"):
        request["start_date"] = v["start_date"]
    if v.get("supply"):
        request["supply"] = {"preparation": v.get("preparation", "aqueous")}
    return ladder, request


#: what a message's ``{name}`` is on the page when it is no field of the form answered
_PAGE_WORDS = {
    "allow_high_dose": "tick \u201cHigh dose intended\u201d in \u201cA single dose\u201d",
    "taper()": "\u201cSchedule: taper\u201d",
    "Schedule.from_steps()": "\u201cA single dose\u201d for each dose",
    "Schedule.suggest_stock()": "\u201cSuggest a stock that fits every step\u201d",
    "percent": "\u201cCut per step\u201d",
}


class PageNames(dict[str, str]):
    """Python name -> the page's word: a field's label, in quotes, on the form answered.

    A name that is no field of the page is written in words (``volume_tolerance``
    -> ``volume tolerance``), so no Python identifier reaches a pharmacist.
    """

    def __init__(self, form: str) -> None:
        super().__init__(_PAGE_WORDS)
        self.update((f.name, f"\u201c{f.label}\u201d") for f in FORMS[form].fields
                    if f.choices != ("checkbox",))
        self._fields = {f.name for f in FORMS[form].fields}
        if form == "measure":
            self["allow_high_dose"] = "tick \u201cHigh dose intended\u201d"

    def get(self, key: str, default: str | None = None) -> str:  # type: ignore[override]
        found = super().get(key)
        if found is not None:
            return found
        head, _, rest = key.partition(".")
        if rest and head in self._fields:  # components.drug.lot -> "Components used": drug lot
            return f"{self[head]}: {rest.replace('.', ' ').replace('_', ' ')}"
        return key.removesuffix("()").rsplit(".", 1)[-1].replace("_", " ")
