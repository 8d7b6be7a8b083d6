import datetime as dt

import streamlit as st

from kfp_metrics import aktiviteter as akt
from kfp_metrics.aktivitetslogg import STATUS_LABELS
from kfp_metrics.format import datum, manad
from kfp_metrics.periods import reference_date
from kfp_metrics.queries import Scope
from kfp_metrics.ui import aktivitet_form as form
from kfp_metrics.ui import data, filters, tables

f = filters.current()
today = dt.date.today()
referensdatum = reference_date(f.period, today)
forvaltningar = sorted(data.query("organisation", Scope())["forvaltning"].unique())
import_forvaltning = (
    f.scope.forvaltning[0] if f.scope.forvaltning else (forvaltningar[0] if len(forvaltningar) == 1 else None)
)

st.title("Aktiviteter")
st.caption(
    f"{akt.md_escape(f.describe())} · {manad(f.period)} · Försenad = måldatum före {datum(referensdatum)} "
    "och aktiviteten är varken klar eller inställd."
)

if not data.table_present("aktiviteter"):
    st.info(
        "Extrakten har ingen tabell aktiviteter, så det finns ingen aktivitetsplan att följa upp. "
        "Importera planen från Excel eller CSV nedan."
    )
    form.import_section(forvaltningar, import_forvaltning)
    st.stop()

plan, varningar = form.plan(f.scope, referensdatum)
for varning in varningar:
    st.warning(akt.md_escape(varning))

antal = akt.counts(plan)
columns = st.columns(5)
columns[0].metric("Aktiviteter", antal["antal"])
columns[1].metric(STATUS_LABELS["ej_paborjad"], antal["ej_paborjad"])
columns[2].metric(STATUS_LABELS["pagar"], antal["pagar"])
columns[3].metric(STATUS_LABELS["klar"], antal["klar"])
columns[4].metric(
    "Försenade", antal["forsenade"], help=f"Måldatum före {datum(referensdatum)}, inte klar eller inställd."
)

summary = akt.summary_per_ubaria(plan)
left, right = st.columns([3, 2])
with left:
    st.subheader("Status per UBARIA-område")
    st.dataframe(akt.summary_table(summary), hide_index=True, width="stretch", key="akt_sammanfattning")
    st.caption("Andel klara = klara aktiviteter av alla aktiviteter i området, inställda inräknade.")
with right:
    tables.chart("akt_status_ubaria", akt.summary_figure, summary, f"Aktiviteter per status – {f.describe()}")

options = akt.filter_options(plan)
st.subheader("Aktivitetsplanen")
c1, c2, c3, c4 = st.columns([2, 2, 2, 1.4], vertical_alignment="bottom")
statuses = c1.multiselect(
    "Status",
    options["status"],
    format_func=STATUS_LABELS.get,
    key="akt_f_status",
    placeholder="Alla statusar",
    select_all=False,
)
ansvariga = c2.multiselect(
    "Ansvarig", options["ansvarig"], key="akt_f_ansvarig", placeholder="Alla ansvariga", select_all=False
)
avdelningar = c3.multiselect(
    "Avdelning", options["avdelning"], key="akt_f_avdelning", placeholder="Alla avdelningar", select_all=False
)
endast_forsenade = c4.toggle("Endast försenade", key="akt_f_forsenade")
shown = akt.filter_plan(plan, statuses, ansvariga, avdelningar, endast_forsenade)

lista, tidslinje, uppfoljning, filer = st.tabs(
    ["Plan", "Tidslinje", "Följ upp en aktivitet", "Importera och exportera"], key="akt_flik"
)

with lista:
    if len(shown) < len(plan):
        st.caption(f"Visar {len(shown)} av {len(plan)} aktiviteter.")
    texts, with_values = form.metric_texts(shown, f.period)
    for code, heading, part in akt.by_ubaria(shown):
        st.markdown(f"#### {heading}")
        if part.empty:
            st.caption("Inga aktiviteter i urvalet.")
            continue
        form.plan_table(
            part, texts, key=f"akt_plan_{code or 'ovrigt'}", tint=len(shown) <= form.TINT_MAX_ROWS
        )
    if texts and with_values:
        st.caption(
            f"Nyckeltal = det nyckeltal aktiviteten ska påverka, för aktivitetens förvaltning eller avdelning "
            f"i {manad(f.period)}. Välj aktiviteten under Följ upp för utvecklingen över tid."
        )
    elif texts:
        st.caption(
            "Nyckeltal = det nyckeltal aktiviteten ska påverka. Välj en förvaltning i urvalet för att se "
            "värdena i tabellen, eller aktiviteten under Följ upp för utvecklingen över tid."
        )

with tidslinje:
    tables.chart(
        "akt_tidslinje",
        akt.timeline_figure,
        shown,
        referensdatum,
        today,
        f"Aktiviteter efter måldatum – {f.describe()}",
    )
    st.caption("Ringade aktiviteter är försenade. Filtren ovanför flikarna gäller även tidslinjen.")

with uppfoljning:
    if plan.empty:
        st.info("Det finns inga aktiviteter i urvalet.")
    else:
        records = {str(r["aktivitet_id"]): r for r in plan.to_dict("records")}
        ids = list(records)
        if st.session_state.get(form.VAL) not in records:
            st.session_state[form.VAL] = ids[0]
        chosen = st.selectbox(
            "Aktivitet",
            ids,
            key=form.VAL,
            format_func=lambda i: f"{i} · {akt.short(records[i]['aktivitet'], 100)}",
        )
        row = records[chosen]
        left, right = st.columns([3, 2])
        with left:
            form.details(row)
        with right:
            st.markdown("##### Registrera uppföljning")
            form.edit_form(row)
        st.markdown("##### Historik")
        form.history(row)
        if row.get("nyckeltal"):
            form.linked_metric(row, f.period)
        if row.get("kompetensomrade"):
            form.linked_gap(row, f.period)

with filer:
    st.markdown("##### Exportera")
    st.caption(
        f"Planen för {akt.md_escape(f.describe())} med aktuell status, grupperad efter UBARIA, för nämnden. "
        f"Förseningar räknas per {datum(referensdatum)}."
    )
    form.export_button(plan, referensdatum, f.period)
    st.markdown("##### Importera en ny plan")
    form.import_section(forvaltningar, import_forvaltning)
