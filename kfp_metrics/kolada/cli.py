"""`python -m kfp_metrics kolada`: the jamforelse table from saved Kolada responses or the API."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

from kfp_metrics.kolada import hamta, tabell, tolka
from kfp_metrics.kolada.kpi import KPIER


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} är inget datum ÅÅÅÅ-MM-DD") from None


def register(sub) -> None:
    """Add the kolada subcommand."""
    parser = sub.add_parser(
        "kolada",
        help="läs in jämförelsetal från Kolada (RKA) till tabellen jamforelse",
        description="Skriver tabellen jamforelse i extraktkatalogen från sparade svar från Kolada API v3 "
        "(en fil per sida, även /v3/municipality för kommunnamn), från en CSV med tabellens kolumner, "
        "eller – med --hamta – direkt från Kolada. En ogiltig fil vägras och den befintliga tabellen lämnas "
        "orörd.",
    )
    parser.add_argument(
        "--in",
        dest="filer",
        nargs="+",
        action="extend",
        type=Path,
        metavar="FIL",
        help="sparade svar eller CSV",
    )
    parser.add_argument("--hamta", action="store_true", help="hämta nyckeltalen från Kolada API v3")
    parser.add_argument(
        "--kommun",
        nargs="+",
        action="extend",
        default=[],
        metavar="ID",
        help="kommun-id att hämta, t.ex. 0180 och 0000 (riket) eller ett grupp-id G… (med --hamta)",
    )
    parser.add_argument(
        "--out", required=True, type=Path, metavar="KATALOG", help="extraktkatalogen där tabellen skrivs"
    )
    parser.add_argument(
        "--hamtad",
        type=_date,
        metavar="ÅÅÅÅ-MM-DD",
        help="dagen då filerna hämtades från Kolada (standard: i dag)",
    )
    parser.add_argument(
        "--bas-url",
        metavar="URL",
        help=f"Koladas adress (standard {hamta.DEFAULT_URL}, eller miljövariabeln {hamta.URL_ENV})",
    )
    parser.add_argument("--spara", type=Path, metavar="MAPP", help="spara de hämtade svaren som filer här")
    parser.set_defaults(func=run_kolada)


def _refuse(message: str) -> int:
    print(f"Fel: {message}", file=sys.stderr)
    print("Tabellen jamforelse har inte ändrats.", file=sys.stderr)
    return 1


def _safe_name(index: int, url: str) -> str:
    tail = re.sub(r"[^A-Za-z0-9]+", "_", url.split("/v3/", 1)[-1]).strip("_")[:80]
    return f"{index:03d}_{tail or 'svar'}.json"


def _from_api(args) -> tolka.Innehall:
    ids = [tolka.kommun_id(k, "--kommun", "kommandoraden") for k in args.kommun]
    base = hamta.base_url(args.bas_url)
    print(f"Hämtar {len(KPIER)} nyckeltal för {', '.join(ids)} från {base} …", file=sys.stderr)
    answers = hamta.fetch(ids, base)
    if args.spara:
        args.spara.mkdir(parents=True, exist_ok=True)
        for i, answer in enumerate(answers, start=1):
            path = args.spara / _safe_name(i, answer.url)
            path.write_text(json.dumps(answer.data, ensure_ascii=False, indent=1), encoding="utf-8")
    content = tolka.Innehall()
    for answer in answers:
        content.add(tolka.parse_page(answer.data, answer.url))
    return content


def run_kolada(args) -> int:
    """Read or fetch, check, and write the table; a Swedish refusal leaves the old table."""
    if bool(args.filer) == bool(args.hamta):
        return _refuse("ange antingen --in FIL ... eller --hamta --kommun ID ...")
    if args.hamta and not args.kommun:
        return _refuse("--hamta kräver --kommun ID ..., t.ex. --kommun 0180 0000.")
    try:
        if args.hamta:
            content = _from_api(args)
        else:
            missing = [str(p) for p in args.filer if not p.is_file()]
            if missing:
                return _refuse(f"filen finns inte: {', '.join(missing)}.")
            content = tolka.read_files(args.filer)
    except (tolka.KoladaFel, hamta.HamtningsFel) as exc:
        return _refuse(str(exc))
    if content.datasidor and content.sidor_med_nasta >= content.datasidor:
        print(
            "Varning: varje sida har en next_url, så den sista sidan saknas troligen; ge alla sidor.",
            file=sys.stderr,
        )
    hamtad = dt.date.today() if args.hamta else (args.hamtad or dt.date.today())
    rows = tabell.rows_of(content, hamtad)
    if not rows:
        return _refuse("filerna innehåller inga värden från Kolada (bara kommunnamn eller tomma sidor).")
    target = tabell.write(tabell.build(rows), args.out)
    kommuner = sorted({r.kommun for r in rows})
    years = sorted({r.ar for r in rows})
    saknas = sum(1 for r in rows if r.varde is None)
    print(
        f"Skrev {len(rows)} värden ({saknas} utan värde i Kolada) för {', '.join(kommuner)}, åren "
        f"{years[0]}–{years[-1]}, till {target}."
    )
    if content.borttagna:
        print(f"{content.borttagna} rader som Kolada markerat som borttagna lästes inte in.")
    return 0
