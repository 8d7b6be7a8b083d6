"""Text alternatives for charts: one Swedish sentence that says what a figure shows.

The sentence is drawn from the figure's own data, so it says the same as the chart: a builder
that knows better sets its own with set_summary; every other figure gets the generic summary of
its lines (first and last value), bars (highest and lowest) or heatmap (largest and smallest cell).
Shown as the chart's caption on the pages and as the figure's alt text in the report.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from html import unescape

import plotly.graph_objects as go
from plotly.basedatatypes import BaseFigure

from kfp_metrics.format import manad, procent, tal

# The layout.meta key of a builder's own summary (set_summary, or in a figure built from dicts).
SUMMARY_KEY = "sammanfattning"
_KEY = SUMMARY_KEY
_TAGS = re.compile(r"<[^>]+>")
MAX_SERIES = 4


def set_summary(fig: go.Figure, text: str) -> go.Figure:
    """Give the figure its own one-sentence summary (instead of the generic one)."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    # One property set: update_layout would walk the whole layout for it.
    fig.layout.meta = {**meta, _KEY: text}
    return fig


def _parts(fig) -> tuple[list[dict], dict]:
    """The figure's traces and layout as Plotly holds them (only the properties set, as reading them
    one by one through the figure gives): read without building a property object for each."""
    if isinstance(fig, BaseFigure):
        return fig._data, fig._layout
    return fig.get("data") or [], fig.get("layout") or {}


def _get(props: dict | None, *path):
    """A nested property (None where unset), as fig.layout.title.text reads it."""
    for key in path:
        if not isinstance(props, dict):
            return None
        props = props.get(key)
    return props


def summary(fig: go.Figure, title: str | None = None) -> str:
    """The figure's one-sentence Swedish summary: its own if set, else drawn from its data.

    title stands for the figure's own title where that is drawn outside it (the report)."""
    data, layout = _parts(fig)
    meta = layout.get("meta")
    if isinstance(meta, dict) and meta.get(_KEY):
        return str(meta[_KEY])
    return _generic(data, layout, _subject(layout, title))


def plain(text) -> str:
    """A label as read aloud: line breaks of axis labels and markup removed."""
    return " ".join(unescape(_TAGS.sub(" ", str(text))).split())


def subject(fig: go.Figure, title: str | None = None) -> str:
    """What the chart shows: its title without the scope and period after the dash."""
    return _subject(_parts(fig)[1], title)


def _subject(layout: dict, title: str | None = None) -> str:
    text = plain(title if title is not None else (_get(layout, "title", "text") or ""))
    return text.split(" – ")[0].strip()


def lower_first(name: str) -> str:
    """A series name inside a sentence: 'Kvinnor' → 'kvinnor', but 'HME' and 'Barn och Unga' kept."""
    if len(name) > 1 and name[0].isupper() and not any(ch.isupper() for ch in name[1:]):
        return name[0].lower() + name[1:]
    return name


def _is_percent(axis: dict | None) -> bool:
    return "%" in str(_get(axis, "ticksuffix") or "") or "%" in str(_get(axis, "title", "text") or "")


def formatter(values, percent: bool):
    """A function writing one value of this series in Swedish form, with 0 or 1 decimals."""
    whole = all(float(v).is_integer() for v in values)
    decimals = 0 if whole and not percent else 1
    if percent:
        return lambda v: procent(v, decimals)
    return lambda v: tal(v, decimals)


def _when(value) -> str:
    """An x value as words: a month in long form, anything else as written."""
    if isinstance(value, dt.date | dt.datetime):
        return manad(value)
    if hasattr(value, "astype") and "datetime64" in str(getattr(value, "dtype", "")):
        return manad(value.astype("datetime64[D]").item())
    if hasattr(value, "to_pydatetime"):
        return manad(value.to_pydatetime())
    return plain(value)


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _points(trace: dict) -> list[tuple[object, float]]:
    """The (x, y) points of a trace with a numeric y, in order, gaps left out."""
    xs = list(trace["x"]) if trace.get("x") is not None else []
    ys = list(trace["y"]) if trace.get("y") is not None else []
    pairs = ((x, _number(y)) for x, y in zip(xs, ys, strict=False))
    return [(x, y) for x, y in pairs if y is not None]


def _annotation_texts(layout: dict) -> list:
    """The texts of the layout's annotations that have one."""
    return [a.get("text") for a in layout.get("annotations") or () if a.get("text")]


def _targets(layout: dict) -> str:
    """'mål 6,0 %' from the target lines' labels ('Mål: 6,0 %', 'Mål totalt: 6,0 %')."""
    texts = [
        plain(text).replace(":", "")
        for text in _annotation_texts(layout)
        if plain(text).lower().startswith("mål")
    ]
    return ", ".join(t[0].lower() + t[1:] for t in texts)


