"""The page's three forms: their fields, and how a filled form becomes a request.

Each input is named by the library parameter it sets (``dose``, ``volume``,
``drops_per_mL``), so an error's ``parameter`` (or the last part of its
``field``) names the input to show it beside.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

__all__ = ["FORMS", "Field", "Form", "request_of"]


class Field(NamedTuple):
    name: str
    label: str
    default: str = ""
    choices: tuple[str, ...] = ()  # a select; "checkbox" for a checkbox
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
_ROUNDING = Field("rounding", "Rounding", "nearest", ("nearest", "down", "up"))

FORMS: dict[str, Form] = {f.key: f for f in (
    Form("measure", "m", "A single dose", "Measure", (
        Field("dose", "Dose", "", hint="mass, e.g. 4.5 mg"), *_STOCK, *_DEVICE, _ROUNDING)),
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
        Field("supply", "Plan supply and labels", "on", ("checkbox",)),
        Field("preparation", "Preparation (USP <795>)", "aqueous",
              ("aqueous", "aqueous_preserved", "nonaqueous", "preserved_glycerol")))),
    Form("dilution", "d", "A microgram dose by dilution", "Plan dilution", (
        Field("dose", "Dose", "", hint="mass, e.g. 1 mcg"),
        Field("source", "Tablet strength", "50 mg"),
        Field("capacity", "Measured with an oral syringe of", "1 mL"),
        Field("max_volume", "Largest volume", "100 mL"))),
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
                           "device": _device(v), "rounding": v.get("rounding", "nearest")}
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
