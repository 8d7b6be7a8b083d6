"""The Aktiviteter page's pure helpers on the hand-built fixture.

Expected values come from fixture_data.ACTIVITIES (A1–A6) and the fixture's persons and hours:

    A1 FA  –   utveckla    2024-06-30 pagar        sjukfranvaro_total_pct
    A2 FA  AX  behalla     2024-12-31 ej_paborjad
    A3 FA  AY  rekrytera   2024-03-31 klar
    A4 FA  AX  attrahera   2024-08-31 installd
    A5 FB  –   introducera 2024-01-31 ej_paborjad
    A6 FA  AX  avsluta     2024-09-30 pagar

Sjukfrånvaro Förvaltning A, 12 months to 2024-09 (2023-10 … 2024-09): ordinarie 19 840 h
(9 full-year AX persons 10 800 − 100 for p10's empty July, p07 700, p11 900, p12 1 200, p13 12 × 20,
AY 3 600, p20 500, p21 300, p22 800, p24 900) and sick 519 h (p02 300, p01 120, p09 20, p12 8,
p13 5, p14 50, p24 16): 2,616 %. To 2024-08 (2023-09 … 2024-08): 20 140 h and 519 h: 2,577 %.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fixture_data import AX, AY, AZ, FA, FB

from kfp_metrics import aktiviteter as akt
from kfp_metrics import aktivitetslogg, nyckeltal, plan_io
from kfp_metrics.extracts import connect
from kfp_metrics.queries import Scope

P = dt.date(2024, 9, 1)
REF = dt.date(2024, 9, 30)


ALLA = Scope()


def plan(con, state_dir, scope=ALLA, ref=REF):
    return akt.plan_for_scope(con, scope, ref, state_dir)


def ids(frame: pd.DataFrame) -> list[str]:
    return list(frame["aktivitet_id"])


# --- the plan in a scope ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (Scope(), ["A1", "A2", "A4", "A3", "A5", "A6"]),
        (Scope.of([FA]), ["A1", "A2", "A4", "A3", "A6"]),
        (Scope.of([FA], [AX]), ["A1", "A2", "A4", "A6"]),
        (Scope.of([], [AX]), ["A1", "A2", "A4", "A6"]),
        (Scope.of([FA], [AY]), ["A1", "A3"]),
        (Scope.of([FB]), ["A5"]),
        (Scope.of([FA], [AX], ["Enhet X1"]), ["A1", "A2", "A4", "A6"]),
        (Scope.of([FA], ["Finns inte"]), []),
    ],
    ids=["alla", "fa", "fa-x", "x", "fa-y", "fb", "enhet", "okand"],
)
def test_plan_in_scope_in_ubaria_order(con, state_dir, scope, expected):
    # Order: Utveckla, Behålla, Attrahera, Rekrytera, Introducera, Avsluta.
    assert ids(plan(con, state_dir, scope)) == expected


def test_plan_labels(con, state_dir):
    frame = plan(con, state_dir).set_index("aktivitet_id")
    assert frame.loc["A1", "ubaria_label"] == "Utveckla"
    assert frame.loc["A2", "ubaria_label"] == "Behålla"
    assert frame.loc["A1", "status_label"] == "Pågår"
    assert frame.loc["A4", "status_label"] == "Inställd"
    assert frame.loc["A1", "avdelning_label"] == "Förvaltningsövergripande"
    assert frame.loc["A2", "avdelning_label"] == AX


@pytest.mark.parametrize(
    ("period", "today", "expected"),
    [
        ("2024-09", dt.date(2025, 1, 15), ["A1", "A5"]),  # ref 2024-09-30: A6 is due that day, not before
        ("2024-09", dt.date(2024, 7, 15), ["A1", "A5"]),  # ref = today
        ("2024-06", dt.date(2025, 1, 15), ["A5"]),  # ref 2024-06-30: A1 due that very day
        ("2024-12", dt.date(2025, 1, 15), ["A1", "A5", "A6"]),  # A2 due 12-31 is not before 12-31
        ("2024-01", dt.date(2025, 1, 15), []),  # A5 due 01-31 = ref
    ],
)
def test_forsenade_by_reference_date(con, state_dir, period, today, expected):
    ref = aktivitetslogg.reference_date(period, today)
    frame = plan(con, state_dir, ref=ref)
    assert ids(frame[frame["forsenad"]]) == expected


def test_logged_change_decides_current_status(con, state_dir):
    aktivitetslogg.append_change("A1", "klar", "Genomförd", "Anna", state_dir)
    frame = plan(con, state_dir).set_index("aktivitet_id")
    assert frame.loc["A1", "status"] == "klar"
    assert frame.loc["A1", "status_plan"] == "pagar"
    assert frame.loc["A1", "senaste_uppfoljning"] == "Genomförd"
    assert not frame.loc["A1", "forsenad"]


def test_summary_per_ubaria(con, state_dir):
    summary = akt.summary_per_ubaria(plan(con, state_dir)).set_index("omrade")
    assert list(summary.index) == [
        "Utveckla", "Behålla", "Attrahera", "Rekrytera", "Introducera", "Avsluta", "Totalt",
    ]  # fmt: skip
    assert summary.loc["Utveckla", ["ej_paborjad", "pagar", "klar", "installd", "antal", "forsenade"]].tolist() == [
        0, 1, 0, 0, 1, 1,
    ]  # fmt: skip
    assert summary.loc["Rekrytera", "klar"] == 1
    assert summary.loc["Rekrytera", "andel_klar_pct"] == 100.0
    assert summary.loc["Attrahera", "installd"] == 1
    total = summary.loc["Totalt"]
    assert [total[s] for s in aktivitetslogg.STATUSES] == [2, 2, 1, 1]
    assert total["antal"] == 6
    assert total["forsenade"] == 2
    assert total["andel_klar_pct"] == pytest.approx(100 / 6)
    table = akt.summary_table(akt.summary_per_ubaria(plan(con, state_dir)))
    assert list(table.columns) == [
        "UBARIA-område", "Ej påbörjad", "Pågår", "Klar", "Inställd", "Totalt", "Försenade", "Andel klara",
    ]  # fmt: skip
    assert table.iloc[-1]["Andel klara"] == "17\u00a0%"


def test_summary_of_an_empty_plan_lists_every_area(con, state_dir):
    summary = akt.summary_per_ubaria(plan(con, state_dir, Scope.of([FA], ["Finns inte"])))
    assert len(summary) == 7
    assert summary["antal"].sum() == 0
    assert summary["andel_klar_pct"].isna().all()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["A1", "A2", "A4", "A3", "A5", "A6"]),
        ({"statuses": ["pagar"]}, ["A1", "A6"]),
        ({"statuses": ["ej_paborjad", "klar"]}, ["A2", "A3", "A5"]),
        ({"ansvariga": ["HR-chef"]}, ["A1", "A2", "A4", "A3", "A5", "A6"]),
        ({"ansvariga": ["Någon annan"]}, []),
        ({"avdelningar": ["Förvaltningsövergripande"]}, ["A1", "A5"]),
        ({"avdelningar": [AY]}, ["A3"]),
        ({"endast_forsenade": True}, ["A1", "A5"]),
        ({"endast_forsenade": True, "avdelningar": [AX]}, []),
    ],
)
def test_filter_plan(con, state_dir, filters, expected):
    assert ids(akt.filter_plan(plan(con, state_dir), **filters)) == expected


def test_filter_options(con, state_dir):
    options = akt.filter_options(plan(con, state_dir))
    assert options["status"] == ["ej_paborjad", "pagar", "klar", "installd"]
    assert options["ansvarig"] == ["HR-chef"]
    assert options["avdelning"] == ["Förvaltningsövergripande", AX, AY]


def test_by_ubaria_keeps_all_six_areas(con, state_dir):
    groups = akt.by_ubaria(plan(con, state_dir, Scope.of([FB])))
    assert [label for _, label, _ in groups] == [
        "Utveckla", "Behålla", "Attrahera", "Rekrytera", "Introducera", "Avsluta",
    ]  # fmt: skip
    assert [len(part) for _, _, part in groups] == [0, 0, 0, 0, 1, 0]


def test_plan_table_marks_forsenade(con, state_dir):
    table = akt.plan_table(plan(con, state_dir), {"A1": "Sjukfrånvaro totalt: 2,6\u00a0%"}).set_index("Id")
    assert table.loc["A1", "Måldatum"] == "30 juni 2024"
    assert table.loc["A1", "Status"] == "Pågår"
    assert table.loc["A1", "Försenad"] == "Försenad"
    assert table.loc["A5", "Försenad"] == "Försenad"
    assert table.loc["A6", "Försenad"] == ""
    assert table.loc["A1", "Avdelning"] == "Förvaltningsövergripande"
    assert table.loc["A1", "Nyckeltal"] == "Sjukfrånvaro totalt: 2,6\u00a0%"
    assert table.loc["A2", "Nyckeltal"] == ""
    assert list(table.columns)[:5] == ["Aktivitet", "Mål", "Måldatum", "Status", "Försenad"]


def test_counts(con, state_dir):
    assert akt.counts(plan(con, state_dir)) == {
        "antal": 6, "ej_paborjad": 2, "pagar": 2, "klar": 1, "installd": 1, "forsenade": 2,
    }  # fmt: skip


# --- figures ---------------------------------------------------------------------------------------


def test_timeline_figure(con, state_dir):
    frame = plan(con, state_dir)
    fig = akt.timeline_figure(frame, REF, dt.date(2025, 1, 15), "Aktiviteter")
    names = [t.name for t in fig.data if t.showlegend is not False]
    assert names == ["Ej påbörjad", "Pågår", "Klar", "Inställd", "Försenad"]
    late = next(t for t in fig.data if t.name == "Försenad")
    assert sorted(pd.Timestamp(x).date() for x in late.x) == [dt.date(2024, 1, 31), dt.date(2024, 6, 30)]
    # The reference date and today are drawn as labelled lines.
    lines = {pd.Timestamp(s.x0).date() for s in fig.layout.shapes}
    assert lines == {REF, dt.date(2025, 1, 15)}
    texts = [a.text for a in fig.layout.annotations]
    assert "Referensdatum 30 september 2024" in texts and "I dag" in texts
    # Top to bottom Utveckla … Avsluta: the category order is reversed (bottom first).
    first = fig.data[0]
    assert list(first.y[0])[-1] == "Utveckla" and list(first.y[0])[0] == "Avsluta"


def test_timeline_leaves_out_a_distant_today(con, state_dir):
    # Looking back at 2024-09 from 2026: today would squeeze the plan's dates into a corner.
    fig = akt.timeline_figure(plan(con, state_dir), REF, dt.date(2026, 11, 23), "Aktiviteter")
    assert {pd.Timestamp(s.x0).date() for s in fig.layout.shapes} == {REF}
    assert [a.text for a in fig.layout.annotations] == ["Referensdatum 30 september 2024"]


def test_timeline_escapes_user_text(con, state_dir):
    frame = plan(con, state_dir).copy()
    frame.loc[0, "aktivitet"] = "<script>alert(1)</script> & <b>fet</b>"
    fig = akt.timeline_figure(frame, REF, REF, "Aktiviteter")
    labels = " ".join(str(v) for t in fig.data for v in list(t.y[1]) + list(t.customdata or []))
    assert "<script>" not in labels and "<b>fet</b>" not in labels
    assert "&lt;script&gt;" in labels


def test_empty_figures_say_so_in_swedish(con, state_dir):
    empty = plan(con, state_dir, Scope.of([FA], ["Finns inte"]))
    fig = akt.timeline_figure(empty, REF, REF, "Aktiviteter")
    assert fig.layout.annotations[0].text == "Inga aktiviteter med måldatum i urvalet."
    fig = akt.summary_figure(akt.summary_per_ubaria(empty), "Status")
    assert fig.layout.annotations[0].text == "Inga aktiviteter i urvalet."


def test_summary_figure_stacks_statuses(con, state_dir):
    fig = akt.summary_figure(akt.summary_per_ubaria(plan(con, state_dir)), "Status")
    assert [t.name for t in fig.data] == ["Ej påbörjad", "Pågår", "Klar", "Inställd"]
    assert fig.layout.barmode == "stack"
    assert fig.layout.separators == ", "


# --- linked nyckeltal ------------------------------------------------------------------------------


def test_sjukfranvaro_series_by_hand(con):
    series = akt.metric_series(con, "sjukfranvaro_total_pct", Scope.of([FA]), dt.date(2024, 8, 1), P)
    assert list(series["period"]) == [dt.date(2024, 8, 1), P]
    assert series["varde"].tolist() == pytest.approx([100 * 519 / 20140, 100 * 519 / 19840])
    assert not series["undertryckt"].any()


def test_rolling_series_start_at_the_first_whole_window(con):
    first = akt.first_period(con)
    assert first == dt.date(2023, 9, 1)
    series = akt.metric_series(con, "sjukfranvaro_total_pct", Scope.of([FA]), dt.date(2023, 9, 1), P)
    assert len(series) == 13
    kept = akt.complete_windows(series, "sjukfranvaro_total_pct", first, P)
    assert list(kept["period"]) == [dt.date(2024, 8, 1), P]
    # Snapshot metrics keep every month.
    heltid = akt.metric_series(con, "heltid_andel_pct", Scope.of([FA]), dt.date(2023, 9, 1), P)
    assert len(akt.complete_windows(heltid, "heltid_andel_pct", first, P)) == 13


def test_small_group_sjukfranvaro_is_withheld(con):
    # Avdelning Y has 4 persons with scheduled hours (p14, p15, p16, p22): 10 or fewer.
    series = akt.metric_series(con, "sjukfranvaro_total_pct", Scope.of([FA], [AY]), P, P)
    assert series["undertryckt"].tolist() == [True]
    assert series["varde"].isna().all()
    assert akt.metric_now(con, "sjukfranvaro_total_pct", Scope.of([FA], [AY]), P) == (None, True)
    assert akt.format_value("sjukfranvaro_total_pct", None, True) == ".."


METRICS_NOW = [
    ("personal", "antal_tillsvidare"),
    ("personal", "andel_kvinnor_pct"),
    ("personal", "medelalder"),
    ("personal", "forandring_tillsvidare_pct"),
    ("personal", "antal_deltid"),
    ("personal", "heltid_andel_pct"),
    ("personal", "heltid_andel_man_pct"),
    ("personal", "heltidsarbetande_andel_pct"),
    ("sjukfranvaro", "sjukfranvaro_total_pct"),
    ("sjukfranvaro", "sjukfranvaro_kort_pct"),
    ("sjukfranvaro", "sjukfranvaro_lang_andel_pct"),
    ("sjukfranvaro", "sjukfranvaro_kvinnor_pct"),
    ("sjukfranvaro", "sjukfranvaro_50_pct"),
    ("rorlighet", "personalomsattning_pct"),
    ("rorlighet", "avgangar_tillsvidare_hittills"),
    ("rorlighet", "rekryteringar_tidsbegransade_hittills"),
    ("medarbetarenkat", "medarbetarindex"),
    ("medarbetarenkat", "antal_svar"),
]


@pytest.fixture(scope="module")
def key_figures(con):
    computed: dict[Scope, dict] = {}

    def get(scope: Scope) -> dict:
        if scope not in computed:
            computed[scope] = nyckeltal.compute(con, P, scope, today=dt.date(2025, 1, 1))
        return computed[scope]

    return get


@pytest.mark.parametrize("scope", [Scope(), Scope.of([FA]), Scope.of([FA], [AX])], ids=["alla", "fa", "fa-x"])
@pytest.mark.parametrize(("section", "metric_id"), METRICS_NOW, ids=[m for _, m in METRICS_NOW])
def test_series_value_at_the_period_is_the_key_figure(con, key_figures, scope, section, metric_id):
    """The series use the contract's definitions: their value at P is the key figure."""
    figures = key_figures(scope)
    series = akt.metric_series(con, metric_id, scope, dt.date(2024, 1, 1), P)
    last = series.iloc[-1]
    expected = figures[section][metric_id]
    assert last["period"] == (dt.date(2024, 7, 1) if section == "medarbetarenkat" else P)
    assert bool(last["undertryckt"]) == (metric_id in figures["undertryckta"])
    if expected is None:
        assert pd.isna(last["varde"])
    else:
        assert last["varde"] == pytest.approx(expected)
    assert akt.metric_now(con, metric_id, scope, P) == (
        (None if expected is None else pytest.approx(expected)),
        metric_id in figures["undertryckta"],
    )


