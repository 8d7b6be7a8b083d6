"""The shared backend: PostgreSQL through psycopg 3, for several app servers on one database.

Writers to a table serialise on a transaction-scoped advisory lock for that table, taken inside the
insert transaction (see lager.py on sequence numbers); it needs no table privilege beyond INSERT,
waits at most lock_timeout, and is released by the commit. Readers are not blocked.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import select
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from kfp_metrics.tillstand import lager
from kfp_metrics.tillstand.fel import (
    TillstandFel,
    TillstandOkand,
    TillstandOtillganglig,
    TillstandSkrivskyddad,
    TillstandUpptagen,
)

# One advisory lock key per table (and one for migrations); arbitrary constants, fixed forever.
LAS = {"schema": 7_340_001, "andringar": 7_340_002, "atkomstlogg": 7_340_003, "rapporttexter": 7_340_004}
ANSLUTNING_TIMEOUT_S = 5


def dold_url(url: str) -> str:
    """The URL without its password, fit to show."""
    return re.sub(r"(//[^:/@]+):[^@]*@", r"\1:***@", url)


class PostgresLager(lager.Lager):
    """The state store in the PostgreSQL database named by a postgresql:// URL."""

    namn = "PostgreSQL"
    dialekt = "postgres"

    def __init__(self, url: str, state_dir: Path | None):
        super().__init__(state_dir)
        self.url = url
        self.plats = dold_url(url)

    def _anslut(self):
        import psycopg

        try:
            return psycopg.connect(self.url, connect_timeout=ANSLUTNING_TIMEOUT_S, options="-c timezone=UTC")
        except psycopg.Error as exc:
            raise TillstandOtillganglig(
                f"Tillståndsdatabasen ({self.plats}) går inte att nå, så ingenting kunde läsas eller sparas. "
                f"Kontrollera att PostgreSQL är igång och att KFP_STATE_URL stämmer ({_en_rad(exc)})."
            ) from exc

    def _frisk(self, conn) -> bool:
        if conn.closed or conn.broken:
            return False
        # An idle connection has nothing to read; if it has, the server ended the session (a restart,
        # a terminated backend) and the next query would fail: take a new connection instead.
        try:
            readable, _, _ = select.select([conn.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable

    def _q(self, sql: str) -> str:
        return sql.replace("?", "%s")

    def _tid_in(self, moment: dt.datetime):
        return moment.astimezone(lager.UTC)

    @contextlib.contextmanager
    def _transaktion(self, conn, tabell, skriv) -> Iterator:
        import psycopg

        cur = conn.cursor()
        try:
            if tabell == "dump":
                cur.execute("set transaction isolation level repeatable read, read only")
            if skriv:
                # Read committed whatever the server's default: max(seq) must be read in a snapshot
                # taken after the lock is granted, which sees the previous holder's commit.
                cur.execute("set transaction isolation level read committed")
                cur.execute(
                    "select set_config('lock_timeout', %s, true)", (f"{int(lager.LAS_TIMEOUT_S * 1000)}ms",)
                )
                keys = sorted(LAS.values()) if tabell == "alla" else [LAS[tabell]]
                for key in keys:
                    cur.execute("select pg_advisory_xact_lock(%s)", (key,))
            yield cur
        except BaseException:
            with contextlib.suppress(psycopg.Error):
                conn.rollback()
            raise
        try:
            conn.commit()
        except psycopg.OperationalError as exc:
            if skriv:
                raise TillstandOkand(
                    "Förbindelsen med tillståndsdatabasen bröts just när ändringen skulle bekräftas, så det "
                    "går inte att veta om den sparades. Kontrollera historiken innan du försöker igen."
                ) from exc
            raise

    def _oversatt(self, exc, skriv):
        import psycopg
        from psycopg import errors

        if not isinstance(exc, psycopg.Error):
            return None
        if isinstance(exc, errors.ReadOnlySqlTransaction):
            return TillstandSkrivskyddad(
                f"Tillståndsdatabasen ({self.plats}) tar bara emot läsningar just nu (skrivskyddad), "
                "så ingenting sparades. Försök igen senare eller kontakta driften."
            )
        if isinstance(exc, errors.InsufficientPrivilege):
            return TillstandSkrivskyddad(
                f"Appen saknar behörighet att skriva i tillståndsdatabasen ({self.plats}), så ingenting "
                f"sparades ({_en_rad(exc)})."
            )
        if isinstance(exc, errors.LockNotAvailable):
            return TillstandUpptagen(
                "Tillståndsdatabasen är upptagen av en annan skrivning "
                f"(väntade {lager.LAS_TIMEOUT_S:g} s), så ingenting sparades. Försök igen om en stund."
            )
        if exc.sqlstate == "KFP01":
            return TillstandFel(_en_rad(exc))
        what = "ingenting sparades" if skriv else "den kunde inte läsas"
        return TillstandOtillganglig(
            f"Tillståndsdatabasen ({self.plats}) gick inte att använda, så {what} ({_en_rad(exc)})."
        )

    def _har_tabell(self, cur, namn):
        cur.execute("select to_regclass(%s) is not null", (namn,))
        return bool(cur.fetchone()[0])

    def _skript(self, version):
        for entry in resources.files("kfp_metrics.tillstand").joinpath("migrations").iterdir():
            if entry.name.startswith(f"{version:04d}_") and entry.name.endswith(".postgres.sql"):
                return entry.read_text("utf-8")
        raise LookupError(version)

    def _kor_skript(self, cur, sql):
        cur.execute(sql)  # no parameters: psycopg sends the whole script as it is

    def backup(self, fil: Path) -> int:
        """A JSON file of every row, read in one repeatable-read snapshot (no pg_dump needed)."""
        tabeller = self.dump()
        document = {
            "format": "kfp-tillstand",
            "schemaversion": self.schemaversion(),
            "skapad": lager.iso_utc(lager.nu()),
            "kalla": self.namn,
            "tabeller": tabeller,
        }
        fil = Path(fil)
        temp = fil.with_name(f".{fil.name}.{os.getpid()}.tmp")
        try:
            with open(temp, "w", encoding="utf-8") as handle:
                json.dump(document, handle, ensure_ascii=False, indent=1)
                handle.write("\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, fil)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
        return sum(len(rows) for rows in tabeller.values())


def _en_rad(exc) -> str:
    return " ".join(str(exc).split())
