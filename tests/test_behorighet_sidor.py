"""Every page as people with different grants: nothing outside the grant, in any output.

Login is configured through at.secrets["auth"]; st.user's claims through at.user.
"""

from __future__ import annotations

import time

import pytest
from apptest_helpers import app_test, deferred_downloads, everything_shown, logged_in_app, open_tables
from fixture_data import AX, AY, AZ, FA, FB
from streamlit.components.v2.component_manager import BidiComponentManager

from kfp_metrics.behorighet import logg
from kfp_metrics.ui import navigation

PAGES = [path for _, entries in navigation.SECTIONS for path, _, _ in entries]

ACCESS = f"""
kontakt = "HR-avdelningen, hr@kommun.se"

[[roll]]
namn = "KFP.HR"
urval = "alla"
andra_aktiviteter = true

[[anvandare]]
id = "chef.y@kommun.se"
forvaltning = ["{FA}"]
avdelning = ["{AY}"]
andra_aktiviteter = true
"""
CHEF_Y = {"email": "chef.y@kommun.se", "oid": "11111111-aaaa", "name": "Yvonne Chef", "sub": "s-y"}
HR = {"email": "hr@kommun.se", "oid": "22222222-bbbb", "name": "Hanna HR", "roles": ["KFP.HR"]}
NOBODY = {"email": "ny@kommun.se", "oid": "33333333-cccc", "name": "Nils Ny"}

# Names that only the parts of the organisation outside Avdelning Y have in the fixtures:
# units, befattningar and competence areas of Avdelning X and Förvaltning B. (Undersköterska is
# also the befattning of Avdelning Y's incidents and of p30's rekrytering there.)
OUTSIDE_Y = (
    AX,
    AZ,
    FB,
    "Enhet X1",
    "Enhet X2",
    "Enhet Z1",
    "Sjuksköterska",
    "Vårdbiträde",
    "Förskollärare",
    "Barnskötare",
    "Demensvård",
    "Språkutveckling",
)


@pytest.fixture(autouse=True)
def no_component_scan(monkeypatch):
    monkeypatch.setattr(BidiComponentManager, "discover_and_register_components", lambda self, **kw: None)


def tillsvidare(at) -> str:
    """The value on Översikt's Tillsvidareanställda card."""
    texts = [m.value for m in at.markdown if m.value.startswith("### ")]
    captions = [c.value for c in at.caption]
    assert captions[1] == "Tillsvidareanställda", captions  # the first card, after the page caption
    return texts[0].removeprefix("### ")


def run_page(at, page):
    at.run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_chef_of_one_avdelning_sees_nothing_outside_it(monkeypatch, analys_dir, state_dir, page):
    at = run_page(
        logged_in_app(monkeypatch, analys_dir, state_dir, CHEF_Y, ACCESS, {"period": "2024-09"}), page
    )
    shown = everything_shown(at)
    leaked = [name for name in OUTSIDE_Y if name in shown]
    assert not leaked, (page, leaked)
    assert "Yvonne Chef" in shown  # who is logged in, in the sidebar
    assert [b.label for b in at.sidebar.button if b.key == "kfp_logga_ut"] == ["Logga ut"]
    # The sidebar offers only the permitted units
    assert at.selectbox(key="f_forvaltning").options == ["Alla du har behörighet till", FA]
    assert at.multiselect(key="f_avdelning").options == [AY]


def test_chef_figures_are_the_avdelnings_own(monkeypatch, analys_dir, state_dir):
    at = run_page(
        logged_in_app(monkeypatch, analys_dir, state_dir, CHEF_Y, ACCESS, {"period": "2024-09"}), PAGES[0]
    )
    # Avdelning Y at 2024-09: p14 and p15 tillsvidare (p22 left in May); whole organisation: 16
    assert tillsvidare(at) == "2"
    assert any("Ditt urval: Avdelning Y (Förvaltning A)" in t.value for t in at.caption)


def test_url_outside_the_grant_is_an_unknown_name(monkeypatch, analys_dir, state_dir):
    outside = logged_in_app(
        monkeypatch, analys_dir, state_dir, CHEF_Y, ACCESS, {"forvaltning": FB, "avdelning": AX}
    )
    outside.run()
    unknown = logged_in_app(
        monkeypatch,
        analys_dir,
        state_dir,
        CHEF_Y,
        ACCESS,
        {"forvaltning": "Förvaltning Q", "avdelning": "Avdelning Q"},
    )
    unknown.run()
    notices_outside = [
        w.value.replace("Förvaltning B", "N").replace("Avdelning X", "M") for w in outside.sidebar.warning
    ]
    notices_unknown = [
        w.value.replace("Förvaltning Q", "N").replace("Avdelning Q", "M") for w in unknown.sidebar.warning
    ]
    assert notices_outside == notices_unknown
    assert len(notices_outside) == 2
    assert tillsvidare(outside) == "2"


