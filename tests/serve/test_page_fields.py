"""The page's forms: each field reaches the library call with the value typed, and comes back."""

from __future__ import annotations

import html
import json
import re

import pytest

from ldn_compound.serve import _service as service
from ldn_compound.serve._forms import FORMS, PageNames, request_of
from ldn_compound.serve._models import TitrateIn
from ldn_compound.serve._page import answer, render_page
from ldn_compound.serve._record_forms import answer_record

from .record_form_samples import MASTER, batch_form


def _defaults(form: str) -> dict[str, str]:
    return {f.name: f.default for f in FORMS[form].fields}


def test_a_field_left_out_is_read_as_a_field_left_blank():
    """A form posted without a text field is the same request as with that field empty."""
    for form in ("measure", "dilution", "schedule"):
        for field in FORMS[form].fields:
            if field.choices and field.choices != ("checkbox",):
                continue  # a select left out is its default
            given = _defaults(form) | {"dose": "4.5 mg"}
            blank = given | {field.name: ""}
            left_out = {k: v for k, v in given.items() if k != field.name}
            assert request_of(form, left_out) == request_of(form, blank), (form, field.name)


def test_the_first_day_typed_reaches_the_schedule():
    values = _defaults("schedule") | {"start_date": "2027-01-04"}
    ladder, data = request_of("schedule", values)
    built, _ = service.schedule(ladder, TitrateIn.model_validate(data))
    assert built.to_dict() == service.schedule(ladder, TitrateIn.model_validate(
        data | {"start_date": "2027-01-04"}))[0].to_dict()
    assert str(built.start_date) == "2027-01-04"


def test_supply_without_a_preparation_is_the_libraries_default():
    """Ticking supply with no preparation field plans the library's default supply."""
    values = {k: v for k, v in _defaults("schedule").items() if k != "preparation"}
    ladder, data = request_of("schedule", values)
    built, supply = service.schedule(ladder, TitrateIn.model_validate(data))
    assert supply is not None and supply.to_dict() == built.supply().to_dict()


def test_allow_high_dose_is_named_by_the_form_it_is_on():
    """On the single-dose form, the tick box's label; elsewhere, also which form has it."""
    label = next(f.label for f in FORMS["measure"].fields if f.name == "allow_high_dose")
    title = FORMS["measure"].title
    assert f"\u201c{label}\u201d" in PageNames("measure")["allow_high_dose"]
    assert title not in PageNames("measure")["allow_high_dose"]
    for form in FORMS:
        if form != "measure":
            assert f"\u201c{title}\u201d" in PageNames(form)["allow_high_dose"]


def test_suggest_stock_ticked_shows_the_libraries_suggestion():
    values = _defaults("schedule") | {"suggest_stock": "on"}
    ladder, data = request_of("schedule", values)
    built, _ = service.schedule(ladder, TitrateIn.model_validate(data))
    result, errors = answer("schedule", values)
    assert errors == {}
    assert html.escape(built.suggest_stock().describe()) in result
    plain, _ = answer("schedule", _defaults("schedule"))
    assert html.escape(built.suggest_stock().describe()) not in plain


def test_the_labels_are_a_section_of_their_own():
    values = _defaults("schedule")
    ladder, data = request_of("schedule", values)
    _, supply = service.schedule(ladder, TitrateIn.model_validate(data))
    result, _ = answer("schedule", values)
    # the section opens right after the report, its heading first: no stray text around it
    section = re.search(r"(?<=>)<section class='labels'[^>]*>(<h2 .*?)</section>$", result,
                        re.S)
    assert section is not None and supply is not None
    assert section.group(1).count("<li class='label'>") == len(supply.labels)


def test_the_plot_is_no_taller_than_wide():
    """The plot keeps to a phone's width: its SVG is wider than tall."""
    result, _ = answer("schedule", _defaults("schedule"))
    svg = re.search(r"<svg[^>]*>", result)
    if svg is None:  # no matplotlib: a note instead
        assert "Plot not shown" in result
        return
    width = float(re.search(r'width="([\d.]+)pt"', svg.group(0)).group(1))
    height = float(re.search(r'height="([\d.]+)pt"', svg.group(0)).group(1))
    assert width >= height


def test_the_page_shows_the_values_typed_back():
    values = _defaults("measure") | {"dose": "4.5 mgg", "volume": "12 mL"}
    _, errors = answer("measure", values)
    page = render_page("measure", values, "", errors)
    assert "value='4.5 mgg'" in page and "value='12 mL'" in page


