"""The state store's errors: each carries a Swedish message fit to show a user as it is."""

from __future__ import annotations


class TillstandFel(Exception):
    """The state store could not do what was asked; nothing was stored by the failed call."""


class TillstandOtillganglig(TillstandFel):
    """The database could not be reached or opened."""


class TillstandSkrivskyddad(TillstandFel):
    """The database can be read but refuses writes (read-only file, standby, no privilege)."""


class TillstandUpptagen(TillstandFel, TimeoutError):
    """Another writer held the write lock longer than the wait allowed."""


class TillstandOkand(TillstandFel):
    """The write's outcome is unknown: the connection broke while committing."""
