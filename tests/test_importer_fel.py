"""Broken exports are refused naming file, line, column and value, and DIR is left exactly as it was."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import fixture_data
import importer_export
import pytest

from kfp_metrics.cli import main
from kfp_metrics.importer import Options, importera, install


def tree_hash(folder: Path) -> str:
    """Every file's relative path, bytes and modification time under folder."""
    digest = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        st = p.stat()
        digest.update(f"{p.relative_to(folder)}|{p.is_dir()}|{st.st_mtime_ns}\n".encode())
        if p.is_file():
            digest.update(p.read_bytes())
    return digest.hexdigest()


@pytest.fixture()
def setup(tmp_path):
    """A clean export of the fixture, its mapping, and DIR already holding the fixture's extracts."""
    data = tmp_path / "fx"
    data.mkdir()
    fixture_data.write(data)
    src = tmp_path / "export"
    mapping = importer_export.write_export(data, src)
    dest = tmp_path / "ut" / "extrakt"
    shutil.copytree(data, dest)
    return src, mapping, dest


def lines_of(path: Path) -> list[str]:
    return path.read_bytes().decode("cp1252").split("\r\n")


def write_lines(path: Path, lines: list[str]) -> None:
    path.write_bytes("\r\n".join(lines).encode("cp1252"))


def set_field(path: Path, line: int, index: int, value: str) -> None:
    """Set field `index` of line `line` (header = line 1) of a cp1252 export."""
    lines = lines_of(path)
    fields = lines[line - 1].split(";")
    fields[index] = value
    lines[line - 1] = ";".join(fields)
    write_lines(path, lines)


def refused(src: Path, mapping: Path, dest: Path, **options) -> str:
    """Run the import, assert it refused and left DIR and its parent as before; the report text."""
    before = tree_hash(dest)
    beside = sorted(p.name for p in dest.parent.iterdir())
    result = importera(src, dest, Options(mappning=mapping, **options))
    assert not result.ok
    assert tree_hash(dest) == before
    assert sorted(p.name for p in dest.parent.iterdir()) == beside
    return result.problems.to_text()


# Anställningar columns: 0 Månad, 1 Anställningsnummer, ... 6 Kön, 7 Födelseår, 8 Anställningsform,
# 9 Sysselsättningsgrad. Line 1 is the header; the fixture has 287 rows (lines 2-288).


def test_bad_numbers_every_one_named(setup):
    src, mapping, dest = setup
    set_field(src / "anstallningar.csv", 4, 9, "1OO")
    set_field(src / "anstallningar.csv", 7, 9, "hel")
    text = refused(src, mapping, dest)
    assert "anstallningar.csv: kolumn Sysselsättningsgrad: 2 rader där värdet är inget tal" in text
    assert "rad 4, kolumn Sysselsättningsgrad: «1OO» är inget tal" in text
    assert "rad 7, kolumn Sysselsättningsgrad: «hel» är inget tal" in text


def test_bad_date(setup):
    src, mapping, dest = setup
    set_field(src / "handelser.csv", 3, 0, "20241341")
    text = refused(src, mapping, dest)
    assert "handelser.csv: kolumn Datum: 1 rad där värdet är inget datum" in text
    assert "rad 3, kolumn Datum: «20241341» är inget datum (ÅÅÅÅ-MM-DD eller ÅÅÅÅMMDD)" in text


def test_bad_month(setup):
    src, mapping, dest = setup
    set_field(src / "franvaro.csv", 10, 0, "2024-13")
    text = refused(src, mapping, dest)
    assert "rad 10, kolumn Månad: «2024-13» är ingen månad" in text


def test_unknown_codes_with_the_mapping_lines_to_add(setup):
    src, mapping, dest = setup
    set_field(src / "anstallningar.csv", 5, 6, "Okänd")
    set_field(src / "anstallningar.csv", 6, 6, "kvinna")
    text = refused(src, mapping, dest)
    assert (
        "anstallningar.csv: kolumn Kön: 2 rader har värden som inte är koder för kon (tillåtna: K, M)" in text
    )
    assert "rad 5, kolumn Kön: «Okänd» är ingen kod för kon" in text
    assert "rad 6, kolumn Kön: «kvinna» är ingen kod för kon" in text
    assert "[anstallningar.varden.kon]" in text
    assert '"kvinna" = "K"' in text  # the mapping's "Kvinna" = "K", in another case
    assert '"Okänd" = ""  # en av: K, M' in text


