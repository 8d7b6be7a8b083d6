"""The nämndrapport's Jämställdhet section and its nulägesanalys paragraph on fixture_jamstalldhet.

Expected figures as in test_jamstalldhet: whole förvaltning at P = 2024-09 against 2023-09.
"""

from __future__ import annotations

import datetime as dt

import fixture_jamstalldhet as fj
import pytest

from kfp_metrics.extracts import connect
from kfp_metrics.queries import Scope
from kfp_metrics.rapport import Options, build
from kfp_metrics.rapport import nulagesanalys as na

P = dt.date(2024, 9, 1)
SKAPAD = dt.datetime(2024, 10, 15, 9, 30)
CHOSEN = ("nulagesanalys", "jamstalldhet")


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


@pytest.fixture(scope="module")
def dirs(tmp_path_factory):
    root = tmp_path_factory.mktemp("jam_rapport")
    return {"med": fj.write(root / "med"), "utan": fj.write(root / "utan", chef=False), "state": root}


def _build(dirs, which="med", scope=None):
    con = connect(dirs[which])
    options = Options(
        period=P, scope=scope or Scope(), avsnitt=CHOSEN, skapad=SKAPAD, state_dir=dirs["state"]
    )
    return build(con, options)


def test_section_with_charts_and_tables(dirs):
    rapport, html = _build(dirs)
    (section,) = rapport.omraden
    assert (section.id, section.rubrik) == ("jamstalldhet", "Jämställdhet")
    assert "Lön och föräldraledighet finns inte i extrakten" in section.text[0]
    assert [f.id for f in section.figurer] == ["fig-jamstalldhet-skillnad", "fig-jamstalldhet-chefer"]
    assert all(f.figure is not None for f in section.figurer)
    tabell = section.tabeller[0]
    assert tabell.kolumner == [
        "Nyckeltal",
        "Kvinnor",
        "Män",
        "Skillnad (p.e.)",
        "Ett år tidigare (p.e.)",
        "Bedömning",
    ]
    rows = {r[0]: [plain(v) for v in r[1:]] for r in tabell.rader}
    # 31/33 = 93,9 % against 24/25 = 96,0 %: −2,1; a year earlier 93,9 − 92,3 = +1,6.
    assert rows["Andel tillsvidareanställda"] == ["93,9 %", "96,0 %", "-2,1", "1,6", "Skillnaden har ökat"]
    # 97,0 against 98,0 (−1,0); 95,5 against 98,1 (−2,6) a year earlier.
    assert rows["Genomsnittlig sysselsättningsgrad"][2:] == ["-1,0", "-2,6", "Skillnaden har minskat"]
    # Managers: 2 of 5 = 40 % against 33/58 = 56,9 %; a year earlier 20 % against 33/59 = 55,9 %.
    chef = rows["Andel kvinnor bland chefer (mot andelen bland alla anställda)"]
    assert chef == ["40,0 %", "56,9 %", "-16,9", "-35,9", "Skillnaden har minskat"]
    # Per avdelning: three avdelningar, each with its five figures.
    assert section.tabeller[1].rubrik == "Per avdelning"
    assert len(section.tabeller[1].rader) == 3 * 5
    assert 'id="jamstalldhet"' in html and "<h3>Jämställdhet</h3>" in html


