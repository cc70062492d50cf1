"""plan_trituration at the edges of its rules: bad arguments named with their value, the
boundaries of each limit planned or refused as the arithmetic says, and each refusal's
suggestion holding the numbers that would work (each worked by hand in its docstring)."""

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_compound import ErrorKind, InputError, NoPlanError, UnitError
from ldn_compound.rendering import format_mass
from ldn_compound.trituration import plan_trituration
from ldn_compound.units import MASS, parse


@pytest.mark.parametrize(("kwargs", "error", "kind", "parameter", "value"), [
    ({"dose": "1 mL"}, UnitError, ErrorKind.UNIT, "dose", "1 mL"),
    ({"dose": "-1 mcg"}, InputError, ErrorKind.OUT_OF_RANGE, "dose", "-1 mcg"),
    ({"dose": "50 mg"}, InputError, ErrorKind.DECIMAL_SLIP, "dose", "50 mg"),
    ({"capsules": 0}, InputError, ErrorKind.OUT_OF_RANGE, "capsules", 0),
    ({"capsules": 100_001}, InputError, ErrorKind.OUT_OF_RANGE, "capsules", 100_001),
    ({"capsules": 2.5}, InputError, ErrorKind.INVALID, "capsules", 2.5),
    ({"fill": "2000.001 mg"}, InputError, ErrorKind.INVALID, "fill", "2000.001 mg"),
    ({"fill": "3 g"}, InputError, ErrorKind.INVALID, "fill", "3000 mg"),
    ({"fill": "0 mg"}, InputError, ErrorKind.OUT_OF_RANGE, "fill", "0 mg"),
    ({"dose_as": "salt"}, InputError, ErrorKind.INVALID, "dose_as", "salt"),
    ({"dose_as": None}, InputError, ErrorKind.INVALID, "dose_as", None),
    ({"powder": "HCl"}, InputError, ErrorKind.INVALID, "powder", "HCl"),
    ({"purity": 0.3}, InputError, ErrorKind.OUT_OF_RANGE, "purity", 0.3),
    ({"sensitivity": "6 mL"}, UnitError, ErrorKind.UNIT, "sensitivity", "6 mL"),
    ({"allowed_error": 0}, InputError, ErrorKind.OUT_OF_RANGE, "allowed_error", 0),
    ({"filler": ""}, InputError, ErrorKind.INVALID, "filler", ""),
    ({"filler": "lactose\nLine 2"}, InputError, ErrorKind.INVALID, "filler", "lactose\nLine 2"),
    ({"max_mixture": "239 mg"}, InputError, ErrorKind.INVALID, "max_mixture", "239 mg"),
    ({"max_mixture": "1 mL"}, UnitError, ErrorKind.UNIT, "max_mixture", "1 mL"),
    # 241 mg is twice the 120.5 mg LWQ, but below twice the 121 mg weighed (no 1-in-2 step)
    ({"sensitivity": "6.025 mg", "max_mixture": "241 mg"}, InputError, ErrorKind.INVALID,
     "max_mixture", "241 mg"),
])
def test_bad_arguments_name_their_parameter_and_value(kwargs, error, kind, parameter, value):
    """Each bad argument is refused naming its parameter and quoting the value received
    (a mass as its exact mg), with no override to suggest (there is none here)."""
    with pytest.raises(error) as info:
        plan_trituration(**{"dose": "1 mcg", **kwargs})
    assert (info.value.kind, info.value.parameter, info.value.value) == (kind, parameter, value)
    assert info.value.override is None
    if parameter == "filler":  # the refusal shows the default as the example
        assert "'microcrystalline cellulose'" in info.value.expected


@given(st.integers(1, 20), st.sampled_from(["0.1 mg", "1 mg", "6 mg"]))
def test_max_mixture_below_twice_the_lwq_says_the_least_that_works(tenths, sensitivity):
    """max_mixture below 2 x LWQ is refused; the expected field names 2 x LWQ; 2 x LWQ
    works (a batch needing 3/4 of the LWQ of powder: one 1-in-2 dilution)."""
    lwq = parse(sensitivity, MASS, "s") * 20  # at the default 5 %
    dose, low = (lwq * 3 / 400, "mg"), 2 * lwq - lwq * tenths / 200
    with pytest.raises(InputError) as info:
        plan_trituration(dose, sensitivity=sensitivity, max_mixture=(low, "mg"))
    assert info.value.parameter == "max_mixture"
    assert f"({format_mass(2 * lwq)})" in info.value.expected
    plan = plan_trituration(dose, sensitivity=sensitivity, max_mixture=(2 * lwq, "mg"))
    assert plan.exact_max_mixture == 2 * lwq
    assert [s.exact_mixture for s in plan.steps] == [2 * lwq]


def test_a_batch_of_exactly_its_powder_is_planned():
    """A fill that is all drug (need == batch) is planned with no filler; a hair less
    fill is refused: the batch cannot hold the powder."""
    plan = plan_trituration("2 mg", fill="2 mg")
    assert plan.exact_aliquot == plan.exact_batch == 200 and plan.exact_final_filler == 0
    with pytest.raises(NoPlanError) as info:
        plan_trituration("2 mg", fill="1.999 mg")
    assert info.value.kind is ErrorKind.NO_PLAN and info.value.target == "2 mg"
    assert "Would work: a fill of at least 2 mg per capsule." == info.value.suggestion


