"""Makes standardmall.docx, the plain template the Word report uses when no municipal one is given.

Run `python -m kfp_metrics.rapport.docx.skapa_standardmall` after changing it and commit both files.
A municipality replaces it with its own template (`--mall`, KFP_RAPPORTMALL): this file only shows
what a template holds: A4 margins, the styles the report uses and a running header.
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

ACCENT = RGBColor(0x0B, 0x4F, 0x8A)
TEXT = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x55, 0x55, 0x55)
FONT = "Liberation Sans"


def build() -> docx.document.Document:
    """The template document."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.left_margin, section.right_margin = Cm(2.2), Cm(2.2)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)

    styles = document.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size, normal.font.color.rgb = FONT, Pt(10.5), TEXT
    normal.paragraph_format.space_after = Pt(5)
    normal.paragraph_format.line_spacing = 1.15
    for name, size, before in (("Title", 24, 0), ("Heading 1", 16, 12), ("Heading 2", 12.5, 10)):
        style = styles[name]
        style.font.name, style.font.size, style.font.bold = FONT, Pt(size), True
        style.font.color.rgb = ACCENT
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(before), Pt(6)
        style.paragraph_format.keep_with_next = True
    styles["Heading 1"].paragraph_format.page_break_before = True
    subtitle = styles["Subtitle"]
    subtitle.font.name, subtitle.font.size, subtitle.font.color.rgb = FONT, Pt(11), MUTED
    caption = styles["Caption"]
    caption.font.name, caption.font.size, caption.font.bold = FONT, Pt(10), True
    caption.font.italic, caption.font.color.rgb = False, TEXT
    caption.paragraph_format.keep_with_next = True
    for name in ("Header", "Footer"):
        styles[name].font.name, styles[name].font.size = FONT, Pt(8.5)
        styles[name].font.color.rgb = MUTED
    note = styles.add_style("Anteckning", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size, note.font.color.rgb = Pt(9), MUTED
    cell = styles.add_style("Tabelltext", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.font.size = Pt(9)
    cell.paragraph_format.space_after = Pt(0)
    cell.paragraph_format.line_spacing = 1.0

    header = section.header.paragraphs[0]
    header.text = "Kompetensförsörjning"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.core_properties.title = "Mall för nämndrapport"
    document.core_properties.author = "kfp_metrics"
    return document


def main(argv: list[str] | None = None) -> int:
    target = Path((argv or sys.argv[1:] or [str(Path(__file__).with_name("standardmall.docx"))])[0])
    build().save(str(target))
    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
