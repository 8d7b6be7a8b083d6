"""A drafted nulägesanalys in Swedish prose, written from the key figures of one period and scope.

The figures are gathered once (`fakta`) and the text is written from them (`skriv`), so the
wording can be tested on hand-made figures. Suppressed figures are never used: where a figure is
withheld the text says that it is not reported, and no comparison is drawn from it.
"""

from __future__ import annotations

import datetime as dt
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from kfp_metrics import jamstalldhet, nyckeltal, suppression, urval
from kfp_metrics.analys import MIN_GRUPP
from kfp_metrics.extracts import frozen_cursor, has_table
from kfp_metrics.format import MANADER, manad, procent, tal
from kfp_metrics.periods import add_months, window_12
from kfp_metrics.queries import Scope, run, submit_sharing
from kfp_metrics.rapport import undertryckning

TOPICS = {
    "personal": "Personal",
    "rorlighet": "Rekryteringar, avgångar och personalomsättning",
    "pension": "Pensionsavgångar",
    "rekryteringsbehov": "Rekryteringsbehov",
    "sjukfranvaro": "Sjukfrånvaro",
    "heltid": "Heltid",
    "medarbetarenkat": "Medarbetarenkät",
    "incidenter": "Incidenter",
    "kompetensgap": "Kompetensgap",
    "jamstalldhet": "Jämställdhet",
    "aktiviteter": "Handlingsplan",
}

STORSTA_BEFATTNINGAR = 5
ANTAL_FRAGOR = 2
# A change smaller than this (in the unit shown) is described as unchanged.
OFORANDRAD = 0.05

# The nyckeltal sections the text and the key-figures table read. At P every section but Kolada's
# and jämställdhet's (the report's Kolada table and its jämställdhet comparison,
# jamstalldhet_analys.jamforelse, are made on their own); at P−12 only those compared with a year
# before (Fakta.previous, content.nyckeltal_rader): nothing is computed that the report does not show.
SECTIONS_NOW = tuple(name for name in nyckeltal.SECTIONS if name not in ("jamforelse", "jamstalldhet"))
SECTIONS_BEFORE = ("personal", "sjukfranvaro", "rorlighet", "medarbetarenkat")


@dataclass(frozen=True)
class Subjekt:
    """How the text names the scope: in full the first time, then in short."""

    full: str
    kort: str


@dataclass
class Fakta:
    """Everything the text is written from, already free of suppressed values."""

    period: dt.date
    first_period: dt.date | None
    subjekt: Subjekt
    now: dict
    before: dict | None
    targets: dict[str, float]
    kon: tuple[int, int]
    kon_before: tuple[int, int] | None
    befattningar: list[tuple[str, int]] = field(default_factory=list)
    omsattning_befattning: list[tuple[str, float]] = field(default_factory=list)
    fragor: list[tuple[str, float]] = field(default_factory=list)
    kompetensgap: list[tuple[str, float, int]] = field(default_factory=list)
    rekryteringsbehov: dict | None = None
    # Women beside men (jamstalldhet_analys.jamforelse, the pages' suppression applied); None
    # where the scope is empty. chef tells whether the extracts have the chef column.
    jamstalldhet: pd.DataFrame | None = None
    chef: bool = False
    tertialer: object | None = None  # incidenter.Tertialer: like-with-like incident comparisons

    @property
    def hidden(self) -> set[str]:
        return set(self.now.get("undertryckta", []))

    def value(self, section: str, metric_id: str):
        """A figure at P, None when missing or suppressed."""
        if metric_id in self.hidden:
            return None
        return (self.now.get(section) or {}).get(metric_id)

    def previous(self, section: str, metric_id: str):
        """The same figure at P−12, None when missing, suppressed or not comparable."""
        if not self.before or metric_id in set(self.before.get("undertryckta", [])):
            return None
        return (self.before.get(section) or {}).get(metric_id)


@dataclass(frozen=True)
class Nulagesanalys:
    """The draft: paragraphs per topic, in reading order (topics without text are absent)."""

    amnen: dict[str, list[str]]

    def stycken(self) -> list[str]:
        """Every paragraph in reading order."""
        return [p for paragraphs in self.amnen.values() for p in paragraphs]

    def text(self) -> str:
        """The draft as plain text, paragraphs separated by a blank line."""
        return "\n\n".join(self.stycken())


# --- Swedish wording helpers -------------------------------------------------------------------


def antal(n: int, singular: str, plural: str, zero: str | None = None) -> str:
    """'1 person', '2 personer', '1 663 personer'; zero as given (e.g. 'inga personer')."""
    if n == 0 and zero is not None:
        return zero
    return f"{tal(n)} {singular if n == 1 else plural}"


