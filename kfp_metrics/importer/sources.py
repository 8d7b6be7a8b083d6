"""Finding each table's export in SRC and loading it, as text, into the import's DuckDB.

Every cell is loaded as text; conversion to the contract's types happens afterwards in SQL,
where each failure can be reported with its line. CSV goes through DuckDB's own reader
(parallel, streamed, bounded memory); Excel through openpyxl in read-only mode, in batches.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import decimal
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from kfp_metrics.extracts import ALL_TABLES, REQUIRED_TABLES
from kfp_metrics.importer import detect
from kfp_metrics.importer.mapping import Mapping, closest, plain, toml_string
from kfp_metrics.importer.problems import MAX_EXAMPLES, Problems, rad, rader, show_value

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
EXCEL_BATCH = 50_000


@dataclass
class Source:
    """Where one table's export is: a CSV file, or a sheet of a workbook."""

    table: str
    path: Path
    sheet: str | None = None  # None for CSV; for a workbook file in a folder: None = first sheet

    @property
    def is_excel(self) -> bool:
        return self.path.suffix.lower() in EXCEL_SUFFIXES

    @property
    def label(self) -> str:
        return f"{self.path.name}, blad {self.sheet}" if self.sheet else self.path.name


@dataclass
class Staged:
    """One export loaded into DuckDB: its headers, the raw table, and how rows map to lines."""

    source: Source
    headers: list[str]
    raw: str
    pos: str  # SQL giving a row's position: rowid (CSV) or the sheet's row number (Excel)
    skipped: list[int] = field(default_factory=list)  # CSV lines that are not rows, sorted
    encoding: str | None = None
    separator: str | None = None
    rows: int = 0

    def line(self, pos: int) -> int:
        """The line in the source file (header = line 1) of the row at pos."""
        if self.source.is_excel:
            return int(pos)
        line = int(pos) + 2
        # Skipped lines (blank or unreadable) are not rows: walk past those at or before.
        adjusted = [s - i for i, s in enumerate(self.skipped)]
        return line + bisect.bisect_right(adjusted, line)

    def describe(self) -> str:
        """'Windows-1252, semikolon (;)' or 'Excel'."""
        if self.source.is_excel:
            return "Excel"
        enc = detect.ENCODING_NAMES.get(self.encoding or "", self.encoding or "?")
        return f"{enc}, {detect.SEPARATOR_NAMES.get(self.separator or '', self.separator)}"