def test_metric_series_refuses_metrics_without_a_series(con):
    assert akt.series_kind("pension_redan") is None
    with pytest.raises(KeyError, match="tidsserie"):
        akt.metric_series(con, "pension_redan", Scope(), P, P)


def test_trend_of_a1(con, state_dir):
    row = plan(con, state_dir).set_index("aktivitet_id").loc["A1"].to_dict() | {"aktivitet_id": "A1"}
    start = akt.plan_start(con, FA)
    assert start == dt.date(2024, 1, 1)  # A3 is Förvaltning A's earliest måldatum (2024-03-31)
    trend = akt.metric_trend(con, row, P, start, akt.first_period(con))
    assert trend.note is None
    assert trend.label == "Sjukfrånvaro totalt"
    assert trend.scope_text == FA
    assert trend.target == 6.0  # Förvaltning A's target; A1 has no avdelning
    # No whole 12-month window before the plan's start: "då" is the first value shown.
    assert trend.then.period == dt.date(2024, 8, 1)
    assert trend.then.role == "första värdet i diagrammet"
    assert trend.then.value == pytest.approx(100 * 519 / 20140)
    assert trend.now.period == P
    assert trend.now.value == pytest.approx(100 * 519 / 19840)
    assert trend.direction == "oforandrat"  # 2,6 % both, as shown
    texts = akt.trend_texts(trend)
    assert texts[0] == "Värdet då (augusti 2024, första värdet i diagrammet): 2,6\u00a0%."
    assert texts[1] == "Värdet nu (september 2024): 2,6\u00a0%."
    assert texts[2].startswith("Oförändrat jämfört med augusti 2024;")
    assert texts[3] == "Mål 2024: 6,0\u00a0% – når målet."


