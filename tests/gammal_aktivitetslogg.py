"""The activity log as it was before the state database (kept verbatim, to build and read old-format
folders in the migration tests): the append-only change log of activity statuses.

Each change is one JSON file ``<seq>.json`` in ``<state_dir>/aktivitetslogg/``. A writer takes an
exclusive ``flock`` on ``.lock`` in that directory, picks the next sequence number from the names
present, writes the change to a temp name, flushes and fsyncs it, renames it to its final name and
fsyncs the directory. A file therefore appears whole or not at all, and a writer killed at any
moment leaves at most a stray temp file, which readers ignore and the next writer removes.
Nothing is ever rewritten: a mistaken change is corrected by a new one.
"""

from __future__ import annotations

import calendar
import datetime as dt
import errno
import fcntl
import json
import logging
import os
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

STATUSES = ("ej_paborjad", "pagar", "klar", "installd")
STATUS_LABELS = {"ej_paborjad": "Ej påbörjad", "pagar": "Pågår", "klar": "Klar", "installd": "Inställd"}
DONE_STATUSES = ("klar", "installd")

MAX_KOMMENTAR = 5000
MAX_AKTIVITET_ID = 200
MAX_AV = 200
LOCK_TIMEOUT_S = 10.0

DEFAULT_STATE_DIR = Path(__file__).resolve().parent.parent / "state"
LOG_DIRNAME = "aktivitetslogg"
LOCK_NAME = ".lock"
TEMP_PREFIX = ".tmp-"
_FINAL_RE = re.compile(r"^(\d{12})\.json$")
_FIELDS = ("aktivitet_id", "status", "kommentar", "av", "tid", "seq")


class LogLockedError(TimeoutError):
    """Another writer held the log's lock longer than LOCK_TIMEOUT_S."""


@dataclass(frozen=True)
class Change:
    """One logged status change of one activity."""

    aktivitet_id: str
    status: str
    kommentar: str | None
    av: str
    tid: str
    seq: int

    def as_dict(self) -> dict:
        """The change as the JSON object stored in the log."""
        return asdict(self)


class ChangeList(list):
    """A list of changes, ordered by seq, with the warnings met while reading the log."""

    def __init__(self, changes=(), warnings=()):
        super().__init__(changes)
        self.warnings: list[str] = list(warnings)


def state_dir() -> Path:
    """The state directory: KFP_STATE_DIR, else state/ in the project root."""
    value = os.environ.get("KFP_STATE_DIR")
    return Path(value) if value else DEFAULT_STATE_DIR


def log_dir(state: Path | str | None = None) -> Path:
    """The folder holding one JSON file per change."""
    return Path(state if state is not None else state_dir()) / LOG_DIRNAME


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _ensure_dir(path: Path) -> None:
    """Create path and its missing parents, each made durable in its parent."""
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            d.mkdir()
        except FileExistsError:
            pass
        _fsync_dir(d.parent)
    if not path.is_dir():
        raise NotADirectoryError(f"{path} är ingen mapp.")


def validate_change(aktivitet_id, status, kommentar, av) -> None:
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
    for label, text in (("Id", aktivitet_id), ("Namnet", av), ("Kommentaren", kommentar or "")):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"{label} innehåller ogiltiga tecken.") from None


def parse_status(text: str) -> str | None:
    """A status code from a code or a Swedish label (any case), else None."""
    key = " ".join(str(text).strip().lower().split())
    for code, label in STATUS_LABELS.items():
        if key in (code, label.lower()):
            return code
    return None


class _Lock:
    """An exclusive flock on the log's lock file, waited for at most timeout seconds."""

    def __init__(self, directory: Path, timeout: float):
        self.path = directory / LOCK_NAME
        self.timeout = timeout
        self.fd: int | None = None

    def __enter__(self):
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout
        pause = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise
            if time.monotonic() >= deadline:
                os.close(fd)
                raise LogLockedError(
                    f"Aktivitetsloggen är upptagen av en annan skrivning (väntade {self.timeout:g} s). "
                    "Försök igen om en stund."
                )
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        self.fd = fd
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def _next_seq_and_cleanup(directory: Path) -> int:
    """The next free sequence number; stray temp files (writers that died) are removed."""
    highest = 0
    with os.scandir(directory) as entries:
        for entry in entries:
            match = _FINAL_RE.match(entry.name)
            if match:
                highest = max(highest, int(match.group(1)))
            elif entry.name.startswith(TEMP_PREFIX):
                # Temps are only written under the lock we now hold: this one's writer is gone.
                try:
                    os.unlink(entry.path)
                except FileNotFoundError:
                    pass
    return highest + 1


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="microseconds")


