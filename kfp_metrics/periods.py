"""Months, 12-month windows and tertials as the contract defines them."""

from __future__ import annotations

import calendar
import datetime as dt
import re

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def parse_period(text: str) -> dt.date:
    """'YYYY-MM' as the first day of that month; ValueError with a Swedish message otherwise."""
    match = _PERIOD.match(str(text).strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise ValueError(f"Ogiltig period {text!r}: ange år och månad som ÅÅÅÅ-MM, t.ex. 2024-09.")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def format_period(day: dt.date) -> str:
    """A date's month as 'YYYY-MM'."""
    return f"{day.year:04d}-{day.month:02d}"


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after day's month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    """The last day of day's month."""
    return dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def window_12(period: dt.date) -> tuple[dt.date, dt.date]:
    """First day of P−11 and last day of P."""
    return add_months(period, -11), month_end(period)


def tertial(month: int) -> int:
    """Tertial 1 = januari–april, 2 = maj–augusti, 3 = september–december."""
    return (month - 1) // 4 + 1


def tertial_start_month(t: int) -> int:
    """The first month of tertial t."""
    return 4 * (t - 1) + 1


def reference_date(period: dt.date, today: dt.date | None = None) -> dt.date:
    """The earlier of today and the last day of P, for 'försenade'."""
    today = today or dt.date.today()
    return min(today, month_end(period))