def test_trend_figure_marks_target_and_maldatum(con, state_dir):
    row = plan(con, state_dir).set_index("aktivitet_id").loc["A1"].to_dict() | {"aktivitet_id": "A1"}
    trend = akt.metric_trend(con, row, P, akt.plan_start(con, FA), akt.first_period(con))
    fig = akt.trend_figure(trend)
    assert isinstance(fig, go.Figure)
    horizontal = [s for s in fig.layout.shapes if s.y0 == s.y1]
    assert [s.y0 for s in horizontal] == [6.0]
    vertical = {pd.Timestamp(s.x0).date() for s in fig.layout.shapes if s.x0 == s.x1}
    assert dt.date(2024, 6, 30) in vertical  # måldatum
    assert "Måldatum 30 juni 2024" in [a.text for a in fig.layout.annotations]
    # The måldatum lies before the data shown: the x range reaches it.
    assert pd.Timestamp(fig.layout.xaxis.range[0]).date() < dt.date(2024, 6, 30)


def test_trend_of_a_withheld_group_explains(con):
    row = {"aktivitet_id": "X", "forvaltning": FA, "avdelning": AY, "nyckeltal": "sjukfranvaro_total_pct",
           "maldatum": dt.date(2024, 12, 31)}  # fmt: skip
    trend = akt.metric_trend(con, row, P, dt.date(2024, 1, 1), akt.first_period(con))
    assert trend.now.suppressed and trend.now.value is None
    assert trend.direction is None
    texts = " ".join(akt.trend_texts(trend))
    assert "10 eller färre personer" in texts
    fig = akt.trend_figure(trend)
    assert "10 eller färre personer" in fig.layout.annotations[0].text


