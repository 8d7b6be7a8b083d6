"""The synthetic data generator: determinism, calibration at scale 1 and the data contract's rules."""

from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow.parquet as pq
import pytest

from kfp_metrics import generate
from kfp_metrics.cli import SwedishParser
from kfp_metrics.extracts import ALL_TABLES, locate_tables

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PERSONNUMMER = re.compile(r"^(\d{2})?\d{6}[-+]?\d{4}$")
TINY = {"scale": 0.05, "start": "2024-01", "end": "2024-06"}


def _read(root: Path, table: str):
    return pq.read_table(root / f"{table}.parquet")


def _connect(root: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for name, source in locate_tables(root).items():
        con.execute(f"create view {name} as select * from {source.read_sql()}")
    return con


def _scalar(con: duckdb.DuckDBPyConnection, sql: str):
    return con.execute(sql).fetchall()[0][0]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    """The default dataset generated afresh, as `generate --out DIR` does."""
    out = tmp_path_factory.mktemp("generated")
    generate.generate(out)
    return out


@pytest.fixture(scope="module")
def data() -> duckdb.DuckDBPyConnection:
    return _connect(DATA)


@pytest.mark.parametrize("table", ALL_TABLES)
def test_bundled_data_is_the_default_output(regenerated, table):
    assert _read(regenerated, table).equals(_read(DATA, table))


@pytest.mark.parametrize("table", ALL_TABLES)
def test_bundled_data_has_the_contract_schema(table):
    assert _read(DATA, table).schema.equals(generate.SCHEMAS[table])


def test_same_seed_gives_same_tables_and_other_seed_differs(tmp_path):
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        generate.generate(tmp_path / name, seed=seed, **TINY)
    for table in ALL_TABLES:
        assert _read(tmp_path / "a", table).equals(_read(tmp_path / "b", table))
    assert not _read(tmp_path / "a", "anstallningar").equals(_read(tmp_path / "c", "anstallningar"))
    assert not _read(tmp_path / "a", "franvaro").equals(_read(tmp_path / "c", "franvaro"))


def test_tiny_run_is_fast(tmp_path):
    started = time.perf_counter()
    counts = generate.generate(tmp_path, **TINY)
    assert time.perf_counter() - started < 10
    assert set(counts) == set(ALL_TABLES)
    assert counts["anstallningar"] > 0 and counts["anstallningar"] == counts["franvaro"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{t}.parquet" for t in ALL_TABLES)


def test_large_scale_layout_writes_one_file_per_year(tmp_path):
    generate.generate(tmp_path, scale=0.05, start="2023-11", end="2024-02", per_year=True)
    for table in generate.BIG_TABLES:
        assert sorted(p.name for p in (tmp_path / table).iterdir()) == [
            f"{table}_2023.parquet",
            f"{table}_2024.parquet",
        ]
    con = _connect(tmp_path)
    assert _scalar(con, "select count(distinct period) from anstallningar") == 4
    # A later single-file run replaces the folders instead of mixing layouts.
    generate.generate(tmp_path, **TINY)
    assert not (tmp_path / "anstallningar").exists()


def test_scale_one_last_month_is_calibrated(data):
    last = "(select max(period) from anstallningar)"
    man = f"from anstallningar where period = {last} and anstallningsform <> 'timavlonad'"
    manadsavlonade = _scalar(data, f"select count(*) {man}")
    assert 1500 <= manadsavlonade <= 1800
    assert 80 <= 100 * _scalar(data, f"select avg((kon = 'K')::int) {man}") <= 88
    assert 8 <= 100 * _scalar(data, f"select avg((befattning = 'Socialsekreterare')::int) {man}") <= 12
    assert 70 <= 100 * _scalar(data, f"select avg((sysselsattningsgrad = 100)::int) {man}") <= 85
    assert 0.75 <= _scalar(data, f"select avg((anstallningsform = 'tillsvidare')::int) {man}") <= 0.93
    assert 150 <= _scalar(data, f"select count(*) from anstallningar where period = {last} and anstallningsform = 'timavlonad'") <= 350  # fmt: skip


def test_scale_one_sick_absence_is_calibrated(data):
    total, kort, lang_andel = data.execute(
        "select 100 * sum(sjuk_timmar) / sum(ordinarie_timmar), 100 * sum(sjuk_kort_timmar) / sum(ordinarie_timmar),"
        " 100 * sum(sjuk_lang_timmar) / sum(sjuk_timmar) from franvaro where year(period) = 2025"
    ).fetchall()[0]
    assert 6 <= total <= 9
    assert 2 <= kort <= 3.5
    assert 35 <= lang_andel <= 50
    by_month = dict(
        data.execute(
            "select month(period), sum(sjuk_timmar) / sum(ordinarie_timmar) from franvaro group by 1"
        ).fetchall()
    )
    assert by_month[2] > by_month[7]  # winter above July


def test_scale_one_turnover_is_calibrated(data):
    def turnover(where: str) -> float:
        return _scalar(
            data,
            f"""
            with stock as (select count(*) / 12.0 as n from anstallningar
                           where year(period) = 2025 and anstallningsform = 'tillsvidare' {where}),
            gone as (select count(*) as n from handelser
                     where year(datum) = 2025 and handelse = 'avgang' and anstallningsform = 'tillsvidare'
                       and vag in ('annan_forvaltning', 'extern') {where})
            select 100 * gone.n / stock.n from stock, gone
            """,
        )

    assert 2.5 <= turnover("") <= 7
    assert 9 <= turnover("and befattning = 'Socialsekreterare'") <= 25


def test_person_ids_are_pseudonyms_not_personnummer(data):
    ids = [
        row[0]
        for row in data.execute(
            "select person_id from anstallningar union select person_id from handelser"
        ).fetchall()
    ]
    assert ids
    assert not [i for i in ids if PERSONNUMMER.match(i)]
    assert all(re.fullmatch(r"p[0-9a-f]{8}", i) for i in ids)


def test_pseudonym_mixing_is_a_bijection():
    codes = generate._mix32(np.arange(1_000_000, dtype=np.int64), salt=12345)
    assert len(np.unique(codes)) == 1_000_000
    assert generate.person_id_array(codes[:3]).to_pylist() == [f"p{int(c):08x}" for c in codes[:3]]


CONTRACT_VIOLATIONS = {
    "duplicate (period, person_id)": "select count(*) from (select period, person_id from anstallningar group by all having count(*) > 1)",
    "period not first of month": "select count(*) from anstallningar where day(period) <> 1",
    "fodelsear out of range": "select count(*) from anstallningar where not (fodelsear > 1900 and fodelsear <= year(period) - 14)",
    "sysselsattningsgrad": "select count(*) from anstallningar where coalesce(not (sysselsattningsgrad > 0 and sysselsattningsgrad <= 100), anstallningsform <> 'timavlonad')",
    "faktisk above contracted": "select count(*) from anstallningar where faktisk_sysselsattningsgrad < 0 or faktisk_sysselsattningsgrad > sysselsattningsgrad",
    "anstallningar codes": "select count(*) from anstallningar where kon not in ('K', 'M') or anstallningsform not in ('tillsvidare', 'tidsbegransad', 'timavlonad')",
    "franvaro outside anstallningar": "select count(*) from franvaro anti join anstallningar using (period, person_id)",
    "duplicate franvaro": "select count(*) from (select period, person_id from franvaro group by all having count(*) > 1)",
    "franvaro hours": "select count(*) from franvaro where not (ordinarie_timmar >= 0 and sjuk_timmar >= 0 and sjuk_timmar <= ordinarie_timmar and sjuk_kort_timmar >= 0 and sjuk_lang_timmar >= 0 and sjuk_kort_timmar + sjuk_lang_timmar <= sjuk_timmar)",
    "handelser codes": "select count(*) from handelser where handelse not in ('rekrytering', 'avgang') or anstallningsform not in ('tillsvidare', 'tidsbegransad') or vag not in ('intern', 'annan_forvaltning', 'extern') or kon not in ('K', 'M')",
    "orsak": "select count(*) from handelser where (handelse = 'rekrytering') = (orsak is not null) or orsak not in ('egen_begaran', 'pension', 'visstid_upphor', 'uppsagd_av_arbetsgivaren', 'annan')",
    "survey": "select count(*) from medarbetarenkat where antal_svar < 0 or antal_inbjudna < antal_svar or index not between 0 and 100 or delindex not in ('motivation', 'ledarskap', 'styrning')",
    "incidenter codes": "select count(*) from incidenter where typ not in ('olycksfall', 'fardolycksfall', 'arbetssjukdom', 'tillbud', 'riskobservation') or orsak not in ('hot_och_vald', 'fall', 'belastning', 'stick_skar', 'trafik', 'ovrigt')",
    "incident_id unique": "select count(*) - count(distinct incident_id) from incidenter",
    "kompetensgap levels": "select count(*) from kompetensgap where behov not between 1 and 5 or nulage not between 1 and 5",
    "aktiviteter codes": "select count(*) from aktiviteter where ubaria not in ('utveckla', 'behalla', 'attrahera', 'rekrytera', 'introducera', 'avsluta') or status not in ('ej_paborjad', 'pagar', 'klar', 'installd')",
    "aktivitet_id unique": "select count(*) - count(distinct aktivitet_id) from aktiviteter",
    "kompetensomrade unknown": "select count(*) from aktiviteter where kompetensomrade not in (select omrade from kompetensgap)",
    "personalprognos negative": "select count(*) from personalprognos where personalbehov < 0 or rekryteringsbehov < 0",
}  # fmt: skip


@pytest.mark.parametrize("rule", CONTRACT_VIOLATIONS)
def test_bundled_data_keeps_the_contract_rules(data, rule):
    assert _scalar(data, CONTRACT_VIOLATIONS[rule]) == 0


EVENT_VIOLATIONS = {
    # Every event's employment is the person's row in the event's month.
    "event without matching row": """
        select count(*) from handelser h anti join anstallningar a
          on a.person_id = h.person_id and a.period = date_trunc('month', h.datum)
         and a.forvaltning = h.forvaltning and a.enhet = h.enhet and a.befattning = h.befattning
         and a.anstallningsform = h.anstallningsform and a.kon = h.kon and a.fodelsear = h.fodelsear""",
    "external recruit with an earlier row": """
        select count(*) from handelser h join anstallningar a
          on a.person_id = h.person_id and a.period < date_trunc('month', h.datum)
        where h.handelse = 'rekrytering' and h.vag <> 'intern'""",
    "external leaver with a later row": """
        select count(*) from handelser h join anstallningar a
          on a.person_id = h.person_id and a.period > date_trunc('month', h.datum)
        where h.handelse = 'avgang' and h.vag <> 'intern'""",
    "monthly-paid start without rekrytering": """
        select count(*) from (select person_id, min(period) as p from anstallningar
                              where anstallningsform <> 'timavlonad' group by 1) f
        anti join handelser h on h.person_id = f.person_id and h.handelse = 'rekrytering'
         and date_trunc('month', h.datum) = f.p
        where f.p > (select min(period) from anstallningar)""",
    "monthly-paid end without avgang": """
        select count(*) from (select person_id, max(period) as p from anstallningar
                              where anstallningsform <> 'timavlonad' group by 1) f
        anti join handelser h on h.person_id = f.person_id and h.handelse = 'avgang'
         and date_trunc('month', h.datum) = f.p
        where f.p < (select max(period) from anstallningar)""",
}


@pytest.mark.parametrize("rule", EVENT_VIOLATIONS)
def test_events_are_consistent_with_anstallningar(data, rule):
    assert _scalar(data, EVENT_VIOLATIONS[rule]) == 0


def test_optional_tables_have_realistic_content(data):
    assert _scalar(data, "select count(distinct avdelning) from anstallningar") == 5
    assert 35 <= _scalar(data, "select count(distinct enhet) from anstallningar") <= 60
    assert _scalar(data, "select count(*) from medarbetarenkat where delindex is null") > 0
    assert (
        _scalar(data, "select count(distinct fraga_id) from medarbetarenkat where delindex is not null") == 9
    )
    assert _scalar(data, "select count(distinct enhet) from medarbetarenkat where antal_svar < 5") >= 1
    per_year = data.execute("select count(*) from incidenter where year(datum) = 2025").fetchall()[0][0]
    assert 200 <= per_year <= 900
    hot = dict(
        data.execute(
            "select avdelning, avg((orsak = 'hot_och_vald')::int) from incidenter group by 1"
        ).fetchall()
    )
    assert hot["Barn och unga"] > hot["Förskola"] and hot["Vuxna"] > hot["Stab"]
    assert _scalar(data, "select count(*) from aktiviteter where avdelning is null") > 0
    assert _scalar(data, "select count(*) from aktiviteter where maldatum < date '2026-10-31' and status not in ('klar', 'installd')") > 0  # fmt: skip
    assert _scalar(data, "select count(*) from mal where avdelning is not null") > 0
    assert _scalar(data, "select min(ar) from personalprognos") == 2027


def _parser():
    parser = SwedishParser(prog="python -m kfp_metrics")
    sub = parser.add_subparsers(dest="kommando", parser_class=SwedishParser)
    generate.register(sub)
    return parser


def test_cli_defaults_and_run(tmp_path):
    args = _parser().parse_args(["generate", "--out", str(tmp_path)])
    assert (args.seed, args.scale, args.start, args.end) == (2024, 1.0, "2021-01", "2026-10")
    args = _parser().parse_args(
        ["generate", "--out", str(tmp_path), "--scale", "0,05", "--start", "2024-01", "--end", "2024-03"]
    )
    assert args.func(args) == 0
    assert (tmp_path / "anstallningar.parquet").is_file()


@pytest.mark.parametrize("argv", [["--start", "2024-13"], ["--scale", "0"], ["--end", "maj"]])
def test_cli_rejects_bad_arguments_in_swedish(tmp_path, capsys, argv):
    with pytest.raises(SystemExit) as exc:
        _parser().parse_args(["generate", "--out", str(tmp_path), *argv])
    assert exc.value.code == 2
    assert "fel:" in capsys.readouterr().err


def test_end_before_start_is_an_error(tmp_path, capsys):
    args = _parser().parse_args(
        ["generate", "--out", str(tmp_path), "--start", "2024-05", "--end", "2024-01"]
    )
    assert args.func(args) == 2
    assert "före startmånaden" in capsys.readouterr().err
