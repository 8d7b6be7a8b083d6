"""The aktivitet, importera-plan and exportera-plan commands, run as the user runs them."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kfp_metrics.aktivitetslogg import append_change, read_changes

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "plan_exempel.xlsx"


def _full_cli_available() -> bool:
    from kfp_metrics.cli import SUBCOMMAND_MODULES

    return all(importlib.util.find_spec(name) is not None for name in SUBCOMMAND_MODULES)


# This module's own entry point registers the same parsers under the same program name without
# importing every other subcommand, which keeps each run short; test_full_cli runs the real one.
ENTRY = ["-m", "kfp_metrics.aktivitet_cli"]


def make_data_dir(path: Path) -> Path:
    """A data dir with only aktiviteter.parquet: three activities."""
    rows = {
        "aktivitet_id": ["A-001", "A-002", "A-003"],
        "forvaltning": ["Socialförvaltningen"] * 3,
        "avdelning": [None, "Vuxna", "Barn och unga"],
        "ubaria": ["utveckla", "behalla", "avsluta"],
        "mal": ["Nära ledarskap", "Hållbar arbetsbelastning", "Lära av avgångar"],
        "aktivitet": ["Chefsforum", "Månadsuppföljning", "Exitsamtal"],
        "maldatum": [dt.date(2025, 6, 30), dt.date(2099, 12, 31), None],
        "ansvarig": ["HR-chef", "Enhetschef", "HR"],
        "status": ["pagar", "ej_paborjad", "klar"],
        "uppfoljning": ["Två forum hållna", None, None],
        "nyckeltal": [None, "sjukfranvaro_total_pct", None],
        "kompetensomrade": [None, None, None],
    }
    types = {name: (pa.date32() if name == "maldatum" else pa.string()) for name in rows}
    table = pa.table({name: pa.array(values, type=types[name]) for name, values in rows.items()})
    path.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path / "aktiviteter.parquet")
    return path


@pytest.fixture
def env(tmp_path):
    state = tmp_path / "state"
    environ = {**os.environ, "KFP_STATE_DIR": str(state)}
    environ.pop("KFP_DATA_DIR", None)
    return {"state": state, "data": make_data_dir(tmp_path / "data"), "environ": environ, "tmp": tmp_path}


def run(env, *args):
    return subprocess.run(
        [sys.executable, *ENTRY, *map(str, args)],
        cwd=ROOT,
        env=env["environ"],
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_refused(result, fragment: str, code: int = 1):
    assert result.returncode == code, result
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


TEXT = 'Första mötet "hållet"\nnästa <b>fredag</b> & 🎉'


def test_andra_logs_a_durable_change(env):
    result = run(env, "aktivitet", "andra", "--data", env["data"], "--id", "A-002", "--status", "pagar",
                 "--kommentar", TEXT, "--av", "Anna Svensson")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "A-002" in result.stdout and "Pågår" in result.stdout
    (change,) = read_changes(env["state"])
    assert (change.aktivitet_id, change.status, change.kommentar, change.av, change.seq) == (
        "A-002", "pagar", TEXT, "Anna Svensson", 1,
    )  # fmt: skip


def test_andra_accepts_swedish_label(env):
    result = run(
        env,
        "aktivitet",
        "andra",
        "--data",
        env["data"],
        "--id",
        "A-001",
        "--status",
        "Inställd",
        "--av",
        "Bo",
    )
    assert result.returncode == 0, result.stderr
    assert read_changes(env["state"])[0].status == "installd"


@pytest.mark.parametrize(
    ("args", "fragment", "code"),
    [
        (["--id", "A-999", "--status", "klar", "--av", "Anna"], "A-999", 1),
        (["--id", "A-001", "--status", "färdig", "--av", "Anna"], "Okänd status", 1),
        (["--id", "A-001", "--status", "klar", "--av", "   "], "namn saknas", 1),
        (["--id", "A-001", "--status", "klar", "--av", "Anna", "--kommentar", "x" * 5001], "för lång", 1),
        (["--id", "A-001", "--av", "Anna"], "krävs", 2),
    ],
)
def test_andra_refusals_write_nothing(env, args, fragment, code):
    result = run(env, "aktivitet", "andra", "--data", env["data"], *args)
    assert_refused(result, fragment, code)
    assert read_changes(env["state"]) == []
    assert not (env["state"] / "aktivitetslogg").exists() or not list(
        (env["state"] / "aktivitetslogg").glob("*.json")
    )


def test_andra_without_aktiviteter_table_is_refused(env):
    empty = env["tmp"] / "tom"
    empty.mkdir()
    result = run(
        env, "aktivitet", "andra", "--data", empty, "--id", "A-001", "--status", "klar", "--av", "Anna"
    )
    assert_refused(result, "Tabellen aktiviteter saknas")
    assert read_changes(env["state"]) == []


def test_historik_json_is_oldest_first(env):
    texts = ['Startat "nu"', "Klart!\nRad två 🎉 <b>", "Rättelse: pågår fortfarande"]
    for status, text in zip(["pagar", "klar", "pagar"], texts, strict=True):
        append_change("A-001", status, text, "Anna", state_dir=env["state"])
    append_change("A-002", "klar", None, "Bo", state_dir=env["state"])

    result = run(env, "aktivitet", "historik", "--data", env["data"], "--id", "A-001", "--json")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert [set(item) for item in items] == [{"status", "kommentar", "av", "tid"}] * 3
    assert [(i["status"], i["kommentar"], i["av"]) for i in items] == [
        ("pagar", texts[0], "Anna"), ("klar", texts[1], "Anna"), ("pagar", texts[2], "Anna"),
    ]  # fmt: skip
    times = [dt.datetime.fromisoformat(i["tid"]) for i in items]
    assert all(t.tzinfo is not None for t in times)
    assert times == sorted(times)

    other = json.loads(
        run(env, "aktivitet", "historik", "--data", env["data"], "--id", "A-003", "--json").stdout
    )
    assert other == []


def test_historik_text_and_refusal(env):
    append_change("A-002", "pagar", "Startat", "Bo", state_dir=env["state"])
    text = run(env, "aktivitet", "historik", "--data", env["data"], "--id", "A-002")
    assert text.returncode == 0
    assert "Historik för A-002" in text.stdout and "Pågår" in text.stdout and "Bo" in text.stdout
    assert_refused(run(env, "aktivitet", "historik", "--data", env["data"], "--id", "A-404"), "A-404")


def test_lista_json_shows_current_state(env):
    append_change("A-002", "klar", "Infört", "Bo", state_dir=env["state"])
    result = run(env, "aktivitet", "lista", "--data", env["data"], "--json")
    assert result.returncode == 0, result.stderr
    items = {i["aktivitet_id"]: i for i in json.loads(result.stdout)}
    assert list(items) == ["A-001", "A-002", "A-003"]
    fields = {"aktivitet_id", "ubaria", "avdelning", "mal", "aktivitet", "maldatum", "ansvarig", "status",
              "senaste_uppfoljning", "senast_andrad"}  # fmt: skip
    assert all(fields <= set(i) for i in items.values())
    assert items["A-001"] == {
        "aktivitet_id": "A-001", "ubaria": "utveckla", "avdelning": None, "mal": "Nära ledarskap",
        "aktivitet": "Chefsforum", "maldatum": "2025-06-30", "ansvarig": "HR-chef", "status": "pagar",
        "senaste_uppfoljning": "Två forum hållna", "senast_andrad": None, "forsenad": True,
    }  # fmt: skip
    assert (items["A-002"]["status"], items["A-002"]["senaste_uppfoljning"]) == ("klar", "Infört")
    assert dt.datetime.fromisoformat(items["A-002"]["senast_andrad"]).tzinfo is not None
    assert items["A-003"]["maldatum"] is None


def test_lista_text_and_missing_table(env):
    result = run(env, "aktivitet", "lista", "--data", env["data"])
    assert result.returncode == 0
    assert "A-001" in result.stdout and "Ej påbörjad" in result.stdout and "3 aktiviteter" in result.stdout
    empty = env["tmp"] / "tom"
    empty.mkdir()
    assert_refused(run(env, "aktivitet", "lista", "--data", empty), "Tabellen aktiviteter saknas")


def test_help_is_swedish(env):
    result = run(env, "aktivitet", "andra", "--help")
    assert result.returncode == 0
    assert "användning:" in result.stdout and "namnet på den som gör ändringen" in result.stdout


def test_eight_cli_processes_at_once(env):
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                *ENTRY,
                "aktivitet",
                "andra",
                "--data",
                str(env["data"]),
                "--id",
                f"A-00{1 + n % 3}",
                "--status",
                "pagar",
                "--kommentar",
                f"process {n}",
                "--av",
                f"Person {n}",
            ],  # fmt: skip
            cwd=ROOT,
            env=env["environ"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(8)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, outputs
    changes = read_changes(env["state"])
    assert sorted(c.seq for c in changes) == list(range(1, 9))
    assert sorted(c.kommentar for c in changes) == sorted(f"process {n}" for n in range(8))


def test_importera_and_exportera_plan(env):
    out = env["tmp"] / "extrakt"
    result = run(env, "importera-plan", FIXTURE, "--out", out, "--forvaltning", "Socialförvaltningen")
    assert result.returncode == 0, result.stderr
    assert "15 aktiviteter" in result.stdout
    assert "rad 27" in result.stderr  # the note under the table is reported, not imported
    table = pq.read_table(out / "aktiviteter.parquet")
    assert table.num_rows == 15
    assert table.schema.field("maldatum").type == pa.date32()

    append_change("A-004", "klar", None, "Rektor", state_dir=env["state"])
    xlsx = env["tmp"] / "nämnden.xlsx"
    result = run(env, "exportera-plan", "--data", out, "--out", xlsx, "--referensdatum", "2026-01-01")
    assert result.returncode == 0, result.stderr
    from openpyxl import load_workbook

    ws = load_workbook(xlsx)["Aktivitetsplan"]
    rows = {r[8]: r for r in ws.iter_rows(values_only=True) if r[8] and r[8].startswith("A-")}
    assert rows["A-004"][5] == "Klar"
    assert rows["A-001"][7] == "Ja"  # 2025-12-15, pågår, before 2026-01-01


def test_importera_refusals(env):
    out = env["tmp"] / "extrakt"
    result = run(env, "importera-plan", FIXTURE, "--out", out)
    assert_refused(result, "förvaltning saknas")
    assert "\n" not in result.stderr.strip()
    assert not (out / "aktiviteter.parquet").exists()

    bad = env["tmp"] / "plan.csv"  # the date on line 3 cannot be read
    bad.write_text(
        "Mål;Aktivitet;Måldatum;Ansvarig\nUtveckla\nBättre chefer;Chefsforum;vecka 12;HR\n", encoding="utf-8"
    )
    result = run(env, "importera-plan", bad, "--out", out, "--forvaltning", "X")
    assert_refused(result, "rad 3, kolumn Måldatum")
    assert not (out / "aktiviteter.parquet").exists()


def test_exportera_refuses_other_suffix(env):
    result = run(env, "exportera-plan", "--data", env["data"], "--out", env["tmp"] / "plan.pdf")
    assert_refused(result, ".xlsx")
    result = run(
        env,
        "exportera-plan",
        "--data",
        env["data"],
        "--out",
        env["tmp"] / "p.xlsx",
        "--referensdatum",
        "igår",
    )
    assert_refused(result, "ogiltigt datum", code=2)


@pytest.mark.skipif(not _full_cli_available(), reason="alla underkommandon i cli.py finns inte än")
def test_full_cli(env):
    """The real entry point python -m kfp_metrics registers and runs these commands."""
    env_run = subprocess.run(
        [sys.executable, "-m", "kfp_metrics", "aktivitet", "andra", "--data", str(env["data"]), "--id", "A-001",
         "--status", "klar", "--av", "Anna"],  # fmt: skip
        cwd=ROOT, env=env["environ"], capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert env_run.returncode == 0, env_run.stderr
    assert [c.status for c in read_changes(env["state"])] == ["klar"]
