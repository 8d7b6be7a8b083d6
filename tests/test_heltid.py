"""Heltid on the hand-built fixture; expected values from fixture_data's sysselsättningsgrad.

At P = 2024-09, 19 månadsavlönade; deltid: p03 (75), p06 (80), p10 (50), p16 (60). Women 13 with 10
on heltid, men 6 with 5 (p10 deltid). Faktisk below 100 also for p02 (80) and p15 (90).
"""

from __future__ import annotations

import datetime as dt

import pytest

from kfp_metrics import analys, charts, heltid, nyckeltal
from kfp_metrics.charts import SEPARATORS
from kfp_metrics.extracts import connect
from kfp_metrics.format import SUPPRESSED
from kfp_metrics.queries import Scope, run

FA, FB = "Förvaltning A", "Förvaltning B"
AX, AY, AZ = "Avdelning X", "Avdelning Y", "Avdelning Z"
P = dt.date(2024, 9, 1)


@pytest.fixture(scope="module")
def con_utan_faktisk(tmp_path_factory, fixture_dir):
    import pyarrow.parquet as pq

    directory = tmp_path_factory.mktemp("utan_faktisk")
    for name in ("anstallningar", "franvaro", "handelser"):
        table = pq.read_table(fixture_dir / f"{name}.parquet")
        if name == "anstallningar":
            table = table.drop(["faktisk_sysselsattningsgrad"])
        pq.write_table(table, directory / f"{name}.parquet")
    c = connect(directory)
    yield c
    c.close()


def _at(frame, grupp, column="andel_pct", period=P):
    row = frame[(frame["period"].dt.date == period) & (frame["grupp"] == grupp)]
    return row[column].iloc[0]


def test_heltid_per_manad_at_p_equals_the_contract(con):
    frame = heltid.heltid_per_manad(con, P, Scope())
    assert _at(frame, "totalt") == pytest.approx(100 * 15 / 19)
    assert _at(frame, "kvinnor") == pytest.approx(100 * 10 / 13)
    assert _at(frame, "man") == pytest.approx(100 * 5 / 6)
    contract = nyckeltal.personal(con, P, Scope())
    assert _at(frame, "totalt") == pytest.approx(contract["heltid_andel_pct"])


def test_heltid_per_manad_first_month(con):
    # 2023-09: 23 månadsavlönade (20 tillsvidare, p12 p16 p24), deltid p03 p06 p10 p16.
    frame = heltid.heltid_per_manad(con, P, Scope())
    assert _at(frame, "totalt", "manadsavlonade", dt.date(2023, 9, 1)) == 23
    assert _at(frame, "totalt", period=dt.date(2023, 9, 1)) == pytest.approx(100 * 19 / 23)


def test_heltid_per_kon_secondary_suppression(con):
    # Avdelning X: 9 women, 3 men (p09 p10 p12). Men are withheld, so women are too; the total stays.
    frame = heltid.heltid_per_manad(con, P, Scope.of(avdelning=[AX]))
    assert _at(frame, "totalt") == pytest.approx(75.0)
    assert pd_isna(_at(frame, "man")) and pd_isna(_at(frame, "kvinnor"))
    # In September 2023 X still had five men (p20 p26 too): the kön lines exist but stop before P.
    fig = heltid.figure_heltid_per_manad(frame, AX, P)
    assert [t.name for t in fig.data] == ["Totalt", "Kvinnor", "Män"]
    assert pd_isna(fig.data[2].y[-1]) and pd_isna(fig.data[1].y[-1])
    assert fig.data[2].y[0] == pytest.approx(100 * 4 / 5)  # 2023-09: p09 p12 p20 p26 heltid, p10 deltid


def pd_isna(value) -> bool:
    return value is None or value != value


