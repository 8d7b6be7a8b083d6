"""Importing an activity plan on the Aktiviteter page, under AppTest on a copy of the hand-built
fixture: the file is uploaded, previewed and saved as the extracts' aktiviteter table; what is
refused (another förvaltning, a malformed file, a personnummer) writes nothing.

The fixture's plan (fixture_data.ACTIVITIES): A1–A4 and A6 in Förvaltning A, A5 in Förvaltning B.
"""

from __future__ import annotations

import re

import fixture_data
import pyarrow.parquet as pq
import pytest
from apptest_helpers import all_text, app_test, everything_shown, logged_in_app
from fixture_data import AX, FA, FB
from streamlit.components.v2.component_manager import BidiComponentManager

from kfp_metrics import aktivitetslogg

PAGE = "pages/aktiviteter.py"

# Two activities for Förvaltning A, one of them for Avdelning X.
PLAN_A = (
    "Id;UBARIA;Mål;Aktivitet;Måldatum;Ansvarig;Förvaltning;Avdelning\n"
    f"K-1;Utveckla;Nära ledarskap;Chefsforum fyra gånger per år;2026-06-30;HR-chef;{FA};{AX}\n"
    f"K-2;Behålla;Lägre sjukfrånvaro;Tidiga samtal;2026-09-30;HR;{FA};\n"
)

# Access: HR for everything; a förvaltningschef who may change all of Förvaltning A's plan.
ACCESS = f"""
kontakt = "HR-avdelningen, hr@kommun.se"

[[roll]]
namn = "KFP.HR"
urval = "alla"
andra_aktiviteter = true

[[anvandare]]
id = "chef.a@kommun.se"
forvaltning = ["{FA}"]
andra_aktiviteter = true
"""
CHEF_A = {"email": "chef.a@kommun.se", "oid": "55555555-eeee", "name": "Agnes Chef", "sub": "s-a"}


@pytest.fixture(autouse=True)
def no_component_scan(monkeypatch):
    monkeypatch.setattr(BidiComponentManager, "discover_and_register_components", lambda self, **kw: None)


@pytest.fixture()
def data_dir(tmp_path):
    """A copy of the fixture of this test's own: saving a plan rewrites aktiviteter.parquet."""
    return fixture_data.write(tmp_path / "extrakt")


def open_page(at):
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def upload(at, content: bytes, name: str = "plan.csv"):
    at.file_uploader(key="plan_fil").upload(name, content, "text/csv").run()
    assert not at.exception, at.exception
    return at


def plain(markdown: str) -> str:
    """Shown text without the page's Markdown escapes and bold marks."""
    return re.sub(r"\\(.)", r"\1", re.sub(r"(?<!\\)\*\*", "", markdown))


def errors(at) -> list[str]:
    return [plain(e.value) for e in at.error]


def stored_ids(data_dir) -> list[str]:
    return sorted(pq.read_table(data_dir / "aktiviteter.parquet")["aktivitet_id"].to_pylist())


def test_a_plan_is_previewed_saved_and_shown(monkeypatch, data_dir, state_dir):
    at = open_page(app_test(monkeypatch, data_dir, state_dir, {"period": "2024-09"}))
    upload(at, PLAN_A.encode("utf-8"))
    assert "Förhandsvisning: 2 aktiviteter i plan.csv." in plain(all_text(at))
    preview = next(d.value for d in at.dataframe if {"Förvaltning", "UBARIA"} <= set(d.value.columns))
    assert list(preview["Id"]) == ["K-1", "K-2"]
    assert list(preview["Avdelning"]) == [AX, "Förvaltningsövergripande"]
    # Local mode holds every grant: Förvaltning A's plan is replaced, Förvaltning B's one activity kept.
    mode = at.radio(key="plan_lage")
    assert mode.value == "forvaltningar"
    assert mode.format_func(mode.value) == f"Ersätt planen för {FA} (behåll 1 andra aktiviteter)"
    assert stored_ids(data_dir) == ["A1", "A2", "A3", "A4", "A5", "A6"]  # nothing written before confirming

    at.button(key="plan_spara").click().run()
    assert not at.exception, at.exception
    assert stored_ids(data_dir) == ["A5", "K-1", "K-2"]
    assert "Aktivitetsplanen är sparad: 3 aktiviteter i extraktens aktiviteter.parquet." in plain(
        all_text(at)
    )
    # The page reads the new table at once: the plan lists the new activities, not the old ones.
    shown = everything_shown(at)
    assert "Chefsforum fyra gånger per år" in shown and "Tidiga samtal" in shown
    assert "A1" not in {str(v) for d in at.dataframe if "Id" in d.value.columns for v in d.value["Id"]}


