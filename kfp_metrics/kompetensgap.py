"""The Kompetensgap page's figures: assessed gaps per area, pension risk and plan activities.

The gap of an assessment row is behov − nuläge (levels 1–5): positive means the unit lacks
competence it needs. An avdelning's (or enhet's) gap in an area is the mean over its rows of the
latest assessment year ≤ year(P) in the scope; the scope's gap in an area is the mean over all
its rows. Rows without kategori are grouped under 'Övrigt'; in the enhet drill, rows without
enhet stand for the avdelning as a whole.

Frames come from (con, period, scope) and carry code column names; `figure_*` builds the
Plotly chart from such a frame and `tabell_*` the table shown under it. No Streamlit here: the
printed nämnd report reuses the same builders.

Disclosure: kompetensgap rows assess units, not persons, so nothing is withheld here; the
pension shares beside the heatmap follow rorlighet (counts shown as in the plans).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import plotly.graph_objects as go

from kfp_metrics import analys, charts, rorlighet
from kfp_metrics.analys import Column, empty, share, table
from kfp_metrics.extracts import has_table
from kfp_metrics.format import procent, tal
from kfp_metrics.queries import Scope, run

OVRIGT = "Övrigt"
HELA_AVDELNINGEN = "Hela avdelningen"
# Diverging scale: blue where nuläge exceeds behov, white at balance, red where competence is lacking.
GAP_COLORSCALE = [[0.0, "#2166AC"], [0.35, "#92C5DE"], [0.5, "#F7F7F7"], [0.65, "#F4A582"], [1.0, "#B2182B"]]
HAR_AKTIVITET_COLOR = charts.NEUTRAL_COLOR
SAKNAR_AKTIVITET_COLOR = "#D55E00"


def _gap(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, per_enhet: bool) -> pd.DataFrame:
    frame = run(con, "kompetensgap_per_omrade", scope, ar=period.year, per_enhet=per_enhet)
    frame["kategori"] = frame["kategori"].fillna(OVRIGT)
    if per_enhet:
        frame["enhet"] = frame["enhet"].fillna(HELA_AVDELNINGEN)
    else:
        frame = frame.drop(columns="enhet")
    for column in ("behov", "nulage", "gap"):
        frame[column] = frame[column].astype(float)
    return frame


def gap_per_avdelning(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> pd.DataFrame:
    """Mean behov, nuläge and gap per avdelning and område in the latest assessment year ≤ year(P)."""
    return _gap(con, period, scope, per_enhet=False)


def gap_per_enhet(
    con: duckdb.DuckDBPyConnection,
    period: dt.date,
    scope: Scope,
    avdelning: str,
    forvaltning: str | None = None,
) -> pd.DataFrame:
    """The same per enhet within one avdelning of the scope (of one förvaltning when given, since
    avdelningar of different förvaltningar may share a name)."""
    forvaltningar = (forvaltning,) if forvaltning else scope.forvaltning
    narrowed = Scope(forvaltningar, (avdelning,), scope.enhet)
    return _gap(con, period, narrowed, per_enhet=True)


def avdelningar(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """The (förvaltning, avdelning) pairs of a gap frame, for the drill to enhet."""
    if frame.empty:
        return []
    pairs = frame[["forvaltning", "avdelning"]].drop_duplicates()
    return sorted(pairs.itertuples(index=False, name=None), key=lambda p: (p[1], p[0]))


def avdelning_label(pair: tuple[str, str], pairs: list[tuple[str, str]]) -> str:
    """An avdelning's name, with its förvaltning when another förvaltning has one of the same name."""
    forvaltning, avdelning = pair
    same_name = sum(1 for _, a in pairs if a == avdelning)
    return f"{avdelning} ({forvaltning})" if same_name > 1 else avdelning


# More columns than this and the heatmap's cells carry no figures (hover shows them).
MANY_COLUMNS = 15


def many_columns(frame: pd.DataFrame, niva: str) -> bool:
    """Whether figure_gap_heatmap draws this frame with figures in the hover text only."""
    return not frame.empty and frame[niva].nunique() > MANY_COLUMNS


