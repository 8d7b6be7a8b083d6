"""The nämndrapport as a Word document, read back as a nämndsekreterare would meet it.

python-docx reads the structure (Heading styles, real tables with repeated header rows, images with
alt text, PAGE/NUMPAGES fields, Swedish language, the template's styles and margins); LibreOffice
renders it to PDF and pdftotext/pdftoppm show the pages: numbered "Sida X av Y", nothing past the
right margin. Charts are drawn by Kaleido in Chromium; tests that need it are marked `browser`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from apptest_helpers import app_test
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from streamlit.runtime.pages_manager import PagesManager

from kfp_metrics.cli import main
from kfp_metrics.diagramtext import summary
from kfp_metrics.extracts import content_fingerprint
from kfp_metrics.format import SUPPRESSED
from kfp_metrics.rapport import AVSNITT, Options, collect
from kfp_metrics.rapport.content import Granskning
from kfp_metrics.rapport.docx import STANDARDMALL, docx_bytes, figurer, skriv
from kfp_metrics.rapport.docx import bilder as docx_bilder
from kfp_metrics.rapport.docx.bygg import text_width
from kfp_metrics.rapport.html import render
from kfp_metrics.rapport.nulagesanalys import TOPICS

P = dt.date(2024, 9, 1)
SKAPAD = dt.datetime(2024, 10, 15, 9, 30)
TWIPS_PER_EMU = 1 / 635

needs_chromium = pytest.mark.skipif(
    docx_bilder.chromium_path() is None,
    reason="chromium saknas (/usr/bin/chromium); apt-get install chromium",
)
needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice saknas; apt-get install libreoffice-writer-nogui"
)


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def near(length: int, expected: int) -> bool:
    """Lengths equal to the twip Word stores them in (1 twip = 635 EMU)."""
    return abs(length - expected) < 635


def fake_png() -> bytes:
    """A small grey PNG standing in for a chart where the drawing itself is not under test."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 38), (200, 200, 200)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def state(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("docx_state")


def options(fixture_dir, state, **kw) -> Options:
    base = {
        "period": P,
        "skapad": SKAPAD,
        "fingeravtryck": content_fingerprint(fixture_dir),
        "state_dir": state,
    }
    return Options(**{**base, **kw})


@pytest.fixture(scope="module")
def rapport(con, fixture_dir, state):
    return collect(con, options(fixture_dir, state))


def with_fake_images(r, mall: Path | None = None) -> docx.document.Document:
    images = {f.id: fake_png() for f in figurer(r)}
    return docx.Document(io.BytesIO(skriv(r, images, mall)))


@pytest.fixture(scope="module")
def document(rapport):
    return with_fake_images(rapport)


def by_style(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


# --- Structure -------------------------------------------------------------------------------


def test_headings_are_real_heading_styles(document, rapport):
    assert by_style(document, "Title") == [rapport.titel]
    # Every section chosen (all of them) is a Heading 1, in print order.
    assert by_style(document, "Heading 1") == [AVSNITT[a] for a in AVSNITT]
    level2 = by_style(document, "Heading 2")
    for topic in rapport.nulagesanalys.amnen:
        assert TOPICS[topic] in level2
    assert "Röjandekontroll" in level2


def test_nulagesanalys_is_editable_paragraphs(document, rapport):
    texts = [p.text for p in document.paragraphs]
    for paragraph in rapport.nulagesanalys.stycken():
        assert paragraph in texts
    body = plain(" ".join(texts))
    # 19 månadsavlönade, 13 women (see test_nulagesanalys for the derivation).
    assert "19 anställda som uppbär månadslön. Av dessa är 13 kvinnor och 6 män" in body


def _header_row(table) -> bool:
    tr_pr = table.rows[0]._tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


def test_key_figures_are_a_word_table_with_repeated_header(document):
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Nyckeltal")
    assert [c.text for c in table.rows[0].cells] == [
        "Nyckeltal",
        "Värde",
        "Mål",
        "Förändring mot september 2023",
        "Måluppfyllelse",
    ]
    assert _header_row(table)
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows}
    # Sjukfrånvaro among men is withheld (10 or fewer persons): the cell stays "..".
    assert rows["Sjukfrånvaro män"][1] == SUPPRESSED
    # 16 tillsvidare in 2024-09 against 20 a year before; 11 of them women, 5 men (hand count).
    assert rows["Tillsvidareanställda"][1] == "16"
    assert rows["Tillsvidareanställda kvinnor"][1] == "11"
    assert rows["Tillsvidareanställda män"][1] == "5"
    # Incidents lead with the latest complete tertial: tertial 2 2024 (i9) against tertial 2 2023 (i2, i3).
    assert rows["Incidenter tertial 2 2024"][1:4] == ["1", "–", "-1 (tertial 2 2023)"]
    assert plain(rows["Incidenter hittills tertial 3 2024 (september)"][3]) == "+1 (september 2023)"
    # A group row spans the table.
    assert "Personal" in rows and rows["Personal"] == ["Personal"] * 5


