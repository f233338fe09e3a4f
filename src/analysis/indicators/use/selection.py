"""Youth-care use: constants, selecting rows, rates per 1 000 youth and aggregation to groups."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from analysis.metadata.regions import NEDERLAND

#: The indicators of the youth-care-use chapter, in reading order.
USE_INDICATORS: tuple[str, ...] = (
    "jongeren_met_jeugdzorg",
    "jongeren_met_jeugdhulp",
    "jongeren_met_jeugdhulp_zonder_verblijf",
    "jongeren_met_jeugdhulp_met_verblijf",
    "jongeren_met_jeugdbescherming",
    "jongeren_met_jeugdreclassering",
)
NOEMER = "bevolking_0_17"
BEVOLKING = "bevolking_totaal"

#: Counts below this are flagged as small numbers (``klein``).
SMALL_COUNT = 10

#: Status from most to least final; an aggregate takes the least final status of its members.
STATUS_ORDER: dict[str, int] = {"definitief": 0, "nader voorlopig": 1, "voorlopig": 2}
_STATUS_BY_ORDER = {v: k for k, v in STATUS_ORDER.items()}

#: CBS gemeentegrootteklassen by number of inhabitants: (lower bound incl., upper bound excl.).
GROOTTEKLASSEN: tuple[tuple[int, float], ...] = (
    (0, 10_000),
    (10_000, 20_000),
    (20_000, 50_000),
    (50_000, 100_000),
    (100_000, 150_000),
    (150_000, 250_000),
    (250_000, math.inf),
)

RATE_COLUMNS: tuple[str, ...] = (
    "regio_code",
    "regio_naam",
    "regio_niveau",
    "periode",
    "periode_type",
    "jaar",
    "indicator",
    "aantal",
    "noemer",
    "per_1000",
    "status",
    "onderdrukt",
    "klein",
    "reeks",
    "bron",
    "berekend",
    "dekking",
    "n_leden",
    "n_met_waarde",
)


def grootteklasse(bevolking: float) -> int | None:
    """Index of the size class for a population, or None when it is missing."""
    if bevolking is None or pd.isna(bevolking):
        return None
    for i, (lo, hi) in enumerate(GROOTTEKLASSEN):
        if lo <= bevolking < hi:
            return i
    raise ValueError(f"population {bevolking!r} is negative")


def worst_status(statuses: Iterable[object]) -> str:
    """The least final status among ``statuses`` (``definitief`` when empty)."""
    known = [s for s in statuses if isinstance(s, str) and s in STATUS_ORDER]
    if not known:
        return "definitief"
    return max(known, key=STATUS_ORDER.__getitem__)


def periode_x(periode: str, jaar: int, periode_type: str) -> float:
    """Position of a period on a time axis: the year, or year + 0.25 / 0.75 for half-years."""
    if periode_type == "halfjaar":
        return jaar + (0.25 if str(periode).upper().endswith("H1") else 0.75)
    return float(jaar)


# ----------------------------------------------------------------------------- selection


def select(
    df: pd.DataFrame,
    indicators: str | Sequence[str],
    *,
    indeling_jaar: int,
    periode_type: str | Sequence[str] = "jaar",
) -> pd.DataFrame:
    """Rows of ``indicators`` on classification ``indeling_jaar`` and the given period type(s).

    One row per region, period and indicator: if a cell appears both as published and as
    derived (``berekend``), the published one is kept.
    """
    inds = [indicators] if isinstance(indicators, str) else list(indicators)
    types = [periode_type] if isinstance(periode_type, str) else list(periode_type)
    mask = (
        df["indicator"].isin(inds)
        & (df["indeling_jaar"] == indeling_jaar)
        & df["periode_type"].isin(types)
    )
    out = df.loc[mask]
    if out.empty:
        return out.copy()
    out = out.sort_values("berekend", kind="stable").drop_duplicates(
        ["regio_code", "periode", "indicator"], keep="first"
    )
    return out.reset_index(drop=True)


def _denominators(df: pd.DataFrame, indeling_jaar: int) -> pd.DataFrame:
    """``bevolking_0_17`` per region and calendar year (yearly rows preferred)."""
    den = select(df, NOEMER, indeling_jaar=indeling_jaar, periode_type=("jaar", "peildatum"))
    if den.empty:
        return pd.DataFrame(
            {
                "regio_code": pd.Series(dtype="str"),
                "jaar": pd.Series(dtype="int64"),
                "noemer": pd.Series(dtype="float64"),
            }
        )
    den = den.assign(_pref=(den["periode_type"] != "jaar").astype(int))
    den = den.sort_values(["_pref", "periode"]).drop_duplicates(["regio_code", "jaar"])
    return den[["regio_code", "jaar", "waarde"]].rename(columns={"waarde": "noemer"})


def rates(
    df: pd.DataFrame,
    indicator: str,
    *,
    indeling_jaar: int,
    periode_type: str = "jaar",
    regio_codes: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Count and rate per 1 000 youth (0-17) for every region and period as published.

    Columns: :data:`RATE_COLUMNS`. ``per_1000`` is NaN when the count is suppressed or the
    denominator is missing. Published cells have ``dekking`` 1.0 (as in the data).
    """
    num = select(df, indicator, indeling_jaar=indeling_jaar, periode_type=periode_type)
    if regio_codes is not None:
        num = num[num["regio_code"].isin(list(regio_codes))]
    if num.empty:
        return _empty_rates()
    den = _denominators(df, indeling_jaar)
    out = num.merge(den, on=["regio_code", "jaar"], how="left")
    out = out.rename(columns={"waarde": "aantal"})
    ok = out["aantal"].notna() & out["noemer"].notna() & (out["noemer"] > 0)
    out["per_1000"] = np.where(ok, 1000.0 * out["aantal"] / out["noemer"].where(ok, 1.0), np.nan)
    out["onderdrukt"] = out["onderdrukt"].astype(bool)
    out["klein"] = out["aantal"].notna() & (out["aantal"] < SMALL_COUNT)
    out["dekking"] = out["dekking"].astype("float64").fillna(1.0)
    out["n_leden"] = 1
    out["n_met_waarde"] = ok.astype(int)
    return out[list(RATE_COLUMNS)].sort_values(["regio_code", "periode"], ignore_index=True)


