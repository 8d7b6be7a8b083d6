"""Accessibility pieces every page shares: Swedish page language and the project's own styles.

Colours and contrast come from the theme (.streamlit/config.toml); the styles here add what the
theme has no option for (a clearly visible keyboard focus on every control). Called once per run
from the shell, before anything else is drawn, so every page gets it, error pages included.
"""

from __future__ import annotations

import streamlit as st

LANG = "sv"

# Streamlit writes <html lang="en"> into its page and has no option to change it
# (streamlit/streamlit#15726). This sets the document language once per page load and keeps it
# when anything sets it back. Drop this workaround when Streamlit gains a page-language option.
_LANG_SCRIPT = f"""<script>
(() => {{
  const root = document.documentElement;
  const keep = () => {{ if (root.lang !== "{LANG}") root.lang = "{LANG}"; }};
  keep();
  if (!window.kfpSprakVakt) {{
    window.kfpSprakVakt = new MutationObserver(keep);
    window.kfpSprakVakt.observe(root, {{ attributes: true, attributeFilter: ["lang"] }});
  }}
}})();
</script>"""

# The focus ring is the theme's primary colour (#0072B2, 5,3:1 against white and the sidebar),
# drawn outside the control so that it never hides text. It applies to every control, so pages
# added later (login, no access) get it without doing anything.
FOCUS_COLOR = "#0072B2"
CSS = f"""<style>
:focus-visible {{
  outline: 3px solid {FOCUS_COLOR} !important;
  outline-offset: 2px !important;
}}
[data-baseweb="select"]:focus-within, [data-baseweb="input"]:focus-within,
[data-baseweb="textarea"]:focus-within {{
  outline: 3px solid {FOCUS_COLOR};
  outline-offset: 1px;
}}
[data-testid="stExpander"] summary:focus-visible, [role="tab"]:focus-visible {{
  outline-offset: -3px !important;
}}
[data-testid="stElementContainer"]:has(> .stHtml > .kfp-sprak) {{
  display: none;
}}
</style>"""


def apply() -> None:
    """The page language and the shared styles; call once per run, before the page draws."""
    st.html(CSS)
    st.html(f'<span class="kfp-sprak" hidden></span>{_LANG_SCRIPT}', unsafe_allow_javascript=True)
