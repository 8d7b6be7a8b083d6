"""'Visa data': the table behind a chart, with CSV and Excel downloads of exactly that table."""

from __future__ import annotations

import hashlib
import importlib
import pickle
import re
from collections.abc import Callable

import pandas as pd
import streamlit as st

from kfp_metrics.aktiviteter import md_escape
from kfp_metrics.diagramtext import summary
from kfp_metrics.exports import csv_bytes, excel_bytes
from kfp_metrics.ui import inloggning


def _slug(text: str) -> str:
    return re.sub(
        r"[^a-z0-9]+", "_", text.lower().replace("å", "a").replace("ä", "a").replace("ö", "o")
    ).strip("_")


def show_data(make: Callable[[], pd.DataFrame], title: str, key: str) -> None:
    """An expander 'Visa data' with the table make() returns and download buttons; key must be
    unique per page. The table is made and sent only while the expander is open (opening it runs
    the page again, from its caches): most visitors never open most of them, and on a first visit
    they cost as much as a chart each."""
    box = st.expander("Visa data", key=f"visa_data_{key}", on_change="rerun")
    if not box.open:
        return
    frame = make()
    with box:
        st.dataframe(
            frame, hide_index=True, width="stretch", key=f"tabell_{key}", column_config=number_columns(frame)
        )
        name = _slug(title) or key
        left, right = st.columns(2)
        # The files are made when a button is pressed, not on every run of the page.
        left.download_button(
            "Ladda ner CSV",
            inloggning.logged_download(lambda: csv_bytes(frame), f"{name}.csv"),
            file_name=f"{name}.csv",
            mime="text/csv",
            key=f"csv_{key}",
            on_click="ignore",
        )
        right.download_button(
            "Ladda ner Excel",
            inloggning.logged_download(lambda: excel_bytes(frame, title), f"{name}.xlsx"),
            file_name=f"{name}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"xlsx_{key}",
            on_click="ignore",
        )


def _decimals(values: pd.Series) -> int:
    """How many decimals (0–2) the column's values are written with: the tables round their own."""
    finite = values.dropna()
    for decimals in (0, 1):
        if ((finite * 10**decimals).round() == finite * 10**decimals).all():
            return decimals
    return 2


def number_columns(frame: pd.DataFrame) -> dict:
    """column_config writing the table's numbers as the reader's browser writes them (for Swedish:
    decimal comma and a space between thousands, 7,0 beside 7,1 instead of 7 beside 7.1), each
    column with one number of decimals; years as they are (2026, not 2 026)."""
    config = {}
    for name, dtype in frame.dtypes.items():
        if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype) or name == "År":
            continue
        decimals = 0 if pd.api.types.is_integer_dtype(dtype) else _decimals(frame[name])
        config[name] = st.column_config.NumberColumn(
            format="localized", step=10.0**-decimals if decimals else 1
        )
    return config


def made_on_click(
    column,
    name: str,
    key,
    make: Callable[[], bytes],
    errors: tuple[type[Exception], ...],
    button: dict,
    spinner: str,
    download: dict,
) -> None:
    """A button that makes a file only when pressed (it takes seconds), then a logged download of it.

    The file is kept in session state under rapport_<name> with key, the inputs it was made from, so
    a changed report needs a new press; errors are shown in Swedish instead of the download."""
    if column.button(key=f"rapport_skapa_{name}", width="stretch", **button):
        with st.spinner(spinner):
            try:
                st.session_state[f"rapport_{name}"] = (key, make())
            except errors as exc:
                st.error(str(exc))
    made = st.session_state.get(f"rapport_{name}")
    if made and made[0] == key:
        column.download_button(
            data=made[1],
            key=f"rapport_{name}_ladda",
            on_click=inloggning.log_download,
            args=(download["file_name"],),
            icon=":material/download:",
            width="stretch",
            **download,
        )


@st.cache_resource(max_entries=256, show_spinner=False)
def _figure(key: str, module: str, name: str, _args: tuple, _kwargs: tuple):
    # key is the digest of the other four (_input_key); Streamlit hashes only it.
    function = getattr(importlib.import_module(module), name)
    return function(*_args, **dict(_kwargs))


def _input_key(*inputs) -> str:
    """A digest of the inputs' pickled bytes: the same bytes only for the same content, and about
    a fifteenth of the time Streamlit's own hashing takes for the small frames charts are built from
    (3,4 against 0,2 ms a frame), which on a first visit was more than building the figure. Equal
    inputs pickled differently (a shared and a copied string) only miss the cache."""
    return hashlib.blake2b(pickle.dumps(inputs, protocol=5), digest_size=20).hexdigest()


def chart(key: str, builder: Callable, *args, **kwargs) -> None:
    """plotly(builder(*args, **kwargs), key), the figure built once per distinct input and shared.

    Builders are the pure modules' figure_* functions: their figure depends on their arguments
    alone (frames compared by content), and nothing changes a figure after it is built, so one
    object serves every run and session; building a large figure costs far more than drawing it."""
    if not builder.__module__.startswith("kfp_metrics.") or builder.__module__.startswith("kfp_metrics.ui"):
        raise ValueError(f"Okänd diagramfunktion: {builder.__module__}.{builder.__name__}")
    module, name, kw = builder.__module__, builder.__name__, tuple(sorted(kwargs.items()))
    plotly(_figure(_input_key(module, name, args, kw), module, name, args, kw), key)


def per_forvaltning_note(what: str, shown_as: str = "ett diagram") -> None:
    """The caption under a breakdown shown per förvaltning because the scope holds a whole city's
    avdelningar (analys.per_forvaltning_instead); what is the figure shown, e.g. 'sjukfrånvaron'."""
    st.caption(
        f"Urvalet har fler avdelningar än {shown_as} kan visa, så {what} visas per förvaltning. "
        "Välj en förvaltning i sidopanelen för att se dess avdelningar."
    )


def plotly(fig, key: str) -> None:
    """A Plotly chart at full width with the Swedish locale for its built-in texts, and under it its
    text alternative: one sentence saying what it shows (diagramtext.summary), for everyone to read."""
    st.plotly_chart(
        fig, width="stretch", theme=None, key=f"diagram_{key}", config={"locale": "sv", "displaylogo": False}
    )
    with st.container(key=f"diagramtext_{key}"):
        st.caption(md_escape(summary(fig)))
