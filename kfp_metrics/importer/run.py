"""One import run: find the exports, load, map, check, write Parquet, validate, move into place."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from kfp_metrics.extracts import ALL_TABLES
from kfp_metrics.format import tal
from kfp_metrics.importer import convert, detect, install, mapping, pseudonym, sources
from kfp_metrics.importer.problems import Problems
from kfp_metrics.validation import SCHEMA, validate

PARTITION_ROWS = 5_000_000
MEMORY_LIMIT = "1GB"


@dataclass
class Options:
    """How to read the exports; None = detect per file."""

    mappning: Path | None = None
    nyckel: Path | None = None
    separator: str | None = None
    kodning: str | None = None
    decimal: str | None = None
    partition_rows: int = PARTITION_ROWS
    memory_limit: str = MEMORY_LIMIT
    threads: int | None = None


@dataclass
class Result:
    """What a run did: ok, the problems, and one summary line per table written."""

    ok: bool
    problems: Problems
    written: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _overrides(
    table: str, opts: Options, mp: mapping.Mapping, problems: Problems
) -> tuple[str | None, str | None, str | None]:
    tm = mp.for_table(table)
    sep_text = opts.separator if opts.separator is not None else tm.separator
    enc_text = opts.kodning if opts.kodning is not None else tm.kodning
    dec_text = opts.decimal if opts.decimal is not None else tm.decimal
    sep = enc = dec = None
    if sep_text is not None:
        sep = detect.SEPARATORS.get(sep_text.lower() if sep_text.strip() else sep_text)
        if sep is None:
            problems.error(None, f"okänd separator {sep_text!r}: ange ; , eller tab")
    if enc_text is not None:
        enc = detect.ENCODING_ALIASES.get(enc_text.lower())
        if enc is None:
            problems.error(None, f"okänd kodning {enc_text!r}: ange utf-8 eller windows-1252")
    if dec_text is not None:
        dec = convert.DECIMAL_ALIASES.get(dec_text.lower())
        if dec is None:
            problems.error(None, f"okänt decimaltecken {dec_text!r}: ange komma eller punkt")
    return sep, enc, dec


def _connect(work: Path, opts: Options) -> duckdb.DuckDBPyConnection:
    spill = work / "utspill"
    spill.mkdir()
    config = {
        "memory_limit": opts.memory_limit,
        "temp_directory": str(spill),
        "preserve_insertion_order": True,
    }
    if opts.threads:
        config["threads"] = int(opts.threads)
    con = duckdb.connect(str(work / "arbete.duckdb"), config=config)
    con.execute("set enable_progress_bar = false")
    return con


def _pseudonyms(con, prepared: dict[str, convert.Prepared], mp: mapping.Mapping, key: bytes) -> int:
    """The table pseudonymer(id, pseudonym) for every person id of every table."""
    parts = [s for p in prepared.values() if (s := convert.person_ids_sql(p, mp.for_table(p.table)))]
    params: dict[str, object] = {}
    for p in prepared.values():
        params.update(p.params)
    ids: list[str] = []
    if parts:
        sql = " union ".join(f"({s})" for s in parts)
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        ids = [r[0] for r in con.execute(f"select id from ({sql}) where id is not null", used).fetchall()]
    values = [pseudonym.pseudonym(key, i) for i in ids]
    con.register(
        "_pn", pa.table({"id": pa.array(ids, pa.string()), "pseudonym": pa.array(values, pa.string())})
    )
    con.execute("create table pseudonymer as select * from _pn")
    con.unregister("_pn")
    return len(ids)


def _stage_all(con, found, work: Path, opts: Options, mp: mapping.Mapping, problems: Problems):
    prepared: dict[str, convert.Prepared] = {}
    for source in found:
        sep, enc, dec = _overrides(source.table, opts, mp, problems)
        if source.is_excel:
            staged = sources.stage_excel(con, source, problems)
        else:
            staged = sources.stage_csv(con, source, work, problems, separator=sep, encoding=enc)
        if staged is None:
            continue
        p = convert.resolve(staged, mp.for_table(source.table), problems, partial=True)
        if p is None:
            continue
        p.decimal = convert.detect_decimal(con, p, dec)
        prepared[source.table] = p
    return prepared


def _write(con, p: convert.Prepared, out: Path, partition_rows: int) -> str:
    cols = convert.select_sql(p)
    date_col = convert.DATE_PARTITION.get(p.table)
    if date_col and date_col in p.index and p.staged.rows >= partition_rows:
        target = out / p.table
        con.execute(
            f"copy (select {cols}, year({date_col}) as ar from {p.view}) to '{_lit(target)}' "
            "(format parquet, compression zstd, partition_by (ar))"
        )
        return f"{p.table}/ (en mapp per år, ar=ÅÅÅÅ/)"
    target = out / f"{p.table}.parquet"
    con.execute(f"copy (select {cols} from {p.view}) to '{_lit(target)}' (format parquet, compression zstd)")
    return target.name


def _lit(path: Path) -> str:
    return str(path).replace("'", "''")


def _link_kept(dest: Path, out: Path, written: list[str]) -> list[str]:
    """Hard-link the tables of dest that the import does not replace, so they are validated too."""
    kept = []
    if not dest.is_dir():
        return kept
    for table in ALL_TABLES:
        if table in written:
            continue
        for entry in install.entries_of(dest, table):
            target = out / entry.name
            try:
                if entry.is_dir():
                    for f in entry.rglob("*"):
                        rel = target / f.relative_to(entry)
                        if f.is_dir():
                            rel.mkdir(parents=True, exist_ok=True)
                        else:
                            rel.parent.mkdir(parents=True, exist_ok=True)
                            os.link(f, rel)
                else:
                    os.link(entry, target)
            except OSError:
                shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink(
                    missing_ok=True
                )
                continue
            kept.append(table)
    return sorted(set(kept))


def importera(src: Path, dest: Path, opts: Options) -> Result:
    """Import the exports in src into the extracts folder dest; dest changes only when all is valid."""
    started = time.perf_counter()
    problems = Problems()
    result = Result(False, problems)
    map_errors: list[str] = []
    mp = mapping.load(opts.mappning, map_errors)
    for text in map_errors:
        problems.error(None, text)
    dest = Path(dest)
    flags = Problems()
    _overrides("", opts, mapping.Mapping(), flags)  # the command-line flags, checked once
    problems.issues.extend(flags.issues)
    if not flags.ok:
        opts = Options(**{**opts.__dict__, "separator": None, "kodning": None, "decimal": None})
    if dest.exists() and not dest.is_dir():
        problems.error(None, f"{dest} finns men är ingen katalog")
    if not dest.parent.is_dir():
        problems.error(
            None, f"katalogen {dest.parent} finns inte (DIR skapas bara om dess överkatalog finns)"
        )
    key = None
    if opts.nyckel is not None:
        try:
            key, warnings = pseudonym.read_key(opts.nyckel, [dest])
            for w in warnings:
                problems.warning(None, w)
        except pseudonym.KeyError_ as exc:
            problems.error(None, str(exc))
    found = sources.locate(Path(src), mp, problems)
    if not problems.ok:
        result.seconds = time.perf_counter() - started
        return result
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.import-", dir=dest.parent))
    try:
        con = _connect(work, opts)
        try:
            prepared = _stage_all(con, found, work, opts, mp, problems)
            if key is not None:
                n = _pseudonyms(con, prepared, mp, key)
                result.notes.append(
                    f"{tal(n)} person-id ersatta med pseudonymer (HMAC-SHA256, nyckeln {opts.nyckel})"
                )
            for p in prepared.values():
                convert.build_view(con, p, mp.for_table(p.table), key is not None)
                convert.check(con, p, key is not None, problems, mp.for_table(p.table).varden)
            # Unpseudonymised personnummer in different forms would only add false missing references.
            pnr_refused = any("personnummer" in i.text for i in problems.errors)
            convert.check_keys(con, prepared, problems, references=not pnr_refused)
            if not problems.ok:
                return result
            out = work / "ut"
            out.mkdir()
            lines = []
            for p in prepared.values():
                target = _write(con, p, out, opts.partition_rows)
                numeric = any(c.name in p.index and c.type in ("DOUBLE", "INTEGER") for c in SCHEMA[p.table])
                decimal = (
                    f", {convert.DECIMAL_NAMES[p.decimal]}"
                    if numeric and not p.staged.source.is_excel
                    else ""
                )
                lines.append(
                    f"{p.table}: {p.staged.source.label} ({p.staged.describe()}{decimal}), "
                    f"{tal(p.staged.rows)} {'rad' if p.staged.rows == 1 else 'rader'} → {target}"
                )
        finally:
            con.close()
        written = list(prepared)
        kept = _link_kept(dest, out, written)
        report = validate(out, memory_limit=opts.memory_limit, threads=opts.threads)
        for f in report.findings:
            if f.severity == "fel":
                problems.error("extrakten", f.message)
            elif f.severity == "varning":
                problems.warning("extrakten", f.message)
        if not problems.ok:
            return result
        for table in kept:
            for entry in install.entries_of(out, table):
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        try:
            install.install(out, dest, work / "tidigare", written)
        except OSError as exc:
            problems.error(
                None,
                f"extrakten kunde inte flyttas på plats i {dest} ({exc.strerror or exc}); {dest} är som förut",
            )
            return result
        result.ok = True
        result.written = lines
        if kept:
            result.notes.append(f"tabeller som redan fanns i {dest} och behålls: {', '.join(kept)}")
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)
        result.seconds = time.perf_counter() - started


def show_columns(src: Path, opts: Options) -> tuple[str, bool]:
    """The text of --visa-kolumner: each export's headers, how it is written, what is unmapped."""
    problems = Problems()
    map_errors: list[str] = []
    mp = mapping.load(opts.mappning, map_errors)
    found = sources.locate(Path(src), mp, problems)
    out: list[str] = []
    for text in map_errors:
        out.append(f"Fel i mappningen: {text}")
    for source in found:
        sep, enc, _ = _overrides(source.table, opts, mp, problems)
        file_problems = Problems()
        headers, guess, sep = sources.header_of(source, file_problems, sep)
        tm = mp.for_table(source.table)
        out.append(f"{source.label} → tabellen {source.table}")
        if not source.is_excel:
            scan = detect.scan(source.path, source.label, enc, sep, headers, file_problems)
            enc_name = detect.ENCODING_NAMES.get(scan.encoding or "", "okänd")
            out.append(
                f"  kodning {enc_name}, separator {detect.SEPARATOR_NAMES.get(sep or '', sep)}, "
                f"{tal(max(scan.lines - 1, 0))} datarader"
            )
        out.append("  rubriker: " + ", ".join(f"«{h}»" for h in headers))
        staged = sources.Staged(source, headers, "", "rowid")
        col_problems = Problems()
        p = convert.resolve(staged, tm, col_problems)
        index = p.index if p else {}
        if p is None:
            # resolve() stops at missing columns: list what it found anyway
            for c in SCHEMA[source.table]:
                h = tm.kolumner.get(c.name)
                if h in headers:
                    index[c.name] = headers.index(h)
                elif (
                    i := next(
                        (j for j, x in enumerate(headers) if mapping.plain(x) == mapping.plain(c.name)), None
                    )
                ) is not None:
                    index[c.name] = i
        if index:
            out.append("  mappade: " + ", ".join(f"{c} ← «{headers[i]}»" for c, i in index.items()))
        missing = [c for c in SCHEMA[source.table] if c.name not in index]
        if missing:
            out.append(
                "  kontraktets kolumner som saknas: "
                + ", ".join(f"{c.name}{'' if c.required else ' (frivillig)'}" for c in missing)
            )
            free = [h for i, h in enumerate(headers) if i not in index.values() and h]
            proposals = []
            for c in missing:
                near = convert._suggest_header(c.name, free)
                if near:
                    proposals.append(f"{c.name} = {mapping.toml_string(near)}")
            if proposals:
                out.append(f"  förslag till mappningen:\n    [{source.table}.kolumner]")
                out.extend(f"    {line}" for line in proposals)
        else:
            out.append("  alla kontraktets kolumner är mappade")
        for issue in file_problems.issues + [
            i for i in col_problems.issues if i.severity == "fel" and "mappningen" in i.text
        ]:
            out.extend(f"  ! {line}" for line in issue.lines())
        out.append("")
    for issue in problems.issues:
        out.extend(issue.lines())
    ok = not map_errors and problems.ok
    return "\n".join(out).rstrip() + "\n", ok
