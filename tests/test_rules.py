"""Every threshold of ldn_compound._rules, on it, one unit below and one above.

Each property places a value exactly on a limit and a smallest step either side
(the step is drawn, so "one unit" is any resolution), through the rule function
and through the public API that reports it.
"""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_compound import (
    DoseBand,
    Dropper,
    ErrorKind,
    InputError,
    OralSyringe,
    Stock,
    ToleranceError,
    _rules,
    _tables,
    classify,
    measure,
)
from ldn_compound._exact import exact_text, format_percent
from ldn_compound.rendering import format_concentration, format_mass, format_volume

steps = st.integers(1, 10**6).map(lambda n: Fraction(1, n))
positive = st.fractions(min_value=Fraction(1, 10**4), max_value=10**4, max_denominator=10**4)
COMMON_STOCK = Stock(drug="50 mg", volume="50 mL")  # 1 mg/mL


def _mg(x: Fraction) -> str:
    return f"{exact_text(x)} mg"


# -- the 5 % rounding warning and check() -------------------------------------------
@given(st.integers(1, 10**6), st.integers(-1, 1), st.sampled_from([1, -1]))
def test_beyond_sits_on_the_rounding_warning(k, step, sign):
    """|diff| / base of exactly 5 % is not beyond; one unit more is, one unit less is not."""
    assert _rules.ROUNDING_WARNING == Fraction(1, 20)
    base = 20 * k
    assert _rules.beyond(sign * (k + step), base) == (step > 0)


@given(st.integers(1, 10), st.sampled_from(["nearest", "up"]), steps)
def test_rounding_warning_at_exactly_five_percent(count, mode, eps):
    """A dose rounded up by exactly 5 % has no rounding warning; by a hair more it has one."""
    per = Fraction(1, 20)  # 1 mg/mL, 20 drops/mL
    on = count * per * Fraction(20, 21)  # count / units = 21/20 exactly
    m = measure(_mg(on), COMMON_STOCK, Dropper(), rounding=mode)
    assert (m.count, m.exact_rounding_error) == (count, Fraction(1, 20))
    assert not any("rounding to whole" in w for w in m.warnings)
    assert m.check() is m and m.check(Fraction(1, 20)) is m
    above = on * (1 - eps / 100)  # a shade lower target: the same count is over by more
    m2 = measure(_mg(above), COMMON_STOCK, Dropper(), rounding=mode)
    if m2.count == count:
        assert any("rounding to whole" in w and format_percent(m2.exact_rounding_error) in w
                   for w in m2.warnings)
        with pytest.raises(ToleranceError) as info:
            m2.check()
        assert info.value.error == float(m2.exact_rounding_error)
        assert info.value.tolerance == 0.05


@given(st.integers(1, 10), steps)
def test_rounding_down_by_exactly_five_percent(count, eps):
    """Rounding down by exactly 5 % passes check(0.05) and warns nothing; a hair more fails."""
    on = count * Fraction(1, 20) * Fraction(20, 19)  # count / units = 19/20
    m = measure(_mg(on), COMMON_STOCK, Dropper(), rounding="down")
    assert (m.count, m.exact_rounding_error) == (count, Fraction(-1, 20))
    assert m.warnings == () and m.check(0.05) is m
    m2 = measure(_mg(on * (1 + eps / 100)), COMMON_STOCK, Dropper(), rounding="down")
    if m2.count == count:
        assert m2.warnings and m2.warnings[0].startswith("rounding to whole drops changes")
        with pytest.raises(ToleranceError):
            m2.check(0.05)


@given(st.integers(51, 4000), steps)
def test_check_limit_is_inclusive(thousandths, eps):
    """check(e) passes an error exactly equal to e; a hair below e fails, a hair above passes."""
    m = measure(_mg(Fraction(thousandths, 1000)), COMMON_STOCK, Dropper(), rounding="up")
    e = abs(m.exact_rounding_error)
    assert m.check(e) is m
    assert m.check(min(e + e * eps, Fraction(99, 100))) is m
    if e > 0:
        with pytest.raises(ToleranceError) as info:
            m.check(e - e * eps)
        assert info.value.error == float(m.exact_rounding_error)
        assert info.value.tolerance == float(e - e * eps)


