"""KFP-dashboard: kompetensförsörjning för förvaltning och nämnd."""

import streamlit as st

from kfp_metrics.queries import shared_results
from kfp_metrics.ui import navigation

st.set_page_config(page_title=navigation.PAGE_TITLE, page_icon=navigation.PAGE_ICON, layout="wide")

# Each page draws the shared sidebar (menu, validation, filters) via kfp_metrics.ui.filters.current().
# Within one run of a page, a query its figures ask twice (a key figure and a chart behind it cached
# apart) runs once.
with shared_results():
    st.navigation(navigation.pages(), position="hidden").run()
