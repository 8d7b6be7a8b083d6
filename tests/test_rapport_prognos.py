"""The nämndrapport's Rekryteringsbehov section on fixture_prognos (values as in test_prognos.py)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import fixture_prognos as fx
import pytest

from kfp_metrics.extracts import connect
from kfp_metrics.queries import Scope
from kfp_metrics.rapport import AVSNITT, Options, build
from kfp_metrics.rapport import pdf as rapport_pdf

P = dt.date(2024, 9, 1)
SKAPAD = dt.datetime(2024, 10, 15, 9, 30)
SENTENCE = (
    "Under åren 2025–2027 bedöms rekryteringsbehovet till 20 medarbetare, varav 10 till följd av "
    "pensionsavgångar och 10 till följd av övrig personalomsättning."
)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = connect(fx.write(tmp_path_factory.mktemp("rapport_prognos"), ("yrkeskategorier",)))
    yield c
    c.close()


def report(con, tmp_path, **kw):
    options = Options(period=P, avsnitt=("nulagesanalys", "prognos"), skapad=SKAPAD, state_dir=tmp_path, **kw)
    return build(con, options)


def test_section_is_listed_after_rorlighet():
    order = list(AVSNITT)
    assert AVSNITT["prognos"] == "Rekryteringsbehov"
    assert order.index("prognos") == order.index("rorlighet") + 1


def test_section_has_table_chart_assumptions_and_sentence(con, tmp_path):
    rapport, html = report(con, tmp_path)
    [section] = rapport.omraden
    assert section.id == "prognos" and section.rubrik == "Rekryteringsbehov"
    assert section.text[0].startswith(SENTENCE)
    words = " ".join(section.text)
    assert "senaste 12 månaderna" in words
    assert "räknas in det första prognosåret" in words
    assert "oförändrade" in words
    assert "3 befattningar har färre än 5 tillsvidareanställda" in words
    [figur] = section.figurer
    assert figur.rubrik == "Rekryteringsbehov per år och orsak – Alla förvaltningar, 2025–2027"
    assert figur.figure is not None
    assert [list(t.y) for t in figur.figure.data[:3]] == [
        [6, 2, 2],
        pytest.approx([3.4527] * 3, 1e-4),
        [0, 0, 0],
    ]
    behov, rek = section.tabeller
    assert behov.kolumner == ["Yrkeskategori", "2024", "2025", "2026", "2027"]
    assert [r[0] for r in behov.rader] == [
        "Vård och omsorg",
        "Förskola",
        "Hälso- och sjukvård *",
        "Utan yrkeskategori",
        "Totalt",
    ]
    assert rek.rader[-1] == ["Totalt", "9", "5", "5"]
    assert rek.radklasser[-1] == "summa" and behov.numeriska == (1, 2, 3, 4)
    assert 'id="prognos"' in html and "Rekryteringsbehov per yrkeskategori och år" in html
    assert '<tr class="summa"><td>Totalt</td>' in html


def test_nulagesanalys_gets_the_drafted_sentence(con, tmp_path):
    rapport, html = report(con, tmp_path)
    [paragraph] = rapport.nulagesanalys.amnen["rekryteringsbehov"]
    assert paragraph.startswith(SENTENCE)
    assert "<h3>Rekryteringsbehov</h3>" in html


def test_report_pensionsalder_and_scope_reach_the_section(con, tmp_path):
    rapport, _ = report(con, tmp_path, pensionsalder=67, scope=Scope.of([fx.FB]))
    [section] = rapport.omraden
    # Förvaltning B at 67: Barnskötare born 1960 in 2027; Förskollärare 0,9 övriga each year: 3,7 → 4.
    assert section.text[0].startswith("Under åren 2025–2027 bedöms rekryteringsbehovet till 4 medarbetare")
    assert list(section.figurer[0].figure.data[0].y) == [0, 0, 1]
    assert "Pensionsavgångarna räknas med pensionsålder 67 år." in " ".join(section.text)


def test_empty_scope_says_so_without_chart(con, tmp_path):
    rapport, _ = report(con, tmp_path, scope=Scope.of(avdelning=["Ingen"]))
    [section] = rapport.omraden
    assert section.text == [
        "Urvalet har inga tillsvidareanställda i september 2024, så något rekryteringsbehov för 2025–2027 kan inte beräknas."
    ]
    assert section.figurer[0].figure is None and section.tabeller == []


@pytest.mark.skipif(
    rapport_pdf.chromium_path() is None or shutil.which("pdftotext") is None,
    reason="chromium eller poppler-utils saknas",
)
def test_printed_section_reads_in_swedish(con, tmp_path):
    _, html = report(con, tmp_path)
    pdf = rapport_pdf.html_to_pdf(html, "Prognos")
    path = tmp_path / "prognos.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    text = " ".join(text.replace("\u00a0", " ").split())
    assert "bedöms rekryteringsbehovet till 20 medarbetare" in text
    assert "Rekryteringsbehov per yrkeskategori och år" in text
    assert "Figur 1 · Källa: personalsystemets extrakt (anställningar och händelser), egen beräkning" in text
