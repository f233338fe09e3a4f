"""Youth-care use: rates per 1 000 youth, comparisons, shares, trends and ranks.

Pure functions on the processed layer (``indicators.parquet``, ``regio_indeling.parquet``; see
``docs/data-contract.md``). Rules that hold throughout:

* A rate is recomputed from a numerator and a denominator of the **same region, period and
  classification** (``indeling_jaar``). The denominator is ``bevolking_0_17`` of the period's
  calendar year (population on 1 January), also for half-years.
* A group of gemeenten (jeugdregio, size class, provincie) gets the rate
  ``sum(counts) / sum(youth 0-17)`` over the members that have **both** values; rates are never
  averaged. ``dekking`` is the share of members (by count) that contributed.
* Suppressed cells stay missing (``NaN`` with ``onderdrukt`` True), never 0. Counts under
  :data:`SMALL_COUNT` are flagged ``klein``.
* Every output row keeps ``status`` and ``reeks``, so a chart can mark provisional periods and
  never join two series segments (the 2020/2021 trend break).
* Codes and numbers only: the Dutch wording (size-class labels, "de jeugdregio X") belongs to
  the report chapter (:mod:`analysis.report.chapters.gebruik.teksten`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.metadata.regions import NEDERLAND, VERGELIJKINGSGROEPEN
from analysis.registry import indicator as _indicator

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


# ----------------------------------------------------------------------------- comparison


def size_classes(
    df: pd.DataFrame, gemeenten: Sequence[str], *, jaar: int, indeling_jaar: int
) -> pd.DataFrame:
    """Size class of each gemeente by ``bevolking_totaal`` in ``jaar`` (else the nearest year).

    Returns ``gemeente_code, bevolking, bevolking_jaar, regio_code (GK1..GK7), regio_naam``
    (the class code too: the chapter words it); gemeenten without any population figure are
    left out.
    """
    pop = select(df, BEVOLKING, indeling_jaar=indeling_jaar, periode_type=("jaar", "peildatum"))
    pop = pop[pop["regio_code"].isin(list(gemeenten)) & pop["waarde"].notna()]
    if pop.empty:
        return pd.DataFrame(
            columns=["gemeente_code", "bevolking", "bevolking_jaar", "regio_code", "regio_naam"]
        )
    pop = pop.assign(_afstand=(pop["jaar"] - jaar).abs(), _later=(pop["jaar"] > jaar).astype(int))
    pop = pop.sort_values(["regio_code", "_afstand", "_later"]).drop_duplicates("regio_code")
    klasse = [f"GK{k + 1}" for k in pop["waarde"].map(grootteklasse)]
    return pd.DataFrame(
        {
            "gemeente_code": pop["regio_code"].to_numpy(),
            "bevolking": pop["waarde"].to_numpy(),
            "bevolking_jaar": pop["jaar"].to_numpy(),
            "regio_code": klasse,
            "regio_naam": klasse,
        }
    )


def group_table(
    df: pd.DataFrame,
    indeling: pd.DataFrame,
    *,
    jaar: int,
    indeling_jaar: int,
    vergelijkingsgroep: str = "grootteklasse",
) -> pd.DataFrame:
    """The comparison group of **every** gemeente of classification ``indeling_jaar``.

    Columns ``gemeente_code, regio_code, regio_naam`` and ``bevolking_jaar`` (size classes:
    year of the population used; else NA).
    ``grootteklasse``: CBS size class by ``bevolking_totaal`` in ``jaar`` (nearest year when
    missing); ``jeugdregio`` / ``provincie``: the region in that classification.
    """
    if vergelijkingsgroep not in VERGELIJKINGSGROEPEN:
        raise ValueError(
            f"unknown vergelijkingsgroep {vergelijkingsgroep!r}; "
            f"valid: {', '.join(VERGELIJKINGSGROEPEN)}"
        )
    cols = ["gemeente_code", "regio_code", "regio_naam", "bevolking_jaar"]
    if vergelijkingsgroep in ("jeugdregio", "provincie"):
        m = membership(indeling, jaar=indeling_jaar, soort=vergelijkingsgroep)
        return m.assign(bevolking_jaar=pd.NA)[cols]
    all_gem = indeling.loc[indeling["jaar"] == indeling_jaar, "gemeente_code"].unique()
    classes = size_classes(df, list(all_gem), jaar=jaar, indeling_jaar=indeling_jaar)
    return classes[cols].reset_index(drop=True)


def comparison_groups(
    df: pd.DataFrame,
    indeling: pd.DataFrame,
    gemeente_code: str,
    *,
    jaar: int,
    indeling_jaar: int,
    vergelijkingsgroep: str = "grootteklasse",
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Members of the gemeente's comparison group (including the gemeente itself).

    Returns ``gemeente_code, regio_code, regio_naam`` with, for size classes,
    ``attrs['bevolking_jaar']``; empty when the group cannot be formed. ``table``: a
    precomputed :func:`group_table`.
    """
    if table is None:
        table = group_table(
            df,
            indeling,
            jaar=jaar,
            indeling_jaar=indeling_jaar,
            vergelijkingsgroep=vergelijkingsgroep,
        )
    cols = ["gemeente_code", "regio_code", "regio_naam"]
    own = table.loc[table["gemeente_code"] == gemeente_code]
    if own.empty:
        return pd.DataFrame(columns=cols)
    out = table.loc[table["regio_code"] == own["regio_code"].iat[0], cols].reset_index(drop=True)
    if not pd.isna(own["bevolking_jaar"].iat[0]):
        out.attrs["bevolking_jaar"] = int(own["bevolking_jaar"].iat[0])
    return out


