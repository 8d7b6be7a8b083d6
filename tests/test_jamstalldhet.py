"""The jämställdhet section of the nyckeltal JSON (contract section 8) on fixture_jamstalldhet.

Every expected value is worked out by hand from the fixture's person list; the comments give the
counts. P = 2024-09 (window 2023-10 … 2024-09), P−12 = 2023-09 (window 2022-10 … 2023-09).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import fixture_jamstalldhet as fj
import pytest

from kfp_metrics import catalog, jamstalldhet, nyckeltal
from kfp_metrics.extracts import connect
from kfp_metrics.queries import Scope

ROOT = Path(__file__).resolve().parent.parent
P = dt.date(2024, 9, 1)

# --- Whole förvaltning -------------------------------------------------------------------------
# Månadsavlönade at P: women Stor 12 (sk01–sk12) + Mellan 11 (mk01–mk11) + Liten 10 = 33;
# men Stor 11 (sm01–sm11) + Mellan 12 + Liten 2 = 25; 58 in all. At P−12: women 11 + 12 + 10 = 33,
# men 12 + 12 + 2 = 26; 59. Managers at P: sk01, mk01 (women), sm02, mm01, mm02 = 5;
# at P−12: mk01; sm02, sm12, mm01, mm02 = 5.
ANDEL_KVINNOR = 100 * 33 / 58
ANDEL_KVINNOR_FORE = 100 * 33 / 59
# Long sick leave. Women's hours in the P window: sk01–sk11 132 months, sk12 8, mk01–mk11 132,
# mk12 9, lk01–lk10 120 = 401 months × 100 h, plus lk11 12 × 40 h = 40 580 h; long 300 h (sk05).
# P−12 window: sk01–sk11 132, sk13 7, mk01–mk12 144, lk 120 = 403 × 100 + 480 = 40 780 h; long 600.
# Men, P window: sm01–sm11 132, sm12 6, mm 144, lm 24 = 306 × 100 = 30 600 h; long 100 + 50.
# P−12 window: 312 months = 31 200 h, no long sick leave.
# Turnover. Women leaving to outside the förvaltning: mk12 (2024-06) in the P window, sk13
# (2023-04) in the P−12 window; sk09's intern move does not count. Women's tillsvidare months:
# P window 30 × 12 + sk12 8 + mk12 9 = 377; P−12 window 360 + sk13 7 + mk12 12 = 379.
# Men: sm12 (2024-03) in the P window; months sm01–sm09 108 + mm 144 + lm 24 + sm10 9 + sm12 6
# = 291; none leave in the P−12 window (288 months).
WHOLE = {
    "andel_kvinnor_chefer_pct": 100 * 2 / 5,
    "andel_kvinnor_chefer_pct_forandring": 100 * 2 / 5 - 100 * 1 / 5,
    "lika_chefskarriar_kvot": 40 / ANDEL_KVINNOR,
    "lika_chefskarriar_kvot_forandring": 40 / ANDEL_KVINNOR - 20 / ANDEL_KVINNOR_FORE,
    # Tillsvidare women at P: 11 + 10 + 10 = 31 of 33; at P−12 10 + 11 + 10 = 31 of 33.
    "andel_tillsvidare_kvinnor_pct": 100 * 31 / 33,
    "andel_tillsvidare_kvinnor_pct_forandring": 0.0,
    # Tillsvidare men at P: 10 + 12 + 2 = 24 of 25; at P−12 (sm10 still tidsbegränsad) 24 of 26.
    "andel_tillsvidare_man_pct": 100 * 24 / 25,
    "andel_tillsvidare_man_pct_forandring": 100 * 24 / 25 - 100 * 24 / 26,
    # Women at P: sk01–sk04 at 75 %, the other 29 at 100 %; at P−12 sk01–sk06 at 75 %, 27 at 100 %.
    "sysselsattningsgrad_kvinnor": (4 * 75 + 29 * 100) / 33,
    "sysselsattningsgrad_kvinnor_forandring": (4 * 75 + 29 * 100) / 33 - (6 * 75 + 27 * 100) / 33,
    # Men: sm01 at 50 %, the rest at 100 %.
    "sysselsattningsgrad_man": (50 + 24 * 100) / 25,
    "sysselsattningsgrad_man_forandring": (50 + 24 * 100) / 25 - (50 + 25 * 100) / 26,
    "lang_sjukfranvaro_kvinnor_pct": 100 * 300 / 40580,
    "lang_sjukfranvaro_kvinnor_pct_forandring": 100 * 300 / 40580 - 100 * 600 / 40780,
    "lang_sjukfranvaro_man_pct": 100 * 150 / 30600,
    "lang_sjukfranvaro_man_pct_forandring": 100 * 150 / 30600 - 0.0,
    "personalomsattning_kvinnor_pct": 100 * 1 / (377 / 12),
    "personalomsattning_kvinnor_pct_forandring": 100 / (377 / 12) - 100 / (379 / 12),
    "personalomsattning_man_pct": 100 * 1 / (291 / 12),
    "personalomsattning_man_pct_forandring": 100 / (291 / 12) - 0.0,
}

# --- Avdelning Stor --------------------------------------------------------------------------------
# At P: women sk01–sk12 (tillsvidare all but sk11), men sm01–sm11 (all but sm11); at P−12 women
# sk01–sk11 (all but sk11), men sm01–sm12 (tidsbegränsade sm10, sm11). Managers sk01, sm02 at P;
# sm02, sm12 at P−12. Sick hours: women 140 months (P) and 139 (P−12), men 138 and 144.
STOR = {
    "andel_kvinnor_chefer_pct": 50.0,
    "andel_kvinnor_chefer_pct_forandring": 50.0,
    "lika_chefskarriar_kvot": 50 / (100 * 12 / 23),
    "lika_chefskarriar_kvot_forandring": 50 / (100 * 12 / 23) - 0.0,
    "andel_tillsvidare_kvinnor_pct": 100 * 11 / 12,
    "andel_tillsvidare_kvinnor_pct_forandring": 100 * 11 / 12 - 100 * 10 / 11,
    "andel_tillsvidare_man_pct": 100 * 10 / 11,
    "andel_tillsvidare_man_pct_forandring": 100 * 10 / 11 - 100 * 10 / 12,
    "sysselsattningsgrad_kvinnor": (4 * 75 + 8 * 100) / 12,
    "sysselsattningsgrad_kvinnor_forandring": (4 * 75 + 8 * 100) / 12 - (6 * 75 + 5 * 100) / 11,
    "sysselsattningsgrad_man": (50 + 10 * 100) / 11,
    "sysselsattningsgrad_man_forandring": (50 + 10 * 100) / 11 - (50 + 11 * 100) / 12,
    "lang_sjukfranvaro_kvinnor_pct": 100 * 300 / 14000,
    "lang_sjukfranvaro_kvinnor_pct_forandring": 100 * 300 / 14000 - 100 * 600 / 13900,
    "lang_sjukfranvaro_man_pct": 100 * 100 / 13800,
    "lang_sjukfranvaro_man_pct_forandring": 100 * 100 / 13800,
    # Nobody from Stor's women leaves outward in the P window; sk13 in the P−12 window (months
    # sk01–sk10 120 + sk13 7). Men: sm12 (months 108 + sm10 9 + sm12 6 = 123); none before.
    "personalomsattning_kvinnor_pct": 0.0,
    "personalomsattning_kvinnor_pct_forandring": 0.0 - 100 / (127 / 12),
    "personalomsattning_man_pct": 100 / (123 / 12),
    "personalomsattning_man_pct_forandring": 100 / (123 / 12),
}


@pytest.fixture(scope="module")
def data_dirs(tmp_path_factory):
    root = tmp_path_factory.mktemp("jamstalldhet")
    return {"med": fj.write(root / "med"), "utan": fj.write(root / "utan", chef=False)}


@pytest.fixture(scope="module")
def con(data_dirs):
    return connect(data_dirs["med"])


def _section(con, scope: Scope | None = None):
    return jamstalldhet.section(con, P, scope or Scope())


def test_section_keys_in_contract_order(con):
    got, _ = _section(con)
    expected = []
    for metric_id in (
        "andel_kvinnor_chefer_pct",
        "lika_chefskarriar_kvot",
        "andel_tillsvidare_kvinnor_pct",
        "andel_tillsvidare_man_pct",
        "sysselsattningsgrad_kvinnor",
        "sysselsattningsgrad_man",
        "lang_sjukfranvaro_kvinnor_pct",
        "lang_sjukfranvaro_man_pct",
        "personalomsattning_kvinnor_pct",
        "personalomsattning_man_pct",
    ):
        expected += [metric_id, f"{metric_id}_forandring"]
    assert list(got) == expected


@pytest.mark.parametrize(
    ("scope", "expected"),
    [(Scope(), WHOLE), (Scope.of([fj.FJ], [fj.STOR]), STOR)],
    ids=["forvaltning", "avdelning_stor"],
)
def test_figures_and_changes(con, scope, expected):
    got, hidden = _section(con, scope)
    assert hidden == []
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-9), key


def test_a_small_kon_is_suppressed_with_the_other(con):
    # Avdelning Liten: 11 women with hours (lk11 the timavlönad counts: every franvaro row counts),
    # 2 men. The men's figure is withheld; the women's too, as the total and it would give the men's.
    got, hidden = _section(con, Scope.of(avdelning=[fj.LITEN]))
    assert got["lang_sjukfranvaro_man_pct"] is None
    assert got["lang_sjukfranvaro_kvinnor_pct"] is None
    assert got["lang_sjukfranvaro_man_pct_forandring"] is None
    assert got["lang_sjukfranvaro_kvinnor_pct_forandring"] is None
    assert sorted(hidden) == ["lang_sjukfranvaro_kvinnor_pct", "lang_sjukfranvaro_man_pct"]
    # Not sick-leave figures: shown (the contract withholds only sick leave), 2 of 2 men tillsvidare.
    assert got["andel_tillsvidare_man_pct"] == pytest.approx(100.0)
    assert got["andel_tillsvidare_kvinnor_pct"] == pytest.approx(100.0)
    # No managers in Liten: a zero denominator is null, not suppressed.
    assert got["andel_kvinnor_chefer_pct"] is None
    assert got["lika_chefskarriar_kvot"] is None
    assert "andel_kvinnor_chefer_pct" not in hidden


def test_kon_of_exactly_ten_is_suppressed():
    u = jamstalldhet.Underlag.tomt()
    u.sjuk_personer = {"K": 40, "M": 10}
    assert jamstalldhet.hidden_contract(u) == set(jamstalldhet.SJUK_IDS)
    u.sjuk_personer = {"K": 40, "M": 11}
    assert jamstalldhet.hidden_contract(u) == set()
    # No men at all: their figure is missing, not hidden, and nothing needs protecting.
    u.sjuk_personer = {"K": 40, "M": 0}
    assert jamstalldhet.hidden_contract(u) == set()


def test_without_chef_column(data_dirs):
    con = connect(data_dirs["utan"])
    got, hidden = jamstalldhet.section(con, P, Scope())
    for key in (
        "andel_kvinnor_chefer_pct",
        "andel_kvinnor_chefer_pct_forandring",
        "lika_chefskarriar_kvot",
        "lika_chefskarriar_kvot_forandring",
    ):
        assert got[key] is None, key
    assert hidden == []
    assert got["andel_tillsvidare_man_pct"] == pytest.approx(WHOLE["andel_tillsvidare_man_pct"])


def test_empty_scope_gives_null_section(con):
    assert jamstalldhet.section(con, P, Scope.of(avdelning=["Finns inte"])) == (None, [])


def test_in_the_whole_nyckeltal_object(con, state_dir):
    got = nyckeltal.compute(con, P, Scope.of(avdelning=[fj.LITEN]), state_dir=state_dir)
    # jamstalldhet comes before undertryckta; the public Kolada comparison (section 3) closes the object
    assert list(got)[-3:] == ["jamstalldhet", "undertryckta", "jamforelse"]
    assert {"lang_sjukfranvaro_kvinnor_pct", "lang_sjukfranvaro_man_pct"} <= set(got["undertryckta"])
    # The contract's own sjukfrånvaro section withholds the 2 men there too.
    assert "sjukfranvaro_man_pct" in got["undertryckta"]


def _cli(state: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KFP_STATE_DIR": str(state)}
    cmd = [sys.executable, "-m", "kfp_metrics", "nyckeltal", *args]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_cli_prints_the_section(data_dirs, tmp_path):
    result = _cli(tmp_path, "--data", str(data_dirs["med"]), "--period", "2024-09")
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)["jamstalldhet"]
    for key, value in WHOLE.items():
        assert got[key] == pytest.approx(value, abs=1e-9), key
    small = json.loads(
        _cli(tmp_path, "--data", str(data_dirs["med"]), "--period", "2024-09", "--avdelning", fj.LITEN).stdout
    )
    assert small["jamstalldhet"]["lang_sjukfranvaro_man_pct"] is None
    assert "lang_sjukfranvaro_man_pct" in small["undertryckta"]
    empty = json.loads(
        _cli(
            tmp_path, "--data", str(data_dirs["med"]), "--period", "2024-09", "--avdelning", "Finns inte"
        ).stdout
    )
    assert empty["jamstalldhet"] is None
    without = json.loads(_cli(tmp_path, "--data", str(data_dirs["utan"]), "--period", "2024-09").stdout)
    assert without["jamstalldhet"]["andel_kvinnor_chefer_pct"] is None
    assert without["jamstalldhet"]["lika_chefskarriar_kvot"] is None


# --- Catalog: direction and verdicts ------------------------------------------------------------


@pytest.mark.parametrize("metric_id", jamstalldhet.IDS)
def test_catalog_entries(metric_id):
    metric = catalog.get(metric_id)
    assert metric.section == "jamstalldhet"
    assert metric.better == "equal"
    assert (metric.compare_with is None) != (metric.equal_at is None)
    assert (ROOT / "queries" / f"{metric.query}.sql").exists()
    assert f"`{metric_id}`" in (ROOT / "docs" / "nyckeltal.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("metric_id", "figures", "expected"),
    [
        (
            "andel_tillsvidare_kvinnor_pct",
            {"andel_tillsvidare_kvinnor_pct": 90, "andel_tillsvidare_man_pct": 95},
            -5,
        ),
        (
            "andel_tillsvidare_man_pct",
            {"andel_tillsvidare_kvinnor_pct": 90, "andel_tillsvidare_man_pct": 95},
            5,
        ),
        ("andel_kvinnor_chefer_pct", {"andel_kvinnor_chefer_pct": 60, "andel_kvinnor_pct": 75}, -15),
        ("lika_chefskarriar_kvot", {"lika_chefskarriar_kvot": 0.8}, -0.2),
        ("lika_chefskarriar_kvot", {"lika_chefskarriar_kvot": None}, None),
        ("andel_tillsvidare_kvinnor_pct", {"andel_tillsvidare_kvinnor_pct": 90}, None),
    ],
)
def test_gap(metric_id, figures, expected):
    got = catalog.gap(metric_id, figures)
    assert got == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [
        (-2.0, -4.1, "minskat"),
        (2.0, -4.1, "minskat"),  # the sign turned, the distance shrank
        (-4.0, -0.3, "okat"),
        (3.04, -3.0, "oforandrad"),  # both read 3,0 procentenheter
        (3.06, 3.0, "okat"),  # 3,1 against 3,0
        (None, 2.0, None),
        (1.0, None, None),
    ],
)
def test_gap_verdict(now, before, expected):
    assert catalog.gap_verdict(now, before) == expected


def test_target_status_has_no_direction_for_equal():
    assert catalog.target_status("lika_chefskarriar_kvot", 0.9, 1.0) is None


def test_per_avdelning_withholds_along_kon_and_avdelningar(con):
    from kfp_metrics import jamstalldhet_analys as ja

    frame = ja.per_avdelning(con, P, Scope())
    tillsvidare = frame[frame["matt"] == "andel_tillsvidare"].set_index("avdelning")
    # Liten has 2 men (under 5): both kön there; then the women's column has one hidden avdelning,
    # so the smaller other one (Mellan, 11 women against Stor's 12), and Mellan's men with them.
    assert tillsvidare.loc[[fj.LITEN, fj.MELLAN], ["undertryckt_kvinnor", "undertryckt_man"]].all().all()
    assert tillsvidare.loc[[fj.LITEN, fj.MELLAN], ["kvinnor", "man"]].isna().all().all()
    # Stor stays: 11 of 12 women and 10 of 11 men tillsvidare.
    stor = tillsvidare.loc[fj.STOR]
    assert (stor["kvinnor"], stor["man"]) == (pytest.approx(100 * 11 / 12), pytest.approx(100 * 10 / 11))
    assert stor["skillnad"] == pytest.approx(100 * 11 / 12 - 100 * 10 / 11)
    # Managers per avdelning: 2 in Stor and 3 in Mellan, under 5 each: withheld; Liten has none.
    chefer = frame[frame["matt"] == "chefer"].set_index("avdelning")
    assert list(chefer["undertryckt_kvinnor"]) == [False, True, True]
    assert chefer["kvinnor"].isna().all()


@pytest.mark.parametrize("period", [P, dt.date(2023, 3, 1), dt.date(2022, 9, 1)])
@pytest.mark.parametrize(
    "scope", [Scope(), Scope.of(avdelning=[fj.LITEN]), Scope.of(avdelning=[fj.STOR, fj.LITEN])]
)
def test_page_frames_at_once_equal_each_frame_alone(con, period, scope):
    # 2023-03: P−12 lies before the extracts (read on its own); 2022-09: P itself does.
    from pandas.testing import assert_frame_equal

    from kfp_metrics import jamstalldhet_analys as ja

    sida = ja.sida(con, period, scope)
    assert_frame_equal(sida.jamforelse, ja.jamforelse(con, period, scope), check_exact=True)
    assert_frame_equal(sida.per_manad, ja.per_manad(con, period, scope), check_exact=True)
    assert_frame_equal(sida.per_avdelning, ja.per_avdelning(con, period, scope), check_exact=True)


def test_page_frames_none_for_a_scope_without_anyone(con):
    from kfp_metrics import jamstalldhet_analys as ja

    assert ja.sida(con, P, Scope.of(avdelning=["Finns inte"])) is None
    assert ja.sida(con, P, Scope.of(avdelning=[fj.LITEN])) is not None
