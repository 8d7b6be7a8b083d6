"""The access file and grant resolution (contract section 4), and the filtered connection."""

from __future__ import annotations

import pytest
from fixture_data import AX, AY, AZ, FA, FB

from kfp_metrics.behorighet import AccessFileError, Box, Identity, Permission, atkomst, parse, resolve
from kfp_metrics.extracts import connect
from kfp_metrics.queries import Scope, run

UNITS = [
    (FA, AX, "Enhet X1"),
    (FA, AX, "Enhet X2"),
    (FA, AY, "Enhet Y1"),
    (FB, AZ, "Enhet Z1"),
]

FILE = f"""
kontakt = "HR-avdelningen"

[[roll]]
namn = "KFP.HR"
urval = "alla"
andra_aktiviteter = true

[[roll]]
namn = "KFP.Lasare.B"
forvaltning = ["{FB}"]

[[anvandare]]
id = "Chef.Y@Kommun.se"
forvaltning = ["{FA}"]
avdelning = ["{AY}"]
andra_aktiviteter = true

[[anvandare]]
id = "enhetschef@kommun.se"
forvaltning = ["{FA}"]
avdelning = ["{AX}"]
enhet = ["Enhet X2"]

[[anvandare]]
id = "tva@kommun.se"
forvaltning = ["{FA}"]
avdelning = ["{AX}"]

[[anvandare]]
id = "tva@kommun.se"
forvaltning = ["{FB}"]
avdelning = []
enhet = []

[[anvandare]]
id = "okand@kommun.se"
forvaltning = ["{FA}"]
avdelning = ["Avdelning som inte finns"]

[[anvandare]]
id = "blandad@kommun.se"
forvaltning = ["{FA}"]
avdelning = ["{AY}", "Avdelning som inte finns"]

[[anvandare]]
id = "blandad@kommun.se"
forvaltning = ["{FB}"]
"""


def who(**claims) -> Identity:
    return Identity.from_claims(claims)


@pytest.mark.parametrize(
    ("claims", "alla", "boxes", "andra"),
    [
        # role only
        ({"oid": "x", "roles": ["KFP.HR"]}, True, (), True),
        ({"oid": "x", "roles": ["KFP.Lasare.B"]}, False, (Box((FB,)),), False),
        # role values are matched exactly
        ({"oid": "x", "roles": ["kfp.hr"]}, False, (), False),
        # person only, matched case-insensitively on any of oid, sub, email
        ({"email": "chef.y@kommun.se"}, False, (Box((FA,), (AY,)),), True),
        ({"oid": "CHEF.Y@KOMMUN.SE"}, False, (Box((FA,), (AY,)),), True),
        ({"sub": "chef.y@kommun.se", "oid": "annat-id"}, False, (Box((FA,), (AY,)),), True),
        # both: the union of the person's and the role's grants
        (
            {"email": "chef.y@kommun.se", "roles": ["KFP.Lasare.B"]},
            False,
            (Box((FA,), (AY,)), Box((FB,))),
            True,
        ),
        ({"email": "chef.y@kommun.se", "roles": ["KFP.HR"]}, True, (), True),
        # several rows for one person; empty lists mean the whole förvaltning
        ({"email": "tva@kommun.se"}, False, (Box((FA,), (AX,)), Box((FB,))), False),
        ({"email": "enhetschef@kommun.se"}, False, (Box((FA,), (AX,), ("Enhet X2",)),), False),
        # a grant naming a unit the extracts lack grants nothing; the person's other grants still do
        ({"email": "okand@kommun.se"}, False, (), False),
        ({"email": "blandad@kommun.se"}, False, (Box((FB,)),), False),
        # nobody named: deny by default
        ({"email": "ingen@kommun.se"}, False, (), False),
        ({}, False, (), False),
    ],
)
def test_resolution(claims, alla, boxes, andra):
    permission = resolve(who(**claims), parse(FILE), UNITS)
    assert permission.alla is alla
    assert permission.boxes == tuple(sorted(boxes))
    assert permission.may_change is andra
    assert permission.denied is (not alla and not boxes)


