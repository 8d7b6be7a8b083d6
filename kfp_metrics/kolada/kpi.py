"""The Kolada KPIs that answer the contract's metric ids (section 6), and how they differ."""

from __future__ import annotations

from dataclasses import dataclass

RIKET = "0000"


@dataclass(frozen=True)
class Motsvarighet:
    """One metric id's Kolada counterpart: the KPI, the kon of its rows, and where it is compared."""

    metric_id: str
    kpi: str
    kon: str
    omrade: str  # "sjukfranvaro", "heltid" or "medarbetarenkat": which own definition applies


# Contract section 6, in the order of the contract's metric list.
MOTSVARIGHETER: dict[str, Motsvarighet] = {
    m.metric_id: m
    for m in (
        Motsvarighet("heltid_andel_pct", "N00206", "T", "heltid"),
        Motsvarighet("heltid_andel_kvinnor_pct", "N00206", "K", "heltid"),
        Motsvarighet("heltid_andel_man_pct", "N00206", "M", "heltid"),
        Motsvarighet("heltidsarbetande_andel_pct", "N00209", "T", "heltid"),
        Motsvarighet("sjukfranvaro_total_pct", "N00090", "T", "sjukfranvaro"),
        Motsvarighet("sjukfranvaro_lang_andel_pct", "N00091", "T", "sjukfranvaro"),
        Motsvarighet("sjukfranvaro_kvinnor_pct", "N00090", "K", "sjukfranvaro"),
        Motsvarighet("sjukfranvaro_man_pct", "N00090", "M", "sjukfranvaro"),
        Motsvarighet("sjukfranvaro_29_pct", "N00092", "T", "sjukfranvaro"),
        Motsvarighet("sjukfranvaro_30_49_pct", "N00093", "T", "sjukfranvaro"),
        Motsvarighet("sjukfranvaro_50_pct", "N00094", "T", "sjukfranvaro"),
        Motsvarighet("medarbetarindex", "U00200", "T", "medarbetarenkat"),
        Motsvarighet("medarbetarindex_motivation", "U00201", "T", "medarbetarenkat"),
        Motsvarighet("medarbetarindex_ledarskap", "U00202", "T", "medarbetarenkat"),
        Motsvarighet("medarbetarindex_styrning", "U00203", "T", "medarbetarenkat"),
    )
}

# Kolada's own titles, shortened, for tables and the docs.
KPI_TITLAR: dict[str, str] = {
    "N00090": "Sjukfrånvaro totalt, kommunalt anställda (%)",
    "N00091": "Långtidssjukfrånvaro 60 dagar eller mer, andel av total sjukfrånvaro (%)",
    "N00092": "Sjukfrånvaro, kommunalt anställda 29 år eller yngre (%)",
    "N00093": "Sjukfrånvaro, kommunalt anställda 30–49 år (%)",
    "N00094": "Sjukfrånvaro, kommunalt anställda 50 år eller äldre (%)",
    "N00206": "Heltidsanställda månadsavlönade, andel (%)",
    "N00209": "Heltidsarbetande månadsavlönade, andel (%)",
    "U00200": "Hållbart medarbetarengagemang (HME), totalindex",
    "U00201": "HME, delindex motivation",
    "U00202": "HME, delindex ledarskap",
    "U00203": "HME, delindex styrning",
}
KPIER: tuple[str, ...] = tuple(KPI_TITLAR)

# How Kolada's figure differs from the organisation's own, said wherever the two stand together.
SKILLNADER: dict[str, str] = {
    "sjukfranvaro": (
        "Kolada räknar alla anställda i hela kommunen under kalenderåret; det egna värdet avser urvalet "
        "januari–december samma år enligt SKR:s definition (sjuktimmar av ordinarie arbetstid)."
    ),
    "heltid": (
        "Kolada räknar kommunens alla månadsavlönade vid SKR:s årliga mätning; det egna värdet avser "
        "urvalets månadsavlönade i december samma år."
    ),
    "medarbetarenkat": (
        "Kolada visar HME-index för hela kommunen från enkäten det året; det egna värdet är den egna "
        "enkäten samma år, svarsviktad över urvalets enheter. Frågor och svarsskalor kan skilja."
    ),
}
OMRADE_EGEN: dict[str, str] = {
    "sjukfranvaro": "januari–december",
    "heltid": "december",
    "medarbetarenkat": "enkäten",
}


def counterpart(metric_id: str) -> Motsvarighet | None:
    """The metric's Kolada counterpart, or None when it has none."""
    return MOTSVARIGHETER.get(metric_id)
