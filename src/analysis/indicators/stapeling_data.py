"""Stapeling indicators from the processed layer (``docs/stapeling.md`` §3–§6).

Reads the long ``indicators.parquet`` rows the build writes for the stapeling, Wmo, household
and 85101NED tables and turns them into per-unit figures: households with a provision per
1 000 households, the multi-law share, each combination's share with the sum check, the
distribution over the number of provisions and its concentration curve, the trend with the
missing years as gaps, the youth-care overlap and Wmo clients per 1 000 inwoners. Region and
national values come from **summed numerators and denominators** over the member gemeenten that
have every cell a figure needs (the others are counted in ``n_leden - n_gebruikt``); a
suppressed cell is never filled in. Numbers and codes only; Dutch text is the chapter's job.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.indicators import stapeling
from analysis.registry import JEUGDZORG_SAMENLOOP, STAPELING_KLASSEN

TOTAAL = "huishoudens_met_voorziening"
CLIENTEN = "clienten_met_voorziening"
HUISHOUDENS = "particuliere_huishoudens"
CBS_PER_1000 = "huishoudens_met_voorziening_per_1000_cbs"
WMO = "wmo_clienten"
INWONERS = "bevolking_totaal"
COMBI = {c: f"huishoudens_{c}" for c in stapeling.COMBINATIES}
KLASSE = {k: f"huishoudens_{k}_voorzieningen" for k in STAPELING_KLASSEN}
SAMENLOOP = {c: f"jeugdzorg_samenloop_{c}" for c in JEUGDZORG_SAMENLOOP}
#: every indicator this module reads
INDICATOREN: tuple[str, ...] = (
    TOTAAL,
    CLIENTEN,
    HUISHOUDENS,
    CBS_PER_1000,
    WMO,
    INWONERS,
    *COMBI.values(),
    *KLASSE.values(),
    *SAMENLOOP.values(),
)
#: first year of the series (the first stapeling table)
EERSTE_JAAR = 2015


def breed(df: pd.DataFrame, indeling_jaar: int, niveau: str = "gemeente") -> pd.DataFrame:
    """Year figures of ``niveau`` on classification ``indeling_jaar``, one row per
    (regio_code, jaar), one column per indicator of :data:`INDICATOREN` (NaN = missing or
    suppressed). Published rows win over computed ones for the same cell."""
    rows = df[
        df["indicator"].isin(INDICATOREN)
        & df["periode_type"].eq("jaar")
        & df["regio_niveau"].eq(niveau)
        & df["indeling_jaar"].eq(indeling_jaar)
    ]
    if rows.empty:
        return pd.DataFrame(columns=list(INDICATOREN), index=pd.MultiIndex.from_arrays([[], []]))
    rows = rows.sort_values("berekend", kind="stable").drop_duplicates(
        ["regio_code", "jaar", "indicator"]
    )
    wide = rows.pivot_table(
        index=["regio_code", "jaar"],
        columns="indicator",
        values="waarde",
        aggfunc="first",
        dropna=False,
    )
    for col in INDICATOREN:
        if col not in wide:
            wide[col] = np.nan
    return wide[list(INDICATOREN)].astype(float)


@dataclass
class Optelling:
    """Summed numerators and denominators over the gemeenten that have all cells of a figure."""

    waarden: dict[str, float] = field(default_factory=dict)
    n_gebruikt: dict[str, int] = field(default_factory=dict)
    n_leden: int = 0


def _som(jaar_rows: pd.DataFrame, cols: Sequence[str]) -> tuple[pd.Series, int]:
    """Column sums over the rows where every column of ``cols`` has a value, and their number."""
    cols = list(cols)
    sums, n = _volledig(jaar_rows[cols].to_numpy(dtype="float64"))
    return pd.Series(sums, index=cols), n


def _volledig(a: np.ndarray) -> tuple[np.ndarray, int]:
    """Column sums of a float array over its rows without a missing value, and their number
    (the rule of :func:`_som`)."""
    ok = ~np.isnan(a).any(axis=1)
    return a[ok].sum(axis=0), int(ok.sum())


def kengetallen(rows: pd.DataFrame) -> dict[str, float | int | str | None]:
    """Figures of one unit from the year rows of its gemeenten (one gemeente = one row).

    Keys: ``huishoudens`` (with a provision), ``per_1000`` (per 1 000 particuliere huishoudens),
    ``aandeel_meer_wetten``, ``aandeel_<combinatie>``, ``controle`` (status of the sum check:
    ok / afwijking / onvolledig), ``controle_verschil``, ``wmo_per_1000``, ``n_leden`` and, per
    figure, ``n_<figure>`` = gemeenten that contributed. Shares are fractions (0–1).
    """
    out: dict[str, float | int | str | None] = {"n_leden": len(rows)}
    if rows.empty:
        return out
    out.update(_figuren({c: rows[c].to_numpy(dtype="float64") for c in INDICATOREN}))
    if len(rows) == 1:
        check = som_controle(rows).iloc[0]
        out["controle"] = str(check["status"])
        out["controle_verschil"] = None if pd.isna(check["verschil"]) else float(check["verschil"])
    return out


def kengetallen_per_rij(rows: pd.DataFrame) -> pd.DataFrame:
    """:func:`kengetallen` of every row on its own (one gemeente each), with the sum check
    run once for all rows: one row per index value, columns in :func:`kengetallen`'s key
    order (object dtype)."""
    a = {c: rows[c].to_numpy(dtype="float64") for c in INDICATOREN}
    check = som_controle(rows)
    status = check["status"].astype(str).tolist()
    verschil = check["verschil"].to_numpy(dtype="float64")
    out: dict = {}
    for i, code in enumerate(rows.index):
        k: dict[str, float | int | str | None] = {"n_leden": 1}
        k.update(_figuren({c: v[i : i + 1] for c, v in a.items()}))
        k["controle"] = status[i]
        k["controle_verschil"] = None if np.isnan(verschil[i]) else float(verschil[i])
        out[code] = k
    return pd.DataFrame(out).T


def _figuren(a: dict[str, np.ndarray]) -> dict[str, float | int | None]:
    """The figures of :func:`kengetallen` (without ``n_leden`` and the sum check) from the
    column arrays of a unit's rows; each summed over the rows that have all its cells."""

    def som(*cols: str) -> tuple[dict[str, float], np.ndarray, int]:
        sums, n = _volledig(np.column_stack([a[c] for c in cols]))
        return dict(zip(cols, sums, strict=True)), sums, n

    out: dict[str, float | int | None] = {}
    s, _, n = som(TOTAAL)
    out["huishoudens"] = float(s[TOTAAL]) if n else None
    out["n_huishoudens"] = n
    s, _, n = som(CLIENTEN)
    out["clienten"] = float(s[CLIENTEN]) if n else None
    s, _, n = som(TOTAAL, HUISHOUDENS)
    out["per_1000"] = float(s[TOTAAL] * 1000 / s[HUISHOUDENS]) if n and s[HUISHOUDENS] > 0 else None
    out["n_per_1000"] = n
    s, sums, n = som(TOTAAL, *(COMBI[c] for c in stapeling.MEER_WETTEN))
    meer = sums[1:].sum()
    out["aandeel_meer_wetten"] = float(meer / s[TOTAAL]) if n and s[TOTAAL] > 0 else None
    out["n_aandeel_meer_wetten"] = n
    for c, col in COMBI.items():
        s, _, n = som(TOTAAL, col)
        out[f"aandeel_{c}"] = float(s[col] / s[TOTAAL]) if n and s[TOTAAL] > 0 else None
    s, _, n = som(WMO, INWONERS)
    out["wmo_per_1000"] = float(s[WMO] * 1000 / s[INWONERS]) if n and s[INWONERS] > 0 else None
    out["n_wmo_per_1000"] = n
    return out


