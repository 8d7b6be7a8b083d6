"""Printing the report's HTML to an A4 PDF with headless Chromium through Playwright.

Chromium is Debian's /usr/bin/chromium (or `chromium` on PATH); Playwright's own browser
downloads are not used. The browser runs in a worker thread of its own, which keeps the
synchronous Playwright API usable from Streamlit and lets the CLI start the browser while the
figures are still being computed.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
MARGIN = {"top": "16mm", "bottom": "18mm", "left": "18mm", "right": "18mm"}
TIMEOUT_MS = 60_000

# Every chart has drawn its SVG and the fonts are in: only then is the page printed.
CHARTS_READY = (
    "() => document.fonts.status === 'loaded' && "
    "Array.from(document.querySelectorAll('.plotly-graph-div')).every(d => d.querySelector('.main-svg'))"
)


# The report's body replaces the warm page's body; its chart scripts are re-created so they run.
SWAP_BODY = """([title, body]) => {
  document.title = title;
  document.body.innerHTML = body;
  for (const old of Array.from(document.body.querySelectorAll('script'))) {
    const script = document.createElement('script');
    script.text = old.text;
    old.replaceWith(script);
  }
}"""
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_META = re.compile(r'<meta name="kfp-fingeravtryck" content="[^"]*">')


def split_page(html: str) -> tuple[str, str, str]:
    """(head without title and fingerprint, title, body) of a page made from the report's template."""
    head, _, rest = html.partition("<body>")
    body = rest.rpartition("</body>")[0]
    match = _TITLE.search(head)
    title = match.group(1) if match else ""
    return _META.sub("", _TITLE.sub("", head)), title, body


class BrowserMissing(RuntimeError):
    """No Chromium to print with; the message is Swedish and says what to do."""


class PrintError(RuntimeError):
    """Chromium could not print the report; the message is Swedish."""


def chromium_path() -> str | None:
    """The Chromium executable to print with, None when none is installed."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")


def browser_available() -> bool:
    """Whether a PDF can be made here (Chromium and Playwright present)."""
    if chromium_path() is None:
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def missing_message() -> str:
    """Why no PDF can be made here, in Swedish."""
    return (
        "Ingen Chromium-webbläsare hittades (/usr/bin/chromium), så PDF kan inte skapas här. "
        "Installera den med `apt-get install chromium`, eller ladda ner HTML-versionen och skriv ut den "
        "från webbläsaren (A4, stående)."
    )


def footer_template(text: str) -> str:
    """Chromium's footer: the report's name to the left, 'Sida X av Y' to the right."""
    return (
        '<div style="width:100%;margin:0 18mm;display:flex;justify-content:space-between;'
        "font-family:'Liberation Sans',Arial,sans-serif;font-size:8pt;color:#555;\">"
        f"<span>{escape(text)}</span>"
        '<span>Sida <span class="pageNumber"></span> av <span class="totalPages"></span></span></div>'
    )


class Skrivare:
    """A headless Chromium started at once in its own thread; print with pdf(), then close().

    warmup (or a later warm()) is a page with the report's head (plotly.js) and a small chart:
    loading it while the report is still being computed lets Chromium compile plotly.js ahead,
    and a report with the same head then only needs its body loaded into that page.
    """

    def __init__(self, warmup: str | None = None) -> None:
        executable = chromium_path()
        if executable is None:
            raise BrowserMissing(missing_message())
        self._executable = executable
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kfp-chromium")
        self._playwright = None
        self._browser = None
        self._page = None
        self._dir = tempfile.TemporaryDirectory(prefix="kfp-rapport-")
        self._file = Path(self._dir.name) / "rapport.html"
        self._warm_head = None
        self._started = self._pool.submit(self._start)
        if warmup:
            self.warm(warmup)

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=self._executable, args=BROWSER_ARGS)
        self._page = self._browser.new_page()
        self._page.set_default_timeout(TIMEOUT_MS)

    def _warm(self, warmup: str) -> None:
        self._file.write_text(warmup, encoding="utf-8")
        self._page.goto(self._file.as_uri(), wait_until="load")
        self._page.wait_for_function(CHARTS_READY)
        self._warm_head = split_page(warmup)[0]

    def warm(self, warmup: str) -> None:
        """Load the warm-up page in the background (after the launch, before any print)."""
        self._started = self._pool.submit(self._after_start, self._started, self._warm, warmup)

    @staticmethod
    def _after_start(previous, step, *args) -> None:
        previous.result()
        step(*args)

    def _print(self, html: str, footer: str) -> bytes:
        page = self._page
        head, title, body = split_page(html)
        if self._warm_head is not None and head == self._warm_head:
            # Same head as the warm page (CSS, plotly.js, locale): only the body needs loading.
            self._warm_head = None
            page.evaluate(SWAP_BODY, [title, body])
        else:
            self._file.write_text(html, encoding="utf-8")
            page.goto(self._file.as_uri(), wait_until="load")
        page.wait_for_function(CHARTS_READY)
        return page.pdf(
            format="A4",
            print_background=True,
            margin=MARGIN,
            display_header_footer=True,
            header_template="<div></div>",
            footer_template=footer_template(footer),
            # A tagged PDF (headings, tables, figures with their alt texts, reading order, language)
            # with bookmarks made from the headings, for screen readers (DOS-lagen, WCAG 2.1 AA).
            tagged=True,
            outline=True,
        )

    def pdf(self, html: str, footer: str = "") -> bytes:
        """The HTML printed as A4 portrait with page numbers 'Sida X av Y'."""
        try:
            self._started.result()
            return self._pool.submit(self._print, html, footer).result()
        except BrowserMissing:
            raise
        except Exception as exc:
            raise PrintError(f"Chromium kunde inte skriva ut rapporten: {exc}") from exc

    def close(self) -> None:
        """Stop the browser and its thread."""

        def stop():
            if self._browser is not None:
                self._browser.close()
            if self._playwright is not None:
                self._playwright.stop()

        try:
            self._started.exception()
            self._pool.submit(stop).result()
        finally:
            self._pool.shutdown(wait=True)
            self._dir.cleanup()

    def __enter__(self) -> Skrivare:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def html_to_pdf(html: str, footer: str = "") -> bytes:
    """Print one HTML page to PDF bytes (starts and stops a browser)."""
    with Skrivare() as skrivare:
        return skrivare.pdf(html, footer)
