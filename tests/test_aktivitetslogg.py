"""The activity change log: durability, ordering, tolerance of damage, concurrency, current plan."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kfp_metrics.aktivitetslogg import (
    STATUS_LABELS,
    STATUSES,
    Change,
    LogLockedError,
    append_change,
    current_plan,
    forsenade,
    history,
    latest_by_activity,
    read_changes,
    reference_date,
    state_dir,
    summarize,
)
from kfp_metrics.tillstand import lager

ROOT = Path(__file__).resolve().parent.parent
ISO_UTC_US = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$")


def make_data_dir(path: Path, rows: list[dict]) -> Path:
    """A data dir holding only aktiviteter.parquet with the contract's columns."""
    columns = {
        "aktivitet_id": pa.string(),
        "forvaltning": pa.string(),
        "avdelning": pa.string(),
        "ubaria": pa.string(),
        "mal": pa.string(),
        "aktivitet": pa.string(),
        "maldatum": pa.date32(),
        "ansvarig": pa.string(),
        "status": pa.string(),
        "uppfoljning": pa.string(),
        "nyckeltal": pa.string(),
        "kompetensomrade": pa.string(),
    }
    arrays = [pa.array([r.get(name) for r in rows], type=t) for name, t in columns.items()]
    path.mkdir(parents=True, exist_ok=True)
    pq.write_table(
        pa.Table.from_arrays(arrays, schema=pa.schema(list(columns.items()))), path / "aktiviteter.parquet"
    )
    return path


PLAN_ROWS = [
    {"aktivitet_id": "A-001", "forvaltning": "Socialförvaltningen", "avdelning": None, "ubaria": "utveckla",
     "mal": "Nära ledarskap", "aktivitet": "Chefsforum", "maldatum": dt.date(2025, 6, 30),
     "ansvarig": "HR-chef", "status": "pagar", "uppfoljning": "Två forum hållna"},
    {"aktivitet_id": "A-002", "forvaltning": "Socialförvaltningen", "avdelning": "Vuxna", "ubaria": "behalla",
     "mal": "Hållbar arbetsbelastning", "aktivitet": "Månadsuppföljning", "maldatum": dt.date(2025, 12, 31),
     "ansvarig": "Enhetschef", "status": "ej_paborjad", "uppfoljning": None},
    {"aktivitet_id": "A-003", "forvaltning": "Socialförvaltningen", "avdelning": "Barn och unga",
     "ubaria": "avsluta", "mal": "Lära av avgångar", "aktivitet": "Exitsamtal", "maldatum": None,
     "ansvarig": "HR", "status": "klar", "uppfoljning": None},
]  # fmt: skip


def files_in(state: Path) -> dict[int, dict]:
    """Every stored change by seq, as read straight from the state store's SQLite file."""
    path = state / "tillstand.sqlite3"
    if not path.exists():
        return {}
    con = sqlite3.connect(path)
    try:
        rows = con.execute(
            "select seq, aktivitet_id, status, kommentar, av, av_id, tid, kalla from andringar"
        )
        names = [d[0] for d in rows.description]
        return {r[0]: dict(zip(names, r, strict=True)) for r in rows.fetchall()}
    finally:
        con.close()


def test_state_dir_from_env_and_default(monkeypatch, tmp_path):
    monkeypatch.setenv("KFP_STATE_DIR", str(tmp_path / "s"))
    assert state_dir() == tmp_path / "s"
    monkeypatch.delenv("KFP_STATE_DIR")
    assert state_dir() == ROOT / "state"


def test_env_state_dir_is_used_when_none_given(monkeypatch, tmp_path):
    monkeypatch.setenv("KFP_STATE_DIR", str(tmp_path))
    append_change("A-001", "klar", None, "Eva")
    assert [c.seq for c in read_changes(tmp_path)] == [1]


def test_statuses_and_labels():
    assert STATUSES == ("ej_paborjad", "pagar", "klar", "installd")
    assert STATUS_LABELS == {
        "ej_paborjad": "Ej påbörjad",
        "pagar": "Pågår",
        "klar": "Klar",
        "installd": "Inställd",
    }


