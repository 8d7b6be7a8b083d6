"""Benchmarks at scale 1, 30 and 800: nyckeltal first and repeated run, the prognos command,
Översikt queries warm, page warm times, and the same figures in plain pandas as the comparison.

    python benchmarks/run.py [--scales 1 30 800] [--workdir /tmp/kfp-bench] [--period 2026-10]
                             [--pages] [--rapport]

Generated data is kept in the workdir between runs and never committed. Prints one table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
PY = sys.executable


def measure(cmd: list[str], env: dict | None = None, limit_gib: float | None = None) -> dict:
    """Wall time and peak RSS of one command, measured by benchmarks/measure.py."""
    wrapper = [PY, str(HERE / "measure.py"), *cmd]
    if limit_gib:
        # Cap the address space so a run that cannot fit fails with MemoryError instead of swapping.
        code = (
            f"import resource, os, sys; lim=int({limit_gib!r}*2**30); "
            "resource.setrlimit(resource.RLIMIT_AS,(lim,lim)); "
            "os.execv(sys.executable, [sys.executable] + sys.argv[1:])"
        )
        wrapper = [PY, "-c", code, *wrapper[1:]]
    out = subprocess.run(wrapper, capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=ROOT)
    try:
        return json.loads(out.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"wall_s": None, "peak_mib": None, "exit": out.returncode, "stderr": out.stderr[-2000:]}


def generate(scale: float, workdir: Path) -> tuple[Path, dict | None]:
    target = workdir / f"skala-{scale:g}"
    if (target / ".klar").exists():
        return target, None
    if target.exists():
        shutil.rmtree(target)
    result = measure([PY, "-m", "kfp_metrics", "generate", "--out", str(target), "--scale", str(scale)])
    if result.get("exit") != 0:
        raise SystemExit(f"generate misslyckades vid skala {scale}: {result.get('stderr')}")
    (target / ".klar").touch()
    return target, result


def fmt(value, unit: str) -> str:
    return "–" if value is None else f"{value:,.2f} {unit}".replace(",", " ").replace(".", ",")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", nargs="+", type=float, default=[1, 30, 800])
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "kfp-bench")
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--pandas-max-scale",
        type=float,
        default=30,
        help="largest scale where the pandas comparison runs normally",
    )
    parser.add_argument(
        "--pandas-limit-gib",
        type=float,
        default=20,
        help="address-space cap for the pandas attempt above --pandas-max-scale",
    )
    parser.add_argument("--pages", action="store_true", help="also time every page warm (AppTest)")
    parser.add_argument("--rapport", action="store_true", help="also time the nämndrapport PDF (scales ≤ 30)")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)

    print(f"# Maskin: {platform.machine()}, {os.cpu_count()} kärnor, Python {platform.python_version()}")
    rows = []
    for scale in args.scales:
        data, gen = generate(scale, args.workdir)
        if gen:
            rows.append((scale, "generate", fmt(gen["wall_s"], "s"), fmt(gen["peak_mib"], "MiB")))
        cmd = [PY, "-m", "kfp_metrics", "nyckeltal", "--data", str(data), "--period", args.period]
        with tempfile.TemporaryDirectory(prefix="kfp-state-") as state:
            env = {"KFP_STATE_DIR": state}
            first = measure(cmd, env)
            if first.get("exit") != 0:
                print(f"nyckeltal misslyckades vid skala {scale:g}: {first.get('stderr')}", file=sys.stderr)
            rows.append(
                (
                    scale,
                    "nyckeltal första körning (med validering)",
                    fmt(first["wall_s"], "s"),
                    fmt(first["peak_mib"], "MiB"),
                )
            )
            again = [measure(cmd, env) for _ in range(args.repeats)]
            rows.append(
                (
                    scale,
                    f"nyckeltal upprepad (median av {args.repeats})",
                    fmt(statistics.median(r["wall_s"] for r in again), "s"),
                    fmt(max(r["peak_mib"] for r in again), "MiB"),
                )
            )
            prognos_cmd = [PY, "-m", "kfp_metrics", "prognos", "--data", str(data), "--period", args.period]
            forecast = [measure(prognos_cmd, env) for _ in range(args.repeats)]
            ok = [r for r in forecast if r.get("exit") == 0]
            rows.append(
                (
                    scale,
                    f"prognos (rekryteringsbehov), validering cachad (median av {len(ok)})"
                    + ("" if ok else " MISSLYCKADES " + (forecast[-1].get("stderr") or "")[-200:]),
                    fmt(statistics.median(r["wall_s"] for r in ok), "s") if ok else "–",
                    fmt(max(r["peak_mib"] for r in ok), "MiB") if ok else "–",
                )
            )
        ov = subprocess.run(
            [PY, str(HERE / "oversikt_queries.py"), "--data", str(data), "--period", args.period],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if ov.returncode == 0:
            o = json.loads(ov.stdout)
            rows.append(
                (scale, "Översiktens frågor, varma (median)", fmt(o["warm_median_s"] * 1000, "ms"), "")
            )
        pcmd = [PY, str(HERE / "pandas_nyckeltal.py"), "--data", str(data), "--period", args.period]
        limit = None if scale <= args.pandas_max_scale else args.pandas_limit_gib
        pd_result = measure(pcmd, limit_gib=limit)
        label = "pandas-jämförelse" + (f" (tak {args.pandas_limit_gib:g} GiB)" if limit else "")
        if pd_result.get("exit") == 0:
            rows.append((scale, label, fmt(pd_result["wall_s"], "s"), fmt(pd_result["peak_mib"], "MiB")))
            if first.get("wall_s") and again:
                rows.append(
                    (
                        scale,
                        "kvot nyckeltal upprepad / pandas",
                        fmt(statistics.median(r["wall_s"] for r in again) / pd_result["wall_s"], ""),
                        fmt(max(r["peak_mib"] for r in again) / pd_result["peak_mib"], ""),
                    )
                )
        else:
            err = (pd_result.get("stderr") or "").strip().splitlines()
            rows.append(
                (
                    scale,
                    label + f" MISSLYCKADES ({err[-1] if err else 'okänt fel'})",
                    fmt(pd_result.get("wall_s"), "s"),
                    fmt(pd_result.get("peak_mib"), "MiB"),
                )
            )
        if args.rapport and scale <= 30:
            with tempfile.TemporaryDirectory(prefix="kfp-rapport-") as out:
                rcmd = [
                    *cmd[:2],
                    "kfp_metrics",
                    "rapport",
                    "--data",
                    str(data),
                    "--period",
                    args.period,
                    "--out",
                    str(Path(out) / "rapport.pdf"),
                ]
                runs = [measure(rcmd, {"KFP_STATE_DIR": out}) for _ in range(args.repeats)]
                ok = [r for r in runs if r.get("exit") == 0]
                rows.append(
                    (
                        scale,
                        f"nämndrapport PDF, alla avsnitt (median av {len(ok)})"
                        + ("" if ok else " MISSLYCKADES " + (runs[-1].get("stderr") or "")[-200:]),
                        fmt(statistics.median(r["wall_s"] for r in ok), "s") if ok else "–",
                        fmt(max(r["peak_mib"] for r in ok), "MiB") if ok else "–",
                    )
                )
        if args.pages and scale <= 30:
            pg = subprocess.run(
                [PY, str(HERE / "pages_warm.py"), "--data", str(data)],
                capture_output=True,
                text=True,
                cwd=ROOT,
                env={**os.environ, "KFP_STATE_DIR": tempfile.mkdtemp()},
            )
            if pg.returncode == 0:
                for page, r in json.loads(pg.stdout.strip().splitlines()[-1]).items():
                    fel = " FEL: " + "; ".join(r["exception"]) if r["exception"] else ""
                    rows.append(
                        (
                            scale,
                            f"sida {page}: första visning / varm (median){fel}",
                            fmt(r["cold_s"] * 1000, "ms") + " / " + fmt(r["warm_median_s"] * 1000, "ms"),
                            "",
                        )
                    )
            else:
                rows.append((scale, "sidor: misslyckades " + pg.stderr[-300:], "", ""))
        sys.stdout.flush()

    print("| skala | mätning | tid | minne (topp) |")
    print("|---|---|---|---|")
    for scale, what, t, m in rows:
        print(f"| {scale:g} | {what} | {t} | {m} |")
    start = time.strftime("%Y-%m-%d %H:%M")
    print(f"\n(uppmätt {start})")


if __name__ == "__main__":
    main()
