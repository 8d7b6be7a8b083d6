"""From the raw text table to the contract's types, and every check with the line it fails on.

Each contract column becomes two columns of a view t_<table>: the typed value under the
contract's name and the export's text (after the mapping's values) as <name>__lagrad, the
convention of kfp_metrics.validation, so that its row rules (RULES) apply here unchanged and
each violation can be shown with its file line instead of only after the Parquet is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from kfp_metrics.importer.mapping import SYNONYMS, TableMapping, closest, plain, toml_string
from kfp_metrics.importer.problems import FEL, MAX_EXAMPLES, Problems, rad, show_value
from kfp_metrics.importer.sources import Staged
from kfp_metrics.validation import BOOLEAN, DATE, DOUBLE, INTEGER, PNR_SQL, RULES, SCHEMA, VARCHAR, Col

KOMMA, PUNKT, BADA = "komma", "punkt", "båda"
DECIMAL_ALIASES = {",": KOMMA, "komma": KOMMA, ".": PUNKT, "punkt": PUNKT}
DECIMAL_NAMES = {KOMMA: "decimalkomma", PUNKT: "decimalpunkt", BADA: "decimaltecken enligt cellerna"}
TRUE_WORDS = ("ja", "j", "1", "sant", "true", "x", "yes")
FALSE_WORDS = ("nej", "n", "0", "falskt", "false", "no")

# Tables whose key must be unique, and the columns of the key.
UNIQUE_KEYS = {
    "anstallningar": ("period", "person_id"),
    "franvaro": ("period", "person_id"),
    "incidenter": ("incident_id",),
    "aktiviteter": ("aktivitet_id",),
}
DATE_PARTITION = {"anstallningar": "period", "franvaro": "period", "handelser": "datum"}


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class Prepared:
    """A staged export with its columns resolved: the typed view and what it shows as whom."""

    staged: Staged
    table: str
    index: dict[str, int]  # contract column -> header position
    decimal: str = KOMMA
    params: dict[str, object] = field(default_factory=dict)
    view: str = ""

    @property
    def label(self) -> str:
        return self.staged.source.label

    def header(self, col: str) -> str:
        return self.staged.headers[self.index[col]]


def _suggest_header(col: str, headers: list[str]) -> str | None:
    for h in headers:
        if SYNONYMS.get(plain(h)) == col:
            return h
    best = None
    for h in headers:
        if closest(h, [col]) == col:
            best = best or h
    return best


def resolve(staged: Staged, tm: TableMapping, problems: Problems, partial: bool = False) -> Prepared | None:
    """Which header is which contract column: the mapping first, then names equal in plain form.

    With a missing column or a mapping naming an absent header: None, or with partial=True the
    columns that were found (their values are then still checked, so that one run names every
    problem; nothing is written since an error was reported).
    """
    table = staged.source.table
    label = staged.source.label
    headers = staged.headers
    contract = SCHEMA[table]
    index: dict[str, int] = {}
    ok = True
    exact = {h: i for i, h in enumerate(headers)}
    by_plain: dict[str, int] = {}
    for i, h in enumerate(headers):
        by_plain.setdefault(plain(h), i)
    for col, header in tm.kolumner.items():
        i = exact.get(header, by_plain.get(plain(header)))
        if i is None:
            near = closest(header, headers)
            tip = f" Närmast bland filens rubriker: «{near}»." if near else ""
            at = f" (rad {tm.lines[col]})" if col in tm.lines else ""
            problems.error(
                label,
                f"mappningen{at} anger {col} = {toml_string(header)}, men filen har ingen rubrik «{header}».{tip}",
                hint="Filens rubriker: " + ", ".join(f"«{h}»" for h in headers),
            )
            ok = False
            continue
        index[col] = i
    used = set(index.values())
    for c in contract:
        if c.name in index:
            continue
        i = by_plain.get(plain(c.name))
        if i is not None and i not in used:
            index[c.name] = i
            used.add(i)
    unmapped = [c.name for c in contract if c.name not in index]
    for c in contract:
        if c.name in index or not c.required:
            continue
        free = [h for i, h in enumerate(headers) if i not in used and h]
        near = _suggest_header(c.name, free)
        if near:
            hint = f"Om «{near}» är {c.name}, lägg till i mappningen:\n[{table}.kolumner]\n{c.name} = {toml_string(near)}"
        else:
            hint = "Filens rubriker: " + ", ".join(f"«{h}»" for h in headers)
        problems.error(label, f"rad 1: kolumnen {c.name} saknas (krävs enligt datakontraktet)", hint=hint)
        ok = False
    for i, h in enumerate(headers):
        if i in used:
            continue
        name = f"«{h}»" if h else f"nr {i + 1} (utan rubrik)"
        near = closest(h, unmapped) if h else None
        if near:
            problems.info(
                label,
                f"kolumnen {name} finns inte i datakontraktet och läses inte; menar du {near}? "
                f"Lägg i så fall till under [{table}.kolumner]: {near} = {toml_string(h)}",
            )
        else:
            problems.info(label, f"kolumnen {name} finns inte i datakontraktet och läses inte")
    if not ok and not partial:
        return None
    return Prepared(staged, table, index)


def _value_sql(p: Prepared, col: str, tm: TableMapping) -> str:
    raw = f"nullif(trim(r.c{p.index[col]}), '')"
    values = tm.varden.get(col)
    if not values:
        return raw
    parts = []
    for j, (k, v) in enumerate(values.items()):
        pk, pv = f"m_{p.table}_{col}_{j}k", f"m_{p.table}_{col}_{j}v"
        p.params[pk], p.params[pv] = k, v
        parts.append(f"when ${pk} then ${pv}")
    return f"(case {raw} {' '.join(parts)} else {raw} end)"


def _clean_number(v: str) -> str:
    return f"regexp_replace(regexp_replace(replace({v}, '−', '-'), '[ \\t\u00a0\u202f]', '', 'g'), '%$', '')"


_NUMBER = {
    KOMMA: r"[+-]?(\d+(,\d*)?|,\d+)",
    PUNKT: r"[+-]?(\d+(\.\d*)?|\.\d+)",
    BADA: r"[+-]?(\d+([.,]\d*)?|[.,]\d+)",
}


def _typed_sql(col: Col, v: str, decimal: str) -> str:
    if col.type == DOUBLE:
        s = _clean_number(v)
        return f"(case when regexp_full_match({s}, '{_NUMBER[decimal]}') then cast(replace({s}, ',', '.') as double) end)"
    if col.type == INTEGER:
        s = _clean_number(v)
        return (
            f"(case when regexp_full_match({s}, '[+-]?\\d+([.,]0*)?') "
            f"then try_cast(regexp_replace({s}, '[.,]0*$', '') as integer) end)"
        )
    if col.type == DATE:
        whens = [
            f"when regexp_full_match({v}, '\\d{{4}}-\\d{{2}}-\\d{{2}}([ T]00:00(:00)?)?') "
            f"then try_strptime(left({v}, 10), '%Y-%m-%d')::date",
            f"when regexp_full_match({v}, '\\d{{8}}') then try_strptime({v}, '%Y%m%d')::date",
        ]
        if col.name == "period":
            whens += [
                f"when regexp_full_match({v}, '\\d{{4}}-\\d{{2}}') then try_strptime({v} || '-01', '%Y-%m-%d')::date",
                f"when regexp_full_match({v}, '\\d{{6}}') then try_strptime({v} || '01', '%Y%m%d')::date",
            ]
        return f"(case {' '.join(whens)} end)"
    if col.type == BOOLEAN:
        t = ", ".join(f"'{w}'" for w in TRUE_WORDS)
        f = ", ".join(f"'{w}'" for w in FALSE_WORDS)
        return f"(case when lower({v}) in ({t}) then true when lower({v}) in ({f}) then false end)"
    return v


def detect_decimal(con: duckdb.DuckDBPyConnection, p: Prepared, forced: str | None) -> str:
    """The file's decimal mark: forced, else the one its number columns use (Excel: per cell)."""
    if forced:
        return forced
    if p.staged.source.is_excel:
        return BADA
    numeric = [c for c in SCHEMA[p.table] if c.name in p.index and c.type in (DOUBLE, INTEGER)]
    if not numeric:
        return KOMMA
    comma = " + ".join(f"count_if(contains(r.c{p.index[c.name]}, ','))" for c in numeric)
    point = " + ".join(
        f"count_if(regexp_full_match(trim(r.c{p.index[c.name]}), '[+-]?\\d*\\.\\d+'))" for c in numeric
    )
    n_comma, n_point = con.execute(f"select {comma}, {point} from {p.staged.raw} r").fetchone()
    if n_point > n_comma:
        return PUNKT
    if n_comma:
        return KOMMA
    return PUNKT if p.staged.separator == "," else KOMMA


