"""What the nämndrapport holds: cover facts, key figures, prose, charts, the plan and the appendix.

Everything here is pure (no Streamlit, no browser): `collect` reads the extracts through one
DuckDB connection and returns a `Rapport` whose texts are already in Swedish form. The charts are
the analysis pages' own figure builders (kfp_metrics.personal, rorlighet, …); nothing is drawn
twice. html.py turns a Rapport into a self-contained HTML page and pdf.py prints it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go

from kfp_metrics import aktivitetslogg, catalog, charts, nyckeltal, suppression, urval
from kfp_metrics.analys import MAX_AVDELNINGAR, MIN_ANTAL_ORSAK, MIN_GRUPP, MIN_KORSTABELL
from kfp_metrics.extracts import frozen_cursor, has_table
from kfp_metrics.format import SUPPRESSED, datum, forandring, manad, tal
from kfp_metrics.nyckeltal import DEFAULT_PENSIONSALDER
from kfp_metrics.oversikt import metric_card
from kfp_metrics.periods import add_months, reference_date, tertial
from kfp_metrics.plan_io import FORVALTNINGSOVERGRIPANDE, UBARIA, UBARIA_LABELS
from kfp_metrics.queries import Scope, run, shared_results, submit_sharing
from kfp_metrics.rapport import nulagesanalys as na
from kfp_metrics.rapport import rekryteringsbehov
from kfp_metrics.rapport.avsnitt import AVSNITT

AREA_SECTIONS = (
    "personal",
    "rorlighet",
    "prognos",
    "sjukfranvaro",
    "heltid",
    "medarbetarenkat",
    "incidenter",
    "kompetensgap",
    "jamstalldhet",
)

# Threads that build the sections side by side.
WORKERS = 3
# Charts are drawn at a fixed width that fits the printable A4 width (about 170 mm at 96 px/in).
PRINT_WIDTH_PX = 640


@dataclass(frozen=True)
class Granskning:
    """Reviewed text for one topic of the nulägesanalys (a key of nulagesanalys.TOPICS): its
    paragraphs replace the draft's, and the outputs mark it 'Granskad av <av>, <datum>'."""

    amne: str
    stycken: tuple[str, ...]
    av: str
    datum: dt.date

    @property
    def markering(self) -> str:
        """'Granskad av Anna Berg, 14 oktober 2024'."""
        return f"Granskad av {self.av}, {datum(self.datum)}"


@dataclass(frozen=True)
class Options:
    """What the reader chose: period, scope, sections and title; skapad is injectable for tests.

    granskningar holds reviewed text per nulägesanalys topic (see Granskning); topics without one
    keep the drafted text."""

    period: dt.date
    scope: Scope = field(default_factory=Scope)
    avsnitt: tuple[str, ...] = tuple(AVSNITT)
    titel: str | None = None
    pensionsalder: int = DEFAULT_PENSIONSALDER
    skapad: dt.datetime | None = None
    fingeravtryck: str = ""
    state_dir: Path | None = None
    granskningar: tuple[Granskning, ...] = ()


@dataclass
class Figur:
    """One chart: its number, heading (the builder's title), the figure and a note under it."""

    id: str
    nummer: int
    rubrik: str
    figure: go.Figure | None
    meddelande: str | None = None
    kalla: str = ""


@dataclass
class Tabell:
    """A small table in Swedish text: headings, rows and which columns are numbers."""

    rubrik: str
    kolumner: list[str]
    rader: list[list[str]]
    numeriska: tuple[int, ...] = ()
    radklasser: list[str] = field(default_factory=list)


@dataclass
class Jamforelse:
    """Kolada beside the own figures: one table and its notes, shared by every report format."""

    rubrik: str
    tabell: Tabell
    noter: list[str]


@dataclass
class NyckeltalRad:
    """A row of the key-figures table."""

    grupp: str
    id: str
    namn: str
    varde: str
    mal: str
    forandring: str
    maluppfyllelse: str
    undertryckt: bool = False


@dataclass
class PlanRad:
    """An activity of the plan with its current status."""

    aktivitet: str
    mal: str
    avdelning: str
    ansvarig: str
    maldatum: str
    status: str
    forsenad: bool
    uppfoljning: str


@dataclass
class Avsnitt:
    """An area section: heading, short text, charts, tables and notes."""

    id: str
    rubrik: str
    text: list[str]
    figurer: list[Figur] = field(default_factory=list)
    tabeller: list[Tabell] = field(default_factory=list)
    noter: list[str] = field(default_factory=list)


@dataclass
class Rapport:
    """Everything the printed report shows, in Swedish form."""

    titel: str
    options: Options
    framsida: list[tuple[str, str]]
    avsnitt_valda: tuple[str, ...]
    nyckeltal: list[NyckeltalRad]
    nyckeltal_jamforelse: str
    nulagesanalys: na.Nulagesanalys
    omraden: list[Avsnitt]
    plan: dict[str, list[PlanRad]] | None
    plan_referensdatum: str
    bilaga: list[tuple[str, list[tuple[str, str]]]]
    regler: list[str]
    sidfot: str
    jamforelse: Jamforelse | None = None
    granskade: dict[str, Granskning] = field(default_factory=dict)
    utkast: na.Nulagesanalys | None = None  # the draft before any reviewed text replaced it

    def har(self, avsnitt: str) -> bool:
        return avsnitt in self.avsnitt_valda


# --- Words for the scope ---------------------------------------------------------------------


