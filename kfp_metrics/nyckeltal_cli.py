"""`python -m kfp_metrics nyckeltal`: the contract's key figures as one JSON object."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kfp_metrics import aktivitetslogg, forberedd
from kfp_metrics.extracts import locate_tables
from kfp_metrics.forberedd import cli as forberedd_cli
from kfp_metrics.nyckeltal import DEFAULT_PENSIONSALDER, PENSIONSALDER_RANGE, compute, scope_warnings
from kfp_metrics.periods import parse_period
from kfp_metrics.queries import Scope

CLI_MEMORY_LIMIT = "1200MB"
# Building the prepared store (first run only) may use more: its budget is 4 GB for the process.
CLI_BUILD_MEMORY_LIMIT = forberedd.BUILD_MEMORY_LIMIT


def pensionsalder_arg(text: str) -> int:
    """argparse type of --pensionsalder: an integer within PENSIONSALDER_RANGE, else a Swedish error."""
    low, high = PENSIONSALDER_RANGE
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"pensionsåldern måste vara ett heltal {low}–{high}") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"pensionsåldern måste vara {low}–{high}, inte {value}")
    return value


def period_arg(text: str):
    """argparse type of --period: YYYY-MM as a date, else the Swedish error of parse_period."""
    try:
        return parse_period(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_data_argument(parser: argparse.ArgumentParser) -> None:
    """The --data flag shared by the commands that read extracts."""
    parser.add_argument(
        "--data", required=True, type=Path, metavar="KATALOG", help="katalogen med extrakten (Parquet)"
    )


def add_scope_arguments(parser: argparse.ArgumentParser) -> None:
    """The repeatable scope flags shared by the commands that take a scope."""
    parser.add_argument(
        "--forvaltning",
        action="append",
        default=[],
        metavar="NAMN",
        help="begränsa till förvaltningen (kan upprepas)",
    )
    parser.add_argument(
        "--avdelning",
        action="append",
        default=[],
        metavar="NAMN",
        help="begränsa till avdelningen (kan upprepas)",
    )
    parser.add_argument(
        "--enhet", action="append", default=[], metavar="NAMN", help="begränsa till enheten (kan upprepas)"
    )


def register(sub) -> None:
    """Add the nyckeltal subcommand."""
    parser = sub.add_parser(
        "nyckeltal",
        help="skriv ut nyckeltalen för en period som JSON",
        description="Beräknar nyckeltalen enligt datakontraktet för en månad och ett urval och skriver dem som "
        "ett JSON-objekt. Extrakten valideras först; ogiltiga data vägras.",
    )
    add_data_argument(parser)
    parser.add_argument(
        "--period", required=True, type=period_arg, metavar="ÅÅÅÅ-MM", help="månaden, t.ex. 2024-09"
    )
    add_scope_arguments(parser)
    parser.add_argument(
        "--pensionsalder",
        type=pensionsalder_arg,
        default=DEFAULT_PENSIONSALDER,
        metavar="ÅR",
        help=f"pensionsålder 65–69 (standard {DEFAULT_PENSIONSALDER})",
    )
    parser.set_defaults(func=run_nyckeltal)


def check_data_dir(data_dir: Path) -> str | None:
    """A Swedish refusal when data_dir cannot be read as extracts, else None."""
    if not data_dir.is_dir():
        return f"Fel: katalogen {data_dir} finns inte."
    if not locate_tables(data_dir):
        return f"Fel: katalogen {data_dir} innehåller inga extrakt (t.ex. anstallningar.parquet)."
    return None


def validated_or_message(data_dir: Path) -> str | None:
    """None when the extracts validate (verdict cached by fingerprint), else the Swedish report."""
    from kfp_metrics.validation import validate_cached

    report = validate_cached(data_dir)
    if report.ok:
        return None
    return "Extrakten klarar inte valideringen; inga nyckeltal beräknas.\n" + report.to_text()


def run_nyckeltal(args) -> int:
    """Validate, compute and print the key figures."""
    problem = check_data_dir(args.data) or validated_or_message(args.data)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    scope = Scope.of(args.forvaltning, args.avdelning, args.enhet)
    # The statuses come from the state store: an unreachable one stops here (TillstandFel, exit 1 in
    # Swedish) rather than after preparing the extracts.
    aktivitetslogg.token()
    # Bounded so the whole command stays well inside 2 GB even for a national-scale extract.
    # The prepared store, built first for new extracts (progress on stderr); else the Parquet.
    # Not its sorted copy of anstallningar: one run over a scope gains less from it than it costs
    # to make (it is used when the app or `forbered` has made it).
    con = forberedd.connect(
        args.data,
        memory_limit=CLI_MEMORY_LIMIT,
        build_memory_limit=CLI_BUILD_MEMORY_LIMIT,
        prepare=True,
        progress=forberedd_cli.progress_lines,
        copy=False,
    )
    try:
        for warning in scope_warnings(con, scope):
            print(warning, file=sys.stderr)
        result = compute(con, args.period, scope, pensionsalder=args.pensionsalder)
    finally:
        con.close()
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2, allow_nan=False)
    sys.stdout.write("\n")
    return 0