def _pension_per_forvaltning(pension: pd.DataFrame) -> pd.DataFrame:
    """A pension_inom_tre_ar frame summed per förvaltning, with the share recomputed from the sums."""
    sums = pension.groupby("forvaltning", as_index=False)[["antal_tillsvidare", "inom_tre_ar"]].sum()
    sums["andel_pct"] = [
        share(i, n) for i, n in zip(sums["inom_tre_ar"], sums["antal_tillsvidare"], strict=True)
    ]
    return sums


def pension_per(pension: pd.DataFrame, gap_frame: pd.DataFrame) -> pd.DataFrame:
    """A pension_inom_tre_ar frame at the heatmap's level (heatmap_per of gap_frame): summed per
    förvaltning, or per avdelning named as the heatmap names it."""
    _, niva = heatmap_per(gap_frame)
    if niva == "forvaltning" or (gap_frame.empty and analys.per_forvaltning_instead(pension)):
        sums = _pension_per_forvaltning(pension)
        sums["avdelning"] = [charts.short_org_name(f) for f in sums["forvaltning"]]
        return sums[["forvaltning", "avdelning", "antal_tillsvidare", "inom_tre_ar", "andel_pct"]]
    pairs = list(zip(pension["forvaltning"], pension["avdelning"], strict=True))
    out = pension.copy()
    out["avdelning"] = [avdelning_label(p, pairs) for p in pairs]
    return out


