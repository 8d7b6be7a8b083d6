"""The Aktiviteter page's data: the UBARIA plan in a scope with current status, filters, summaries,
the timeline and the data an activity is linked to (its nyckeltal over time, its kompetensgap).

No Streamlit here. Frames come from a DuckDB connection of the extracts and the change log
(aktivitetslogg); figure builders return Plotly figures. User text (mål, aktivitet, kommentarer)
is passed through unchanged in frames; `md_escape` and `html_escape` make it safe where it is
rendered as Markdown or as Plotly's HTML-like labels.

Choices where the contract is silent:

* The plan's start ("when it was adopted") is not in the extract: it is taken as 1 January of the
  year of the förvaltning's earliest måldatum. A linked nyckeltal is shown from 12 months before
  that (the yearly survey from three years before) to the selected period, for the activity's
  förvaltning and avdelning; "värdet då" is the last value before the plan's start (else the
  first value shown), "värdet nu" the value at the period. Better or worse is judged on the
  values as shown (rounded), by the catalog's direction; the target is the one for year(P).
* Rolling 12-month figures (sjukfrånvaro, personalomsättning) are drawn only for months whose
  whole window lies within the extracts (the period itself always, as the key figures do).
* Andel klara = klara / alla aktiviteter i gruppen (inställda included in the denominator).
* A kompetensområde's gap is shown per avdelning and enhet in the latest assessment year ≤ year(P);
  the yearly mean uses the whole-avdelning rows (enhet empty) where a year has them.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import plotly.graph_objects as go

from kfp_metrics import aktivitetslogg, catalog, charts, diagramtext, nyckeltal, suppression
from kfp_metrics.aktivitetslogg import STATUS_LABELS, STATUSES
from kfp_metrics.extracts import has_column, has_table
from kfp_metrics.format import MISSING, SUPPRESSED, datum, forandring, manad, procent, procentenheter, tal
from kfp_metrics.periods import add_months, format_period
from kfp_metrics.plan_io import FORVALTNINGSOVERGRIPANDE, UBARIA, UBARIA_LABELS
from kfp_metrics.queries import Scope, run, side_by_side
from kfp_metrics.tillstand import svensk_tid

UTAN_UBARIA = "Utan UBARIA-område"
FORSENAD = "Försenad"
STATUS_COLORS = {"ej_paborjad": "#8C8C8C", "pagar": "#0072B2", "klar": "#009E73", "installd": "#CC79A7"}
# In the timeline a status has its own marker shape as well as its colour (not colour alone).
STATUS_SYMBOLS = {"ej_paborjad": "circle", "pagar": "diamond", "klar": "square", "installd": "x"}
FORSENAD_COLOR = "#D55E00"
REFERENCE_COLOR = "#333333"

# --- text safety ---------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character


def md_escape(text) -> str:
    """Text shown literally in Streamlit Markdown: ASCII punctuation backslash-escaped, lines joined."""
    if text is None:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def html_escape(text) -> str:
    """Text shown literally in Plotly labels and hover texts (which read a subset of HTML)."""
    return html.escape("" if text is None else str(text), quote=False).replace("\n", " ")


def short(text, limit: int = 60) -> str:
    """Text on one line, cut at limit characters with an ellipsis."""
    one = " ".join(str(text or "").split())
    return one if len(one) <= limit else one[: limit - 1].rstrip() + "…"


def is_blank(value) -> bool:
    """Whether a cell is empty: None, NaN or only whitespace."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _as_date(value) -> dt.date | None:
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


# --- the plan in a scope ---------------------------------------------------------------------------


def ubaria_label(code) -> str:
    """The Swedish heading of a UBARIA code."""
    return UBARIA_LABELS.get(code, UTAN_UBARIA) if isinstance(code, str) else UTAN_UBARIA


def decorate(plan: pd.DataFrame, referensdatum: dt.date) -> pd.DataFrame:
    """The plan with display labels and the försenad flag, ordered by UBARIA, måldatum and id."""
    frame = plan.copy()
    order = {code: i for i, code in enumerate(UBARIA)}
    frame["ubaria_ordning"] = [order.get(code, len(UBARIA)) for code in frame["ubaria"]]
    frame["ubaria_label"] = [ubaria_label(code) for code in frame["ubaria"]]
    frame["status_label"] = [STATUS_LABELS.get(s, str(s)) for s in frame["status"]]
    frame["avdelning_label"] = [
        FORVALTNINGSOVERGRIPANDE if is_blank(a) else str(a) for a in frame["avdelning"]
    ]
    frame["maldatum"] = pd.Series([_as_date(v) for v in frame["maldatum"]], index=frame.index, dtype=object)
    frame["forsenad"] = aktivitetslogg.forsenade(frame, referensdatum)
    frame["_sort_datum"] = [d or dt.date.max for d in frame["maldatum"]]
    frame = frame.sort_values(["ubaria_ordning", "_sort_datum", "aktivitet_id"], kind="stable")
    return frame.drop(columns="_sort_datum").reset_index(drop=True)


def plan_for_scope(
    con: duckdb.DuckDBPyConnection, scope: Scope, referensdatum: dt.date, state_dir=None
) -> pd.DataFrame:
    """The activities of the scope with current status from the change log, labelled and ordered.

    The log's warnings (damaged files, changes for unknown ids) are in attrs["varningar"].
    """
    ids = set(run(con, "aktiviteter_i_scope", scope)["aktivitet_id"].astype(str))
    plan = aktivitetslogg.current_plan(con, state_dir, only=ids)
    warnings = list(plan.attrs.get("varningar", []))
    frame = decorate(plan, referensdatum)
    frame.attrs["varningar"] = warnings
    return frame


def filter_options(plan: pd.DataFrame) -> dict[str, list[str]]:
    """The choices of the page's filters: status codes, ansvariga and avdelningar of the plan."""
    avdelningar = sorted({a for a in plan["avdelning_label"] if a != FORVALTNINGSOVERGRIPANDE})
    if (plan["avdelning_label"] == FORVALTNINGSOVERGRIPANDE).any():
        avdelningar.insert(0, FORVALTNINGSOVERGRIPANDE)
    return {
        "status": list(STATUSES),
        "ansvarig": sorted({str(a) for a in plan["ansvarig"] if not is_blank(a)}),
        "avdelning": avdelningar,
    }


