"""`max_rounding_error` (was `tolerance`): one name, the old keyword deprecated, and the
over-cut rule of a taper read from _rules."""

import os
import warnings
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import Dropper, InputError, OralSyringe, Schedule, Stock, taper, titrate
from ldn_compound._exact import round_to_int
from ldn_compound._rules import OVERCUT_FACTOR, cut_needs, is_overcut, overcut_limit

STOCK = Stock.from_tablets("50 mg", "10 mL")
DROPPER = Dropper()
STEPS = [("0.2 mg", "7 days"), ("1 mg", "7 days")]

# Each builder called with the new keyword (new=True) or the deprecated one.
BUILDERS = {
    "Schedule": lambda kw: Schedule(STEPS, STOCK, DROPPER, **kw),
    "Schedule.from_steps": lambda kw: Schedule.from_steps(STEPS, STOCK, DROPPER, **kw),
    "Schedule.from_drops": lambda kw: Schedule.from_drops(STOCK, DROPPER, 1, 1, 4, **kw),
    "titrate": lambda kw: titrate("0.2 mg", "0.2 mg", "1 mg", "7 days", STOCK, DROPPER, **kw),
    "taper": lambda kw: taper("4.5 mg", 0.1, "7 days", STOCK, OralSyringe("1 mL"), "3 mg",
                              **kw),
}


@pytest.mark.parametrize("where", sorted(BUILDERS))
def test_old_keyword_warns_and_gives_the_same_schedule(where):
    """tolerance= still works for one release, with a DeprecationWarning naming the call."""
    new = BUILDERS[where]({"max_rounding_error": "0.3"})
    with pytest.warns(DeprecationWarning, match=rf"{where}\(tolerance=") as record:
        old = BUILDERS[where]({"tolerance": "0.3"})
    if "MUTANT_UNDER_TEST" not in os.environ:  # mutmut's trampoline adds a frame
        assert record[0].filename == __file__  # the warning points at the caller
    assert old == new and new.max_rounding_error == Fraction(3, 10)


@pytest.mark.parametrize("where", sorted(BUILDERS))
def test_both_keywords_are_refused(where):
    """max_rounding_error and the deprecated tolerance together: an InputError on tolerance."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(InputError) as info:
            BUILDERS[where]({"max_rounding_error": "0.3", "tolerance": "0.3"})
    assert info.value.parameter == "tolerance"


def test_new_keyword_does_not_warn():
    """The new name and the default raise no DeprecationWarning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        for build in BUILDERS.values():
            build({})
            build({"max_rounding_error": 0.05})


def test_default_is_the_rounding_warning():
    """The default limit is the rounding warning of _rules: half the potency window."""
    from ldn_compound._rules import ROUNDING_WARNING

    assert BUILDERS["Schedule"]({}).max_rounding_error == ROUNDING_WARNING


def test_old_attribute_reads_with_a_warning():
    """Schedule.tolerance reads max_rounding_error, with a DeprecationWarning."""
    s = BUILDERS["Schedule"]({"max_rounding_error": "0.2"})
    with pytest.warns(DeprecationWarning, match="max_rounding_error"):
        assert s.tolerance == s.max_rounding_error == Fraction(1, 5)


def test_suggest_stock_reads_both_names():
    """suggest_stock(tolerance=) gives the stock suggest_stock(max_rounding_error=) gives."""
    s = BUILDERS["titrate"]({})
    new = s.suggest_stock(max_rounding_error="0.02")
    with pytest.warns(DeprecationWarning, match=r"suggest_stock\(tolerance="):
        assert s.suggest_stock(tolerance="0.02") == new


def test_to_dict_writes_the_new_key_and_from_dict_reads_the_old():
    """to_dict writes max_rounding_error; a dict written before the rename reads back."""
    s = BUILDERS["Schedule"]({"max_rounding_error": "0.3"})
    data = s.to_dict()
    assert data["max_rounding_error"] == "0.3" and "tolerance" not in data
    data["tolerance"] = data.pop("max_rounding_error")
    assert Schedule.from_dict(data) == s


@settings(max_examples=200, deadline=None)
@given(st.fractions(min_value=Fraction(1, 100), max_value=Fraction(99, 100)),
       st.sampled_from(["nearest", "down", "up"]), st.integers(min_value=0, max_value=500))
def test_enough_units_keep_a_taper_step_within_the_overcut_limit(reduction, mode, extra):
    """From cut_needs(r) units or more, one taper step never cuts beyond overcut_limit(r)."""
    n = cut_needs(reduction, mode) + extra
    c = min(round_to_int(n * (1 - reduction), mode), n - 1)
    cut = 1 - Fraction(c, n)
    assert not is_overcut(cut, reduction)
    assert overcut_limit(reduction) == reduction * OVERCUT_FACTOR


def test_overcut_flags_a_five_to_four_drop_step():
    """A 10 % taper: 5 -> 4 drops is a 20 % cut, beyond the 15 % limit (the docstring case)."""
    assert is_overcut(Fraction(1, 5), Fraction(1, 10))
    assert not is_overcut(Fraction(3, 20), Fraction(1, 10))