def build_view(con: duckdb.DuckDBPyConnection, p: Prepared, tm: TableMapping, pseudonyms: bool) -> None:
    """Create the table t_<table>: _pos, each contract column typed and as text (__lagrad)."""
    parts = [f"r.{p.staged.pos} as _pos"]
    join = ""
    for col in SCHEMA[p.table]:
        if col.name not in p.index:
            continue
        v = _value_sql(p, col.name, tm)
        typed = _typed_sql(col, v, p.decimal)
        if col.name == "person_id" and pseudonyms:
            join = f" left join pseudonymer pn on pn.id = {v}"
            typed = "pn.pseudonym"
        parts.append(f"{typed} as {q(col.name)}")
        parts.append(f"{v} as {q(col.name + '__lagrad')}")
    p.view = f"t_{p.table}"
    # A table, not a view: the checks and the Parquet writer then read converted values, and a
    # view could not hold the mapping's values as bound parameters.
    # The join with the pseudonyms does not keep the rows' order; the file's order is restored.
    order = " order by _pos" if join else ""
    sql = f"create table {p.view} as select {', '.join(parts)} from {p.staged.raw} r{join}{order}"
    con.execute(sql, _used(sql, p.params))
    con.execute(f"drop table {p.staged.raw}")


def person_ids_sql(p: Prepared, tm: TableMapping) -> str | None:
    """The distinct export values of person_id (for the pseudonym table)."""
    if "person_id" not in p.index:
        return None
    return f"select distinct {_value_sql(p, 'person_id', tm)} as id from {p.staged.raw} r"


