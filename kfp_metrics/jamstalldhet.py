"""Jämställdhet: the gender-equality key figures of contract section 8, after Nyckeltalsinstitutet's jämix.

The figures compare women and men: andel tillsvidareanställda, genomsnittlig sysselsättningsgrad,
lång sjukfrånvaro and personalomsättning per kön, and the share of women among managers against
their share of all månadsavlönade. What is judged is the gap between women and men, not the level
(catalog direction "equal"). The jämix score itself is proprietary: the figures are shown, no score.
Salary (lönekartläggning) and parental leave are not in the extracts.

Disclosure. The JSON (`section`) follows the contract: a lång sjukfrånvaro figure for a kön with 10
or fewer persons with scheduled hours in the window is null and listed in `undertryckta`. Because
the scope's total long sick leave follows from the sjukfrånvaro section (total × andel ≥ 60 dagar)
and the two kön are its only parts, the other kön's figure is withheld and listed as well
(secondary suppression), and a `_forandring` is null where either year's value is withheld. The
pages and the report add the analysis pages' rule (kfp_metrics.analys): a share or mean of a group
of fewer than MIN_GRUPP (5) persons is withheld, with the other kön too, and per avdelning the
same rules with secondary suppression along both the kön and the avdelningar.

The page's and the report's frames, charts and tables are in kfp_metrics.jamstalldhet_analys; this
module stays free of plotly so that the nyckeltal command starts quickly.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import duckdb
import pandas as pd

from kfp_metrics import catalog, suppression
from kfp_metrics.extracts import has_column
from kfp_metrics.periods import add_months
from kfp_metrics.queries import Scope, run

KON = ("K", "M")
KON_ORD = {"K": "kvinnor", "M": "man"}


@dataclass(frozen=True)
class Par:
    """A figure measured for women and for men: its key, Swedish name and the two metric ids."""

    key: str
    namn: str
    kvinnor: str
    man: str
    sjuk: bool = False

    @property
    def ids(self) -> tuple[str, str]:
        return self.kvinnor, self.man


PAR = (
    Par(
        "andel_tillsvidare",
        "Andel tillsvidareanställda",
        "andel_tillsvidare_kvinnor_pct",
        "andel_tillsvidare_man_pct",
    ),
    Par(
        "sysselsattningsgrad",
        "Genomsnittlig sysselsättningsgrad",
        "sysselsattningsgrad_kvinnor",
        "sysselsattningsgrad_man",
    ),
    Par(
        "lang_sjukfranvaro",
        "Lång sjukfrånvaro (60 dagar eller mer)",
        "lang_sjukfranvaro_kvinnor_pct",
        "lang_sjukfranvaro_man_pct",
        sjuk=True,
    ),
    Par(
        "personalomsattning",
        "Personalomsättning",
        "personalomsattning_kvinnor_pct",
        "personalomsattning_man_pct",
    ),
)
PAR_BY_KEY = {p.key: p for p in PAR}
CHEF_ID = "andel_kvinnor_chefer_pct"
KVOT_ID = "lika_chefskarriar_kvot"
# The contract's order of the section's figures.
IDS = (CHEF_ID, KVOT_ID, *(i for p in PAR for i in p.ids))
SJUK_IDS = PAR_BY_KEY["lang_sjukfranvaro"].ids
# 12-month figures need the whole window in the extracts; snapshot figures only their month.
ROLLING = ("lang_sjukfranvaro", "personalomsattning")

KVOT_DECIMALS = 2


def decimals(metric_id: str) -> int:
    """The decimals a figure is shown with: two for a kvot, else one."""
    return KVOT_DECIMALS if catalog.get(metric_id).unit == "kvot" else 1


def _ratio(numerator, denominator) -> float | None:
    if denominator is None or numerator is None or pd.isna(denominator) or pd.isna(numerator):
        return None
    if float(denominator) == 0:
        return None
    return 100.0 * float(numerator) / float(denominator)


def _num(value) -> float:
    return 0.0 if value is None or pd.isna(value) else float(value)


# --- The sums behind the figures ---------------------------------------------------------------


@dataclass
class Underlag:
    """One month's (or one avdelning's) sums per kön, from which every figure follows."""

    manadsavlonade: dict[str, int]
    tillsvidare: dict[str, int]
    syss_summa: dict[str, float]
    syss_antal: dict[str, int]
    chefer: dict[str, int]
    ordinarie: dict[str, float]
    lang: dict[str, float]
    sjuk_personer: dict[str, int]
    avgangar: dict[str, int]
    medel_tillsvidare: dict[str, float | None]

    @classmethod
    def tomt(cls) -> Underlag:
        zero = dict.fromkeys(KON, 0)
        return cls(
            dict(zero),
            dict(zero),
            dict.fromkeys(KON, 0.0),
            dict(zero),
            dict(zero),
            dict.fromkeys(KON, 0.0),
            dict.fromkeys(KON, 0.0),
            dict(zero),
            dict(zero),
            dict.fromkeys(KON),
        )

    def storlek(self, par: Par, kon: str) -> int:
        """The persons behind one kön's value of a figure (decides suppression)."""
        if par.sjuk:
            return self.sjuk_personer[kon]
        if par.key == "personalomsattning":
            mean = self.medel_tillsvidare[kon]
            return 0 if mean is None else math.ceil(mean)
        return self.manadsavlonade[kon]

    def varden(self, chef: bool) -> dict[str, float | None]:
        """Every figure of the section, unsuppressed (None for zero denominators)."""
        total = sum(self.manadsavlonade.values())
        kvinnor = _ratio(self.manadsavlonade["K"], total)
        chefer = sum(self.chefer.values())
        chef_share = _ratio(self.chefer["K"], chefer) if chef else None
        out: dict[str, float | None] = {
            CHEF_ID: chef_share,
            KVOT_ID: None if chef_share is None or not kvinnor else chef_share / kvinnor,
            "andel_kvinnor_pct": kvinnor,
        }
        for kon in KON:
            suffix = KON_ORD[kon]
            syss = self.syss_summa[kon] / self.syss_antal[kon] if self.syss_antal[kon] else None
            out[f"andel_tillsvidare_{suffix}_pct"] = _ratio(self.tillsvidare[kon], self.manadsavlonade[kon])
            out[f"sysselsattningsgrad_{suffix}"] = syss
            out[f"lang_sjukfranvaro_{suffix}_pct"] = _ratio(self.lang[kon], self.ordinarie[kon])
            out[f"personalomsattning_{suffix}_pct"] = _ratio(self.avgangar[kon], self.medel_tillsvidare[kon])
        return out