def test_unknown_units_are_reported():
    permission = resolve(who(email="blandad@kommun.se"), parse(FILE), UNITS)
    assert len(permission.ignored) == 1
    assert "Avdelning som inte finns" in permission.ignored[0]
    assert "rad 41" in permission.ignored[0]  # the [[anvandare]] header of that grant


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[[roll]]\nnamn = "A"\nurval = "alla"\n[[anvandare]\nid = "x"\n', 4, "inte giltig TOML"),
        ('[[anvandare]]\nid = "a"\navdelningar = ["X"]\n', 3, "okänd nyckel «avdelningar»"),
        ('[[anvandare]]\nid = "a"\n', 1, "anger ingen förvaltning"),
        ('\n\n[[roll]]\nurval = "alla"\n', 3, "saknar namn"),
        ('[[roll]]\nnamn = "A"\nurval = "allt"\n', 3, 'urval kan bara vara "alla"'),
        ('[[anvandare]]\nid = "a"\nforvaltning = "A"\n', 3, "ska vara en lista"),
        ('[[anvandare]]\nid = "a"\nforvaltning = ["A"]\nandra_aktiviteter = "ja"\n', 4, "true eller false"),
        ('[[roll]]\nnamn = "A"\nurval = "alla"\nforvaltning = ["A"]\n', 1, "både"),
        ("roller = 1\n", 1, "okänd nyckel «roller»"),
    ],
)
def test_malformed_file_names_the_line(text, line, words):
    with pytest.raises(AccessFileError) as err:
        parse(text, "behorighet.toml")
    message = str(err.value)
    assert f"behorighet.toml, rad {line}" in message
    assert words in message


def test_activity_change_rights():
    p = resolve(who(email="chef.y@kommun.se"), parse(FILE), UNITS)
    assert p.changes(FA, AY)
    assert not p.changes(FA, AX)
    # förvaltningsövergripande activities need the whole förvaltning
    assert not p.changes(FA, None)
    assert not p.changes_whole(FA)
    hr = resolve(who(oid="x", roles=["KFP.HR"]), parse(FILE), UNITS)
    assert hr.changes(FA, None) and hr.changes_whole(FB)
    reader = resolve(who(oid="x", roles=["KFP.Lasare.B"]), parse(FILE), UNITS)
    assert not reader.changes(FB, AZ) and not reader.may_change


def test_key_is_the_same_for_the_same_view():
    a = Permission(boxes=(Box((FA,), (AY,)), Box((FB,))))
    b = Permission(boxes=(Box((FB,)), Box((FA,), (AY,))))
    assert a.key() == b.key() and a.key_text() == b.key_text()
    assert Permission.from_key(a.key()).boxes == a.boxes
    assert Permission(alla=True).key() != a.key()


def test_every_table_has_a_rule():
    assert atkomst.unruled_tables() == []


def _count(c, sql):
    return c.execute(sql).fetchall()[0][0]


def test_filtered_connection_holds_only_the_grant(con):
    chef_y = atkomst.scoped(con, Permission(boxes=(Box((FA,), (AY,)),)))
    # Hand-counted from fixture_data: Avdelning Y has p14, p15, p16 (13 months each) and p22
    # (2023-09 … 2024-05, 9 months) in anstallningar; every person-month has a franvaro row.
    assert _count(chef_y, "select count(*) from anstallningar") == 13 * 3 + 9
    assert _count(chef_y, "select count(*) from franvaro") == 13 * 3 + 9
    assert _count(chef_y, "select count(distinct avdelning) from anstallningar") == 1
    # handelser: p22's avgång and p30's rekrytering in Avdelning Y
    assert sorted(r[0] for r in chef_y.execute("select person_id from handelser").fetchall()) == [
        "p22",
        "p30",
    ]
    # incidenter i2 and i9 (Enhet Y1); medarbetarenkät: the five Y1 rows
    assert sorted(r[0] for r in chef_y.execute("select incident_id from incidenter").fetchall()) == [
        "i2",
        "i9",
    ]
    assert _count(chef_y, "select count(*) from medarbetarenkat") == 5
    # aktiviteter: A3 (Avdelning Y) and A1 (förvaltningsövergripande in A); mål: A's own two
    ids = sorted(r[0] for r in chef_y.execute("select aktivitet_id from aktiviteter").fetchall())
    assert ids == ["A1", "A3"]
    assert _count(chef_y, "select count(*) from mal where avdelning is not null") == 0
    assert _count(chef_y, "select count(*) from mal") == 2
    # The organisation tree behind the sidebar
    org = run(chef_y, "organisation", Scope())
    assert org.values.tolist() == [[FA, AY, "Enhet Y1"]]
    # A scope naming a unit outside the grant reads nothing: no Scope widens the grant
    assert run(chef_y, "organisation", Scope.of([FB])).empty
    assert (
        run(chef_y, "personal_nyckeltal", Scope.of([FA], [AX]), period="2024-09-01").iloc[0][
            "antal_tillsvidare"
        ]
        == 0
    )
    # The base connection is untouched
    assert _count(con, "select count(distinct avdelning) from anstallningar") == 3


