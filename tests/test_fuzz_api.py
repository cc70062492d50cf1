"""Fuzz of every public entry point (issue 8): a result or a library error, within a second."""

import time
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pint
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ldn_compound as lc
from ldn_compound import LdnCompoundError

UREG = pint.UnitRegistry()  # another registry than the library's
STOCK = lc.Stock.from_tablets("50 mg", "10 mL")
DROPPER = lc.Dropper()
SYRINGE = lc.OralSyringe(capacity="1 mL", graduation="0.01 mL")
POWDER = lc.Stock.from_concentration("2 mg/mL", "100 mL")
MASTER = lc.master_formulation(STOCK)
ENTRIES = {"batch": "B-1", "date": "2026-12-06", "preparer": "A", "verifier": "B",
           "components": {k: {"manufacturer": "M", "lot": "L", "expiry": "2027-01-01"}
                          for k in ("drug", "vehicle")},
           "measured": {"tablets": "1", "final volume": "10 mL"}, "appearance": "pass"}
LADDER = lc.titrate("1.5 mg", "0.5 mg", "4.5 mg", "14 days", STOCK, DROPPER)
FLAGGED_LADDER = lc.titrate("0.5 mg", "0.5 mg", "1.5 mg", "7 days",
                            lc.Stock.from_tablets("50 mg", "50 mL"), lc.OralSyringe("5 mL"))

_UNITS = ["mg", "mcg", "g", "ng", "mL", "L", "mg/mL", "days", "weeks", "%", "", "MG", "cc",
          "gr", "tsp", "mg%", "µg", "kg", "\u0000", "furlong"]
_PINT_UNITS = ["milligram", "centigram", "microgram", "gram", "milliliter", "liter", "day",
               "week", "grain", "teaspoon", "meter", "dimensionless", "mg/mL", "1/mL"]

numbers = st.one_of(
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.fractions(),
    st.builds(Decimal, st.sampled_from(["1e100000000", "-1e-100000000", "1e31", "9" * 5000])),
    st.floats(width=32).map(np.float32),
    st.floats(width=16).map(np.float16),
    st.floats().map(np.float64),
    st.integers(-(2**63), 2**63 - 1).map(np.int64),
    st.integers(0, 255).map(np.uint8),
    st.booleans(),
    st.just(np.bool_(True)),
    st.floats(0.001, 100).map(np.array),  # 0-d array
)
texts = st.one_of(
    st.text(max_size=30),
    st.builds("{}{}{}".format, st.sampled_from(["", "-", "+"]),
              st.decimals(allow_nan=False, allow_infinity=False).map(str) | numbers.map(str),
              st.sampled_from([" " + u for u in _UNITS] + _UNITS)),
    st.builds("{}e{} {}".format, st.integers(1, 9), st.integers(-(10**9), 10**9),
              st.sampled_from(_UNITS)),
    st.sampled_from(["4.5 m" + " " * 30_000 + "x", "4.5 " + "m" * 100_000, "9" * 5000 + " mg",
                     "1e100000000 mg", "3\x90«\x87cc", "1.1=week", "\u1044\u0a6e\u0a69",
                     "4.5 mg\n", "10 %", "10%", "0.1", "1/0", "1/3 mg"]),
)
quantities = st.builds(
    lambda m, u, arr: UREG.Quantity(np.array([m, m]) if arr else m, u),
    st.floats(allow_nan=True, allow_infinity=True) | st.integers(-(10**6), 10**6),
    st.sampled_from(_PINT_UNITS), st.booleans(),
)
arrays = st.one_of(
    st.lists(st.floats(0.001, 100), min_size=1, max_size=4).map(np.array),
    st.lists(st.floats(0.001, 100), max_size=3),
    st.tuples(st.lists(st.floats(), max_size=3).map(np.array), st.sampled_from(_UNITS)),
)
values = st.one_of(texts, numbers, quantities, arrays, st.none(),
                   st.tuples(numbers, st.sampled_from(_UNITS)))

