"""Synthetic extracts for the data contract: a fictional stadsdelsförvaltning, scalable to a kommun.

The generator simulates persons month by month with numpy (one vectorised step per month, no loop
over persons) and streams every month to Parquet, so even scale 800 (≈ 1.3 M employees) runs in
bounded memory. The same seed, scale and period range always give the same table contents.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import math
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from kfp_metrics.kolada import exempel as kolada_exempel
from kfp_metrics.kolada import tabell as kolada_tabell

DEFAULT_SEED = 2024
DEFAULT_SCALE = 1.0
DEFAULT_START = "2021-01"
DEFAULT_END = "2026-10"
FOLDER_SCALE = 30  # from this scale the big tables are folders with one file per year
BURN_IN_MONTHS = 12  # simulated before the start so sick spells and leave are in steady state
SURVEY_MONTH = 9
HOURS_PER_WORKDAY = 7.85  # ≈ 165 hours in an average month at full time
EPOCH = dt.date(1970, 1, 1)

_S = pa.string()
_I = pa.int32()
_D = pa.float64()
_DATE = pa.date32()
_ORG = [("forvaltning", _S), ("avdelning", _S), ("enhet", _S)]

SCHEMAS: dict[str, pa.Schema] = {
    "anstallningar": pa.schema(
        [("period", _DATE), ("person_id", _S), *_ORG, ("befattning", _S), ("kon", _S), ("fodelsear", _I)]
        + [("anstallningsform", _S), ("sysselsattningsgrad", _D), ("faktisk_sysselsattningsgrad", _D)]
        + [("chef", pa.bool_())]
    ),
    "franvaro": pa.schema(
        [("period", _DATE), ("person_id", _S), ("ordinarie_timmar", _D), ("sjuk_timmar", _D)]
        + [("sjuk_kort_timmar", _D), ("sjuk_lang_timmar", _D)]
    ),
    "handelser": pa.schema(
        [("datum", _DATE), ("person_id", _S), ("handelse", _S), *_ORG, ("befattning", _S)]
        + [("anstallningsform", _S), ("kon", _S), ("fodelsear", _I), ("vag", _S), ("orsak", _S)]
    ),
    "medarbetarenkat": pa.schema(
        [("ar", _I), *_ORG, ("fraga_id", _S), ("fraga", _S), ("delindex", _S), ("index", _D)]
        + [("antal_svar", _I), ("antal_inbjudna", _I)]
    ),
    "incidenter": pa.schema(
        [("incident_id", _S), ("datum", _DATE), *_ORG, ("typ", _S), ("orsak", _S), ("befattning", _S)]
    ),
    "kompetensgap": pa.schema(
        [("ar", _I), ("forvaltning", _S), ("avdelning", _S), ("enhet", _S), ("kategori", _S)]
        + [("omrade", _S), ("behov", _I), ("nulage", _I)]
    ),
    "aktiviteter": pa.schema(
        [("aktivitet_id", _S), ("forvaltning", _S), ("avdelning", _S), ("ubaria", _S), ("mal", _S)]
        + [("aktivitet", _S), ("maldatum", _DATE), ("ansvarig", _S), ("status", _S), ("uppfoljning", _S)]
        + [("nyckeltal", _S), ("kompetensomrade", _S)]
    ),
    "mal": pa.schema(
        [("ar", _I), ("forvaltning", _S), ("avdelning", _S), ("nyckeltal", _S), ("malvarde", _D)]
    ),
    "personalprognos": pa.schema(
        [("ar", _I), ("forvaltning", _S), ("yrkeskategori", _S), ("personalbehov", _I)]
        + [("rekryteringsbehov", _I)]
    ),
    "jamforelse": kolada_tabell.SCHEMA,
    "yrkeskategorier": pa.schema([("befattning", _S), ("yrkeskategori", _S)]),
}
TABLES = tuple(SCHEMAS)
BIG_TABLES = ("anstallningar", "franvaro")

FORMS = ("tillsvidare", "tidsbegransad", "timavlonad")
TV, TB, TIM = 0, 1, 2
HANDELSER = ("rekrytering", "avgang")
REK, AVG = 0, 1
VAGAR = ("intern", "annan_forvaltning", "extern")
INTERN, ANNAN_FORV, EXTERN = 0, 1, 2
ORSAKER = ("egen_begaran", "pension", "visstid_upphor", "uppsagd_av_arbetsgivaren", "annan")
EGEN, PENSION, VISSTID, UPPSAGD, ANNAN = 0, 1, 2, 3, 4
NO_CODE = -1

# --- Organisation -------------------------------------------------------------------------------

AVDELNINGAR = ("Förskola", "Äldreomsorg", "Barn och unga", "Vuxna", "Stab")
FSK, ALD, BOU, VUX, STAB = range(5)
N_AVD = len(AVDELNINGAR)

# Per avdelning: sick-absence factors, share of tidsbegränsade, yearly growth, incidents per person-year.
AVD_SHORT = np.array([1.30, 1.25, 0.95, 1.00, 0.65])
AVD_SPELL = np.array([1.15, 1.45, 0.95, 1.05, 0.60])
AVD_TB_SHARE = np.array([0.14, 0.21, 0.09, 0.15, 0.06])  # besides vikariat cover
AVD_GROWTH = np.array([-0.008, 0.015, 0.010, 0.010, 0.005])
AVD_INCIDENTS = np.array([0.18, 0.32, 0.22, 0.30, 0.04])
AVD_SURVEY = np.array([1.0, -1.5, -3.0, 0.0, 2.0])
AVD_SUMMER_TIM = np.array([1.0, 1.4, 1.0, 1.3, 1.0])  # sommarvikarier


@dataclass(frozen=True)
class Befattning:
    """A job title and the traits that drive the simulation."""

    kvinnor: float
    heltid: float
    avgang: float  # yearly share of tillsvidare leaving for another förvaltning or outside
    annan_forvaltning: float  # share of those leavers who go to another förvaltning
    alder: str  # age profile: bas, ung, senior
    kategori: str  # yrkeskategori in personalprognos
    chef: bool = False
    fyllnad: float = 0.45  # monthly chance that a vacancy is filled
    fran_tim: bool = False  # vacancies are often filled by the förvaltning's timavlönade


_OMS = "Undersköterska/vårdbiträde"
_SOC = "Socialsekreterare/biståndshandläggare"
_VARD = "Vårdare/boendestödjare"
_HSL = "Hälso- och sjukvårdspersonal"
_ADM = "Administration och stab"
_CHEF = "Chefer"
_OVR = "Övriga"

BEFATTNINGAR: dict[str, Befattning] = {
    "Barnskötare": Befattning(0.89, 0.66, 0.010, 0.15, "bas", "Barnskötare", fran_tim=True),
    "Förskollärare": Befattning(0.96, 0.82, 0.012, 0.25, "bas", "Förskollärare", fyllnad=0.40),
    "Rektor": Befattning(0.85, 1.0, 0.030, 0.40, "senior", _CHEF, chef=True, fyllnad=0.35),
    "Biträdande rektor": Befattning(0.88, 1.0, 0.036, 0.40, "senior", _CHEF, chef=True, fyllnad=0.35),
    "Kock": Befattning(0.55, 0.88, 0.012, 0.10, "bas", _OVR),
    "Ekonomibiträde": Befattning(0.86, 0.60, 0.014, 0.10, "bas", _OVR),
    "Specialpedagog": Befattning(0.95, 0.95, 0.024, 0.30, "senior", "Förskollärare"),
    "Undersköterska": Befattning(0.89, 0.58, 0.010, 0.15, "bas", _OMS, fran_tim=True),
    "Vårdbiträde": Befattning(0.84, 0.50, 0.014, 0.10, "ung", _OMS, fran_tim=True),
    "Sjuksköterska": Befattning(0.90, 0.85, 0.036, 0.35, "bas", _HSL, fyllnad=0.30),
    "Arbetsterapeut": Befattning(0.90, 0.90, 0.033, 0.35, "bas", _HSL),
    "Fysioterapeut": Befattning(0.70, 0.90, 0.033, 0.35, "bas", _HSL),
    "Aktivitetsledare": Befattning(0.80, 0.80, 0.014, 0.10, "bas", _OVR),
    "Planerare": Befattning(0.80, 0.95, 0.024, 0.20, "bas", _ADM),
    "Biståndshandläggare": Befattning(0.90, 0.94, 0.065, 0.50, "ung", _SOC, fyllnad=0.30),
    "Socialsekreterare": Befattning(0.88, 0.94, 0.115, 0.50, "ung", _SOC, fyllnad=0.30),
    "Familjebehandlare": Befattning(0.84, 0.95, 0.024, 0.35, "bas", _OVR),
    "Behandlingsassistent": Befattning(0.60, 0.90, 0.030, 0.20, "ung", _OVR),
    "Fältassistent": Befattning(0.50, 1.0, 0.042, 0.30, "ung", _OVR),
    "Fritidsledare": Befattning(0.50, 0.80, 0.030, 0.20, "ung", _OVR, fran_tim=True),
    "Vårdare": Befattning(0.68, 0.64, 0.010, 0.15, "bas", _VARD, fran_tim=True),
    "Boendestödjare": Befattning(0.72, 0.78, 0.014, 0.15, "bas", _VARD, fran_tim=True),
    "Personlig assistent": Befattning(0.74, 0.55, 0.018, 0.10, "ung", _VARD, fran_tim=True),
    "Handledare": Befattning(0.66, 0.88, 0.012, 0.15, "bas", _VARD),
    "Jobbcoach": Befattning(0.65, 1.0, 0.030, 0.30, "bas", _OVR),
    "Arbetskonsulent": Befattning(0.60, 1.0, 0.027, 0.30, "bas", _OVR),
    "Biträdande enhetschef": Befattning(0.84, 1.0, 0.045, 0.50, "senior", _CHEF, chef=True, fyllnad=0.35),
    "Enhetschef": Befattning(0.84, 1.0, 0.027, 0.50, "senior", _CHEF, chef=True, fyllnad=0.35),
    "Avdelningschef": Befattning(0.70, 1.0, 0.036, 0.50, "senior", _CHEF, chef=True, fyllnad=0.30),
    "Stadsdelsdirektör": Befattning(0.60, 1.0, 0.048, 0.60, "senior", _CHEF, chef=True, fyllnad=0.30),
    "Administratör": Befattning(0.90, 0.85, 0.012, 0.25, "bas", _ADM),
    "Ekonom": Befattning(0.70, 1.0, 0.036, 0.40, "bas", _ADM),
    "Controller": Befattning(0.60, 1.0, 0.042, 0.45, "bas", _ADM),
    "HR-specialist": Befattning(0.85, 1.0, 0.042, 0.45, "bas", _ADM),
    "Kommunikatör": Befattning(0.75, 1.0, 0.042, 0.40, "bas", _ADM),
    "Utvecklingsledare": Befattning(0.75, 1.0, 0.036, 0.40, "bas", _ADM),
    "Registrator": Befattning(0.85, 0.90, 0.018, 0.20, "bas", _ADM),
    "Jurist": Befattning(0.70, 1.0, 0.042, 0.50, "bas", _ADM),
    "Lokalvårdare": Befattning(0.66, 0.75, 0.014, 0.10, "bas", _OVR),
    "Vaktmästare": Befattning(0.15, 0.95, 0.018, 0.10, "senior", _OVR),
    "Fastighetssamordnare": Befattning(0.40, 1.0, 0.030, 0.30, "bas", _ADM),
}
BEF_NAMES = tuple(BEFATTNINGAR)
KATEGORIER = (
    "Barnskötare",
    "Förskollärare",
    _OMS,
    _VARD,
    _SOC,
    _HSL,
    _CHEF,
    _ADM,
    _OVR,
)
# Expected yearly change in staffing need per yrkeskategori (demography: more elderly, fewer children).
KATEGORI_TREND = (-0.010, -0.006, 0.018, 0.012, 0.010, 0.015, 0.004, 0.002, 0.004)


@dataclass(frozen=True)
class UnitTemplate:
    """A kind of enhet: its avdelning, name(s), instances at scale 1 and staff per instance."""

    avdelning: int
    name: str
    staff: dict[str, int]
    instances: int = 1
    names: tuple[str, ...] = ()
    tim: dict[str, int] = field(default_factory=dict)
    fixed: bool = False  # one instance per förvaltning whatever the size


FORSKOLOR = (
    "Solrosen", "Blåklockan", "Vitsippan", "Lärkan", "Ekorren", "Myran", "Regnbågen", "Stjärnan",
    "Humlan", "Snäckan", "Kastanjen", "Linden", "Tallbacken", "Ängen", "Gläntan", "Kotten", "Pärlan",
    "Fjärilen", "Nyckelpigan", "Trollsländan", "Sjöstjärnan", "Månskenet", "Smultronet", "Blåbäret",
    "Lingonet", "Backsippan", "Prästkragen", "Maskrosen", "Tussilagon", "Näckrosen", "Vallmon",
    "Klövern", "Björken", "Rönnen", "Aspen", "Hasseln", "Svalan", "Trasten", "Ugglan", "Igelkotten",
)  # fmt: skip
HEMTJANST = ("Norr", "Söder", "Centrum", "Väster", "Öster")
BOENDEN = (
    "Ekbacken", "Lindgården", "Rosengården", "Solbacka", "Björkhagen", "Almgården", "Syrenen",
    "Furuhem", "Tallgården", "Sjöglimten", "Strandhem", "Hagtornet",
)  # fmt: skip
GRUPPBOSTADER = ("Kvarnen", "Ängsgården", "Höjden", "Bryggan", "Forsen", "Udden", "Holmen", "Viken")

_U = UnitTemplate
# fmt: off
UNIT_TEMPLATES: tuple[UnitTemplate, ...] = (
    _U(FSK, "Förskolan", {"Rektor": 1, "Biträdande rektor": 1, "Förskollärare": 19, "Barnskötare": 30,
                          "Kock": 1, "Ekonomibiträde": 1},
       instances=11, names=FORSKOLOR, tim={"Barnskötare": 8}),
    _U(FSK, "Ledning och stöd förskola",
       {"Avdelningschef": 1, "Specialpedagog": 5, "Administratör": 2, "Utvecklingsledare": 1}, fixed=True),
    _U(ALD, "Hemtjänst", {"Enhetschef": 1, "Biträdande enhetschef": 2, "Undersköterska": 33, "Vårdbiträde": 18,
                          "Planerare": 2},
       instances=3, names=HEMTJANST, tim={"Vårdbiträde": 15}),
    _U(ALD, "Nattpatrullen", {"Enhetschef": 1, "Undersköterska": 10, "Vårdbiträde": 6}),
    _U(ALD, "Vård- och omsorgsboendet", {"Enhetschef": 1, "Biträdande enhetschef": 2, "Undersköterska": 50,
                                         "Vårdbiträde": 12, "Sjuksköterska": 5, "Aktivitetsledare": 1, "Kock": 3,
                                         "Administratör": 1},
       instances=2, names=BOENDEN, tim={"Undersköterska": 18}),
    _U(ALD, "Förebyggande enheten för äldre", {"Enhetschef": 1, "Undersköterska": 8, "Aktivitetsledare": 6}),
    _U(ALD, "Beställarenheten äldreomsorg",
       {"Enhetschef": 1, "Biträdande enhetschef": 3, "Biståndshandläggare": 42, "Administratör": 2}),
    _U(ALD, "Hälso- och sjukvårdsenheten",
       {"Enhetschef": 1, "Sjuksköterska": 8, "Arbetsterapeut": 6, "Fysioterapeut": 4}),
    _U(ALD, "Ledning och stöd äldreomsorg",
       {"Avdelningschef": 1, "Utvecklingsledare": 2, "Administratör": 2}, fixed=True),
    _U(BOU, "Mottagningsenheten barn och unga",
       {"Enhetschef": 1, "Biträdande enhetschef": 1, "Socialsekreterare": 14, "Administratör": 1}),
    _U(BOU, "Utredningsenheten barn och unga",
       {"Enhetschef": 1, "Biträdande enhetschef": 1, "Socialsekreterare": 20}, instances=3),
    _U(BOU, "Enheten för placerade barn och unga",
       {"Enhetschef": 1, "Biträdande enhetschef": 1, "Socialsekreterare": 16}),
    _U(BOU, "Ungdomsenheten", {"Enhetschef": 1, "Socialsekreterare": 12, "Fältassistent": 6}),
    _U(BOU, "Familjebehandlingsenheten", {"Enhetschef": 1, "Familjebehandlare": 16, "Behandlingsassistent": 6}),
    _U(BOU, "Fritidsenheten", {"Enhetschef": 1, "Fritidsledare": 14}, tim={"Fritidsledare": 10}),
    _U(BOU, "Ledning och stöd barn och unga",
       {"Avdelningschef": 1, "Administratör": 3, "Utvecklingsledare": 1}, fixed=True),
    _U(VUX, "Mottagningsenheten vuxna", {"Enhetschef": 1, "Socialsekreterare": 10, "Administratör": 1}),
    _U(VUX, "Enheten för ekonomiskt bistånd",
       {"Enhetschef": 1, "Biträdande enhetschef": 2, "Socialsekreterare": 32}),
    _U(VUX, "Vuxenenheten", {"Enhetschef": 1, "Biträdande enhetschef": 1, "Socialsekreterare": 22}),
    _U(VUX, "Biståndsenheten funktionsnedsättning",
       {"Enhetschef": 1, "Biträdande enhetschef": 1, "Biståndshandläggare": 22}),
    _U(VUX, "Boendestödsenheten", {"Enhetschef": 1, "Boendestödjare": 50}, tim={"Boendestödjare": 6}),
    _U(VUX, "Gruppbostaden", {"Enhetschef": 1, "Vårdare": 30},
       instances=2, names=GRUPPBOSTADER, tim={"Vårdare": 10}),
    _U(VUX, "Stödboendet Granen", {"Enhetschef": 1, "Vårdare": 24, "Sjuksköterska": 1}, tim={"Vårdare": 6}),
    _U(VUX, "Daglig verksamhet Verkstan", {"Enhetschef": 1, "Handledare": 12, "Vårdare": 12}),
    _U(VUX, "Personlig assistans", {"Enhetschef": 1, "Personlig assistent": 28},
       tim={"Personlig assistent": 10}),
    _U(VUX, "Arbetsmarknadsenheten", {"Enhetschef": 1, "Jobbcoach": 10, "Arbetskonsulent": 6}),
    _U(VUX, "Ledning och stöd vuxna",
       {"Avdelningschef": 1, "Administratör": 2, "Utvecklingsledare": 2}, fixed=True),
    _U(STAB, "Förvaltningsledningen", {"Stadsdelsdirektör": 1, "Administratör": 1}, fixed=True),
    _U(STAB, "Ekonomienheten", {"Enhetschef": 1, "Ekonom": 4, "Controller": 4}, fixed=True),
    _U(STAB, "HR-enheten", {"Enhetschef": 1, "HR-specialist": 8}, fixed=True),
    _U(STAB, "Administrativa enheten",
       {"Enhetschef": 1, "Administratör": 8, "Registrator": 2, "Jurist": 2}, fixed=True),
    _U(STAB, "Kommunikationsenheten", {"Enhetschef": 1, "Kommunikatör": 4}, fixed=True),
    _U(STAB, "Kvalitets- och utvecklingsenheten", {"Enhetschef": 1, "Utvecklingsledare": 6}, fixed=True),
    _U(STAB, "Lokal- och serviceenheten",
       {"Enhetschef": 1, "Lokalvårdare": 12, "Vaktmästare": 6, "Fastighetssamordnare": 2}, fixed=True),
)
# fmt: on
STAFF_FACTOR = 1.01  # non-chef staff per slot relative to the templates, so scale 1 lands near 1 650

PLACE_PREFIXES = (
    "Söder", "Öster", "Väster", "Sjö", "Ek", "Björk", "Lind", "Berg", "Strand", "Hög", "Lång", "Bro",
    "Kvarn", "Ros", "Sol", "Gran", "Äng", "Holm", "Hags", "Ås", "Mal", "Fors", "Stor", "Sand",
)  # fmt: skip
PLACE_SUFFIXES = (
    "dalen", "viken", "berga", "holmen", "hagen", "torp", "åsen", "ängen", "sund", "näset", "backen",
    "lunda", "by", "stad",
)  # fmt: skip


def _forvaltning_names(count: int) -> list[str]:
    """Fictional stadsdelsförvaltningar, the first always Norrdalen; fixed order for every seed."""
    names = ["Norrdalens stadsdelsförvaltning"]
    places = [p + s for p in PLACE_PREFIXES for s in PLACE_SUFFIXES]
    random.Random(7).shuffle(places)
    for i, place in enumerate(places * (1 + count // len(places))):
        if len(names) >= count:
            break
        if i >= len(places):
            place = f"{place} {i // len(places) + 1}"
        genitive = place if place[-1] in "sxz" else place + "s"
        names.append(f"{genitive} stadsdelsförvaltning")
    return names[:count]


def _unit_names(template: UnitTemplate, count: int) -> list[str]:
    """Names for count instances of a template, unique within the förvaltning."""
    if template.names:
        pool = template.names
        return [
            f"{template.name} {pool[i % len(pool)]}" + (f" {i // len(pool) + 1}" if i >= len(pool) else "")
            for i in range(count)
        ]
    if count == 1:
        return [template.name]
    return [f"{template.name} {i + 1}" for i in range(count)]


@dataclass
class Org:
    """Förvaltningar, enheter and staffing slots (enhet × befattning × monthly/hourly paid)."""

    forvaltningar: list[str]
    growth: np.ndarray  # yearly growth per förvaltning
    enhet_names: list[str]
    enhet_forv: np.ndarray
    enhet_avd: np.ndarray
    slot_enhet: np.ndarray
    slot_bef: np.ndarray
    slot_tim: np.ndarray
    slot_base: np.ndarray

    def __post_init__(self) -> None:
        self.slot_forv = self.enhet_forv[self.slot_enhet]
        self.slot_avd = self.enhet_avd[self.slot_enhet]
        self.slot_avdkey = self.slot_forv * N_AVD + self.slot_avd
        self.slot_growth = self.growth[self.slot_forv] + AVD_GROWTH[self.slot_avd]
        self.n_slots = len(self.slot_enhet)


def _forvaltning_sizes(scale: float, rng: np.random.Generator) -> np.ndarray:
    """Size factors of the förvaltningar (1 ≈ one stadsdelsförvaltning of 1 650 månadsavlönade)."""
    if scale < 1.5:
        return np.array([scale])
    count = round(scale) if scale <= 30 else round(30 * math.sqrt(scale / 30))
    weights = rng.lognormal(0.0, 0.25, count)
    return scale * weights / weights.sum()


def _stochastic_round(x: float, rng: np.random.Generator) -> int:
    base = math.floor(x)
    return base + int(rng.random() < x - base)


def build_org(scale: float, rng: np.random.Generator) -> Org:
    """The organisation for a scale: one förvaltning up to scale 1.5, then several."""
    sizes = _forvaltning_sizes(scale, rng)
    names = _forvaltning_names(len(sizes))
    growth = np.where(np.arange(len(sizes)) == 0, 0.0, rng.normal(0.0, 0.004, len(sizes)))
    enhet_names: list[str] = []
    enhet_forv: list[int] = []
    enhet_avd: list[int] = []
    slots: list[tuple[int, int, bool, int]] = []
    for fi, size in enumerate(sizes):
        for template in UNIT_TEMPLATES:
            count = 1 if template.fixed else max(1, math.floor(template.instances * size + 0.5))
            for unit in _unit_names(template, count):
                e = len(enhet_names)
                enhet_names.append(unit)
                enhet_forv.append(fi)
                enhet_avd.append(template.avdelning)
                for staff, hourly in ((template.staff, False), (template.tim, True)):
                    for bef, n in staff.items():
                        chef = BEFATTNINGAR[bef].chef
                        if template.fixed:
                            x = n * (min(size, 1.0) if chef else size * STAFF_FACTOR)
                        else:
                            x = n * template.instances * size / count * (1.0 if chef else STAFF_FACTOR)
                        base = _stochastic_round(x, rng)
                        if base > 0:
                            slots.append((e, BEF_NAMES.index(bef), hourly, base))
    arr = np.array(slots, dtype=np.int64).reshape(-1, 4)
    return Org(
        forvaltningar=names,
        growth=growth,
        enhet_names=enhet_names,
        enhet_forv=np.array(enhet_forv, dtype=np.int32),
        enhet_avd=np.array(enhet_avd, dtype=np.int32),
        slot_enhet=arr[:, 0].astype(np.int32),
        slot_bef=arr[:, 1].astype(np.int32),
        slot_tim=arr[:, 2].astype(bool),
        slot_base=arr[:, 3].astype(np.float64),
    )


# --- Persons ------------------------------------------------------------------------------------

_BEF = [BEFATTNINGAR[b] for b in BEF_NAMES]
BEF_KVINNOR = np.array([b.kvinnor for b in _BEF])
BEF_HELTID = np.array([b.heltid for b in _BEF])
BEF_AVGANG = np.array([b.avgang for b in _BEF])
BEF_ANNAN = np.array([b.annan_forvaltning for b in _BEF])
BEF_CHEF = np.array([b.chef for b in _BEF])
BEF_FYLLNAD = np.array([b.fyllnad for b in _BEF])
BEF_FRAN_TIM = np.array([b.fran_tim for b in _BEF])
BEF_KATEGORI = np.array([KATEGORIER.index(b.kategori) for b in _BEF])
PROFILES = ("bas", "ung", "senior", "tim")
BEF_PROFILE = np.array([PROFILES.index(b.alder) for b in _BEF])
BEF_MOVE = np.where(np.array(BEF_NAMES) == "Socialsekreterare", 0.005, 0.0022)  # monthly internal moves

AGES = np.arange(18, 76)


def _age_weights(bands: dict[tuple[int, int], float]) -> np.ndarray:
    w = np.zeros(len(AGES))
    for (lo, hi), value in bands.items():
        w[(AGES >= lo) & (AGES <= hi)] = value
    return w


_STOCK_WEIGHTS = np.array(
    [
        _age_weights(
            {(20, 24): 1.0, (25, 29): 2.2, (30, 34): 2.7, (35, 39): 2.8, (40, 44): 2.8, (45, 49): 2.9,
             (50, 54): 3.0, (55, 59): 3.3, (60, 64): 3.1, (65, 65): 1.2, (66, 66): 0.6, (67, 67): 0.3}
        ),
        _age_weights(
            {(20, 24): 1.5, (25, 29): 4.2, (30, 34): 4.0, (35, 39): 3.0, (40, 44): 2.2, (45, 49): 1.8,
             (50, 54): 1.5, (55, 59): 1.3, (60, 64): 1.0, (65, 65): 0.3, (66, 66): 0.1, (67, 67): 0.05}
        ),
        _age_weights(
            {(25, 29): 0.2, (30, 34): 1.0, (35, 39): 2.2, (40, 44): 3.0, (45, 49): 3.2, (50, 54): 3.3,
             (55, 59): 3.3, (60, 64): 2.6, (65, 65): 0.8, (66, 66): 0.3, (67, 67): 0.1}
        ),
        _age_weights({(18, 22): 4.0, (23, 29): 3.0, (30, 49): 1.0, (50, 64): 0.8, (65, 72): 0.7}),
    ]
)  # fmt: skip
_RECRUIT_WEIGHTS = _STOCK_WEIGHTS * np.exp(-(AGES - 20) / 16.0) * (AGES <= 66)
_RECRUIT_WEIGHTS[3] = _STOCK_WEIGHTS[3]
STOCK_CDF = np.cumsum(_STOCK_WEIGHTS / _STOCK_WEIGHTS.sum(axis=1, keepdims=True), axis=1)
RECRUIT_CDF = np.cumsum(_RECRUIT_WEIGHTS / _RECRUIT_WEIGHTS.sum(axis=1, keepdims=True), axis=1)

PENSION_AGES = np.array([63, 64, 65, 66, 67, 68])
PENSION_P = np.array([0.04, 0.08, 0.42, 0.24, 0.17, 0.05])
PART_TIME = np.array([50.0, 60.0, 75.0, 80.0, 85.0, 90.0, 95.0])
PART_TIME_P = np.array([0.03, 0.05, 0.25, 0.25, 0.10, 0.25, 0.07])
LEAVE_FACTORS = np.array([0.0, 0.5, 0.75, 0.8])
LEAVE_P = np.array([0.35, 0.25, 0.20, 0.20])
CONTRACT_MONTHS = np.array([3, 6, 6, 6, 9, 12, 12, 12])
BIG = np.iinfo(np.int32).max

# Sick absence: short spells (work days), medium and long spells (calendar days, partial degrees).
SHORT_RATE = 0.085
SHORT_LEN = np.arange(1, 11)
SHORT_LEN_P = np.array([0.26, 0.22, 0.17, 0.10, 0.08, 0.05, 0.04, 0.03, 0.03, 0.02])
SPELL_RATE = 0.0235
SHORT_SEASON = np.array([1.35, 1.40, 1.25, 1.05, 0.90, 0.80, 0.45, 0.75, 1.00, 1.10, 1.20, 1.15])
SPELL_DEGREES = np.array([1.0, 0.75, 0.5, 0.25])
LONG_DEGREE_P = np.array([0.62, 0.10, 0.22, 0.06])
LEAVE_SEASON = np.array([1.1, 0.8, 0.8, 0.8, 0.9, 1.5, 1.3, 1.4, 0.9, 0.8, 0.8, 0.9])


def _year_factor(year: int, month: int) -> float:
    """Extra short-term absence in the pandemic years."""
    if year == 2021:
        return 1.15
    if year == 2022:
        return {1: 1.6, 2: 1.3, 3: 1.1}.get(month, 1.0)
    return 1.0


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def _mix32(counter: np.ndarray, salt: int) -> np.ndarray:
    """A bijection of 32-bit integers: distinct counters give distinct codes."""
    x = (counter.astype(np.uint64) * np.uint64(0x9E3779B1) + np.uint64(salt)) & np.uint64(0xFFFFFFFF)
    x ^= x >> np.uint64(16)
    x = (x * np.uint64(0x85EBCA6B)) & np.uint64(0xFFFFFFFF)
    x ^= x >> np.uint64(13)
    x = (x * np.uint64(0xC2B2AE35)) & np.uint64(0xFFFFFFFF)
    x ^= x >> np.uint64(16)
    return x.astype(np.uint32)


def person_id_array(codes: np.ndarray) -> pa.Array:
    """Pseudonyms "p" + 8 hex digits, built without a Python loop over persons."""
    n = len(codes)
    buf = np.empty((n, 9), dtype=np.uint8)
    buf[:, 0] = ord("p")
    c = codes.astype(np.uint32)
    for i in range(8):
        buf[:, 8 - i] = _HEX[(c >> np.uint32(4 * i)) & np.uint32(0xF)]
    offsets = np.arange(0, 9 * n + 1, 9, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(buf))


class Population:
    """The persons employed right now: one numpy array per attribute, in creation order."""

    FIELDS = {
        "code": np.uint32,
        "slot": np.int32,
        "form": np.int8,
        "female": np.bool_,
        "birth_year": np.int32,
        "birth_month": np.int8,
        "pension_age": np.int32,
        "grade": np.float64,
        "leave": np.float64,
        "frailty": np.float64,
        "contract_end": np.int32,
        "spell_total": np.int32,
        "spell_done": np.int32,
        "spell_degree": np.float64,
        "start_day": np.int32,
        "joined": np.bool_,
        "moved": np.bool_,
    }

    def __init__(self) -> None:
        for name, dtype in self.FIELDS.items():
            setattr(self, name, np.empty(0, dtype=dtype))

    def __len__(self) -> int:
        return len(self.code)

    def append(self, cols: dict[str, np.ndarray]) -> None:
        for name, dtype in self.FIELDS.items():
            setattr(self, name, np.concatenate([getattr(self, name), np.asarray(cols[name], dtype=dtype)]))

    def keep(self, mask: np.ndarray) -> None:
        for name in self.FIELDS:
            setattr(self, name, getattr(self, name)[mask])


# --- Calendar -----------------------------------------------------------------------------------


def _easter(year: int) -> dt.date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    day = (h + el - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def _holidays(year: int) -> list[dt.date]:
    """Swedish public holidays and the eves treated as days off."""
    easter = _easter(year)
    midsummer_eve = next(dt.date(year, 6, d) for d in range(19, 26) if dt.date(year, 6, d).weekday() == 4)
    fixed = [(1, 1), (1, 6), (5, 1), (6, 6), (12, 24), (12, 25), (12, 26), (12, 31)]
    moving = [easter - dt.timedelta(days=2), easter + dt.timedelta(days=1), easter + dt.timedelta(days=39)]
    return [dt.date(year, m, d) for m, d in fixed] + moving + [midsummer_eve]


def _workdays(year: int, month: int) -> int:
    holidays = _holidays(year)
    days = calendar.monthrange(year, month)[1]
    return sum(
        1
        for d in range(1, days + 1)
        if dt.date(year, month, d).weekday() < 5 and dt.date(year, month, d) not in holidays
    )


def parse_month(text: str) -> int:
    """A month index (year × 12 + month − 1) from YYYY-MM."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1990 <= int(match.group(1)) <= 2100:
        raise ValueError(f"ogiltig månad {text!r}, ange ÅÅÅÅ-MM")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def _days(year: int, month: int, day: int = 1) -> int:
    return (dt.date(year, month, day) - EPOCH).days


