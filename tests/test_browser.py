"""The running app in headless Chromium: every page loads without an error, is screenshot, and has no
WCAG 2.1 A/AA violation that axe-core finds (sidebar open, every 'Visa data' expander open)."""

from __future__ import annotations

import pytest
from browser_helpers import (
    BROWSER_ARGS,
    CHROMIUM,
    ROOT,
    SCREENSHOTS,
    assert_accessible,
    english_ui_texts,
    month_ticks,
    open_expanders,
    report_preview,
    require_axe,
    require_chromium,
    running_app,
    script_sources,
    wait_for_app,
)
from playwright.sync_api import expect

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
    ("prognos", "prognos"),
    ("aktiviteter", "aktiviteter"),
    ("namndrapport", "namndrapport"),
]


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    require_chromium()
    require_axe()
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
    assert page.evaluate("document.documentElement.lang") == "sv"
    # The element carrying the language script takes no room on the page.
    assert (
        page.evaluate(
            "() => document.querySelector('.kfp-sprak').closest('[data-testid=stElementContainer]').offsetHeight"
        )
        == 0
    )
    sidebar = page.locator("[data-testid='stSidebar']").bounding_box()
    assert sidebar["x"] >= 0 and sidebar["width"] > 200  # the sidebar is open while axe runs
    # Every chart has its one-sentence text alternative right under it.
    charts = page.locator("[data-testid='stMain'] [data-testid='stPlotlyChart']").count()
    texts = page.locator("[data-testid='stMain'] [class*='st-key-diagramtext_']").all_inner_texts()
    assert len(texts) == charts
    assert all(t.strip().endswith(".") and len(t.split()) >= 4 for t in texts), texts
    # To a screen reader each chart is one image named by its title and described by that sentence.
    page.wait_for_timeout(300)
    named = page.evaluate(
        """() => Array.from(document.querySelectorAll("[data-testid='stMain'] .js-plotly-plot svg.main-svg:first-of-type")).map(p => [
             p.getAttribute('role'), p.getAttribute('aria-label'),
             (document.getElementById(p.getAttribute('aria-describedby')) || {}).textContent])"""
    )
    assert len(named) == charts
    assert all(
        role == "img" and label and label != "Diagram" and text in texts for role, label, text in named
    ), named
    open_expanders(page)
    assert_accessible(page, name)
    # Streamlit's and Plotly's own controls speak Swedish too (kfp_metrics/ui/svenska.py), tables'
    # and charts' toolbars included (the expanders are open now).
    page.locator("[data-testid='stMain'] [data-testid='stPlotlyChart']").first.hover() if charts else None
    assert english_ui_texts(page) == []


def show_tab(page, name: str) -> None:
    page.locator("[data-testid='stMain'] [data-testid='stTab']", has_text=name).first.click()
    wait_for_app(page)


# The pages with tabs, and every tab the test opens (docs/tillganglighet.md names the same).
TABBED_PAGES = [
    ("aktiviteter", ["Plan", "Tidslinje", "Följ upp en aktivitet", "Importera och exportera"]),
    ("namndrapport", ["Nulägesanalys (text)", "Nyckeltal", "Förhandsgranskning"]),
]


@pytest.mark.parametrize(("path", "tabs"), TABBED_PAGES, ids=[p for p, _ in TABBED_PAGES])
def test_every_tab_is_accessible(browser_page, path, tabs):
    page, url = browser_page
    page.goto(f"{url}/{path}", wait_until="domcontentloaded")
    wait_for_app(page)
    for tab in tabs:
        show_tab(page, tab)
        assert page.locator("[data-testid='stTab'][aria-selected='true']", has_text=tab).count() == 1
        open_expanders(page)
        assert_accessible(page, f"{path}, fliken {tab}")


