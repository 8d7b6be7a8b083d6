"""Every contract metric on the hand-built fixture; expected values worked out from fixture_data."""

from __future__ import annotations

import datetime as dt

import pytest

from kfp_metrics import aktivitetslogg, nyckeltal
from kfp_metrics.extracts import connect
from kfp_metrics.nyckeltal import compute, scope_warnings, targets
from kfp_metrics.queries import Scope

FA, FB = "Förvaltning A", "Förvaltning B"
AX, AY = "Avdelning X", "Avdelning Y"
P = dt.date(2024, 9, 1)
LATER = dt.date(2026, 1, 1)


def figures(con, state_dir, scope=None, period=P, **kw):
    return compute(con, period, scope or Scope(), state_dir=state_dir, today=kw.pop("today", LATER), **kw)


# Whole scope at 2024-09: tillsvidare p01–p10, p14, p15, p17, p18, p27, p28 (16; p07 joined in March);
# månadsavlönade add p11, p12, p16 (19); ages in 2024 sum to 876.
PERSONAL_ALL = {
    "antal_tillsvidare": 16,
    "antal_tillsvidare_kvinnor": 11,
    "antal_tillsvidare_man": 5,
    "antal_tidsbegransade": 3,
    "antal_timavlonade": 1,
    "antal_manadsavlonade": 19,
    "andel_kvinnor_pct": 100 * 13 / 19,
    "medelalder": 876 / 19,
    # 2023-09 had 20 tillsvidare (p07 not yet, p20 p21 p22 p25 p26 still there).
    "forandring_tillsvidare_pct": 100 * (16 - 20) / 20,
    "antal_deltid": 4,  # p03 75, p06 80, p10 50, p16 60
    "heltid_andel_pct": 100 * 15 / 19,
    "heltid_andel_kvinnor_pct": 100 * 10 / 13,
    "heltid_andel_man_pct": 100 * 5 / 6,
    "heltidsarbetande_andel_pct": 100 * 13 / 19,  # p02 80, p15 90 and the part-timers work < 100
}

# Avdelning X only: tillsvidare p01–p10; månadsavlönade add p11, p12; women p01–p08, p11.
PERSONAL_AX = {
    "antal_tillsvidare": 10,
    "antal_tillsvidare_kvinnor": 8,
    "antal_tillsvidare_man": 2,
    "antal_tidsbegransade": 2,
    "antal_timavlonade": 1,
    "antal_manadsavlonade": 12,
    "andel_kvinnor_pct": 100 * 9 / 12,
    "medelalder": (64 + 65 + 63 + 62 + 54 + 44 + 34 + 29 + 39 + 49 + 24 + 26) / 12,
    # 2023-09 in X: p01–p06, p08–p10, p20, p21, p26 = 12.
    "forandring_tillsvidare_pct": 100 * (10 - 12) / 12,
    "antal_deltid": 3,
    "heltid_andel_pct": 100 * 9 / 12,
    "heltid_andel_kvinnor_pct": 100 * 7 / 9,
    "heltid_andel_man_pct": 100 * 2 / 3,
    "heltidsarbetande_andel_pct": 100 * 8 / 12,  # p02 faktisk 80 besides the part-timers
}


@pytest.mark.parametrize(
    ("scope", "expected"),
    [(Scope(), PERSONAL_ALL), (Scope.of([FA], [AX]), PERSONAL_AX)],
    ids=["alla", "avdelning_x"],
)
def test_personal(con, state_dir, scope, expected):
    got = figures(con, state_dir, scope)["personal"]
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value), key