def som_controle(rows: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.indicators.stapeling.som_controle` on wide rows (one per unit-year)."""
    combi = rows[[TOTAAL, *COMBI.values()]].rename(
        columns={TOTAAL: "totaal", **{v: k for k, v in COMBI.items()}}
    )
    return stapeling.som_controle(combi)


def verdeling(rows: pd.DataFrame) -> dict[int, float] | None:
    """Households per number-of-provisions class, summed over the rows that have every class;
    None when no row has them. The highest class present is the open top class."""
    cols = [c for c in KLASSE.values() if rows[c].notna().any()]
    if not cols:
        return None
    s, n = _som(rows, cols)
    if not n or s.sum() <= 0:
        return None
    inv = {v: k for k, v in KLASSE.items()}
    return {inv[c]: float(s[c]) for c in cols}


def concentratie(rows: pd.DataFrame) -> pd.DataFrame | None:
    """The grouped-data concentration curve of :func:`verdeling` (an approximation: a lower
    bound, see ``docs/stapeling.md`` §4), or None."""
    v = verdeling(rows)
    return stapeling.concentratie(v) if v else None


def _per_jaar(
    wide: pd.DataFrame, codes: Iterable[str], cols: Sequence[str], tot: int
) -> dict[int, tuple[np.ndarray, int]]:
    """Per year ``EERSTE_JAAR..tot`` with rows for ``codes``: the column sums of ``cols`` over
    the rows where every column has a value (:func:`_som`), and their number."""
    if wide.empty:
        return {}
    sel = wide[wide.index.get_level_values("regio_code").isin(list(codes))]
    jaren = sel.index.get_level_values("jaar").to_numpy(dtype="int64")
    a = sel[list(cols)].to_numpy(dtype="float64")
    return {int(j): _volledig(a[jaren == j]) for j in np.unique(jaren) if EERSTE_JAAR <= j <= tot}


def trend(
    wide: pd.DataFrame, codes: Iterable[str], kolom: str, *, tot: int, noemer: str | None = None
) -> pd.Series:
    """Yearly series ``EERSTE_JAAR..tot`` of the summed ``kolom`` (per 1 000 of ``noemer`` when
    given) over ``codes``; a year without data (2020: no table) is NaN, never bridged."""
    out = pd.Series(np.nan, index=list(range(EERSTE_JAAR, tot + 1)), dtype=float)
    cols = [kolom] + ([noemer] if noemer else [])
    for jaar, (s, n) in _per_jaar(wide, codes, cols, tot).items():
        if not n:
            continue
        if noemer:
            out[jaar] = s[0] * 1000 / s[1] if s[1] > 0 else np.nan
        else:
            out[jaar] = s[0]
    return out


def aandeel_trend(wide: pd.DataFrame, codes: Iterable[str], *, tot: int) -> pd.Series:
    """Yearly multi-law share over ``codes`` (summed numerators), NaN where not computable."""
    out = pd.Series(np.nan, index=list(range(EERSTE_JAAR, tot + 1)), dtype=float)
    meer = [COMBI[c] for c in stapeling.MEER_WETTEN]
    for jaar, (s, n) in _per_jaar(wide, codes, [TOTAAL, *meer], tot).items():
        if n and s[0] > 0:
            out[jaar] = s[1:].sum() / s[0]
    return out


def samenloop(rows: pd.DataFrame) -> pd.DataFrame | None:
    """85101NED groups over ``rows`` (gemeente year rows): per group the count summed over the
    gemeenten where that cell is published (``n_gemeenten``), and its share of the total over
    the gemeenten where all eight cells are published (``aandeel``; NaN when none is complete).
    None without any data."""
    cols = list(SAMENLOOP.values())
    if rows.empty or not rows[cols].notna().any().any():
        return None
    compleet, n_compleet = _som(rows, cols)
    inv = {v: k for k, v in SAMENLOOP.items()}
    totaal = compleet.sum() if n_compleet else 0.0
    return pd.DataFrame(
        {
            "groep": [inv[c] for c in cols],
            "aantal": [float(rows[c].sum(min_count=1)) for c in cols],
            "n_gemeenten": [int(rows[c].notna().sum()) for c in cols],
            "aandeel": [float(compleet[c] / totaal) if totaal > 0 else np.nan for c in cols],
        }
    )


def laatste_jaar(wide: pd.DataFrame, tot: int | None = None) -> int | None:
    """The latest year (not after ``tot``) with households with a provision for any gemeente."""
    if wide.empty:
        return None
    have = wide[wide[TOTAAL].notna()].index.get_level_values("jaar")
    have = [int(j) for j in have if tot is None or int(j) <= tot]
    return max(have) if have else None


def wijk_tabel(wijken: pd.DataFrame, gemeente_ref: str, jaar: int) -> pd.DataFrame:
    """The wijken of a gemeente (reference classification) in ``jaar``: households with a
    provision, CBS's rate per 1 000 households and the multi-law share (NaN = suppressed),
    ranked by the rate (then households). Columns: ``wijk_code``, ``wijk_naam``,
    ``huishoudens``, ``per_1000_cbs``, ``aandeel_meer_wetten``, ``onderdrukt``."""
    cols = [
        "wijk_code",
        "wijk_naam",
        "huishoudens",
        "per_1000_cbs",
        "aandeel_meer_wetten",
        "onderdrukt",
    ]
    if wijken.empty:
        return pd.DataFrame(columns=cols)
    w = wijken[
        wijken["gemeente_code_ref"].eq(gemeente_ref)
        & wijken["jaar"].eq(jaar)
        & wijken["periode_type"].eq("jaar")
    ]
    if w.empty:
        return pd.DataFrame(columns=cols)
    wide = w.pivot_table(
        index=["regio_code", "regio_naam"],
        columns="indicator",
        values="waarde",
        aggfunc="first",
        dropna=False,
    )
    for col in INDICATOREN:
        if col not in wide:
            wide[col] = np.nan
    meer = wide[[COMBI[c] for c in stapeling.MEER_WETTEN]].sum(axis=1, min_count=4)
    out = pd.DataFrame(
        {
            "wijk_code": wide.index.get_level_values("regio_code"),
            "wijk_naam": wide.index.get_level_values("regio_naam"),
            "huishoudens": wide[TOTAAL].to_numpy(),
            "per_1000_cbs": wide[CBS_PER_1000].to_numpy(),
            "aandeel_meer_wetten": (meer / wide[TOTAAL].where(wide[TOTAAL] > 0)).to_numpy(),
        }
    )
    out["onderdrukt"] = out["huishoudens"].isna()
    return out.sort_values(
        ["per_1000_cbs", "huishoudens", "wijk_code"],
        ascending=[False, False, True],
        na_position="last",
    ).reset_index(drop=True)[cols]


def controle_rapport(tidy: pd.DataFrame) -> tuple[str, bool, str] | None:
    """The combinations sum check over every published gemeente row and year, for the build
    report: (name, ok, detail); ok is False when a complete row deviates beyond rounding.
    None when the layer has no combination rows."""
    rows = tidy[tidy["indicator"].isin(COMBI.values()) | tidy["indicator"].eq(TOTAAL)]
    rows = rows[rows["regio_niveau"].eq("gemeente") & ~rows["berekend"].astype(bool)]
    rows = rows[rows["periode_type"].eq("jaar")]
    if rows.empty or not rows["indicator"].isin(COMBI.values()).any():
        return None
    wide = rows.pivot_table(
        index=["regio_code", "jaar"],
        columns="indicator",
        values="waarde",
        aggfunc="first",
        dropna=False,
    )
    have = [c for c in COMBI.values() if c in wide]
    wide = wide[wide[have].notna().any(axis=1)] if have else wide.iloc[0:0]
    for col in [TOTAAL, *COMBI.values()]:
        if col not in wide:
            wide[col] = np.nan
    status = som_controle(wide)
    counts = status["status"].value_counts().to_dict()
    afw = status[status["status"].eq("afwijking")]
    detail = (
        f"{len(status)} gemeente-years: {counts.get('ok', 0)} ok (within rounding), "
        f"{counts.get('onvolledig', 0)} with suppressed cells, {len(afw)} deviating"
        + (
            f" (e.g. {afw.index[0][0]} {afw.index[0][1]}: {afw['verschil'].iloc[0]:g})"
            if len(afw)
            else ""
        )
        + "; nothing forced to add up"
    )
    return "stapeling: exclusive combinations add up to the total", afw.empty, detail


def overlap_controle(source: pd.DataFrame, indicator: str = WMO) -> tuple[str, bool, str] | None:
    """Where several tables give ``indicator`` for the same gemeente and period (the Wmo series
    overlap), compare them before the newest one is kept: (name, ok, detail) for the build
    report, or None without overlap. Never corrected; ok is informational (True)."""
    rows = source[
        source["indicator"].eq(indicator)
        & source["regio_niveau"].eq("gemeente")
        & source["waarde"].notna()
    ]
    if rows["bron"].nunique() < 2:
        return None
    wide = rows.pivot_table(
        index=["regio_code", "periode"], columns="bron", values="waarde", aggfunc="first"
    )
    delen = []
    for i, a in enumerate(wide.columns):
        for b in wide.columns[i + 1 :]:
            both = wide[[a, b]].dropna()
            if both.empty:
                continue
            diff = (both[a] - both[b]).abs()
            delen.append(
                f"{a} vs {b}: {len(both)} gemeente-periods, {int((diff == 0).sum())} equal, "
                f"largest difference {diff.max():g}"
            )
    if not delen:
        return None
    return (
        f"{indicator}: overlapping tables compared",
        True,
        "; ".join(delen) + "; the newest table is kept",
    )


#: indicators kept for the half-years too (the totals); the details only per year
HALFJAAR_BEWAARD = (TOTAAL, CLIENTEN, WMO)


def zonder_halfjaar_details(source: pd.DataFrame) -> pd.DataFrame:
    """Drop the half-year rows of the stapeling detail indicators (combinations, classes, CBS
    rates, 85101NED groups): no report uses them and they would triple the processed layer.
    The totals (:data:`HALFJAAR_BEWAARD`) keep their half-years (2024 has only the first)."""
    detail = set(INDICATOREN) - set(HALFJAAR_BEWAARD) - {HUISHOUDENS, INWONERS}
    detail |= {"wmo_clienten_per_1000_cbs"}
    drop = source["indicator"].isin(detail) & source["periode_type"].eq("halfjaar")
    return source[~drop]
