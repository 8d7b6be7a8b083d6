"""Cached access to the extracts: one DuckDB connection, query results keyed by parameters."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from kfp_metrics import aktivitetslogg, forberedd, nyckeltal
from kfp_metrics.extracts import data_dir_from_env, fingerprint, has_column, has_table
from kfp_metrics.queries import Scope, run
from kfp_metrics.validation import ValidationReport, validate_cached


def data_dir() -> Path:
    """The extracts directory the app reads (KFP_DATA_DIR, else data/)."""
    return data_dir_from_env()


def data_key() -> tuple[str, str]:
    """The extracts directory and its fingerprint: the cache key of everything read from it."""
    directory = data_dir()
    key = str(directory), fingerprint(directory)
    _prepare(*key)
    return key


_PREPARED: set[tuple[str, str]] = set()
_BUILDS: dict[tuple[str, str], dict] = {}
_LOCK = threading.Lock()


def _prepare(directory: str, fp: str) -> None:
    """Build the prepared store on first start for new extracts, showing its progress. The build
    runs in a thread of its own, so a session that reruns or leaves does not cut it short, and
    every session arriving meanwhile waits for the same build. Without a store (disabled, or the
    build failed) the Parquet is read directly."""
    key = (directory, fp)
    if key in _PREPARED or not forberedd.enabled():
        return
    with _LOCK:
        if key in _PREPARED:
            return
        state = _BUILDS.get(key)
        if state is None:
            if not Path(directory).is_dir() or forberedd.find(directory) is not None:
                _PREPARED.add(key)
                return
            state = {"fraction": 0.0, "text": "Förbereder extrakten …", "done": threading.Event()}

            def progress(fraction, text):
                state["text"] = text
                if fraction is not None:
                    state["fraction"] = min(max(float(fraction), 0.0), 1.0)

            def work():
                try:
                    forberedd.build(directory, progress=progress)
                except Exception:  # a failed preparation only means the Parquet is read directly
                    pass
                finally:
                    _PREPARED.add(key)
                    state["done"].set()

            _BUILDS[key] = state
            threading.Thread(target=work, name="kfp-forbered", daemon=True).start()
    box = st.empty()
    with box.container():
        bar = st.progress(0.0, text="Förbereder extrakten för snabbare sidor …")
        while not state["done"].wait(0.25):
            bar.progress(state["fraction"], text=state["text"])
    box.empty()


@st.cache_resource(max_entries=4, show_spinner=False)
def _connection(directory: str, fp: str):
    return forberedd.connect(directory)


def connection():
    """The shared DuckDB connection for the current extracts (queries use their own cursor)."""
    return _connection(*data_key())


@st.cache_data(max_entries=8, show_spinner="Validerar extrakten …")
def _validation(directory: str, fp: str) -> dict:
    return validate_cached(Path(directory)).to_dict()


def validation() -> ValidationReport:
    """The validation report of the current extracts, cached by fingerprint."""
    return ValidationReport.from_dict(_validation(*data_key()))


@st.cache_data(max_entries=1024, show_spinner=False)
def _query(directory: str, fp: str, name: str, scope: tuple, params: tuple) -> pd.DataFrame:
    con = _connection(directory, fp)
    return run(con, name, Scope(*scope), **dict(params))


def query(name: str, scope: Scope, **params) -> pd.DataFrame:
    """queries/<name>.sql for the scope and parameters, cached; do not mutate the result."""
    key = (scope.forvaltning, scope.avdelning, scope.enhet)
    return _query(*data_key(), name, key, tuple(sorted(params.items())))


def table_present(table: str) -> bool:
    """Whether the extracts have this (optional) table."""
    return has_table(connection(), table)


def column_present(table: str, column: str) -> bool:
    """Whether the extracts' table has this optional column."""
    return has_column(connection(), table, column)


def _log_token() -> int:
    path = aktivitetslogg.log_dir()
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


@st.cache_data(max_entries=1024, show_spinner=False)
def _nyckeltal_section(
    directory: str, fp: str, log: int, name: str, period: str, scope: tuple, pensionsalder: int, today: str
) -> tuple:
    con = _connection(directory, fp)
    return nyckeltal.section(
        con,
        name,
        dt.date.fromisoformat(period),
        Scope(*scope),
        pensionsalder=pensionsalder,
        today=dt.date.fromisoformat(today),
    )


def key_figures(
    period: dt.date,
    scope: Scope,
    pensionsalder: int = nyckeltal.DEFAULT_PENSIONSALDER,
    sections: tuple[str, ...] | None = None,
) -> dict:
    """The contract's key figures for the period and scope (activity log included), cached per
    section, so pages asking for the same section share it; sections limits what is computed."""
    key = (scope.forvaltning, scope.avdelning, scope.enhet)
    directory, fp = data_key()
    names = nyckeltal.SECTIONS if sections is None else tuple(sections)
    today = dt.date.today().isoformat()
    parts = {}
    for name in names:
        # Only the sections that read them are keyed by the change log and pension age.
        log = _log_token() if name == "aktiviteter" else 0
        age = pensionsalder if name == "pension" else nyckeltal.DEFAULT_PENSIONSALDER
        day = today if name == "aktiviteter" else period.isoformat()
        parts[name] = _nyckeltal_section(directory, fp, log, name, period.isoformat(), key, age, day)
    return nyckeltal.assemble(period, scope, parts)


@st.cache_data(max_entries=256, show_spinner=False)
def _targets(directory: str, fp: str, period: str, scope: tuple) -> dict:
    return nyckeltal.targets(_connection(directory, fp), dt.date.fromisoformat(period), Scope(*scope))


def targets(period: dt.date, scope: Scope) -> dict[str, float]:
    """Targets from `mal` for the period's year and scope, cached."""
    return _targets(*data_key(), period.isoformat(), (scope.forvaltning, scope.avdelning, scope.enhet))
