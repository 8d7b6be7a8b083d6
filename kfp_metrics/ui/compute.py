"""Cached calls of the pure modules' (con, period, scope, …) functions for the pages."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable

import streamlit as st

from kfp_metrics.queries import Scope
from kfp_metrics.ui import data


def _allowed(module: str) -> bool:
    """Only the package's pure modules are called by name, so a cache key imports nothing else."""
    return module.startswith("kfp_metrics.") and not module.startswith("kfp_metrics.ui")


@st.cache_data(max_entries=512, show_spinner=False)
def _call(
    directory: str,
    fp: str,
    grant: tuple,
    module: str,
    name: str,
    period: str | None,
    scope: tuple,
    params: tuple,
):
    if not _allowed(module):
        raise ValueError(f"Okänd modul: {module}")
    function = getattr(importlib.import_module(module), name)
    con = data.connection_for(directory, fp, grant)
    if period is None:
        return function(con, **dict(params))
    return function(con, dt.date.fromisoformat(period), Scope(*scope), **dict(params))


def call(function: Callable, period: dt.date | None = None, scope: Scope | None = None, **params):
    """function(con, period, scope, **params) — or function(con, **params) without a period —
    cached by the extracts' fingerprint and the arguments; do not mutate the result."""
    key = (scope.forvaltning, scope.avdelning, scope.enhet) if scope is not None else ((), (), ())
    return _call(
        *data.data_key(),
        function.__module__,
        function.__name__,
        None if period is None else period.isoformat(),
        key,
        tuple(sorted(params.items())),
    )
