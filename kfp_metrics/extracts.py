"""Locating the Parquet extracts and exposing them as DuckDB views."""

from __future__ import annotations

import hashlib
import os
import weakref
from dataclasses import dataclass
from pathlib import Path

import duckdb

REQUIRED_TABLES = ("anstallningar", "franvaro", "handelser")
OPTIONAL_TABLES = (
    "medarbetarenkat",
    "incidenter",
    "kompetensgap",
    "aktiviteter",
    "mal",
    "personalprognos",
    "jamforelse",
    "yrkeskategorier",
)
ALL_TABLES = REQUIRED_TABLES + OPTIONAL_TABLES

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def data_dir_from_env() -> Path:
    """The extracts directory: KFP_DATA_DIR, else the bundled data/."""
    value = os.environ.get("KFP_DATA_DIR")
    return Path(value) if value else DEFAULT_DATA_DIR


@dataclass(frozen=True)
class TableSource:
    """Where one table's Parquet lives: a single file or a folder (hive partitions allowed)."""

    name: str
    path: Path

    @property
    def is_folder(self) -> bool:
        return self.path.is_dir()

    def files(self) -> list[Path]:
        if self.is_folder:
            return sorted(p for p in self.path.rglob("*.parquet") if p.is_file())
        return [self.path]

    def read_sql(self) -> str:
        """A DuckDB table expression reading this source (paths quoted, never user input)."""
        if self.is_folder:
            pattern = _quote(str(self.path / "**" / "*.parquet"))
            return f"read_parquet({pattern}, hive_partitioning = true, union_by_name = true)"
        return f"read_parquet({_quote(str(self.path))})"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def locate_tables(data_dir: Path | str) -> dict[str, TableSource]:
    """The contract's tables present in data_dir, by name."""
    root = Path(data_dir)
    found: dict[str, TableSource] = {}
    for name in ALL_TABLES:
        single = root / f"{name}.parquet"
        folder = root / name
        if single.is_file():
            found[name] = TableSource(name, single)
        elif folder.is_dir() and any(folder.rglob("*.parquet")):
            found[name] = TableSource(name, folder)
    return found


def fingerprint(data_dir: Path | str) -> str:
    """A short hash of every extract file's name, size and modification time."""
    digest = hashlib.sha256()
    for name, source in sorted(locate_tables(data_dir).items()):
        for f in source.files():
            st = f.stat()
            digest.update(
                f"{name}|{f.relative_to(source.path.parent)}|{st.st_size}|{st.st_mtime_ns}\n".encode()
            )
    return digest.hexdigest()[:16]


def content_fingerprint(data_dir: Path | str) -> str:
    """A short hash of every extract file's bytes: stable across copies and checkouts."""
    digest = hashlib.sha256()
    for name, source in sorted(locate_tables(data_dir).items()):
        for f in source.files():
            digest.update(f"{name}|{f.relative_to(source.path.parent).as_posix()}\n".encode())
            with f.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()[:16]


SCOPE_MACROS = (
    "create or replace macro i_lista(v, lista) as "
    "(len(lista::varchar[]) = 0 or list_contains(lista::varchar[], v))",
    "create or replace macro i_scope(f, a, e, fs, avds, es) as "
    "(i_lista(f, fs) and i_lista(a, avds) and i_lista(e, es))",
)


# Optional columns of the contract; a view fills an absent one with typed nulls so every
# query can name it, and has_column() tells whether the extract really had it.
OPTIONAL_COLUMNS: dict[str, dict[str, str]] = {
    "anstallningar": {"faktisk_sysselsattningsgrad": "double", "chef": "boolean"},
    "medarbetarenkat": {"antal_inbjudna": "integer"},
    "incidenter": {"orsak": "varchar", "befattning": "varchar"},
    "kompetensgap": {"enhet": "varchar", "kategori": "varchar"},
    "aktiviteter": {"uppfoljning": "varchar", "nyckeltal": "varchar", "kompetensomrade": "varchar"},
}
OPTIONAL_DEFAULTS = {"chef": "false"}


