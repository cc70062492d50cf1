"""Properties of the rules every display shares: names per front end, HTML text, CSV numbers."""

from __future__ import annotations

import html
import re
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from ldn_compound.errors import named
from ldn_compound.rendering import csv_number, html_text

identifiers = st.from_regex(r"[a-z][a-z0-9_]{0,12}(\(\))?", fullmatch=True)
plain = st.text(st.characters(blacklist_characters="{}"), max_size=40)


@given(st.lists(st.tuples(plain, identifiers), max_size=4), plain,
       st.dictionaries(identifiers, plain, max_size=4))
def test_named_writes_each_reference_as_the_front_end_says(parts, tail, names):
    """Each `{name}` becomes names[name] (else the name itself); text around it is kept."""
    text = "".join(f"{before}{{{name}}}" for before, name in parts) + tail
    expected = "".join(before + names.get(name, name) for before, name in parts) + tail
    assert named(text, names) == expected
    assert named(text) == "".join(before + name for before, name in parts) + tail


@given(st.text(max_size=80))
def test_html_text_shows_the_same_words(text):
    """html_text only escapes and keeps numbers with units: the words read the same."""
    shown = html_text(text)
    assert "<" not in re.sub(r"</?span[^>]*>", "", shown)
    back = html.unescape(re.sub(r"</?span[^>]*>", "", shown)).replace("\u00a0", " ")
    assert back == text.replace("\u00a0", " ")


@given(st.integers(0, 10**6), st.integers(0, 400), st.integers(1, 1000))
def test_html_text_never_splits_a_number_from_its_unit(n, tenths, days):
    """'1.5 mg', '0 to 13' and an ISO date never break across lines."""
    text = f"{n}.{tenths} mg in {days} days, days 0 to {days}, from 2026-11-22"
    shown = html_text(text)
    assert f"{n}.{tenths}\u00a0mg" in shown and f"{days}\u00a0days" in shown
    assert f"0\u00a0to\u00a0{days}" in shown
    assert "<span style='white-space:nowrap'>2026-11-22</span>" in shown


@given(st.fractions(min_value=0, max_value=10**6, max_denominator=10**6))
def test_csv_number_is_a_plain_number_close_to_the_exact_value(x):
    """A CSV cell reads as a number (no unit, no separator) within 8 significant digits."""
    cell = csv_number(x)
    assert cell is not None and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", cell), cell
    value = Fraction(cell)
    assert abs(value - x) <= abs(x) * Fraction(1, 10**7)
    if x.denominator in (1, 2, 4, 5, 8, 10, 20, 100):  # short decimals are exact
        assert value == x
