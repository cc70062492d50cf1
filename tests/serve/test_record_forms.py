"""The page's USP <795> record forms: each bad input refused beside its field, a fuzz.

The master formulation form and the batch (compounding) record form are
posted as a browser without JavaScript posts them; a refusal is the
library's one-line message beside the input it names, with status 422 (as
the page's other forms), never a 500. A batch made as planned is ok and
labelled; one out of tolerance or failing its appearance check is FAILED,
visibly, with no label.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("fastapi")

from ldn_compound.serve._forms import FORMS
from ldn_compound.serve._page import answer

from .record_form_samples import MASTER, batch_form

#: what looks like Python (as tests/test_front_end_words.py): snake_case, calls, None
PYTHON = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\w\(\)|\bNone\b|=True\b|\bself\b")
#: a choice's own value (aqueous_preserved), offered by the page as it is
ALLOWED = {c for form in FORMS.values() for f in form.fields for c in f.choices}


@pytest.fixture(scope="module")
def client():
    from fastapi.testclient import TestClient

    from ldn_compound.serve import create_app

    return TestClient(create_app())


def _master_form(**changes: str) -> dict[str, str]:
    return {f.name: f.default for f in FORMS["formulation"].fields} | changes


def _expired() -> str:
    return json.dumps({k: {"manufacturer": "Maker", "lot": "L1", "expiry": "2026-01-31"}
                       for k, _, _ in MASTER.formula.components})


BAD = [
    ("formulation", _master_form(volume="ten"), "f-volume"),
    ("formulation", _master_form(volume="10 mg"), "f-volume"),
    ("formulation", _master_form(strength="50 mL"), "f-strength"),
    ("formulation", _master_form(count="0"), "f-count"),
    ("formulation", _master_form(preparation="solid"), "f-preparation"),
    ("formulation", _master_form(bud="soon"), "f-bud"),
    ("batch", batch_form(master="{"), "b-master"),
    ("batch", batch_form(master=""), "b-master"),
    ("batch", batch_form(master="[1, 2]"), "b-master"),
    ("batch", batch_form(master='{"schema": "x"}'), "b-master"),
    ("batch", batch_form(master=MASTER.to_json().replace('"10 mL"', '"11 mL"', 1)),
     "b-master"),
    ("batch", batch_form(components=_expired()), "b-components"),
    ("batch", batch_form(components="{}"), "b-components"),
    ("batch", batch_form(components='{"drug": 1}'), "b-components"),
    ("batch", batch_form(measured="NaN"), "b-measured"),
    ("batch", batch_form(measured='{"tablets": "1"}'), "b-measured"),
    ("batch", batch_form(amounts={"final volume": "ten"}), "b-measured"),
    ("batch", batch_form(date="2026-13-01"), "b-date"),
    ("batch", batch_form(date="1999-12-31"), "b-date"),
    ("batch", batch_form(batch="B 1; give 50 mg"), "b-batch"),
    ("batch", batch_form(preparer=""), "b-preparer"),
    ("batch", batch_form(verifier="A\nB"), "b-verifier"),
    ("batch", batch_form(appearance="maybe"), "b-appearance"),
]


@pytest.mark.parametrize(("form", "values", "field"), BAD)
def test_a_bad_input_is_refused_beside_its_field(client, form, values, field):
    """Without JavaScript: 422, the error beside the input it names, no Python name."""
    r = client.post(f"/form/{form}", data=values)
    assert r.status_code == 422
    assert f"id='{field}-error' role='alert'" in r.text
    assert f"id='{field}' name=" in r.text and "aria-invalid='true'" in r.text
    message = re.search(f"id='{field}-error' role='alert'>(.*?)</p>", r.text)[1]
    label = next(f.label for f in FORMS[form].fields if f"-{f.name}" in field)
    assert message.startswith("\u201c" + label.replace("<", "&lt;").replace(">", "&gt;"))


def test_the_master_answer_gives_what_the_batch_form_takes(client):
    """The master record, printable, and its JSON to copy; pasted back, a batch reads it."""
    r = client.post("/form/formulation", data=_master_form())
    assert r.status_code == 200
    assert "Master formulation record: Naltrexone" in r.text and "Print record" in r.text
    copied = re.search(r"id='f-copy-master' readonly rows='6'>(.*?)</textarea>", r.text, re.S)
    import html

    master = json.loads(html.unescape(copied[1]))
    assert master == MASTER.to_dict()  # the form's defaults: one 50 mg tablet in 10 mL
    r = client.post("/form/batch", data=batch_form(master=json.dumps(master)))
    assert r.status_code == 200 and "class='verdict ok'" in r.text and "Label:" in r.text


@pytest.mark.parametrize("values", [
    batch_form(amounts={"final volume": "12 mL"}),  # 20 % over: out of tolerance
    batch_form(appearance="fail"),
])
def test_a_failed_batch_says_so_and_has_no_label(client, values):
    """Colour (the class), a warning sign and the word FAILED; no label anywhere."""
    r = client.post("/form/batch", data=values)
    assert r.status_code == 200
    assert "class='verdict failed' role='alert'" in r.text and "\u26a0" in r.text
    assert "FAILED" in r.text and "Label:" not in r.text


CLINICAL = ["50 mg", "10 mL", "1", "1/2", "2026-12-06", "1999-01-01", "9999-12-31", "pass",
            "fail", "", "{}", "[]", "null", "NaN", "1e999", '{"drug": {}}', "B-1",
            '{"tablets": "1", "final volume": "10.05 mL"}', "30 days", "aqueous", "solid"]


@st.composite
def posted(draw):
    """A record form, valid values, then some fields replaced by clinical or random text."""
    form = draw(st.sampled_from(["formulation", "batch"]))
    values = _master_form() if form == "formulation" else batch_form()
    for name in draw(st.lists(st.sampled_from(sorted(values)), max_size=4, unique=True)):
        values[name] = draw(st.sampled_from(CLINICAL) | st.text(max_size=20))
    return form, values


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(posted())
def test_any_record_form_gives_a_record_or_errors_beside_its_fields(case):
    """A record, or one-line errors beside a field; no Python name but what was typed."""
    form, values = case
    result, errors = answer(form, values)
    assert bool(result) != bool(errors)
    fields = {f.name for f in FORMS[form].fields}
    for key, message in errors.items():
        assert key in fields | {""} and "\n" not in message and message
        for typed in values.values():  # what was typed may come back as it was typed
            message = message.replace(typed[:40], "") if typed else message
        assert {m for m in PYTHON.findall(message) if m not in ALLOWED} == set(), message