def test_enhet_grant_and_union(con):
    x2 = atkomst.scoped(con, Permission(boxes=(Box((FA,), (AX,), ("Enhet X2",)),)))
    # Nobody is employed in Enhet X2; p05's intern avgång was registered there
    assert _count(x2, "select count(*) from anstallningar") == 0
    assert [r[0] for r in x2.execute("select person_id from handelser").fetchall()] == ["p05"]
    # A1 is förvaltningsövergripande in A; A2, A4, A6 belong to Avdelning X, which holds Enhet X2
    ids = sorted(r[0] for r in x2.execute("select aktivitet_id from aktiviteter").fetchall())
    assert ids == ["A1", "A2", "A4", "A6"]
    union = atkomst.scoped(con, Permission(boxes=(Box((FA,), (AY,)), Box((FB,)))))
    assert sorted(r[0] for r in union.execute("select distinct avdelning from anstallningar").fetchall()) == [
        AY,
        AZ,
    ]
    tillsvidare = run(union, "personal_nyckeltal", Scope(), period="2024-09-01").iloc[0]["antal_tillsvidare"]
    # Y: p14, p15; Z: p17, p18, p27, p28 (p25 left in March)
    assert tillsvidare == 6


def test_prepared_store_is_filtered_too(fixture_dir, tmp_path, monkeypatch):
    from kfp_metrics import forberedd

    monkeypatch.setenv("KFP_STATE_DIR", str(tmp_path))
    forberedd.build(fixture_dir)
    con = forberedd.connect(fixture_dir)
    assert forberedd.is_prepared(con)
    chef_y = atkomst.scoped(con, Permission(boxes=(Box((FA,), (AY,)),)))
    main_views = {
        r[0]
        for r in con.execute(
            "select view_name from duckdb_views() where schema_name = 'main' and not internal"
        ).fetchall()
    }
    scoped_views = {
        r[0]
        for r in con.execute(
            "select view_name from duckdb_views() where schema_name = $s", {"s": chef_y.schema}
        ).fetchall()
    }
    # Every table the store offers has its filtered (or emptied) view in the permission's schema
    assert main_views <= scoped_views
    # franvaro (read from its Parquet beside the store) holds Avdelning Y's 48 person-months only
    assert _count(chef_y, "select count(*) from franvaro") == 13 * 3 + 9
    assert _count(chef_y, "select count(*) from anstallningar_kalla") == 0
    tillsvidare = run(chef_y, "personal_nyckeltal", Scope(), period="2024-09-01").iloc[0]["antal_tillsvidare"]
    assert tillsvidare == 2
    # The store's aggregates hold Avdelning Y (all of it Enhet Y1) and nothing else: 48
    # person-months of 100 scheduled hours, p14's 50 sick hours in 2024-06; p14, p15, p16 and p22
    # with a row for each of 2023 and 2024 (every month has hours).
    outside = f"where forvaltning <> '{FA}' or avdelning <> '{AY}' or enhet <> 'Enhet Y1'"
    for table in ("sjuk_summor", "sjuk_personar", "personal_summor", "org_enheter"):
        assert _count(chef_y, f"select count(*) from {table} {outside}") == 0, table
        assert _count(con, f"select count(*) from {table} {outside}") > 0, table
    assert chef_y.execute("select sum(ordinarie_timmar), sum(sjuk_timmar) from sjuk_summor").fetchall() == [
        (4800.0, 50.0)
    ]
    assert _count(chef_y, "select count(*) from sjuk_personar") == 8
    assert _count(chef_y, "select count(distinct person_id) from sjuk_personar") == 4
    assert _count(chef_y, "select sum(antal) from personal_summor") == 13 * 3 + 9
    assert chef_y.execute("select * from org_enheter").fetchall() == [(FA, AY, "Enhet Y1")]
    # In 2024 p22 (2023-09 … 2024-05) has January to May, bits 0–4; p14, p15 and p16 (… 2024-09)
    # January to September, bits 0–8.
    bits = chef_y.execute("select manader from sjuk_personar where ar = 2024 order by manader").fetchall()
    assert bits == [(0b11111,), (0b111111111,), (0b111111111,), (0b111111111,)]
    # A grant of another förvaltning sees none of Avdelning Y's rows
    chef_b = atkomst.scoped(con, Permission(boxes=(Box((FB,)),)))
    for table in ("sjuk_summor", "sjuk_personar", "personal_summor", "org_enheter"):
        assert _count(chef_b, f"select count(*) from {table} where forvaltning = '{FA}'") == 0, table
    assert chef_b.execute("select distinct avdelning from org_enheter").fetchall() == [(AZ,)]


