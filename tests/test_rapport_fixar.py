"""What a reader found wrong in the report, each with hand-computed expectations from fixture_data.

Incidents compared like with like, the kön split of the tillsvidareanställda, '±0,0' for a change
that rounds to zero, titles that name the förvaltning of an ambiguous avdelning, the rolling
personalomsättning starting where handelser covers the window, and one content fingerprint.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from apptest_helpers import all_text, app_test

from kfp_metrics import incidenter, rorlighet
from kfp_metrics.cli import main
from kfp_metrics.extracts import connect, content_fingerprint, fingerprint
from kfp_metrics.format import forandring, procentenheter
from kfp_metrics.oversikt import incident_card
from kfp_metrics.personal import Konsfordelning, kon_text, konsfordelning
from kfp_metrics.queries import Scope
from kfp_metrics.rapport import Options, collect
from kfp_metrics.rapport.content import default_title
from kfp_metrics.rapport.nulagesanalys import subjekt_for
from kfp_metrics.urval import beskriv
from kfp_metrics.validation import validate

P = dt.date(2024, 9, 1)
FA, FB = "Förvaltning A", "Förvaltning B"
NBSP = "\u00a0"


# --- Incidents: like with like -------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (dt.date(2024, 9, 1), (2024, 2)),  # September: tertial 3 runs, tertial 2 is the latest complete
        (dt.date(2024, 8, 1), (2024, 2)),  # August ends tertial 2
        (dt.date(2024, 12, 1), (2024, 3)),
        (dt.date(2024, 4, 1), (2024, 1)),
        (dt.date(2024, 2, 1), (2023, 3)),  # January–March: last year's tertial 3
        (dt.date(2024, 5, 1), (2024, 1)),
    ],
)
def test_latest_complete_tertial(period, expected):
    assert incidenter.latest_complete_tertial(period) == expected


def test_september_leads_with_tertial_2_and_counts_september_only_as_so_far(con):
    t = incidenter.tertialer(con, P, Scope())
    # Tertial 2 (maj–augusti) 2024: i9 (no orsak). 2023: i2 (fall) and i3 (hot och våld, 31 August).
    s = t.senaste
    assert (s.ar, s.tertial, s.manader) == (2024, 2, "maj–augusti")
    assert (s.antal, s.hot_och_vald, s.antal_fg, s.hot_och_vald_fg) == (1, 0, 2, 1)
    # Tertial 3 so far: September 2024 has i6 (30 September), September 2023 nothing; i7 (1 October)
    # lies after P and is not counted.
    p = t.pagaende
    assert (p.ar, p.tertial, p.manader, p.antal, p.hot_och_vald, p.antal_fg) == (
        2024,
        3,
        "september",
        1,
        1,
        0,
    )
    # January–September: 2024 i4, i5, i6, i9 (hot: i5, i6); 2023 i1, i2, i3 (hot: i1, i3).
    y = t.i_ar
    assert (y.antal, y.hot_och_vald, y.antal_fg, y.hot_och_vald_fg) == (4, 2, 3, 2)


def test_tertial_end_has_no_running_part(con):
    t = incidenter.tertialer(con, dt.date(2024, 8, 1), Scope())
    assert t.pagaende is None
    assert (t.senaste.tertial, t.senaste.antal, t.senaste.antal_fg) == (2, 1, 2)


def test_february_compares_last_years_tertial_3(con):
    t = incidenter.tertialer(con, dt.date(2024, 2, 1), Scope())
    # Tertial 3 2023 had no report; tertial 3 2022 had i8 (31 December 2022, hot och våld).
    assert (t.senaste.ar, t.senaste.tertial, t.senaste.antal, t.senaste.antal_fg) == (2023, 3, 0, 1)
    # January–February 2024: i4; the same months of 2023: i1.
    assert (t.pagaende.manader, t.pagaende.antal, t.pagaende.antal_fg) == ("januari–februari", 1, 1)


def test_oversikt_card_and_key_figures_agree(con, fixture_dir, tmp_path):
    t = incidenter.tertialer(con, P, Scope())
    card = incident_card(t, P, "pages/incidenter.py")
    assert card.label == "Incidenter tertial 2 2024"
    assert card.value == "1"
    assert card.change == "-1 mot tertial 2 2023"
    assert card.change_good is True
    assert "Hittills i tertial 3 (september): 1, mot 0 samma månad 2023." in card.note
    r = collect(con, Options(period=P, state_dir=tmp_path, avsnitt=("nyckeltal",)))
    rows = {row.namn: row for row in r.nyckeltal}
    assert rows["Incidenter tertial 2 2024"].forandring == "-1 (tertial 2 2023)"
    assert rows["Varav hot och våld tertial 2 2024"].varde == "0"
    assert rows["Varav hot och våld tertial 2 2024"].forandring == "-1 (tertial 2 2023)"
    assert "Incidenter tertial 3 2024" not in rows


# --- Kön split of the tillsvidareanställda ------------------------------------------------------


def test_kon_split_of_tillsvidare_and_manadsavlonade(con):
    k = konsfordelning(con, P, Scope())
    # 16 tillsvidare: women p01–p08, p14, p17, p28 = 11; men p09, p10, … = 5. Månadsavlönade add
    # p11 (K), p12 (M) and p16 (K): 19, of whom 13 women and 6 men.
    assert k == Konsfordelning(16, 11, 5, 19, 13, 6)
    assert kon_text(k) == (
        "16 tillsvidareanställda, varav 11 kvinnor och 5 män. 19 månadsavlönade, varav 13 kvinnor och 6 män."
    )


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (
            Konsfordelning(1016, 752, 264, 1236, 900, 336),
            "1 016 tillsvidareanställda, varav 752 kvinnor och 264 män. "
            "1 236 månadsavlönade, varav 900 kvinnor och 336 män.",
        ),
        (
            Konsfordelning(4, 3, 1, 6, 4, 2),
            "4 tillsvidareanställda; fördelningen per kön redovisas inte för färre än 5 personer. "
            "6 månadsavlönade, varav 4 kvinnor och 2 män.",
        ),
        (Konsfordelning(0, 0, 0, 0, 0, 0), ""),
        (
            Konsfordelning(5, 1, 4, 5, 1, 4),
            "5 tillsvidareanställda, varav 1 kvinna och 4 män. 5 månadsavlönade, varav 1 kvinna och 4 män.",
        ),
    ],
)
def test_kon_text(counts, expected):
    assert kon_text(counts).replace(NBSP, " ") == expected


def test_personal_page_shows_the_tillsvidare_split(monkeypatch, fixture_dir, state_dir):
    at = app_test(monkeypatch, fixture_dir, state_dir, {"period": "2024-09"})
    at.switch_page("pages/personal.py").run()
    assert not at.exception, at.exception
    text = all_text(at).replace(NBSP, " ")
    assert "16 tillsvidareanställda, varav 11 kvinnor och 5 män." in text
    assert "19 månadsavlönade, varav 13 kvinnor och 6 män." in text


def test_small_scope_withholds_the_tillsvidare_split(con, tmp_path):
    # Förvaltning B has 3 tillsvidareanställda in 2024-09: too few to split by kön.
    r = collect(con, Options(period=P, scope=Scope.of([FB]), state_dir=tmp_path, avsnitt=("nyckeltal",)))
    rows = {row.id: row for row in r.nyckeltal}
    assert int(rows["antal_tillsvidare"].varde) < 5
    assert rows["antal_tillsvidare_kvinnor"].varde == ".." and rows["antal_tillsvidare_man"].varde == ".."
    text = " ".join(r.nulagesanalys.amnen["personal"])
    assert "varav" not in text.split("tillsvidareanställda")[1][:12]


# --- ±0,0 for a change that rounds to zero --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (-0.04, 1, "±0,0"),
        (0.04, 1, "±0,0"),
        (-0.05, 1, "-0,1"),  # half away from zero, as tal() rounds
        (0.0, 1, "±0,0"),
        (-0.4, 0, "±0"),
        (0.6, 0, "+1"),
        (-3.5, 1, "-3,5"),
    ],
)
def test_forandring_rounding_to_zero(value, decimals, expected):
    assert forandring(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(-0.03, "±0,0"), (0.049, "±0,0"), (-0.4, "-0,4"), (2.0, "+2,0")],
)
def test_procentenheter_rounding_to_zero(value, expected):
    assert procentenheter(value) == f"{expected}{NBSP}procentenheter"


# --- The förvaltning named where an avdelning's name is not unique --------------------------------

ORG = pd.DataFrame(
    [
        ("Norrdalens stadsdelsförvaltning", "Förskola", "Förskola Norr 1"),
        ("Söderdalens stadsdelsförvaltning", "Förskola", "Förskola Söder 1"),
        ("Söderdalens stadsdelsförvaltning", "Äldreomsorg", "Hemtjänst"),
        ("Norrdalens stadsdelsförvaltning", "Äldreomsorg", "Hemtjänst"),
        ("Norrdalens stadsdelsförvaltning", "Skola", "Skola 1"),
    ],
    columns=["forvaltning", "avdelning", "enhet"],
)


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (
            Scope.of(["Norrdalens stadsdelsförvaltning"], ["Förskola"]),
            "Förskola (Norrdalens stadsdelsförvaltning)",
        ),
        (
            Scope.of([], ["Förskola"]),
            "Förskola (Norrdalens stadsdelsförvaltning och Söderdalens stadsdelsförvaltning)",
        ),
        (Scope.of(["Norrdalens stadsdelsförvaltning"], ["Skola"]), "Skola"),
        (
            Scope.of(["Söderdalens stadsdelsförvaltning"], ["Äldreomsorg"], ["Hemtjänst"]),
            "Hemtjänst (Söderdalens stadsdelsförvaltning)",
        ),
        (Scope.of(["Norrdalens stadsdelsförvaltning"]), "Norrdalens stadsdelsförvaltning"),
        (Scope(), "Alla förvaltningar"),
    ],
)
def test_ambiguous_names_carry_their_forvaltning(scope, expected):
    assert beskriv(scope, ORG) == expected


def test_report_title_and_text_name_the_forvaltning():
    scope = Scope.of(["Norrdalens stadsdelsförvaltning"], ["Förskola"])
    forvaltningar = sorted(set(ORG["forvaltning"]))
    assert (
        default_title(P, scope, forvaltningar, ORG)
        == "Kompetensförsörjning – Förskola (Norrdalens stadsdelsförvaltning), tertial 3 2024"
    )
    subject = subjekt_for(scope, forvaltningar, ORG)
    assert subject.full == "Avdelningen Förskola (Norrdalens stadsdelsförvaltning)"


def test_unique_names_stay_short(con):
    # In the fixture every avdelning name is unique: titles are as before.
    from kfp_metrics.queries import run

    assert beskriv(Scope.of([FA], ["Avdelning X"]), run(con, "organisation", Scope())) == "Avdelning X"


# --- Rolling personalomsättning only where handelser covers the window ----------------------------


@pytest.fixture(scope="module")
def sena_handelser(tmp_path_factory, fixture_dir) -> Path:
    """The fixture with the events before December 2023 removed: handelser begins in 2023-12 while
    anstallningar begins in 2023-09."""
    directory = tmp_path_factory.mktemp("sena_handelser")
    for path in fixture_dir.glob("*.parquet"):
        shutil.copy(path, directory / path.name)
    table = pq.read_table(directory / "handelser.parquet").to_pandas()
    table = table[pd.to_datetime(table["datum"]) >= pd.Timestamp("2023-12-01")]
    schema = pq.read_schema(fixture_dir / "handelser.parquet")
    pq.write_table(
        pa.Table.from_pandas(table, schema=schema, preserve_index=False), directory / "handelser.parquet"
    )
    return directory


def test_tackning(con, sena_handelser):
    # Events from 2023-06 and employment rows from 2023-09: the first full window ends 2024-08.
    assert rorlighet.tackning(con) == rorlighet.Tackning(dt.date(2024, 8, 1), None)
    late = connect(sena_handelser)
    try:
        t = rorlighet.tackning(late)
        # First event 2023-12-31: twelve months of events first end in 2024-11.
        assert t == rorlighet.Tackning(dt.date(2024, 11, 1), dt.date(2023, 12, 1))
        assert "börjar först i december 2023" in t.not_text and "från november 2024" in t.not_text
        assert rorlighet.personalomsattning_per_manad(late, P, Scope()).empty
        fig = rorlighet.figure_personalomsattning(
            rorlighet.personalomsattning_per_manad(late, P, Scope()), "Alla", P, None, t.not_text
        )
        # The empty chart says why, wrapped over lines.
        assert t.not_text in " ".join(a.text.replace("<br>", " ") for a in fig.layout.annotations)
        r = collect(late, Options(period=P, avsnitt=("nyckeltal", "nulagesanalys", "rorlighet")))
        rows = {row.id: row for row in r.nyckeltal}
        assert rows["personalomsattning_pct"].varde == "–"
        assert t.not_text in next(a for a in r.omraden if a.id == "rorlighet").noter
        assert "personalomsättningen" not in " ".join(r.nulagesanalys.amnen.get("rorlighet", [])).lower()
    finally:
        late.close()
    # The fixture's own line: 2024-08 and 2024-09 only (from the first full window on).
    frame = rorlighet.personalomsattning_per_manad(con, P, Scope(), fran=dt.date(2024, 1, 1))
    assert [pd.Timestamp(p).date() for p in frame["period"]] == [dt.date(2024, 8, 1), dt.date(2024, 9, 1)]


def test_validation_warns_when_handelser_starts_later(fixture_dir, sena_handelser):
    messages = [f.message for f in validate(sena_handelser).warnings]
    assert any(
        "händelserna börjar i 2023-12 men anställningarna redan i 2023-09" in m and "från 2024-11" in m
        for m in messages
    ), messages
    assert not any("händelserna börjar" in f.message for f in validate(fixture_dir).warnings)


# --- One fingerprint -----------------------------------------------------------------------------


def test_validate_prints_the_content_fingerprint_the_report_prints(fixture_dir, state_dir, capsys, tmp_path):
    content = content_fingerprint(fixture_dir)
    assert content != fingerprint(fixture_dir)  # the cache key differs: it must never be shown
    for _ in range(2):  # a fresh verdict, then the stored one
        assert main(["validate", str(fixture_dir)]) == 0
        out = capsys.readouterr().out
        assert f"Extraktens fingeravtryck: {content}" in out
        assert fingerprint(fixture_dir) not in out
    assert "Sparat resultat för oförändrade filer." in out
    assert main(["validate", str(fixture_dir), "--json"]) == 0
    json_out = capsys.readouterr().out
    assert f'"fingeravtryck": "{content}"' in json_out and fingerprint(fixture_dir) not in json_out
    html = tmp_path / "r.html"
    assert (
        main(
            [
                "rapport",
                "--data",
                str(fixture_dir),
                "--period",
                "2024-09",
                "--avsnitt",
                "nyckeltal",
                "--html",
                str(html),
            ]
        )
        == 0
    )
    assert content in html.read_text(encoding="utf-8")