def test_a_file_reaching_outside_the_grant_is_refused_and_nothing_written(monkeypatch, data_dir, state_dir):
    before = (data_dir / "aktiviteter.parquet").read_bytes()
    at = open_page(logged_in_app(monkeypatch, data_dir, state_dir, CHEF_A, ACCESS, {"period": "2024-09"}))
    plan = PLAN_A + f"K-3;Rekrytera;Fler sökande;Annonsera brett;2026-03-31;HR;{FB};\n"
    upload(at, plan.encode("utf-8"))
    assert any(
        f"Filen har aktiviteter för {FB}, där du inte har behörighet att ändra planen. Ingenting sparades"
        in e
        for e in errors(at)
    ), errors(at)
    assert not [b for b in at.button if b.key == "plan_spara"]
    assert (data_dir / "aktiviteter.parquet").read_bytes() == before


def test_a_narrow_grant_saves_its_forvaltning_without_learning_of_the_others(
    monkeypatch, data_dir, state_dir
):
    at = open_page(logged_in_app(monkeypatch, data_dir, state_dir, CHEF_A, ACCESS, {"period": "2024-09"}))
    upload(at, PLAN_A.encode("utf-8"))
    mode = at.radio(key="plan_lage")
    # Only "replace Förvaltning A's plan": not the whole table, and no count of activities elsewhere.
    assert mode.options == [f"Ersätt planen för {FA}"]
    assert mode.format_func(mode.value) == f"Ersätt planen för {FA}"
    shown = everything_shown(at)
    assert FB not in shown and "A5" not in shown
    at.button(key="plan_spara").click().run()
    assert not at.exception, at.exception
    assert stored_ids(data_dir) == ["A5", "K-1", "K-2"]  # Förvaltning B's activity is kept as it was
    assert FB not in everything_shown(at)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            f"Mål;Aktivitet;Måldatum;Ansvarig;Förvaltning\nUtveckla\nBättre chefer;Chefsforum;vecka 12;HR;{FA}\n",
            "utkast.csv kunde inte importeras: rad 3, kolumn Måldatum: kan inte tolka datumet "
            "(okänt datum 'vecka 12').",
        ),
        (
            "Mål;Måldatum;Ansvarig\nUtveckla\nBättre chefer;2026;HR\n",
            "utkast.csv: hittade ingen rubrikrad med kolumnerna Mål, Aktivitet, Måldatum och Ansvarig.",
        ),
    ],
)
def test_a_malformed_file_is_named_in_the_message_and_nothing_written(
    monkeypatch, data_dir, state_dir, content, message
):
    before = (data_dir / "aktiviteter.parquet").read_bytes()
    at = open_page(app_test(monkeypatch, data_dir, state_dir, {"period": "2024-09"}))
    upload(at, content.encode("utf-8"), name="utkast.csv")
    assert errors(at) == [message]
    assert not [b for b in at.button if b.key == "plan_spara"]
    assert (data_dir / "aktiviteter.parquet").read_bytes() == before


def test_a_personnummer_in_the_file_is_refused_masked_and_nothing_written(monkeypatch, data_dir, state_dir):
    before = (data_dir / "aktiviteter.parquet").read_bytes()
    at = open_page(app_test(monkeypatch, data_dir, state_dir, {"period": "2024-09"}))
    # 121212-1212 has a valid check digit (tests/test_personnummer.py).
    plan = PLAN_A.replace("HR-chef", "HR-chef 121212-1212")
    upload(at, plan.encode("utf-8"))
    (error,) = errors(at)
    assert error == (
        "plan.csv kunde inte importeras: rad 2, kolumn Ansvarig: ser ut att innehålla ett personnummer "
        "(1212*******), som inte får stå i planen."
    )
    shown = everything_shown(at)
    assert "121212-1212" not in shown and "1212121212" not in shown
    assert not [b for b in at.button if b.key == "plan_spara"]
    assert (data_dir / "aktiviteter.parquet").read_bytes() == before


def test_a_follow_up_with_a_personnummer_is_refused_and_the_text_kept(monkeypatch, data_dir, state_dir):
    at = open_page(app_test(monkeypatch, data_dir, state_dir, {"period": "2024-09"}))
    at.selectbox(key="akt_val").set_value("A2").run()
    at.selectbox(key="akt_status").set_value("pagar")
    comment = "Samtal med 121212-1212 om schemat."
    at.text_area(key="akt_kommentar").input(comment)
    at.text_input(key="akt_namn").input("Anna Berg")
    at.button(key="akt_spara").click().run()
    assert not at.exception, at.exception
    assert any("Kommentaren ser ut att innehålla ett personnummer (1212*******)" in e for e in errors(at)), (
        errors(at)
    )
    assert all("Ingenting sparades." in e for e in errors(at))
    assert aktivitetslogg.history("A2") == []
    # What was typed is still in the form, to be mended and saved again.
    assert at.text_area(key="akt_kommentar").value == comment