def scope_text(scope: Scope, org: pd.DataFrame | None = None) -> str:
    """The scope in a chart title, as the pages write it: the most specific level named, with its
    förvaltning where the name exists in several (org: the organisation tree)."""
    return urval.beskriv(scope, org)


def scope_words(scope: Scope) -> str:
    """The filters in words for the cover: 'Förvaltning: A · Avdelning: X · Enhet: alla enheter'."""
    parts = []
    for label, names, everything in (
        ("Förvaltning", scope.forvaltning, "alla förvaltningar"),
        ("Avdelning", scope.avdelning, "alla avdelningar"),
        ("Enhet", scope.enhet, "alla enheter"),
    ):
        parts.append(f"{label}: {', '.join(names) if names else everything}")
    return " · ".join(parts)


def tertial_text(period: dt.date) -> str:
    """'tertial 3 2024'."""
    return f"tertial {tertial(period.month)} {period.year}"


def default_title(
    period: dt.date,
    scope: Scope,
    forvaltningar: tuple[str, ...] | list[str] = (),
    org: pd.DataFrame | None = None,
) -> str:
    """'Kompetensförsörjning – Förvaltning A, tertial 3 2024'; forvaltningar are those in the extracts,
    so that extracts of a single förvaltning are named even when no filter is set, and org (the
    organisation tree) names the förvaltning of an avdelning whose name is not unique."""
    who = scope_text(scope, org)
    if scope.is_all:
        who = forvaltningar[0] if len(forvaltningar) == 1 else "alla förvaltningar"
    return f"Kompetensförsörjning – {who}, {tertial_text(period)}"


def tidpunkt(moment: dt.datetime) -> str:
    """'23 november 2025 kl. 10.41'."""
    return f"{datum(moment.date())} kl. {moment:%H.%M}"


# --- Key figures -------------------------------------------------------------------------------

NYCKELTAL_RADER: tuple[tuple[str, str, str], ...] = (
    ("Personal", "personal", "antal_manadsavlonade"),
    ("Personal", "personal", "antal_tillsvidare"),
    ("Personal", "personal", "antal_tillsvidare_kvinnor"),
    ("Personal", "personal", "antal_tillsvidare_man"),
    ("Personal", "personal", "antal_tidsbegransade"),
    ("Personal", "personal", "antal_timavlonade"),
    ("Personal", "personal", "andel_kvinnor_pct"),
    ("Personal", "personal", "medelalder"),
    ("Heltid", "personal", "heltid_andel_pct"),
    ("Heltid", "personal", "heltid_andel_kvinnor_pct"),
    ("Heltid", "personal", "heltid_andel_man_pct"),
    ("Heltid", "personal", "heltidsarbetande_andel_pct"),
    ("Sjukfrånvaro, 12 månader", "sjukfranvaro", "sjukfranvaro_total_pct"),
    ("Sjukfrånvaro, 12 månader", "sjukfranvaro", "sjukfranvaro_kort_pct"),
    ("Sjukfrånvaro, 12 månader", "sjukfranvaro", "sjukfranvaro_lang_andel_pct"),
    ("Sjukfrånvaro, 12 månader", "sjukfranvaro", "sjukfranvaro_kvinnor_pct"),
    ("Sjukfrånvaro, 12 månader", "sjukfranvaro", "sjukfranvaro_man_pct"),
    ("Sjukfrånvaro, 12 månader", "sjukfranvaro", "sjukfranvaro_29_pct"),
    ("Sjukfrånvaro, 12 månader", "sjukfranvaro", "sjukfranvaro_30_49_pct"),
    ("Sjukfrånvaro, 12 månader", "sjukfranvaro", "sjukfranvaro_50_pct"),
    ("Rörlighet", "rorlighet", "personalomsattning_pct"),
    ("Rörlighet", "rorlighet", "rekryteringar_tillsvidare_hittills"),
    ("Rörlighet", "rorlighet", "avgangar_tillsvidare_hittills"),
    ("Rörlighet", "rorlighet", "rekryteringar_tidsbegransade_hittills"),
    ("Rörlighet", "rorlighet", "avgangar_tidsbegransade_hittills"),
    ("Medarbetarenkät", "medarbetarenkat", "medarbetarindex"),
    ("Medarbetarenkät", "medarbetarenkat", "medarbetarindex_motivation"),
    ("Medarbetarenkät", "medarbetarenkat", "medarbetarindex_ledarskap"),
    ("Medarbetarenkät", "medarbetarenkat", "medarbetarindex_styrning"),
    ("Medarbetarenkät", "medarbetarenkat", "antal_svar"),
    ("Medarbetarenkät", "medarbetarenkat", "svarsfrekvens_pct"),
)


