"""Warm time of the Översikt page's queries: key figures for P and P−12, targets and the incident
card's tertials, no app cache.

    python benchmarks/oversikt_queries.py --data DIR --period 2026-10 [--runs 7]

Connects as the app does (kfp_metrics.forberedd.connect): the prepared store when one is complete
for the extracts in KFP_STATE_DIR, else (or with KFP_FORBEREDD=av) the Parquet directly.

Measured two ways, run by run alternately so that both see the same machine: side by side, as the
page computes them (every section of P and P−12, the targets and the tertials in at most
min(4, cores) threads, pages/oversikt.py and ui/data.key_figures_and_year_before), and one at a
time. The headline figures (warm_median_s) are the page's way."""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kfp_metrics import forberedd, incidenter, nyckeltal  # noqa: E402
from kfp_metrics.extracts import remembered  # noqa: E402
from kfp_metrics.oversikt import SECTIONS_BEFORE, SECTIONS_NOW  # noqa: E402
from kfp_metrics.periods import add_months, parse_period  # noqa: E402
from kfp_metrics.queries import Scope, shared_results, side_by_side  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--period", required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    period = parse_period(args.period)
    before = add_months(period, -12)
    con = forberedd.connect(args.data)
    at_once = max(1, min(4, os.cpu_count() or 1))  # as ui/samtidigt.workers()

    def once(threads: int) -> tuple[float, float]:
        # Uncached: drop the survey figures nyckeltal keeps per connection from the previous run.
        remembered(con, ("medarbetarenkat",), dict).clear()
        start = time.perf_counter()
        cpu_start = time.process_time()  # all threads of the process: steadier on a shared machine
        years = [(period, SECTIONS_NOW), (before, SECTIONS_BEFORE)]
        calls = [
            functools.partial(nyckeltal.section, con, name, p, Scope())
            for p, names in years
            for name in names
        ]
        # The sections the page shows (oversikt.SECTIONS_NOW / SECTIONS_BEFORE), their tillsvidare
        # headcounts cut from one query over the 25 months as on the page.
        with shared_results(months=(add_months(period, -24), period)):
            parts = iter(side_by_side(calls, threads))
            for p, names in years:
                nyckeltal.assemble(p, Scope(), {name: next(parts) for name in names})
        side_by_side(
            [
                lambda: nyckeltal.targets(con, period, Scope()),
                lambda: incidenter.tertialer(con, period, Scope()),
            ],
            threads,
        )
        return time.perf_counter() - start, time.process_time() - cpu_start

    cold = once(at_once)[0]
    page, alone = [], []
    for _ in range(args.runs):
        page.append(once(at_once))
        alone.append(once(1))
    print(
        json.dumps(
            {
                "kalla": "förberedd databas" if forberedd.is_prepared(con) else "Parquet",
                "tradar": at_once,
                "cold_s": cold,
                "warm_median_s": statistics.median(w for w, _ in page),
                "warm_min_s": min(w for w, _ in page),
                "warm_max_s": max(w for w, _ in page),
                "warm_cpu_median_s": statistics.median(c for _, c in page),
                "en_i_taget_median_s": statistics.median(w for w, _ in alone),
                "en_i_taget_cpu_median_s": statistics.median(c for _, c in alone),
            }
        )
    )


if __name__ == "__main__":
    main()
