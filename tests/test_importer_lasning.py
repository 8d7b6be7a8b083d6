"""Reading CSV exports: detection per file, number and date forms, line numbers past blank lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from kfp_metrics.importer import Options, importera
from kfp_metrics.importer.detect import detect_separator
from kfp_metrics.importer.mapping import closest, plain

ANST = [
    "period",
    "person_id",
    "forvaltning",
    "avdelning",
    "enhet",
    "befattning",
    "kon",
    "fodelsear",
    "anstallningsform",
    "sysselsattningsgrad",
]
FR = ["period", "person_id", "ordinarie_timmar", "sjuk_timmar", "sjuk_kort_timmar", "sjuk_lang_timmar"]
HA = [
    "datum",
    "person_id",
    "handelse",
    "forvaltning",
    "avdelning",
    "enhet",
    "befattning",
    "anstallningsform",
    "kon",
    "fodelsear",
    "vag",
    "orsak",
]


def export(
    folder: Path,
    sep: str,
    anst_rows: list[list[str]],
    fr_rows: list[list[str]],
    *,
    encoding="utf-8",
    bom=False,
    blank_after: int | None = None,
) -> Path:
    """A minimal export with contract headers; blank_after inserts an empty line after that data row."""
    folder.mkdir()

    def write(name, header, rows):
        lines = [sep.join(header)] + [sep.join(r) for r in rows]
        if blank_after is not None and name == "anstallningar":
            lines.insert(blank_after + 1, "")
        data = ("\n".join(lines) + "\n").encode(encoding)
        (folder / f"{name}.csv").write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)

    write("anstallningar", ANST, anst_rows)
    write("franvaro", FR, fr_rows)
    write(
        "handelser",
        HA,
        [["2024-09-01", "a1", "rekrytering", "F", "A", "E", "B", "tillsvidare", "K", "1980", "extern", ""]],
    )
    return folder


def person(pid: str, syss: str) -> list[str]:
    return [
        "2024-09",
        pid,
        "Förvaltningen",
        "Avdelningen",
        "Enheten",
        "Sjuksköterska",
        "K",
        "1980",
        "tillsvidare",
        syss,
    ]


def hours(pid: str, ordinarie: str) -> list[str]:
    return ["2024-09-01", pid, ordinarie, "0", "0", "0"]


def read(path: Path, column: str) -> list:
    con = duckdb.connect()
    return [r[0] for r in con.execute(f"select {column} from read_parquet($p)", {"p": str(path)}).fetchall()]


def test_comma_separated_with_decimal_points_and_bom(tmp_path):
    src = export(
        tmp_path / "e",
        ",",
        [person("a1", "62.5"), person("a2", "100")],
        [hours("a1", "1234.25"), hours("a2", "80")],
        bom=True,
    )
    result = importera(src, tmp_path / "ut", Options())
    assert result.ok, result.problems.to_text()
    assert read(tmp_path / "ut" / "anstallningar.parquet", "sysselsattningsgrad") == [62.5, 100.0]
    assert read(tmp_path / "ut" / "franvaro.parquet", "ordinarie_timmar") == [1234.25, 80.0]
    assert read(tmp_path / "ut" / "anstallningar.parquet", "period") == [dt.date(2024, 9, 1)] * 2
    assert "UTF-8, komma (,)" in result.written[0] and "decimalpunkt" in result.written[0]


def test_tab_separated_windows_1252_with_spaces_between_thousands(tmp_path):
    src = export(
        tmp_path / "e",
        "\t",
        [person("a1", "62,5 %"), person("a2", "100")],
        [hours("a1", "1\u00a0234,25"), hours("a2", "1 000")],
        encoding="cp1252",
    )
    result = importera(src, tmp_path / "ut", Options())
    assert result.ok, result.problems.to_text()
    assert read(tmp_path / "ut" / "anstallningar.parquet", "sysselsattningsgrad") == [62.5, 100.0]
    assert read(tmp_path / "ut" / "franvaro.parquet", "ordinarie_timmar") == [1234.25, 1000.0]
    assert read(tmp_path / "ut" / "anstallningar.parquet", "enhet") == ["Enheten", "Enheten"]
    assert "Windows-1252, tabb" in result.written[0]


def test_line_numbers_count_blank_lines(tmp_path):
    rows = [person(f"a{i}", "100") for i in range(1, 6)]
    rows[3][9] = "fel"  # the 4th data row: line 5, or line 6 after the blank line below
    src = export(tmp_path / "e", ";", rows, [hours(f"a{i}", "80") for i in range(1, 6)], blank_after=2)
    result = importera(src, tmp_path / "ut", Options())
    assert not result.ok
    assert "rad 6, kolumn sysselsattningsgrad: «fel» är inget tal" in result.problems.to_text()


def test_override_decimal_mark(tmp_path):
    # without commas in the file a lone "62.5" makes it a decimal-point file; --decimal komma refuses it
    src = export(
        tmp_path / "e",
        ";",
        [person("a1", "62.5"), person("a2", "100")],
        [hours("a1", "80"), hours("a2", "80")],
    )
    result = importera(src, tmp_path / "ut", Options(decimal="komma"))
    assert not result.ok
    assert (
        "rad 2, kolumn sysselsattningsgrad: «62.5» är inget tal (filen har decimalkomma)"
        in result.problems.to_text()
    )


@pytest.mark.parametrize(
    "head, expected",
    [
        ("a;b;c\n1;2,5;3\n", ";"),
        ('a,b,c\n1,"2,5",3\n', ","),
        ("a\tb\tc\n1\t2,5\t3\n", "\t"),
        ('Namn;Belopp\n"Berg, Anna";1,5\n', ";"),
    ],
)
def test_detect_separator(head, expected):
    assert detect_separator(head) == expected


@pytest.mark.parametrize(
    "header, expected",
    [
        ("Kön", "kon"),
        ("Födelseår", "fodelsear"),
        ("Personnummer", "person_id"),
        ("Syssgrad", "sysselsattningsgrad"),
        ("Sysselsättningsgrad %", "sysselsattningsgrad"),
        ("Löneart", None),
    ],
)
def test_closest_contract_column(header, expected):
    cols = ["period", "person_id", "kon", "fodelsear", "sysselsattningsgrad", "befattning"]
    assert closest(header, cols) == expected


def test_plain_form():
    assert plain(" Sjukfrånvaro (tim) ") == "sjukfranvarotim"


def test_excel_percent_cells_are_read_as_percent(tmp_path):
    import openpyxl

    src = export(tmp_path / "e", ";", [person("a1", "100")], [hours("a1", "80")])
    (src / "anstallningar.csv").unlink()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(ANST)
    for pid, syss in (("a1", 0.625), ("a2", 1)):
        ws.append(["2024-09", pid, "F", "A", "E", "B", "K", 1980, "tillsvidare", syss])
        ws.cell(row=ws.max_row, column=10).number_format = "0.0%"
    wb.save(src / "anstallningar.xlsx")
    (src / "franvaro.csv").write_text(
        "period;person_id;ordinarie_timmar;sjuk_timmar;sjuk_kort_timmar;sjuk_lang_timmar\n2024-09;a1;80;0;0;0\n2024-09;a2;80;0;0;0\n",
        encoding="utf-8",
    )
    result = importera(src, tmp_path / "ut", Options())
    assert result.ok, result.problems.to_text()
    assert read(tmp_path / "ut" / "anstallningar.parquet", "sysselsattningsgrad") == [62.5, 100.0]
