"""Backup and restore through the CLI on both backends (and across them), and the faults: a store
that is unreachable or read-only gives a Swedish message and exit code 1, never a traceback, and
nothing is reported saved that was not."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import gammal_aktivitetslogg as gammal
import pytest

from kfp_metrics import tillstand

ROOT = Path(__file__).resolve().parent.parent


def cli(env: dict, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kfp_metrics", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def fill(miljo) -> dict:
    """A store with every kind of row: imported, app and CLI changes, access log, texts."""
    gammal.append_change("A-1", "pagar", "gammal\r\nrad", "Åsa", state_dir=miljo.state)
    store = miljo.lager()
    store.append_change("A-1", "klar", "Klart 🎉", "Anna", av_id="anna@k.se")
    store.append_change("A-2", "installd", None, "Bo", kalla="cli")
    store.logga_atkomst("anna@k.se", "Översikt", {"forvaltning": ["Soc"]}, None)
    store.logga_atkomst("bo@k.se", "Nämndrapport", {}, "namndrapport.pdf")
    store.spara_text(
        "2024-09", {"forvaltning": ["Soc"]}, "sammanfattning", "Granskad text", "Anna", "anna@k.se", "fp"
    )
    store.spara_text("2024-09", {"forvaltning": ["Soc"]}, "sammanfattning", None, "Anna", "anna@k.se", "fp")
    dump = store.dump()
    assert [len(dump[t]) for t in ("andringar", "atkomstlogg", "rapporttexter", "importer")] == [3, 2, 2, 1]
    return dump


def empty_env(miljo, pg_server, tmp_path: Path, backend: str | None = None) -> tuple[dict, tillstand.Miljo]:
    from tillstand_fixtures import Miljo

    backend = backend or miljo.backend
    state = tmp_path / f"tom-{backend}"
    state.mkdir()
    target = Miljo(backend, state, pg_server.new_database() if backend == "postgres" else None)
    return target.env(), target


def test_backup_and_restore_round_trip(miljo, request, tmp_path):
    before = fill(miljo)
    fil = tmp_path / ("kopia.sqlite3" if miljo.backend == "sqlite" else "kopia.json")
    result = cli(miljo.env(), "tillstand", "backup", fil)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Skrev säkerhetskopian {fil}")
    assert "8 rader" in result.stdout
    header = fil.read_bytes()[:16]
    assert (header == b"SQLite format 3\x00") == (miljo.backend == "sqlite")

    pg = request.getfixturevalue("pg_server") if miljo.backend == "postgres" else None
    env, target = empty_env(miljo, pg, tmp_path)
    result = cli(env, "tillstand", "aterstall", fil)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Återställde 8 rader från {fil}")
    assert target.lager().dump() == before
    # The restored store goes on numbering after the restored rows.
    assert target.lager().append_change("A-3", "pagar", None, "Cecilia").seq == 4
    # Restoring again into the now non-empty store is refused and changes nothing.
    after = target.lager().dump()
    again = cli(env, "tillstand", "aterstall", fil)
    assert again.returncode == 1
    assert again.stderr.startswith("Fel: Tillståndsdatabasen") and "är inte tom" in again.stderr
    assert target.lager().dump() == after


@pytest.mark.parametrize(("source", "target"), [("sqlite", "postgres"), ("postgres", "sqlite")])
def test_backup_restores_into_the_other_backend(pg_server, tmp_path, source, target, monkeypatch):
    from tillstand_fixtures import Miljo

    state = tmp_path / "källa"
    state.mkdir()
    src = Miljo(source, state, pg_server.new_database() if source == "postgres" else None)
    before = fill(src)
    fil = tmp_path / "kopia"
    assert cli(src.env(), "tillstand", "backup", fil).returncode == 0
    env, dst = empty_env(src, pg_server, tmp_path, target)
    result = cli(env, "tillstand", "aterstall", fil)
    assert result.returncode == 0, result.stderr
    assert dst.lager().dump() == before
    tillstand.glom()


def test_backup_never_overwrites(miljo, tmp_path):
    fil = tmp_path / "finns.json"
    fil.write_text("viktig")
    result = cli(miljo.env(), "tillstand", "backup", fil)
    assert result.returncode == 1
    assert (
        result.stderr == f"Fel: Filen {fil} finns redan. Välj ett nytt filnamn, så skrivs ingenting över.\n"
    )
    assert fil.read_text() == "viktig"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"inte json", "är ingen säkerhetskopia"),
        (b'{"format": "annat"}', "formatet känns inte igen"),
        (b'{"format": "kfp-tillstand", "tabeller": {"okand": []}}', "inte känner till: okand"),
        (b'{"format": "kfp-tillstand", "tabeller": {"andringar": [{"seq": 1}]}}', "saknar aktivitet_id"),
        (b"SQLite format 3\x00" + b"\x00" * 200, "skadad"),
    ],
)
def test_a_damaged_backup_restores_nothing(miljo, tmp_path, content, fragment):
    fil = tmp_path / "trasig"
    fil.write_bytes(content)
    result = cli(miljo.env(), "tillstand", "aterstall", fil)
    assert result.returncode == 1
    assert result.stderr.startswith("Fel: ") and fragment in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert miljo.lager().dump() == {"andringar": [], "atkomstlogg": [], "rapporttexter": [], "importer": []}


# --- faults -------------------------------------------------------------------------------------------


def _plan_dir(tmp_path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    data = tmp_path / "data"
    data.mkdir()
    table = pa.table({"aktivitet_id": ["A-1"], "forvaltning": ["Soc"], "avdelning": [None], "ubaria": ["utveckla"],
                      "mal": ["Mål"], "aktivitet": ["Akt"], "maldatum": pa.array([dt.date(2025, 6, 30)]),
                      "ansvarig": ["HR"], "status": ["pagar"], "uppfoljning": [None]})  # fmt: skip
    pq.write_table(table, data / "aktiviteter.parquet")
    return data


def test_unreachable_postgresql_gives_a_swedish_error_and_exit_1(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    env = {
        **os.environ,
        "KFP_STATE_DIR": str(tmp_path),
        "KFP_STATE_URL": f"postgresql://kfp:hemligt@127.0.0.1:{port}/x",
    }
    data = _plan_dir(tmp_path)
    for args in (
        ["aktivitet", "andra", "--data", data, "--id", "A-1", "--status", "klar", "--av", "Anna"],
        ["aktivitet", "historik", "--data", data, "--id", "A-1"],
        ["aktivitet", "lista", "--data", data],
        ["tillstand", "status"],
    ):
        result = cli(env, *args)
        assert result.returncode == 1, args
        assert result.stdout == ""  # in particular no "Sparat"
        assert result.stderr.startswith("Fel: Tillståndsdatabasen (postgresql://kfp:***@127.0.0.1:")
        assert "går inte att nå" in result.stderr
        assert "hemligt" not in result.stderr and "Traceback" not in result.stderr


def test_unusable_sqlite_state_dir_gives_a_swedish_error(tmp_path):
    blocker = tmp_path / "fil"
    blocker.write_text("en fil, ingen mapp")
    env = {**os.environ, "KFP_STATE_DIR": str(blocker / "state")}
    env.pop("KFP_STATE_URL", None)
    data = _plan_dir(tmp_path)
    result = cli(env, "aktivitet", "andra", "--data", data, "--id", "A-1", "--status", "klar", "--av", "Anna")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Fel: Tillståndsmappen {blocker / 'state'} kunde inte skapas")
    assert "Traceback" not in result.stderr


def test_read_only_postgresql_refuses_writes_in_swedish_and_still_reads(pg_miljo, pg_server, tmp_path):
    pg_miljo.lager().append_change("A-1", "pagar", "före", "Anna")
    tillstand.glom()
    database = pg_miljo.url.rsplit("/", 1)[1]
    pg_server.sql(
        pg_server.url("postgres"), f'alter database "{database}" set default_transaction_read_only = on'
    )
    data = _plan_dir(tmp_path)
    env = pg_miljo.env()
    result = cli(env, "aktivitet", "andra", "--data", data, "--id", "A-1", "--status", "klar", "--av", "Anna")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "skrivskyddad" in result.stderr and "ingenting sparades" in result.stderr
    assert "Traceback" not in result.stderr
    shown = cli(env, "aktivitet", "historik", "--data", data, "--id", "A-1")
    assert shown.returncode == 0, shown.stderr
    assert "före" in shown.stdout
    pg_server.sql(
        pg_server.url("postgres"), f'alter database "{database}" reset default_transaction_read_only'
    )
    assert [c.kommentar for c in pg_miljo.lager().andringar()] == ["före"]


@contextlib.contextmanager
def _read_only(folder: Path):
    """Make folder and its files read-only: by mode for a normal user, immutable for root."""
    paths = [folder, *folder.iterdir()]
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in paths}
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", *map(str, paths)]).returncode != 0:
        subprocess.run(["chattr", "-i", *map(str, paths)], capture_output=True)
        pytest.skip(
            "root utan rätt att göra filer oföränderliga (chattr +i): skrivskyddet kan inte provas här"
        )
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, paths)], check=True)


def test_read_only_sqlite_refuses_writes_in_swedish(tmp_path):
    state = tmp_path / "state"
    store = tillstand.oppna(state, "")
    store.append_change("A-1", "pagar", "före", "Anna")
    tillstand.glom()  # closing the last connection checkpoints the WAL into the file
    env = {**os.environ, "KFP_STATE_DIR": str(state)}
    env.pop("KFP_STATE_URL", None)
    data = _plan_dir(tmp_path)
    with _read_only(state):
        result = cli(
            env, "aktivitet", "andra", "--data", data, "--id", "A-1", "--status", "klar", "--av", "Anna"
        )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Fel: Tillståndsdatabasen") and "ingenting" in result.stderr, (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert [c.kommentar for c in tillstand.oppna(state, "").andringar()] == ["före"]
    tillstand.glom()


def test_nyckeltal_with_an_unreachable_store_exits_1_in_swedish(fixture_dir, tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "KFP_STATE_DIR": str(tmp_path),
        "KFP_STATE_URL": f"postgresql://kfp@127.0.0.1:{port}/x",
    }
    result = cli(env, "nyckeltal", "--data", fixture_dir, "--period", "2024-09")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Fel: Tillståndsdatabasen") and "går inte att nå" in result.stderr
    assert "Traceback" not in result.stderr
