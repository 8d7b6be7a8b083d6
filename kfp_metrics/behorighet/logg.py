"""The access log: one append-only line per page view and per download, never a figure.

Stored in the state directory as JSON lines (one write per line, fsynced), so that a line is
either whole or absent after a crash.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

LOG_FILE = "atkomstlogg.jsonl"
MAX_TEXT = 300


def log_path(state_dir: Path | str) -> Path:
    return Path(state_dir) / LOG_FILE


def _short(value) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


def append(
    state_dir: Path | str,
    person_id: str,
    sida: str,
    urval: dict,
    nedladdning: str | None = None,
    handelse: str = "sidvisning",
    tid: dt.datetime | None = None,
) -> dict:
    """Append one entry (time UTC, person, page, effective scope, what was downloaded)."""
    entry = {
        "tid": (tid or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="seconds"),
        "person_id": _short(person_id) or "",
        "handelse": handelse,
        "sida": _short(sida) or "",
        "urval": {k: [str(v) for v in vs] for k, vs in urval.items()},
        "nedladdning": _short(nedladdning),
    }
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    path = log_path(state_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)
    return entry


def read(state_dir: Path | str, sedan: dt.date | None = None) -> list[dict]:
    """The entries, oldest first, from the day sedan (UTC) on; a torn last line is skipped."""
    path = log_path(state_dir)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    entries = []
    for line in raw.splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if sedan is not None and entry.get("tid", "")[:10] < sedan.isoformat():
            continue
        entries.append(entry)
    return entries
