"""Personnummer in free text: what people type or import must not carry one into a plan or report.

The activity plan, its follow-up comments and the reviewed nulägesanalys are printed for the
nämnd, and a nämnd's papers are public. A personnummer (or samordningsnummer) written in one of
them would identify a person to every reader, so such text is refused with a message that shows
the number masked.

A number counts when it has the form ÅÅMMDD-NNNN or ÅÅÅÅMMDDNNNN (with or without "-" or "+"),
its date is a real date (a samordningsnummer's day plus 60), and its last digit is the check
digit (Luhn) of the ten digits: every real personnummer passes, most other ten-digit numbers
(telephone numbers, order numbers) do not.
"""

from __future__ import annotations

import datetime as dt
import re

_IN_TEXT = re.compile(r"(?<![\d])((?:\d{2})?)(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)(?![\d])")


def mask_personnummer(value: str) -> str:
    """A personnummer-like value with all but its first four characters replaced by *."""
    text = value.strip()
    return text[:4] + "*" * (len(text) - 4)


def mask_in_text(text: str) -> str:
    """text with every personnummer-like number in it masked, whatever its date and check digit
    (for quoting values in messages)."""
    return _IN_TEXT.sub(lambda m: mask_personnummer(m.group(0)), text)


def _check_digit(nine: str) -> int:
    """The Luhn check digit of nine digits (weights 2, 1, 2, … from the left)."""
    total = 0
    for i, ch in enumerate(nine):
        product = int(ch) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def _real_date(century: str, yy: str, mm: str, dd: str) -> bool:
    day = int(dd)
    if day > 60:
        day -= 60  # samordningsnummer
    # Without the century, a leap day needs a leap year: 2000 stands for every such yy.
    year = int(century + yy) if century else 2000 + int(yy)
    try:
        dt.date(year, int(mm), day)
    except ValueError:
        return False
    return True


def i_text(text: str | None) -> list[str]:
    """The personnummer in text, each masked as the rest of the project masks them ('1212******')."""
    if not text:
        return []
    found = []
    for m in _IN_TEXT.finditer(str(text)):
        century, yy, mm, dd, _sep, serial, check = m.groups()
        if _real_date(century, yy, mm, dd) and _check_digit(yy + mm + dd + serial) == int(check):
            found.append(mask_personnummer(m.group(0)))
    return found


def meddelande(found: list[str]) -> str:
    """'ser ut att innehålla ett personnummer (1212******)', for a message naming where."""
    what = "ett personnummer" if len(found) == 1 else "personnummer"
    return f"ser ut att innehålla {what} ({', '.join(found)})"


def kontrollera(namn: str, text: str | None, var: str) -> None:
    """ValueError (Swedish) when text holds a personnummer: '<namn> ser ut att innehålla … . <var>;
    ta bort numret och spara igen.' (var: where the text is shown)."""
    found = i_text(text)
    if found:
        raise ValueError(f"{namn} {meddelande(found)}. {var}; ta bort numret och spara igen.")
