"""The Jämställdhet page's and the report's frames, charts and tables (contract section 8).

Frames come from (con, period, scope) with code column names and the pages' suppression applied
(a withheld value is NaN and its `undertryckt` flag True); `figure_*` builds a Plotly chart from
such a frame, `tabell_*` the table shown under it and `beskrivning_*` the one-sentence Swedish
summary printed beside the chart. No Streamlit here: the nämnd report reuses the same builders.

Disclosure, beyond the contract's rule that kfp_metrics.jamstalldhet applies to the JSON: a share
or mean of a kön with fewer than MIN_GRUPP (5) persons is withheld together with the other kön's
(kfp_metrics.analys); the chef share and the kvot with fewer than MIN_GRUPP managers; per
avdelning the same rules, with secondary suppression along both kön and avdelningar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import duckdb
import pandas as pd
import plotly.graph_objects as go

from kfp_metrics import catalog, charts, suppression
from kfp_metrics.analys import MIN_GRUPP, Column, empty, figure, table, title, unit_names
from kfp_metrics.format import MISSING, SUPPRESSED, forandring, manad, procent, procentenheter, tal
from kfp_metrics.jamstalldhet import (
    CHEF_ID,
    KON,
    KVOT_ID,
    PAR,
    ROLLING,
    Underlag,
    has_chef,
    hidden_contract,
    scope_is_empty,
    underlag_at,
    underlag_per_manad,
)
from kfp_metrics.periods import add_months, window_12
from kfp_metrics.queries import Scope, run

MONTHS_SHOWN = 36
KON_COLORS = {"K": "#CC79A7", "M": "#009E73"}
PAR_COLORS = {
    "andel_tillsvidare": "#0072B2",
    "sysselsattningsgrad": "#E69F00",
    "lang_sjukfranvaro": "#D55E00",
    "personalomsattning": "#56B4E9",
}
EJ_I_EXTRAKTEN = (
    "Lön (lönekartläggning) och föräldraledighet finns inte i extrakten och ingår därför inte. "
    "Jämix-indexet är Nyckeltalsinstitutets eget och räknas inte fram här; sidan visar nyckeltalen bakom."
)


def hidden_shown(u: Underlag) -> set[str]:
    """What the page and the report withhold: the contract's rule, and every other share or mean
    of a kön with 1–4 persons together with the other kön's; the chef share (and the kvot) with
    fewer than MIN_GRUPP managers."""
    hidden = hidden_contract(u)
    for par in PAR:
        if par.sjuk:
            continue
        sizes = {kon: u.storlek(par, kon) for kon in KON}
        small = {kon for kon, n in sizes.items() if 0 < n < MIN_GRUPP}
        for kon in suppression.secondary(sizes, small) - {suppression.TOTAL}:
            hidden.add(par.kvinnor if kon == "K" else par.man)
    if 0 < sum(u.chefer.values()) < MIN_GRUPP:
        hidden.update((CHEF_ID, KVOT_ID))
    return hidden


# --- Women beside men, the gap and its change ------------------------------------------------------


def jamforelse(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> pd.DataFrame:
    """One row per figure: women, men, the gap (kvinnor − män) at P and P−12, its change and the
    verdict, with the pages' suppression; the chef share is compared with andel kvinnor."""
    before_p = add_months(period, -12)
    data = underlag_at(con, (period, before_p), scope)
    return _jamforelse(period, data, has_chef(con), _first_period(con))


