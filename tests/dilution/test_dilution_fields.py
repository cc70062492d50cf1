"""Every field of a dilution plan's record, report and instructions is the arithmetic it claims.

Each expected value is computed here, independently, with Fractions from the plan's own
inputs (tablet strength and count, or the stock; each step's take and make-up); records
read back equal, and a tampered field is refused naming it and quoting its value.
"""

from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import (
    ChainMeasurement,
    DilutionPlan,
    DilutionStep,
    ErrorKind,
    InputError,
    LdnCompoundError,
    NoPlanError,
    OralSyringe,
    SimulationResult,
    Stock,
    measure,
    plan_dilution,
)
from ldn_compound._tables import SOLUBILITY_MG_PER_ML
from ldn_compound.rendering import format_concentration, format_mass, format_volume

_MCG = st.integers(min_value=1, max_value=400)  # whole-microgram doses: 1 mcg to 0.4 mg
_FAST = settings(max_examples=15, deadline=None)


def _plan_or_skip(**kwargs):
    try:
        return plan_dilution(**kwargs)
    except LdnCompoundError:
        return None


def _concentrations(plan):
    """Each liquid's concentration (index 0: the source), exact mg/mL, from the inputs."""
    if plan.source_stock is not None:
        s = plan.source_stock
        out = [Fraction(s.drug_mg) / Fraction(s.volume_ml)]
    else:
        out = [None]
    for step in plan.steps:
        if step.exact_take is None:
            out.append(plan.tablets * plan.tablet_strength_mg / step.exact_make_up_to)
        else:
            out.append(out[-1] * step.exact_take / step.exact_make_up_to)
    return out


@_FAST
@given(mcg=_MCG, max_volume=st.sampled_from([50, 100]),
       tablets=st.sampled_from([Fraction(1), Fraction(1, 2)]))
def test_tablet_plan_fields_are_the_arithmetic(mcg, max_volume, tablets):
    plan = _plan_or_skip(dose=f"{mcg} mcg", source="50 mg", tablets=str(tablets),
                         max_volume=f"{max_volume} mL")
    if plan is None:
        return
    conc = _concentrations(plan)
    assert [s.exact_concentration for s in plan.steps] == conc[1:]
    made = sum((s.exact_make_up_to for s in plan.steps), Fraction(0))
    record = plan.to_dict()
    assert record["liquid_made"] == format_volume(made, None)
    assert record["max_volume"] == f"{max_volume} mL"
    assert plan.exact_max_volume == max_volume
    for step, rec in zip(plan.steps, record["steps"], strict=True):
        assert rec["step"] == step.number
    assert [s["step"] for s in record["steps"]] == list(range(1, len(plan.steps) + 1))
    rows = dict(plan.report().rows)
    assert rows["Device"] == plan.device.describe()
    assert rows["Liquid made"] == format_volume(made)
    # the tablets' suspension warning is there exactly when the source is tablets
    warnings = plan.report().warnings
    assert ("commercial tablets are film-coated with insoluble excipients: each liquid is a "
            "suspension; shake well before every transfer") in warnings
    _check_dose_lines(plan, conc)
    # a record reads back equal: every input (max_volume too) reaches the plan again
    assert DilutionPlan.from_dict(record) == plan


def _check_dose_lines(plan, conc):
    k = len(plan.steps)
    lines = plan.instructions()
    assert len(lines) == k + len(plan.exact_doses)
    for i, (dose, j) in enumerate(zip(plan.exact_doses, plan.served_by, strict=True)):
        m = plan.measurement_of(i)
        source = "the source stock" if j == 0 else f"the step {j} liquid"
        assert lines[k + i] == (f"{k + i + 1}. For {format_mass(dose, None)}: measure "
                                f"{m.what_to_measure()} of {source} "
                                f"({format_concentration(conc[j])}).")


@_FAST
@given(drug=st.sampled_from([1, 2, 5, 10]), volume=st.sampled_from([10, 20, 50]),
       mcg=st.integers(min_value=50, max_value=1000))
def test_stock_plan_fields_are_the_arithmetic(drug, volume, mcg):
    stock = Stock(drug=f"{drug} mg", volume=f"{volume} mL")
    plan = _plan_or_skip(dose=f"{mcg} mcg", source=stock, max_volume="50 mL")
    if plan is None:
        return
    conc = _concentrations(plan)
    assert conc[0] == Fraction(drug, volume)
    assert plan.stock_at(0) == stock
    assert [s.exact_concentration for s in plan.steps] == conc[1:]
    _check_dose_lines(plan, conc)
    # no tablets, no suspension warning
    assert not any("film-coated" in w for w in plan.report().warnings)
    assert DilutionPlan.from_dict(plan.to_dict()) == plan


