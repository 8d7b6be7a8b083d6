"""What every page shares: validation at start, the sidebar filters and the data-status line."""

from __future__ import annotations

import streamlit as st

from kfp_metrics.extracts import locate_tables
from kfp_metrics.format import manad
from kfp_metrics.ui import data, filters, navigation
from kfp_metrics.ui.tillganglighet import apply as tillganglighet_apply


def _error_page(title: str, body: str) -> None:
    st.title("Extrakten kan inte läsas")
    st.error(title)
    if body:
        st.code(body, language=None, wrap_lines=True)
    st.markdown(
        "Rätta extrakten och ladda om sidan. Kontrollera dem först med "
        "`python -m kfp_metrics validate KATALOG`."
    )


def start() -> bool:
    """Validate the extracts and draw the sidebar; False (with a Swedish error page) when unusable."""
    st.set_page_config(page_title=navigation.PAGE_TITLE, page_icon=navigation.PAGE_ICON, layout="wide")
    tillganglighet_apply()
    navigation.sidebar_menu()
    directory = data.data_dir()
    if not directory.is_dir() or not locate_tables(directory):
        _error_page(
            f"Katalogen {directory} finns inte eller innehåller inga extrakt.",
            "Ange katalogen med miljövariabeln KFP_DATA_DIR.",
        )
        return False
    report = data.validation()
    if not report.ok:
        _error_page(f"Extrakten i {directory} klarar inte valideringen.", report.to_text())
        return False
    selected = filters.sidebar()
    if selected is None:
        return False
    warnings = len(report.warnings)
    state = "validerade, inga fel" + (f", {warnings} varningar" if warnings else "")
    st.sidebar.caption(f"Extrakt: {manad(selected.first_period)} – {manad(selected.last_period)} · {state}")
    if warnings:
        with st.sidebar.expander("Valideringens varningar"):
            st.text(report.to_text())
    return True