def _jamforelse(
    period: dt.date, data: Mapping[dt.date, Underlag], chef: bool, first: dt.date | None
) -> pd.DataFrame:
    """jamforelse from the sums of P and P−12, whether there is a chef column and the first month."""
    columns = [
        "matt",
        "namn",
        "enhet",
        "kvinnor",
        "man",
        "skillnad",
        "skillnad_fore",
        "forandring_skillnad",
        "bedomning",
        "undertryckt",
        "jamfort_med",
    ]
    before_p = add_months(period, -12)
    rows = []
    values = {p: data[p].varden(chef) for p in (period, before_p)}
    hidden = {p: hidden_shown(data[p]) for p in (period, before_p)}
    for par in PAR:
        fig = {}
        for p in (period, before_p):
            covered = first is not None and (
                add_months(p, -11) >= first if par.key in ROLLING else p >= first
            )
            shown = covered and not (set(par.ids) & hidden[p])
            fig[p] = (values[p][par.kvinnor], values[p][par.man]) if shown else (None, None)
        k, m = fig[period]
        gap = None if k is None or m is None else k - m
        k0, m0 = fig[before_p]
        gap0 = None if k0 is None or m0 is None else k0 - m0
        rows.append(
            {
                "matt": par.key,
                "namn": par.namn,
                "enhet": "procent",
                "kvinnor": k,
                "man": m,
                "skillnad": gap,
                "skillnad_fore": gap0,
                "forandring_skillnad": None if gap is None or gap0 is None else abs(gap) - abs(gap0),
                "bedomning": catalog.gap_verdict(gap, gap0),
                "undertryckt": bool(set(par.ids) & hidden[period]),
                "jamfort_med": "män",
            }
        )
    chef_rows = []
    for p in (period, before_p):
        covered = first is not None and p >= first
        share = values[p][CHEF_ID] if covered and CHEF_ID not in hidden[p] else None
        chef_rows.append((share, values[p]["andel_kvinnor_pct"] if covered else None))
    (share, women), (share0, women0) = chef_rows
    gap = None if share is None or women is None else share - women
    gap0 = None if share0 is None or women0 is None else share0 - women0
    rows.append(
        {
            "matt": "chefer",
            "namn": "Andel kvinnor bland chefer",
            "enhet": "procent",
            "kvinnor": share,
            "man": women,
            "skillnad": gap,
            "skillnad_fore": gap0,
            "forandring_skillnad": None if gap is None or gap0 is None else abs(gap) - abs(gap0),
            "bedomning": catalog.gap_verdict(gap, gap0),
            "undertryckt": chef and CHEF_ID in hidden[period],
            "jamfort_med": "alla anställda",
        }
    )
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("kvinnor", "man", "skillnad", "skillnad_fore", "forandring_skillnad"):
        frame[column] = frame[column].astype(float)
    return frame


