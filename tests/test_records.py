"""Versioned records: a tampered record of every type is refused naming the field; schemas
ship and load; defaults are written out; bad records and names are refused by kind."""

from __future__ import annotations

import copy
import json
import pickle
from fractions import Fraction

import numpy as np
import pytest
from record_schemas import validate

import ldn_compound as lc
from ldn_compound import ErrorKind, InputError, records

_STOCK = lc.Stock.from_tablets("50 mg", "10 mL")
_SCHEDULE = lc.titrate("0.5 mg", "0.5 mg", "4.5 mg", "7 days", _STOCK, lc.Dropper(),
                       start_date="2026-01-05")
_PLAN = lc.plan_dilution("1 mcg", "50 mg")
_TRITURATION = lc.plan_trituration("50 mcg")
_MASTER = lc.master_formulation(lc.Stock.from_tablets("50 mg", "20 mL", 2))
_BATCH = lc.compounding_record(_MASTER, {
    "batch": "B-1", "date": "2026-12-06", "preparer": "A. Smith", "verifier": "B. Jones",
    "components": {k: {"manufacturer": "M", "lot": "L", "expiry": "2027-06-30"}
                   for k in ("drug", "vehicle")},
    "measured": {"tablets": "2", "final volume": "20.1 mL"}, "appearance": "pass"})


def _set(data, path, value):
    """``data`` with the field at ``path`` (``"steps.2.count"``) set to ``value``."""
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    node[int(last) if isinstance(node, list) else last] = value


#: One sample of every record type, a stored result in it, a wrong value for it, and the
#: field the refusal names.
TAMPERED = {
    "stock": (lambda: _STOCK, "concentration", "6 mg/mL", "concentration"),
    "dropper": (lambda: lc.Dropper(), "drop_volume", "0.04 mL", "drop_volume"),
    "oral_syringe": (lambda: lc.OralSyringe("3 mL"), "graduation", "0.5 mL", "graduation"),
    "graduated_cylinder": (lambda: lc.GraduatedCylinder("10 mL"), "tolerance_ml", "0.5 mL",
                           "tolerance_ml"),
    "volumetric_flask": (lambda: lc.VolumetricFlask("50 mL"), "glass_class", "B",
                         "tolerance_ml"),
    "measurement": (lambda: lc.measure("4.5 mg", _STOCK, lc.Dropper()), "count", 99, "count"),
    "chain_measurement": (lambda: _PLAN.measurement_of(0), "bounds.low", "0.1 mcg",
                          "bounds.low"),
    "batch_measurement": (lambda: lc.measure_many(["4.5 mg", "1 mg"], _STOCK, lc.Dropper()),
                          "count.1", 5, "count[1]"),
    "schedule": (lambda: _SCHEDULE, "steps.2.count", 99, "steps[2].count"),
    "step": (lambda: _SCHEDULE.steps[1], "volume", "2 mL", "volume"),
    "supply": (lambda: _SCHEDULE.supply(), "tablets", 7, "tablets"),
    "batch": (lambda: _SCHEDULE.supply().batches[0], "concentration", "9 mg/mL",
              "concentration"),
    "dilution_plan": (lambda: _PLAN, "final_stock.concentration", "1 mg/mL",
                      "final_stock.concentration"),
    "dilution_step": (lambda: _PLAN.steps[0], "instruction", "Take 1 mL.", "instruction"),
    "simulation_result": (lambda: _PLAN.simulate(200, seed=1), "mean", "1 mg", "mean"),
    "trituration_plan": (lambda: _TRITURATION, "aliquot", "1 mg", "aliquot"),
    "trituration_step": (lambda: _TRITURATION.steps[0], "filler", "1 mg", "filler"),
    "master_formulation": (lambda: _MASTER, "amounts.0.quantity_exact", "3 tablet",
                           "amounts[0].quantity_exact"),
    "compounding_record": (lambda: _BATCH, "bud_date", "2027-12-31", "bud_date"),
    "taper_plan": (lambda: lc.plan_taper("4.5 mg", "1 mg", "14 days", _STOCK,
                                         [lc.Dropper(), lc.OralSyringe("1 mL", "0.01 mL")],
                                         reduction=0.2), "steps.2.count", 99, "steps[2].count"),
}


