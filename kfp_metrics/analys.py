"""What the analysis modules share: chart titles, age bands, minimum group sizes and tables.

Disclosure rules for the breakdowns of Personal, Rörlighet och pension, Heltid and
Kompetensgap (the contract's own rules for sjukfrånvaro and the survey live in suppression.py):

* Counts of persons and events (headcounts, pensionsavgångar per year, rekryteringar) are shown
  as the plans print them: a count says no more about a person than the organisation chart.
* A value that is a personal attribute averaged or shared over a group — medelålder, andel
  kvinnor, andel heltid, personalomsättning — needs at least MIN_GRUPP (5) persons in the
  group; below that it is withheld (".."). A share that follows from counts shown beside it
  (andel som når pensionsåldern) is not withheld: hiding it would protect nothing.
* When one part of a breakdown is withheld and the total is shown, a second part is withheld as
  well (suppression.secondary), so the hidden value cannot be worked out from the total.
* The kön × åldersgrupp pyramid is a full cross-classification of the group: it is drawn only for
  at least MIN_KORSTABELL (10) månadsavlönade.
* Avgångar per orsak: the reason someone left is personal, so an orsak with 1–2 avgångar
  (fewer than MIN_ANTAL_ORSAK) is withheld, with secondary suppression within the year.
* Kompetensgap rows are assessments of units, not of persons: nothing is withheld.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import duckdb
import pandas as pd
import plotly.graph_objects as go

from kfp_metrics import charts, suppression
from kfp_metrics.extracts import remembered
from kfp_metrics.format import MISSING, SUPPRESSED, manad, procent, tal
from kfp_metrics.queries import Scope, run

MIN_GRUPP = 5
MIN_KORSTABELL = 10
MIN_ANTAL_ORSAK = 3

KON_LABELS = {"K": "Kvinnor", "M": "Män"}

ALDERSGRUPPER_5 = (
    (None, 24),
    (25, 29),
    (30, 34),
    (35, 39),
    (40, 44),
    (45, 49),
    (50, 54),
    (55, 59),
    (60, 64),
    (65, None),
)
ALDERSGRUPPER_10 = ((None, 29), (30, 39), (40, 49), (50, 59), (60, None))

UNDERTRYCKT_TEXT = (
    f"\\.\\. = värdet visas inte eftersom gruppen har färre än {MIN_GRUPP} personer och enskilda "
    "personer annars skulle kunna identifieras."
)


def title(what: str, scope_text: str, period: dt.date, through: bool = False, narrow: bool = False) -> str:
    """A chart title stating scope and period: 'Tillsvidareanställda – Äldreomsorg, t.o.m. september 2024';
    narrow=True puts scope and period on a second line, for charts drawn in a column."""
    when = f"t.o.m. {manad(period)}" if through else manad(period)
    if narrow:
        return f"{what} –<br>{scope_text}, {when}"
    return f"{what} – {scope_text}, {when}"


def finish(fig: go.Figure, legend_bottom: int | None = None) -> go.Figure:
    """Last touches after charts.style: room for a two-line title, target labels on white, and with
    legend_bottom the legend at the foot of the figure below a bottom margin of that many pixels, so
    wrapped tick labels and the axis title never run into it."""
    text = fig.layout.title.text or ""
    if "<br>" in text:
        fig.update_layout(margin={"t": 85})
    if legend_bottom is not None:
        fig.update_layout(
            legend={"yref": "container", "y": 0, "yanchor": "bottom", "traceorder": "normal"},
            margin={"b": legend_bottom},
        )
    for annotation in fig.layout.annotations or ():
        if (annotation.text or "").startswith("Mål"):
            annotation.update(bgcolor="rgba(255,255,255,0.85)")
    return fig


def figure(traces, heading: str, *, legend_bottom: int | None = None, **look) -> go.Figure:
    """charts.figure with finish()'s last touches, all in one step (finished())."""
    return charts.checked_figure(finished(charts.spec(traces, heading, **look), legend_bottom))


