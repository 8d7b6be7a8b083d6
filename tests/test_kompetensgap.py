"""Kompetensgap on the fixture of fixture_analys; expected values from its GAPS and KOMPETENSOMRADEN."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from fixture_analys import write as write_analys

from kfp_metrics import charts, kompetensgap
from kfp_metrics.charts import SEPARATORS
from kfp_metrics.extracts import connect
from kfp_metrics.queries import Scope

FA, FB = "Förvaltning A", "Förvaltning B"
AX, AY, AZ = "Avdelning X", "Avdelning Y", "Avdelning Z"
P = dt.date(2024, 9, 1)
TEKNIK, VARD = "Teknik och digitalisering", "Vård och omsorg"


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = connect(write_analys(tmp_path_factory.mktemp("analys")))
    yield c
    c.close()


def _cells(frame, unit="avdelning"):
    return {(r[unit], r["omrade"]): r["gap"] for _, r in frame.iterrows()}


def test_gap_per_avdelning_latest_year(con):
    frame = kompetensgap.gap_per_avdelning(con, P, Scope())
    # 2024 is the latest year <= 2024 (the 2023 and 2025 rows are left out).
    assert set(frame["ar"]) == {2024}
    assert _cells(frame) == {
        (AX, "Digital kompetens"): pytest.approx(1.5),  # X1 4−2, X2 4−3
        (AX, "Demensvård"): pytest.approx(2.0),
        (AY, "Digital kompetens"): pytest.approx(0.0),
        (AY, "Samtalsmetodik"): pytest.approx(2.0),
        (AZ, "Språkutveckling"): pytest.approx(-1.0),
    }
    row = frame[(frame["avdelning"] == AX) & (frame["omrade"] == "Digital kompetens")].iloc[0]
    assert (row.behov, row.nulage, row.bedomningar) == (4.0, 2.5, 2)
    # A row without kategori is grouped under Övrigt.
    assert frame.loc[frame["omrade"] == "Samtalsmetodik", "kategori"].iloc[0] == kompetensgap.OVRIGT


def test_gap_earlier_period_uses_earlier_year(con):
    frame = kompetensgap.gap_per_avdelning(con, dt.date(2023, 12, 1), Scope())
    assert kompetensgap.assessment_year(frame) == 2023
    assert _cells(frame) == {(AX, "Digital kompetens"): pytest.approx(2.0)}


def test_gap_per_enhet_drill(con):
    frame = kompetensgap.gap_per_enhet(con, P, Scope(), AX)
    assert _cells(frame, "enhet") == {
        ("Enhet X1", "Digital kompetens"): pytest.approx(2.0),
        ("Enhet X2", "Digital kompetens"): pytest.approx(1.0),
        (kompetensgap.HELA_AVDELNINGEN, "Demensvård"): pytest.approx(2.0),
    }


def test_gap_scope_by_own_org_columns(con):
    frame = kompetensgap.gap_per_avdelning(con, P, Scope.of([FB]))
    assert set(frame["avdelning"]) == {AZ}
    assert kompetensgap.gap_per_avdelning(con, P, Scope.of(avdelning=["Finns inte"])).empty


def test_heatmap_grouped_by_kategori(con):
    frame = kompetensgap.gap_per_avdelning(con, P, Scope())
    fig = kompetensgap.figure_gap_heatmap(frame, "Alla förvaltningar")
    assert fig.layout.separators == SEPARATORS
    # One heatmap per kategori in order, Övrigt last.
    assert [a.text for a in fig.layout.annotations] == [TEKNIK, VARD, kompetensgap.OVRIGT]
    assert list(fig.layout.xaxis3.ticktext) == [AX, AY, AZ]
    teknik = fig.data[0]
    assert list(teknik.x) == [AX, AY, AZ] and list(teknik.y) == ["Digital kompetens"]
    assert teknik.z[0][0] == pytest.approx(1.5) and teknik.z[0][2] is None
    assert list(teknik.text[0]) == ["1,5", "0,0", ""]
    assert "bedömning 2024" in fig.layout.title.text
    assert fig.layout.coloraxis.cmin == -2 and fig.layout.coloraxis.cmax == 2


def test_heatmap_with_pension_and_aktiviteter(con):
    frame = kompetensgap.gap_per_avdelning(con, P, Scope())
    pension = kompetensgap.pension_inom_tre_ar(con, P, Scope())
    omraden = kompetensgap.aktiviteter_per_omrade(con, P, Scope())
    fig = kompetensgap.figure_gap_heatmap(frame, "Alla förvaltningar", pension=pension, aktiviteter=omraden)
    ticks = list(fig.layout.xaxis3.ticktext)
    assert "Pension: 40,0" in ticks[0] and ticks[0].startswith(AX)
    texts = {a.text for a in fig.layout.annotations}
    # Digital kompetens 2 activities, Demensvård none (Ledarskap has no assessment and no row).
    assert {"2 akt.", "0 akt.", "1 akt."} <= texts


def test_heatmap_empty_explains(con):
    empty = kompetensgap.gap_per_avdelning(con, dt.date(2022, 12, 1), Scope())
    fig = kompetensgap.figure_gap_heatmap(empty, "Alla förvaltningar")
    assert not fig.data and "ingen kompetensbedömning" in fig.layout.annotations[0].text.replace("<br>", " ")


def test_aktiviteter_per_omrade(con):
    frame = kompetensgap.aktiviteter_per_omrade(con, P, Scope()).set_index("omrade")
    # A1 (FA, all avdelningar) and A2 (X): Digital kompetens; A3 (Y): Samtalsmetodik; A5 (FB): Ledarskap.
    assert frame["antal_aktiviteter"].to_dict() == {
        "Demensvård": 0,
        "Samtalsmetodik": 1,
        "Digital kompetens": 2,
        "Språkutveckling": 0,
        "Ledarskap": 1,
    }
    # The scope's gap is the mean over its assessment rows: Digital kompetens (2 + 1 + 0) / 3.
    assert frame.loc["Digital kompetens", "gap"] == pytest.approx(1.0)
    assert list(frame.index) == [
        "Demensvård",
        "Samtalsmetodik",
        "Digital kompetens",
        "Språkutveckling",
        "Ledarskap",
    ]
    # Ledarskap has an activity but no assessment.
    assert frame["gap"].isna().tolist() == [False, False, False, False, True]


def test_aktiviteter_per_omrade_in_avdelning(con):
    frame = kompetensgap.aktiviteter_per_omrade(con, P, Scope.of([FA], [AX])).set_index("omrade")
    # A1 belongs to every avdelning of Förvaltning A; A3 is Avdelning Y's.
    assert frame["antal_aktiviteter"].to_dict() == {"Demensvård": 0, "Digital kompetens": 2}


def test_gap_och_aktiviteter_figure(con):
    frame = kompetensgap.aktiviteter_per_omrade(con, P, Scope())
    fig = kompetensgap.figure_gap_och_aktiviteter(frame, "Alla förvaltningar")
    names = {t.name: list(t.y) for t in fig.data}
    assert names["Har aktivitet i planen"] == ["Samtalsmetodik", "Digital kompetens"]
    assert names["Saknar aktivitet i planen"] == ["Demensvård", "Språkutveckling"]


def test_pension_share_per_avdelning(con):
    frame = kompetensgap.pension_inom_tre_ar(con, P, Scope()).set_index("avdelning")
    # X: p02 redan, p01 2025, p03 2026, p04 2027 of 10 tillsvidare.
    assert frame.loc[AX, "andel_pct"] == pytest.approx(40.0)
    assert frame.loc[AY, "andel_pct"] == pytest.approx(0.0)
    colors = charts.color_map([AX, AY, AZ])
    fig = kompetensgap.figure_pension_andel(frame.reset_index(), "Alla förvaltningar", P, 65, colors)
    assert list(fig.data[0].marker.color) == [colors[AX], colors[AY], colors[AZ]]
    assert "t.o.m. 2027" in fig.layout.title.text


def _gap_frame(rows):
    """A gap frame as gap_per_avdelning returns it, from (förvaltning, avdelning, område, behov, nuläge, n)."""
    return pd.DataFrame(
        [
            {
                "ar": 2024,
                "forvaltning": f,
                "avdelning": a,
                "kategori": "Vård och omsorg",
                "omrade": o,
                "behov": float(b),
                "nulage": float(n),
                "gap": float(b - n),
                "bedomningar": k,
            }
            for f, a, o, b, n, k in rows
        ]
    )


def test_same_avdelning_name_in_two_forvaltningar_labelled_apart():
    frame = _gap_frame([(FA, "Förskola", "Demens", 4, 2, 1), (FB, "Förskola", "Demens", 3, 3, 1)])
    shown, niva = kompetensgap.heatmap_per(frame)
    assert niva == "avdelning"
    assert sorted(shown["avdelning"]) == [f"Förskola ({FA})", f"Förskola ({FB})"]
    pension = pd.DataFrame(
        {
            "forvaltning": [FA, FB],
            "avdelning": ["Förskola", "Förskola"],
            "antal_tillsvidare": [20, 10],
            "inom_tre_ar": [5, 1],
            "andel_pct": [25.0, 10.0],
        }
    )
    fig = kompetensgap.figure_gap_heatmap(frame, "Alla förvaltningar", pension=pension)
    # Each column keeps its own gap (2 and 0) and its own pension share.
    assert list(fig.data[0].x) == [f"Förskola ({FA})", f"Förskola ({FB})"]
    assert list(fig.data[0].z[0]) == [2.0, 0.0]
    ticks = list(fig.layout.xaxis.ticktext)
    assert "Pension: 25,0" in ticks[0] and "Pension: 10,0" in ticks[1]
    pairs = kompetensgap.avdelningar(frame)
    assert pairs == [(FA, "Förskola"), (FB, "Förskola")]
    assert kompetensgap.avdelning_label(pairs[1], pairs) == f"Förskola ({FB})"


def test_many_avdelningar_shown_per_forvaltning():
    # 16 (förvaltning, avdelning) columns > MAX_AVDELNINGAR: one column per förvaltning.
    rows = [(FA, f"A{i:02d}", "Demens", 4, 2, 1) for i in range(8)]
    rows += [(FB, f"A{i:02d}", "Demens", 3, 3, 1) for i in range(7)]
    rows += [(FB, "A07", "Demens", 5, 1, 3)]
    shown, niva = kompetensgap.heatmap_per(_gap_frame(rows))
    assert niva == "forvaltning"
    cells = shown.set_index("forvaltning")
    assert cells.loc[FA, "gap"] == pytest.approx(2.0)
    # FB: 7 rows with gap 0 and one avdelning of 3 rows with gap 4: (0·7 + 4·3) / 10 = 1,2.
    assert cells.loc[FB, "gap"] == pytest.approx(1.2)
    assert cells.loc[FB, "bedomningar"] == 10
    fig = kompetensgap.figure_gap_heatmap(shown, "Alla förvaltningar", niva="forvaltning")
    assert list(fig.data[0].x) == [FA, FB] and "per område och förvaltning" in fig.layout.title.text


def test_pension_share_at_the_heatmaps_level():
    pension = pd.DataFrame(
        {
            "forvaltning": [FA, FA, FB],
            "avdelning": ["Förskola", "Stab", "Förskola"],
            "antal_tillsvidare": [20, 10, 10],
            "inom_tre_ar": [5, 1, 1],
            "andel_pct": [25.0, 10.0, 10.0],
        }
    )
    few = _gap_frame([(FA, "Förskola", "Demens", 4, 2, 1), (FB, "Förskola", "Demens", 3, 3, 1)])
    named = kompetensgap.pension_per(pension, few)
    assert list(named["avdelning"]) == [f"Förskola ({FA})", "Stab", f"Förskola ({FB})"]
    many = _gap_frame([(f, f"A{i:02d}", "Demens", 4, 2, 1) for f in (FA, FB) for i in range(8)])
    per_forvaltning = kompetensgap.pension_per(pension, many).set_index("forvaltning")
    # Förvaltning A: (5 + 1) of (20 + 10) = 20 %; B: 1 of 10.
    assert per_forvaltning.loc[FA, "andel_pct"] == pytest.approx(20.0)
    assert per_forvaltning.loc[FB, "andel_pct"] == pytest.approx(10.0)
    shown, niva = kompetensgap.heatmap_per(many)
    fig = kompetensgap.figure_gap_heatmap(shown, "Alla förvaltningar", niva=niva, pension=pension)
    # Two columns: figures in the cells, pension under the names.
    assert list(fig.data[0].text[0]) == ["2,0", "2,0"]
    assert "Pension: 20,0" in fig.layout.xaxis.ticktext[0]


def test_heatmap_with_many_columns_moves_figures_to_hover():
    rows = [(f"Förvaltning {i:02d} stadsdelsförvaltning", "Stab", "Demens", 4, 2, 1) for i in range(16)]
    frame = _gap_frame(rows)
    pension = pd.DataFrame(
        {
            "forvaltning": [r[0] for r in rows],
            "avdelning": ["Stab"] * 16,
            "antal_tillsvidare": [10] * 16,
            "inom_tre_ar": [3] * 16,
            "andel_pct": [30.0] * 16,
        }
    )
    shown, niva = kompetensgap.heatmap_per(frame)
    assert niva == "forvaltning"
    fig = kompetensgap.figure_gap_heatmap(shown, "Alla förvaltningar", niva=niva, pension=pension)
    assert set(fig.data[0].text[0]) == {""}
    assert fig.layout.xaxis.ticktext[0] == "Förvaltning 00" and fig.layout.xaxis.tickangle == -45
    assert "Pension inom tre år: 30,0" in fig.data[0].customdata[0][0][2]


def test_one_forvaltning_with_many_avdelningar_keeps_its_avdelningar():
    # 16 avdelningar of one förvaltning: still one column each (choosing it could show no more),
    # drawn with the figures in the hover text.
    frame = _gap_frame([(FA, f"A{i:02d}", "Demens", 4, 2, 1) for i in range(16)])
    shown, niva = kompetensgap.heatmap_per(frame)
    assert niva == "avdelning" and len(set(shown["avdelning"])) == 16
    assert kompetensgap.many_columns(shown, niva)


@pytest.mark.parametrize(
    ("heights", "spacing", "titles"),
    [
        ([1], 0.05, None),
        ([3], 0.02, ["Teknik"]),
        ([2, 5], 0.04, None),
        ([4, 1, 3], 0.03, ["Teknik", "Vård", "Övrigt"]),
        ([7, 2, 2, 9, 1], 0.015, ["A", "B", "C", "D", "E"]),
        ([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 0.01, [f"K{i}" for i in range(12)]),
    ],
)
def test_subplot_layout_is_make_subplots_layout(heights, spacing, titles):
    # The heatmap's grid is computed without plotly's make_subplots, to the same numbers.
    from plotly.subplots import make_subplots

    expected = make_subplots(
        rows=len(heights),
        cols=1,
        shared_xaxes=True,
        row_heights=heights,
        vertical_spacing=spacing,
        subplot_titles=titles,
    ).layout.to_plotly_json()
    expected.pop("template", None)
    assert kompetensgap._subplot_layout(heights, spacing, titles) == expected


@pytest.mark.parametrize("scope", [Scope(), Scope.of([FA]), Scope.of([FA], [AX])])
def test_page_builds_aktiviteter_per_omrade_from_its_gap_frame(con, scope):
    gap = kompetensgap.gap_per_avdelning(con, P, scope)
    counts = kompetensgap.aktiviteter_per_kompetensomrade(con, P, scope)
    assert sum(counts.values()) > 0
    pd.testing.assert_frame_equal(
        kompetensgap.per_omrade(gap, counts),
        kompetensgap.aktiviteter_per_omrade(con, P, scope),
        check_exact=True,
    )
