"""The Aktiviteter page under AppTest on the hand-built fixture: the plan, its filters and the
follow-up form writing to the change log (expected values from fixture_data.ACTIVITIES)."""

from __future__ import annotations

import pandas as pd
import pytest
from apptest_helpers import all_text, app_test
from fixture_data import AX, FA

from kfp_metrics import aktivitetslogg
from kfp_metrics.ui import aktivitet_form

PAGE = "pages/aktiviteter.py"
PLAN_COLUMNS = {"Aktivitet", "Mål", "Måldatum", "Status", "Försenad"}


def open_page(monkeypatch, data_dir, state_dir, query=None):
    at = app_test(monkeypatch, data_dir, state_dir, {"period": "2024-09", **(query or {})})
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture()
def at(monkeypatch, fixture_dir, state_dir):
    return open_page(monkeypatch, fixture_dir, state_dir)


def tables(at) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def plan_ids(at) -> list[str]:
    return [i for t in tables(at) if PLAN_COLUMNS <= set(t.columns) for i in t["Id"]]


def history_table(at) -> pd.DataFrame:
    return next(t for t in tables(at) if list(t.columns) == ["Tid", "Av", "Status", "Kommentar"])


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def fill_form(at, aktivitet_id: str, status: str | None = None, kommentar: str | None = None,
              namn: str | None = None):  # fmt: skip
    at.selectbox(key="akt_val").set_value(aktivitet_id).run()
    if status is not None:
        at.selectbox(key="akt_status").set_value(status)
    if kommentar is not None:
        at.text_area(key="akt_kommentar").input(kommentar)
    if namn is not None:
        at.text_input(key="akt_namn").input(namn)
    at.button(key="akt_spara").click().run()
    assert not at.exception, at.exception
    return at


def test_page_shows_the_plan_grouped_by_ubaria(at):
    text = all_text(at)
    assert "Aktiviteter" in text
    for heading in ("Utveckla", "Behålla", "Attrahera", "Rekrytera", "Introducera", "Avsluta"):
        assert f"#### {heading}" in text
    assert plan_ids(at) == ["A1", "A2", "A4", "A3", "A5", "A6"]
    assert metric(at, "Aktiviteter") == "6"
    assert metric(at, "Försenade") == "2"  # A1 and A5 at period 2024-09
    plan = pd.concat([t for t in tables(at) if PLAN_COLUMNS <= set(t.columns)]).set_index("Id")
    assert plan.loc["A1", "Måldatum"] == "30 juni 2024"
    assert plan.loc["A1", "Status"] == "Pågår"
    assert plan.loc["A1", "Försenad"] == "Försenad"
    assert plan.loc["A1", "Nyckeltal"] == "Sjukfrånvaro totalt: 2,6\u00a0%"
    summary = next(t for t in tables(at) if "UBARIA-område" in t.columns).set_index("UBARIA-område")
    assert summary.loc["Totalt", "Försenade"] == 2
    assert summary.loc["Rekrytera", "Andel klara"] == "100\u00a0%"


def test_filters(at):
    at.toggle(key="akt_f_forsenade").set_value(True).run()
    assert plan_ids(at) == ["A1", "A5"]
    at.toggle(key="akt_f_forsenade").set_value(False)
    at.multiselect(key="akt_f_status").set_value(["pagar"]).run()
    assert plan_ids(at) == ["A1", "A6"]
    at.multiselect(key="akt_f_status").set_value([])
    at.multiselect(key="akt_f_avdelning").set_value(["Förvaltningsövergripande"]).run()
    assert plan_ids(at) == ["A1", "A5"]
    assert not at.exception


def test_sidebar_scope_avdelning_x(at):
    at.selectbox(key="f_forvaltning").set_value(FA).run()
    at.multiselect(key="f_avdelning").set_value([AX]).run()
    assert not at.exception
    assert plan_ids(at) == ["A1", "A2", "A4", "A6"]


def test_edit_flow_logs_and_confirms(at, state_dir):
    fill_form(at, "A2", status="pagar", kommentar="Startade i augusti.", namn="Anna Ek")
    changes = aktivitetslogg.history("A2", state_dir)
    assert [(c.status, c.kommentar, c.av) for c in changes] == [("pagar", "Startade i augusti.", "Anna Ek")]
    assert at.success and "Ändringen är sparad" in at.success[0].value
    assert "Anna Ek" in at.success[0].value
    history = history_table(at)
    assert history["Status"].tolist() == ["Ej påbörjad", "Pågår"]
    assert history["Av"].tolist()[-1] == "Anna Ek"
    assert history["Kommentar"].tolist()[-1] == "Startade i augusti."
    # The plan shows the new status; the comment field is cleared for the next change.
    plan = pd.concat([t for t in tables(at) if PLAN_COLUMNS <= set(t.columns)]).set_index("Id")
    assert plan.loc["A2", "Status"] == "Pågår"
    assert plan.loc["A2", "Senaste uppföljning"] == "Startade i augusti."
    assert at.text_area(key="akt_kommentar").value == ""


