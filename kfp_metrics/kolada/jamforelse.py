"""Kolada's values beside the organisation's own: the JSON key (contract section 3) and the
comparisons the pages and the report show.

Kolada values are public: they are never suppressed and never mixed into the organisation's own
figures. The own value beside them is the organisation's figure for the same calendar year with
the contract's definition (sjukfrånvaro January–December, heltid in December, the survey of that
year), suppressed by the same rules as everywhere else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from kfp_metrics import catalog, nyckeltal
from kfp_metrics.extracts import has_column, has_table, remembered
from kfp_metrics.format import SUPPRESSED, datum, procent, tal
from kfp_metrics.kolada.kpi import KPI_TITLAR, MOTSVARIGHETER, SKILLNADER, Motsvarighet
from kfp_metrics.queries import Scope, run

TABELL = "jamforelse"
KALLA = "Källa: Kolada (RKA)"


def present(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the extracts hold the jamforelse table."""
    return has_table(con, TABELL)


def rader(con: duckdb.DuckDBPyConnection, ar: int) -> pd.DataFrame:
    """Every row of the table up to and including year ar; the same for every scope, so read once
    per connection (do not mutate the result)."""
    return remembered(con, ("jamforelse_rader", ar), lambda: run(con, "jamforelse_rader", Scope(), ar=ar))


def _latest(frame: pd.DataFrame, m: Motsvarighet, ids: tuple[str, ...] | None = None) -> pd.DataFrame:
    rows = frame[(frame["kpi"] == m.kpi) & (frame["kon"] == m.kon)]
    if ids is not None:
        rows = rows[rows["kommun_id"].isin(ids)]
    if rows.empty:
        return rows
    return rows[rows["ar"] == rows["ar"].max()]