def append_change(aktivitet_id, status, kommentar, av, state_dir=None) -> Change:
    """Log a status change durably and return it; ValueError (Swedish) before writing if invalid."""
    validate_change(aktivitet_id, status, kommentar, av)
    directory = log_dir(state_dir)
    _ensure_dir(directory)
    with _Lock(directory, LOCK_TIMEOUT_S):
        seq = _next_seq_and_cleanup(directory)
        change = Change(
            aktivitet_id=aktivitet_id,
            status=status,
            kommentar=kommentar,
            av=av.strip(),
            tid=_now(),
            seq=seq,
        )
        data = (json.dumps(change.as_dict(), ensure_ascii=False) + "\n").encode("utf-8")
        final = directory / f"{seq:012d}.json"
        temp = directory / f"{TEMP_PREFIX}{seq:012d}-{os.getpid()}-{os.urandom(4).hex()}.json"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.rename(temp, final)
        _fsync_dir(directory)
    return change


def _parse_change(path: Path, seq: int) -> Change:
    """The change stored in path; ValueError if the file is not a whole, valid change."""
    raw = json.loads(path.read_bytes().decode("utf-8"))
    if not isinstance(raw, dict) or not set(_FIELDS) <= set(raw):
        raise ValueError("fält saknas")
    if not isinstance(raw["seq"], int) or raw["seq"] != seq:
        raise ValueError("löpnumret stämmer inte med filnamnet")
    if not all(isinstance(raw[k], str) for k in ("aktivitet_id", "status", "av", "tid")):
        raise ValueError("fält av fel typ")
    if raw["kommentar"] is not None and not isinstance(raw["kommentar"], str):
        raise ValueError("kommentaren är inte text")
    if raw["status"] not in STATUSES:
        raise ValueError(f"okänd status {raw['status']!r}")
    dt.datetime.fromisoformat(raw["tid"])
    return Change(**{k: raw[k] for k in _FIELDS})


def read_changes(state_dir=None) -> list[Change]:
    """Every logged change, ordered by seq; unreadable files are skipped and listed in .warnings."""
    directory = log_dir(state_dir)
    if not directory.is_dir():
        return ChangeList()
    changes: list[Change] = []
    warnings: list[str] = []
    try:
        with os.scandir(directory) as entries:
            names = sorted(entry.name for entry in entries)
    except OSError as exc:
        message = f"Aktivitetsloggen i {directory} kunde inte läsas ({exc.strerror or exc})."
        log.warning(message)
        return ChangeList([], [message])
    for name in names:
        match = _FINAL_RE.match(name)
        if not match:
            continue
        try:
            changes.append(_parse_change(directory / name, int(match.group(1))))
        except (OSError, ValueError, TypeError) as exc:
            message = f"Aktivitetsloggen: filen {name} är skadad och hoppades över ({exc})."
            log.warning(message)
            warnings.append(message)
    changes.sort(key=lambda c: c.seq)
    return ChangeList(changes, warnings)


def history(aktivitet_id, state_dir=None) -> list[Change]:
    """One activity's changes, oldest first."""
    changes = read_changes(state_dir)
    return ChangeList((c for c in changes if c.aktivitet_id == aktivitet_id), changes.warnings)


def latest_by_activity(state_dir=None) -> dict[str, Change]:
    """The latest change of every activity that has one."""
    return {c.aktivitet_id: c for c in read_changes(state_dir)}


def _query_aktiviteter(con_or_data_dir, select: str, fetch):
    """Run select over the aktiviteter table of a connection or data dir; LookupError if absent."""
    import duckdb

    from kfp_metrics.extracts import locate_tables

    if isinstance(con_or_data_dir, duckdb.DuckDBPyConnection):
        cur = con_or_data_dir.cursor()
        try:
            found = cur.execute(
                "select count(*) from information_schema.tables where table_name = 'aktiviteter'"
            ).fetchone()[0]
            if not found:
                raise LookupError(
                    "Tabellen aktiviteter saknas i extrakten, så aktivitetsplanen kan inte visas."
                )
            return fetch(cur.execute(select.format(source="aktiviteter")))
        finally:
            cur.close()
    # Only the aktiviteter table is opened: the other extracts need not be present or valid.
    source = locate_tables(con_or_data_dir).get("aktiviteter")
    if source is None:
        raise LookupError(
            f"Tabellen aktiviteter saknas i {con_or_data_dir}, så aktivitetsplanen kan inte visas."
        )
    con = duckdb.connect(":memory:")
    try:
        return fetch(con.execute(select.format(source=source.read_sql())))
    finally:
        con.close()


