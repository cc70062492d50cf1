"""FHIR R4 MedicationRequest and the flagged-dose rule on every FHIR path: what is refused
(kind, parameter, value), what goes out marked, and the request's every key.

Sources: FHIR R4 MedicationRequest (hl7.org/fhir/R4/medicationrequest.html; status and
intent are required bindings: valueset-medicationrequest-status.html, -intent.html).
Worked doses: 50 mg in 10 mL is 5 mg/mL at 20 drops per mL, so 1 drop is 0.25 mg and
0.2 mg cannot be measured within +/-5 % (references: 'published-ladders').
"""

from __future__ import annotations

import json

import attrs
import pytest
from fhir.resources.R4B.medicationrequest import MedicationRequest

from ldn_compound import Dropper, ErrorKind, InputError, Schedule, Stock, Supply, measure
from ldn_compound.fhir import (
    dosage,
    measurement_dosage,
    medication_request,
    schedule_dosages,
    supply_dosages,
)

STOCK = Stock.from_tablets("50 mg", "10 mL")
FLAGGED = measure("0.2 mg", STOCK, Dropper())  # 1 drop = 0.25 mg: +25 %
OK = measure("4.5 mg", STOCK, Dropper())
NOTE = "Computed by ldn_compound, not prescribed: check every dose against the prescription."
PLACEHOLDER = {"display": "patient: to be filled in by the prescribing system"}


def _flagged_schedule(per_day: int = 1) -> Schedule:
    """Step 1 (0.2 mg) flagged, step 2 (0.5 mg) fine."""
    return Schedule.from_steps([("0.2 mg", "2 weeks"), ("0.5 mg", "2 weeks")], STOCK, Dropper(),
                               doses_per_day=per_day, start_date="2026-11-22")


def _ok_supply_with_a_flagged_bottle_dose() -> Supply:
    """A supply whose steps are all fine but whose first bottle measures 0.2 mg (a record
    edited by hand): the dose itself is flagged."""
    s = Schedule.from_steps([("0.5 mg", "2 weeks"), ("1 mg", "2 weeks")], STOCK, Dropper())
    sup = s.supply()
    first, days, _ = sup.batches[0].doses[0]
    bottle = attrs.evolve(sup.batches[0], doses=((first, days, FLAGGED),))
    return attrs.evolve(sup, batches=(bottle, *sup.batches[1:]))


def _assert_marked(d: dict, problem: str, fix: str) -> None:
    """The Dosage carries the verdict (its problem and its fix) as additionalInstruction."""
    [note] = d["additionalInstruction"]
    assert list(note) == ["text"] and problem in note["text"] and fix in note["text"]


def _assert_refused(info: pytest.ExceptionInfo, parameter: str, value: str, fix: str) -> None:
    e = info.value
    assert (e.kind, e.parameter, e.value, e.override) == (
        ErrorKind.UNMEASURABLE, parameter, value, "allow_flagged")
    assert fix.rstrip(".") in e.expected  # the fix is what the refusal offers


def test_flagged_measurement_refused_or_marked() -> None:
    """One flagged dose: refused by default naming it; allowed, exported with its verdict
    and its doses a day; a fine dose goes out unmarked."""
    with pytest.raises(InputError) as info:
        measurement_dosage(FLAGGED)
    _assert_refused(info, "measurement", f"0.2 mg: {FLAGGED.problem}", FLAGGED.fix)
    d = measurement_dosage(FLAGGED, doses_per_day=3, allow_flagged=True)
    _assert_marked(d, FLAGGED.problem, FLAGGED.fix)
    assert {k: v for k, v in d.items() if k != "additionalInstruction"} == dosage(
        FLAGGED, doses_per_day=3)
    assert measurement_dosage(OK) == dosage(OK)
    assert measurement_dosage(OK, doses_per_day=2) == dosage(OK, doses_per_day=2)


def test_flagged_schedule_step_refused_or_marked() -> None:
    """A flagged step: refused naming step and dose; allowed, only that step is marked."""
    s = _flagged_schedule()
    step = s.steps[0]
    with pytest.raises(InputError) as info:
        schedule_dosages(s)
    _assert_refused(info, "schedule", f"step 1 (0.2 mg): {step.problem}", step.fix)
    first, second = schedule_dosages(s, allow_flagged=True)
    _assert_marked(first, step.problem, step.fix)
    assert "additionalInstruction" not in second
    assert first["sequence"] == 1 and second["sequence"] == 2


