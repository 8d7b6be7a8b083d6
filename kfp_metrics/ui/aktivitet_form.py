"""The Aktiviteter page's Streamlit parts: cached reads of the plan and of an activity's linked
data, the follow-up form with its history, and the import of a new plan.

User text (kommentarer, names, plan cells, file names) is only shown through st.dataframe,
st.text or Markdown escaped with aktiviteter.md_escape; never as HTML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from kfp_metrics import aktiviteter as akt
from kfp_metrics import aktivitetslogg, catalog, plan_io
from kfp_metrics.aktivitetslogg import STATUS_LABELS, STATUSES
from kfp_metrics.format import datum
from kfp_metrics.periods import format_period
from kfp_metrics.queries import Scope
from kfp_metrics.ui import data, inloggning, tables

# Session state keys (also the widgets' keys, so tests can drive them).
VAL = "akt_val"
STATUS = "akt_status"
KOMMENTAR = "akt_kommentar"
NAMN = "akt_namn"
SPARA = "akt_spara"
MEDDELANDE = "_akt_meddelande"
FORM_FOR = "_akt_formular_for"
IMPORT_MEDDELANDE = "_plan_import_meddelande"

LOCKED_TEXT = "Aktivitetsloggen är upptagen av en annan ändring just nu, så ingenting sparades. Försök igen om en stund."
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACTIVITY_FIELDS = ("aktivitet_id", "forvaltning", "avdelning", "nyckeltal", "kompetensomrade", "maldatum")


# --- cached reads ----------------------------------------------------------------------------------


def _log_token() -> int:
    """Changes whenever a change is logged, by any server: the store's highest change number."""
    return aktivitetslogg.token()


def _stopp(exc: aktivitetslogg.TillstandFel) -> None:
    """A state store that cannot be read: its Swedish message on the page, and nothing more."""
    st.error(akt.md_escape(str(exc)))
    st.stop()


def _scope_key(scope: Scope) -> tuple:
    return scope.forvaltning, scope.avdelning, scope.enhet


@st.cache_data(max_entries=64, show_spinner=False)
def _plan(directory: str, fp: str, grant: tuple, state: str, token: int, scope: tuple, referensdatum: str):
    frame = akt.plan_for_scope(
        data.connection_for(directory, fp, grant), Scope(*scope), dt.date.fromisoformat(referensdatum), state
    )
    return frame, list(frame.attrs.get("varningar", []))


def plan(scope: Scope, referensdatum: dt.date) -> tuple[pd.DataFrame, list[str]]:
    """The scope's activities with current status, and the change log's warnings."""
    state = str(aktivitetslogg.state_dir())
    try:
        return _plan(*data.data_key(), state, _log_token(), _scope_key(scope), referensdatum.isoformat())
    except aktivitetslogg.TillstandFel as exc:
        _stopp(exc)


def _activity_key(row) -> tuple:
    values = []
    for name in ACTIVITY_FIELDS:
        value = row.get(name)
        if name == "maldatum":
            value = value.isoformat() if isinstance(value, dt.date) else None
        values.append(None if akt.is_blank(value) else value)
    return tuple(values)


def _activity(key: tuple) -> dict:
    row = dict(zip(ACTIVITY_FIELDS, key, strict=True))
    row["maldatum"] = dt.date.fromisoformat(row["maldatum"]) if row["maldatum"] else None
    return row


@st.cache_data(max_entries=32, show_spinner="Beräknar nyckeltalen …")
def _metric_texts(
    directory: str, fp: str, grant: tuple, rows: tuple, period: str, with_values: bool
) -> dict[str, str]:
    frame = pd.DataFrame([_activity(r) for r in rows], columns=list(ACTIVITY_FIELDS))
    return akt.metric_texts(
        data.connection_for(directory, fp, grant), frame, dt.date.fromisoformat(period), with_values
    )


