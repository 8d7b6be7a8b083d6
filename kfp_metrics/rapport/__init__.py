"""Nämndrapport: a printed A4 snapshot with key figures, charts, a drafted nulägesanalys and the plan.

content.collect gathers what the report shows, html.render makes one self-contained HTML page of
it and pdf.Skrivare prints that page with headless Chromium.
"""

from __future__ import annotations

import importlib

# Loaded on first use, so that `python -m kfp_metrics nyckeltal` does not import plotly and the
# report's builders only to register the rapport command.
_EXPORTS = {
    "AVSNITT": "kfp_metrics.rapport.avsnitt",
    "Options": "kfp_metrics.rapport.content",
    "Rapport": "kfp_metrics.rapport.content",
    "collect": "kfp_metrics.rapport.content",
    "Utskrift": "kfp_metrics.rapport.utskrift",
    "build": "kfp_metrics.rapport.utskrift",
    "filnamn": "kfp_metrics.rapport.utskrift",
    "skapa": "kfp_metrics.rapport.utskrift",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = sorted(_EXPORTS)