def test_survey_trend_is_yearly(con):
    # 2023: motivation 75 (q1), ledarskap 85 (q3), no styrning question: index (75 + 85) / 2 = 80.
    # 2024: motivation (920/12 + 730/11) / 2, ledarskap 1040/12, styrning 560/9: 73,47.
    row = {"aktivitet_id": "X", "forvaltning": FA, "avdelning": None, "nyckeltal": "medarbetarindex",
           "maldatum": dt.date(2024, 12, 31)}  # fmt: skip
    trend = akt.metric_trend(con, row, P, dt.date(2024, 1, 1), akt.first_period(con))
    assert trend.kind == "ar"
    assert list(trend.series["period"]) == [dt.date(2023, 7, 1), dt.date(2024, 7, 1)]
    motivation = (920 / 12 + 730 / 11) / 2
    index_2024 = (motivation + 1040 / 12 + 560 / 9) / 3
    assert trend.series["varde"].tolist() == pytest.approx([80.0, index_2024])
    assert (trend.then.label, trend.then.role) == ("enkäten 2023", "före planens start")
    assert trend.now.label == "enkäten 2024"
    assert trend.direction == "samre"  # higher is better


@pytest.mark.parametrize(
    ("metric_id", "then", "now", "expected"),
    [
        ("sjukfranvaro_total_pct", 3.0, 2.5, "battre"),
        ("sjukfranvaro_total_pct", 2.5, 3.0, "samre"),
        ("sjukfranvaro_total_pct", 2.61, 2.64, "oforandrat"),
        ("heltid_andel_pct", 70.0, 75.0, "battre"),
        ("heltid_andel_pct", 75.0, 70.0, "samre"),
        ("antal_tillsvidare", 10, 12, "ingen_riktning"),
        ("antal_tillsvidare", 10, 10.4, "oforandrat"),
        ("personalomsattning_pct", None, 5.0, None),
    ],
)
def test_direction(metric_id, then, now, expected):
    assert akt.direction(metric_id, then, now) == expected


