"""Errors carry fields and a kind, pickle and copy intact, and print one bounded line."""

from __future__ import annotations

import copy
import pickle
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ldn_compound
from ldn_compound import (
    Q_,
    Dropper,
    ErrorKind,
    InputError,
    LdnCompoundError,
    NoPlanError,
    OralSyringe,
    Schedule,
    Status,
    Stock,
    ToleranceError,
    UnitError,
    UnmeasurableDoseError,
    measure,
    measure_many,
    plan_dilution,
    plan_trituration,
)
from ldn_compound.errors import SHOWN_MAX, shown
from ldn_compound.strategies import devices, doses, stocks

TABLET_10ML = Stock.from_tablets("50 mg", "10 mL")  # 5 mg/mL (references: 'published-ladders')

# -- every exception class, with random fields ---------------------------------------

texts = st.text(max_size=300)
values = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.fractions(),
    texts, st.binary(max_size=50), st.lists(st.integers(), max_size=5),
    st.tuples(st.text(max_size=10), st.integers()),
)
kinds = st.sampled_from(list(ErrorKind))
mg = st.fractions(min_value=Fraction(1, 1000), max_value=100, max_denominator=1000)

parameters = st.none() | st.text(max_size=30)
#: each concrete error class, with random fields
BY_CLASS = {
    InputError: st.builds(InputError, texts, values, texts, kind=kinds,
                          override=st.none() | texts),
    UnitError: st.builds(UnitError, texts, values, texts, override=st.none() | texts),
    UnmeasurableDoseError: st.builds(UnmeasurableDoseError, texts, texts, texts, kind=kinds,
                                     suggested_mg_per_ml=st.none() | mg, parameter=parameters),
    ToleranceError: st.builds(ToleranceError, mg.map(lambda x: Q_(x, "mg")),
                              mg.map(lambda x: Q_(x, "mg")), st.floats(-1, 1), st.floats(0, 1),
                              texts, parameter=parameters),
    NoPlanError: st.builds(NoPlanError, texts, texts, texts, parameter=parameters),
}
ERRORS = st.one_of(*BY_CLASS.values())


def _subclasses(cls):
    return {cls, *(c for sub in cls.__subclasses__() for c in _subclasses(sub))}


def _same(a: LdnCompoundError, b: LdnCompoundError) -> None:
    assert type(a) is type(b)
    assert a.fields() == b.fields()
    assert a.kind is b.kind
    assert str(a) == str(b)


def test_every_exception_class_is_covered():
    """The property below draws every concrete error class the package exports."""
    exported = [getattr(ldn_compound, n) for n in ldn_compound.__all__]
    classes = {c for c in exported if isinstance(c, type) and issubclass(c, LdnCompoundError)}
    assert classes - {LdnCompoundError} == {InputError, UnitError, UnmeasurableDoseError,
                                            ToleranceError, NoPlanError}


@settings(max_examples=200, deadline=None)
@given(ERRORS)
def test_errors_pickle_and_copy_with_their_fields(exc):
    """pickle round trip and copy.copy give the same type, fields, kind and message."""
    for proto in range(2, pickle.HIGHEST_PROTOCOL + 1):
        _same(exc, pickle.loads(pickle.dumps(exc, protocol=proto)))
    _same(exc, copy.copy(exc))
    _same(exc, copy.deepcopy(exc))


def test_every_subclass_is_drawn():
    """BY_CLASS draws every subclass of LdnCompoundError the package defines (none left out)."""
    assert _subclasses(LdnCompoundError) - {LdnCompoundError} == set(BY_CLASS)


@settings(max_examples=200, deadline=None)
@given(ERRORS)
def test_every_error_has_the_same_fields_to_branch_on(exc):
    """Every error class has ``kind`` and ``parameter`` (None where no single one is at fault),
    both among its fields, both kept through pickle."""
    assert isinstance(exc.kind, ErrorKind)
    assert exc.parameter is None or isinstance(exc.parameter, str)
    assert {"parameter"} <= set(exc.fields()) and exc.fields()["parameter"] == exc.parameter
    again = pickle.loads(pickle.dumps(exc))
    assert (again.kind, again.parameter) == (exc.kind, exc.parameter)
    assert exc.evolve(parameter="dose").parameter == "dose"


