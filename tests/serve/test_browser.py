"""The page in a real browser: headless Chromium (Debian's) driven by Selenium.

What is read is what a person sees: the text of the result and of the error
beside a field. Chromium is a system package the README's two commands cannot install: without
it these tests skip, naming the command that installs it; with ``CI=true`` they fail instead,
so CI can never pass with them skipped (``.ci/run`` installs both packages first).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator

from selenium import webdriver
from system_packages import require_system_program

CHROMIUM = require_system_program("chromium", "apt-get install chromium chromium-driver")
CHROMEDRIVER = require_system_program("chromedriver", "apt-get install chromium chromium-driver")

#: flags known to work on this machine kind (no network beyond loopback)
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--window-size=1280,1600")


@contextlib.contextmanager
def new_browser() -> Iterator[object]:
    """One headless Chromium with a fresh profile (also used by tools/page_screenshots.py)."""
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="ldn-chromium-")
    options = Options()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def fill(driver, field_id: str, text: str) -> None:
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.ID, field_id)
    box.clear()
    box.send_keys(text)


def text_of(driver, element_id: str) -> str:
    from selenium.webdriver.common.by import By

    return str(driver.find_element(By.ID, element_id).text)


def wait_text(driver, element_id: str, seconds: float = 30) -> str:
    """The element's text once the submitted page has put some there.

    The page replaces the result's content as it renders, so an element found a
    moment ago can be stale: it is looked up again until the text is read.
    """
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def text(d):
        found = d.find_elements(By.ID, element_id)
        return found[0].text.strip() if found else ""

    WebDriverWait(driver, seconds, ignored_exceptions=(StaleElementReferenceException,)
                  ).until(text)
    return str(WebDriverWait(driver, seconds, ignored_exceptions=(
        StaleElementReferenceException,)).until(lambda d: text_of(d, element_id)))


def test_the_18_drop_example(browser, server_url):
    """50 mg tablet in 10 mL, 4.5 mg, 20 drops/mL: the page says 18 drops (README example)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(server_url + "/")
    assert browser.find_element(By.CSS_SELECTOR, "label[for='m-dose']").text == "Dose"
    fill(browser, "m-dose", "4.5 mg")
    browser.find_element(By.ID, "m-dose").send_keys(Keys.ENTER)  # the keyboard submits
    result = wait_text(browser, "result")
    assert "18 drops" in result
    assert "3.609 to 5.5 mg" in result  # the worst-case bounds, as measure() gives them


def test_a_refused_mg_percent_shows_beside_the_dose(browser, server_url):
    """'4.5 mg%' is refused, and the message sits beside the dose field it names."""
    from selenium.webdriver.common.by import By

    browser.get(server_url + "/")
    fill(browser, "m-dose", "4.5 mg%")
    browser.find_element(By.ID, "m-submit").click()
    error = wait_text(browser, "m-dose-error")
    assert "mg%" in error and "mg/dL" in error
    dose = browser.find_element(By.ID, "m-dose")
    assert dose.get_attribute("aria-invalid") == "true"
    assert "m-dose-error" in dose.get_attribute("aria-describedby")
    assert dose.get_attribute("value") == "4.5 mg%"  # what was typed is kept
    assert text_of(browser, "result") == ""


def test_a_dilution_plan(browser, server_url):
    """A 1 mcg dose: the page shows the plan's title and every instruction."""
    from selenium.webdriver.common.by import By

    from ldn_compound import plan_dilution

    browser.get(server_url + "/")
    fill(browser, "d-dose", "1 mcg")
    browser.find_element(By.ID, "d-submit").click()
    result = wait_text(browser, "result")
    plan = plan_dilution("1 mcg")
    assert str(plan).splitlines()[0] in result
    for step in plan.instructions():
        assert step in result


def test_a_titration_with_plot_and_printable_labels(browser, server_url):
    """The default titration: schedule table, an SVG plot and one label per batch."""
    from selenium.webdriver.common.by import By

    from ldn_compound import Dropper, Stock, titrate

    browser.get(server_url + "/")
    browser.find_element(By.ID, "s-submit").click()
    wait_text(browser, "result")
    schedule = titrate("1.5 mg", "0.5 mg", "4.5 mg", "2 weeks",
                       Stock.from_tablets("50 mg", "10 mL"), Dropper())
    labels = browser.find_elements(By.CSS_SELECTOR, "#result .label")
    assert [label.text for label in labels] == list(schedule.supply().labels)
    assert browser.find_elements(By.CSS_SELECTOR, "#result figure svg")
    assert browser.find_element(By.CSS_SELECTOR, "button.print").is_displayed()
