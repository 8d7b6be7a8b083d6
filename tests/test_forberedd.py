"""The prepared store: same figures as from Parquet, never used stale or half-built."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kfp_metrics import forberedd, nyckeltal
from kfp_metrics.extracts import connect as connect_parquet
from kfp_metrics.extracts import has_column, has_table
from kfp_metrics.queries import PREPARED_DIR, Scope, run

ROOT = Path(__file__).resolve().parent.parent


# --- data sets -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory) -> Path:
    """Generated sample data (scale 1, two years), as the app would get from an HR system."""
    out = tmp_path_factory.mktemp("prov") / "data"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "kfp_metrics",
            "generate",
            "--out",
            str(out),
            "--start",
            "2024-11",
            "--end",
            "2026-10",
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return out


@pytest.fixture(scope="module", params=["fixture", "analys", "prov", "fixture utan kopia"])
def both(request, tmp_path_factory, fixture_dir, analys_dir, sample_dir):
    """(data dir, Parquet connection, prepared-store connection) for each data set; the last
    without the copy file (as after `nyckeltal`: anstallningar then read from its Parquet)."""
    name = request.param.removesuffix(" utan kopia")
    data = {"fixture": fixture_dir, "analys": analys_dir, "prov": sample_dir}[name]
    state = tmp_path_factory.mktemp("state")
    path = forberedd.build(data, state, copy=not request.param.endswith("utan kopia"))
    assert (forberedd.find_copy(path) is None) == request.param.endswith("utan kopia")
    a, b = connect_parquet(data), forberedd.connect_store(path, data)
    yield data, a, b
    a.close()
    b.close()


def _scopes(con) -> list[Scope]:
    org = run(con, "organisation", Scope())
    first = org.iloc[0]
    last = org.iloc[-1]
    return [
        Scope(),
        Scope.of([first.forvaltning]),
        Scope.of([first.forvaltning], [first.avdelning]),
        Scope.of((), (), [last.enhet]),
        Scope.of((), [first.avdelning, last.avdelning]),
        Scope.of(["Finns inte"]),
    ]


def _periods(con) -> list[dt.date]:
    months = sorted(pd.Timestamp(p).date() for p in run(con, "perioder", Scope())["period"])
    return [months[-1], months[len(months) // 2], months[0]]


# --- the store's contents --------------------------------------------------------------------


def test_store_resolves_the_contract_names_and_columns(both):
    data, a, b = both
    assert forberedd.is_prepared(b) and not forberedd.is_prepared(a)
    for table in ("anstallningar", "franvaro", "handelser", "medarbetarenkat", "incidenter", "kompetensgap"):
        assert has_table(b, table) == has_table(a, table)
        if has_table(a, table):
            cols_a = a.execute(f"describe {table}").fetchall()
            cols_b = b.execute(f"describe {table}").fetchall()
            assert [c[:2] for c in cols_a] == [c[:2] for c in cols_b]
            count = f"select count(*) from {table}"
            assert a.execute(count).fetchone() == b.execute(count).fetchone()
    for table, column in (("anstallningar", "faktisk_sysselsattningsgrad"), ("incidenter", "orsak")):
        assert has_column(b, table, column) == has_column(a, table, column)


def test_sums_and_person_rows_are_franvaro_with_its_anstallningar_row(tmp_path):
    # P1 in E1 (January) and E2 (February), P2 in E1 (February); every tiny row is a kvinna born
    # 1980, so 46 years old in 2026 (group 30–49).
    rows = [("P1", "2026-01", "E1", 100.0), ("P1", "2026-02", "E2", 90.0), ("P2", "2026-02", "E1", 50.0)]
    data = _write_tiny(tmp_path / "data", rows)
    con = forberedd.connect_store(forberedd.build(data, tmp_path / "state"), data)
    sums = con.execute(
        "select strftime(period, '%Y-%m'), enhet, kon_grupp, aldersgrupp, ordinarie_timmar "
        "from sjuk_summor order by period, enhet"
    ).fetchall()
    assert sums == [
        ("2026-01", "E1", "kvinnor", "30_49", 100.0),
        ("2026-02", "E1", "kvinnor", "30_49", 50.0),
        ("2026-02", "E2", "kvinnor", "30_49", 90.0),
    ]
    persons = con.execute(
        "select person_id, enhet, manader from sjuk_personar order by enhet, manader"
    ).fetchall()
    # E1: P1 in January (bit 0) and P2 in February (bit 1); E2: P1 in February.
    assert persons == [("P1", "E1", 1), ("P2", "E1", 2), ("P1", "E2", 2)]

    # The person-month tables are not copied into the summaries file: franvaro is read from its
    # Parquet, anstallningar from the copy file.
    def tables(catalog):
        query = "select table_name from duckdb_tables() where database_name = $db"
        return {r[0] for r in con.execute(query, {"db": catalog}).fetchall()}

    assert {"franvaro", "anstallningar"}.isdisjoint(tables("forberedd"))
    assert "handelser" not in tables("forberedd")  # the tiny extracts have no handelser
    assert "anstallningar" in tables("forberedd_kopia")
    assert con.execute("select count(*) from franvaro").fetchone() == (3,)


# --- same results from both paths ------------------------------------------------------------


def _same(x: pd.DataFrame, y: pd.DataFrame, name: str) -> None:
    if name == "sjukfranvaro_per_grupp":  # the query has no order: its rows are looked up by grupp
        x, y = x.sort_values("grupp"), y.sort_values("grupp")
    pd.testing.assert_frame_equal(
        x.reset_index(drop=True), y.reset_index(drop=True), check_exact=False, rtol=1e-9, atol=1e-9
    )


@pytest.mark.parametrize("name", sorted(p.stem for p in PREPARED_DIR.glob("*.sql")))
def test_every_prepared_query_gives_the_parquet_result(both, name):
    _, a, b = both
    assert (PREPARED_DIR.parent / f"{name}.sql").is_file()
    for scope in _scopes(a):
        for till in _periods(a):
            for months in (1, 12, 30):
                fran = (pd.Timestamp(till) - pd.DateOffset(months=months - 1)).date()
                # slut: the last day of till, for the queries that count events up to it.
                slut = (pd.Timestamp(till) + pd.offsets.MonthEnd(0)).date()
                x = run(a, name, scope, fran=fran, till=till, period=till, slut=slut)
                y = run(b, name, scope, fran=fran, till=till, period=till, slut=slut)
                _same(x, y, name)


def _close(x, y, path="") -> None:
    if isinstance(x, dict):
        assert isinstance(y, dict) and list(x) == list(y), path
        for key in x:
            _close(x[key], y[key], f"{path}.{key}")
    elif isinstance(x, list):
        assert isinstance(y, list) and len(x) == len(y), path
        for i, (u, v) in enumerate(zip(x, y, strict=True)):
            _close(u, v, f"{path}[{i}]")
    elif isinstance(x, float) and isinstance(y, float):
        assert math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9), (path, x, y)
    else:
        assert x == y, (path, x, y)


def test_every_nyckeltal_metric_is_the_same(both, tmp_path):
    _, a, b = both
    today = dt.date(2026, 11, 15)
    for scope in _scopes(a):
        for period in _periods(a):
            x = nyckeltal.compute(a, period, scope, state_dir=tmp_path, today=today)
            y = nyckeltal.compute(b, period, scope, state_dir=tmp_path, today=today)
            _close(x, y)
            assert json.dumps(x, sort_keys=True) != "" and x["undertryckta"] == y["undertryckta"]


def test_sections_are_the_whole_objects_parts(fixture_dir, tmp_path):
    con = connect_parquet(fixture_dir)
    period = dt.date(2026, 10, 1)
    whole = nyckeltal.compute(con, period, Scope(), state_dir=tmp_path)
    part = nyckeltal.compute(con, period, Scope(), state_dir=tmp_path, sections=("personal", "sjukfranvaro"))
    assert list(part) == ["period", "scope", "personal", "sjukfranvaro", "undertryckta"]
    assert part["personal"] == whole["personal"] and part["sjukfranvaro"] == whole["sjukfranvaro"]
    sick = [u for u in whole["undertryckta"] if u in part["undertryckta"]]
    assert part["undertryckta"] == sick


# --- the rolling window's distinct persons, by hand ------------------------------------------


def _write_tiny(directory: Path, rows: list[tuple[str, str, str, float]]) -> Path:
    """anstallningar and franvaro with rows (person, month, enhet, ordinarie_timmar)."""
    directory.mkdir(parents=True, exist_ok=True)
    periods = [dt.date.fromisoformat(m + "-01") for _, m, _, _ in rows]
    anst = pa.table(
        {
            "period": pa.array(periods, pa.date32()),
            "person_id": [p for p, _, _, _ in rows],
            "forvaltning": ["F"] * len(rows),
            "avdelning": ["A"] * len(rows),
            "enhet": [e for _, _, e, _ in rows],
            "befattning": ["Undersköterska"] * len(rows),
            "kon": ["K"] * len(rows),
            "fodelsear": pa.array([1980] * len(rows), pa.int32()),
            "anstallningsform": ["tillsvidare"] * len(rows),
            "sysselsattningsgrad": [100.0] * len(rows),
        }
    )
    fr = pa.table(
        {
            "period": pa.array(periods, pa.date32()),
            "person_id": [p for p, _, _, _ in rows],
            "ordinarie_timmar": [t for _, _, _, t in rows],
            "sjuk_timmar": [0.0] * len(rows),
            "sjuk_kort_timmar": [0.0] * len(rows),
            "sjuk_lang_timmar": [0.0] * len(rows),
        }
    )
    pq.write_table(anst, directory / "anstallningar.parquet")
    pq.write_table(fr, directory / "franvaro.parquet")
    return directory


# P1: scheduled hours in 2025-01 and 2026-03 (a gap of 14 months), moving from enhet E1 to E2.
# P2: 2025-06 in E1 with 0 hours (does not count), 2025-12 in E2.
TWO_PERSONS = [
    ("P1", "2025-01", "E1", 100.0),
    ("P1", "2026-03", "E2", 100.0),
    ("P2", "2025-06", "E1", 0.0),
    ("P2", "2025-12", "E2", 80.0),
]


def test_rolling_distinct_persons_follow_each_persons_months(tmp_path):
    data = _write_tiny(tmp_path / "data", TWO_PERSONS)
    con = forberedd.connect_store(forberedd.build(data, tmp_path / "state"), data)
    frame = run(con, "sjukfranvaro_per_manad", Scope(), fran=dt.date(2025, 1, 1), till=dt.date(2026, 3, 1))
    personer = {
        pd.Timestamp(p).strftime("%Y-%m"): n for p, n in zip(frame["period"], frame["personer"], strict=True)
    }
    # Months present in franvaro: 2025-01, 2025-06, 2025-12, 2026-03.
    # 2025-01: P1. 2025-06: P1 (2025-01 is in its window); P2 has no hours. 2025-12: P1 (window
    # 2025-01..12) and P2. 2026-03: window 2025-04..2026-03: P1 (2026-03) and P2 (2025-12).
    assert personer == {"2025-01": 1, "2025-06": 1, "2025-12": 2, "2026-03": 2}
    # Scope E2 alone: P1 only from 2026-03, P2 from 2025-12.
    e2 = run(
        con,
        "sjukfranvaro_per_manad",
        Scope.of((), (), ["E2"]),
        fran=dt.date(2025, 1, 1),
        till=dt.date(2026, 3, 1),
    )
    assert list(e2["personer"]) == [0, 0, 1, 2]
    assert list(e2["ordinarie_timmar"]) == [0.0, 0.0, 80.0, 180.0]


def test_window_persons_and_sums_by_group_from_the_monthly_bits(tmp_path):
    # The same four rows: P1 in 2025-01 (E1) and 2026-03 (E2); P2 in 2025-06 (E1, no hours) and
    # 2025-12 (E2). Both kvinnor born 1980: 45 and 46 years old, group 30–49 in both years.
    data = _write_tiny(tmp_path / "data", TWO_PERSONS)
    con = forberedd.connect_store(forberedd.build(data, tmp_path / "state"), data)
    # One row per person, year and enhet; months as bits (month m at bit m−1), P2's 2025-06
    # left out (no scheduled hours).
    bits = con.execute(
        "select person_id, ar, enhet, manader, grupper from sjuk_personar order by ar, enhet"
    ).fetchall()
    assert [(ar, enhet, manader) for _, ar, enhet, manader, _ in bits] == [
        (2025, "E1", 1),
        (2025, "E2", 1 << 11),
        (2026, "E2", 1 << 2),
    ]
    assert {grupper for *_, grupper in bits} == {1 | 16}  # kvinnor, 30–49

    def groups(fran, till, scope=None):
        frame = run(con, "sjukfranvaro_per_grupp", scope or Scope(), fran=fran, till=till)
        return {r.grupp: (r.ordinarie_timmar, r.personer) for r in frame.itertuples()}

    # 2025-04 … 2026-03: P1 (2026-03) and P2 (2025-12); hours 80 + 100 (P2's 0-hour month is
    # before the window).
    assert groups(dt.date(2025, 4, 1), dt.date(2026, 3, 1)) == {
        "total": (180.0, 2),
        "kvinnor": (180.0, 2),
        "30_49": (180.0, 2),
    }
    # 2025-02 … 2026-01: only P2's 2025-06 (0 hours, not counted) and 2025-12.
    assert groups(dt.date(2025, 2, 1), dt.date(2026, 1, 1))["total"] == (80.0, 1)
    # 2025: P1's 2025-01 and P2's 2025-12; within E1 only P1 (P2's E1 month has no hours).
    assert groups(dt.date(2025, 1, 1), dt.date(2025, 12, 1))["total"] == (180.0, 2)
    assert groups(dt.date(2025, 1, 1), dt.date(2025, 12, 1), Scope.of((), (), ["E1"]))["total"] == (100.0, 1)


def test_jamstalldhet_window_persons_spread_into_the_next_year(tmp_path):
    # The same rows: a person counts for a month when one of its months with scheduled hours lies
    # in the 12 months ending it, across the year boundary too (P1's 2025-01 counts until 2025-12).
    data = _write_tiny(tmp_path / "data", TWO_PERSONS)
    con = forberedd.connect_store(forberedd.build(data, tmp_path / "state"), data)
    params = {"fran": dt.date(2025, 1, 1), "till": dt.date(2026, 3, 1)}
    frame = run(con, "jamstalldhet_sjuk_per_kon_och_manad", Scope(), **params)
    personer = {
        pd.Timestamp(p).strftime("%Y-%m"): n for p, n in zip(frame["period"], frame["personer"], strict=True)
    }
    # 2025-01..11: P1; 2025-12: P1 and P2; 2026-01..02: P2 (P1's 2025-01 is out of the window); 2026-03: both.
    assert personer == {
        **{f"2025-{m:02d}": 1 for m in range(1, 12)},
        "2025-12": 2,
        "2026-01": 1,
        "2026-02": 1,
        "2026-03": 2,
    }
    _same(frame, run(connect_parquet(data), "jamstalldhet_sjuk_per_kon_och_manad", Scope(), **params), "")
    e2 = run(con, "jamstalldhet_sjuk_per_kon_och_manad", Scope.of((), (), ["E2"]), **params)
    assert list(e2["personer"])[-4:] == [1, 1, 1, 2]


# --- stale and half-built stores -------------------------------------------------------------


def test_stale_store_is_never_used_and_is_rebuilt(tmp_path):
    data = _write_tiny(tmp_path / "data", [("P1", "2026-01", "E1", 100.0)])
    state = tmp_path / "state"
    old = forberedd.build(data, state)
    assert forberedd.find(data, state) == old
    # The extracts change: a second person.
    time.sleep(0.01)
    _write_tiny(data, [("P1", "2026-01", "E1", 100.0), ("P2", "2026-01", "E1", 50.0)])
    assert forberedd.find(data, state) is None
    con = forberedd.connect(data, prepare=True, state=state)
    assert forberedd.is_prepared(con)
    new = forberedd.find(data, state)
    assert new is not None and new != old and not old.exists()
    assert con.execute("select count(*), sum(ordinarie_timmar) from sjuk_summor").fetchone() == (1, 150.0)


def test_a_file_without_its_marker_is_never_opened(tmp_path):
    data = _write_tiny(tmp_path / "data", [("P1", "2026-01", "E1", 100.0)])
    state = tmp_path / "state"
    fp = forberedd.extracts_fingerprint(data, state)
    path = forberedd.store_path(fp, state)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A file under the final name holding tables but no marker (as if written by hand or cut short).
    con = duckdb.connect(str(path))
    con.execute("create table sjuk_summor as select 1 as x")
    con.close()
    assert forberedd.find(data, state) is None
    assert not forberedd.is_prepared(forberedd.connect(data, state=state))


def test_interrupted_before_the_rename_leaves_nothing_usable(tmp_path, monkeypatch):
    data = _write_tiny(tmp_path / "data", [("P1", "2026-01", "E1", 100.0)])
    state = tmp_path / "state"

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(forberedd.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        forberedd.build(data, state)
    monkeypatch.undo()
    assert forberedd.find(data, state) is None
    assert list((state / "forberedd").glob("*.duckdb")) == []
    assert list((state / "forberedd").glob(".*bygger*")) == []  # the half-built file is removed
    assert not forberedd.is_prepared(forberedd.connect(data, state=state))


def test_killed_preparation_is_never_used(sample_dir, tmp_path):
    state = tmp_path / "state"
    code = (
        "import sys, time; from kfp_metrics import forberedd\n"
        "def slow(fraction, text):\n"
        "    if fraction and fraction > 0.2: print('halvvägs', flush=True); time.sleep(60)\n"
        f"forberedd.build({str(sample_dir)!r}, {str(state)!r}, progress=slow)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ}
    )
    try:
        assert proc.stdout.readline().strip() == "halvvägs"
        half = list((state / "forberedd").glob(".*bygger"))
        assert len(half) == 1  # being written under its temporary name
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert forberedd.find(sample_dir, state) is None
    con = forberedd.connect(sample_dir, state=state)
    assert not forberedd.is_prepared(con)
    # The next preparation removes the dead process's file and builds a complete store.
    path = forberedd.ensure(sample_dir, state)
    assert forberedd.find(sample_dir, state) == path
    assert list((state / "forberedd").glob(".*bygger*")) == []


def test_copy_file_is_used_only_when_complete_and_of_these_extracts(sample_dir, tmp_path):
    state = tmp_path / "state"
    store = forberedd.build(sample_dir, state, copy=False)
    copy = forberedd.copy_path(store)

    def reads_copy() -> bool:
        con = forberedd.connect(sample_dir, state=state)
        query = (
            "select 1 from duckdb_views() where view_name = 'anstallningar' and sql like '%forberedd_kopia%'"
        )
        return bool(con.execute(query).fetchall())

    assert not copy.exists() and not reads_copy() and forberedd.find_whole(sample_dir, state) is None
    # A file under the copy's name without a marker (cut short, or written by hand) is not read.
    con = duckdb.connect(str(copy))
    con.execute("create table anstallningar as select 1 as x")
    con.close()
    assert forberedd.find_copy(store) is None and not reads_copy()
    copy.unlink()
    # A complete copy of other extracts (another fingerprint) is not read either.
    other = tmp_path / "annan"
    _write_tiny(other, [("P1", "2026-01", "E1", 100.0)])
    other_store = forberedd.build(other, tmp_path / "annat-state")
    os.replace(forberedd.copy_path(other_store), copy)
    assert forberedd.find_copy(store) is None and not reads_copy()
    copy.unlink()
    # ensure() builds only the missing copy, keeping the summaries file.
    before = store.stat().st_mtime_ns
    assert forberedd.ensure(sample_dir, state) == store and store.stat().st_mtime_ns == before
    assert forberedd.find_whole(sample_dir, state) == store and reads_copy()


def test_killed_copy_is_never_used(sample_dir, tmp_path):
    state = tmp_path / "state"
    store = forberedd.build(sample_dir, state, copy=False)
    code = (
        "import sys, time; from kfp_metrics import forberedd\n"
        "def slow(fraction, text):\n"
        "    if text.startswith('Tabell anstallningar'): print('halvvägs', flush=True); time.sleep(60)\n"
        f"forberedd.ensure({str(sample_dir)!r}, {str(state)!r}, progress=slow)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ}
    )
    try:
        assert proc.stdout.readline().strip() == "halvvägs"
        assert len(list((state / "forberedd").glob(".*kopia*bygger"))) == 1
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert forberedd.find(sample_dir, state) == store and forberedd.find_copy(store) is None
    con = forberedd.connect(sample_dir, state=state)
    assert forberedd.is_prepared(con)
    parquet = connect_parquet(sample_dir)
    count = "select count(*), count(distinct person_id) from anstallningar"
    assert con.execute(count).fetchone() == parquet.execute(count).fetchone()
    assert forberedd.ensure(sample_dir, state) == store and forberedd.find_copy(store) is not None
    assert list((state / "forberedd").glob(".*bygger*")) == []


def test_forbered_command_prints_progress_in_swedish(fixture_dir, tmp_path):
    env = {**os.environ, "KFP_STATE_DIR": str(tmp_path)}
    cmd = [sys.executable, "-m", "kfp_metrics", "forbered", "--data", str(fixture_dir)]
    first = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    assert first.returncode == 0, first.stderr
    assert "Förbereder extrakten" in first.stderr and "Tabell anstallningar: 287 rader" in first.stderr
    assert "100 % Klart" in first.stderr
    path = Path(first.stdout.strip())
    assert path.is_file() and forberedd.read_marker(path)["version"] == forberedd.VERSION
    again = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    assert again.returncode == 0 and "redan förberedda" in again.stderr and again.stdout.strip() == str(path)
    missing = subprocess.run(
        [*cmd[:-1], str(tmp_path / "saknas")], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert missing.returncode == 1 and "finns inte" in missing.stderr and "Traceback" not in missing.stderr


def test_the_build_is_bounded_in_memory_unless_the_caller_sets_its_own(tmp_path, monkeypatch):
    """The app, the server and `forbered` set no limit: the build still gets one (3000 MB), as
    the CLI's first run; a caller's own limit wins."""
    data = _write_tiny(tmp_path / "data", [("P1", "2026-01", "E1", 100.0)])
    seen = []
    real = forberedd.bygg.connect_parquet

    def recording(*args, **kwargs):
        con = real(*args, **kwargs)
        seen.append(con.execute("select current_setting('memory_limit')").fetchone()[0])
        return con

    def limit(text):
        con = duckdb.connect()
        con.execute(f"set memory_limit = '{text}'")
        return con.execute("select current_setting('memory_limit')").fetchone()[0]

    monkeypatch.setattr(forberedd.bygg, "connect_parquet", recording)
    forberedd.build(data, tmp_path / "state")  # the summaries file and the copy
    assert seen == [limit("3000MB")] * 2
    seen.clear()
    forberedd.build(data, tmp_path / "state2", memory_limit="500MB")
    assert seen == [limit("500MB")] * 2
    assert limit("500MB") != limit("3000MB")


def test_a_store_file_written_again_is_read_again(tmp_path):
    """read_marker remembers a file's marker only while the file is unchanged: a store rebuilt in
    place (another fingerprint) and a half-built one (no marker yet) are never taken for the old."""
    import duckdb

    path = tmp_path / "lager.duckdb"

    def write(fp: str | None) -> None:
        path.unlink(missing_ok=True)
        con = duckdb.connect(str(path))
        con.execute("create table t as select 1 as x")
        if fp is not None:
            con.execute(
                f"create table {forberedd.MARKER} as select '{fp}' as fingerprint, "
                f"{forberedd.VERSION} as version, 'sammanstallning' as del"
            )
        con.close()

    write("aaaa")
    assert forberedd.read_marker(path)["fingerprint"] == "aaaa"
    write(None)  # being rebuilt: no marker
    assert forberedd.read_marker(path) is None
    write("bbbb")
    assert forberedd.read_marker(path)["fingerprint"] == "bbbb"
    path.unlink()
    assert forberedd.read_marker(path) is None
