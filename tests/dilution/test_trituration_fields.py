"""Every field a TriturationPlan writes (record, report rows, instructions) states the
arithmetic it claims, computed here again from the arguments; every argument of
plan_trituration() reaches the plan; records read back and refuse tampering; bad
arguments are refused naming their parameter and quoting the value."""

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from record_schemas import validate

from ldn_compound import ErrorKind, InputError, NoPlanError
from ldn_compound._exact import exact_text, format_number, format_percent
from ldn_compound._tables import BASE_MOLAR_MASS, HCL_MOLAR_MASS
from ldn_compound.rendering import format_mass, format_mass_range
from ldn_compound.strategies import microgram_doses
from ldn_compound.trituration import TriturationPlan, TriturationStep, plan_trituration
from ldn_compound.units import MASS, parse

fields = settings(max_examples=40, deadline=None)
MIXING = ("geometric dilution: add filler in portions about equal to the mixture already in "
          "the mortar, triturating well each time, so the drug is evenly spread")
FILLERS = ("microcrystalline cellulose", "lactose monohydrate", "Calcium Carbonate USP",
           "slow-release starch", "HPMC", "extended hypromellose blend")
AVOIDS = {"calcium carbonate": "calcium carbonate", "slow": "slow-release",
          "sustained": "slow-release", "extended": "slow-release", "hypromellose": "HPMC",
          "hpmc": "HPMC"}


@st.composite
def trituration_inputs(draw):
    """Keyword arguments of plan_trituration over its whole accepted range."""
    sensitivity = draw(st.sampled_from(["0.1 mg", "0.5 mg", "1 mg", "2 mg", "6 mg"]))
    error = draw(st.sampled_from(["0.01", "0.02", "0.05", "0.1", "3/40"]))
    lwq = parse(sensitivity, MASS, "s") / Fraction(error)
    mix = draw(st.integers(math.ceil(2 * lwq), 100_000))
    return {
        "dose": draw(microgram_doses(min_value="0.05", max_value="4000")),
        "capsules": draw(st.integers(1, 1000)),
        "fill": f"{Decimal(draw(st.integers(300, 12_000))) / 10} mg",
        "dose_as": draw(st.sampled_from(["hydrochloride", "base"])),
        "powder": draw(st.sampled_from(["hydrochloride", "base"])),
        "purity": draw(st.sampled_from(["1", "0.98", "0.995", "1.02", "0.9", "99 %"])),
        "sensitivity": sensitivity, "allowed_error": error,
        "filler": draw(st.sampled_from(FILLERS)), "max_mixture": f"{mix} mg",
    }


def _plan(kwargs):
    try:
        return plan_trituration(**kwargs)
    except NoPlanError:
        assume(False)
        raise


def _salt_factor(dose_as, powder):
    """Powder weighed per mass of dose, from the molar masses (REFERENCES)."""
    if dose_as == powder:
        return Fraction(1)
    return HCL_MOLAR_MASS / BASE_MOLAR_MASS if powder == "hydrochloride" else \
        BASE_MOLAR_MASS / HCL_MOLAR_MASS


def _purity(text):
    return Fraction(text[:-1].strip()) / 100 if text.endswith("%") else Fraction(text)


