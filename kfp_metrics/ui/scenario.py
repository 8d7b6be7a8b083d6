"""The Prognos page's scenario controls, bound to the URL like the sidebar filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from kfp_metrics import prognos
from kfp_metrics.format import tal
from kfp_metrics.ui.filters import _shown

URL_PENSIONSALDER = "pensionsalder"
URL_AR_TILL = "ar_till"
URL_TILLVAXT = "tillvaxt"
URL_BEFATTNING = "befattningstillvaxt"
URL_ANDRING = "avgangsandring"
URL_NIVA = "gruppering"
URL_KEYS = (URL_PENSIONSALDER, URL_AR_TILL, URL_TILLVAXT, URL_BEFATTNING, URL_ANDRING, URL_NIVA)

K_PENSIONSALDER = "prog_pensionsalder"
K_AR_TILL = "prog_ar_till"
K_TILLVAXT = "prog_tillvaxt"
K_EGNA = "prog_egna"
K_ANDRING = "prog_andring"
K_NIVA = "prog_niva"
_SEEDED = "_prog_url_seeded"
_NOTICES = "_prog_url_notices"
_AR_DEFAULT = "_prog_ar_till_standard"

# The sliders' steps, written in Swedish form; a URL value that is not a step is refused like any
# other hostile value (the command takes any value).
TILLVAXT_STEG = tuple(x / 2 for x in range(-20, 21))  # −10 … +10 % per year in half percents
ANDRING_STEG = tuple(float(x) for x in range(-100, 105, 5))  # −100 … +100 % in steps of 5
TILLVAXT_UI = (TILLVAXT_STEG[0], TILLVAXT_STEG[-1])
ANDRING_UI = (ANDRING_STEG[0], ANDRING_STEG[-1])
MAX_EGNA = 50
NIVAER = {"befattning": "Befattning", "yrkeskategori": "Yrkeskategori"}


def growth_key(befattning: str) -> str:
    """The widget key of one befattning's own growth."""
    return f"prog_tv::{befattning}"


@dataclass(frozen=True)
class Scenario:
    """What the controls select."""

    pensionsalder: int
    ar_till: int
    tillvaxt_alla: float
    tillvaxt: tuple[tuple[str, float], ...]
    avgangsandring_pct: float
    niva: str


def _number(raw: str, steps: tuple[float, ...]) -> float:
    value = prognos.parse_procent(raw, steps[0], steps[-1])
    if value not in steps:
        raise ValueError(raw)
    return value


def _signed(value: float, decimals: int = 1) -> str:
    """'+1,5 %', '−20 %', '0 %' for the sliders."""
    if value == 0:
        return "0 %"
    sign = "+" if value > 0 else "\u2212"
    return f"{sign}{tal(abs(value), decimals)}\u00a0%"


def _seed(period: dt.date, befattningar: list[str], kategorier: bool) -> list[str]:
    """Copy valid URL values into the widgets' state; a Swedish notice for each value ignored."""
    params = st.query_params
    notices = []
    raw = params.get(URL_PENSIONSALDER)
    if raw is not None:
        if raw.strip().isdigit() and int(raw) in prognos.PENSIONSALDRAR:
            st.session_state[K_PENSIONSALDER] = int(raw)
        else:
            notices.append(f"Pensionsåldern «{_shown(raw)}» i länken är ogiltig (65–69); 65 år används.")
    raw = params.get(URL_AR_TILL)
    if raw is not None:
        low, high = prognos.ar_till_range(period)
        if raw.strip().isdigit() and low <= int(raw) <= high:
            st.session_state[K_AR_TILL] = int(raw)
        else:
            notices.append(
                f"Prognosens slutår «{_shown(raw)}» i länken är ogiltigt ({low}–{high}); "
                f"{period.year + prognos.DEFAULT_AR} används."
            )
    raw = params.get(URL_TILLVAXT)
    if raw is not None:
        try:
            st.session_state[K_TILLVAXT] = _number(raw, TILLVAXT_STEG)
        except ValueError:
            notices.append(
                f"Tillväxten «{_shown(raw)}» i länken är ogiltig "
                f"({TILLVAXT_UI[0]:.0f} till {TILLVAXT_UI[1]:.0f} % per år i steg om 0,5); 0 % används."
            )
    raw = params.get(URL_ANDRING)
    if raw is not None:
        try:
            st.session_state[K_ANDRING] = _number(raw, ANDRING_STEG)
        except ValueError:
            notices.append(
                f"Förändringen av personalomsättningen «{_shown(raw)}» i länken är ogiltig "
                f"({ANDRING_UI[0]:.0f} till {ANDRING_UI[1]:.0f} % i steg om 5); 0 % används."
            )
    raw = params.get(URL_NIVA)
    if raw is not None:
        if raw in NIVAER and (raw == "befattning" or kategorier):
            st.session_state[K_NIVA] = raw
        else:
            notices.append(f"Grupperingen «{_shown(raw)}» i länken finns inte; befattningar visas.")
    egna: dict[str, float] = {}
    known = set(befattningar)
    for raw in params.get_all(URL_BEFATTNING)[:MAX_EGNA]:
        try:
            name, value = prognos.parse_tillvaxt(raw)
            if value not in TILLVAXT_STEG:
                raise ValueError(raw)
        except ValueError:
            notices.append(
                f"Tillväxten «{_shown(raw)}» i länken är ogiltig (BEFATTNING=PROCENT, {TILLVAXT_UI[0]:.0f} till "
                f"{TILLVAXT_UI[1]:.0f} % per år i steg om 0,5) och används inte."
            )
            continue
        if name not in known:
            notices.append(
                f"Befattningen «{_shown(name)}» i länken finns inte bland urvalets tillsvidareanställda "
                "och har tagits bort ur scenariot."
            )
            continue
        egna[name] = value
    if len(params.get_all(URL_BEFATTNING)) > MAX_EGNA:
        notices.append(f"Länken anger tillväxt för fler än {MAX_EGNA} befattningar; de övriga används inte.")
    if egna:
        st.session_state[K_EGNA] = list(egna)
        for name, value in egna.items():
            st.session_state[growth_key(name)] = value
    return notices


