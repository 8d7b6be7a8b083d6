"""The Rörlighet och pension page's figures: personalomsättning, events and pensionsavgångar.

Frames come from (con, period, scope) and carry code column names; `figure_*` builds the
Plotly chart from such a frame and `tabell_*` the table shown under it. No Streamlit here: the
printed nämnd report reuses the same builders.

Definitions follow the contract: personalomsättning is 100 × tillsvidare avgångar to another
förvaltning or outside the kommun in the 12 months ending a month / the mean tillsvidare headcount
over those 12 month snapshots; the trend starts at the first month whose 12-month window lies
inside the extracts. Pensionsavgångar count tillsvidare at P by the year they reach the
pensionsålder A: 'redan uppnått' is fodelsear + A ≤ year(P), then each of the next three years.

Disclosure (see kfp_metrics.analys): personalomsättning is shown only for groups with a mean of
at least MIN_GRUPP (5) tillsvidare — months of the trend below that are withheld, befattningar
below it are left out. Avgångar per orsak with 1–2 events are withheld, with secondary
suppression within the year (a year whose only avgång would be revealed is withheld entirely).
Event counts per väg and pension counts are shown as they are, like the plans print them; the
pension shares follow from those counts and are therefore not withheld.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kfp_metrics import charts, diagramtext, suppression
from kfp_metrics.analys import (
    MIN_ANTAL_ORSAK,
    MIN_GRUPP,
    Column,
    empty,
    figure,
    share,
    table,
    title,
)
from kfp_metrics.extracts import remembered
from kfp_metrics.format import SUPPRESSED, forandring, manad, procent, tal
from kfp_metrics.periods import add_months, month_end, window_12
from kfp_metrics.personal import Kpi, steady
from kfp_metrics.queries import Scope, run

DEFAULT_PENSIONSALDER = 65
PENSIONSALDRAR = (65, 66, 67, 68, 69)

ORSAKER = {
    "egen_begaran": "Egen begäran",
    "pension": "Pension",
    "visstid_upphor": "Visstid upphör",
    "uppsagd_av_arbetsgivaren": "Uppsagd av arbetsgivaren",
    "annan": "Annan orsak",
}
VAGAR_AVGANG = {
    "intern": "Inom förvaltningen",
    "annan_forvaltning": "Annan förvaltning i kommunen",
    "extern": "Utanför kommunen",
}
VAGAR_REKRYTERING = {
    "intern": "Inom förvaltningen",
    "annan_forvaltning": "Annan förvaltning i kommunen",
    "extern": "Utanför kommunen",
}
ANSTALLNINGSFORMER = {
    "alla": "Alla månadsavlönade",
    "tillsvidare": "Tillsvidareanställda",
    "tidsbegransad": "Tidsbegränsat anställda",
}
MANADER_KORT = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
FJOL_COLOR = charts.MUTED_COLOR
I_AR_COLOR = charts.NEUTRAL_COLOR
PENSION_COLORS = ("#D55E00", "#E69F00", "#56B4E9", "#0072B2")
# The house palette without its yellow, which is too pale for thin lines on white.
LINE_PALETTE = tuple(c for c in charts.PALETTE if c != "#F0E442")


# --- KPI row -------------------------------------------------------------------------------


def kpis(now: dict, before: dict | None, targets: dict[str, float], trend: pd.DataFrame) -> list[Kpi]:
    """The page's headline figures: personalomsättning at P (withheld as in its trend) and the
    contract's tillsvidare events year to date, each against a year earlier."""
    r = now["rorlighet"]
    last = (before or {}).get("rorlighet")
    at_p = (
        trend[pd.to_datetime(trend["period"]) == pd.Timestamp(now["period"] + "-01")] if len(trend) else trend
    )
    hidden = bool(len(at_p) and at_p["undertryckt"].iloc[0])
    target = targets.get("personalomsattning_pct")
    help_text = (
        "Avgångar bland tillsvidareanställda till annan förvaltning eller utanför kommunen under de 12 "
        "månaderna t.o.m. perioden, i procent av genomsnittligt antal tillsvidareanställda (Kolada N00216)."
    )
    if target is not None:
        help_text += f" Mål: {procent(target)}."
    turnover = r["personalomsattning_pct"]
    delta = None
    if not hidden and last and turnover is not None and last["personalomsattning_pct"] is not None:
        delta = f"{forandring(turnover - last['personalomsattning_pct'], 1)} %-enheter"
    result = [
        Kpi(
            "Personalomsättning",
            SUPPRESSED if hidden else procent(turnover),
            delta,
            help_text,
            description="på ett år" if delta else None,
            color="inverse",
        )
    ]
    for metric, label, text in (
        ("avgangar_tillsvidare_hittills", "Avgångar tillsvidare", "oavsett vart personen gick"),
        ("rekryteringar_tillsvidare_hittills", "Rekryteringar tillsvidare", "oavsett varifrån personen kom"),
    ):
        change = None if not last else r[metric] - last[metric]
        result.append(
            Kpi(
                label,
                tal(r[metric]),
                None if change is None else forandring(change),
                f"Hittills i år: från 1 januari t.o.m. periodens sista dag, {text}. Förändringen jämförs med "
                "samma period förra året.",
                arrow="off" if not change else "auto",
                description="mot i fjol" if change is not None else None,
            )
        )
    pension = now["pension"]
    years = pension_years(pd.Timestamp(now["period"] + "-01").date())
    within = pension["pension_redan"] + sum(pension["pension_per_ar"].values())
    result.append(
        Kpi(
            f"Når {pension['pensionsalder']} år t.o.m. {years[-1]}",
            tal(within),
            help=f"Tillsvidareanställda som redan fyllt {pension['pensionsalder']} år eller fyller det "
            f"t.o.m. {years[-1]}; pensionsåldern väljs under Pensionsavgångar.",
        )
    )
    return steady(result)