def filter_plan(
    plan: pd.DataFrame,
    statuses: Iterable[str] = (),
    ansvariga: Iterable[str] = (),
    avdelningar: Iterable[str] = (),
    endast_forsenade: bool = False,
) -> pd.DataFrame:
    """The activities matching every given filter; an empty list means all (avdelning by label)."""
    statuses, ansvariga, avdelningar = set(statuses), set(ansvariga), set(avdelningar)
    keep = pd.Series(True, index=plan.index)
    if statuses:
        keep &= plan["status"].isin(statuses)
    if ansvariga:
        keep &= plan["ansvarig"].isin(ansvariga)
    if avdelningar:
        keep &= plan["avdelning_label"].isin(avdelningar)
    if endast_forsenade:
        keep &= plan["forsenad"].astype(bool)
    return plan[keep].reset_index(drop=True)


def by_ubaria(plan: pd.DataFrame) -> list[tuple[str | None, str, pd.DataFrame]]:
    """The plan split by UBARIA area: all six in order (possibly empty), then any without an area."""
    groups = [(code, UBARIA_LABELS[code], plan[plan["ubaria"] == code]) for code in UBARIA]
    other = plan[~plan["ubaria"].isin(UBARIA)]
    if len(other):
        groups.append((None, UTAN_UBARIA, other))
    return groups


def summary_per_ubaria(plan: pd.DataFrame) -> pd.DataFrame:
    """Per UBARIA area (all six, in order) and in total: activities per status, försenade, andel klara."""
    groups = [*by_ubaria(plan), ("totalt", "Totalt", plan)]
    rows = []
    for code, label, part in groups:
        counts = {s: int((part["status"] == s).sum()) for s in STATUSES}
        antal = len(part)
        rows.append(
            {
                "ubaria": code,
                "omrade": label,
                **counts,
                "antal": antal,
                "forsenade": int(part["forsenad"].astype(bool).sum()),
                "andel_klar_pct": 100.0 * counts["klar"] / antal if antal else None,
            }
        )
    return pd.DataFrame(rows)


def summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The per-UBARIA summary with Swedish headings and formatted shares."""
    table = pd.DataFrame({"UBARIA-område": summary["omrade"]})
    for code in STATUSES:
        table[STATUS_LABELS[code]] = summary[code].astype(int)
    table["Totalt"] = summary["antal"].astype(int)
    table["Försenade"] = summary["forsenade"].astype(int)
    table["Andel klara"] = [procent(v, 0) for v in summary["andel_klar_pct"]]
    return table


def summary_figure(summary: pd.DataFrame, title: str) -> go.Figure:
    """Horizontal stacked bars: activities per status in each UBARIA area."""
    rows = summary[summary["ubaria"] != "totalt"].iloc[::-1]
    if rows["antal"].sum() == 0:
        return charts.empty_figure("Inga aktiviteter i urvalet.", title)
    areas = list(rows["omrade"])
    traces = [
        dict(
            type="bar",
            y=areas,
            x=list(rows[code]),
            name=STATUS_LABELS[code],
            orientation="h",
            marker={"color": STATUS_COLORS[code]},
            hovertemplate=f"%{{y}}: %{{x}} {STATUS_LABELS[code].lower()}<extra></extra>",
        )
        for code in STATUSES
    ]
    layout = {
        "barmode": "stack",
        "legend": {"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0, "traceorder": "normal"},
        "margin": {"t": 50, "l": 10, "r": 10, "b": 60},
        "xaxis": {
            "rangemode": "tozero",
            "tickformat": "d",
            "dtick": 1 if rows["antal"].max() <= 8 else None,
            "gridcolor": "#E5E5E5",
            "showgrid": True,
        },
        "yaxis": {"rangemode": "normal", "showgrid": False, "automargin": True},
    }
    return charts.figure(traces, title, height=340, layout=layout)


def plan_table(plan: pd.DataFrame, metric_texts: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The activities as the page lists them: Swedish headings, Swedish dates, 'Försenad' marked."""
    metric_texts = metric_texts or {}
    return pd.DataFrame(
        {
            "Aktivitet": [_text(v) for v in plan["aktivitet"]],
            "Mål": [_text(v) for v in plan["mal"]],
            "Måldatum": [datum(d) if d else MISSING for d in plan["maldatum"]],
            "Status": list(plan["status_label"]),
            "Försenad": [FORSENAD if late else "" for late in plan["forsenad"]],
            "Ansvarig": [_text(v) for v in plan["ansvarig"]],
            "Avdelning": list(plan["avdelning_label"]),
            "Nyckeltal": [metric_texts.get(str(i), "") for i in plan["aktivitet_id"]],
            "Senaste uppföljning": [_text(v) for v in plan["senaste_uppfoljning"]],
            "Id": [str(i) for i in plan["aktivitet_id"]],
        }
    )


def _text(value) -> str:
    return "" if is_blank(value) else str(value)


def counts(plan: pd.DataFrame) -> dict[str, int]:
    """Activities in total, per status and försenade: the page's headline numbers."""
    result = {"antal": len(plan), **{s: int((plan["status"] == s).sum()) for s in STATUSES}}
    result["forsenade"] = int(plan["forsenad"].astype(bool).sum()) if len(plan) else 0
    return result


# --- timeline --------------------------------------------------------------------------------------


# Status words after a number, singular and plural: '1 klar', '3 klara'.
_STATUS_WORDS = {
    "ej_paborjad": ("ej påbörjad", "ej påbörjade"),
    "pagar": ("pågår", "pågår"),
    "klar": ("klar", "klara"),
    "installd": ("inställd", "inställda"),
}


def timeline_summary(dated: pd.DataFrame, referensdatum: dt.date) -> str:
    """The timeline in one sentence: how many activities, their måldatum span, status and delays."""
    first, last = min(dated["maldatum"]), max(dated["maldatum"])
    per_status = [
        f"{n} {_STATUS_WORDS[code][n != 1]}"
        for code in STATUSES
        if (n := int((dated["status"] == code).sum()))
    ]
    late = int(dated["forsenad"].astype(bool).sum())
    count = f"{len(dated)} aktivitet" + ("er" if len(dated) != 1 else "")
    span = f"måldatum {datum(first)}" if first == last else f"måldatum från {datum(first)} till {datum(last)}"
    return (
        f"Tidslinjen visar {count} med {span}: {', '.join(per_status)}; "
        f"{late} {'är försenad' if late == 1 else 'är försenade'} per {datum(referensdatum)}."
    )


