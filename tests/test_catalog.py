"""Every metric id of the data contract is in the catalog and documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kfp_metrics import catalog, docs

CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "data-contract.md"

# Section 2 of the contract, written out so the test also runs without ../shared.
CONTRACT_IDS = {
    "antal_tillsvidare",
    "antal_tillsvidare_kvinnor",
    "antal_tillsvidare_man",
    "antal_tidsbegransade",
    "antal_timavlonade",
    "antal_manadsavlonade",
    "andel_kvinnor_pct",
    "medelalder",
    "forandring_tillsvidare_pct",
    "antal_deltid",
    "heltid_andel_pct",
    "heltid_andel_kvinnor_pct",
    "heltid_andel_man_pct",
    "heltidsarbetande_andel_pct",
    "sjukfranvaro_total_pct",
    "sjukfranvaro_kort_pct",
    "sjukfranvaro_lang_andel_pct",
    "sjukfranvaro_kvinnor_pct",
    "sjukfranvaro_man_pct",
    "sjukfranvaro_29_pct",
    "sjukfranvaro_30_49_pct",
    "sjukfranvaro_50_pct",
    "personalomsattning_pct",
    "avgangar_tillsvidare_hittills",
    "rekryteringar_tillsvidare_hittills",
    "avgangar_tidsbegransade_hittills",
    "rekryteringar_tidsbegransade_hittills",
    "pension_redan",
    "pension_per_ar",
    "medarbetarindex",
    "medarbetarindex_motivation",
    "medarbetarindex_ledarskap",
    "medarbetarindex_styrning",
    "antal_svar",
    "svarsfrekvens_pct",
}


def _contract_ids(text: str) -> set[str]:
    section = text.split("## 2. Metric definitions", 1)[1].split("## 3.", 1)[0]
    ids = set()
    for cell in re.findall(r"^\| ([a-z0-9_ /]+) \|", section, flags=re.M):
        for part in cell.split("/"):
            part = part.strip()
            if part and part != "id":
                ids.add(part)
    # "medarbetarindex_motivation / _ledarskap / _styrning" abbreviates the suffixes.
    return {("medarbetarindex" + i if i.startswith("_") else i) for i in ids}


def test_written_ids_match_the_contract():
    if not CONTRACT.exists():
        pytest.skip("../shared/data-contract.md finns inte bredvid projektet")
    assert _contract_ids(CONTRACT.read_text(encoding="utf-8")) == CONTRACT_IDS


@pytest.mark.parametrize("metric_id", sorted(CONTRACT_IDS))
def test_every_contract_id_is_in_the_catalog_and_docs(metric_id):
    metric = catalog.get(metric_id)
    assert metric.label and metric.definition
    assert (Path(__file__).resolve().parent.parent / "queries" / f"{metric.query}.sql").exists()
    assert f"`{metric_id}`" in docs.DOC_PATH.read_text(encoding="utf-8")


def test_docs_are_up_to_date():
    assert docs.DOC_PATH.read_text(encoding="utf-8") == docs.render(), "kör python -m kfp_metrics.docs"


@pytest.mark.parametrize(
    ("metric_id", "value", "target", "expected"),
    [
        ("sjukfranvaro_total_pct", 5.9, 6.0, "gron"),
        ("sjukfranvaro_total_pct", 6.0, 6.0, "gron"),
        ("sjukfranvaro_total_pct", 6.6, 6.0, "gul"),
        ("sjukfranvaro_total_pct", 6.7, 6.0, "rod"),
        ("heltid_andel_pct", 80.0, 80.0, "gron"),
        ("heltid_andel_pct", 72.0, 80.0, "gul"),
        ("heltid_andel_pct", 71.9, 80.0, "rod"),
        ("heltid_andel_pct", None, 80.0, None),
        ("antal_tillsvidare", 100, 90, None),
    ],
)
def test_target_status(metric_id, value, target, expected):
    assert catalog.target_status(metric_id, value, target) == expected


# Section 8 of the contract (jämställdhet), written out as above.
JAMSTALLDHET_IDS = {
    "andel_kvinnor_chefer_pct",
    "lika_chefskarriar_kvot",
    "andel_tillsvidare_kvinnor_pct",
    "andel_tillsvidare_man_pct",
    "sysselsattningsgrad_kvinnor",
    "sysselsattningsgrad_man",
    "lang_sjukfranvaro_kvinnor_pct",
    "lang_sjukfranvaro_man_pct",
    "personalomsattning_kvinnor_pct",
    "personalomsattning_man_pct",
}


def test_written_jamstalldhet_ids_match_the_contract():
    if not CONTRACT.exists():
        pytest.skip("../shared/data-contract.md finns inte bredvid projektet")
    section = CONTRACT.read_text(encoding="utf-8").split("## 8. Jämställdhet", 1)[1].split("\n## ", 1)[0]
    ids = set()
    for cell in re.findall(r"^\| ([a-z0-9_ ,]+) \|", section, flags=re.M):
        ids.update(part.strip() for part in cell.split(",") if part.strip() and part.strip() != "id")
    assert ids == JAMSTALLDHET_IDS


@pytest.mark.parametrize("metric_id", sorted(JAMSTALLDHET_IDS))
def test_every_jamstalldhet_id_is_in_the_catalog_and_docs(metric_id):
    test_every_contract_id_is_in_the_catalog_and_docs(metric_id)
    assert catalog.get(metric_id).better == "equal"