def test_a_dose_from_the_source_stock_says_so():
    """A dose measurable as it is (no step) is measured from the source stock itself."""
    stock = Stock(drug="50 mg", volume="50 mL")
    plan = plan_dilution("0.5 mg", stock)
    assert plan.steps == () and plan.served_by == (0,)
    _check_dose_lines(plan, [Fraction(50, 50)])


def test_max_volume_reaches_the_record_read_back():
    """A plan made with a small max_volume reads back with it (not the 100 mL default)."""
    plan = plan_dilution("1 mcg", "50 mg", max_volume="50 mL")
    back = DilutionPlan.from_dict(plan.to_dict())
    assert back.exact_max_volume == 50
    assert back == plan


def test_stock_at_zero_of_a_tablet_plan_is_refused_naming_index():
    plan = plan_dilution("1 mcg", "50 mg")
    with pytest.raises(InputError) as info:
        plan.stock_at(0)
    assert info.value.parameter == "index" and info.value.value == 0
    assert info.value.kind == ErrorKind.INVALID


def test_a_small_syringe_transfer_is_warned_about():
    """A step drawing 0.1 mL or less with an oral syringe carries the Arenas-Lopez warning."""
    plan = plan_dilution("1 mcg", "50 mg")
    taking = [s for s in plan.steps if isinstance(s.take_with, OralSyringe)]
    assert taking
    step = taking[0]
    for take, warned in [(Fraction(1, 10), True), (Fraction(1, 20), True),
                         (Fraction(11, 100), False)]:
        small = attrs.evolve(step, exact_take=take)
        steps = tuple(small if s is step else s for s in plan.steps)
        warnings = attrs.evolve(plan, steps=steps).report().warnings
        expected = (f"step {step.number} draws {format_volume(take)}: volumes of "
                    f"{format_volume(Fraction(1, 10))} and below missed a +/-10 % target "
                    "in 1 mL oral syringes (Arenas-Lopez et al. 2017); check the syringe's "
                    "accuracy there")
        assert (expected in warnings) is warned


# -- the Monte Carlo -----------------------------------------------------------------------

def test_simulate_seed_defaults_to_zero_and_is_bounded():
    plan = plan_dilution("1 mcg", "50 mg")
    result = plan.simulate(n=100)
    assert result.seed == 0
    assert result == plan.simulate(n=100, seed=0)
    assert plan.simulate(n=100, seed=2**63 - 1).seed == 2**63 - 1
    for bad in (2**63, 2**64 - 1, -1):
        with pytest.raises(InputError) as info:
            plan.simulate(n=100, seed=bad)
        assert info.value.parameter == "seed" and info.value.value == bad


def test_within_tolerance_is_the_share_of_draws_within_it():
    """When the chain's worst case lies inside the tolerance every draw is within it;
    when it lies wholly outside, none is."""
    plan = plan_dilution("1 mcg", "50 mg")
    low, high = plan.exact_bounds
    target = plan.exact_doses[0]
    wide = attrs.evolve(plan, max_rounding_error=Fraction(1, 2))
    assert target * Fraction(1, 2) < low and high < target * Fraction(3, 2)
    assert wide.simulate(n=200, seed=3).within_tolerance == 1.0
    # a tolerance below the chain's low end's distance from the target: nothing within
    gap = min(1 - low / target, high / target - 1)
    if gap > 0:
        tight = attrs.evolve(plan, max_rounding_error=Fraction(0))
        assert tight.simulate(n=200, seed=3).within_tolerance == 0.0


def test_simulation_report_and_percentile():
    result = plan_dilution("1 mcg", "50 mg").simulate(n=100)
    rows = result.report().rows
    assert rows[0] == ("Target", format_mass(Fraction(repr(result.target_mg))))
    assert result.percentile(50.0).magnitude == dict(result.percentiles_mg)[50.0]
    with pytest.raises(InputError) as info:
        result.percentile(3.0)
    assert info.value.parameter == "p" and info.value.value == 3.0


def _tampered(record, **changes):
    return {**record, **changes}


