"""Writing one store file from the extracts: the tables, the person-month join, the marker last."""

from __future__ import annotations

import os
import time
from pathlib import Path

from kfp_metrics.extracts import connect as connect_parquet
from kfp_metrics.extracts import locate_tables
from kfp_metrics.format import tal

VERSION = 3
MARKER = "forberedd_klar"

# Rows are stored in this order: a month's rows lie together, and within it an organisation's, so
# the zonemaps of the period columns let every read of some months skip the others (every page
# reads a month or a window of months), and within a month the organisation columns' zonemaps
# narrow a scope further. (Organisation first was measured slower at scale 30: a month's rows
# were then spread over every row group.)
ORDER_COLUMNS = ("period", "ar", "datum", "forvaltning", "avdelning", "enhet")

# The franvaro rows with the attributes of their anstallningar row of the same month: what every
# sick-leave figure joins, done once. The inner join keeps exactly the rows the queries keep.
PERSONMANAD = """
create table ny.personmanad as
with personer as (
    -- A whole number per person, one-to-one with person_id: distinct counts and per-person
    -- windows hash and sort it much faster than the text id.
    select person_id, (row_number() over ())::integer as person_nr
    from (select distinct person_id from ny.franvaro)
)
select
    a.forvaltning,
    a.avdelning,
    a.enhet,
    f.period,
    f.person_id,
    n.person_nr,
    a.kon,
    a.fodelsear,
    f.ordinarie_timmar,
    f.sjuk_timmar,
    f.sjuk_kort_timmar,
    f.sjuk_lang_timmar,
    case a.kon when 'K' then 'kvinnor' when 'M' then 'man' end as kon_grupp,
    case
        when year(f.period) - a.fodelsear <= 29 then '29'
        when year(f.period) - a.fodelsear <= 49 then '30_49'
        else '50'
    end as aldersgrupp
from ny.franvaro as f
join ny.anstallningar as a on a.period = f.period and a.person_id = f.person_id
join personer as n on n.person_id = f.person_id
order by f.period, a.forvaltning, a.avdelning, a.enhet, n.person_nr
"""


def _say(progress, fraction: float | None, text: str) -> None:
    if progress:
        progress(fraction, text)


def build_file(
    data_dir: Path,
    path: Path,
    fp: str,
    progress=None,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> None:
    """Write the store for the extracts in data_dir to path (which must not be in use)."""
    started = time.perf_counter()
    tables = list(locate_tables(data_dir))
    steps = len(tables) + 2
    _say(progress, 0.0, f"Förbereder extrakten i {data_dir} ({len(tables)} tabeller) …")
    con = connect_parquet(data_dir, threads=threads, memory_limit=memory_limit)
    try:
        con.execute("set preserve_insertion_order = true")
        con.execute("set enable_progress_bar = false")
        for stale in (path, Path(str(path) + ".wal")):
            if stale.exists():
                stale.unlink()
        quoted = "'" + str(path).replace("'", "''") + "'"
        con.execute(f"attach {quoted} as ny")
        for i, name in enumerate(tables, start=1):
            t0 = time.perf_counter()
            columns = [row[0] for row in con.execute(f"describe main.{name}").fetchall()]
            order = [c for c in ORDER_COLUMNS if c in columns]
            order_by = f" order by {', '.join(order)}" if order else ""
            con.execute(f"create table ny.{name} as select * from main.{name}{order_by}")
            # The extract's own columns, for has_column (a filled-in optional column is not one).
            con.execute(f"create table ny.{name}_kalla as select * from main.{name}_kalla limit 0")
            rows = con.execute(f"select count(*) from ny.{name}").fetchone()[0]
            _say(
                progress,
                i / steps,
                f"Tabell {name}: {tal(rows)} rader ({time.perf_counter() - t0:.1f} s)".replace(".", ","),
            )
        missing = [t for t in ("anstallningar", "franvaro") if t not in tables]
        if missing:
            raise RuntimeError(f"Tabellen {missing[0]} saknas i {data_dir}; extrakten kan inte förberedas.")
        _say(progress, len(tables) / steps, "Kopplar frånvaron till anställningsraderna …")
        t0 = time.perf_counter()
        con.execute(PERSONMANAD)
        rows = con.execute("select count(*) from ny.personmanad").fetchone()[0]
        _say(
            progress,
            (steps - 1) / steps,
            f"Frånvaro per person och månad med organisation, kön och ålder: {tal(rows)} rader "
            f"({time.perf_counter() - t0:.1f} s)".replace(".", ","),
        )
        # Written last: a file without it was not finished and is never read.
        con.execute(
            f"create table ny.{MARKER} as select $fp::varchar as fingerprint, $version::integer as version, "
            "current_timestamp as byggd",
            {"fp": fp, "version": VERSION},
        )
        con.execute("checkpoint ny")
        con.execute("detach ny")
    finally:
        con.close()
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())
    seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
    _say(progress, 1.0, f"Klart på {seconds} s.")