def test_heltid_small_scope_withheld_everywhere(con):
    frame = heltid.heltid_per_manad(con, P, Scope.of(avdelning=[AY]))
    assert frame["undertryckt"].all()
    fig = heltid.figure_heltid_per_manad(frame, AY, P)
    assert not fig.data and "färre än 5" in fig.layout.annotations[0].text.replace("<br>", " ")
    table = heltid.tabell_heltid_per_manad(frame)
    assert set(table["Andel heltid"]) == {SUPPRESSED}


def test_heltid_target_line(con):
    frame = heltid.heltid_per_manad(con, P, Scope())
    layout = heltid.figure_heltid_per_manad(frame, "Alla förvaltningar", P, target=80.0).to_plotly_json()[
        "layout"
    ]
    assert layout["separators"] == SEPARATORS
    assert [s["y0"] for s in layout["shapes"]] == [80.0]
    assert layout["shapes"][0]["line"]["color"] == charts.TARGET_COLOR


def test_heltid_per_aldersgrupp(con):
    frame = heltid.heltid_per_aldersgrupp(con, P, Scope()).set_index("aldersgrupp")
    assert list(frame.index) == ["−29", "30–39", "40–49", "50–59", "60–"]
    assert frame["manadsavlonade"].tolist() == [3, 5, 3, 3, 5]
    # 30–39: p07 p09 p27 p28 heltid, p16 deltid; 60–: p01 p02 p04 p15 heltid, p03 deltid.
    assert frame.loc["30–39", "andel_pct"] == pytest.approx(80.0)
    assert frame.loc["60–", "deltid"] == 1
    assert frame["undertryckt"].tolist() == [True, False, True, True, False]
    fig = heltid.figure_heltid_per_aldersgrupp(frame.reset_index(), "Alla förvaltningar", P)
    assert list(fig.data[0].text) == [SUPPRESSED, "80,0 %", SUPPRESSED, SUPPRESSED, "80,0 %"]
    # The withheld values are not in the figure at all: drawn at 0 with '..', and the hover says why.
    assert list(fig.data[0].y) == [0, 80.0, 0, 0, 80.0]
    hovers = list(fig.data[0].customdata)
    assert hovers[1] == "80,0 % heltid<br>1 deltidsanställda av 5 månadsavlönade"
    assert all(h.startswith(SUPPRESSED) for h in (hovers[0], hovers[2], hovers[3]))


def test_heltid_per_aldersgrupp_all_withheld(con):
    frame = heltid.heltid_per_aldersgrupp(con, P, Scope.of(avdelning=[AZ]))  # four persons
    fig = heltid.figure_heltid_per_aldersgrupp(frame, AZ, P)
    assert not fig.data
    assert "färre än 5" in fig.layout.annotations[0].text.replace("<br>", " ")


def test_heltid_per_avdelning(con):
    # The counts as the query gives them. X: 12 månadsavlönade, deltid p03 p06 p10; faktisk 100 for
    # p01 p04 p05 p07 p08 p09 p11 p12.
    raw = run(con, "heltid_per_avdelning", Scope(), period=P).set_index("avdelning")
    assert raw.loc[AX, ["manadsavlonade", "heltid", "deltid", "heltidsarbetande"]].tolist() == [12, 9, 3, 8]
    frame = heltid.heltid_per_avdelning(con, P, Scope()).set_index("avdelning")
    # Y and Z are under 5. Förvaltning A's own total is published on its own view, so with Y
    # withheld, X (A's other avdelning) is withheld too; nothing of the three is shown.
    assert frame["undertryckt"].all() and frame["andel_pct"].isna().all()
    assert frame.loc[AX, "manadsavlonade"] == 12
    colors = charts.color_map([AX, AY, AZ])
    fig = heltid.figure_heltid_per_avdelning(frame.reset_index(), "Alla förvaltningar", P, colors)
    assert list(fig.data[0].marker.color) == [colors[AX], colors[AY], colors[AZ]]
    assert list(fig.data[0].text) == [SUPPRESSED, SUPPRESSED, SUPPRESSED]