def nyckeltal_rader(f: na.Fakta) -> list[NyckeltalRad]:
    """The key-figures table: value, target, change against P−12 and the target status in words."""
    hidden = f.hidden
    before = f.before
    last_year = f" mot {manad(add_months(f.period, -12))}"
    rows = []
    for grupp, section, metric_id in NYCKELTAL_RADER:
        if f.now.get(section) is None:
            continue
        if (
            metric_id == "heltidsarbetande_andel_pct"
            and f.now["personal"].get(metric_id) is None
            and metric_id not in hidden
        ):
            continue
        card = metric_card(metric_id, section, f.now, before, f.targets, hidden, f.period, "", "")
        if catalog.get(metric_id).unit == "år" and card.change:
            delta = f.now[section][metric_id] - before[section][metric_id]
            card.change = forandring(delta, 1, "år") + last_year
        status = catalog.TARGET_STATUS_LABELS.get(card.target_status or "", "")
        if card.target_text and not status:
            status = "Visas inte" if metric_id in hidden else "–"
        rows.append(
            NyckeltalRad(
                grupp=grupp,
                id=metric_id,
                namn=catalog.get(metric_id).label,
                varde=card.value,
                mal=(card.target_text or "").removeprefix("Mål: ") or "–",
                forandring=(card.change or "–").removesuffix(last_year),
                maluppfyllelse=status or "–",
                undertryckt=metric_id in hidden,
            )
        )
    pension = f.now.get("pension")
    if pension:
        years = sorted(pension["pension_per_ar"])
        total = sum(pension["pension_per_ar"].values())
        rows.append(
            NyckeltalRad(
                "Pensionsavgångar",
                "pension_per_ar",
                f"Når {pension['pensionsalder']} år {years[0]}–{years[-1]}",
                tal(total),
                "–",
                "–",
                "–",
            )
        )
        rows.append(
            NyckeltalRad(
                "Pensionsavgångar",
                "pension_redan",
                catalog.get("pension_redan").label,
                tal(pension["pension_redan"]),
                "–",
                "–",
                "–",
            )
        )
    if f.now.get("incidenter") and f.tertialer is not None:
        rows.extend(incident_rader(f.tertialer))
    akt = f.now.get("aktiviteter")
    if akt:
        per = akt["per_status"]
        rows.append(
            NyckeltalRad(
                "Aktivitetsplan",
                "aktiviteter_per_status",
                "Aktiviteter klara",
                f"{tal(per['klar'])} av {tal(sum(per.values()))}",
                "–",
                "–",
                "–",
            )
        )
        rows.append(
            NyckeltalRad(
                "Aktivitetsplan",
                "forsenade",
                catalog.get("forsenade").label,
                tal(akt["forsenade"]),
                "–",
                "–",
                "–",
            )
        )
    return rows


def incident_rader(t) -> list[NyckeltalRad]:
    """The latest complete tertial against the same tertial a year earlier and, while a tertial runs,
    its months so far against the same months a year earlier (incidenter.Tertialer)."""
    s = t.senaste
    rows = [
        NyckeltalRad(
            "Incidenter",
            metric_id,
            f"{label} tertial {s.tertial} {s.ar}",
            tal(now),
            "–",
            f"{_signed(now - before)} (tertial {s.tertial} {s.ar - 1})",
            "–",
        )
        for metric_id, label, now, before in (
            ("incidenter_per_tertial", "Incidenter", s.antal, s.antal_fg),
            ("hot_och_vald_per_tertial", "Varav hot och våld", s.hot_och_vald, s.hot_och_vald_fg),
        )
    ]
    p = t.pagaende
    if p is not None:
        rows.append(
            NyckeltalRad(
                "Incidenter",
                "incidenter_hittills",
                f"Incidenter hittills tertial {p.tertial} {p.ar} ({p.manader})",
                tal(p.antal),
                "–",
                f"{_signed(p.forandring)} ({p.manader} {p.ar - 1})",
                "–",
            )
        )
    return rows


def _signed(delta: int) -> str:
    return f"+{tal(delta)}" if delta > 0 else (f"-{tal(-delta)}" if delta < 0 else "±0")


# --- Charts from the analysis modules ------------------------------------------------------


@dataclass
class _Ctx:
    con: duckdb.DuckDBPyConnection
    period: dt.date
    scope: Scope
    text: str
    targets: dict[str, float]
    pensionsalder: int
    visa: tuple[str, ...] = ()  # the Kolada municipalities shown as markers
    # Every avdelning of the extracts (analys.organisation_avdelningar), when the caller has it.
    avdelningar: list[str] | None = None
    org: pd.DataFrame | None = None  # the organisation tree, when the caller has it


