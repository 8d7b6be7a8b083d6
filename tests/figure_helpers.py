"""Looking into a Plotly figure's JSON: every number and text a reader (or a scraper) could get at."""

from __future__ import annotations

import math

import plotly.graph_objects as go


def _walk(value, numbers: list[float], texts: list[str]) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _walk(item, numbers, texts)
    elif isinstance(value, list | tuple):
        for item in value:
            _walk(item, numbers, texts)
    elif hasattr(value, "tolist"):
        _walk(value.tolist(), numbers, texts)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        if not (isinstance(value, float) and math.isnan(value)):
            numbers.append(float(value))
    elif isinstance(value, str):
        texts.append(value)


def contents(fig: go.Figure) -> tuple[list[float], list[str]]:
    """All numbers and strings in the traces and annotations (not the template)."""
    plain = fig.to_plotly_json()
    numbers: list[float] = []
    texts: list[str] = []
    _walk(plain["data"], numbers, texts)
    _walk(plain["layout"].get("annotations", []), numbers, texts)
    _walk(plain["layout"].get("shapes", []), numbers, texts)
    return numbers, texts


def assert_absent(fig: go.Figure, value: float, formatted: tuple[str, ...] = ()) -> None:
    """The value is nowhere in the figure: not as a number, nor as any of the given texts."""
    numbers, texts = contents(fig)
    assert not any(math.isclose(n, value, rel_tol=1e-9, abs_tol=1e-9) for n in numbers), value
    for text in formatted:
        assert not any(text in t for t in texts), text


def target_lines(fig: go.Figure) -> list[float]:
    """The y of every horizontal line shape (charts.add_target_line)."""
    return [s.y0 for s in fig.layout.shapes if s.type == "line" and s.y0 == s.y1]
