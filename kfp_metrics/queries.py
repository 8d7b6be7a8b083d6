"""Running the named SQL files in queries/ with bound parameters."""

from __future__ import annotations

import contextvars
import datetime as dt
import os
import queue
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TypeVar

import duckdb
import pandas as pd

from kfp_metrics.extracts import remembered, same_data
from kfp_metrics.forberedd import is_prepared

T = TypeVar("T")

QUERY_DIR = Path(__file__).resolve().parent.parent / "queries"


@dataclass(frozen=True)
class Scope:
    """Lists of förvaltningar, avdelningar and enheter; an empty list means all."""

    forvaltning: tuple[str, ...] = field(default_factory=tuple)
    avdelning: tuple[str, ...] = field(default_factory=tuple)
    enhet: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, forvaltning=(), avdelning=(), enhet=()) -> Scope:
        return cls(tuple(forvaltning or ()), tuple(avdelning or ()), tuple(enhet or ()))

    def params(self) -> dict[str, list[str]]:
        """The scope as the bound parameters every query takes."""
        return {
            "forvaltningar": list(self.forvaltning),
            "avdelningar": list(self.avdelning),
            "enheter": list(self.enhet),
        }

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "forvaltning": list(self.forvaltning),
            "avdelning": list(self.avdelning),
            "enhet": list(self.enhet),
        }

    @property
    def is_all(self) -> bool:
        return not (self.forvaltning or self.avdelning or self.enhet)


PREPARED_DIR = QUERY_DIR / "forberedd"


@cache
def sql_text(name: str, prepared: bool = False) -> str:
    """The text of queries/<name>.sql, or of queries/forberedd/<name>.sql for a connection that reads
    the prepared store when that variant exists (same result, from the prepared tables)."""
    if prepared and has_prepared_variant(name):
        return (PREPARED_DIR / f"{name}.sql").read_text(encoding="utf-8")
    path = QUERY_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"Okänd fråga: {name}")
    return path.read_text(encoding="utf-8")


_ARG = r"\s*([^,()]+?)\s*"
_I_SCOPE = re.compile(r"\bi_scope\(" + ",".join([_ARG] * 6) + r"\)")
_I_LISTA = re.compile(r"\bi_lista\(" + ",".join([_ARG] * 2) + r"\)")


def _lista(value: str, names: str) -> str:
    # The body of the i_lista macro (extracts.SCOPE_MACROS).
    return f"(len({names}::varchar[]) = 0 or list_contains({names}::varchar[], {value}))"


def inline_scope_macros(text: str) -> str:
    """text with i_scope(...) and i_lista(...) written out as their macro bodies: the same
    condition, but DuckDB plans it several milliseconds faster than expanding the macros (planning
    was half the time of many small queries)."""
    text = _I_SCOPE.sub(
        lambda m: "(" + " and ".join(_lista(m.group(i), m.group(i + 3)) for i in (1, 2, 3)) + ")", text
    )
    return _I_LISTA.sub(lambda m: _lista(m.group(1), m.group(2)), text)


@cache
def executable_text(name: str, prepared: bool = False) -> str:
    """sql_text(name, prepared) as run() executes it (scope macros written out)."""
    return inline_scope_macros(sql_text(name, prepared))


@cache
def has_prepared_variant(name: str) -> bool:
    """Whether queries/forberedd/<name>.sql exists."""
    return (PREPARED_DIR / f"{name}.sql").is_file()


def _reads_store(con, cur) -> bool:
    # Fixed when the connection is made; asking DuckDB's catalog each time cost a millisecond.
    return remembered(con, "prepared", lambda: is_prepared(cur))


_SHARED: contextvars.ContextVar[_Shared | None] = contextvars.ContextVar("kfp_shared_results", default=None)


# Queries with a row (or a row per kön) per month of $fran..$till and only those two parameters,
# each month's rows depending on nothing but the data of that month and the eleven before it,
# which every query reads back from $fran on: the rows of a month are the same whatever window
# holds it. Within shared_results(months=...) a window inside those months is cut from one run
# over all of them (tests/test_manadsfonster.py compares every such window with its own run).
MONTHLY_QUERIES = frozenset(
    {
        "heltid_per_manad",
        "tillsvidare_per_manad",
        "personalomsattning_per_manad",
        "jamstalldhet_per_kon_och_manad",
        "jamstalldhet_sjuk_per_kon_och_manad",
        "jamstalldhet_omsattning_per_kon_och_manad",
    }
)


class _Shared:
    """The answers of one shared_results() block: one Future per query, scope and parameters."""

    def __init__(self, months: tuple[dt.date, dt.date] | None = None) -> None:
        self.months = months
        self.lock = threading.Lock()
        self.answers: dict[tuple, Future] = {}
        # What the connections asked read (extracts.same_data), kept so that their ids (part of
        # every key) are not reused while the block lasts.
        self.sources: dict[int, object] = {}


@contextmanager
def shared_results(months: tuple[dt.date, dt.date] | None = None) -> Iterator[None]:
    """Within the block, a query asked again with the same scope and parameters gets the first
    answer (a copy) instead of running again, also from threads started with
    contextvars.copy_context(). For one piece of work over one connection whose data does not
    change meanwhile, such as a report: its sections ask many of the same questions.

    months (first and last month): a query of MONTHLY_QUERIES asked for months within them is
    answered from one run over all of them, so that a month asked alone, a year and the chart's two
    years are one query (a report asks such series for P, for P−12 and for the charts)."""
    shared = _Shared(months)
    outer = _SHARED.get()
    if outer is not None:
        # Nested (a page's block within the run's): the answers are the outer block's, so a question
        # asked inside and outside still runs once; only the months are the inner block's own.
        shared.lock, shared.answers, shared.sources = outer.lock, outer.answers, outer.sources
    token = _SHARED.set(shared)
    try:
        yield
    finally:
        _SHARED.reset(token)


