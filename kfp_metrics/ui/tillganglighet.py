"""Accessibility pieces every page shares: Swedish page language, Swedish names for Streamlit's and
Plotly's own controls (ui.svenska), charts named for screen readers and the project's own styles.

Colours and contrast come from the theme (.streamlit/config.toml); the styles here add what the
theme has no option for (a clearly visible keyboard focus on every control). Called once per run
from the shell, before anything else is drawn, so every page gets it, error pages included.
"""

from __future__ import annotations

import streamlit as st

from kfp_metrics.ui import svenska

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

# Streamlit's tables write numbers in the browser's own language (Intl.NumberFormat with
# navigator.languages, tables.number_columns) and take no language of their own: in a browser set to
# English the Visa data tables showed 2,130 and 7.1 beside the charts' 2 130 and 7,1. The page's
# numbers are Swedish whatever the browser's language, as its words are.
_NUMBER_SCRIPT = f"""<script>
(() => {{
  const swedish = ["{LANG}-SE", "{LANG}"];
  if ((navigator.languages || [])[0] === swedish[0]) return;
  try {{
    Object.defineProperty(navigator, "languages", {{ get: () => swedish, configurable: true }});
    Object.defineProperty(navigator, "language", {{ get: () => swedish[0], configurable: true }});
  }} catch (e) {{}}
}})();
</script>"""

# A chart is one image to a screen reader, named by its title and described by the sentence under
# it (ui/tables.plotly draws the chart with key diagram_K and the sentence in container
# diagramtext_K); its axis ticks and legend are not read out one by one.
_CHART_SCRIPT = """<script>
(() => {
  if (window.kfpDiagramVakt) return;
  const describe = () => {
    for (const box of document.querySelectorAll('[class*="st-key-diagram_"]')) {
      const key = Array.from(box.classList).find(c => c.startsWith("st-key-diagram_"));
      const svgs = box.querySelectorAll(".js-plotly-plot svg.main-svg");
      if (!key || !svgs.length) continue;
      // The drawing is the first SVG; the later ones are hover layers, and the tool buttons stay usable.
      const plot = svgs[0];
      for (const layer of Array.from(svgs).slice(1)) layer.setAttribute("aria-hidden", "true");
      const title = box.querySelector(".js-plotly-plot .gtitle");
      const name = (title && title.textContent.trim()) || "Diagram";
      if (plot.getAttribute("aria-label") !== name) {
        plot.setAttribute("role", "img");
        plot.setAttribute("aria-label", name);
      }
      const text = document.querySelector("." + key.replace("st-key-diagram_", "st-key-diagramtext_") + " p");
      if (text) {
        text.id = key.slice(7) + "-text";
        if (plot.getAttribute("aria-describedby") !== text.id) plot.setAttribute("aria-describedby", text.id);
      }
    }
  };
  let queued = false;
  window.kfpDiagramVakt = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; describe(); });
  });
  window.kfpDiagramVakt.observe(document.body, { childList: true, subtree: true });
  describe();
})();
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
    st.html(
        f'<span class="kfp-sprak" hidden></span>{_LANG_SCRIPT}{_NUMBER_SCRIPT}{_CHART_SCRIPT}{svenska.script()}',
        unsafe_allow_javascript=True,
    )