@dataclass(frozen=True)
class ComparisonFrames:
    """Dataset-wide rates of one indicator for all comparison levels (compute once, look up
    per gemeente with :func:`compare_from`)."""

    indicator: str
    vergelijkingsgroep: str
    gemeente: pd.DataFrame
    jeugdregio: pd.DataFrame
    groep: pd.DataFrame
    nederland: pd.DataFrame
    leden: pd.DataFrame
    groepen: pd.DataFrame
    #: look-up tables built on first use by :func:`compare_from` (per period)
    _index: dict = field(default_factory=dict, repr=False, compare=False)

    def _first_rows(self, level: str, periode: str) -> dict:
        """``{regio_code: position}`` of the first row per region in ``periode`` of frame
        ``level`` (key None: the first row of the period), and the period's rows."""
        key = (level, periode)
        if key not in self._index:
            frame = getattr(self, level)
            sel = frame[frame["periode"] == periode]
            first: dict = {}
            for i, code in enumerate(sel["regio_code"].tolist()):
                first.setdefault(code, i)
            if len(sel):
                first[None] = 0
            self._index[key] = (sel, first)
        return self._index[key]

    def _own(self, table: str, gemeente_code: str) -> dict | None:
        """The first row of ``gemeente_code`` in ``leden`` / ``groepen`` (None if absent)."""
        key = (table, "gemeente_code")
        if key not in self._index:
            frame = getattr(self, table)
            first: dict = {}
            for i, code in enumerate(frame["gemeente_code"].tolist()):
                first.setdefault(code, i)
            self._index[key] = first
        i = self._index[key].get(gemeente_code)
        return None if i is None else getattr(self, table).iloc[i].to_dict()


def comparison_frames(
    df: pd.DataFrame,
    indeling: pd.DataFrame,
    indicator: str,
    *,
    jaar: int,
    indeling_jaar: int,
    vergelijkingsgroep: str = "grootteklasse",
    periode_type: str = "jaar",
) -> ComparisonFrames:
    """Rates of ``indicator`` for every gemeente, jeugdregio, comparison group and Nederland."""
    gem = rates(df, indicator, indeling_jaar=indeling_jaar, periode_type=periode_type)
    gem = gem[gem["regio_niveau"] == "gemeente"].reset_index(drop=True)
    leden = membership(indeling, jaar=indeling_jaar, soort="jeugdregio")
    table = group_table(
        df,
        indeling,
        jaar=jaar,
        indeling_jaar=indeling_jaar,
        vergelijkingsgroep=vergelijkingsgroep,
    )
    all_gem = indeling.loc[indeling["jaar"] == indeling_jaar, "gemeente_code"].unique()
    return ComparisonFrames(
        indicator=indicator,
        vergelijkingsgroep=vergelijkingsgroep,
        gemeente=gem,
        jeugdregio=aggregate(gem, leden, niveau="jeugdregio"),
        groep=aggregate(gem, table, niveau=vergelijkingsgroep),
        nederland=national(
            df,
            indicator,
            indeling_jaar=indeling_jaar,
            periode_type=periode_type,
            gemeenten=list(all_gem),
        ),
        leden=leden,
        groepen=table,
    )


