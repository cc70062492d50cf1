"""Tests of measure(): exact rounding, bounds, warnings and errors."""

from decimal import Decimal
from fractions import Fraction

import pint
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from safe_writing import assert_safe

from ldn_compound import (
    DoseBand,
    Dropper,
    InputError,
    LdnCompoundError,
    Measurement,
    OralSyringe,
    Stock,
    ToleranceError,
    UnitError,
    UnmeasurableDoseError,
    classify,
    measure,
)
from ldn_compound.strategies import devices, doses, rounding_modes, stocks

TABLET_10ML = Stock.from_tablets("50 mg", volume="10 mL")


def _measure_or_none(dose, stock, device, rounding="nearest"):
    try:
        return measure(dose, stock, device, rounding=rounding)
    except UnmeasurableDoseError:
        return None


# -- worked examples -------------------------------------------------------------


def test_drop_ladder_top_step():
    """50 mg in 10 mL at 20 drops/mL: 4.5 mg is 18 drops (REFERENCES.md drop ladder)."""
    m = measure("4.5 mg", TABLET_10ML, Dropper(drops_per_mL=20))
    assert m.count == 18
    assert m.volume.to("mL").magnitude == pytest.approx(0.9, abs=0)
    assert m.delivered.to("mg").magnitude == 4.5
    assert m.rounding_error == 0
    assert m.warnings == ()


def test_one_mg_per_ml_syringe():
    """50 mg in 50 mL is 1 mg/mL and 4.5 mg is 4.5 mL (oral liquid 1 mg/mL, REFERENCES.md)."""
    m = measure("4.5 mg", Stock(drug="50 mg", volume="50 mL"),
                OralSyringe(capacity="5 mL", graduation="0.1 mL"))
    assert m.volume.to("mL").magnitude == 4.5
    assert m.count == 45


def test_calibrated_dropper_dose():
    """At 17.5 drops/mL (35 drops to 2 mL) and 5 mg/mL, 1 mg is 3.5 drops -> 4 (nearest)."""
    m = measure("1 mg", TABLET_10ML, Dropper.calibrate(drops=35, volume="2 mL"))
    assert m.count == 4  # 1 / 5 * 17.5 = 3.5 exactly: a tie, away from zero


def test_exact_rounding_cases_from_issue():
    """The float traps: 0.35 mg at 0.1 mg/mL is 4 units, 0.3 mg down is 3 mL, 0.625 mg ties."""
    weak = Stock(drug="10 mg", volume="100 mL")
    ml_syringe = OralSyringe(capacity="10 mL", graduation="1 mL")
    assert measure("0.35 mg", weak, ml_syringe).count == 4
    assert round(0.35 / 0.1) == 3  # what floats do
    assert measure("0.3 mg", weak, ml_syringe, rounding="down").count == 3
    assert int(0.3 / 0.1) == 2  # what floats do
    assert measure("0.625 mg", TABLET_10ML, Dropper()).count == 3
    assert measure("0.625 mg", TABLET_10ML, Dropper(), rounding="down").count == 2
    assert measure("625 mcg", TABLET_10ML, Dropper()).count == 3


def test_bounds_by_hand():
    """Bounds combine tablet content, make-up volume and dropper tolerance, worst case.

    4.5 mg delivered; tablet 90-110 % (USP monograph), 10 mL in a class B 10 mL
    cylinder +/-0.1 mL = 1 % (ASTM E694), dropper +/-10 % (USP <1101>):
    low = 4.5 * 0.9 * 0.9 / 1.01 = 3.6089..., high = 4.5 * 1.1 * 1.1 / 0.99 = 5.5.
    """
    m = measure("4.5 mg", TABLET_10ML, Dropper())
    low, high = m.exact_bounds
    assert low == Fraction(9, 2) * Fraction(81, 100) / Fraction(101, 100)
    assert high == Fraction(11, 2)
    assert m.bounds.low.to("mg").magnitude == pytest.approx(3.60891, rel=1e-5)


