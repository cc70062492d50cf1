"""Every field a Measurement writes (record, report rows, FHIR) states the arithmetic it
claims, and every argument of measure()/measure_exact() reaches the result (issue 11)."""

from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from record_schemas import validate

from ldn_compound import (
    Dropper,
    ErrorKind,
    InputError,
    Measurement,
    OralSyringe,
    Stock,
    UnmeasurableDoseError,
    measure,
)
from ldn_compound._exact import exact_text, format_number, format_percent
from ldn_compound.drugs import Drug
from ldn_compound.fhir import dosage
from ldn_compound.measurement import measure_exact
from ldn_compound.rendering import (
    format_concentration,
    format_mass,
    format_mass_range,
    format_volume,
)
from ldn_compound.strategies import devices, doses, rounding_modes, stocks
from ldn_compound.units import MASS, Exact

COMMON_STOCK = Stock(drug="50 mg", volume="50 mL")  # 1 mg/mL
SYRINGE_60 = OralSyringe("60 mL", graduation="1 mL")
fields = settings(max_examples=40, deadline=None)


def _measure(dose, stock, device, mode):
    try:
        return measure(dose, stock, device, rounding=mode, allow_high_dose=True)
    except UnmeasurableDoseError:
        assume(False)
        raise


@fields
@given(doses(), stocks(), devices(), rounding_modes())
def test_record_fields_are_the_arithmetic(dose, stock, device, mode):
    """to_dict() writes each display field as the formatter gives the exact value, under
    the schema's names (a record checked against itself cannot notice a wrong field)."""
    m = _measure(dose, stock, device, mode)
    d = m.to_dict()
    low, high = m.exact_bounds
    per = m.stock.concentration_mg_per_ml * m.device.unit_volume_ml
    assert validate(d) >= 1
    assert d["target"] == format_mass(m.exact_target, None)
    assert d["target_exact"] == f"{exact_text(m.exact_target)} mg"
    assert d["concentration"] == format_concentration(m.stock.concentration_mg_per_ml, None)
    assert d["dose_per_unit"] == format_mass(per, None)
    assert (d["count"], d["unit"], d["rounding"]) == (m.count, m.device.units, mode)
    assert d["volume"] == format_volume(m.exact_volume, None)
    assert d["delivered"] == format_mass(m.exact_delivered, None)
    assert d["rounding_error"] == float(m.exact_delivered / m.exact_target - 1)
    assert d["bounds"] == {"low": format_mass(low, None), "high": format_mass(high, None)}
    assert (d["band"], d["warnings"]) == (m.band.value, list(m.warnings))


def test_record_fields_are_written_in_full():
    """Display fields carry every figure (format_*(x, None)), not the 3-figure default."""
    m = measure("32/7 mg", Stock(drug="5000 mg", volume="1000 mL"), OralSyringe("1 mL"))
    d = m.to_dict()  # 0.91 mL of 5 mg/mL, 4.55 mg
    assert d["target"] == "4.5714286 mg" != format_mass(Fraction(32, 7))
    assert (d["volume"], d["delivered"]) == ("0.91 mL", "4.55 mg")
    assert d["dose_per_unit"] == "50 mcg" and d["concentration"] == "5 mg/mL"
    weak = measure("1/3 mg", Stock(drug="10 mg", volume="30 mL"), Dropper())  # 1/3 mg/mL
    w = weak.to_dict()
    assert w["concentration"] == format_concentration(Fraction(1, 3), None) != \
        format_concentration(Fraction(1, 3))
    assert w["dose_per_unit"] == format_mass(Fraction(1, 60), None) != \
        format_mass(Fraction(1, 60))


