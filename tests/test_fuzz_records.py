"""Fuzz of reading records (issue 21): a damaged record of every kind reads back to a
consistent object or is refused with the library's own error, never a raw exception.

The damages are in tests/record_fuzz.py; ``python tools/fuzz_records.py`` runs 30,000
of them (seeded) over every kind, outside the suite.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from record_fuzz import ALL_DAMAGES, SAMPLES, Put, as_text, damaged, outcome, paths

import ldn_compound as lc
from ldn_compound import ErrorKind, InputError, records

#: Any JSON value (NaN and infinities included, as a careless writer makes them).
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=6)


def test_every_record_kind_is_fuzzed():
    """The samples cover exactly the record names, each valid and reading back."""
    assert set(SAMPLES) == set(records.NAMES)
    for name, samples in SAMPLES.items():
        for record in samples:
            assert records.load(record).to_dict() == record, name


@settings(deadline=None)
@given(st.data())
def test_a_damaged_record_reads_consistently_or_is_refused(data):
    """One to three fields of a record of any kind damaged (null, NaN, inf, 1e400, huge
    numbers, empty or wrong-typed values, deep nesting, removed or added fields, any
    JSON value), read as a dict and as JSON text: a consistent object or the library's
    error with its kind (and parameter)."""
    name = data.draw(st.sampled_from(sorted(SAMPLES)), label="kind")
    record = data.draw(st.sampled_from(SAMPLES[name]), label="record")
    damage = st.sampled_from(ALL_DAMAGES) | JSON.map(Put)
    steps = data.draw(st.lists(st.tuples(st.sampled_from(list(paths(record))), damage),
                               min_size=1, max_size=3), label="damages")
    via_text = data.draw(st.booleans(), label="via_text")
    exc = outcome(name, record, steps, via_text)
    assert exc is None, f"{name} {steps}: {type(exc).__name__}: {exc}"


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_damage_of_every_kind(name):
    """Each damage at a top-level field of each kind in turn (or on the record itself),
    as a dict or as text in turn: never a raw exception."""
    record = SAMPLES[name][0]
    fields = [(), *((key,) for key in record)]
    for i, damage in enumerate(ALL_DAMAGES):
        steps = [(fields[i % len(fields)], damage)]
        exc = outcome(name, record, steps, via_text=i % 2 == 1)
        assert exc is None, f"{name} {steps}: {type(exc).__name__}: {exc}"


_PLAN = lc.plan_dilution("1 mcg", "50 mg")
_STEP = {**_PLAN.steps[-1].to_dict(), "take_exact": None}
_TRIT = {**lc.plan_trituration("50 mcg").steps[0].to_dict(), "powder_fraction": "0"}
_SIM = _PLAN.simulate(200, seed=1).to_dict()
_BATCH = lc.measure_many(["1 mg", "2 mg"], [lc.Stock.from_tablets("50 mg", "10 mL"),
                                           lc.Stock.from_tablets("50 mg", "20 mL")],
                         lc.Dropper()).to_dict()
_MEASUREMENT = lc.measure("4.5 mg", lc.Stock.from_tablets("50 mg", "10 mL"),
                          lc.Dropper()).to_dict()

#: The reproductions of issue 21, each with the field its refusal names.
ISSUE_21 = [
    (lambda: records.from_json("[" * 1000 + "]" * 1000), "text"),
    (lambda: lc.Measurement.from_json('{"a": ' * 1000 + "1" + "}" * 1000), "text"),
    (lambda: lc.Measurement.from_dict({**_MEASUREMENT, "warnings": damaged(
        _MEASUREMENT, [(("warnings",), "deep list")])["warnings"]}), "warnings" + "[0]" * 31),
    (lambda: lc.DilutionStep.from_dict(_STEP), "take_exact"),
    (lambda: lc.TriturationStep.from_dict(_TRIT), "powder_fraction"),
    (lambda: lc.SimulationResult.from_dict({**_SIM, "target_mg": math.nan}), "target_mg"),
    (lambda: lc.SimulationResult.from_dict({**_SIM, "target_mg": math.inf}), "target_mg"),
    (lambda: lc.SimulationResult.from_json(as_text({**_SIM, "target_mg": 1}).replace(
        '"target_mg": 1', '"target_mg": 1e400')), "text"),
    (lambda: lc.SimulationResult.from_dict({**_SIM, "percentiles_mg": [[50, "x"]]}),
     "percentiles_mg"),
    (lambda: lc.SimulationResult.from_dict({**_SIM, "percentiles_mg": [[math.nan, 1.0]]}),
     "percentiles_mg[0][0]"),
    (lambda: lc.SimulationResult.from_dict({**_SIM, "percentiles_mg": [[50]]}),
     "percentiles_mg"),
    (lambda: lc.BatchMeasurement.from_dict({**_BATCH, "shape": [math.nan]}), "shape[0]"),
    (lambda: lc.BatchMeasurement.from_dict({**_BATCH, "shape": [[2]]}), "shape"),
    (lambda: lc.BatchMeasurement.from_dict({**_BATCH, "stock_index": []}), "stock_index"),
    (lambda: lc.BatchMeasurement.from_dict({**_BATCH, "stock_index": [0, 2]}), "stock_index"),
    (lambda: records.load({**_MEASUREMENT, "count": 10**400}), "count"),
]


_IDS = ["deep-json-list", "deep-json-dict", "deep-warnings", "step-takes-nothing",
        "zero-powder-fraction", "nan-target", "inf-target", "1e400-target", "text-percentile",
        "nan-percentile", "percentile-not-a-pair", "nan-shape", "shape-of-lists",
        "empty-stock-index", "stock-index-past-stocks", "huge-count"]


@pytest.mark.parametrize(("read", "parameter"), ISSUE_21, ids=_IDS)
def test_the_issue_21_records_are_refused_naming_the_field(read, parameter):
    """Deep nesting, a step with nothing taken, a zero powder fraction, NaN/inf/1e400 and
    text in a simulation, a bad batch shape or index: InputError naming the field."""
    with pytest.raises(InputError) as info:
        read()
    assert info.value.parameter == parameter and info.value.kind is not ErrorKind.RECORD_MISMATCH


@pytest.mark.parametrize(("dose", "kind"), [("0.001 mg", ErrorKind.BELOW_ONE_UNIT),
                                            ("100 mg", ErrorKind.BEYOND_STOCK)])
def test_a_record_of_a_dose_measure_refuses_is_an_input_error_of_its_kind(dose, kind):
    """No record holds a dose measure() refuses: reading one is an InputError naming the
    record, with the refusal's kind and the refusal as its cause."""
    with pytest.raises(InputError) as info:
        lc.Measurement.from_dict({**_MEASUREMENT, "target_exact": dose})
    assert info.value.parameter == "data" and info.value.kind is kind
    assert isinstance(info.value.__cause__, lc.UnmeasurableDoseError)
