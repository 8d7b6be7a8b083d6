"""Many people at once: N light websocket sessions, each with its own avdelning scope, against one
Streamlit server, timing every page from request to the server's "script finished".

    python benchmarks/concurrent_ws.py --data DIR [--sessions 20] [--pages oversikt sjukfranvaro ...]
                                       [--port 8599] [--parquet] [--processer N]

The clients speak Streamlit's own websocket protocol (protobuf BackMsg/ForwardMsg) and render
nothing, so their CPU does not compete with the server's. Each client opens the pages one after
another, each as a new session from a link with its scope in the URL (as a person following a
link would); all clients start together. The server starts fresh (empty caches); the prepared
store, if used, is built before the clock starts. Prints JSON: per-page median, p95 and max over
the sessions, and the server's CPU seconds during the run (all its processes).

With --processer N the server is `python -m kfp_metrics server --processer N`: N app processes
behind one address; each new session goes to the process with the fewest open sessions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = ("oversikt", "sjukfranvaro", "heltid", "rorlighet", "personal")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process, its waited-for children and its running children, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    own = sum(int(fields[i]) for i in (11, 12, 13, 14)) / ticks
    return own + sum(_cpu_seconds(int(child)) for child in children)


async def _visit(url: str, page: str, query: str, timeout: float) -> tuple[float, str]:
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    start = time.perf_counter()
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = "" if page == "oversikt" else page
        await ws.send(msg.SerializeToString())
        status = "timeout"
        deadline = start + timeout
        errors = []
        while time.perf_counter() < deadline:
            raw = await asyncio.wait_for(ws.recv(), timeout=deadline - time.perf_counter())
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                if fwd.delta.new_element.WhichOneof("type") == "exception":
                    errors.append(fwd.delta.new_element.exception.message[:200])
            if kind == "page_not_found":
                status = "page_not_found"
                break
            if kind == "script_finished":
                status = "ok" if not errors else "fel: " + "; ".join(errors)
                break
        return time.perf_counter() - start, status


async def _client(url, pages, query, timeout, results):
    for page in pages:
        try:
            seconds, status = await _visit(url, page, query, timeout)
        except Exception as exc:  # a failed visit is reported, not hidden
            seconds, status = float("nan"), f"{type(exc).__name__}: {exc}"
        results.append({"page": page, "query": query, "s": seconds, "status": status})


def _scopes(data: Path, n: int) -> list[str]:
    import duckdb

    sys.path.insert(0, str(ROOT))
    from kfp_metrics.extracts import locate_tables

    source = locate_tables(data)["anstallningar"].read_sql()
    rows = duckdb.sql(f"select distinct forvaltning, avdelning from {source} order by 2, 1").fetchall()
    by_forv: dict[str, list[str]] = {}
    for f, a in rows:
        by_forv.setdefault(f, []).append(a)
    spread = [(f, a) for i in range(5) for f, avds in by_forv.items() for a in avds[i : i + 1]]
    return [urllib.parse.urlencode({"forvaltning": f, "avdelning": a}) for f, a in spread[:n]]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--pages", nargs="*", default=list(DEFAULT_PAGES))
    parser.add_argument("--port", type=int, default=8599)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--log", type=Path, default=Path(tempfile.gettempdir()) / "kfp-concurrent-server.log")
    parser.add_argument("--parquet", action="store_true", help="read the Parquet directly (KFP_FORBEREDD=av)")
    parser.add_argument("--processer", type=int, default=1, help="app processes behind one address")
    args = parser.parse_args()

    state = os.environ.get("KFP_STATE_DIR") or tempfile.mkdtemp(prefix="kfp-state-")
    env = {**os.environ, "KFP_DATA_DIR": str(args.data), "KFP_STATE_DIR": state}
    if args.parquet:
        env["KFP_FORBEREDD"] = "av"
    else:
        subprocess.run(
            [sys.executable, "-m", "kfp_metrics", "forbered", "--data", str(args.data)],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    if args.processer > 1:
        command = [
            "-m",
            "kfp_metrics",
            "server",
            "--processer",
            str(args.processer),
            "--port",
            str(args.port),
        ]
    else:
        command = ["-m", "kfp_metrics.server.appprocess", "--server.port", str(args.port)]
        command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
        command += ["--browser.gatherUsageStats", "false"]
    server = subprocess.Popen(
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=args.log.open("w"),
    )
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        url = f"ws://127.0.0.1:{args.port}/_stcore/stream"
        scopes = _scopes(args.data, args.sessions)
        # The app's own start (validation, sidebar lists) once per process, on the whole city,
        # before the clock (one after another, so that each goes to another process).
        # Each is that process's first visit after its start (Översikt, whole city).
        warm = [asyncio.run(_visit(url, "oversikt", "", args.timeout)) for _ in range(args.processer)]
        cpu0 = _cpu_seconds(server.pid)
        results: list[dict] = []

        async def everyone():
            await asyncio.gather(*(_client(url, args.pages, q, args.timeout, results) for q in scopes))

        t0 = time.perf_counter()
        asyncio.run(everyone())
        wall = time.perf_counter() - t0
        cpu = _cpu_seconds(server.pid) - cpu0
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    def p95(values):
        values = sorted(values)
        return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]

    per_page = {}
    for page in args.pages:
        times = [r["s"] for r in results if r["page"] == page and r["status"] == "ok"]
        bad = [r["status"] for r in results if r["page"] == page and r["status"] != "ok"]
        per_page[page] = {
            "median_s": statistics.median(times) if times else None,
            "p95_s": p95(times) if times else None,
            "max_s": max(times) if times else None,
            "failed": bad,
        }
    ok = [r["s"] for r in results if r["status"] == "ok"]
    print(
        json.dumps(
            {
                "sessions": len(scopes),
                "prepared": not args.parquet,
                "warmup_s": [w[0] for w in warm],
                "wall_s": wall,
                "server_cpu_s": cpu,
                "all_p95_s": p95(ok) if ok else None,
                "all_max_s": max(ok) if ok else None,
                "pages": per_page,
            },
            ensure_ascii=False,
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
