"""Writing extracts out as an HR system would export them (for the importer's tests and benchmark).

Windows-1252, semicolons, decimal commas, Swedish headers and Swedish values; one table as an
Excel sheet. The matching mapping file is MAPPING below: what a user would write for this export.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import openpyxl

KON = {"K": "Kvinna", "M": "Man"}
FORM = {"tillsvidare": "Tillsvidare", "tidsbegransad": "Visstid", "timavlonad": "Timavlönad"}
HANDELSE = {"rekrytering": "Anställning", "avgang": "Avslut"}
VAG = {"intern": "Intern", "annan_forvaltning": "Annan förvaltning", "extern": "Extern"}
ORSAK = {
    "egen_begaran": "Egen begäran",
    "pension": "Pension",
    "visstid_upphor": "Visstid upphör",
    "uppsagd_av_arbetsgivaren": "Uppsagd av arbetsgivaren",
    "annan": "Annan",
}

# contract column -> export header (a column absent here keeps its contract name in the export)
HEADERS = {
    "anstallningar": {
        "period": "Månad",
        "person_id": "Anställningsnummer",
        "forvaltning": "Förvaltning",
        "avdelning": "Avdelning",
        "enhet": "Enhet namn",
        "befattning": "Befattningsbenämning",
        "kon": "Kön",
        "fodelsear": "Födelseår",
        "anstallningsform": "Anställningsform",
        "sysselsattningsgrad": "Sysselsättningsgrad",
        "faktisk_sysselsattningsgrad": "Faktisk sysselsättningsgrad",
        "chef": "Chef",
    },
    "franvaro": {
        "period": "Månad",
        "person_id": "Anställningsnummer",
        "ordinarie_timmar": "Ordinarie tid (tim)",
        "sjuk_timmar": "Sjukfrånvaro (tim)",
        "sjuk_kort_timmar": "Varav dag 1-14 (tim)",
        "sjuk_lang_timmar": "Varav 60+ dagar (tim)",
    },
    "handelser": {
        "datum": "Datum",
        "person_id": "Anställningsnummer",
        "handelse": "Händelse",
        "forvaltning": "Förvaltning",
        "avdelning": "Avdelning",
        "enhet": "Enhet namn",
        "befattning": "Befattningsbenämning",
        "anstallningsform": "Anställningsform",
        "kon": "Kön",
        "fodelsear": "Födelseår",
        "vag": "Väg",
        "orsak": "Avgångsorsak",
    },
    "medarbetarenkat": {
        "ar": "År",
        "fraga_id": "Fråga-ID",
        "fraga": "Fråga",
        "index": "Index",
        "antal_svar": "Antal svar",
    },
}
VALUES = {
    "anstallningar": {"kon": KON, "anstallningsform": FORM},
    "handelser": {"kon": KON, "anstallningsform": FORM, "handelse": HANDELSE, "vag": VAG, "orsak": ORSAK},
}

MAPPING = """\
# Mappning för exporten i tests/importer_export.py (Heroma-liknande rubriker).
[anstallningar.kolumner]
period = "Månad"
person_id = "Anställningsnummer"
enhet = "Enhet namn"
befattning = "Befattningsbenämning"

[anstallningar.varden.kon]
"Kvinna" = "K"
"Man" = "M"

[anstallningar.varden.anstallningsform]
"Tillsvidare" = "tillsvidare"
"Visstid" = "tidsbegransad"
"Timavlönad" = "timavlonad"

[franvaro.kolumner]
period = "Månad"
person_id = "Anställningsnummer"
ordinarie_timmar = "Ordinarie tid (tim)"
sjuk_timmar = "Sjukfrånvaro (tim)"
sjuk_kort_timmar = "Varav dag 1-14 (tim)"
sjuk_lang_timmar = "Varav 60+ dagar (tim)"

[handelser.kolumner]
person_id = "Anställningsnummer"
handelse = "Händelse"
enhet = "Enhet namn"
befattning = "Befattningsbenämning"
vag = "Väg"
orsak = "Avgångsorsak"

[handelser.varden.kon]
"Kvinna" = "K"
"Man" = "M"

[handelser.varden.anstallningsform]
"Tillsvidare" = "tillsvidare"
"Visstid" = "tidsbegransad"

[handelser.varden.handelse]
"Anställning" = "rekrytering"
"Avslut" = "avgang"

[handelser.varden.vag]
"Intern" = "intern"
"Annan förvaltning" = "annan_forvaltning"
"Extern" = "extern"

[handelser.varden.orsak]
"Egen begäran" = "egen_begaran"
"Pension" = "pension"
"Visstid upphör" = "visstid_upphor"
"Uppsagd av arbetsgivaren" = "uppsagd_av_arbetsgivaren"
"Annan" = "annan"

[medarbetarenkat.kolumner]
fraga_id = "Fråga-ID"
antal_svar = "Antal svar"
"""


def number(value: float | int) -> str:
    """A number as a Swedish export writes it: decimal comma, spaces between thousands."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    text = repr(value)
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + " ".join(groups) + ("," + frac if frac else "")


def cell(table: str, col: str, value, dtype: str, *, period_as_month: bool = True) -> str:
    """One value as text in the export."""
    if value is None:
        return ""
    mapped = VALUES.get(table, {}).get(col)
    if mapped:
        return mapped[value]
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, dt.date):
        if col == "period" and period_as_month:
            return f"{value:%Y-%m}"
        if col == "datum":
            return f"{value:%Y%m%d}"
        return value.isoformat()
    if dtype == "DOUBLE":
        return number(value)
    return str(value)


def rows_of(data_dir: Path, table: str):
    """The extract's column names, types and rows."""
    con = duckdb.connect()
    try:
        path = str(Path(data_dir) / f"{table}.parquet")
        cur = con.execute("select * from read_parquet($p)", {"p": path})
        names = [d[0] for d in cur.description]
        types = [str(d[1]) for d in cur.description]
        return names, types, cur.fetchall()
    finally:
        con.close()


def write_csv(data_dir: Path, table: str, path: Path, *, person_ids: dict[str, str] | None = None) -> None:
    names, types, rows = rows_of(data_dir, table)
    headers = [HEADERS.get(table, {}).get(n, n) for n in names]
    with path.open("w", encoding="windows-1252", newline="") as fh:
        w = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        w.writerow(headers)
        for row in rows:
            out = []
            for n, t, v in zip(names, types, row, strict=True):
                if n == "person_id" and person_ids is not None:
                    v = person_ids[v]
                out.append(cell(table, n, v, t))
            w.writerow(out)


def write_xlsx(data_dir: Path, table: str, path: Path) -> None:
    names, _, rows = rows_of(data_dir, table)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(table)
    ws.append([HEADERS.get(table, {}).get(n, n) for n in names])
    for row in rows:
        ws.append(list(row))
    wb.save(path)


def write_export(
    data_dir: Path, src: Path, *, xlsx: tuple[str, ...] = ("medarbetarenkat",), person_ids=None
) -> Path:
    """Write every table of data_dir into src as an export; returns the mapping file's path."""
    src.mkdir(parents=True, exist_ok=True)
    for f in sorted(Path(data_dir).glob("*.parquet")):
        table = f.stem
        if table in xlsx:
            write_xlsx(data_dir, table, src / f"{table}.xlsx")
        else:
            write_csv(data_dir, table, src / f"{table}.csv", person_ids=person_ids)
    mapping = src.parent / "mappning.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    return mapping