def metric_texts(frame: pd.DataFrame, period: dt.date) -> tuple[dict[str, str], bool]:
    """'Label: value' per activity naming a nyckeltal, cached, and whether values are included:
    a plan spanning many förvaltningar and avdelningar shows the labels only, to stay quick."""
    rows = tuple(_activity_key(r) for r in frame.to_dict("records") if not akt.is_blank(r.get("nyckeltal")))
    if not rows:
        return {}, True
    with_values = len(akt.metric_scopes(frame)) <= akt.MAX_METRIC_SCOPES
    return _metric_texts(*data.data_key(), rows, period.isoformat(), with_values), with_values


@st.cache_data(max_entries=64, show_spinner="Hämtar nyckeltalet …")
def _trend(directory: str, fp: str, grant: tuple, key: tuple, period: str) -> akt.MetricTrend:
    con = data.connection_for(directory, fp, grant)
    row = _activity(key)
    return akt.metric_trend(
        con,
        row,
        dt.date.fromisoformat(period),
        akt.plan_start(con, row["forvaltning"]),
        akt.first_period(con),
    )


def trend(row, period: dt.date) -> akt.MetricTrend:
    """The activity's linked nyckeltal over time, cached."""
    return _trend(*data.data_key(), _activity_key(row), period.isoformat())


@st.cache_data(max_entries=64, show_spinner=False)
def _gap(directory: str, fp: str, grant: tuple, key: tuple, period: str) -> akt.GapResult:
    return akt.kompetensgap(
        data.connection_for(directory, fp, grant), _activity(key), dt.date.fromisoformat(period)
    )


def gap(row, period: dt.date) -> akt.GapResult:
    """The activity's kompetensområde gap, cached."""
    return _gap(*data.data_key(), _activity_key(row), period.isoformat())


# --- who is editing --------------------------------------------------------------------------------


def logged_in_name() -> str | None:
    """The logged-in person's name where login is configured, else None (local mode)."""
    person = inloggning.person()
    return None if person.local else person.identity.namn


def _may_change(row: dict) -> bool:
    """Whether the person may change this activity: andra_aktiviteter for its förvaltning/avdelning."""
    avdelning = None if akt.is_blank(row.get("avdelning")) else str(row["avdelning"])
    return inloggning.person().permission.changes(str(row["forvaltning"]), avdelning)


# --- the plan table --------------------------------------------------------------------------------


def _late_styles(table: pd.DataFrame) -> pd.DataFrame:
    """Cell styles of a plan table: försenade rows tinted, their Försenad and Måldatum cells marked."""
    late = (table["Försenad"] == akt.FORSENAD).to_numpy(dtype=bool)
    marked = np.isin(table.columns, ["Försenad", "Måldatum"])
    styles = np.full(table.shape, "", dtype=object)
    styles[late, :] = "background-color: #FFF4F0"
    styles[np.ix_(late, marked)] = f"background-color: #FDE7E0; color: {akt.FORSENAD_COLOR}; font-weight: 600"
    return pd.DataFrame(styles, index=table.index, columns=table.columns, dtype=object)


PLAN_COLUMNS = {
    "Aktivitet": st.column_config.TextColumn(width=230),
    "Mål": st.column_config.TextColumn(width=160),
    "Måldatum": st.column_config.TextColumn(width=120),
    "Status": st.column_config.TextColumn(width=85),
    "Försenad": st.column_config.TextColumn(width=80),
    "Ansvarig": st.column_config.TextColumn(width=140),
    "Avdelning": st.column_config.TextColumn(width=125),
    "Nyckeltal": st.column_config.TextColumn(
        width=210, help="Nyckeltalet aktiviteten ska påverka, för dess förvaltning eller avdelning"
    ),
    "Senaste uppföljning": st.column_config.TextColumn(width=260),
    "Id": st.column_config.TextColumn(width=90),
}
ROW_HEIGHT = 35


# Tinting rows costs a styled table per run; past this many activities on the page (a whole city's
# plans) the rows are marked by the Försenad column alone.
TINT_MAX_ROWS = 300


