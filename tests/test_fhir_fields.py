"""FHIR R4 Dosage fields, key by key: a FHIR reader depends on the exact keys, codes and
numbers, so each is checked against the FHIR R4 specification, never against the
library's own constants.

Sources: FHIR R4 Dosage and Timing (hl7.org/fhir/R4/dosage.html, datatypes.html#Timing),
the DoseAndRateType code system (hl7.org/fhir/R4/codesystem-dose-rate-type.html:
"ordered", "calculated"), the SNOMED CT route codes value set (26643006 "Oral route"),
UCUM (unitsofmeasure.org: "mg", "ug", "mL", "d"). Worked doses: the 18-drop ladder
(references: 'published-ladders'): 50 mg in 10 mL is 5 mg/mL, 20 drops per mL.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from fractions import Fraction

from fhir.resources.R4B.dosage import Dosage
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ldn_compound import Dropper, OralSyringe, Schedule, Stock, measure
from ldn_compound.fhir import dosage, mass_quantity, schedule_dosages, supply_dosages

FEW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
UCUM = "http://unitsofmeasure.org"
DOSE_RATE = "http://terminology.hl7.org/CodeSystem/dose-rate-type"
ORAL = {"coding": [{"system": "http://snomed.info/sct", "code": "26643006",
                    "display": "Oral route"}]}
STOCK = Stock.from_tablets("50 mg", "10 mL")  # 5 mg/mL


def _quantity(value: float, unit: str, code: str) -> dict:
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def _entry(code: str, quantity: dict) -> dict:
    """One doseAndRate entry typed with the DoseAndRateType code system."""
    return {"type": {"coding": [{"system": DOSE_RATE, "code": code,
                                 "display": code.capitalize()}]}, "doseQuantity": quantity}


def _valid(d: dict) -> dict:
    """``d`` after checking it parses as an R4 Dosage through JSON."""
    Dosage.model_validate(json.loads(json.dumps(d)))
    return d


def _frequency_words(n: int) -> str:
    return {1: "once a day", 2: "twice a day"}.get(n, f"{n} times a day")


def test_dosage_every_field_of_a_worked_dose() -> None:
    """4.5 mg from 5 mg/mL at 20 drops/mL is 18 drops, 0.9 mL: every key and code of
    the Dosage, with bounds from a start date and the bottle's words."""
    m = measure("4.5 mg", STOCK, Dropper())
    d = dosage(m, doses_per_day=3, sequence=4, days=10, start_date=dt.date(2026, 12, 30),
               patient_instruction="  Take 0.9 mL at bedtime.  ")
    assert _valid(d) == {
        "sequence": 4,
        "text": "4.5 mg: 18 drops (0.9 mL) 3 times a day",
        "patientInstruction": "Take 0.9 mL at bedtime.",
        "timing": {"repeat": {"boundsPeriod": {"start": "2026-12-30", "end": "2027-01-08"},
                              "frequency": 3, "period": 1, "periodUnit": "d"}},
        "route": ORAL,
        "doseAndRate": [_entry("ordered", _quantity(4.5, "mg", "mg")),
                        _entry("calculated", _quantity(0.9, "mL", "mL")),
                        _entry("calculated", _quantity(4.5, "mg", "mg"))],
    }


def test_dosage_defaults_have_no_sequence_bounds_or_instruction() -> None:
    """Without options: once a day, no sequence, no bounds, no patientInstruction; a dose
    one drop cannot hit says what it delivers (0.2 mg asked, 1 drop = 0.25 mg)."""
    m = measure("0.2 mg", STOCK, Dropper())
    assert _valid(dosage(m)) == {
        "text": "0.2 mg: 1 drop (0.05 mL) = 0.25 mg once a day",
        "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
        "route": ORAL,
        "doseAndRate": [_entry("ordered", _quantity(0.2, "mg", "mg")),
                        _entry("calculated", _quantity(0.05, "mL", "mL")),
                        _entry("calculated", _quantity(0.25, "mg", "mg"))],
    }


def test_micrograms_in_every_mass_entry() -> None:
    """50 mcg (0.1 mL of 0.5 mg/mL): both mass entries in UCUM ug, shown mcg; mL stays mL."""
    m = measure("50 mcg", Stock.from_tablets("50 mg", "100 mL"), OralSyringe(capacity="1 mL"))
    ordered, volume, delivered = (e["doseQuantity"] for e in _valid(dosage(m))["doseAndRate"])
    assert ordered == delivered == _quantity(50, "mcg", "ug")
    assert volume == _quantity(0.1, "mL", "mL")


