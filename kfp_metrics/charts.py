"""Plotly building blocks shared by every chart, on screen and in the printed report."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

# Decimal comma and space as thousands separator (Swedish form).
SEPARATORS = ", "
FONT = "Source Sans Pro, Arial, sans-serif"

# Colour-blind-safe palette (Okabe–Ito without black) for avdelningar and series.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#999999",
    "#332288",
    "#117733",
    "#882255",
    "#44AA99",
)
TARGET_COLOR = "#C0392B"
HOT_OCH_VALD_COLOR = "#D55E00"
NEUTRAL_COLOR = "#0072B2"
MUTED_COLOR = "#A6A6A6"

# Where lines share a chart they differ in dash pattern and marker shape as well as colour, so that
# no series is told apart by colour alone (WCAG 1.4.1), in print and for colour-blind readers too.
LINE_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
MARKER_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "triangle-down")


def color_map(names: Iterable[str]) -> dict[str, str]:
    """A stable colour per name (e.g. avdelning): sorted names take palette colours in turn."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(sorted(set(names)))}


def style(
    fig: go.Figure,
    title: str,
    *,
    y_title: str | None = None,
    x_title: str | None = None,
    percent: bool = False,
    height: int = 380,
    legend: bool = True,
) -> go.Figure:
    """Apply the house look to a built figure (spec() builds it in one step, far cheaper):
    Swedish separators, title stating scope and period, readable fonts."""
    fig.update_layout(**house_layout(title, height=height, legend=legend))
    x_axis, y_axis = axis_looks(x_title, y_title, percent)
    fig.update_xaxes(**x_axis)
    fig.update_yaxes(**y_axis)
    return distinguish_lines(fig)


def figure(traces: Sequence[Mapping], title: str, **look) -> go.Figure:
    """A chart in the house look built in one step from plain dicts (spec()); updating a built
    figure key by key, as update_layout and add_hline do, costs ten times more and was most of a
    page's time. Built as checked_figure does."""
    return checked_figure(spec(traces, title, **look))


def checked_figure(spec: Mapping) -> go.Figure:
    """go.Figure(spec) without Plotly checking every property as it is set: the specs are this
    code's own, and the checking was 60 % of building a figure (a fifth of the server's time with
    many people at once). The JSON sent to the browser is the same (tests/test_charts.py compares
    it with the checked figure's for every page's charts). Columns of frames become arrays, as the
    checking would make them, so that reading a trace's values (y[-1]) means the same."""
    traces = [_as_arrays(trace) for trace in spec.get("data") or ()]
    return go.Figure({**spec, "data": traces}, _validate=False)


def _as_arrays(value):
    """value with every pandas Series, Index or DataFrame in it as a NumPy array."""
    if isinstance(value, pd.Series | pd.Index | pd.DataFrame):
        return value.to_numpy()
    if isinstance(value, Mapping):
        return {key: _as_arrays(item) for key, item in value.items()}
    return value


def spec(
    traces: Sequence[Mapping],
    title: str,
    *,
    layout: Mapping | None = None,
    y_title: str | None = None,
    x_title: str | None = None,
    percent: bool = False,
    height: int = 380,
    legend: bool = True,
    target: float | None = None,
    target_label: str = "Mål",
    target_percent: bool = True,
    month_ticks: bool = False,
) -> dict:
    """{"data", "layout"} of a chart as style() draws it: traces as {"type": "bar", ...}, layout the
    chart's own keys, merged over the house look key by key (nested dicts merged, None unsets);
    the house axis looks go to every axis the layout names (xaxis2 …), else to xaxis and yaxis.
    target draws add_target_line's line, month_ticks month_axis's ticks."""
    built = house_layout(title, height=height, legend=legend)
    x_axis, y_axis = axis_looks(x_title, y_title, percent)
    if month_ticks:
        x_axis["tickformat"] = "%Y-%m"
    axes = {"xaxis": x_axis, "yaxis": y_axis}
    own = dict(layout or {})
    for prefix, props in axes.items():
        keys = [k for k in own if k == prefix or (k.startswith(prefix) and k[len(prefix) :].isdigit())]
        for key in keys or [prefix]:
            built[key] = merge({}, props)
    merge(built, own)
    if target is not None:
        shape, note = target_line(target, target_label, target_percent)
        built["shapes"] = [*built.get("shapes", ()), shape]
        built["annotations"] = [*built.get("annotations", ()), note]
    data = [dict(t) if isinstance(t, Mapping) else t.to_plotly_json() for t in traces]
    return {"data": distinguish_line_dicts(data), "layout": without_none(built)}


def house_layout(title: str, *, height: int = 380, legend: bool = True) -> dict:
    """The layout keys every chart shares, as style() sets them."""
    return {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        "separators": SEPARATORS,
        "font": {"family": FONT, "size": 13},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "showlegend": legend,
        "legend": {"orientation": "h", "yanchor": "bottom", "y": -0.3, "x": 0},
        "hoverlabel": {"font": {"family": FONT}},
    }


def axis_looks(x_title: str | None, y_title: str | None, percent: bool = False) -> tuple[dict, dict]:
    """The house look of the x and y axes (None titles unset)."""
    x_axis = {"title": {"text": x_title}, "showgrid": False, "linecolor": "#888"}
    y_axis = {
        "title": {"text": y_title},
        "gridcolor": "#E5E5E5",
        "zerolinecolor": "#BBB",
        "rangemode": "tozero",
    }
    if percent:
        y_axis["ticksuffix"] = " %"
    return x_axis, y_axis