def test_heltidsarbetande(con, con_utan_faktisk):
    frame = heltid.heltidsarbetande_per_manad(con, P, Scope())
    at_p = frame[frame["period"].dt.date == P].set_index("matt")
    assert at_p.loc["heltidsarbetande", "andel_pct"] == pytest.approx(100 * 13 / 19)
    assert heltid.has_faktisk(con)
    assert not heltid.has_faktisk(con_utan_faktisk)
    without = heltid.heltid_per_avdelning(con_utan_faktisk, P, Scope())
    assert without["heltidsarbetande_pct"].isna().all()
    assert "Andel heltidsarbetande" not in heltid.tabell_heltid_per_avdelning(without, faktisk=False).columns


def test_kpis(con):
    figures = nyckeltal.compute(con, P, Scope.of(avdelning=[AX]), today=dt.date(2026, 1, 1))
    per_manad = heltid.heltid_per_manad(con, P, Scope.of(avdelning=[AX]))
    kpis = {k.label: k.value for k in heltid.kpis(figures, None, {}, True, per_manad)}
    assert kpis["Heltidsanställda"] == "75,0\u00a0%"
    assert kpis["Deltidsanställda"] == "3"
    assert kpis["Heltid, män"] == SUPPRESSED
    assert kpis["Heltid, kvinnor"] == SUPPRESSED
    assert kpis["Heltidsarbetande"] == "66,7\u00a0%"


def test_deltid_per_manad(con):
    frame = heltid.deltid_per_manad(con, P, Scope())
    assert frame["deltid"].iloc[-1] == 4
    assert frame["undertryckt"].sum() == 0
    assert analys.MIN_GRUPP == 5


def _avdelning_rows(rows):
    """A heltid_per_avdelning frame from (förvaltning, avdelning, månadsavlönade, heltid)."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "forvaltning": f,
                "avdelning": a,
                "manadsavlonade": n,
                "heltid": h,
                "deltid": n - h,
                "andel_pct": 100.0 * h / n,
                "heltidsarbetande_pct": None,
                "undertryckt": False,
            }
            for f, a, n, h in rows
        ]
    )


def test_heltid_per_avdelning_same_name_in_two_forvaltningar():
    frame = _avdelning_rows([(FA, "Förskola", 20, 15), (FB, "Förskola", 10, 5)])
    fig = heltid.figure_heltid_per_avdelning(frame, "Alla förvaltningar", P, {})
    # Two bars, not one drawn over the other.
    assert list(fig.data[0].x) == [f"Förskola ({FA})", f"Förskola ({FB})"]
    assert list(fig.data[0].text) == ["75,0 %", "50,0 %"]


def test_heltid_per_forvaltning_when_many_avdelningar():
    rows = [(f"{f} stadsdelsförvaltning", f"Avd {i}", 10, 6) for f in ("Norra", "Södra") for i in range(8)]
    rows[0] = ("Norra stadsdelsförvaltning", "Avd 0", 10, 10)
    frame = _avdelning_rows(rows)
    fig = heltid.figure_heltid_per_avdelning(frame, "Alla förvaltningar", P, {})
    assert "per förvaltning" in fig.layout.title.text
    assert list(fig.data[0].x) == ["Norra", "Södra"]
    # Norra: (10 + 7 · 6) of 80 = 65 %; Södra: 48 of 80 = 60 %.
    assert list(fig.data[0].text) == ["65,0 %", "60,0 %"]
    # A förvaltning holding a withheld avdelning is withheld as a whole.
    frame.loc[1, ["heltid", "deltid", "andel_pct", "undertryckt"]] = [None, None, None, True]
    summed = heltid.per_forvaltning(frame).set_index("forvaltning")
    assert summed.loc["Norra stadsdelsförvaltning", "undertryckt"]
    assert pytest.approx(60.0) == summed.loc["Södra stadsdelsförvaltning", "andel_pct"]
