"""Personnummer in free text (kfp_metrics.personnummer). Check digits computed by hand: Luhn over
the nine digits after the century, weights 2, 1, 2, … from the left, digits of each product summed,
check digit = (10 − sum mod 10) mod 10."""

from __future__ import annotations

import pytest

from kfp_metrics.personnummer import i_text, meddelande


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 121212121 → 2+2+2+2+2+2+2+2+2 = 18 → check digit 2
        ("Ansvarig: 121212-1212", ["1212*******"]),
        ("1212121212", ["1212******"]),
        ("19121212-1212", ["1912*********"]),
        ("191212121212", ["1912********"]),
        ("121212+1212", ["1212*******"]),  # "+": 100 years or older
        # 811218987 → 7+1+2+2+2+8+9+8+5 = 44 → check digit 6
        ("Avgång 811218-9876 i mars", ["8112*******"]),
        # samordningsnummer: day 72 = 12 + 60; 121272121 → 2+2+2+2+5+2+2+2+2 = 21 → check digit 9
        ("121272-1219", ["1212*******"]),
        ("a121212-1212b", ["1212*******"]),
        ("121212-1212 och 811218-9876", ["1212*******", "8112*******"]),
    ],
)
def test_personnummer_in_text_are_found_and_masked(text, expected):
    assert i_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "19800101-1234",  # 800101123 → 7+0+0+1+0+1+2+2+6 = 19 → check digit 1, not 4
        "0701234567",  # a mobile number: 070123456 → 0+7+0+1+4+3+8+5+3 = 31 → 9, not 7
        "121312-1212",  # month 13
        "121232-1212",  # day 32
        "20260930",  # a date, eight digits
        "1212121212121",  # thirteen digits: part of a longer number
        "Q2 2026, 50 000 kr, 08-123 45 67",
    ],
)
def test_other_numbers_are_not_personnummer(text):
    assert i_text(text) == []


def test_message_names_one_or_several():
    assert meddelande(["1212*******"]) == "ser ut att innehålla ett personnummer (1212*******)"
    assert meddelande(["1212*******", "8112*******"]) == (
        "ser ut att innehålla personnummer (1212*******, 8112*******)"
    )
