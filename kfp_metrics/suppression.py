"""The suppression rules that keep every published figure from identifying a person."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# Kommunal redovisning: sjukfrånvaro is not reported for groups of 10 or fewer employees.
SJUK_MAX_UNDERTRYCKT = 10
# A survey scope with fewer respondents than this shows no index values.
ENKAT_MIN_SVAR = 5

TOTAL = "total"

RULE_TEXTS = {
    "sjukfranvaro": (
        f"Sjukfrånvaro redovisas inte för grupper med {SJUK_MAX_UNDERTRYCKT} eller färre personer "
        "med schemalagd arbetstid under perioden."
    ),
    "medarbetarenkat": (
        f"Resultat från medarbetarenkäten visas inte när färre än {ENKAT_MIN_SVAR} personer har svarat."
    ),
    "sekundar": (
        "När en del av en uppdelning döljs, döljs även ytterligare en del så att det dolda värdet "
        "inte kan räknas fram ur totalen (sekundär röjandekontroll)."
    ),
}


def sjuk_suppressed(persons: int | None) -> bool:
    """Whether a sick-leave figure for a group of this many distinct persons is withheld."""
    return persons is not None and persons <= SJUK_MAX_UNDERTRYCKT


def enkat_suppressed(respondents: int | None, minimum: int = ENKAT_MIN_SVAR) -> bool:
    """Whether a survey scope with this many respondents shows no index values."""
    return respondents is not None and 0 < respondents < minimum


def secondary(parts: Mapping[str, int], suppressed: Iterable[str]) -> set[str]:
    """Parts to hide so that no hidden part follows from a shown total and the shown parts.

    parts maps each part of a breakdown whose parts add up to a shown total to its group size;
    if exactly one part is hidden, the smallest other non-empty part is hidden too, and where
    there is none the total (TOTAL) must be hidden as well.
    """
    hidden = {key for key in suppressed if key in parts}
    if len(hidden) != 1:
        return hidden
    others = sorted((size, key) for key, size in parts.items() if key not in hidden and size > 0)
    hidden.add(others[0][1] if others else TOTAL)
    return hidden


def secondary_within(parts: Mapping[str, int], groups: Mapping[str, str], hidden: Iterable[str]) -> set[str]:
    """hidden, plus one more part in every group left with exactly one hidden part.

    Where a breakdown spans several förvaltningar, each förvaltning's total is published on its own
    (its page, its report), so within each förvaltning, too, a lone hidden avdelning must not follow
    from that total and the förvaltning's shown avdelningar. parts maps each part to its size and
    groups maps it to its förvaltning; the smallest other non-empty part of the group is hidden."""
    out = set(hidden)
    members: dict[str, list[str]] = {}
    for key, group in groups.items():
        members.setdefault(group, []).append(key)
    for keys in members.values():
        inside = [k for k in keys if k in out]
        if len(inside) != 1:
            continue
        others = sorted((parts[k], k) for k in keys if k not in out and parts.get(k, 0) > 0)
        if others:
            out.add(others[0][1])
    return out
