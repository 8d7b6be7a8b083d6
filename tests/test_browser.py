"""The running app in headless Chromium: every page loads without an error and is screenshot."""

from __future__ import annotations

import pytest
from browser_helpers import (
    BROWSER_ARGS,
    CHROMIUM,
    ROOT,
    SCREENSHOTS,
    require_chromium,
    running_app,
    wait_for_app,
)

pytestmark = pytest.mark.browser

PAGES = [
    ("", "oversikt"),
    ("personal", "personal"),
    ("rorlighet", "rorlighet"),
    ("sjukfranvaro", "sjukfranvaro"),
    ("heltid", "heltid"),
    ("medarbetarenkat", "medarbetarenkat"),
    ("incidenter", "incidenter"),
    ("kompetensgap", "kompetensgap"),
    ("jamstalldhet", "jamstalldhet"),
    ("aktiviteter", "aktiviteter"),
    ("namndrapport", "namndrapport"),
]


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    require_chromium()
    from playwright.sync_api import sync_playwright

    state = tmp_path_factory.mktemp("state")
    with running_app(ROOT / "data", state) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="sv-SE")
        yield page, url
        browser.close()


@pytest.mark.parametrize(("path", "name"), PAGES, ids=[n for _, n in PAGES])
def test_page_renders_in_chromium(browser_page, path, name):
    page, url = browser_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{url}/{path}", wait_until="domcontentloaded")
    wait_for_app(page)
    page.wait_for_selector("h1", timeout=30_000)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0, "a Python exception on the page"
    body = page.inner_text("body")
    assert "Traceback" not in body
    assert "Urval" in body  # the sidebar filters are drawn on every page
