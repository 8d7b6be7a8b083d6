import streamlit as st

from kfp_metrics import analys, charts, kompetensgap, rorlighet
from kfp_metrics.format import manad
from kfp_metrics.ui import compute, data, filters, tables

f = filters.current()
scope_text = f.describe()
st.title("Kompetensgap")
st.caption(f"{scope_text} · {manad(f.period)}")

if not data.table_present("kompetensgap"):
    st.info(
        "Extrakten innehåller ingen kompetenskartläggning (tabellen kompetensgap saknas), så sidan har inget att "
        "visa. Lägg till tabellen för att jämföra behov och nuläge per kompetensområde."
    )
else:
    gap = compute.call(kompetensgap.gap_per_avdelning, f.period, f.scope)
    year = kompetensgap.assessment_year(gap)
    has_plan = data.table_present("aktiviteter")
    if year is None:
        st.info(f"Det finns ingen kompetensbedömning för urvalet t.o.m. {f.period.year}.")
    else:
        st.markdown(
            f"Senaste bedömningen t.o.m. {f.period.year}: **{year}**. Gap = behov − nuläge på skalan 1–5; "
            "rött betyder att kompetens saknas, blått att nuläget överstiger behovet."
        )
    pensionsalder = st.selectbox(
        "Pensionsålder",
        rorlighet.PENSIONSALDRAR,
        index=0,
        key="kg_pensionsalder",
        format_func=lambda a: f"{a} år",
        width=220,
        help="För andelen som går i pension inom tre år under varje avdelning.",
    )
    pension = compute.call(kompetensgap.pension_inom_tre_ar, f.period, f.scope, pensionsalder=pensionsalder)
    # From the gap frame above; only the activities per område are read.
    omraden = (
        kompetensgap.per_omrade(
            gap, compute.call(kompetensgap.aktiviteter_per_kompetensomrade, f.period, f.scope)
        )
        if has_plan
        else None
    )
    shown, niva = kompetensgap.heatmap_per(gap)
    if niva == "forvaltning":
        tables.per_forvaltning_note("gapet", "en översikt")
    tables.chart(
        "gap_avdelning",
        kompetensgap.figure_gap_heatmap,
        shown,
        scope_text,
        niva=niva,
        pension=pension,
        aktiviteter=omraden,
    )
    what = "förvaltning" if niva == "forvaltning" else "avdelning"
    tables.show_data(
        lambda: kompetensgap.tabell_gap(shown, niva=niva), f"Kompetensgap per {what}", "gap_avdelning"
    )
    share_text = (
        f"andelen tillsvidareanställda i {manad(f.period)} som redan fyllt {pensionsalder} år eller fyller "
        f"det t.o.m. {f.period.year + 3}."
    )
    st.caption(
        (
            f"Håll muspekaren över en ruta för att se förvaltningens {share_text}"
            if kompetensgap.many_columns(shown, niva)
            else f"Under {what}ens namn: {share_text}"
        )
        + (
            " Till höger: antalet aktiviteter i handlingsplanen som är kopplade till området."
            if has_plan
            else ""
        )
    )

    left, right = st.columns(2)
    with left:
        colors = charts.color_map(compute.call(analys.organisation_avdelningar))
        pension_shown = kompetensgap.pension_per(pension, gap)
        tables.chart(
            "pension_andel",
            kompetensgap.figure_pension_andel,
            pension_shown,
            scope_text,
            f.period,
            pensionsalder,
            colors,
            narrow=True,
        )
        tables.show_data(
            lambda: kompetensgap.tabell_pension_andel(pension_shown, f.period),
            "Pensionsavgångar inom tre år",
            "pension_andel",
        )
    with right:
        if omraden is None:
            st.info("Extrakten innehåller ingen handlingsplan (tabellen aktiviteter saknas).")
        else:
            tables.chart(
                "gap_aktiviteter", kompetensgap.figure_gap_och_aktiviteter, omraden, scope_text, narrow=True
            )
            tables.show_data(
                lambda: kompetensgap.tabell_aktiviteter_per_omrade(omraden),
                "Kompetensgap och aktiviteter",
                "gap_aktiviteter",
            )
            st.caption("Ett stort gap utan aktivitet i planen kan vara en lucka i planen.")

    st.subheader("Per enhet")
    avdelningar = kompetensgap.avdelningar(gap)
    if not avdelningar:
        st.info("Ingen avdelning i urvalet har en kompetensbedömning.")
    else:
        vald = st.selectbox(
            "Avdelning",
            avdelningar,
            key="kg_avdelning",
            width=420,
            format_func=lambda pair: kompetensgap.avdelning_label(pair, avdelningar),
        )
        namn = kompetensgap.avdelning_label(vald, avdelningar)
        enheter = compute.call(
            kompetensgap.gap_per_enhet, f.period, f.scope, avdelning=vald[1], forvaltning=vald[0]
        )
        tables.chart("gap_enhet", kompetensgap.figure_gap_heatmap, enheter, namn, niva="enhet")
        tables.show_data(
            lambda: kompetensgap.tabell_gap(enheter, niva="enhet"), f"Kompetensgap {namn}", "gap_enhet"
        )
        st.caption("Rader utan enhet i kartläggningen visas som «Hela avdelningen».")
