"""The identity provider for the login tests: oidc-provider-mock on a free loopback port with a
chef and an HR person as its users, the access file granting them, and the app's secrets."""

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
from browser_helpers import free_port, wait_for_app
from fixture_data import AY, FA

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


def write_secrets(path: Path, port: int, provider: str) -> Path:
    """secrets.toml for the app (or the server) on port, logging in at provider."""
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "en-lång-slumpmässig-hemlighet-för-testerna-0123456789"\n'
        "[auth.kommun]\n"
        'client_id = "kfp-dashboard"\n'
        'client_secret = "hemligt"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    return path


def login(page, url: str, sub: str) -> None:
    """Log in at url as the provider's user sub, through its form; back on the app's page."""
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app(page)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/oauth2/authorize**", timeout=30_000)
    page.locator(f"button[name='sub'][value='{sub}']").click()
    page.wait_for_url(f"{url}/**", timeout=30_000)
    wait_for_app(page)
    page.wait_for_selector("h1", timeout=30_000)


def avdelning_options(page) -> list[str]:
    """The Avdelning choices the sidebar offers."""
    box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect'] input").first
    box.scroll_into_view_if_needed()
    box.click()
    listbox = "[role='listbox'][aria-label='Avdelning'] [role='option']"
    page.wait_for_selector(listbox, state="attached", timeout=10_000)
    options = [o.inner_text().strip() for o in page.locator(listbox).all()]
    page.keyboard.press("Escape")
    return options
