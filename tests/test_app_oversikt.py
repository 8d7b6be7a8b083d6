"""Översikt under AppTest on the hand-built fixture: cards, filters and URL parameters."""

from __future__ import annotations

import pytest
from apptest_helpers import all_text, app_test

FA = "Förvaltning A"
AX, AY = "Avdelning X", "Avdelning Y"


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


@pytest.fixture()
def at(monkeypatch, fixture_dir, state_dir):
    return app_test(monkeypatch, fixture_dir, state_dir, {"period": "2024-09"})


def test_oversikt_shows_headline_figures(at):
    at.run()
    assert not at.exception
    text = all_text(at)
    assert "Översikt" in text
    # 16 tillsvidare, 20 a year before: -4 (-20,0 %).
    assert "### 16" in text
    assert "-4 (-20,0\u00a0%) mot september 2023" in text
    # Sjukfrånvaro 100*569/25240 = 2,25… % → "2,3 %".
    assert "2,3\u00a0%" in text
    # Personalomsättning 100*4/(209/12) = 22,97 → "23,0 %".
    assert "23,0\u00a0%" in text
    assert "september 2024" in text
    # September is not a tertial's end: the card leads with tertial 2 (maj–augusti), 2024 i9 against
    # 2023 i2 and i3; the running tertial 3 so far (i6) against September 2023 (none) in the note.
    assert "Incidenter tertial 2 2024" in text
    assert "-1 mot tertial 2 2023" in text
    assert "Hittills i tertial 3 (september): 1, mot 0 samma månad 2023." in text


def test_filter_by_avdelning_changes_figures_and_url(at):
    at.run()
    at.selectbox(key="f_forvaltning").set_value(FA).run()
    at.multiselect(key="f_avdelning").set_value([AX]).run()
    assert not at.exception
    text = all_text(at)
    assert "### 10" in text  # tillsvidare in Avdelning X
    # Avdelning X's own target (7,5 %) overrides the förvaltning's 6,0 %.
    assert "Mål: 7,5\u00a0%" in text
    assert _as_list(at.query_params["avdelning"]) == [AX]
    assert _as_list(at.query_params["forvaltning"]) == [FA]


def test_url_parameters_restore_a_view(monkeypatch, fixture_dir, state_dir):
    at = app_test(
        monkeypatch, fixture_dir, state_dir, {"period": "2024-09", "forvaltning": FA, "avdelning": AY}
    )
    at.run()
    assert not at.exception
    assert at.multiselect(key="f_avdelning").value == [AY]
    text = all_text(at)
    assert "Avdelning Y" in text
    # Y has 4 persons with hours: sjukfrånvaro withheld.
    assert "### .." in text


@pytest.mark.parametrize(
    "query",
    [
        {"period": "2099-13"},
        {"period": "'; drop table anstallningar; --"},
        {"forvaltning": "<script>alert(1)</script>"},
        {"avdelning": ["Avdelning X", "Finns inte"], "forvaltning": FA},
        {"enhet": "x" * 5000},
    ],
    ids=["period", "sql", "html", "avdelning", "lang"],
)
def test_hostile_url_values_are_ignored_with_a_notice(monkeypatch, fixture_dir, state_dir, query):
    at = app_test(monkeypatch, fixture_dir, state_dir, query)
    at.run()
    assert not at.exception
    assert at.warning, "a notice about the ignored value"
    assert "<script>" not in all_text(at)
    # Nothing outside the asked scope: the view falls back to valid selections only.
    assert set(at.multiselect(key="f_avdelning").value) <= {AX}


def test_invalid_extracts_show_swedish_error_page(monkeypatch, tmp_path, state_dir):
    broken = tmp_path / "trasig"
    broken.mkdir()
    (broken / "anstallningar.parquet").write_bytes(b"inte parquet")
    at = app_test(monkeypatch, broken, state_dir)
    at.run()
    assert not at.exception
    assert "Extrakten kan inte läsas" in all_text(at)
