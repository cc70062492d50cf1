"""Damaged records of every kind, and what reading one must give (issue 21).

A valid record of each kind is damaged (:data:`DAMAGES`: a field set to null, NaN,
inf, 1e400, a huge integer, an empty value, the wrong type, a deeply nested list or
dict; a field removed or added) and read back, as a dict and as JSON text. Reading
must give either an object whose record reads back to itself, or the library's own
error (an :class:`~ldn_compound.LdnCompoundError` with a ``kind`` and the
``parameter`` it names). :func:`outcome` says which, or returns the raw
exception that escaped. Used by tests/test_fuzz_records.py (hypothesis) and
tools/fuzz_records.py (tens of thousands of damages, seeded).
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import Any

import numpy as np

import ldn_compound as lc
from ldn_compound import ErrorKind, LdnCompoundError, records

_STOCK = lc.Stock.from_tablets("50 mg", "10 mL")
_SCHEDULE = lc.titrate("0.5 mg", "0.5 mg", "4.5 mg", "7 days", _STOCK, lc.Dropper(),
                       start_date="2026-01-05")
_SYRINGE_SCHEDULE = lc.taper("4.5 mg", "25 %", floor="1 mg", every="7 days",
                             stock=lc.Stock.from_tablets("50 mg", "10 mL"),
                             device=lc.OralSyringe("1 mL"))
_PLAN = lc.plan_dilution("1 mcg", "50 mg")
_TRITURATION = lc.plan_trituration("50 mcg")


def _samples() -> dict[str, list[Callable[[], Any]]]:
    """Record name -> builders of a few valid objects of that kind."""
    two = [_STOCK, lc.Stock.from_tablets("50 mg", "20 mL")]
    return {
        "stock": [lambda: _STOCK, lambda: lc.Stock(drug="4.5 mg", volume="1 mL",
                                                   volume_tolerance="0.02")],
        "dropper": [lambda: lc.Dropper(), lambda: lc.Dropper(38.5)],
        "oral_syringe": [lambda: lc.OralSyringe("3 mL")],
        "graduated_cylinder": [lambda: lc.GraduatedCylinder("10 mL")],
        "volumetric_flask": [lambda: lc.VolumetricFlask("50 mL")],
        "measurement": [lambda: lc.measure("4.5 mg", _STOCK, lc.Dropper()),
                        lambda: lc.measure("1.5 mg", _STOCK, lc.OralSyringe("1 mL"))],
        "chain_measurement": [lambda: _PLAN.measurement_of(0)],
        "batch_measurement": [
            lambda: lc.measure_many(["4.5 mg", "1 mg"], _STOCK, lc.Dropper()),
            lambda: lc.measure_many(["1 mg", "2 mg"], two, [lc.Dropper(), lc.Dropper(40)]),
            lambda: lc.measure_many((np.array([[1.0, 60.0], [0.001, 3.0]]), "mg"), _STOCK,
                                    lc.OralSyringe("1 mL"))],
        "schedule": [lambda: _SCHEDULE, lambda: _SYRINGE_SCHEDULE],
        "step": [lambda: _SCHEDULE.steps[1], lambda: _SYRINGE_SCHEDULE.steps[0]],
        "supply": [lambda: _SCHEDULE.supply()],
        "batch": [lambda: _SCHEDULE.supply().batches[0]],
        "dilution_plan": [lambda: _PLAN],
        "dilution_step": [lambda: _PLAN.steps[0], lambda: _PLAN.steps[-1]],
        "simulation_result": [lambda: _PLAN.simulate(200, seed=1)],
        "trituration_plan": [lambda: _TRITURATION],
        "trituration_step": [lambda: _TRITURATION.steps[0], lambda: _TRITURATION.steps[-1]],
        "taper_plan": [lambda: lc.plan_taper("4.5 mg", "1 mg", "14 days", _STOCK,
                                             [lc.Dropper(), lc.OralSyringe("1 mL", "0.01 mL")],
                                             reduction=0.2)],
        "master_formulation": [lambda: lc.master_formulation(two[1]),
                               lambda: lc.master_formulation(_TRITURATION),
                               lambda: lc.master_formulation(_PLAN)],
        "compounding_record": [lambda: _batch_record(lc.master_formulation(two[1])),
                               lambda: _batch_record(lc.master_formulation(_TRITURATION))],
    }


def _batch_record(master: Any) -> Any:
    """One batch of ``master`` made as planned (every amount entered exactly)."""
    def typed(a: Any) -> str:
        v = a.exact
        text = f"{v.numerator}/{v.denominator}" if v.denominator != 1 else str(v.numerator)
        return f"{text} {a.unit}" if a.unit in ("mg", "mL") else text

    return lc.compounding_record(master, {
        "batch": "B-1", "date": "2026-12-06", "preparer": "A. Smith", "verifier": "B. Jones",
        "components": {k: {"manufacturer": "Maker", "lot": f"L-{k}", "expiry": "2028-01-31"}
                       for k, _, _ in master.formula.components},
        "measured": {a.key: typed(a) for a in master.formula.amounts}, "appearance": "pass"})


#: Record name -> valid records (dicts from to_dict) of that kind.
SAMPLES: dict[str, list[dict[str, Any]]] = {
    name: [make().to_dict() for make in makes] for name, makes in _samples().items()}

#: Deep enough for any parser's recursion limit; far deeper than any record.
DEEP = 1_000
#: Marks a string that JSON text writes as a raw token (NaN, 1e400, deep nesting).
_RAW = "\x00raw:"


class Raw:
    """A damage written one way in a dict (``value``) and another in JSON text (``token``)."""

    def __init__(self, token: str, value: Callable[[], Any]) -> None:
        self.token, self.value = token, value


def _deep_list(depth: int = DEEP) -> list[Any]:
    node: list[Any] = []
    for _ in range(depth):
        node = [node]
    return node


def _deep_dict(depth: int = DEEP) -> dict[str, Any]:
    node: dict[str, Any] = {}
    for _ in range(depth):
        node = {"a": node}
    return node


def _other_type(value: Any) -> Any:
    """A value of another JSON type than ``value``, as near to it as can be."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        try:
            return float(value.split(" ")[0])
        except ValueError:
            return [value]
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    if isinstance(value, dict):
        return list(value.values())
    return False


