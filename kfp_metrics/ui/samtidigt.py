"""A page's independent cached computations side by side instead of one after the other.

A page's key figures are a dozen small computations (a section of the nyckeltal each, for P and
for a year earlier), each a few DuckDB queries that run outside the GIL. Asked one after the
other, the page waits for their sum; side by side on the machine's cores it waits for less.
queries.side_by_side runs them, each thread within the run's shared_results() block (so that a
question asked by two of them runs once); here each thread also gets the run's script context,
attached before it starts as Streamlit asks, so that its caches and the person's data key work
there as in the page. Nothing run here may draw on the page or stop it: the calls only compute.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from kfp_metrics import queries

T = TypeVar("T")


def workers() -> int:
    """How many computations run at once: the cores, at most 4 (queries.workers)."""
    return queries.workers()


def side_by_side(calls: Sequence[Callable[[], T]], at_once: int | None = None) -> list[T]:
    """queries.side_by_side with the run's script context in every thread; at_once defaults to
    workers()."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return queries.side_by_side(
        calls,
        workers() if at_once is None else at_once,
        None if ctx is None else (lambda thread: add_script_run_ctx(thread, ctx)),
    )
