"""From a logged-in person to what they may see: the union of their grants, deny by default."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from kfp_metrics.behorighet.fil import AccessFile, Grant

# The ID token claims a person's id is matched against, in this order (contract section 4).
ID_CLAIMS = ("oid", "sub", "email")


@dataclass(frozen=True)
class Identity:
    """Who is logged in, from the ID token's claims."""

    id: str
    namn: str
    email: str | None = None
    claims: tuple[tuple[str, str], ...] = ()  # (claim, value) for each of ID_CLAIMS present
    roller: tuple[str, ...] = ()

    @classmethod
    def from_claims(cls, claims: dict) -> Identity:
        """The identity in an st.user-like mapping of claims (oid, sub, email, name, roles)."""
        present = tuple(
            (c, str(claims[c]).strip())
            for c in ID_CLAIMS
            if isinstance(claims.get(c), str) and claims[c].strip()
        )
        roles = claims.get("roles") or ()
        if isinstance(roles, str):
            roles = (roles,)
        roller = tuple(dict.fromkeys(str(r) for r in roles if isinstance(r, str) and r))
        ident = present[0][1] if present else ""
        email = claims.get("email") if isinstance(claims.get("email"), str) else None
        name = next(
            (
                str(claims[k]).strip()
                for k in ("name", "preferred_username", "email")
                if isinstance(claims.get(k), str) and claims[k].strip()
            ),
            ident,
        )
        return cls(ident, name, email, present, roller)


@dataclass(frozen=True, order=True)
class Box:
    """One granted part of the organisation: lists combined with AND, empty = all (as a Scope)."""

    forvaltning: tuple[str, ...] = ()
    avdelning: tuple[str, ...] = ()
    enhet: tuple[str, ...] = ()

    def contains(self, forvaltning: str, avdelning: str | None, enhet: str | None) -> bool:
        """Whether a unit lies in the box; None (not set) matches only a list that is empty."""
        return (
            _in(forvaltning, self.forvaltning) and _in(avdelning, self.avdelning) and _in(enhet, self.enhet)
        )

    def describe(self) -> str:
        """The box in words: 'Avdelning Y (Förvaltning A)', 'Förvaltning A'."""
        inner = [", ".join(x) for x in (self.enhet, self.avdelning) if x]
        if not self.forvaltning:
            return ", ".join(inner) if inner else "hela organisationen"
        outer = ", ".join(self.forvaltning)
        return f"{', '.join(inner)} ({outer})" if inner else outer


def _in(value: str | None, allowed: tuple[str, ...]) -> bool:
    return not allowed or (value is not None and value in allowed)


@dataclass(frozen=True)
class Permission:
    """What one person may see (read boxes) and where they may change activities (andra boxes)."""

    alla: bool = False
    boxes: tuple[Box, ...] = ()
    andra_alla: bool = False
    andra_boxes: tuple[Box, ...] = ()
    grants: tuple[str, ...] = field(default=(), compare=False)  # where each grant used stands
    ignored: tuple[str, ...] = field(default=(), compare=False)  # grants that granted nothing, why

    @property
    def denied(self) -> bool:
        """True when the person may see nothing at all."""
        return not self.alla and not self.boxes

    @property
    def may_change(self) -> bool:
        return self.andra_alla or bool(self.andra_boxes)

    def key(self) -> tuple:
        """A hashable, canonical key: equal for persons who see exactly the same."""
        if self.alla:
            return ("alla",)
        return ("urval", tuple((b.forvaltning, b.avdelning, b.enhet) for b in sorted(set(self.boxes))))

    @classmethod
    def from_key(cls, key: tuple) -> Permission:
        """The read part of a permission back from key() (what a cached connection needs)."""
        if key == ("alla",):
            return cls(alla=True)
        return cls(boxes=tuple(Box(*b) for b in key[1]))

    def key_text(self) -> str:
        """A short stable digest of key(), for names (schema names, cache keys)."""
        return hashlib.sha256(json.dumps(self.key(), ensure_ascii=False).encode()).hexdigest()[:16]

    def sees(self, forvaltning: str, avdelning: str | None = None, enhet: str | None = None) -> bool:
        """Whether the unit lies inside the read grant."""
        return self.alla or any(b.contains(forvaltning, avdelning, enhet) for b in self.boxes)

    def changes(self, forvaltning: str, avdelning: str | None) -> bool:
        """Whether the person may change an activity of this förvaltning and avdelning.

        A förvaltningsövergripande activity (avdelning None) needs the whole förvaltning: it is
        shown to every avdelning of it, but no single avdelningschef owns it."""
        if self.andra_alla:
            return True
        return any(
            b.contains(forvaltning, avdelning, None) and (avdelning is not None or not b.avdelning)
            for b in self.andra_boxes
        )

    def covers_whole(self, forvaltning: str, avdelning: str | None = None) -> bool:
        """Whether the read grant covers the whole förvaltning (or the whole avdelning of it)."""
        return self.alla or any(b.contains(forvaltning, avdelning, None) for b in self.boxes)

    def changes_whole(self, forvaltning: str) -> bool:
        """Whether the person may change every activity of the förvaltning (needed to import its plan)."""
        return self.andra_alla or any(b.contains(forvaltning, None, None) for b in self.andra_boxes)

    def describe(self) -> str:
        """What the person may see, in words."""
        if self.alla:
            return "hela organisationen"
        if not self.boxes:
            return "ingenting"
        return "; ".join(b.describe() for b in sorted(set(self.boxes)))


