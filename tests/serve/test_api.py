"""The JSON service through FastAPI's test client: every endpoint, every error kind."""

from __future__ import annotations

import pytest

from fastapi.testclient import TestClient

from ldn_compound import (
    Dropper,
    ErrorKind,
    OralSyringe,
    Stock,
    measure,
    plan_dilution,
    plan_trituration,
    preset,
    taper,
    titrate,
)
from ldn_compound.serve import MAX_BODY, create_app

STOCK = {"strength": "50 mg", "volume": "10 mL"}
DROPPER = {"drops_per_mL": 20}
LADDER = {"start": "1.5 mg", "step": "0.5 mg", "target": "4.5 mg", "every": "2 weeks",
          "stock": STOCK, "device": DROPPER}


@pytest.fixture(scope="module")
def client() -> TestClient:
    """One app for the module: it holds no state."""
    return TestClient(create_app())


def _stock() -> Stock:
    return Stock.from_tablets("50 mg", "10 mL")


def test_measure_returns_the_measurement_record(client):
    """The 18-drop example (README worked example): the record is Measurement.to_dict()."""
    r = client.post("/api/measure", json={"dose": "4.5 mg", "stock": STOCK, "device": DROPPER})
    assert r.status_code == 200
    assert r.json() == measure("4.5 mg", _stock(), Dropper(drops_per_mL=20)).to_dict()
    assert (r.json()["count"], r.json()["unit"]) == (18, "drops")


def test_measure_with_a_syringe_and_options(client):
    """A syringe, rounding and allow_high_dose reach the library by their own names."""
    body = {"dose": "45 mg", "stock": {"drug": "100 mg", "volume": "10 mL"},
            "device": {"capacity": "5 mL"}, "rounding": "down", "allow_high_dose": True}
    r = client.post("/api/measure", json=body)
    want = measure("45 mg", Stock(drug="100 mg", volume="10 mL"), OralSyringe("5 mL"),
                   rounding="down", allow_high_dose=True)
    assert r.status_code == 200 and r.json() == want.to_dict()


@pytest.mark.parametrize(("ladder", "extra", "build"), [
    ("titrate", {}, lambda: titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks", _stock(),
                                    Dropper())),
    ("taper", {"start": "4.5 mg", "reduction": "10 %", "every": "1 week", "floor": "1 mg"},
     lambda: taper("4.5 mg", "10 %", "1 week", _stock(), Dropper(), "1 mg")),
    ("drops", {"max_drops": 6}, lambda: __import__("ldn_compound").Schedule.from_drops(
        _stock(), Dropper(), 1, 1, 6, "7 days")),
    ("preset", {"preset": "four-weekly"}, lambda: preset("four-weekly")),
])
def test_schedule_endpoints_return_schedule_and_supply(client, ladder, extra, build):
    """Each ladder endpoint returns the schedule's record and, asked, its supply's; a
    flagged schedule's supply is refused (the library's error) unless allow_flagged."""
    schedule = build()
    flagged = not schedule.ok  # the 10 % taper over-cuts near its floor
    supply = {"preparation": "aqueous", "allow_flagged": flagged}
    body = {**{k: v for k, v in LADDER.items() if ladder == "titrate" or k in
               ("stock", "device")}, **extra, "supply": supply}
    if ladder == "drops":
        body.pop("device")
    if ladder == "preset":
        body = {"preset": "four-weekly", "supply": {"allow_flagged": flagged}}
    r = client.post(f"/api/schedule/{ladder}", json=body)
    assert r.status_code == 200, r.json()
    assert r.json() == {"schedule": schedule.to_dict(),
                        "supply": schedule.supply(allow_flagged=flagged).to_dict()}
    if flagged:
        body["supply"]["allow_flagged"] = False
        refused = client.post(f"/api/schedule/{ladder}", json=body)
        assert refused.status_code == 422 and refused.json()["kind"] == "unmeasurable"
        assert refused.json()["override"] == "allow_flagged"


def test_supply_reads_a_schedule_record(client):
    """/api/supply takes the schedule record a schedule endpoint returned."""
    made = client.post("/api/schedule/titrate", json=LADDER).json()
    assert made["supply"] is None
    r = client.post("/api/supply", json={"schedule": made["schedule"], "overage": "0.2"})
    want = titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks", _stock(), Dropper()).supply(
        overage="0.2")
    assert r.status_code == 200 and r.json() == want.to_dict()