@fields
@given(doses(), stocks(), devices(), rounding_modes())
def test_report_rows_are_named_and_state_the_arithmetic(dose, stock, device, mode):
    """report() has the row names every display shows, each with its exact value."""
    m = _measure(dose, stock, device, mode)
    r = m.report()
    low, high = m.exact_bounds
    unit = m.device.unit
    assert r.rows == (
        ("Target dose", f"{format_mass(m.exact_target)} ({m.band} dose band)"),
        ("Stock", m.stock.describe()),
        ("Device", m.device.describe()),
        (f"Dose per {unit}", format_mass(m.stock.concentration_mg_per_ml
                                         * m.device.unit_volume_ml)),
        ("Measure", m.what_to_measure()),
        ("Delivered", format_mass(m.exact_delivered)),
        ("Rounding error", f"{format_percent(m.exact_rounding_error)} (rounding: {mode})"),
        ("Worst-case bounds", format_mass_range(low, high)),
        *(() if m.ok else (("Verdict", f"FLAGGED: {m.problem}. {m.fix}"),)),
    )
    assert r.warnings == m.warnings
    assert r.title == f"{format_mass(m.exact_target)}: measure {m.what_to_measure()}"


def test_unversioned_measurement_dict_reads_its_target():
    """A 0.1 dict (no schema, no target_exact) is measured again from its ``target``;
    a versioned one must carry target_exact."""
    m = measure("4.5 mg", COMMON_STOCK, Dropper(), rounding="down")
    old = m.to_dict()
    del old["schema"], old["target_exact"]
    old["stock"].pop("schema")
    old["device"].pop("schema")
    assert Measurement.from_dict(old) == m
    new = m.to_dict()
    del new["target_exact"]
    with pytest.raises(InputError) as info:
        Measurement.from_dict(new)
    assert info.value.kind == ErrorKind.RECORD_MISMATCH or info.value.parameter


def test_a_high_dose_record_reads_back():
    """A measurement made with allow_high_dose reads back from its record."""
    m = measure("50 mg", COMMON_STOCK, SYRINGE_60, allow_high_dose=True)
    assert Measurement.from_dict(m.to_dict()) == m


@settings(max_examples=30)
@given(st.fractions(min_value=Fraction(1, 1000), max_value=Fraction(999, 1000),
                    max_denominator=1000),
       st.sampled_from(["0.3 mg", "1.5 mg", "4.5 mg"]))
def test_a_record_keeps_its_rounding_tolerance(tolerance, dose):
    """A record read back keeps the max_rounding_error it was measured with, and with it
    the same verdict (a tolerance dropped on reading would re-judge the dose)."""
    m = measure(dose, COMMON_STOCK, OralSyringe("10 mL"), max_rounding_error=tolerance)
    back = Measurement.from_dict(m.to_dict())
    assert back.max_rounding_error == tolerance
    assert back == m and back.ok == m.ok and back.problem == m.problem


def test_to_fhir_refuses_a_flagged_dose_unless_allowed():
    """to_fhir() refuses a flagged dose (1.5 mg from a 10 mL syringe delivers 2 mg) and
    marks it with allow_flagged=True."""
    m = measure("1.5 mg", COMMON_STOCK, OralSyringe("10 mL"))
    assert not m.ok
    with pytest.raises(InputError) as info:
        m.to_fhir()
    assert info.value.kind is ErrorKind.UNMEASURABLE and info.value.override == "allow_flagged"
    assert m.to_fhir(allow_flagged=True)["additionalInstruction"] == [{"text": m.verdict}]


@pytest.mark.parametrize("per_day", [1, 2, 3])
def test_to_fhir_is_the_dosage_of_itself(per_day):
    """to_fhir(n) is fhir.dosage(self, doses_per_day=n), once a day by default."""
    m = measure("4.5 mg", COMMON_STOCK, OralSyringe("5 mL"))
    assert m.to_fhir(per_day) == dosage(m, doses_per_day=per_day)
    assert m.to_fhir() == dosage(m, doses_per_day=1) != dosage(m, doses_per_day=2)


def test_check_deprecation_names_the_call_and_the_new_keyword():
    """check(tolerance=) warns naming Measurement.check and max_rounding_error exactly."""
    m = measure("0.8 mg", COMMON_STOCK, Dropper())
    with pytest.warns(DeprecationWarning) as caught:
        m.check(tolerance=0.1)
    assert str(caught[0].message) == ("Measurement.check(tolerance=...) is deprecated: "
                                      "pass max_rounding_error=... (same meaning)")


