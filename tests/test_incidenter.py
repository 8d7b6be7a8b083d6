"""Incidenter page figures on the hand-built fixture; expected values worked out from fixture_data.

2023: i1 10 feb (X, tillbud, hot och våld), i2 1 maj (Y, olycksfall, fall), i3 31 aug (X, tillbud,
hot och våld). 2024: i4 5 jan (X, riskobservation, övrigt), i5 30 apr (X, olycksfall, hot och våld),
i9 15 jun (Y, tillbud, no orsak), i6 30 sep (Z, tillbud, hot och våld), i7 1 okt (X, after P).
i8 is from 2022. Every report has befattning Undersköterska.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kfp_metrics import analys, charts, incidenter
from kfp_metrics.queries import Scope

FA, FB = "Förvaltning A", "Förvaltning B"
AX, AY, AZ = "Avdelning X", "Avdelning Y", "Avdelning Z"
P = dt.date(2024, 9, 1)


def rows(frame, *columns):
    return [tuple(r) for r in frame[list(columns)].itertuples(index=False, name=None)]


@pytest.mark.parametrize(
    ("accumulated", "expected"),
    [
        (
            False,
            [
                (2023, 1, 1, 1),
                (2023, 2, 2, 1),
                (2023, 3, 0, 0),
                (2024, 1, 2, 1),
                (2024, 2, 1, 0),
                (2024, 3, 1, 1),
            ],
        ),
        (
            True,
            [
                (2023, 1, 1, 1),
                (2023, 2, 3, 2),
                (2023, 3, 3, 2),
                (2024, 1, 2, 1),
                (2024, 2, 3, 1),
                (2024, 3, 4, 2),
            ],
        ),
    ],
    ids=["per_tertial", "ackumulerat"],
)
def test_per_tertial(con, accumulated, expected):
    frame = incidenter.per_tertial(con, P, Scope(), accumulated=accumulated)
    assert rows(frame, "ar", "tertial", "antal", "hot_och_vald") == expected
    # Tertial 3 of 2024 is in progress at September.
    assert list(frame["pagar"]) == [False] * 5 + [True]


def test_tertial_labels():
    assert [incidenter.tertial_label(t) for t in (1, 2, 3)] == ["T1 jan–apr", "T2 maj–aug", "T3 sep–dec"]
    assert [incidenter.tertial_label(t, True) for t in (1, 2, 3)] == [
        "T1 jan–apr",
        "T2 jan–aug",
        "T3 jan–dec",
    ]


@pytest.mark.parametrize(
    ("period", "expected", "running"),
    [
        # August closes tertial 2: nothing in progress, tertial 3 not begun.
        (dt.date(2024, 8, 1), [(2024, 1, 2), (2024, 2, 1)], [False, False]),
        # June: tertial 2 counts up to 30 June (i9 on 15 June).
        (dt.date(2024, 6, 1), [(2024, 1, 2), (2024, 2, 1)], [False, True]),
        # May: tertial 2 has begun, no report yet: listed with 0.
        (dt.date(2024, 5, 1), [(2024, 1, 2), (2024, 2, 0)], [False, True]),
        (dt.date(2024, 1, 1), [(2024, 1, 1)], [True]),
    ],
    ids=["augusti", "juni", "maj", "januari"],
)
def test_tertial_in_progress(con, period, expected, running):
    frame = incidenter.per_tertial(con, period, Scope())
    this_year = frame[frame["ar"] == 2024]
    assert rows(this_year, "ar", "tertial", "antal") == expected
    assert list(this_year["pagar"]) == running
    assert len(frame[frame["ar"] == 2023]) == 3


def test_per_tertial_figure(con):
    frame = incidenter.per_tertial(con, P, Scope())
    fig = incidenter.figure_per_tertial(frame, "Alla förvaltningar", P)
    assert fig.layout.separators == ", "
    assert (
        fig.layout.title.text
        == "Incidenter per tertial –<br>Alla förvaltningar, 2024 mot 2023 (t.o.m. september 2024)"
    )
    last_year, this_year = fig.data
    assert last_year.name == "2023" and this_year.name == "2024 (t.o.m. september 2024)"
    assert list(last_year.y) == [1, 2, 0] and list(this_year.y) == [2, 1, 1]
    # Bar labels are Swedish text, hover counts use the layout's separators (5 105, not 5105).
    assert list(this_year.text) == ["2", "1", "1"] and ":,.0f" in this_year.hovertemplate
    assert list(this_year.x) == ["T1 jan–apr", "T2 maj–aug", "T3 sep–dec"]
    assert fig.layout.barmode == "group"
    assert any("pågår" in a.text for a in fig.layout.annotations)
    hot = incidenter.figure_per_tertial(frame, "Alla förvaltningar", P, "hot_och_vald")
    assert hot.layout.title.text.startswith("Hot och våld per tertial")
    assert list(hot.data[1].y) == [1, 0, 1] and hot.data[1].marker.color == charts.HOT_OCH_VALD_COLOR


def test_accumulated_figure_says_so(con):
    frame = incidenter.per_tertial(con, P, Scope(), accumulated=True)
    fig = incidenter.figure_per_tertial(frame, "Alla", P)
    assert "ackumulerat från januari" in fig.layout.title.text
    assert list(fig.data[0].y) == [1, 3, 3] and list(fig.data[1].y) == [2, 3, 4]
    assert list(fig.data[1].x) == ["T1 jan–apr", "T2 jan–aug", "T3 jan–dec"]
    table = incidenter.tabell_per_tertial(frame)
    assert list(table["Antal incidenter"]) == [1, 3, 3, 2, 3, 4]
    assert list(table["Anmärkning"]) == [""] * 5 + ["Pågår"]


def test_per_typ_and_orsak_year_to_date(con):
    frame = incidenter.per_typ_orsak(con, P, Scope())
    typ = incidenter.per_typ(frame).set_index("typ")
    assert typ.loc["tillbud", ["antal", "hot_och_vald", "ovriga"]].tolist() == [2, 1, 1]
    assert typ.loc["olycksfall", ["antal", "hot_och_vald"]].tolist() == [1, 1]
    assert typ.loc["riskobservation", "antal"] == 1
    assert typ.loc["fardolycksfall", "antal"] == 0
    assert list(typ["typ_namn"]) == [
        "Olycksfall",
        "Färdolycksfall",
        "Arbetssjukdom",
        "Tillbud",
        "Riskobservation",
    ]
    orsak = incidenter.per_orsak(frame)
    assert dict(zip(orsak["orsak_namn"], orsak["antal"], strict=True)) == {
        "Hot och våld": 2,
        "Fall": 0,
        "Belastning": 0,
        "Stick/skär": 0,
        "Trafik": 0,
        "Övrigt": 1,
        "Ej angiven": 1,
    }
    fig = incidenter.figure_per_orsak(orsak, "Alla", P)
    assert fig.layout.separators == ", "
    assert fig.layout.title.text == "Incidenter per orsak –<br>Alla, januari–september 2024"
    colors = dict(zip(fig.data[0].y, fig.data[0].marker.color, strict=True))
    assert colors["Hot och våld"] == charts.HOT_OCH_VALD_COLOR
    assert colors["Fall"] != charts.HOT_OCH_VALD_COLOR
    fig = incidenter.figure_per_typ(incidenter.per_typ(frame), "Alla", P)
    assert fig.data[0].name == "Hot och våld" and fig.data[0].marker.color == charts.HOT_OCH_VALD_COLOR
    assert list(fig.data[0].x) == [1, 0, 0, 1, 0]


def test_per_avdelning_and_per_enhet(con):
    frame = incidenter.per_avdelning(con, P, Scope())
    assert rows(frame, "namn", "antal", "hot_och_vald") == [(AX, 2, 1), (AY, 1, 0), (AZ, 1, 1)]
    assert list(frame["farg"]) == ["#0072B2", "#E69F00", "#009E73"]
    fig = incidenter.figure_per_avdelning(frame, "Alla", P)
    assert fig.layout.separators == ", "
    assert list(fig.data[0].y) == [2, 1, 1] and list(fig.data[1].y) == [1, 0, 1]
    enhet = incidenter.per_avdelning(con, P, Scope.of([FA], [AX]))
    assert rows(enhet, "namn", "antal") == [("Enhet X1", 2)]
    assert list(incidenter.tabell_per_avdelning(enhet).columns)[0] == "Enhet"


def test_per_forvaltning_when_many_avdelningar(con, monkeypatch):
    # With at most one avdelning per chart: A = X (2, 1 hot och våld) + Y (1, 0); B = Z (1, 1).
    monkeypatch.setattr(analys, "MAX_AVDELNINGAR", 1)
    frame = incidenter.per_avdelning(con, P, Scope())
    assert rows(frame, "forvaltning", "antal", "hot_och_vald") == [(FA, 3, 1), (FB, 1, 1)]
    assert incidenter.shown_level(frame, Scope()) == "förvaltning"
    assert "Incidenter per förvaltning" in incidenter.figure_per_avdelning(frame, "Alla", P).layout.title.text
    assert list(incidenter.tabell_per_avdelning(frame).columns)[0] == "Förvaltning"
    # One förvaltning: its avdelningar.
    assert incidenter.shown_level(incidenter.per_avdelning(con, P, Scope.of([FA])), Scope()) == "avdelning"


def test_per_befattning(con):
    frame = incidenter.per_befattning(con, P, Scope())
    assert rows(frame, "befattning", "antal", "hot_och_vald") == [("Undersköterska", 4, 2)]
    fig = incidenter.figure_per_befattning(frame, "Alla", P)
    assert [t.name for t in fig.data] == ["Hot och våld", "Övriga orsaker"]
    assert list(fig.data[1].x) == [2]


def test_empty_scope_explains_itself(con):
    scope = Scope.of(["Finns inte"])
    frame = incidenter.per_typ_orsak(con, P, scope)
    fig = incidenter.figure_per_typ(incidenter.per_typ(frame), "Finns inte", P)
    assert not fig.data and "Inga anmälda incidenter januari–september 2024" in fig.layout.annotations[0].text
    assert incidenter.per_avdelning(con, P, scope).empty
    tertial = incidenter.per_tertial(con, P, scope)
    assert tertial["antal"].sum() == 0 and len(tertial) == 6
