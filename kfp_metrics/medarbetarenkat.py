"""The Medarbetarenkät page's figures: index over the years, strongest and weakest questions, changes,
questions per avdelning (or enhet) and svarsfrekvens.

Frames come from (con, period, scope) with code column names and suppression applied (a withheld
index is NaN, `undertryckt` is True and `skal` holds the reason); `figure_*` builds the Plotly
chart and `tabell_*` the table shown under it ('..' in withheld cells). No Streamlit here: the
printed nämnd report reuses the same builders.

Disclosure: a scope with fewer than 5 respondents shows no index values (contract); a question
answered by fewer than 5 in the scope is withheld likewise. In the question × avdelning grid a cell
is withheld when the avdelning has fewer than 5 respondents or the question fewer than 5 answers
there; because each question's index for the whole scope is shown and the number of answers per
cell is known, one withheld cell in a row withholds the smallest other cell as well
(suppression.secondary). Respondent counts and svarsfrekvens are shown: the contract keeps
antal_svar visible.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap

import duckdb
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import get_colorscale

from kfp_metrics import charts, suppression
from kfp_metrics.analys import (
    Column,
    level,
    organisation_avdelningar,
    per_forvaltning_instead,
    shown_level,
    table,
    unit_names,
)
from kfp_metrics.format import SUPPRESSED, forandring, is_missing, procent, tal
from kfp_metrics.nyckeltal import DELINDEX, ratio
from kfp_metrics.queries import Scope, run

# The heatmap's colours, spelled out: charts are built unchecked (charts.checked_figure), and
# plotly.js has a "Blues" of its own that is not this one.
BLUES = get_colorscale("Blues")

TOPP = 5
PRIMAR = "primar"
SEKUNDAR = "sekundar"


def reasons(min_svar: int = suppression.ENKAT_MIN_SVAR) -> dict[str, str]:
    """The hover texts of withheld values by rule."""
    return {
        PRIMAR: f"Visas inte: färre än {min_svar} svarande",
        SEKUNDAR: "Visas inte: döljs så att ett annat dolt värde inte kan räknas fram ur totalen",
    }


SERIES = {
    "medarbetarindex": "Medarbetarindex",
    "motivation": "Motivation",
    "ledarskap": "Ledarskap",
    "styrning": "Styrning",
}
SERIES_COLORS = {
    "medarbetarindex": "#0072B2",
    "motivation": "#E69F00",
    "ledarskap": "#009E73",
    "styrning": "#CC79A7",
}
# The contract's ids of the kpis() figures, in order (the last, Svarande, is antal_svar).
KPI_METRICS = (
    "medarbetarindex",
    "medarbetarindex_motivation",
    "medarbetarindex_ledarskap",
    "medarbetarindex_styrning",
    "antal_svar",
)
DELINDEX_LABELS = {"motivation": "Motivation", "ledarskap": "Ledarskap", "styrning": "Styrning"}
STRONG_COLOR = "#009E73"
WEAK_COLOR = "#D55E00"
LABEL_LENGTH = 48


def _title(what: str, scope_text: str, year: int | None) -> str:
    return f"{what} – {scope_text}, {'enkäten ' + str(year) if year else 'ingen enkät'}"


def _nan(value) -> float:
    return math.nan if value is None or pd.isna(value) else float(value)


def _wrapped(text: str, width: int = 34, lines: int = 2) -> str:
    """A question as at most `lines` lines of about `width` characters for an axis label."""
    parts = textwrap.wrap(text, width)
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "<br>".join(parts)


def _short(text: str, length: int = LABEL_LENGTH) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _blank(values) -> list:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in values]


def latest_year(frame: pd.DataFrame) -> int | None:
    """The survey year of a frame from this module (None when empty)."""
    return None if frame.empty else int(frame["ar"].max())


# --- Index and delindex over the years --------------------------------------------------------


def per_ar(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, min_svar: int = suppression.ENKAT_MIN_SVAR
) -> pd.DataFrame:
    """Medarbetarindex and delindex per survey year ≤ year(P) (contract definitions), with respondents
    and svarsfrekvens; a year with fewer than min_svar respondents is withheld."""
    return _per_ar(*_per_ar_frames(con, period, scope), min_svar)


def _per_ar_frames(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The questions' index and the respondents per survey year ≤ year(P): what per_ar and fragor read."""
    questions = run(con, "medarbetarenkat_per_ar", scope, ar=period.year)
    svar = run(con, "medarbetarenkat_svarande_per_ar", scope, ar=period.year)
    return questions, svar