def _module(name: str):
    """An analysis module by name, None while it does not exist yet."""
    try:
        return importlib.import_module(f"kfp_metrics.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"kfp_metrics.{name}":
            return None
        raise


def _personal_figures(m, c: _Ctx) -> list[tuple[str, go.Figure]]:
    return [
        (
            "per_manad",
            m.figure_per_manad(
                m.per_manad(c.con, c.period, c.scope, add_months(c.period, -23)), c.text, c.period
            ),
        ),
        (
            "alderspyramid",
            m.figure_alderspyramid(m.alderspyramid(c.con, c.period, c.scope), c.text, c.period),
        ),
        (
            "befattningar",
            m.figure_befattningar(
                m.befattningar_topp(c.con, c.period, c.scope, "tillsvidare"), c.text, c.period, "tillsvidare"
            ),
        ),
    ]


def _rorlighet_figures(m, c: _Ctx) -> list[tuple[str, go.Figure]]:
    tackning = m.tackning(c.con)
    first = max(add_months(c.period, -23), tackning.fran or c.period)
    return [
        (
            "personalomsattning",
            m.figure_personalomsattning(
                m.personalomsattning_per_manad(c.con, c.period, c.scope, fran=min(first, c.period)),
                c.text,
                c.period,
                c.targets.get("personalomsattning_pct"),
                tackning.not_text,
            ),
        ),
        (
            "avgangar_orsak",
            m.figure_jamforelse(
                m.avgangar_per_orsak(c.con, c.period, c.scope, "tillsvidare"),
                "Avgångar bland tillsvidareanställda per orsak",
                c.text,
                c.period,
            ),
        ),
        (
            "rekryteringar_vag",
            m.figure_jamforelse(
                m.rekryteringar_per_vag(c.con, c.period, c.scope, "tillsvidare"),
                "Rekryteringar till tillsvidareanställning per väg",
                c.text,
                c.period,
            ),
        ),
        (
            "pension",
            m.figure_pension_per_avdelning(
                m.pension_per_avdelning(c.con, c.period, c.scope, c.pensionsalder),
                c.text,
                c.period,
                c.pensionsalder,
            ),
        ),
    ]


def _prognos_figures(m, c: _Ctx) -> list[tuple[str, go.Figure]]:
    return rekryteringsbehov.figurer(
        rekryteringsbehov.resultat(c.con, c.period, c.scope, c.pensionsalder), c.text
    )


def _sjukfranvaro_figures(m, c: _Ctx) -> list[tuple[str, go.Figure]]:
    return [
        ("per_manad", m.figure_per_manad(m.per_manad(c.con, c.period, c.scope), c.text, c.period, c.targets)),
        ("per_grupp", m.figure_per_grupp(m.per_grupp(c.con, c.period, c.scope), c.text, c.period, c.targets)),
        (
            "per_avdelning",
            m.figure_per_avdelning(m.per_avdelning(c.con, c.period, c.scope), c.text, c.period),
        ),
    ]


def _heltid_figures(m, c: _Ctx) -> list[tuple[str, go.Figure]]:
    from kfp_metrics.analys import organisation_avdelningar

    avdelningar = c.avdelningar if c.avdelningar is not None else organisation_avdelningar(c.con)
    colors = charts.color_map(avdelningar)
    target = c.targets.get("heltid_andel_pct")
    return [
        (
            "per_manad",
            m.figure_heltid_per_manad(
                m.heltid_per_manad(c.con, c.period, c.scope, add_months(c.period, -23)),
                c.text,
                c.period,
                target,
            ),
        ),
        (
            "per_avdelning",
            m.figure_heltid_per_avdelning(
                m.heltid_per_avdelning(c.con, c.period, c.scope), c.text, c.period, colors, target
            ),
        ),
    ]


def _medarbetarenkat_figures(m, c: _Ctx) -> list[tuple[str, go.Figure]]:
    fragor = m.fragor(c.con, c.period, c.scope)
    return [
        ("per_ar", m.figure_per_ar(m.per_ar(c.con, c.period, c.scope), c.text, c.period)),
        ("starkaste", m.figure_fragor(m.starkaste(fragor), c.text, "Fem starkaste frågorna")),
        ("svagaste", m.figure_fragor(m.svagaste(fragor), c.text, "Fem svagaste frågorna", strong=False)),
    ]


def _incidenter_figures(m, c: _Ctx) -> list[tuple[str, go.Figure]]:
    tertialer = m.per_tertial(c.con, c.period, c.scope)
    return [
        ("per_tertial", m.figure_per_tertial(tertialer, c.text, c.period)),
        ("hot_per_tertial", m.figure_per_tertial(tertialer, c.text, c.period, "hot_och_vald")),
        (
            "per_orsak",
            m.figure_per_orsak(m.per_orsak(m.per_typ_orsak(c.con, c.period, c.scope)), c.text, c.period),
        ),
    ]


def _kompetensgap_figures(m, c: _Ctx) -> list[tuple[str, go.Figure]]:
    out = [("heatmap", m.figure_gap_heatmap(m.gap_per_avdelning(c.con, c.period, c.scope), c.text))]
    if has_table(c.con, "aktiviteter"):
        out.append(
            (
                "aktiviteter",
                m.figure_gap_och_aktiviteter(m.aktiviteter_per_omrade(c.con, c.period, c.scope), c.text),
            )
        )
    return out


def _jamstalldhet_figures(m, c: _Ctx) -> list[tuple[str, go.Figure]]:
    per_manad = m.per_manad(c.con, c.period, c.scope, months=24)
    out = [("skillnad", m.figure_skillnad_per_manad(per_manad, c.text, c.period))]
    if m.has_chef(c.con):
        out.append(("chefer", m.figure_chefer_per_manad(per_manad, c.text, c.period)))
    return out


def _first_period(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    perioder = run(con, "perioder", Scope())["period"]
    return pd.Timestamp(perioder.iloc[0]).date() if len(perioder) else None


FIGURE_BUILDERS: dict[str, tuple[str, Callable[[object, _Ctx], list[tuple[str, go.Figure]]]]] = {
    "personal": ("personal", _personal_figures),
    "rorlighet": ("rorlighet", _rorlighet_figures),
    "prognos": ("prognos", _prognos_figures),
    "sjukfranvaro": ("sjukfranvaro", _sjukfranvaro_figures),
    "heltid": ("heltid", _heltid_figures),
    "medarbetarenkat": ("medarbetarenkat", _medarbetarenkat_figures),
    "incidenter": ("incidenter", _incidenter_figures),
    "kompetensgap": ("kompetensgap", _kompetensgap_figures),
    "jamstalldhet": ("jamstalldhet_analys", _jamstalldhet_figures),
}
# Where each section's figures come from, printed under every chart.
KALLOR = {
    "personal": "personalsystemets extrakt (anställningar)",
    "rorlighet": "personalsystemets extrakt (anställningar och händelser)",
    "prognos": rekryteringsbehov.KALLA,
    "sjukfranvaro": "personalsystemets extrakt (frånvaro)",
    "heltid": "personalsystemets extrakt (anställningar)",
    "medarbetarenkat": "medarbetarenkäten",
    "incidenter": "incidentsystemet",
    "kompetensgap": "kompetensinventeringen och handlingsplanen",
    "jamstalldhet": "personalsystemets extrakt (anställningar, frånvaro och händelser)",
}
# The optional table a section's charts need; without it the section says so instead.
SECTION_TABLES = {
    "medarbetarenkat": "medarbetarenkat",
    "incidenter": "incidenter",
    "kompetensgap": "kompetensgap",
}
ABSENT_TEXTS = {
    "medarbetarenkat": "Extrakten innehåller ingen medarbetarenkät (tabellen medarbetarenkat saknas).",
    "incidenter": "Extrakten innehåller inga incidentrapporter (tabellen incidenter saknas).",
    "kompetensgap": "Extrakten innehåller ingen kompetenskartläggning (tabellen kompetensgap saknas).",
}

_TAG = re.compile(r"<[^>]+>")


def _plain(text: str) -> str:
    return _TAG.sub(" ", text or "").replace("  ", " ").strip()


def _has_values(trace) -> bool:
    for attr in ("x", "y", "values", "z"):
        values = getattr(trace, attr, None)
        if values is not None and len(values) > 0:
            return True
    return False


def for_print(fig: go.Figure) -> tuple[str, go.Figure | None, str | None]:
    """The chart's heading, the figure sized for A4 (heading moved out into the page) and, for a
    chart without data, its explanation instead of the figure."""
    heading = _plain(fig.layout.title.text or "")
    if not any(_has_values(trace) for trace in fig.data):
        notes = [_plain(a.text) for a in fig.layout.annotations if a.text]
        return heading, None, " ".join(notes) or "Underlag saknas för urvalet."
    # Property by property: update_layout walks the whole layout and costs a hundred times more.
    layout = fig.layout
    layout.title.text = ""
    layout.width = PRINT_WIDTH_PX
    layout.autosize = False
    # The heading moved out of the chart: keep only the room the chart's own notes above it need.
    layout.margin.t = max(20, (layout.margin.t or 60) - 40)
    return heading, fig, None


# --- Section texts -----------------------------------------------------------------------------


def _area_text(section: str, f: na.Fakta) -> list[str]:
    """A short text introducing what a section's charts show."""
    if section == "prognos":
        return rekryteringsbehov.texter(f.rekryteringsbehov)
    p = manad(f.period)
    window = na.fonster(f.period)
    span = na.manadsintervall(f.period)
    texts = {
        "personal": [
            f"Antal anställda per anställningsform månad för månad, åldersfördelningen bland de månadsavlönade "
            f"och de vanligaste befattningarna bland tillsvidareanställda i {p}."
        ],
        "rorlighet": [
            f"Personalomsättningen avser tillsvidareanställda som gått till annan förvaltning eller lämnat "
            f"kommunen under de 12 månaderna fram till varje månad. Avgångar och rekryteringar jämför "
            f"{span} med samma period förra året. Pensionsavgångarna räknas med pensionsålder "
            f"{f.now['pension']['pensionsalder']} år."
        ],
        "sjukfranvaro": [
            f"Sjukfrånvaron är andelen sjukfrånvarotimmar av den ordinarie arbetstiden under 12 månader "
            f"({window} för {p}), enligt SKR:s nyckeltal för den obligatoriska redovisningen."
        ],
        "heltid": [
            "Andelen heltidsanställda är andelen månadsavlönade med sysselsättningsgrad 100 % (Kolada N00206)."
        ],
        "medarbetarenkat": [
            "Medarbetarenkätens index (0–100) är svarsviktade medelvärden över enheterna i urvalet. "
            f"Resultat visas inte när färre än {suppression.ENKAT_MIN_SVAR} personer har svarat."
        ],
        "incidenter": [
            "Anmälningar i incidentsystemet per tertial (januari–april, maj–augusti, september–december). "
            "Ett pågående tertial räknas till och med periodens sista dag."
        ],
        "kompetensgap": [
            "Kompetensgapet är skillnaden mellan bedömt behov och nuläge (skala 1–5) per kompetensområde i "
            "den senaste inventeringen."
        ],
        "jamstalldhet": [
            "Nyckeltalen jämför kvinnor och män bland de månadsavlönade, efter Nyckeltalsinstitutets "
            "jämställdhetsindex (jämix): skillnaden är kvinnors värde minus mäns, och ju mindre skillnad, "
            f"desto mer jämställt. Lång sjukfrånvaro och personalomsättning avser {window}. Lön och "
            "föräldraledighet finns inte i extrakten och ingår inte."
        ],
    }
    return texts.get(section, [])


_NUMERIC = re.compile(r"^[\s\d,+\-−±%.\u00a0–]*$")


def tabell_from_frame(frame: pd.DataFrame, rubrik: str, drop_constant: tuple[str, ...] = ()) -> Tabell:
    """A formatted table of an analysis module (Swedish text cells) as a report table."""
    frame = frame.copy()
    for column in drop_constant:
        if column in frame and frame[column].replace("", pd.NA).dropna().nunique() <= 1:
            frame = frame.drop(columns=column)
    frame = frame.loc[:, [c for c in frame.columns if frame[c].astype(str).str.strip().any()]]
    rows = [
        ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v) for v in r]
        for r in frame.itertuples(index=False)
    ]
    numeric = tuple(
        i
        for i, c in enumerate(frame.columns)
        if all(_NUMERIC.match(row[i]) for row in rows) and any(row[i] for row in rows)
    )
    return Tabell(rubrik, [str(c) for c in frame.columns], rows, numeric)


