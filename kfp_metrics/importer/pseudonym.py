"""Keyed pseudonyms for person ids: HMAC-SHA256 of the normalised 12-digit personnummer.

A 10-digit number (ÅÅMMDD-NNNN) gets its century the way Skatteverket writes it: the latest
century in which the birth date is not after today, one century earlier with "+" (100 years or
older). A samordningsnummer (day + 60) is read the same way. 19800101-1234, 8001011234 and
198001011234 therefore give the same pseudonym, in every table and every run with the same key.
A person id that is not a personnummer (an anställningsnummer) is keyed as it stands.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

MIN_KEY_BYTES = 32
NEW_KEY_BYTES = 32
PREFIX = "p"
HEX_CHARS = 20  # 80 bits: collisions are negligible for any municipality's staff

_PNR = re.compile(r"^\s*(\d{6}|\d{8})([-+]?)(\d{4})\s*$")


class KeyError_(Exception):
    """A key file that cannot be used (message in Swedish)."""


def normalise_personnummer(value: str, today: dt.date | None = None) -> str | None:
    """The 12-digit form YYYYMMDDNNNN of a personnummer, or None when value is not one."""
    m = _PNR.match(value)
    if not m:
        return None
    date, sep, tail = m.groups()
    if len(date) == 8:
        return date + tail
    today = today or dt.date.today()
    yy, mm, dd = int(date[:2]), int(date[2:4]), int(date[4:6])
    if dd > 60:
        dd -= 60  # samordningsnummer
    year = today.year - (today.year - yy) % 100  # latest year ≤ today ending in yy
    try:
        if dt.date(year, mm, dd) > today:
            year -= 100
    except ValueError:
        pass  # not a real date: the year alone decides
    if sep == "+":
        year -= 100
    return f"{year:04d}{date[2:]}{tail}"


def pseudonym(key: bytes, value: str, today: dt.date | None = None) -> str:
    """The keyed pseudonym of one person id ('p' and 20 hex digits)."""
    text = value.strip()
    normal = normalise_personnummer(text, today) or text
    digest = hmac.new(key, normal.encode("utf-8"), hashlib.sha256).hexdigest()
    return PREFIX + digest[:HEX_CHARS]


def read_key(path: Path, forbidden: list[Path]) -> tuple[bytes, list[str]]:
    """The key bytes and warnings; KeyError_ when the file is missing, short or misplaced."""
    resolved = path.resolve()
    for folder in forbidden:
        try:
            resolved.relative_to(folder.resolve())
        except ValueError:
            continue
        raise KeyError_(
            f"nyckelfilen {path} ligger i {folder}: nyckeln ska förvaras utanför exporterna och extrakten"
        )
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        raise KeyError_(
            f"nyckelfilen {path} finns inte (skapa en med --skapa-nyckel --nyckel {path})"
        ) from None
    except OSError as exc:
        raise KeyError_(f"nyckelfilen {path} kan inte läsas ({exc.strerror})") from None
    if len(key) < MIN_KEY_BYTES:
        raise KeyError_(
            f"nyckelfilen {path} har {len(key)} byte; en nyckel ska vara minst {MIN_KEY_BYTES} byte"
        )
    warnings = []
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        warnings.append(
            f"nyckelfilen {path} kan läsas av fler än ägaren (rättigheter {mode:o}); ändra med chmod 600"
        )
    return key, warnings


def create_key(path: Path) -> None:
    """Write a new random key (32 bytes) readable only by its owner; never overwrite a file."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyError_(
            f"nyckelfilen {path} finns redan och skrivs inte över (en ny nyckel ger nya pseudonymer)"
        ) from None
    except OSError as exc:
        raise KeyError_(f"nyckelfilen {path} kan inte skapas ({exc.strerror})") from None
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, secrets.token_bytes(NEW_KEY_BYTES))
        os.fsync(fd)
    finally:
        os.close(fd)
