"""The level a per-avdelning breakdown is shown at, and the names its units carry."""

from __future__ import annotations

import pandas as pd

from kfp_metrics import analys
from kfp_metrics.queries import Scope


def _frame(pairs):
    return pd.DataFrame(pairs, columns=["forvaltning", "avdelning"])


def test_per_forvaltning_only_for_many_avdelningar_over_several_forvaltningar():
    sixteen_in_one = _frame([("A", f"Avd {i}") for i in range(16)])
    assert not analys.per_forvaltning_instead(sixteen_in_one)
    sixteen_in_two = _frame([(f, f"Avd {i}") for f in ("A", "B") for i in range(8)])
    assert analys.per_forvaltning_instead(sixteen_in_two)
    fifteen_in_two = sixteen_in_two.iloc[:15]
    assert not analys.per_forvaltning_instead(fifteen_in_two)
    # Several rows per avdelning (one per question) count once.
    assert not analys.per_forvaltning_instead(pd.concat([fifteen_in_two] * 3))


def test_unit_names():
    frame = _frame([("Norra stadsdelsförvaltning", "Förskola"), ("Södra stadsdelsförvaltning", "Förskola")])
    assert list(analys.unit_names(frame, "avdelning")) == [
        "Förskola (Norra stadsdelsförvaltning)",
        "Förskola (Södra stadsdelsförvaltning)",
    ]
    assert list(analys.unit_names(frame, "forvaltning")) == ["Norra", "Södra"]
    # Unique names stay as they are, also with several rows per unit.
    alone = _frame([("A", "Stab"), ("A", "Stab"), ("A", "Vuxna")])
    assert list(analys.unit_names(alone, "avdelning")) == ["Stab", "Stab", "Vuxna"]
    # Short names that would read alike keep the whole name.
    alike = pd.DataFrame(
        {"forvaltning": ["Norra förvaltning", "Norra stadsdelsförvaltning"], "avdelning": ["", ""]}
    )
    assert list(analys.unit_names(alike, "forvaltning")) == [
        "Norra förvaltning",
        "Norra stadsdelsförvaltning",
    ]


def test_shown_level():
    assert analys.shown_level(pd.DataFrame({"niva": ["forvaltning"]}), Scope()) == "förvaltning"
    assert analys.shown_level(pd.DataFrame({"niva": []}), Scope.of(["A"], ["X"])) == "enhet"
    assert analys.shown_level(pd.DataFrame({"niva": []}), Scope()) == "avdelning"
