"""Moving validated extracts into DIR: every table or none, the old ones kept until the end.

The new tables are built in a work folder beside DIR (same file system, so every move is a
rename). Each table DIR already has in either form (<table>.parquet or <table>/) is first
renamed aside into the work folder, then the new one renamed in; if any rename fails, the moves
are undone in reverse order. Tables the import does not write are left as they are.
"""

from __future__ import annotations

import os
from pathlib import Path


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def entries_of(folder: Path, table: str) -> list[Path]:
    """The entries of a table in an extracts folder: <table>.parquet and/or <table>/."""
    return [p for p in (folder / f"{table}.parquet", folder / table) if p.exists() or p.is_symlink()]


def install(new: Path, dest: Path, aside: Path, tables: list[str]) -> None:
    """Replace the given tables of dest by those in new; on failure dest is as before (OSError raised)."""
    if not dest.exists():
        os.rename(new, dest)
        _fsync_dir(dest.parent)
        return
    aside.mkdir()
    moved_old: list[tuple[Path, Path]] = []
    moved_new: list[tuple[Path, Path]] = []
    try:
        for table in tables:
            for entry in entries_of(dest, table):
                target = aside / entry.name
                os.rename(entry, target)
                moved_old.append((entry, target))
        for table in tables:
            for entry in entries_of(new, table):
                target = dest / entry.name
                os.rename(entry, target)
                moved_new.append((entry, target))
    except BaseException:
        for original, target in reversed(moved_new):
            os.rename(target, original)
        for original, target in reversed(moved_old):
            os.rename(target, original)
        raise
    _fsync_dir(dest)