@dataclass
class _Check:
    severity: str
    column: str | None
    kind: str
    sql: str
    text: str  # the problem in one sentence, without the row count
    shows: tuple[str, ...] = ()
    params: dict[str, object] = field(default_factory=dict)


def _conversion_text(col: Col, decimal: str) -> str:
    if col.type == DOUBLE:
        return "är inget tal"
    if col.type == INTEGER:
        return "är inget heltal"
    if col.type == DATE and col.name == "period":
        return "är ingen månad (ÅÅÅÅ-MM-DD, ÅÅÅÅMMDD, ÅÅÅÅ-MM eller ÅÅÅÅMM)"
    if col.type == DATE:
        return "är inget datum (ÅÅÅÅ-MM-DD eller ÅÅÅÅMMDD)"
    if col.type == BOOLEAN:
        return "är varken ja eller nej"
    return "kan inte läsas"


def _checks(p: Prepared, pseudonyms: bool) -> list[_Check]:
    checks = []
    present = set(p.index)
    for col in SCHEMA[p.table]:
        name = col.name
        if name not in present:
            continue
        lag = q(name + "__lagrad")
        if col.type != VARCHAR:
            checks.append(
                _Check(
                    FEL,
                    name,
                    "conversion",
                    f"{lag} is not null and {q(name)} is null",
                    _conversion_text(col, p.decimal),
                    (name,),
                )
            )
        if col.not_null:
            checks.append(_Check(col.null_severity, name, "not_null", f"{lag} is null", "värde saknas", ()))
        if col.codes:
            param = f"koder_{p.table}_{name}"
            checks.append(
                _Check(
                    FEL,
                    name,
                    "codes",
                    f"{q(name)} is not null and not list_contains(${param}, {q(name)})",
                    f"är ingen kod för {name}",
                    (name,),
                    {param: list(col.codes)},
                )
            )
        if name == "person_id" and not pseudonyms:
            checks.append(
                _Check(
                    FEL,
                    name,
                    "personnummer",
                    f"regexp_full_match({lag}, $pnr)",
                    "ser ut som ett personnummer",
                    (name,),
                    {"pnr": PNR_SQL},
                )
            )
    for rule in RULES.get(p.table, ()):
        if all(n in present for n in rule.needs):
            checks.append(
                _Check(rule.severity, rule.column, "rule", rule.sql, rule.text, rule.shows or (rule.column,))
            )
    return checks


def _used(sql: str, params: dict[str, object]) -> dict[str, object]:
    import re

    return {k: v for k, v in params.items() if re.search(r"\$" + re.escape(k) + r"\b", sql)}