def _section_tables(section: str, c: _Ctx) -> list[Tabell]:
    """The analysis modules' own tables printed under a section's charts."""
    if section == "rorlighet":
        from kfp_metrics import rorlighet

        frame = rorlighet.pension_per_avdelning(c.con, c.period, c.scope, c.pensionsalder)
        table = rorlighet.tabell_pension_per_avdelning(frame, c.period, formatted=True)
        return [
            tabell_from_frame(
                table, f"Tillsvidareanställda som når {c.pensionsalder} år per avdelning", ("Förvaltning",)
            )
        ]
    if section == "prognos":
        return rekryteringsbehov.tabeller(
            c.con, rekryteringsbehov.resultat(c.con, c.period, c.scope, c.pensionsalder)
        )
    if section == "jamstalldhet":
        from kfp_metrics import jamstalldhet_analys as ja

        out = [
            tabell_from_frame(
                ja.tabell_jamforelse(ja.jamforelse(c.con, c.period, c.scope), formatted=True),
                "Kvinnor och män, skillnad och förändring sedan förra året",
            )
        ]
        if _too_many_avdelningar(c):
            return out
        avdelningar = ja.per_avdelning(c.con, c.period, c.scope)
        if 1 < avdelningar["avdelning"].nunique() <= MAX_AVDELNINGAR:
            out.append(
                tabell_from_frame(ja.tabell_per_avdelning(avdelningar, formatted=True), "Per avdelning")
            )
        return out
    if section == "incidenter" and has_table(c.con, "incidenter"):
        from kfp_metrics import incidenter

        table = incidenter.tabell_per_tertial(
            incidenter.per_tertial(c.con, c.period, c.scope), formatted=True
        )
        return [tabell_from_frame(table, "Anmälda incidenter per tertial")]
    return []


