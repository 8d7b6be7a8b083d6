"""Subcommands for the activity plan: aktivitet andra/historik/lista, importera-plan, exportera-plan."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import sys
from pathlib import Path

from kfp_metrics.aktivitetslogg import (
    STATUS_LABELS,
    STATUSES,
    LogLockedError,
    append_change,
    current_plan,
    forsenade,
    history,
    latest_by_activity,
    parse_status,
    plan_ids,
    validate_change,
)
from kfp_metrics.extracts import data_dir_from_env
from kfp_metrics.tillstand import TillstandFel, svensk_tid

LIST_FIELDS = (
    "aktivitet_id",
    "ubaria",
    "avdelning",
    "mal",
    "aktivitet",
    "maldatum",
    "ansvarig",
    "status",
    "senaste_uppfoljning",
    "senast_andrad",
)


class Refusal(Exception):
    """A request the command refuses, with a Swedish one-line message."""


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _refusing(func):
    """Turn expected errors into a Swedish one-liner on stderr and exit code 1."""

    @functools.wraps(func)
    def run(args) -> int:
        import duckdb

        try:
            return func(args) or 0
        except (Refusal, ValueError, LookupError, LogLockedError, TillstandFel) as exc:
            print(f"Fel: {_one_line(exc)}", file=sys.stderr)
        except duckdb.Error as exc:
            print(f"Fel: extrakten kunde inte läsas ({_one_line(exc)}).", file=sys.stderr)
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            print(f"Fel: fil- eller mappfel{where}: {_one_line(exc.strerror or exc)}.", file=sys.stderr)
        return 1

    return run


def _warn(messages) -> None:
    for message in messages:
        print(f"Varning: {_one_line(message)}", file=sys.stderr)


def _status_arg(text: str) -> str:
    status = parse_status(text)
    if status is None:
        giltiga = ", ".join(STATUSES)
        raise Refusal(
            f"Okänd status {text!r}. Giltiga värden: {giltiga} (eller Ej påbörjad, Pågår, Klar, Inställd)."
        )
    return status


def _known_id(data: Path, aktivitet_id: str) -> None:
    if aktivitet_id not in plan_ids(data):
        raise Refusal(f"Aktiviteten {aktivitet_id!r} finns inte i aktivitetsplanen i {data}.")


def _lokal(iso: str | None) -> str | None:
    """A stored UTC time as ISO 8601 in Swedish local time (Europe/Stockholm)."""
    return svensk_tid(iso).isoformat(timespec="microseconds") if iso else None


def _lokal_kort(iso: str | None, length: int = 16) -> str | None:
    return _lokal(iso)[:length].replace("T", " ") if iso else None


def _json_value(value):
    import pandas as pd

    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        return value.item()
    return value


def _text_cell(value, length: int | None = None) -> str | None:
    value = _json_value(value)
    if value is None:
        return None
    return str(value)[:length].replace("T", " ") if length else str(value)


def _table(headers: list[str], rows: list[list[str]], max_width: int = 40) -> str:
    cells = [[_one_line(c) if c is not None else "–" for c in row] for row in rows]
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)


@_refusing
def cmd_andra(args) -> int:
    """Log one status change once it is valid and the activity exists."""
    status = _status_arg(args.status)
    validate_change(args.id, status, args.kommentar, args.av)
    _known_id(Path(args.data), args.id)
    change = append_change(args.id, status, args.kommentar, args.av, kalla="cli")
    print(
        f"Sparat: {change.aktivitet_id} har nu status {STATUS_LABELS[change.status]} "
        f"(ändring nr {change.seq}, av {change.av}, {_lokal_kort(change.tid, 19)})."
    )
    return 0


@_refusing
def cmd_historik(args) -> int:
    """Print one activity's logged changes, oldest first."""
    _known_id(Path(args.data), args.id)
    changes = history(args.id)
    _warn(changes.warnings)
    if args.json:
        items = [
            {"status": c.status, "kommentar": c.kommentar, "av": c.av, "tid": _lokal(c.tid)} for c in changes
        ]
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return 0
    if not changes:
        print(f"Inga ändringar är loggade för {args.id}; statusen är den i den antagna planen.")
        return 0
    print(f"Historik för {args.id} ({len(changes)} ändringar, äldst först)")
    rows = [[_lokal_kort(c.tid, 19), STATUS_LABELS[c.status], c.av, c.kommentar] for c in changes]
    print(_table(["Tid", "Status", "Av", "Kommentar"], rows, max_width=60))
    return 0