def check(
    con: duckdb.DuckDBPyConnection,
    p: Prepared,
    pseudonyms: bool,
    problems: Problems,
    known: dict[str, dict[str, str]] | None = None,
) -> None:
    """Count every check in one scan, fetch a few located examples, and report each failing one."""
    known = known or {}
    checks = _checks(p, pseudonyms)
    if not checks:
        return
    params: dict[str, object] = dict(p.params)
    aggs = []
    for i, c in enumerate(checks):
        params.update(c.params)
        fields = ", ".join(f"{q('v_' + s)} := {q(s + '__lagrad')}" for s in c.shows)
        struct = f"struct_pack(pos := _pos{', ' + fields if fields else ''})"
        aggs.append(f"count_if({c.sql}) as n{i}")
        aggs.append(f"min_by({struct}, _pos, {MAX_EXAMPLES}) filter (where {c.sql}) as e{i}")
    sql = f"select {', '.join(aggs)} from {p.view}"
    row = con.execute(sql, _used(sql, params)).fetchone()
    for i, c in enumerate(checks):
        n = row[2 * i]
        if not n:
            continue
        examples = row[2 * i + 1] or []
        if c.kind == "codes":
            _report_codes(con, p, c, n, params, problems, known.get(c.column, {}))
            continue
        header = p.header(c.column) if c.column in p.index else c.column
        lines = []
        for ex in examples:
            where = rad(p.staged.line(ex["pos"]))
            if c.kind == "rule":
                shown = ", ".join(f"{p.header(s)} {show_value(ex['v_' + s])}" for s in c.shows)
                lines.append(f"{where}: {shown}")
            elif c.kind == "not_null":
                lines.append(f"{where}, kolumn {header}: värde saknas")
            else:
                value = ex["v_" + c.column]
                extra = ""
                if c.kind == "conversion" and p.decimal == KOMMA and "." in str(value):
                    extra = " (filen har decimalkomma)"
                elif c.kind == "conversion" and p.decimal == PUNKT and "," in str(value):
                    extra = " (filen har decimalpunkt)"
                lines.append(f"{where}, kolumn {header}: {show_value(value)} {c.text}{extra}")
        if c.kind == "rule":
            text = f'{_count(n)} bryter mot regeln "{c.text}" (kolumn {header})'
        elif c.kind == "not_null":
            text = f"kolumn {header}: {_count(n)} saknar värde (krävs)"
        elif c.kind == "personnummer":
            text = f"kolumn {header}: {_count(n)} har värden som ser ut som personnummer"
        else:
            text = f"kolumn {header}: {_count(n)} där värdet {c.text}"
        hint = None
        if c.kind == "personnummer":
            hint = (
                "Personnummer får inte finnas i extrakten. Ange --nyckel FIL så ersätts de med pseudonymer "
                "(skapa nyckeln en gång med --skapa-nyckel --nyckel FIL och förvara den utanför extrakten)."
            )
        problems.add(c.severity, p.label, text, count=n, examples=lines, hint=hint)


def _count(n: int) -> str:
    from kfp_metrics.format import tal

    return f"{tal(n)} {'rad' if n == 1 else 'rader'}"


def _guess_code(value: str, codes: list[str], known: dict[str, str]) -> str | None:
    """The code a value most likely means: a mapped value equal in plain form, else the nearest code."""
    for k, v in known.items():
        if plain(k) == plain(value) and v in codes:
            return v
    return closest(value, codes, cutoff=0.5)


def _report_codes(
    con, p: Prepared, c: _Check, n: int, params, problems: Problems, known: dict[str, str]
) -> None:
    """Unknown codes grouped by value, with the mapping lines that would accept them."""
    col = c.column
    codes = [x for x in next(iter(c.params.values()))]
    sql = (
        f"select {q(col + '__lagrad')} as v, count(*) as n, min(_pos) as pos from {p.view} "
        f"where {c.sql} group by 1 order by n desc, pos limit 20"
    )
    groups = con.execute(sql, _used(sql, params)).fetchall()
    header = p.header(col)
    examples = [
        f"{rad(p.staged.line(pos))}, kolumn {header}: {show_value(v)} är ingen kod för {col}"
        + (f" ({_count(k)})" if k > 1 else "")
        for v, k, pos in groups[:MAX_EXAMPLES]
    ]
    lines = [f"[{p.table}.varden.{col}]"]
    for v, _, _ in groups:
        guess = _guess_code(str(v), codes, known)
        if guess:
            lines.append(f"{toml_string(str(v))} = {toml_string(guess)}")
        else:
            lines.append(f'{toml_string(str(v))} = ""  # en av: {", ".join(codes)}')
    problems.error(
        p.label,
        f"kolumn {header}: {_count(n)} har värden som inte är koder för {col} (tillåtna: {', '.join(codes)})",
        count=len(groups) if len(groups) < 20 else None,
        examples=examples,
        hint="Lägg till i mappningen (rätta gissningarna):\n" + "\n".join(lines),
    )