def test_hr_sees_the_whole_organisation(monkeypatch, analys_dir, state_dir):
    at = run_page(
        logged_in_app(monkeypatch, analys_dir, state_dir, HR, ACCESS, {"period": "2024-09"}), PAGES[0]
    )
    # p01–p10, p14, p15, p17, p18, p27, p28 (p20–p22, p25, p26 have left by 2024-09) = 16
    assert tillsvidare(at) == "16"
    assert at.selectbox(key="f_forvaltning").options == ["Alla förvaltningar", FA, FB]


def test_two_persons_never_share_cached_results(monkeypatch, analys_dir, state_dir):
    for user, expected in ((CHEF_Y, "2"), (HR, "16"), (CHEF_Y, "2")):
        at = logged_in_app(monkeypatch, analys_dir, state_dir, user, ACCESS, {"period": "2024-09"})
        at.run()
        assert tillsvidare(at) == expected, user["name"]


@pytest.mark.parametrize("page", PAGES)
def test_person_without_grant_gets_the_denied_page(monkeypatch, analys_dir, state_dir, page):
    at = run_page(logged_in_app(monkeypatch, analys_dir, state_dir, NOBODY, ACCESS), page)
    shown = everything_shown(at).replace("\\", "")  # Markdown escapes
    assert [t.value for t in at.title] == ["Ingen behörighet"]
    assert "33333333-cccc" in shown and "HR-avdelningen, hr@kommun.se" in shown
    for name in (FA, FB, AX, AY, AZ, "Enhet", "Tillsvidare"):
        assert name not in shown, name
    assert not at.dataframe and not at.get("plotly_chart")
    assert not [m for m in at.markdown if m.value.startswith("### ")]
    assert not at.get("page_link")  # not even the page menu


def test_logged_out_gets_the_login_page(monkeypatch, analys_dir, state_dir):
    at = logged_in_app(monkeypatch, analys_dir, state_dir, None, ACCESS)
    at.run()
    assert [b.label for b in at.button] == ["Logga in"]
    assert FA not in everything_shown(at)


def test_old_session_is_logged_out(monkeypatch, analys_dir, state_dir):
    monkeypatch.setenv("KFP_SESSION_TIMMAR", "10")
    old = {**CHEF_Y, "iat": int(time.time()) - 11 * 3600}
    at = logged_in_app(monkeypatch, analys_dir, state_dir, old, ACCESS)
    at.run()
    assert at.user == {"is_logged_in": False}
    assert [b.label for b in at.button] == ["Logga in"]
    fresh = logged_in_app(
        monkeypatch, analys_dir, state_dir, {**CHEF_Y, "iat": int(time.time()) - 3600}, ACCESS
    )
    fresh.run()
    assert tillsvidare(fresh) == "2"


def test_malformed_access_file_stops_the_app(monkeypatch, analys_dir, state_dir):
    bad = ACCESS + '\n[[anvandare]]\nid = "x"\navdelningar = ["Avdelning Y"]\n'
    at = logged_in_app(monkeypatch, analys_dir, state_dir, HR, bad)
    at.run()
    assert [t.value for t in at.title] == ["Behörighetsfilen kan inte läsas"]
    # ACCESS has 13 lines; the appended blank line, header and id make avdelningar line 17
    assert "rad 17" in at.error[0].value and "avdelningar" in at.error[0].value
    assert "Tillsvidareanställda" not in [c.value for c in at.caption]


def test_local_mode_banner(monkeypatch, analys_dir, state_dir):
    at = app_test(monkeypatch, analys_dir, state_dir)
    at.run()
    assert any("Lokalt läge – ingen inloggning" in w.value for w in at.sidebar.warning)
    assert tillsvidare(at) == "16"


def test_local_mode_refuses_a_network_address(monkeypatch, analys_dir, state_dir):
    from streamlit import config

    previous = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        at = app_test(monkeypatch, analys_dir, state_dir)
        at.run()
        assert [t.value for t in at.title] == ["Inloggning saknas"]
        assert "Tillsvidareanställda" not in [c.value for c in at.caption]
        monkeypatch.setenv("KFP_UTAN_INLOGGNING", "1")
        at = app_test(monkeypatch, analys_dir, state_dir)
        at.run()
        assert tillsvidare(at) == "16"
    finally:
        config.set_option("server.address", previous)


