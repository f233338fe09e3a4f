"""Crosswalks between gemeente classifications (herindelingen) and restating counts onto them.

A crosswalk has one row per (``van_code``, ``naar_code``) with ``gewicht`` = the share of the
*from*-gemeente that goes to the *to*-gemeente (the rows of one ``van_code`` sum to 1) and a
``methode`` describing what happened to the from-gemeente:

``ongewijzigd``     same code, one-to-one, nothing else flows in
``samengevoegd``    wholly absorbed into one successor (also the continuing gemeente that absorbs)
``gesplitst``       split over several successors; the code disappears
``grenscorrectie``  the code continues but exchanges territory with continuing neighbours

**Rates are never restated.** :func:`restate_counts` is for additive counts (people, clients,
euros). Percentages, per-1 000 figures and averages must be recomputed from restated numerators
and denominators; summing or weighting them is wrong.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.config import Settings
from analysis.config import settings as _settings
from analysis.geo.boundaries import CRS, _load_cached, fetch_layer, to_rd

__all__ = [
    "CROSSWALK_COLUMNS",
    "METHODES",
    "ConservationError",
    "check_conservation",
    "compose",
    "crosswalk_from_boundaries",
    "crosswalk_from_mergers",
    "load_crosswalk",
    "restate_counts",
]

log = logging.getLogger(__name__)

CROSSWALK_COLUMNS = ["van_code", "van_naam", "naar_code", "naar_naam", "gewicht", "methode"]
METHODES = ("ongewijzigd", "samengevoegd", "gesplitst", "grenscorrectie")
#: attrs flag: codes that are not listed map to themselves (see crosswalk_from_mergers).
IDENTITY_FLAG = "identiteit_overige"
_TOL = 1e-9


class ConservationError(AssertionError):
    """A restated table does not add up to the table it was restated from."""


# -- shared helpers ------------------------------------------------------------------------------
def _classify(van: pd.Series, naar: pd.Series) -> np.ndarray:
    """``methode`` per row of a crosswalk (see module docstring)."""
    df = pd.DataFrame({"van": van.to_numpy(), "naar": naar.to_numpy()})
    naar_codes = set(df["naar"])
    n_targets = df.groupby("van")["naar"].transform("size").to_numpy()
    self_in = (df["van"] == df["naar"]).groupby(df["van"]).transform("any").to_numpy()
    contributors = df.groupby("naar")["van"].agg(lambda s: set(s)).to_dict()
    out = []
    for v, t, k, s in zip(df["van"], df["naar"], n_targets, self_in, strict=True):
        if k > 1:
            out.append("grenscorrectie" if s else "gesplitst")
        elif t != v:
            out.append("samengevoegd")
        else:
            others = contributors[t] - {v}
            if not others:
                out.append("ongewijzigd")
            elif any(o not in naar_codes for o in others):
                out.append("samengevoegd")
            else:
                out.append("grenscorrectie")
    return np.asarray(out, dtype=object)


def _finish(df: pd.DataFrame, *, identity: bool = False) -> pd.DataFrame:
    """Classify, order columns and rows, set attrs."""
    df = df.copy()
    df["methode"] = _classify(df["van_code"], df["naar_code"])
    extra = [c for c in df.columns if c not in CROSSWALK_COLUMNS]
    df = df[CROSSWALK_COLUMNS + extra]
    df = df.sort_values(["van_code", "gewicht", "naar_code"], ascending=[True, False, True])
    df = df.reset_index(drop=True)
    df.attrs[IDENTITY_FLAG] = identity
    return df


def _check_crosswalk(cw: pd.DataFrame, what: str = "crosswalk") -> pd.DataFrame:
    missing = [c for c in ("van_code", "naar_code", "gewicht") if c not in cw.columns]
    if missing:
        raise ValueError(
            f"{what} lacks column(s) {', '.join(missing)}; need {', '.join(CROSSWALK_COLUMNS)}"
        )
    w = pd.to_numeric(cw["gewicht"], errors="coerce")
    if w.isna().any() or (w <= 0).any() or (w > 1 + _TOL).any():
        bad = cw.loc[w.isna() | (w <= 0) | (w > 1 + _TOL), "van_code"].tolist()
        raise ValueError(f"{what}: gewicht must be in (0, 1]; bad for {', '.join(bad[:5])}")
    sums = w.groupby(cw["van_code"]).sum()
    off = sums[(sums - 1).abs() > 1e-6]
    if len(off):
        shown = ", ".join(f"{k}={v:.6f}" for k, v in off.head(5).items())
        raise ValueError(f"{what}: gewicht per van_code must sum to 1; {shown}")
    if cw.duplicated(["van_code", "naar_code"]).any():
        dup = cw.loc[cw.duplicated(["van_code", "naar_code"]), "van_code"].tolist()
        raise ValueError(f"{what}: duplicate van_code/naar_code rows for {', '.join(dup[:5])}")
    out = cw.copy()
    out["gewicht"] = w.astype("float64")
    if "methode" not in out.columns:
        out["methode"] = _classify(out["van_code"], out["naar_code"])
    for col in ("van_naam", "naar_naam"):
        if col not in out.columns:
            out[col] = pd.NA
    out.attrs = dict(cw.attrs)
    return out


def _identity_rows(codes: Iterable[str]) -> pd.DataFrame:
    codes = sorted(set(codes))
    return pd.DataFrame(
        {
            "van_code": codes,
            "van_naam": pd.NA,
            "naar_code": codes,
            "naar_naam": pd.NA,
            "gewicht": 1.0,
            "methode": "ongewijzigd",
        }
    )


# -- building crosswalks -------------------------------------------------------------------------
def _layer(gdf: gpd.GeoDataFrame, what: str) -> gpd.GeoDataFrame:
    for col in ("statcode", "statnaam"):
        if col not in gdf.columns:
            raise ValueError(f"{what} lacks column {col!r}; give boundaries from load_boundaries")
    dup = gdf["statcode"][gdf["statcode"].duplicated()].unique().tolist()
    if dup:
        raise ValueError(f"{what}: statcode not unique: {', '.join(dup[:5])}")
    return to_rd(gdf, what).reset_index(drop=True)


def _area_shares(van: np.ndarray, naar: np.ndarray, tolerance: float) -> pd.DataFrame:
    """Overlap of each (eroded) van geometry with every naar geometry, as shares."""
    probe = shapely.buffer(van, -tolerance) if tolerance > 0 else van
    # a gemeente too thin to survive the erosion is measured unbuffered
    probe = np.where(shapely.is_empty(probe), van, probe)
    i, j = shapely.STRtree(naar).query(probe, predicate="intersects")
    area = shapely.area(shapely.intersection(probe[i], naar[j]))
    df = pd.DataFrame({"i": i, "j": j, "w": area})
    return df[df["w"] > 0]


def _point_shares(
    van: np.ndarray, naar: np.ndarray, points: gpd.GeoDataFrame, col: str
) -> pd.DataFrame:
    pts = np.asarray(points.geometry.values)
    w = pd.to_numeric(points[col], errors="raise").to_numpy(dtype="float64")
    pi, vi = shapely.STRtree(van).query(pts, predicate="within")
    qi, nj = shapely.STRtree(naar).query(pts, predicate="within")
    a = pd.DataFrame({"p": pi, "i": vi}).drop_duplicates("p")
    b = pd.DataFrame({"p": qi, "j": nj}).drop_duplicates("p")
    m = a.merge(b, on="p")
    m["w"] = w[m["p"].to_numpy()]
    return m.groupby(["i", "j"], as_index=False)["w"].sum().query("w > 0")


def crosswalk_from_boundaries(
    van: gpd.GeoDataFrame,
    naar: gpd.GeoDataFrame,
    *,
    weights: pd.Series | None = None,
    min_share: float = 0.01,
    point_weights: gpd.GeoDataFrame | None = None,
    point_weight_col: str | None = None,
    tolerance: float = 250.0,
    keep_persisting: bool = True,
    min_split_share: float = 0.05,
) -> pd.DataFrame:
    """Crosswalk from the gemeenten of one year to another by overlaying their boundaries.

    Shares are area overlaps of the *from*-gemeente, eroded by ``tolerance`` metres, with each
    *to*-gemeente (or sums of ``point_weights[point_weight_col]`` over points inside both, when
    given; a gemeente without points falls back to area). The layers of different years are
    generalised separately: along unchanged borders they differ by ~0.5 km (median Hausdorff
    distance 2024 vs 2025, up to 3 km) and raw overlaps between unchanged gemeenten reach 10-15 %.
    Therefore:

    * ``keep_persisting`` (default): a code present in both layers is the same gemeente
      (CBS gives a merger with a new name a new code) and maps wholly to itself; its overlap with
      neighbours is generalisation noise. Real boundary corrections between continuing
      gemeenten cannot be resolved from generalised layers: use :func:`crosswalk_from_mergers`
      with CBS 70739ned for those. A continuing code keeping < 50 % of its area is mapped by
      area instead, with a warning.
    * pieces below ``min_share`` are dropped; a *vanished* code is only split over successors
      that each get at least ``min_split_share`` (measured noise for vanished codes 2020-2023:
      at most 1.7 % after erosion; the smallest real piece, Haaren to Boxtel in 2021, 7.7 %).
      The remaining shares are renormalised to sum to 1.

    ``weights`` (e.g. population per from-gemeente, indexed by code) is only noted: columns
    ``van_omvang`` and ``omvang`` (= van_omvang x gewicht). Extra columns: ``aandeel``
    (measured share before dropping/renormalising) and ``opmerking``.
    """
    if not 0 <= min_share < 0.5 or not 0 <= min_split_share < 0.5:
        raise ValueError(
            f"min_share ({min_share}) and min_split_share ({min_split_share}) must be in [0, 0.5)"
        )
    a = _layer(van, "van")
    b = _layer(naar, "naar")
    ga, gb = np.asarray(a.geometry.values), np.asarray(b.geometry.values)
    shares = _area_shares(ga, gb, tolerance)
    notes: dict[int, str] = {}
    if point_weights is not None:
        pw = point_weights.to_crs(CRS) if point_weights.crs is not None else None
        if pw is None:
            raise ValueError("point_weights has no CRS")
        col = point_weight_col
        if col is None:
            numeric = [
                c for c in pw.columns if c != "geometry" and pd.api.types.is_numeric_dtype(pw[c])
            ]
            if len(numeric) != 1:
                raise ValueError(
                    f"give point_weight_col=; numeric columns of point_weights: {numeric}"
                )
            col = numeric[0]
        elif col not in pw.columns:
            raise ValueError(f"point_weight_col {col!r} not in {list(pw.columns)}")
        by_points = _point_shares(ga, gb, pw, col)
        covered = set(by_points["i"])
        for i in set(range(len(a))) - covered:
            notes[i] = "geen puntgewichten; oppervlak gebruikt"
        shares = pd.concat([by_points, shares[~shares["i"].isin(covered)]], ignore_index=True)
    missing = sorted(set(range(len(a))) - set(shares["i"]))
    if missing:
        raise ValueError(
            "no overlap with any to-gemeente for "
            + ", ".join(a["statcode"].iloc[missing].tolist()[:10])
        )
    shares["aandeel"] = shares["w"] / shares.groupby("i")["w"].transform("sum")
    shares["van_code"] = a["statcode"].to_numpy()[shares["i"]]
    shares["naar_code"] = b["statcode"].to_numpy()[shares["j"]]

    naar_codes = set(b["statcode"])
    persisting = shares["van_code"].isin(naar_codes)
    self_share = shares.loc[shares["van_code"] == shares["naar_code"]].set_index("i")["aandeel"]
    keep = pd.Series(True, index=shares.index)
    if keep_persisting:
        stable = persisting & shares["i"].map(self_share).fillna(0).ge(0.5)
        keep &= ~stable | (shares["van_code"] == shares["naar_code"])
        for i in sorted(set(shares.loc[persisting & ~stable, "i"])):
            notes[i] = "code blijft, maar < 50 % van het oppervlak; verdeeld naar oppervlak"
            log.warning("%s keeps its code but < 50 %% of its area", a["statcode"].iat[i])
    threshold = np.where(persisting, min_share, max(min_share, min_split_share))
    largest = shares["aandeel"].eq(shares.groupby("i")["aandeel"].transform("max"))
    keep &= (shares["aandeel"] >= threshold) | largest
    cw = shares[keep].copy()
    cw["gewicht"] = cw["aandeel"] / cw.groupby("i")["aandeel"].transform("sum")
    cw["van_naam"] = a["statnaam"].astype("str").str.strip().to_numpy()[cw["i"]]
    cw["naar_naam"] = b["statnaam"].astype("str").str.strip().to_numpy()[cw["j"]]
    cw["opmerking"] = [notes.get(i, "") for i in cw["i"]]
    if weights is not None:
        w = pd.Series(weights)
        unknown = sorted(set(map(str, w.index)) - set(a["statcode"]))
        if unknown:
            raise ValueError(
                f"weights has {len(unknown)} codes that are not from-gemeenten: "
                f"{', '.join(unknown[:5])}"
            )
        cw["van_omvang"] = cw["van_code"].map(w).astype("float64")
        cw["omvang"] = cw["van_omvang"] * cw["gewicht"]
    cw = cw.drop(columns=["i", "j", "w"])
    return _finish(cw)


@functools.lru_cache(maxsize=32)
def _crosswalk_cached(
    van_key: tuple[str, int, int], naar_key: tuple[str, int, int], van_jaar: int, naar_jaar: int
) -> pd.DataFrame:
    van = _load_cached(*van_key, "gemeente", van_jaar)
    naar = _load_cached(*naar_key, "gemeente", naar_jaar)
    cw = crosswalk_from_boundaries(van, naar)
    cw.attrs.update({"van_jaar": van_jaar, "naar_jaar": naar_jaar})
    return cw


def load_crosswalk(
    van_jaar: int, naar_jaar: int, *, settings: Settings | None = None
) -> pd.DataFrame:
    """Gemeente crosswalk ``van_jaar`` -> ``naar_jaar`` from the boundary layers (memoised).

    Uses :func:`crosswalk_from_boundaries` with its defaults on the two gemeente layers.
    """
    s = settings or _settings()
    keys = []
    for year in (van_jaar, naar_jaar):
        path = fetch_layer("gemeente", year, settings=s).resolve()
        st = path.stat()
        keys.append((str(path), st.st_mtime_ns, st.st_size))
    cw = _crosswalk_cached(keys[0], keys[1], int(van_jaar), int(naar_jaar))
    out = cw.copy()
    out.attrs = dict(cw.attrs)
    return out


def crosswalk_from_mergers(
    records: pd.DataFrame,
    *,
    codes: Iterable[str] | None = None,
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Crosswalk from an explicit list of mergers / splits (e.g. derived from CBS 70739ned).

    ``records`` has ``van_code`` and ``naar_code`` and optionally ``gewicht`` (required when a
    code is split over several successors), ``van_naam`` and ``naar_naam``. Codes that are not
    listed map to themselves: pass ``codes`` (all from-codes) to write those identity rows out
    (recommended). Otherwise the result carries ``attrs["identiteit_overige"] = True``:
    :func:`restate_counts` then passes unlisted codes through unchanged and ignores listed codes
    that do not occur in its input at all (it cannot tell a new code from a missing row), and
    :func:`compose` keeps the flag only if both inputs have it. The flag lives in ``attrs`` and
    is lost when the crosswalk is saved to CSV, which makes unknown codes an error again.
    """
    need = [c for c in ("van_code", "naar_code") if c not in records.columns]
    if need:
        raise ValueError(f"records lack column(s) {', '.join(need)}; have {list(records.columns)}")
    df = records.copy()
    for col in ("van_code", "naar_code"):
        df[col] = df[col].astype("str").str.strip()
        if (df[col] == "").any() or records[col].isna().any():
            raise ValueError(f"records: empty {col}")
    if "gewicht" not in df.columns:
        multi = df["van_code"][df["van_code"].duplicated()].unique().tolist()
        if multi:
            raise ValueError(
                f"{', '.join(multi[:5])} listed for several naar_code; give a gewicht column"
            )
        df["gewicht"] = 1.0
    moved = df.loc[df["van_code"] != df["naar_code"], "van_code"]
    chained = sorted(set(df.loc[df["naar_code"] != df["van_code"], "naar_code"]) & set(moved))
    chained = [c for c in chained if not ((df["van_code"] == c) & (df["naar_code"] == c)).any()]
    if chained:
        raise ValueError(
            f"{', '.join(chained[:5])} appear as naar_code and are themselves merged away; "
            "split the list per date and chain the crosswalks with compose()"
        )
    identity = codes is None
    if codes is not None:
        codes = {str(c).strip() for c in codes}
        extra = sorted(set(df["van_code"]) - codes)
        if extra:
            raise ValueError(f"van_code not among codes: {', '.join(extra[:5])}")
        df = pd.concat([df, _identity_rows(codes - set(df["van_code"]))], ignore_index=True)
    names = dict(names or {})
    for side in ("van", "naar"):
        col = f"{side}_naam"
        mapped = df[f"{side}_code"].map(names)
        df[col] = df[col].fillna(mapped) if col in df.columns else mapped
    df = _check_crosswalk(df, "records")
    return _finish(df.drop(columns=["methode"]), identity=identity)