def test_sjukfranvaro_whole_scope(con, state_dir):
    got = figures(con, state_dir)
    sjuk = got["sjukfranvaro"]
    assert (sjuk["fran"], sjuk["till"]) == ("2023-10", "2024-09")
    # Ordinary hours in the window: 25 240; sick 569, of which day 1–14 207 and long spells 300.
    assert sjuk["sjukfranvaro_total_pct"] == pytest.approx(100 * 569 / 25240)
    assert sjuk["sjukfranvaro_kort_pct"] == pytest.approx(100 * 207 / 25240)
    assert sjuk["sjukfranvaro_lang_andel_pct"] == pytest.approx(100 * 300 / 569)
    # 17 women: 501 sick of 17 040 hours; 11 persons aged 30–49: 60 of 10 900.
    assert sjuk["sjukfranvaro_kvinnor_pct"] == pytest.approx(100 * 501 / 17040)
    assert sjuk["sjukfranvaro_30_49_pct"] == pytest.approx(100 * 60 / 10900)
    # Men (8 persons), ≤ 29 (5) and ≥ 50 (9) are groups of 10 or fewer: withheld.
    for key in ("sjukfranvaro_man_pct", "sjukfranvaro_29_pct", "sjukfranvaro_50_pct"):
        assert sjuk[key] is None
        assert key in got["undertryckta"]
    assert "sjukfranvaro_kvinnor_pct" not in got["undertryckta"]


def test_sjukfranvaro_small_scope_is_suppressed_entirely(con, state_dir):
    # Avdelning Y has p14, p15, p16, p22 with hours in the window: every figure withheld.
    got = figures(con, state_dir, Scope.of(avdelning=[AY]))
    ids = [k for k in got["sjukfranvaro"] if k.endswith("_pct")]
    assert all(got["sjukfranvaro"][k] is None for k in ids)
    # Nobody aged ≤ 29 in Y: a missing ratio is null but not listed as suppressed.
    assert "sjukfranvaro_29_pct" not in got["undertryckta"]
    assert "sjukfranvaro_total_pct" in got["undertryckta"]
    assert "sjukfranvaro_lang_andel_pct" in got["undertryckta"]


def test_rorlighet(con, state_dir):
    r = figures(con, state_dir)["rorlighet"]
    # Leavers to other förvaltning or outside in 2023-10..2024-09: p20, p21, p22, p25 (p05 intern,
    # p26 before the window). Monthly tillsvidare over the window sum to 209.
    assert r["personalomsattning_pct"] == pytest.approx(100 * 4 / (209 / 12))
    assert r["avgangar_tillsvidare_hittills"] == 4  # p20, p22, p05 (intern), p25
    assert r["rekryteringar_tillsvidare_hittills"] == 2  # p07, p05; p29 is after P
    assert r["avgangar_tidsbegransade_hittills"] == 1
    assert r["rekryteringar_tidsbegransade_hittills"] == 1


def test_rorlighet_scope_uses_event_org(con, state_dir):
    r = figures(con, state_dir, Scope.of([FB]))["rorlighet"]
    # Förvaltning B: p25 left in March; tillsvidare p17, p18, p27, p28 all year plus p25 Oct–Mar.
    assert r["personalomsattning_pct"] == pytest.approx(100 * 1 / ((4 * 12 + 6) / 12))
    assert r["avgangar_tillsvidare_hittills"] == 1
    assert r["rekryteringar_tillsvidare_hittills"] == 0


@pytest.mark.parametrize(
    ("alder", "redan", "per_ar"),
    [
        (65, 1, {"2025": 1, "2026": 1, "2027": 1}),  # p02 1959; p01 1960, p03 1961, p04 1962
        (67, 0, {"2025": 0, "2026": 1, "2027": 1}),
        (69, 0, {"2025": 0, "2026": 0, "2027": 0}),  # earliest is p02 reaching 69 in 2028
    ],
)
def test_pension(con, state_dir, alder, redan, per_ar):
    p = figures(con, state_dir, pensionsalder=alder)["pension"]
    assert p == {"pensionsalder": alder, "pension_redan": redan, "pension_per_ar": per_ar}


def test_medarbetarenkat_weighted(con, state_dir):
    got = figures(con, state_dir)
    e = got["medarbetarenkat"]
    q1, q2, q3, q4 = 920 / 12, 730 / 11, 1040 / 12, 560 / 9
    assert e["ar"] == 2024  # 2025 is after P's year
    assert e["medarbetarindex_motivation"] == pytest.approx((q1 + q2) / 2)
    assert e["medarbetarindex_ledarskap"] == pytest.approx(q3)
    assert e["medarbetarindex_styrning"] == pytest.approx(q4)
    assert e["medarbetarindex"] == pytest.approx(((q1 + q2) / 2 + q3 + q4) / 3)
    assert e["antal_svar"] == 12
    assert e["svarsfrekvens_pct"] == pytest.approx(100 * 12 / 15)


