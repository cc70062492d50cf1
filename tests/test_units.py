"""Tests of parsing quantities at the boundary (ldn_compound.units)."""

import json
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_compound import InputError, UnitError
from ldn_compound.units import CONCENTRATION, MASS, TIME, VOLUME, Q_, get_registry, parse


@pytest.mark.parametrize(
    ("text", "dimension", "expected"),
    [
        ("50 mg", MASS, Fraction(50)),
        ("450 mcg", MASS, Fraction(45, 100)),
        ("0.45 mg", MASS, Fraction(45, 100)),
        ("1 g", MASS, Fraction(1000)),
        ("2 ng", MASS, Fraction(2, 10**6)),
        ("10 mL", VOLUME, Fraction(10)),
        ("0.5 L", VOLUME, Fraction(500)),
        ("5 mg/mL", CONCENTRATION, Fraction(5)),
        ("250 mcg/mL", CONCENTRATION, Fraction(1, 4)),
        ("2 weeks", TIME, Fraction(14)),
        ("14 days", TIME, Fraction(14)),
        ("4.5mg", MASS, Fraction(9, 2)),
        ("1/3 mg", MASS, Fraction(1, 3)),
    ],
)
def test_text_is_read_exactly(text, dimension, expected):
    """Common units are read exactly into the fixed units mg, mL, mg/mL and days."""
    assert parse(text, dimension, "x") == expected


def test_decimal_means_what_it_says():
    """0.1 mg is exactly 1/10 mg, whether typed as text, float, Decimal or a Quantity."""
    ureg = pint.UnitRegistry()
    for value in ("0.1 mg", (0.1, "mg"), (Decimal("0.1"), "mg"), Q_(0.1, "mg"),
                  ureg.Quantity(0.1, "mg"), ureg.Quantity(100, "microgram")):
        assert parse(value, MASS, "dose") == Fraction(1, 10)


def test_foreign_registry_metric_only():
    """A caller's registry works in metric units; grain, cc text and teaspoon are refused (issue 8)."""
    ureg = pint.UnitRegistry()
    assert parse(ureg.Quantity(45, "centigram"), MASS, "dose") == 450
    assert parse(ureg.Quantity(5, "cm ** 3"), VOLUME, "volume") == 5
    for value, dimension in ((ureg.Quantity(1, "grain"), MASS), ("5 cc", VOLUME),
                             (ureg.Quantity(2, "teaspoon"), VOLUME)):
        with pytest.raises(UnitError):
            parse(value, dimension, "dose")


@pytest.mark.parametrize(
    ("value", "dimension", "error", "needle"),
    [
        ("-1 mg", MASS, InputError, "positive"),
        ("0 mg", MASS, InputError, "positive"),
        ("nan mg", MASS, InputError, "finite"),
        ("inf mg", MASS, InputError, "finite"),
        ((float("nan"), "mg"), MASS, InputError, "finite"),
        ((float("inf"), "mg"), MASS, InputError, "finite"),
        ("", MASS, InputError, "empty"),
        ("   ", MASS, InputError, "empty"),
        ("abc", MASS, InputError, "mass"),
        ("4.5", MASS, InputError, "bare number"),
        (4.5, MASS, InputError, "bare number"),
        (5, VOLUME, InputError, "bare number"),
        ("5 kg", VOLUME, UnitError, "volume"),
        ("10 mL", MASS, UnitError, "mass"),
        ("5 units", MASS, UnitError, "mass"),
        ("5 mg", CONCENTRATION, UnitError, "concentration"),
        (True, MASS, InputError, "mass"),
        ((True, "mg"), MASS, InputError, "boolean"),
        ("1e300 mg", MASS, InputError, "exponent"),
        ("1e30 mg", MASS, InputError, "plausible"),
        ("1e-30 mg", MASS, InputError, "plausible"),
        ("5 furlongs", VOLUME, UnitError, "volume"),
        ("5 blargs", MASS, InputError, "unknown unit"),
        (".5 mg", MASS, InputError, "leading zero"),
        ("4,5 mg", MASS, InputError, "commas"),
        ("1,000 mg", MASS, InputError, "commas"),
        (("4.5", "mg"), MASS, InputError, "not as text"),
        (None, MASS, InputError, "mass"),
        ([4.5], MASS, InputError, "mass"),
    ],
)
def test_bad_inputs(value, dimension, error, needle):
    """Every bad input raises an error naming the parameter and what was expected."""
    with pytest.raises(error) as info:
        parse(value, dimension, "dose")
    assert info.value.parameter == "dose"
    assert needle in str(info.value)


def test_array_quantity_is_refused():
    """A Quantity holding an array is not silently read as one dose."""
    import numpy as np

    with pytest.raises(InputError, match="measure_many"):
        parse(Q_(np.array([1.0, 2.0]), "mg"), MASS, "dose")


