"""Every amount an instruction tells a person to weigh or measure is the amount the plan uses."""

import re
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import LdnCompoundError, OralSyringe, plan_dilution
from ldn_compound.rendering import format_mass, format_percent, format_volume
from ldn_compound.strategies import devices, microgram_doses
from ldn_compound.trituration import plan_trituration

_NUM = r"(\d[\d,]*(?:\.\d+)?)"
_MASS = _NUM + r" (mg|mcg)"


def _mg(number, unit):
    """A printed mass back to exact mg."""
    x = Fraction(number.replace(",", ""))
    return x / 1000 if unit == "mcg" else x


def _step_amounts(text):
    """(weigh, filler, mixture, 1-in) read back from a dilution step's instruction."""
    m = re.fullmatch(rf"Weigh {_MASS} of .+?; add {_MASS} of filler by geometric dilution "
                     rf"\(equal parts at a time\) to {_MASS}: 1 in {_NUM} of powder\.", text)
    assert m, text
    g = m.groups()
    return _mg(g[0], g[1]), _mg(g[2], g[3]), _mg(g[4], g[5]), Fraction(g[6].replace(",", ""))


def _check_trituration(plan):
    """Assert every number in every instruction is the plan's own amount."""
    lines = plan.instructions()
    for step, line in zip(plan.steps, lines, strict=False):
        assert line.startswith(f"{step.number}. ")
        weigh, filler, mixture, one_in = _step_amounts(line.split(". ", 1)[1])
        assert weigh == step.exact_weigh and filler == step.exact_filler
        assert mixture == step.exact_mixture and weigh + filler == mixture
        assert 1 / one_in == step.exact_fraction
    k = len(plan.steps)
    m = re.fullmatch(rf"{k + 1}\. Weigh {_MASS} of .+?; add {_MASS} of .+ by geometric "
                     rf"dilution to {_MASS}\.", lines[k])
    assert m, lines[k]
    g = m.groups()
    aliquot, filler, batch = _mg(g[0], g[1]), _mg(g[2], g[3]), _mg(g[4], g[5])
    assert (aliquot, filler, batch) == (plan.exact_aliquot, plan.exact_final_filler,
                                        plan.exact_batch)
    assert aliquot + filler == batch
    m = re.fullmatch(rf"{k + 2}\. Fill ([\d,]+) capsules with {_MASS} each: {_MASS} of "
                     rf"naltrexone \w+ per capsule(.*)\.", lines[k + 1])
    assert m, lines[k + 1]
    g = m.groups()
    assert int(g[0].replace(",", "")) == plan.capsules and _mg(g[1], g[2]) == plan.exact_fill
    if plan.exact_dose_weighed == plan.exact_dose:
        assert _mg(g[3], g[4]) == plan.exact_dose and g[5] == ""
    else:  # the difference is stated: the dose as weighed, the dose asked, the change
        assert f"{g[3]} {g[4]}" == format_mass(plan.exact_dose_weighed)
        tail = re.fullmatch(rf" as weighed \({_MASS} asked; the aliquot weighed to the "
                            rf"nearest {_MASS} moves it by (.+)\)", g[5])
        assert tail, g[5]
        assert _mg(*tail.groups()[:2]) == plan.exact_dose
        assert tail.group(5) == format_percent(plan.exact_dose_weighed / plan.exact_dose - 1)


@pytest.mark.parametrize(
    ("kwargs", "texts"),
    [
        ({"dose": "0.1 mcg"}, ["Weigh 121 mg", "add 19,879 mg", "to 20,000 mg"]),
        ({"dose": "0.1 mcg", "powder": "base"}, ["Weigh 122 mg", "add 19,878 mg"]),
        ({"dose": "0.1 mcg", "capsules": 60, "fill": "300 mg", "powder": "base"},
         ["1 in 22,201 of powder"]),
    ],
)
def test_the_three_examples_of_issue_12_add_up(kwargs, texts):
    """Issue 12's examples: 121 + 19,879 = 20,000 mg; 122 + 19,878; 149^2 = 22,201."""
    plan = plan_trituration(**kwargs)
    _check_trituration(plan)
    joined = "\n".join(plan.instructions())
    for text in texts:
        assert text in joined


