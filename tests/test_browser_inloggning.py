"""A real login: oidc-provider-mock on loopback as the identity provider, the app with secrets
pointing at it, Debian's Chromium logging in through the provider's form as a chef and as HR."""

from __future__ import annotations

import pytest
from browser_helpers import (
    BROWSER_ARGS,
    CHROMIUM,
    SCREENSHOTS,
    assert_accessible,
    free_port,
    require_chromium,
    running_app,
    wait_for_app,
)
from fixture_analys import write as write_analys
from fixture_data import AX, AY, AZ, FA, FB
from inloggning_helpers import ACCESS, CHEF, HR, avdelning_options, identity_provider, login, write_secrets

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def login_app(tmp_path_factory):
    require_chromium()
    state = tmp_path_factory.mktemp("inloggning")
    data = write_analys(tmp_path_factory.mktemp("inloggning_data"))
    (state / "behorighet.toml").write_text(ACCESS, encoding="utf-8")
    with identity_provider(state) as provider:
        port = free_port()
        secrets = write_secrets(state / "secrets.toml", port, provider)
        with running_app(data, state, secrets=secrets, port=port) as url:
            yield url


def test_chef_and_hr_log_in_through_the_provider(login_app):
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="sv-SE")
        page.goto(login_app, wait_until="domcontentloaded")
        wait_for_app(page)
        page.screenshot(path=str(SCREENSHOTS / "inloggning.png"), full_page=True)
        assert FA not in page.inner_text("body")
        assert page.evaluate("document.documentElement.lang") == "sv"
        assert_accessible(page, "inloggningssidan")

        login(page, login_app, CHEF["sub"])
        body = page.inner_text("body")
        page.screenshot(path=str(SCREENSHOTS / "inloggad_chef.png"), full_page=True)
        assert_accessible(page, "Översikt inloggad som avdelningschef")
        assert "Yvonne Chef" in body
        assert "Ditt urval: Avdelning Y (Förvaltning A)" in body
        for name in (AX, AZ, FB):
            assert name not in body, name
        assert avdelning_options(page) == [AY]
        # A link naming another förvaltning's avdelning shows nothing of it
        page.goto(f"{login_app}/sjukfranvaro?avdelning={AX.replace(' ', '+')}", wait_until="domcontentloaded")
        wait_for_app(page)
        body = page.inner_text("body")
        assert "finns inte" in body and AZ not in body and FB not in body

        page.get_by_role("button", name="Logga ut").click()
        # Streamlit ends the session at the provider too (RP-initiated logout), which asks to confirm
        page.wait_for_url("**/oauth2/end_session**", timeout=30_000)
        page.get_by_role("button", name="End session").click()
        page.wait_for_url(f"{login_app}/**", timeout=30_000)
        wait_for_app(page)
        page.wait_for_selector("text=Logga in", timeout=30_000)
        assert "Yvonne Chef" not in page.inner_text("body")

        login(page, login_app, HR["sub"])
        page.screenshot(path=str(SCREENSHOTS / "inloggad_hr.png"), full_page=True)
        body = page.inner_text("body")
        assert "Hanna HR" in body
        assert avdelning_options(page) == [AX, AY, AZ]
        browser.close()


def test_person_without_grant_in_the_browser(login_app, tmp_path):
    """A third user of the provider (typed sub, no claims but sub) is denied."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="sv-SE")
        page.goto(login_app, wait_until="domcontentloaded")
        wait_for_app(page)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url("**/oauth2/authorize**", timeout=30_000)
        page.fill("input[name='sub']", "okand-person")
        page.locator(
            "input[name='sub'] ~ button, form:has(input[name='sub']) button[type='submit']"
        ).first.click()
        page.wait_for_url(f"{login_app}/**", timeout=30_000)
        wait_for_app(page)
        page.wait_for_selector("h1", timeout=30_000)
        page.screenshot(path=str(SCREENSHOTS / "ingen_behorighet.png"), full_page=True)
        assert page.evaluate("document.documentElement.lang") == "sv"
        assert_accessible(page, "sidan Ingen behörighet")
        body = page.inner_text("body")
        assert "Ingen behörighet" in body and "okand-person" in body
        for name in (FA, FB, AX, AY, AZ):
            assert name not in body, name
        browser.close()