def test_report_preview_draws_its_charts_with_plotlyjs_from_the_app(browser_page):
    """The preview carries no plotly.js: a script tag loads the app's copy, and the charts are drawn."""
    page, url = browser_page
    page.goto(f"{url}/namndrapport", wait_until="domcontentloaded")
    wait_for_app(page)
    handle, frame = report_preview(page)
    assert len(handle.get_attribute("srcdoc").encode("utf-8")) < 1_000_000
    # A frame's accessible name is its title: Swedish and naming the report, not Streamlit's default.
    title = handle.get_attribute("title")
    assert title.startswith("Förhandsgranskning av rapporten: ") and title != "st.iframe"
    assert page.get_by_title(title).count() == 1
    (src,) = script_sources(frame)
    assert src.startswith(f"{url}/app/static/plotly-") and src.endswith(".min.js")
    assert frame.locator(".plotly-graph-div .main-svg").count() >= 10
    # The Swedish locale registers with the loaded plotly.js: Swedish month names on a date axis.
    assert month_ticks(frame) == ["feb", "mar", "apr", "maj", "jun"]
    frame.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    handle.screenshot(path=str(SCREENSHOTS / "namndrapport-forhandsgranskning.png"))
    # The download is made when pressed and is the whole page: plotly.js inline, no script URL.
    charts = frame.locator(".plotly-graph-div").count()
    wait_for_app(page)  # a button from a run still in progress may already be replaced
    with page.expect_download() as download:
        page.get_by_role("button", name="Ladda ner HTML").click()
    saved = download.value.path().read_text(encoding="utf-8")
    assert download.value.suggested_filename.endswith(".html")
    assert "/app/static/" not in saved and len(saved.encode("utf-8")) > 3_000_000
    assert saved.count('class="plotly-graph-div') == charts


def test_file_upload_speaks_swedish(browser_page, tmp_path):
    """The plan upload on Aktiviteter: Streamlit's button, limit and file size in Swedish words and form."""
    page, url = browser_page
    page.goto(f"{url}/aktiviteter", wait_until="domcontentloaded")
    wait_for_app(page)
    show_tab(page, "Importera och exportera")
    uploader = page.locator("[data-testid='stFileUploader']").first
    assert uploader.get_by_role("button", name="Välj fil", exact=True).count() == 1
    assert "Högst 200 MB per fil • XLSX, CSV" in uploader.inner_text()
    plan = tmp_path / "plan.csv"
    plan.write_text("Mål;Aktivitet;Måldatum;Ansvarig\nUtveckla\nBättre chefer;Chefsforum;2026-06;HR\n")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(plan))
    page.get_by_role("button", name="Ta bort plan.csv").wait_for(timeout=30_000)
    size = plan.stat().st_size  # Streamlit writes "<bytes>.0B"
    assert f"{size},0 B" in uploader.inner_text()
    expect(uploader.locator("[aria-label^='plan.csv']")).to_have_attribute(
        "aria-label", f"plan.csv, {size},0 B"
    )
    assert english_ui_texts(page) == []
    page.get_by_role("button", name="Ta bort plan.csv").click()