def test_the_base_class_has_the_fields_too():
    """The bare base class answers ``kind``-free code with ``parameter`` None."""
    assert LdnCompoundError("x").parameter is None


@pytest.mark.parametrize(("error", "call"), [
    (UnmeasurableDoseError, lambda: measure("1 mcg", TABLET_10ML, Dropper())),
    (ToleranceError, lambda: measure("4.4 mg", TABLET_10ML, Dropper()).check(
        max_rounding_error=0)),
    (NoPlanError, lambda: plan_trituration("50 mcg", capsules=1, fill="1 mg")),
])
def test_raised_errors_have_parameter_none_where_no_one_parameter_is_at_fault(error, call):
    """UnmeasurableDoseError, ToleranceError and NoPlanError raised for real: parameter None."""
    with pytest.raises(error) as info:
        call()
    assert info.value.parameter is None and "parameter" in info.value.fields()


@settings(max_examples=200, deadline=None)
@given(ERRORS)
def test_message_is_one_bounded_printable_line(exc):
    """Whatever the fields hold, the message is printable, one line and bounded."""
    text = str(exc)
    assert text.isprintable()
    assert len(text) <= 4 * 1000 + 200


def test_base_class_pickles_its_message():
    """The bare base class keeps its message through pickle."""
    again = pickle.loads(pickle.dumps(LdnCompoundError("something")))
    assert type(again) is LdnCompoundError and str(again) == "something"


def test_notes_survive_pickling():
    """Extra state (add_note, attributes a caller set) travels with the error."""
    exc = InputError("dose", "4.5", "a mass with a unit")
    exc.batch_id = 7
    again = pickle.loads(pickle.dumps(exc))
    assert again.batch_id == 7


def test_unpicklable_value_travels_as_its_text():
    """A value that cannot be pickled (a lambda) is sent as its shown text instead."""
    fn = lambda: None  # noqa: E731
    exc = InputError("dose", fn, "a mass with a unit")
    again = pickle.loads(pickle.dumps(exc))
    assert again.value == shown(fn)
    assert again.parameter == "dose" and again.kind is ErrorKind.INVALID


def test_errors_from_measure_pickle():
    """A real error from measure() crosses pickle with its kind and exact suggestion."""
    with pytest.raises(UnmeasurableDoseError) as info:
        measure("1 mcg", TABLET_10ML, Dropper())
    again = pickle.loads(pickle.dumps(info.value))
    _same(info.value, again)
    assert again.suggested_mg_per_ml == info.value.suggested_mg_per_ml


# -- safe display ---------------------------------------------------------------------


@given(st.text(max_size=5000))
def test_shown_is_short_printable_and_a_prefix_of_repr(text):
    """shown() escapes, cuts to SHOWN_MAX with an ellipsis, and keeps what it shows exact."""
    s = shown(text)
    assert s.isprintable() and len(s) <= SHOWN_MAX
    r = repr(text)
    if r.isprintable() and len(r) <= SHOWN_MAX:
        assert s == r
    elif r.isprintable():
        assert s.endswith("…") and r.startswith(s[:-1])


@pytest.mark.parametrize(("value", "expected"), [
    ("4.5\nmg", "'4.5\\nmg'"),
    ("3\x90cc", "'3\\x90cc'"),
    ("a" * 1_000_000, "'" + "a" * (SHOWN_MAX - 2) + "…"),
    (10 ** 5000, "<int that cannot be shown>"),
], ids=["newline", "control", "megabyte", "huge-int"])
def test_shown_examples(value, expected):
    """Newlines and control characters are escaped; huge values are cut or named."""
    assert shown(value) == expected


def test_megabyte_input_gives_short_one_line_error():
    """A megabyte dose string with newlines fails with a message under 1,000 characters."""
    with pytest.raises(InputError) as info:
        measure("4.5\n" * 250_000, TABLET_10ML, Dropper())
    assert "\n" not in str(info.value) and len(str(info.value)) < 1000


# -- kinds at the raising sites ----------------------------------------------------------


def test_error_kind_is_a_str_enum_with_unique_labels():
    """Each kind compares equal to its stable lower-case label."""
    assert len({k.value for k in ErrorKind}) == len(ErrorKind)
    for k in ErrorKind:
        assert k == k.value and str(k) == k.value and f"{k}" == k.value
        assert k.value == k.name.lower()


