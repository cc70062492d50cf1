"""Drug profiles: the naltrexone default from _tables, user drugs, and the rules they drive."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_compound import Dropper, Stock, _rules, _tables
from ldn_compound.drugs import NALTREXONE_HCL, Drug
from ldn_compound.errors import ErrorKind, InputError
from ldn_compound.measurement import measure_exact


def test_naltrexone_default_is_built_from_the_tables():
    """NALTREXONE_HCL: salt factor 377.86 / 341.40 (molar masses), 100 mg/mL, usual 4.5 mg,
    the LDN band's 5 mg (REFERENCES: naltrexone; Toljan & Vrooman 2018)."""
    d = NALTREXONE_HCL
    assert d.salt_factor == _tables.HCL_MOLAR_MASS / _tables.BASE_MOLAR_MASS
    assert round(float(d.salt_factor), 4) == 1.1068  # REFERENCES.md: salt factor 1.1068
    assert d.solubility_mg_per_ml == _tables.SOLUBILITY_MG_PER_ML
    assert d.usual_max_mg == _tables.USUAL_LDN_MAX_MG and d.band_max_mg == _tables.LDN_MAX_MG
    assert d.strength_basis == "salt" and not d.is_suspension
    assert d.band_text == _rules.LDN_BAND


def test_round_trip():
    """to_dict then from_dict gives the same drug, for the default and a suspension."""
    made_up = Drug("examplepam (made-up figures)", "2 mg", salt_factor="1.25",
                   strength_basis="base", band_max="3 mg", band_text="the example band")
    for d in (NALTREXONE_HCL, made_up):
        assert Drug.from_dict(d.to_dict()) == d


@given(st.fractions(Fraction(1, 10), 100), st.fractions(Fraction(1, 100), 1000))
def test_decimal_slip_is_ten_times_the_usual_maximum(usual, dose):
    """check_decimal_slip with a drug refuses exactly doses of ten times its usual maximum
    or more, unless allow_high_dose."""
    drug = Drug("examplepam", f"{float(usual)} mg")
    slip = dose >= drug.usual_max_mg * _tables.DECIMAL_SLIP_FACTOR
    try:
        _rules.check_decimal_slip(dose, "dose", False, drug)
        refused = False
    except InputError as exc:
        assert exc.kind is ErrorKind.DECIMAL_SLIP and "examplepam" in str(exc)
        refused = True
    assert refused == slip
    _rules.check_decimal_slip(dose, "dose", True, drug)  # the override always passes


@given(st.fractions(Fraction(1, 1000), 40))
def test_default_drug_gives_todays_naltrexone_rules(dose):
    """Naming no drug keeps naltrexone's slip threshold and band warning exactly."""
    assert (_rules.ldn_band_warning(dose) is None) == (dose <= _tables.LDN_MAX_MG)
    assert (_rules.ldn_band_warning(dose, NALTREXONE_HCL) is None) == (dose <= 5)


def test_band_warning_and_measurement_follow_the_drug():
    """A drug's band names itself in measure_exact's warnings; naltrexone's LDN band is quiet."""
    drug = Drug("examplepam", "20 mg", band_max="2 mg", band_text="the example band")
    stock = Stock.from_tablets("50 mg", "10 mL")
    m = measure_exact(Fraction(3), stock, Dropper(), "nearest", drug=drug)
    assert any("the example band" in w for w in m.warnings)
    assert not any("band" in w for w in measure_exact(Fraction(3), stock, Dropper(),
                                                      "nearest").warnings)


def test_stock_solubility_follows_the_profile():
    """A profile's solubility replaces naltrexone's 100 mg/mL; none means a suspension."""
    low = Drug("examplepam", "2 mg", solubility="1 mg/mL")
    with pytest.raises(InputError) as exc:
        Stock("20 mg", "10 mL", profile=low)
    assert exc.value.parameter == "volume" and "at least 20 mL" in str(exc.value)
    assert Stock("2000 mg", "10 mL", profile=Drug("examplepam", "2 mg")).warnings
    stock = Stock("10 mg", "10 mL", profile=low)
    assert Stock.from_dict(stock.to_dict()) == stock
    assert Stock("10 mg", "10 mL").to_dict()["profile"] is None  # the default profile


@pytest.mark.parametrize(("kwargs", "parameter"), [
    ({"name": "", "usual_max": "1 mg"}, "name"),
    ({"name": "x", "usual_max": "1 mL"}, "usual_max"),
    ({"name": "x", "usual_max": "1 mg", "solubility": "1 mg"}, "solubility"),
    ({"name": "x", "usual_max": "1 mg", "salt_factor": "0.5"}, "salt_factor"),
    ({"name": "x", "usual_max": "1 mg", "strength_basis": "ester"}, "strength_basis"),
    ({"name": "x", "usual_max": "1 mg", "band_max": "1"}, "band_max"),
])
def test_bad_drug_names_the_parameter(kwargs, parameter):
    """Each bad Drug argument raises an InputError naming it."""
    with pytest.raises(InputError) as exc:
        Drug(**kwargs)
    assert exc.value.parameter == parameter