def finished(spec: dict, legend_bottom: int | None = None) -> dict:
    """finish() on a charts.spec dict: the same touches without updating a built figure."""
    layout = spec["layout"]
    if "<br>" in (layout.get("title", {}).get("text") or ""):
        charts.merge(layout, {"margin": {"t": 85}})
    if legend_bottom is not None:
        charts.merge(
            layout,
            {
                "legend": {"yref": "container", "y": 0, "yanchor": "bottom", "traceorder": "normal"},
                "margin": {"b": legend_bottom},
            },
        )
    for annotation in layout.get("annotations", ()):
        if (annotation.get("text") or "").startswith("Mål"):
            annotation["bgcolor"] = "rgba(255,255,255,0.85)"
    return spec


def empty(message: str, heading: str) -> go.Figure:
    """charts.empty_figure with the message broken into short lines, so it fits a chart in a column."""
    return charts.empty_figure(charts.wrap_label(message, 42), heading)


def band_label(low: int | None, high: int | None) -> str:
    """An age band as plans write it: '−24', '25–29', '65–'."""
    if low is None:
        return f"\u2212{high}"
    if high is None:
        return f"{low}\u2013"
    return f"{low}\u2013{high}"


def band_labels(bands: Sequence[tuple[int | None, int | None]]) -> list[str]:
    """The labels of a sequence of age bands, youngest first."""
    return [band_label(low, high) for low, high in bands]


def band_of(age: int, bands: Sequence[tuple[int | None, int | None]]) -> str:
    """The label of the band an age falls in."""
    for low, high in bands:
        if (low is None or age >= low) and (high is None or age <= high):
            return band_label(low, high)
    raise ValueError(f"Åldern {age} ligger utanför åldersgrupperna")


def share(numerator, denominator) -> float | None:
    """100 × numerator / denominator, None where the denominator is zero or missing."""
    if (
        denominator is None
        or pd.isna(denominator)
        or denominator == 0
        or numerator is None
        or pd.isna(numerator)
    ):
        return None
    return 100.0 * float(numerator) / float(denominator)


def withheld(sizes: Mapping[str, int], minimum: int = MIN_GRUPP, total_shown: bool = True) -> set[str]:
    """Parts of a breakdown whose attribute values are withheld: groups of 1 … minimum − 1
    persons, and with a shown total one more part so the hidden one cannot be derived."""
    small = {key for key, size in sizes.items() if 0 < size < minimum}
    if not total_shown:
        return small
    hidden = suppression.secondary(dict(sizes), small)
    return {key for key in hidden if key != suppression.TOTAL}


def any_withheld(*frames: pd.DataFrame) -> bool:
    """Whether any row of these frames has a withheld value (their 'undertryckt' column)."""
    return any(len(f) and "undertryckt" in f and bool(f["undertryckt"].any()) for f in frames)


# --- The level a per-avdelning breakdown is shown at ------------------------------------------------

# More (förvaltning, avdelning) pairs than this in a scope of several förvaltningar (a whole city)
# and a per-avdelning chart shows one bar or column per förvaltning instead.
MAX_AVDELNINGAR = 15
LEVEL_NAMES = {"enhet": "enhet", "avdelning": "avdelning", "forvaltning": "förvaltning"}


def level(scope: Scope) -> str:
    """'enhet' when the scope is one avdelning or names enheter, else 'avdelning' (a breakdown of
    many avdelningar over several förvaltningar moves on to 'forvaltning', see per_forvaltning_instead)."""
    return "enhet" if len(scope.avdelning) == 1 or scope.enhet else "avdelning"


