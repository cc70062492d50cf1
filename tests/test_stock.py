"""Tests of Stock and the measuring devices."""

from fractions import Fraction

import pint
import pytest

from ldn_compound import Dropper, InputError, OralSyringe, Stock, UnitError, measure
from ldn_compound.devices import device_from_dict, device_volume_error


def test_one_tablet_in_ten_ml():
    """One 50 mg tablet made up to 10 mL is 5 mg/mL, 0.25 mg per drop at 20 drops/mL.

    Source: drop ladder in REFERENCES.md (one 50 mg tablet in 10 mL = 0.25 mg per drop).
    """
    stock = Stock.from_tablets("50 mg", volume="10 mL", count=1)
    assert stock.concentration.to("mg/mL").magnitude == 5
    assert stock.concentration_mg_per_ml == 5
    assert stock.dose_per(Dropper(drops_per_mL=20)).to("mg").magnitude == 0.25


def test_two_tablets_in_100_ml_is_1_mg_per_ml():
    """Two 50 mg tablets to 100 mL is 1 mg/mL (Fawcett, Morgan & Woods, Ann Pharmacother 1997)."""
    stock = Stock.from_tablets("50 mg", "100 mL", count=2)
    assert stock.concentration_mg_per_ml == 1
    assert Stock(drug="100 mg", volume="100 mL").concentration_mg_per_ml == 1


def test_calibrated_dropper():
    """35 drops to the 2 mL mark is 17.5 drops/mL (REFERENCES.md, calibrating a dropper)."""
    d = Dropper.calibrate(drops=35, volume="2 mL")
    assert d.drops_per_mL == Fraction(35, 2)
    assert d.volume_error == Fraction(15, 100)  # USP <1101>: calibrated dropper within 15 %


def test_usp_dropper_defaults():
    """The default dropper is the USP <1101> one: 20 drops/mL, +/-10 %, no drop limit."""
    d = Dropper()
    assert (d.drops_per_mL, d.volume_error, d.max_drops, d.capacity_ml) == (20, Fraction(1, 10),
                                                                        None, None)
    assert Dropper(max_drops=30).capacity.to("mL").magnitude == 1.5
    assert d.smallest_measurable.to("mL").magnitude == 0.05


def test_syringe_defaults_and_limits():
    """A syringe knows its capacity and graduation, defaulting to the typical one for its size."""
    s = OralSyringe(capacity="3 mL")
    assert s.unit_volume_ml == Fraction(1, 10)
    assert s.capacity.to("mL").magnitude == 3
    assert OralSyringe().graduation.to("mL").magnitude == 0.01


def test_split_tablet_warns():
    """Half a tablet is allowed, with a warning about splitting accuracy."""
    stock = Stock.from_tablets("50 mg", "25 mL", count=0.5)
    assert stock.drug_mg == 25
    assert any("split" in w for w in stock.warnings)
    assert not Stock.from_tablets("50 mg", "25 mL").warnings


def test_stock_accepts_foreign_registry():
    """A stock accepts quantities from the caller's own pint registry."""
    ureg = pint.UnitRegistry()
    a = Stock(drug=ureg.Quantity(50, "mg"), volume=ureg.Quantity(0.01, "L"))
    assert a == Stock(drug="50 mg", volume="10 mL")


def test_renders_as_text_html_and_json():
    """A stock shows as text, an HTML table and JSON (safe writing: tests/test_rendering.py)."""
    stock = Stock.from_tablets("50 mg", "10 mL")
    assert "5 mg/mL" in str(stock)
    assert "<table>" in stock._repr_html_()
    assert '"drug": "50 mg"' in stock.to_json()


@pytest.mark.parametrize(
    ("call", "error", "parameter"),
    [
        (lambda: Stock.from_tablets("50 mg", "10 mL", count=0), InputError, "count"),
        (lambda: Stock.from_tablets("50 mg", "10 mL", count=-1), InputError, "count"),
        (lambda: Stock.from_tablets("50 mg", "10 mL", count=0.3), InputError, "count"),
        (lambda: Stock.from_tablets("50 mg", "10 mL", count=True), InputError, "count"),
        (lambda: Stock.from_tablets("50 mg", "10 mL", count=float("nan")), InputError, "count"),
        (lambda: Stock.from_tablets("50 mL", "10 mL"), UnitError, "strength"),
        (lambda: Stock.from_tablets("50 mg", "10 mg"), UnitError, "volume"),
        (lambda: Stock.from_tablets(50, "10 mL"), InputError, "strength"),
        (lambda: Stock.from_tablets("", "10 mL"), InputError, "strength"),
        (lambda: Stock.from_tablets("50 mg", "abc"), InputError, "volume"),
        (lambda: Stock.from_tablets("50 mg", "-10 mL"), InputError, "volume"),
        (lambda: Stock.from_tablets("50 mg", "1e9 L"), InputError, "volume"),
        (lambda: Stock.from_tablets("50 mg", "0.1 mL"), InputError, "volume"),  # > solubility
        (lambda: Stock(drug="5 units", volume="10 mL"), UnitError, "drug"),
        (lambda: Stock(drug="50 mg", volume="10 mL", content_tolerance=1.5), InputError,
         "content_tolerance"),
        (lambda: Stock(drug="50 mg", volume="10 mL", content_tolerance=-0.1), InputError,
         "content_tolerance"),
        (lambda: Stock(drug="50 mg", volume="10 mL", volume_tolerance="x"), InputError,
         "volume_tolerance"),
        (lambda: Stock(drug="50 mg", volume="10 mL", tablets=1), InputError, "tablets"),
        (lambda: Stock(drug="50 mg", volume="10 mL", tablets=2, tablet_strength="50 mg"),
         InputError, "drug"),
        (lambda: Stock.from_dict({"volume": "10 mL"}), InputError, "data"),
    ],
)
def test_stock_bad_inputs(call, error, parameter):
    """Each bad stock input raises a clear error naming the parameter."""
    with pytest.raises(error) as info:
        call()
    assert info.value.parameter == parameter


