"""The Prognos page under AppTest on fixture_prognos: the plans' table, causes, scenario and URL.

Expected values as worked out in test_prognos.py: by default (65 år, no growth) the need is
9,45 + 5,45 + 5,45 = 20,36 for 2025–2027, of which 10 pensionsavgångar.
"""

from __future__ import annotations

import json
import re

import fixture_prognos as fx
import pytest
from apptest_helpers import all_text, app_test, open_tables
from streamlit.components.v2.component_manager import BidiComponentManager

PAGE = "pages/prognos.py"


@pytest.fixture(autouse=True)
def no_component_scan(monkeypatch):
    monkeypatch.setattr(BidiComponentManager, "discover_and_register_components", lambda self, **kw: None)


@pytest.fixture(scope="module")
def full_dir(tmp_path_factory):
    return fx.write(tmp_path_factory.mktemp("prognos_sida"), ("yrkeskategorier", "personalprognos"))


@pytest.fixture(scope="module")
def bare_dir(tmp_path_factory):
    return fx.write(tmp_path_factory.mktemp("prognos_sida_bar"))


def open_page(monkeypatch, data_dir, state_dir, **query):
    at = app_test(monkeypatch, data_dir, state_dir, {"period": "2024-09", **query})
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def metrics(at) -> dict[str, tuple[str, str | None]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def figure(at) -> dict:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def table(at, key: str):
    """The page's tables in drawing order, every 'Visa data' opened: the plans' two first, the
    comparison found by its column."""
    open_tables(at)
    if key == "tabell_personalbehov":
        return at.dataframe[0].value
    if key == "tabell_rekryteringsbehov":
        return at.dataframe[1].value
    for frame in at.dataframe:
        if "Rekryteringsbehov, extern prognos" in frame.value.columns:
            return frame.value
    raise AssertionError(key)


def test_page_shows_the_plans_table_and_the_causes(monkeypatch, full_dir, state_dir):
    at = open_page(monkeypatch, full_dir, state_dir)
    assert [t.value for t in at.title] == ["Prognos: rekryteringsbehov"]
    m = metrics(at)
    assert m["Totalt 2025–2027"][0] == "20"
    assert m["Varav pensionsavgångar"] == ("10", "49,1\u00a0% av behovet")  # 10 / 20,358
    assert m["Varav övriga avgångar"][0] == "10"
    assert m["Varav ökat personalbehov"] == ("0", "0,0\u00a0% av behovet")
    behov = table(at, "tabell_personalbehov")
    assert list(behov.columns) == ["Befattning", "2024", "2025", "2026", "2027"]
    assert behov["Befattning"].tolist() == [
        fx.US,
        fx.SO,
        f"{fx.SJ} *",
        f"{fx.BSK} *",
        f"{fx.FSK} *",
        "Totalt",
    ]
    rek = table(at, "tabell_rekryteringsbehov")
    assert rek.iloc[0].tolist() == [fx.US, "5", "3", "4"]  # 4,74 2,74 3,74
    assert rek.iloc[-1].tolist() == ["Totalt", "9", "5", "5"]
    spec = figure(at)
    assert spec["layout"]["separators"] == ", "
    assert spec["layout"]["barmode"] == "stack"
    assert (
        spec["layout"]["title"]["text"]
        == "Rekryteringsbehov per år och orsak – Alla förvaltningar, 2025–2027"
    )
    pension = next(t for t in spec["data"] if t.get("name") == "Pensionsavgångar")
    assert pension["y"] == [6.0, 2.0, 2.0]
    text = all_text(at)
    assert "De som redan har nått pensionsåldern (2024 eller tidigare)" in text
    assert "senaste 12 månaderna" in text
    assert "färre än 5 tillsvidareanställda" in text
    assert [c.value for c in at.code][0].startswith("Under åren 2025–2027 bedöms rekryteringsbehovet till 20")
    comparison = table(at, "tabell_jamforelse")
    assert "Rekryteringsbehov, extern prognos" in comparison.columns
    for english in ("Error", "Traceback", "None", "nan", "NaN"):
        assert not re.search(rf"\b{english}\b", text)


def test_scenario_controls_change_the_forecast_and_the_url(monkeypatch, full_dir, state_dir):
    at = open_page(monkeypatch, full_dir, state_dir)
    at.selectbox(key="prog_pensionsalder").set_value(67).run()
    assert not at.exception
    assert figure(at)["data"][0]["y"] == [2.0, 2.0, 2.0]  # pensions per year at 67
    assert at.query_params["pensionsalder"] == "67"

    at.select_slider(key="prog_tillvaxt").set_value(5.0).run()
    assert not at.exception
    growth = next(t for t in figure(at)["data"] if t.get("name") == "Ökat personalbehov")
    # 5 % of 26 in 2025; 1,3 and 1,365 after.
    assert growth["y"] == pytest.approx([1.3, 1.365, 1.43325])
    assert at.query_params["tillvaxt"] == "5"

    at.multiselect(key="prog_egna").set_value([fx.SO]).run()
    at.select_slider(key=f"prog_tv::{fx.SO}").set_value(-10.0).run()
    assert not at.exception
    rek = table(at, "tabell_rekryteringsbehov").set_index("Befattning")
    assert rek.loc[fx.SO].tolist() == ["0", "0", "0"]  # 0,4 0,46 0 rounded
    assert at.query_params["befattningstillvaxt"] == f"{fx.SO}=-10"

    at.select_slider(key="prog_andring").set_value(-20.0).run()
    assert not at.exception
    assert at.query_params["avgangsandring"] == "-20"
    assert "avgångsandelen är ändrad med -20,0 %" in all_text(at)

    at.selectbox(key="prog_ar_till").set_value(2029).run()
    assert [str(c) for c in table(at, "tabell_rekryteringsbehov").columns][-1] == "2029"
    assert at.query_params["ar_till"] == "2029"

    at.segmented_control(key="prog_niva").set_value("yrkeskategori").run()
    assert not at.exception
    grouped = table(at, "tabell_personalbehov")
    assert grouped.columns[0] == "Yrkeskategori"
    assert "Förskola" in grouped["Yrkeskategori"].tolist()
    assert at.query_params["gruppering"] == "yrkeskategori"


def test_scenario_is_read_from_a_shared_link(monkeypatch, full_dir, state_dir):
    at = open_page(
        monkeypatch,
        full_dir,
        state_dir,
        pensionsalder="67",
        befattningstillvaxt=f"{fx.US}=5",
        ar_till="2026",
    )
    assert at.selectbox(key="prog_pensionsalder").value == 67
    assert at.multiselect(key="prog_egna").value == [fx.US]
    assert at.select_slider(key=f"prog_tv::{fx.US}").value == 5.0
    rek = table(at, "tabell_rekryteringsbehov").set_index("Befattning")
    # At 67 Undersköterska: 1 pension each year; 0,5 + 1 + 1,739 = 3,24 → 3; 0,525 + 1 + 1,826 → 3.
    assert rek.loc[fx.US].tolist() == ["3", "3"]
    assert not at.main.warning  # the sidebar has the local-mode banner


def test_hostile_url_values_are_ignored_with_swedish_notices(monkeypatch, full_dir, state_dir):
    at = open_page(
        monkeypatch,
        full_dir,
        state_dir,
        pensionsalder="99",
        tillvaxt="<script>alert(1)</script>",
        avgangsandring="-500",
        ar_till="1999",
        befattningstillvaxt=["Okänd=5", f"{fx.US}=x", f"{fx.SJ}=2"],
        gruppering="drop table",
    )
    notices = [w.value for w in at.warning]
    assert any("Pensionsåldern «99» i länken är ogiltig" in n for n in notices)
    assert any(n.startswith("Tillväxten «\\<script\\>alert\\(1\\)\\</script\\>»") for n in notices)
    assert any("Förändringen av personalomsättningen «\\-500»" in n for n in notices)
    assert any("slutår «1999»" in n for n in notices)
    assert any("Befattningen «Okänd» i länken finns inte" in n for n in notices)
    assert any("Grupperingen «drop table»" in n for n in notices)
    assert at.selectbox(key="prog_pensionsalder").value == 65
    assert at.select_slider(key="prog_tillvaxt").value == 0.0
    assert at.multiselect(key="prog_egna").value == [fx.SJ]  # the one valid entry kept
    # Sjuksköterska grows by 2 %: 1,894 + 0,911 + 0,930 instead of 3,441, so 20,652 → 21.
    assert metrics(at)["Totalt 2025–2027"][0] == "21"
    assert "pensionsalder" not in at.query_params


def test_page_without_optional_tables(monkeypatch, bare_dir, state_dir):
    at = open_page(monkeypatch, bare_dir, state_dir)
    assert "tabellen personalprognos saknas" in all_text(at)
    assert not at.segmented_control  # no yrkeskategorier: no grouping choice
    assert metrics(at)["Totalt 2025–2027"][0] == "20"


def test_scope_from_the_sidebar(monkeypatch, full_dir, state_dir):
    at = open_page(monkeypatch, full_dir, state_dir, forvaltning=fx.FB)
    rek = table(at, "tabell_rekryteringsbehov")
    assert rek["Befattning"].tolist() == [f"{fx.BSK} *", f"{fx.FSK} *", "Totalt"]
    assert metrics(at)["Totalt 2025–2027"][0] == "4"  # 1 + 3 × 0,9 = 3,7
    assert figure(at)["layout"]["title"]["text"].startswith(
        "Rekryteringsbehov per år och orsak – Förvaltning B"
    )


def test_last_year_follows_the_period_unless_chosen(monkeypatch, full_dir, state_dir):
    at = open_page(monkeypatch, full_dir, state_dir)
    at.selectbox(key="f_period").set_value("2023-09").run()
    assert not at.exception
    assert "Totalt 2024–2026" in metrics(at)
    at.selectbox(key="prog_ar_till").set_value(2029).run()
    at.selectbox(key="f_period").set_value("2024-09").run()
    assert "Totalt 2025–2029" in metrics(at)
