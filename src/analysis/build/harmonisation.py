"""Harmonisation onto the reference classification, aggregation and region totals."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis import registry
from analysis.build.model import BuildReport
from analysis.config import Settings
from analysis.metadata.schema import COLUMNS, VALUE_KEYS

log = logging.getLogger("analysis.build")

# ---------------------------------------------------------------------------------------
# harmonisation and aggregation
# ---------------------------------------------------------------------------------------


def aggregation_rules() -> dict[str, registry.Aggregatie]:
    """Indicator id -> its declared aggregation rule (``registry.Indicator.aggregatie``)."""
    return {i.id: i.aggregatie for i in registry.INDICATORS}


def _gemeente_rows(
    df: pd.DataFrame, rules: Mapping[str, registry.Aggregatie], regel: str
) -> pd.DataFrame:
    """Gemeente rows of the indicators aggregated by ``regel``; shares (``%``) never summed."""
    ids = {k for k, r in rules.items() if r.regel == regel}
    keep = df["regio_niveau"].eq("gemeente") & df["indicator"].isin(ids)
    if regel == "som":
        keep &= df["eenheid"].ne("%")
    return df[keep]


def _additive_gemeente_counts(df: pd.DataFrame) -> pd.DataFrame:
    """Gemeente rows of summed indicators (counts, amounts); never shares."""
    return _gemeente_rows(df, aggregation_rules(), "som")


def harmonise(
    df: pd.DataFrame,
    ref_year: int,
    settings: Settings,
    report: BuildReport,
    crosswalks: dict[int, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Gemeente counts of every classification year restated onto ``ref_year``.

    ``crosswalks`` (year -> crosswalk onto ``ref_year``) is filled for reuse by
    :func:`carry_unchanged_rates`.
    """
    from analysis import geo

    crosswalks = {} if crosswalks is None else crosswalks
    gm = _additive_gemeente_counts(df)
    out = []
    ref_gdf = geo.load_boundaries("gemeente", ref_year, settings=settings)
    ref_names = dict(zip(ref_gdf["statcode"], ref_gdf["statnaam"], strict=True))
    for year, part in gm.groupby("indeling_jaar"):
        year = int(year)
        if year == ref_year:
            out.append(part)
            continue
        try:
            van = geo.load_boundaries("gemeente", year, settings=settings)
        except (FileNotFoundError, ValueError) as exc:
            report.warn(
                f"no gemeente boundaries for {year}; its figures are not restated "
                f"onto {ref_year} ({exc})"
            )
            continue
        cw = geo.crosswalk_from_boundaries(van, ref_gdf)
        crosswalks[year] = cw
        codes = set(part["regio_code"])
        unknown = codes - set(cw["van_code"])
        if unknown:
            report.warn(
                f"{year}: {len(unknown)} codes not in the {year} boundaries "
                f"({', '.join(sorted(unknown)[:5])}); dropped from the restatement"
            )
            part = part[~part["regio_code"].isin(unknown)]
        by = list(VALUE_KEYS)
        restated = geo.restate_counts(
            part, cw, code_col="regio_code", value_col="waarde", by=by, naam=ref_names
        )
        restated["regio_niveau"] = "gemeente"
        restated["indeling_jaar"] = ref_year
        restated["onderdrukt"] = restated["waarde"].isna()
        restated["dekking"] = restated.get("volledig", True)
        restated["dekking"] = restated["dekking"].astype(float)
        if "regio_naam" not in restated:
            restated["regio_naam"] = restated["regio_code"].map(ref_names)
        out.append(restated[COLUMNS])
        # conservation: national totals of complete indicator-periods are unchanged
        for (ind, per), grp in part.groupby(["indicator", "periode"]):
            if grp["waarde"].isna().any():
                continue
            after = restated[(restated["indicator"] == ind) & (restated["periode"] == per)]
            ok = np.isclose(grp["waarde"].sum(), after["waarde"].sum(), rtol=1e-9)
            if not ok:
                report.check(
                    f"conservation {ind} {per} {year}->{ref_year}",
                    False,
                    f"{grp['waarde'].sum()} vs {after['waarde'].sum()}",
                )
        report.check(
            f"harmonised {year}->{ref_year}",
            True,
            f"{part['regio_code'].nunique()} gemeenten -> {restated['regio_code'].nunique()}",
        )
    return pd.concat(out, ignore_index=True) if out else gm.iloc[0:0]