def test_simulation_record_reads_back_and_refuses_tampering():
    result = plan_dilution("1 mcg", "50 mg").simulate(n=100, seed=5)
    record = result.to_dict()
    assert SimulationResult.from_dict(record) == result
    pairs = [list(p) for p in record["percentiles_mg"]]
    bad_pair = [["half", pairs[0][1]], *pairs[1:]]
    cases = [
        ({"n": 5}, "n", 5),
        ({"seed": 2**63}, "seed", 2**63),
        ({"percentiles_mg": bad_pair}, "percentiles_mg", "half"),
    ]
    for change, parameter, value in cases:
        with pytest.raises(InputError) as info:
            SimulationResult.from_dict(_tampered(record, **change))
        assert (info.value.parameter, info.value.value) == (parameter, value), change
    # a seed past 2**63 - 1 written as text or a float is out of the seed's own range
    # (a JSON integer that large is refused before, by the record reader)
    for seed in (str(2**63), float(2**63), str(2**63 + 1)):
        with pytest.raises(InputError) as info:
            SimulationResult.from_dict(_tampered(record, seed=seed))
        assert (info.value.parameter, info.value.value) == ("seed", seed)
        assert info.value.kind == ErrorKind.OUT_OF_RANGE


# -- the steps and measurements read back ---------------------------------------------------

def _step_records():
    plan = plan_dilution("1 mcg", "50 mg")
    return [s.to_dict() for s in plan.steps], plan.steps


def test_steps_read_back_equal():
    records, steps = _step_records()
    for record, step in zip(records, steps, strict=True):
        assert DilutionStep.from_dict(record) == step


_STEP_CASES = [  # (step index: 0 dissolves tablets, 1 takes a volume), field, tampered value
    (0, "make_up_to_exact", "lots"),
    (1, "make_up_to_exact", "lots"),
    (1, "take_exact", "1000 mL"),
    (0, "tablets", "0"),
    (0, "tablets", "-1"),
    (0, "tablet_strength", "strong"),
    (1, "take_tolerance", "2"),
    (1, "make_up_tolerance", "2"),
    (0, "make_up_tolerance", "-1/10"),
]


@pytest.mark.parametrize(("index", "field", "value"), _STEP_CASES)
def test_a_tampered_step_is_refused_naming_the_field(index, field, value):
    records, _ = _step_records()
    with pytest.raises(InputError) as info:
        DilutionStep.from_dict({**records[index], field: value})
    assert info.value.parameter == field
    assert info.value.value == value


def _chain_measurement(rounding, max_rounding_error):
    stock = Stock(drug="1 mg", volume="3 mL")
    m = measure("0.07 mg", stock, OralSyringe("1 mL"), rounding=rounding,
                max_rounding_error=max_rounding_error, allow_high_dose=True)
    fields = {str(f.alias): getattr(m, f.name) for f in attrs.fields(type(m))}
    d = m.exact_delivered
    return ChainMeasurement(**fields, chain_bounds=(d * Fraction(9, 10), d * Fraction(11, 10)))


@pytest.mark.parametrize(("rounding", "limit"), [("nearest", "0.1"), ("down", "0.1"),
                                                 ("up", "0.2"), ("nearest", "0.05")])
def test_a_chain_measurement_reads_back_equal(rounding, limit):
    """Its rounding and rounding limit reach the measurement read back."""
    cm = _chain_measurement(rounding, limit)
    back = ChainMeasurement.from_dict(cm.to_dict())
    assert back == cm
    assert back.rounding == rounding
    assert back.max_rounding_error == Fraction(limit)
    assert back.chain_bounds == cm.chain_bounds


@_FAST
@given(grams=st.integers(min_value=11, max_value=1000))
def test_a_source_too_big_to_dissolve_names_solubility_and_its_figure(grams):
    """The solubility refusal quotes the amount, the volume it needs (amount / solubility,
    exact) and the solubility figure itself, from its one home in ``_tables``."""
    mg = Fraction(grams * 1000)
    with pytest.raises(NoPlanError) as info:
        plan_dilution("10 mcg", f"{grams} g")
    constraint = info.value.constraint
    assert constraint.startswith(f"solubility: {format_mass(mg)} needs at least "
                                 f"{format_volume(mg / SOLUBILITY_MG_PER_ML)} to dissolve")
    assert f"naltrexone HCl about {format_concentration(SOLUBILITY_MG_PER_ML)})" in constraint