class Hand:
    """The plan's arithmetic done again from plan_trituration's arguments."""

    def __init__(self, kw, plan):
        self.dose = parse(kw["dose"], MASS, "dose")
        self.n, self.fill = kw["capsules"], parse(kw["fill"], MASS, "fill")
        self.sensitivity = parse(kw["sensitivity"], MASS, "sensitivity")
        self.error = Fraction(kw["allowed_error"])
        self.max_mixture = parse(kw["max_mixture"], MASS, "max_mixture")
        self.purity = _purity(kw["purity"])
        self.sf = _salt_factor(kw["dose_as"], kw["powder"])
        self.lwq = self.sensitivity / self.error
        self.need = self.dose * self.n * self.sf / self.purity
        self.batch = self.n * self.fill
        # the grid: the largest power of ten at most 1 % of the LWQ (a design rule)
        self.grid = Fraction(10) ** math.floor(math.log10(self.lwq / 100))
        while self.grid * 10 <= self.lwq / 100:
            self.grid *= 10
        while self.grid > self.lwq / 100:
            self.grid /= 10
        self.weigh = self.grid * math.ceil(self.lwq / self.grid)
        self.factors = [s.exact_mixture / s.exact_weigh for s in plan.steps]
        self.frac = Fraction(1)
        for f in self.factors:
            self.frac /= f
        self.aliquot = plan.exact_aliquot  # checked against need / frac by the tests
        self.weighed = self.aliquot * self.frac * self.purity / self.sf / self.n
        self.filler_total = sum((s.exact_mixture - s.exact_weigh for s in plan.steps),
                                Fraction(0)) + self.batch - self.aliquot
        k = len(plan.steps) + 1
        e = self.error
        self.low = self.weighed * ((1 - e) / (1 + e)) ** k
        self.high = self.weighed * ((1 + e) / (1 - e)) ** k

    def dose_text(self, dose_as):
        asked = f"{format_mass(self.dose, None)} of naltrexone {dose_as} per capsule"
        if self.weighed == self.dose:
            return asked
        return (f"{format_mass(self.weighed)} of naltrexone {dose_as} per capsule as weighed "
                f"({format_mass(self.dose, None)} asked; the aliquot weighed to the nearest "
                f"{format_mass(self.grid, None)} moves it by "
                f"{format_percent(self.weighed / self.dose - 1)})")

    def instructions(self, kw, plan):
        lines, frac = [], Fraction(1)
        for i, f in enumerate(self.factors, 1):
            frac /= f
            what = "naltrexone powder" if i == 1 else f"the step {i - 1} mixture"
            lines.append(f"{i}. Weigh {format_mass(self.weigh, None)} of {what}; add "
                         f"{format_mass(self.weigh * (f - 1), None)} of filler by geometric "
                         f"dilution (equal parts at a time) to "
                         f"{format_mass(self.weigh * f, None)}: 1 in {int(1 / frac):,} of "
                         "powder.")
        k = len(self.factors)
        what = "naltrexone powder" if k == 0 else f"the step {k} mixture"
        lines.append(f"{k + 1}. Weigh {format_mass(self.aliquot, None)} of {what}; add "
                     f"{format_mass(self.batch - self.aliquot, None)} of {kw['filler']} by "
                     f"geometric dilution to {format_mass(self.batch, None)}.")
        lines.append(f"{k + 2}. Fill {self.n:,} capsules with {format_mass(self.fill, None)} "
                     f"each: {self.dose_text(kw['dose_as'])}.")
        return lines


def _warnings(filler):
    said = []
    for key, word in AVOIDS.items():
        if key in filler.lower() and not any(word in w for w in said):
            said.append(word)
    return said


@fields
@given(trituration_inputs())
def test_arguments_reach_the_plan_and_the_steps_are_the_fewest_smallest(kw):
    """Each argument is the plan's; the dilution uses the fewest steps whose smallest whole
    factor f (f**k of powder diluted at least weigh / need) keeps each mixture within
    max_mixture, and the aliquot, on the weighing grid, holds the batch's powder."""
    plan = _plan(kw)
    h = Hand(kw, plan)
    assert (plan.exact_dose, plan.capsules, plan.exact_fill) == (h.dose, h.n, h.fill)
    assert (plan.dose_as, plan.powder_form, plan.purity) == (kw["dose_as"], kw["powder"],
                                                             h.purity)
    assert (plan.exact_lwq, plan.allowed_error, plan.filler) == (h.lwq, h.error, kw["filler"])
    assert plan.exact_max_mixture == h.max_mixture and plan.salt_factor == h.sf
    assert plan.exact_powder_needed == h.need and plan.exact_batch == h.batch
    assert h.need <= h.batch and h.lwq <= h.batch
    assert plan.exact_aliquot % h.grid == 0 and plan.exact_aliquot <= h.batch
    assert abs(plan.exact_aliquot - h.need / h.frac) <= h.grid / 2
    ratio = h.weigh / h.need
    k = len(plan.steps)
    if ratio <= 1:
        assert k == 0
        return
    assert k >= 1 and len(set(h.factors)) == 1
    f = h.factors[0]
    assert f.denominator == 1 and f >= 2 and f ** k >= ratio
    assert f == 2 or (f - 1) ** k < ratio  # the smallest whole factor for k steps
    assert h.weigh * f <= h.max_mixture and h.need * f ** (k - 1) <= h.weigh
    for fewer in range(1, k):  # no fewer steps would do
        g = 2
        while g ** fewer < ratio:
            g += 1
        assert h.weigh * g > h.max_mixture or h.need * g ** (fewer - 1) > h.weigh
    for i, s in enumerate(plan.steps, 1):
        assert (s.number, s.exact_weigh, s.exact_fraction) == (i, h.weigh, f ** -i)


