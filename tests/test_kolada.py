"""The Kolada room on recorded responses only: parsing, the command, fetching from a local server,
the nyckeltal JSON key and the comparisons. Expected values are read off tests/fixtures/kolada/."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import fixture_kolada
import pyarrow.parquet as pq
import pytest
from fixture_kolada import CSV, FIXTURES, HAMTAD, NAMES, PAGES

from kfp_metrics import cli
from kfp_metrics.extracts import connect
from kfp_metrics.kolada import hamta, installningar, jamforelse, tabell, tolka
from kfp_metrics.kolada.kpi import KPIER
from kfp_metrics.nyckeltal import compute
from kfp_metrics.queries import Scope

P = dt.date(2024, 9, 1)


def _table(path: Path) -> list[tuple]:
    rows = duckdb.sql(
        f"select kpi, kommun_id, kommun, ar, kon, varde, hamtad from read_parquet('{path}') "
        "order by kpi, kommun_id, ar, kon"
    ).fetchall()
    return rows


# --- Parsing ---------------------------------------------------------------------------------------


def test_two_pages_with_names_give_every_value_once():
    content = tolka.read_files([*PAGES, NAMES])
    assert content.datasidor == 2 and content.sidor_med_nasta == 1
    # sida1: 3 rows × 3 kön; sida2: 3 + 1 + 3 + (deleted row) + 1 (the K value deleted) + 1.
    rows = tabell.rows_of(content, HAMTAD)
    assert len(rows) == 9 + 3 + 1 + 3 + 1 + 1
    assert content.borttagna == 2
    got = {r.nyckel: (r.varde, r.kommun) for r in rows}
    assert got[("N00090", "0180", 2023, "T")] == (7.4, "Stockholm")
    assert got[("N00090", "0000", 2024, "K")] == (8.0, "Riket")  # period "2024" as text
    assert got[("N00090", "0180", 2024, "T")] == (None, "Stockholm")  # status Missing
    assert got[("U00200", "0180", 2023, "T")] == (78.0, "Stockholm")
    assert ("N00206", "0180", 2022, "T") not in got  # row marked deleted
    assert ("N00206", "0000", 2023, "K") not in got  # value marked deleted
    assert all(r.hamtad == HAMTAD for r in rows)


def test_without_names_the_id_is_the_name():
    rows = tabell.rows_of(tolka.read_files(PAGES), HAMTAD)
    assert {r.kommun for r in rows} == {"0180", "0000"}


def test_missing_status_wins_over_a_value():
    page = {
        "values": [
            {
                "kpi": "N00090",
                "municipality": 180,
                "period": 2023.0,
                "values": [
                    {"gender": "T", "value": 5.0, "status": "Missing"},
                    {"gender": "K", "value": "..", "status": ""},
                ],
            }
        ]
    }
    content = tolka.parse_page(page, "svar.json")
    assert [(r.kommun_id, r.ar, r.kon, r.varde) for r in content.rader] == [
        ("0180", 2023, "T", None),
        ("0180", 2023, "K", None),
    ]


def test_long_csv_with_semicolons_decimal_comma_and_stripped_zero():
    rows = tabell.rows_of(tolka.read_csv(CSV), HAMTAD)
    got = {r.nyckel: (r.varde, r.kommun) for r in rows}
    assert got == {
        ("N00090", "0000", 2023, "T"): (7.1, "Riket"),
        ("N00090", "0180", 2023, "T"): (7.4, "Stockholm"),
        ("N00206", "1480", 2023, "K"): (None, "Göteborg"),
        ("N00206", "1480", 2023, "T"): (None, "Göteborg"),
        ("U00200", "1480", 2024, "T"): (77.0, "1480"),  # no name in the file
    }


def test_names_file_names_csv_rows_too():
    rows = tabell.rows_of(tolka.read_files([CSV, NAMES]), HAMTAD)
    assert {r.kommun for r in rows if r.kommun_id == "1480"} == {"Göteborg"}


# --- The command -----------------------------------------------------------------------------------


def test_command_writes_the_table(tmp_path, capsys):
    code = cli.main(
        ["kolada", "--in", *map(str, PAGES), str(NAMES), "--out", str(tmp_path), "--hamtad", "2024-10-01"]
    )
    assert code == 0
    rows = _table(tmp_path / "jamforelse.parquet")
    assert len(rows) == 18
    assert ("N00090", "0000", "Riket", 2025, "T", 7.0, dt.date(2024, 10, 1)) in rows
    assert pq.read_schema(tmp_path / "jamforelse.parquet").equals(tabell.SCHEMA)
    out = capsys.readouterr().out
    assert "Skrev 18 värden (3 utan värde i Kolada)" in out and "Riket, Stockholm" in out


def test_command_converts_csv(tmp_path):
    assert cli.main(["kolada", "--in", str(CSV), "--out", str(tmp_path)]) == 0
    rows = _table(tmp_path / "jamforelse.parquet")
    assert [r[:6] for r in rows][0] == ("N00090", "0000", "Riket", 2023, "T", 7.1)
    assert {r[6] for r in rows} == {dt.date.today()}


BAD_FILES = {
    "inte_json.json": ("{ detta är inte json", "är inte giltig JSON"),
    "fel_form.json": ('[{"kpi": "N00090"}]', "har fel form"),
    "utan_values.json": ('{"count": 0}', "har fel form"),
    "okant.json": (
        '{"values": [{"kpi": "N99999", "municipality": "0180", "period": 2023, "values": []}]}',
        "okänt nyckeltal 'N99999'",
    ),
    "fel_ar.json": (
        '{"values": [{"kpi": "N00090", "municipality": "0180", "period": "tjugo", "values": []}]}',
        "rad 1 i values: period 'tjugo' är inget år",
    ),
    "fel_kon.json": (
        '{"values": [{"kpi": "N00090", "municipality": "0180", "period": 2023, "values": [{"gender": "X"}]}]}',
        "gender 'X' ska vara T, K eller M",
    ),
    "okant.csv": (
        "kpi,kommun_id,kommun,ar,kon,varde\nN00090,0180,Stockholm,2023,T,7.4\nX1,0180,S,2023,T,1\n",
        "rad 3, kolumn kpi: okänt nyckeltal 'X1'",
    ),
    "saknar.csv": ("kpi,kommun,ar\nN00090,S,2023\n", "saknar kolumnerna kommun_id, kon, varde"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_refused_and_the_table_kept(tmp_path, capsys, name):
    out = tmp_path / "extrakt"
    assert cli.main(["kolada", "--in", str(PAGES[0]), "--out", str(out)]) == 0
    before = (out / "jamforelse.parquet").read_bytes()
    text, problem = BAD_FILES[name]
    bad = tmp_path / name
    bad.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["kolada", "--in", str(PAGES[1]), str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"Filen {bad}" in err and problem in err, err
    assert "Tabellen jamforelse har inte ändrats." in err
    assert (out / "jamforelse.parquet").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["jamforelse.parquet"]


def test_only_names_is_refused(tmp_path, capsys):
    assert cli.main(["kolada", "--in", str(NAMES), "--out", str(tmp_path)]) == 1
    assert "inga värden" in capsys.readouterr().err
    assert not (tmp_path / "jamforelse.parquet").exists()


def test_a_missing_last_page_is_warned_about(tmp_path, capsys):
    assert cli.main(["kolada", "--in", str(PAGES[0]), "--out", str(tmp_path)]) == 0
    assert "den sista sidan saknas" in capsys.readouterr().err


def test_written_table_validates(tmp_path):
    from kfp_metrics.validation import validate

    fixture_kolada.write(tmp_path)
    report = validate(tmp_path)
    assert report.ok, report.to_text()
    assert not [f for f in report.findings if f.table == "jamforelse" and f.severity != "info"]


# --- Fetching from a local server ------------------------------------------------------------------


class _Recorded(http.server.BaseHTTPRequestHandler):
    """Serves the recorded pages: the first data page points on to the second."""

    requests: list[str] = []
    failures: int = 0

    def do_GET(self):  # noqa: N802 (http.server's name)
        type(self).requests.append(self.path)
        if type(self).failures > 0:
            type(self).failures -= 1
            self.send_error(503, "Service Unavailable")
            return
        path = urlsplit(self.path)
        if path.path.startswith("/v3/data/kpi/"):
            page = json.loads((PAGES[1] if "page=2" in path.query else PAGES[0]).read_text())
            if page["next_url"]:
                page["next_url"] = f"http://127.0.0.1:{self.server.server_port}{path.path}?page=2"
        elif path.path == "/v3/municipality":
            page = json.loads(NAMES.read_text())
        else:
            self.send_error(404, "Not Found")
            return
        body = json.dumps(page).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def server():
    _Recorded.requests, _Recorded.failures = [], 0
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorded)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/v3"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_follows_next_url_and_names(server, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(hamta.URL_ENV, server)
    saved = tmp_path / "svar"
    code = cli.main(
        ["kolada", "--hamta", "--kommun", "0180", "0000", "--out", str(tmp_path), "--spara", str(saved)]
    )
    assert code == 0, capsys.readouterr().err
    kpis = ",".join(KPIER)
    assert _Recorded.requests == [
        f"/v3/data/kpi/{kpis}/municipality/0180,0000",
        f"/v3/data/kpi/{kpis}/municipality/0180,0000?page=2",
        "/v3/municipality",
    ]
    rows = _table(tmp_path / "jamforelse.parquet")
    assert len(rows) == 18 and {r[6] for r in rows} == {dt.date.today()}
    assert ("N00206", "0180", "Stockholm", 2023, "T", 82.5) in [r[:6] for r in rows]
    assert len(list(saved.glob("*.json"))) == 3
    # The saved answers convert to the same table.
    again = tmp_path / "igen"
    assert cli.main(["kolada", "--in", *map(str, sorted(saved.glob("*.json"))), "--out", str(again)]) == 0
    assert _table(again / "jamforelse.parquet") == rows


def test_fetch_puts_at_most_25_ids_in_a_path_segment(server):
    ids = [f"{n:04d}" for n in range(101, 131)]  # 30 ids
    hamta.fetch(ids, server, sleep=lambda s: None)
    data = [r for r in _Recorded.requests if r.startswith("/v3/data/") and "page=2" not in r]
    segments = [r.split("/municipality/")[1].split("?")[0].split(",") for r in data]
    assert [len(s) for s in segments] == [25, 5]
    assert sum(segments, []) == ids


def test_fetch_retries_with_back_off(server):
    _Recorded.failures = 2
    pauses = []
    answers = hamta.fetch(["0180"], server, sleep=pauses.append)
    assert pauses == [1.0, 2.0]
    assert len(answers) == 3


def test_absent_network_gives_a_swedish_message(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(hamta, "PAUS_S", (0.0,))
    monkeypatch.setattr(hamta, "TIMEOUT_S", 2.0)
    out = tmp_path / "extrakt"
    fixture_kolada.write(out)
    before = (out / "jamforelse.parquet").read_bytes()
    # Port 9 on 127.0.0.1 (discard) has no server here: the connection is refused.
    code = cli.main(
        ["kolada", "--hamta", "--kommun", "0180", "--out", str(out), "--bas-url", "http://127.0.0.1:9/v3"]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "Kunde inte hämta från Kolada efter 4 försök: nätverket svarar inte" in err
    assert "Kontrollera nätverksanslutningen" in err
    assert (out / "jamforelse.parquet").read_bytes() == before


def test_hamta_needs_kommun(tmp_path, capsys):
    assert cli.main(["kolada", "--hamta", "--out", str(tmp_path)]) == 1
    assert "--hamta kräver --kommun" in capsys.readouterr().err


# --- The nyckeltal JSON key --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = connect(fixture_kolada.write(tmp_path_factory.mktemp("kolada_extrakt")))
    yield c
    c.close()


def _rows(*items):
    return [
        {"kpi": k, "kommun_id": i, "kommun": n, "ar": a, "kon": g, "varde": v, "hamtad": "2024-10-01"}
        for k, i, n, a, g, v in items
    ]


def test_json_key_takes_the_latest_year_at_or_before_p(con, state_dir):
    got = compute(con, P, Scope(), state_dir=state_dir)["jamforelse"]
    assert list(got)[:3] == ["heltid_andel_pct", "heltid_andel_kvinnor_pct", "heltid_andel_man_pct"]
    # N00090 T: 2024 is the latest ≤ 2024 (2025 is later than P); Stockholm's 2024 is Missing.
    assert got["sjukfranvaro_total_pct"] == _rows(
        ("N00090", "0000", "Riket", 2024, "T", 6.9), ("N00090", "0180", "Stockholm", 2024, "T", None)
    )
    assert got["sjukfranvaro_kvinnor_pct"] == _rows(
        ("N00090", "0000", "Riket", 2024, "K", 8.0), ("N00090", "0180", "Stockholm", 2024, "K", None)
    )
    assert got["sjukfranvaro_man_pct"] == _rows(
        ("N00090", "0000", "Riket", 2024, "M", 4.4), ("N00090", "0180", "Stockholm", 2024, "M", None)
    )
    assert got["heltid_andel_pct"] == _rows(
        ("N00206", "0000", "Riket", 2023, "T", 84.0), ("N00206", "0180", "Stockholm", 2023, "T", 82.5)
    )
    # Riket's K value was marked deleted: only Stockholm's remains.
    assert got["heltid_andel_kvinnor_pct"] == _rows(("N00206", "0180", "Stockholm", 2023, "K", 80.1))
    assert got["medarbetarindex"] == _rows(("U00200", "0180", "Stockholm", 2023, "T", 78.0))
    assert got["sjukfranvaro_lang_andel_pct"] == [] and got["medarbetarindex_styrning"] == []


def test_json_key_for_an_earlier_period(con, state_dir):
    got = compute(con, dt.date(2023, 9, 1), Scope(), state_dir=state_dir)["jamforelse"]
    assert got["sjukfranvaro_total_pct"] == _rows(
        ("N00090", "0000", "Riket", 2023, "T", 7.1), ("N00090", "0180", "Stockholm", 2023, "T", 7.4)
    )


def test_json_key_is_the_same_for_every_scope_and_never_suppressed(con, state_dir):
    whole = compute(con, P, Scope(), state_dir=state_dir)
    small = compute(con, P, Scope.of(["Förvaltning B"]), state_dir=state_dir)
    assert "sjukfranvaro_total_pct" in small["undertryckta"]  # Förvaltning B has 5 persons
    assert small["jamforelse"] == whole["jamforelse"]
    assert small["sjukfranvaro"]["sjukfranvaro_total_pct"] is None


def test_json_key_is_null_without_the_table(fixture_dir, state_dir):
    c = connect(fixture_dir)
    try:
        assert compute(c, P, Scope(), state_dir=state_dir)["jamforelse"] is None
    finally:
        c.close()


# --- Comparisons shown beside the figures ---------------------------------------------------------


def test_comparison_uses_the_same_calendar_year(con):
    got = jamforelse.jamforelser(con, P, Scope(), visa=("0000", "0180"))
    heltid = got["heltid_andel_pct"]
    assert heltid.ar == 2023
    assert heltid.rad == "Riket 2023: 84,0\u00a0% · Stockholm 2023: 82,5\u00a0%"
    # December 2023: 22 månadsavlönade, of whom p03, p06, p10 and p16 work part time.
    assert heltid.egen.varde == pytest.approx(100 * 18 / 22)
    assert heltid.egen_text == "Egen, kalenderår 2023: 81,8\u00a0%"
    # Sjukfrånvaro 2024: the extracts end in September, so there is no own figure for the year.
    sjuk = got["sjukfranvaro_total_pct"]
    assert sjuk.rad == "Riket 2024: 6,9\u00a0% · Stockholm 2024: uppgift saknas"
    assert sjuk.egen_text == "Egen, kalenderår 2024: extrakten täcker inte hela 2024"
    # Survey 2023 in Enhet X1: motivation 75, ledarskap 85 → (75 + 85) / 2.
    enkat = got["medarbetarindex"]
    assert enkat.rad == "Stockholm 2023: 78,0"
    assert enkat.egen.varde == pytest.approx(80.0)
    assert enkat.egen_text == "Egen, enkäten 2023: 80,0"
    assert enkat.kalla == "Källa: Kolada (RKA), U00200, hämtad 1 oktober 2024."
    assert "sjukfranvaro_kort_pct" not in got  # no counterpart: nothing shown
    assert "sjukfranvaro_lang_andel_pct" not in got  # no values in the table


def test_own_value_is_suppressed_by_the_usual_rules(con):
    got = jamforelse.jamforelser(con, P, Scope.of(["Förvaltning B"]), visa=("0000", "0180"))
    # Förvaltning B in December 2023: p17, p18, p25, p27, p28 = 5 månadsavlönade, all full time.
    assert got["heltid_andel_pct"].egen.varde == pytest.approx(100.0)
    # 2 kvinnor (p17, p28) and 3 män: both kön parts are withheld.
    assert got["heltid_andel_kvinnor_pct"].egen_text == "Egen, kalenderår 2023: .."
    assert got["heltid_andel_kvinnor_pct"].rad == "Stockholm 2023: 80,1\u00a0%"


@pytest.mark.parametrize(
    ("env", "toml", "held", "expected"),
    [
        ({}, None, ("0000", "0180"), ("0000", "0180")),
        ({}, None, ("0000", "0180", "1480"), ("0000",)),
        ({"KFP_KOMMUN_ID": "1480"}, None, ("0000", "0180", "1480"), ("0000", "1480")),
        ({}, 'kommun = "180"', ("0000", "0180", "1480"), ("0000", "0180")),
        ({}, 'visa = ["1480", "G1", "0180"]', ("0000", "0180", "1480", "G1"), ("1480", "G1", "0180")),
        ({"KFP_KOLADA_VISA": "0180"}, 'visa = ["1480"]', ("0000", "0180", "1480"), ("0180",)),
        ({"KFP_KOLADA_VISA": "2999"}, None, ("0000", "0180"), ()),
    ],
)
def test_which_municipalities_are_shown(tmp_path, monkeypatch, env, toml, held, expected):
    for key in ("KFP_KOMMUN_ID", "KFP_KOLADA_VISA"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    if toml:
        (tmp_path / "kolada.toml").write_text(toml, encoding="utf-8")
    assert installningar.shown(installningar.load(tmp_path), held) == expected


def test_fixtures_are_recorded_files():
    assert sorted(p.name for p in FIXTURES.iterdir()) == [
        "lang.csv",
        "municipality.json",
        "sida1.json",
        "sida2.json",
    ]


def test_markers_only_within_the_charts_span():
    import pandas as pd

    from kfp_metrics.kolada import diagram

    serier = (("Riket", 2023, 7.1), ("Riket", 2024, 6.9), ("Stockholm", 2023, 7.4))
    months = pd.DataFrame({"period": pd.to_datetime(["2023-11-01", "2023-12-01", "2024-09-01"])})
    assert diagram.within(serier, months) == (("Riket", 2023, 7.1), ("Stockholm", 2023, 7.4))
    assert diagram.within(serier, pd.DataFrame({"ar": [2024]}), "ar") == (("Riket", 2024, 6.9),)
    assert diagram.within(serier, months.iloc[2:]) == ()
