"""Behörighet: who may see which part of the organisation (data contract section 4).

fil reads the access file, upplosning turns a logged-in person into a Permission, atkomst gives
the pure modules a connection that holds only the permitted rows, logg keeps the access log.
"""

from kfp_metrics.behorighet.fil import AccessFile, AccessFileError, Grant, default_path, load, parse
from kfp_metrics.behorighet.upplosning import ALLA, INGET, Box, Identity, Permission, resolve

__all__ = [
    "ALLA",
    "INGET",
    "AccessFile",
    "AccessFileError",
    "Box",
    "Grant",
    "Identity",
    "Permission",
    "default_path",
    "load",
    "parse",
    "resolve",
]
