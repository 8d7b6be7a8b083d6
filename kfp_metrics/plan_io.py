"""Reading an activity plan from Excel or CSV, writing aktiviteter.parquet, exporting for the nämnd."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from kfp_metrics import personnummer
from kfp_metrics.aktivitetslogg import STATUS_LABELS, STATUSES, forsenade

UBARIA = ("utveckla", "behalla", "attrahera", "rekrytera", "introducera", "avsluta")
UBARIA_LABELS = {
    "utveckla": "Utveckla",
    "behalla": "Behålla",
    "attrahera": "Attrahera",
    "rekrytera": "Rekrytera",
    "introducera": "Introducera",
    "avsluta": "Avsluta",
}

COLUMNS = (
    "aktivitet_id",
    "forvaltning",
    "avdelning",
    "ubaria",
    "mal",
    "aktivitet",
    "maldatum",
    "ansvarig",
    "status",
    "uppfoljning",
    "nyckeltal",
    "kompetensomrade",
)
SCHEMA = pa.schema([pa.field(name, pa.date32() if name == "maldatum" else pa.string()) for name in COLUMNS])
DEFAULT_STATUS = "ej_paborjad"
FORVALTNINGSOVERGRIPANDE = "Förvaltningsövergripande"

# Column labels as the user sees them, for messages.
FIELD_LABELS = {
    "aktivitet_id": "Id",
    "forvaltning": "Förvaltning",
    "avdelning": "Avdelning",
    "ubaria": "UBARIA",
    "mal": "Mål",
    "aktivitet": "Aktivitet",
    "maldatum": "Måldatum",
    "ansvarig": "Ansvarig",
    "status": "Status",
    "uppfoljning": "Uppföljning",
    "nyckeltal": "Nyckeltal",
    "kompetensomrade": "Kompetensområde",
}
REQUIRED_FIELDS = ("mal", "aktivitet", "maldatum", "ansvarig")
_IGNORED = "_ignored"

# Header texts after folding (lower case, å/ä → a, ö → o, punctuation and "(...)" removed).
HEADER_ALIASES = {
    "mal": "mal",
    "malet": "mal",
    "malsattning": "mal",
    "vad ska vi uppna": "mal",
    "vad": "mal",
    "aktivitet": "aktivitet",
    "aktiviteter": "aktivitet",
    "atgard": "aktivitet",
    "atgarder": "aktivitet",
    "insats": "aktivitet",
    "insatser": "aktivitet",
    "maldatum": "maldatum",
    "mal datum": "maldatum",
    "klart senast": "maldatum",
    "klar senast": "maldatum",
    "slutdatum": "maldatum",
    "tidplan": "maldatum",
    "tidsplan": "maldatum",
    "genomforande": "maldatum",
    "datum": "maldatum",
    "ansvarig": "ansvarig",
    "ansvariga": "ansvarig",
    "ansvar": "ansvarig",
    "uppfoljning": "uppfoljning",
    "senaste uppfoljning": "uppfoljning",
    "uppfoljning kommentar": "uppfoljning",
    "kommentar": "uppfoljning",
    "kommentarer": "uppfoljning",
    "status": "status",
    "lage": "status",
    "avdelning": "avdelning",
    "forvaltning": "forvaltning",
    "nyckeltal": "nyckeltal",
    "kompetensomrade": "kompetensomrade",
    "id": "aktivitet_id",
    "aktivitet id": "aktivitet_id",
    "aktivitetsid": "aktivitet_id",
    "aktivitets id": "aktivitet_id",
    "nr": "aktivitet_id",
    "ubaria": "ubaria",
    "ubara": "ubaria",
    "ubaria omrade": "ubaria",
    "omrade": "ubaria",
    "strategiskt omrade": "ubaria",
    "forsenad": _IGNORED,
}

STATUS_WORDS = {
    "ej paborjad": "ej_paborjad",
    "ej paborjat": "ej_paborjad",
    "inte paborjad": "ej_paborjad",
    "inte paborjat": "ej_paborjad",
    "ej startad": "ej_paborjad",
    "ej startat": "ej_paborjad",
    "planerad": "ej_paborjad",
    "pagar": "pagar",
    "pagaende": "pagar",
    "paborjad": "pagar",
    "paborjat": "pagar",
    "startad": "pagar",
    "klar": "klar",
    "klart": "klar",
    "genomford": "klar",
    "genomfort": "klar",
    "slutford": "klar",
    "slutfort": "klar",
    "installd": "installd",
    "installt": "installd",
    "avbruten": "installd",
    "avbrutet": "installd",
    "struken": "installd",
}

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4,
    "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
SPRING = ("vt", "vartermin", "varterminen", "varen")
AUTUMN = ("ht", "hosttermin", "hostterminen", "hosten")
ORDINALS = {"forsta": 1, "andra": 2, "tredje": 3, "fjarde": 4}

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", "–": "-", "—": "-", "\u00a0": " "})


class PlanImportError(ValueError):
    """A plan file that cannot be imported; the message names file, sheet, rows and columns."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


