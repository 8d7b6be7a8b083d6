"""The contract's key figures (section 2) for one period and scope, as the JSON of section 3."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pandas as pd

from kfp_metrics import jamstalldhet, suppression
from kfp_metrics.extracts import has_column, has_table, remembered
from kfp_metrics.periods import (
    add_months,
    format_period,
    month_end,
    reference_date,
    tertial_start_month,
    window_12,
)
from kfp_metrics.queries import Scope, run

DEFAULT_PENSIONSALDER = 65
PENSIONSALDER_RANGE = (65, 69)
STATUSES = ("ej_paborjad", "pagar", "klar", "installd")
DELINDEX = ("motivation", "ledarskap", "styrning")


def ratio(numerator, denominator) -> float | None:
    """100 × numerator / denominator, or None where the denominator is zero or missing."""
    if (
        denominator is None
        or pd.isna(denominator)
        or denominator == 0
        or numerator is None
        or pd.isna(numerator)
    ):
        return None
    return 100.0 * float(numerator) / float(denominator)


def _int(value) -> int:
    return 0 if value is None or pd.isna(value) else int(value)


def _float(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def personal(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> dict:
    """Personal figures for the snapshot at P, with the change against P−12."""
    now = run(con, "personal_nyckeltal", scope, period=period).iloc[0]
    # Only the tillsvidare headcount of P−12 is needed: the small monthly count, not the whole
    # snapshot (a month absent from the extracts has none).
    earlier = add_months(period, -12)
    before = run(con, "tillsvidare_per_manad", scope, fran=earlier, till=earlier)
    manadsavlonade = _int(now.antal_manadsavlonade)
    kvinnor, man = _int(now.manadsavlonade_kvinnor), _int(now.manadsavlonade_man)
    faktisk = None
    if has_column(con, "anstallningar", "faktisk_sysselsattningsgrad"):
        faktisk = ratio(now.heltidsarbetande, now.med_faktisk)
    tillsvidare = _int(now.antal_tillsvidare)
    tillsvidare_before = int(before["antal_tillsvidare"].sum())
    return {
        "antal_tillsvidare": tillsvidare,
        "antal_tillsvidare_kvinnor": _int(now.antal_tillsvidare_kvinnor),
        "antal_tillsvidare_man": _int(now.antal_tillsvidare_man),
        "antal_tidsbegransade": _int(now.antal_tidsbegransade),
        "antal_timavlonade": _int(now.antal_timavlonade),
        "antal_manadsavlonade": manadsavlonade,
        "andel_kvinnor_pct": ratio(kvinnor, manadsavlonade),
        "medelalder": _float(now.medelalder),
        "forandring_tillsvidare_pct": ratio(tillsvidare - tillsvidare_before, tillsvidare_before),
        "antal_deltid": _int(now.antal_deltid),
        "heltid_andel_pct": ratio(now.heltid, manadsavlonade),
        "heltid_andel_kvinnor_pct": ratio(now.heltid_kvinnor, kvinnor),
        "heltid_andel_man_pct": ratio(now.heltid_man, man),
        "heltidsarbetande_andel_pct": faktisk,
    }


SJUK_GROUPS = {
    "total": ("sjukfranvaro_total_pct", "sjukfranvaro_kort_pct", "sjukfranvaro_lang_andel_pct"),
    "kvinnor": ("sjukfranvaro_kvinnor_pct",),
    "man": ("sjukfranvaro_man_pct",),
    "29": ("sjukfranvaro_29_pct",),
    "30_49": ("sjukfranvaro_30_49_pct",),
    "50": ("sjukfranvaro_50_pct",),
}


def sjukfranvaro(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> tuple[dict, list[str]]:
    """Sick-leave figures for the 12 months ending P and the ids withheld by suppression."""
    fran, till = window_12(period)
    frame = run(con, "sjukfranvaro_per_grupp", scope, fran=fran, till=till)
    groups = {row.grupp: row for row in frame.itertuples(index=False)}
    values: dict[str, float | None] = {}
    suppressed: list[str] = []
    for group, ids in SJUK_GROUPS.items():
        row = groups.get(group)
        if row is None:
            values.update(dict.fromkeys(ids))
            continue
        if group == "total":
            raw = {
                "sjukfranvaro_total_pct": ratio(row.sjuk_timmar, row.ordinarie_timmar),
                "sjukfranvaro_kort_pct": ratio(row.sjuk_kort_timmar, row.ordinarie_timmar),
                "sjukfranvaro_lang_andel_pct": ratio(row.sjuk_lang_timmar, row.sjuk_timmar),
            }
        else:
            raw = {ids[0]: ratio(row.sjuk_timmar, row.ordinarie_timmar)}
        hide = suppression.sjuk_suppressed(_int(row.personer))
        for metric_id, value in raw.items():
            # A missing ratio is null, not suppressed (contract: "Missing and zero").
            if value is not None and hide:
                suppressed.append(metric_id)
                value = None
            values[metric_id] = value
    result = {"fran": format_period(fran), "till": format_period(period)}
    result.update({metric_id: values[metric_id] for ids in SJUK_GROUPS.values() for metric_id in ids})
    return result, suppressed


def rorlighet(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> dict:
    """Turnover over the 12 months ending P and events year to date."""
    fran, slut = window_12(period)
    arsstart = dt.date(period.year, 1, 1)
    counts = run(con, "rorlighet_nyckeltal", scope, fran=fran, slut=slut, arsstart=arsstart).iloc[0]
    per_month = run(con, "tillsvidare_per_manad", scope, fran=fran, till=period)
    mean_headcount = float(per_month["antal_tillsvidare"].mean()) if len(per_month) else None
    return {
        "personalomsattning_pct": ratio(counts.avgangar_tillsvidare_12m, mean_headcount),
        "avgangar_tillsvidare_hittills": _int(counts.avgangar_tillsvidare_hittills),
        "rekryteringar_tillsvidare_hittills": _int(counts.rekryteringar_tillsvidare_hittills),
        "avgangar_tidsbegransade_hittills": _int(counts.avgangar_tidsbegransade_hittills),
        "rekryteringar_tidsbegransade_hittills": _int(counts.rekryteringar_tidsbegransade_hittills),
    }


def pension(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, pensionsalder: int) -> dict:
    """Tillsvidare at P reaching the retirement age already and in each of the next three years."""
    frame = run(con, "pension_per_ar", scope, period=period, pensionsalder=pensionsalder)
    by_year = {int(r.pensionsar): int(r.antal) for r in frame.itertuples(index=False)}
    return {
        "pensionsalder": pensionsalder,
        "pension_redan": sum(n for year, n in by_year.items() if year <= period.year),
        "pension_per_ar": {str(y): by_year.get(y, 0) for y in range(period.year + 1, period.year + 4)},
    }


def medarbetarenkat(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, min_svar: int = suppression.ENKAT_MIN_SVAR
) -> tuple[dict | None, list[str]]:
    """Survey indices of the latest survey year ≤ year(P), suppressed under min_svar respondents."""
    if not has_table(con, "medarbetarenkat"):
        return None, []
    # Only year(P) matters: P and P−12 of the same year, and the Kolada comparison's December, are
    # one result. Kept (the latest few per connection) for the app's frozen connections.
    memo = remembered(con, ("medarbetarenkat",), dict)
    key = (period.year, scope, min_svar)
    with _SURVEY_LOCK:
        known = memo.get(key)
    if known is None:
        known = _medarbetarenkat(con, period.year, scope, min_svar)
        with _SURVEY_LOCK:
            if len(memo) >= _SURVEY_KEPT:
                memo.pop(next(iter(memo)))
            memo[key] = known
    result, suppressed = known
    return dict(result), list(suppressed)


_SURVEY_LOCK = threading.Lock()
_SURVEY_KEPT = 64


def _medarbetarenkat(
    con: duckdb.DuckDBPyConnection, ar: int, scope: Scope, min_svar: int
) -> tuple[dict, tuple[str, ...]]:
    questions = run(con, "medarbetarenkat_per_fraga", scope, ar=ar)
    result: dict = {
        "ar": None,
        "medarbetarindex": None,
        "medarbetarindex_motivation": None,
        "medarbetarindex_ledarskap": None,
        "medarbetarindex_styrning": None,
        "antal_svar": 0,
        "svarsfrekvens_pct": None,
    }
    if questions.empty:
        return result, ()
    year = int(questions["ar"].iloc[0])
    respondents = run(con, "medarbetarenkat_svarande", scope, ar=year).iloc[0]
    antal_svar = _int(respondents.antal_svar)
    delindex = {}
    for name in DELINDEX:
        values = questions.loc[questions["delindex"] == name, "index"].dropna()
        delindex[name] = float(values.mean()) if len(values) else None
    present = [v for v in delindex.values() if v is not None]
    result.update(
        {
            "ar": year,
            "medarbetarindex": sum(present) / len(present) if present else None,
            "medarbetarindex_motivation": delindex["motivation"],
            "medarbetarindex_ledarskap": delindex["ledarskap"],
            "medarbetarindex_styrning": delindex["styrning"],
            "antal_svar": antal_svar,
            "svarsfrekvens_pct": ratio(antal_svar, _float(respondents.antal_inbjudna))
            if has_column(con, "medarbetarenkat", "antal_inbjudna")
            else None,
        }
    )
    suppressed = []
    if suppression.enkat_suppressed(antal_svar, min_svar):
        for key in ("medarbetarindex", *(f"medarbetarindex_{n}" for n in DELINDEX)):
            if result[key] is not None:
                suppressed.append(key)
            result[key] = None
    return result, tuple(suppressed)


def incidenter(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> dict | None:
    """Incidents per tertial: all of year(P)−1 and year(P)'s tertials begun by P, zeros listed."""
    if not has_table(con, "incidenter"):
        return None
    fran = dt.date(period.year - 1, 1, 1)
    frame = run(con, "incidenter_per_tertial", scope, fran=fran, slut=month_end(period))
    counts = {
        (int(r.ar), int(r.tertial)): (int(r.antal), int(r.hot_och_vald))
        for r in frame.itertuples(index=False)
    }
    rows = []
    for year in (period.year - 1, period.year):
        for t in (1, 2, 3):
            if year == period.year and tertial_start_month(t) > period.month:
                continue
            antal, hot = counts.get((year, t), (0, 0))
            rows.append({"ar": year, "tertial": t, "antal": antal, "hot_och_vald": hot})
    return {"per_tertial": rows}


