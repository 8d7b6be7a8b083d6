"""`python -m kfp_metrics prognos`: the rekryteringsbehov forecast of contract section 7 as JSON."""

from __future__ import annotations

import argparse
import json
import sys

from kfp_metrics.nyckeltal import DEFAULT_PENSIONSALDER
from kfp_metrics.nyckeltal_cli import (
    CLI_MEMORY_LIMIT,
    add_data_argument,
    add_scope_arguments,
    check_data_dir,
    pensionsalder_arg,
    period_arg,
    validated_or_message,
)

PROG = "python -m kfp_metrics prognos"


def tillvaxt_arg(text: str) -> tuple[str, float]:
    """argparse type of --tillvaxt: BEFATTNING=PCT, else a Swedish error."""
    from kfp_metrics.prognos import parse_tillvaxt

    try:
        return parse_tillvaxt(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def procent_arg(text: str) -> float:
    """argparse type of --tillvaxt-alla: a percentage per year, else a Swedish error."""
    from kfp_metrics.prognos import parse_procent

    try:
        return parse_procent(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def ar_arg(text: str) -> int:
    """argparse type of --ar-till: a year ÅÅÅÅ (its range depends on --period and is checked later)."""
    value = str(text).strip()
    if not (len(value) == 4 and value.isdigit()):
        raise argparse.ArgumentTypeError(f"året måste anges som ÅÅÅÅ, t.ex. 2027, inte {text!r}")
    return int(value)


def register(sub) -> None:
    """Add the prognos subcommand."""
    parser = sub.add_parser(
        "prognos",
        help="skriv ut prognosen för rekryteringsbehovet per befattning och år som JSON",
        description="Beräknar personalbehov och rekryteringsbehov per befattning och år enligt datakontraktets "
        "avsnitt 7 (tillsvidareanställda vid perioden, avgångsandel de senaste 12 månaderna, "
        "pensionsavgångar) och skriver dem som ett JSON-objekt. Extrakten valideras först; ogiltiga data "
        "vägras.",
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
    parser.add_argument(
        "--ar-till",
        type=ar_arg,
        default=None,
        metavar="ÅÅÅÅ",
        help="prognosens sista år, högst periodens år + 10 (standard periodens år + 3)",
    )
    parser.add_argument(
        "--tillvaxt",
        type=tillvaxt_arg,
        action="append",
        default=[],
        metavar="BEFATTNING=PROCENT",
        help='årlig förändring av personalbehovet för en befattning, t.ex. "Undersköterska=2,5" (kan upprepas)',
    )
    parser.add_argument(
        "--tillvaxt-alla",
        type=procent_arg,
        default=0.0,
        metavar="PROCENT",
        help="årlig förändring av personalbehovet för övriga befattningar (standard 0)",
    )
    parser.set_defaults(func=run_prognos)


def _usage_error(message: str) -> int:
    print(f"{PROG}: fel: {message}", file=sys.stderr)
    return 2


def run_prognos(args) -> int:
    """Check the arguments, validate the extracts, compute and print the forecast."""
    from kfp_metrics import prognos
    from kfp_metrics.extracts import connect
    from kfp_metrics.nyckeltal import scope_warnings
    from kfp_metrics.queries import Scope

    low, high = prognos.ar_till_range(args.period)
    if args.ar_till is not None and not low <= args.ar_till <= high:
        return _usage_error(
            f"argument --ar-till: prognosens sista år måste vara {low}–{high} för perioden "
            f"{args.period:%Y-%m}, inte {args.ar_till}"
        )
    tillvaxt: dict[str, float] = {}
    for befattning, value in args.tillvaxt:
        if befattning in tillvaxt and tillvaxt[befattning] != value:
            return _usage_error(f"argument --tillvaxt: befattningen «{befattning}» har angetts två gånger")
        tillvaxt[befattning] = value
    problem = check_data_dir(args.data) or validated_or_message(args.data)
    if problem:
        print(problem.replace("inga nyckeltal beräknas", "ingen prognos beräknas"), file=sys.stderr)
        return 1
    scope = Scope.of(args.forvaltning, args.avdelning, args.enhet)
    con = connect(args.data, memory_limit=CLI_MEMORY_LIMIT)
    try:
        for warning in scope_warnings(con, scope):
            print(warning, file=sys.stderr)
        try:
            result = prognos.compute(
                con,
                args.period,
                scope,
                pensionsalder=args.pensionsalder,
                ar_till=args.ar_till,
                tillvaxt=tillvaxt,
                tillvaxt_alla=args.tillvaxt_alla,
            )
        except prognos.OkandBefattning as exc:
            return _usage_error(str(exc))
        if not result["per_befattning"]:
            print(
                f"Varning: urvalet har inga tillsvidareanställda i {args.period:%Y-%m}; prognosen blir tom.",
                file=sys.stderr,
            )
    finally:
        con.close()
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2, allow_nan=False)
    sys.stdout.write("\n")
    return 0
