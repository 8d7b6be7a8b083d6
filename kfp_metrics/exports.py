"""CSV and Excel bytes of exactly the table behind a chart (suppressed cells stay '..')."""

from __future__ import annotations

import io

import pandas as pd


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """Semicolon-separated CSV with decimal comma and a BOM, as Swedish Excel opens it."""
    return frame.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def excel_bytes(frame: pd.DataFrame, sheet: str = "Data") -> bytes:
    """An .xlsx with one sheet holding the frame."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet[:31])
        worksheet = writer.sheets[sheet[:31]]
        for column_cells in worksheet.columns:
            width = max(len(str(c.value)) if c.value is not None else 0 for c in column_cells)
            worksheet.column_dimensions[column_cells[0].column_letter].width = min(60, max(10, width + 2))
    return buffer.getvalue()
