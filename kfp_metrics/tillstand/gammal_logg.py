"""Reading the activity log's old format, a folder of one JSON file per change, for the import.

The folder is only read, never changed: the import leaves it as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

MAPPNAMN = "aktivitetslogg"
_FINAL_RE = re.compile(r"^(\d{12})\.json$")
_FIELDS = ("aktivitet_id", "status", "kommentar", "av", "tid", "seq")
_STATUSES = ("ej_paborjad", "pagar", "klar", "installd")


def _parse(path: Path, seq: int) -> dict:
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
    if raw["status"] not in _STATUSES:
        raise ValueError(f"okänd status {raw['status']!r}")
    moment = dt.datetime.fromisoformat(raw["tid"])
    if moment.tzinfo is None:
        raise ValueError("tiden saknar tidszon")
    return {**{k: raw[k] for k in _FIELDS}, "tid": moment}


def las(mapp: Path) -> tuple[list[dict], list[str]]:
    """Every whole change in the old folder, ordered by seq, and a Swedish line per damaged file."""
    with os.scandir(mapp) as entries:
        names = sorted(entry.name for entry in entries)
    changes, warnings = [], []
    for name in names:
        match = _FINAL_RE.match(name)
        if not match:
            continue
        try:
            changes.append(_parse(mapp / name, int(match.group(1))))
        except (OSError, ValueError, TypeError) as exc:
            warnings.append(f"filen {name} är skadad och importerades inte ({exc})")
    changes.sort(key=lambda c: c["seq"])
    return changes, warnings
