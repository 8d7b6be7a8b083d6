"""Nämndrapport's on-screen preview: the downloaded page, except that it loads plotly.js from the app.

The HTML download and the PDF printed from it carry plotly.js (5 MB) inline; the preview in the
page's iframe has a script tag pointing at the copy the app serves from static/, so that every
visit and rerun sends a few hundred kB instead. The browser tests (test_browser.py, test_server.py)
check that the preview's charts are drawn from that copy."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from pathlib import Path

import plotly
import plotly.offline
import pytest
from apptest_helpers import app_test, deferred_downloads, open_tab
from browser_helpers import ROOT
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1.util import patch_config_options

from kfp_metrics.rapport import Options, collect, skapa
from kfp_metrics.rapport import pdf as rapport_pdf
from kfp_metrics.rapport.html import plotlyjs, render, render_with_preview
from kfp_metrics.ui import static_files

URL = "/app/static/plotly-test.min.js"
LINKED = f'<script src="{URL}"></script>'
OPTIONS = Options(period=dt.date(2024, 9, 1), skapad=dt.datetime(2024, 10, 15, 9, 30), fingeravtryck="x")
SERVING = {"server.enableStaticServing": True, "server.baseUrlPath": ""}


def inline() -> str:
    return f"<script>\n{plotlyjs()}\n</script>"


@pytest.fixture(scope="module")
def rapport(con, tmp_path_factory):
    return collect(con, dataclasses.replace(OPTIONS, state_dir=tmp_path_factory.mktemp("state")))


def test_preview_differs_from_the_download_only_in_the_plotlyjs_tag(rapport):
    html, preview = render_with_preview(rapport, URL)
    assert html == render(rapport)  # the download and the PDF's source, unchanged
    assert html.count(inline()) == 1 and "<script src=" not in html
    assert preview.count(LINKED) == 1 and "plotly.js v" not in preview
    assert preview.replace(LINKED, inline()) == html
    # plotly.js first, then the Swedish locale that registers with it, then the charts
    assert preview.index(LINKED) < preview.index('Plotly.register({"moduleType": "locale", "name": "sv"')
    assert preview.index("Plotly.register(") < preview.index("Plotly.newPlot(")
    assert len(preview) < len(html) - 4_000_000


def test_skapa_previews_the_download_itself_without_a_url(con, tmp_path):
    options = dataclasses.replace(OPTIONS, state_dir=tmp_path)
    alone = skapa(con, options)
    assert alone.forhandsvisning == alone.html and inline() in alone.html
    linked = skapa(con, options, URL)
    assert inline() in linked.html and "<script src=" not in linked.html
    assert LINKED in linked.forhandsvisning and plotlyjs() not in linked.forhandsvisning


@pytest.fixture()
def static(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "static"
    monkeypatch.setattr(static_files, "_static_dir", lambda: folder)
    return folder


def installed() -> tuple[Path, str]:
    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return source, f"plotly-{plotly.offline.get_plotlyjs_version()}.min.js"


def test_plotlyjs_is_copied_once_whole_with_the_installed_version_in_its_name(static):
    source, name = installed()
    with patch_config_options(SERVING):
        assert static_files.plotlyjs_url() == f"/app/static/{name}"
        copy = static / name
        assert copy.read_text(encoding="utf-8") == plotlyjs()
        assert copy.stat().st_mtime == source.stat().st_mtime  # browsers keep it by its age
        assert copy.stat().st_mode & 0o777 == 0o644
        before = copy.stat()
        assert static_files.plotlyjs_url() == f"/app/static/{name}"
        assert (copy.stat().st_ino, copy.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
        # Half a file (a copy cut short) is replaced by a whole one.
        copy.write_bytes(source.read_bytes()[:1000])
        assert static_files.plotlyjs_url() == f"/app/static/{name}"
        assert copy.stat().st_size == source.stat().st_size
    assert sorted(p.name for p in static.iterdir()) == [name]  # no temporary file left behind


def test_url_follows_the_base_url_path(static):
    _, name = installed()
    with patch_config_options({**SERVING, "server.baseUrlPath": "/kfp/"}):
        assert static_files.plotlyjs_url() == f"/kfp/app/static/{name}"


def test_no_url_without_static_serving_or_a_writable_folder(static, tmp_path, monkeypatch, caplog):
    with patch_config_options({**SERVING, "server.enableStaticServing": False}):
        assert static_files.plotlyjs_url() is None
    assert not static.exists()
    # A folder that cannot be made (here below a file): no URL, one warning, the preview inline.
    blocker = tmp_path / "fil"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setattr(static_files, "_static_dir", lambda: blocker / "static")
    with patch_config_options(SERVING), caplog.at_level(logging.WARNING, "kfp_metrics.ui.static_files"):
        assert static_files.plotlyjs_url() is None
        assert static_files.plotlyjs_url() is None
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == [
        f"plotly.js kunde inte läggas i {blocker / 'static' / installed()[1]}"
    ]


def test_page_previews_the_sample_data_light_and_offers_the_whole_page(monkeypatch, static, tmp_path):
    monkeypatch.setattr(rapport_pdf, "browser_available", lambda: False)
    stored = []
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, data, mimetype, kind, filename=None):
        stored.append((filename, data))
        return original(self, data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    deferred = deferred_downloads(monkeypatch)
    state = tmp_path / "state"
    state.mkdir()
    at = app_test(monkeypatch, ROOT / "data", state)
    at.switch_page("pages/namndrapport.py").run()
    assert not at.exception, at.exception
    # The draft to review is the first tab; the preview, with every chart, is made when opened.
    assert not at.get("iframe")
    open_tab(at, "rapport_flik", "Förhandsgranskning")
    assert not at.exception, at.exception
    (frame,) = at.get("iframe")
    preview = frame.proto.srcdoc
    _, name = installed()
    assert preview.count(f'<script src="/app/static/{name}"></script>') == 1
    assert len(preview.encode("utf-8")) < 1_000_000
    assert (static / name).is_file()
    # The HTML is handed over when the button is pressed (a deferred download), not on every run.
    assert not [filename for filename, _ in stored if filename and filename.endswith(".html")]
    (button,) = [b for b in at.get("download_button") if b.proto.label == "Ladda ner HTML"]
    assert button.proto.deferred_file_id
    # One per run (the page ran twice); the last one is the page on screen now.
    download = [make for make, filename in deferred if filename.endswith(".html")][-1]()
    page = download.decode("utf-8")
    assert inline() in page and "<script src=" not in page
    assert page.replace(inline(), f'<script src="/app/static/{name}"></script>') == preview
