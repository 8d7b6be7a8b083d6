"""Rörlighet och pension on the hand-built fixture; expected values from fixture_data's EVENTS and PERSONS.

Tillsvidare avgångar to annan förvaltning or extern: p26 2023-09-30, p21 2023-12-31, p20 2024-02-29,
p25 2024-03-31, p22 2024-05-31 (p05's 2024-04-30 avgång is intern and does not count).
"""

from __future__ import annotations

import datetime as dt

import pytest
from fixture_analys import write as write_analys

from kfp_metrics import nyckeltal, rorlighet
from kfp_metrics.charts import SEPARATORS, TARGET_COLOR
from kfp_metrics.extracts import connect
from kfp_metrics.format import SUPPRESSED
from kfp_metrics.queries import Scope

FA, FB = "Förvaltning A", "Förvaltning B"
AX, AY, AZ = "Avdelning X", "Avdelning Y", "Avdelning Z"
P = dt.date(2024, 9, 1)


@pytest.fixture(scope="module")
def con_analys(tmp_path_factory):
    c = connect(write_analys(tmp_path_factory.mktemp("analys")))
    yield c
    c.close()


def test_personalomsattning_trend_starts_with_a_full_window(con):
    frame = rorlighet.personalomsattning_per_manad(con, P, Scope())
    # The extracts begin 2023-09: the first full 12-month window ends 2024-08.
    assert [d.date() for d in frame["period"]] == [dt.date(2024, 8, 1), P]
    # 2024-08: p26 p21 p20 p25 p22 over 213 tillsvidare-months (2023-09 … 2024-08).
    assert frame["avgangar_12m"].tolist() == [5, 4]
    assert frame["personalomsattning_pct"].iloc[0] == pytest.approx(100 * 5 / (213 / 12))
    assert frame["personalomsattning_pct"].iloc[1] == pytest.approx(100 * 4 / (209 / 12))


@pytest.mark.parametrize("scope", [Scope(), Scope.of([FA]), Scope.of(avdelning=[AX]), Scope.of([FB])])
def test_personalomsattning_at_p_equals_the_contract(con, scope):
    frame = rorlighet.personalomsattning_per_manad(con, P, scope, fran=P)
    expected = nyckeltal.rorlighet(con, P, scope)["personalomsattning_pct"]
    if frame["undertryckt"].iloc[0]:
        assert frame["personalomsattning_pct"].isna().iloc[0]
    else:
        assert frame["personalomsattning_pct"].iloc[0] == pytest.approx(expected)


def test_personalomsattning_withheld_under_five(con):
    # Avdelning Y: p14 p15 all year, p22 until May: mean 32/12 < 5.
    frame = rorlighet.personalomsattning_per_manad(con, P, Scope.of(avdelning=[AY]))
    assert frame["undertryckt"].all()
    fig = rorlighet.figure_personalomsattning(frame, AY, P)
    assert not fig.data
    table = rorlighet.tabell_personalomsattning(frame)
    assert set(table["Personalomsättning"]) == {SUPPRESSED}


def test_personalomsattning_figure_has_target_line(con):
    frame = rorlighet.personalomsattning_per_manad(con, P, Scope())
    fig = rorlighet.figure_personalomsattning(frame, "Alla förvaltningar", P, target=10.0)
    layout = fig.to_plotly_json()["layout"]
    assert layout["separators"] == SEPARATORS
    assert [s["y0"] for s in layout["shapes"]] == [10.0]
    assert layout["shapes"][0]["line"]["color"] == TARGET_COLOR
    assert "Mål: 10,0 %" in layout["annotations"][0]["text"]
    assert layout["title"]["text"].endswith("t.o.m. september 2024")
    without = rorlighet.figure_personalomsattning(frame, "Alla förvaltningar", P).to_plotly_json()["layout"]
    assert not without.get("shapes")


def test_personalomsattning_per_befattning_only_large_groups(con):
    # Undersköterska: p01 p02 p03 p09 p10 all year (60), p20 Oct–Feb (5), p21 Oct–Dec (3): mean 68/12.
    frame = rorlighet.personalomsattning_per_befattning(con, P, Scope())
    assert frame["befattning"].tolist() == ["Undersköterska"]
    assert frame["avgangar_12m"].tolist() == [2]  # p20, p21
    assert frame["medel_tillsvidare"].iloc[0] == pytest.approx(68 / 12)
    assert frame["personalomsattning_pct"].iloc[0] == pytest.approx(100 * 2 / (68 / 12))