def test_page_views_and_downloads_are_logged_without_figures(monkeypatch, analys_dir, state_dir):
    deferred = deferred_downloads(monkeypatch)
    at = logged_in_app(monkeypatch, analys_dir, state_dir, CHEF_Y, ACCESS, {"period": "2024-09"})
    at.run()
    at.switch_page("pages/sjukfranvaro.py").run()
    at.run()  # a rerun of the same view is not a new view
    open_tables(at)  # nor is opening 'Visa data', which runs the page again
    # Pressing the first download button: its file is made, and the download logged, then.
    make = next(make for make, name in reversed(deferred) if name.endswith(".csv"))
    assert make().decode("utf-8-sig").splitlines()[0]
    entries = logg.read()
    assert [e["sida"] for e in entries] == [
        "Översikt · 2024-09",
        "Sjukfrånvaro · 2024-09",
        "Sjukfrånvaro · 2024-09",
    ]
    download = entries.pop()
    assert download["nedladdning"].endswith(".csv")
    assert all(e["person_id"] == "11111111-aaaa" for e in entries)
    # "All you may see" is logged as the granted units
    assert entries[0]["urval"] == {"forvaltning": [FA], "avdelning": [AY], "enhet": []}
    assert all(e["nedladdning"] is None for e in entries)
    # Nothing but who, when, where and what: no field that could carry a figure
    assert set(entries[0]) - {"seq"} == {"tid", "person_id", "sida", "urval", "nedladdning"}


def test_denied_views_are_logged(monkeypatch, analys_dir, state_dir):
    at = logged_in_app(monkeypatch, analys_dir, state_dir, NOBODY, ACCESS)
    at.run()
    (entry,) = logg.read()
    assert entry["person_id"] == "33333333-cccc" and entry["sida"] == "Ingen behörighet"


def test_forecast_per_forvaltning_needs_the_whole_forvaltning(analys_dir):
    from kfp_metrics.behorighet import Box, Permission, atkomst
    from kfp_metrics.extracts import connect

    con = connect(analys_dir)
    chef_y = atkomst.scoped(con, Permission(boxes=(Box((FA,), (AY,)),)))
    whole_a = atkomst.scoped(con, Permission(boxes=(Box((FA,)),)))
    assert chef_y.execute("select count(*) from personalprognos").fetchall()[0][0] == 0
    # fixture_analys.PROGNOS: four rows for Förvaltning A
    assert whole_a.execute("select count(*) from personalprognos").fetchall()[0][0] == 4
    # kompetensgap: Y1's two rows; the avdelning-level row of X (enhet null) only with all of X
    assert chef_y.execute("select count(*) from kompetensgap").fetchall()[0][0] == 2
    x1_only = atkomst.scoped(con, Permission(boxes=(Box((FA,), (AX,), ("Enhet X1",)),)))
    rows = x1_only.execute("select omrade from kompetensgap order by ar").fetchall()
    assert [r[0] for r in rows] == ["Digital kompetens"] * 3
    all_x = atkomst.scoped(con, Permission(boxes=(Box((FA,), (AX,)),)))
    assert "Demensvård" in [r[0] for r in all_x.execute("select omrade from kompetensgap").fetchall()]


@pytest.mark.parametrize("page", PAGES)
def test_hr_opens_every_page(monkeypatch, analys_dir, state_dir, page):
    at = run_page(logged_in_app(monkeypatch, analys_dir, state_dir, HR, ACCESS, {"period": "2024-09"}), page)
    assert "Hanna HR" in everything_shown(at)
    assert at.multiselect(key="f_avdelning").options == [AX, AY, AZ]


