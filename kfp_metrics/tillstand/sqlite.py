"""The embedded backend: one SQLite file in the state directory (WAL, synchronous=FULL, busy timeout).

For one app server on a local disk. Writers serialise on SQLite's own write lock (BEGIN IMMEDIATE),
which waits up to the busy timeout; readers never block and never see half a transaction.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from kfp_metrics.tillstand import lager
from kfp_metrics.tillstand.fel import (
    TillstandFel,
    TillstandOtillganglig,
    TillstandSkrivskyddad,
    TillstandUpptagen,
)

FILNAMN = "tillstand.sqlite3"
SQLITE_HEADER = b"SQLite format 3\x00"


class SqliteLager(lager.Lager):
    """The state store in <state_dir>/tillstand.sqlite3."""

    namn = "SQLite"
    dialekt = "sqlite"

    def __init__(self, state_dir: Path):
        super().__init__(state_dir)
        self.fil = Path(state_dir) / FILNAMN
        self.plats = str(self.fil)

    def _anslut(self):
        try:
            self.fil.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise TillstandOtillganglig(
                f"Tillståndsmappen {self.fil.parent} kunde inte skapas ({exc.strerror or exc})."
            ) from exc
        conn = sqlite3.connect(
            self.fil, timeout=lager.LAS_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute(f"pragma busy_timeout = {int(lager.LAS_TIMEOUT_S * 1000)}")
            _wal(conn)
            conn.execute("pragma synchronous = full")
        except BaseException:
            conn.close()
            raise
        return conn

    @contextlib.contextmanager
    def _transaktion(self, conn, tabell, skriv) -> Iterator:
        conn.execute(f"pragma busy_timeout = {int(lager.LAS_TIMEOUT_S * 1000)}")
        # A write takes the database's write lock at once, so max(seq) is read under it.
        conn.execute("begin immediate" if skriv else "begin")
        try:
            yield conn.cursor()
        except BaseException:
            conn.rollback()
            raise
        try:
            conn.execute("commit")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.rollback()
            raise

    def _oversatt(self, exc, skriv):
        if not isinstance(exc, sqlite3.Error):
            return None
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            return TillstandUpptagen(
                "Tillståndsdatabasen är upptagen av en annan skrivning "
                f"(väntade {lager.LAS_TIMEOUT_S:g} s), så ingenting sparades. Försök igen om en stund."
            )
        if "readonly" in text or "read-only" in text:
            return TillstandSkrivskyddad(
                f"Tillståndsdatabasen {self.fil} är skrivskyddad, så ingenting sparades. "
                "Kontrollera att appen får skriva i filen och i tillståndsmappen."
            )
        if "raise" in text or "får bara fyllas på" in text:
            return TillstandFel(str(exc))
        if "unable to open" in text:
            return TillstandOtillganglig(
                f"Tillståndsdatabasen {self.fil} kunde inte öppnas ({exc}), så ingenting kunde läsas eller "
                f"sparas. Kontrollera att appen får läsa och skriva i tillståndsmappen {self.fil.parent}."
            )
        if isinstance(exc, sqlite3.DatabaseError) and "not a database" in text:
            return TillstandOtillganglig(f"Filen {self.fil} är ingen SQLite-databas ({exc}).")
        what = "ingenting sparades" if skriv else "den kunde inte läsas"
        return TillstandOtillganglig(
            f"Tillståndsdatabasen {self.fil} gick inte att använda ({exc}), så {what}."
        )

    def _har_tabell(self, cur, namn):
        cur.execute("select count(*) from sqlite_master where type = 'table' and name = ?", (namn,))
        return bool(cur.fetchone()[0])

    def _skript(self, version):
        for entry in resources.files("kfp_metrics.tillstand").joinpath("migrations").iterdir():
            if entry.name.startswith(f"{version:04d}_") and entry.name.endswith(".sqlite.sql"):
                return entry.read_text("utf-8")
        raise LookupError(version)

    def _kor_skript(self, cur, sql):
        # Statement by statement inside the open transaction (executescript would commit first).
        buffer = ""
        for line in sql.splitlines(keepends=True):
            buffer += line
            if sqlite3.complete_statement(buffer):
                cur.execute(buffer)
                buffer = ""
        if buffer.strip() and not all(
            ln.strip().startswith("--") or not ln.strip() for ln in buffer.splitlines()
        ):
            raise ValueError("Ofullständig sats i migreringen.")

    def backup(self, fil: Path) -> int:
        """SQLite's online backup API into fil (written whole, then renamed into place)."""
        fil = Path(fil)
        temp = fil.with_name(f".{fil.name}.{os.getpid()}.tmp")
        conn = self._ta()
        try:
            target = sqlite3.connect(temp)
            try:
                conn.backup(target)
                rows = sum(target.execute(f"select count(*) from {t}").fetchone()[0] for t in lager.TABELLER)
            finally:
                target.close()
            with open(temp, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(temp, fil)
        except sqlite3.Error as exc:
            raise self._oversatt(exc, False) from exc
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            self._lamna(conn, True)
        return rows


def las_backup(fil: Path) -> dict[str, list[dict]]:
    """The rows of a SQLite backup file, opened read-only (the file is not changed)."""
    conn = sqlite3.connect(f"file:{Path(fil).resolve()}?mode=ro&immutable=1", uri=True)
    try:
        names = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        reader = lager.Lager(None)
        out = {}
        for tabell, cols in lager.TABELLER.items():
            if tabell not in names:
                out[tabell] = []
                continue
            rows = conn.execute(f"select {', '.join(cols)} from {tabell} order by {lager.NYCKEL[tabell]}")
            out[tabell] = [reader._rad(tabell, r) for r in rows]
        return out
    finally:
        conn.close()


def _wal(conn) -> None:
    """Switch a new database to WAL. Switching needs the database alone and SQLite does not wait
    for that through busy_timeout, so processes opening a new store at once retry until the
    timeout instead of failing with "database is locked"."""
    deadline = time.monotonic() + lager.LAS_TIMEOUT_S
    pause = 0.01
    while True:
        try:
            if conn.execute("pragma journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("pragma journal_mode = wal")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)
