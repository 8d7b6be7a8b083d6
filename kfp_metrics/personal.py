"""The Personal page's figures: headcount over time, age pyramid, befattningar and avdelningar.

Frames come from (con, period, scope) and carry code column names; `figure_*` builds the
Plotly chart from such a frame and `tabell_*` the table shown under it. No Streamlit here: the
printed nämnd report reuses the same builders.

Disclosure (see kfp_metrics.analys): headcounts are shown as they are; medelålder and andel
kvinnor need at least MIN_GRUPP (5) månadsavlönade in the group, with secondary suppression
across the avdelningar of the scope (the scope total is shown at the top of the page); the
kön × åldersgrupp pyramid needs at least MIN_KORSTABELL (10) månadsavlönade.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import duckdb
import pandas as pd
import plotly.graph_objects as go

from kfp_metrics import charts
from kfp_metrics.analys import (
    ALDERSGRUPPER_5,
    KON_LABELS,
    MIN_GRUPP,
    MIN_KORSTABELL,
    Column,
    band_labels,
    band_of,
    empty,
    figure,
    share,
    table,
    title,
    withheld,
)
from kfp_metrics.format import SUPPRESSED, forandring, procent, tal
from kfp_metrics.queries import Scope, run

FORMER = {"tillsvidare": "Tillsvidare", "tidsbegransade": "Tidsbegränsade", "timavlonade": "Timavlönade"}
FORM_COLORS = {"tillsvidare": "#0072B2", "tidsbegransade": "#E69F00", "timavlonade": "#009E73"}
KON_COLORS = {"K": "#CC79A7", "M": "#0072B2"}
ANSTALLNINGSFORMER = {"tillsvidare": "tillsvidareanställda", "tidsbegransad": "tidsbegränsat anställda"}
TOPP_ANTAL = 10
OVRIGA = "Övriga befattningar"


# --- KPI row -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kpi:
    """One st.metric's content, formatted in Swedish."""

    label: str
    value: str
    delta: str | None = None
    help: str | None = None
    arrow: str = "auto"
    description: str | None = None
    color: str = "off"
    metric_id: str | None = None  # the contract's id, where the figure is one (Kolada comparisons)


def steady(kpis: list[Kpi]) -> list[Kpi]:
    """The cards whose change is zero ('±0') without an arrow: st.metric would draw one upwards."""
    return [replace(k, arrow="off") if k.delta and k.delta.startswith("±") else k for k in kpis]


def kpis(figures: dict) -> list[Kpi]:
    """The Personal page's headline figures from the contract's key figures for the scope."""
    p = figures["personal"]
    manadsavlonade = p["antal_manadsavlonade"]
    small = 0 < manadsavlonade < MIN_GRUPP
    change = p["forandring_tillsvidare_pct"]
    return [
        Kpi(
            "Tillsvidareanställda",
            tal(p["antal_tillsvidare"]),
            None if change is None else f"{forandring(change, 1)}\u00a0%",
            f"Kvinnor {tal(p['antal_tillsvidare_kvinnor'])}, män {tal(p['antal_tillsvidare_man'])}. "
            "Förändringen avser samma månad ett år tidigare.",
            arrow="off" if not change else "auto",
            description="på ett år",
        ),
        Kpi(
            "Tidsbegränsade",
            tal(p["antal_tidsbegransade"]),
            help="Månadsavlönade med tidsbegränsad anställning.",
        ),
        Kpi("Timavlönade", tal(p["antal_timavlonade"]), help="Timavlönade med anställning under månaden."),
        Kpi(
            "Andel kvinnor",
            SUPPRESSED if small else procent(p["andel_kvinnor_pct"]),
            help="Andel kvinnor bland månadsavlönade.",
        ),
        Kpi(
            "Medelålder",
            SUPPRESSED if small else _years(p["medelalder"]),
            help="Medelålder för månadsavlönade (periodens år minus födelseår).",
        ),
    ]


