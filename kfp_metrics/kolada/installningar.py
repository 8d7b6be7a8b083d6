"""Which municipalities and groups the comparisons show: a setting, with a sensible default.

In order of precedence:
- `KFP_KOLADA_VISA`: comma-separated ids shown in that order, e.g. `0000,0180,G124038`;
- `KFP_KOMMUN_ID`: the organisation's own municipality, e.g. `0180`;
- `kolada.toml` in the state directory (`KFP_STATE_DIR`): `kommun = "0180"` and/or
  `visa = ["0000", "0180"]`.
Default: riket (0000) and the own municipality; when no own municipality is set and the table
holds exactly one municipality besides riket and groups, that one is taken as the own.
Ids the table does not hold are not shown.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kfp_metrics.kolada.kpi import RIKET

ENV_VISA = "KFP_KOLADA_VISA"
ENV_KOMMUN = "KFP_KOMMUN_ID"
TOML_NAME = "kolada.toml"


@dataclass(frozen=True)
class Installningar:
    """The own municipality (if known) and an explicit list of ids to show (if given)."""

    kommun: str | None = None
    visa: tuple[str, ...] = ()


def _ids(text: str) -> tuple[str, ...]:
    from kfp_metrics.kolada.tolka import KoladaFel, kommun_id

    out = []
    for part in text.replace(";", ",").split(","):
        if part.strip():
            try:
                out.append(kommun_id(part.strip(), "inställningen", ENV_VISA))
            except KoladaFel:
                continue
    return tuple(out)


def load(state_dir: Path | None = None) -> Installningar:
    """The settings from the environment, else kolada.toml in the state directory."""
    if state_dir is None:
        from kfp_metrics.aktivitetslogg import state_dir as default_state_dir

        state_dir = default_state_dir()
    kommun, visa = None, ()
    path = Path(state_dir) / TOML_NAME
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            data = {}
        if data.get("kommun"):
            kommun = (_ids(str(data["kommun"])) or (None,))[0]
        if isinstance(data.get("visa"), list):
            visa = _ids(",".join(str(v) for v in data["visa"]))
    if os.environ.get(ENV_KOMMUN):
        kommun = (_ids(os.environ[ENV_KOMMUN]) or (kommun,))[0]
    if os.environ.get(ENV_VISA):
        visa = _ids(os.environ[ENV_VISA])
    return Installningar(kommun, visa)


def own_municipality(settings: Installningar, held: list[str] | tuple[str, ...]) -> str | None:
    """The own municipality: the setting, else the only municipality the table holds."""
    if settings.kommun:
        return settings.kommun
    kommuner = sorted({k for k in held if k != RIKET and not k.startswith("G")})
    return kommuner[0] if len(kommuner) == 1 else None


def shown(settings: Installningar, held: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The ids to show, in order, among those the table holds."""
    present = set(held)
    if settings.visa:
        return tuple(k for k in settings.visa if k in present)
    own = own_municipality(settings, held)
    return tuple(k for k in (RIKET, own) if k and k in present)
