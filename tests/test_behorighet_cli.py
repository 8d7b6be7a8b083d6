"""`python -m kfp_metrics behorighet` as a process: kontrollera, visa, logg."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from fixture_data import AY, FA

from kfp_metrics.behorighet import logg

ROOT = Path(__file__).resolve().parent.parent
GOOD = f'[[roll]]\nnamn = "KFP.HR"\nurval = "alla"\n\n[[anvandare]]\nid = "chef@k.se"\nforvaltning = ["{FA}"]\navdelning = ["{AY}"]\n'


def run(*args, state: Path):
    env = {**os.environ, "KFP_STATE_DIR": str(state)}
    env.pop("KFP_BEHORIGHET", None)
    return subprocess.run(
        [sys.executable, "-m", "kfp_metrics", "behorighet", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )


def test_kontrollera(fixture_dir, tmp_path, state_dir):
    good = tmp_path / "bra.toml"
    good.write_text(GOOD, encoding="utf-8")
    ok = run("kontrollera", "--data", str(fixture_dir), "--fil", str(good), state=state_dir)
    assert ok.returncode == 0, ok.stderr
    assert "2 behörigheter" in ok.stdout
    unknown = tmp_path / "okand.toml"
    unknown.write_text(
        GOOD + '\n[[anvandare]]\nid = "x"\nforvaltning = ["Förvaltning Q"]\n', encoding="utf-8"
    )
    bad = run("kontrollera", "--data", str(fixture_dir), "--fil", str(unknown), state=state_dir)
    assert bad.returncode == 1 and "rad 10" in bad.stdout and "Förvaltning Q finns inte" in bad.stdout
    broken = tmp_path / "trasig.toml"
    broken.write_text('[[anvandare]]\nid = "x"\nforvaltning = "A"\n', encoding="utf-8")
    err = run("kontrollera", "--data", str(fixture_dir), "--fil", str(broken), state=state_dir)
    assert err.returncode == 1 and "rad 3" in err.stderr and "Traceback" not in err.stderr
    # without --fil: KFP_BEHORIGHET unset, so behorighet.toml in the state directory (absent here)
    missing = run("kontrollera", "--data", str(fixture_dir), state=state_dir)
    assert missing.returncode == 1 and "finns inte" in missing.stderr


def test_visa(fixture_dir, tmp_path, state_dir):
    good = tmp_path / "bra.toml"
    good.write_text(GOOD, encoding="utf-8")
    out = run(
        "visa", "--data", str(fixture_dir), "--fil", str(good), "--id", "CHEF@k.se", "--json", state=state_dir
    )
    assert out.returncode == 0, out.stderr
    shown = json.loads(out.stdout)
    assert shown["enheter"] == [{"forvaltning": FA, "avdelning": AY, "enhet": "Enhet Y1"}]
    assert shown["hela_organisationen"] is False and shown["andra_aktiviteter"] == []
    hr = run(
        "visa",
        "--data",
        str(fixture_dir),
        "--fil",
        str(good),
        "--id",
        "x",
        "--roll",
        "KFP.HR",
        state=state_dir,
    )
    assert "ser hela organisationen" in hr.stdout
    nobody = run("visa", "--data", str(fixture_dir), "--fil", str(good), "--id", "ingen", state=state_dir)
    assert "ser ingenting" in nobody.stdout


def test_logg(state_dir):
    logg.append("oid-1", "Sjukfrånvaro", {"forvaltning": [FA], "avdelning": [AY]}, period="2024-09")
    logg.append("oid-1", "Sjukfrånvaro", {"forvaltning": [FA]}, "sjuk.csv", period="2024-09")
    out = run("logg", state=state_dir)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 2 and "oid-1" in lines[0] and "Sjukfrånvaro · 2024-09" in lines[0]
    assert "nedladdning: sjuk.csv" in lines[1]
    later = run("logg", "--sedan", "2999-01-01", "--json", state=state_dir)
    assert json.loads(later.stdout) == []
    bad = run("logg", "--sedan", "igår", state=state_dir)
    assert bad.returncode == 2 and "ÅÅÅÅ-MM-DD" in bad.stderr