def test_flagged_supply_step_refused_or_marked() -> None:
    """A supply of a flagged schedule is refused at the schedule's step; allowed, each dose
    of the flagged step is marked, and the doses a day carry through."""
    s = _flagged_schedule(per_day=2)
    step = s.steps[0]
    sup = s.supply(allow_flagged=True)
    with pytest.raises(InputError) as info:
        supply_dosages(sup)
    _assert_refused(info, "supply", f"step 1 (0.2 mg): {step.problem}", step.fix)
    out = supply_dosages(sup, allow_flagged=True)
    doses = [m for b in sup.batches for _, _, m in b.doses]
    assert len(out) == len(doses)
    for d, m in zip(out, doses, strict=True):
        assert d["timing"]["repeat"]["frequency"] == 2
        if m.ok:
            assert "additionalInstruction" not in d
        else:
            _assert_marked(d, m.problem, m.fix)
    assert any(not m.ok for m in doses) and any(m.ok for m in doses)


def test_flagged_bottle_dose_refused_or_marked() -> None:
    """A bottle's own flagged dose (its step fine) is refused naming bottle and dose, or
    exported marked."""
    sup = _ok_supply_with_a_flagged_bottle_dose()
    with pytest.raises(InputError) as info:
        supply_dosages(sup)
    _assert_refused(info, "supply", f"bottle 1, 0.2 mg: {FLAGGED.problem}", FLAGGED.fix)
    out = supply_dosages(sup, allow_flagged=True)
    _assert_marked(out[0], FLAGGED.problem, FLAGGED.fix)
    assert all("additionalInstruction" not in d for d in out[1:])


@pytest.mark.parametrize("call", [measurement_dosage, schedule_dosages, supply_dosages,
                                  medication_request])
@pytest.mark.parametrize("allow", [None, 1, "yes"])
def test_allow_flagged_must_be_a_bool(call, allow) -> None:
    """allow_flagged is True or False on every path, never a truthy stand-in."""
    source = {measurement_dosage: OK, medication_request: OK}.get(call)
    if source is None:
        s = Schedule.from_steps([("0.5 mg", "2 weeks")], STOCK, Dropper())
        source = s if call is schedule_dosages else s.supply()
    with pytest.raises(InputError) as info:
        call(source, allow_flagged=allow)
    assert (info.value.parameter, info.value.value) == ("allow_flagged", allow)


def _request(**kw: object) -> dict:
    r = medication_request(**kw)  # type: ignore[arg-type]
    MedicationRequest.model_validate(json.loads(json.dumps(r)))
    return r


def test_medication_request_every_key() -> None:
    """Defaults: a draft proposal for a subject to be filled in, the liquid named by its
    stock, the dose as its one Dosage, and the note that it is computed."""
    assert _request(source=OK) == {
        "resourceType": "MedicationRequest", "status": "draft", "intent": "proposal",
        "medicationCodeableConcept": {
            "text": "naltrexone hydrochloride oral liquid: 1 x 50 mg tablet in 10 mL (5 mg/mL)"},
        "subject": PLACEHOLDER, "dosageInstruction": [dosage(OK)], "note": [{"text": NOTE}],
    }


def test_medication_request_of_schedule_and_supply() -> None:
    """A schedule's or a supply's request carries all their Dosages and their stock; a
    subject reference is carried, stripped of outer spaces."""
    s = Schedule.from_steps([("0.5 mg", "2 weeks"), ("1 mg", "2 weeks")], STOCK, Dropper())
    for source, dosages in ((s, schedule_dosages(s)), (s.supply(), supply_dosages(s.supply()))):
        r = _request(source=source, status="active", intent="order", subject=" Patient/7 ")
        assert (r["status"], r["intent"], r["subject"]) == ("active", "order",
                                                            {"reference": "Patient/7"})
        assert r["dosageInstruction"] == dosages and len(dosages) > 1
        assert r["medicationCodeableConcept"]["text"].endswith(s.stock.describe())


def test_medication_request_flagged_refused_unless_allowed() -> None:
    """A flagged source is refused by default, and goes out marked when allowed."""
    with pytest.raises(InputError) as info:
        medication_request(FLAGGED)
    assert (info.value.kind, info.value.parameter) == (ErrorKind.UNMEASURABLE, "measurement")
    r = _request(source=FLAGGED, allow_flagged=True)
    _assert_marked(r["dosageInstruction"][0], FLAGGED.problem, FLAGGED.fix)


@pytest.mark.parametrize(("keyword", "value", "allowed"), [
    ("status", "final", "draft"), ("status", "DRAFT", "draft"), ("status", None, "draft"),
    ("intent", "prescription", "proposal"), ("intent", "Order", "proposal"),
    ("intent", 3, "proposal"),
])
def test_medication_request_refuses_outside_value_sets(keyword, value, allowed) -> None:
    """status and intent outside their R4 value sets: refused naming the keyword and the
    value as given, the allowed codes offered."""
    with pytest.raises(InputError) as info:
        medication_request(OK, **{keyword: value})
    e = info.value
    assert (e.kind, e.parameter, e.value) == (ErrorKind.INVALID, keyword, value)
    assert allowed in e.expected


