"""The access file (data contract section 4): TOML with [[roll]] and [[anvandare]] grants.

A malformed file is refused as a whole with a Swedish message naming the line, because a
half-read access file could grant the wrong people the wrong units.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_FILE = "behorighet.toml"
_LISTS = ("forvaltning", "avdelning", "enhet")
_ROLE_KEYS = {"namn", "urval", "andra_aktiviteter", *_LISTS}
_USER_KEYS = {"id", "urval", "andra_aktiviteter", *_LISTS}
_TOP_KEYS = {"roll", "anvandare", "kontakt"}


class AccessFileError(ValueError):
    """The access file cannot be used; the message names the file and line, in Swedish."""


@dataclass(frozen=True)
class Grant:
    """One [[roll]] or [[anvandare]] entry: what it grants and where it stands in the file."""

    kind: str  # "roll" or "anvandare"
    name: str  # the role value, or the person's id as written
    line: int
    alla: bool = False
    forvaltning: tuple[str, ...] = ()
    avdelning: tuple[str, ...] = ()
    enhet: tuple[str, ...] = ()
    andra_aktiviteter: bool = False

    def describe(self) -> str:
        """Where in the file the grant stands, in words: 'rad 4 (roll KFP.HR)'."""
        what = "roll" if self.kind == "roll" else "användare"
        return f"rad {self.line} ({what} {self.name})"


@dataclass(frozen=True)
class AccessFile:
    """The parsed access file: grants by role value and by lower-case person id."""

    path: Path | None
    roles: dict[str, tuple[Grant, ...]] = field(default_factory=dict)
    users: dict[str, tuple[Grant, ...]] = field(default_factory=dict)
    kontakt: str | None = None

    @property
    def grants(self) -> list[Grant]:
        """Every grant in file order."""
        every = [g for gs in self.roles.values() for g in gs] + [g for gs in self.users.values() for g in gs]
        return sorted(every, key=lambda g: g.line)


def default_path(state_dir: Path | str) -> Path:
    """KFP_BEHORIGHET, else behorighet.toml in the state directory."""
    value = os.environ.get("KFP_BEHORIGHET")
    return Path(value) if value else Path(state_dir) / DEFAULT_FILE


def _table_lines(text: str, header: str) -> list[int]:
    """Line numbers (1-based) of each [[header]] in the file, in order."""
    pattern = re.compile(rf"^\s*\[\[\s*{header}\s*\]\]")
    return [n for n, line in enumerate(text.splitlines(), start=1) if pattern.match(line)]


def _key_line(text: str, start: int, key: str) -> int:
    """The line of `key = ...` in the table whose header is on line start (start if not found)."""
    lines = text.splitlines()
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for index in range(max(start - 1, 0), len(lines)):
        if index > start - 1 and lines[index].lstrip().startswith("["):
            break
        if pattern.match(lines[index]):
            return index + 1
    return start


def _text_list(value, where: str, key: str, line: int, path: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise AccessFileError(
            f"{path}, rad {line}: {key} i {where} ska vara en lista med namn inom citattecken, "
            f't.ex. {key} = ["Namn"].'
        )
    return tuple(dict.fromkeys(v.strip() for v in value))


def _grant(entry, kind: str, line: int, text: str, path: str) -> Grant:
    where = "[[roll]]" if kind == "roll" else "[[anvandare]]"
    allowed = _ROLE_KEYS if kind == "roll" else _USER_KEYS
    if not isinstance(entry, dict):
        raise AccessFileError(f"{path}, rad {line}: {where} ska vara en tabell.")
    unknown = sorted(set(entry) - allowed)
    if unknown:
        key = unknown[0]
        raise AccessFileError(
            f"{path}, rad {_key_line(text, line, key)}: okänd nyckel «{key}» i {where}; "
            f"tillåtna är {', '.join(sorted(allowed))}."
        )
    name_key = "namn" if kind == "roll" else "id"
    name = entry.get(name_key)
    if not isinstance(name, str) or not name.strip():
        raise AccessFileError(f"{path}, rad {line}: {where} saknar {name_key} (en text inom citattecken).")
    urval = entry.get("urval")
    if urval is not None and urval != "alla":
        raise AccessFileError(
            f'{path}, rad {_key_line(text, line, "urval")}: urval kan bara vara "alla" '
            "(hela organisationen); ange annars forvaltning, avdelning och enhet."
        )
    lists = {
        key: _text_list(entry[key], where, key, _key_line(text, line, key), path) if key in entry else ()
        for key in _LISTS
    }
    alla = urval == "alla"
    if alla and any(lists.values()):
        raise AccessFileError(
            f'{path}, rad {line}: {where} har både urval = "alla" och förvaltning/avdelning/enhet; välj det ena.'
        )
    if not alla and not lists["forvaltning"]:
        # An empty list means "all" in a scope: a grant without förvaltning would be the whole
        # organisation by accident, so it must say urval = "alla" to mean that.
        raise AccessFileError(
            f'{path}, rad {line}: {where} {name.strip()} anger ingen förvaltning. Ange forvaltning = ["…"] '
            'eller urval = "alla".'
        )
    andra = entry.get("andra_aktiviteter", False)
    if not isinstance(andra, bool):
        raise AccessFileError(
            f"{path}, rad {_key_line(text, line, 'andra_aktiviteter')}: andra_aktiviteter ska vara true eller false."
        )
    return Grant(
        kind, name.strip(), line, alla, lists["forvaltning"], lists["avdelning"], lists["enhet"], andra
    )


def parse(text: str, path: str = DEFAULT_FILE) -> AccessFile:
    """Parse the access file's text; AccessFileError (Swedish, with the line) when malformed."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = f", rad {match.group(1)}" if match else ""
        raise AccessFileError(
            f"{path}{line}: filen är inte giltig TOML ({exc}). Kontrollera citattecken, hakparenteser och "
            "att varje rad har formen nyckel = värde."
        ) from None
    unknown = sorted(set(doc) - _TOP_KEYS)
    if unknown:
        key = unknown[0]
        raise AccessFileError(
            f"{path}, rad {_key_line(text, 1, key)}: okänd nyckel «{key}»; filen har tabellerna [[roll]] och "
            "[[anvandare]] och nyckeln kontakt."
        )
    kontakt = doc.get("kontakt")
    if kontakt is not None and not isinstance(kontakt, str):
        raise AccessFileError(f"{path}, rad {_key_line(text, 1, 'kontakt')}: kontakt ska vara en text.")
    roles: dict[str, list[Grant]] = {}
    users: dict[str, list[Grant]] = {}
    for kind, target in (("roll", roles), ("anvandare", users)):
        entries = doc.get(kind, [])
        if not isinstance(entries, list):
            raise AccessFileError(
                f"{path}, rad {_key_line(text, 1, kind)}: {kind} ska skrivas som [[{kind}]]."
            )
        lines = _table_lines(text, kind)
        for n, entry in enumerate(entries):
            line = lines[n] if n < len(lines) else 1
            grant = _grant(entry, kind, line, text, path)
            key = grant.name if kind == "roll" else grant.name.casefold()
            target.setdefault(key, []).append(grant)
    return AccessFile(
        Path(path),
        {k: tuple(v) for k, v in roles.items()},
        {k: tuple(v) for k, v in users.items()},
        kontakt.strip() if isinstance(kontakt, str) and kontakt.strip() else None,
    )


def load(path: Path | str) -> AccessFile:
    """Read and parse the access file; a missing file grants nothing (AccessFile without grants)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return AccessFile(None)
    except UnicodeDecodeError:
        raise AccessFileError(f"{path}: filen är inte sparad som UTF-8.") from None
    except OSError as exc:
        raise AccessFileError(f"{path}: filen kan inte läsas ({exc.strerror or exc}).") from None
    return parse(text, str(path))
