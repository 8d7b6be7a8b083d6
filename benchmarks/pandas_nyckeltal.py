"""The comparison: the same key figures (personal, sjukfrånvaro, rörlighet, pension) in plain pandas.

Reads the extracts with pandas.read_parquet, as an analyst would without a query engine, and prints
the figures as JSON so they can be checked against `python -m kfp_metrics nyckeltal`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kfp_metrics.extracts import locate_tables  # noqa: E402
from kfp_metrics.periods import add_months, month_end, parse_period  # noqa: E402


def _read(data: Path, table: str, columns: list[str]) -> pd.DataFrame:
    source = locate_tables(data)[table]
    return pd.read_parquet(source.path, columns=columns)


def compute(data: Path, period_text: str) -> dict:
    period = pd.Timestamp(parse_period(period_text))
    fran = pd.Timestamp(add_months(period.date(), -11))
    slut = pd.Timestamp(month_end(period.date()))
    anst = _read(
        data,
        "anstallningar",
        ["period", "person_id", "kon", "fodelsear", "anstallningsform", "sysselsattningsgrad"],
    )
    anst["period"] = pd.to_datetime(anst["period"])
    now = anst[anst["period"] == period]
    man = now[now["anstallningsform"].isin(["tillsvidare", "tidsbegransad"])]
    tv = now[now["anstallningsform"] == "tillsvidare"]
    prev = anst[
        (anst["period"] == period - pd.DateOffset(years=1)) & (anst["anstallningsform"] == "tillsvidare")
    ]
    window = anst[(anst["period"] >= fran) & (anst["period"] <= period)]
    mean_tv = (
        window[window["anstallningsform"] == "tillsvidare"].groupby("period")["person_id"].nunique().mean()
    )
    personal = {
        "antal_tillsvidare": int(tv["person_id"].nunique()),
        "antal_manadsavlonade": int(man["person_id"].nunique()),
        "andel_kvinnor_pct": 100 * (man["kon"] == "K").sum() / len(man) if len(man) else None,
        "medelalder": float((period.year - man["fodelsear"]).mean()),
        "forandring_tillsvidare_pct": 100
        * (tv["person_id"].nunique() - prev["person_id"].nunique())
        / prev["person_id"].nunique()
        if len(prev)
        else None,
        "heltid_andel_pct": 100 * (man["sysselsattningsgrad"] == 100).sum() / len(man) if len(man) else None,
    }
    franv = _read(
        data,
        "franvaro",
        ["period", "person_id", "ordinarie_timmar", "sjuk_timmar", "sjuk_kort_timmar", "sjuk_lang_timmar"],
    )
    franv["period"] = pd.to_datetime(franv["period"])
    franv = franv[(franv["period"] >= fran) & (franv["period"] <= period)]
    joined = franv.merge(window[["period", "person_id", "kon", "fodelsear"]], on=["period", "person_id"])
    sums = joined[["ordinarie_timmar", "sjuk_timmar", "sjuk_kort_timmar", "sjuk_lang_timmar"]].sum()
    by_kon = joined.groupby("kon")[["ordinarie_timmar", "sjuk_timmar"]].sum()
    sjuk = {
        "sjukfranvaro_total_pct": 100 * sums["sjuk_timmar"] / sums["ordinarie_timmar"],
        "sjukfranvaro_kort_pct": 100 * sums["sjuk_kort_timmar"] / sums["ordinarie_timmar"],
        "sjukfranvaro_lang_andel_pct": 100 * sums["sjuk_lang_timmar"] / sums["sjuk_timmar"],
        "sjukfranvaro_kvinnor_pct": 100
        * by_kon.loc["K", "sjuk_timmar"]
        / by_kon.loc["K", "ordinarie_timmar"],
    }
    del joined, franv
    hand = _read(data, "handelser", ["datum", "handelse", "anstallningsform", "vag"])
    hand["datum"] = pd.to_datetime(hand["datum"])
    leavers = hand[
        (hand["handelse"] == "avgang")
        & (hand["anstallningsform"] == "tillsvidare")
        & hand["vag"].isin(["annan_forvaltning", "extern"])
        & (hand["datum"] >= fran)
        & (hand["datum"] <= slut)
    ]
    ytd = hand[(hand["datum"] >= pd.Timestamp(period.year, 1, 1)) & (hand["datum"] <= slut)]
    ror = {
        "personalomsattning_pct": 100 * len(leavers) / mean_tv,
        "avgangar_tillsvidare_hittills": int(
            ((ytd["handelse"] == "avgang") & (ytd["anstallningsform"] == "tillsvidare")).sum()
        ),
        "rekryteringar_tillsvidare_hittills": int(
            ((ytd["handelse"] == "rekrytering") & (ytd["anstallningsform"] == "tillsvidare")).sum()
        ),
    }
    years = tv["fodelsear"] + 65
    pension = {
        "pension_redan": int((years <= period.year).sum()),
        "pension_per_ar": {str(y): int((years == y).sum()) for y in range(period.year + 1, period.year + 4)},
    }
    return {"personal": personal, "sjukfranvaro": sjuk, "rorlighet": ror, "pension": pension}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Nyckeltal i ren pandas (jämförelse).")
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--period", required=True)
    args = parser.parse_args()
    print(json.dumps(compute(args.data, args.period), default=float))
