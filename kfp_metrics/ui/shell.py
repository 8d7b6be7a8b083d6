"""What every page shares: login and permission, validation at start, the sidebar filters and the
data-status line."""

from __future__ import annotations

import streamlit as st

from kfp_metrics.extracts import locate_tables
from kfp_metrics.format import manad
from kfp_metrics.periods import format_period
from kfp_metrics.ui import data, filters, inloggning, navigation
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
    st.markdown(
        "**Har ni en export från HR-systemet (CSV eller Excel)?** Gör om den till extrakt med ett "
        "kommando – det kontrollerar allt och skriver ingenting förrän hela exporten är godkänd:\n\n"
        "1. Se exportens rubriker och vad som saknar mappning: "
        "`python -m kfp_metrics importera-extrakt EXPORTMAPP --visa-kolumner`\n"
        '2. Skriv en mappningsfil (rubriker och värden, t.ex. "Kvinna" = "K"); exempel i `docs/import.md`.\n'
        "3. Importera: `python -m kfp_metrics importera-extrakt EXPORTMAPP --out KATALOG "
        "--mappning mappning.toml` (lägg till `--nyckel FIL` om exporten har personnummer).\n\n"
        "Felen anges med fil, rad och kolumn. Ladda sedan om sidan."
    )


def start() -> bool:
    """Let the person in, validate the extracts and draw the sidebar; False (with a Swedish page
    drawn) when nothing may or can be shown."""
    st.set_page_config(page_title=navigation.PAGE_TITLE, page_icon=navigation.PAGE_ICON, layout="wide")
    # Before anything else, so the login, no-access and error pages get the language and styles too.
    tillganglighet_apply()
    directory = data.data_dir()
    readable = directory.is_dir() and bool(locate_tables(directory))
    report = data.validation() if readable else None
    usable = report is not None and report.ok
    person = inloggning.gate(data.organisation_units if usable else None)
    if person is None:
        return False
    navigation.sidebar_menu()
    if not readable:
        _error_page(
            f"Katalogen {directory} finns inte eller innehåller inga extrakt.",
            "Ange katalogen med miljövariabeln KFP_DATA_DIR.",
        )
        return False
    if not usable:
        if person.permission.alla:
            _error_page(f"Extrakten i {directory} klarar inte valideringen.", report.to_text())
        else:
            # The report quotes values and unit names from the whole organisation.
            _error_page("Extrakten klarar inte valideringen.", "")
        return False
    selected = filters.sidebar(person.permission)
    if selected is None:
        return False
    inloggning.log_view(selected.scope.as_dict(), format_period(selected.period))
    warnings = len(report.warnings)
    state = "validerade, inga fel" + (f", {warnings} varningar" if warnings else "")
    st.sidebar.caption(f"Extrakt: {manad(selected.first_period)} – {manad(selected.last_period)} · {state}")
    if warnings and person.permission.alla:
        with st.sidebar.expander("Valideringens varningar"):
            st.text(report.to_text())
    return True
