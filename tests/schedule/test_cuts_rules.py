"""The taper-cut arithmetic (``ldn_compound.schedule._cuts``) as rules, each function
checked against an independent exact reference (``Fraction`` and ``decimal``, never the
module's own code path).

- ``to_reduction``: None, or a fraction strictly between 0 and 1.
- ``taper_reduction``: ``reduction`` as given, or the deprecated ``percent`` / 100,
  refusing both, neither, a percent that also reads as a fraction, and one outside
  (1, 100).
- ``judge_cut``: a cut is flagged exactly when it is above ``OVERCUT_FACTOR`` times the
  reduction; the flag states the cut, the counts and the limit, and a stock and a
  device rounded *down* to 3 significant figures at which the dose before takes at
  least ``n`` units.
- ``_floor_sig``: the largest number of ``sig`` significant figures not above ``x``.
"""

from __future__ import annotations

import decimal
import math
import re
import warnings
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_compound import Dropper, OralSyringe, Stock
from ldn_compound._exact import format_number
from ldn_compound._rules import OVERCUT_FACTOR
from ldn_compound.errors import InputError
from ldn_compound.measurement import Measurement
from ldn_compound.rendering import format_concentration, format_mass, format_volume
from ldn_compound.schedule import _cuts

ROUNDINGS = ("nearest", "down", "up")
STOCKS = (Stock.from_tablets("50 mg", "10 mL"), Stock.from_tablets("4.5 mg", "30 mL"),
          Stock.from_concentration("1 mg/mL", "100 mL"),
          Stock.from_concentration("0.25 mg/mL", "50 mL"))
DEVICES = (Dropper(20), Dropper(25), OralSyringe("1 mL", "0.01 mL"),
           OralSyringe("10 mL", "0.2 mL"))


# -- independent references --------------------------------------------------------------
def floor_sig_reference(x: Fraction, sig: int) -> Fraction:
    """``x`` rounded down to ``sig`` significant figures by decimal's correctly rounded
    division (a different algorithm from the module's power-of-ten search)."""
    ctx = decimal.Context(prec=sig, rounding=decimal.ROUND_FLOOR, Emin=-999999,
                          Emax=999999)
    return Fraction(ctx.divide(decimal.Decimal(x.numerator), decimal.Decimal(x.denominator)))


def needs_reference(reduction: Fraction, rounding: str) -> int:
    """Fewest units the dose before a step must take (the derivation in
    ``_rules.cut_needs``' docstring: 1/r, or 2/r rounding down, scaled by the margin
    ``2 (OVERCUT_FACTOR - 1)``), by ``math.ceil`` on the exact value."""
    return math.ceil(Fraction(2 if rounding == "down" else 1) / reduction
                     / (2 * (OVERCUT_FACTOR - 1)))


# -- strategies --------------------------------------------------------------------------
positive = st.builds(lambda n, d, k: Fraction(n, d) * Fraction(10) ** k,
                     st.integers(1, 10 ** 6), st.integers(1, 10 ** 6), st.integers(-300, 290))
# powers of ten and their neighbours (a float's log10 of x just below 10**k is k: one
# figure too many until corrected), and the subnormal range, where float(x) is off by
# several per cent and log10 one too low (the other correction)
edges = st.builds(lambda m, k, d: Fraction(m) * Fraction(10) ** k * (1 + d),
                  st.sampled_from([1, 9, 10, 99, 100, 101, 999, 1000, 9999]),
                  st.integers(-30, 30), st.sampled_from([0, Fraction(1, 10 ** 20),
                                                         -Fraction(1, 10 ** 20)]))
subnormal = st.builds(lambda n, k: Fraction(1000 + n, 1000) * Fraction(10) ** k,
                      st.integers(0, 300), st.integers(-323, -312))
magnitudes = st.one_of(positive, edges, subnormal)
reductions = st.fractions(min_value=Fraction(1, 1000), max_value=Fraction(999, 1000),
                          max_denominator=1000).filter(lambda r: 0 < r < 1)