def _unit(value: Any, number: str) -> str:
    """``number`` with ``value``'s unit, if it is a quantity's text."""
    return f"{number} {value.split(' ', 1)[1]}" if isinstance(value, str) and " " in value \
        else number


#: Damage name -> the value put in place of a field's value; REMOVE and EXTRA are done
#: by :func:`damaged`.
DAMAGES: dict[str, Callable[[Any], Any]] = {
    "null": lambda v: None,
    "nan": lambda v: Raw("NaN", lambda: math.nan),
    "inf": lambda v: Raw("Infinity", lambda: math.inf),
    "-inf": lambda v: Raw("-Infinity", lambda: -math.inf),
    "1e400": lambda v: Raw("1e400", lambda: float("1e400")),
    "-1e400": lambda v: Raw("-1e400", lambda: float("-1e400")),
    "huge int": lambda v: 10**400,
    "4301-digit int": lambda v: Raw("1" + "0" * 4300, lambda: 10**4300),
    "2**64": lambda v: 2**64,
    "-1": lambda v: -1,
    "0": lambda v: 0,
    "0.0": lambda v: 0.0,
    "-0.0": lambda v: -0.0,
    "subnormal": lambda v: 5e-324,
    "true": lambda v: True,
    "empty string": lambda v: "",
    "empty list": lambda v: [],
    "empty dict": lambda v: {},
    "wrong type": _other_type,
    "text": lambda v: "x",
    "nan text": lambda v: _unit(v, "nan"),
    "inf text": lambda v: _unit(v, "inf"),
    "zero text": lambda v: _unit(v, "0"),
    "1/0 text": lambda v: _unit(v, "1/0"),
    "huge text": lambda v: _unit(v, "9" * 400),
    "tiny text": lambda v: _unit(v, "0.000001"),
    "large text": lambda v: _unit(v, "99999"),
    "deep list": lambda v: Raw("[" * DEEP + "]" * DEEP, _deep_list),
    "deep dict": lambda v: Raw('{"a": ' * DEEP + "{}" + "}" * DEEP, _deep_dict),
    # Python values a dict may hold that JSON has no word for (the text route: near ones)
    "fraction": lambda v: Raw('"3/2"', lambda: Fraction(3, 2)),
    "numpy nan": lambda v: Raw("NaN", lambda: np.float64("nan")),
    "numpy int": lambda v: Raw("7", lambda: np.int64(7)),
    "tuple": lambda v: (v,),  # a list in JSON text
    "set": lambda v: Raw("[]", set),
    "int key": lambda v: Raw('{"1": 1}', lambda: {1: 1}),
    "list of it": lambda v: [v],
    "nested in list": lambda v: [[v]],
    "list of nan": lambda v: [Raw("NaN", lambda: math.nan)],
    "list of nulls": lambda v: [None, None],
    "pair of nan": lambda v: [[Raw("NaN", lambda: math.nan)] * 2],
    "zero pair": lambda v: [[0, 0]],
    "negated": lambda v: -v if isinstance(v, (int, float)) and not isinstance(v, bool) else v,
    "doubled": lambda v: v * 2 if isinstance(v, (int, float, str, list)) else v,
}
REMOVE, EXTRA = "remove", "extra field"
#: Every damage, by name.
ALL_DAMAGES = (*DAMAGES, REMOVE, EXTRA)


