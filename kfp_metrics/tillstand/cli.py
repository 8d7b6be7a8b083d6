"""python -m kfp_metrics tillstand status|backup|aterstall: the state store from the command line."""

from __future__ import annotations

import json
import logging
import sys

from kfp_metrics import tillstand
from kfp_metrics.tillstand import TillstandFel


def _en_rad(text) -> str:
    return " ".join(str(text).split())


def _kor(func):
    def run(args) -> int:
        try:
            return func(args) or 0
        except TillstandFel as exc:
            print(f"Fel: {_en_rad(exc)}", file=sys.stderr)
        return 1

    return run


def _oppna() -> tillstand.Lager:
    # The notes from opening are printed below, once, instead of through the logging fallback.
    logging.getLogger("kfp_metrics.tillstand").addHandler(logging.NullHandler())
    store = tillstand.oppna()
    for text in store.meddelanden:
        print(f"Obs: {_en_rad(text)}", file=sys.stderr)
    return store


@_kor
def cmd_status(args) -> int:
    """Print the backend, its place, schema version, rows per table and the imports done."""
    info = _oppna().status()
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return 0
    print(f"Tillståndsdatabas: {info['backend']}, {info['plats']}")
    print(f"Schemaversion: {info['schemaversion']}")
    for tabell, antal in info["rader"].items():
        print(f"  {tabell}: {antal} rader")
    for imp in info["importer"]:
        when = tillstand.svensk_tid(imp["tid"]).strftime("%Y-%m-%d %H:%M")
        print(
            f"Importerat {when}: {imp['antal']} ändringar från {imp['mapp']} (högsta nr {imp['hogsta_seq']})."
        )
    return 0


@_kor
def cmd_backup(args) -> int:
    """Write a backup of the whole store to FIL."""
    store = _oppna()
    rows = tillstand.backup(args.fil, store)
    kind = "en SQLite-databas" if store.namn == "SQLite" else "JSON"
    print(f"Skrev säkerhetskopian {args.fil} ({kind}, {rows} rader) från {store.namn}, {store.plats}.")
    return 0


@_kor
def cmd_aterstall(args) -> int:
    """Restore a backup into the store, which must be empty."""
    store = _oppna()
    rows = tillstand.aterstall(args.fil, store)
    print(f"Återställde {rows} rader från {args.fil} till {store.namn}, {store.plats}.")
    return 0


def register(subparsers) -> None:
    """Add the tillstand subcommand with status, backup and aterstall."""
    parser = subparsers.add_parser(
        "tillstand",
        help="tillståndsdatabasen: status, säkerhetskopia och återställning",
        description="Tillståndsdatabasen håller aktivitetsändringar, åtkomstlogg och granskade "
        "rapporttexter: SQLite i KFP_STATE_DIR, eller PostgreSQL när KFP_STATE_URL är satt.",
    )
    sub = parser.add_subparsers(dest="tillstandskommando", title="kommandon", parser_class=type(parser))
    sub.required = True

    status = sub.add_parser("status", help="visa databas, schemaversion, antal rader och importer")
    status.add_argument("--json", action="store_true", help="skriv statusen som JSON")
    status.set_defaults(func=cmd_status)

    backup = sub.add_parser(
        "backup",
        help="skriv en säkerhetskopia av hela tillståndet till en ny fil",
        description="SQLite: en kopia av databasen via SQLites backup-API (medan appen kör). "
        "PostgreSQL: en JSON-fil med alla rader, läst i en enda ögonblicksbild.",
    )
    backup.add_argument("fil", metavar="FIL", help="filen som skrivs (får inte finnas)")
    backup.set_defaults(func=cmd_backup)

    aterstall = sub.add_parser(
        "aterstall",
        help="läs in en säkerhetskopia i en tom tillståndsdatabas",
        description="Läser en säkerhetskopia (SQLite-fil eller JSON, från vilken backend som helst) "
        "in i den tomma databas som KFP_STATE_DIR/KFP_STATE_URL pekar på.",
    )
    aterstall.add_argument("fil", metavar="FIL", help="säkerhetskopian")
    aterstall.set_defaults(func=cmd_aterstall)
