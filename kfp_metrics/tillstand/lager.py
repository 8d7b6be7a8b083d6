"""What both backends share: the rows, their validation, and every read and write as bound SQL.

A backend (sqlite.py, postgres.py) supplies connections, the write lock and the translation of its
driver's errors; this module holds the behaviour, so both backends behave the same.

Sequence numbers: every history table numbers its rows 1, 2, 3, ... without gaps, in commit order.
A writer takes the table's write lock inside its transaction (SQLite: BEGIN IMMEDIATE, the whole
database; PostgreSQL: a transaction-scoped advisory lock per table), reads max(seq) + 1, inserts and
commits, which releases the lock. The next writer's max(seq) therefore sees the previous commit, a
rolled-back writer leaves no number behind, and numbers are handed out in the order commits happen.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import threading
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from kfp_metrics import personnummer
from kfp_metrics.tillstand import gammal_logg
from kfp_metrics.tillstand.fel import TillstandFel

log = logging.getLogger("kfp_metrics.tillstand")

STATUSES = ("ej_paborjad", "pagar", "klar", "installd")
STATUS_LABELS = {"ej_paborjad": "Ej påbörjad", "pagar": "Pågår", "klar": "Klar", "installd": "Inställd"}
KALLOR = ("app", "cli", "import")
URVAL_NYCKLAR = ("forvaltning", "avdelning", "enhet")

MAX_KOMMENTAR = 5000
MAX_AKTIVITET_ID = 200
MAX_AV = 200
MAX_ID = 320
MAX_SIDA = 200
MAX_NEDLADDNING = 300
MAX_TEXT = 100_000
MAX_NYCKEL = 200
LAS_TIMEOUT_S = 10.0

SVENSK_TID = ZoneInfo("Europe/Stockholm")
UTC = dt.UTC
IMPORTNAMN = "aktivitetslogg"

# Columns per table, in backup order; the tables are append-only except importer (one row per import).
TABELLER: dict[str, tuple[str, ...]] = {
    "andringar": ("seq", "aktivitet_id", "status", "kommentar", "av", "av_id", "tid", "kalla"),
    "atkomstlogg": ("seq", "tid", "person_id", "sida", "urval", "nedladdning"),
    "rapporttexter": ("seq", "period", "urval", "avsnitt", "text", "av", "av_id", "fingeravtryck", "tid"),
    "importer": ("namn", "tid", "mapp", "antal", "hogsta_seq"),
}
NYCKEL = {"andringar": "seq", "atkomstlogg": "seq", "rapporttexter": "seq", "importer": "namn"}


@dataclass(frozen=True)
class Change:
    """One logged status change of one activity; tid is ISO 8601 in UTC."""

    aktivitet_id: str
    status: str
    kommentar: str | None
    av: str
    tid: str
    seq: int
    av_id: str | None = None
    kalla: str = "app"

    def as_dict(self) -> dict:
        """The change as a plain dict."""
        return asdict(self)


def nu() -> dt.datetime:
    """Now, in UTC."""
    return dt.datetime.now(UTC)


def iso_utc(moment: dt.datetime) -> str:
    """A time as ISO 8601 in UTC with microseconds, the form every stored time is returned in."""
    if moment.tzinfo is None:
        raise ValueError("Tiden saknar tidszon.")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def svensk_tid(iso: str) -> dt.datetime:
    """A stored time (any offset) in Swedish local time, Europe/Stockholm."""
    moment = dt.datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SVENSK_TID)


def _kontrollera_text(namn: str, text, hogst: int, tom_tillats: bool = False) -> None:
    if not isinstance(text, str):
        raise ValueError(f"{namn} måste vara text.")
    if not tom_tillats and not text.strip():
        raise ValueError(f"{namn} saknas.")
    if len(text) > hogst:
        raise ValueError(f"{namn} är för lång: {len(text)} tecken, högst {hogst} tillåts.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{namn} innehåller ogiltiga tecken.") from None
    if "\x00" in text:
        raise ValueError(f"{namn} innehåller tecknet NUL, som inte kan sparas.")


def validate_change(aktivitet_id, status, kommentar, av, av_id=None, kalla="app") -> None:
    """Raise ValueError with a Swedish message unless the change may be logged."""
    if not isinstance(aktivitet_id, str) or not aktivitet_id.strip():
        raise ValueError("Aktivitetens id saknas.")
    if len(aktivitet_id) > MAX_AKTIVITET_ID:
        raise ValueError(f"Aktivitetens id är för långt (högst {MAX_AKTIVITET_ID} tecken).")
    if status not in STATUSES:
        giltiga = ", ".join(f"{code} ({label})" for code, label in STATUS_LABELS.items())
        raise ValueError(f"Okänd status {status!r}. Giltiga värden: {giltiga}.")
    if not isinstance(av, str) or not av.strip():
        raise ValueError("Ange vem som gör ändringen (namn saknas).")
    if len(av.strip()) > MAX_AV:
        raise ValueError(f"Namnet är för långt (högst {MAX_AV} tecken).")
    if kommentar is not None:
        if not isinstance(kommentar, str):
            raise ValueError("Kommentaren måste vara text.")
        if len(kommentar) > MAX_KOMMENTAR:
            raise ValueError(
                f"Kommentaren är för lång: {len(kommentar)} tecken, högst {MAX_KOMMENTAR} tillåts."
            )
    # The follow-up is printed in the plan for the nämnd, whose papers are public.
    for label, text in (("Kommentaren", kommentar), ("Namnet", av)):
        personnummer.kontrollera(label, text, "Uppföljningen visas i planen för nämnden")
    if av_id is not None:
        _kontrollera_text("Personens id", av_id, MAX_ID)
    if kalla not in KALLOR:
        raise ValueError(f"Okänd källa {kalla!r}. Giltiga värden: {', '.join(KALLOR)}.")
    for label, text in (("Id", aktivitet_id), ("Namnet", av), ("Kommentaren", kommentar or "")):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"{label} innehåller ogiltiga tecken.") from None
        if "\x00" in text:
            # PostgreSQL cannot store NUL in text; refused on both backends so both behave alike.
            raise ValueError(f"{label} innehåller tecknet NUL, som inte kan sparas.")


def urval_nyckel(urval) -> str:
    """The scope as canonical JSON: the three lists, each sorted, keys sorted, no spaces.

    urval is a mapping with (some of) the keys forvaltning, avdelning, enhet, or a Scope; only
    lists of names are accepted, so nothing but the scope itself can be stored with it."""
    if not isinstance(urval, Mapping):
        if all(hasattr(urval, k) for k in URVAL_NYCKLAR):
            urval = {k: getattr(urval, k) for k in URVAL_NYCKLAR}
        else:
            raise ValueError("Urvalet måste anges som förvaltning, avdelning och enhet.")
    okanda = sorted(set(urval) - set(URVAL_NYCKLAR))
    if okanda:
        raise ValueError(f"Urvalet har okända fält: {', '.join(map(str, okanda))}.")
    ren: dict[str, list[str]] = {}
    for key in URVAL_NYCKLAR:
        values = urval.get(key) or []
        if isinstance(values, str) or not all(isinstance(v, str) for v in values):
            raise ValueError(f"Urvalets {key} måste vara en lista med namn.")
        for v in values:
            _kontrollera_text(f"Ett namn i urvalets {key}", v, MAX_NYCKEL)
        ren[key] = sorted(set(values))
    return json.dumps(ren, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Lager:
    """A state store over one database; subclasses supply connections, locking and error mapping."""

    namn = "?"  # the backend's name as shown to users
    plats = "?"  # where the data lives, without secrets

    def __init__(self, state_dir: Path | None):
        self.state_dir = Path(state_dir) if state_dir is not None else None
        self.meddelanden: list[str] = []  # Swedish notes from opening (migration, import)
        self._pool: list = []
        self._pool_lock = threading.Lock()

    # --- what a backend provides -----------------------------------------------------------------

    def _anslut(self):
        """A new connection."""
        raise NotImplementedError

    def _frisk(self, conn) -> bool:
        """Whether a pooled connection may be reused."""
        return True

    def _stang(self, conn) -> None:
        with contextlib.suppress(Exception):
            conn.close()

    @contextlib.contextmanager
    def _transaktion(self, conn, tabell: str | None, skriv: bool) -> Iterator:
        """A cursor inside a transaction; with skriv, holding tabell's write lock until commit."""
        raise NotImplementedError
        yield

    def _oversatt(self, exc: BaseException, skriv: bool) -> TillstandFel | None:
        """The driver's error as a Swedish TillstandFel, or None if it is not the driver's."""
        return None

    def _q(self, sql: str) -> str:
        """The SQL in the driver's placeholder style (written here with ?)."""
        return sql

    def _tid_in(self, moment: dt.datetime):
        """A time as the driver binds it."""
        return iso_utc(moment)

    def _skript(self, version: int) -> str | None:
        return None

    def _kor_skript(self, cur, sql: str) -> None:
        raise NotImplementedError

    def backup(self, fil: Path) -> int:
        """Write a consistent copy of the whole store to fil; returns the number of rows."""
        raise NotImplementedError

    # --- connections ----------------------------------------------------------------------------

    def _ta(self):
        with self._pool_lock:
            while self._pool:
                conn = self._pool.pop()
                if self._frisk(conn):
                    return conn
                self._stang(conn)
        return self._anslut()

    def _lamna(self, conn, frisk: bool) -> None:
        if frisk and self._frisk(conn):
            with self._pool_lock:
                if len(self._pool) < 8:
                    self._pool.append(conn)
                    return
        self._stang(conn)

    @contextlib.contextmanager
    def _cursor(self, tabell: str | None = None, skriv: bool = False) -> Iterator:
        """A cursor in a transaction; driver errors leave as Swedish TillstandFel."""
        conn = None
        ok = False
        try:
            conn = self._ta()
            with self._transaktion(conn, tabell, skriv) as cur:
                yield cur
            ok = True
        except TillstandFel:
            raise
        except Exception as exc:
            mapped = self._oversatt(exc, skriv)
            if mapped is None:
                raise
            raise mapped from exc
        finally:
            if conn is not None:
                self._lamna(conn, ok)

    def stang(self) -> None:
        """Close the pooled connections."""
        with self._pool_lock:
            conns, self._pool = self._pool, []
        for conn in conns:
            self._stang(conn)

    # --- opening: schema migrations and the old log -----------------------------------------------

    def migrera(self) -> None:
        """Apply the migrations this database lacks, then import the old log folder if there is one."""
        known = self._versioner()
        # A read first: an up-to-date database is not written to at all, so a read-only one opens.
        with self._cursor() as cur:
            have = self._applicerade(cur)
        if set(known) - have or (have and max(have) > max(known)):
            self._migrera(known)
        if self.state_dir is not None:
            self.importera_gammal_logg(self.state_dir / gammal_logg.MAPPNAMN)

    def _applicerade(self, cur) -> set[int]:
        if not self._har_tabell(cur, "schemaversion"):
            return set()
        cur.execute("select version from schemaversion")
        return {int(r[0]) for r in cur.fetchall()}

    def _har_tabell(self, cur, namn: str) -> bool:
        raise NotImplementedError

    def _migrera(self, known: dict[int, str]) -> None:
        with self._cursor("schema", skriv=True) as cur:
            cur.execute(
                "create table if not exists schemaversion "
                "(version integer primary key, namn text not null, tid text not null)"
            )
            cur.execute("select version from schemaversion")
            have = {int(r[0]) for r in cur.fetchall()}
            if have and max(have) > max(known):
                raise TillstandFel(
                    f"Tillståndsdatabasen ({self.namn}, {self.plats}) har schemaversion {max(have)}, "
                    f"nyare än den här versionen av appen känner till ({max(known)}). "
                    "Uppgradera appen på alla servrar innan den startas."
                )
            for version, namn in known.items():
                if version in have:
                    continue
                self._kor_skript(cur, self._skript(version))
                cur.execute(
                    self._q("insert into schemaversion (version, namn, tid) values (?, ?, ?)"),
                    (version, namn, iso_utc(nu())),
                )
                log.info("Tillståndsdatabasen: migrering %s (%s) körd.", version, namn)

    def _versioner(self) -> dict[int, str]:
        known = {}
        for entry in resources.files("kfp_metrics.tillstand").joinpath("migrations").iterdir():
            parts = entry.name.split(".")
            if len(parts) == 3 and parts[1] == self.dialekt and parts[2] == "sql":
                version, _, namn = parts[0].partition("_")
                known[int(version)] = namn
        return dict(sorted(known.items()))

    dialekt = "?"

    def schemaversion(self) -> int:
        """The highest applied migration."""
        with self._cursor() as cur:
            cur.execute("select coalesce(max(version), 0) from schemaversion")
            return int(cur.fetchone()[0])

    def importera_gammal_logg(self, mapp: Path) -> str | None:
        """Import the old JSON-folder log once, exactly, in one transaction; the folder is only read.

        Each change keeps its seq, time, author and text. A run killed midway committed nothing and
        is done whole on the next start; rows already present with the same seq and content (a store
        restored mid-way, say) are kept, not duplicated. Returns the Swedish report, or None."""
        if not mapp.is_dir() or self._importerad():
            return None
        try:
            changes, skadade = gammal_logg.las(mapp)
        except OSError as exc:
            return self._notera(
                f"Den gamla aktivitetsloggen i {mapp} kunde inte läsas ({exc.strerror or exc})."
            )
        with self._cursor("andringar", skriv=True) as cur:
            cur.execute(self._q("select count(*) from importer where namn = ?"), (IMPORTNAMN,))
            if cur.fetchone()[0]:
                return None
            cur.execute(self._q("select " + ", ".join(TABELLER["andringar"]) + " from andringar"))
            present = {r[0]: self._rad("andringar", r) for r in cur.fetchall()}
            inserted = kept = 0
            for c in list(changes):
                if any("\x00" in (c[k] or "") for k in ("aktivitet_id", "kommentar", "av")):
                    skadade.append(f"filen {c['seq']:012d}.json innehåller tecknet NUL och importerades inte")
                    changes.remove(c)
            for c in changes:
                row = {
                    "seq": c["seq"],
                    "aktivitet_id": c["aktivitet_id"],
                    "status": c["status"],
                    "kommentar": c["kommentar"],
                    "av": c["av"],
                    "av_id": None,
                    "tid": iso_utc(c["tid"]),
                    "kalla": "import",
                }
                if row["seq"] in present:
                    if present[row["seq"]] != row:
                        return self._notera(
                            f"Den gamla aktivitetsloggen i {mapp} importerades inte: ändring nr {row['seq']} "
                            "finns redan i tillståndsdatabasen med annat innehåll. Mappen är orörd."
                        )
                    kept += 1
                    continue
                self._infoga(cur, "andringar", row)
                inserted += 1
            hogsta = max((c["seq"] for c in changes), default=0)
            self._infoga(
                cur,
                "importer",
                {
                    "namn": IMPORTNAMN,
                    "tid": iso_utc(nu()),
                    "mapp": str(mapp),
                    "antal": len(changes),
                    "hogsta_seq": hogsta,
                },
            )
        text = (
            f"Importerade {inserted} ändringar från den gamla aktivitetsloggen i {mapp} till "
            f"tillståndsdatabasen ({self.namn}, {self.plats})."
        )
        if kept:
            text += f" {kept} ändringar fanns redan och lämnades som de var."
        if skadade:
            text += f" {len(skadade)} filer hoppades över: " + "; ".join(skadade) + "."
        text += " Mappen har lämnats orörd och kan arkiveras när historiken är kontrollerad."
        return self._notera(text)

    def _importerad(self) -> bool:
        with self._cursor() as cur:
            cur.execute(self._q("select count(*) from importer where namn = ?"), (IMPORTNAMN,))
            return bool(cur.fetchone()[0])

    def _notera(self, text: str) -> str:
        log.warning(text)
        self.meddelanden.append(text)
        return text

    # --- rows ------------------------------------------------------------------------------------

    def _tid_ut(self, value) -> str:
        if isinstance(value, dt.datetime):
            return iso_utc(value)
        return iso_utc(dt.datetime.fromisoformat(value))

    def _rad(self, tabell: str, values) -> dict:
        row = dict(zip(TABELLER[tabell], values, strict=True))
        if "tid" in row:
            row["tid"] = self._tid_ut(row["tid"])
        for key in ("seq", "antal", "hogsta_seq"):
            if key in row:
                row[key] = int(row[key])
        return row

    def _infoga(self, cur, tabell: str, row: dict) -> None:
        cols = TABELLER[tabell]
        values = [self._tid_in(dt.datetime.fromisoformat(row[c])) if c == "tid" else row[c] for c in cols]
        sql = f"insert into {tabell} ({', '.join(cols)}) values ({', '.join('?' for _ in cols)})"
        cur.execute(self._q(sql), values)

    def _nasta(self, cur, tabell: str) -> int:
        """max(seq) + 1, read under the table's write lock (see the module docstring)."""
        cur.execute(f"select coalesce(max(seq), 0) + 1 from {tabell}")
        return int(cur.fetchone()[0])

    def _lagg_till(self, tabell: str, row: dict) -> dict:
        with self._cursor(tabell, skriv=True) as cur:
            row = {"seq": self._nasta(cur, tabell), **row}
            if row.get("tid") is None:
                # Taken under the lock, so on one clock times rise with the sequence.
                row["tid"] = iso_utc(nu())
            self._infoga(cur, tabell, row)
        return row

    def _hamta(self, tabell: str, where: str = "", params: tuple = ()) -> list[dict]:
        sql = f"select {', '.join(TABELLER[tabell])} from {tabell} {where} order by {NYCKEL[tabell]}"
        with self._cursor() as cur:
            cur.execute(self._q(sql), params)
            return [self._rad(tabell, r) for r in cur.fetchall()]

    # --- activity changes -------------------------------------------------------------------------

    def append_change(
        self, aktivitet_id, status, kommentar, av, *, av_id=None, kalla="app", tid=None
    ) -> Change:
        """Log a status change durably and return it; ValueError (Swedish) before writing if invalid."""
        validate_change(aktivitet_id, status, kommentar, av, av_id, kalla)
        row = self._lagg_till(
            "andringar",
            {
                "aktivitet_id": aktivitet_id,
                "status": status,
                "kommentar": kommentar,
                "av": av.strip(),
                "av_id": av_id,
                "tid": iso_utc(tid) if tid else None,
                "kalla": kalla,
            },
        )
        return Change(**row)

    def andringar(self, aktivitet_id: str | None = None) -> list[Change]:
        """Every logged change (or one activity's), ordered by seq."""
        if aktivitet_id is None:
            rows = self._hamta("andringar")
        else:
            rows = self._hamta("andringar", "where aktivitet_id = ?", (aktivitet_id,))
        return [Change(**r) for r in rows]

    def andringsversion(self) -> int:
        """The highest change seq (0 when none): changes on every write, the same on every server."""
        with self._cursor() as cur:
            cur.execute("select coalesce(max(seq), 0) from andringar")
            return int(cur.fetchone()[0])

    # --- access log --------------------------------------------------------------------------------

    def logga_atkomst(
        self, person_id: str, sida: str, urval: dict, nedladdning: str | None = None, tid=None
    ) -> dict:
        """Append who looked at which page with which effective scope (and what was downloaded)."""
        _kontrollera_text("Personens id", person_id, MAX_ID)
        _kontrollera_text("Sidan", sida, MAX_SIDA)
        if nedladdning is not None:
            _kontrollera_text("Nedladdningen", nedladdning, MAX_NEDLADDNING)
        nyckel = urval_nyckel(urval)
        return self._utlast(
            "atkomstlogg",
            self._lagg_till(
                "atkomstlogg",
                {
                    "tid": iso_utc(tid) if tid else None,
                    "person_id": person_id,
                    "sida": sida,
                    "urval": nyckel,
                    "nedladdning": nedladdning,
                },
            ),
        )

    def atkomstlogg(self, sedan: dt.date | None = None) -> list[dict]:
        """The access log oldest first; with sedan, from that day (Swedish local midnight) on."""
        if sedan is None:
            rows = self._hamta("atkomstlogg")
        else:
            start = dt.datetime.combine(sedan, dt.time(), SVENSK_TID)
            rows = self._hamta("atkomstlogg", "where tid >= ?", (self._tid_in(start),))
        return [self._utlast("atkomstlogg", r) for r in rows]

    @staticmethod
    def _utlast(tabell: str, row: dict) -> dict:
        if tabell in ("atkomstlogg", "rapporttexter"):
            row = {**row, "urval": json.loads(row["urval"])}
        return row

    # --- reviewed report text ----------------------------------------------------------------------

    def spara_text(
        self,
        period: str,
        urval: dict,
        avsnitt: str,
        text: str | None,
        av: str,
        av_id: str | None,
        fingeravtryck: str,
    ) -> dict:
        """Append a version of a report section's reviewed text; text None resets it to the draft."""
        _kontrollera_text("Perioden", period, 20)
        _kontrollera_text("Avsnittet", avsnitt, MAX_NYCKEL)
        _kontrollera_text("Namnet", av, MAX_AV)
        _kontrollera_text("Fingeravtrycket", fingeravtryck, MAX_NYCKEL)
        if av_id is not None:
            _kontrollera_text("Personens id", av_id, MAX_ID)
        if text is not None:
            _kontrollera_text("Texten", text, MAX_TEXT, tom_tillats=True)
            personnummer.kontrollera("Texten", text, "Den skrivs ut i rapporten till nämnden")
        row = self._lagg_till(
            "rapporttexter",
            {
                "period": period,
                "urval": urval_nyckel(urval),
                "avsnitt": avsnitt,
                "text": text,
                "av": av.strip(),
                "av_id": av_id,
                "fingeravtryck": fingeravtryck,
                "tid": None,
            },
        )
        return self._utlast("rapporttexter", row)

    def texthistorik(self, period: str, urval: dict, avsnitt: str) -> list[dict]:
        """Every saved version of one section's text for a period and scope, oldest first."""
        rows = self._hamta(
            "rapporttexter",
            "where period = ? and urval = ? and avsnitt = ?",
            (period, urval_nyckel(urval), avsnitt),
        )
        return [self._utlast("rapporttexter", r) for r in rows]

    def aktuell_text(self, period: str, urval: dict, avsnitt: str) -> dict | None:
        """The latest version, or None if the text was never edited or was last reset to the draft."""
        nyckel = urval_nyckel(urval)
        sql = (
            f"select {', '.join(TABELLER['rapporttexter'])} from rapporttexter "
            "where period = ? and urval = ? and avsnitt = ? order by seq desc limit 1"
        )
        with self._cursor() as cur:
            cur.execute(self._q(sql), (period, nyckel, avsnitt))
            found = cur.fetchone()
        if found is None:
            return None
        row = self._utlast("rapporttexter", self._rad("rapporttexter", found))
        return None if row["text"] is None else row

    # --- backup, restore, status ---------------------------------------------------------------

    def dump(self) -> dict[str, list[dict]]:
        """Every row of every table (times as ISO UTC), as one consistent read."""
        out = {}
        with self._cursor(skriv=False, tabell="dump") as cur:
            for tabell, cols in TABELLER.items():
                cur.execute(f"select {', '.join(cols)} from {tabell} order by {NYCKEL[tabell]}")
                out[tabell] = [self._rad(tabell, r) for r in cur.fetchall()]
        return out

    def aterstall(self, tabeller: dict[str, list[dict]]) -> int:
        """Insert a backup's rows into this store, which must be empty; returns the number of rows."""
        antal = 0
        with self._cursor("alla", skriv=True) as cur:
            for tabell in TABELLER:
                cur.execute(f"select count(*) from {tabell}")
                if cur.fetchone()[0]:
                    raise TillstandFel(
                        f"Tillståndsdatabasen ({self.namn}, {self.plats}) är inte tom (tabellen {tabell} har rader). "
                        "Återställ bara till en tom databas; ingenting har ändrats."
                    )
            for tabell, cols in TABELLER.items():
                for row in tabeller.get(tabell, []):
                    missing = [c for c in cols if c not in row]
                    if missing:
                        raise TillstandFel(
                            f"Säkerhetskopian är skadad: en rad i {tabell} saknar {', '.join(missing)}. "
                            "Ingenting har återställts."
                        )
                    self._infoga(cur, tabell, row)
                    antal += 1
        return antal

    def status(self) -> dict:
        """Backend, place, schema version, rows per table and the imports done."""
        with self._cursor() as cur:
            counts = {}
            for tabell in TABELLER:
                cur.execute(f"select count(*) from {tabell}")
                counts[tabell] = int(cur.fetchone()[0])
        return {
            "backend": self.namn,
            "plats": self.plats,
            "schemaversion": self.schemaversion(),
            "rader": counts,
            "importer": self._hamta("importer"),
        }