def _too_many_avdelningar(c: _Ctx) -> bool:
    """Whether jamstalldhet_analys.per_avdelning would have more than MAX_AVDELNINGAR avdelningar,
    and its table be left out: counted from its query alone, without its suppression over every unit
    (seconds for a whole city). Asked only where the organisation tree has that many in the scope."""
    if c.org is None:
        return False
    org = c.org
    for level, names in (("forvaltning", c.scope.forvaltning), ("avdelning", c.scope.avdelning)):
        if names:
            org = org[org[level].isin(names)]
    if c.scope.enhet and "enhet" in org:
        org = org[org["enhet"].isin(c.scope.enhet)]
    if len(org[["forvaltning", "avdelning"]].drop_duplicates()) <= MAX_AVDELNINGAR:
        return False
    from kfp_metrics import jamstalldhet_analys as ja
    from kfp_metrics.analys import unit_names

    fran, till = ja.window_12(c.period)
    raw = run(c.con, "jamstalldhet_per_avdelning", c.scope, period=c.period, fran=fran, till=till)
    if raw.empty:
        return False
    # per_avdelning's units: one per (förvaltning, avdelning) group, named as it names them.
    pairs = raw[["forvaltning", "avdelning"]].drop_duplicates().reset_index(drop=True)
    names = unit_names(pairs, "avdelning")
    grouped = pairs["forvaltning"].notna() & pairs["avdelning"].notna()
    return names[grouped].nunique() > MAX_AVDELNINGAR


# --- Activity plan -------------------------------------------------------------------------


def plan_rader(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, state_dir: Path | None, today: dt.date
) -> dict[str, list[PlanRad]] | None:
    """The plan's activities in the scope per UBARIA area, with current status and overdue flag."""
    if not has_table(con, "aktiviteter"):
        return None
    ids = set(run(con, "aktiviteter_i_scope", scope)["aktivitet_id"].astype(str))
    plan = aktivitetslogg.current_plan(con, state_dir, only=ids)
    late = aktivitetslogg.forsenade(plan, reference_date(period, today))
    groups: dict[str, list[PlanRad]] = {code: [] for code in (*UBARIA, "")}
    order = plan.assign(_late=late).sort_values(
        ["maldatum", "aktivitet_id"], na_position="last", kind="stable"
    )
    for rec in order.to_dict("records"):
        code = rec.get("ubaria") if rec.get("ubaria") in UBARIA else ""
        maldatum = rec.get("maldatum")
        groups[code].append(
            PlanRad(
                aktivitet=_text(rec.get("aktivitet")),
                mal=_text(rec.get("mal")),
                avdelning=_text(rec.get("avdelning")) or FORVALTNINGSOVERGRIPANDE,
                ansvarig=_text(rec.get("ansvarig")),
                maldatum=maldatum.isoformat() if isinstance(maldatum, dt.date) else "–",
                status=aktivitetslogg.STATUS_LABELS.get(rec.get("status"), _text(rec.get("status")) or "–"),
                forsenad=bool(rec["_late"]),
                uppfoljning=_text(rec.get("senaste_uppfoljning")),
            )
        )
    return {code: rows for code, rows in groups.items() if rows}


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


UBARIA_RUBRIKER = {**UBARIA_LABELS, "": "Utan UBARIA-område"}


