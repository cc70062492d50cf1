"""Stock's edges: every option through remade, from_concentration, from_capsules and the
record; limits at the solubility; refused values carried; every number in an error's advice
checked against the arithmetic it claims (issue 11)."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import InputError, Stock
from ldn_compound._exact import format_number
from ldn_compound._tables import SOLUBILITY_MG_PER_ML
from ldn_compound.drugs import Drug
from ldn_compound.rendering import format_concentration, format_mass, format_volume
from ldn_compound.stock import tablet_count
from ldn_compound.units import CONCENTRATION, VOLUME, parse

edges = settings(max_examples=30, deadline=None)
tolerances = st.fractions(min_value=Fraction(1, 100), max_value=Fraction(1, 4),
                          max_denominator=100)
# Made-up profiles for the test: one that dissolves to 10 mg/mL, one that never dissolves.
SOLUBLE = Drug("testamine", usual_max="5 mg", solubility="10 mg/mL")
SUSPENDED = Drug("testamine", usual_max="5 mg")


def _refused(call):
    with pytest.raises(InputError) as info:
        call()
    return info.value


# -- every option is passed on ------------------------------------------------------------
@edges
@given(st.sampled_from(["tablet", "capsule"]), tolerances, st.one_of(st.none(), tolerances),
       st.sampled_from([None, SOLUBLE, SUSPENDED]), st.integers(1, 20),
       st.integers(1, 5), st.integers(10, 100))
def test_remade_keeps_everything_but_the_amounts(form, content, volume_tol, profile, n,
                                                 strength, ml):
    """remade() is the same preparation (form, tolerances, profile) of n x strength in ml."""
    base = Stock(drug="10 mg", volume="10 mL", tablets=2, tablet_strength="5 mg", form=form,
                 content_tolerance=content, volume_tolerance=volume_tol, profile=profile)
    again = base.remade(Fraction(strength), n, Fraction(ml))
    assert (again.drug_mg, again.volume_ml, again.tablets) == (n * strength, ml, n)
    assert again.tablet_strength.to("mg").magnitude == strength
    assert (again.form, again.content_tolerance, again.volume_tolerance, again.profile) == (
        form, content, volume_tol, profile)
    assert again.concentration_mg_per_ml == Fraction(n * strength, ml)


@edges
@given(st.fractions(min_value=Fraction(1, 100), max_value=100, max_denominator=100),
       st.integers(1, 200), tolerances, st.one_of(st.none(), tolerances))
def test_from_concentration_passes_every_option_on(conc, ml, content, volume_tol):
    """from_concentration holds conc x volume in the volume, with both tolerances as given."""
    s = Stock.from_concentration((conc, "mg/mL"), f"{ml} mL", content_tolerance=content,
                                 volume_tolerance=volume_tol)
    assert (s.drug_mg, s.volume_ml, s.concentration_mg_per_ml) == (conc * ml, ml, conc)
    assert (s.content_tolerance, s.volume_tolerance) == (content, volume_tol)
    assert Stock.from_dict(s.to_dict()) == s


def test_from_concentration_refuses_each_argument_by_name():
    """A bad concentration or volume is refused naming that argument."""
    for call, parameter in [
        (lambda: Stock.from_concentration("1 mg", "10 mL"), "concentration"),
        (lambda: Stock.from_concentration("1 mg/mL", "10 mg"), "volume"),
        (lambda: Stock.from_concentration("1 mg/mL", 10), "volume"),
    ]:
        assert _refused(call).parameter == parameter


@edges
@given(st.integers(1, 50), st.sampled_from(["1.5 mg", "4.5 mg", "50 mg"]), tolerances)
def test_from_capsules_is_count_whole_capsules(n, strength, content):
    """from_capsules is n x strength, form 'capsule', one capsule unless told."""
    mg = Fraction(strength.split()[0])
    s = Stock.from_capsules(strength, "100 mL", n, content_tolerance=content,
                            volume_tolerance=content / 2)
    assert (s.drug_mg, s.tablets, s.form, s.content_tolerance) == (n * mg, n, "capsule",
                                                                  content)
    assert s.volume_tolerance == content / 2
    one = Stock.from_capsules(strength, "100 mL")
    assert (one.drug_mg, one.tablets, one.form) == (mg, 1, "capsule")
    assert Stock.from_dict(s.to_dict()) == s
    with pytest.raises(InputError):
        Stock.from_capsules(None, "100 mL", n)


# -- limits, and the numbers their advice states -----------------------------------------
@edges
@given(st.integers(1, 10**4).map(lambda k: Fraction(1, k)))
def test_concentration_at_most_the_solubility(eps):
    """100 mg/mL is accepted exactly; a hair more is refused showing the concentration
    asked for and the limit."""
    at = Stock.from_concentration("100 mg/mL", "10 mL")
    assert at.concentration_mg_per_ml == SOLUBILITY_MG_PER_ML
    over = SOLUBILITY_MG_PER_ML + eps
    error = _refused(lambda: Stock.from_concentration((over, "mg/mL"), "10 mL"))
    assert error.parameter == "concentration"
    assert parse(error.value, CONCENTRATION, "c") == over  # quoted with every digit
    assert f"at most {format_concentration(SOLUBILITY_MG_PER_ML)}" in error.expected


@edges
@given(st.integers(101, 5000), st.integers(1, 100))
def test_too_little_volume_advice_states_the_volume_needed(drug, ml):
    """Over the solubility, the advice names drug / 100 mg/mL as the volume needed."""
    if Fraction(drug, ml) <= SOLUBILITY_MG_PER_ML:
        assert Stock(drug=f"{drug} mg", volume=f"{ml} mL").drug_mg == drug
        return
    error = _refused(lambda: Stock(drug=f"{drug} mg", volume=f"{ml} mL"))
    assert (error.parameter, error.value) == ("volume", format_volume(Fraction(ml)))
    needed = Fraction(drug) / SOLUBILITY_MG_PER_ML
    assert error.expected.startswith(f"at least {format_volume(needed)} for "
                                     f"{format_mass(Fraction(drug))}")


@edges
@given(st.integers(1, 10**4))
def test_a_profile_sets_the_solubility(mg):
    """A drug profile's own solubility decides (10 mg/mL here); a suspension has none."""
    volume = Fraction(mg, 10)
    s = Stock(drug=f"{mg} mg", volume=(volume, "mL"), profile=SOLUBLE, volume_tolerance=0.01)
    assert s.concentration_mg_per_ml == 10
    error = _refused(lambda: Stock(drug=f"{mg + 1} mg", volume=(volume, "mL"),
                                   profile=SOLUBLE, volume_tolerance=0.01))
    assert error.parameter == "volume"
    assert parse(error.value, VOLUME, "v") == volume  # quoted with every digit
    thick = Stock(drug="500 mg", volume="1 mL", profile=SUSPENDED)
    assert thick.concentration_mg_per_ml == 500