def compose(a_to_b: pd.DataFrame, b_to_c: pd.DataFrame) -> pd.DataFrame:
    """Chain two crosswalks (year a -> b, b -> c) into a -> c; weights multiply."""
    ab = _check_crosswalk(a_to_b, "a_to_b")
    bc = _check_crosswalk(b_to_c, "b_to_c")
    id_ab = bool(a_to_b.attrs.get(IDENTITY_FLAG, False))
    id_bc = bool(b_to_c.attrs.get(IDENTITY_FLAG, False))
    if id_ab:  # codes a_to_b does not list (absorbers included) still go through b_to_c
        ab = pd.concat([ab, _identity_rows(set(bc["van_code"]) - set(ab["van_code"]))])
    missing = sorted(set(ab["naar_code"]) - set(bc["van_code"]))
    if missing:
        if not id_bc:
            raise ValueError(
                f"{len(missing)} codes of a_to_b's target are not from-codes of b_to_c: "
                f"{', '.join(missing[:5])}"
            )
        bc = pd.concat([bc, _identity_rows(missing)], ignore_index=True)
    m = ab[["van_code", "van_naam", "naar_code", "gewicht"]].merge(
        bc[["van_code", "naar_code", "naar_naam", "gewicht"]].rename(
            columns={"van_code": "mid", "naar_code": "to", "gewicht": "g2"}
        ),
        left_on="naar_code",
        right_on="mid",
    )
    m["gewicht"] = m["gewicht"] * m["g2"]
    out = m.groupby(["van_code", "to"], as_index=False, dropna=False).agg(
        van_naam=("van_naam", "first"), naar_naam=("naar_naam", "first"), gewicht=("gewicht", "sum")
    )
    out = out.rename(columns={"to": "naar_code"})
    names_c = bc.dropna(subset=["naar_naam"]).drop_duplicates("naar_code")
    out["naar_naam"] = out["naar_naam"].fillna(
        out["naar_code"].map(names_c.set_index("naar_code")["naar_naam"])
    )
    return _finish(out, identity=id_ab and id_bc)


