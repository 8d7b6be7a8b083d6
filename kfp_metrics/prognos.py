"""Rekryteringsbehov: the plan's forecast of how many to recruit, per befattning and year (contract §7).

For each befattning b of the tillsvidare snapshot at P in the scope, with g_b the growth in percent
per year and r_b the share leaving for other reasons than pension over the 12 months ending P:

* personalbehov N_b(Y) = N_b(year(P)) × (1 + g_b/100)^(Y − year(P))
* pensionsavgångar(Y) = persons of b at P with fodelsear + A = Y; the first forecast year also takes
  those with fodelsear + A ≤ year(P), who may leave at any time
* övriga avgångar(Y) = r_b/100 × N_b(Y − 1)
* rekryteringsbehov(Y) = max(0, N_b(Y) − N_b(Y − 1) + pensionsavgångar(Y) + övriga avgångar(Y))

`compute` returns the JSON of the contract (numbers unrounded); the rest turns such a result into
what the page and the nämndrapport show: the plans' table, the need by cause, the chart and a drafted
sentence for the nulägesanalys. A scenario may also scale every r_b (e.g. −20 % personalomsättning),
which the contract's command does not offer.

The need by cause: where demand grows, the need is the growth plus the pensionsavgångar plus the
övriga avgångar. Where demand shrinks, the shrinking is met by leavers who are not replaced; what
need remains is shared between pensionsavgångar and övriga avgångar in proportion to their size.
The three parts therefore always add up to the rekryteringsbehov.

Disclosure: the forecast is built from counts (headcount, persons reaching the pensionsålder,
avgångar), shown as the plans print them. A befattning with fewer than OSAKER_UNDER tillsvidare has
its rate from its own few persons; it is flagged as uncertain rather than hidden.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pandas as pd
import plotly.graph_objects as go

from kfp_metrics import charts
from kfp_metrics.extracts import has_table
from kfp_metrics.format import manad, procent, tal
from kfp_metrics.periods import format_period, window_12
from kfp_metrics.queries import Scope, run

DEFAULT_PENSIONSALDER = 65
PENSIONSALDRAR = (65, 66, 67, 68, 69)
DEFAULT_AR = 3  # forecast years by default: year(P)+1 … year(P)+3
MAX_AR = 10  # at most year(P)+10
OSAKER_UNDER = 5  # a befattning with fewer tillsvidare at P is flagged as uncertain
TILLVAXT_RANGE = (-100.0, 100.0)  # percent per year
ANDRING_RANGE = (-100.0, 100.0)  # percent change of every avgångsandel
UTAN_KATEGORI = "Utan yrkeskategori"
TOTALT = "Totalt"

ORSAKER = {
    "pensionsavgangar": "Pensionsavgångar",
    "ovriga_avgangar": "Övriga avgångar",
    "tillvaxt": "Ökat personalbehov",
}
ORSAK_COLORS = {"pensionsavgangar": "#D55E00", "ovriga_avgangar": "#0072B2", "tillvaxt": "#009E73"}
QUANTITIES = ("personalbehov", "pensionsavgangar", "ovriga_avgangar", "rekryteringsbehov")


# --- Arguments -------------------------------------------------------------------------------------


_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def parse_procent(text: str, low: float = TILLVAXT_RANGE[0], high: float = TILLVAXT_RANGE[1]) -> float:
    """'5', '-2,5', '−20 %' as a float within low…high; ValueError with a Swedish message otherwise."""
    cleaned = str(text).strip().replace("\u2212", "-").replace("\u00a0", " ")
    cleaned = cleaned.removesuffix("%").strip().replace(" ", "")
    if not _NUMBER.match(cleaned):
        raise ValueError(f"«{str(text)[:40]}» är inget tal i procent (t.ex. 2,5 eller -20)")
    value = float(cleaned.replace(",", "."))
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{tal(value, 1)} % ligger utanför {tal(low)}–{tal(high)} %")
    return value


def parse_tillvaxt(text: str) -> tuple[str, float]:
    """'BEFATTNING=PCT' as (befattning, percent); ValueError with a Swedish message otherwise."""
    befattning, sep, value = str(text).rpartition("=")
    befattning = befattning.strip()
    if not sep or not befattning:
        raise ValueError(f'«{str(text)[:60]}» ska skrivas BEFATTNING=PROCENT, t.ex. "Undersköterska=2,5"')
    return befattning, parse_procent(value)


def ar_till_range(period: dt.date) -> tuple[int, int]:
    """The last forecast year allowed for P: year(P)+1 … year(P)+MAX_AR."""
    return period.year + 1, period.year + MAX_AR


def narliggande(name: str, known: Iterable[str], n: int = 5) -> list[str]:
    """The known names closest to name (case and spacing ignored first), best first."""
    known = list(dict.fromkeys(known))
    folded = {k.casefold().strip(): k for k in known}
    exact = folded.get(name.casefold().strip())
    close = difflib.get_close_matches(name.casefold(), list(folded), n=n, cutoff=0.6)
    names = ([exact] if exact else []) + [folded[c] for c in close]
    contains = [k for k in known if name.casefold() in k.casefold() or k.casefold() in name.casefold()]
    return list(dict.fromkeys(names + contains))[:n]


class OkandBefattning(ValueError):
    """A befattning given growth that is not among the tillsvidare of the scope at P."""

    def __init__(self, okanda: list[str], kanda: list[str], period: dt.date):
        self.okanda, self.kanda = okanda, kanda
        parts = []
        for name in okanda:
            close = narliggande(name, kanda)
            text = f"Okänd befattning «{name}» i --tillvaxt: den finns inte bland de tillsvidareanställda i urvalet i {manad(period)}."
            if close:
                text += " Närliggande namn: " + ", ".join(f"«{c}»" for c in close) + "."
            elif kanda:
                listed = ", ".join(f"«{c}»" for c in kanda[:10])
                more = f" och {len(kanda) - 10} till" if len(kanda) > 10 else ""
                text += f" Befattningarna i urvalet är {listed}{more}."
            else:
                text += " Urvalet har inga tillsvidareanställda den månaden."
            parts.append(text)
        super().__init__("\n".join(parts))


# --- The forecast ------------------------------------------------------------------------------


def underlag(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> pd.DataFrame:
    """Per befattning at P: antal_start, medel_tillsvidare and avgangar_12m (largest first)."""
    fran, slut = window_12(period)
    frame = run(con, "prognos_befattningar", scope, period=period, fran=fran, slut=slut)
    frame["antal_start"] = frame["antal_start"].astype(int)
    frame["avgangar_12m"] = frame["avgangar_12m"].astype(int)
    frame["medel_tillsvidare"] = frame["medel_tillsvidare"].astype(float)
    return frame


def pensionsar(
    con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope, pensionsalder: int
) -> dict[str, dict[int, int]]:
    """Tillsvidare at P per befattning and the year they reach the pensionsålder."""
    frame = run(con, "prognos_pensionsar", scope, period=period, pensionsalder=pensionsalder)
    out: dict[str, dict[int, int]] = {}
    for row in frame.itertuples(index=False):
        out.setdefault(str(row.befattning), {})[int(row.pensionsar)] = int(row.antal)
    return out


def befattningar(con: duckdb.DuckDBPyConnection, period: dt.date, scope: Scope) -> list[str]:
    """The befattningar of the tillsvidare snapshot at P in the scope, largest first."""
    return [str(b) for b in underlag(con, period, scope)["befattning"]]


def _tillvaxt_map(tillvaxt) -> dict[str, float]:
    items = tillvaxt.items() if isinstance(tillvaxt, Mapping) else (tillvaxt or ())
    return {str(b): float(g) for b, g in items}


def forecast(
    rows: pd.DataFrame,
    cohorts: Mapping[str, Mapping[int, int]],
    period: dt.date,
    scope: Scope,
    pensionsalder: int = DEFAULT_PENSIONSALDER,
    ar_till: int | None = None,
    tillvaxt=(),
    tillvaxt_alla: float = 0.0,
    avgangsandring_pct: float = 0.0,
) -> dict:
    """The contract's JSON from the underlag rows and pension cohorts (pure arithmetic)."""
    start_year = period.year
    ar_till = start_year + DEFAULT_AR if ar_till is None else int(ar_till)
    low, high = ar_till_range(period)
    if not low <= ar_till <= high:
        raise ValueError(f"prognosens sista år måste vara {low}–{high}, inte {ar_till}")
    years = list(range(start_year + 1, ar_till + 1))
    growth = _tillvaxt_map(tillvaxt)
    known = [str(b) for b in rows["befattning"]]
    unknown = [b for b in growth if b not in set(known)]
    if unknown:
        raise OkandBefattning(unknown, known, period)
    factor = 1.0 + float(avgangsandring_pct) / 100.0
    per_befattning = []
    for row in rows.itertuples(index=False):
        b = str(row.befattning)
        n0 = int(row.antal_start)
        g = growth.get(b, float(tillvaxt_alla))
        medel = float(row.medel_tillsvidare)
        rate = 100.0 * int(row.avgangar_12m) / medel if medel > 0 else 0.0
        rate *= factor
        cohort = cohorts.get(b, {})
        already = sum(n for year, n in cohort.items() if year <= start_year)
        per_ar = {}
        previous = float(n0)
        for year in years:
            need = n0 * (1.0 + g / 100.0) ** (year - start_year)
            pensions = cohort.get(year, 0) + (already if year == years[0] else 0)
            others = rate / 100.0 * previous
            recruit = max(0.0, need - previous + pensions + others)
            per_ar[str(year)] = {
                "personalbehov": need,
                "pensionsavgangar": int(pensions),
                "ovriga_avgangar": others,
                "rekryteringsbehov": recruit,
            }
            previous = need
        per_befattning.append(
            {
                "befattning": b,
                "antal_start": n0,
                "tillvaxt_pct": float(g),
                "avgangsandel_pct": rate,
                "per_ar": per_ar,
            }
        )
    per_befattning.sort(key=lambda e: (-e["antal_start"], e["befattning"]))
    totalt = {
        str(year): {
            "personalbehov": sum(e["per_ar"][str(year)]["personalbehov"] for e in per_befattning) * 1.0,
            "pensionsavgangar": sum(e["per_ar"][str(year)]["pensionsavgangar"] for e in per_befattning),
            "ovriga_avgangar": sum(e["per_ar"][str(year)]["ovriga_avgangar"] for e in per_befattning) * 1.0,
            "rekryteringsbehov": sum(e["per_ar"][str(year)]["rekryteringsbehov"] for e in per_befattning)
            * 1.0,
        }
        for year in years
    }
    return {
        "period": format_period(period),
        "scope": scope.as_dict(),
        "pensionsalder": int(pensionsalder),
        "ar": years,
        "per_befattning": per_befattning,
        "totalt": totalt,
        "summa_rekryteringsbehov": sum(t["rekryteringsbehov"] for t in totalt.values()) * 1.0,
    }