@FEW
@given(st.integers(1, 800), st.one_of(st.none(), st.dates(dt.date(2000, 1, 1),
                                                           dt.date(2090, 1, 1))))
@example(1, None)
@example(1, dt.date(2026, 12, 31))
def test_bounds_cover_the_days(days: int, start: dt.date | None) -> None:
    """With a start date: boundsPeriod from it to start + days - 1 (both taken); without:
    boundsDuration of the days in UCUM 'd', unit 'day' for one day, else 'days'."""
    d = dosage(measure("1 mg", STOCK, Dropper()), days=days, start_date=start)
    repeat = _valid(d)["timing"]["repeat"]
    if start is None:
        assert "boundsPeriod" not in repeat
        assert repeat["boundsDuration"] == _quantity(days, "day" if days == 1 else "days", "d")
    else:
        assert "boundsDuration" not in repeat
        first, last = (dt.date.fromisoformat(repeat["boundsPeriod"][k]) for k in ("start", "end"))
        assert (first, (last - first).days + 1) == (start, days)


def test_a_start_date_without_days_has_no_bounds() -> None:
    """A start date alone bounds nothing (the days are what a period needs)."""
    d = dosage(measure("1 mg", STOCK, Dropper()), start_date=dt.date(2026, 11, 22))
    assert d["timing"]["repeat"] == {"frequency": 1, "period": 1, "periodUnit": "d"}


@FEW
@given(st.integers(1, 12))
@example(1)
@example(2)
@example(3)
def test_frequency_is_per_day_in_timing_and_words(n: int) -> None:
    """doses_per_day (1 to 12) is timing frequency per 1 d and the text's last words."""
    d = dosage(measure("1 mg", STOCK, Dropper()), doses_per_day=n)
    assert d["timing"]["repeat"] == {"frequency": n, "period": 1, "periodUnit": "d"}
    assert d["text"] == f"1 mg: 4 drops (0.2 mL) {_frequency_words(n)}"


@FEW
@given(st.fractions(min_value=Fraction(1, 10**4), max_value=1000))
@example(Fraction(1, 10))
@example(Fraction(99999, 10**6))
def test_mcg_below_a_tenth_of_a_mg(mg: Fraction) -> None:
    """Below 0.1 mg a mass is micrograms (UCUM ug, shown mcg), else mg; same amount."""
    q = mass_quantity(mg)
    if mg < Fraction(1, 10):
        assert (q["unit"], q["code"], q["system"]) == ("mcg", "ug", UCUM)
        exact = mg * 1000
    else:
        assert (q["unit"], q["code"], q["system"]) == ("mg", "mg", UCUM)
        exact = mg
    _check_written(Fraction(json.dumps(q["value"])), exact)


def _significant_digits(x: Fraction) -> int | None:
    """How many significant digits the decimal of ``x`` has; None if it repeats."""
    den = x.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    if den != 1:
        return None
    k = 0
    while (x * 10**k).denominator != 1:
        k += 1
    n = abs((x * 10**k).numerator)
    while n % 10 == 0:
        n //= 10
    return len(str(n))


def _rounded_to_ten(written: Fraction, exact: Fraction) -> bool:
    """``written`` is ``exact`` rounded to 10 significant digits (a tie either way)."""
    e = 0
    while 10**e > exact:
        e -= 1
    while 10 ** (e + 1) <= exact:
        e += 1
    half = Fraction(10) ** (e - 9) / 2
    digits = _significant_digits(written)
    return digits is not None and digits <= 10 and abs(written - exact) <= half * (1 + Fraction(
        1, 10**6))


def _check_written(written: Fraction, exact: Fraction) -> None:
    """The rule for a JSON number: the exact decimal when a float holds it (up to 15
    significant digits always), else (a repeating decimal, or 18 digits or more, which a
    float's shortest text never has) rounded to 10 significant digits."""
    digits = _significant_digits(exact)
    if digits is not None and digits <= 15:
        assert written == exact
    elif digits is None or digits >= 18:
        assert _rounded_to_ten(written, exact)
    else:
        assert written == exact or _rounded_to_ten(written, exact)