@_refusing
def cmd_lista(args) -> int:
    """Print every activity's current state."""
    plan = current_plan(Path(args.data))
    _warn(plan.attrs.get("varningar", []))
    late = forsenade(plan, dt.date.today())
    if args.json:
        items = []
        for i, (_, rec) in enumerate(plan.iterrows()):
            item = {name: _json_value(rec.get(name)) for name in LIST_FIELDS}
            item["senast_andrad"] = _lokal(item["senast_andrad"])
            item["forsenad"] = bool(late.iloc[i])
            items.append(item)
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return 0
    rows = [
        [
            _text_cell(rec["aktivitet_id"]),
            _text_cell(rec.get("ubaria")),
            _text_cell(rec.get("avdelning")),
            _text_cell(rec.get("aktivitet")),
            _text_cell(rec.get("maldatum")),
            STATUS_LABELS.get(rec["status"], _text_cell(rec["status"])),
            "Ja" if late.iloc[i] else "Nej",
            _lokal_kort(_json_value(rec.get("senast_andrad"))),
        ]
        for i, (_, rec) in enumerate(plan.iterrows())
    ]
    headers = ["Id", "UBARIA", "Avdelning", "Aktivitet", "Måldatum", "Status", "Försenad", "Senast ändrad"]
    print(_table(headers, rows))
    print(f"{len(plan)} aktiviteter, varav {int(late.sum())} försenade.")
    return 0


@_refusing
def cmd_importera(args) -> int:
    """Read a plan file and write aktiviteter.parquet into the extracts."""
    from kfp_metrics.plan_io import import_plan, write_aktiviteter

    plan, warnings = import_plan(args.fil, forvaltning=args.forvaltning)
    _warn(warnings)
    target = write_aktiviteter(plan, args.out)
    orphans = sorted(set(latest_by_activity()) - set(plan["aktivitet_id"]))
    if orphans:
        _warn(
            [
                f"Ändringsloggen har ändringar för {len(orphans)} aktiviteter som inte finns i den nya planen "
                f"({', '.join(orphans[:5])}{', …' if len(orphans) > 5 else ''})."
            ]
        )
    print(f"Importerade {len(plan)} aktiviteter från {Path(args.fil).name} till {target}.")
    return 0


def _date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ogiltigt datum {text!r}, ange ÅÅÅÅ-MM-DD") from None


@_refusing
def cmd_exportera(args) -> int:
    """Write the plan with current status to an .xlsx for the nämnd."""
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise Refusal(f"Utfilen måste sluta på .xlsx: {out}")
    from kfp_metrics.plan_io import export_plan

    plan = current_plan(Path(args.data))
    _warn(plan.attrs.get("varningar", []))
    export_plan(plan, out, referensdatum=args.referensdatum)
    print(f"Skrev aktivitetsplanen ({len(plan)} aktiviteter) till {out}.")
    return 0


def _data_arg(parser) -> None:
    parser.add_argument(
        "--data",
        metavar="MAPP",
        default=data_dir_from_env(),
        help="mappen med extrakten (aktiviteter.parquet); standard: KFP_DATA_DIR eller data/",
    )


