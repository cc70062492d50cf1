"""Tests of capsule trituration (plan_trituration)."""

import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import InputError, NoPlanError, UnitError
from ldn_compound.strategies import microgram_doses
from ldn_compound.trituration import (
    BASE_MOLAR_MASS,
    HCL_MOLAR_MASS,
    least_weighable_quantity,
    plan_trituration,
)
from ldn_compound.units import MASS, parse


def test_least_weighable_quantity_of_a_class_iii_balance():
    """REFERENCES: a class III balance with 6 mg sensitivity weighs at least 120 mg at 5 %."""
    assert least_weighable_quantity("6 mg", 0.05) == 120
    assert least_weighable_quantity("1 mg", "0.02") == 50


def test_salt_factor_from_molar_masses():
    """Salt factor 377.86 / 341.40 = 1.1068; the base is 90.35 % of the salt (REFERENCES)."""
    assert round(float(HCL_MOLAR_MASS / BASE_MOLAR_MASS), 4) == 1.1068
    assert round(float(BASE_MOLAR_MASS / HCL_MOLAR_MASS) * 100, 2) == 90.35
    base = plan_trituration("1 mg", dose_as="hydrochloride", powder="base")
    assert base.salt_factor == BASE_MOLAR_MASS / HCL_MOLAR_MASS
    salt = plan_trituration("1 mg", dose_as="base", powder="hydrochloride")
    assert salt.salt_factor == HCL_MOLAR_MASS / BASE_MOLAR_MASS


def test_worked_example_50_mcg_capsules():
    """100 capsules of 50 mcg: 5 mg of powder, one 1-in-24 dilution, a 120 mg aliquot.

    By hand: LWQ 120 mg (6 mg x 100 / 5 %); the batch needs 100 x 50 mcg = 5 mg,
    below the LWQ, so weigh 120 mg and dilute 120 / 5 = 24-fold to 2,880 mg;
    an aliquot of 5 mg x 24 = 120 mg holds the 5 mg; filler to 100 x 200 mg =
    20,000 mg: 19,880 mg, plus 2,760 mg in the dilution = 22,640 mg in all.
    """
    plan = plan_trituration("50 mcg", capsules=100, fill="200 mg")
    assert plan.exact_powder_needed == 5 and plan.exact_lwq == 120
    (step,) = plan.steps
    assert step.exact_weigh == 120 and step.exact_mixture == 2880
    assert step.exact_fraction == Fraction(1, 24)
    assert plan.exact_aliquot == 120 and plan.exact_final_filler == 19880
    assert plan.exact_filler_total == 22640
    text = str(plan)
    assert "Weigh 120 mg of naltrexone powder; add 2,760 mg of filler" in text
    assert "Fill 100 capsules with 200 mg each: 50 mcg of naltrexone hydrochloride" in text


def test_base_powder_with_purity_needs_two_dilutions():
    """30 capsules of 1 mcg (as HCl) from 99 % base powder: 27.38 mcg, two 67-fold dilutions.

    By hand: 30 x 1 mcg x 341.40 / 377.86 / 0.99 = 0.027379 mg; 120 / 0.027379
    = 4,383 > 416 (the largest factor a 50 g mixture allows from 120 mg), so two
    steps of the smallest whole f with f^2 >= 4,383: 67 (66^2 = 4,356). The
    aliquot is 0.027379 x 67^2 = 122.9 mg, weighed as 123 mg (to the nearest 1 mg,
    1 % of the 120 mg LWQ), which gives 1.0007 mcg per capsule.
    """
    plan = plan_trituration("1 mcg", capsules=30, powder="base", purity="0.99")
    need = Fraction(3, 100) * BASE_MOLAR_MASS / HCL_MOLAR_MASS / Fraction(99, 100)
    assert plan.exact_powder_needed == need
    assert [s.exact_mixture for s in plan.steps] == [120 * 67, 120 * 67]
    assert f"{float(need * 67 * 67):.1f}" == "122.9"
    assert plan.exact_aliquot == 123
    assert plan.exact_dose_weighed == Fraction(123, 67 * 67) / need * Fraction(1, 1000)
    assert "1.001 mcg of naltrexone hydrochloride per capsule as weighed" in \
        plan.instructions()[-1]


def test_direct_weighing_when_above_the_lwq():
    """4.5 mg x 100 capsules = 450 mg is above the LWQ: no dilution step."""
    plan = plan_trituration("4.5 mg")
    assert plan.steps == () and plan.exact_aliquot == 450
    assert plan.exact_final_filler == 20000 - 450


