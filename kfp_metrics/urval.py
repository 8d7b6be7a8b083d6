"""The chosen scope in words for titles, naming the förvaltning where a name is not unique.

Plans and reports name an avdelning by itself ("Förskola"), but the same name may exist in several
förvaltningar; such a name is followed by its förvaltning: "Förskola (Norrdalens stadsdelsförvaltning)".
"""

from __future__ import annotations

import pandas as pd

from kfp_metrics.queries import Scope

LEVELS = ("enhet", "avdelning", "forvaltning")


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " och " + names[-1]


def forvaltningar_for(name: str, level: str, org: pd.DataFrame | None, scope: Scope) -> list[str]:
    """The förvaltningar a name at the level belongs to, when it belongs to more than one (else [])."""
    if org is None or org.empty or level == "forvaltning" or level not in org:
        return []
    rows = org[org[level] == name]
    everywhere = sorted(set(rows["forvaltning"].dropna()))
    if len(everywhere) <= 1:
        return []
    if scope.forvaltning:
        chosen = [f for f in everywhere if f in scope.forvaltning]
        return chosen or everywhere
    return everywhere


def namn(name: str, level: str, org: pd.DataFrame | None, scope: Scope) -> str:
    """'Förskola', or 'Förskola (Förvaltning A)' when the name exists in several förvaltningar."""
    forvaltningar = forvaltningar_for(name, level, org, scope)
    return f"{name} ({_join(forvaltningar)})" if forvaltningar else name


def beskriv(scope: Scope, org: pd.DataFrame | None = None) -> str:
    """The most specific level chosen, each name qualified by its förvaltning where needed; org is the
    organisation tree (forvaltning, avdelning, enhet), e.g. the 'organisation' query."""
    for level, names in (
        ("enhet", scope.enhet),
        ("avdelning", scope.avdelning),
        ("forvaltning", scope.forvaltning),
    ):
        if names:
            return ", ".join(namn(n, level, org, scope) for n in names)
    return "Alla förvaltningar"