def test_decimal_slip_has_kind_and_override():
    """45 mg: kind DECIMAL_SLIP, override allow_high_dose, and the message says so."""
    with pytest.raises(InputError) as info:
        measure("45 mg", TABLET_10ML, Dropper())
    exc = info.value
    assert exc.kind is ErrorKind.DECIMAL_SLIP and exc.override == "allow_high_dose"
    assert "allow_high_dose" not in exc.expected
    assert str(exc).endswith("; pass allow_high_dose=True if it is meant")
    assert exc.describe({"dose": "--dose", "allow_high_dose": "--allow-high-dose"}) \
        .endswith("; pass --allow-high-dose if it is meant")
    assert exc.describe({"dose": "--dose"}).startswith("--dose: expected")


@pytest.mark.parametrize("call", [
    lambda: Schedule.from_steps([("1 mg", "1 week"), ("50 mg", "1 week")], TABLET_10ML,
                                Dropper()),
    lambda: plan_dilution("50 mg"),
    lambda: plan_trituration("50 mg", capsules=10),
])
def test_decimal_slip_kind_in_every_path(call):
    """Schedules, dilution and trituration refuse 45 mg or more with kind DECIMAL_SLIP."""
    with pytest.raises(InputError) as info:
        call()
    assert info.value.kind is ErrorKind.DECIMAL_SLIP


def test_schedule_names_the_step_and_keeps_kind():
    """The schedule relabels the decimal slip with its step, keeping kind and override."""
    with pytest.raises(InputError) as info:
        Schedule.from_steps([("1 mg", "1 week"), ("50 mg", "1 week")], TABLET_10ML, Dropper())
    exc = info.value
    assert exc.parameter == "steps[1] dose" and exc.override == "allow_high_dose"
    assert exc.expected.startswith("at step 2, ")


def test_bad_unit_has_kind_unit():
    """A volume where a mass is wanted is a UnitError of kind UNIT."""
    with pytest.raises(UnitError) as info:
        measure("4.5 mL", TABLET_10ML, Dropper())
    assert info.value.kind is ErrorKind.UNIT


def test_evolve_keeps_type_kind_and_override():
    """evolve() replaces the named fields only."""
    exc = UnitError("dose", "1 mL", "a mass", override="x")
    new = exc.evolve(parameter="doses[3]")
    assert type(new) is UnitError and new.parameter == "doses[3]"
    assert new.kind is ErrorKind.UNIT and new.override == "x" and new.value == "1 mL"


@settings(max_examples=150, deadline=None)
@given(doses(max_value="44"), stocks(), devices())
def test_unmeasurable_kind_and_suggestion_work(dose, stock, device):
    """The kind says why; a stock of the suggested concentration measures the dose."""
    try:
        measure(dose, stock, device)
        return
    except UnmeasurableDoseError as exc:
        err = exc
    conc = err.suggested_mg_per_ml
    assert isinstance(conc, Fraction) and conc > 0
    if err.kind is ErrorKind.BELOW_ONE_UNIT:
        assert "rounds to 0" in err.reason
    else:
        assert err.kind in (ErrorKind.OVER_CAPACITY, ErrorKind.BEYOND_STOCK)
    # Following the advice: the suggested stock, made up large enough, measures the dose.
    volume = max(Fraction(100), stock.volume_ml)
    fixed = Stock(drug=(conc * volume, "mg"), volume=(volume, "mL"))
    assert measure(dose, fixed, device).count > 0


def test_over_capacity_and_beyond_stock_kinds():
    """Worked: 4.5 mg from 0.1 mg/mL needs 45 mL (a 10 mL syringe); 10 mL of stock has 1 mg."""
    weak = Stock(drug="10 mg", volume="100 mL")
    with pytest.raises(UnmeasurableDoseError) as info:
        measure("4.5 mg", weak, OralSyringe(capacity="10 mL"))
    assert info.value.kind is ErrorKind.OVER_CAPACITY
    assert info.value.suggested_mg_per_ml == Fraction(45, 100)  # 4.5 mg / 10 mL
    small = Stock(drug="1 mg", volume="10 mL")
    with pytest.raises(UnmeasurableDoseError) as info:
        measure("4.5 mg", small, Dropper())
    assert info.value.kind is ErrorKind.BEYOND_STOCK
    assert info.value.suggested_mg_per_ml == Fraction(45, 100)  # 4.5 mg / 10 mL


