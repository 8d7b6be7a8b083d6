import streamlit as st

from kfp_metrics import sjukfranvaro
from kfp_metrics.format import manad
from kfp_metrics.kolada import diagram as kolada_diagram
from kfp_metrics.periods import add_months
from kfp_metrics.personal import Kpi
from kfp_metrics.ui import cards, compute, data, filters, kolada, samtidigt, tables

f = filters.current()
scope_text = f.describe()
st.title("Sjukfrånvaro")
st.caption(f"{scope_text} · de 12 månaderna {manad(add_months(f.period, -11))} – {manad(f.period)}")

# What the cards and the trend show, computed side by side before they are drawn.
targets, grupper, jamforelser, per_manad, serier = samtidigt.side_by_side(
    [
        lambda: data.targets(f.period, f.scope),
        lambda: compute.call(sjukfranvaro.per_grupp, f.period, f.scope),
        lambda: kolada.jamforelser(f, tuple(metric_id for _, _, metric_id in sjukfranvaro.KPIS)),
        lambda: compute.call(sjukfranvaro.per_manad, f.period, f.scope),
        lambda: kolada.serier(f, "sjukfranvaro_total_pct"),
    ]
)
total = grupper.iloc[0]
if total["personer"] == 0:
    st.warning(
        "Urvalet har ingen schemalagd arbetstid under de 12 månaderna. Välj en annan period eller ett "
        "bredare urval."
    )
elif total["undertryckt"]:
    st.info(
        f"Urvalet har {int(total['personer'])} personer med schemalagd arbetstid under perioden. "
        "Sjukfrånvaro redovisas inte för grupper med 10 eller färre personer, så inga värden visas."
    )

kpis = [
    Kpi(label, value, help=help_text, metric_id=metric_id)
    for (label, value, help_text), (_, _, metric_id) in zip(
        sjukfranvaro.kpis(grupper, targets), sjukfranvaro.KPIS, strict=True
    )
]
cards.kpi_row(kpis, jamforelser)
kolada.note(jamforelser.values())

st.subheader("Utveckling, rullande 12 månader")
tables.chart(
    "sjuk_per_manad",
    kolada_diagram.with_references,
    "kfp_metrics.sjukfranvaro:figure_per_manad",
    "sjukfranvaro_total_pct",
    serier,
    "december",
    per_manad,
    scope_text,
    f.period,
    targets,
)
tables.show_data(
    lambda: sjukfranvaro.tabell_per_manad(per_manad), "Sjukfrånvaro rullande 12 månader", "sjuk_per_manad"
)
st.caption(
    "Varje punkt avser de 12 månaderna t.o.m. månaden. Streckade linjer visar målen när hela urvalet "
    "har samma mål."
)
kolada.marker_note(f, "sjukfranvaro_total_pct", per_manad)

per_avdelning = compute.call(
    sjukfranvaro.per_avdelning, f.period, f.scope, total_personer=int(total["personer"])
)
niva = sjukfranvaro.shown_level(per_avdelning, f.scope)
st.subheader(f"Per {niva} mot målet")
if niva == "förvaltning":
    tables.per_forvaltning_note("sjukfrånvaron")
tables.chart("sjuk_per_avdelning", sjukfranvaro.figure_per_avdelning, per_avdelning, scope_text, f.period)
tables.show_data(
    lambda: sjukfranvaro.tabell_per_avdelning(per_avdelning), f"Sjukfrånvaro per {niva}", "sjuk_per_avdelning"
)
st.caption(
    "Det röda strecket är förvaltningens mål."
    if niva == "förvaltning"
    else f"Det röda strecket är {niva}ens mål: avdelningens eget mål om det finns, annars förvaltningens."
)

st.subheader("Per kön och ålder")
tables.chart("sjuk_per_grupp", sjukfranvaro.figure_per_grupp, grupper, scope_text, f.period, targets)
st.dataframe(
    sjukfranvaro.tabell_per_grupp(grupper, formatted=True),
    hide_index=True,
    width="stretch",
    key="tabell_sjuk_grupper",
)
tables.show_data(
    lambda: sjukfranvaro.tabell_per_grupp(grupper), "Sjukfrånvaro per kön och ålder", "sjuk_per_grupp"
)
st.caption(
    "Ålder = periodens år minus födelseår. Andel 60 dagar eller mer är en andel av sjukfrånvaron, "
    "inte av arbetstiden."
)

note = sjukfranvaro.suppression_note(per_manad, per_avdelning, grupper)
if note:
    st.caption(note)