def compute(
    con: duckdb.DuckDBPyConnection,
    period: dt.date,
    scope: Scope,
    pensionsalder: int = DEFAULT_PENSIONSALDER,
    ar_till: int | None = None,
    tillvaxt=(),
    tillvaxt_alla: float = 0.0,
    avgangsandring_pct: float = 0.0,
) -> dict:
    """The forecast of contract section 7 for P and the scope (numbers unrounded).

    tillvaxt maps befattning → percent per year (a Mapping or pairs); an unknown befattning raises
    OkandBefattning, listing close names. avgangsandring_pct scales every avgångsandel (−20 = a fifth
    fewer leavers); 0 is the contract's forecast.
    """
    return forecast(
        underlag(con, period, scope),
        pensionsar(con, period, scope, pensionsalder),
        period,
        scope,
        pensionsalder,
        ar_till,
        tillvaxt,
        tillvaxt_alla,
        avgangsandring_pct,
    )


# --- Grouping and causes -----------------------------------------------------------------------


def yrkeskategorier(con: duckdb.DuckDBPyConnection) -> dict[str, str] | None:
    """befattning → yrkeskategori from the optional table, None when it is absent."""
    if not has_table(con, "yrkeskategorier"):
        return None
    frame = run(con, "prognos_yrkeskategorier", Scope())
    return {str(r.befattning): str(r.yrkeskategori) for r in frame.itertuples(index=False)}