def _empty_rates() -> pd.DataFrame:
    dtypes = {
        "jaar": "int64",
        "aantal": "float64",
        "noemer": "float64",
        "per_1000": "float64",
        "onderdrukt": "bool",
        "klein": "bool",
        "berekend": "bool",
        "dekking": "float64",
        "n_leden": "int64",
        "n_met_waarde": "int64",
    }
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "str")) for c in RATE_COLUMNS})


def membership(indeling: pd.DataFrame, *, jaar: int, soort: str = "jeugdregio") -> pd.DataFrame:
    """Members of classification ``soort`` in ``jaar``: gemeente_code, gemeente_naam, regio_*."""
    m = indeling[(indeling["jaar"] == jaar) & (indeling["indeling"] == soort)]
    cols = ["gemeente_code", "gemeente_naam", "regio_code", "regio_naam"]
    return m[cols].drop_duplicates("gemeente_code").reset_index(drop=True)


def aggregate(
    gemeente_rates: pd.DataFrame,
    groups: pd.DataFrame,
    *,
    niveau: str = "jeugdregio",
) -> pd.DataFrame:
    """Rates of groups of gemeenten from gemeente rates (output of :func:`rates`).

    ``groups`` has ``gemeente_code``, ``regio_code``, ``regio_naam`` (one row per member; the
    group's size ``n_leden`` is its number of rows, whether or not a member has data). Count
    and rate are summed over members with both count and denominator; ``dekking`` =
    contributing members / ``n_leden``. A group without any contributing member gets NaN.
    """
    if gemeente_rates.empty or groups.empty:
        return _empty_rates()
    g = groups[["gemeente_code", "regio_code", "regio_naam"]].drop_duplicates("gemeente_code")
    sizes = g.groupby("regio_code").size().rename("n_leden")
    names = g.drop_duplicates("regio_code").set_index("regio_code")["regio_naam"]
    r = gemeente_rates.drop(columns=["regio_naam", "n_leden"]).rename(
        columns={"regio_code": "gemeente_code"}
    )
    r = r.merge(g, on="gemeente_code", how="inner")
    if r.empty:
        return _empty_rates()
    both = r["aantal"].notna() & r["noemer"].notna() & (r["noemer"] > 0)
    r = r.assign(
        _a=r["aantal"].where(both, 0.0),
        _n=r["noemer"].where(both, 0.0),
        _ok=both.astype(int),
        _s=r["status"].map(STATUS_ORDER).fillna(0).astype(int),
    )
    keys = ["regio_code", "periode"]
    agg = r.groupby(keys, sort=True).agg(
        periode_type=("periode_type", "first"),
        jaar=("jaar", "first"),
        indicator=("indicator", "first"),
        aantal=("_a", "sum"),
        noemer=("_n", "sum"),
        n_met_waarde=("_ok", "sum"),
        any_onderdrukt=("onderdrukt", "any"),
        _s=("_s", "max"),
        reeks=("reeks", "first"),
        bron=("bron", "first"),
    )
    agg = agg.reset_index()
    agg["status"] = agg["_s"].map(_STATUS_BY_ORDER)
    agg["n_leden"] = agg["regio_code"].map(sizes).astype("int64")
    agg["regio_naam"] = agg["regio_code"].map(names)
    none = agg["n_met_waarde"] == 0
    agg.loc[none, ["aantal", "noemer"]] = np.nan
    agg["per_1000"] = 1000.0 * agg["aantal"] / agg["noemer"]
    agg["dekking"] = agg["n_met_waarde"] / agg["n_leden"]
    agg["onderdrukt"] = none & agg["any_onderdrukt"]
    agg["klein"] = agg["aantal"].notna() & (agg["aantal"] < SMALL_COUNT)
    agg["regio_niveau"] = niveau
    agg["berekend"] = True
    return agg[list(RATE_COLUMNS)].sort_values(keys, ignore_index=True)


def national(
    df: pd.DataFrame,
    indicator: str,
    *,
    indeling_jaar: int,
    periode_type: str = "jaar",
    gemeenten: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Rates for Nederland: the published ``NL01`` rows, else the sum over all gemeenten."""
    nl = rates(
        df,
        indicator,
        indeling_jaar=indeling_jaar,
        periode_type=periode_type,
        regio_codes=[NEDERLAND],
    )
    nl = nl[nl["aantal"].notna() | nl["onderdrukt"]]
    if not nl.empty:
        return nl.assign(regio_naam="Nederland")
    gem = rates(df, indicator, indeling_jaar=indeling_jaar, periode_type=periode_type)
    gem = gem[gem["regio_niveau"] == "gemeente"]
    codes = list(gemeenten) if gemeenten is not None else sorted(gem["regio_code"].unique())
    groups = pd.DataFrame(
        {"gemeente_code": codes, "regio_code": NEDERLAND, "regio_naam": "Nederland"}
    )
    return aggregate(gem, groups, niveau="land")
