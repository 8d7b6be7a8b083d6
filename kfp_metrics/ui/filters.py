"""The global sidebar filters (period, förvaltning, avdelning, enhet), bound to the URL."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

import streamlit as st

from kfp_metrics.behorighet import ALLA, Permission
from kfp_metrics.format import manad
from kfp_metrics.periods import format_period
from kfp_metrics.queries import Scope
from kfp_metrics.ui import data
from kfp_metrics.urval import beskriv

URL_KEYS = ("period", "forvaltning", "avdelning", "enhet")
_STATE = "kfp_filters"
_SEEDED = "_kfp_url_seeded"
_NOTICES = "_kfp_url_notices"
ALL = ""


@dataclass(frozen=True)
class Filters:
    """What the sidebar selects: the month P and the organisational scope."""

    period: dt.date
    scope: Scope
    first_period: dt.date
    last_period: dt.date
    permission: Permission = ALLA

    @property
    def period_text(self) -> str:
        return format_period(self.period)

    def _chosen(self) -> str | None:
        """The chosen units' names; an avdelning or enhet whose name exists in several förvaltningar
        (of those the person may see) is followed by its förvaltning (urval.beskriv)."""
        if self.scope.is_all:
            return None
        if self.scope.forvaltning and not (self.scope.avdelning or self.scope.enhet):
            return beskriv(self.scope)
        return beskriv(self.scope, data.query("organisation", Scope()))

    def wholly_permitted(self) -> bool:
        """Whether the chosen units lie whole inside the grant, so their names alone are true."""
        p, s = self.permission, self.scope
        if p.alla:
            return True
        if s.enhet:
            return True  # an enhet is the smallest unit: chosen means permitted in full
        if s.avdelning and s.forvaltning:
            return all(p.covers_whole(s.forvaltning[0], a) for a in s.avdelning)
        if s.forvaltning:
            return p.covers_whole(s.forvaltning[0])
        return False

    def describe(self) -> str:
        """The scope in words, for titles: 'Avdelning X, Y' or the förvaltning; for a person who
        may see part of the organisation, 'Ditt urval: …' wherever the names alone would say more."""
        return self._description

    # Once per Filters (one per run): a page's title, caption and charts all ask, and the names
    # of an avdelning are looked up in the whole organisation tree.
    @functools.cached_property
    def _description(self) -> str:
        chosen = self._chosen()
        if self.permission.alla:
            return chosen or "Alla förvaltningar"
        if chosen and self.wholly_permitted():
            return chosen
        mine = f"Ditt urval: {self.permission.describe()}"
        return f"{chosen} ({mine[0].lower()}{mine[1:]})" if chosen else mine


def _shown(value: str, limit: int = 60) -> str:
    """A URL value safe to show in a notice: cut short, markdown characters escaped."""
    text = value if len(value) <= limit else value[:limit] + "…"
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$])", r"\\\1", text)


def _seed_from_url(periods: list[str], org) -> list[str]:
    """Copy valid URL values into the widgets' state once per session; notices for the rest."""
    notices = []
    params = st.query_params
    period = params.get("period")
    if period is not None:
        if period in periods:
            st.session_state["f_period"] = period
        else:
            notices.append(
                f"Perioden «{_shown(period)}» i länken finns inte i extrakten; senaste månaden visas."
            )
    forvaltning = params.get("forvaltning")
    if forvaltning is not None:
        if forvaltning in set(org["forvaltning"]):
            st.session_state["f_forvaltning"] = forvaltning
        else:
            notices.append(
                f"Förvaltningen «{_shown(forvaltning)}» i länken finns inte; alla förvaltningar visas."
            )
            forvaltning = None
    in_forv = org if not forvaltning else org[org["forvaltning"] == forvaltning]
    avdelningar = params.get_all("avdelning")
    if avdelningar:
        known = set(in_forv["avdelning"])
        valid = [a for a in dict.fromkeys(avdelningar) if a in known]
        for bad in [a for a in avdelningar if a not in known]:
            notices.append(f"Avdelningen «{_shown(bad)}» i länken finns inte och har tagits bort ur urvalet.")
        st.session_state["f_avdelning"] = valid
    enhet = params.get("enhet")
    if enhet is not None:
        in_avd = in_forv if not avdelningar else in_forv[in_forv["avdelning"].isin(avdelningar)]
        if enhet in set(in_avd["enhet"]):
            st.session_state["f_enhet"] = enhet
        else:
            notices.append(f"Enheten «{_shown(enhet)}» i länken finns inte i urvalet; alla enheter visas.")
    return notices


