"""Starting the app under streamlit.testing on a given extracts directory."""

from __future__ import annotations

from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def _navigation_only(monkeypatch) -> None:
    """Keep AppTest on st.navigation. AppTest resets PagesManager.uses_pages_directory before every
    run, and with a pages/ folder beside app.py every run after the first would execute the page
    file alone (multipage v1): no app.py, no sidebar filters, widget state lost."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def app_test(monkeypatch, data_dir: Path, state_dir: Path, query: dict | None = None) -> AppTest:
    """An AppTest of app.py reading data_dir, with optional URL query parameters."""
    _navigation_only(monkeypatch)
    monkeypatch.setenv("KFP_DATA_DIR", str(data_dir))
    monkeypatch.setenv("KFP_STATE_DIR", str(state_dir))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at


def all_text(at: AppTest) -> str:
    """Every markdown, caption, title, metric and notice text of the last run, joined."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "warning",
        "info",
        "error",
        "success",
    ):
        parts.extend(str(getattr(e, "value", "")) for e in getattr(at, kind))
    for m in at.metric:
        parts.append(f"{m.label} {m.value}")
    return "\n".join(parts)
