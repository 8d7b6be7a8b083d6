"""First visit of every page for an avdelning scope nobody has opened yet, under streamlit.testing.

    python benchmarks/pages_scope.py --data DIR [--scopes 5] [--pages sjukfranvaro heltid ...]
                                     [--jamfor-samtidigt] [--oppna-flikar] [--profile]

The app is started once on the whole city (Översikt, so the connection, validation and the
sidebar's lists are in place), then every page is opened in a new session whose URL names an
avdelning that no earlier session touched: each page is the first to read its scopes. Prints JSON
with every run's time and the median per page.

The time is the server's (apptest_timing.py): from the start to the end of the page's script run,
and beside it the CPU time of the script thread and of the whole process (the threads a page
computes in included), which on a shared machine vary less than the clock.

--oppna-flikar: after each first visit, every other tab of a page that builds only its open tab
(st.tabs with on_change="rerun", Nämndrapport's preview) is opened in turn, as a person clicking
it would, and timed the same way.
"""

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
    parser.add_argument("--scopes", type=int, default=5)
    parser.add_argument("--pages", nargs="*", default=None, help="page file names without .py")
    parser.add_argument("--profile", action="store_true", help="also sum each query's time per page")
    parser.add_argument(
        "--jamfor-samtidigt",
        action="store_true",
        help="every other scope with the page's computations one at a time (ui/samtidigt), for an A/B "
        "within one process; prints both medians",
    )
    parser.add_argument(
        "--oppna-flikar",
        action="store_true",
        help="after each first visit, open every other tab of lazily built tabs and time it",
    )
    args = parser.parse_args()
    os.environ["KFP_DATA_DIR"] = str(args.data)
    os.environ.setdefault("KFP_STATE_DIR", tempfile.mkdtemp(prefix="kfp-state-"))
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT / "tests"))
    import duckdb
    from apptest_helpers import lazy_tabs  # the tests open lazily built tabs the same way
    from apptest_timing import install, new_app

    from kfp_metrics.extracts import locate_tables

    last_run = install()

    timings: dict[str, float] = {}
    if args.profile:
        _time_queries(timings)

    source = locate_tables(args.data)["anstallningar"].read_sql()
    org = duckdb.sql(f"select distinct forvaltning, avdelning from {source} order by 2, 1").fetchall()
    pages = args.pages or sorted(p.stem for p in (ROOT / "pages").glob("*.py"))
    # Spread the scopes over förvaltningar: the i-th scope of each page from a different one.
    by_forv: dict[str, list[str]] = {}
    for forv, avd in org:
        by_forv.setdefault(forv, []).append(avd)
    order = [
        (f, a)
        for i in range(max(map(len, by_forv.values())))
        for f, avds in by_forv.items()
        for a in avds[i : i + 1]
    ]
    runs = args.scopes * (2 if args.jamfor_samtidigt else 1)
    if len(order) < len(pages) * runs:
        raise SystemExit(f"för få avdelningar ({len(order)}) för {len(pages)} sidor × {runs}")

    start = time.perf_counter()
    warm = new_app(ROOT / "app.py")
    warm.run()
    startup = time.perf_counter() - start

    result = {"startup_s": startup, "pages": {}}
    k = 0
    for page in pages:
        times = []
        cpus = []
        process_cpus = []
        errors = []
        one_at_a_time: list[float] = []
        tab_times: dict[str, list[float]] = {}
        for i in range(runs):
            forv, avd = order[k]
            k += 1
            alone = args.jamfor_samtidigt and i % 2 == 0
            _one_at_a_time(alone)
            at = new_app(ROOT / "app.py")
            at.query_params["forvaltning"] = forv
            at.query_params["avdelning"] = avd
            at.switch_page(f"pages/{page}.py")
            last_run.clear()
            at.run()
            if alone:
                one_at_a_time.append(last_run["wall"])
                continue
            times.append(last_run["wall"])
            cpus.append(last_run["cpu"])
            process_cpus.append(last_run["process_cpu"])
            errors += [str(e.value) for e in at.exception]
            if args.oppna_flikar:
                for key, labels in lazy_tabs(at):
                    for label in labels[1:]:
                        at.session_state[key] = label
                        last_run.clear()
                        at.run()
                        tab_times.setdefault(label, []).append(last_run["wall"])
                        errors += [str(e.value) for e in at.exception]
        result["pages"][page] = {
            "runs_s": times,
            "median_s": statistics.median(times),
            "cpu_s": cpus,
            "median_cpu_s": statistics.median(cpus),
            "process_cpu_s": process_cpus,
            "median_process_cpu_s": statistics.median(process_cpus),
            "exception": errors,
        }
        for label, runs_s in tab_times.items():
            result["pages"][page].setdefault("tabs", {})[label] = {
                "runs_s": runs_s,
                "median_s": statistics.median(runs_s),
            }
            print(f"  tab {label}: median {statistics.median(runs_s) * 1000:.0f} ms", file=sys.stderr)
        if one_at_a_time:
            result["pages"][page]["one_at_a_time_runs_s"] = one_at_a_time
            result["pages"][page]["one_at_a_time_median_s"] = statistics.median(one_at_a_time)
            print(
                f"  one at a time: median {statistics.median(one_at_a_time) * 1000:.0f} ms", file=sys.stderr
            )
        if args.profile:
            top = sorted(timings.items(), key=lambda kv: -kv[1])[:8]
            result["pages"][page]["queries_s"] = dict(top)
            print("  " + ", ".join(f"{k} {v * 1000 / args.scopes:.0f}" for k, v in top), file=sys.stderr)
            timings.clear()
        print(
            f"{page}: median {statistics.median(times) * 1000:.0f} ms, "
            f"cpu {statistics.median(cpus) * 1000:.0f} ms (process {statistics.median(process_cpus) * 1000:.0f} ms)",
            file=sys.stderr,
            flush=True,
        )
    print(json.dumps(result))


_APP: dict = {}  # the app's own settings, kept before the first change


def _one_at_a_time(alone: bool) -> None:
    """The page's computations one after the other (alone) or side by side (the app's way)."""
    from kfp_metrics import aktiviteter
    from kfp_metrics.ui import samtidigt

    _APP.setdefault("workers", samtidigt.workers)
    _APP.setdefault("sections", aktiviteter.SECTION_WORKERS)
    samtidigt.workers = (lambda: 1) if alone else _APP["workers"]
    aktiviteter.SECTION_WORKERS = 1 if alone else _APP["sections"]


def _time_queries(timings: dict[str, float]) -> None:
    """Wrap queries.run in every module that imported it, summing wall time per query name."""
    import importlib
    import pkgutil

    import kfp_metrics
    from kfp_metrics import queries

    original = queries.run

    def timed(con, name, scope, **params):
        t0 = time.perf_counter()
        try:
            return original(con, name, scope, **params)
        finally:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - t0

    for info in pkgutil.walk_packages(kfp_metrics.__path__, "kfp_metrics."):
        if info.name.startswith("kfp_metrics.ui") or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        if getattr(module, "run", None) is original:
            module.run = timed
    queries.run = timed


if __name__ == "__main__":
    main()