def heatmap_per(frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The frame the overview heatmap shows and its level: per avdelning, or per förvaltning when the
    scope spans several förvaltningar with more avdelningar than a heatmap can show legibly (a whole
    city, analys.per_forvaltning_instead).

    Per förvaltning, behov, nuläge and gap are the means over all assessment rows of the
    förvaltning (weighted by bedömningar), as the avdelning's values are over its rows. Per avdelning,
    an avdelning whose name recurs in another förvaltning is labelled 'Avdelning (Förvaltning)'."""
    if frame.empty:
        return frame, "avdelning"
    if not analys.per_forvaltning_instead(frame):
        pairs = avdelningar(frame)
        labels = {p: avdelning_label(p, pairs) for p in pairs}
        out = frame.copy()
        out["avdelning_namn"] = frame["avdelning"]
        out["avdelning"] = [labels[p] for p in zip(frame["forvaltning"], frame["avdelning"], strict=True)]
        return out, "avdelning"
    weighted = frame.assign(**{c: frame[c] * frame["bedomningar"] for c in ("behov", "nulage", "gap")})
    out = weighted.groupby(["ar", "forvaltning", "kategori", "omrade"], as_index=False)[
        ["behov", "nulage", "gap", "bedomningar"]
    ].sum()
    for column in ("behov", "nulage", "gap"):
        out[column] = out[column] / out["bedomningar"]
    return out, "forvaltning"


def assessment_year(frame: pd.DataFrame) -> int | None:
    """The assessment year a gap frame shows, None when it is empty."""
    return None if frame.empty else int(frame["ar"].iloc[0])


def _order(frame: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """Kategorier in order ('Övrigt' last) with their områden in order."""
    kategorier = sorted(frame["kategori"].unique(), key=lambda k: (k == OVRIGT, k))
    return [(k, sorted(frame.loc[frame["kategori"] == k, "omrade"].unique())) for k in kategorier]


def figure_gap_heatmap(
    frame: pd.DataFrame,
    scope_text: str,
    niva: str = "avdelning",
    pension: pd.DataFrame | None = None,
    aktiviteter: pd.DataFrame | None = None,
) -> go.Figure:
    """Heatmap of mean gap: områden as rows grouped by kategori, avdelningar (or enheter) as columns.

    With pension (a pension_inom_tre_ar frame) each avdelning's share reaching pensionsålder within
    three years is written under its name; with aktiviteter (an aktiviteter_per_omrade frame) each
    område's number of plan activities is written at the right of its row."""
    if niva == "avdelning" and "avdelning_namn" not in frame:
        frame, niva = heatmap_per(frame)
    year = assessment_year(frame)
    what = {"avdelning": "avdelning", "forvaltning": "förvaltning"}.get(niva, "enhet")
    heading = f"Kompetensgap (behov − nuläge) per område och {what} – {scope_text}, bedömning {year}"
    if frame.empty:
        return empty(
            "Det finns ingen kompetensbedömning för urvalet t.o.m. periodens år.",
            f"Kompetensgap – {scope_text}",
        )
    groups = _order(frame)
    units = sorted(frame[niva].unique(), key=lambda u: (u == HELA_AVDELNINGEN, u))
    limit = max(1.0, float(frame["gap"].abs().max()))
    rows = len(groups)
    heights = [len(omraden) for _, omraden in groups]
    # 34 px per row, 40 px between kategorier for their headings, 140 px of title and axis margins.
    height = max(320, 140 + 34 * sum(heights) + 40 * (rows - 1))
    spacing = min(40 / (height - 140), 1 / max(rows - 1, 1)) if rows > 1 else 0
    titled = rows > 1 or groups[0][0] != OVRIGT
    layout = _subplot_layout(heights, spacing, [k for k, _ in groups] if titled else None)
    # Past MANY_COLUMNS (a city's förvaltningar) the cells carry no figures and the columns' pension
    # shares move from under the names into the hover text; names are written at a slant.
    many = many_columns(frame, niva)
    shares = _pension_shares(pension, frame, niva) if pension is not None and niva != "enhet" else {}
    column_notes = (
        {u: f"<br>Pension inom tre år: {procent(shares.get(u))}" for u in units} if many and shares else {}
    )
    counts = (
        dict(zip(aktiviteter["omrade"], aktiviteter["antal_aktiviteter"], strict=True))
        if aktiviteter is not None
        else {}
    )
    # One lookup of every cell: (kategori, område, column) → (gap, behov, nuläge).
    cells = {
        (k, o, u): (g, b, n)
        for k, o, u, g, b, n in zip(
            frame["kategori"],
            frame["omrade"],
            frame[niva],
            frame["gap"],
            frame["behov"],
            frame["nulage"],
            strict=True,
        )
    }
    none = (None, None, None)
    traces, notes = [], []
    for i, (kategori, omraden) in enumerate(groups, start=1):
        z, text, custom = [], [], []
        for omrade in omraden:
            row = [cells.get((kategori, omrade, u), none) for u in units]
            z.append([gap for gap, _, _ in row])
            text.append(["" if many or pd.isna(gap) else tal(gap, 1) for gap, _, _ in row])
            custom.append(
                [
                    [_num(behov), _num(nulage), column_notes.get(u, "")]
                    for u, (_, behov, nulage) in zip(units, row, strict=True)
                ]
            )
        suffix = str(i) if i > 1 else ""
        traces.append(
            {
                "type": "heatmap",
                "z": z,
                "x": units,
                "y": omraden,
                "text": text,
                "texttemplate": "%{text}",
                "customdata": custom,
                "coloraxis": "coloraxis",
                "xgap": 2,
                "ygap": 2,
                "hovertemplate": (
                    f"<b>%{{y}}</b> ({kategori})<br>%{{x}}<br>Gap %{{z:.1f}}: behov %{{customdata[0]}}, "
                    "nuläge %{customdata[1]}%{customdata[2]}<extra></extra>"
                ),
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
            }
        )
        layout[f"yaxis{suffix}"]["autorange"] = "reversed"
        if aktiviteter is not None:
            for omrade in omraden:
                notes.append(
                    {
                        "text": f"{tal(counts.get(omrade, 0))} akt.",
                        "x": 1.005,
                        "xref": "paper",
                        "xanchor": "left",
                        "y": omrade,
                        "yref": f"y{suffix}",
                        "showarrow": False,
                        "font": {
                            "size": 12,
                            "color": "#333" if counts.get(omrade, 0) else SAKNAR_AKTIVITET_COLOR,
                        },
                    }
                )
    layout["annotations"] = [*layout.get("annotations", ()), *notes]
    kategorier = {k for k, _ in groups}
    for annotation in layout["annotations"]:
        if annotation.get("text") in kategorier:
            charts.merge(annotation, {"x": 0, "xanchor": "left", "font": {"size": 13, "color": "#333"}})
    x_axes = {"side": "bottom", "showgrid": False, "tickangle": 0}
    if many:
        x_axes.update(tickvals=units, ticktext=[charts.short_org_name(u) for u in units], tickangle=-45)
    elif pension is not None and niva != "enhet":
        x_axes.update(
            tickvals=units,
            ticktext=[
                f"{charts.wrap_label(u)}<br><span style='font-size:11px;color:#555'>Pension: {procent(shares.get(u))}</span>"
                for u in units
            ],
        )
    else:
        x_axes.update(tickvals=units, ticktext=[charts.wrap_label(u, 18) for u in units])
    for key, axis in layout.items():
        if key.startswith("xaxis"):
            charts.merge(axis, x_axes)
        elif key.startswith("yaxis"):
            charts.merge(axis, {"showgrid": False, "rangemode": None})
    charts.merge(
        layout,
        {
            "coloraxis": {
                "colorscale": GAP_COLORSCALE,
                "cmin": -limit,
                "cmax": limit,
                "colorbar": {"title": {"text": "Gap"}, "thickness": 14},
            },
            "margin": {"l": 230, "r": 20, "t": 80, "b": 60},
        },
    )
    if many:
        charts.merge(layout, {"margin": {"b": 130}})
        height += 70
    if aktiviteter is not None:
        layout["annotations"].append(
            {
                "text": "<b>Planen</b>",
                "x": 1.005,
                "xref": "paper",
                "xanchor": "left",
                "y": 1.0,
                "yref": "paper",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12, "color": "#333"},
            }
        )
        charts.merge(layout, {"margin": {"r": 70}, "coloraxis": {"colorbar": {"x": 1.09}}})
    return charts.figure(traces, heading, height=height, legend=False, layout=layout)


