"""The page list, read by app.py for st.navigation and by the shell for the sidebar menu."""

from __future__ import annotations

import streamlit as st

PAGE_TITLE = "Kompetensförsörjning"
PAGE_ICON = ":material/groups:"

# (section, [(file, title, icon)]); the first page is the start page.
SECTIONS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    ("Översikt", (("pages/oversikt.py", "Översikt", ":material/dashboard:"),)),
    (
        "Analys",
        (
            ("pages/personal.py", "Personal", ":material/badge:"),
            ("pages/rorlighet.py", "Rörlighet och pension", ":material/swap_horiz:"),
            ("pages/sjukfranvaro.py", "Sjukfrånvaro", ":material/medical_services:"),
            ("pages/heltid.py", "Heltid", ":material/schedule:"),
            ("pages/medarbetarenkat.py", "Medarbetarenkät", ":material/forum:"),
            ("pages/incidenter.py", "Incidenter", ":material/report:"),
            ("pages/kompetensgap.py", "Kompetensgap", ":material/school:"),
            ("pages/jamstalldhet.py", "Jämställdhet", ":material/balance:"),
        ),
    ),
    (
        "Plan och rapport",
        (
            ("pages/prognos.py", "Prognos", ":material/trending_up:"),
            ("pages/aktiviteter.py", "Aktiviteter", ":material/checklist:"),
            ("pages/namndrapport.py", "Nämndrapport", ":material/print:"),
        ),
    ),
)


def pages() -> list:
    """st.Page objects for st.navigation, the first one the default."""
    out = []
    for _, entries in SECTIONS:
        for path, title, icon in entries:
            out.append(st.Page(path, title=title, icon=icon, default=not out))
    return out


def sidebar_menu() -> None:
    """The grouped page menu in the sidebar.

    Drawn by the shell rather than by Streamlit so that it looks the same when a shared link
    opens a page directly on a freshly started server (Streamlit then runs the page file alone).
    """
    for section, entries in SECTIONS:
        st.sidebar.caption(section)
        for path, title, icon in entries:
            st.sidebar.page_link(path, label=title, icon=icon)
    st.sidebar.divider()
