"""'Visa data': the table behind a chart, with CSV and Excel downloads of exactly that table."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from kfp_metrics.exports import csv_bytes, excel_bytes


def _slug(text: str) -> str:
    return re.sub(
        r"[^a-z0-9]+", "_", text.lower().replace("å", "a").replace("ä", "a").replace("ö", "o")
    ).strip("_")


def show_data(frame: pd.DataFrame, title: str, key: str) -> None:
    """An expander 'Visa data' with the table and download buttons; key must be unique per page."""
    with st.expander("Visa data"):
        st.dataframe(frame, hide_index=True, width="stretch", key=f"tabell_{key}")
        name = _slug(title) or key
        left, right = st.columns(2)
        left.download_button(
            "Ladda ner CSV", csv_bytes(frame), file_name=f"{name}.csv", mime="text/csv", key=f"csv_{key}"
        )
        right.download_button(
            "Ladda ner Excel",
            excel_bytes(frame, title),
            file_name=f"{name}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"xlsx_{key}",
        )


def plotly(fig, key: str) -> None:
    """A Plotly chart at full width with the Swedish locale for its built-in texts."""
    st.plotly_chart(
        fig, width="stretch", theme=None, key=f"diagram_{key}", config={"locale": "sv", "displaylogo": False}
    )