# --- Output -------------------------------------------------------------------------------------


class TableSink:
    """Streams one table to Parquet: a single file, or a folder with one file per year."""

    FLUSH_ROWS = 1_000_000

    def __init__(self, out: Path, name: str, per_year: bool) -> None:
        self.out, self.name, self.per_year = out, name, per_year
        self.schema = SCHEMAS[name]
        self.rows = 0
        self._writer: pq.ParquetWriter | None = None
        self._year: int | None = None
        self._buffer: list[pa.Table] = []
        self._buffered = 0

    def _path(self, year: int | None) -> Path:
        if self.per_year:
            folder = self.out / self.name
            folder.mkdir(parents=True, exist_ok=True)
            return folder / f"{self.name}_{year}.parquet"
        return self.out / f"{self.name}.parquet"

    def write(self, table: pa.Table, year: int | None = None) -> None:
        if self.per_year and year != self._year:
            self._flush()
            self._close_writer()
        self._year = year
        self._buffer.append(table)
        self._buffered += table.num_rows
        self.rows += table.num_rows
        if self._buffered >= self.FLUSH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        table = pa.concat_tables(self._buffer)
        self._buffer, self._buffered = [], 0
        if self._writer is None:
            self._writer = pq.ParquetWriter(self._path(self._year), self.schema, compression="zstd")
        self._writer.write_table(table)

    def _close_writer(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def close(self) -> int:
        """Flush and close; an empty table still gets a file. Returns the number of rows."""
        self._flush()
        if self._writer is None and not (self.per_year and self.rows):
            self._writer = pq.ParquetWriter(
                self._path(self._year if self.per_year and self._year is not None else 0),
                self.schema,
                compression="zstd",
            )
        self._close_writer()
        return self.rows


class _Strings:
    """Dictionary look-ups turning integer codes into string columns."""

    def __init__(self, values: list[str] | tuple[str, ...]) -> None:
        self.values = pa.array(list(values), type=pa.string())

    def __call__(self, codes: np.ndarray) -> pa.Array:
        codes = np.asarray(codes)
        if codes.size and codes.min() < 0:
            return self.values.take(pa.array(codes.astype(np.int32), mask=codes < 0))
        return self.values.take(pa.array(codes.astype(np.int32)))


def _table(name: str, columns: dict[str, pa.Array]) -> pa.Table:
    schema = SCHEMAS[name]
    return pa.Table.from_arrays([columns[f.name] for f in schema], schema=schema)


def _date_array(days: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(days, dtype=np.int32), type=pa.date32())


# --- Simulation ---------------------------------------------------------------------------------


class Simulator:
    """Month-by-month simulation of every person; writes anstallningar, franvaro, handelser, incidenter."""

    def __init__(self, org: Org, rng: np.random.Generator, m_start: int, m_end: int, sinks: dict) -> None:
        self.org, self.rng, self.sinks = org, rng, sinks
        self.m_start, self.m_end = m_start, m_end
        self.salt = int(rng.integers(0, 2**32))
        self.pop = Population()
        self.next_counter = 0
        self.forv = _Strings(org.forvaltningar)
        self.avd = _Strings(AVDELNINGAR)
        self.enhet = _Strings(org.enhet_names)
        self.bef = _Strings(BEF_NAMES)
        self.kon = _Strings(("M", "K"))
        self.form = _Strings(FORMS)
        self.handelse = _Strings(HANDELSER)
        self.vag = _Strings(VAGAR)
        self.orsak = _Strings(ORSAKER)
        self.survey_invited: dict[int, np.ndarray] = {}
        self.final: dict[str, np.ndarray] = {}
        self.incident_seq: dict[int, int] = {}
        # Monthly-paid slots grouped by (förvaltning, befattning) for internal moves.
        monthly = np.flatnonzero(~org.slot_tim)
        key = org.slot_forv[monthly].astype(np.int64) * len(BEF_NAMES) + org.slot_bef[monthly]
        order = np.argsort(key, kind="stable")
        self.move_slots = monthly[order]
        self.move_keys = key[order]
        self.move_pos = np.full(org.n_slots, -1, dtype=np.int64)
        self.move_pos[self.move_slots] = np.arange(len(monthly))
        # Slots grouped by enhet, weighted by size, to name the befattning of an incident.
        order = np.argsort(org.slot_enhet, kind="stable")
        self.inc_slots = order
        self.inc_cum = np.cumsum(org.slot_base[order])
        self.inc_start = np.searchsorted(org.slot_enhet[order], np.arange(len(org.enhet_names)), "left")
        self.inc_end = np.searchsorted(org.slot_enhet[order], np.arange(len(org.enhet_names)), "right")

    # -- helpers

    def _target(self, m: int) -> np.ndarray:
        years = (m - self.m_start) / 12.0
        return np.floor(self.org.slot_base * (1.0 + self.org.slot_growth * years) + 0.5)

    def _new_codes(self, k: int) -> np.ndarray:
        counters = np.arange(self.next_counter, self.next_counter + k, dtype=np.int64)
        self.next_counter += k
        if self.next_counter >= 2**32:
            raise ValueError("för många personer för 32-bitars pseudonymer")
        return _mix32(counters, self.salt)

    def _ages(self, profile: np.ndarray, recruit: bool) -> np.ndarray:
        cdf = RECRUIT_CDF if recruit else STOCK_CDF
        u = self.rng.random(len(profile))
        ages = np.empty(len(profile), dtype=np.int32)
        for p in range(len(PROFILES)):
            sel = profile == p
            if sel.any():
                ages[sel] = AGES[np.minimum(np.searchsorted(cdf[p], u[sel], "right"), len(AGES) - 1)]
        return ages

    def _grades(self, bef: np.ndarray, bonus: float) -> np.ndarray:
        full = self.rng.random(len(bef)) < np.minimum(BEF_HELTID[bef] + bonus, 1.0)
        part = self.rng.choice(PART_TIME, size=len(bef), p=PART_TIME_P)
        return np.where(full, 100.0, part)

    def _contract_end(self, m: int, k: int, stock: bool) -> np.ndarray:
        months = self.rng.choice(CONTRACT_MONTHS, size=k)
        if stock:
            months = np.ceil(months * self.rng.random(k)).astype(np.int64)
        return m + months - 1

    def _persons(self, slots: np.ndarray, forms: np.ndarray, m: int, recruit: bool, start_day) -> dict:
        """Attribute columns for new persons in the given slots."""
        rng, k = self.rng, len(slots)
        year = m // 12
        bef = self.org.slot_bef[slots]
        hourly = forms == TIM
        profile = np.where(hourly, PROFILES.index("tim"), BEF_PROFILE[bef])
        ages = self._ages(profile, recruit)
        drawn = rng.choice(PENSION_AGES, size=k, p=PENSION_P)
        grade = np.where(hourly, np.nan, self._grades(bef, 0.04 if recruit else 0.0))
        leave = np.ones(k)
        if not recruit:
            on_leave = ~hourly & (rng.random(k) < 0.07)
            leave[on_leave] = rng.choice(LEAVE_FACTORS, size=int(on_leave.sum()), p=LEAVE_P)
        contract = np.where(forms == TB, self._contract_end(m, k, not recruit), BIG)
        return {
            "code": self._new_codes(k),
            "slot": slots,
            "form": forms,
            "female": rng.random(k) < BEF_KVINNOR[bef],
            "birth_year": year - ages,
            "birth_month": rng.integers(1, 13, k),
            "pension_age": np.maximum(drawn, ages),
            "grade": grade,
            "leave": leave,
            "frailty": rng.gamma(1.6, 1 / 1.6, k),
            "contract_end": contract,
            "spell_total": np.zeros(k),
            "spell_done": np.zeros(k),
            "spell_degree": np.zeros(k),
            "start_day": np.broadcast_to(start_day, (k,)),
            "joined": np.full(k, recruit),
            "moved": np.zeros(k, dtype=bool),
        }

    def _events(self, idx: np.ndarray, handelse: int, vag, orsak, datum) -> dict:
        pop, k = self.pop, len(idx)
        return {
            "datum": np.broadcast_to(np.asarray(datum, dtype=np.int32), (k,)).copy(),
            "code": pop.code[idx].copy(),
            "handelse": np.full(k, handelse, dtype=np.int8),
            "slot": pop.slot[idx].copy(),
            "form": pop.form[idx].copy(),
            "female": pop.female[idx].copy(),
            "birth_year": pop.birth_year[idx].copy(),
            "vag": np.broadcast_to(np.asarray(vag, dtype=np.int8), (k,)).copy(),
            "orsak": np.broadcast_to(np.asarray(orsak, dtype=np.int8), (k,)).copy(),
        }

    def _pick(self, member_keys: np.ndarray, members: np.ndarray, wanted: np.ndarray) -> np.ndarray:
        """For each wanted key a random distinct member with that key, else −1."""
        if not len(wanted):
            return np.empty(0, dtype=np.int64)
        if not len(members):
            return np.full(len(wanted), -1, dtype=np.int64)
        order = np.argsort(member_keys, kind="stable")
        keys, sorted_members = member_keys[order], members[order]
        lo = np.searchsorted(keys, wanted, "left")
        size = np.searchsorted(keys, wanted, "right") - lo
        r = np.minimum(lo + (self.rng.random(len(wanted)) * size).astype(np.int64), len(keys) - 1)
        chosen = np.where(size > 0, sorted_members[r], -1).astype(np.int64)
        _, first = np.unique(chosen, return_index=True)
        duplicate = np.ones(len(chosen), dtype=bool)
        duplicate[first] = False
        chosen[duplicate] = -1
        return chosen

    # -- the month

    def run(self) -> None:
        """Simulate the burn-in and every month of the range."""
        first = self.m_start - BURN_IN_MONTHS
        self._initial_stock(first)
        for m in range(first, self.m_end + 1):
            self._step(m)

    def _initial_stock(self, m: int) -> None:
        org, rng = self.org, self.rng
        target = self._target(m).astype(np.int64)
        slots = np.repeat(np.arange(org.n_slots, dtype=np.int32), target)
        tb = rng.random(len(slots)) < AVD_TB_SHARE[org.slot_avd[slots]]
        forms = np.where(org.slot_tim[slots], TIM, np.where(tb, TB, TV)).astype(np.int8)
        pop = self.pop
        pop.append(self._persons(slots, forms, m, recruit=False, start_day=1))
        # Long sick spells already under way, so the first years are in steady state.
        ill = (pop.form != TIM) & (rng.random(len(pop)) < 0.04 * AVD_SPELL[org.slot_avd[pop.slot]])
        k = int(ill.sum())
        total = self._long_days(k)
        pop.spell_total[ill] = total
        pop.spell_done[ill] = (rng.random(k) * total).astype(np.int64)
        pop.spell_degree[ill] = rng.choice(SPELL_DEGREES, size=k, p=LONG_DEGREE_P)

    def _long_days(self, k: int) -> np.ndarray:
        """Durations in calendar days of sick spells lasting 60 days or more."""
        return np.minimum(60 + self.rng.lognormal(math.log(90.0), 0.9, k), 730).astype(np.int64)

    def _step(self, m: int) -> None:
        org, rng, pop = self.org, self.rng, self.pop
        year, month = divmod(m, 12)
        month += 1
        n_days = calendar.monthrange(year, month)[1]
        first_day = _days(year, month)
        write = m >= self.m_start
        allow_moves = self.m_start <= m < self.m_end
        events: list[dict] = []

        pop.start_day[:] = 1
        pop.joined[:] = False

        # Moves decided last month start today.
        moved = np.flatnonzero(pop.moved)
        if moved.size:
            events.append(self._events(moved, REK, INTERN, NO_CODE, first_day))
            pop.moved[moved] = False
            pop.joined[moved] = True

        self._fill_vacancies(m, first_day, events)
        self._fill_hourly(m)
        self._update_states(year)

        n = len(pop)
        monthly = pop.form != TIM
        bef = org.slot_bef[pop.slot]
        age = year - pop.birth_year
        eligible = monthly & ~pop.joined
        end_day = np.full(n, n_days, dtype=np.int32)
        leaving = np.zeros(n, dtype=bool)
        vag = np.full(n, EXTERN, dtype=np.int8)
        orsak = np.full(n, NO_CODE, dtype=np.int8)

        pension = eligible & (
            (age > pop.pension_age) | ((age == pop.pension_age) & (month >= pop.birth_month))
        )
        leaving |= pension
        orsak[pension] = PENSION

        contract_over = eligible & ~pension & (pop.form == TB) & (pop.contract_end <= m)
        u = rng.random(n)
        convert = contract_over & (u < 0.08) & allow_moves
        counts = np.bincount(pop.slot[monthly], minlength=org.n_slots)
        target = np.where(org.slot_tim, 0, self._target(m))
        room = counts <= target + self._leave_cover(target)
        extend = contract_over & ~convert & (u < 0.90) & room[pop.slot]
        stop = contract_over & ~convert & ~extend
        pop.contract_end[extend] = self._contract_end(m + 1, int(extend.sum()), stock=False)
        leaving |= stop
        orsak[stop] = VISSTID
        vag[stop] = np.where(rng.random(int(stop.sum())) < 0.2, ANNAN_FORV, EXTERN)

        age_factor = np.where(age < 30, 1.6, np.where(age < 50, 1.0, 0.55))
        p_year = np.minimum(BEF_AVGANG[bef] * age_factor, 0.9)
        p_month = (1.0 - (1.0 - p_year) ** (1 / 12)) * LEAVE_SEASON[month - 1]
        quit_tv = eligible & ~leaving & (pop.form == TV) & (rng.random(n) < p_month)
        quit_tb = eligible & ~leaving & ~contract_over & (pop.form == TB) & (rng.random(n) < 0.012)
        quit_ = quit_tv | quit_tb
        k = int(quit_.sum())
        vag[quit_] = np.where(rng.random(k) < BEF_ANNAN[bef[quit_]], ANNAN_FORV, EXTERN)
        orsak[quit_] = rng.choice(np.array([EGEN, UPPSAGD, ANNAN]), size=k, p=[0.87, 0.03, 0.10])
        end_day[quit_] = np.where(rng.random(k) < 0.55, n_days, rng.integers(1, n_days, k))
        leaving |= quit_

        hourly = (pop.form == TIM) & ~pop.joined
        tim_count = np.bincount(pop.slot[pop.form == TIM], minlength=org.n_slots)
        tim_target = self._hourly_target(m)
        excess = np.where(tim_count > 0, np.maximum(tim_count - tim_target, 0) / np.maximum(tim_count, 1), 0)
        p_tim = 0.035 + 0.5 * excess[pop.slot] + 0.15 * (age > 70)
        tim_leave = hourly & (rng.random(n) < p_tim)
        end_day[tim_leave] = rng.integers(1, n_days + 1, int(tim_leave.sum()))

        # Internal moves of tillsvidare to another enhet with the same befattning.
        move_idx = np.empty(0, dtype=np.int64)
        dest = np.empty(0, dtype=np.int64)
        if allow_moves:
            cand = np.flatnonzero(eligible & ~leaving & (pop.form == TV) & (rng.random(n) < BEF_MOVE[bef]))
            slot = pop.slot[cand]
            key = org.slot_forv[slot].astype(np.int64) * len(BEF_NAMES) + org.slot_bef[slot]
            lo = np.searchsorted(self.move_keys, key, "left")
            size = np.searchsorted(self.move_keys, key, "right") - lo
            r = lo + (rng.random(len(cand)) * np.maximum(size - 1, 0)).astype(np.int64)
            r = np.where(r >= self.move_pos[slot], r + 1, r)
            ok = size >= 2
            move_idx, dest = cand[ok], self.move_slots[np.minimum(r[ok], len(self.move_slots) - 1)]

        hours = self._hours(year, month, n_days, end_day, monthly)

        if write:
            self._write_month(m, first_day, hours)
            self._incidents(year, month, n_days, first_day)
            if month == SURVEY_MONTH:
                self.survey_invited[year] = np.bincount(
                    org.slot_enhet[pop.slot[monthly]], minlength=len(org.enhet_names)
                )
            gone = np.flatnonzero(leaving)
            events.append(self._events(gone, AVG, vag[gone], orsak[gone], first_day + end_day[gone] - 1))
            conv = np.flatnonzero(convert)
            events.append(self._events(conv, AVG, INTERN, VISSTID, first_day + n_days - 1))
            mv_orsak = np.where(rng.random(len(move_idx)) < 0.9, EGEN, ANNAN)
            events.append(self._events(move_idx, AVG, INTERN, mv_orsak, first_day + n_days - 1))
            self._write_events(events, year)
        if m == self.m_end:
            self._snapshot(year)

        pop.slot[move_idx] = dest
        pop.moved[move_idx] = True
        pop.form[convert] = TV
        pop.contract_end[convert] = BIG
        pop.moved[convert] = True
        pop.keep(~(leaving | tim_leave))

    def _leave_cover(self, target: np.ndarray) -> np.ndarray:
        """Extra positions per slot for vikarier covering monthly-paid staff on leave."""
        pop = self.pop
        monthly = pop.form != TIM
        absent = np.bincount(pop.slot[monthly], weights=1.0 - pop.leave[monthly], minlength=self.org.n_slots)
        return np.where(target > 0, np.floor(0.8 * absent + 0.5), 0)

    def _hourly_target(self, m: int) -> np.ndarray:
        month = m % 12 + 1
        summer = np.where(month in (6, 7, 8), AVD_SUMMER_TIM[self.org.slot_avd], 1.0)
        return np.where(self.org.slot_tim, np.floor(self._target(m) * summer + 0.5), 0)

    def _fill_vacancies(self, m: int, first_day: int, events: list[dict]) -> None:
        org, rng, pop = self.org, self.rng, self.pop
        monthly = pop.form != TIM
        counts = np.bincount(pop.slot[monthly], minlength=org.n_slots)
        target = np.where(org.slot_tim, 0, self._target(m))
        cover = self._leave_cover(target)
        gap = np.maximum(target - counts, 0).astype(np.int64)
        gap_cover = np.maximum(target + cover - counts, 0).astype(np.int64) - gap
        fill = rng.binomial(gap, BEF_FYLLNAD[org.slot_bef])
        fill_cover = rng.binomial(gap_cover, BEF_FYLLNAD[org.slot_bef])
        slot_ids = np.arange(org.n_slots, dtype=np.int32)
        slots = np.concatenate([np.repeat(slot_ids, fill), np.repeat(slot_ids, fill_cover)])
        k = len(slots)
        if not k:
            return
        is_cover = np.arange(k) >= fill.sum()
        bef = org.slot_bef[slots]
        # Keep the share of tidsbegränsade near the avdelning's level.
        keys = org.slot_avdkey[pop.slot[monthly]]
        n_keys = len(org.forvaltningar) * N_AVD
        total = np.bincount(keys, minlength=n_keys)
        tb = np.bincount(keys, weights=pop.form[monthly] == TB, minlength=n_keys)
        covered = np.bincount(org.slot_avdkey, weights=cover, minlength=n_keys)
        share = (tb - covered) / np.maximum(total, 1)
        target_share = np.tile(AVD_TB_SHARE, len(org.forvaltningar))
        p_tb = np.clip(0.35 + 3.0 * (target_share - share), 0.03, 0.9)
        forms = np.where(is_cover | (rng.random(k) < p_tb[org.slot_avdkey[slots]]), TB, TV).astype(np.int8)

        from_tim = BEF_FRAN_TIM[bef] & (rng.random(k) < 0.35)
        annan = rng.random(k) < BEF_ANNAN[bef] * 0.5
        hourly = np.flatnonzero((pop.form == TIM) & (m // 12 - pop.birth_year < 60))
        want = np.flatnonzero(from_tim)
        chosen = self._pick(org.slot_avdkey[pop.slot[hourly]], hourly, org.slot_avdkey[slots[want]])
        got = chosen >= 0
        conv_idx, conv_slots = chosen[got], slots[want[got]]
        if conv_idx.size:
            ages = m // 12 - pop.birth_year[conv_idx]
            pop.slot[conv_idx] = conv_slots
            pop.form[conv_idx] = forms[want[got]]
            pop.grade[conv_idx] = self._grades(org.slot_bef[conv_slots], 0.04)
            pop.leave[conv_idx] = 1.0
            pop.contract_end[conv_idx] = np.where(
                forms[want[got]] == TB, self._contract_end(m, len(conv_idx), stock=False), BIG
            )
            pop.pension_age[conv_idx] = np.maximum(pop.pension_age[conv_idx], ages + 1)
            pop.joined[conv_idx] = True
            if m >= self.m_start:
                events.append(self._events(conv_idx, REK, INTERN, NO_CODE, first_day))
        new = np.ones(k, dtype=bool)
        new[want[got]] = False
        new_idx = np.flatnonzero(new)
        start_day = np.where(rng.random(len(new_idx)) < 0.55, 1, rng.integers(2, 29, len(new_idx)))
        cols = self._persons(slots[new_idx], forms[new_idx], m, recruit=True, start_day=start_day)
        before = len(pop)
        pop.append(cols)
        if m >= self.m_start:
            idx = np.arange(before, len(pop))
            vag = np.where(annan[new_idx], ANNAN_FORV, EXTERN)
            events.append(self._events(idx, REK, vag, NO_CODE, first_day + start_day - 1))

    def _fill_hourly(self, m: int) -> None:
        org, rng, pop = self.org, self.rng, self.pop
        counts = np.bincount(pop.slot[pop.form == TIM], minlength=org.n_slots)
        gap = np.maximum(self._hourly_target(m) - counts, 0).astype(np.int64)
        fill = rng.binomial(gap, 0.8)
        slots = np.repeat(np.arange(org.n_slots, dtype=np.int32), fill)
        if len(slots):
            start_day = rng.integers(1, 29, len(slots))
            forms = np.full(len(slots), TIM, dtype=np.int8)
            pop.append(self._persons(slots, forms, m, recruit=True, start_day=start_day))

    def _update_states(self, year: int) -> None:
        rng, pop = self.rng, self.pop
        n = len(pop)
        monthly = pop.form != TIM
        age = year - pop.birth_year
        on_leave = monthly & (pop.leave < 1.0)
        back = on_leave & (rng.random(n) < 0.12)
        pop.leave[back] = 1.0
        p_start = np.where(age < 45, np.where(pop.female, 0.011, 0.005), 0.002)
        start = monthly & ~on_leave & ~pop.joined & (rng.random(n) < p_start)
        pop.leave[start] = rng.choice(LEAVE_FACTORS, size=int(start.sum()), p=LEAVE_P)
        # Heltid som norm: part-timers gradually move to full time.
        up = monthly & (pop.grade < 100.0) & (rng.random(n) < 0.0025)
        pop.grade[up] = 100.0

    def _hours(self, year: int, month: int, n_days: int, end_day: np.ndarray, monthly: np.ndarray):
        """Ordinary and sick hours for every person this month, in exact quarter hours."""
        org, rng, pop = self.org, self.rng, self.pop
        n = len(pop)
        workdays = _workdays(year, month)
        avd = org.slot_avd[pop.slot]
        age = year - pop.birth_year
        emp_days = np.maximum(end_day - pop.start_day + 1, 1)
        frac = emp_days / n_days
        faktisk = np.floor(pop.grade * pop.leave * 4.0) / 4.0
        tim_hours = np.clip(rng.gamma(2.0, 22.0, n), 4.0, 140.0)
        ordinarie = np.where(monthly, workdays * HOURS_PER_WORKDAY * faktisk / 100.0, tim_hours) * frac
        ordinarie = np.floor(ordinarie * 4.0 + 0.5) / 4.0

        # Medium and long spells (15+ calendar days), carried over months.
        season_short = SHORT_SEASON[month - 1] * _year_factor(year, month)
        season_spell = 1.0 + 0.35 * (SHORT_SEASON[month - 1] - 1.0)
        sex_spell = np.where(pop.female, 1.2, 0.6)
        age_spell = np.where(age < 30, 0.6, np.where(age < 50, 1.0, 1.4))
        p_spell = SPELL_RATE * AVD_SPELL[avd] * sex_spell * age_spell * pop.frailty * season_spell
        ongoing = pop.spell_total > 0
        new = monthly & ~ongoing & (ordinarie > 0) & (rng.random(n) < p_spell)
        k = int(new.sum())
        long_share = np.where(age[new] < 30, 0.15, np.where(age[new] < 50, 0.21, 0.27))
        is_long = rng.random(k) < long_share
        medium_days = np.minimum(15 + rng.geometric(1 / 20.0, k) - 1, 59)
        long_days = self._long_days(k)
        pop.spell_total[new] = np.where(is_long, long_days, medium_days)
        pop.spell_done[new] = 0
        pop.spell_degree[new] = np.where(
            is_long,
            rng.choice(SPELL_DEGREES, size=k, p=LONG_DEGREE_P),
            np.where(rng.random(k) < 0.85, 1.0, 0.5),
        )
        spell_start = np.ones(n, dtype=np.int64)
        spell_start[new] = np.maximum(rng.integers(1, n_days + 1, k), pop.start_day[new])
        active = pop.spell_total > 0
        done = pop.spell_done.astype(np.int64)
        covered = np.where(active, np.minimum(pop.spell_total - done, n_days - spell_start + 1), 0)
        kort_days = np.clip(np.minimum(done + covered, 14) - done, 0, None)
        lang_days = np.where(pop.spell_total >= 60, covered - kort_days, 0)
        last = spell_start + covered - 1
        overlap = np.clip(np.minimum(last, end_day) - np.maximum(spell_start, pop.start_day) + 1, 0, None)
        share = np.where(covered > 0, overlap / np.maximum(covered, 1), 0.0)
        per_day = ordinarie / emp_days * pop.spell_degree
        spell_h = np.where(active, overlap * per_day, 0.0)
        kort_h = np.where(active, kort_days * share * per_day, 0.0)
        lang_h = np.where(active, lang_days * share * per_day, 0.0)
        pop.spell_done[:] = done + covered
        finished = active & (pop.spell_done >= pop.spell_total)
        pop.spell_total[finished] = 0
        pop.spell_done[finished] = 0

        # Short spells (1–10 work days), all of them day 1–14 absence.
        sex_short = np.where(pop.female, 1.1, 0.75)
        age_short = np.where(age < 30, 1.25, np.where(age < 50, 1.0, 0.85))
        lam = SHORT_RATE * AVD_SHORT[avd] * sex_short * age_short * pop.frailty * season_short * frac
        lam = np.where(monthly, lam, lam * 0.5)
        counts = rng.poisson(lam)
        lengths = rng.choice(SHORT_LEN, size=int(counts.sum()), p=SHORT_LEN_P)
        short_days = np.bincount(np.repeat(np.arange(n), counts), weights=lengths, minlength=n)
        per_workday = np.where(monthly, HOURS_PER_WORKDAY * faktisk / 100.0, 7.0)
        short_h = np.minimum(short_days * per_workday, np.maximum(ordinarie - spell_h, 0.0))

        # Exact quarter hours so that the contract's inequalities hold without rounding error.
        ord_q = np.floor(ordinarie * 4.0 + 0.5).astype(np.int64)
        kort_q = np.floor((kort_h + short_h) * 4.0 + 0.5).astype(np.int64)
        lang_q = np.floor(lang_h * 4.0 + 0.5).astype(np.int64)
        other_q = np.maximum(np.floor((spell_h - kort_h - lang_h) * 4.0 + 0.5).astype(np.int64), 0)
        excess = np.maximum(kort_q + lang_q + other_q - ord_q, 0)
        cut = np.minimum(excess, other_q)
        other_q -= cut
        excess -= cut
        cut = np.minimum(excess, kort_q)
        kort_q -= cut
        excess -= cut
        lang_q -= np.minimum(excess, lang_q)
        return {
            "ordinarie": ord_q / 4.0,
            "sjuk": (kort_q + lang_q + other_q) / 4.0,
            "kort": kort_q / 4.0,
            "lang": lang_q / 4.0,
            "faktisk": faktisk,
        }

    def _write_month(self, m: int, first_day: int, hours: dict) -> None:
        org, pop = self.org, self.pop
        n = len(pop)
        year = m // 12
        period = _date_array(np.full(n, first_day))
        pid = person_id_array(pop.code)
        hourly = pop.form == TIM
        bef = org.slot_bef[pop.slot]
        anst = _table(
            "anstallningar",
            {
                "period": period,
                "person_id": pid,
                "forvaltning": self.forv(org.slot_forv[pop.slot]),
                "avdelning": self.avd(org.slot_avd[pop.slot]),
                "enhet": self.enhet(org.slot_enhet[pop.slot]),
                "befattning": self.bef(bef),
                "kon": self.kon(pop.female.astype(np.int8)),
                "fodelsear": pa.array(pop.birth_year.astype(np.int32)),
                "anstallningsform": self.form(pop.form),
                "sysselsattningsgrad": pa.array(pop.grade, mask=hourly),
                "faktisk_sysselsattningsgrad": pa.array(hours["faktisk"], mask=hourly),
                "chef": pa.array(BEF_CHEF[bef] & ~hourly),
            },
        )
        franvaro = _table(
            "franvaro",
            {
                "period": period,
                "person_id": pid,
                "ordinarie_timmar": pa.array(hours["ordinarie"]),
                "sjuk_timmar": pa.array(hours["sjuk"]),
                "sjuk_kort_timmar": pa.array(hours["kort"]),
                "sjuk_lang_timmar": pa.array(hours["lang"]),
            },
        )
        self.sinks["anstallningar"].write(anst, year)
        self.sinks["franvaro"].write(franvaro, year)

    def _write_events(self, events: list[dict], year: int) -> None:
        ev = {key: np.concatenate([e[key] for e in events]) for key in events[0]}
        if not len(ev["datum"]):
            return
        order = np.argsort(ev["datum"], kind="stable")
        ev = {key: value[order] for key, value in ev.items()}
        slot = ev["slot"]
        table = _table(
            "handelser",
            {
                "datum": _date_array(ev["datum"]),
                "person_id": person_id_array(ev["code"]),
                "handelse": self.handelse(ev["handelse"]),
                "forvaltning": self.forv(self.org.slot_forv[slot]),
                "avdelning": self.avd(self.org.slot_avd[slot]),
                "enhet": self.enhet(self.org.slot_enhet[slot]),
                "befattning": self.bef(self.org.slot_bef[slot]),
                "anstallningsform": self.form(ev["form"]),
                "kon": self.kon(ev["female"].astype(np.int8)),
                "fodelsear": pa.array(ev["birth_year"].astype(np.int32)),
                "vag": self.vag(ev["vag"]),
                "orsak": self.orsak(ev["orsak"]),
            },
        )
        self.sinks["handelser"].write(table, year)

    def _incidents(self, year: int, month: int, n_days: int, first_day: int) -> None:
        org, rng, pop = self.org, self.rng, self.pop
        staff = np.bincount(org.slot_enhet[pop.slot], minlength=len(org.enhet_names))
        season = INCIDENT_SEASON[month - 1]
        counts = rng.poisson(staff * AVD_INCIDENTS[org.enhet_avd] / 12.0 * season)
        enhet = np.repeat(np.arange(len(org.enhet_names)), counts)
        k = len(enhet)
        if not k:
            return
        avd = org.enhet_avd[enhet]
        typ = np.searchsorted(INCIDENT_TYP_CDF, rng.random(k), "right")
        typ = np.minimum(typ, len(INCIDENT_TYPER) - 1)
        cdf = INCIDENT_ORSAK_CDF[avd]
        orsak = np.minimum((rng.random(k)[:, None] >= cdf).sum(axis=1), len(INCIDENT_ORSAKER))
        commute = typ == INCIDENT_TYPER.index("fardolycksfall")
        orsak[commute] = np.where(
            rng.random(int(commute.sum())) < 0.7,
            INCIDENT_ORSAKER.index("trafik"),
            INCIDENT_ORSAKER.index("fall"),
        )
        orsak = np.where(orsak >= len(INCIDENT_ORSAKER), NO_CODE, orsak)
        lo, hi = self.inc_start[enhet], self.inc_end[enhet]
        cum_lo = np.where(lo > 0, self.inc_cum[np.maximum(lo - 1, 0)], 0.0)
        cum_hi = self.inc_cum[np.maximum(hi - 1, 0)]
        pick = np.searchsorted(self.inc_cum, cum_lo + rng.random(k) * (cum_hi - cum_lo), "right")
        bef = org.slot_bef[self.inc_slots[np.clip(pick, lo, hi - 1)]]
        bef = np.where(rng.random(k) < 0.06, NO_CODE, bef)
        day = rng.integers(1, n_days + 1, k)
        seq0 = self.incident_seq.get(year, 0)
        self.incident_seq[year] = seq0 + k
        ids = pa.array([f"IA-{year}-{i:05d}" for i in range(seq0 + 1, seq0 + k + 1)], type=pa.string())
        order = np.argsort(day, kind="stable")
        table = _table(
            "incidenter",
            {
                "incident_id": ids,
                "datum": _date_array(first_day + day[order] - 1),
                "forvaltning": self.forv(org.enhet_forv[enhet[order]]),
                "avdelning": self.avd(avd[order]),
                "enhet": self.enhet(enhet[order]),
                "typ": _Strings(INCIDENT_TYPER)(typ[order]),
                "orsak": _Strings(INCIDENT_ORSAKER)(orsak[order]),
                "befattning": self.bef(bef[order]),
            },
        )
        self.sinks["incidenter"].write(table, year)

    def _snapshot(self, year: int) -> None:
        """Staff by förvaltning, yrkeskategori and pension year at the last month, for the forecast."""
        org, pop = self.org, self.pop
        monthly = pop.form != TIM
        forv = org.slot_forv[pop.slot[monthly]]
        kat = BEF_KATEGORI[org.slot_bef[pop.slot[monthly]]]
        self.final = {"forv": forv, "kategori": kat, "pension_year": pop.birth_year[monthly] + 65}


INCIDENT_TYPER = ("olycksfall", "fardolycksfall", "arbetssjukdom", "tillbud", "riskobservation")
INCIDENT_TYP_CDF = np.cumsum([0.25, 0.04, 0.04, 0.44, 0.23])
INCIDENT_ORSAKER = ("hot_och_vald", "fall", "belastning", "stick_skar", "trafik", "ovrigt")
INCIDENT_ORSAK_CDF = np.cumsum(
    np.array(
        [
            [0.08, 0.20, 0.28, 0.04, 0.01, 0.31],  # Förskola
            [0.26, 0.14, 0.22, 0.06, 0.02, 0.22],  # Äldreomsorg
            [0.45, 0.06, 0.04, 0.01, 0.03, 0.33],  # Barn och unga
            [0.42, 0.08, 0.10, 0.03, 0.02, 0.27],  # Vuxna
            [0.10, 0.25, 0.20, 0.00, 0.10, 0.27],  # Stab
        ]
    ),
    axis=1,
)  # the remaining share has no orsak
INCIDENT_SEASON = np.array([1.2, 1.2, 1.05, 1.0, 1.0, 0.9, 0.6, 0.8, 1.05, 1.05, 1.05, 1.1])

# --- Optional tables ----------------------------------------------------------------------------

HME_FRAGOR = (
    ("hme01", "Mitt arbete känns meningsfullt", "motivation", 83.0),
    ("hme02", "Jag lär nytt och utvecklas i mitt dagliga arbete", "motivation", 76.0),
    ("hme03", "Jag ser fram emot att gå till arbetet", "motivation", 77.0),
    ("hme04", "Min närmaste chef visar uppskattning för mitt arbete", "ledarskap", 79.0),
    ("hme05", "Min närmaste chef visar förtroende för mig som medarbetare", "ledarskap", 83.0),
    ("hme06", "Min närmaste chef ger mig förutsättningar att ta ansvar i mitt arbete", "ledarskap", 80.0),
    ("hme07", "Jag är insatt i min arbetsplats mål", "styrning", 76.0),
    ("hme08", "Jag vet vad som förväntas av mig i mitt arbete", "styrning", 84.0),
    ("hme09", "Min arbetsplats mål följs upp och utvärderas på ett bra sätt", "styrning", 72.0),
    ("ovr01", "Jag kan rekommendera min arbetsplats till andra", None, 75.0),
    ("ovr02", "Min arbetsbelastning är rimlig", None, 64.0),
    ("ovr03", "Jag har den kompetens som krävs för mina arbetsuppgifter", None, 86.0),
)
DELINDEX = ("motivation", "ledarskap", "styrning")
SURVEY_YEAR_EFFECT = {2021: -0.5, 2022: -1.5, 2023: 0.0, 2024: 0.5, 2025: 1.0, 2026: 1.2}


def build_survey(org: Org, invited: dict[int, np.ndarray], rng: np.random.Generator, sink: TableSink) -> None:
    """Medarbetarenkät per enhet and question for every surveyed year, one table per year."""
    n_units = len(org.enhet_names)
    unit_effect = rng.normal(0.0, 3.5, n_units)
    chef_effect = rng.normal(0.0, 3.0, n_units)
    forv, avd, enhet = _Strings(org.forvaltningar), _Strings(AVDELNINGAR), _Strings(org.enhet_names)
    fraga_ids = _Strings([q[0] for q in HME_FRAGOR])
    fragor = _Strings([q[1] for q in HME_FRAGOR])
    delindex = _Strings(DELINDEX)
    delindex_code = np.array([DELINDEX.index(q[2]) if q[2] else NO_CODE for q in HME_FRAGOR])
    base = np.array([q[3] for q in HME_FRAGOR])
    ledarskap = delindex_code == DELINDEX.index("ledarskap")
    for year in sorted(invited):
        counts = invited[year]
        rate = np.clip(rng.normal(0.78, 0.09, n_units), 0.4, 0.98)
        respondents = rng.binomial(counts, rate)
        level = SURVEY_YEAR_EFFECT.get(year, 1.0) + rng.normal(0.0, 1.5, n_units)
        level += unit_effect + AVD_SURVEY[org.enhet_avd]
        units = np.flatnonzero(respondents > 0)
        n_q = len(HME_FRAGOR)
        unit = np.repeat(units, n_q)
        question = np.tile(np.arange(n_q), len(units))
        answers = respondents[unit] - rng.binomial(respondents[unit], 0.03)
        value = base[question] + level[unit] + np.where(ledarskap[question], chef_effect[unit], 0.0)
        value += rng.normal(0.0, 1.0, len(unit)) * 10.0 / np.sqrt(np.maximum(answers, 1))
        value = np.round(np.clip(value, 0.0, 100.0), 1)
        keep = answers > 0
        unit, question, answers, value = unit[keep], question[keep], answers[keep], value[keep]
        table = _table(
            "medarbetarenkat",
            {
                "ar": pa.array(np.full(len(unit), year, dtype=np.int32)),
                "forvaltning": forv(org.enhet_forv[unit]),
                "avdelning": avd(org.enhet_avd[unit]),
                "enhet": enhet(unit),
                "fraga_id": fraga_ids(question),
                "fraga": fragor(question),
                "delindex": delindex(delindex_code[question]),
                "index": pa.array(value),
                "antal_svar": pa.array(answers.astype(np.int32)),
                "antal_inbjudna": pa.array(counts[unit].astype(np.int32)),
            },
        )
        sink.write(table)


_IT = "Teknik, IT-system och digitalisering"
_SPRAK = "Språk och kommunikation"
_VO = "Vård och omsorg"
_SA = "Socialt arbete"
_PED = "Pedagogik och lärande"
_LED = "Ledarskap"
# kategori, område, avdelningar, required level, current level in the first year, yearly progress
KOMPETENSOMRADEN = (
    (_IT, "Digitalisering och välfärdsteknik", (FSK, ALD, BOU, VUX, STAB), 4.2, 2.6, 0.15),
    (_IT, "Statistik, data och analys", (STAB, BOU, VUX), 4.0, 2.7, 0.12),
    (_SPRAK, "Svenska språket", (FSK, ALD, VUX), 4.3, 3.0, 0.10),
    (_SPRAK, "Social dokumentation", (ALD, VUX), 4.0, 2.8, 0.12),
    (_VO, "Demens", (ALD,), 4.6, 3.1, 0.10),
    (_VO, "Hälso- och sjukvård (HSL)", (ALD, VUX), 4.2, 2.9, 0.10),
    (_SA, "Våld i nära relation", (BOU, VUX, ALD), 4.3, 2.9, 0.12),
    (_SA, "Nya socialtjänstlagen", (BOU, VUX, ALD), 4.4, 1.9, 0.30),
    (_SA, "Barnrätt", (BOU, FSK), 4.0, 3.1, 0.08),
    (_PED, "Specialpedagogik", (FSK,), 4.2, 2.9, 0.10),
    (_LED, "Ledarskap", (FSK, ALD, BOU, VUX, STAB), 4.1, 3.2, 0.06),
    (_LED, "Arbetsmiljö", (FSK, ALD, BOU, VUX, STAB), 4.0, 3.0, 0.08),
)


def build_kompetensgap(org: Org, years: list[int], rng: np.random.Generator) -> pa.Table:
    """Assessed competence levels per year and avdelning, and for the two first enheter of each."""
    rows: dict[str, list] = {f.name: [] for f in SCHEMAS["kompetensgap"]}
    first_units: dict[tuple[int, int], list[int]] = {}
    for e in range(len(org.enhet_names)):
        units = first_units.setdefault((int(org.enhet_forv[e]), int(org.enhet_avd[e])), [])
        if len(units) < 2 and not org.enhet_names[e].startswith("Ledning"):
            units.append(e)
    offsets = rng.normal(0.0, 0.35, (len(org.forvaltningar), N_AVD, len(KOMPETENSOMRADEN)))
    for fi, forv in enumerate(org.forvaltningar):
        for i, year in enumerate(years):
            for avd in range(N_AVD):
                for a, (kategori, omrade, avds, behov, nulage, progress) in enumerate(KOMPETENSOMRADEN):
                    if avd not in avds:
                        continue
                    for enhet in [None, *first_units.get((fi, avd), [])]:
                        need = behov + rng.normal(0.0, 0.3)
                        if omrade == "Nya socialtjänstlagen":
                            need = min(3.0 + 0.45 * i, 5.0) + rng.normal(0.0, 0.2)
                        level = nulage + progress * i + offsets[fi, avd, a] + rng.normal(0.0, 0.35)
                        rows["ar"].append(year)
                        rows["forvaltning"].append(forv)
                        rows["avdelning"].append(AVDELNINGAR[avd])
                        rows["enhet"].append(None if enhet is None else org.enhet_names[enhet])
                        rows["kategori"].append(kategori)
                        rows["omrade"].append(omrade)
                        rows["behov"].append(int(min(max(math.floor(need + 0.5), 1), 5)))
                        rows["nulage"].append(int(min(max(math.floor(level + 0.5), 1), 5)))
    return pa.Table.from_pydict(rows, schema=SCHEMAS["kompetensgap"])


# ubaria, avdelning (None = förvaltningsövergripande), mål, aktivitet, ansvarig, nyckeltal, område
AKTIVITETER = (
    ("utveckla", ALD, "Alla undersköterskor uppfyller kraven för skyddad yrkestitel",
     "Validering och kompletterande utbildning via Äldreomsorgslyftet", "Avdelningschef äldreomsorg",
     None, "Hälso- och sjukvård (HSL)"),
    ("utveckla", ALD, "God demenskompetens på alla vård- och omsorgsboenden",
     "Stjärnmärkt: webbutbildning och reflektionsträffar om demens för omvårdnadspersonal",
     "Enhetschef vård- och omsorgsboende", None, "Demens"),
    ("utveckla", ALD, "Medarbetare kan dokumentera och kommunicera på god svenska",
     "Språkombud och språkträning på arbetsplatsen tre timmar i veckan", "Avdelningschef äldreomsorg",
     None, "Svenska språket"),
    ("utveckla", FSK, "Förskolans personal stödjer barnens språkutveckling i svenska",
     "Fördjupningsutbildningen Trygg och lärande förskola för barnskötare", "Avdelningschef förskola",
     None, "Svenska språket"),
    ("utveckla", FSK, "Barn i behov av särskilt stöd möter en tillgänglig lärmiljö",
     "Föreläsningar och handledning i specialpedagogiskt arbetssätt", "Rektor", None, "Specialpedagogik"),
    ("utveckla", BOU, "Socialsekreterarna är förberedda för den nya socialtjänstlagen",
     "Utbildningsdagar om nya socialtjänstlagen och förebyggande arbetssätt", "Avdelningschef barn och unga",
     None, "Nya socialtjänstlagen"),
    ("utveckla", BOU, "Alla handläggare har grundkunskap om våld i nära relation",
     "Webbutbildning och metodstöd om våld, hedersrelaterat våld och förtryck",
     "Enhetschef utredningsenheten", None, "Våld i nära relation"),
    ("utveckla", VUX, "Klientarbetet utgår från ett systemteoretiskt perspektiv",
     "Extern handledning med systemteoretisk inriktning för alla arbetsgrupper", "Avdelningschef vuxna",
     None, None),
    ("utveckla", None, "Chefer följer upp verksamheten med stöd av data",
     "Utbildning i verksamhetsuppföljning och analys i stadens beslutsstöd", "Controller", None,
     "Statistik, data och analys"),
    ("utveckla", None, "Medarbetare använder verksamhetssystem och välfärdsteknik effektivt",
     "Workshops i de digitala verktygen på varje avdelning", "Digitaliseringsstrateg", None,
     "Digitalisering och välfärdsteknik"),
    ("utveckla", None, "Framtida chefer identifieras och förbereds för ledarskap",
     "Lokalt traineeprogram med inriktning ledarskap", "HR-chef", None, "Ledarskap"),
    ("behalla", None, "Korttidssjukfrånvaron minskar",
     "Tidiga samtal vid upprepad korttidsfrånvaro, sex tillfällen på tolv månader", "HR-chef",
     "sjukfranvaro_kort_pct", None),
    ("behalla", ALD, "Lägre sjukfrånvaro i äldreomsorgen",
     "Arbetsmiljöronder och utbildning i förflyttningsteknik på alla boenden", "Avdelningschef äldreomsorg",
     "sjukfranvaro_total_pct", "Arbetsmiljö"),
    ("behalla", BOU, "Lägre personalomsättning bland socialsekreterare",
     "Ärendetak och kompetenstrappa för socialsekreterare", "Avdelningschef barn och unga",
     "personalomsattning_pct", None),
    ("behalla", None, "Heltid som norm",
     "Erbjuda heltid till alla deltidsanställda månadsavlönade vid schemaöversyn", "HR-chef",
     "heltid_andel_pct", None),
    ("behalla", None, "Högre engagemang enligt medarbetarenkäten",
     "Handlingsplan på varje APT utifrån medarbetarenkätens resultat", "Stadsdelsdirektör",
     "medarbetarindex", None),
    ("behalla", VUX, "Hållbar arbetsbelastning för handläggare",
     "Månadsvisa uppföljningssamtal om arbetsbelastning", "Avdelningschef vuxna",
     "sjukfranvaro_total_pct", "Arbetsmiljö"),
    ("behalla", FSK, "Förskollärare stannar och utvecklas hos oss",
     "Karriärtjänster och kollegialt lärande i förskolornas nätverk", "Avdelningschef förskola",
     "personalomsattning_pct", None),
    ("attrahera", None, "Ett starkare arbetsgivarvarumärke",
     "Delta på mässor och i stadens gemensamma rekryteringskampanjer", "Kommunikationschef", None, None),
    ("attrahera", ALD, "Fler studenter väljer äldreomsorgen",
     "Akademisk nod och strukturerad VFU med utbildade handledare", "Avdelningschef äldreomsorg", None,
     None),
    ("attrahera", VUX, "Fler socionomstudenter gör sin praktik hos oss",
     "Två handledare per student och studiebesök på andra enheter under praktiken",
     "Verksamhetsutvecklare", None, None),
    ("rekrytera", None, "Kompetensbaserad rekrytering i hela förvaltningen",
     "Utbildning för rekryterande chefer i kompetensbaserad rekrytering", "HR-chef", None, None),
    ("rekrytera", ALD, "Färre timavlönade och fler fasta resurser",
     "Tillsvidareanställa fasta resurser i hemtjänsten och på boendena", "Avdelningschef äldreomsorg",
     None, None),
    ("introducera", None, "Nyanställda kommer snabbt in i arbetet",
     "Gemensam introduktionsdag och checklista för introduktion", "HR-chef", None, None),
    ("introducera", BOU, "Nya socialsekreterare får stöd under första året",
     "Mentor på heltid för nyanställda handläggare", "Enhetschef mottagningsenheten",
     "personalomsattning_pct", None),
    ("introducera", FSK, "Alla barnskötare har grundläggande utbildning",
     "Grundutbildning till barnskötare för medarbetare utan utbildning", "Rektor", None, None),
    ("avsluta", None, "Lärdomar tas tillvara när medarbetare slutar",
     "Avslutssamtal med alla som slutar och en årlig analys av skälen", "HR-chef",
     "personalomsattning_pct", None),
    ("avsluta", None, "Kunskap förs vidare vid pensionsavgångar",
     "Planerad överlämning och successionsplan för nyckelfunktioner", "Avdelningschef", None, None),
    ("utveckla", STAB, "Stabens specialister stödjer förändringsarbetet",
     "Utbildning i process- och projektledning", "Administrativ chef", None, None),
    ("utveckla", ALD, "Välfärdsteknik används i hemtjänsten",
     "Införa digital tillsyn och läkemedelsautomater", "Enhetschef hemtjänst", None,
     "Digitalisering och välfärdsteknik"),
)  # fmt: skip
UPPFOLJNING = {
    "pagar": (
        "Pågår enligt plan.",
        "Påbörjad, men försenad på grund av vakanser.",
        "Halva målgruppen har genomfört insatsen.",
    ),
    "klar": ("Genomförd och utvärderad.", "Genomförd; effekten följs upp i nästa års plan."),
    "installd": (
        "Inställd på grund av ändrade ekonomiska förutsättningar.",
        "Ersatt av en stadsgemensam insats.",
    ),
}
AKTIVITETER_PER_FORVALTNING = 25


def build_aktiviteter(org: Org, end: int, rng: np.random.Generator) -> pa.Table:
    """The adopted activity plan of each förvaltning, dated over the range's last year and the next."""
    year = end // 12
    ref = _days(year, end % 12 + 1, calendar.monthrange(year, end % 12 + 1)[1])
    lo, hi = _days(year, 1, 1), _days(year + 1, 12, 31)
    month_ends = np.array(
        [_days(y, mo, calendar.monthrange(y, mo)[1]) for y in (year, year + 1) for mo in range(1, 13)]
    )
    rows: dict[str, list] = {f.name: [] for f in SCHEMAS["aktiviteter"]}
    total = len(org.forvaltningar) * AKTIVITETER_PER_FORVALTNING
    width = max(2, len(str(total)))
    seq = 0
    for forv in org.forvaltningar:
        picks = np.sort(rng.choice(len(AKTIVITETER), AKTIVITETER_PER_FORVALTNING, replace=False))
        dates = rng.choice(month_ends, AKTIVITETER_PER_FORVALTNING)
        for j, (i, maldatum) in enumerate(zip(picks, dates, strict=True)):
            ubaria, avd, mal, aktivitet, ansvarig, nyckeltal, omrade = AKTIVITETER[i]
            if j < 3:
                maldatum = month_ends[min(j * 2 + 2, len(month_ends) - 1)]  # a few due early in the year
            past = maldatum < ref
            if past:
                status = rng.choice(["klar", "pagar", "ej_paborjad", "installd"], p=[0.45, 0.35, 0.1, 0.1])
            else:
                status = rng.choice(["ej_paborjad", "pagar", "klar", "installd"], p=[0.35, 0.5, 0.08, 0.07])
            if j == 1:
                status = "pagar"  # at least one overdue activity per förvaltning
            status = str(status)
            texts = UPPFOLJNING.get(status)
            seq += 1
            rows["aktivitet_id"].append(f"A-{year}-{seq:0{width}d}")
            rows["forvaltning"].append(forv)
            rows["avdelning"].append(None if avd is None else AVDELNINGAR[avd])
            rows["ubaria"].append(ubaria)
            rows["mal"].append(mal)
            rows["aktivitet"].append(aktivitet)
            rows["maldatum"].append(EPOCH + dt.timedelta(days=int(min(max(maldatum, lo), hi))))
            rows["ansvarig"].append(ansvarig)
            rows["status"].append(status)
            rows["uppfoljning"].append(str(texts[int(rng.integers(len(texts)))]) if texts else None)
            rows["nyckeltal"].append(nyckeltal)
            rows["kompetensomrade"].append(omrade)
    return pa.Table.from_pydict(rows, schema=SCHEMAS["aktiviteter"])


MAL_FORVALTNING = (
    ("sjukfranvaro_total_pct", 6.0),
    ("sjukfranvaro_kort_pct", 2.0),
    ("heltid_andel_pct", 80.0),
    ("personalomsattning_pct", 5.0),
    ("medarbetarindex", 78.0),
)
MAL_AVDELNING = (
    (ALD, "sjukfranvaro_total_pct", 7.5),
    (FSK, "sjukfranvaro_total_pct", 7.0),
    (BOU, "personalomsattning_pct", 10.0),
    (ALD, "heltid_andel_pct", 70.0),
)


def build_mal(org: Org, years: list[int]) -> pa.Table:
    """Targets for every year: the förvaltning's, and a few avdelning overrides."""
    rows: dict[str, list] = {f.name: [] for f in SCHEMAS["mal"]}
    for forv in org.forvaltningar:
        for year in years:
            targets = [(None, k, v) for k, v in MAL_FORVALTNING] + list(MAL_AVDELNING)
            for avd, nyckeltal, value in targets:
                rows["ar"].append(year)
                rows["forvaltning"].append(forv)
                rows["avdelning"].append(None if avd is None else AVDELNINGAR[avd])
                rows["nyckeltal"].append(nyckeltal)
                rows["malvarde"].append(value)
    return pa.Table.from_pydict(rows, schema=SCHEMAS["mal"])


def build_personalprognos(org: Org, final: dict[str, np.ndarray], end_year: int, rng) -> pa.Table:
    """Staffing need and recruitment need per yrkeskategori for the five years after the range."""
    rows: dict[str, list] = {f.name: [] for f in SCHEMAS["personalprognos"]}
    n_kat = len(KATEGORIER)
    turnover = np.array([0.05, 0.05, 0.06, 0.06, 0.13, 0.09, 0.08, 0.06, 0.06])
    for fi, forv in enumerate(org.forvaltningar):
        mine = final["forv"] == fi
        now = np.bincount(final["kategori"][mine], minlength=n_kat)
        for kat in range(n_kat):
            if now[kat] == 0:
                continue
            retiring = final["pension_year"][mine & (final["kategori"] == kat)]
            previous = float(now[kat])
            for step in range(1, 6):
                year = end_year + step
                need = now[kat] * (1.0 + KATEGORI_TREND[kat]) ** step
                pensions = int((retiring == year).sum())
                recruit = need * turnover[kat] + pensions + max(need - previous, 0.0)
                recruit *= 1.0 + rng.normal(0.0, 0.05)
                previous = need
                rows["ar"].append(year)
                rows["forvaltning"].append(forv)
                rows["yrkeskategori"].append(KATEGORIER[kat])
                rows["personalbehov"].append(int(math.floor(need + 0.5)))
                rows["rekryteringsbehov"].append(max(int(math.floor(recruit + 0.5)), 0))
    return pa.Table.from_pydict(rows, schema=SCHEMAS["personalprognos"])


def build_yrkeskategorier() -> pa.Table:
    """Every befattning with the yrkeskategori that personalprognos uses (no randomness)."""
    names = sorted(BEFATTNINGAR)
    return pa.table(
        {"befattning": names, "yrkeskategori": [BEFATTNINGAR[n].kategori for n in names]},
        schema=SCHEMAS["yrkeskategorier"],
    )


# --- Entry points -------------------------------------------------------------------------------


def _clear(out: Path) -> None:
    """Remove earlier output of the contract's tables so files and folders never mix."""
    for name in TABLES:
        single, folder = out / f"{name}.parquet", out / name
        if single.is_file():
            single.unlink()
        if folder.is_dir():
            for f in folder.rglob("*.parquet"):
                f.unlink()
            for sub in sorted((d for d in folder.rglob("*") if d.is_dir()), reverse=True):
                if not any(sub.iterdir()):
                    sub.rmdir()
            if not any(folder.iterdir()):
                folder.rmdir()


def generate(
    out: Path | str,
    seed: int = DEFAULT_SEED,
    scale: float = DEFAULT_SCALE,
    start: str = DEFAULT_START,
    end: str = DEFAULT_END,
    *,
    per_year: bool | None = None,
    progress: bool = False,
) -> dict[str, int]:
    """Write every table of the data contract to out; returns the number of rows per table."""
    m_start, m_end = parse_month(start), parse_month(end)
    if m_end < m_start:
        raise ValueError("slutmånaden ligger före startmånaden")
    if not 0 < scale <= 2000:
        raise ValueError("skalan måste vara större än 0 och högst 2000")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _clear(out)
    if per_year is None:
        per_year = scale >= FOLDER_SCALE
    org_seq, sim_seq, table_seq = np.random.SeedSequence(seed).spawn(3)
    org = build_org(scale, np.random.Generator(np.random.PCG64(org_seq)))
    table_rng = np.random.Generator(np.random.PCG64(table_seq))
    sinks = {name: TableSink(out, name, per_year and name in BIG_TABLES) for name in TABLES}
    sim = Simulator(org, np.random.Generator(np.random.PCG64(sim_seq)), m_start, m_end, sinks)
    sim.run()
    years = list(range(m_start // 12, m_end // 12 + 1))
    build_survey(org, sim.survey_invited, table_rng, sinks["medarbetarenkat"])
    sinks["kompetensgap"].write(build_kompetensgap(org, years, table_rng))
    sinks["aktiviteter"].write(build_aktiviteter(org, m_end, table_rng))
    sinks["mal"].write(build_mal(org, years))
    sinks["personalprognos"].write(build_personalprognos(org, sim.final, m_end // 12, table_rng))
    sinks["jamforelse"].write(kolada_exempel.table())
    sinks["yrkeskategorier"].write(build_yrkeskategorier())
    counts = {}
    for name, sink in sinks.items():
        counts[name] = sink.close()
        if progress:
            print(f"{name}: {counts[name]:,} rader".replace(",", " "), file=sys.stderr)
    return counts


def _month_arg(text: str) -> str:
    try:
        parse_month(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text.strip()


def _scale_arg(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"ogiltig skala {text!r}") from None
    if not 0 < value <= 2000:
        raise argparse.ArgumentTypeError("skalan måste vara större än 0 och högst 2000")
    return value


def register(subparsers) -> None:
    """Add the generate subcommand."""
    parser = subparsers.add_parser(
        "generate",
        help="skapa syntetiska testdata",
        description=(
            "Skapar syntetiska extrakt för alla tabeller i datakontraktet: en påhittad "
            "stadsdelsförvaltning med cirka 1 650 månadsavlönade vid skala 1, flera förvaltningar "
            f"vid större skala. Från skala {FOLDER_SCALE} skrivs anstallningar och franvaro som "
            "mappar med en fil per år. Samma frö, skala och period ger alltid samma data."
        ),
    )
    parser.add_argument("--out", required=True, type=Path, metavar="KATALOG", help="katalog att skriva till")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, metavar="FRÖ", help=f"slumpfrö (standard {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--scale",
        type=_scale_arg,
        default=DEFAULT_SCALE,
        metavar="SKALA",
        help="skalfaktor för antalet anställda; 30 ≈ 50 000, 800 ≈ 1,3 miljoner (standard 1)",
    )
    parser.add_argument(
        "--start",
        type=_month_arg,
        default=DEFAULT_START,
        metavar="ÅÅÅÅ-MM",
        help=f"första månad (standard {DEFAULT_START})",
    )
    parser.add_argument(
        "--end",
        type=_month_arg,
        default=DEFAULT_END,
        metavar="ÅÅÅÅ-MM",
        help=f"sista månad (standard {DEFAULT_END})",
    )
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    try:
        generate(args.out, args.seed, args.scale, args.start, args.end, progress=True)
    except (ValueError, OSError) as exc:
        print(f"fel: {exc}", file=sys.stderr)
        return 2
    return 0
