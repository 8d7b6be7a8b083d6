"""The 'Visa data' tables write their numbers as the charts do: decimal comma, a space between
thousands, one number of decimals per column (tables.number_columns; the browser's language is
set to Swedish by ui/tillganglighet, tests/test_browser.py)."""

from __future__ import annotations

import pandas as pd

from kfp_metrics.ui import tables


def _shown_as(config: dict, column: str) -> tuple[str, float] | None:
    if column not in config:
        return None
    typed = config[column]["type_config"]
    return typed["format"], typed["step"]


def test_table_numbers_are_written_in_the_readers_form_with_one_number_of_decimals():
    frame = pd.DataFrame(
        {
            "Månad": ["2026-09", "2026-10"],
            "År": [2025, 2026],
            "Sjukfrånvaro totalt (%)": [7.0, 7.1],  # 7,0 beside 7,1, not 7 beside 7.1
            "Andel (%)": [33.33, 12.5],
            "Pensionsavgångar": [4.0, None],  # whole numbers with a withheld value
            "Antal personer": [2130, 12],
            "Undertryckt": [False, True],
        }
    )
    config = tables.number_columns(frame)
    assert _shown_as(config, "Sjukfrånvaro totalt (%)") == ("localized", 0.1)
    assert _shown_as(config, "Andel (%)") == ("localized", 0.01)
    assert _shown_as(config, "Pensionsavgångar") == ("localized", 1)
    assert _shown_as(config, "Antal personer") == ("localized", 1)
    # A year is written 2026, not 2 026; texts and yes/no are left to their own columns.
    assert {"År", "Månad", "Undertryckt"}.isdisjoint(config)
