"""A small TopoJSON decoder in numpy + shapely (no GDAL).

TopoJSON stores each shared boundary once, as an *arc*. With a ``transform`` the arc positions
are quantised integers, delta-encoded (each position is the offset from the previous one) and
mapped back with ``x = q_x * scale_x + translate_x``. A ring is a list of arc indices; a
negative index ``i`` means arc ``~i`` (= ``-i - 1``) traversed backwards; consecutive arcs share
their end/start point, which is written once. Polygons are lists of rings (first = exterior,
others = holes), MultiPolygons lists of polygons.

Decoding happens in the quantised integer space first, so ring closure is checked exactly (a
ring that does not close means a damaged file), then the file's own ``transform`` is applied.
Rings with fewer than four positions (collapsed by quantisation) are dropped and counted;
invalid polygons are repaired with :func:`shapely.make_valid` only where needed and counted.
The counts are in ``gdf.attrs``: ``object``, ``transform``, ``n_features``, ``n_repaired``,
``repaired`` (feature ids), ``n_degenerate_rings``.

Why not GDAL's TopoJSON driver: on the intact real files it gives exactly these geometries
(after the same repair), but on a damaged file it answers silently with a wrong map (a ring
that does not close is closed with a straight line; a missing arc is skipped), where this
decoder raises :class:`TopoJSONError` naming the file and feature. See
``tests/hardening/test_data_topojson.py``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from itertools import chain
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["TopoJSONError", "read_topojson", "repair"]

log = logging.getLogger(__name__)

POLYGONAL = {"Polygon", "MultiPolygon"}
GEOMETRY_TYPES = POLYGONAL | {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "GeometryCollection",
}


class TopoJSONError(ValueError):
    """The input is not (valid) TopoJSON, or the requested object is not in it."""


def _load_json(source: Path | bytes | str) -> dict[str, Any]:
    """Parse ``source``: a path, raw bytes, or a JSON text (a str starting with ``{``)."""
    label: str
    if isinstance(source, bytes | bytearray | memoryview):
        raw = bytes(source)
        label = f"<{len(raw)} bytes>"
    elif isinstance(source, str) and source.lstrip().startswith("{"):
        raw = source.encode("utf-8")
        label = "<json text>"
    elif isinstance(source, str | Path):
        path = Path(source)
        raw = path.read_bytes()
        label = str(path)
    else:
        raise TypeError(
            f"source must be a Path, bytes or str (path or JSON text), not {type(source).__name__}"
        )
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TopoJSONError(f"{label} is not valid JSON (truncated or damaged?): {exc}") from exc
    if not isinstance(data, dict) or data.get("type") != "Topology":
        got = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise TopoJSONError(f"{label} is not a TopoJSON Topology (type = {got!r})")
    if not isinstance(data.get("objects"), dict) or not data["objects"]:
        raise TopoJSONError(f"{label} has no 'objects'")
    if not isinstance(data.get("arcs", []), list):
        raise TopoJSONError(f"{label}: 'arcs' must be a list")
    data["_label"] = label
    return data


def _transform(topology: dict[str, Any]) -> tuple[np.ndarray, np.ndarray] | None:
    tr = topology.get("transform")
    if tr is None:
        return None
    try:
        scale = np.asarray(tr["scale"], dtype="float64")[:2]
        translate = np.asarray(tr["translate"], dtype="float64")[:2]
    except (KeyError, TypeError, ValueError) as exc:
        raise TopoJSONError(f"invalid transform {tr!r}: {exc}") from exc
    if scale.shape != (2,) or translate.shape != (2,):
        raise TopoJSONError(f"invalid transform {tr!r}: need 2 scale and 2 translate values")
    return scale, translate


def _decode_arcs(arcs: list, quantised: bool) -> tuple[np.ndarray, np.ndarray]:
    """All arcs as one (n, 2) array of absolute (still quantised) positions + arc offsets."""
    lens = np.fromiter((len(a) for a in arcs), dtype=np.int64, count=len(arcs))
    offsets = np.zeros(len(arcs) + 1, dtype=np.int64)
    np.cumsum(lens, out=offsets[1:])
    total = int(offsets[-1])
    try:
        flat = np.fromiter(chain.from_iterable(chain.from_iterable(arcs)), dtype="float64")
        if flat.size != 2 * total:
            raise ValueError("positions are not all [x, y]")
        pts = flat.reshape(total, 2)
    except (ValueError, TypeError):
        # Positions with more than two values (e.g. z): keep x and y only.
        try:
            pts = np.array([p[:2] for a in arcs for p in a], dtype="float64").reshape(total, 2)
        except (ValueError, TypeError, IndexError) as exc:
            raise TopoJSONError(f"arcs hold malformed positions: {exc}") from exc
    if quantised and total:
        cs = np.cumsum(pts, axis=0)
        starts = offsets[:-1][lens > 0]
        base = np.zeros((len(arcs), 2))
        nonempty = np.flatnonzero(lens > 0)
        before = starts - 1
        base[nonempty] = np.where((before >= 0)[:, None], cs[np.maximum(before, 0)], 0.0)
        pts = cs - np.repeat(base, lens, axis=0)
    return pts, offsets


class _Decoder:
    def __init__(self, topology: dict[str, Any]) -> None:
        self.label = topology.get("_label", "<topology>")
        self.tr = _transform(topology)
        self.pts, self.offsets = _decode_arcs(topology.get("arcs", []), self.tr is not None)
        self.n_arcs = len(self.offsets) - 1
        self.n_degenerate = 0

    # -- coordinates -------------------------------------------------------------------------
    def _apply(self, q: np.ndarray) -> np.ndarray:
        if self.tr is None:
            return q
        scale, translate = self.tr
        return q * scale + translate

    def _position(self, pos: Sequence[float]) -> np.ndarray:
        """A Point position: quantised but *not* delta-encoded."""
        return self._apply(np.asarray(pos, dtype="float64")[:2])

    def _check_refs(self, refs: np.ndarray, where: str) -> None:
        if refs.size:
            idx = np.where(refs < 0, ~refs, refs)
            bad = (idx >= self.n_arcs) | (idx < 0)
            if bad.any():
                raise TopoJSONError(
                    f"{self.label}: {where} references arc {int(refs[bad][0])}, "
                    f"but there are only {self.n_arcs} arcs (0..{self.n_arcs - 1})"
                )

    def _chain(self, refs: np.ndarray, group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Join arc references into sequences; ``group`` (non-decreasing) numbers the sequences.

        Returns quantised coordinates and, per coordinate, its group number.
        """
        arc = np.where(refs < 0, ~refs, refs)
        n = self.offsets[arc + 1] - self.offsets[arc]
        first = np.ones(len(refs), dtype=bool)
        first[1:] = group[1:] != group[:-1]
        # each later arc in a sequence repeats the previous arc's last position: skip it
        counts = np.where(first, n, np.maximum(n - 1, 0))
        total = int(counts.sum())
        ref_of_pt = np.repeat(np.arange(len(refs)), counts)
        start = np.zeros(len(refs), dtype=np.int64)
        np.cumsum(counts[:-1], out=start[1:])
        k = np.arange(total) - start[ref_of_pt] + (~first[ref_of_pt])
        rev = refs[ref_of_pt] < 0
        a = arc[ref_of_pt]
        pos = np.where(rev, n[ref_of_pt] - 1 - k, k) + self.offsets[a]
        return self.pts[pos], group[ref_of_pt]

    # -- polygons (vectorised over the whole layer) ------------------------------------------
    def polygons(self, geoms: list[dict[str, Any]], where: str) -> list[BaseGeometry | None]:
        """Decode a list of Polygon / MultiPolygon geometry objects."""
        refs: list[int] = []
        ref_ring: list[int] = []
        ring_poly: list[int] = []
        poly_geom: list[int] = []
        ring_id = poly_id = 0
        for gi, g in enumerate(geoms):
            arcs = g.get("arcs")
            if arcs is None:
                raise TopoJSONError(f"{self.label}: {where} feature {gi} has no 'arcs'")
            polys = [arcs] if g["type"] == "Polygon" else arcs
            for poly in polys:
                for ring in poly:
                    if not ring:
                        continue
                    refs.extend(ring)
                    ref_ring.extend([ring_id] * len(ring))
                    ring_poly.append(poly_id)
                    ring_id += 1
                poly_geom.append(gi)
                poly_id += 1
        out: list[BaseGeometry | None] = [None] * len(geoms)
        if not refs:
            return out
        r = np.asarray(refs, dtype=np.int64)
        self._check_refs(r, where)
        q, ring_of_pt = self._chain(r, np.asarray(ref_ring, dtype=np.int64))
        n_rings = ring_id
        # ring sizes, first / last positions
        size = np.bincount(ring_of_pt, minlength=n_rings)
        end = np.cumsum(size)
        begin = end - size
        open_ = np.zeros(n_rings, dtype=bool)
        ne = np.flatnonzero(size > 0)
        open_[ne] = np.any(q[begin[ne]] != q[end[ne] - 1], axis=1)
        if open_.any():
            bad = int(np.flatnonzero(open_)[0])
            feat = poly_geom[ring_poly[bad]]
            raise TopoJSONError(
                f"{self.label}: {where} feature {feat}: a ring does not close "
                f"({int(open_.sum())} open rings); the file is damaged"
            )
        ok_ring = size >= 4
        self.n_degenerate += int((~ok_ring).sum())
        ring_poly_a = np.asarray(ring_poly, dtype=np.int64)
        # a polygon whose exterior collapsed is dropped with its holes
        first_ring = np.ones(n_rings, dtype=bool)
        first_ring[1:] = ring_poly_a[1:] != ring_poly_a[:-1]
        shell_ok = np.zeros(poly_id, dtype=bool)
        shell_ok[ring_poly_a[first_ring]] = ok_ring[first_ring]
        keep_ring = ok_ring & shell_ok[ring_poly_a]
        keep_pt = keep_ring[ring_of_pt]
        coords = self._apply(q[keep_pt])
        if not keep_ring.any():
            return out
        # renumber kept rings and polygons consecutively (shapely wants dense indices)
        _, ring_idx = np.unique(ring_of_pt[keep_pt], return_inverse=True)
        rings = shapely.linearrings(coords, indices=ring_idx)
        kept_poly = ring_poly_a[keep_ring]
        poly_ids, poly_idx = np.unique(kept_poly, return_inverse=True)
        polys = shapely.polygons(rings, indices=poly_idx)
        poly_geom_a = np.asarray(poly_geom, dtype=np.int64)[poly_ids]
        for gi in np.unique(poly_geom_a):
            parts = polys[poly_geom_a == gi]
            if geoms[gi]["type"] == "Polygon":
                out[gi] = parts[0]
            else:
                out[gi] = shapely.multipolygons(parts)
        return out

    # -- other geometry types (rare here; simple per-object path) ----------------------------
    def _line(self, refs: list[int], where: str) -> np.ndarray:
        r = np.asarray(refs, dtype=np.int64)
        self._check_refs(r, where)
        q, _ = self._chain(r, np.zeros(len(r), dtype=np.int64))
        return self._apply(q)

    def other(self, g: dict[str, Any], where: str) -> BaseGeometry | None:
        t = g.get("type")
        if t is None:
            return None
        if t in POLYGONAL:
            return self.polygons([g], where)[0]
        if t == "Point":
            return shapely.points(self._position(g["coordinates"]))
        if t == "MultiPoint":
            return shapely.multipoints([self._position(p) for p in g["coordinates"]])
        if t == "LineString":
            return shapely.linestrings(self._line(g["arcs"], where))
        if t == "MultiLineString":
            return shapely.multilinestrings(
                [shapely.linestrings(self._line(a, where)) for a in g["arcs"]]
            )
        if t == "GeometryCollection":
            parts = [self.other(x, where) for x in g.get("geometries", [])]
            return shapely.geometrycollections([p for p in parts if p is not None])
        raise TopoJSONError(
            f"{self.label}: {where}: unknown geometry type {t!r}; "
            f"valid: {', '.join(sorted(GEOMETRY_TYPES))} or null"
        )


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep only the polygonal parts of a repaired geometry."""
    if geom.geom_type in POLYGONAL:
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in POLYGONAL]
    parts = list(chain.from_iterable(shapely.get_parts(p) for p in parts))
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.multipolygons(parts)


def repair(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Repair invalid geometries with ``make_valid`` (polygonal input stays polygonal).

    Returns the geometries and the boolean mask of the repaired ones.
    """
    geoms = np.asarray(geoms, dtype=object)
    present = ~shapely.is_missing(geoms)
    invalid = present & ~shapely.is_valid(geoms)
    if invalid.any():
        geoms = geoms.copy()
        for i in np.flatnonzero(invalid):
            fixed = shapely.make_valid(geoms[i], method="structure", keep_collapsed=False)
            if geoms[i].geom_type in POLYGONAL:
                fixed = _polygonal(fixed)
            geoms[i] = fixed
    return geoms, invalid


def read_topojson(source: Path | bytes | str, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Decode one object of a TopoJSON document into a GeoDataFrame (EPSG:4326).

    ``source`` is a path, the raw bytes, or the JSON text. ``layer`` names the object; it
    defaults to the only object. Properties become columns; a feature's top-level ``id`` becomes
    column ``id`` unless a property of that name exists. Repairs and dropped degenerate rings are
    counted in ``gdf.attrs`` (see the module docstring).
    """
    topo = _load_json(source)
    label = topo["_label"]
    objects: dict[str, Any] = topo["objects"]
    if layer is None:
        if len(objects) != 1:
            raise TopoJSONError(
                f"{label} holds {len(objects)} objects; pick one with layer=: "
                f"{', '.join(sorted(objects))}"
            )
        layer = next(iter(objects))
    elif layer not in objects:
        raise TopoJSONError(
            f"{label} has no object {layer!r}; available: {', '.join(sorted(objects))}"
        )
    obj = objects[layer]
    if not isinstance(obj, dict):
        raise TopoJSONError(f"{label}: object {layer!r} is not a geometry object")
    feats = obj.get("geometries", []) if obj.get("type") == "GeometryCollection" else [obj]
    if not isinstance(feats, list):
        raise TopoJSONError(f"{label}: object {layer!r} has no list of geometries")

    dec = _Decoder(topo)
    geoms: list[BaseGeometry | None] = [None] * len(feats)
    poly_idx = [i for i, f in enumerate(feats) if f.get("type") in POLYGONAL]
    if poly_idx:
        decoded = dec.polygons([feats[i] for i in poly_idx], f"object {layer!r}")
        for i, g in zip(poly_idx, decoded, strict=True):
            geoms[i] = g
    for i, f in enumerate(feats):
        if f.get("type") not in POLYGONAL:
            geoms[i] = dec.other(f, f"object {layer!r} feature {i}")

    props = pd.DataFrame.from_records(
        [f.get("properties") or {} for f in feats], index=pd.RangeIndex(len(feats))
    )
    ids = [f.get("id") for f in feats]
    if "id" not in props.columns and any(i is not None for i in ids):
        props["id"] = ids
    arr, repaired = repair(np.asarray(geoms, dtype=object))
    if repaired.any():
        log.info("%s: repaired %d invalid geometries", label, int(repaired.sum()))
    gdf = gpd.GeoDataFrame(props, geometry=gpd.GeoSeries(arr, crs="EPSG:4326"))
    ident = pd.Series([i if i is not None else n for n, i in enumerate(ids)])
    tr = topo.get("transform")
    gdf.attrs.update(
        {
            "object": layer,
            "transform": tr,
            "n_features": len(feats),
            "n_repaired": int(repaired.sum()),
            "repaired": [str(x) for x in ident[repaired].tolist()],
            "n_degenerate_rings": dec.n_degenerate,
        }
    )
    return gdf