def _measurement(stock, device, count):
    return Measurement(Fraction(count) * stock.concentration_mg_per_ml
                       * device.unit_volume_ml, stock, device, "nearest", count)


# -- _floor_sig --------------------------------------------------------------------------
@given(magnitudes, st.integers(1, 6))
def test_floor_sig_is_the_largest_number_of_sig_figures_not_above(x, sig):
    """The result equals the decimal reference, is not above ``x``, and has at most
    ``sig`` significant figures."""
    got = _cuts._floor_sig(x, sig)
    assert got == floor_sig_reference(x, sig)
    assert 0 < got <= x


@given(magnitudes)
def test_floor_sig_defaults_to_three_figures(x):
    """Without ``sig``, three significant figures (the suggestions' precision)."""
    assert _cuts._floor_sig(x) == floor_sig_reference(x, 3)


# -- to_reduction ------------------------------------------------------------------------
@given(st.one_of(st.none(), st.fractions(min_value=-2, max_value=3)))
def test_to_reduction_is_none_or_strictly_between_0_and_1(value):
    """None passes; a fraction strictly inside (0, 1) is returned exactly; anything else
    is an InputError naming ``reduction``."""
    if value is None or 0 < value < 1:
        assert _cuts.to_reduction(value) == value
        return
    with pytest.raises(InputError) as info:
        _cuts.to_reduction(value)
    assert info.value.parameter == "reduction" and info.value.expected


# -- taper_reduction ---------------------------------------------------------------------
percents = st.one_of(st.sampled_from([0, 1, 100, Fraction(1, 2), Fraction(101, 100),
                                      Fraction(9999, 100), Fraction(10001, 100), -1]),
                     st.fractions(min_value=-5, max_value=120, max_denominator=1000))


@given(st.one_of(st.none(), st.fractions(min_value=-1, max_value=2)))
def test_taper_reduction_without_percent_is_the_reduction(reduction):
    """No ``percent``: the reduction itself (no warning), or refused naming ``reduction``
    (None included: a taper needs a cut)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        if reduction is not None and 0 < reduction < 1:
            assert _cuts.taper_reduction(reduction, None) == reduction
            return
        with pytest.raises(InputError) as info:
            _cuts.taper_reduction(reduction, None)
    assert info.value.parameter == "reduction" and info.value.value == reduction
    assert isinstance(info.value.expected, str) and info.value.expected


@given(percents, st.one_of(st.none(), reductions))
def test_taper_reduction_percent_is_a_deprecated_percentage(percent, reduction):
    """``percent`` warns (DeprecationWarning); with ``reduction`` too it is refused;
    alone it is percent / 100 exactly when 1 < percent < 100, else refused naming it;
    a percent in (0, 1] is refused showing both readings, with the numbers of each."""
    with pytest.warns(DeprecationWarning) as warned:
        if reduction is None and 1 < percent < 100:
            assert _cuts.taper_reduction(None, percent) == Fraction(percent) / 100
            assert all("reduction=" in str(w.message) for w in warned)  # names the new way
            return
        with pytest.raises(InputError) as info:
            _cuts.taper_reduction(reduction, percent)
    assert info.value.parameter == "percent" and info.value.value == percent
    assert isinstance(info.value.expected, str) and info.value.expected
    both = reduction is None and 0 < percent <= 1
    assert ("reads as" in info.value.expected) == both
    if both:
        pct = Fraction(percent)
        a, b, c = format_number(pct), format_number(pct * 100), format_number(pct / 100)
        shown = re.search(r"percent=(\S+) .* mean (\S+) %; pass reduction=(\S+) for (\S+) %"
                          r" or reduction=(\S+) for (\S+) %", info.value.expected)
        assert shown is not None and shown.groups() == (a, b, c, a, a, b)


@pytest.mark.parametrize(("reduction", "percent", "parameter"), [
    (None, "ten", "percent"),
    (None, [10], "percent"),
    (None, float("nan"), "percent"),
    ("ten", None, "reduction"),
    (0, None, "reduction"),
    (1, None, "reduction"),
])
def test_taper_reduction_bad_inputs(reduction, percent, parameter):
    """Each bad input is the library's InputError naming the field, saying what it takes
    (for text that is no number: the range, 1 to 100)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(InputError) as info:
            _cuts.taper_reduction(reduction, percent)
    assert info.value.parameter == parameter and isinstance(info.value.expected, str)
    if percent == "ten":  # not a number at all: the refusal states the range
        assert "1" in info.value.expected and "100" in info.value.expected


