"""The report's charts as PNG images, drawn offline by Kaleido in Debian's Chromium.

One browser is started for all the charts of a document and closed afterwards. The page that draws
them loads plotly.py's own plotly.js and the same Swedish locale as the HTML report, so month names
and decimal commas read as in the PDF.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

import plotly.graph_objects as go

from kfp_metrics.rapport.content import PRINT_WIDTH_PX

CHROMIUM = "/usr/bin/chromium"
# Pixels per CSS pixel: a 640 px wide chart becomes 1 920 px, sharp when printed 17 cm wide.
SCALE = 3
DEFAULT_HEIGHT = 380
TIMEOUT_S = 60


class BilderSaknas(RuntimeError):
    """The charts could not be drawn (no browser, Kaleido missing or a drawing failed)."""


def chromium_path() -> str | None:
    """The browser Kaleido drives: BROWSER_PATH if set, else Debian's Chromium."""
    path = os.environ.get("BROWSER_PATH") or CHROMIUM
    return path if Path(path).is_file() else None


def _locale_script(directory: Path) -> Path:
    from kfp_metrics.rapport.html import LOCALE_JS

    path = directory / "sv.js"
    path.write_text(LOCALE_JS + "\nPlotly.setPlotConfig({locale: 'sv'});\n", encoding="utf-8")
    return path


def storlek(fig: go.Figure) -> tuple[int, int]:
    """The chart's size in CSS pixels as the HTML report draws it."""
    return int(fig.layout.width or PRINT_WIDTH_PX), int(fig.layout.height or DEFAULT_HEIGHT)


async def _draw_all(figures: list[go.Figure], browser: str) -> list[bytes]:
    import kaleido

    with tempfile.TemporaryDirectory(prefix="kfp-bilder-") as tmp:
        page = kaleido.PageGenerator(mathjax=False, others=[_locale_script(Path(tmp)).as_uri()])
        async with kaleido.Kaleido(path=browser, page_generator=page, timeout=TIMEOUT_S) as k:
            images = []
            for fig in figures:
                width, height = storlek(fig)
                opts = {"format": "png", "width": width, "height": height, "scale": SCALE}
                images.append(await k.calc_fig(fig, opts=opts))
            return images


def png(figures: Iterable[go.Figure]) -> list[bytes]:
    """Each figure as PNG bytes, in order, all drawn by one browser; BilderSaknas when that fails."""
    figures = list(figures)
    if not figures:
        return []
    browser = chromium_path()
    if browser is None:
        raise BilderSaknas(f"Diagrammen kan inte ritas: webbläsaren saknas ({CHROMIUM}).")
    try:
        import kaleido  # noqa: F401
    except ImportError as exc:
        raise BilderSaknas(
            "Diagrammen kan inte ritas: paketet kaleido saknas (pip install kaleido)."
        ) from exc
    result: dict[str, object] = {}

    # A thread of its own, so that the event loop never meets one already running (Streamlit, tests).
    def work() -> None:
        try:
            result["images"] = asyncio.run(_draw_all(figures, browser))
        except Exception as exc:  # noqa: BLE001 - any failure of the browser becomes one Swedish message
            result["error"] = exc

    thread = threading.Thread(target=work, name="kfp-bilder")
    thread.start()
    thread.join()
    if "error" in result:
        raise BilderSaknas(f"Diagrammen kunde inte ritas: {result['error']}") from result["error"]
    return result["images"]  # type: ignore[return-value]