def _subplot_layout(heights: list[int], spacing: float, titles: list[str] | None) -> dict:
    """The layout make_subplots(rows=len(heights), cols=1, shared_xaxes=True, row_heights=heights,
    vertical_spacing=spacing, subplot_titles=titles) starts from, computed as it computes it (the
    same floating-point steps, so the domains are the same numbers)."""
    rows = len(heights)
    total = float(sum(heights))
    # make_subplots starts at the top left: heights are laid out from the bottom up.
    shares = list(reversed([(1.0 - spacing * (rows - 1)) * (h / total) for h in heights]))
    starts = [sum(shares[:r]) + r * spacing for r in range(rows)][::-1]
    layout, title_notes = {}, []
    for r in range(rows):
        y_s, y_e = starts[r] + 0.0, starts[r] + shares[-1 - r] - 0.0
        y_s = _clip(y_s)
        y_e = _clip(y_e)
        suffix = str(r + 1) if r else ""
        layout[f"xaxis{suffix}"] = {"anchor": f"y{suffix}", "domain": [0.0, 1.0]}
        layout[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "domain": [y_s, y_e]}
        if r < rows - 1:
            layout[f"xaxis{suffix}"].update(matches=f"x{rows}", showticklabels=False)
        if titles and titles[r]:
            title_notes.append(
                {
                    "y": y_e,
                    "xref": "paper",
                    "x": 0.5,
                    "yref": "paper",
                    "text": titles[r],
                    "showarrow": False,
                    "font": {"size": 16},
                    "xanchor": "center",
                    "yanchor": "bottom",
                }
            )
    if title_notes:
        layout["annotations"] = title_notes
    return layout


def _clip(value: float) -> float:
    """make_subplots' rounding of a domain end a hair outside [0, 1]."""
    if -0.01 < value < 0.0:
        return 0.0
    if 1.0 < value < 1.01:
        return 1.0
    return value


def _pension_shares(pension: pd.DataFrame, frame: pd.DataFrame, niva: str) -> dict[str, float | None]:
    """Pension share per heatmap column: per förvaltning summed over its avdelningar, per avdelning
    under the heatmap's label for it ('Avdelning (Förvaltning)' where names recur)."""
    if niva == "forvaltning":
        sums = _pension_per_forvaltning(pension)
        return dict(zip(sums["forvaltning"], sums["andel_pct"], strict=True))
    names = frame["avdelning_namn"] if "avdelning_namn" in frame else frame["avdelning"]
    labels = dict(zip(zip(frame["forvaltning"], names, strict=True), frame["avdelning"], strict=True))
    pairs = zip(pension["forvaltning"], pension["avdelning"], strict=True)
    return {labels[p]: share for p, share in zip(pairs, pension["andel_pct"], strict=True) if p in labels}