def test_nulagesanalys_names_the_gaps_that_narrowed(dirs):
    rapport, _ = _build(dirs)
    first, values, chef = (plain(p) for p in rapport.nulagesanalys.amnen["jamstalldhet"])
    assert first == (
        "De nyckeltal som förbättrats sedan september 2023 är skillnad i genomsnittlig sysselsättningsgrad, "
        "skillnad i lång sjukfrånvaro (60 dagar eller mer) och skillnad i personalomsättning: där har "
        "skillnaden mellan kvinnor och män minskat. Skillnaden har ökat i andel tillsvidareanställda."
    )
    assert values == (
        "Andelen tillsvidareanställda är 93,9 % för kvinnor och 96,0 % för män, den genomsnittliga "
        "sysselsättningsgraden 97,0 % respektive 98,0 %, den långa sjukfrånvaron 0,7 % respektive 0,5 % och "
        "personalomsättningen 3,2 % respektive 4,1 %."
    )
    assert chef.startswith(
        "Andelen kvinnor bland cheferna är 40,0 %, jämfört med 56,9 % bland alla månadsavlönade. Kvoten för "
        "lika chefskarriär är därmed 0,70"
    )
    assert chef.endswith("skillnaden har minskat sedan september 2023.")


def test_small_scope_reports_nothing_per_kon(dirs):
    rapport, _ = _build(dirs, scope=Scope.of([fj.FJ], [fj.LITEN]))
    (paragraph,) = rapport.nulagesanalys.amnen["jamstalldhet"]
    assert "redovisas inte" in paragraph
    tabell = rapport.omraden[0].tabeller[0]
    rows = {r[0]: r[1:] for r in tabell.rader}
    # Liten has 2 men: every figure per kön is withheld on paper as on the page.
    assert rows["Lång sjukfrånvaro (60 dagar eller mer)"][:3] == ["..", "..", ".."]
    assert rows["Andel tillsvidareanställda"][:3] == ["..", "..", ".."]
    assert len(rapport.omraden[0].tabeller) == 1  # one avdelning: no table per avdelning


def test_without_chef_column(dirs):
    rapport, _ = _build(dirs, "utan")
    paragraphs = rapport.nulagesanalys.amnen["jamstalldhet"]
    assert paragraphs[-1] == "Extrakten saknar uppgift om chefer, så lika chefskarriär kan inte redovisas."
    assert [f.id for f in rapport.omraden[0].figurer] == ["fig-jamstalldhet-skillnad"]


def test_writer_on_hand_made_figures():
    import pandas as pd

    frame = pd.DataFrame(
        [
            ("andel_tillsvidare", "Andel tillsvidareanställda", 90.0, 90.4, -0.4, -0.3, "okat", False),
            (
                "sysselsattningsgrad",
                "Genomsnittlig sysselsättningsgrad",
                92.0,
                96.0,
                -4.0,
                -4.04,
                "oforandrad",
                False,
            ),
            (
                "lang_sjukfranvaro",
                "Lång sjukfrånvaro (60 dagar eller mer)",
                None,
                None,
                None,
                None,
                None,
                True,
            ),
            ("personalomsattning", "Personalomsättning", 5.0, 6.0, -1.0, None, None, False),
            ("chefer", "Andel kvinnor bland chefer", 50.0, 80.0, -30.0, -30.0, "oforandrad", False),
        ],
        columns=["matt", "namn", "kvinnor", "man", "skillnad", "skillnad_fore", "bedomning", "undertryckt"],
    )
    facts = na.Fakta(
        period=P,
        first_period=dt.date(2023, 1, 1),
        subjekt=na.Subjekt("Förvaltning J", "Förvaltningen"),
        now={},
        before=None,
        targets={},
        kon=(0, 0),
        kon_before=None,
        jamstalldhet=frame,
        chef=True,
    )
    first, values, chef = (plain(p) for p in na._jamstalldhet(facts))
    assert first == (
        "Skillnaden har ökat i andel tillsvidareanställda. Oförändrad är skillnaden i genomsnittlig "
        "sysselsättningsgrad. Skillnaden mellan kvinnor och män i andel tillsvidareanställda är fortsatt "
        "liten, under en procentenhet."
    )
    assert values.endswith(
        "Lång sjukfrånvaro (60 dagar eller mer) redovisas inte per kön eftersom en av grupperna är för liten."
    )
    assert "Kvoten för lika chefskarriär är därmed 0,63" in chef
    assert chef.endswith("skillnaden är oförändrad sedan september 2023.")
