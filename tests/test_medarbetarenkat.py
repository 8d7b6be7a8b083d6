"""Medarbetarenkät page figures on the hand-built fixture; expected values worked out from fixture_data.

2024: Enhet X1 (Avdelning X) q1 80 (10 svar), q2 70 (9), q3 90 (10), q4 60 (8), q5 50 (10), 12
invited; Enhet Y1 (Avdelning Y) q1 60 (2), q2 50 (2), q3 70 (2), q4 80 (1), q5 40 (2), 3 invited.
2023: X1 q1 75 and q3 85 (10 svar). 2025: X1 q1 99 — after P's year.
Whole scope 2024, weighted: q1 920/12, q2 730/11, q3 1040/12, q4 560/9, q5 580/12; respondents 10 + 2.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from figure_helpers import assert_absent, contents

from kfp_metrics import analys, medarbetarenkat, nyckeltal
from kfp_metrics.exports import csv_bytes
from kfp_metrics.extracts import connect
from kfp_metrics.format import SUPPRESSED
from kfp_metrics.queries import Scope

FA, FB = "Förvaltning A", "Förvaltning B"
AX, AY, AZ = "Avdelning X", "Avdelning Y", "Avdelning Z"
P = dt.date(2024, 9, 1)
Q1, Q2, Q3, Q4, Q5 = 920 / 12, 730 / 11, 1040 / 12, 560 / 9, 580 / 12
FEWER = medarbetarenkat.reasons()[medarbetarenkat.PRIMAR]
SECONDARY = medarbetarenkat.reasons()[medarbetarenkat.SEKUNDAR]


def series(frame: pd.DataFrame, year: int) -> dict[str, float]:
    part = frame[frame["ar"] == year]
    return dict(zip(part["serie"], part["index"], strict=True))


def test_index_per_year(con):
    frame = medarbetarenkat.per_ar(con, P, Scope())
    assert sorted(frame["ar"].unique()) == [2023, 2024]  # 2025 is after P's year
    y2023 = series(frame, 2023)
    assert y2023["motivation"] == 75 and y2023["ledarskap"] == 85 and pd.isna(y2023["styrning"])
    assert y2023["medarbetarindex"] == pytest.approx(80)
    y2024 = series(frame, 2024)
    motivation = (Q1 + Q2) / 2
    assert y2024["motivation"] == pytest.approx(motivation)
    assert y2024["ledarskap"] == pytest.approx(Q3)
    assert y2024["styrning"] == pytest.approx(Q4)
    assert y2024["medarbetarindex"] == pytest.approx((motivation + Q3 + Q4) / 3)
    latest = frame[frame["ar"] == 2024].iloc[0]
    assert latest["antal_svar"] == 12 and latest["svarsfrekvens_pct"] == pytest.approx(80)
    # The same as the contract's key figures.
    figures, _ = nyckeltal.medarbetarenkat(con, P, Scope())
    assert y2024["medarbetarindex"] == pytest.approx(figures["medarbetarindex"])


def test_later_period_sees_the_later_survey(con):
    frame = medarbetarenkat.per_ar(con, dt.date(2025, 3, 1), Scope())
    assert series(frame, 2025)["medarbetarindex"] == pytest.approx(99)


def test_index_of_small_scope_is_withheld(con):
    frame = medarbetarenkat.per_ar(con, P, Scope.of(avdelning=[AY]))
    assert frame["undertryckt"].all() and frame["index"].isna().all()
    assert (frame["antal_svar"] == 2).all()  # respondents are still shown
    assert set(frame["skal"]) == {"Visas inte: färre än 5 svarande"}
    fig = medarbetarenkat.figure_per_ar(frame, AY, P)
    assert not fig.data and "färre än 5 svarande" in fig.layout.annotations[0].text
    table = medarbetarenkat.tabell_per_ar(frame)
    assert list(table.iloc[0]) == [2024, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, 2, 66.7]
    whole = medarbetarenkat.tabell_per_ar(medarbetarenkat.per_ar(con, P, Scope()))
    assert list(whole["Ledarskap"]) == [85.0, round(Q3, 1)]
    assert [k[1] for k in medarbetarenkat.kpis(frame)] == [SUPPRESSED] * 4 + ["2"]
    assert "2 svarande" in medarbetarenkat.small_scope_notice(frame)


def test_index_figure(con):
    frame = medarbetarenkat.per_ar(con, P, Scope())
    fig = medarbetarenkat.figure_per_ar(frame, "Alla förvaltningar", P)
    assert fig.layout.separators == ", "
    assert fig.layout.title.text == "Medarbetarindex och delindex per år – Alla förvaltningar, t.o.m. 2024"
    assert [t.name for t in fig.data] == ["Medarbetarindex", "Motivation", "Ledarskap", "Styrning"]
    assert list(fig.data[0].x) == ["2023", "2024"]
    assert fig.data[3].y[0] is None  # no styrning question in 2023


def test_strongest_weakest_and_changes(con):
    frame = medarbetarenkat.fragor(con, P, Scope())
    assert list(medarbetarenkat.starkaste(frame, 2)["fraga_id"]) == ["q3", "q1"]
    assert list(medarbetarenkat.svagaste(frame, 2)["fraga_id"]) == ["q5", "q4"]
    assert list(medarbetarenkat.starkaste(frame)["fraga_id"]) == ["q3", "q1", "q2", "q4", "q5"]
    changes = medarbetarenkat.storsta_forandringar(frame)
    # Only q1 and q3 were asked in 2023.
    assert list(changes["fraga_id"]) == ["q1", "q3"]
    assert list(changes["forandring"]) == pytest.approx([Q1 - 75, Q3 - 85])
    fig = medarbetarenkat.figure_fragor(medarbetarenkat.starkaste(frame), "Alla", "Fem starkaste frågorna")
    assert fig.layout.separators == ", "
    assert fig.layout.title.text == "Fem starkaste frågorna –<br>Alla, enkäten 2024"
    assert list(fig.data[0].x) == pytest.approx([Q3, Q1, Q2, Q4, Q5])
    assert list(fig.data[0].text) == ["86,7", "76,7", "66,4", "62,2", "48,3"]
    fig = medarbetarenkat.figure_forandringar(changes, "Alla")
    assert fig.layout.title.text == "Största förändringarna sedan 2023 – Alla, enkäten 2024"
    assert list(fig.data[0].text) == ["+1,7", "+1,7"]


def test_question_with_few_answers_is_withheld(con):
    # With a minimum of 9: Avdelning X has 10 respondents, but q4 only 8 answers.
    frame = medarbetarenkat.fragor(con, P, Scope.of([FA], [AX]), min_svar=9)
    rows = frame.set_index("fraga_id")
    assert rows.at["q4", "undertryckt"] and pd.isna(rows.at["q4", "index"])
    assert rows.at["q2", "index"] == 70
    assert "q4" not in set(medarbetarenkat.svagaste(frame)["fraga_id"])


def test_questions_of_small_scope_show_nothing(con):
    frame = medarbetarenkat.fragor(con, P, Scope.of(avdelning=[AY]))
    assert frame["undertryckt"].all()
    assert medarbetarenkat.starkaste(frame).empty and medarbetarenkat.storsta_forandringar(frame).empty
    fig = medarbetarenkat.figure_fragor(medarbetarenkat.starkaste(frame), AY, "Fem starkaste frågorna")
    assert not fig.data


def test_heatmap_suppression_whole_scope(con):
    frame = medarbetarenkat.fraga_per_avdelning(con, P, Scope())
    cells = {(r["fraga_id"], r["kolumn"]): r for r in frame.to_dict("records")}
    # Avdelning Y: 2 respondents, every cell withheld; each question's total is shown, so X's cell
    # would give Y's away: X is withheld as the other part.
    for q in ("q1", "q2", "q3", "q4", "q5"):
        assert cells[(q, AY)]["skal"] == FEWER
        assert cells[(q, AX)]["skal"] == SECONDARY
    assert frame["index"].isna().all()
    table = medarbetarenkat.tabell_heatmap(frame)
    assert list(table.columns) == ["Fråga", AX, AY]
    assert set(table[AX]) == {SUPPRESSED} and set(table[AY]) == {SUPPRESSED}
    fig = medarbetarenkat.figure_heatmap(frame, "Alla")
    assert not fig.data and "färre än 5 svarande" in fig.layout.annotations[0].text


def test_heatmap_with_lower_minimum_hides_one_row_pair(con):
    # Minimum 2: Y's 2 respondents suffice, except for q4 (1 answer); X's q4 then goes too.
    frame = medarbetarenkat.fraga_per_avdelning(con, P, Scope(), min_svar=2)
    cells = {(r["fraga_id"], r["kolumn"]): r for r in frame.to_dict("records")}
    assert cells[("q4", AY)]["skal"] == medarbetarenkat.reasons(2)[medarbetarenkat.PRIMAR]
    assert cells[("q4", AX)]["skal"] == SECONDARY
    assert cells[("q1", AY)]["index"] == 60 and cells[("q1", AX)]["index"] == 80
    fig = medarbetarenkat.figure_heatmap(frame, "Alla")
    heat = fig.data[0]
    assert list(heat.x) == [AX, AY]
    row = list(heat.y).index("Jag vet vad som förväntas av mig i mitt arbete")
    assert list(heat.z[row]) == [None, None]
    assert list(heat.text[row]) == [SUPPRESSED, SUPPRESSED]
    assert "förväntas" in heat.customdata[row][1] and "Visas inte" in heat.customdata[row][1]
    # Y's q4 index 80 and X's 60 are nowhere in the figure's q4 row; other cells are shown.
    assert all(v is not None for i, r in enumerate(heat.z) if i != row for v in r)
    assert not any("index 80,0 (1 svar)" in t for t in contents(fig)[1])
    assert not any("60,0 (8 svar)" in t for t in contents(fig)[1])
    assert "..;.." in csv_bytes(medarbetarenkat.tabell_heatmap(frame)).decode("utf-8-sig")


def test_heatmap_per_enhet_within_one_avdelning(con):
    frame = medarbetarenkat.fraga_per_avdelning(con, P, Scope.of([FA], [AX]))
    assert set(frame["kolumn"]) == {"Enhet X1"} and (frame["niva"] == "enhet").all()
    assert list(frame.sort_values("fraga_id")["index"]) == [80, 70, 90, 60, 50]
    fig = medarbetarenkat.figure_heatmap(frame, AX)
    assert fig.layout.separators == ", "
    assert fig.layout.title.text == f"Frågor per enhet – {AX}, enkäten 2024"
    assert [list(r) for r in fig.data[0].z] == [[80.0], [70.0], [90.0], [60.0], [50.0]]


def test_heatmap_of_small_avdelning_is_withheld_everywhere(con):
    frame = medarbetarenkat.fraga_per_avdelning(con, P, Scope.of([FA], [AY]))
    assert frame["undertryckt"].all()
    fig = medarbetarenkat.figure_heatmap(frame, AY)
    for value in (60, 50, 70, 80, 40):
        assert_absent(fig, value)


def test_svarsfrekvens_per_avdelning(con):
    frame = medarbetarenkat.svar_per_avdelning(con, P, Scope())
    rows = frame.set_index("kolumn")
    assert rows.at[AX, "svarande"] == 10 and rows.at[AX, "svarsfrekvens_pct"] == pytest.approx(100 * 10 / 12)
    assert rows.at[AY, "svarande"] == 2 and rows.at[AY, "svarsfrekvens_pct"] == pytest.approx(100 * 2 / 3)
    fig = medarbetarenkat.figure_svarsfrekvens(frame, "Alla")
    assert fig.layout.separators == ", " and list(fig.data[0].x) == [AX, AY]
    assert list(medarbetarenkat.tabell_svarsfrekvens(frame)["Svarsfrekvens (%)"]) == [83.3, 66.7]


def test_suppression_note(con):
    whole = medarbetarenkat.fraga_per_avdelning(con, P, Scope())
    note = medarbetarenkat.suppression_note(whole)
    assert "färre än 5" in note and "sekundär" in note
    assert medarbetarenkat.suppression_note(medarbetarenkat.per_ar(con, P, Scope())) is None


def _with_forvaltning_b(directory):
    """The fixture's extracts with Förvaltning B's Enhet Z1 answering q1 (index 70, 8 of 10 svar)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from fixture_data import QUESTIONS, tables, write

    directory = write(directory)
    survey = tables()["medarbetarenkat"].to_pylist()
    survey.append(
        {
            "ar": 2024,
            "forvaltning": FB,
            "avdelning": "Avdelning Z",
            "enhet": "Enhet Z1",
            "fraga_id": "q1",
            "fraga": QUESTIONS["q1"],
            "delindex": "motivation",
            "index": 70.0,
            "antal_svar": 8,
            "antal_inbjudna": 10,
        }
    )
    pq.write_table(
        pa.Table.from_pylist(survey, tables()["medarbetarenkat"].schema),
        directory / "medarbetarenkat.parquet",
    )
    return directory


