"""HL7 FHIR R4 export: doses as ``Dosage`` elements and a ``MedicationRequest`` skeleton.

Clinical systems exchange dosing as FHIR ``Dosage`` (R4, also valid R4B) with
UCUM units. This module writes a :class:`~ldn_compound.Measurement`, a
:class:`~ldn_compound.Schedule` (one ``Dosage`` per step) or a
:class:`~ldn_compound.Supply` (one per dose of each bottle) as plain JSON-ready
dicts; it needs no FHIR library and never talks to a FHIR server.

Each ``Dosage`` has:

- ``sequence``: the step's order (1 for the first step);
- ``text``: the dose and what to measure, safely written
  (``"4.5 mg: 18 drops (0.9 mL) once a day"``);
- ``timing.repeat``: the step's ``boundsPeriod`` (first and last date, when the
  schedule has a start date) or ``boundsDuration`` (days), and
  ``frequency``/``period``/``periodUnit`` from ``doses_per_day``;
- ``route``: oral (SNOMED CT 26643006);
- ``doseAndRate``: three entries in a fixed order, each typed with the FHIR
  DoseAndRateType code system: ``[0]`` the dose as ``ordered`` (the target),
  ``[1]`` the volume to measure as ``calculated`` (mL), ``[2]`` the dose that
  volume holds as ``calculated``. The measured volume is a second
  ``doseAndRate`` rather than an extension because ``doseAndRate`` repeats for
  exactly this (the same dose stated another way, typed ``calculated``), so
  any R4 reader understands it without a profile of ours.

Quantities use UCUM (``system`` ``http://unitsofmeasure.org``): mass in ``mg``,
or below 0.1 mg in micrograms, which UCUM codes ``ug`` while the display
``unit`` stays ``mcg`` (ISMP). A drop is not written as UCUM ``[drp]``: that
unit is a fixed 1/20 mL, which a calibrated dropper is not; the volume in mL
is, and ``text`` says the drops. Values are the exact decimal when it
terminates (``4.5``, ``0.25``); a repeating one (1/6 mg) is rounded to 10
significant digits.

>>> from ldn_compound import preset
>>> d = preset("drops-18", start_date="2026-11-22").to_fhir()[-1]
>>> d["sequence"], d["text"]
(18, '4.5 mg: 18 drops (0.9 mL) once a day')
>>> d["timing"]["repeat"]["boundsPeriod"]
{'start': '2027-03-21', 'end': '2027-03-27'}
>>> d["doseAndRate"][0]["doseQuantity"]
{'value': 4.5, 'unit': 'mg', 'system': 'http://unitsofmeasure.org', 'code': 'mg'}
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ._convert import parse_date, to_doses_per_day, whole_number
from ._exact import exact_text
from ._tables import (
    DOSE_RATE_TYPE_SYSTEM,
    MEDICATION_REQUEST_INTENT,
    MEDICATION_REQUEST_STATUS,
    ORAL_ROUTE_SNOMED,
    SNOMED_SYSTEM,
    UCUM_SYSTEM,
)
from ._text import MAX_LABEL, check_text
from ._verdict import flagged_note
from .errors import ErrorKind, InputError
from .rendering import format_mass

if TYPE_CHECKING:
    from .measurement import Measurement
    from .schedule import Schedule, Supply
    from .stock import Stock
    from .types import DateLike

__all__ = ["dosage", "measurement_dosage", "medication_request", "schedule_dosages",
           "supply_dosages"]

#: A Dosage's bounds: a step's days (as a schedule's step allows), and its sequence.
_DAYS = whole_number("days", 1, 100_000)
_SEQUENCE = whole_number("sequence", 1, 10**6)

_NOTE = "Computed by ldn_compound, not prescribed: check every dose against the prescription."


def _decimal(x: Fraction) -> float:
    """``x`` as a JSON number: the exact decimal when it terminates, else 10 digits."""
    text = exact_text(x)
    if "/" not in text and Fraction(repr(float(text))) == x:
        return float(text)
    return float(f"{float(x):.10g}")


def _quantity(value: Fraction, unit: str, code: str) -> dict[str, Any]:
    return {"value": _decimal(value), "unit": unit, "system": UCUM_SYSTEM, "code": code}


def mass_quantity(mg: Fraction) -> dict[str, Any]:
    """A FHIR ``Quantity`` for a mass given in exact mg: mg, or mcg (UCUM ``ug``) below 0.1 mg.

    Parameters
    ----------
    mg : Fraction  [mass, mg]

    Returns
    -------
    dict
        ``{"value", "unit", "system", "code"}``.

    >>> mass_quantity(Fraction(1, 20))
    {'value': 50.0, 'unit': 'mcg', 'system': 'http://unitsofmeasure.org', 'code': 'ug'}
    """
    if format_mass(mg).endswith(" mcg"):  # the display's own rule: mcg below 0.1 mg
        return _quantity(mg * 1000, "mcg", "ug")
    return _quantity(mg, "mg", "mg")


def _dose_and_rate(kind: str, quantity: dict[str, Any]) -> dict[str, Any]:
    coding = {"system": DOSE_RATE_TYPE_SYSTEM, "code": kind, "display": kind.capitalize()}
    return {"type": {"coding": [coding]}, "doseQuantity": quantity}


def _frequency(doses_per_day: int) -> str:
    return {1: "once a day", 2: "twice a day"}.get(doses_per_day,
                                                    f"{doses_per_day} times a day")


def dosage(measurement: Measurement, *, doses_per_day: int = 1, sequence: int | None = None,
           days: int | None = None, start_date: DateLike | None = None,
           patient_instruction: str | None = None) -> dict[str, Any]:
    """One dose as a FHIR R4 ``Dosage`` element.

    Parameters
    ----------
    measurement : Measurement
        What is measured for the dose.
    doses_per_day : int, default 1  [count]
        Times a day (``timing.repeat.frequency`` per 1 day), 1 to 12.
    sequence : int, optional  [count]
        The order of this dosage among others, 1 to 1,000,000.
    days : int, optional  [time, days]
        How long it is taken, 1 to 100,000 days: ``boundsPeriod`` from
        ``start_date`` when that is given, else ``boundsDuration``; no bounds
        when None.
    start_date : datetime.date or str, optional
        First day it is taken (a date, or ISO text ``"2026-11-22"``).
    patient_instruction : str, optional
        Words for the patient (a bottle's label): one line of printable text.

    Returns
    -------
    dict
        A JSON-ready ``Dosage``.

    Raises
    ------
    InputError
        ``measurement`` not a Measurement; ``doses_per_day`` not a whole number
        from 1 to 12, ``sequence`` or ``days`` outside their ranges;
        ``start_date`` not a date; a period ending after 9999-12-31;
        ``patient_instruction`` not one line of printable text.

    >>> from ldn_compound import Dropper, Stock, measure
    >>> m = measure("4.5 mg", Stock.from_tablets("50 mg", "10 mL"), Dropper())
    >>> dosage(m)["text"]
    '4.5 mg: 18 drops (0.9 mL) once a day'
    >>> [e["doseQuantity"]["code"] for e in dosage(m)["doseAndRate"]]
    ['mg', 'mL', 'mg']
    """
    m = measurement
    if not isinstance(getattr(m, "exact_target", None), Fraction):
        raise InputError("measurement", m, "a Measurement (from measure())")
    doses_per_day = to_doses_per_day(doses_per_day)  # never "0 times a day"
    sequence = None if sequence is None else _SEQUENCE(sequence)
    days = None if days is None else _DAYS(days)
    start_date = parse_date(start_date)
    text = f"{format_mass(m.exact_target)}: {m.what_to_measure()}"
    if m.exact_delivered != m.exact_target:
        text += f" = {format_mass(m.exact_delivered)}"
    repeat: dict[str, Any] = {}
    if days is not None and start_date is not None:
        try:
            end = start_date + dt.timedelta(days=days - 1)
        except OverflowError:
            raise InputError("days", days, f"a period that ends by {dt.date.max.isoformat()} "
                             f"(from {start_date.isoformat()})",
                             kind=ErrorKind.OUT_OF_RANGE) from None
        repeat["boundsPeriod"] = {"start": start_date.isoformat(), "end": end.isoformat()}
    elif days is not None:
        repeat["boundsDuration"] = _quantity(Fraction(days), "days" if days != 1 else "day", "d")
    repeat.update(frequency=doses_per_day, period=1, periodUnit="d")
    out: dict[str, Any] = {} if sequence is None else {"sequence": sequence}
    out["text"] = f"{text} {_frequency(doses_per_day)}"
    if patient_instruction is not None:
        out["patientInstruction"] = check_text(patient_instruction, "patient_instruction",
                                               example="'Take 0.9 mL at bedtime.'",
                                               limit=MAX_LABEL)
    code, display = ORAL_ROUTE_SNOMED
    out["timing"] = {"repeat": repeat}
    out["route"] = {"coding": [{"system": SNOMED_SYSTEM, "code": code, "display": display}]}
    out["doseAndRate"] = [
        _dose_and_rate("ordered", mass_quantity(m.exact_target)),
        _dose_and_rate("calculated", _quantity(m.exact_volume, "mL", "mL")),
        _dose_and_rate("calculated", mass_quantity(m.exact_delivered)),
    ]
    return out


def measurement_dosage(measurement: Measurement, *, doses_per_day: int = 1,
                       allow_flagged: bool = False) -> dict[str, Any]:
    """:func:`dosage` of one measurement, refused when it is flagged (its ``problem``)
    unless ``allow_flagged``, which marks it in ``additionalInstruction``.

    Raises
    ------
    InputError
        ``kind`` ``UNMEASURABLE``, ``override`` ``"allow_flagged"``.
    """
    m = measurement
    note = flagged_note(allow_flagged, "measurement", format_mass(m.exact_target),
                        m.problem, m.fix)
    out = dosage(m, doses_per_day=doses_per_day)
    if note is not None:
        out["additionalInstruction"] = note
    return out


def schedule_dosages(schedule: Schedule, *, allow_flagged: bool = False) -> list[dict[str, Any]]:
    """A schedule as FHIR R4 ``Dosage`` elements, one per step, ``sequence`` from 1.

    Parameters
    ----------
    schedule : Schedule
    allow_flagged : bool, default False
        Export steps flagged for their rounding error or accuracy too, with
        the verdict as ``additionalInstruction``. A step that cannot be
        measured at all is always refused: there is nothing to write.

    Returns
    -------
    list of dict

    Raises
    ------
    InputError
        A step is flagged (``kind`` ``UNMEASURABLE``), naming it and its fix.
    """
    out = []
    for step in schedule.steps:
        m = step.measurement
        note = flagged_note(allow_flagged, "schedule",
                            f"step {step.number} ({format_mass(step.exact_dose)})",
                            step.problem, step.fix, measurable=m is not None)
        assert m is not None  # flagged_note refuses an unmeasurable step
        d = dosage(m, doses_per_day=step.doses_per_day, sequence=step.number,
                   days=step.days, start_date=step.start_date)
        if note is not None:
            d["additionalInstruction"] = note
        out.append(d)
    return out


def supply_dosages(supply: Supply, *, allow_flagged: bool = False) -> list[dict[str, Any]]:
    """A supply as FHIR R4 ``Dosage`` elements: each dose of each bottle, in order.

    The bottle's label is each dose's ``patientInstruction``; a stronger
    bottle's doses are what is measured from it.

    Parameters
    ----------
    supply : Supply
    allow_flagged : bool, default False
        Export a flagged dose too, marked in ``additionalInstruction``.

    Returns
    -------
    list of dict

    Raises
    ------
    InputError
        A dose of the supply, or a step of its schedule, is flagged.
    """
    for step in supply.schedule.steps:  # the schedule's own verdict (a taper's over-cut)
        flagged_note(allow_flagged, "supply", f"step {step.number} "
                     f"({format_mass(step.exact_dose)})", step.problem, step.fix)
    start = supply.schedule.start_date
    per_day = supply.schedule.doses_per_day
    out: list[dict[str, Any]] = []
    for batch in supply.batches:
        for first, days, m in batch.doses:
            note = flagged_note(allow_flagged, "supply", f"bottle {batch.number}, "
                                f"{format_mass(m.exact_target)}", m.problem, m.fix)
            date = None if start is None else start + dt.timedelta(days=first)
            d = dosage(m, doses_per_day=per_day, sequence=len(out) + 1, days=days,
                       start_date=date, patient_instruction=batch.label)
            if note is not None:
                d["additionalInstruction"] = note
            out.append(d)
    return out


def _stock_of(source: Any) -> Stock:
    stock = getattr(source, "stock", None)
    return source.schedule.stock if stock is None else stock  # type: ignore[no-any-return]


def medication_request(source: Measurement | Schedule | Supply, *, status: str = "draft",
                       intent: str = "proposal", subject: str | None = None,
                       allow_flagged: bool = False) -> dict[str, Any]:
    """A FHIR R4 ``MedicationRequest`` skeleton carrying ``source``'s dosages.

    The defaults say what the library is: a ``draft`` ``proposal`` (computed,
    not prescribed) for a prescriber or pharmacist to complete.

    Parameters
    ----------
    source : Measurement, Schedule or Supply
        Its ``to_fhir()`` gives ``dosageInstruction``.
    status : str, default "draft"
        A FHIR R4 MedicationRequest status.
    intent : str, default "proposal"
        A FHIR R4 MedicationRequest intent.
    subject : str, optional
        A reference to the patient, e.g. ``"Patient/123"``; without one the
        required ``subject`` is a placeholder saying it is to be filled in.
    allow_flagged : bool, default False
        Passed to ``source.to_fhir``: a flagged dose is refused unless True.

    Returns
    -------
    dict
        ``resourceType``, ``status``, ``intent``, ``subject``,
        ``medicationCodeableConcept`` (text: the liquid), ``dosageInstruction``
        and a ``note``.

    Raises
    ------
    InputError
        ``status`` or ``intent`` outside the R4 value sets; ``subject`` not one
        line of printable text; a flagged dose (``kind`` ``UNMEASURABLE``) unless
        ``allow_flagged``.

    >>> from ldn_compound import preset
    >>> r = medication_request(preset("drops-18"))
    >>> r["medicationCodeableConcept"]["text"]
    'naltrexone hydrochloride oral liquid: 1 x 50 mg tablet in 10 mL (5 mg/mL)'
    >>> len(r["dosageInstruction"])
    18
    """
    for name, value, allowed in (("status", status, MEDICATION_REQUEST_STATUS),
                                 ("intent", intent, MEDICATION_REQUEST_INTENT)):
        if value not in allowed:
            raise InputError(name, value, "a FHIR R4 MedicationRequest " + name + ": "
                             + ", ".join(allowed))
    if subject is not None:
        subject = check_text(subject, "subject", example="'Patient/123'")
    stock = _stock_of(source)
    dosages = source.to_fhir(allow_flagged=allow_flagged)
    return {
        "resourceType": "MedicationRequest",
        "status": status,
        "intent": intent,
        "medicationCodeableConcept": {
            "text": f"naltrexone hydrochloride oral liquid: {stock.describe()}"},
        "subject": {"reference": subject} if subject is not None
        else {"display": "patient: to be filled in by the prescribing system"},
        "dosageInstruction": dosages if isinstance(dosages, list) else [dosages],
        "note": [{"text": _NOTE}],
    }
