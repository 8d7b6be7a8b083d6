"""Validating the Parquet extracts against the data contract (section 1), with a cached verdict.

Every rule of the contract becomes a SQL predicate that is true on a violating row. One DuckDB
scan per table counts all predicates at once; example rows are fetched (in one more scan) only
for the rules that fail. The predicates are generated here rather than kept in queries/ because
they are data: which ones apply depends on the columns and storage types each extract has.

Choices where the contract is silent (documented here and in the report texts):

- A column stored in another type than the contract's is accepted when every value converts
  (text "1980" for INTEGER, TIMESTAMP for DATE, BIGINT for VARCHAR ...): a warning names the
  stored type. Values that do not convert ("19x5", "12,5", 1980.5 for an INTEGER) are errors.
  Integer and floating types stand in for each other silently when the values allow it.
- Not null: the columns the contract calls "not null", keys (period, datum, ar, ids), coded
  columns unless the contract allows null, fodelsear, and the franvaro hours. Missing org
  columns in handelser are only a warning: the event is then counted in the total alone.
- Hours may not be negative; hour relations allow a rounding tolerance of 1e-6 hours.
- An avgang without orsak is a warning; an orsak on a rekrytering is an error.
- A table with no rows: an error for anstallningar, a warning for the others.
- Unique (period, person_id) and franvaro -> anstallningar are checked on 64-bit hashes of the
  key in numpy (sort + searchsorted): a fraction of the time of a DuckDB hash aggregate at tens
  of millions of rows. Suspected duplicates are confirmed exactly in DuckDB before reporting; a
  missing reference could in theory hide behind a hash collision (odds about n / 2^64).
- Personnummer-like values are masked (first four characters kept) wherever they would be shown.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import hashlib
import itertools
import json
import math
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from kfp_metrics.extracts import (
    ALL_TABLES,
    OPTIONAL_TABLES,
    REQUIRED_TABLES,
    TableSource,
    content_fingerprint,
    data_dir_from_env,
    fingerprint,
    locate_tables,
)
from kfp_metrics.format import tal
from kfp_metrics.personnummer import mask_in_text, mask_personnummer

ERROR = "fel"
WARNING = "varning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)

# Bump when rules change so that cached verdicts of an older validator are not reused.
VALIDATOR_VERSION = 2  # 2: the handelser coverage warning

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MAX_EXAMPLES = 3
DEFAULT_MEMORY_LIMIT = "3GB"
TOLERANCE_HOURS = 1e-6

KON = ("K", "M")
ANSTALLNINGSFORM = ("tillsvidare", "tidsbegransad", "timavlonad")
MANADSAVLONAD = ("tillsvidare", "tidsbegransad")
HANDELSE = ("rekrytering", "avgang")
VAG = ("intern", "annan_forvaltning", "extern")
AVGANG_ORSAK = ("egen_begaran", "pension", "visstid_upphor", "uppsagd_av_arbetsgivaren", "annan")
DELINDEX = ("motivation", "ledarskap", "styrning")
INCIDENT_TYP = ("olycksfall", "fardolycksfall", "arbetssjukdom", "tillbud", "riskobservation")
INCIDENT_ORSAK = ("hot_och_vald", "fall", "belastning", "stick_skar", "trafik", "ovrigt")
UBARIA = ("utveckla", "behalla", "attrahera", "rekrytera", "introducera", "avsluta")
STATUS = ("ej_paborjad", "pagar", "klar", "installd")

# The metric ids of contract section 2; mal.nyckeltal and aktiviteter.nyckeltal must be one.
METRIC_IDS = (
    "antal_tillsvidare",
    "antal_tillsvidare_kvinnor",
    "antal_tillsvidare_man",
    "antal_tidsbegransade",
    "antal_timavlonade",
    "antal_manadsavlonade",
    "andel_kvinnor_pct",
    "medelalder",
    "forandring_tillsvidare_pct",
    "antal_deltid",
    "heltid_andel_pct",
    "heltid_andel_kvinnor_pct",
    "heltid_andel_man_pct",
    "heltidsarbetande_andel_pct",
    "sjukfranvaro_total_pct",
    "sjukfranvaro_kort_pct",
    "sjukfranvaro_lang_andel_pct",
    "sjukfranvaro_kvinnor_pct",
    "sjukfranvaro_man_pct",
    "sjukfranvaro_29_pct",
    "sjukfranvaro_30_49_pct",
    "sjukfranvaro_50_pct",
    "personalomsattning_pct",
    "avgangar_tillsvidare_hittills",
    "rekryteringar_tillsvidare_hittills",
    "avgangar_tidsbegransade_hittills",
    "rekryteringar_tidsbegransade_hittills",
    "pension_redan",
    "pension_per_ar",
    "medarbetarindex",
    "medarbetarindex_motivation",
    "medarbetarindex_ledarskap",
    "medarbetarindex_styrning",
    "antal_svar",
    "svarsfrekvens_pct",
)

ABSENT_TABLE_EFFECT = {
    "medarbetarenkat": "sidan Medarbetarenkät visas inte",
    "incidenter": "incidenterna (olycksfall, tillbud m.m.) visas inte",
    "kompetensgap": "kompetensgapen visas inte",
    "aktiviteter": "aktivitetsplanen visas inte",
    "mal": "inga målvärden visas",
    "personalprognos": "personalprognosen visas inte",
    "jamforelse": "inga jämförelser med Kolada visas",
    "yrkeskategorier": "prognosen kan inte grupperas per yrkeskategori",
}

PNR_SQL = r"\s*(\d{6}|\d{8})[-+]?\d{4}\s*"
_PNR_VALUE = re.compile(r"^" + PNR_SQL + r"$")

INTEGER, DOUBLE, VARCHAR, DATE, BOOLEAN = "INTEGER", "DOUBLE", "VARCHAR", "DATE", "BOOLEAN"
TYPE_WORDS = {
    INTEGER: "ett heltal (INTEGER)",
    DOUBLE: "ett tal (DOUBLE)",
    VARCHAR: "text (VARCHAR)",
    DATE: "ett datum ÅÅÅÅ-MM-DD (DATE)",
    BOOLEAN: "sant/falskt (BOOLEAN)",
}
_INTEGER_TYPES = {
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
}
_FLOAT_TYPES = {"FLOAT", "DOUBLE", "REAL"}


@dataclass(frozen=True)
class Col:
    """One contract column: type, whether it must exist, null rule and allowed codes."""

    name: str
    type: str
    required: bool = True
    not_null: bool = False
    codes: tuple[str, ...] | None = None
    null_severity: str = ERROR


@dataclass(frozen=True)
class Rule:
    """A row rule: `sql` is true on a violating row; `needs` are the columns it reads."""

    column: str
    text: str
    sql: str
    needs: tuple[str, ...]
    shows: tuple[str, ...] = ()
    severity: str = ERROR


def _org(*names: str, not_null: bool = True, severity: str = ERROR) -> tuple[Col, ...]:
    return tuple(Col(n, VARCHAR, not_null=not_null, null_severity=severity) for n in names)


SCHEMA: dict[str, tuple[Col, ...]] = {
    "anstallningar": (
        Col("period", DATE, not_null=True),
        Col("person_id", VARCHAR, not_null=True),
        *_org("forvaltning", "avdelning", "enhet", "befattning"),
        Col("kon", VARCHAR, not_null=True, codes=KON),
        Col("fodelsear", INTEGER, not_null=True),
        Col("anstallningsform", VARCHAR, not_null=True, codes=ANSTALLNINGSFORM),
        Col("sysselsattningsgrad", DOUBLE),
        Col("faktisk_sysselsattningsgrad", DOUBLE, required=False),
        Col("chef", BOOLEAN, required=False),
    ),
    "franvaro": (
        Col("period", DATE, not_null=True),
        Col("person_id", VARCHAR, not_null=True),
        Col("ordinarie_timmar", DOUBLE, not_null=True),
        Col("sjuk_timmar", DOUBLE, not_null=True),
        Col("sjuk_kort_timmar", DOUBLE, not_null=True),
        Col("sjuk_lang_timmar", DOUBLE, not_null=True),
    ),
    "handelser": (
        Col("datum", DATE, not_null=True),
        Col("person_id", VARCHAR, not_null=True),
        Col("handelse", VARCHAR, not_null=True, codes=HANDELSE),
        *_org("forvaltning", "avdelning", "enhet", "befattning", severity=WARNING),
        Col("anstallningsform", VARCHAR, not_null=True, codes=MANADSAVLONAD),
        Col("kon", VARCHAR, not_null=True, codes=KON),
        Col("fodelsear", INTEGER, not_null=True),
        Col("vag", VARCHAR, not_null=True, codes=VAG),
        Col("orsak", VARCHAR, codes=AVGANG_ORSAK),
    ),
    "medarbetarenkat": (
        Col("ar", INTEGER, not_null=True),
        *_org("forvaltning", "avdelning", "enhet"),
        Col("fraga_id", VARCHAR, not_null=True),
        Col("fraga", VARCHAR),
        Col("delindex", VARCHAR, codes=DELINDEX),
        Col("index", DOUBLE),
        Col("antal_svar", INTEGER, not_null=True),
        Col("antal_inbjudna", INTEGER, required=False),
    ),
    "incidenter": (
        Col("incident_id", VARCHAR, not_null=True),
        Col("datum", DATE, not_null=True),
        *_org("forvaltning", "avdelning", "enhet"),
        Col("typ", VARCHAR, not_null=True, codes=INCIDENT_TYP),
        Col("orsak", VARCHAR, required=False, codes=INCIDENT_ORSAK),
        Col("befattning", VARCHAR, required=False),
    ),
    "kompetensgap": (
        Col("ar", INTEGER, not_null=True),
        *_org("forvaltning", "avdelning"),
        Col("enhet", VARCHAR, required=False),
        Col("kategori", VARCHAR, required=False),
        Col("omrade", VARCHAR, not_null=True),
        Col("behov", INTEGER, not_null=True),
        Col("nulage", INTEGER, not_null=True),
    ),
    "aktiviteter": (
        Col("aktivitet_id", VARCHAR, not_null=True),
        Col("forvaltning", VARCHAR, not_null=True),
        Col("avdelning", VARCHAR),
        Col("ubaria", VARCHAR, not_null=True, codes=UBARIA),
        Col("mal", VARCHAR),
        Col("aktivitet", VARCHAR),
        Col("maldatum", DATE),
        Col("ansvarig", VARCHAR),
        Col("status", VARCHAR, not_null=True, codes=STATUS),
        Col("uppfoljning", VARCHAR, required=False),
        Col("nyckeltal", VARCHAR, required=False, codes=METRIC_IDS),
        Col("kompetensomrade", VARCHAR, required=False),
    ),
    "mal": (
        Col("ar", INTEGER, not_null=True),
        Col("forvaltning", VARCHAR, not_null=True),
        Col("avdelning", VARCHAR),
        Col("nyckeltal", VARCHAR, not_null=True, codes=METRIC_IDS),
        Col("malvarde", DOUBLE, not_null=True),
    ),
    "personalprognos": (
        Col("ar", INTEGER, not_null=True),
        Col("forvaltning", VARCHAR),
        Col("yrkeskategori", VARCHAR),
        Col("personalbehov", INTEGER),
        Col("rekryteringsbehov", INTEGER),
    ),
    # Public benchmark values (Kolada): no organisation columns, never suppressed.
    "jamforelse": (
        Col("kpi", VARCHAR, not_null=True),
        Col("kommun_id", VARCHAR, not_null=True),
        Col("kommun", VARCHAR),
        Col("ar", INTEGER, not_null=True),
        Col("kon", VARCHAR, not_null=True, codes=("T", "K", "M")),
        Col("varde", DOUBLE),
        Col("hamtad", DATE),
    ),
    "yrkeskategorier": (
        Col("befattning", VARCHAR, not_null=True),
        Col("yrkeskategori", VARCHAR, not_null=True),
    ),
}

# The columns that identify a row in the examples, in display order.
EXAMPLE_KEYS: dict[str, tuple[str, ...]] = {
    "anstallningar": ("period", "person_id"),
    "franvaro": ("period", "person_id"),
    "handelser": ("datum", "person_id", "handelse"),
    "medarbetarenkat": ("ar", "enhet", "fraga_id"),
    "incidenter": ("incident_id",),
    "kompetensgap": ("ar", "avdelning", "omrade"),
    "aktiviteter": ("aktivitet_id",),
    "mal": ("ar", "forvaltning", "avdelning", "nyckeltal"),
    "personalprognos": ("ar", "forvaltning", "yrkeskategori"),
    "jamforelse": ("kpi", "kommun_id", "ar", "kon"),
    "yrkeskategorier": ("befattning",),
}

_FIRST_OF_MONTH = Rule("period", "period ska vara första dagen i en månad", "day(period) <> 1", ("period",))
_TOL = repr(TOLERANCE_HOURS)

RULES: dict[str, tuple[Rule, ...]] = {
    "anstallningar": (
        _FIRST_OF_MONTH,
        Rule(
            "fodelsear",
            "1900 < fodelsear ≤ år(period) − 14",
            "fodelsear <= 1900 or fodelsear > year(period) - 14",
            ("fodelsear", "period"),
        ),
        Rule(
            "sysselsattningsgrad",
            "0 < sysselsattningsgrad ≤ 100",
            "sysselsattningsgrad <= 0 or sysselsattningsgrad > 100",
            ("sysselsattningsgrad",),
        ),
        Rule(
            "sysselsattningsgrad",
            "sysselsattningsgrad får saknas bara för timavlonad",
            "sysselsattningsgrad__lagrad is null and anstallningsform is distinct from 'timavlonad'",
            ("sysselsattningsgrad", "anstallningsform"),
            ("anstallningsform", "sysselsattningsgrad"),
        ),
        Rule(
            "faktisk_sysselsattningsgrad",
            "0 ≤ faktisk_sysselsattningsgrad ≤ 100",
            "faktisk_sysselsattningsgrad < 0 or faktisk_sysselsattningsgrad > 100",
            ("faktisk_sysselsattningsgrad",),
        ),
    ),
    "franvaro": (
        _FIRST_OF_MONTH,
        Rule("ordinarie_timmar", "ordinarie_timmar ≥ 0", "ordinarie_timmar < 0", ("ordinarie_timmar",)),
        Rule(
            "sjuk_timmar",
            "0 ≤ sjuk_timmar ≤ ordinarie_timmar",
            f"sjuk_timmar < 0 or sjuk_timmar > ordinarie_timmar + {_TOL}",
            ("sjuk_timmar", "ordinarie_timmar"),
            ("sjuk_timmar", "ordinarie_timmar"),
        ),
        Rule(
            "sjuk_kort_timmar",
            "0 ≤ sjuk_kort_timmar ≤ sjuk_timmar",
            f"sjuk_kort_timmar < 0 or sjuk_kort_timmar > sjuk_timmar + {_TOL}",
            ("sjuk_kort_timmar", "sjuk_timmar"),
            ("sjuk_kort_timmar", "sjuk_timmar"),
        ),
        Rule(
            "sjuk_lang_timmar",
            "0 ≤ sjuk_lang_timmar och sjuk_kort_timmar + sjuk_lang_timmar ≤ sjuk_timmar",
            f"sjuk_lang_timmar < 0 or sjuk_kort_timmar + sjuk_lang_timmar > sjuk_timmar + {_TOL}",
            ("sjuk_lang_timmar", "sjuk_kort_timmar", "sjuk_timmar"),
            ("sjuk_kort_timmar", "sjuk_lang_timmar", "sjuk_timmar"),
        ),
    ),
    "handelser": (
        Rule(
            "fodelsear",
            "1900 < fodelsear ≤ år(datum) − 14",
            "fodelsear <= 1900 or fodelsear > year(datum) - 14",
            ("fodelsear", "datum"),
        ),
        Rule(
            "orsak",
            "orsak ska saknas för rekrytering",
            "handelse = 'rekrytering' and orsak__lagrad is not null",
            ("orsak", "handelse"),
            ("orsak",),
        ),
        Rule(
            "orsak",
            "orsak bör anges för avgang",
            "handelse = 'avgang' and orsak__lagrad is null",
            ("orsak", "handelse"),
            ("orsak",),
            WARNING,
        ),
    ),
    "medarbetarenkat": (
        Rule("index", "0 ≤ index ≤ 100", '"index" < 0 or "index" > 100', ("index",)),
        Rule("antal_svar", "antal_svar ≥ 0", "antal_svar < 0", ("antal_svar",)),
        Rule(
            "antal_inbjudna",
            "antal_inbjudna ≥ antal_svar",
            "antal_inbjudna < antal_svar",
            ("antal_inbjudna", "antal_svar"),
            ("antal_inbjudna", "antal_svar"),
        ),
    ),
    "kompetensgap": (
        Rule("behov", "1 ≤ behov ≤ 5", "behov < 1 or behov > 5", ("behov",)),
        Rule("nulage", "1 ≤ nulage ≤ 5", "nulage < 1 or nulage > 5", ("nulage",)),
    ),
    "personalprognos": (
        Rule("personalbehov", "personalbehov ≥ 0", "personalbehov < 0", ("personalbehov",)),
        Rule("rekryteringsbehov", "rekryteringsbehov ≥ 0", "rekryteringsbehov < 0", ("rekryteringsbehov",)),
    ),
}

# Single-column unique keys, checked with a DuckDB group-by (these tables are small).
UNIQUE_IDS = {"incidenter": "incident_id", "aktiviteter": "aktivitet_id", "yrkeskategorier": "befattning"}
# (period, person_id) keys, checked on hashes in numpy (these tables can be huge).
PERSON_MONTH_TABLES = ("anstallningar", "franvaro")


@dataclass(frozen=True)
class Finding:
    """One validation result: severity, where, which rule, how many rows and a few examples."""

    severity: str
    table: str | None
    column: str | None
    rule: str
    rows: int | None = None
    examples: tuple[dict[str, Any], ...] = ()
    file: str | None = None
    detail: str | None = None

    @property
    def message(self) -> str:
        """The finding as one Swedish sentence (personnummer-like values already masked)."""
        where = ".".join(x for x in (self.table, self.column) if x) or "extrakten"
        if self.file:
            where += f" ({self.file})"
        if self.rows is not None:
            text = f'{where}: {_rows(self.rows)} bryter mot regeln "{self.rule}".'
        else:
            text = f"{where}: {self.rule}."
        if self.detail:
            text += f" {self.detail}"
        if self.examples:
            text += " Exempel: " + "; ".join(
                ", ".join(f"{k}={_show(v)}" for k, v in ex.items()) for ex in self.examples
            )
        return text

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form, message included."""
        return {
            "severity": self.severity,
            "table": self.table,
            "column": self.column,
            "rule": self.rule,
            "rows": self.rows,
            "examples": [dict(e) for e in self.examples],
            "file": self.file,
            "detail": self.detail,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Finding:
        """The finding back from to_dict()."""
        return cls(
            severity=d["severity"],
            table=d.get("table"),
            column=d.get("column"),
            rule=d["rule"],
            rows=d.get("rows"),
            examples=tuple(dict(e) for e in d.get("examples") or ()),
            file=d.get("file"),
            detail=d.get("detail"),
        )


@dataclass
class ValidationReport:
    """All findings for one data directory; valid (ok) when there is no error."""

    data_dir: str
    findings: list[Finding] = field(default_factory=list)
    # The cheap key (names, sizes, mtimes) under which the verdict is cached: never shown to a reader.
    fingerprint: str | None = None
    # The content fingerprint (extracts.content_fingerprint), the one the report prints as well.
    fingeravtryck: str | None = None
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: float | None = None
    complete: bool = True
    from_cache: bool = False

    @property
    def ok(self) -> bool:
        """Valid: no errors (warnings and information allowed)."""
        return not self.errors

    @property
    def errors(self) -> list[Finding]:
        """Findings that make the extracts invalid."""
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        """Findings worth a look that do not stop the app."""
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def infos(self) -> list[Finding]:
        """Information: absent optional tables, ignored columns and files."""
        return [f for f in self.findings if f.severity == INFO]

    def summary(self) -> str:
        """The header line: Validering av extrakten i DIR: 2 fel, 1 varning."""
        n_err, n_warn, n_info = len(self.errors), len(self.warnings), len(self.infos)
        text = f"Validering av extrakten i {self.data_dir}: {n_err} fel, {n_warn} {_plural(n_warn, 'varning', 'varningar')}"
        if n_info:
            text += f", {n_info} {_plural(n_info, 'upplysning', 'upplysningar')}"
        return text

    def to_text(self) -> str:
        """The Swedish multi-line report: header, tables read, one line per finding, verdict."""
        lines = [self.summary()]
        if self.tables:
            lines.append("Tabeller:")
            width = max(len(t) for t in self.tables)
            source_width = max(len(str(info.get("source", ""))) for info in self.tables.values())
            for name, info in self.tables.items():
                rows = info.get("rows")
                count = (
                    f"{tal(rows)} {_plural(rows, 'rad', 'rader')}" if rows is not None else "kunde inte läsas"
                )
                lines.append(f"  {name:<{width}}  {info.get('source', ''):<{source_width}}  {count}")
        for title, items in (
            ("Fel", self.errors),
            ("Varningar", self.warnings),
            ("Upplysningar", self.infos),
        ):
            if items:
                lines.append(f"{title}:")
                lines.extend(f"  - {f.message}" for f in items)
        if self.ok:
            verdict = "Resultat: extrakten är godkända"
            verdict += " (varningarna hindrar inte)." if self.warnings else "."
        else:
            verdict = "Resultat: extrakten är inte godkända – rätta felen och validera igen."
        lines.append(verdict)
        if self.fingeravtryck:
            lines.append(f"Extraktens fingeravtryck: {self.fingeravtryck}")
        if self.from_cache:
            lines.append("(Sparat resultat för oförändrade filer.)")
        elif self.seconds is not None:
            lines.append(f"(Valideringen tog {tal(self.seconds, 1)} s.)")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form, read back by from_dict."""
        return {
            "version": VALIDATOR_VERSION,
            "data_dir": self.data_dir,
            "fingeravtryck": self.fingeravtryck,
            "cache_nyckel": self.fingerprint,
            "ok": self.ok,
            "counts": {ERROR: len(self.errors), WARNING: len(self.warnings), INFO: len(self.infos)},
            "tables": self.tables,
            "findings": [f.to_dict() for f in self.findings],
            "seconds": self.seconds,
            "complete": self.complete,
            "from_cache": self.from_cache,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ValidationReport:
        """The report back from to_dict()."""
        return cls(
            data_dir=d["data_dir"],
            findings=[Finding.from_dict(f) for f in d.get("findings") or ()],
            fingerprint=d.get("cache_nyckel"),
            fingeravtryck=d.get("fingeravtryck"),
            tables={k: dict(v) for k, v in (d.get("tables") or {}).items()},
            seconds=d.get("seconds"),
            complete=d.get("complete", True),
            from_cache=d.get("from_cache", False),
        )


def _plural(n: int | None, one: str, many: str) -> str:
    return one if n == 1 else many


def _rows(n: int) -> str:
    return f"{tal(n)} {_plural(n, 'rad', 'rader')}"


def looks_like_personnummer(value: Any) -> bool:
    """Whether a value is 10 or 12 digits, optionally with - or + before the last four."""
    return isinstance(value, str | int) and bool(_PNR_VALUE.match(str(value)))


def _jsonable(value: Any) -> Any:
    """An example value as JSON-able data, personnummer-like values masked."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return mask_personnummer(str(value)) if looks_like_personnummer(value) else value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    text = str(value)
    if looks_like_personnummer(text):
        return mask_personnummer(text)
    text = mask_in_text(text)
    return text if len(text) <= 80 else text[:77] + "..."


def _show(value: Any) -> str:
    if value is None:
        return "saknas"
    if isinstance(value, bool):
        return "sant" if value else "falskt"
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else f"{value:.10g}").replace(".", ",")
    return str(value)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- the per-table scan ----------------------------------------------------------------------


