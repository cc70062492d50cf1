"""What a pharmacist reads on the page or the command line names no Python identifier.

Advice is written for the front end that shows it: a flag on the command line,
a field's label on the page. Each case runs the real page handler or the real
command line and scans everything it shows for a Python name: a snake_case
keyword (``allow_high_dose``), a call (``taper()``), ``None`` or ``=True``.
"""

from __future__ import annotations

import re

import pytest
from serve.record_form_samples import batch_form  # tests/serve (tests/ is on the path)

from ldn_compound.cli import main

#: what looks like Python: a keyword, a call, None, a keyword argument
PYTHON = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\w\(\)|\bNone\b|=True\b|\bself\b")
#: snake_case words a pharmacist chooses or types as they are (choice values)
ALLOWED = {"aqueous_preserved", "preserved_glycerol"}

_TABLET = ("--tablet", "50 mg", "--volume", "10 mL")
CLI_CASES = [
    ("measure", "--dose", "50 mg", *_TABLET, "--dropper", "20"),  # decimal slip
    ("measure", "--dose", "1 mg", "--tablet", "50 mg", "--volume", "0.5 mL", "--dropper", "20"),
    ("measure", "--dose", "1 mg", *_TABLET, "--droper", "20"),  # mistyped flag
    ("schedule", "--start", "4.5 mg", "--step", "0.5 mg", "--target", "1.5 mg", "--every",
     "2 weeks", *_TABLET, "--dropper", "20"),  # downward titration
    ("titrate", "--start", "4.5 mg", "--step", "0.5 mg", "--target", "1.5 mg", "--every",
     "2 weeks", *_TABLET, "--dropper", "20"),
    ("titrate", "--start", "1.5 mg", "--step", "0.5 mg", "--target", "1.5 mg", "--every",
     "2 weeks", *_TABLET, "--dropper", "20"),  # one dose
    ("schedule", "--taper", "--start", "4.5 mg", "--every", "2 weeks", "--floor", "0.5 mg",
     *_TABLET, "--dropper", "20"),  # no reduction
    ("schedule", "--taper", "--start", "4.5 mg", "--reduction", "10 %", "--every", "2 weeks",
     "--floor", "0.5 mg", *_TABLET, "--dropper", "20"),  # flagged steps and their fixes
    ("taper", "--start", "4.5 mg", "--floor", "0.5 mg", "--every", "14 days", *_TABLET,
     "--syringe", "1 mL"),  # no reduction
    ("dilute", "--dose", "1 mcg", "--tablet", "50 mg", "--transfer-syringes", "10 mL",
     "--cylinders", "10 mL"),  # no plan: the suggestion names flags
]


def _python_names(text: str) -> set[str]:
    return {m for m in PYTHON.findall(text) if m not in ALLOWED}


@pytest.mark.parametrize("argv", CLI_CASES, ids=lambda a: " ".join(a[:3]))
def test_the_command_line_shows_no_python_name(argv, capsys):
    """Errors, warnings and results of the command line name flags, never keywords."""
    main(list(argv))
    out = capsys.readouterr()
    assert _python_names(out.out + out.err) == set(), out.out + out.err


_STOCK = {"strength": "50 mg", "count": "1", "volume": "10 mL", "device": "dropper",
          "drops_per_mL": "20", "rounding": "nearest"}
_LADDER = {**_STOCK, "every": "2 weeks", "supply": "on", "preparation": "aqueous"}
PAGE_CASES = [
    ("measure", {**_STOCK, "dose": "50 mg"}),  # decimal slip: the page's own control
    ("measure", {**_STOCK, "dose": "1 mg", "volume": "0.5 mL"}),
    ("measure", {**_STOCK, "dose": ""}),
    ("measure", {**_STOCK, "dose": "4.5 mg%"}),
    ("schedule", {**_LADDER, "ladder": "titrate", "start": "4.5 mg", "step": "0.5 mg",
                  "target": "1.5 mg"}),
    ("schedule", {**_LADDER, "ladder": "titrate", "start": "1.5 mg", "step": "0.5 mg",
                  "target": "1.5 mg"}),
    ("schedule", {**_LADDER, "ladder": "taper", "start": "4.5 mg", "reduction": "10 %",
                  "floor": "0.5 mg", "suggest_stock": "on"}),
    ("schedule", {**_LADDER, "ladder": "taper", "start": "4.5 mg", "reduction": "",
                  "floor": "0.5 mg"}),
    ("dilution", {"dose": "1 mcg", "source": "50 mg", "capacity": "1 mL",
                  "max_volume": "5 mL"}),
    ("formulation", {"strength": "50 mg", "count": "1", "volume": "10 mL",
                     "preparation": "aqueous", "bud": ""}),
    ("formulation", {"strength": "50 mg", "count": "1", "volume": "10 mL",
                     "preparation": "solid", "bud": "30"}),
    ("batch", batch_form()),
    ("batch", batch_form(amounts={"final volume": "12 mL"}, appearance="fail")),
    ("batch", batch_form(master='{"schema": "x"}')),
    ("batch", batch_form(components="{}")),
    ("batch", batch_form(amounts={"tablets": "1/3"})),
]


@pytest.mark.parametrize(("form", "values"), PAGE_CASES)
def test_the_page_shows_no_python_name(form, values):
    """Errors and results on the page name its fields, never keywords."""
    import html

    pytest.importorskip("fastapi")
    from ldn_compound.serve._page import answer

    result, errors = answer(form, values)
    text = re.sub(r"<svg.*?</svg>", "", result, flags=re.S)  # the plot's own markup
    # a record's JSON, offered to copy into the batch form: data, not words to read
    text = re.sub(r"<textarea[^>]*readonly[^>]*>.*?</textarea>", "", text, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text)) + " ".join(errors.values())
    assert text.strip()
    assert _python_names(text) == set(), text


def test_the_decimal_slip_names_the_page_control():
    """A dose of 45 mg or more on the page points at the page's high-dose box."""
    pytest.importorskip("fastapi")
    from ldn_compound.serve._page import answer

    _, errors = answer("measure", {**_STOCK, "dose": "50 mg"})
    assert "High dose intended" in errors["dose"]
    result, errors = answer("measure", {**_STOCK, "dose": "50 mg", "allow_high_dose": "on"})
    assert errors == {} and "200 drops" in result.replace("\xa0", " ")
