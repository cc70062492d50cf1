"""Devices' edges: a caller's device checked at every limit, deprecated names warning the
caller's own line, refused values carried as given, and the exact fields of each record
(issue 11)."""

import os
import warnings
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import Dropper, InputError, OralSyringe, _tables
from ldn_compound._exact import exact_text
from ldn_compound.devices import checked_device, device_from_dict, device_volume_error
from ldn_compound.rendering import sentence
from ldn_compound.units import VOLUME, parse

edges = settings(max_examples=30, deadline=None)
# A step into (0, 1]: a hair, or a whole unit, past a limit.
steps = st.integers(1, 10**6).map(lambda n: Fraction(1, n))


class _Own:
    """A caller's device whose three numbers are set per test."""

    unit, units = "mark", "marks"

    def __init__(self, uv=Fraction(1, 4), cap=Fraction(5), error=Fraction(1, 25)):
        self.unit_volume_ml, self.capacity_ml, self.volume_error = uv, cap, error

    def describe(self):
        return "own device"

    def to_dict(self):
        return {"type": "own"}


class _OldOwn(_Own):
    """A caller's device written before ``volume_error``: it has only ``tolerance``."""

    def __init__(self):
        super().__init__()
        self.tolerance = self.__dict__.pop("volume_error")


def _refused(device, parameter="device"):
    with pytest.raises(InputError) as info:
        checked_device(device, parameter)
    assert info.value.parameter == parameter and info.value.value is device
    return info.value


# -- a caller's own device, checked once at the boundary -------------------------------
@edges
@given(steps)
def test_unit_volume_from_above_0_to_1000_ml(eps):
    """unit_volume_ml is accepted in (0, 1000] mL exactly: 0 and 1000 + eps are refused."""
    for good in (eps, Fraction(1000), 1000 - eps + eps / 2):
        device = _Own(uv=good, cap=None)
        assert checked_device(device) is device
    for bad in (Fraction(0), -eps, 1000 + eps):
        _refused(_Own(uv=bad, cap=None))


@edges
@given(steps)
def test_capacity_none_or_positive(eps):
    """capacity_ml is None or above 0 mL (a hair, 1 mL, anything): 0 and below are refused."""
    for good in (None, eps, Fraction(1), 1 + eps):
        device = _Own(cap=good)
        assert checked_device(device) is device
    for bad in (Fraction(0), -eps):
        _refused(_Own(cap=bad))


@edges
@given(steps)
def test_volume_error_from_0_to_below_1(eps):
    """volume_error is accepted in [0, 1): 0 and 1 - eps pass; -eps, 1 and 1 + eps are refused."""
    for good in (Fraction(0), 1 - eps / 2, eps / 2):
        device = _Own(error=good)
        assert checked_device(device) is device
    for bad in (-eps, Fraction(1), 1 + eps):
        _refused(_Own(error=bad))


@pytest.mark.parametrize("field", ["uv", "cap", "error"])
@pytest.mark.parametrize("bad", [0.25, True, "0.25", None])
def test_inexact_numbers_are_refused(field, bad):
    """A float, a bool or text in any number of a caller's device is refused, whatever its
    size (None only as the capacity)."""
    if field == "cap" and bad is None:
        assert checked_device(_Own(cap=None)).capacity_ml is None
        return
    error = _refused(_Own(**{field: bad}), "syringe")
    assert error.expected.startswith("a Device with ")


def test_every_problem_is_listed_once():
    """A device wrong in all three numbers is refused with one problem per number."""
    error = _refused(_Own(uv=0, cap=0, error=1))
    assert error.expected.count(";") == 2


@pytest.mark.parametrize("bad", [object(), "dropper", 20, None])
def test_not_a_device_is_refused_as_given(bad):
    """Anything that is not a device is refused naming the parameter and carrying the value."""
    with pytest.raises(InputError) as info:
        checked_device(bad, "equipment")
    assert info.value.parameter == "equipment" and info.value.value is bad