@dataclass
class _Typed:
    """How one column is read: the SQL giving the contract type, and the stored type."""

    col: Col
    stored: str
    expr: str
    may_fail: bool = False  # some stored values may not convert: checked row by row
    note: bool = False  # stored in another type but convertible: worth a warning
    unusable: bool = False


def _family(stored: str) -> str:
    base = stored.split("(")[0].strip().upper()
    if base in _INTEGER_TYPES:
        return INTEGER
    if base in _FLOAT_TYPES or base == "DECIMAL":
        return DOUBLE
    if base.startswith("TIMESTAMP") or base == "DATETIME":
        return "TIMESTAMP"
    if base in ("VARCHAR", "STRING", "TEXT"):
        return VARCHAR
    if base in (DATE, BOOLEAN):
        return base
    if "[" in stored or base in ("STRUCT", "MAP", "UNION", "LIST", "ARRAY"):
        return "NESTED"
    return base


def _typed(col: Col, stored: str) -> _Typed:
    """The SQL reading a stored column as its contract type, and whether a value can fail to convert."""
    raw = _ident(col.name)
    fam = _family(stored)
    want = col.type
    target = {INTEGER: "bigint", DOUBLE: "double", DATE: "date", BOOLEAN: "boolean", VARCHAR: "varchar"}[want]
    if fam == want:
        # FLOAT and DECIMAL are read as DOUBLE so that every numeric function applies.
        return _Typed(col, stored, raw if want != DOUBLE or stored == "DOUBLE" else f"cast({raw} as double)")
    if fam == "NESTED":
        return _Typed(col, stored, f"cast(null as {target})", may_fail=True, unusable=True)
    if want == VARCHAR:
        return _Typed(col, stored, f"cast({raw} as varchar)", note=True)
    if want == INTEGER and fam == DOUBLE:
        # try_cast alone would round 1980.5 to 1981; only whole numbers count as integers.
        return _Typed(
            col, stored, f"case when {raw} = trunc({raw}) then try_cast({raw} as bigint) end", may_fail=True
        )
    if want == DOUBLE and fam == INTEGER:
        return _Typed(col, stored, f"cast({raw} as double)")
    if want == DATE and fam == "TIMESTAMP":
        return _Typed(col, stored, f"cast({raw} as date)", note=True)
    if want == BOOLEAN and fam == INTEGER:
        expr = f"case when {raw} = 1 then true when {raw} = 0 then false end"
        return _Typed(col, stored, expr, may_fail=True, note=True)
    if fam == VARCHAR:
        return _Typed(col, stored, f"try_cast(trim({raw}) as {target})", may_fail=True, note=True)
    return _Typed(col, stored, f"cast(null as {target})", may_fail=True, unusable=True)