def plan_table(frame: pd.DataFrame, texts: dict[str, str], key: str, tint: bool = True) -> None:
    """The activities of one UBARIA area, every row shown; försenade rows marked, and tinted
    when tint is set."""
    table = akt.plan_table(frame, texts)
    if not texts:
        table = table.drop(columns="Nyckeltal")
    late = tint and bool((table["Försenad"] == akt.FORSENAD).any())
    st.dataframe(
        table.style.apply(_late_styles, axis=None) if late else table,
        hide_index=True,
        width="stretch",
        height=ROW_HEIGHT * (len(table) + 1) + 3,
        key=key,
        column_config=PLAN_COLUMNS,
    )


# --- follow-up form --------------------------------------------------------------------------------


def _prepare(row: dict) -> None:
    """Preselect the activity's current status the first time the form shows it (and when another
    activity is chosen); the previous activity's text and message are dropped."""
    state = st.session_state
    aktivitet_id = str(row["aktivitet_id"])
    if state.get(FORM_FOR) != aktivitet_id or STATUS not in state:
        state[STATUS] = str(row["status"]) if row["status"] in STATUSES else STATUSES[0]
        state[KOMMENTAR] = ""
        state[FORM_FOR] = aktivitet_id


def _save(row: dict, current_status: str, user: str | None) -> None:
    """Form callback: log the change and report; nothing is written when the input is refused."""
    aktivitet_id = str(row["aktivitet_id"])
    state = st.session_state
    status = state.get(STATUS)
    kommentar = state.get(KOMMENTAR) or ""
    kommentar = kommentar if kommentar.strip() else None
    person = inloggning.person()
    av = user or (state.get(NAMN) or "")
    problem = akt.change_problem(current_status, status, kommentar)
    if problem is None and not _may_change(row):
        problem = "Du har inte behörighet att ändra den här aktiviteten."
    if problem is None and not av.strip():
        problem = "Fyll i Ditt namn: varje ändring sparas med vem som gjorde den."
    if problem:
        state[MEDDELANDE] = (aktivitet_id, "error", akt.md_escape(problem) + " Ingenting sparades.")
        return
    try:
        change = aktivitetslogg.append_change(aktivitet_id, status, kommentar, av, **_author_id(person))
    except aktivitetslogg.LogLockedError:
        state[MEDDELANDE] = (aktivitet_id, "error", akt.md_escape(LOCKED_TEXT))
        return
    except aktivitetslogg.TillstandFel as exc:
        text = str(exc) if "sparades" in str(exc) else f"{exc} Ingenting sparades."
        state[MEDDELANDE] = (aktivitet_id, "error", akt.md_escape(text))
        return
    except ValueError as exc:
        state[MEDDELANDE] = (aktivitet_id, "error", akt.md_escape(f"{exc} Ingenting sparades."))
        return
    except OSError as exc:
        state[MEDDELANDE] = (
            aktivitet_id,
            "error",
            akt.md_escape(
                f"Ändringen kunde inte sparas ({exc.strerror or exc}). "
                "Kontrollera historiken nedan innan du försöker igen."
            ),
        )
        return
    # append_change has returned: the change is committed in the state store.
    state[MEDDELANDE] = (
        aktivitet_id,
        "success",
        f"Ändringen är sparad {akt.tid_text(change.tid)}: {akt.md_escape(aktivitet_id)} har nu status "
        f"{STATUS_LABELS[change.status]}, registrerad av {akt.md_escape(change.av)}.",
    )
    state[KOMMENTAR] = ""
    _plan.clear()


def _author_id(person) -> dict:
    """The logged-in person's id for the change log (none in local mode)."""
    return {} if person.local else {"av_id": person.identity.id}