# -- dose bands and the decimal slip -------------------------------------------------
@given(steps)
def test_bands_at_their_edges(eps):
    """1 mcg is very-low and 1 mg low (lower edges included); 5 mg is low, above it is not."""
    edges = [(_tables.ULDN_BELOW_MG, DoseBand.ULTRA_LOW, DoseBand.VERY_LOW),
             (_tables.VLDN_BELOW_MG, DoseBand.VERY_LOW, DoseBand.LOW)]
    for edge, below, at in edges:
        d = edge * eps / 2
        assert _rules.band(edge) == at == classify(_mg(edge))
        assert _rules.band(edge - d) == below
        assert _rules.band(edge + d) == at
    top = _tables.LDN_MAX_MG
    assert _rules.band(top) == DoseBand.LOW and _rules.band(top - eps) == DoseBand.LOW
    assert _rules.band(top + eps) == DoseBand.ABOVE_LDN == classify(_mg(top + eps))


@given(steps)
def test_ldn_band_warning_edge(eps):
    """5 mg has no band warning and 5 mg and a hair does, naming the dose; also in measure()."""
    top = _tables.LDN_MAX_MG
    assert _rules.ldn_band_warning(top) is None
    assert _rules.ldn_band_warning(top - eps) is None
    above = top + eps
    assert _rules.ldn_band_warning(above) == (
        f"{format_mass(above)} is above {_rules.LDN_BAND}; check the prescription")
    assert not _rules.is_above_ldn_band(5, 1) and _rules.is_above_ldn_band(5001, 1000)
    stock = Stock(drug="100 mg", volume="10 mL")
    at = measure("5 mg", stock, Dropper())
    assert not any(_rules.LDN_BAND in w for w in at.warnings)
    over = measure("5.5 mg", stock, Dropper())
    assert over.warnings[0] == _rules.ldn_band_warning(Fraction(11, 2))


@given(steps)
def test_decimal_slip_at_45_mg(eps):
    """45 mg is refused as a decimal slip (kind, override); a hair less is not; allowed, it is."""
    slip = _rules.DECIMAL_SLIP_MG
    assert slip == 45
    assert _rules.is_decimal_slip(45, 1) and not _rules.is_decimal_slip(44999, 1000)
    assert _rules.is_decimal_slip(slip + eps, 1) if (slip + eps).denominator == 1 else True
    with pytest.raises(InputError) as info:
        _rules.check_decimal_slip(slip, "dose")
    assert (info.value.kind, info.value.override) == (ErrorKind.DECIMAL_SLIP, "allow_high_dose")
    _rules.check_decimal_slip(slip - eps * 45, "dose")
    _rules.check_decimal_slip(slip + eps, "dose", allow_high_dose=True)
    stock = Stock(drug="1000 mg", volume="10 mL")
    with pytest.raises(InputError) as info:
        measure("45 mg", stock, Dropper())
    assert info.value.kind == ErrorKind.DECIMAL_SLIP and info.value.parameter == "dose"
    assert measure("45 mg", stock, Dropper(), allow_high_dose=True).count == 9
    assert measure("44.99 mg", stock, Dropper()).count == 9


# -- oral syringes: 0.1 mL and 20 % of capacity --------------------------------------
@given(steps)
def test_small_syringe_volume_edge(eps):
    """0.1 mL is a small volume (inclusive); 0.1 mL and a hair is not."""
    limit = _tables.SMALL_SYRINGE_VOLUME_ML
    for v, small in ((limit, True), (limit - limit * eps, True), (limit + limit * eps, False)):
        assert _rules.is_small_syringe_volume(v.numerator, v.denominator) == small


def test_small_syringe_volume_through_measure():
    """On a 0.5 mL syringe, 10 graduations (0.1 mL) are flagged and 11 (0.11 mL) are not."""
    syringe = OralSyringe("0.5 mL", "0.01 mL")
    at = measure("0.1 mg", COMMON_STOCK, syringe)
    assert at.accuracy_problem == f"0.1 mL is {_rules.SMALL_SYRINGE}"
    assert at.warnings[0].startswith(at.accuracy_problem)
    assert measure("0.11 mg", COMMON_STOCK, syringe).accuracy_problem is None
    assert measure("0.09 mg", COMMON_STOCK, syringe).accuracy_problem is not None


@given(st.sampled_from(_tables.SYRINGE_SIZES_ML), steps)
def test_min_fill_edge(capacity, eps):
    """20 % of a syringe's capacity is enough; a hair less is below; more is fine."""
    fill = capacity * _tables.MIN_FILL
    assert not _rules.below_min_fill(fill, capacity)
    assert _rules.below_min_fill(fill - fill * eps, capacity)
    assert not _rules.below_min_fill(fill + fill * eps, capacity)
    # the integer form: volume_ml / den
    assert not _rules.below_min_fill(fill.numerator, capacity, fill.denominator)
    assert _rules.below_min_fill(fill.numerator * 2 - 1, capacity, fill.denominator * 2)