def orsaker_for(values: Mapping, previous_need: float) -> dict[str, float]:
    """One befattning-year's rekryteringsbehov split by cause (the parts add up to the need)."""
    growth = values["personalbehov"] - previous_need
    pensions, others = float(values["pensionsavgangar"]), float(values["ovriga_avgangar"])
    need = values["rekryteringsbehov"]
    if growth >= 0:
        return {"pensionsavgangar": pensions, "ovriga_avgangar": others, "tillvaxt": growth}
    leavers = pensions + others
    if leavers <= 0 or need <= 0:
        return {"pensionsavgangar": 0.0, "ovriga_avgangar": 0.0, "tillvaxt": 0.0}
    return {
        "pensionsavgangar": need * pensions / leavers,
        "ovriga_avgangar": need * others / leavers,
        "tillvaxt": 0.0,
    }


def _parts(entry: Mapping, years: list[int]) -> dict[str, dict[str, float]]:
    previous = float(entry["antal_start"])
    out = {}
    for year in years:
        values = entry["per_ar"][str(year)]
        out[str(year)] = orsaker_for(values, previous)
        previous = values["personalbehov"]
    return out


def orsaker(result: Mapping) -> dict[str, dict[str, float]]:
    """The rekryteringsbehov of each year split into pensionsavgångar, övriga avgångar and tillväxt."""
    years = result["ar"]
    total = {str(y): dict.fromkeys(ORSAKER, 0.0) for y in years}
    for entry in result["per_befattning"]:
        for year, parts in _parts(entry, years).items():
            for key, value in parts.items():
                total[year][key] += value
    return total


