import streamlit as st

from kfp_metrics import prognos, rorlighet
from kfp_metrics.format import manad
from kfp_metrics.ui import cards, compute, data, filters, scenario, tables

f = filters.current()
scope_text = f.describe()
st.title("Prognos: rekryteringsbehov")
st.caption(f"{scope_text} · tillsvidareanställda i {manad(f.period)}")

befattningar = compute.call(prognos.befattningar, f.period, f.scope)
mapping = compute.call(prognos.yrkeskategorier) if data.table_present("yrkeskategorier") else None
valt = scenario.controls(f.period, befattningar, kategorier=mapping is not None)

if not befattningar:
    st.info(f"Urvalet har inga tillsvidareanställda i {manad(f.period)}; någon prognos kan inte beräknas.")
    st.stop()

result = compute.call(
    prognos.compute,
    f.period,
    f.scope,
    pensionsalder=valt.pensionsalder,
    ar_till=valt.ar_till,
    tillvaxt=valt.tillvaxt,
    tillvaxt_alla=valt.tillvaxt_alla,
    avgangsandring_pct=valt.avgangsandring_pct,
)
grupp = mapping if valt.niva == "yrkeskategori" else None


def right_aligned(frame, first: int = 1) -> dict:
    """Numbers written as Swedish text, right-aligned like numbers."""
    return {c: st.column_config.TextColumn(alignment="right") for c in frame.columns[first:]}


cards.kpi_row(prognos.kpis(result))

st.markdown("**Förslag till text i nulägesanalysen**")
st.code(prognos.nulagestext(result), language=None, wrap_lines=True)

st.subheader("Personalbehov och rekryteringsbehov")
behov, rekrytering = prognos.tabell_plan(result, grupp, formatted=True)
st.markdown(f"**Personalbehov** – antal tillsvidareanställda {f.period.year} och bedömt behov per år")
st.dataframe(
    behov,
    hide_index=True,
    width="stretch",
    height="content",
    key="tabell_personalbehov",
    column_config=right_aligned(behov),
)
st.markdown("**Rekryteringsbehov** per år")
st.dataframe(
    rekrytering,
    hide_index=True,
    width="stretch",
    height="content",
    key="tabell_rekryteringsbehov",
    column_config=right_aligned(rekrytering),
)
st.caption(
    f"\\* = färre än {prognos.OSAKER_UNDER} tillsvidareanställda: avgångsandelen bygger på få personer och "
    "prognosen är osäker. Talen är avrundade var för sig; totalerna är summor av de oavrundade värdena."
)
tables.show_data(
    lambda: prognos.tabell_data(result, mapping), "Rekryteringsbehov per befattning och år", "prognos"
)

st.subheader("Rekryteringsbehov per orsak")
tables.chart("prognos_orsaker", prognos.figure_orsaker, result, scope_text)
st.caption(prognos.alt_text(result))
tables.show_data(
    lambda: prognos.tabell_orsaker(result), "Rekryteringsbehov per år och orsak", "prognos_orsaker"
)
st.caption(
    "Där personalbehovet minskar täcks minskningen av avgångar som inte ersätts; det behov som återstår "
    "fördelas på pensionsavgångar och övriga avgångar i proportion till deras storlek."
)

st.subheader("Antaganden")
st.markdown("\n".join(f"- {text}" for text in prognos.antaganden(result, valt.avgangsandring_pct)))
with st.expander("Antaganden per befattning"):
    st.dataframe(
        prognos.tabell_antaganden(result),
        hide_index=True,
        width="stretch",
        height="content",
        key="tabell_antaganden",
    )

st.subheader("Jämförelse med extern personalprognos")
if not data.table_present("personalprognos"):
    st.info("Extrakten innehåller ingen extern personalprognos (tabellen personalprognos saknas).")
else:
    extern = compute.call(rorlighet.personalprognos, f.period, f.scope)
    jamforelse = prognos.tabell_jamforelse(result, extern, mapping, formatted=True)
    if jamforelse.empty:
        years = sorted(set(int(a) for a in extern["ar"]))
        span = f"{years[0]}–{years[-1]}" if years else "inga år"
        st.info(
            f"Den externa prognosen avser {span} och överlappar inte prognosåren "
            f"{prognos.period_text(result)}."
        )
    else:
        st.dataframe(
            jamforelse,
            hide_index=True,
            width="stretch",
            height="content",
            key="tabell_jamforelse",
            column_config=right_aligned(jamforelse, 2),
        )
        tables.show_data(
            lambda: prognos.tabell_jamforelse(result, extern, mapping),
            "Beräknad och extern personalprognos",
            "prognos_jamforelse",
        )
    notes = [
        "Den externa prognosen finns per förvaltning och yrkeskategori; den beräknade avser bara "
        "tillsvidareanställda, så personalbehovet kan skilja sig av det skälet."
    ]
    if f.scope.avdelning or f.scope.enhet:
        notes.append("Avdelnings- och enhetsurvalet påverkar den inte, så jämförelsen gäller olika urval.")
    if mapping is None:
        notes.append("Utan tabellen yrkeskategorier jämförs bara totalerna.")
    st.caption(" ".join(notes))
