"""One safe-writing property over every result the library shows (text, notebook HTML
and JSON), and one round-trip property over every class with to_dict/from_dict."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from safe_writing import assert_safe, problems

from ldn_compound import (
    DilutionPlan,
    Dropper,
    LdnCompoundError,
    Measurement,
    OralSyringe,
    Schedule,
    Stock,
    measure,
    measure_many,
    plan_dilution,
    plan_trituration,
)
from ldn_compound.devices import device_from_dict
from ldn_compound.equipment import equipment_from_dict
from ldn_compound.rendering import Rendered
from ldn_compound.strategies import (
    devices,
    doses,
    equipment_sets,
    graduated_cylinders,
    microgram_doses,
    rounding_modes,
    schedules,
    stocks,
)

# Each example plans a dilution and simulates it: few examples, and no long shrinking.
SLOW = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                phases=(Phase.explicit, Phase.reuse, Phase.generate))


@st.composite
def measurements(draw: st.DrawFn) -> Measurement:
    """A measurement that can be made, from any stock, device, dose and rounding."""
    try:
        return measure(draw(doses(max_value="5")), draw(stocks()), draw(devices()),
                       rounding=draw(rounding_modes()))
    except LdnCompoundError:
        assume(False)
        raise


#: microgram doses, some not terminating decimals (1/3 mcg was once written 0.33333333 mcg)
_PLAN_DOSES = microgram_doses(min_value="1", max_value="400") | st.builds(
    lambda n, d: f"{n}/{d} mcg", st.integers(10, 2_000), st.sampled_from((3, 7, 11, 30)))
_PLAN_DEVICES = st.sampled_from([OralSyringe(capacity=c) for c in ("0.5 mL", "1 mL", "3 mL")]
                                + [Dropper()])


#: max_volume as given; JSON writes it exactly for from_dict ("1000 mL", as "7/4183 mg")
_MAX_VOLUMES = ("100 mL", "100/3 mL", "50 mL", "1000 mL")


@st.composite
def dilution_plans(draw: st.DrawFn, max_volumes: tuple[str, ...] = _MAX_VOLUMES) -> DilutionPlan:
    """A plan for one or two microgram doses from tablets (strengths, counts and max_volume
    that are not terminating decimals too) or from a stock, with any device and equipment."""
    kwargs = {"doses": draw(st.lists(_PLAN_DOSES, min_size=1, max_size=2, unique=True)),
              "device": draw(_PLAN_DEVICES),
              "max_volume": draw(st.sampled_from(max_volumes))}
    if draw(st.booleans()):
        kwargs["equipment"] = draw(equipment_sets())
    if draw(st.booleans()):
        kwargs["source"] = Stock.from_tablets("50 mg", "50 mL")
    else:
        kwargs["source"] = draw(st.sampled_from(["50 mg", "100/3 mg", "12.5 mg"]))
        kwargs["tablets"] = draw(st.sampled_from([1, 2, "0.5"]))
    try:
        return plan_dilution(**kwargs)
    except LdnCompoundError:
        assume(False)
        raise


def _shown(result: Rendered) -> list[str]:
    csv = [result.to_csv()] if hasattr(result, "to_csv") else []
    return [str(result), result._repr_html_(), result.to_json(), repr(result), *csv]


def _results(m: Measurement, s: Schedule, plan: DilutionPlan) -> list[Rendered]:
    """Every result type the library returns, built from the drawn ones."""
    batch = measure_many([m.target, m.target * 2], m.stock, m.device)
    out: list[Rendered] = [m, m.stock, m.device, batch, s, *s.steps, plan, *plan.steps,
                           plan.simulate(200, seed=1), *plan.equipment]
    try:
        supply = s.supply()
        out += [supply, *supply.batches]
    except LdnCompoundError:
        pass
    trituration = plan_trituration(m.target)
    out += [trituration, *trituration.steps]
    return out


@SLOW
@given(m=measurements(), s=schedules(), plan=dilution_plans(max_volumes=_MAX_VOLUMES[:-1]))
def test_every_result_is_written_safely(m, s, plan):
    """Text, notebook HTML, JSON, repr and CSV of every result type write doses safely."""
    for result in _results(m, s, plan):
        for text in _shown(result):
            assert_safe(text)


@pytest.mark.parametrize("text", ["1.0 mg", "take .5 mL", "50 µg", "5 ml", "2 cc",
                                  "1000 mg", "0.50 mL", "12,000.0 mcg"])
def test_safe_writing_catches_each_unsafe_form(text):
    """The safe-writing property refuses each unsafe form it names (so it can fail)."""
    assert problems(text)


@pytest.mark.parametrize("text", ["1 mg", "0.5 mL", "50 mcg/mL", "1,000 mg", "+25 %",
                                  "2017;102:655", "0.25 mg per drop"])
def test_safe_writing_accepts_safe_text(text):
    """Safely written doses pass the safe-writing property."""
    assert problems(text) == []


def _round_trips(cls_from_dict, x):
    assert cls_from_dict(x.to_dict()) == x
    assert cls_from_dict(json.loads(x.to_json())) == x


@settings(SLOW, max_examples=30)
@given(m=measurements(), s=schedules(), plan=dilution_plans(),
       equipment=equipment_sets(), cylinder=graduated_cylinders())
def test_every_serialised_class_round_trips(m, s, plan, equipment, cylinder):
    """from_dict(to_dict(x)) == x, also through JSON, for every class that has both."""
    _round_trips(Measurement.from_dict, m)
    _round_trips(Stock.from_dict, m.stock)
    _round_trips(device_from_dict, m.device)
    _round_trips(Schedule.from_dict, s)
    _round_trips(DilutionPlan.from_dict, plan)
    for item in (*equipment, cylinder):
        _round_trips(equipment_from_dict, item)