# -- restating counts ----------------------------------------------------------------------------
def _naam_col(code_col: str) -> str:
    return code_col[: -len("_code")] + "_naam" if code_col.endswith("_code") else "naam"


def _group_sums(df: pd.DataFrame, by: list[str], value_col: str) -> pd.Series:
    if by:
        return df.groupby(by, dropna=False)[value_col].sum()
    return pd.Series([df[value_col].sum()], index=pd.Index(["totaal"], name="groep"))


def check_conservation(
    before: pd.DataFrame,
    after: pd.DataFrame,
    *,
    value_col: str = "waarde",
    by: Sequence[str] = (),
    rtol: float = 1e-9,
    atol: float = 1e-6,
) -> pd.DataFrame:
    """Check that restating kept the total of every ``by`` group (non-missing values).

    Only groups whose restated rows are all ``volledig`` (no missing contributor) are checked;
    returns ``voor``, ``na``, ``verschil``, ``gecontroleerd`` per group and raises
    :class:`ConservationError` if a checked group does not add up.
    """
    by = list(by)
    voor = _group_sums(before, by, value_col)
    na = _group_sums(after, by, value_col)
    if "volledig" in after.columns:
        if by:
            checked = after.groupby(by, dropna=False)["volledig"].all()
        else:
            checked = pd.Series([bool(after["volledig"].all())], index=na.index)
    else:
        checked = pd.Series(True, index=na.index)
    table = pd.DataFrame({"voor": voor, "na": na}).fillna(0.0)
    table["verschil"] = table["na"] - table["voor"]
    table["gecontroleerd"] = checked.reindex(table.index).fillna(False).astype(bool)
    ok = np.isclose(table["na"], table["voor"], rtol=rtol, atol=atol)
    bad = table[table["gecontroleerd"] & ~ok]
    if len(bad):
        raise ConservationError(
            f"restated totals differ in {len(bad)} group(s), e.g. "
            + "; ".join(f"{k}: {r.voor} -> {r.na}" for k, r in bad.head(3).iterrows())
        )
    return table


