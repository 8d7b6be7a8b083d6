"""Benchmark of importera-extrakt: generate a large HR-style CSV export, import it, report time and peak RSS.

    python benchmarks/importer.py [--rader 50000000] [--workdir /tmp/kfp-import-bench]
                                  [--kodning windows-1252|utf-8] [--minnesgrans 1GB] [--behall]

`--rader` is the number of rows of anstallningar and of franvaro (one per person and month over
60 months); handelser gets one start per person. The export is written as an HR system does:
semicolons, decimal commas, Swedish headers and values ("Kvinna", "Tillsvidare"), dates as
YYYYMMDD, Windows-1252 by default. The import runs as its own process (`python -m kfp_metrics
importera-extrakt`), measured by benchmarks/measure.py: wall time and the process's maximum RSS.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import codecs
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
MONTHS = 60

MAPPING = """\
[anstallningar.kolumner]
period = "Månad"
person_id = "Anställningsnummer"
enhet = "Enhet namn"
befattning = "Befattningsbenämning"
[anstallningar.varden.kon]
"Kvinna" = "K"
"Man" = "M"
[anstallningar.varden.anstallningsform]
"Tillsvidare" = "tillsvidare"
"Visstid" = "tidsbegransad"
"Timavlönad" = "timavlonad"
[franvaro.kolumner]
period = "Månad"
person_id = "Anställningsnummer"
ordinarie_timmar = "Ordinarie tid (tim)"
sjuk_timmar = "Sjukfrånvaro (tim)"
sjuk_kort_timmar = "Varav dag 1-14 (tim)"
sjuk_lang_timmar = "Varav 60+ dagar (tim)"
[handelser.kolumner]
person_id = "Anställningsnummer"
handelse = "Händelse"
enhet = "Enhet namn"
befattning = "Befattningsbenämning"
vag = "Väg"
[handelser.varden.kon]
"Kvinna" = "K"
"Man" = "M"
[handelser.varden.anstallningsform]
"Tillsvidare" = "tillsvidare"
[handelser.varden.handelse]
"Anställning" = "rekrytering"
[handelser.varden.vag]
"Extern" = "extern"
"""

# Per person p (0-based) and month m: deterministic values from hashes of the numbers.
_PERSON = """
  select p, m,
    date '2021-01-01' + to_months(m) as period,
    'A' || lpad(p::varchar, 8, '0') as id,
    'Förvaltning ' || (p % 7)::varchar as forv,
    'Avdelning ' || (p % 41)::varchar as avd,
    'Enhet ' || (p % 997)::varchar as enh,
    ['Undersköterska', 'Förskollärare', 'Socialsekreterare', 'Lärare', 'Barnskötare'][1 + p % 5] as bef,
    case when p % 5 < 4 then 'Kvinna' else 'Man' end as kon,
    1950 + p % 50 as fodd,
    case when p % 10 < 8 then 'Tillsvidare' when p % 10 = 8 then 'Visstid' else 'Timavlönad' end as form,
    case when p % 10 = 9 then null when p % 3 = 0 then 75.5 else 100 end as syss,
    (hash(p, m) % 16000) / 100.0 as ordinarie
  from range(0, $persons) t1(p), range(0, $months) t2(m)
  where p * $months + m < $rows