def _read_aktiviteter(con_or_data_dir) -> pd.DataFrame:
    """The aktiviteter table as a DataFrame."""
    return _query_aktiviteter(con_or_data_dir, "select * from {source}", lambda rel: rel.df())


def plan_ids(con_or_data_dir) -> list[str]:
    """The aktivitet_id of every activity in the plan; LookupError if the table is absent."""
    rows = _query_aktiviteter(
        con_or_data_dir, "select aktivitet_id from {source}", lambda rel: rel.fetchall()
    )
    return [str(r[0]) for r in rows]


def _as_date(value) -> dt.date | None:
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def _missing(value) -> bool:
    import pandas as pd

    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _blank(value) -> bool:
    import pandas as pd

    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return bool(pd.isna(value))


def current_plan(con_or_data_dir, state_dir=None) -> pd.DataFrame:
    """The aktiviteter table with each activity's current status from the change log."""
    plan = _read_aktiviteter(con_or_data_dir).copy()
    import pandas as pd  # after the read, so a missing table is reported without loading pandas

    changes = read_changes(state_dir)
    latest: dict[str, Change] = {}
    latest_note: dict[str, str] = {}
    for c in changes:
        latest[c.aktivitet_id] = c
        if c.kommentar is not None and c.kommentar.strip():
            latest_note[c.aktivitet_id] = c.kommentar

    # Text columns as Python str/None and maldatum as datetime.date, the way callers test them.
    for name in plan.columns:
        if name == "maldatum":
            plan[name] = pd.Series([_as_date(v) for v in plan[name]], index=plan.index, dtype=object)
        elif pd.api.types.is_string_dtype(plan[name]) or plan[name].dtype == object:
            plan[name] = pd.Series(
                [None if _missing(v) else v for v in plan[name]], index=plan.index, dtype=object
            )
    ids = [str(x) for x in plan["aktivitet_id"]]
    plan_status = [None if _blank(s) else str(s) for s in plan["status"]]
    uppfoljning = plan["uppfoljning"] if "uppfoljning" in plan.columns else [None] * len(plan)

    def column(values):
        return pd.Series(list(values), index=plan.index, dtype=object)

    plan["status_plan"] = column(plan_status)
    plan["status"] = column(
        latest[i].status if i in latest else s for i, s in zip(ids, plan_status, strict=True)
    )
    plan["senaste_uppfoljning"] = column(
        latest_note[i] if i in latest_note else (None if _blank(u) else str(u))
        for i, u in zip(ids, uppfoljning, strict=True)
    )
    plan["senast_andrad"] = column(latest[i].tid if i in latest else None for i in ids)
    plan["andrad_av"] = column(latest[i].av if i in latest else None for i in ids)

    warnings = list(changes.warnings)
    unknown = sorted(set(latest) - set(ids))
    if unknown:
        warnings.append(
            "Aktivitetsloggen har ändringar för aktiviteter som inte finns i planen: "
            + ", ".join(unknown)
            + "."
        )
    plan.attrs["varningar"] = warnings
    return plan


def reference_date(period: str | None = None, today: dt.date | None = None) -> dt.date:
    """The earlier of today and the last day of period (YYYY-MM); today when period is None."""
    today = today or dt.date.today()
    if not period:
        return today
    year, month = (int(x) for x in period[:7].split("-"))
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return min(today, last)


def forsenade(plan_df: pd.DataFrame, referensdatum: dt.date | None = None) -> pd.Series:
    """True per activity whose maldatum is before the reference date and status not klar/installd."""
    import pandas as pd

    ref = referensdatum or dt.date.today()
    flags = []
    for maldatum, status in zip(plan_df["maldatum"], plan_df["status"], strict=True):
        day = _as_date(maldatum)
        flags.append(day is not None and day < ref and status not in DONE_STATUSES)
    return pd.Series(flags, index=plan_df.index, dtype=bool)


def summarize(plan_df: pd.DataFrame, referensdatum: dt.date | None = None) -> dict:
    """Counts per current status and the number of forsenade, as in the contract's JSON."""
    per_status = {code: 0 for code in STATUSES}
    for status in plan_df["status"]:
        if status in per_status:
            per_status[status] += 1
    return {"per_status": per_status, "forsenade": int(forsenade(plan_df, referensdatum).sum())}
