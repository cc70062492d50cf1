"""Devices at their limits, their options through to_dict/from_dict, and a caller's own device."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_compound import (
    Device,
    Dropper,
    ErrorKind,
    InputError,
    OralSyringe,
    Stock,
    UnmeasurableDoseError,
    _rules,
    _tables,
    measure,
)
from ldn_compound._exact import exact_text
from ldn_compound.devices import device_from_dict, device_volume_error, is_device
from ldn_compound.rendering import format_concentration, format_volume

volume_errors = st.fractions(min_value=0, max_value=Fraction(49, 100), max_denominator=100)
steps = st.integers(1, 10**6).map(lambda n: Fraction(1, n))


# -- limits ----------------------------------------------------------------------------
@given(steps)
def test_drops_per_ml_from_1_to_100(eps):
    """1 and 100 drops/mL are accepted exactly; a hair outside either is refused."""
    assert Dropper(1).drops_per_mL == 1 and Dropper(100).drops_per_mL == 100
    assert Dropper(100 - eps).unit_volume_ml == 1 / (100 - eps)
    for bad in (100 + eps, 1 - eps / 2):
        with pytest.raises(InputError) as info:
            Dropper(bad)
        assert info.value.parameter == "drops_per_mL"
    assert Dropper.calibrate(drops=100, volume="1 mL").drops_per_mL == 100
    with pytest.raises(InputError):
        Dropper.calibrate(drops=101, volume="1 mL")


@given(steps)
def test_syringe_of_at_most_100_ml(eps):
    """A 100 mL oral syringe is accepted; 100 mL and a hair is refused on 'capacity'."""
    s = OralSyringe("100 mL", "1 mL")
    assert s.capacity_ml == 100 and s.unit_volume_ml == 1
    over = 100 + eps
    with pytest.raises(InputError) as info:
        OralSyringe(f"{exact_text(over)} mL", f"{exact_text(over)} mL")
    assert info.value.parameter == "capacity"


@given(st.sampled_from(sorted(_tables.TYPICAL_SYRINGE_GRADUATION_ML)))
def test_typical_graduations(capacity):
    """Without a graduation, a common syringe takes its typical one (catalogue table)."""
    s = OralSyringe(f"{exact_text(capacity)} mL")
    assert s.unit_volume_ml == _tables.TYPICAL_SYRINGE_GRADUATION_ML[capacity]
    assert s.graduation.to("mL").magnitude == float(s.unit_volume_ml)
    assert s.smallest_measurable == s.graduation
    assert s.capacity.to("mL").magnitude == float(capacity)


def test_graduation_must_divide_capacity():
    """A graduation that does not divide the capacity, or an unknown size's default, is refused."""
    with pytest.raises(InputError) as info:
        OralSyringe("1 mL", "0.3 mL")
    assert info.value.parameter == "graduation"
    with pytest.raises(InputError) as info:
        OralSyringe("7 mL")
    assert info.value.parameter == "graduation"
    assert OralSyringe("7 mL", "0.5 mL").unit_volume_ml == Fraction(1, 2)


@given(st.integers(1, 10_000), st.sampled_from(["1 mL", "2 mL", "0.5 mL"]))
def test_calibrate_is_drops_over_volume(drops, volume):
    """A calibrated dropper has drops / volume per mL and USP's 15 % error unless told."""
    ml = {"1 mL": 1, "2 mL": 2, "0.5 mL": Fraction(1, 2)}[volume]
    if not 1 <= drops / ml <= 100:
        with pytest.raises(InputError):
            Dropper.calibrate(drops=drops, volume=volume)
        return
    d = Dropper.calibrate(drops=drops, volume=volume)
    assert d.drops_per_mL == drops / ml
    assert d.volume_error == _tables.CALIBRATED_DROPPER_TOLERANCE
    assert d.max_drops is None and d.capacity_ml is None and d.capacity is None


# -- options are never dropped ---------------------------------------------------------
@given(st.integers(1, 100), volume_errors, st.one_of(st.none(), st.integers(1, 10_000)))
def test_dropper_options_round_trip(dpm, error, max_drops):
    """Every Dropper option survives to_dict/from_dict, and calibrate passes them all on."""
    d = Dropper(dpm, volume_error=error, max_drops=max_drops)
    assert (d.drops_per_mL, d.volume_error, d.max_drops) == (dpm, error, max_drops)
    assert device_from_dict(d.to_dict()) == d
    c = Dropper.calibrate(drops=dpm, volume="1 mL", volume_error=error, max_drops=max_drops)
    assert c == d
    assert d.capacity_ml == (None if max_drops is None else Fraction(max_drops, dpm))
    assert d.smallest_measurable.to("mL").magnitude == float(Fraction(1, dpm))


@given(st.sampled_from([("0.5 mL", "0.01 mL"), ("1 mL", "0.01 mL"), ("3 mL", "0.1 mL"),
                        ("5 mL", "0.2 mL"), ("10 mL", "0.5 mL"), ("100 mL", "1 mL")]),
       volume_errors)
