"""Problems found while importing, grouped and worded so that a person can act on them."""

from __future__ import annotations

from dataclasses import dataclass, field

from kfp_metrics.format import tal
from kfp_metrics.personnummer import mask_in_text, mask_personnummer
from kfp_metrics.validation import looks_like_personnummer

FEL = "fel"
VARNING = "varning"
INFO = "info"

MAX_EXAMPLES = 5


def show_value(value: object) -> str:
    """A cell value as «...», personnummer masked and long text shortened."""
    if value is None:
        return "(tomt)"
    text = str(value)
    if looks_like_personnummer(text):
        text = mask_personnummer(text)
    else:
        text = mask_in_text(text)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"«{text}»"


def rader(n: int) -> str:
    """'1 rad', '1 204 rader'."""
    return f"{tal(n)} {'rad' if n == 1 else 'rader'}"


def rad(line: int | None) -> str:
    """'rad 1 204' (Swedish digit grouping), or '' when the line is unknown."""
    return f"rad {tal(line)}" if line is not None else ""


@dataclass
class Issue:
    """One kind of problem in one file: a sentence, how often, and a few located examples."""

    severity: str
    file: str | None
    text: str
    count: int | None = None
    examples: list[str] = field(default_factory=list)
    hint: str | None = None

    def lines(self) -> list[str]:
        """The issue as report lines: the sentence, the examples indented, the hint last."""
        head = f"{self.file}: {self.text}" if self.file else self.text
        out = [head]
        out.extend(f"    {e}" for e in self.examples)
        if self.count is not None and self.count > len(self.examples) and self.examples:
            rest = self.count - len(self.examples)
            out.append(f"    … och {tal(rest)} till")
        if self.hint:
            out.extend(f"    {h}" for h in self.hint.splitlines())
        return out


@dataclass
class Problems:
    """Every issue of an import run, in the order found."""

    issues: list[Issue] = field(default_factory=list)

    def add(self, severity: str, file: str | None, text: str, **kw) -> Issue:
        issue = Issue(severity, file, text, **kw)
        self.issues.append(issue)
        return issue

    def error(self, file: str | None, text: str, **kw) -> Issue:
        return self.add(FEL, file, text, **kw)

    def warning(self, file: str | None, text: str, **kw) -> Issue:
        return self.add(VARNING, file, text, **kw)

    def info(self, file: str | None, text: str, **kw) -> Issue:
        return self.add(INFO, file, text, **kw)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == FEL]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_text(self) -> str:
        """The Swedish report: errors first, then warnings and information."""
        out: list[str] = []
        for title, sev in (("Fel", FEL), ("Varningar", VARNING), ("Upplysningar", INFO)):
            items = [i for i in self.issues if i.severity == sev]
            if not items:
                continue
            out.append(f"{title}:")
            for item in items:
                first, *rest = item.lines()
                out.append(f"  - {first}")
                out.extend(f"  {r}" for r in rest)
        return "\n".join(out)
