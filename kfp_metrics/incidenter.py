"""The Incidenter page's figures: per tertial this year against last year, per typ and orsak, per
avdelning (or enhet) and per befattning, with hot och våld highlighted.

Frames come from (con, period, scope) with code column names; `figure_*` builds the Plotly chart
and `tabell_*` the table shown under it. No Streamlit here: the printed nämnd report reuses the
same builders. Incident counts are reports in the incident system, not data about persons: nothing
is withheld.

Tertial 1 = januari–april, 2 = maj–augusti, 3 = september–december (contract). The tertial in
progress at P counts reports up to the end of P. Accumulated, as the official tertial reports
count, tertial 2 shows januari–augusti and tertial 3 the whole year. The breakdowns by typ, orsak,
avdelning and befattning cover the year to date: 1 januari to the end of P.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd
import plotly.graph_objects as go

from kfp_metrics import charts, nyckeltal
from kfp_metrics.analys import (
    Column,
    level,
    organisation_avdelningar,
    per_forvaltning_instead,
    shown_level,
    table,
    unit_names,
)
from kfp_metrics.format import MANADER, manad, tal
from kfp_metrics.periods import month_end, tertial, tertial_start_month
from kfp_metrics.queries import Scope, run

TYPER = {
    "olycksfall": "Olycksfall",
    "fardolycksfall": "Färdolycksfall",
    "arbetssjukdom": "Arbetssjukdom",
    "tillbud": "Tillbud",
    "riskobservation": "Riskobservation",
}
ORSAKER = {
    "hot_och_vald": "Hot och våld",
    "fall": "Fall",
    "belastning": "Belastning",
    "stick_skar": "Stick/skär",
    "trafik": "Trafik",
    "ovrigt": "Övrigt",
}
EJ_ANGIVEN = "Ej angiven"
HOT_OCH_VALD = "hot_och_vald"
OVRIGA_COLOR = charts.NEUTRAL_COLOR
LAST_YEAR_COLOR = charts.MUTED_COLOR
THIS_YEAR_COLOR = charts.NEUTRAL_COLOR
TOPP_BEFATTNINGAR = 15


def _two_lines(what: str, rest: str) -> str:
    """A title for a half-width chart: the subject, then scope and period on a second line."""
    return f"{what} –<br>{rest}"


def _legend_below(y: float = -0.14, bottom: int = 90) -> dict:
    """Layout keys for a horizontal legend under the axis labels rather than over them."""
    return {"legend": {"orientation": "h", "yanchor": "top", "y": y, "x": 0}, "margin": {"b": bottom}}


def _count_axis(peak, axis: str = "y") -> dict:
    """Layout keys for whole numbers only on a count axis: a step of 1 for small counts, else integer
    ticks."""
    if peak <= 8:
        return {f"{axis}axis": {"dtick": 1, "tick0": 0, "range": [0, max(1, peak) * 1.15]}}
    return {f"{axis}axis": {"tickformat": ",d"}}


def _layout(*parts: dict) -> dict:
    """Layout keys merged in order, nested dicts key by key (as successive update_layout calls)."""
    out: dict = {}
    for part in parts:
        charts.merge(out, part)
    return out


def _short_month(month: int) -> str:
    return MANADER[month - 1][:3]


def tertial_label(t: int, accumulated: bool = False) -> str:
    """'T2 maj–aug', or accumulated 'T2 jan–aug'."""
    first = 1 if accumulated else tertial_start_month(t)
    return f"T{t} {_short_month(first)}–{_short_month(tertial_start_month(t) + 3)}"


def year_to_date(period: dt.date) -> tuple[dt.date, dt.date]:
    """1 januari of P's year and the last day of P."""
    return dt.date(period.year, 1, 1), month_end(period)


def period_text(period: dt.date) -> str:
    """'januari–september 2024' (or 'januari 2024'): the year to date in words."""
    return manad(period) if period.month == 1 else f"januari–{manad(period)}"


# --- Per tertial -------------------------------------------------------------------------------


