"""Warm run time of every page under streamlit.testing: second run of each page, caches filled."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ["KFP_DATA_DIR"] = str(args.data)
    os.environ.setdefault("KFP_STATE_DIR", tempfile.mkdtemp(prefix="kfp-state-"))
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    # As tests/apptest_helpers.py: keep AppTest on st.navigation (app.py with its sidebar) on every
    # run, instead of running the page file alone after the first run.
    original = PagesManager.__init__

    def init(self, *a, **k):
        original(self, *a, **k)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init

    pages = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
    result = {}
    for name in pages:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.run()
        at.switch_page(f"pages/{name}")
        start = time.perf_counter()
        at.run()
        cold = time.perf_counter() - start
        warm = []
        for _ in range(args.runs):
            start = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - start)
        result[name] = {
            "cold_s": cold,
            "warm_median_s": statistics.median(warm),
            "exception": [str(e.value) for e in at.exception],
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
