"""The Sjukfrånvaro page's figures: rolling 12 months, per avdelning against target, obligatory groups.

Frames come from (con, period, scope) with code column names and suppression applied (a withheld
value is NaN, `undertryckt` is True and `skal` holds the reason); `figure_*` builds the Plotly
chart from such a frame and `tabell_*` the table shown under it ('..' in withheld cells). No
Streamlit here: the printed nämnd report reuses the same builders.

Disclosure: a figure for 10 or fewer distinct persons with scheduled hours in the 12 months is
withheld (contract). Where the parts of a breakdown add up to a total that is shown — kvinnor and
män, the three age groups, the avdelningar (or enheter) of the scope — and exactly one part is
withheld, the smallest other part is withheld as well (suppression.secondary), so the hidden
value cannot be worked out from the total. Person counts are shown: they are not sick-leave data.
"""

from __future__ import annotations

import datetime as dt
import math

import duckdb
import pandas as pd
import plotly.graph_objects as go

from kfp_metrics import charts, diagramtext, nyckeltal, suppression
from kfp_metrics.analys import (
    Column,
    level,
    organisation_avdelningar,
    per_forvaltning_instead,
    shown_level,
    table,
    title,
    unit_names,
)
from kfp_metrics.format import SUPPRESSED, manad, procent
from kfp_metrics.nyckeltal import ratio
from kfp_metrics.periods import add_months, window_12
from kfp_metrics.queries import Scope, run

MONTHS_SHOWN = 24
PRIMAR = "primar"
SEKUNDAR = "sekundar"
REASONS = {
    PRIMAR: f"Visas inte: gruppen har {suppression.SJUK_MAX_UNDERTRYCKT} eller färre personer",
    SEKUNDAR: "Visas inte: döljs så att ett annat dolt värde inte kan räknas fram ur totalen",
}
# The same rules in few words, for a table's comment column (the footnote gives the full text).
COMMENTS = {
    REASONS[PRIMAR]: f"{suppression.SJUK_MAX_UNDERTRYCKT} eller färre personer",
    REASONS[SEKUNDAR]: "Sekundär röjandekontroll",
}
TOTAL_COLOR = charts.NEUTRAL_COLOR
KORT_COLOR = "#E69F00"

GROUPS = (
    ("total", "Totalt", "Totalt"),
    ("kvinnor", "Kvinnor", "Kön"),
    ("man", "Män", "Kön"),
    ("29", "29 år och yngre", "Ålder"),
    ("30_49", "30–49 år", "Ålder"),
    ("50", "50 år och äldre", "Ålder"),
)
GROUP_COLORS = {"Totalt": charts.NEUTRAL_COLOR, "Kön": "#CC79A7", "Ålder": "#009E73"}

_VALUES = ("total_pct", "kort_pct", "lang_andel_pct")


def _values(row) -> dict[str, float | None]:
    return {
        "total_pct": ratio(row.sjuk_timmar, row.ordinarie_timmar),
        "kort_pct": ratio(row.sjuk_kort_timmar, row.ordinarie_timmar),
        "lang_andel_pct": ratio(row.sjuk_lang_timmar, row.sjuk_timmar),
    }


def _nan(value: float | None) -> float:
    return math.nan if value is None else float(value)


def hidden_parts(sizes: dict[str, int], total_shown: bool) -> dict[str, str]:
    """Parts of a breakdown to withhold, with the rule: primary for 10 or fewer persons, then
    secondary (suppression.secondary) when the total is shown."""
    primary = {key for key, size in sizes.items() if 0 < size and suppression.sjuk_suppressed(size)}
    hidden = dict.fromkeys(primary, PRIMAR)
    if total_shown:
        for key in suppression.secondary(sizes, primary) - primary:
            if key != suppression.TOTAL:
                hidden[key] = SEKUNDAR
    return hidden


def _withhold(frame: pd.DataFrame, hidden: dict[str, str], key: str = "namn") -> pd.DataFrame:
    frame["skal"] = [REASONS.get(hidden.get(k, ""), "") for k in frame[key]]
    frame["undertryckt"] = [k in hidden for k in frame[key]]
    for column in _VALUES:
        if column in frame:
            frame.loc[frame["undertryckt"], column] = math.nan
    return frame


# --- Rolling 12 months per month ---------------------------------------------------------------


