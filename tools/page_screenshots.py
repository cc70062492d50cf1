"""Screenshots of the dosing page at desktop and phone width, saved as PNG in docs/.

Run from a checkout with the serve extra and Debian's chromium and chromium-driver:

    python tools/page_screenshots.py [URL]

With no URL a server is started on a free localhost port. Each picture is the
whole page (not only the first screen) after one form was submitted, so a
reviewer can see the result's layout at 1280 and at 390 pixels wide.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "serve"))

#: (name, width, height) of each window
SIZES = (("desktop", 1280, 900), ("phone", 390, 844))
#: (name, form submit button, {field id: text}) of each picture
SCENES = (
    ("titration", "s-submit", {}),
    ("taper", "s-submit", {"s-ladder": "taper", "s-start": "4.5 mg"}),
    ("measure", "m-submit", {"m-dose": "4.5 mg"}),
)


@contextlib.contextmanager
def _server(url: str) -> Iterator[str]:
    if url:
        yield url
        return
    from conftest import running_server  # tests/serve/conftest.py

    with running_server() as started:
        yield started


def shoot(driver: object, url: str, out: Path) -> list[Path]:
    """Submit each scene at each size and save a full-page PNG; returns the files."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    saved = []
    for size, width, height in SIZES:
        driver.set_window_size(width, height)  # type: ignore[attr-defined]
        for name, button, fields in SCENES:
            driver.get(url + "/")  # type: ignore[attr-defined]
            for ident, text in fields.items():
                box = driver.find_element(By.ID, ident)  # type: ignore[attr-defined]
                if box.tag_name == "select":
                    Select(box).select_by_visible_text(text)
                else:
                    box.clear()
                    box.send_keys(text)
            driver.find_element(By.ID, button).click()  # type: ignore[attr-defined]
            time.sleep(1)
            full = driver.execute_script(  # type: ignore[attr-defined]
                "return document.scrollingElement.scrollHeight")
            driver.set_window_size(width, min(int(full) + 100, 12000))  # type: ignore[attr-defined]
            path = out / f"page-{name}-{size}.png"
            driver.save_screenshot(str(path))  # type: ignore[attr-defined]
            saved.append(path)
            driver.set_window_size(width, height)  # type: ignore[attr-defined]
    return saved


def main(argv: list[str]) -> int:
    from test_browser import new_browser

    with _server(argv[0] if argv else "") as url, new_browser() as driver:
        for path in shoot(driver, url, ROOT / "docs"):
            print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
