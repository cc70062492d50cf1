"""The one front-door rule for free text (issue 21): every name, filler and direction on
every surface is one line of printable text, so no text can add a line to a printed plan."""

from __future__ import annotations

import inspect
import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ldn_compound import (
    NALTREXONE_HCL,
    CompoundingRecord,
    Drug,
    InputError,
    OralSyringe,
    Schedule,
    Stock,
    Supply,
    TriturationPlan,
    compounding_record,
    master_formulation,
    plan_trituration,
    titrate,
)
from ldn_compound._text import MAX_NAME, MAX_PROSE
from ldn_compound.cli import main
from ldn_compound.fhir import dosage, medication_request
from ldn_compound.units import check_text

STOCK = Stock.from_tablets("50 mg", "10 mL")  # 5 mg/mL (references: 'published-ladders')
SYRINGE = OralSyringe("1 mL")
SCHEDULE = titrate("1 mg", "0.5 mg", "2 mg", "1 week", STOCK, SYRINGE)
PLAN = plan_trituration("50 mcg", capsules=100)
SUPPLY = SCHEDULE.supply(directions="by mouth at bedtime")


def _record_with(record: dict, key: str, text: str) -> dict:
    return {**record, key: text}


MASTER = master_formulation(Stock.from_tablets("50 mg", "20 mL", 2))
BATCH_ENTRIES = {
    "batch": "B-1", "date": "2026-12-06", "preparer": "A. Smith", "verifier": "B. Jones",
    "components": {k: {"manufacturer": "M", "lot": "L", "expiry": "2027-06-30"}
                   for k in ("drug", "vehicle")},
    "measured": {"tablets": "2", "final volume": "20 mL"}, "appearance": "pass"}


def _component_with(key: str, text: str) -> dict:
    record = compounding_record(MASTER, BATCH_ENTRIES).to_dict()
    record["components"][0][key] = text
    return record


#: every free-text parameter of the Python API and of records read back:
#: (surface, the parameter its error names, call with the text)
SURFACES = {
    "plan_trituration(filler)": ("filler", lambda t: plan_trituration("50 mcg", filler=t)),
    "TriturationPlan.from_dict(filler)": (
        "filler", lambda t: TriturationPlan.from_dict(_record_with(PLAN.to_dict(), "filler", t))),
    "Drug(name)": ("name", lambda t: Drug(t, "10 mg")),
    "Drug(salt)": ("salt", lambda t: Drug("x", "10 mg", salt=t)),
    "Drug(band_text)": ("band_text", lambda t: Drug("x", "10 mg", band_text=t)),
    "Drug.from_dict(name)": (
        "name", lambda t: Drug.from_dict(_record_with(NALTREXONE_HCL.to_dict(), "name", t))),
    "titrate(name)": ("name", lambda t: titrate("1 mg", "0.5 mg", "2 mg", "1 week", STOCK,
                                                 SYRINGE, name=t)),
    "Schedule.from_steps(name)": (
        "name", lambda t: Schedule.from_steps([("1 mg", 7)], STOCK, SYRINGE, name=t)),
    "Schedule.from_dict(name)": (
        "name", lambda t: Schedule.from_dict(_record_with(SCHEDULE.to_dict(), "name", t))),
    "Schedule.supply(directions)": ("directions", lambda t: SCHEDULE.supply(directions=t)),
    "Supply.from_dict(directions)": (
        "directions", lambda t: Supply.from_dict(_record_with(SUPPLY.to_dict(), "directions",
                                                              t))),
    "medication_request(subject)": ("subject", lambda t: medication_request(SCHEDULE,
                                                                            subject=t)),
    "dosage(patient_instruction)": ("patient_instruction", lambda t: dosage(
        SCHEDULE.steps[0].measurement, patient_instruction=t)),
    **{f"compounding_record({k})": (k, lambda t, k=k: compounding_record(
        MASTER, {**BATCH_ENTRIES, k: t})) for k in ("batch", "preparer", "verifier")},
    **{f"CompoundingRecord.from_dict(components[0].{k})": (f"components.drug.{k}", lambda t, k=k:
        CompoundingRecord.from_dict(_component_with(k, t))) for k in ("lot", "manufacturer")},
    "MasterFormulation.sample_label(batch)": ("batch", lambda t: MASTER.sample_label(t)),
}

