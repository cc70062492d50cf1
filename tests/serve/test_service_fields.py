"""Each endpoint answers the library's own result; each error field is the library's.

The JSON endpoints are called through FastAPI's test client and compared with
the library call the endpoint stands for, made here with the same arguments;
every refusal is checked by its ``kind``, ``parameter``, ``value`` and ``field``.
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from ldn_compound import (
    Dropper,
    ErrorKind,
    OralSyringe,
    Schedule,
    Stock,
    plan_dilution,
    plan_trituration,
    titrate,
)
from ldn_compound.errors import InputError
from ldn_compound.serve import create_app
from ldn_compound.serve._body import UnreadableBody, read_json
from ldn_compound.serve._models import BatchRecordIn, TriturationIn
from ldn_compound.serve._service import error_body, validation_body

STOCK = {"strength": "50 mg", "volume": "10 mL"}
LADDER = {"start": "1.5 mg", "step": "0.5 mg", "target": "4.5 mg", "every": "2 weeks",
          "stock": STOCK, "device": {"drops_per_mL": 20}}


@pytest.fixture(scope="module")
def client() -> TestClient:
    """One app for the module: it holds no state."""
    return TestClient(create_app())


@pytest.fixture(scope="module")
def openapi(client) -> dict:
    return client.get("/openapi.json").json()


def _ladder() -> Schedule:
    return titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks", Stock.from_tablets("50 mg", "10 mL"),
                   Dropper(drops_per_mL=20))


def test_supply_answers_the_supply_of_the_schedule_record_posted(client):
    """/api/supply is ``Schedule.from_dict(schedule).supply(...)`` with the options given."""
    schedule = _ladder()
    body = {"schedule": schedule.to_dict(), "bud": "14 days", "overage": "20 %"}
    r = client.post("/api/supply", json=body)
    want = Schedule.from_dict(schedule.to_dict()).supply(bud="14 days", overage="20 %")
    assert r.status_code == 200 and r.json() == want.to_dict()


@pytest.mark.parametrize("allowed_error", ["1 %", "10 %"])
def test_trituration_passes_every_option_to_the_library(client, allowed_error):
    """The example, with an allowed error other than the default, is plan_trituration's."""
    example = TriturationIn.model_json_schema()["examples"][0]
    r = client.post("/api/trituration", json=example | {"allowed_error": allowed_error})
    want = plan_trituration(example["dose"], capsules=example["capsules"],
                            allowed_error=allowed_error)
    assert r.status_code == 200 and r.json() == want.to_dict()


@pytest.mark.parametrize("capacity", ["3 mL", "10 mL"])
def test_dilution_measures_with_the_device_given(client, capacity):
    """A device in the request is the device plan_dilution gets."""
    r = client.post("/api/dilution", json={"dose": "25 mcg", "device": {"capacity": capacity}})
    want = plan_dilution("25 mcg", "50 mg", OralSyringe(capacity))
    assert r.status_code == 200 and r.json() == want.to_dict()
    assert r.json() != plan_dilution("25 mcg").to_dict()


def test_the_batch_record_example_is_a_batch_made_as_planned(client):
    """The OpenAPI example gives an ok record whose entries are the example's own."""
    example = BatchRecordIn.model_json_schema()["examples"][0]
    r = client.post("/api/batch-record", json=example)
    assert r.status_code == 200 and r.json()["ok"] is True
    entries = example["entries"]
    for key in ("batch", "date", "preparer", "verifier", "appearance"):
        assert r.json()[key] == entries[key]
    assert {c["key"]: c["lot"] for c in r.json()["components"]} == {
        k: c["lot"] for k, c in entries["components"].items()}


def test_openapi_schedule_and_supply_component(openapi):
    """A ladder answers a Schedule and a Supply (or null), both named by reference."""
    schemas = openapi["components"]["schemas"]
    both = schemas["ScheduleAndSupply"]
    assert both["title"] == "ScheduleAndSupply"
    assert both["properties"]["schedule"] == {"$ref": "#/components/schemas/Schedule"}
    refs = [s.get("$ref") for s in both["properties"]["supply"]["anyOf"]]
    assert "#/components/schemas/Supply" in refs and {"type": "null"} in \
        both["properties"]["supply"]["anyOf"]
    for ref in refs:
        assert ref is None or ref.rsplit("/", 1)[-1] in schemas


