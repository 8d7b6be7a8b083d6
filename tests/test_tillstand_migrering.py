"""Importing the old JSON-folder activity log into the state store, on both backends: exact (seq,
time, author, text byte for byte, checked against the files themselves), once, the folder left as
it was, reported in Swedish; a half-done or killed import completed on the next start without
duplicates."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import gammal_aktivitetslogg as gammal
import pytest

from kfp_metrics import tillstand

ROOT = Path(__file__).resolve().parent.parent

TEXTS = [
    "Startat",
    "Hon sa \"klart\" och 'nästan'",
    "rad ett\nrad två\r\nrad tre\n",
    "Klart 🎉👍🏽 – bra jobbat",
    '<script>alert("x")</script> & <b>fet</b>',
    "=SUMMA(A1:A3)",
    "C:\\mapp\\fil.txt \\n inte radbrytning",
    "  inledande och avslutande blanksteg  ",
    "\t\x01\x1f kontrolltecken",
    "",
    None,
    "å" * 5000,
]


def build_old_folder(state: Path) -> Path:
    """An old-format log written by the old writer itself, plus a file from a Swedish summer-time
    server written by hand (+02:00), a stray temp file and the lock file the old writer leaves."""
    for i, text in enumerate(TEXTS):
        gammal.append_change(f"A-{i % 3}", gammal.STATUSES[i % 4], text, f"Åsa Öberg {i} 😀", state_dir=state)
    folder = state / "aktivitetslogg"
    summer = {"aktivitet_id": "A-0", "status": "klar", "kommentar": "Sommartid", "av": "Bo",
              "tid": "2024-07-01T10:15:30.123456+02:00", "seq": len(TEXTS) + 1}  # fmt: skip
    (folder / f"{len(TEXTS) + 1:012d}.json").write_text(
        json.dumps(summer, ensure_ascii=False) + "\n", "utf-8"
    )
    (folder / ".tmp-000000000099-4242-abcd1234.json").write_bytes(b'{"aktivitet_id": "A-0')
    return folder


def old_entries(folder: Path) -> list[dict]:
    """The changes as the files hold them, read here independently of the importer."""
    entries = []
    for path in sorted(folder.glob("[0-9]*.json")):
        try:
            entries.append(json.loads(path.read_bytes().decode("utf-8")))
        except ValueError:
            continue
    return entries


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def assert_imported_exactly(store, entries: list[dict]) -> None:
    changes = store.andringar()
    assert [c.seq for c in changes] == [e["seq"] for e in entries]
    for c, e in zip(changes, entries, strict=True):
        assert (c.aktivitet_id, c.status, c.av, c.kalla, c.av_id) == (
            e["aktivitet_id"],
            e["status"],
            e["av"],
            "import",
            None,
        )
        if e["kommentar"] is None:
            assert c.kommentar is None
        else:
            assert c.kommentar.encode("utf-8") == e["kommentar"].encode("utf-8")
        assert dt.datetime.fromisoformat(c.tid) == dt.datetime.fromisoformat(
            e["tid"]
        )  # the same instant, to the µs


def test_old_folder_is_imported_exactly_once_and_left_untouched(miljo):
    folder = build_old_folder(miljo.state)
    entries = old_entries(folder)
    assert len(entries) == len(TEXTS) + 1
    before = snapshot(folder)

    store = miljo.lager()
    assert_imported_exactly(store, entries)
    (message,) = store.meddelanden
    assert message.startswith(
        f"Importerade {len(entries)} ändringar från den gamla aktivitetsloggen i {folder}"
    )
    assert "Mappen har lämnats orörd" in message
    assert snapshot(folder) == before

    # The summer-time entry keeps its instant and shows in Swedish time as written.
    summer = store.andringar()[-1]
    assert summer.tid == "2024-07-01T08:15:30.123456+00:00"
    assert tillstand.svensk_tid(summer.tid).isoformat() == "2024-07-01T10:15:30.123456+02:00"

    # New changes continue after the imported numbers.
    assert store.append_change("A-1", "klar", "ny", "Cecilia").seq == len(entries) + 1

    # Opening again (a restart, another replica) imports nothing more.
    tillstand.glom()
    again = miljo.lager()
    assert again.meddelanden == []
    assert len(again.andringar()) == len(entries) + 1
    assert again.status()["importer"][0]["antal"] == len(entries)
    assert snapshot(folder) == before


def test_damaged_old_files_are_skipped_and_named(miljo):
    gammal.append_change("A-001", "pagar", "ett", "Anna", state_dir=miljo.state)
    gammal.append_change("A-002", "klar", "två", "Bo", state_dir=miljo.state)
    folder = miljo.state / "aktivitetslogg"
    (folder / "000000000003.json").write_bytes(
        b'{"aktivitet_id": "A-001", "status": "kl'
    )  # cut off mid-write
    (folder / "000000000004.json").write_bytes(b"")
    (folder / "000000000005.json").write_text(json.dumps({"aktivitet_id": "A-001", "status": "klar"}))
    first = json.loads((folder / "000000000001.json").read_text("utf-8"))
    (folder / "000000000007.json").write_text(json.dumps({**first, "seq": 1}))  # seq disagrees with name
    (folder / "000000000008.json").write_text(json.dumps({**first, "seq": 8, "kommentar": "a\x00b"}))
    (folder / "anteckning.txt").write_text("inte en ändring")
    before = snapshot(folder)

    store = miljo.lager()
    assert [(c.seq, c.kommentar) for c in store.andringar()] == [(1, "ett"), (2, "två")]
    (message,) = store.meddelanden
    for name in ("000000000003.json", "000000000004.json", "000000000005.json", "000000000007.json"):
        assert f"filen {name} är skadad" in message
    assert "000000000008.json innehåller tecknet NUL" in message
    assert "5 filer hoppades över" in message
    assert snapshot(folder) == before
    # The damaged files' numbers stay unused: a new change comes after the highest whole one.
    assert store.append_change("A-001", "klar", "tre", "Cecilia").seq == 3


def test_half_done_import_is_completed_without_duplicates(miljo, tmp_path):
    folder = build_old_folder(miljo.state)
    entries = old_entries(folder)
    # A store holding the first five imported changes but no record of a finished import: what a
    # backup taken in the middle of an import of an older version would restore.
    half = tmp_path / "halv"
    (half / "aktivitetslogg").mkdir(parents=True)
    for path in sorted(folder.glob("[0-9]*.json"))[:5]:
        shutil.copy2(path, half / "aktivitetslogg" / path.name)
    halfway = tillstand.oppna(half, "").dump()
    halfway["importer"] = []
    assert len(halfway["andringar"]) == 5
    with _store_before_the_folder(miljo) as target:
        target.aterstall(halfway)

    store = miljo.lager()
    assert_imported_exactly(store, entries)
    (message,) = store.meddelanden
    assert f"Importerade {len(entries) - 5} ändringar" in message
    assert "5 ändringar fanns redan" in message


@contextlib.contextmanager
def _store_before_the_folder(miljo):
    """The miljo's own store, opened while the old folder is moved aside (so not imported yet)."""
    folder = miljo.state / "aktivitetslogg"
    aside = miljo.state.parent / "undan"
    if folder.exists():
        folder.rename(aside)
    try:
        yield miljo.lager()
    finally:
        tillstand.glom()
        if aside.exists():
            aside.rename(folder)