def _float(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _iso(value) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def json_section(con: duckdb.DuckDBPyConnection, period: dt.date) -> dict | None:
    """The `jamforelse` key: per metric id with a counterpart, every row of its KPI and kon for the
    latest year ≤ year(P) that the table holds; None when the table is absent."""
    if not present(con):
        return None
    # Grouped once in plain Python: a few hundred rows, where filtering the frame per metric id
    # (four pandas operations each) took 30 ms of the command.
    by_kpi: dict[tuple[str, str], list[dict]] = {}
    for r in rader(con, period.year).itertuples(index=False):
        by_kpi.setdefault((r.kpi, r.kon), []).append(
            {
                "kpi": r.kpi,
                "kommun_id": r.kommun_id,
                "kommun": r.kommun,
                "ar": int(r.ar),
                "kon": r.kon,
                "varde": _float(r.varde),
                "hamtad": _iso(r.hamtad),
            }
        )
    out: dict[str, list[dict]] = {}
    for metric_id, m in MOTSVARIGHETER.items():
        rows = by_kpi.get((m.kpi, m.kon), [])
        latest = max((r["ar"] for r in rows), default=None)
        out[metric_id] = sorted((r for r in rows if r["ar"] == latest), key=lambda r: r["kommun_id"])
    return out


# --- Comparisons for the pages and the report ----------------------------------------------------


def format_value(metric_id: str, value: float | None) -> str:
    """A value in the metric's unit, Swedish form."""
    if value is None:
        return "uppgift saknas"
    return procent(value) if catalog.get(metric_id).unit == "procent" else tal(value, 1)


@dataclass(frozen=True)
class Varde:
    """One municipality's or group's Kolada value for the compared year."""

    kommun_id: str
    kommun: str
    ar: int
    varde: float | None


@dataclass(frozen=True)
class Egen:
    """The organisation's own value for the same calendar year (None = no basis for it)."""

    ar: int
    varde: float | None
    undertryckt: bool = False
    orsak: str = ""


@dataclass(frozen=True)
class Jamforelse:
    """What is shown beside one metric: Kolada's values, the own value, the source and how the
    definitions differ."""

    metric_id: str
    kpi: str
    ar: int
    varden: tuple[Varde, ...]
    egen: Egen | None
    hamtad: dt.date | None

    @property
    def omrade(self) -> str:
        return MOTSVARIGHETER[self.metric_id].omrade

    @property
    def rad(self) -> str:
        """'Riket 2025: 7,1 % · Stockholm 2025: 7,4 %'."""
        return " · ".join(f"{v.kommun} {v.ar}: {format_value(self.metric_id, v.varde)}" for v in self.varden)

    @property
    def egen_text(self) -> str | None:
        """'Egen, kalenderår 2025: 6,8 %' (enkät: 'Egen, enkäten 2025: …')."""
        if self.egen is None:
            return None
        label = "Egen, enkäten" if self.omrade == "medarbetarenkat" else "Egen, kalenderår"
        if self.egen.undertryckt:
            value = SUPPRESSED
        elif self.egen.varde is None:
            value = self.egen.orsak or "underlag saknas"
        else:
            value = format_value(self.metric_id, self.egen.varde)
        return f"{label} {self.egen.ar}: {value}"

    @property
    def kalla(self) -> str:
        """'Källa: Kolada (RKA), N00090, hämtad 16 februari 2026.'"""
        when = f", hämtad {datum(self.hamtad)}" if self.hamtad else ""
        return f"{KALLA}, {self.kpi}{when}."

    @property
    def skillnad(self) -> str:
        return SKILLNADER[self.omrade]

    @property
    def hjalp(self) -> str:
        """The hover text: the KPI's title, how definitions differ, the source."""
        return f"{KPI_TITLAR[self.kpi]} ({self.kpi}). {self.skillnad} {self.kalla}"


def held_ids(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """The municipality and group ids the table holds."""
    if not present(con):
        return ()
    frame = rader(con, 2100)
    return tuple(sorted(set(frame["kommun_id"])))


def _periods(con: duckdb.DuckDBPyConnection) -> frozenset[dt.date]:
    def read() -> frozenset[dt.date]:
        return frozenset(pd.Timestamp(p).date() for p in run(con, "perioder", Scope())["period"])

    return remembered(con, ("perioder",), read)


def _own_values(
    con: duckdb.DuckDBPyConnection,
    omrade: str,
    year: int,
    scope: Scope,
    periods: frozenset,
    wanted: frozenset[str] = frozenset(MOTSVARIGHETER),
) -> dict:
    """metric id → Egen for one area and calendar year, with the contract's definitions; of the
    metrics not wanted, what needs a query of its own is left out."""
    from kfp_metrics import heltid

    december = dt.date(year, 12, 1)
    ids = [m for m, c in MOTSVARIGHETER.items() if c.omrade == omrade]
    if omrade == "sjukfranvaro":
        if any(dt.date(year, month, 1) not in periods for month in range(1, 13)):
            return {m: Egen(year, None, orsak=f"extrakten täcker inte hela {year}") for m in ids}
        values, hidden = nyckeltal.sjukfranvaro(con, december, scope)
        return {m: Egen(year, None if m in hidden else values[m], m in hidden) for m in ids}
    if omrade == "heltid":
        if december not in periods:
            return {m: Egen(year, None, orsak=f"december {year} saknas i extrakten") for m in ids}
        frame = heltid.heltid_per_manad(con, december, scope, fran=december)
        groups = {r.grupp: r for r in frame.itertuples(index=False)}
        out = {}
        for m, grupp in (
            ("heltid_andel_pct", "totalt"),
            ("heltid_andel_kvinnor_pct", "kvinnor"),
            ("heltid_andel_man_pct", "man"),
        ):
            r = groups.get(grupp)
            out[m] = Egen(
                year, None if r is None else _float(r.andel_pct), bool(r is not None and r.undertryckt)
            )
        if "heltidsarbetande_andel_pct" not in wanted:
            return out
        if has_column(con, "anstallningar", "faktisk_sysselsattningsgrad"):
            arb = heltid.heltidsarbetande_per_manad(con, december, scope, fran=december)
            row = arb[arb["matt"] == "heltidsarbetande"]
            r = row.iloc[0] if len(row) else None
            out["heltidsarbetande_andel_pct"] = Egen(
                year, None if r is None else _float(r["andel_pct"]), bool(r is not None and r["undertryckt"])
            )
        else:
            out["heltidsarbetande_andel_pct"] = Egen(year, None, orsak="faktisk sysselsättningsgrad saknas")
        return out
    if not has_table(con, "medarbetarenkat"):
        return {m: Egen(year, None, orsak="ingen egen enkät") for m in ids}
    enkat, hidden = nyckeltal.medarbetarenkat(con, december, scope)
    if enkat is None or enkat["ar"] != year:
        return {m: Egen(year, None, orsak=f"ingen egen enkät {year}") for m in ids}
    return {m: Egen(year, None if m in hidden else enkat[m], m in hidden) for m in ids}


def jamforelser(
    con: duckdb.DuckDBPyConnection,
    period: dt.date,
    scope: Scope,
    metrics: tuple[str, ...] = tuple(MOTSVARIGHETER),
    visa: tuple[str, ...] = (),
) -> dict[str, Jamforelse]:
    """For each of the metrics with a counterpart and values for the shown ids: Kolada's values
    of the latest year ≤ year(P) and the own value of that calendar year. A metric without a
    counterpart, or without values for the shown ids, is left out (nothing is shown)."""
    if not present(con) or not visa:
        return {}
    periods = _periods(con)
    own: dict[tuple[str, int], dict] = {}
    out = {}
    for metric_id in metrics:
        m = MOTSVARIGHETER.get(metric_id)
        if m is None:
            continue
        kolada = _kolada_values(con, period.year, m, visa)
        if kolada is None:
            continue
        year, varden, hamtad = kolada
        key = (m.omrade, year)
        if key not in own:
            own[key] = _own_values(con, m.omrade, year, scope, periods, frozenset(metrics))
        out[metric_id] = Jamforelse(metric_id, m.kpi, year, varden, own[key].get(metric_id), hamtad)
    return out


def _kolada_values(
    con: duckdb.DuckDBPyConnection, ar: int, m: Motsvarighet, visa: tuple[str, ...]
) -> tuple[int, tuple[Varde, ...], dt.date | None] | None:
    """(year, values of the shown ids, fetched) of the metric's KPI in the latest year ≤ ar with
    values for them, or None; the same for every scope, so worked out once per connection."""

    def compute():
        rows = _latest(rader(con, ar), m, visa)
        if rows.empty:
            return None
        year = int(rows["ar"].iloc[0])
        by_id = {r.kommun_id: r for r in rows.itertuples(index=False)}
        varden = tuple(Varde(k, by_id[k].kommun, year, _float(by_id[k].varde)) for k in visa if k in by_id)
        hamtad = max(
            (pd.Timestamp(r.hamtad).date() for r in by_id.values() if not pd.isna(r.hamtad)), default=None
        )
        return year, varden, hamtad

    return remembered(con, ("jamforelse", ar, m, visa), compute)


def serier(
    con: duckdb.DuckDBPyConnection,
    period: dt.date,
    scope: Scope | None = None,
    metric_id: str = "",
    visa: tuple[str, ...] = (),
) -> tuple[tuple[str, int, float], ...]:
    """(kommun, år, värde) of the metric's KPI for every year ≤ year(P), for the chart markers.
    Kolada's values are the same for every scope; scope is taken only to match the other calls."""
    m = MOTSVARIGHETER.get(metric_id)
    if m is None or not present(con) or not visa:
        return ()
    frame = rader(con, period.year)
    rows = frame[(frame["kpi"] == m.kpi) & (frame["kon"] == m.kon) & frame["kommun_id"].isin(visa)]
    order = {k: i for i, k in enumerate(visa)}
    rows = rows.dropna(subset=["varde"]).assign(_o=rows["kommun_id"].map(order)).sort_values(["_o", "ar"])
    return tuple((r.kommun, int(r.ar), float(r.varde)) for r in rows.itertuples(index=False))


def source_line(items) -> str | None:
    """One 'Källa: Kolada (RKA), hämtad …' line for a set of comparisons, or None when empty."""
    items = [j for j in items if j is not None]
    if not items:
        return None
    dates = sorted({j.hamtad for j in items if j.hamtad})
    when = f", hämtad {' och '.join(datum(d) for d in dates)}" if dates else ""
    kpis = ", ".join(dict.fromkeys(j.kpi for j in items))
    return f"{KALLA} ({kpis}){when}."


def caption(items) -> str | None:
    """The note under a row of comparisons: how the definitions differ, and the source."""
    items = [j for j in items if j is not None]
    if not items:
        return None
    notes = " ".join(dict.fromkeys(j.skillnad for j in items))
    return f"Jämförelse med Kolada: {notes} {source_line(items)}"


# --- The report's comparison table ----------------------------------------------------------------


@dataclass(frozen=True)
class Rapporttabell:
    """The comparison as a plain table (Swedish text cells) for every report format."""

    rubrik: str
    kolumner: tuple[str, ...]
    rader: tuple[tuple[str, ...], ...]
    noter: tuple[str, ...]


def report_table(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, visa: tuple[str, ...]
) -> Rapporttabell | None:
    """One row per metric with a comparison: the year, the own value of that calendar year and
    each shown municipality's value; None without the table or without values to show."""
    items = jamforelser(con, period, scope, visa=visa)
    if not items:
        return None
    names: dict[str, str] = {}
    for item in items.values():
        for v in item.varden:
            names.setdefault(v.kommun_id, v.kommun)
    ids = [k for k in visa if k in names]
    rows = []
    for metric_id, item in items.items():
        by_id = {v.kommun_id: v for v in item.varden}
        egen = item.egen
        if egen is None or (egen.varde is None and not egen.undertryckt):
            own = "–"
        elif egen.undertryckt:
            own = SUPPRESSED
        else:
            own = format_value(metric_id, egen.varde)
        kolada = [
            format_value(metric_id, by_id[k].varde) if k in by_id and by_id[k].varde is not None else "–"
            for k in ids
        ]
        rows.append((catalog.get(metric_id).label, str(item.ar), own, *kolada))
    notes = [
        "Egen organisation = urvalets eget värde för samma kalenderår som Koladas (sjukfrånvaro "
        "januari–december, heltid i december, enkäten samma år), beräknat enligt definitionerna i bilagan.",
        *dict.fromkeys(item.skillnad for item in items.values()),
        f"{SUPPRESSED} = det egna värdet redovisas inte eftersom gruppen är för liten. – = uppgift saknas. "
        "Koladas värden är offentliga och redovisas alltid.",
        source_line(items.values()) or KALLA,
    ]
    return Rapporttabell(
        "Jämförelse med andra kommuner (Kolada)",
        ("Nyckeltal", "År", "Egen organisation", *(names[k] for k in ids)),
        tuple(rows),
        tuple(notes),
    )


def hamtad(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The latest day the table's values were fetched, or None."""
    if not present(con):
        return None
    values = rader(con, 2100)["hamtad"].dropna()
    return pd.Timestamp(values.max()).date() if len(values) else None
