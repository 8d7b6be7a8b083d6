"""Cached access to the extracts: one DuckDB connection, query results keyed by parameters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st

from kfp_metrics import aktivitetslogg, nyckeltal
from kfp_metrics.extracts import connect, data_dir_from_env, fingerprint, has_column, has_table
from kfp_metrics.queries import Scope, run
from kfp_metrics.validation import ValidationReport, validate_cached


def data_dir() -> Path:
    """The extracts directory the app reads (KFP_DATA_DIR, else data/)."""
    return data_dir_from_env()


def data_key() -> tuple[str, str]:
    """The extracts directory and its fingerprint: the cache key of everything read from it."""
    directory = data_dir()
    return str(directory), fingerprint(directory)


@st.cache_resource(max_entries=4, show_spinner=False)
def _connection(directory: str, fp: str):
    return connect(directory)


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
    """The change log's version, from the state store (the same on every server); a store that
    cannot be read stops the page with its Swedish message instead of showing stale statuses."""
    try:
        return aktivitetslogg.token()
    except aktivitetslogg.TillstandFel as exc:
        st.error(str(exc))
        st.stop()


@st.cache_data(max_entries=256, show_spinner=False)
def _nyckeltal(
    directory: str, fp: str, log: int, period: str, scope: tuple, pensionsalder: int, today: str
) -> dict:
    con = _connection(directory, fp)
    return nyckeltal.compute(
        con,
        dt.date.fromisoformat(period),
        Scope(*scope),
        pensionsalder=pensionsalder,
        today=dt.date.fromisoformat(today),
    )


def key_figures(period: dt.date, scope: Scope, pensionsalder: int = nyckeltal.DEFAULT_PENSIONSALDER) -> dict:
    """The contract's key figures for the period and scope (activity log included), cached."""
    key = (scope.forvaltning, scope.avdelning, scope.enhet)
    return _nyckeltal(
        *data_key(), _log_token(), period.isoformat(), key, pensionsalder, dt.date.today().isoformat()
    )


@st.cache_data(max_entries=256, show_spinner=False)
def _targets(directory: str, fp: str, period: str, scope: tuple) -> dict:
    return nyckeltal.targets(_connection(directory, fp), dt.date.fromisoformat(period), Scope(*scope))


def targets(period: dt.date, scope: Scope) -> dict[str, float]:
    """Targets from `mal` for the period's year and scope, cached."""
    return _targets(*data_key(), period.isoformat(), (scope.forvaltning, scope.avdelning, scope.enhet))