# --- Appendix ------------------------------------------------------------------------------


def bilaga() -> list[tuple[str, list[tuple[str, str]]]]:
    """Each catalog section with its metrics' labels and definitions."""
    return [
        (title, [(m.label, m.definition) for m in catalog.in_section(section)])
        for section, title in catalog.SECTIONS.items()
    ]


def regler() -> list[str]:
    """The suppression rules the report follows, in Swedish."""
    return [
        *suppression.RULE_TEXTS.values(),
        f"Medelålder, andelar och personalomsättning i uppdelningar redovisas inte för grupper med färre än "
        f"{MIN_GRUPP} personer. Åldersfördelningen per kön visas bara när urvalet har minst {MIN_KORSTABELL} "
        f"månadsavlönade, och avgångsorsaker med färre än {MIN_ANTAL_ORSAK} avgångar redovisas inte.",
        f"{SUPPRESSED} = uppgiften redovisas inte enligt reglerna ovan. – = uppgift saknas för perioden och urvalet.",
    ]


# --- Putting it together ---------------------------------------------------------------------


def extract_range(con: duckdb.DuckDBPyConnection) -> str:
    """The months the extracts cover, in words: 'september 2023 – september 2024'."""
    perioder = run(con, "perioder", Scope())["period"]
    if perioder.empty:
        return "–"
    first, last = pd.Timestamp(perioder.iloc[0]).date(), pd.Timestamp(perioder.iloc[-1]).date()
    return f"{manad(first)} – {manad(last)}"


def jamforelse_med_kolada(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, visa: tuple[str, ...]
) -> Jamforelse | None:
    """The Kolada comparison table for the Nyckeltal section, None without the jamforelse table."""
    from kfp_metrics.kolada import jamforelse as kolada

    table = kolada.report_table(con, period, scope, visa) if visa else None
    if table is None:
        return None
    numeric = tuple(range(1, len(table.kolumner)))
    rows = [list(r) for r in table.rader]
    return Jamforelse(table.rubrik, Tabell("", list(table.kolumner), rows, numeric), list(table.noter))


# The charts over time that get Kolada's values as markers: (section, key) → (metric id, x kind).
KOLADA_FIGURES = {
    ("sjukfranvaro", "per_manad"): ("sjukfranvaro_total_pct", "december"),
    ("heltid", "per_manad"): ("heltid_andel_pct", "december"),
    ("medarbetarenkat", "per_ar"): ("medarbetarindex", "ar"),
}


def _with_kolada(section: str, key: str, fig: go.Figure, ctx: _Ctx) -> go.Figure:
    if (section, key) not in KOLADA_FIGURES or not ctx.visa:
        return fig
    from kfp_metrics.kolada import diagram
    from kfp_metrics.kolada import jamforelse as kolada

    metric_id, kind = KOLADA_FIGURES[(section, key)]
    serier = kolada.serier(ctx.con, ctx.period, ctx.scope, metric_id, ctx.visa)
    return diagram.add_references(fig, metric_id, serier, kind)


def _has_kolada(fig: go.Figure | None) -> bool:
    return fig is not None and any("(Kolada " in str(t.name or "") for t in fig.data)


def _section_content(section: str, ctx: _Ctx) -> tuple[list[tuple], list[Tabell]]:
    """One section's charts (prepared for print) and tables, from the analysis module's builders."""
    module_name, builder = FIGURE_BUILDERS[section]
    figures = [
        (key, *for_print(_with_kolada(section, key, fig, ctx)))
        for key, fig in builder(_module(module_name), ctx)
    ]
    return figures, _section_tables(section, ctx)


def _months(options: Options) -> tuple[dt.date, dt.date]:
    # The monthly series are asked for P, P−12, P−24 and the charts' two years: one run of P−24..P.
    return add_months(options.period, -24), options.period


def _today(options: Options) -> dt.date:
    return (options.skapad or dt.datetime.now()).date()


def fakta_for(con: duckdb.DuckDBPyConnection, options: Options) -> na.Fakta:
    """The figures the key-figures table and the drafted nulägesanalys are written from, gathered
    as collect gathers them: what a page shows before it builds the whole report."""
    with shared_results(months=_months(options)):
        return na.fakta(
            con, options.period, options.scope, options.pensionsalder, options.state_dir, _today(options)
        )


def collect(con: duckdb.DuckDBPyConnection, options: Options, facts: na.Fakta | None = None) -> Rapport:
    """Gather everything the report shows for the options (same data and options, same report).

    facts: fakta_for(con, options) when already gathered (the page shows them first)."""
    # The key figures, the prose and the sections ask many of the same questions: each runs once.
    with shared_results(months=_months(options)):
        return _collect(con, options, facts)