def edit_form(row: dict) -> None:
    """Status and uppföljning for one activity in a form; logged with who and when on submit."""
    aktivitet_id = str(row["aktivitet_id"])
    user = logged_in_name()
    if not _may_change(row):
        st.info(
            "Du kan följa aktiviteten men inte registrera uppföljning: din behörighet omfattar inte "
            "ändringar av den här aktiviteten."
            + (
                " En förvaltningsövergripande aktivitet ändras av den som har behörighet för hela förvaltningen."
                if akt.is_blank(row.get("avdelning"))
                else ""
            )
        )
        return
    _prepare(row)
    with st.form("akt_form", enter_to_submit=False):
        st.selectbox(
            "Ny status",
            list(STATUSES),
            format_func=STATUS_LABELS.get,
            key=STATUS,
            help="Välj samma status som i dag om du bara vill skriva en uppföljning.",
        )
        st.text_area(
            "Uppföljning",
            key=KOMMENTAR,
            max_chars=aktivitetslogg.MAX_KOMMENTAR,
            height=110,
            placeholder="Vad har gjorts sedan förra uppföljningen? Vad återstår?",
        )
        if user:
            st.caption(f"Ändringen registreras som {akt.md_escape(user)}.")
        else:
            st.text_input(
                "Ditt namn",
                key=NAMN,
                max_chars=aktivitetslogg.MAX_AV,
                help="Sparas i historiken tillsammans med ändringen.",
            )
        st.form_submit_button(
            "Spara ändringen",
            type="primary",
            key=SPARA,
            on_click=_save,
            args=(row, str(row["status"]), user),
        )
    message = st.session_state.get(MEDDELANDE)
    if message and message[0] == aktivitet_id:
        (st.success if message[1] == "success" else st.error)(message[2])
    st.caption(
        "Historiken skrivs aldrig om. Har en ändring blivit fel rättar du den med en ny ändring, "
        "till exempel tillbaka till den tidigare statusen med en kommentar om varför."
    )


def details(row: dict) -> None:
    """The chosen activity as the plan states it, with its current status and latest follow-up."""
    with st.container(border=True):
        st.markdown(f"**{akt.md_escape(row['aktivitet'])}**")
        st.markdown(f"Mål: {akt.md_escape(row['mal']) or '–'}")
        where = akt.md_escape(akt.activity_scope_text(row))
        if akt.is_blank(row.get("avdelning")):
            where += " (förvaltningsövergripande)"
        when = f"Måldatum {datum(row['maldatum'])}" if row.get("maldatum") else "Måldatum saknas"
        st.markdown(
            " · ".join(
                [row["ubaria_label"], where, when, f"Ansvarig: {akt.md_escape(row['ansvarig']) or '–'}"]
            )
        )
        badge = f" :red-badge[{akt.FORSENAD}]" if row["forsenad"] else ""
        st.markdown(f"Status: **{row['status_label']}**{badge}")
        if row.get("senaste_uppfoljning"):
            st.caption("Senaste uppföljning:")
            st.text(row["senaste_uppfoljning"])


def history(row: dict) -> None:
    """The activity's full history, oldest first."""
    try:
        changes = aktivitetslogg.history(str(row["aktivitet_id"]))
    except aktivitetslogg.TillstandFel as exc:
        _stopp(exc)
    for warning in getattr(changes, "warnings", []):
        st.warning(akt.md_escape(warning))
    st.dataframe(
        akt.history_table(row, changes),
        hide_index=True,
        width="stretch",
        key="akt_historik",
        column_config={
            "Tid": st.column_config.TextColumn(width=190),
            "Av": st.column_config.TextColumn(width=140),
            "Status": st.column_config.TextColumn(width=90),
            "Kommentar": st.column_config.TextColumn(width="large"),
        },
    )


# --- linked data -----------------------------------------------------------------------------------


def linked_metric(row: dict, period: dt.date) -> None:
    """The activity's nyckeltal over time in its scope: chart, värdet då and nu, target."""
    result = trend(row, period)
    st.markdown(f"##### Nyckeltal: {akt.md_escape(result.label)}")
    if result.note:
        st.info(akt.md_escape(result.note))
        return
    better = catalog.get(result.metric_id).better
    columns = st.columns(3)
    if result.then is not None:
        columns[0].metric(
            f"Värdet då – {result.then.label}",
            akt.format_value(result.metric_id, result.then.value, result.then.suppressed),
            help=result.then.role.capitalize() or None,
        )
    if result.now is not None:
        delta = None
        if result.change is not None and result.direction not in (None, "oforandrat"):
            delta = akt.format_change(result.metric_id, result.change)
        columns[1].metric(
            f"Värdet nu – {result.now.label}",
            akt.format_value(result.metric_id, result.now.value, result.now.suppressed),
            delta=delta,
            delta_color={"lower": "inverse", "higher": "normal"}.get(better, "off"),
        )
    if result.target is not None:
        columns[2].metric(f"Mål {period.year}", akt.format_value(result.metric_id, result.target))
    tables.chart("akt_nyckeltal", akt.trend_figure, result)
    st.caption(" ".join(akt.trend_texts(result)))


