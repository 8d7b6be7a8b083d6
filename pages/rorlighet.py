import streamlit as st

from kfp_metrics import analys, rorlighet
from kfp_metrics.format import manad
from kfp_metrics.ui import cards, compute, data, filters, samtidigt, tables

f = filters.current()
scope_text = f.describe()
st.title("Rörlighet och pension")
st.caption(f"{scope_text} · {manad(f.period)}")

# The pensionsålder chosen further down (its value from the last run) also drives the card at the top.
# So does the anställningsform chosen for the year's events: with both known, what the page shows
# is computed side by side before it is drawn.
pensionsalder = st.session_state.get("ror_pensionsalder", rorlighet.DEFAULT_PENSIONSALDER)
form = st.session_state.get("ror_form") or "alla"
med_prognos = data.table_present("personalprognos")
(now, before), targets, trend, tackning, per_befattning, jamforelser, pension, prognos = (
    samtidigt.side_by_side(
        [
            lambda: data.key_figures_and_year_before(
                f.period, f.scope, f.first_period, ("rorlighet", "pension"), ("rorlighet",), pensionsalder
            ),
            lambda: data.targets(f.period, f.scope),
            lambda: compute.call(rorlighet.personalomsattning_per_manad, f.period, f.scope),
            lambda: compute.call(rorlighet.tackning),
            lambda: compute.call(rorlighet.personalomsattning_per_befattning, f.period, f.scope),
            lambda: compute.call(rorlighet.jamforelser, f.period, f.scope, anstallningsform=form),
            lambda: compute.call(
                rorlighet.pension_per_avdelning, f.period, f.scope, pensionsalder=pensionsalder
            ),
            lambda: compute.call(rorlighet.personalprognos, f.period, f.scope) if med_prognos else None,
        ]
    )
)
cards.kpi_row(rorlighet.kpis(now, before, targets, trend))

st.subheader("Personalomsättning")
tables.chart(
    "personalomsattning",
    rorlighet.figure_personalomsattning,
    trend,
    scope_text,
    f.period,
    targets.get("personalomsattning_pct"),
    tackning.not_text,
)
tables.show_data(
    lambda: rorlighet.tabell_personalomsattning(trend),
    "Personalomsättning rullande 12 månader",
    "personalomsattning",
)
st.caption(
    "Varje punkt avser de 12 månaderna t.o.m. månaden: avgångar bland tillsvidareanställda till annan förvaltning "
    "eller utanför kommunen, i procent av genomsnittligt antal tillsvidareanställda. Byten inom förvaltningen "
    "räknas inte. Kurvan börjar när extrakten täcker tolv månader."
)
if tackning.not_text:
    st.caption(tackning.not_text)

tables.chart(
    "personalomsattning_befattning",
    rorlighet.figure_personalomsattning_per_befattning,
    per_befattning,
    scope_text,
    f.period,
)
tables.show_data(
    lambda: rorlighet.tabell_personalomsattning_per_befattning(per_befattning),
    "Personalomsättning per befattning",
    "personalomsattning_befattning",
)
st.caption(
    f"Endast befattningar med i genomsnitt minst {analys.MIN_GRUPP} tillsvidareanställda under de 12 månaderna "
    "visas, så att enskilda personers avgångar inte kan pekas ut."
)

st.subheader("Avgångar och rekryteringar hittills i år")
st.segmented_control(
    "Anställningsform",
    list(rorlighet.ANSTALLNINGSFORMER),
    format_func=rorlighet.ANSTALLNINGSFORMER.get,
    default="alla",
    key="ror_form",
    required=True,
)
orsak, vag, rekrytering = jamforelser["orsak"], jamforelser["vag"], jamforelser["rekrytering"]
left, right = st.columns(2)
with left:
    tables.chart(
        "avgangar_orsak",
        rorlighet.figure_jamforelse,
        orsak,
        "Avgångar per orsak",
        scope_text,
        f.period,
        narrow=True,
    )
    tables.show_data(lambda: rorlighet.tabell_jamforelse(orsak), "Avgångar per orsak", "avgangar_orsak")
