"""Cached access to the extracts: one DuckDB connection, query results keyed by parameters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st

from kfp_metrics import aktivitetslogg, nyckeltal
from kfp_metrics.behorighet import Permission, atkomst
from kfp_metrics.extracts import connect, data_dir_from_env, fingerprint, has_column, has_table
from kfp_metrics.queries import Scope, run
from kfp_metrics.validation import ValidationReport, validate_cached


def data_dir() -> Path:
    """The extracts directory the app reads (KFP_DATA_DIR, else data/)."""
    return data_dir_from_env()


def _permission_key() -> tuple:
    """The session's permission as a cache key; no session permission means nothing is read."""
    from kfp_metrics.ui import inloggning

    return inloggning.person().permission.key()


def data_key() -> tuple[str, str, tuple]:
    """The extracts directory, its fingerprint and the person's permission: the cache key of
    everything read from the extracts, so that two persons never share a cached result."""
    directory = data_dir()
    return str(directory), fingerprint(directory), _permission_key()


@st.cache_resource(max_entries=4, show_spinner=False)
def _base(directory: str, fp: str):
    return connect(directory)


@st.cache_resource(max_entries=512, show_spinner=False)
def _connection(directory: str, fp: str, grant: tuple):
    return atkomst.scoped(_base(directory, fp), Permission.from_key(grant))


def connection():
    """The DuckDB connection for the current extracts holding only what the person may see
    (queries use their own cursor)."""
    return _connection(*data_key())


def connection_for(directory: str, fp: str, grant: tuple):
    """connection() for a data_key() taken earlier: what cached functions use with their key."""
    return _connection(directory, fp, grant)


def all_activities() -> pd.DataFrame:
    """The whole aktiviteter table, for merging an imported plan into it (never to be shown):
    the activities outside the person's grant are kept as they are."""
    directory = data_dir()
    return run(_base(str(directory), fingerprint(directory)), "aktiviteter_i_scope", Scope())


def organisation_units() -> list[tuple[str, str, str]]:
    """Every unit the extracts name, for checking the access file's grants (never shown)."""
    directory = data_dir()
    return _units(str(directory), fingerprint(directory))


@st.cache_data(max_entries=4, show_spinner=False)
def _units(directory: str, fp: str) -> list[tuple[str, str, str]]:
    return atkomst.organisation_units(_base(directory, fp))


@st.cache_data(max_entries=8, show_spinner="Validerar extrakten …")
def _validation(directory: str, fp: str) -> dict:
    return validate_cached(Path(directory)).to_dict()


def validation() -> ValidationReport:
    """The validation report of the current extracts, cached by fingerprint."""
    directory = data_dir()
    return ValidationReport.from_dict(_validation(str(directory), fingerprint(directory)))


@st.cache_data(max_entries=1024, show_spinner=False)
def _query(directory: str, fp: str, grant: tuple, name: str, scope: tuple, params: tuple) -> pd.DataFrame:
    con = _connection(directory, fp, grant)
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
    directory: str, fp: str, grant: tuple, log: int, period: str, scope: tuple, pensionsalder: int, today: str
) -> dict:
    con = _connection(directory, fp, grant)
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
def _targets(directory: str, fp: str, grant: tuple, period: str, scope: tuple) -> dict:
    return nyckeltal.targets(_connection(directory, fp, grant), dt.date.fromisoformat(period), Scope(*scope))


def targets(period: dt.date, scope: Scope) -> dict[str, float]:
    """Targets from `mal` for the period's year and scope, cached."""
    return _targets(*data_key(), period.isoformat(), (scope.forvaltning, scope.avdelning, scope.enhet))