# Every public entry point, with the fuzzed value put in one parameter at a time.
CALLS = {
    "measure.dose": lambda v: lc.measure(v, STOCK, DROPPER),
    "measure.rounding": lambda v: lc.measure("4.5 mg", STOCK, DROPPER, rounding=v),
    "measure_many.doses": lambda v: lc.measure_many(v, STOCK, SYRINGE),
    "classify.dose": lambda v: lc.classify(v),
    "Stock.drug": lambda v: lc.Stock(drug=v, volume="10 mL"),
    "Stock.volume": lambda v: lc.Stock(drug="50 mg", volume=v),
    "Stock.content_tolerance": lambda v: lc.Stock(drug="50 mg", volume="10 mL",
                                                  content_tolerance=v),
    "Stock.volume_tolerance": lambda v: lc.Stock(drug="50 mg", volume="10 mL",
                                                 volume_tolerance=v),
    "Stock.from_tablets.strength": lambda v: lc.Stock.from_tablets(v, "10 mL"),
    "Stock.from_tablets.volume": lambda v: lc.Stock.from_tablets("50 mg", v),
    "Stock.from_tablets.count": lambda v: lc.Stock.from_tablets("50 mg", "10 mL", v),
    "Dropper.drops_per_mL": lambda v: lc.Dropper(drops_per_mL=v),
    "Dropper.volume_error": lambda v: lc.Dropper(volume_error=v),
    "Dropper.max_drops": lambda v: lc.Dropper(max_drops=v),
    "OralSyringe.capacity": lambda v: lc.OralSyringe(capacity=v),
    "OralSyringe.graduation": lambda v: lc.OralSyringe(capacity="1 mL", graduation=v),
    "OralSyringe.volume_error": lambda v: lc.OralSyringe(capacity="1 mL", volume_error=v),
    "GraduatedCylinder.capacity": lambda v: lc.GraduatedCylinder(v),
    "GraduatedCylinder.graduation": lambda v: lc.GraduatedCylinder("10 mL", graduation=v),
    "VolumetricFlask.capacity": lambda v: lc.VolumetricFlask(v),
    "titrate.start": lambda v: lc.titrate(v, "0.5 mg", "4.5 mg", "7 days", STOCK, DROPPER),
    "titrate.step": lambda v: lc.titrate("1.5 mg", v, "4.5 mg", "7 days", STOCK, DROPPER),
    "titrate.target": lambda v: lc.titrate("1.5 mg", "0.5 mg", v, "7 days", STOCK, DROPPER),
    "titrate.every": lambda v: lc.titrate("1.5 mg", "0.5 mg", "4.5 mg", v, STOCK, DROPPER),
    "titrate.max_rounding_error": lambda v: lc.titrate("1.5 mg", "0.5 mg", "4.5 mg",
                                                       "7 days", STOCK, DROPPER,
                                                       max_rounding_error=v),
    "taper.start": lambda v: lc.taper(v, 0.1, "7 days", STOCK, DROPPER, "1 mg"),
    "taper.percent": lambda v: lc.taper("4.5 mg", v, "7 days", STOCK, DROPPER, "1 mg"),
    "taper.every": lambda v: lc.taper("4.5 mg", 10, v, STOCK, DROPPER, "1 mg"),
    "taper.floor": lambda v: lc.taper("4.5 mg", 10, "7 days", STOCK, DROPPER, v),
    "Schedule.from_drops.start_drops": lambda v: lc.Schedule.from_drops(STOCK, DROPPER, v),
    "Schedule.from_drops.max_drops": lambda v: lc.Schedule.from_drops(STOCK, DROPPER,
                                                                      max_drops=v),
    "Schedule.from_drops.every": lambda v: lc.Schedule.from_drops(STOCK, DROPPER, every=v),
    "plan_dilution.dose": lambda v: lc.plan_dilution(v),
    "plan_dilution.source": lambda v: lc.plan_dilution("10 mcg", v),
    "plan_dilution.max_volume": lambda v: lc.plan_dilution("10 mcg", max_volume=v),
    "plan_dilution.max_rounding_error": lambda v: lc.plan_dilution("10 mcg",
                                                                   max_rounding_error=v),
    "plan_trituration.dose": lambda v: lc.plan_trituration(v),
    "plan_trituration.capsules": lambda v: lc.plan_trituration("1.5 mg", capsules=v),
    "plan_trituration.fill": lambda v: lc.plan_trituration("1.5 mg", fill=v),
    "plan_trituration.purity": lambda v: lc.plan_trituration("1.5 mg", purity=v),
    "plan_trituration.allowed_error": lambda v: lc.plan_trituration("1.5 mg", allowed_error=v),
    "plan_trituration.max_mixture": lambda v: lc.plan_trituration("1.5 mg", max_mixture=v),
    "preset.name": lambda v: lc.preset(v),
    "beyond_use_date.bud": lambda v: lc.beyond_use_date("2026-01-01", bud=v),
    "master_formulation.source": lambda v: lc.master_formulation(v),
    "master_formulation.preparation": lambda v: lc.master_formulation(STOCK, preparation=v),
    "master_formulation.bud": lambda v: lc.master_formulation(STOCK, bud=v),
    "master_formulation.purity": lambda v: lc.master_formulation(POWDER, purity=v),
    "master_formulation.sensitivity": lambda v: lc.master_formulation(POWDER, sensitivity=v),
    "master_formulation.allowed_error": lambda v: lc.master_formulation(POWDER,
                                                                        allowed_error=v),
    "compounding_record.batch": lambda v: lc.compounding_record(MASTER, {**ENTRIES, "batch": v}),
    "compounding_record.date": lambda v: lc.compounding_record(MASTER, {**ENTRIES, "date": v}),
    "compounding_record.measured": lambda v: lc.compounding_record(MASTER, {
        **ENTRIES, "measured": {"tablets": "1", "final volume": v}}),
    "compounding_record.expiry": lambda v: lc.compounding_record(MASTER, {
        **ENTRIES, "components": {"drug": {"manufacturer": "M", "lot": "L", "expiry": v},
                                  "vehicle": ENTRIES["components"]["vehicle"]}}),
    # issue 20: the verdict's tolerance, the supply rule and the flagged-dose switch
    "measure.max_rounding_error": lambda v: lc.measure("1.5 mg", STOCK, DROPPER,
                                                       max_rounding_error=v),
    "Measurement.to_fhir.allow_flagged": lambda v: lc.measure(
        "1.5 mg", STOCK, lc.OralSyringe("10 mL")).to_fhir(allow_flagged=v),
    "Schedule.supply.preparation": lambda v: LADDER.supply(preparation=v),
    "Schedule.supply.allow_flagged": lambda v: FLAGGED_LADDER.supply(allow_flagged=v),
    "Supply.to_fhir.allow_flagged": lambda v: FLAGGED_LADDER.supply(
        allow_flagged=True).to_fhir(allow_flagged=v),
}

