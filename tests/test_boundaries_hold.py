"""Every path honours the stock's drug, checks a caller's own device, and keeps a stock's kind.

Regression properties for paths that once bypassed a rule: measure and plan_taper now read the
stock's drug profile; measure_many refuses it (naltrexone's limits only); a caller's Device is
checked once at the boundary; a supply's bottles are the same preparation as the stock.
"""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import (
    Dropper,
    ErrorKind,
    InputError,
    Measurement,
    OralSyringe,
    Stock,
    measure,
    measure_many,
    plan_dilution,
    plan_taper,
    titrate,
)
from ldn_compound.drugs import Drug

MADE_UP = Drug("made-up drug", usual_max="1 mg")  # an illustration, not a real drug's figure


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 40))
def test_measure_uses_the_stocks_drug_for_the_decimal_slip(tenths_mg):
    """A stock's profile sets the slip limit: ten times its usual maximum (1 mg -> 10 mg)."""
    stock = Stock(drug="50 mg", volume="50 mL", profile=MADE_UP)
    dose = Fraction(tenths_mg, 10) * 5
    if dose >= 10:
        with pytest.raises(InputError) as info:
            measure((dose, "mg"), stock, Dropper())
        assert info.value.kind is ErrorKind.DECIMAL_SLIP
    else:
        m = measure((dose, "mg"), stock, Dropper())
        assert Measurement.from_dict(m.to_dict()) == m  # and the record reads back


def test_measure_many_refuses_a_stock_of_another_drug():
    """measure_many applies naltrexone's limits, so another drug's stock is refused, named."""
    stock = Stock(drug="50 mg", volume="50 mL", profile=MADE_UP)
    with pytest.raises(InputError) as info:
        measure_many(["0.5 mg"], stock, Dropper())
    assert info.value.parameter == "stock"


class _Device:
    """A caller's own device (the Device protocol), with chosen numbers."""

    unit = "graduation"
    units = "graduations"

    def __init__(self, unit_volume_ml, volume_error, capacity_ml=None):
        self.unit_volume_ml = unit_volume_ml
        self.volume_error = volume_error
        self.capacity_ml = capacity_ml

    def describe(self):
        return "a caller's device"

    def to_dict(self):
        return {}


@pytest.mark.parametrize(("uv", "error", "cap"), [
    (0.05, Fraction(1, 10), None),            # a float volume: the count must be exact
    (Fraction(1, 20), 0.1, None),             # a float volume error: bounds must be exact
    (Fraction(1, 20), Fraction(3, 2), None),  # an error of 150 %: negative bounds
    (Fraction(0), Fraction(1, 10), None),     # no volume at all
    (Fraction(1, 20), Fraction(1, 10), 0.5),  # a float capacity
])
def test_a_callers_device_with_inexact_or_impossible_numbers_is_refused(uv, error, cap):
    """A caller's device is checked once, at the boundary, naming ``device``."""
    stock = Stock.from_tablets("50 mg", "10 mL")
    for call in (lambda d: measure("1 mg", stock, d), lambda d: measure_many(["1 mg"], stock, d),
                 lambda d: titrate("1 mg", "0.5 mg", "2 mg", "7 days", stock, d)):
        with pytest.raises(InputError) as info:
            call(_Device(uv, error, cap))
        assert info.value.parameter == "device"


@settings(max_examples=40, deadline=None)
@given(st.fractions(Fraction(1, 100), Fraction(1, 2)), st.fractions(0, Fraction(99, 100)),
       st.integers(1, 200))
def test_a_callers_exact_device_gives_positive_bounds_around_the_dose(uv, error, tenths):
    """Any exact device with an error below 100 %: bounds are positive and hold the dose."""
    stock = Stock.from_tablets("50 mg", "50 mL")
    dose = Fraction(tenths, 100)
    try:
        m = measure((dose, "mg"), stock, _Device(uv, error))
    except InputError:
        raise
    except Exception as exc:  # unmeasurable is fine; nothing else
        assert type(exc).__name__ == "UnmeasurableDoseError"
        return
    low, high = m.exact_bounds
    assert 0 < low <= m.exact_delivered <= high


def test_a_supplys_bottles_are_the_same_preparation_as_the_stock():
    """Capsule stocks stay capsules; a given volume tolerance and the drug profile carry over."""
    stock = Stock.from_capsules("4.5 mg", "45 mL", 2, volume_tolerance=Fraction(1, 50))
    schedule = titrate("0.5 mg", "0.5 mg", "1.5 mg", "7 days", stock, Dropper())
    # 0.2 mg/mL: 25 to 75 drops, more than 20 counted, so the labels are made only marked
    for batch in schedule.supply(allow_flagged=True).batches:
        assert batch.stock.form == "capsule"
        assert batch.stock.volume_tolerance == Fraction(1, 50)
        assert batch.stock.profile is stock.profile


def test_plan_taper_uses_the_stocks_drug():
    """Every liquid of a taper plan is made for the stock's drug, and two drugs are refused."""
    drug = Drug("made-up drug", usual_max="5 mg", solubility="10 mg/mL")
    stock = Stock(drug="50 mg", volume="10 mL", profile=drug)
    plan = plan_taper("4 mg", "1 mg", "7 days", stock, [OralSyringe("1 mL", "0.01 mL")],
                      reduction="20 %")
    assert all(liquid.stock.profile is drug for liquid in plan.liquids)
    with pytest.raises(InputError) as info:
        plan_taper("4 mg", "1 mg", "7 days", stock, [OralSyringe("1 mL", "0.01 mL")],
                   reduction="20 %", drug=MADE_UP)
    assert info.value.parameter == "drug"


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(["0.5 mcg", "1 mcg", "2 mcg", "5 mcg", "10 mcg", "25 mcg"]))
def test_dilution_plans_dose_above_a_tenth_of_a_millilitre(dose):
    """The planner never lands a dose on a syringe volume of 0.1 mL or less."""
    plan = plan_dilution(dose, "50 mg", OralSyringe("0.5 mL"))
    assert all(m.exact_volume > Fraction(1, 10) for m in plan.measurements)
    assert all(m.accuracy_problem is None for m in plan.measurements)


@pytest.mark.parametrize("text", ["1/0 mg", "abc mg", "-1 mg", "4.5 mg%"])
def test_a_tampered_batch_record_dose_is_an_input_error(text):
    """Doses read back from a batch record go through the front door."""
    record = measure_many(["1 mg", "2 mg"], Stock.from_tablets("50 mg", "10 mL"),
                          Dropper()).to_dict()
    record["doses_exact"][0] = text
    from ldn_compound.batch import BatchMeasurement

    with pytest.raises(InputError):
        BatchMeasurement.from_dict(record)


@settings(max_examples=10, deadline=None)
@given(st.sampled_from(["10 %", "20 %", "25 %"]), st.sampled_from(["0.05 mg", "0.25 mg"]))
def test_a_dropper_only_taper_never_asks_for_more_than_a_millilitre_of_drops(cut, floor):
    """With droppers only, a dose is at most 1 mL of drops; what can't be cut finely is flagged."""
    try:
        plan = plan_taper("4.5 mg", floor, "14 days", Stock.from_tablets("50 mg", "10 mL"),
                          [Dropper(20)], reduction=cut)
    except InputError as exc:  # mostly flags: refused once, naming the devices
        assert exc.parameter == "devices"
        return
    for step in plan.steps:
        if step.measurement is not None:
            assert step.measurement.exact_volume <= 1
