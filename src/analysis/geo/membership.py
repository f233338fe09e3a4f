"""Gemeente -> region membership from boundary layers, changes between years, dissolving.

Each gemeente is assigned by a point guaranteed to lie inside it (``representative_point``) and
the assignment is verified with the area overlap. The two layers are generalised separately,
so their shared borders do not coincide exactly; ``aandeel_oppervlak`` (share of the gemeente's
area inside its assigned region) is therefore typically 0.9-1.0 rather than exactly 1.
"""

from __future__ import annotations

import functools
import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.config import Settings
from analysis.config import settings as _settings
from analysis.geo.boundaries import CRS, LAYERS, _load_cached, fetch_layer, to_rd
from analysis.metadata.schema import INDELING_COLUMNS

__all__ = [
    "MEMBERSHIP_COLUMNS",
    "dissolve_regions",
    "load_membership",
    "membership_changes",
    "membership_from_boundaries",
]

log = logging.getLogger(__name__)

#: Columns of ``regio_indeling.parquet`` (declared in :mod:`analysis.metadata.schema`).
MEMBERSHIP_COLUMNS = INDELING_COLUMNS


def _require(gdf: pd.DataFrame, cols: list[str], what: str) -> None:
    missing = [c for c in cols if c not in gdf.columns]
    if missing:
        raise ValueError(
            f"{what} lacks column(s) {', '.join(missing)}; has {', '.join(map(str, gdf.columns))}"
        )