def per_kon(frame: pd.DataFrame, column: str, cast=int) -> dict[str, object]:
    values = dict(zip((str(k) for k in frame["kon"]), frame[column].tolist(), strict=True))
    return {kon: cast(_num(values.get(kon))) for kon in KON}


# The Underlag fields each query gives, as (field, column, type); medel_tillsvidare keeps None.
_SNAP_FIELDS = (
    ("manadsavlonade", "manadsavlonade", int),
    ("tillsvidare", "tillsvidare", int),
    ("syss_summa", "sysselsattningsgrad_summa", float),
    ("syss_antal", "med_sysselsattningsgrad", int),
    ("chefer", "chefer", int),
)
_SJUK_FIELDS = (
    ("ordinarie", "ordinarie_timmar", float),
    ("lang", "sjuk_lang_timmar", float),
    ("sjuk_personer", "personer", int),
)
_OMS_FIELDS = (("avgangar", "avgangar_12m", int),)


def underlag_per_manad(
    con: duckdb.DuckDBPyConnection, fran: dt.date, till: dt.date, scope: Scope
) -> dict[dt.date, Underlag]:
    """The sums per kön for every month fran … till (three queries for the whole range)."""
    snap = run(con, "jamstalldhet_per_kon_och_manad", scope, fran=fran, till=till)
    sjuk = run(con, "jamstalldhet_sjuk_per_kon_och_manad", scope, fran=fran, till=till)
    oms = run(con, "jamstalldhet_omsattning_per_kon_och_manad", scope, fran=fran, till=till)
    result = {}
    month = fran
    while month <= till:
        result[month] = Underlag.tomt()
        month = add_months(month, 1)
    # One pass over each query's rows: a month's kön missing from its rows stays 0 (None for the
    # mean), as Underlag.tomt() has it; rows of months outside fran … till are not read.
    for frame, fields in ((snap, _SNAP_FIELDS), (sjuk, _SJUK_FIELDS), (oms, _OMS_FIELDS)):
        if frame.empty:
            continue
        months = pd.to_datetime(frame["period"]).dt.date.tolist()
        kon = [str(k) for k in frame["kon"]]
        for field, column, cast in fields:
            for m, k, value in zip(months, kon, frame[column].tolist(), strict=True):
                u = result.get(m)
                if u is not None and k in KON:
                    getattr(u, field)[k] = cast(_num(value))
        if frame is oms:
            for m, k, value in zip(months, kon, frame["medel_tillsvidare"].tolist(), strict=True):
                u = result.get(m)
                if u is not None and k in KON:
                    u.medel_tillsvidare[k] = None if value is None or pd.isna(value) else float(value)
    return result


