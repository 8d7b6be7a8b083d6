"""Login (st.login, OIDC) and the person's permission, drawn by the shell before any data.

Without an [auth] section in secrets.toml the app runs in local mode: no login, everything
visible, and only on a loopback address unless KFP_UTAN_INLOGGNING=1 says otherwise.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from kfp_metrics import aktivitetslogg
from kfp_metrics.aktiviteter import md_escape
from kfp_metrics.behorighet import ALLA, AccessFile, AccessFileError, Identity, Permission, default_path, load
from kfp_metrics.behorighet import logg as atkomstlogg
from kfp_metrics.behorighet.upplosning import resolve
from kfp_metrics.periods import format_period
from kfp_metrics.tillstand import TillstandFel

_LOG = logging.getLogger("kfp_metrics.behorighet")
PERSON = "_kfp_person"
LOGGED = "_kfp_senast_loggad"
PAGE = "_kfp_sida"
DEFAULT_SESSION_HOURS = 10
LOOPBACK = ("127.", "localhost", "::1", "[::1]")
LOCAL_MODE_TEXT = "Lokalt läge – ingen inloggning"


@dataclass(frozen=True)
class Person:
    """Who is using this session and what they may see: the gate's answer for one run."""

    identity: Identity | None  # None in local mode
    permission: Permission
    kontakt: str | None = None

    @property
    def local(self) -> bool:
        return self.identity is None

    @property
    def log_id(self) -> str:
        return self.identity.id if self.identity else "lokalt-läge"


def auth_section() -> dict | None:
    """The [auth] section of secrets.toml, or None when login is not configured."""
    try:
        if "auth" not in st.secrets:
            return None
        section = st.secrets["auth"]
    except (FileNotFoundError, KeyError, AttributeError):
        return None
    except Exception:  # a secrets file that cannot be parsed: treat as not configured, loudly
        _LOG.exception("secrets.toml kan inte läsas")
        return None
    return dict(section) if section else None


def provider_name(section: dict) -> str | None:
    """The named provider ([auth.NAME] with a client_id), or None for the unnamed default."""
    for name, value in section.items():
        if isinstance(value, dict) or hasattr(value, "keys"):
            if "client_id" in value:
                return name
    return None


def session_hours() -> float:
    """KFP_SESSION_TIMMAR, default 10: a login older than this is logged out."""
    try:
        value = float(os.environ.get("KFP_SESSION_TIMMAR", DEFAULT_SESSION_HOURS))
    except ValueError:
        return DEFAULT_SESSION_HOURS
    return value if value > 0 else DEFAULT_SESSION_HOURS


def _login_time(user) -> float | None:
    for claim in ("auth_time", "iat"):
        value = user.get(claim)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def tal_timmar(hours: float) -> str:
    return str(int(hours)) if float(hours).is_integer() else str(hours).replace(".", ",")


def _loopback(address: str | None) -> bool:
    return bool(address) and any(address.startswith(p) for p in LOOPBACK)


def _stop_page(title: str, body: str, kind: str = "error") -> None:
    st.title(title)
    (st.error if kind == "error" else st.info)(body)


def _access_file() -> AccessFile:
    path = default_path(aktivitetslogg.state_dir())
    try:
        stat = path.stat()
        token = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        token = (0, 0)
    return _load_access(str(path), token)


@st.cache_resource(max_entries=4, show_spinner=False)
def _load_access(path: str, token: tuple) -> AccessFile:
    return load(path)


def _identity_text(identity: Identity) -> str:
    parts = [f"**{md_escape(identity.namn)}**"]
    if identity.email and identity.email != identity.namn:
        parts.append(md_escape(identity.email))
    return " · ".join(parts)


def _logout_button(where) -> None:
    where.button("Logga ut", key="kfp_logga_ut", on_click=st.logout, icon=":material/logout:")


def _login_page(section: dict) -> None:
    st.title("Kompetensförsörjning")
    st.markdown(
        "Dashboarden visar uppgifter om kommunens medarbetare. Logga in med ditt konto i kommunen; "
        "du ser sedan den del av organisationen som du har behörighet till."
    )
    provider = provider_name(section)
    if st.button("Logga in", key="kfp_logga_in", type="primary", icon=":material/login:"):
        if provider:
            st.login(provider)
        else:
            st.login()


def _denied_page(person: Person, file: AccessFile) -> None:
    identity = person.identity
    st.title("Ingen behörighet")
    st.markdown(f"Du är inloggad som {_identity_text(identity)}.")
    st.warning(
        "Ditt konto har ingen behörighet till uppgifterna i dashboarden, så inga uppgifter visas. "
        "Behörighet ges per förvaltning, avdelning eller enhet."
    )
    who = file.kontakt or "HR-avdelningen eller den som förvaltar dashboarden"
    st.markdown(f"Be {md_escape(who)} om behörighet och uppge ditt id:")
    st.code(identity.id or "(inget id i inloggningen)", language=None)
    if file.path is None:
        st.caption("Behörighetsfilen är inte upplagd ännu.")
    _logout_button(st)