def linked_gap(row: dict, period: dt.date) -> None:
    """The gap of the activity's kompetensområde per avdelning and enhet."""
    result = gap(row, period)
    st.markdown(f"##### Kompetensområde: {akt.md_escape(result.omrade)}")
    if result.note:
        st.info(akt.md_escape(result.note))
        return
    st.caption(
        f"Bedömning {result.year} för {akt.md_escape(result.scope_text)}: behov och nuläge på en skala 1–5."
    )
    st.dataframe(akt.gap_table(result), hide_index=True, width="stretch", key="akt_gap")
    text = akt.gap_text(result)
    if text:
        st.caption(akt.md_escape(text))


# --- import and export -----------------------------------------------------------------------------


def export_button(frame: pd.DataFrame, referensdatum: dt.date, period: dt.date) -> None:
    """'Exportera planen till Excel': the scope's plan with current status, grouped by UBARIA."""
    if not inloggning.person().permission.may_change:
        st.info("Export av planen kräver behörighet att ändra aktiviteter.")
        return
    st.download_button(
        "Exportera planen till Excel",
        data=inloggning.logged_download(  # built when clicked
            lambda: plan_io.export_plan_bytes(frame, referensdatum),
            f"aktivitetsplan_{format_period(period)}.xlsx",
        ),
        file_name=f"aktivitetsplan_{format_period(period)}.xlsx",
        mime=XLSX_MIME,
        key="plan_export",
        icon=":material/download:",
        on_click="ignore",
    )


@st.cache_data(max_entries=8, show_spinner="Läser filen …")
def _parse(content: bytes, name: str, forvaltning: str | None, digest: str):
    suffix = Path(name).suffix.lower()
    safe = "".join(c if c.isalnum() or c in "-_. åäöÅÄÖ" else "_" for c in Path(name).stem)[:80] or "plan"
    with tempfile.TemporaryDirectory(prefix="kfp-import-") as scratch:
        path = Path(scratch) / f"{safe}{suffix}"
        path.write_bytes(content)
        return plan_io.import_plan(path, forvaltning=forvaltning)


