"""The activity plan's change log: its rules, and the plan with each activity's current status.

The changes themselves live in the state store (kfp_metrics.tillstand: SQLite in the state
directory, or PostgreSQL), append-only: a mistaken change is corrected by a new one. This module
keeps the interface the rest of the app has always called (append_change, read_changes, history,
latest_by_activity) and reads the plan. A store that cannot be reached raises TillstandFel with a
Swedish message; a store that could not be written has stored nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from kfp_metrics import tillstand
from kfp_metrics.tillstand import (
    MAX_AKTIVITET_ID,
    MAX_AV,
    MAX_KOMMENTAR,
    STATUS_LABELS,
    STATUSES,
    Change,
    TillstandFel,
    validate_change,
)
from kfp_metrics.tillstand import TillstandUpptagen as LogLockedError
from kfp_metrics.tillstand.gammal_logg import MAPPNAMN as LOG_DIRNAME

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd

log = logging.getLogger(__name__)

__all__ = [
    "DONE_STATUSES",
    "MAX_AKTIVITET_ID",
    "MAX_AV",
    "MAX_KOMMENTAR",
    "STATUSES",
    "STATUS_LABELS",
    "Change",
    "ChangeList",
    "LogLockedError",
    "TillstandFel",
    "append_change",
    "current_plan",
    "forsenade",
    "history",
    "latest_by_activity",
    "log_dir",
    "parse_status",
    "plan_ids",
    "read_changes",
    "reference_date",
    "state_dir",
    "summarize",
    "token",
    "validate_change",
]

DONE_STATUSES = ("klar", "installd")
DEFAULT_STATE_DIR = tillstand.DEFAULT_STATE_DIR


class ChangeList(list):
    """A list of changes, ordered by seq, with the warnings met while reading the log."""

    def __init__(self, changes=(), warnings=()):
        super().__init__(changes)
        self.warnings: list[str] = list(warnings)


def state_dir() -> Path:
    """The state directory: KFP_STATE_DIR, else state/ in the project root."""
    return tillstand.state_dir()


def log_dir(state: Path | str | None = None) -> Path:
    """The old log's folder of one JSON file per change (read once, by the import into the store)."""
    return Path(state if state is not None else state_dir()) / LOG_DIRNAME


def parse_status(text: str) -> str | None:
    """A status code from a code or a Swedish label (any case), else None."""
    key = " ".join(str(text).strip().lower().split())
    for code, label in STATUS_LABELS.items():
        if key in (code, label.lower()):
            return code
    return None


def append_change(aktivitet_id, status, kommentar, av, state_dir=None, *, av_id=None, kalla="app") -> Change:
    """Log a status change durably and return it; ValueError (Swedish) before writing if invalid,
    TillstandFel (Swedish) if the store could not take it. Returning means it is committed."""
    return tillstand.append_change(
        aktivitet_id, status, kommentar, av, av_id=av_id, kalla=kalla, state_dir=state_dir
    )


def read_changes(state_dir=None) -> list[Change]:
    """Every logged change, ordered by seq (a ChangeList: .warnings for what the reader met)."""
    return ChangeList(tillstand.andringar(None, state_dir))


def history(aktivitet_id, state_dir=None) -> list[Change]:
    """One activity's changes, oldest first."""
    return ChangeList(tillstand.andringar(aktivitet_id, state_dir))


def latest_by_activity(state_dir=None) -> dict[str, Change]:
    """The latest change of every activity that has one."""
    return {c.aktivitet_id: c for c in tillstand.andringar(None, state_dir)}


def token(state_dir=None) -> int:
    """A cache token that changes with every logged change, on every server: the highest seq."""
    return tillstand.andringsversion(state_dir)


def _query_aktiviteter(con_or_data_dir, select: str, fetch):
    """Run select over the aktiviteter table of a connection or data dir; LookupError if absent."""
    import duckdb

    from kfp_metrics.extracts import locate_tables

    if hasattr(con_or_data_dir, "cursor"):  # a DuckDB connection, or the access layer's filtered one
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


def current_plan(con_or_data_dir, state_dir=None, only: Iterable[str] | None = None) -> pd.DataFrame:
    """The aktiviteter table with each activity's current status from the change log.

    only: the aktivitet_id of the activities wanted (a scope's); the others are left out before
    their values are converted, which for a scope of a large plan is most of the work. The warnings
    are about the whole plan all the same."""
    plan = _read_aktiviteter(con_or_data_dir)
    import pandas as pd  # after the read, so a missing table is reported without loading pandas

    all_ids = [str(x) for x in plan["aktivitet_id"]]
    if only is not None:
        wanted = {str(i) for i in only}
        plan = plan[[i in wanted for i in all_ids]]
    plan = plan.reset_index(drop=True) if only is not None else plan.copy()

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
    unknown = sorted(set(latest) - set(all_ids))
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