def test_append_returns_the_stored_change(tmp_path):
    change = append_change("A-001", "pagar", "Startat", "  Anna Svensson ", state_dir=tmp_path)
    assert isinstance(change, Change)
    assert (change.aktivitet_id, change.status, change.kommentar, change.av, change.seq) == (
        "A-001", "pagar", "Startat", "Anna Svensson", 1,
    )  # fmt: skip
    # Stored in UTC, to the microsecond; shown in Swedish local time.
    assert ISO_UTC_US.match(change.tid), change.tid
    moment = dt.datetime.fromisoformat(change.tid)
    assert abs(moment - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    assert files_in(tmp_path) == {1: {"seq": 1, "aktivitet_id": "A-001", "status": "pagar", "kommentar": "Startat",
                                      "av": "Anna Svensson", "av_id": None, "tid": change.tid, "kalla": "app"}}  # fmt: skip
    assert read_changes(tmp_path) == [change]


def test_order_history_and_latest_wins(tmp_path):
    append_change("A-001", "pagar", "Start", "Anna", state_dir=tmp_path)
    append_change("A-002", "pagar", None, "Bo", state_dir=tmp_path)
    append_change("A-001", "klar", "Klart", "Anna", state_dir=tmp_path)
    append_change("A-001", "pagar", "Rättelse: inte klart än", "Cecilia", state_dir=tmp_path)

    changes = read_changes(tmp_path)
    assert [c.seq for c in changes] == [1, 2, 3, 4]
    assert [(c.aktivitet_id, c.status) for c in changes] == [
        ("A-001", "pagar"), ("A-002", "pagar"), ("A-001", "klar"), ("A-001", "pagar"),
    ]  # fmt: skip
    assert [c.tid for c in changes] == sorted(c.tid for c in changes)
    assert [(c.seq, c.status) for c in history("A-001", state_dir=tmp_path)] == [
        (1, "pagar"),
        (3, "klar"),
        (4, "pagar"),
    ]
    assert history("A-999", state_dir=tmp_path) == []
    latest = latest_by_activity(state_dir=tmp_path)
    assert {k: (v.status, v.av, v.seq) for k, v in latest.items()} == {
        "A-001": ("pagar", "Cecilia", 4),
        "A-002": ("pagar", "Bo", 2),
    }


def test_history_is_never_rewritten(tmp_path):
    append_change("A-001", "klar", "Felaktigt klarmarkerad", "Anna", state_dir=tmp_path)
    before = files_in(tmp_path)
    append_change("A-001", "pagar", "Rättar föregående ändring", "Anna", state_dir=tmp_path)
    after = files_in(tmp_path)
    assert {k: v for k, v in after.items() if k in before} == before
    assert [c.status for c in history("A-001", state_dir=tmp_path)] == ["klar", "pagar"]


def test_empty_or_missing_log_reads_as_empty(tmp_path):
    assert read_changes(tmp_path / "finns-inte") == []
    assert latest_by_activity(tmp_path) == {}


@pytest.mark.parametrize(
    ("aktivitet_id", "status", "kommentar", "av", "fragment"),
    [
        ("A-001", "färdig", None, "Anna", "Okänd status"),
        ("A-001", "Klar", None, "Anna", "Okänd status"),
        ("A-001", "", None, "Anna", "Okänd status"),
        ("A-001", None, None, "Anna", "Okänd status"),
        ("A-001", "klar", None, "", "namn saknas"),
        ("A-001", "klar", None, "   \n", "namn saknas"),
        ("A-001", "klar", None, None, "namn saknas"),
        ("A-001", "klar", "x" * 5001, "Anna", "för lång"),
        ("A-001", "klar", 42, "Anna", "text"),
        ("", "klar", None, "Anna", "id saknas"),
        ("A-001", "klar", "\ud800", "Anna", "ogiltiga tecken"),
        ("A-001", "klar", "före\x00efter", "Anna", "NUL"),
    ],
)
def test_invalid_change_is_refused_and_nothing_written(
    tmp_path, aktivitet_id, status, kommentar, av, fragment
):
    append_change("A-001", "pagar", None, "Anna", state_dir=tmp_path)
    before = files_in(tmp_path)
    with pytest.raises(ValueError, match=fragment):
        append_change(aktivitet_id, status, kommentar, av, state_dir=tmp_path)
    assert files_in(tmp_path) == before


def test_invalid_change_does_not_even_create_the_log(tmp_path):
    with pytest.raises(ValueError):
        append_change("A-001", "okänd", None, "Anna", state_dir=tmp_path / "ny")
    assert not (tmp_path / "ny").exists()


def test_comment_of_exactly_5000_characters_is_accepted(tmp_path):
    text = "å" * 5000
    assert append_change("A-001", "klar", text, "Anna", state_dir=tmp_path).kommentar == text


@pytest.mark.parametrize(
    "text",
    [
        "Hon sa \"klart\" och 'nästan'",
        "rad ett\nrad två\r\nrad tre\n",
        "Klart 🎉👍🏽 – bra jobbat",
        '<script>alert("x")</script> & <b>fet</b>',
        "=SUMMA(A1:A3)",
        "C:\\mapp\\fil.txt \\n inte radbrytning",
        "  inledande och avslutande blanksteg  ",
        "\t\x01\x1f kontrolltecken",
        "",
    ],
)
def test_text_is_stored_verbatim(tmp_path, text):
    append_change("A-001", "pagar", text, "Åsa Öberg-Ängel 😀", state_dir=tmp_path)
    (change,) = read_changes(tmp_path)
    assert change.kommentar == text
    assert change.av == "Åsa Öberg-Ängel 😀"


def test_lock_wait_is_bounded(tmp_path, monkeypatch):
    append_change("A-001", "pagar", None, "Anna", state_dir=tmp_path)
    before = files_in(tmp_path)
    monkeypatch.setattr(lager, "LAS_TIMEOUT_S", 0.3)
    held = sqlite3.connect(tmp_path / "tillstand.sqlite3", isolation_level=None)
    held.execute("begin immediate")  # another writer holds the write lock
    try:
        started = time.monotonic()
        with pytest.raises(LogLockedError, match="upptagen"):
            append_change("A-001", "klar", None, "Bo", state_dir=tmp_path)
        assert 0.25 <= time.monotonic() - started < 3
    finally:
        held.execute("rollback")
        held.close()
    assert files_in(tmp_path) == before
    assert append_change("A-001", "klar", None, "Bo", state_dir=tmp_path).seq == 2


def test_threads_writing_at_once(tmp_path):
    errors = []

    def write(n):
        try:
            for i in range(20):
                append_change(
                    f"A-{n:03d}", STATUSES[i % 4], f"tråd {n} nr {i}", f"Tråd {n}", state_dir=tmp_path
                )
        except Exception as exc:  # noqa: BLE001 - surfaced by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    changes = read_changes(tmp_path)
    assert [c.seq for c in changes] == list(range(1, 81))
    for n in range(4):
        assert [c.kommentar for c in history(f"A-{n:03d}", state_dir=tmp_path)] == [
            f"tråd {n} nr {i}" for i in range(20)
        ]


def _process_writer(state: str, n: int, start, count: int) -> None:
    start.wait()
    for i in range(count):
        append_change(f"A-{n:03d}", "pagar", f"process {n} nr {i}", f"Process {n}", state_dir=state)


def test_eight_processes_writing_at_once(tmp_path):
    ctx = multiprocessing.get_context("fork")
    start = ctx.Event()
    count = 15
    procs = [ctx.Process(target=_process_writer, args=(str(tmp_path), n, start, count)) for n in range(8)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0] * 8
    changes = read_changes(tmp_path)
    assert changes.warnings == []
    assert [c.seq for c in changes] == list(range(1, 8 * count + 1))
    for n in range(8):
        # Each writer's own changes keep the order it made them in.
        assert [c.kommentar for c in history(f"A-{n:03d}", state_dir=tmp_path)] == [
            f"process {n} nr {i}" for i in range(count)
        ]


WRITER = """
import sys
from kfp_metrics.aktivitetslogg import append_change
state, run = sys.argv[1], sys.argv[2]
i = 0
while True:
    change = append_change("A-001", ("pagar", "klar")[i % 2], f"{run}:{i}", "Skrivare", state_dir=state)
    print(change.seq, change.kommentar, flush=True)
    i += 1
"""


def test_writer_killed_at_random_moments_loses_nothing_acknowledged(tmp_path):
    rng = random.Random(20240917)
    acknowledged: dict[int, str] = {}
    for run in range(6):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path), f"körning{run}"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        first = proc.stdout.readline()  # the writer is up and writing
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        for line in (first + rest).splitlines(keepends=True):
            if line.endswith("\n"):
                seq, kommentar = line.split()
                acknowledged[int(seq)] = kommentar
    assert len(acknowledged) >= 6

    changes = read_changes(tmp_path)
    assert changes.warnings == []
    stored = {c.seq: c.kommentar for c in changes}
    assert {seq: stored.get(seq) for seq in acknowledged} == acknowledged
    assert [c.seq for c in changes] == sorted(stored)
    after = append_change("A-001", "klar", "efter", "Kontroll", state_dir=tmp_path)
    assert after.seq == max(stored) + 1
    assert read_changes(tmp_path)[-1] == after


