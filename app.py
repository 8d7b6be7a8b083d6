"""KFP-dashboard: kompetensförsörjning för förvaltning och nämnd."""

import streamlit as st

from kfp_metrics.ui import navigation

st.set_page_config(page_title=navigation.PAGE_TITLE, page_icon=navigation.PAGE_ICON, layout="wide")

# Each page draws the shared sidebar (menu, validation, filters) via kfp_metrics.ui.filters.current().
st.navigation(navigation.pages(), position="hidden").run()
