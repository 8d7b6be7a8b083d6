"""The state store: everything the app writes (activity changes, the access log, reviewed report text).

Two backends behind one interface: SQLite in KFP_STATE_DIR by default (one server), PostgreSQL when
KFP_STATE_URL=postgresql://... is set (several servers on one database). Opening a store runs its
versioned migrations and, once, imports an old JSON-folder activity log found in the state directory.
History is append-only; every error reaching a caller is a TillstandFel with a Swedish message.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from pathlib import Path

from kfp_metrics.tillstand.fel import (
    TillstandFel,
    TillstandOkand,
    TillstandOtillganglig,
    TillstandSkrivskyddad,
    TillstandUpptagen,
)
from kfp_metrics.tillstand.lager import (
    KALLOR,
    MAX_AKTIVITET_ID,
    MAX_AV,
    MAX_KOMMENTAR,
    STATUS_LABELS,
    STATUSES,
    TABELLER,
    Change,
    Lager,
    svensk_tid,
    urval_nyckel,
    validate_change,
)

__all__ = [
    "KALLOR",
    "MAX_AKTIVITET_ID",
    "MAX_AV",
    "MAX_KOMMENTAR",
    "STATUSES",
    "STATUS_LABELS",
    "Change",
    "Lager",
    "TillstandFel",
    "TillstandOkand",
    "TillstandOtillganglig",
    "TillstandSkrivskyddad",
    "TillstandUpptagen",
    "aktuell_text",
    "andringar",
    "andringsversion",
    "append_change",
    "aterstall",
    "atkomstlogg",
    "backup",
    "logga_atkomst",
    "oppna",
    "spara_text",
    "state_dir",
    "svensk_tid",
    "texthistorik",
    "urval_nyckel",
    "validate_change",
]

DEFAULT_STATE_DIR = Path(__file__).resolve().parent.parent.parent / "state"
_OPEN: dict[tuple, Lager] = {}
_OPEN_LOCK = threading.Lock()


def state_dir() -> Path:
    """The state directory: KFP_STATE_DIR, else state/ in the project root."""
    value = os.environ.get("KFP_STATE_DIR")
    return Path(value) if value else DEFAULT_STATE_DIR


def oppna(state: Path | str | None = None, url: str | None = None) -> Lager:
    """The store for this process, opened (and migrated) once: PostgreSQL if url or KFP_STATE_URL
    names one, else SQLite in state (default: the state directory). TillstandFel if unusable."""
    url = url if url is not None else os.environ.get("KFP_STATE_URL", "").strip()
    folder = Path(state) if state is not None else state_dir()
    if url:
        if not url.startswith(("postgresql://", "postgres://")):
            raise TillstandOtillganglig(
                "KFP_STATE_URL måste börja med postgresql:// (eller vara tom för SQLite i tillståndsmappen)."
            )
        key = ("postgres", url, str(folder), os.getpid())
    else:
        key = ("sqlite", str(folder.resolve()), os.getpid())
    with _OPEN_LOCK:
        store = _OPEN.get(key)
        if store is None:
            if url:
                from kfp_metrics.tillstand.postgres import PostgresLager

                store = PostgresLager(url, folder)
            else:
                from kfp_metrics.tillstand.sqlite import SqliteLager

                store = SqliteLager(folder)
            store.migrera()
            # Stores opened by a parent process stay referenced (never closed here): closing a
            # connection inherited through fork would end the parent's session.
            _OPEN[key] = store
        return store


def glom() -> None:
    """Forget the stores opened by this process (tests; a changed environment)."""
    with _OPEN_LOCK:
        for key, store in list(_OPEN.items()):
            if key[-1] == os.getpid():
                store.stang()
                del _OPEN[key]


# --- the interface the rest of the app calls ---------------------------------------------------------


def append_change(
    aktivitet_id, status, kommentar, av, *, av_id=None, kalla="app", tid=None, state_dir=None
) -> Change:
    """Log an activity status change durably and return it (ValueError in Swedish if invalid)."""
    validate_change(aktivitet_id, status, kommentar, av, av_id, kalla)  # before the store is opened
    return oppna(state_dir).append_change(
        aktivitet_id, status, kommentar, av, av_id=av_id, kalla=kalla, tid=tid
    )


def andringar(aktivitet_id: str | None = None, state_dir=None) -> list[Change]:
    """Every logged change, or one activity's, ordered by seq."""
    return oppna(state_dir).andringar(aktivitet_id)