def andelar(result: Mapping) -> dict[str, float | None]:
    """Each cause's share in percent of the whole period's rekryteringsbehov (None when it is 0)."""
    sums = dict.fromkeys(ORSAKER, 0.0)
    for parts in orsaker(result).values():
        for key, value in parts.items():
            sums[key] += value
    whole = sum(sums.values())
    return {key: (100.0 * value / whole if whole > 0 else None) for key, value in sums.items()}


def avrundade(values: Mapping[str, float], total: int) -> dict[str, int]:
    """Whole numbers that add up to total, by largest remainder (so a sentence's parts add up)."""
    floors = {k: math.floor(v) for k, v in values.items()}
    left = total - sum(floors.values())
    order = sorted(values, key=lambda k: (-(values[k] - floors[k]), list(values).index(k)))
    for key in order[: max(left, 0)]:
        floors[key] += 1
    return floors


def grupper(
    result: Mapping, mapping: Mapping[str, str] | None = None, other: str = UTAN_KATEGORI
) -> list[dict]:
    """The result's rows per befattning, or per yrkeskategori when a mapping is given (summed; a
    befattning without a category goes to `other`, listed last). Each row: namn, antal_start,
    osaker, befattningar, per_ar."""
    years = [str(y) for y in result["ar"]]
    if mapping is None:
        return [
            {
                "namn": e["befattning"],
                "antal_start": e["antal_start"],
                "osaker": e["antal_start"] < OSAKER_UNDER,
                "befattningar": [e["befattning"]],
                "per_ar": e["per_ar"],
            }
            for e in result["per_befattning"]
        ]
    groups: dict[str, dict] = {}
    for e in result["per_befattning"]:
        name = mapping.get(e["befattning"], other)
        g = groups.setdefault(
            name,
            {
                "namn": name,
                "antal_start": 0,
                "befattningar": [],
                "per_ar": {y: dict.fromkeys(QUANTITIES, 0) for y in years},
            },
        )
        g["antal_start"] += e["antal_start"]
        g["befattningar"].append(e["befattning"])
        for y in years:
            for q in QUANTITIES:
                g["per_ar"][y][q] += e["per_ar"][y][q]
    out = list(groups.values())
    for g in out:
        g["osaker"] = g["antal_start"] < OSAKER_UNDER
    out.sort(key=lambda g: (g["namn"] == other, -g["antal_start"], g["namn"]))
    return out