def uppraknad(items: list[str]) -> str:
    """'a', 'a och b', 'a, b och c'."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " och " + items[-1]


def forandring_text(
    subject: str, delta: float | None, unit: str, neuter: bool = False, inverted: bool = False
) -> str | None:
    """'andelen män har ökat med 2,0 procentenheter', '… har minskat med …', '… är oförändrad'.

    inverted puts the verb first, for a sentence opened by an adverbial (Swedish V2 order):
    'Sedan september 2023 har andelen män ökat …'.
    """
    if delta is None or (isinstance(delta, float) and math.isnan(delta)):
        return None
    if abs(delta) < OFORANDRAD:
        verb, rest = "är", "oförändrat" if neuter else "oförändrad"
    else:
        verb, rest = "har", f"{'ökat' if delta > 0 else 'minskat'} med {_unit_value(abs(delta), unit)}"
    return f"{verb} {subject} {rest}" if inverted else f"{subject} {verb} {rest}"


def _unit_value(value: float, unit: str) -> str:
    if unit == "procentenheter":
        return f"{tal(value, 1)} procentenheter"
    if unit == "enheter":
        return f"{tal(value, 1)} enheter"
    return tal(value)


def befattning_namn(name: str) -> str:
    """A befattning as written inside a sentence: 'Undersköterska' → 'undersköterska'; 'IT-tekniker' kept."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def manadsintervall(period: dt.date) -> str:
    """'januari–september 2024', or 'januari 2024' in January."""
    if period.month == 1:
        return manad(period)
    return f"januari–{MANADER[period.month - 1]} {period.year}"


def fonster(period: dt.date) -> str:
    """The 12 months ending P in words: 'oktober 2023–september 2024'."""
    fran, _ = window_12(period)
    return f"{manad(fran)}–{manad(period)}"


def mal_jamforelse(value: float, target: float, better: str | None) -> str:
    """'under målet på 6,0 %, som därmed nås' / 'över målet …' / 'i nivå med målet …' (percentages)."""
    mal = procent(target)
    if abs(value - target) < OFORANDRAD:
        return f"i nivå med målet på {mal}"
    above = value > target
    met = (not above) if better == "lower" else above
    position = "över" if above else "under"
    return f"{position} målet på {mal}, som därmed {'nås' if met else 'inte nås'}"


def subjekt_for(scope: Scope, forvaltningar: list[str], org: pd.DataFrame | None = None) -> Subjekt:
    """Name the scope: a förvaltning by its name, an avdelning or enhet likewise (followed by its
    förvaltning where the name exists in several, org being the organisation tree), else all
    förvaltningar."""

    def named(names: tuple[str, ...], word: str, definite: str, plural: str, level: str) -> Subjekt:
        shown = [urval.namn(n, level, org, scope) for n in names]
        if len(names) == 1:
            full = shown[0] if names[0].lower().startswith(word) else f"{definite} {shown[0]}"
            return Subjekt(full, definite)
        return Subjekt(f"{plural} {uppraknad(shown)}", plural)

    if scope.enhet:
        return named(scope.enhet, "enhet", "Enheten", "Enheterna", "enhet")
    if scope.avdelning:
        return named(scope.avdelning, "avdelning", "Avdelningen", "Avdelningarna", "avdelning")
    if scope.forvaltning:
        return named(scope.forvaltning, "förvaltning", "Förvaltningen", "Förvaltningarna", "forvaltning")
    if len(forvaltningar) == 1:
        return Subjekt(forvaltningar[0], "Förvaltningen")
    return Subjekt("De redovisade förvaltningarna", "Förvaltningarna")


# --- Gathering the figures ---------------------------------------------------------------------


