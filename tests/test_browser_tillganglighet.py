"""WCAG 2.1 A/AA checks with axe-core where test_browser.py does not reach: the error page the
app shows for extracts that fail validation, and the Nämndrapport as a stand-alone HTML page.
One server (on a broken copy of the bundled data) and one browser for the module."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pyarrow.parquet as pq
import pytest
from browser_helpers import (
    BROWSER_ARGS,
    CHROMIUM,
    ROOT,
    SCREENSHOTS,
    assert_accessible,
    require_axe,
    require_chromium,
    running_app,
    wait_for_app,
)

from kfp_metrics.extracts import connect
from kfp_metrics.rapport import Options, build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    require_chromium()
    require_axe()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def broken_dir(tmp_path_factory):
    """The bundled extracts with the required column anstallningar.befattning removed."""
    data = shutil.copytree(ROOT / "data", tmp_path_factory.mktemp("trasig") / "extrakt")
    path = data / "anstallningar.parquet"
    table = pq.read_table(path)
    pq.write_table(table.drop(["befattning"]), path)
    return data


def test_error_page_for_invalid_extracts(browser, broken_dir, tmp_path):
    state = tmp_path / "state"
    state.mkdir()
    with running_app(broken_dir, state) as url:
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="sv-SE")
        try:
            page.goto(url, wait_until="domcontentloaded")
            wait_for_app(page)
            page.wait_for_selector("h1:has-text('Extrakten kan inte läsas')", timeout=30_000)
            assert "befattning" in page.inner_text("[data-testid='stMain']")
            assert page.evaluate("document.documentElement.lang") == "sv"
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "felsida.png"), full_page=True)
            assert_accessible(page, "felsidan (ogiltiga extrakt)")
        finally:
            page.close()


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    """The Nämndrapport of the bundled data, every section, as the HTML file users download."""
    con = connect(ROOT / "data")
    try:
        periods = con.execute("select max(period) from anstallningar").fetchone()[0]
        period = periods if isinstance(periods, dt.date) else dt.date.fromisoformat(str(periods)[:10])
        rapport, html = build(con, Options(period=period.replace(day=1)))
    finally:
        con.close()
    path = tmp_path_factory.mktemp("rapport") / "rapport.html"
    path.write_text(html, encoding="utf-8")
    return rapport, path


def test_html_report_is_accessible(browser, report_file):
    rapport, path = report_file
    page = browser.new_page(viewport={"width": 1000, "height": 900}, locale="sv-SE")
    try:
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.plotly-graph-div')).every(d => d.querySelector('.main-svg'))"
        )
        assert page.evaluate("document.documentElement.lang") == "sv-SE"
        # Each drawn chart is one image to a screen reader, named by its one-sentence summary.
        names = page.eval_on_selector_all("figure.diagram [role='img']", "els => els.map(e => e.ariaLabel)")
        drawn = [f for a in rapport.omraden for f in a.figurer if f.figure is not None]
        assert len(names) == len(drawn) > 0
        assert all(re.search(r"\d", n) and n.endswith(".") for n in names), names
        assert_accessible(page, "Nämndrapporten (HTML)")
    finally:
        page.close()
