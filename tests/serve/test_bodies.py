"""Request bodies the service must refuse in its own words: never a 500, a framework 400
or a status the OpenAPI document does not list (issue 21)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import ErrorKind
from ldn_compound.serve import MAX_BODY, create_app
from ldn_compound.serve._body import MAX_DEPTH, MAX_DIGITS, UnreadableBody, read_json

STOCK = '"stock": {"strength": "50 mg", "volume": "10 mL"}'
DEVICE = '"device": {"drops_per_mL": 20}'
LADDER = ('"start": "1.5 mg", "step": "0.5 mg", "target": "4.5 mg", "every": "2 weeks", '
          + STOCK + ", " + DEVICE)


def _measure(dose: str = '"4.5 mg"', stock: str = STOCK, device: str = DEVICE) -> bytes:
    return f'{{"dose": {dose}, {stock}, {device}}}'.encode()


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


JSON = "application/json"
#: (endpoint, raw body, content type, status, kind, field): each reproduction of issue 21
#: (a bare 500 or FastAPI's 400 before) and the other bodies a client can send
BAD = [
    ("measure", _measure("NaN"), JSON, 422, ErrorKind.INVALID, "dose"),
    ("measure", _measure(device='"device": {"drops_per_mL": Infinity}'), JSON, 422,
     ErrorKind.INVALID, "device.drops_per_mL"),
    ("measure", _measure(device='"device": {"drops_per_mL": 1e999}'), JSON, 422,
     ErrorKind.INVALID, "device.drops_per_mL"),
    ("measure", _measure(device='"device": {"drops_per_mL": -1e999}'), JSON, 422,
     ErrorKind.INVALID, "device.drops_per_mL"),
    ("measure", _measure(stock='"stock": {"strength": "50 mg", "volume": "10 mL", '
                               '"count": NaN}'), JSON, 422, ErrorKind.INVALID, "stock.count"),
    ("schedule/titrate", f'{{{LADDER}, "max_rounding_error": -Infinity}}'.encode(), JSON, 422,
     ErrorKind.INVALID, "max_rounding_error"),
    ("dilution", b'{"doses": ["1 mcg", NaN]}', JSON, 422, ErrorKind.INVALID, "doses.1"),
    ("measure", b'{"dose": "\xff mg"}', JSON, 422, ErrorKind.INVALID, "body"),
    ("measure", b'{"dose": "\xed\xa0\x80"}', JSON, 422, ErrorKind.INVALID, "body"),
    ("measure", _nested(1000), JSON, 422, ErrorKind.INVALID, "body"),
    ("supply", b'{"schedule": {"plan": ' + _nested(MAX_DEPTH) + b"}}", JSON, 422,
     ErrorKind.INVALID, "schedule.plan" + ".0" * (MAX_DEPTH - 2)),
    ("measure", _measure(device='"device": {"drops_per_mL": ' + "9" * 5000 + "}"), JSON, 422,
     ErrorKind.INVALID, "device.drops_per_mL"),
    ("measure", _measure(device='"device": {"drops_per_mL": ' + "1" * (MAX_DIGITS + 1) + "}"),
     JSON, 422, ErrorKind.INVALID, "device.drops_per_mL"),
    ("measure", b'{"dose": "4.5 mg"', JSON, 422, ErrorKind.INVALID, "body"),
    ("measure", b"", JSON, 422, ErrorKind.INVALID, "body"),
    ("measure", b"   ", None, 422, ErrorKind.INVALID, "body"),
    ("measure", b"\xef\xbb\xbf" + _measure(), JSON, 422, ErrorKind.INVALID, "body"),
    ("measure", b"[]", JSON, 422, ErrorKind.INVALID, "body"),
    ("measure", b'"4.5 mg"', JSON, 422, ErrorKind.INVALID, "body"),
    ("measure", b"null", JSON, 422, ErrorKind.INVALID, "body"),
    ("measure", _measure(), "text/plain", 422, ErrorKind.INVALID, "content-type"),
    ("measure", b"dose=4.5+mg", "application/x-www-form-urlencoded", 422, ErrorKind.INVALID,
     "content-type"),
    ("measure", _measure()[:-1] + b', "dose": "45 mg"}', JSON, 422, ErrorKind.INVALID, "dose"),
    ("schedule/titrate", f'{{{LADDER}, "name": "\\ud800"}}'.encode(), JSON, 422,
     ErrorKind.INVALID, "name"),
    ("measure", _measure(device='"device": {"drops_per_mL": 20.5}'), JSON, 422,
     ErrorKind.INVALID, "device.drops_per_mL"),
    ("measure", _measure(device='"device": {"drops_per_mL": [20]}'), JSON, 422,
     ErrorKind.INVALID, "device.drops_per_mL"),
    ("measure", _measure(stock='"stock": {"strength": "50 mg", "volume": "10 mL", '
                               '"count": "' + "1" * 300 + '"}'), JSON, 422, ErrorKind.INVALID,
     "stock.count"),
    ("measure", _measure(stock='"stock": {"drug": "50 mg", "volume": "10 mL", "count": 2}'),
     JSON, 422, ErrorKind.INVALID, "stock.count"),
    ("measure", _measure(device='"device": {"capacity": "1 mL", "max_drops": 5}'), JSON, 422,
     ErrorKind.INVALID, "device.max_drops"),
    ("measure", _measure(device='"device": {"drops_per_mL": 20, "graduation": "0.1 mL"}'), JSON,
     422, ErrorKind.INVALID, "device.graduation"),
    ("measure", _measure(device='"device": {}'), JSON, 422, ErrorKind.INVALID,
     "device.drops_per_mL"),
    ("dilution", b'{"dose": "1 mcg", "doses": ["2 mcg"]}', JSON, 422, ErrorKind.INVALID,
     "doses"),
    ("dilution", b"{}", JSON, 422, ErrorKind.INVALID, "dose"),
    ("schedule/preset", b'{"preset": "four-weekly", "name": "mine"}', JSON, 422,
     ErrorKind.INVALID, "name"),
    ("measure", b"{" + b" " * MAX_BODY + b"}", JSON, 413, ErrorKind.INVALID, "body"),
]


@pytest.fixture(scope="module")
def client() -> TestClient:
    """One app for the module, whose server errors come back as responses, not raised."""
    return TestClient(create_app(), raise_server_exceptions=False)


@pytest.mark.parametrize(("endpoint", "raw", "content_type", "status", "kind", "field"), BAD)
def test_bad_body_is_the_library_error(client, endpoint, raw, content_type, status, kind,
                                       field):
    """Each bad body: its status, the library's kind and fields, the field it names."""
    headers = {} if content_type is None else {"content-type": content_type}
    r = client.post(f"/api/{endpoint}", content=raw, headers=headers)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"
    got = json.loads(r.text)  # strict JSON: no NaN or Infinity in the answer either
    assert (got["kind"], got["field"]) == (kind.value, field)
    assert got["message"].startswith(got["parameter"] + ": expected " + got["expected"])
    assert got["parameter"] == next(p for p in reversed(field.split(".")) if not p.isdigit())


