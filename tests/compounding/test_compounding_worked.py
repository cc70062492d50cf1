"""Master formulation records of the worked examples, every figure checked by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest
from compounding_samples import CAPSULES, DILUTION, MASTERS, POWDER, TABLETS

import ldn_compound as lc


def _amount(master, key):
    return next(a for a in master.formula.amounts if a.key == key)


def test_tablets_to_20_ml_at_5_mg_per_ml():
    """2 x 50 mg tablets to 20 mL: 100 mg / 20 mL = 5 mg/mL; a 25 mL class B cylinder."""
    f = TABLETS.formula
    assert f.exact_strength == Fraction(100, 20)  # 2 x 50 mg (issue 25's worked example)
    assert _amount(TABLETS, "tablets").exact == 2
    assert _amount(TABLETS, "tablets").tolerance == 0  # a count is exact
    final = _amount(TABLETS, "final volume")
    assert final.exact == 20
    # ASTM E694 class B 25 mL: +/-0.3 mL (REFERENCES, Measuring devices)
    assert final.tolerance == Fraction(3, 10) / 20
    assert dict(TABLETS.qc)["final volume"].startswith("19.7 mL to 20.3 mL")
    # USP <795> (2023): aqueous, not preserved: 14 days, refrigerated
    assert TABLETS.prep.bud_days == 14
    assert TABLETS.prep.storage == "Keep refrigerated."
    assert TABLETS.name == "Naltrexone hydrochloride 5 mg/mL oral suspension"
    assert "Shake well." in TABLETS.sample_label()


def test_serial_dilution_for_1_mcg():
    """Each step's concentration is tablet x takes / make-up volumes, worked by hand."""
    plan = DILUTION.source
    conc = Fraction(50)  # one 50 mg tablet (REFERENCES: commercial tablets are 50 mg)
    for step in plan.steps:
        conc = conc / step.exact_make_up_to if step.exact_take is None \
            else conc * step.exact_take / step.exact_make_up_to
    assert DILUTION.formula.exact_strength == conc
    # the dose: 1 mcg is measurable from the last liquid within the plan's rounding error
    assert plan.exact_doses == (Fraction(1, 1000),)
    takes = [a for a in DILUTION.formula.amounts if a.key.endswith("take")]
    for a in takes:  # an oral syringe: +/-10 % (REFERENCES, oral syringes)
        assert a.tolerance == Fraction(1, 10)
    assert _amount(DILUTION, "final volume").exact == plan.steps[-1].exact_make_up_to


def test_capsule_trituration_50_mcg():
    """LWQ 6 mg x 100 / 5 % = 120 mg; 120 mg in 2,880 mg is 1 in 24; 120 mg of that holds
    5 mg for 100 capsules of 200 mg: 50 mcg each."""
    lwq = Fraction(6) / Fraction(5, 100)  # REFERENCES, Balances: sensitivity x 100 / % error
    assert lwq == 120
    assert _amount(CAPSULES, "powder").exact == lwq
    mixture = _amount(CAPSULES, "step 1 mixture").exact
    aliquot = _amount(CAPSULES, "aliquot").exact
    blend = _amount(CAPSULES, "blend").exact
    assert blend == 100 * 200
    assert lwq / mixture * aliquot == 5  # mg of drug in the blend: 100 x 50 mcg
    assert CAPSULES.formula.exact_strength == Fraction(5) / blend * 200 == Fraction(1, 20)
    fill = _amount(CAPSULES, "capsule weight")
    # capsule weight 90-110 % of the fill weight (REFERENCES, Weighing)
    assert fill.exact == 200 and fill.tolerance == Fraction(1, 10)
    assert dict(CAPSULES.qc)["capsule weight"].startswith("180 mg to 220 mg")
    assert CAPSULES.prep.bud_days == 180  # USP <795>: other non-aqueous, capsules included
    assert CAPSULES.sample_label() is None


def test_powder_purity_and_salt_factor():
    """200 mg at 99 % purity: weigh 200 / 0.99 mg; base powder for a salt label divides by
    the salt factor 377.86 / 341.40 (REFERENCES, Naltrexone)."""
    assert _amount(POWDER, "powder").exact == Fraction(200) / Fraction(99, 100)
    base = lc.master_formulation(lc.Stock.from_concentration("2 mg/mL", "100 mL"),
                                 powder="base")
    factor = Fraction("377.86") / Fraction("341.40")
    assert lc.NALTREXONE_HCL.salt_factor == factor
    assert _amount(base, "powder").exact == Fraction(200) / factor


def test_too_little_powder_to_weigh_is_refused():
    """100 mg of powder is under the 120 mg least weighable quantity: refused."""
    with pytest.raises(lc.InputError) as info:
        lc.master_formulation(lc.Stock.from_concentration("1 mg/mL", "100 mL"))
    assert info.value.parameter == "stock"


@pytest.mark.parametrize("name", sorted(MASTERS))
def test_planned_amounts_give_the_planned_strength(name):
    """The strength rule, given the planned amounts, gives the master's strength."""
    f = MASTERS[name].formula
    assert f.strength_of({a.key: a.exact for a in f.amounts}) == f.exact_strength


@pytest.mark.parametrize("name", sorted(MASTERS))
def test_master_record_reads_back_and_prints(name):
    """Records read back equal; text, printable HTML (A4 and Letter) and JSON."""
    m = MASTERS[name]
    assert lc.records.load(m.to_dict()) == m
    assert lc.MasterFormulation.from_json(m.to_json()) == m
    assert str(m).startswith("Master formulation record: ")
    for paper in ("A4", "Letter"):
        assert f"size: {paper}" in m.to_html(paper)


def test_a_supply_batch_is_recorded_as_its_bottle():
    """A supply batch's master record is its bottle's: tablets and volume as the batch makes."""
    stock = lc.Stock.from_tablets("50 mg", "10 mL")
    supply = lc.titrate("1 mg", "0.5 mg", "2 mg", "7 days", stock, lc.OralSyringe("1 mL")).supply()
    batch = supply.batches[0]
    master = lc.master_formulation(batch)
    assert master.source == batch.stock
    assert _amount(master, "tablets").exact == batch.tablets
    assert _amount(master, "final volume").exact == batch.stock.volume_ml
    assert master.formula.exact_strength == batch.stock.concentration_mg_per_ml