def test_openapi_supply_request_takes_a_schedule_record(openapi):
    """/api/supply's schedule is a Schedule record, described, with a record as example."""
    component = openapi["components"]["schemas"]["SupplyFromRecordIn"]
    schedule = component["properties"]["schedule"]
    assert schedule["$ref"] == "#/components/schemas/Schedule"
    assert schedule["description"]
    assert set(schedule) == {"$ref", "description"}
    assert component["examples"][0]["schedule"]["schema"]


def test_openapi_documents_every_endpoint_post(openapi, client):
    """Each /api path is POST, with its request and response components and 413/422."""
    schemas = openapi["components"]["schemas"]
    for path, item in openapi["paths"].items():
        if path == "/api/presets":
            continue
        op = item["post"]
        request = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert request.rsplit("/", 1)[-1] in schemas
        assert set(op["responses"]) == {"200", "413", "422"}
        assert path == path.lower()
    assert "/api/trituration" in openapi["paths"]
    assert "USP <795>" in openapi["paths"]["/api/formulation"]["post"]["description"]


# -- the body reader's refusals

@pytest.mark.parametrize(("raw", "field"), [
    (b'{"\\ud800": 1}', "body"),
    (b'{"dose": {"\\udfff": 1}}', "dose"),
])
def test_a_field_name_that_is_no_unicode_is_refused_as_the_body(raw, field):
    """A lone surrogate as a field name: parameter ``body``, the field it sits in."""
    with pytest.raises(UnreadableBody) as caught:
        read_json(raw)
    error = caught.value.error
    assert (error.kind, error.parameter, caught.value.field) == (ErrorKind.INVALID, "body", field)


