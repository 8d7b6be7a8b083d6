"""Validation of the extracts against the data contract: one broken rule per case."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from kfp_metrics import validation
from kfp_metrics.validation import ERROR, INFO, WARNING, ValidationReport, validate, validate_cached

PROJECT = Path(__file__).resolve().parent.parent
MONTHS = [dt.date(2024, 7, 1), dt.date(2024, 8, 1), dt.date(2024, 9, 1)]
ORG = {"forvaltning": "Socialförvaltningen", "avdelning": "Barn och unga", "enhet": "Mottagningen"}

# person_id, kon, fodelsear, anstallningsform, sysselsattningsgrad, faktisk
PERSONS = [
    ("p00a1b2c1", "K", 1980, "tillsvidare", 100.0, 100.0),
    ("p00a1b2c2", "M", 1995, "tidsbegransad", 75.0, 50.0),
    ("p00a1b2c3", "K", 1960, "timavlonad", None, None),  # no franvaro rows: the extract decides
    ("p00a1b2c4", "K", 1970, "tillsvidare", 80.0, 80.0),
]

SCHEMAS = {
    "anstallningar": pa.schema(
        [
            ("period", pa.date32()),
            ("person_id", pa.string()),
            ("forvaltning", pa.string()),
            ("avdelning", pa.string()),
            ("enhet", pa.string()),
            ("befattning", pa.string()),
            ("kon", pa.string()),
            ("fodelsear", pa.int32()),
            ("anstallningsform", pa.string()),
            ("sysselsattningsgrad", pa.float64()),
            ("faktisk_sysselsattningsgrad", pa.float64()),
            ("chef", pa.bool_()),
        ]
    ),
    "franvaro": pa.schema(
        [
            ("period", pa.date32()),
            ("person_id", pa.string()),
            ("ordinarie_timmar", pa.float64()),
            ("sjuk_timmar", pa.float64()),
            ("sjuk_kort_timmar", pa.float64()),
            ("sjuk_lang_timmar", pa.float64()),
        ]
    ),
    "handelser": pa.schema(
        [
            ("datum", pa.date32()),
            ("person_id", pa.string()),
            ("handelse", pa.string()),
            ("forvaltning", pa.string()),
            ("avdelning", pa.string()),
            ("enhet", pa.string()),
            ("befattning", pa.string()),
            ("anstallningsform", pa.string()),
            ("kon", pa.string()),
            ("fodelsear", pa.int32()),
            ("vag", pa.string()),
            ("orsak", pa.string()),
        ]
    ),
    "medarbetarenkat": pa.schema(
        [
            ("ar", pa.int32()),
            ("forvaltning", pa.string()),
            ("avdelning", pa.string()),
            ("enhet", pa.string()),
            ("fraga_id", pa.string()),
            ("fraga", pa.string()),
            ("delindex", pa.string()),
            ("index", pa.float64()),
            ("antal_svar", pa.int32()),
            ("antal_inbjudna", pa.int32()),
        ]
    ),
    "incidenter": pa.schema(
        [
            ("incident_id", pa.string()),
            ("datum", pa.date32()),
            ("forvaltning", pa.string()),
            ("avdelning", pa.string()),
            ("enhet", pa.string()),
            ("typ", pa.string()),
            ("orsak", pa.string()),
            ("befattning", pa.string()),
        ]
    ),
    "kompetensgap": pa.schema(
        [
            ("ar", pa.int32()),
            ("forvaltning", pa.string()),
            ("avdelning", pa.string()),
            ("enhet", pa.string()),
            ("kategori", pa.string()),
            ("omrade", pa.string()),
            ("behov", pa.int32()),
            ("nulage", pa.int32()),
        ]
    ),
    "aktiviteter": pa.schema(
        [
            ("aktivitet_id", pa.string()),
            ("forvaltning", pa.string()),
            ("avdelning", pa.string()),
            ("ubaria", pa.string()),
            ("mal", pa.string()),
            ("aktivitet", pa.string()),
            ("maldatum", pa.date32()),
            ("ansvarig", pa.string()),
            ("status", pa.string()),
            ("uppfoljning", pa.string()),
            ("nyckeltal", pa.string()),
            ("kompetensomrade", pa.string()),
        ]
    ),
    "mal": pa.schema(
        [
            ("ar", pa.int32()),
            ("forvaltning", pa.string()),
            ("avdelning", pa.string()),
            ("nyckeltal", pa.string()),
            ("malvarde", pa.float64()),
        ]
    ),
    "personalprognos": pa.schema(
        [
            ("ar", pa.int32()),
            ("forvaltning", pa.string()),
            ("yrkeskategori", pa.string()),
            ("personalbehov", pa.int32()),
            ("rekryteringsbehov", pa.int32()),
        ]
    ),
    "jamforelse": pa.schema(
        [
            ("kpi", pa.string()),
            ("kommun_id", pa.string()),
            ("kommun", pa.string()),
            ("ar", pa.int32()),
            ("kon", pa.string()),
            ("varde", pa.float64()),
            ("hamtad", pa.date32()),
        ]
    ),
    "yrkeskategorier": pa.schema([("befattning", pa.string()), ("yrkeskategori", pa.string())]),
}


def base_tables() -> dict[str, list[dict]]:
    """A tiny dataset that satisfies every rule: four persons over three months."""
    anst, franvaro = [], []
    for period in MONTHS:
        for pid, kon, year, form, grad, faktisk in PERSONS:
            anst.append(
                {
                    "period": period,
                    "person_id": pid,
                    **ORG,
                    "befattning": "Socialsekreterare",
                    "kon": kon,
                    "fodelsear": year,
                    "anstallningsform": form,
                    "sysselsattningsgrad": grad,
                    "faktisk_sysselsattningsgrad": faktisk,
                    "chef": pid.endswith("1"),
                }
            )
            if form != "timavlonad":
                franvaro.append(
                    {
                        "period": period,
                        "person_id": pid,
                        "ordinarie_timmar": 160.0,
                        "sjuk_timmar": 16.0,
                        "sjuk_kort_timmar": 8.0,
                        "sjuk_lang_timmar": 0.0,
                    }
                )
    event = {
        **ORG,
        "befattning": "Socialsekreterare",
        "anstallningsform": "tillsvidare",
        "kon": "K",
        "fodelsear": 1980,
    }
    handelser = [
        {
            **event,
            "datum": dt.date(2024, 7, 1),
            "person_id": "p00a1b2c1",
            "handelse": "rekrytering",
            "vag": "extern",
            "orsak": None,
        },
        {
            **event,
            "datum": dt.date(2024, 9, 30),
            "person_id": "p00a1b2c9",
            "handelse": "avgang",
            "vag": "annan_forvaltning",
            "orsak": "egen_begaran",
        },
    ]
    enkat = [
        {
            "ar": 2024,
            **ORG,
            "fraga_id": f"q{i}",
            "fraga": f"Fråga {i}",
            "delindex": d,
            "index": 70.0 + i,
            "antal_svar": 12,
            "antal_inbjudna": 15,
        }
        for i, d in enumerate(["motivation", "ledarskap", "styrning", None])
    ]
    incidenter = [
        {
            "incident_id": "IA-1",
            "datum": dt.date(2024, 2, 3),
            **ORG,
            "typ": "tillbud",
            "orsak": "hot_och_vald",
            "befattning": None,
        },
        {
            "incident_id": "IA-2",
            "datum": dt.date(2024, 6, 3),
            **ORG,
            "typ": "olycksfall",
            "orsak": None,
            "befattning": "Socialsekreterare",
        },
    ]
    gap = [
        {
            "ar": 2024,
            "forvaltning": ORG["forvaltning"],
            "avdelning": ORG["avdelning"],
            "enhet": None,
            "kategori": "Teknik",
            "omrade": "Statistik, data och analys",
            "behov": 4,
            "nulage": 2,
        }
    ]
    aktiviteter = [
        {
            "aktivitet_id": "A1",
            "forvaltning": ORG["forvaltning"],
            "avdelning": None,
            "ubaria": "behalla",
            "mal": "Lägre sjukfrånvaro",
            "aktivitet": "Hälsosamtal",
            "maldatum": dt.date(2024, 12, 31),
            "ansvarig": "HR",
            "status": "pagar",
            "uppfoljning": None,
            "nyckeltal": "sjukfranvaro_total_pct",
            "kompetensomrade": None,
        },
        {
            "aktivitet_id": "A2",
            "forvaltning": ORG["forvaltning"],
            "avdelning": ORG["avdelning"],
            "ubaria": "rekrytera",
            "mal": "Fler sökande",
            "aktivitet": "Mässa",
            "maldatum": None,
            "ansvarig": "Avdelningschef",
            "status": "ej_paborjad",
            "uppfoljning": None,
            "nyckeltal": None,
            "kompetensomrade": "Statistik, data och analys",
        },
    ]
    mal = [
        {
            "ar": 2024,
            "forvaltning": ORG["forvaltning"],
            "avdelning": None,
            "nyckeltal": "sjukfranvaro_total_pct",
            "malvarde": 6.0,
        }
    ]
    prognos = [
        {
            "ar": 2025,
            "forvaltning": ORG["forvaltning"],
            "yrkeskategori": "Socialsekreterare",
            "personalbehov": 40,
            "rekryteringsbehov": 6,
        }
    ]
    return {
        "anstallningar": anst,
        "franvaro": franvaro,
        "handelser": handelser,
        "medarbetarenkat": enkat,
        "incidenter": incidenter,
        "kompetensgap": gap,
        "aktiviteter": aktiviteter,
        "mal": mal,
        "personalprognos": prognos,
        "jamforelse": [
            {
                "kpi": "N00090",
                "kommun_id": "0000",
                "kommun": "Riket",
                "ar": 2023,
                "kon": "T",
                "varde": 7.1,
                "hamtad": dt.date(2024, 10, 1),
            }
        ],
        "yrkeskategorier": [{"befattning": "Socialsekreterare", "yrkeskategori": "Socialsekreterare"}],
    }


def write_tables(
    root: Path,
    tables: dict[str, list[dict]],
    schemas: dict | None = None,
    folders: tuple[str, ...] = (),
    casts: dict[str, dict[str, pa.DataType]] | None = None,
    hive_key: str = "ar",
) -> Path:
    """Write each table as <table>.parquet, or as a hive folder <table>/ar=YYYY/part-N.parquet
    (hive_key="period": <table>/period=YYYY-MM-DD/data.parquet)."""
    root.mkdir(parents=True, exist_ok=True)
    schemas = {**SCHEMAS, **(schemas or {})}
    for name, rows in tables.items():
        schema = schemas[name]
        if rows:
            schema = pa.schema([f for f in schema if f.name in rows[0]])
        table = pa.Table.from_pylist(rows, schema=schema)
        for column, type_ in (casts or {}).get(name, {}).items():
            i = table.schema.get_field_index(column)
            table = table.set_column(i, column, pc.cast(table[column], type_))
        if name in folders:
            for i, period in enumerate(sorted({r["period"] for r in rows})):
                part_table = table.filter(pc.equal(table["period"], pa.scalar(period)))
                if hive_key == "period":
                    # The partition key lives only in the folder name, as DuckDB and Spark write it.
                    part = root / name / f"period={period.isoformat()}" / "data.parquet"
                    part_table = part_table.drop_columns(["period"])
                else:
                    part = root / name / f"ar={period.year}" / f"part-{i}.parquet"
                part.parent.mkdir(parents=True, exist_ok=True)
                pq.write_table(part_table, part)
        else:
            pq.write_table(table, root / f"{name}.parquet")
    return root


def dataset(tmp_path: Path, mutate=None, schemas=None, folders=(), casts=None, hive_key="ar") -> Path:
    tables = base_tables()
    if mutate:
        mutate(tables)
    return write_tables(tmp_path / "data", tables, schemas, folders, casts, hive_key)


def rows_of(tables, name, **match):
    return [r for r in tables[name] if all(r[k] == v for k, v in match.items())]


def setter(name, column, value, **match):
    """A mutation setting column=value in the rows of `name` matching **match (first row if none)."""

    def mutate(tables):
        targets = rows_of(tables, name, **match) if match else tables[name][:1]
        assert targets
        for r in targets:
            r[column] = value

    return mutate


def assert_error(report: ValidationReport, table: str, column: str | None, rows: int | None, only=True):
    matching = [f for f in report.errors if f.table == table and f.column == column]
    assert matching, report.to_text()
    assert any(f.rows == rows for f in matching), report.to_text()
    if only:
        assert len(report.errors) == 1, report.to_text()
    assert not report.ok
    text = report.to_text()
    assert f"{table}.{column}" in text if column else table in text


def test_valid_dataset_passes(tmp_path):
    report = validate(dataset(tmp_path))
    assert report.ok, report.to_text()
    assert report.errors == [] and report.warnings == []
    assert report.tables["anstallningar"]["rows"] == 12
    assert report.to_text().startswith(f"Validering av extrakten i {tmp_path / 'data'}: 0 fel, 0 varningar")


def test_optional_tables_absent_are_information(tmp_path):
    tables = base_tables()
    required = {k: v for k, v in tables.items() if k in ("anstallningar", "franvaro", "handelser")}
    report = validate(write_tables(tmp_path / "data", required))
    assert report.ok
    assert {f.table for f in report.infos} == set(validation.OPTIONAL_TABLES)
    assert "medarbetarenkat: tabellen saknas – sidan Medarbetarenkät visas inte" in report.to_text()


P1 = {"person_id": "p00a1b2c1"}
P3 = {"person_id": "p00a1b2c3"}
SEPT = {"period": MONTHS[2]}


def _duplicate(name, **match):
    def mutate(tables):
        tables[name].append(dict(rows_of(tables, name, **match)[0]))

    return mutate


def _rekrytering_with_orsak(tables):
    tables["handelser"][0]["orsak"] = "annan"


def _orphan_franvaro(tables):
    tables["franvaro"].append({**tables["franvaro"][0], "person_id": "p00ffff99"})


CASES = [
    # (id, mutation, table, column, rows)
    ("kon-kod", setter("anstallningar", "kon", "X", **P1, **SEPT), "anstallningar", "kon", 1),
    ("kon-null", setter("anstallningar", "kon", None, **P1, **SEPT), "anstallningar", "kon", 1),
    (
        "form-kod",
        setter("anstallningar", "anstallningsform", "konsult", **P1),
        "anstallningar",
        "anstallningsform",
        3,
    ),
    (
        "forvaltning-null",
        setter("anstallningar", "forvaltning", None, **P3, **SEPT),
        "anstallningar",
        "forvaltning",
        1,
    ),
    (
        "befattning-null",
        setter("anstallningar", "befattning", None, **P3, **SEPT),
        "anstallningar",
        "befattning",
        1,
    ),
    (
        "person-null",
        setter("anstallningar", "person_id", None, **P3, **SEPT),
        "anstallningar",
        "person_id",
        1,
    ),
    ("fodelsear-ung", setter("anstallningar", "fodelsear", 2015, **P1), "anstallningar", "fodelsear", 3),
    (
        "fodelsear-1900",
        setter("anstallningar", "fodelsear", 1900, **P1, **SEPT),
        "anstallningar",
        "fodelsear",
        1,
    ),
    (
        "fodelsear-null",
        setter("anstallningar", "fodelsear", None, **P1, **SEPT),
        "anstallningar",
        "fodelsear",
        1,
    ),
    (
        "syss-noll",
        setter("anstallningar", "sysselsattningsgrad", 0.0, **P1, **SEPT),
        "anstallningar",
        "sysselsattningsgrad",
        1,
    ),
    (
        "syss-over",
        setter("anstallningar", "sysselsattningsgrad", 120.0, **P1),
        "anstallningar",
        "sysselsattningsgrad",
        3,
    ),
    (
        "syss-null-manadslon",
        setter("anstallningar", "sysselsattningsgrad", None, **P1, **SEPT),
        "anstallningar",
        "sysselsattningsgrad",
        1,
    ),
    (
        "syss-nan",
        setter("anstallningar", "sysselsattningsgrad", float("nan"), **P1, **SEPT),
        "anstallningar",
        "sysselsattningsgrad",
        1,
    ),
    (
        "faktisk-over",
        setter("anstallningar", "faktisk_sysselsattningsgrad", 101.0, **P1, **SEPT),
        "anstallningar",
        "faktisk_sysselsattningsgrad",
        1,
    ),
    (
        "period-mitt",
        setter("anstallningar", "period", dt.date(2024, 9, 15), **P3, **SEPT),
        "anstallningar",
        "period",
        1,
    ),
    ("anst-dubblett", _duplicate("anstallningar", **P3, **SEPT), "anstallningar", "person_id", 2),
    (
        "franvaro-period-mitt",
        lambda t: [
            r.update(period=dt.date(2024, 9, 15))
            for r in rows_of(t, "franvaro", **P1, **SEPT) + rows_of(t, "anstallningar", **P1, **SEPT)
        ],
        "franvaro",
        "period",
        1,
    ),
    (
        "ordinarie-null",
        setter("franvaro", "ordinarie_timmar", None, **P1, **SEPT),
        "franvaro",
        "ordinarie_timmar",
        1,
    ),
    (
        "sjuk-over-ordinarie",
        setter("franvaro", "sjuk_timmar", 170.0, **P1, **SEPT),
        "franvaro",
        "sjuk_timmar",
        1,
    ),
    (
        "sjuk-negativ",
        lambda t: (
            setter("franvaro", "sjuk_timmar", -1.0, **P1, **SEPT)(t)
            or setter("franvaro", "sjuk_kort_timmar", -2.0, **P1, **SEPT)(t)
        ),
        "franvaro",
        "sjuk_timmar",
        1,
    ),
    (
        "kort-over-sjuk",
        setter("franvaro", "sjuk_kort_timmar", 20.0, **P1, **SEPT),
        "franvaro",
        "sjuk_kort_timmar",
        1,
    ),
    ("kort-plus-lang", setter("franvaro", "sjuk_lang_timmar", 10.0, **P1), "franvaro", "sjuk_lang_timmar", 3),
    ("franvaro-dubblett", _duplicate("franvaro", **P1, **SEPT), "franvaro", "person_id", 2),
    ("franvaro-utan-anstallning", _orphan_franvaro, "franvaro", "person_id", 1),
    ("handelse-kod", setter("handelser", "handelse", "flytt"), "handelser", "handelse", 1),
    ("vag-kod", setter("handelser", "vag", "okand"), "handelser", "vag", 1),
    (
        "avgang-orsak-kod",
        setter("handelser", "orsak", "semester", handelse="avgang"),
        "handelser",
        "orsak",
        1,
    ),
    ("rekrytering-med-orsak", _rekrytering_with_orsak, "handelser", "orsak", 1),
    (
        "handelse-timavlonad",
        setter("handelser", "anstallningsform", "timavlonad"),
        "handelser",
        "anstallningsform",
        1,
    ),
    ("handelse-fodelsear", setter("handelser", "fodelsear", 2020), "handelser", "fodelsear", 1),
    ("handelse-datum-null", setter("handelser", "datum", None), "handelser", "datum", 1),
    ("handelse-person-null", setter("handelser", "person_id", None), "handelser", "person_id", 1),
    ("delindex-kod", setter("medarbetarenkat", "delindex", "trivsel"), "medarbetarenkat", "delindex", 1),
    ("index-over", setter("medarbetarenkat", "index", 101.0), "medarbetarenkat", "index", 1),
    ("antal-svar-negativ", setter("medarbetarenkat", "antal_svar", -1), "medarbetarenkat", "antal_svar", 1),
    (
        "inbjudna-under-svar",
        setter("medarbetarenkat", "antal_inbjudna", 5),
        "medarbetarenkat",
        "antal_inbjudna",
        1,
    ),
    ("enkat-enhet-null", setter("medarbetarenkat", "enhet", None), "medarbetarenkat", "enhet", 1),
    ("incident-typ", setter("incidenter", "typ", "brand"), "incidenter", "typ", 1),
    ("incident-orsak", setter("incidenter", "orsak", "okand"), "incidenter", "orsak", 1),
    (
        "incident-dubblett",
        setter("incidenter", "incident_id", "IA-1", incident_id="IA-2"),
        "incidenter",
        "incident_id",
        2,
    ),
    ("behov-over", setter("kompetensgap", "behov", 6), "kompetensgap", "behov", 1),
    ("nulage-noll", setter("kompetensgap", "nulage", 0), "kompetensgap", "nulage", 1),
    ("ubaria-kod", setter("aktiviteter", "ubaria", "forankra"), "aktiviteter", "ubaria", 1),
    ("status-kod", setter("aktiviteter", "status", "klart"), "aktiviteter", "status", 1),
    (
        "aktivitet-dubblett",
        setter("aktiviteter", "aktivitet_id", "A1", aktivitet_id="A2"),
        "aktiviteter",
        "aktivitet_id",
        2,
    ),
    ("aktivitet-nyckeltal", setter("aktiviteter", "nyckeltal", "trivsel_pct"), "aktiviteter", "nyckeltal", 1),
    ("mal-nyckeltal", setter("mal", "nyckeltal", "sjuktal"), "mal", "nyckeltal", 1),
    ("mal-forvaltning-null", setter("mal", "forvaltning", None), "mal", "forvaltning", 1),
    (
        "personalbehov-negativ",
        setter("personalprognos", "personalbehov", -5),
        "personalprognos",
        "personalbehov",
        1,
    ),
    (
        "rekryteringsbehov-negativ",
        setter("personalprognos", "rekryteringsbehov", -1),
        "personalprognos",
        "rekryteringsbehov",
        1,
    ),
    ("jamforelse-kon", setter("jamforelse", "kon", "X"), "jamforelse", "kon", 1),
    ("jamforelse-ar-null", setter("jamforelse", "ar", None), "jamforelse", "ar", 1),
]


# Cases that cannot break one rule alone: the hour relations chain, and both tables share period.
ALSO_BREAKS_ANOTHER = {"franvaro-period-mitt", "sjuk-negativ", "kort-over-sjuk"}


@pytest.mark.parametrize(("case", "mutate", "table", "column", "rows"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_is_enforced(tmp_path, case, mutate, table, column, rows):
    report = validate(dataset(tmp_path, mutate))
    assert_error(report, table, column, rows, only=case not in ALSO_BREAKS_ANOTHER)


def test_example_rows_name_key_and_value(tmp_path):
    report = validate(dataset(tmp_path, setter("anstallningar", "fodelsear", 2015, **P1)))
    (finding,) = report.errors
    assert finding.examples[0] == {"period": "2024-07-01", "person_id": "p00a1b2c1", "fodelsear": 2015}
    assert finding.message == (
        'anstallningar.fodelsear: 3 rader bryter mot regeln "1900 < fodelsear ≤ år(period) − 14". '
        "Exempel: period=2024-07-01, person_id=p00a1b2c1, fodelsear=2015; "
        "period=2024-08-01, person_id=p00a1b2c1, fodelsear=2015; "
        "period=2024-09-01, person_id=p00a1b2c1, fodelsear=2015"
    )


def test_code_rule_lists_valid_values(tmp_path):
    report = validate(dataset(tmp_path, setter("handelser", "vag", "okand")))
    assert "intern, annan_forvaltning, extern" in report.errors[0].message


def test_metric_ids_cover_the_contract():
    contract = PROJECT.parent / "shared" / "data-contract.md"
    if not contract.is_file():
        pytest.skip("data-contract.md finns inte bredvid projektet")
    section2 = contract.read_text(encoding="utf-8").split("## 2.")[1].split("## 3.")[0]
    ids = set()
    for line in section2.splitlines():
        if line.startswith("| ") and not line.startswith("| id") and "`" not in line.split("|")[1]:
            for part in line.split("|")[1].split("/"):
                name = part.strip()
                if name and name != "---":
                    ids.add(name)
    # "medarbetarindex_motivation / _ledarskap / _styrning" abbreviates the suffixes.
    ids = {("medarbetarindex" + i if i.startswith("_") else i) for i in ids}
    assert ids == set(validation.METRIC_IDS)


# --- storage types ---------------------------------------------------------------------------


def _as_strings(table, column):
    def mutate(tables):
        for r in tables[table]:
            r[column] = None if r[column] is None else str(r[column])

    return mutate


def _string_schema(table, column):
    schema = SCHEMAS[table]
    i = schema.get_field_index(column)
    return {table: schema.set(i, pa.field(column, pa.string()))}


def test_unconvertible_text_is_an_error(tmp_path):
    def mutate(tables):
        _as_strings("anstallningar", "fodelsear")(tables)
        rows_of(tables, "anstallningar", **P1, **SEPT)[0]["fodelsear"] = "19x5"

    report = validate(dataset(tmp_path, mutate, _string_schema("anstallningar", "fodelsear")))
    assert_error(report, "anstallningar", "fodelsear", 1)
    assert report.errors[0].examples == (
        {"period": "2024-09-01", "person_id": "p00a1b2c1", "fodelsear": "19x5"},
    )
    assert "ska vara ett heltal (INTEGER), lagrad som VARCHAR" in report.errors[0].rule
    assert not report.warnings


def test_unparseable_period_text_is_an_error(tmp_path):
    def mutate(tables):
        for r in tables["franvaro"]:
            r["period"] = r["period"].isoformat()
        rows_of(tables, "franvaro", **P1, period="2024-09-01")[0]["period"] = "2024-13-01"

    report = validate(dataset(tmp_path, mutate, _string_schema("franvaro", "period")))
    assert_error(report, "franvaro", "period", 1)
    assert report.errors[0].examples == ({"period": "2024-13-01", "person_id": "p00a1b2c1"},)


def test_decimal_comma_text_is_an_error(tmp_path):
    def mutate(tables):
        _as_strings("anstallningar", "sysselsattningsgrad")(tables)
        rows_of(tables, "anstallningar", **P1, **SEPT)[0]["sysselsattningsgrad"] = "12,5"

    report = validate(dataset(tmp_path, mutate, _string_schema("anstallningar", "sysselsattningsgrad")))
    assert_error(report, "anstallningar", "sysselsattningsgrad", 1)


def test_convertible_text_is_a_warning(tmp_path):
    report = validate(
        dataset(
            tmp_path, _as_strings("anstallningar", "fodelsear"), _string_schema("anstallningar", "fodelsear")
        )
    )
    assert report.ok, report.to_text()
    (warning,) = report.warnings
    assert (warning.table, warning.column) == ("anstallningar", "fodelsear")
    assert "lagrad som VARCHAR" in warning.rule


def test_fractional_year_is_an_error(tmp_path):
    def mutate(tables):
        for r in tables["anstallningar"]:
            r["fodelsear"] = float(r["fodelsear"])
        rows_of(tables, "anstallningar", **P1, **SEPT)[0]["fodelsear"] = 1980.5

    schema = SCHEMAS["anstallningar"]
    schemas = {
        "anstallningar": schema.set(schema.get_field_index("fodelsear"), pa.field("fodelsear", pa.float64()))
    }
    report = validate(dataset(tmp_path, mutate, schemas))
    assert_error(report, "anstallningar", "fodelsear", 1)


def test_timestamp_period_is_read_as_date(tmp_path):
    def mutate(tables):
        for r in tables["franvaro"]:
            r["period"] = dt.datetime.combine(r["period"], dt.time())

    schema = SCHEMAS["franvaro"]
    schemas = {"franvaro": schema.set(0, pa.field("period", pa.timestamp("us")))}
    report = validate(dataset(tmp_path, mutate, schemas))
    assert report.ok, report.to_text()
    assert [(w.table, w.column) for w in report.warnings] == [("franvaro", "period")]


# (table, column, stored type, whether a warning names the storage)
ACCEPTED_STORAGE = [
    ("anstallningar", "sysselsattningsgrad", pa.decimal128(5, 2), False),
    ("anstallningar", "sysselsattningsgrad", pa.float32(), False),
    ("anstallningar", "fodelsear", pa.int64(), False),
    ("anstallningar", "fodelsear", pa.uint16(), False),
    ("anstallningar", "fodelsear", pa.float64(), False),  # what pandas writes for ints with gaps
    ("anstallningar", "chef", pa.int8(), True),
    ("anstallningar", "person_id", pa.large_string(), False),
    ("franvaro", "period", pa.timestamp("ns"), True),
    ("franvaro", "ordinarie_timmar", pa.int32(), False),
    ("handelser", "datum", pa.timestamp("ms", tz="UTC"), True),
    ("medarbetarenkat", "antal_svar", pa.int64(), False),
]


@pytest.mark.parametrize(("table", "column", "type_", "warned"), ACCEPTED_STORAGE, ids=lambda x: str(x))
def test_compatible_storage_types_are_accepted(tmp_path, table, column, type_, warned):
    report = validate(dataset(tmp_path, casts={table: {column: type_}}))
    assert report.ok, report.to_text()
    assert [(w.table, w.column) for w in report.warnings] == ([(table, column)] if warned else [])


def test_unusable_storage_type_is_an_error(tmp_path):
    report = validate(dataset(tmp_path, casts={"anstallningar": {"fodelsear": pa.date32()}}))
    assert_error(report, "anstallningar", "fodelsear", 12)
    assert "lagrad som DATE" in report.errors[0].rule


def test_missing_required_column(tmp_path):
    def mutate(tables):
        for r in tables["anstallningar"]:
            del r["kon"]

    report = validate(dataset(tmp_path, mutate))
    assert_error(report, "anstallningar", "kon", None)
    assert "kolumnen saknas" in report.errors[0].message


def test_unknown_column_is_information(tmp_path):
    def mutate(tables):
        for r in tables["handelser"]:
            r["kommentar"] = "x"

    schemas = {"handelser": SCHEMAS["handelser"].append(pa.field("kommentar", pa.string()))}
    report = validate(dataset(tmp_path, mutate, schemas))
    assert report.ok
    assert any(f.table == "handelser" and "kommentar" in f.rule for f in report.infos)


# --- personnummer ----------------------------------------------------------------------------

PERSONNUMMER = ["198001011234", "8001011234", "800101-1234", "19800101-1234", "800101+1234", " 8001011234 "]


@pytest.mark.parametrize("pnr", PERSONNUMMER)
@pytest.mark.parametrize(("table", "rows"), [("anstallningar", 3), ("franvaro", 3), ("handelser", 1)])
def test_personnummer_is_rejected_and_masked(tmp_path, pnr, table, rows):
    def mutate(tables):
        if table == "handelser":
            tables["handelser"][0]["person_id"] = pnr
        else:
            # Rename the person in both tables so that only the personnummer rule breaks.
            for name in ("anstallningar", "franvaro"):
                for r in rows_of(tables, name, **P1):
                    r["person_id"] = pnr

    report = validate(dataset(tmp_path, mutate))
    errors = [f for f in report.errors if (f.table, f.column) == (table, "person_id")]
    assert [f.rows for f in errors] == [rows], report.to_text()
    assert "personnummer" in errors[0].rule
    digits = pnr.strip().replace("-", "").replace("+", "")
    shown = report.to_text() + json.dumps([f.to_dict() for f in report.findings], ensure_ascii=False)
    # Neither the number nor its tail (birth date + serial) may be shown, in any form.
    for secret in (pnr.strip(), digits, digits[-10:], digits[-6:]):
        assert secret not in shown
    assert pnr.strip()[:4] + "*" * (len(pnr.strip()) - 4) in errors[0].message


def test_personnummer_masked_in_other_rules_examples(tmp_path):
    def mutate(tables):
        for name in ("anstallningar", "franvaro"):
            for r in rows_of(tables, name, **P1):
                r["person_id"] = "800101-1234"
        for r in rows_of(tables, "anstallningar", person_id="800101-1234"):
            r["kon"] = "X"

    report = validate(dataset(tmp_path, mutate))
    assert "0101-1234" not in report.to_text()
    assert "8001*******" in report.to_text()


@pytest.mark.parametrize("pid", ["p8001011234", "800101123", "1234567890123", "anna.svensson"])
def test_pseudonyms_are_not_personnummer(pid):
    assert not validation.looks_like_personnummer(pid)


# --- files and layout ------------------------------------------------------------------------


def test_missing_required_table(tmp_path):
    root = dataset(tmp_path)
    (root / "handelser.parquet").unlink()
    report = validate(root)
    assert_error(report, "handelser", None, None)
    assert "tabellen saknas" in report.errors[0].message


def test_corrupt_parquet_names_the_file(tmp_path):
    root = dataset(tmp_path)
    (root / "franvaro.parquet").write_bytes(b"PAR1 this is not really parquet at all")
    report = validate(root)
    (error,) = report.errors
    assert (error.table, error.file) == ("franvaro", "franvaro.parquet")
    assert "franvaro.parquet" in report.to_text()


def test_corrupt_file_inside_hive_folder(tmp_path):
    root = dataset(tmp_path, folders=("anstallningar",))
    bad = root / "anstallningar" / "ar=2024" / "part-1.parquet"
    bad.write_bytes(b"\x00garbage\xff" * 10)
    report = validate(root)
    assert [(e.table, e.file) for e in report.errors] == [
        ("anstallningar", "anstallningar/ar=2024/part-1.parquet")
    ]


def test_hive_partitioned_folder_reads_correctly(tmp_path):
    root = dataset(tmp_path, folders=("anstallningar", "franvaro"))
    assert (root / "anstallningar" / "ar=2024" / "part-0.parquet").is_file()
    report = validate(root)
    assert report.ok, report.to_text()
    assert report.tables["anstallningar"]["rows"] == 12
    assert not report.infos or all("ar" not in f.rule for f in report.infos if f.table == "anstallningar")


def test_period_partitioned_folders_read_correctly(tmp_path):
    root = dataset(tmp_path, folders=("anstallningar", "franvaro"), hive_key="period")
    assert (root / "franvaro" / "period=2024-09-01" / "data.parquet").is_file()
    report = validate(root)
    assert report.ok, report.to_text()
    assert report.tables["franvaro"]["rows"] == 9


def test_period_partitioned_duplicate_is_found(tmp_path):
    mutate = _duplicate("franvaro", **P1, **SEPT)
    report = validate(dataset(tmp_path, mutate, folders=("anstallningar", "franvaro"), hive_key="period"))
    assert_error(report, "franvaro", "person_id", 2)


def test_hive_partitioned_folder_counts_violations(tmp_path):
    report = validate(
        dataset(tmp_path, setter("anstallningar", "fodelsear", 2015, **P1), folders=("anstallningar",))
    )
    assert_error(report, "anstallningar", "fodelsear", 3)


def test_missing_directory(tmp_path):
    report = validate(tmp_path / "finns-inte")
    assert not report.ok
    assert "finns inte" in report.to_text()


# --- warnings --------------------------------------------------------------------------------


def test_missing_month_is_a_warning(tmp_path):
    def mutate(tables):
        for name in ("anstallningar", "franvaro"):
            tables[name] = [r for r in tables[name] if r["period"] != MONTHS[1]]

    report = validate(dataset(tmp_path, mutate))
    assert report.ok
    (warning,) = report.warnings
    assert (warning.table, warning.column) == ("anstallningar", "period")
    assert "2024-08" in warning.message


def test_franvaro_month_without_anstallningar(tmp_path):
    def mutate(tables):
        tables["franvaro"].append({**tables["franvaro"][0], "period": dt.date(2024, 10, 1)})

    report = validate(dataset(tmp_path, mutate))
    assert_error(report, "franvaro", "person_id", 1)
    assert any(w.table == "franvaro" and "2024-10" in w.message for w in report.warnings)


def test_avgang_without_orsak_is_a_warning(tmp_path):
    report = validate(dataset(tmp_path, setter("handelser", "orsak", None, handelse="avgang")))
    assert report.ok
    assert [(w.table, w.column, w.rows) for w in report.warnings] == [("handelser", "orsak", 1)]


# --- report ----------------------------------------------------------------------------------


def test_report_round_trips_through_json(tmp_path):
    report = validate(dataset(tmp_path, setter("handelser", "vag", "okand")))
    again = ValidationReport.from_dict(json.loads(json.dumps(report.to_dict())))
    assert again.to_text() == report.to_text()
    assert again.ok is False and len(again.errors) == 1
    assert {f.severity for f in again.findings} <= {ERROR, WARNING, INFO}


def test_header_counts_errors_and_warnings(tmp_path):
    def mutate(tables):
        setter("handelser", "vag", "okand")(tables)
        setter("handelser", "orsak", None, handelse="avgang")(tables)
        setter("kompetensgap", "behov", 9)(tables)

    report = validate(dataset(tmp_path, mutate))
    assert (
        report.to_text().splitlines()[0] == f"Validering av extrakten i {tmp_path / 'data'}: 2 fel, 1 varning"
    )


# --- cache -----------------------------------------------------------------------------------


def test_cached_verdict_is_reused_without_reading(tmp_path, monkeypatch):
    root = dataset(tmp_path)
    cache = tmp_path / "state"
    first = validate_cached(root, cache)
    assert first.ok and not first.from_cache
    assert len(list(cache.glob("*.json"))) == 1

    def refuse(*args, **kwargs):
        raise AssertionError("the data were read again")

    monkeypatch.setattr(validation, "validate", refuse)
    second = validate_cached(root, cache)
    assert second.from_cache and second.ok
    assert second.findings == first.findings


def test_cache_invalidated_when_a_file_changes(tmp_path):
    root = dataset(tmp_path)
    cache = tmp_path / "state"
    assert validate_cached(root, cache).ok
    write_tables(root, {"kompetensgap": [{**base_tables()["kompetensgap"][0], "behov": 9}]})
    report = validate_cached(root, cache)
    assert not report.from_cache
    assert not report.ok
    assert validate_cached(root, cache).from_cache


def test_cache_write_failure_does_not_break_validation(tmp_path):
    root = dataset(tmp_path)
    blocker = tmp_path / "blocker"
    blocker.write_text("not a directory")
    report = validate_cached(root, blocker / "validering")
    assert report.ok and not report.from_cache


def test_cache_default_dir_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("KFP_STATE_DIR", str(tmp_path / "st"))
    assert validation.default_cache_dir() == tmp_path / "st" / "validering"
    validate_cached(dataset(tmp_path))
    assert list((tmp_path / "st" / "validering").glob("*.json"))


def test_corrupt_cache_file_is_ignored(tmp_path):
    root = dataset(tmp_path)
    cache = tmp_path / "state"
    validate_cached(root, cache)
    (path,) = cache.glob("*.json")
    path.write_text("{not json")
    report = validate_cached(root, cache)
    assert report.ok and not report.from_cache


# --- command line ----------------------------------------------------------------------------


def _cli(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    cmd = [sys.executable, "-m", "kfp_metrics", *args]
    return subprocess.run(cmd, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300)


def test_cli_valid_exits_zero(tmp_path):
    result = _cli("validate", str(dataset(tmp_path)), env_extra={"KFP_STATE_DIR": str(tmp_path / "st")})
    assert result.returncode == 0, result.stderr
    assert "0 fel" in result.stdout
    assert "extrakten är godkända" in result.stdout


def test_cli_invalid_exits_one(tmp_path):
    root = dataset(tmp_path, setter("anstallningar", "kon", "X", **P1, **SEPT))
    result = _cli("validate", str(root), env_extra={"KFP_STATE_DIR": str(tmp_path / "st")})
    assert result.returncode == 1
    assert "anstallningar.kon: 1 rad bryter mot regeln" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_corrupt_file_has_no_traceback(tmp_path):
    root = dataset(tmp_path)
    (root / "anstallningar.parquet").write_bytes(b"garbage")
    result = _cli("validate", str(root), "--omvalidera", env_extra={"KFP_STATE_DIR": str(tmp_path / "st")})
    assert result.returncode == 1
    assert "anstallningar.parquet" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_missing_directory(tmp_path):
    result = _cli("validate", str(tmp_path / "saknas"), env_extra={"KFP_STATE_DIR": str(tmp_path / "st")})
    assert result.returncode == 1
    assert "finns inte" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_json(tmp_path):
    result = _cli(
        "validate", str(dataset(tmp_path)), "--json", env_extra={"KFP_STATE_DIR": str(tmp_path / "st")}
    )
    assert result.returncode == 0
    assert json.loads(result.stdout)["ok"] is True


@pytest.mark.parametrize("parts", [2, 3, 4])
@pytest.mark.parametrize("size", [0, 1, 2, 7, 1000, 4099])
def test_key_hashes_sorted_side_by_side_as_one_sort_would(monkeypatch, parts, size):
    """The key check's hashes are sorted in parts side by side and merged: the same array as one
    sort, duplicates (which the check looks for as equal neighbours) kept."""
    import numpy as np

    from kfp_metrics import validation

    monkeypatch.setattr(validation, "_SORT_SIDE_BY_SIDE_FROM", 0)
    rng = np.random.default_rng(size * 10 + parts)
    values = rng.integers(0, 50 if size > 100 else 2**64 - 1, size=size, dtype=np.uint64, endpoint=True)
    expected = np.sort(values)
    validation.sort_side_by_side(values, parts)
    assert values.dtype == np.uint64 and np.array_equal(values, expected)


@pytest.mark.parametrize("keep", [0, 3, 50])
def test_missing_keys_found_side_by_side_as_in_one_search(monkeypatch, keep):
    """franvaro's keys missing in anstallningar, searched in parts side by side: the same count and
    the same first ones (in sorted order) as one search, also where they straddle the parts."""
    import numpy as np

    from kfp_metrics import validation

    rng = np.random.default_rng(7)
    haystack = np.sort(rng.choice(np.arange(0, 40_000, 2, dtype=np.uint64), 15_000, replace=False))
    absent = np.arange(1, 40_000, 2, dtype=np.uint64)[::997]  # odd: never in the haystack
    needles = np.sort(np.concatenate([rng.choice(haystack, 9_000), absent]))
    one = validation._missing_in(needles, haystack, keep)
    monkeypatch.setattr(validation, "_SORT_SIDE_BY_SIDE_FROM", 0)
    monkeypatch.setattr(validation.os, "cpu_count", lambda: 4)
    split = validation._missing_keys(needles, haystack, keep)
    assert one[0] == split[0] == len(absent)
    assert np.array_equal(split[1], absent[:keep]) and np.array_equal(one[1], absent[:keep])
