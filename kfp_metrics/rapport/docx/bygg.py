"""The nämndrapport as an editable Word document (python-docx), with the same content as the PDF.

Headings use the template's Heading styles (Word's navigation pane and table of contents work),
the nulägesanalys is plain paragraphs to edit, charts are PNG images with the figure caption as
alt text, tables are real Word tables whose header row repeats on every page, and the footer
carries "Sida X av Y" as PAGE and NUMPAGES fields.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
from pathlib import Path

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from kfp_metrics.format import SUPPRESSED
from kfp_metrics.rapport.content import AVSNITT, UBARIA_RUBRIKER, Avsnitt, Figur, Rapport, Tabell
from kfp_metrics.rapport.docx import mall
from kfp_metrics.rapport.nulagesanalys import TOPICS

HEAD_FILL = "E8EEF6"
GROUP_FILL = "F4F4F4"
ACCENT = RGBColor(0x0B, 0x4F, 0x8A)
LATE = RGBColor(0x9B, 0x1C, 0x1C)
MUTED = RGBColor(0x55, 0x55, 0x55)
CELL_PT = 9
NOTE_PT = 9
# The largest width of a chart on the page (17 cm), less where the template's margins are wider.
MAX_IMAGE_EMU = Emu(17 * 360000)

UTKAST_NOT = (
    "Rapporten är sammanställd automatiskt ur HR-extrakten. Texten under Nulägesanalys är ett utkast som "
    "ska granskas och kompletteras innan det används. Uppgifter om små grupper redovisas inte "
    f"({SUPPRESSED}), se bilagan."
)

# Text alternative of a chart: its one-sentence summary, the same as in the HTML and PDF.
AltText = Callable[[Figur], str]


def alt_text(figur: Figur) -> str:
    """The chart's text alternative: 'Figur 3. <summary of what it shows>'."""
    from kfp_metrics.diagramtext import summary

    return f"Figur {figur.nummer}. {summary(figur.figure, figur.rubrik)}"


def text_width(document: Document) -> int:
    """The width between the margins of the last section, in EMU."""
    section = document.sections[-1]
    return int(section.page_width - section.left_margin - section.right_margin)


