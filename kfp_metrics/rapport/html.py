"""The report as one self-contained HTML page: inline CSS, inline plotly.js and vector charts.

The same page is printed to PDF by pdf.py and offered as a download that prints well from any
browser. Output is deterministic: the same Rapport gives byte-identical HTML. The app's on-screen
preview is the same page with plotly.js loaded from the app's address instead (render_with_preview).
"""

from __future__ import annotations

import json
from copy import deepcopy
from functools import lru_cache
from html import escape
from pathlib import Path
from string import Template

import plotly.io
import plotly.offline
from _plotly_utils.utils import convert_to_base64

from kfp_metrics.diagramtext import summary
from kfp_metrics.format import MANADER, SUPPRESSED
from kfp_metrics.rapport.content import (
    AVSNITT,
    PRINT_WIDTH_PX,
    UBARIA_RUBRIKER,
    Avsnitt,
    Figur,
    Rapport,
    Tabell,
)
from kfp_metrics.rapport.nulagesanalys import TOPICS

HERE = Path(__file__).resolve().parent
PLOT_CONFIG = {"staticPlot": True, "displayModeBar": False, "locale": "sv"}

_DAGAR = ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"]
# Swedish month and day names for Plotly's date axes (plotly.min.js ships only English).
LOCALE_JS = (
    "Plotly.register("
    + json.dumps(
        {
            "moduleType": "locale",
            "name": "sv",
            "dictionary": {},
            "format": {
                "days": _DAGAR,
                "shortDays": [d[:3] for d in _DAGAR],
                "months": MANADER,
                "shortMonths": [m[:3] for m in MANADER],
                "date": "%Y-%m-%d",
                "decimal": ",",
                "thousands": "\u00a0",
            },
        },
        ensure_ascii=False,
    )
    + ");"
)


