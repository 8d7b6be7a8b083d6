"""The pages with the state store on PostgreSQL, and with a store that fails: the Aktiviteter page
saves through PostgreSQL with the logged-in person's id; an unreachable store is a Swedish error on
the page (no traceback); a read-only store refuses the save in Swedish and reports nothing saved."""

from __future__ import annotations

import socket

from apptest_helpers import app_test, logged_in_app
from test_aktiviteter_page import PAGE, fill_form, history_table

from kfp_metrics import tillstand

HR_FILE = '[[roll]]\nnamn = "KFP.HR"\nurval = "alla"\nandra_aktiviteter = true\n'
ANNA = {"name": "Anna Andersson", "email": "anna.andersson@kommun.se", "oid": "oid-anna", "roles": ["KFP.HR"]}


def _open(monkeypatch, fixture_dir, state, page=PAGE):
    at = app_test(monkeypatch, fixture_dir, state, {"period": "2024-09"})
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def test_saving_on_postgresql_with_the_logged_in_person(pg_miljo, monkeypatch, fixture_dir):
    at = logged_in_app(monkeypatch, fixture_dir, pg_miljo.state, ANNA, HR_FILE, {"period": "2024-09"})
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    fill_form(at, "A2", status="pagar", kommentar="Via PostgreSQL")
    assert at.success and "Ändringen är sparad" in at.success[0].value
    (change,) = tillstand.oppna().andringar("A2")
    assert (change.av, change.av_id, change.kalla, change.kommentar) == (
        "Anna Andersson", "oid-anna", "app", "Via PostgreSQL",
    )  # fmt: skip
    # A change made by another server (here: directly in the store) shows on the next run,
    # because the cache token is the store's highest change number.
    tillstand.oppna().append_change("A2", "klar", "Från en annan server", "Bo")
    at.run()
    assert history_table(at)["Kommentar"].tolist()[-2:] == ["Via PostgreSQL", "Från en annan server"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_store_is_a_swedish_error_on_the_page(monkeypatch, fixture_dir, tmp_path):
    monkeypatch.setenv("KFP_STATE_URL", f"postgresql://kfp@127.0.0.1:{_closed_port()}/x")
    at = _open(monkeypatch, fixture_dir, tmp_path)
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert any("Tillståndsdatabasen" in e and "går inte att nå" in e for e in errors), errors
    assert not at.success
    tillstand.glom()


def test_unreachable_store_on_the_overview_is_a_swedish_error(monkeypatch, fixture_dir, tmp_path):
    monkeypatch.setenv("KFP_STATE_URL", f"postgresql://kfp@127.0.0.1:{_closed_port()}/x")
    at = _open(monkeypatch, fixture_dir, tmp_path, page=None)
    assert not at.exception, at.exception
    assert any("går inte att nå" in e.value for e in at.error), [e.value for e in at.error]
    tillstand.glom()


def test_read_only_store_refuses_the_save_on_the_page(pg_miljo, pg_server, monkeypatch, fixture_dir):
    tillstand.oppna()  # migrated while writable
    tillstand.glom()
    database = pg_miljo.url.rsplit("/", 1)[1]
    pg_server.sql(
        pg_server.url("postgres"), f'alter database "{database}" set default_transaction_read_only = on'
    )
    try:
        at = _open(monkeypatch, fixture_dir, pg_miljo.state)
        assert not at.exception, at.exception
        fill_form(at, "A2", status="pagar", kommentar="Sparas inte", namn="Anna")
        assert not at.success
        errors = [e.value for e in at.error]
        assert any("skrivskyddad" in e and "ingenting sparades" in e for e in errors), errors
    finally:
        pg_server.sql(
            pg_server.url("postgres"), f'alter database "{database}" reset default_transaction_read_only'
        )
    assert tillstand.oppna().andringar() == []
