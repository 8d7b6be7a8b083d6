"""The Aktiviteter page in headless Chromium: a status change made through the real UI reaches the
change log and is shown. Runs on a copy of the fixture so nothing shared is written."""

from __future__ import annotations

import shutil

import pytest
from browser_helpers import BROWSER_ARGS, CHROMIUM, SCREENSHOTS, require_chromium, running_app, wait_for_app

from kfp_metrics import aktivitetslogg

pytestmark = pytest.mark.browser

COMMENT = 'Klar enligt plan – "uppföljd" 😀 <b>ok</b>'


def choose(page, key: str, text: str) -> None:
    """Pick the option containing text in the selectbox with this key."""
    box = page.locator(f".st-key-{key} input[role='combobox']")
    box.click()
    box.fill(text)
    page.get_by_role("option").filter(has_text=text).first.click()


def full_page(page, path) -> None:
    """A screenshot of the whole page: the main area scrolls inside the app, so grow the viewport."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1440, "height": max(900, int(height) + 40)})
    page.wait_for_timeout(800)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def test_status_change_through_the_ui(fixture_dir, tmp_path):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    data = shutil.copytree(fixture_dir, tmp_path / "extrakt")
    state = tmp_path / "state"
    state.mkdir()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with running_app(data, state) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="sv-SE")
            # The first run must go through app.py (st.navigation) before a page is opened directly.
            page.goto(url, wait_until="domcontentloaded")
            wait_for_app(page)
            page.goto(f"{url}/aktiviteter?period=2024-09", wait_until="domcontentloaded")
            wait_for_app(page)
            expect(page.get_by_role("heading", name="Aktiviteter", exact=True)).to_be_visible()
            assert page.locator("[data-testid='stException']").count() == 0
            full_page(page, SCREENSHOTS / "aktiviteter_plan.png")

            page.locator("[data-testid='stTab']", has_text="Tidslinje").click()
            wait_for_app(page)
            full_page(page, SCREENSHOTS / "aktiviteter_tidslinje.png")

            page.locator("[data-testid='stTab']", has_text="Följ upp en aktivitet").click()
            wait_for_app(page)
            choose(page, "akt_val", "A1 ·")
            wait_for_app(page)
            choose(page, "akt_status", "Klar")
            page.locator(".st-key-akt_kommentar textarea").fill(COMMENT)
            page.locator(".st-key-akt_namn input").fill("Anna Webbläsare")
            page.locator(".st-key-akt_spara button").click()
            wait_for_app(page)

            success = page.locator("[data-testid='stAlertContentSuccess']")
            expect(success).to_contain_text("Ändringen är sparad")
            expect(success).to_contain_text("Anna Webbläsare")
            changes = aktivitetslogg.history("A1", state)
            assert [(c.status, c.kommentar, c.av) for c in changes] == [("klar", COMMENT, "Anna Webbläsare")]
            # The page now shows A1 as Klar, and one activity fewer is late.
            main = page.locator("[data-testid='stMain']")
            expect(main).to_contain_text("Status: Klar")
            expect(page.locator("[data-testid='stMetric']", has_text="Försenade")).to_contain_text("1")
            # The comment's HTML is shown as text, never rendered.
            assert page.locator("[data-testid='stMain'] b", has_text="ok").count() == 0
            assert page.locator("[data-testid='stException']").count() == 0
            full_page(page, SCREENSHOTS / "aktiviteter_uppfoljning.png")
        finally:
            browser.close()