@pytest.mark.parametrize("subject", ["Patient/1\nPatient/2", "", "   ", 123, "x" * 101])
def test_medication_request_refuses_bad_subject(subject: object) -> None:
    """A subject that is not one line of printable text is refused, naming it."""
    with pytest.raises(InputError) as info:
        medication_request(OK, subject=subject)  # type: ignore[arg-type]
    assert info.value.parameter == "subject"
    assert "'Patient/123'" in info.value.expected  # the example it offers


@pytest.mark.parametrize("words", ["Take\n0.9 mL", "", 7, "\u202eTake 0.9 mL", "x" * 200_001])
def test_dosage_refuses_bad_patient_instruction(words: object) -> None:
    """Words for the patient are one line of printable text (a label's length at most)."""
    with pytest.raises(InputError) as info:
        dosage(OK, patient_instruction=words)  # type: ignore[arg-type]
    assert info.value.parameter == "patient_instruction"
    assert "'Take 0.9 mL at bedtime.'" in info.value.expected  # the example it offers


def test_dosage_takes_a_long_label() -> None:
    """A bottle's label (longer than a name's 100 characters) is a patientInstruction."""
    words = "Shake well. " * 50
    assert dosage(OK, patient_instruction=words)["patientInstruction"] == words.strip()


@pytest.mark.parametrize(("per_day", "kind"), [
    (0, ErrorKind.OUT_OF_RANGE), (-1, ErrorKind.OUT_OF_RANGE), (13, ErrorKind.OUT_OF_RANGE),
    (1.5, ErrorKind.INVALID), (True, ErrorKind.INVALID), ("twice", ErrorKind.INVALID),
    (None, ErrorKind.INVALID),
])
def test_doses_per_day_is_one_to_twelve(per_day: object, kind: ErrorKind) -> None:
    """A Dosage's doses a day follow the schedule's rule (a whole number, 1 to 12) on every
    path: never "0 times a day" or a frequency of 1.5 (found by these tests: both were
    written before)."""
    for call in (dosage, measurement_dosage, lambda m, **kw: m.to_fhir(**kw)):
        with pytest.raises(InputError) as info:
            call(OK, doses_per_day=per_day)
        e = info.value
        assert (e.kind, e.parameter, e.value) == (kind, "doses_per_day", per_day)
    assert dosage(OK, doses_per_day=12)["timing"]["repeat"]["frequency"] == 12


@pytest.mark.parametrize(("kwargs", "parameter", "kind"), [
    ({"measurement": None}, "measurement", ErrorKind.INVALID),
    ({"measurement": OK.to_dict()}, "measurement", ErrorKind.INVALID),
    ({"days": 0}, "days", ErrorKind.OUT_OF_RANGE),
    ({"days": -3}, "days", ErrorKind.OUT_OF_RANGE),
    ({"days": 1.5}, "days", ErrorKind.INVALID),
    ({"days": "7"}, "days", None),  # text of a whole number is read; a bad one refused
    ({"days": 100_001}, "days", ErrorKind.OUT_OF_RANGE),
    ({"days": 10**30, "start_date": "2026-11-22"}, "days", ErrorKind.OUT_OF_RANGE),
    ({"days": 100_000, "start_date": "9999-12-01"}, "days", ErrorKind.OUT_OF_RANGE),
    ({"days": 7, "start_date": "22/11/2026"}, "start_date", ErrorKind.INVALID),
    ({"days": 7, "start_date": 20261122}, "start_date", ErrorKind.INVALID),
    ({"sequence": 0}, "sequence", ErrorKind.OUT_OF_RANGE),
    ({"sequence": True}, "sequence", ErrorKind.INVALID),
    ({"sequence": "first"}, "sequence", ErrorKind.INVALID),
    ({"doses_per_day": 13}, "doses_per_day", ErrorKind.OUT_OF_RANGE),
    ({"patient_instruction": "Take 1 mL.\nTake 10 mL."}, "patient_instruction",
     ErrorKind.INVALID),
])
def test_dosage_bad_inputs(kwargs, parameter, kind):
    """fhir.dosage refuses each bad argument as the library's own error, naming it and
    quoting the value (never a raw TypeError or OverflowError, never an end date before
    its start)."""
    call = {"measurement": OK, **kwargs}
    if kind is None:  # accepted: the text is read as the number it says
        assert dosage(**call)["timing"]["repeat"]["boundsDuration"]["value"] == 7
        return
    with pytest.raises(InputError) as info:
        dosage(**call)
    assert info.value.parameter == parameter and info.value.kind is kind
    assert info.value.value == call[parameter]


def test_dosage_takes_iso_text_for_its_start_date():
    """start_date as ISO text is the same day as the date (the schedules' rule)."""
    import datetime as dt

    assert dosage(OK, days=3, start_date="2026-11-22") == \
        dosage(OK, days=3, start_date=dt.date(2026, 11, 22))