@dataclass
class _Check:
    """A rule made concrete for one table: predicate, bound parameters, example columns."""

    severity: str
    column: str | None
    text: str
    sql: str
    shows: tuple[str, ...]
    params: dict[str, Any] = field(default_factory=dict)
    kind: str = "rule"  # conversion, not_null, codes, finite, personnummer or rule


@dataclass
class _TableResult:
    """What later cross-table checks need from one table's scan."""

    name: str
    source: TableSource
    rows: int
    typed_sql: str
    typed: dict[str, _Typed]
    period_rows: dict[dt.date, int] | None = None
    has_key: bool = False  # (period, person_id) readable: checked in the key pass
    deferred: list[_Check] = field(default_factory=list)  # counted in the key pass instead

    @property
    def present(self) -> set[str]:
        """The contract columns that exist and could be read."""
        return {n for n, t in self.typed.items() if not t.unusable}


def _describe(con: duckdb.DuckDBPyConnection, source: TableSource) -> list[tuple[str, str]]:
    rows = con.execute(f"describe select * from {source.read_sql()}").fetchall()
    return [(r[0], r[1]) for r in rows]


def _hive_keys(source: TableSource) -> set[str]:
    if not source.is_folder:
        return set()
    keys = set()
    for f in source.files():
        for part in f.relative_to(source.path).parts[:-1]:
            if "=" in part:
                keys.add(part.split("=", 1)[0])
    return keys