def test_a_streamed_body_over_the_limit_is_413(client):
    """A chunked body (no Content-Length) is refused once it passes MAX_BODY: 413, not 400."""
    chunks = iter([b'{"dose": "', b" " * MAX_BODY, b'"}'])
    r = client.post("/api/measure", content=chunks, headers={"content-type": JSON})
    assert r.status_code == 413 and r.json()["parameter"] == "body"


def test_a_streamed_body_under_the_limit_is_read_whole(client):
    """A chunked body within the limit is the same request as the body sent at once."""
    whole = _measure()
    r = client.post("/api/measure", content=iter([whole[:7], whole[7:]]),
                    headers={"content-type": JSON})
    assert r.status_code == 200
    assert r.json() == client.post("/api/measure", content=whole,
                                   headers={"content-type": JSON}).json()


def test_every_status_is_in_the_openapi_document(client):
    """Every operation lists 413 and 422 (the library's error) beside its 200, and no more."""
    doc = client.get("/openapi.json").json()
    operations = [(path, method, op) for path, item in doc["paths"].items()
                  for method, op in item.items()]
    assert {f"/api/{endpoint}" for endpoint, *_ in BAD} <= {path for path, *_ in operations}
    for path, method, op in operations:
        want = {"200", "413", "422"} if method == "post" else {"200", "413"}
        assert set(op["responses"]) == want, (path, method)
        for status in want - {"200"}:
            assert op["responses"][status]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/LibraryError"}


def test_unknown_path_and_method_answer_in_the_library_shape(client):
    """No route or the wrong method: 404 / 405 with kind and message, not FastAPI's detail."""
    r = client.get("/api/nowhere")
    assert r.status_code == 404 and r.json()["field"] == "path"
    r = client.get("/api/measure")
    assert r.status_code == 405 and r.json()["field"] == "method"
    assert r.json()["expected"] == "one of POST" and r.headers["allow"] == "POST"


