"""The Heltid page's figures: heltidsanställda (Kolada N00206) and heltidsarbetande (N00209).

Heltidsanställd = månadsavlönad (tillsvidare or tidsbegränsad) with sysselsattningsgrad 100;
deltid = sysselsattningsgrad under 100; heltidsarbetande = faktisk_sysselsattningsgrad 100 among
those whose extract row has the column filled, exactly as the contract's key figures.

Frames come from (con, period, scope) and carry code column names; `figure_*` builds the
Plotly chart from such a frame and `tabell_*` the table shown under it. No Streamlit here: the
printed nämnd report reuses the same builders.

Disclosure (see kfp_metrics.analys): whether a person works full time is a term of their
employment, so every share of heltid — and the heltid and deltid counts beside it — is withheld
for groups of fewer than MIN_GRUPP (5) månadsavlönade, with secondary suppression across the
parts of a breakdown (kön, åldersgrupp, avdelning) whose total is shown.
"""

from __future__ import annotations

import datetime as dt
import functools

import duckdb
import pandas as pd
import plotly.graph_objects as go

from kfp_metrics import charts, suppression
from kfp_metrics.analys import (
    ALDERSGRUPPER_10,
    MIN_GRUPP,
    Column,
    band_labels,
    band_of,
    empty,
    figure,
    per_forvaltning_instead,
    share,
    table,
    title,
    unit_names,
    withheld,
)
from kfp_metrics.extracts import has_column
from kfp_metrics.format import SUPPRESSED, forandring, procent, tal
from kfp_metrics.personal import Kpi, steady
from kfp_metrics.queries import Scope, run

GRUPPER = {"totalt": "Totalt", "kvinnor": "Kvinnor", "man": "Män"}
GRUPP_COLORS = {
    "totalt": "#0072B2",
    "kvinnor": "#CC79A7",
    "man": "#009E73",
    "heltidsanstallda": "#0072B2",
    "heltidsarbetande": "#E69F00",
}
MATT = {"heltidsanstallda": "Heltidsanställda", "heltidsarbetande": "Heltidsarbetande"}


