"""Sjukfrånvaro page figures on the hand-built fixture; expected values worked out from fixture_data.

Window 2023-10 … 2024-09 (P = 2024-09). Ordinary hours: 100 per person-month, p13 20, p10 0 in
2024-07. Avdelning X: p01–p06, p08–p10, p12 all 12 months (12 000 − 100), p07 7 months, p11 9,
p13 12 × 20, p20 5, p21 3, p24 9 → 15 440 hours; sick p01 120, p02 300, p09 20, p12 8, p13 5,
p24 16 = 469 (dag 1–14: 169). Avdelning Y: p14–p16 12 months, p22 8 → 4 400 hours, 4 persons.
Avdelning Z: p17, p18, p27, p28 12 months, p25 6 → 5 400 hours, 5 persons. Whole scope 25 240
hours, 569 sick, 207 dag 1–14, 300 in long spells, 25 persons.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from figure_helpers import assert_absent, contents, target_lines

from kfp_metrics import analys, nyckeltal, sjukfranvaro, suppression
from kfp_metrics.exports import csv_bytes, excel_bytes
from kfp_metrics.format import SUPPRESSED
from kfp_metrics.queries import Scope, run

FA, FB = "Förvaltning A", "Förvaltning B"
AX, AY, AZ = "Avdelning X", "Avdelning Y", "Avdelning Z"
P = dt.date(2024, 9, 1)
PRIMAR = sjukfranvaro.REASONS[sjukfranvaro.PRIMAR]
SEKUNDAR = sjukfranvaro.REASONS[sjukfranvaro.SEKUNDAR]

# Withheld values of the whole scope, by hand: Y 50/4 400, Z (p17 10 + p27 40)/5 400,
# kvinnor 501/17 040 (secondary), män (p09 20 + p12 8 + p27 40)/8 200.
Y_PCT = 100 * 50 / 4400
Z_PCT = 100 * 50 / 5400
KVINNOR_PCT = 100 * 501 / 17040
MAN_PCT = 100 * 68 / 8200


def by(frame: pd.DataFrame, column: str) -> dict:
    return {key: row for key, row in zip(frame[column], frame.to_dict("records"), strict=True)}


# --- Rolling 12 months -----------------------------------------------------------------------------


def test_rolling_series_at_p_is_the_contract_value(con):
    frame = sjukfranvaro.per_manad(con, P, Scope())
    # The extract starts 2023-09: the first full 12-month window ends 2024-08.
    assert list(frame["period"]) == [dt.date(2024, 8, 1), P]
    last = frame.iloc[-1]
    assert last["total_pct"] == pytest.approx(100 * 569 / 25240)
    assert last["kort_pct"] == pytest.approx(100 * 207 / 25240)
    assert last["lang_andel_pct"] == pytest.approx(100 * 300 / 569)
    assert last["personer"] == 25
    # 2023-09 … 2024-08: add 2023-09 (23 × 100 + 20 hours; p01 10 sick) and drop 2024-09
    # (19 × 100 + 20; p01 10 and p27 40 sick, 10 + 14 of them dag 1–14); p26 joins the persons.
    first = frame.iloc[0]
    assert first["total_pct"] == pytest.approx(100 * 529 / 25640)
    assert first["kort_pct"] == pytest.approx(100 * 193 / 25640)
    assert first["personer"] == 26
    assert not frame["undertryckt"].any()


@pytest.mark.parametrize(
    "scope", [Scope(), Scope.of([FA]), Scope.of([FA], [AX]), Scope.of([FB])], ids=["alla", "fa", "ax", "fb"]
)
def test_rolling_value_at_p_matches_key_figures(con, scope):
    figures, hidden = nyckeltal.sjukfranvaro(con, P, scope)
    last = sjukfranvaro.per_manad(con, P, scope).iloc[-1]
    if "sjukfranvaro_total_pct" in hidden:
        assert last["undertryckt"] and pd.isna(last["total_pct"])
    else:
        assert last["total_pct"] == pytest.approx(figures["sjukfranvaro_total_pct"])
        assert last["kort_pct"] == pytest.approx(figures["sjukfranvaro_kort_pct"])


def test_rolling_series_of_small_scope_is_withheld(con):
    frame = sjukfranvaro.per_manad(con, P, Scope.of(avdelning=[AY]))
    assert frame["undertryckt"].all()
    assert frame["total_pct"].isna().all() and frame["kort_pct"].isna().all()
    assert set(frame["skal"]) == {PRIMAR}
    fig = sjukfranvaro.figure_per_manad(frame, AY, P)
    assert not fig.data
    assert "10 eller färre personer" in fig.layout.annotations[0].text
    assert_absent(fig, Y_PCT)


def test_rolling_figure_has_swedish_separators_title_and_target_lines(con):
    scope = Scope.of([FA])
    targets = nyckeltal.targets(con, P, scope)
    assert targets == {"sjukfranvaro_total_pct": 6.0, "sjukfranvaro_kort_pct": 2.0}
    fig = sjukfranvaro.figure_per_manad(sjukfranvaro.per_manad(con, P, scope), FA, P, targets)
    assert fig.layout.separators == ", "
    assert fig.layout.title.text == f"Sjukfrånvaro, rullande 12 månader – {FA}, t.o.m. september 2024"
    assert sorted(target_lines(fig)) == [2.0, 6.0]
    assert [t.name for t in fig.data] == ["Sjukfrånvaro totalt", "Varav dag 1–14"]
    assert "%{y:.1f} %" in fig.data[0].hovertemplate
    # The whole scope spans total targets 6,0 (A) and 5,0 (B): no single target, no line for it.
    whole = sjukfranvaro.figure_per_manad(
        sjukfranvaro.per_manad(con, P, Scope()), "Alla", P, nyckeltal.targets(con, P, Scope())
    )
    assert not {5.0, 6.0} & set(target_lines(whole))


def test_rolling_table_has_every_plotted_month(con):
    frame = sjukfranvaro.per_manad(con, P, Scope())
    table = sjukfranvaro.tabell_per_manad(frame)
    assert list(table["Månad (12 månader t.o.m.)"]) == ["2024-08", "2024-09"]
    assert list(table["Sjukfrånvaro totalt (%)"]) == [
        round(100 * 529 / 25640, 1),
        round(100 * 569 / 25240, 1),
    ]


# --- Per avdelning -----------------------------------------------------------------------------------


def test_per_avdelning_with_targets_and_suppression(con):
    frame = sjukfranvaro.per_avdelning(con, P, Scope())
    rows = by(frame, "namn")
    assert list(rows) == [AX, AY, AZ]
    # Y (4 persons) and Z (5) are withheld. Across the whole scope two parts are hidden, but
    # Förvaltning A's own total (20 persons) is published on its own view, and with X shown Y would
    # follow from it: X is withheld as Förvaltning A's other part.
    for name, persons in ((AY, 4), (AZ, 5)):
        assert rows[name]["undertryckt"] and pd.isna(rows[name]["total_pct"])
        assert rows[name]["skal"] == PRIMAR
        assert rows[name]["personer"] == persons
    assert rows[AX]["skal"] == SEKUNDAR and pd.isna(rows[AX]["total_pct"])
    assert rows[AX]["personer"] == 16
    # X's own target overrides its förvaltning's; Y has A's, Z has B's.
    assert (rows[AX]["mal"], rows[AY]["mal"], rows[AZ]["mal"]) == (7.5, 6.0, 5.0)


def test_per_avdelning_values_where_nothing_is_withheld(con):
    # The hours behind X's figure, as the query sums them: 469 sick of 15 440 scheduled, 169 short.
    frame = run(con, "sjukfranvaro_per_avdelning", Scope(), fran=dt.date(2023, 10, 1), till=P)
    x = frame.set_index("avdelning").loc[AX]
    assert (x["sjuk_timmar"], x["ordinarie_timmar"], x["sjuk_kort_timmar"]) == (469, 15440, 169)
    assert x["personer"] == 16


def test_per_avdelning_secondary_suppression(con):
    # Förvaltning A: total shown (20 persons), Y hidden (4) → X would follow from the total: hidden too.
    frame = sjukfranvaro.per_avdelning(con, P, Scope.of([FA]))
    rows = by(frame, "namn")
    assert rows[AY]["skal"] == PRIMAR
    assert rows[AX]["skal"] == SEKUNDAR
    assert frame["total_pct"].isna().all()
    fig = sjukfranvaro.figure_per_avdelning(frame, FA, P)
    assert not fig.data
    assert_absent(fig, 100 * 469 / 15440, ("3,0",))


def test_per_avdelning_figure_hides_withheld_bars(con):
    frame = sjukfranvaro.per_avdelning(con, P, Scope())
    fig = sjukfranvaro.figure_per_avdelning(frame, "Alla förvaltningar", P)
    assert fig.layout.separators == ", "
    assert (
        fig.layout.title.text
        == "Sjukfrånvaro per avdelning, 12 månader – Alla förvaltningar, t.o.m. september 2024"
    )
    # Every avdelning is withheld (two primary, X secondary): no bars, a reason instead.
    assert not fig.data
    assert "Visas inte" in fig.layout.annotations[0].text
    assert_absent(fig, 100 * 469 / 15440, ("3,0",))
    assert_absent(fig, Y_PCT, ("1,1",))
    assert_absent(fig, Z_PCT, ("0,9",))
    # Colours are per avdelning over the whole organisation, the same on every page.
    assert list(frame["farg"]) == ["#0072B2", "#E69F00", "#009E73"]


def test_per_avdelning_figure_bars_and_targets_when_nothing_is_withheld(con, monkeypatch):
    # With the limit lowered to 3 persons no avdelning (X 16, Y 4, Z 5) is withheld.
    monkeypatch.setattr(suppression, "SJUK_MAX_UNDERTRYCKT", 3)
    frame = sjukfranvaro.per_avdelning(con, P, Scope())
    fig = sjukfranvaro.figure_per_avdelning(frame, "Alla förvaltningar", P)
    bars, goals = fig.data
    assert list(bars.x) == [AX, AY, AZ]
    assert list(bars.y) == pytest.approx([100 * 469 / 15440, Y_PCT, Z_PCT])
    assert list(goals.y) == [7.5, 6.0, 5.0] and goals.name == "Mål"
    assert not [a for a in fig.layout.annotations if a.text == SUPPRESSED]


def test_per_avdelning_table_and_downloads_keep_dots(con, monkeypatch):
    # X shown, Y and Z withheld: with the limit at 3 nothing is withheld, then Y and Z are marked.
    monkeypatch.setattr(suppression, "SJUK_MAX_UNDERTRYCKT", 3)
    frame = sjukfranvaro.per_avdelning(con, P, Scope())
    hidden = frame["namn"].isin([AY, AZ])
    frame.loc[hidden, "undertryckt"] = True
    frame.loc[hidden, ["total_pct", "kort_pct", "lang_andel_pct"]] = float("nan")
    table = sjukfranvaro.tabell_per_avdelning(frame)
    # A column holding '..' is text throughout, with a decimal comma.
    assert list(table["Sjukfrånvaro totalt (%)"]) == ["3,0", SUPPRESSED, SUPPRESSED]
    assert list(table["Mål (%)"]) == [7.5, 6.0, 5.0]
    text = csv_bytes(table).decode("utf-8-sig")
    assert "Avdelning Y;..;..;..;6,0;4" in text
    assert "Avdelning X;3,0;1,1;64,0;7,5;16" in text
    assert "1,1" not in text.split("Avdelning Y")[1]
    sheet = pd.read_excel(io.BytesIO(excel_bytes(table, "Sjukfrånvaro")))
    assert list(sheet["Sjukfrånvaro totalt (%)"]) == ["3,0", SUPPRESSED, SUPPRESSED]
    assert list(sheet["Antal personer"]) == [16, 4, 5]


def test_one_avdelning_is_shown_per_enhet(con):
    frame = sjukfranvaro.per_avdelning(con, P, Scope.of([FA], [AX]))
    assert list(frame["namn"]) == ["Enhet X1"] and frame["niva"].iloc[0] == "enhet"
    assert frame["total_pct"].iloc[0] == pytest.approx(100 * 469 / 15440)
    assert frame["mal"].iloc[0] == 7.5
    assert list(sjukfranvaro.tabell_per_avdelning(frame).columns)[0] == "Enhet"


# --- Obligatory groups and secondary suppression ---------------------------------------------------


def test_per_grupp_whole_scope(con):
    rows = by(sjukfranvaro.per_grupp(con, P, Scope()), "grupp")
    assert rows["total"]["total_pct"] == pytest.approx(100 * 569 / 25240)
    assert rows["30_49"]["total_pct"] == pytest.approx(100 * 60 / 10900)
    # Män: 8 persons, withheld; kvinnor (17) would follow from the shown total: withheld as well.
    assert rows["man"]["skal"] == PRIMAR
    assert rows["kvinnor"]["skal"] == SEKUNDAR
    assert pd.isna(rows["kvinnor"]["total_pct"]) and pd.isna(rows["man"]["total_pct"])
    # Ages: ≤ 29 (5) and ≥ 50 (9) withheld; two hidden parts, so 30–49 (11) stays.
    assert rows["29"]["skal"] == PRIMAR and rows["50"]["skal"] == PRIMAR
    assert not rows["30_49"]["undertryckt"]
    assert [rows[k]["personer"] for k in ("total", "kvinnor", "man", "29", "30_49", "50")] == [
        25,
        17,
        8,
        5,
        11,
        9,
    ]


def test_per_grupp_figure_and_table_hold_no_withheld_value(con):
    frame = sjukfranvaro.per_grupp(con, P, Scope())
    fig = sjukfranvaro.figure_per_grupp(frame, "Alla förvaltningar", P)
    assert fig.layout.separators == ", "
    bar = fig.data[0]
    assert list(bar.x) == ["Totalt", "Kvinnor", "Män", "29 år och yngre", "30–49 år", "50 år och äldre"]
    assert [y is None for y in bar.y] == [False, True, True, True, False, True]
    assert_absent(fig, KVINNOR_PCT, ("2,9",))
    assert_absent(fig, MAN_PCT)
    hovers = {a.x: a.hovertext for a in fig.layout.annotations if a.text == SUPPRESSED}
    assert hovers["Kvinnor"] == SEKUNDAR and hovers["Män"] == PRIMAR
    table = sjukfranvaro.tabell_per_grupp(frame)
    # 100 × 569 / 25 240 = 2,25 → "2,3"; 100 × 60 / 10 900 = 0,55 → "0,6".
    assert list(table["Sjukfrånvaro totalt (%)"]) == [
        "2,3",
        SUPPRESSED,
        SUPPRESSED,
        SUPPRESSED,
        "0,6",
        SUPPRESSED,
    ]
    assert list(table["Kommentar"]) == ["", "Sekundär röjandekontroll"] + ["10 eller färre personer"] * 2 + [
        "",
        "10 eller färre personer",
    ]
    assert "2,9" not in csv_bytes(table).decode("utf-8-sig")


def test_small_scope_withholds_every_group(con):
    frame = sjukfranvaro.per_grupp(con, P, Scope.of(avdelning=[AY]))
    rows = by(frame, "grupp")
    assert rows["total"]["undertryckt"]
    # Nobody aged ≤ 29 in Y: missing, not withheld.
    assert not rows["29"]["undertryckt"] and rows["29"]["personer"] == 0
    assert all(pd.isna(v) for v in frame["total_pct"])
    assert sjukfranvaro.kpis(frame)[0][1] == SUPPRESSED


@pytest.mark.parametrize(
    ("sizes", "total_shown", "expected"),
    [
        ({"kvinnor": 17, "man": 8}, True, {"man": "primar", "kvinnor": "sekundar"}),
        ({"kvinnor": 17, "man": 8}, False, {"man": "primar"}),
        ({"kvinnor": 17, "man": 30}, True, {}),
        ({"29": 20, "30_49": 30, "50": 5}, True, {"50": "primar", "29": "sekundar"}),
        ({"29": 20, "30_49": 4, "50": 5}, True, {"30_49": "primar", "50": "primar"}),
        ({"29": 0, "30_49": 30, "50": 3}, True, {"50": "primar", "30_49": "sekundar"}),
        ({"29": 0, "30_49": 2, "50": 2}, True, {"30_49": "primar", "50": "primar"}),
        ({"a": 11}, True, {}),
        ({"a": 10}, False, {"a": "primar"}),
    ],
    ids=[
        "kon",
        "kon_utan_total",
        "kon_stora",
        "minsta_andra",
        "tva_dolda",
        "tom_del",
        "alla_sma",
        "elva",
        "tio",
    ],
)
def test_hidden_parts_rule(sizes, total_shown, expected):
    assert sjukfranvaro.hidden_parts(sizes, total_shown) == expected


def test_empty_scope_explains_itself(con):
    scope = Scope.of(["Finns inte"])
    frame = sjukfranvaro.per_manad(con, P, scope)
    assert (frame["personer"] == 0).all() and frame["total_pct"].isna().all()
    fig = sjukfranvaro.figure_per_manad(frame, "Finns inte", P)
    assert not fig.data and "ingen schemalagd arbetstid" in fig.layout.annotations[0].text
    assert sjukfranvaro.per_avdelning(con, P, scope).empty
    grupper = sjukfranvaro.per_grupp(con, P, scope)
    assert not grupper["undertryckt"].any()
    fig = sjukfranvaro.figure_per_grupp(grupper, "Finns inte", P)
    _, texts = contents(fig)
    assert any("ingen schemalagd arbetstid" in t for t in texts)


def test_suppression_note(con):
    whole = sjukfranvaro.per_grupp(con, P, Scope())
    note = sjukfranvaro.suppression_note(whole)
    assert note and "10 eller färre" in note and "sekundär" in note
    assert sjukfranvaro.suppression_note(sjukfranvaro.per_manad(con, P, Scope())) is None


def test_per_forvaltning_when_the_scope_has_many_avdelningar(con, monkeypatch):
    # With at most one avdelning per chart, the fixture's three avdelningar are shown per förvaltning:
    # A = X (16) + Y (4) = 20 persons, B = Z = 5 persons, withheld; B would follow from the total
    # (25 persons, shown) and A, so A is withheld too. Targets are the förvaltningar's own.
    monkeypatch.setattr(analys, "MAX_AVDELNINGAR", 1)
    frame = sjukfranvaro.per_avdelning(con, P, Scope())
    rows = by(frame, "namn")
    assert list(rows) == [FA, FB]
    assert set(frame["niva"]) == {"forvaltning"}
    assert (rows[FA]["personer"], rows[FB]["personer"]) == (20, 5)
    assert (rows[FB]["skal"], rows[FA]["skal"]) == (PRIMAR, SEKUNDAR)
    assert (rows[FA]["mal"], rows[FB]["mal"]) == (6.0, 5.0)
    assert sjukfranvaro.shown_level(frame, Scope()) == "förvaltning"
    fig = sjukfranvaro.figure_per_avdelning(frame, "Alla förvaltningar", P)
    assert "per förvaltning" in fig.layout.title.text
    assert list(sjukfranvaro.tabell_per_avdelning(frame).columns)[0] == "Förvaltning"
    # One förvaltning chosen: its avdelningar again.
    assert set(sjukfranvaro.per_avdelning(con, P, Scope.of([FA]))["niva"]) == {"avdelning"}


@pytest.mark.parametrize("scope", [Scope(), Scope.of([FA]), Scope.of([FA], [AX])])
def test_per_avdelning_takes_the_total_the_page_has_read(con, scope):
    # The page passes per_grupp's total row instead of reading the same query again.
    total = int(sjukfranvaro.per_grupp(con, P, scope).iloc[0]["personer"])
    alone = sjukfranvaro.per_avdelning(con, P, scope)
    # Every person belongs to exactly one part, so the parts add up to the total.
    assert total == int(alone["personer"].sum())
    pd.testing.assert_frame_equal(
        sjukfranvaro.per_avdelning(con, P, scope, total_personer=total), alone, check_exact=True
    )