def _num(value) -> str:
    return "" if value is None or pd.isna(value) else tal(value, 1)


def tabell_gap(frame: pd.DataFrame, niva: str = "avdelning", formatted: bool = False) -> pd.DataFrame:
    """The heatmap's cells as a table: kategori, område, unit, behov, nuläge, gap, bedömningar."""
    unit = Column(niva, {"avdelning": "Avdelning", "forvaltning": "Förvaltning"}.get(niva, "Enhet"))
    return table(
        frame,
        (
            Column("ar", "År"),
            Column("kategori", "Kategori"),
            Column("omrade", "Område"),
            unit,
            Column("behov", "Behov", "decimal"),
            Column("nulage", "Nuläge", "decimal"),
            Column("gap", "Gap", "decimal"),
            Column("bedomningar", "Bedömningar", "antal"),
        ),
        formatted,
    )


# --- Pension risk beside the gaps ----------------------------------------------------------


def pension_inom_tre_ar(
    con: duckdb.DuckDBPyConnection,
    period: dt.date,
    scope: Scope,
    pensionsalder: int = rorlighet.DEFAULT_PENSIONSALDER,
) -> pd.DataFrame:
    """Per avdelning: tillsvidare at P, those at or reaching pensionsålder within three years and their share."""
    frame = rorlighet.pension_per_avdelning(con, period, scope, pensionsalder)
    return frame[["forvaltning", "avdelning", "antal_tillsvidare", "inom_tre_ar", "andel_pct"]]


def figure_pension_andel(
    frame: pd.DataFrame,
    scope_text: str,
    period: dt.date,
    pensionsalder: int,
    colors: dict[str, str],
    narrow: bool = False,
) -> go.Figure:
    """Horizontal bars per avdelning: share of tillsvidare at or reaching pensionsålder within three years."""
    last = period.year + 3
    heading = f"Andel som når {pensionsalder} år t.o.m. {last} –{'<br>' if narrow else ' '}{scope_text}"
    if frame.empty:
        return empty("Urvalet har inga tillsvidareanställda i perioden.", heading)
    bar = {
        "type": "bar",
        "y": frame["avdelning"],
        "x": frame["andel_pct"],
        "orientation": "h",
        "marker": {"color": [colors.get(a, charts.NEUTRAL_COLOR) for a in frame["avdelning"]]},
        "text": [tal(v, 1) + " %" for v in frame["andel_pct"]],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": list(zip(frame["inom_tre_ar"], frame["antal_tillsvidare"], strict=True)),
        "hovertemplate": (
            "<b>%{y}</b>: %{x:.1f} %<br>%{customdata[0]:,.0f} av %{customdata[1]:,.0f} "
            "tillsvidareanställda<extra></extra>"
        ),
    }
    return analys.figure(
        [bar],
        heading,
        x_title="Procent av tillsvidareanställda",
        legend=False,
        height=max(240, 100 + 34 * len(frame)),
        layout={
            "xaxis": {"ticksuffix": " %", "rangemode": "tozero"},
            "yaxis": {"autorange": "reversed", "rangemode": None},
            "margin": {"l": 150, "r": 60},
        },
    )


