"""importera-extrakt end to end: an HR-style export of the extracts imported back gives the same figures."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import os
import shutil
import stat
from pathlib import Path

import duckdb
import fixture_data
import importer_export
import openpyxl
import pytest

from kfp_metrics.cli import main
from kfp_metrics.extracts import connect
from kfp_metrics.importer import Options, importera
from kfp_metrics.importer.pseudonym import normalise_personnummer
from kfp_metrics.nyckeltal import compute
from kfp_metrics.queries import Scope
from kfp_metrics.validation import validate

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 15)


def same(a, b, path="") -> None:
    """Equal key-figure objects: ints, texts, nulls and lists exactly; floats to 1e-12 relative.

    DuckDB sums in parallel, so even the same extracts can differ in the last bit between runs.
    """
    if isinstance(a, float) or isinstance(b, float):
        assert isinstance(a, float | int) and isinstance(b, float | int), path
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12), f"{path}: {a} != {b}"
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), path
        for k in a:
            same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{path}[{i}]")
    else:
        assert type(a) is type(b) and a == b, f"{path}: {a!r} != {b!r}"


def figures(data_dir: Path, period: dt.date, scope: Scope) -> dict:
    con = connect(data_dir)
    try:
        return compute(con, period, scope, today=TODAY)
    finally:
        con.close()


@pytest.fixture(scope="module")
def sample_import(tmp_path_factory):
    """The bundled sample exported as an HR system would and imported back."""
    base = tmp_path_factory.mktemp("prov")
    src = base / "export"
    mapping = importer_export.write_export(ROOT / "data", src)
    out = base / "extrakt"
    result = importera(src, out, Options(mappning=mapping))
    return src, out, result


def test_export_is_written_the_hr_way(sample_import):
    src, _, _ = sample_import
    raw = (src / "anstallningar.csv").read_bytes()
    header = raw.split(b"\r\n", 1)[0]
    assert header.startswith("Månad;Anställningsnummer;Förvaltning".encode("cp1252"))
    assert b";Kvinna;" in raw and b";Tillsvidare;" in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert b",5;" in (src / "franvaro.csv").read_bytes()  # decimal commas
    assert (src / "medarbetarenkat.xlsx").is_file()


def test_sample_round_trip_is_valid(sample_import):
    _, out, result = sample_import
    assert result.ok, result.problems.to_text()
    assert validate(out).ok
    # Every table of the sample (data/ also holds the saved Kolada responses, which are no table)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in (ROOT / "data").glob("*.parquet"))


@pytest.mark.parametrize(
    "period, scope",
    [
        (dt.date(2024, 9, 1), Scope.of()),
        (dt.date(2026, 10, 1), Scope.of()),
        (dt.date(2025, 3, 1), Scope.of(avdelning=["Förskola"])),
        (
            dt.date(2026, 10, 1),
            Scope.of(forvaltning=["Norrdalens stadsdelsförvaltning"], avdelning=["Äldreomsorg"]),
        ),
    ],
)
def test_every_key_figure_equals_the_original(sample_import, period, scope):
    _, out, _ = sample_import
    original = figures(ROOT / "data", period, scope)
    imported = figures(out, period, scope)
    same(imported, original)
    assert original["personal"]["antal_tillsvidare"] > 0


def test_values_are_stored_in_contract_form(sample_import):
    _, out, _ = sample_import
    con = duckdb.connect()
    rows = con.execute(
        "select distinct kon, anstallningsform from read_parquet($p) order by all",
        {"p": str(out / "anstallningar.parquet")},
    ).fetchall()
    assert {r[0] for r in rows} == {"K", "M"}
    assert {r[1] for r in rows} == {"tillsvidare", "tidsbegransad", "timavlonad"}
    types = dict(
        con.execute(
            "select column_name, column_type from (describe select * from read_parquet($p))",
            {"p": str(out / "anstallningar.parquet")},
        ).fetchall()
    )
    assert types["period"] == "DATE" and types["fodelsear"] == "INTEGER" and types["chef"] == "BOOLEAN"
    assert types["sysselsattningsgrad"] == "DOUBLE"


# --- personnummer ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("19800101-1234", "198001011234"),
        ("198001011234", "198001011234"),
        ("800101-1234", "198001011234"),
        ("8001011234", "198001011234"),
        ("100101-1234", "201001011234"),  # 2010 is not after today
        ("261231-1234", "192612311234"),  # 2026-12-31 is after today (2026-11-15): the 1900s
        ("261101-1234", "202611011234"),
        ("200101+1234", "192001011234"),  # + : 100 years or older
        ("800161-1234", "198001611234"),  # samordningsnummer (day + 60)
        ("p12345", None),
        ("12345678", None),
    ],
)
def test_normalise_personnummer(value, expected):
    assert normalise_personnummer(value, TODAY) == expected


def _pnr(pid: str) -> str:
    """Fixture person id pNN -> a personnummer (12 digits): born 1 March 1950 + NN, number NNNN."""
    n = int(pid[1:])
    return f"{1950 + n}0301{n:04d}"


def _fixture_ids(data: Path) -> set[str]:
    con = duckdb.connect()
    sql = "select person_id from read_parquet($a) union select person_id from read_parquet($h)"
    return {
        r[0]
        for r in con.execute(
            sql, {"a": str(data / "anstallningar.parquet"), "h": str(data / "handelser.parquet")}
        ).fetchall()
    }


def _pnr_map(data: Path) -> dict[str, str]:
    return {pid: _pnr(pid) for pid in _fixture_ids(data)}


def _pnr_export(base: Path) -> tuple[Path, Path]:
    """The fixture exported with personnummer as person id, in a different form per table."""
    data = base / "fx"
    data.mkdir()
    fixture_data.write(data)
    pnr = _pnr_map(data)
    forms = {
        "anstallningar": {k: f"{v[:8]}-{v[8:]}" for k, v in pnr.items()},  # ÅÅÅÅMMDD-NNNN
        "franvaro": {k: f"{v[2:8]}-{v[8:]}" for k, v in pnr.items()},  # ÅÅMMDD-NNNN
        "handelser": {k: v[2:] for k, v in pnr.items()},  # ÅÅMMDDNNNN
    }
    src = base / "export"
    mapping = importer_export.write_export(data, src)
    for table, ids in forms.items():
        importer_export.write_csv(data, table, src / f"{table}.csv", person_ids=ids)
    return src, mapping


def _person_ids(out: Path, table: str) -> set[str]:
    con = duckdb.connect()
    return {
        r[0]
        for r in con.execute(
            "select distinct person_id from read_parquet($p)", {"p": str(out / f"{table}.parquet")}
        ).fetchall()
    }


def test_personnummer_are_pseudonymised_alike_in_every_table_and_run(tmp_path):
    src, mapping = _pnr_export(tmp_path)
    key = tmp_path / "hemlig" / "nyckel.bin"
    key.parent.mkdir()
    assert main(["importera-extrakt", "--skapa-nyckel", "--nyckel", str(key)]) == 0
    first = importera(src, tmp_path / "ut1", Options(mappning=mapping, nyckel=key))
    second = importera(src, tmp_path / "ut2", Options(mappning=mapping, nyckel=key))
    assert first.ok, first.problems.to_text()
    assert second.ok
    secret = key.read_bytes()
    pnr = _pnr_map(tmp_path / "fx")

    def keyed(pid: str) -> str:
        return "p" + hmac.new(secret, pnr[pid].encode(), hashlib.sha256).hexdigest()[:20]

    con = duckdb.connect()
    for table in ("anstallningar", "franvaro", "handelser"):
        # row by row, the pseudonym is the HMAC of the original person's 12-digit personnummer
        original = [
            r[0]
            for r in con.execute(
                "select person_id from read_parquet($p)", {"p": str(tmp_path / "fx" / f"{table}.parquet")}
            ).fetchall()
        ]
        imported = [
            r[0]
            for r in con.execute(
                "select person_id from read_parquet($p)", {"p": str(tmp_path / "ut1" / f"{table}.parquet")}
            ).fetchall()
        ]
        assert imported == [keyed(pid) for pid in original]
    for table in ("anstallningar", "franvaro", "handelser"):
        assert (tmp_path / "ut1" / f"{table}.parquet").read_bytes() == (
            tmp_path / "ut2" / f"{table}.parquet"
        ).read_bytes()
    # no personnummer, nor the key, anywhere in the extracts
    some = pnr["p01"]
    for f in (tmp_path / "ut1").iterdir():
        blob = f.read_bytes()
        assert some.encode() not in blob and some[2:].encode() not in blob
        assert secret not in blob
    assert validate(tmp_path / "ut1").ok


def test_personnummer_without_key_are_refused(tmp_path):
    src, mapping = _pnr_export(tmp_path)
    result = importera(src, tmp_path / "ut", Options(mappning=mapping))
    assert not result.ok
    text = result.problems.to_text()
    assert (
        "anstallningar.csv: kolumn Anställningsnummer: 287 rader har värden som ser ut som personnummer"
        in text
    )
    assert "rad 2, kolumn Anställningsnummer: «1951*********» ser ut som ett personnummer" in text
    assert "--nyckel" in text
    assert "saknas i anstallningar" not in text  # the 10- and 12-digit forms are one person
    assert "19510301-0001" not in text
    assert not (tmp_path / "ut").exists()


def test_key_file_is_private_and_never_overwritten(tmp_path):
    key = tmp_path / "nyckel"
    assert main(["importera-extrakt", "--skapa-nyckel", "--nyckel", str(key)]) == 0
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_bytes()) >= 32
    before = key.read_bytes()
    assert main(["importera-extrakt", "--skapa-nyckel", "--nyckel", str(key)]) == 1
    assert key.read_bytes() == before


def test_short_key_is_refused(tmp_path, capsys):
    src, mapping = _pnr_export(tmp_path)
    key = tmp_path / "kort"
    key.write_bytes(b"x" * 31)
    code = main(
        [
            "importera-extrakt",
            str(src),
            "--out",
            str(tmp_path / "ut"),
            "--mappning",
            str(mapping),
            "--nyckel",
            str(key),
        ]
    )
    assert code == 1
    assert "31 byte; en nyckel ska vara minst 32 byte" in capsys.readouterr().err


# --- shapes: one workbook, partitions, listing -------------------------------------------------


@pytest.fixture()
def fixture_export(tmp_path):
    data = tmp_path / "fx"
    data.mkdir()
    fixture_data.write(data)
    src = tmp_path / "export"
    mapping = importer_export.write_export(data, src)
    return data, src, mapping


def test_one_workbook_with_a_sheet_per_table(tmp_path, fixture_export):
    data, _, mapping = fixture_export
    book = tmp_path / "export.xlsx"
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for f in sorted(data.glob("*.parquet")):
        names, _, rows = importer_export.rows_of(data, f.stem)
        ws = wb.create_sheet(f.stem.capitalize())
        ws.append([importer_export.HEADERS.get(f.stem, {}).get(n, n) for n in names])
        for row in rows:
            ws.append(
                [
                    importer_export.cell(f.stem, n, v, "")
                    if n in importer_export.VALUES.get(f.stem, {})
                    else v
                    for n, v in zip(names, row, strict=True)
                ]
            )
    wb.save(book)
    result = importera(book, tmp_path / "ut", Options(mappning=mapping))
    assert result.ok, result.problems.to_text()
    period = dt.date(2024, 9, 1)
    same(figures(tmp_path / "ut", period, Scope.of()), figures(data, period, Scope.of()))


def test_large_tables_are_partitioned_by_year(tmp_path, fixture_export):
    data, src, mapping = fixture_export
    out = tmp_path / "ut"
    result = importera(src, out, Options(mappning=mapping, partition_rows=100))
    assert result.ok, result.problems.to_text()
    # anstallningar and franvaro (287 rows) are partitioned, handelser (12 rows) is not
    assert sorted(p.name for p in (out / "anstallningar").iterdir()) == ["ar=2023", "ar=2024"]
    assert (out / "franvaro" / "ar=2024").is_dir()
    assert (out / "handelser.parquet").is_file()
    assert validate(out).ok
    period = dt.date(2024, 9, 1)
    same(figures(out, period, Scope.of()), figures(data, period, Scope.of()))


def test_visa_kolumner_lists_headers_detection_and_unmapped(fixture_export, capsys):
    _, src, _ = fixture_export
    assert main(["importera-extrakt", "--visa-kolumner", str(src)]) == 0
    out = capsys.readouterr().out
    assert "anstallningar.csv → tabellen anstallningar" in out
    assert "kodning Windows-1252, separator semikolon (;), 287 datarader" in out
    assert "«Månad», «Anställningsnummer», «Förvaltning»" in out
    # Kön, Födelseår ... match by name; Månad and Anställningsnummer need the mapping
    assert "kontraktets kolumner som saknas: period, person_id, enhet, befattning" in out
    assert 'person_id = "Anställningsnummer"' in out
    assert "medarbetarenkat.xlsx → tabellen medarbetarenkat" in out


def test_replacing_extracts_keeps_other_tables(tmp_path, fixture_export):
    data, src, mapping = fixture_export
    out = tmp_path / "ut"
    shutil.copytree(data, out)
    (src / "mal.csv").unlink()
    (out / "README.txt").write_text("egen fil", encoding="utf-8")
    before_mal = (out / "mal.parquet").read_bytes()
    result = importera(src, out, Options(mappning=mapping))
    assert result.ok, result.problems.to_text()
    assert (out / "mal.parquet").read_bytes() == before_mal
    assert (out / "README.txt").read_text(encoding="utf-8") == "egen fil"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export", "fx", "mappning.toml", "ut"]


def test_cli_exit_codes(tmp_path, fixture_export, capsys):
    _, src, mapping = fixture_export
    assert (
        main(["importera-extrakt", str(src), "--out", str(tmp_path / "ut"), "--mappning", str(mapping)]) == 0
    )
    assert "Importen är klar: 7 tabeller skrivna" in capsys.readouterr().out
    assert main(["importera-extrakt", str(src), "--out", str(tmp_path / "ut2")]) == 1
    err = capsys.readouterr().err
    assert "Importen avbröts" in err and "kolumnen period saknas" in err
    assert os.path.isdir(tmp_path / "ut") and not (tmp_path / "ut2").exists()


def test_documented_example_imports_with_its_mapping(tmp_path):
    """docs/exempel: five people of one enhet in August and September 2024, figures counted by hand."""
    out = tmp_path / "ut"
    result = importera(
        ROOT / "docs" / "exempel" / "export",
        out,
        Options(mappning=ROOT / "docs" / "exempel" / "mappning.toml"),
    )
    assert result.ok, result.problems.to_text()
    got = figures(out, dt.date(2024, 9, 1), Scope.of())
    personal = got["personal"]
    # 10234, 10377, 11802 tillsvidare; 12011 visstid; 12450 timavlönad
    assert (
        personal["antal_tillsvidare"],
        personal["antal_tidsbegransade"],
        personal["antal_timavlonade"],
    ) == (3, 1, 1)
    assert personal["medelalder"] == pytest.approx((39 + 45 + 53 + 28) / 4)
    assert personal["antal_deltid"] == 1  # 10377 at 75 %
    assert personal["heltidsarbetande_andel_pct"] == pytest.approx(
        50.0
    )  # 10377 75 %, 12011 80 % actually worked
    # one avgang of a tillsvidare (10377, egen begäran), one rekrytering and one avgang of a visstid
    assert got["rorlighet"]["avgangar_tillsvidare_hittills"] == 1
    assert got["rorlighet"]["rekryteringar_tidsbegransade_hittills"] == 1
    assert got["rorlighet"]["avgangar_tidsbegransade_hittills"] == 1


def test_documented_example_listing_proposes_its_mapping(capsys):
    assert main(["importera-extrakt", "--visa-kolumner", str(ROOT / "docs" / "exempel" / "export")]) == 0
    out = capsys.readouterr().out
    for line in (
        'person_id = "Anst.nr"',
        'enhet = "Kostnadsställe"',
        'ordinarie_timmar = "Schemalagd tid"',
        'vag = "Till/från"',
    ):
        assert line in out


def test_command_as_a_process_exits_0_then_1_leaving_dir(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "ut"
    args = [
        sys.executable,
        "-m",
        "kfp_metrics",
        "importera-extrakt",
        str(ROOT / "docs" / "exempel" / "export"),
        "--out",
        str(out),
    ]
    ok = subprocess.run(
        [*args, "--mappning", str(ROOT / "docs" / "exempel" / "mappning.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    assert "Importen är klar: 3 tabeller skrivna" in ok.stdout
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)  # no mapping: columns missing
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert "anstallningar.csv: rad 1: kolumnen person_id saknas" in bad.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ut"]
