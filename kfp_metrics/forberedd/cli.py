"""`python -m kfp_metrics forbered --data DIR`: build the prepared store, with progress in Swedish."""

from __future__ import annotations

import sys
from pathlib import Path

from kfp_metrics.extracts import data_dir_from_env


def register(subparsers) -> None:
    """Add `forbered` to the CLI."""
    parser = subparsers.add_parser(
        "forbered",
        help="förbered extrakten som en DuckDB-fil för snabbare sidor, nyckeltal och rapport",
        description="Bygger den förberedda databasen för extrakten (en DuckDB-fil per fingeravtryck "
        "i tillståndsmappen, KFP_STATE_DIR). Finns en färdig fil för samma extrakt används den; "
        "med --om byggs den om.",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="KATALOG",
        help="katalogen med extrakten (standard: KFP_DATA_DIR, annars data/)",
    )
    parser.add_argument("--om", action="store_true", help="bygg om även om en färdig fil finns")
    parser.set_defaults(func=run_forbered)


def progress_lines(fraction, text: str) -> None:
    """A progress line on stderr: percent done and what was just finished."""
    share = "" if fraction is None else f"{round(100 * fraction):>3} % "
    print(f"{share}{text}", file=sys.stderr, flush=True)


def run_forbered(args) -> int:
    """Build (or find) the store; prints its path. 0 on success, 1 with a Swedish message otherwise."""
    from kfp_metrics import forberedd

    data_dir = args.data if args.data is not None else data_dir_from_env()
    if not data_dir.is_dir():
        what = "finns inte" if not data_dir.exists() else "är ingen katalog"
        print(f"Fel: katalogen {data_dir} {what}.", file=sys.stderr)
        return 1
    try:
        existing = None if args.om else forberedd.find_whole(data_dir)
        if existing is not None:
            print(f"Extrakten är redan förberedda: {existing}", file=sys.stderr)
            path = existing
        elif args.om:
            path = forberedd.build(data_dir, progress=progress_lines)
        else:  # what an earlier run (e.g. nyckeltal, without the copy) left is kept
            path = forberedd.ensure(data_dir, progress=progress_lines)
    except Exception as exc:  # the CLI never shows a traceback
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"Fel: extrakten kunde inte förberedas ({first}).", file=sys.stderr)
        return 1
    print(path)
    return 0
