"""The ASGI application: JSON endpoints, the page, limits, and the OpenAPI document."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import InputError, LdnCompoundError
from ..presets import PRESETS
from . import _page as page
from . import _service as service
from ._body import UnreadableBody, read_json
from ._models import (
    REQUEST_MODELS,
    BatchRecordIn,
    DilutionIn,
    FormulationIn,
    MeasureIn,
    SupplyFromRecordIn,
    TitrateIn,
    TriturationIn,
)
from ._records import record, record_schemas

__all__ = ["MAX_BODY", "create_app"]

#: largest request body in bytes; the largest real request (60 doses) is ~5 kB
MAX_BODY = 64 * 1024

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGI = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimit:
    """Refuse (413) a request body over ``limit`` bytes, declared or streamed.

    The body is read here, whole, before anything parses it; the app then gets
    it as one message. A body streamed in chunks past the limit is refused as
    soon as it passes it.
    """

    def __init__(self, app: ASGI, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body: Message | None = {"type": "http.request", "body": b"".join(chunks),
                                "more_body": False}

        async def replay() -> Message:
            nonlocal body
            if body is None:
                return await receive()
            message, body = body, None
            return message

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = InputError("body", None, f"a request body of at most {self.limit:,} bytes")
        await JSONResponse(service.error_body(error, BaseModel, field="body"),
                           status_code=413)(scope, receive, send)


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/LibraryError"}}}}


#: what every operation may answer besides its 200: the only other statuses the service has
ERRORS: dict[int | str, Any] = {
    413: _error(f"a request body over {MAX_BODY:,} bytes (``MAX_BODY``): the library's "
                "error, parameter ``body``"),
    422: _error("bad input, or no measurement or plan: the library's error (``kind``, "
                "``parameter``, ...). A body that is not UTF-8 JSON, a number JSON cannot "
                "carry exactly (NaN, Infinity, 1e999, an integer of more than 30 digits), "
                "a field given twice or nesting over 32 deep is ``kind`` invalid, "
                "``parameter`` the field or ``body``"),
}


def _record_response(component: str, description: str) -> dict[int | str, Any]:
    ref = {"$ref": f"#/components/schemas/{component}"}
    return {200: {"description": description, "content": {"application/json": {"schema": ref}}},
            **ERRORS}


#: the error every 422 carries (fields beyond kind and message depend on the kind)
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object", "title": "LibraryError", "required": ["kind", "message"],
    "properties": {
        "kind": {"type": "string", "description": "ldn_compound.ErrorKind value"},
        "message": {"type": "string", "description": "str(exc): the library's message"},
        "field": {"type": "string", "description": "the request field named (stock.volume)"},
        "parameter": {"type": "string"}, "value": {}, "expected": {"type": "string"},
        "override": {"type": ["string", "null"]},
        "target": {}, "reason": {"type": "string"}, "suggestion": {"type": "string"},
        "constraint": {"type": "string"}, "suggested_mg_per_ml": {},
    },
}


def create_app(cors_origins: Sequence[str] = ()) -> FastAPI:
    """The service: JSON endpoints under ``/api``, the page at ``/``; no state.

    Parameters
    ----------
    cors_origins : sequence of str
        Origins allowed to call the JSON endpoints from a browser; none by default.
    """
    app = FastAPI(title="ldn_compound", version=__version__,
                  description="Exact dose arithmetic for compounding low-dose naltrexone. "
                              "It computes; it does not prescribe.")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(service.validation_body(exc.errors()), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def refused(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        """No such path or method: the library's error shape, not the framework's."""
        error = (InputError("method", request.method, "one of " + exc.headers["Allow"])
                 if exc.status_code == 405 and exc.headers else
                 InputError("path", request.url.path, "a path /openapi.json lists"))
        field = "method" if error.parameter == "method" else "path"
        return JSONResponse(service.error_body(error, BaseModel, field=field),
                            status_code=exc.status_code, headers=exc.headers)

    for path, (model, call, component, tag, doc) in _endpoints().items():
        _add(app, path, model, call, component, tag, doc)

    @app.get("/api/presets", tags=["schedule"], responses={413: ERRORS[413]})
    def presets() -> list[dict[str, str]]:
        """The published ladders ``/api/schedule/preset`` builds."""
        return [{"name": p.name, "summary": p.summary, "citation": p.citation}
                for p in PRESETS.values()]

    page.add_routes(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    app.add_middleware(_Headers)
    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins),
                           allow_methods=["GET", "POST"], allow_headers=["Content-Type"])
    app.add_middleware(BodyLimit)
    return app


#: what an endpoint calls: request model in, JSON-ready record(s) out
Call = Callable[[Any], Any]


def _ladder(name: str) -> Call:
    def call(body: Any) -> Any:
        built, supply = service.schedule(name, body)
        return {"schedule": record(built), "supply": None if supply is None else record(supply)}
    return call


def _endpoints() -> dict[str, tuple[Any, Call, str, str, str]]:
    """path -> (request model, call, response component, tag, summary)."""
    ladders = {
        "titrate": "``titrate(start, step, target, every, stock, device)``; ``supply`` optional.",
        "taper": "``taper(start, reduction, every, stock, device, floor)``; ``supply`` optional.",
        "drops": "``Schedule.from_drops(stock, dropper, ...)``: a drop ladder.",
        "preset": "``preset(name, stock, device)``: a published ladder.",
    }
    return {
        "/api/measure": (MeasureIn, lambda b: record(service.measure_dose(b)), "Measurement",
                         "measure", "``measure(dose, stock, device)``: what to measure."),
        **{f"/api/schedule/{name}": (service.LADDERS[name][0], _ladder(name),
                                     "ScheduleAndSupply", "schedule", doc)
           for name, doc in ladders.items()},
        "/api/supply": (SupplyFromRecordIn, lambda b: record(service.supply_for(b)), "Supply",
                        "schedule", "``Schedule.from_dict(schedule).supply(...)``: batches, "
                        "tablets and labels."),
        "/api/dilution": (DilutionIn, lambda b: record(service.dilution(b)), "DilutionPlan",
                          "dilution", "``plan_dilution(dose, source, device)``: a serial "
                          "dilution for a tiny dose."),
        "/api/trituration": (TriturationIn, lambda b: record(service.trituration(b)),
                             "TriturationPlan", "dilution", "``plan_trituration(dose, ...)``: "
                             "capsules by geometric dilution."),
        "/api/formulation": (FormulationIn, lambda b: record(service.formulation(b)),
                             "MasterFormulation", "records", "``master_formulation(source, "
                             "...)``: the master formulation record (USP <795>)."),
        "/api/batch-record": (BatchRecordIn, lambda b: record(service.batch_record(b)),
                              "CompoundingRecord", "records", "``compounding_record(master, "
                              "entries)``: one batch checked; ``ok`` false (no label) when an "
                              "amount or a QC check fails."),
    }


def _add(app: FastAPI, path: str, model: Any, call: Call, component: str, tag: str,
         doc: str) -> None:
    """POST ``path``: ``model`` in, ``call``'s record out; a library error is 422.

    The body is read by :func:`read_json` (not FastAPI), so a body FastAPI
    would answer with a 400 or a 500 is the library's 422 too.
    """
    async def endpoint(request: Request) -> JSONResponse:
        try:
            data = read_json(await request.body(), request.headers.get("content-type"))
        except UnreadableBody as exc:
            return JSONResponse(service.error_body(exc.error, model, field=exc.field),
                                status_code=422)
        return await run_in_threadpool(_answer, model, call, data)

    endpoint.__doc__ = doc
    name = path.removeprefix("/api/").replace("/", "_")
    body = {"required": True, "content": {"application/json": {"schema": {
        "$ref": f"#/components/schemas/{model.__name__}"}}}}
    app.post(path, responses=_record_response(component, component), name=name,
             response_class=JSONResponse, tags=[tag],
             openapi_extra={"requestBody": body})(endpoint)


def _answer(model: type[BaseModel], call: Call, data: Any) -> JSONResponse:
    """The response to a request's JSON ``data``: the record, or the 422 of its error."""
    try:
        return JSONResponse(call(model.model_validate(data)))
    except ValidationError as exc:
        return JSONResponse(service.validation_body(exc, model), status_code=422)
    except LdnCompoundError as exc:
        return JSONResponse(service.error_body(exc, model), status_code=422)


