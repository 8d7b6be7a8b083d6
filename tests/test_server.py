"""`python -m kfp_metrics server --processer 2`: two app processes behind one address, in Chromium.

Each browser keeps to one process (its session and downloads live there), new browsers are spread
over the processes, a login through the identity provider works through the address in either
process and keeps each person to their grant, and local mode is refused on a non-loopback
address as the app refuses it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from browser_helpers import (
    BROWSER_ARGS,
    CHROMIUM,
    ROOT,
    free_port,
    month_ticks,
    open_expanders,
    report_preview,
    require_chromium,
    script_sources,
    wait_for_app,
    wait_healthy,
)
from fixture_analys import write as write_analys
from fixture_data import AX, AY, AZ, FB
from inloggning_helpers import ACCESS, CHEF, HR, avdelning_options, identity_provider, login, write_secrets

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    state = tmp_path_factory.mktemp("state")
    port = free_port()
    env = {**os.environ, "KFP_DATA_DIR": str(ROOT / "data"), "KFP_STATE_DIR": str(state)}
    log = open(state / "server.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "kfp_metrics", "server", "--processer", "2", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, state / "server.log", timeout=120)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    # Stopping the server stops its app processes too.
    assert "Appen körs i 2 processer" in (state / "server.log").read_text()


@pytest.fixture(scope="module")
def login_server(tmp_path_factory):
    """The server with login: secrets pointing at oidc-provider-mock, redirect to the server's address."""
    require_chromium()
    state = tmp_path_factory.mktemp("inloggning")
    data = write_analys(tmp_path_factory.mktemp("inloggning_data"))
    (state / "behorighet.toml").write_text(ACCESS, encoding="utf-8")
    with identity_provider(state) as provider:
        port = free_port()
        secrets = write_secrets(state / "secrets.toml", port, provider)
        env = {**os.environ, "KFP_DATA_DIR": str(data), "KFP_STATE_DIR": str(state)}
        env.pop("KFP_UTAN_INLOGGNING", None)
        log = open(state / "server.log", "w")  # noqa: SIM115
        cmd = [sys.executable, "-m", "kfp_metrics", "server", "--processer", "2", "--port", str(port)]
        proc = subprocess.Popen(
            [*cmd, "--secrets", str(secrets)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, state / "server.log", timeout=120)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()


def _process_cookie(context) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == "kfp_process"), None)


def test_two_browsers_go_to_two_processes_and_each_works_there(server, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            contexts = [
                browser.new_context(
                    locale="sv-SE", accept_downloads=True, viewport={"width": 1440, "height": 900}
                )
                for _ in range(2)
            ]
            pages = [c.new_page() for c in contexts]
            for page in pages:
                page.goto(f"{server}/heltid", wait_until="domcontentloaded")
                wait_for_app(page)
            assert sorted(_process_cookie(c) for c in contexts) == ["0", "1"]
            for page in pages:
                assert page.locator("[data-testid='stException']").count() == 0
                assert "Andel heltidsanställda" in page.inner_text("body")
                assert "Urval" in page.inner_text("body")
            # A widget change (a rerun over the same websocket) and a download (a file the
            # session's own process holds) both work through the proxy, in either process.
            for i, page in enumerate(pages):
                assert open_expanders(page) > 0
                with page.expect_download() as download:
                    page.get_by_role("button", name="Ladda ner CSV").first.click()
                saved = tmp_path / f"heltid-{i}.csv"
                download.value.save_as(saved)
                text = saved.read_text(encoding="utf-8-sig")
                assert text.splitlines()[0].startswith("Månad")
                assert len(text.splitlines()) > 2
        finally:
            browser.close()


def test_report_preview_loads_plotlyjs_through_the_server_in_either_process(server):
    """The preview's script tag is fetched from the server's address: each process serves its copy."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            contexts = [
                browser.new_context(locale="sv-SE", viewport={"width": 1440, "height": 900}) for _ in range(2)
            ]
            pages = [c.new_page() for c in contexts]
            for page in pages:
                page.goto(f"{server}/namndrapport", wait_until="domcontentloaded")
            for page in pages:
                wait_for_app(page)
                _, frame = report_preview(page)
                (src,) = script_sources(frame)
                assert src.startswith(f"{server}/app/static/plotly-")
                assert month_ticks(frame) == ["feb", "mar", "apr", "maj", "jun"]
            assert sorted(_process_cookie(c) for c in contexts) == ["0", "1"]
        finally:
            browser.close()


def test_login_through_the_server_in_either_process_keeps_each_to_their_grant(login_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            chef, hr = (
                browser.new_context(locale="sv-SE", viewport={"width": 1440, "height": 900}) for _ in range(2)
            )
            chef_page, hr_page = chef.new_page(), hr.new_page()
            login(chef_page, login_server, CHEF["sub"])
            login(hr_page, login_server, HR["sub"])
            # The two browsers are on different processes, and each login came back to its own.
            assert sorted([_process_cookie(chef), _process_cookie(hr)]) == ["0", "1"]
            body = chef_page.inner_text("body")
            assert "Yvonne Chef" in body and "Ditt urval: Avdelning Y (Förvaltning A)" in body
            for name in (AX, AZ, FB):
                assert name not in body, name
            assert avdelning_options(chef_page) == [AY]
            assert "Hanna HR" in hr_page.inner_text("body")
            assert avdelning_options(hr_page) == [AX, AY, AZ]
            # Still logged in on a new page load, and a link to another avdelning shows none of it.
            chef_page.goto(
                f"{login_server}/sjukfranvaro?avdelning={AX.replace(' ', '+')}", wait_until="domcontentloaded"
            )
            wait_for_app(chef_page)
            body = chef_page.inner_text("body")
            assert "Yvonne Chef" in body and "finns inte" in body
            assert AZ not in body and FB not in body
            # A browser that has not logged in sees the login page only, in either process.
            stranger = browser.new_context(locale="sv-SE")
            page = stranger.new_page()
            page.goto(f"{login_server}/sjukfranvaro", wait_until="domcontentloaded")
            wait_for_app(page)
            page.wait_for_selector("text=Logga in", timeout=30_000)
            assert AY not in page.inner_text("body")
        finally:
            browser.close()


def test_local_mode_is_refused_on_a_public_address(tmp_path):
    env = {**os.environ, "KFP_STATE_DIR": str(tmp_path)}
    env.pop("KFP_UTAN_INLOGGNING", None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kfp_metrics",
            "server",
            "--adress",
            "0.0.0.0",
            "--secrets",
            str(tmp_path / "x.toml"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "utan inloggning" in done.stderr and "0.0.0.0" in done.stderr
    assert "Traceback" not in done.stderr
