"""Monthly series cut from one run: within shared_results(months=...), a window of a monthly query
is the rows of one run over all the months, and must be exactly what the window's own run gives."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kfp_metrics import forberedd, queries
from kfp_metrics.extracts import connect as connect_parquet
from kfp_metrics.periods import add_months
from kfp_metrics.queries import MONTHLY_QUERIES, Scope, run, shared_results


@pytest.fixture(
    scope="module", params=["fixture parquet", "fixture förberedd", "analys parquet", "analys förberedd"]
)
def con(request, tmp_path_factory, fixture_dir, analys_dir):
    name, kind = request.param.split()
    data = {"fixture": fixture_dir, "analys": analys_dir}[name]
    if kind == "parquet":
        c = connect_parquet(data)
    else:
        c = forberedd.connect_store(forberedd.build(data, tmp_path_factory.mktemp("state")), data)
    yield c
    c.close()


def _months(con) -> list[dt.date]:
    return sorted(pd.Timestamp(p).date() for p in run(con, "perioder", Scope())["period"])


def _scopes(con) -> list[Scope]:
    org = run(con, "organisation", Scope())
    first, last = org.iloc[0], org.iloc[-1]
    return [
        Scope(),
        Scope.of([first.forvaltning], [first.avdelning]),
        Scope.of((), (), [last.enhet]),
        Scope.of(["Finns inte"]),
    ]


def _windows(cover: tuple[dt.date, dt.date], data_months: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Single months (the cover's ends, P−12, the data's first month and the one before it), the
    year before P, the charts' two years, and windows that begin before the data does (where the
    twelve months back are partly missing)."""
    first, last = cover
    start = data_months[0]
    singles = {first, add_months(first, 1), add_months(last, -12), add_months(last, -1), last, start}
    singles |= {add_months(start, -1)} if add_months(start, -1) >= first else set()
    return [
        *sorted((m, m) for m in singles),
        (add_months(last, -11), last),
        (add_months(last, -23), last),
        (add_months(last, -23), add_months(last, -12)),
        (first, start),
        (start, add_months(start, 2)),
    ]


@pytest.mark.parametrize("name", sorted(MONTHLY_QUERIES))
def test_a_window_cut_from_the_whole_run_is_its_own_run(con, name):
    months = _months(con)
    # The report's cover: P−24..P, here with P the last month of the data and, in a second report,
    # a month in the middle (the cover then starts long before the data).
    for period in (months[-1], months[len(months) // 2]):
        cover = (add_months(period, -24), period)
        for scope in _scopes(con):
            windows = _windows(cover, months)
            own = [run(con, name, scope, fran=f, till=t) for f, t in windows]
            with shared_results(months=cover):
                cut = [run(con, name, scope, fran=f, till=t) for f, t in windows]
            for (f, t), a, b in zip(windows, own, cut, strict=True):
                pd.testing.assert_frame_equal(
                    b, a, check_exact=False, rtol=1e-12, obj=f"{name} {scope} {f}..{t}"
                )


def test_the_months_run_once_for_every_window_inside_them(con, monkeypatch):
    period = _months(con)[-1]
    cover = (add_months(period, -24), period)
    asked = []
    real = queries._run

    def counting(c, name, scope, params):
        asked.append((name, params.get("fran"), params.get("till")))
        return real(c, name, scope, params)

    monkeypatch.setattr(queries, "_run", counting)
    with shared_results(months=cover):
        run(con, "heltid_per_manad", Scope(), fran=period, till=period)
        run(con, "heltid_per_manad", Scope(), fran=add_months(period, -12), till=add_months(period, -12))
        chart = run(con, "heltid_per_manad", Scope(), fran=add_months(period, -23), till=period)
        # Outside the months, or not a first day, or not a monthly query: asked on its own.
        run(con, "heltid_per_manad", Scope(), fran=add_months(period, -25), till=period)
        run(con, "heltid_per_manad", Scope(), fran=period, till=period + dt.timedelta(days=3))
        run(con, "personal_per_manad", Scope(), fran=period, till=period)
    assert asked == [
        ("heltid_per_manad", *cover),
        ("heltid_per_manad", add_months(period, -25), period),
        ("heltid_per_manad", period, period + dt.timedelta(days=3)),
        ("personal_per_manad", period, period),
    ]
    # The chart's rows are its 24 months (or as many of them as the data holds), numbered from 0.
    assert list(chart.index) == list(range(len(chart)))
    assert all(add_months(period, -23) <= pd.Timestamp(p).date() <= period for p in chart["period"])


def test_a_timestamp_window_is_not_cut(con, monkeypatch):
    period = _months(con)[-1]
    asked = []
    real = queries._run
    monkeypatch.setattr(queries, "_run", lambda c, n, s, p: asked.append(p) or real(c, n, s, p))
    with shared_results(months=(add_months(period, -24), period)):
        run(con, "tillsvidare_per_manad", Scope(), fran=pd.Timestamp(period), till=pd.Timestamp(period))
    assert [type(p["fran"]) for p in asked] == [pd.Timestamp]
