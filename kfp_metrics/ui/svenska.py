"""Swedish words for the controls that Streamlit and Plotly draw themselves.

Streamlit writes its own controls in English and has no option for another language: the link
that skips to the content, the sidebar and menu buttons, "Choose an option" in an empty selectbox,
the file uploader's "Upload" and "200MB per file", the tables' toolbar (search, download,
fullscreen), the remove buttons of a multiselect's choices, the help icons' names ("Help for
Titel"); Plotly names the chart toolbar's buttons in English too. A screen reader reads those
names with a Swedish voice, and a sighted user sees English in a Swedish tool (WCAG 3.1.2).

SCRIPT puts the Swedish words below in their place, in the page's text and in the accessible
names, titles and placeholders, as soon as Streamlit draws them, and again whenever it redraws
them. Text that the project writes (Markdown, captions, tables' cells, what people type) is never
touched: only whole texts that are exactly one of Streamlit's or Plotly's own are replaced.
Drop an entry when Streamlit gains its own Swedish.
"""

from __future__ import annotations

import json
from functools import cache

# Streamlit's and Plotly's own texts, whole, and what the page shows instead.
TEXTS: dict[str, str] = {
    # the app's frame
    "Skip to main content": "Hoppa till huvudinnehållet",
    "Collapse sidebar": "Dölj sidopanelen",
    "Expand sidebar": "Visa sidopanelen",
    "Sidebar": "Sidopanel",
    "Main menu": "Huvudmeny",
    "App pages": "Appens sidor",
    "Rerun": "Kör om",
    "Settings": "Inställningar",
    "Print": "Skriv ut",
    "Record screen": "Spela in skärmen",
    "Record a screencast": "Spela in skärmen",
    "About": "Om",
    "Clear cache": "Töm cachen",
    "Clear caches": "Töm cachen",
    "Get help": "Hjälp",
    "Report a bug": "Rapportera ett fel",
    "Running...": "Arbetar …",
    "Stop": "Stoppa",
    "Stop script": "Stoppa",
    "Connecting": "Ansluter",
    "Connection error": "Anslutningsfel",
    "Try again": "Försök igen",
    "Link to heading": "Länk till rubriken",
    "Help": "Hjälp",
    # selectbox and multiselect
    "Open": "Öppna",
    "Close": "Stäng",
    "Cancel": "Avbryt",
    "Choose an option": "Välj",
    "Choose options": "Välj",
    "Select...": "Välj …",
    "Clear value": "Rensa värdet",
    "Clear all": "Rensa alla",
    "Selected values": "Valda värden",
    "Select all": "Markera alla",
    "No results": "Inga träffar",
    # tabs
    "Scroll tabs left": "Rulla flikarna åt vänster",
    "Scroll tabs right": "Rulla flikarna åt höger",
    # file uploader
    "file upload": "Välj fil att ladda upp",
    "Upload": "Välj fil",
    "Add files": "Lägg till filer",
    "Drag and drop a file here": "Dra och släpp en fil här",
    "Drag and drop files here": "Dra och släpp filer här",
    "Delete": "Ta bort",
    "Remove file": "Ta bort filen",
    # tables and the toolbar above every element
    "Show/hide columns": "Visa eller dölj kolumner",
    "Search": "Sök",
    "Fullscreen": "Helskärm",
    "Close fullscreen": "Stäng helskärm",
    "Toggle fullscreen": "Helskärm av eller på",
    "Download as CSV": "Ladda ner som CSV",
    "Copy to clipboard": "Kopiera",
    "Copy": "Kopiera",
    "Copy column name": "Kopiera kolumnens namn",
    "Sort ascending": "Sortera stigande",
    "Sort descending": "Sortera fallande",
    "Autosize": "Anpassa bredden",
    "Pin column": "Fäst kolumnen",
    "Unpin column": "Lossa kolumnen",
    "Hide column": "Dölj kolumnen",
    "No data": "Inga uppgifter",
    # the main menu's footer
    "Made with Streamlit v": "Gjord med Streamlit v",
    "Copy version to clipboard": "Kopiera versionsnumret",
    # Plotly's chart toolbar
    "Zoom": "Zooma",
    "Zoom in": "Zooma in",
    "Zoom out": "Zooma ut",
    "Pan": "Panorera",
    "Box Select": "Markera ett område",
    "Lasso Select": "Markera med lasso",
    "Autoscale": "Anpassa skalan",
    "Reset axes": "Återställ axlarna",
    "Reset view": "Återställ vyn",
    "Download plot as a PNG": "Ladda ner diagrammet som PNG",
    "Download plot": "Ladda ner diagrammet",
    "Toggle Spike Lines": "Stödlinjer av eller på",
    "Show closest data on hover": "Visa närmaste värde",
    "Compare data on hover": "Jämför värden",
    "Double-click to zoom back out": "Dubbelklicka för att zooma ut igen",
}

