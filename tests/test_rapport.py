"""The nämndrapport on the hand-built fixture: content, HTML, CLI, page and the printed PDF.

The PDF is checked as a reader would: pdftotext shows the filters, Swedish figures and "Sida X av Y",
pdfinfo shows A4, pdftoppm shows no blank page, and every chart's heading and source line land on the
same page. Tests that print with Chromium are marked `browser` and skip only where it is missing.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from html import escape
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from apptest_helpers import all_text, app_test, open_tab
from streamlit.runtime.pages_manager import PagesManager

from kfp_metrics import catalog, suppression
from kfp_metrics.cli import main
from kfp_metrics.diagramtext import summary
from kfp_metrics.extracts import connect, content_fingerprint
from kfp_metrics.format import SUPPRESSED
from kfp_metrics.queries import Scope
from kfp_metrics.rapport import AVSNITT, Options, build, filnamn
from kfp_metrics.rapport import pdf as rapport_pdf
from kfp_metrics.rapport.html import render

FA, FB = "Förvaltning A", "Förvaltning B"
AX, AY = "Avdelning X", "Avdelning Y"
P = dt.date(2024, 9, 1)
SKAPAD = dt.datetime(2024, 10, 15, 9, 30)
EXTRA = 1000  # persons added to Avdelning X in stor_dir, so counts pass a thousand

needs_chromium = pytest.mark.skipif(
    rapport_pdf.chromium_path() is None,
    reason="chromium saknas (/usr/bin/chromium); apt-get install chromium",
)
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils saknas (pdftotext, pdfinfo, pdftoppm)"
)


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture(scope="module")
def state(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("rapport_state")


def options(fixture_dir, state, **kw) -> Options:
    base = {
        "period": P,
        "skapad": SKAPAD,
        "fingeravtryck": content_fingerprint(fixture_dir),
        "state_dir": state,
    }
    return Options(**{**base, **kw})


@pytest.fixture(scope="module")
def alla(con, fixture_dir, state):
    """The whole scope with every section: (Rapport, HTML)."""
    return build(con, options(fixture_dir, state))


@pytest.fixture(scope="module")
def stor_dir(tmp_path_factory, fixture_dir) -> Path:
    """The fixture plus 1 000 tillsvidare in Avdelning X in 2024-09, so counts reach four digits."""
    directory = tmp_path_factory.mktemp("stor")
    for path in fixture_dir.glob("*.parquet"):
        shutil.copy(path, directory / path.name)
    anst = pq.read_table(fixture_dir / "anstallningar.parquet")
    franv = pq.read_table(fixture_dir / "franvaro.parquet")
    rows, hours = [], []
    for i in range(EXTRA):
        pid = f"x{i:04d}"
        rows.append(
            {
                "period": P,
                "person_id": pid,
                "forvaltning": FA,
                "avdelning": AX,
                "enhet": "Enhet X1",
                "befattning": "Undersköterska",
                "kon": "K" if i % 4 else "M",
                "fodelsear": 1970 + i % 30,
                "anstallningsform": "tillsvidare",
                "sysselsattningsgrad": 100.0,
                "faktisk_sysselsattningsgrad": 100.0,
                "chef": False,
            }
        )
        hours.append(
            {
                "period": P,
                "person_id": pid,
                "ordinarie_timmar": 100.0,
                "sjuk_timmar": 0.0,
                "sjuk_kort_timmar": 0.0,
                "sjuk_lang_timmar": 0.0,
            }
        )
    pq.write_table(
        pa.concat_tables([anst, pa.Table.from_pylist(rows, anst.schema)]), directory / "anstallningar.parquet"
    )
    pq.write_table(
        pa.concat_tables([franv, pa.Table.from_pylist(hours, franv.schema)]), directory / "franvaro.parquet"
    )
    return directory


# --- Content and HTML (no browser) -------------------------------------------------------------


def rows(rapport) -> dict[str, object]:
    return {r.id: r for r in rapport.nyckeltal}


def test_key_figures_table(alla):
    rapport, _ = alla
    r = rows(rapport)
    assert r["antal_manadsavlonade"].varde == "19"
    assert plain(r["andel_kvinnor_pct"].varde) == "68,4 %"
    assert plain(r["sjukfranvaro_total_pct"].varde) == "2,3 %"
    assert plain(r["personalomsattning_pct"].varde) == "23,0 %"
    # Tillsvidare 16 against 20 in september 2023.
    assert plain(r["antal_tillsvidare"].forandring) == "-4 (-20,0 %)"
    # Dag 1–14 0,82 % against Förvaltning A's target 2,0 %: met, stated in words.
    assert plain(r["sjukfranvaro_kort_pct"].mal) == "2,0 %"
    assert r["sjukfranvaro_kort_pct"].maluppfyllelse == "Når målet"
    # 12-month figures a year back would need data from 2022-10: no change is shown.
    assert r["sjukfranvaro_total_pct"].forandring == "–"


def test_suppressed_values_never_appear(alla):
    rapport, html = alla
    r = rows(rapport)
    # Men: 8 persons, 100 × 68/8 200 = 0,83 % → withheld; women withheld too (secondary suppression).
    for metric_id in (
        "sjukfranvaro_man_pct",
        "sjukfranvaro_kvinnor_pct",
        "sjukfranvaro_29_pct",
        "sjukfranvaro_50_pct",
    ):
        assert r[metric_id].varde == SUPPRESSED
        assert r[metric_id].undertryckt
    row = re.search(r'<tr data-nyckeltal="sjukfranvaro_man_pct">(.*?)</tr>', html).group(1)
    assert ">..<" in row and "0,8" not in row
    assert "2,9" not in re.search(r'<tr data-nyckeltal="sjukfranvaro_kvinnor_pct">(.*?)</tr>', html).group(1)
    assert "värdet redovisas inte eftersom gruppen är för liten" in html


def test_cover_states_scope_period_extracts_and_fingerprint(con, fixture_dir, state):
    rapport, html = build(
        con, options(fixture_dir, state, scope=Scope.of([FA], [AX]), avsnitt=("nyckeltal",))
    )
    cover = dict(rapport.framsida)
    assert cover["Urval"] == "Förvaltning: Förvaltning A · Avdelning: Avdelning X · Enhet: alla enheter"
    assert cover["Period"] == "september 2024 (tertial 3 2024)"
    assert cover["Extraktens tidsperiod"] == "september 2023 – september 2024"
    assert cover["Skapad"] == "15 oktober 2024 kl. 09.30"
    assert cover["Extraktens fingeravtryck"] == content_fingerprint(fixture_dir)
    assert rapport.titel == "Kompetensförsörjning – Avdelning X, tertial 3 2024"
    assert f'content="{content_fingerprint(fixture_dir)}"' in html


def test_activity_plan_per_ubaria_with_overdue_in_words(alla):
    rapport, html = alla
    assert list(rapport.plan) == ["utveckla", "behalla", "attrahera", "rekrytera", "introducera", "avsluta"]
    late = {row.aktivitet for rows_ in rapport.plan.values() for row in rows_ if row.forsenad}
    assert late == {"Aktivitet A1", "Aktivitet A5"}
    assert html.count(">Försenad<") == 2
    for label in ("Utveckla", "Behålla", "Attrahera", "Rekrytera", "Introducera", "Avsluta"):
        assert f">{label}<" in html


def test_activity_log_changes_the_printed_status(con, fixture_dir, tmp_path):
    from kfp_metrics import aktivitetslogg

    aktivitetslogg.append_change("A1", "klar", "Genomförd i augusti", "Test", state_dir=tmp_path)
    rapport, _ = build(con, options(fixture_dir, tmp_path, avsnitt=("aktiviteter",)))
    a1 = next(row for row in rapport.plan["utveckla"] if row.aktivitet == "Aktivitet A1")
    assert (a1.status, a1.forsenad, a1.uppfoljning) == ("Klar", False, "Genomförd i augusti")


def test_appendix_has_every_definition_and_rule(alla):
    _, html = alla
    for metric in catalog.METRICS:
        assert metric.definition.replace("'", "&#x27;").replace('"', "&quot;") in html, metric.id
    for text in suppression.RULE_TEXTS.values():
        assert text in html


def test_every_area_has_its_charts_from_the_pages(alla):
    rapport, _ = alla
    by_section = {a.id: a for a in rapport.omraden}
    assert list(by_section) == [
        "personal",
        "rorlighet",
        "prognos",
        "sjukfranvaro",
        "heltid",
        "medarbetarenkat",
        "incidenter",
        "kompetensgap",
        "jamstalldhet",
    ]
    for section in (
        "personal",
        "rorlighet",
        "prognos",
        "sjukfranvaro",
        "heltid",
        "medarbetarenkat",
        "incidenter",
    ):
        assert by_section[section].figurer, section
        assert by_section[section].text, section
    # The fixture has no kompetensgap table: the section says so instead of drawing.
    assert "tabellen kompetensgap saknas" in by_section["kompetensgap"].text[0]
    numbers = [f.nummer for a in rapport.omraden for f in a.figurer]
    assert numbers == list(range(1, len(numbers) + 1))


def test_sections_can_be_chosen(con, fixture_dir, state):
    rapport, html = build(con, options(fixture_dir, state, avsnitt=("nulagesanalys", "sjukfranvaro")))
    assert [a.id for a in rapport.omraden] == ["sjukfranvaro"]
    assert 'id="nulagesanalys"' in html and 'id="nyckeltal"' not in html and 'id="aktiviteter"' not in html
    assert 'id="bilaga"' not in html


def test_same_data_and_options_give_identical_html(con, fixture_dir, state):
    chosen = ("nyckeltal", "nulagesanalys", "sjukfranvaro", "aktiviteter")
    _, first = build(con, options(fixture_dir, state, avsnitt=chosen))
    _, again = build(con, options(fixture_dir, state, avsnitt=chosen))
    identical = again == first
    assert identical
    later = render_at(con, fixture_dir, state, chosen, dt.datetime(2024, 10, 16, 8, 5))
    differs = later != first
    only_the_time = later.replace("16 oktober 2024 kl. 08.05", "15 oktober 2024 kl. 09.30") == first
    assert differs and only_the_time


def render_at(con, fixture_dir, state, chosen, skapad) -> str:
    return build(con, options(fixture_dir, state, avsnitt=chosen, skapad=skapad))[1]


def test_html_is_self_contained(alla):
    import plotly.offline

    _, html = alla
    outside_plotlyjs = html.replace(plotly.offline.get_plotlyjs(), "")
    assert len(outside_plotlyjs) < len(html)
    fetches = re.findall(r"<script[^>]+src=|<link |<img |https?://", outside_plotlyjs)
    assert fetches == []
    assert "Plotly.register" in outside_plotlyjs
    assert outside_plotlyjs.count('"staticPlot": true') == html.count('class="plotly-graph-div"')


def test_thousands_with_space(stor_dir, state):
    c = connect(stor_dir)
    try:
        rapport, _ = build(c, options(stor_dir, state, scope=Scope.of([FA], [AX]), avsnitt=("nyckeltal",)))
    finally:
        c.close()
    assert rows(rapport)["antal_manadsavlonade"].varde == "1 012"
    assert plain(rapport.nulagesanalys.amnen["personal"][0]).startswith("Avdelning X har 1 012 anställda")


def test_file_name():
    assert (
        filnamn(Options(period=P, scope=Scope.of([FA], ["Äldre & Vård"])))
        == "namndrapport_2024-09_aldre-vard"
    )
    assert filnamn(Options(period=P)) == "namndrapport_2024-09_alla"


# --- Command line ----------------------------------------------------------------------------


def test_cli_without_browser_still_writes_html(fixture_dir, state_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(rapport_pdf, "browser_available", lambda: False)
    out, html = tmp_path / "r.pdf", tmp_path / "r.html"
    code = main(
        [
            "rapport",
            "--data",
            str(fixture_dir),
            "--period",
            "2024-09",
            "--avsnitt",
            "nyckeltal",
            "--out",
            str(out),
            "--html",
            str(html),
        ]
    )
    err = capsys.readouterr().err
    assert code == 3
    assert "Ingen Chromium-webbläsare hittades" in err
    assert html.is_file() and not out.exists()
    assert "Sjukfrånvaro män" in html.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--period", "2024-13"], 2, "Ogiltig period"),
        (
            ["--period", "2030-01"],
            1,
            "perioden 2030-01 finns inte i extrakten (september 2023 – september 2024)",
        ),
        (["--period", "2024-09", "--avsnitt", "okand"], 2, "ogiltigt val"),
    ],
)
def test_cli_refuses_bad_arguments(fixture_dir, state_dir, tmp_path, capsys, args, code, message):
    assert run_cli(["rapport", "--data", str(fixture_dir), "--out", str(tmp_path / "r.pdf"), *args]) == code
    assert message in capsys.readouterr().err
    assert not (tmp_path / "r.pdf").exists()


def test_cli_refuses_missing_data(tmp_path, state_dir, capsys):
    out = tmp_path / "r.pdf"
    assert (
        run_cli(["rapport", "--data", str(tmp_path / "saknas"), "--period", "2024-09", "--out", str(out)])
        == 1
    )
    assert "finns inte" in capsys.readouterr().err


def run_cli(argv: list[str]) -> int:
    """The CLI's exit code, whether it returns or argparse exits."""
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code)