@pytest.mark.parametrize("filler", ["calcium carbonate", "Calcium Carbonate USP",
                                    "slow-release blend", "HPMC"])
def test_fillers_to_avoid_are_warned_about(filler):
    """Calcium carbonate and slow-release fillers get a warning (Cote et al. 2018)."""
    plan = plan_trituration("50 mcg", filler=filler)
    assert any("avoid" in w for w in plan.warnings)


def test_microcrystalline_cellulose_is_not_warned_about():
    """The default filler, microcrystalline cellulose, gets no filler warning."""
    assert not any("avoid" in w for w in plan_trituration("50 mcg").warnings)


@settings(max_examples=100, deadline=None)
@given(microgram_doses(min_value="0.1", max_value="5000"), st.integers(10, 500),
       st.sampled_from(["hydrochloride", "base"]), st.sampled_from(["1", "0.98", "0.995"]))
def test_every_weighing_is_at_least_the_lwq_and_the_dose_is_exact(dose, n, powder, purity):
    """Every weighing is >= the LWQ; the weighed aliquot gives the dose within 0.5 %."""
    try:
        plan = plan_trituration(dose, capsules=n, powder=powder, purity=purity)
    except NoPlanError:
        return
    lwq = plan.exact_lwq
    frac = Fraction(1)
    for s in plan.steps:
        assert s.exact_weigh >= lwq and s.exact_mixture > s.exact_weigh
        assert s.exact_mixture <= 50_000
        frac *= s.exact_weigh / s.exact_mixture
        assert s.exact_fraction == frac
    assert lwq <= plan.exact_aliquot <= plan.exact_batch
    if plan.steps:
        assert plan.exact_aliquot <= plan.steps[-1].exact_mixture
    per_capsule = plan.exact_aliquot * frac / n * plan.purity / plan.salt_factor
    assert per_capsule == plan.exact_dose_weighed
    assert abs(per_capsule / parse(dose, MASS, "dose") - 1) <= Fraction(1, 200)
    low, high = plan.exact_bounds
    assert low < plan.exact_dose_weighed < high


def test_json_round_trip_of_the_text():
    """to_json gives safely written masses and the instructions."""
    data = json.loads(plan_trituration("50 mcg").to_json())
    assert data["dose"] == "50 mcg" and data["aliquot"] == "120 mg"
    assert data["steps"][0]["mixture"] == "2,880 mg"
    assert data["least_weighable_quantity"] == "120 mg"


@pytest.mark.parametrize(
    ("kwargs", "error", "needle"),
    [
        ({"dose": "1 mL"}, UnitError, "dose"),
        ({"dose": "-1 mcg"}, InputError, "dose"),
        ({"dose": "50 mg"}, InputError, "decimal slip"),
        ({"dose": "1 mcg", "capsules": 0}, InputError, "capsules"),
        ({"dose": "1 mcg", "capsules": 2.5}, InputError, "capsules"),
        ({"dose": "1 mcg", "fill": "3 g"}, InputError, "fill"),
        ({"dose": "1 mcg", "dose_as": "salt"}, InputError, "dose_as"),
        ({"dose": "1 mcg", "powder": "HCl"}, InputError, "powder"),
        ({"dose": "1 mcg", "purity": 0.3}, InputError, "purity"),
        ({"dose": "1 mcg", "purity": 98}, InputError, "purity"),
        ({"dose": "1 mcg", "sensitivity": "6 mL"}, UnitError, "sensitivity"),
        ({"dose": "1 mcg", "allowed_error": 0}, InputError, "allowed_error"),
        ({"dose": "1 mcg", "filler": ""}, InputError, "filler"),
        ({"dose": "1 mcg", "max_mixture": "100 mg"}, InputError, "max_mixture"),
    ],
)
def test_bad_input_is_refused(kwargs, error, needle):
    """Bad arguments raise an error naming the parameter."""
    with pytest.raises(error, match=needle):
        plan_trituration(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"dose": "30 mg", "fill": "20 mg"}, "cannot hold"),
        ({"dose": "1 mcg", "capsules": 1, "fill": "100 mg"}, "below the least weighable"),
        ({"dose": "0.001 mcg", "capsules": 10, "max_mixture": "300 mg"}, "dilution steps"),
    ],
)
def test_impossible_requests_say_what_binds(kwargs, needle):
    """A batch that cannot hold the drug, or needs too many steps, raises NoPlanError."""
    with pytest.raises(NoPlanError, match=needle) as info:
        plan_trituration(**kwargs)
    assert "Would work" in info.value.suggestion
    assert info.value.target in str(info.value)