def timeline_figure(plan: pd.DataFrame, referensdatum: dt.date, today: dt.date, title: str) -> go.Figure:
    """Each activity at its måldatum, grouped by UBARIA and coloured by status; the reference date
    (and today, when it differs) drawn as vertical lines and försenade ringed."""
    dated = plan[[d is not None for d in plan["maldatum"]]]
    if dated.empty:
        return charts.empty_figure("Inga aktiviteter med måldatum i urvalet.", title)
    # Top to bottom: Utveckla first, each area's activities by måldatum.
    dated = dated.iloc[::-1]
    y = [
        list(dated["ubaria_label"]),
        [
            f"{i} · {html_escape(short(a, 38))}"
            for i, a in zip(dated["aktivitet_id"], dated["aktivitet"], strict=True)
        ],
    ]
    hover = [
        f"<b>{html_escape(short(r.aktivitet, 80))}</b><br>Måldatum: {datum(r.maldatum)}<br>"
        f"Status: {r.status_label}{' – försenad' if r.forsenad else ''}<br>"
        f"Ansvarig: {html_escape(short(r.ansvarig, 60))}<br>{html_escape(r.avdelning_label)}"
        for r in dated.itertuples(index=False)
    ]
    x = [pd.Timestamp(d) for d in dated["maldatum"]]
    # An invisible first trace holding every row fixes the category order (a multicategory axis
    # orders by first appearance); the status traces then only add markers.
    traces = [
        dict(
            type="scatter",
            x=x,
            y=y,
            mode="markers",
            marker={"opacity": 0},
            showlegend=False,
            hoverinfo="skip",
        )
    ]
    statuses = list(dated["status"])
    for code in STATUSES:
        idx = [i for i, s in enumerate(statuses) if s == code]
        if not idx:
            continue
        traces.append(
            dict(
                type="scatter",
                x=[x[i] for i in idx],
                y=[[y[0][i] for i in idx], [y[1][i] for i in idx]],
                mode="markers",
                name=STATUS_LABELS[code],
                marker={
                    "color": STATUS_COLORS[code],
                    "symbol": STATUS_SYMBOLS[code],
                    "size": 12,
                    "line": {"color": "white", "width": 1},
                },
                customdata=[hover[i] for i in idx],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    late = [i for i, flag in enumerate(dated["forsenad"]) if flag]
    if late:
        traces.append(
            dict(
                type="scatter",
                x=[x[i] for i in late],
                y=[[y[0][i] for i in late], [y[1][i] for i in late]],
                mode="markers",
                name=FORSENAD,
                hoverinfo="skip",
                marker={"symbol": "circle-open", "color": FORSENAD_COLOR, "size": 20, "line": {"width": 2.5}},
            )
        )
    height = max(340, 170 + 24 * len(dated))
    shapes: list[dict] = []
    notes: list[dict] = []
    # Today is drawn only near the plan's dates: far from them it would squeeze the timeline.
    first, last = min(dated["maldatum"]), max(dated["maldatum"])
    near = first - dt.timedelta(days=120) <= today <= last + dt.timedelta(days=120)
    if referensdatum == today:
        _vertical(shapes, notes, today, REFERENCE_COLOR, "solid", "I dag")
    else:
        _vertical(
            shapes,
            notes,
            referensdatum,
            REFERENCE_COLOR,
            "solid",
            f"Referensdatum {datum(referensdatum)}",
            "left",
        )
        if near:
            _vertical(shapes, notes, today, "#8C8C8C", "dot", "I dag")
    left = min(first, referensdatum, today if near else first)
    right = max(last, referensdatum, today if near else last)
    layout = {
        "meta": {diagramtext.SUMMARY_KEY: timeline_summary(dated, referensdatum)},
        "yaxis": {
            "type": "multicategory",
            "rangemode": "normal",
            "gridcolor": "#F0F0F0",
            "showgrid": True,
            "tickfont": {"size": 11},
            "automargin": True,
            "showdividers": True,
            "dividercolor": "#BBBBBB",
        },
        "xaxis": {
            "type": "date",
            "showgrid": True,
            "gridcolor": "#F0F0F0",
            "automargin": True,
            **_month_ticks(left, right),
        },
        "legend": {"yref": "container", "y": 0.0, "yanchor": "bottom", "x": 0, "orientation": "h"},
        "margin": {"t": 80, "l": 10, "b": 80},
        "shapes": shapes,
        "annotations": notes,
    }
    return charts.figure(traces, title, height=height, layout=layout)


def _month_ticks(left: dt.date, right: dt.date) -> dict:
    """Month ticks (YYYY-MM) every 1, 3 or 6 months depending on the span, so none repeat."""
    months = (right.year - left.year) * 12 + right.month - left.month
    step = 1 if months <= 14 else 3 if months <= 40 else 6
    return {"tickformat": "%Y-%m", "dtick": f"M{step}", "tick0": "2000-01-01"}


def _vertical(
    shapes: list,
    notes: list,
    day: dt.date,
    color: str,
    dash: str,
    text: str,
    side: str = "right",
    bottom: bool = False,
) -> None:
    """A vertical line at a date, labelled just above the plot (or inside at its bottom) on the given
    side of the line; a shape and an annotation (appended to shapes and notes), since add_vline
    cannot label a date axis."""
    x = pd.Timestamp(day)
    shapes.append(
        {
            "type": "line",
            "x0": x,
            "x1": x,
            "xref": "x",
            "y0": 0,
            "y1": 1,
            "yref": "paper",
            "line": {"color": color, "dash": dash, "width": 1.5},
        }
    )
    notes.append(
        {
            "x": x,
            "y": 0.02 if bottom else 1.0,
            "xref": "x",
            "yref": "paper",
            "text": html_escape(text),
            "showarrow": False,
            "xanchor": "left" if side == "right" else "right",
            "yanchor": "bottom",
            "xshift": 4 if side == "right" else -4,
            "font": {"color": color, "size": 12},
            "bgcolor": "rgba(255,255,255,0.85)",
        }
    )


# --- linked nyckeltal ------------------------------------------------------------------------------

SJUK_METRICS = {
    "sjukfranvaro_total_pct": ("total", "sjuk_timmar", "ordinarie_timmar"),
    "sjukfranvaro_kort_pct": ("total", "sjuk_kort_timmar", "ordinarie_timmar"),
    "sjukfranvaro_lang_andel_pct": ("total", "sjuk_lang_timmar", "sjuk_timmar"),
    "sjukfranvaro_kvinnor_pct": ("kvinnor", "sjuk_timmar", "ordinarie_timmar"),
    "sjukfranvaro_man_pct": ("man", "sjuk_timmar", "ordinarie_timmar"),
    "sjukfranvaro_29_pct": ("29", "sjuk_timmar", "ordinarie_timmar"),
    "sjukfranvaro_30_49_pct": ("30_49", "sjuk_timmar", "ordinarie_timmar"),
    "sjukfranvaro_50_pct": ("50", "sjuk_timmar", "ordinarie_timmar"),
}
PERSONAL_COUNTS = (
    "antal_tillsvidare", "antal_tillsvidare_kvinnor", "antal_tillsvidare_man", "antal_tidsbegransade",
    "antal_timavlonade", "antal_manadsavlonade", "antal_deltid",
)  # fmt: skip
PERSONAL_RATIOS = {
    "andel_kvinnor_pct": ("manadsavlonade_kvinnor", "antal_manadsavlonade"),
    "heltid_andel_pct": ("heltid", "antal_manadsavlonade"),
    "heltid_andel_kvinnor_pct": ("heltid_kvinnor", "manadsavlonade_kvinnor"),
    "heltid_andel_man_pct": ("heltid_man", "manadsavlonade_man"),
    "heltidsarbetande_andel_pct": ("heltidsarbetande", "med_faktisk"),
}
PERSONAL_METRICS = (*PERSONAL_COUNTS, *PERSONAL_RATIOS, "medelalder", "forandring_tillsvidare_pct")
RORLIGHET_METRICS = (
    "personalomsattning_pct", "avgangar_tillsvidare_hittills", "rekryteringar_tillsvidare_hittills",
    "avgangar_tidsbegransade_hittills", "rekryteringar_tidsbegransade_hittills",
)  # fmt: skip
ENKAT_METRICS = (
    "medarbetarindex", "medarbetarindex_motivation", "medarbetarindex_ledarskap", "medarbetarindex_styrning",
    "antal_svar", "svarsfrekvens_pct",
)  # fmt: skip
ROLLING_METRICS = (*SJUK_METRICS, "personalomsattning_pct")
SERIES_COLUMNS = ["period", "varde", "undertryckt"]
TREND_COLOR = charts.NEUTRAL_COLOR
MALDATUM_COLOR = "#E69F00"


def series_kind(metric_id: str) -> str | None:
    """'manad' for a monthly series, 'ar' for the yearly survey, None when not drawn over time."""
    if metric_id in SJUK_METRICS or metric_id in PERSONAL_METRICS or metric_id in RORLIGHET_METRICS:
        return "manad"
    if metric_id in ENKAT_METRICS:
        return "ar"
    return None


def _num(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=SERIES_COLUMNS)
    frame["varde"] = frame["varde"].astype(float)
    frame["undertryckt"] = frame["undertryckt"].astype(bool)
    return frame


def metric_series(
    con: duckdb.DuckDBPyConnection, metric_id: str, scope: Scope, fran: dt.date, till: dt.date
) -> pd.DataFrame:
    """The metric for each month fran..till present in the extracts (survey: each survey year up to
    till's year, dated 1 July), as the contract defines it: period, varde (NaN when missing or
    withheld), undertryckt."""
    kind = series_kind(metric_id)
    if kind is None:
        raise KeyError(f"Nyckeltalet {metric_id} kan inte visas som tidsserie.")
    rows: list[dict] = []
    if metric_id in SJUK_METRICS:
        group, numerator, denominator = SJUK_METRICS[metric_id]
        raw = run(con, "sjukfranvaro_per_grupp_och_manad", scope, fran=fran, till=till)
        for row in raw[raw["grupp"] == group].itertuples(index=False):
            value = nyckeltal.ratio(getattr(row, numerator), getattr(row, denominator))
            hide = value is not None and suppression.sjuk_suppressed(int(row.personer))
            rows.append(
                {"period": _as_date(row.period), "varde": None if hide else value, "undertryckt": hide}
            )
    elif metric_id in PERSONAL_METRICS:
        back = add_months(fran, -12) if metric_id == "forandring_tillsvidare_pct" else fran
        raw = run(con, "personal_nyckeltal_per_manad", scope, fran=back, till=till)
        faktisk = has_column(con, "anstallningar", "faktisk_sysselsattningsgrad")
        by_month = {_as_date(r.period): r for r in raw.itertuples(index=False)}
        for month, row in by_month.items():
            if month < fran:
                continue
            if metric_id in PERSONAL_COUNTS:
                value = float(getattr(row, metric_id))
            elif metric_id == "medelalder":
                value = _num(row.medelalder)
            elif metric_id == "forandring_tillsvidare_pct":
                before = by_month.get(add_months(month, -12))
                base = int(before.antal_tillsvidare) if before is not None else 0
                value = nyckeltal.ratio(int(row.antal_tillsvidare) - base, base)
            elif metric_id == "heltidsarbetande_andel_pct" and not faktisk:
                value = None
            else:
                numerator, denominator = PERSONAL_RATIOS[metric_id]
                value = nyckeltal.ratio(getattr(row, numerator), getattr(row, denominator))
            rows.append({"period": month, "varde": value, "undertryckt": False})
    elif metric_id in RORLIGHET_METRICS:
        raw = run(con, "rorlighet_nyckeltal_per_manad", scope, fran=fran, till=till)
        for row in raw.itertuples(index=False):
            if metric_id == "personalomsattning_pct":
                value = nyckeltal.ratio(row.avgangar_tillsvidare_12m, row.medel_tillsvidare)
            else:
                value = float(getattr(row, metric_id))
            rows.append({"period": _as_date(row.period), "varde": value, "undertryckt": False})
    else:
        seen: set[int] = set()
        for year in range(fran.year, till.year + 1):
            result, hidden = nyckeltal.medarbetarenkat(con, dt.date(year, 12, 1), scope)
            if result is None or result["ar"] is None or result["ar"] in seen:
                continue
            seen.add(result["ar"])
            rows.append(
                {
                    "period": dt.date(result["ar"], 7, 1),
                    "varde": _num(result[metric_id]),
                    "undertryckt": metric_id in hidden,
                }
            )
    return _frame(rows)


def first_period(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The first month of the extracts (anstallningar)."""
    frame = run(con, "perioder", Scope())
    return _as_date(frame["period"].min()) if len(frame) else None


def complete_windows(
    series: pd.DataFrame, metric_id: str, first: dt.date | None, period: dt.date
) -> pd.DataFrame:
    """A rolling-12 series without the months whose window starts before the extracts do (the
    period itself is kept, as the key figures compute it)."""
    if metric_id not in ROLLING_METRICS or first is None or series.empty:
        return series
    earliest = add_months(first, 11)
    keep = [p >= earliest or p == period for p in series["period"]]
    return series[keep].reset_index(drop=True)


def plan_start(con: duckdb.DuckDBPyConnection, forvaltning: str) -> dt.date | None:
    """1 January of the year of the förvaltning's earliest måldatum: when its plan is taken to start."""
    frame = run(con, "aktiviteter_i_scope", Scope.of([forvaltning]))
    dates = [d for d in (_as_date(v) for v in frame["maldatum"]) if d is not None]
    return dt.date(min(dates).year, 1, 1) if dates else None


def activity_scope(aktivitet: Mapping) -> Scope:
    """The scope an activity belongs to: its förvaltning, and its avdelning when it has one."""
    avdelning = aktivitet.get("avdelning")
    return Scope.of([aktivitet["forvaltning"]], [] if is_blank(avdelning) else [avdelning])


def activity_scope_text(aktivitet: Mapping) -> str:
    """The activity's scope in words: 'Avdelning X (Förvaltning A)' or 'Förvaltning A'."""
    avdelning = aktivitet.get("avdelning")
    if is_blank(avdelning):
        return str(aktivitet["forvaltning"])
    return f"{avdelning} ({aktivitet['forvaltning']})"


def decimals(metric_id: str) -> int:
    """Decimals shown for a metric: one for percentages, indices and ages, none for counts."""
    return 0 if catalog.get(metric_id).unit == "antal" else 1


def format_value(metric_id: str, value, suppressed: bool = False) -> str:
    """A metric value in Swedish form with its unit; '..' when withheld, '–' when missing."""
    if suppressed:
        return SUPPRESSED
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    unit = catalog.get(metric_id).unit
    if unit == "procent":
        return procent(value, 1)
    if unit == "år":
        return f"{tal(value, 1)}\u00a0år"
    return tal(value, decimals(metric_id))


def format_change(metric_id: str, change: float) -> str:
    """A change of a metric: procentenheter for percentages, else a signed number."""
    if catalog.get(metric_id).unit == "procent":
        return procentenheter(change, 1)
    return forandring(change, decimals(metric_id), "år" if catalog.get(metric_id).unit == "år" else "")


@dataclass(frozen=True)
class Point:
    """One value of a trend: when, the value (None when missing or withheld), its label and role."""

    period: dt.date
    value: float | None
    suppressed: bool
    label: str
    role: str = ""


@dataclass
class MetricTrend:
    """A linked nyckeltal over time for an activity's scope, with the values then and now."""

    metric_id: str
    label: str
    scope_text: str
    kind: str | None
    series: pd.DataFrame = field(default_factory=lambda: _frame([]))
    plan_start: dt.date | None = None
    maldatum: dt.date | None = None
    period: dt.date | None = None
    target: float | None = None
    then: Point | None = None
    now: Point | None = None
    direction: str | None = None  # battre, samre, oforandrat, ingen_riktning
    note: str | None = None

    @property
    def change(self) -> float | None:
        """now − then, when both have values."""
        if self.then is None or self.now is None or self.then.value is None or self.now.value is None:
            return None
        return self.now.value - self.then.value

    @property
    def any_suppressed(self) -> bool:
        return bool(self.series["undertryckt"].any()) if len(self.series) else False


def _point(row, kind: str, role: str = "") -> Point:
    period = row.period
    when = f"enkäten {period.year}" if kind == "ar" else manad(period)
    value = None if pd.isna(row.varde) else float(row.varde)
    return Point(period, value, bool(row.undertryckt), when, role)


def direction(metric_id: str, then: float | None, now: float | None) -> str | None:
    """Whether now is better than then by the catalog's direction, compared as displayed."""
    if then is None or now is None:
        return None
    digits = decimals(metric_id)
    change = round(now, digits) - round(then, digits)
    if change == 0:
        return "oforandrat"
    better = catalog.get(metric_id).better
    if better is None:
        return "ingen_riktning"
    improved = change < 0 if better == "lower" else change > 0
    return "battre" if improved else "samre"


DIRECTION_TEXTS = {
    "battre": "Bättre",
    "samre": "Sämre",
    "oforandrat": "Oförändrat",
    "ingen_riktning": "Förändrat",
}


def metric_trend(
    con: duckdb.DuckDBPyConnection,
    aktivitet: Mapping,
    period: dt.date,
    start: dt.date | None = None,
    first: dt.date | None = None,
) -> MetricTrend:
    """The activity's nyckeltal from 12 months before the plan's start to the period, in the
    activity's scope, with target, the value before the plan started and the value now."""
    metric_id = str(aktivitet.get("nyckeltal") or "").strip()
    scope_text = activity_scope_text(aktivitet)
    maldatum = _as_date(aktivitet.get("maldatum"))
    if metric_id not in catalog.BY_ID:
        return MetricTrend(
            metric_id,
            metric_id,
            scope_text,
            None,
            maldatum=maldatum,
            period=period,
            note=f"Nyckeltalet «{metric_id}» finns inte i nyckeltalskatalogen.",
        )
    metric = catalog.get(metric_id)
    kind = series_kind(metric_id)
    trend = MetricTrend(
        metric_id, metric.label, scope_text, kind, plan_start=start, maldatum=maldatum, period=period
    )
    if kind is None:
        trend.note = f"{metric.label} följs inte som tidsserie här; se nyckeltalen på översikten."
        return trend
    if kind == "ar" and not has_table(con, "medarbetarenkat"):
        trend.note = "Tabellen medarbetarenkat saknas i extrakten, så nyckeltalet kan inte visas."
        return trend
    scope = activity_scope(aktivitet)
    # Monthly figures from a year before the plan's start; the yearly survey from three years before.
    back = 12 if kind == "manad" else 36
    fran = add_months(start, -back) if start else add_months(period, -(back + 12))
    fran = min(fran, add_months(period, -back))
    series = metric_series(con, metric_id, scope, fran, period)
    trend.series = complete_windows(series, metric_id, first, period)
    trend.target = nyckeltal.targets(con, period, scope).get(metric_id)
    points = list(trend.series.itertuples(index=False))
    if not points:
        trend.note = (
            f"Det finns inga värden för {_lower_first(metric.label)} i {scope_text} t.o.m. {manad(period)}."
        )
        return trend
    trend.now = _point(points[-1], kind)
    before = [p for p in points if start is not None and p.period < start <= period]
    if before:
        trend.then = _point(before[-1], kind, "före planens start")
    elif len(points) > 1:
        trend.then = _point(points[0], kind, "första värdet i diagrammet")
    if trend.then is not None:
        trend.direction = direction(metric_id, trend.then.value, trend.now.value)
    return trend


def trend_figure(trend: MetricTrend) -> go.Figure:
    """The linked nyckeltal over time with the target line, the plan's start and the måldatum."""
    title = f"{trend.label} – {trend.scope_text}"
    if trend.kind == "manad" and trend.metric_id in ROLLING_METRICS:
        title += ", rullande 12 månader"
    if trend.series.empty or trend.series["varde"].isna().all():
        reason = (
            suppression.RULE_TEXTS["sjukfranvaro"]
            if trend.any_suppressed
            else "Det finns inga värden att visa."
        )
        return charts.empty_figure(reason, html_escape(title))
    metric = catalog.get(trend.metric_id)
    x = [pd.Timestamp(p) for p in trend.series["period"]]
    labels = [f"enkäten {p.year}" if trend.kind == "ar" else manad(p) for p in trend.series["period"]]
    texts = [
        format_value(trend.metric_id, v, s)
        for v, s in zip(trend.series["varde"], trend.series["undertryckt"], strict=True)
    ]
    trace = dict(
        type="scatter",
        x=x,
        y=[None if pd.isna(v) else v for v in trend.series["varde"]],
        mode="lines+markers",
        name=metric.label,
        line={"color": TREND_COLOR, "width": 2.5},
        marker={"size": 7},
        customdata=list(zip(labels, texts, strict=True)),
        hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
        connectgaps=False,
    )
    notes = [
        {
            "x": when,
            "y": 0,
            "text": SUPPRESSED,
            "showarrow": False,
            "yanchor": "bottom",
            "hovertext": suppression.RULE_TEXTS["sjukfranvaro"],
            "font": {"color": "#555"},
        }
        for when, hidden in zip(x, trend.series["undertryckt"], strict=True)
        if hidden
    ]
    shapes = []
    if trend.target is not None:
        label = f"Mål {trend.period.year}" if trend.period else "Mål"
        shape, note = charts.target_line(trend.target, label, metric.is_percent)
        shapes.append(shape)
        notes.append(note)
    left, right = min(x), max(x)
    if trend.plan_start and left <= pd.Timestamp(trend.plan_start) <= right:
        _vertical(shapes, notes, trend.plan_start, "#8C8C8C", "dot", "Planens start", "right", bottom=True)
    if trend.maldatum:
        _vertical(
            shapes, notes, trend.maldatum, MALDATUM_COLOR, "dash", f"Måldatum {datum(trend.maldatum)}", "left"
        )
        left, right = min(left, pd.Timestamp(trend.maldatum)), max(right, pd.Timestamp(trend.maldatum))
    pad = pd.Timedelta(days=20)
    xaxis = {"type": "date", "range": [left - pad, right + pad]}
    if trend.kind == "ar":
        xaxis.update(tickformat="%Y", dtick="M12", tick0="2000-07-01")
    else:
        xaxis.update(_month_ticks(left.date(), right.date()))
    layout = {"margin": {"t": 80}, "xaxis": xaxis}
    if shapes:
        layout["shapes"] = shapes
    if notes:
        layout["annotations"] = notes
    values = [v for v in trend.series["varde"] if not pd.isna(v)]
    top = max(values + ([trend.target] if trend.target is not None else []))
    if top > 0:
        layout["yaxis"] = {"range": [0, top * 1.2]}
    return charts.figure(
        [trace],
        html_escape(title),
        y_title=_unit_title(metric),
        percent=metric.is_percent,
        legend=False,
        layout=layout,
    )


def _lower_first(label: str) -> str:
    """A label inside a sentence: 'Medarbetarindex (HME)' → 'medarbetarindex (HME)'."""
    return label[:1].lower() + label[1:]


def _unit_title(metric: catalog.Metric) -> str:
    return {"procent": "Procent", "antal": "Antal", "år": "År", "index": "Index (0–100)"}[metric.unit]


def trend_texts(trend: MetricTrend) -> list[str]:
    """Sentences about the trend: values then and now, the direction, the target (plain text)."""
    lines = []
    fmt = trend.metric_id
    if trend.then is not None:
        role = f", {trend.then.role}" if trend.then.role else ""
        value = format_value(fmt, trend.then.value, trend.then.suppressed)
        lines.append(f"Värdet då ({trend.then.label}{role}): {value}.")
    if trend.now is not None:
        lines.append(
            f"Värdet nu ({trend.now.label}): {format_value(fmt, trend.now.value, trend.now.suppressed)}."
        )
    if trend.direction is not None and trend.then is not None:
        better = catalog.get(fmt).better
        rule = {"lower": "lägre är bättre", "higher": "högre är bättre"}.get(
            better, "ingen riktning är bättre"
        )
        change = f" ({format_change(fmt, trend.change)})" if trend.direction != "oforandrat" else ""
        lines.append(
            f"{DIRECTION_TEXTS[trend.direction]} jämfört med {trend.then.label}{change}; "
            f"för {_lower_first(trend.label)} gäller att {rule}."
        )
    if trend.target is not None and trend.now is not None and trend.period is not None:
        status = catalog.target_status(fmt, trend.now.value, trend.target)
        verdict = f" – {catalog.TARGET_STATUS_LABELS[status].lower()}" if status else ""
        lines.append(f"Mål {trend.period.year}: {format_value(fmt, trend.target)}{verdict}.")
    if trend.any_suppressed:
        lines.append(suppression.RULE_TEXTS["sjukfranvaro"] + " Sådana månader saknar värde (..).")
    return lines


def key_figures_section(
    con: duckdb.DuckDBPyConnection, section: str, scope: Scope, period: dt.date
) -> tuple[dict | None, list[str]]:
    """One section of the key figures at the period (as nyckeltal computes them) and the ids withheld."""
    if section == "personal":
        return nyckeltal.personal(con, period, scope), []
    if section == "sjukfranvaro":
        return nyckeltal.sjukfranvaro(con, period, scope)
    if section == "rorlighet":
        return nyckeltal.rorlighet(con, period, scope), []
    if section == "pension":
        return nyckeltal.pension(con, period, scope, nyckeltal.DEFAULT_PENSIONSALDER), []
    if section == "medarbetarenkat":
        return nyckeltal.medarbetarenkat(con, period, scope)
    return None, []


def metric_now(
    con: duckdb.DuckDBPyConnection, metric_id: str, scope: Scope, period: dt.date
) -> tuple[float | None, bool]:
    """The metric's key figure at the period for the scope, and whether it is withheld."""
    values, hidden = key_figures_section(con, catalog.get(metric_id).section, scope, period)
    value = (values or {}).get(metric_id)
    return (float(value) if isinstance(value, int | float) else None), metric_id in hidden


MAX_METRIC_SCOPES = 20


def metric_scopes(plan: pd.DataFrame) -> set[tuple]:
    """The (section, scope) pairs whose key figures the plan table's values need."""
    pairs = set()
    for row in plan.to_dict("records"):
        metric_id = str(row.get("nyckeltal") or "").strip()
        if metric_id in catalog.BY_ID:
            pairs.add((catalog.get(metric_id).section, activity_scope(row)))
    return pairs


# The key figures of a plan's scopes at once: the cores of the machine this was measured on.
SECTION_WORKERS = 2


def _sections_side_by_side(
    con: duckdb.DuckDBPyConnection, pairs: set[tuple], period: dt.date
) -> dict[tuple, tuple[dict | None, list[str]]]:
    """key_figures_section of every (section, scope) pair, computed side by side (DuckDB runs the
    queries outside the GIL), each once."""
    ordered = sorted(pairs, key=repr)
    calls = [
        functools.partial(key_figures_section, con, section, scope, period) for section, scope in ordered
    ]
    return dict(zip(ordered, side_by_side(calls, SECTION_WORKERS), strict=True))


def metric_texts(
    con: duckdb.DuckDBPyConnection, plan: pd.DataFrame, period: dt.date, with_values: bool = True
) -> dict[str, str]:
    """Per activity naming a nyckeltal: 'Label: value' at the period in the activity's scope (each
    section of the key figures computed once per scope); only the label without with_values."""
    sections = _sections_side_by_side(con, metric_scopes(plan), period) if with_values else {}
    texts = {}
    for row in plan.to_dict("records"):
        metric_id = str(row.get("nyckeltal") or "").strip()
        aktivitet_id = str(row["aktivitet_id"])
        if not metric_id:
            continue
        if metric_id not in catalog.BY_ID:
            texts[aktivitet_id] = f"{metric_id} (okänt nyckeltal)"
            continue
        metric = catalog.get(metric_id)
        if not with_values:
            texts[aktivitet_id] = metric.label
            continue
        values, hidden = sections[(metric.section, activity_scope(row))]
        value = (values or {}).get(metric_id)
        if values is None or not (value is None or isinstance(value, int | float)):
            texts[aktivitet_id] = metric.label  # no single value to show (pension_per_ar, absent table)
            continue
        texts[aktivitet_id] = f"{metric.label}: {format_value(metric_id, value, metric_id in hidden)}"
    return texts


# --- linked kompetensområde ------------------------------------------------------------------------


@dataclass
class GapResult:
    """The kompetensgap of an activity's area in its scope: latest year ≤ year(P) and the trend."""

    omrade: str
    scope_text: str
    year: int | None = None
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    per_year: pd.DataFrame = field(default_factory=pd.DataFrame)
    note: str | None = None


def kompetensgap(con: duckdb.DuckDBPyConnection, aktivitet: Mapping, period: dt.date) -> GapResult:
    """Behov, nuläge and gap of the activity's kompetensområde per avdelning and enhet in its scope,
    in the latest assessment year ≤ year(P); per_year holds the mean gap of each year."""
    omrade = str(aktivitet.get("kompetensomrade") or "").strip()
    result = GapResult(omrade, activity_scope_text(aktivitet))
    if not has_table(con, "kompetensgap"):
        result.note = "Tabellen kompetensgap saknas i extrakten, så gapet kan inte visas."
        return result
    raw = run(con, "kompetensgap_for_omrade", activity_scope(aktivitet), ar=period.year, omrade=omrade)
    if raw.empty:
        result.note = f"Det finns ingen bedömning av «{omrade}» för {result.scope_text} t.o.m. {period.year}."
        return result
    year = int(raw["ar"].max())
    latest = raw[raw["ar"] == year]
    result.year = year
    result.rows = pd.DataFrame(
        {
            "avdelning": list(latest["avdelning"]),
            "enhet": [None if is_blank(e) else str(e) for e in latest["enhet"]],
            "behov": latest["behov"].astype(float).tolist(),
            "nulage": latest["nulage"].astype(float).tolist(),
            "gap": latest["gap"].astype(float).tolist(),
        }
    )
    per_year = []
    for ar, part in raw.groupby("ar", sort=True):
        whole = part[part["enhet"].isna()]
        base = whole if len(whole) else part
        per_year.append({"ar": int(ar), "gap": float(base["gap"].mean())})
    result.per_year = pd.DataFrame(per_year)
    return result


def gap_table(result: GapResult) -> pd.DataFrame:
    """The latest year's gap rows with Swedish headings and decimal commas."""
    rows = result.rows
    return pd.DataFrame(
        {
            "Avdelning": list(rows["avdelning"]),
            "Enhet": ["Hela avdelningen" if is_blank(e) else str(e) for e in rows["enhet"]],
            "Behov (1–5)": [tal(v, 1) for v in rows["behov"]],
            "Nuläge (1–5)": [tal(v, 1) for v in rows["nulage"]],
            "Gap": [tal(v, 1) for v in rows["gap"]],
        }
    )


def gap_text(result: GapResult) -> str | None:
    """The mean gap of every assessment year, oldest first, in words."""
    if result.per_year.empty:
        return None
    years = " · ".join(f"{int(r.ar)}: {tal(r.gap, 1)}" for r in result.per_year.itertuples(index=False))
    return f"Genomsnittligt gap per år (behov minus nuläge): {years}."


# --- change history --------------------------------------------------------------------------------


def tid_text(iso: str) -> str:
    """A logged time (stored in UTC) in Swedish local time and form: '23 november 2025 kl. 10:51'."""
    moment = svensk_tid(iso)
    return f"{datum(moment.date())} kl. {moment:%H:%M}"


def history_table(aktivitet: Mapping, changes: Iterable) -> pd.DataFrame:
    """The activity's history oldest first: the plan as adopted, then every logged change."""
    rows = [
        {
            "Tid": "När planen antogs",
            "Av": "Aktivitetsplanen",
            "Status": STATUS_LABELS.get(aktivitet.get("status_plan"), _text(aktivitet.get("status_plan"))),
            "Kommentar": _text(aktivitet.get("uppfoljning")),
        }
    ]
    for change in changes:
        rows.append(
            {
                "Tid": tid_text(change.tid),
                "Av": change.av,
                "Status": STATUS_LABELS.get(change.status, change.status),
                "Kommentar": change.kommentar or "",
            }
        )
    return pd.DataFrame(rows, columns=["Tid", "Av", "Status", "Kommentar"])


def change_problem(current_status: str, new_status: str, kommentar: str | None) -> str | None:
    """A Swedish reason why nothing should be logged, else None (the log validates the rest)."""
    if new_status == current_status and not (kommentar or "").strip():
        return "Inget att spara: välj en ny status eller skriv en uppföljning."
    return None


# --- import ----------------------------------------------------------------------------------------


def preview_table(imported: pd.DataFrame) -> pd.DataFrame:
    """An imported plan as the preview shows it: Swedish headings, labels and dates."""
    return pd.DataFrame(
        {
            "Id": list(imported["aktivitet_id"]),
            "Förvaltning": [_text(v) for v in imported["forvaltning"]],
            "Avdelning": [FORVALTNINGSOVERGRIPANDE if is_blank(v) else str(v) for v in imported["avdelning"]],
            "UBARIA": [ubaria_label(v) for v in imported["ubaria"]],
            "Mål": [_text(v) for v in imported["mal"]],
            "Aktivitet": [_text(v) for v in imported["aktivitet"]],
            "Måldatum": [datum(d) if (d := _as_date(v)) else MISSING for v in imported["maldatum"]],
            "Ansvarig": [_text(v) for v in imported["ansvarig"]],
            "Status": [STATUS_LABELS.get(v, _text(v)) for v in imported["status"]],
            "Uppföljning": [_text(v) for v in imported["uppfoljning"]],
            "Nyckeltal": [_text(v) for v in imported["nyckeltal"]],
            "Kompetensområde": [_text(v) for v in imported["kompetensomrade"]],
        }
    )


def merge_imported(existing: pd.DataFrame | None, imported: pd.DataFrame, replace_all: bool) -> pd.DataFrame:
    """The aktiviteter table to write: the imported plan, plus (unless replace_all) the existing
    activities of förvaltningar the file does not cover; ValueError (Swedish) on clashing ids."""
    if replace_all or existing is None or existing.empty:
        return imported.reset_index(drop=True)
    covered = {str(f) for f in imported["forvaltning"] if not is_blank(f)}
    kept = existing[~existing["forvaltning"].astype(str).isin(covered)]
    clash = sorted(set(kept["aktivitet_id"].astype(str)) & set(imported["aktivitet_id"].astype(str)))
    if clash:
        raise ValueError(
            "Id finns redan hos en annan förvaltnings aktiviteter: "
            + ", ".join(clash[:10])
            + (" …" if len(clash) > 10 else "")
            + ". Ge aktiviteterna unika id i filen."
        )
    columns = list(imported.columns)
    kept = kept[[c for c in columns if c in kept.columns]]
    return pd.concat([kept, imported], ignore_index=True)[columns]


def validation_errors(table: pd.DataFrame) -> list[str]:
    """The contract's validation errors an aktiviteter table would get, as Swedish sentences: the
    table is written to a scratch directory and validated there, so the extracts never hold a plan
    that would stop the app."""
    import tempfile
    from pathlib import Path

    from kfp_metrics import plan_io, validation

    with tempfile.TemporaryDirectory(prefix="kfp-plan-") as scratch:
        try:
            plan_io.write_aktiviteter(table, Path(scratch))
        except ValueError as exc:
            return [str(exc)]
        report = validation.validate(Path(scratch))
    return [f.message for f in report.errors if f.table == "aktiviteter"]


def lost_links(existing: pd.DataFrame | None, imported: pd.DataFrame) -> list[str]:
    """Ids whose nyckeltal or kompetensområde the current plan has but the imported one lacks
    (an export re-imported, say): importing would drop the activity's link to its data."""
    if existing is None or existing.empty:
        return []
    new = {str(r["aktivitet_id"]): r for r in imported.to_dict("records")}
    lost = []
    for row in existing.to_dict("records"):
        other = new.get(str(row["aktivitet_id"]))
        if other is None:
            continue
        for name in ("nyckeltal", "kompetensomrade"):
            if not is_blank(row.get(name)) and is_blank(other.get(name)):
                lost.append(str(row["aktivitet_id"]))
                break
    return sorted(lost)


def logged_ids(imported: pd.DataFrame, logged: Iterable[str]) -> list[str]:
    """Ids of the imported plan that already have logged changes (their status comes from the log)."""
    return sorted(set(imported["aktivitet_id"].astype(str)) & {str(i) for i in logged})


def period_text(period: dt.date) -> str:
    """'YYYY-MM' of a period, for file names."""
    return format_period(period)
