"""`python -m kfp_metrics importera-extrakt`: HR-system exports to validated extracts (contract section 5)."""

from __future__ import annotations

import sys
from pathlib import Path

from kfp_metrics.importer import pseudonym
from kfp_metrics.importer.run import MEMORY_LIMIT, PARTITION_ROWS, Options, importera, show_columns


def _positive(text: str) -> int:
    import argparse

    try:
        value = int(text.replace(" ", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} är inget heltal") from None
    if value < 1:
        raise argparse.ArgumentTypeError("antalet måste vara minst 1")
    return value


def register(subparsers) -> None:
    """Add `importera-extrakt` to the CLI."""
    parser = subparsers.add_parser(
        "importera-extrakt",
        help="gör extrakt av HR-systemets export (CSV/Excel)",
        description="Läser HR-systemets export (en mapp med en CSV- eller Excelfil per tabell, eller en "
        "arbetsbok med ett blad per tabell), översätter rubriker och värden enligt mappningsfilen, "
        "kontrollerar allt och skriver Parquet-extrakten i DIR. Antingen skrivs alla tabeller eller "
        "ingen: vid fel är DIR som förut. Avslutar med 0 när extrakten är skrivna, annars 1. "
        "Radnummer i felen räknas i källfilen med rubrikraden som rad 1.",
    )
    parser.add_argument(
        "src", nargs="?", type=Path, metavar="SRC", help="mappen eller arbetsboken med exporten"
    )
    parser.add_argument("--out", type=Path, metavar="DIR", help="katalogen som extrakten skrivs till")
    parser.add_argument(
        "--mappning", type=Path, metavar="FIL.toml", help="mappningsfil för kolumner och värden"
    )
    parser.add_argument(
        "--nyckel",
        type=Path,
        metavar="FIL",
        help="nyckelfil: ersätt person-id (personnummer) med pseudonymer",
    )
    parser.add_argument(
        "--skapa-nyckel",
        action="store_true",
        help="skapa nyckelfilen som --nyckel anger (32 slumpbyte, läsbar bara för ägaren; skriver aldrig över)",
    )
    parser.add_argument(
        "--visa-kolumner",
        action="store_true",
        help="visa varje fils rubriker, kodning och separator och vilka kolumner som saknar mappning",
    )
    parser.add_argument("--separator", metavar="TECKEN", help="separator för alla CSV-filer: ; , eller tab")
    parser.add_argument(
        "--kodning", metavar="KODNING", help="kodning för alla CSV-filer: utf-8 eller windows-1252"
    )
    parser.add_argument(
        "--decimal", metavar="TECKEN", help="decimaltecken för alla CSV-filer: komma eller punkt"
    )
    parser.add_argument(
        "--partitionera-fran",
        type=_positive,
        default=PARTITION_ROWS,
        metavar="RADER",
        help=f"skriv anstallningar, franvaro och handelser som en mapp per år från så här många rader "
        f"(standard {PARTITION_ROWS:,})".replace(",", " "),
    )
    parser.add_argument(
        "--minnesgrans",
        default=MEMORY_LIMIT,
        metavar="STORLEK",
        help=f"DuckDB:s minnesgräns (standard {MEMORY_LIMIT})",
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    """Run the command; 0 when the extracts were written (or the listing shown), else 1."""
    opts = Options(
        mappning=args.mappning,
        nyckel=args.nyckel,
        separator=args.separator,
        kodning=args.kodning,
        decimal=args.decimal,
        partition_rows=args.partitionera_fran,
        memory_limit=args.minnesgrans,
    )
    if args.skapa_nyckel:
        if args.nyckel is None:
            print("Fel: --skapa-nyckel kräver --nyckel FIL (var nyckeln ska sparas).", file=sys.stderr)
            return 1
        try:
            pseudonym.create_key(args.nyckel)
        except pseudonym.KeyError_ as exc:
            print(f"Fel: {exc}.", file=sys.stderr)
            return 1
        print(
            f"Ny nyckel skapad: {args.nyckel} (rättigheter 600). Förvara den utanför exporterna och extrakten."
        )
        if args.src is None:
            return 0
    if args.src is None:
        print("Fel: ange SRC, mappen eller arbetsboken med exporten.", file=sys.stderr)
        return 1
    if args.visa_kolumner:
        text, ok = show_columns(args.src, opts)
        sys.stdout.write(text)
        return 0 if ok else 1
    if args.out is None:
        print("Fel: ange --out DIR, katalogen som extrakten skrivs till.", file=sys.stderr)
        return 1
    try:
        result = importera(args.src, args.out, opts)
    except Exception as exc:  # the CLI never shows a traceback; DIR is untouched (work folder removed)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"Fel: importen kunde inte genomföras ({first}). {args.out} är som förut.", file=sys.stderr)
        return 1
    report = result.problems.to_text()
    if result.ok:
        print(f"Importen är klar: {len(result.written)} tabeller skrivna till {args.out}.")
        for line in result.written:
            print(f"  {line}")
        for note in result.notes:
            print(f"  {note[0].upper()}{note[1:]}.")
        print(
            "Extrakten är validerade mot datakontraktet"
            + (" (se varningarna)." if result.problems.issues else ".")
        )
        if report:
            print(report)
        return 0
    n = len(result.problems.errors)
    print(
        f"Importen avbröts: {n} {'fel' if n == 1 else 'fel'}. Ingenting har skrivits; {args.out} är som förut.",
        file=sys.stderr,
    )
    print(report, file=sys.stderr)
    print(
        "Rätta exporten eller mappningsfilen och kör igen. Radnumren räknas i källfilen med rubrikraden som rad 1.",
        file=sys.stderr,
    )
    return 1
