import streamlit as st

from kfp_metrics import incidenter
from kfp_metrics.format import manad
from kfp_metrics.ui import compute, data, filters, tables

f = filters.current()
scope_text = f.describe()
st.title("Incidenter")

if not data.table_present("incidenter"):
    st.info(
        "Extrakten innehåller inga incidentrapporter (tabellen incidenter saknas). Övriga sidor fungerar "
        "som vanligt."
    )
    st.stop()

st.caption(f"{scope_text} · {f.period.year} mot {f.period.year - 1}, t.o.m. {manad(f.period)}")

st.subheader("Per tertial")
accumulated = st.toggle(
    "Ackumulerat från årets början",
    key="inc_ackumulerat",
    help="Som i tertialrapporterna: tertial 2 visar januari–augusti och tertial 3 hela året.",
)
tertialer = compute.call(incidenter.per_tertial, f.period, f.scope, accumulated=accumulated)
left, right = st.columns(2)
with left:
    tables.chart("inc_per_tertial", incidenter.figure_per_tertial, tertialer, scope_text, f.period)
with right:
    tables.chart(
        "inc_hot_per_tertial", incidenter.figure_per_tertial, tertialer, scope_text, f.period, "hot_och_vald"
    )
tables.show_data(
    lambda: incidenter.tabell_per_tertial(tertialer), "Incidenter per tertial", "inc_per_tertial"
)
st.caption(
    "Tertial 1 = januari–april, 2 = maj–augusti, 3 = september–december. Ett pågående tertial räknas "
    f"t.o.m. {manad(f.period)}."
)

period_text = incidenter.period_text(f.period)
typ_orsak = compute.call(incidenter.per_typ_orsak, f.period, f.scope)
if typ_orsak.empty:
    st.info(f"Inga anmälda incidenter {period_text} i urvalet.")
st.subheader(f"Typ och orsak, {period_text}")
left, right = st.columns(2)
with left:
    per_typ = incidenter.per_typ(typ_orsak)
    tables.chart("inc_per_typ", incidenter.figure_per_typ, per_typ, scope_text, f.period)
    tables.show_data(lambda: incidenter.tabell_per_typ(per_typ), "Incidenter per typ", "inc_per_typ")
with right:
    per_orsak = incidenter.per_orsak(typ_orsak)
    tables.chart("inc_per_orsak", incidenter.figure_per_orsak, per_orsak, scope_text, f.period)
    tables.show_data(lambda: incidenter.tabell_per_orsak(per_orsak), "Incidenter per orsak", "inc_per_orsak")

per_avdelning = compute.call(incidenter.per_avdelning, f.period, f.scope)
niva = incidenter.shown_level(per_avdelning, f.scope)
st.subheader(f"Per {niva}, {period_text}")
tables.chart("inc_per_avdelning", incidenter.figure_per_avdelning, per_avdelning, scope_text, f.period)
tables.show_data(
    lambda: incidenter.tabell_per_avdelning(per_avdelning), f"Incidenter per {niva}", "inc_per_avdelning"
)

st.subheader(f"Per befattning, {period_text}")
if data.column_present("incidenter", "befattning"):
    per_befattning = compute.call(incidenter.per_befattning, f.period, f.scope)
    tables.chart("inc_per_befattning", incidenter.figure_per_befattning, per_befattning, scope_text, f.period)
    tables.show_data(
        lambda: incidenter.tabell_per_befattning(per_befattning),
        "Incidenter per befattning",
        "inc_per_befattning",
    )
    st.caption(f"De {incidenter.TOPP_BEFATTNINGAR} befattningar med flest anmälningar.")
else:
    st.info("Incidentextraktet har ingen befattning, så fördelningen per befattning kan inte visas.")
