"""The metric documentation (docs/nyckeltal.md), written from the catalog so the two never differ."""

from __future__ import annotations

from pathlib import Path

from kfp_metrics import catalog, suppression

DOC_PATH = Path(__file__).resolve().parent.parent / "docs" / "nyckeltal.md"

_UNITS = {"antal": "antal", "procent": "procent", "år": "år", "index": "index 0–100", "kvot": "kvot"}
_BETTER = {
    "lower": "lägre är bättre",
    "higher": "högre är bättre",
    "equal": "lika är bättre (mindre skillnad)",
    None: "–",
}


def render() -> str:
    """The Markdown text of docs/nyckeltal.md."""
    lines = [
        "# Nyckeltal",
        "",
        "Genereras från nyckeltalskatalogen (`kfp_metrics/catalog.py`) med "
        "`python -m kfp_metrics.docs`. Definitionerna följer datakontraktet.",
        "",
    ]
    for section, title in catalog.SECTIONS.items():
        lines += [
            f"## {title}",
            "",
            "| id | namn | enhet | riktning | definition | fråga |",
            "|---|---|---|---|---|---|",
        ]
        for m in catalog.in_section(section):
            lines.append(
                f"| `{m.id}` | {m.label} | {_UNITS[m.unit]} | {_BETTER[m.better]} | {m.definition} | "
                f"`queries/{m.query}.sql` |"
            )
        lines.append("")
    lines += ["## Röjandekontroll", ""]
    lines += [f"- {text}" for text in suppression.RULE_TEXTS.values()]
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    DOC_PATH.parent.mkdir(exist_ok=True)
    DOC_PATH.write_text(render(), encoding="utf-8")
    print(f"Skrev {DOC_PATH}")