def _write_url(period: str, latest: str, forvaltning: str, avdelningar: list[str], enhet: str) -> None:
    """Mirror the selection into the URL so the view can be shared as a link."""
    wanted = {
        "period": period if period != latest else None,
        "forvaltning": forvaltning or None,
        "avdelning": avdelningar or None,
        "enhet": enhet or None,
    }
    for key, value in wanted.items():
        current = st.query_params.get_all(key)
        if value is None:
            if current:
                del st.query_params[key]
        else:
            target = value if isinstance(value, list) else [value]
            if current != target:
                st.query_params[key] = value


def sidebar(permission: Permission = ALLA) -> Filters | None:
    """Render the global filters in the sidebar and return the selection (None without data).

    The organisation tree comes through the person's connection, so it holds only the units
    they may see: a URL naming any other unit gets the same notice as a name that does not exist."""
    periods_df = data.query("perioder", Scope())
    org = data.query("organisation", Scope())
    if periods_df.empty:
        st.sidebar.warning("Extrakten innehåller inga månader i tabellen anstallningar.")
        return None
    alla_text = "Alla förvaltningar" if permission.alla else "Alla du har behörighet till"
    periods = [format_period(p) for p in periods_df["period"]]
    latest = periods[-1]
    if not st.session_state.get(_SEEDED):
        st.session_state[_NOTICES] = _seed_from_url(periods, org)
        st.session_state[_SEEDED] = True

    side = st.sidebar
    side.header("Urval")
    period = side.selectbox(
        "Period (månad)",
        list(reversed(periods)),
        format_func=manad,
        key="f_period",
        help="Ögonblicksbilder avser månaden; sjukfrånvaro och personalomsättning de 12 månaderna t.o.m. den.",
    )
    forvaltningar = sorted(org["forvaltning"].unique())
    if st.session_state.get("f_forvaltning") not in [ALL, *forvaltningar]:
        st.session_state["f_forvaltning"] = ALL
    forvaltning = side.selectbox(
        "Förvaltning",
        [ALL, *forvaltningar],
        key="f_forvaltning",
        format_func=lambda v: v or alla_text,
    )
    in_forv = org if not forvaltning else org[org["forvaltning"] == forvaltning]
    avd_options = sorted(in_forv["avdelning"].unique())
    kept = [a for a in st.session_state.get("f_avdelning", []) if a in avd_options]
    if kept != st.session_state.get("f_avdelning", []):
        st.session_state["f_avdelning"] = kept
    avdelningar = side.multiselect(
        "Avdelning", avd_options, key="f_avdelning", placeholder="Alla avdelningar", select_all=False
    )
    in_avd = in_forv if not avdelningar else in_forv[in_forv["avdelning"].isin(avdelningar)]
    enheter = sorted(in_avd["enhet"].unique())
    if st.session_state.get("f_enhet") not in [ALL, *enheter]:
        st.session_state["f_enhet"] = ALL
    enhet = side.selectbox("Enhet", [ALL, *enheter], key="f_enhet", format_func=lambda v: v or "Alla enheter")

    for notice in st.session_state.get(_NOTICES, []):
        side.warning(notice, icon="⚠️")
    _write_url(period, latest, forvaltning, avdelningar, enhet)

    filters = Filters(
        period=dt.date.fromisoformat(period + "-01"),
        scope=Scope.of([forvaltning] if forvaltning else [], avdelningar, [enhet] if enhet else []),
        first_period=dt.date.fromisoformat(periods[0] + "-01"),
        last_period=dt.date.fromisoformat(latest + "-01"),
        permission=permission,
    )
    st.session_state[_STATE] = filters
    return filters


@data.per_run
def _shell_drawn() -> bool:
    """shell.start() once per run of the page (data.per_run keeps its answer on the run's context)."""
    from kfp_metrics.ui import shell

    return shell.start()


def current() -> Filters:
    """The sidebar's selection for this run; draws the shell (validation, filters) once per run.

    Pages call this first. Drawing it from the page, not only from app.py, keeps it right when a
    page is rerun on its own (as streamlit.testing does after st.navigation).
    """
    if not _shell_drawn():
        st.stop()
    return st.session_state[_STATE]