def test_personalomsattning_per_befattning_highest_first(con):
    frame = rorlighet.personalomsattning_per_befattning(con, P, Scope(), min_medel=2)
    # Förskollärare 1/(30/12), Socialsekreterare 1/(32/12), Undersköterska 2/(68/12), then zeros by name.
    assert frame["befattning"].tolist() == [
        "Förskollärare",
        "Socialsekreterare",
        "Undersköterska",
        "Barnskötare",
        "Sjuksköterska",
        "Vårdbiträde",
    ]
    assert frame["personalomsattning_pct"].iloc[0] == pytest.approx(100 / 2.5)


def _cells(frame):
    return {(r.kod, r.jamforelse): (None if r.undertryckt else int(r.antal)) for r in frame.itertuples()}


def test_avgangar_per_vag_year_to_date(con):
    cells = _cells(rorlighet.avgangar_per_vag(con, P, Scope()))
    # 2024-01-01 … 2024-09-30: p05 intern, p22 annan_forvaltning, p20 p24 p25 extern; 2023 same period: p26.
    assert cells[("intern", "i_ar")] == 1
    assert cells[("annan_forvaltning", "i_ar")] == 1
    assert cells[("extern", "i_ar")] == 3
    assert cells[("extern", "i_fjol")] == 1
    assert cells[("intern", "i_fjol")] == 0


def test_rekryteringar_per_vag_by_form(con):
    alla = _cells(rorlighet.rekryteringar_per_vag(con, P, Scope()))
    assert (alla[("intern", "i_ar")], alla[("extern", "i_ar")], alla[("extern", "i_fjol")]) == (1, 2, 1)
    tv = _cells(rorlighet.rekryteringar_per_vag(con, P, Scope(), anstallningsform="tillsvidare"))
    assert (tv[("intern", "i_ar")], tv[("extern", "i_ar")], tv[("extern", "i_fjol")]) == (1, 1, 0)


def test_avgangar_per_orsak_withholds_small_counts(con):
    cells = _cells(rorlighet.avgangar_per_orsak(con, P, Scope()))
    # This year: egen_begaran 3 (p20 p22 p25), annan 1 (p05), visstid_upphor 1 (p24): the 1s are withheld.
    assert cells[("egen_begaran", "i_ar")] == 3
    assert cells[("annan", "i_ar")] is None
    assert cells[("visstid_upphor", "i_ar")] is None
    assert cells[("pension", "i_ar")] == 0
    # Last year's only avgång (p26) would follow from the total: the whole year is withheld.
    assert all(cells[(kod, "i_fjol")] is None for kod in rorlighet.ORSAKER)


def test_avgangar_per_orsak_secondary(con):
    # Tillsvidare only: egen_begaran 3, annan 1 — annan withheld, so egen_begaran too.
    cells = _cells(rorlighet.avgangar_per_orsak(con, P, Scope(), anstallningsform="tillsvidare"))
    assert cells[("annan", "i_ar")] is None and cells[("egen_begaran", "i_ar")] is None
    assert cells[("visstid_upphor", "i_ar")] == 0


def test_orsak_figure_and_table_show_no_withheld_value(con):
    frame = rorlighet.avgangar_per_orsak(con, P, Scope())
    fig = rorlighet.figure_jamforelse(frame, "Avgångar per orsak", "Alla förvaltningar", P)
    assert [t.name for t in fig.data] == ["jan–sep 2023", "jan–sep 2024"]
    this_year = dict(zip(fig.data[1].x, fig.data[1].y, strict=True))
    assert this_year["Egen begäran"] == 3
    assert this_year["Annan orsak"] == 0  # no bar; the label says '..'
    assert list(fig.data[1].text) == ["3", "0", SUPPRESSED, "0", SUPPRESSED]
    table = rorlighet.tabell_jamforelse(frame)
    assert list(table.columns) == ["Kategori", "jan–sep 2023", "jan–sep 2024"]
    # A column with '..' is text throughout (Arrow and Excel cannot mix numbers and text).
    assert table["jan–sep 2024"].tolist() == ["3", "0", SUPPRESSED, "0", SUPPRESSED]
    # Nothing of the withheld counts is in the figure's hover data either.
    assert [c[1] for c in fig.data[1].customdata] == ["3", "0", SUPPRESSED, "0", SUPPRESSED]


