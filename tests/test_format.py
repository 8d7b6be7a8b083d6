"""Swedish number and date forms."""

from __future__ import annotations

import datetime as dt
import math
import random

import pytest
from babel.numbers import format_decimal

from kfp_metrics.format import MISSING, datum, forandring, manad, procent, procentenheter, tal


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1663, 0, "1 663"),
        (1234567.891, 2, "1 234 567,89"),
        (6.25, 1, "6,3"),  # half away from zero, as Excel shows it
        (6.35, 1, "6,4"),  # the number as written, though the float is just below 6,35
        (2.675, 2, "2,68"),
        (-1234.5, 0, "-1 235"),
        (999.96, 1, "1 000,0"),
        (0, 1, "0,0"),
        (-0.04, 1, "0,0"),  # no minus sign on a zero
        (None, 0, MISSING),
        (math.nan, 1, MISSING),
    ],
)
def test_tal(value, decimals, expected):
    assert tal(value, decimals) == expected


def test_tal_matches_the_swedish_locale_pattern():
    """Away from exact halves (where tal rounds as Excel does) tal writes what babel's sv_SE
    pattern writes."""
    rng = random.Random(7)
    values = [rng.uniform(-2e6, 2e6) for _ in range(2000)] + [rng.randint(-99999, 99999) for _ in range(500)]
    values += [0.04, 1e15, 12345678901.25, -987654.321]
    for value in values:
        for decimals in (0, 1, 2):
            if abs(value) * 10**decimals % 1 in (0.5,) or round(value, decimals) == 0:
                continue
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
            reference = format_decimal(value, format=pattern, locale="sv_SE")
            reference = reference.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2212", "-")
            assert tal(value, decimals) == reference, (value, decimals)


def test_percentages_changes_and_dates():
    assert procent(6.234) == "6,2\u00a0%"
    assert procentenheter(2.0) == "+2,0\u00a0procentenheter"
    assert procentenheter(-0.4) == "-0,4\u00a0procentenheter"
    assert forandring(-3.5, 1) == "-3,5"
    assert forandring(0) == "±0"
    assert manad(dt.date(2024, 9, 1)) == "september 2024" and manad("2024-01") == "januari 2024"
    assert datum(dt.date(2024, 9, 30)) == "30 september 2024"
