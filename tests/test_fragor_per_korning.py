"""What one run of a page asks the data: a question its figures share is asked once (app.py runs
every page within queries.shared_results)."""

from __future__ import annotations

import collections

import pytest
import streamlit as st
from apptest_helpers import all_text, app_test

from kfp_metrics import queries

FA, AX = "Förvaltning A", "Avdelning X"


@pytest.fixture()
def asked(monkeypatch):
    st.cache_data.clear()  # a page's first visit: nothing cached from another test
    names: list[tuple] = []
    real = queries._run

    def counting(con, name, scope, params):
        names.append((name, scope, tuple(sorted((k, str(v)) for k, v in params.items()))))
        return real(con, name, scope, params)

    monkeypatch.setattr(queries, "_run", counting)
    return names


def test_personal_asks_each_question_once(monkeypatch, fixture_dir, state_dir, asked):
    """The headcount card and the gender line both read the P snapshot, and the age pyramid and
    the mean age per kön both read the pyramid: cached apart, they used to run twice."""
    query = {"period": "2024-09", "forvaltning": FA, "avdelning": AX}
    at = app_test(monkeypatch, fixture_dir, state_dir, query)
    at.switch_page("pages/personal.py").run()
    assert not at.exception
    repeated = {key: n for key, n in collections.Counter(asked).items() if n > 1}
    assert repeated == {}
    names = [name for name, _, _ in asked]
    assert names.count("personal_nyckeltal") == 1 and names.count("personal_alderspyramid") == 1
    # Avdelning X in September 2024, by hand from fixture_data: tillsvidare p01–p10, p09 and p10 men.
    assert "10 tillsvidareanställda, varav 8 kvinnor och 2 män." in all_text(at)


def test_a_question_is_asked_again_in_the_next_run(monkeypatch, fixture_dir, state_dir, asked):
    """Sharing lasts one run: after the caches are cleared (as an import of new extracts does), the
    next run asks again instead of reusing the earlier run's answer."""
    at = app_test(monkeypatch, fixture_dir, state_dir, {"period": "2024-09"})
    at.switch_page("pages/personal.py").run()
    first = len([a for a in asked if a[0] == "personal_nyckeltal"])
    st.cache_data.clear()
    at.run()
    assert not at.exception
    assert len([a for a in asked if a[0] == "personal_nyckeltal"]) == 2 * first == 2


def test_oversikt_asks_the_tillsvidare_headcounts_of_both_years_once(
    monkeypatch, fixture_dir, state_dir, asked
):
    """The cards ask for the tillsvidare headcount of P−12 and P−24 and for both 12-month windows
    (four queries when asked one by one): one query over the 25 months answers them. The fixture's
    months are 2023-09..2024-09, so P−24 (2022-09) has no row in it and is asked on its own
    (an empty answer is never cut from another). The figures are those of the hand count."""
    at = app_test(monkeypatch, fixture_dir, state_dir, {"period": "2024-09"})
    at.run()
    assert not at.exception
    names = [name for name, _, _ in asked]
    assert names.count("tillsvidare_per_manad") == 2
    assert names.count("personal_nyckeltal") == 2  # P and P−12: the snapshots themselves
    text = all_text(at)
    # 16 tillsvidare against 20 in September 2023; turnover 4 leavers over the mean 209/12.
    assert "-4 (-20,0\u00a0%) mot september 2023" in text
    assert "23,0\u00a0%" in text


def test_rorlighet_asks_the_headcounts_of_both_years_once(monkeypatch, fixture_dir, state_dir, asked):
    """The turnover of P and of P−12 divides by the mean tillsvidare headcount of their 12 months:
    one query over the 25 months answers both windows (2023-10..2024-09 and, of the fixture's
    months, 2023-09 alone)."""
    at = app_test(monkeypatch, fixture_dir, state_dir, {"period": "2024-09"})
    at.switch_page("pages/rorlighet.py").run()
    assert not at.exception
    assert [name for name, _, _ in asked].count("tillsvidare_per_manad") == 1
    # 4 tillsvidare leavers over the mean headcount 209/12 (fixture_data): 100·4/(209/12) = 22,97 %.
    assert "23,0\u00a0%" in all_text(at)


def test_a_nested_block_shares_the_outer_blocks_answers(con, asked):
    """A page's own block (with its months) within the run's: a question asked outside and inside
    runs once, and the inner block's months cut its monthly queries."""
    import datetime as dt

    from kfp_metrics.queries import Scope, run, shared_results

    sep23, sep24 = dt.date(2023, 9, 1), dt.date(2024, 9, 1)
    with shared_results():
        outside = run(con, "organisation", Scope())
        with shared_results(months=(sep23, sep24)):
            inside = run(con, "organisation", Scope())
            one = run(con, "tillsvidare_per_manad", Scope(), fran=sep24, till=sep24)
            run(con, "tillsvidare_per_manad", Scope(), fran=sep23, till=sep23)
        after = run(con, "organisation", Scope())
    assert [name for name, _, _ in asked] == ["organisation", "tillsvidare_per_manad"]
    assert outside.equals(inside) and inside.equals(after)
    # 16 tillsvidare in September 2024 (fixture_data; as on Översikt).
    assert one["antal_tillsvidare"].tolist() == [16]
