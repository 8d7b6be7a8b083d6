import streamlit as st

from kfp_metrics import incidenter
from kfp_metrics.format import manad
from kfp_metrics.oversikt import KOLADA_CARDS, SECTIONS_BEFORE, SECTIONS_NOW, cards
from kfp_metrics.periods import add_months
from kfp_metrics.ui import cards as card_ui
from kfp_metrics.ui import compute, data, filters, kolada, samtidigt

f = filters.current()
st.title("Översikt")
st.caption(f"{f.describe()} · {manad(f.period)}")

# What the cards show: no pension figures; a year earlier, no activities either. The four are
# independent: computed side by side. The change log's token first, in the page's own thread, so
# that a state store that cannot be read stops the page with its Swedish message.
data.log_token()
(now, before), targets, jamforelser, tertialer = samtidigt.side_by_side(
    [
        lambda: data.key_figures_and_year_before(
            f.period, f.scope, f.first_period, SECTIONS_NOW, SECTIONS_BEFORE
        ),
        lambda: data.targets(f.period, f.scope),
        lambda: kolada.jamforelser(f, KOLADA_CARDS),
        lambda: compute.call(incidenter.tertialer, f.period, f.scope),
    ]
)
items = cards(now, before, targets, f.period, jamforelser, tertialer)
for start in range(0, len(items), 4):
    columns = st.columns(4)
    for column, card in zip(columns, items[start : start + 4], strict=False):
        with column:
            card_ui.render(card)

if now["undertryckta"]:
    st.caption(
        "\\.\\. = värdet visas inte eftersom gruppen är för liten för att redovisas utan risk att enskilda "
        "personer kan identifieras."
    )
st.caption(
    "Sjukfrånvaro och personalomsättning avser de 12 månaderna t.o.m. vald månad. Förändringen jämförs "
    f"med {manad(add_months(f.period, -12))}."
)
kolada.note(jamforelser.values())