def per_tertial(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, accumulated: bool = False
) -> pd.DataFrame:
    """Reports per tertial of year(P)−1 and of year(P) begun by P (contract), in total and hot och våld;
    accumulated=True sums from January, as the official tertial reports count."""
    figures = nyckeltal.incidenter(con, period, scope)
    columns = ["ar", "tertial", "etikett", "antal", "hot_och_vald", "pagar", "ackumulerat"]
    if figures is None:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(figures["per_tertial"])
    if accumulated:
        frame["antal"] = frame.groupby("ar")["antal"].cumsum()
        frame["hot_och_vald"] = frame.groupby("ar")["hot_och_vald"].cumsum()
    frame["etikett"] = [tertial_label(int(t), accumulated) for t in frame["tertial"]]
    running = (period.year, tertial(period.month))
    frame["pagar"] = [
        (int(a), int(t)) == running and period.month != tertial_start_month(int(t)) + 3
        for a, t in zip(frame["ar"], frame["tertial"], strict=True)
    ]
    frame["ackumulerat"] = accumulated
    return frame[columns]


def _year_name(year: int, period: dt.date) -> str:
    return str(year) if year < period.year or period.month == 12 else f"{year} (t.o.m. {manad(period)})"


def figure_per_tertial(
    frame: pd.DataFrame, scope_text: str, period: dt.date, measure: str = "antal"
) -> go.Figure:
    """Grouped bars per tertial, year(P) against year(P)−1; measure 'antal' or 'hot_och_vald'."""
    accumulated = bool(len(frame)) and bool(frame["ackumulerat"].iloc[0])
    what = "Incidenter" if measure == "antal" else "Hot och våld"
    how = "ackumulerat från januari" if accumulated else "per tertial"
    heading = _two_lines(
        f"{what} {how}", f"{scope_text}, {period.year} mot {period.year - 1} (t.o.m. {manad(period)})"
    )
    if frame.empty:
        return charts.empty_figure("Incidentdata saknas i extrakten.", heading)
    labels = [tertial_label(t, accumulated) for t in (1, 2, 3)]
    this_color = charts.HOT_OCH_VALD_COLOR if measure == HOT_OCH_VALD else THIS_YEAR_COLOR
    traces = []
    for year, color in ((period.year - 1, LAST_YEAR_COLOR), (period.year, this_color)):
        part = frame[frame["ar"] == year]
        name = _year_name(year, period)
        notes = [" (pågår)" if p else "" for p in part["pagar"]]
        traces.append(
            dict(
                type="bar",
                x=list(part["etikett"]),
                y=list(part[measure]),
                name=name,
                marker={"color": color},
                customdata=notes,
                text=[tal(v) for v in part[measure]],
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"<b>{name}</b><br>%{{x}}%{{customdata}}: %{{y:,.0f}} anmälningar<extra></extra>",
            )
        )
    layout = _layout(
        {
            "xaxis": {"type": "category", "categoryorder": "array", "categoryarray": labels},
            "barmode": "group",
            "margin": {"t": 100},
        },
        _count_axis(int(frame[measure].max())),
        _legend_below(y=-0.1, bottom=80),
    )
    if frame["pagar"].any():
        layout["annotations"] = [
            {
                "text": f"Tertial {tertial(period.month)} {period.year} pågår: räknat t.o.m. {manad(period)}.",
                "x": 1,
                "y": 1.02,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "right",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12, "color": "#555"},
            }
        ]
    return charts.figure(traces, heading, y_title="Antal anmälningar", height=420, layout=layout)


TABELL_PER_TERTIAL = (
    Column("ar", "År"),
    Column("etikett", "Tertial"),
    Column("antal", "Antal incidenter", "antal"),
    Column("hot_och_vald", "Varav hot och våld", "antal"),
    Column("status", "Anmärkning"),
)