def _overlaps(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Index pairs (i into a, j into b) of intersecting geometries and their overlap area."""
    i, j = shapely.STRtree(b).query(a, predicate="intersects")
    area = shapely.area(shapely.intersection(a[i], b[j]))
    keep = area > 0
    return i[keep], j[keep], area[keep]


def membership_from_boundaries(
    gemeenten: gpd.GeoDataFrame,
    regions: gpd.GeoDataFrame,
    *,
    indeling: str,
    jaar: int | None = None,
    bron: str = "",
) -> pd.DataFrame:
    """Assign every gemeente to exactly one region of ``regions``.

    Both frames need ``statcode``, ``statnaam`` and geometry (as from ``load_boundaries``).
    Returns the contract columns (``methode`` = ``grenzen``) plus ``aandeel_oppervlak`` and
    ``opmerking`` (empty unless the point fell in no region or in several, or the point and the
    largest overlap disagree). Regions without any member are listed in
    ``result.attrs["regio_zonder_leden"]`` and logged as a warning.
    """
    if not indeling or not isinstance(indeling, str):
        raise ValueError(
            f"indeling must be a non-empty name such as 'jeugdregio', not {indeling!r}"
        )
    _require(gemeenten, ["statcode", "statnaam"], "gemeenten")
    _require(regions, ["statcode", "statnaam"], "regions")
    if jaar is None:
        years = pd.unique(gemeenten["jaar"]) if "jaar" in gemeenten.columns else []
        if len(years) != 1:
            raise ValueError("give jaar=: gemeenten has no single 'jaar' value")
        jaar = int(years[0])
    gem = to_rd(gemeenten, "gemeenten").reset_index(drop=True)
    reg = to_rd(regions, "regions").reset_index(drop=True)
    g_geom = np.asarray(gem.geometry.values)
    r_geom = np.asarray(reg.geometry.values)
    n = len(gem)

    # area overlaps (verification, fallback) -------------------------------------------------
    oi, oj, oa = _overlaps(g_geom, r_geom)
    overlap = pd.DataFrame({"g": oi, "r": oj, "area": oa})
    g_area = shapely.area(g_geom)
    best_overlap = (
        overlap.sort_values(["g", "area"], ascending=[True, False]).drop_duplicates("g")
    ).set_index("g")["r"]
    area_of = overlap.set_index(["g", "r"])["area"]

    # point assignment -------------------------------------------------------------------------
    pts = shapely.point_on_surface(g_geom)
    pi, pj = shapely.STRtree(r_geom).query(pts, predicate="intersects")
    hits = pd.DataFrame({"g": pi, "r": pj})
    hits["area"] = [area_of.get((g, r), 0.0) for g, r in zip(pi, pj, strict=True)]
    n_hits = hits.groupby("g").size().reindex(range(n), fill_value=0)
    point_choice = (
        hits.sort_values(["g", "area"], ascending=[True, False]).drop_duplicates("g")
    ).set_index("g")["r"]

    codes = gem["statcode"].astype("str").to_numpy()
    assigned = np.empty(n, dtype=np.int64)
    notes: list[str] = []
    for k in range(n):
        note = ""
        if n_hits[k] == 0:
            if k not in best_overlap.index:
                raise ValueError(
                    f"gemeente {codes[k]} ({gem['statnaam'].iat[k]}) lies in no region of "
                    f"{indeling} {jaar}: the layers do not overlap there"
                )
            assigned[k] = best_overlap[k]
            note = "punt in geen regio; regio met grootste overlap gekozen"
        else:
            assigned[k] = point_choice[k]
            if n_hits[k] > 1:
                note = f"punt op grens van {n_hits[k]} regio's; regio met grootste overlap gekozen"
            elif k in best_overlap.index and best_overlap[k] != assigned[k]:
                other = reg["statcode"].iat[int(best_overlap[k])]
                note = f"punt in regio, maar grootste overlap met {other}"
        if note:
            log.warning("%s %s %s: %s", indeling, jaar, codes[k], note)
        notes.append(note)

    share = np.array(
        [area_of.get((k, int(assigned[k])), 0.0) for k in range(n)], dtype="float64"
    ) / np.where(g_area > 0, g_area, np.nan)
    out = pd.DataFrame(
        {
            "jaar": np.full(n, int(jaar), dtype="int64"),
            "gemeente_code": codes,
            "gemeente_naam": gem["statnaam"].astype("str").str.strip().to_numpy(),
            "indeling": indeling,
            "regio_code": reg["statcode"].astype("str").str.strip().to_numpy()[assigned],
            "regio_naam": reg["statnaam"].astype("str").str.strip().to_numpy()[assigned],
            "methode": "grenzen",
            "bron": bron,
            "aandeel_oppervlak": share,
            "opmerking": notes,
        }
    )
    out = out.sort_values("gemeente_code", ignore_index=True)
    empty = sorted(set(reg["statcode"].astype("str")) - set(out["regio_code"]))
    if empty:
        log.warning("%s %s: regions without members: %s", indeling, jaar, ", ".join(empty))
    out.attrs["regio_zonder_leden"] = empty
    return out


@functools.lru_cache(maxsize=64)
def _membership_cached(
    indeling: str, year: int, gem_key: tuple[str, int, int], reg_key: tuple[str, int, int]
) -> pd.DataFrame:
    gem = _load_cached(*gem_key, "gemeente", year)
    reg = _load_cached(*reg_key, indeling, year)
    return membership_from_boundaries(
        gem, reg, indeling=indeling, jaar=year, bron=reg.attrs.get("bron", "")
    )


def load_membership(indeling: str, year: int, *, settings: Settings | None = None) -> pd.DataFrame:
    """Membership gemeente -> ``indeling`` region in ``year`` from the boundary layers (memoised).

    ``bron`` is the region layer's file name, e.g. ``jeugdregio_2023.topojson``.
    """
    if indeling not in LAYERS or indeling == "gemeente":
        valid = ", ".join(k for k in LAYERS if k != "gemeente")
        raise ValueError(f"unknown indeling {indeling!r}; valid: {valid}")
    s = settings or _settings()
    keys = []
    for layer in ("gemeente", indeling):
        path = fetch_layer(layer, year, settings=s).resolve()
        st = path.stat()
        keys.append((str(path), st.st_mtime_ns, st.st_size))
    out = _membership_cached(indeling, year, keys[0], keys[1])
    res = out.copy()
    res.attrs = dict(out.attrs)
    return res


def membership_changes(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Differences between two memberships of the same indeling (``a`` earlier than ``b``).

    Rows: ``soort`` = ``gewisseld`` (present in both, other region), ``nieuw`` (only in ``b``)
    or ``opgeheven`` (only in ``a``); columns ``gemeente_code, gemeente_naam, van_regio,
    naar_regio, van_jaar, naar_jaar, soort`` (+ ``van_regio_naam``, ``naar_regio_naam``).
    """
    cols = ["jaar", "gemeente_code", "gemeente_naam", "regio_code", "regio_naam"]
    for df, what in ((a, "a"), (b, "b")):
        _require(df, cols, f"membership {what}")
        dup = df["gemeente_code"][df["gemeente_code"].duplicated()].unique().tolist()
        if dup:
            raise ValueError(f"membership {what} lists gemeenten twice: {', '.join(dup[:10])}")
    years = []
    for df, what in ((a, "a"), (b, "b")):
        y = pd.unique(df["jaar"])
        if len(y) != 1:
            raise ValueError(f"membership {what} must hold one jaar, has {sorted(y.tolist())}")
        years.append(int(y[0]))
    if "indeling" in a.columns and "indeling" in b.columns:
        ia, ib = set(a["indeling"]), set(b["indeling"])
        if ia != ib or len(ia) != 1:
            raise ValueError(f"compare one indeling at a time; got {sorted(ia)} and {sorted(ib)}")
    m = a[cols[1:]].merge(b[cols[1:]], on="gemeente_code", how="outer", suffixes=("_a", "_b"))
    in_a, in_b = m["regio_code_a"].notna(), m["regio_code_b"].notna()
    soort = np.select(
        [in_a & in_b & (m["regio_code_a"] != m["regio_code_b"]), ~in_a, ~in_b],
        ["gewisseld", "nieuw", "opgeheven"],
        default="",
    )
    out = pd.DataFrame(
        {
            "gemeente_code": m["gemeente_code"],
            "gemeente_naam": m["gemeente_naam_b"].fillna(m["gemeente_naam_a"]),
            "van_regio": m["regio_code_a"],
            "naar_regio": m["regio_code_b"],
            "van_jaar": years[0],
            "naar_jaar": years[1],
            "soort": soort,
            "van_regio_naam": m["regio_naam_a"],
            "naar_regio_naam": m["regio_naam_b"],
        }
    )
    out = out[out["soort"] != ""]
    order = {"gewisseld": 0, "nieuw": 1, "opgeheven": 2}
    out = out.sort_values(
        ["soort", "gemeente_code"], key=lambda s: s.map(order) if s.name == "soort" else s
    )
    return out.reset_index(drop=True)


def dissolve_regions(
    gemeenten: gpd.GeoDataFrame, membership: pd.DataFrame, *, gap: float = 1.0
) -> gpd.GeoDataFrame:
    """One geometry per region: the union of its member gemeenten (EPSG:28992).

    Returns ``regio_code, regio_naam, n_gemeenten, indeling, jaar, geometry``. Gemeenten of one
    layer share their borders (TopoJSON arcs), but repairs and reprojection can leave
    hairline gaps; each member is buffered by ``gap`` metres (mitre joins) before the union and
    the union is shrunk by the same distance, which closes gaps narrower than ``2 * gap``
    without moving the outline. ``gap=0`` gives the plain union.
    """
    _require(gemeenten, ["statcode"], "gemeenten")
    _require(membership, ["gemeente_code", "regio_code", "regio_naam"], "membership")
    for col in ("jaar", "indeling"):
        if col in membership.columns and membership[col].nunique() > 1:
            raise ValueError(
                f"membership holds several {col} values {sorted(membership[col].unique())}; "
                "dissolve one at a time"
            )
    dup = membership["gemeente_code"][membership["gemeente_code"].duplicated()]
    if len(dup):
        raise ValueError(f"membership lists gemeenten twice: {', '.join(dup.unique()[:10])}")
    gem = to_rd(gemeenten, "gemeenten")
    codes = set(gem["statcode"])
    members = set(membership["gemeente_code"])
    if codes != members:
        only_b = sorted(codes - members)
        only_m = sorted(members - codes)
        raise ValueError(
            "gemeenten and membership do not match: "
            f"{len(only_b)} without membership ({', '.join(only_b[:5])}), "
            f"{len(only_m)} without boundary ({', '.join(only_m[:5])})"
        )
    m = membership.set_index("gemeente_code")
    region = m.loc[gem["statcode"], "regio_code"].to_numpy()
    geoms = np.asarray(gem.geometry.values)
    if gap > 0:
        geoms = shapely.buffer(geoms, gap, join_style="mitre")
    rows = []
    for code in sorted(set(region)):
        sel = region == code
        union = shapely.union_all(geoms[sel])
        if gap > 0:
            union = shapely.buffer(union, -gap, join_style="mitre")
        rows.append((code, int(sel.sum()), union))
    names = m.drop_duplicates("regio_code").set_index("regio_code")["regio_naam"]
    out = gpd.GeoDataFrame(
        {
            "regio_code": [r[0] for r in rows],
            "regio_naam": [names[r[0]] for r in rows],
            "n_gemeenten": np.array([r[1] for r in rows], dtype="int64"),
            "indeling": membership["indeling"].iat[0] if "indeling" in m.columns else "",
            "jaar": int(membership["jaar"].iat[0]) if "jaar" in m.columns else pd.NA,
        },
        geometry=gpd.GeoSeries([r[2] for r in rows], crs=CRS),
    )
    return out