def _kon(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> tuple[int, int]:
    row = run(con, "personal_nyckeltal", scope, period=period).iloc[0]
    return nyckeltal._int(row.manadsavlonade_kvinnor), nyckeltal._int(row.manadsavlonade_man)


def comparable_before(before: dict | None, period: dt.date, first_period: dt.date | None) -> dict | None:
    """The P−12 figures with those nulled whose window the extracts do not fully cover.

    A snapshot at P−12 needs that month; a 12-month figure at P−12 needs P−23 onwards; a
    year-to-date figure a year ago needs January of last year.
    """
    if before is None or first_period is None or add_months(period, -12) < first_period:
        return None
    result = {key: (dict(value) if isinstance(value, dict) else value) for key, value in before.items()}
    if add_months(period, -23) < first_period:
        if result.get("sjukfranvaro"):
            for key in list(result["sjukfranvaro"]):
                if key.endswith("_pct"):
                    result["sjukfranvaro"][key] = None
        if result.get("rorlighet"):
            result["rorlighet"]["personalomsattning_pct"] = None
    if dt.date(period.year - 1, 1, 1) < first_period and result.get("rorlighet"):
        for key in list(result["rorlighet"]):
            if key.endswith("_hittills"):
                result["rorlighet"][key] = None
    return result


def _figures_at(
    con: duckdb.DuckDBPyConnection,
    month: dt.date,
    scope: Scope,
    pensionsalder: int,
    state_dir: Path | None,
    today: dt.date | None,
    enkat_min_svar: int,
    sections: tuple[str, ...] = SECTIONS_NOW,
) -> dict:
    """The nyckeltal object of one month (the sections given) with the report's withheld figures
    set to None."""
    raw = nyckeltal.compute(con, month, scope, pensionsalder, state_dir, today, enkat_min_svar, sections)
    return undertryckning.utan_dolda(raw, undertryckning.dolda(con, month, scope, raw))


def _details(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, pensionsalder: int) -> dict:
    """The figures the text needs besides the key figures, none of them depending on those."""
    from kfp_metrics import incidenter, prognos, rorlighet

    befattningar = run(con, "rapport_befattningar", scope, period=period)
    oms = rorlighet.personalomsattning_per_befattning(con, period, scope)
    return {
        "targets": nyckeltal.targets(con, period, scope),
        "kon": _kon(con, period, scope),
        "befattningar": [(str(r.befattning), int(r.antal)) for r in befattningar.itertuples(index=False)],
        "omsattning_befattning": [
            (str(r.befattning), float(r.personalomsattning_pct))
            for r in oms.itertuples(index=False)
            if r.personalomsattning_pct is not None and not pd.isna(r.personalomsattning_pct)
        ],
        "kompetensgap": _hamta_kompetensgap(con, period, scope),
        "rekryteringsbehov": prognos.compute(con, period, scope, pensionsalder=pensionsalder),
        "tertialer": incidenter.tertialer(con, period, scope),
    }


def fakta(
    con: duckdb.DuckDBPyConnection,
    period: dt.date,
    scope: Scope,
    pensionsalder: int = nyckeltal.DEFAULT_PENSIONSALDER,
    state_dir: Path | None = None,
    today: dt.date | None = None,
    enkat_min_svar: int = suppression.ENKAT_MIN_SVAR,
) -> Fakta:
    """Gather the figures for period and scope; suppressed values are dropped here.

    The figures of P−12 and those not depending on P's key figures are gathered beside P's, on
    cursors of their own (DuckDB runs the queries outside the GIL)."""
    perioder = run(con, "perioder", Scope())["period"]
    first = pd.Timestamp(perioder.iloc[0]).date() if len(perioder) else None
    p12 = add_months(period, -12)
    cursors = [frozen_cursor(con), frozen_cursor(con), frozen_cursor(con)]
    try:
        with ThreadPoolExecutor(max_workers=3) as pool:
            before_job = (
                submit_sharing(
                    pool,
                    _figures_at,
                    cursors[0],
                    p12,
                    scope,
                    pensionsalder,
                    state_dir,
                    today,
                    enkat_min_svar,
                    SECTIONS_BEFORE,
                )
                if first is not None and p12 >= first
                else None
            )
            details_job = submit_sharing(pool, _details, cursors[1], period, scope, pensionsalder)
            equality_job = submit_sharing(pool, _jamstalldhet_jamforelse, cursors[2], period, scope)
            now = _figures_at(con, period, scope, pensionsalder, state_dir, today, enkat_min_svar)
            before_raw = before_job.result() if before_job is not None else None
            details = details_job.result()
            equality = equality_job.result()
    finally:
        for cur in cursors:
            cur.close()
    before = comparable_before(before_raw, period, first)
    from kfp_metrics import rorlighet

    # A 12-month turnover whose window starts before the first event in handelser counts too few
    # departures: neither P's figure nor P−12's is used then.
    covered = rorlighet.tackning(con).fran
    for figures, month in ((now, period), (before, p12)):
        if covered is not None and month < covered and figures and figures.get("rorlighet"):
            figures["rorlighet"] = {**figures["rorlighet"], "personalomsattning_pct": None}
    org = run(con, "organisation", Scope())
    facts = Fakta(
        period=period,
        first_period=first,
        subjekt=subjekt_for(scope, sorted(set(org["forvaltning"])), org),
        now=now,
        before=before,
        targets=details["targets"],
        kon=details["kon"],
        kon_before=_kon(con, p12, scope) if before is not None else None,
    )
    facts.befattningar = details["befattningar"]
    facts.omsattning_befattning = details["omsattning_befattning"]
    facts.fragor = _hamta_fragor(con, period, scope, now, enkat_min_svar)
    facts.kompetensgap = details["kompetensgap"]
    facts.rekryteringsbehov = details["rekryteringsbehov"]
    if equality is not None:
        facts.jamstalldhet, facts.chef = equality
    facts.tertialer = details["tertialer"]
    return facts


def _jamstalldhet_jamforelse(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope
) -> tuple[pd.DataFrame, bool] | None:
    """Women beside men and whether there is a chef column; None where the scope is empty (where
    the nyckeltal object has no jämställdhet either)."""
    if jamstalldhet.scope_is_empty(con, scope):
        return None
    from kfp_metrics import jamstalldhet_analys

    return jamstalldhet_analys.jamforelse(con, period, scope), jamstalldhet_analys.has_chef(con)


def _hamta_fragor(con, period: dt.date, scope: Scope, now: dict, min_svar: int) -> list[tuple[str, float]]:
    """Question texts and indices of the scope's latest survey (withheld questions left out)."""
    if not now.get("medarbetarenkat") or "medarbetarindex" in set(now.get("undertryckta", [])):
        return []
    from kfp_metrics import medarbetarenkat

    frame = medarbetarenkat.fragor(con, period, scope, min_svar)
    shown = frame.dropna(subset=["index"])
    return [(str(r.fraga), float(r.index)) for r in shown.itertuples(index=False)]


def _hamta_kompetensgap(con, period: dt.date, scope: Scope) -> list[tuple[str, float, int]]:
    """Competence areas of the latest assessment ≤ year(P): mean gap and linked plan activities."""
    if not has_table(con, "kompetensgap"):
        return []
    from kfp_metrics import kompetensgap

    frame = kompetensgap.aktiviteter_per_omrade(con, period, scope).dropna(subset=["gap"])
    return [(str(r.omrade), float(r.gap), int(r.antal_aktiviteter)) for r in frame.itertuples(index=False)]


# --- Writing the text --------------------------------------------------------------------------


def _personal(f: Fakta) -> list[str]:
    p = f.now["personal"]
    n = p["antal_manadsavlonade"]
    s = f.subjekt
    if n == 0:
        return [f"{s.full} har inga anställda som uppbär månadslön i {manad(f.period)}."]
    k, m = f.kon
    first = (
        f"{s.full} har {antal(n, 'anställd', 'anställda')} som uppbär månadslön. Av dessa är "
        f"{antal(k, 'kvinna', 'kvinnor')} och {antal(m, 'man', 'män')}"
    )
    if f.value("personal", "andel_kvinnor_pct") is None:
        first += "."
    else:
        pk = round(100 * k / n)
        first += f", vilket innebär att {procent(pk, 0)} är kvinnor och {procent(100 - pk, 0)} män."
    comparable = f.previous("personal", "andel_kvinnor_pct") is not None and f.value(
        "personal", "andel_kvinnor_pct"
    )
    if comparable and f.kon_before and sum(f.kon_before):
        share_now = 100 * m / n
        share_before = 100 * f.kon_before[1] / sum(f.kon_before)
        change = forandring_text("andelen män", share_now - share_before, "procentenheter", inverted=True)
        first += f" Sedan {manad(add_months(f.period, -12))} {change}."
    paragraphs = [first]

    t, tb, tim = p["antal_tillsvidare"], p["antal_tidsbegransade"], p["antal_timavlonade"]
    if tb == 0:
        second = f"Samtliga månadsavlönade är tillsvidareanställda{_tillsvidare_kon(f, samtliga=True)}."
    elif t == 0:
        second = "Samtliga månadsavlönade är tidsbegränsat anställda."
    else:
        second = (
            f"Av de månadsavlönade är {antal(t, 'tillsvidareanställd', 'tillsvidareanställda')}"
            f"{_tillsvidare_kon(f)} och {antal(tb, 'tidsbegränsat anställd', 'tidsbegränsat anställda')} "
            f"({procent(100 * tb / n, 0)} av de månadsavlönade)."
        )
    if tim:
        second += (
            f" Därtill har {antal(tim, 'timavlönad', 'timavlönade')} haft anställning under "
            f"{manad(f.period)}."
        )
    before_p = (f.before or {}).get("personal")
    if before_p:
        t0, tb0 = before_p["antal_tillsvidare"], before_p["antal_tidsbegransade"]
        pct = f" ({procent(abs(100 * (t - t0) / t0))})" if t0 and t != t0 else ""
        change = forandring_text("antalet tillsvidareanställda", t - t0, "antal", neuter=True, inverted=True)
        second += f" Jämfört med {manad(add_months(f.period, -12))} {change}{pct}"
        if tb != tb0:
            second += f", och antalet tidsbegränsat anställda har {'ökat' if tb > tb0 else 'minskat'} "
            second += f"från {tal(tb0)} till {tal(tb)}."
        else:
            second += "."
    alder = f.value("personal", "medelalder")
    if alder is not None:
        second += f" Medelåldern bland de månadsavlönade är {tal(alder, 1)} år."
    paragraphs.append(second)

    if f.befattningar:
        top = f.befattningar[:STORSTA_BEFATTNINGAR]
        named = [f"{befattning_namn(name)} ({procent(100 * count / n, 0)})" for name, count in top]
        if len(f.befattningar) == 1:
            third = f"Samtliga månadsavlönade har befattningen {befattning_namn(f.befattningar[0][0])}."
        else:
            word = "yrkesgrupperna" if len(top) > 1 else "yrkesgruppen"
            third = f"De största {word} i {s.kort.lower()} är {uppraknad(named)}."
            rest = len(f.befattningar) - len(top)
            if rest > 0:
                third += f" Därtill kommer {antal(rest, 'mindre yrkesgrupp', 'mindre yrkesgrupper')}."
        paragraphs.append(third)
    return paragraphs


def _rorlighet(f: Fakta) -> list[str]:
    r = f.now["rorlighet"]
    before = (f.before or {}).get("rorlighet") or {}
    span = manadsintervall(f.period)
    rek, avg = r["rekryteringar_tillsvidare_hittills"], r["avgangar_tillsvidare_hittills"]
    rek0, avg0 = before.get("rekryteringar_tillsvidare_hittills"), before.get("avgangar_tillsvidare_hittills")
    text = (
        f"Hittills i år ({span}) har {antal(rek, 'rekrytering', 'rekryteringar', 'inga rekryteringar')} "
        "till tillsvidareanställning genomförts"
    )
    if rek0 is not None:
        diff = rek - rek0
        if diff == 0:
            text += ", lika många som under samma period förra året"
        else:
            more = "fler" if diff > 0 else "färre"
            text += f", vilket är {tal(abs(diff))} {more} än under samma period förra året ({tal(rek0)})"
    text += "."
    rek_tb = r["rekryteringar_tidsbegransade_hittills"]
    if rek_tb:
        text += f" Därtill har {antal(rek_tb, 'tidsbegränsad anställning', 'tidsbegränsade anställningar')} påbörjats."
    text += (
        f" Under samma period har {antal(avg, 'tillsvidareanställd', 'tillsvidareanställda', 'inga tillsvidareanställda')}"
        " avslutat sin anställning"
    )
    if avg0 is not None:
        text += f", att jämföra med {tal(avg0)} under samma period förra året"
    text += "."
    paragraphs = [text]

    oms = f.value("rorlighet", "personalomsattning_pct")
    if oms is not None:
        second = (
            f"Personalomsättningen bland tillsvidareanställda de senaste 12 månaderna ({fonster(f.period)}) "
            f"är {procent(oms)}"
        )
        oms0 = f.previous("rorlighet", "personalomsattning_pct")
        if oms0 is not None:
            second += f", att jämföra med {procent(oms0)} för motsvarande period året innan"
        target = f.targets.get("personalomsattning_pct")
        if target is not None:
            second += f". Det är {mal_jamforelse(oms, target, 'lower')}"
        second += "."
        top = [(name, rate) for name, rate in f.omsattning_befattning if rate > 0][:3]
        if top:
            first_name, first_rate = top[0]
            second += (
                f" Med en personalomsättning om {procent(first_rate)} är {befattning_namn(first_name)} den "
                "befattning som har högst personalomsättning"
            )
            if len(top) > 1:
                rest = [f"{befattning_namn(n)} ({procent(v)})" for n, v in top[1:]]
                second += f", följt av {uppraknad(rest)}"
            second += f" (befattningar med i genomsnitt minst {MIN_GRUPP} tillsvidareanställda)."
        paragraphs.append(second)
    return paragraphs


def _tillsvidare_kon(f: Fakta, samtliga: bool = False) -> str:
    """', varav 752 kvinnor och 264 män' for the tillsvidareanställda, as the plans print it; empty when
    withheld (fewer than MIN_GRUPP tillsvidareanställda)."""
    k = f.value("personal", "antal_tillsvidare_kvinnor")
    m = f.value("personal", "antal_tillsvidare_man")
    if k is None or m is None or not f.now["personal"]["antal_tillsvidare"]:
        return ""
    split = f"{antal(k, 'kvinna', 'kvinnor')} och {antal(m, 'man', 'män')}"
    return f" ({split})" if samtliga else f", varav {split},"


def _pension(f: Fakta) -> list[str]:
    p = f.now["pension"]
    years = sorted(p["pension_per_ar"].items())
    total = sum(n for _, n in years)
    alder = p["pensionsalder"]
    first_year, last_year = years[0][0], years[-1][0]
    if total == 0:
        text = (
            f"Ingen av de tillsvidareanställda når pensionsåldern {alder} år under de kommande tre åren "
            f"({first_year}–{last_year})."
        )
    else:
        parts = [f"{tal(n)} under {year}" for year, n in years]
        text = (
            f"Med en pensionsålder på {alder} år når {antal(total, 'tillsvidareanställd', 'tillsvidareanställda')} "
            f"pensionsåldern under de kommande tre åren: {uppraknad(parts)}."
        )
        tillsvidare = f.now["personal"]["antal_tillsvidare"]
        if tillsvidare:
            text += f" Det motsvarar {procent(100 * total / tillsvidare)} av de tillsvidareanställda."
    redan = p["pension_redan"]
    if redan:
        text += (
            f" Därtill har {antal(redan, 'tillsvidareanställd', 'tillsvidareanställda')} redan uppnått "
            f"eller uppnår pensionsåldern under {f.period.year}."
        )
    return [text]


def _rekryteringsbehov(f: Fakta) -> list[str]:
    if f.rekryteringsbehov is None:
        return []
    from kfp_metrics import prognos

    return [prognos.nulagestext(f.rekryteringsbehov)]


def _sjukfranvaro(f: Fakta) -> list[str]:
    s = f.now["sjukfranvaro"]
    window = fonster(f.period)
    total = f.value("sjukfranvaro", "sjukfranvaro_total_pct")
    if "sjukfranvaro_total_pct" in f.hidden:
        return [
            f"Sjukfrånvaron för {window} redovisas inte för urvalet eftersom gruppen har "
            f"{suppression.SJUK_MAX_UNDERTRYCKT} eller färre personer med schemalagd arbetstid."
        ]
    if total is None:
        return [f"Underlag för sjukfrånvaron saknas för {window}."]
    text = (
        f"Sjukfrånvaron de senaste 12 månaderna ({window}) är {procent(total)} av den ordinarie arbetstiden"
    )
    target = f.targets.get("sjukfranvaro_total_pct")
    if target is not None:
        text += f", vilket är {mal_jamforelse(total, target, 'lower')}"
    text += "."
    total0 = f.previous("sjukfranvaro", "sjukfranvaro_total_pct")
    if total0 is not None:
        change = forandring_text("sjukfrånvaron", total - total0, "procentenheter", inverted=True)
        text += f" Jämfört med motsvarande period året innan {change}."
    kort = f.value("sjukfranvaro", "sjukfranvaro_kort_pct")
    if kort is not None:
        text += f" Korttidssjukfrånvaron (dag 1–14) är {procent(kort)}"
        kort_target = f.targets.get("sjukfranvaro_kort_pct")
        if kort_target is not None:
            text += f", vilket är {mal_jamforelse(kort, kort_target, 'lower')}"
        text += "."
    lang = f.value("sjukfranvaro", "sjukfranvaro_lang_andel_pct")
    if lang is not None and s.get("sjukfranvaro_total_pct"):
        text += f" Av all sjukfrånvaro avser {procent(lang)} sjukperioder om 60 dagar eller mer."
    paragraphs = [text]

    kvinnor = f.value("sjukfranvaro", "sjukfranvaro_kvinnor_pct")
    man = f.value("sjukfranvaro", "sjukfranvaro_man_pct")
    parts = []
    if kvinnor is not None and man is not None:
        parts.append(f"Bland kvinnor är sjukfrånvaron {procent(kvinnor)} och bland män {procent(man)}.")
    elif kvinnor is not None or man is not None:
        shown, label = (kvinnor, "kvinnor") if kvinnor is not None else (man, "män")
        other = "män" if label == "kvinnor" else "kvinnor"
        parts.append(f"Bland {label} är sjukfrånvaron {procent(shown)}; för {other} redovisas den inte.")
    elif {"sjukfranvaro_kvinnor_pct", "sjukfranvaro_man_pct"} & f.hidden:
        parts.append("Sjukfrånvaron per kön redovisas inte för urvalet.")
    ages = [
        ("29 år och yngre", "sjukfranvaro_29_pct"),
        ("30–49 år", "sjukfranvaro_30_49_pct"),
        ("50 år och äldre", "sjukfranvaro_50_pct"),
    ]
    shown_ages = [(label, f.value("sjukfranvaro", mid)) for label, mid in ages]
    shown_ages = [(label, v) for label, v in shown_ages if v is not None]
    if len(shown_ages) == 1:
        label, v = shown_ages[0]
        parts.append(f"I åldersgruppen {label} är sjukfrånvaron {procent(v)}.")
    elif shown_ages:
        parts.append(
            "Per åldersgrupp är sjukfrånvaron "
            + uppraknad([f"{procent(v)} för {label}" for label, v in shown_ages])
            + "."
        )
    hidden_groups = [
        mid
        for mid in (*(m for _, m in ages), "sjukfranvaro_kvinnor_pct", "sjukfranvaro_man_pct")
        if mid in f.hidden
    ]
    if hidden_groups:
        parts.append(
            f"Grupper med {suppression.SJUK_MAX_UNDERTRYCKT} eller färre personer redovisas inte, och inte heller "
            "en grupp vars värde annars skulle kunna räknas fram ur totalen (se bilagan om röjandekontroll)."
        )
    if parts:
        paragraphs.append(" ".join(parts))
    return paragraphs


def _heltid(f: Fakta) -> list[str]:
    p = f.now["personal"]
    andel = f.value("personal", "heltid_andel_pct")
    if andel is None:
        if "heltid_andel_pct" in f.hidden:
            return [
                f"Andelen heltidsanställda redovisas inte eftersom urvalet har färre än {MIN_GRUPP} månadsavlönade."
            ]
        return []
    text = f"Andelen heltidsanställda bland de månadsavlönade är {procent(andel)}"
    k, m = f.value("personal", "heltid_andel_kvinnor_pct"), f.value("personal", "heltid_andel_man_pct")
    if k is not None and m is not None:
        text += f" (kvinnor {procent(k)}, män {procent(m)})"
    elif "heltid_andel_kvinnor_pct" in f.hidden or "heltid_andel_man_pct" in f.hidden:
        text += " (andelen per kön redovisas inte eftersom en av grupperna är för liten)"
    target = f.targets.get("heltid_andel_pct")
    if target is not None:
        text += f", vilket är {mal_jamforelse(andel, target, 'higher')}"
    text += "."
    andel0 = f.previous("personal", "heltid_andel_pct")
    if andel0 is not None:
        change = forandring_text("andelen heltidsanställda", andel - andel0, "procentenheter", inverted=True)
        text += f" Sedan {manad(add_months(f.period, -12))} {change}."
    deltid = p.get("antal_deltid")
    if deltid:
        text += f" Av de månadsavlönade har {tal(deltid)} en deltidsanställning."
    faktisk = f.value("personal", "heltidsarbetande_andel_pct")
    if faktisk is not None:
        text += f" Andelen som faktiskt arbetar heltid, efter partiella ledigheter, är {procent(faktisk)}."
    return [text]


def _medarbetarenkat(f: Fakta) -> list[str]:
    e = f.now.get("medarbetarenkat")
    if not e or e.get("ar") is None:
        return []
    year = e["ar"]
    n = e.get("antal_svar") or 0
    index = f.value("medarbetarenkat", "medarbetarindex")
    if index is None:
        if "medarbetarindex" in f.hidden:
            return [
                f"Resultaten från medarbetarenkäten {year} redovisas inte för urvalet eftersom färre än "
                f"{suppression.ENKAT_MIN_SVAR} personer har svarat."
            ]
        return []
    text = f"I medarbetarenkäten {year} svarade {antal(n, 'person', 'personer')}"
    frekvens = e.get("svarsfrekvens_pct")
    if frekvens is not None:
        text += f" (svarsfrekvens {procent(frekvens)})"
    text += f". Medarbetarindex är {tal(index, 1)} av 100"
    delar = [
        (label, f.value("medarbetarenkat", f"medarbetarindex_{key}"))
        for key, label in (("motivation", "motivation"), ("ledarskap", "ledarskap"), ("styrning", "styrning"))
    ]
    delar = [f"{label} {tal(v, 1)}" for label, v in delar if v is not None]
    if delar:
        text += f" ({uppraknad(delar)})"
    text += "."
    target = f.targets.get("medarbetarindex")
    if target is not None:
        met = index >= target
        text += f" Målet på {tal(target, 1)} {'nås' if met else 'nås inte'}."
    e0 = (f.before or {}).get("medarbetarenkat") or {}
    index0 = f.previous("medarbetarenkat", "medarbetarindex")
    if index0 is not None and e0.get("ar") is not None and e0["ar"] < year:
        change = forandring_text("medarbetarindex", index - index0, "enheter", neuter=True, inverted=True)
        text += f" Jämfört med enkäten {e0['ar']} {change}."
    paragraphs = [text]
    if len(f.fragor) >= 2 * ANTAL_FRAGOR:
        ranked = sorted(f.fragor, key=lambda q: (-q[1], q[0]))
        strong = ranked[:ANTAL_FRAGOR]
        weak = list(reversed(ranked[-ANTAL_FRAGOR:]))

        def listed(items):
            return uppraknad([f"”{q}” ({tal(v, 1)})" for q, v in items])

        paragraphs.append(
            f"Högst resultat har frågorna {listed(strong)}, vilket är styrkor att bygga vidare på. "
            f"Lägst resultat har frågorna {listed(weak)}, som kan bli fokusområden i det fortsatta arbetet."
        )
    return paragraphs


def _incidenter(f: Fakta) -> list[str]:
    """The latest complete tertial against the same tertial a year earlier, as the plans compare; the
    running tertial only so far, against the same months a year earlier."""
    if not f.now.get("incidenter") or f.tertialer is None:
        return []
    s = f.tertialer.senaste
    text = (
        f"Under tertial {s.tertial} {s.ar} ({s.manader}) anmäldes "
        f"{antal(s.antal, 'incident', 'incidenter', 'inga incidenter')}"
    )
    if s.antal:
        text += f", varav {_varav(s.hot_och_vald)} gällde hot och våld"
    text += f". Under samma tertial {s.ar - 1} anmäldes {antal(s.antal_fg, 'incident', 'incidenter', 'inga')}"
    if s.antal_fg:
        text += f", varav {_varav(s.hot_och_vald_fg)} gällde hot och våld"
    text += "."
    p = f.tertialer.pagaende
    if p is not None:
        text += (
            f" Hittills under tertial {p.tertial} {p.ar} ({p.manader}) har "
            f"{antal(p.antal, 'incident', 'incidenter', 'inga incidenter')} anmälts, mot "
            f"{antal(p.antal_fg, 'incident', 'incidenter', 'inga')} under samma "
            f"{'månad' if p.fran_manad == p.till_manad else 'månader'} {p.ar - 1}."
        )
    y = f.tertialer.i_ar
    if y.till_manad > 4:
        text += (
            f" Hittills i år ({y.manader}) har "
            f"{antal(y.hot_och_vald, 'anmälan', 'anmälningar', 'inga anmälningar')} om hot och våld gjorts, "
            f"mot {tal(y.hot_och_vald_fg)} under samma månader {y.ar - 1}."
        )
    return [text]


def _varav(n: int) -> str:
    return "ingen" if n == 0 else tal(n)


def _kompetensgap(f: Fakta) -> list[str]:
    gaps = sorted([g for g in f.kompetensgap if g[1] > 0], key=lambda g: (-g[1], g[0]))
    if not gaps:
        return []
    top = gaps[:3]
    named = [f"{befattning_namn(o)} ({tal(gap, 1)})" for o, gap, _ in top]
    text = (
        "I den senaste kompetensinventeringen är gapet mellan behov och nuläge störst inom "
        f"{uppraknad(named)} på en skala 1–5."
    )
    without = [befattning_namn(o) for o, _, n in top if n == 0]
    if without:
        text += f" Handlingsplanen saknar aktiviteter för {uppraknad(without)}."
    return [text]


def _aktiviteter(f: Fakta) -> list[str]:
    a = f.now.get("aktiviteter")
    if not a:
        return []
    per = a["per_status"]
    total = sum(per.values())
    if total == 0:
        return []
    late = a["forsenade"]
    if total == 1:
        status = next(code for code, n in per.items() if n)
        words = {
            "klar": "är klar",
            "pagar": "pågår",
            "ej_paborjad": "inte har påbörjats",
            "installd": "är inställd",
        }
        text = f"Handlingsplanen omfattar 1 aktivitet, som {words[status]}."
        if late:
            text += " Den är försenad: måldatum har passerats utan att den är klar eller inställd."
        return [text]
    parts = [
        f"{tal(per['klar'])} {'är klar' if per['klar'] == 1 else 'är klara'}" if per["klar"] else None,
        f"{tal(per['pagar'])} pågår" if per["pagar"] else None,
        f"{tal(per['ej_paborjad'])} har inte påbörjats" if per["ej_paborjad"] else None,
        f"{tal(per['installd'])} {'är inställd' if per['installd'] == 1 else 'är inställda'}"
        if per["installd"]
        else None,
    ]
    text = (
        f"Handlingsplanen omfattar {antal(total, 'aktivitet', 'aktiviteter')}, varav "
        f"{uppraknad([p for p in parts if p])}."
    )
    if late:
        text += (
            f" Av dessa är {tal(late)} {'försenad' if late == 1 else 'försenade'}: måldatum har passerats "
            "utan att aktiviteten är klar eller inställd."
        )
    else:
        text += " Ingen aktivitet är försenad."
    return [text]


def _jamstalldhet(f: Fakta) -> list[str]:
    """Which gaps between women and men narrowed and which did not, in the plans' words."""
    frame = f.jamstalldhet
    if frame is None or frame.empty:
        return []
    since = manad(add_months(f.period, -12))
    pairs = frame[frame["matt"] != "chefer"]
    shown = pairs[pairs["skillnad"].notna()]
    if shown.empty:
        return [
            "Jämställdhetsnyckeltalen redovisas inte för urvalet eftersom grupperna av kvinnor eller män "
            "är för små."
        ]

    def named(rows) -> str:
        return uppraknad([f"skillnad i {_gemen(r.namn)}" for r in rows.itertuples(index=False)])

    better = shown[shown["bedomning"] == "minskat"]
    worse = shown[shown["bedomning"] == "okat"]
    same = shown[shown["bedomning"] == "oforandrad"]
    first = []
    if len(better):
        word = "Det nyckeltal" if len(better) == 1 else "De nyckeltal"
        verb = "har" if len(better) == 1 else "har"
        first.append(
            f"{word} som förbättrats sedan {since} är {named(better)}: där {verb} skillnaden mellan kvinnor "
            "och män minskat."
        )
    if len(worse):
        first.append(f"Skillnaden har ökat i {uppraknad([_gemen(r.namn) for r in worse.itertuples()])}.")
    if len(same):
        first.append(f"Oförändrad är skillnaden i {uppraknad([_gemen(r.namn) for r in same.itertuples()])}.")
    small = [
        _gemen(r.namn)
        for r in shown.itertuples(index=False)
        if abs(r.skillnad) < 1
        and (r.skillnad_fore is None or pd.isna(r.skillnad_fore) or abs(r.skillnad_fore) < 1)
    ]
    if small:
        first.append(
            f"Skillnaden mellan kvinnor och män i {uppraknad(small)} är fortsatt liten, under en procentenhet."
        )
    if not (len(better) or len(worse) or len(same)):
        first.append(f"Skillnaderna kan inte jämföras med {since} eftersom underlag saknas för den perioden.")
    values = []
    for i, r in enumerate(shown.itertuples(index=False)):
        both = (
            f"{procent(r.kvinnor)} för kvinnor och {procent(r.man)} för män"
            if i == 0
            else (f"{procent(r.kvinnor)} respektive {procent(r.man)}")
        )
        values.append(f"{JAM_BESTAMD.get(r.matt, _gemen(r.namn))} {both}")
    text = values[0][0].upper() + uppraknad(values)[1:] + "."
    hidden = pairs[pairs["undertryckt"]]
    if len(hidden):
        text += (
            f" {uppraknad([_gemen(r.namn) for r in hidden.itertuples()]).capitalize()} redovisas inte per kön "
            "eftersom en av grupperna är för liten."
        )
    paragraphs = [" ".join(first), text]

    chef = frame[frame["matt"] == "chefer"].iloc[0]
    if not f.chef:
        paragraphs.append("Extrakten saknar uppgift om chefer, så lika chefskarriär kan inte redovisas.")
    elif chef["undertryckt"]:
        paragraphs.append(
            f"Andelen kvinnor bland cheferna redovisas inte eftersom urvalet har färre än {MIN_GRUPP} chefer."
        )
    elif not pd.isna(chef["kvinnor"]) and not pd.isna(chef["man"]) and chef["man"]:
        kvot = chef["kvinnor"] / chef["man"]
        line = (
            f"Andelen kvinnor bland cheferna är {procent(chef['kvinnor'])}, jämfört med {procent(chef['man'])} "
            f"bland alla månadsavlönade. Kvoten för lika chefskarriär är därmed {tal(kvot, 2)}, där 1 innebär "
            "att kvinnor är chefer lika ofta som de är anställda"
        )
        if chef["bedomning"] == "minskat":
            line += f"; skillnaden har minskat sedan {since}"
        elif chef["bedomning"] == "okat":
            line += f"; skillnaden har ökat sedan {since}"
        elif chef["bedomning"] == "oforandrad":
            line += f"; skillnaden är oförändrad sedan {since}"
        paragraphs.append(line + ".")
    return paragraphs


JAM_BESTAMD = {
    "andel_tillsvidare": "andelen tillsvidareanställda är",
    "sysselsattningsgrad": "den genomsnittliga sysselsättningsgraden",
    "lang_sjukfranvaro": "den långa sjukfrånvaron",
    "personalomsattning": "personalomsättningen",
}


def _gemen(name: str) -> str:
    return name[0].lower() + name[1:] if name else name


WRITERS = {
    "personal": _personal,
    "rorlighet": _rorlighet,
    "pension": _pension,
    "rekryteringsbehov": _rekryteringsbehov,
    "sjukfranvaro": _sjukfranvaro,
    "heltid": _heltid,
    "medarbetarenkat": _medarbetarenkat,
    "incidenter": _incidenter,
    "kompetensgap": _kompetensgap,
    "jamstalldhet": _jamstalldhet,
    "aktiviteter": _aktiviteter,
}


def skriv(f: Fakta) -> Nulagesanalys:
    """Write the draft from gathered figures."""
    amnen = {}
    for topic, writer in WRITERS.items():
        paragraphs = [p for p in writer(f) if p]
        if paragraphs:
            amnen[topic] = paragraphs
    return Nulagesanalys(amnen)


def analys(
    con: duckdb.DuckDBPyConnection,
    period: dt.date,
    scope: Scope,
    pensionsalder: int = nyckeltal.DEFAULT_PENSIONSALDER,
    state_dir: Path | None = None,
    today: dt.date | None = None,
) -> Nulagesanalys:
    """The drafted nulägesanalys per topic for period and scope."""
    return skriv(fakta(con, period, scope, pensionsalder, state_dir, today))


def nulagesanalys(
    con: duckdb.DuckDBPyConnection,
    period: dt.date,
    scope: Scope,
    pensionsalder: int = nyckeltal.DEFAULT_PENSIONSALDER,
    state_dir: Path | None = None,
    today: dt.date | None = None,
) -> list[str]:
    """The drafted nulägesanalys as paragraphs in reading order."""
    return analys(con, period, scope, pensionsalder, state_dir, today).stycken()