@dataclass(frozen=True)
class Konsfordelning:
    """Persons by kön at P: the tillsvidareanställda and all månadsavlönade (tillsvidare and tidsbegränsade)."""

    tillsvidare: int
    tillsvidare_kvinnor: int
    tillsvidare_man: int
    manadsavlonade: int
    manadsavlonade_kvinnor: int
    manadsavlonade_man: int


def konsfordelning(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> Konsfordelning:
    """The kön split of the tillsvidareanställda and of the månadsavlönade at P."""
    row = run(con, "personal_nyckeltal", scope, period=period).iloc[0]

    def n(value) -> int:
        return 0 if value is None or pd.isna(value) else int(value)

    return Konsfordelning(
        n(row.antal_tillsvidare),
        n(row.antal_tillsvidare_kvinnor),
        n(row.antal_tillsvidare_man),
        n(row.antal_manadsavlonade),
        n(row.manadsavlonade_kvinnor),
        n(row.manadsavlonade_man),
    )


def _split(total: int, kvinnor: int, man: int, singular: str, plural: str) -> str | None:
    if total == 0:
        return None
    who = f"{tal(total)} {singular if total == 1 else plural}"
    if total < MIN_GRUPP:
        return f"{who}; fördelningen per kön redovisas inte för färre än {MIN_GRUPP} personer"
    return f"{who}, varav {tal(kvinnor)} {'kvinna' if kvinnor == 1 else 'kvinnor'} och {tal(man)} män"


def kon_text(k: Konsfordelning) -> str:
    """'1 016 tillsvidareanställda, varav 752 kvinnor och 264 män. 1 236 månadsavlönade, varav …', as the
    plans print it; a group under MIN_GRUPP persons is not split by kön."""
    parts = [
        _split(
            k.tillsvidare,
            k.tillsvidare_kvinnor,
            k.tillsvidare_man,
            "tillsvidareanställd",
            "tillsvidareanställda",
        ),
        _split(
            k.manadsavlonade,
            k.manadsavlonade_kvinnor,
            k.manadsavlonade_man,
            "månadsavlönad",
            "månadsavlönade",
        ),
    ]
    return " ".join(f"{p[0].upper()}{p[1:]}." for p in parts if p)


def _years(value: float | None) -> str:
    return "–" if value is None else f"{tal(value, 1)} år"


# --- Headcount per month -------------------------------------------------------------------


def per_manad(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, fran: dt.date | None = None
) -> pd.DataFrame:
    """Tillsvidare, tidsbegränsade and timavlönade per month from fran (default: the first month) to P."""
    if fran is None:
        fran = dt.date(1900, 1, 1)
    return run(con, "personal_per_manad", scope, fran=fran, till=period)


def figure_per_manad(frame: pd.DataFrame, scope_text: str, period: dt.date) -> go.Figure:
    """Lines of headcount per anställningsform and month."""
    heading = title("Anställda per anställningsform och månad", scope_text, period, through=True)
    if frame.empty or not frame[list(FORMER)].to_numpy().any():
        return empty("Urvalet har inga anställda under perioden.", heading)
    traces = [
        dict(
            type="scatter",
            x=frame["period"],
            y=frame[column],
            name=label,
            mode="lines+markers",
            line={"color": FORM_COLORS[column], "width": 2.5},
            marker={"size": 5},
            hovertemplate=f"<b>{label}</b><br>%{{x|%Y-%m}}: %{{y:,.0f}} personer<extra></extra>",
        )
        for column, label in FORMER.items()
    ]
    layout = {}
    if frame[list(FORMER)].to_numpy().max() < 10:
        layout["yaxis"] = {"dtick": 1}  # whole persons, not 0,5
    return figure(traces, heading, y_title="Antal personer", layout=layout, month_ticks=True)


TABELL_PER_MANAD = (
    Column("period", "Månad", "manad"),
    Column("tillsvidare", "Tillsvidare", "antal"),
    Column("tidsbegransade", "Tidsbegränsade", "antal"),
    Column("timavlonade", "Timavlönade", "antal"),
)


def tabell_per_manad(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_per_manad."""
    return table(frame, TABELL_PER_MANAD, formatted)


# --- Age pyramid ---------------------------------------------------------------------------


def alderspyramid(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> pd.DataFrame:
    """Månadsavlönade at P per 5-year age band ('−24' … '65–') and kön, every band listed."""
    raw = run(con, "personal_alderspyramid", scope, period=period)
    labels = band_labels(ALDERSGRUPPER_5)
    counts = {(label, kon): 0 for label in labels for kon in KON_LABELS}
    for row in raw.itertuples(index=False):
        if row.kon in KON_LABELS:
            counts[(band_of(int(row.alder), ALDERSGRUPPER_5), row.kon)] += int(row.antal)
    return pd.DataFrame(
        [
            {"aldersgrupp": label, "kon": kon, "antal": counts[(label, kon)]}
            for label in labels
            for kon in KON_LABELS
        ]
    )


def figure_alderspyramid(
    frame: pd.DataFrame, scope_text: str, period: dt.date, narrow: bool = False
) -> go.Figure:
    """Horizontal bars per age band, men to the left and women to the right (as SCB draws them)."""
    heading = title("Månadsavlönade per kön och åldersgrupp", scope_text, period, narrow=narrow)
    total = int(frame["antal"].sum()) if len(frame) else 0
    if total == 0:
        return empty("Urvalet har inga månadsavlönade i perioden.", heading)
    if total < MIN_KORSTABELL:
        return empty(
            f"Åldersfördelningen visas inte för färre än {MIN_KORSTABELL} månadsavlönade "
            f"(urvalet har {total}), så att enskilda inte kan identifieras.",
            heading,
        )
    traces = []
    for kon, sign in (("M", -1), ("K", 1)):
        part = frame[frame["kon"] == kon]
        traces.append(
            dict(
                type="bar",
                y=part["aldersgrupp"],
                x=sign * part["antal"],
                customdata=part["antal"],
                orientation="h",
                name=KON_LABELS[kon],
                marker={"color": KON_COLORS[kon]},
                text=[tal(v) if v else "" for v in part["antal"]],
                textposition="outside",
                hovertemplate=f"<b>{KON_LABELS[kon]}</b>, %{{y}} år: %{{customdata:,.0f}} personer<extra></extra>",
            )
        )
    peak = int(frame["antal"].max())
    step = _nice_step(peak)
    ticks = list(range(-((peak // step) + 1) * step, ((peak // step) + 1) * step + 1, step))
    layout = {
        "barmode": "relative",
        "bargap": 0.1,
        "xaxis": {
            "tickvals": ticks,
            "ticktext": [tal(abs(t)) for t in ticks],
            "range": [ticks[0] * 1.1, ticks[-1] * 1.1],
            "zeroline": True,
            "zerolinecolor": "#888",
        },
        "yaxis": {
            "categoryorder": "array",
            "categoryarray": list(frame["aldersgrupp"].drop_duplicates()),
            "rangemode": None,
        },
    }
    return figure(
        traces,
        heading,
        x_title="Antal personer (män till vänster, kvinnor till höger)",
        y_title="Ålder",
        height=420,
        legend=False,
        layout=layout,
    )


def _nice_step(peak: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if peak / step <= 5:
            return step
    return 10000


def tabell_alderspyramid(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The pyramid as a table: one row per age band, women and men side by side."""
    wide = (
        frame.pivot(index="aldersgrupp", columns="kon", values="antal")
        .reindex(frame["aldersgrupp"].drop_duplicates())
        .reset_index()
    )
    wide = wide.reindex(columns=["aldersgrupp", "K", "M"]).fillna(0)
    wide["totalt"] = wide["K"] + wide["M"]
    return table(
        wide,
        (
            Column("aldersgrupp", "Åldersgrupp"),
            Column("K", "Kvinnor", "antal"),
            Column("M", "Män", "antal"),
            Column("totalt", "Totalt", "antal"),
        ),
        formatted,
    )


def medelalder_per_kon(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> pd.DataFrame:
    """Medelålder of månadsavlönade at P for kvinnor, män and in total (withheld under 5 persons)."""
    raw = run(con, "personal_alderspyramid", scope, period=period)
    rows = []
    for kon, label in KON_LABELS.items():
        part = raw[raw["kon"] == kon]
        rows.append((kon, label, int(part["antal"].sum()), float((part["alder"] * part["antal"]).sum())))
    rows.append(("totalt", "Totalt", int(raw["antal"].sum()), float((raw["alder"] * raw["antal"]).sum())))
    frame = pd.DataFrame(rows, columns=["grupp", "etikett", "antal", "aldersumma"])
    frame["medelalder"] = [
        s / n if n else None for s, n in zip(frame["aldersumma"], frame["antal"], strict=True)
    ]
    hidden = withheld(dict(zip(frame["grupp"][:2], frame["antal"][:2], strict=True)))
    if 0 < frame["antal"].iloc[2] < MIN_GRUPP:
        hidden.add("totalt")
    frame["undertryckt"] = frame["grupp"].isin(hidden)
    frame.loc[frame["undertryckt"], "medelalder"] = None
    return frame.drop(columns="aldersumma")


def tabell_medelalder(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """Medelålder per kön and in total, '..' where withheld."""
    return table(
        frame,
        (
            Column("etikett", "Grupp"),
            Column("antal", "Antal", "antal"),
            Column("medelalder", "Medelålder", "decimal", sensitive=True),
        ),
        formatted,
    )


# --- Most common befattningar --------------------------------------------------------------


def befattningar_topp(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, anstallningsform: str, n: int = TOPP_ANTAL
) -> pd.DataFrame:
    """The n most common befattningar at P for one anställningsform with antal and andel of all
    in that form; the rest are summed in a last row 'Övriga befattningar'."""
    raw = run(con, "befattningar_topp", scope, period=period, anstallningsform=anstallningsform)
    total = int(raw["antal"].sum())
    top = raw.head(n).copy()
    top.insert(0, "placering", range(1, len(top) + 1))
    rest = raw.iloc[n:]
    if len(rest):
        top = pd.concat(
            [
                top,
                pd.DataFrame(
                    [
                        {
                            "placering": None,
                            "befattning": f"{OVRIGA} ({len(rest)} st)",
                            "antal": int(rest["antal"].sum()),
                        }
                    ]
                ),
            ],
            ignore_index=True,
        )
    top["antal"] = top["antal"].astype(int)
    top["andel_pct"] = [share(v, total) for v in top["antal"]]
    return top


def tabell_befattningar(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The befattningar table as plans print it: befattning, antal and andel."""
    frame = frame.assign(placering=[("" if pd.isna(v) else f"{int(v)}.") for v in frame["placering"]])
    return table(
        frame,
        (
            Column("placering", "Nr"),
            Column("befattning", "Befattning"),
            Column("antal", "Antal", "antal"),
            Column("andel_pct", "Andel", "procent"),
        ),
        formatted,
    )


def figure_befattningar(
    frame: pd.DataFrame, scope_text: str, period: dt.date, anstallningsform: str
) -> go.Figure:
    """Horizontal bars of the most common befattningar, largest on top (without 'Övriga')."""
    heading = title(f"Vanligaste befattningarna, {ANSTALLNINGSFORMER[anstallningsform]}", scope_text, period)
    top = frame[frame["placering"].notna()]
    if top.empty:
        return empty(f"Urvalet har inga {ANSTALLNINGSFORMER[anstallningsform]} i perioden.", heading)
    bar = dict(
        type="bar",
        y=top["befattning"],
        x=top["antal"],
        orientation="h",
        marker={"color": charts.NEUTRAL_COLOR},
        customdata=top["andel_pct"],
        text=[f"{tal(a)} ({procent(s, 0)})" for a, s in zip(top["antal"], top["andel_pct"], strict=True)],
        textposition="outside",
        cliponaxis=False,
        hovertemplate="<b>%{y}</b><br>%{x:,.0f} personer, %{customdata:.1f} % av alla<extra></extra>",
    )
    return figure(
        [bar],
        heading,
        x_title="Antal personer",
        legend=False,
        height=max(260, 60 + 32 * len(top)),
        layout={"yaxis": {"autorange": "reversed", "rangemode": None}, "margin": {"l": 180, "r": 80}},
    )


# --- Per avdelning -------------------------------------------------------------------------


def per_avdelning(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> pd.DataFrame:
    """Per avdelning at P: tillsvidare, tidsbegränsade, timavlönade, andel kvinnor and medelålder
    of månadsavlönade (both withheld for groups under 5, with secondary suppression)."""
    frame = run(con, "personal_per_avdelning", scope, period=period)
    frame["andel_kvinnor_pct"] = [
        share(k, n) for k, n in zip(frame["kvinnor"], frame["manadsavlonade"], strict=True)
    ]
    keys = [f"{f}\x1f{a}" for f, a in zip(frame["forvaltning"], frame["avdelning"], strict=True)]
    hidden = withheld(dict(zip(keys, frame["manadsavlonade"].astype(int), strict=True)))
    frame["undertryckt"] = [k in hidden for k in keys]
    frame["medelalder"] = frame["medelalder"].astype(float)
    frame.loc[frame["undertryckt"], ["andel_kvinnor_pct", "medelalder"]] = None
    for column in ("tillsvidare", "tidsbegransade", "timavlonade", "manadsavlonade", "kvinnor"):
        frame[column] = frame[column].astype(int)
    return frame[
        [
            "forvaltning",
            "avdelning",
            "tillsvidare",
            "tidsbegransade",
            "timavlonade",
            "manadsavlonade",
            "andel_kvinnor_pct",
            "medelalder",
            "undertryckt",
        ]
    ]


TABELL_PER_AVDELNING = (
    Column("forvaltning", "Förvaltning"),
    Column("avdelning", "Avdelning"),
    Column("tillsvidare", "Tillsvidare", "antal"),
    Column("tidsbegransade", "Tidsbegränsade", "antal"),
    Column("timavlonade", "Timavlönade", "antal"),
    Column("andel_kvinnor_pct", "Andel kvinnor", "procent", sensitive=True),
    Column("medelalder", "Medelålder", "decimal", sensitive=True),
)


def tabell_per_avdelning(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The per-avdelning table with Swedish headings, '..' where withheld."""
    return table(frame, TABELL_PER_AVDELNING, formatted)


def figure_per_avdelning(frame: pd.DataFrame, scope_text: str, period: dt.date) -> go.Figure:
    """Stacked bars of headcount per avdelning and anställningsform."""
    heading = title("Anställda per avdelning", scope_text, period)
    if frame.empty:
        return empty("Urvalet har inga anställda i perioden.", heading)
    traces = [
        dict(
            type="bar",
            x=frame["avdelning"],
            y=frame[column],
            name=label,
            marker={"color": FORM_COLORS[column]},
            hovertemplate=f"<b>%{{x}}</b><br>{label}: %{{y:,.0f}} personer<extra></extra>",
        )
        for column, label in FORMER.items()
    ]
    if len(frame) <= 2:
        for trace in traces:
            trace["width"] = 0.35  # one or two avdelningar: no wall-to-wall bar
    return figure(traces, heading, y_title="Antal personer", layout={"barmode": "stack"}, legend_bottom=80)
