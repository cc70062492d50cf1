"""Bad inputs to every compounding entry point (Python, record, command line, HTTP) are the
library's own errors naming the parameter; damaged records are refused, never repaired."""

from __future__ import annotations

import copy
import json

import pytest
from compounding_samples import CAPSULES, MADE, TABLETS, entries
from hypothesis import given, settings
from hypothesis import strategies as st

import ldn_compound as lc
from ldn_compound.cli import main

STOCK = lc.Stock.from_tablets("50 mg", "20 mL", 2)
POWDER = lc.Stock.from_concentration("2 mg/mL", "100 mL")


def _with(change):
    e = entries(TABLETS)
    change(e)
    return e


BAD_MASTER = [
    ({"source": "50 mg"}, "source"),
    ({"source": lc.Dropper()}, "source"),
    ({"source": STOCK, "preparation": "solid"}, "preparation"),
    ({"source": STOCK, "preparation": "syrup"}, "preparation"),
    ({"source": STOCK, "bud": "-3 days"}, "bud"),
    ({"source": POWDER, "purity": "150 %"}, "purity"),
    ({"source": POWDER, "purity": 0}, "purity"),
    ({"source": POWDER, "powder": "ester"}, "powder"),
    ({"source": POWDER, "sensitivity": "6 mL"}, "sensitivity"),
    ({"source": POWDER, "allowed_error": 5}, "allowed_error"),
    ({"source": lc.plan_trituration("50 mcg"), "preparation": "aqueous"}, "preparation"),
    ({"source": STOCK, "purity": "99 %"}, "purity"),  # tablets: no powder is weighed
    ({"source": lc.plan_trituration("50 mcg"), "sensitivity": "1 mg"}, "sensitivity"),
    ({"source": lc.plan_dilution("1 mcg"), "powder": "base"}, "powder"),
]


@pytest.mark.parametrize(("kwargs", "parameter"), BAD_MASTER)
def test_bad_master_formulation_inputs(kwargs, parameter):
    """master_formulation: each bad input is an InputError naming its parameter."""
    with pytest.raises(lc.InputError) as info:
        lc.master_formulation(**kwargs)
    assert info.value.parameter == parameter


BAD_ENTRIES = [
    (lambda e: e.pop("verifier"), "entries.verifier"),
    (lambda e: e.update(note="x"), "entries.note"),
    (lambda e: e.update(date="6/12/2026"), "date"),
    (lambda e: e.update(date="9999-12-30"), "date"),
    (lambda e: e.update(batch="B1\nTake 10 mL"), "batch"),
    (lambda e: e.update(preparer=""), "preparer"),
    (lambda e: e.update(verifier=7), "verifier"),
    (lambda e: e.update(appearance="ok"), "appearance"),
    (lambda e: e.update(components=[]), "components"),
    (lambda e: e["components"].pop("vehicle"), "components.vehicle"),
    (lambda e: e["components"].update(filler={}), "components.filler"),
    (lambda e: e["components"]["drug"].update(lot="A\u202eB"), "components.drug.lot"),
    (lambda e: e["components"]["drug"].update(manufacturer=None),
     "components.drug.manufacturer"),
    (lambda e: e["components"]["drug"].update(expiry="soon"), "components.drug.expiry"),
    (lambda e: e["components"]["drug"].update(expiry="2020-01-01"), "components.drug.expiry"),
    (lambda e: e["measured"].pop("tablets"), "measured.tablets"),
    (lambda e: e["measured"].update(tablets="two"), "measured.tablets"),
    (lambda e: e["measured"].update(tablets="0"), "measured.tablets"),
    (lambda e: e["measured"].update({"final volume": "20 mg"}), "measured.final volume"),
    (lambda e: e["measured"].update({"final volume": "20"}), "measured.final volume"),
    (lambda e: e["measured"].update({"step 9": "1 mL"}), "measured.step 9"),
]


@pytest.mark.parametrize(("change", "parameter"), BAD_ENTRIES)
def test_bad_compounding_record_entries(change, parameter):
    """compounding_record: each bad entry is an InputError naming it; nothing is ignored."""
    with pytest.raises(lc.InputError) as info:
        lc.compounding_record(TABLETS, _with(change))
    assert info.value.parameter == parameter


def test_bad_master_argument():
    """A master that is neither a MasterFormulation nor its record is refused."""
    for bad, parameter in [("recipe", "master"), ({}, "schema"), (STOCK.to_dict(), "schema")]:
        with pytest.raises(lc.InputError) as info:
            lc.compounding_record(bad, entries(TABLETS))
        assert info.value.parameter == parameter


def _paths(node, prefix=()):
    """Every field's path in a JSON value (containers and leaves)."""
    items = node.items() if isinstance(node, dict) else enumerate(node) \
        if isinstance(node, list) else ()
    for k, v in items:
        yield (*prefix, k)
        yield from _paths(v, (*prefix, k))


