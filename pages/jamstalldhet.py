import streamlit as st

from kfp_metrics import analys, catalog
from kfp_metrics import jamstalldhet_analys as ja
from kfp_metrics.format import SUPPRESSED, manad, procent, tal
from kfp_metrics.periods import add_months
from kfp_metrics.ui import compute, data, filters, tables

f = filters.current()
scope_text = f.describe()
last_year = manad(add_months(f.period, -12))
st.title("Jämställdhet")
st.caption(f"{scope_text} · {manad(f.period)}")
st.markdown(
    "Anställs, arbetar, stannar och blir kvinnor och män chefer i samma utsträckning? Sidan visar "
    "kvinnors och mäns värden sida vid sida, skillnaden mellan dem och om skillnaden har minskat sedan "
    f"{last_year}. Ju mindre skillnad, desto mer jämställt."
)
st.info(ja.EJ_I_EXTRAKTEN)

# One read of the sums per month for every frame below; None where the scope has no one.
sida = compute.call(ja.sida, f.period, f.scope)
if sida is None:
    st.warning("Urvalet har inga anställda i extrakten. Välj ett annat urval i sidopanelen.")
    st.stop()

jam = sida.jamforelse
chef_present = data.column_present("anstallningar", "chef")

st.subheader("Kvinnor och män")
st.caption(
    f"Skillnad = kvinnor minus män. Förändringen av skillnaden jämförs med {last_year}; en minskad skillnad "
    "visas i grönt. Sysselsättningsgrad och andel tillsvidare avser månadsavlönade i "
    f"{manad(f.period)}, lång sjukfrånvaro och personalomsättning de 12 månaderna till och med den."
)
rows = [r for _, r in jam.iterrows() if r["matt"] != "chefer"]
for pair in (rows[:2], rows[2:]):
    for column, row in zip(st.columns(2), pair, strict=True):
        with column.container(border=True, key=f"jam_{row['matt']}"):
            st.markdown(f"#### {row['namn']}")
            hidden = bool(row["undertryckt"])
            left, middle, right = st.columns(3)
            left.metric("Kvinnor", ja.value_text(row["kvinnor"], hidden))
            middle.metric("Män", ja.value_text(row["man"], hidden))
            right.metric(
                "Skillnad (p.e.)",
                ja.gap_value(row["skillnad"], hidden),
                ja.skillnad_delta(row),
                delta_color="inverse",
                help=(
                    "Kvinnors värde minus mäns, i procentenheter (p.e.). Pilen visar hur skillnadens storlek "
                    f"har ändrats sedan {last_year}: grön när skillnaden har minskat."
                ),
            )
            st.markdown(f"**{ja.bedomning_mening(row, f.period)}** {ja.hogre_text(row)}")

st.markdown(f"**Sammanfattning:** {ja.beskrivning_jamforelse(jam)}")
st.dataframe(ja.tabell_jamforelse(jam, formatted=True), hide_index=True, width="stretch", key="tabell_jam")
tables.show_data(lambda: ja.tabell_jamforelse(jam), "Jämställdhet, kvinnor och män", "jam_jamforelse")

st.subheader("Chefer")
if not chef_present:
    st.info(
        "Extrakten saknar kolumnen chef, så andelen kvinnor bland chefer och lika chefskarriär kan inte visas."
    )
else:
    chef = jam[jam["matt"] == "chefer"].iloc[0]
    hidden = bool(chef["undertryckt"])
    kvot = ja.chef_kvot(jam)
    left, middle, right = st.columns(3)
    left.metric("Andel kvinnor bland chefer", ja.value_text(chef["kvinnor"], hidden), border=True)
    middle.metric("Andel kvinnor bland alla månadsavlönade", procent(chef["man"]), border=True)
    right.metric(
        "Lika chefskarriär (kvot)",
        SUPPRESSED if hidden else tal(kvot, 2),
        help=catalog.get("lika_chefskarriar_kvot").definition,
        border=True,
    )
    st.markdown(f"**{ja.bedomning_mening(chef, f.period)}** {ja.hogre_text(chef)}")

per_manad = sida.per_manad
if chef_present:
    tables.chart("jam_chefer", ja.figure_chefer_per_manad, per_manad, scope_text, f.period)
    st.caption(ja.beskrivning_chefer_per_manad(per_manad))

st.subheader("Utveckling över tid")
tables.chart("jam_skillnad", ja.figure_skillnad_per_manad, per_manad, scope_text, f.period)
st.caption(ja.beskrivning_skillnad_per_manad(per_manad, f.period))
tables.show_data(lambda: ja.tabell_per_manad(per_manad), "Jämställdhet per månad", "jam_per_manad")

st.subheader("Per avdelning")
avdelningar = sida.per_avdelning
matt = st.selectbox(
    "Nyckeltal",
    [k for k in ja.MATT_VAL if k != "chefer" or chef_present],
    format_func=ja.MATT_VAL.get,
    key="jam_avdelning_matt",
)
antal_avdelningar = avdelningar["avdelning"].nunique() if len(avdelningar) else 0
if antal_avdelningar > analys.MAX_AVDELNINGAR:
    st.caption(
        f"Urvalet har {antal_avdelningar} avdelningar, fler än ett diagram kan visa läsbart; värdena står i "
        "tabellen. Välj en förvaltning i sidopanelen för att se diagrammet."
    )
else:
    if antal_avdelningar == 1:
        st.info(
            "Urvalet omfattar en avdelning. Välj en förvaltning eller flera avdelningar för att jämföra dem."
        )
    tables.chart("jam_avdelning", ja.figure_per_avdelning, avdelningar, matt, scope_text, f.period)
    st.caption(ja.beskrivning_per_avdelning(avdelningar, matt))
st.dataframe(
    ja.tabell_per_avdelning(avdelningar, formatted=True, matt=matt),
    hide_index=True,
    width="stretch",
    key="tabell_jam_avdelning",
)
tables.show_data(lambda: ja.tabell_per_avdelning(avdelningar), "Jämställdhet per avdelning", "jam_avdelning")

if ja.any_withheld(jam, per_manad, avdelningar):
    st.caption(ja.UNDERTRYCKT_TEXT)

with st.expander("Om nyckeltalen"):
    for metric in catalog.in_section("jamstalldhet"):
        st.markdown(f"**{metric.label}.** {metric.definition}")