def _source_label(root: Path, source: TableSource) -> str:
    rel = _relative(root, source.path)
    if source.is_folder:
        n = len(source.files())
        return f"{rel}/ ({n} {_plural(n, 'fil', 'filer')})"
    return rel


def _relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


# CASE, unlike AND, evaluates the regex only where the cheap test passes: ordinary pseudonyms
# (not starting with a digit or a space) never reach it.
_PNR_CHECK = "case when person_id < ':' then regexp_full_match(person_id, $pnr) else false end"


def _checks_for(table: str, typed: dict[str, _Typed]) -> list[_Check]:
    """Every applicable rule of the table, given the columns present and their storage."""
    checks: list[_Check] = []
    for name, t in typed.items():
        col = t.col
        if t.may_fail:
            # The typed value is null exactly where a stored value did not convert.
            checks.append(
                _Check(
                    ERROR,
                    name,
                    f"{name} ska vara {TYPE_WORDS[col.type]}, lagrad som {t.stored}",
                    f"{_ident(name + '__lagrad')} is not null and {_ident(name)} is null",
                    (f"{name}__lagrad",),
                    kind="conversion",
                )
            )
        if t.unusable:
            continue
        if col.not_null:
            checks.append(
                _Check(
                    col.null_severity,
                    name,
                    f"{name} får inte saknas",
                    f"{_ident(name + '__lagrad')} is null",
                    (),
                    kind="not_null",
                )
            )
        if col.codes:
            param = f"koder_{name}"
            checks.append(
                _Check(
                    ERROR,
                    name,
                    f"{name} ska vara ett av: {', '.join(col.codes)}",
                    f"{_ident(name)} is not null and not list_contains(${param}, {_ident(name)})",
                    (name,),
                    {param: list(col.codes)},
                    kind="codes",
                )
            )
        if col.type == DOUBLE:
            checks.append(
                _Check(
                    ERROR,
                    name,
                    f"{name} ska vara ett ändligt tal",
                    f"not isfinite({_ident(name)})",
                    (name,),
                    kind="finite",
                )
            )
        if name == "person_id":
            checks.append(
                _Check(
                    ERROR,
                    name,
                    "person_id får inte se ut som ett personnummer (10 eller 12 siffror)",
                    _PNR_CHECK,
                    (),
                    {"pnr": PNR_SQL},
                    kind="personnummer",
                )
            )
    for rule in RULES.get(table, ()):
        if all(n in typed and not typed[n].unusable for n in rule.needs):
            checks.append(
                _Check(rule.severity, rule.column, rule.text, rule.sql, rule.shows or (rule.column,))
            )
    return checks


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None) -> tuple:
    # fetchall, not fetchone: an unfinished result would block the connection's next statement.
    rows = con.execute(sql, params or {}).fetchall()
    return rows[0] if rows else ()


