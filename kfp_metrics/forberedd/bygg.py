"""Writing the store's files from the extracts: the summaries file (the smaller tables, the sums and
person rows of the person-month join) and the sorted copy of anstallningar, each with its marker
written last."""

from __future__ import annotations

import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb

from kfp_metrics.extracts import connect as connect_parquet
from kfp_metrics.extracts import locate_tables
from kfp_metrics.format import tal
from kfp_metrics.validation import PERSON_MONTH_TABLES

VERSION = 5
MARKER = "forberedd_klar"

# Rows are stored in this order: a month's rows lie together, and within it an organisation's, so
# the zonemaps of the period columns let every read of some months skip the others (every page
# reads a month or a window of months), and within a month the organisation columns' zonemaps
# narrow a scope further. (Organisation first was measured slower at scale 30: a month's rows
# were then spread over every row group.)
ORDER_COLUMNS = ("period", "ar", "datum", "forvaltning", "avdelning", "enhet")

# The two tables with a row per person and month (PERSON_MONTH_TABLES) are not copied into the
# summaries file: they are what makes a national preparation long (about 100 million rows each).
# franvaro is read through its sums and person rows below (and from its Parquet by the one query
# that wants its rows);
# anstallningar, which many scoped figures read row by row, gets a sorted copy in a file of its
# own (build_copy), made where scoped reads repeat (the app, `forbered`) and used when present.
COPIED_APART = ("anstallningar",)

# The franvaro rows with the attributes of their anstallningar row of the same month: what every
# sick-leave figure joins, done a year at a time ({a_chunk} and {f_chunk}: one year of a.period and
# f.period) into a temp table from which the sums and the person rows are grouped. The inner join
# keeps exactly the rows the queries keep. What the join carries is kept small, since that is
# what it costs: the organisation as the ORG_TYPES enums (a number each, named again when
# written), the person's groups as bits (1 kvinnor, 2 män, 4 another kön; 8, 16, 32 the age
# groups 29, 30_49 and 50).
PERSONMANAD = """
create or replace temp table personmanad as
with a as (
    select
        period,
        person_id,
        forvaltning::forvaltning_t as forvaltning,
        avdelning::avdelning_t as avdelning,
        enhet::enhet_t as enhet,
        (case kon when 'K' then 1 when 'M' then 2 else 4 end
            | case
                when year(period) - fodelsear <= 29 then 8
                when year(period) - fodelsear <= 49 then 16
                else 32
            end)::utinyint as grupper
    from main.anstallningar
    where {a_chunk}
)
select
    a.forvaltning,
    a.avdelning,
    a.enhet,
    a.grupper,
    f.period,
    f.person_id,
    f.ordinarie_timmar,
    f.sjuk_timmar,
    f.sjuk_kort_timmar,
    f.sjuk_lang_timmar
from main.franvaro as f
join a on a.period = f.period and a.person_id = f.person_id
where {f_chunk}
"""

# The organisation columns as enums for the build's joins and groupings: their values are the
# distinct values of anstallningar (the organisation every other table is scoped by).
ORG_TYPES = {"forvaltning": "forvaltning_t", "avdelning": "avdelning_t", "enhet": "enhet_t"}

# Additive aggregates and compact person rows derived from personmanad and anstallningar, for the
# figures every page and the key-figure command start from. Sums of hours per month and enhet are
# sums of the rows' values (a sum of sums is the sum); counts of rows per month and enhet are
# counts of persons, since (period, person_id) is unique in anstallningar. Distinct persons over a
# window of months are never pre-aggregated: sjuk_personar keeps one row per person, year,
# enhet and group with the months of that year in which the person had scheduled hours as bits
# (bit m−1 for month m), so a count of distinct persons over any window is still exact.
# Each has forvaltning, avdelning and enhet, filtered by enhet by the access layer.
# From the year's personmanad: (name, select).
FROM_PERSONMANAD = (
    (
        "sjuk_summor",
        """
with summor as (
    select
        period, forvaltning, avdelning, enhet, grupper,
        sum(ordinarie_timmar) as ordinarie_timmar,
        sum(sjuk_timmar) as sjuk_timmar,
        sum(sjuk_kort_timmar) as sjuk_kort_timmar,
        sum(sjuk_lang_timmar) as sjuk_lang_timmar
    from personmanad
    group by all
)
select
    period, forvaltning::varchar as forvaltning, avdelning::varchar as avdelning, enhet::varchar as enhet,
    case when grupper & 1 <> 0 then 'kvinnor' when grupper & 2 <> 0 then 'man' end as kon_grupp,
    case when grupper & 8 <> 0 then '29' when grupper & 16 <> 0 then '30_49' else '50' end as aldersgrupp,
    ordinarie_timmar, sjuk_timmar, sjuk_kort_timmar, sjuk_lang_timmar
from summor
order by period, forvaltning, avdelning, enhet, kon_grupp, aldersgrupp
""",
    ),
    (
        "sjuk_personar",
        """
select
    year(period)::integer as ar,
    forvaltning::varchar as forvaltning,
    avdelning::varchar as avdelning,
    enhet::varchar as enhet,
    person_id,
    grupper,
    -- Months of the year with scheduled hours (ordinarie_timmar ≥ 0 by validation, so a person's
    -- sum over a window is positive exactly when one of these months lies in it).
    bit_or((1 << (month(period) - 1))::usmallint) as manader
from personmanad
where ordinarie_timmar > 0
group by year(period), personmanad.forvaltning, personmanad.avdelning, personmanad.enhet, person_id, grupper
order by ar, forvaltning, avdelning, enhet, person_id
""",
    ),
)

