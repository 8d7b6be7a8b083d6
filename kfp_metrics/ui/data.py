"""Cached access to the extracts: one DuckDB connection, query results keyed by parameters."""

from __future__ import annotations

import datetime as dt
import functools
import threading
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from kfp_metrics import aktivitetslogg, forberedd, nyckeltal
from kfp_metrics.behorighet import Permission, atkomst
from kfp_metrics.extracts import data_dir_from_env, fingerprint, freeze_catalog, has_column, has_table
from kfp_metrics.periods import add_months
from kfp_metrics.queries import Scope, run, shared_results
from kfp_metrics.ui import inloggning, samtidigt
from kfp_metrics.validation import ValidationReport, validate_cached


def data_dir() -> Path:
    """The extracts directory the app reads (KFP_DATA_DIR, else data/)."""
    return data_dir_from_env()


def _permission_key() -> tuple:
    """The session's permission as a cache key; no session permission means nothing is read."""
    return inloggning.person().permission.key()


def per_run(function):
    """function() computed once per run of the page: every chart and table of a run asks for the
    data key, and the extracts' fingerprint stats every file (hundreds at a city's scale). The
    result is kept on the run's context, which Streamlit renews for every run."""

    @functools.wraps(function)
    def once():
        ctx = get_script_run_ctx()
        if ctx is None:
            return function()
        memo = getattr(ctx, "_kfp_per_run", None)
        if memo is None or memo[0] is not ctx.cursors:  # ctx.cursors is a new dict every run
            memo = (ctx.cursors, {})
            ctx._kfp_per_run = memo
        name = function.__qualname__
        if name not in memo[1]:
            memo[1][name] = function()
        return memo[1][name]

    return once


def data_key() -> tuple[str, str, tuple]:
    """The extracts directory, its fingerprint and the person's permission: the cache key of
    everything read from the extracts, so that two persons never share a cached result."""
    return (*_prepared_key(), _permission_key())


@per_run
def _current() -> tuple[str, str]:
    """The extracts directory and its fingerprint."""
    directory = data_dir()
    return str(directory), fingerprint(directory)


def _prepared_key() -> tuple[str, str]:
    """The extracts directory and fingerprint, the prepared store built first when it is missing."""
    key = _current()
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
            if not Path(directory).is_dir() or forberedd.find_whole(directory) is not None:
                _PREPARED.add(key)
                return
            state = {"fraction": 0.0, "text": "Förbereder extrakten …", "done": threading.Event()}

            def progress(fraction, text):
                state["text"] = text
                if fraction is not None:
                    state["fraction"] = min(max(float(fraction), 0.0), 1.0)

            def work():
                try:
                    forberedd.ensure(directory, progress=progress)
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
def _base(directory: str, fp: str):
    """The whole extracts: the prepared store when there is one, else the Parquet (never shown as is)."""
    return freeze_catalog(forberedd.connect(directory))


@st.cache_resource(max_entries=512, show_spinner=False)
def _connection(directory: str, fp: str, grant: tuple):
    return freeze_catalog(atkomst.scoped(_base(directory, fp), Permission.from_key(grant)))


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
    return run(_base(*_prepared_key()), "aktiviteter_i_scope", Scope())


def organisation_units() -> list[tuple[str, str, str]]:
    """Every unit the extracts name, for checking the access file's grants (never shown)."""
    return _units(*_prepared_key())


@st.cache_data(max_entries=4, show_spinner=False)
def _units(directory: str, fp: str) -> list[tuple[str, str, str]]:
    return atkomst.organisation_units(_base(directory, fp))


@st.cache_data(max_entries=8, show_spinner="Validerar extrakten …")
def _validation(directory: str, fp: str) -> dict:
    return validate_cached(Path(directory)).to_dict()


def validation() -> ValidationReport:
    """The validation report of the current extracts, cached by fingerprint."""
    return ValidationReport.from_dict(_validation(*_current()))


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