def _used_params(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    # DuckDB refuses named parameters that the statement does not use.
    return {k: v for k, v in params.items() if re.search(r"\$" + re.escape(k) + r"\b", sql)}


def _check_table(
    con: duckdb.DuckDBPyConnection, root: Path, name: str, source: TableSource, findings: list[Finding]
) -> _TableResult:
    """One scan counting every rule of the table, then one scan for the failing rules' examples."""
    stored = dict(_describe(con, source))
    contract = {c.name: c for c in SCHEMA[name]}
    for col in SCHEMA[name]:
        if col.name not in stored and col.required:
            findings.append(Finding(ERROR, name, col.name, "kolumnen saknas (krävs enligt datakontraktet)"))
    extra = sorted(set(stored) - set(contract) - _hive_keys(source))
    if extra:
        findings.append(
            Finding(
                INFO,
                name,
                None,
                f"okända kolumner ignoreras: {', '.join(extra)}",
            )
        )
    typed = {c.name: _typed(c, stored[c.name]) for c in SCHEMA[name] if c.name in stored}
    projection = []
    for cname, t in typed.items():
        projection.append(f"{t.expr} as {_ident(cname)}")
        projection.append(f"{_ident(cname)} as {_ident(cname + '__lagrad')}")
    typed_sql = f"select {', '.join(projection) or '1 as _tom'} from {source.read_sql()}"

    has_period = name in PERSON_MONTH_TABLES and "period" in typed and not typed["period"].unusable
    has_key = has_period and "person_id" in typed and not typed["person_id"].unusable
    checks, deferred = [], []
    for c in _checks_for(name, typed):
        # The key pass reads person_id anyway: counting its checks there saves decoding the
        # column (the costliest of the table) a second time.
        is_deferred = has_key and c.column == "person_id" and c.kind in ("not_null", "personnummer")
        (deferred if is_deferred else checks).append(c)
    params: dict[str, Any] = {}
    for c in checks:
        params.update(c.params)
    aggregates = ["count(*) as _n"] + [f"count_if({c.sql}) as _r{i}" for i, c in enumerate(checks)]
    sql = f"select {'period, ' if has_period else ''}{', '.join(aggregates)} from ({typed_sql}) t"
    if has_period:
        sql += " group by period"
    cur = con.execute(sql, _used_params(sql, params))
    names = [d[0] for d in cur.description]
    rows = cur.fetchall()
    totals = dict.fromkeys(names[1:] if has_period else names, 0)
    period_rows: dict[dt.date, int] | None = {} if has_period else None
    for row in rows:
        values = dict(zip(names, row, strict=True))
        if has_period and values["period"] is not None:
            period_rows[values["period"]] = values["_n"]
        for k in totals:
            totals[k] += values[k] or 0
    n_rows = totals["_n"]

    failing = [(i, c) for i, c in enumerate(checks) if totals[f"_r{i}"]]
    failed_columns = {c.column for _, c in failing if c.kind == "conversion"}
    for t in typed.values():
        # Worth a warning only when every value converted; otherwise the error says it all.
        if t.note and not t.unusable and t.col.name not in failed_columns:
            findings.append(
                Finding(
                    WARNING,
                    name,
                    t.col.name,
                    f"kolumnen är lagrad som {t.stored} men kontraktet anger {t.col.type}; värdena tolkas som "
                    f"{TYPE_WORDS[t.col.type]}",
                )
            )
    examples = _examples(con, name, typed, typed_sql, [c for _, c in failing]) if failing else {}
    for j, (i, c) in enumerate(failing):
        findings.append(Finding(c.severity, name, c.column, c.text, totals[f"_r{i}"], examples.get(j, ())))
    if n_rows == 0:
        sev = ERROR if name == "anstallningar" else WARNING
        findings.append(Finding(sev, name, None, "tabellen har inga rader"))
    return _TableResult(name, source, n_rows, typed_sql, typed, period_rows, has_key, deferred)


def _example_keys(table: str, typed: dict[str, _Typed]) -> list[str]:
    return [k for k in EXAMPLE_KEYS[table] if k in typed and not typed[k].unusable]


def _examples(
    con: duckdb.DuckDBPyConnection, table: str, typed: dict[str, _Typed], typed_sql: str, checks: list[_Check]
) -> dict[int, tuple[dict[str, Any], ...]]:
    """Up to MAX_EXAMPLES rows per failing check, all from one scan (min_by with n)."""
    keys = _example_keys(table, typed)
    order = "struct_pack(" + ", ".join(f"{_ident(k)} := {_ident(k)}" for k in keys) + ")" if keys else "1"
    parts, params = [], {}
    for j, c in enumerate(checks):
        shown = [k for k in keys if k not in c.shows] + list(c.shows)
        fields = ", ".join(f"{_ident(s)} := {_ident(s)}" for s in shown)
        parts.append(
            f"min_by(struct_pack({fields}), {order}, {MAX_EXAMPLES}) filter (where {c.sql}) as _e{j}"
        )
        params.update(c.params)
    sql = f"select {', '.join(parts)} from ({typed_sql}) t"
    row = _one(con, sql, _used_params(sql, params))
    result = {}
    for j, value in enumerate(row or ()):
        result[j] = tuple(
            {k.removesuffix("__lagrad"): _jsonable(v) for k, v in ex.items()} for ex in (value or ())
        )
    return result


# --- keys and references ---------------------------------------------------------------------

_KEY_HASH = "hash(period, person_id)"
_BATCH = 1_000_000


def _key_hashes(con: duckdb.DuckDBPyConnection, result: _TableResult) -> tuple[np.ndarray, dict[str, int]]:
    """The sorted 64-bit hashes of every (period, person_id) key, and the deferred checks' counts."""
    # One byte of flags per row: 1 = person_id null, 2 = period null, 4 = personnummer-like.
    sql = (
        f"select {_KEY_HASH} as h, ((person_id is null)::utinyint + 2 * (period is null)::utinyint "
        f"+ 4 * ({_PNR_CHECK})::utinyint)::utinyint as f from ({result.typed_sql}) t"
    )
    hashes = np.empty(result.rows, dtype=np.uint64)
    flags = np.empty(result.rows, dtype=np.uint8)
    pos = 0
    # A cursor of its own, so that the streamed result does not block the shared connection.
    cur = con.cursor()
    try:
        for batch in cur.sql(sql, params={"pnr": PNR_SQL}).to_arrow_reader(_BATCH):
            h = batch.column(0).to_numpy(zero_copy_only=False)
            f = batch.column(1).to_numpy(zero_copy_only=False)
            if pos + len(h) > len(hashes):  # the files changed under us; grow rather than fail
                hashes = np.resize(hashes, pos + len(h))
                flags = np.resize(flags, pos + len(h))
            hashes[pos : pos + len(h)] = h
            flags[pos : pos + len(f)] = f
            pos += len(h)
    finally:
        cur.close()
    hashes, flags = hashes[:pos], flags[:pos]
    counts = {
        "not_null": int(np.count_nonzero(flags & 1)),
        "personnummer": int(np.count_nonzero(flags & 4)),
    }
    incomplete = (flags & 3) != 0
    if incomplete.any():
        hashes = hashes[~incomplete]
    sort_side_by_side(hashes)
    return hashes, counts


def sort_side_by_side(values: np.ndarray, parts: int | None = None) -> None:
    """values sorted in place, as values.sort() would: in parts (one per core, at most four) sorted
    side by side, since NumPy sorts outside the interpreter lock, then one stable sort, which for
    runs already sorted is a single merge. At national scale the two key columns' 100 million
    hashes each took a single core 9-18 s to sort, most of the validation's time."""
    parts = parts or _parts(len(values))
    if parts < 2:
        values.sort()
        return
    from kfp_metrics.queries import side_by_side  # here: queries imports forberedd, which imports this

    side_by_side([part.sort for part in _split(values, parts)], parts)
    values.sort(kind="stable")


def _split(values: np.ndarray, parts: int) -> list[np.ndarray]:
    """values in parts consecutive views of (nearly) equal length, in order."""
    bounds = [len(values) * i // parts for i in range(parts + 1)]
    return [values[lo:hi] for lo, hi in itertools.pairwise(bounds)]


def _parts(size: int) -> int:
    """In how many parts to sort or search size values side by side: one per core, at most four,
    one below _SORT_SIDE_BY_SIDE_FROM."""
    from kfp_metrics.queries import workers  # here: queries imports forberedd, which imports this

    return workers() if size >= _SORT_SIDE_BY_SIDE_FROM else 1


# Below this many values one sort is as quick as starting threads.
_SORT_SIDE_BY_SIDE_FROM = 1_000_000


def _deferred_findings(
    con: duckdb.DuckDBPyConnection, result: _TableResult, counts: dict[str, int]
) -> list[Finding]:
    """Findings for the checks counted in the key pass, with examples for those that fail."""
    failing = [c for c in result.deferred if counts.get(c.kind)]
    if not failing:
        return []
    examples = _examples(con, result.name, result.typed, result.typed_sql, failing)
    return [
        Finding(c.severity, result.name, c.column, c.text, counts[c.kind], examples.get(j, ()))
        for j, c in enumerate(failing)
    ]


def _duplicate_hashes(hashes: np.ndarray) -> tuple[np.ndarray, int]:
    """The hashes occurring more than once in the sorted array, and the rows they cover."""
    if len(hashes) < 2:
        return hashes[:0], 0
    same = hashes[1:] == hashes[:-1]
    pairs = int(np.count_nonzero(same))
    if not pairs:
        return hashes[:0], 0
    suspects = np.unique(hashes[1:][same])
    # A run of k equal values holds k - 1 equal neighbours: rows = neighbours + runs.
    return suspects, pairs + len(suspects)


def _missing_keys(needles: np.ndarray, haystack: np.ndarray, keep: int = 50) -> tuple[int, np.ndarray]:
    """How many sorted needles are not in the sorted haystack, and the first `keep` of them.

    In parts of the needles side by side (one per core, at most four): NumPy searches outside the
    interpreter lock, and each part's first missing ones follow the previous part's."""
    parts = _parts(len(needles))
    if parts < 2:
        return _missing_in(needles, haystack, keep)
    from kfp_metrics.queries import side_by_side  # here: queries imports forberedd, which imports this

    found = side_by_side(
        [functools.partial(_missing_in, part, haystack, keep) for part in _split(needles, parts)], parts
    )
    missing = sum(n for n, _ in found)
    return missing, np.concatenate([first for _, first in found])[:keep].astype(np.uint64)


def _missing_in(needles: np.ndarray, haystack: np.ndarray, keep: int) -> tuple[int, np.ndarray]:
    """_missing_keys for one part, in this thread."""
    missing, first = 0, []
    # Both arrays are sorted: each block of needles only needs the slice of the haystack between
    # its first and last value, which stays in cache (about twice as fast as one big search).
    block = 1 << 16
    for start in range(0, len(needles), block):
        part = needles[start : start + block]
        lo = np.searchsorted(haystack, part[0])
        hi = np.searchsorted(haystack, part[-1], side="right")
        window = haystack[lo:hi]
        if len(window) == 0:
            absent = part
        else:
            idx = np.searchsorted(window, part)
            np.minimum(idx, len(window) - 1, out=idx)
            absent = part[window[idx] != part]
        missing += len(absent)
        if len(first) < keep:
            first.extend(absent[: keep - len(first)].tolist())
    return missing, np.array(first, dtype=np.uint64)


@contextmanager
def _registered(con: duckdb.DuckDBPyConnection, name: str, hashes: np.ndarray) -> Iterator[str]:
    con.register(name, pa.table({"h": pa.array(hashes, type=pa.uint64())}))
    try:
        yield name
    finally:
        con.unregister(name)


def _duplicates_finding(
    con: duckdb.DuckDBPyConnection, result: _TableResult, hashes: np.ndarray
) -> Finding | None:
    """Confirm suspected duplicate keys exactly and describe them."""
    suspects, rows_in_groups = _duplicate_hashes(hashes)
    if len(suspects) == 0:
        return None
    # Exact confirmation on a bounded sample; beyond it the hash count stands (collisions ~ 0).
    sample = suspects[:200_000]
    with _registered(con, "_kfp_misstankta", sample) as tab:
        sql = (
            f"with g as (select period, person_id, count(*) as antal from ({result.typed_sql}) t "
            f"where {_KEY_HASH} in (select h from {tab}) and period is not null and person_id is not null "
            "group by period, person_id having count(*) > 1) "
            f"select count(*), sum(antal), min_by(struct_pack(period := period, person_id := person_id, "
            f"antal := antal), struct_pack(period := period, person_id := person_id), {MAX_EXAMPLES}) from g"
        )
        n_keys, n_rows, examples = _one(con, sql)
    if not n_keys:
        return None
    if len(suspects) > len(sample):
        n_rows = rows_in_groups
    return Finding(
        ERROR,
        result.name,
        "person_id",
        "(period, person_id) ska vara unik",
        int(n_rows),
        tuple({k: _jsonable(v) for k, v in ex.items()} for ex in examples or ()),
    )


def _check_person_months(
    con: duckdb.DuckDBPyConnection, results: dict[str, _TableResult], findings: list[Finding]
) -> None:
    """Unique (period, person_id) in anstallningar and franvaro, and franvaro -> anstallningar."""
    keyed = {n: r for n, r in results.items() if r.has_key}
    anst_hashes = None
    if "anstallningar" in keyed:
        anst_hashes, counts = _key_hashes(con, keyed["anstallningar"])
        findings.extend(_deferred_findings(con, keyed["anstallningar"], counts))
        dup = _duplicates_finding(con, keyed["anstallningar"], anst_hashes)
        if dup:
            findings.append(dup)
    if "franvaro" in keyed:
        fr = keyed["franvaro"]
        fr_hashes, counts = _key_hashes(con, fr)
        findings.extend(_deferred_findings(con, fr, counts))
        dup = _duplicates_finding(con, fr, fr_hashes)
        if dup:
            findings.append(dup)
        if anst_hashes is not None:
            n_missing, first = _missing_keys(fr_hashes, anst_hashes)
            if n_missing:
                with _registered(con, "_kfp_saknade", first) as tab:
                    sql = (
                        f"select min_by(struct_pack(period := period, person_id := person_id), "
                        f"struct_pack(period := period, person_id := person_id), {MAX_EXAMPLES}) "
                        f"from ({fr.typed_sql}) t where {_KEY_HASH} in (select h from {tab})"
                    )
                    examples = _one(con, sql)[0] or ()
                findings.append(
                    Finding(
                        ERROR,
                        "franvaro",
                        "person_id",
                        "(period, person_id) ska finnas i anstallningar",
                        n_missing,
                        tuple({k: _jsonable(v) for k, v in ex.items()} for ex in examples),
                    )
                )


def _check_unique_ids(
    con: duckdb.DuckDBPyConnection, results: dict[str, _TableResult], findings: list[Finding]
) -> None:
    for table, column in UNIQUE_IDS.items():
        result = results.get(table)
        if result is None or column not in result.present:
            continue
        c = _ident(column)
        sql = (
            f"with g as (select {c} as id, count(*) as antal from ({result.typed_sql}) t where {c} is not null "
            f"group by {c} having count(*) > 1) select count(*), sum(antal), "
            f"min_by(struct_pack({c} := id, antal := antal), id, {MAX_EXAMPLES}) from g"
        )
        n_keys, n_rows, examples = _one(con, sql)
        if n_keys:
            findings.append(
                Finding(
                    ERROR,
                    table,
                    column,
                    f"{column} ska vara unik",
                    int(n_rows),
                    tuple({k: _jsonable(v) for k, v in ex.items()} for ex in examples or ()),
                )
            )


def _months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    months, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        months.append(dt.date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _month_list(months: Iterable[dt.date], limit: int = 6) -> str:
    months = sorted(months)
    text = ", ".join(m.strftime("%Y-%m") for m in months[:limit])
    return text + (f" m.fl. ({len(months)} st)" if len(months) > limit else "")


def _check_months(results: dict[str, _TableResult], findings: list[Finding]) -> None:
    """Gaps in anstallningar's monthly series, and franvaro months with no anstallningar at all."""
    anst = results.get("anstallningar")
    anst_months = set()
    if anst and anst.period_rows:
        anst_months = {p.replace(day=1) for p in anst.period_rows}
        gaps = sorted(set(_months_between(min(anst_months), max(anst_months))) - anst_months)
        if gaps:
            findings.append(
                Finding(
                    WARNING,
                    "anstallningar",
                    "period",
                    f"{len(gaps)} {_plural(len(gaps), 'månad', 'månader')} saknas i serien mellan "
                    f"{min(anst_months):%Y-%m} och {max(anst_months):%Y-%m}: {_month_list(gaps)}",
                )
            )
    fr = results.get("franvaro")
    if anst is not None and anst.period_rows is not None and fr and fr.period_rows:
        lonely: dict[dt.date, int] = {}
        for p, n in fr.period_rows.items():
            if p.replace(day=1) not in anst_months:
                lonely[p.replace(day=1)] = lonely.get(p.replace(day=1), 0) + n
        if lonely:
            findings.append(
                Finding(
                    WARNING,
                    "franvaro",
                    "period",
                    f"{len(lonely)} {_plural(len(lonely), 'månad', 'månader')} med frånvaro saknar helt rader i "
                    f"anstallningar: {_month_list(lonely)}",
                    rows=None,
                    detail=f"({_rows(sum(lonely.values()))} i franvaro.)",
                )
            )


def _check_event_coverage(
    con: duckdb.DuckDBPyConnection, results: dict[str, _TableResult], findings: list[Finding]
) -> None:
    """A warning when handelser begins in a later month than anstallningar: the rolling 12-month
    personalomsättning of the months in between would count too few departures."""
    anst, events = results.get("anstallningar"), results.get("handelser")
    if not (anst and anst.period_rows and events and "datum" in events.present):
        return
    first_event = con.execute(f"select min(datum) from ({events.typed_sql}) t").fetchone()[0]
    if first_event is None:
        return
    first_month = min(anst.period_rows).replace(day=1)
    event_month = first_event.replace(day=1)
    if event_month <= first_month:
        return
    start = dt.date(event_month.year + (event_month.month + 10) // 12, (event_month.month + 10) % 12 + 1, 1)
    findings.append(
        Finding(
            WARNING,
            "handelser",
            "datum",
            f"händelserna börjar i {event_month:%Y-%m} men anställningarna redan i {first_month:%Y-%m}; "
            f"personalomsättningen rullande 12 månader visas först från {start:%Y-%m}, när tolv månader av "
            "händelser finns",
        )
    )


# --- files, layout and errors ----------------------------------------------------------------


def _layout_findings(root: Path, sources: dict[str, TableSource]) -> list[Finding]:
    findings = []
    for name in REQUIRED_TABLES:
        if name not in sources:
            hint = ""
            if (root / f"{name}.parquet").is_dir():
                hint = f" ({name}.parquet är en mapp: döp om den till {name}/)"
            findings.append(
                Finding(
                    ERROR,
                    name,
                    None,
                    f"tabellen saknas: {name}.parquet eller mappen {name}/ med Parquet-filer krävs{hint}",
                )
            )
    for name in OPTIONAL_TABLES:
        if name not in sources:
            findings.append(Finding(INFO, name, None, f"tabellen saknas – {ABSENT_TABLE_EFFECT[name]}"))
    for entry in sorted(root.iterdir()):
        stem = entry.name.removesuffix(".parquet")
        if stem in ALL_TABLES:
            if entry.is_dir() and entry.name == stem and stem in sources and not sources[stem].is_folder:
                findings.append(
                    Finding(INFO, stem, None, f"mappen {stem}/ ignoreras eftersom {stem}.parquet finns")
                )
            continue
        if (entry.is_file() and entry.suffix == ".parquet") or (
            entry.is_dir() and any(entry.rglob("*.parquet"))
        ):
            findings.append(
                Finding(INFO, None, None, f"{entry.name} är ingen tabell i datakontraktet och ignoreras")
            )
    return findings


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return mask_in_text(text)


def _unreadable_files(con: duckdb.DuckDBPyConnection, root: Path, source: TableSource) -> list[Finding]:
    """Find which of a table's files cannot be read: footers first, then full reads."""
    bad = []
    files = source.files()
    for f in files:
        try:
            con.execute(f"select count(*) from {TableSource(source.name, f).read_sql()}").fetchall()
        except duckdb.Error as exc:
            bad.append((f, exc))
    if not bad:
        for f in files:
            try:
                # hash over every column forces every page to be decoded.
                con.execute(
                    f"select count(*) from {TableSource(source.name, f).read_sql()} where hash(*columns(*)) = 0"
                ).fetchall()
            except duckdb.Error as exc:
                bad.append((f, exc))
    return [
        Finding(
            ERROR,
            source.name,
            None,
            "filen kan inte läsas som Parquet",
            file=_relative(root, f),
            detail=f"({_first_line(exc)})",
        )
        for f, exc in bad
    ]


_TRANSIENT = (duckdb.OutOfMemoryException, duckdb.InterruptException)


def _read_failure(
    con: duckdb.DuckDBPyConnection, root: Path, name: str, source: TableSource, exc: BaseException
) -> tuple[list[Finding], bool]:
    """Findings for a table whose scan failed, and whether the failure lies in the data."""
    if isinstance(exc, _TRANSIENT):
        return [
            Finding(ERROR, name, None, "valideringen kunde inte slutföras", detail=f"({_first_line(exc)})")
        ], False
    try:
        files = _unreadable_files(con, root, source)
    except Exception:  # the original error is the one to report
        files = []
    if files:
        return files, True
    return [
        Finding(
            ERROR,
            name,
            None,
            "tabellen kunde inte läsas",
            file=_relative(root, source.path),
            detail=f"({_first_line(exc)})",
        )
    ], isinstance(exc, duckdb.Error)


@contextmanager
def _connection(memory_limit: str, threads: int | None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A private in-memory DuckDB that spills to a temporary directory instead of failing."""
    with tempfile.TemporaryDirectory(prefix="kfp-validering-") as tmp:
        config: dict[str, Any] = {
            "memory_limit": memory_limit,
            "temp_directory": tmp,
            "preserve_insertion_order": False,
        }
        if threads:
            config["threads"] = int(threads)
        con = duckdb.connect(":memory:", config=config)
        try:
            try:
                # Each table is scanned more than once; reuse the parsed Parquet footers.
                con.execute("set parquet_metadata_cache = true")
            except duckdb.Error:
                pass
            con.execute("set enable_progress_bar = false")
            yield con
        finally:
            con.close()


def validate(
    data_dir: Path | str, *, memory_limit: str = DEFAULT_MEMORY_LIMIT, threads: int | None = None
) -> ValidationReport:
    """Check the extracts in data_dir against every rule of the data contract's section 1."""
    started = time.perf_counter()
    root = Path(data_dir)
    report = ValidationReport(str(data_dir))
    if not root.is_dir():
        what = "finns inte" if not root.exists() else "är ingen katalog"
        report.findings.append(Finding(ERROR, None, None, f"katalogen {root} {what}"))
        return report
    report.fingerprint = fingerprint(root)
    try:
        report.fingeravtryck = content_fingerprint(root)
    except OSError:
        report.fingeravtryck = None  # an unreadable file is reported by its table's checks
    sources = locate_tables(root)
    findings = _layout_findings(root, sources)
    results: dict[str, _TableResult] = {}
    with _connection(memory_limit, threads) as con:
        for name, source in sources.items():
            report.tables[name] = {"source": _source_label(root, source), "rows": None}
            try:
                result = _check_table(con, root, name, source, findings)
            except Exception as exc:  # any failure becomes a finding, never a traceback
                failed, in_data = _read_failure(con, root, name, source, exc)
                findings.extend(failed)
                report.complete = report.complete and in_data
                continue
            results[name] = result
            report.tables[name]["rows"] = result.rows
        for step in (_check_person_months, _check_unique_ids):
            try:
                step(con, results, findings)
            except Exception as exc:  # a failed check is reported, not raised
                findings.append(
                    Finding(
                        ERROR,
                        None,
                        None,
                        "nyckelkontrollen kunde inte slutföras",
                        detail=f"({_first_line(exc)})",
                    )
                )
                report.complete = False
        try:
            _check_event_coverage(con, results, findings)
        except duckdb.Error:
            pass  # a failed read is reported by the table's own checks
    _check_months(results, findings)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    table_order = {t: i for i, t in enumerate(ALL_TABLES)}
    report.findings = sorted(findings, key=lambda f: (order[f.severity], table_order.get(f.table or "", -1)))
    report.seconds = round(time.perf_counter() - started, 3)
    return report


# --- cached verdict --------------------------------------------------------------------------


def default_cache_dir() -> Path:
    """Where verdicts are kept: $KFP_STATE_DIR/validering, else state/validering in the project."""
    state = os.environ.get("KFP_STATE_DIR")
    return (Path(state) if state else PROJECT_ROOT / "state") / "validering"


def _cache_path(data_dir: Path, cache_dir: Path) -> Path:
    key = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return cache_dir / f"{key}.json"


def _load_cached(path: Path, fp: str) -> ValidationReport | None:
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("version") != VALIDATOR_VERSION:
        return None
    if stored.get("cache_nyckel") != fp:
        return None
    try:
        report = ValidationReport.from_dict(stored)
    except (KeyError, TypeError, ValueError):
        return None
    report.from_cache = True
    return report


def _store(path: Path, report: ValidationReport) -> None:
    """Write the verdict atomically (temp file, fsync, rename); a failure only costs a re-run."""
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        os.fchmod(fd, 0o644)  # mkstemp's 0600 would hide the verdict from the app's own user
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({**report.to_dict(), "from_cache": False}, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError:
        pass
    finally:
        if tmp_name:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def validate_cached(
    data_dir: Path | str, cache_dir: Path | str | None = None, **options: Any
) -> ValidationReport:
    """validate(), reusing the verdict stored for the same extract fingerprint (names, sizes, mtimes)."""
    root = Path(data_dir)
    if not root.is_dir():
        return validate(root, **options)
    directory = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path = _cache_path(root, directory)
    fp = fingerprint(root)
    cached = _load_cached(path, fp)
    if cached is not None:
        cached.data_dir = str(data_dir)
        return cached
    report = validate(root, **options)
    _store_verdict(root, report, directory)
    return report


def _store_verdict(root: Path, report: ValidationReport, cache_dir: Path) -> None:
    # A verdict is only worth keeping if it was complete and the files did not change meanwhile.
    if report.complete and report.fingerprint and fingerprint(root) == report.fingerprint:
        _store(_cache_path(root, cache_dir), report)


# --- command line ----------------------------------------------------------------------------


def register(subparsers) -> None:
    """Add `validate` to the CLI."""
    parser = subparsers.add_parser(
        "validate",
        help="kontrollera extrakten mot datakontraktet",
        description="Kontrollerar Parquet-extrakten mot datakontraktet och skriver en rapport på svenska. "
        "Avslutar med 0 när extrakten är godkända (varningar tillåts), annars 1.",
    )
    parser.add_argument(
        "data",
        nargs="?",
        type=Path,
        default=None,
        metavar="KATALOG",
        help="katalogen med extrakten (standard: KFP_DATA_DIR, annars data/)",
    )
    parser.add_argument("--json", action="store_true", help="skriv rapporten som JSON")
    parser.add_argument(
        "--omvalidera", action="store_true", help="läs filerna igen även om ett sparat resultat finns"
    )
    parser.set_defaults(func=run_validate)


def run_validate(args) -> int:
    """Validate the directory, print the report; 0 when valid, 1 otherwise."""
    data_dir = args.data if args.data is not None else data_dir_from_env()
    if not data_dir.is_dir():
        what = "finns inte" if not data_dir.exists() else "är ingen katalog"
        print(f"Fel: katalogen {data_dir} {what}.", file=sys.stderr)
        return 1
    try:
        if args.omvalidera:
            report = validate(data_dir)
            _store_verdict(data_dir, report, default_cache_dir())
        else:
            report = validate_cached(data_dir)
    except Exception as exc:  # the CLI never shows a traceback
        print(f"Fel: valideringen kunde inte genomföras ({_first_line(exc)}).", file=sys.stderr)
        return 1
    if args.json:
        shown = {k: v for k, v in report.to_dict().items() if k != "cache_nyckel"}
        json.dump(shown, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(report.to_text())
    return 0 if report.ok else 1
