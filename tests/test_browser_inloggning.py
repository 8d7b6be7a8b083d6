"""A real login: oidc-provider-mock on loopback as the identity provider, the app with secrets
pointing at it, Debian's Chromium logging in through the provider's form as a chef and as HR."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

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

pytestmark = pytest.mark.browser

CHEF = {"sub": "chef-y", "email": "chef.y@kommun.se", "name": "Yvonne Chef"}
HR = {"sub": "hr-1", "email": "hr@kommun.se", "name": "Hanna HR", "roles": ["KFP.HR"]}
ACCESS = f"""
kontakt = "HR-avdelningen"

[[roll]]
namn = "KFP.HR"
urval = "alla"
andra_aktiviteter = true

[[anvandare]]
id = "chef.y@kommun.se"
forvaltning = ["{FA}"]
avdelning = ["{AY}"]
"""


@contextmanager
def identity_provider(state: Path):
    """oidc-provider-mock with the chef and HR as predefined users, on a free loopback port."""
    exe = shutil.which("oidc-provider-mock") or str(Path(sys.executable).parent / "oidc-provider-mock")
    if not Path(exe).exists():
        pytest.fail("oidc-provider-mock saknas (pip install -r requirements-dev.txt)")
    port = free_port()
    cmd = [exe, "--host", "127.0.0.1", "--port", str(port)]
    for user in (CHEF, HR):
        cmd += ["--user-claims", json.dumps(user)]
    log = open(state / "oidc.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(base + "/.well-known/openid-configuration", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("oidc-provider-mock startade inte: " + (state / "oidc.log").read_text())
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def login_app(tmp_path_factory):
    require_chromium()
    state = tmp_path_factory.mktemp("inloggning")
    data = write_analys(tmp_path_factory.mktemp("inloggning_data"))
    (state / "behorighet.toml").write_text(ACCESS, encoding="utf-8")
    with identity_provider(state) as provider:
        port = free_port()
        secrets = state / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "en-lång-slumpmässig-hemlighet-för-testerna-0123456789"\n'
            "[auth.kommun]\n"
            'client_id = "kfp-dashboard"\n'
            'client_secret = "hemligt"\n'
            f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        with running_app(data, state, secrets=secrets, port=port) as url:
            yield url


def _login(page, url: str, sub: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app(page)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/oauth2/authorize**", timeout=30_000)
    page.locator(f"button[name='sub'][value='{sub}']").click()
    page.wait_for_url(f"{url}/**", timeout=30_000)
    wait_for_app(page)
    page.wait_for_selector("h1", timeout=30_000)


def _avdelning_options(page) -> list[str]:
    box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect'] input").first
    box.scroll_into_view_if_needed()
    box.click()
    listbox = "[role='listbox'][aria-label='Avdelning'] [role='option']"
    page.wait_for_selector(listbox, state="attached", timeout=10_000)
    options = [o.inner_text().strip() for o in page.locator(listbox).all()]
    page.keyboard.press("Escape")
    return options


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

        _login(page, login_app, CHEF["sub"])
        body = page.inner_text("body")
        page.screenshot(path=str(SCREENSHOTS / "inloggad_chef.png"), full_page=True)
        assert_accessible(page, "Översikt inloggad som avdelningschef")
        assert "Yvonne Chef" in body
        assert "Ditt urval: Avdelning Y (Förvaltning A)" in body
        for name in (AX, AZ, FB):
            assert name not in body, name
        assert _avdelning_options(page) == [AY]
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

        _login(page, login_app, HR["sub"])
        page.screenshot(path=str(SCREENSHOTS / "inloggad_hr.png"), full_page=True)
        body = page.inner_text("body")
        assert "Hanna HR" in body
        assert _avdelning_options(page) == [AX, AY, AZ]
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
