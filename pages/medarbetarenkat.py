import streamlit as st

from kfp_metrics import medarbetarenkat
from kfp_metrics.ui import compute, data, filters, tables

f = filters.current()
scope_text = f.describe()
st.title("Medarbetarenkät")

if not data.table_present("medarbetarenkat"):
    st.info(
        "Extrakten innehåller ingen medarbetarenkät (tabellen medarbetarenkat saknas). Övriga sidor "
        "fungerar som vanligt."
    )
    st.stop()

per_ar = compute.call(medarbetarenkat.per_ar, f.period, f.scope)
if per_ar.empty:
    st.caption(scope_text)
    st.info(f"Urvalet har ingen medarbetarenkät t.o.m. {f.period.year}.")
    st.stop()

year = medarbetarenkat.latest_year(per_ar)
st.caption(f"{scope_text} · enkäten {year} (senaste t.o.m. {f.period.year})")
notice = medarbetarenkat.small_scope_notice(per_ar)
if notice:
    st.info(notice)

for column, (label, value, help_text) in zip(st.columns(5), medarbetarenkat.kpis(per_ar), strict=True):
    column.metric(label, value, help=help_text, border=True)

st.subheader("Index över åren")
tables.chart("enkat_per_ar", medarbetarenkat.figure_per_ar, per_ar, scope_text, f.period)
tables.show_data(medarbetarenkat.tabell_per_ar(per_ar), "Medarbetarindex per år", "enkat_per_ar")
st.caption(
    "Medarbetarindex är medelvärdet av delindexen motivation, ledarskap och styrning (0–100). Varje "
    "frågas index är viktat med antalet svar i enheterna."
)

fragor = compute.call(medarbetarenkat.fragor, f.period, f.scope)
st.subheader(f"Starkaste och svagaste frågorna {year}")
left, right = st.columns(2)
with left:
    starkaste = medarbetarenkat.starkaste(fragor)
    tables.chart(
        "enkat_starkaste", medarbetarenkat.figure_fragor, starkaste, scope_text, "Fem starkaste frågorna"
    )
    tables.show_data(medarbetarenkat.tabell_fragor(starkaste), "Starkaste frågorna", "enkat_starkaste")
with right:
    svagaste = medarbetarenkat.svagaste(fragor)
    tables.chart(
        "enkat_svagaste",
        medarbetarenkat.figure_fragor,
        svagaste,
        scope_text,
        "Fem svagaste frågorna",
        strong=False,
    )
    tables.show_data(medarbetarenkat.tabell_fragor(svagaste), "Svagaste frågorna", "enkat_svagaste")

st.subheader("Största förändringarna sedan förra enkäten")
forandringar = medarbetarenkat.storsta_forandringar(fragor)
tables.chart("enkat_forandringar", medarbetarenkat.figure_forandringar, forandringar, scope_text)
tables.show_data(medarbetarenkat.tabell_fragor(forandringar), "Största förändringarna", "enkat_forandringar")

celler = compute.call(medarbetarenkat.fraga_per_avdelning, f.period, f.scope)
niva = medarbetarenkat.shown_level(celler, f.scope)
st.subheader(f"Frågor per {niva}")
if niva == "förvaltning":
    tables.per_forvaltning_note("frågorna", "tabellen")
tables.chart("enkat_heatmap", medarbetarenkat.figure_heatmap, celler, scope_text)
tables.show_data(medarbetarenkat.tabell_heatmap(celler), f"Frågor per {niva}", "enkat_heatmap")

st.subheader(f"Svarsfrekvens per {niva}")
svar = compute.call(medarbetarenkat.svar_per_avdelning, f.period, f.scope)
tables.chart("enkat_svarsfrekvens", medarbetarenkat.figure_svarsfrekvens, svar, scope_text)
tables.show_data(
    medarbetarenkat.tabell_svarsfrekvens(svar), f"Svarsfrekvens per {niva}", "enkat_svarsfrekvens"
)

note = medarbetarenkat.suppression_note(per_ar, fragor, celler)
if note:
    st.caption(note)