with right:
    tables.chart(
        "avgangar_vag",
        rorlighet.figure_jamforelse,
        vag,
        "Avgångar per väg",
        scope_text,
        f.period,
        narrow=True,
    )
    tables.show_data(lambda: rorlighet.tabell_jamforelse(vag), "Avgångar per väg", "avgangar_vag")
left, right = st.columns(2)
with left:
    tables.chart(
        "rekryteringar_vag",
        rorlighet.figure_jamforelse,
        rekrytering,
        "Rekryteringar per väg",
        scope_text,
        f.period,
        narrow=True,
    )
    tables.show_data(
        lambda: rorlighet.tabell_jamforelse(rekrytering), "Rekryteringar per väg", "rekryteringar_vag"
    )
with right:
    st.markdown(
        f"**Jämförelse:** {rorlighet.ytd_label(f.period, f.period.year)} mot samma period året innan. "
        "*Väg* anger varifrån personen kom eller vart hen gick: inom förvaltningen, till eller från en annan "
        "förvaltning i kommunen, eller utanför kommunen."
    )
    if analys.any_withheld(orsak):
        st.caption(
            f"\\.\\. = orsaken visas inte när färre än {analys.MIN_ANTAL_ORSAK} personer slutat av samma orsak; "
            "ytterligare en orsak döljs så att värdet inte kan räknas fram ur summan."
        )

st.subheader("Pensionsavgångar")
st.selectbox(
    "Pensionsålder",
    rorlighet.PENSIONSALDRAR,
    index=0,
    key="ror_pensionsalder",
    format_func=lambda a: f"{a} år",
    help="Åldern då medarbetarna antas gå i pension (65–69 år).",
    width=220,
)
years = rorlighet.pension_years(f.period)
st.markdown(
    f"**Tillsvidareanställda i {manad(f.period)} som fyller {pensionsalder} år** – redan uppnått "
    f"(år {f.period.year} eller tidigare) och under {years[0]}–{years[-1]}"
)
if pension.empty:
    st.info(f"Urvalet har inga tillsvidareanställda i {manad(f.period)}.")
else:
    st.dataframe(
        rorlighet.tabell_pension_per_avdelning(pension, f.period, formatted=True),
        hide_index=True,
        width="stretch",
        height="content",
        key="tabell_pension_avdelning",
    )
    tables.chart(
        "pension_avdelning",
        rorlighet.figure_pension_per_avdelning,
        pension,
        scope_text,
        f.period,
        pensionsalder,
    )
    tables.show_data(
        lambda: rorlighet.tabell_pension_per_avdelning(pension, f.period),
        "Pensionsavgångar per avdelning",
        "pension_avdelning",
    )
    befattningar = compute.call(
        rorlighet.pension_per_befattning, f.period, f.scope, pensionsalder=pensionsalder
    )
    st.markdown(f"**Befattningar med flest som når {pensionsalder} år t.o.m. {years[-1]}**")
    if befattningar.empty:
        st.info(f"Ingen tillsvidareanställd i urvalet når {pensionsalder} år t.o.m. {years[-1]}.")
    else:
        st.dataframe(
            rorlighet.tabell_pension_per_befattning(befattningar, f.period, formatted=True),
            hide_index=True,
            width="stretch",
            height="content",
            key="tabell_pension_befattning",
        )
        tables.show_data(
            lambda: rorlighet.tabell_pension_per_befattning(befattningar, f.period),
            "Pensionsavgångar per befattning",
            "pension_befattning",
        )

st.subheader("Personalprognos")
if not med_prognos:
    st.info("Extrakten innehåller ingen personalprognos (tabellen personalprognos saknas).")
else:
    tables.chart("personalprognos", rorlighet.figure_personalprognos, prognos, scope_text, f.period)
    tables.show_data(lambda: rorlighet.tabell_personalprognos(prognos), "Personalprognos", "personalprognos")
    if f.scope.avdelning or f.scope.enhet:
        st.caption("Prognosen finns per förvaltning; avdelnings- och enhetsurvalet påverkar den inte.")