def test_every_data_table_repeats_its_header_and_fits_the_page(document):
    width_twips = text_width(document) * TWIPS_PER_EMU
    tables = document.tables
    assert len(tables) >= 5  # cover, key figures, pension, incidents, plan
    for table in tables[1:]:  # the cover's fact table has no header row
        assert _header_row(table), table.rows[0].cells[0].text
    for table in tables:
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(grid) <= width_twips + 1, (table.rows[0].cells[0].text, sum(grid), width_twips)
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed"


def test_plan_table_marks_overdue_activities(document):
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Aktivitet och mål")
    statuses = [r.cells[4].text for r in table.rows[1:]]
    # A1 and A5 are past their maldatum on 30 september 2024 without being done.
    assert sum("Försenad" in s for s in statuses) == 2


def test_every_chart_is_an_image_with_alt_text(document, rapport):
    drawn = figurer(rapport)
    assert len(drawn) >= 10
    assert len(document.inline_shapes) == len(drawn)
    descriptions = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    # The alt text is the chart's one-sentence summary, as in the HTML and the PDF
    assert descriptions == [f"Figur {f.nummer}. {summary(f.figure, f.rubrik)}" for f in drawn]
    assert all(len(d) > len(f"Figur {f.nummer}. ") + 20 for d, f in zip(descriptions, drawn, strict=True))
    captions = by_style(document, "Caption")
    for f in drawn:
        assert f"Figur {f.nummer}. {f.rubrik}" in captions


def test_footer_has_page_fields(document):
    footer = document.sections[0].footer
    assert not footer.is_linked_to_previous
    instructions = [t.text.strip() for t in footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    text = footer.paragraphs[-1].text
    assert "Sida 1 av 1" in text  # the placeholders; the word processor fills in the real numbers


def test_language_title_and_fingerprint_in_properties(document, rapport, fixture_dir):
    lang = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert lang.find(qn("w:lang")).get(qn("w:val")) == "sv-SE"
    props = document.core_properties
    assert props.language == "sv-SE"
    assert props.title == rapport.titel == "Kompetensförsörjning – alla förvaltningar, tertial 3 2024"
    fingerprint = content_fingerprint(fixture_dir)
    assert fingerprint in props.keywords and fingerprint in props.comments
    cover = document.tables[0]
    facts = {r.cells[0].text: r.cells[1].text for r in cover.rows}
    assert facts["Extraktens fingeravtryck"] == fingerprint
    assert facts["Period"] == "september 2024 (tertial 3 2024)"


def test_default_template_ships_and_is_a4(document):
    assert STANDARDMALL.is_file()
    section = document.sections[0]
    assert near(section.page_width, Cm(21.0)) and near(section.page_height, Cm(29.7))
    assert section.header.paragraphs[0].text == "Kompetensförsörjning"


# --- The municipality's template ----------------------------------------------------------


@pytest.fixture(scope="module")
def kommunmall(tmp_path_factory) -> Path:
    """A municipal template made by hand: serif font, wide margins, its own header and a footer that
    already numbers the pages."""
    template = docx.Document()
    section = template.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(3.0)
    template.styles["Normal"].font.name = "DejaVu Serif"
    template.styles["Normal"].font.size = Pt(11)
    template.styles["Heading 1"].font.name = "DejaVu Serif"
    section.header.paragraphs[0].text = "Exempelkommun · Socialförvaltningen"
    footer = section.footer.paragraphs[0]
    footer.text = "Exempelkommun, sida "
    simple = docx.oxml.OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), " PAGE ")
    footer._p.append(simple)
    template.add_paragraph("Mallens exempeltext som inte ska följa med.")
    path = tmp_path_factory.mktemp("mall") / "kommunmall.docx"
    template.save(str(path))
    return path


def test_template_styles_margins_header_and_footer_are_used(rapport, kommunmall):
    document = with_fake_images(rapport, kommunmall)
    section = document.sections[0]
    assert near(section.left_margin, Cm(3.0)) and near(section.right_margin, Cm(3.0))
    assert section.header.paragraphs[0].text == "Exempelkommun · Socialförvaltningen"
    assert document.styles["Normal"].font.name == "DejaVu Serif"
    # The template's own page numbering is kept, not doubled.
    assert "Sida " not in " ".join(p.text for p in section.footer.paragraphs)
    assert section.footer.paragraphs[0].text.startswith("Exempelkommun, sida")
    assert "Mallens exempeltext som inte ska följa med." not in [p.text for p in document.paragraphs]
    # Tables follow the template's narrower text width (21 − 2 × 3 cm = 15 cm).
    width_twips = Cm(15.0) * TWIPS_PER_EMU + 1
    for table in document.tables:
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(grid) <= width_twips + 1
    # The template lacks the default's custom styles: the report still reads.
    assert by_style(document, "Heading 1")[0] == AVSNITT["nyckeltal"]


