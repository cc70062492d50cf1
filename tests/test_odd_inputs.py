"""Odd values at the front door (issue 21): masked arrays, numpy times, undecodable command
lines, and refusals that quote the value as it was written."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ldn_compound import (
    Q_,
    Dropper,
    InputError,
    OralSyringe,
    Schedule,
    Stock,
    UnmeasurableDoseError,
    measure,
    measure_many,
    plan_trituration,
    titrate,
)
from ldn_compound.cli import main
from ldn_compound.fhir import schedule_dosages
from ldn_compound.strategies import devices
from ldn_compound.units import MASS, parse

STOCK = Stock.from_tablets("50 mg", "10 mL")  # 5 mg/mL (references: 'published-ladders')
DROPPER = Dropper(drops_per_mL=20)
SYRINGE = OralSyringe("1 mL")

# -- masked arrays: a masked element is no dose ------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(hnp.arrays(np.float64, st.integers(1, 8),
                  elements=st.floats(0.25, 4.5, allow_nan=False)),
       st.data())
def test_a_masked_element_is_refused_never_measured(data, draw):
    """Any masked element is refused naming it; a mask with none masked reads as the data."""
    mask = draw.draw(hnp.arrays(np.bool_, data.shape))
    masked = np.ma.masked_array(data, mask=mask)
    for doses in ((masked, "mg"), Q_(masked, "mg")):
        if mask.any():
            with pytest.raises(InputError) as info:
                measure_many(doses, STOCK, DROPPER)
            assert info.value.parameter == f"doses[{int(np.argmax(mask))}]"
            assert "masked" in str(info.value)
        else:
            got = measure_many(doses, STOCK, DROPPER)
            assert list(got.count) == list(measure_many((data, "mg"), STOCK, DROPPER).count)


def test_the_issues_masked_array():
    """Issue 21: [4.5 (masked), 1.0] mg gave counts [18, 4]; now doses[0] is refused."""
    with pytest.raises(InputError) as info:
        measure_many((np.ma.masked_array([4.5, 1.0], mask=[True, False]), "mg"), STOCK,
                     DROPPER)
    assert info.value.parameter == "doses[0]"


@pytest.mark.parametrize("value", [np.ma.masked, np.ma.masked_array(4.5, mask=True)])
def test_a_masked_scalar_is_refused_as_measure_refuses_it(value):
    """A masked scalar in measure: the same refusal, naming the dose."""
    with pytest.raises(InputError, match="masked") as info:
        measure((value, "mg"), STOCK, DROPPER)
    assert info.value.parameter == "dose"


# -- numpy times are no amounts --------------------------------------------------------------
TIMES = st.builds(np.timedelta64, st.integers(1, 10**6), st.sampled_from(["D", "h", "W", "s"])) \
    | st.builds(np.datetime64, st.integers(0, 10**9), st.just("s"))


@settings(max_examples=60, deadline=None)
@given(TIMES)
def test_a_numpy_time_is_refused_naming_the_parameter(t):
    """timedelta64 or datetime64 as a dose, volume or duration magnitude: the library's error."""
    calls = {
        "dose": lambda: measure((t, "mg"), STOCK, SYRINGE),
        "volume": lambda: Stock.from_tablets("50 mg", (t, "mL")),
        "every": lambda: titrate("1 mg", "0.5 mg", "2 mg", (t, "days"), STOCK, SYRINGE),
        "doses[0]": lambda: measure_many((np.array([t], dtype=object), "mg"), STOCK, SYRINGE),
    }
    for parameter, call in calls.items():
        with pytest.raises(InputError) as info:
            call()
        assert info.value.parameter == parameter
    with pytest.raises(InputError) as info:
        measure(Q_(t, "mg"), STOCK, SYRINGE)
    assert info.value.parameter == "dose"


# -- a refusal quotes the dose as it was written ------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("900000"), places=6))
def test_a_refused_dose_is_quoted_with_every_digit(dose):
    """Whatever measure refuses, the target it quotes reads back to exactly the dose given."""
    text = f"{dose} mg"
    try:
        measure(text, STOCK, SYRINGE, allow_high_dose=True)
    except UnmeasurableDoseError as exc:
        assert parse(exc.target, MASS, "t") == Fraction(dose)
    except InputError as exc:  # implausible: quoted as typed
        assert exc.value == text
    try:
        measure(text, STOCK, SYRINGE)
    except InputError as exc:
        assert exc.value == text or parse(exc.value, MASS, "v") == Fraction(dose)
    except UnmeasurableDoseError:
        pass


@pytest.mark.parametrize(("call", "quoted"), [
    (lambda: measure("409071 mg", STOCK, DROPPER, allow_high_dose=True), "409071 mg"),  # issue
    (lambda: measure("0.00123456 mg", STOCK, DROPPER), "1.23456 mcg"),
    (lambda: measure("1/3 mcg", STOCK, DROPPER), "1/3 mcg"),
])
def test_refusal_examples(call, quoted):
    """The issue's 409071 mg is quoted as 409071 mg, not 409,100 mg; so are other digits."""
    with pytest.raises(UnmeasurableDoseError) as info:
        call()
    assert info.value.target == quoted and str(info.value).startswith(f"cannot measure {quoted}:")


@pytest.mark.parametrize(("call", "quoted"), [
    (lambda: measure("45.00001 mg", STOCK, DROPPER), "45.00001 mg is ten"),
    (lambda: plan_trituration("50 mcg", fill="2000.5 mg"),
     "'2000.5 mg'"),
    (lambda: OralSyringe("1000.04 mL"), "'1000.04 mL'"),
])
def test_refused_inputs_are_never_display_rounded(call, quoted):
    """An InputError quotes the refused value with every digit (2000.5 mg, not 2,001 mg)."""
    with pytest.raises(InputError) as info:
        call()
    assert quoted in str(info.value)