@pytest.mark.parametrize("argument", ["stock", "device", "allow_high_dose"])
def test_bad_argument_error_carries_the_value(argument):
    """measure()'s InputError names the parameter and carries the value passed."""
    bad = object() if argument != "allow_high_dose" else "yes"
    kwargs = {"stock": COMMON_STOCK, "device": Dropper(), argument: bad}
    with pytest.raises(InputError) as info:
        measure("1 mg", **kwargs)
    assert (info.value.parameter, info.value.value) == (argument, bad)


def test_measure_exact_refuses_a_decimal_slip_by_default():
    """measure_exact without allow_high_dose refuses 45 mg, as measure does."""
    with pytest.raises(InputError) as info:
        measure_exact(Fraction(45), COMMON_STOCK, SYRINGE_60, "nearest")
    assert info.value.kind == ErrorKind.DECIMAL_SLIP
    assert measure_exact(Fraction(45), COMMON_STOCK, SYRINGE_60, "nearest",
                         allow_high_dose=True).count == 45


def test_measure_exact_uses_the_drugs_limits():
    """A drug's usual maximum sets the decimal slip, and its band the caution."""
    drug = Drug("testamine", Exact(Fraction(1), MASS), band_max=Exact(Fraction(1, 2), MASS),
                band_text="the testamine band")
    with pytest.raises(InputError) as info:
        measure_exact(Fraction(10), COMMON_STOCK, Dropper(), "nearest", drug=drug)
    assert info.value.kind == ErrorKind.DECIMAL_SLIP
    m = measure_exact(Fraction(3), COMMON_STOCK, Dropper(), "nearest", drug=drug)
    assert m.warnings[0] == "3 mg is above the testamine band; check the prescription"
    assert measure_exact(Fraction(3), COMMON_STOCK, Dropper(), "nearest").warnings == ()


@given(st.integers(1, 40), st.integers(2, 9), st.sampled_from([20, 25, 40, Fraction(35, 2)]))
def test_the_whole_stock_is_measurable_and_one_unit_more_is_not(whole, den, dpm):
    """A dose of exactly the whole stock (a volume such as 7/2 mL; 17.5 drops/mL too) is
    measured; one drop more is BEYOND_STOCK."""
    volume = Fraction(whole * den + 1, den)  # mL, never a whole number
    stock = Stock(drug=f"{exact_text(volume)} mg", volume=f"{exact_text(volume)} mL")
    dropper = Dropper(drops_per_mL=dpm)
    drops = volume * dpm
    assume(drops.denominator == 1)
    m = measure(f"{exact_text(volume)} mg", stock, dropper, allow_high_dose=True)
    assert m.exact_volume == volume
    more = volume + Fraction(1, dpm)
    with pytest.raises(UnmeasurableDoseError) as info:
        measure(f"{exact_text(more)} mg", stock, dropper, allow_high_dose=True)
    assert info.value.kind == ErrorKind.BEYOND_STOCK


@given(st.integers(1, 99), st.integers(1, 7))
def test_below_one_unit_reason_states_the_exact_units(tenths_of_mcg, sevenths):
    """'so it is X drops, which rounds to 0': X is target / dose per drop, to 3 figures."""
    target = Fraction(tenths_of_mcg, 10**7) * sevenths / 7
    with pytest.raises(UnmeasurableDoseError) as info:
        measure(f"{exact_text(target)} mg", COMMON_STOCK, Dropper())
    units = target / Fraction(1, 20)  # 1 mg/mL, 20 drops/mL
    assert f"so it is {format_number(units, 3)} drops, which rounds to 0" in info.value.reason


def test_measure_reads_the_stocks_own_profile():
    """Without drug=, the stock's profile sets the decimal slip (10 x its usual maximum)."""
    drug = Drug("testamine", Exact(Fraction(1), MASS))
    stock = Stock(drug="50 mg", volume="10 mL", profile=drug)
    with pytest.raises(InputError) as info:
        measure("10 mg", stock, SYRINGE_60)  # 10 x 1 mg: a slip for testamine, not for LDN
    assert info.value.kind == ErrorKind.DECIMAL_SLIP
    assert measure("10 mg", Stock(drug="50 mg", volume="10 mL"), SYRINGE_60).count > 0
