"""The fixture of fixture_data plus the optional tables only the analysis pages read.

kompetensgap (assessment years 2023–2025), personalprognos, and aktiviteter with kompetensomrade
filled in. The expected values in test_kompetensgap.py and test_rorlighet.py are derived from
these rows by hand.
"""

from __future__ import annotations

from pathlib import Path

import fixture_data
import pyarrow as pa
import pyarrow.parquet as pq
from fixture_data import AX, AY, AZ, FA, FB

TEKNIK, VARD = "Teknik och digitalisering", "Vård och omsorg"

# (ar, forvaltning, avdelning, enhet, kategori, omrade, behov, nulage)
GAPS = [
    (2023, FA, AX, "Enhet X1", TEKNIK, "Digital kompetens", 4, 2),
    (2024, FA, AX, "Enhet X1", TEKNIK, "Digital kompetens", 4, 2),
    (2024, FA, AX, "Enhet X2", TEKNIK, "Digital kompetens", 4, 3),
    (2024, FA, AX, None, VARD, "Demensvård", 5, 3),
    (2024, FA, AY, "Enhet Y1", TEKNIK, "Digital kompetens", 3, 3),
    (2024, FA, AY, "Enhet Y1", None, "Samtalsmetodik", 4, 2),
    (2024, FB, AZ, "Enhet Z1", VARD, "Språkutveckling", 3, 4),
    (2025, FA, AX, "Enhet X1", TEKNIK, "Digital kompetens", 5, 1),
]

# (ar, forvaltning, yrkeskategori, personalbehov, rekryteringsbehov)
PROGNOS = [
    (2024, FA, "Undersköterska", 50, 8),
    (2025, FA, "Undersköterska", 52, 9),
    (2024, FA, "Socialsekreterare", 20, 4),
    (2025, FA, "Socialsekreterare", 21, 5),
    (2024, FB, "Förskollärare", 30, 5),
    (2024, FB, "Undersköterska", 5, 1),
]

# aktivitet_id -> kompetensomrade (A1 and A5 are förvaltningsövergripande)
KOMPETENSOMRADEN = {
    "A1": "Digital kompetens",
    "A2": "Digital kompetens",
    "A3": "Samtalsmetodik",
    "A5": "Ledarskap",
}


def write(directory: Path) -> Path:
    """fixture_data's tables plus kompetensgap and personalprognos, aktiviteter with kompetensomrade."""
    fixture_data.write(directory)
    gap_schema = pa.schema(
        [
            ("ar", pa.int32()),
            ("forvaltning", pa.string()),
            ("avdelning", pa.string()),
            ("enhet", pa.string()),
            ("kategori", pa.string()),
            ("omrade", pa.string()),
            ("behov", pa.int32()),
            ("nulage", pa.int32()),
        ]
    )
    names = gap_schema.names
    pq.write_table(
        pa.Table.from_pylist([dict(zip(names, g, strict=True)) for g in GAPS], gap_schema),
        directory / "kompetensgap.parquet",
    )
    prognos_schema = pa.schema(
        [
            ("ar", pa.int32()),
            ("forvaltning", pa.string()),
            ("yrkeskategori", pa.string()),
            ("personalbehov", pa.int32()),
            ("rekryteringsbehov", pa.int32()),
        ]
    )
    pq.write_table(
        pa.Table.from_pylist(
            [dict(zip(prognos_schema.names, p, strict=True)) for p in PROGNOS], prognos_schema
        ),
        directory / "personalprognos.parquet",
    )
    akt = fixture_data.tables()["aktiviteter"]
    omraden = pa.array([KOMPETENSOMRADEN.get(i) for i in akt.column("aktivitet_id").to_pylist()], pa.string())
    akt = akt.set_column(akt.schema.get_field_index("kompetensomrade"), "kompetensomrade", omraden)
    pq.write_table(akt, directory / "aktiviteter.parquet")
    return directory