def test_syringe_options_round_trip(sizes, error):
    """Every OralSyringe option survives to_dict/from_dict."""
    s = OralSyringe(*sizes, volume_error=error)
    assert s.volume_error == error
    assert device_from_dict(s.to_dict()) == s
    assert device_from_dict(s.to_dict()).unit_volume_ml == s.unit_volume_ml


def test_max_drops_limits_a_dose():
    """A dose of exactly max_drops drops is measured; one more drop is over capacity."""
    stock = Stock(drug="50 mg", volume="50 mL")  # 0.05 mg per drop
    d = Dropper.calibrate(drops=20, volume="1 mL", max_drops=30)
    assert measure("1.5 mg", stock, d).count == 30
    with pytest.raises(UnmeasurableDoseError) as info:
        measure("1.55 mg", stock, d)
    assert info.value.kind == ErrorKind.OVER_CAPACITY
    assert info.value.suggested_mg_per_ml == Fraction(155, 100) / Fraction(30, 20)


def test_describe_names_every_number():
    """describe() states drops/mL, the error in % and the limit; the syringe its sizes."""
    assert Dropper(20, volume_error=0.1, max_drops=30).describe() == (
        "dropper, 20 drops/mL +/-10 %, at most 30 drops")
    assert Dropper(17.5).describe() == "dropper, 17.5 drops/mL +/-10 %"
    assert OralSyringe("3 mL", volume_error=0.05).describe() == (
        "3 mL oral syringe, graduated in 0.1 mL, +/-5 %")


def test_from_dict_refuses_unknown_types():
    """A dict with no known device type is an InputError on 'type'."""
    for bad in ({"type": "spoon"}, {}, "dropper"):
        with pytest.raises(InputError) as info:
            device_from_dict(bad)
        assert info.value.parameter == "type"


# -- a caller's own device -----------------------------------------------------------
class _Cup:
    """A caller's device satisfying the Device protocol: 0.25 mL marks, 5 mL, +/-4 %."""

    unit_volume_ml = Fraction(1, 4)
    capacity_ml = Fraction(5)
    volume_error = Fraction(1, 25)
    unit, units = "mark", "marks"

    def describe(self):
        return "dosing cup"

    def to_dict(self):
        return {"type": "cup"}


@given(st.integers(1, 20))
def test_callers_own_device_measures_exactly(marks):
    """A caller's Device is measured with its own unit volume, capacity and volume error."""
    cup = _Cup()
    assert isinstance(cup, Device) and is_device(cup)
    assert device_volume_error(cup) == Fraction(1, 25)
    stock = Stock(drug="50 mg", volume="50 mL")  # 1 mg/mL: one mark is 0.25 mg
    m = measure(f"{exact_text(Fraction(marks, 4))} mg", stock, cup)
    assert m.count == marks and m.exact_volume == Fraction(marks, 4)
    c, v = stock.content_tolerance, stock.effective_volume_tolerance
    assert m.exact_bounds == _rules.worst_case_bounds(m.exact_delivered, c, v, Fraction(1, 25))
    assert m.accuracy_problem is None  # only an OralSyringe has the syringe rules
    assert m.what_to_measure() == f"{marks:,} mark{'s' if marks != 1 else ''} " \
                                  f"({format_volume(Fraction(marks, 4))})"


def test_callers_own_device_capacity_and_advice():
    """Over the caller's capacity: OVER_CAPACITY, suggesting target / capacity; below one
    mark: a stock at which the dose is 10 marks."""
    stock = Stock(drug="50 mg", volume="50 mL")
    with pytest.raises(UnmeasurableDoseError) as info:
        measure("6 mg", stock, _Cup())
    assert info.value.kind == ErrorKind.OVER_CAPACITY
    assert info.value.suggested_mg_per_ml == Fraction(6, 5)
    assert format_concentration(Fraction(6, 5)) in info.value.suggestion
    with pytest.raises(UnmeasurableDoseError) as info:
        measure("0.1 mg", stock, _Cup())
    assert info.value.kind == ErrorKind.BELOW_ONE_UNIT
    assert info.value.suggested_mg_per_ml == Fraction(1, 10) / (10 * Fraction(1, 4))
    assert "(the dose would be 10 marks)" in info.value.suggestion
    m = measure("1 mg", stock, _Cup())
    assert m.to_dict()["device"] == {"type": "cup"}


@pytest.mark.parametrize(("capacity", "graduation", "default"), [
    ("1 mL", None, True), ("1 mL", "0.01 mL", False), ("5 mL", "0.1 mL", False),
    ("5 mL", None, True), ("10 mL", "0.5 mL", False),
])
def test_the_record_says_whether_the_graduation_was_given(capacity, graduation, default):
    """A graduation typed by the caller is recorded as given, even when it is the typical one."""
    syringe = OralSyringe(capacity, graduation)
    assert syringe.to_dict()["graduation_default"] is default
    again = OralSyringe.from_dict(syringe.to_dict())
    assert again == syringe and again.to_dict() == syringe.to_dict()