def _fold(text: str) -> str:
    return " ".join(str(text).lower().translate(_FOLD).split())


def _fold_header(text: str) -> str:
    folded = _fold(re.sub(r"\(.*?\)", " ", str(text)))
    return " ".join(re.sub(r"[_\-/:;,.?!*]", " ", folded).split())


def _blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value) -> str | None:
    """A cell as stripped text, None when blank; whole numbers without '.0'."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _short(value) -> str:
    # Quoted in messages: a personnummer in the cell is shown masked.
    text = personnummer.mask_in_text(" ".join(str(value).split()))
    return text if len(text) <= 40 else text[:39] + "…"


# --- dates -------------------------------------------------------------------------------------


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _check_year(year: int) -> int:
    if not 1990 <= year <= 2100:
        raise ValueError(f"orimligt år {year}")
    return year


def parse_maldatum(value) -> dt.date:
    """A date from the forms plans use (2026-06-30, juni 2026, Q2 2026, tertial 2 2026, 2026, …)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"okänt datum {value!r}")
        number = math.floor(value)  # an Excel serial may carry a time of day
        if number != value and number < 30000:
            raise ValueError(f"okänt datum {value!r}")
        if 1990 <= number <= 2100:
            return dt.date(number, 12, 31)
        if 30000 <= number <= 75000:  # an Excel serial day number (1982–2105)
            return dt.date(1899, 12, 30) + dt.timedelta(days=number)
        raise ValueError(f"okänt datum {value!r}")
    text = _fold(value).rstrip(".").replace(",", " ")
    text = " ".join(text.split())
    text = re.sub(r"^(klart senast|klar senast|senast|till och med|t\.o\.m\.?|tom)\s+", "", text)
    try:
        return _parse_date_text(text)
    except (ValueError, OverflowError):
        raise ValueError(f"okänt datum {_short(value)!r}") from None


