"""Reviewing the drafted nulägesanalys on the Nämndrapport page.

HR edits a topic's text; it is stored in the state store per period, scope and topic with who
and when (every version kept, never overwritten), marked "Granskad av …" in HTML, PDF and Word,
and can be reset to the draft. A text written for other extracts says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import streamlit as st

from kfp_metrics import tillstand
from kfp_metrics.aktiviteter import md_escape
from kfp_metrics.format import datum
from kfp_metrics.periods import format_period
from kfp_metrics.rapport import nulagesanalys as na
from kfp_metrics.rapport.content import Granskning
from kfp_metrics.tillstand import TillstandFel
from kfp_metrics.ui import inloggning
from kfp_metrics.ui.filters import Filters

MEDDELANDE = "_granskning_meddelande"
NAMN = "granskning_namn"


def review_scope(f: Filters) -> dict | None:
    """The units the text describes, as it is stored: the sidebar's choice where its names are
    exact, the one grant for 'all you may see'; None where the view is several separate grants."""
    p = f.permission
    if p.alla or (not f.scope.is_all and f.wholly_permitted()):
        return f.scope.as_dict()
    if f.scope.is_all and len(p.boxes) == 1:
        box = p.boxes[0]
        return {
            "forvaltning": list(box.forvaltning),
            "avdelning": list(box.avdelning),
            "enhet": list(box.enhet),
        }
    return None


def area_key(period: str, urval: dict, topic: str) -> str:
    """The text box's widget key for a topic in this period and scope."""
    digest = hashlib.sha256(f"{period}|{tillstand.urval_nyckel(urval)}".encode()).hexdigest()[:12]
    return f"granskning_{topic}_{digest}"


def paragraphs(text: str) -> tuple[str, ...]:
    """The paragraphs of an edited text: separated by blank lines."""
    blocks = [" ".join(line.strip() for line in block.splitlines()).strip() for block in text.split("\n\n")]
    return tuple(b for b in blocks if b)


def _stored(period: str, urval: dict) -> dict[str, dict]:
    out = {}
    for topic in na.TOPICS:
        row = tillstand.aktuell_text(period, urval, topic)
        if row is not None and row.get("text") is not None:
            out[topic] = row
    return out


def _date(row: dict) -> dt.date:
    return tillstand.svensk_tid(row["tid"]).date()


def reviews(f: Filters) -> tuple[tuple[Granskning, ...], dict[str, dict], str | None]:
    """The stored reviews for the period and scope as report options, the rows by topic, and a
    Swedish error when the state store cannot be read."""
    urval = review_scope(f)
    if urval is None:
        return (), {}, None
    try:
        rows = _stored(format_period(f.period), urval)
    except TillstandFel as exc:
        return (), {}, str(exc)
    granskningar = tuple(
        Granskning(topic, paragraphs(row["text"]), row["av"], _date(row)) for topic, row in rows.items()
    )
    return granskningar, rows, None


def _author() -> tuple[str, str | None]:
    person = inloggning.person()
    if person.local:
        return (st.session_state.get(NAMN) or "").strip(), None
    return person.identity.namn, person.identity.id


def _save(period: str, urval: dict, topic: str, key: str, fingeravtryck: str, reset: bool) -> None:
    """Button callback: store a new version (or the reset); nothing is reported saved that was not."""
    av, av_id = _author()
    if not av:
        st.session_state[MEDDELANDE] = (
            topic,
            "error",
            "Fyll i Ditt namn: varje version sparas med vem som skrev den.",
        )
        return
    text = None if reset else (st.session_state.get(key) or "")
    if text is not None and not paragraphs(text):
        st.session_state[MEDDELANDE] = (topic, "error", "Texten är tom. Återställ till utkastet i stället.")
        return
    try:
        tillstand.spara_text(period, urval, topic, text, av, av_id, fingeravtryck)
    except (TillstandFel, ValueError) as exc:
        st.session_state[MEDDELANDE] = (topic, "error", md_escape(f"{exc} Ingenting sparades."))
        return
    st.session_state.pop(key, None)  # the area shows the stored text on the next run
    st.session_state[MEDDELANDE] = (
        topic,
        "success",
        "Utkastet gäller igen för avsnittet." if reset else "Den granskade texten är sparad.",
    )


def editor(f: Filters, draft: na.Nulagesanalys, rows: dict[str, dict], fingeravtryck: str, error: str | None):
    """One editable box per topic of the nulägesanalys, with its state and history."""
    if error:
        st.error(error)
        return
    urval = review_scope(f)
    if urval is None:
        st.info(
            "Ditt urval består av flera separata delar av organisationen. Välj en förvaltning, avdelning "
            "eller enhet i sidopanelen för att granska texten."
        )
        return
    person = inloggning.person()
    may_edit = person.local or person.permission.may_change
    period = format_period(f.period)
    st.caption(
        "Redigera varje avsnitt och spara: den granskade texten ersätter utkastet i HTML, PDF och Word och "
        "märks med vem som granskade den och när. Tidigare versioner sparas. Stycken skiljs åt med en tom rad."
        if may_edit
        else "Granskningen av texten görs av den som har behörighet att ändra planen; här visas den."
    )
    if may_edit and person.local:
        st.text_input("Ditt namn", key=NAMN, max_chars=200, help="Sparas med varje version av texten.")
    message = st.session_state.pop(MEDDELANDE, None)
    for topic, title in na.TOPICS.items():
        drafted = draft.amnen.get(topic)
        row = rows.get(topic)
        if not drafted and not row:
            continue
        st.markdown(f"##### {title}")
        if row:
            st.caption(f"Granskad av {md_escape(row['av'])}, {datum(_date(row))}.")
            if row.get("fingeravtryck") != fingeravtryck:
                st.warning(
                    f"Texten skrevs för extrakt med fingeravtrycket {row.get('fingeravtryck')}; extrakten har "
                    f"nu {fingeravtryck}. Kontrollera siffrorna mot utkastet innan rapporten skickas."
                )
        else:
            st.caption("Utkast, inte granskat.")
        text = row["text"] if row else "\n\n".join(drafted)
        # The box's state belongs to this period and scope: another choice in the sidebar must never
        # show (or save) text edited for a different one.
        key = area_key(period, urval, topic)
        if not may_edit:
            st.text(text)
            continue
        if key not in st.session_state:
            st.session_state[key] = text
        st.text_area(title, key=key, height=160, label_visibility="collapsed", max_chars=20_000)
        left, right = st.columns(2)
        left.button(
            "Spara granskad text",
            key=f"granskning_spara_{topic}",
            on_click=_save,
            args=(period, urval, topic, key, fingeravtryck, False),
        )
        if row:
            right.button(
                "Återställ till utkastet",
                key=f"granskning_aterstall_{topic}",
                on_click=_save,
                args=(period, urval, topic, key, fingeravtryck, True),
            )
        if message and message[0] == topic:
            (st.success if message[1] == "success" else st.error)(message[2])
        if row:
            with st.expander("Tidigare versioner"):
                history = tillstand.texthistorik(period, urval, topic)
                for version in reversed(history):
                    when = tillstand.svensk_tid(version["tid"]).strftime("%Y-%m-%d %H:%M")
                    what = "återställd till utkastet" if version.get("text") is None else "granskad text"
                    st.caption(f"{when} · {md_escape(version['av'])} · {what}")
