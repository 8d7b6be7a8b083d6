"""The state store's speed on each backend: changes per second with 8 writer processes, and the
read time of the plan (and of the Aktiviteter page) with 10 000 logged changes.

    python benchmarks/tillstand.py [--writes 200] [--runs 3] [--url postgresql://...]

PostgreSQL is a private server started here (initdb/pg_ctl, fsync on, as in production) unless
--url names one. SQLite is a file in a temp dir with the store's own settings (WAL, FULL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

WRITERS = 8
CHANGES = 10_000


def _writer(state: str, url: str, n: int, count: int, ready, go, out) -> None:
    from kfp_metrics import tillstand

    store = tillstand.oppna(state, url)
    store.andringsversion()  # connected before the clock starts
    ready.release()
    go.wait()
    for i in range(count):
        store.append_change(
            f"A{n % 6 + 1}", ("pagar", "klar")[i % 2], f"skrivare {n} nr {i}", f"Skrivare {n}"
        )
    out.put(time.perf_counter())


def writes_per_second(state: Path, url: str, count: int) -> float:
    """8 processes each logging count changes at once; total changes / wall time."""
    from kfp_metrics import tillstand

    tillstand.oppna(state, url)  # migrated before the race
    ctx = multiprocessing.get_context("spawn")
    ready, go, out = ctx.Semaphore(0), ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=_writer, args=(str(state), url, n, count, ready, go, out)) for n in range(WRITERS)
    ]
    for p in procs:
        p.start()
    for _ in procs:
        ready.acquire()
    start = time.perf_counter()
    go.set()
    ends = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    assert all(p.exitcode == 0 for p in procs)
    return WRITERS * count / (max(ends) - start)


def fill(state: Path, url: str) -> None:
    """10 000 changes over the fixture plan's six activities, as fast as one writer goes."""
    from kfp_metrics import tillstand

    store = tillstand.oppna(state, url)
    have = store.andringsversion()
    for i in range(have, CHANGES):
        store.append_change(
            f"A{i % 6 + 1}", ("pagar", "klar", "ej_paborjad")[i % 3], f"uppföljning nr {i}", "Mätning"
        )


def plan_read(data: Path, state: Path, url: str, runs: int) -> float:
    """Median time of current_plan (all 10 000 changes read, latest per activity)."""
    from kfp_metrics import aktivitetslogg, tillstand
    from kfp_metrics.extracts import connect

    tillstand.glom()
    os.environ["KFP_STATE_URL"] = url
    con = connect(data)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        aktivitetslogg.current_plan(con, state)
        times.append(time.perf_counter() - started)
    con.close()
    return statistics.median(times)


def page_read(data: Path, state: Path, url: str, runs: int) -> float:
    """Median time of a cold run of the Aktiviteter page (caches cleared) under AppTest."""
    from kfp_metrics import tillstand

    tillstand.glom()
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    original = PagesManager.__init__

    def init(self, *a, **k):
        original(self, *a, **k)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    os.environ.update({"KFP_DATA_DIR": str(data), "KFP_STATE_DIR": str(state), "KFP_STATE_URL": url})
    os.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["period"] = "2024-09"
    at.run()
    at.switch_page("pages/aktiviteter.py").run()
    assert not at.exception, at.exception
    times = []
    for _ in range(runs):
        st.cache_data.clear()
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
        assert not at.exception, at.exception
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=200, help="changes per writer process")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--url", default="", help="an existing PostgreSQL database (default: start one)")
    args = parser.parse_args()

    import fixture_data
    from tillstand_fixtures import start_pg, stop_pg

    work = Path(tempfile.mkdtemp(prefix="kfp-bench-tillstand-"))
    data = fixture_data.write(work / "extrakt")
    server = None
    results = {
        "datum": dt.date.today().isoformat(),
        "skrivare": WRITERS,
        "andringar_per_skrivare": args.writes,
    }
    try:
        url = args.url
        if not url:
            server = start_pg(fsync=True)
            url = server.new_database()
        backends = (("sqlite", ""), ("postgres", url))
        for backend, backend_url in backends:
            rates = []
            for run in range(args.runs):
                state = work / f"{backend}-skriv-{run}"
                run_url = backend_url and (server.new_database() if server else backend_url)
                rates.append(writes_per_second(state, run_url, args.writes))
            results[backend] = {
                "andringar_per_s": round(statistics.median(rates)),
                "andringar_per_s_alla": [round(r) for r in rates],
            }
            print(json.dumps({backend: results[backend]}, ensure_ascii=False), flush=True)
        # The reads last: AppTest replaces __main__, after which spawned writers cannot start.
        for backend, backend_url in backends:
            state = work / f"{backend}-las"
            read_url = backend_url and (server.new_database() if server else backend_url)
            fill(state, read_url)
            results[backend]["plan_10000_s"] = round(plan_read(data, state, read_url, args.runs * 3), 4)
            results[backend]["sidan_10000_s"] = round(page_read(data, state, read_url, args.runs), 3)
            empty = work / f"{backend}-tom"
            empty_url = backend_url and (server.new_database() if server else "")
            if backend == "sqlite" or empty_url:
                results[backend]["sidan_0_s"] = round(page_read(data, empty, empty_url, args.runs), 3)
            print(json.dumps({backend: results[backend]}, ensure_ascii=False), flush=True)
    finally:
        if server:
            from kfp_metrics import tillstand

            tillstand.glom()
            stop_pg(server)
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
