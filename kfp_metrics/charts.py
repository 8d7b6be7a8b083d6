"""Plotly building blocks shared by every chart, on screen and in the printed report."""

from __future__ import annotations

from collections.abc import Iterable

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
    """Apply the house look: Swedish separators, title stating scope and period, readable fonts."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        separators=SEPARATORS,
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        plot_bgcolor="white",
        paper_bgcolor="white",
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "bottom", "y": -0.3, "x": 0},
        hoverlabel={"font": {"family": FONT}},
    )
    fig.update_xaxes(title_text=x_title, showgrid=False, linecolor="#888")
    fig.update_yaxes(title_text=y_title, gridcolor="#E5E5E5", zerolinecolor="#BBB", rangemode="tozero")
    if percent:
        fig.update_yaxes(ticksuffix=" %")
    return distinguish_lines(fig)


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
    text = f"{label}: {target:.1f}".replace(".", ",") + (" %" if percent else "")
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
    fig = go.Figure()
    fig.add_annotation(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 14, "color": "#555"},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return style(fig, title, height=height, legend=False)


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
