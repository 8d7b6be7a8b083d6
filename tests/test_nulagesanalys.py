"""The drafted nulägesanalys: Swedish wording helpers and the text for the hand-built fixture.

Expected figures are worked out from fixture_data (see test_nyckeltal.py for the derivations).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from kfp_metrics.queries import Scope
from kfp_metrics.rapport import nulagesanalys as na

FA, FB = "Förvaltning A", "Förvaltning B"
AX, AY = "Avdelning X", "Avdelning Y"
P = dt.date(2024, 9, 1)
TODAY = dt.date(2024, 10, 15)


def plain(text: str) -> str:
    """Non-breaking spaces as ordinary ones, so expected strings read naturally."""
    return text.replace("\u00a0", " ")


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0 personer"),
        (1, "1 person"),
        (2, "2 personer"),
        (1663, "1 663 personer"),
        (12345, "12 345 personer"),
    ],
)
def test_antal_singular_plural_and_thousands(n, expected):
    assert na.antal(n, "person", "personer") == expected


def test_antal_zero_word():
    assert na.antal(0, "rekrytering", "rekryteringar", "inga rekryteringar") == "inga rekryteringar"


@pytest.mark.parametrize(
    ("delta", "neuter", "inverted", "expected"),
    [
        (2.04, False, False, "andelen män har ökat med 2,0 procentenheter"),
        (-7.6, False, False, "andelen män har minskat med 7,6 procentenheter"),
        (0.01, False, False, "andelen män är oförändrad"),
        (0.0, True, False, "andelen män är oförändrat"),
        (2.04, False, True, "har andelen män ökat med 2,0 procentenheter"),
        (0.0, False, True, "är andelen män oförändrad"),
        (None, False, False, None),
    ],
)
def test_forandring_text(delta, neuter, inverted, expected):
    assert na.forandring_text("andelen män", delta, "procentenheter", neuter, inverted) == expected


@pytest.mark.parametrize(
    ("items", "expected"),
    [([], ""), (["a"], "a"), (["a", "b"], "a och b"), (["a", "b", "c"], "a, b och c")],
)
def test_uppraknad(items, expected):
    assert na.uppraknad(items) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Undersköterska", "undersköterska"),
        ("IT-tekniker", "IT-tekniker"),
        ("HR-specialist", "HR-specialist"),
    ],
)
def test_befattning_namn(name, expected):
    assert na.befattning_namn(name) == expected


@pytest.mark.parametrize(
    ("period", "expected"),
    [(dt.date(2024, 9, 1), "januari–september 2024"), (dt.date(2024, 1, 1), "januari 2024")],
)
def test_manadsintervall(period, expected):
    assert na.manadsintervall(period) == expected


@pytest.mark.parametrize(
    ("value", "target", "better", "expected"),
    [
        (2.3, 6.0, "lower", "under målet på 6,0 %, som därmed nås"),
        (7.0, 6.0, "lower", "över målet på 6,0 %, som därmed inte nås"),
        (80.0, 85.0, "higher", "under målet på 85,0 %, som därmed inte nås"),
        (6.01, 6.0, "lower", "i nivå med målet på 6,0 %"),
    ],
)
def test_mal_jamforelse(value, target, better, expected):
    assert plain(na.mal_jamforelse(value, target, better)) == expected


@pytest.mark.parametrize(
    ("scope", "forvaltningar", "full", "kort"),
    [
        (Scope.of([FA]), [FA, FB], "Förvaltning A", "Förvaltningen"),
        (
            Scope.of(["Hässelby-Vällingby stadsdelsförvaltning"]),
            [],
            "Förvaltningen Hässelby-Vällingby stadsdelsförvaltning",
            "Förvaltningen",
        ),
        (Scope.of(avdelning=[AX]), [FA, FB], "Avdelning X", "Avdelningen"),
        (Scope.of(avdelning=["Äldreomsorg"]), [FA], "Avdelningen Äldreomsorg", "Avdelningen"),
        (Scope.of(avdelning=[AX, AY]), [FA], "Avdelningarna Avdelning X och Avdelning Y", "Avdelningarna"),
        (Scope(), ["Norrdalens stadsdelsförvaltning"], "Norrdalens stadsdelsförvaltning", "Förvaltningen"),
        (Scope(), [FA, FB], "De redovisade förvaltningarna", "Förvaltningarna"),
    ],
)
def test_subjekt(scope, forvaltningar, full, kort):
    assert na.subjekt_for(scope, forvaltningar) == na.Subjekt(full, kort)


# --- The text for the fixture ------------------------------------------------------------------


@pytest.fixture(scope="module")
def drafts(con, tmp_path_factory):
    """The draft per scope, computed once per module (with an empty activity log)."""
    state = tmp_path_factory.mktemp("state")
    cache: dict[Scope, na.Nulagesanalys] = {}

    def get(scope: Scope | None = None) -> na.Nulagesanalys:
        scope = scope or Scope()
        if scope not in cache:
            cache[scope] = na.analys(con, P, scope, state_dir=state, today=TODAY)
        return cache[scope]

    get.state = state
    return get


def test_headcount_and_gender(drafts):
    text = plain(" ".join(drafts().amnen["personal"]))
    # 19 månadsavlönade (16 tillsvidare + p11, p12, p16); women p01–p08, p11, p14, p16, p17, p28 = 13.
    assert "har 19 anställda som uppbär månadslön" in text
    assert "Av dessa är 13 kvinnor och 6 män" in text
    # 100 × 13/19 = 68,4 → 68 %; the men's share is the rest so the two add up to 100.
    assert "68 % är kvinnor och 32 % män" in text
    # 2023-09: 23 månadsavlönade of whom 9 men (39,1 %); now 6 of 19 (31,6 %): −7,6 procentenheter.
    assert "Sedan september 2023 har andelen män minskat med 7,6 procentenheter." in text
    # The plans' kön split of the tillsvidareanställda: the 13 women less p11 and p16 (tidsbegränsade) = 11,
    # so 16 − 11 = 5 men.
    assert "16 tillsvidareanställda, varav 11 kvinnor och 5 män, och 3 tidsbegränsat anställda" in text
    assert "Därtill har 1 timavlönad haft anställning" in text
    # 20 tillsvidare a year before: −4, i.e. −20,0 %.
    assert "har antalet tillsvidareanställda minskat med 4 (20,0 %)" in text
    assert "Medelåldern bland de månadsavlönade är 46,1 år." in text
    # Undersköterska p01–p03, p09, p10 and vårdbiträde p06–p08, p11, p12: 5 each of 19 = 26 %.
    assert "undersköterska (26 %), vårdbiträde (26 %), socialsekreterare (16 %)" in text


def test_movement_and_pension(drafts):
    amnen = drafts().amnen
    text = plain(" ".join(amnen["rorlighet"]))
    assert "Hittills i år (januari–september 2024) har 2 rekryteringar till tillsvidareanställning" in text
    assert "Därtill har 1 tidsbegränsad anställning påbörjats." in text
    assert "har 4 tillsvidareanställda avslutat sin anställning" in text
    # 100 × 4 / (209/12) = 22,97 → 23,0 %.
    assert "de senaste 12 månaderna (oktober 2023–september 2024) är 23,0 %" in text
    pension = plain(" ".join(amnen["pension"]))
    # p01 (1960), p03 (1961), p04 (1962) reach 65 in 2025–2027; p02 (1959) already in 2024.
    assert (
        "når 3 tillsvidareanställda pensionsåldern under de kommande tre åren: 1 under 2025, 1 under 2026 och "
        "1 under 2027" in pension
    )
    assert "Därtill har 1 tillsvidareanställd redan uppnått" in pension


def test_sick_leave_never_uses_a_suppressed_group(drafts):
    paragraphs = drafts().amnen["sjukfranvaro"]
    text = plain(" ".join(paragraphs))
    # 100 × 569/25 240 = 2,25 → 2,3 %; dag 1–14 100 × 207/25 240 = 0,82 → 0,8 %, target 2,0 %.
    assert "är 2,3 % av den ordinarie arbetstiden" in text
    assert (
        "Korttidssjukfrånvaron (dag 1–14) är 0,8 %, vilket är under målet på 2,0 %, som därmed nås." in text
    )
    # Men (8 persons) are withheld, so women are too (secondary suppression): no rate per kön at all.
    assert "Sjukfrånvaron per kön redovisas inte" in text
    assert "Bland män" not in text and "Bland kvinnor" not in text
    assert "2,9 %" not in text  # women's 501/17 040, withheld
    # ≤ 29 (5 persons) and ≥ 50 (9) withheld; 30–49 (11 persons) 100 × 60/10 900 = 0,55 → 0,6 %.
    assert "I åldersgruppen 30–49 år är sjukfrånvaron 0,6 %." in text
    assert "29 år och yngre" not in text and "50 år och äldre" not in text


def test_small_scope_reports_nothing_withheld(drafts):
    amnen = drafts(Scope.of(avdelning=[AY])).amnen
    sjuk = plain(" ".join(amnen["sjukfranvaro"]))
    assert "redovisas inte för urvalet eftersom gruppen har 10 eller färre personer" in sjuk
    assert "%" not in sjuk
    enkat = plain(" ".join(amnen["medarbetarenkat"]))
    assert "färre än 5 personer har svarat" in enkat
    assert "”" not in enkat and "Medarbetarindex är" not in enkat
    personal = plain(" ".join(amnen["personal"]))
    # Three månadsavlönade: counts in words, shares withheld (fewer than 5).
    assert "Av dessa är 2 kvinnor och 1 man." in personal
    assert "1 tidsbegränsat anställd" in personal
    assert "Medelåldern" not in personal
    assert "Andelen heltidsanställda redovisas inte" in plain(" ".join(amnen["heltid"]))


def test_survey_strengths_and_focus_areas(drafts):
    text = plain(" ".join(drafts().amnen["medarbetarenkat"]))
    assert "I medarbetarenkäten 2024 svarade 12 personer (svarsfrekvens 80,0 %)." in text
    # q3 (90×10 + 70×2)/12 = 86,7 and q1 (800 + 120)/12 = 76,7 highest; q5 (500 + 80)/12 = 48,3 and
    # q4 (480 + 80)/9 = 62,2 lowest.
    assert (
        "Högst resultat har frågorna ”Min närmaste chef visar uppskattning för mitt arbete” (86,7) och "
        "”Jag ser fram emot att gå till arbetet” (76,7)"
    ) in text
    assert (
        "Lägst resultat har frågorna ”Jag rekommenderar min arbetsplats” (48,3) och ”Jag vet vad som förväntas "
        "av mig i mitt arbete” (62,2)"
    ) in text


def test_incidents_and_plan(drafts):
    amnen = drafts().amnen
    inc = plain(" ".join(amnen["incidenter"]))
    # September is not a tertial's end: the text leads with the latest complete tertial, 2 (maj–augusti):
    # 2024 has i9 (no orsak), 2023 has i2 (fall) and i3 (hot och våld).
    assert (
        "Under tertial 2 2024 (maj–augusti) anmäldes 1 incident, varav ingen gällde hot och våld. Under "
        "samma tertial 2023 anmäldes 2 incidenter, varav 1 gällde hot och våld." in inc
    )
    # The running tertial only so far: September 2024 has i6, September 2023 none.
    assert (
        "Hittills under tertial 3 2024 (september) har 1 incident anmälts, mot inga under samma månad 2023."
        in inc
    )
    # Hot och våld January–September 2024: i5, i6 = 2; the same months of 2023: i1, i3 = 2.
    assert (
        "Hittills i år (januari–september) har 2 anmälningar om hot och våld gjorts, mot 2 under samma "
        "månader 2023." in inc
    )
    # Never the running tertial against a whole tertial of last year.
    assert "hela tertial" not in inc
    plan = plain(" ".join(amnen["aktiviteter"]))
    # A1 (2024-06-30, pågår) and A5 (2024-01-31, ej påbörjad) are past their date on 30 september.
    assert (
        "Handlingsplanen omfattar 6 aktiviteter, varav 1 är klar, 2 pågår, 2 har inte påbörjats och 1 är "
        "inställd. Av dessa är 2 försenade" in plan
    )


def test_grammar_for_a_single_activity_and_no_recruitment(drafts):
    amnen = drafts(Scope.of([FB])).amnen
    assert (
        "Handlingsplanen omfattar 1 aktivitet, som inte har påbörjats. Den är försenad"
        in amnen["aktiviteter"][0]
    )
    assert "har inga rekryteringar till tillsvidareanställning genomförts" in amnen["rorlighet"][0]
    assert "har 1 tillsvidareanställd avslutat sin anställning" in amnen["rorlighet"][0]
    assert plain(amnen["personal"][1]).startswith("Samtliga månadsavlönade är tillsvidareanställda.")


def test_same_data_same_text(con, drafts):
    first = drafts()
    again = na.nulagesanalys(con, P, Scope(), state_dir=drafts.state, today=TODAY)
    assert again == first.stycken()
    assert first.text() == "\n\n".join(first.stycken())


def test_numbers_are_in_swedish_form(drafts):
    text = drafts().text()
    assert not re.search(r"\d\.\d", text), "decimal point instead of comma"
    assert re.search(r"\d,\d", text)
    assert "None" not in text and "nan" not in text