ALLA = Permission(alla=True, andra_alla=True)
INGET = Permission()


def grants_for(identity: Identity, access: AccessFile) -> list[Grant]:
    """The grants that name this person (by id claim, case-insensitively) or one of their roles."""
    found: list[Grant] = []
    for role in identity.roller:
        found.extend(access.roles.get(role, ()))
    seen_ids = {value.casefold() for _, value in identity.claims}
    for ident in seen_ids:
        found.extend(access.users.get(ident, ()))
    return sorted(set(found), key=lambda g: g.line)


def unknown_units(grant: Grant, units: Iterable[tuple[str, str, str]]) -> list[str]:
    """The names in a grant that the extracts' organisation does not have (within the grant)."""
    if grant.alla:
        return []
    rows = list(units)
    in_f = [u for u in rows if u[0] in grant.forvaltning]
    missing = [f"förvaltningen {f}" for f in grant.forvaltning if not any(u[0] == f for u in rows)]
    missing += [f"avdelningen {a}" for a in grant.avdelning if not any(u[1] == a for u in in_f)]
    in_a = [u for u in in_f if not grant.avdelning or u[1] in grant.avdelning]
    missing += [f"enheten {e}" for e in grant.enhet if not any(u[2] == e for u in in_a)]
    return missing


def resolve(
    identity: Identity, access: AccessFile, units: Iterable[tuple[str, str, str]] | None = None
) -> Permission:
    """The union of the person's grants; a grant naming a unit the extracts lack grants nothing.

    units are the organisation's (forvaltning, avdelning, enhet) triples; None skips that check."""
    if not identity.id and not identity.roller:
        return INGET
    rows = list(units) if units is not None else None
    alla = andra_alla = False
    boxes: list[Box] = []
    andra: list[Box] = []
    used: list[str] = []
    ignored: list[str] = []
    for grant in grants_for(identity, access):
        if rows is not None:
            missing = unknown_units(grant, rows)
            if missing:
                ignored.append(f"{grant.describe()}: {', '.join(missing)} finns inte i extrakten")
                continue
        used.append(grant.describe())
        if grant.alla:
            alla = True
            andra_alla = andra_alla or grant.andra_aktiviteter
            continue
        box = Box(
            tuple(sorted(grant.forvaltning)), tuple(sorted(grant.avdelning)), tuple(sorted(grant.enhet))
        )
        boxes.append(box)
        if grant.andra_aktiviteter:
            andra.append(box)
    if alla:
        return Permission(True, (), andra_alla, tuple(sorted(set(andra))), tuple(used), tuple(ignored))
    return Permission(
        False, tuple(sorted(set(boxes))), False, tuple(sorted(set(andra))), tuple(used), tuple(ignored)
    )