@pytest.mark.parametrize(
    ("metric_id", "value", "expected"),
    [
        ("sjukfranvaro_total_pct", 6.234, "6,2\u00a0%"),
        ("antal_tillsvidare", 1234, "1 234"),
        ("medelalder", 45.25, "45,3\u00a0år"),  # half away from zero, as Excel
        ("medarbetarindex", 73.468, "73,5"),
        ("heltid_andel_pct", None, "–"),
    ],
)
def test_format_value(metric_id, value, expected):
    assert akt.format_value(metric_id, value) == expected


def test_trend_notes_for_unusable_metrics(con):
    base = {"aktivitet_id": "X", "forvaltning": FA, "avdelning": None, "maldatum": None}
    unknown = akt.metric_trend(con, base | {"nyckeltal": "finns_inte"}, P)
    assert unknown.note == "Nyckeltalet «finns_inte» finns inte i nyckeltalskatalogen."
    pension = akt.metric_trend(con, base | {"nyckeltal": "pension_redan"}, P)
    assert "följs inte som tidsserie" in pension.note


def test_metric_texts_for_the_plan_table(con, state_dir):
    texts = akt.metric_texts(con, plan(con, state_dir), P)
    assert texts == {"A1": "Sjukfrånvaro totalt: 2,6\u00a0%"}
    rows = pd.DataFrame(
        [
            {"aktivitet_id": "Y", "forvaltning": FA, "avdelning": AY, "nyckeltal": "sjukfranvaro_total_pct"},
            {"aktivitet_id": "P", "forvaltning": FA, "avdelning": None, "nyckeltal": "pension_per_ar"},
            {"aktivitet_id": "H", "forvaltning": FA, "avdelning": AX, "nyckeltal": "antal_tillsvidare"},
            {"aktivitet_id": "U", "forvaltning": FA, "avdelning": AX, "nyckeltal": "okand"},
        ]
    )
    assert akt.metric_texts(con, rows, P) == {
        "Y": "Sjukfrånvaro totalt: ..",  # 4 persons: withheld
        "P": "Pensionsavgångar per år",
        "H": "Tillsvidareanställda: 10",
        "U": "okand (okänt nyckeltal)",
    }
    assert len(akt.metric_scopes(rows)) == 3  # sjukfrånvaro Y, pension A, personal X
    assert akt.metric_texts(con, rows, P, with_values=False)["Y"] == "Sjukfrånvaro totalt"