def test_a_ladder_at_the_edge_of_both_counts_is_served_by_one_liquid():
    """Doses whose concentration window is a single point are still served by one liquid.

    A 1 mL oral syringe (0.01 mL graduations) counts 20 to 100 graduations; at
    +/-0.4 % a dose d is measurable from c mg/mL if d / (0.01 c) lies in
    [20 / 1.004, 100 / 0.996]. For 250/249 mg (100 / 0.996 graduations at 1 mg/mL) and
    50/251 mg (20 / 1.004 at 1 mg/mL) the only concentration serving both is 1 mg/mL
    exactly: 100 and 20 graduations, errors -0.4 % and +0.4 %, both at the limit.
    """
    big, small = Fraction(250, 249), Fraction(50, 251)
    u, tol = Fraction(1, 100), Fraction(4, 1000)
    assert big / (u * 1) == 100 / (1 - tol) and small / (u * 1) == 20 / (1 + tol)
    plan = plan_dilution(doses=["250/249 mg", "50/251 mg"],
                         source=Stock(drug="20 mg", volume="10 mL"), max_rounding_error="0.004")
    assert len(set(plan.served_by)) == 1
    j = plan.served_by[0]
    assert j >= 1 and plan.steps[j - 1].exact_concentration == 1
    counts = [plan.measurement_of(i).count for i in range(2)]
    assert counts == [100, 20]
    errors = [plan.measurement_of(i).exact_rounding_error for i in range(2)]
    assert errors == [-tol, tol]


@pytest.mark.parametrize("limit", ["0.005", "0.01"])
def test_a_tight_tolerance_still_finds_the_exact_two_step_chain(limit):
    """1 mcg from a 50 mg tablet at +/-0.5 % or 1 %: a two-step chain exists (worked here:
    50 mg in 50 mL is 1 mg/mL; 0.2 mL of it made up to 40 mL is 5 mcg/mL; 0.2 mL of that,
    20 graduations of a 1 mL syringe, is 1 mcg exactly), so the planner finds one of at
    most two steps, within the tolerance, after passing over transfers that miss it."""
    assert Fraction(50, 50) * Fraction(1, 5) / 40 * Fraction(1, 5) == Fraction(1, 1000)
    plan = plan_dilution("1 mcg", "50 mg", max_rounding_error=limit)
    assert len(plan.steps) <= 2
    conc = _concentrations(plan)
    m = plan.measurement
    assert m.exact_delivered == conc[plan.served_by[0]] * m.exact_volume
    assert abs(m.exact_delivered / Fraction(1, 1000) - 1) <= Fraction(limit)


@_FAST
@given(mcg=st.integers(min_value=1, max_value=300),
       limit=st.sampled_from(["0.005", "0.01", "0.03"]))
def test_tight_tolerances_give_plans_within_them(mcg, limit):
    plan = _plan_or_skip(dose=f"{mcg} mcg", source="50 mg", max_rounding_error=limit)
    if plan is None:
        return
    conc = _concentrations(plan)
    m = plan.measurement
    assert m.exact_delivered == conc[plan.served_by[0]] * m.exact_volume
    assert abs(m.exact_delivered / Fraction(mcg, 1000) - 1) <= Fraction(limit)


def test_a_ladder_with_two_step_chains_gets_one_of_two_steps():
    """Fewest steps first, even when many make-up pairs fail before one serves.

    Witness, worked here: 10 mg in 7 mL; 5.5 mL of it made up to 13 mL; 5 mL of that made
    up to 11.5 mL (25 mL cylinder and flask): 10/7 * 5.5/13 * 5/11.5 mg/mL. Every dose
    of the ladder is measured from the plan's chosen liquid within +/-1 %.
    """
    from ldn_compound import GraduatedCylinder, VolumetricFlask

    witness = Fraction(10, 7) * Fraction(11, 2) / 13 * 5 / Fraction(23, 2)
    assert witness == Fraction(550, 2093)
    liquid = Stock(drug=f"{witness * Fraction(23, 2)} mg", volume="23/2 mL")
    for dose in ("109.8 mcg", "254.7 mcg", "53.0 mcg"):  # the witness serves every dose
        assert abs(measure(dose, liquid, OralSyringe("1 mL")).exact_rounding_error) <= \
            Fraction(1, 100)
    doses = ["109.8 mcg", "254.7 mcg", "53.0 mcg"]
    plan = plan_dilution(doses=doses, source=Stock(drug="10 mg", volume="7 mL"),
                         equipment=[GraduatedCylinder("25 mL"), VolumetricFlask("25 mL")],
                         max_rounding_error="0.01")
    assert len(plan.steps) <= 2
    conc = _concentrations(plan)
    for i, d in enumerate([Fraction(1098, 10**4), Fraction(2547, 10**4), Fraction(53, 1000)]):
        m = plan.measurement_of(i)
        assert m.exact_delivered == conc[plan.served_by[i]] * m.exact_volume
        assert abs(m.exact_delivered / d - 1) <= Fraction(1, 100)