def test_a_field_name_that_is_no_unicode_answers_422(client):
    r = client.post("/api/measure", content=b'{"\\ud800": 1}',
                    headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert (r.json()["kind"], r.json()["parameter"], r.json()["field"]) == (
        "invalid", "body", "body")


# -- the service's refusals and error bodies

@pytest.mark.parametrize(("device", "parameter"), [
    ({"drops_per_mL": 20, "capacity": "1 mL"}, "capacity"),
    ({"capacity": "1 mL", "max_drops": 30}, "max_drops"),
    ({"drops_per_mL": 20, "graduation": "0.1 mL"}, "graduation"),
])
def test_a_device_of_two_kinds_is_refused_with_the_value_given(client, device, parameter):
    r = client.post("/api/measure", json={"dose": "4.5 mg", "stock": STOCK, "device": device})
    assert r.status_code == 422
    body = r.json()
    assert (body["kind"], body["parameter"], body["field"]) == (
        "invalid", parameter, f"device.{parameter}")
    assert body["value"] == device[parameter]


def test_error_body_is_plain_json():
    """Every value of an error body is a plain JSON type: it reads back equal."""
    body = error_body(InputError("dose", "x", "a mass"), BaseModel)
    for value in body.values():
        assert type(value) in (str, int, float, bool, type(None))
    assert json.loads(json.dumps(body)) == body


def test_a_literal_error_without_its_choices_names_none_of_them():
    """No ``None`` is worded into ``expected`` when pydantic gives no choices."""
    body = validation_body([{"type": "literal_error", "loc": ("body", "rounding"),
                             "msg": "Input should be one of", "input": "x", "ctx": {}}])
    assert body["parameter"] == "rounding" and body["value"] == "x"
    assert "None" not in body["expected"]


#: (raw body, content type, parameter, value, field): each refusal names what it refused
REFUSED = [
    (b"{}", "text/plain", "content-type", "text/plain", "content-type"),
    (b"{}", "application/xml; charset=utf-8", "content-type",
     "application/xml; charset=utf-8", "content-type"),
    (b"", None, "body", "", "body"),
    (b'{"dose": NaN}', None, "dose", "NaN", "dose"),
    (b'{"doses": ["1 mcg", Infinity]}', None, "doses", "Infinity", "doses.1"),
    (b'{"dose": 1e999}', None, "dose", "1e999", "dose"),
    (b'{"capsules": 1' + b"0" * 40 + b"}", None, "capsules", "1" + "0" * 40, "capsules"),
    (b'{"dose": "1 mg", "dose": "2 mg"}', None, "dose", "dose", "dose"),
    (b'{"stock": {"volume": "\\ud800"}}', None, "volume", "\ud800", "stock.volume"),
]


@pytest.mark.parametrize(("raw", "content_type", "parameter", "value", "field"), REFUSED)
def test_read_json_refusals_name_parameter_value_and_field(raw, content_type, parameter,
                                                           value, field):
    with pytest.raises(UnreadableBody) as caught:
        read_json(raw, content_type)
    error = caught.value.error
    assert (error.kind, error.parameter, error.value, caught.value.field) == (
        ErrorKind.INVALID, parameter, value, field)


@pytest.mark.parametrize(("raw", "content_type", "parameter", "value", "field"), REFUSED[:-1])
def test_a_refused_body_answers_422_with_those_fields(client, raw, content_type, parameter,
                                                      value, field):
    headers = {"content-type": content_type or "application/json"}
    r = client.post("/api/dilution", content=raw, headers=headers)
    assert r.status_code == 422
    body = r.json()
    assert (body["kind"], body["parameter"], body["value"], body["field"]) == (
        "invalid", parameter, value, field)


@pytest.mark.parametrize(("stock", "parameter"), [
    ({"strength": "50 mg", "drug": "50 mg", "volume": "10 mL"}, "drug"),
    ({"drug": "50 mg", "count": 2, "volume": "10 mL"}, "count"),
    ({"volume": "10 mL"}, "strength"),
])
def test_a_stock_of_two_kinds_is_refused_with_the_value_given(client, stock, parameter):
    r = client.post("/api/measure", json={"dose": "4.5 mg", "stock": stock,
                                          "device": {"drops_per_mL": 20}})
    assert r.status_code == 422
    body = r.json()
    assert (body["kind"], body["parameter"], body["field"]) == (
        "invalid", parameter, f"stock.{parameter}")
    assert body["value"] == stock.get(parameter)


@pytest.mark.parametrize(("body", "parameter", "value", "field"), [
    ({"stock": STOCK, "device": {"drops_per_mL": 20}}, "dose", None, "dose"),
    ({"dose": "4.5 mg", "stock": STOCK, "device": {"drops_per_mL": 20}, "dosage": 1},
     "dosage", 1, "dosage"),
    ({"dose": "4.5 mg", "stock": STOCK, "device": {"drops_per_mL": 20}, "rounding": "half"},
     "rounding", "half", "rounding"),
])
def test_a_request_failing_validation_names_the_field(client, body, parameter, value, field):
    r = client.post("/api/measure", json=body)
    assert r.status_code == 422
    got = r.json()
    assert (got["kind"], got["parameter"], got["value"], got["field"]) == (
        "invalid", parameter, value, field)


def test_openapi_names_each_paths_own_request_and_record(openapi):
    """Each path takes its own request model and answers its own record or the error."""
    from ldn_compound.serve._service import LADDERS

    models = {f"/api/schedule/{n}": m.__name__ for n, (m, _) in LADDERS.items()} | {
        "/api/measure": "MeasureIn", "/api/supply": "SupplyFromRecordIn",
        "/api/dilution": "DilutionIn", "/api/trituration": "TriturationIn",
        "/api/formulation": "FormulationIn", "/api/batch-record": "BatchRecordIn"}
    assert set(openapi["paths"]) == set(models) | {"/api/presets"}
    for path, model in models.items():
        op = openapi["paths"][path]["post"]
        ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert ref == f"#/components/schemas/{model}"
        for status in ("413", "422"):
            schema = op["responses"][status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/LibraryError"}


def test_formulation_passes_its_options_to_the_library(client):
    from ldn_compound import master_formulation

    stock = Stock.from_tablets("50 mg", "20 mL", 2)
    body = {"source": stock.to_dict(), "preparation": "aqueous_preserved", "bud": "30 days"}
    r = client.post("/api/formulation", json=body)
    want = master_formulation(stock, preparation="aqueous_preserved", bud="30 days")
    assert r.status_code == 200 and r.json() == want.to_dict()


def test_a_batch_short_of_drug_is_the_libraries_failed_record(client):
    from ldn_compound import compounding_record

    example = BatchRecordIn.model_json_schema()["examples"][0]
    entries = example["entries"] | {"measured": example["entries"]["measured"] | {
        "tablets": "1"}}
    r = client.post("/api/batch-record", json={"master": example["master"],
                                               "entries": entries})
    want = compounding_record(example["master"], entries)
    assert r.status_code == 200 and r.json() == want.to_dict() and r.json()["ok"] is False
