"""A small extract set for the jämställdhet figures (contract section 8), computed by hand in tests.

One förvaltning, three avdelningar, months 2022-10 … 2024-09. P = 2024-09, P−12 = 2023-09.
Every månadsavlönad person-month has 100 ordinary hours, the timavlönad lk11 40; sick hours only
where LANG lists them (all of it long sick leave). Only the three required tables, with a chef
column (write(..., chef=False) leaves it out).

Avdelning Stor:   sk01–sk12 women, sm01–sm12 men     (about 12 + 12 with hours)
Avdelning Mellan: mk01–mk12 women, mm01–mm12 men
Avdelning Liten:  lk01–lk10 women and the timavlönad lk11, lm01–lm02 men (a kön of 2)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

FJ = "Förvaltning J"
STOR, MELLAN, LITEN = "Avdelning Stor", "Avdelning Mellan", "Avdelning Liten"
ENHET = {STOR: "Enhet S1", MELLAN: "Enhet M1", LITEN: "Enhet L1"}
FIRST, LAST = "2022-10", "2024-09"
P, P12 = dt.date(2024, 9, 1), dt.date(2023, 9, 1)


def _months(first: str, last: str) -> list[str]:
    y, m = (int(x) for x in first.split("-"))
    ly, lm = (int(x) for x in last.split("-"))
    out = []
    while (y, m) <= (ly, lm):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


# id: (avdelning, kon, [(first, last, anstallningsform, sysselsattningsgrad, chef), ...])
# Each spell runs from its first to its last month inclusive; a person's spells do not overlap.
T, B, H = "tillsvidare", "tidsbegransad", "timavlonad"
PERSONS: dict[str, tuple[str, str, list[tuple[str, str, str, float | None, bool]]]] = {}
for i in range(1, 5):  # sk01–sk04: 75 % throughout; sk01 becomes chef in 2024-01
    chef_from = i == 1
    PERSONS[f"sk{i:02d}"] = (
        STOR,
        "K",
        [(FIRST, "2023-12", T, 75.0, False), ("2024-01", LAST, T, 75.0, chef_from)],
    )
for i in (5, 6):  # 75 % until 2023-12, full time from 2024-01
    PERSONS[f"sk{i:02d}"] = (
        STOR,
        "K",
        [(FIRST, "2023-12", T, 75.0, False), ("2024-01", LAST, T, 100.0, False)],
    )
for i in range(7, 11):
    PERSONS[f"sk{i:02d}"] = (STOR, "K", [(FIRST, LAST, T, 100.0, False)])
PERSONS["sk11"] = (STOR, "K", [(FIRST, LAST, B, 100.0, False)])
PERSONS["sk12"] = (STOR, "K", [("2024-02", LAST, T, 100.0, False)])  # recruited 2024-02-01
PERSONS["sk13"] = (STOR, "K", [(FIRST, "2023-04", T, 100.0, False)])  # left 2023-04-30, extern
PERSONS["sm01"] = (STOR, "M", [(FIRST, LAST, T, 50.0, False)])
PERSONS["sm02"] = (STOR, "M", [(FIRST, LAST, T, 100.0, True)])  # chef throughout
for i in range(3, 10):
    PERSONS[f"sm{i:02d}"] = (STOR, "M", [(FIRST, LAST, T, 100.0, False)])
PERSONS["sm10"] = (STOR, "M", [(FIRST, "2023-12", B, 100.0, False), ("2024-01", LAST, T, 100.0, False)])
PERSONS["sm11"] = (STOR, "M", [(FIRST, LAST, B, 100.0, False)])
PERSONS["sm12"] = (STOR, "M", [(FIRST, "2024-03", T, 100.0, True)])  # chef; left 2024-03-31, extern
PERSONS["mk01"] = (MELLAN, "K", [(FIRST, LAST, T, 100.0, True)])  # chef throughout
for i in range(2, 11):
    PERSONS[f"mk{i:02d}"] = (MELLAN, "K", [(FIRST, LAST, T, 100.0, False)])
PERSONS["mk11"] = (MELLAN, "K", [(FIRST, LAST, B, 100.0, False)])
PERSONS["mk12"] = (MELLAN, "K", [(FIRST, "2024-06", T, 100.0, False)])  # left 2024-06-30, annan förv.
PERSONS["mm01"] = (MELLAN, "M", [(FIRST, LAST, T, 100.0, True)])  # chef throughout
PERSONS["mm02"] = (MELLAN, "M", [(FIRST, LAST, T, 100.0, True)])  # chef throughout
for i in range(3, 13):
    PERSONS[f"mm{i:02d}"] = (MELLAN, "M", [(FIRST, LAST, T, 100.0, False)])
for i in range(1, 11):
    PERSONS[f"lk{i:02d}"] = (LITEN, "K", [(FIRST, LAST, T, 100.0, False)])
PERSONS["lk11"] = (LITEN, "K", [(FIRST, LAST, H, None, False)])
for i in (1, 2):
    PERSONS[f"lm{i:02d}"] = (LITEN, "M", [(FIRST, LAST, T, 100.0, False)])

# (person, month): long sick hours (sjuk_timmar = sjuk_lang_timmar, nothing short).
LANG = {
    **{("sk05", m): 100.0 for m in ("2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06")},
    **{("sk05", m): 100.0 for m in ("2024-01", "2024-02", "2024-03")},
    ("sm05", "2024-06"): 100.0,
    ("lm01", "2024-05"): 50.0,
}

# (datum, person, handelse, anstallningsform, vag, orsak)
EVENTS = [
    ("2023-04-30", "sk13", "avgang", T, "extern", "egen_begaran"),
    ("2024-02-01", "sk12", "rekrytering", T, "extern", None),
    ("2024-03-31", "sm12", "avgang", T, "extern", "egen_begaran"),
    # sk09 moves within the förvaltning: an intern avgång that personalomsättning does not count.
    ("2024-04-30", "sk09", "avgang", T, "intern", "annan"),
    ("2024-05-01", "sk09", "rekrytering", T, "intern", None),
    ("2024-06-30", "mk12", "avgang", T, "annan_forvaltning", "egen_begaran"),
]


def _date(month: str) -> dt.date:
    y, m = (int(x) for x in month.split("-"))
    return dt.date(y, m, 1)


def tables(chef: bool = True) -> dict[str, pa.Table]:
    """anstallningar, franvaro and handelser as Arrow tables."""
    anst, franv = [], []
    for pid, (avdelning, kon, spells) in PERSONS.items():
        birth = 1970 + int(pid[2:]) % 20
        for first, last, form, syss, is_chef in spells:
            for month in _months(first, last):
                row = {
                    "period": _date(month),
                    "person_id": pid,
                    "forvaltning": FJ,
                    "avdelning": avdelning,
                    "enhet": ENHET[avdelning],
                    "befattning": "Handläggare",
                    "kon": kon,
                    "fodelsear": birth,
                    "anstallningsform": form,
                    "sysselsattningsgrad": syss,
                }
                if chef:
                    row["chef"] = is_chef
                anst.append(row)
                lang = LANG.get((pid, month), 0.0)
                franv.append(
                    {
                        "period": _date(month),
                        "person_id": pid,
                        "ordinarie_timmar": 40.0 if form == H else 100.0,
                        "sjuk_timmar": lang,
                        "sjuk_kort_timmar": 0.0,
                        "sjuk_lang_timmar": lang,
                    }
                )
    fields = [
        ("period", pa.date32()),
        ("person_id", pa.string()),
        ("forvaltning", pa.string()),
        ("avdelning", pa.string()),
        ("enhet", pa.string()),
        ("befattning", pa.string()),
        ("kon", pa.string()),
        ("fodelsear", pa.int32()),
        ("anstallningsform", pa.string()),
        ("sysselsattningsgrad", pa.float64()),
    ]
    if chef:
        fields.append(("chef", pa.bool_()))
    franv_schema = pa.schema(
        [
            ("period", pa.date32()),
            ("person_id", pa.string()),
            ("ordinarie_timmar", pa.float64()),
            ("sjuk_timmar", pa.float64()),
            ("sjuk_kort_timmar", pa.float64()),
            ("sjuk_lang_timmar", pa.float64()),
        ]
    )
    hand = []
    for datum, pid, handelse, form, vag, orsak in EVENTS:
        avdelning, kon, _ = PERSONS[pid]
        hand.append(
            {
                "datum": dt.date.fromisoformat(datum),
                "person_id": pid,
                "handelse": handelse,
                "forvaltning": FJ,
                "avdelning": avdelning,
                "enhet": ENHET[avdelning],
                "befattning": "Handläggare",
                "anstallningsform": form,
                "kon": kon,
                "fodelsear": 1970 + int(pid[2:]) % 20,
                "vag": vag,
                "orsak": orsak if handelse == "avgang" else None,
            }
        )
    hand_schema = pa.schema(
        [
            ("datum", pa.date32()),
            ("person_id", pa.string()),
            ("handelse", pa.string()),
            ("forvaltning", pa.string()),
            ("avdelning", pa.string()),
            ("enhet", pa.string()),
            ("befattning", pa.string()),
            ("anstallningsform", pa.string()),
            ("kon", pa.string()),
            ("fodelsear", pa.int32()),
            ("vag", pa.string()),
            ("orsak", pa.string()),
        ]
    )
    return {
        "anstallningar": pa.Table.from_pylist(anst, pa.schema(fields)),
        "franvaro": pa.Table.from_pylist(franv, franv_schema),
        "handelser": pa.Table.from_pylist(hand, hand_schema),
    }


def write(directory: Path, chef: bool = True) -> Path:
    """Write the three tables as Parquet into directory (chef=False: without the chef column)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, table in tables(chef).items():
        pq.write_table(table, directory / f"{name}.parquet")
    return directory