@pytest.mark.parametrize(
    ("call", "error", "parameter"),
    [
        (lambda: Dropper(drops_per_mL=0), InputError, "drops_per_mL"),
        (lambda: Dropper(drops_per_mL=-20), InputError, "drops_per_mL"),
        (lambda: Dropper(drops_per_mL=float("inf")), InputError, "drops_per_mL"),
        (lambda: Dropper(drops_per_mL=1e9), InputError, "drops_per_mL"),
        (lambda: Dropper(drops_per_mL=True), InputError, "drops_per_mL"),
        (lambda: Dropper(drops_per_mL="twenty"), InputError, "drops_per_mL"),
        (lambda: Dropper(volume_error=0.9), InputError, "volume_error"),
        (lambda: Dropper(volume_error=0.1, tolerance=0.1), InputError, "tolerance"),
        (lambda: Dropper(max_drops=0), InputError, "max_drops"),
        (lambda: Dropper(max_drops=2.5), InputError, "max_drops"),
        (lambda: Dropper.calibrate(drops=0, volume="2 mL"), InputError, "drops"),
        (lambda: Dropper.calibrate(drops=35, volume="2 mg"), UnitError, "volume"),
        (lambda: Dropper.calibrate(drops=35, volume=2), InputError, "volume"),
        (lambda: OralSyringe(capacity="2 mL"), InputError, "graduation"),
        (lambda: OralSyringe(capacity="1 mL", graduation="0.3 mL"), InputError, "graduation"),
        (lambda: OralSyringe(capacity="1 mg"), UnitError, "capacity"),
        (lambda: OralSyringe(capacity="1000 mL", graduation="1 mL"), InputError, "capacity"),
        (lambda: OralSyringe(capacity="1 mL", graduation=0.01), InputError, "graduation"),
        (lambda: OralSyringe(volume_error=float("nan")), InputError, "volume_error"),
        (lambda: device_from_dict({"type": "pipette"}), InputError, "type"),
    ],
)
def test_device_bad_inputs(call, error, parameter):
    """Each bad device input raises a clear error naming the parameter."""
    with pytest.raises(error) as info:
        call()
    assert info.value.parameter == parameter


def test_repr_is_safe_and_short():
    """repr names the class once and writes doses safely."""
    assert repr(Stock.from_tablets("50 mg", "10 mL")) == (
        "<Stock: 1 x 50 mg tablet in 10 mL (5 mg/mL)>")
    assert repr(Dropper()) == "<Dropper: Dropper, 20 drops/mL +/-10 %>"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (lambda: Dropper(tolerance=0.2), lambda: Dropper(volume_error=0.2)),
        (lambda: OralSyringe("5 mL", tolerance="5 %"),
         lambda: OralSyringe("5 mL", volume_error=0.05)),
        (lambda: Dropper.calibrate(drops=35, volume="2 mL", tolerance=0.12),
         lambda: Dropper.calibrate(drops=35, volume="2 mL", volume_error=0.12)),
    ],
)
def test_device_tolerance_keyword_is_deprecated(old, new):
    """The old ``tolerance`` keyword still builds the same device, with a DeprecationWarning."""
    with pytest.warns(DeprecationWarning, match="volume_error"):
        device = old()
    assert device == new()
    with pytest.warns(DeprecationWarning, match="volume_error"):
        assert device.tolerance == new().volume_error


def test_device_dict_saved_with_tolerance_reads_back():
    """A device dict saved under the old ``tolerance`` key reads back as ``volume_error``."""
    saved = {"type": "oral_syringe", "capacity": "3 mL", "graduation": "0.1 mL",
             "tolerance": "0.07"}
    assert device_from_dict(saved) == OralSyringe("3 mL", volume_error=Fraction(7, 100))


class _OwnDevice:
    """A caller's device written before the rename: it names its volume error ``tolerance``."""

    unit_volume_ml = Fraction(1, 20)
    capacity_ml = None
    tolerance = Fraction(1, 5)
    unit, units = "drop", "drops"

    def describe(self):
        return "own dropper"

    def to_dict(self):
        return {"type": "own"}


def test_callers_device_with_only_tolerance_still_measures():
    """A caller's own device with only ``tolerance`` measures, its error read with a warning."""
    stock = Stock.from_tablets("50 mg", "10 mL")
    with pytest.warns(DeprecationWarning, match="volume_error"):
        m = measure("4.5 mg", stock, _OwnDevice())
        low, high = m.exact_bounds
    assert device_volume_error(Dropper(volume_error=Fraction(1, 5))) == Fraction(1, 5)
    reference = measure("4.5 mg", stock, Dropper(volume_error=Fraction(1, 5)))
    assert (m.count, low, high) == (reference.count, *reference.exact_bounds)