def test_dilution_and_trituration(client):
    """The dilution and trituration endpoints return the plans' records."""
    r = client.post("/api/dilution", json={"dose": "1 mcg"})
    assert r.status_code == 200 and r.json() == plan_dilution("1 mcg").to_dict()
    r = client.post("/api/trituration", json={"dose": "50 mcg", "capsules": 30})
    assert r.status_code == 200 and r.json() == plan_trituration("50 mcg", capsules=30).to_dict()


def test_presets_lists_the_ladders(client):
    """/api/presets names every published ladder."""
    names = [p["name"] for p in client.get("/api/presets").json()]
    assert names == list(__import__("ldn_compound").PRESETS)


MEASURE = {"stock": STOCK, "device": DROPPER}
#: (endpoint, body, status, kind, field): one bad request per error kind and shape
BAD = [
    ("measure", {**MEASURE, "dose": "4.5 mg%"}, 422, ErrorKind.UNIT, "dose"),
    ("measure", {**MEASURE, "dose": "4.5 mL"}, 422, ErrorKind.UNIT, "dose"),
    ("measure", {**MEASURE, "dose": "lots"}, 422, ErrorKind.INVALID, "dose"),
    ("measure", {**MEASURE, "dose": "-1 mg"}, 422, ErrorKind.OUT_OF_RANGE, "dose"),
    ("measure", {**MEASURE, "dose": "45 mg"}, 422, ErrorKind.DECIMAL_SLIP, "dose"),
    ("measure", {**MEASURE, "dose": "0.01 mg"}, 422, ErrorKind.BELOW_ONE_UNIT, None),
    ("measure", {**MEASURE, "dose": "9 mg", "device": {"capacity": "1 mL"}}, 422,
     ErrorKind.OVER_CAPACITY, None),
    ("measure", {"dose": "40 mg", "stock": {"drug": "10 mg", "volume": "10 mL"},
                 "device": {"capacity": "10 mL"}}, 422, ErrorKind.BEYOND_STOCK, None),
    ("measure", {**MEASURE, "stock": {"strength": "50 mg", "volume": "ten"}, "dose": "1 mg"},
     422, ErrorKind.INVALID, "stock.volume"),
    ("measure", {**MEASURE, "device": {"drops_per_mL": 20, "capacity": "1 mL"},
                 "dose": "1 mg"}, 422, ErrorKind.INVALID, "device.capacity"),
    ("measure", {**MEASURE}, 422, ErrorKind.INVALID, "dose"),
    ("measure", {**MEASURE, "dose": "x" * 300}, 422, ErrorKind.INVALID, "dose"),
    ("measure", {**MEASURE, "dose": "1 mg", "dosage": "1 mg"}, 422, ErrorKind.INVALID,
     "dosage"),
    ("measure", {**MEASURE, "dose": "1 mg", "rounding": "sideways"}, 422, ErrorKind.INVALID,
     "rounding"),
    ("schedule/titrate", {**LADDER, "every": "2 kg"}, 422, ErrorKind.UNIT, "every"),
    ("schedule/taper", {**{k: LADDER[k] for k in ("stock", "device", "every")},
                        "start": "4.5 mg", "reduction": "150 %", "floor": "1 mg"}, 422,
     ErrorKind.OUT_OF_RANGE, "reduction"),
    ("schedule/preset", {"preset": "no-such"}, 422, ErrorKind.INVALID, "preset"),
    ("schedule/titrate", {**LADDER, "supply": {"bud": "3 parsecs"}}, 422, None, "supply.bud"),
    ("supply", {"schedule": {"plan": []}}, 422, ErrorKind.INVALID, "schedule"),
    ("dilution", {"dose": "1 mcg", "max_volume": "1 mL"}, 422, ErrorKind.INVALID,
     "max_volume"),
    ("trituration", {"dose": "5 mg", "fill": "1 mg"}, 422, ErrorKind.NO_PLAN, None),
    ("dilution", {"doses": ["1 mcg"] * 61}, 422, ErrorKind.INVALID, "doses"),
    ("trituration", {"dose": "50 mcg", "capsules": 0}, 422, None, "capsules"),
]


@pytest.mark.parametrize(("endpoint", "body", "status", "kind", "field"), BAD)
def test_bad_input_is_422_with_the_library_error(client, endpoint, body, status, kind, field):
    """Bad input: 422, the error's kind and fields, and the message the library gives."""
    r = client.post(f"/api/{endpoint}", json=body)
    assert r.status_code == status, r.json()
    got = r.json()
    if kind is not None:
        assert got["kind"] == kind.value
    assert set(got) >= {"kind", "message"}
    if field is not None:
        assert got["field"] == field
        assert {"parameter", "value", "expected"} <= set(got)
        assert got["message"].startswith(got["parameter"] + ": expected ")