def test_reviewed_text_replaces_the_draft_and_is_marked(con, fixture_dir, state):
    review = Granskning(
        "incidenter",
        ("Tertial 2 hade en incident; rutinerna har setts över.",),
        "Anna Berg",
        dt.date(2024, 10, 14),
    )
    r = collect(con, options(fixture_dir, state, avsnitt=("nulagesanalys",), granskningar=(review,)))
    document = with_fake_images(r)
    texts = [p.text for p in document.paragraphs]
    at = texts.index(TOPICS["incidenter"])
    assert texts[at + 1] == "Granskad av Anna Berg, 14 oktober 2024"
    assert texts[at + 2] == "Tertial 2 hade en incident; rutinerna har setts över."
    assert not any(t.startswith("Under tertial 2 2024 (maj–augusti) anmäldes") for t in texts)
    # Other topics keep the draft, so the draft label stays.
    assert "Utkast – granskas före användning" in texts
    html = render(r)
    assert '<p class="granskad">Granskad av Anna Berg, 14 oktober 2024</p>' in html


# --- Command line ----------------------------------------------------------------------------


def test_cli_writes_docx(fixture_dir, state_dir, tmp_path, capsys):
    out = tmp_path / "rapport.docx"
    code = main(
        [
            "rapport",
            "--data",
            str(fixture_dir),
            "--period",
            "2024-09",
            "--avsnitt",
            "nyckeltal",
            "--docx",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert f"Word: {out}" in capsys.readouterr().err
    document = docx.Document(str(out))
    assert by_style(document, "Heading 1") == ["Nyckeltal"]
    assert document.core_properties.keywords.endswith(content_fingerprint(fixture_dir))


@pytest.mark.parametrize(
    ("mall", "message"),
    [
        ("saknas.docx", "finns inte"),
        ("mall.txt", "är ingen Word-fil (.docx)"),
        ("trasig.docx", "är ingen Word-fil (filen är inte ett zip-arkiv)"),
    ],
)
def test_cli_refuses_a_bad_template(fixture_dir, state_dir, tmp_path, capsys, mall, message):
    (tmp_path / "mall.txt").write_text("x")
    (tmp_path / "trasig.docx").write_text("inte en zip")
    out = tmp_path / "r.docx"
    code = main(
        [
            "rapport",
            "--data",
            str(fixture_dir),
            "--period",
            "2024-09",
            "--docx",
            str(out),
            "--mall",
            str(tmp_path / mall),
        ]
    )
    assert code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_cli_needs_an_output(fixture_dir, state_dir, capsys):
    assert main(["rapport", "--data", str(fixture_dir), "--period", "2024-09"]) == 2
    assert "ange minst en fil att skriva" in capsys.readouterr().err


# --- The page --------------------------------------------------------------------------------


@pytest.fixture()
def navigation_v2(monkeypatch):
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def test_page_makes_the_word_document_on_click(navigation_v2, monkeypatch, fixture_dir, state_dir, tmp_path):
    from kfp_metrics.rapport import pdf as rapport_pdf

    monkeypatch.setattr(rapport_pdf, "browser_available", lambda: False)
    monkeypatch.setattr(docx_bilder, "png", lambda figures: [fake_png() for _ in figures])
    at = app_test(monkeypatch, fixture_dir, state_dir, {"period": "2024-09"})
    at.switch_page("pages/namndrapport.py").run()
    assert not at.exception, at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Ladda ner Word" not in labels  # nothing drawn before the click
    at.button(key="rapport_skapa_docx").click().run()
    assert not at.exception, at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Ladda ner Word" in labels


def test_page_reports_a_bad_template_setting(navigation_v2, monkeypatch, fixture_dir, state_dir, tmp_path):
    from kfp_metrics.rapport import pdf as rapport_pdf

    monkeypatch.setattr(rapport_pdf, "browser_available", lambda: False)
    monkeypatch.setenv("KFP_RAPPORTMALL", str(tmp_path / "saknas.docx"))
    at = app_test(monkeypatch, fixture_dir, state_dir, {"period": "2024-09"})
    at.switch_page("pages/namndrapport.py").run()
    assert not at.exception, at.exception
    assert any("saknas.docx finns inte" in e.value and "KFP_RAPPORTMALL" in e.value for e in at.error)


# --- Drawn and rendered --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ritad(rapport, tmp_path_factory):
    """The whole report with its charts drawn by Kaleido, rendered by LibreOffice to PDF."""
    if docx_bilder.chromium_path() is None or shutil.which("soffice") is None:
        pytest.skip("chromium eller LibreOffice saknas")
    directory = tmp_path_factory.mktemp("ritad")
    path = directory / "rapport.docx"
    path.write_bytes(docx_bytes(rapport))
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(directory),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=240,
        env={"HOME": str(directory), "PATH": "/usr/bin:/bin"},
    )
    return path, directory / "rapport.pdf"


def _pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return [plain(p) for p in text.stdout.split("\f")[:-1]]


@pytest.mark.browser
@needs_chromium
@needs_soffice
def test_charts_are_drawn_as_sharp_png(ritad, rapport):
    from PIL import Image

    document = docx.Document(str(ritad[0]))
    shapes = document.inline_shapes
    assert len(shapes) == len(figurer(rapport))
    blob = document.part.related_parts[shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    with Image.open(io.BytesIO(blob)) as image:
        # 640 CSS pixels wide at scale 3.
        assert image.format == "PNG" and image.width == 640 * docx_bilder.SCALE


@pytest.mark.browser
@needs_chromium
@needs_soffice
def test_rendered_pages_are_numbered_and_each_section_starts_a_page(ritad):
    _, pdf = ritad
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(
        r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)|Page size:\s+595\.\d+ x 842\.\d+ pts", info
    )
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    pages = _pdf_pages(pdf)
    assert len(pages) == count
    # The cover plus eleven sections that each begin on a page of their own; charts need more.
    assert 12 <= count <= 40
    for number, page in enumerate(pages, start=1):
        assert f"Sida {number} av {count}" in page

    def first_lines(page: str) -> list[str]:
        # Under the template's running header ("Kompetensförsörjning") comes the page's first heading.
        return [line.strip() for line in page.splitlines() if line.strip()][:2]

    # Searched in order after the previous section: the nulägesanalys has topic headings named like
    # some sections (Rekryteringsbehov, Jämställdhet) that may open one of its own pages.
    starts, after = [], 0
    for title in AVSNITT.values():
        found = next(
            i
            for i, p in enumerate(pages)
            if i > after and any(line.startswith(title) for line in first_lines(p))
        )
        starts.append(found)
        after = found
    assert len(set(starts)) == len(starts)
    flat = " ".join(" ".join(pages).split())
    assert "16 tillsvidareanställda, varav 11 kvinnor och 5 män" in flat
    assert not re.search(r"\b\d+\.\d+ ?%", flat), "decimal point in a percentage"


@pytest.mark.browser
@needs_chromium
@needs_soffice
def test_no_text_runs_past_the_right_margin(ritad):
    _, pdf = ritad
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    page_width = float(re.search(r'<page width="([\d.]+)"', bbox).group(1))
    # The default template's margins are 2,2 cm = 62,4 pt; allow a point for rounding.
    limit = page_width - 62.4 + 1
    words = [(float(x), w) for x, w in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', bbox)]
    assert words
    past = [(x, w) for x, w in words if x > limit]
    assert not past, past[:10]


@pytest.mark.browser
@needs_chromium
@needs_soffice
def test_no_rendered_page_is_blank(ritad, tmp_path):
    from PIL import Image

    _, pdf = ritad
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "sida")], check=True)
    images = sorted(tmp_path.glob("sida-*.png"))
    assert images
    for image_path in images:
        with Image.open(image_path) as image:
            gray = image.convert("L")
            width, height = gray.size
            body = gray.crop((0, int(height * 0.08), width, int(height * 0.9)))
            assert sum(body.histogram()[:200]) > 100, f"{image_path.name} ser tom ut"


def test_fully_reviewed_text_loses_the_draft_label(con, fixture_dir, state):
    draft = collect(con, options(fixture_dir, state, avsnitt=("nulagesanalys",)))
    reviews = tuple(
        Granskning(topic, tuple(paragraphs), "Anna Berg", dt.date(2024, 10, 14))
        for topic, paragraphs in draft.nulagesanalys.amnen.items()
    )
    r = collect(con, options(fixture_dir, state, avsnitt=("nulagesanalys",), granskningar=reviews))
    texts = [p.text for p in with_fake_images(r).paragraphs]
    assert "Utkast – granskas före användning" not in texts
    assert texts.count("Granskad av Anna Berg, 14 oktober 2024") == len(draft.nulagesanalys.amnen)
    assert "Utkast – granskas före användning" not in render(r)