def test_missing_column_suggests_the_header_and_the_line(setup):
    src, mapping, dest = setup
    set_field(src / "handelser.csv", 1, 9, "Födelsedatum")
    text = refused(src, mapping, dest)
    assert "handelser.csv: rad 1: kolumnen fodelsear saknas (krävs enligt datakontraktet)" in text
    assert 'fodelsear = "Födelsedatum"' in text
    assert "[handelser.kolumner]" in text


def test_unknown_header_suggests_the_contract_column(setup):
    src, mapping, dest = setup
    set_field(src / "anstallningar.csv", 1, 9, "Syssgrad")
    text = refused(src, mapping, dest)
    assert "kolumnen sysselsattningsgrad saknas" in text
    assert 'sysselsattningsgrad = "Syssgrad"' in text


def test_duplicate_key(setup):
    src, mapping, dest = setup
    path = src / "franvaro.csv"
    lines = lines_of(path)
    assert lines[-1] == ""  # the export ends with a line break
    month, person = lines[5].split(";")[:2]
    lines.insert(len(lines) - 1, lines[5])  # line 6 again, as line 289
    write_lines(path, lines)
    text = refused(src, mapping, dest)
    assert "franvaro.csv: 2 rader har samma Månad och Anställningsnummer som en annan rad" in text
    assert f"rad 6 och 289: samma Månad «{month}», Anställningsnummer «{person}»" in text


def test_truncated_file(setup):
    src, mapping, dest = setup
    path = src / "anstallningar.csv"
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) - 30])  # cut inside the last row (line 288)
    text = refused(src, mapping, dest)
    assert "anstallningar.csv: 1 rad har färre fält än rubrikraden (12); filen verkar avkortad" in text
    assert "rad 288: " in text


def test_mixed_encoding(setup):
    src, mapping, dest = setup
    path = src / "anstallningar.csv"
    lines = path.read_bytes().split(b"\r\n")
    lines[9] = lines[9].decode("cp1252").encode("utf-8")  # line 10 pasted in from a UTF-8 file
    path.write_bytes(b"\r\n".join(lines))
    text = refused(src, mapping, dest)
    assert "anstallningar.csv: filen blandar UTF-8 och Windows-1252" in text
    assert "rad 1, kolumn Månad: byten 0xE5 i «Månad» är inte giltig UTF-8" in text


def test_stated_encoding_that_does_not_fit(setup):
    src, mapping, dest = setup
    text = refused(src, mapping, dest, kodning="utf-8")
    assert "innehåller tecken som inte är giltig UTF-8 (kodningen UTF-8 angavs)" in text
    assert "rad 1, kolumn Månad: byten 0xE5" in text


def test_utf16(setup):
    src, mapping, dest = setup
    path = src / "franvaro.csv"
    path.write_bytes(path.read_bytes().decode("cp1252").encode("utf-16"))
    text = refused(src, mapping, dest)
    assert "franvaro.csv: filen är kodad som UTF-16" in text


def test_broken_workbook(setup):
    src, mapping, dest = setup
    path = src / "medarbetarenkat.xlsx"
    path.write_bytes(path.read_bytes()[:2000])
    text = refused(src, mapping, dest)
    assert (
        "medarbetarenkat.xlsx: filen kan inte läsas som Excel-arbetsbok (filen är skadad eller avkortad)"
        in text
    )


def test_mapping_header_not_in_the_file(setup):
    src, mapping, dest = setup
    mapping.write_text(
        mapping.read_text(encoding="utf-8").replace('"Enhet namn"', '"Enhetsnamn"', 1), encoding="utf-8"
    )
    line = next(
        i for i, t in enumerate(mapping.read_text(encoding="utf-8").splitlines(), 1) if "Enhetsnamn" in t
    )
    text = refused(src, mapping, dest)
    assert (
        f'anstallningar.csv: mappningen (rad {line}) anger enhet = "Enhetsnamn", men filen har ingen rubrik «Enhetsnamn». Närmast bland filens rubriker: «Enhet namn».'
        in text
    )