def aktiviteter(
    con: duckdb.DuckDBPyConnection,
    period: dt.date,
    scope: Scope,
    state_dir: Path | None = None,
    today: dt.date | None = None,
) -> dict | None:
    """Activities per current status (change log first, else plan) and the overdue count."""
    if not has_table(con, "aktiviteter"):
        return None
    from kfp_metrics import aktivitetslogg

    plan = run(con, "aktiviteter_i_scope", scope)
    latest = aktivitetslogg.latest_by_activity(state_dir)
    reference = reference_date(period, today)
    per_status: Counter[str] = Counter()
    overdue = 0
    # Plain lists: iterating the frame's rows cost more than the query at 750 activities.
    rows = zip(plan["aktivitet_id"].tolist(), plan["status"].tolist(), plan["maldatum"].tolist(), strict=True)
    for aktivitet_id, plan_status, maldatum in rows:
        change = latest.get(aktivitet_id)
        status = change.status if change else plan_status
        per_status[status] += 1
        if maldatum is not None and not pd.isna(maldatum):
            if pd.Timestamp(maldatum).date() < reference and status not in ("klar", "installd"):
                overdue += 1
    return {"per_status": {s: per_status.get(s, 0) for s in STATUSES}, "forsenade": overdue}


SECTIONS = (
    "personal",
    "sjukfranvaro",
    "rorlighet",
    "pension",
    "medarbetarenkat",
    "incidenter",
    "aktiviteter",
    "jamstalldhet",
    "jamforelse",
)


