"""Durability under concurrency, on both backends: several writer processes get distinct, gap-free
numbers in commit order; writers killed at random moments lose nothing that was acknowledged and
leave no gap; two app servers sharing one PostgreSQL see each other's changes."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from kfp_metrics import tillstand

ROOT = Path(__file__).resolve().parent.parent

# A writer as the app and the CLI write: through aktivitetslogg, with the store from the environment.
WRITER = """
import sys
from kfp_metrics.aktivitetslogg import append_change
name, count = sys.argv[1], int(sys.argv[2])
sys.stdout.write("redo\\n"); sys.stdout.flush()
sys.stdin.readline()
i = 0
while count < 0 or i < count:
    change = append_change(f"A-{name}", ("pagar", "klar")[i % 2], f"{name}:{i}", f"Skrivare {name}")
    sys.stdout.write(f"{change.seq} {change.kommentar}\\n"); sys.stdout.flush()
    i += 1
"""


def _start(miljo, name: str, count: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, name, str(count)],
        cwd=ROOT,
        env=miljo.env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline() == "redo\n"
    return proc


def _acks(text: str) -> dict[int, str]:
    acks = {}
    for line in text.splitlines(keepends=True):
        if line.endswith("\n"):  # a line cut off by the kill was never acknowledged
            seq, kommentar = line.split()
            acks[int(seq)] = kommentar
    return acks


def test_eight_writer_processes_get_distinct_gap_free_numbers(miljo):
    miljo.lager()  # migrated once before the writers race
    count = 25
    procs = [_start(miljo, str(n), count) for n in range(8)]
    for p in procs:
        p.stdin.write("kör\n")
        p.stdin.flush()
    acks: dict[int, str] = {}
    for p in procs:
        out, _ = p.communicate(timeout=240)
        assert p.returncode == 0
        mine = _acks(out)
        assert len(mine) == count
        assert not set(mine) & set(acks), "two writers were given the same number"
        acks.update(mine)

    changes = miljo.lager().andringar()
    assert [c.seq for c in changes] == list(range(1, 8 * count + 1))
    assert {c.seq: c.kommentar for c in changes} == acks
    # Commit order: every number was taken under the write lock together with its time.
    times = [c.tid for c in changes]
    assert times == sorted(times)
    for n in range(8):
        # Each writer's own changes keep the order it made them in.
        assert [c.kommentar for c in miljo.lager().andringar(f"A-{n}")] == [f"{n}:{i}" for i in range(count)]


def test_writers_killed_at_random_moments_lose_nothing_acknowledged(miljo):
    miljo.lager()
    rng = random.Random(20241201)
    acknowledged: dict[int, str] = {}
    for run in range(5):
        procs = [_start(miljo, f"k{run}{n}", -1) for n in range(3)]
        for p in procs:
            p.stdin.write("kör\n")
            p.stdin.flush()
        firsts = [p.stdout.readline() for p in procs]  # every writer is up and writing
        for p, first in zip(procs, firsts, strict=True):
            time.sleep(rng.uniform(0.0, 0.3))
            p.send_signal(signal.SIGKILL)
            # Read through the same buffered stream as readline above (communicate() would read the
            # raw pipe and skip what that buffer already holds, cutting a line in two).
            rest = p.stdout.read()
            p.stdin.close()
            p.wait(timeout=30)
            assert p.returncode == -signal.SIGKILL
            acknowledged.update(_acks(first + rest))
    assert len(acknowledged) >= 15

    store = miljo.lager()
    stored = {c.seq: c.kommentar for c in store.andringar()}
    assert {seq: stored.get(seq) for seq in acknowledged} == acknowledged
    # A writer killed inside its transaction left no half row and no gap.
    assert sorted(stored) == list(range(1, len(stored) + 1))
    after = store.append_change("A-efter", "klar", "efter", "Kontroll")
    assert after.seq == len(stored) + 1


SERVER = """
import json, sys
from kfp_metrics import aktivitetslogg
for line in sys.stdin:
    cmd = json.loads(line)
    if cmd["gor"] == "skriv":
        c = aktivitetslogg.append_change(cmd["id"], cmd["status"], cmd["kommentar"], cmd["av"], av_id=cmd["av_id"])
        svar = {"seq": c.seq}
    else:
        svar = {
            "token": aktivitetslogg.token(),
            "senaste": {k: [c.status, c.av, c.seq] for k, c in aktivitetslogg.latest_by_activity().items()},
        }
    sys.stdout.write(json.dumps(svar) + "\\n"); sys.stdout.flush()
"""


class AppServer:
    """A long-running process holding its own store connections, as one app replica does."""

    def __init__(self, miljo, state: Path):
        env = {**miljo.env(), "KFP_STATE_DIR": str(state)}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SERVER],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, **cmd) -> dict:
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def test_two_app_servers_sharing_postgresql_see_each_others_changes(pg_miljo, tmp_path):
    # Each replica has its own local state directory; only the database is shared.
    a = AppServer(pg_miljo, tmp_path / "a")
    b = AppServer(pg_miljo, tmp_path / "b")
    try:
        assert a.ask(gor="las") == {"token": 0, "senaste": {}}
        assert b.ask(gor="las") == {"token": 0, "senaste": {}}
        assert a.ask(
            gor="skriv", id="A-1", status="pagar", kommentar="från a", av="Anna", av_id="anna@k.se"
        ) == {"seq": 1}
        assert b.ask(gor="las") == {"token": 1, "senaste": {"A-1": ["pagar", "Anna", 1]}}
        assert b.ask(gor="skriv", id="A-1", status="klar", kommentar="från b", av="Bo", av_id=None) == {
            "seq": 2
        }
        assert b.ask(gor="skriv", id="A-2", status="installd", kommentar=None, av="Bo", av_id=None) == {
            "seq": 3
        }
        seen = a.ask(gor="las")
        assert seen == {"token": 3, "senaste": {"A-1": ["klar", "Bo", 2], "A-2": ["installd", "Bo", 3]}}
    finally:
        a.close()
        b.close()
    assert [(c.seq, c.av, c.av_id) for c in tillstand.andringar()] == [
        (1, "Anna", "anna@k.se"), (2, "Bo", None), (3, "Bo", None),
    ]  # fmt: skip


def test_numbers_stay_gap_free_when_the_server_defaults_to_repeatable_read(pg_miljo, pg_server):
    # Under repeatable read a snapshot taken before the lock would miss the previous commit; the
    # store sets read committed on its write transactions, so no writer fails or collides.
    database = pg_miljo.url.rsplit("/", 1)[1]
    pg_server.sql(
        pg_server.url("postgres"),
        f"alter database \"{database}\" set default_transaction_isolation = 'repeatable read'",
    )
    pg_miljo.lager()
    procs = [_start(pg_miljo, str(n), 20) for n in range(4)]
    for p in procs:
        p.stdin.write("kör\n")
        p.stdin.flush()
    for p in procs:
        p.communicate(timeout=240)
        assert p.returncode == 0
    assert [c.seq for c in pg_miljo.lager().andringar()] == list(range(1, 81))
