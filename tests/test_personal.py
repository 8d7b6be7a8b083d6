"""The Personal page's frames and figures on the hand-built fixture; expected values from fixture_data.

At P = 2024-09 the månadsavlönade are p01–p12 less p13 (timavlönad), p14–p18, p27, p28: 19 persons.
Avdelning X: tillsvidare p01–p10, tidsbegränsade p11 p12, timavlönad p13; Y: p14 p15 (tillsvidare),
p16 (tidsbegränsad); Z: p17 p18 p27 p28 (tillsvidare).
"""

from __future__ import annotations

import datetime as dt

import pytest

from kfp_metrics import analys, nyckeltal, personal
from kfp_metrics.charts import SEPARATORS
from kfp_metrics.format import SUPPRESSED
from kfp_metrics.queries import Scope

FA, FB = "Förvaltning A", "Förvaltning B"
AX, AY, AZ = "Avdelning X", "Avdelning Y", "Avdelning Z"
P = dt.date(2024, 9, 1)


@pytest.mark.parametrize(
    ("scope", "month", "expected"),
    [
        # 2023-09: tillsvidare p01–p06, p08–p10, p14 p15 p17 p18 p20 p21 p22 p25 p26 p27 p28.
        (Scope(), dt.date(2023, 9, 1), (20, 3, 1)),
        (Scope(), P, (16, 3, 1)),
        # January 2024: p11 joins as tidsbegränsad; p21 left in December.
        (Scope(), dt.date(2024, 1, 1), (18, 4, 1)),
        (Scope.of(avdelning=[AX]), P, (10, 2, 1)),
        (Scope.of(avdelning=[AZ]), dt.date(2024, 3, 1), (5, 0, 0)),  # p25 still there in March
        (Scope.of(avdelning=["Finns inte"]), P, (0, 0, 0)),
    ],
)
def test_per_manad_counts_each_form(con, scope, month, expected):
    frame = personal.per_manad(con, P, scope)
    assert list(frame["period"].dt.date)[0] == dt.date(2023, 9, 1)
    assert len(frame) == 13  # 2023-09 … 2024-09, empty scope months listed as 0
    row = frame[frame["period"].dt.date == month].iloc[0]
    assert (row.tillsvidare, row.tidsbegransade, row.timavlonade) == expected


def test_per_manad_sum_matches_contract_mean(con):
    # The contract's turnover denominator: 209 tillsvidare-months over 2023-10 … 2024-09.
    frame = personal.per_manad(con, P, Scope(), fran=dt.date(2023, 10, 1))
    assert frame["tillsvidare"].sum() == 209


WOMEN = {
    "−24": 1,
    "25–29": 1,
    "30–34": 2,
    "35–39": 1,
    "40–44": 1,
    "45–49": 0,
    "50–54": 2,
    "55–59": 1,
    "60–64": 3,
    "65–": 1,
}
MEN = {
    "−24": 0,
    "25–29": 1,
    "30–34": 0,
    "35–39": 2,
    "40–44": 1,
    "45–49": 1,
    "50–54": 0,
    "55–59": 0,
    "60–64": 1,
    "65–": 0,
}


def test_alderspyramid_bands(con):
    frame = personal.alderspyramid(con, P, Scope())
    assert list(frame["aldersgrupp"].drop_duplicates()) == list(WOMEN)
    got_k = dict(
        zip(frame.loc[frame.kon == "K", "aldersgrupp"], frame.loc[frame.kon == "K", "antal"], strict=True)
    )
    got_m = dict(
        zip(frame.loc[frame.kon == "M", "aldersgrupp"], frame.loc[frame.kon == "M", "antal"], strict=True)
    )
    assert got_k == WOMEN
    assert got_m == MEN


@pytest.mark.parametrize(
    ("label", "age"),
    [("−24", 14), ("−24", 24), ("25–29", 25), ("60–64", 64), ("65–", 65), ("65–", 80)],
)
def test_band_edges(label, age):
    assert analys.band_of(age, analys.ALDERSGRUPPER_5) == label


def test_pyramid_figure_men_left_women_right(con):
    frame = personal.alderspyramid(con, P, Scope())
    fig = personal.figure_alderspyramid(frame, "Alla förvaltningar", P)
    data = fig.to_plotly_json()
    assert data["layout"]["separators"] == SEPARATORS
    men, women = fig.data
    assert men.name == "Män" and women.name == "Kvinnor"
    assert all(x <= 0 for x in men.x) and all(x >= 0 for x in women.x)
    assert sum(women.customdata) == 13 and sum(men.customdata) == 6
    assert "september 2024" in data["layout"]["title"]["text"]


def test_pyramid_withheld_for_a_small_scope(con):
    frame = personal.alderspyramid(con, P, Scope.of(avdelning=[AY]))  # 3 månadsavlönade
    fig = personal.figure_alderspyramid(frame, AY, P)
    assert not fig.data
    assert "färre än 10" in fig.layout.annotations[0].text.replace("<br>", " ")


def test_medelalder_per_kon(con):
    frame = personal.medelalder_per_kon(con, P, Scope()).set_index("grupp")
    assert frame.loc["K", "medelalder"] == pytest.approx(619 / 13)
    assert frame.loc["M", "medelalder"] == pytest.approx(257 / 6)
    assert frame.loc["totalt", "medelalder"] == pytest.approx(876 / 19)