def test_every_record_type_has_a_tampered_case_and_a_schema():
    """The tampered table and the shipped schemas cover exactly the record names."""
    assert set(TAMPERED) == set(records.NAMES)
    assert all(records.schema(n)["properties"]["schema"]["const"] == f"ldn_compound/{n}@1"
               for n in records.NAMES)


@pytest.mark.parametrize("name", sorted(TAMPERED))
def test_a_tampered_record_is_refused_naming_the_field(name):
    """Changing one stored result makes from_dict refuse the record, naming that field."""
    build, path, wrong, field = TAMPERED[name]
    x = build()
    data = json.loads(x.to_json())
    assert data["schema"] == f"ldn_compound/{name}@1" and validate(data) >= 1
    assert type(x).from_dict(copy.deepcopy(data)) == x
    _set(data, path, wrong)
    with pytest.raises(InputError) as info:
        type(x).from_dict(data)
    assert info.value.kind is ErrorKind.RECORD_MISMATCH and info.value.parameter == field


def test_the_refusal_says_stored_and_computed():
    """The count example of issue 12: stored 99, computed 18, both in the message."""
    data = lc.measure("4.5 mg", _STOCK, lc.Dropper()).to_dict()
    data["count"] = 99
    with pytest.raises(InputError, match="18") as info:
        lc.Measurement.from_dict(data)
    assert info.value.value == 99 and "99" in str(info.value)
    again = pickle.loads(pickle.dumps(info.value))
    assert again.kind is ErrorKind.RECORD_MISMATCH and again.parameter == "count"


def test_a_missing_or_unknown_field_is_refused():
    """A versioned record lacking a result, or with a field no record has, is refused."""
    data = _STOCK.to_dict()
    del data["warnings"]
    with pytest.raises(InputError, match="lacks") as info:
        lc.Stock.from_dict(data)
    assert info.value.parameter == "warnings"
    data = {**_STOCK.to_dict(), "note": "x"}
    with pytest.raises(InputError) as info:
        lc.Stock.from_dict(data)
    assert info.value.parameter == "note" and info.value.kind is ErrorKind.RECORD_MISMATCH


def test_a_stock_writes_the_volume_tolerance_it_uses():
    """volume_tolerance is the value the bounds use, never null; a flag says it is the default."""
    default = _STOCK.to_dict()
    assert default["volume_tolerance"] == "0.01" and default["volume_tolerance_default"] is True
    given = lc.Stock.from_tablets("50 mg", "10 mL", volume_tolerance="0.01").to_dict()
    assert given["volume_tolerance"] == "0.01" and given["volume_tolerance_default"] is False
    assert lc.Stock.from_dict(default) == _STOCK
    assert lc.Stock.from_dict(given).volume_tolerance == Fraction(1, 100)


def test_exact_fields_are_exact_and_display_fields_safe():
    """32/7 mg is written exactly in target_exact and as safe display text in target;
    1000 mL is exact "1000 mL" in the stock, "1,000 mL" where shown."""
    m = lc.measure("32/7 mg", lc.Stock(drug="5000 mg", volume="1000 mL"), lc.OralSyringe("1 mL"))
    d = m.to_dict()
    assert d["target_exact"] == "32/7 mg" and d["target"] == "4.5714286 mg"
    assert d["stock"]["volume"] == "1000 mL" and "1,000 mL" in str(m.stock)
    assert records.load(d) == m and lc.Measurement.from_dict(d).exact_target == Fraction(32, 7)


def test_a_dict_written_before_versioning_still_reads():
    """An unversioned 0.1 dict (volume_tolerance null, no schema) is read from its inputs."""
    old = {"drug": "50 mg", "volume": "10 mL", "content_tolerance": "0.1",
           "volume_tolerance": None, "tablets": "1", "tablet_strength": "50 mg"}
    assert lc.Stock.from_dict(old) == _STOCK
    old["concentration"] = "6 mg/mL"  # a stored result it does have is still checked
    with pytest.raises(InputError) as info:
        lc.Stock.from_dict(old)
    assert info.value.parameter == "concentration"