def _per_ar(questions: pd.DataFrame, svar: pd.DataFrame, min_svar: int) -> pd.DataFrame:
    columns = [
        "ar",
        "serie",
        "namn",
        "index",
        "antal_svar",
        "antal_inbjudna",
        "svarsfrekvens_pct",
        "undertryckt",
        "skal",
    ]
    if questions.empty:
        return pd.DataFrame(columns=columns)
    by_year = {int(r.ar): r for r in svar.itertuples(index=False)}
    # Each year's delindex values in one pass over the rows (a pandas filter per year and delindex
    # cost more than the query), in the rows' order, averaged as pandas' mean does (numpy's sum).
    found: dict[int, dict[str, list[float]]] = {}
    for ar, name, value in zip(
        questions["ar"].tolist(), questions["delindex"].tolist(), questions["index"].tolist(), strict=True
    ):
        per_name = found.setdefault(int(ar), {})
        if name in DELINDEX and not is_missing(value):
            per_name.setdefault(name, []).append(value)
    rows = []
    for year in sorted(found):
        delindex = {
            name: float(np.asarray(found[year][name], dtype=np.float64).sum() / len(found[year][name]))
            if name in found[year]
            else None
            for name in DELINDEX
        }
        present = [v for v in delindex.values() if v is not None]
        values = {"medarbetarindex": sum(present) / len(present) if present else None, **delindex}
        respondents = by_year.get(int(year))
        antal_svar = int(respondents.antal_svar) if respondents is not None else 0
        inbjudna = _nan(respondents.antal_inbjudna) if respondents is not None else math.nan
        hide = suppression.enkat_suppressed(antal_svar, min_svar)
        for serie, label in SERIES.items():
            value = values[serie]
            withheld = hide and value is not None
            rows.append(
                {
                    "ar": int(year),
                    "serie": serie,
                    "namn": label,
                    "index": math.nan if withheld else _nan(value),
                    "antal_svar": antal_svar,
                    "antal_inbjudna": inbjudna,
                    "svarsfrekvens_pct": _nan(ratio(antal_svar, None if math.isnan(inbjudna) else inbjudna)),
                    "undertryckt": withheld,
                    "skal": reasons(min_svar)[PRIMAR] if withheld else "",
                }
            )
    return pd.DataFrame(rows, columns=columns)


def figure_per_ar(frame: pd.DataFrame, scope_text: str, period: dt.date) -> go.Figure:
    """Lines of medarbetarindex and the three delindex per survey year."""
    heading = f"Medarbetarindex och delindex per år – {scope_text}, t.o.m. {period.year}"
    if frame.empty:
        return charts.empty_figure(f"Urvalet har ingen medarbetarenkät t.o.m. {period.year}.", heading)
    if frame["index"].isna().all():
        message = reasons()[PRIMAR] if frame["undertryckt"].any() else "Enkäten saknar indexfrågor."
        return charts.empty_figure(f"{message} i något år.", heading)
    years = sorted(frame["ar"].unique())
    # One split of the frame and one pass over its withheld rows instead of a filter per series and year.
    parts = dict(list(frame.groupby("serie", sort=False)))
    traces, notes = [], []
    for serie, label in SERIES.items():
        part = parts.get(serie, frame.iloc[:0]).set_index("ar").reindex(years)
        traces.append(
            dict(
                type="scatter",
                x=[str(y) for y in years],
                y=_blank(part["index"]),
                name=label,
                mode="lines+markers",
                line={"color": SERIES_COLORS[serie], "width": 3.5 if serie == "medarbetarindex" else 2},
                marker={"size": 8},
                customdata=list(part["antal_svar"]),
                hovertemplate=f"<b>{label}</b> %{{x}}: %{{y:.1f}}<br>%{{customdata}} svarande<extra></extra>",
            )
        )
    reason: dict = {}
    for ar, hidden, skal in zip(frame["ar"], frame["undertryckt"], frame["skal"], strict=True):
        if hidden:
            reason.setdefault(ar, skal)
    for year in years:
        if year in reason:
            notes.append(
                {
                    "x": str(year),
                    "y": 0,
                    "text": SUPPRESSED,
                    "hovertext": reason[year],
                    "showarrow": False,
                    "yanchor": "bottom",
                    "font": {"size": 16, "color": "#555"},
                }
            )
    # Index values move by a few units: show the upper part of the scale, from a round ten below.
    lowest = float(frame["index"].min())
    layout = {
        "xaxis": {"type": "category"},
        "yaxis": {"range": [max(0.0, math.floor((lowest - 5) / 10) * 10), 100]},
    }
    if notes:
        layout["annotations"] = notes
    return charts.figure(traces, heading, y_title="Index (0–100)", layout=layout)


