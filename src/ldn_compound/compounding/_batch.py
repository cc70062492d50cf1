"""The compounding record: one batch made by a master formulation record (USP <795>).

What the pharmacist enters (each component's manufacturer, lot and expiry; the
amounts actually measured; the quality-control results; who made and who
verified it; the date and batch number) is checked, never changed: an amount
outside its tolerance is flagged with how far off it is and the strength the
batch then has; a failed check fails the batch; the beyond-use date never runs
past the earliest component expiry (and says which set it); an expired
component is refused. A flagged or failed batch is never marked ok and gets no
label (references 'usp-795').
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import attrs

from .._exact import exact_text, format_number, format_percent, to_fraction
from .._records import load, stamp
from .._tables import POTENCY_WINDOW
from .._text import check_identifier, check_text
from ..errors import ErrorKind, InputError
from ..rendering import Rendered, Report
from ..schedule._plan import parse_date
from ..units import MASS, VOLUME, parse
from ._formula import Amount, amount_text
from ._master import QC_KEYS, MasterFormulation, amount_range

__all__ = ["CompoundingRecord", "compounding_record"]

_ENTRIES = ("batch", "date", "preparer", "verifier", "components", "measured", "appearance")
_COMPONENT = ("manufacturer", "lot", "expiry")
_RESULTS = ("pass", "fail")


def _manufacturer(value: Any) -> str:
    return check_text(value, "manufacturer", example="'Accord'")


def _lot(value: Any) -> str:
    return check_identifier(value, "lot", example="'A123'")


def _batch(value: Any) -> str:
    return check_identifier(value, "batch", example="'B-2026-001'")


def _preparer(value: Any) -> str:
    return check_text(value, "preparer", example="'A. Smith'")


def _verifier(value: Any) -> str:
    return check_text(value, "verifier", example="'B. Jones'")


@attrs.frozen
class Component:
    """One component as used: the master's key and name, and what was entered."""

    key: str
    name: str
    manufacturer: str = attrs.field(converter=_manufacturer)
    lot: str = attrs.field(converter=_lot)
    expiry: dt.date


