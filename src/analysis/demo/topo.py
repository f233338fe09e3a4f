"""Boundaries of Demoland as TopoJSON in the cartomap layout (WGS84, quantised arcs).

One file per layer and year, ``<layer>_<year>.topojson``, holding one GeometryCollection
object named ``<layer>_<year>``; each feature has ``id`` = statcode and the properties
``statcode``, ``jrstatcode``, ``statnaam``, ``rubriek``, ``id`` and ``FID`` as cartomap
writes them. Each ring is its own arc (no shared-arc topology): the first position is
absolute, the others are deltas, all on one quantisation grid given by ``transform``.
Exterior rings are clockwise (as in cartomap). Neighbouring polygons share bit-identical
vertices in RD, so after projection and quantisation their boundaries coincide exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

from analysis.demo.world import Gemeente, World
from analysis.metadata.regions import DEMOLAND_DIVISIONS

#: RD New with the explicit 7-parameter datum shift, so results don't depend on grid files.
RD_PROJ4 = (
    "+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 "
    "+x_0=155000 +y_0=463000 +ellps=bessel "
    "+towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725 +units=m +no_defs"
)
QUANTISATION = 1_000_000
LAYERS = ("gemeente", *DEMOLAND_DIVISIONS)


def rd_to_wgs84(geoms: list[BaseGeometry]) -> list[BaseGeometry]:
    """Project RD New geometries to lon/lat (WGS84)."""
    tr = Transformer.from_crs(CRS.from_proj4(RD_PROJ4), CRS.from_epsg(4326), always_xy=True)

    def fn(xy: np.ndarray) -> np.ndarray:
        lon, lat = tr.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])

    return list(shapely.transform(np.asarray(geoms, dtype=object), fn))


class Quantiser:
    """The shared quantisation grid (TopoJSON ``transform``)."""

    def __init__(self, bounds: tuple[float, float, float, float], q: int = QUANTISATION):
        x0, y0, x1, y1 = bounds
        self.translate = [round(x0, 6), round(y0, 6)]
        self.scale = [(x1 - self.translate[0]) / (q - 1), (y1 - self.translate[1]) / (q - 1)]

    def transform(self) -> dict:
        return {"scale": self.scale, "translate": self.translate}

    def ring(self, coords: np.ndarray) -> np.ndarray:
        q = np.round((coords[:, :2] - np.asarray(self.translate)) / np.asarray(self.scale)).astype(
            np.int64
        )
        keep = np.ones(len(q), dtype=bool)
        keep[1:] = np.any(q[1:] != q[:-1], axis=1)
        q = q[keep]
        if len(q) and np.any(q[0] != q[-1]):
            q = np.vstack([q, q[:1]])
        return q


def _polygons(geom: BaseGeometry) -> list:
    if geom.geom_type == "Polygon":
        return [geom]
    if geom.geom_type == "MultiPolygon":
        return list(geom.geoms)
    raise ValueError(f"unexpected geometry type {geom.geom_type}")


def encode(name: str, features: list[tuple[BaseGeometry, dict, str]], quant: Quantiser) -> dict:
    """A Topology with one GeometryCollection ``name`` from (geometry, properties, id)."""
    arcs: list[list[list[int]]] = []
    geometries = []
    for geom, props, fid in features:
        geom = shapely.orient_polygons(geom, exterior_cw=True)
        polys = []
        for poly in _polygons(geom):
            rings = []
            for k, ring in enumerate([poly.exterior, *poly.interiors]):
                q = quant.ring(np.asarray(ring.coords))
                if len(q) < 4:
                    if k == 0:
                        raise ValueError(f"{fid}: exterior ring collapsed by quantisation")
                    continue
                arc = [q[0].tolist(), *np.diff(q, axis=0).tolist()]
                rings.append([len(arcs)])
                arcs.append(arc)
            polys.append(rings)
        if len(polys) == 1:
            geometries.append({"arcs": polys[0], "type": "Polygon", "properties": props, "id": fid})
        else:
            geometries.append(
                {"arcs": polys, "type": "MultiPolygon", "properties": props, "id": fid}
            )
    return {
        "type": "Topology",
        "arcs": arcs,
        "transform": quant.transform(),
        "objects": {name: {"type": "GeometryCollection", "geometries": geometries}},
    }


def write_geo(world: World, out_dir: Path) -> list[str]:
    """Write every layer for every year; returns the file names (relative to ``out_dir``)."""
    geo_dir = out_dir / "geo"
    geo_dir.mkdir(parents=True, exist_ok=True)
    atoms = rd_to_wgs84(world.atom_geoms)
    bounds = shapely.total_bounds(np.asarray(atoms, dtype=object))
    pad = 0.01
    quant = Quantiser((bounds[0] - pad, bounds[1] - pad, bounds[2] + pad, bounds[3] + pad))
    union_cache: dict[tuple[int, ...], BaseGeometry] = {}

    def union(members: tuple[int, ...]) -> BaseGeometry:
        if members not in union_cache:
            if len(members) == 1:
                union_cache[members] = atoms[members[0]]
            else:
                union_cache[members] = shapely.coverage_union_all(
                    np.asarray([atoms[a] for a in members], dtype=object)
                )
        return union_cache[members]

    written: list[str] = []
    for year in world.years:
        gems: list[Gemeente] = world.gemeenten_in(year)
        layers: dict[str, list[tuple[str, str, tuple[int, ...]]]] = {
            "gemeente": [(g.code, g.name, tuple(sorted(g.atoms))) for g in gems]
        }
        for division in LAYERS[1:]:
            m = world.membership(division, year)
            items = []
            for r, reg in enumerate(world.regions[division]):
                members = tuple(int(a) for a in np.flatnonzero(m == r))
                if members:
                    items.append((reg.code, reg.name, members))
            layers[division] = items
        for layer, items in layers.items():
            name = f"{layer}_{year}"
            feats = []
            for i, (code, label, members) in enumerate(sorted(items)):
                props = {
                    "statcode": code,
                    "jrstatcode": f"{year}{code}",
                    "statnaam": label,
                    "rubriek": layer,
                    "id": i + 1,
                    "FID": f"cbs_{layer}_{year}_gegeneraliseerd.{i + 1}",
                }
                feats.append((union(members), props, code))
            topo = encode(name, feats, quant)
            path = geo_dir / f"{name}.topojson"
            path.write_text(
                json.dumps(topo, separators=(",", ":"), ensure_ascii=False), encoding="utf-8"
            )
            written.append(f"geo/{path.name}")
    return written