def test_kompetensgap_unit_named_only_there_is_in_the_avdelnings_grant(fixture_dir, tmp_path):
    """An enhet that only kompetensgap names still belongs to its avdelning's grant (and to no other)."""
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq

    directory = tmp_path / "extrakt"
    shutil.copytree(fixture_dir, directory)
    rows = [
        {"ar": 2024, "forvaltning": FA, "avdelning": AY, "enhet": "Enhet Y9", "kategori": None,
         "omrade": "Samtalsmetodik", "behov": 4, "nulage": 2},
    ]  # fmt: skip
    pq.write_table(pa.Table.from_pylist(rows), directory / "kompetensgap.parquet")
    con = connect(directory)
    whole_y = atkomst.scoped(con, Permission(boxes=(Box((FA,), (AY,)),)))
    assert _count(whole_y, "select count(*) from kompetensgap") == 1
    only_y1 = atkomst.scoped(con, Permission(boxes=(Box((FA,), (AY,), ("Enhet Y1",)),)))
    assert _count(only_y1, "select count(*) from kompetensgap") == 0
    assert (FA, AY, "Enhet Y9") in atkomst.organisation_units(con)


def test_shared_answers_within_a_report_never_cross_permissions(fixture_dir, monkeypatch):
    """queries.shared_results (one report's repeated questions answered once) keys its answers by
    connection: a chef's connection and the whole organisation's never share one."""
    from kfp_metrics import queries

    con = connect(fixture_dir)
    chef_y = atkomst.scoped(con, Permission(boxes=(Box((FA,), (AY,)),)))
    ran = []
    real = queries._run
    monkeypatch.setattr(queries, "_run", lambda c, *a: ran.append(c) or real(c, *a))
    with queries.shared_results():
        whole = [run(con, "personal_nyckeltal", Scope(), period="2024-09-01") for _ in range(2)]
        narrow = [run(chef_y, "personal_nyckeltal", Scope(), period="2024-09-01") for _ in range(2)]
    # Avdelning Y: p14 and p15 tillsvidare in 2024-09 (test_prepared_store_is_filtered_too); the
    # whole organisation has more.
    assert [f.iloc[0]["antal_tillsvidare"] for f in narrow] == [2, 2]
    assert all(f.iloc[0]["antal_tillsvidare"] > 2 for f in whole)
    assert ran == [con, chef_y]  # each asked once per connection
    narrow[0].loc[0, "antal_tillsvidare"] = 99  # a caller's change does not reach the next caller
    with queries.shared_results():
        again = run(chef_y, "personal_nyckeltal", Scope(), period="2024-09-01")
    assert again.iloc[0]["antal_tillsvidare"] == 2


def test_shared_answers_of_frozen_connections_reach_their_cursors_only(fixture_dir, monkeypatch):
    """As the app holds them (frozen per permission): a report thread's frozen_cursor of the
    chef's connection gets the chef's answer; the whole organisation's connection and its cursors
    never do."""
    from kfp_metrics import queries
    from kfp_metrics.extracts import freeze_catalog, frozen_cursor

    con = freeze_catalog(connect(fixture_dir))
    chef_y = freeze_catalog(atkomst.scoped(con, Permission(boxes=(Box((FA,), (AY,)),))))
    ran = []
    real = queries._run
    monkeypatch.setattr(queries, "_run", lambda c, *a: ran.append(c) or real(c, *a))

    def tillsvidare(c):
        return run(c, "personal_nyckeltal", Scope(), period="2024-09-01").iloc[0]["antal_tillsvidare"]

    with queries.shared_results():
        narrow = [tillsvidare(chef_y), tillsvidare(frozen_cursor(chef_y)), tillsvidare(frozen_cursor(chef_y))]
        whole = [tillsvidare(frozen_cursor(con)), tillsvidare(con)]
    assert narrow == [2, 2, 2]  # Avdelning Y: p14 and p15
    assert all(n > 2 for n in whole)
    assert len(ran) == 2  # once for the chef's connection and its cursors, once for the whole
