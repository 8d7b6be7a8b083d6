"""Reviewing the nulägesanalys on the Nämndrapport page: stored per period and scope with who
and when, every version kept, in the report, resettable, marked when the extracts changed."""

from __future__ import annotations

import pytest
from apptest_helpers import app_test, everything_shown, logged_in_app, open_tab
from fixture_data import AX, AY, FA

from kfp_metrics import tillstand
from kfp_metrics.rapport import pdf as rapport_pdf

PAGE = "pages/namndrapport.py"
ACCESS = f"""
[[roll]]
namn = "KFP.HR"
urval = "alla"
andra_aktiviteter = true

[[anvandare]]
id = "chef.y@kommun.se"
forvaltning = ["{FA}"]
avdelning = ["{AY}"]

[[anvandare]]
id = "chef.x@kommun.se"
forvaltning = ["{FA}"]
avdelning = ["{AX}"]
"""
HR = {"email": "hr@kommun.se", "oid": "oid-hr", "name": "Greta Granskare", "roles": ["KFP.HR"]}
CHEF_Y = {"email": "chef.y@kommun.se", "oid": "oid-y", "name": "Yvonne Chef"}
CHEF_X = {"email": "chef.x@kommun.se", "oid": "oid-x", "name": "Xerxes Chef"}


@pytest.fixture(autouse=True)
def no_browser(monkeypatch):
    monkeypatch.setattr(rapport_pdf, "browser_available", lambda: False)


def open_page(at):
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def area(at, topic: str):
    (box,) = [t for t in at.text_area if t.key.startswith(f"granskning_{topic}_")]
    return box


def report_html(at) -> str:
    """The preview's HTML: the preview tab opened, read, and the draft's tab opened again."""
    open_tab(at, "rapport_flik", "Förhandsgranskning")
    assert not at.exception, at.exception
    html = str(at.get("iframe")[0].proto)
    open_tab(at, "rapport_flik", "Nulägesanalys (text)")
    return html


def test_edit_save_reset_with_history(monkeypatch, fixture_dir, state_dir):
    at = open_page(logged_in_app(monkeypatch, fixture_dir, state_dir, HR, ACCESS, {"period": "2024-09"}))
    assert "Utkast, inte granskat." in [c.value for c in at.caption]
    area(at, "personal").input("Personalen är stabil.\n\nEn andra mening i ett eget stycke.")
    at.button(key="granskning_spara_personal").click().run()
    assert not at.exception, at.exception
    assert "Den granskade texten är sparad." in [s.value for s in at.success]
    row = tillstand.aktuell_text("2024-09", {"forvaltning": [], "avdelning": [], "enhet": []}, "personal")
    assert row["text"].startswith("Personalen är stabil.")
    assert (row["av"], row["av_id"]) == ("Greta Granskare", "oid-hr")
    html = report_html(at)
    assert "Personalen är stabil." in html and "En andra mening i ett eget stycke." in html
    assert "Granskad av Greta Granskare" in html
    # reset to the draft: a new version, the old one kept
    at.button(key="granskning_aterstall_personal").click().run()
    assert tillstand.aktuell_text("2024-09", {}, "personal") is None
    history = tillstand.texthistorik("2024-09", {}, "personal")
    assert [h["text"] is None for h in history] == [False, True]
    assert "Personalen är stabil." not in report_html(at)
    # another period has its own text
    assert tillstand.aktuell_text("2024-08", {}, "personal") is None


def test_text_for_older_extracts_is_marked(monkeypatch, fixture_dir, state_dir):
    tillstand.spara_text("2024-09", {}, "sjukfranvaro", "Skriven för gamla extrakt.", "Bo", None, "0000aaaa")
    at = open_page(logged_in_app(monkeypatch, fixture_dir, state_dir, HR, ACCESS, {"period": "2024-09"}))
    warnings = [w.value for w in at.warning]
    assert any("fingeravtrycket 0000aaaa" in w for w in warnings), warnings


def test_reviewed_text_follows_the_scope_not_the_person(monkeypatch, fixture_dir, state_dir):
    # HR reviews the whole organisation's text and Avdelning Y's
    tillstand.spara_text("2024-09", {}, "personal", "Hela kommunen: hemlig summa.", "Greta", "oid-hr", "x")
    tillstand.spara_text(
        "2024-09",
        {"forvaltning": [FA], "avdelning": [AY]},
        "personal",
        "Avdelning Y: granskad.",
        "Greta",
        None,
        "x",
    )
    chef_y = open_page(
        logged_in_app(monkeypatch, fixture_dir, state_dir, CHEF_Y, ACCESS, {"period": "2024-09"})
    )
    shown = everything_shown(chef_y)
    assert "Avdelning Y: granskad." in shown
    assert "Hela kommunen" not in shown
    # Without andra_aktiviteter the text is shown, not editable
    assert not [t for t in chef_y.text_area if t.key.startswith("granskning_")]
    chef_x = open_page(
        logged_in_app(monkeypatch, fixture_dir, state_dir, CHEF_X, ACCESS, {"period": "2024-09"})
    )
    shown = everything_shown(chef_x)
    assert "Avdelning Y: granskad." not in shown and "Hela kommunen" not in shown


def test_local_mode_asks_for_a_name(monkeypatch, fixture_dir, state_dir):
    at = open_page(app_test(monkeypatch, fixture_dir, state_dir, {"period": "2024-09"}))
    area(at, "personal").input("Lokal text.")
    at.button(key="granskning_spara_personal").click().run()
    assert any("Fyll i Ditt namn" in e.value for e in at.error)
    assert tillstand.aktuell_text("2024-09", {}, "personal") is None
    at.text_input(key="granskning_namn").input("Lena Lokal")
    area(at, "personal").input("Lokal text.")
    at.button(key="granskning_spara_personal").click().run()
    assert tillstand.aktuell_text("2024-09", {}, "personal")["av"] == "Lena Lokal"


def test_a_personnummer_in_the_reviewed_text_is_refused_and_kept_in_the_box(
    monkeypatch, fixture_dir, state_dir
):
    at = open_page(logged_in_app(monkeypatch, fixture_dir, state_dir, HR, ACCESS, {"period": "2024-09"}))
    # 121212-1212 has a valid check digit (tests/test_personnummer.py).
    text = "Personalen är stabil. En avgång (121212-1212) i september."
    area(at, "personal").input(text)
    at.button(key="granskning_spara_personal").click().run()
    assert not at.exception, at.exception
    # Shown as Markdown, escaped: the stars are stars on screen, not emphasis.
    refused = [e.value.replace("\\", "") for e in at.error if "personnummer" in e.value]
    assert refused == [
        "Texten ser ut att innehålla ett personnummer (1212*******). Den skrivs ut i rapporten till nämnden; "
        "ta bort numret och spara igen. Ingenting sparades."
    ]
    assert tillstand.texthistorik("2024-09", {}, "personal") == []
    assert area(at, "personal").value == text  # still there, to be mended
    assert "121212-1212" not in report_html(at)