@settings(max_examples=150, deadline=None)
@given(microgram_doses(min_value="0.01", max_value="5000"), st.integers(1, 500),
       st.sampled_from(["100 mg", "150 mg", "200 mg", "300 mg", "412.5 mg", "735 mg"]),
       st.sampled_from(["hydrochloride", "base"]), st.sampled_from(["hydrochloride", "base"]),
       st.sampled_from(["1", "0.98", "0.995"]),
       st.sampled_from(["6 mg", "1 mg", "0.1 mg", "10 mg", "2.5 mg"]),
       st.sampled_from(["0.05", "0.03", "0.1", "0.07"]))
def test_every_trituration_instruction_adds_up(dose, n, fill, dose_as, powder, purity,
                                               sensitivity, allowed_error):
    """For random plans, every amount in every instruction, read back, is the plan's own."""
    try:
        plan = plan_trituration(dose, capsules=n, fill=fill, dose_as=dose_as, powder=powder,
                                purity=purity, sensitivity=sensitivity,
                                allowed_error=allowed_error)
    except LdnCompoundError:
        return
    _check_trituration(plan)
    assert abs(plan.exact_dose_weighed / plan.exact_dose - 1) <= Fraction(1, 200)


_CRUSH = re.compile(rf"Crush {_NUM} x {_MASS} tablets?, make up to {_NUM} mL ")
_TAKE = re.compile(rf"Take {_NUM} mL of .+?, make up to {_NUM} mL ")
_FOR = re.compile(rf"\d+\. For {_MASS}: measure (.+) of (?:the source stock|the step \d+ "
                  r"liquid) \(")


@settings(max_examples=100, deadline=None)
@given(microgram_doses(min_value="0.1", max_value="2000"), devices(),
       st.sampled_from(["50 mg", "4.5 mg", "1.5 mg"]), st.sampled_from([1, 2, "0.5"]))
def test_every_dilution_instruction_adds_up(dose, device, strength, tablets):
    """Every volume taken, made up to, tablet and dose measured reads back as the plan's own."""
    try:
        plan = plan_dilution(dose, strength, device, tablets=tablets)
    except LdnCompoundError:
        return
    for step in plan.steps:
        text = step.instruction()
        if step.exact_take is None:
            m = _CRUSH.match(text)
            assert m, text
            assert Fraction(m.group(1)) == step.tablets
            assert _mg(m.group(2), m.group(3)) == step.tablet_strength_mg
            assert Fraction(m.group(4).replace(",", "")) == step.exact_make_up_to
        else:
            m = _TAKE.match(text)
            assert m, text
            assert Fraction(m.group(1)) == step.exact_take
            assert Fraction(m.group(2).replace(",", "")) == step.exact_make_up_to
    dose_lines = plan.instructions()[len(plan.steps):]
    for line, meas in zip(dose_lines, plan.measurements, strict=True):
        m = _FOR.match(line)
        assert m, line
        assert _mg(m.group(1), m.group(2)) == meas.exact_target
        what = m.group(3)
        if isinstance(meas.device, OralSyringe):
            vol = re.fullmatch(rf"{_NUM} mL \(([\d,]+) graduations? of {_NUM} mL\)", what)
            assert vol, what
            assert Fraction(vol.group(1).replace(",", "")) == meas.exact_volume
            assert int(vol.group(2).replace(",", "")) == meas.count
            assert Fraction(vol.group(3)) == meas.device.unit_volume_ml
        else:  # drops are what is counted; the volume beside them is for information
            drops = re.fullmatch(rf"([\d,]+) drops? \((.+)\)", what)
            assert drops, what
            assert int(drops.group(1).replace(",", "")) == meas.count
            assert drops.group(2) == format_volume(meas.exact_volume)
