"""`python -m kfp_metrics rapport`: the nämndrapport as an A4 PDF, as HTML and as a Word document."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from kfp_metrics import forberedd
from kfp_metrics.extracts import content_fingerprint
from kfp_metrics.forberedd import cli as forberedd_cli
from kfp_metrics.format import manad
from kfp_metrics.nyckeltal import DEFAULT_PENSIONSALDER, scope_warnings
from kfp_metrics.nyckeltal_cli import (
    add_data_argument,
    add_scope_arguments,
    check_data_dir,
    pensionsalder_arg,
    period_arg,
    validated_or_message,
)
from kfp_metrics.periods import format_period
from kfp_metrics.queries import Scope, run
from kfp_metrics.rapport.avsnitt import AVSNITT

EXIT_OK = 0
EXIT_DATA = 1
EXIT_ARGS = 2
EXIT_BROWSER = 3
EXIT_WRITE = 4


def register(sub) -> None:
    """Add the rapport subcommand."""
    avsnitt = ", ".join(AVSNITT)
    parser = sub.add_parser(
        "rapport",
        help="skapa nämndrapporten som PDF (A4), HTML och Word (DOCX)",
        description="Skapar nämndrapporten för en månad och ett urval: framsida, nyckeltal, ett utkast till "
        "nulägesanalys, diagram per område, aktivitetsplanen och en bilaga med definitioner. PDF:en skrivs ut "
        "med Chromium (/usr/bin/chromium); Word-dokumentet (--docx) får redigerbar text, tabeller och diagram "
        "som bilder och följer kommunens mall (--mall). Extrakten valideras först; ogiltiga data vägras.",
        epilog="Slutkoder: 0 klart, 1 fel i data eller urval, 2 fel i argumenten eller mallen, 3 ingen webbläsare "
        "eller utskriften misslyckades, 4 filen kunde inte skrivas.",
    )
    add_data_argument(parser)
    parser.add_argument(
        "--period", required=True, type=period_arg, metavar="ÅÅÅÅ-MM", help="månaden, t.ex. 2024-09"
    )
    add_scope_arguments(parser)
    parser.add_argument(
        "--avsnitt",
        action="append",
        choices=list(AVSNITT),
        metavar="AVSNITT",
        help=f"ta bara med avsnittet (kan upprepas; standard alla): {avsnitt}",
    )
    parser.add_argument(
        "--titel",
        metavar="TEXT",
        help="rapportens titel (standard: 'Kompetensförsörjning – <urval>, tertial N ÅÅÅÅ')",
    )
    parser.add_argument(
        "--pensionsalder",
        type=pensionsalder_arg,
        default=DEFAULT_PENSIONSALDER,
        metavar="ÅR",
        help=f"pensionsålder 65–69 (standard {DEFAULT_PENSIONSALDER})",
    )
    parser.add_argument("--out", type=Path, metavar="FIL.pdf", help="PDF-filen som skrivs")
    parser.add_argument(
        "--html", type=Path, metavar="FIL.html", help="skriv även rapporten som fristående HTML"
    )
    parser.add_argument(
        "--docx", type=Path, metavar="FIL.docx", help="skriv rapporten som redigerbart Word-dokument"
    )
    parser.add_argument(
        "--mall",
        type=Path,
        metavar="MALL.docx",
        help="kommunens Word-mall med formatmallar, marginaler, sidhuvud och sidfot "
        "(standard: KFP_RAPPORTMALL eller projektets enkla mall)",
    )
    parser.set_defaults(func=run_rapport)


def _write(path: Path, data: bytes) -> str | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.tmp")
        temp.write_bytes(data)
        temp.replace(path)
    except OSError as exc:
        return f"Fel: kunde inte skriva {path}: {exc.strerror or exc}."
    return None


def _period_problem(con, period) -> str | None:
    """A Swedish refusal when the month is not in the extracts."""
    perioder = [format_period(p) for p in run(con, "perioder", Scope())["period"]]
    if format_period(period) in perioder:
        return None
    span = f"{manad(perioder[0])} – {manad(perioder[-1])}" if perioder else "inga månader"
    return f"Fel: perioden {format_period(period)} finns inte i extrakten ({span})."


def run_rapport(args) -> int:
    """Validate, collect, render and print the report."""
    from kfp_metrics.rapport import build
    from kfp_metrics.rapport.html import warmup_page
    from kfp_metrics.rapport.pdf import (
        BrowserMissing,
        PrintError,
        Skrivare,
        browser_available,
        missing_message,
    )

    started = time.monotonic()
    if args.out is None and args.docx is None and args.html is None:
        print(
            "Fel: ange minst en fil att skriva: --out FIL.pdf, --docx FIL.docx eller --html FIL.html.",
            file=sys.stderr,
        )
        return EXIT_ARGS
    mall = None
    if args.docx is not None:
        from kfp_metrics.rapport.docx.mall import mall_fran_miljo, mall_problem

        mall = args.mall or mall_fran_miljo()
        problem = mall_problem(mall) if mall is not None else None
        if problem:
            print(f"Fel: {problem}", file=sys.stderr)
            return EXIT_ARGS
    problem = check_data_dir(args.data)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_DATA
    # The browser starts at once and compiles plotly.js while the extracts are read; a refusal
    # below only costs its start.
    skrivare = Skrivare() if args.out is not None and browser_available() else None
    con = None
    try:
        problem = validated_or_message(args.data)
        if problem:
            print(problem, file=sys.stderr)
            return EXIT_DATA
        scope = Scope.of(args.forvaltning, args.avdelning, args.enhet)
        # As nyckeltal: the store without its sorted copy of anstallningar, which one run does not repay.
        con = forberedd.connect(args.data, prepare=True, progress=forberedd_cli.progress_lines, copy=False)
        problem = _period_problem(con, args.period)
        if problem:
            print(problem, file=sys.stderr)
            return EXIT_DATA
        if skrivare is not None:
            skrivare.warm(warmup_page())
        for warning in scope_warnings(con, scope):
            print(warning, file=sys.stderr)
        from kfp_metrics.rapport.content import Options  # plotly and the builders: only when making a report

        options = Options(
            period=args.period,
            scope=scope,
            avsnitt=tuple(args.avsnitt or AVSNITT),
            titel=args.titel,
            pensionsalder=args.pensionsalder,
            fingeravtryck=content_fingerprint(args.data),
        )
        rapport, html = build(con, options)
        con.close()

        if args.html:
            problem = _write(args.html, html.encode("utf-8"))
            if problem:
                print(problem, file=sys.stderr)
                return EXIT_WRITE
            print(f"HTML: {args.html}", file=sys.stderr)
        if args.docx is not None:
            from kfp_metrics.rapport.docx import docx_bytes
            from kfp_metrics.rapport.docx.bilder import BilderSaknas

            try:
                document = docx_bytes(rapport, mall)
            except BilderSaknas as exc:
                print(f"Fel: {exc}", file=sys.stderr)
                return EXIT_BROWSER
            problem = _write(args.docx, document)
            if problem:
                print(problem, file=sys.stderr)
                return EXIT_WRITE
            print(f"Word: {args.docx}", file=sys.stderr)
        if args.out is None:
            return EXIT_OK
        if skrivare is None:
            print(f"Fel: {missing_message()}", file=sys.stderr)
            return EXIT_BROWSER
        try:
            pdf = skrivare.pdf(html, rapport.sidfot)
        except (BrowserMissing, PrintError) as exc:
            print(f"Fel: {exc}", file=sys.stderr)
            return EXIT_BROWSER
        problem = _write(args.out, pdf)
        if problem:
            print(problem, file=sys.stderr)
            return EXIT_WRITE
    finally:
        if con is not None:
            con.close()
        if skrivare is not None:
            skrivare.close()
    seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")
    print(f"PDF: {args.out} (skapad på {seconds} s)", file=sys.stderr)
    return EXIT_OK