def per_forvaltning_instead(frame: pd.DataFrame) -> bool:
    """Whether a per-avdelning frame (columns forvaltning, avdelning) spans several förvaltningar
    with more than MAX_AVDELNINGAR avdelningar, and is better shown per förvaltning."""
    if frame.empty or frame["forvaltning"].nunique() < 2:
        return False
    return len(frame[["forvaltning", "avdelning"]].drop_duplicates()) > MAX_AVDELNINGAR


def shown_level(frame: pd.DataFrame, scope: Scope) -> str:
    """The Swedish name of the level a breakdown frame (its 'niva' column) shows: enhet, avdelning
    or förvaltning; for an empty frame, the scope's level."""
    return LEVEL_NAMES[frame["niva"].iloc[0] if len(frame) else level(scope)]


def unit_names(frame: pd.DataFrame, niva: str) -> pd.Series:
    """The names a breakdown's bars or columns carry, one per row of frame (columns forvaltning,
    avdelning and niva's own). Förvaltningar go without their trailing 'förvaltning' word unless two would then
    read alike; where an avdelning's (or enhet's) name recurs, every name gets its förvaltning (or
    avdelning) in brackets, so no two units share a bar."""
    names = frame[niva].astype(str)
    if niva == "forvaltning":
        short = names.map(charts.short_org_name)
        return names if short.nunique() < names.nunique() else short
    parent = frame["forvaltning" if niva == "avdelning" else "avdelning"].astype(str)
    # A frame may hold several rows per unit (one per question): look at the distinct units.
    units = pd.DataFrame({"namn": names, "over": parent}).drop_duplicates()
    return names + " (" + parent + ")" if units["namn"].duplicated().any() else names


def organisation_avdelningar(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every avdelning of the extracts, whatever the scope: the key of the colour per avdelning."""
    # The same for every scope of a connection: asked once, not for every chart that colours by it.
    return list(remembered(con, ("analys.organisation_avdelningar",), lambda: _avdelningar(con)))


def _avdelningar(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    return tuple(sorted(set(run(con, "organisation", Scope())["avdelning"])))


Kind = Literal["text", "antal", "procent", "decimal", "manad"]


@dataclass(frozen=True)
class Column:
    """A column of a displayed table: source name, Swedish heading, kind and whether it can be withheld."""

    name: str
    heading: str
    kind: Kind = "text"
    sensitive: bool = False


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def table(frame: pd.DataFrame, columns: Iterable[Column], formatted: bool = False) -> pd.DataFrame:
    """The frame as shown under a chart: Swedish headings, '..' in withheld cells (rows whose
    'undertryckt' is true), percentages and means to one decimal; formatted=True gives Swedish
    text (1 234, 6,2 %) for tables read on screen or on paper."""
    columns = list(columns)
    hidden = (
        frame["undertryckt"].astype(bool) if "undertryckt" in frame else pd.Series(False, index=frame.index)
    )
    out = {}
    for col in columns:
        values = []
        for value, is_hidden in zip(frame[col.name], hidden, strict=True):
            if col.sensitive and is_hidden:
                values.append(SUPPRESSED)
            elif col.kind == "manad":
                values.append(
                    manad(pd.Timestamp(value).date()) if formatted else pd.Timestamp(value).strftime("%Y-%m")
                )
            elif col.kind == "text":
                values.append(value)
            elif _is_missing(value):
                values.append(MISSING if formatted else None)
            elif col.kind == "antal":
                values.append(tal(value) if formatted else int(value))
            elif col.kind == "procent":
                values.append(procent(value) if formatted else round(float(value), 1))
            else:
                values.append(tal(value, 1) if formatted else round(float(value), 1))
        if not formatted and SUPPRESSED in values:
            # A column with '..' is text anyway (Arrow and Excel cannot mix), so numbers get a decimal comma.
            values = [_as_text(v) for v in values]
        out[col.heading] = values
    return pd.DataFrame(out, columns=[c.heading for c in columns])


def _as_text(value):
    if _is_missing(value) or isinstance(value, str):
        return value
    return str(value).replace(".", ",")