@FEW
@given(st.integers(1, 10**22), st.integers(0, 24))
@example(10**19 + 1, 20)  # 0.1 + 1e-20: no float holds it
@example(12345678901234567891, 20)  # 20 digits: rounded, never float noise
@example(123456789012, 12)  # 12 digits: a float holds them all
@example(1, 6)  # 1 mcg
def test_numbers_are_exact_or_ten_digits(n: int, places: int) -> None:
    """A terminating decimal dose is written exactly when a float holds it, else to 10
    significant digits, in mg or mcg alike."""
    mg = Fraction(n, 10**places)
    q = mass_quantity(mg)
    exact = mg * 1000 if q["code"] == "ug" else mg
    _check_written(Fraction(json.dumps(q["value"])), exact)


@FEW
@given(st.integers(1, 12), st.integers(2, 97))
@example(1, 6)
def test_repeating_volume_is_ten_digits(drops: int, ml: int) -> None:
    """A volume that repeats (n drops of a 50 mg tablet in a volume not of 2s and 5s) is
    rounded to 10 significant digits; the doses it holds likewise."""
    m = measure(f"{Fraction(50 * drops, 20 * ml)} mg", Stock.from_tablets("50 mg", f"{ml} mL"),
                Dropper())
    assert m.count == drops
    _, volume, delivered = (e["doseQuantity"] for e in dosage(m)["doseAndRate"])
    assert volume["code"] == "mL"
    _check_written(Fraction(json.dumps(volume["value"])), m.exact_volume)
    exact = m.exact_delivered * (1000 if delivered["code"] == "ug" else 1)
    _check_written(Fraction(json.dumps(delivered["value"])), exact)


_SPAN = st.lists(st.integers(1, 40), min_size=1, max_size=4)


@FEW
@given(_SPAN, st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2040, 1, 1))),
       st.integers(1, 4))
def test_schedule_steps_are_their_dosages(days: list[int], start: dt.date | None,
                                          per_day: int) -> None:
    """Each step is the Dosage of its measurement with its number, days, first date and
    doses a day; the steps' periods follow each other with no gap."""
    steps = [(f"{i * Fraction(1, 2)} mg", f"{n} days") for i, n in enumerate(days, 1)]
    s = Schedule.from_steps(steps, STOCK, Dropper(), doses_per_day=per_day, start_date=start)
    out = schedule_dosages(s)
    assert out == [dosage(step.measurement, doses_per_day=per_day, sequence=step.number,
                          days=step.days, start_date=step.start_date) for step in s.steps]
    assert [d["sequence"] for d in out] == list(range(1, len(days) + 1))
    if start is not None:
        ends = [start - dt.timedelta(days=1)] + [
            dt.date.fromisoformat(d["timing"]["repeat"]["boundsPeriod"]["end"]) for d in out]
        assert [(e - b).days for b, e in itertools.pairwise(ends)] == days


@FEW
@given(st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2040, 1, 1))),
       st.integers(1, 3), st.sampled_from([7, 10, 14]))
def test_supply_doses_are_dated_from_the_start(start: dt.date | None, per_day: int,
                                               bud: int) -> None:
    """A supply's Dosages: numbered 1.. in order, each dose's bottle label, doses a day of
    the schedule, first date = start + its first day (or its days as a duration)."""
    s = Schedule.from_steps([("0.5 mg", "2 weeks"), ("1 mg", "3 weeks")], STOCK, Dropper(),
                            doses_per_day=per_day, start_date=start)
    sup = s.supply(bud=bud)
    doses = [(b, first, days, m) for b in sup.batches for first, days, m in b.doses]
    out = supply_dosages(sup)
    assert len(out) == len(doses) > 1
    for n, (d, (batch, first, days, m)) in enumerate(zip(out, doses, strict=True), 1):
        date = None if start is None else start + dt.timedelta(days=first)
        assert _valid(d) == dosage(m, doses_per_day=per_day, sequence=n, days=days,
                                   start_date=date, patient_instruction=batch.label)
        assert d["patientInstruction"] == batch.label
        assert d["timing"]["repeat"]["frequency"] == per_day
        assert "additionalInstruction" not in d
        if start is not None:
            assert d["timing"]["repeat"]["boundsPeriod"]["start"] == date.isoformat()
