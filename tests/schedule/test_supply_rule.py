"""The one supply rule (ldn_compound.schedule._preparation) and the labels it makes:
schedules and multi-stock plans alike."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import Dropper, InputError, OralSyringe, Schedule, Stock, titrate
from ldn_compound._tables import BUD, STUDIED_VEHICLES, VEHICLES
from ldn_compound.errors import ErrorKind
from ldn_compound.fhir import medication_request
from ldn_compound.multistock import plan_taper
from ldn_compound.rendering import format_concentration, format_volume
from ldn_compound.schedule._preparation import (
    DEFAULT_OVERAGE,
    LIQUIDS,
    PREPARATIONS,
    dosage_form,
    preparation,
    product_name,
    with_overage,
)
from ldn_compound.strategies import schedules

STOCK = Stock.from_tablets("50 mg", "10 mL")  # 5 mg/mL
DEVICES = (Dropper(20), OralSyringe("1 mL", "0.01 mL"))


def _ladder(**kw):
    return titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks", STOCK, Dropper(), **kw)


# -- the rule --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", PREPARATIONS)
def test_each_preparation_names_its_vehicle_bud_and_storage(name):
    """Every preparation has the USP <795> (or its study's) days, storage and vehicle."""
    p = preparation(name, liquid=False)
    if name in BUD:
        assert (p.bud_days, p.storage, p.vehicle) == (*BUD[name], VEHICLES[name])
        assert p.source == "usp-795"
    else:
        vehicle, days, storage, category, source, studied = STUDIED_VEHICLES[name]
        assert (p.bud_days, p.storage, p.vehicle, p.category, p.source) == (
            days, storage, vehicle, category, source)
        assert p.studied_mg_per_ml == studied
    assert p.vehicle in p.describe() and str(p.bud_days) in p.describe()


def test_usp_795_and_fawcett_figures():
    """USP <795> (2023): unpreserved aqueous 14 days refrigerated; Fawcett et al. 1997:
    the preserved glycerol liquid 60 days refrigerated, studied at 1 mg/mL."""
    assert preparation("aqueous").bud_days == 14
    assert preparation("aqueous").storage == "Keep refrigerated."
    glycerol = preparation("preserved_glycerol")
    assert (glycerol.bud_days, glycerol.storage) == (60, "Keep refrigerated.")
    assert glycerol.caution(Fraction(1)) is None and "1 mg/mL" in glycerol.caution(Fraction(5))
    assert preparation("aqueous").caution(Fraction(5)) is None


def test_solid_is_refused_for_an_oral_liquid():
    """'solid' (180 days, capsules) is refused wherever a dosed liquid is made."""
    assert "solid" not in LIQUIDS
    for call in (lambda: preparation("solid"), lambda: _ladder().supply(preparation="solid"),
                 lambda: plan_taper("4.5 mg", "1 mg", "14 days", STOCK, DEVICES,
                                    reduction="10 %", preparation="solid")):
        with pytest.raises(InputError) as info:
            call()
        assert info.value.parameter == "preparation"
    assert preparation("solid", liquid=False).bud_days == 180


@settings(max_examples=60, deadline=None)
@given(st.fractions(Fraction(0), Fraction(1000), max_denominator=1000),
       st.fractions(Fraction(0), Fraction(99, 100), max_denominator=100))
def test_overage_is_added_exactly(needed, overage):
    """with_overage(x, o) = x (1 + o): never less than x, equal only when o or x is 0."""
    made = with_overage(needed, overage)
    assert made == needed + needed * overage and made >= needed
    assert (made == needed) == (needed == 0 or overage == 0)


def test_dosage_form_of_a_liquid():
    """Made from tablets: a suspension (insoluble excipients); from the drug: a solution."""
    assert dosage_form(STOCK) == "oral suspension"
    assert dosage_form(Stock(drug="50 mg", volume="50 mL")) == "oral solution"
    assert product_name(STOCK) == "Naltrexone hydrochloride 5 mg/mL oral suspension"


# -- labels ------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(schedules(), st.sampled_from(LIQUIDS))
def test_every_label_is_dispensable(s, prep):
    """Each label names drug and salt, strength, quantity, batch, directions, beyond-use
    date and storage; "Shake well." on a suspension; FLAGGED first when a dose is."""
    if any(step.measurement is None for step in s.steps):
        return
    sup = s.supply(preparation=prep, allow_flagged=True)
    rule = preparation(prep)
    for b in sup.batches:
        text = b.label
        conc = format_concentration(b.stock.concentration_mg_per_ml)
        assert f"Naltrexone hydrochloride {conc} oral " in text
        assert f", {format_volume(b.exact_volume)}. Compounded preparation, batch {b.number}." \
            in text
        assert "Beyond-use date: " in text and text.endswith(rule.storage)
        assert ("Shake well." in text) == (dosage_form(b.stock) == "oral suspension")
        flagged = any(not m.ok for _, _, m in b.doses) or (not b.stronger and any(
            not st_.ok for st_ in s.steps
            if st_.start_day < b.start_day + b.days and st_.end_day > b.start_day))
        assert text.startswith("FLAGGED") == flagged


def test_day_numbering_is_one_convention():
    """The step table, the batch table and the labels all start at day 1, the first dose."""
    s = _ladder()
    sup = s.supply()
    first_row = next(line for line in str(s).splitlines() if line.strip().startswith("1 "))
    assert re.search(r"\b1 to 14\b", first_row)
    batch_row = next(line for line in str(sup).splitlines() if line.strip().startswith("1 "))
    assert re.search(r"\b1 to 14\b", batch_row)
    undated = Schedule.from_drops(stock=STOCK, dropper=Dropper()).supply()
    assert "Days 1 to 7: take 1 drop" in undated.batches[0].label
    assert "Beyond-use date: day 14 (day 1 is the first dose)" in undated.batches[0].label


def test_flagged_supply_never_leaves_silently():
    """A flagged schedule's supply, its FHIR and its MedicationRequest are refused; with
    allow_flagged the labels and dosages are marked."""
    s = titrate("0.5 mg", "0.5 mg", "2 mg", "1 week", Stock.from_tablets("50 mg", "50 mL"),
                OralSyringe("5 mL"))  # 0.5 mL of a 5 mL syringe: below 20 %
    assert not s.ok
    with pytest.raises(InputError) as info:
        s.supply()
    assert info.value.kind is ErrorKind.UNMEASURABLE and info.value.override == "allow_flagged"
    sup = s.supply(allow_flagged=True)
    assert sup.labels[0].startswith("FLAGGED, do not dispense unchecked: step 1:")
    for call in (sup.to_fhir, lambda: medication_request(sup)):
        with pytest.raises(InputError):
            call()
    marked = sup.to_fhir(allow_flagged=True)
    assert marked[0]["additionalInstruction"][0]["text"].startswith("FLAGGED")
    assert len(medication_request(sup, allow_flagged=True)["dosageInstruction"]) == len(marked)


# -- preparations and plans ------------------------------------------------------------------
def test_a_preserved_vehicle_cuts_the_preparations():
    """98 days: 14-day aqueous bottles are 7 preparations; 60-day preserved glycerol bottles
    (Fawcett et al. 1997) are 2 (days 1-60, 61-98), each naming the vehicle."""
    assert len(_ladder().supply().batches) == 7
    sup = _ladder().supply(preparation="preserved_glycerol")
    assert [(b.start_day + 1, b.start_day + b.days) for b in sup.batches] == [(1, 60), (61, 98)]
    assert "glycerol" in str(sup) and any("fawcett-1997" in w for w in sup.report().warnings)


def test_plans_follow_the_supply_rule():
    """A multi-stock plan makes each batch with the overage, names the vehicle and storage,
    and a longer BUD makes fewer preparations from fewer tablets."""
    plain = plan_taper("4.5 mg", "0.05 mg", "14 days", STOCK, DEVICES, reduction="10 %")
    kept = plan_taper("4.5 mg", "0.05 mg", "14 days", STOCK, DEVICES, reduction="10 %",
                      preparation="preserved_glycerol")
    by_name = {liq.name: liq for liq in plain.liquids}
    for b in plain.batches:
        assert b.exact_volume >= b.exact_used * (1 + DEFAULT_OVERAGE) + b.exact_given
        assert by_name[b.liquid].stock.volume_ml == b.exact_volume
    text = str(plain)
    assert "with purified water" in text and "Keep refrigerated." in text
    assert sum(n for _, n in plain.preparations_per_period()) == len(plain.batches)
    assert [d for d, _ in kept.preparations_per_period()][:3] == [1, 61, 121]
    assert len(kept.batches) < len(plain.batches) and kept.tablets < plain.tablets
