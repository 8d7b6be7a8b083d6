"""Drawing KPI cards: value, change against last year, target light and a link to the page."""

from __future__ import annotations

import streamlit as st

from kfp_metrics import catalog
from kfp_metrics.oversikt import Card
from kfp_metrics.personal import Kpi

_COLORS = {"gron": "green", "gul": "orange", "rod": "red"}


def render(card: Card) -> None:
    """Draw one card in a bordered container with a link to its page."""
    with st.container(border=True, key=f"kort_{card.key}"):
        st.caption(card.label)
        st.markdown(f"### {card.value}")
        if card.change:
            color = "gray" if card.change_good is None else ("green" if card.change_good else "red")
            st.markdown(f":{color}[{card.change}]")
        if card.target_text:
            if card.target_status:
                label = catalog.TARGET_STATUS_LABELS[card.target_status]
                st.markdown(f":{_COLORS[card.target_status]}-badge[{label}] {card.target_text}")
            else:
                st.markdown(card.target_text)
        if card.note:
            st.caption(card.note)
        if card.jamforelse:
            st.caption(card.jamforelse, help=card.jamforelse_hjalp)
            if card.jamforelse_egen:
                st.caption(card.jamforelse_egen)
        if card.page:
            st.page_link(card.page, label=card.page_label or "Visa sidan", icon=":material/arrow_forward:")


def kpi_row(kpis: list[Kpi], jamforelser: dict | None = None) -> None:
    """A page's key figures side by side, one bordered st.metric box each; under a figure with a
    Kolada counterpart (jamforelser by metric id) its values and the own calendar-year value."""
    for column, kpi in zip(st.columns(len(kpis)), kpis, strict=True):
        with column:
            st.metric(
                kpi.label,
                kpi.value,
                kpi.delta,
                delta_color=kpi.color,
                help=kpi.help,
                border=True,
                delta_arrow=kpi.arrow,
                delta_description=kpi.description,
            )
            comparison = (jamforelser or {}).get(kpi.metric_id) if kpi.metric_id else None
            if comparison is not None:
                st.caption(comparison.rad, help=comparison.hjalp)
                if comparison.egen_text:
                    st.caption(comparison.egen_text)