# --- The page ----------------------------------------------------------------------------------


@pytest.fixture()
def navigation_v2(monkeypatch):
    """Run app.py's st.navigation on every AppTest run, as the server does (see test_pages_analys_a)."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def draft_text(at) -> str:
    return "\n\n".join(t.value for t in at.text_area if t.key.startswith("granskning_"))


def test_page_offers_preview_text_and_downloads(navigation_v2, monkeypatch, fixture_dir, state_dir):
    monkeypatch.setattr(rapport_pdf, "browser_available", lambda: False)
    at = app_test(monkeypatch, fixture_dir, state_dir, {"period": "2024-09"})
    at.switch_page("pages/namndrapport.py").run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Nämndrapport"]
    assert (
        at.text_input(key="rapport_titel").value
        == "Kompetensförsörjning – alla förvaltningar, tertial 3 2024"
    )
    assert at.multiselect(key="rapport_avsnitt").value == list(AVSNITT)
    # The draft is shown for review: one text box per topic
    code = plain(draft_text(at))
    assert "19 anställda som uppbär månadslön" in code and "13 kvinnor och 6 män" in code
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Ladda ner HTML"]
    # No browser here: the page says so in Swedish and still offers the HTML.
    assert "Ingen Chromium-webbläsare hittades" in all_text(at)

    at.selectbox(key="f_forvaltning").set_value(FA).run()
    at.multiselect(key="f_avdelning").set_value([AX]).run()
    assert not at.exception
    assert at.text_input(key="rapport_titel").value == "Kompetensförsörjning – Avdelning X, tertial 3 2024"
    assert "Avdelning X har 12 anställda" in plain(draft_text(at))


@pytest.mark.parametrize("scope", [Scope(), Scope.of([FA], [AX])], ids=["alla", "avdelning-x"])
def test_report_from_facts_gathered_first_is_the_same_report(con, fixture_dir, state, scope):
    """The page gathers the key figures and the draft first (fakta_for) and hands them to the
    whole report when its preview is opened: the same HTML as the report gathering them itself."""
    from kfp_metrics.rapport.content import collect, fakta_for

    opts = options(fixture_dir, state, scope=scope)
    facts = fakta_for(con, opts)
    at_once = collect(con, opts)
    given = collect(con, opts, facts)
    assert render(given) == render(at_once)
    assert given.nyckeltal == at_once.nyckeltal and given.utkast == at_once.utkast


def test_first_view_shows_the_draft_and_key_figures_without_building_the_report(
    navigation_v2, monkeypatch, fixture_dir, state_dir
):
    """Until the preview is opened or a file is made, no chart of the report is built (the
    charts are half of the report's work); the draft and the key figures are there."""
    from kfp_metrics import charts
    from kfp_metrics.rapport import utskrift

    monkeypatch.setattr(rapport_pdf, "browser_available", lambda: False)
    built = []
    unchecked = charts.checked_figure
    monkeypatch.setattr(charts, "checked_figure", lambda spec: built.append(spec) or unchecked(spec))
    collected = []
    whole = utskrift.collect
    monkeypatch.setattr(utskrift, "collect", lambda *a, **k: collected.append(a) or whole(*a, **k))
    at = app_test(monkeypatch, fixture_dir, state_dir, {"period": "2024-09"})
    at.switch_page("pages/namndrapport.py").run()
    assert not at.exception, at.exception
    assert "19 anställda som uppbär månadslön" in plain(draft_text(at))
    assert (built, collected, at.get("iframe")) == ([], [], [])
    open_tab(at, "rapport_flik", "Nyckeltal")
    (rows,) = [frame.value for frame in at.dataframe]
    assert rows.loc[rows["Nyckeltal"] == "Månadsavlönade", "Värde"].tolist() == ["19"]
    assert (built, collected) == ([], [])
    open_tab(at, "rapport_flik", "Förhandsgranskning")
    assert not at.exception, at.exception
    assert len(collected) == 1 and built and len(at.get("iframe")) == 1


# --- The printed PDF ---------------------------------------------------------------------------


def pdf_pages(path: Path) -> list[str]:
    """pdftotext -layout, one string per page."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [plain(page) for page in text.split("\f")[:-1]]


@pytest.fixture(scope="module")
def printed(alla, tmp_path_factory):
    if rapport_pdf.chromium_path() is None:
        pytest.skip("chromium saknas (/usr/bin/chromium); apt-get install chromium")
    rapport, html = alla
    path = tmp_path_factory.mktemp("pdf") / "rapport.pdf"
    path.write_bytes(rapport_pdf.html_to_pdf(html, rapport.sidfot))
    return rapport, path


@pytest.mark.browser
@needs_chromium
@needs_poppler
def test_pdf_is_a4_with_page_numbers(printed):
    _, path = printed
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 842\.\d+ pts \(A4\)", info), info
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    pages = pdf_pages(path)
    assert len(pages) == count
    for number, page in enumerate(pages, start=1):
        assert f"Sida {number} av {count}" in page


@pytest.mark.browser
@needs_chromium
@needs_poppler
def test_pdf_reads_as_swedish_and_withholds(printed):
    rapport, path = printed
    pages = pdf_pages(path)
    text = "\n".join(pages)
    flat = " ".join(text.split())
    assert "Förvaltning: alla förvaltningar · Avdelning: alla avdelningar" in flat
    assert "Extraktens fingeravtryck" in text and rapport.options.fingeravtryck in text
    assert "13 kvinnor och 6 män" in flat and "68 % är kvinnor" in flat
    assert "2,3 %" in text and "23,0 %" in text and "46,1" in text
    assert not re.search(r"\b\d+\.\d+ ?%", text), "decimal point in a percentage"
    men = next(line for line in text.splitlines() if line.strip().startswith("Sjukfrånvaro män"))
    assert ".." in men and "0,8" not in men
    assert "Försenad" in text
    # Chart texts are real (vector) text in the PDF, in Swedish.
    assert "Antal personer" in text and "Procent av ordinarie arbetstid" in text


@pytest.mark.browser
@needs_chromium
@needs_poppler
def test_no_chart_is_cut_across_pages(printed):
    rapport, path = printed
    pages = pdf_pages(path)
    checked = 0
    for avsnitt in rapport.omraden:
        for figur in avsnitt.figurer:
            heading = [i for i, page in enumerate(pages) if f"Figur {figur.nummer}." in page]
            if figur.figure is None:
                assert heading, figur.id
                continue
            caption = [i for i, page in enumerate(pages) if f"Figur {figur.nummer} · Källa" in page]
            assert len(heading) == 1 and heading == caption, (figur.id, heading, caption)
            axis = figur.figure.layout.xaxis.title.text
            if axis:
                assert axis in pages[heading[0]], (figur.id, axis)
            checked += 1
    assert checked >= 10


@pytest.mark.browser
@needs_chromium
@needs_poppler
def test_no_page_is_blank(printed, tmp_path):
    from PIL import Image

    _, path = printed
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "sida")], check=True)
    images = sorted(tmp_path.glob("sida-*.png"))
    assert images
    for image_path in images:
        with Image.open(image_path) as image:
            gray = image.convert("L")
            width, height = gray.size
            # The content area only: the footer alone does not make a page.
            body = gray.crop((0, 0, width, int(height * 0.9)))
            dark = sum(body.histogram()[:200])
            assert dark > 100, f"{image_path.name} ser tom ut"


@pytest.mark.browser
@needs_chromium
@needs_poppler
def test_cli_prints_pdf_and_html(stor_dir, state_dir, tmp_path, capsys):
    out, html = tmp_path / "rapport.pdf", tmp_path / "rapport.html"
    code = main(
        [
            "rapport",
            "--data",
            str(stor_dir),
            "--period",
            "2024-09",
            "--forvaltning",
            FA,
            "--avdelning",
            AX,
            "--avsnitt",
            "nyckeltal",
            "--avsnitt",
            "nulagesanalys",
            "--avsnitt",
            "aktiviteter",
            "--titel",
            "Kompetensförsörjning – test",
            "--out",
            str(out),
            "--html",
            str(html),
        ]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF")
    assert "<!DOCTYPE html>" in html.read_text(encoding="utf-8")
    text = "\n".join(pdf_pages(out))
    flat = " ".join(text.split())
    assert "Kompetensförsörjning – test" in text
    assert "Förvaltning: Förvaltning A · Avdelning: Avdelning X" in flat
    assert "Avdelning X har 1 012 anställda" in flat
    assert "Sida 1 av" in text
    assert re.search(r"PDF: .*rapport\.pdf \(skapad på \d+,\d s\)", err)


def test_render_without_sections_is_just_a_cover(con, fixture_dir, state):
    rapport, _ = build(con, options(fixture_dir, state, avsnitt=()))
    html = render(rapport)
    assert html.count('<section class="sida') == 0
    assert 'class="framsida"' in html


# --- Accessible documents (WCAG 2.1 AA, DOS-lagen) ---------------------------------------------


def drawn_figures(rapport):
    return [f for a in rapport.omraden for f in a.figurer if f.figure is not None]


def test_html_report_gives_each_chart_its_text_alternative(alla):
    rapport, html = alla
    assert '<html lang="sv-SE">' in html
    figures = drawn_figures(rapport)
    assert figures
    for f in figures:
        alt = escape(summary(f.figure, f.rubrik), quote=True)
        # The plot is one image named by the sentence, and the sentence is printed under it.
        assert f'<div class="plot" role="img" aria-label="{alt}">' in html, f.rubrik
        assert f'<figcaption><span class="alt">{alt}</span>' in html, f.rubrik
    # Every table has real header cells.
    assert html.count("<table") == html.count("<thead>") + html.count('class="fakta"')
    assert '<th scope="col">' in html


def pdf_strings(raw: bytes, key: bytes) -> list[str]:
    """The text strings stored under a key (/Alt, /Title) in an uncompressed PDF, decoded."""
    out = []
    for hexa, literal in re.findall(rb"/" + key + rb"\s*(?:<([0-9A-Fa-f]*)>|\(((?:[^()\\]|\\.)*)\))", raw):
        if hexa:
            data = bytes.fromhex(hexa.decode())
            out.append(data[2:].decode("utf-16-be") if data[:2] == b"\xfe\xff" else data.decode("latin-1"))
        else:
            out.append(literal.decode("latin-1"))
    return out


@pytest.mark.browser
@needs_chromium
@needs_poppler
def test_pdf_is_tagged_for_screen_readers(printed):
    rapport, path = printed
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    assert re.search(r"^Title:\s+(.+)$", info, re.M).group(1) == rapport.titel
    tree = subprocess.run(
        ["pdfinfo", "-struct", str(path)], capture_output=True, text=True, check=True
    ).stdout
    for tag in ("H1", "H2", "H3", "Table", "TH", "TD", "Figure", "Caption"):
        assert re.search(rf"^\s*{tag}\b", tree, re.M), f"taggen {tag} saknas"
    assert "/Scope /Column" in tree and "/Scope /Row" in tree
    raw = path.read_bytes()
    assert b"/Lang (sv-SE)" in raw
    # Each chart is a Figure whose alternative text is its one-sentence summary.
    alts = pdf_strings(raw, b"Alt")
    assert sorted(alts) == sorted(summary(f.figure, f.rubrik) for f in drawn_figures(rapport))
    # Bookmarks from the headings: the report's title and every section.
    titles = pdf_strings(raw, b"Title")
    assert rapport.titel in titles
    for heading in ("Nyckeltal", *(a.rubrik for a in rapport.omraden)):
        assert any(t.startswith(heading) for t in titles), heading


def test_page_makes_the_pdf_on_click(navigation_v2, monkeypatch, fixture_dir, state_dir):
    monkeypatch.setattr(rapport_pdf, "browser_available", lambda: True)
    monkeypatch.setattr(rapport_pdf, "html_to_pdf", lambda html, footer: b"%PDF-1.7 utskrift")
    at = app_test(monkeypatch, fixture_dir, state_dir, {"period": "2024-09"})
    at.switch_page("pages/namndrapport.py").run()
    assert "Ladda ner PDF" not in [b.proto.label for b in at.get("download_button")]
    at.button(key="rapport_skapa_pdf").click().run()
    assert not at.exception, at.exception
    assert "Ladda ner PDF" in [b.proto.label for b in at.get("download_button")]
    assert at.session_state["rapport_pdf"][1] == b"%PDF-1.7 utskrift"
