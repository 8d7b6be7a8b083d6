"""The prepared store: DuckDB files per extracts fingerprint, read instead of the Parquet.

Built from the same views as extracts.connect (typed, optional columns filled in). The summaries
file `<fp>.duckdb` holds the smaller tables sorted by period and organisation, so that a scoped
read skips whole row groups, and what the join every sick-leave figure repeats (a franvaro row
with the organisation, kön and age of its anstallningar row) comes to, done once: exact sums per
month and enhet, and one row per person, year and enhet with the months as bits, so that
distinct-person counts and suppression are computed exactly as from Parquet. The copy file
`<fp>.kopia.duckdb` holds anstallningar sorted the same way; it is built where scoped reads repeat
(the app, the server, `forbered`) and read whenever it is complete. What neither file holds is
read from the extracts' Parquet.

Each file is written under a temporary name and renamed into place only when complete, with a
marker table holding the fingerprint written last; a file whose marker is missing or names other
extracts is never opened. `connect` gives one DuckDB connection in which the contract's table
names resolve (views in `main` over the attached, read-only files and the Parquet) or, without a
store, the Parquet views of extracts.connect.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path

import duckdb

from kfp_metrics.extracts import add_views, content_fingerprint, empty_connection, fingerprint, locate_tables
from kfp_metrics.extracts import connect as connect_parquet

from .bygg import MARKER, VERSION, build_copy, build_file

__all__ = [
    "MARKER",
    "VERSION",
    "build",
    "connect",
    "copy_path",
    "enabled",
    "build_missing_copy",
    "ensure",
    "find",
    "find_copy",
    "find_whole",
    "is_prepared",
    "store_dir",
    "store_path",
]

CATALOG = "forberedd"
COPY_CATALOG = "forberedd_kopia"
# DuckDB's budget while building when the caller sets none (the app, the server, `forbered`). The
# build sorts a year of rows at a time; unbounded, the copy of anstallningar took 4,9 GiB at scale
# 800. Under the limit DuckDB spills to the build's temp directory. The CLI's first run uses the same.
BUILD_MEMORY_LIMIT = "3000MB"


def enabled() -> bool:
    """Whether the prepared store is used at all (KFP_FORBEREDD=av reads the Parquet directly)."""
    return os.environ.get("KFP_FORBEREDD", "").strip().lower() not in ("av", "0", "nej", "false")


def store_dir(state: Path | str | None = None) -> Path:
    """Where the stores live: $KFP_STATE_DIR/forberedd, else state/forberedd in the project."""
    if state is not None:
        return Path(state) / "forberedd"
    value = os.environ.get("KFP_STATE_DIR")
    root = Path(value) if value else Path(__file__).resolve().parent.parent.parent / "state"
    return root / "forberedd"


def _index_path(directory: Path) -> Path:
    return directory / "fingeravtryck.json"


def extracts_fingerprint(data_dir: Path | str, state: Path | str | None = None) -> str:
    """The content fingerprint of the extracts (their bytes), remembered per file names, sizes and
    modification times so that an unchanged folder is not read through again."""
    root = Path(data_dir)
    directory = store_dir(state)
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    quick = fingerprint(root)
    index_file = _index_path(directory)
    try:
        index = json.loads(index_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        index = {}
    entry = index.get(key) if isinstance(index, dict) else None
    if isinstance(entry, dict) and entry.get("snabb") == quick and isinstance(entry.get("innehall"), str):
        return entry["innehall"]
    full = content_fingerprint(root)
    if fingerprint(root) == quick:  # the files did not change while being read
        if not isinstance(index, dict):
            index = {}
        index[key] = {"snabb": quick, "innehall": full, "katalog": str(root.resolve())}
        _write_json(index_file, index)
    return full


def _write_json(path: Path, value) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(value, fh, ensure_ascii=False, indent=1)
        os.replace(tmp, path)
    except OSError:
        pass


def store_path(fp: str, state: Path | str | None = None) -> Path:
    """The summaries file of the extracts with content fingerprint fp."""
    return store_dir(state) / f"{fp}.duckdb"


def copy_path(store: Path) -> Path:
    """The copy file beside a summaries file."""
    return store.with_name(store.name.removesuffix(".duckdb") + ".kopia.duckdb")


def read_marker(path: Path) -> dict | None:
    """The marker of a store file ({fingerprint, version, ...}), None when absent or unreadable.

    Remembered for the file as it is (inode, size and modification time): opening a store to read
    it took 20 ms, and connecting asked three times (the store, again for its copy, the copy)."""
    try:
        st = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    key = (str(path), st.st_ino, st.st_size, st.st_mtime_ns)
    if key in _MARKERS:
        return _MARKERS[key]
    marker = _read_marker(path)
    if len(_MARKERS) > 64:
        _MARKERS.clear()
    _MARKERS[key] = marker
    return marker


_MARKERS: dict[tuple, dict | None] = {}


def _read_marker(path: Path) -> dict | None:
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None
    try:
        rows = con.execute(f"select fingerprint, version, del from {MARKER}").fetchall()
    except duckdb.Error:
        return None
    finally:
        con.close()
    if len(rows) != 1:
        return None
    return {"fingerprint": rows[0][0], "version": rows[0][1], "del": rows[0][2]}


def _valid(path: Path, fp: str, kind: str = "sammanstallning") -> bool:
    marker = read_marker(path)
    return (
        marker is not None
        and marker["fingerprint"] == fp
        and marker["version"] == VERSION
        and marker["del"] == kind
    )


def find_copy(store: Path) -> Path | None:
    """The complete copy file for the summaries file store, or None."""
    marker = read_marker(store)
    path = copy_path(store)
    return path if marker is not None and _valid(path, marker["fingerprint"], "kopia") else None


def find(data_dir: Path | str, state: Path | str | None = None) -> Path | None:
    """The complete store of the extracts as they are now, or None."""
    if not Path(data_dir).is_dir():
        return None
    fp = extracts_fingerprint(data_dir, state)
    path = store_path(fp, state)
    return path if _valid(path, fp) else None


def find_whole(data_dir: Path | str, state: Path | str | None = None) -> Path | None:
    """The store of the extracts as they are now with its copy of anstallningar complete, or None."""
    store = find(data_dir, state)
    return store if store is not None and find_copy(store) is not None else None


def build(
    data_dir: Path | str, state: Path | str | None = None, progress=None, copy: bool = True, **options
) -> Path:
    """Build the store of the extracts as they are now (even if one exists) and return the path of
    its summaries file; with copy, also its copy of anstallningar.

    progress(fraction, text) is called with Swedish progress lines. A file appears under its
    final name only when complete; an earlier store of the same folder is removed afterwards.
    """
    root = Path(data_dir)
    fp = extracts_fingerprint(root, state)
    target = store_path(fp, state)
    target.parent.mkdir(parents=True, exist_ok=True)
    _write(root, state, fp, target, build_file, progress, options)
    _forget_older(root, target, state)
    if copy:
        build_missing_copy(root, target, state, progress=progress, **options)
    return target


def build_missing_copy(data_dir: Path | str, store: Path, state=None, progress=None, **options) -> Path:
    """The copy file for store, built when there is no complete one."""
    found = find_copy(store)
    if found is not None:
        return found
    fp = read_marker(store)["fingerprint"]
    target = copy_path(store)
    _write(Path(data_dir), state, fp, target, build_copy, progress, options)
    return target


def _write(root: Path, state, fp: str, target: Path, builder, progress, options) -> None:
    """builder's file for fp written under a temporary name, renamed to target when complete."""
    _remove_orphans(target.parent)
    tmp = target.parent / f".{target.name}.{os.getpid()}.bygger"
    options = {**options, "memory_limit": options.get("memory_limit") or BUILD_MEMORY_LIMIT}
    try:
        builder(root, tmp, fp, progress=progress, **options)
        if extracts_fingerprint(root, state) != fp:
            raise RuntimeError(f"Extrakten i {root} ändrades medan de förbereddes; försök igen.")
        os.replace(tmp, target)
    finally:
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            try:
                leftover.unlink()
            except FileNotFoundError:
                pass


