import streamlit as st

from kfp_metrics import analys, charts, heltid
from kfp_metrics.format import manad
from kfp_metrics.kolada import diagram as kolada_diagram
from kfp_metrics.ui import cards, compute, data, filters, kolada, samtidigt, tables

f = filters.current()
scope_text = f.describe()
st.title("Heltid")
st.caption(f"{scope_text} · {manad(f.period)}")

faktisk = data.column_present("anstallningar", "faktisk_sysselsattningsgrad")
# Everything the page draws, computed side by side before it is drawn.
(now, before), targets, per_manad, serier, alder, deltid, avdelningar, org_avdelningar, arbetande = (
    samtidigt.side_by_side(
        [
            lambda: data.key_figures_and_year_before(f.period, f.scope, f.first_period, ("personal",)),
            lambda: data.targets(f.period, f.scope),
            lambda: compute.call(heltid.heltid_per_manad, f.period, f.scope),
            lambda: kolada.serier(f, "heltid_andel_pct"),
            lambda: compute.call(heltid.heltid_per_aldersgrupp, f.period, f.scope),
            lambda: compute.call(heltid.deltid_per_manad, f.period, f.scope),
            lambda: compute.call(heltid.heltid_per_avdelning, f.period, f.scope),
            lambda: compute.call(analys.organisation_avdelningar),
            lambda: compute.call(heltid.heltidsarbetande_per_manad, f.period, f.scope) if faktisk else None,
        ]
    )
)
if now["personal"]["antal_manadsavlonade"] == 0:
    st.warning(f"Urvalet har inga månadsavlönade i {manad(f.period)}.")

kpis = heltid.kpis(now, before, targets, faktisk, per_manad)
jamforelser = kolada.jamforelser(f, tuple(k.metric_id for k in kpis if k.metric_id))
cards.kpi_row(kpis, jamforelser)
kolada.note(jamforelser.values())

st.subheader("Heltidsanställda över tid")
tables.chart(
    "heltid_per_manad",
    kolada_diagram.with_references,
    "kfp_metrics.heltid:figure_heltid_per_manad",
    "heltid_andel_pct",
    serier,
    "december",
    per_manad,
    scope_text,
    f.period,
    targets.get("heltid_andel_pct"),
)
tables.show_data(
    lambda: heltid.tabell_heltid_per_manad(per_manad), "Andel heltidsanställda per månad", "heltid_per_manad"
)
st.caption(
    "Heltidsanställd = månadsavlönad (tillsvidare eller tidsbegränsad) med sysselsättningsgrad 100 % "
    "(Kolada N00206). Timavlönade ingår inte."
)
kolada.marker_note(f, "heltid_andel_pct", per_manad)

left, right = st.columns(2)
with left:
    tables.chart(
        "heltid_alder", heltid.figure_heltid_per_aldersgrupp, alder, scope_text, f.period, narrow=True
    )
    tables.show_data(
        lambda: heltid.tabell_heltid_per_aldersgrupp(alder), "Heltid per åldersgrupp", "heltid_alder"
    )
with right:
    tables.chart(
        "deltid_per_manad", heltid.figure_deltid_per_manad, deltid, scope_text, f.period, narrow=True
    )
    tables.show_data(
        lambda: heltid.tabell_deltid_per_manad(deltid), "Deltidsanställda per månad", "deltid_per_manad"
    )

st.subheader("Per avdelning")
colors = charts.color_map(org_avdelningar)
tables.chart(
    "heltid_avdelning",
    heltid.figure_heltid_per_avdelning,
    avdelningar,
    scope_text,
    f.period,
    colors,
    targets.get("heltid_andel_pct"),
)
st.dataframe(
    heltid.tabell_heltid_per_avdelning(avdelningar, faktisk, formatted=True),
    hide_index=True,
    width="stretch",
    height="content",
    key="tabell_heltid_avdelning",
)
tables.show_data(
    lambda: heltid.tabell_heltid_per_avdelning(avdelningar, faktisk),
    "Heltid per avdelning",
    "heltid_avdelning",
)

if analys.any_withheld(per_manad, alder, deltid, avdelningar):
    st.caption(
        analys.UNDERTRYCKT_TEXT + " Där en del av en uppdelning döljs, döljs även en annan del så att "
        "värdet inte kan räknas fram ur totalen."
    )

st.subheader("Heltidsarbetande")
if not faktisk:
    st.info(
        "Extrakten saknar kolumnen faktisk_sysselsattningsgrad, så andelen heltidsarbetande (Kolada N00209) "
        "kan inte visas."
    )
else:
    tables.chart("heltidsarbetande", heltid.figure_heltidsarbetande, arbetande, scope_text, f.period)
    tables.show_data(
        lambda: heltid.tabell_heltidsarbetande(arbetande),
        "Heltidsanställda och heltidsarbetande",
        "heltidsarbetande",
    )
    st.caption(
        "Heltidsarbetande = månadsavlönade som faktiskt arbetar 100 % efter partiella ledigheter, t.ex. "
        "föräldraledighet eller partiell sjukersättning (Kolada N00209). Skillnaden mot heltidsanställda visar "
        "hur mycket de partiella ledigheterna betyder."
    )