@fields
@given(trituration_inputs())
def test_record_fields_are_the_arithmetic(kw):
    """to_dict() writes each field as the formatter gives the value computed here, under
    the schema's names, and reads back to the same plan (steps read back alone too)."""
    plan = _plan(kw)
    h = Hand(kw, plan)
    d = plan.to_dict()
    assert validate(d) == 1 + len(plan.steps)
    steps = []
    for i, f in enumerate(h.factors, 1):
        lines = h.instructions(kw, plan)
        steps.append({
            "schema": "ldn_compound/trituration_step@1", "step": i,
            "weigh": format_mass(h.weigh, None), "filler": format_mass(h.weigh * (f - 1), None),
            "mixture": format_mass(h.weigh * f, None), "powder_fraction": exact_text(f ** -i),
            "weigh_exact": f"{exact_text(h.weigh)} mg",
            "mixture_exact": f"{exact_text(h.weigh * f)} mg",
            "instruction": lines[i - 1].partition(". ")[2]})
    assert d == {
        "schema": "ldn_compound/trituration_plan@1",
        "dose_exact": f"{exact_text(h.dose)} mg", "fill_exact": f"{exact_text(h.fill)} mg",
        "sensitivity_exact": f"{exact_text(h.sensitivity)} mg",
        "allowed_error": exact_text(h.error),
        "max_mixture_exact": f"{exact_text(h.max_mixture)} mg",
        "dose": format_mass(h.dose, None), "dose_as": kw["dose_as"],
        "powder_form": kw["powder"], "purity": exact_text(h.purity), "capsules": h.n,
        "fill": format_mass(h.fill, None),
        "salt_factor": "1" if h.sf == 1 else format_number(h.sf, 8),
        "powder_needed": format_mass(h.need, None),
        "least_weighable_quantity": format_mass(h.lwq, None), "filler": kw["filler"],
        "filler_total": format_mass(h.filler_total, None), "steps": steps,
        "aliquot": format_mass(h.aliquot, None),
        "final_filler": format_mass(h.batch - h.aliquot, None),
        "bounds": {"low": format_mass(h.low, None), "high": format_mass(h.high, None)},
        "warnings": [*(w for w in plan.warnings if w != MIXING), MIXING],
        "instructions": h.instructions(kw, plan),
    }
    assert TriturationPlan.from_dict(d) == plan
    assert TriturationPlan.from_json(plan.to_json()) == plan
    for step in plan.steps:
        assert TriturationStep.from_dict(step.to_dict()) == step


@fields
@given(trituration_inputs())
def test_report_rows_are_the_arithmetic(kw):
    """The report (str, notebook HTML) shows the title, rows, warnings and instructions the
    arithmetic gives; each filler to avoid is warned about once, mixing always last."""
    plan = _plan(kw)
    h = Hand(kw, plan)
    k = len(plan.steps)
    r = plan.report()
    assert r.title == (f"Trituration for {h.n:,} capsules of {format_mass(h.dose)} naltrexone "
                       f"{kw['dose_as']}: {k} dilution step{'' if k == 1 else 's'}")
    assert dict(r.rows) == {
        "Powder": f"naltrexone {kw['powder']}, purity {format_number(h.purity * 100)} %",
        "Salt factor": format_number(h.sf, 5),
        "Powder in the batch": format_mass(h.need),
        "Least weighable quantity": format_mass(h.lwq),
        "Filler": f"{kw['filler']}, {format_mass(h.filler_total, None)} in all",
        "Batch": f"{format_mass(h.batch, None)} ({h.n:,} x {format_mass(h.fill, None)})",
        "Worst-case bounds": f"{format_mass_range(h.low, h.high)} per capsule (weighing only)",
    }
    assert len(r.rows) == 7 and r.footer == tuple(h.instructions(kw, plan))
    assert r.warnings == plan.warnings and plan.warnings[-1] == MIXING
    said = _warnings(kw["filler"])
    assert len(plan.warnings) == len(said) + 1
    for word, warning in zip(said, plan.warnings, strict=False):
        assert word in warning and "avoid" in warning


# -- records read back, and refuse what was changed ---------------------------------------

#: (field, a tampered value): display fields, each refused naming itself.
TAMPERED = [("dose", "51 mcg"), ("fill", "201 mg"), ("salt_factor", "1.1"),
            ("powder_needed", "5.1 mg"), ("least_weighable_quantity", "121 mg"),
            ("filler_total", "1 mg"), ("aliquot", "121 mg"), ("final_filler", "1 mg"),
            ("bounds", {"low": "1 mcg", "high": "99 mcg"}), ("warnings", []),
            ("instructions", ["1. Weigh 1 mg"]), ("steps", [])]


@pytest.mark.parametrize(("field", "value"), TAMPERED)
def test_a_tampered_field_is_refused_naming_it(field, value):
    """A record whose stored result differs from the arithmetic is refused, never repaired."""
    d = plan_trituration("50 mcg", powder="base", capsules=120, fill="250 mg").to_dict()
    d[field] = value
    with pytest.raises(InputError) as info:
        TriturationPlan.from_dict(d)
    assert info.value.kind is ErrorKind.RECORD_MISMATCH
    assert info.value.parameter.partition(".")[0].partition("[")[0] == field
    assert info.value.value in (value, f"{len(value)} items") or field == "bounds"