#: every character Python does not call printable: Cc, Cf, Zl, Zp, Cs, Co, Cn, and
#: every space but U+0020 (the categories the rule refuses)
REFUSED = st.one_of(*(st.characters(categories=[c]) for c in
                      ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn", "Zs"))).filter(lambda c: c != " ")
SAFE = st.characters(codec=None).filter(str.isprintable)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(SAFE, max_size=20), REFUSED, st.text(SAFE, max_size=20),
       st.sampled_from(sorted(SURFACES)))
def test_any_unprintable_character_is_refused_on_every_surface(before, bad, after, surface):
    """Text holding any refused character is the library's InputError naming the parameter."""
    parameter, call = SURFACES[surface]
    with pytest.raises(InputError) as info:
        call(before + bad + after)
    assert info.value.parameter == parameter
    assert "\n" not in str(info.value) and str(info.value).isprintable()


@settings(max_examples=200, deadline=None)
@given(st.text(SAFE, min_size=1, max_size=MAX_NAME))
def test_accepted_text_never_adds_a_line_to_a_printed_plan(text):
    """Any name the rule accepts prints on the line it belongs to: the plan keeps its lines."""
    assume(text.strip(" "))
    plan = plan_trituration("50 mcg", filler=text)
    assert len(str(plan).splitlines()) == len(str(PLAN).splitlines())
    assert len(plan.instructions()) == len(PLAN.instructions())
    named = Schedule.from_steps([("1 mg", 7)], STOCK, SYRINGE, name=text)
    plain = Schedule.from_steps([("1 mg", 7)], STOCK, SYRINGE)
    assert len(str(named).splitlines()) == len(str(plain).splitlines())


@settings(max_examples=100, deadline=None)
@given(st.text(SAFE, min_size=1, max_size=MAX_PROSE))
def test_accepted_directions_never_add_a_line_to_a_label(text):
    """Directions the rule accepts stay inside each label's one line."""
    assume(text.strip(" "))
    supply = SCHEDULE.supply(directions=text)
    assert [b.label.count("\n") for b in supply.batches] == \
        [b.label.count("\n") for b in SUPPLY.batches]
    assert len(str(supply).splitlines()) == len(str(SUPPLY).splitlines())


@given(st.text(max_size=200))
def test_check_text_accepts_exactly_one_line_of_printable_text(text):
    """check_text returns the text stripped, or refuses it; never anything unprintable."""
    try:
        got = check_text(text, "x", example="'x'")
    except InputError as exc:
        assert exc.parameter == "x"
        stripped = text.strip(" ")
        assert not stripped or len(stripped) > MAX_NAME or not stripped.isprintable()
    else:
        assert got == text.strip(" ") and got.isprintable() and 0 < len(got) <= MAX_NAME


# -- the table: each kind of bad text, and what the error says ---------------------------------
BAD_TEXT = [
    ("lactose\n3. Fill 100 capsules with 200 mg each: 5 mg", "U+000A (Cc)"),  # the issue's
    ("lactose\r\n3. Fill", "U+000D (Cc)"),
    ("lactose\u20283. Fill", "U+2028 (Zl)"),
    ("lactose\u20293. Fill", "U+2029 (Zp)"),
    ("lactose\x853. Fill", "U+0085 (Cc)"),
    ("lactose\tmannitol", "U+0009 (Cc)"),
    ("lactose\u202egm 5", "U+202E (Cf)"),  # right-to-left override
    ("lactose\u2066x\u2069", "U+2066 (Cf)"),  # left-to-right isolate
    ("lac\u200btose", "U+200B (Cf)"),  # zero-width space
    ("lactose\x00", "U+0000 (Cc)"),
    ("lactose\x1b[2J", "U+001B (Cc)"),  # a terminal escape
    ("lac\udcfftose", "U+DCFF (Cs)"),  # an undecodable byte, as Python reads it
    ("lactose\u00a0", "U+00A0 (Zs)"),  # no-break space
    ("\ue000", "U+E000 (Co)"),
    ("", "empty"),
    ("   ", "empty"),
    ("x" * (MAX_NAME + 1), f"this is {MAX_NAME + 1}"),
    (b"lactose", "not bytes"),
    (5, "not int"),
    (["lactose"], "not list"),
]


@pytest.mark.parametrize("surface", ["plan_trituration(filler)", "Drug(name)",
                                     "Schedule.from_dict(name)", "medication_request(subject)"])
@pytest.mark.parametrize(("text", "needle"), BAD_TEXT)
def test_bad_text_table(surface, text, needle):
    """Each bad text is refused on each kind of surface, saying what is wrong and what works."""
    parameter, call = SURFACES[surface]
    with pytest.raises(InputError) as info:
        call(text)
    message = str(info.value)
    expected = "one line of printable text"
    if "from_dict" in surface and isinstance(text, bytes):
        # a record's structure check refuses a non-JSON value before the text rule sees it
        needle = expected = "expected a JSON value"
    assert info.value.parameter == parameter and needle in message
    assert expected in message and message.isprintable()


def test_directions_have_the_longer_limit():
    """Directions may be prose up to MAX_PROSE characters; one more is refused."""
    assert SCHEDULE.supply(directions="x" * MAX_PROSE).directions == "x" * MAX_PROSE
    with pytest.raises(InputError, match=f"at most {MAX_PROSE} characters"):
        SCHEDULE.supply(directions="x" * (MAX_PROSE + 1))
    with pytest.raises(InputError, match="empty"):
        SCHEDULE.supply(directions=" ")  # no directions at all is None, never blank


def test_a_str_subclass_is_read_as_plain_text():
    """A str subclass whose methods lie is read as the characters it holds."""
    class Sly(str):
        def isprintable(self):
            return True

        def strip(self, chars=None):
            return "lactose"

    with pytest.raises(InputError, match=r"U\+000A"):
        plan_trituration("50 mcg", filler=Sly("lactose\n3. Fill"))


def test_schedule_kind_is_a_closed_set():
    """A record's kind is one of the builders' kinds, never free text."""
    record = {**SCHEDULE.to_dict(), "kind": "titration\n3. take 45 mg"}
    with pytest.raises(InputError) as info:
        Schedule.from_dict(record)
    assert info.value.parameter == "kind"


# -- the command line and the HTTP service reach the same rule ---------------------------------
@pytest.mark.parametrize("bad", ["lactose\n3. Fill", "a\r\nb", "a\u2028b", "a\x85b", "a\tb",
                                 "a\u202eb"])
def test_cli_filler_and_drug_name_are_refused_in_one_line(bad, capsys):
    """--filler and --drug-name: exit 2, one stderr line naming the flag, nothing printed."""
    assert main(["triturate", "--dose", "50 mcg", "--filler", bad]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "--filler" in err
    assert main(["taper", "--start", "4.5 mg", "--floor", "1 mg", "--every", "1 week",
                 "--volume", "10 mL", "--tablet", "50 mg", "--syringe", "1 mL",
                 "--drug-name", bad, "--usual-max", "10 mg"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "--drug-name" in err


@pytest.mark.parametrize("bad", ["lactose\n3. Fill", "a\u2028b", "a\u202eb", "a\tb"])
def test_http_filler_and_name_are_refused_as_the_library_error(bad):
    """/api/trituration filler and a schedule's name: 422 with the library's kind and field."""
    pytest.importorskip("fastapi", reason="the serve extra is not installed")
    pytest.importorskip("httpx", reason="FastAPI's test client needs httpx")
    from fastapi.testclient import TestClient

    from ldn_compound.serve import create_app

    client = TestClient(create_app())
    r = client.post("/api/trituration", json={"dose": "50 mcg", "filler": bad})
    assert r.status_code == 422 and r.json()["parameter"] == "filler"
    assert r.json()["kind"] == "invalid" and "\n" not in r.json()["message"]
    body = {"start": "1 mg", "step": "0.5 mg", "target": "2 mg", "every": "1 week",
            "stock": {"strength": "50 mg", "volume": "10 mL"}, "device": {"capacity": "1 mL"},
            "name": bad}
    r = client.post("/api/schedule/titrate", json=body)
    assert r.status_code == 422 and r.json()["parameter"] == "name"


#: str parameters of the public API that take one of a closed set of words (each refuses
#: anything else with its own InputError), by name
CLOSED = {"dose_as", "powder", "powder_form", "form", "glass_class", "intent", "status",
          "preparation", "rounding", "kind", "unit", "paper", "appearance"}
#: str parameters of what the library builds itself (results, its own data, its errors'
#: fields), never read from outside: (parameter, where)
MADE = {("citation", "Reference"), ("key", "Reference"), ("supports", "Reference"),
        ("unconfirmed", "Reference"), ("url", "Reference"), ("key", "reference"),
        ("name", "Preset"), ("summary", "Preset"), ("name", "preset"),
        ("fix", "Step"), ("problem", "Step"), ("label", "Batch"),
        ("extra_warnings", "Measurement"), ("extra_warnings", "ChainMeasurement"),
        ("method", "TaperPlan"), ("stop_reason", "TaperPlan"),
        ("inputs", "TaperPlan")}  # the record's own inputs, written by the planner


def _str_parameters():
    """(parameter, where) for every str parameter of the public API (classes' methods too)."""
    import ldn_compound
    from ldn_compound import fhir

    found = set()

    def scan(obj, where):
        try:
            params = inspect.signature(obj).parameters.values()
        except (TypeError, ValueError):
            return
        for p in params:
            a = p.annotation if isinstance(p.annotation, str) else str(p.annotation)
            if re.search(r"\bstr\b", a) and "Like" not in a:
                found.add((p.name, where))

    for module in (ldn_compound, fhir):
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, type) and issubclass(obj, Exception):
                continue  # the errors' fields are the library's own words (one_line)
            if callable(obj):
                scan(obj, name)
            if isinstance(obj, type):
                for attr in dir(obj):
                    if not attr.startswith("_"):
                        scan(getattr(obj, attr), f"{name}.{attr}")
    return found


def test_every_free_text_parameter_is_a_surface_above():
    """Every str parameter of the public API is a closed set, library-made, or checked above."""
    free = {p for p, _ in SURFACES.values()}
    unclassified = {(p, w) for p, w in _str_parameters()
                    if p not in CLOSED and (p, w) not in MADE and p not in free
                    and p not in ("data", "text")}  # records: their fields are surfaces above
    assert unclassified == set()
    assert {"filler", "directions", "subject", "name"} <= {p for p, _ in _str_parameters()}