def test_check_tolerance():
    """check() passes within tolerance and raises ToleranceError with fields otherwise."""
    m = measure("0.8 mg", TABLET_10ML, Dropper())  # 3.2 drops -> 3 = 0.75 mg, -6.25 %
    assert m.check(0.1) is m
    with pytest.raises(ToleranceError) as info:
        m.check(0.05)
    assert info.value.error == -0.0625
    assert info.value.target.to("mg").magnitude == 0.8
    assert info.value.delivered.to("mg").magnitude == 0.75
    assert "0.8 mg" in str(info.value) and "0.75 mg" in str(info.value)


def test_check_tolerance_keyword_is_deprecated():
    """check(tolerance=) still decides like max_rounding_error, with a DeprecationWarning."""
    m = measure("0.8 mg", TABLET_10ML, Dropper())  # -6.25 %
    with pytest.warns(DeprecationWarning, match="max_rounding_error"):
        assert m.check(tolerance=0.1) is m
    with pytest.warns(DeprecationWarning), pytest.raises(ToleranceError):
        m.check(tolerance=0.05)
    with pytest.raises(InputError) as info:
        m.check(0.1, tolerance=0.1)
    assert info.value.parameter == "tolerance"


def test_unmeasurable_small_dose_suggests_a_stock():
    """1 mcg from 5 mg/mL rounds to 0 drops: an error that names a stock that would work."""
    with pytest.raises(UnmeasurableDoseError) as info:
        measure("1 mcg", TABLET_10ML, Dropper())
    assert "2 mcg/mL" in str(info.value)  # 1 mcg in 10 drops of 0.05 mL
    stock = Stock(drug="0.2 mg", volume="100 mL")  # 2 mcg/mL
    assert measure("1 mcg", stock, Dropper()).count == 10


def test_unmeasurable_over_capacity_suggests_a_syringe():
    """4 mL in a 1 mL syringe is refused with a larger syringe or stronger stock suggested."""
    with pytest.raises(UnmeasurableDoseError, match="3 mL oral syringe|5 mL oral syringe"):
        measure("20 mg", TABLET_10ML, OralSyringe())
    with pytest.raises(UnmeasurableDoseError, match="at least"):
        measure("4.5 mg", TABLET_10ML, Dropper(max_drops=10))


def test_high_doses():
    """Above 5 mg warns; 45 mg or more is refused as a decimal slip unless allowed."""
    stock = Stock.from_tablets("50 mg", "50 mL", count=2)
    assert any("above the low-dose" in w for w in measure("6 mg", stock, Dropper()).warnings)
    with pytest.raises(InputError, match="decimal slip"):
        measure("45 mg", stock, OralSyringe(capacity="60 mL", graduation="1 mL"))
    m = measure("45 mg", stock, OralSyringe(capacity="60 mL", graduation="1 mL"),
                allow_high_dose=True)
    assert m.count == 23  # 100 mg in 50 mL is 2 mg/mL: 22.5 mL, a tie, rounds up to 23 mL


def test_classify_bands():
    """Toljan & Vrooman 2018 bands: < 1 mcg ultra-low, to < 1 mg very-low, 1-5 mg low."""
    assert classify("0.5 mcg") is DoseBand.ULTRA_LOW
    assert classify("1 mcg") is DoseBand.VERY_LOW
    assert classify("999 mcg") is DoseBand.VERY_LOW
    assert classify("1 mg") is DoseBand.LOW
    assert classify("5 mg") is DoseBand.LOW
    assert classify("5.1 mg") is DoseBand.ABOVE_LDN


def test_small_syringe_volume_warns():
    """0.1 mL or less in a 1 mL syringe warns (Arenas-Lopez et al. 2017)."""
    m = measure("0.3 mg", TABLET_10ML, OralSyringe())
    assert any("0.1 mL" in w for w in m.warnings)


def test_text_html_and_json_agree():
    """Text, HTML and JSON of a measurement agree (safe writing: tests/test_rendering.py)."""
    m = measure("0.5 mg", TABLET_10ML, Dropper())
    text, html, js = str(m), m._repr_html_().replace("\xa0", " "), m.to_json()
    for out in (text, html, js):  # HTML keeps a number with its unit: a no-break space
        assert "0.5 mg" in out
        assert_safe(out)
    assert "2 drops (0.1 mL)" in text