# --- linked kompetensområde ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gap_con(fixture_dir, tmp_path_factory):
    directory = tmp_path_factory.mktemp("med_gap")
    for path in fixture_dir.glob("*.parquet"):
        shutil.copy(path, directory / path.name)
    rows = [
        (2023, FA, AX, None, "Demens", 4, 2),
        (2024, FA, AX, None, "Demens", 4, 3),
        (2024, FA, AX, "Enhet X1", "Demens", 5, 3),
        (2024, FA, AY, None, "Demens", 3, 3),
        (2024, FA, AX, None, "Ledarskap", 4, 1),
        (2025, FA, AX, None, "Demens", 4, 4),
        (2024, FB, AZ, None, "Demens", 5, 1),
    ]
    names = ("ar", "forvaltning", "avdelning", "enhet", "omrade", "behov", "nulage")
    types = (pa.int32(), pa.string(), pa.string(), pa.string(), pa.string(), pa.int32(), pa.int32())
    table = pa.table(
        {n: pa.array([r[i] for r in rows], t) for i, (n, t) in enumerate(zip(names, types, strict=True))}
    )
    pq.write_table(table, directory / "kompetensgap.parquet")
    connection = connect(directory)
    yield connection
    connection.close()


def test_gap_of_an_avdelning_activity(gap_con):
    row = {"aktivitet_id": "X", "forvaltning": FA, "avdelning": AX, "kompetensomrade": "Demens"}
    result = akt.kompetensgap(gap_con, row, P)
    assert result.note is None
    assert result.year == 2024  # 2025 lies after the period's year
    assert result.rows[["avdelning", "behov", "nulage", "gap"]].values.tolist() == [
        [AX, 4.0, 3.0, 1.0], [AX, 5.0, 3.0, 2.0],
    ]  # fmt: skip
    table = akt.gap_table(result)
    assert table["Enhet"].tolist() == ["Hela avdelningen", "Enhet X1"]
    assert table["Gap"].tolist() == ["1,0", "2,0"]
    # The yearly mean uses the whole-avdelning assessments.
    assert result.per_year.values.tolist() == [[2023, 2.0], [2024, 1.0]]
    assert akt.gap_text(result) == ("Genomsnittligt gap per år (behov minus nuläge): 2023: 2,0 · 2024: 1,0.")


