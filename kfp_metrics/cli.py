"""The command line: python -m kfp_metrics <kommando> ... with help and errors in Swedish."""

from __future__ import annotations

import argparse
import importlib
import sys

# Each module registers its own subcommand through register(subparsers).
SUBCOMMAND_MODULES = (
    "kfp_metrics.nyckeltal_cli",
    "kfp_metrics.prognos_cli",
    "kfp_metrics.validation",
    "kfp_metrics.generate",
    "kfp_metrics.aktivitet_cli",
    "kfp_metrics.rapport.cli",
    "kfp_metrics.behorighet.cli",
    "kfp_metrics.kolada.cli",
    "kfp_metrics.tillstand.cli",
    "kfp_metrics.importer.cli",
    "kfp_metrics.forberedd.cli",
    "kfp_metrics.server.cli",
)

# Which module registers each command: a command given on the line imports only its own module
# (the others pull in Streamlit, Plotly, the report … and cost a fifth of a second at start).
# tests/test_nyckeltal_cli.py checks this against what the modules register.
COMMANDS = {
    "nyckeltal": "kfp_metrics.nyckeltal_cli",
    "prognos": "kfp_metrics.prognos_cli",
    "validate": "kfp_metrics.validation",
    "generate": "kfp_metrics.generate",
    "aktivitet": "kfp_metrics.aktivitet_cli",
    "importera-plan": "kfp_metrics.aktivitet_cli",
    "exportera-plan": "kfp_metrics.aktivitet_cli",
    "rapport": "kfp_metrics.rapport.cli",
    "behorighet": "kfp_metrics.behorighet.cli",
    "kolada": "kfp_metrics.kolada.cli",
    "tillstand": "kfp_metrics.tillstand.cli",
    "importera-extrakt": "kfp_metrics.importer.cli",
    "forbered": "kfp_metrics.forberedd.cli",
    "server": "kfp_metrics.server.cli",
}

_SWEDISH = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "optional arguments": "flaggor",
    "show this help message and exit": "visa den här hjälptexten och avsluta",
    "the following arguments are required: %s": "följande argument krävs: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "invalid %(type)s value: %(value)r": "ogiltigt värde: %(value)r",
    "expected one argument": "förväntade ett värde",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": "tvetydig flagga: %(option)s kan betyda %(matches)s",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
}


def _translate(text: str) -> str:
    return _SWEDISH.get(text, text)


argparse._ = _translate  # argparse looks its messages up through this name


class SwedishParser(argparse.ArgumentParser):
    """ArgumentParser whose own help and error texts are Swedish."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="visa den här hjälptexten och avsluta")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fel: {message}\n")


def build_parser(modules: tuple[str, ...] = SUBCOMMAND_MODULES) -> argparse.ArgumentParser:
    """The top-level parser with the subcommands of these modules registered (all by default)."""
    parser = SwedishParser(
        prog="python -m kfp_metrics",
        description="Nyckeltal, validering och testdata för kompetensförsörjningsplanen.",
    )
    sub = parser.add_subparsers(dest="kommando", title="kommandon", parser_class=SwedishParser)
    sub.required = True
    for name in modules:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse argv and run the chosen subcommand; returns the exit code."""
    from kfp_metrics.tillstand.fel import TillstandFel

    words = sys.argv[1:] if argv is None else argv
    command = words[0] if words else None
    parser = build_parser((COMMANDS[command],) if command in COMMANDS else SUBCOMMAND_MODULES)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except TillstandFel as exc:  # any command reading the state store (nyckeltal, rapport, ...)
        print(f"Fel: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