def test_foreign_registry_dose():
    """A dose from the caller's own UnitRegistry gives the same result as text."""
    ureg = pint.UnitRegistry()
    assert measure(ureg.Quantity(4.5, "mg"), TABLET_10ML, Dropper()) == measure(
        "4.5 mg", TABLET_10ML, Dropper())
    out = measure(ureg.Quantity(4.5, "mg"), TABLET_10ML, Dropper()).delivered
    assert out.to("mcg").magnitude == 4500


# -- properties -------------------------------------------------------------------


@given(doses(), stocks(), devices())
def test_nearest_within_half_a_unit(dose, stock, device):
    """Under nearest, the delivered dose is within half a device unit of the target."""
    m = _measure_or_none(dose, stock, device)
    assume(m is not None)
    per = stock.concentration_mg_per_ml * device.unit_volume_ml
    assert abs(m.exact_delivered - m.exact_target) <= per / 2


@given(doses(), stocks(), devices())
def test_down_never_over_up_never_under(dose, stock, device):
    """down never exceeds the target and up never falls short of it."""
    down = _measure_or_none(dose, stock, device, "down")
    up = _measure_or_none(dose, stock, device, "up")
    if down is not None:
        assert down.exact_delivered <= down.exact_target
    if up is not None:
        assert up.exact_delivered >= up.exact_target
    if down is not None and up is not None:
        assert up.count - down.count in (0, 1)


@given(doses(), doses(), stocks(), devices(), rounding_modes())
def test_counts_never_decrease(a, b, stock, device, mode):
    """A larger dose never gives fewer drops or graduations."""
    ma, mb = _measure_or_none(a, stock, device, mode), _measure_or_none(b, stock, device, mode)
    assume(ma is not None and mb is not None)
    if ma.exact_target <= mb.exact_target:
        assert ma.count <= mb.count
    else:
        assert ma.count >= mb.count


@given(doses(), stocks(), devices(), rounding_modes(), st.integers(2, 5))
def test_scaling_stock_changes_nothing(dose, stock, device, mode, k):
    """k tablets in k times the volume measure exactly like one batch."""
    bigger = Stock(drug=(stock.drug_mg * k, "mg"), volume=(stock.volume_ml * k, "mL"))
    a, b = _measure_or_none(dose, stock, device, mode), _measure_or_none(dose, bigger, device,
                                                                          mode)
    assert (a is None) == (b is None)
    if a is not None and b is not None:
        assert (a.count, a.exact_delivered) == (b.count, b.exact_delivered)


@given(doses(), stocks(), devices(), rounding_modes())
def test_bounds_contain_delivered(dose, stock, device, mode):
    """The worst-case bounds always contain the delivered dose."""
    m = _measure_or_none(dose, stock, device, mode)
    assume(m is not None)
    low, high = m.exact_bounds
    assert 0 < low <= m.exact_delivered <= high


_NEAR_ONE = st.sampled_from([Fraction(0), Fraction(1, 2), Fraction(9, 10), Fraction(99, 100),
                             Fraction(999, 1000)]) | st.fractions(0, Fraction(999, 1000),
                                                                  max_denominator=1000)


@settings(max_examples=300, deadline=None)
@given(st.fractions(Fraction(1, 100), 20, max_denominator=100), st.fractions(
    Fraction(1, 100), 1, max_denominator=100), st.none() | _NEAR_ONE, _NEAR_ONE,
    st.fractions(0, Fraction(49, 100), max_denominator=100), st.booleans(), doses(),
    rounding_modes())
def test_bounds_of_any_stock(volume, fill, vt, ct, dt, dropper, dose, mode):
    """Small stocks and tolerances near 1: refused below 1 mL without volume_tolerance, else
    bounds are positive and contain the delivered dose."""
    drug = volume * 100 * fill  # up to the 100 mg/mL solubility
    make = lambda: Stock(drug=(drug, "mg"), volume=(volume, "mL"),  # noqa: E731
                         volume_tolerance=vt, content_tolerance=ct)
    if vt is None and volume < 1:
        with pytest.raises(InputError) as info:
            make()
        assert info.value.parameter == "volume_tolerance"
        return
    stock = make()
    device = Dropper(volume_error=dt) if dropper else OralSyringe("1 mL", volume_error=dt)
    m = _measure_or_none(dose, stock, device, mode)
    assume(m is not None)
    low, high = m.exact_bounds
    assert 0 < low <= m.exact_delivered <= high