# Entry points whose time limit is not asserted (the outcome type still is): none now.
# The dilution search from a 10 g source took 1-3 s; it now keeps to make-ups that
# dissolve the tablets and refuses a source no make-up can dissolve at once.
SLOW: dict[str, str] = {}


@pytest.mark.parametrize("name", sorted(CALLS))
@settings(max_examples=20, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(value=values)
def test_entry_point_gives_result_or_library_error(name, value):
    """Any value in any parameter gives a result or an LdnCompoundError, within a second."""
    start = time.perf_counter()
    try:
        CALLS[name](value)
    except LdnCompoundError:
        pass
    if name not in SLOW:
        assert time.perf_counter() - start < 1.0, f"{name} took over a second for {value!r:.80}"


@pytest.mark.parametrize("source", ["9.9 g", "10 g", "1000 g"])
def test_strong_source_dilution_answers_within_a_second(source):
    """A 10 mcg dilution from a very strong source answers (a plan or NoPlanError) in a second."""
    start = time.perf_counter()
    try:
        plan = lc.plan_dilution("10 mcg", source)
    except lc.NoPlanError as exc:
        from ldn_compound.units import MASS, parse

        assert parse(source, MASS, "source") > 10_000 and "solubility" in exc.constraint
    else:
        assert plan.steps[0].exact_make_up_to * 100 >= plan.steps[0].tablet_strength_mg
    assert time.perf_counter() - start < 1.0


def test_fuzz_covers_every_public_callable():
    """Each public function and constructor has at least one fuzzed parameter above."""
    covered = {name.split(".")[0] for name in CALLS}
    public = {"measure", "measure_many", "classify", "Stock", "Dropper", "OralSyringe",
              "GraduatedCylinder", "VolumetricFlask", "titrate", "taper", "Schedule",
              "plan_dilution", "plan_trituration", "preset", "beyond_use_date",
              "master_formulation", "compounding_record"}
    assert public <= covered
    assert Fraction(1) in (Fraction(1),)  # the fuzz values use Fraction, kept imported