def _first_period(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    perioder = run(con, "perioder", Scope())["period"]
    return pd.Timestamp(perioder.iloc[0]).date() if len(perioder) else None


def verdict_text(code: str | None) -> str:
    """'Skillnaden har minskat' …, or a dash where there is nothing to compare."""
    return catalog.GAP_VERDICTS.get(code or "", "Kan inte jämföras med förra året")


def chef_kvot(frame: pd.DataFrame) -> float | None:
    """lika_chefskarriar_kvot from a jamforelse frame's chef row (None where withheld or missing)."""
    row = frame[frame["matt"] == "chefer"].iloc[0]
    if pd.isna(row["kvinnor"]) or pd.isna(row["man"]) or row["man"] == 0:
        return None
    return float(row["kvinnor"]) / float(row["man"])


TABELL_JAMFORELSE = (
    Column("rad_namn", "Nyckeltal"),
    Column("kvinnor", "Kvinnor", "procent", sensitive=True),
    Column("man", "Män", "procent", sensitive=True),
    Column("skillnad", "Skillnad (p.e.)", "decimal", sensitive=True),
    Column("skillnad_fore", "Ett år tidigare (p.e.)", "decimal"),
    Column("bedomning_text", "Bedömning"),
)


def tabell_jamforelse(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table of women beside men with the gap and the verdict in words."""
    frame = frame.assign(
        bedomning_text=[verdict_text(b) for b in frame["bedomning"]],
        # The chef row compares the share of women among managers (Kvinnor) with that among all (Män).
        rad_namn=[
            f"{n} (mot andelen bland alla anställda)" if m == "chefer" else n
            for n, m in zip(frame["namn"], frame["matt"], strict=True)
        ],
    )
    return table(frame, TABELL_JAMFORELSE, formatted)


def beskrivning_jamforelse(frame: pd.DataFrame) -> str:
    """One sentence naming the gaps that narrowed and those that widened since last year."""
    narrowed = [_lower(n) for n, b in zip(frame["namn"], frame["bedomning"], strict=True) if b == "minskat"]
    widened = [_lower(n) for n, b in zip(frame["namn"], frame["bedomning"], strict=True) if b == "okat"]
    parts = []
    if narrowed:
        parts.append(f"skillnaden har minskat för {_list(narrowed)}")
    if widened:
        parts.append(f"ökat för {_list(widened)}")
    if not parts:
        return "Skillnaderna mellan kvinnor och män kan inte jämföras med förra året, eller är oförändrade."
    text = " och ".join(parts)
    return f"Sedan förra året har {text.replace('skillnaden har ', 'skillnaden ', 1)}."


def _lower(name: str) -> str:
    return name[0].lower() + name[1:] if name else name


def _list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]


def gap_text(value: float | None, hidden: bool = False) -> str:
    """A gap in Swedish form: '+2,0 procentenheter', '..' when withheld, '–' when missing."""
    if hidden:
        return SUPPRESSED
    if value is None or pd.isna(value):
        return MISSING
    return procentenheter(value)


def value_text(value: float | None, hidden: bool = False) -> str:
    """A figure as shown: '93,9 %', '..' when withheld, '–' when missing."""
    if hidden:
        return SUPPRESSED
    return procent(value)


# --- Over time ------------------------------------------------------------------------------------


def per_manad(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, months: int = MONTHS_SHOWN
) -> pd.DataFrame:
    """For each of up to `months` months ending P within the extracts: women, men and the gap of
    each figure (long form), the chef share against andel kvinnor; 12-month figures only where the
    whole window lies in the extracts. Withheld values are NaN with undertryckt True."""
    first = _first_period(con)
    if first is None or first > period:
        return pd.DataFrame(columns=_PER_MANAD_KOLUMNER)
    fran = max(add_months(period, -(months - 1)), first)
    return _per_manad(underlag_per_manad(con, fran, period, scope), has_chef(con), first)


_PER_MANAD_KOLUMNER = ["period", "matt", "namn", "kvinnor", "man", "skillnad", "undertryckt"]


def _per_manad(data: Mapping[dt.date, Underlag], chef: bool, first: dt.date) -> pd.DataFrame:
    """per_manad from the sums of its months."""
    columns = _PER_MANAD_KOLUMNER
    rows = []
    for month, u in data.items():
        values, hidden = u.varden(chef), hidden_shown(u)
        for par in PAR:
            if par.key in ROLLING and add_months(month, -11) < first:
                continue
            hide = bool(set(par.ids) & hidden)
            k, m = (None, None) if hide else (values[par.kvinnor], values[par.man])
            rows.append(
                {
                    "period": month,
                    "matt": par.key,
                    "namn": par.namn,
                    "kvinnor": k,
                    "man": m,
                    "skillnad": None if k is None or m is None else k - m,
                    "undertryckt": hide,
                }
            )
        if chef:
            hide = CHEF_ID in hidden
            share = None if hide else values[CHEF_ID]
            women = values["andel_kvinnor_pct"]
            rows.append(
                {
                    "period": month,
                    "matt": "chefer",
                    "namn": "Andel kvinnor bland chefer",
                    "kvinnor": share,
                    "man": women,
                    "skillnad": None if share is None or women is None else share - women,
                    "undertryckt": hide,
                }
            )
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("kvinnor", "man", "skillnad"):
        frame[column] = frame[column].astype(float)
    return frame


def figure_skillnad_per_manad(frame: pd.DataFrame, scope_text: str, period: dt.date) -> go.Figure:
    """Lines of the gap kvinnor − män per month for each figure, with equality (0) marked."""
    heading = title("Skillnad mellan kvinnor och män", scope_text, period, through=True)
    part = frame[frame["matt"] != "chefer"] if len(frame) else frame
    if part.empty or part["skillnad"].isna().all():
        message = (
            "Skillnaderna visas inte: grupperna är för små."
            if len(part) and part["undertryckt"].any()
            else "Urvalet har inga månadsavlönade under perioden."
        )
        return empty(message, heading)
    traces = []
    by_matt = dict(tuple(part.groupby("matt", sort=False)))
    for par in PAR:
        rows = by_matt.get(par.key)
        if rows is None or rows["skillnad"].isna().all():
            continue
        traces.append(
            {
                "type": "scatter",
                "x": [pd.Timestamp(p) for p in rows["period"]],
                "y": [None if pd.isna(v) else v for v in rows["skillnad"]],
                "name": par.namn,
                "mode": "lines+markers",
                "line": {"color": PAR_COLORS[par.key], "width": 2.5},
                "marker": {"size": 5},
                "customdata": [
                    [procent(k), procent(m)] for k, m in zip(rows["kvinnor"], rows["man"], strict=True)
                ],
                "hovertemplate": (
                    f"<b>{par.namn}</b>, %{{x|%Y-%m}}<br>Kvinnor %{{customdata[0]}}, män %{{customdata[1]}}"
                    "<br>Skillnad %{y:.1f} procentenheter<extra></extra>"
                ),
            }
        )
    equality = {
        "type": "line",
        "line": {"color": "#333", "width": 1},
        "x0": 0,
        "x1": 1,
        "xref": "x domain",
        "y0": 0,
        "y1": 0,
        "yref": "y",
    }
    return figure(
        traces,
        heading,
        legend_bottom=90,
        y_title="Kvinnor − män (procentenheter)",
        month_ticks=True,
        layout={"shapes": [equality]},
    )


def figure_chefer_per_manad(frame: pd.DataFrame, scope_text: str, period: dt.date) -> go.Figure:
    """Andel kvinnor bland chefer against andel kvinnor bland alla månadsavlönade, per month."""
    heading = title("Andel kvinnor bland chefer och bland alla anställda", scope_text, period, through=True)
    part = frame[frame["matt"] == "chefer"] if len(frame) else frame
    if part.empty:
        return empty("Extrakten saknar uppgift om vilka som är chefer.", heading)
    if part["man"].isna().all():
        return empty("Urvalet har inga månadsavlönade under perioden.", heading)
    x = [pd.Timestamp(p) for p in part["period"]]
    traces = [
        {
            "type": "scatter",
            "x": x,
            "y": [None if pd.isna(v) else v for v in part[column]],
            "name": name,
            "mode": "lines+markers",
            "line": {"color": color, "width": 2.5, "dash": dash},
            "marker": {"size": 5},
            "hovertemplate": f"<b>{name}</b>, %{{x|%Y-%m}}: %{{y:.1f}} % kvinnor<extra></extra>",
        }
        for column, name, color, dash in (
            ("man", "Alla månadsavlönade", charts.NEUTRAL_COLOR, "solid"),
            ("kvinnor", "Chefer", KON_COLORS["K"], "dot"),
        )
    ]
    return figure(
        traces,
        heading,
        y_title="Andel kvinnor (procent)",
        percent=True,
        layout={"yaxis": {"range": [0, 105]}},
        month_ticks=True,
    )


def beskrivning_skillnad_per_manad(frame: pd.DataFrame, period: dt.date) -> str:
    """One sentence on the gap lines: each figure's gap in the first and the last month shown."""
    part = frame[(frame["matt"] != "chefer")].dropna(subset=["skillnad"]) if len(frame) else frame
    if part.empty:
        return "Diagrammet har inga värden att visa för urvalet."
    bits = []
    for par in PAR:
        rows = part[part["matt"] == par.key]
        if rows.empty:
            continue
        start, end = rows.iloc[0], rows.iloc[-1]
        bits.append(f"{_lower(par.namn)} från {tal(start['skillnad'], 1)} till {tal(end['skillnad'], 1)}")
    first = part["period"].min()
    return (
        "Linjerna visar kvinnors värde minus mäns, där noll betyder lika; från "
        f"{manad(first)} till {manad(period)} gick skillnaden i procentenheter för {_list(bits)}."
    )


def beskrivning_chefer_per_manad(frame: pd.DataFrame) -> str:
    """One sentence on the chef chart: the two shares in the last month shown."""
    part = frame[frame["matt"] == "chefer"].dropna(subset=["man"]) if len(frame) else frame
    if part.empty:
        return "Diagrammet har inga värden att visa för urvalet."
    last = part.iloc[-1]
    chefs = SUPPRESSED if pd.isna(last["kvinnor"]) else procent(last["kvinnor"])
    return (
        f"I {manad(last['period'])} var andelen kvinnor {chefs} bland cheferna och {procent(last['man'])} "
        "bland alla månadsavlönade; lika chefskarriär innebär att linjerna ligger på samma nivå."
    )


TABELL_PER_MANAD = (
    Column("period", "Månad", "manad"),
    Column("namn", "Nyckeltal"),
    Column("kvinnor", "Kvinnor (chefer: andel kvinnor bland chefer)", "procent", sensitive=True),
    Column("man", "Män (chefer: andel kvinnor bland alla)", "procent", sensitive=True),
    Column("skillnad", "Skillnad (procentenheter)", "decimal", sensitive=True),
)


def tabell_per_manad(frame: pd.DataFrame, formatted: bool = False) -> pd.DataFrame:
    """The table behind both charts over time."""
    return table(frame, TABELL_PER_MANAD, formatted)


# --- Per avdelning ------------------------------------------------------------------------------------


def _grid_secondary(
    sizes: Mapping[tuple[str, str], int],
    primary: set[tuple[str, str]],
    rows_shown: bool,
    columns_shown: Mapping[str, bool],
    groups: Mapping[str, str],
) -> set[tuple[str, str]]:
    """Secondary suppression in an avdelning × kön table until nothing more changes: within an
    avdelning (its total is published on the area pages), within a kön over the avdelningar (the
    scope's kön value is shown above), and within each förvaltning when the table spans several."""
    hidden = set(primary)
    avdelningar = sorted({a for a, _ in sizes})

    def rows() -> None:
        # Within an avdelning: a lone hidden kön takes the other with it.
        if not rows_shown:
            return
        for a in avdelningar:
            parts = {k: sizes[(a, k)] for k in KON}
            inside = {k for k in KON if (a, k) in hidden}
            hidden.update((a, k) for k in suppression.secondary(parts, inside) - {suppression.TOTAL})

    while True:
        before = set(hidden)
        rows()
        for k in KON:
            # The rows are settled before each kön column picks a second avdelning, so that a
            # column picks only where a row has not already hidden enough.
            parts = {a: sizes[(a, k)] for a in avdelningar}
            inside = {a for a in avdelningar if (a, k) in hidden}
            more = set(inside)
            if columns_shown.get(k, True):
                more = suppression.secondary(parts, inside) - {suppression.TOTAL}
            if len(set(groups.values())) > 1:
                more = suppression.secondary_within(parts, groups, more)
            hidden.update((a, k) for a in more)
            rows()
        if hidden == before:
            return hidden


def per_avdelning(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> pd.DataFrame:
    """Women and men per avdelning of the scope for each figure, with the pages' suppression
    (primary and secondary along kön and avdelningar); long form, one row per avdelning and figure."""
    return _per_avdelning(
        con, period, scope, lambda: underlag_at(con, (period,), scope)[period], has_chef(con)
    )


def _per_avdelning(
    con: duckdb.DuckDBPyConnection,
    period: dt.date,
    scope: Scope,
    scope_data: Callable[[], Underlag],
    chef: bool,
) -> pd.DataFrame:
    """per_avdelning with the scope's own sums of P (read only when there are avdelningar)."""
    fran, till = window_12(period)
    raw = run(con, "jamstalldhet_per_avdelning", scope, period=period, fran=fran, till=till)
    columns = [
        "forvaltning",
        "avdelning",
        "namn",
        "matt",
        "matt_namn",
        "antal_kvinnor",
        "antal_man",
        "kvinnor",
        "man",
        "skillnad",
        "undertryckt_kvinnor",
        "undertryckt_man",
    ]
    if raw.empty:
        return pd.DataFrame(columns=columns)
    units: dict[str, Underlag] = {}
    forvaltning_of: dict[str, str] = {}
    pairs = raw[["forvaltning", "avdelning"]].drop_duplicates().reset_index(drop=True)
    names = dict(
        zip(
            zip(pairs["forvaltning"], pairs["avdelning"], strict=True),
            unit_names(pairs, "avdelning"),
            strict=True,
        )
    )
    for (f, a), u in _underlag_per_avdelning(raw).items():
        key = names[(f, a)]
        forvaltning_of[key] = f
        units[key] = u
    scope_hidden = hidden_shown(scope_data())
    rows = []
    for par in PAR:
        sizes = {(a, k): u.storlek(par, k) for a, u in units.items() for k in KON}
        if par.sjuk:
            primary = {key for key, n in sizes.items() if n > 0 and suppression.sjuk_suppressed(n)}
        else:
            primary = {key for key, n in sizes.items() if 0 < n < MIN_GRUPP}
        columns_shown = {
            k: (par.kvinnor if k == "K" else par.man) not in scope_hidden and sizes_total(sizes, k) > 0
            for k in KON
        }
        hidden = _grid_secondary(sizes, primary, True, columns_shown, forvaltning_of)
        for a, u in units.items():
            values = u.varden(chef)
            hk, hm = (a, "K") in hidden, (a, "M") in hidden
            k = None if hk else values[par.kvinnor]
            m = None if hm else values[par.man]
            rows.append(
                {
                    "forvaltning": forvaltning_of[a],
                    "avdelning": a,
                    "namn": a,
                    "matt": par.key,
                    "matt_namn": par.namn,
                    "antal_kvinnor": u.storlek(par, "K"),
                    "antal_man": u.storlek(par, "M"),
                    "kvinnor": k,
                    "man": m,
                    "skillnad": None if k is None or m is None else k - m,
                    "undertryckt_kvinnor": hk,
                    "undertryckt_man": hm,
                }
            )
    if chef:
        sizes = {a: sum(u.chefer.values()) for a, u in units.items()}
        small = {a for a, n in sizes.items() if 0 < n < MIN_GRUPP}
        hidden_chef = suppression.secondary(sizes, small) - {suppression.TOTAL}
        if len(set(forvaltning_of.values())) > 1:
            hidden_chef = suppression.secondary_within(sizes, forvaltning_of, hidden_chef)
        for a, u in units.items():
            values = u.varden(chef)
            hide = a in hidden_chef
            share = None if hide else values[CHEF_ID]
            # andel kvinnor among all of a small avdelning is withheld as on the Personal page.
            alla_hidden = 0 < sum(u.manadsavlonade.values()) < MIN_GRUPP
            rows.append(
                {
                    "forvaltning": forvaltning_of[a],
                    "avdelning": a,
                    "namn": a,
                    "matt": "chefer",
                    "matt_namn": "Andel kvinnor bland chefer",
                    "antal_kvinnor": u.chefer["K"] if not hide else None,
                    "antal_man": sizes[a],
                    "kvinnor": share,
                    "man": None if alla_hidden else values["andel_kvinnor_pct"],
                    "skillnad": None
                    if share is None or alla_hidden or values["andel_kvinnor_pct"] is None
                    else share - values["andel_kvinnor_pct"],
                    "undertryckt_kvinnor": hide,
                    "undertryckt_man": alla_hidden,
                }
            )
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("kvinnor", "man", "skillnad"):
        frame[column] = frame[column].astype(float)
    return frame


# The Underlag fields of a jamstalldhet_per_avdelning row: (field, column, type).
_UNDERLAG_KOLUMNER = (
    ("manadsavlonade", "manadsavlonade", int),
    ("tillsvidare", "tillsvidare", int),
    ("syss_summa", "sysselsattningsgrad_summa", float),
    ("syss_antal", "med_sysselsattningsgrad", int),
    ("chefer", "chefer", int),
    ("ordinarie", "ordinarie_timmar", float),
    ("lang", "sjuk_lang_timmar", float),
    ("sjuk_personer", "sjuk_personer", int),
    ("avgangar", "avgangar_12m", int),
    ("medel_tillsvidare", "medel_tillsvidare", float),
)


def _underlag_per_avdelning(raw: pd.DataFrame) -> dict[tuple[str, str], Underlag]:
    """Each (förvaltning, avdelning)'s sums per kön, in sorted order: what jamstalldhet.per_kon makes
    of each avdelning's rows (a missing kön or value is 0), read in one pass over the frame instead
    of a filter and a row scan per avdelning and column."""
    values: dict[tuple[str, str], dict[str, dict[str, object]]] = {}
    keys = list(zip(raw["forvaltning"], raw["avdelning"], strict=True))
    kon = [str(k) for k in raw["kon"]]
    for field, column, _ in _UNDERLAG_KOLUMNER:
        for key, k, value in zip(keys, kon, raw[column].tolist(), strict=True):
            values.setdefault(key, {}).setdefault(field, {})[k] = value
    out = {}
    # As groupby: rows without förvaltning or avdelning belong to no avdelning.
    for key in sorted(k for k in values if not (pd.isna(k[0]) or pd.isna(k[1]))):
        u = Underlag.tomt()
        for field, _, cast in _UNDERLAG_KOLUMNER:
            given = values[key][field]
            setattr(u, field, {k: cast(_zero(given.get(k))) for k in KON})
        out[key] = u
    return out


def _zero(value) -> float:
    return 0.0 if value is None or pd.isna(value) else float(value)


def sizes_total(sizes: Mapping[tuple[str, str], int], kon: str) -> int:
    """The persons of one kön over every avdelning of a per-avdelning breakdown."""
    return sum(n for (_, k), n in sizes.items() if k == kon)


MATT_VAL = {**{p.key: p.namn for p in PAR}, "chefer": "Andel kvinnor bland chefer"}


def figure_per_avdelning(frame: pd.DataFrame, matt: str, scope_text: str, period: dt.date) -> go.Figure:
    """Bars of women beside men per avdelning for one figure ('..' where withheld); for the chef
    share, the share of women among managers beside that among all månadsavlönade."""
    part = frame[frame["matt"] == matt] if len(frame) else frame
    heading = title(f"{MATT_VAL[matt]} per avdelning", scope_text, period)
    if part.empty:
        return empty("Urvalet har inga avdelningar med anställda under perioden.", heading)
    if part[["kvinnor", "man"]].isna().all().all():
        return empty("Värdena visas inte: grupperna är för små.", heading)
    labels = [charts.wrap_label(n) for n in part["namn"]]
    names = (
        (("kvinnor", "Chefer", KON_COLORS["K"]), ("man", "Alla månadsavlönade", charts.NEUTRAL_COLOR))
        if matt == "chefer"
        else (("kvinnor", "Kvinnor", KON_COLORS["K"]), ("man", "Män", KON_COLORS["M"]))
    )
    traces = []
    for column, name, color in names:
        hidden = part[f"undertryckt_{column}"].tolist()
        values = part[column].tolist()
        traces.append(
            {
                "type": "bar",
                "x": labels,
                "y": [0 if pd.isna(v) else v for v in values],
                "name": name,
                "marker": {"color": color},
                "text": [
                    SUPPRESSED if h else ("" if pd.isna(v) else tal(v, 1))
                    for v, h in zip(values, hidden, strict=True)
                ],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": f"<b>%{{x}}</b><br>{name}: %{{text}}<extra></extra>",
            }
        )
    return figure(
        traces,
        heading,
        y_title="Procent",
        percent=True,
        layout={"barmode": "group", "xaxis": {"type": "category"}},
    )


def beskrivning_per_avdelning(frame: pd.DataFrame, matt: str) -> str:
    """One sentence on the per-avdelning bars: the avdelning with the largest gap among those shown."""
    part = frame[(frame["matt"] == matt)].dropna(subset=["skillnad"]) if len(frame) else frame
    total = len(frame[frame["matt"] == matt]) if len(frame) else 0
    if part.empty:
        return (
            f"Diagrammet visar {_lower(MATT_VAL[matt])} per avdelning; inga värden kan visas eftersom "
            "grupperna är för små eller saknas."
        )
    widest = part.loc[part["skillnad"].abs().idxmax()]
    hidden = total - len(part)
    text = (
        f"Diagrammet visar {_lower(MATT_VAL[matt])} per avdelning; störst skillnad har {widest['namn']} med "
        f"{tal(widest['skillnad'], 1)} procentenheter"
    )
    if hidden:
        text += f", och {tal(hidden)} {'avdelning visas' if hidden == 1 else 'avdelningar visas'} inte (..)"
    return text + "."


def tabell_per_avdelning(
    frame: pd.DataFrame, formatted: bool = False, matt: str | None = None
) -> pd.DataFrame:
    """Every figure per avdelning (or only matt's), women and men side by side ('..' where withheld)."""
    if matt is not None and len(frame):
        frame = frame[frame["matt"] == matt]
    out = {
        "Avdelning": [],
        "Nyckeltal": [],
        "Kvinnor": [],
        "Män (chefer: alla anställda)": [],
        "Skillnad": [],
    }
    for r in frame.itertuples(index=False):
        out["Avdelning"].append(r.namn)
        out["Nyckeltal"].append(r.matt_namn)
        for heading, value, hidden in (
            ("Kvinnor", r.kvinnor, r.undertryckt_kvinnor),
            ("Män (chefer: alla anställda)", r.man, r.undertryckt_man),
        ):
            out[heading].append(_cell(value, hidden, formatted))
        out["Skillnad"].append(
            _cell(r.skillnad, bool(r.undertryckt_kvinnor or r.undertryckt_man), formatted, gap=True)
        )
    return pd.DataFrame(out)


def _cell(value, hidden: bool, formatted: bool, gap: bool = False):
    if hidden:
        return SUPPRESSED
    if value is None or pd.isna(value):
        return MISSING if formatted else None
    if formatted:
        return procentenheter(value) if gap else procent(value)
    # A column that may hold '..' is text anyway (Arrow and Excel cannot mix).
    return tal(value, 1)


def any_withheld(*frames: pd.DataFrame) -> bool:
    """Whether any row of these frames withholds a value."""
    for frame in frames:
        for column in ("undertryckt", "undertryckt_kvinnor", "undertryckt_man"):
            if len(frame) and column in frame and bool(frame[column].any()):
                return True
    return False


UNDERTRYCKT_TEXT = (
    f"\\.\\. = värdet visas inte. Lång sjukfrånvaro redovisas inte för grupper med "
    f"{suppression.SJUK_MAX_UNDERTRYCKT} eller färre personer, andra andelar och medelvärden inte för "
    f"grupper med färre än {MIN_GRUPP} personer. När ett kön döljs döljs även det andra, och per "
    "avdelning ytterligare en avdelning, så att det dolda värdet inte kan räknas fram ur totalen."
)


def bedomning_mening(row, period: dt.date) -> str:
    """The verdict in a sentence for a jamforelse row: 'Skillnaden har minskat sedan september 2023
    (från 4,1 till 2,0 procentenheter).'; why not, where there is nothing to compare."""
    if row["undertryckt"]:
        return "Skillnaden redovisas inte eftersom en av grupperna är för liten."
    if pd.isna(row["skillnad"]):
        return "Underlag saknas för att jämföra kvinnor och män."
    if row["bedomning"] is None or pd.isna(row["skillnad_fore"]):
        return "Kan inte jämföras med förra året: underlag saknas eller redovisas inte för den perioden."
    since = manad(add_months(period, -12))
    change = (
        f"från {tal(abs(row['skillnad_fore']), 1)} till {tal(abs(row['skillnad']), 1)} procentenheter"
        if row["bedomning"] != "oforandrad"
        else f"{tal(abs(row['skillnad']), 1)} procentenheter"
    )
    return f"{catalog.GAP_VERDICTS[row['bedomning']]} sedan {since} ({change})."


def hogre_text(row) -> str:
    """Who is higher in words: 'Kvinnor har 2,0 procentenheter lägre än män.'"""
    if row["undertryckt"] or pd.isna(row["skillnad"]):
        return ""
    gap = float(row["skillnad"])
    other = "män" if row["matt"] != "chefer" else "alla anställda"
    subject = "Kvinnor" if row["matt"] != "chefer" else "Bland cheferna är andelen kvinnor"
    if round(gap, 1) == 0:
        return (
            f"{subject} och {other} ligger lika."
            if row["matt"] != "chefer"
            else ("Andelen kvinnor är lika stor bland cheferna som bland alla anställda.")
        )
    word = "högre" if gap > 0 else "lägre"
    if row["matt"] == "chefer":
        return f"{subject} {tal(abs(gap), 1)} procentenheter {word} än bland alla anställda."
    return f"{subject} ligger {tal(abs(gap), 1)} procentenheter {word} än {other}."


def skillnad_delta(row) -> str | None:
    """The change of a gap's size for st.metric: '-2,1'; None where there is none to show."""
    if row["undertryckt"] or row["bedomning"] is None or pd.isna(row["forandring_skillnad"]):
        return None
    return forandring(row["forandring_skillnad"], 1)


def gap_value(value: float | None, hidden: bool = False) -> str:
    """A gap as a signed number without its unit: '+2,0', '..' when withheld, '–' when missing."""
    if hidden:
        return SUPPRESSED
    return forandring(value, 1)


# --- The page's frames at once ------------------------------------------------------------------------


@dataclass(frozen=True)
class Sida:
    """What the Jämställdhet page shows: jamforelse, per_manad and per_avdelning."""

    jamforelse: pd.DataFrame
    per_manad: pd.DataFrame
    per_avdelning: pd.DataFrame


def sida(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, months: int = MONTHS_SHOWN
) -> Sida | None:
    """jamforelse, per_manad (of `months`) and per_avdelning as the three give them, from one read
    of the sums per month (P and P−12 taken from the months shown where they are among them); None
    for a scope without any anstallningar row (as the nyckeltal section is None then)."""
    if scope_is_empty(con, scope):
        return None
    first, chef = _first_period(con), has_chef(con)
    data: dict[dt.date, Underlag] = {}
    if first is not None and first <= period:
        data = underlag_per_manad(con, max(add_months(period, -(months - 1)), first), period, scope)
        over_time = _per_manad(data, chef, first)
    else:
        over_time = pd.DataFrame(columns=_PER_MANAD_KOLUMNER)
    before_p = add_months(period, -12)
    missing = tuple(p for p in (period, before_p) if p not in data)
    at = {**{p: data[p] for p in (period, before_p) if p in data}, **underlag_at(con, missing, scope)}
    return Sida(
        _jamforelse(period, at, chef, first),
        over_time,
        _per_avdelning(con, period, scope, lambda: at[period], chef),
    )