@pytest.mark.parametrize(("drug", "volume"), [("4.5 mg", "0.05 mL"), ("1 mg", "0.1 mL"),
                                              ("1 mg", "0.5 mL"), ("5 mg", "0.99 mL")])
def test_stock_below_1_ml_needs_volume_tolerance(drug, volume):
    """Issue 8: 4.5 mg in 0.05 mL gave bounds 1.215 to -5.445 mg; now an error naming
    volume_tolerance that says what would work."""
    with pytest.raises(InputError) as info:
        Stock(drug=drug, volume=volume)
    assert info.value.parameter == "volume_tolerance"
    assert "at least 1 mL" in info.value.expected and "syringe" in info.value.expected
    stock = Stock(drug=drug, volume=volume, volume_tolerance=0.02)
    m = measure((stock.drug_mg / 2, "mg"), stock, Dropper())
    assert 0 < m.exact_bounds[0] <= m.exact_delivered <= m.exact_bounds[1]


@given(st.decimals(min_value=Decimal("0.001"), max_value=Decimal("16"), places=4), stocks(),
       devices())
def test_mixed_units_agree(mg, stock, device):
    """A dose in mcg gives exactly the same result as the same dose in mg."""
    a = _measure_or_none(f"{mg} mg", stock, device)
    b = _measure_or_none(f"{mg * 1000} mcg", stock, device)
    assert a == b


@given(doses(), stocks(), devices(), rounding_modes())
def test_positive_dose_never_silently_zero(dose, stock, device, mode):
    """A positive dose gives at least one unit, or an error: never a silent 0."""
    try:
        m = measure(dose, stock, device, rounding=mode)
    except UnmeasurableDoseError as exc:
        assert "Would work" in str(exc)
    else:
        assert m.count >= 1


bad_text = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["-1 mg", "0 mg", "nan mg", "inf mg", "5 units", "5 kg", "4.5", "1e99 mg",
                     "10 mL", ".5 mg"]),
    st.floats(), st.integers(), st.booleans(), st.none(),
)


@given(bad_text)
def test_bad_dose_raises_never_returns_a_number(value):
    """Any malformed dose raises a library error; a parseable one is a real mass."""
    try:
        m = measure(value, TABLET_10ML, Dropper())
    except LdnCompoundError:
        return
    assert isinstance(value, str) and m.count >= 1


@pytest.mark.parametrize(
    ("kwargs", "error", "parameter"),
    [
        ({"dose": "-1 mg"}, InputError, "dose"),
        ({"dose": "0 mg"}, InputError, "dose"),
        ({"dose": "nan mg"}, InputError, "dose"),
        ({"dose": "inf mg"}, InputError, "dose"),
        ({"dose": ""}, InputError, "dose"),
        ({"dose": "four mg"}, InputError, "dose"),
        ({"dose": 4.5}, InputError, "dose"),
        ({"dose": "4.5"}, InputError, "dose"),
        ({"dose": "5 kg"}, InputError, "dose"),
        ({"dose": "5 mL"}, UnitError, "dose"),
        ({"dose": "5 units"}, UnitError, "dose"),
        ({"dose": True}, InputError, "dose"),
        ({"dose": "1e12 mg"}, InputError, "dose"),
        ({"dose": "450 mg"}, InputError, "dose"),
        ({"rounding": "half-even"}, InputError, "rounding"),
        ({"rounding": None}, InputError, "rounding"),
        ({"stock": "50 mg in 10 mL"}, InputError, "stock"),
        ({"device": 20}, InputError, "device"),
        ({"allow_high_dose": "yes"}, InputError, "allow_high_dose"),
    ],
)
def test_measure_bad_inputs(kwargs, error, parameter):
    """Each bad argument to measure() raises an error naming that parameter."""
    args = {"dose": "4.5 mg", "stock": TABLET_10ML, "device": Dropper(), **kwargs}
    dose, stock, device = args.pop("dose"), args.pop("stock"), args.pop("device")
    with pytest.raises(error) as info:
        measure(dose, stock, device, **args)
    assert info.value.parameter == parameter