# --- the current plan ------------------------------------------------------------------------


def test_current_plan_without_changes_is_the_adopted_plan(tmp_path):
    data = make_data_dir(tmp_path / "data", PLAN_ROWS)
    plan = current_plan(data, state_dir=tmp_path / "state")
    assert list(plan["aktivitet_id"]) == ["A-001", "A-002", "A-003"]
    assert list(plan["status"]) == ["pagar", "ej_paborjad", "klar"]
    assert list(plan["status_plan"]) == ["pagar", "ej_paborjad", "klar"]
    assert list(plan["senaste_uppfoljning"]) == ["Två forum hållna", None, None]
    assert list(plan["senast_andrad"]) == [None, None, None]
    assert list(plan["andrad_av"]) == [None, None, None]
    assert list(plan["maldatum"]) == [dt.date(2025, 6, 30), dt.date(2025, 12, 31), None]
    assert list(plan["avdelning"]) == [None, "Vuxna", "Barn och unga"]
    assert list(plan["nyckeltal"]) == [None, None, None]
    for column in (
        "forvaltning",
        "avdelning",
        "ubaria",
        "mal",
        "aktivitet",
        "ansvarig",
        "nyckeltal",
        "kompetensomrade",
    ):
        assert column in plan.columns
    assert plan.attrs["varningar"] == []


