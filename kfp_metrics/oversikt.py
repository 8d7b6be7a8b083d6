"""The headline figures of Översikt: values, change against last year and target status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kfp_metrics import catalog
from kfp_metrics.format import SUPPRESSED, forandring, manad, procent, procentenheter, tal
from kfp_metrics.periods import add_months


@dataclass
class Card:
    """One KPI card's content, already formatted in Swedish."""

    key: str
    label: str
    value: str
    change: str | None = None
    change_good: bool | None = None
    target_text: str | None = None
    target_status: str | None = None
    note: str | None = None
    page: str | None = None
    page_label: str | None = None
    # Kolada beside the figure: "Riket 2025: 7,1 % · …", the own value for that calendar year, hover.
    jamforelse: str | None = None
    jamforelse_egen: str | None = None
    jamforelse_hjalp: str | None = None


# The key-figure sections the cards read, at P and a year earlier. The incident card reads
# incidenter.tertialer instead (like with like), which is None without the incident table.
SECTIONS_NOW = ("personal", "sjukfranvaro", "rorlighet", "medarbetarenkat", "aktiviteter")
SECTIONS_BEFORE = ("personal", "sjukfranvaro", "rorlighet", "medarbetarenkat")


def format_value(metric_id: str, value, suppressed: bool = False) -> str:
    """A metric's value in Swedish form by its catalog unit; '..' when suppressed."""
    if suppressed:
        return SUPPRESSED
    unit = catalog.get(metric_id).unit
    if unit == "procent":
        return procent(value)
    if unit in ("index", "år"):
        return tal(value, 1)
    return tal(value)


def _good(metric_id: str, delta: float | None) -> bool | None:
    """Whether a change is for the better; None when neutral or too small to show (rounds to 0)."""
    metric = catalog.get(metric_id)
    decimals = 1 if metric.unit in ("procent", "index", "år") else 0
    if delta is None or metric.better is None or round(delta, decimals) == 0:
        return None
    better = metric.better
    return (delta < 0) == (better == "lower")


def metric_card(
    metric_id: str,
    section: str,
    now: dict,
    before: dict | None,
    targets: dict[str, float],
    hidden: set[str],
    period: dt.date,
    page: str,
    page_label: str,
    label: str | None = None,
) -> Card:
    """A card for one metric of the nyckeltal object."""
    metric = catalog.get(metric_id)
    value = (now.get(section) or {}).get(metric_id)
    previous = ((before or {}).get(section) or {}).get(metric_id)
    suppressed = metric_id in hidden
    change = good = None
    if value is not None and previous is not None:
        delta = value - previous
        last_year = manad(add_months(period, -12))
        if metric.unit == "procent":
            change = f"{procentenheter(delta)} mot {last_year}"
        elif metric.unit == "index":
            change = f"{forandring(delta, 1)} mot {last_year}"
        else:
            pct = f" ({forandring(100 * delta / previous, 1)}\u00a0%)" if previous else ""
            change = f"{forandring(delta)}{pct} mot {last_year}"
        good = _good(metric_id, delta)
    target = targets.get(metric_id)
    target_text = status = None
    if target is not None:
        target_text = f"Mål: {format_value(metric_id, target)}"
        status = None if suppressed else catalog.target_status(metric_id, value, target)
    note = None
    if suppressed:
        note = "Värdet visas inte: gruppen är för liten för att redovisas."
    elif value is None:
        note = "Underlag saknas för perioden och urvalet."
    return Card(
        key=metric_id,
        label=label or metric.label,
        value=format_value(metric_id, value, suppressed),
        change=change,
        change_good=good,
        target_text=target_text,
        target_status=status,
        note=note,
        page=page,
        page_label=page_label,
    )


def incident_card(tertialer, period: dt.date, page: str) -> Card:
    """The latest complete tertial against the same tertial last year (incidenter.Tertialer); the
    running tertial so far against the same months last year in the note."""
    if tertialer is None:
        return Card(
            "incidenter",
            "Incidenter",
            "–",
            note="Incidentdata saknas i extrakten.",
            page=page,
            page_label="Till Incidenter",
        )
    s = tertialer.senaste
    delta = s.forandring
    note = f"Varav hot och våld: {tal(s.hot_och_vald)}."
    p = tertialer.pagaende
    if p is not None:
        note += (
            f" Hittills i tertial {p.tertial} ({p.manader}): {tal(p.antal)}, "
            f"mot {tal(p.antal_fg)} samma {'månad' if p.fran_manad == p.till_manad else 'månader'} {p.ar - 1}."
        )
    return Card(
        key="incidenter",
        label=f"Incidenter tertial {s.tertial} {s.ar}",
        value=tal(s.antal),
        change=f"{forandring(delta)} mot tertial {s.tertial} {s.ar - 1}",
        change_good=None if delta == 0 else delta < 0,
        note=note,
        page=page,
        page_label="Till Incidenter",
    )


