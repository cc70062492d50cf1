"""The page at ``/``: five plain HTML forms, answered with the library's own HTML.

The forms post to ``/form/<name>`` and get the whole page back (no script
needed); each form becomes the same request model and library call as its
JSON endpoint. An error is shown beside the input its ``parameter`` names.
The schedule plot is inline SVG (matplotlib, when installed); every asset is
served from the package, so the page works with no internet.
"""

from __future__ import annotations

import html
import io
import sys
import threading
from collections.abc import Mapping
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl

import attrs
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from ..errors import InputError, LdnCompoundError
from ..rendering import html_text, render_html
from ..schedule import Schedule
from . import _service as service
from ._forms import FORMS, Field, Form, PageNames, request_of
from ._models import DilutionIn, MeasureIn
from ._record_forms import RECORD_FORMS, answer_record

__all__ = ["add_routes", "plot_svg", "render_page", "static_text"]

_STATIC = {"page.css": "text/css; charset=utf-8", "page.js": "text/javascript; charset=utf-8"}
_MAX_FIELDS = 64  # far more than any form has (the largest: 17)
_plot_lock = threading.Lock()  # matplotlib's state is not thread-safe


def static_text(name: str) -> str:
    """A file shipped in ``ldn_compound/serve/static``."""
    return resources.files(__package__).joinpath("static").joinpath(name).read_text("utf-8")


def add_routes(app: FastAPI) -> None:
    """``GET /``, ``POST /form/{form}`` and ``/static/*`` (not in the OpenAPI document)."""

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse(render_page())

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in _STATIC:
            return Response("not found", status_code=404, media_type="text/plain")
        return Response(static_text(name), media_type=_STATIC[name],
                        headers={"cache-control": "max-age=3600"})

    @app.post("/form/{form}", response_class=HTMLResponse, include_in_schema=False)
    async def submit(form: str, request: Request) -> HTMLResponse:
        if form not in FORMS:
            return HTMLResponse(render_page(), status_code=404)
        text = (await request.body()).decode("utf-8", "replace")
        try:
            values = dict(parse_qsl(text, keep_blank_values=True, max_num_fields=_MAX_FIELDS))
        except ValueError:  # more fields than any form has: refused, not a 500
            error = InputError("body", None, f"a form of at most {_MAX_FIELDS} fields")
            return HTMLResponse(render_page(form, {}, "", {"": str(error)}), status_code=422)
        result, errors = answer(form, values)
        return HTMLResponse(render_page(form, values, result, errors),
                            status_code=422 if errors else 200)


