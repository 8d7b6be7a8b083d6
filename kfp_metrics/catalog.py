"""The metric catalog: one entry per metric id of the data contract, read by every output."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Unit = Literal["antal", "procent", "år", "index", "kvot"]
# "equal": neither a higher nor a lower value is better, but one closer to equality: to the figure
# named by compare_with (the other kön's value) or to equal_at (1 for a kvot). See gap().
Better = Literal["lower", "higher", "equal"] | None


@dataclass(frozen=True)
class Metric:
    """A key figure: Swedish label, unit, better direction, definition and source query."""

    id: str
    section: str
    label: str
    unit: Unit
    better: Better
    definition: str
    query: str
    suppression: str | None = None
    compare_with: str | None = None
    equal_at: float | None = None

    @property
    def is_percent(self) -> bool:
        return self.unit == "procent"


SECTIONS = {
    "personal": "Personal",
    "sjukfranvaro": "Sjukfrånvaro",
    "rorlighet": "Rörlighet",
    "pension": "Pensionsavgångar",
    "medarbetarenkat": "Medarbetarenkät",
    "incidenter": "Incidenter",
    "aktiviteter": "Aktiviteter",
    "jamstalldhet": "Jämställdhet",
}

_P = "personal_nyckeltal"
_S = "sjukfranvaro_per_grupp"
_R = "rorlighet_nyckeltal"
_E = "medarbetarenkat_per_fraga"

_SJUK_NT1 = "100 × summa sjukfrånvarotimmar / summa ordinarie arbetstid under de 12 månaderna t.o.m. perioden"

METRICS: tuple[Metric, ...] = (
    # Personal
    Metric(
        "antal_tillsvidare",
        "personal",
        "Tillsvidareanställda",
        "antal",
        None,
        "Antal personer med tillsvidareanställning i månadens ögonblicksbild.",
        _P,
    ),
    Metric(
        "antal_tillsvidare_kvinnor",
        "personal",
        "Tillsvidareanställda kvinnor",
        "antal",
        None,
        "Antal tillsvidareanställda kvinnor i månadens ögonblicksbild.",
        _P,
    ),
    Metric(
        "antal_tillsvidare_man",
        "personal",
        "Tillsvidareanställda män",
        "antal",
        None,
        "Antal tillsvidareanställda män i månadens ögonblicksbild.",
        _P,
    ),
    Metric(
        "antal_tidsbegransade",
        "personal",
        "Tidsbegränsat anställda",
        "antal",
        None,
        "Antal månadsavlönade med tidsbegränsad anställning i månadens ögonblicksbild.",
        _P,
    ),
    Metric(
        "antal_timavlonade",
        "personal",
        "Timavlönade",
        "antal",
        None,
        "Antal timavlönade med anställning under månaden.",
        _P,
    ),
    Metric(
        "antal_manadsavlonade",
        "personal",
        "Månadsavlönade",
        "antal",
        None,
        "Tillsvidareanställda + tidsbegränsat anställda månadsavlönade.",
        _P,
    ),
    Metric(
        "andel_kvinnor_pct",
        "personal",
        "Andel kvinnor",
        "procent",
        None,
        "100 × antal kvinnor bland månadsavlönade / antal månadsavlönade.",
        _P,
    ),
    Metric(
        "medelalder",
        "personal",
        "Medelålder",
        "år",
        None,
        "Medelåldern för månadsavlönade, där åldern är periodens år minus födelseår.",
        _P,
    ),
    Metric(
        "forandring_tillsvidare_pct",
        "personal",
        "Förändring tillsvidareanställda",
        "procent",
        None,
        "100 × (antal tillsvidareanställda i perioden − samma månad föregående år) / samma månad föregående år.",
        _P,
    ),
    Metric(
        "antal_deltid",
        "personal",
        "Deltidsanställda",
        "antal",
        "lower",
        "Antal månadsavlönade med sysselsättningsgrad under 100 %.",
        _P,
    ),
    Metric(
        "heltid_andel_pct",
        "personal",
        "Andel heltidsanställda",
        "procent",
        "higher",
        "100 × månadsavlönade med sysselsättningsgrad 100 % / månadsavlönade (Kolada N00206).",
        _P,
    ),
    Metric(
        "heltid_andel_kvinnor_pct",
        "personal",
        "Andel heltidsanställda kvinnor",
        "procent",
        "higher",
        "Andel heltidsanställda bland månadsavlönade kvinnor.",
        _P,
    ),
    Metric(
        "heltid_andel_man_pct",
        "personal",
        "Andel heltidsanställda män",
        "procent",
        "higher",
        "Andel heltidsanställda bland månadsavlönade män.",
        _P,
    ),
    Metric(
        "heltidsarbetande_andel_pct",
        "personal",
        "Andel heltidsarbetande",
        "procent",
        "higher",
        "100 × månadsavlönade som faktiskt arbetar 100 % efter partiella ledigheter / månadsavlönade "
        "(Kolada N00209). Saknas när extraktet inte har faktisk sysselsättningsgrad.",
        _P,
    ),
    # Sjukfrånvaro
    Metric(
        "sjukfranvaro_total_pct",
        "sjukfranvaro",
        "Sjukfrånvaro totalt",
        "procent",
        "lower",
        f"{_SJUK_NT1} (SKR NT1).",
        _S,
        "sjukfranvaro",
    ),
    Metric(
        "sjukfranvaro_kort_pct",
        "sjukfranvaro",
        "Sjukfrånvaro dag 1–14",
        "procent",
        "lower",
        "100 × sjukfrånvarotimmar under dag 1–14 i sjukperioden / summa ordinarie arbetstid.",
        _S,
        "sjukfranvaro",
    ),
    Metric(
        "sjukfranvaro_lang_andel_pct",
        "sjukfranvaro",
        "Andel långtidssjukfrånvaro (60 dagar eller mer)",
        "procent",
        "lower",
        "100 × sjukfrånvarotimmar i sjukperioder om 60 dagar eller mer / summa sjukfrånvarotimmar "
        "(en andel av frånvaron, inte av arbetstiden; SKR NT2).",
        _S,
        "sjukfranvaro",
    ),
    Metric(
        "sjukfranvaro_kvinnor_pct",
        "sjukfranvaro",
        "Sjukfrånvaro kvinnor",
        "procent",
        "lower",
        f"{_SJUK_NT1}, för kvinnor.",
        _S,
        "sjukfranvaro",
    ),
    Metric(
        "sjukfranvaro_man_pct",
        "sjukfranvaro",
        "Sjukfrånvaro män",
        "procent",
        "lower",
        f"{_SJUK_NT1}, för män.",
        _S,
        "sjukfranvaro",
    ),
    Metric(
        "sjukfranvaro_29_pct",
        "sjukfranvaro",
        "Sjukfrånvaro 29 år och yngre",
        "procent",
        "lower",
        f"{_SJUK_NT1}, för anställda som är högst 29 år under månaden.",
        _S,
        "sjukfranvaro",
    ),
    Metric(
        "sjukfranvaro_30_49_pct",
        "sjukfranvaro",
        "Sjukfrånvaro 30–49 år",
        "procent",
        "lower",
        f"{_SJUK_NT1}, för anställda som är 30–49 år under månaden.",
        _S,
        "sjukfranvaro",
    ),
    Metric(
        "sjukfranvaro_50_pct",
        "sjukfranvaro",
        "Sjukfrånvaro 50 år och äldre",
        "procent",
        "lower",
        f"{_SJUK_NT1}, för anställda som är 50 år eller äldre under månaden.",
        _S,
        "sjukfranvaro",
    ),
    # Rörlighet
    Metric(
        "personalomsattning_pct",
        "rorlighet",
        "Personalomsättning",
        "procent",
        "lower",
        "100 × avgångar bland tillsvidareanställda till annan förvaltning eller utanför kommunen under de "
        "12 månaderna t.o.m. perioden / genomsnittligt antal tillsvidareanställda under samma 12 månader "
        "(Kolada N00216).",
        _R,
    ),
    Metric(
        "avgangar_tillsvidare_hittills",
        "rorlighet",
        "Avgångar tillsvidare hittills i år",
        "antal",
        None,
        "Avgångar bland tillsvidareanställda från 1 januari t.o.m. periodens sista dag, oavsett vart personen gick.",
        _R,
    ),
    Metric(
        "rekryteringar_tillsvidare_hittills",
        "rorlighet",
        "Rekryteringar tillsvidare hittills i år",
        "antal",
        None,
        "Påbörjade tillsvidareanställningar från 1 januari t.o.m. periodens sista dag, oavsett varifrån.",
        _R,
    ),
    Metric(
        "avgangar_tidsbegransade_hittills",
        "rorlighet",
        "Avgångar tidsbegränsade hittills i år",
        "antal",
        None,
        "Avslutade tidsbegränsade månadsanställningar från 1 januari t.o.m. periodens sista dag.",
        _R,
    ),
    Metric(
        "rekryteringar_tidsbegransade_hittills",
        "rorlighet",
        "Rekryteringar tidsbegränsade hittills i år",
        "antal",
        None,
        "Påbörjade tidsbegränsade månadsanställningar från 1 januari t.o.m. periodens sista dag.",
        _R,
    ),
    # Pension
    Metric(
        "pension_redan",
        "pension",
        "Redan uppnådd pensionsålder",
        "antal",
        None,
        "Tillsvidareanställda i perioden som fyller pensionsåldern (standard 65 år) under periodens år "
        "eller tidigare.",
        "pension_per_ar",
    ),
    Metric(
        "pension_per_ar",
        "pension",
        "Pensionsavgångar per år",
        "antal",
        None,
        "För vart och ett av de tre åren efter periodens år: tillsvidareanställda i perioden som fyller "
        "pensionsåldern det året.",
        "pension_per_ar",
    ),
    # Medarbetarenkät
    Metric(
        "medarbetarindex",
        "medarbetarenkat",
        "Medarbetarindex (HME)",
        "index",
        "higher",
        "Medelvärdet av delindexen motivation, ledarskap och styrning (0–100) i senaste enkäten t.o.m. "
        "periodens år; varje frågas index är svarsviktat över enheterna.",
        _E,
        "medarbetarenkat",
    ),
    Metric(
        "medarbetarindex_motivation",
        "medarbetarenkat",
        "Delindex motivation",
        "index",
        "higher",
        "Medelvärdet av index för frågorna i delindex motivation.",
        _E,
        "medarbetarenkat",
    ),
    Metric(
        "medarbetarindex_ledarskap",
        "medarbetarenkat",
        "Delindex ledarskap",
        "index",
        "higher",
        "Medelvärdet av index för frågorna i delindex ledarskap.",
        _E,
        "medarbetarenkat",
    ),
    Metric(
        "medarbetarindex_styrning",
        "medarbetarenkat",
        "Delindex styrning",
        "index",
        "higher",
        "Medelvärdet av index för frågorna i delindex styrning.",
        _E,
        "medarbetarenkat",
    ),
    Metric(
        "antal_svar",
        "medarbetarenkat",
        "Antal svarande",
        "antal",
        None,
        "Summan över enheterna av det största antalet svar på någon fråga i enheten.",
        "medarbetarenkat_svarande",
    ),
    Metric(
        "svarsfrekvens_pct",
        "medarbetarenkat",
        "Svarsfrekvens",
        "procent",
        "higher",
        "100 × antal svarande / antal inbjudna (per enhet det största antalet inbjudna). Saknas när "
        "extraktet inte har antal inbjudna.",
        "medarbetarenkat_svarande",
    ),
    # Incidenter
    Metric(
        "incidenter_per_tertial",
        "incidenter",
        "Anmälda incidenter per tertial",
        "antal",
        "lower",
        "Antal anmälningar i incidentsystemet per tertial (jan–apr, maj–aug, sep–dec), föregående års tre "
        "tertial och innevarande års tertial som börjat t.o.m. perioden.",
        "incidenter_per_tertial",
    ),
    Metric(
        "hot_och_vald_per_tertial",
        "incidenter",
        "Hot och våld per tertial",
        "antal",
        "lower",
        "Antal anmälningar med orsak hot och våld per tertial.",
        "incidenter_per_tertial",
    ),
    # Aktiviteter
    Metric(
        "aktiviteter_per_status",
        "aktiviteter",
        "Aktiviteter per status",
        "antal",
        None,
        "Antal aktiviteter i handlingsplanen per aktuell status (senast registrerade ändring, annars "
        "status när planen antogs).",
        "aktiviteter_i_scope",
    ),
    Metric(
        "forsenade",
        "aktiviteter",
        "Försenade aktiviteter",
        "antal",
        "lower",
        "Aktiviteter vars måldatum passerats (före den tidigare av dagens datum och periodens sista dag) "
        "och som inte är klara eller inställda.",
        "aktiviteter_i_scope",
    ),
)

_J = "jamstalldhet_per_kon_och_manad"
_J_SJUK = "jamstalldhet_sjuk_per_kon_och_manad"
_J_OMS = "jamstalldhet_omsattning_per_kon_och_manad"
_LIKA = " Jämförs med {other}: ju mindre skillnad, desto bättre."

METRICS += (
    # Jämställdhet (contract 8): what is judged is the gap between women and men, not the level.
    Metric(
        "andel_kvinnor_chefer_pct",
        "jamstalldhet",
        "Andel kvinnor bland chefer",
        "procent",
        "equal",
        "100 × kvinnor bland månadsavlönade chefer / månadsavlönade chefer i månadens ögonblicksbild. "
        "Saknas när extraktet inte har kolumnen chef. Jämförs med andelen kvinnor bland alla "
        "månadsavlönade: ju mindre skillnad, desto bättre.",
        _J,
        compare_with="andel_kvinnor_pct",
    ),
    Metric(
        "lika_chefskarriar_kvot",
        "jamstalldhet",
        "Lika chefskarriär (kvot)",
        "kvot",
        "equal",
        "Andelen kvinnor bland chefer / andelen kvinnor bland månadsavlönade. 1 betyder att kvinnor är "
        "chefer lika ofta som de är anställda; ju närmare 1, desto bättre.",
        _J,
        equal_at=1.0,
    ),
    Metric(
        "andel_tillsvidare_kvinnor_pct",
        "jamstalldhet",
        "Andel tillsvidareanställda, kvinnor",
        "procent",
        "equal",
        "100 × tillsvidareanställda kvinnor / månadsavlönade kvinnor i månadens ögonblicksbild."
        + _LIKA.format(other="männens andel"),
        _J,
        compare_with="andel_tillsvidare_man_pct",
    ),
    Metric(
        "andel_tillsvidare_man_pct",
        "jamstalldhet",
        "Andel tillsvidareanställda, män",
        "procent",
        "equal",
        "100 × tillsvidareanställda män / månadsavlönade män i månadens ögonblicksbild."
        + _LIKA.format(other="kvinnornas andel"),
        _J,
        compare_with="andel_tillsvidare_kvinnor_pct",
    ),
    Metric(
        "sysselsattningsgrad_kvinnor",
        "jamstalldhet",
        "Genomsnittlig sysselsättningsgrad, kvinnor",
        "procent",
        "equal",
        "Medelvärdet av sysselsättningsgraden (procent av heltid) bland månadsavlönade kvinnor."
        + _LIKA.format(other="männens"),
        _J,
        compare_with="sysselsattningsgrad_man",
    ),
    Metric(
        "sysselsattningsgrad_man",
        "jamstalldhet",
        "Genomsnittlig sysselsättningsgrad, män",
        "procent",
        "equal",
        "Medelvärdet av sysselsättningsgraden (procent av heltid) bland månadsavlönade män."
        + _LIKA.format(other="kvinnornas"),
        _J,
        compare_with="sysselsattningsgrad_kvinnor",
    ),
    Metric(
        "lang_sjukfranvaro_kvinnor_pct",
        "jamstalldhet",
        "Lång sjukfrånvaro, kvinnor",
        "procent",
        "equal",
        "100 × sjukfrånvarotimmar i sjukperioder om 60 dagar eller mer / ordinarie arbetstid under de 12 "
        "månaderna t.o.m. perioden, för kvinnor (kön enligt anställningsraden samma månad)."
        + _LIKA.format(other="männens"),
        _J_SJUK,
        "sjukfranvaro",
        compare_with="lang_sjukfranvaro_man_pct",
    ),
    Metric(
        "lang_sjukfranvaro_man_pct",
        "jamstalldhet",
        "Lång sjukfrånvaro, män",
        "procent",
        "equal",
        "100 × sjukfrånvarotimmar i sjukperioder om 60 dagar eller mer / ordinarie arbetstid under de 12 "
        "månaderna t.o.m. perioden, för män (kön enligt anställningsraden samma månad)."
        + _LIKA.format(other="kvinnornas"),
        _J_SJUK,
        "sjukfranvaro",
        compare_with="lang_sjukfranvaro_kvinnor_pct",
    ),
    Metric(
        "personalomsattning_kvinnor_pct",
        "jamstalldhet",
        "Personalomsättning, kvinnor",
        "procent",
        "equal",
        "Personalomsättningen räknad på kvinnor: avgångar bland tillsvidareanställda kvinnor till annan "
        "förvaltning eller utanför kommunen under de 12 månaderna t.o.m. perioden / genomsnittligt antal "
        "tillsvidareanställda kvinnor under samma månader (kön enligt händelsen)."
        + _LIKA.format(other="männens"),
        _J_OMS,
        compare_with="personalomsattning_man_pct",
    ),
    Metric(
        "personalomsattning_man_pct",
        "jamstalldhet",
        "Personalomsättning, män",
        "procent",
        "equal",
        "Personalomsättningen räknad på män: avgångar bland tillsvidareanställda män till annan "
        "förvaltning eller utanför kommunen under de 12 månaderna t.o.m. perioden / genomsnittligt antal "
        "tillsvidareanställda män under samma månader (kön enligt händelsen)."
        + _LIKA.format(other="kvinnornas"),
        _J_OMS,
        compare_with="personalomsattning_kvinnor_pct",
    ),
)

BY_ID: dict[str, Metric] = {m.id: m for m in METRICS}


def get(metric_id: str) -> Metric:
    """The catalog entry for a metric id; KeyError with a Swedish message when unknown."""
    try:
        return BY_ID[metric_id]
    except KeyError:
        raise KeyError(f"Okänt nyckeltal: {metric_id}") from None


def in_section(section: str) -> list[Metric]:
    """The metrics of one section, in catalog order."""
    return [m for m in METRICS if m.section == section]


# How far past the target a value may lie and still count as "nära målet" (amber), relative.
AMBER_MARGIN = 0.10


def target_status(metric_id: str, value: float | None, target: float | None) -> str | None:
    """'gron' when the target is met, 'gul' within 10 % of it, 'rod' beyond; None without both."""
    better = get(metric_id).better
    if value is None or target is None or better not in ("lower", "higher"):
        return None
    if better == "lower":
        if value <= target:
            return "gron"
        return "gul" if value <= target * (1 + AMBER_MARGIN) else "rod"
    if value >= target:
        return "gron"
    return "gul" if value >= target * (1 - AMBER_MARGIN) else "rod"


TARGET_STATUS_LABELS = {"gron": "Når målet", "gul": "Nära målet", "rod": "Långt från målet"}


def gap(metric_id: str, figures: Mapping[str, float | None]) -> float | None:
    """How far an 'equal' metric lies from equality: its value minus the figure it is compared
    with (compare_with, looked up in figures) or minus equal_at; None where a value is missing."""
    metric = get(metric_id)
    value = figures.get(metric_id)
    other = figures.get(metric.compare_with) if metric.compare_with else metric.equal_at
    if metric.better != "equal" or value is None or other is None:
        return None
    return float(value) - float(other)


GAP_VERDICTS = {
    "minskat": "Skillnaden har minskat",
    "okat": "Skillnaden har ökat",
    "oforandrad": "Skillnaden är oförändrad",
}


def gap_verdict(gap_now: float | None, gap_before: float | None, decimals: int = 1) -> str | None:
    """'minskat', 'okat' or 'oforandrad': whether a gap to equality narrowed since the earlier one,
    compared as displayed (rounded to decimals), so a reader never sees "ökat" beside equal figures."""
    if gap_now is None or gap_before is None:
        return None
    now, before = round(abs(gap_now), decimals), round(abs(gap_before), decimals)
    if now == before:
        return "oforandrad"
    return "minskat" if now < before else "okat"