def carry_unchanged_rates(
    df: pd.DataFrame, ref_year: int, crosswalks: dict[int, pd.DataFrame]
) -> pd.DataFrame:
    """Non-additive gemeente figures (CBS's own percentages) onto ``ref_year``, unchanged,
    for gemeenten that map one-to-one (``ongewijzigd``); merged or split gemeenten get none
    (a rate cannot be restated without its numerator and denominator)."""
    additive = {k for k, r in aggregation_rules().items() if r.regel == "som"}
    rates = df[df["regio_niveau"].eq("gemeente") & ~df["indicator"].isin(additive)]
    out = []
    for year, part in rates.groupby("indeling_jaar"):
        cw = crosswalks.get(int(year))
        if cw is None or int(year) == ref_year:
            continue
        into = cw.groupby("naar_code")["van_code"].agg(list)
        one = {
            c
            for c, srcs in into.items()
            if srcs == [c]
            and (cw.loc[cw["naar_code"] == c, "methode"] == "ongewijzigd").all()
            and (cw["van_code"] == c).sum() == 1
        }
        out.append(part[part["regio_code"].isin(one)].assign(indeling_jaar=ref_year))
    return pd.concat(out, ignore_index=True) if out else rates.iloc[0:0]


def _weighted(gm: pd.DataFrame, rules: Mapping[str, registry.Aggregatie]) -> pd.DataFrame:
    """Gemeente rows of weighted-mean indicators with their weight in column ``_w`` (the weight
    indicator's value for the same gemeente, classification and period)."""
    frames = []
    for ind, rule in rules.items():
        if rule.regel != "gewogen_gemiddelde":
            continue
        x = gm[gm["indicator"] == ind]
        w = gm.loc[
            gm["indicator"] == rule.gewicht, ["indeling_jaar", "regio_code", "periode", "waarde"]
        ].rename(columns={"waarde": "_w"})
        frames.append(x.merge(w, on=["indeling_jaar", "regio_code", "periode"], how="left"))
    return pd.concat(frames, ignore_index=True) if frames else gm.iloc[0:0].assign(_w=0.0)


def _weighted_mean(g: pd.DataFrame) -> pd.Series:
    both = g["waarde"].notna() & g["_w"].notna() & (g["_w"] > 0)
    den = g.loc[both, "_w"].sum()
    value = (g.loc[both, "waarde"] * g.loc[both, "_w"]).sum() / den if den > 0 else np.nan
    return pd.Series({"waarde": value, "n": int(both.sum())})


def aggregate(
    df: pd.DataFrame,
    memberships: pd.DataFrame,
    report: BuildReport,
    rules: Mapping[str, registry.Aggregatie] | None = None,
) -> pd.DataFrame:
    """Gemeente values to jeugdregio and provincie per classification year, by each
    indicator's aggregation rule (``rules``, default the registry's): ``som`` sums,
    ``gewogen_gemiddelde`` takes the mean weighted by the weight indicator (gemeenten with
    both values), ``geen`` is left out. ``dekking`` is the share of members that counted."""
    rules = aggregation_rules() if rules is None else rules
    summed = _gemeente_rows(df, rules, "som")
    weighted = _weighted(df[df["regio_niveau"].eq("gemeente")], rules)
    out = []
    for indeling in ("jeugdregio", "provincie"):
        mem = memberships[memberships["indeling"] == indeling]
        if mem.empty:
            continue
        mem = mem[["jaar", "gemeente_code", "regio_code", "regio_naam"]].rename(
            columns={
                "jaar": "indeling_jaar",
                "gemeente_code": "gm",
                "regio_code": "rc",
                "regio_naam": "rn",
            }
        )
        sizes = mem.groupby(["indeling_jaar", "rc"]).size().rename("leden")
        keys = ["indeling_jaar", "rc", "rn", *VALUE_KEYS]
        parts = []
        for rows, how in ((summed, "som"), (weighted, "gewogen_gemiddelde")):
            joined = rows.merge(
                mem,
                left_on=["indeling_jaar", "regio_code"],
                right_on=["indeling_jaar", "gm"],
                how="inner",
            )
            if joined.empty:
                continue
            grouped = joined.groupby(keys, dropna=False)
            if how == "som":
                agg = grouped.agg(
                    waarde=("waarde", lambda s: s.sum(min_count=1)), n=("waarde", "count")
                ).reset_index()
            else:
                agg = grouped[["waarde", "_w"]].apply(_weighted_mean).reset_index()
            parts.append(agg)
        if not parts:
            continue
        agg = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        agg = agg.merge(sizes.reset_index(), on=["indeling_jaar", "rc"], how="left")
        agg["dekking"] = agg["n"] / agg["leden"]
        agg = agg.rename(columns={"rc": "regio_code", "rn": "regio_naam"})
        agg["regio_niveau"] = indeling
        agg["onderdrukt"] = agg["waarde"].isna()
        agg["berekend"] = True
        out.append(agg[COLUMNS])
    return pd.concat(out, ignore_index=True) if out else df.iloc[0:0]


