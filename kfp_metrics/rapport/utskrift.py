"""A finished report: content collected, rendered to HTML, ready to cache, print or download."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from kfp_metrics.periods import format_period
from kfp_metrics.rapport.content import NyckeltalRad, Options, Rapport, collect
from kfp_metrics.rapport.nulagesanalys import Fakta, Nulagesanalys


@dataclass(frozen=True)
class Utskrift:
    """A finished report without its figure objects: what a page caches and offers for download."""

    titel: str
    html: str
    text: str
    nyckeltal: tuple[NyckeltalRad, ...]
    sidfot: str
    filnamn: str
    utkast: Nulagesanalys | None = None  # the drafted nulägesanalys, before reviewed text
    fingeravtryck: str = ""
    forhandsvisning: str = ""  # the page shown on screen: html, or html loading plotly.js by URL


def build(con: duckdb.DuckDBPyConnection, options: Options) -> tuple[Rapport, str]:
    """The report's content and its HTML for the options."""
    from kfp_metrics.rapport.html import render

    rapport = collect(con, options)
    return rapport, render(rapport)


def filnamn(options: Options) -> str:
    """A file name without extension: 'namndrapport_2024-09_avdelning-x'."""
    scope = options.scope
    names = scope.enhet or scope.avdelning or scope.forvaltning or ("alla",)
    slug = "-".join(names).lower().translate(str.maketrans("åäöéü", "aaoeu"))
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-")[:60] or "urval"
    return f"namndrapport_{format_period(options.period)}_{slug}"


def word(con: duckdb.DuckDBPyConnection, options: Options, mall: Path | None = None) -> bytes:
    """The report as an editable Word document, on the municipality's template when given."""
    from kfp_metrics.rapport.docx import docx_bytes

    return docx_bytes(collect(con, options), mall)


def skapa(
    con: duckdb.DuckDBPyConnection,
    options: Options,
    plotlyjs_url: str | None = None,
    facts: Fakta | None = None,
) -> Utskrift:
    """The finished report: HTML, the nulägesanalys as plain text and the key-figures rows.

    plotlyjs_url: where the on-screen preview loads plotly.js from; without it the preview is the
    self-contained HTML itself. facts: content.fakta_for(con, options) when already gathered."""
    from kfp_metrics.rapport.html import render_with_preview

    rapport = collect(con, options, facts)
    html, forhandsvisning = render_with_preview(rapport, plotlyjs_url)
    return Utskrift(
        titel=rapport.titel,
        html=html,
        text=rapport.nulagesanalys.text(),
        nyckeltal=tuple(rapport.nyckeltal),
        sidfot=rapport.sidfot,
        filnamn=filnamn(options),
        utkast=rapport.utkast,
        fingeravtryck=options.fingeravtryck,
        forhandsvisning=forhandsvisning,
    )