@per_run
def log_token() -> int:
    """The change log's version, from the state store (the same on every server); a store that
    cannot be read stops the page with its Swedish message instead of showing stale statuses.
    Read once per run: a page asks it in its own thread first (before computing side by side),
    and the threads then get the same token."""
    try:
        return aktivitetslogg.token()
    except aktivitetslogg.TillstandFel as exc:
        st.error(str(exc))
        st.stop()


@st.cache_data(max_entries=1024, show_spinner=False)
def _nyckeltal_section(
    directory: str,
    fp: str,
    grant: tuple,
    log: int,
    name: str,
    period: str,
    scope: tuple,
    pensionsalder: int,
    today: str,
) -> tuple:
    con = _connection(directory, fp, grant)
    return nyckeltal.section(
        con,
        name,
        dt.date.fromisoformat(period),
        Scope(*scope),
        pensionsalder=pensionsalder,
        today=dt.date.fromisoformat(today),
    )


def _section_calls(
    period: dt.date, scope: Scope, pensionsalder: int, sections: tuple[str, ...] | None
) -> dict[str, functools.partial]:
    """Per section of the key figures, its cached computation, ready to call."""
    key = (scope.forvaltning, scope.avdelning, scope.enhet)
    directory, fp, grant = data_key()
    names = nyckeltal.SECTIONS if sections is None else tuple(sections)
    today = dt.date.today().isoformat()
    calls = {}
    for name in names:
        # Only the sections that read them are keyed by the change log and pension age.
        log = log_token() if name == "aktiviteter" else 0
        age = pensionsalder if name == "pension" else nyckeltal.DEFAULT_PENSIONSALDER
        day = today if name == "aktiviteter" else period.isoformat()
        calls[name] = functools.partial(
            _nyckeltal_section, directory, fp, grant, log, name, period.isoformat(), key, age, day
        )
    return calls


def key_figures(
    period: dt.date,
    scope: Scope,
    pensionsalder: int = nyckeltal.DEFAULT_PENSIONSALDER,
    sections: tuple[str, ...] | None = None,
) -> dict:
    """The contract's key figures for the period and scope (activity log included), cached per
    section, so pages asking for the same section share it; sections limits what is computed.
    The sections are computed side by side."""
    calls = _section_calls(period, scope, pensionsalder, sections)
    parts = dict(zip(calls, samtidigt.side_by_side(list(calls.values())), strict=True))
    return nyckeltal.assemble(period, scope, parts)


def key_figures_and_year_before(
    period: dt.date,
    scope: Scope,
    first_period: dt.date,
    sections: tuple[str, ...],
    sections_before: tuple[str, ...] | None = None,
    pensionsalder: int = nyckeltal.DEFAULT_PENSIONSALDER,
) -> tuple[dict, dict | None]:
    """key_figures for P and for P−12 (sections_before, default the same sections; None when P−12
    is before the extracts' first month), all their sections side by side. The tillsvidare
    headcounts the two years ask for (P−12 and P−24 for the change, both 12-month windows for
    turnover) are cut from one query over the 25 months, as in the report."""
    last_year = add_months(period, -12)
    years = [(period, _section_calls(period, scope, pensionsalder, sections))]
    if last_year >= first_period:
        earlier = sections_before or sections
        years.append((last_year, _section_calls(last_year, scope, nyckeltal.DEFAULT_PENSIONSALDER, earlier)))
    with shared_results(months=(add_months(period, -24), period)):
        parts = iter(samtidigt.side_by_side([call for _, calls in years for call in calls.values()]))
    now, *before = [nyckeltal.assemble(p, scope, {name: next(parts) for name in calls}) for p, calls in years]
    return now, (before[0] if before else None)


@st.cache_data(max_entries=256, show_spinner=False)
def _targets(directory: str, fp: str, grant: tuple, period: str, scope: tuple) -> dict:
    return nyckeltal.targets(_connection(directory, fp, grant), dt.date.fromisoformat(period), Scope(*scope))


def targets(period: dt.date, scope: Scope) -> dict[str, float]:
    """Targets from `mal` for the period's year and scope, cached."""
    return _targets(*data_key(), period.isoformat(), (scope.forvaltning, scope.avdelning, scope.enhet))