def test_a_batch_record_keeps_each_elements_stock():
    """A batch over two stocks writes each element's stock index and reads back equal."""
    b = lc.measure_many((np.array([1.0, 2.0, 3.0]), "mg"),
                        [_STOCK, lc.Stock.from_tablets("50 mg", "20 mL"), _STOCK], lc.Dropper())
    d = b.to_dict()
    assert len(d["stocks"]) == 2 and d["stock_index"] == [0, 1, 0] and d["device_index"] is None
    assert lc.BatchMeasurement.from_json(b.to_json()) == b


def test_schemas_ship_in_the_package_folder():
    """Each schema is a draft 2020-12 document in ldn_compound/schemas."""
    from importlib import resources

    folder = resources.files("ldn_compound").joinpath("schemas")
    names = sorted(p.name.removesuffix(".json") for p in folder.iterdir()
                   if p.name.endswith(".json"))
    assert names == sorted(records.NAMES)
    assert {records.schema(n)["$schema"] for n in names} == {
        "https://json-schema.org/draft/2020-12/schema"}


@pytest.mark.parametrize(
    ("call", "parameter", "kind"),
    [
        (lambda: records.schema("pill"), "name", ErrorKind.INVALID),
        (lambda: records.load({"schema": "ldn_compound/pill@1"}), "schema",
         ErrorKind.RECORD_MISMATCH),
        (lambda: records.load({"schema": "ldn_compound/stock@2"}), "schema",
         ErrorKind.RECORD_MISMATCH),
        (lambda: records.load([]), "schema", ErrorKind.RECORD_MISMATCH),
        (lambda: records.from_json("{"), "text", ErrorKind.INVALID),
        (lambda: lc.Stock.from_json(b"\xff"), "text", ErrorKind.INVALID),
        (lambda: lc.Stock.from_dict(lc.Dropper().to_dict()), "schema",
         ErrorKind.RECORD_MISMATCH),
        (lambda: lc.Stock.from_dict("50 mg"), "data", ErrorKind.INVALID),
        (lambda: lc.Schedule.from_dict({"schema": "ldn_compound/schedule@1"}), "data",
         ErrorKind.INVALID),
        (lambda: lc.Stock.from_dict({**_STOCK.to_dict(), "volume_tolerance_default": "yes"}),
         "volume_tolerance_default", ErrorKind.INVALID),
        (lambda: lc.Measurement.from_dict({**lc.measure("1 mg", _STOCK, lc.Dropper())
                                          .to_dict(), "target_exact": "1 mL"}),
         "dose", ErrorKind.UNIT),
    ],
)
def test_bad_records(call, parameter, kind):
    """Each bad record or name raises InputError naming the parameter, with its kind."""
    with pytest.raises(InputError) as info:
        call()
    assert info.value.parameter == parameter and info.value.kind is kind


@pytest.mark.parametrize("name", sorted(records.NAMES))
def test_schema_by_name_or_by_schema_field(name):
    """schema() takes a record name or the record's own "schema" field, and reads the
    shipped file as UTF-8 (every shipped schema is plain ASCII, so no locale reads it
    differently)."""
    by_field = records.schema(f"ldn_compound/{name}@1")
    assert by_field == records.schema(name)
    assert by_field["properties"]["schema"]["const"] == f"ldn_compound/{name}@1"
    from importlib import resources

    raw = resources.files("ldn_compound").joinpath("schemas", f"{name}.json").read_bytes()
    assert raw.isascii()


@pytest.mark.parametrize("name", [5, None, ("measurement",), "ldn_compound/measurement@2",
                                  "measurement@1x", "/measurement"])
def test_schema_refuses_what_names_no_record(name):
    """A name that is not a record name (or not text) is refused, quoting it."""
    with pytest.raises(InputError) as info:
        records.schema(name)
    assert info.value.parameter == "name" and info.value.value == name
    assert info.value.kind is ErrorKind.INVALID


@pytest.mark.parametrize("text", ["{", b"\xff", "", "[1, 2", None, 5])
def test_from_json_refuses_what_is_not_json_quoting_it(text):
    """Text that is not JSON (or not text) is refused as "text", quoting it, and saying
    a record was expected."""
    with pytest.raises(InputError) as info:
        records.from_json(text)
    assert info.value.parameter == "text" and info.value.value == text
    assert "record" in info.value.expected
