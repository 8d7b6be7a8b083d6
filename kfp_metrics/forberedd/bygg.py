"""Writing one store file from the extracts: the tables, the person-month join, the marker last."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from kfp_metrics.extracts import connect as connect_parquet
from kfp_metrics.extracts import locate_tables
from kfp_metrics.format import tal

VERSION = 4
MARKER = "forberedd_klar"

# Rows are stored in this order: a month's rows lie together, and within it an organisation's, so
# the zonemaps of the period columns let every read of some months skip the others (every page
# reads a month or a window of months), and within a month the organisation columns' zonemaps
# narrow a scope further. (Organisation first was measured slower at scale 30: a month's rows
# were then spread over every row group.)
ORDER_COLUMNS = ("period", "ar", "datum", "forvaltning", "avdelning", "enhet")

# The franvaro rows with the attributes of their anstallningar row of the same month: what every
# sick-leave figure joins, done once. The inner join keeps exactly the rows the queries keep.
# Written a year at a time ({chunk}: one year of f.period), in the tables' order.
PERSONMANAD = """
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
where {chunk}
order by f.period, a.forvaltning, a.avdelning, a.enhet, n.person_nr
"""

# A whole number per person, one-to-one with person_id: distinct counts and per-person windows
# hash and sort it much faster than the text id.
PERSONER = """
create temp table personer as
select person_id, (row_number() over ())::integer as person_nr
from (select distinct person_id from ny.franvaro)
"""

# Additive aggregates and compact person rows derived from personmanad and anstallningar, for the
# figures every page and the key-figure command start from. Sums of hours per month and enhet are
# sums of the rows' values (a sum of sums is the sum); counts of rows per month and enhet are
# counts of persons, since (period, person_id) is unique in anstallningar. Distinct persons over a
# window of months are never pre-aggregated: sjuk_personar keeps one row per person, year,
# enhet and group with the months of that year in which the person had scheduled hours as bits
# (bit m−1 for month m), so a count of distinct persons over any window is still exact.
# Each has forvaltning, avdelning and enhet, filtered like personmanad by the access layer.
# (name, select with {chunk}, source table, date column whose years are the chunks, or None)
DERIVED = (
    (
        "sjuk_summor",
        """
select
    period, forvaltning, avdelning, enhet, kon_grupp, aldersgrupp,
    sum(ordinarie_timmar) as ordinarie_timmar,
    sum(sjuk_timmar) as sjuk_timmar,
    sum(sjuk_kort_timmar) as sjuk_kort_timmar,
    sum(sjuk_lang_timmar) as sjuk_lang_timmar
from ny.personmanad
where {chunk}
group by all
order by period, forvaltning, avdelning, enhet, kon_grupp, aldersgrupp
""",
        "personmanad",
        "period",
    ),
    (
        "sjuk_personar",
        """
select
    year(period)::integer as ar, forvaltning, avdelning, enhet, person_nr,
    -- The person's groups as bits: 1 kvinnor, 2 män, 4 another kön; 8, 16, 32 the age groups
    -- 29, 30_49 and 50 (sjukfranvaro_per_grupp).
    (case kon_grupp when 'kvinnor' then 1 when 'man' then 2 else 4 end
        | case aldersgrupp when '29' then 8 when '30_49' then 16 else 32 end)::utinyint as grupper,
    -- Months of the year with scheduled hours (ordinarie_timmar ≥ 0 by validation, so a person's
    -- sum over a window is positive exactly when one of these months lies in it).
    bit_or((1 << (month(period) - 1))::usmallint) as manader
from ny.personmanad
where {chunk} and ordinarie_timmar > 0
group by all
order by ar, forvaltning, avdelning, enhet, person_nr
""",
        "personmanad",
        "period",
    ),
    (
        "personal_summor",
        """
select
    period, forvaltning, avdelning, enhet, kon, anstallningsform,
    sysselsattningsgrad < 100 as deltid,
    sysselsattningsgrad = 100 as heltid,
    faktisk_sysselsattningsgrad = 100 as heltidsarbetande,
    faktisk_sysselsattningsgrad is not null as med_faktisk,
    count(*) as antal,
    count(year(period) - fodelsear) as med_alder,
    sum(year(period) - fodelsear)::bigint as summa_alder
from ny.anstallningar
where {chunk}
group by all
order by period, forvaltning, avdelning, enhet
""",
        "anstallningar",
        "period",
    ),
    (
        "org_enheter",
        """
select distinct forvaltning, avdelning, enhet
from ny.anstallningar
where {chunk}
order by forvaltning, avdelning, enhet
""",
        "anstallningar",
        None,
    ),
)


def _chunks(con, table: str, column: str | None) -> list[str]:
    """WHERE conditions that split table into its years of `column` (a date), in order; ["true"]
    for the whole table. A year's rows sort and group within a bounded memory even at national
    scale, where one sort of all of them spilled many gigabytes; a year, not a month, so that the
    joins and groupings pay their fixed costs a few times only."""
    if column is None:
        return ["true"]
    years = [r[0] for r in con.execute(f"select distinct year({column}) from {table} order by 1").fetchall()]
    # Literal bounds, not parameters: the scans then skip other years' row groups by their zonemaps.
    conditions = [
        f"{column} is null"
        if y is None
        else f"{column} >= '{y}-01-01'::date and {column} < '{y + 1}-01-01'::date"
        for y in years
    ]
    return conditions or ["false"]  # an empty table still gets its columns


def _write_chunked(con, target: str, select: str, chunks: list[str]) -> None:
    """Create target from select, one chunk at a time ({chunk} replaced by each condition), so a
    sort or grouping never holds more than a month or a year of rows."""
    # One transaction: committed one by one, each chunk was written out (and checkpointed) alone.
    con.execute("begin transaction")
    try:
        for i, chunk in enumerate(chunks):
            body = select.format(chunk=chunk)
            if i == 0:
                con.execute(f"create table {target} as {body}")
            else:
                con.execute(f"insert into {target} {body}")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


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
    # What does not fit in memory spills beside the store, not into the working directory.
    spill = path.parent / f"{path.name}.spill"
    try:
        con.execute("set temp_directory = '" + str(spill).replace("'", "''") + "'")
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
            if order and order[0] == "period":
                # A year at a time (see _chunks).
                select = f"select * from main.{name} where {{chunk}} order by {', '.join(order)}"
                _write_chunked(con, f"ny.{name}", select, _chunks(con, f"main.{name}", "period"))
            else:
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
        con.execute(PERSONER)
        _write_chunked(con, "ny.personmanad", PERSONMANAD, _chunks(con, "ny.franvaro as f", "f.period"))
        con.execute("drop table personer")
        rows = con.execute("select count(*) from ny.personmanad").fetchone()[0]
        _say(
            progress,
            (steps - 1) / steps,
            f"Frånvaro per person och månad med organisation, kön och ålder: {tal(rows)} rader "
            f"({time.perf_counter() - t0:.1f} s)".replace(".", ","),
        )
        for name, select, source, column in DERIVED:
            t0 = time.perf_counter()
            _write_chunked(con, f"ny.{name}", select, _chunks(con, f"ny.{source}", column))
            rows = con.execute(f"select count(*) from ny.{name}").fetchone()[0]
            _say(
                progress,
                (steps - 1) / steps,
                f"Sammanställning {name}: {tal(rows)} rader ({time.perf_counter() - t0:.1f} s)".replace(
                    ".", ","
                ),
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
        shutil.rmtree(spill, ignore_errors=True)
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())
    seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
    _say(progress, 1.0, f"Klart på {seconds} s.")