def has_faktisk(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the extracts have faktisk_sysselsattningsgrad (needed for heltidsarbetande)."""
    return has_column(con, "anstallningar", "faktisk_sysselsattningsgrad")


# --- KPI row -------------------------------------------------------------------------------


def kpis(
    now: dict, before: dict | None, targets: dict[str, float], faktisk: bool, per_manad: pd.DataFrame
) -> list[Kpi]:
    """The Heltid page's headline figures: the contract's key figures for the scope, and the
    per-kön shares at P from heltid_per_manad (so they are withheld exactly as in its chart)."""
    p = now["personal"]
    small = 0 < p["antal_manadsavlonade"] < MIN_GRUPP
    at_p = per_manad[pd.to_datetime(per_manad["period"]) == pd.Timestamp(now["period"] + "-01")]
    kon_hidden = {r.grupp for r in at_p.itertuples() if r.undertryckt}

    def value(metric: str, hidden: bool) -> str:
        return SUPPRESSED if hidden else procent(p[metric])

    def delta(metric: str, hidden: bool) -> str | None:
        if hidden or before is None or p[metric] is None or before["personal"][metric] is None:
            return None
        return f"{forandring(p[metric] - before['personal'][metric], 1)} %-enheter"

    since = " Förändringen jämförs med samma månad förra året."
    target = targets.get("heltid_andel_pct")
    result = [
        Kpi(
            "Heltidsanställda",
            value("heltid_andel_pct", small),
            delta("heltid_andel_pct", small),
            "Andel månadsavlönade med sysselsättningsgrad 100 % (Kolada N00206)."
            + (f" Mål: {procent(target)}." if target is not None else "")
            + since,
            color="normal",
            metric_id="heltid_andel_pct",
        ),
        Kpi(
            "Deltidsanställda",
            SUPPRESSED if small else tal(p["antal_deltid"]),
            help="Antal månadsavlönade med sysselsättningsgrad under 100 %.",
        ),
    ]
    for grupp, metric, label in (
        ("kvinnor", "heltid_andel_kvinnor_pct", "Heltid, kvinnor"),
        ("man", "heltid_andel_man_pct", "Heltid, män"),
    ):
        hidden = small or grupp in kon_hidden
        result.append(
            Kpi(
                label,
                value(metric, hidden),
                delta(metric, hidden),
                "Andel heltidsanställda." + since,
                color="normal",
                metric_id=metric,
            )
        )
    if faktisk:
        result.append(
            Kpi(
                "Heltidsarbetande",
                value("heltidsarbetande_andel_pct", small),
                delta("heltidsarbetande_andel_pct", small),
                "Andel månadsavlönade som faktiskt arbetar 100 % efter partiella ledigheter (Kolada N00209)."
                + since,
                color="normal",
                metric_id="heltidsarbetande_andel_pct",
            )
        )
    return steady(result)


# --- Over time -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _monthly(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, fran: dt.date | None
) -> pd.DataFrame:
    """The monthly counts behind heltid_per_manad, deltid_per_manad and heltidsarbetande_per_manad:
    one query for the three (a scan of every month of anstallningar); callers only read it."""
    return run(con, "heltid_per_manad", scope, fran=fran or dt.date(1900, 1, 1), till=period)


def heltid_per_manad(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, fran: dt.date | None = None
) -> pd.DataFrame:
    """Andel heltidsanställda per month (fran … P) in total and per kön, long form, withheld under 5."""
    raw = _monthly(con, period, scope, fran)
    rows = []
    for r in raw.itertuples(index=False):
        parts = {"kvinnor": (int(r.kvinnor), int(r.heltid_kvinnor)), "man": (int(r.man), int(r.heltid_man))}
        hidden = withheld({k: n for k, (n, _) in parts.items()})
        small_total = 0 < r.manadsavlonade < MIN_GRUPP
        groups = {"totalt": (int(r.manadsavlonade), int(r.heltid)), **parts}
        for grupp, (bas, heltid) in groups.items():
            hide = small_total or grupp in hidden
            rows.append(
                {
                    "period": r.period,
                    "grupp": grupp,
                    "grupp_namn": GRUPPER[grupp],
                    "manadsavlonade": bas,
                    "heltid": None if hide else heltid,
                    "andel_pct": None if hide else share(heltid, bas),
                    "undertryckt": hide,
                }
            )
    frame = pd.DataFrame(
        rows,
        columns=["period", "grupp", "grupp_namn", "manadsavlonade", "heltid", "andel_pct", "undertryckt"],
    )
    frame["andel_pct"] = frame["andel_pct"].astype(float)
    return frame


def figure_heltid_per_manad(
    frame: pd.DataFrame, scope_text: str, period: dt.date, target: float | None = None
) -> go.Figure:
    """Lines of andel heltidsanställda per month, total and per kön, with the target line."""
    heading = title("Andel heltidsanställda bland månadsavlönade", scope_text, period, through=True)
    if frame.empty or frame["andel_pct"].isna().all():
        message = (
            f"Andelen visas inte för färre än {MIN_GRUPP} månadsavlönade."
            if len(frame) and frame["undertryckt"].any()
            else "Urvalet har inga månadsavlönade under perioden."
        )
        return empty(message, heading)
    traces = []
    for grupp, label in GRUPPER.items():
        part = frame[frame["grupp"] == grupp]
        if part["andel_pct"].isna().all():
            continue
        traces.append(
            dict(
                type="scatter",
                x=part["period"],
                y=part["andel_pct"],
                name=label,
                mode="lines+markers",
                line={"color": GRUPP_COLORS[grupp], "width": 3 if grupp == "totalt" else 2},
                marker={"size": 5},
                customdata=list(zip(part["heltid"], part["manadsavlonade"], strict=True)),
                hovertemplate=(
                    f"<b>{label}</b>, %{{x|%Y-%m}}: %{{y:.1f}} %<br>%{{customdata[0]:,.0f}} av "
                    "%{customdata[1]:,.0f} månadsavlönade<extra></extra>"
                ),
            )
        )
    return figure(
        traces,
        heading,
        y_title="Procent",
        percent=True,
        layout={"yaxis": {"range": [0, 105]}},
        target=target,
        month_ticks=True,
    )


def tabell_heltid_per_manad(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_heltid_per_manad."""
    return table(
        frame,
        (
            Column("period", "Månad", "manad"),
            Column("grupp_namn", "Grupp"),
            Column("manadsavlonade", "Månadsavlönade", "antal"),
            Column("heltid", "Heltidsanställda", "antal", sensitive=True),
            Column("andel_pct", "Andel heltid", "procent", sensitive=True),
        ),
        formatted,
    )


def deltid_per_manad(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, fran: dt.date | None = None
) -> pd.DataFrame:
    """Antal deltidsanställda (sysselsättningsgrad under 100) per month, withheld under 5 månadsavlönade."""
    raw = _monthly(con, period, scope, fran)
    frame = raw[["period", "manadsavlonade", "deltid"]].copy()
    frame["undertryckt"] = [0 < n < MIN_GRUPP for n in frame["manadsavlonade"]]
    frame["deltid"] = frame["deltid"].astype(float)
    frame.loc[frame["undertryckt"], "deltid"] = None
    return frame


def figure_deltid_per_manad(
    frame: pd.DataFrame, scope_text: str, period: dt.date, narrow: bool = False
) -> go.Figure:
    """A line of antal deltidsanställda per month."""
    heading = title("Antal deltidsanställda månadsavlönade", scope_text, period, through=True, narrow=narrow)
    if frame.empty or frame["manadsavlonade"].sum() == 0:
        return empty("Urvalet har inga månadsavlönade under perioden.", heading)
    if frame["deltid"].isna().all():
        return empty(f"Antalet visas inte för färre än {MIN_GRUPP} månadsavlönade.", heading)
    trace = dict(
        type="scatter",
        x=frame["period"],
        y=frame["deltid"],
        mode="lines+markers",
        line={"color": charts.NEUTRAL_COLOR, "width": 2.5},
        marker={"size": 4},
        fill="tozeroy",
        fillcolor="rgba(0,114,178,0.12)",
        name="Deltid",
        customdata=frame["manadsavlonade"],
        hovertemplate="<b>%{x|%Y-%m}</b>: %{y:,.0f} deltidsanställda av %{customdata:,.0f}<extra></extra>",
    )
    return figure([trace], heading, y_title="Antal personer", legend=False, month_ticks=True)


def tabell_deltid_per_manad(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_deltid_per_manad."""
    return table(
        frame,
        (
            Column("period", "Månad", "manad"),
            Column("manadsavlonade", "Månadsavlönade", "antal"),
            Column("deltid", "Deltidsanställda", "antal", sensitive=True),
        ),
        formatted,
    )


def heltidsarbetande_per_manad(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, fran: dt.date | None = None
) -> pd.DataFrame:
    """Andel heltidsanställda (N00206) and heltidsarbetande (N00209) per month, long form."""
    raw = _monthly(con, period, scope, fran)
    rows = []
    for r in raw.itertuples(index=False):
        hide = 0 < r.manadsavlonade < MIN_GRUPP
        for matt, antal, bas in (
            ("heltidsanstallda", r.heltid, r.manadsavlonade),
            ("heltidsarbetande", r.heltidsarbetande, r.med_faktisk),
        ):
            rows.append(
                {
                    "period": r.period,
                    "matt": matt,
                    "matt_namn": MATT[matt],
                    "bas": int(bas),
                    "antal": None if hide else int(antal),
                    "andel_pct": None if hide else share(antal, bas),
                    "undertryckt": hide,
                }
            )
    frame = pd.DataFrame(
        rows, columns=["period", "matt", "matt_namn", "bas", "antal", "andel_pct", "undertryckt"]
    )
    frame["andel_pct"] = frame["andel_pct"].astype(float)
    return frame


def figure_heltidsarbetande(frame: pd.DataFrame, scope_text: str, period: dt.date) -> go.Figure:
    """Heltidsanställda against heltidsarbetande per month: the gap is partial leave."""
    heading = title("Heltidsanställda och heltidsarbetande", scope_text, period, through=True)
    if frame.empty or frame["bas"].sum() == 0:
        return empty("Urvalet har inga månadsavlönade under perioden.", heading)
    if frame["andel_pct"].isna().all():
        return empty(f"Andelarna visas inte för färre än {MIN_GRUPP} månadsavlönade.", heading)
    traces = []
    for matt, label in MATT.items():
        part = frame[frame["matt"] == matt]
        traces.append(
            dict(
                type="scatter",
                x=part["period"],
                y=part["andel_pct"],
                name=label,
                mode="lines+markers",
                line={"color": GRUPP_COLORS[matt], "width": 2.5},
                marker={"size": 5},
                customdata=list(zip(part["antal"], part["bas"], strict=True)),
                hovertemplate=(
                    f"<b>{label}</b>, %{{x|%Y-%m}}: %{{y:.1f}} %<br>%{{customdata[0]:,.0f}} av "
                    "%{customdata[1]:,.0f} månadsavlönade<extra></extra>"
                ),
            )
        )
    return figure(
        traces,
        heading,
        y_title="Procent",
        percent=True,
        layout={"yaxis": {"range": [0, 105]}},
        month_ticks=True,
    )


def tabell_heltidsarbetande(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_heltidsarbetande."""
    return table(
        frame,
        (
            Column("period", "Månad", "manad"),
            Column("matt_namn", "Mått"),
            Column("bas", "Månadsavlönade", "antal"),
            Column("antal", "Antal", "antal", sensitive=True),
            Column("andel_pct", "Andel", "procent", sensitive=True),
        ),
        formatted,
    )


# --- Per åldersgrupp and avdelning ---------------------------------------------------------


def heltid_per_aldersgrupp(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> pd.DataFrame:
    """Andel heltidsanställda and antal deltid per 10-year åldersgrupp at P, withheld under 5."""
    raw = run(con, "heltid_per_alder", scope, period=period)
    labels = band_labels(ALDERSGRUPPER_10)
    sums = {label: [0, 0, 0] for label in labels}
    for r in raw.itertuples(index=False):
        band = sums[band_of(int(r.alder), ALDERSGRUPPER_10)]
        band[0] += int(r.manadsavlonade)
        band[1] += int(r.heltid)
        band[2] += int(r.deltid)
    hidden = withheld({label: v[0] for label, v in sums.items()})
    rows = []
    for label, (bas, heltid, deltid) in sums.items():
        hide = label in hidden
        rows.append(
            {
                "aldersgrupp": label,
                "manadsavlonade": bas,
                "heltid": None if hide else heltid,
                "deltid": None if hide else deltid,
                "andel_pct": None if hide else share(heltid, bas),
                "undertryckt": hide,
            }
        )
    frame = pd.DataFrame(rows)
    frame["andel_pct"] = frame["andel_pct"].astype(float)
    return frame


def _share_bar(frame: pd.DataFrame, x: pd.Series, colors, label_suffix: str = "") -> dict:
    """Bars of andel heltid; a withheld bar is drawn at 0 with '..' and its hover says why."""
    texts = _bar_texts(frame["andel_pct"], frame["undertryckt"])
    hovers = [
        f"{SUPPRESSED} (färre än {MIN_GRUPP} i gruppen eller dold för att skydda en annan grupp)"
        if hidden
        else f"{tal(andel, 1)} % heltid<br>{tal(deltid)} deltidsanställda av {tal(bas)} månadsavlönade"
        for andel, deltid, bas, hidden in zip(
            frame["andel_pct"], frame["deltid"], frame["manadsavlonade"], frame["undertryckt"], strict=True
        )
    ]
    return dict(
        type="bar",
        x=x,
        y=frame["andel_pct"].fillna(0),
        name="Andel heltid",
        text=texts,
        textposition="outside",
        cliponaxis=False,
        marker={"color": colors},
        customdata=hovers,
        hovertemplate=f"<b>%{{x}}{label_suffix}</b>: %{{customdata}}<extra></extra>",
    )


def _bar_texts(values, hidden) -> list[str]:
    return [
        SUPPRESSED if h else ("" if pd.isna(v) else tal(v, 1) + " %")
        for v, h in zip(values, hidden, strict=True)
    ]


def figure_heltid_per_aldersgrupp(
    frame: pd.DataFrame, scope_text: str, period: dt.date, target: float | None = None, narrow: bool = False
) -> go.Figure:
    """Bars of andel heltidsanställda per åldersgrupp ('..' where withheld)."""
    heading = title("Andel heltidsanställda per åldersgrupp", scope_text, period, narrow=narrow)
    if frame.empty or frame["manadsavlonade"].sum() == 0:
        return empty("Urvalet har inga månadsavlönade i perioden.", heading)
    if frame["andel_pct"].isna().all():
        return empty(
            f"Andelarna visas inte: åldersgrupperna har färre än {MIN_GRUPP} månadsavlönade.",
            heading,
        )
    return figure(
        [_share_bar(frame, frame["aldersgrupp"], charts.NEUTRAL_COLOR, " år")],
        heading,
        x_title="Ålder",
        y_title="Procent",
        percent=True,
        legend=False,
        layout={"yaxis": {"range": [0, 110]}},
        target=target,
    )


def tabell_heltid_per_aldersgrupp(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_heltid_per_aldersgrupp."""
    return table(
        frame,
        (
            Column("aldersgrupp", "Åldersgrupp"),
            Column("manadsavlonade", "Månadsavlönade", "antal"),
            Column("heltid", "Heltid", "antal", sensitive=True),
            Column("deltid", "Deltid", "antal", sensitive=True),
            Column("andel_pct", "Andel heltid", "procent", sensitive=True),
        ),
        formatted,
    )


def heltid_per_avdelning(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> pd.DataFrame:
    """Andel heltidsanställda and heltidsarbetande per avdelning at P, withheld under 5."""
    raw = run(con, "heltid_per_avdelning", scope, period=period)
    faktisk = has_faktisk(con)
    keys = [f"{f}\x1f{a}" for f, a in zip(raw["forvaltning"], raw["avdelning"], strict=True)]
    sizes = dict(zip(keys, raw["manadsavlonade"].astype(int), strict=True))
    hidden = withheld(sizes)
    if raw["forvaltning"].nunique() > 1:
        # Each förvaltning's own total is published too: no lone hidden avdelning within one.
        groups = dict(zip(keys, raw["forvaltning"], strict=True))
        hidden = suppression.secondary_within(sizes, groups, hidden)
    rows = []
    for key, r in zip(keys, raw.itertuples(index=False), strict=True):
        hide = key in hidden
        rows.append(
            {
                "forvaltning": r.forvaltning,
                "avdelning": r.avdelning,
                "manadsavlonade": int(r.manadsavlonade),
                "heltid": None if hide else int(r.heltid),
                "deltid": None if hide else int(r.deltid),
                "andel_pct": None if hide else share(r.heltid, r.manadsavlonade),
                "heltidsarbetande_pct": None
                if hide or not faktisk
                else share(r.heltidsarbetande, r.med_faktisk),
                "undertryckt": hide,
            }
        )
    columns = [
        "forvaltning",
        "avdelning",
        "manadsavlonade",
        "heltid",
        "deltid",
        "andel_pct",
        "heltidsarbetande_pct",
        "undertryckt",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("andel_pct", "heltidsarbetande_pct"):
        frame[column] = frame[column].astype(float)
    return frame


def per_forvaltning(frame: pd.DataFrame) -> pd.DataFrame:
    """A heltid_per_avdelning frame summed per förvaltning ((period, person) is unique, so counts add
    up). A withheld avdelning's counts are not in the frame, so a förvaltning holding one is
    withheld as a whole, as is one under the group minimum."""
    sums = frame.groupby("forvaltning", as_index=False)["manadsavlonade"].sum()
    heltid = frame.assign(h=frame["heltid"].fillna(0), d=frame["deltid"].fillna(0))
    has_hidden = frame.groupby("forvaltning")["undertryckt"].any()
    totals = heltid.groupby("forvaltning")[["h", "d"]].sum()
    rows = []
    for f, bas in zip(sums["forvaltning"], sums["manadsavlonade"], strict=True):
        hide = bool(has_hidden[f]) or int(bas) < MIN_GRUPP
        h, d = int(totals.loc[f, "h"]), int(totals.loc[f, "d"])
        rows.append(
            {
                "forvaltning": f,
                "avdelning": None,
                "manadsavlonade": int(bas),
                "heltid": None if hide else h,
                "deltid": None if hide else d,
                "andel_pct": None if hide else share(h, int(bas)),
                "heltidsarbetande_pct": None,
                "undertryckt": hide,
            }
        )
    out = pd.DataFrame(rows, columns=list(frame.columns))
    out["andel_pct"] = out["andel_pct"].astype(float)
    return out


def figure_heltid_per_avdelning(
    frame: pd.DataFrame, scope_text: str, period: dt.date, colors: dict[str, str], target: float | None = None
) -> go.Figure:
    """Bars of andel heltidsanställda per avdelning in the avdelning's own colour; an avdelning whose
    name recurs in another förvaltning is named 'Avdelning (Förvaltning)', and a scope of several
    förvaltningar with more than analys.MAX_AVDELNINGAR avdelningar is shown per förvaltning."""
    many = per_forvaltning_instead(frame)
    what = "förvaltning" if many else "avdelning"
    heading = title(f"Andel heltidsanställda per {what}", scope_text, period)
    if frame.empty:
        return empty("Urvalet har inga månadsavlönade i perioden.", heading)
    if many:
        frame = per_forvaltning(frame)
        bar_colors = [charts.NEUTRAL_COLOR] * len(frame)
    else:
        bar_colors = [colors.get(a, charts.NEUTRAL_COLOR) for a in frame["avdelning"]]
    labels = list(unit_names(frame, "forvaltning" if many else "avdelning"))
    bar = _share_bar(frame, labels, bar_colors)
    if len(frame) <= 2:
        bar["width"] = 0.35  # one or two avdelningar: no wall-to-wall bar
    return figure(
        [bar],
        heading,
        y_title="Procent",
        percent=True,
        legend=False,
        layout={"yaxis": {"range": [0, 110]}},
        target=target,
    )


def tabell_heltid_per_avdelning(frame: pd.DataFrame, faktisk: bool, formatted: bool = False) -> pd.DataFrame:
    """The table behind figure_heltid_per_avdelning (heltidsarbetande when the extract has it)."""
    columns = [
        Column("forvaltning", "Förvaltning"),
        Column("avdelning", "Avdelning"),
        Column("manadsavlonade", "Månadsavlönade", "antal"),
        Column("heltid", "Heltid", "antal", sensitive=True),
        Column("deltid", "Deltid", "antal", sensitive=True),
        Column("andel_pct", "Andel heltidsanställda", "procent", sensitive=True),
    ]
    if faktisk:
        columns.append(Column("heltidsarbetande_pct", "Andel heltidsarbetande", "procent", sensitive=True))
    return table(frame, columns, formatted)