def tabell_per_ar(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_per_ar: one row per year, withheld indices '..'."""
    if frame.empty:
        return pd.DataFrame(columns=["År", *SERIES.values(), "Antal svarande", "Svarsfrekvens (%)"])
    # One pass over the rows (a few per year): each year's series, and its first row's respondents.
    series: dict[int, dict[str, tuple]] = {}
    first: dict[int, tuple] = {}
    for ar, serie, value, hidden, antal, frekvens in zip(
        frame["ar"].tolist(),
        frame["serie"].tolist(),
        frame["index"].tolist(),
        frame["undertryckt"].tolist(),
        frame["antal_svar"].tolist(),
        frame["svarsfrekvens_pct"].tolist(),
        strict=True,
    ):
        series.setdefault(int(ar), {})[serie] = (value, bool(hidden))
        first.setdefault(int(ar), (antal, frekvens))
    rows = []
    for year in sorted(series):
        row = {"År": year}
        for serie, label in SERIES.items():
            value, hidden = series[year][serie]
            row[label] = SUPPRESSED if hidden else _number(value, formatted)
        antal, frekvens = first[year]
        row["Antal svarande"] = tal(antal) if formatted else int(antal)
        row["Svarsfrekvens (%)"] = _number(frekvens, formatted, percent=True)
        rows.append(row)
    return _withheld_as_text(pd.DataFrame(rows))


def _withheld_as_text(table: pd.DataFrame) -> pd.DataFrame:
    """Columns holding '..' as text throughout, numbers with a decimal comma (as analys.table does)."""
    for column in table.columns:
        if (table[column] == SUPPRESSED).any():
            table[column] = [str(v).replace(".", ",") if isinstance(v, float) else v for v in table[column]]
    return table


def _number(value, formatted: bool, percent: bool = False):
    if is_missing(value):
        return "–" if formatted else None
    if formatted:
        return tal(value, 1) + ("\u00a0%" if percent else "")
    return round(float(value), 1)


def kpis(frame: pd.DataFrame) -> list[tuple[str, str, str | None]]:
    """(label, value, help) for the headline figures of the latest year in a per_ar frame."""
    year = latest_year(frame)
    if year is None:
        return []
    latest = frame[frame["ar"] == year].set_index("serie")
    out = []
    for serie, label in SERIES.items():
        row = latest.loc[serie]
        value = SUPPRESSED if row["undertryckt"] else _number(row["index"], formatted=True)
        out.append((label, value, f"Enkäten {year}, index 0–100."))
    first = latest.iloc[0]
    rate = first["svarsfrekvens_pct"]
    help_text = (
        "Antal inbjudna saknas i extraktet." if math.isnan(rate) else f"Svarsfrekvens {procent(rate)}."
    )
    out.append(("Svarande", tal(first["antal_svar"]), help_text))
    return out


# --- Questions of the latest year --------------------------------------------------------------


def fragor(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, min_svar: int = suppression.ENKAT_MIN_SVAR
) -> pd.DataFrame:
    """Every question of the latest survey year ≤ year(P) with its index, answers and the change since
    the survey year before; withheld under min_svar respondents (scope) or answers (question)."""
    return _fragor(*_per_ar_frames(con, period, scope), min_svar)


def per_ar_och_fragor(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, min_svar: int = suppression.ENKAT_MIN_SVAR
) -> dict[str, pd.DataFrame]:
    """per_ar and fragor (keys per_ar, fragor) from one reading of the survey: the page shows both."""
    questions, svar = _per_ar_frames(con, period, scope)
    return {"per_ar": _per_ar(questions, svar, min_svar), "fragor": _fragor(questions, svar, min_svar)}


def _fragor(questions: pd.DataFrame, svar: pd.DataFrame, min_svar: int) -> pd.DataFrame:
    columns = [
        "ar",
        "fraga_id",
        "fraga",
        "delindex",
        "index",
        "antal_svar",
        "forra_ar",
        "forra_index",
        "forandring",
        "undertryckt",
        "skal",
    ]
    if questions.empty:
        return pd.DataFrame(columns=columns)
    respondents = {int(r.ar): int(r.antal_svar) for r in svar.itertuples(index=False)}
    names = ("ar", "fraga_id", "fraga", "delindex", "index", "antal_svar")
    records = list(zip(*(questions[c].tolist() for c in names), strict=True))
    years = sorted({int(r[0]) for r in records})
    year = years[-1]
    before = years[-2] if len(years) > 1 else None

    def shown(ar: int) -> dict[str, tuple]:
        # fraga_id → (fraga, delindex, index or NaN where withheld, antal_svar, withheld), in row order.
        scope_hidden = suppression.enkat_suppressed(respondents.get(ar, 0), min_svar)
        out = {}
        for r_ar, fraga_id, fraga, delindex, value, antal in records:
            if r_ar != ar:
                continue
            hidden = scope_hidden or suppression.enkat_suppressed(int(antal), min_svar)
            out[fraga_id] = (fraga, delindex, math.nan if hidden else value, antal, hidden)
        return out

    now = shown(year)
    prior = shown(before) if before is not None else None
    rows = []
    for fraga_id, (fraga, delindex, index, antal, hidden) in now.items():
        previous = math.nan
        if prior is not None and fraga_id in prior:
            previous = _nan(prior[fraga_id][2])
        value = _nan(index)
        rows.append(
            {
                "ar": year,
                "fraga_id": fraga_id,
                "fraga": fraga,
                "delindex": delindex,
                "index": value,
                "antal_svar": int(antal),
                "forra_ar": before if before is not None else math.nan,
                "forra_index": previous,
                "forandring": value - previous,
                "undertryckt": bool(hidden),
                "skal": reasons(min_svar)[PRIMAR] if hidden else "",
            }
        )
    return pd.DataFrame(rows, columns=columns)


def starkaste(frame: pd.DataFrame, n: int = TOPP) -> pd.DataFrame:
    """The n questions with the highest index (withheld ones left out), highest first."""
    return frame.dropna(subset=["index"]).sort_values(["index", "fraga_id"], ascending=[False, True]).head(n)


def svagaste(frame: pd.DataFrame, n: int = TOPP) -> pd.DataFrame:
    """The n questions with the lowest index (withheld ones left out), lowest first."""
    return frame.dropna(subset=["index"]).sort_values(["index", "fraga_id"]).head(n)


def storsta_forandringar(frame: pd.DataFrame, n: int = TOPP) -> pd.DataFrame:
    """The n questions whose index changed most since the survey year before, largest change first."""
    changed = frame.dropna(subset=["forandring"]).copy()
    changed["_abs"] = changed["forandring"].abs()
    return changed.sort_values(["_abs", "fraga_id"], ascending=[False, True]).head(n).drop(columns="_abs")


def figure_fragor(frame: pd.DataFrame, scope_text: str, what: str, strong: bool = True) -> go.Figure:
    """Horizontal bars of the questions' index (for starkaste or svagaste), first at the top."""
    year = latest_year(frame)
    heading = f"{what} –<br>{scope_text}, {'enkäten ' + str(year) if year else 'ingen enkät'}"
    if frame.empty:
        return charts.empty_figure("Inga frågor att visa för urvalet.", heading, height=320)
    labels = [_wrapped(f) for f in frame["fraga"]]
    bar = dict(
        type="bar",
        x=list(frame["index"]),
        y=labels,
        orientation="h",
        marker={"color": STRONG_COLOR if strong else WEAK_COLOR},
        customdata=list(zip(frame["fraga"], frame["antal_svar"], strict=True)),
        text=[tal(v, 1) for v in frame["index"]],
        textposition="outside",
        cliponaxis=False,
        hovertemplate="<b>%{customdata[0]}</b><br>Index: %{x:.1f}<br>%{customdata[1]} svar<extra></extra>",
        showlegend=False,
    )
    layout = {
        "yaxis": {"autorange": "reversed", "automargin": True, "rangemode": None},
        "xaxis": {"range": [0, 109]},
        "margin": {"l": 10, "t": 90, "r": 30},
    }
    return charts.figure([bar], heading, x_title="Index (0–100)", height=400, legend=False, layout=layout)


def figure_forandringar(frame: pd.DataFrame, scope_text: str) -> go.Figure:
    """Diverging bars of the largest changes in question index since the survey year before."""
    year = latest_year(frame)
    before = None if frame.empty else int(frame["forra_ar"].iloc[0])
    heading = _title(
        f"Största förändringarna sedan {before}" if before else "Största förändringarna", scope_text, year
    )
    if frame.empty:
        return charts.empty_figure("Ingen jämförbar enkät året innan för urvalet.", heading, height=320)
    labels = [_wrapped(f, 60) for f in frame["fraga"]]
    bar = dict(
        type="bar",
        x=list(frame["forandring"]),
        y=labels,
        orientation="h",
        marker={"color": [STRONG_COLOR if v >= 0 else WEAK_COLOR for v in frame["forandring"]]},
        customdata=list(zip(frame["fraga"], frame["forra_index"], frame["index"], strict=True)),
        text=[forandring(v, 1) for v in frame["forandring"]],
        textposition="outside",
        cliponaxis=False,
        hovertemplate=(
            f"<b>%{{customdata[0]}}</b><br>{before}: %{{customdata[1]:.1f}}<br>{year}: %{{customdata[2]:.1f}}"
            "<br>Förändring: %{x:+.1f}<extra></extra>"
        ),
        showlegend=False,
    )
    span = max(5.0, float(frame["forandring"].abs().max()) * 1.3)
    layout = {
        "xaxis": {"range": [-span, span], "zeroline": True, "zerolinecolor": "#888"},
        "yaxis": {"autorange": "reversed", "automargin": True, "rangemode": None},
        "margin": {"l": 10},
    }
    return charts.figure(
        [bar], heading, x_title="Förändring i indexenheter", height=360, legend=False, layout=layout
    )


TABELL_FRAGOR = (
    Column("fraga", "Fråga"),
    Column("delindex_namn", "Delindex"),
    Column("index", "Index", "decimal", sensitive=True),
    Column("forra_index", "Index året innan", "decimal", sensitive=True),
    Column("forandring", "Förändring", "decimal", sensitive=True),
    Column("antal_svar", "Antal svar", "antal"),
)


def tabell_fragor(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_fragor and figure_forandringar."""
    shown = frame.assign(
        delindex_namn=[
            DELINDEX_LABELS.get(d, "Ingår inte i index") if isinstance(d, str) else "Ingår inte i index"
            for d in frame["delindex"]
        ]
    )
    return table(shown, TABELL_FRAGOR, formatted)


# --- Questions per avdelning (or enhet) --------------------------------------------------------------


def fraga_per_avdelning(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, min_svar: int = suppression.ENKAT_MIN_SVAR
) -> pd.DataFrame:
    """Each question's index per avdelning (per enhet when the scope is one avdelning) in the latest
    survey year ≤ year(P), with primary and secondary suppression per question."""
    niva = level(scope)
    raw = run(con, f"medarbetarenkat_fraga_per_{niva}", scope, ar=period.year)
    if niva == "avdelning" and per_forvaltning_instead(raw):
        niva = "forvaltning"
        raw = run(con, "medarbetarenkat_fraga_per_forvaltning", scope, ar=period.year)
    columns = [
        "ar",
        "fraga_id",
        "fraga",
        "delindex",
        "forvaltning",
        "avdelning",
        "kolumn",
        "index",
        "antal_svar",
        "svarande",
        "inbjudna",
        "niva",
        "undertryckt",
        "skal",
    ]
    if raw.empty:
        return pd.DataFrame(columns=columns)
    frame = raw.copy()
    frame["kolumn"] = unit_names(frame, niva)
    frame["niva"] = niva
    frame["index"] = frame["index"].astype(float)
    texts = reasons(min_svar)
    hidden: dict[tuple[str, str], str] = {}
    # The rows per question in one pass (a pandas group per question cost more than the query),
    # each question's rows in their order.
    per_fraga: dict[str, list[tuple]] = {}
    for row in zip(
        frame["fraga_id"].tolist(),
        frame["kolumn"].tolist(),
        frame["antal_svar"].tolist(),
        frame["svarande"].tolist(),
        frame["forvaltning"].tolist(),
        strict=True,
    ):
        per_fraga.setdefault(row[0], []).append(row[1:])
    for fraga_id, group in per_fraga.items():
        small = {
            k
            for k, n, s, _ in group
            if suppression.enkat_suppressed(int(s), min_svar)
            or suppression.enkat_suppressed(int(n), min_svar)
        }
        total = sum(int(n) for _, n, _, _ in group)
        total_shown = not suppression.enkat_suppressed(total, min_svar)
        sizes = {k: int(n) for k, n, _, _ in group}
        extra = suppression.secondary(sizes, small) - small if total_shown else set()
        if niva == "avdelning" and len({f for _, _, _, f in group}) > 1:
            # Each förvaltning's own result is published too: no lone hidden avdelning within one.
            groups = {k: f for k, _, _, f in group}
            extra |= suppression.secondary_within(sizes, groups, small | extra) - small
        hidden.update({(fraga_id, k): PRIMAR for k in small})
        hidden.update({(fraga_id, k): SEKUNDAR for k in extra if k != suppression.TOTAL})
    rule = [hidden.get((q, k), "") for q, k in zip(frame["fraga_id"], frame["kolumn"], strict=True)]
    frame["undertryckt"] = [bool(r) for r in rule]
    frame["skal"] = [texts[r] if r else "" for r in rule]
    frame.loc[frame["undertryckt"], "index"] = math.nan
    return frame[columns]


def figure_heatmap(frame: pd.DataFrame, scope_text: str) -> go.Figure:
    """A question × avdelning (or enhet) grid of index values; withheld cells blank with '..'."""
    niva = shown_level(frame, Scope())
    heading = _title(f"Frågor per {niva}", scope_text, latest_year(frame))
    if frame.empty:
        return charts.empty_figure("Urvalet har ingen medarbetarenkät.", heading)
    questions = frame.drop_duplicates("fraga_id").sort_values("fraga_id")
    kolumner = sorted(frame["kolumn"].unique())
    labels = _unique_labels(questions)
    # Plain dicts of the cells: a grid of a few thousand cells is built on every run of the page.
    cells = {
        (fraga_id, kolumn): (undertryckt, skal, value, svar)
        for fraga_id, kolumn, undertryckt, skal, value, svar in frame[
            ["fraga_id", "kolumn", "undertryckt", "skal", "index", "antal_svar"]
        ].itertuples(index=False, name=None)
    }
    z, text, hover = [], [], []
    for fraga_id, fraga in zip(questions["fraga_id"], questions["fraga"], strict=True):
        z_row, text_row, hover_row = [], [], []
        for kolumn in kolumner:
            cell = cells.get((fraga_id, kolumn))
            if cell is None:
                z_row.append(None)
                text_row.append("")
                hover_row.append(f"<b>{fraga}</b><br>{kolumn}: frågan ingick inte")
                continue
            undertryckt, skal, value, svar = cell
            if bool(undertryckt):
                z_row.append(None)
                text_row.append(SUPPRESSED)
                hover_row.append(f"<b>{fraga}</b><br>{kolumn}: {skal}")
            else:
                z_row.append(None if pd.isna(value) else float(value))
                text_row.append(tal(value, 0) if not pd.isna(value) else "")
                hover_row.append(f"<b>{fraga}</b><br>{kolumn}: index {tal(value, 1)} ({tal(svar)} svar)")
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    if all(v is None for row in z for v in row):
        message = reasons()[PRIMAR] if frame["undertryckt"].any() else "Inga indexvärden att visa."
        return charts.empty_figure(f"{message} i någon {niva}.", heading)
    # Many columns (a city's förvaltningar): names on one slanted line, cells without figures.
    many = len(kolumner) > 12
    heatmap = dict(
        type="heatmap",
        z=z,
        x=kolumner if many else [charts.wrap_label(k) for k in kolumner],
        y=labels,
        customdata=hover,
        hovertemplate="%{customdata}<extra></extra>",
        colorscale=BLUES,
        zmin=40,
        zmax=100,
        xgap=2,
        ygap=2,
        colorbar={"title": {"text": "Index"}},
        hoverongaps=True,
    )
    if not many:
        heatmap["text"] = text
        heatmap["texttemplate"] = "%{text}"
    height = max(320, 90 + 34 * len(labels)) + (90 if many else 0)
    layout = {
        "yaxis": {"autorange": "reversed", "automargin": True, "gridcolor": None, "rangemode": None},
        "xaxis": {"side": "bottom", "type": "category", "tickangle": -45 if many else None},
        "margin": {"l": 10, "t": 60, **({"b": 130} if many else {})},
        "plot_bgcolor": "#F4F4F4",
    }
    return charts.figure([heatmap], heading, height=height, legend=False, layout=layout)


def _unique_labels(questions: pd.DataFrame) -> list[str]:
    labels = [_short(f) for f in questions["fraga"]]
    seen: dict[str, int] = {}
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
    return [
        f"{label} ({q})" if seen[label] > 1 else label
        for label, q in zip(labels, questions["fraga_id"], strict=True)
    ]


def tabell_heatmap(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_heatmap: one row per question, one column per avdelning (or enhet)."""
    if frame.empty:
        return pd.DataFrame(columns=["Fråga"])
    kolumner = sorted(frame["kolumn"].unique())
    questions: dict[str, dict] = {}
    for fraga_id, fraga, kolumn, undertryckt, value in sorted(
        frame[["fraga_id", "fraga", "kolumn", "undertryckt", "index"]].itertuples(index=False, name=None),
        key=lambda r: r[0],
    ):
        row = questions.setdefault(fraga_id, {"Fråga": fraga, **dict.fromkeys(kolumner)})
        row[kolumn] = SUPPRESSED if bool(undertryckt) else _number(value, formatted)
    rows = list(questions.values())
    return _withheld_as_text(pd.DataFrame(rows, columns=["Fråga", *kolumner]))


# --- Respondents and svarsfrekvens per avdelning (or enhet) --------------------------------------


def svar_per_avdelning(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, min_svar: int = suppression.ENKAT_MIN_SVAR
) -> pd.DataFrame:
    """Respondents, invited and svarsfrekvens per avdelning (or enhet) in the latest year ≤ year(P)."""
    return _svar(con, fraga_per_avdelning(con, period, scope, min_svar))


def celler_och_svar(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, min_svar: int = suppression.ENKAT_MIN_SVAR
) -> dict[str, pd.DataFrame]:
    """fraga_per_avdelning and svar_per_avdelning (keys celler, svar) from one reading of the cells."""
    cells = fraga_per_avdelning(con, period, scope, min_svar)
    return {"celler": cells, "svar": _svar(con, cells)}


def _svar(con: duckdb.DuckDBPyConnection, cells: pd.DataFrame) -> pd.DataFrame:
    columns = [
        "ar",
        "forvaltning",
        "avdelning",
        "kolumn",
        "svarande",
        "inbjudna",
        "svarsfrekvens_pct",
        "farg",
        "niva",
    ]
    if cells.empty:
        return pd.DataFrame(columns=columns)
    frame = cells.drop_duplicates("kolumn").sort_values("kolumn").copy()
    frame["inbjudna"] = [_nan(v) for v in frame["inbjudna"]]
    frame["svarsfrekvens_pct"] = [
        _nan(ratio(s, None if math.isnan(i) else i))
        for s, i in zip(frame["svarande"], frame["inbjudna"], strict=True)
    ]
    if frame["niva"].iloc[0] == "avdelning":
        colors = charts.color_map(organisation_avdelningar(con) + list(frame["avdelning"]))
        frame["farg"] = [colors[a] for a in frame["avdelning"]]
    elif frame["niva"].iloc[0] == "forvaltning":
        frame["farg"] = charts.NEUTRAL_COLOR
    else:
        colors = charts.color_map(frame["kolumn"])
        frame["farg"] = [colors[k] for k in frame["kolumn"]]
    return frame[columns].reset_index(drop=True)


def figure_svarsfrekvens(frame: pd.DataFrame, scope_text: str) -> go.Figure:
    """Bars of svarsfrekvens per avdelning (or enhet), respondents in the hover."""
    niva = shown_level(frame, Scope())
    heading = _title(f"Svarsfrekvens per {niva}", scope_text, latest_year(frame))
    if frame.empty:
        return charts.empty_figure("Urvalet har ingen medarbetarenkät.", heading)
    if frame["svarsfrekvens_pct"].isna().all():
        return charts.empty_figure(
            "Svarsfrekvensen kan inte beräknas: antal inbjudna saknas i extraktet.", heading
        )
    bar = dict(
        type="bar",
        x=[charts.wrap_label(k) for k in frame["kolumn"]],
        y=_blank(frame["svarsfrekvens_pct"]),
        marker={"color": list(frame["farg"])},
        customdata=[
            [int(s), "–" if math.isnan(i) else tal(i)]
            for s, i in zip(frame["svarande"], frame["inbjudna"], strict=True)
        ],
        hovertemplate=(
            "<b>%{x}</b><br>Svarsfrekvens: %{y:.0f} %<br>%{customdata[0]:,.0f} svarande av "
            "%{customdata[1]} inbjudna<extra></extra>"
        ),
        showlegend=False,
    )
    layout = {"yaxis": {"range": [0, 100]}, "xaxis": {"type": "category"}}
    return charts.figure([bar], heading, y_title="Svarsfrekvens", percent=True, legend=False, layout=layout)


TABELL_SVAR = (
    Column("kolumn", "Avdelning"),
    Column("svarande", "Antal svarande", "antal"),
    Column("inbjudna", "Antal inbjudna", "antal"),
    Column("svarsfrekvens_pct", "Svarsfrekvens (%)", "procent"),
)


def tabell_svarsfrekvens(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_svarsfrekvens (first column 'Enhet' at enhet level)."""
    out = table(frame, TABELL_SVAR, formatted)
    if len(frame) and frame["niva"].iloc[0] != "avdelning":
        out = out.rename(columns={"Avdelning": shown_level(frame, Scope()).capitalize()})
    return out


def small_scope_notice(frame: pd.DataFrame, min_svar: int = suppression.ENKAT_MIN_SVAR) -> str | None:
    """A Swedish notice when the latest year of a per_ar frame is withheld for too few respondents."""
    year = latest_year(frame)
    if year is None:
        return None
    latest = frame[frame["ar"] == year]
    if not latest["undertryckt"].any():
        return None
    return (
        f"Urvalet har {tal(latest['antal_svar'].iloc[0])} svarande i enkäten {year}. Resultat visas inte när "
        f"färre än {min_svar} personer har svarat; välj ett bredare urval."
    )


def suppression_note(*frames: pd.DataFrame, min_svar: int = suppression.ENKAT_MIN_SVAR) -> str | None:
    """The Swedish footnote explaining '..' when any of the frames withholds a value."""
    withheld = [f for f in frames if "undertryckt" in f and len(f) and f["undertryckt"].any()]
    if not withheld:
        return None
    text = (
        f"\\.\\. = resultatet visas inte eftersom färre än {min_svar} personer har svarat "
        "(i urvalet, avdelningen eller på frågan)."
    )
    if any((f["skal"] == reasons(min_svar)[SEKUNDAR]).any() for f in withheld):
        text += f" {suppression.RULE_TEXTS['sekundar']}"
    return text