@pytest.mark.parametrize(
    ("value", "error"),
    [("", InputError), ("-1 mg", InputError), ("0 mcg", InputError), ("1 mL", UnitError),
     (1, InputError), (None, InputError), (float("nan"), InputError), ("x mg", InputError),
     (True, InputError), ("1e30 mg", InputError)],
)
def test_classify_bad_inputs(value, error):
    """classify() refuses what is not a positive, plausible mass."""
    with pytest.raises(error) as info:
        classify(value)
    assert info.value.parameter == "dose"


@pytest.mark.parametrize("limit", [-0.1, 1, 2, float("nan"), "abc", None, True])
def test_check_bad_max_rounding_error(limit):
    """Measurement.check() refuses a max_rounding_error outside [0, 1)."""
    m = measure("4.5 mg", TABLET_10ML, Dropper())
    with pytest.raises(InputError) as info:
        m.check(limit)
    assert info.value.parameter == "max_rounding_error"


def test_dose_beyond_the_whole_stock_is_refused():
    """A dose needing more liquid than the stock holds raises (review: 4.5 mg from 1 mg in 1 mL)."""
    with pytest.raises(UnmeasurableDoseError, match="whole stock"):
        measure("4.5 mg", Stock(drug="1 mg", volume="1 mL"), Dropper())
    assert measure("1 mg", Stock(drug="1 mg", volume="1 mL"), Dropper()).count == 20


def test_uncommon_unit_quantity_is_exact():
    """0.09 cg from the caller's registry is exactly 0.9 mg: 9 whole mL at 0.1 mg/mL, down."""
    weak = Stock(drug="10 mg", volume="100 mL")
    syringe = OralSyringe(capacity="10 mL", graduation="1 mL")
    ureg = pint.UnitRegistry()
    assert measure(ureg.Quantity(0.09, "centigram"), weak, syringe, rounding="down").count == 9
    with pytest.raises(UnitError, match="write mg"):  # cg is not in the text vocabulary
        measure("0.09 cg", weak, syringe, rounding="down")


@given(st.integers(1, 10**6), st.integers(1, 10**6), devices())
def test_measurement_round_trip_exact(num, den, device):
    """from_dict(to_dict(m)) == m even when the dose is not a terminating decimal."""
    stock = Stock.from_tablets("50 mg", "10 mL")
    dose = Fraction(num, den)
    assume(Fraction(1, 100) <= dose <= 16)
    m = _measure_or_none((dose, "mg"), stock, device)
    assume(m is not None)
    assert Measurement.from_dict(m.to_dict()) == m


def test_large_counts_have_thousands_separators():
    """Counts of 1,000 and more are written with a comma, like every other number."""
    m = measure("40 mg", Stock(drug="50 mg", volume="1000 mL"), Dropper())
    assert m.what_to_measure() == "16,000 drops (800 mL)"


def test_ranges_use_one_unit():
    """Bounds are written as one range in one unit, '80.2 to 122.2 mcg', never mixed."""
    from ldn_compound.rendering import format_mass_range

    assert format_mass_range(Fraction(802, 10000), Fraction(1222, 10000)) == "80.2 to 122.2 mcg"
    assert format_mass_range(Fraction(3609, 1000), Fraction(11, 2)) == "3.609 to 5.5 mg"


@pytest.mark.parametrize("capacity", ["0.5 mL", "1 mL", "3 mL", "5 mL", "10 mL"])
def test_suggested_concentration_is_itself_accurate(capacity):
    """A dose at the suggested concentration has no accuracy problem, 0.5 mL syringes too."""
    from ldn_compound.measurement import suggested_concentration

    device = OralSyringe(capacity)
    conc = suggested_concentration(Fraction(1), device)
    # 1 mg at conc mg/mL: drug amount sized so the whole dose fits in a tenth of it
    m = measure("1 mg", Stock((Fraction(100), "mg"), (100 / conc, "mL")), device)
    assert m.accuracy_problem is None