_KEY = ["regio_code", "indeling_jaar", "periode", "indicator"]


def _anti_join(df: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``df`` whose :data:`_KEY` is not in ``other``."""
    if other.empty or df.empty:
        return df
    marks = df[_KEY].merge(other[_KEY].drop_duplicates(), on=_KEY, how="left", indicator=True)
    return df[(marks["_merge"] == "left_only").to_numpy()]


def table_classification(
    df: pd.DataFrame, memberships: pd.DataFrame, report: BuildReport
) -> pd.DataFrame:
    """Put each table's rows on the gemeente classification the table actually uses.

    Current CBS tables (85099NED) publish every period in the newest classification; older
    series use each period's own. When a table's gemeenten with a value do not fit the
    classification of their periods but do fit exactly one later classification year's set
    (the latest not after the table's last period, if several), that year becomes the
    ``indeling_jaar`` of all the table's rows. Recorded as a check.
    """
    if df.empty or memberships.empty:
        return df
    valid = memberships.groupby("jaar")["gemeente_code"].agg(set).to_dict()
    out = []
    for bron, part in df.groupby("bron", sort=False):
        gm = part[(part["regio_niveau"] == "gemeente") & part["waarde"].notna()]
        fits = all(
            set(g["regio_code"]) <= valid[int(y)]
            for y, g in gm.groupby("indeling_jaar")
            if int(y) in valid
        )
        if fits or gm.empty:
            out.append(part)
            continue
        codes = set(gm["regio_code"])
        cands = sorted(int(y) for y, v in valid.items() if codes <= v)
        if not cands:
            out.append(part)
            continue
        last = int(part["jaar"].max())
        year = max([y for y in cands if y <= last] or [min(cands)])
        report.check(
            f"{bron}: one classification for all periods",
            True,
            f"{len(codes)} gemeenten fit the classification of {year}, not that of each period",
        )
        out.append(part.assign(indeling_jaar=year))
    return pd.concat(out, ignore_index=True)


def carry_region_totals(source: pd.DataFrame, memberships: pd.DataFrame, ref: int) -> pd.DataFrame:
    """CBS's own jeugdregio/provincie figures copied onto ``ref`` where the region's members
    are the same in the table's classification and in ``ref`` (else the sum stands in)."""
    cbs = source[source["regio_niveau"].isin(["jeugdregio", "provincie"]) & ~source["berekend"]]
    cbs = cbs[cbs["indeling_jaar"] != ref]
    if cbs.empty or memberships.empty:
        return cbs.iloc[0:0]
    members = (
        memberships.groupby(["indeling", "jaar", "regio_code"])["gemeente_code"]
        .agg(frozenset)
        .to_dict()
    )
    same = {}
    for niveau, year, code in (
        cbs[["regio_niveau", "indeling_jaar", "regio_code"]]
        .drop_duplicates()
        .itertuples(index=False)
    ):
        a = members.get((niveau, int(year), code))
        same[(niveau, year, code)] = a is not None and a == members.get((niveau, ref, code))
    keep = [
        same[(n, y, c)]
        for n, y, c in zip(
            cbs["regio_niveau"], cbs["indeling_jaar"], cbs["regio_code"], strict=True
        )
    ]
    return cbs[keep].assign(indeling_jaar=ref)


def compare_region_totals(tidy: pd.DataFrame, sums: pd.DataFrame, report: BuildReport) -> None:
    """CBS's region figure vs the sum of its gemeenten: the difference, per indicator and level.

    Differences come from suppressed gemeente cells and rounding; neither figure is silently
    preferred: the CBS figure is kept (``berekend=False``) and the comparison is recorded.
    """
    cbs = tidy[tidy["regio_niveau"].isin(["jeugdregio", "provincie"]) & ~tidy["berekend"]]
    if cbs.empty or sums.empty:
        return
    both = cbs.merge(sums[[*_KEY, "waarde", "dekking"]], on=_KEY, suffixes=("", "_som"))
    both = both[both["waarde"].notna() & both["waarde_som"].notna()]
    for (ind, niveau), grp in both.groupby(["indicator", "regio_niveau"]):
        diff = grp["waarde"] - grp["waarde_som"]
        worst = grp.loc[diff.abs().idxmax()]
        report.regiototalen.append(
            {
                "indicator": ind,
                "regio_niveau": niveau,
                "paren": len(grp),
                "gelijk": int((diff == 0).sum()),
                "max_verschil": float(diff.abs().max()),
                "max_verschil_relatief": float((diff.abs() / grp["waarde"].abs()).max()),
                "voorbeeld": f"{worst['regio_code']} {worst['periode']} "
                f"(indeling {worst['indeling_jaar']}): CBS {worst['waarde']:g}, "
                f"som gemeenten {worst['waarde_som']:g}",
            }
        )
        report.check(
            f"CBS {niveau} figures vs sum of gemeenten: {ind}",
            True,
            f"{len(grp)} region-periods, {int((diff == 0).sum())} equal, largest difference "
            f"{diff.abs().max():g} ({worst['regio_code']} {worst['periode']}); CBS figure kept",
        )


#: estimate indicator -> the indicator it stands in for (kept only where that one is missing)
ESTIMATES = {"bevolking_0_17_schatting": "bevolking_0_17"}


def _estimates_only_where_needed(tidy: pd.DataFrame, report: BuildReport) -> pd.DataFrame:
    """Drop estimate rows where the real figure exists; record where estimates remain."""
    for estimate, real in ESTIMATES.items():
        est = tidy["indicator"] == estimate
        if not est.any():
            continue
        have = tidy.loc[(tidy["indicator"] == real) & tidy["waarde"].notna(), _KEY[:3]]
        marks = tidy.loc[est, _KEY[:3]].merge(
            have.drop_duplicates(), on=_KEY[:3], how="left", indicator=True
        )
        covered = pd.Series(False, index=tidy.index)
        covered[est[est].index] = (marks["_merge"] == "both").to_numpy()
        tidy = tidy[~covered]
        left = tidy[(tidy["indicator"] == estimate) & tidy["regio_niveau"].eq("gemeente")]
        if not left.empty:
            years = ", ".join(sorted(left["periode"].unique()))
            report.check(
                f"{estimate} used (no {real})",
                True,
                f"{left['regio_code'].nunique()} gemeenten, periods {years}: labelled as estimate",
            )
    return tidy


def drop_impossible(
    df: pd.DataFrame, memberships: pd.DataFrame, report: BuildReport
) -> pd.DataFrame:
    """Drop gemeente rows for codes that do not exist in that year's classification.

    StatLine tables are full cubes: a gemeente that did not exist in a period still has a row,
    with empty cells ("logically impossible", not suppressed). The typed data set shows both
    as ``null``, so the classification of the year decides. A *value* for a code outside the
    classification means the table uses another classification: kept, and reported.
    """
    valid = memberships.groupby("jaar")["gemeente_code"].agg(set).to_dict()
    gm = df["regio_niveau"].eq("gemeente")
    known_year = df["indeling_jaar"].isin(list(valid))
    in_class = pd.Series(
        [
            c in valid.get(int(y), ())
            for c, y in zip(df["regio_code"], df["indeling_jaar"], strict=True)
        ],
        index=df.index,
    )
    outside = gm & known_year & ~in_class
    with_value = outside & df["waarde"].notna()
    if with_value.any():
        bad = df[with_value]
        report.warn(
            f"{len(bad)} values for gemeente codes outside their year's classification "
            f"(e.g. {bad['regio_code'].iloc[0]} in {bad['indeling_jaar'].iloc[0]}, "
            f"{bad['bron'].iloc[0]}); kept as published"
        )
    dropped = outside & ~with_value
    if dropped.any():
        log.info(
            "dropped %d empty cells of gemeenten outside their year's classification",
            int(dropped.sum()),
        )
    return df[~dropped]


def _dedupe_sources(df: pd.DataFrame, priority: list[str]) -> pd.DataFrame:
    """One value per region/period/indicator/classification: the highest-priority table."""
    rank = {t: i for i, t in enumerate(priority)}
    df = df.assign(_rank=df["bron"].map(rank).fillna(len(rank)))
    key = ["regio_code", "indeling_jaar", "periode", "indicator", "berekend"]
    df = df.sort_values("_rank", kind="stable").drop_duplicates(key, keep="first")
    return df.drop(columns="_rank")