@attrs.frozen(repr=False)
class CompoundingRecord(Rendered):
    """One batch's compounding record; build it with :func:`compounding_record`."""

    master: MasterFormulation
    batch: str = attrs.field(converter=_batch)
    date: dt.date
    preparer: str = attrs.field(converter=_preparer)
    verifier: str = attrs.field(converter=_verifier)
    components: tuple[Component, ...]
    measured: tuple[tuple[Amount, Fraction], ...]
    appearance: str

    RECORD = "compounding_record"
    NESTED = ("master",)

    @property
    def exact_strength(self) -> Fraction:
        """The strength the amounts actually measured give, exact (mg/mL or mg per capsule)."""
        return self.master.formula.strength_of({a.key: v for a, v in self.measured})

    @property
    def bud(self) -> tuple[dt.date, str]:
        """The beyond-use date and what set it: the preparation's days (the day made is
        day 1) or the earliest component expiry."""
        p = self.master.prep
        own = self.date + dt.timedelta(days=p.bud_days - 1)
        first = min(self.components, key=lambda c: c.expiry)
        if first.expiry < own:
            return first.expiry, f"the expiry of {first.key} ({first.name}, lot {first.lot})"
        return own, f"{p.bud_days} days ({p.category}; {p.source})"

    def checks(self) -> tuple[tuple[Amount, Fraction, Fraction, bool], ...]:
        """Each amount: (amount, actual, relative deviation, within tolerance)."""
        out = []
        for a, v in self.measured:
            low, high = amount_range(a)
            out.append((a, v, v / a.exact - 1, low <= v <= high))
        return tuple(out)

    @property
    def problems(self) -> tuple[str, ...]:
        """Why the batch is flagged or failed, each with how far off and its effect."""
        f = self.master.formula
        strength = self.exact_strength
        effect = (f"the batch is {f.strength_text(strength)} "
                  f"({format_percent(strength / f.exact_strength - 1)} of "
                  f"{f.strength_text()})")
        out = []
        for a, v, dev, ok in self.checks():
            if not ok:
                what = "QC failed" if a.key in QC_KEYS else "out of tolerance"
                out.append(f"{what}: {a.key} {amount_text(v, a.unit)} is "
                           f"{format_percent(dev)} off {a.text()} (accepted +/-"
                           f"{format_number(a.tolerance * 100)} %); {effect}")
        if abs(strength / f.exact_strength - 1) > POTENCY_WINDOW:
            out.append(f"strength outside 90-110 % of label (USP <795>): {effect}")
        if self.appearance != "pass":
            out.append(f"QC failed: appearance (expected: {self.master.appearance})")
        return tuple(out)

    @property
    def ok(self) -> bool:
        """True only when every amount is within tolerance and every QC check passed."""
        return not self.problems

    @property
    def label(self) -> str | None:
        """The batch's label (the one label rule); None when the batch is not ok."""
        if not self.ok:
            return None
        return self.master.sample_label(self.batch, self.date, self.bud[0])

    def report(self) -> Report:
        """The rows every display shows (text, printable HTML), as a ``Report``."""
        m, f = self.master, self.master.formula
        bud, by = self.bud
        rows = [("Master formulation", m.name), ("Batch", self.batch),
                ("Date made", self.date.isoformat()),
                ("Strength made", f.strength_text(self.exact_strength)),
                ("Beyond-use date", f"{bud.isoformat()} (set by {by})"),
                ("Storage", m.prep.storage), ("Appearance", self.appearance),
                ("Verdict", "OK" if self.ok else "FAILED: do not dispense")]
        rows += [(f"Component: {c.key}", f"{c.name}; {c.manufacturer}, lot {c.lot}, expiry "
                                         f"{c.expiry.isoformat()}") for c in self.components]
        checks = self.checks()
        table = tuple((a.key, a.text(), amount_text(v, a.unit), format_percent(dev),
                       "ok" if ok else "OUT") for a, v, dev, ok in checks)
        label = self.label
        footer = (*(() if label is None else (f"Label: {label}",)),
                  f"Compounded by: {self.preparer}    Signature: ____________",
                  f"Verified by: {self.verifier}    Signature: ____________")
        return Report(title=f"Compounding record: {m.name}, batch {self.batch}",
                      rows=tuple(rows), table_header=("amount", "planned", "actual",
                                                      "deviation", "check"),
                      table=table, warnings=self.problems, footer=footer,
                      flagged=tuple(n for n, c in enumerate(checks) if not c[3]))

    def to_dict(self) -> dict[str, Any]:
        """The ``ldn_compound/compounding_record@1`` record: master and entries, the rest
        checked on reading."""
        bud, by = self.bud
        return stamp(self.RECORD, {
            "master": self.master.to_dict(), "batch": self.batch,
            "date": self.date.isoformat(), "preparer": self.preparer,
            "verifier": self.verifier,
            "components": [{"key": c.key, "name": c.name, "manufacturer": c.manufacturer,
                            "lot": c.lot, "expiry": c.expiry.isoformat()}
                           for c in self.components],
            "measured": [{"amount": a.key, "value": _entered(v, a.unit)}
                         for a, v in self.measured],
            "appearance": self.appearance,
            "checks": [{"amount": a.key, "planned": a.text(), "actual": amount_text(v, a.unit),
                        "deviation": exact_text(dev), "ok": ok}
                       for a, v, dev, ok in self.checks()],
            "strength": self.master.formula.strength_text(self.exact_strength),
            "strength_exact": exact_text(self.exact_strength),
            "bud_date": bud.isoformat(), "bud_set_by": by,
            "ok": self.ok, "problems": list(self.problems), "label": self.label,
        })

    @classmethod
    def _from_record(cls, data: dict[str, Any]) -> CompoundingRecord:
        """The master read back (checked), then the entries checked again."""
        entries = {k: data[k] for k in _ENTRIES}
        entries["components"] = {c["key"]: {f: c[f] for f in _COMPONENT}
                                 for c in data["components"]}
        entries["measured"] = {m["amount"]: m["value"] for m in data["measured"]}
        return compounding_record(load(data["master"]), entries)


def _entered(value: Fraction, unit: str) -> str:
    """An amount as its entry is written back: exact, with the unit (a count bare)."""
    return f"{exact_text(value)} {unit}" if unit in ("mg", "mL") else exact_text(value)


def _keys(value: Any, parameter: str, want: tuple[str, ...]) -> dict[str, Any]:
    """``value`` as a dict with exactly the keys ``want`` (a missing or unknown key named)."""
    if not isinstance(value, dict):
        raise InputError(parameter, value, f"an object with {', '.join(want)}")
    for k in want:
        if k not in value:
            raise InputError(f"{parameter}.{k}", None, "a value: every entry is required")
    for k in value:
        if k not in want:
            raise InputError(f"{parameter}.{k}", value[k], f"one of {', '.join(want)} "
                             "(nothing entered is silently ignored)")
    return value


#: The largest count of tablets or capsules one batch record takes, and its longest exact
#: writing (the record's own limit for a text field, so the record always reads back).
_MAX_COUNT = 100_000
_MAX_COUNT_TEXT = 256


