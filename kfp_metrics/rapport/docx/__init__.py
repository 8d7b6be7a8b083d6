"""The nämndrapport as an editable Word document: bygg writes it, bilder draws the charts as PNG,
mall opens the municipality's template (or the project's standardmall.docx)."""

from kfp_metrics.rapport.docx.bygg import alt_text, docx_bytes, figurer, skriv
from kfp_metrics.rapport.docx.mall import ENV_MALL, STANDARDMALL, MallFel, mall_fran_miljo, mall_problem

__all__ = [
    "ENV_MALL",
    "STANDARDMALL",
    "MallFel",
    "alt_text",
    "docx_bytes",
    "figurer",
    "mall_fran_miljo",
    "mall_problem",
    "skriv",
]