def test_every_problem_in_every_file_in_one_report(setup, capsys):
    src, mapping, dest = setup
    set_field(src / "anstallningar.csv", 4, 9, "1OO")
    set_field(src / "anstallningar.csv", 8, 7, "19x0")
    set_field(src / "handelser.csv", 3, 0, "20241341")
    set_field(src / "franvaro.csv", 2, 3, "mycket")
    before = tree_hash(dest)
    code = main(["importera-extrakt", str(src), "--out", str(dest), "--mappning", str(mapping)])
    assert code == 1
    err = capsys.readouterr().err
    assert "Importen avbröts: 4 fel. Ingenting har skrivits" in err
    for expected in (
        "rad 4, kolumn Sysselsättningsgrad: «1OO» är inget tal",
        "rad 8, kolumn Födelseår: «19x0» är inget heltal",
        "rad 3, kolumn Datum: «20241341» är inget datum",
        "rad 2, kolumn Sjukfrånvaro (tim): «mycket» är inget tal",
    ):
        assert expected in err
    assert tree_hash(dest) == before


def test_contract_rule_named_with_its_line(setup):
    src, mapping, dest = setup
    set_field(src / "franvaro.csv", 3, 3, "150")  # sjuk_timmar above the 100 ordinary hours
    text = refused(src, mapping, dest)
    assert 'franvaro.csv: 1 rad bryter mot regeln "0 ≤ sjuk_timmar ≤ ordinarie_timmar"' in text
    assert "rad 3: Sjukfrånvaro (tim) «150», Ordinarie tid (tim) «100»" in text


def test_failed_move_puts_everything_back(setup, monkeypatch):
    src, mapping, dest = setup
    before = tree_hash(dest)
    beside = sorted(p.name for p in dest.parent.iterdir())
    real = install.os.rename
    calls = {"n": 0}

    def flaky(a, b):
        calls["n"] += 1
        if calls["n"] == 10:  # after the old tables are aside and some new ones are in
            raise OSError(28, "No space left on device")
        return real(a, b)

    monkeypatch.setattr(install.os, "rename", flaky)
    result = importera(src, dest, Options(mappning=mapping))
    assert not result.ok
    assert calls["n"] > 10  # the undo ran
    assert "kunde inte flyttas på plats" in result.problems.to_text()
    assert tree_hash(dest) == before
    assert sorted(p.name for p in dest.parent.iterdir()) == beside


def test_excel_cells_named_by_sheet_row(setup):
    import openpyxl

    src, mapping, dest = setup
    path = src / "medarbetarenkat.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    headers = [c.value for c in ws[1]]
    ws.cell(row=5, column=headers.index("Index") + 1, value="hög")
    ws.cell(row=7, column=headers.index("År") + 1, value="2O24")
    wb.save(path)
    text = refused(src, mapping, dest)
    assert "medarbetarenkat.xlsx: kolumn Index: 1 rad där värdet är inget tal" in text
    assert "rad 5, kolumn Index: «hög» är inget tal" in text
    assert "rad 7, kolumn År: «2O24» är inget heltal" in text


def test_duplicate_id(setup):
    src, mapping, dest = setup
    path = src / "incidenter.csv"
    lines = lines_of(path)
    first_id = lines[1].split(";")[0]
    set_field(path, 4, 0, first_id)
    text = refused(src, mapping, dest)
    assert f"rad 2 och 4: samma incident_id «{first_id}»" in text


def test_values_are_checked_even_when_a_column_is_missing(setup):
    src, mapping, dest = setup
    set_field(src / "anstallningar.csv", 1, 7, "Född")  # fodelsear's header unknown
    set_field(src / "anstallningar.csv", 4, 9, "1OO")
    text = refused(src, mapping, dest)
    assert "anstallningar.csv: rad 1: kolumnen fodelsear saknas" in text
    assert "rad 4, kolumn Sysselsättningsgrad: «1OO» är inget tal" in text