def register(subparsers) -> None:
    """Add the aktivitet, importera-plan and exportera-plan subcommands."""
    akt = subparsers.add_parser(
        "aktivitet",
        help="ändra och visa aktiviteternas status",
        description="Ändra status på aktiviteter i aktivitetsplanen och visa historik och nuläge. "
        "Ändringar sparas i tillståndsdatabasen: SQLite i KFP_STATE_DIR, eller PostgreSQL när "
        "KFP_STATE_URL är satt.",
    )
    akt_sub = akt.add_subparsers(dest="aktivitetskommando", title="kommandon", parser_class=type(akt))
    akt_sub.required = True

    andra = akt_sub.add_parser(
        "andra",
        help="logga en statusändring för en aktivitet",
        description="Loggar en ny status för en aktivitet. Historiken skrivs aldrig om: "
        "en felaktig ändring rättas med en ny ändring.",
    )
    _data_arg(andra)
    andra.add_argument("--id", required=True, metavar="ID", help="aktivitetens id, t.ex. A-001")
    andra.add_argument(
        "--status",
        required=True,
        metavar="STATUS",
        help="ny status: ej_paborjad, pagar, klar eller installd (även Ej påbörjad, Pågår, Klar, Inställd)",
    )
    andra.add_argument("--kommentar", metavar="TEXT", help="uppföljning eller kommentar (högst 5 000 tecken)")
    andra.add_argument("--av", required=True, metavar="NAMN", help="namnet på den som gör ändringen")
    andra.set_defaults(func=cmd_andra)

    hist = akt_sub.add_parser("historik", help="visa en aktivitets ändringar, äldst först")
    _data_arg(hist)
    hist.add_argument("--id", required=True, metavar="ID", help="aktivitetens id, t.ex. A-001")
    hist.add_argument("--json", action="store_true", help="skriv historiken som JSON")
    hist.set_defaults(func=cmd_historik)

    lista = akt_sub.add_parser("lista", help="visa nuläget för alla aktiviteter")
    _data_arg(lista)
    lista.add_argument("--json", action="store_true", help="skriv listan som JSON")
    lista.set_defaults(func=cmd_lista)

    imp = subparsers.add_parser(
        "importera-plan",
        help="läs en aktivitetsplan från Excel eller CSV till aktiviteter.parquet",
        description="Läser tabellen Mål | Aktivitet | Måldatum | Ansvarig | Uppföljning med "
        "UBARIA-rubriker (Utveckla, Behålla, Attrahera, Rekrytera, Introducera, Avsluta) "
        "och skriver aktiviteter.parquet i utmappen.",
    )
    imp.add_argument("fil", metavar="FIL", help="planen som .xlsx eller .csv (UTF-8, semikolon eller komma)")
    imp.add_argument(
        "--out", required=True, metavar="MAPP", help="extraktmappen där aktiviteter.parquet skrivs"
    )
    imp.add_argument(
        "--forvaltning",
        metavar="NAMN",
        help="förvaltningens namn för rader utan kolumnen Förvaltning",
    )
    imp.set_defaults(func=cmd_importera)

    exp = subparsers.add_parser(
        "exportera-plan",
        help="skriv aktivitetsplanen med aktuell status till en Excel-fil för nämnden",
    )
    _data_arg(exp)
    exp.add_argument("--out", required=True, metavar="FIL", help="Excel-filen som skrivs (.xlsx)")
    exp.add_argument(
        "--referensdatum",
        type=_date_arg,
        metavar="ÅÅÅÅ-MM-DD",
        help="datum som försening räknas mot; standard: i dag",
    )
    exp.set_defaults(func=cmd_exportera)


def main(argv: list[str] | None = None) -> int:
    """Run only this module's subcommands (python -m kfp_metrics.aktivitet_cli ...)."""
    from kfp_metrics.cli import SwedishParser

    parser = SwedishParser(
        prog="python -m kfp_metrics", description="Aktivitetsplanen och dess ändringslogg."
    )
    sub = parser.add_subparsers(dest="kommando", title="kommandon", parser_class=SwedishParser)
    sub.required = True
    register(sub)
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