def _parse_date_text(s: str) -> dt.date:
    if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", s):
        return dt.date(_check_year(int(m[1])), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{4})(\d{2})(\d{2})", s):
        return dt.date(_check_year(int(m[1])), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{4})[-/](\d{1,2})", s):
        return _month_end(_check_year(int(m[1])), int(m[2]))
    if m := re.fullmatch(r"(\d{4}) ?- ?(\d{4})", s):
        first, last = _check_year(int(m[1])), _check_year(int(m[2]))
        if last < first:
            raise ValueError(s)
        return dt.date(last, 12, 31)
    if m := re.fullmatch(r"(\d{1,2})(?::?[ae])? ([a-z]+)\.? (\d{4})", s):
        if m[2] in MONTHS:
            return dt.date(_check_year(int(m[3])), MONTHS[m[2]], int(m[1]))
    if m := re.fullmatch(r"([a-z]+)\.? (\d{4})", s):
        year = _check_year(int(m[2]))
        if m[1] in MONTHS:
            return _month_end(year, MONTHS[m[1]])
        if m[1] in SPRING:
            return dt.date(year, 6, 30)
        if m[1] in AUTUMN:
            return dt.date(year, 12, 31)
    periods = (
        (r"q|kv|kvartal", 4, 3, "kvartalet"),
        (r"t|tertial", 3, 4, "tertialet"),
        (r"h|halvar", 2, 6, "halvaret"),
    )
    for words, count, months, ordinal_word in periods:
        number = year = None
        if m := re.fullmatch(rf"(?:{words}) ?(\d)[ -/]*(\d{{4}})", s):
            number, year = int(m[1]), int(m[2])
        elif m := re.fullmatch(rf"(\d{{4}})[ -/]*(?:{words}) ?(\d)", s):
            number, year = int(m[2]), int(m[1])
        elif m := re.fullmatch(rf"(\d|forsta|andra|tredje|fjarde)(?::?[ae])? {ordinal_word} (\d{{4}})", s):
            number = int(m[1]) if m[1].isdigit() else ORDINALS[m[1]]
            year = int(m[2])
        if number is not None:
            if not 1 <= number <= count:
                raise ValueError(s)
            return _month_end(_check_year(year), number * months)
    if m := re.fullmatch(r"(\d{4})", s):
        return dt.date(_check_year(int(m[1])), 12, 31)
    raise ValueError(s)


# --- codes -------------------------------------------------------------------------------------


def parse_ubaria(value) -> str | None:
    """The UBARIA code of a heading or cell ("Behålla – att behålla medarbetare" → behalla), else None."""
    text = _fold(value)
    text = re.sub(r"^\d+\s*[.)]?\s*", "", text)
    m = re.match(r"([a-z]+)(.*)$", text)
    if not m or m[1] not in UBARIA:
        return None
    rest = m[2].strip()
    if rest and not re.match(r"^([-:(/,.&]|och\b)", rest):
        return None
    return m[1]


def parse_plan_status(value) -> str | None:
    """A status code from a code, a Swedish label or a common synonym, else None."""
    key = _fold(str(value).replace("_", " ")).rstrip(".")
    return STATUS_WORDS.get(key)


# --- reading the grid --------------------------------------------------------------------------


@dataclass
class _Grid:
    """The cells of one sheet (or CSV), with the row numbers and column names the user sees."""

    rows: list[list]
    row_numbers: list[int]
    sheet: str | None
    letters: bool
    warnings: list[str] = field(default_factory=list)

    def column_name(self, index: int, label: str) -> str:
        if self.letters:
            from openpyxl.utils import get_column_letter

            return f"{label} ({get_column_letter(index + 1)})"
        return label


def _xlsx_grids(path: Path) -> list[_Grid]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:
        raise PlanImportError(f"Filen {path.name} kunde inte läsas som Excel-fil ({exc}).") from None
    grids = []
    for ws in wb.worksheets:
        width = ws.max_column or 0
        rows = [list(r) + [None] * (width - len(r)) for r in ws.iter_rows(values_only=True)]
        # A merged cell holds its value top left; rows below it (a Mål spanning several
        # activities, a UBARIA column) get the value in the range's first column.
        for merged in ws.merged_cells.ranges:
            value = rows[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row, merged.max_row + 1):
                rows[r - 1][merged.min_col - 1] = value
        grids.append(_Grid(rows, list(range(1, len(rows) + 1)), ws.title, letters=True))
    return grids


def _decode(data: bytes, name: str) -> tuple[str, list[str]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), [
            f"{name} var inte UTF-8 och lästes som Windows-1252; kontrollera å, ä och ö."
        ]


def _csv_grids(path: Path) -> list[_Grid]:
    text, warnings = _decode(path.read_bytes(), path.name)
    grids = []
    for sep in (";", ",", "\t"):
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
        grids.append(_Grid(rows, list(range(1, len(rows) + 1)), None, letters=False, warnings=list(warnings)))
    return grids