def tabell_per_tertial(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_per_tertial."""
    shown = frame.assign(status=["Pågår" if p else "" for p in frame["pagar"]])
    return table(shown, TABELL_PER_TERTIAL, formatted)


# --- Per typ and orsak ---------------------------------------------------------------------------


def per_typ_orsak(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> pd.DataFrame:
    """Reports per typ and orsak in the year to date, with Swedish labels (orsak 'Ej angiven' when null)."""
    fran, slut = year_to_date(period)
    raw = run(con, "incidenter_per_typ_orsak", scope, fran=fran, slut=slut)
    frame = raw.copy()
    frame["orsak"] = frame["orsak"].astype(object).where(frame["orsak"].notna(), None)
    frame["typ_namn"] = [TYPER.get(t, t) for t in frame["typ"]]
    frame["orsak_namn"] = [ORSAKER.get(o, o) if o else EJ_ANGIVEN for o in frame["orsak"]]
    frame["antal"] = frame["antal"].astype(int)
    return frame[["typ", "typ_namn", "orsak", "orsak_namn", "antal"]]


def per_typ(frame: pd.DataFrame) -> pd.DataFrame:
    """per_typ_orsak summed per typ, split into hot och våld and other causes, in contract order."""
    # A plain pass over the few rows: a boolean filter per typ cost ten times more.
    totals, hot = dict.fromkeys(TYPER, 0), dict.fromkeys(TYPER, 0)
    for typ, orsak, antal in zip(frame["typ"], frame["orsak"], frame["antal"], strict=True):
        if typ in totals:
            totals[typ] += antal
            if isinstance(orsak, str) and orsak == HOT_OCH_VALD:
                hot[typ] += antal
    rows = []
    for code, name in TYPER.items():
        total, hot_och_vald = int(totals[code]), int(hot[code])
        rows.append(
            {
                "typ": code,
                "typ_namn": name,
                "antal": total,
                "hot_och_vald": hot_och_vald,
                "ovriga": total - hot_och_vald,
            }
        )
    return pd.DataFrame(rows)


def per_orsak(frame: pd.DataFrame) -> pd.DataFrame:
    """per_typ_orsak summed per orsak, in contract order with 'Ej angiven' last."""
    totals = dict.fromkeys([*ORSAKER, None], 0)
    for orsak, antal in zip(frame["orsak"], frame["antal"], strict=True):
        key = None if pd.isna(orsak) else orsak
        if key in totals:
            totals[key] += antal
    rows = []
    for code, name in [*ORSAKER.items(), (None, EJ_ANGIVEN)]:
        total = int(totals[code])
        if code is None and total == 0:
            continue
        rows.append({"orsak": code, "orsak_namn": name, "antal": total})
    return pd.DataFrame(rows)


def figure_per_typ(frame: pd.DataFrame, scope_text: str, period: dt.date) -> go.Figure:
    """Stacked horizontal bars per typ (from per_typ): hot och våld highlighted, other causes muted."""
    heading = _two_lines("Incidenter per typ", f"{scope_text}, {period_text(period)}")
    if frame.empty or frame["antal"].sum() == 0:
        return charts.empty_figure(f"Inga anmälda incidenter {period_text(period)} i urvalet.", heading)
    traces = [
        dict(
            type="bar",
            y=list(frame["typ_namn"]),
            x=list(frame[column]),
            name=name,
            orientation="h",
            marker={"color": color},
            hovertemplate=f"<b>%{{y}}</b><br>{name}: %{{x}}<extra></extra>",
        )
        for column, name, color in (
            ("hot_och_vald", "Hot och våld", charts.HOT_OCH_VALD_COLOR),
            ("ovriga", "Övriga orsaker", OVRIGA_COLOR),
        )
    ]
    layout = _layout(
        {"barmode": "stack", "margin": {"t": 90}},
        _count_axis(int(frame["antal"].max()), "x"),
        {"yaxis": {"autorange": "reversed", "rangemode": None, "automargin": True}},
        _legend_below(y=-0.3, bottom=120),
    )
    return charts.figure(traces, heading, x_title="Antal anmälningar", height=420, layout=layout)


def figure_per_orsak(frame: pd.DataFrame, scope_text: str, period: dt.date) -> go.Figure:
    """Horizontal bars per orsak (from per_orsak) with hot och våld in its own colour."""
    heading = _two_lines("Incidenter per orsak", f"{scope_text}, {period_text(period)}")
    if frame.empty or frame["antal"].sum() == 0:
        return charts.empty_figure(f"Inga anmälda incidenter {period_text(period)} i urvalet.", heading)
    colors = [charts.HOT_OCH_VALD_COLOR if o == HOT_OCH_VALD else OVRIGA_COLOR for o in frame["orsak"]]
    bar = dict(
        type="bar",
        y=list(frame["orsak_namn"]),
        x=list(frame["antal"]),
        orientation="h",
        marker={"color": colors},
        text=[tal(v) for v in frame["antal"]],
        textposition="outside",
        cliponaxis=False,
        showlegend=False,
        hovertemplate="<b>%{y}</b>: %{x:,.0f} anmälningar<extra></extra>",
    )
    layout = _layout(
        {"margin": {"t": 90}, "yaxis": {"autorange": "reversed", "rangemode": None, "automargin": True}},
        _count_axis(int(frame["antal"].max()), "x"),
    )
    return charts.figure([bar], heading, x_title="Antal anmälningar", legend=False, height=420, layout=layout)


def tabell_per_typ(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_per_typ."""
    return table(
        frame,
        (
            Column("typ_namn", "Typ"),
            Column("antal", "Antal incidenter", "antal"),
            Column("hot_och_vald", "Varav hot och våld", "antal"),
            Column("ovriga", "Övriga orsaker", "antal"),
        ),
        formatted,
    )


def tabell_per_orsak(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_per_orsak."""
    return table(
        frame, (Column("orsak_namn", "Orsak"), Column("antal", "Antal incidenter", "antal")), formatted
    )


# --- Per avdelning (per enhet within one avdelning) and per befattning ------------------------------


def per_avdelning(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> pd.DataFrame:
    """Reports per avdelning in the year to date (per enhet when the scope is one avdelning; per
    förvaltning when it spans several with more than analys.MAX_AVDELNINGAR avdelningar), with hot och
    våld and the avdelning's colour."""
    niva = level(scope)
    fran, slut = year_to_date(period)
    raw = run(con, f"incidenter_per_{niva}", scope, fran=fran, slut=slut)
    columns = ["forvaltning", "avdelning", "namn", "antal", "hot_och_vald", "farg", "niva"]
    if raw.empty:
        return pd.DataFrame(columns=columns)
    frame = raw.copy()
    if niva == "avdelning" and per_forvaltning_instead(frame):
        # Reports are events: a förvaltning's count is the sum of its avdelningar's.
        frame = frame.groupby("forvaltning", as_index=False)[["antal", "hot_och_vald"]].sum()
        frame["avdelning"] = None
        frame["namn"] = unit_names(frame, "forvaltning")
        frame["farg"] = charts.NEUTRAL_COLOR
        frame["niva"] = "forvaltning"
        return frame[columns]
    frame["namn"] = unit_names(frame, niva)
    if niva == "avdelning":
        colors = charts.color_map(organisation_avdelningar(con) + list(frame["avdelning"]))
        frame["farg"] = [colors[a] for a in frame["avdelning"]]
    else:
        colors = charts.color_map(frame["namn"])
        frame["farg"] = [colors[n] for n in frame["namn"]]
    frame["niva"] = niva
    frame["antal"] = frame["antal"].astype(int)
    frame["hot_och_vald"] = frame["hot_och_vald"].astype(int)
    return frame[columns]


def figure_per_avdelning(frame: pd.DataFrame, scope_text: str, period: dt.date) -> go.Figure:
    """Bars per avdelning (or enhet) in its colour, with hot och våld marked on each bar."""
    niva = (
        {"enhet": "enhet", "forvaltning": "förvaltning"}.get(frame["niva"].iloc[0], "avdelning")
        if len(frame)
        else "avdelning"
    )
    heading = f"Incidenter per {niva} – {scope_text}, {period_text(period)}"
    if frame.empty:
        return charts.empty_figure(f"Inga anmälda incidenter {period_text(period)} i urvalet.", heading)
    labels = [charts.wrap_label(n) for n in frame["namn"]]
    traces = [
        dict(
            type="bar",
            x=labels,
            y=list(frame["antal"]),
            name="Alla incidenter",
            marker={"color": list(frame["farg"])},
            customdata=list(frame["hot_och_vald"]),
            showlegend=False,
            hovertemplate="<b>%{x}</b><br>%{y:,.0f} anmälningar, varav hot och våld %{customdata:,.0f}<extra></extra>",
        ),
        dict(
            type="scatter",
            x=list(labels),
            y=list(frame["hot_och_vald"]),
            name="Varav hot och våld",
            mode="markers",
            marker={
                "symbol": "diamond",
                "size": 13,
                "color": charts.HOT_OCH_VALD_COLOR,
                "line": {"width": 1, "color": "white"},
            },
            hovertemplate="<b>%{x}</b><br>Hot och våld: %{y:,.0f}<extra></extra>",
        ),
    ]
    layout = _layout(
        {"xaxis": {"type": "category"}},
        _legend_below(y=-0.14, bottom=90),
        _count_axis(int(frame["antal"].max())),
    )
    return charts.figure(traces, heading, y_title="Antal anmälningar", layout=layout)


def tabell_per_avdelning(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_per_avdelning (first column 'Enhet' at enhet level)."""
    out = table(
        frame,
        (
            Column("namn", "Avdelning"),
            Column("antal", "Antal incidenter", "antal"),
            Column("hot_och_vald", "Varav hot och våld", "antal"),
        ),
        formatted,
    )
    if len(frame) and frame["niva"].iloc[0] != "avdelning":
        out = out.rename(columns={"Avdelning": shown_level(frame, Scope()).capitalize()})
    return out


def per_befattning(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, top: int = TOPP_BEFATTNINGAR
) -> pd.DataFrame:
    """Reports per befattning in the year to date, the `top` most frequent ('Ej angiven' for none)."""
    fran, slut = year_to_date(period)
    raw = run(con, "incidenter_per_befattning", scope, fran=fran, slut=slut)
    frame = raw.copy()
    frame["befattning"] = [b if isinstance(b, str) and b else EJ_ANGIVEN for b in frame["befattning"]]
    frame["antal"] = frame["antal"].astype(int)
    frame["hot_och_vald"] = frame["hot_och_vald"].astype(int)
    return frame[["befattning", "antal", "hot_och_vald"]].head(top).reset_index(drop=True)


def figure_per_befattning(frame: pd.DataFrame, scope_text: str, period: dt.date) -> go.Figure:
    """Stacked horizontal bars per befattning: hot och våld highlighted, other causes muted."""
    heading = f"Incidenter per befattning – {scope_text}, {period_text(period)}"
    if frame.empty:
        return charts.empty_figure(f"Inga anmälda incidenter {period_text(period)} i urvalet.", heading)
    traces = [
        dict(
            type="bar",
            y=list(frame["befattning"]),
            x=list(values),
            name=name,
            orientation="h",
            marker={"color": color},
            hovertemplate=f"<b>%{{y}}</b><br>{name}: %{{x}}<extra></extra>",
        )
        for values, name, color in (
            (frame["hot_och_vald"], "Hot och våld", charts.HOT_OCH_VALD_COLOR),
            (frame["antal"] - frame["hot_och_vald"], "Övriga orsaker", OVRIGA_COLOR),
        )
    ]
    height = max(340, 170 + 28 * len(frame))
    layout = _layout(
        {"barmode": "stack", "yaxis": {"autorange": "reversed", "rangemode": None, "automargin": True}},
        # The plot area is the height less the 60 px title and 110 px bottom margins; the legend goes
        # some 55 px below it, under the tick labels and the axis title.
        _legend_below(y=-55 / (height - 170), bottom=110),
        _count_axis(int(frame["antal"].max()), "x"),
    )
    return charts.figure(traces, heading, x_title="Antal anmälningar", height=height, layout=layout)


def tabell_per_befattning(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_per_befattning."""
    return table(
        frame,
        (
            Column("befattning", "Befattning"),
            Column("antal", "Antal incidenter", "antal"),
            Column("hot_och_vald", "Varav hot och våld", "antal"),
        ),
        formatted,
    )


# --- Like with like: the latest complete tertial, and the running one so far ------------------


@dataclass(frozen=True)
class Jamforelse:
    """Reports in a span (ar, months fran–till) against the same months a year earlier."""

    ar: int
    tertial: int
    fran_manad: int
    till_manad: int
    antal: int
    hot_och_vald: int
    antal_fg: int
    hot_och_vald_fg: int

    @property
    def hel(self) -> bool:
        """Whether the span is the whole tertial."""
        return self.fran_manad == tertial_start_month(self.tertial) and self.till_manad == self.fran_manad + 3

    @property
    def manader(self) -> str:
        """'maj–augusti', or 'september' for one month."""
        first, last = MANADER[self.fran_manad - 1], MANADER[self.till_manad - 1]
        return first if first == last else f"{first}–{last}"

    @property
    def forandring(self) -> int:
        return self.antal - self.antal_fg


@dataclass(frozen=True)
class Tertialer:
    """The latest complete tertial at P against the same tertial a year earlier (what the plans lead
    with) and, when P is not a tertial's last month, the running tertial so far ('hittills') against
    the same months a year earlier; i_ar is January to P against the same months a year earlier."""

    senaste: Jamforelse
    pagaende: Jamforelse | None
    i_ar: Jamforelse


def latest_complete_tertial(period: dt.date) -> tuple[int, int]:
    """(year, tertial) of the latest tertial that has ended by the end of P: P's own when P is April,
    August or December, else the one before (tertial 3 of last year in January–March)."""
    t = tertial(period.month)
    if period.month == tertial_start_month(t) + 3:
        return period.year, t
    return (period.year, t - 1) if t > 1 else (period.year - 1, 3)


def _span(counts: dict, year: int, t: int, fran_manad: int, till_manad: int) -> Jamforelse:
    def total(y: int) -> tuple[int, int]:
        months = [counts.get((y, m), (0, 0)) for m in range(fran_manad, till_manad + 1)]
        return sum(n for n, _ in months), sum(h for _, h in months)

    antal, hot = total(year)
    antal_fg, hot_fg = total(year - 1)
    return Jamforelse(year, t, fran_manad, till_manad, antal, hot, antal_fg, hot_fg)


def tertialer(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> Tertialer | None:
    """Like-with-like incident comparisons at P; None when the extracts have no incident table."""
    from kfp_metrics.extracts import has_table

    if not has_table(con, "incidenter"):
        return None
    year, t = latest_complete_tertial(period)
    # Every span is whole months of one year and the same months a year earlier: one query of the
    # counts per month from the earliest of them to P, summed per span.
    frame = run(con, "incidenter_per_manad", scope, fran=dt.date(year - 1, 1, 1), slut=month_end(period))
    counts = {
        (int(ar), int(m)): (int(n), int(h))
        for ar, m, n, h in zip(
            frame["ar"].tolist(),
            frame["manad"].tolist(),
            frame["antal"].tolist(),
            frame["hot_och_vald"].tolist(),
            strict=True,
        )
    }
    start = tertial_start_month(t)
    senaste = _span(counts, year, t, start, start + 3)
    pagaende = None
    if (year, t) != (period.year, tertial(period.month)):
        running = tertial(period.month)
        pagaende = _span(counts, period.year, running, tertial_start_month(running), period.month)
    i_ar = _span(counts, period.year, tertial(period.month), 1, period.month)
    return Tertialer(senaste, pagaende, i_ar)
