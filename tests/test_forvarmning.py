"""The app process imports the pages' modules before its first visitor (kfp_metrics.server.forvarmning)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from kfp_metrics.server import forvarmning

ROOT = Path(__file__).resolve().parent.parent


def test_the_modules_are_read_from_the_pages_imports(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "app.py").write_text("import streamlit as st\nfrom kfp_metrics.ui import navigation\n")
    (tmp_path / "pages" / "a.py").write_text(
        textwrap.dedent(
            """
            import datetime as dt
            from kfp_metrics import heltid, periods
            from kfp_metrics.format import manad
            from . import ignored
            if False:
                import json
            """
        )
    )
    (tmp_path / "pages" / "b.py").write_text("from kfp_metrics import heltid\nimport pandas as pd\n")
    assert forvarmning.page_modules(tmp_path) == [
        "streamlit",
        "kfp_metrics.ui",
        "kfp_metrics.ui.navigation",
        "datetime",
        "kfp_metrics",
        "kfp_metrics.heltid",
        "kfp_metrics.periods",
        # "manad" is a function of kfp_metrics.format, not a module; the relative import and
        # the one inside the if are not top-level module imports.
        "kfp_metrics.format",
        "pandas",
    ]


def test_the_real_pages_modules_are_imported_and_nothing_fails():
    names = forvarmning.page_modules()
    # What Översikt, the first page after a start, needs in the first place.
    for name in (
        "streamlit",
        "pandas",
        "kfp_metrics.oversikt",
        "kfp_metrics.ui.data",
        "kfp_metrics.ui.filters",
    ):
        assert name in names
    script = (
        "import json, sys\n"
        "from kfp_metrics.server import forvarmning\n"
        "before = set(sys.modules)\n"
        "failed = forvarmning.importera()\n"
        "print(json.dumps({'failed': failed, 'new': sorted(set(sys.modules) - before)}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["failed"] == []
    for name in (
        "pandas",
        "duckdb",
        "plotly.graph_objects",
        "kfp_metrics.rapport.content",
        "kfp_metrics.ui.cards",
    ):
        assert name in result["new"]
    # Quiet: no warning per cached function about a missing runtime.
    assert "No runtime found" not in done.stderr
