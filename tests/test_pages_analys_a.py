"""Personal, Rörlighet och pension, Heltid and Kompetensgap under AppTest on the hand-built fixtures."""

from __future__ import annotations

import json
import re

import pyarrow.parquet as pq
import pytest
from apptest_helpers import all_text, app_test, open_tables
from streamlit.components.v2.component_manager import BidiComponentManager

AX, AY = "Avdelning X", "Avdelning Y"

PAGES = {
    "pages/personal.py": "Personal",
    "pages/rorlighet.py": "Rörlighet och pension",
    "pages/heltid.py": "Heltid",
    "pages/kompetensgap.py": "Kompetensgap",
}


@pytest.fixture(autouse=True)
def no_component_scan(monkeypatch):
    """The pages use no custom components; scanning every installed package for them costs seconds."""
    monkeypatch.setattr(BidiComponentManager, "discover_and_register_components", lambda self, **kw: None)


@pytest.fixture(scope="module")
def utan_faktisk_dir(tmp_path_factory, fixture_dir):
    """The fixture without the optional column faktisk_sysselsattningsgrad."""
    directory = tmp_path_factory.mktemp("utan_faktisk_sidor")
    for name in ("anstallningar", "franvaro", "handelser"):
        table = pq.read_table(fixture_dir / f"{name}.parquet")
        if name == "anstallningar":
            table = table.drop(["faktisk_sysselsattningsgrad"])
        pq.write_table(table, directory / f"{name}.parquet")
    return directory


def open_page(monkeypatch, data_dir, state_dir, page):
    at = app_test(monkeypatch, data_dir, state_dir, {"period": "2024-09"})
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def figures(at) -> dict[str, dict]:
    """Every Plotly figure of the last run by its title."""
    out = {}
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        out[spec["layout"]["title"]["text"]] = spec
    return out


def figure_starting(at, prefix: str) -> dict:
    matches = [spec for title, spec in figures(at).items() if title.startswith(prefix)]
    assert len(matches) == 1, (prefix, list(figures(at)))
    return matches[0]


def table_with(at, column: str):
    """The first st.dataframe of the last run that has the column, every 'Visa data' opened."""
    for frame in open_tables(at).dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"ingen tabell med kolumnen {column}")


def check_page(at, page: str) -> None:
    """What every analysis page must do: its title, charts in Swedish form, no English error texts."""
    assert [t.value for t in at.title] == [PAGES[page]]
    assert at.get("plotly_chart"), "the page draws charts"
    for spec in figures(at).values():
        assert spec["layout"]["separators"] == ", "
    text = all_text(at)
    for english in ("Error", "Traceback", "None", "nan", "NaN"):
        assert not re.search(rf"\b{english}\b", text)


def filter_avdelning(at, avdelning: str = AX) -> None:
    """Choosing an avdelning in the sidebar changes at least one figure and names it in a title."""
    before = figures(at)
    at.multiselect(key="f_avdelning").set_value([avdelning]).run()
    assert not at.exception, at.exception
    after = figures(at)
    assert any(avdelning in title for title in after), list(after)
    assert before != after


def test_personal_page(monkeypatch, analys_dir, state_dir):
    at = open_page(monkeypatch, analys_dir, state_dir, "pages/personal.py")
    check_page(at, "pages/personal.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tillsvidareanställda"] == "16"
    assert metrics["Medelålder"] == "46,1 år"
    top = table_with(at, "Befattning")
    assert top["Befattning"].tolist()[:2] == ["Undersköterska", "Vårdbiträde"]
    assert top["Andel"].tolist()[0] == "31,3\u00a0%"  # 5 of 16 = 31,25 %, rounded as Excel does
    per_avdelning = table_with(at, "Avdelning")
    assert per_avdelning["Medelålder"].tolist() == [
        "46,1",
        "..",
        "..",
    ]  # Y and Z: fewer than 5 månadsavlönade
    assert "Anställda per anställningsform och månad – Alla förvaltningar, t.o.m. september 2024" in figures(
        at
    )
    filter_avdelning(at)
    assert {m.label: m.value for m in at.metric}["Tillsvidareanställda"] == "10"