@edges
@given(st.integers(1, 40), st.sampled_from([Fraction(1, 2), Fraction(1), Fraction(5, 2)]),
       st.integers(1, 10))
def test_tablets_times_strength_must_be_the_drug(n, strength, off):
    """A drug amount that is not tablets x strength is refused, the advice stating the
    product; tablets without strength (or the reverse) is refused carrying the count."""
    drug = n * strength + Fraction(off, 10)
    error = _refused(lambda: Stock(drug=(drug, "mg"), volume="100 mL", tablets=n,
                                   tablet_strength=(strength, "mg")))
    assert (error.parameter, error.value) == ("drug", format_mass(drug))
    assert error.expected == f"tablets x tablet_strength = {format_mass(n * strength)}"
    error = _refused(lambda: Stock(drug=(drug, "mg"), volume="100 mL", tablets=n))
    assert (error.parameter, error.value) == ("tablets", n)
    error = _refused(lambda: Stock(drug=(drug, "mg"), volume="100 mL",
                                   tablet_strength=(strength, "mg")))
    assert (error.parameter, error.value) == ("tablets", None)


@pytest.mark.parametrize("count", [Fraction(1, 2), Fraction(9, 4), None])
def test_capsules_are_whole(count):
    """A capsule stock of split or no capsules is refused on 'count', showing the count."""
    if count is None:
        error = _refused(lambda: Stock(drug="5 mg", volume="10 mL", form="capsule"))
        assert (error.parameter, error.value) == ("count", None)
        return
    error = _refused(lambda: Stock(drug=(count * 2, "mg"), volume="10 mL", tablets=count,
                                   tablet_strength="2 mg", form="capsule"))
    assert (error.parameter, error.value) == ("count", format_number(count))
    split = Stock(drug=(count * 2, "mg"), volume="10 mL", tablets=count,
                  tablet_strength="2 mg", form="tablet")
    assert split.tablets == count