def test_min_fill_through_measure():
    """A 5 mL syringe in 0.2 mL: 1 mL (20 %) is fine, 0.8 mL is below 20 % and names a 1 mL."""
    syringe = OralSyringe("5 mL", "0.2 mL")
    assert measure("1 mg", COMMON_STOCK, syringe).accuracy_problem is None
    low = measure("0.8 mg", COMMON_STOCK, syringe)
    assert low.accuracy_problem == (f"0.8 mL is below 20 % of the 5 mL syringe "
                                    f"({_rules.MIN_FILL_ADVICE})")
    assert _rules.smaller_syringe(Fraction(4, 5), Fraction(5)) == 1  # not 0.5 mL: too small
    assert "a 1 mL oral syringe" in low.warnings[0]


@given(st.fractions(min_value=Fraction(11, 100), max_value=60, max_denominator=100),
       st.sampled_from(_tables.SYRINGE_SIZES_ML))
def test_smaller_and_larger_syringe(volume, capacity):
    """smaller_syringe is the least common size below capacity that takes the volume at
    20 % or more; larger_syringe the least that holds it."""
    fits = [s for s in _tables.SYRINGE_SIZES_ML
            if volume <= s < capacity and volume >= s * _tables.MIN_FILL]
    assert _rules.smaller_syringe(volume, capacity) == (fits[0] if fits else None)
    holds = [s for s in _tables.SYRINGE_SIZES_ML if s >= volume]
    assert _rules.larger_syringe(volume) == (holds[0] if holds else None)
    assert _rules.smaller_syringe(Fraction(1, 10), Fraction(60)) is None


# -- making up to volume and worst-case bounds ---------------------------------------
@given(st.fractions(min_value=Fraction(1, 10), max_value=1000, max_denominator=100))
def test_make_up_tolerance_is_the_smallest_cylinder_that_holds(volume):
    """The smallest class B cylinder holding the volume, its tolerance over the volume;
    above 100 mL, 0.6 %."""
    cylinders = _tables.CYLINDER_TOLERANCE_ML["B"]
    holding = [c for c in sorted(cylinders) if volume <= c]
    expected = cylinders[holding[0]] / volume if holding else Fraction(6, 1000)
    assert _rules.make_up_tolerance(volume) == expected


def test_make_up_tolerance_at_cylinder_sizes():
    """At exactly 10, 25, 50 and 100 mL the cylinder of that size is used."""
    for capacity, tol in _tables.CYLINDER_TOLERANCE_ML["B"].items():
        assert _rules.make_up_tolerance(capacity) == tol / capacity


fractions_below_half = st.fractions(min_value=0, max_value=Fraction(1, 2), max_denominator=100)


@given(positive, fractions_below_half, fractions_below_half, fractions_below_half)
def test_worst_case_bounds_by_formula(mg, c, v, d):
    """low = mg (1-c)(1-d)/(1+v), high = mg (1+c)(1+d)/(1-v); the factors invert exactly."""
    low, high = _rules.worst_case_bounds(mg, c, v, d)
    assert low == mg * (1 - c) * (1 - d) / (1 + v)
    assert high == mg * (1 + c) * (1 + d) / (1 - v)
    lo, hi = _rules.bounds_factors(c, v, 0)
    assert _rules.tolerances_of_factors(lo, hi) == (c, v)
    assert _rules.tolerances_of_factors(Fraction(1), Fraction(1)) == (0, 0)


# -- fix advice ------------------------------------------------------------------------
@given(st.sampled_from(sorted(_tables.TYPICAL_SYRINGE_GRADUATION_ML)))
def test_suggested_count_for_syringes(capacity):
    """The least count >= 10 units, >= 20 % of capacity and strictly above 0.1 mL."""
    s = OralSyringe(exact_text(capacity) + " mL")
    n = _rules.suggested_count(s)
    uv = s.unit_volume_ml
    ok = [k for k in range(1, 10**4) if k >= _rules.SUGGESTED_UNITS
          and k * uv >= capacity * _tables.MIN_FILL and k * uv > _tables.SMALL_SYRINGE_VOLUME_ML]
    assert n == ok[0]
    assert _rules.syringe_accuracy_problem(n * uv, capacity, "v", "c") is None


@given(positive, st.integers(1, 100))
def test_suggested_concentration_is_target_over_count_times_unit(mg, dpm):
    """suggested_concentration = target / (suggested_count x unit volume); a dropper aims at 10."""
    d = Dropper(dpm)
    assert _rules.suggested_count(d) == _rules.SUGGESTED_UNITS == 10
    assert _rules.suggested_concentration(mg, d) == mg / (10 * d.unit_volume_ml)