# -- deprecated names --------------------------------------------------------------------
def _one_warning(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    assert len(caught) == 1 and caught[0].category is DeprecationWarning
    if "MUTANT_UNDER_TEST" not in os.environ:  # mutmut's trampoline adds a frame
        assert caught[0].filename == __file__  # the caller's line, not the library's
    return result, str(caught[0].message)


def test_old_device_tolerance_is_read_with_a_warning():
    """A caller's device with only `tolerance` is read, warning on the caller's line and
    naming the caller's class."""
    old = _OldOwn()
    error, message = _one_warning(lambda: device_volume_error(old))
    assert error == Fraction(1, 25)
    assert message.startswith("_OldOwn.tolerance is deprecated")


@pytest.mark.parametrize("device", [Dropper(volume_error=0.2), OralSyringe(volume_error=0.2)])
def test_reading_tolerance_warns_on_the_callers_line(device):
    """device.tolerance is volume_error, with a warning naming the device's class."""
    error, message = _one_warning(lambda: device.tolerance)
    assert error == device.volume_error == Fraction(1, 5)
    assert message.startswith(f"{type(device).__name__}.tolerance is deprecated")


@pytest.mark.parametrize(("name", "build"), [
    ("Dropper", lambda **kw: Dropper(**kw)),
    ("Dropper.calibrate", lambda **kw: Dropper.calibrate(drops=20, volume="1 mL", **kw)),
    ("OralSyringe", lambda **kw: OralSyringe(**kw)),
])
def test_tolerance_keyword_round_trips_to_volume_error(name, build):
    """tolerance= builds the same device as volume_error=, warning with the callable's name
    and the new keyword; both at once is refused on 'tolerance'."""
    device, message = _one_warning(lambda: build(tolerance=Fraction(3, 20)))
    assert device == build(volume_error=Fraction(3, 20))
    assert message.startswith(f"{name}(tolerance=...) is deprecated: pass volume_error=")
    with pytest.raises(InputError) as info:
        build(tolerance=0.1, volume_error=0.1)
    assert info.value.parameter == "tolerance" and info.value.value == 0.1


# -- limits and refused values -----------------------------------------------------------
def test_calibrate_counts_at_most_10000_drops():
    """10,000 drops are counted; 10,001 are refused on 'drops' even when the rate is fine."""
    assert Dropper.calibrate(drops=10_000, volume="1000 mL").drops_per_mL == 10
    with pytest.raises(InputError) as info:
        Dropper.calibrate(drops=10_001, volume="1000 mL")
    assert info.value.parameter == "drops"


@edges
@given(st.integers(101, 10**4))
def test_refused_drops_per_ml_is_the_value_given(dpm):
    """A rate above 100 drops/mL is refused carrying the caller's own value; so is text."""
    for bad in (dpm, str(dpm)):
        with pytest.raises(InputError) as info:
            Dropper(bad)
        assert (info.value.parameter, info.value.value) == ("drops_per_mL", bad)
    with pytest.raises(InputError) as text:
        Dropper("many")
    assert text.value.expected == info.value.expected  # one wording however it is wrong


@edges
@given(st.integers(101, 1000))
def test_refused_syringe_sizes_are_shown_in_ml(ml):
    """An oversize syringe, or a graduation that does not divide, is refused quoting the mL
    with every digit (it reads back to the volume given)."""
    with pytest.raises(InputError) as info:
        OralSyringe(f"{ml} mL", "1 mL")
    assert info.value.parameter == "capacity"
    assert parse(info.value.value, VOLUME, "v") == ml and info.value.value.endswith(" mL")
    grad = Fraction(ml, 1000)  # 0.101 to 1 mL
    if (1 / grad).denominator != 1:  # it does not divide a 1 mL syringe
        with pytest.raises(InputError) as info:
            OralSyringe("1 mL", f"{exact_text(grad)} mL")
        assert info.value.parameter == "graduation"
        assert parse(info.value.value, VOLUME, "v") == grad


@pytest.mark.parametrize("kind", ["spoon", None, 3])
def test_unknown_record_type_is_carried(kind):
    """A record of an unknown device type is refused carrying that type."""
    with pytest.raises(InputError) as info:
        device_from_dict({"type": kind})
    assert (info.value.parameter, info.value.value) == ("type", kind)


# -- records and displays ----------------------------------------------------------------
@edges
@given(st.integers(1, 100), st.integers(1, 4))
def test_dropper_record_states_the_drop_volume(dpm, per):
    """A dropper's record states one drop's exact volume, 1 / drops_per_mL mL."""
    d = Dropper(Fraction(dpm, per) if dpm >= per else dpm)
    assert d.to_dict()["drop_volume"] == f"{exact_text(1 / d.drops_per_mL)} mL"


@given(st.sampled_from(sorted(_tables.TYPICAL_SYRINGE_GRADUATION_ML)),
       st.sampled_from([Fraction(1, 100), Fraction(1, 10), Fraction(1, 20)]))
def test_syringe_record_says_whether_the_graduation_is_typical(capacity, grad):
    """graduation_default is True exactly when no graduation was given (a given one, even
    the size's typical one, is recorded as given)."""
    s = OralSyringe(f"{exact_text(capacity)} mL", f"{exact_text(grad)} mL")
    assert s.to_dict()["graduation_default"] is False
    assert OralSyringe(f"{exact_text(capacity)} mL").to_dict()["graduation_default"] is True
    assert device_from_dict(s.to_dict()) == s


@pytest.mark.parametrize("device", [OralSyringe("3 mL"), Dropper(max_drops=5)])
def test_report_title_is_the_description(device):
    """Every display's title is describe(), capitalised."""
    assert device.report().title == sentence(device.describe())