def activity_card(now: dict, page: str) -> Card:
    """Plan activities done and overdue."""
    akt = now.get("aktiviteter")
    if akt is None:
        return Card(
            "aktiviteter",
            "Aktiviteter",
            "–",
            note="Handlingsplanen saknas i extrakten.",
            page=page,
            page_label="Till Aktiviteter",
        )
    per = akt["per_status"]
    total = sum(per.values())
    return Card(
        key="aktiviteter",
        label="Aktiviteter klara",
        value=f"{tal(per['klar'])} av {tal(total)}",
        change=f"Försenade: {tal(akt['forsenade'])}",
        change_good=None if akt["forsenade"] == 0 else False,
        note=f"Pågår {tal(per['pagar'])}, ej påbörjade {tal(per['ej_paborjad'])}, inställda {tal(per['installd'])}.",
        page=page,
        page_label="Till Aktiviteter",
    )


PAGES = {
    "personal": "pages/personal.py",
    "sjukfranvaro": "pages/sjukfranvaro.py",
    "rorlighet": "pages/rorlighet.py",
    "heltid": "pages/heltid.py",
    "medarbetarenkat": "pages/medarbetarenkat.py",
    "incidenter": "pages/incidenter.py",
    "aktiviteter": "pages/aktiviteter.py",
}


# The cards that show Kolada's values beside them (those with a counterpart, contract section 6).
KOLADA_CARDS = ("sjukfranvaro_total_pct", "heltid_andel_pct", "medarbetarindex")


def with_kolada(card: Card, comparison) -> Card:
    """The card with Kolada's values, the own calendar-year value and the hover text added."""
    if comparison is None:
        return card
    card.jamforelse = comparison.rad
    card.jamforelse_egen = comparison.egen_text
    card.jamforelse_hjalp = comparison.hjalp
    return card


def cards(
    now: dict,
    before: dict | None,
    targets: dict[str, float],
    period: dt.date,
    jamforelser: dict | None = None,
    tertialer=None,
) -> list[Card]:
    """The Översikt cards in reading order; jamforelser (metric id → kolada Jamforelse) adds
    Kolada's values to the cards of the metrics that have a counterpart; tertialer is
    incidenter.tertialer's like-with-like result."""
    out = _cards(now, before, targets, period, tertialer)
    for card in out:
        with_kolada(card, (jamforelser or {}).get(card.key))
    return out


def _cards(
    now: dict, before: dict | None, targets: dict[str, float], period: dt.date, tertialer=None
) -> list[Card]:
    hidden = set(now.get("undertryckta", []))
    enkat = now.get("medarbetarenkat")
    enkat_label = "Medarbetarindex (HME)" + (f" {enkat['ar']}" if enkat and enkat.get("ar") else "")
    out = [
        metric_card(
            "antal_tillsvidare",
            "personal",
            now,
            before,
            targets,
            hidden,
            period,
            PAGES["personal"],
            "Till Personal",
        ),
        metric_card(
            "sjukfranvaro_total_pct",
            "sjukfranvaro",
            now,
            before,
            targets,
            hidden,
            period,
            PAGES["sjukfranvaro"],
            "Till Sjukfrånvaro",
            "Sjukfrånvaro totalt, 12 mån",
        ),
        metric_card(
            "sjukfranvaro_kort_pct",
            "sjukfranvaro",
            now,
            before,
            targets,
            hidden,
            period,
            PAGES["sjukfranvaro"],
            "Till Sjukfrånvaro",
            "Sjukfrånvaro dag 1–14, 12 mån",
        ),
        metric_card(
            "personalomsattning_pct",
            "rorlighet",
            now,
            before,
            targets,
            hidden,
            period,
            PAGES["rorlighet"],
            "Till Rörlighet",
            "Personalomsättning, 12 mån",
        ),
        metric_card(
            "heltid_andel_pct",
            "personal",
            now,
            before,
            targets,
            hidden,
            period,
            PAGES["heltid"],
            "Till Heltid",
        ),
    ]
    if enkat is None:
        out.append(
            Card(
                "medarbetarindex",
                "Medarbetarindex (HME)",
                "–",
                note="Enkätdata saknas i extrakten.",
                page=PAGES["medarbetarenkat"],
                page_label="Till Medarbetarenkät",
            )
        )
    else:
        out.append(
            metric_card(
                "medarbetarindex",
                "medarbetarenkat",
                now,
                before,
                targets,
                hidden,
                period,
                PAGES["medarbetarenkat"],
                "Till Medarbetarenkät",
                enkat_label,
            )
        )
    out.append(incident_card(tertialer, period, PAGES["incidenter"]))
    out.append(activity_card(now, PAGES["aktiviteter"]))
    return out