def test_tolerance_and_no_plan_kinds():
    """ToleranceError and NoPlanError have their fixed kinds."""
    with pytest.raises(ToleranceError) as info:
        measure("0.8 mg", TABLET_10ML, Dropper()).check(max_rounding_error=0.05)
    assert info.value.kind is ErrorKind.TOLERANCE
    with pytest.raises(NoPlanError) as info2:
        plan_trituration("1 mcg", capsules=1, fill="100 mg", max_mixture="1000 mg")
    assert info2.value.kind is ErrorKind.NO_PLAN


# -- Status <-> kind -------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "status"), [
    (ErrorKind.BELOW_ONE_UNIT, Status.ROUNDS_TO_ZERO),
    (ErrorKind.OVER_CAPACITY, Status.OVER_CAPACITY),
    (ErrorKind.BEYOND_STOCK, Status.OVER_CAPACITY),
    (ErrorKind.DECIMAL_SLIP, Status.HIGH_DOSE),
    ("decimal_slip", Status.HIGH_DOSE),
])
def test_status_of_kind(kind, status):
    """The one map from an error's kind to measure_many's status."""
    assert Status.of(kind) is status


@pytest.mark.parametrize("kind", [ErrorKind.UNIT, ErrorKind.INVALID, ErrorKind.NO_PLAN,
                                  "nope", None, 3])
def test_status_of_kind_refuses_others(kind):
    """Kinds that fail a whole batch have no status: InputError."""
    with pytest.raises(InputError):
        Status.of(kind)


@pytest.mark.parametrize(("dose", "stock", "device"), [
    ("1 mcg", TABLET_10ML, Dropper()),
    ("4.5 mg", Stock(drug="10 mg", volume="100 mL"), OralSyringe(capacity="10 mL")),
    ("4.5 mg", Stock(drug="1 mg", volume="10 mL"), Dropper()),
    ("45 mg", TABLET_10ML, Dropper()),
])
def test_batch_status_matches_scalar_kind(dose, stock, device):
    """measure_many's status is Status.of the kind measure raises for the same dose."""
    b = measure_many([dose], stock, device)
    with pytest.raises((InputError, UnmeasurableDoseError)) as info:
        measure(dose, stock, device)
    assert Status(int(b.status[0])) is Status.of(info.value.kind)


def test_a_named_parameter_is_written_in_each_front_end_s_words():
    """`{name}` in an error's text reads as the Python name, a flag, or a page's label."""
    import pickle

    from ldn_compound.errors import named

    exc = InputError("volume", "0.5 mL", "a {volume_tolerance} for 0.5 mL",
                     override="allow_high_dose")
    assert exc.expected == "a volume_tolerance for 0.5 mL"  # the attribute: Python's words
    assert str(exc).endswith("pass allow_high_dose=True if it is meant")
    flags = {"volume": "--volume", "volume_tolerance": "--volume-tolerance",
             "allow_high_dose": "--allow-high-dose"}
    assert exc.describe(flags) == ("--volume: expected a --volume-tolerance for 0.5 mL; "
                                   "got '0.5 mL'; pass --allow-high-dose if it is meant")
    page = {"allow_high_dose": "tick the high-dose box"}
    assert exc.describe(page).endswith("; tick the high-dose box if it is meant")
    for copy in (pickle.loads(pickle.dumps(exc)), exc.evolve(value="1 mL")):
        assert "--volume-tolerance" in copy.describe(flags)
    missing = InputError("volume_tolerance", None, "a fraction")
    assert str(missing).endswith("got None") and missing.describe(flags).endswith("got nothing")
    plan = NoPlanError("1 mcg", "at most {max_volume} 10 mL", "{max_volume} '100 mL'")
    assert "max_volume" in str(plan) and "{" not in plan.constraint + plan.suggestion
    assert plan.describe({"max_volume": "--max-volume"}).count("--max-volume") == 2
    assert named("{taper()} or {x}", {"taper()": "--taper"}) == "--taper or x"