def test_grid_per_forvaltning_when_many_avdelningar(tmp_path, monkeypatch):
    c = connect(_with_forvaltning_b(tmp_path / "extrakt"))
    monkeypatch.setattr(analys, "MAX_AVDELNINGAR", 1)
    frame = medarbetarenkat.fraga_per_avdelning(c, P, Scope(), min_svar=2)
    assert set(frame["niva"]) == {"forvaltning"}
    q1 = frame[frame["fraga_id"] == "q1"].set_index("kolumn")
    # A: X 80 (10 svar) and Y 60 (2 svar) → (800 + 120) / 12; B: Z 70 (8 svar).
    assert q1.loc[FA, "index"] == pytest.approx(920 / 12)
    assert q1.loc[FB, "index"] == pytest.approx(70.0)
    assert (q1.loc[FA, "svarande"], q1.loc[FA, "inbjudna"]) == (12, 15)
    assert medarbetarenkat.shown_level(frame, Scope()) == "förvaltning"
    assert "Frågor per förvaltning" in medarbetarenkat.figure_heatmap(frame, "Alla").layout.title.text
    svar = medarbetarenkat.svar_per_avdelning(c, P, Scope(), min_svar=2)
    assert list(medarbetarenkat.tabell_svarsfrekvens(svar).columns)[0] == "Förvaltning"
    # One förvaltning chosen: its avdelningar.
    assert set(medarbetarenkat.fraga_per_avdelning(c, P, Scope.of([FA]), min_svar=2)["niva"]) == {"avdelning"}
    c.close()


def test_lone_hidden_avdelning_within_a_forvaltning_gets_a_partner(tmp_path):
    # q1: X 10 svar, Y 2 (withheld), Z 8 in Förvaltning B. Across the scope Z is the smallest other
    # part and is withheld as the second; but Förvaltning A's own q1 (12 svar) is shown on its own
    # view, and with X shown Y's 60 would follow from it: X is withheld too.
    c = connect(_with_forvaltning_b(tmp_path / "extrakt"))
    frame = medarbetarenkat.fraga_per_avdelning(c, P, Scope())
    q1 = frame[frame["fraga_id"] == "q1"].set_index("kolumn")
    assert (q1.loc[AY, "skal"], q1.loc[AX, "skal"], q1.loc[AZ, "skal"]) == (FEWER, SECONDARY, SECONDARY)
    assert q1["index"].isna().all()
    c.close()
