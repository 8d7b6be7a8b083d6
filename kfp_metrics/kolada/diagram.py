"""Kolada's values as reference markers on the pages' yearly and monthly charts."""

from __future__ import annotations

import importlib
import textwrap

import pandas as pd
import plotly.graph_objects as go

from kfp_metrics.format import procent, tal
from kfp_metrics.kolada.kpi import KPI_TITLAR, SKILLNADER, counterpart

# What the markers are, by area (the own line's December point means different things).
MARKER_NOTES = {
    "sjukfranvaro": (
        "Ofyllda symboler är Koladas värden för hela kommunen och kalenderåret, utsatta i december: "
        "där avser linjen också januari–december."
    ),
    "heltid": (
        "Ofyllda symboler är Koladas värden för kommunens alla månadsavlönade vid SKR:s årliga mätning, "
        "utsatta i december samma år; linjen visar urvalets månadsavlönade varje månad."
    ),
    "medarbetarenkat": "Ofyllda symboler är Koladas värden för hela kommunen från enkäten samma år.",
}
SYMBOLS = ("diamond", "square", "triangle-up", "cross", "x", "star")
COLORS = ("#333333", "#8C564B", "#7F7F7F", "#17BECF", "#BCBD22", "#9467BD")


def _x(kind: str, year: int):
    return str(year) if kind == "ar" else pd.Timestamp(year, 12, 1)


def _span(fig: go.Figure, kind: str):
    xs = [x for trace in fig.data if trace.x is not None for x in trace.x]
    if not xs:
        return None
    if kind == "ar":
        return {str(x) for x in xs}
    stamps = [pd.Timestamp(x) for x in xs]
    return min(stamps), max(stamps)


def within(serier: tuple, frame: pd.DataFrame, kind: str = "december") -> tuple:
    """The (kommun, år, värde) points a chart of frame would show: December of the year within
    the frame's months (column period), or the year among its years (column ar)."""
    if frame is None or not len(frame):
        return ()
    if kind == "ar":
        years = {int(y) for y in frame["ar"]}
        return tuple(p for p in serier if p[1] in years)
    months = pd.to_datetime(frame["period"])
    lo, hi = months.min(), months.max()
    return tuple(p for p in serier if lo <= _x(kind, p[1]) <= hi)


def add_references(fig: go.Figure, metric_id: str, serier: tuple, kind: str = "december") -> go.Figure:
    """Markers for each (kommun, år, värde) at year's December (a month axis) or at the year (kind
    'ar'), only within the chart's own span; the hover says how the definitions differ."""
    m = counterpart(metric_id)
    span = _span(fig, kind)
    if m is None or not serier or span is None:
        return fig
    note = "<br>".join(textwrap.wrap(SKILLNADER[m.omrade], 60))
    by_name: dict[str, list[tuple[int, float]]] = {}
    for name, year, value in serier:
        x = _x(kind, year)
        inside = x in span if kind == "ar" else span[0] <= x <= span[1]
        if inside:
            by_name.setdefault(name, []).append((year, value))
    percent = not m.kpi.startswith("U")
    markers = []
    for i, (name, points) in enumerate(by_name.items()):
        texts = [f"{name} {y}: {procent(v) if percent else tal(v, 1)}" for y, v in points]
        markers.append(
            dict(
                type="scatter",
                x=[_x(kind, y) for y, _ in points],
                y=[v for _, v in points],
                name=f"{name} (Kolada {m.kpi})",
                mode="markers",
                marker={
                    "symbol": SYMBOLS[i % len(SYMBOLS)],
                    "size": 10,
                    "color": "white",
                    "line": {"color": COLORS[i % len(COLORS)], "width": 2},
                },
                customdata=texts,
                hovertemplate=f"<b>%{{customdata}}</b><br>Kolada {m.kpi}: {KPI_TITLAR[m.kpi]}"
                f"<br>{note}<extra></extra>",
            )
        )
    if not markers:
        return fig
    # The builder's figure is only added to: the markers in one add_traces, the legend and margin
    # each set whole. Plotly's update_layout walks its property tree key by key and cost more than
    # adding the markers; rebuilding the figure from its dicts, several times more.
    fig.add_traces(markers)
    # More legend entries: hang the legend below the axis and give it room, so that in a
    # narrow (printed) chart it grows downwards instead of into the plot.
    layout = fig.layout
    bottom = layout.margin.b if layout.margin.b is not None else 80
    layout.legend = {**layout.legend.to_plotly_json(), "yanchor": "top", "y": -0.12}
    layout.margin = {**layout.margin.to_plotly_json(), "b": bottom + 40 * len(markers)}
    return fig


def with_references(builder: str, metric_id: str, serier: tuple, kind: str, *args, **kwargs) -> go.Figure:
    """builder ('module:function' of a pure module) called with args, with Kolada's markers added."""
    module, name = builder.split(":")
    if not module.startswith("kfp_metrics.") or module.startswith("kfp_metrics.ui"):
        raise ValueError(f"Okänd diagramfunktion: {builder}")
    fig = getattr(importlib.import_module(module), name)(*args, **kwargs)
    return add_references(fig, metric_id, serier, kind)
