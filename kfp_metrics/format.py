"""Swedish number and date formatting (babel), shared by pages, CLI texts and the report."""

from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "sv_SE"
SUPPRESSED = ".."
MISSING = "–"
NBSP = "\u00a0"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def tal(value, decimals: int = 0) -> str:
    """A number in Swedish form: space as thousands separator, decimal comma (1 234,5)."""
    if _missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    text = format_decimal(round(float(value), decimals), format=pattern, locale=LOCALE)
    return text.replace("\u202f", " ").replace(NBSP, " ").replace("\u2212", "-")


def procent(value, decimals: int = 1) -> str:
    """A percentage in Swedish form: 6,2 %."""
    if _missing(value):
        return MISSING
    return f"{tal(value, decimals)}{NBSP}%"


def procentenheter(value, decimals: int = 1, sign: bool = True) -> str:
    """A difference of percentages: +0,4 procentenheter."""
    if _missing(value):
        return MISSING
    text = tal(abs(value), decimals)
    prefix = ("+" if value > 0 else "-" if value < 0 else "±") if sign else ""
    return f"{prefix}{text}{NBSP}procentenheter"


def forandring(value, decimals: int = 0, unit: str = "") -> str:
    """A signed change in Swedish form: +12, -3,5."""
    if _missing(value):
        return MISSING
    prefix = "+" if value > 0 else "-" if value < 0 else "±"
    suffix = f"{NBSP}{unit}" if unit else ""
    return f"{prefix}{tal(abs(value), decimals)}{suffix}"


MANADER = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def manad(period: str | dt.date) -> str:
    """A month in Swedish long form: september 2024."""
    if isinstance(period, str):
        year, month = (int(x) for x in period[:7].split("-"))
    else:
        year, month = period.year, period.month
    return f"{MANADER[month - 1]} {year}"


def datum(value: dt.date) -> str:
    """A date in Swedish long form: 30 september 2024."""
    return format_date(value, format="d MMMM y", locale=LOCALE)
