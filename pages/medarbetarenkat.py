import streamlit as st

from kfp_metrics import medarbetarenkat
from kfp_metrics.kolada import diagram as kolada_diagram
from kfp_metrics.personal import Kpi
from kfp_metrics.ui import cards, compute, data, filters, kolada, tables

f = filters.current()
scope_text = f.describe()
st.title("Medarbetarenkät")

if not data.table_present("medarbetarenkat"):
    st.info(
        "Extrakten innehåller ingen medarbetarenkät (tabellen medarbetarenkat saknas). Övriga sidor "
        "fungerar som vanligt."
    )
    st.stop()

enkat = compute.call(medarbetarenkat.per_ar_och_fragor, f.period, f.scope)
per_ar = enkat["per_ar"]
if per_ar.empty:
    st.caption(scope_text)
    st.info(f"Urvalet har ingen medarbetarenkät t.o.m. {f.period.year}.")
    st.stop()

year = medarbetarenkat.latest_year(per_ar)
st.caption(f"{scope_text} · enkäten {year} (senaste t.o.m. {f.period.year})")
notice = medarbetarenkat.small_scope_notice(per_ar)
if notice:
    st.info(notice)

kpis = [
    Kpi(label, value, help=help_text, metric_id=metric_id)
    for (label, value, help_text), metric_id in zip(
        medarbetarenkat.kpis(per_ar), medarbetarenkat.KPI_METRICS, strict=True
    )
]
jamforelser = kolada.jamforelser(f, tuple(k.metric_id for k in kpis if k.metric_id))
cards.kpi_row(kpis, jamforelser)
kolada.note(jamforelser.values())

st.subheader("Index över åren")
tables.chart(
    "enkat_per_ar",
    kolada_diagram.with_references,
    "kfp_metrics.medarbetarenkat:figure_per_ar",
    "medarbetarindex",
    kolada.serier(f, "medarbetarindex"),
    "ar",
    per_ar,
    scope_text,
    f.period,
)
tables.show_data(lambda: medarbetarenkat.tabell_per_ar(per_ar), "Medarbetarindex per år", "enkat_per_ar")
st.caption(
    "Medarbetarindex är medelvärdet av delindexen motivation, ledarskap och styrning (0–100). Varje "
    "frågas index är viktat med antalet svar i enheterna."
)
kolada.marker_note(f, "medarbetarindex", per_ar)

fragor = enkat["fragor"]
st.subheader(f"Starkaste och svagaste frågorna {year}")
left, right = st.columns(2)
with left:
    starkaste = medarbetarenkat.starkaste(fragor)
    tables.chart(
        "enkat_starkaste", medarbetarenkat.figure_fragor, starkaste, scope_text, "Fem starkaste frågorna"
    )
    tables.show_data(
        lambda: medarbetarenkat.tabell_fragor(starkaste), "Starkaste frågorna", "enkat_starkaste"
    )
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
    tables.show_data(lambda: medarbetarenkat.tabell_fragor(svagaste), "Svagaste frågorna", "enkat_svagaste")

st.subheader("Största förändringarna sedan förra enkäten")
forandringar = medarbetarenkat.storsta_forandringar(fragor)
tables.chart("enkat_forandringar", medarbetarenkat.figure_forandringar, forandringar, scope_text)
tables.show_data(
    lambda: medarbetarenkat.tabell_fragor(forandringar), "Största förändringarna", "enkat_forandringar"
)

per_enhet = compute.call(medarbetarenkat.celler_och_svar, f.period, f.scope)
celler = per_enhet["celler"]
niva = medarbetarenkat.shown_level(celler, f.scope)
st.subheader(f"Frågor per {niva}")
if niva == "förvaltning":
    tables.per_forvaltning_note("frågorna", "tabellen")
tables.chart("enkat_heatmap", medarbetarenkat.figure_heatmap, celler, scope_text)
tables.show_data(lambda: medarbetarenkat.tabell_heatmap(celler), f"Frågor per {niva}", "enkat_heatmap")

st.subheader(f"Svarsfrekvens per {niva}")
svar = per_enhet["svar"]
tables.chart("enkat_svarsfrekvens", medarbetarenkat.figure_svarsfrekvens, svar, scope_text)
tables.show_data(
    lambda: medarbetarenkat.tabell_svarsfrekvens(svar), f"Svarsfrekvens per {niva}", "enkat_svarsfrekvens"
)

note = medarbetarenkat.suppression_note(per_ar, fragor, celler)
if note:
    st.caption(note)