def contract_types(table: str) -> dict[str, str]:
    """The contract's DuckDB type of each column of a table (from the validation schema)."""
    from kfp_metrics.validation import SCHEMA

    return {col.name: col.type for col in SCHEMA.get(table, ())}


def connect(
    data_dir: Path | str, threads: int | None = None, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one view per present table.

    memory_limit (e.g. "1500MB") bounds DuckDB's own memory; larger joins spill to a temp folder.
    """
    con = empty_connection(threads, memory_limit)
    for name, source in locate_tables(data_dir).items():
        add_views(con, name, source)
    return con


def empty_connection(
    threads: int | None = None, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the scope macros and no tables yet (connect,
    forberedd.connect_store)."""
    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"set threads = {int(threads)}")
    if memory_limit:
        con.execute("set memory_limit = $limit", {"limit": memory_limit})
    for macro in SCOPE_MACROS:
        con.execute(macro)
    return con


def add_views(con: duckdb.DuckDBPyConnection, name: str, source: TableSource) -> None:
    """The views of one table: `<name>_kalla` over its Parquet as it is, and `<name>` with the
    contract's types and the absent optional columns filled in."""
    con.execute(f"create or replace view {name}_kalla as select * from {source.read_sql()}")
    types = {row[0]: row[1] for row in con.execute(f"describe {name}_kalla").fetchall()}
    present = set(types)
    # Validation accepts e.g. a year stored as text when every value converts; cast it here
    # so every query sees the contract's types.
    casts = [
        f"cast({col} as {typ}) as {col}"
        for col, typ in contract_types(name).items()
        if col in types and types[col] != typ
    ]
    extra = [
        f"{OPTIONAL_DEFAULTS.get(col, 'null')}::{typ} as {col}"
        for col, typ in OPTIONAL_COLUMNS.get(name, {}).items()
        if col not in present
    ]
    star = f"* replace ({', '.join(casts)})" if casts else "*"
    select = ", ".join([star, *extra])
    con.execute(f"create or replace view {name} as select {select} from {name}_kalla")


# Connections whose views are all made (the app's shared ones): what has_table, has_column and
# forberedd.is_prepared find is kept per connection, not asked of the catalog on every chart.
_FROZEN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def freeze_catalog(con):
    """Mark con as complete: its tables and columns no longer change, so answers about them are
    remembered for as long as it lives (and results that are the same for every scope: a
    connection is made per fingerprint of the extracts). Returns con."""
    _FROZEN[con] = {}
    return con


def frozen_cursor(con):
    """con.cursor(), remembering what con remembers: a cursor sees the same catalog, and a report
    that gives each thread a cursor of its own would otherwise ask the catalog again in each."""
    cur = con.cursor()
    memo = _memo(con)
    if memo is not None:
        _FROZEN[cur] = memo
    return cur


def _memo(con) -> dict | None:
    """What a frozen connection (or a frozen_cursor of one) remembers; None for any other."""
    try:
        return _FROZEN.get(con)
    except TypeError:  # not weak-referenceable: nothing kept
        return None


def same_data(con):
    """An object that stands for what con reads: shared by a frozen connection and its
    frozen_cursor()s (the same extracts and permission), con itself for any other connection."""
    memo = _memo(con)
    return con if memo is None else memo


def remembered(con, key: tuple, compute):
    """compute(), kept for a frozen connection under key; computed every time for any other."""
    memo = _memo(con)
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether the extracts had this table."""
    return remembered(con, ("table", table), lambda: _has_table(con, table))


def _has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    # A cursor of its own: the shared connection refuses a second session's call at once.
    cur = con.cursor()
    try:
        rows = cur.execute(
            "select 1 from duckdb_views() where view_name = $name", {"name": f"{table}_kalla"}
        ).fetchall()
    finally:
        cur.close()
    return bool(rows)


def has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    """Whether the extracts' table really had this column (not a filled-in optional one)."""
    return remembered(con, ("column", table, column), lambda: _has_column(con, table, column))


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    if table not in ALL_TABLES or not has_table(con, table):
        return False
    cur = con.cursor()
    try:
        names = {row[0] for row in cur.execute(f"describe {table}_kalla").fetchall()}
    finally:
        cur.close()
    return column in names
