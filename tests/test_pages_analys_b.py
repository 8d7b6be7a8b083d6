"""Sjukfrånvaro, Medarbetarenkät and Incidenter under AppTest on the hand-built fixture."""

from __future__ import annotations

import json

import fixture_data
import pytest
from apptest_helpers import all_text, app_test, open_tables

FA = "Förvaltning A"
AX, AY = "Avdelning X", "Avdelning Y"
PAGES = ("pages/sjukfranvaro.py", "pages/medarbetarenkat.py", "pages/incidenter.py")


@pytest.fixture()
def at(monkeypatch, fixture_dir, state_dir):
    return app_test(monkeypatch, fixture_dir, state_dir, {"period": "2024-09"})


def figures(at) -> list[dict]:
    """The Plotly JSON of every chart on the page, in order."""
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def titles(at) -> list[str]:
    return [f["layout"]["title"]["text"] for f in figures(at)]


def open_page(at, page: str, **filters):
    at.switch_page(page).run()
    if "forvaltning" in filters:
        at.selectbox(key="f_forvaltning").set_value(filters["forvaltning"]).run()
    if "avdelning" in filters:
        at.multiselect(key="f_avdelning").set_value(filters["avdelning"]).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_and_follows_the_avdelning_filter(at, page):
    open_page(at, page)
    before = figures(at)
    assert len(before) >= 3
    for spec in before:
        assert spec["layout"]["separators"] == ", "
        assert "Alla förvaltningar" in spec["layout"]["title"]["text"]
    at.selectbox(key="f_forvaltning").set_value(FA).run()
    at.multiselect(key="f_avdelning").set_value([AX]).run()
    assert not at.exception
    after = figures(at)
    assert before != after
    assert all(AX in t for t in titles(at))


def test_sjukfranvaro_values_and_targets(at):
    open_page(at, "pages/sjukfranvaro.py", forvaltning=FA)
    text = all_text(at)
    assert "Sjukfrånvaro" in text
    # Förvaltning A (X + Y): 100 × 519 / 19 840 = 2,62 % → "2,6 %"; the förvaltning's target 6,0 %.
    assert "Sjukfrånvaro totalt 2,6\u00a0%" in text
    rolling = figures(at)[0]
    assert (
        rolling["layout"]["title"]["text"]
        == f"Sjukfrånvaro, rullande 12 månader – {FA}, t.o.m. september 2024"
    )
    assert sorted(s["y0"] for s in rolling["layout"]["shapes"]) == [2.0, 6.0]
    # Per avdelning: Y withheld (4 persons) and X withheld as the other part of A's shown total.
    per_avdelning = figures(at)[1]
    assert "data" not in per_avdelning or not per_avdelning["data"]
    dump = json.dumps(figures(at))
    for hidden in (100 * 469 / 15440, 100 * 50 / 4400):
        assert repr(hidden) not in dump


def test_sjukfranvaro_small_avdelning_shows_dots(at):
    open_page(at, "pages/sjukfranvaro.py", forvaltning=FA, avdelning=[AY])
    text = all_text(at)
    assert "Sjukfrånvaro totalt .." in text
    assert "10 eller färre personer" in text
    assert repr(100 * 50 / 4400) not in json.dumps(figures(at))
    grupper = next(d.value for d in open_tables(at).dataframe if "Grupp" in d.value.columns)
    assert set(grupper["Sjukfrånvaro totalt (%)"]) - {"–"} == {".."}


def test_medarbetarenkat_page(at):
    open_page(at, "pages/medarbetarenkat.py")
    text = all_text(at)
    assert "enkäten 2024" in text
    assert "Svarande 12" in text
    assert "Starkaste" in text or "starkaste" in text
    assert any(t.startswith("Fem starkaste frågorna") for t in titles(at))
    # The question × avdelning grid is withheld: Y has 2 respondents, X is its other part.
    assert "färre än 5" in text


def test_medarbetarenkat_small_avdelning(at):
    open_page(at, "pages/medarbetarenkat.py", forvaltning=FA, avdelning=[AY])
    text = all_text(at)
    assert "2 svarande" in text
    assert "Medarbetarindex .." in text
    dump = json.dumps(figures(at))
    for value in (60.0, 50.0, 70.0, 40.0):
        assert f'"z": [[{value}' not in dump


def test_incidenter_toggle_accumulates(at):
    open_page(at, "pages/incidenter.py")
    first = figures(at)[0]
    assert first["layout"]["title"]["text"].startswith("Incidenter per tertial")
    assert [t["y"] for t in first["data"]] == [[1, 2, 0], [2, 1, 1]]
    at.toggle(key="inc_ackumulerat").set_value(True).run()
    assert not at.exception
    first = figures(at)[0]
    assert "ackumulerat från januari" in first["layout"]["title"]["text"]
    assert [t["y"] for t in first["data"]] == [[1, 3, 3], [2, 3, 4]]
    assert first["data"][1]["x"] == ["T1 jan–apr", "T2 jan–aug", "T3 jan–dec"]


def test_absent_optional_tables_give_notices(monkeypatch, tmp_path, state_dir):
    directory = fixture_data.write(tmp_path / "utan", only=("anstallningar", "franvaro", "handelser", "mal"))
    at = app_test(monkeypatch, directory, state_dir, {"period": "2024-09"})
    for page, words in (
        ("pages/medarbetarenkat.py", "ingen medarbetarenkät"),
        ("pages/incidenter.py", "inga incidentrapporter"),
    ):
        at.switch_page(page).run()
        assert not at.exception
        assert words in all_text(at)
        assert not at.get("plotly_chart")
    at.switch_page("pages/sjukfranvaro.py").run()
    assert not at.exception and figures(at)
