"""The mapping file: which export header is which contract column, and which value is which code.

```toml
[anstallningar]                   # optional: where the table is and how the file is written
fil = "Heroma_anstallda.csv"      # default: anstallningar.csv / .xlsx, or a sheet anstallningar
[anstallningar.kolumner]          # contract column = header in the export
person_id = "Anställningsnummer"
[anstallningar.varden.kon]        # export value = contract code
"Kvinna" = "K"
```

A header whose plain form (lower case, å ä → a, ö → o, no spaces or punctuation) equals a
contract column's is taken without a mapping line: "Kön" is kon, "Födelseår" is fodelsear.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kfp_metrics.extracts import ALL_TABLES
from kfp_metrics.validation import SCHEMA

TABLE_KEYS = {"fil", "blad", "separator", "kodning", "decimal", "kolumner", "varden"}

# Words HR systems use for contract columns whose names they do not share.
SYNONYMS = {
    "personnummer": "person_id",
    "pnr": "person_id",
    "anstallningsnummer": "person_id",
    "anstnr": "person_id",
    "anstallningsid": "person_id",
    "medarbetarid": "person_id",
    "personid": "person_id",
    "manad": "period",
    "lonemanad": "period",
    "redovisningsmanad": "period",
    "yrke": "befattning",
    "yrkesbenamning": "befattning",
    "befattningsbenamning": "befattning",
    "titel": "befattning",
    "kostnadsstalle": "enhet",
    "arbetsplats": "enhet",
    "tjanstgoringsgrad": "sysselsattningsgrad",
    "omfattning": "sysselsattningsgrad",
    "anstallningsgrad": "sysselsattningsgrad",
    "faktiskomfattning": "faktisk_sysselsattningsgrad",
    "chefsbefattning": "chef",
    "archef": "chef",
    "kortid": "chef",
    "schemalagdatimmar": "ordinarie_timmar",
    "schemalagdtid": "ordinarie_timmar",
    "sjukdag114": "sjuk_kort_timmar",
    "sjukdag60": "sjuk_lang_timmar",
    "sjukdag60plus": "sjuk_lang_timmar",
    "tillfran": "vag",
    "franvarotill": "vag",
    "ordinarietid": "ordinarie_timmar",
    "ordinariearbetstid": "ordinarie_timmar",
    "sjuktimmar": "sjuk_timmar",
    "sjukfranvaro": "sjuk_timmar",
    "sjukfranvarotimmar": "sjuk_timmar",
    "korttidssjukfranvaro": "sjuk_kort_timmar",
    "langtidssjukfranvaro": "sjuk_lang_timmar",
    "handelsetyp": "handelse",
    "typavhandelse": "handelse",
    "avgangsorsak": "orsak",
    "slutorsak": "orsak",
    "fodelsedatum": "fodelsear",
    "alder": "fodelsear",
    "startdatum": "datum",
    "slutdatum": "datum",
}


def plain(text: str) -> str:
    """A name in plain form for comparison: lower case, å ä → a, ö → o, é → e, only a–z and 0–9."""
    t = text.strip().lower()
    for a, b in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e"), ("ü", "u")):
        t = t.replace(a, b)
    return re.sub(r"[^a-z0-9]", "", t)


def toml_key(text: str) -> str:
    """A TOML key or string for a mapping line: bare when possible, else quoted."""
    if re.fullmatch(r"[A-Za-z0-9_-]+", text):
        return text
    return toml_string(text)


def toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def closest(word: str, candidates: list[str], cutoff: float = 0.6) -> str | None:
    """The candidate nearest to word in plain form (synonyms count as exact), or None."""
    p = plain(word)
    by_plain = {plain(c): c for c in candidates}
    if p in by_plain:
        return by_plain[p]
    if SYNONYMS.get(p) in candidates:
        return SYNONYMS[p]
    hits = difflib.get_close_matches(p, list(by_plain), n=1, cutoff=cutoff)
    if hits:
        return by_plain[hits[0]]
    for c_plain, c in by_plain.items():
        if len(c_plain) >= 4 and (c_plain in p or (len(p) >= 4 and p in c_plain)):
            return c
    for c_plain, c in by_plain.items():
        # an abbreviation: "Syssgrad" for sysselsattningsgrad (same start, letters in order)
        if len(p) >= 4 and p[:3] == c_plain[:3] and _subsequence(p, c_plain):
            return c
    return None


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


@dataclass
class TableMapping:
    """The mapping file's section for one table."""

    table: str
    fil: str | None = None
    blad: str | None = None
    separator: str | None = None
    kodning: str | None = None
    decimal: str | None = None
    kolumner: dict[str, str] = field(default_factory=dict)  # contract column -> export header
    varden: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> {export: code}
    lines: dict[str, int] = field(default_factory=dict)  # contract column -> line in the file