def workers() -> int:
    """How many computations run side by side: the cores, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))


def side_by_side(
    calls: Sequence[Callable[[], T]], at_once: int, prepare: Callable[[threading.Thread], None] | None = None
) -> list[T]:
    """[call() for call in calls], run side by side in at most at_once threads, in their order,
    each within this thread's shared_results() block (so a question two of them ask runs once);
    once all have ended, the first call's exception (in the calls' order) is raised here. With one
    call, or one at a time, they run in the calling thread. prepare(thread) is called for each
    thread before it starts (the app attaches its script context there)."""
    if len(calls) <= 1 or at_once <= 1:
        return [call() for call in calls]
    block = _SHARED.get()
    todo: queue.SimpleQueue[int] = queue.SimpleQueue()
    for i in range(len(calls)):
        todo.put(i)
    results: list = [None] * len(calls)
    errors: list[BaseException | None] = [None] * len(calls)

    def lane() -> None:
        _SHARED.set(block)  # the thread's own context: set for its life, nothing to reset
        while True:
            try:
                i = todo.get_nowait()
            except queue.Empty:
                return
            try:
                results[i] = calls[i]()
            except BaseException as exc:  # raised in the calling thread below
                errors[i] = exc

    threads = [
        threading.Thread(target=lane, name=f"kfp-samtidigt-{n}", daemon=True)
        for n in range(min(at_once, len(calls)))
    ]
    for thread in threads:
        if prepare is not None:
            prepare(thread)
        thread.start()
    for thread in threads:
        thread.join()
    for error in errors:
        if error is not None:
            raise error
    return results


def submit_sharing(pool, function, *args):
    """pool.submit(function, *args) in a copy of this thread's context, so that the worker shares
    the shared_results() block it was started in."""
    return pool.submit(contextvars.copy_context().run, function, *args)


def _key(source, name: str, scope: Scope, params: dict) -> tuple | None:
    """The query's key in shared_results(), None when a value cannot be one. What the connection
    reads is part of it (two permissions' connections never share an answer; a connection and its
    frozen cursors, one per report thread, do), and so is each value's type: a date and a
    timestamp of the same day are different parameters."""
    values = tuple(
        (k, type(v).__name__, tuple(v) if isinstance(v, list) else v) for k, v in sorted(params.items())
    )
    key = (id(source), name, scope, values)
    try:
        hash(key)
    except TypeError:
        return None
    return key


def run(con: duckdb.DuckDBPyConnection, name: str, scope: Scope, **params) -> pd.DataFrame:
    """Run queries/<name>.sql on a fresh cursor with the scope and params bound; fully fetched.

    Inside shared_results() the same query, scope and parameters run once."""
    shared = _SHARED.get()
    window = _within(shared.months, name, params) if shared is not None else None
    if window is not None:
        cut = _months_of(run(con, name, scope, fran=shared.months[0], till=shared.months[1]), *window)
        # No rows: asked on its own, since an empty answer's text columns have a type of their own.
        if len(cut):
            return cut
    source = same_data(con) if shared is not None else None
    key = _key(source, name, scope, params) if shared is not None else None
    if key is None:
        return _run(con, name, scope, params)
    with shared.lock:
        shared.sources[id(source)] = source
        answer = shared.answers.get(key)
        owner = answer is None
        if owner:
            answer = shared.answers[key] = Future()
    if owner:
        try:
            answer.set_result(_run(con, name, scope, params))
        except BaseException as exc:
            answer.set_exception(exc)
    # A copy each time: callers may change the frame they get.
    return answer.result().copy()


def _within(months, name: str, params: dict) -> tuple[dt.date, dt.date] | None:
    """(fran, till) when the query is one of MONTHLY_QUERIES asked for a window of whole months
    inside `months` other than `months` itself; otherwise None."""
    if months is None or name not in MONTHLY_QUERIES or set(params) != {"fran", "till"}:
        return None
    fran, till = params["fran"], params["till"]
    # Exactly dates of first days: a timestamp, or a day within a month, is asked on its own.
    if not all(type(v) is dt.date and v.day == 1 for v in (fran, till, *months)):
        return None
    if (fran, till) == tuple(months) or not months[0] <= fran <= till <= months[1]:
        return None
    return fran, till


def _months_of(frame: pd.DataFrame, fran: dt.date, till: dt.date) -> pd.DataFrame:
    """The rows of frame whose period is within fran..till, numbered from 0 as a query's are."""
    period = frame["period"]
    keep = (period >= pd.Timestamp(fran)) & (period <= pd.Timestamp(till))
    return frame.loc[keep].reset_index(drop=True)


def _run(con: duckdb.DuckDBPyConnection, name: str, scope: Scope, params: dict) -> pd.DataFrame:
    cur = con.cursor()
    try:
        # On the query's own cursor: the shared connection refuses a second caller at once.
        prepared = has_prepared_variant(name) and _reads_store(con, cur)
        text = executable_text(name, prepared)
        bound = {**scope.params(), **params}
        # DuckDB refuses named parameters that the statement does not use.
        bound = {k: v for k, v in bound.items() if re.search(rf"\${k}\b", text)}
        return cur.execute(text, bound).df()
    finally:
        cur.close()
