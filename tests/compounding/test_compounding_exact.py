"""Every quantity in any generated record recomputes exactly from the record's own inputs."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction

from compounding_samples import MADE, entered, entries
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import ldn_compound as lc


def _x(text):
    """An exact field ("32/7 mg", "0.02") as a Fraction."""
    return Fraction(text.split(" ")[0])


@st.composite
def masters(draw):
    """A master formulation record of a tablet or powder stock, a trituration or a serial
    dilution."""
    kind = draw(st.sampled_from(["tablets", "powder", "capsules", "dilution"]))
    try:
        if kind == "dilution":
            return lc.master_formulation(lc.plan_dilution(f"{draw(st.integers(1, 400))} mcg",
                                                          "50 mg"))
        if kind == "tablets":
            return lc.master_formulation(lc.Stock.from_tablets(
                f"{draw(st.sampled_from([25, 50]))} mg", f"{draw(st.integers(10, 100))} mL",
                draw(st.integers(1, 4))))
        if kind == "powder":
            conc = draw(st.fractions(Fraction(1), Fraction(20), max_denominator=20))
            return lc.master_formulation(
                lc.Stock.from_concentration(f"{conc} mg/mL", f"{draw(st.integers(10, 100))} mL"),
                powder=draw(st.sampled_from(["salt", "base"])),
                purity=draw(st.fractions(Fraction(9, 10), Fraction(1), max_denominator=100)))
        return lc.master_formulation(lc.plan_trituration(
            f"{draw(st.integers(10, 1000))} mcg", capsules=draw(st.integers(10, 200))))
    except lc.InputError:
        assume(False)
        raise


def _strength(master_record, measured):
    """The strength from the record's inputs and the measured amounts, by hand."""
    src = master_record["source"]
    if src["schema"] == "ldn_compound/trituration_plan@1":
        salt = Fraction("377.86") / Fraction("341.40")  # REFERENCES, Naltrexone
        factor = 1 if src["dose_as"] == src["powder_form"] else \
            salt if src["powder_form"] == "hydrochloride" else 1 / salt
        drug = measured["powder"] * _x(src["purity"]) / factor
        for step in src["steps"]:
            n = step["step"]
            if n > 1:
                drug = drug * measured[f"step {n} portion"]
            drug = drug / measured[f"step {n} mixture"]
        if src["steps"]:
            drug = drug * measured["aliquot"]
        return drug / measured["blend"] * measured["capsule weight"]
    if src["schema"] == "ldn_compound/dilution_plan@1":
        conc, steps = None, src["steps"]
        for step in steps:
            n = step["step"]
            up = measured["final volume" if step is steps[-1] else f"step {n} volume"]
            conc = measured["tablets"] * _x(step["tablet_strength"]) / up \
                if step["take_exact"] is None else conc * measured[f"step {n} take"] / up
        return conc
    if src["tablets"] is not None:
        return measured["tablets"] * _x(src["tablet_strength"]) / measured["final volume"]
    salt = Fraction("377.86") / Fraction("341.40")
    factor = 1 if master_record["powder"] == "salt" else 1 / salt
    return measured["powder"] * _x(master_record["purity"]) / factor / \
        measured["final volume"]


@settings(max_examples=80, deadline=None)
@given(masters(), st.data())
def test_every_quantity_recomputes_exactly(master, data):
    """Master and batch records: strengths, deviations, verdicts and BUD recompute exactly."""
    planned = {a["key"]: _x(a["quantity_exact"]) for a in master.to_dict()["amounts"]}
    record = json.loads(master.to_json())
    assert _x(record["strength_exact"]) == _strength(record, planned)
    measured = {k: v * (1 + data.draw(st.fractions(Fraction(-1, 5), Fraction(1, 5),
                                                      max_denominator=1000)))
                for k, v in planned.items()}
    units = {a.key: a.unit for a in master.formula.amounts}
    expiry = MADE + dt.timedelta(days=data.draw(st.integers(0, 400)))
    e = entries(master, measured={k: entered(v, units[k]) for k, v in measured.items()},
                expiry={"drug": expiry.isoformat()})
    got = json.loads(lc.compounding_record(master, e).to_json())
    values = {m["amount"]: _x(m["value"]) for m in got["measured"]}
    assert values == measured
    tolerance = {a["key"]: _x(a["tolerance"]) for a in got["master"]["amounts"]}
    for c in got["checks"]:
        k = c["amount"]
        assert _x(c["deviation"]) == values[k] / planned[k] - 1
        assert c["ok"] == (abs(values[k] / planned[k] - 1) <= tolerance[k])
    strength = _strength(got["master"], values)
    assert _x(got["strength_exact"]) == strength
    label_strength = _x(record["strength_exact"])
    ok = all(c["ok"] for c in got["checks"]) and \
        abs(strength / label_strength - 1) <= Fraction(1, 10)
    assert got["ok"] == ok
    bud = min(MADE + dt.timedelta(days=got["master"]["bud_days"] - 1), expiry)
    assert got["bud_date"] == bud.isoformat()
    assert (got["label"] is None) == (not ok or got["master"]["sample_label"] is None)