def current_page() -> str:
    """The title of the page being run, for the access log."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return ""
    try:
        page_hash = ctx.page_script_hash
        for info in ctx.pages_manager.get_pages().values():
            if info.get("page_script_hash") == page_hash:
                return str(info.get("page_name") or info.get("url_pathname") or "")
    except Exception:
        return ""
    return ""


def gate(units=None) -> Person | None:
    """Who is using the app and what they may see; None (with a page drawn) when nothing may be shown.

    units: a callable returning the extracts' (förvaltning, avdelning, enhet) triples, used to
    report and drop grants that name units the extracts lack."""
    section = auth_section()
    if section is None:
        address = st.get_option("server.address")
        if not _loopback(address) and os.environ.get("KFP_UTAN_INLOGGNING") != "1":
            _stop_page(
                "Inloggning saknas",
                f"Appen körs utan inloggning men lyssnar på {md_escape(address or 'alla nätverksadresser')}, så vem "
                "som helst i nätverket skulle kunna se uppgifterna. Konfigurera inloggning ([auth] i "
                ".streamlit/secrets.toml, se docs/behorighet.md), starta med --server.address 127.0.0.1, "
                "eller sätt KFP_UTAN_INLOGGNING=1 om risken är bedömd.",
            )
            return None
        person = Person(None, ALLA)
        st.sidebar.warning(f"**{LOCAL_MODE_TEXT}.** Alla uppgifter visas.", icon=":material/lock_open:")
        st.session_state[PERSON] = person
        return person

    user = st.user
    if not user.get("is_logged_in"):
        st.session_state.pop(PERSON, None)
        _login_page(section)
        return None
    started = _login_time(user)
    if started is not None and time.time() - started > session_hours() * 3600:
        st.session_state.pop(PERSON, None)
        st.logout()
        _login_page(section)
        st.info(f"Du har loggats ut eftersom inloggningen var äldre än {tal_timmar(session_hours())} timmar.")
        return None
    identity = Identity.from_claims(dict(user.to_dict() if hasattr(user, "to_dict") else user))
    try:
        file = _access_file()
    except AccessFileError as exc:
        _stop_page("Behörighetsfilen kan inte läsas", md_escape(str(exc)))
        _logout_button(st)
        return None
    triples = units() if units is not None else None
    permission = resolve(identity, file, triples)
    for problem in permission.ignored:
        _LOG.warning("Behörighet som inte ger något: %s", problem)
    person = Person(identity, permission, file.kontakt)
    if permission.denied:
        st.session_state.pop(PERSON, None)
        _log_once(person, atkomstlogg.DENIED_PAGE, {})
        _denied_page(person, file)
        return None
    st.session_state[PERSON] = person
    side = st.sidebar
    side.markdown(f"Inloggad som {_identity_text(identity)}")
    _logout_button(side)
    return person


def person() -> Person:
    """The gate's answer for this session; raises when the shell has not let the person in."""
    found = st.session_state.get(PERSON)
    if not isinstance(found, Person):
        raise PermissionError("Ingen behörighet har fastställts för sessionen.")
    return found


def _effective(person: Person, urval: dict) -> dict:
    """The scope as logged: the sidebar's choice, or for 'all you may see' the granted units."""
    if any(urval.get(k) for k in ("forvaltning", "avdelning", "enhet")) or person.permission.alla:
        return urval
    boxes = person.permission.boxes
    return {
        k: sorted({n for b in boxes for n in getattr(b, k)}) for k in ("forvaltning", "avdelning", "enhet")
    }


def _write(person: Person, sida: str, urval: dict, nedladdning: str | None = None, period: str | None = None):
    try:
        atkomstlogg.append(person.log_id, sida, _effective(person, urval), nedladdning, period)
    except (TillstandFel, ValueError):
        # The log must not stop the page; the failure is in the server log for the operator.
        _LOG.exception("Åtkomstloggen kunde inte skrivas")


def _log_once(person: Person, sida: str, urval: dict, period: str | None = None) -> None:
    key = (person.log_id, sida, period, repr(sorted(urval.items())))
    if st.session_state.get(LOGGED) == key:
        return
    st.session_state[LOGGED] = key
    _write(person, sida, urval, period=period)


def log_view(urval: dict, period: str) -> None:
    """One access-log row per page view (not per rerun of the same view)."""
    page = current_page()
    st.session_state[PAGE] = page  # callbacks (downloads) run before the page is known again
    _log_once(person(), page, urval, period)


def log_download(what: str) -> None:
    """One access-log line per download; used as the on_click of a download button whose file is
    made in the run (bytes)."""
    _download_entry(what)()


def logged_download(make: Callable[[], bytes], what: str) -> Callable[[], bytes]:
    """make, writing log_download's line when it is called: the data of a download button whose
    file is made when pressed (with on_click="ignore"). Who, page and scope are taken now, in the
    run. As an on_click callback the log ran the page again at the click, and that run replaced
    the button's file while the browser was still fetching it: now and then the download never
    came."""
    log = _download_entry(what)

    def made() -> bytes:
        log()
        return make()

    return made


def _download_entry(what: str) -> Callable[[], None]:
    """Writes the access-log line of a download of `what` for the person, page and scope of now."""
    found = st.session_state.get(PERSON)
    if not isinstance(found, Person):
        return lambda: None
    filters = st.session_state.get("kfp_filters")
    urval = filters.scope.as_dict() if filters is not None else {}
    period = format_period(filters.period) if filters is not None else None
    page = st.session_state.get(PAGE) or current_page()
    return lambda: _write(found, page, urval, nedladdning=what, period=period)