@given(st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1000"), places=3))
def test_units_agree(d):
    """The same amount in mg, mcg and g parses to the same exact value."""
    assert parse(f"{d} mg", MASS, "x") == parse(f"{d * 1000} mcg", MASS, "x")
    assert parse(f"{d} mg", MASS, "x") == parse((Decimal(d) / 1000, "g"), MASS, "x")


@given(st.floats(min_value=1e-6, max_value=1e5, allow_nan=False))
def test_floats_read_as_their_shortest_decimal(x):
    """A float is read as the decimal it prints as, never its binary expansion."""
    assert parse((x, "mg"), MASS, "x") == Fraction(repr(x))


def test_registry_is_one_application_registry():
    """Quantities the library returns belong to pint's application registry."""
    reg = get_registry()
    assert reg is get_registry()
    q = Q_(1, "mg") + pint.get_application_registry().Quantity(1, "mg")
    assert q.to("mg").magnitude == 2


# Run in a fresh process, so the registry is really cold when the threads arrive. With
# SLOW set, pint's lazy build sleeps between switching the registry's class and loading
# its units: the window in which a second thread would see a half-built registry is
# then 0.2 s wide instead of microseconds, so a missing lock fails every time.
REGISTRY_THREADS = """
import json, sys, threading, time
import pint
from pint.registry import LazyRegistry, UnitRegistry
from ldn_compound import units
SLOW = sys.argv[1] == "slow"
assert type(pint.get_application_registry().get()) is LazyRegistry  # really cold
if SLOW:
    after_init = UnitRegistry._after_init
    def slow_after_init(self):
        time.sleep(0.2)
        after_init(self)
    UnitRegistry._after_init = slow_after_init
N = 16
barrier = threading.Barrier(N)
seen, errors = [], []
def first_use(i):
    try:
        barrier.wait()
        if i % 2:  # half start with get_registry, half with Q_
            reg = units.get_registry()
            q = units.Q_(1, "mg")
        else:
            q = units.Q_(1, "mg")
            reg = units.get_registry()
        assert q.to("mcg").magnitude == 1000
        seen.append((id(reg), id(reg.get()), id(q._REGISTRY)))
    except BaseException as exc:
        errors.append(repr(exc)[:200])
threads = [threading.Thread(target=first_use, args=(i,)) for i in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps({"errors": errors, "registries": len(set(seen)), "n": len(seen)}))
"""


@pytest.mark.parametrize("speed", ["slow", "natural"])
def test_registry_first_use_from_many_threads(speed):
    """16 threads building the registry at once in a fresh process get one, without error."""
    out = subprocess.run([sys.executable, "-c", REGISTRY_THREADS, speed], capture_output=True,
                         text=True, check=True, timeout=120).stdout
    report = json.loads(out)
    assert report["errors"] == []
    assert report["n"] == 16 and report["registries"] == 1


# -- plausibility limits, signs and Quantities (issue 11) ----------------------------
from ldn_compound import ErrorKind  # noqa: E402
from ldn_compound._exact import exact_text  # noqa: E402
from ldn_compound.units import Exact, check_plausible, expected, is_quantity  # noqa: E402

_LIMITS = {  # the documented plausibility limits, in mg, mL, mg/mL and days
    MASS: (Fraction(1, 10**9), Fraction(10**6), "mg"),
    VOLUME: (Fraction(1, 10**6), Fraction(10**6), "mL"),
    CONCENTRATION: (Fraction(1, 10**12), Fraction(1000), "mg/mL"),
    TIME: (Fraction(1, 24), Fraction(3660), "days"),
}


@given(st.sampled_from(sorted(_LIMITS)), st.integers(1, 10**6).map(lambda n: Fraction(1, n)))
def test_plausibility_limits_are_inclusive(dimension, eps):
    """Each limit is accepted exactly; a hair outside is OUT_OF_RANGE; inside is accepted."""
    low, high, unit = _LIMITS[dimension]
    for value in (low, high, low + low * eps, high - high * eps / 2):
        assert parse(f"{exact_text(value)} {unit}", dimension, "x") == value
        assert parse((value, unit), dimension, "x") == value
    for value in (high + high * eps, low - low * eps / 2):
        with pytest.raises(InputError) as info:
            parse(f"{exact_text(value)} {unit}", dimension, "x")
        assert (info.value.kind, info.value.parameter) == (ErrorKind.OUT_OF_RANGE, "x")
        with pytest.raises(InputError):
            check_plausible(value, dimension, "x", value)


@pytest.mark.parametrize(
    ("text", "kind"),
    [("0 mg", ErrorKind.OUT_OF_RANGE), ("-1 mg", ErrorKind.OUT_OF_RANGE),
     ("-1/2 mg", ErrorKind.OUT_OF_RANGE), ("-0.45 mg", ErrorKind.OUT_OF_RANGE)],
)
def test_signed_and_zero_doses_are_out_of_range(text, kind):
    """Zero and negative amounts, in any spelling, are refused as not positive."""
    with pytest.raises(InputError) as info:
        parse(text, MASS, "dose")
    assert info.value.kind == kind and info.value.parameter == "dose"
    assert "a positive mass" in str(info.value)


@pytest.mark.parametrize(
    ("text", "value"),
    [("3/1 mg", Fraction(3)), ("+3/1 mg", Fraction(3)), ("9/20 mg", Fraction(9, 20)),
     ("0.45 mg", Fraction(9, 20)), ("+0.45mg", Fraction(9, 20)), ("4.5e-1 mg", Fraction(9, 20)),
     ("1/24 days", Fraction(1, 24)), ("1 hour", Fraction(1, 24)), ("  2 wk ", Fraction(14)),
     ("0.5 mg / mL", Fraction(1, 2)), ("500 mcg/mL", Fraction(1, 2)), ("1 g/L", Fraction(1))],
)
def test_signed_ratio_and_decimal_doses(text, value):
    """A ratio, its sign and the decimal it equals read to one exact value."""
    dim = TIME if "day" in text or "hour" in text or "wk" in text else (
        CONCENTRATION if text.endswith(("mL", "L")) else MASS)
    assert parse(text, dim, "x") == value


@pytest.mark.parametrize(
    ("text", "needle"),
    [("1/0 mg", "denominator above 0"), ("-inf mg", "finite"), ("+nan mg", "finite"),
     ("inf mg", "finite"), (".5 mg", "leading zero"), ("4,5 mg", "commas"),
     ("$5 mg", "stray character '$'"), ("5", "bare number"), ("5 mg!", "stray character '!'"),
     ("5 MG", "case-sensitive"), ("5 Mg", "megagrams"), ("5 gr", "grains"),
     ("5 mL", "not a volume"), ("5 furlong", "unknown unit"), ("x" * 257, "at most 256")],
)
def test_bad_dose_text_says_why(text, needle):
    """Degenerate or misspelt dose text is refused on 'dose', saying what would work."""
    with pytest.raises(InputError) as info:
        parse(text, MASS, "dose")
    assert info.value.parameter == "dose" and needle in str(info.value)


def test_exact_and_tuples_and_quantities():
    """Exact passes through; tuples need a numeric magnitude; Quantities convert exactly."""
    assert parse(Exact(Fraction(7, 3), MASS), MASS, "x") == Fraction(7, 3)
    with pytest.raises(InputError):
        parse(Exact(Fraction(7, 3), VOLUME), MASS, "x")  # another dimension is not passed through
    with pytest.raises(InputError) as info:
        parse(("4.5", "mg"), MASS, "dose")
    assert "the number not as text" in str(info.value)
    with pytest.raises(InputError):
        parse((4.5, "m" * 300), MASS, "dose")
    assert parse((4.5, " mg "), MASS, "x") == Fraction(9, 2)
    ureg = pint.UnitRegistry()
    assert parse(ureg.Quantity(2, "milligram / milliliter"), CONCENTRATION, "x") == 2
    assert parse(ureg.Quantity(3, "liter"), VOLUME, "x") == 3000
    assert parse(ureg.Quantity(1, "week"), TIME, "x") == 7
    assert parse(ureg.Quantity(48, "hour"), TIME, "x") == 2
    assert parse(ureg.Quantity(2, "microgram"), MASS, "x") == Fraction(2, 1000)
    assert parse(ureg.Quantity(1, "decimeter ** 3"), VOLUME, "x") == 1000
    assert parse(ureg.Quantity(1, "gram / liter"), CONCENTRATION, "x") == 1
    with pytest.raises(UnitError):
        parse(ureg.Quantity(1, "gram"), VOLUME, "x")
    with pytest.raises(UnitError):
        parse(ureg.Quantity(1, "meter"), VOLUME, "x")
    assert is_quantity(ureg.Quantity(1, "gram")) and not is_quantity("1 g")
    assert expected(MASS) == "a mass with a unit, such as '4.5 mg'"
    for bad in (4.5, Decimal("4.5"), [1, 2], object()):
        with pytest.raises(InputError):
            parse(bad, MASS, "dose")


def test_cache_gives_the_same_answer_cold_and_warm():
    """A parse served from the cache equals the one computed; errors are never cached."""
    assert parse("4.5 mg", MASS, "x") == parse("4.5 mg", MASS, "x") == Fraction(9, 2)
    for _ in range(2):
        with pytest.raises(InputError):
            parse("-4.5 mg", MASS, "x")
    ureg = pint.UnitRegistry()
    q = ureg.Quantity(45, "centigram")
    assert parse(q, MASS, "x") == parse(q, MASS, "x") == 450
    with pytest.raises(UnitError):
        parse(q, VOLUME, "x")
