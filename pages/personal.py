import streamlit as st

from kfp_metrics import analys, personal
from kfp_metrics.format import manad
from kfp_metrics.ui import cards, compute, data, filters, samtidigt, tables

f = filters.current()
scope_text = f.describe()
st.title("Personal")
st.caption(f"{scope_text} · {manad(f.period)}")

# Everything the page draws, computed side by side before it is drawn.
now, kon, per_manad, pyramid, alder, topp_tillsvidare, topp_tidsbegransad, avdelningar = (
    samtidigt.side_by_side(
        [
            lambda: data.key_figures(f.period, f.scope, sections=("personal",)),
            lambda: compute.call(personal.konsfordelning, f.period, f.scope),
            lambda: compute.call(personal.per_manad, f.period, f.scope),
            lambda: compute.call(personal.alderspyramid, f.period, f.scope),
            lambda: compute.call(personal.medelalder_per_kon, f.period, f.scope),
            lambda: compute.call(
                personal.befattningar_topp, f.period, f.scope, anstallningsform="tillsvidare"
            ),
            lambda: compute.call(
                personal.befattningar_topp, f.period, f.scope, anstallningsform="tidsbegransad"
            ),
            lambda: compute.call(personal.per_avdelning, f.period, f.scope),
        ]
    )
)
if now["personal"]["antal_manadsavlonade"] + now["personal"]["antal_timavlonade"] == 0:
    st.warning(
        f"Urvalet har inga anställda i {manad(f.period)}. Välj en annan period eller ett bredare urval."
    )

cards.kpi_row(personal.kpis(now))
st.caption(personal.kon_text(kon))

st.subheader("Anställda över tid")
tables.chart("personal_per_manad", personal.figure_per_manad, per_manad, scope_text, f.period)
tables.show_data(
    lambda: personal.tabell_per_manad(per_manad),
    "Anställda per anställningsform och månad",
    "personal_per_manad",
)

st.subheader("Ålder och kön")
left, right = st.columns([3, 2])
with left:
    tables.chart("alderspyramid", personal.figure_alderspyramid, pyramid, scope_text, f.period, narrow=True)
    tables.show_data(
        lambda: personal.tabell_alderspyramid(pyramid),
        "Månadsavlönade per kön och åldersgrupp",
        "alderspyramid",
    )
with right:
    st.markdown("**Medelålder, månadsavlönade**")
    st.dataframe(
        personal.tabell_medelalder(alder, formatted=True),
        hide_index=True,
        width="stretch",
        height="content",
        key="tabell_medelalder",
    )
    st.caption(
        "Åldern är periodens år minus födelseår. Åldersgrupperna följer kompetensförsörjningsplanernas "
        f"femårsklasser; män till vänster, kvinnor till höger. Fördelningen ritas för minst "
        f"{analys.MIN_KORSTABELL} månadsavlönade och medelåldern visas för grupper om minst {analys.MIN_GRUPP}."
    )

st.subheader("Vanligaste befattningarna")
for column, form, topp in zip(
    st.columns(2), ("tillsvidare", "tidsbegransad"), (topp_tillsvidare, topp_tidsbegransad), strict=True
):
    with column:
        st.markdown(f"**{personal.ANSTALLNINGSFORMER[form].capitalize()}, {manad(f.period)}**")
        if topp.empty:
            st.info(f"Urvalet har inga {personal.ANSTALLNINGSFORMER[form]} i {manad(f.period)}.")
        else:
            st.dataframe(
                personal.tabell_befattningar(topp, formatted=True),
                hide_index=True,
                width="stretch",
                height="content",
                key=f"tabell_befattningar_{form}",
            )
            tables.show_data(
                lambda topp=topp: personal.tabell_befattningar(topp),
                f"Vanligaste befattningarna {form}",
                f"befattningar_{form}",
            )
st.caption("Andelen avser alla i urvalet med samma anställningsform.")

st.subheader("Per avdelning")
if avdelningar.empty:
    st.info(f"Urvalet har inga anställda i {manad(f.period)}.")
else:
    st.dataframe(
        personal.tabell_per_avdelning(avdelningar, formatted=True),
        hide_index=True,
        width="stretch",
        height="content",
        key="tabell_per_avdelning",
    )
    notes = ["Andel kvinnor och medelålder avser månadsavlönade (tillsvidare och tidsbegränsade)."]
    if analys.any_withheld(avdelningar):
        notes.append(
            analys.UNDERTRYCKT_TEXT + " Döljs en avdelning, döljs även en till så att värdet inte kan "
            "räknas fram ur totalen överst på sidan."
        )
    st.caption(" ".join(notes))
    tables.chart("personal_per_avdelning", personal.figure_per_avdelning, avdelningar, scope_text, f.period)
    tables.show_data(
        lambda: personal.tabell_per_avdelning(avdelningar),
        "Anställda per avdelning",
        "personal_per_avdelning",
    )
