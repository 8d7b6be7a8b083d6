"""Reading saved Kolada API v3 responses and long CSV files into rows of the jamforelse table.

Choices where the contract is silent (also in docs/kolada.md):

- A data page is `{"values": [...], "next_url": ...}` with rows `{"kpi", "municipality", "period",
  "values": [{"gender", "value", "status", "count"}]}`; a names page is `{"values": [{"id", "title",
  "type"}]}` (also `/v3/municipality_groups`). An empty `values` list is an empty data page.
- `period` may be a number or a string of four digits. A value with `status` "Missing", a null
  value, "" or ".." becomes null (Kolada has no value); a row or value marked deleted (`isdeleted`,
  `is_deleted` or `deleted` true) is left out.
- A municipality id given as a number (180) is written with four digits ("0180"), as is an id in
  a CSV that a spreadsheet has stripped of its leading zero.
- The same (kpi, kommun_id, ar, kon) in several files: the later file wins.
- A KPI that is not a counterpart of the contract (section 6) refuses the whole file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from kfp_metrics.kolada.kpi import KPIER

KON = ("T", "K", "M")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_KOMMUN = re.compile(r"^(G?\d+|G\w+)$")
CSV_KOLUMNER = ("kpi", "kommun_id", "kommun", "ar", "kon", "varde")


class KoladaFel(ValueError):
    """A file that cannot be read as Kolada data; the message is Swedish and names the file."""


@dataclass(frozen=True)
class Rad:
    """One value of the jamforelse table (hamtad is set when the table is written, unless given)."""

    kpi: str
    kommun_id: str
    ar: int
    kon: str
    varde: float | None
    kommun: str | None = None
    hamtad: dt.date | None = None

    @property
    def nyckel(self) -> tuple[str, str, int, str]:
        return (self.kpi, self.kommun_id, self.ar, self.kon)


@dataclass
class Innehall:
    """What one or more files held: value rows, municipality names and paging facts."""

    rader: list[Rad] = field(default_factory=list)
    namn: dict[str, str] = field(default_factory=dict)
    datasidor: int = 0
    sidor_med_nasta: int = 0
    borttagna: int = 0

    def add(self, other: Innehall) -> None:
        self.rader.extend(other.rader)
        self.namn.update(other.namn)
        self.datasidor += other.datasidor
        self.sidor_med_nasta += other.sidor_med_nasta
        self.borttagna += other.borttagna


def _fel(path: Path | str, text: str) -> KoladaFel:
    return KoladaFel(f"Filen {path}: {text}")


def kommun_id(value, where: str, path: Path | str) -> str:
    """A municipality or group id as text: numbers get four digits, e.g. 180 → '0180'."""
    if isinstance(value, bool) or value is None:
        raise _fel(path, f"{where}: kommun-id saknas eller är ogiltigt ({value!r}).")
    if isinstance(value, int):
        return f"{value:04d}"
    text = str(value).strip()
    if text.isdigit() and len(text) < 4:
        text = text.zfill(4)
    if not text or not _KOMMUN.match(text):
        raise _fel(path, f"{where}: ogiltigt kommun-id {value!r} (t.ex. 0180, 0000 eller ett grupp-id G…).")
    return text


def _year(value, where: str, path: Path | str) -> int:
    if isinstance(value, bool):
        raise _fel(path, f"{where}: period {value!r} är inget år.")
    if isinstance(value, int):
        year = value
    elif isinstance(value, float) and value.is_integer():
        year = int(value)
    elif isinstance(value, str) and _YEAR.match(value):
        year = int(value)
    else:
        raise _fel(path, f"{where}: period {value!r} är inget år (ÅÅÅÅ, som tal eller text).")
    if not 1900 <= year <= 2100:
        raise _fel(path, f"{where}: året {year} är orimligt.")
    return year


def _number(value, where: str, path: Path | str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise _fel(path, f"{where}: värdet {value!r} är inget tal.")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if text in ("", "..", "-", "–"):
            return None
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise _fel(path, f"{where}: värdet {value!r} är inget tal.") from None
    if not math.isfinite(number):
        raise _fel(path, f"{where}: värdet {value!r} är inget ändligt tal.")
    return number


def _deleted(item: dict) -> bool:
    return any(bool(item.get(k)) for k in ("isdeleted", "is_deleted", "deleted"))


def _kpi(value, where: str, path: Path | str) -> str:
    kpi = str(value or "").strip().upper()
    if kpi not in KPIER:
        raise _fel(
            path,
            f"{where}: okänt nyckeltal {value!r}; kommandot läser bara KPI:erna i datakontraktets "
            f"avsnitt 6 ({', '.join(KPIER)}).",
        )
    return kpi


def _data_row(item, i: int, path: Path | str) -> tuple[list[Rad], int]:
    where = f"rad {i} i values"
    if not isinstance(item, dict):
        raise _fel(path, f"{where} är inget objekt.")
    missing = [k for k in ("kpi", "municipality", "period", "values") if k not in item]
    if missing:
        raise _fel(path, f"{where} saknar {', '.join(missing)}.")
    if _deleted(item):
        return [], 1
    kpi = _kpi(item["kpi"], where, path)
    kommun = kommun_id(item["municipality"], where, path)
    year = _year(item["period"], where, path)
    values = item["values"]
    if not isinstance(values, list):
        raise _fel(path, f"{where}: values ska vara en lista av värden per kön.")
    rows, deleted = [], 0
    for j, value in enumerate(values, start=1):
        spot = f"{where}, värde {j}"
        if not isinstance(value, dict):
            raise _fel(path, f"{spot} är inget objekt.")
        if _deleted(value):
            deleted += 1
            continue
        gender = str(value.get("gender") or "").strip().upper()
        if gender not in KON:
            raise _fel(path, f"{spot}: gender {value.get('gender')!r} ska vara T, K eller M.")
        number = _number(value.get("value"), spot, path)
        if str(value.get("status") or "").strip().lower() == "missing":
            number = None
        rows.append(Rad(kpi, kommun, year, gender, number))
    return rows, deleted


def _name_row(item, i: int, path: Path | str) -> tuple[str, str]:
    if not isinstance(item, dict) or "id" not in item or "title" not in item:
        raise _fel(path, f"rad {i} i values saknar id eller title (svar från /v3/municipality).")
    return kommun_id(item["id"], f"rad {i} i values", path), str(item["title"]).strip()


def read_json(path: Path | str, text: str | None = None) -> Innehall:
    """One saved API v3 response: a data page or a municipality (names) page."""
    if text is None:
        text = _read_text(path)
    try:
        page = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fel(path, f"är inte giltig JSON (rad {exc.lineno}, kolumn {exc.colno}: {exc.msg}).") from None
    return parse_page(page, path)


def parse_page(page, path: Path | str) -> Innehall:
    """A decoded API v3 response as rows or names; KoladaFel when its shape is not Kolada's."""
    if not isinstance(page, dict) or not isinstance(page.get("values"), list):
        raise _fel(
            path,
            'har fel form: ett svar från Kolada API v3 är ett objekt med listan "values" '
            '({"values": [...], "next_url": ...}).',
        )
    values = page["values"]
    out = Innehall()
    first = next((v for v in values if isinstance(v, dict)), None)
    if first is not None and "title" in first and "kpi" not in first:
        for i, item in enumerate(values, start=1):
            key, title = _name_row(item, i, path)
            out.namn[key] = title
        return out
    out.datasidor = 1
    out.sidor_med_nasta = 1 if page.get("next_url") else 0
    for i, item in enumerate(values, start=1):
        rows, deleted = _data_row(item, i, path)
        out.rader.extend(rows)
        out.borttagna += deleted
    return out


