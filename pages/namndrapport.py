import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st

from kfp_metrics.extracts import content_fingerprint
from kfp_metrics.format import manad
from kfp_metrics.queries import Scope
from kfp_metrics.rapport import AVSNITT, Options, skapa
from kfp_metrics.rapport import pdf as utskrift
from kfp_metrics.rapport import utskrift as dokument
from kfp_metrics.rapport.content import default_title, fakta_for, nyckeltal_rader
from kfp_metrics.rapport.docx import mall as wordmall
from kfp_metrics.rapport.docx.bilder import BilderSaknas
from kfp_metrics.rapport.nulagesanalys import skriv
from kfp_metrics.rapport.utskrift import filnamn
from kfp_metrics.ui import data, filters, granskning, inloggning, static_files, tables


@st.cache_data(max_entries=4, show_spinner=False)
def _fingerprint(directory: str, fp: str) -> str:
    return content_fingerprint(directory)


# The activity log's token and today's date are part of the key: statuses and "försenad" change with them.
@st.cache_data(max_entries=16, show_spinner="Skriver utkastet …")
def _facts(directory: str, fp: str, grant: tuple, log: int, period: str, scope: tuple, today: str):
    """What the draft and the key-figures table are written from: all the page needs until the
    preview is opened or a file is made (the whole report, with its charts, costs twice as much)."""
    return fakta_for(
        data.connection_for(directory, fp, grant), _options(directory, fp, period, scope, (), "")
    )


@st.cache_data(max_entries=16, show_spinner="Sammanställer rapporten …")
def _report(
    directory: str,
    fp: str,
    grant: tuple,
    log: int,
    period: str,
    scope: tuple,
    avsnitt: tuple,
    titel: str,
    today: str,
    granskningar: tuple = (),
    plotlyjs_url: str | None = None,
):
    return skapa(
        data.connection_for(directory, fp, grant),
        _options(directory, fp, period, scope, avsnitt, titel, granskningar),
        plotlyjs_url,
        _facts(directory, fp, grant, log, period, scope, today),
    )


def _options(
    directory: str, fp: str, period: str, scope: tuple, avsnitt: tuple, titel: str, granskningar: tuple = ()
) -> Options:
    return Options(
        period=dt.date.fromisoformat(period),
        scope=Scope(*scope),
        avsnitt=avsnitt,
        titel=titel,
        skapad=dt.datetime.now().replace(microsecond=0),
        fingeravtryck=_fingerprint(directory, fp),
        granskningar=granskningar,
    )


# Made only on click, like the PDF: drawing the charts as images takes a browser and seconds.
@st.cache_data(max_entries=4, show_spinner=False)
def _docx(
    directory: str,
    fp: str,
    grant: tuple,
    log: int,
    period: str,
    scope: tuple,
    avsnitt: tuple,
    titel: str,
    today: str,
    granskningar: tuple,
    mall: str,
) -> bytes:
    options = _options(directory, fp, period, scope, avsnitt, titel, granskningar)
    return dokument.word(data.connection_for(directory, fp, grant), options, Path(mall) if mall else None)


@st.cache_data(max_entries=8, show_spinner=False)
def _pdf(html: str, footer: str) -> bytes:
    return utskrift.html_to_pdf(html, footer)


f = filters.current()
st.title("Nämndrapport")
st.caption(f"{f.describe()} · {manad(f.period)} · en utskrivbar A4-rapport för nämndens sammanträde")

organisation = data.query("organisation", Scope())
standard = default_title(f.period, f.scope, sorted(set(organisation["forvaltning"])), organisation)
if st.session_state.get("rapport_titel") in (None, "", st.session_state.get("_rapport_titel_standard")):
    st.session_state["rapport_titel"] = standard
st.session_state["_rapport_titel_standard"] = standard

titel = st.text_input("Titel", key="rapport_titel", help="Rapportens rubrik på framsidan och i sidfoten.")
avsnitt = st.multiselect(
    "Avsnitt",
    list(AVSNITT),
    default=list(AVSNITT),
    format_func=AVSNITT.get,
    key="rapport_avsnitt",
    help="Framsidan kommer alltid med. Period och urval väljs i sidopanelen.",
    select_all=False,
)

scope_key = (f.scope.forvaltning, f.scope.avdelning, f.scope.enhet)
granskningar, granskade_rader, granskning_fel = granskning.reviews(f)
directory, fp, grant = data.data_key()
log, period, today = data.log_token(), f.period.isoformat(), dt.date.today().isoformat()
report_key = (directory, fp, grant, log, period, scope_key, tuple(avsnitt), titel, today, granskningar)
facts = _facts(directory, fp, grant, log, period, scope_key, today)
namn = filnamn(_options(directory, fp, period, scope_key, (), ""))