# From anstallningar: (name, select with {chunk}, date column whose years are the chunks, or None).
FROM_ANSTALLNINGAR = (
    (
        "personal_summor",
        """
with summor as (
    select
        period,
        forvaltning::forvaltning_t as forvaltning,
        avdelning::avdelning_t as avdelning,
        enhet::enhet_t as enhet,
        kon,
        anstallningsform,
        sysselsattningsgrad < 100 as deltid,
        sysselsattningsgrad = 100 as heltid,
        faktisk_sysselsattningsgrad = 100 as heltidsarbetande,
        faktisk_sysselsattningsgrad is not null as med_faktisk,
        count(*) as antal,
        count(year(period) - fodelsear) as med_alder,
        sum(year(period) - fodelsear)::bigint as summa_alder
    from main.anstallningar
    where {chunk}
    group by all
)
select
    period, forvaltning::varchar as forvaltning, avdelning::varchar as avdelning, enhet::varchar as enhet,
    * exclude (period, forvaltning, avdelning, enhet)
from summor
order by period, forvaltning, avdelning, enhet
""",
        "period",
    ),
    (
        # Every (month, enhet) of anstallningar has a personal_summor row: its units are these.
        "org_enheter",
        """
select distinct forvaltning, avdelning, enhet
from ny.personal_summor
where {chunk}
order by forvaltning, avdelning, enhet
""",
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
    with _transaction(con):
        for i, chunk in enumerate(chunks):
            _append(con, target, select.format(chunk=chunk), first=i == 0)


@contextmanager
def _transaction(con):
    """One transaction for a table written in chunks: committed one by one, each chunk was written
    out (and checkpointed) alone."""
    con.execute("begin transaction")
    try:
        yield
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _append(con, target: str, body: str, first: bool) -> None:
    """The rows of select body into target, created by the first chunk."""
    con.execute(f"create table {target} as {body}" if first else f"insert into {target} {body}")


def _say(progress, fraction: float | None, text: str) -> None:
    if progress:
        progress(fraction, text)


def _seconds(t0: float) -> str:
    return f"{time.perf_counter() - t0:.1f}".replace(".", ",")


def _open(data_dir: Path, path: Path, memory_limit: str | None, threads: int | None):
    """A Parquet connection (extracts.connect) with path attached, empty, as `ny`."""
    con = connect_parquet(data_dir, threads=threads, memory_limit=memory_limit)
    # What does not fit in memory spills beside the store, not into the working directory.
    spill = path.parent / f"{path.name}.spill"
    con.execute("set temp_directory = '" + str(spill).replace("'", "''") + "'")
    con.execute("set preserve_insertion_order = true")
    con.execute("set enable_progress_bar = false")
    for stale in (path, Path(str(path) + ".wal")):
        if stale.exists():
            stale.unlink()
    quoted = "'" + str(path).replace("'", "''") + "'"
    con.execute(f"attach {quoted} as ny")
    return con, spill


def _finish(con, spill: Path, path: Path, fp: str, kind: str) -> None:
    """The marker (written last: a file without it was not finished and is never read), then the
    file flushed to disk."""
    con.execute(
        f"create table ny.{MARKER} as select $fp::varchar as fingerprint, $version::integer as version, "
        "$kind::varchar as del, current_timestamp as byggd",
        {"fp": fp, "version": VERSION, "kind": kind},
    )
    con.execute("checkpoint ny")
    con.execute("detach ny")
    con.close()
    shutil.rmtree(spill, ignore_errors=True)
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _copy_table(con, name: str) -> int:
    """ny.<name>: main.<name> in ORDER_COLUMNS order (a year at a time where it has a period), and
    ny.<name>_kalla with the extract's own columns, for has_column (a filled-in optional column is
    not one). Returns the number of rows."""
    columns = [row[0] for row in con.execute(f"describe main.{name}").fetchall()]
    order = [c for c in ORDER_COLUMNS if c in columns]
    if order and order[0] == "period":
        select = f"select * from main.{name} where {{chunk}} order by {', '.join(order)}"
        _write_chunked(con, f"ny.{name}", select, _chunks(con, f"main.{name}", "period"))
    else:
        order_by = f" order by {', '.join(order)}" if order else ""
        con.execute(f"create table ny.{name} as select * from main.{name}{order_by}")
    con.execute(f"create table ny.{name}_kalla as select * from main.{name}_kalla limit 0")
    return con.execute(f"select count(*) from ny.{name}").fetchone()[0]


def build_file(
    data_dir: Path,
    path: Path,
    fp: str,
    progress=None,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> None:
    """Write the summaries file for the extracts in data_dir to path (which must not be in use):
    the smaller tables sorted, and the sums and person rows of the two person-month tables."""
    started = time.perf_counter()
    tables = list(locate_tables(data_dir))
    missing = [t for t in PERSON_MONTH_TABLES if t not in tables]
    if missing:
        raise RuntimeError(f"Tabellen {missing[0]} saknas i {data_dir}; extrakten kan inte förberedas.")
    copied = [t for t in tables if t not in PERSON_MONTH_TABLES]
    steps = len(copied) + 2
    _say(progress, 0.0, f"Förbereder extrakten i {data_dir} ({len(tables)} tabeller) …")
    con, spill = _open(data_dir, path, memory_limit, threads)
    try:
        for i, name in enumerate(copied, start=1):
            t0 = time.perf_counter()
            rows = _copy_table(con, name)
            _say(progress, i / steps, f"Tabell {name}: {tal(rows)} rader ({_seconds(t0)} s)")
        _say(progress, len(copied) / steps, "Kopplar frånvaron till anställningsraderna …")
        t0 = time.perf_counter()
        for column, type_name in ORG_TYPES.items():
            con.execute(
                f"create type {type_name} as enum "
                f"(select distinct {column} from main.anstallningar where {column} is not null order by 1)"
            )
        # A year at a time: the year's join, grouped into each table, then dropped.
        chunks = _chunks(con, "main.franvaro", "period")
        with _transaction(con):
            for i, chunk in enumerate(chunks):
                con.execute(PERSONMANAD.format(a_chunk=chunk, f_chunk=chunk.replace("period", "f.period")))
                for name, select in FROM_PERSONMANAD:
                    _append(con, f"ny.{name}", select, first=i == 0)
                con.execute("drop table personmanad")
                _say(progress, None, f"Frånvaron kopplad för år {i + 1} av {len(chunks)} ({_seconds(t0)} s)")
        counts = [
            con.execute(f"select count(*) from ny.{name}").fetchone()[0] for name, _ in FROM_PERSONMANAD
        ]
        _say(
            progress,
            (steps - 1) / steps,
            "Frånvaro per person och månad med organisation, kön och ålder: "
            f"{tal(counts[0])} summor och {tal(counts[1])} personrader ({_seconds(t0)} s)",
        )
        for name, select, column in FROM_ANSTALLNINGAR:
            t0 = time.perf_counter()
            source = "main.anstallningar" if column else "ny.personal_summor"
            _write_chunked(con, f"ny.{name}", select, _chunks(con, source, column))
            rows = con.execute(f"select count(*) from ny.{name}").fetchone()[0]
            _say(
                progress, (steps - 1) / steps, f"Sammanställning {name}: {tal(rows)} rader ({_seconds(t0)} s)"
            )
        _finish(con, spill, path, fp, "sammanstallning")
    finally:
        _close_quietly(con)
        shutil.rmtree(spill, ignore_errors=True)
    _say(progress, 1.0, f"Klart på {_seconds(started)} s.")


def build_copy(
    data_dir: Path,
    path: Path,
    fp: str,
    progress=None,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> None:
    """Write the file with the sorted copy of anstallningar (COPIED_APART) to path."""
    started = time.perf_counter()
    con, spill = _open(data_dir, path, memory_limit, threads)
    try:
        for name in COPIED_APART:
            _say(progress, 0.0, f"Sorterar {name} efter månad och organisation …")
            rows = _copy_table(con, name)
            _say(progress, 0.95, f"Tabell {name}: {tal(rows)} rader ({_seconds(started)} s)")
        _finish(con, spill, path, fp, "kopia")
    finally:
        _close_quietly(con)
        shutil.rmtree(spill, ignore_errors=True)
    _say(progress, 1.0, f"Klart på {_seconds(started)} s.")


def _close_quietly(con) -> None:
    try:
        con.close()
    except duckdb.Error:
        pass