# --- Personalomsättning --------------------------------------------------------------------


def _first_period(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    periods = run(con, "perioder", Scope())
    return None if periods.empty else pd.Timestamp(periods["period"].iloc[0]).date()


def _first_event_month(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    value = run(con, "handelser_forsta_manad", Scope())["forsta"].iloc[0]
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


@dataclass(frozen=True)
class Tackning:
    """Where rolling 12-month figures of handelser can start: the first month whose window both
    anstallningar and handelser cover, and, when handelser starts later, the month it starts."""

    fran: dt.date | None
    handelser_fran: dt.date | None = None

    @property
    def not_text(self) -> str | None:
        """A Swedish note when the events begin after the employment rows, else None."""
        if self.handelser_fran is None or self.fran is None:
            return None
        return (
            f"Händelserna (avgångar och rekryteringar) i extrakten börjar först i {manad(self.handelser_fran)}, "
            f"senare än anställningarna. Personalomsättningen rullande 12 månader visas därför från "
            f"{manad(self.fran)}, den första månad då tolv månader av händelser finns."
        )


def tackning(con: duckdb.DuckDBPyConnection) -> Tackning:
    """The first month with a full 12-month window of both anstallningar and handelser."""
    # The same for every scope and period of a connection's extracts: asked once, not per figure.
    return remembered(con, ("rorlighet.tackning",), lambda: _tackning(con))


def _tackning(con: duckdb.DuckDBPyConnection) -> Tackning:
    first = _first_period(con)
    if first is None:
        return Tackning(None)
    events = _first_event_month(con)
    if events is not None and events > first:
        return Tackning(add_months(events, 11), events)
    return Tackning(add_months(first, 11))


def personalomsattning_per_manad(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, fran: dt.date | None = None
) -> pd.DataFrame:
    """Personalomsättning over the 12 months ending each month from fran (default and at the earliest:
    the first month whose 12-month window the extracts' anstallningar and handelser both cover) to P;
    months with a mean under 5 tillsvidare are withheld."""
    columns = ["period", "avgangar_12m", "medel_tillsvidare", "personalomsattning_pct", "undertryckt"]
    earliest = tackning(con).fran
    if earliest is None:
        return pd.DataFrame(columns=columns)
    fran = earliest if fran is None else max(fran, earliest)
    if fran > period:
        return pd.DataFrame(columns=columns)
    frame = run(con, "personalomsattning_per_manad", scope, fran=fran, till=period)
    frame["avgangar_12m"] = frame["avgangar_12m"].astype(int)
    frame["personalomsattning_pct"] = [
        share(a, m) for a, m in zip(frame["avgangar_12m"], frame["medel_tillsvidare"], strict=True)
    ]
    frame["undertryckt"] = [0 < m < MIN_GRUPP for m in frame["medel_tillsvidare"]]
    frame.loc[frame["undertryckt"], "personalomsattning_pct"] = None
    frame["personalomsattning_pct"] = frame["personalomsattning_pct"].astype(float)
    return frame[columns]


def figure_personalomsattning(
    frame: pd.DataFrame,
    scope_text: str,
    period: dt.date,
    target: float | None = None,
    note: str | None = None,
) -> go.Figure:
    """The rolling 12-month personalomsättning per month, with the target line where there is one; note
    (Tackning.not_text) says why the line starts later than the extracts."""
    heading = title("Personalomsättning, rullande 12 månader", scope_text, period, through=True)
    shown = frame[frame["personalomsattning_pct"].notna()] if len(frame) else frame
    if shown.empty:
        message = (
            "Personalomsättningen visas inte: urvalet har i genomsnitt färre än "
            f"{MIN_GRUPP} tillsvidareanställda."
            if len(frame) and frame["undertryckt"].any()
            else note
            or "Extrakten täcker inte tolv månader före perioden, eller urvalet saknar tillsvidareanställda."
        )
        return empty(message, heading)
    trace = dict(
        type="scatter",
        x=frame["period"],
        y=frame["personalomsattning_pct"],
        name="Personalomsättning",
        mode="lines+markers",
        line={"color": charts.NEUTRAL_COLOR, "width": 2.5},
        marker={"size": 6},
        customdata=list(zip(frame["avgangar_12m"], frame["medel_tillsvidare"], strict=True)),
        hovertemplate=(
            "<b>%{x|%Y-%m}</b>: %{y:.1f} %<br>%{customdata[0]:,.0f} avgångar på i genomsnitt "
            "%{customdata[1]:,.1f} tillsvidareanställda<extra></extra>"
        ),
    )
    # The target line's label comes before the note among the annotations, as it always has.
    shapes, notes = [], []
    if target is not None:
        shape, label = charts.target_line(target)
        shapes.append(shape)
        notes.append(label)
    if note:
        starts = frame["period"].iloc[0]
        notes.append(
            {
                "text": f"Från {manad(pd.Timestamp(starts).date())}: händelserna börjar senare än anställningarna",
                "x": 0,
                "y": 1.02,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 11, "color": "#555"},
            }
        )
    layout = {}
    if shapes:
        layout["shapes"] = shapes
    if notes:
        layout["annotations"] = notes
    return figure(
        [trace], heading, y_title="Procent", percent=True, legend=False, layout=layout, month_ticks=True
    )


TABELL_PERSONALOMSATTNING = (
    Column("period", "Månad", "manad"),
    Column("avgangar_12m", "Avgångar 12 månader", "antal", sensitive=True),
    Column("medel_tillsvidare", "Medelantal tillsvidare", "decimal"),
    Column("personalomsattning_pct", "Personalomsättning", "procent", sensitive=True),
)


def tabell_personalomsattning(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_personalomsattning."""
    return table(frame, TABELL_PERSONALOMSATTNING, formatted)


def personalomsattning_per_befattning(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, min_medel: float = MIN_GRUPP
) -> pd.DataFrame:
    """Personalomsättning per befattning over the 12 months ending P, highest first, for
    befattningar with a mean of at least min_medel tillsvidare."""
    fran, slut = window_12(period)
    frame = run(con, "personalomsattning_per_befattning", scope, fran=fran, till=period, slut=slut)
    frame = frame[frame["medel_tillsvidare"] >= min_medel].copy()
    frame["avgangar_12m"] = frame["avgangar_12m"].astype(int)
    frame["personalomsattning_pct"] = [
        share(a, m) for a, m in zip(frame["avgangar_12m"], frame["medel_tillsvidare"], strict=True)
    ]
    frame = frame.sort_values(["personalomsattning_pct", "befattning"], ascending=[False, True])
    return frame.reset_index(drop=True)[
        ["befattning", "avgangar_12m", "medel_tillsvidare", "personalomsattning_pct"]
    ]


def figure_personalomsattning_per_befattning(
    frame: pd.DataFrame, scope_text: str, period: dt.date
) -> go.Figure:
    """Horizontal bars of personalomsättning per befattning, highest on top."""
    heading = title("Personalomsättning per befattning, 12 månader", scope_text, period, through=True)
    if frame.empty:
        return empty(
            f"Ingen befattning i urvalet har i genomsnitt minst {MIN_GRUPP} tillsvidareanställda.", heading
        )
    bar = dict(
        type="bar",
        y=frame["befattning"],
        x=frame["personalomsattning_pct"],
        orientation="h",
        marker={"color": charts.NEUTRAL_COLOR},
        customdata=list(zip(frame["avgangar_12m"], frame["medel_tillsvidare"], strict=True)),
        text=[tal(v, 1) + " %" for v in frame["personalomsattning_pct"]],
        textposition="outside",
        cliponaxis=False,
        hovertemplate=(
            "<b>%{y}</b>: %{x:.1f} %<br>%{customdata[0]:,.0f} avgångar på i genomsnitt "
            "%{customdata[1]:,.1f} tillsvidareanställda<extra></extra>"
        ),
    )
    layout = {
        "xaxis": {"ticksuffix": " %", "rangemode": "tozero"},
        "yaxis": {"autorange": "reversed", "rangemode": None},
        "margin": {"l": 180, "r": 80},
    }
    return figure(
        [bar], heading, x_title="Procent", legend=False, height=max(260, 80 + 30 * len(frame)), layout=layout
    )


def tabell_personalomsattning_per_befattning(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_personalomsattning_per_befattning."""
    return table(
        frame,
        (
            Column("befattning", "Befattning"),
            Column("avgangar_12m", "Avgångar 12 månader", "antal"),
            Column("medel_tillsvidare", "Medelantal tillsvidare", "decimal"),
            Column("personalomsattning_pct", "Personalomsättning", "procent"),
        ),
        formatted,
    )


# --- Avgångar and rekryteringar year to date against last year -----------------------------


def ytd_label(period: dt.date, year: int) -> str:
    """The year-to-date window in words: 'jan–sep 2024' ('januari 2024' when P is January)."""
    if period.month == 1:
        return f"januari {year}"
    return f"jan\u2013{MANADER_KORT[period.month - 1]} {year}"


def _events(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, anstallningsform: str
) -> pd.DataFrame:
    last = add_months(period, -12)
    frame = run(
        con,
        "handelser_per_orsak_vag",
        scope,
        arsstart=dt.date(period.year, 1, 1),
        slut=month_end(period),
        fjol_start=dt.date(last.year, 1, 1),
        fjol_slut=month_end(last),
    )
    if anstallningsform != "alla":
        frame = frame[frame["anstallningsform"] == anstallningsform]
    return frame


def _comparison_rows(
    events: pd.DataFrame, period: dt.date, handelse: str, by: str, labels: dict[str, str], uppdelning: str
) -> list[dict]:
    # Summed in one pass over the (few) event rows: a pandas filter per category and year cost more
    # than the query.
    sums: dict[tuple[str, str], int] = {}
    for jamforelse, kind, kod, antal in zip(
        events["jamforelse"], events["handelse"], events[by], events["antal"], strict=True
    ):
        if kind == handelse:
            sums[(jamforelse, kod)] = sums.get((jamforelse, kod), 0) + int(antal)
    rows = []
    for jamforelse, year in (("i_fjol", period.year - 1), ("i_ar", period.year)):
        for kod, label in labels.items():
            rows.append(
                {
                    "uppdelning": uppdelning,
                    "kod": kod,
                    "kategori": label,
                    "jamforelse": jamforelse,
                    "etikett": ytd_label(period, year),
                    "antal": sums.get((jamforelse, kod), 0),
                    "undertryckt": False,
                }
            )
    return rows


def _comparison(
    events: pd.DataFrame, period: dt.date, handelse: str, by: str, labels: dict[str, str], uppdelning: str
) -> pd.DataFrame:
    return pd.DataFrame(_comparison_rows(events, period, handelse, by, labels, uppdelning))


def _withhold_orsak(rows: list[dict]) -> pd.DataFrame:
    """Orsaker with 1–2 avgångar withheld per year, with secondary suppression within the year."""
    for jamforelse in ("i_fjol", "i_ar"):
        in_year = [r for r in rows if r["jamforelse"] == jamforelse]
        sizes = {r["kod"]: r["antal"] for r in in_year}
        small = {kod for kod, n in sizes.items() if 0 < n < MIN_ANTAL_ORSAK}
        hidden = suppression.secondary(sizes, small)
        if suppression.TOTAL in hidden:
            hidden = set(sizes)
        for r in in_year:
            r["undertryckt"] = r["kod"] in hidden
    frame = pd.DataFrame(rows)
    frame["antal"] = np.array([None if r["undertryckt"] else r["antal"] for r in rows], dtype=float)
    return frame


def avgangar_per_orsak(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, anstallningsform: str = "alla"
) -> pd.DataFrame:
    """Avgångar per orsak, 1 January to the end of P against the same period last year (1–2 withheld)."""
    return _per_orsak(_events(con, period, scope, anstallningsform), period)


def avgangar_per_vag(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, anstallningsform: str = "alla"
) -> pd.DataFrame:
    """Avgångar per väg, 1 January to the end of P against the same period last year."""
    return _per_vag(_events(con, period, scope, anstallningsform), period)


def rekryteringar_per_vag(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, anstallningsform: str = "alla"
) -> pd.DataFrame:
    """Rekryteringar per väg (where the person came from), year to date against last year."""
    return _rekryteringar_per_vag(_events(con, period, scope, anstallningsform), period)


def jamforelser(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, anstallningsform: str = "alla"
) -> dict[str, pd.DataFrame]:
    """avgangar_per_orsak, avgangar_per_vag and rekryteringar_per_vag (keys orsak, vag, rekrytering)
    from one reading of the events: the three charts the page shows side by side."""
    events = _events(con, period, scope, anstallningsform)
    return {
        "orsak": _per_orsak(events, period),
        "vag": _per_vag(events, period),
        "rekrytering": _rekryteringar_per_vag(events, period),
    }


def _per_orsak(events: pd.DataFrame, period: dt.date) -> pd.DataFrame:
    return _withhold_orsak(_comparison_rows(events, period, "avgang", "orsak", ORSAKER, "orsak"))


def _per_vag(events: pd.DataFrame, period: dt.date) -> pd.DataFrame:
    return _comparison(events, period, "avgang", "vag", VAGAR_AVGANG, "vag")


def _rekryteringar_per_vag(events: pd.DataFrame, period: dt.date) -> pd.DataFrame:
    return _comparison(events, period, "rekrytering", "vag", VAGAR_REKRYTERING, "vag")


def figure_jamforelse(
    frame: pd.DataFrame, what: str, scope_text: str, period: dt.date, narrow: bool = False
) -> go.Figure:
    """Grouped bars: each category's count last year and this year to date ('..' where withheld)."""
    heading = title(what, scope_text, period, through=True, narrow=narrow)
    if frame.empty or (frame["antal"].fillna(0).sum() == 0 and not frame["undertryckt"].any()):
        return empty("Inga händelser i urvalet under perioderna.", heading)
    traces = []
    for jamforelse, color in (("i_fjol", FJOL_COLOR), ("i_ar", I_AR_COLOR)):
        part = frame[frame["jamforelse"] == jamforelse]
        label = part["etikett"].iloc[0]
        texts = [
            SUPPRESSED if hidden else tal(v)
            for v, hidden in zip(part["antal"], part["undertryckt"], strict=True)
        ]
        traces.append(
            dict(
                type="bar",
                x=[charts.wrap_label(k, 18) for k in part["kategori"]],
                y=part["antal"].fillna(0),
                name=label,
                marker={"color": color},
                text=texts,
                textposition="outside",
                cliponaxis=False,
                customdata=list(zip(part["kategori"], texts, strict=True)),
                hovertemplate=f"<b>%{{customdata[0]}}</b><br>{label}: %{{customdata[1]}}<extra></extra>",
            )
        )
    return figure(
        traces,
        heading,
        y_title="Antal",
        height=400,
        layout={"barmode": "group", "bargap": 0.25, "xaxis": {"tickangle": 0}},
        legend_bottom=90,
    )


def tabell_jamforelse(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The comparison as a table: category, last year's and this year's count ('..' where withheld)."""
    labels = list(dict.fromkeys(frame["etikett"]))
    wide = {"kategori": list(dict.fromkeys(frame["kategori"]))}
    columns = [Column("kategori", "Kategori")]
    rows = list(zip(frame["jamforelse"], frame["antal"], frame["undertryckt"], strict=True))
    for i, (jamforelse, label) in enumerate(zip(("i_fjol", "i_ar"), labels, strict=False)):
        wide[f"c{i}"] = [
            SUPPRESSED if hidden else (tal(v) if formatted else int(v))
            for j, v, hidden in rows
            if j == jamforelse
        ]
        columns.append(Column(f"c{i}", label))
    return table(pd.DataFrame(wide), columns, formatted)


# --- Pensionsavgångar ----------------------------------------------------------------------


def pension_years(period: dt.date) -> list[int]:
    """The three forecast years after P's year."""
    return [period.year + i for i in (1, 2, 3)]


def _pension_wide(frame: pd.DataFrame, keys: list[str], period: dt.date) -> pd.DataFrame:
    years = pension_years(period)
    # Each unit's counts per year in one pass over the rows (a pandas group per unit cost more than
    # the query), units in sorted order.
    groups: dict[tuple, dict[int, int]] = {}
    for *key, year, antal in zip(
        *(frame[k].tolist() for k in keys), frame["pensionsar"].tolist(), frame["antal"].tolist(), strict=True
    ):
        groups.setdefault(tuple(key), {})[int(year)] = int(antal)
    rows = []
    for key in sorted(groups):
        by_year = groups[key]
        row = dict(zip(keys, key, strict=True))
        row["antal_tillsvidare"] = sum(by_year.values())
        row["redan"] = sum(n for y, n in by_year.items() if y <= period.year)
        for i, year in enumerate(years, start=1):
            row[f"ar_{i}"] = by_year.get(year, 0)
        row["inom_tre_ar"] = row["redan"] + sum(row[f"ar_{i}"] for i in (1, 2, 3))
        row["andel_pct"] = share(row["inom_tre_ar"], row["antal_tillsvidare"])
        rows.append(row)
    columns = [*keys, "antal_tillsvidare", "redan", "ar_1", "ar_2", "ar_3", "inom_tre_ar", "andel_pct"]
    return pd.DataFrame(rows, columns=columns)


def pension_per_avdelning(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, pensionsalder: int = DEFAULT_PENSIONSALDER
) -> pd.DataFrame:
    """Tillsvidare at P per avdelning: already at pensionsålder, reaching it in each of the next
    three years (ar_1 … ar_3), their sum and its share of the avdelning's tillsvidare."""
    frame = run(con, "pension_per_avdelning", scope, period=period, pensionsalder=pensionsalder)
    return _pension_wide(frame, ["forvaltning", "avdelning"], period)


def pension_per_befattning(
    con: duckdb.DuckDBPyConnection,
    period: dt.date,
    scope: Scope,
    pensionsalder: int = DEFAULT_PENSIONSALDER,
    n: int = 10,
) -> pd.DataFrame:
    """The n befattningar with the most tillsvidare at or reaching pensionsålder within three years."""
    frame = run(con, "pension_per_befattning", scope, period=period, pensionsalder=pensionsalder)
    wide = _pension_wide(frame, ["befattning"], period)
    wide = wide[wide["inom_tre_ar"] > 0].sort_values(
        ["inom_tre_ar", "andel_pct", "befattning"], ascending=[False, False, True]
    )
    return wide.head(n).reset_index(drop=True)


def _pension_columns(first: list[Column], period: dt.date) -> list[Column]:
    years = pension_years(period)
    return [
        *first,
        Column("antal_tillsvidare", "Tillsvidare", "antal"),
        Column("redan", "Redan uppnått", "antal"),
        *(Column(f"ar_{i}", str(year), "antal") for i, year in enumerate(years, start=1)),
        Column("inom_tre_ar", f"Summa t.o.m. {years[-1]}", "antal"),
        Column("andel_pct", "Andel av tillsvidare", "procent"),
    ]


def tabell_pension_per_avdelning(
    frame: pd.DataFrame, period: dt.date, formatted: bool = False
) -> pd.DataFrame:
    """The pension table per avdelning with the years as headings and a 'Totalt' row."""
    if len(frame):
        sums = frame[["antal_tillsvidare", "redan", "ar_1", "ar_2", "ar_3", "inom_tre_ar"]].sum()
        total = {
            "forvaltning": "",
            "avdelning": "Totalt",
            **{k: int(v) for k, v in sums.items()},
            "andel_pct": share(sums["inom_tre_ar"], sums["antal_tillsvidare"]),
        }
        frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    columns = [Column("forvaltning", "Förvaltning"), Column("avdelning", "Avdelning")]
    return table(frame, _pension_columns(columns, period), formatted)


def tabell_pension_per_befattning(
    frame: pd.DataFrame, period: dt.date, formatted: bool = False
) -> pd.DataFrame:
    """The befattningar most affected by pensionsavgångar."""
    return table(frame, _pension_columns([Column("befattning", "Befattning")], period), formatted)


def figure_pension_per_avdelning(
    frame: pd.DataFrame, scope_text: str, period: dt.date, pensionsalder: int
) -> go.Figure:
    """Stacked bars per avdelning: redan uppnått and each of the next three years."""
    heading = title(f"Tillsvidareanställda som når {pensionsalder} år", scope_text, period)
    if frame.empty or frame["inom_tre_ar"].sum() == 0:
        message = (
            "Urvalet har inga tillsvidareanställda i perioden."
            if frame.empty
            else f"Ingen tillsvidareanställd i urvalet når {pensionsalder} år inom tre år."
        )
        return empty(message, heading)
    years = pension_years(period)
    series = [("redan", "Redan uppnått")] + [(f"ar_{i}", str(y)) for i, y in enumerate(years, start=1)]
    traces = [
        dict(
            type="bar",
            x=frame["avdelning"],
            y=frame[column],
            name=label,
            marker={"color": color},
            hovertemplate=f"<b>%{{x}}</b><br>{label}: %{{y:,.0f}} personer<extra></extra>",
        )
        for (column, label), color in zip(series, PENSION_COLORS, strict=True)
    ]
    if len(frame) <= 2:
        for trace in traces:
            trace["width"] = 0.35  # one or two avdelningar: no wall-to-wall bar
    return figure(traces, heading, y_title="Antal personer", layout={"barmode": "stack"}, legend_bottom=80)


# --- Personalprognos -----------------------------------------------------------------------


def personalprognos(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> pd.DataFrame:
    """The external staffing forecast per yrkeskategori and year for the förvaltningar in scope."""
    frame = run(con, "personalprognos", scope)
    for column in ("ar", "personalbehov", "rekryteringsbehov"):
        frame[column] = frame[column].astype(int)
    return frame


def figure_personalprognos(frame: pd.DataFrame, scope_text: str, period: dt.date) -> go.Figure:
    """Personalbehov and rekryteringsbehov per yrkeskategori and year, side by side."""
    heading = f"Personalprognos per yrkeskategori – {scope_text}"
    if len(frame):
        heading += f", {frame['ar'].min()}–{frame['ar'].max()}"
    if frame.empty:
        return empty("Prognosen har inga rader för urvalets förvaltningar.", heading)
    kategorier = sorted(frame["yrkeskategori"].unique())
    colors = {k: LINE_PALETTE[i % len(LINE_PALETTE)] for i, k in enumerate(kategorier)}
    # One split of the frame instead of a filter per yrkeskategori, and the columns handed to Plotly as
    # NumPy arrays (the same values; a Series is converted through another library first).
    parts = dict(list(frame.groupby("yrkeskategori", sort=False)))
    traces = []
    for kategori in kategorier:
        part = parts[kategori].sort_values("ar")
        for axis, column in (("", "personalbehov"), ("2", "rekryteringsbehov")):
            traces.append(
                dict(
                    type="scatter",
                    x=part["ar"].to_numpy(),
                    y=part[column].to_numpy(),
                    name=kategori,
                    legendgroup=kategori,
                    showlegend=not axis,
                    mode="lines+markers",
                    line={"color": colors[kategori], "width": 2},
                    hovertemplate=f"<b>{kategori}</b><br>%{{x}}: {column} %{{y:,.0f}}<extra></extra>",
                    xaxis="x" + axis,
                    yaxis="y" + axis,
                )
            )
    layout = _personalprognos_layout()
    if frame["ar"].min() <= period.year <= frame["ar"].max():
        layout["shapes"] = [
            {
                "type": "line",
                "line": {"color": "#888", "dash": "dot"},
                "x0": period.year,
                "x1": period.year,
                "xref": "x" + axis,
                "y0": 0,
                "y1": 1,
                "yref": f"y{axis} domain",
            }
            for axis in ("", "2")
        ]
    fig = figure(traces, heading, y_title="Antal personer", height=480, layout=layout, legend_bottom=110)
    # The right panel has no axis title of its own; Plotly keeps the unset title as an empty one,
    # as the chart has always carried it.
    fig.layout.yaxis2.title.text = None
    return diagramtext.set_summary(fig, summary_personalprognos(frame))


def _personalprognos_layout() -> dict:
    """The two panels side by side as make_subplots(rows=1, cols=2, subplot_titles=(…),
    horizontal_spacing=0.08) lays them out, with whole years on the x axes."""
    years = {"tickformat": "d", "dtick": 1}
    title = {"font": {"size": 16}, "showarrow": False, "xanchor": "center", "xref": "paper"}
    title |= {"y": 1.0, "yanchor": "bottom", "yref": "paper"}
    return {
        "xaxis": {"anchor": "y", "domain": [0.0, 0.46], **years},
        "yaxis": {"anchor": "x", "domain": [0.0, 1.0]},
        "xaxis2": {"anchor": "y2", "domain": [0.54, 1.0], **years},
        "yaxis2": {"anchor": "x2", "domain": [0.0, 1.0]},
        "annotations": [
            {**title, "text": "Personalbehov", "x": 0.23},
            {**title, "text": "Rekryteringsbehov", "x": 0.77},
        ],
        "margin": {"t": 90},
    }


def summary_personalprognos(frame: pd.DataFrame) -> str:
    """The forecast in one sentence: the total personalbehov from the first to the last year, the
    rekryteringsbehov over the years and the yrkeskategori that needs the most recruits."""
    first, last = int(frame["ar"].min()), int(frame["ar"].max())
    per_year = frame.groupby("ar")[["personalbehov", "rekryteringsbehov"]].sum()
    per_kategori = frame.groupby("yrkeskategori")["rekryteringsbehov"].sum()
    most = per_kategori.idxmax()
    return (
        f"Personalbehovet för alla yrkeskategorier går från {tal(per_year['personalbehov'].iloc[0])} år {first} "
        f"till {tal(per_year['personalbehov'].iloc[-1])} år {last}; rekryteringsbehovet är sammanlagt "
        f"{tal(per_year['rekryteringsbehov'].sum())} personer {first}–{last}, flest för {most} "
        f"({tal(per_kategori[most])})."
    )


def tabell_personalprognos(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The forecast as a table: år, yrkeskategori, personalbehov, rekryteringsbehov."""
    return table(
        frame.sort_values(["ar", "yrkeskategori"]),
        (
            Column("ar", "År"),
            Column("yrkeskategori", "Yrkeskategori"),
            Column("personalbehov", "Personalbehov", "antal"),
            Column("rekryteringsbehov", "Rekryteringsbehov", "antal"),
        ),
        formatted,
    )