OVRIGA_BEFATTNINGAR = "Övriga befattningar"


def kortad_gruppering(
    result: Mapping, mapping: Mapping[str, str] | None, max_rader: int = 15
) -> tuple[Mapping[str, str] | None, str, str]:
    """(mapping, other, heading) for a table of at most max_rader rows besides Totalt: the
    yrkeskategorier when given, else the befattningar, the smallest summed as 'Övriga befattningar'."""
    if mapping is not None:
        return mapping, UTAN_KATEGORI, "Yrkeskategori"
    names = [e["befattning"] for e in result["per_befattning"]]
    if len(names) <= max_rader:
        return None, UTAN_KATEGORI, "Befattning"
    return {b: b for b in names[: max_rader - 1]}, OVRIGA_BEFATTNINGAR, "Befattning"


def osakra(result: Mapping) -> list[str]:
    """The befattningar with fewer than OSAKER_UNDER tillsvidare at P."""
    return [e["befattning"] for e in result["per_befattning"] if e["antal_start"] < OSAKER_UNDER]


# --- Tables ------------------------------------------------------------------------------------


def _label(group: Mapping) -> str:
    return f"{group['namn']} *" if group["osaker"] else group["namn"]


def tabell_plan(
    result: Mapping,
    mapping: Mapping[str, str] | None = None,
    formatted: bool = False,
    other: str = UTAN_KATEGORI,
    heading: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plans' two tables: personalbehov (start year and forecast years) and rekryteringsbehov
    (forecast years), a row per befattning or yrkeskategori and a Totalt row summed unrounded.
    formatted=True gives whole numbers in Swedish text; otherwise the unrounded numbers."""
    start = int(result["period"][:4])
    years = [str(y) for y in result["ar"]]
    heading = heading or ("Yrkeskategori" if mapping is not None else "Befattning")
    groups = grupper(result, mapping, other)

    def cell(value):
        return tal(value) if formatted else value

    behov_rows, rek_rows = [], []
    for g in groups:
        behov_rows.append(
            [_label(g), cell(g["antal_start"]), *(cell(g["per_ar"][y]["personalbehov"]) for y in years)]
        )
        rek_rows.append([_label(g), *(cell(g["per_ar"][y]["rekryteringsbehov"]) for y in years)])
    total = result["totalt"]
    start_total = sum(e["antal_start"] for e in result["per_befattning"])
    behov_rows.append([TOTALT, cell(start_total), *(cell(total[y]["personalbehov"]) for y in years)])
    rek_rows.append([TOTALT, *(cell(total[y]["rekryteringsbehov"]) for y in years)])
    behov = pd.DataFrame(behov_rows, columns=[heading, str(start), *years])
    rek = pd.DataFrame(rek_rows, columns=[heading, *years])
    return behov, rek


def tabell_data(result: Mapping, mapping: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Everything behind the page, a row per befattning and year, unrounded (for download)."""
    rows = []
    for e in result["per_befattning"]:
        parts = _parts(e, result["ar"])
        for year in result["ar"]:
            values = e["per_ar"][str(year)]
            row = {"Befattning": e["befattning"]}
            if mapping is not None:
                row["Yrkeskategori"] = mapping.get(e["befattning"], UTAN_KATEGORI)
            row.update(
                {
                    "År": year,
                    f"Tillsvidareanställda {result['period']}": e["antal_start"],
                    "Tillväxt % per år": e["tillvaxt_pct"],
                    "Avgångsandel %": e["avgangsandel_pct"],
                    "Personalbehov": values["personalbehov"],
                    "Pensionsavgångar": values["pensionsavgangar"],
                    "Övriga avgångar": values["ovriga_avgangar"],
                    "Rekryteringsbehov": values["rekryteringsbehov"],
                    "Varav pensionsavgångar": parts[str(year)]["pensionsavgangar"],
                    "Varav övriga avgångar": parts[str(year)]["ovriga_avgangar"],
                    "Varav ökat personalbehov": parts[str(year)]["tillvaxt"],
                    "Osäker (färre än 5)": "ja" if e["antal_start"] < OSAKER_UNDER else "nej",
                }
            )
            rows.append(row)
    return pd.DataFrame(rows)


def tabell_antaganden(result: Mapping, formatted: bool = True) -> pd.DataFrame:
    """Per befattning: tillsvidare at P, assumed growth and avgångsandel, and the uncertainty flag."""
    rows = []
    for e in result["per_befattning"]:
        rows.append(
            {
                "Befattning": e["befattning"],
                f"Tillsvidareanställda {manad(result['period'])}": tal(e["antal_start"])
                if formatted
                else e["antal_start"],
                "Tillväxt per år": procent(e["tillvaxt_pct"]) if formatted else e["tillvaxt_pct"],
                "Avgångsandel (övriga avgångar)": procent(e["avgangsandel_pct"])
                if formatted
                else e["avgangsandel_pct"],
                "Osäker": "ja, färre än 5" if e["antal_start"] < OSAKER_UNDER else "",
            }
        )
    return pd.DataFrame(rows)


def tabell_orsaker(result: Mapping, formatted: bool = False) -> pd.DataFrame:
    """The rekryteringsbehov per year by cause (the chart's data), with the whole period."""
    parts = orsaker(result)
    rows = []
    for year in result["ar"]:
        p = parts[str(year)]
        rows.append([str(year), *(p[k] for k in ORSAKER), sum(p.values())])
    sums = [sum(parts[str(y)][k] for y in result["ar"]) for k in ORSAKER]
    rows.append([TOTALT, *sums, sum(sums)])
    frame = pd.DataFrame(rows, columns=["År", *ORSAKER.values(), "Rekryteringsbehov"])
    if formatted:
        for column in frame.columns[1:]:
            frame[column] = [tal(v) for v in frame[column]]
    return frame


JAMFORELSE_KOLUMNER = (
    "Personalbehov, beräknat",
    "Personalbehov, extern prognos",
    "Rekryteringsbehov, beräknat",
    "Rekryteringsbehov, extern prognos",
)


def tabell_jamforelse(
    result: Mapping, extern: pd.DataFrame, mapping: Mapping[str, str] | None = None, formatted: bool = False
) -> pd.DataFrame:
    """The computed forecast beside the external personalprognos (ar, yrkeskategori, personalbehov,
    rekryteringsbehov) for the years both cover: per yrkeskategori when a mapping groups the
    befattningar, and in total per year. A cell without a value is None ('–' when formatted)."""
    years = [y for y in result["ar"] if y in set(int(a) for a in extern["ar"])]
    computed = {g["namn"]: g for g in grupper(result, mapping)} if mapping is not None else {}
    rows = []
    for year in years:
        ext = extern[extern["ar"].astype(int) == year]
        ext_by = {str(r.yrkeskategori): r for r in ext.itertuples(index=False)}
        if mapping is not None:
            for name in sorted(set(computed) | set(ext_by), key=lambda n: (n == UTAN_KATEGORI, n)):
                ours = computed.get(name)
                theirs = ext_by.get(name)
                rows.append(
                    [
                        year,
                        name,
                        ours["per_ar"][str(year)]["personalbehov"] if ours else None,
                        float(theirs.personalbehov) if theirs is not None else None,
                        ours["per_ar"][str(year)]["rekryteringsbehov"] if ours else None,
                        float(theirs.rekryteringsbehov) if theirs is not None else None,
                    ]
                )
        total = result["totalt"][str(year)]
        rows.append(
            [
                year,
                TOTALT,
                total["personalbehov"],
                float(ext["personalbehov"].sum()),
                total["rekryteringsbehov"],
                float(ext["rekryteringsbehov"].sum()),
            ]
        )
    frame = pd.DataFrame(rows, columns=["År", "Yrkeskategori", *JAMFORELSE_KOLUMNER])
    if formatted:
        for column in JAMFORELSE_KOLUMNER:
            frame[column] = [tal(v) if v is not None and not pd.isna(v) else "–" for v in frame[column]]
        frame["År"] = frame["År"].astype(str)
    return frame


def kpis(result: Mapping) -> list:
    """The page's key figures: the whole period's need, rounded once, and its parts by cause."""
    from kfp_metrics.personal import Kpi

    years = period_text(result)
    total = result["summa_rekryteringsbehov"]
    sums = dict.fromkeys(ORSAKER, 0.0)
    for parts in orsaker(result).values():
        for key, value in parts.items():
            sums[key] += value
    shares = andelar(result)
    out = [
        Kpi(
            f"Totalt {years}",
            tal(total),
            help="Summan över prognosåren av personalbehovets ökning, pensionsavgångar och övriga avgångar, "
            "avrundad en gång.",
        )
    ]
    for key, label in (
        ("pensionsavgangar", "Varav pensionsavgångar"),
        ("ovriga_avgangar", "Varav övriga avgångar"),
        ("tillvaxt", "Varav ökat personalbehov"),
    ):
        share = shares[key]
        out.append(
            Kpi(
                label,
                tal(sums[key]),
                f"{procent(share)} av behovet" if share is not None else None,
                arrow="off",
            )
        )
    return out


# --- Chart -------------------------------------------------------------------------------------


def period_text(result: Mapping) -> str:
    """'2025–2027' (or '2025' for one year)."""
    years = result["ar"]
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def figure_orsaker(result: Mapping, scope_text: str) -> go.Figure:
    """The rekryteringsbehov per forecast year as stacked bars of its three causes."""
    title = f"Rekryteringsbehov per år och orsak – {scope_text}, {period_text(result)}"
    if not result["per_befattning"]:
        return charts.empty_figure(
            f"Urvalet har inga tillsvidareanställda i {manad(result['period'])}.", title
        )
    parts = orsaker(result)
    years = [str(y) for y in result["ar"]]
    traces = []
    for key, label in ORSAKER.items():
        values = [parts[y][key] for y in years]
        traces.append(
            dict(
                type="bar",
                x=years,
                y=values,
                name=label,
                marker={"color": ORSAK_COLORS[key]},
                text=[tal(v) for v in values],
                textposition="inside",
                insidetextanchor="middle",
                hovertemplate=f"<b>{label}</b><br>%{{x}}: %{{y:,.1f}} personer<extra></extra>",
            )
        )
    totals = [sum(parts[y].values()) for y in years]
    traces.append(
        dict(
            type="scatter",
            x=years,
            y=totals,
            mode="text",
            text=[tal(v) for v in totals],
            textposition="top center",
            showlegend=False,
            hoverinfo="skip",
            textfont={"size": 13, "color": "#333"},
        )
    )
    top = max(totals) if totals else 0
    layout = {
        "barmode": "stack",
        "uniformtext": {"minsize": 10, "mode": "hide"},
        "legend": {"traceorder": "normal"},
        "xaxis": {"type": "category"},
        "yaxis": {"range": [0, top * 1.15 if top > 0 else 1]},
    }
    return charts.figure(traces, title, y_title="Antal personer", layout=layout)


def alt_text(result: Mapping) -> str:
    """A one-sentence text alternative for the chart."""
    if not result["per_befattning"]:
        return "Diagrammet är tomt: urvalet har inga tillsvidareanställda."
    parts = orsaker(result)
    years = [str(y) for y in result["ar"]]
    per_year = ", ".join(f"{y}: {tal(sum(parts[y].values()))}" for y in years)
    return f"Staplat stapeldiagram över rekryteringsbehovet per år uppdelat på orsak ({per_year} personer)."


# --- Words -------------------------------------------------------------------------------------


def antaganden(result: Mapping, avgangsandring_pct: float = 0.0) -> list[str]:
    """The forecast's assumptions in Swedish, as the page and the report state them."""
    p = manad(result["period"])
    start = int(result["period"][:4])
    alder = result["pensionsalder"]
    growths = {e["tillvaxt_pct"] for e in result["per_befattning"]}
    if not growths or growths == {0.0}:
        growth = "Personalbehovet antas vara oförändrat: samma antal tillsvidareanställda per befattning som i dag."
    elif len(growths) == 1:
        growth = f"Personalbehovet antas förändras med {procent(growths.pop())} per år för alla befattningar."
    else:
        growth = "Personalbehovet antas förändras med den takt per år som anges för respektive befattning."
    texts = [
        f"Prognosen utgår från de tillsvidareanställda i {p} per befattning och räknar fram behovet för "
        f"åren {period_text(result)}. Organisation, arbetssätt och sammansättning antas vara oförändrade.",
        growth,
        "Övriga avgångar följer varje befattnings avgångsandel under de senaste 12 månaderna: "
        "tillsvidareanställda som gått till en annan förvaltning eller lämnat kommunen av annat skäl än "
        "pension, i procent av befattningens genomsnittliga antal tillsvidareanställda.",
        f"Pensionsavgångarna räknas med pensionsålder {alder} år. De som redan har nått pensionsåldern "
        f"({start} eller tidigare) kan gå när som helst och räknas in det första prognosåret.",
        "Rekryteringsbehovet är förändringen i personalbehov plus pensionsavgångar och övriga avgångar, "
        "dock aldrig under noll. Minskar personalbehovet täcks minskningen av avgångar som inte ersätts.",
        f"Rader med färre än {OSAKER_UNDER} tillsvidareanställda är markerade med *: deras "
        "avgångsandel bygger på få personer och prognosen är därför osäker.",
    ]
    if avgangsandring_pct:
        texts.insert(
            3,
            f"Scenario: avgångsandelen är ändrad med {tal(avgangsandring_pct, 1)} % jämfört med de senaste "
            "12 månaderna.",
        )
    return texts


_CAUSE_WORDS = {
    "pensionsavgangar": "till följd av pensionsavgångar",
    "ovriga_avgangar": "till följd av övrig personalomsättning",
    "tillvaxt": "till följd av ett ökat personalbehov",
}
_LARGEST_WORDS = {
    "pensionsavgangar": "pensionsavgångarna",
    "ovriga_avgangar": "personalomsättningen",
    "tillvaxt": "det ökade personalbehovet",
}


def heltal(value: float) -> int:
    """A figure rounded once to a whole number, half away from zero as the app writes it (format.tal)."""
    return int(Decimal(repr(float(value))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def nulagestext(result: Mapping) -> str:
    """The drafted sentence for the nulägesanalys, in the plans' phrasing.

    N is the unrounded sum over the years rounded once; its parts by cause are rounded so that
    they add up to N (largest remainder)."""
    years = period_text(result)
    during = f"Under åren {years}" if len(result["ar"]) > 1 else f"Under {years}"
    if not result["per_befattning"]:
        return (
            f"Urvalet har inga tillsvidareanställda i {manad(result['period'])}, så något rekryteringsbehov "
            f"för {years} kan inte beräknas."
        )
    total = heltal(result["summa_rekryteringsbehov"])
    if total == 0:
        return f"{during} bedöms inget rekryteringsbehov finnas."
    sums = dict.fromkeys(ORSAKER, 0.0)
    for parts in orsaker(result).values():
        for key, value in parts.items():
            sums[key] += value
    whole = avrundade(sums, total)
    shown = [k for k in ORSAKER if whole[k] > 0]
    text = f"{during} bedöms rekryteringsbehovet till {tal(total)} medarbetare"
    if len(shown) == 1:
        text += f", samtliga {_CAUSE_WORDS[shown[0]]}."
    else:
        items = [f"{tal(whole[k])} {_CAUSE_WORDS[k]}" for k in shown]
        text += ", varav " + ", ".join(items[:-1]) + " och " + items[-1] + "."
        largest = max(sums, key=lambda k: sums[k])
        text += f" Till största delen är behovet relaterat till {_LARGEST_WORDS[largest]}."
    if len(result["ar"]) > 1:
        average = result["summa_rekryteringsbehov"] / len(result["ar"])
        text += f" Det motsvarar i genomsnitt {tal(average)} medarbetare per år."
    return text
