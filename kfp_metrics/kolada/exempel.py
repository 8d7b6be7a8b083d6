"""The bundled sample: saved responses with fictional values beside the synthetic extracts.

`python -m kfp_metrics generate` writes them as the jamforelse table, exactly as
`python -m kfp_metrics kolada --in data/kolada-exempel/*.json --out data --hamtad 2026-02-16` does.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa

from kfp_metrics.kolada import tabell, tolka

EXEMPEL_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "kolada-exempel"
HAMTAD = dt.date(2026, 2, 16)


def files() -> list[Path]:
    """The saved sample responses, in page order."""
    return sorted(EXEMPEL_DIR.glob("*.json"))


def table() -> pa.Table:
    """The sample as the jamforelse table."""
    return tabell.build(tabell.rows_of(tolka.read_files(files()), HAMTAD))
