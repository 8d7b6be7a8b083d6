"""The municipality's Word template as the base of the report: its styles, margins, header and footer.

The template's body is emptied and the report written into it; the last section's properties
(page size, margins, header and footer references) stay, so every page looks as the municipality's
own documents do. Without a template the project's plain standardmall.docx is used.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn

HERE = Path(__file__).resolve().parent
STANDARDMALL = HERE / "standardmall.docx"
# The app's setting: a .docx the Nämndrapport page uses as template.
ENV_MALL = "KFP_RAPPORTMALL"
LANGUAGE = "sv-SE"


class MallFel(ValueError):
    """The template cannot be used; the message is Swedish and names the file."""


def mall_fran_miljo() -> Path | None:
    """The template named by KFP_RAPPORTMALL, None when unset."""
    value = os.environ.get(ENV_MALL, "").strip()
    return Path(value) if value else None


def mall_problem(path: Path) -> str | None:
    """A Swedish message when path is no usable Word document, else None."""
    if not path.is_file():
        return f"Mallen {path} finns inte."
    if path.suffix.lower() not in (".docx", ".dotx"):
        return f"Mallen {path} är ingen Word-fil (.docx)."
    try:
        with zipfile.ZipFile(path) as z:
            if "word/document.xml" not in z.namelist():
                return f"Mallen {path} är ingen Word-fil: word/document.xml saknas."
    except zipfile.BadZipFile:
        return f"Mallen {path} är ingen Word-fil (filen är inte ett zip-arkiv)."
    return None


def oppna(path: Path | None = None) -> Document:
    """The template opened as the report's document, body emptied, section properties kept."""
    path = path or STANDARDMALL
    problem = mall_problem(path)
    if problem:
        raise MallFel(problem)
    if path.suffix.lower() == ".dotx":
        document = _open_dotx(path)
    else:
        try:
            document = docx.Document(str(path))
        except Exception as exc:  # noqa: BLE001 - python-docx raises several kinds for broken files
            raise MallFel(f"Mallen {path} kunde inte läsas: {exc}") from exc
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    set_language(document)
    return document


def _open_dotx(path: Path) -> Document:
    """A .dotx opened as a document: its content type says template, python-docx wants a document."""
    import io

    source = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"wordprocessingml.template.main+xml", b"wordprocessingml.document.main+xml"
                )
            zout.writestr(item, data)
    source.seek(0)
    return docx.Document(source)


def set_language(document: Document, language: str = LANGUAGE) -> None:
    """Swedish as the language of every run by default (spell checking, screen readers)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = styles.makeelement(qn("w:docDefaults"), {})
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = defaults.makeelement(qn("w:rPrDefault"), {})
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = rpr_default.makeelement(qn("w:rPr"), {})
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)
    lang.set(qn("w:bidi"), "ar-SA")
    # Styles that name a language of their own (an English template) would override the default.
    for style_lang in styles.iter(qn("w:lang")):
        if style_lang is not lang:
            style_lang.set(qn("w:val"), language)
    document.core_properties.language = language