# -- FHIR: advice that can help ----------------------------------------------------------------
UNMEASURABLE = Schedule.from_steps([("0.01 mg", 7), ("1 mg", 7)], STOCK, SYRINGE)


@pytest.mark.parametrize("allow_flagged", [True, False])
def test_an_unmeasurable_step_is_never_advised_to_be_allowed(allow_flagged):
    """A step with no measurement: the error gives the fix and no allow_flagged override."""
    with pytest.raises(InputError) as info:
        schedule_dosages(UNMEASURABLE, allow_flagged=allow_flagged)
    exc = info.value
    assert exc.override is None and "pass allow_flagged" not in str(exc)
    assert "never exported, allow_flagged or not" in exc.expected
    assert UNMEASURABLE.steps[0].fix.rstrip(".") in exc.expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.decimals(Decimal("0.001"), Decimal("4.5"), places=3),
                          st.integers(1, 14)), min_size=1, max_size=4),
       devices(),
       st.booleans())
def test_fhir_advice_always_can_help(steps, device, allow_flagged):
    """Any schedule: an export refusal offers allow_flagged only where it would work, and
    passing it then exports every step."""
    schedule = Schedule.from_steps([(f"{d} mg", n) for d, n in steps], STOCK, device)
    try:
        out = schedule_dosages(schedule, allow_flagged=allow_flagged)
    except InputError as exc:
        first = next(s for s in schedule.steps if s.measurement is None
                     or (not s.ok and not allow_flagged))
        assert exc.override == (None if first.measurement is None else "allow_flagged")
        if exc.override is None:
            assert "allow_flagged or not" in exc.expected
        elif all(s.measurement is not None for s in schedule.steps):
            assert len(schedule_dosages(schedule, allow_flagged=True)) == len(steps)
    else:
        assert len(out) == len(steps)


def test_a_flagged_measurable_step_still_offers_allow_flagged():
    """A step flagged only for its rounding error: allow_flagged is the override, and works."""
    flagged = Schedule.from_steps([("0.13 mg", 7)], STOCK, SYRINGE)
    with pytest.raises(InputError) as info:
        schedule_dosages(flagged)
    assert info.value.override == "allow_flagged"
    assert len(schedule_dosages(flagged, allow_flagged=True)) == 1


# -- the command line: undecodable bytes give one line and exit 2 --------------------------------
BAD_ARGV = [
    [b"serve", b"--host", b"\xff", b"--port", b"1"],  # the issue's: 49 lines and exit 70
    [b"triturate", b"--dose", b"50 mcg", b"--filler", b"lac\xfftose"],
    [b"triturate", b"--dose", b"50 mcg", b"--filler=lac\xfftose"],
    [b"measure", b"--dose", b"4.5 \xb5g", b"--tablet", b"50 mg", b"--volume", b"10 mL"],
    [b"\xfe\xff"],
    [b"measure", b"--dose", b"\xed\xb3\xbf"],  # an encoded surrogate: no UTF-8
]


@pytest.mark.parametrize("locale", ["C", "C.UTF-8"])
@pytest.mark.parametrize("argv", BAD_ARGV, ids=lambda a: repr(b" ".join(a))[2:30])
def test_undecodable_bytes_give_one_line_and_exit_2(argv, locale):
    """In the C and C.UTF-8 locales, an argument of bytes that are no text: one line, exit 2."""
    env = {**os.environ, "LC_ALL": locale, "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("PYTHONUTF8", None)
    run = subprocess.run([os.fsencode(sys.executable), b"-m", b"ldn_compound.cli", *argv],
                         capture_output=True, env=env, timeout=60)
    err = run.stderr.decode("utf-8", "replace")
    assert run.returncode == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err and run.stdout == b""
    assert "undecodable bytes" in err


@pytest.mark.parametrize("bad", ["\udcff", "lac\udcfftose", "\ud800"])
def test_main_refuses_lone_surrogates_in_process(bad, capsys):
    """main() given an argument holding lone surrogates: one line naming the flag, exit 2."""
    assert main(["triturate", "--dose", "50 mcg", "--filler", bad]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("ldn-compound: error: --filler:")


@pytest.mark.parametrize("host", ["a b", "host\n", "\u00e9", "", "x" * 254, "127.0.0.1;rm"])
def test_serve_refuses_a_host_that_is_no_address(host, capsys):
    """--host that is no IP address or host name: one line naming --host, exit 2."""
    pytest.importorskip("uvicorn", reason="the serve extra is not installed")
    assert main(["serve", "--host", host, "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--host" in err


SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["measure", "schedule", "dilute", "triturate", "taper", "presets",
                        "serve", "--version", "nonsense"]),
       st.lists(st.text(max_size=12), max_size=6), st.data())
def test_fuzz_any_argument_with_undecodable_bytes_is_one_line_exit_2(command, args, data):
    """Random arguments with a lone surrogate anywhere: exit 2 and one stderr line, always
    (checked before any command runs, so serve never starts)."""
    import contextlib
    import io

    at = data.draw(st.integers(0, len(args)))
    bad = data.draw(st.text(max_size=5)) + data.draw(SURROGATES) + data.draw(st.text(max_size=5))
    argv = [command, *args[:at], bad, *args[at:]]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    assert status == 2 and out.getvalue() == ""
    assert err.getvalue().count("\n") == 1 and "undecodable bytes" in err.getvalue()