def test_every_aria_reference_names_an_element_of_the_page():
    values = _defaults("measure") | {"dose": "x"}
    _, errors = answer("measure", values)
    page = render_page("measure", values, "", errors)
    ids = set(re.findall(r"id='([^']+)'", page))
    for refs in re.findall(r"aria-describedby='([^']+)'", page):
        assert set(refs.split()) <= ids


def test_a_checkbox_is_checked_exactly_when_ticked():
    page = render_page("measure", _defaults("measure") | {"allow_high_dose": "on"}, "", {})
    box = re.search(r"<input type='checkbox' id='m-allow_high_dose'[^>]*>", page).group(0)
    assert box.endswith(" checked>")
    page = render_page("measure", _defaults("measure") | {"allow_high_dose": ""}, "", {})
    box = re.search(r"<input type='checkbox' id='m-allow_high_dose'[^>]*>", page).group(0)
    assert box.endswith("value='on'>")


def test_every_select_offers_its_choices_with_the_value_selected():
    values = _defaults("measure") | {"rounding": "down"}
    page = render_page("measure", values, "", {})
    select = re.search(r"<select id='m-rounding'[^>]*>(.*?)</select>", page).group(1)
    options = re.findall(r"<option( selected)?>([^<]*)</option>", select)
    assert [o for _, o in options] == ["nearest", "down", "up"]
    assert [o for s, o in options if s] == ["down"]


def test_a_batch_form_without_a_json_field_is_refused_beside_it():
    for name in ("components", "measured", "master"):
        values = {k: v for k, v in batch_form().items() if k != name}
        result, errors = answer_record("batch", values)
        assert result == "" and list(errors) == [name]


def test_the_master_answer_gives_the_components_to_fill_in():
    values = {"strength": "50 mg", "count": "1", "volume": "10 mL", "preparation": "aqueous"}
    result, _ = answer_record("formulation", values)
    text = re.search(r"<textarea id='f-copy-components'[^>]*>(.*?)</textarea>", result, re.S)
    components = json.loads(html.unescape(text.group(1)))
    assert set(components) == {k for k, _, _ in MASTER.formula.components}
    assert all(set(c) == {"manufacturer", "lot", "expiry"} for c in components.values())


def test_the_measure_form_is_the_libraries_measure():
    """Dose, stock, a syringe and rounding typed reach ``measure`` as typed."""
    from ldn_compound import OralSyringe, Stock, measure

    values = {"dose": "2.25 mg", "strength": "50 mg", "count": "1/2", "volume": "20 mL",
              "device": "syringe", "capacity": "3 mL", "drops_per_mL": "20",
              "rounding": "down"}
    result, errors = answer("measure", values)
    want = measure("2.25 mg", Stock.from_tablets("50 mg", "20 mL", "1/2"), OralSyringe("3 mL"),
                   rounding="down")
    assert errors == {} and result == want._repr_html_()


def test_the_dilution_form_is_the_libraries_plan():
    from ldn_compound import OralSyringe, plan_dilution

    values = {"dose": "20 mcg", "source": "50 mg", "capacity": "3 mL", "max_volume": "50 mL"}
    result, errors = answer("dilution", values)
    want = plan_dilution("20 mcg", "50 mg", OralSyringe("3 mL"), max_volume="50 mL")
    assert errors == {} and result == want._repr_html_()


def test_the_taper_form_is_the_libraries_taper():
    from ldn_compound import Dropper, Stock, taper

    values = _defaults("schedule") | {"ladder": "taper", "start": "4.5 mg", "reduction": "20 %",
                                      "floor": "1 mg", "every": "1 week", "supply": "",
                                      "drops_per_mL": "25"}
    result, errors = answer("schedule", values)
    want = taper("4.5 mg", "20 %", "1 week", Stock.from_tablets("50 mg", "10 mL", "1"),
                 Dropper(drops_per_mL=25), "1 mg")
    assert errors == {} and result.startswith(want._repr_html_())


@pytest.mark.parametrize(("form", "field", "bad"), [
    ("measure", "dose", "4.5 mgg"), ("measure", "volume", "ten"),
    ("measure", "drops_per_mL", "many"), ("dilution", "max_volume", "-1 mL"),
    ("schedule", "every", "often"), ("schedule", "start_date", "2027-13-40"),
    ("formulation", "bud", "soon"),
])
def test_a_bad_value_is_refused_beside_its_field_by_its_label(form, field, bad):
    values = _defaults(form) | {"dose": "4.5 mg", field: bad}
    result, errors = (answer_record if form == "formulation" else answer)(form, values)
    label = next(f.label for f in FORMS[form].fields if f.name == field)
    assert result == "" and list(errors) == [field]
    assert f"\u201c{label}\u201d" in errors[field]