def per_manad(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, months: int = MONTHS_SHOWN
) -> pd.DataFrame:
    """Rolling-12 sjukfrånvaro (total, dag 1–14, andel ≥ 60 dagar) for each of up to `months` months
    ending P whose 12-month window lies within the extracts (P itself always)."""
    perioder = run(con, "perioder", Scope())
    columns = ["period", *_VALUES, "personer", "undertryckt", "skal"]
    if perioder.empty:
        return pd.DataFrame(columns=columns)
    first = pd.Timestamp(perioder["period"].min()).date()
    fran = min(period, max(add_months(period, -(months - 1)), add_months(first, 11)))
    raw = run(con, "sjukfranvaro_per_manad", scope, fran=fran, till=period)
    rows = []
    for row in raw.itertuples(index=False):
        values = _values(row)
        hide = suppression.sjuk_suppressed(int(row.personer)) and values["total_pct"] is not None
        rows.append(
            {
                "period": pd.Timestamp(row.period).date(),
                **{k: math.nan if hide else _nan(v) for k, v in values.items()},
                "personer": int(row.personer),
                "undertryckt": hide,
                "skal": REASONS[PRIMAR] if hide else "",
            }
        )
    return pd.DataFrame(rows, columns=columns)


def figure_per_manad(
    frame: pd.DataFrame, scope_text: str, period: dt.date, targets: dict[str, float] | None = None
) -> go.Figure:
    """Lines of rolling-12 sjukfrånvaro total and dag 1–14 per month, with the targets as lines."""
    heading = title("Sjukfrånvaro, rullande 12 månader", scope_text, period, through=True)
    targets = targets or {}
    if frame.empty or frame["personer"].sum() == 0:
        return charts.empty_figure("Urvalet har ingen schemalagd arbetstid under perioden.", heading)
    if frame["total_pct"].isna().all():
        reason = REASONS[PRIMAR] if frame["undertryckt"].any() else "Underlag saknas."
        return charts.empty_figure(f"{reason} (rullande 12 månader).", heading)
    labels = [manad(p) for p in frame["period"]]
    x = [pd.Timestamp(p) for p in frame["period"]]
    traces = [
        {
            "type": "scatter",
            "x": x,
            "y": [None if math.isnan(v) else v for v in frame[column]],
            "name": name,
            "mode": "lines+markers",
            "line": {"color": color, "width": 2.5},
            "marker": {"size": 6},
            "customdata": labels,
            "hovertemplate": f"<b>{name}</b><br>12 månader t.o.m. %{{customdata}}: %{{y:.1f}} %<extra></extra>",
        }
        for column, name, color in (
            ("total_pct", "Sjukfrånvaro totalt", TOTAL_COLOR),
            ("kort_pct", "Varav dag 1–14", KORT_COLOR),
        )
    ]
    notes = [
        {
            "x": when,
            "y": 0,
            "text": SUPPRESSED,
            "hovertext": reason,
            "showarrow": False,
            "yanchor": "bottom",
            "font": {"color": "#555"},
        }
        for when, reason in zip(x, frame["skal"], strict=True)
        if reason
    ]
    shapes = []
    for metric_id, label in (
        ("sjukfranvaro_total_pct", "Mål totalt"),
        ("sjukfranvaro_kort_pct", "Mål dag 1–14"),
    ):
        if targets.get(metric_id) is not None:
            shape, note = charts.target_line(targets[metric_id], label)
            shapes.append(shape)
            notes.append(note)
    layout = {}
    if notes:
        layout["annotations"] = notes
    if shapes:
        layout["shapes"] = shapes
    fig = charts.figure(
        traces,
        heading,
        y_title="Procent av ordinarie arbetstid",
        percent=True,
        month_ticks=True,
        layout=layout,
    )
    return diagramtext.set_summary(fig, summary_per_manad(frame, targets))


def summary_per_manad(frame: pd.DataFrame, targets: dict[str, float] | None = None) -> str:
    """The chart of sjukfrånvaro per month in one sentence: from the first to the last month shown,
    e.g. 'Sjukfrånvaron har ökat från 6,9 % till 7,4 % de senaste 24 månaderna; målet är 6,0 %.'"""
    shown = frame.dropna(subset=["total_pct"])
    first, last = shown.iloc[0], shown.iloc[-1]
    months = len(frame)
    span = f"de senaste {months} månaderna" if months > 1 else f"i {manad(last['period'])}"
    total = diagramtext.change("Sjukfrånvaron", first["total_pct"], last["total_pct"], procent)
    text = f"{total} {span} (rullande 12 månader t.o.m. {manad(last['period'])})"
    kort = shown.dropna(subset=["kort_pct"])
    if not kort.empty:
        text += "; " + diagramtext.change(
            "frånvaron dag 1–14", kort.iloc[0]["kort_pct"], kort.iloc[-1]["kort_pct"], procent
        )
    goals = (targets or {}).get("sjukfranvaro_total_pct")
    if goals is not None:
        text += f"; målet är {procent(goals)}"
    return text + "."


