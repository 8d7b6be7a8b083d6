"""Kolada's comparisons for the pages: the shown municipalities from the settings, cached values."""

from __future__ import annotations

import streamlit as st

from kfp_metrics.kolada import diagram, installningar, jamforelse
from kfp_metrics.kolada.kpi import counterpart
from kfp_metrics.queries import Scope
from kfp_metrics.ui import compute


def shown_ids() -> tuple[str, ...]:
    """The municipalities and groups the settings show, among those the table holds."""
    return installningar.shown(installningar.load(), compute.call(jamforelse.held_ids))


def jamforelser(f, metrics: tuple[str, ...]) -> dict[str, jamforelse.Jamforelse]:
    """The comparisons of these metrics for the person's period and scope ({} without the table)."""
    visa = shown_ids()
    if not visa:
        return {}
    return compute.call(jamforelse.jamforelser, f.period, f.scope, metrics=tuple(metrics), visa=visa)


def serier(f, metric_id: str) -> tuple:
    """(kommun, år, värde) for the chart markers of one metric: Kolada's values, the same for every
    scope, so computed once for all of them."""
    visa = shown_ids()
    if not visa:
        return ()
    return compute.call(jamforelse.serier, f.period, Scope(), metric_id=metric_id, visa=visa)


def note(items) -> None:
    """The caption under figures shown with Kolada: how definitions differ and the source."""
    text = jamforelse.caption(list(items))
    if text:
        st.caption(text)


def marker_note(f, metric_id: str, frame) -> None:
    """The caption saying what the Kolada markers on the chart of frame are, when it shows any."""
    m = counterpart(metric_id)
    kind = "ar" if m is not None and m.omrade == "medarbetarenkat" else "december"
    if m is not None and diagram.within(serier(f, metric_id), frame, kind):
        st.caption(diagram.MARKER_NOTES[m.omrade])