def target_text(target: float, label: str = "Mål", percent: bool = True) -> str:
    """A target line's label: 'Mål: 4,5 %'."""
    return f"{label}: {target:.1f}".replace(".", ",") + (" %" if percent else "")


def target_line(target: float, label: str = "Mål", percent: bool = True) -> tuple[dict, dict]:
    """The shape and annotation add_target_line draws (what Plotly's add_hline makes of it)."""
    text = target_text(target, label, percent)
    shape = {
        "type": "line",
        "name": "Mål",
        "line": {"color": TARGET_COLOR, "dash": "dash", "width": 2},
        "x0": 0,
        "x1": 1,
        "xref": "x domain",
        "y0": target,
        "y1": target,
        "yref": "y",
    }
    note = {
        "font": {"color": TARGET_COLOR},
        "showarrow": False,
        "text": text,
        "x": 0,
        "xanchor": "left",
        "xref": "x domain",
        "y": target,
        "yanchor": "bottom",
        "yref": "y",
    }
    return shape, note


def merge(into: dict, values: Mapping) -> dict:
    """values merged into into, nested dicts key by key as Plotly's update merges them."""
    for key, value in values.items():
        if isinstance(value, Mapping) and isinstance(into.get(key), dict):
            merge(into[key], value)
        elif isinstance(value, Mapping):
            into[key] = merge({}, value)
        else:
            into[key] = value
    return into


def without_none(value):
    """A layout without keys set to None (Plotly leaves them unset), nor dicts emptied by that."""
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        cleaned = without_none(item)
        if cleaned is None or (isinstance(item, dict) and item and not cleaned):
            continue
        out[key] = cleaned
    return out


def distinguish_line_dicts(traces: list[dict]) -> list[dict]:
    """distinguish_lines for traces still as dicts."""
    lines = [
        t for t in traces if t.get("type", "scatter") == "scatter" and "lines" in (t.get("mode") or "lines")
    ]
    series = list(dict.fromkeys(t.get("legendgroup") or t.get("name") for t in lines))
    if len(series) < 2:
        return traces
    for trace in lines:
        i = series.index(trace.get("legendgroup") or trace.get("name"))
        line = trace["line"] = dict(trace.get("line") or {})
        marker = trace["marker"] = dict(trace.get("marker") or {})
        if line.get("dash") is None:
            line["dash"] = LINE_DASHES[i % len(LINE_DASHES)]
        if marker.get("symbol") is None:
            marker["symbol"] = MARKER_SYMBOLS[i % len(MARKER_SYMBOLS)]
    return traces


def distinguish_lines(fig: go.Figure) -> go.Figure:
    """Give each line series of a chart with several its own dash pattern and marker shape (a series
    drawn in two subplots, one legend group, gets the same); styles a builder set are kept."""
    lines = [t for t in fig.data if t.type == "scatter" and "lines" in (t.mode or "lines")]
    series = list(dict.fromkeys(t.legendgroup or t.name for t in lines))
    if len(series) < 2:
        return fig
    for trace in lines:
        i = series.index(trace.legendgroup or trace.name)
        if trace.line.dash is None:
            trace.line.dash = LINE_DASHES[i % len(LINE_DASHES)]
        if trace.marker.symbol is None:
            trace.marker.symbol = MARKER_SYMBOLS[i % len(MARKER_SYMBOLS)]
    return fig


def add_target_line(
    fig: go.Figure, target: float | None, label: str = "Mål", percent: bool = True
) -> go.Figure:
    """A dashed horizontal target line with its value written beside it."""
    if target is None:
        return fig
    text = target_text(target, label, percent)
    fig.add_hline(
        y=target,
        line_dash="dash",
        line_color=TARGET_COLOR,
        line_width=2,
        annotation_text=text,
        annotation_position="top left",
        annotation_font_color=TARGET_COLOR,
        name="Mål",
    )
    return fig


def empty_figure(message: str, title: str = "", height: int = 300) -> go.Figure:
    """A blank chart carrying a Swedish explanation instead of data."""
    return checked_figure(empty_spec(message, title, height))


def empty_spec(message: str, title: str = "", height: int = 300) -> dict:
    """empty_figure as {"data", "layout"}."""
    note = {
        "text": message,
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "showarrow": False,
        "font": {"size": 14, "color": "#555"},
    }
    layout = {"annotations": [note], "xaxis": {"visible": False}, "yaxis": {"visible": False}}
    return spec([], title, layout=layout, height=height, legend=False)


def month_axis(fig: go.Figure) -> go.Figure:
    """Month ticks in Swedish short form on a date x-axis (labels set explicitly, not by locale)."""
    fig.update_xaxes(tickformat="%Y-%m")
    return fig


def short_org_name(name: str) -> str:
    """An organisation name without its trailing 'förvaltning' word, for crowded axes:
    'Björkdalens stadsdelsförvaltning' → 'Björkdalens'."""
    words = str(name).split()
    if len(words) > 1 and words[-1].lower().endswith("förvaltning"):
        return " ".join(words[:-1])
    return str(name)


def wrap_label(text: str, width: int = 16) -> str:
    """A category label broken into lines of about `width` characters (<br>), so axis labels of
    organisation names need not be rotated or cut."""
    words, lines = str(text).split(), []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines) or str(text)