TABELL_PER_MANAD = (
    Column("period", "Månad (12 månader t.o.m.)", "manad"),
    Column("total_pct", "Sjukfrånvaro totalt (%)", "procent", sensitive=True),
    Column("kort_pct", "Dag 1–14 (%)", "procent", sensitive=True),
    Column("lang_andel_pct", "Andel 60 dagar eller mer (%)", "procent", sensitive=True),
    Column("personer", "Antal personer", "antal"),
)


def tabell_per_manad(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_per_manad."""
    return table(frame, TABELL_PER_MANAD, formatted)


# --- Per avdelning (per enhet within one avdelning) against target --------------------------------


def _scope_total_persons(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> int:
    fran, till = window_12(period)
    frame = run(con, "sjukfranvaro_per_grupp", scope, fran=fran, till=till)
    total = frame.loc[frame["grupp"] == "total", "personer"]
    return int(total.iloc[0]) if len(total) else 0


def per_avdelning(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, total_personer: int | None = None
) -> pd.DataFrame:
    """Sjukfrånvaro for the 12 months ending P per avdelning of the scope (per enhet when the scope is
    one avdelning; per förvaltning when it spans several förvaltningar with more than
    analys.MAX_AVDELNINGAR avdelningar), each with its target: the avdelning's own, else its förvaltning's.
    total_personer: the scope's persons with scheduled hours (per_grupp's total row), where the
    caller has them already; else read again."""
    fran, till = window_12(period)
    niva = level(scope)
    raw = run(con, f"sjukfranvaro_per_{niva}", scope, fran=fran, till=till)
    if niva == "avdelning" and per_forvaltning_instead(raw):
        niva = "forvaltning"
        raw = run(con, "sjukfranvaro_per_forvaltning", scope, fran=fran, till=till)
    columns = [
        "forvaltning",
        "avdelning",
        "namn",
        *_VALUES,
        "personer",
        "mal",
        "farg",
        "niva",
        "undertryckt",
        "skal",
    ]
    if raw.empty:
        return pd.DataFrame(columns=columns)
    names = unit_names(raw, niva)
    if niva == "avdelning":
        colors = charts.color_map(organisation_avdelningar(con) + list(raw["avdelning"]))
    elif niva == "forvaltning":
        colors = dict.fromkeys(names, charts.NEUTRAL_COLOR)  # thirty colours would tell nothing
    else:
        colors = charts.color_map(names)
    goals = nyckeltal.avdelning_targets(
        con, period, "sjukfranvaro_total_pct", zip(raw["forvaltning"], raw["avdelning"], strict=True)
    )
    rows = []
    for name, row in zip(names, raw.itertuples(index=False), strict=True):
        pair = (row.forvaltning, row.avdelning)
        rows.append(
            {
                "forvaltning": row.forvaltning,
                "avdelning": row.avdelning,
                "namn": name,
                **{k: _nan(v) for k, v in _values(row).items()},
                "personer": int(row.personer),
                "mal": _nan(goals[pair]),
                "farg": colors[row.avdelning if niva == "avdelning" else name],
                "niva": niva,
            }
        )
    frame = pd.DataFrame(rows)
    if total_personer is None:
        total_personer = _scope_total_persons(con, period, scope)
    total_shown = not suppression.sjuk_suppressed(total_personer)
    sizes = dict(zip(frame["namn"], frame["personer"], strict=True))
    hidden = hidden_parts(sizes, total_shown)
    if niva == "avdelning" and frame["forvaltning"].nunique() > 1:
        groups = dict(zip(frame["namn"], frame["forvaltning"], strict=True))
        for key in suppression.secondary_within(sizes, groups, hidden) - set(hidden):
            hidden[key] = SEKUNDAR
    return _withhold(frame, hidden)[columns]


def _withheld_marks(frame: pd.DataFrame, labels: list[str]) -> list[dict]:
    """'..' at the foot of each withheld bar, its hover saying why (annotations as dicts)."""
    return [
        {
            "x": name,
            "y": 0,
            "text": SUPPRESSED,
            "hovertext": reason,
            "showarrow": False,
            "yanchor": "bottom",
            "font": {"size": 16, "color": "#555"},
        }
        for name, reason in zip(labels, frame["skal"], strict=True)
        if reason
    ]


def figure_per_avdelning(frame: pd.DataFrame, scope_text: str, period: dt.date) -> go.Figure:
    """A bar per avdelning (or enhet) of sjukfrånvaro with its own target marker; withheld bars absent."""
    what = shown_level(frame, Scope())
    heading = title(f"Sjukfrånvaro per {what}, 12 månader", scope_text, period, through=True)
    if frame.empty:
        return charts.empty_figure("Urvalet har ingen schemalagd arbetstid under perioden.", heading)
    if frame["total_pct"].isna().all():
        message = "Underlag saknas för urvalet."
        if frame["undertryckt"].any():
            message = (
                f"Visas inte: varje {what} har {suppression.SJUK_MAX_UNDERTRYCKT} eller färre personer "
                "eller döljs så att ett dolt värde inte kan räknas fram."
            )
        return charts.empty_figure(message, heading)
    labels = [charts.wrap_label(n) for n in frame["namn"]]
    values = [None if math.isnan(v) else v for v in frame["total_pct"]]
    traces = [
        {
            "type": "bar",
            "x": labels,
            "y": values,
            "name": "Sjukfrånvaro",
            "marker": {"color": list(frame["farg"])},
            "customdata": list(frame["personer"]),
            "hovertemplate": "<b>%{x}</b><br>Sjukfrånvaro: %{y:.1f} %<br>%{customdata:,.0f} personer<extra></extra>",
            "showlegend": False,
        }
    ]
    goals = frame["mal"]
    if goals.notna().any():
        traces.append(
            {
                "type": "scatter",
                "x": labels,
                "y": [None if math.isnan(v) else v for v in goals],
                "name": "Mål",
                "mode": "markers",
                "marker": {
                    "symbol": "line-ew",
                    "size": 46,
                    "line": {"width": 3, "color": charts.TARGET_COLOR},
                },
                "hovertemplate": "<b>%{x}</b><br>Mål: %{y:.1f} %<extra></extra>",
            }
        )
    layout = {"xaxis": {"type": "category"}}
    notes = _withheld_marks(frame, labels)
    if notes:
        layout["annotations"] = notes
    return charts.figure(
        traces, heading, y_title="Procent av ordinarie arbetstid", percent=True, layout=layout
    )


TABELL_PER_AVDELNING = (
    Column("namn", "Avdelning"),
    Column("total_pct", "Sjukfrånvaro totalt (%)", "procent", sensitive=True),
    Column("kort_pct", "Dag 1–14 (%)", "procent", sensitive=True),
    Column("lang_andel_pct", "Andel 60 dagar eller mer (%)", "procent", sensitive=True),
    Column("mal", "Mål (%)", "procent"),
    Column("personer", "Antal personer", "antal"),
)


def tabell_per_avdelning(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_per_avdelning (first column 'Enhet' at enhet level)."""
    out = table(frame, TABELL_PER_AVDELNING, formatted)
    if len(frame) and frame["niva"].iloc[0] != "avdelning":
        out = out.rename(columns={"Avdelning": shown_level(frame, Scope()).capitalize()})
    return out