def _find_header(grid: _Grid) -> tuple[int, dict[str, int], list[str]] | None:
    """The header row's index, its field → column map and warnings, if the grid has one."""
    for index, row in enumerate(grid.rows[:60]):
        mapping: dict[str, int] = {}
        notes: list[str] = []
        for col, cell in enumerate(row):
            if _blank(cell) or not isinstance(cell, str):
                continue
            name = HEADER_ALIASES.get(_fold_header(cell))
            if name is None or name == _IGNORED:
                continue
            if name in mapping:
                notes.append(
                    f"Kolumnen {cell!r} tolkas också som {FIELD_LABELS[name]}; bara den första används."
                )
                continue
            mapping[name] = col
        others = {"mal", "maldatum", "ansvarig", "uppfoljning", "status"} & set(mapping)
        if "aktivitet" in mapping and len(others) >= 2:
            for cell in row:
                if not _blank(cell) and HEADER_ALIASES.get(_fold_header(cell)) is None:
                    notes.append(f"Kolumnen {_short(cell)!r} känns inte igen och läses inte in.")
            return index, mapping, notes
    return None


def _pick_grid(path: Path) -> tuple[_Grid, int, dict[str, int], list[str]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        grids = _xlsx_grids(path)
    elif path.suffix.lower() in (".csv", ".txt"):
        grids = _csv_grids(path)
    else:
        raise PlanImportError(f"{path.name}: okänd filtyp; använd .xlsx eller .csv.")
    found = [(g, h) for g in grids if (h := _find_header(g)) is not None]
    if not found:
        raise PlanImportError(
            f"{path.name}: hittade ingen rubrikrad med kolumnerna Mål, Aktivitet, Måldatum och Ansvarig."
        )
    if path.suffix.lower() in (".csv", ".txt"):
        # The separator whose header row yields the most recognised columns.
        found.sort(key=lambda gh: -len(gh[1][1]))
    grid, (index, mapping, notes) = found[0]
    warnings = grid.warnings + notes
    if grid.letters and len(found) > 1:
        other = ", ".join(f'"{g.sheet}"' for g, _ in found[1:])
        warnings.append(f'Bara bladet "{grid.sheet}" lästes in; även {other} ser ut att innehålla en plan.')
    return grid, index, mapping, warnings


# --- import ------------------------------------------------------------------------------------


def _is_heading(row: list, last_col: int) -> str | None:
    """The UBARIA code if row is a heading: one filled cell, no further right than last_col."""
    filled = [(i, c) for i, c in enumerate(row) if not _blank(c)]
    if len(filled) != 1 or filled[0][0] > last_col or not isinstance(filled[0][1], str):
        return None
    return parse_ubaria(filled[0][1])


def import_plan(path, forvaltning=None) -> tuple[pd.DataFrame, list[str]]:
    """The activity plan in an .xlsx or .csv file as an aktiviteter table, and warnings."""
    path = Path(path)
    if not path.is_file():
        raise PlanImportError(f"Filen {path} finns inte.")
    grid, header_index, mapping, warnings = _pick_grid(path)
    where = path.name + (f', blad "{grid.sheet}"' if grid.sheet else "")

    missing = [FIELD_LABELS[f] for f in REQUIRED_FIELDS if f not in mapping]
    if missing:
        raise PlanImportError(
            f"{where}, rad {grid.row_numbers[header_index]}: kolumnen "
            + " och ".join(missing)
            + " saknas i rubrikraden."
        )
    # A heading sits in the table's first column, or in the Mål column when an Id column comes first.
    heading_col = max(min(mapping.values()), mapping["mal"], mapping.get("ubaria", 0))
    problems: dict[tuple[str, str], list[int]] = {}

    def problem(row_number: int, fld: str | None, message: str) -> None:
        where_col = f"kolumn {grid.column_name(mapping[fld], FIELD_LABELS[fld])}: " if fld in mapping else ""
        problems.setdefault((where_col, message), []).append(row_number)

    def cell(row: list, fld: str):
        col = mapping.get(fld)
        return row[col] if col is not None and col < len(row) else None

    records = []
    ubaria_heading = None
    for row, row_number in zip(
        grid.rows[header_index + 1 :], grid.row_numbers[header_index + 1 :], strict=True
    ):
        if all(_blank(c) for c in row):
            continue
        heading = _is_heading(row, heading_col)
        if heading:
            ubaria_heading = heading
            continue
        if sum(not _blank(c) for c in row) == 1:
            note = next(c for c in row if not _blank(c))
            warnings.append(
                f"{where}, rad {row_number}: {_short(note)!r} är ingen aktivitet och hoppades över."
            )
            continue

        rec = {name: None for name in COLUMNS}
        for name in ("aktivitet_id", "forvaltning", "avdelning", "mal", "aktivitet", "ansvarig",
                     "uppfoljning", "nyckeltal", "kompetensomrade"):  # fmt: skip
            rec[name] = _text(cell(row, name))
            # The plan is printed for the nämnd, whose papers are public (kfp_metrics.personnummer).
            found = personnummer.i_text(rec[name])
            if found:
                problem(row_number, name, personnummer.meddelande(found) + ", som inte får stå i planen")
        rec["nyckeltal"] = _metric_id(rec["nyckeltal"])
        if rec["avdelning"] and _fold(rec["avdelning"]) in ("forvaltningsovergripande", "hela forvaltningen"):
            rec["avdelning"] = None
        rec["forvaltning"] = rec["forvaltning"] or (forvaltning.strip() if forvaltning else None)

        if not rec["aktivitet"]:
            problem(row_number, "aktivitet", "aktivitet saknas")
        if not rec["mal"]:
            warnings.append(f"{where}, rad {row_number}: Mål saknas.")
        if not rec["forvaltning"]:
            problem(row_number, None, "förvaltning saknas (ange --forvaltning eller en kolumn Förvaltning)")

        raw_ubaria = cell(row, "ubaria")
        if not _blank(raw_ubaria):
            rec["ubaria"] = parse_ubaria(raw_ubaria)
            if rec["ubaria"] is None:
                problem(row_number, "ubaria", f"okänt UBARIA-område {_short(raw_ubaria)!r}")
        elif ubaria_heading:
            rec["ubaria"] = ubaria_heading
        else:
            problem(
                row_number, None, "UBARIA-område saknas (ingen rubrikrad som Utveckla eller Behålla ovanför)"
            )

        raw_status = cell(row, "status")
        if _blank(raw_status):
            rec["status"] = DEFAULT_STATUS
        else:
            rec["status"] = parse_plan_status(raw_status)
            if rec["status"] is None:
                problem(row_number, "status", f"okänd status {_short(raw_status)!r}")

        raw_date = cell(row, "maldatum")
        if _blank(raw_date):
            warnings.append(f"{where}, rad {row_number}: Måldatum saknas.")
        else:
            try:
                rec["maldatum"] = parse_maldatum(raw_date)
            except ValueError as exc:
                problem(row_number, "maldatum", f"kan inte tolka datumet ({exc})")
        records.append((row_number, rec))

    seen: dict[str, int] = {}
    for row_number, rec in records:
        if rec["aktivitet_id"]:
            if rec["aktivitet_id"] in seen:
                problem(
                    row_number,
                    "aktivitet_id",
                    f"id {rec['aktivitet_id']!r} finns redan på rad {seen[rec['aktivitet_id']]}",
                )
            seen.setdefault(rec["aktivitet_id"], row_number)

    def row_list(rows: list[int]) -> str:
        if len(rows) <= 8:
            return "rad " + ", ".join(str(n) for n in rows)
        return "rad " + ", ".join(str(n) for n in rows[:6]) + f" … {rows[-1]} ({len(rows)} rader)"

    if problems:
        parts = [
            f"{row_list(rows)}, {col}{message}" if col else f"{row_list(rows)}: {message}"
            for (col, message), rows in sorted(problems.items(), key=lambda kv: kv[1][0])
        ]
        shown = parts[:12]
        more = f"; och {len(parts) - 12} fel till" if len(parts) > 12 else ""
        raise PlanImportError(f"{where} kunde inte importeras: " + "; ".join(shown) + more + ".", parts)
    if not records:
        raise PlanImportError(f"{where}: planen innehåller inga aktiviteter.")

    number = 0
    for _, rec in records:
        if not rec["aktivitet_id"]:
            while True:
                number += 1
                candidate = f"A-{number:03d}"
                if candidate not in seen:
                    break
            rec["aktivitet_id"] = candidate
            seen[candidate] = 0

    frame = pd.DataFrame([rec for _, rec in records], columns=list(COLUMNS), dtype=object)
    return frame, warnings


# --- parquet -----------------------------------------------------------------------------------


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _atomic_write(path: Path, write) -> None:
    """Call write(temp_path), fsync the temp file and rename it over path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        write(temp)
        with open(temp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _date_or_none(value) -> dt.date | None:
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def aktiviteter_table(df: pd.DataFrame) -> pa.Table:
    """The plan as an Arrow table with the contract's types; ValueError (Swedish) if invalid."""
    if "status_plan" in df.columns:
        raise ValueError(
            "Tabellen innehåller aktuell status från ändringsloggen; skriv planen som den antogs."
        )
    absent = [
        c for c in ("aktivitet_id", "forvaltning", "ubaria", "aktivitet", "status") if c not in df.columns
    ]
    if absent:
        raise ValueError("Kolumner saknas: " + ", ".join(absent) + ".")
    arrays = []
    for name in COLUMNS:
        values = list(df[name]) if name in df.columns else [None] * len(df)
        if name == "maldatum":
            arrays.append(pa.array([_date_or_none(v) for v in values], type=pa.date32()))
        else:
            arrays.append(pa.array([None if _blank(v) else str(v) for v in values], type=pa.string()))
    table = pa.Table.from_arrays(arrays, schema=SCHEMA)
    ids = table["aktivitet_id"].to_pylist()
    if any(i is None for i in ids) or len(set(ids)) != len(ids):
        raise ValueError("aktivitet_id måste finnas och vara unikt för varje aktivitet.")
    if any(v is None for v in table["forvaltning"].to_pylist()):
        raise ValueError("Förvaltning saknas för någon aktivitet.")
    bad_ubaria = sorted({str(v) for v in table["ubaria"].to_pylist() if v not in UBARIA})
    if bad_ubaria:
        raise ValueError("Okänt UBARIA-område: " + ", ".join(bad_ubaria) + ".")
    bad_status = sorted({str(v) for v in table["status"].to_pylist() if v not in STATUSES})
    if bad_status:
        raise ValueError("Okänd status: " + ", ".join(bad_status) + ".")
    if any(not v for v in table["aktivitet"].to_pylist()):
        raise ValueError("Aktivitet saknas för någon rad.")
    return table


def write_aktiviteter(df: pd.DataFrame, out_dir) -> Path:
    """Write <out_dir>/aktiviteter.parquet atomically; the old file stays until the new one is whole."""
    out_dir = Path(out_dir)
    if (out_dir / "aktiviteter").is_dir():
        raise ValueError(
            f"{out_dir / 'aktiviteter'} finns redan som mapp; ta bort den eller välj en annan mapp."
        )
    table = aktiviteter_table(df)
    target = out_dir / "aktiviteter.parquet"
    _atomic_write(target, lambda temp: pq.write_table(table, temp))
    return target


# --- export ------------------------------------------------------------------------------------

EXPORT_HEADERS = (
    ("Mål", 40),
    ("Aktivitet", 50),
    ("Måldatum", 12),
    ("Ansvarig", 24),
    ("Avdelning", 24),
    ("Status", 13),
    ("Senaste uppföljning", 45),
    ("Försenad", 10),
    ("Id", 10),
    ("Nyckeltal", 28),
    ("Kompetensområde", 24),
)


def _metric_label(value) -> str | None:
    """A nyckeltal id as its Swedish label for the sheet (the importer maps it back)."""
    from kfp_metrics import catalog

    text = _text(value)
    return catalog.BY_ID[text].label if text in catalog.BY_ID else text


def _metric_id(value) -> str | None:
    """A Nyckeltal cell as a metric id: an id as it is, a catalog label (any case) as its id."""
    from kfp_metrics import catalog

    text = _text(value)
    if text is None or text in catalog.BY_ID:
        return text
    by_label = {m.label.casefold(): m.id for m in catalog.METRICS}
    return by_label.get(text.casefold(), text)


def _sheet_text(value) -> str | None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = _text(value)
    return ILLEGAL_CHARACTERS_RE.sub("", text) if text is not None else None


def export_plan_bytes(plan_df: pd.DataFrame, referensdatum: dt.date | None = None) -> bytes:
    """The plan with current status as an .xlsx for the nämnd, grouped by UBARIA."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from kfp_metrics.format import datum

    ref = referensdatum or dt.date.today()
    note_col = "senaste_uppfoljning" if "senaste_uppfoljning" in plan_df.columns else "uppfoljning"
    plan = plan_df.reset_index(drop=True)
    late = forsenade(plan, ref)

    wb = Workbook()
    ws = wb.active
    ws.title = "Aktivitetsplan"
    forvaltningar = []
    if "forvaltning" in plan.columns:
        forvaltningar = sorted({str(v) for v in plan["forvaltning"] if not _blank(v)})
    ws.cell(1, 1, "Aktivitetsplan" + (" – " + ", ".join(forvaltningar) if forvaltningar else ""))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(2, 1, f"Status och förseningar per {datum(ref)}").font = Font(italic=True)

    header_row = 4
    for col, (title, width) in enumerate(EXPORT_HEADERS, start=1):
        c = ws.cell(header_row, col, title)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="D9E1F2")
        c.alignment = Alignment(vertical="top", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    heading_fill = PatternFill("solid", fgColor="EDEDED")
    top = Alignment(vertical="top", wrap_text=True)
    ubaria = [v if v in UBARIA else None for v in plan["ubaria"]]
    groups = [(code, UBARIA_LABELS[code]) for code in UBARIA] + [(None, "Utan UBARIA-område")]
    row = header_row + 1
    for code, label in groups:
        members = [i for i, v in enumerate(ubaria) if v == code]
        if not members:
            continue
        for col in range(1, len(EXPORT_HEADERS) + 1):
            ws.cell(row, col).fill = heading_fill
        ws.cell(row, 1, label).font = Font(bold=True)
        row += 1
        for i in members:
            rec = plan.iloc[i]
            status = rec.get("status")
            values = [
                _sheet_text(rec.get("mal")),
                _sheet_text(rec.get("aktivitet")),
                _date_or_none(rec.get("maldatum")),
                _sheet_text(rec.get("ansvarig")),
                _sheet_text(rec.get("avdelning")) or FORVALTNINGSOVERGRIPANDE,
                STATUS_LABELS.get(status, _sheet_text(status)),
                _sheet_text(rec.get(note_col)),
                "Ja" if late.iloc[i] else "Nej",
                _sheet_text(rec.get("aktivitet_id")),
                _sheet_text(_metric_label(rec.get("nyckeltal"))),
                _sheet_text(rec.get("kompetensomrade")),
            ]
            for col, value in enumerate(values, start=1):
                c = ws.cell(row, col, value)
                c.alignment = top
                if isinstance(value, str) and value.startswith("="):
                    c.data_type = "s"  # user text, never a formula
                if isinstance(value, dt.date):
                    c.number_format = "yyyy-mm-dd"
            row += 1

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_plan(plan_df: pd.DataFrame, path, referensdatum: dt.date | None = None) -> Path:
    """Write the nämnd's .xlsx of the plan with current status to path (atomically)."""
    path = Path(path)
    data = export_plan_bytes(plan_df, referensdatum)
    _atomic_write(path, lambda temp: temp.write_bytes(data))
    return path
