"""Swedish number and date formatting, shared by pages, CLI texts and the report."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date

LOCALE = "sv_SE"
SUPPRESSED = ".."
MISSING = "–"
NBSP = "\u00a0"


def is_missing(value) -> bool:
    """Whether a value is absent: None or a float NaN."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def tal(value, decimals: int = 0) -> str:
    """A number in Swedish form: space as thousands separator, decimal comma (1 234,5).

    Rounded half away from zero on the number as written (6,25 → 6,3; 6,35 → 6,4), as Excel shows
    it, so a figure here reads the same as in the analyst's own spreadsheet."""
    if is_missing(value):
        return MISSING
    exact = Decimal(repr(float(value)))
    rounded = exact.quantize(_STEPS[decimals], rounding=ROUND_HALF_UP) if exact.is_finite() else exact
    if rounded == 0:
        rounded = abs(rounded)  # no minus sign on a zero
    return f"{rounded:,.{decimals}f}".replace(",", " ").replace(".", ",")


_STEPS = {d: Decimal(1).scaleb(-d) for d in range(10)}


def procent(value, decimals: int = 1) -> str:
    """A percentage in Swedish form: 6,2 %."""
    if is_missing(value):
        return MISSING
    return f"{tal(value, decimals)}{NBSP}%"


def procentenheter(value, decimals: int = 1, sign: bool = True) -> str:
    """A difference of percentages: +0,4 procentenheter."""
    if is_missing(value):
        return MISSING
    text = tal(abs(value), decimals)
    prefix = _sign(value, text) if sign else ""
    return f"{prefix}{text}{NBSP}procentenheter"


def forandring(value, decimals: int = 0, unit: str = "") -> str:
    """A signed change in Swedish form: +12, -3,5."""
    if is_missing(value):
        return MISSING
    text = tal(abs(value), decimals)
    suffix = f"{NBSP}{unit}" if unit else ""
    return f"{_sign(value, text)}{text}{suffix}"


def _sign(value, text: str) -> str:
    """The sign of a change as written: a change that rounds to zero is '±', never '-0,0' or '+0,0'."""
    if not any(ch in "123456789" for ch in text):
        return "±"
    return "+" if value > 0 else "-"


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
