"""The Jämställdhet page under AppTest on fixture_jamstalldhet (expected values as in test_jamstalldhet)."""

from __future__ import annotations

import json

import fixture_jamstalldhet as fj
import pytest
from apptest_helpers import all_text, app_test, open_tables

PAGE = "pages/jamstalldhet.py"


@pytest.fixture(scope="module")
def dirs(tmp_path_factory):
    root = tmp_path_factory.mktemp("jam_sida")
    return {"med": fj.write(root / "med"), "utan": fj.write(root / "utan", chef=False)}


def _open(monkeypatch, data_dir, state_dir, **filters):
    at = app_test(monkeypatch, data_dir, state_dir, {"period": "2024-09"})
    at.run()
    at.switch_page(PAGE).run()
    if "forvaltning" in filters:
        at.selectbox(key="f_forvaltning").set_value(filters["forvaltning"]).run()
    if "avdelning" in filters:
        at.multiselect(key="f_avdelning").set_value(filters["avdelning"]).run()
    assert not at.exception, at.exception
    return at


def figures(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def metrics(at) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in at.metric:
        out.setdefault(m.label, []).append(m.value)
    return out


def test_page_whole_forvaltning(monkeypatch, dirs, state_dir):
    at = _open(monkeypatch, dirs["med"], state_dir)
    text = all_text(at)
    assert at.title[0].value == "Jämställdhet"
    headings = [h.value for h in at.subheader]
    assert headings == ["Kvinnor och män", "Chefer", "Utveckling över tid", "Per avdelning"]
    # Salary and parental leave are said to be absent.
    assert "lönekartläggning" in text and "föräldraledighet" in text
    got = metrics(at)
    # Andel tillsvidare: women 31/33 = 93,9 %, men 24/25 = 96,0 %; gap −2,1 (−2,06) against
    # 93,9 − 92,3 = +1,6 a year earlier: the gap grew.
    assert got["Kvinnor"][0] == "93,9\u00a0%" and got["Män"][0] == "96,0\u00a0%"
    assert got["Skillnad (p.e.)"][0] == "-2,1"
    assert "Skillnaden har ökat sedan september 2023 (från 1,6 till 2,1 procentenheter)." in text
    # Sysselsättningsgrad: women 3 200/33 = 97,0, men 98,0; a year earlier 95,5 against 98,1:
    # the gap narrowed from 2,6 to 1,0.
    assert got["Kvinnor"][1] == "97,0\u00a0%" and got["Män"][1] == "98,0\u00a0%"
    assert "Skillnaden har minskat sedan september 2023 (från 2,6 till 1,0 procentenheter)." in text
    # Lång sjukfrånvaro: 0,74 % against 0,49 %; a year earlier 1,47 against 0,00 → narrowed.
    assert got["Kvinnor"][2] == "0,7\u00a0%" and got["Män"][2] == "0,5\u00a0%"
    # Chefer: 2 of 5 are women = 40,0 %, against 33 of 58 = 56,9 % of all; kvot 0,70.
    assert got["Andel kvinnor bland chefer"] == ["40,0\u00a0%"]
    assert got["Andel kvinnor bland alla månadsavlönade"] == ["56,9\u00a0%"]
    assert got["Lika chefskarriär (kvot)"] == ["0,70"]
    # Every chart has a one-sentence caption under it.
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Linjerna visar kvinnors värde minus mäns") for c in captions)
    assert any("bland cheferna och 56,9\u00a0% bland alla månadsavlönade" in c for c in captions)
    assert any(c.startswith("Diagrammet visar andel tillsvidareanställda per avdelning") for c in captions)
    titles = [f["layout"]["title"]["text"] for f in figures(at)]
    assert len(titles) == 3
    assert all("Alla förvaltningar" in t or fj.FJ in t for t in titles)


def test_per_avdelning_secondary_suppression(monkeypatch, dirs, state_dir):
    at = _open(monkeypatch, dirs["med"], state_dir)
    at.selectbox(key="jam_avdelning_matt").set_value("lang_sjukfranvaro").run()
    assert not at.exception
    table = next(d.value for d in open_tables(at).dataframe if "Avdelning" in d.value.columns)
    lang = table[table["Nyckeltal"].str.startswith("Lång sjukfrånvaro")].set_index("Avdelning")
    # Liten: 2 men (primary), so its 11 women too; the women's column then has one hidden avdelning,
    # so the smaller of Mellan and Stor (12 each, Mellan first by name) too, and Mellan's men with it.
    assert list(lang.loc[fj.LITEN, ["Kvinnor", "Män (chefer: alla anställda)"]]) == ["..", ".."]
    assert list(lang.loc[fj.MELLAN, ["Kvinnor", "Män (chefer: alla anställda)"]]) == ["..", ".."]
    # Stor: women 100 × 300 / 14 000 = 2,1 %, men 100 × 100 / 13 800 = 0,7 %.
    assert list(lang.loc[fj.STOR, ["Kvinnor", "Män (chefer: alla anställda)"]]) == [
        "2,1\u00a0%",
        "0,7\u00a0%",
    ]
    # The bars (avdelningar in name order: Liten, Mellan, Stor) say ".." where withheld.
    women, men = figures(at)[-1]["data"]
    assert women["text"] == ["..", "..", "2,1"] and men["text"] == ["..", "..", "0,7"]
    assert "10 eller färre" in all_text(at)
    # Liten's men (50 long sick hours of 2 400) appear nowhere in the chart data.
    assert repr(100 * 50 / 2400) not in json.dumps(figures(at))


def test_small_avdelning(monkeypatch, dirs, state_dir):
    at = _open(monkeypatch, dirs["med"], state_dir, forvaltning=fj.FJ, avdelning=[fj.LITEN])
    got = metrics(at)
    # Long sick leave: 2 men → withheld, and the women's with them.
    assert got["Kvinnor"][2] == ".." and got["Män"][2] == ".."
    # 2 men is under the pages' group minimum of 5: andel tillsvidare and sysselsättningsgrad too.
    assert got["Kvinnor"][0] == ".." and got["Män"][1] == ".."
    text = all_text(at)
    assert "Skillnaden redovisas inte eftersom en av grupperna är för liten." in text
    # No managers in Liten: nothing to show, not a withheld value.
    assert got["Andel kvinnor bland chefer"] == ["–"]


def test_without_chef_column(monkeypatch, dirs, state_dir):
    at = _open(monkeypatch, dirs["utan"], state_dir)
    assert "Extrakten saknar kolumnen chef" in all_text(at)
    assert "Andel kvinnor bland chefer" not in metrics(at)
    assert len(figures(at)) == 2


def test_empty_scope_says_so(monkeypatch, dirs, state_dir):
    at = app_test(monkeypatch, dirs["med"], state_dir, {"period": "2024-09", "avdelning": "Finns inte"})
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception


def test_page_on_the_shared_fixture(monkeypatch, fixture_dir, state_dir):
    # fixture_data: 8 men with scheduled hours in the window, so their long sick leave is withheld
    # and the women's with it.
    at = _open(monkeypatch, fixture_dir, state_dir)
    got = metrics(at)
    assert got["Kvinnor"][2] == ".." and got["Män"][2] == ".."
    assert "10 eller färre" in all_text(at)
