"""More rules of ldn_compound._rules on their edges: weighing resolution, weighed amounts,
syringe sizes exactly at a size, beyond() at any limit, and the below-one-unit reason."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import (
    Dropper,
    OralSyringe,
    Stock,
    UnmeasurableDoseError,
    _rules,
    _tables,
    measure,
)
from ldn_compound._exact import exact_text, format_number, round_to_int
from ldn_compound.rendering import format_concentration, format_mass

edges = settings(max_examples=60, deadline=None)
fractions = st.fractions(min_value=Fraction(1, 10**6), max_value=10**6, max_denominator=10**6)


@edges
@given(st.one_of(fractions, st.integers(-8, 8).map(lambda k: Fraction(10) ** k * 100)))
def test_weighing_resolution_is_the_largest_power_of_ten_within_one_percent(lwq):
    """res is a power of ten, res <= 1 % of the LWQ < 10 res (exactly a power: itself)."""
    res = _rules.weighing_resolution(lwq)
    limit = lwq * _tables.WEIGHING_RESOLUTION_SHARE
    assert res <= limit < 10 * res
    power = res if res >= 1 else 1 / res
    assert power.denominator == 1 and str(power.numerator).rstrip("0") == "1"


@edges
@given(fractions, st.integers(-4, 2).map(lambda k: Fraction(10) ** k),
       st.sampled_from(["nearest", "down", "up"]))
def test_weighed_is_a_whole_number_of_steps(mg, resolution, mode):
    """weighed() is resolution x the rounded count of steps, nearest by default."""
    w = _rules.weighed(mg, resolution, mode)
    assert w == resolution * round_to_int(mg / resolution, mode)
    assert (w / resolution).denominator == 1
    assert abs(w - mg) < resolution if mode != "nearest" else abs(w - mg) <= resolution / 2
    assert _rules.weighed(mg, resolution) == _rules.weighed(mg, resolution, "nearest")


@pytest.mark.parametrize("size", _tables.SYRINGE_SIZES_ML)
def test_syringe_sizes_exactly_at_a_size(size):
    """A volume exactly a syringe's size is held by that syringe (larger and smaller)."""
    assert _rules.larger_syringe(size) == size
    above = [s for s in _tables.SYRINGE_SIZES_ML if s > size]
    assert _rules.larger_syringe(size + Fraction(1, 1000)) == (above[0] if above else None)
    if size > _tables.SMALL_SYRINGE_VOLUME_ML:
        assert _rules.smaller_syringe(size, Fraction(100)) == size


@edges
@given(st.integers(-10**4, 10**4), st.integers(1, 10**4), fractions)
def test_beyond_at_any_limit(diff, base, limit):
    """beyond(diff, base, limit) is |diff| / base > limit, on and either side of it."""
    assert _rules.beyond(diff, base, limit) == (Fraction(abs(diff), base) > limit)
    on = limit * base
    assert not _rules.beyond(on, base, limit)
    assert _rules.beyond(on + Fraction(1, 10**9), base, limit)


@edges
@given(st.integers(1, 99), st.sampled_from([Dropper(), OralSyringe("1 mL"),
                                             OralSyringe("5 mL")]))
def test_below_one_unit_reason_states_its_numbers(micrograms, device):
    """'one unit holds X, so it is Y units': X = concentration x unit volume, Y = target / X
    to three figures."""
    stock = Stock(drug="50 mg", volume="50 mL")
    target = Fraction(micrograms, 10**6) / 7
    with pytest.raises(UnmeasurableDoseError) as info:
        measure(f"{exact_text(target)} mg", stock, device)
    per = stock.concentration_mg_per_ml * device.unit_volume_ml
    assert (f"at {format_concentration(stock.concentration_mg_per_ml)} one {device.unit} "
            f"holds {format_mass(per)}, so it is {format_number(target / per, 3)} "
            f"{device.units}, which rounds to 0") in info.value.reason