"""


def _num(expr: str) -> str:
    return f"replace(cast({expr} as varchar), '.', ',')"


def generate(work: Path, rows: int, encoding: str) -> dict:
    """Write anstallningar.csv, franvaro.csv and handelser.csv into work/export."""
    src = work / "export"
    src.mkdir(parents=True)
    persons = -(-rows // MONTHS)
    con = duckdb.connect(config={"memory_limit": "1GB", "preserve_insertion_order": True})
    started = time.perf_counter()
    sel = (
        _PERSON.replace("$persons", str(persons)).replace("$months", str(MONTHS)).replace("$rows", str(rows))
    )
    anst = (
        f'select strftime(period, \'%Y-%m\') as "Månad", id as "Anställningsnummer", forv as "Förvaltning", '
        f'avd as "Avdelning", enh as "Enhet namn", bef as "Befattningsbenämning", kon as "Kön", '
        f'fodd as "Födelseår", form as "Anställningsform", {_num("syss")} as "Sysselsättningsgrad" '
        f"from ({sel}) order by p, m"
    )
    fr = (
        f'select strftime(period, \'%Y-%m\') as "Månad", id as "Anställningsnummer", '
        f'{_num("ordinarie")} as "Ordinarie tid (tim)", {_num("(floor(ordinarie * 2) + floor(ordinarie * 3) + floor(ordinarie)) / 100")} as "Sjukfrånvaro (tim)", '
        f'{_num("floor(ordinarie * 2) / 100")} as "Varav dag 1-14 (tim)", {_num("floor(ordinarie * 3) / 100")} '
        f'as "Varav 60+ dagar (tim)" from ({sel}) order by p, m'
    )
    hand = (
        f'select strftime(period, \'%Y%m%d\') as "Datum", id as "Anställningsnummer", \'Anställning\' as "Händelse", '
        f'forv as "Förvaltning", avd as "Avdelning", enh as "Enhet namn", bef as "Befattningsbenämning", '
        f'\'Tillsvidare\' as "Anställningsform", kon as "Kön", fodd as "Födelseår", \'Extern\' as "Väg", '
        f"null as orsak from ({sel}) where m = 0 and form = 'Tillsvidare' order by p"
    )
    for name, sql in (("anstallningar", anst), ("franvaro", fr), ("handelser", hand)):
        path = src / f"{name}.csv"
        con.execute(f"copy ({sql}) to '{path}' (header, delimiter ';', quote '\"')")
        if encoding == "windows-1252":
            tmp = path.with_suffix(".tmp")
            dec = codecs.getincrementaldecoder("utf-8")()
            with path.open("rb") as fin, tmp.open("w", encoding="cp1252", newline="") as fout:
                while block := fin.read(8 << 20):
                    fout.write(dec.decode(block))
            tmp.replace(path)
    con.close()
    (work / "mappning.toml").write_text(MAPPING, encoding="utf-8")
    sizes = {p.name: p.stat().st_size for p in src.iterdir()}
    return {"generate_s": round(time.perf_counter() - started, 1), "bytes": sizes}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rader", type=int, default=50_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kfp-import-bench"))
    parser.add_argument("--kodning", choices=("windows-1252", "utf-8"), default="windows-1252")
    parser.add_argument("--minnesgrans", default="1GB")
    parser.add_argument("--partitionera-fran", type=int, default=None)
    parser.add_argument("--behall", action="store_true", help="keep the generated export and extracts")
    args = parser.parse_args()
    work = args.workdir / f"rader-{args.rader}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    info = {"rows": args.rader, "encoding": args.kodning, "memory_limit": args.minnesgrans}
    info.update(generate(work, args.rader, args.kodning))
    cmd = [
        sys.executable,
        str(HERE / "measure.py"),
        sys.executable,
        "-m",
        "kfp_metrics",
        "importera-extrakt",
        str(work / "export"),
        "--out",
        str(work / "extrakt"),
        "--mappning",
        str(work / "mappning.toml"),
        "--minnesgrans",
        args.minnesgrans,
    ]
    if args.partitionera_fran:
        cmd += ["--partitionera-fran", str(args.partitionera_fran)]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    measured = json.loads(out.stdout)
    info.update(
        {
            "import_s": round(measured["wall_s"], 1),
            "peak_rss_mib": round(measured["peak_mib"]),
            "exit": measured["exit"],
        }
    )
    if measured["exit"] != 0:
        info["stderr"] = measured["stderr"]
    extr = work / "extrakt"
    info["extract_bytes"] = (
        sum(p.stat().st_size for p in extr.rglob("*") if p.is_file()) if extr.exists() else None
    )
    print(json.dumps(info, ensure_ascii=False, indent=1))
    if not args.behall:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if measured["exit"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