def test_rorlighet_page(monkeypatch, analys_dir, state_dir):
    at = open_page(monkeypatch, analys_dir, state_dir, "pages/rorlighet.py")
    check_page(at, "pages/rorlighet.py")
    spec = figure_starting(at, "Personalomsättning, rullande 12 månader")
    assert spec["layout"]["title"]["text"].endswith("t.o.m. september 2024")
    assert figure_starting(at, "Personalprognos per yrkeskategori")
    table = table_with(at, "Redan uppnått").set_index("Avdelning")
    assert table.loc[AX, ["Redan uppnått", "2025", "2026", "2027"]].tolist() == ["1", "1", "1", "1"]
    at.selectbox(key="ror_pensionsalder").set_value(67).run()
    assert not at.exception
    table = table_with(at, "Redan uppnått").set_index("Avdelning")
    # At 67: p02 (1959) in 2026, p01 (1960) in 2027.
    assert table.loc[AX, ["Redan uppnått", "2025", "2026", "2027"]].tolist() == ["0", "0", "1", "1"]
    assert any(title.startswith("Tillsvidareanställda som når 67 år") for title in figures(at))
    assert {m.label: m.value for m in at.metric}["Når 67 år t.o.m. 2027"] == "2"
    before = figure_starting(at, "Avgångar per väg")
    at.segmented_control(key="ror_form").set_value("tidsbegransad").run()
    assert not at.exception
    assert figure_starting(at, "Avgångar per väg") != before
    filter_avdelning(at)


def test_heltid_page(monkeypatch, analys_dir, state_dir):
    at = open_page(monkeypatch, analys_dir, state_dir, "pages/heltid.py")
    check_page(at, "pages/heltid.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Heltidsanställda"] == "78,9\u00a0%"  # 15 of 19
    assert metrics["Heltidsarbetande"] == "68,4\u00a0%"  # 13 of 19
    assert figure_starting(at, "Heltidsanställda och heltidsarbetande")
    filter_avdelning(at)
    # Avdelning X has three men: the per-kön shares are withheld (and the women's with them).
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Heltid, män"] == ".." and metrics["Heltid, kvinnor"] == ".."


def test_kompetensgap_page(monkeypatch, analys_dir, state_dir):
    at = open_page(monkeypatch, analys_dir, state_dir, "pages/kompetensgap.py")
    check_page(at, "pages/kompetensgap.py")
    heatmap = figure_starting(at, "Kompetensgap (behov − nuläge) per område och avdelning")
    assert heatmap["data"][0]["type"] == "heatmap"
    drill = figure_starting(at, "Kompetensgap (behov − nuläge) per område och enhet")
    assert drill["data"][0]["x"] == ["Enhet X1", "Enhet X2", "Hela avdelningen"]
    at.selectbox(key="kg_avdelning").set_value(AY).run()
    drill = figure_starting(at, "Kompetensgap (behov − nuläge) per område och enhet")
    assert drill["data"][0]["x"] == ["Enhet Y1"]
    before = figure_starting(at, "Andel som når 65 år")
    at.selectbox(key="kg_pensionsalder").set_value(69).run()
    assert not at.exception
    after = figure_starting(at, "Andel som når 69 år")
    assert before["data"][0]["x"] != after["data"][0]["x"]
    filter_avdelning(at)


@pytest.mark.parametrize(
    ("page", "notice"),
    [("pages/kompetensgap.py", "kompetensgap saknas"), ("pages/rorlighet.py", "personalprognos saknas")],
)
def test_absent_optional_tables_give_a_notice(monkeypatch, fixture_dir, state_dir, page, notice):
    at = open_page(monkeypatch, fixture_dir, state_dir, page)
    assert notice in " ".join(i.value for i in at.info)


def test_heltid_without_faktisk_gives_a_notice(monkeypatch, utan_faktisk_dir, state_dir):
    at = open_page(monkeypatch, utan_faktisk_dir, state_dir, "pages/heltid.py")
    assert "faktisk_sysselsattningsgrad" in " ".join(i.value for i in at.info)
    assert "Heltidsarbetande" not in {m.label for m in at.metric}


def test_pages_at_the_first_month(monkeypatch, analys_dir, state_dir):
    """At the extracts' first month there is no year before and no 12-month window: the pages explain."""
    at = app_test(monkeypatch, analys_dir, state_dir)
    for page in PAGES:
        at.switch_page(page).run()
        at.selectbox(key="f_period").set_value("2023-09").run()
        assert not at.exception, (page, at.exception)
        assert [t.value for t in at.title] == [PAGES[page]]
        assert "september 2023" in at.caption[0].value
    at.switch_page("pages/rorlighet.py").run()
    at.selectbox(key="f_period").set_value("2023-09").run()
    spec = figure_starting(at, "Personalomsättning, rullande 12 månader")
    assert not spec["data"] and "tolv månader" in spec["layout"]["annotations"][0]["text"]