@pytest.mark.parametrize("record", [TABLETS, CAPSULES,
                                    lc.compounding_record(TABLETS, entries(TABLETS))],
                         ids=["master-tablets", "master-capsules", "batch"])
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_a_damaged_record_is_refused_or_unchanged(record, data):
    """Any field replaced by junk: a library error says why, or the record reads back as
    exactly what is stored; never another exception, never a silent repair."""
    good = json.loads(record.to_json())
    damaged = copy.deepcopy(good)
    paths = list(_paths(damaged))
    *parents, key = data.draw(st.sampled_from(paths))
    node = damaged
    for p in parents:
        node = node[p]
    junk = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=12),
                     st.sampled_from(["1 mg", "20 mL", "2026-12-06", "pass", "1/3", "-1",
                                     "9999-12-31", "0001-01-01", "1e999 mg"]),
                     st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3),
                                                                          st.integers(),
                                                                          max_size=2))
    node[key] = data.draw(junk)
    try:
        back = type(record).from_dict(damaged)
    except lc.LdnCompoundError:
        return
    # read back: then it is exactly what was stored (an input changed to another valid
    # input is another record), never a repaired one
    assert json.loads(back.to_json()) == damaged


def test_tampered_quantity_names_the_field():
    """A stored quantity changed by hand is refused as a record mismatch, naming it."""
    d = lc.compounding_record(TABLETS, entries(TABLETS)).to_dict()
    d["checks"][1]["ok"] = False
    with pytest.raises(lc.InputError) as info:
        lc.records.load(d)
    assert info.value.kind == lc.ErrorKind.RECORD_MISMATCH
    assert info.value.parameter == "checks[1].ok"


# -- the command line ---------------------------------------------------------------------
def _files(tmp_path, master=TABLETS, **kw):
    m, e = tmp_path / "m.json", tmp_path / "e.json"
    m.write_text(master.to_json(), encoding="utf-8")
    e.write_text(json.dumps(entries(master, **kw)), encoding="utf-8")
    return str(m), str(e)


def test_cli_formulation_and_batch_record(tmp_path, capsys):
    """formulation prints the recipe; batch-record exits 0 for a good batch, 3 for a failed
    one (and prints no label)."""
    assert main(["formulation", "--tablet", "50 mg", "--count", "2", "--volume", "20 mL",
                 "--json"]) == 0
    assert lc.records.from_json(capsys.readouterr().out) == TABLETS
    m, e = _files(tmp_path)
    assert main(["batch-record", "--master", m, "--entries", e]) == 0
    assert "Label: " in capsys.readouterr().out
    m, e = _files(tmp_path, appearance="fail")
    assert main(["batch-record", "--master", m, "--entries", e, "--html"]) == 3
    out = capsys.readouterr().out
    assert out.startswith("<!DOCTYPE html>") and "Label: " not in out


@pytest.mark.parametrize(("argv", "needle"), [
    (["formulation", "--tablet", "50 mg", "--volume", "20 mL", "--preparation", "x"],
     "--preparation"),
    (["formulation", "--tablet", "50 mg", "--volume", "20 mL", "--purity", "2"], "--purity"),
    (["formulation", "--from", "/nonexistent.json"], "--from"),
    (["formulation", "--from", "x.json", "--tablet", "50 mg"], "--from"),
    (["batch-record", "--master", "/nonexistent.json", "--entries", "x"], "--master"),
])
def test_cli_bad_input_is_one_line(argv, needle, capsys):
    """A bad flag or file: exit 2, one line naming it, no traceback."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err


def test_cli_expired_component(tmp_path, capsys):
    """An expired component: exit 2, naming it."""
    m, e = _files(tmp_path, expiry={"drug": "2026-12-05"})
    assert main(["batch-record", "--master", m, "--entries", e]) == 2
    assert "components.drug.expiry" in capsys.readouterr().err


# -- the service ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client():
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from ldn_compound.serve import create_app

    return TestClient(create_app())


def test_api_records(client):
    """POST /api/formulation and /api/batch-record return the records; a failed batch is
    ok false with no label; both are in the OpenAPI document."""
    r = client.post("/api/formulation", json={"source": STOCK.to_dict()})
    assert r.status_code == 200 and lc.records.load(r.json()) == TABLETS
    body = {"master": r.json(), "entries": entries(TABLETS, appearance="fail")}
    r = client.post("/api/batch-record", json=body)
    assert r.status_code == 200 and r.json()["ok"] is False and r.json()["label"] is None
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/formulation" in paths and "/api/batch-record" in paths


@pytest.mark.parametrize(("path", "body", "parameter"), [
    ("/api/formulation", {"source": {"schema": "x"}}, "schema"),
    ("/api/formulation", {"source": STOCK.to_dict(), "purity": "2"}, "purity"),
    ("/api/batch-record", {"master": TABLETS.to_dict(),
                           "entries": entries(TABLETS, expiry={"vehicle": "2001-01-01"})},
     "components.vehicle.expiry"),
    ("/api/batch-record", {"master": TABLETS.to_dict(), "entries": {}}, "entries.batch"),
])
def test_api_refusals_are_422_with_the_librarys_fields(client, path, body, parameter):
    """A refusal is 422 with kind, message and parameter: never a 500."""
    r = client.post(path, json=body)
    assert r.status_code == 422
    assert r.json()["parameter"] == parameter and r.json()["kind"]


def test_made_date_is_the_samples():
    """The samples' day made is the one the entries carry."""
    assert entries(TABLETS)["date"] == MADE.isoformat()


