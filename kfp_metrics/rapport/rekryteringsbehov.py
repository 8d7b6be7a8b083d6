"""The nämndrapport's Rekryteringsbehov section: the plans' table, the causes chart and the words.

The forecast is kfp_metrics.prognos with the report's pensionsålder and no assumed growth (the
contract's default); the section states that, and the assumptions, in words.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import plotly.graph_objects as go

from kfp_metrics import prognos
from kfp_metrics.format import manad
from kfp_metrics.queries import Scope

KALLA = "personalsystemets extrakt (anställningar och händelser), egen beräkning"
MAX_RADER = 15


def resultat(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, pensionsalder: int) -> dict:
    """The forecast the report shows: three years, no growth, the report's pensionsålder."""
    return prognos.compute(con, period, scope, pensionsalder=pensionsalder)


def figurer(result: dict, scope_text: str) -> list[tuple[str, go.Figure]]:
    """The stacked chart of the need per year by cause."""
    return [("orsaker", prognos.figure_orsaker(result, scope_text))]


def tabeller(con: duckdb.DuckDBPyConnection, result: dict) -> list:
    """The personalbehov and rekryteringsbehov tables as the plans print them (at most 15 rows)."""
    from kfp_metrics.rapport.content import tabell_from_frame

    if not result["per_befattning"]:
        return []
    mapping, other, heading = prognos.kortad_gruppering(result, prognos.yrkeskategorier(con), MAX_RADER)
    behov, rekrytering = prognos.tabell_plan(result, mapping, formatted=True, other=other, heading=heading)
    per = heading.lower()
    out = []
    for frame, rubrik in (
        (behov, f"Personalbehov per {per}: tillsvidareanställda {result['period'][:4]} och bedömt behov"),
        (rekrytering, f"Rekryteringsbehov per {per} och år"),
    ):
        table = tabell_from_frame(frame, rubrik)
        table.radklasser = ["summa" if row[0] == prognos.TOTALT else "" for row in table.rader]
        out.append(table)
    return out


def texter(result: dict | None) -> list[str]:
    """The section's paragraphs: the drafted sentence, what the figures are and the assumptions."""
    if result is None:
        return []
    if not result["per_befattning"]:
        return [prognos.nulagestext(result)]
    texts = [
        prognos.nulagestext(result),
        f"Prognosen räknar fram personalbehov och rekryteringsbehov per år för de tillsvidareanställda i "
        f"{manad(result['period'])}. Figuren delar rekryteringsbehovet på pensionsavgångar, övriga avgångar "
        "och ökat personalbehov.",
        " ".join(prognos.antaganden(result)),
    ]
    uncertain = prognos.osakra(result)
    if uncertain:
        count = len(uncertain)
        texts.append(
            f"{count} {'befattning har' if count == 1 else 'befattningar har'} färre än "
            f"{prognos.OSAKER_UNDER} tillsvidareanställda; för dem är prognosen särskilt osäker."
        )
    return texts
