"""Geometry of the jeugdregio's: contiguity (with the island rule) and compactness.

Input is one (multi)polygon per region in a metric CRS (EPSG:28992), either dissolved from the
member gemeenten or taken from the region layer. Per region:

1. its polygons smaller than ``snipper_km2`` are dropped as slivers (counted in ``n_snippers``);
2. polygons closer than ``aaneengesloten_tolerantie_m`` to each other are joined into one part;
3. the largest part is the ``hoofddeel``; every other part is an ``eiland`` when it lies within
   that tolerance of no other region (separated from the rest of the country by water or the
   national border: Wadden islands, Zeeuws-Vlaanderen) and a ``los deel`` otherwise (reachable
   over land only through another region);
4. ``versnipperd`` when hoofddeel + losse delen >= ``versnipperd_min_delen``.

Compactness over the kept polygons: Polsby–Popper ``4 pi A / P**2`` and the convex-hull ratio
``A / A_hull``; both are 1 for a disc and lower for ragged or elongated shapes (coastlines and
generalisation lower them).
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.strtree import STRtree

from analysis.metadata.cohesion import drempel

__all__ = ["region_parts", "region_geometry"]

SOORT_DEEL = ("hoofddeel", "eiland", "los deel", "snipper")


def _groups(parts: list, tolerance: float) -> list[list[int]]:
    """Union-find of polygon indices closer than ``tolerance``."""
    parent = list(range(len(parts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if parts:
        tree = STRtree(parts)
        left, right = tree.query(parts, predicate="dwithin", distance=tolerance)
        for i, k in zip(left, right, strict=True):
            ri, rk = find(int(i)), find(int(k))
            if ri != rk:
                parent[ri] = rk
    out: dict[int, list[int]] = {}
    for i in range(len(parts)):
        out.setdefault(find(i), []).append(i)
    return list(out.values())


def region_parts(
    regions: gpd.GeoDataFrame,
    *,
    gemeenten: gpd.GeoDataFrame | None = None,
    drempels: Mapping[str, float] | None = None,
) -> gpd.GeoDataFrame:
    """One row per part of each region: ``regio_code, deel, soort, oppervlak_km2, gemeenten``.

    ``regions`` needs ``regio_code`` and a polygonal ``geometry`` in metres. ``gemeenten`` (with
    ``statcode``/``gemeente_code``, ``statnaam``/``gemeente_naam`` and geometry), if given, names
    the gemeenten covering each part.
    """
    sliver = drempel("snipper_km2", drempels) * 1e6
    tol = drempel("aaneengesloten_tolerantie_m", drempels)
    r = regions[["regio_code", "geometry"]].reset_index(drop=True)
    tree = STRtree(r.geometry.values)
    names = None
    if gemeenten is not None:
        g = gemeenten.rename(columns={"statcode": "gemeente_code", "statnaam": "gemeente_naam"})
        names = (
            g.geometry.values,
            g["gemeente_naam"].astype("str").to_numpy(),
            STRtree(g.geometry.values),
        )
    rows = []
    for idx, (code, geom) in enumerate(zip(r["regio_code"], r.geometry.values, strict=True)):
        polys = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
        kept = [p for p in polys if p.area >= sliver]
        for p in polys:
            if p.area < sliver:
                rows.append((code, -1, "snipper", p.area / 1e6, p))
        groups = _groups(kept, tol)
        merged = [shapely.union_all([kept[i] for i in grp]) for grp in groups]
        order = np.argsort([-m.area for m in merged])
        for rank, k in enumerate(order):
            part = merged[k]
            if rank == 0:
                kind = "hoofddeel"
            else:
                near = tree.query(part, predicate="dwithin", distance=tol)
                kind = "los deel" if any(int(n) != idx for n in near) else "eiland"
            rows.append((code, rank + 1, kind, part.area / 1e6, part))
    out = gpd.GeoDataFrame(
        rows, columns=["regio_code", "deel", "soort", "oppervlak_km2", "geometry"], crs=regions.crs
    )
    if names is not None:
        geoms, labels, gtree = names

        def covering(part: shapely.Geometry) -> str:
            hits = gtree.query(part, predicate="intersects")
            shares = [(int(h), shapely.intersection(geoms[h], part).area) for h in hits]
            shares = [
                (labels[h], a)
                for h, a in shares
                if a >= 0.05 * part.area or a >= 0.5 * geoms[h].area
            ]
            return ", ".join(n for n, _ in sorted(shares, key=lambda x: -x[1]))

        out["gemeenten"] = [covering(p) for p in out.geometry.values]
    else:
        out["gemeenten"] = ""
    return out


def region_geometry(
    regions: gpd.GeoDataFrame,
    *,
    gemeenten: gpd.GeoDataFrame | None = None,
    drempels: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Per region: area, parts by kind, ``versnipperd``, Polsby–Popper and convex-hull ratio."""
    min_parts = drempel("versnipperd_min_delen", drempels)
    parts = region_parts(regions, gemeenten=gemeenten, drempels=drempels)
    rows = []
    for code in regions["regio_code"]:
        p = parts[parts["regio_code"] == code]
        kept = p[p["soort"] != "snipper"]
        geom = shapely.union_all(kept.geometry.values) if len(kept) else shapely.Polygon()
        area, perimeter = geom.area, geom.length
        hull = geom.convex_hull.area if not geom.is_empty else 0.0
        n_main = int((kept["soort"] == "hoofddeel").sum())
        n_loose = int((kept["soort"] == "los deel").sum())
        islands = kept[kept["soort"] == "eiland"]
        loose = kept[kept["soort"] == "los deel"]
        rows.append(
            {
                "regio_code": code,
                "oppervlak_km2": area / 1e6,
                "n_delen": len(kept),
                "n_eilanden": len(islands),
                "n_losse_delen": n_loose,
                "n_snippers": int((p["soort"] == "snipper").sum()),
                "eilanden": "; ".join(dict.fromkeys(x for x in islands["gemeenten"] if x)),
                "losse_delen": "; ".join(dict.fromkeys(x for x in loose["gemeenten"] if x)),
                "versnipperd": bool(n_main + n_loose >= min_parts),
                "polsby_popper": 4 * np.pi * area / perimeter**2 if perimeter > 0 else np.nan,
                "convexe_ratio": area / hull if hull > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows)