# --- batch and lot numbers are identifiers (hostile-integrator finding) ----------------

from hypothesis import given as _given  # noqa: E402
from hypothesis import strategies as _st  # noqa: E402

import compounding_samples as _cs  # noqa: E402

from ldn_compound import InputError as _InputError  # noqa: E402
from ldn_compound import compounding_record as _record  # noqa: E402
from ldn_compound.units import check_identifier as _check_identifier  # noqa: E402


@pytest.mark.parametrize("bad", [
    "7. Take 10 mL (50 mg) by mouth daily",   # a sentence riding into the label
    "B 1", "-B1", "", "B1\n2", "B1;rm", "x" * 41, "B\u202e1", "(B1)", 5,
])
@pytest.mark.parametrize("field", ["batch", "lot"])
def test_batch_and_lot_numbers_are_identifiers(field, bad):
    """A batch or lot number with a space or punctuation beyond - / . _ # is refused, naming
    the field, so nothing but an identifier is printed where the label names the batch."""
    e = _cs.entries(_cs.TABLETS)
    key = next(iter(e["components"]))
    if field == "batch":
        e["batch"], where = bad, "batch"
    else:
        e["components"][key]["lot"], where = bad, f"components.{key}.lot"
    with pytest.raises(_InputError) as info:
        _record(_cs.TABLETS, e)
    assert info.value.parameter == where


@_given(_st.text(max_size=50))
def test_an_identifier_is_accepted_exactly_when_it_matches_the_rule(text):
    """check_identifier accepts just the texts of the identifier rule (an independent
    reading of it), and returns them stripped of outer spaces."""
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/._#")
    core = text.strip(" ")
    ok = (0 < len(core) <= 40 and core[0].isascii() and core[0].isalnum()
          and set(core) <= allowed)
    if ok:
        assert _check_identifier(text, "batch", example="'B1'") == core
    else:
        with pytest.raises(_InputError):
            _check_identifier(text, "batch", example="'B1'")


def test_the_entries_file_is_read_by_the_records_json_reader(tmp_path):
    """--entries nested 100,000 deep, or holding NaN, is one line and exit 2 (was a
    RecursionError, exit 70)."""
    import subprocess
    import sys

    master = tmp_path / "m.json"
    master.write_text(_cs.TABLETS.to_json())
    for text in ("[" * 100_000 + "]" * 100_000, '{"batch": NaN}'):
        entries = tmp_path / "e.json"
        entries.write_text(text)
        r = subprocess.run([sys.executable, "-m", "ldn_compound", "batch-record", "--master",
                            str(master), "--entries", str(entries)], capture_output=True,
                           text=True)
        assert r.returncode == 2 and "--entries" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


@_given(_st.one_of(_st.integers(min_value=-10, max_value=10**60),
                   _st.fractions(min_value=-5, max_value=10**6, max_denominator=10**12)))
def test_any_measured_count_is_refused_or_reads_back(count):
    """Whatever count of tablets is entered, the record is refused with the library's error
    or is one that reads back to itself (a count too long to store was accepted before)."""
    e = _cs.entries(_cs.TABLETS)
    e["measured"]["tablets"] = str(count) if isinstance(count, type(_cs.Fraction(1))) else count
    try:
        r = _record(_cs.TABLETS, e)
    except _InputError as exc:
        assert exc.parameter == "measured.tablets"
        return
    assert type(r).from_dict(r.to_dict()).to_dict() == r.to_dict()


@_given(_st.dates(max_value=__import__("datetime").date(1999, 12, 31)))
def test_a_date_before_2000_is_an_entry_slip(day):
    """A batch made, or a component expiring, before 2000 is refused naming the field (a
    batch of 0001-01-01 was labelled 'Beyond-use date: 0001-01-14')."""
    e = _cs.entries(_cs.TABLETS, date=day)
    with pytest.raises(_InputError) as info:
        _record(_cs.TABLETS, e)
    assert info.value.parameter in ("date",) or info.value.parameter.endswith(".expiry")
