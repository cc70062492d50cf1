"""The page at desktop and phone width, checked by axe-core and by what fits on screen.

Each scene (the empty page, a measure result, an error, a titration with supply,
a taper, a dilution, a master formulation record and a failed batch record) is shown
at 1280 x 900 and at 390 x 844 (a phone).
axe-core (the ``axe-core-python`` package ships its ``axe.min.js``) must report
no violation; no page may scroll sideways; on a phone every step's verdict must
lie within the screen's width. Flagged steps must look unlike ok ones, and the
print stylesheets must print the label sheet alone, or the result without forms.
"""

from __future__ import annotations

import pytest

from .record_form_samples import batch_form
from .test_browser import fill, wait_text

SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
#: scene -> (field id -> text typed or option chosen, the submit button; "" for none)
SCENES = {
    "empty": ({}, ""),
    "measure": ({"m-dose": "4.5 mg"}, "m-submit"),
    "error": ({"m-dose": "4.5 mg%"}, "m-submit"),
    "titration": ({}, "s-submit"),
    # a taper with flagged steps: no supply, since a flagged step is never labelled
    "taper": ({"s-ladder": "taper", "s-start": "4.5 mg", "s-supply": False}, "s-submit"),
    "dilution": ({"d-dose": "1 mcg"}, "d-submit"),
    "formulation": ({}, "f-submit"),  # a master formulation record, its JSON to copy
    # a failed batch (20 % over volume): its verdict and the flagged amount
    "batch": ({f"b-{k}": v for k, v in batch_form(amounts={"final volume": "12 mL"}).items()
               if k != "appearance"}, "b-submit"),
}


