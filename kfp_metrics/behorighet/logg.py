"""The access log: one append-only row per page view and per download, never a figure.

Kept in the state store (tillstand: SQLite or PostgreSQL), whose table refuses updates and
deletes. A row holds the time (UTC), the person's id, the page with the period, the effective
scope and what was downloaded.
"""

from __future__ import annotations

import datetime as dt

from kfp_metrics import tillstand

DENIED_PAGE = "Ingen behörighet"


def page_text(sida: str, period: str | None = None) -> str:
    """The page as logged: 'Sjukfrånvaro · 2024-09'."""
    return f"{sida} · {period}" if period else sida


def append(
    person_id: str,
    sida: str,
    urval: dict,
    nedladdning: str | None = None,
    period: str | None = None,
) -> dict:
    """Append one row; urval is the effective scope as forvaltning/avdelning/enhet lists."""
    scope = {k: [str(v) for v in urval.get(k, [])] for k in ("forvaltning", "avdelning", "enhet")}
    return tillstand.logga_atkomst(person_id or "", page_text(sida or "–", period), scope, nedladdning)


def read(sedan: dt.date | None = None) -> list[dict]:
    """The rows, oldest first, from the day sedan (Swedish local time) on."""
    return tillstand.atkomstlogg(sedan)