@pytest.mark.parametrize(("field", "value"), [
    ("dose_exact", "0.06 mg"), ("capsules", 99), ("fill_exact", "199 mg"),
    ("dose_as", "base"), ("powder_form", "base"), ("purity", "0.99"),
    ("sensitivity_exact", "5 mg"), ("allowed_error", "0.04"), ("filler", "lactose"),
    ("max_mixture_exact", "2000 mg")])
def test_every_stored_input_is_read(field, value):
    """A record is planned again from every input it stores: a changed input alone is a
    record of another plan (refused), and that plan's own record reads back."""
    kw = {"dose_exact": "0.05 mg", "capsules": 100, "fill_exact": "200 mg",
          "dose_as": "hydrochloride", "powder_form": "hydrochloride", "purity": "1",
          "sensitivity_exact": "6 mg", "allowed_error": "0.05",
          "filler": "microcrystalline cellulose", "max_mixture_exact": "50000 mg"}
    names = {"dose_exact": "dose", "fill_exact": "fill", "powder_form": "powder",
             "sensitivity_exact": "sensitivity", "max_mixture_exact": "max_mixture"}
    args = {names.get(k, k): v for k, v in kw.items()}
    d = plan_trituration(args.pop("dose"), **args).to_dict()
    d[field] = value
    with pytest.raises(InputError) as info:
        TriturationPlan.from_dict(d)
    assert info.value.kind is ErrorKind.RECORD_MISMATCH
    kw[field] = value
    args = {names.get(k, k): v for k, v in kw.items()}
    other = plan_trituration(args.pop("dose"), **args)
    assert other != plan_trituration("50 mcg")
    assert TriturationPlan.from_dict(other.to_dict()) == other


STEP = plan_trituration("1 mcg", capsules=30).steps[0].to_dict()


@pytest.mark.parametrize(("field", "value", "kind", "parameter"), [
    ("step", 7, ErrorKind.OUT_OF_RANGE, "step"),
    ("step", 0, ErrorKind.OUT_OF_RANGE, "step"),
    ("step", 1.5, ErrorKind.INVALID, "step"),
    ("powder_fraction", "0", ErrorKind.OUT_OF_RANGE, "powder_fraction"),
    ("powder_fraction", "1", ErrorKind.INVALID, "powder_fraction"),
    ("mixture_exact", "119 mg", ErrorKind.INVALID, "mixture_exact"),
    ("weigh_exact", "120 mL", ErrorKind.UNIT, "weigh_exact"),
    ("mixture_exact", "3 mL", ErrorKind.UNIT, "mixture_exact"),
    ("powder_fraction", "1/25", ErrorKind.RECORD_MISMATCH, "powder_fraction"),  # is 0.04
    ("powder_fraction", "1/63", ErrorKind.RECORD_MISMATCH, "instruction"),
    ("weigh_exact", "121 mg", ErrorKind.RECORD_MISMATCH, "weigh"),
])
def test_a_bad_step_record_is_refused_naming_the_field(field, value, kind, parameter):
    """A step record out of range names its field and quotes it; one that disagrees with
    its own arithmetic names the first field that differs."""
    d = {**STEP, field: value}
    with pytest.raises(InputError) as info:
        TriturationStep.from_dict(d)
    assert (info.value.kind, info.value.parameter) == (kind, parameter)
    if kind is not ErrorKind.RECORD_MISMATCH:
        assert info.value.value == value


@fields
@given(st.integers(1, 6), st.integers(1, 5 * 10**5), st.integers(0, 5 * 10**5),
       st.integers(1, 10**12), st.integers(0, 6))
def test_any_step_writes_its_own_arithmetic(number, weigh, filler, n, places):
    """A step built with any exact amounts (masses within the plausible 1e-9 to 1e6 mg) writes
    each in full and reads back; its report is its instruction, which says what to weigh,
    add and reach, and 1 in n."""
    w, fl = Fraction(weigh, 10 ** places), Fraction(filler, 10 ** places)
    step = TriturationStep(number, w, w + fl, Fraction(1, n + 1))
    d = step.to_dict()
    assert (d["weigh"], d["filler"], d["mixture"]) == (
        format_mass(w, None), format_mass(fl, None), format_mass(w + fl, None))
    assert (d["step"], d["powder_fraction"]) == (number, exact_text(Fraction(1, n + 1)))
    what = "naltrexone powder" if number == 1 else f"the step {number - 1} mixture"
    assert d["instruction"] == step.instruction() == (
        f"Weigh {format_mass(w, None)} of {what}; add {format_mass(fl, None)} of filler by "
        f"geometric dilution (equal parts at a time) to {format_mass(w + fl, None)}: 1 in "
        f"{n + 1:,} of powder.")
    assert step.report().title == f"Step {number}: {step.instruction()}"
    assert TriturationStep.from_dict(d) == step