@edges
@given(st.integers(1, 99), st.sampled_from([Dropper(), OralSyringe("1 mL"), OralSyringe("5 mL")]))
def test_finer_syringe_is_suggested_only_for_a_coarser_syringe(micrograms, device):
    """Below one unit, the 1 mL syringe in 0.01 mL is suggested for a syringe graduated
    more coarsely, never for a dropper or a syringe already that fine."""
    with pytest.raises(UnmeasurableDoseError) as info:
        measure(f"{exact_text(Fraction(micrograms, 10**7))} mg", Stock(drug="50 mg",
                volume="50 mL"), device)
    finer = "a 1 mL oral syringe graduated in 0.01 mL" in info.value.suggestion
    assert finer == (isinstance(device, OralSyringe) and device.unit_volume_ml > Fraction(1, 100))


def test_exactly_the_whole_stock_over_capacity_is_over_capacity():
    """All 5 mL of a stock with a 1 mL syringe is over its capacity, not beyond the stock."""
    with pytest.raises(UnmeasurableDoseError) as info:
        measure("5 mg", Stock(drug="5 mg", volume="5 mL"), OralSyringe("1 mL"))
    assert info.value.kind == _rules.ErrorKind.OVER_CAPACITY


@pytest.mark.parametrize("capacity", ["3 mL", "5 mL", "10 mL"])
def test_over_capacity_suggests_target_over_capacity(capacity):
    """Over a 3, 5 or 10 mL syringe: at least target / capacity mg/mL, never target x it."""
    syringe = OralSyringe(capacity)
    target = syringe.capacity_ml + 1  # mg at 1 mg/mL
    with pytest.raises(UnmeasurableDoseError) as info:
        measure(f"{exact_text(target)} mg", Stock(drug="50 mg", volume="50 mL"), syringe)
    conc = target / syringe.capacity_ml
    assert info.value.suggested_mg_per_ml == conc
    assert f"a stock of at least {format_concentration(conc)}" in info.value.suggestion


@pytest.mark.parametrize(("volume", "percent"), [("7/10", "14.3"), ("1/3", "30"),
                                                 ("99/100", "10.1")])
def test_make_up_refusal_states_its_numbers(volume, percent):
    """Below 1 mL the 10 mL cylinder's +/-0.1 mL is quoted as a percentage to 3 figures,
    and the advice names the least volume (0.1 / 10 %) and the other ways."""
    with pytest.raises(_rules.InputError) as info:
        _rules.check_make_up(Fraction(volume))
    assert info.value.parameter == "volume_tolerance"
    assert f"+/-0.1 mL (ASTM E694) is {percent} % of it" in str(info.value)
    assert str(info.value).endswith(
        "Would work: a volume of at least 1 mL, or measure it with a syringe or a volumetric "
        "flask and pass its volume_tolerance (e.g. 0.02 for +/-2 %); got None")
    _rules.check_make_up(Fraction(1))


def test_decimal_slip_names_the_dose_and_the_usual_maximum():
    """45 mg is refused as 'dose' by default, quoting 45 mg and the 4.5 mg LDN maximum."""
    with pytest.raises(_rules.InputError) as info:
        _rules.check_decimal_slip(Fraction(45))
    e = info.value
    assert (e.parameter, e.value, e.kind) == ("dose", "45 mg", _rules.ErrorKind.DECIMAL_SLIP)
    assert "45 mg is ten or more times the usual 4.5 mg LDN maximum" in str(e)


@edges
@given(st.integers(1, 10**4).map(lambda n: Fraction(1, n)), fractions)
def test_a_drugs_decimal_slip_and_band_on_their_edges(eps, usual):
    """With a drug: ten times its usual maximum is refused, just under is not; a dose at
    its band maximum has no caution, just above it does, named by band_text or by name."""
    from ldn_compound.drugs import Drug
    from ldn_compound.units import MASS, Exact

    drug = Drug("testamine", Exact(usual, MASS), band_max=Exact(usual, MASS))
    slip = usual * 10
    with pytest.raises(_rules.InputError) as info:
        _rules.check_decimal_slip(slip, "dose", False, drug)
    assert f"the usual {format_mass(usual)} testamine maximum" in str(info.value)
    _rules.check_decimal_slip(slip - eps * slip, "dose", False, drug)
    _rules.check_decimal_slip(slip, "dose", True, drug)
    assert _rules.ldn_band_warning(usual, drug) is None
    above = usual + eps * usual
    assert _rules.ldn_band_warning(above, drug) == (
        f"{format_mass(above)} is above the usual testamine band; check the prescription")
    unbanded = Drug("testamine", Exact(usual, MASS))
    assert _rules.ldn_band_warning(above * 100, unbanded) is None


