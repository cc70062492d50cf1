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
    assert "<table class='facts'>" in stock._repr_html_()
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


# -- limits and options (issue 11) -----------------------------------------------------
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ldn_compound import _rules, _tables  # noqa: E402
from ldn_compound._exact import exact_text  # noqa: E402
from ldn_compound.stock import tablet_count  # noqa: E402

_tolerances = st.fractions(min_value=0, max_value=Fraction(99, 100), max_denominator=100)
_steps = st.integers(1, 10**6).map(lambda n: Fraction(1, n))


@given(_tolerances, _tolerances, st.sampled_from([1, 2, Fraction(1, 2), Fraction(9, 4)]))
def test_from_tablets_passes_every_option_on(content, volume, count):
    """from_tablets keeps content_tolerance, volume_tolerance and the count; all round-trip."""
    s = Stock.from_tablets("50 mg", "10 mL", count, content_tolerance=content,
                           volume_tolerance=volume)
    assert (s.content_tolerance, s.volume_tolerance, s.tablets) == (content, volume, count)
    assert s.effective_volume_tolerance == volume
    assert s.drug_mg == 50 * count and s.tablet_strength.to("mg").magnitude == 50
    assert Stock.from_dict(s.to_dict()) == s
    plain = Stock(drug="3 mg", volume="0.5 mL", content_tolerance=content, volume_tolerance=volume)
    assert Stock.from_dict(plain.to_dict()) == plain


@given(_steps)
def test_stock_of_exactly_100_mg_per_ml(eps):
    """100 mg/mL (the solubility) is accepted; a hair more is refused on 'volume'."""
    assert Stock(drug="1000 mg", volume="10 mL").concentration_mg_per_ml == 100
    assert Stock(drug=f"{exact_text(1000 - eps)} mg", volume="10 mL").concentration_mg_per_ml < 100
    with pytest.raises(InputError) as info:
        Stock(drug=f"{exact_text(1000 + eps)} mg", volume="10 mL")
    assert info.value.parameter == "volume"


@given(_steps)
def test_default_make_up_needs_1_ml(eps):
    """Without volume_tolerance, 1 mL (10 % of a 10 mL cylinder's 0.1 mL) is accepted and a
    hair less refused; with it, any volume is."""
    assert Stock(drug="1 mg", volume="1 mL").effective_volume_tolerance == Fraction(1, 10)
    below = f"{exact_text(1 - eps / 2)} mL"
    with pytest.raises(InputError) as info:
        Stock(drug="1 mg", volume=below)
    assert info.value.parameter == "volume_tolerance"
    assert "at least 1 mL" in str(info.value)
    assert Stock(drug="1 mg", volume=below, volume_tolerance=0.02).volume_tolerance == \
        Fraction(1, 50)


@given(_steps)
def test_small_volume_warning_at_20_percent_of_the_cylinder(eps):
    """Made up to 2 mL (20 % of the 10 mL cylinder) gives no warning; a hair less does."""
    assert Stock(drug="1 mg", volume="2 mL").warnings == ()
    low = Stock(drug="1 mg", volume=f"{exact_text(2 - eps)} mL")
    assert len(low.warnings) == 1 and "below 20 % of a 10 mL graduate" in low.warnings[0]
    assert Stock(drug="1 mg", volume="1.5 mL", volume_tolerance=0.01).warnings == ()


@given(st.integers(1, 4000), st.sampled_from([1, 2, 4]))
def test_tablet_count_whole_half_quarter_up_to_1000(n, split):
    """Whole, half and quarter tablets from a quarter to 1,000; nothing else."""
    x = Fraction(n, split)
    if x <= 1000:
        assert tablet_count(exact_text(x)) == x
    else:
        with pytest.raises(InputError):
            tablet_count(exact_text(x))
    for bad in (0, Fraction(1, 3), Fraction(4001, 4), -1):
        with pytest.raises(InputError) as info:
            tablet_count(bad)
        assert info.value.parameter == "count"


def test_stock_numbers_in_text():
    """describe, report and warnings state the counts and percentages they compute."""
    s = Stock.from_tablets("50 mg", "10 mL", 2)
    assert s.describe() == "2 x 50 mg tablets in 10 mL (10 mg/mL)"
    assert Stock.from_tablets("50 mg", "10 mL").describe() == "1 x 50 mg tablet in 10 mL (5 mg/mL)"
    assert Stock(drug="5 mg", volume="25 mL").describe() == "5 mg in 25 mL (0.2 mg/mL)"
    rows = dict(Stock(drug="5 mg", volume="25 mL", content_tolerance=0.05).report().rows)
    assert rows["Content tolerance"] == "+/-5 %"
    assert rows["Volume tolerance"] == "+/-1.2 %"  # 0.3 mL of 25 mL (ASTM E694 class B)
    half = Stock.from_tablets("50 mg", "10 mL", 1.5)
    assert half.warnings[0].startswith("uses 1.5 tablets")
    assert Stock.from_tablets("50 mg", "10 mL").warnings == ()
    assert s.dose_per(Dropper(25)).to("mg").magnitude == 0.4
    assert s.effective_volume_tolerance == _rules.make_up_tolerance(Fraction(10))
    assert _tables.TABLET_CONTENT_TOLERANCE == s.content_tolerance


def test_tablets_and_strength_must_agree():
    """tablets x tablet_strength must equal the drug, and come together."""
    with pytest.raises(InputError) as info:
        Stock(drug="100 mg", volume="10 mL", tablets=1, tablet_strength="50 mg")
    assert info.value.parameter == "drug"
    with pytest.raises(InputError) as info:
        Stock(drug="50 mg", volume="10 mL", tablets=1)
    assert info.value.parameter == "tablets"
    with pytest.raises(InputError) as info:
        Stock.from_dict({"volume": "10 mL"})
    assert info.value.parameter == "data"


def test_stock_limits_named_in_errors_and_rows():
    """1,000 tablets exactly; tablet_strength named; from_dict's default content tolerance;
    the make-up error's percentage is tolerance / volume; the report's row names."""
    assert tablet_count(1000) == 1000
    with pytest.raises(InputError) as info:
        Stock(drug="5 mg", volume="10 mL", tablets=1, tablet_strength="5 furlong")
    assert info.value.parameter == "tablet_strength"
    s = Stock.from_dict({"drug": "5 mg", "volume": "10 mL"})
    assert s.content_tolerance == _tables.TABLET_CONTENT_TOLERANCE
    with pytest.raises(InputError) as info:
        Stock(drug="1 mg", volume="0.8 mL")
    assert "is 12.5 % of it" in str(info.value)  # 0.1 mL / 0.8 mL
    assert [r[0] for r in s.report().rows] == ["Drug", "Volume", "Concentration",
                                               "Content tolerance", "Volume tolerance"]
