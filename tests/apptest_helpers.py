"""Starting the app under streamlit.testing on a given extracts directory."""

from __future__ import annotations

import re
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


AUTH_SECRETS = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "en-lång-hemlighet-för-tester-som-räcker-till-32-byte",
    "entra": {
        "client_id": "kfp-test",
        "client_secret": "hemligt",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    },
}


def logged_in_app(
    monkeypatch,
    data_dir: Path,
    state_dir: Path,
    user: dict | None,
    access: str | None,
    query: dict | None = None,
) -> AppTest:
    """An AppTest with login configured: user is st.user's claims (None = logged out), access
    the text of the access file (None = no file)."""
    at = app_test(monkeypatch, data_dir, state_dir, query)
    path = state_dir / "behorighet.toml"
    if access is not None:
        path.write_text(access, encoding="utf-8")
    monkeypatch.setenv("KFP_BEHORIGHET", str(path))
    at.secrets["auth"] = AUTH_SECRETS
    at.user = {"is_logged_in": False} if user is None else {"is_logged_in": True, **user}
    return at


def open_tables(at: AppTest) -> AppTest:
    """Open every 'Visa data' expander of the last run, as a person clicking each of them would, and
    run again: the tables are made and sent only while their expander is open (tables.show_data)."""
    keys = [m.group(1) for e in at.expander if (m := re.search(r"-(visa_data_\w+)$", e.proto.id))]
    for key in keys:
        at.session_state[key] = True
    if keys:
        at.run()
    return at


def deferred_downloads(monkeypatch) -> list[tuple]:
    """(make, file name) of every download button made with a callable (made when pressed) from
    now on, in order: call make() to get what pressing the button hands over."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    deferred: list[tuple] = []
    add_deferred = MediaFileManager.add_deferred

    def remember(self, make, mimetype, coordinates, file_name=None, **kwargs):
        deferred.append((make, file_name or ""))
        return add_deferred(self, make, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", remember)
    return deferred


def lazy_tabs(at: AppTest) -> list[tuple[str, list[str]]]:
    """(key, labels) of every st.tabs of the last run that builds only its open tab
    (on_change="rerun" with a key): the widget id ends with the key, as for other widgets."""
    found = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if getattr(node, "type", None) == "tab_container" and proto is not None:
            m = re.search(r"-([A-Za-z_]\w*)$", proto.tab_container.id) if proto.tab_container.id else None
            if m:
                found.append((m.group(1), [child.label for child in node.children.values()]))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Open the tab label of the lazy tabs under key, as a person clicking it would, and run."""
    at.session_state[key] = label
    return at.run()


def everything_shown(at: AppTest) -> str:
    """Every text a person could read or scrape from the last run, with every 'Visa data' table
    opened (open_tables) and, where a page builds only its open tab, every tab opened in turn:
    texts, metrics, tables (cells and headers), widget options and values, chart JSON, frames and
    download file names."""
    open_tables(at)
    parts = [_shown(at)]
    for key, labels in lazy_tabs(at):
        for label in labels:
            open_tables(open_tab(at, key, label))
            parts.append(_shown(at))
    return "\n".join(parts)


def _shown(at: AppTest) -> str:
    parts = [all_text(at)]
    for frame in at.dataframe:
        value = frame.value
        parts.append(" ".join(map(str, value.columns)))
        parts.append(value.to_csv(index=False))
    for table in at.table:
        parts.append(table.value.to_csv(index=False))
    for kind in ("selectbox", "multiselect", "radio"):
        for widget in getattr(at, kind):
            parts.extend(str(o) for o in getattr(widget, "options", []))
            parts.append(str(widget.value))
    for element in at.get("plotly_chart"):
        parts.append(element.proto.spec)
    for element in at.get("download_button"):
        parts.append(str(element.proto))
    for element in at.get("code"):
        parts.append(str(getattr(element, "value", "")))
    for element in at.get("iframe"):
        parts.append(str(element.proto))
    for element in at.get("text"):
        parts.append(str(getattr(element, "value", "")))
    return "\n".join(parts)