def test_medelalder_withheld_with_secondary(con):
    # Avdelning Y: women p14 p16, man p15 — both kön under 5, the total (3) too.
    frame = personal.medelalder_per_kon(con, P, Scope.of(avdelning=[AY])).set_index("grupp")
    assert frame["undertryckt"].all()
    assert frame["medelalder"].isna().all()


def test_befattningar_topp_tillsvidare(con):
    frame = personal.befattningar_topp(con, P, Scope(), "tillsvidare")
    assert list(frame["befattning"]) == [
        "Undersköterska",
        "Vårdbiträde",
        "Barnskötare",
        "Förskollärare",
        "Sjuksköterska",
        "Socialsekreterare",
    ]
    assert list(frame["antal"]) == [5, 3, 2, 2, 2, 2]
    assert frame["andel_pct"].tolist() == pytest.approx([100 * 5 / 16, 100 * 3 / 16] + [100 * 2 / 16] * 4)


def test_befattningar_topp_sums_the_rest(con):
    frame = personal.befattningar_topp(con, P, Scope(), "tillsvidare", n=3)
    assert list(frame["antal"]) == [5, 3, 2, 6]
    assert frame["befattning"].iloc[-1] == "Övriga befattningar (3 st)"
    assert frame["andel_pct"].iloc[-1] == pytest.approx(37.5)
    table = personal.tabell_befattningar(frame, formatted=True)
    assert list(table.columns) == ["Nr", "Befattning", "Antal", "Andel"]
    assert table["Andel"].iloc[-1] == "37,5\u00a0%"


def test_befattningar_topp_tidsbegransade(con):
    frame = personal.befattningar_topp(con, P, Scope(), "tidsbegransad")
    assert list(zip(frame["befattning"], frame["antal"], strict=True)) == [
        ("Vårdbiträde", 2),
        ("Socialsekreterare", 1),
    ]
    assert frame["andel_pct"].tolist() == pytest.approx([200 / 3, 100 / 3])


def test_per_avdelning_counts_and_suppression(con):
    frame = personal.per_avdelning(con, P, Scope()).set_index("avdelning")
    assert frame.loc[AX, ["tillsvidare", "tidsbegransade", "timavlonade"]].tolist() == [10, 2, 1]
    assert frame.loc[AY, ["tillsvidare", "tidsbegransade", "timavlonade"]].tolist() == [2, 1, 0]
    assert frame.loc[AZ, ["tillsvidare", "tidsbegransade", "timavlonade"]].tolist() == [4, 0, 0]
    assert frame.loc[AX, "andel_kvinnor_pct"] == pytest.approx(75.0)
    assert frame.loc[AX, "medelalder"] == pytest.approx(553 / 12)
    # Y (3) and Z (4) have fewer than 5 månadsavlönade: both withheld, X shown.
    assert frame["undertryckt"].tolist() == [False, True, True]
    assert frame.loc[[AY, AZ], "medelalder"].isna().all()
    table = personal.tabell_per_avdelning(frame.reset_index(), formatted=True)
    assert table["Medelålder"].tolist() == ["46,1", SUPPRESSED, SUPPRESSED]


def test_per_avdelning_secondary_suppression(con):
    # Förvaltning A: X (12) and Y (3). Y is withheld, so X is too — else Y follows from the total.
    frame = personal.per_avdelning(con, P, Scope.of([FA]))
    assert frame["undertryckt"].tolist() == [True, True]
    assert frame["medelalder"].isna().all()


def test_kpis_withhold_attributes_of_a_small_scope(fixture_dir, con):
    figures = nyckeltal.compute(con, P, Scope.of([FB]), today=dt.date(2026, 1, 1))
    kpis = {k.label: k.value for k in personal.kpis(figures)}
    assert kpis["Tillsvidareanställda"] == "4"
    assert kpis["Medelålder"] == SUPPRESSED
    assert kpis["Andel kvinnor"] == SUPPRESSED
    big = {
        k.label: k.value for k in personal.kpis(nyckeltal.compute(con, P, Scope(), today=dt.date(2026, 1, 1)))
    }
    assert big["Medelålder"] == "46,1 år"
    assert big["Andel kvinnor"] == "68,4\u00a0%"


def test_figures_are_swedish(con):
    frame = personal.per_manad(con, P, Scope.of(avdelning=[AX]))
    fig = personal.figure_per_manad(frame, AX, P).to_plotly_json()
    assert fig["layout"]["separators"] == ", "
    assert (
        fig["layout"]["title"]["text"]
        == "Anställda per anställningsform och månad – Avdelning X, t.o.m. september 2024"
    )
    assert {t["name"] for t in fig["data"]} == {"Tillsvidare", "Tidsbegränsade", "Timavlönade"}
    assert all("personer" in t["hovertemplate"] for t in fig["data"])


def test_empty_scope_explains_itself(con):
    scope = Scope.of(avdelning=["Finns inte"])
    fig = personal.figure_per_manad(personal.per_manad(con, P, scope), "Finns inte", P)
    assert not fig.data and "inga anställda" in fig.layout.annotations[0].text.replace("<br>", " ")
    assert personal.per_avdelning(con, P, scope).empty