def _show(driver, url: str, scene: str, size: str) -> None:
    """Open the page at ``size`` and submit ``scene``'s form; waits for the answer."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.expected_conditions import staleness_of
    from selenium.webdriver.support.ui import Select, WebDriverWait

    fields, button = SCENES[scene]
    driver.set_window_size(*SIZES[size])
    driver.get(url + "/")
    for ident, text in fields.items():
        box = driver.find_element(By.ID, ident)
        if box.tag_name == "select":
            Select(box).select_by_visible_text(text)
        elif box.tag_name == "textarea":  # a record's JSON, pasted rather than typed
            driver.execute_script("arguments[0].value = arguments[1];", box, text)
        elif isinstance(text, bool):
            if box.is_selected() != text:
                box.click()
        else:
            fill(driver, ident, text)
    if button:
        page = driver.find_element(By.TAG_NAME, "html")
        driver.find_element(By.ID, button).click()
        # the answer is a new page: wait for it, so no lookup reads the page being replaced
        # (Chromium may answer "node does not belong to the document" mid-swap: asked again)
        WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(
            staleness_of(page))
        wait_text(driver, "m-dose-error" if scene == "error" else "result")


def _violations(driver) -> list[str]:
    from axe_core_python.selenium import Axe

    found = Axe().run(driver)["violations"]
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in found]


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("scene", list(SCENES))
def test_no_accessibility_violation_and_nothing_off_screen(browser, server_url, scene, size):
    """axe-core finds nothing; the page never scrolls sideways; a phone shows every verdict."""
    _show(browser, server_url, scene, size)
    assert _violations(browser) == []
    wide = browser.execute_script(
        "var e = document.scrollingElement; return [e.scrollWidth, e.clientWidth];")
    assert wide[0] <= wide[1], wide
    verdicts = browser.execute_script(
        "return Array.from(document.querySelectorAll(\"td[data-label='Verdict']\"))"
        ".map(function (td) { return td.getBoundingClientRect().right; });")
    if scene in ("titration", "taper"):
        assert verdicts
    if size == "phone":
        width = browser.execute_script("return document.documentElement.clientWidth;")
        assert all(right <= width for right in verdicts), (verdicts, width)


def test_axe_finds_a_violation_where_there_is_one(browser):
    """The checker itself works: an image without a text alternative is reported."""
    browser.get("data:text/html,<!doctype html><html lang='en'><title>t</title>"
                "<main><img src='x.png'></main></html>")
    assert any(v.startswith("image-alt") for v in _violations(browser))


def test_a_flagged_step_looks_unlike_an_ok_one(browser, server_url):
    """Colour, a warning sign and the word: a flagged step stands out at both widths."""
    from selenium.webdriver.common.by import By

    for size in SIZES:
        _show(browser, server_url, "taper", size)
        steps = browser.find_elements(By.CSS_SELECTOR, "#result table.steps")[0]
        flagged = steps.find_elements(By.CSS_SELECTOR, "tr.flagged")
        ok = [row for row in steps.find_elements(By.CSS_SELECTOR, "tbody tr")
              if "flagged" not in (row.get_attribute("class") or "")]
        assert flagged and ok
        for prop in ("color", "background-color", "font-weight"):
            cell = "td[data-label='Dose']"
            assert (flagged[0].find_element(By.CSS_SELECTOR, cell).value_of_css_property(prop)
                    != ok[0].find_element(By.CSS_SELECTOR, cell).value_of_css_property(prop))
        verdict = flagged[0].find_element(By.CSS_SELECTOR, "td[data-label='Verdict']").text
        assert "\u26a0" in verdict and "FLAGGED" in verdict


def _shown(driver, selector: str) -> bool:
    return bool(driver.execute_script(
        "var e = document.querySelector(arguments[0]);"
        "return !!e && e.getClientRects().length > 0;", selector))


def test_print_labels_prints_the_label_sheet_only(browser, server_url):
    """Printing shows the result without forms; "Print labels" shows the labels alone."""
    from selenium.webdriver.common.by import By

    _show(browser, server_url, "titration", "desktop")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert _shown(browser, "#result table.steps") and _shown(browser, ".label")
        assert not _shown(browser, "form") and not _shown(browser, "header")
        # the button as a person clicks it on screen (print media hides buttons)
        browser.execute_script("window.print = function () {};"  # no print dialog here
                               "document.querySelector('button.print').click();")
        assert _shown(browser, ".labels") and _shown(browser, ".label")
        for gone in ("#result table.steps", "#result .plot", "form", "header",
                     "#result > .ldn-compound"):
            assert not _shown(browser, gone), gone
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    labels = browser.find_elements(By.CSS_SELECTOR, "#result .label")
    assert len(labels) == len(set(label.text for label in labels)) > 0
    page = browser.find_element(By.ID, "result").text
    assert "Label 1:" not in page  # each label once, as a card


def test_print_record_prints_the_record_only(browser, server_url):
    """"Print record" prints the master record alone: no forms, no JSON to copy."""
    _show(browser, server_url, "formulation", "desktop")
    assert _shown(browser, "details.copy")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        browser.execute_script("window.print = function () {};"
                               "document.querySelector('button.print').click();")
        assert _shown(browser, ".record table.facts") and _shown(browser, ".record .steps")
        for gone in ("form", "header", "details.copy", "button.print"):
            assert not _shown(browser, gone), gone
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_a_failed_batch_looks_unlike_an_ok_one(browser, server_url):
    """Colour, a warning sign and the word FAILED; the amount out of tolerance flagged."""
    from selenium.webdriver.common.by import By

    _show(browser, server_url, "batch", "phone")
    verdict = browser.find_element(By.CSS_SELECTOR, "#result .verdict")
    assert "\u26a0" in verdict.text and "FAILED" in verdict.text
    assert verdict.value_of_css_property("color") != browser.find_element(
        By.CSS_SELECTOR, "#result .title").value_of_css_property("color")
    flagged = browser.find_elements(By.CSS_SELECTOR, "#result tr.flagged")
    assert len(flagged) == 1 and "OUT" in flagged[0].text
    assert "Label:" not in browser.find_element(By.ID, "result").text


def test_a_high_dose_is_entered_with_the_page_s_own_control(browser, server_url):
    """50 mg is refused, naming the "High dose intended" box; ticked, it is measured."""
    from selenium.webdriver.common.by import By

    _show(browser, server_url, "measure", "desktop")
    fill(browser, "m-dose", "50 mg")
    browser.find_element(By.ID, "m-submit").click()
    assert "High dose intended" in wait_text(browser, "m-dose-error")
    browser.find_element(By.ID, "m-allow_high_dose").click()
    browser.find_element(By.ID, "m-submit").click()
    assert "200 drops" in wait_text(browser, "result").replace("\xa0", " ")


def _luminance(rgb: tuple[int, ...]) -> float:
    """WCAG relative luminance of an sRGB colour."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_the_focus_ring_has_3_to_1_contrast_on_white(browser, server_url):
    """WCAG 1.4.11: the keyboard focus ring stands out at least 3:1 from the white page."""
    import re

    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _show(browser, server_url, "empty", "desktop")
    browser.find_element(By.ID, "m-dose").send_keys(Keys.TAB)  # keyboard focus: focus-visible
    outline, style = browser.execute_script(
        "var s = getComputedStyle(document.activeElement); return [s.outlineColor,"
        " s.outlineStyle];")
    assert style == "solid"
    ring = tuple(int(n) for n in re.findall(r"\d+", outline)[:3])
    white = 1.0  # the page's background: no colour set, so the canvas's white
    assert (white + 0.05) / (_luminance(ring) + 0.05) >= 3
