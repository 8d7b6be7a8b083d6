"""Fixtures for the state store's tests: a real PostgreSQL server of our own (initdb + pg_ctl in a
temporary directory, listening on a free loopback port, stopped at the end), a fresh database per
test, and `miljo`, which yields the same store settings for either backend.

initdb refuses to run as root, so as root (CI) the server runs as the `postgres` system user the
Debian package creates (else `nobody`), through runuser; a developer's own user runs it directly.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kfp_metrics import tillstand

BACKENDS = ("sqlite", "postgres")


def pg_bin(name: str) -> str:
    """A PostgreSQL server program: Debian keeps them in /usr/lib/postgresql/<version>/bin."""
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.access(Path(folder) / name, os.X_OK):
            return str(Path(folder) / name)
    found = shutil.which(name)
    if found:
        return found
    raise RuntimeError(f"{name} saknas: installera Debians paket postgresql (scripts/setup.sh gör det).")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return ["runuser", "-u", name, "--"]
    raise RuntimeError("Ingen oprivilegierad användare att köra PostgreSQL som (postgres eller nobody).")


@dataclass
class PgServer:
    port: int
    base: Path
    prefix: list[str]
    _n: itertools.count = field(default_factory=itertools.count)

    def url(self, database: str) -> str:
        return f"postgresql://kfp@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        import psycopg

        name = f"t{os.getpid()}_{next(self._n)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'create database "{name}"')
        return self.url(name)

    def sql(self, url: str, statement: str, params=None):
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            cur = conn.execute(statement, params)
            return cur.fetchall() if cur.description else None


def start_pg(fsync: bool = False) -> PgServer:
    """Start a private PostgreSQL server in a new temp dir (see the module docstring)."""
    prefix = _server_user()
    base = Path(tempfile.mkdtemp(prefix="kfp-pg-"))
    if prefix:
        user = pwd.getpwnam(prefix[2])
        os.chown(base, user.pw_uid, user.pw_gid)
    data = base / "data"
    port = _free_port()
    run = {"check": True, "capture_output": True, "text": True, "cwd": base}
    subprocess.run(
        [*prefix, pg_bin("initdb"), "-D", str(data), "-U", "kfp", "--auth=trust", "-E", "UTF8", "--no-sync"],
        **run,
    )
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c max_connections=60"
    if not fsync:
        # Only spares the shared test machine's disk: the tests kill clients, never the server,
        # and commit semantics (a commit returns once the server has it) are unchanged.
        options += " -c fsync=off"
    subprocess.run(
        [
            *prefix,
            pg_bin("pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(base / "server.log"),
            "-w",
            "start",
        ],
        **run,
    )
    return PgServer(port, base, prefix)


def stop_pg(server: PgServer) -> None:
    """Stop the server and remove its directory."""
    subprocess.run(
        [*server.prefix, pg_bin("pg_ctl"), "-D", str(server.base / "data"), "-m", "fast", "-w", "stop"],
        check=True,
        capture_output=True,
        cwd=server.base,
    )
    shutil.rmtree(server.base, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server for this test session only, on 127.0.0.1 and a socket in a temp dir."""
    server = start_pg()
    try:
        yield server
    finally:
        stop_pg(server)


@dataclass
class Miljo:
    """One backend's store settings: the state dir, and the database URL for PostgreSQL."""

    backend: str
    state: Path
    url: str | None

    def lager(self) -> tillstand.Lager:
        return tillstand.oppna(self.state, self.url or "")

    def env(self) -> dict[str, str]:
        environ = {**os.environ, "KFP_STATE_DIR": str(self.state)}
        environ.pop("KFP_STATE_URL", None)
        if self.url:
            environ["KFP_STATE_URL"] = self.url
        return environ


def _miljo(request, tmp_path, monkeypatch, backend: str):
    state = tmp_path / "state"
    state.mkdir()
    url = request.getfixturevalue("pg_server").new_database() if backend == "postgres" else None
    monkeypatch.setenv("KFP_STATE_DIR", str(state))
    if url:
        monkeypatch.setenv("KFP_STATE_URL", url)
    else:
        monkeypatch.delenv("KFP_STATE_URL", raising=False)
    return Miljo(backend, state, url)


@pytest.fixture(params=BACKENDS)
def miljo(request, tmp_path, monkeypatch):
    """A fresh, empty store of each backend in turn, also set in this process's environment."""
    yield _miljo(request, tmp_path, monkeypatch, request.param)
    tillstand.glom()


@pytest.fixture
def pg_miljo(request, tmp_path, monkeypatch):
    """A fresh, empty PostgreSQL store (for what only PostgreSQL has)."""
    yield _miljo(request, tmp_path, monkeypatch, "postgres")
    tillstand.glom()
