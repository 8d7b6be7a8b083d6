"""The one gate below the shell: a DuckDB connection whose tables hold only a permission's rows.

For a permission narrower than the whole organisation, a schema per permission holds one view
per contract table, filtered to the granted units, and every cursor of the connection reads
through that schema first (search_path). Queries, totals, the organisation tree behind the
sidebar, the report and the plan therefore cannot see a row outside the grant, whatever Scope
they are given.
"""

from __future__ import annotations

import threading

import duckdb

from kfp_metrics.behorighet.upplosning import Permission
from kfp_metrics.extracts import ALL_TABLES

# How each table's rows are matched to the granted units. Every table the extracts can hold
# must be named here: a table without a rule would be read unfiltered through `main`.
RULES: dict[str, str] = {
    "anstallningar": "enhet",
    "handelser": "enhet",
    "medarbetarenkat": "enhet",
    "incidenter": "enhet",
    "franvaro": "personmanad",  # scoped by the anstallningar row of the month (contract 2)
    "kompetensgap": "kompetensgap",  # enhet optional: a row without one needs the whole avdelning
    "aktiviteter": "avdelning",  # avdelning null = förvaltningsövergripande
    "mal": "avdelning",
    "personalprognos": "forvaltning",  # per förvaltning only: needs the whole förvaltning
    # The store's aggregates and compact person rows, each per enhet (kfp_metrics.forberedd.bygg).
    "sjuk_summor": "enhet",
    "sjuk_personar": "enhet",
    "personal_summor": "enhet",
    "org_enheter": "enhet",
}
# Public or organisation-free tables, read as they are.
PUBLIC: frozenset[str] = frozenset({"jamforelse", "yrkeskategorier"})

_ORG_TABLES = ("anstallningar", "handelser", "medarbetarenkat", "incidenter")
_lock = threading.Lock()


def unruled_tables() -> list[str]:
    """Tables of the extracts that have no filtering rule (must be empty)."""
    return [t for t in ALL_TABLES if t not in RULES and t not in PUBLIC]


def _present(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "select view_name from duckdb_views() where schema_name = 'main' and not internal"
    ).fetchall()
    return {r[0] for r in rows}


def _units_sql(present: set[str]) -> str | None:
    """A query of every (förvaltning, avdelning, enhet) the present tables name (enhet null where a
    kompetensgap row has none); None without any such table."""
    parts = [
        f"select distinct forvaltning, avdelning, enhet from main.{t}"
        for t in (*_ORG_TABLES, "kompetensgap")
        if t in present
    ]
    return " union ".join(parts) if parts else None