# Texts with a part of their own: (JavaScript regular expression, replacement).
PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^Help for (.+)$", "Hjälp om $1"),
    (r"^Remove (.+)$", "Ta bort $1"),
    (r"^(\d+) ?(KB|MB|GB) per file$", "Högst $1 $2 per fil"),
    (r"^(\d+)\.(\d+) ?(KB|MB|GB) per file$", "Högst $1,$2 $3 per fil"),
    # the uploader's refusals of a dropped file
    (r"^(.+) files are not allowed\.$", "Filtypen $1 tas inte emot."),
    (r"^File must be (\d+) ?(B|KB|MB|GB) or smaller\.$", "Filen får vara högst $1 $2."),
    (r"^File must be (\d+)\.(\d+) ?(B|KB|MB|GB) or smaller\.$", "Filen får vara högst $1,$2 $3."),
    # an uploaded file's size ("95.0B") and the file's name with it, in Swedish form ("95,0 B")
    (r"^(\d+)\.(\d+) ?(B|KB|MB|GB)$", "$1,$2 $3"),
    (r"^(.+), (\d+)\.(\d+) ?(B|KB|MB|GB)$", "$1, $2,$3 $4"),
)

# The attributes that name or explain a control; the page's text nodes are replaced too.
ATTRIBUTES = ("aria-label", "title", "placeholder", "data-title", "alt")

# What the project writes itself, or people type: never replaced.
OWN_CONTENT = (
    '[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"], [data-testid="stText"], '
    '[data-testid="stCode"], [data-testid="stMetricValue"], textarea, input'
)
# ... except within the file uploader's drop zone, whose button Streamlit writes as Markdown.
STREAMLITS_OWN = '[data-testid="stFileUploaderDropzone"]'

_SCRIPT = """<script>
(() => {
  if (window.kfpSvenska) return;
  const TEXTS = %(texts)s;
  const PATTERNS = %(patterns)s.map(([re, to]) => [new RegExp(re), to]);
  const ATTRIBUTES = %(attributes)s;
  const OWN = %(own)s;
  const STREAMLITS = %(streamlits)s;
  const swedish = (value) => {
    const text = value.trim();
    if (!text) return null;
    if (Object.prototype.hasOwnProperty.call(TEXTS, text)) return value.replace(text, TEXTS[text]);
    for (const [re, to] of PATTERNS) if (re.test(text)) return value.replace(text, text.replace(re, to));
    return null;
  };
  const element = (el) => {
    for (const name of ATTRIBUTES) {
      const value = el.getAttribute(name);
      if (!value) continue;
      const sv = swedish(value);
      if (sv !== null && sv !== value) el.setAttribute(name, sv);
    }
  };
  const textNode = (node) => {
    const parent = node.parentElement;
    if (!parent || (parent.closest(OWN) && !parent.closest(STREAMLITS))) return;
    const sv = swedish(node.nodeValue);
    if (sv !== null && sv !== node.nodeValue) node.nodeValue = sv;
  };
  const selector = ATTRIBUTES.map((a) => "[" + a + "]").join(",");
  const walk = (root) => {
    if (root.nodeType === Node.TEXT_NODE) return textNode(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    element(root);
    for (const el of root.querySelectorAll(selector)) element(el);
    const texts = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) textNode(node);
  };
  window.kfpSvenska = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes") element(r.target);
      else if (r.type === "characterData") textNode(r.target);
      else for (const node of r.addedNodes) walk(node);
    }
  });
  window.kfpSvenska.observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES,
  });
  walk(document.body);
})();
</script>"""


@cache
def script() -> str:
    """The script that puts the Swedish words in place (once per page load; later runs do nothing).
    Made once per process: every run of every page sends it."""
    return _SCRIPT % {
        "texts": json.dumps(TEXTS, ensure_ascii=False),
        "patterns": json.dumps([list(p) for p in PATTERNS], ensure_ascii=False),
        "attributes": json.dumps(list(ATTRIBUTES)),
        "own": json.dumps(OWN_CONTENT),
        "streamlits": json.dumps(STREAMLITS_OWN),
    }