def restate_counts(
    df: pd.DataFrame,
    crosswalk: pd.DataFrame,
    *,
    code_col: str = "regio_code",
    value_col: str = "waarde",
    by: Sequence[str] = (),
    naam: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Restate an additive count table onto the crosswalk's target classification.

    Each target value is the sum of ``value x gewicht`` over its contributors, per
    (target code, *by). A target is NaN when any contributor is NaN or has no row in ``df`` for
    that group (suppressed stays missing, never 0); ``volledig`` says all contributors were
    present, ``berekend`` that anything other than a one-to-one ``ongewijzigd`` mapping
    contributed, ``n_bronnen`` counts contributing codes. The name column (``<x>_naam`` for
    ``<x>_code``, else ``naam``) comes from ``naam`` or the crosswalk's ``naar_naam``. Other
    columns of ``df`` are dropped. Totals are checked with :func:`check_conservation`.

    Only for counts: rates must be recomputed from restated numerators and denominators.
    """
    by = list(by)
    missing = [c for c in (code_col, value_col, *by) if c not in df.columns]
    if missing:
        raise ValueError(f"df lacks column(s) {', '.join(missing)}; has {list(df.columns)}")
    cw = _check_crosswalk(crosswalk)
    src = df[[code_col, *by, value_col]].copy()
    src[code_col] = src[code_col].astype("str").str.strip()
    src[value_col] = pd.to_numeric(src[value_col], errors="raise").astype("float64")
    dup = src.duplicated([code_col, *by])
    if dup.any():
        raise ValueError(
            f"df has {int(dup.sum())} duplicate rows per ({', '.join([code_col, *by])}), "
            f"e.g. {src.loc[dup, code_col].iloc[0]}; add the distinguishing columns to by="
        )
    unknown = sorted(set(src[code_col]) - set(cw["van_code"]))
    implicit = bool(crosswalk.attrs.get(IDENTITY_FLAG, False))
    if implicit:
        # an implicit crosswalk has no complete code list: codes absent from df are ignored
        cw = cw[cw["van_code"].isin(set(src[code_col]))]
    if unknown:
        if implicit:
            cw = pd.concat([cw, _identity_rows(unknown)], ignore_index=True)
        else:
            raise ValueError(
                f"{len(unknown)} codes in {code_col!r} are not in the crosswalk "
                f"({', '.join(unknown[:5])}{', …' if len(unknown) > 5 else ''}); "
                f"the crosswalk has {cw['van_code'].nunique()} valid from-codes"
            )
    cw = cw[["van_code", "naar_code", "gewicht", "methode"]]
    src = src.rename(columns={code_col: "van_code"})
    touched = src[["van_code", *by]].merge(cw, on="van_code")[["naar_code", *by]]
    touched = touched.drop_duplicates()
    expected = touched.merge(cw, on="naar_code")
    full = expected.merge(src, on=["van_code", *by], how="left")
    full["_part"] = full[value_col] * full["gewicht"]
    full["_missing"] = full["_part"].isna()
    full["_plain"] = (
        (full["methode"] == "ongewijzigd")
        & (full["van_code"] == full["naar_code"])
        & np.isclose(full["gewicht"], 1.0)
    )
    g = full.groupby(["naar_code", *by], dropna=False, sort=True)
    out = g.agg(
        _sum=("_part", "sum"),
        _n_missing=("_missing", "sum"),
        _plain=("_plain", "all"),
        n_bronnen=("van_code", "nunique"),
    ).reset_index()
    out[value_col] = out["_sum"].where(out["_n_missing"] == 0)
    out["volledig"] = out["_n_missing"] == 0
    out["berekend"] = ~out["_plain"].astype(bool)
    out = out.rename(columns={"naar_code": code_col})
    ncol = _naam_col(code_col)
    if naam is None and "naar_naam" in crosswalk.columns:
        known = crosswalk.dropna(subset=["naar_naam"]).drop_duplicates("naar_code")
        naam = dict(zip(known["naar_code"], known["naar_naam"], strict=True))
    out[ncol] = out[code_col].map(dict(naam or {}))
    out = out[[code_col, ncol, *by, value_col, "volledig", "berekend", "n_bronnen"]]
    out["n_bronnen"] = out["n_bronnen"].astype("int64")
    check_conservation(src, out, value_col=value_col, by=by)
    return out