def answer(form: str, values: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """The result's HTML, or the errors by input name (``""``: the form as a whole)."""
    if form in RECORD_FORMS:
        return answer_record(form, values)
    endpoint, data = request_of(form, values)
    model: Any = {"measure": MeasureIn, "dilution": DilutionIn}.get(
        endpoint) or service.LADDERS[endpoint][0]
    names = PageNames(form)
    try:
        request = model.model_validate(data)
        if endpoint == "measure":
            return service.measure_dose(request)._repr_html_(), {}
        if endpoint == "dilution":
            return service.dilution(request)._repr_html_(), {}
        schedule, supply = service.schedule(endpoint, request)
        suggested = schedule.suggest_stock() if values.get("suggest_stock") else None
    except ValidationError as exc:
        body = service.validation_body(exc)
        message = InputError(str(body["parameter"]), body.get("value"),
                             str(body["expected"])).describe(names)
    except LdnCompoundError as exc:
        body = service.error_body(exc, model)
        message = exc.describe(names)
    else:
        parts = [schedule._repr_html_(), plot_svg(schedule)]
        if suggested is not None:
            parts.append(f"<h2>Suggested stock: {html.escape(suggested.describe())}</h2>"
                         + schedule.with_stock(suggested)._repr_html_())
        if supply is not None:  # the labels once, as cards (not also as report lines)
            parts.append(render_html(attrs.evolve(supply.report(), footer=())))
            parts.append(_labels(supply.labels))
        return "".join(parts), {}
    leaf = str(body.get("field") or body.get("parameter") or "").rsplit(".", 1)[-1]
    fields = {f.name for f in FORMS[form].fields}
    return "", {leaf if leaf in fields else "": message}


def _labels(labels: tuple[str, ...]) -> str:
    items = "".join(f"<li class='label'>{html_text(t)}</li>" for t in labels)
    return ("<section class='labels' aria-labelledby='labels-title'>"
            "<h2 id='labels-title'>Labels</h2>"
            "<button type='button' class='print' hidden>Print labels</button>"
            f"<ol>{items}</ol></section>")


def plot_svg(schedule: Schedule) -> str:
    """The schedule's plot as inline SVG, or a note when matplotlib is not installed."""
    try:
        import matplotlib  # type: ignore[import-not-found, unused-ignore]
        from matplotlib.figure import Figure  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return ("<p class='note'>Plot not shown: it needs matplotlib "
                "(pip install \"ldn-compound[serve]\").</p>")
    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")  # Schedule.plot imports pyplot: never a GUI backend here
    buffer = io.StringIO()
    # small and square enough to stay legible on a phone: the page scales it to the width
    with _plot_lock, matplotlib.rc_context({"font.size": 11, "axes.titlesize": 10}):
        figure = Figure(figsize=(4.4, 3.8))
        schedule.plot(figure.subplots())
        figure.tight_layout()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    what = "Requested and delivered dose, worst-case bounds and flagged steps by day"
    return ("<figure class='plot'>"
            + svg.replace("<svg", f"<svg role='img' aria-label='{what}'", 1)
            + f"<figcaption>{what}</figcaption></figure>")


def _field(form: Form, field: Field, values: Mapping[str, str], error: str) -> str:
    e = html.escape
    ident = f"{form.prefix}-{field.name}"
    value = values.get(field.name, field.default if not values else "")
    described = [f"{ident}-hint"] if field.hint else []
    if error:
        described.append(f"{ident}-error")
    attrs = f"id='{ident}' name='{field.name}'"
    if described:
        attrs += f" aria-describedby='{' '.join(described)}'"
    if error:
        attrs += " aria-invalid='true'"
    if field.choices == ("checkbox",):
        checked = " checked" if value else ""
        control = f"<input type='checkbox' {attrs} value='on'{checked}>"
    elif field.choices == ("textarea",):
        control = f"<textarea {attrs} rows='5' spellcheck='false'>{e(value)}</textarea>"
    elif field.choices:
        chosen = value or field.default
        options = "".join(f"<option{' selected' if c == chosen else ''}>{e(c)}</option>"
                          for c in field.choices)
        control = f"<select {attrs}>{options}</select>"
    else:
        control = f"<input type='text' {attrs} value='{e(value)}' autocomplete='off'>"
    hint = f"<small id='{ident}-hint'>{e(field.hint)}</small>" if field.hint else ""
    message = (f"<p class='error' id='{ident}-error' role='alert'>{e(error)}</p>"
               if error else "")
    group = f" data-group='{field.group}'" if field.group else ""
    return (f"<div class='field'{group}><label for='{ident}'>{e(field.label)}</label>"
            f"{control}{hint}{message}</div>")


def _form(form: Form, values: Mapping[str, str], errors: Mapping[str, str]) -> str:
    e = html.escape
    general = errors.get("", "")
    top = (f"<p class='error' id='{form.prefix}-error' role='alert'>{e(general)}</p>"
           if general else "")
    fields = "".join(_field(form, f, values, errors.get(f.name, "")) for f in form.fields)
    return (f"<form id='{form.key}-form' class='calc' method='post' action='/form/{form.key}'>"
            f"<fieldset><legend>{e(form.title)}</legend>{top}{fields}"
            f"<button type='submit' id='{form.prefix}-submit'>{e(form.submit)}</button>"
            "</fieldset></form>")


def render_page(active: str = "", values: Mapping[str, str] | None = None,
                result: str = "", errors: Mapping[str, str] | None = None) -> str:
    """The whole page; ``active`` is the form just submitted, with its values and answer."""
    forms = "".join(_form(f, (values or {}) if f.key == active else {},
                          (errors or {}) if f.key == active else {}) for f in FORMS.values())
    answer_html = (f"<section id='result' aria-live='polite' aria-label='Result'>{result}"
                   "</section>")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ldn_compound: exact LDN dose arithmetic</title>
<link rel="stylesheet" href="/static/page.css"><script src="/static/page.js" defer></script>
</head><body>
<header><h1>ldn_compound</h1><p>Exact dose arithmetic for compounding low-dose naltrexone:
drops or mL, worst-case bounds, schedules, supply and dilutions. It computes; it does not
prescribe. Check every figure before you dispense.</p></header>
<main>{answer_html}<div class="forms">{forms}</div></main>
</body></html>
"""
