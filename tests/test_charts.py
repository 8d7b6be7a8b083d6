"""charts.figure/spec build in one step what style(), add_target_line() and month_axis() draw on a
built figure."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from kfp_metrics import analys, charts


def _json(fig: go.Figure) -> dict:
    return fig.to_plotly_json()


def _traces():
    return [
        {
            "type": "scatter",
            "x": ["2026-01-01", "2026-02-01"],
            "y": [1.5, 2.5],
            "name": "Kvinnor",
            "mode": "lines",
        },
        {
            "type": "scatter",
            "x": ["2026-01-01", "2026-02-01"],
            "y": [2.0, 3.0],
            "name": "Män",
            "mode": "lines",
        },
    ]


@pytest.mark.parametrize(
    "look",
    [
        {},
        {"percent": True, "y_title": "Procent"},
        {"x_title": "Ålder", "legend": False, "height": 300},
    ],
)
def test_figure_equals_the_styled_figure(look):
    slow = go.Figure([go.Scatter(**{k: v for k, v in t.items() if k != "type"}) for t in _traces()])
    charts.style(slow, "Sjukfrånvaro – Stab, oktober 2026", **look)
    fast = charts.figure(_traces(), "Sjukfrånvaro – Stab, oktober 2026", **look)
    assert _json(fast) == _json(slow)


def test_lines_told_apart_by_dash_and_marker_as_distinguish_lines_does():
    fast = charts.figure(_traces(), "T")
    assert [t.line.dash for t in fast.data] == ["solid", "dash"]
    assert [t.marker.symbol for t in fast.data] == ["circle", "square"]
    own = _traces()
    own[1]["line"] = {"dash": "dot"}
    assert [t.line.dash for t in charts.figure(own, "T").data] == ["solid", "dot"]


def test_target_month_ticks_and_own_layout_as_the_update_calls_draw_them():
    slow = go.Figure([go.Bar(x=["a", "b"], y=[1, 2])])
    charts.style(slow, "Heltid", y_title="Procent", percent=True)
    slow.update_yaxes(range=[0, 105])
    charts.add_target_line(slow, 4.5)
    charts.month_axis(slow)
    fast = charts.figure(
        [{"type": "bar", "x": ["a", "b"], "y": [1, 2]}],
        "Heltid",
        y_title="Procent",
        percent=True,
        layout={"yaxis": {"range": [0, 105]}},
        target=4.5,
        month_ticks=True,
    )
    assert _json(fast) == _json(slow)
    assert fast.layout.annotations[0].text == "Mål: 4,5 %"
    assert fast.layout.shapes[0].y0 == 4.5


def test_house_axes_go_to_every_axis_the_layout_names():
    fast = charts.figure([], "T", y_title="Antal", layout={"yaxis2": {"side": "right"}})
    assert fast.layout.yaxis2.title.text == "Antal"
    assert fast.layout.yaxis2.side == "right"
    assert fast.layout.yaxis.title.text is None


def test_finished_spec_equals_finish_on_a_built_figure():
    slow = go.Figure([go.Bar(x=["a"], y=[3])])
    charts.style(slow, "Andel –<br>Stab, oktober 2026")
    charts.add_target_line(slow, 80.0)
    analys.finish(slow, legend_bottom=120)
    fast = analys.figure(
        [{"type": "bar", "x": ["a"], "y": [3]}],
        "Andel –<br>Stab, oktober 2026",
        target=80.0,
        legend_bottom=120,
    )
    assert _json(fast) == _json(slow)
    assert fast.layout.margin.t == 85 and fast.layout.margin.b == 120
    assert fast.layout.annotations[0].bgcolor == "rgba(255,255,255,0.85)"


def test_empty_figure_carries_its_message_and_no_axes():
    fig = charts.empty_figure("Underlag saknas.", "Rubrik")
    assert list(fig.data) == []
    assert fig.layout.annotations[0].text == "Underlag saknas."
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert fig.layout.showlegend is False and fig.layout.height == 300


# --- figures built unchecked (charts.checked_figure) -----------------------------------------

PAGES_WITH_CHARTS = (
    "personal",
    "rorlighet",
    "sjukfranvaro",
    "heltid",
    "medarbetarenkat",
    "incidenter",
    "kompetensgap",
    "prognos",
    "jamstalldhet",
    "aktiviteter",
    "namndrapport",
)


@pytest.mark.parametrize("page", PAGES_WITH_CHARTS)
def test_unchecked_figures_send_the_browser_what_checked_ones_would(tmp_path, monkeypatch, page):
    """Every chart a page builds on the bundled sample data, as JSON for the browser: the same
    from go.Figure(spec) with Plotly checking (and filling in) every property as from the
    unchecked figure the page uses. A shorthand only the checking expands (a named colour scale,
    say) would differ here."""
    import copy
    from pathlib import Path

    import plotly.io as pio
    import streamlit as st
    from apptest_helpers import app_test, open_tab

    from kfp_metrics.ui import data

    specs = []
    unchecked = charts.checked_figure

    def recording(spec):
        specs.append(copy.deepcopy(spec))
        return unchecked(spec)

    monkeypatch.setattr(charts, "checked_figure", recording)
    st.cache_data.clear()
    st.cache_resource.clear()
    data._PREPARED.clear()
    at = app_test(monkeypatch, Path(__file__).resolve().parent.parent / "data", tmp_path)
    at.switch_page(f"pages/{page}.py")
    at.run()
    if page == "namndrapport":  # the report's charts are made when its preview is opened
        open_tab(at, "rapport_flik", "Förhandsgranskning")
    assert not at.exception, [e.value for e in at.exception]
    assert specs, page
    for spec in specs:
        sent = json.loads(pio.to_json(unchecked(copy.deepcopy(spec)), validate=False))
        checked = json.loads(pio.to_json(go.Figure(copy.deepcopy(spec)), validate=False))
        assert sent == checked