@lru_cache(maxsize=1)
def _template() -> Template:
    return Template((HERE / "mall.html").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _css() -> str:
    return (HERE / "rapport.css").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def plotlyjs() -> str:
    """The plotly.js the self-contained report carries (and the preview loads from a URL)."""
    return plotly.offline.get_plotlyjs()


def _inline_plotlyjs() -> str:
    return f"<script>\n{plotlyjs()}\n</script>"


def _linked_plotlyjs(url: str) -> str:
    return f'<script src="{_e(url)}"></script>'


def _e(text) -> str:
    return escape(str(text), quote=True)


def _table(t: Tabell, css: str = "data") -> str:
    head = "".join(
        f'<th class="num" scope="col">{_e(k)}</th>' if i in t.numeriska else f'<th scope="col">{_e(k)}</th>'
        for i, k in enumerate(t.kolumner)
    )
    rows = []
    for r, row in enumerate(t.rader):
        cls = t.radklasser[r] if r < len(t.radklasser) and t.radklasser[r] else ""
        cells = "".join(
            f'<td class="num">{_e(v)}</td>' if i in t.numeriska else f"<td>{_e(v)}</td>"
            for i, v in enumerate(row)
        )
        rows.append(f'<tr class="{cls}">{cells}</tr>' if cls else f"<tr>{cells}</tr>")
    caption = f"<caption>{_e(t.rubrik)}</caption>" if t.rubrik else ""
    return (
        f'<table class="{css}">{caption}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _figure_dict(fig) -> dict:
    """fig.to_dict() without copying and scanning the template: its JSON holds no arrays to encode
    and nothing below changes it (to_dict copied every figure's whole template twice over)."""
    if fig.frames:
        return fig.to_dict()
    layout = fig._layout
    own = {key: value for key, value in layout.items() if key != "template"}
    out = {"data": deepcopy(fig._data), "layout": deepcopy(own)}
    convert_to_base64(out)
    if "template" in layout:
        out["layout"] = {key: layout[key] if key == "template" else out["layout"][key] for key in layout}
    return out


def _figure(f: Figur) -> str:
    label = f'<span class="nr">Figur {f.nummer}.</span> {_e(f.rubrik)}'
    if f.figure is None:
        return (
            f'<div class="diagram-meddelande" id="{f.id}"><div class="rubrik">{label}</div>'
            f"Diagrammet visas inte: {_e(f.meddelande or '')}</div>"
        )
    height = int(f.figure.layout.height or 380)
    div = plotly.io.to_html(
        _figure_dict(f.figure),
        validate=False,
        full_html=False,
        include_plotlyjs=False,
        div_id=f.id + "-plot",
        config=PLOT_CONFIG,
        default_width=f"{PRINT_WIDTH_PX}px",
        default_height=f"{height}px",
    )
    # The chart's text alternative: the plot is one image to a screen reader and the tagged PDF
    # (a Figure with this Alt text), and the same sentence is printed under it for every reader.
    alt = _e(summary(f.figure, f.rubrik))
    source = f' <span class="kalla">Figur {f.nummer} · Källa: {_e(f.kalla)}</span>' if f.kalla else ""
    caption = f'<figcaption><span class="alt">{alt}</span>{source}</figcaption>'
    return (
        f'<figure class="diagram" id="{f.id}"><div class="rubrik">{label}</div>'
        f'<div class="plot" role="img" aria-label="{alt}">{div}</div>{caption}</figure>'
    )


def _cover(r: Rapport) -> str:
    facts = "".join(
        f'<tr><th scope="row">{_e(k)}</th><td class="{"fingeravtryck" if "fingeravtryck" in k else ""}">{_e(v)}</td></tr>'
        for k, v in r.framsida
    )
    contents = "".join(f"<li>{_e(AVSNITT[a])}</li>" for a in r.avsnitt_valda)
    return (
        '<section class="framsida">'
        '<div class="overtitel">Nämndrapport · Kompetensförsörjning</div>'
        f"<h1>{_e(r.titel)}</h1>"
        f'<table class="fakta"><tbody>{facts}</tbody></table>'
        + (f'<div class="innehall"><h4>Innehåll</h4><ol>{contents}</ol></div>' if contents else "")
        + '<div class="utkast-not">Rapporten är sammanställd automatiskt ur HR-extrakten. Texten under '
        "Nulägesanalys är ett utkast som ska granskas och kompletteras innan det används. Uppgifter om små "
        f"grupper redovisas inte ({_e(SUPPRESSED)}), se bilagan.</div>"
        "</section>"
    )


def _nyckeltal(r: Rapport) -> str:
    rows = []
    current = None
    for row in r.nyckeltal:
        if row.grupp != current:
            current = row.grupp
            rows.append(f'<tr class="grupp"><td colspan="5">{_e(row.grupp)}</td></tr>')
        status_cls = {"Når målet": "gron", "Nära målet": "gul", "Långt från målet": "rod"}.get(
            row.maluppfyllelse
        )
        status = (
            f'<span class="status status-{status_cls}">{_e(row.maluppfyllelse)}</span>'
            if status_cls
            else _e(row.maluppfyllelse)
        )
        value_cls = "num undertryckt" if row.undertryckt else "num"
        rows.append(
            f'<tr data-nyckeltal="{_e(row.id)}"><td>{_e(row.namn)}</td><td class="{value_cls}">{_e(row.varde)}</td>'
            f'<td class="num">{_e(row.mal)}</td><td class="num">{_e(row.forandring)}</td><td>{status}</td></tr>'
        )
    head = (
        '<tr><th scope="col">Nyckeltal</th><th class="num" scope="col">Värde</th><th class="num" scope="col">Mål</th>'
        f'<th class="num" scope="col">Förändring mot {_e(r.nyckeltal_jamforelse)}</th>'
        '<th scope="col">Måluppfyllelse</th></tr>'
    )
    notes = [
        "Sjukfrånvaro och personalomsättning avser de 12 månaderna till och med perioden; rekryteringar och "
        "avgångar räknas från 1 januari. Förändringar av andelar anges i procentenheter. Förändring visas "
        "bara där extrakten täcker samma mått ett år tidigare."
    ]
    if any(row.undertryckt for row in r.nyckeltal):
        notes.append(
            f"{SUPPRESSED} = värdet redovisas inte eftersom gruppen är för liten för att redovisas utan risk att "
            "enskilda personer kan identifieras (se bilagan)."
        )
    notes.append("– = uppgift saknas eller mål finns inte för urvalet.")
    return (
        '<section class="sida" id="nyckeltal">'
        f"<h2>{_e(AVSNITT['nyckeltal'])}</h2>"
        f'<table class="data nyckeltal"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
        + "".join(f'<p class="nyckel-not">{_e(n)}</p>' for n in notes)
        + _jamforelse(r)
        + "</section>"
    )


def _jamforelse(r: Rapport) -> str:
    if r.jamforelse is None:
        return ""
    j = r.jamforelse
    return (
        f'<div class="hel jamforelse" id="jamforelse"><h3>{_e(j.rubrik)}</h3>{_table(j.tabell)}'
        + "".join(f'<p class="nyckel-not">{_e(n)}</p>' for n in j.noter)
        + "</div>"
    )


def _nulagesanalys(r: Rapport) -> str:
    parts = []
    for topic, paragraphs in r.nulagesanalys.amnen.items():
        parts.append(f"<h3>{_e(TOPICS[topic])}</h3>")
        if topic in r.granskade:
            parts.append(f'<p class="granskad">{_e(r.granskade[topic].markering)}</p>')
        parts.extend(f"<p>{_e(p)}</p>" for p in paragraphs)
    return (
        '<section class="sida nulagesanalys" id="nulagesanalys">'
        f"<h2>{_e(AVSNITT['nulagesanalys'])}</h2>"
        + (
            '<div class="utkast-etikett">Utkast – granskas före användning</div>'
            if any(topic not in r.granskade for topic in r.nulagesanalys.amnen)
            else ""
        )
        + "".join(parts)
        + "</section>"
    )


def _area(a: Avsnitt) -> str:
    parts = [f'<section class="sida omrade" id="{a.id}"><h2>{_e(a.rubrik)}</h2>']
    parts.extend(f'<p class="ingress">{_e(t)}</p>' for t in a.text)
    parts.extend(_figure(f) for f in a.figurer)
    parts.extend(
        f'<div class="hel">{_table(t)}</div>' if len(t.rader) <= 15 else _table(t) for t in a.tabeller
    )
    parts.extend(f'<p class="not">{_e(n)}</p>' for n in a.noter)
    parts.append("</section>")
    return "".join(parts)


def _plan(r: Rapport) -> str:
    head = (
        '<tr><th scope="col">Aktivitet och mål</th><th scope="col">Avdelning</th><th scope="col">Ansvarig</th>'
        '<th scope="col">Måldatum</th><th scope="col">Status</th><th scope="col">Senaste uppföljning</th></tr>'
    )
    parts = [
        '<section class="sida" id="aktiviteter">',
        f"<h2>{_e(AVSNITT['aktiviteter'])}</h2>",
        f'<p class="ingress">Aktiviteterna i handlingsplanen per UBARIA-område med aktuell status per '
        f"{_e(r.plan_referensdatum)}. En aktivitet är försenad när måldatum har passerats utan att den är klar "
        "eller inställd.</p>",
    ]
    if not r.plan:
        parts.append(
            '<p class="not">Handlingsplanen saknas i extrakten eller har inga aktiviteter i urvalet.</p>'
        )
    else:
        body = []
        for code, rows in r.plan.items():
            body.append(f'<tr class="grupp"><td colspan="6">{_e(UBARIA_RUBRIKER[code])}</td></tr>')
            for row in rows:
                late = '<br><span class="forsenad">Försenad</span>' if row.forsenad else ""
                mal = f'<span class="mal">Mål: {_e(row.mal)}</span>' if row.mal else ""
                avdelning = row.avdelning.replace("Förvaltnings", "Förvaltnings\u00ad")
                body.append(
                    f'<tr><td class="aktivitet">{_e(row.aktivitet)}{mal}</td><td>{_e(avdelning)}</td>'
                    f'<td>{_e(row.ansvarig)}</td><td class="datum">{_e(row.maldatum)}</td>'
                    f'<td class="status">{_e(row.status)}{late}</td>'
                    f'<td class="uppfoljning">{_e(row.uppfoljning or "–")}</td></tr>'
                )
        columns = "".join(
            f'<col class="{c}">' for c in ("k-akt", "k-avd", "k-ans", "k-dat", "k-sta", "k-upp")
        )
        parts.append(
            f'<table class="data plan"><colgroup>{columns}</colgroup><thead>{head}</thead>'
            f"<tbody>{''.join(body)}</tbody></table>"
        )
    parts.append("</section>")
    return "".join(parts)


def _bilaga(r: Rapport) -> str:
    parts = [
        '<section class="sida" id="bilaga">',
        f"<h2>{_e(AVSNITT['bilaga'])}</h2>",
        "<h3>Röjandekontroll</h3>",
    ]
    parts.append('<ul class="regler">' + "".join(f"<li>{_e(t)}</li>" for t in r.regler) + "</ul>")
    for title, metrics in r.bilaga:
        items = "".join(f"<div><dt>{_e(label)}</dt><dd>{_e(text)}</dd></div>" for label, text in metrics)
        parts.append(f'<h3>{_e(title)}</h3><dl class="definitioner">{items}</dl>')
    parts.append("</section>")
    return "".join(parts)


def body(r: Rapport) -> str:
    """The report's body markup (without the page head)."""
    parts = [_cover(r)]
    if r.har("nyckeltal"):
        parts.append(_nyckeltal(r))
    if r.har("nulagesanalys"):
        parts.append(_nulagesanalys(r))
    parts.extend(_area(a) for a in r.omraden)
    if r.har("aktiviteter"):
        parts.append(_plan(r))
    if r.har("bilaga"):
        parts.append(_bilaga(r))
    return "\n".join(parts)


def warmup_page() -> str:
    """A page with the report's exact head and one small chart of each kind the report draws.

    Loading it first lets Chromium compile plotly.js before the real report is ready (pdf.Skrivare).
    """
    import plotly.graph_objects as go

    fig = go.Figure(
        [go.Bar(x=["a", "b"], y=[1, 2]), go.Scatter(x=["a", "b"], y=[2, 1], mode="lines+markers")]
    )
    fig.update_layout(width=PRINT_WIDTH_PX, height=200)
    div = fig.to_html(full_html=False, include_plotlyjs=False, div_id="uppvarmning", config=PLOT_CONFIG)
    return _template().substitute(
        titel="", fingeravtryck="", css=_css(), plotlyjs=_inline_plotlyjs(), locale=LOCALE_JS, body=div
    )


def _page(r: Rapport, markup: str, plotly_script: str) -> str:
    return _template().substitute(
        titel=_e(r.titel),
        fingeravtryck=_e(r.options.fingeravtryck),
        css=_css(),
        plotlyjs=plotly_script,
        locale=LOCALE_JS,
        body=markup,
    )


def render(r: Rapport) -> str:
    """The whole report as a self-contained HTML document."""
    return _page(r, body(r), _inline_plotlyjs())


def render_with_preview(r: Rapport, plotlyjs_url: str | None) -> tuple[str, str]:
    """The self-contained document and its on-screen preview, made from one body: the same page,
    except that the preview loads plotly.js (5 MB) from plotlyjs_url instead of carrying it; without
    a URL the preview is the document itself."""
    markup = body(r)
    html = _page(r, markup, _inline_plotlyjs())
    return html, (html if not plotlyjs_url else _page(r, markup, _linked_plotlyjs(plotlyjs_url)))
