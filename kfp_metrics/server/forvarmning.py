"""What an app process does before its first visitor: import what the app and its pages import.

Streamlit imports a page's modules on the first run that needs them, so the first visitor after a
start waited for pandas, Plotly, DuckDB and the package (≈ 0,5 s for Översikt on the whole city) on top of the
page. The modules are read from the import statements of app.py and pages/*.py, so a new page's
imports are warmed without a list to keep up to date.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import logging
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def page_modules(root: Path = ROOT) -> list[str]:
    """The modules app.py and the pages import at their top level, in first-seen order."""
    names: list[str] = []
    for path in [root / "app.py", *sorted((root / "pages").glob("*.py"))]:
        for node in ast.parse(path.read_text(encoding="utf-8"), filename=str(path)).body:
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.append(node.module)
                # "from kfp_metrics.ui import data" names a module; "from x import function" does not.
                names += [
                    f"{node.module}.{alias.name}"
                    for alias in node.names
                    if _is_module(node.module, alias.name)
                ]
    return list(dict.fromkeys(names))


def _is_module(package: str, name: str) -> bool:
    try:
        return importlib.util.find_spec(f"{package}.{name}") is not None
    except (ImportError, ValueError):
        return False


def importera(root: Path = ROOT) -> list[str]:
    """Import every module of page_modules; returns those that could not be imported.

    A module that fails here fails again on the page, where the visitor sees Streamlit's message;
    the process still starts."""
    failed = []
    # Before Streamlit's runtime exists, each @st.cache_data logs that it would fall back to memory.
    # It does not: a cache's storage is chosen on its first call, inside the runtime.
    importlib.import_module("streamlit.runtime.caching.cache_data_api")  # sets its logger's level
    caching = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    level = caching.level
    caching.setLevel(logging.ERROR)
    try:
        for name in page_modules(root):
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - reported by the page itself on its run
                failed.append(name)
    finally:
        caching.setLevel(level)
    return failed