@dataclass
class Mapping:
    """The whole mapping file (empty when none is given)."""

    path: Path | None = None
    tables: dict[str, TableMapping] = field(default_factory=dict)

    def for_table(self, table: str) -> TableMapping:
        return self.tables.get(table) or TableMapping(table)


def _value_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _find_lines(text: str) -> dict[tuple[str, str], int]:
    """(table, contract column) -> line number of its line under [table.kolumner]."""
    found: dict[tuple[str, str], int] = {}
    section = None
    for no, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        m = re.match(r"^\[\s*([A-Za-z_]+)\s*\.\s*kolumner\s*\]", s)
        if m:
            section = m.group(1)
            continue
        if s.startswith("["):
            section = None
            continue
        m = re.match(r'^"?([A-Za-z_]+)"?\s*=', s)
        if section and m:
            found[(section, m.group(1))] = no
    return found


def load(path: Path | None, errors: list[str]) -> Mapping:
    """Read and check the mapping file; problems are appended to errors as Swedish sentences."""
    if path is None:
        return Mapping()
    label = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        errors.append(f"mappningsfilen {label} finns inte")
        return Mapping(path)
    except UnicodeDecodeError:
        errors.append(f"mappningsfilen {label} är inte sparad som UTF-8")
        return Mapping(path)
    except OSError as exc:
        errors.append(f"mappningsfilen {label} kan inte läsas ({exc.strerror})")
        return Mapping(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = str(exc)
        where = where.replace("at line", "på rad").replace("column", "kolumn")
        errors.append(f"mappningsfilen {label} är inte giltig TOML: {where}")
        return Mapping(path)
    lines = _find_lines(text)
    mapping = Mapping(path)
    for table, section in data.items():
        if table not in ALL_TABLES:
            near = closest(table, list(ALL_TABLES))
            tip = f" – menade du [{near}]?" if near else ""
            errors.append(f"mappningsfilen {label}: [{table}] är ingen tabell i datakontraktet{tip}")
            continue
        if not isinstance(section, dict):
            errors.append(f"mappningsfilen {label}: {table} ska vara en tabell ([{table}])")
            continue
        tm = TableMapping(table)
        contract = [c.name for c in SCHEMA[table]]
        for key, value in section.items():
            if key not in TABLE_KEYS:
                near = closest(key, sorted(TABLE_KEYS))
                tip = f" – menade du {near}?" if near else ""
                errors.append(f"mappningsfilen {label}: [{table}] har okänd nyckel {key}{tip}")
            elif key in ("fil", "blad", "separator", "kodning", "decimal"):
                setattr(tm, key, str(value))
        kolumner = section.get("kolumner", {})
        if not isinstance(kolumner, dict):
            errors.append(f"mappningsfilen {label}: {table}.kolumner ska vara en tabell")
            kolumner = {}
        for col, header in kolumner.items():
            line = lines.get((table, col))
            at = f" (rad {line})" if line else ""
            if col not in contract:
                near = closest(col, contract)
                tip = f" – menade du {near}?" if near else ""
                errors.append(
                    f"mappningsfilen {label}{at}: {col} är ingen kolumn i {table} enligt datakontraktet{tip}"
                )
                continue
            if not isinstance(header, str) or not header.strip():
                errors.append(f"mappningsfilen {label}{at}: {table}.kolumner.{col} ska vara en rubrik (text)")
                continue
            tm.kolumner[col] = header.strip()
            if line:
                tm.lines[col] = line
        varden = section.get("varden", {})
        if not isinstance(varden, dict):
            errors.append(f"mappningsfilen {label}: {table}.varden ska vara en tabell")
            varden = {}
        for col, values in varden.items():
            if col not in contract:
                near = closest(col, contract)
                tip = f" – menade du {near}?" if near else ""
                errors.append(
                    f"mappningsfilen {label}: [{table}.varden.{col}]: {col} är ingen kolumn i {table}{tip}"
                )
                continue
            if not isinstance(values, dict):
                errors.append(f"mappningsfilen {label}: {table}.varden.{col} ska vara en tabell")
                continue
            tm.varden[col] = {str(k).strip(): _value_text(v) for k, v in values.items()}
        mapping.tables[table] = tm
    return mapping