@pytest.fixture(scope="module")
def big_old_folder(tmp_path_factory) -> Path:
    """2 000 old-format changes (by hand, in the old writer's file format: it fsyncs every one)."""
    state = tmp_path_factory.mktemp("stor")
    folder = state / "aktivitetslogg"
    folder.mkdir()
    start = dt.datetime(2024, 1, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    for seq in range(1, 2001):
        change = {"aktivitet_id": f"A-{seq % 37}", "status": ("pagar", "klar")[seq % 2], "kommentar": f"nr {seq} ✓",
                  "av": "Gammal Skrivare", "tid": (start + dt.timedelta(minutes=seq)).isoformat(timespec="microseconds"),
                  "seq": seq}  # fmt: skip
        (folder / f"{seq:012d}.json").write_text(json.dumps(change, ensure_ascii=False) + "\n", "utf-8")
    return folder


OPENER = """
import sys
from kfp_metrics import tillstand
sys.stdout.write("start\\n"); sys.stdout.flush()
tillstand.oppna()
sys.stdout.write("klar\\n"); sys.stdout.flush()
"""


def test_import_killed_midway_is_done_whole_on_next_start(miljo, big_old_folder):
    shutil.copytree(big_old_folder, miljo.state / "aktivitetslogg")
    entries = old_entries(miljo.state / "aktivitetslogg")
    rng = random.Random(7)
    for _ in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-c", OPENER], cwd=ROOT, env=miljo.env(), stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout.readline() == "start\n"
        time.sleep(rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        # All or nothing: the import is one transaction.
        count = _pg_count(miljo.url) if miljo.url else _sqlite_count(miljo.state)
        assert count in (0, len(entries))
        tillstand.glom()
    store = miljo.lager()
    assert_imported_exactly(store, entries)
    assert len(store.status()["importer"]) == 1


def _pg_count(url: str) -> int:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        if conn.execute("select to_regclass('andringar')").fetchone()[0] is None:
            return 0
        return conn.execute("select count(*) from andringar").fetchone()[0]


def _sqlite_count(state: Path) -> int:
    import sqlite3

    path = state / "tillstand.sqlite3"
    if not path.exists():
        return 0
    con = sqlite3.connect(path)
    try:
        return con.execute("select count(*) from andringar").fetchone()[0]
    except sqlite3.OperationalError:  # killed before the first migration committed
        return 0
    finally:
        con.close()


def test_old_folder_next_to_a_store_with_other_changes_is_not_merged(miljo):
    with _store_before_the_folder(miljo) as store:
        store.append_change("A-1", "pagar", "skrivet i databasen", "Anna")
    build_old_folder(miljo.state)
    before = snapshot(miljo.state / "aktivitetslogg")
    tillstand.glom()
    opened = miljo.lager()
    (message,) = opened.meddelanden
    assert "importerades inte: ändring nr 1 finns redan" in message
    assert [c.kommentar for c in opened.andringar()] == ["skrivet i databasen"]
    assert snapshot(miljo.state / "aktivitetslogg") == before


def test_cli_reports_the_import_in_swedish(miljo):
    build_old_folder(miljo.state)
    result = subprocess.run(
        [sys.executable, "-m", "kfp_metrics", "tillstand", "status"],
        cwd=ROOT,
        env=miljo.env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(
        f"Obs: Importerade {len(TEXTS) + 1} ändringar från den gamla aktivitetsloggen"
    )
    assert f"andringar: {len(TEXTS) + 1} rader" in result.stdout
    assert f"{len(TEXTS) + 1} ändringar från {miljo.state / 'aktivitetslogg'}" in result.stdout
    again = subprocess.run(
        [sys.executable, "-m", "kfp_metrics", "tillstand", "status"],
        cwd=ROOT,
        env=miljo.env(),
        capture_output=True,
        text=True,
    )
    assert again.returncode == 0 and again.stderr == ""
    assert os.path.isdir(miljo.state / "aktivitetslogg")
