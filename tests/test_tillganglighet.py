"""Accessibility that needs no browser: the theme's contrast, lines told apart by more than colour,
the page-language workaround, and docs/tillganglighet.md naming exactly the pages the tests cover."""

from __future__ import annotations

import re
import tomllib

import plotly.graph_objects as go
import pytest
from test_browser import PAGES

from kfp_metrics import charts
from kfp_metrics.ui import navigation, tillganglighet

ROOT = navigation.__file__.rsplit("/kfp_metrics/", 1)[0]
DOC = f"{ROOT}/docs/tillganglighet.md"


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of #rrggbb."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def blend(colour: str, background: str, alpha: float) -> str:
    mix = [
        round(alpha * int(colour[i : i + 2], 16) + (1 - alpha) * int(background[i : i + 2], 16))
        for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{c:02x}" for c in mix)


def test_contrast_formula():
    # Known pairs: black on white is 21:1, Streamlit's default caption grey on white 3,89:1.
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast(blend("#2f2d2b", "#ffffff", 0.6), "#ffffff") == pytest.approx(3.89, abs=0.01)


@pytest.mark.parametrize("background", ["#ffffff", "#f8f8f7", "#f1f0ee"])  # page, sidebar, widget
def test_theme_text_reaches_4_5_to_1_even_when_faded(background):
    """Streamlit draws captions and help texts in the text colour at 60 % opacity."""
    theme = tomllib.loads(open(f"{ROOT}/.streamlit/config.toml", encoding="utf-8").read())["theme"]
    text = theme["textColor"].lower()
    assert contrast(text, background) >= 7
    assert contrast(blend(text, background, 0.6), background) >= 4.5
    assert contrast(theme["primaryColor"].lower(), background) >= 4.5  # links and the focus ring
    assert contrast(tillganglighet.FOCUS_COLOR.lower(), background) >= 3


def lines(*names, group=None):
    fig = go.Figure()
    for name in names:
        fig.add_trace(go.Scatter(x=[1, 2], y=[1, 2], name=name, mode="lines+markers", legendgroup=group))
    return fig


def test_several_lines_differ_in_dash_and_marker():
    fig = charts.style(lines("Totalt", "Kvinnor", "Män"), "Heltid")
    assert [t.line.dash for t in fig.data] == ["solid", "dash", "dot"]
    assert [t.marker.symbol for t in fig.data] == ["circle", "square", "diamond"]


def test_one_line_keeps_its_look_and_a_builders_style_is_kept():
    assert charts.style(lines("Sjukfrånvaro"), "x").data[0].line.dash is None
    fig = lines("A", "B")
    fig.data[1].line.dash = "longdash"
    charts.distinguish_lines(fig)
    assert [t.line.dash for t in fig.data] == ["solid", "longdash"]


def test_a_series_in_two_subplots_looks_the_same_in_both():
    fig = go.Figure()
    for name in ("Lärare", "Lärare", "Sköterska", "Sköterska"):
        fig.add_trace(go.Scatter(x=[1], y=[1], name=name, legendgroup=name, mode="lines"))
    charts.distinguish_lines(fig)
    assert [t.line.dash for t in fig.data] == ["solid", "solid", "dash", "dash"]


def test_language_workaround_is_marked_for_removal():
    script = tillganglighet._LANG_SCRIPT
    assert 'root.lang = "sv"' in script and "MutationObserver" in script
    source = open(tillganglighet.__file__, encoding="utf-8").read()
    assert "streamlit/streamlit#15726" in source and "Drop this workaround" in source


def documented_pages() -> list[str]:
    text = open(DOC, encoding="utf-8").read()
    block = text.split("Sidor som testas:", 1)[1].split("\n\n", 2)[1]
    return [line[2:].strip() for line in block.splitlines() if line.startswith("- ")]


def test_statement_lists_exactly_the_pages_the_tests_cover():
    titles = [title for _, entries in navigation.SECTIONS for _, title, _ in entries]
    paths = [path for _, entries in navigation.SECTIONS for path, _, _ in entries]
    # test_browser.py runs axe on every page of the menu ...
    assert sorted(f"pages/{name}.py" for _, name in PAGES) == sorted(paths)
    # ... and the statement names those pages, then the error page and the report.
    pages = documented_pages()
    assert [re.sub(r" \(flikarna .*\)$", "", p) for p in pages[: len(titles)]] == titles
    assert pages[len(titles) :] == [
        "Felsidan för extrakt som inte klarar valideringen",
        "Nämndrapporten som HTML och PDF",
        # test_browser_inloggning.py, with a real login through the identity provider
        "Inloggningssidan, Översikt inloggad med begränsad behörighet och sidan för den som saknar behörighet",
    ]


def test_statement_names_the_tabs_the_tests_open():
    import test_browser

    tabs = dict(test_browser.TABBED_PAGES)
    for page in documented_pages():
        match = re.match(r"(.+) \(flikarna (.+)\)$", page)
        if match:
            path = {t: p for _, e in navigation.SECTIONS for p, t, _ in e}[match.group(1)]
            named = match.group(2).split(", ")
            assert named == tabs[path.removeprefix("pages/").removesuffix(".py")]


def test_statement_has_the_parts_digg_asks_for():
    text = open(DOC, encoding="utf-8").read()
    for heading in (
        "## Hur tillgänglig är webbplatsen?",
        "## Vad kan du göra om du inte kan använda delar av webbplatsen?",
        "## Rapportera brister i webbplatsens tillgänglighet",
        "## Tillsynsmyndighet",
        "## Teknisk information om webbplatsens tillgänglighet",
        "### Innehåll som inte är tillgängligt",
        "### Hur vi testat webbplatsen",
    ):
        assert heading in text
    assert "DIGG" in text and "WCAG 2.1" in text