def andringsversion(state_dir=None) -> int:
    """The highest change seq: a cheap cache token that changes on every write, on every server."""
    return oppna(state_dir).andringsversion()


def logga_atkomst(person_id: str, sida: str, urval: dict, nedladdning: str | None = None, tid=None) -> dict:
    """Append one access-log row: who, which page, the effective scope, what was downloaded."""
    return oppna().logga_atkomst(person_id, sida, urval, nedladdning, tid)


def atkomstlogg(sedan: dt.date | None = None) -> list[dict]:
    """The access log oldest first, from the day sedan (Swedish local date) when given."""
    return oppna().atkomstlogg(sedan)


def spara_text(
    period: str,
    urval: dict,
    avsnitt: str,
    text: str | None,
    av: str,
    av_id: str | None,
    fingeravtryck: str,
) -> dict:
    """Append a version of a report section's reviewed text (text None: back to the draft)."""
    return oppna().spara_text(period, urval, avsnitt, text, av, av_id, fingeravtryck)


def aktuell_text(period: str, urval: dict, avsnitt: str) -> dict | None:
    """The section's latest reviewed text, or None if never edited or reset to the draft."""
    return oppna().aktuell_text(period, urval, avsnitt)


def texthistorik(period: str, urval: dict, avsnitt: str) -> list[dict]:
    """Every version of the section's text for the period and scope, oldest first."""
    return oppna().texthistorik(period, urval, avsnitt)


# --- backup and restore ----------------------------------------------------------------------------


def backup(fil: Path | str, store: Lager | None = None) -> int:
    """Write a backup of the store to fil (SQLite: a database file; PostgreSQL: JSON); rows written."""
    fil = Path(fil)
    if fil.exists():
        raise TillstandFel(f"Filen {fil} finns redan. Välj ett nytt filnamn, så skrivs ingenting över.")
    if not fil.parent.is_dir():
        raise TillstandFel(f"Mappen {fil.parent} finns inte.")
    store = store or oppna()
    try:
        return store.backup(fil)
    except OSError as exc:
        raise TillstandFel(f"Säkerhetskopian {fil} kunde inte skrivas ({exc.strerror or exc}).") from exc


def las_backup(fil: Path | str) -> dict[str, list[dict]]:
    """The rows of a backup file of either kind; TillstandFel (Swedish) if it is not one."""
    from kfp_metrics.tillstand import sqlite

    fil = Path(fil)
    try:
        with open(fil, "rb") as handle:
            head = handle.read(len(sqlite.SQLITE_HEADER))
        if head == sqlite.SQLITE_HEADER:
            return sqlite.las_backup(fil)
        document = json.loads(fil.read_text("utf-8"))
    except OSError as exc:
        raise TillstandFel(f"Säkerhetskopian {fil} kunde inte läsas ({exc.strerror or exc}).") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise TillstandFel(f"Filen {fil} är ingen säkerhetskopia av tillståndet ({exc}).") from exc
    except Exception as exc:  # sqlite3.Error from a damaged database file
        raise TillstandFel(f"Säkerhetskopian {fil} är skadad ({exc}).") from exc
    if not isinstance(document, dict) or document.get("format") != "kfp-tillstand":
        raise TillstandFel(f"Filen {fil} är ingen säkerhetskopia av tillståndet (formatet känns inte igen).")
    tabeller = document.get("tabeller")
    if not isinstance(tabeller, dict) or not all(isinstance(v, list) for v in tabeller.values()):
        raise TillstandFel(f"Säkerhetskopian {fil} är skadad (tabellerna saknas).")
    unknown = sorted(set(tabeller) - set(TABELLER))
    if unknown:
        raise TillstandFel(
            f"Säkerhetskopian {fil} har tabeller som den här versionen inte känner till: {', '.join(unknown)}."
        )
    return tabeller


def aterstall(fil: Path | str, store: Lager | None = None) -> int:
    """Restore a backup (either kind) into the store, which must be empty; rows restored."""
    tabeller = las_backup(fil)
    store = store or oppna()
    try:
        return store.aterstall(tabeller)
    except (KeyError, TypeError, ValueError) as exc:
        raise TillstandFel(f"Säkerhetskopian {fil} är skadad ({exc}); ingenting har återställts.") from exc
