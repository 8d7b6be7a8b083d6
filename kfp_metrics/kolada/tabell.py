"""The jamforelse table (contract section 1): built from parsed rows, written atomically."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from kfp_metrics.kolada.tolka import Innehall, Rad

TABELL = "jamforelse"
SCHEMA = pa.schema(
    [
        pa.field("kpi", pa.string()),
        pa.field("kommun_id", pa.string()),
        pa.field("kommun", pa.string()),
        pa.field("ar", pa.int32()),
        pa.field("kon", pa.string()),
        pa.field("varde", pa.float64()),
        pa.field("hamtad", pa.date32()),
    ]
)


def rows_of(content: Innehall, hamtad: dt.date) -> list[Rad]:
    """One row per (kpi, kommun_id, ar, kon), the later file winning, names filled in, sorted."""
    by_key: dict[tuple, Rad] = {}
    for row in content.rader:
        by_key[row.nyckel] = row
    out = []
    for key in sorted(by_key):
        row = by_key[key]
        name = content.namn.get(row.kommun_id) or row.kommun or row.kommun_id
        out.append(Rad(row.kpi, row.kommun_id, row.ar, row.kon, row.varde, name, row.hamtad or hamtad))
    return out


def build(rows: list[Rad]) -> pa.Table:
    """The rows as an Arrow table with the contract's schema."""
    columns = {
        "kpi": [r.kpi for r in rows],
        "kommun_id": [r.kommun_id for r in rows],
        "kommun": [r.kommun for r in rows],
        "ar": [r.ar for r in rows],
        "kon": [r.kon for r in rows],
        "varde": [r.varde for r in rows],
        "hamtad": [r.hamtad for r in rows],
    }
    return pa.Table.from_pydict(columns, schema=SCHEMA)


def write(table: pa.Table, directory: Path) -> Path:
    """Write <directory>/jamforelse.parquet through a temporary file and a rename: a reader sees
    the old table or the new one, never half of one, and a failure leaves the old table."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{TABELL}.parquet"
    fd, tmp = tempfile.mkstemp(prefix=f".{TABELL}.", suffix=".tmp", dir=directory)
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
