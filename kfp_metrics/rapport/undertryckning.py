"""Which key figures the report withholds: the contract's suppression plus the analysis pages' rules.

The nyckeltal JSON withholds only what the contract names (sjukfrånvaro groups of 10 or fewer,
surveys under 5 respondents). The analysis pages add secondary suppression and the minimum group
size of analys.MIN_GRUPP; the printed report follows the pages so that a value hidden in a chart
is never printed in the key-figures table or the prose beside it.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from kfp_metrics import heltid, rorlighet, sjukfranvaro
from kfp_metrics.analys import MIN_GRUPP
from kfp_metrics.queries import Scope

SJUK_GRUPPER = {
    "total": ("sjukfranvaro_total_pct", "sjukfranvaro_kort_pct", "sjukfranvaro_lang_andel_pct"),
    "kvinnor": ("sjukfranvaro_kvinnor_pct",),
    "man": ("sjukfranvaro_man_pct",),
    "29": ("sjukfranvaro_29_pct",),
    "30_49": ("sjukfranvaro_30_49_pct",),
    "50": ("sjukfranvaro_50_pct",),
}
SMALL_GROUP_METRICS = (
    "andel_kvinnor_pct",
    "medelalder",
    "heltid_andel_pct",
    "heltidsarbetande_andel_pct",
    "heltid_andel_kvinnor_pct",
    "heltid_andel_man_pct",
)


def dolda(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, figures: dict) -> set[str]:
    """Metric ids withheld for period and scope (figures is the nyckeltal object for that period)."""
    hidden = set(figures.get("undertryckta", []))
    grupper = sjukfranvaro.per_grupp(con, period, scope)
    for row in grupper.itertuples(index=False):
        if row.undertryckt:
            hidden.update(SJUK_GRUPPER.get(row.grupp, ()))

    manadsavlonade = figures["personal"]["antal_manadsavlonade"]
    if 0 < manadsavlonade < MIN_GRUPP:
        hidden.update(SMALL_GROUP_METRICS)
    # The kön split of a handful of tillsvidareanställda would tell who they are.
    if 0 < figures["personal"]["antal_tillsvidare"] < MIN_GRUPP:
        hidden.update(("antal_tillsvidare_kvinnor", "antal_tillsvidare_man"))
    per_kon = heltid.heltid_per_manad(con, period, scope, fran=period)
    at_p = per_kon[pd.to_datetime(per_kon["period"]) == pd.Timestamp(period)]
    for row in at_p.itertuples(index=False):
        if row.undertryckt and row.grupp in ("kvinnor", "man"):
            hidden.add(f"heltid_andel_{row.grupp}_pct")

    omsattning = rorlighet.personalomsattning_per_manad(con, period, scope, fran=period)
    if len(omsattning) and bool(omsattning["undertryckt"].iloc[-1]):
        hidden.add("personalomsattning_pct")
    return hidden


def utan_dolda(figures: dict | None, hidden: set[str]) -> dict | None:
    """A copy of a nyckeltal object with every withheld figure set to None."""
    if figures is None:
        return None
    out = {}
    for key, value in figures.items():
        # Kolada's values (jamforelse) are public: never withheld with the own figures.
        if isinstance(value, dict) and key != "jamforelse":
            out[key] = {k: (None if k in hidden else v) for k, v in value.items()}
        else:
            out[key] = value
    out["undertryckta"] = sorted(set(figures.get("undertryckta", [])) | hidden)
    return out