def _text(value: float) -> str:
    return f"{value:g}"


def _write_url(s: Scenario, period: dt.date) -> None:
    wanted = {
        URL_PENSIONSALDER: str(s.pensionsalder) if s.pensionsalder != prognos.DEFAULT_PENSIONSALDER else None,
        URL_AR_TILL: str(s.ar_till) if s.ar_till != period.year + prognos.DEFAULT_AR else None,
        URL_TILLVAXT: _text(s.tillvaxt_alla) if s.tillvaxt_alla else None,
        URL_BEFATTNING: [f"{name}={_text(value)}" for name, value in s.tillvaxt] or None,
        URL_ANDRING: _text(s.avgangsandring_pct) if s.avgangsandring_pct else None,
        URL_NIVA: s.niva if s.niva != "befattning" else None,
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


def controls(period: dt.date, befattningar: list[str], kategorier: bool) -> Scenario:
    """Draw the scenario controls (seeded from the URL once per session) and return the choice."""
    if not st.session_state.get(_SEEDED):
        st.session_state[_NOTICES] = _seed(period, befattningar, kategorier)
        st.session_state[_SEEDED] = True
    low, high = prognos.ar_till_range(period)
    years = list(range(low, high + 1))
    default_ar = period.year + prognos.DEFAULT_AR
    # A last year left at the default follows the period; one the reader chose stays while it is valid.
    if st.session_state.get(K_AR_TILL) not in years or st.session_state.get(
        K_AR_TILL
    ) == st.session_state.get(_AR_DEFAULT):
        st.session_state[K_AR_TILL] = default_ar
    st.session_state[_AR_DEFAULT] = default_ar
    if not kategorier and st.session_state.get(K_NIVA) == "yrkeskategori":
        st.session_state[K_NIVA] = "befattning"
    for key, default in (
        (K_PENSIONSALDER, prognos.DEFAULT_PENSIONSALDER),
        (K_TILLVAXT, 0.0),
        (K_ANDRING, 0.0),
        (K_NIVA, "befattning"),
    ):
        st.session_state.setdefault(key, default)
    kept = [b for b in st.session_state.get(K_EGNA, []) if b in set(befattningar)]
    if kept != st.session_state.get(K_EGNA, []):
        st.session_state[K_EGNA] = kept

    with st.container(border=True, key="prog_scenario"):
        st.markdown("**Scenario**")
        left, mid, right, last = st.columns(4)
        pensionsalder = left.selectbox(
            "Pensionsålder",
            prognos.PENSIONSALDRAR,
            key=K_PENSIONSALDER,
            format_func=lambda a: f"{a} år",
            help="Åldern då medarbetarna antas gå i pension.",
        )
        ar_till = mid.selectbox(
            "Prognos till och med",
            years,
            key=K_AR_TILL,
            help=f"Prognosen räknas från {period.year + 1}, högst tio år framåt.",
        )
        tillvaxt_alla = right.select_slider(
            "Tillväxt per år, alla befattningar",
            TILLVAXT_STEG,
            format_func=_signed,
            key=K_TILLVAXT,
            help="Årlig förändring av personalbehovet, t.ex. 1,5 för befolkningsökning. Negativt = minskning.",
        )
        andring = last.select_slider(
            "Förändring av personalomsättningen",
            ANDRING_STEG,
            format_func=lambda v: _signed(v, 0),
            key=K_ANDRING,
            help="Ändrar varje befattnings avgångsandel relativt de senaste 12 månaderna: "
            "−20 betyder en femtedel färre avgångar.",
        )
        egna = st.multiselect(
            "Egen tillväxt för befattningar",
            befattningar,
            key=K_EGNA,
            placeholder="Välj befattningar som ska ha en annan tillväxt än övriga",
            help="Befattningar som inte väljs får tillväxten för alla befattningar.",
            select_all=False,
        )
        own: list[tuple[str, float]] = []
        if egna:
            columns = st.columns(min(len(egna), 4))
            for i, name in enumerate(egna):
                key = growth_key(name)
                if st.session_state.get(key) not in TILLVAXT_STEG:
                    st.session_state[key] = float(tillvaxt_alla)
                value = columns[i % len(columns)].select_slider(
                    f"{name}, tillväxt per år", TILLVAXT_STEG, format_func=_signed, key=key
                )
                own.append((name, float(value)))
        niva = "befattning"
        if kategorier:
            niva = (
                st.segmented_control(
                    "Visa tabellen per",
                    list(NIVAER),
                    format_func=NIVAER.get,
                    key=K_NIVA,
                    required=True,
                )
                or "befattning"
            )
    for notice in st.session_state.get(_NOTICES, []):
        st.warning(notice, icon="⚠️")
    scenario = Scenario(
        pensionsalder=int(pensionsalder),
        ar_till=int(ar_till),
        tillvaxt_alla=float(tillvaxt_alla),
        tillvaxt=tuple(sorted(own)),
        avgangsandring_pct=float(andring),
        niva=niva,
    )
    _write_url(scenario, period)
    return scenario