# --- Obligatory groups (kön, ålder) --------------------------------------------------------------


def per_grupp(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> pd.DataFrame:
    """The obligatory breakdowns for the 12 months ending P: totalt, kvinnor/män, ≤ 29/30–49/≥ 50,
    with primary and secondary suppression within each breakdown."""
    fran, till = window_12(period)
    raw = run(con, "sjukfranvaro_per_grupp", scope, fran=fran, till=till)
    by_code = {row.grupp: row for row in raw.itertuples(index=False)}
    rows = []
    for code, name, breakdown in GROUPS:
        row = by_code.get(code)
        values = _values(row) if row is not None else dict.fromkeys(_VALUES)
        rows.append(
            {
                "grupp": code,
                "namn": name,
                "uppdelning": breakdown,
                **{k: _nan(v) for k, v in values.items()},
                "personer": int(row.personer) if row is not None else 0,
            }
        )
    frame = pd.DataFrame(rows)
    sizes = dict(zip(frame["grupp"], frame["personer"], strict=True))
    total_hidden = hidden_parts({"total": sizes["total"]}, total_shown=False)
    hidden = dict(total_hidden)
    for parts in (("kvinnor", "man"), ("29", "30_49", "50")):
        hidden.update(hidden_parts({k: sizes[k] for k in parts}, total_shown=not total_hidden))
    return _withhold(frame, hidden, key="grupp")


def figure_per_grupp(
    frame: pd.DataFrame, scope_text: str, period: dt.date, targets: dict[str, float] | None = None
) -> go.Figure:
    """Bars of sjukfrånvaro for the total, per kön and per åldersgrupp; withheld bars absent."""
    heading = title("Sjukfrånvaro per kön och ålder, 12 månader", scope_text, period, through=True)
    if frame.empty or frame["personer"].iloc[0] == 0:
        return charts.empty_figure("Urvalet har ingen schemalagd arbetstid under perioden.", heading)
    if frame["total_pct"].isna().all():
        return charts.empty_figure(f"{REASONS[PRIMAR]}.", heading)
    bar = {
        "type": "bar",
        "x": frame["namn"],
        "y": [None if math.isnan(v) else v for v in frame["total_pct"]],
        "marker": {"color": [GROUP_COLORS[b] for b in frame["uppdelning"]]},
        "customdata": list(frame["personer"]),
        "hovertemplate": "<b>%{x}</b><br>Sjukfrånvaro: %{y:.1f} %<br>%{customdata:,.0f} personer<extra></extra>",
        "showlegend": False,
        "name": "Sjukfrånvaro",
    }
    layout = {"xaxis": {"type": "category"}}
    notes = _withheld_marks(frame, list(frame["namn"]))
    target = (targets or {}).get("sjukfranvaro_total_pct")
    if target is not None:
        shape, note = charts.target_line(target, "Mål totalt")
        # The target's label sits over the first bar: give it a background so both stay legible.
        note["bgcolor"] = "rgba(255,255,255,0.85)"
        notes.append(note)
        layout["shapes"] = [shape]
    if notes:
        layout["annotations"] = notes
    return charts.figure(
        [bar], heading, y_title="Procent av ordinarie arbetstid", percent=True, layout=layout
    )


TABELL_PER_GRUPP = (
    Column("namn", "Grupp"),
    Column("total_pct", "Sjukfrånvaro totalt (%)", "procent", sensitive=True),
    Column("kort_pct", "Dag 1–14 (%)", "procent", sensitive=True),
    Column("lang_andel_pct", "Andel 60 dagar eller mer (%)", "procent", sensitive=True),
    Column("personer", "Antal personer", "antal"),
)


def tabell_per_grupp(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_per_grupp, with the reason for each withheld row."""
    out = table(frame, TABELL_PER_GRUPP, formatted)
    out["Kommentar"] = [COMMENTS.get(reason, reason) for reason in frame["skal"]]
    return out


KPIS = (
    ("Sjukfrånvaro totalt", "total_pct", "sjukfranvaro_total_pct"),
    ("Varav dag 1–14", "kort_pct", "sjukfranvaro_kort_pct"),
    ("Andel 60 dagar eller mer", "lang_andel_pct", "sjukfranvaro_lang_andel_pct"),
)


def kpis(grupper: pd.DataFrame, targets: dict[str, float] | None = None) -> list[tuple[str, str, str | None]]:
    """(label, value, help) for the headline figures from the total row of a per_grupp frame."""
    total = grupper.iloc[0]
    out = []
    for label, column, metric_id in KPIS:
        value = SUPPRESSED if total["undertryckt"] else procent(total[column])
        goal = (targets or {}).get(metric_id)
        out.append((label, value, f"Mål: {procent(goal)}" if goal is not None else None))
    return out


def suppression_note(*frames: pd.DataFrame) -> str | None:
    """A Swedish footnote explaining '..' when any of the frames withholds a value."""
    reasons = set()
    for frame in frames:
        if "undertryckt" in frame and len(frame) and frame["undertryckt"].any():
            reasons.update(r for r in frame["skal"] if r)
    if not reasons:
        return None
    text = f"\\.\\. = {suppression.RULE_TEXTS['sjukfranvaro']}"
    if REASONS[SEKUNDAR] in reasons:
        text += f" {suppression.RULE_TEXTS['sekundar']}"
    return text