# -- judge_cut ---------------------------------------------------------------------------
PROBLEM = re.compile(r"a cut of (?P<cut>\S+) % from the step before \((?P<before>[\d,]+) to "
                     r"(?P<now>[\d,]+) (?P<units>[a-z]+)\), beyond the requested "
                     r"(?P<reduction>\S+) % \(flagged above (?P<limit>\S+) %\)")
FIX = re.compile(r"Would work: a stock of at most (?P<conc>\S+ m?c?g/mL) \((?P<mass>\S+ m?c?g)"
                 r" is then at least (?P<n>[\d,]+) (?P<units>[a-z]+)\), or a device of at most"
                 r" (?P<volume>\S+ mL) a (?P<unit>[a-z]+)")


@given(st.sampled_from(STOCKS), st.sampled_from(DEVICES), st.integers(2, 3000),
       st.data(), reductions, st.sampled_from(ROUNDINGS))
def test_judge_cut_flags_exactly_a_cut_beyond_the_limit(stock, device, count, data,
                                                        reduction, rounding):
    """None for a cut up to ``OVERCUT_FACTOR`` x the reduction (the limit itself
    included); beyond it a problem stating the cut (3 figures), the counts, the
    reduction and the limit, and a fix whose stock and device are the exact bounds
    rounded down to 3 figures, so the dose before is at least ``n`` units of either."""
    limit = reduction * OVERCUT_FACTOR
    now_count = data.draw(st.integers(1, count - 1))
    cut = data.draw(st.one_of(st.just(Fraction(count - now_count, count)), st.just(limit),
                              st.fractions(min_value=0, max_value=1)))
    before = _measurement(stock, device, count)
    now = _measurement(stock, device, now_count)
    got = _cuts.judge_cut(cut, reduction, before, now, rounding)
    if cut <= limit:
        assert got is None
        return
    assert got is not None
    problem, fix = (PROBLEM.fullmatch(got[0]), FIX.fullmatch(got[1]))
    assert problem is not None and fix is not None, got
    assert problem.groupdict() == {
        "cut": format_number(cut * 100, 3), "before": f"{count:,}", "now": f"{now_count:,}",
        "units": device.units, "reduction": format_number(reduction * 100),
        "limit": format_number(limit * 100)}
    n = needs_reference(reduction, rounding)
    dose = before.exact_delivered
    conc = floor_sig_reference(dose / (n * device.unit_volume_ml), 3)
    unit_ml = floor_sig_reference(dose / (n * stock.concentration_mg_per_ml), 3)
    assert dose / (conc * device.unit_volume_ml) >= n  # rounded down: never fewer units
    assert dose / (stock.concentration_mg_per_ml * unit_ml) >= n
    assert fix.groupdict() == {
        "conc": format_concentration(conc), "mass": format_mass(dose), "n": f"{n:,}",
        "units": device.units, "volume": format_volume(unit_ml), "unit": device.unit}


def test_judge_cut_worked_example():
    """The module docstring's example: a 10 % taper whose dose falls from 5 to 4 drops
    cuts 20 %, above the 15 % limit (``_rules``: the reduction and half of it again), so
    it is flagged; the same step of a 20 % taper (limit 30 %) is not."""
    stock, device = STOCKS[0], DEVICES[0]
    before, now = _measurement(stock, device, 5), _measurement(stock, device, 4)
    cut = 1 - now.exact_delivered / before.exact_delivered
    assert cut == Fraction(1, 5)
    assert _cuts.judge_cut(cut, Fraction(1, 10), before, now, "nearest") is not None
    assert _cuts.judge_cut(cut, Fraction(1, 5), before, now, "nearest") is None
