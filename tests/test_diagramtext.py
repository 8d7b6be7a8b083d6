"""The one-sentence text alternative of a chart, from figures and frames built here by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import pytest

from kfp_metrics import charts, diagramtext
from kfp_metrics.aktiviteter import timeline_summary
from kfp_metrics.rorlighet import summary_personalprognos
from kfp_metrics.sjukfranvaro import summary_per_manad

NB = "\u00a0"


def months(*values):
    return [pd.Timestamp(2024, m, 1) for m in range(1, len(values) + 1)], list(values)


def line_figure(*series, title="Personal – Avdelning X, t.o.m. mars 2024", percent=False, target=None):
    fig = go.Figure()
    for name, values in series:
        x, y = months(*values)
        fig.add_trace(go.Scatter(x=x, y=y, name=name, mode="lines+markers"))
    charts.style(fig, title, percent=percent)
    charts.add_target_line(fig, target, "Mål", percent=percent)
    return fig


def bar_figure(cats, *series, title="Sjukfrånvaro per avdelning – Alla", percent=True, barmode=None, h=False):
    fig = go.Figure()
    for name, values in series:
        kwargs = {"y": cats, "x": values, "orientation": "h"} if h else {"x": cats, "y": values}
        fig.add_trace(go.Bar(name=name, **kwargs))
    charts.style(fig, title, percent=percent)
    if barmode:
        fig.update_layout(barmode=barmode)
    return fig


@pytest.mark.parametrize(
    ("fig", "expected"),
    [
        (
            line_figure(("Tillsvidare", [10, 12, 15]), ("Tidsbegränsade", [5, 4, 4])),
            "Personal, januari 2024–mars 2024: Tillsvidare har ökat från 10 till 15, "
            "tidsbegränsade har minskat från 5 till 4.",
        ),
        (
            line_figure(("Andel", [77.52, 78.0, 79.46]), title="Heltid – X", percent=True, target=80.0),
            f"Heltid, januari 2024–mars 2024: Andel har ökat från 77,5{NB}% till 79,5{NB}%; mål 80,0 %.",
        ),
        (
            # A gap (None) at the end: the last value shown is the one compared.
            line_figure(("Index", [78.04, 78.0, None]), title="Enkät"),
            "Enkät, januari 2024–februari 2024: Index är oförändrad på 78,0.",
        ),
        (
            bar_figure(["Stab", "Förskola<br>norr", "Vuxna"], ("Sjukfrånvaro", [8.25, 6.0, 5.46])),
            f"Sjukfrånvaro per avdelning: högst Stab (8,3{NB}%), lägst Vuxna (5,5{NB}%).",
        ),
        (
            # Suppressed values are not in the figure, so not in the sentence either.
            bar_figure(["A", "B", "C"], ("x", [3, None, 1]), title="Avgångar – Alla", percent=False),
            "Avgångar: högst A (3), lägst C (1).",
        ),
        (
            bar_figure(
                ["A", "B"],
                ("2025", [4, 1]),
                ("2026", [2, 5]),
                title="Pension – Alla",
                percent=False,
                barmode="stack",
            ),
            # Stacked: the totals per category, here equal (4 + 2 = 1 + 5).
            "Pension: sammanlagt – A, B 6.",
        ),
        (
            bar_figure(
                ["Män", "Kvinnor"], ("T1", [-9, 50]), ("T2", [-3, 20]), title="Pyramid", percent=False
            ),
            "Pyramid: T1 – högst Kvinnor (50), lägst Män (9); T2 – högst Kvinnor (20), lägst Män (3).",
        ),
        (
            charts.empty_figure("Urvalet har inga anställda.", "Personal – Avdelning X"),
            "Personal: diagrammet visar inga värden. Urvalet har inga anställda.",
        ),
        (
            go.Figure(
                go.Heatmap(z=[[1.0, 2.25], [0.0, None]], x=["Stab", "Vuxna"], y=["Ledarskap", "Demens"]),
                layout={"title": {"text": "Kompetensgap – Alla"}},
            ),
            "Kompetensgap: störst Ledarskap, Vuxna (2,3), minst Demens, Stab (0,0).",
        ),
    ],
    ids=["lines", "percent-target", "gap", "bars", "suppressed", "stack", "negative", "empty", "heatmap"],
)
def test_generic_summary(fig, expected):
    assert diagramtext.summary(fig) == expected


def test_title_given_outside_the_figure():
    fig = bar_figure(["A", "B"], ("x", [1, 2]), title="", percent=False)
    assert (
        diagramtext.summary(fig, "Incidenter per orsak – Alla, 2026")
        == "Incidenter per orsak: högst B (2), lägst A (1)."
    )


def test_a_builder_sets_its_own_summary():
    fig = diagramtext.set_summary(line_figure(("x", [1, 2])), "Egen mening.")
    assert diagramtext.summary(fig) == "Egen mening."


def test_sjukfranvaro_per_manad_summary():
    frame = pd.DataFrame(
        {
            "period": [dt.date(2024, 7, 1), dt.date(2024, 8, 1), dt.date(2024, 9, 1)],
            "total_pct": [6.94, 7.2, 7.44],
            "kort_pct": [3.0, 2.9, 2.96],
        }
    )
    assert summary_per_manad(frame, {"sjukfranvaro_total_pct": 6.0}) == (
        f"Sjukfrånvaron har ökat från 6,9{NB}% till 7,4{NB}% de senaste 3 månaderna (rullande 12 månader "
        f"t.o.m. september 2024); frånvaron dag 1–14 är oförändrad på 3,0{NB}%; målet är 6,0{NB}%."
    )


def test_timeline_summary():
    plan = pd.DataFrame(
        {
            "maldatum": [dt.date(2024, 3, 31), dt.date(2024, 12, 31), dt.date(2025, 6, 30)],
            "status": ["klar", "pagar", "pagar"],
            "forsenad": [False, True, False],
        }
    )
    assert timeline_summary(plan, dt.date(2025, 1, 15)) == (
        "Tidslinjen visar 3 aktiviteter med måldatum från 31 mars 2024 till 30 juni 2025: 2 pågår, 1 klar; "
        "1 är försenad per 15 januari 2025."
    )


def test_personalprognos_summary():
    frame = pd.DataFrame(
        {
            "ar": [2027, 2028, 2027, 2028],
            "yrkeskategori": ["Lärare", "Lärare", "Undersköterska", "Undersköterska"],
            "personalbehov": [100, 104, 1000, 1010],
            "rekryteringsbehov": [8, 9, 30, 41],
        }
    )
    # 100 + 1 000 = 1 100 and 104 + 1 010 = 1 114; 8 + 9 + 30 + 41 = 88, of which 71 undersköterskor.
    assert summary_personalprognos(frame) == (
        "Personalbehovet för alla yrkeskategorier går från 1 100 år 2027 till 1 114 år 2028; "
        "rekryteringsbehovet är sammanlagt 88 personer 2027–2028, flest för Undersköterska (71)."
    )