def test_gap_of_a_forvaltning_activity_covers_its_avdelningar(gap_con):
    row = {"aktivitet_id": "X", "forvaltning": FA, "avdelning": None, "kompetensomrade": "Demens"}
    result = akt.kompetensgap(gap_con, row, P)
    assert sorted(set(result.rows["avdelning"])) == [AX, AY]


def test_gap_notes(gap_con, con):
    row = {"aktivitet_id": "X", "forvaltning": FA, "avdelning": AX, "kompetensomrade": "Okänt område"}
    assert akt.kompetensgap(gap_con, row, P).note == (
        "Det finns ingen bedömning av «Okänt område» för Avdelning X (Förvaltning A) t.o.m. 2024."
    )
    assert (
        akt.kompetensgap(con, row, P).note
        == "Tabellen kompetensgap saknas i extrakten, så gapet kan inte visas."
    )


# --- history, input and text safety ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "new", "kommentar", "expected"),
    [
        ("pagar", "pagar", None, "Inget att spara: välj en ny status eller skriv en uppföljning."),
        ("pagar", "pagar", "   ", "Inget att spara: välj en ny status eller skriv en uppföljning."),
        ("pagar", "klar", None, None),
        ("pagar", "pagar", "Halvvägs", None),
    ],
)
def test_change_problem(current, new, kommentar, expected):
    assert akt.change_problem(current, new, kommentar) == expected


def test_history_table_is_verbatim_and_oldest_first(state_dir):
    text = 'Citat "så här"\nrad två 🎉 <b>fet</b> <script>alert(1)</script>'
    aktivitetslogg.append_change("A2", "pagar", text, "Eva <i>", state_dir)
    aktivitetslogg.append_change("A2", "klar", None, "Olle", state_dir)
    row = {"aktivitet_id": "A2", "status_plan": "ej_paborjad", "uppfoljning": None}
    table = akt.history_table(row, aktivitetslogg.history("A2", state_dir))
    assert table["Status"].tolist() == ["Ej påbörjad", "Pågår", "Klar"]
    assert table["Av"].tolist() == ["Aktivitetsplanen", "Eva <i>", "Olle"]
    assert table.loc[1, "Kommentar"] == text
    assert table.loc[0, "Tid"] == "När planen antogs"
    assert " kl. " in table.loc[1, "Tid"]