def test_current_plan_applies_the_latest_change(tmp_path):
    data = make_data_dir(tmp_path / "data", PLAN_ROWS)
    state = tmp_path / "state"
    append_change("A-002", "pagar", "Första mötet hållet", "Anna", state_dir=state)
    append_change("A-001", "klar", "Alla forum hållna", "Bo", state_dir=state)
    last = append_change("A-002", "klar", "  ", "Cecilia", state_dir=state)
    append_change("A-999", "klar", None, "Bo", state_dir=state)

    plan = current_plan(data, state_dir=state).set_index("aktivitet_id")
    assert plan.loc["A-001", "status"] == "klar"
    assert plan.loc["A-001", "status_plan"] == "pagar"
    assert plan.loc["A-001", "senaste_uppfoljning"] == "Alla forum hållna"
    # A blank comment does not hide the latest real follow-up.
    assert plan.loc["A-002", "status"] == "klar"
    assert plan.loc["A-002", "senaste_uppfoljning"] == "Första mötet hållet"
    assert plan.loc["A-002", "senast_andrad"] == last.tid
    assert plan.loc["A-002", "andrad_av"] == "Cecilia"
    assert plan.loc["A-003", "status"] == "klar"
    assert plan.loc["A-003", "senast_andrad"] is None
    assert any("A-999" in w for w in plan.attrs["varningar"])