def _collect(con: duckdb.DuckDBPyConnection, options: Options, known_facts: na.Fakta | None) -> Rapport:
    skapad = options.skapad or dt.datetime.now().replace(microsecond=0)
    today = skapad.date()
    period, scope = options.period, options.scope
    valda = tuple(a for a in AVSNITT if a in set(options.avsnitt))
    org = run(con, "organisation", Scope())
    forvaltningar = sorted(set(org["forvaltning"]))
    titel = (options.titel or "").strip() or default_title(period, scope, forvaltningar, org)
    targets = nyckeltal.targets(con, period, scope)
    from kfp_metrics.kolada import installningar
    from kfp_metrics.kolada import jamforelse as kolada

    visa = installningar.shown(installningar.load(options.state_dir), kolada.held_ids(con))
    kolada_hamtad = kolada.hamtad(con)
    kolada_kalla = "Kolada (RKA)" + (f", hämtad {datum(kolada_hamtad)}" if kolada_hamtad else "")
    # Asked once each: every lookup is a query of its own.
    present = {name: has_table(con, name) for name in dict.fromkeys(SECTION_TABLES.values())}
    drawn = [
        s
        for s in AREA_SECTIONS
        if s in valda
        and _module(FIGURE_BUILDERS[s][0]) is not None
        and (s not in SECTION_TABLES or present[SECTION_TABLES[s]])
    ]
    # The same for every section (a lookup in the whole organisation tree each).
    scope_name = scope_text(scope, org)
    avdelningar = sorted(set(org["avdelning"])) if "heltid" in drawn else None

    # The prose and each section's charts are independent: built side by side on cursors of their
    # own (DuckDB runs the queries outside the GIL), then put together in a fixed order.
    # The plan and the Kolada table too, so that they do not wait for the rest.
    cursors = [frozen_cursor(con) for _ in range(len(drawn) + 3)]
    try:
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            facts_job = (
                submit_sharing(
                    pool, na.fakta, cursors[0], period, scope, options.pensionsalder, options.state_dir, today
                )
                if known_facts is None
                else None
            )
            jobs = {
                section: submit_sharing(
                    pool,
                    _section_content,
                    section,
                    _Ctx(
                        cur, period, scope, scope_name, targets, options.pensionsalder, visa, avdelningar, org
                    ),
                )
                for section, cur in zip(drawn, cursors[3:], strict=True)
            }
            plan_job = (
                submit_sharing(pool, plan_rader, cursors[1], period, scope, options.state_dir, today)
                if "aktiviteter" in valda
                else None
            )
            jamforelse_job = (
                submit_sharing(pool, jamforelse_med_kolada, cursors[2], period, scope, visa)
                if "nyckeltal" in valda
                else None
            )
            facts = facts_job.result() if facts_job is not None else known_facts
            built = {section: job.result() for section, job in jobs.items()}
            plan = plan_job.result() if plan_job is not None else None
            jamforelse = jamforelse_job.result() if jamforelse_job is not None else None
    finally:
        for cur in cursors:
            cur.close()
    utkast = na.skriv(facts)
    text, granskade = med_granskning(utkast, options.granskningar)

    omraden = []
    nummer = 0
    for section in AREA_SECTIONS:
        if section not in valda:
            continue
        avsnitt = Avsnitt(section, AVSNITT[section], _area_text(section, facts))
        if section == "rorlighet" and section in built:
            note = _module("rorlighet").tackning(con).not_text
            if note:
                avsnitt.noter.append(note)
        if section in built:
            figures, tables = built[section]
            for key, heading, printed, message in figures:
                nummer += 1
                kalla = KALLOR[section]
                if _has_kolada(printed):
                    kalla += f"; ofyllda symboler: {kolada_kalla}, hela kommunen och kalenderåret"
                avsnitt.figurer.append(
                    Figur(f"fig-{section}-{key}", nummer, heading, printed, message, kalla)
                )
            avsnitt.tabeller.extend(tables)
        elif section in SECTION_TABLES and not present[SECTION_TABLES[section]]:
            avsnitt.text = [ABSENT_TEXTS[section]]
        else:
            avsnitt.noter.append("Diagrammen för avsnittet finns inte i denna version av instrumentpanelen.")
        omraden.append(avsnitt)

    framsida = [
        ("Förvaltning", ", ".join(scope.forvaltning or forvaltningar) or "–"),
        ("Urval", scope_words(scope)),
        ("Period", f"{manad(period)} ({tertial_text(period)})"),
        ("Sjukfrånvaro och personalomsättning", f"de 12 månaderna {na.fonster(period)}"),
        ("Extraktens tidsperiod", extract_range(con)),
        ("Skapad", tidpunkt(skapad)),
        ("Extraktens fingeravtryck", options.fingeravtryck or "–"),
    ]
    return Rapport(
        titel=titel,
        options=options,
        framsida=framsida,
        avsnitt_valda=valda,
        nyckeltal=nyckeltal_rader(facts),
        nyckeltal_jamforelse=manad(add_months(period, -12)),
        nulagesanalys=text,
        utkast=utkast,
        omraden=omraden,
        plan=plan,
        plan_referensdatum=datum(reference_date(period, today)),
        bilaga=bilaga(),
        regler=regler(),
        sidfot=f"{titel} · {manad(period)}",
        jamforelse=jamforelse,
        granskade=granskade,
    )


def med_granskning(
    draft: na.Nulagesanalys, granskningar: tuple[Granskning, ...]
) -> tuple[na.Nulagesanalys, dict[str, Granskning]]:
    """The draft with each reviewed topic's text in place of the drafted one (a reviewed topic the
    draft lacks is added in TOPICS order), and the reviews that were applied, by topic."""
    reviewed = {g.amne: g for g in granskningar if g.amne in na.TOPICS}
    if not reviewed:
        return draft, {}
    amnen = {}
    for topic in na.TOPICS:
        if topic in reviewed:
            paragraphs = [p.strip() for p in reviewed[topic].stycken if p.strip()]
            if paragraphs:
                amnen[topic] = paragraphs
        elif topic in draft.amnen:
            amnen[topic] = draft.amnen[topic]
    return na.Nulagesanalys(amnen), reviewed
