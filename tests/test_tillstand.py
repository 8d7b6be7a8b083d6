"""The state store's interface on both backends (SQLite and a real PostgreSQL): rows as written,
refusals that store nothing, append-only enforced by the database, the access log, reviewed text."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from kfp_metrics import tillstand
from kfp_metrics.tillstand import TillstandFel, lager

STHLM = lager.SVENSK_TID


def test_change_row_has_every_field(miljo):
    store = miljo.lager()
    when = dt.datetime(2025, 3, 30, 0, 59, 59, 123456, tzinfo=dt.UTC)
    change = store.append_change(
        "A-1", "pagar", "Start\r\nrad två", " Anna ", av_id="anna@k.se", kalla="cli", tid=when
    )
    assert change.as_dict() == {
        "aktivitet_id": "A-1", "status": "pagar", "kommentar": "Start\r\nrad två", "av": "Anna",
        "tid": "2025-03-30T00:59:59.123456+00:00", "seq": 1, "av_id": "anna@k.se", "kalla": "cli",
    }  # fmt: skip
    assert store.andringar() == [change]
    # 00:59 UTC on the day summer time starts is 01:59 in Stockholm (CET, +01:00), and one hour
    # later is 03:59 (CEST, +02:00): shown in Swedish local time.
    assert tillstand.svensk_tid(change.tid).isoformat() == "2025-03-30T01:59:59.123456+01:00"
    later = store.append_change("A-1", "klar", None, "Bo", tid=when + dt.timedelta(hours=1))
    assert tillstand.svensk_tid(later.tid).strftime("%H:%M %z") == "03:59 +0200"
    assert (later.seq, later.av_id, later.kalla) == (2, None, "app")


def test_history_per_activity_and_version(miljo):
    store = miljo.lager()
    assert store.andringsversion() == 0
    store.append_change("A-1", "pagar", None, "Anna")
    store.append_change("A-2", "klar", "Klart", "Bo")
    store.append_change("A-1", "klar", None, "Anna")
    assert [c.seq for c in store.andringar("A-1")] == [1, 3]
    assert [c.seq for c in store.andringar("A-2")] == [2]
    assert store.andringar("A-9") == []
    assert store.andringsversion() == 3


@pytest.mark.parametrize(
    ("args", "kwargs", "fragment"),
    [
        (("A-1", "färdig", None, "Anna"), {}, "Okänd status"),
        (("", "klar", None, "Anna"), {}, "id saknas"),
        (("A" * 201, "klar", None, "Anna"), {}, "för långt"),
        (("A-1", "klar", "x" * 5001, "Anna"), {}, "för lång"),
        (("A-1", "klar", None, "  "), {}, "namn saknas"),
        (("A-1", "klar", "\ud800", "Anna"), {}, "ogiltiga tecken"),
        (("A-1", "klar", None, "Anna"), {"kalla": "okänd"}, "Okänd källa"),
        (("A-1", "klar", None, "Anna"), {"av_id": "x" * 400}, "för lång"),
        # 121212-1212: a valid check digit (1·2, 2·1, … over 121212121 sums to 18, so 2)
        (("A-1", "klar", "Samtal med 121212-1212 klart", "Anna"), {}, r"personnummer \(1212\*{7}\)"),
        (("A-1", "klar", None, "Anna 121212-1212"), {}, "Namnet ser ut att innehålla ett personnummer"),
    ],
)
def test_invalid_change_is_refused_and_nothing_stored(miljo, args, kwargs, fragment):
    store = miljo.lager()
    store.append_change("A-1", "pagar", None, "Anna")
    with pytest.raises(ValueError, match=fragment):
        store.append_change(*args, **kwargs)
    assert [c.seq for c in store.andringar()] == [1]
    assert store.append_change("A-1", "klar", None, "Anna").seq == 2  # no number was used up


def _raw_sql(miljo, statement: str):
    if miljo.backend == "postgres":
        import psycopg

        with psycopg.connect(miljo.url, autocommit=True) as conn:
            conn.execute(statement)
    else:
        con = sqlite3.connect(miljo.state / "tillstand.sqlite3")
        try:
            con.execute(statement)
            con.commit()
        finally:
            con.close()


@pytest.mark.parametrize(
    "statement",
    [
        "update andringar set status = 'klar' where seq = 1",
        "delete from andringar where seq = 1",
        "update atkomstlogg set sida = 'x'",
        "delete from atkomstlogg",
        "update rapporttexter set text = 'x'",
        "delete from rapporttexter",
    ],
)
def test_history_is_append_only_in_the_database(miljo, statement):
    store = miljo.lager()
    store.append_change("A-1", "pagar", "orörd", "Anna")
    store.logga_atkomst("anna@k.se", "Översikt", {})
    store.spara_text("2024-09", {}, "sammanfattning", "Text", "Anna", None, "fp")
    before = store.dump()
    errors = (sqlite3.DatabaseError,)
    if miljo.backend == "postgres":
        import psycopg

        errors = (psycopg.Error,)
    with pytest.raises(errors, match="får bara fyllas på"):
        _raw_sql(miljo, statement)
    assert store.dump() == before


@pytest.mark.parametrize("table", ["andringar", "atkomstlogg", "rapporttexter"])
def test_truncate_is_refused_by_postgresql(pg_miljo, table):
    import psycopg

    store = pg_miljo.lager()
    store.append_change("A-1", "pagar", None, "Anna")
    with pytest.raises(psycopg.Error, match="får bara fyllas på"):
        _raw_sql(pg_miljo, f"truncate {table}")
    assert len(store.andringar()) == 1


def test_reopening_runs_no_migration_twice(miljo):
    store = miljo.lager()
    store.append_change("A-1", "pagar", None, "Anna")
    assert store.schemaversion() == 1
    tillstand.glom()
    again = miljo.lager()
    assert again is not store
    assert again.schemaversion() == 1
    assert [c.seq for c in again.andringar()] == [1]


def test_a_newer_schema_is_refused_in_swedish(miljo):
    miljo.lager()
    _raw_sql(miljo, "insert into schemaversion (version, namn, tid) values (99, 'framtid', 'x')")
    tillstand.glom()
    with pytest.raises(TillstandFel, match="schemaversion 99, nyare än"):
        miljo.lager()


def test_module_functions_use_the_environment(miljo):
    # miljo has set KFP_STATE_DIR (and KFP_STATE_URL for PostgreSQL) for this process.
    change = tillstand.append_change("A-1", "klar", None, "Anna", kalla="cli")
    assert tillstand.andringar() == [change]
    assert tillstand.andringsversion() == 1
    assert tillstand.oppna().namn == {"sqlite": "SQLite", "postgres": "PostgreSQL"}[miljo.backend]


# --- the access log --------------------------------------------------------------------------------


def test_access_log_rows(miljo):
    store = miljo.lager()
    t1 = dt.datetime(2025, 1, 31, 22, 30, tzinfo=dt.UTC)  # 23:30 on 31 January in Stockholm
    t2 = dt.datetime(2025, 1, 31, 23, 30, tzinfo=dt.UTC)  # 00:30 on 1 February in Stockholm
    first = tillstand.logga_atkomst("anna@k.se", "Översikt", {"forvaltning": ["Soc", "Barn"]}, None, t1)
    second = tillstand.logga_atkomst(
        "bo@k.se", "Nämndrapport", {"avdelning": ["Vuxna"]}, nedladdning="namndrapport.pdf", tid=t2
    )
    assert first == {
        "seq": 1, "tid": "2025-01-31T22:30:00.000000+00:00", "person_id": "anna@k.se", "sida": "Översikt",
        "urval": {"avdelning": [], "enhet": [], "forvaltning": ["Barn", "Soc"]}, "nedladdning": None,
    }  # fmt: skip
    assert second["seq"] == 2 and second["nedladdning"] == "namndrapport.pdf"
    assert tillstand.atkomstlogg() == [first, second]
    assert tillstand.atkomstlogg(dt.date(2025, 2, 1)) == [second]  # from Swedish midnight
    assert tillstand.atkomstlogg(dt.date(2025, 1, 31)) == [first, second]
    assert tillstand.atkomstlogg(dt.date(2025, 2, 2)) == []
    assert store.andringsversion() == 0  # a separate sequence from the changes


@pytest.mark.parametrize(
    ("urval", "fragment"),
    [
        ({"forvaltning": ["Soc"], "antal": [12]}, "okända fält"),  # no figures can ride along
        ({"forvaltning": "Soc"}, "lista"),
        ({"forvaltning": [3.5]}, "lista"),
        ("Soc", "förvaltning, avdelning och enhet"),
    ],
)
def test_access_log_takes_only_a_scope(miljo, urval, fragment):
    store = miljo.lager()
    with pytest.raises(ValueError, match=fragment):
        store.logga_atkomst("anna@k.se", "Översikt", urval)
    with pytest.raises(ValueError, match="Sidan saknas"):
        store.logga_atkomst("anna@k.se", " ", {})
    assert store.atkomstlogg() == []


# --- reviewed report text --------------------------------------------------------------------------


def test_reviewed_text_versions_and_reset(miljo):
    store = miljo.lager()
    scope = {"forvaltning": ["Soc"], "avdelning": ["Vuxna", "Barn"]}
    same_scope = {"avdelning": ["Barn", "Vuxna"], "forvaltning": ["Soc"], "enhet": []}
    assert tillstand.aktuell_text("2024-09", scope, "sammanfattning") is None
    v1 = tillstand.spara_text(
        "2024-09", scope, "sammanfattning", "Första\nversionen", "Anna", "anna@k.se", "fp1"
    )
    assert tillstand.aktuell_text("2024-09", same_scope, "sammanfattning") == v1
    assert v1["text"] == "Första\nversionen" and v1["av_id"] == "anna@k.se" and v1["fingeravtryck"] == "fp1"
    v2 = tillstand.spara_text("2024-09", same_scope, "sammanfattning", "Andra", "Bo", None, "fp2")
    # Other periods, sections and scopes are separate texts.
    tillstand.spara_text("2024-10", scope, "sammanfattning", "Oktober", "Bo", None, "fp2")
    tillstand.spara_text("2024-09", scope, "sjukfranvaro", "Sjuk", "Bo", None, "fp2")
    tillstand.spara_text("2024-09", {"forvaltning": ["Soc"]}, "sammanfattning", "Hela", "Bo", None, "fp2")
    assert tillstand.aktuell_text("2024-09", scope, "sammanfattning")["text"] == "Andra"
    reset = tillstand.spara_text("2024-09", scope, "sammanfattning", None, "Anna", None, "fp3")
    assert tillstand.aktuell_text("2024-09", scope, "sammanfattning") is None
    history = tillstand.texthistorik("2024-09", scope, "sammanfattning")
    assert [(h["seq"], h["text"], h["av"]) for h in history] == [
        (v1["seq"], "Första\nversionen", "Anna"), (v2["seq"], "Andra", "Bo"), (reset["seq"], None, "Anna"),
    ]  # fmt: skip
    assert [h["seq"] for h in history] == [1, 2, 6]
    assert store.aktuell_text("2024-09", {"forvaltning": ["Soc"]}, "sammanfattning")["text"] == "Hela"


def test_canonical_scope_key():
    assert tillstand.urval_nyckel({"avdelning": ["B", "A", "B"]}) == (
        '{"avdelning":["A","B"],"enhet":[],"forvaltning":[]}'
    )

    class Scope:
        forvaltning = ("Soc",)
        avdelning = ()
        enhet = ("Ö", "Å")

    assert tillstand.urval_nyckel(Scope()) == '{"avdelning":[],"enhet":["Å","Ö"],"forvaltning":["Soc"]}'


def test_postgresql_sessions_ended_by_the_server_are_replaced(pg_miljo, pg_server):
    store = pg_miljo.lager()
    store.append_change("A-1", "pagar", None, "Anna")
    assert store._pool, "the connection went back to the pool"
    # The server ends every session of this database (as a restart or a failover would).
    database = pg_miljo.url.rsplit("/", 1)[1]
    pg_server.sql(
        pg_server.url("postgres"),
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = %s",
        (database,),
    )
    import time

    time.sleep(0.2)
    assert store.andringsversion() == 1  # no error: the dead pooled connection was not reused
    assert store.append_change("A-1", "klar", None, "Anna").seq == 2


def test_reviewed_text_with_a_personnummer_is_refused_and_nothing_stored(miljo):
    store = miljo.lager()
    scope = {"forvaltning": ["Soc"]}
    tillstand.spara_text("2024-09", scope, "sammanfattning", "Första", "Anna", None, "fp1")
    # 811218-9876: check digit 6 (8·2 → 7, 1, 1·2, 2, 1·2, 8, 9·2 → 9, 8, 7·2 → 5; sum 44)
    with pytest.raises(ValueError, match=r"Texten ser ut att innehålla ett personnummer \(8112\*{7}\)"):
        tillstand.spara_text("2024-09", scope, "sammanfattning", "Avgång: 811218-9876.", "Bo", None, "fp1")
    assert [h["text"] for h in store.texthistorik("2024-09", scope, "sammanfattning")] == ["Första"]