def test_swedish_words_leave_our_own_text_alone(browser_page):
    """The script replaces Streamlit's whole texts only: what the project writes or people type stays."""
    from kfp_metrics.ui import svenska

    page = browser_page[0].context.browser.new_page()  # a window of its own: the app's has the script already
    page.set_content(
        """<body>
        <div data-testid="stMarkdownContainer"><p>Upload</p><p>Search</p></div>
        <div data-testid="stCaptionContainer">Help for Titel</div>
        <input id="typed" value="Upload" placeholder="Choose an option">
        <button id="own">Upload plan</button><button id="theirs">Upload</button>
        <div data-testid="stFileUploaderDropzone"><div data-testid="stMarkdownContainer"><p>Upload</p></div></div>
        <span id="help" aria-label="Help for Titel"></span><span id="size">95.0B</span>
        <span id="type">text/plain files are not allowed.</span><span id="large">File must be 200.0MB or smaller.</span>
        </body>"""
    )
    page.add_script_tag(content=svenska.script().removeprefix("<script>").removesuffix("</script>"))
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<a id=\"late\" title=\"Fullscreen\">x</a>')"
    )
    page.wait_for_timeout(100)
    assert page.locator("[data-testid='stMarkdownContainer'] p").all_inner_texts() == [
        "Upload",
        "Search",
        "Välj fil",
    ]
    assert page.locator("[data-testid='stCaptionContainer']").inner_text() == "Help for Titel"
    assert page.locator("#typed").input_value() == "Upload"
    assert page.locator("#typed").get_attribute("placeholder") == "Välj"
    assert page.locator("#own").inner_text() == "Upload plan"  # not a whole text of Streamlit's
    assert page.locator("#theirs").inner_text() == "Välj fil"
    assert page.locator("#help").get_attribute("aria-label") == "Hjälp om Titel"
    assert page.locator("#size").inner_text() == "95,0 B"
    assert page.locator("#type").inner_text() == "Filtypen text/plain tas inte emot."
    assert page.locator("#large").inner_text() == "Filen får vara högst 200,0 MB."
    assert page.locator("#late").get_attribute("title") == "Helskärm"  # drawn after the script ran
    page.close()


def test_table_numbers_are_swedish_in_a_browser_set_to_english(browser_page):
    """Streamlit's tables write numbers in the browser's language; the page makes that Swedish, so
    a 'Visa data' table shows 2 130 and 7,1 as the charts do, whatever the reader's browser says."""
    page = browser_page[0].context.browser.new_page(viewport={"width": 1440, "height": 900}, locale="en-US")
    try:
        page.goto("about:blank")
        assert page.evaluate("navigator.languages[0]") == "en-US"  # what the browser says by itself
        page.goto(f"{browser_page[1]}/sjukfranvaro", wait_until="domcontentloaded")
        wait_for_app(page)
        page.wait_for_selector("h1:has-text('Sjukfrånvaro')", timeout=30_000)
        assert open_expanders(page) >= 1
        # As Streamlit's tables format a number with one decimal (formatNumber, "localized").
        written = page.evaluate(
            "new Intl.NumberFormat(navigator.languages, {minimumFractionDigits: 1, maximumFractionDigits: 1})"
            ".format(2130.46)"
        )
        assert written == "2\u00a0130,5"
        assert page.evaluate("navigator.language") == "sv-SE"
    finally:
        page.close()


def test_swedish_language_survives_page_switches(browser_page):
    page, url = browser_page
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app(page)
    for title in ("Sjukfrånvaro", "Aktiviteter", "Översikt"):
        page.locator("[data-testid='stSidebar'] a", has_text=title).first.click()
        wait_for_app(page)
        page.wait_for_selector(f"h1:has-text('{title}')", timeout=30_000)
        assert page.evaluate("document.documentElement.lang") == "sv", title
    # Something else setting the language back is undone at once.
    page.evaluate("document.documentElement.lang = 'en'")
    page.wait_for_timeout(100)
    assert page.evaluate("document.documentElement.lang") == "sv"


def test_keyboard_focus_is_visible(browser_page):
    """Tabbing through the sidebar and the page, every control that takes focus shows a ring."""
    page, url = browser_page
    page.goto(f"{url}/sjukfranvaro", wait_until="domcontentloaded")
    wait_for_app(page)
    seen = set()
    for _ in range(25):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                 return [e.tagName + ' ' + (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 40),
                         s.outlineStyle, parseFloat(s.outlineWidth)]; }"""
        )
        name, style, width = focused
        if name.startswith("BODY"):
            continue
        seen.add(name)
        assert style == "solid" and width >= 2, f"{name}: fokus syns inte ({style} {width}px)"
    assert len(seen) >= 10  # the menu links, the filters and the page's own controls
