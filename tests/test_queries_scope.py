"""The scope macros written out in the executed SQL: the same rows as with the macros."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from fixture_data import AX, AY, FA, FB

from kfp_metrics.extracts import connect
from kfp_metrics.queries import Scope, inline_scope_macros, run, sql_text


def test_inline_text_is_the_macro_body():
    got = inline_scope_macros("where i_lista(a.forvaltning, $forvaltningar) and x")
    assert got == (
        "where (len($forvaltningar::varchar[]) = 0 or "
        "list_contains($forvaltningar::varchar[], a.forvaltning)) and x"
    )
    scoped = inline_scope_macros("i_scope(f, a, e, $fs, $as, $es)")
    assert scoped.count("list_contains") == 3 and "i_scope" not in scoped
    # A CTE that happens to be called i_scope is left alone
    assert inline_scope_macros("with i_scope as (select 1) select * from i_scope") == (
        "with i_scope as (select 1) select * from i_scope"
    )


@pytest.mark.parametrize("name", ["organisation", "personal_nyckeltal", "aktiviteter_i_scope", "mal_for_ar"])
def test_written_out_scope_gives_the_macro_result(fixture_dir, name):
    con = connect(fixture_dir)
    for scope in (
        Scope(),
        Scope.of([FA]),
        Scope.of([FA], [AY]),
        Scope.of((), [AX]),
        Scope.of([FB], (), ["Enhet Z1"]),
    ):
        params = {"period": "2024-09-01", "ar": 2024, **scope.params()}
        text = sql_text(name)
        bound = {k: v for k, v in params.items() if re.search(rf"\${k}\b", text)}
        with_macros = con.cursor().execute(text, bound).df()
        pd.testing.assert_frame_equal(run(con, name, scope, period="2024-09-01", ar=2024), with_macros)