def _read_text(path: Path | str) -> str:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise KoladaFel(f"Filen {path} kan inte läsas: {exc.strerror or exc}.") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def read_csv(path: Path | str, text: str | None = None) -> Innehall:
    """A long CSV with the table's columns (hamtad optional); ',' or ';', decimal point or comma."""
    if text is None:
        text = _read_text(path)
    lines = text.splitlines()
    if not lines:
        raise _fel(path, "är tom.")
    header = lines[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    reader.fieldnames = columns
    missing = [c for c in CSV_KOLUMNER if c not in columns and c != "kommun"]
    if missing:
        raise _fel(
            path,
            f"saknar kolumnerna {', '.join(missing)} (en CSV ska ha kolumnerna {', '.join(CSV_KOLUMNER)}"
            ", och gärna hamtad).",
        )
    out = Innehall(datasidor=1)
    for n, record in enumerate(reader, start=2):
        where = f"rad {n}"
        if not any((v or "").strip() for v in record.values() if isinstance(v, str)):
            continue
        kpi = _kpi(record.get("kpi"), f"{where}, kolumn kpi", path)
        kommun = kommun_id(record.get("kommun_id"), f"{where}, kolumn kommun_id", path)
        year = _year((record.get("ar") or "").strip(), f"{where}, kolumn ar", path)
        gender = (record.get("kon") or "").strip().upper()
        if gender not in KON:
            raise _fel(path, f"{where}, kolumn kon: {record.get('kon')!r} ska vara T, K eller M.")
        number = _number(record.get("varde"), f"{where}, kolumn varde", path)
        name = (record.get("kommun") or "").strip() or None
        hamtad = None
        if (record.get("hamtad") or "").strip():
            try:
                hamtad = dt.date.fromisoformat(record["hamtad"].strip())
            except ValueError:
                raise _fel(
                    path, f"{where}, kolumn hamtad: {record['hamtad']!r} är inget datum ÅÅÅÅ-MM-DD."
                ) from None
        out.rader.append(Rad(kpi, kommun, year, gender, number, name, hamtad))
    return out


def read_file(path: Path | str) -> Innehall:
    """A saved response (.json) or a long CSV (.csv, or text that is not JSON but has a header)."""
    text = _read_text(path)
    if Path(path).suffix.lower() == ".csv":
        return read_csv(path, text)
    return read_json(path, text)


def read_files(paths: list[Path]) -> Innehall:
    """Every file's rows and names together; KoladaFel on the first bad file."""
    total = Innehall()
    for path in paths:
        total.add(read_file(path))
    return total