def organisation_units(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """Every (förvaltning, avdelning, enhet) named in the extracts (enhet None where a table has none)."""
    sql = _units_sql(_present(con))
    if sql is None:
        return []
    return [tuple(r) for r in con.execute(f"select * from ({sql}) order by all").fetchall()]


class ScopedConnection:
    """Quacks like the DuckDB connection the pure modules take; every cursor reads the grant only.

    A cursor of it is wrapped too, so that a cursor taken from a cursor (as the report does for
    its threads) still reads through the permission's schema."""

    def __init__(self, base: duckdb.DuckDBPyConnection, schema: str, root: bool = True):
        self._base = base
        self.schema = schema
        self._root = root  # the shared object: every use takes a cursor of its own
        self._raw = None

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._raw is None:
            raw = self._base.cursor()
            # The schema name is made here from a hex digest, never from user input.
            raw.execute(f"set search_path = '{self.schema},main'")
            self._raw = raw
        return self._raw

    def cursor(self) -> ScopedConnection:
        return ScopedConnection(self._base, self.schema, root=False)

    duplicate = cursor

    def execute(self, query: str, parameters=None) -> ScopedConnection:
        target = self.cursor() if self._root else self
        target._connection().execute(query, parameters)
        return target

    def __getattr__(self, name: str):
        # fetchall, fetchone, df, sql, description …: the wrapped cursor's own.
        if self._root:
            raise AttributeError(f"{name}: ta en cursor() först")
        return getattr(self._connection(), name)

    def close(self) -> None:
        """Closes this cursor; the shared base connection stays open."""
        if self._raw is not None:
            self._raw.close()
            self._raw = None


def _create_views(cur: duckdb.DuckDBPyConnection, schema: str, permission: Permission) -> None:
    s = schema
    cur.execute(f"create schema {s}")
    cur.execute(f"create table {s}._grans (forvaltning varchar[], avdelning varchar[], enhet varchar[])")
    for box in permission.boxes:
        cur.execute(
            f"insert into {s}._grans values ($f, $a, $e)",
            {"f": list(box.forvaltning), "a": list(box.avdelning), "e": list(box.enhet)},
        )
    present = _present(cur)
    units = _units_sql(present)
    # Leaf units granted, whole avdelningar granted, avdelningar and förvaltningar touched, whole
    # förvaltningar granted: small tables the views semi-join against.
    cur.execute(
        f"""create table {s}._enheter as
        select distinct u.forvaltning, u.avdelning, u.enhet from ({units}) as u, {s}._grans as g
        where i_scope(u.forvaltning, u.avdelning, u.enhet, g.forvaltning, g.avdelning, g.enhet)"""
    )
    cur.execute(
        f"""create table {s}._hela_avdelningar as
        select distinct u.forvaltning, u.avdelning from ({units}) as u, {s}._grans as g
        where len(g.enhet) = 0 and i_lista(u.forvaltning, g.forvaltning) and i_lista(u.avdelning, g.avdelning)"""
    )
    cur.execute(f"create table {s}._avdelningar as select distinct forvaltning, avdelning from {s}._enheter")
    cur.execute(f"create table {s}._forvaltningar as select distinct forvaltning from {s}._enheter")
    cur.execute(
        f"""create table {s}._hela_forvaltningar as
        select distinct f.forvaltning from {s}._forvaltningar as f, {s}._grans as g
        where len(g.avdelning) = 0 and len(g.enhet) = 0 and list_contains(g.forvaltning, f.forvaltning)"""
    )
    for table in _ordered(sorted(present)):
        rule = RULES.get(table)
        if table.endswith("_kalla") or (rule is None and table not in PUBLIC):
            # Deny by default: the raw sources (read only for their column names) and any table
            # without a rule are empty through the permission's schema, never read through main.
            body = f"select * from main.{table} where false"
        elif table in PUBLIC:
            body = f"select * from main.{table}"
        elif rule == "enhet":
            body = (
                f"select t.* from main.{table} as t semi join {s}._enheter as u "
                "on t.forvaltning = u.forvaltning and t.avdelning = u.avdelning and t.enhet = u.enhet"
            )
        elif rule == "personmanad":
            body = (
                f"select t.* from main.{table} as t semi join {s}.anstallningar as a "
                "on t.period = a.period and t.person_id = a.person_id"
            )
        elif rule == "kompetensgap":
            body = (
                f"select t.* from main.{table} as t where (t.enhet is not null and exists ("
                f"select 1 from {s}._enheter as u where u.forvaltning = t.forvaltning "
                "and u.avdelning = t.avdelning and u.enhet = t.enhet)) or (t.enhet is null and exists ("
                f"select 1 from {s}._hela_avdelningar as h where h.forvaltning = t.forvaltning "
                "and h.avdelning = t.avdelning))"
            )
        elif rule == "avdelning":
            body = (
                f"select t.* from main.{table} as t where (t.avdelning is null and t.forvaltning in "
                f"(select forvaltning from {s}._forvaltningar)) or (t.avdelning is not null and exists ("
                f"select 1 from {s}._avdelningar as u where u.forvaltning = t.forvaltning "
                "and u.avdelning = t.avdelning))"
            )
        elif rule == "forvaltning":
            body = (
                f"select t.* from main.{table} as t where t.forvaltning in "
                f"(select forvaltning from {s}._hela_forvaltningar)"
            )
        else:
            raise RuntimeError(f"Tabellen {table} saknar regel för behörighet")
        # anstallningar first: franvaro's view reads it.
        cur.execute(f"create view {s}.{table} as {body}")


def _ordered(tables: list[str]) -> list[str]:
    return sorted(tables, key=lambda t: (t != "anstallningar", t))


def scoped(base: duckdb.DuckDBPyConnection, permission: Permission):
    """The connection to hand the pure modules for this permission (the base one for 'alla')."""
    if permission.alla:
        return base
    schema = f"urval_{permission.key_text()}"
    with _lock:
        cur = base.cursor()
        try:
            exists = cur.execute(
                "select 1 from duckdb_schemas() where schema_name = $s", {"s": schema}
            ).fetchall()
            if not exists:
                cur.execute("begin transaction")
                try:
                    _create_views(cur, schema, permission)
                    cur.execute("commit")
                except Exception:
                    cur.execute("rollback")
                    raise
        finally:
            cur.close()
    return ScopedConnection(base, schema)
