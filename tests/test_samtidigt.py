"""ui.samtidigt: a page's independent computations side by side, each with the run's script
context and shared_results() block, results in order, and an error raised where it was asked."""

from __future__ import annotations

import threading

import pytest
from streamlit.testing.v1 import AppTest

from kfp_metrics import queries
from kfp_metrics.queries import Scope, run, shared_results
from kfp_metrics.ui.samtidigt import side_by_side


def test_results_in_the_calls_order():
    calls = [lambda i=i: i * i for i in range(7)]
    assert side_by_side(calls, at_once=3) == [0, 1, 4, 9, 16, 25, 36]
    assert side_by_side([], at_once=2) == []


def test_they_run_at_the_same_time():
    # Each waits for the other: run one after the other, the barrier would break after 10 s.
    barrier = threading.Barrier(2, timeout=10)
    assert side_by_side([barrier.wait, barrier.wait], at_once=2) in ([0, 1], [1, 0])


def test_one_at_a_time_in_the_calling_thread():
    here = threading.get_ident()
    assert side_by_side([threading.get_ident] * 3, at_once=1) == [here] * 3
    assert side_by_side([threading.get_ident]) == [here]
    # Side by side: in threads of their own.
    assert here not in side_by_side([threading.get_ident] * 2, at_once=2)


def test_the_first_error_is_raised_after_all_have_ended():
    ran = []

    def fails(text):
        def call():
            ran.append(text)
            raise ValueError(text)

        return call

    calls = [lambda: ran.append("a"), fails("b"), fails("c"), lambda: ran.append("d")]
    with pytest.raises(ValueError, match="^b$"):
        side_by_side(calls, at_once=2)
    assert sorted(ran) == ["a", "b", "c", "d"]


def test_a_question_two_of_them_ask_is_asked_once(monkeypatch, con):
    asked = []
    real = queries._run

    def counting(c, name, scope, params):
        asked.append(name)
        return real(c, name, scope, params)

    monkeypatch.setattr(queries, "_run", counting)
    with shared_results():
        first, second = side_by_side([lambda: run(con, "organisation", Scope())] * 2, at_once=2)
    assert asked == ["organisation"]
    assert first.equals(second) and first is not second
    # Outside a block each asks on its own.
    side_by_side([lambda: run(con, "organisation", Scope())] * 2, at_once=2)
    assert asked == ["organisation"] * 3


def _page():
    import streamlit as st
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    from kfp_metrics.ui.samtidigt import side_by_side

    mine = get_script_run_ctx()
    theirs = side_by_side([get_script_run_ctx] * 3, at_once=2)
    st.text(f"samma: {all(c is mine for c in theirs)}")

    @st.cache_data
    def square(x):
        return x * x

    st.text(f"cachad: {side_by_side([lambda: square(3), lambda: square(4)], at_once=2)}")


def test_they_run_with_the_pages_script_context():
    at = AppTest.from_function(_page).run()
    assert not at.exception
    assert [t.value for t in at.text] == ["samma: True", "cachad: [9, 16]"]
