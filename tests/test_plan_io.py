"""Importing plans from Excel and CSV, writing aktiviteter.parquet, exporting for the nämnd."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook, load_workbook

from kfp_metrics import plan_io
from kfp_metrics.aktivitetslogg import append_change, current_plan
from kfp_metrics.plan_io import (
    COLUMNS,
    PlanImportError,
    export_plan,
    export_plan_bytes,
    import_plan,
    parse_maldatum,
    parse_plan_status,
    parse_ubaria,
    write_aktiviteter,
)

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "plan_exempel.xlsx"
D = dt.date

# Read by hand from make_plan_exempel.py: (id, ubaria, avdelning, maldatum, status).
EXPECTED_FIXTURE = [
    ("A-001", "utveckla", None, D(2025, 12, 15), "pagar"),  # an Excel date
    ("A-002", "utveckla", "Äldreomsorg", D(2026, 9, 30), "pagar"),  # "30 september 2026", code
    ("A-003", "utveckla", "Äldreomsorg", D(2026, 6, 30), "ej_paborjad"),  # "Q2 2026"
    ("A-004", "utveckla", "Förskola", D(2026, 8, 31), "ej_paborjad"),  # "tertial 2 2026", blank status
    ("A-005", "behalla", "Barn och unga", D(2026, 6, 30), "pagar"),  # "2026-06"
    ("A-006", "behalla", "Vuxna", D(2026, 6, 30), "klar"),  # "juni 2026"
    ("A-007", "behalla", None, D(2025, 12, 31), "pagar"),  # "kvartal 4 2025"
    ("A-008", "attrahera", "Vuxna", D(2025, 12, 31), "klar"),  # "HT 2025"
    ("A-009", "attrahera", None, D(2026, 12, 31), "ej_paborjad"),  # "2026"
    ("A-010", "rekrytera", None, D(2025, 11, 30), "pagar"),  # "2025-11-30" as text
    ("A-011", "rekrytera", "Äldreomsorg", D(2025, 12, 31), "installd"),  # "T3 2025"
    ("A-012", "introducera", "Barn och unga", D(2025, 12, 31), "pagar"),  # "december 2025"
    ("A-013", "introducera", None, D(2026, 3, 31), "ej_paborjad"),  # an Excel date
    ("A-014", "avsluta", None, D(2026, 3, 31), "ej_paborjad"),  # "31 mars 2026"
    ("A-015", "avsluta", None, D(2026, 12, 31), "ej_paborjad"),  # "Q4 2026"
]


@pytest.fixture(scope="module")
def fixture_plan():
    return import_plan(FIXTURE, forvaltning="Socialförvaltningen")


def test_fixture_plan_imports(fixture_plan):
    plan, warnings = fixture_plan
    assert list(plan.columns) == list(COLUMNS)
    got = [
        (r.aktivitet_id, r.ubaria, r.avdelning, r.maldatum, r.status) for r in plan.itertuples(index=False)
    ]
    assert got == EXPECTED_FIXTURE
    assert set(plan["forvaltning"]) == {"Socialförvaltningen"}
    assert all(isinstance(d, dt.date) for d in plan["maldatum"])


def test_fixture_details(fixture_plan):
    plan, warnings = fixture_plan
    by_id = plan.set_index("aktivitet_id")
    # The Mål merged over rows 7–8 belongs to both activities.
    assert (
        by_id.loc["A-003", "mal"]
        == by_id.loc["A-002", "mal"]
        == ("Medarbetare med rätt kompetens i demens och kognitiv svikt")
    )
    assert by_id.loc["A-001", "uppfoljning"] == "Två forum genomförda.\nNästa i oktober."
    assert by_id.loc["A-013", "aktivitet"] == 'Alla nya chefer går introduktionsprogrammet "Chef i staden"'
    assert by_id.loc["A-004", "uppfoljning"] is None
    assert by_id.loc["A-001", "nyckeltal"] is None
    # The note under the table (row 27) is reported and skipped, not imported.
    assert len(warnings) == 1 and "rad 27" in warnings[0]


def test_fixture_without_forvaltning_is_refused():
    with pytest.raises(PlanImportError, match="förvaltning saknas.*--forvaltning"):
        import_plan(FIXTURE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-06-30", D(2026, 6, 30)),
        ("2026-6-3", D(2026, 6, 3)),
        ("2026/06/30", D(2026, 6, 30)),
        ("20260630", D(2026, 6, 30)),
        ("2026-06", D(2026, 6, 30)),
        ("2024-02", D(2024, 2, 29)),
        ("juni 2026", D(2026, 6, 30)),
        ("Juni 2026", D(2026, 6, 30)),
        ("feb 2025", D(2025, 2, 28)),
        ("sept. 2026", D(2026, 9, 30)),
        ("30 juni 2026", D(2026, 6, 30)),
        ("1 mars 2026", D(2026, 3, 1)),
        ("30:e juni 2026", D(2026, 6, 30)),
        ("Q2 2026", D(2026, 6, 30)),
        ("q1-2026", D(2026, 3, 31)),
        ("2026 Q3", D(2026, 9, 30)),
        ("kvartal 2 2026", D(2026, 6, 30)),
        ("Kvartal 4, 2025", D(2025, 12, 31)),
        ("kv 1 2027", D(2027, 3, 31)),
        ("andra kvartalet 2026", D(2026, 6, 30)),
        ("tertial 1 2026", D(2026, 4, 30)),
        ("tertial 2 2026", D(2026, 8, 31)),
        ("T3 2025", D(2025, 12, 31)),
        ("2:a tertialet 2026", D(2026, 8, 31)),
        ("halvår 1 2026", D(2026, 6, 30)),
        ("H2 2026", D(2026, 12, 31)),
        ("VT 2026", D(2026, 6, 30)),
        ("hösten 2026", D(2026, 12, 31)),
        ("2026", D(2026, 12, 31)),
        ("2019-2022", D(2022, 12, 31)),
        ("2019–2022", D(2022, 12, 31)),
        ("senast 2026-03-31", D(2026, 3, 31)),
        ("  30 juni 2026. ", D(2026, 6, 30)),
        (dt.datetime(2026, 5, 17, 0, 0), D(2026, 5, 17)),
        (D(2026, 5, 17), D(2026, 5, 17)),
        (2026, D(2026, 12, 31)),
        (2026.0, D(2026, 12, 31)),
        (46203, D(2026, 6, 30)),  # an Excel serial day number
    ],
)
def test_parse_maldatum(text, expected):
    assert parse_maldatum(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "vecka 12",
        "Löpande",
        "Q5 2026",
        "tertial 4 2026",
        "2026-13",
        "2026-02-30",
        "32 juni 2026",
        "juni",
        "1850",
        "2022-2019",
        "30 jumi 2026",
        12.5,
        123,
    ],  # fmt: skip
)
def test_parse_maldatum_refuses(text):
    with pytest.raises(ValueError, match="okänt datum"):
        parse_maldatum(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ej påbörjad", "ej_paborjad"),
        ("ej_paborjad", "ej_paborjad"),
        ("EJ PÅBÖRJAD", "ej_paborjad"),
        ("Pågår", "pagar"),
        ("pagar", "pagar"),
        ("Pågående", "pagar"),
        ("Klar", "klar"),
        ("Genomförd", "klar"),
        ("Inställd", "installd"),
        ("installd", "installd"),
        ("Avbruten", "installd"),
        ("Kanske", None),
    ],
)
def test_parse_plan_status(text, expected):
    assert parse_plan_status(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Utveckla", "utveckla"),
        ("BEHÅLLA", "behalla"),
        ("Behålla – att behålla medarbetare", "behalla"),
        ("Behalla", "behalla"),
        ("Attrahera: synas som arbetsgivare", "attrahera"),
        ("3. Rekrytera", "rekrytera"),
        ("Introducera (en god start)", "introducera"),
        ("Avsluta", "avsluta"),
        ("Behålla och utveckla", "behalla"),
        ("Utveckla kompetensen hos chefer", None),
        ("Ubaria", None),
        ("Förskola", None),
    ],
)
def test_parse_ubaria(text, expected):
    assert parse_ubaria(text) == expected


CSV_SEMICOLON = (
    "Aktivitetsplan 2026;;;;;;;\n"
    ";;;;;;;\n"
    "Id;UBARIA;Mal;Aktivitet;Maldatum;Ansvarig;Status;Uppfoljning\n"
    'K-1;Utveckla;Nära ledarskap;"Chefsforum; fyra per år";Q2 2026;HR-chef;Pågår;"Rad ett\nRad två"\n'
    "K-2;behalla;Lägre sjukfrånvaro;Riktade uppföljningar;30 september 2026;HR;;\n"
    ";;;;;;;\n"
    "K-3;Avsluta;Lära av avgångar;Exitsamtal;2026;HR;klar;Klart 🎉\n"
)


def test_csv_with_semicolons_bom_and_ubaria_column(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(b"\xef\xbb\xbf" + CSV_SEMICOLON.encode("utf-8"))
    plan, warnings = import_plan(path, forvaltning="Kulturförvaltningen")
    assert warnings == []
    assert [
        (r.aktivitet_id, r.ubaria, r.mal, r.aktivitet, r.maldatum, r.ansvarig, r.status, r.uppfoljning)
        for r in plan.itertuples(index=False)
    ] == [
        ("K-1", "utveckla", "Nära ledarskap", "Chefsforum; fyra per år", D(2026, 6, 30), "HR-chef", "pagar",
         "Rad ett\nRad två"),
        ("K-2", "behalla", "Lägre sjukfrånvaro", "Riktade uppföljningar", D(2026, 9, 30), "HR", "ej_paborjad", None),
        ("K-3", "avsluta", "Lära av avgångar", "Exitsamtal", D(2026, 12, 31), "HR", "klar", "Klart 🎉"),
    ]  # fmt: skip
    assert set(plan["forvaltning"]) == {"Kulturförvaltningen"}


def test_csv_with_commas_headings_and_forvaltning_column(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(
        "MÅL , aktivitet,MÅLDATUM,Ansvarig,Uppföljning,Förvaltning,Avdelning,Nyckeltal\n"
        "Rekrytera,,,,,,,\n"
        "Fler sökande,Annonsera brett,2026-03,HR,,Miljöförvaltningen,Tillsyn,personalomsattning_pct\n"
        "Introducera,,,,,,,\n"
        'Trygg start,"Mentor för nyanställda, alla",mars 2026,Enhetschef,,Miljöförvaltningen,,\n',
        encoding="utf-8",
    )
    plan, _ = import_plan(path)
    assert list(plan["aktivitet_id"]) == ["A-001", "A-002"]
    assert list(plan["ubaria"]) == ["rekrytera", "introducera"]
    assert list(plan["forvaltning"]) == ["Miljöförvaltningen", "Miljöförvaltningen"]
    assert list(plan["avdelning"]) == ["Tillsyn", None]
    assert list(plan["nyckeltal"]) == ["personalomsattning_pct", None]
    assert list(plan["aktivitet"]) == ["Annonsera brett", "Mentor för nyanställda, alla"]
    assert list(plan["maldatum"]) == [D(2026, 3, 31), D(2026, 3, 31)]


def test_csv_in_windows_1252_is_read_with_a_warning(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(
        "Mål;Aktivitet;Måldatum;Ansvarig\nBehålla\nFärre avgångar;Lönekartläggning;2026;HR\n".encode("cp1252")
    )
    plan, warnings = import_plan(path, forvaltning="X")
    assert list(plan["mal"]) == ["Färre avgångar"]
    assert any("Windows-1252" in w for w in warnings)


def _xlsx(path: Path, rows: list[list], sheet: str = "Plan") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


HEADER = ["Mål", "Aktivitet", "Måldatum", "Ansvarig", "Uppföljning", "Status"]


def test_errors_name_file_sheet_rows_and_columns(tmp_path):
    path = _xlsx(
        tmp_path / "fel.xlsx",
        [
            ["Aktivitetsplan 2026"],  # row 1
            HEADER,  # row 2
            ["Ett mål utan område", "Aktivitet", "2026", "HR"],  # row 3: no UBARIA above
            ["Utveckla"],  # row 4
            ["Bättre chefer", "Chefsforum", "vecka 12", "HR"],  # row 5: bad date
            ["Bättre chefer", None, "2026-06-30", "HR"],  # row 6: no aktivitet
            ["Bättre chefer", "Mentorer", "2026-06-30", "HR", None, "Nästan klar"],  # row 7: bad status
            ["Bättre chefer", "Coachning", "Q7 2026", "HR"],  # row 8: bad date
        ],
    )
    with pytest.raises(PlanImportError) as info:
        import_plan(path, forvaltning="X")
    message = str(info.value)
    assert message.startswith('fel.xlsx, blad "Plan" kunde inte importeras:')
    assert "\n" not in message
    assert "rad 3: UBARIA-område saknas" in message
    assert "rad 5, kolumn Måldatum (C): kan inte tolka datumet (okänt datum 'vecka 12')" in message
    assert "rad 6, kolumn Aktivitet (B): aktivitet saknas" in message
    assert "rad 7, kolumn Status (F): okänd status 'Nästan klar'" in message
    assert "rad 8, kolumn Måldatum (C)" in message
    assert len(info.value.problems) == 5
    assert isinstance(info.value, ValueError)


def test_error_rows_are_grouped(tmp_path):
    path = _xlsx(tmp_path / "utan.xlsx", [HEADER, ["Mål 1", "A", "2026", "HR"], ["Mål 2", "B", "2026", "HR"]])
    with pytest.raises(PlanImportError, match="rad 2, 3: UBARIA-område saknas"):
        import_plan(path, forvaltning="X")


def test_heading_in_the_mal_column_after_an_id_column(tmp_path):
    path = _xlsx(
        tmp_path / "id.xlsx",
        [["Nr", *HEADER], [None, "Rekrytera – rätt person"], ["R1", "Fler sökande", "Mässor", "2026", "HR"]],
    )
    plan, _ = import_plan(path, forvaltning="X")
    assert (plan["aktivitet_id"].tolist(), plan["ubaria"].tolist()) == (["R1"], ["rekrytera"])


def test_unknown_ubaria_in_column_and_duplicate_ids(tmp_path):
    path = _xlsx(
        tmp_path / "kol.xlsx",
        [
            ["Id", "Område", *HEADER],
            ["X-1", "Utveckla", "Mål", "Aktivitet", "2026", "HR"],
            ["X-1", "Behålla", "Mål", "Aktivitet 2", "2026", "HR"],
            ["X-3", "Omställning", "Mål", "Aktivitet 3", "2026", "HR"],
        ],
    )
    with pytest.raises(PlanImportError) as info:
        import_plan(path, forvaltning="X")
    assert "rad 3, kolumn Id (A): id 'X-1' finns redan på rad 2" in str(info.value)
    assert "rad 4, kolumn UBARIA (B): okänt UBARIA-område 'Omställning'" in str(info.value)


def test_missing_required_column_is_named(tmp_path):
    path = _xlsx(tmp_path / "kol.xlsx", [["Titel"], ["Mål", "Aktivitet", "Ansvarig", "Uppföljning"]])
    with pytest.raises(PlanImportError, match=r'kol.xlsx, blad "Plan", rad 2: kolumnen Måldatum saknas'):
        import_plan(path, forvaltning="X")


def test_file_without_a_plan_table(tmp_path):
    path = _xlsx(tmp_path / "tom.xlsx", [["Bara text"], ["mer text"]])
    with pytest.raises(PlanImportError, match="hittade ingen rubrikrad"):
        import_plan(path)
    with pytest.raises(PlanImportError, match="finns inte"):
        import_plan(tmp_path / "saknas.xlsx")
    (tmp_path / "plan.pdf").write_bytes(b"%PDF")
    with pytest.raises(PlanImportError, match="okänd filtyp"):
        import_plan(tmp_path / "plan.pdf")


def test_plan_on_a_later_sheet_and_empty_date(tmp_path):
    wb = Workbook()
    wb.active.title = "Instruktioner"
    wb.active.append(["Fyll i planen på nästa blad."])
    ws = wb.create_sheet("Aktiviteter 2026")
    for row in (HEADER, ["Attrahera"], ["Synas mer", "Mässor", None, "Kommunikation"]):
        ws.append(row)
    wb.save(tmp_path / "två.xlsx")
    plan, warnings = import_plan(tmp_path / "två.xlsx", forvaltning="X")
    assert list(plan["aktivitet"]) == ["Mässor"]
    assert plan["maldatum"].tolist() == [None]
    assert any('blad "Aktiviteter 2026", rad 3: Måldatum saknas' in w for w in warnings)


# --- parquet ---------------------------------------------------------------------------------


def test_write_aktiviteter_matches_the_contract(fixture_plan, tmp_path):
    plan, _ = fixture_plan
    target = write_aktiviteter(plan, tmp_path / "ut")
    assert target == tmp_path / "ut" / "aktiviteter.parquet"
    table = pq.read_table(target)
    assert table.schema.names == list(COLUMNS)
    assert table.schema.field("maldatum").type == pa.date32()
    assert all(table.schema.field(c).type == pa.string() for c in COLUMNS if c != "maldatum")
    assert table.column("maldatum").to_pylist() == [e[3] for e in EXPECTED_FIXTURE]
    assert table.column("avdelning").to_pylist()[:2] == [None, "Äldreomsorg"]
    assert [p.name for p in (tmp_path / "ut").iterdir()] == ["aktiviteter.parquet"]


def test_failed_write_keeps_the_old_file(fixture_plan, tmp_path, monkeypatch):
    plan, _ = fixture_plan
    out = tmp_path / "ut"
    write_aktiviteter(plan.head(2), out)
    before = (out / "aktiviteter.parquet").read_bytes()

    def half_written(table, where):
        Path(where).write_bytes(b"PAR1 halv")
        raise OSError("disken är full")

    monkeypatch.setattr(plan_io.pq, "write_table", half_written)
    with pytest.raises(OSError, match="disken är full"):
        write_aktiviteter(plan, out)
    assert (out / "aktiviteter.parquet").read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["aktiviteter.parquet"]


@pytest.mark.parametrize(
    ("column", "value", "fragment"),
    [
        ("status", "kanske", "Okänd status"),
        ("ubaria", "utv", "UBARIA"),
        ("forvaltning", None, "Förvaltning"),
        ("aktivitet_id", "A-001", "unikt"),
    ],  # fmt: skip
)
def test_invalid_plan_is_not_written(fixture_plan, tmp_path, column, value, fragment):
    plan, _ = fixture_plan
    bad = plan.copy()
    bad.loc[1, column] = value
    with pytest.raises(ValueError, match=fragment):
        write_aktiviteter(bad, tmp_path)
    assert not (tmp_path / "aktiviteter.parquet").exists()


def test_current_state_is_never_written_as_the_plan(fixture_plan, tmp_path):
    plan, _ = fixture_plan
    write_aktiviteter(plan, tmp_path / "data")
    now = current_plan(tmp_path / "data", state_dir=tmp_path / "state")
    with pytest.raises(ValueError, match="som den antogs"):
        write_aktiviteter(now, tmp_path / "data2")


# --- export ----------------------------------------------------------------------------------


def test_export_layout(fixture_plan, tmp_path):
    plan, _ = fixture_plan
    write_aktiviteter(plan, tmp_path / "data")
    state = tmp_path / "state"
    append_change("A-004", "klar", "Föreläsningarna hållna", "Rektor", state_dir=state)
    append_change("A-009", "pagar", '=HYPERLÄNK("x")', "Kommunikation", state_dir=state)
    now = current_plan(tmp_path / "data", state_dir=state)
    path = export_plan(now, tmp_path / "nämnd.xlsx", referensdatum=D(2026, 1, 1))

    wb = load_workbook(path)
    assert wb.sheetnames == ["Aktivitetsplan"]
    ws = wb["Aktivitetsplan"]
    header = [c.value for c in ws[4]]
    assert header == ["Mål", "Aktivitet", "Måldatum", "Ansvarig", "Avdelning", "Status", "Senaste uppföljning",
                      "Försenad", "Id", "Nyckeltal", "Kompetensområde"]  # fmt: skip
    assert all(c.font.b for c in ws[4])
    assert ws.column_dimensions["B"].width >= 40
    assert ws["A1"].value == "Aktivitetsplan – Socialförvaltningen"
    assert "1 januari 2026" in ws["A2"].value

    headings = [r[0].value for r in ws.iter_rows(min_row=5) if r[1].value is None and r[0].value]
    assert headings == ["Utveckla", "Behålla", "Attrahera", "Rekrytera", "Introducera", "Avsluta"]
    rows = {r[8].value: r for r in ws.iter_rows(min_row=5) if r[8].value}
    assert len(rows) == 15
    assert rows["A-004"][5].value == "Klar"
    assert rows["A-004"][6].value == "Föreläsningarna hållna"
    assert rows["A-009"][6].value == '=HYPERLÄNK("x")' and rows["A-009"][6].data_type == "s"
    assert rows["A-001"][4].value == "Förvaltningsövergripande"
    assert rows["A-001"][2].value == dt.datetime(2025, 12, 15) and rows["A-001"][2].is_date
    # Reference date 2026-01-01: late are those due before it and neither klar nor inställd.
    late = {k for k, r in rows.items() if r[7].value == "Ja"}
    assert late == {"A-001", "A-007", "A-010", "A-012"}
    assert {r[7].value for r in rows.values()} == {"Ja", "Nej"}


def test_export_bytes_is_an_xlsx(fixture_plan):
    plan, _ = fixture_plan
    data = export_plan_bytes(plan.assign(uppfoljning="\x07 klocka"))
    assert data[:2] == b"PK"


def test_export_then_import_gives_the_same_activities(fixture_plan, tmp_path):
    plan, _ = fixture_plan
    write_aktiviteter(plan, tmp_path / "data")
    now = current_plan(tmp_path / "data", state_dir=tmp_path / "state")
    export_plan(now, tmp_path / "export.xlsx", referensdatum=D(2026, 1, 1))
    again, warnings = import_plan(tmp_path / "export.xlsx", forvaltning="Socialförvaltningen")
    assert warnings == []
    assert again.to_dict("records") == plan.to_dict("records")


def test_export_import_keeps_the_links_to_nyckeltal_and_kompetensomrade(fixture_plan, tmp_path):
    plan, _ = fixture_plan
    linked = plan.copy()
    linked.loc[0, ["nyckeltal", "kompetensomrade"]] = ["sjukfranvaro_kort_pct", "Ledarskap"]
    data = export_plan_bytes(linked, referensdatum=D(2026, 1, 1))
    ws = load_workbook(io.BytesIO(data))["Aktivitetsplan"]
    row = next(r for r in ws.iter_rows(min_row=5) if r[8].value == linked.loc[0, "aktivitet_id"])
    # The nämnd reads the metric's Swedish name; the import maps it back to its id.
    assert (row[9].value, row[10].value) == ("Sjukfrånvaro dag 1–14", "Ledarskap")
    (tmp_path / "plan.xlsx").write_bytes(data)
    again, _ = import_plan(tmp_path / "plan.xlsx", forvaltning="Socialförvaltningen")
    first = again.set_index("aktivitet_id").loc[linked.loc[0, "aktivitet_id"]]
    assert (first["nyckeltal"], first["kompetensomrade"]) == ("sjukfranvaro_kort_pct", "Ledarskap")


def test_export_import_carries_the_current_status(fixture_plan, tmp_path):
    plan, _ = fixture_plan
    write_aktiviteter(plan, tmp_path / "data")
    append_change("A-015", "installd", "Ersatt av A-014", "HR", state_dir=tmp_path / "state")
    now = current_plan(tmp_path / "data", state_dir=tmp_path / "state")
    export_plan(now, tmp_path / "export.xlsx")
    again, _ = import_plan(tmp_path / "export.xlsx", forvaltning="Socialförvaltningen")
    row = again.set_index("aktivitet_id").loc["A-015"]
    assert (row["status"], row["uppfoljning"]) == ("installd", "Ersatt av A-014")


def test_a_personnummer_in_any_cell_refuses_the_plan_and_is_shown_masked(tmp_path):
    # 121212-1212 and 811218-9876 have valid check digits (tests/test_personnummer.py); 19800101-1234 not.
    path = tmp_path / "plan.csv"
    path.write_text(
        "Mål;Aktivitet;Måldatum;Ansvarig;Uppföljning;Status\n"  # row 1
        "Utveckla\n"  # row 2
        "Nära ledarskap;Chefsforum;2026-06;HR-chef 121212-1212;;\n"  # row 3
        "Lägre sjukfrånvaro;Samtal;2026-09;HR;Klart med 811218-9876;\n"  # row 4
        "Fler sökande;Annonsera;2026-03;HR;Ärende 19800101-1234;\n"  # row 5: no personnummer
        "Trygg start;Mentor;2026-04;HR;;121212-1212\n",  # row 6: in the status cell
        encoding="utf-8",
    )
    with pytest.raises(PlanImportError) as info:
        import_plan(path, forvaltning="X")
    message = str(info.value)
    assert message.startswith("plan.csv kunde inte importeras:")
    # A CSV's columns are named by their heading (an .xlsx file's also by letter).
    refused = "ser ut att innehålla ett personnummer ({}), som inte får stå i planen"
    assert "rad 3, kolumn Ansvarig: " + refused.format("1212*******") in message
    assert "rad 4, kolumn Uppföljning: " + refused.format("8112*******") in message
    assert "rad 6, kolumn Status: okänd status '1212*******'" in message
    assert "rad 5" not in message
    for number in ("121212-1212", "811218-9876", "1212121212", "8112189876"):
        assert number not in message
    assert len(info.value.problems) == 3