def test_current_plan_of_some_activities_only(tmp_path):
    data = make_data_dir(tmp_path / "data", PLAN_ROWS)
    state = tmp_path / "state"
    append_change("A-001", "klar", "Alla forum hållna", "Bo", state_dir=state)
    append_change("A-003", "pagar", "Återöppnad", "Anna", state_dir=state)
    append_change("A-999", "klar", None, "Bo", state_dir=state)

    plan = current_plan(data, state_dir=state, only={"A-003", "A-001"})
    # In the table's order, the others left out, each with its latest change applied.
    assert list(plan["aktivitet_id"]) == ["A-001", "A-003"]
    assert list(plan["status"]) == ["klar", "pagar"]
    assert list(plan["status_plan"]) == ["pagar", "klar"]
    assert list(plan.index) == [0, 1]
    # A-002 is in the plan although not asked for: no warning about it, one about A-999 only.
    assert [w for w in plan.attrs["varningar"] if "A-999" in w]
    assert not [w for w in plan.attrs["varningar"] if "A-002" in w]
    assert current_plan(data, state_dir=state, only=set()).empty


def test_current_plan_accepts_a_connection(tmp_path):
    from kfp_metrics.extracts import connect

    data = make_data_dir(tmp_path / "data", PLAN_ROWS)
    append_change("A-003", "pagar", "Återöppnad", "Anna", state_dir=tmp_path / "state")
    plan = current_plan(connect(data), state_dir=tmp_path / "state")
    assert list(plan["status"]) == ["pagar", "ej_paborjad", "pagar"]


def test_current_plan_without_the_table_says_so(tmp_path):
    (tmp_path / "data").mkdir()
    with pytest.raises(LookupError, match="Tabellen aktiviteter saknas"):
        current_plan(tmp_path / "data", state_dir=tmp_path)
    with pytest.raises(LookupError, match="Tabellen aktiviteter saknas"):
        current_plan(duckdb.connect(), state_dir=tmp_path)


@pytest.mark.parametrize(
    ("maldatum", "status", "expected"),
    [
        (dt.date(2025, 5, 31), "pagar", True),
        (dt.date(2025, 5, 31), "ej_paborjad", True),
        (dt.date(2025, 5, 31), "klar", False),
        (dt.date(2025, 5, 31), "installd", False),
        (dt.date(2025, 6, 1), "pagar", False),  # due on the reference date itself: not yet late
        (dt.date(2025, 9, 30), "ej_paborjad", False),
        (None, "pagar", False),
    ],
)
def test_forsenade(maldatum, status, expected):
    import pandas as pd

    plan = pd.DataFrame({"maldatum": [maldatum], "status": [status]}, dtype=object)
    assert forsenade(plan, dt.date(2025, 6, 1)).tolist() == [expected]


@pytest.mark.parametrize(
    ("period", "today", "expected"),
    [
        ("2024-09", dt.date(2025, 3, 10), dt.date(2024, 9, 30)),
        ("2024-02", dt.date(2025, 3, 10), dt.date(2024, 2, 29)),
        ("2025-03", dt.date(2025, 3, 10), dt.date(2025, 3, 10)),
        ("2025-12", dt.date(2025, 3, 10), dt.date(2025, 3, 10)),
        (None, dt.date(2025, 3, 10), dt.date(2025, 3, 10)),
    ],
)
def test_reference_date(period, today, expected):
    assert reference_date(period, today=today) == expected


def test_summarize_counts_current_statuses(tmp_path):
    data = make_data_dir(tmp_path / "data", PLAN_ROWS)
    append_change("A-002", "pagar", None, "Anna", state_dir=tmp_path / "state")
    plan = current_plan(data, state_dir=tmp_path / "state")
    # A-001 pågår, due 2025-06-30: late on 2025-07-01. A-002 pågår, due 2025-12-31: not yet. A-003 klar.
    assert summarize(plan, dt.date(2025, 7, 1)) == {
        "per_status": {"ej_paborjad": 0, "pagar": 2, "klar": 1, "installd": 0},
        "forsenade": 1,
    }