def check_keys(
    con: duckdb.DuckDBPyConnection, prepared: dict[str, Prepared], problems: Problems, references: bool = True
) -> None:
    """Unique keys, and every franvaro row's (period, person_id) present in anstallningar."""
    for table, keys in UNIQUE_KEYS.items():
        p = prepared.get(table)
        if p is None or not all(k in p.index for k in keys):
            continue
        cols = ", ".join(q(k) for k in keys)
        not_null = " and ".join(f"{q(k)} is not null" for k in keys)
        # Count per key only (a list per key would not fit in memory at tens of millions of rows);
        # the few example groups' lines are fetched afterwards.
        con.execute(
            f"create or replace temp table _dubbletter as select {cols}, count(*) as n, min(_pos) as forst "
            f"from {p.view} where {not_null} group by {cols} having count(*) > 1"
        )
        same_key = " and ".join(f"t.{q(k)} = d.{q(k)}" for k in keys)
        shown = ", ".join(f"{q('v_' + k)} := min_by(t.{q(k + '__lagrad')}, t._pos)" for k in keys)
        sql = (
            "select (select count(*) from _dubbletter), (select sum(n) from _dubbletter), "
            f"(select list(g order by g.pos[1]) from (select struct_pack(pos := list(t._pos order by t._pos)[1:{MAX_EXAMPLES}], "
            f"n := any_value(d.n), {shown}) as g from (select * from _dubbletter order by forst limit {MAX_EXAMPLES}) d "
            f"join {p.view} t on {same_key} group by d.forst))"
        )
        n_keys, n_rows, groups = con.execute(sql).fetchone()
        if not n_keys:
            continue
        what = " och ".join(p.header(k) for k in keys)
        lines = []
        for g in groups or []:
            places = " och ".join(rad(p.staged.line(x)).removeprefix("rad ") for x in g["pos"])
            vals = ", ".join(f"{p.header(k)} {show_value(g['v_' + k])}" for k in keys)
            more = f" ({g['n']} gånger)" if g["n"] > len(g["pos"]) else ""
            lines.append(f"rad {places}: samma {vals}{more}")
        problems.error(
            p.label,
            f"{_count(int(n_rows))} har samma {what} som en annan rad ({', '.join(keys)} ska vara unik; "
            f"{int(n_keys)} {'dubblett' if n_keys == 1 else 'dubbletter'})",
            count=int(n_keys),
            examples=lines,
        )
    fr, an = prepared.get("franvaro"), prepared.get("anstallningar")
    if references and fr and an and all(k in fr.index and k in an.index for k in ("period", "person_id")):
        sql = (
            f"select count(*), min_by(struct_pack(pos := _pos, p := period__lagrad, id := person_id__lagrad), _pos, "
            f"{MAX_EXAMPLES}) from {fr.view} f where f.period is not null and f.person_id is not null and not exists "
            f"(select 1 from {an.view} a where a.period = f.period and a.person_id = f.person_id)"
        )
        n, examples = con.execute(sql).fetchone()
        if n:
            lines = [
                f"{rad(fr.staged.line(e['pos']))}: {fr.header('period')} {show_value(e['p'])}, "
                f"{fr.header('person_id')} {show_value(e['id'])} finns inte i anstallningar"
                for e in examples or []
            ]
            problems.error(
                fr.label,
                f"{_count(n)} gäller en person och månad som saknas i anstallningar "
                "((period, person_id) ska finnas i anstallningar)",
                count=n,
                examples=lines,
            )


def select_sql(p: Prepared) -> str:
    """The contract's columns in contract order, typed, from the view."""
    return ", ".join(q(c.name) for c in SCHEMA[p.table] if c.name in p.index)