def compare_from(frames: ComparisonFrames, gemeente_code: str, periode: str) -> pd.DataFrame:
    """One period of a gemeente beside its jeugdregio, comparison group and Nederland.

    Rows (``rol``): ``gemeente``, ``jeugdregio``, ``vergelijkingsgroep`` (left out when it is
    the jeugdregio itself or cannot be formed), ``nederland``; columns ``rol`` plus
    :data:`RATE_COLUMNS`. A level without data is present with NaN values (but its
    ``regio_code`` and ``regio_naam``).
    """
    own_jz = frames._own("leden", gemeente_code)
    naam = own_jz["gemeente_naam"] if own_jz is not None else gemeente_code
    parts: list[tuple[str, str, str, str | None]] = [("gemeente", naam, "gemeente", gemeente_code)]
    if own_jz is not None:
        parts.append(("jeugdregio", own_jz["regio_naam"], "jeugdregio", own_jz["regio_code"]))
    if frames.vergelijkingsgroep != "jeugdregio":
        own = frames._own("groepen", gemeente_code)
        if own is not None:
            parts.append(("vergelijkingsgroep", own["regio_naam"], "groep", own["regio_code"]))
    parts.append(("nederland", "Nederland", "nederland", None))
    rows = []
    for rol, regio_naam, level, code in parts:
        sel, first = frames._first_rows(level, periode)
        pos = first.get(code)
        if pos is None:
            row = {c: np.nan for c in RATE_COLUMNS}
            row.update(
                regio_code=code,
                regio_naam=regio_naam,
                periode=periode,
                indicator=frames.indicator,
                onderdrukt=False,
                klein=False,
                status=None,
                n_met_waarde=0,
                n_leden=0,
            )
        else:
            row = sel.iloc[pos].to_dict()
        row["rol"] = rol
        rows.append(row)
    return pd.DataFrame(rows, columns=["rol", *RATE_COLUMNS])


def compare(
    df: pd.DataFrame,
    indeling: pd.DataFrame,
    gemeente_code: str,
    indicator: str,
    *,
    jaar: int,
    indeling_jaar: int,
    vergelijkingsgroep: str = "grootteklasse",
    periode: str | None = None,
) -> pd.DataFrame:
    """:func:`compare_from` on freshly computed :func:`comparison_frames` (see there)."""
    periode = str(jaar) if periode is None else periode
    ptype = "halfjaar" if "H" in periode.upper() else "jaar"
    frames = comparison_frames(
        df,
        indeling,
        indicator,
        jaar=jaar,
        indeling_jaar=indeling_jaar,
        vergelijkingsgroep=vergelijkingsgroep,
        periode_type=ptype,
    )
    return compare_from(frames, gemeente_code, periode)


# ----------------------------------------------------------------------------- shares, ranks