# -- taper cuts ------------------------------------------------------------------------
@given(st.fractions(min_value=Fraction(1, 100), max_value=Fraction(1, 2), max_denominator=100),
       steps)
def test_overcut_edge(reduction, eps):
    """A cut of exactly 1.5 x the reduction is not an overcut; a hair more is."""
    limit = _rules.overcut_limit(reduction)
    assert limit == reduction * 3 / 2
    assert not _rules.is_overcut(limit, reduction)
    assert _rules.is_overcut(limit + limit * eps, reduction)


@given(st.fractions(min_value=Fraction(1, 100), max_value=Fraction(1, 2), max_denominator=100),
       st.sampled_from(["nearest", "down", "up"]))
def test_cut_needs_is_enough_and_least(reduction, mode):
    """cut_needs is ceil(1/r) (ceil(2/r) rounding down): the stated bound."""
    need = (2 if mode == "down" else 1) / reduction
    n = _rules.cut_needs(reduction, mode)
    assert n - 1 < need <= n


def test_advice_texts_name_their_numbers():
    """The syringe texts quote the volumes given and the 20 % rule (no number invented)."""
    problem = _rules.syringe_accuracy_problem(Fraction(1, 2), Fraction(5), "0.5 mL", "5 mL")
    assert problem == f"0.5 mL is below 20 % of the 5 mL syringe ({_rules.MIN_FILL_ADVICE})"
    assert format_volume(Fraction(1, 2)) == "0.5 mL"
    assert format_concentration(Fraction(1)) == "1 mg/mL"


# -- every number in advice and warning text (issue 11) ------------------------------
from hypothesis import assume  # noqa: E402

from ldn_compound import Measurement, UnmeasurableDoseError  # noqa: E402
from ldn_compound.strategies import devices, doses, rounding_modes, stocks  # noqa: E402


def _advice(m):
    """The fix text measure() appends, computed from the rules it claims to apply."""
    n = _rules.suggested_count(m.device)
    conc = _rules.suggested_concentration(m.exact_target, m.device)
    assert conc == m.exact_target / (n * m.device.unit_volume_ml)
    syringe = isinstance(m.device, OralSyringe)
    amount = format_volume(n * m.device.unit_volume_ml) if syringe else f"{n} {m.device.units}"
    text = f"a stock of {format_concentration(conc)} would make it {amount}"
    smaller = _rules.smaller_syringe(m.exact_volume, m.device.capacity_ml) if syringe else None
    return text + ("" if smaller is None else f" or a {format_volume(smaller)} oral syringe")


@given(doses(), stocks(), devices(), rounding_modes())
def test_warnings_state_the_arithmetic(dose, stock, device, mode):
    """Each warning's numbers are the rounding error, target, delivered and advice they claim."""
    try:
        m = measure(dose, stock, device, rounding=mode)
    except UnmeasurableDoseError:
        assume(False)
    expected = [] if _rules.ldn_band_warning(m.exact_target) is None else [
        _rules.ldn_band_warning(m.exact_target)]
    if _rules.beyond(m.exact_delivered - m.exact_target, m.exact_target):
        expected.append(
            f"rounding to whole {m.device.units} changes the dose by "
            f"{format_percent(m.exact_rounding_error)} ({format_mass(m.exact_target)} becomes "
            f"{format_mass(m.exact_delivered)}); {_advice(m)}")
    if m.accuracy_problem is not None:
        expected.append(f"{m.accuracy_problem}: {_advice(m)}")
    assert m.warnings == (*expected, *m.stock.warnings)
    assert m.exact_volume == m.count * m.device.unit_volume_ml
    assert m.exact_delivered == m.exact_volume * m.stock.concentration_mg_per_ml
    assert m.exact_rounding_error == m.exact_delivered / m.exact_target - 1
    assert m.rounding_error == float(m.exact_rounding_error)
    assert Measurement.from_dict(m.to_dict()) == m  # the rounding mode is not dropped


@given(st.sampled_from(["nearest", "down", "up"]), st.integers(5, 400))
def test_from_dict_keeps_the_rounding_mode(mode, hundredths):
    """A measurement read back from to_dict() is measured with its own rounding mode."""
    m = measure(f"{exact_text(Fraction(hundredths, 100) + Fraction(1, 300))} mg",
                COMMON_STOCK, Dropper(), rounding=mode)
    again = Measurement.from_dict(m.to_dict())
    assert (again.rounding, again.count) == (mode, m.count)
    with pytest.raises(InputError) as info:
        Measurement.from_dict({"target": "1 mg"})
    assert info.value.parameter == "data"


