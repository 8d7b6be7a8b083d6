"""Kolada beside the figures under AppTest: the Översikt cards and the KPI rows of Sjukfrånvaro,
Heltid and Medarbetarenkät, on the hand-built extracts with the recorded Kolada pages."""

from __future__ import annotations

import fixture_kolada
import pytest
from apptest_helpers import all_text, app_test

NB = "\u00a0"


@pytest.fixture(scope="module")
def kolada_dir(tmp_path_factory):
    return fixture_kolada.write(tmp_path_factory.mktemp("kolada_sidor"))


@pytest.fixture()
def run_page(monkeypatch, kolada_dir, state_dir):
    for key in ("KFP_KOMMUN_ID", "KFP_KOLADA_VISA"):
        monkeypatch.delenv(key, raising=False)

    def run(page: str | None = None, query: dict | None = None):
        at = app_test(monkeypatch, kolada_dir, state_dir, {"period": "2024-09", **(query or {})})
        at.run()
        if page:
            at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    return run


def _captions(at) -> list[str]:
    return [str(c.value) for c in at.caption]


def test_oversikt_cards_show_kolada_with_the_year(run_page):
    at = run_page()
    captions = _captions(at)
    # Sjukfrånvaro card: N00090 2024; Stockholm's 2024 value is Missing in the recorded page.
    assert f"Riket 2024: 6,9{NB}% · Stockholm 2024: uppgift saknas" in captions
    assert "Egen, kalenderår 2024: extrakten täcker inte hela 2024" in captions
    # Heltid card: N00206 2023 and the own value in December 2023 (18 of 22 full time).
    assert f"Riket 2023: 84,0{NB}% · Stockholm 2023: 82,5{NB}%" in captions
    assert f"Egen, kalenderår 2023: 81,8{NB}%" in captions
    # Medarbetarindex card: U00200 2023 for Stockholm alone, own survey 2023 (75 + 85) / 2.
    assert "Stockholm 2023: 78,0" in captions
    assert "Egen, enkäten 2023: 80,0" in captions
    source = [c for c in captions if "Källa: Kolada (RKA)" in c]
    assert len(source) == 1 and "hämtad 1 oktober 2024" in source[0]
    assert "hela kommunen" in source[0]
    # The own 12-month figure on the card is untouched: 2,3 % as without Kolada.
    assert f"2,3{NB}%" in all_text(at)
    # The card without a counterpart (dag 1–14) has no Kolada line: three comparisons in all.
    assert sum(1 for c in captions if c.startswith("Riket") or c.startswith("Stockholm")) == 3


def test_setting_chooses_the_municipalities(run_page, monkeypatch):
    monkeypatch.setenv("KFP_KOLADA_VISA", "0180")
    captions = _captions(run_page())
    assert f"Stockholm 2023: 82,5{NB}%" in captions
    assert not any(c.startswith("Riket") for c in captions)


def test_cards_have_no_kolada_without_the_table(monkeypatch, fixture_dir, state_dir):
    at = app_test(monkeypatch, fixture_dir, state_dir, {"period": "2024-09"})
    at.run()
    assert not at.exception
    assert not any("Kolada" in c or c.startswith("Egen,") for c in _captions(at))


def test_sjukfranvaro_kpi_row(run_page):
    at = run_page("pages/sjukfranvaro.py")
    captions = _captions(at)
    assert f"Riket 2024: 6,9{NB}% · Stockholm 2024: uppgift saknas" in captions
    assert any("Källa: Kolada (RKA) (N00090), hämtad 1 oktober 2024." in c for c in captions)
    assert any("januari–december samma år" in c for c in captions)


def test_heltid_kpi_row_per_kon(run_page):
    at = run_page("pages/heltid.py")
    captions = _captions(at)
    assert f"Riket 2023: 84,0{NB}% · Stockholm 2023: 82,5{NB}%" in captions
    # Kvinnor: Riket's K value was marked deleted, so Stockholm's alone; män: Stockholm 88,0 %.
    assert f"Stockholm 2023: 80,1{NB}%" in captions
    assert f"Stockholm 2023: 88,0{NB}%" in captions
    # Own kvinnor December 2023: 14 månadsavlönade women, all full time but p03, p06 and p16:
    # 100 × 11 / 14 = 78,57 %; män 7 of 8 (p10 part time) = 87,5 %.
    assert f"Egen, kalenderår 2023: 78,6{NB}%" in captions
    assert f"Egen, kalenderår 2023: 87,5{NB}%" in captions
    chart = at.get("plotly_chart")[0]
    assert "Riket (Kolada N00206)" in chart.proto.spec and "Stockholm (Kolada N00206)" in chart.proto.spec


def test_medarbetarenkat_kpi_row(run_page):
    at = run_page("pages/medarbetarenkat.py")
    captions = _captions(at)
    assert "Stockholm 2023: 78,0" in captions
    assert "Egen, enkäten 2023: 80,0" in captions
    assert any("enkäten det året" in c for c in captions)


def test_marker_notes_say_what_the_december_point_means(run_page):
    heltid = _captions(run_page("pages/heltid.py"))
    assert any("vid SKR:s årliga mätning, utsatta i december" in c for c in heltid)
    assert not any("avser linjen också januari–december" in c for c in heltid)
    enkat = _captions(run_page("pages/medarbetarenkat.py"))
    assert "Ofyllda symboler är Koladas värden för hela kommunen från enkäten samma år." in enkat


def test_no_marker_note_where_the_chart_shows_no_marker(run_page):
    # The rolling-12 chart starts at 2024-08, after December 2023: no marker, no note.
    captions = _captions(run_page("pages/sjukfranvaro.py"))
    assert not any(c.startswith("Ofyllda symboler") for c in captions)