def test_a_dropper_with_a_drop_limit_is_not_a_syringe():
    """suggested_count of a dropper is 10 drops whatever its max_drops (no 20 % fill rule)."""
    for limit in (None, 30, 100, 1000):
        assert _rules.suggested_count(Dropper(max_drops=limit)) == _rules.SUGGESTED_UNITS


@settings(max_examples=200)
@given(st.fractions(Fraction(1, 1000), Fraction(1, 2), max_denominator=1000),
       st.integers(1, 60))
def test_least_accurate_count_is_the_smallest_accurate_count(unit: Fraction, per: int) -> None:
    """The least count is 1 or more, fills >= 20 % of capacity and is above 0.1 mL; one fewer is not both."""
    from ldn_compound._rules import least_accurate_count

    capacity = unit * per  # a whole number of graduations
    c = least_accurate_count(unit, capacity)

    def accurate(n: int) -> bool:
        return n * unit >= capacity / 5 and n * unit > Fraction(1, 10)

    assert c >= 1 and accurate(c)
    assert c == 1 or not accurate(c - 1)


def test_one_graduation_can_be_the_least_accurate_count():
    """A 1 mL syringe in 0.2 mL steps: one graduation is 20 % of it and above 0.1 mL."""
    from ldn_compound._rules import least_accurate_count

    assert least_accurate_count(Fraction(1, 5), Fraction(1)) == 1


@given(st.integers(0, 40), st.sampled_from([-1, 0, 1]), st.integers(1, 9))
def test_limits_are_decided_exactly_at_any_number_of_digits(places, side, digit):
    """5 mg, 45 mg and 0.1 mL are decided on the exact value, one digit past 2**53 too
    (a float quotient would read 5.0000000000000000001 as 5)."""
    step = side * Fraction(digit, 10**places)
    for limit, rule, holds in (
            (_rules.LDN_MAX_MG, _rules.is_above_ldn_band, lambda x, lim: x > lim),
            (_rules.DECIMAL_SLIP_MG, _rules.is_decimal_slip, lambda x, lim: x >= lim),
            (_rules.SMALL_SYRINGE_VOLUME_ML, _rules.is_small_syringe_volume,
             lambda x, lim: x <= lim)):
        x = limit + step * limit
        assert rule(x.numerator, x.denominator) == holds(x, limit)
    # denominators near 10**17 and 10**18 - 1 that a float would round
    for k in range(15, 25):
        assert not _rules.is_small_syringe_volume(10 ** (k - 1), 10**k - digit)
        assert _rules.is_small_syringe_volume(10 ** (k - 1), 10**k + digit)


@pytest.mark.parametrize(
    ("dose", "band_warning"),
    [("5.0000000000000000001 mg", True), ("5 mg", False), ("4.9999999999999999999 mg", False),
     ("44.9999999999999999999 mg", True)],
)
def test_band_and_decimal_slip_on_long_doses(dose, band_warning):
    """A dose a hair over 5 mg is above the band, and a hair under 45 mg is no decimal slip
    (measured with a 10 mL syringe; the exact value decides, not a float of it)."""
    stock, syringe = Stock(drug="500 mg", volume="50 mL"), OralSyringe(capacity="10 mL")
    m = measure(dose, stock, syringe)
    warning = _rules.ldn_band_warning(Fraction(dose.split()[0]))
    assert (warning is not None) == band_warning
    assert (warning in m.warnings) == band_warning
    with pytest.raises(_rules.InputError) as info:
        measure("45 mg", stock, syringe)
    assert info.value.kind is _rules.ErrorKind.DECIMAL_SLIP