def test_medarbetarenkat_suppressed_under_five(con, state_dir):
    got = figures(con, state_dir, Scope.of(avdelning=[AY]))
    e = got["medarbetarenkat"]
    assert e["antal_svar"] == 2
    assert e["medarbetarindex"] is None and e["medarbetarindex_ledarskap"] is None
    assert {
        "medarbetarindex",
        "medarbetarindex_motivation",
        "medarbetarindex_ledarskap",
        "medarbetarindex_styrning",
    } <= set(got["undertryckta"])


def test_medarbetarenkat_empty_scope_is_null_not_suppressed(con, state_dir):
    got = figures(con, state_dir, Scope.of([FB]))
    assert got["medarbetarenkat"]["medarbetarindex"] is None
    assert got["medarbetarenkat"]["antal_svar"] == 0
    # Five persons in B: every sick-leave group with hours is withheld; nobody there is ≤ 29.
    assert got["undertryckta"] == [
        "sjukfranvaro_total_pct",
        "sjukfranvaro_kort_pct",
        "sjukfranvaro_lang_andel_pct",
        "sjukfranvaro_kvinnor_pct",
        "sjukfranvaro_man_pct",
        "sjukfranvaro_30_49_pct",
        "sjukfranvaro_50_pct",
        # Jämställdhet (contract 8): the long sick leave of both kön, with scheduled hours in B.
        "lang_sjukfranvaro_kvinnor_pct",
        "lang_sjukfranvaro_man_pct",
    ]


def test_incidenter_per_tertial(con, state_dir):
    rows = figures(con, state_dir)["incidenter"]["per_tertial"]
    assert [(r["ar"], r["tertial"], r["antal"], r["hot_och_vald"]) for r in rows] == [
        (2023, 1, 1, 1),
        (2023, 2, 2, 1),
        (2023, 3, 0, 0),
        (2024, 1, 2, 1),
        (2024, 2, 1, 0),
        (2024, 3, 1, 1),
    ]


def test_incidenter_tertial_in_progress(con, state_dir):
    rows = figures(con, state_dir, period=dt.date(2024, 4, 1))["incidenter"]["per_tertial"]
    assert [(r["ar"], r["tertial"], r["antal"]) for r in rows] == [
        (2023, 1, 1),
        (2023, 2, 2),
        (2023, 3, 0),
        (2024, 1, 2),
    ]


def test_aktiviteter_plan_status(con, state_dir):
    a = figures(con, state_dir)["aktiviteter"]
    assert a == {"per_status": {"ej_paborjad": 2, "pagar": 2, "klar": 1, "installd": 1}, "forsenade": 2}


def test_aktiviteter_avdelning_includes_forvaltningsovergripande(con, state_dir):
    a = figures(con, state_dir, Scope.of(avdelning=[AX]))["aktiviteter"]
    # A1 (förvaltningsövergripande), A2, A4, A6.
    assert a == {"per_status": {"ej_paborjad": 1, "pagar": 2, "klar": 0, "installd": 1}, "forsenade": 1}


def test_aktiviteter_follow_the_change_log(con, state_dir):
    aktivitetslogg.append_change("A2", "klar", None, "Test", state_dir=state_dir)
    aktivitetslogg.append_change("A5", "pagar", "Startad", "Test", state_dir=state_dir)
    aktivitetslogg.append_change("A5", "klar", None, "Test", state_dir=state_dir)
    a = figures(con, state_dir)["aktiviteter"]
    assert a == {"per_status": {"ej_paborjad": 0, "pagar": 2, "klar": 3, "installd": 1}, "forsenade": 1}