def paths(data: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a value inside ``data`` (keys and indices), parents first."""
    yield here
    items = data.items() if isinstance(data, dict) else enumerate(data) \
        if isinstance(data, list) else ()
    for key, value in items:
        yield from paths(value, (*here, key))


def _resolved(value: Any, text: bool) -> Any:
    """``value`` with each Raw as its dict value, or (text) as a marked string."""
    if isinstance(value, Raw):
        return _RAW + value.token if text else value.value()
    if isinstance(value, list):
        return [_resolved(v, text) for v in value]
    if isinstance(value, tuple):
        return [_resolved(v, text) for v in value] if text \
            else tuple(_resolved(v, text) for v in value)
    if isinstance(value, dict):
        return {k: _resolved(v, text) for k, v in value.items()}
    return value


class Put:
    """A damage that puts ``value`` (a fresh copy each time) in place of a field's value."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self, old: Any) -> Any:
        return copy.deepcopy(self.value)

    def __repr__(self) -> str:
        return f"Put({self.value!r})"


#: A damage: a name in ALL_DAMAGES, or a function of the old value giving the new one.
Damage = str | Callable[[Any], Any]


def _damage(data: Any, path: tuple[Any, ...], damage: Damage) -> Any:
    """``data`` with ``damage`` done at ``path`` in place (returned: the root may change);
    unchanged if ``path`` no longer leads anywhere (an earlier damage moved it)."""
    put = damage if callable(damage) else DAMAGES.get(damage)
    if not path:
        return {**data, "extra": 1} if damage == EXTRA and isinstance(data, dict) \
            else None if damage == REMOVE else put(data) if put else data
    parent = data
    for key in path[:-1]:
        try:
            parent = parent[key]
        except (KeyError, IndexError, TypeError):
            return data
    key = path[-1]
    there = key in parent if isinstance(parent, dict) else \
        isinstance(parent, list) and isinstance(key, int) and key < len(parent)
    if not there:
        return data
    if damage == REMOVE:
        del parent[key]
    elif damage == EXTRA:
        target = parent[key]
        if isinstance(target, dict):
            target["extra"] = 1
        elif isinstance(target, list):
            target.append(copy.deepcopy(target[-1]) if target else 1)
        else:
            parent[key] = [target, 1]
    elif put is not None:
        parent[key] = put(parent[key])
    return data


def damaged(record: dict[str, Any], steps: list[tuple[tuple[Any, ...], Damage]],
            text: bool = False) -> Any:
    """A copy of ``record`` with each ``(path, damage)`` done in turn (path ``()``: the
    record itself); with ``text``, raw tokens are marked strings for :func:`as_text`."""
    data = copy.deepcopy(record)
    for path, damage in steps:
        data = _damage(data, path, damage)
    return _resolved(data, text)


def as_text(data: Any) -> str:
    """``data`` as JSON text, each marked string written as its raw token."""
    return re.sub(r'"\\u0000raw:((?:[^"\\]|\\.)*)"',
                  lambda m: str(json.loads(f'"{m.group(1)}"')), json.dumps(data))


#: (error class, kind) -> how many reads were refused with it, over this process.
REFUSED: Counter[tuple[str, str]] = Counter()

#: Record name -> its class.
CLASSES = {name: type(make[0]()) for name, make in _samples().items()}


def outcome(name: str, record: dict[str, Any], steps: list[tuple[tuple[Any, ...], Damage]],
            via_text: bool) -> BaseException | None:
    """None if reading ``record`` (of kind ``name``) damaged by ``steps`` (see
    :func:`damaged`) gives a consistent object or the library's error; otherwise the
    exception (raw, or a library error without its fields).

    Read as a dict through :func:`records.load` and the class's ``from_dict``, or as
    JSON text through :func:`records.from_json` and the class's ``from_json``. A
    consistent object is one whose record reads back to an equal record.
    """
    cls = CLASSES[name]
    if via_text:
        readers: list[Any] = [records.from_json, cls.from_json]
    else:
        readers = [records.load, cls.from_dict]
    for read in readers:
        data = damaged(record, steps, text=via_text)
        try:
            obj = read(as_text(data) if via_text else data)
        except LdnCompoundError as exc:
            if not isinstance(exc.kind, ErrorKind) or not isinstance(
                    getattr(exc, "parameter", None), str):
                return exc
            REFUSED[type(exc).__name__, str(exc.kind)] += 1
            continue
        except Exception as exc:  # what this fuzz exists to find
            return exc
        again = obj.to_dict()
        if type(obj).from_dict(copy.deepcopy(again)).to_dict() != again:
            return AssertionError(f"{name}: read back, the record does not round trip")
    return None