def import_section(forvaltningar: list[str], default_forvaltning: str | None) -> None:
    """Upload an .xlsx or .csv plan, preview it and write it as the aktiviteter table on confirm.

    A plan replaces whole förvaltningars plans, so a person may import only for förvaltningar
    whose every activity they may change, and replace the whole table only with a grant for all."""
    permission = inloggning.person().permission
    forvaltningar = [f for f in forvaltningar if permission.changes_whole(f)]
    if not forvaltningar:
        st.info("Import av en aktivitetsplan kräver behörighet att ändra aktiviteter för en hel förvaltning.")
        return
    done = st.session_state.pop(IMPORT_MEDDELANDE, None)
    if done:
        st.success(done)
    uploaded = st.file_uploader(
        "Välj en aktivitetsplan (.xlsx eller .csv)",
        type=["xlsx", "csv"],
        key="plan_fil",
        help="En tabell med kolumnerna Mål, Aktivitet, Måldatum och Ansvarig, under rubriker som "
        "Utveckla, Behålla, Attrahera, Rekrytera, Introducera och Avsluta (eller en kolumn UBARIA).",
    )
    options = [""] + forvaltningar
    index = options.index(default_forvaltning) if default_forvaltning in options else 0
    forvaltning = st.selectbox(
        "Förvaltning för rader utan förvaltningskolumn",
        options,
        index=index,
        key="plan_forvaltning",
        format_func=lambda v: v or "Ange ingen",
    )
    if uploaded is None:
        return
    content = uploaded.getvalue()
    try:
        imported, warnings = _parse(
            content, uploaded.name, forvaltning or None, hashlib.sha256(content).hexdigest()
        )
    except plan_io.PlanImportError as exc:
        st.error(akt.md_escape(str(exc)))
        if len(exc.problems) > 1:
            st.text("\n".join(exc.problems))
        return
    st.markdown(f"**Förhandsvisning:** {len(imported)} aktiviteter i {akt.md_escape(uploaded.name)}.")
    if warnings:
        st.warning("Att kontrollera:\n\n" + "\n".join(f"- {akt.md_escape(w)}" for w in warnings))
    st.dataframe(akt.preview_table(imported), hide_index=True, width="stretch", key="plan_forhandsvisning")

    covered = sorted({str(f) for f in imported["forvaltning"] if not akt.is_blank(f)})
    outside = [f for f in covered if f not in forvaltningar]
    if outside:
        st.error(
            akt.md_escape(
                f"Filen har aktiviteter för {', '.join(outside)}, där du inte har behörighet att ändra "
                "planen. Ingenting sparades; ta bort de raderna eller be om behörighet."
            )
        )
        return
    # Merging keeps every other förvaltning's activities, so it reads the whole table; nothing of
    # it outside the person's grant is shown.
    existing = data.all_activities() if data.table_present("aktiviteter") else None
    others = 0 if existing is None else int((~existing["forvaltning"].isin(covered)).sum())
    modes = ["forvaltningar", "allt"] if permission.andra_alla else ["forvaltningar"]
    mode = st.radio(
        "Hur ska planen sparas?",
        modes,
        key="plan_lage",
        horizontal=True,
        format_func=lambda m: (
            f"Ersätt planen för {', '.join(covered)}"
            + (f" (behåll {others} andra aktiviteter)" if permission.alla else "")
            if m == "forvaltningar"
            else "Ersätt hela tabellen aktiviteter"
        ),
    )
    try:
        conflicts = akt.logged_ids(imported, aktivitetslogg.latest_by_activity().keys())
    except aktivitetslogg.TillstandFel as exc:
        _stopp(exc)
    if conflicts:
        st.warning(
            akt.md_escape(
                f"{len(conflicts)} aktiviteter i filen har samma id som aktiviteter med loggade ändringar "
                f"({', '.join(conflicts[:8])}{' …' if len(conflicts) > 8 else ''}). Deras status hämtas "
                "från ändringsloggen, inte från filen."
            )
        )
    lost = akt.lost_links(existing, imported)
    if lost:
        st.warning(
            akt.md_escape(
                f"{len(lost)} aktiviteter har i dag ett kopplat nyckeltal eller kompetensområde som saknas i "
                f"filen ({', '.join(lost[:8])}{' …' if len(lost) > 8 else ''}). Kopplingen försvinner om planen "
                "sparas; lägg till kolumnerna Nyckeltal och Kompetensområde i filen för att behålla den."
            )
        )
    if not st.button("Spara som aktivitetsplan", type="primary", key="plan_spara"):
        st.caption("Ingenting sparas förrän du bekräftar. Ändringsloggen påverkas inte.")
        return
    try:
        merged = akt.merge_imported(existing, imported, replace_all=mode == "allt")
    except ValueError as exc:
        st.error(akt.md_escape(str(exc)))
        return
    errors = akt.validation_errors(merged)
    if errors:
        st.error(
            "Planen sparades inte: den klarar inte valideringen.\n\n"
            + "\n".join(f"- {akt.md_escape(e)}" for e in errors)
        )
        return
    try:
        target = plan_io.write_aktiviteter(merged, data.data_dir())
    except (ValueError, OSError) as exc:
        st.error(akt.md_escape(f"Planen kunde inte sparas: {exc}"))
        return
    st.cache_data.clear()
    st.session_state[IMPORT_MEDDELANDE] = akt.md_escape(
        f"Aktivitetsplanen är sparad: {len(merged)} aktiviteter i extraktens {target.name}."
    )
    st.rerun()