def tabell_pension_andel(frame: pd.DataFrame, period: dt.date, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_pension_andel."""
    return table(
        frame,
        (
            Column("forvaltning", "Förvaltning"),
            Column("avdelning", "Avdelning"),
            Column("antal_tillsvidare", "Tillsvidare", "antal"),
            Column("inom_tre_ar", f"Redan uppnått eller t.o.m. {period.year + 3}", "antal"),
            Column("andel_pct", "Andel", "procent"),
        ),
        formatted,
    )


# --- Plan activities per område ------------------------------------------------------------


def aktiviteter_per_omrade(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> pd.DataFrame:
    """Per område of the scope's latest assessment: the scope's mean gap and the number of plan
    activities (aktiviteter.kompetensomrade) linked to it; activities outside the assessment are listed too."""
    return per_omrade(
        gap_per_avdelning(con, period, scope), aktiviteter_per_kompetensomrade(con, period, scope)
    )


def aktiviteter_per_kompetensomrade(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope
) -> dict[str, int]:
    """The number of the scope's plan activities per kompetensomrade (none without the table); the
    plan is the current one whatever the period (taken for the pages' (con, period, scope) calls)."""
    counts: dict[str, int] = {}
    if has_table(con, "aktiviteter"):
        plan = run(con, "aktiviteter_i_scope", scope)
        for omrade in plan["kompetensomrade"].dropna():
            counts[omrade] = counts.get(omrade, 0) + 1
    return counts


def per_omrade(gap: pd.DataFrame, counts: dict[str, int]) -> pd.DataFrame:
    """aktiviteter_per_omrade from a gap_per_avdelning frame and the activities per område (so a
    page that has the gap frame does not read it again)."""
    rows: dict[str, dict] = {}
    for omrade, kategori, value, n in zip(
        gap["omrade"].tolist(),
        gap["kategori"].tolist(),
        gap["gap"].tolist(),
        gap["bedomningar"].tolist(),
        strict=True,
    ):
        row = rows.setdefault(omrade, {"kategori": kategori, "omrade": omrade, "summa": 0.0, "antal": 0})
        row["summa"] += float(value) * int(n)
        row["antal"] += int(n)
    out = [
        {
            "kategori": r["kategori"],
            "omrade": omrade,
            "gap": r["summa"] / r["antal"] if r["antal"] else None,
            "antal_aktiviteter": counts.get(omrade, 0),
        }
        for omrade, r in rows.items()
    ]
    out += [
        {"kategori": OVRIGT, "omrade": omrade, "gap": None, "antal_aktiviteter": n}
        for omrade, n in counts.items()
        if omrade not in rows
    ]
    frame = pd.DataFrame(out, columns=["kategori", "omrade", "gap", "antal_aktiviteter"])
    frame["gap"] = frame["gap"].astype(float)
    return frame.sort_values(["gap", "omrade"], ascending=[False, True], na_position="last").reset_index(
        drop=True
    )


def figure_gap_och_aktiviteter(frame: pd.DataFrame, scope_text: str, narrow: bool = False) -> go.Figure:
    """Bars of the scope's mean gap per område, coloured by whether the plan has an activity for it."""
    heading = f"Kompetensgap och planens aktiviteter per område –{'<br>' if narrow else ' '}{scope_text}"
    shown = frame[frame["gap"].notna()]
    if shown.empty:
        return empty("Det finns ingen kompetensbedömning för urvalet.", heading)
    traces = []
    for has, label, color in (
        (True, "Har aktivitet i planen", HAR_AKTIVITET_COLOR),
        (False, "Saknar aktivitet i planen", SAKNAR_AKTIVITET_COLOR),
    ):
        part = shown[(shown["antal_aktiviteter"] > 0) == has]
        if part.empty:
            continue
        traces.append(
            {
                "type": "bar",
                "y": part["omrade"],
                "x": part["gap"],
                "orientation": "h",
                "name": label,
                "marker": {"color": color},
                "text": [
                    f"{tal(g, 1)} · {tal(n)} akt."
                    for g, n in zip(part["gap"], part["antal_aktiviteter"], strict=True)
                ],
                "textposition": "outside",
                "cliponaxis": False,
                "customdata": part["antal_aktiviteter"],
                "hovertemplate": (
                    "<b>%{y}</b><br>Gap %{x:.1f}; %{customdata:,.0f} aktiviteter i planen<extra></extra>"
                ),
            }
        )
    return analys.figure(
        traces,
        heading,
        legend_bottom=100,
        x_title="Genomsnittligt gap (behov − nuläge)",
        height=max(280, 120 + 28 * len(shown)),
        layout={
            "yaxis": {
                "categoryorder": "array",
                "categoryarray": list(shown["omrade"]),
                "autorange": "reversed",
                "rangemode": None,
            },
            "xaxis": {"rangemode": "tozero"},
            "margin": {"l": 230, "r": 90},
            "barmode": "overlay",
        },
    )


def tabell_aktiviteter_per_omrade(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_gap_och_aktiviteter."""
    return table(
        frame,
        (
            Column("kategori", "Kategori"),
            Column("omrade", "Område"),
            Column("gap", "Genomsnittligt gap", "decimal"),
            Column("antal_aktiviteter", "Aktiviteter i planen", "antal"),
        ),
        formatted,
    )