def section(
    con: duckdb.DuckDBPyConnection,
    name: str,
    period: dt.date,
    scope: Scope,
    pensionsalder: int = DEFAULT_PENSIONSALDER,
    state_dir: Path | None = None,
    today: dt.date | None = None,
    enkat_min_svar: int = suppression.ENKAT_MIN_SVAR,
) -> tuple[dict | None, list]:
    """One section of the nyckeltal object and the undertryckta entries it adds."""
    if name == "sjukfranvaro":
        return sjukfranvaro(con, period, scope)
    if name == "medarbetarenkat":
        return medarbetarenkat(con, period, scope, enkat_min_svar)
    if name == "personal":
        return personal(con, period, scope), []
    if name == "rorlighet":
        return rorlighet(con, period, scope), []
    if name == "pension":
        return pension(con, period, scope, pensionsalder), []
    if name == "incidenter":
        return incidenter(con, period, scope), []
    if name == "aktiviteter":
        return aktiviteter(con, period, scope, state_dir, today), []
    if name == "jamstalldhet":
        return jamstalldhet.section(con, period, scope)
    if name == "jamforelse":
        # Public Kolada values beside, never inside, the own figures (contract section 3).
        from kfp_metrics.kolada import jamforelse

        return jamforelse.json_section(con, period), []
    raise KeyError(f"Okänt avsnitt: {name}")


def assemble(period: dt.date, scope: Scope, parts: dict[str, tuple[dict | None, list]]) -> dict:
    """The nyckeltal object from computed sections, in the contract's order."""
    result = {"period": format_period(period), "scope": scope.as_dict()}
    hidden = []
    for name in SECTIONS:
        if name in parts and name != "jamforelse":
            value, extra = parts[name]
            result[name] = value
            hidden += extra
    # As the contract lists them: the sick-leave entries first, then the survey's, then jämställdhet's.
    result["undertryckta"] = hidden
    if "jamforelse" in parts:
        result["jamforelse"] = parts["jamforelse"][0]
    return result


