"""Every page's first visit after start on the whole city, and warm runs (caches filled).

    python benchmarks/pages_warm.py --data DIR [--runs 3]

Each page in a process of its own, so that its first visit finds every cache empty as after a
start (the app is first run on Översikt, as the server does for the first visitor; the prepared
store is built before; the pages' modules are imported before, as kfp_metrics.server.appprocess
does, unless KFP_FORVARMNING=av). Times are the server's script run (apptest_timing.py), with its
CPU time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--page", default=None, help="one page file name (run in this process)")
    args = parser.parse_args()
    os.environ["KFP_DATA_DIR"] = str(args.data)
    os.environ.setdefault("KFP_STATE_DIR", tempfile.mkdtemp(prefix="kfp-state-"))
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    if args.page:
        print(json.dumps(_one(args.page, args.runs)))
        return
    pages = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
    import subprocess

    from kfp_metrics import forberedd

    forberedd.connect(args.data, prepare=True).close()
    result = {}
    for name in pages:
        done = subprocess.run(
            [sys.executable, __file__, "--data", str(args.data), "--runs", str(args.runs), "--page", name],
            capture_output=True,
            text=True,
            env=os.environ,
        )
        result[name] = (
            json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else done.stderr[-500:]
        )
        print(name, result[name], file=sys.stderr, flush=True)
    print(json.dumps(result))


def _one(name: str, runs: int) -> dict:
    from apptest_timing import install, new_app

    if os.environ.get("KFP_FORVARMNING") != "av":
        # As the app process does before it takes visitors (kfp_metrics.server.appprocess).
        from kfp_metrics.server import forvarmning

        forvarmning.importera()
    last_run = install()
    at = new_app(ROOT / "app.py", timeout=600)
    at.run()  # Översikt, the start page
    cold = dict(last_run)
    if name != "oversikt.py":
        at.switch_page(f"pages/{name}")
        at.run()
        cold = dict(last_run)
    warm, warm_cpu = [], []
    for _ in range(runs):
        at.run()
        warm.append(last_run["wall"])
        warm_cpu.append(last_run["cpu"])
    return {
        "first_s": cold["wall"],
        "first_cpu_s": cold["cpu"],
        "warm_median_s": statistics.median(warm),
        "warm_median_cpu_s": statistics.median(warm_cpu),
        "exception": [str(e.value) for e in at.exception],
    }


if __name__ == "__main__":
    main()