# The preview loads plotly.js from the app instead of carrying it: 5 MB less to every visit.
plotlyjs_url = static_files.plotlyjs_url()


_made: list = []  # the report once this run has asked for it


def rapport():
    """The whole report (cached): asked for only when the preview is open or a file is made, also
    by the HTML download, which calls this when pressed, outside the page's run. Kept once asked,
    so that the download of a run that showed the preview hands over what it already has instead
    of reading the 5 MB page from the cache again."""
    if not _made:
        _made.append(_report(*report_key, plotlyjs_url))
    return _made[0]


def _pdf_of_report() -> bytes:
    made = rapport()
    return _pdf(made.html, made.sidfot)


st.subheader("Ladda ner")
html_col, pdf_col, docx_col = st.columns(3)
html_col.download_button(
    "Ladda ner HTML",
    # Made when pressed: as bytes, the 5 MB page went into Streamlit's media store every run.
    inloggning.logged_download(lambda: rapport().html.encode("utf-8"), f"{namn}.html"),
    file_name=f"{namn}.html",
    mime="text/html",
    key="rapport_html",
    on_click="ignore",
    icon=":material/code:",
    width="stretch",
    help="Fristående sida med diagrammen; skriv ut den från webbläsaren (A4, stående).",
)
if utskrift.browser_available():
    tables.made_on_click(
        pdf_col,
        "pdf",
        report_key,
        _pdf_of_report,
        (utskrift.BrowserMissing, utskrift.PrintError),
        {"label": "Skapa PDF (A4)", "type": "primary", "icon": ":material/picture_as_pdf:"},
        "Skriver ut rapporten som PDF …",
        {"label": "Ladda ner PDF", "file_name": f"{namn}.pdf", "mime": "application/pdf"},
    )
else:
    pdf_col.warning(utskrift.missing_message())

mall = wordmall.mall_fran_miljo()
mall_fel = wordmall.mall_problem(mall) if mall is not None else None
if mall_fel:
    docx_col.error(f"{mall_fel} Ändra inställningen {wordmall.ENV_MALL}.")
else:
    docx_key = (*report_key, str(mall or ""))
    tables.made_on_click(
        docx_col,
        "docx",
        docx_key,
        lambda: _docx(*docx_key),
        (BilderSaknas, wordmall.MallFel),
        {
            "label": "Skapa Word (DOCX)",
            "icon": ":material/description:",
            "help": "Redigerbart Word-dokument med kommunens mall"
            + (f" ({mall.name})." if mall else " (projektets enkla mall; ange en egen med KFP_RAPPORTMALL)."),
        },
        "Skapar Word-dokumentet och ritar diagrammen …",
        {
            "label": "Ladda ner Word",
            "file_name": f"{namn}.docx",
            "mime": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        },
    )

# Only the open tab is built (on_change="rerun"): the draft to review comes first, and the
# preview, which needs every chart of the report, is made when it is opened.
utkast = skriv(facts)
text_tab, nyckel_tab, forhand = st.tabs(
    ["Nulägesanalys (text)", "Nyckeltal", "Förhandsgranskning"], key="rapport_flik", on_change="rerun"
)
if text_tab.open:
    with text_tab:
        st.caption(
            "Utkastet är skrivet ur nyckeltalen för urvalet; siffrorna är de beräknade. Granska det här innan "
            "rapporten skapas. Hela rapporten med diagrammen finns under Förhandsgranskning."
        )
        if utkast.amnen:
            granskning.editor(f, utkast, granskade_rader, _fingerprint(directory, fp), granskning_fel)
        else:
            st.info("Inget underlag för en nulägesanalys i urvalet.")
if nyckel_tab.open:
    with nyckel_tab:
        st.dataframe(
            pd.DataFrame(
                [
                    (r.grupp, r.namn, r.varde, r.mal, r.forandring, r.maluppfyllelse)
                    for r in nyckeltal_rader(facts)
                ],
                columns=[
                    "Område",
                    "Nyckeltal",
                    "Värde",
                    "Mål",
                    "Förändring mot året innan",
                    "Måluppfyllelse",
                ],
            ),
            hide_index=True,
            width="stretch",
            key="rapport_nyckeltal",
        )
        st.caption("\\.\\. = värdet redovisas inte eftersom gruppen är för liten. – = uppgift saknas.")
if forhand.open:
    with forhand:
        st.caption("Så här ser rapporten ut; sidbrytningar och sidnummer kommer med i PDF:en.")
        utskrift_nu = rapport()
        # The frame's accessible name (its title attribute); without it a screen reader says "st.iframe".
        st.iframe(
            utskrift_nu.forhandsvisning,
            height=900,
            alt=f"Förhandsgranskning av rapporten: {utskrift_nu.titel}",
        )