def underlag_at(
    con: duckdb.DuckDBPyConnection, months: tuple[dt.date, ...], scope: Scope
) -> dict[dt.date, Underlag]:
    """The sums per kön for a few single months (cheaper than the range between them)."""
    return {month: underlag_per_manad(con, month, month, scope)[month] for month in months}


def has_chef(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the extracts have the optional chef column."""
    return has_column(con, "anstallningar", "chef")


def scope_is_empty(con: duckdb.DuckDBPyConnection, scope: Scope) -> bool:
    """Whether no anstallningar row at all falls in the scope (names that do not exist)."""
    return run(con, "organisation", scope).empty


# --- Suppression ---------------------------------------------------------------------------------


def hidden_contract(u: Underlag) -> set[str]:
    """The ids the JSON withholds: lång sjukfrånvaro for a kön of 1–10 persons, and then the other
    kön's as well (it and the shown total would give the hidden one)."""
    sjuk = PAR_BY_KEY["lang_sjukfranvaro"]
    sizes = {kon: u.sjuk_personer[kon] for kon in KON}
    primary = {kon for kon, n in sizes.items() if n > 0 and suppression.sjuk_suppressed(n)}
    hidden = suppression.secondary(sizes, primary) - {suppression.TOTAL}
    return {sjuk.kvinnor if kon == "K" else sjuk.man for kon in hidden}


# --- The nyckeltal JSON section ------------------------------------------------------------------


def section(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> tuple[dict | None, list[str]]:
    """The `jamstalldhet` object of contract section 8 and the ids it withholds; (None, []) for
    an empty scope."""
    if scope_is_empty(con, scope):
        return None, []
    before_p = add_months(period, -12)
    data = underlag_at(con, (period, before_p), scope)
    chef = has_chef(con)
    now, before = data[period].varden(chef), data[before_p].varden(chef)
    hidden_now, hidden_before = hidden_contract(data[period]), hidden_contract(data[before_p])
    result: dict[str, float | None] = {}
    withheld = []
    for metric_id in IDS:
        value = now[metric_id]
        if metric_id in hidden_now:
            # A missing value is null, not suppressed (contract section 2, "Missing and zero").
            if value is not None:
                withheld.append(metric_id)
            value = None
        old = None if metric_id in hidden_before else before[metric_id]
        result[metric_id] = value
        result[f"{metric_id}_forandring"] = None if value is None or old is None else value - old
    return result, withheld