class _Builder:
    def __init__(self, document: Document, bilder: dict[str, bytes], alt: AltText):
        self.doc = document
        self.bilder = bilder
        self.alt = alt
        self.width = text_width(document)
        self.first_heading = True

    # --- styles --------------------------------------------------------------------------------

    def _has_style(self, name: str) -> bool:
        try:
            self.doc.styles[name]
        except KeyError:
            return False
        return True

    def paragraph(self, text: str = "", style: str | None = None, size: float | None = None) -> Paragraph:
        """A paragraph in the style if the template has it, else Normal with the size given."""
        if style and self._has_style(style):
            p = self.doc.add_paragraph(style=style)
            size = None
        else:
            p = self.doc.add_paragraph()
        if text:
            run = p.add_run(text)
            if size:
                run.font.size = Pt(size)
        return p

    def note(self, text: str) -> Paragraph:
        p = self.paragraph(text, "Anteckning", NOTE_PT)
        if not self._has_style("Anteckning"):
            for run in p.runs:
                run.font.color.rgb = MUTED
        return p

    def heading(self, text: str, level: int) -> Paragraph:
        """A real Heading style; each top-level section starts on a new page."""
        p = self.doc.add_heading(text, level)
        if level == 1:
            p.paragraph_format.page_break_before = True
        return p

    # --- tables --------------------------------------------------------------------------------

    def table(
        self,
        columns: list[str],
        rows: list[list[str]],
        numeric: tuple[int, ...] = (),
        widths: list[float] | None = None,
        groups: dict[int, str] | None = None,
        header: bool = True,
    ) -> Table:
        """A Word table across the text width: bold header row repeated on each page, numbers right."""
        n = len(columns)
        table = self.doc.add_table(rows=0, cols=n)
        if self._has_style("Table Grid"):
            table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        shares = widths or [1.0] * n
        total = sum(shares)
        emu = [int(self.width * s / total) for s in shares]
        _set_table_width(table, self.width, emu)
        if header:
            cells = table.add_row().cells
            for i, title in enumerate(columns):
                self._cell(cells[i], title, bold=True, right=i in numeric, fill=HEAD_FILL)
            _repeat_header(table.rows[0])
        groups = groups or {}
        for r, row in enumerate(rows):
            if r in groups:
                group = table.add_row()
                merged = group.cells[0].merge(group.cells[-1]) if n > 1 else group.cells[0]
                self._cell(merged, groups[r], bold=True, fill=GROUP_FILL, color=ACCENT)
                _keep_row(group)
            cells = table.add_row().cells
            for i, value in enumerate(row):
                self._cell(cells[i], value, right=i in numeric)
        for row in table.rows:
            _keep_row(row)
            for i, cell in enumerate(row.cells):
                cell.width = emu[min(i, n - 1)]
        self.doc.add_paragraph()
        return table

    def _cell(self, cell, text: str, bold=False, right=False, fill=None, color=None):
        cell.text = ""
        lines = str(text).split("\n")
        p = cell.paragraphs[0]
        for k, line in enumerate(lines):
            if k:
                p = cell.add_paragraph()
            self._cell_paragraph(p, line, bold, right, color)
        if fill:
            _shade(cell, fill)

    def _cell_paragraph(self, p: Paragraph, text: str, bold: bool, right: bool, color):
        if self._has_style("Tabelltext"):
            p.style = self.doc.styles["Tabelltext"]
        else:
            p.paragraph_format.space_after = Pt(0)
        run = p.add_run()
        # A soft hyphen is Word's own element, not the character, so every word processor hides it.
        for k, part in enumerate(text.split("\u00ad")):
            if k:
                run._r.append(OxmlElement("w:softHyphen"))
            if part:
                t = OxmlElement("w:t")
                t.set(qn("xml:space"), "preserve")
                t.text = part
                run._r.append(t)
        run.font.size = Pt(CELL_PT)
        run.bold = bold or None
        if color is not None:
            run.font.color.rgb = color
        if right:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    # --- the report's parts ----------------------------------------------------------------

    def cover(self, r: Rapport) -> None:
        self.paragraph("Nämndrapport · Kompetensförsörjning", "Subtitle", 11)
        title = self.doc.add_paragraph(r.titel, style="Title" if self._has_style("Title") else None)
        title.paragraph_format.keep_with_next = True
        self.table(["Uppgift", "Värde"], [[k, v] for k, v in r.framsida], widths=[2, 3], header=False)
        if r.avsnitt_valda:
            self.paragraph("Innehåll", None, 11).runs[0].bold = True
            for a in r.avsnitt_valda:
                self.paragraph(AVSNITT[a], "List Number")
        self.note(UTKAST_NOT)

    def nyckeltal(self, r: Rapport) -> None:
        self.heading(AVSNITT["nyckeltal"], 1)
        groups, rows, current = {}, [], None
        for row in r.nyckeltal:
            if row.grupp != current:
                current = row.grupp
                groups[len(rows)] = row.grupp
            rows.append([row.namn, row.varde, row.mal, row.forandring, row.maluppfyllelse])
        self.table(
            ["Nyckeltal", "Värde", "Mål", f"Förändring mot {r.nyckeltal_jamforelse}", "Måluppfyllelse"],
            rows,
            numeric=(1, 2, 3),
            widths=[4.2, 1.5, 1.3, 2.4, 2.0],
            groups=groups,
        )
        self.note(
            "Sjukfrånvaro och personalomsättning avser de 12 månaderna till och med perioden; rekryteringar "
            "och avgångar räknas från 1 januari. Förändringar av andelar anges i procentenheter. Förändring "
            "visas bara där extrakten täcker samma mått ett år tidigare."
        )
        if any(row.undertryckt for row in r.nyckeltal):
            self.note(
                f"{SUPPRESSED} = värdet redovisas inte eftersom gruppen är för liten för att redovisas utan "
                "risk att enskilda personer kan identifieras (se bilagan)."
            )
        self.note("– = uppgift saknas eller mål finns inte för urvalet.")

    def nulagesanalys(self, r: Rapport) -> None:
        self.heading(AVSNITT["nulagesanalys"], 1)
        if any(topic not in r.granskade for topic in r.nulagesanalys.amnen):
            self.note("Utkast – granskas före användning")
        for topic, paragraphs in r.nulagesanalys.amnen.items():
            self.heading(TOPICS[topic], 2)
            if topic in r.granskade:
                p = self.note(r.granskade[topic].markering)
                for run in p.runs:
                    run.italic = True
            for text in paragraphs:
                self.paragraph(text)

    def figure(self, f: Figur) -> None:
        caption = self.paragraph("", "Caption", 10)
        caption.paragraph_format.keep_with_next = True
        label = caption.add_run(f"Figur {f.nummer}. ")
        label.bold = True
        title = caption.add_run(f.rubrik)
        title.bold = True
        image = self.bilder.get(f.id)
        if f.figure is None or image is None:
            reason = f.meddelande or "Diagrammet kunde inte ritas."
            self.paragraph(f"Diagrammet visas inte: {reason}")
            return
        p = self.doc.add_paragraph()
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_after = Pt(2)
        width, height = _fig_size(f)
        shown = min(self.width, MAX_IMAGE_EMU)
        run = p.add_run()
        shape = run.add_picture(io.BytesIO(image), width=Emu(shown), height=Emu(int(shown * height / width)))
        _describe(shape, self.alt(f), f.id)
        if f.kalla:
            self.note(f"Figur {f.nummer} · Källa: {f.kalla}")

    def area(self, a: Avsnitt) -> None:
        self.heading(a.rubrik, 1)
        for text in a.text:
            self.paragraph(text)
        for f in a.figurer:
            self.figure(f)
        for t in a.tabeller:
            self.data_table(t)
        for n in a.noter:
            self.note(n)

    def data_table(self, t: Tabell) -> None:
        if t.rubrik:
            self.paragraph(t.rubrik, "Caption", 10).paragraph_format.keep_with_next = True
        self.table(t.kolumner, t.rader, numeric=t.numeriska, widths=column_shares(t.kolumner, t.rader))

    def plan(self, r: Rapport) -> None:
        self.heading(AVSNITT["aktiviteter"], 1)
        self.paragraph(
            f"Aktiviteterna i handlingsplanen per UBARIA-område med aktuell status per {r.plan_referensdatum}. "
            "En aktivitet är försenad när måldatum har passerats utan att den är klar eller inställd."
        )
        if not r.plan:
            self.note("Handlingsplanen saknas i extrakten eller har inga aktiviteter i urvalet.")
            return
        groups, rows = {}, []
        for code, plan_rows in r.plan.items():
            groups[len(rows)] = UBARIA_RUBRIKER[code]
            for row in plan_rows:
                aktivitet = row.aktivitet + (f"\nMål: {row.mal}" if row.mal else "")
                status = row.status + ("\nFörsenad" if row.forsenad else "")
                rows.append(
                    [
                        aktivitet,
                        _soft_hyphens(row.avdelning),
                        _soft_hyphens(row.ansvarig),
                        row.maldatum,
                        status,
                        row.uppfoljning or "–",
                    ]
                )
        table = self.table(
            ["Aktivitet och mål", "Avdelning", "Ansvarig", "Måldatum", "Status", "Senaste uppföljning"],
            rows,
            widths=[3.0, 2.0, 2.3, 1.8, 1.4, 2.3],
            groups=groups,
        )
        for row in table.rows:
            for p in row.cells[4].paragraphs:
                if p.text == "Försenad":
                    for run in p.runs:
                        run.bold, run.font.color.rgb = True, LATE

    def bilaga(self, r: Rapport) -> None:
        self.heading(AVSNITT["bilaga"], 1)
        self.heading("Röjandekontroll", 2)
        for rule in r.regler:
            self.paragraph(rule, "List Bullet")
        for title, metrics in r.bilaga:
            self.heading(title, 2)
            for label, text in metrics:
                p = self.doc.add_paragraph()
                p.add_run(label).bold = True
                p.add_run(f": {text}")