class _Headers:
    """A strict Content-Security-Policy and no sniffing: the page loads only its own files."""

    CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
           "script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")

    def __init__(self, app: ASGI) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []),
                                      (b"content-security-policy", self.CSP.encode()),
                                      (b"x-content-type-options", b"nosniff"),
                                      (b"referrer-policy", b"no-referrer")]
            await send(message)

        await self.app(scope, receive, with_headers)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, with every record schema and the error under components."""
    if app.openapi_schema is None:
        doc = get_openapi(title=app.title, version=app.version, description=app.description,
                          routes=app.routes)
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        schemas.update(record_schemas())
        _, requests = models_json_schema([(m, "validation") for m in REQUEST_MODELS.values()],
                                         ref_template="#/components/schemas/{model}")
        schemas.update(requests["$defs"])
        _supply_request(schemas["SupplyFromRecordIn"])
        schemas["LibraryError"] = ERROR_SCHEMA
        schemas["ScheduleAndSupply"] = {
            "type": "object", "title": "ScheduleAndSupply", "required": ["schedule", "supply"],
            "properties": {"schedule": {"$ref": "#/components/schemas/Schedule"},
                           "supply": {"anyOf": [{"$ref": "#/components/schemas/Supply"},
                                               {"type": "null"}]}}}
        app.openapi_schema = doc
    return app.openapi_schema


def _supply_request(component: dict[str, Any]) -> None:
    """``/api/supply`` takes a Schedule record: say so, with the titrate example's record."""
    example = TitrateIn.model_json_schema()["examples"][0]
    built, _ = service.schedule("titrate", TitrateIn.model_validate(example))
    schedule = component["properties"]["schedule"]
    component["properties"]["schedule"] = {"$ref": "#/components/schemas/Schedule",
                                           "description": schedule["description"]}
    component["examples"] = [{"schedule": record(built)}]
