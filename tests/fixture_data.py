"""A tiny hand-built extract set whose key figures are computed by hand in the tests.

Period of interest P = 2024-09; the 12-month window is 2023-10 … 2024-09. Every person-month
has 100 ordinary hours (the timavlönad p13 has 20, p10 has 0 in 2024-07); sick hours only where
SICK lists them. The expected values in test_nyckeltal.py are derived from these tables.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

FA, FB = "Förvaltning A", "Förvaltning B"
AX, AY, AZ = "Avdelning X", "Avdelning Y", "Avdelning Z"

# id: (forvaltning, avdelning, enhet, befattning, kon, fodelsear, form, syss, faktisk, first, last)
PERSONS = {
    "p01": (FA, AX, "Enhet X1", "Undersköterska", "K", 1960, "tillsvidare", 100, 100, "2023-09", "2024-09"),
    "p02": (FA, AX, "Enhet X1", "Undersköterska", "K", 1959, "tillsvidare", 100, 80, "2023-09", "2024-09"),
    "p03": (FA, AX, "Enhet X1", "Undersköterska", "K", 1961, "tillsvidare", 75, 75, "2023-09", "2024-09"),
    "p04": (FA, AX, "Enhet X1", "Sjuksköterska", "K", 1962, "tillsvidare", 100, 100, "2023-09", "2024-09"),
    "p05": (FA, AX, "Enhet X1", "Sjuksköterska", "K", 1970, "tillsvidare", 100, 100, "2023-09", "2024-09"),
    "p06": (FA, AX, "Enhet X1", "Vårdbiträde", "K", 1980, "tillsvidare", 80, 80, "2023-09", "2024-09"),
    "p07": (FA, AX, "Enhet X1", "Vårdbiträde", "K", 1990, "tillsvidare", 100, 100, "2024-03", "2024-09"),
    "p08": (FA, AX, "Enhet X1", "Vårdbiträde", "K", 1995, "tillsvidare", 100, 100, "2023-09", "2024-09"),
    "p09": (FA, AX, "Enhet X1", "Undersköterska", "M", 1985, "tillsvidare", 100, 100, "2023-09", "2024-09"),
    "p10": (FA, AX, "Enhet X1", "Undersköterska", "M", 1975, "tillsvidare", 50, 50, "2023-09", "2024-09"),
    "p11": (FA, AX, "Enhet X1", "Vårdbiträde", "K", 2000, "tidsbegransad", 100, 100, "2024-01", "2024-09"),
    "p12": (FA, AX, "Enhet X1", "Vårdbiträde", "M", 1998, "tidsbegransad", 100, 100, "2023-09", "2024-09"),
    "p13": (FA, AX, "Enhet X1", "Vårdbiträde", "K", 2001, "timavlonad", None, None, "2023-09", "2024-09"),
    "p14": (
        FA,
        AY,
        "Enhet Y1",
        "Socialsekreterare",
        "K",
        1966,
        "tillsvidare",
        100,
        100,
        "2023-09",
        "2024-09",
    ),
    "p15": (FA, AY, "Enhet Y1", "Socialsekreterare", "M", 1964, "tillsvidare", 100, 90, "2023-09", "2024-09"),
    "p16": (
        FA,
        AY,
        "Enhet Y1",
        "Socialsekreterare",
        "K",
        1992,
        "tidsbegransad",
        60,
        60,
        "2023-09",
        "2024-09",
    ),
    "p17": (FB, AZ, "Enhet Z1", "Förskollärare", "K", 1970, "tillsvidare", 100, 100, "2023-09", "2024-09"),
    "p18": (FB, AZ, "Enhet Z1", "Förskollärare", "M", 1980, "tillsvidare", 100, 100, "2023-09", "2024-09"),
    "p20": (FA, AX, "Enhet X1", "Undersköterska", "M", 1985, "tillsvidare", 100, 100, "2023-09", "2024-02"),
    "p21": (FA, AX, "Enhet X1", "Undersköterska", "K", 1958, "tillsvidare", 100, 100, "2023-09", "2023-12"),
    "p22": (
        FA,
        AY,
        "Enhet Y1",
        "Socialsekreterare",
        "K",
        1990,
        "tillsvidare",
        100,
        100,
        "2023-09",
        "2024-05",
    ),
    "p24": (FA, AX, "Enhet X1", "Vårdbiträde", "K", 1999, "tidsbegransad", 100, 100, "2023-09", "2024-06"),
    "p25": (FB, AZ, "Enhet Z1", "Förskollärare", "M", 1975, "tillsvidare", 100, 100, "2023-09", "2024-03"),
    "p26": (FA, AX, "Enhet X1", "Undersköterska", "M", 1980, "tillsvidare", 100, 100, "2023-09", "2023-09"),
    "p27": (FB, AZ, "Enhet Z1", "Barnskötare", "M", 1985, "tillsvidare", 100, 100, "2023-09", "2024-09"),
    "p28": (FB, AZ, "Enhet Z1", "Barnskötare", "K", 1988, "tillsvidare", 100, 100, "2023-09", "2024-09"),
}

# (person, month): (sjuk, kort, lang)
SICK = {("p02", m): (100.0, 0.0, 100.0) for m in ("2024-01", "2024-02", "2024-03")}
SICK.update(
    {
        ("p01", m): (10.0, 10.0, 0.0)
        for m in [f"2023-{x:02d}" for x in range(9, 13)] + [f"2024-{x:02d}" for x in range(1, 10)]
    }
)
SICK.update(
    {
        ("p09", "2024-02"): (20.0, 20.0, 0.0),
        ("p12", "2023-11"): (8.0, 8.0, 0.0),
        ("p13", "2024-05"): (5.0, 5.0, 0.0),
        ("p14", "2024-06"): (50.0, 14.0, 0.0),
        ("p17", "2024-04"): (10.0, 10.0, 0.0),
        ("p24", "2024-03"): (16.0, 16.0, 0.0),
        ("p27", "2024-09"): (40.0, 14.0, 0.0),
    }
)
ZERO_HOURS = {("p10", "2024-07")}

# (datum, person, handelse, forvaltning, avdelning, enhet, form, vag, orsak)
EVENTS = [
    ("2024-03-01", "p07", "rekrytering", FA, AX, "Enhet X1", "tillsvidare", "extern", None),
    ("2024-02-29", "p20", "avgang", FA, AX, "Enhet X1", "tillsvidare", "extern", "egen_begaran"),
    ("2023-12-31", "p21", "avgang", FA, AX, "Enhet X1", "tillsvidare", "extern", "pension"),
    ("2024-05-31", "p22", "avgang", FA, AY, "Enhet Y1", "tillsvidare", "annan_forvaltning", "egen_begaran"),
    ("2024-04-30", "p05", "avgang", FA, AX, "Enhet X2", "tillsvidare", "intern", "annan"),
    ("2024-05-01", "p05", "rekrytering", FA, AX, "Enhet X1", "tillsvidare", "intern", None),
    ("2024-01-15", "p11", "rekrytering", FA, AX, "Enhet X1", "tidsbegransad", "extern", None),
    ("2024-06-30", "p24", "avgang", FA, AX, "Enhet X1", "tidsbegransad", "extern", "visstid_upphor"),
    ("2024-03-31", "p25", "avgang", FB, AZ, "Enhet Z1", "tillsvidare", "extern", "egen_begaran"),
    ("2023-09-30", "p26", "avgang", FA, AX, "Enhet X1", "tillsvidare", "extern", "egen_begaran"),
    ("2024-10-01", "p29", "rekrytering", FA, AX, "Enhet X1", "tillsvidare", "extern", None),
    ("2023-06-15", "p30", "rekrytering", FA, AY, "Enhet Y1", "tidsbegransad", "extern", None),
]

# (ar, forvaltning, avdelning, enhet, fraga_id, delindex, index, antal_svar, antal_inbjudna)
SURVEY = [
    (2024, FA, AX, "Enhet X1", "q1", "motivation", 80.0, 10, 12),
    (2024, FA, AX, "Enhet X1", "q2", "motivation", 70.0, 9, 12),
    (2024, FA, AX, "Enhet X1", "q3", "ledarskap", 90.0, 10, 12),
    (2024, FA, AX, "Enhet X1", "q4", "styrning", 60.0, 8, 12),
    (2024, FA, AX, "Enhet X1", "q5", None, 50.0, 10, 12),
    (2024, FA, AY, "Enhet Y1", "q1", "motivation", 60.0, 2, 3),
    (2024, FA, AY, "Enhet Y1", "q2", "motivation", 50.0, 2, 3),
    (2024, FA, AY, "Enhet Y1", "q3", "ledarskap", 70.0, 2, 3),
    (2024, FA, AY, "Enhet Y1", "q4", "styrning", 80.0, 1, 3),
    (2024, FA, AY, "Enhet Y1", "q5", None, 40.0, 2, 3),
    (2023, FA, AX, "Enhet X1", "q1", "motivation", 75.0, 10, 12),
    (2023, FA, AX, "Enhet X1", "q3", "ledarskap", 85.0, 10, 12),
    (2025, FA, AX, "Enhet X1", "q1", "motivation", 99.0, 10, 12),
]
QUESTIONS = {
    "q1": "Jag ser fram emot att gå till arbetet",
    "q2": "Jag lär nytt och utvecklas i mitt arbete",
    "q3": "Min närmaste chef visar uppskattning för mitt arbete",
    "q4": "Jag vet vad som förväntas av mig i mitt arbete",
    "q5": "Jag rekommenderar min arbetsplats",
}

# (id, datum, forvaltning, avdelning, enhet, typ, orsak)
INCIDENTS = [
    ("i1", "2023-02-10", FA, AX, "Enhet X1", "tillbud", "hot_och_vald"),
    ("i2", "2023-05-01", FA, AY, "Enhet Y1", "olycksfall", "fall"),
    ("i3", "2023-08-31", FA, AX, "Enhet X1", "tillbud", "hot_och_vald"),
    ("i4", "2024-01-05", FA, AX, "Enhet X1", "riskobservation", "ovrigt"),
    ("i5", "2024-04-30", FA, AX, "Enhet X1", "olycksfall", "hot_och_vald"),
    ("i6", "2024-09-30", FB, AZ, "Enhet Z1", "tillbud", "hot_och_vald"),
    ("i7", "2024-10-01", FA, AX, "Enhet X1", "tillbud", "hot_och_vald"),
    ("i8", "2022-12-31", FA, AX, "Enhet X1", "tillbud", "hot_och_vald"),
    ("i9", "2024-06-15", FA, AY, "Enhet Y1", "tillbud", None),
]

# (id, forvaltning, avdelning, ubaria, maldatum, status, nyckeltal)
ACTIVITIES = [
    ("A1", FA, None, "utveckla", "2024-06-30", "pagar", "sjukfranvaro_total_pct"),
    ("A2", FA, AX, "behalla", "2024-12-31", "ej_paborjad", None),
    ("A3", FA, AY, "rekrytera", "2024-03-31", "klar", None),
    ("A4", FA, AX, "attrahera", "2024-08-31", "installd", None),
    ("A5", FB, None, "introducera", "2024-01-31", "ej_paborjad", None),
    ("A6", FA, AX, "avsluta", "2024-09-30", "pagar", None),
]

# (ar, forvaltning, avdelning, nyckeltal, malvarde)
TARGETS = [
    (2024, FA, None, "sjukfranvaro_total_pct", 6.0),
    (2024, FA, AX, "sjukfranvaro_total_pct", 7.5),
    (2024, FA, None, "sjukfranvaro_kort_pct", 2.0),
    (2024, FB, None, "sjukfranvaro_total_pct", 5.0),
]


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text if len(text) == 10 else text + "-01")


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


def tables() -> dict[str, pa.Table]:
    """Every contract table of the fixture as a pyarrow Table with contract types."""
    anst, franv = [], []
    for pid, (f, a, e, bef, kon, fodd, form, syss, fakt, first, last) in PERSONS.items():
        for m in _months(first, last):
            anst.append(
                {
                    "period": _date(m),
                    "person_id": pid,
                    "forvaltning": f,
                    "avdelning": a,
                    "enhet": e,
                    "befattning": bef,
                    "kon": kon,
                    "fodelsear": fodd,
                    "anstallningsform": form,
                    "sysselsattningsgrad": None if syss is None else float(syss),
                    "faktisk_sysselsattningsgrad": None if fakt is None else float(fakt),
                    "chef": False,
                }
            )
            ordinarie = 0.0 if (pid, m) in ZERO_HOURS else (20.0 if form == "timavlonad" else 100.0)
            sjuk, kort, lang = SICK.get((pid, m), (0.0, 0.0, 0.0))
            franv.append(
                {
                    "period": _date(m),
                    "person_id": pid,
                    "ordinarie_timmar": ordinarie,
                    "sjuk_timmar": sjuk,
                    "sjuk_kort_timmar": kort,
                    "sjuk_lang_timmar": lang,
                }
            )
    anst_schema = pa.schema(
        [
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
            ("faktisk_sysselsattningsgrad", pa.float64()),
            ("chef", pa.bool_()),
        ]
    )
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
    handelser = [
        {
            "datum": _date(d),
            "person_id": p,
            "handelse": h,
            "forvaltning": f,
            "avdelning": a,
            "enhet": e,
            "befattning": PERSONS.get(p, (None,) * 4)[3] or "Undersköterska",
            "anstallningsform": form,
            "kon": PERSONS.get(p, (None,) * 5)[4] or "K",
            "fodelsear": PERSONS.get(p, (None,) * 6)[5] or 1980,
            "vag": vag,
            "orsak": orsak,
        }
        for d, p, h, f, a, e, form, vag, orsak in EVENTS
    ]
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
    enkat = [
        {
            "ar": ar,
            "forvaltning": f,
            "avdelning": a,
            "enhet": e,
            "fraga_id": q,
            "fraga": QUESTIONS[q],
            "delindex": d,
            "index": idx,
            "antal_svar": svar,
            "antal_inbjudna": inb,
        }
        for ar, f, a, e, q, d, idx, svar, inb in SURVEY
    ]
    enkat_schema = pa.schema(
        [
            ("ar", pa.int32()),
            ("forvaltning", pa.string()),
            ("avdelning", pa.string()),
            ("enhet", pa.string()),
            ("fraga_id", pa.string()),
            ("fraga", pa.string()),
            ("delindex", pa.string()),
            ("index", pa.float64()),
            ("antal_svar", pa.int32()),
            ("antal_inbjudna", pa.int32()),
        ]
    )
    inc = [
        {
            "incident_id": i,
            "datum": _date(d),
            "forvaltning": f,
            "avdelning": a,
            "enhet": e,
            "typ": t,
            "orsak": o,
            "befattning": "Undersköterska",
        }
        for i, d, f, a, e, t, o in INCIDENTS
    ]
    inc_schema = pa.schema(
        [
            ("incident_id", pa.string()),
            ("datum", pa.date32()),
            ("forvaltning", pa.string()),
            ("avdelning", pa.string()),
            ("enhet", pa.string()),
            ("typ", pa.string()),
            ("orsak", pa.string()),
            ("befattning", pa.string()),
        ]
    )
    akt = [
        {
            "aktivitet_id": i,
            "forvaltning": f,
            "avdelning": a,
            "ubaria": u,
            "mal": f"Mål för {i}",
            "aktivitet": f"Aktivitet {i}",
            "maldatum": _date(d),
            "ansvarig": "HR-chef",
            "status": s,
            "uppfoljning": None,
            "nyckeltal": n,
            "kompetensomrade": None,
        }
        for i, f, a, u, d, s, n in ACTIVITIES
    ]
    akt_schema = pa.schema(
        [
            ("aktivitet_id", pa.string()),
            ("forvaltning", pa.string()),
            ("avdelning", pa.string()),
            ("ubaria", pa.string()),
            ("mal", pa.string()),
            ("aktivitet", pa.string()),
            ("maldatum", pa.date32()),
            ("ansvarig", pa.string()),
            ("status", pa.string()),
            ("uppfoljning", pa.string()),
            ("nyckeltal", pa.string()),
            ("kompetensomrade", pa.string()),
        ]
    )
    mal = [
        {"ar": ar, "forvaltning": f, "avdelning": a, "nyckeltal": n, "malvarde": v}
        for ar, f, a, n, v in TARGETS
    ]
    mal_schema = pa.schema(
        [
            ("ar", pa.int32()),
            ("forvaltning", pa.string()),
            ("avdelning", pa.string()),
            ("nyckeltal", pa.string()),
            ("malvarde", pa.float64()),
        ]
    )
    return {
        "anstallningar": pa.Table.from_pylist(anst, anst_schema),
        "franvaro": pa.Table.from_pylist(franv, franv_schema),
        "handelser": pa.Table.from_pylist(handelser, hand_schema),
        "medarbetarenkat": pa.Table.from_pylist(enkat, enkat_schema),
        "incidenter": pa.Table.from_pylist(inc, inc_schema),
        "aktiviteter": pa.Table.from_pylist(akt, akt_schema),
        "mal": pa.Table.from_pylist(mal, mal_schema),
    }


def write(directory: Path, only: tuple[str, ...] | None = None) -> Path:
    """Write the fixture's tables as <directory>/<table>.parquet."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, table in tables().items():
        if only is None or name in only:
            pq.write_table(table, directory / f"{name}.parquet")
    return directory