def test_aktiviteter_reference_date_is_earlier_of_today_and_period_end(con, state_dir):
    # Today 2024-07-01: A1 (30 June) and A5 are late, A6 (30 Sept) is not yet.
    assert figures(con, state_dir, today=dt.date(2024, 7, 1))["aktiviteter"]["forsenade"] == 2
    # Today 2024-06-30: A1 is due today, not late.
    assert figures(con, state_dir, today=dt.date(2024, 6, 30))["aktiviteter"]["forsenade"] == 1


def test_unknown_name_gives_empty_scope_with_warning(con, state_dir):
    scope = Scope.of(["Finns inte"])
    got = figures(con, state_dir, scope)
    assert got["personal"]["antal_tillsvidare"] == 0
    assert got["personal"]["andel_kvinnor_pct"] is None
    assert got["rorlighet"]["personalomsattning_pct"] is None
    assert got["sjukfranvaro"]["sjukfranvaro_total_pct"] is None
    assert got["undertryckta"] == []
    assert any("Finns inte" in w for w in scope_warnings(con, scope))


def test_no_snapshot_a_year_before_gives_null_change(con, state_dir):
    # 2024-08 minus 12 months is 2023-08, before the first extract month.
    got = figures(con, state_dir, period=dt.date(2024, 8, 1))
    assert got["personal"]["forandring_tillsvidare_pct"] is None


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (Scope.of([FA]), {"sjukfranvaro_total_pct": 6.0, "sjukfranvaro_kort_pct": 2.0}),
        (Scope.of([FA], [AX]), {"sjukfranvaro_total_pct": 7.5, "sjukfranvaro_kort_pct": 2.0}),
        (Scope.of([FA], [AY]), {"sjukfranvaro_total_pct": 6.0, "sjukfranvaro_kort_pct": 2.0}),
        (Scope.of([FB]), {"sjukfranvaro_total_pct": 5.0}),
        (Scope.of(enhet=["Enhet X1"]), {"sjukfranvaro_total_pct": 7.5, "sjukfranvaro_kort_pct": 2.0}),
    ],
)
def test_targets(con, scope, expected):
    assert targets(con, P, scope) == expected


def test_targets_differing_across_forvaltningar_have_no_single_value(con):
    assert "sjukfranvaro_total_pct" not in targets(con, P, Scope.of([FA, FB]))


def test_text_stored_numbers_are_cast_to_contract_types(tmp_path, state_dir):
    import fixture_data
    import pyarrow as pa
    import pyarrow.parquet as pq

    directory = fixture_data.write(tmp_path / "text")
    table = pq.read_table(directory / "anstallningar.parquet")
    index = table.schema.get_field_index("fodelsear")
    as_text = pa.array([str(v) for v in table["fodelsear"].to_pylist()])
    pq.write_table(table.set_column(index, "fodelsear", as_text), directory / "anstallningar.parquet")
    con = connect(directory)
    assert figures(con, state_dir)["personal"]["medelalder"] == pytest.approx(876 / 19)


def test_avdelning_targets_resolve_own_before_forvaltning(con):
    # TARGETS: Förvaltning A 6,0 with its Avdelning X at 7,5; Förvaltning B 5,0; kort only for A (2,0).
    pairs = [(FA, "Avdelning X"), (FA, "Avdelning Y"), (FB, "Avdelning Z")]
    total = nyckeltal.avdelning_targets(con, P, "sjukfranvaro_total_pct", pairs)
    assert total == {pairs[0]: 7.5, pairs[1]: 6.0, pairs[2]: 5.0}
    kort = nyckeltal.avdelning_targets(con, P, "sjukfranvaro_kort_pct", pairs)
    assert kort == {pairs[0]: 2.0, pairs[1]: 2.0, pairs[2]: None}
    # The same as targets() gives for a scope of each avdelning alone.
    for f, a in pairs:
        alone = nyckeltal.targets(con, P, Scope.of([f], [a]))
        assert total[(f, a)] == alone.get("sjukfranvaro_total_pct")
        assert kort[(f, a)] == alone.get("sjukfranvaro_kort_pct")
    # Before the first target year there is none.
    assert set(
        nyckeltal.avdelning_targets(con, dt.date(2023, 12, 1), "sjukfranvaro_total_pct", pairs).values()
    ) == {None}