@given(st.integers(1, 99), st.sampled_from(["1 mL", "3 mL", "5 mL", "10 mL"]))
def test_below_one_unit_suggests_target_over_count_units(micrograms, capacity):
    """'Would work: a stock of X': X = target / (suggested_count x unit volume), and the
    dose at X is that many units with no syringe accuracy problem."""
    target = Fraction(micrograms, 10**6)
    for device in (Dropper(), OralSyringe(capacity)):
        with pytest.raises(UnmeasurableDoseError) as info:
            measure(f"{exact_text(target)} mg", COMMON_STOCK, device)
        e = info.value
        n = _rules.suggested_count(device)
        assert e.kind == ErrorKind.BELOW_ONE_UNIT
        assert e.suggested_mg_per_ml == target / (n * device.unit_volume_ml)
        assert f"a stock of {format_concentration(e.suggested_mg_per_ml)}" in e.suggestion
        assert f"(the dose would be {n:,} {device.units})" in e.suggestion
        if isinstance(device, OralSyringe) and device.unit_volume_ml > Fraction(1, 100):
            assert "a 1 mL oral syringe graduated in 0.01 mL" in e.suggestion
        conc = e.suggested_mg_per_ml
        stock = Stock(drug=f"{exact_text(conc * 50)} mg", volume="50 mL")
        m = measure(f"{exact_text(target)} mg", stock, device)
        assert m.count == n and m.accuracy_problem is None and m.rounding_error == 0


@given(st.integers(2, 40))
def test_over_capacity_suggests_target_over_capacity(tenths):
    """Over a syringe's capacity: a stock of at least target / capacity, and the least
    common syringe that holds the volume."""
    syringe = OralSyringe("1 mL")
    target = Fraction(tenths * 10 + 1, 10)  # mg at 1 mg/mL: more than 1 mL
    with pytest.raises(UnmeasurableDoseError) as info:
        measure(f"{exact_text(target)} mg", COMMON_STOCK, syringe)
    e = info.value
    assert e.kind == ErrorKind.OVER_CAPACITY and e.suggested_mg_per_ml == target / 1
    assert f"a stock of at least {format_concentration(target)}" in e.suggestion
    bigger = _rules.larger_syringe(target)
    assert f"a {format_volume(bigger)} oral syringe" in e.suggestion
    assert f"it needs {format_volume(target)} at 1 mg/mL" in e.reason


@given(st.integers(51, 100))
def test_beyond_stock_suggests_target_over_stock_volume(mg):
    """More than the whole stock: a stock of at least target / stock volume."""
    stock = Stock(drug="50 mg", volume="50 mL")
    with pytest.raises(UnmeasurableDoseError) as info:
        measure(f"{mg} mg", stock, Dropper(), allow_high_dose=True)
    e = info.value
    assert e.kind == ErrorKind.BEYOND_STOCK
    assert e.suggested_mg_per_ml == Fraction(mg, 50)
    assert f"a stock of at least {format_concentration(Fraction(mg, 50))}" in e.suggestion
    assert measure("50 mg", stock, Dropper(), allow_high_dose=True).count == 1000


def test_tolerance_error_states_its_numbers():
    """check()'s error quotes target, delivered, count, error and limit, and its fields agree."""
    m = measure("0.07 mg", COMMON_STOCK, Dropper())  # 1.4 drops -> 1 drop = 0.05 mg
    with pytest.raises(ToleranceError) as info:
        m.check(0.1)
    e = info.value
    assert (e.error, e.tolerance) == (float(Fraction(-2, 7)), 0.1)
    assert e.target.to("mg").magnitude == 0.07 and e.delivered.to("mg").magnitude == 0.05
    # 0.07 mg / (10 drops x 0.05 mL) = 0.14 mg/mL
    assert str(e) == ("target 70 mcg, delivered 50 mcg (1 drop): error -28.6 % exceeds "
                      "+/-10 %; a stock of 0.14 mg/mL would make it 10 drops")
    rows = dict(m.report().rows)
    assert rows["Dose per drop"] == "50 mcg" and rows["Delivered"] == "50 mcg"
    assert rows["Rounding error"] == "-28.6 % (rounding: nearest)"
    assert m.what_to_measure() == "1 drop (0.05 mL)"
    s = measure("0.45 mg", COMMON_STOCK, OralSyringe("1 mL"))
    assert s.what_to_measure() == "0.45 mL (45 graduations of 0.01 mL)"
