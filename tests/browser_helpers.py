"""A running `streamlit run app.py` and headless Chromium, for the browser tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_chromium() -> None:
    """Skip with a clear reason where Debian's chromium is not installed."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("chromium saknas (apt-get install chromium); scripts/setup.sh installerar den")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(
    data_dir: Path, state_dir: Path, secrets: Path | None = None, port: int | None = None, env=None
):
    """Start the app on a free loopback port; yield its URL; stop it afterwards.

    secrets: a secrets.toml to use (login configured) instead of none (local mode)."""
    port = port or free_port()
    env = {**os.environ, "KFP_DATA_DIR": str(data_dir), "KFP_STATE_DIR": str(state_dir), **(env or {})}
    cmd = [
        sys.executable,
        "-m",
        "kfp_metrics.server.appprocess",  # what scripts/run.sh and the server start
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    if secrets is not None:
        cmd += ["--secrets.files", str(secrets)]
    log = open(state_dir / "streamlit.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, state_dir / "streamlit.log", timeout=60)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_healthy(url: str, log: Path, timeout: float) -> None:
    """Wait until the server at url answers its health check; its log in the error otherwise."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("appen startade inte: " + log.read_text())


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait as Streamlit's own e2e suite does: connected, script not running, no skeleton."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
    page.wait_for_function("!document.querySelector(\"[data-testid='stSkeleton']\")", timeout=timeout)
    page.wait_for_timeout(500)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)


# axe-core, installed from npm by scripts/setup.sh (tests/axe/package.json pins the version).
AXE_JS = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" ")),
  }));
}"""


def require_axe() -> None:
    """Skip with a clear reason where axe-core has not been installed from npm."""
    if not AXE_JS.is_file():
        pytest.skip("axe-core saknas (npm ci --prefix tests/axe); scripts/setup.sh installerar det")


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now, one line per rule with the
    selectors of the elements that break it (empty when the page passes)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate(_RUN_AXE, WCAG_TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} – {' | '.join(v['targets'][:8])}" for v in found]


def assert_accessible(page, where: str) -> None:
    """No axe-core violation on the page; the message names each rule and element."""
    violations = axe_violations(page)
    assert not violations, f"{where}: {len(violations)} WCAG-brister\n" + "\n".join(violations)


def open_expanders(page) -> int:
    """Open every closed expander in the main area ('Visa data' and the like); how many were opened."""
    closed = page.locator("[data-testid='stMain'] [data-testid='stExpander'] details:not([open]) > summary")
    count = closed.count()
    for _ in range(count):
        closed.first.click()
        page.wait_for_timeout(150)
    if count:
        wait_for_app(page)
        # Opening 'Visa data' runs the page again, which sends the table (tables.show_data).
        page.wait_for_function(_TABLES_SHOWN, timeout=30_000)
    return count


_TABLES_SHOWN = """() => Array.from(document.querySelectorAll("[data-testid='stMain'] [data-testid='stExpander'] details"))
  .filter(d => d.querySelector("summary").textContent.includes("Visa data"))
  .every(d => d.open && d.querySelector("[data-testid='stDataFrame']"))"""


# A chart with a month-name date axis drawn in a frame: plotly.js alone writes English names.
_MONTH_TICKS = """() => {
  const div = document.createElement("div");
  document.body.appendChild(div);
  return Plotly.newPlot(div, [{x: ["2024-01-15", "2024-06-15"], y: [1, 2]}],
      {width: 600, height: 200, xaxis: {dtick: "M1", tickformat: "%b"}}, {staticPlot: true, locale: "sv"})
    .then(() => {
      const ticks = Array.from(div.querySelectorAll(".xtick text")).map(t => t.textContent);
      div.remove();
      return ticks;
    });
}"""


def report_preview(page, timeout: float = 60_000):
    """The Nämndrapport page's preview (iframe element, frame), its tab opened as a person would,
    once plotly.js has loaded in it and drawn every chart."""
    page.locator("[data-testid='stMain'] [data-testid='stTab']", has_text="Förhandsgranskning").first.click()
    wait_for_app(page, timeout)
    handle = page.wait_for_selector("[data-testid='stMain'] iframe", timeout=timeout)
    frame = handle.content_frame()
    frame.wait_for_load_state("load", timeout=timeout)
    assert frame.evaluate("() => typeof window.Plotly") == "object", "plotly.js laddades inte"
    frame.wait_for_function(
        """() => { const charts = document.querySelectorAll(".plotly-graph-div");
                   return charts.length > 0 && Array.from(charts).every(c => c.querySelector(".main-svg")); }""",
        timeout=timeout,
    )
    return handle, frame


def script_sources(frame) -> list[str]:
    """The src of every script the frame loads by URL."""
    return frame.evaluate("() => Array.from(document.scripts).filter(s => s.src).map(s => s.src)")


def month_ticks(frame) -> list[str]:
    """The month names plotly.js writes on a date axis in the frame: its locale at work."""
    return frame.evaluate(_MONTH_TICKS)


# Streamlit's and Plotly's own English, as their controls write it (Streamlit 1.67, plotly.js 3):
# whole texts, and parts that name something of ours ("Help for Titel", "Remove Personal").
ENGLISH_WHOLE = (
    "Skip to main content", "Choose an option", "Collapse sidebar", "Expand sidebar", "Main menu",
    "Link to heading", "Open", "Close", "Clear all", "Show/hide columns", "Download as CSV", "Search",
    "Fullscreen", "Close fullscreen", "Upload", "file upload", "Add files", "Zoom", "Zoom in", "Zoom out",
    "Pan", "Autoscale", "Reset axes", "Download plot as a PNG", "Print", "Record screen", "Help",
)  # fmt: skip
ENGLISH_PARTS = ("Help for ", "Remove ", " per file", "Drag and drop", "are not allowed", "or smaller")

_SHOWN_AND_NAMED = """() => {
  const out = [];
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = texts.nextNode(); n; n = texts.nextNode()) {
    if (n.parentElement.closest("script, style")) continue;
    const t = n.textContent.trim();
    if (t) out.push(t);
  }
  for (const el of document.querySelectorAll("[aria-label], [title], [placeholder], [data-title]"))
    for (const a of ["aria-label", "title", "placeholder", "data-title"]) {
      const v = el.getAttribute(a);
      if (v) out.push(v.trim());
    }
  return out;
}"""


def english_ui_texts(page) -> list[str]:
    """Streamlit's or Plotly's English still in the page's text or its controls' names."""
    return sorted(
        {
            t
            for t in page.evaluate(_SHOWN_AND_NAMED)
            if t in ENGLISH_WHOLE or any(p in t for p in ENGLISH_PARTS)
        }
    )
