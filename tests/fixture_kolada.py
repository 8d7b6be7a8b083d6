"""Recorded Kolada API v3 responses (tests/fixtures/kolada/) beside the hand-built extracts.

sida1.json + sida2.json are two pages of one answer (next_url), municipality.json names the ids,
lang.csv is the long CSV form. The values the tests expect are read off these files by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import fixture_data

from kfp_metrics.kolada import tabell, tolka

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "kolada"
PAGES = [FIXTURES / "sida1.json", FIXTURES / "sida2.json"]
NAMES = FIXTURES / "municipality.json"
CSV = FIXTURES / "lang.csv"
HAMTAD = dt.date(2024, 10, 1)


def write(directory: Path) -> Path:
    """fixture_data's extracts plus jamforelse converted from the recorded pages and names."""
    fixture_data.write(directory)
    rows = tabell.rows_of(tolka.read_files([*PAGES, NAMES]), HAMTAD)
    tabell.write(tabell.build(rows), directory)
    return directory