@pytest.mark.parametrize("bad", ["pill", "Tablet", None, 1, ("tablet",)])
def test_form_is_tablet_or_capsule(bad):
    """form is 'tablet' or 'capsule' exactly; anything else is refused carrying it."""
    error = _refused(lambda: Stock(drug="5 mg", volume="10 mL", form=bad))
    assert (error.parameter, error.value) == ("form", bad)


@pytest.mark.parametrize("bad", [0, -1, Fraction(1, 3), 1001, "x", "1/3"])
def test_refused_tablet_count_is_carried(bad):
    """A tablet count refused is the error's value, on 'count', worded alike however it is
    wrong (unreadable or out of range)."""
    with pytest.raises(InputError) as info:
        tablet_count(bad)
    assert (info.value.parameter, info.value.value) == ("count", bad)
    with pytest.raises(InputError) as zero:
        tablet_count(0)
    assert info.value.expected == zero.value.expected


@pytest.mark.parametrize("drug", ["1 mg/mL", "5 mcg/mL", (2, "mg/mL")])
def test_a_concentration_as_drug_is_refused_on_drug(drug):
    """A concentration given as drug is refused on 'drug', carrying the caller's value."""
    error = _refused(lambda: Stock(drug=drug, volume="10 mL"))
    assert (error.parameter, error.value) == ("drug", drug)
    assert "from_concentration" in error.expected


# -- the record and the report -----------------------------------------------------------
@edges
@given(st.sampled_from(["tablet", "capsule"]), st.sampled_from([None, SOLUBLE, SUSPENDED]),
       st.one_of(st.none(), tolerances))
def test_record_round_trips_form_profile_and_tolerances(form, profile, volume_tol):
    """to_dict/from_dict keeps the form, the profile and the tolerances, and states the
    exact concentration and the warnings."""
    s = Stock(drug="4 mg", volume="2 mL", tablets=2, tablet_strength="2 mg", form=form,
              profile=profile, volume_tolerance=volume_tol)
    record = s.to_dict()
    assert (record["form"], record["concentration"]) == (form, "2 mg/mL")
    assert Stock(drug="4 mg", volume="2 mL").to_dict()["form"] is None  # no tablets, no form
    assert record["warnings"] == list(s.warnings)
    back = Stock.from_dict(record)
    assert back == s and (back.form, back.profile) == (form, profile)


def test_version_0_1_record_reads_its_default_volume_tolerance():
    """A 0.1 record (no schema) with volume_tolerance null reads back as the default; with a
    value, as that value."""
    s = Stock(drug="5 mg", volume="10 mL")
    old = {k: v for k, v in s.to_dict().items() if k not in ("schema", "warnings",
                                                            "volume_tolerance_default")}
    old["volume_tolerance"] = None
    assert Stock.from_dict(dict(old)) == s
    given_tol = dict(old, volume_tolerance="0.02")
    assert Stock.from_dict(given_tol).volume_tolerance == Fraction(1, 50)


@pytest.mark.parametrize("tol", [Fraction(1234, 100000), Fraction(1, 3), Fraction(1, 50)])
def test_report_states_the_volume_tolerance_to_3_figures(tol):
    """The report's volume tolerance row is tolerance x 100 to 3 significant figures."""
    rows = dict(Stock(drug="5 mg", volume="10 mL", volume_tolerance=tol).report().rows)
    assert rows["Volume tolerance"] == f"+/-{format_number(tol * 100, 3)} %"


def test_unversioned_record_with_the_flag_keeps_it():
    """An unversioned record that already says volume_tolerance_default is read by its
    flag: the default again when true (a stored value disagreeing is refused)."""
    s = Stock(drug="5 mg", volume="10 mL")
    record = {k: v for k, v in s.to_dict().items() if k != "schema"}
    assert record["volume_tolerance_default"] is True
    back = Stock.from_dict(dict(record))
    assert back == s and back.volume_tolerance is None
    with pytest.raises(InputError) as info:
        Stock.from_dict(dict(record, volume_tolerance="0.02"))
    assert info.value.parameter == "volume_tolerance"


def test_versioned_record_missing_the_flag_is_refused():
    """A stock@1 record without volume_tolerance_default is refused, never upgraded as
    if it were unversioned."""
    record = Stock(drug="5 mg", volume="10 mL").to_dict()
    del record["volume_tolerance_default"]
    with pytest.raises(InputError):
        Stock.from_dict(record)


def test_report_carries_the_warnings():
    """A stock's report shows its warnings (here: a split tablet)."""
    s = Stock.from_tablets("50 mg", "10 mL", Fraction(1, 2))
    assert s.warnings and s.report().warnings == s.warnings