def change(name: str, first: float, last: float, fmt) -> str:
    """ "X har ökat från A till B", "X har minskat …" or "X är oförändrad på A", values written by fmt."""
    a, b = fmt(first), fmt(last)
    if a == b:
        return f"{name} är oförändrad på {a}"
    verb = "ökat" if last > first else "minskat"
    return f"{name} har {verb} från {a} till {b}"


def _lines(layout: dict, traces: list[dict], head: str) -> str:
    series = [(t, _points(t)) for t in traces]
    series = [(t, p) for t, p in series if p]
    if not series:
        return ""
    percent = _is_percent(layout.get("yaxis"))
    start, end = series[0][1][0][0], series[0][1][-1][0]
    parts = []
    for i, (trace, points) in enumerate(series[:MAX_SERIES]):
        fmt = formatter([y for _, y in points], percent)
        name = plain(trace.get("name") or "värdet")
        parts.append(change(name if i == 0 else lower_first(name), points[0][1], points[-1][1], fmt))
    if len(series) > MAX_SERIES:
        parts.append(f"och {len(series) - MAX_SERIES} serier till")
    span = f"{_when(start)}–{_when(end)}" if _when(start) != _when(end) else _when(start)
    text = f"{head}, {span}: " if head else f"{span}: "
    return text + ", ".join(parts)


def _bars(layout: dict, traces: list[dict], head: str) -> str:
    horizontal = traces[0].get("orientation") == "h"
    value_axis = layout.get("xaxis") if horizontal else layout.get("yaxis")
    percent = _is_percent(value_axis)

    def pairs(trace):
        cats = list(trace.get("y") if horizontal else trace.get("x"))
        vals = list(trace.get("x") if horizontal else trace.get("y"))
        pairs = ((plain(c), _number(v)) for c, v in zip(cats, vals, strict=False))
        return [(c, abs(v)) for c, v in pairs if v is not None]

    if layout.get("barmode") == "stack" and len(traces) > 1:
        totals: dict[str, float] = {}
        for trace in traces:
            for cat, value in pairs(trace):
                totals[cat] = totals.get(cat, 0.0) + value
        groups = [("sammanlagt", list(totals.items()))]
    else:
        groups = [
            (plain(t.get("name")) if len(traces) > 1 and t.get("name") else "", pairs(t)) for t in traces
        ]
    parts = []
    for name, items in groups[:MAX_SERIES]:
        if not items:
            continue
        fmt = formatter([v for _, v in items], percent)
        high = max(items, key=lambda item: item[1])
        low = min(items, key=lambda item: item[1])
        prefix = f"{name} – " if name else ""
        if len(items) == 1 or high[1] == low[1]:
            parts.append(f"{prefix}{', '.join(c for c, _ in items)} {fmt(high[1])}")
        else:
            parts.append(f"{prefix}högst {high[0]} ({fmt(high[1])}), lägst {low[0]} ({fmt(low[1])})")
    return (f"{head}: " if head else "") + "; ".join(parts)


def _heatmap(traces: list[dict], head: str) -> str:
    cells = []
    for trace in traces:
        for r, row in enumerate(trace.get("z") or ()):
            for c, value in enumerate(row):
                if _number(value) is not None:
                    cells.append((_number(value), plain(trace.get("y")[r]), plain(trace.get("x")[c])))
    if not cells:
        return ""
    fmt = formatter([v for v, _, _ in cells], False)
    high, low = max(cells), min(cells)
    return (
        f"{head}: " if head else ""
    ) + f"störst {high[1]}, {high[2]} ({fmt(high[0])}), minst {low[1]}, {low[2]} ({fmt(low[0])})"


def _generic(data: list[dict], layout: dict, head: str) -> str:
    traces = [t for t in data if t.get("visible") in (None, True)]
    lines = [t for t in traces if t.get("type") == "scatter" and "lines" in (t.get("mode") or "lines")]
    bars = [t for t in traces if t.get("type") == "bar"]
    heatmaps = [t for t in traces if t.get("type") == "heatmap"]
    if not traces:
        notes = [plain(text) for text in _annotation_texts(layout)]
        message = " ".join(notes) or "Underlag saknas."
        return f"{head}: diagrammet visar inga värden. {message}" if head else message
    if lines:
        text = _lines(layout, lines, head)
    elif bars:
        text = _bars(layout, bars, head)
    elif heatmaps:
        text = _heatmap(heatmaps, head)
    else:
        points = max(len(t["x"]) if t.get("x") is not None else 0 for t in traces)
        text = f"{head}: {points} punkter" if head else f"{points} punkter"
    targets = _targets(layout)
    if targets:
        text += f"; {targets}"
    return (text or head or "Diagram").rstrip(".") + "."