def test_tid_text():
    assert akt.tid_text("2024-09-30T14:05:09.123456+02:00") == "30 september 2024 kl. 14:05"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<b>x</b>", "\\<b\\>x\\<\\/b\\>"),
        ("**fet** _kursiv_", "\\*\\*fet\\*\\* \\_kursiv\\_"),
        ("[länk](http://x)", "\\[länk\\]\\(http\\:\\/\\/x\\)"),
        (":red[röd]", "\\:red\\[röd\\]"),
        ("rad 1\nrad 2", "rad 1 rad 2"),
        ("Åsa 😀", "Åsa 😀"),
        (None, ""),
    ],
)
def test_md_escape(text, expected):
    assert akt.md_escape(text) == expected


def test_html_escape():
    assert akt.html_escape("<script>&") == "&lt;script&gt;&amp;"


# --- import ----------------------------------------------------------------------------------------


def _plan_frame(rows: list[tuple]) -> pd.DataFrame:
    records = []
    for aktivitet_id, forvaltning, metric_id in rows:
        record = dict.fromkeys(plan_io.COLUMNS)
        record.update(aktivitet_id=aktivitet_id, forvaltning=forvaltning, ubaria="utveckla", mal="Mål",
                      aktivitet="Gör något", maldatum=dt.date(2025, 6, 30), ansvarig="HR", status="pagar",
                      nyckeltal=metric_id)  # fmt: skip
        records.append(record)
    return pd.DataFrame(records, columns=list(plan_io.COLUMNS), dtype=object)


def test_merge_imported_keeps_other_forvaltningar():
    existing = _plan_frame([("A1", FA, None), ("A5", FB, None)])
    imported = _plan_frame([("N1", FA, None), ("N2", FA, None)])
    assert akt.merge_imported(existing, imported, replace_all=False)["aktivitet_id"].tolist() == [
        "A5",
        "N1",
        "N2",
    ]
    assert akt.merge_imported(existing, imported, replace_all=True)["aktivitet_id"].tolist() == ["N1", "N2"]
    with pytest.raises(ValueError, match="A5"):
        akt.merge_imported(existing, _plan_frame([("A5", FA, None)]), replace_all=False)


def test_validation_errors_before_writing():
    assert akt.validation_errors(_plan_frame([("N1", FA, "sjukfranvaro_total_pct")])) == []
    errors = akt.validation_errors(_plan_frame([("N1", FA, "finns_inte")]))
    assert len(errors) == 1 and "aktiviteter.nyckeltal" in errors[0] and "N1" in errors[0]
    assert akt.validation_errors(_plan_frame([("N1", FA, None), ("N1", FA, None)])) == [
        "aktivitet_id måste finnas och vara unikt för varje aktivitet."
    ]


def test_lost_links():
    existing = _plan_frame([("A1", FA, "sjukfranvaro_total_pct"), ("A2", FA, None)])
    assert akt.lost_links(existing, _plan_frame([("A1", FA, None), ("A2", FA, None)])) == ["A1"]
    assert akt.lost_links(existing, _plan_frame([("A1", FA, "heltid_andel_pct")])) == []
    assert akt.lost_links(None, existing) == []


def test_logged_ids_and_preview():
    imported = _plan_frame([("A1", FA, None), ("N2", FA, None)])
    assert akt.logged_ids(imported, ["A1", "A9"]) == ["A1"]
    preview = akt.preview_table(imported)
    assert preview.loc[0, "Måldatum"] == "30 juni 2025"
    assert preview.loc[0, "UBARIA"] == "Utveckla"
    assert preview.loc[0, "Avdelning"] == "Förvaltningsövergripande"
    assert preview.loc[0, "Status"] == "Pågår"
