"""The shared suppression rules."""

from __future__ import annotations

from kfp_metrics import suppression


def test_thresholds():
    assert suppression.sjuk_suppressed(10) and not suppression.sjuk_suppressed(11)
    assert suppression.enkat_suppressed(4) and not suppression.enkat_suppressed(5)
    assert not suppression.enkat_suppressed(0)  # no respondents: nothing to withhold


def test_secondary_hides_the_smallest_other_part():
    parts = {"X": 16, "Y": 4, "Z": 30}
    assert suppression.secondary(parts, {"Y"}) == {"Y", "X"}
    assert suppression.secondary(parts, {"Y", "Z"}) == {"Y", "Z"}
    assert suppression.secondary({"Y": 4}, {"Y"}) == {"Y", suppression.TOTAL}


def test_secondary_within_each_forvaltning():
    # A: X 16, Y 4 (hidden); B: Z 5 (hidden), W 40. Two parts hidden overall, but each förvaltning's
    # own total is published, so each needs a second hidden part: X in A, W in B.
    parts = {"X": 16, "Y": 4, "Z": 5, "W": 40}
    groups = {"X": "A", "Y": "A", "Z": "B", "W": "B"}
    assert suppression.secondary_within(parts, groups, {"Y", "Z"}) == {"X", "Y", "Z", "W"}
    # Two hidden within A already: nothing more there; B untouched with none hidden.
    assert suppression.secondary_within(parts, groups, {"X", "Y"}) == {"X", "Y"}
    # A förvaltning with a single part: its total is that part, withheld with it elsewhere.
    assert suppression.secondary_within({"Y": 4, "W": 40}, {"Y": "A", "W": "B"}, {"Y"}) == {"Y"}
