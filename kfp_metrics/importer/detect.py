"""Detecting how a CSV export is written: encoding, separator and header, read in streamed blocks.

The encoding is decided from the whole file, not its first lines: a file is UTF-8 when every
byte sequence is valid UTF-8, Windows-1252 when the invalid lines are the only non-ASCII ones,
and refused when it mixes the two (two exports pasted together) or is UTF-16. Blank lines are
recorded because DuckDB's reader skips them: line numbers in messages must still match the file.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from kfp_metrics.importer.problems import MAX_EXAMPLES, Problems, rad, rader, show_value

UTF8 = "utf-8"
CP1252 = "windows-1252"
ENCODING_NAMES = {UTF8: "UTF-8", CP1252: "Windows-1252"}
ENCODING_ALIASES = {
    "utf-8": UTF8,
    "utf8": UTF8,
    "utf-8-sig": UTF8,
    "windows-1252": CP1252,
    "cp1252": CP1252,
    "1252": CP1252,
    "ansi": CP1252,
    "latin-1": CP1252,
    "latin1": CP1252,
    "iso-8859-1": CP1252,
}
SEPARATORS = {";": ";", ",": ",", "tab": "\t", "\\t": "\t", "\t": "\t", "semikolon": ";", "komma": ","}
SEPARATOR_NAMES = {";": "semikolon (;)", ",": "komma (,)", "\t": "tabb"}

BLOCK = 8 << 20
# UTF-8 text that was encoded twice: "Ã¤" for ä, "Ã¶" for ö, "Ã…" for Å ...
_MOJIBAKE = re.compile(
    "Ã[\u0080-\u00bf\u2018-\u203a\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u20ac]"
)
# Two- and three-byte UTF-8 sequences: in Windows-1252 Swedish text such pairs hardly occur.
_VALID_MULTIBYTE = re.compile(rb"[\xc3][\x80-\xbf]|[\xc2\xc4-\xdf][\x80-\xbf]|[\xe2][\x80-\xbf]{2}")
_BLANK = re.compile(rb"\n\r?(?=\n)")


@dataclass
class Scan:
    """What one pass over the bytes found."""

    encoding: str | None = None
    bom: bool = False
    lines: int = 0  # physical lines, a last line without newline included
    blank_lines: list[int] = field(default_factory=list)
    ends_with_newline: bool = True
    empty: bool = False


def _line_text(raw: bytes) -> str:
    return raw.decode(CP1252, errors="replace").rstrip("\r\n")


def _field_at(raw: bytes, offset: int, sep: str) -> int:
    """The index of the field of a raw line that holds byte `offset` (quotes ignored)."""
    return raw[:offset].count(sep.encode())


def _header_name(headers: list[str], index: int) -> str:
    return headers[index] if 0 <= index < len(headers) else f"nr {index + 1}"


def scan(
    path: Path, label: str, forced: str | None, sep: str, headers: list[str], problems: Problems
) -> Scan:
    """Read the file once: decide (or check) the encoding, count lines, find blank lines."""
    result = Scan()
    with path.open("rb") as fh:
        head = fh.read(4)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(head) >= 2 and b"\x00" in head):
            problems.error(
                label,
                "filen är kodad som UTF-16 (Unicode). Spara den som CSV i UTF-8 eller Windows-1252 "
                "(i Excel: 'CSV UTF-8 (kommaavgränsad)').",
            )
            return result
        result.bom = head.startswith(codecs.BOM_UTF8)
        fh.seek(0)
        invalid_utf8 = False
        undefined_1252: list[tuple[int, bytes, int]] = []
        undefined_count = 0
        mojibake: list[tuple[int, str]] = []
        mojibake_count = 0
        utf8_non_ascii = False
        line_no = 1  # the line the next byte belongs to
        carry = b""
        last = b""
        while True:
            block = fh.read(BLOCK)
            if not block and not carry:
                break
            data = carry + block
            if block:
                cut = data.rfind(b"\n") + 1
                if cut == 0:
                    carry = data
                    continue
                data, carry = data[:cut], data[cut:]
            else:
                carry = b""
            last = data
            # blank lines (the match starts at the newline ending the previous line)
            pos, counted = 0, line_no
            for m in _BLANK.finditer(data):
                counted += data.count(b"\n", pos, m.start())
                pos = m.start()
                result.blank_lines.append(counted + 1)
            # encoding: a block that decodes is UTF-8; one that does not may still hold valid
            # multi-byte UTF-8 beside the bad bytes (a mixed file)
            try:
                text = data.decode(UTF8)
                if not utf8_non_ascii and not data.isascii():
                    utf8_non_ascii = True
                if forced != CP1252 and _MOJIBAKE.search(text):
                    for m in _MOJIBAKE.finditer(text):
                        mojibake_count += 1
                        if len(mojibake) < MAX_EXAMPLES:
                            mojibake.append((line_no + text.count("\n", 0, m.start()), m.group(0)))
            except UnicodeDecodeError:
                invalid_utf8 = True
                if not utf8_non_ascii and _VALID_MULTIBYTE.search(data):
                    utf8_non_ascii = True
            for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D):
                i = data.find(bytes([b]))
                while i >= 0:
                    undefined_count += 1
                    if len(undefined_1252) < MAX_EXAMPLES:
                        ls = data.rfind(b"\n", 0, i) + 1
                        le = data.find(b"\n", i)
                        le = len(data) if le < 0 else le + 1
                        undefined_1252.append((line_no + data.count(b"\n", 0, ls), data[ls:le], i - ls))
                    i = data.find(bytes([b]), i + 1)
            line_no += data.count(b"\n")
            if not block:
                break
        result.ends_with_newline = last.endswith(b"\n") or not last
        result.lines = line_no - 1 + (0 if result.ends_with_newline else 1)
        result.empty = result.lines == 0

    def bad_bytes(items, what: str) -> list[str]:
        out = []
        for ln, raw, off in items:
            index = _field_at(raw, off, sep)
            fields = _line_text(raw).split(sep)
            col = _header_name(headers, index)
            value = fields[index] if index < len(fields) else ""
            out.append(f"{rad(ln)}, kolumn {col}: byten 0x{raw[off]:02X} i {show_value(value)} {what}")
        return out

    bad_utf8_count, bad_utf8 = 0, []
    if invalid_utf8 and (forced == UTF8 or result.bom or (forced is None and utf8_non_ascii)):
        bad_utf8_count, bad_utf8 = _bad_utf8_lines(path)

    if forced == UTF8 or result.bom:
        if bad_utf8_count:
            why = "filen börjar med UTF-8-märke (BOM)" if result.bom else "kodningen UTF-8 angavs"
            problems.error(
                label,
                f"{rader(bad_utf8_count)} innehåller tecken som inte är giltig UTF-8 ({why}).",
                count=bad_utf8_count,
                examples=bad_bytes(bad_utf8, "är inte giltig UTF-8"),
                hint="Spara om filen i en enda kodning, eller ange --kodning windows-1252 om hela filen är "
                "i Windows-1252.",
            )
        result.encoding = UTF8
    elif forced == CP1252:
        result.encoding = CP1252
    elif bad_utf8_count and utf8_non_ascii:
        problems.error(
            label,
            f"filen blandar UTF-8 och Windows-1252: {rader(bad_utf8_count)} är inte giltig UTF-8 medan "
            "andra rader är det.",
            count=bad_utf8_count,
            examples=bad_bytes(bad_utf8, "är inte giltig UTF-8"),
            hint="Exportera filen igen i en enda kodning (helst UTF-8).",
        )
        result.encoding = UTF8
    elif invalid_utf8:
        result.encoding = CP1252
    else:
        result.encoding = UTF8
    if result.encoding == CP1252 and undefined_count:
        problems.error(
            label,
            f"filen är varken UTF-8 eller Windows-1252: {undefined_count} byte saknar tecken i Windows-1252.",
            count=undefined_count,
            examples=bad_bytes(undefined_1252, "finns inte i Windows-1252"),
            hint="Ange filens kodning med --kodning, eller spara den som UTF-8.",
        )
    if result.encoding == UTF8 and mojibake_count and forced is None:
        problems.error(
            label,
            f"filen verkar ha kodats om till UTF-8 två gånger ({mojibake_count} ställen med t.ex. «Ã¤» "
            "där det bör stå «ä»).",
            count=mojibake_count,
            examples=[f"{rad(ln)}: «{s}»" for ln, s in mojibake],
            hint="Exportera filen igen direkt ur systemet, eller ange --kodning utf-8 om texten verkligen "
            "ska se ut så.",
        )
    return result


def _bad_utf8_lines(path: Path) -> tuple[int, list[tuple[int, bytes, int]]]:
    """How many lines are not valid UTF-8, and the first few: (line, raw line, offset of the bad byte)."""
    count, examples = 0, []
    with path.open("rb") as fh:
        for no, raw in enumerate(fh, start=1):
            try:
                raw.decode(UTF8)
            except UnicodeDecodeError as exc:
                count += 1
                if len(examples) < MAX_EXAMPLES:
                    examples.append((no, raw, exc.start))
    return count, examples


def read_head(path: Path, size: int = 1 << 16) -> tuple[str, str]:
    """The file's first bytes as text, decoded as UTF-8 if possible, else Windows-1252."""
    with path.open("rb") as fh:
        raw = fh.read(size)
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[3:]
    try:
        return raw.decode(UTF8), UTF8
    except UnicodeDecodeError as exc:
        if exc.start > len(raw) - 4:  # a multi-byte character cut by the block end
            try:
                return raw[: exc.start].decode(UTF8), UTF8
            except UnicodeDecodeError:
                pass
        return raw.decode(CP1252, errors="replace"), CP1252


