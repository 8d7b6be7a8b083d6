"""The rekryteringsbehov forecast (contract section 7) on fixture_prognos, expectations worked by hand.

Rates (12 months 2023-10 … 2024-09, see fixture_prognos):
  Undersköterska 2 counted avgångar / mean 11,5 → r = 200/11,5 %; övriga avgångar 10 × r/100 = 40/23
  Sjuksköterska 1 / (59/12) → r = 1200/59 %; övriga 4 × 12/59 = 48/59
  Förskollärare 1 / (40/12) → r = 30 %; övriga 3 × 0,3 = 0,9
Pension cohorts at 65: Undersköterska 2025: 3 (born 1958 and 1959 already there, 1960), 2026: 1,
2027: 2; Sjuksköterska 2025: 1 (1959); Socialsekreterare 2025: 1 (1957), 2026: 1 (1961);
Barnskötare 2025: 1 (1960).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import fixture_prognos as fx
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kfp_metrics import prognos
from kfp_metrics.extracts import connect
from kfp_metrics.queries import Scope
from kfp_metrics.validation import validate

ROOT = Path(__file__).resolve().parent.parent
P = dt.date(2024, 9, 1)
US, SJ, SO, FSK, BSK = fx.US, fx.SJ, fx.SO, fx.FSK, fx.BSK
O_US, O_SJ, O_FSK = 40 / 23, 48 / 59, 0.9
O_ALL = O_US + O_SJ + O_FSK


@pytest.fixture(scope="module")
def prognos_dir(tmp_path_factory) -> Path:
    return fx.write(tmp_path_factory.mktemp("prognos"), ("yrkeskategorier", "personalprognos"))


@pytest.fixture(scope="module")
def con(prognos_dir):
    c = connect(prognos_dir)
    yield c
    c.close()


def by_name(result: dict) -> dict[str, dict]:
    return {e["befattning"]: e for e in result["per_befattning"]}


def year(result: dict, befattning: str, y: int) -> dict:
    return by_name(result)[befattning]["per_ar"][str(y)]


def test_fixture_validates(prognos_dir):
    report = validate(prognos_dir)
    assert report.ok, report.to_text()


def test_underlag_counts_the_right_leavers_and_mean_headcount(con):
    frame = prognos.underlag(con, P, Scope()).set_index("befattning")
    assert list(frame.index) == [US, SO, SJ, BSK, FSK]  # largest first, a tie by name
    assert frame.loc[US, "antal_start"] == 10
    assert frame.loc[US, "medel_tillsvidare"] == pytest.approx(11.5)
    assert frame.loc[US, "avgangar_12m"] == 2  # pension, intern, tidsbegränsad and before the window left out
    assert frame.loc[SJ, "medel_tillsvidare"] == pytest.approx(59 / 12)
    assert frame.loc[FSK, "medel_tillsvidare"] == pytest.approx(40 / 12)
    assert frame.loc[FSK, "avgangar_12m"] == 1
    assert frame.loc[SO, "avgangar_12m"] == 0
    assert "Kock" not in frame.index  # none at P


def test_default_forecast_per_befattning(con):
    result = prognos.compute(con, P, Scope())
    assert result["ar"] == [2025, 2026, 2027]
    assert result["pensionsalder"] == 65
    us = by_name(result)[US]
    assert us["antal_start"] == 10 and us["tillvaxt_pct"] == 0.0
    assert us["avgangsandel_pct"] == pytest.approx(200 / 11.5)
    assert [us["per_ar"][str(y)]["pensionsavgangar"] for y in (2025, 2026, 2027)] == [3, 1, 2]
    for y, pensions in ((2025, 3), (2026, 1), (2027, 2)):
        values = us["per_ar"][str(y)]
        assert values["personalbehov"] == pytest.approx(10.0)
        assert values["ovriga_avgangar"] == pytest.approx(O_US)
        assert values["rekryteringsbehov"] == pytest.approx(pensions + O_US)
    assert by_name(result)[SJ]["avgangsandel_pct"] == pytest.approx(1200 / 59)
    assert year(result, SJ, 2025)["rekryteringsbehov"] == pytest.approx(1 + O_SJ)
    assert year(result, SJ, 2026)["rekryteringsbehov"] == pytest.approx(O_SJ)
    assert [year(result, SO, y)["rekryteringsbehov"] for y in (2025, 2026, 2027)] == [1.0, 1.0, 0.0]
    assert [year(result, BSK, y)["rekryteringsbehov"] for y in (2025, 2026, 2027)] == [1.0, 0.0, 0.0]
    assert by_name(result)[FSK]["avgangsandel_pct"] == pytest.approx(30.0)
    assert year(result, FSK, 2027)["rekryteringsbehov"] == pytest.approx(O_FSK)


def test_totals_and_sum(con):
    result = prognos.compute(con, P, Scope())
    totalt = result["totalt"]
    assert [totalt[str(y)]["pensionsavgangar"] for y in (2025, 2026, 2027)] == [6, 2, 2]
    for y, pensions in ((2025, 6), (2026, 2), (2027, 2)):
        assert totalt[str(y)]["personalbehov"] == pytest.approx(26.0)
        assert totalt[str(y)]["ovriga_avgangar"] == pytest.approx(O_ALL)
        assert totalt[str(y)]["rekryteringsbehov"] == pytest.approx(pensions + O_ALL)
    assert result["summa_rekryteringsbehov"] == pytest.approx(10 + 3 * O_ALL)  # 20,358…


def test_json_shape_and_types(con):
    result = prognos.compute(con, P, Scope.of([fx.FA]))
    assert list(result) == [
        "period",
        "scope",
        "pensionsalder",
        "ar",
        "per_befattning",
        "totalt",
        "summa_rekryteringsbehov",
    ]
    assert result["period"] == "2024-09"
    assert result["scope"] == {"forvaltning": [fx.FA], "avdelning": [], "enhet": []}
    entry = result["per_befattning"][0]
    assert list(entry) == ["befattning", "antal_start", "tillvaxt_pct", "avgangsandel_pct", "per_ar"]
    assert isinstance(entry["antal_start"], int) and isinstance(entry["tillvaxt_pct"], float)
    values = entry["per_ar"]["2025"]
    assert list(values) == list(prognos.QUANTITIES)
    assert isinstance(values["pensionsavgangar"], int)
    for key in ("personalbehov", "ovriga_avgangar", "rekryteringsbehov"):
        assert isinstance(values[key], float)
        assert isinstance(result["totalt"]["2025"][key], float)
    assert isinstance(result["totalt"]["2025"]["pensionsavgangar"], int)
    assert isinstance(result["summa_rekryteringsbehov"], float)


def test_pensionsalder_moves_the_cohorts(con):
    result = prognos.compute(con, P, Scope(), pensionsalder=67)
    # At 67: born ≤ 1957 already there (so01), 1958 in 2025, 1959 in 2026, 1960 in 2027.
    assert [year(result, US, y)["pensionsavgangar"] for y in (2025, 2026, 2027)] == [1, 1, 1]
    assert [year(result, SJ, y)["pensionsavgangar"] for y in (2025, 2026, 2027)] == [0, 1, 0]
    assert [year(result, SO, y)["pensionsavgangar"] for y in (2025, 2026, 2027)] == [1, 0, 0]
    assert [year(result, BSK, y)["pensionsavgangar"] for y in (2025, 2026, 2027)] == [0, 0, 1]
    assert [result["totalt"][str(y)]["pensionsavgangar"] for y in (2025, 2026, 2027)] == [2, 2, 2]


def test_growth_for_all_and_per_befattning_with_shrinking_demand(con):
    result = prognos.compute(con, P, Scope(), tillvaxt={SO: -10.0}, tillvaxt_alla=5.0)
    us = by_name(result)[US]
    assert us["tillvaxt_pct"] == 5.0
    assert [us["per_ar"][str(y)]["personalbehov"] for y in (2025, 2026, 2027)] == pytest.approx(
        [10.5, 11.025, 11.57625]
    )
    r = 2 / 11.5
    assert us["per_ar"]["2025"]["ovriga_avgangar"] == pytest.approx(r * 10)
    assert us["per_ar"]["2025"]["rekryteringsbehov"] == pytest.approx(0.5 + 3 + r * 10)
    assert us["per_ar"]["2026"]["rekryteringsbehov"] == pytest.approx(0.525 + 1 + r * 10.5)
    assert us["per_ar"]["2027"]["rekryteringsbehov"] == pytest.approx(0.55125 + 2 + r * 11.025)
    so = by_name(result)[SO]
    assert so["tillvaxt_pct"] == -10.0
    assert [so["per_ar"][str(y)]["personalbehov"] for y in (2025, 2026, 2027)] == pytest.approx(
        [5.4, 4.86, 4.374]
    )
    assert so["per_ar"]["2025"]["rekryteringsbehov"] == pytest.approx(0.4)  # −0,6 + 1 pension
    assert so["per_ar"]["2026"]["rekryteringsbehov"] == pytest.approx(0.46)  # −0,54 + 1 pension
    assert so["per_ar"]["2027"]["rekryteringsbehov"] == 0.0  # max(0, −0,486)


def test_leaving_rate_scenario_scales_every_rate(con):
    result = prognos.compute(con, P, Scope(), avgangsandring_pct=-20.0)
    assert by_name(result)[US]["avgangsandel_pct"] == pytest.approx(0.8 * 200 / 11.5)
    assert result["totalt"]["2025"]["ovriga_avgangar"] == pytest.approx(0.8 * O_ALL)


@pytest.mark.parametrize(
    ("scope", "names"),
    [
        (Scope.of([fx.FB]), [BSK, FSK]),
        (Scope.of(avdelning=[fx.AX]), [US, SJ]),
        (Scope.of([fx.FA], [fx.AY]), [SO]),
        (Scope.of(enhet=["Enhet Z1"]), [BSK, FSK]),
        (Scope.of(["Finns inte"]), []),
    ],
)
def test_scope_narrows_snapshot_and_events(con, scope, names):
    result = prognos.compute(con, P, scope)
    assert [e["befattning"] for e in result["per_befattning"]] == names
    if FSK in names:
        assert by_name(result)[FSK]["avgangsandel_pct"] == pytest.approx(30.0)
    if not names:
        assert result["summa_rekryteringsbehov"] == 0.0
        assert result["totalt"]["2025"]["personalbehov"] == 0.0


def test_forecast_years(con):
    assert prognos.compute(con, P, Scope(), ar_till=2025)["ar"] == [2025]
    assert prognos.compute(con, P, Scope(), ar_till=2034)["ar"] == list(range(2025, 2035))
    for bad in (2024, 2035):
        with pytest.raises(ValueError, match="2025–2034"):
            prognos.compute(con, P, Scope(), ar_till=bad)


def test_unknown_befattning_lists_close_names(con):
    with pytest.raises(prognos.OkandBefattning) as info:
        prognos.compute(con, P, Scope(), tillvaxt={"Underskoterska": 2.0})
    assert "«Undersköterska»" in str(info.value)
    # Known in the extracts but not in the scope: refused as well.
    with pytest.raises(prognos.OkandBefattning, match="«Socialsekreterare»"):
        prognos.compute(con, P, Scope.of([fx.FB]), tillvaxt={SO: 2.0})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Undersköterska=5", ("Undersköterska", 5.0)),
        ("Undersköterska = 2,5", ("Undersköterska", 2.5)),
        ("Sjuksköterska=-1.5", ("Sjuksköterska", -1.5)),
        ("Sjuksköterska=\u22122 %", ("Sjuksköterska", -2.0)),
        ("Chef=ekonomi=3", ("Chef=ekonomi", 3.0)),
        ("Kock=+0", ("Kock", 0.0)),
    ],
)
def test_parse_tillvaxt(text, expected):
    assert prognos.parse_tillvaxt(text) == expected


@pytest.mark.parametrize(
    "text", ["Undersköterska", "=5", "Kock=", "Kock=abc", "Kock=1e3", "Kock=150", "Kock=nan"]
)
def test_parse_tillvaxt_refuses(text):
    with pytest.raises(ValueError):
        prognos.parse_tillvaxt(text)


def test_causes_add_up_and_shrinking_demand_is_shared_by_leavers(con):
    result = prognos.compute(con, P, Scope(), tillvaxt={SO: -10.0}, tillvaxt_alla=5.0)
    parts = prognos.orsaker(result)
    for y in ("2025", "2026", "2027"):
        assert sum(parts[y].values()) == pytest.approx(result["totalt"][y]["rekryteringsbehov"])
    # Socialsekreterare shrinks: its 0,4 in 2025 is all pension; the others grow by 5 %.
    assert parts["2025"]["pensionsavgangar"] == pytest.approx(3 + 1 + 1 + 0.4)
    assert parts["2025"]["tillvaxt"] == pytest.approx(0.5 + 0.2 + 0.15 + 0.15)
    default = prognos.andelar(prognos.compute(con, P, Scope()))
    assert default["pensionsavgangar"] == pytest.approx(100 * 10 / (10 + 3 * O_ALL))
    assert default["tillvaxt"] == 0.0


def test_drafted_sentence_in_the_plans_phrasing(con):
    text = prognos.nulagestext(prognos.compute(con, P, Scope()))
    # 20,358 → 20; pensions 10, övriga 10,358 → 10; 20,358 / 3 = 6,79 → 7
    assert text == (
        "Under åren 2025–2027 bedöms rekryteringsbehovet till 20 medarbetare, varav 10 till följd av "
        "pensionsavgångar och 10 till följd av övrig personalomsättning. Till största delen är behovet "
        "relaterat till personalomsättningen. Det motsvarar i genomsnitt 7 medarbetare per år."
    )
    only_fb = prognos.nulagestext(prognos.compute(con, P, Scope.of([fx.FB]), ar_till=2025))
    # Barnskötare 1 pension + Förskollärare 0,9 övriga = 1,9 → 2
    assert only_fb == (
        "Under 2025 bedöms rekryteringsbehovet till 2 medarbetare, varav 1 till följd av pensionsavgångar och "
        "1 till följd av övrig personalomsättning. Till största delen är behovet relaterat till "
        "pensionsavgångarna."
    )
    empty = prognos.nulagestext(prognos.compute(con, P, Scope.of(["Finns inte"])))
    assert empty.startswith("Urvalet har inga tillsvidareanställda i september 2024")


def test_sum_rounded_once_not_per_year():
    result = {
        "period": "2024-09",
        "ar": [2025, 2026, 2027],
        "per_befattning": [
            {
                "befattning": "A",
                "antal_start": 10,
                "per_ar": {
                    str(y): {
                        "personalbehov": 10.0,
                        "pensionsavgangar": 0,
                        "ovriga_avgangar": 0.4,
                        "rekryteringsbehov": 0.4,
                    }
                    for y in (2025, 2026, 2027)
                },
            }
        ],
        "summa_rekryteringsbehov": 1.2000000000000002,
    }
    # Rounded per year each 0,4 would give 0; the sum 1,2 gives 1.
    assert "till 1 medarbetare, samtliga till följd av övrig personalomsättning." in prognos.nulagestext(
        result
    )


@pytest.mark.parametrize(
    ("values", "total", "expected"),
    [
        ({"a": 10.0, "b": 10.358, "c": 0.0}, 20, {"a": 10, "b": 10, "c": 0}),
        ({"a": 1.5, "b": 1.5, "c": 0.0}, 3, {"a": 2, "b": 1, "c": 0}),
        ({"a": 0.6, "b": 0.6, "c": 0.6}, 2, {"a": 1, "b": 1, "c": 0}),
    ],
)
def test_rounded_parts_add_up(values, total, expected):
    assert prognos.avrundade(values, total) == expected


def test_plan_tables_per_yrkeskategori(con):
    result = prognos.compute(con, P, Scope())
    mapping = prognos.yrkeskategorier(con)
    behov, rek = prognos.tabell_plan(result, mapping, formatted=True)
    assert list(behov.columns) == ["Yrkeskategori", "2024", "2025", "2026", "2027"]
    assert behov.iloc[:, 0].tolist() == [
        "Vård och omsorg",
        "Förskola",
        "Hälso- och sjukvård *",
        prognos.UTAN_KATEGORI,
        "Totalt",
    ]
    # Förskola = Barnskötare + Förskollärare: 1 + 0,9 = 1,9 → 2 in 2025, 0,9 → 1 after.
    assert rek.iloc[1].tolist() == ["Förskola", "2", "1", "1"]
    assert rek.iloc[-1].tolist() == ["Totalt", "9", "5", "5"]  # 9,45 and 5,45 unrounded
    raw_behov, raw_rek = prognos.tabell_plan(result)
    assert raw_behov.iloc[-1].tolist()[1:] == [26, 26.0, 26.0, 26.0]
    assert raw_rek.iloc[0, 0] == US and raw_rek.iloc[2, 0] == f"{SJ} *"


def test_short_grouping_keeps_at_most_max_rows(con):
    result = prognos.compute(con, P, Scope())
    mapping, other, heading = prognos.kortad_gruppering(result, None, max_rader=3)
    behov, _ = prognos.tabell_plan(result, mapping, formatted=True, other=other, heading=heading)
    assert behov["Befattning"].tolist() == [US, SO, "Övriga befattningar", "Totalt"]
    assert behov.iloc[2].tolist()[1] == "10"  # 4 + 3 + 3
    assert prognos.kortad_gruppering(result, None, max_rader=15) == (
        None,
        prognos.UTAN_KATEGORI,
        "Befattning",
    )


def test_comparison_with_the_external_forecast(con):
    from kfp_metrics import rorlighet

    result = prognos.compute(con, P, Scope())
    extern = rorlighet.personalprognos(con, P, Scope())
    frame = prognos.tabell_jamforelse(result, extern, prognos.yrkeskategorier(con))
    row = frame[(frame["År"] == 2025) & (frame["Yrkeskategori"] == "Vård och omsorg")].iloc[0]
    assert row["Personalbehov, beräknat"] == pytest.approx(10.0)
    assert row["Personalbehov, extern prognos"] == 11.0
    assert row["Rekryteringsbehov, beräknat"] == pytest.approx(3 + O_US)
    assert row["Rekryteringsbehov, extern prognos"] == 6.0
    total = frame[(frame["År"] == 2026) & (frame["Yrkeskategori"] == "Totalt")].iloc[0]
    assert total["Rekryteringsbehov, extern prognos"] == 5.0  # 4 + 1
    assert total["Rekryteringsbehov, beräknat"] == pytest.approx(2 + O_ALL)
    only_totals = prognos.tabell_jamforelse(result, extern, None)
    assert only_totals["Yrkeskategori"].tolist() == ["Totalt"] * 3
    later = extern.assign(ar=extern["ar"] + 10)
    assert prognos.tabell_jamforelse(result, later, None).empty


def test_downloadable_data_is_unrounded(con):
    frame = prognos.tabell_data(prognos.compute(con, P, Scope()), prognos.yrkeskategorier(con))
    assert len(frame) == 5 * 3
    row = frame[(frame["Befattning"] == US) & (frame["År"] == 2025)].iloc[0]
    assert row["Rekryteringsbehov"] == pytest.approx(3 + O_US)
    assert row["Yrkeskategori"] == "Vård och omsorg"
    assert set(frame.loc[frame["Befattning"] == SJ, "Osäker (färre än 5)"]) == {"ja"}


def test_yrkeskategorier_absent_is_none(tmp_path):
    c = connect(fx.write(tmp_path / "utan"))
    try:
        assert prognos.yrkeskategorier(c) is None
    finally:
        c.close()


def test_validation_refuses_a_befattning_in_two_yrkeskategorier(tmp_path):
    directory = fx.write(tmp_path / "dubbel")
    pq.write_table(
        pa.table({"befattning": [US, US, SJ], "yrkeskategori": ["Vård", "Omsorg", None]}),
        directory / "yrkeskategorier.parquet",
    )
    report = validate(directory)
    assert not report.ok
    found = {(f.table, f.column, f.rule) for f in report.errors}
    assert ("yrkeskategorier", "befattning", "befattning ska vara unik") in found
    assert ("yrkeskategorier", "yrkeskategori", "yrkeskategori får inte saknas") in found


# --- The command as a process -------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kfp_metrics", "prognos", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_cli_prints_the_forecast(prognos_dir):
    done = run_cli(
        "--data", str(prognos_dir), "--period", "2024-09", "--tillvaxt", f"{SO}=-10", "--tillvaxt-alla", "5"
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["ar"] == [2025, 2026, 2027]
    assert year(result, SO, 2027)["rekryteringsbehov"] == 0.0
    assert year(result, US, 2025)["rekryteringsbehov"] == pytest.approx(0.5 + 3 + 20 / 11.5)


def test_cli_scope_pensionsalder_and_years(prognos_dir):
    done = run_cli(
        "--data",
        str(prognos_dir),
        "--period",
        "2024-09",
        "--forvaltning",
        fx.FB,
        "--pensionsalder",
        "67",
        "--ar-till",
        "2029",
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["pensionsalder"] == 67 and result["ar"] == [2025, 2026, 2027, 2028, 2029]
    assert [e["befattning"] for e in result["per_befattning"]] == [BSK, FSK]
    # Barnskötare born 1960 reaches 67 in 2027; Förskollärare 0,9 övriga every year.
    assert [result["totalt"][str(y)]["pensionsavgangar"] for y in range(2025, 2030)] == [0, 0, 1, 0, 0]
    assert result["summa_rekryteringsbehov"] == pytest.approx(1 + 5 * 0.9)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--tillvaxt", "Underskoterska=5"), "Närliggande namn: «Undersköterska»"),
        (("--tillvaxt", "Kock=5"), "Befattningarna i urvalet är «Undersköterska»"),
        (("--tillvaxt", "Undersköterska"), "BEFATTNING=PROCENT"),
        (("--tillvaxt", "Undersköterska=fem"), "inget tal i procent"),
        (("--tillvaxt", f"{US}=1", "--tillvaxt", f"{US}=2"), "har angetts två gånger"),
        (("--tillvaxt-alla", "abc"), "inget tal i procent"),
        (("--ar-till", "2035"), "2025–2034"),
        (("--ar-till", "2024"), "2025–2034"),
        (("--ar-till", "27"), "ÅÅÅÅ"),
        (("--pensionsalder", "70"), "65–69"),
    ],
)
def test_cli_refuses_bad_arguments_in_swedish(prognos_dir, args, message):
    done = run_cli("--data", str(prognos_dir), "--period", "2024-09", *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_cli_refuses_invalid_data(tmp_path):
    directory = fx.write(tmp_path / "ogiltig")
    table = pq.read_table(directory / "handelser.parquet").to_pandas()
    table.loc[0, "vag"] = "okand"
    pq.write_table(pa.Table.from_pandas(table, preserve_index=False), directory / "handelser.parquet")
    done = run_cli("--data", str(directory), "--period", "2024-09")
    assert done.returncode == 1
    assert "ingen prognos beräknas" in done.stderr and "vag" in done.stderr
    assert done.stdout == ""


def test_cli_missing_directory_and_empty_scope(tmp_path, prognos_dir):
    done = run_cli("--data", str(tmp_path / "saknas"), "--period", "2024-09")
    assert done.returncode == 1 and "finns inte" in done.stderr
    done = run_cli("--data", str(prognos_dir), "--period", "2024-09", "--avdelning", "Ingen")
    assert done.returncode == 0
    assert "avdelning 'Ingen' finns inte" in done.stderr
    assert json.loads(done.stdout)["per_befattning"] == []


def test_frames_have_swedish_headings(con):
    frame = prognos.tabell_orsaker(prognos.compute(con, P, Scope()), formatted=True)
    assert list(frame.columns) == [
        "År",
        "Pensionsavgångar",
        "Övriga avgångar",
        "Ökat personalbehov",
        "Rekryteringsbehov",
    ]
    assert frame.iloc[-1].tolist() == ["Totalt", "10", "10", "0", "20"]
    assert isinstance(prognos.tabell_antaganden(prognos.compute(con, P, Scope())), pd.DataFrame)