def test_error_message_is_the_library_message(client):
    """The 422 message is str(exc) of the error the Python call raises."""
    r = client.post("/api/measure", json={**MEASURE, "dose": "4.5 mg%"})
    with pytest.raises(ValueError) as raised:
        measure("4.5 mg%", _stock(), Dropper())
    exc = raised.value
    assert r.json()["message"] == str(exc)
    assert (r.json()["parameter"], r.json()["value"], r.json()["expected"]) == (
        exc.parameter, exc.value, exc.expected)  # type: ignore[attr-defined]


def test_unmeasurable_error_carries_its_fields(client):
    """An unmeasurable dose: target, reason, suggestion and the exact suggested strength."""
    got = client.post("/api/measure", json={**MEASURE, "dose": "0.01 mg"}).json()
    assert got["target"] == "10 mcg" and got["suggestion"].startswith("Would work")
    assert got["suggested_mg_per_ml"] == "0.02"


def test_body_over_the_limit_is_refused(client):
    """A body over MAX_BODY bytes is 413 before it is parsed."""
    r = client.post("/api/measure", content=b"{" + b" " * MAX_BODY + b"}",
                    headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["parameter"] == "body"


def test_cors_is_off_unless_an_origin_is_given(client):
    """No CORS headers by default; the configured origin only when given."""
    pre = {"origin": "https://pharmacy.example", "access-control-request-method": "POST"}
    assert "access-control-allow-origin" not in client.options("/api/measure",
                                                               headers=pre).headers
    allowed = TestClient(create_app(cors_origins=["https://pharmacy.example"]))
    r = allowed.options("/api/measure", headers=pre)
    assert r.headers["access-control-allow-origin"] == "https://pharmacy.example"


def test_records_carry_their_schema_field(client):
    """Every record names its schema (issue 12's versioned records)."""
    got = client.post("/api/measure", json={**MEASURE, "dose": "4.5 mg"}).json()
    assert got["schema"].startswith("ldn_compound/measurement@")


def test_records_validate_against_their_schemas(client):
    """Each response validates against the record schema the OpenAPI document names."""
    import jsonschema

    from ldn_compound import records

    got = client.post("/api/measure", json={**MEASURE, "dose": "4.5 mg"}).json()
    jsonschema.validate(got, records.schema("measurement"))
    doc = client.get("/openapi.json").json()
    component = doc["components"]["schemas"]["Measurement"]
    assert component["properties"]["target_exact"] == {"$ref": "#/components/schemas/RecordExact"}


def test_openapi_document_validates_and_names_every_record():
    """The OpenAPI document is valid and references every record schema."""
    from openapi_spec_validator import validate

    from ldn_compound import records
    from ldn_compound.serve._records import RECORDS

    doc = TestClient(create_app()).get("/openapi.json").json()
    validate(doc)
    assert set(RECORDS) <= set(doc["components"]["schemas"])
    assert sorted(RECORDS.values()) == sorted(records.NAMES)  # every shipped record schema
    text = str(doc["paths"]) + str(doc["components"]["schemas"])
    for name in ("Measurement", "Schedule", "Supply", "DilutionPlan", "TriturationPlan",
                 "Stock", "Dropper", "OralSyringe", "Step", "Batch", "DilutionStep"):
        assert f"#/components/schemas/{name}" in text, name  # served, or nested in one
    assert "MeasureIn" in doc["components"]["schemas"]


def test_page_loads_nothing_from_elsewhere(client):
    """The page and its assets name no other host: it works with no internet."""
    import re

    texts = [client.get(p).text for p in ("/", "/static/page.css", "/static/page.js")]
    for text in texts:
        assert not re.search(r"(src|href)=['\"]?(https?:)?//", text)
        assert "url(" not in text and "@import" not in text
    assert "default-src 'self'" in client.get("/").headers["content-security-policy"]


@pytest.mark.parametrize(("form", "values", "field"), [
    ("measure", {"dose": "4.5 mg", "volume": "ten"}, "m-volume"),
    ("schedule", {"ladder": "taper", "reduction": "150 %"}, "s-reduction"),
    ("dilution", {"dose": "1 mcg", "max_volume": "1 mL"}, "d-max_volume"),
])
def test_form_error_is_shown_beside_its_field(client, form, values, field):
    """Without JavaScript: a posted form's error sits beside the input it names."""
    from ldn_compound.serve._forms import FORMS

    posted = {f.name: f.default for f in FORMS[form].fields} | values
    r = client.post(f"/form/{form}", data=posted)
    assert r.status_code == 422
    assert f"id='{field}-error' role='alert'" in r.text
    assert f"id='{field}' name=" in r.text and "aria-invalid='true'" in r.text