def detect_separator(head: str) -> str:
    """The separator giving the most columns, consistently over the first lines (; , or tab)."""
    lines = [ln for ln in head.splitlines()[:50] if ln.strip()]
    if len(lines) > 1 and not head.endswith("\n"):
        lines = lines[:-1]  # probably cut by the block end
    best, best_fields = ";", 1
    for sep in (";", "\t", ","):
        rows = list(csv.reader(lines, delimiter=sep, quotechar='"'))
        if not rows:
            continue
        n = len(rows[0])
        if n < 2:
            continue
        same = sum(1 for r in rows if len(r) == n)
        if same >= 0.8 * len(rows) and n > best_fields:
            best, best_fields = sep, n
    return best


def parse_header(head: str, sep: str) -> list[str]:
    """The header row's names, trimmed."""
    first = next(iter(head.splitlines()), "")
    row = next(csv.reader([first], delimiter=sep, quotechar='"'), [])
    return [h.strip().lstrip("\ufeff").strip() for h in row]


def transcode(src: Path, dest: Path) -> None:
    """Write a Windows-1252 file as UTF-8, block by block."""
    decoder = codecs.getincrementaldecoder(CP1252)(errors="replace")
    with src.open("rb") as fin, dest.open("w", encoding=UTF8, newline="") as fout:
        while block := fin.read(BLOCK):
            fout.write(decoder.decode(block))
        fout.write(decoder.decode(b"", final=True))