def compute(
    con: duckdb.DuckDBPyConnection,
    period: dt.date,
    scope: Scope,
    pensionsalder: int = DEFAULT_PENSIONSALDER,
    state_dir: Path | None = None,
    today: dt.date | None = None,
    enkat_min_svar: int = suppression.ENKAT_MIN_SVAR,
    sections: Iterable[str] | None = None,
) -> dict:
    """The whole nyckeltal object of contract section 3 (numbers unrounded); with sections, only
    those (and their undertryckta entries): a page computes nothing it does not show."""
    names = SECTIONS if sections is None else tuple(n for n in SECTIONS if n in set(sections))
    parts = {
        name: section(con, name, period, scope, pensionsalder, state_dir, today, enkat_min_svar)
        for name in names
    }
    return assemble(period, scope, parts)


def scope_warnings(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[str]:
    """Swedish warnings for scope names that do not exist in the extracts (they give zeros)."""
    if scope.is_all:
        return []
    org = run(con, "organisation", Scope())
    warnings = []
    for column, label, names in (
        ("forvaltning", "förvaltning", scope.forvaltning),
        ("avdelning", "avdelning", scope.avdelning),
        ("enhet", "enhet", scope.enhet),
    ):
        known = set(org[column])
        for name in names:
            if name not in known:
                warnings.append(f"Varning: {label} {name!r} finns inte i extrakten; urvalet blir tomt.")
    return warnings


def avdelning_targets(
    con: duckdb.DuckDBPyConnection, period: dt.date, metric_id: str, pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], float | None]:
    """metric_id's target for each (förvaltning, avdelning) of the data, as targets() gives it for a
    scope of that avdelning alone: its own target, else its förvaltning's. One query for every
    förvaltning (the latest target year taken per förvaltning, as a scope of one has it)."""
    pairs = list(pairs)
    if not has_table(con, "mal"):
        return dict.fromkeys(pairs)
    result: dict[tuple[str, str], float | None] = {}
    forvaltningar = sorted({f for f, _ in pairs})
    if not forvaltningar:
        return result
    every = run(con, "mal_for_ar_per_forvaltning", Scope.of(forvaltningar), ar=period.year)
    every = every[every["nyckeltal"] == metric_id]
    for forvaltning in forvaltningar:
        rows = every[every["forvaltning"] == forvaltning]
        own = {r.avdelning: float(r.malvarde) for r in rows.itertuples() if not pd.isna(r.avdelning)}
        general = {r.forvaltning: float(r.malvarde) for r in rows.itertuples() if pd.isna(r.avdelning)}
        for f, a in pairs:
            if f == forvaltning:
                result[(f, a)] = own.get(a, general.get(f))
    return result


def targets(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> dict[str, float]:
    """Targets from `mal` for the scope: an avdelning's own target overrides its förvaltning's.

    Where the scope spans units with different targets, that metric has no single target.
    """
    if not has_table(con, "mal"):
        return {}
    frame = run(con, "mal_for_ar", scope, ar=period.year)
    if frame.empty:
        return {}
    avdelningar = list(scope.avdelning)
    if not avdelningar and scope.enhet:
        avdelningar = sorted(set(run(con, "organisation", scope)["avdelning"]))
    # The scope's avdelningar, only where targets are looked up per avdelning.
    pairs = set()
    if avdelningar:
        org = run(con, "organisation", Scope.of(scope.forvaltning, avdelningar))
        pairs = {(r.forvaltning, r.avdelning) for r in org.itertuples()}
    # Plain lists per metric, in the metrics' sorted order: a pandas groupby of a few rows cost more
    # than the rest of the function.
    by_metric: dict = {}
    for row in zip(
        frame["nyckeltal"].tolist(),
        frame["forvaltning"].tolist(),
        frame["avdelning"].tolist(),
        frame["malvarde"].tolist(),
        strict=True,
    ):
        by_metric.setdefault(row[0], []).append(row[1:])
    result: dict[str, float] = {}
    for metric_id in sorted(by_metric):
        rows = by_metric[metric_id]
        own = {(f, a): float(v) for f, a, v in rows if not pd.isna(a)}
        general = {f: float(v) for f, a, v in rows if pd.isna(a)}
        if avdelningar:
            candidates = {own.get(pair, general.get(pair[0])) for pair in pairs}
        else:
            forvaltningar = set(scope.forvaltning) or set(general)
            candidates = {general.get(f) for f in forvaltningar}
        if len(candidates) == 1 and None not in candidates:
            result[str(metric_id)] = candidates.pop()
    return result