# Long compounds of the plan's narrow columns, broken where Swedish breaks them.
_COMPOUND_PREFIXES = ("Förvaltnings", "Avdelnings", "Stadsdels", "Verksamhets", "Enhets")


def _soft_hyphens(text: str) -> str:
    for prefix in _COMPOUND_PREFIXES:
        text = text.replace(prefix, prefix + "\u00ad").replace(prefix.lower(), prefix.lower() + "\u00ad")
    return text.replace("\u00ad\u00ad", "\u00ad")


def column_shares(columns: list[str], rows: list[list[str]]) -> list[float]:
    """Relative column widths from the content: the longest cell, and the header's longest word (a
    header may wrap between words, never inside one), so that 'Tillsvidare' is not broken."""
    shares = []
    for i, title in enumerate(columns):
        longest_word = max((len(w) for w in str(title).split()), default=1)
        longest_cell = max((len(str(r[i])) for r in rows if i < len(r)), default=1)
        shares.append(max(longest_word + 1, min(longest_cell, 40), 3))
    return [float(x) for x in shares]


def _fig_size(f: Figur) -> tuple[int, int]:
    from kfp_metrics.rapport.docx.bilder import storlek

    return storlek(f.figure)


def _describe(shape, description: str, name: str) -> None:
    """Alt text (descr) and a name on the image, read by screen readers and Word's alt text pane."""
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", description)
    doc_pr.set("name", name)
    doc_pr.set("title", description)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _repeat_header(row) -> None:
    """Mark a row as the table's header: repeated on every page and announced as headings."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _keep_row(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.append(OxmlElement("w:cantSplit"))


def _set_table_width(table: Table, width: int, columns: list[int]) -> None:
    """A fixed table width in twips (dxa) with a fixed layout, so no table runs past the margins."""
    tbl_pr = table._tbl.tblPr
    for tag in ("w:tblW", "w:tblLayout"):
        old = tbl_pr.find(qn(tag))
        if old is not None:
            tbl_pr.remove(old)
    tbl_w = OxmlElement("w:tblW")
    tbl_w.set(qn("w:w"), str(width // 635))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_pr.append(tbl_w)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    grid = table._tbl.tblGrid
    for col, emu in zip(grid.findall(qn("w:gridCol")), columns, strict=False):
        col.set(qn("w:w"), str(emu // 635))


# --- Footer and properties -------------------------------------------------------------------


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES) whose value the word processor fills in."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", placeholder)):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    end = paragraph.add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    end._r.append(char)


def _has_page_field(part) -> bool:
    xml = part._element.xml
    return "PAGE" in "".join(t.text or "" for t in part._element.iter(qn("w:instrText"))) or (
        "w:fldSimple" in xml and "PAGE" in xml
    )


def sidfot(document: Document, text: str) -> None:
    """'<title> · <month>   Sida X av Y' in each footer, unless the template numbers its pages itself."""
    for index, section in enumerate(document.sections):
        footer = section.footer
        if footer.is_linked_to_previous:
            if index:
                continue
            footer.is_linked_to_previous = False  # the first section gets a footer of its own
        if _has_page_field(footer):
            continue
        p = footer.add_paragraph(style="Footer" if _style_exists(document, "Footer") else None)
        p.add_run(f"{text}\t")
        p.add_run("Sida ")
        _field(p, "PAGE")
        p.add_run(" av ")
        _field(p, "NUMPAGES")
        p.paragraph_format.tab_stops.add_tab_stop(Emu(text_width(document)), alignment=2)  # right


def _style_exists(document: Document, name: str) -> bool:
    try:
        document.styles[name]
    except KeyError:
        return False
    return True


def egenskaper(document: Document, r: Rapport) -> None:
    """Title, subject, keywords and the content fingerprint in the document's properties."""
    props = document.core_properties
    props.title = r.titel
    props.subject = f"Nämndrapport kompetensförsörjning, {r.framsida[2][1]}"
    props.keywords = f"kompetensförsörjning; nämndrapport; fingeravtryck {r.options.fingeravtryck or '–'}"
    props.comments = f"Extraktens fingeravtryck: {r.options.fingeravtryck or '–'}"
    props.category = "Nämndrapport"
    props.author = "kfp_metrics"
    props.language = mall.LANGUAGE
    skapad = r.options.skapad
    if skapad is not None:
        props.created = props.modified = skapad
    props.revision = 1
    props.last_modified_by = "kfp_metrics"


