"""The Nämndrapport's Kolada comparison table, on the hand-built extracts and recorded pages."""

from __future__ import annotations

import datetime as dt

import fixture_kolada
import pytest

from kfp_metrics.extracts import connect
from kfp_metrics.queries import Scope
from kfp_metrics.rapport import Options, build

P = dt.date(2024, 9, 1)
NB = "\u00a0"


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = connect(fixture_kolada.write(tmp_path_factory.mktemp("kolada_rapport")))
    yield c
    c.close()


@pytest.fixture()
def settings(monkeypatch, tmp_path):
    for key in ("KFP_KOMMUN_ID", "KFP_KOLADA_VISA"):
        monkeypatch.delenv(key, raising=False)
    return tmp_path


def _report(con, state, **kw):
    return build(
        con,
        Options(
            **{
                "period": P,
                "avsnitt": ("nyckeltal",),
                "skapad": dt.datetime(2024, 10, 15),
                "state_dir": state,
                **kw,
            }
        ),
    )


def test_report_table_rows(con, settings):
    report, html = _report(con, settings)
    j = report.jamforelse
    assert j.rubrik == "Jämförelse med andra kommuner (Kolada)"
    assert j.tabell.kolumner == ["Nyckeltal", "År", "Egen organisation", "Riket", "Stockholm"]
    rows = {r[0]: r[1:] for r in j.tabell.rader}
    # December 2023: 18 of 22 månadsavlönade full time; women 11 of 14; men 7 of 8.
    assert rows["Andel heltidsanställda"] == ["2023", f"81,8{NB}%", f"84,0{NB}%", f"82,5{NB}%"]
    assert rows["Andel heltidsanställda kvinnor"] == ["2023", f"78,6{NB}%", "–", f"80,1{NB}%"]
    assert rows["Andel heltidsanställda män"] == ["2023", f"87,5{NB}%", "–", f"88,0{NB}%"]
    # Sjukfrånvaro 2024: no own full calendar year; Stockholm's value is Missing.
    assert rows["Sjukfrånvaro totalt"] == ["2024", "–", f"6,9{NB}%", "–"]
    assert rows["Medarbetarindex (HME)"] == ["2023", "80,0", "–", "78,0"]
    assert len(rows) == 7  # heltid ×3, sjukfrånvaro total/kvinnor/män, medarbetarindex
    assert any("hämtad 1 oktober 2024" in n and n.startswith("Källa: Kolada (RKA)") for n in j.noter)
    assert any("hela kommunen" in n for n in j.noter)
    assert 'id="jamforelse"' in html and "Jämförelse med andra kommuner (Kolada)" in html
    assert "Källa: Kolada (RKA)" in html and f'<td class="num">81,8{NB}%</td>' in html


def test_report_table_suppresses_only_the_own_value(con, settings):
    report, _ = _report(con, settings, scope=Scope.of(["Förvaltning B"]))
    rows = {r[0]: r[1:] for r in report.jamforelse.tabell.rader}
    assert rows["Andel heltidsanställda kvinnor"] == ["2023", "..", "–", f"80,1{NB}%"]
    assert rows["Andel heltidsanställda"] == ["2023", f"100,0{NB}%", f"84,0{NB}%", f"82,5{NB}%"]


def test_report_follows_the_setting(con, settings, monkeypatch):
    (settings / "kolada.toml").write_text('visa = ["0180"]\n', encoding="utf-8")
    report, _ = _report(con, settings)
    assert report.jamforelse.tabell.kolumner == ["Nyckeltal", "År", "Egen organisation", "Stockholm"]


def test_no_table_without_kolada(fixture_dir, settings):
    c = connect(fixture_dir)
    try:
        report, html = _report(c, settings)
    finally:
        c.close()
    assert report.jamforelse is None
    assert "Kolada (RKA)" not in html


def test_report_charts_over_time_get_kolada_markers(con, settings):
    report, _ = _report(con, settings, avsnitt=("sjukfranvaro", "heltid", "medarbetarenkat"))
    figures = {f.id: f for a in report.omraden for f in a.figurer}
    for fig_id, expected in (
        ("fig-heltid-per_manad", {"Riket (Kolada N00206)": [84.0], "Stockholm (Kolada N00206)": [82.5]}),
        ("fig-medarbetarenkat-per_ar", {"Stockholm (Kolada U00200)": [78.0]}),
    ):
        figur = figures[fig_id]
        markers = {t.name: list(t.y) for t in figur.figure.data if "(Kolada " in t.name}
        assert markers == expected, fig_id
        assert "ofyllda symboler: Kolada (RKA), hämtad 1 oktober 2024" in figur.kalla
    # The rolling-12 chart starts at 2024-08 (the first full window of the extracts): December
    # 2023 lies outside it, so no marker stretches the axis, and its source names no Kolada.
    sjuk = figures["fig-sjukfranvaro-per_manad"]
    assert not [t for t in sjuk.figure.data if "(Kolada " in t.name]
    assert "Kolada" not in sjuk.kalla
    others = [
        f
        for f in figures.values()
        if f.id not in {"fig-sjukfranvaro-per_manad", "fig-heltid-per_manad", "fig-medarbetarenkat-per_ar"}
    ]
    assert others and not any("Kolada" in f.kalla for f in others)