def ensure(
    data_dir: Path | str, state: Path | str | None = None, progress=None, copy: bool = True, **options
) -> Path:
    """The store of the extracts as they are now, built first if missing or stale (with copy, its
    copy of anstallningar too). Returns the summaries file's path."""
    found = find(data_dir, state)
    if found is None:
        return build(data_dir, state, progress=progress, copy=copy, **options)
    if copy:
        build_missing_copy(data_dir, found, state, progress=progress, **options)
    return found


def _remove_orphans(directory: Path) -> None:
    """Remove half-built files whose building process no longer runs."""
    for path in directory.glob(".*.bygger*"):
        # .<final name>.<pid>.bygger[.wal]
        parts = path.name.removesuffix(".wal").removesuffix(".bygger").split(".")
        try:
            pid = int(parts[-1])
            os.kill(pid, 0)
            continue  # still building
        except (IndexError, ValueError, ProcessLookupError):
            pass
        except PermissionError:
            continue
        try:
            path.unlink()
        except OSError:
            pass


def _forget_older(root: Path, keep: Path, state) -> None:
    """Delete this folder's earlier stores (their extracts no longer exist as they were)."""
    directory = keep.parent
    index_file = directory / "byggda.json"
    try:
        built = json.loads(index_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        built = {}
    if not isinstance(built, dict):
        built = {}
    key = str(root.resolve())
    previous = built.get(key)
    built[key] = keep.name
    _write_json(index_file, built)
    if isinstance(previous, str) and previous != keep.name and previous not in built.values():
        for old in (directory / previous, copy_path(directory / previous)):
            try:
                old.unlink()
            except OSError:
                pass


def is_prepared(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the connection reads a prepared store (its extra tables can be queried)."""
    rows = con.execute(
        "select 1 from duckdb_views() where view_name = 'sjuk_summor' and schema_name = 'main' "
        "and database_name = current_database()"
    ).fetchall()
    return bool(rows)


def connect_store(
    path: Path | str, data_dir: Path | str, threads: int | None = None, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the summaries file (and its copy file, when complete) attached
    read-only and one `main` view per table; the extracts' tables that neither holds are read from
    their Parquet in data_dir."""
    con = empty_connection(threads, memory_limit)
    path = Path(path)
    files = [(CATALOG, path)]
    found = find_copy(path)
    if found is not None:
        files.append((COPY_CATALOG, found))
    held: set[str] = set()
    for catalog, file in files:
        quoted = "'" + str(file).replace("'", "''") + "'"
        con.execute(f"attach {quoted} as {catalog} (read_only)")
        names = [
            row[0]
            for row in con.execute(
                "select table_name from duckdb_tables() where database_name = $db and schema_name = 'main' "
                "order by table_name",
                {"db": catalog},
            ).fetchall()
        ]
        for name in names:
            if name == MARKER:
                continue
            con.execute(f"create or replace view main.{name} as select * from {catalog}.main.{name}")
            held.add(name)
    for name, source in locate_tables(data_dir).items():
        if name not in held:
            add_views(con, name, source)
    return con


def connect(
    data_dir: Path | str,
    threads: int | None = None,
    memory_limit: str | None = None,
    prepare: bool = False,
    progress=None,
    state: Path | str | None = None,
    build_memory_limit: str | None = None,
    copy: bool = True,
) -> duckdb.DuckDBPyConnection:
    """One DuckDB connection over the extracts: the prepared store when there is a complete one for
    the extracts as they are now (built first when prepare is true; its copy of anstallningar too
    when copy is true), else the Parquet views.
    build_memory_limit bounds DuckDB while building (default memory_limit): the build sorts a
    year of rows at a time, which spills heavily under a limit meant for the queries."""
    path = None
    if enabled() and Path(data_dir).is_dir():
        try:
            if prepare:
                path = ensure(
                    data_dir,
                    state,
                    progress=progress,
                    memory_limit=build_memory_limit or memory_limit,
                    threads=threads,
                    copy=copy,
                )
            else:
                path = find(data_dir, state)
        except (duckdb.Error, OSError, RuntimeError) as exc:
            if progress:
                progress(None, f"Förberedelsen misslyckades ({exc}); extrakten läses direkt.")
            path = None
    from kfp_metrics.extracts import freeze_catalog

    # Complete when made: what it holds is asked of the catalog once (extracts.remembered).
    if path is None:
        return freeze_catalog(connect_parquet(data_dir, threads=threads, memory_limit=memory_limit))
    return freeze_catalog(connect_store(path, data_dir, threads=threads, memory_limit=memory_limit))