def skriv(
    r: Rapport,
    bilder: dict[str, bytes],
    mall_path: Path | None = None,
    alt: AltText = alt_text,
) -> bytes:
    """The report as DOCX bytes: bilder maps each Figur.id to its PNG (bilder.png)."""
    document = mall.oppna(mall_path)
    b = _Builder(document, bilder, alt)
    b.cover(r)
    if r.har("nyckeltal"):
        b.nyckeltal(r)
    if r.har("nulagesanalys"):
        b.nulagesanalys(r)
    for a in r.omraden:
        b.area(a)
    if r.har("aktiviteter"):
        b.plan(r)
    if r.har("bilaga"):
        b.bilaga(r)
    # The template's last section properties must stay the body's last child.
    body = document.element.body
    sect = body.find(qn("w:sectPr"))
    if sect is not None:
        body.remove(sect)
        body.append(sect)
    sidfot(document, r.sidfot)
    egenskaper(document, r)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def figurer(r: Rapport) -> list[Figur]:
    """Every chart of the report that has a figure to draw, in print order."""
    return [f for a in r.omraden for f in a.figurer if f.figure is not None]


def docx_bytes(r: Rapport, mall_path: Path | None = None, alt: AltText = alt_text) -> bytes:
    """Draw the charts (one browser) and write the document."""
    from kfp_metrics.rapport.docx import bilder as b

    charts = figurer(r)
    images = b.png([copy.deepcopy(f.figure) for f in charts])
    return skriv(r, {f.id: image for f, image in zip(charts, images, strict=True)}, mall_path, alt)