@pytest.mark.parametrize(
    ("alder", "x_row"),
    [
        # Avdelning X's tillsvidare: p02 (1959), p01 (1960), p03 (1961), p04 (1962), the rest born 1970 or later.
        (65, (10, 1, 1, 1, 1, 4)),
        (66, (10, 0, 1, 1, 1, 3)),
        (67, (10, 0, 0, 1, 1, 2)),
        (69, (10, 0, 0, 0, 0, 0)),
    ],
)
def test_pension_per_avdelning(con, alder, x_row):
    frame = rorlighet.pension_per_avdelning(con, P, Scope(), alder).set_index("avdelning")
    columns = ["antal_tillsvidare", "redan", "ar_1", "ar_2", "ar_3", "inom_tre_ar"]
    assert tuple(frame.loc[AX, columns]) == x_row
    assert tuple(frame.loc[AY, columns]) == (2, 0, 0, 0, 0, 0)  # p14 1966, p15 1964
    assert tuple(frame.loc[AZ, columns]) == (4, 0, 0, 0, 0, 0)
    assert frame.loc[AX, "andel_pct"] == pytest.approx(10 * x_row[-1])


@pytest.mark.parametrize("alder", [65, 67])
def test_pension_total_equals_the_contract(con, alder):
    frame = rorlighet.pension_per_avdelning(con, P, Scope(), alder)
    table = rorlighet.tabell_pension_per_avdelning(frame, P)
    total = table[table["Avdelning"] == "Totalt"].iloc[0]
    contract = nyckeltal.pension(con, P, Scope(), alder)
    assert total["Redan uppnått"] == contract["pension_redan"]
    assert [total[y] for y in ("2025", "2026", "2027")] == list(contract["pension_per_ar"].values())


def test_pension_per_befattning(con):
    frame = rorlighet.pension_per_befattning(con, P, Scope())
    # Undersköterska: p02 redan, p01 2025, p03 2026 of 5; Sjuksköterska: p04 2027 of 2.
    assert frame["befattning"].tolist() == ["Undersköterska", "Sjuksköterska"]
    assert frame["inom_tre_ar"].tolist() == [3, 1]
    assert frame["andel_pct"].tolist() == pytest.approx([60.0, 50.0])
    table = rorlighet.tabell_pension_per_befattning(frame, P, formatted=True)
    assert table.columns.tolist()[:4] == ["Befattning", "Tillsvidare", "Redan uppnått", "2025"]
    assert table["Andel av tillsvidare"].tolist() == ["60,0\u00a0%", "50,0\u00a0%"]


def test_pension_figure(con):
    frame = rorlighet.pension_per_avdelning(con, P, Scope(), 65)
    fig = rorlighet.figure_pension_per_avdelning(frame, "Alla förvaltningar", P, 65)
    assert [t.name for t in fig.data] == ["Redan uppnått", "2025", "2026", "2027"]
    assert fig.layout.separators == SEPARATORS


def test_personalprognos_sums_forvaltningar(con_analys):
    frame = rorlighet.personalprognos(con_analys, P, Scope())
    row = frame[(frame["ar"] == 2024) & (frame["yrkeskategori"] == "Undersköterska")].iloc[0]
    assert (row.personalbehov, row.rekryteringsbehov) == (55, 9)
    only_a = rorlighet.personalprognos(con_analys, P, Scope.of([FA]))
    assert set(only_a["yrkeskategori"]) == {"Undersköterska", "Socialsekreterare"}
    fig = rorlighet.figure_personalprognos(only_a, FA, P)
    assert len(fig.data) == 4  # two kategorier × personalbehov and rekryteringsbehov
    assert fig.layout.separators == SEPARATORS


def test_kpis(con):
    figures = nyckeltal.compute(con, P, Scope(), today=dt.date(2026, 1, 1))
    before = nyckeltal.compute(con, dt.date(2023, 9, 1), Scope(), today=dt.date(2026, 1, 1))
    trend = rorlighet.personalomsattning_per_manad(con, P, Scope())
    kpis = {k.label: k for k in rorlighet.kpis(figures, before, {"personalomsattning_pct": 12.0}, trend)}
    assert kpis["Personalomsättning"].value == "23,0\u00a0%"
    assert "Mål: 12,0" in kpis["Personalomsättning"].help
    assert kpis["Avgångar tillsvidare"].value == "4"  # p20 p22 p05 p25
    # January–September 2023: only p26's avgång (2023-09-30); no tillsvidare rekrytering.
    assert kpis["Avgångar tillsvidare"].delta == "+3"
    assert kpis["Rekryteringar tillsvidare"].value == "2"  # p07 p05
    assert kpis["Rekryteringar tillsvidare"].delta == "+2"
    assert kpis["Når 65 år t.o.m. 2027"].value == "4"  # p02 redan, p01 p03 p04


def test_ytd_label():
    assert rorlighet.ytd_label(P, 2023) == "jan–sep 2023"
    assert rorlighet.ytd_label(dt.date(2024, 1, 1), 2024) == "januari 2024"
