"""KFP-dashboard: kompetensförsörjning för förvaltning och nämnd."""

import streamlit as st

st.set_page_config(page_title="Kompetensförsörjning", page_icon=":material/groups:", layout="wide")

PAGES = {
    "Översikt": [
        st.Page("pages/oversikt.py", title="Översikt", icon=":material/dashboard:", default=True),
    ],
    "Analys": [
        st.Page("pages/personal.py", title="Personal", icon=":material/badge:"),
        st.Page("pages/rorlighet.py", title="Rörlighet och pension", icon=":material/swap_horiz:"),
        st.Page("pages/sjukfranvaro.py", title="Sjukfrånvaro", icon=":material/medical_services:"),
        st.Page("pages/heltid.py", title="Heltid", icon=":material/schedule:"),
        st.Page("pages/medarbetarenkat.py", title="Medarbetarenkät", icon=":material/forum:"),
        st.Page("pages/incidenter.py", title="Incidenter", icon=":material/report:"),
        st.Page("pages/kompetensgap.py", title="Kompetensgap", icon=":material/school:"),
    ],
    "Plan och rapport": [
        st.Page("pages/aktiviteter.py", title="Aktiviteter", icon=":material/checklist:"),
        st.Page("pages/namndrapport.py", title="Nämndrapport", icon=":material/print:"),
    ],
}

# Each page draws the shared sidebar (validation, filters) through kfp_metrics.ui.filters.current().
st.navigation(PAGES).run()