def test_an_aliquot_weighed_above_the_batch_is_refused():
    """1 capsule of 11 mcg in 120 mg: the aliquot rounds to 121 mg, above the 120 mg batch,
    so no plan; the suggestion is the capsules whose batch holds it, ceil(121 / 120) = 2."""
    with pytest.raises(NoPlanError) as info:
        plan_trituration("11 mcg", capsules=1, fill="120 mg")
    assert info.value.kind is ErrorKind.NO_PLAN and info.value.target == "11 mcg"
    assert f"at least {math.ceil(Fraction(121, 120))} capsules" in info.value.suggestion
    assert "121 mg" in info.value.constraint and "120 mg" in info.value.constraint


@pytest.mark.parametrize(("dose", "max_mixture", "mixtures", "aliquot"), [
    ("12 mcg", "1200 mg", [1200, 1200], 120),  # 120 / 1.2 = 100 = 10**2: two 1-in-10
    ("1.2 mcg", "1200 mg", [1200] * 3, 120),  # 1,000 = 10**3: three 1-in-10
    ("12 mcg", "1319 mg", [1200, 1200], 120),  # 10 is still the least factor
    ("24 mcg", "240 mg", [240] * 6, 154),  # 50 <= 2**6: the most steps allowed
])
def test_dilutions_at_the_limits(dose, max_mixture, mixtures, aliquot):
    """By hand (100 capsules, LWQ 120 mg): powder 100 x dose, diluted by the least whole
    factor f with f**k >= 120 mg / powder in the fewest steps k whose mixtures, 120 x f,
    stay within max_mixture; an exact power (f**k == the ratio) needs no larger f, and
    f == max_mixture / 120 is allowed."""
    plan = plan_trituration(dose, max_mixture=max_mixture)
    assert [s.exact_mixture for s in plan.steps] == mixtures
    assert plan.exact_aliquot == aliquot and {s.exact_weigh for s in plan.steps} == {120}


@pytest.mark.parametrize(("kwargs", "steps", "aliquot"), [
    ({"dose": "1.2 mg"}, [], 120),  # 100 x 1.2 mg is the LWQ: weighed directly
    ({"dose": "1 mcg", "fill": "2000 mg"}, [4200, 4200], 123),  # the largest fill allowed
    # 100 x 11.9999999999999 mcg is a hair below 1.2 mg: 120 mg / powder is a hair above
    # 10**2, so two 1-in-10 steps are not enough and 1-in-11 exceeds 1,200 mg: three 1-in-5
    ({"dose": "11.9999999999999 mcg", "max_mixture": "1200 mg"}, [600] * 3, 150),
])
def test_boundaries_are_planned(kwargs, steps, aliquot):
    """By hand (LWQ 120 mg): the plan at each boundary of the rules."""
    plan = plan_trituration(**kwargs)
    assert [s.exact_mixture for s in plan.steps] == steps
    assert plan.exact_aliquot == aliquot


def test_an_aliquot_rounded_above_a_direct_batch_is_refused():
    """3 capsules of 40.2 mg in 40.2 mg: 120.6 mg of powder, weighed to the nearest 1 mg as
    121 mg, more than the 120.6 mg batch; ceil(121 / 40.2) = 4 capsules would hold it."""
    with pytest.raises(NoPlanError) as info:
        plan_trituration("40.2 mg", capsules=3, fill="40.2 mg")
    assert "at least 4 capsules" in info.value.suggestion


@given(st.integers(300, 1199), st.data())
def test_a_batch_below_the_lwq_says_the_capsules_that_reach_it(tenths, data):
    """n capsules of fill below the 120 mg LWQ in all: refused, suggesting ceil(120 / fill)
    capsules (the fewest whose batch is at least the LWQ)."""
    fill = Fraction(tenths, 10)
    n = data.draw(st.integers(1, math.ceil(120 / fill) - 1))
    with pytest.raises(NoPlanError) as info:
        plan_trituration("0.1 mcg", capsules=n, fill=(fill, "mg"))
    fewest = next(m for m in range(1, 500) if m * fill >= 120)
    assert f"at least {fewest} capsules" in info.value.suggestion


def test_a_dose_weighed_exactly_is_written_in_full():
    """100,000 capsules of 1.23457 mg: 123,457 mg of powder, on the 1 mg grid, weighed as it
    is, so the capsule's dose is the one asked, written with every figure."""
    plan = plan_trituration("1.23457 mg", capsules=100_000)
    assert plan.exact_dose_weighed == plan.exact_dose and plan.steps == ()
    assert plan.instructions()[-1].endswith(
        "each: 1.23457 mg of naltrexone hydrochloride per capsule.")
    assert plan.to_dict()["aliquot"] == "123,457 mg"  # every figure of what is weighed
