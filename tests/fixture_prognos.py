"""A small hand-built extract set for the rekryteringsbehov forecast (contract section 7).

P = 2024-09; the 12 months ending P are 2023-10 … 2024-09 and the extract covers 2023-09 … 2024-09.
Tillsvidare at P and the leavers in the window, by befattning:

* Undersköterska (Förvaltning A, Avdelning X): u01–u10 at P, born 1958, 1959, 1960, 1961, 1962,
  1962, 1980, 1985, 1990, 1995. Leavers: u11 (to 2024-03, extern, egen begäran: counts), u16 (to
  2024-06, annan förvaltning, uppsagd: counts), u12 (to 2023-12, pension: not counted), u15 (left
  2023-09-30, before the window), u05 moved within the förvaltning (intern: not counted), the
  tidsbegränsad t01 (not counted). Monthly headcount 13, 13, 13, 12, 12, 12, 11, 11, 11, 10, 10, 10:
  mean 11,5, so the avgångsandel is 100 × 2 / 11,5.
* Sjuksköterska (A, X): s01–s04 at P (s01 born 1959), s05 left 2024-08-31 extern: mean 59/12.
* Socialsekreterare (A, Avdelning Y): so01–so06, so01 born 1957, so02 1961; nobody left.
* Förskollärare (Förvaltning B, Avdelning Z): f01–f03 at P and f04 left 2024-01-31 extern: mean
  40/12; the tidsbegränsad f05 is not counted.
* Barnskötare (B, Z): b01–b03, b01 born 1960; nobody left.
* Kock (B, Z): k01 left 2024-02-29; none at P, so no row in the forecast.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

FA, FB = "Förvaltning A", "Förvaltning B"
AX, AY, AZ = "Avdelning X", "Avdelning Y", "Avdelning Z"
X1, Y1, Z1 = "Enhet X1", "Enhet Y1", "Enhet Z1"
FIRST, LAST = "2023-09", "2024-09"

US, SJ, SO, FSK, BSK = "Undersköterska", "Sjuksköterska", "Socialsekreterare", "Förskollärare", "Barnskötare"

# id: (forvaltning, avdelning, enhet, befattning, fodelsear, anstallningsform, first, last)
PERSONS: dict[str, tuple] = {}
for pid, born in zip(
    [f"u{i:02d}" for i in range(1, 11)],
    (1958, 1959, 1960, 1961, 1962, 1962, 1980, 1985, 1990, 1995),
    strict=True,
):
    PERSONS[pid] = (FA, AX, X1, US, born, "tillsvidare", FIRST, LAST)
PERSONS.update(
    {
        "u11": (FA, AX, X1, US, 1982, "tillsvidare", FIRST, "2024-03"),
        "u12": (FA, AX, X1, US, 1958, "tillsvidare", FIRST, "2023-12"),
        "u15": (FA, AX, X1, US, 1990, "tillsvidare", FIRST, "2023-09"),
        "u16": (FA, AX, X1, US, 1988, "tillsvidare", FIRST, "2024-06"),
        "t01": (FA, AX, X1, US, 1996, "tidsbegransad", FIRST, "2024-05"),
        "t02": (FA, AX, X1, US, 1997, "tidsbegransad", FIRST, LAST),
        "s01": (FA, AX, X1, SJ, 1959, "tillsvidare", FIRST, LAST),
        "s02": (FA, AX, X1, SJ, 1985, "tillsvidare", FIRST, LAST),
        "s03": (FA, AX, X1, SJ, 1987, "tillsvidare", FIRST, LAST),
        "s04": (FA, AX, X1, SJ, 1990, "tillsvidare", FIRST, LAST),
        "s05": (FA, AX, X1, SJ, 1980, "tillsvidare", FIRST, "2024-08"),
        "so01": (FA, AY, Y1, SO, 1957, "tillsvidare", FIRST, LAST),
        "so02": (FA, AY, Y1, SO, 1961, "tillsvidare", FIRST, LAST),
        "so03": (FA, AY, Y1, SO, 1975, "tillsvidare", FIRST, LAST),
        "so04": (FA, AY, Y1, SO, 1980, "tillsvidare", FIRST, LAST),
        "so05": (FA, AY, Y1, SO, 1985, "tillsvidare", FIRST, LAST),
        "so06": (FA, AY, Y1, SO, 1990, "tillsvidare", FIRST, LAST),
        "f01": (FB, AZ, Z1, FSK, 1980, "tillsvidare", FIRST, LAST),
        "f02": (FB, AZ, Z1, FSK, 1984, "tillsvidare", FIRST, LAST),
        "f03": (FB, AZ, Z1, FSK, 1988, "tillsvidare", FIRST, LAST),
        "f04": (FB, AZ, Z1, FSK, 1986, "tillsvidare", FIRST, "2024-01"),
        "f05": (FB, AZ, Z1, FSK, 1993, "tidsbegransad", FIRST, LAST),
        "b01": (FB, AZ, Z1, BSK, 1960, "tillsvidare", FIRST, LAST),
        "b02": (FB, AZ, Z1, BSK, 1990, "tillsvidare", FIRST, LAST),
        "b03": (FB, AZ, Z1, BSK, 1992, "tillsvidare", FIRST, LAST),
        "k01": (FB, AZ, Z1, "Kock", 1970, "tillsvidare", FIRST, "2024-02"),
        "v01": (FA, AX, X1, "Vårdbiträde", 2000, "timavlonad", FIRST, LAST),
    }
)

# (datum, person, handelse, vag, orsak); org, befattning and form from PERSONS
EVENTS = [
    ("2024-03-31", "u11", "avgang", "extern", "egen_begaran"),
    ("2024-06-30", "u16", "avgang", "annan_forvaltning", "uppsagd_av_arbetsgivaren"),
    ("2023-12-31", "u12", "avgang", "extern", "pension"),
    ("2023-09-30", "u15", "avgang", "extern", "egen_begaran"),
    ("2024-04-30", "u05", "avgang", "intern", "annan"),
    ("2024-05-01", "u05", "rekrytering", "intern", None),
    ("2024-05-31", "t01", "avgang", "extern", "visstid_upphor"),
    ("2024-08-31", "s05", "avgang", "extern", "egen_begaran"),
    ("2024-01-31", "f04", "avgang", "extern", "egen_begaran"),
    ("2024-02-29", "k01", "avgang", "extern", "egen_begaran"),
]

YRKESKATEGORIER = {
    US: "Vård och omsorg",
    SJ: "Hälso- och sjukvård",
    FSK: "Förskola",
    BSK: "Förskola",
    "Kock": "Kök och måltid",
}

# (ar, forvaltning, yrkeskategori, personalbehov, rekryteringsbehov): an external forecast
PERSONALPROGNOS = [
    (2025, FA, "Vård och omsorg", 11, 6),
    (2026, FA, "Vård och omsorg", 12, 4),
    (2027, FA, "Vård och omsorg", 12, 3),
    (2025, FB, "Förskola", 6, 2),
    (2026, FB, "Förskola", 6, 1),
    (2027, FB, "Förskola", 7, 2),
]


def _months(first: str, last: str) -> list[dt.date]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(dt.date(year, month, 1))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


def tables(extra: tuple[str, ...] = ()) -> dict[str, pa.Table]:
    """The required tables, and with extra also 'yrkeskategorier' and/or 'personalprognos'."""
    anst, franv = [], []
    for pid, (f, a, e, bef, born, form, first, last) in PERSONS.items():
        for period in _months(first, last):
            anst.append(
                {
                    "period": period,
                    "person_id": pid,
                    "forvaltning": f,
                    "avdelning": a,
                    "enhet": e,
                    "befattning": bef,
                    "kon": "K" if int(pid[-1]) % 2 else "M",
                    "fodelsear": born,
                    "anstallningsform": form,
                    "sysselsattningsgrad": None if form == "timavlonad" else 100.0,
                }
            )
            franv.append(
                {
                    "period": period,
                    "person_id": pid,
                    "ordinarie_timmar": 20.0 if form == "timavlonad" else 100.0,
                    "sjuk_timmar": 0.0,
                    "sjuk_kort_timmar": 0.0,
                    "sjuk_lang_timmar": 0.0,
                }
            )
    handelser = []
    for datum, pid, handelse, vag, orsak in EVENTS:
        f, a, e, bef, born, form, _, _ = PERSONS[pid]
        handelser.append(
            {
                "datum": dt.date.fromisoformat(datum),
                "person_id": pid,
                "handelse": handelse,
                "forvaltning": f,
                "avdelning": a,
                "enhet": e,
                "befattning": bef,
                "anstallningsform": form,
                "kon": "K" if int(pid[-1]) % 2 else "M",
                "fodelsear": born,
                "vag": vag,
                "orsak": orsak,
            }
        )
    s, i, d, day = pa.string(), pa.int32(), pa.float64(), pa.date32()
    org = [("forvaltning", s), ("avdelning", s), ("enhet", s)]
    out = {
        "anstallningar": pa.Table.from_pylist(
            anst,
            pa.schema(
                [("period", day), ("person_id", s), *org, ("befattning", s), ("kon", s), ("fodelsear", i)]
                + [("anstallningsform", s), ("sysselsattningsgrad", d)]
            ),
        ),
        "franvaro": pa.Table.from_pylist(
            franv,
            pa.schema(
                [("period", day), ("person_id", s), ("ordinarie_timmar", d), ("sjuk_timmar", d)]
                + [("sjuk_kort_timmar", d), ("sjuk_lang_timmar", d)]
            ),
        ),
        "handelser": pa.Table.from_pylist(
            handelser,
            pa.schema(
                [("datum", day), ("person_id", s), ("handelse", s), *org, ("befattning", s)]
                + [("anstallningsform", s), ("kon", s), ("fodelsear", i), ("vag", s), ("orsak", s)]
            ),
        ),
    }
    if "yrkeskategorier" in extra:
        out["yrkeskategorier"] = pa.table(
            {"befattning": list(YRKESKATEGORIER), "yrkeskategori": list(YRKESKATEGORIER.values())}
        )
    if "personalprognos" in extra:
        out["personalprognos"] = pa.Table.from_pylist(
            [
                {"ar": ar, "forvaltning": f, "yrkeskategori": k, "personalbehov": p, "rekryteringsbehov": r}
                for ar, f, k, p, r in PERSONALPROGNOS
            ],
            pa.schema(
                [("ar", i), ("forvaltning", s), ("yrkeskategori", s), ("personalbehov", i)]
                + [("rekryteringsbehov", i)]
            ),
        )
    return out


def write(directory: Path, extra: tuple[str, ...] = ()) -> Path:
    """Write the tables as <directory>/<table>.parquet."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, table in tables(extra).items():
        pq.write_table(table, directory / f"{name}.parquet")
    return directory
