"""Warm time of the Översikt page's queries: key figures for P and P−12, targets and the incident
card's tertials, no app cache.

Connects as the app does (kfp_metrics.forberedd.connect): the prepared store when one is complete
for the extracts in KFP_STATE_DIR, else (or with KFP_FORBEREDD=av) the Parquet directly."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kfp_metrics import forberedd, incidenter, nyckeltal  # noqa: E402
from kfp_metrics.extracts import remembered  # noqa: E402
from kfp_metrics.oversikt import SECTIONS_BEFORE, SECTIONS_NOW  # noqa: E402
from kfp_metrics.periods import add_months, parse_period  # noqa: E402
from kfp_metrics.queries import Scope, shared_results  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--period", required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    period = parse_period(args.period)
    con = forberedd.connect(args.data)

    cpu: list[float] = []

    def once() -> float:
        # Uncached: drop the survey figures nyckeltal keeps per connection from the previous run.
        remembered(con, ("medarbetarenkat",), dict).clear()
        start = time.perf_counter()
        cpu_start = time.process_time()  # all threads of the process: steadier on a shared machine
        # The sections the page shows (oversikt.SECTIONS_NOW / SECTIONS_BEFORE), their tillsvidare
        # headcounts cut from one query over the 25 months as on the page (pages/oversikt.py).
        with shared_results(months=(add_months(period, -24), period)):
            nyckeltal.compute(con, period, Scope(), sections=SECTIONS_NOW)
            nyckeltal.compute(con, add_months(period, -12), Scope(), sections=SECTIONS_BEFORE)
        nyckeltal.targets(con, period, Scope())
        incidenter.tertialer(con, period, Scope())
        cpu.append(time.process_time() - cpu_start)
        return time.perf_counter() - start

    cold = once()
    warm = [once() for _ in range(args.runs)]
    cpu_warm = cpu[1:]
    print(
        json.dumps(
            {
                "kalla": "förberedd databas" if forberedd.is_prepared(con) else "Parquet",
                "cold_s": cold,
                "warm_median_s": statistics.median(warm),
                "warm_min_s": min(warm),
                "warm_max_s": max(warm),
                "warm_cpu_median_s": statistics.median(cpu_warm),
            }
        )
    )


if __name__ == "__main__":
    main()
