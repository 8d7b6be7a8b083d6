"""plotly.js on the app's own address, for the report's on-screen preview.

The preview is a srcdoc iframe: a root-relative URL in it is fetched from the address the browser
has the app on, through the proxy of `kfp_metrics server` as well. Streamlit serves the folder
static/ next to app.py at /app/static/ (server.enableStaticServing) and follows no link out of
it, so the installed plotly's own plotly.min.js is copied there (static/.gitignore keeps it out
of git). The copy is named by plotly.js's version, so that a browser's cached copy is never
another version, and keeps the original's modification time, from which browsers judge how long
to keep it. Where static/ cannot be written the preview carries plotly.js itself, as the download.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from streamlit import config, file_util
from streamlit.runtime.scriptrunner import get_script_run_ctx

ROUTE = "/app/static/"

_LOG = logging.getLogger(__name__)
_warned: set[str] = set()


@lru_cache(maxsize=1)
def _source() -> tuple[Path, str]:
    import plotly
    import plotly.offline

    return (
        Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js",
        f"plotly-{plotly.offline.get_plotlyjs_version()}.min.js",
    )


def _static_dir() -> Path | None:
    """The folder Streamlit serves at ROUTE: static/ next to the running app's main script."""
    ctx = get_script_run_ctx()
    return Path(file_util.get_app_static_dir(ctx.main_script_path)) if ctx is not None else None


def _copy(source: Path, target: Path) -> None:
    """Copy source to target in one step: a process serving the file never sees half of it."""
    target.parent.mkdir(exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".plotly-", suffix=".tmp")
    os.close(fd)
    try:
        shutil.copy2(source, temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def plotlyjs_url() -> str | None:
    """The URL of plotly.js on the app's address, copied into static/ if missing or not whole;
    None where the app cannot serve it (static serving off, static/ not writable), and the preview
    then carries plotly.js itself."""
    static = _static_dir()
    if static is None or not config.get_option("server.enableStaticServing"):
        return None
    source, name = _source()
    target = static / name
    try:
        size = source.stat().st_size
        with contextlib.suppress(FileNotFoundError):
            if target.stat().st_size == size:
                return _url(name)
        _copy(source, target)
    except OSError as exc:
        if str(target) not in _warned:
            _warned.add(str(target))
            _LOG.warning(
                "plotly.js kunde inte läggas i %s (%s); förhandsgranskningen bär den själv.", target, exc
            )
        return None
    return _url(name)


def _url(name: str) -> str:
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return (f"/{base}" if base else "") + ROUTE + name