def _measured(a: Amount, value: Any) -> Fraction:
    where = f"measured.{a.key}"
    if a.unit == "mg":
        v = parse(value, MASS, where)
    elif a.unit == "mL":
        v = parse(value, VOLUME, where)
    else:
        v = to_fraction(value, where, f"a number of {a.unit}s")
        if v > _MAX_COUNT or len(exact_text(v)) > _MAX_COUNT_TEXT:
            # a count no batch holds (a record could not even be read back): an entry slip
            raise InputError(where, value, f"at most {_MAX_COUNT:,} {a.unit}s, written in at "
                             f"most {_MAX_COUNT_TEXT} characters", kind=ErrorKind.OUT_OF_RANGE)
    if v <= 0:
        raise InputError(where, value, f"a positive amount in {a.unit}",
                         kind=ErrorKind.OUT_OF_RANGE)
    return v


#: The earliest date a batch record takes (made or expiry): a date before it is an entry
#: slip ("0001-01-01"), never a batch this library helped make.
_EARLIEST = dt.date(2000, 1, 1)


def _date(value: Any, parameter: str) -> dt.date:
    got = parse_date(value, parameter)
    if got is None:
        raise InputError(parameter, None, "a date, e.g. '2026-12-06'")
    if got < _EARLIEST:
        raise InputError(parameter, got.isoformat(), f"a date from {_EARLIEST.isoformat()} on",
                         kind=ErrorKind.OUT_OF_RANGE)
    return got


def compounding_record(master: Any, entries: Any) -> CompoundingRecord:
    """Check one batch's entries against its master formulation record.

    Parameters
    ----------
    master : MasterFormulation or dict
        The master formulation record (a dict is read back and checked).
    entries : dict
        ``batch``, ``date`` (ISO), ``preparer``, ``verifier`` (text);
        ``components``: for each master component key, ``manufacturer``, ``lot``
        and ``expiry`` (ISO date); ``measured``: for each amount key, the amount
        actually counted, weighed [mass] or measured [volume], with its unit
        (``"101 mg"``, ``"19.8 mL"``, ``"2"`` tablets); ``appearance``:
        ``"pass"`` or ``"fail"``.

    Returns
    -------
    CompoundingRecord
        ``ok`` False (and no label) when an amount is out of tolerance or a
        check failed; the CLI exits 3 and the service says so.

    Raises
    ------
    InputError
        A missing, unknown or malformed entry, naming it (``components.drug.lot``);
        an expired component (``components.<key>.expiry``, ``OUT_OF_RANGE``).
    """
    if not isinstance(master, MasterFormulation):
        if not isinstance(master, dict):
            raise InputError("master", type(master).__name__,
                             "a MasterFormulation or its record")
        master = MasterFormulation.from_dict(master)
    e = _keys(entries, "entries", _ENTRIES)
    date = _date(e["date"], "date")
    if date > dt.date.max - dt.timedelta(days=master.prep.bud_days):
        raise InputError("date", date.isoformat(), "a date whose beyond-use date is a "
                         "calendar date (before 9999-12-31)", kind=ErrorKind.OUT_OF_RANGE)
    text = {k: check_text(e[k], k, example="'A. Smith'") for k in ("preparer", "verifier")}
    text["batch"] = check_identifier(e["batch"], "batch", example="'B-2026-001'")
    f = master.formula
    comps_in = _keys(e["components"], "components", tuple(k for k, _, _ in f.components))
    comps = []
    for key, name, _ in f.components:
        c = _keys(comps_in[key], f"components.{key}", _COMPONENT)
        expiry = _date(c["expiry"], f"components.{key}.expiry")
        if expiry < date:
            raise InputError(f"components.{key}.expiry", expiry.isoformat(),
                             f"an expiry on or after the date made, {date.isoformat()}: an "
                             "expired component is never used", kind=ErrorKind.OUT_OF_RANGE)
        comps.append(Component(
            key, name or key,
            check_text(c["manufacturer"], f"components.{key}.manufacturer", example="'Accord'"),
            check_identifier(c["lot"], f"components.{key}.lot", example="'A123'"), expiry))
    got = _keys(e["measured"], "measured", tuple(a.key for a in f.amounts))
    measured = tuple((a, _measured(a, got[a.key])) for a in f.amounts)
    if e["appearance"] not in _RESULTS:
        raise InputError("appearance", e["appearance"], "'pass' or 'fail'")
    return CompoundingRecord(master, text["batch"], date, text["preparer"], text["verifier"],
                             tuple(comps), measured, e["appearance"])
