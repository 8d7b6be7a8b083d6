"""A page's independent cached computations side by side instead of one after the other.

A page's key figures are a dozen small computations (a section of the nyckeltal each, for P and
for a year earlier), each a few DuckDB queries that run outside the GIL. Asked one after the
other, the page waits for their sum; side by side on the machine's cores it waits for less.
Each runs in a thread that carries the run's script context, attached before the thread starts
as Streamlit asks (so that its caches and the person's data key work there as in the page), and
the run's shared_results() block (so that a question asked by two of them runs once).
Nothing here draws on the page: the calls only compute.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from kfp_metrics.queries import sharing_block, sharing_in

T = TypeVar("T")


def workers() -> int:
    """How many computations run at once: the cores, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))


def side_by_side(calls: Sequence[Callable[[], T]], at_once: int | None = None) -> list[T]:
    """[call() for call in calls], run side by side, in their order; once all have ended, the
    first call's exception (in the calls' order) is raised here. With one call, or one at a time,
    they run in the calling thread."""
    at_once = workers() if at_once is None else at_once
    if len(calls) <= 1 or at_once <= 1:
        return [call() for call in calls]
    ctx = get_script_run_ctx(suppress_warning=True)
    block = sharing_block()
    todo: queue.SimpleQueue[int] = queue.SimpleQueue()
    for i in range(len(calls)):
        todo.put(i)
    results: list = [None] * len(calls)
    errors: list[BaseException | None] = [None] * len(calls)

    def lane() -> None:
        while True:
            try:
                i = todo.get_nowait()
            except queue.Empty:
                return
            try:
                results[i] = sharing_in(block, calls[i])
            except BaseException as exc:  # raised in the calling thread below
                errors[i] = exc

    threads = [
        threading.Thread(target=lane, name=f"kfp-samtidigt-{n}", daemon=True)
        for n in range(min(at_once, len(calls)))
    ]
    for thread in threads:
        if ctx is not None:
            add_script_run_ctx(thread, ctx)
        thread.start()
    for thread in threads:
        thread.join()
    for error in errors:
        if error is not None:
            raise error
    return results
