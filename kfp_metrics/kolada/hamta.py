"""Fetching the counterpart KPIs from Kolada's API v3 with paging, retries and back-off.

The base URL is https://api.kolada.se/v3 unless the flag --bas-url or the environment variable
KFP_KOLADA_URL names another (tests serve recorded responses from 127.0.0.1).
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from kfp_metrics.kolada.kpi import KPIER

DEFAULT_URL = "https://api.kolada.se/v3"
URL_ENV = "KFP_KOLADA_URL"
MAX_IDS = 25  # Kolada accepts at most 25 ids in one path segment
FORSOK = 4
PAUS_S = (1.0, 2.0, 4.0)
TIMEOUT_S = 30.0
MAX_SIDOR = 1000
USER_AGENT = "kfp_metrics-kolada/1"


class HamtningsFel(RuntimeError):
    """Kolada could not be reached or answered wrongly; the message is Swedish."""


@dataclass(frozen=True)
class Svar:
    """One fetched page: the URL asked for and the decoded JSON."""

    url: str
    data: object


def base_url(flag: str | None = None) -> str:
    """--bas-url, else KFP_KOLADA_URL, else Kolada's own address; without a trailing slash."""
    return (flag or os.environ.get(URL_ENV) or DEFAULT_URL).rstrip("/")


def chunks(ids: Iterable[str], size: int = MAX_IDS) -> list[list[str]]:
    """ids in groups of at most size, order kept, duplicates dropped."""
    unique = list(dict.fromkeys(ids))
    return [unique[i : i + size] for i in range(0, len(unique), size)]


def data_urls(base: str, kommuner: list[str], ar: list[int] | None = None) -> list[str]:
    """The first page of every (KPI group × municipality group) the fetch needs."""
    urls = []
    years = "/year/" + ",".join(str(y) for y in ar) if ar else ""
    for kpis in chunks(KPIER):
        for ids in chunks(kommuner):
            path = f"/data/kpi/{','.join(kpis)}/municipality/{','.join(ids)}{years}"
            urls.append(base + urllib.parse.quote(path, safe="/,"))
    return urls


def _get(url: str, sleep: Callable[[float], None], forsok: int = FORSOK) -> object:
    last: str = ""
    for attempt in range(forsok):
        if attempt:
            sleep(PAUS_S[min(attempt - 1, len(PAUS_S) - 1)])
        request = urllib.request.Request(
            url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 429 or exc.code >= 500:
                last = f"Kolada svarade {exc.code} ({exc.reason})"
                continue
            raise HamtningsFel(f"Kolada svarade {exc.code} ({exc.reason}) på {url}.") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            last = f"nätverket svarar inte ({reason})"
            continue
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise HamtningsFel(f"Kolada svarade med något som inte är JSON på {url}.") from None
    raise HamtningsFel(
        f"Kunde inte hämta från Kolada efter {forsok} försök: {last}. Adress: {url}. Kontrollera "
        "nätverksanslutningen och försök igen, eller spara svaren från Kolada som filer och läs in dem "
        "med --in."
    )


def pages(url: str, sleep: Callable[[float], None] = time.sleep) -> Iterator[Svar]:
    """Every page from url on, following next_url until it is empty."""
    seen = set()
    while url:
        if url in seen or len(seen) >= MAX_SIDOR:
            raise HamtningsFel(f"Kolada hänvisar i en slinga till samma sida: {url}.")
        seen.add(url)
        data = _get(url, sleep)
        yield Svar(url, data)
        url = data.get("next_url") if isinstance(data, dict) else None


def fetch(
    kommuner: list[str],
    base: str,
    ar: list[int] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Svar]:
    """All data pages for the municipalities, then the names of municipalities and groups."""
    out: list[Svar] = []
    for url in data_urls(base, kommuner, ar):
        out.extend(pages(url, sleep))
    out.extend(pages(f"{base}/municipality", sleep))
    if any(k.startswith("G") for k in kommuner):
        out.extend(pages(f"{base}/municipality_groups", sleep))
    return out