def share(
    df: pd.DataFrame,
    teller: str,
    noemer: str,
    *,
    indeling_jaar: int,
    periode_type: str = "jaar",
    groups: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Share (%) of indicator ``teller`` in ``noemer`` per region and period.

    Without ``groups``: per region as published. With ``groups`` (``gemeente_code``,
    ``regio_code``, ``regio_naam``): summed over members that have both counts, with
    ``dekking``. Columns: regio_code, regio_naam, periode, jaar, teller, noemer, aandeel,
    status, reeks, dekking, n_leden, n_met_waarde, onderdrukt.
    """
    t = select(df, teller, indeling_jaar=indeling_jaar, periode_type=periode_type)
    n = select(df, noemer, indeling_jaar=indeling_jaar, periode_type=periode_type)
    keys = ["regio_code", "periode"]
    m = t[[*keys, "regio_naam", "jaar", "waarde", "status", "reeks", "onderdrukt"]].merge(
        n[[*keys, "waarde", "status", "onderdrukt"]],
        on=keys,
        how="outer",
        suffixes=("_t", "_n"),
    )
    m["status"] = [worst_status([a, b]) for a, b in zip(m["status_t"], m["status_n"], strict=True)]
    m["onderdrukt"] = m["onderdrukt_t"].fillna(False).astype(bool) | m["onderdrukt_n"].fillna(
        False
    ).astype(bool)
    both = m["waarde_t"].notna() & m["waarde_n"].notna() & (m["waarde_n"] > 0)
    m = m.rename(columns={"waarde_t": "teller", "waarde_n": "noemer"})
    cols = [
        "regio_code",
        "regio_naam",
        "periode",
        "jaar",
        "teller",
        "noemer",
        "aandeel",
        "status",
        "reeks",
        "dekking",
        "n_leden",
        "n_met_waarde",
        "onderdrukt",
    ]
    if groups is None:
        m["aandeel"] = np.where(both, 100.0 * m["teller"] / m["noemer"].where(both, 1.0), np.nan)
        m["dekking"] = 1.0
        m["n_leden"] = 1
        m["n_met_waarde"] = both.astype(int)
        return m[cols].sort_values(keys, ignore_index=True)
    g = groups[["gemeente_code", "regio_code", "regio_naam"]].drop_duplicates("gemeente_code")
    sizes = g.groupby("regio_code").size()
    names = g.drop_duplicates("regio_code").set_index("regio_code")["regio_naam"]
    m = m.drop(columns=["regio_naam"]).rename(columns={"regio_code": "gemeente_code"})
    m = m.merge(g, on="gemeente_code", how="inner")
    if m.empty:
        return pd.DataFrame(columns=cols)
    both = m["teller"].notna() & m["noemer"].notna() & (m["noemer"] > 0)
    m = m.assign(_t=m["teller"].where(both, 0.0), _n=m["noemer"].where(both, 0.0), _ok=both)
    agg = (
        m.groupby(keys)
        .agg(
            jaar=("jaar", "first"),
            teller=("_t", "sum"),
            noemer=("_n", "sum"),
            n_met_waarde=("_ok", "sum"),
            status=("status", worst_status),
            reeks=("reeks", "first"),
            any_onderdrukt=("onderdrukt", "any"),
        )
        .reset_index()
    )
    agg["n_leden"] = agg["regio_code"].map(sizes).astype("int64")
    agg["regio_naam"] = agg["regio_code"].map(names)
    none = agg["n_met_waarde"] == 0
    agg.loc[none, ["teller", "noemer"]] = np.nan
    agg["aandeel"] = 100.0 * agg["teller"] / agg["noemer"]
    agg["dekking"] = agg["n_met_waarde"] / agg["n_leden"]
    agg["onderdrukt"] = none & agg["any_onderdrukt"]
    return agg[cols].sort_values(keys, ignore_index=True)


def share_met_verblijf(
    df: pd.DataFrame,
    *,
    indeling_jaar: int,
    periode_type: str = "jaar",
    groups: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Share (%) of youth with jeugdhulp that had jeugdhulp met verblijf (see :func:`share`)."""
    return share(
        df,
        "jongeren_met_jeugdhulp_met_verblijf",
        "jongeren_met_jeugdhulp",
        indeling_jaar=indeling_jaar,
        periode_type=periode_type,
        groups=groups,
    )


def rank_in_region(
    gemeente_rates: pd.DataFrame, members: pd.DataFrame, periode: str
) -> pd.DataFrame:
    """Member gemeenten of one region ranked by ``per_1000`` in ``periode`` (1 = highest).

    Members without a rate (suppressed or missing) get no rank and sort last. Columns:
    gemeente_code, gemeente_naam, aantal, noemer, per_1000, onderdrukt, klein, status,
    rang, n_gerangschikt.
    """
    m = members[["gemeente_code", "gemeente_naam"]].drop_duplicates("gemeente_code")
    r = gemeente_rates[gemeente_rates["periode"] == periode]
    r = r[["regio_code", "aantal", "noemer", "per_1000", "onderdrukt", "klein", "status"]]
    out = m.merge(r, left_on="gemeente_code", right_on="regio_code", how="left")
    out = out.drop(columns=["regio_code"])
    out["onderdrukt"] = out["onderdrukt"].fillna(False).astype(bool)
    out["klein"] = out["klein"].fillna(False).astype(bool)
    out["rang"] = out["per_1000"].rank(ascending=False, method="min").astype("Int64")
    out["n_gerangschikt"] = int(out["per_1000"].notna().sum())
    out = out.sort_values(["rang", "gemeente_naam"], na_position="last", ignore_index=True)
    return out


# ----------------------------------------------------------------------------- trends


def trend(frame: pd.DataFrame, regio_code: str, *, value: str = "per_1000", since: int = 2015):
    """Time series of one region from a rates/aggregate frame, ready for a trend chart.

    Columns: periode, jaar, x (year, or year + 0.25/0.75 for half-years), waarde, reeks,
    status, voorlopig (status is not ``definitief``), onderdrukt. Sorted by ``x``; the
    ``reeks`` column tells where a series segment ends (never bridge two segments).
    """
    f = frame[(frame["regio_code"] == regio_code) & (frame["jaar"] >= since)]
    out = pd.DataFrame(
        {
            "periode": f["periode"].astype("str").to_numpy(),
            "jaar": f["jaar"].astype("int64").to_numpy(),
            "x": [
                periode_x(p, j, t)
                for p, j, t in zip(f["periode"], f["jaar"], f["periode_type"], strict=True)
            ],
            "waarde": f[value].astype("float64").to_numpy(),
            "reeks": f["reeks"].fillna("").astype("str").to_numpy(),
            "status": f["status"].fillna("definitief").astype("str").to_numpy(),
            "onderdrukt": f["onderdrukt"].fillna(False).astype(bool).to_numpy(),
        }
    )
    out["voorlopig"] = out["status"] != "definitief"
    return out.sort_values("x", ignore_index=True)


def _segment_starts(series: pd.DataFrame) -> np.ndarray:
    """Row positions where a ``reeks`` run starts (always 0; a missing ``reeks`` is a run of
    its own, as it differs from everything)."""
    r = series["reeks"]
    return np.flatnonzero((r != r.shift()).to_numpy(dtype=bool))


def segments(series: pd.DataFrame) -> list[pd.DataFrame]:
    """Split a :func:`trend` series into its ``reeks`` segments (consecutive runs)."""
    if series.empty:
        return []
    bounds = [*_segment_starts(series), len(series)]
    return [
        series.iloc[a:b].reset_index(drop=True) for a, b in zip(bounds, bounds[1:], strict=False)
    ]


def breaks(series: pd.DataFrame) -> list[tuple[float, str]]:
    """Positions and labels of trend breaks (``reeks`` changes), e.g. ``(2020.5, '2020/2021')``."""
    if series.empty:
        return []
    x, jaar = series["x"].to_numpy(), series["jaar"].to_numpy()
    return [
        ((x[i - 1] + x[i]) / 2, f"{jaar[i - 1]}/{jaar[i]}") for i in _segment_starts(series)[1:]
    ]


def trend_change(series: pd.DataFrame) -> dict[str, object] | None:
    """First and last value of the **last** series segment (no comparison across a break).

    Returns None when the last segment has fewer than two values.
    """
    segs = segments(series.dropna(subset=["waarde"]))
    if not segs or len(segs[-1]) < 2:
        return None
    last = segs[-1]
    return {
        "van_periode": last["periode"].iat[0],
        "tot_periode": last["periode"].iat[-1],
        "van": float(last["waarde"].iat[0]),
        "tot": float(last["waarde"].iat[-1]),
        "voorlopig": bool(last["voorlopig"].iat[-1]),
        "reeks_begin": segs[-1]["periode"].iat[0],
        "n_reeksen": len(segs),
    }


def indicator_label(indicator_id: str) -> str:
    """The registry label of an indicator."""
    return _indicator(indicator_id).label


def latest_period_with_data(
    df: pd.DataFrame,
    indicators: Sequence[str],
    *,
    indeling_jaar: int,
    jaar: int,
    periode_type: str = "jaar",
) -> int | None:
    """The calendar year ``jaar`` if any of ``indicators`` has a row for it, else the latest
    earlier year with rows; None when there is none."""
    rows = select(df, indicators, indeling_jaar=indeling_jaar, periode_type=periode_type)
    if rows.empty:
        return None
    years = sorted(set(rows["jaar"].astype(int)))
    if jaar in years:
        return jaar
    earlier = [y for y in years if y < jaar]
    return earlier[-1] if earlier else None