def test_marking_an_overdue_activity_klar(at, state_dir):
    fill_form(at, "A1", status="klar", namn="Olle")
    assert aktivitetslogg.history("A1", state_dir)[0].status == "klar"
    assert metric(at, "Försenade") == "1"  # only A5 left


def test_missing_name_is_refused_and_nothing_written(at, state_dir):
    fill_form(at, "A2", status="klar", kommentar="Klar nu")
    assert aktivitetslogg.read_changes(state_dir) == []
    assert at.error and "Ditt namn" in at.error[0].value
    assert "Ingenting sparades" in at.error[0].value
    assert not at.success


def test_unchanged_input_is_refused(at, state_dir):
    fill_form(at, "A6", namn="Anna")  # status stays Pågår, no comment
    assert aktivitetslogg.read_changes(state_dir) == []
    assert at.error and "Inget att spara" in at.error[0].value


def test_user_text_is_stored_verbatim_and_shown_escaped(at, state_dir):
    text = 'Han sa "klart"\nrad två 😀 <b>x</b> <script>alert(1)</script> **fet** [länk](javascript:x)'
    fill_form(at, "A2", kommentar=text, namn="<i>Eva</i> 😀")
    change = aktivitetslogg.history("A2", state_dir)[0]
    assert change.kommentar == text
    assert change.av == "<i>Eva</i> 😀"
    assert history_table(at)["Kommentar"].tolist()[-1] == text
    shown = all_text(at)
    assert "<script>" not in shown and "<i>Eva</i>" not in shown and "**fet**" not in shown
    assert "\\<i\\>Eva\\<\\/i\\> 😀" in at.success[0].value


def test_locked_log_asks_to_try_again(at, state_dir, monkeypatch):
    def locked(*args, **kwargs):
        raise aktivitetslogg.LogLockedError("upptagen")

    monkeypatch.setattr(aktivitetslogg, "append_change", locked)
    fill_form(at, "A2", status="klar", namn="Anna")
    assert at.error and "försök igen" in at.error[0].value.lower()
    assert aktivitetslogg.read_changes(state_dir) == []
    assert not at.success


def test_logged_in_user_needs_no_name(at, state_dir, monkeypatch):
    monkeypatch.setattr(aktivitet_form, "logged_in_name", lambda: "Inloggad Användare")
    at.run()
    assert not [w for w in at.text_input if w.key == "akt_namn"]
    fill_form(at, "A2", status="pagar")
    assert aktivitetslogg.history("A2", state_dir)[0].av == "Inloggad Användare"


def test_linked_metric_of_a1(at):
    at.selectbox(key="akt_val").set_value("A1").run()
    assert not at.exception
    assert metric(at, "Värdet nu – september 2024") == "2,6\u00a0%"
    assert metric(at, "Värdet då – augusti 2024") == "2,6\u00a0%"
    assert metric(at, "Mål 2024") == "6,0\u00a0%"
    assert "Nyckeltal: Sjukfrånvaro totalt" in all_text(at)


def test_correction_is_a_new_change(at, state_dir):
    fill_form(at, "A2", status="klar", namn="Anna")
    fill_form(at, "A2", status="ej_paborjad", kommentar="Fel aktivitet markerades.", namn="Anna")
    assert [c.status for c in aktivitetslogg.history("A2", state_dir)] == ["klar", "ej_paborjad"]
    assert history_table(at)["Status"].tolist() == ["Ej påbörjad", "Klar", "Ej påbörjad"]
    assert "rättar du den med en ny ändring" in all_text(at)


def test_without_aktiviteter_table(monkeypatch, tmp_path, fixture_dir, state_dir):
    import shutil

    data = tmp_path / "utan"
    data.mkdir()
    for path in fixture_dir.glob("*.parquet"):
        if path.stem != "aktiviteter":
            shutil.copy(path, data / path.name)
    at = open_page(monkeypatch, data, state_dir)
    assert "ingen tabell aktiviteter" in all_text(at)