def locate(src: Path, mapping: Mapping, problems: Problems) -> list[Source]:
    """The export of each contract table found in SRC (a folder, or one workbook)."""
    if not src.exists():
        problems.error(None, f"{src} finns inte")
        return []
    if src.is_file():
        if src.suffix.lower() not in EXCEL_SUFFIXES:
            problems.error(
                None, f"{src} är varken en mapp eller en Excel-arbetsbok (.xlsx) med ett blad per tabell"
            )
            return []
        return _locate_sheets(src, mapping, problems)
    files = sorted(p for p in src.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
    by_name = {p.name.lower(): p for p in files}
    used: set[Path] = set()
    found = []
    for table in ALL_TABLES:
        tm = mapping.for_table(table)
        if tm.fil:
            path = by_name.get(tm.fil.lower())
            if path is None:
                near = closest(tm.fil, [p.name for p in files])
                tip = f" – menade du {toml_string(near)}?" if near else ""
                problems.error(
                    None,
                    f"mappningen anger fil = {toml_string(tm.fil)} för {table}, men {src} har ingen sådan fil{tip}",
                )
                continue
        else:
            matches = [
                p
                for p in files
                if plain(p.stem) == plain(table) and p.suffix.lower() in CSV_SUFFIXES + EXCEL_SUFFIXES
            ]
            if len(matches) > 1:
                names = ", ".join(p.name for p in matches)
                problems.error(None, f"{src} har flera filer för {table} ({names}); ta bort alla utom en")
                continue
            path = matches[0] if matches else None
        if path is None:
            if table in REQUIRED_TABLES:
                problems.error(
                    None,
                    f"exporten för tabellen {table} saknas i {src}",
                    hint=f"Lägg filen där som {table}.csv (eller .xlsx), eller ange dess namn i mappningen:\n"
                    f'[{table}]\nfil = "Filnamn.csv"',
                )
            continue
        used.add(path)
        found.append(Source(table, path, tm.blad))
    for p in files:
        if p not in used and p.suffix.lower() in CSV_SUFFIXES + EXCEL_SUFFIXES:
            near = closest(p.stem, list(ALL_TABLES))
            tip = (
                f" Om den är {near}: döp om den till {near}{p.suffix} eller ange fil = {toml_string(p.name)} under [{near}]."
                if near
                else ""
            )
            problems.info(p.name, f"filen motsvarar ingen tabell i datakontraktet och läses inte.{tip}")
    return found


def _locate_sheets(book: Path, mapping: Mapping, problems: Problems) -> list[Source]:
    try:
        names = _sheet_names(book)
    except Exception as exc:  # a damaged workbook is reported, not raised
        problems.error(book.name, f"filen kan inte läsas som Excel-arbetsbok ({_excel_error(exc)})")
        return []
    found, used = [], set()
    for table in ALL_TABLES:
        tm = mapping.for_table(table)
        wanted = tm.blad
        if wanted is not None:
            sheet = next((s for s in names if s == wanted or plain(s) == plain(wanted)), None)
            if sheet is None:
                problems.error(
                    book.name,
                    f"mappningen anger blad = {toml_string(wanted)} för {table}, men arbetsboken har bladen {', '.join(names)}",
                )
                continue
        else:
            sheet = next((s for s in names if plain(s) == plain(table)), None)
        if sheet is None:
            if table in REQUIRED_TABLES:
                problems.error(
                    book.name,
                    f"bladet för tabellen {table} saknas (bladen heter {', '.join(names)})",
                    hint=f'Döp om bladet till {table}, eller ange det i mappningen:\n[{table}]\nblad = "Bladnamn"',
                )
            continue
        used.add(sheet)
        found.append(Source(table, book, sheet))
    for s in names:
        if s not in used:
            problems.info(book.name, f"bladet {s} motsvarar ingen tabell i datakontraktet och läses inte")
    return found


def _excel_error(exc: Exception) -> str:
    if isinstance(exc, zipfile.BadZipFile | EOFError):
        return "filen är skadad eller avkortad"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _sheet_names(book: Path) -> list[str]:
    import openpyxl

    wb = openpyxl.load_workbook(book, read_only=True, data_only=True)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _duplicate_headers(label: str, headers: list[str], problems: Problems) -> bool:
    seen: dict[str, int] = {}
    bad = False
    for i, h in enumerate(headers, start=1):
        if not h:
            continue
        if h in seen:
            problems.error(label, f"rad 1: rubriken «{h}» förekommer två gånger (kolumn {seen[h]} och {i})")
            bad = True
        seen.setdefault(h, i)
    return bad


def header_of(
    source: Source, problems: Problems, separator: str | None
) -> tuple[list[str], str | None, str | None]:
    """The headers, the guessed encoding and the separator, from the file's first bytes only."""
    if source.is_excel:
        return _excel_header(source, problems), None, None
    head, enc = detect.read_head(source.path)
    sep = separator or detect.detect_separator(head)
    return detect.parse_header(head, sep), enc, sep


def stage_csv(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    work: Path,
    problems: Problems,
    *,
    separator: str | None,
    encoding: str | None,
) -> Staged | None:
    """Load a CSV export into the raw table raw_<table>; None when it cannot be read at all."""
    label = source.label
    head, _ = detect.read_head(source.path)
    if not head.strip():
        problems.error(label, "filen är tom (ingen rubrikrad)")
        return None
    sep = separator or detect.detect_separator(head)
    headers = detect.parse_header(head, sep)
    if _duplicate_headers(label, headers, problems):
        return None
    before = len(problems.errors)
    scan = detect.scan(source.path, label, encoding, sep, headers, problems)
    if scan.encoding is None or len(problems.errors) > before:
        return None
    path = source.path
    if scan.encoding == detect.CP1252:
        path = work / f"{source.table}.utf8.csv"
        detect.transcode(source.path, path)
    raw = f"raw_{source.table}"
    rejects = f"fel_{source.table}"
    columns = {f"c{i}": "VARCHAR" for i in range(len(headers))}
    con.execute(
        f"create table {raw} as select * from read_csv($path, delim = $sep, header = true, quote = '\"', "
        "escape = '\"', columns = $columns, auto_detect = false, ignore_errors = true, store_rejects = true, "
        f"rejects_table = '{rejects}', rejects_scan = '{rejects}_scan', null_padding = false, "
        "strict_mode = true, max_line_size = 4000000)",
        {"path": str(path), "sep": sep, "columns": columns},
    )
    staged = Staged(source, headers, raw, "rowid", encoding=scan.encoding, separator=sep)
    staged.rows = con.execute(f"select count(*) from {raw}").fetchone()[0]
    reject_rows = con.execute(
        f"select line, error_type::varchar, csv_line from {rejects} order by line"
    ).fetchall()
    reject_lines = sorted({int(r[0]) for r in reject_rows})
    staged.skipped = sorted(set(scan.blank_lines) | set(reject_lines))
    _report_rejects(label, headers, sep, scan, reject_rows, problems)
    if not scan.ends_with_newline and not reject_rows:
        problems.warning(
            label,
            f"sista raden ({rad(scan.lines)}) saknar radslut – kontrollera att filen inte är avkortad",
        )
    return staged


def _fields(line: str, sep: str) -> int:
    try:
        return len(next(csv.reader(line.splitlines()[:1], delimiter=sep, quotechar='"'), []))
    except csv.Error:
        return line.count(sep) + 1


def _report_rejects(label, headers, sep, scan, rows, problems: Problems) -> None:
    """Rows DuckDB could not split into the header's columns, grouped by kind."""
    kinds: dict[str, list[tuple[int, str]]] = {}
    seen: set[int] = set()
    for line, kind, text in rows:
        if int(line) in seen:  # DuckDB reports a short row once per missing column
            continue
        seen.add(int(line))
        kinds.setdefault(kind, []).append((int(line), (text or "").strip("\r\n")))
    n = len(headers)
    for kind, items in kinds.items():
        examples = []
        for line, text in items[:MAX_EXAMPLES]:
            if kind in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
                got = _fields(text, sep)
                examples.append(
                    f"{rad(line)}: {got} fält i stället för {n} ({show_value(text.strip()[:50])})"
                )
            else:
                examples.append(f"{rad(line)}: {show_value(text.strip()[:50])}")
        count = len(items)
        last_line = max(line for line, _ in items)
        if kind == "MISSING COLUMNS":
            text = f"{rader(count)} har färre fält än rubrikraden ({n})"
            if not scan.ends_with_newline and last_line >= scan.lines:
                text += "; filen verkar avkortad – sista raden slutar mitt i en post"
        elif kind == "TOO MANY COLUMNS":
            text = (
                f"{rader(count)} har fler fält än rubrikraden ({n}); ett värde innehåller troligen "
                f"separatorn {detect.SEPARATOR_NAMES.get(sep, sep)} utan citattecken"
            )
        elif kind in ("UNQUOTED VALUE", "INVALID STATE"):
            text = f'{rader(count)} har ett citattecken (") som inte avslutas'
            if not scan.ends_with_newline:
                text += "; filen verkar avkortad"
        elif kind == "LINE SIZE OVER MAXIMUM":
            text = f"{rader(count)} är orimligt långa (troligen ett citattecken som inte avslutas)"
        else:
            text = f"{rader(count)} kunde inte läsas ({kind})"
        problems.error(label, text, count=count, examples=examples)


def _excel_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(decimal.Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text


def _cell_value(cell):
    value = getattr(cell, "value", None)
    if isinstance(value, int | float) and not isinstance(value, bool):
        fmt = getattr(cell, "number_format", "") or ""
        if "%" in fmt:
            return float(decimal.Decimal(repr(value)) * 100)
    return value


def _open_sheet(source: Source):
    import openpyxl

    wb = openpyxl.load_workbook(source.path, read_only=True, data_only=True)
    ws = wb[source.sheet] if source.sheet else wb.worksheets[0]
    return wb, ws


def _excel_header(source: Source, problems: Problems) -> list[str]:
    try:
        wb, ws = _open_sheet(source)
    except Exception as exc:  # a damaged workbook is reported, not raised
        problems.error(source.label, f"filen kan inte läsas som Excel-arbetsbok ({_excel_error(exc)})")
        return []
    try:
        for row in ws.iter_rows(values_only=True):
            if any(v is not None and str(v).strip() for v in row):
                return _trim_headers(row)
        return []
    finally:
        wb.close()


def _trim_headers(row) -> list[str]:
    headers = [str(v).strip() if v is not None else "" for v in row]
    while headers and not headers[-1]:
        headers.pop()
    return headers


def stage_excel(con: duckdb.DuckDBPyConnection, source: Source, problems: Problems) -> Staged | None:
    """Load a sheet into raw_<table>, with each row's sheet row number as _pos."""
    label = source.label
    try:
        wb, ws = _open_sheet(source)
    except Exception as exc:  # a damaged workbook is reported, not raised
        problems.error(label, f"filen kan inte läsas som Excel-arbetsbok ({_excel_error(exc)})")
        return None
    raw = f"raw_{source.table}"
    try:
        # Cells, not values: a number formatted as percent (0,625 shown as 62,5 %) is read as 62.5.
        rows_iter = (tuple(_cell_value(c) for c in row) for row in ws.iter_rows())
        headers: list[str] = []
        number = 0
        for row in rows_iter:
            number += 1
            if any(v is not None and str(v).strip() for v in row):
                headers = _trim_headers(row)
                break
        if not headers:
            problems.error(label, "bladet är tomt (ingen rubrikrad)")
            return None
        if _duplicate_headers(label, headers, problems):
            return None
        n = len(headers)
        names = ["_pos"] + [f"c{i}" for i in range(n)]
        con.execute(
            f"create table {raw} ({', '.join(f'{c} {t}' for c, t in zip(names, ['bigint'] + ['varchar'] * n, strict=True))})"
        )
        extra: list[str] = []
        extra_count = 0
        batch: list[list] = [[] for _ in names]
        total = 0

        def flush():
            if not batch[0]:
                return
            tbl = pa.table(
                {
                    c: pa.array(col, type=pa.int64() if c == "_pos" else pa.string())
                    for c, col in zip(names, batch, strict=True)
                }
            )
            con.register("_excel_batch", tbl)
            con.execute(f"insert into {raw} select * from _excel_batch")
            con.unregister("_excel_batch")
            for col in batch:
                col.clear()

        for row in rows_iter:
            number += 1
            values = [_excel_text(v) for v in row]
            if not any(v is not None and v.strip() for v in values):
                continue
            if len(values) > n and any(v is not None and v.strip() for v in values[n:]):
                extra_count += 1
                if len(extra) < MAX_EXAMPLES:
                    extra.append(f"{rad(number)}: värden till höger om sista rubriken")
            values = (values + [None] * n)[:n]
            batch[0].append(number)
            for i, v in enumerate(values, start=1):
                batch[i].append(v)
            total += 1
            if len(batch[0]) >= EXCEL_BATCH:
                flush()
        flush()
    except Exception as exc:  # a damaged sheet is reported, not raised
        problems.error(label, f"bladet kan inte läsas till slut ({_excel_error(exc)})")
        return None
    finally:
        wb.close()
    if extra_count:
        problems.error(
            label,
            f"{rader(extra_count)} har värden i kolumner utan rubrik",
            count=extra_count,
            examples=extra,
        )
    staged = Staged(source, headers, raw, "_pos")
    staged.rows = total
    return staged
