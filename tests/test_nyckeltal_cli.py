"""`python -m kfp_metrics nyckeltal` as contract section 3 states it, run as a process on the fixture.

Expected figures are the hand-computed ones of test_nyckeltal (see fixture_data)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from fixture_data import write

ROOT = Path(__file__).resolve().parent.parent
FA, AX = "Förvaltning A", "Avdelning X"
CONTRACT_KEYS = [
    "period",
    "scope",
    "personal",
    "sjukfranvaro",
    "rorlighet",
    "pension",
    "medarbetarenkat",
    "incidenter",
    "aktiviteter",
    "jamstalldhet",
    "undertryckta",
    "jamforelse",
]


def _cli(state: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KFP_STATE_DIR": str(state)}
    cmd = [sys.executable, "-m", "kfp_metrics", "nyckeltal", *args]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_whole_scope_json(fixture_dir, tmp_path):
    result = _cli(tmp_path, "--data", str(fixture_dir), "--period", "2024-09")
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert list(got) == CONTRACT_KEYS
    assert got["period"] == "2024-09"
    assert got["scope"] == {"forvaltning": [], "avdelning": [], "enhet": []}
    assert got["personal"]["antal_tillsvidare"] == 16
    # Unrounded: 876 years over 19 månadsavlönade, 569 sick of 25 240 hours.
    assert got["personal"]["medelalder"] == pytest.approx(876 / 19, abs=1e-12)
    assert got["sjukfranvaro"]["sjukfranvaro_total_pct"] == pytest.approx(100 * 569 / 25240, abs=1e-12)
    # Men are 8 persons: withheld as null and listed.
    assert got["sjukfranvaro"]["sjukfranvaro_man_pct"] is None
    assert "sjukfranvaro_man_pct" in got["undertryckta"]
    assert got["pension"]["pensionsalder"] == 65


def test_repeated_scope_flags(fixture_dir, tmp_path):
    result = _cli(
        tmp_path, "--data", str(fixture_dir), "--period", "2024-09", "--forvaltning", FA, "--avdelning", AX
    )
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["scope"] == {"forvaltning": [FA], "avdelning": [AX], "enhet": []}
    assert got["personal"]["antal_tillsvidare"] == 10


def test_unknown_name_warns_on_stderr(fixture_dir, tmp_path):
    result = _cli(tmp_path, "--data", str(fixture_dir), "--period", "2024-09", "--forvaltning", "Finns inte")
    assert result.returncode == 0
    assert "finns inte i extrakten" in result.stderr
    assert json.loads(result.stdout)["personal"]["antal_tillsvidare"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "2024-13"), "Ogiltig period '2024-13'"),
        (("--period", "2024-09", "--pensionsalder", "70"), "pensionsåldern måste vara 65–69, inte 70"),
    ],
    ids=["period", "pensionsalder"],
)
def test_bad_arguments_are_refused_in_swedish(fixture_dir, tmp_path, args, message):
    result = _cli(tmp_path, "--data", str(fixture_dir), *args)
    assert result.returncode == 2
    assert message in result.stderr and "fel:" in result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr


def test_invalid_data_is_refused(tmp_path):
    root = write(tmp_path / "extrakt")
    table = pq.read_table(root / "anstallningar.parquet")
    kon = table.column("kon")
    table = table.set_column(
        table.schema.get_field_index("kon"), "kon", pc.if_else(pc.equal(kon, "M"), "X", kon)
    )
    pq.write_table(table, root / "anstallningar.parquet")
    result = _cli(tmp_path / "state", "--data", str(root), "--period", "2024-09")
    assert result.returncode == 1
    assert "klarar inte valideringen" in result.stderr and "anstallningar.kon" in result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr


def test_help_is_swedish(tmp_path):
    result = _cli(tmp_path, "--help")
    assert result.returncode == 0
    assert "användning:" in result.stdout and "--pensionsalder" in result.stdout
    assert "usage:" not in result.stdout and "show this help" not in result.stdout


def test_every_command_is_registered_by_the_module_the_cli_imports_for_it():
    import importlib

    from kfp_metrics import cli

    registered = {}
    for name in cli.SUBCOMMAND_MODULES:
        parser = cli.SwedishParser()
        sub = parser.add_subparsers()
        importlib.import_module(name).register(sub)
        registered.update(dict.fromkeys(sub.choices, name))
    assert registered == cli.COMMANDS