def test_a_form_with_too_many_fields_is_refused_on_the_page(client):
    """The page's form endpoint: 65 fields is 422 with the error shown, not a 500."""
    r = client.post("/form/measure", content="&".join(f"f{i}=1" for i in range(65)),
                    headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 422 and "at most 64 fields" in r.text


def _document_accepts(doc: dict, component: str, body: dict) -> bool:
    import jsonschema

    schema = {"$ref": f"#/components/schemas/{component}", "components": doc["components"]}
    return jsonschema.Draft202012Validator(schema).is_valid(body)


M = {"dose": "4.5 mg", "stock": {"strength": "50 mg", "volume": "10 mL"}}
#: (endpoint, component, body): a cross-field rule the service checks, one body each side
RULES = [
    ("measure", "MeasureIn", {**M, "device": {"drops_per_mL": 20}}),
    ("measure", "MeasureIn", {**M, "device": {"capacity": "5 mL"}}),
    ("measure", "MeasureIn", {**M, "device": {"capacity": "5 mL", "graduation": "0.1 mL"}}),
    ("measure", "MeasureIn", {**M, "device": {"drops_per_mL": 20, "capacity": "5 mL"}}),
    ("measure", "MeasureIn", {**M, "device": {}}),
    ("measure", "MeasureIn", {**M, "device": {"drops_per_mL": None, "capacity": None}}),
    ("measure", "MeasureIn", {**M, "device": {"drops_per_mL": 20, "graduation": "0.1 mL"}}),
    ("measure", "MeasureIn", {**M, "device": {"capacity": "5 mL", "max_drops": 9}}),
    ("measure", "MeasureIn", {**M, "device": {"capacity": "5 mL", "drops_per_mL": None}}),
    ("measure", "MeasureIn", {"dose": "4.5 mg", "stock": {"drug": "50 mg", "volume": "10 mL"},
                              "device": {"capacity": "5 mL"}}),
    ("measure", "MeasureIn", {"dose": "4.5 mg", "stock": {"volume": "10 mL"},
                              "device": {"capacity": "5 mL"}}),
    ("measure", "MeasureIn", {"dose": "4.5 mg", "device": {"capacity": "5 mL"},
                              "stock": {"drug": "50 mg", "strength": "50 mg",
                                        "volume": "10 mL"}}),
    ("measure", "MeasureIn", {"dose": "4.5 mg", "device": {"capacity": "5 mL"},
                              "stock": {"drug": "50 mg", "count": 1, "volume": "10 mL"}}),
    ("dilution", "DilutionIn", {"dose": "1 mcg"}),
    ("dilution", "DilutionIn", {"doses": ["1 mcg", "2 mcg"]}),
    ("dilution", "DilutionIn", {"dose": "1 mcg", "doses": ["2 mcg"]}),
    ("dilution", "DilutionIn", {"doses": []}),
    ("dilution", "DilutionIn", {"dose": None, "doses": None}),
]


@pytest.mark.parametrize(("endpoint", "component", "body"), RULES)
def test_the_document_states_the_rules_the_service_checks(client, endpoint, component, body):
    """A body the document refuses is refused (422, invalid); one it allows is not for its shape."""
    doc = client.get("/openapi.json").json()
    r = client.post(f"/api/{endpoint}", json=body)
    if _document_accepts(doc, component, body):
        assert r.status_code == 200, r.json()
    else:
        assert r.status_code == 422 and r.json()["kind"] == ErrorKind.INVALID.value


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**MAX_DIGITS + 1, 10**MAX_DIGITS - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=200)
@given(JSON_VALUES)
def test_read_json_reads_what_json_writes(value):
    """Any JSON of finite numbers and Unicode text reads back equal (no rounding, no loss)."""
    assert read_json(json.dumps(value).encode(), JSON) == value


@settings(max_examples=300)
@given(st.binary(max_size=200) | st.text(alphabet="[]{}\",:0123456789.eE+-NaInfityul ")
       .map(str.encode))
def test_read_json_refuses_with_the_library_error_only(raw):
    """Any bytes: a value, or UnreadableBody carrying an InputError; never another exception."""
    try:
        read_json(raw, JSON)
    except UnreadableBody as exc:
        assert exc.error.kind is ErrorKind.INVALID
        assert str(exc.error).startswith(exc.error.parameter + ": expected ")
        assert exc.field == "body" or exc.field.split(".")[0].isdigit()  # top level: a list


@pytest.mark.parametrize(("value", "shown"), [
    (float("nan"), "NaN"), (float("inf"), "Infinity"), (float("-inf"), "-Infinity"),
    (2**60, str(2**60)), (0.5, 0.5), (20, 20),
])
def test_an_error_body_is_always_json(value, shown):
    """A value JSON cannot carry is quoted as text in the 422; others are kept as numbers."""
    from ldn_compound.errors import InputError
    from ldn_compound.serve._models import MeasureIn
    from ldn_compound.serve._service import error_body

    body = error_body(InputError("drops_per_mL", value, "a count"), MeasureIn)
    assert json.loads(json.dumps(body, allow_nan=False))["value"] == shown
    assert body["field"] == "device.drops_per_mL"


def test_every_documented_example_is_answered(client):
    """Each request example the document gives is a 200 with an unflagged result."""
    doc = client.get("/openapi.json").json()
    seen = 0
    for path, item in doc["paths"].items():
        if "post" not in item:
            continue
        ref = item["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        examples = doc["components"]["schemas"][ref.rsplit("/", 1)[1]]["examples"]
        for example in examples:
            r = client.post(path, json=example)
            assert r.status_code == 200, (path, r.json())
            assert r.json().get("schedule", r.json()).get("ok", True) is True, path
            seen += 1
    assert seen >= len(doc["paths"]) - 1  # every POST operation has one