def test_chef_changes_only_the_own_avdelnings_activities(monkeypatch, analys_dir, state_dir):
    from kfp_metrics import aktivitetslogg

    at = run_page(
        logged_in_app(monkeypatch, analys_dir, state_dir, CHEF_Y, ACCESS, {"period": "2024-09"}),
        "pages/aktiviteter.py",
    )
    # A1 (förvaltningsövergripande) and A3 (Avdelning Y) are shown; none of X's or B's
    assert sorted(o.split(" · ")[0] for o in at.selectbox(key="akt_val").options) == ["A1", "A3"]
    at.selectbox(key="akt_val").set_value("A1").run()
    assert not [b for b in at.button if b.key == "akt_spara"]  # no form for A1
    assert any("inte registrera uppföljning" in i.value for i in at.info)
    at.selectbox(key="akt_val").set_value("A3").run()
    # no name to type: the change is signed by the logged-in person
    assert not [t for t in at.text_input if t.key == "akt_namn"]
    at.selectbox(key="akt_status").set_value("pagar")
    at.text_area(key="akt_kommentar").input("Igång igen")
    at.button(key="akt_spara").click().run()
    assert not at.exception, at.exception
    (change,) = aktivitetslogg.history("A3")
    assert (change.av, change.av_id, change.status) == ("Yvonne Chef", "11111111-aaaa", "pagar")
    # Export and import need andra_aktiviteter for the whole förvaltning: chef Y may export, not import
    shown = everything_shown(at)
    assert "Import av en aktivitetsplan kräver behörighet" in shown


def test_reader_without_change_rights_cannot_export(monkeypatch, analys_dir, state_dir):
    reader = (
        ACCESS + f'\n[[anvandare]]\nid = "lasare@kommun.se"\nforvaltning = ["{FA}"]\navdelning = ["{AY}"]\n'
    )
    user = {"email": "lasare@kommun.se", "oid": "44444444-dddd", "name": "Lars Läsare"}
    at = run_page(logged_in_app(monkeypatch, analys_dir, state_dir, user, reader), "pages/aktiviteter.py")
    assert not [b for b in at.get("download_button") if "plan_export" in str(b.proto.id)]
    assert "Export av planen kräver behörighet att ändra aktiviteter." in everything_shown(at)
    at.selectbox(key="akt_val").set_value("A3").run()
    assert not [b for b in at.button if b.key == "akt_spara"]


def test_word_and_html_report_of_a_chef_hold_nothing_outside_the_grant(monkeypatch, analys_dir, state_dir):
    """The report formats a chef can download, built on the chef's connection as the page does."""
    import datetime as dt
    import io

    from docx import Document
    from test_rapport_docx import fake_png

    from kfp_metrics.behorighet import Box, Permission, atkomst
    from kfp_metrics.extracts import connect
    from kfp_metrics.rapport import Options, skapa
    from kfp_metrics.rapport import utskrift as dokument
    from kfp_metrics.rapport.docx import bilder as docx_bilder

    monkeypatch.setattr(docx_bilder, "png", lambda figures: [fake_png() for _ in figures])
    chef_y = atkomst.scoped(connect(analys_dir), Permission(boxes=(Box((FA,), (AY,)),)))
    options = Options(period=dt.date(2024, 9, 1), skapad=dt.datetime(2024, 10, 1, 8, 0), fingeravtryck="x")
    document = Document(io.BytesIO(dokument.word(chef_y, options)))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    texts += [s._inline.docPr.get("descr") or "" for s in document.inline_shapes]
    word = "\n".join(texts)
    html = skapa(chef_y, options).html
    # The on-screen preview, as the page makes it (plotly.js by URL): the same body, so the same limit.
    preview = skapa(chef_y, options, "/app/static/plotly.min.js").forhandsvisning
    assert "/app/static/plotly.min.js" in preview
    for name in OUTSIDE_Y:
        assert name not in word, ("docx", name)
        assert name not in html, ("html", name)
        assert name not in preview, ("förhandsgranskning", name)
    assert AY in word and AY in html and AY in preview


def test_html_download_of_the_report_page_holds_nothing_outside_the_grant(monkeypatch, analys_dir, state_dir):
    """The page's HTML download is made when pressed, outside the page's run and before any preview
    was opened: made from the chef's own facts and connection all the same."""
    from kfp_metrics.rapport import pdf as rapport_pdf

    monkeypatch.setattr(rapport_pdf, "browser_available", lambda: False)
    deferred = deferred_downloads(monkeypatch)
    at = run_page(
        logged_in_app(monkeypatch, analys_dir, state_dir, CHEF_Y, ACCESS, {"period": "2024-09"}),
        "pages/namndrapport.py",
    )
    assert not at.get("iframe")  # no preview opened: the download builds the report itself
    (make,) = [make for make, name in deferred if name.endswith(".html")]
    html = make().decode("utf-8")
    assert AY in html and "plotly-graph-div" in html
    leaked = [name for name in OUTSIDE_Y if name in html]
    assert not leaked, leaked
