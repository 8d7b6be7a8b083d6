"""`python -m kfp_metrics behorighet`: check the access file, show a person's grant, read the log."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from kfp_metrics import aktivitetslogg
from kfp_metrics.behorighet import atkomst, logg
from kfp_metrics.behorighet.fil import AccessFileError, default_path, load
from kfp_metrics.behorighet.upplosning import Identity, resolve, unknown_units
from kfp_metrics.extracts import connect, locate_tables
from kfp_metrics.queries import Scope, run
from kfp_metrics.tillstand import TillstandFel


def _file(args) -> Path:
    return Path(args.fil) if args.fil else default_path(aktivitetslogg.state_dir())


def _units(data: Path) -> list[tuple[str, str, str]] | None:
    if not data.is_dir() or not locate_tables(data):
        print(f"Katalogen {data} finns inte eller innehåller inga extrakt.", file=sys.stderr)
        return None
    return atkomst.organisation_units(connect(data))


def cmd_kontrollera(args) -> int:
    path = _file(args)
    try:
        access = load(path)
    except AccessFileError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if access.path is None:
        print(f"Behörighetsfilen {path} finns inte: ingen inloggad person får se något.", file=sys.stderr)
        return 1
    units = _units(args.data)
    if units is None:
        return 1
    problems = 0
    for grant in access.grants:
        missing = unknown_units(grant, units)
        if missing:
            problems += 1
            print(f"{path}, {grant.describe()}: ger ingenting – {', '.join(missing)} finns inte i extrakten.")
    roles, users = len(access.roles), len(access.users)
    print(
        f"{path}: {len(access.grants)} behörigheter ({roles} roller, {users} användare); "
        + ("alla namnger enheter som finns i extrakten." if not problems else f"{problems} ger ingenting.")
    )
    return 1 if problems else 0


def cmd_visa(args) -> int:
    path = _file(args)
    try:
        access = load(path)
    except AccessFileError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    units = _units(args.data)
    if units is None:
        return 1
    claims = {"oid": args.id, "roles": args.roll}
    permission = resolve(Identity.from_claims(claims), access, units)
    out = {
        "id": args.id,
        "roller": args.roll,
        "behorigheter": list(permission.grants),
        "ger_ingenting": list(permission.ignored),
        "hela_organisationen": permission.alla,
        "andra_aktiviteter": "alla"
        if permission.andra_alla
        else [b.describe() for b in permission.andra_boxes],
        "enheter": [],
    }
    if not permission.denied:
        con = atkomst.scoped(connect(args.data), permission)
        org = run(con, "organisation", Scope())
        out["enheter"] = [
            {"forvaltning": r.forvaltning, "avdelning": r.avdelning, "enhet": r.enhet}
            for r in org.itertuples()
        ]
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if permission.denied:
        print(f"{args.id} har ingen behörighet och ser ingenting.")
    elif permission.alla:
        print(f"{args.id} ser hela organisationen ({len(out['enheter'])} enheter).")
    else:
        print(f"{args.id} ser {permission.describe()}:")
        for unit in out["enheter"]:
            print(f"  {unit['forvaltning']} / {unit['avdelning']} / {unit['enhet']}")
    for text in permission.grants:
        print(f"  genom {text}")
    for text in permission.ignored:
        print(f"  ger ingenting: {text}")
    andra = out["andra_aktiviteter"]
    print(
        "Får ändra aktiviteter: " + ("alla" if andra == "alla" else ("; ".join(andra) if andra else "inga"))
    )
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"datumet ska skrivas ÅÅÅÅ-MM-DD, inte «{text}»") from None


def cmd_logg(args) -> int:
    try:
        entries = logg.read(args.sedan)
    except TillstandFel as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(entries, ensure_ascii=False, indent=2, default=str))
        return 0
    for e in entries:
        urval = "; ".join(f"{k}={','.join(v)}" for k, v in e.get("urval", {}).items() if v) or "hela urvalet"
        what = f"  nedladdning: {e['nedladdning']}" if e.get("nedladdning") else ""
        print(f"{e['tid']}  {e['person_id']}  {e['sida']}  {urval}{what}")
    return 0


def register(subparsers) -> None:
    """Add the behorighet subcommand with kontrollera, visa and logg."""
    parser = subparsers.add_parser(
        "behorighet",
        help="kontrollera behörighetsfilen, visa vad en person får se, läs åtkomstloggen",
        description="Behörighetsfilen (KFP_BEHORIGHET, annars behorighet.toml i KFP_STATE_DIR) anger "
        "vem som får se vilken del av organisationen.",
    )
    sub = parser.add_subparsers(dest="behorighetskommando", title="kommandon", parser_class=type(parser))
    sub.required = True

    def file_args(p, data: bool = True):
        if data:
            p.add_argument(
                "--data", required=True, type=Path, metavar="KATALOG", help="katalogen med extrakten"
            )
        p.add_argument("--fil", metavar="FIL", help="behörighetsfilen (annars KFP_BEHORIGHET eller standard)")

    check = sub.add_parser("kontrollera", help="kontrollera filen mot extrakten utan att starta appen")
    file_args(check)
    check.set_defaults(func=cmd_kontrollera)

    show = sub.add_parser("visa", help="visa vad en person får se")
    file_args(show)
    show.add_argument("--id", required=True, metavar="ID", help="personens oid, sub eller e-postadress")
    show.add_argument(
        "--roll", action="append", default=[], metavar="ROLL", help="en approll personen har (kan upprepas)"
    )
    show.add_argument("--json", action="store_true", help="skriv svaret som JSON")
    show.set_defaults(func=cmd_visa)

    log = sub.add_parser("logg", help="skriv ut åtkomstloggen")
    log.add_argument("--sedan", type=_date, metavar="DATUM", help="från och med datumet (ÅÅÅÅ-MM-DD)")
    log.add_argument("--json", action="store_true", help="skriv loggen som JSON")
    log.set_defaults(func=cmd_logg)
