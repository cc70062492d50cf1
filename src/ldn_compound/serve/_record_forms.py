"""The page's two USP <795> record forms: a master formulation record and a batch record.

The master form takes a stock as the other forms do (tablet strength, count,
volume) and answers with the record's own printable HTML, plus the record as
JSON (and the shape of a batch's entries) to copy into the batch form. The
batch form takes that JSON back, with the batch's entries: its text fields as
inputs, its components and measured amounts as JSON (one object each, keyed
as the master names them). Every refusal is the library's one-line message,
shown beside the input it names.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from ..compounding import CompoundingRecord, MasterFormulation
from ..errors import InputError, LdnCompoundError
from ..rendering import render_html
from . import _service as service
from ._body import UnreadableBody, read_json
from ._forms import FORMS, PageNames
from ._models import BatchRecordIn, FormulationIn, StockIn

__all__ = ["RECORD_FORMS", "answer_record"]

#: the forms this module answers
RECORD_FORMS = ("formulation", "batch")
#: the batch's entries typed into inputs of their own (the rest are JSON)
_TEXT_ENTRIES = ("batch", "date", "preparer", "verifier", "appearance")


def answer_record(form: str, values: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """The record's HTML, or the errors by input name (``""``: the form as a whole)."""
    fields = {f.name for f in FORMS[form].fields}
    error: LdnCompoundError
    try:
        if form == "formulation":
            return _master_html(_master(values)), {}
        return _batch_html(_batch(values)), {}
    except ValidationError as exc:
        body = service.validation_body(exc)
        error = InputError(str(body["parameter"]), body.get("value"), str(body["expected"]))
        where = str(body.get("field") or body["parameter"])
    except LdnCompoundError as exc:
        error, where = exc, str(getattr(exc, "parameter", "") or "")
    head = where.partition(".")[0]
    leaf = where.rsplit(".", 1)[-1]
    key = head if head in fields else leaf if leaf in fields else ""
    return "", {key: error.describe(PageNames(form))}


def _master(v: Mapping[str, str]) -> MasterFormulation:
    stock = service.stock_of(StockIn.model_validate(
        {k: v.get(k, "") for k in ("strength", "count", "volume")}))
    request = FormulationIn.model_validate({
        "source": stock.to_dict(), "preparation": v.get("preparation", "aqueous"),
        "bud": v.get("bud") or None})
    return service.formulation(request)


def _json(v: Mapping[str, str], name: str) -> Any:
    """The JSON typed into ``name``, read by the service's one JSON reader."""
    text = v.get(name, "")
    if not text.strip():
        raise InputError(name, "", "JSON, as the master formulation answer gives it")
    try:
        return read_json(text.encode("utf-8"))
    except UnreadableBody as exc:
        raise InputError(name, text[:40], exc.error.expected) from None


def _batch(v: Mapping[str, str]) -> CompoundingRecord:
    master = _json(v, "master")
    expected = "the record exactly as the master formulation answer gives it"
    if not isinstance(master, dict):
        raise InputError("master", v["master"][:40], expected + " (a JSON object)")
    try:
        master = MasterFormulation.from_dict(master)
    except LdnCompoundError as exc:  # anything wrong inside the record: the record's words
        where = str(getattr(exc, "parameter", None) or getattr(exc, "field", None) or "")
        what = PageNames("batch").get(where) if where else "content"
        raise InputError("master", f"a record whose {what} does not read back",
                         expected + "; copy it again") from None
    entries: dict[str, Any] = {k: v.get(k, "") for k in _TEXT_ENTRIES}
    entries.update(components=_json(v, "components"), measured=_json(v, "measured"))
    return service.batch_record(BatchRecordIn.model_validate(
        {"master": master.to_dict(), "entries": entries}))


def _print_button() -> str:
    return "<button type='button' class='print' data-print='print-record' hidden>" \
           "Print record</button>"


def _copy(ident: str, label: str, value: Any) -> str:
    text = html.escape(json.dumps(value, indent=1, ensure_ascii=False))
    return (f"<div class='field'><label for='{ident}'>{html.escape(label)}</label>"
            f"<textarea id='{ident}' readonly rows='6'>{text}</textarea></div>")


def _master_html(master: MasterFormulation) -> str:
    f = master.formula
    components = {k: {"manufacturer": "", "lot": "", "expiry": ""} for k, _, _ in f.components}
    measured = {a.key: "" for a in f.amounts}
    return ("<section class='record' aria-label='Master formulation record'>"
            f"{_print_button()}{render_html(master.report())}</section>"
            "<details class='copy'><summary>For the batch record: copy these</summary>"
            + _copy("f-copy-master", "Master formulation record", master.to_dict())
            + _copy("f-copy-components", "Components used (fill in)", components)
            + _copy("f-copy-measured", "Amounts measured (fill in, with units)", measured)
            + "</details>")


def _batch_html(record: CompoundingRecord) -> str:
    verdict = ("<p class='verdict ok'>OK: within tolerance, every check passed</p>"
               if record.ok else
               "<p class='verdict failed' role='alert'><span aria-hidden='true'>\u26a0\ufe0e "
               "</span>FAILED: do not dispense (no label)</p>")
    return ("<section class='record' aria-label='Compounding record'>"
            f"{_print_button()}{verdict}{render_html(record.report())}</section>")
