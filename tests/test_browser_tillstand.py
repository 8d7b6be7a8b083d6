"""Two app servers (two `streamlit run` processes, each with its own state directory) sharing one
PostgreSQL, in headless Chromium: a change saved through one server's page shows on the other's."""

from __future__ import annotations

import shutil

import pytest
from browser_helpers import BROWSER_ARGS, CHROMIUM, SCREENSHOTS, require_chromium, running_app, wait_for_app
from test_browser_aktiviteter import choose, full_page

from kfp_metrics import tillstand

pytestmark = pytest.mark.browser


def open_follow_up(browser, url: str, aktivitet: str):
    page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="sv-SE")
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app(page)
    page.goto(f"{url}/aktiviteter?period=2024-09", wait_until="domcontentloaded")
    wait_for_app(page)
    page.locator("[data-testid='stTab']", has_text="Följ upp en aktivitet").click()
    wait_for_app(page)
    choose(page, "akt_val", f"{aktivitet} ·")
    wait_for_app(page)
    return page


def test_a_change_on_one_server_shows_on_the_other(pg_miljo, fixture_dir, tmp_path):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    data = shutil.copytree(fixture_dir, tmp_path / "extrakt")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with (
        running_app(data, tmp_path / "a") as url_a,
        running_app(data, tmp_path / "b") as url_b,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            on_b = open_follow_up(browser, url_b, "A2")  # a session on B, open before the change
            expect(on_b.locator("[data-testid='stMain']")).to_contain_text("Status: Ej påbörjad")

            on_a = open_follow_up(browser, url_a, "A2")
            choose(on_a, "akt_status", "Pågår")
            on_a.locator(".st-key-akt_kommentar textarea").fill("Sparad på server A")
            on_a.locator(".st-key-akt_namn input").fill("Anna på A")
            on_a.locator(".st-key-akt_spara button").click()
            wait_for_app(on_a)
            expect(on_a.locator("[data-testid='stAlertContentSuccess']")).to_contain_text(
                "Ändringen är sparad"
            )

            # B's open session reruns on its next interaction and reads the shared store anew.
            choose(on_b, "akt_val", "A1 ·")
            wait_for_app(on_b)
            choose(on_b, "akt_val", "A2 ·")
            wait_for_app(on_b)
            main = on_b.locator("[data-testid='stMain']")
            expect(main).to_contain_text("Status: Pågår")
            expect(main).to_contain_text("Sparad på server A")  # senaste uppföljning, in the details
            expect(on_b.locator("[data-testid='stMetric']", has_text="Pågår")).to_contain_text("3")
            assert on_b.locator("[data-testid='stException']").count() == 0
            full_page(on_b, SCREENSHOTS / "tillstand_server_b.png")
        finally:
            browser.close()
    (change,) = tillstand.oppna().andringar("A2")
    assert (change.av, change.kommentar, change.kalla) == ("Anna på A", "Sparad på server A", "app")
