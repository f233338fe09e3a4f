"""TopoJSON decoding: hand-made topologies with known answers, and the real cartomap files."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
import shapely

from analysis.geo.topojson import TopoJSONError, read_topojson

# Two squares sharing arc 0 (B uses it reversed), a square with a hole, a two-part
# MultiPolygon, a bow-tie (invalid), a null geometry and a point. Quantised coordinates.
ABS_ARCS = [
    [[2, 0], [2, 2]],  # 0: shared edge
    [[2, 2], [0, 2], [0, 0], [2, 0]],  # 1: rest of A
    [[2, 0], [4, 0], [4, 2], [2, 2]],  # 2: rest of B
    [[10, 0], [16, 0], [16, 6], [10, 6], [10, 0]],  # 3: outer ring of C
    [[12, 2], [12, 4], [14, 4], [14, 2], [12, 2]],  # 4: hole of C
    [[20, 0], [22, 0], [20, 2], [20, 0]],  # 5: triangle 1 of D
    [[30, 0], [32, 0], [30, 2], [30, 0]],  # 6: triangle 2 of D
    [[40, 0], [42, 2], [42, 0], [40, 2], [40, 0]],  # 7: bow-tie E
]
GEOMETRIES = [
    {"type": "Polygon", "arcs": [[0, 1]], "id": "A", "properties": {"code": "A", "n": 1}},
    {"type": "Polygon", "arcs": [[2, -1]], "id": "B", "properties": {"code": "B", "n": 2}},
    {"type": "Polygon", "arcs": [[3], [4]], "id": "C", "properties": {"code": "C", "n": 3}},
    {"type": "MultiPolygon", "arcs": [[[5]], [[6]]], "id": "D", "properties": {"code": "D"}},
    {"type": "Polygon", "arcs": [[7]], "id": "E", "properties": {"code": "E"}},
    {"type": None, "id": "F", "properties": {"code": "F"}},
    {"type": "Point", "coordinates": [50, 50], "id": "G", "properties": {"code": "G"}},
]
SCALE, TRANSLATE = [0.5, 2.0], [10.0, 20.0]


def _delta(arc: list[list[int]]) -> list[list[int]]:
    out, prev = [], [0, 0]
    for x, y in arc:
        out.append([x - prev[0], y - prev[1]])
        prev = [x, y]
    return out


def topology(quantised: bool = True, geometries: list | None = None) -> dict:
    geoms = geometries if geometries is not None else GEOMETRIES
    if quantised:
        arcs = [_delta(a) for a in ABS_ARCS]
        return {
            "type": "Topology",
            "transform": {"scale": SCALE, "translate": TRANSLATE},
            "arcs": arcs,
            "objects": {"demo": {"type": "GeometryCollection", "geometries": geoms}},
        }

    def lonlat(x: float, y: float) -> list[float]:
        return [x * SCALE[0] + TRANSLATE[0], y * SCALE[1] + TRANSLATE[1]]

    arcs = [[lonlat(x, y) for x, y in a] for a in ABS_ARCS]
    geoms = [
        {**g, "coordinates": lonlat(*g["coordinates"])} if g["type"] == "Point" else g
        for g in geoms
    ]
    return {
        "type": "Topology",
        "arcs": arcs,
        "objects": {"demo": {"type": "GeometryCollection", "geometries": geoms}},
    }


@pytest.fixture(scope="module")
def demo():
    return read_topojson(json.dumps(topology()).encode())


def test_synthetic_shapes_and_areas(demo):
    g = demo.set_index("code").geometry
    area_unit = SCALE[0] * SCALE[1]  # one quantised square in lon/lat units
    assert g["A"].area == pytest.approx(4 * area_unit)
    assert g["B"].area == pytest.approx(4 * area_unit)
    # A and B share the edge exactly: they touch, do not overlap, union is a rectangle
    assert g["A"].touches(g["B"])
    union = g["A"].union(g["B"])
    assert union.geom_type == "Polygon"
    assert union.bounds == (10.0, 20.0, 12.0, 24.0)
    assert g["C"].geom_type == "Polygon" and len(g["C"].interiors) == 1
    assert g["C"].area == pytest.approx((36 - 4) * area_unit)
    assert g["D"].geom_type == "MultiPolygon" and len(g["D"].geoms) == 2
    assert g["D"].area == pytest.approx(4 * area_unit)
    assert g["G"].equals(shapely.Point(50 * 0.5 + 10, 50 * 2 + 20))
    assert g["F"] is None


def test_synthetic_repair_is_counted(demo):
    assert demo.attrs["n_repaired"] == 1
    assert demo.attrs["repaired"] == ["E"]
    e = demo.set_index("code").geometry["E"]
    assert e.is_valid and e.geom_type == "MultiPolygon"
    # the bow-tie (40,0)-(42,2)-(42,0)-(40,2) is two triangles of 1 quantised unit each
    assert e.area == pytest.approx(2 * SCALE[0] * SCALE[1])
    assert demo.crs.to_epsg() == 4326
    assert list(demo.columns[:2]) == ["code", "n"] and "id" in demo.columns


def test_unquantised_topology_gives_same_geometries(demo):
    plain = read_topojson(json.dumps(topology(quantised=False)))
    for a, b in zip(demo.geometry, plain.geometry, strict=True):
        assert (a is None and b is None) or a.equals_exact(b, tolerance=1e-12)


def test_source_as_path_str_and_bytes_agree(tmp_path, demo):
    p = tmp_path / "demo.topojson"
    p.write_text(json.dumps(topology()))
    for src in (p, str(p), p.read_bytes()):
        got = read_topojson(src)
        assert got["code"].tolist() == demo["code"].tolist()


def test_ring_that_does_not_close_is_rejected():
    geoms = [{"type": "Polygon", "arcs": [[1]], "properties": {}}]  # arc 1 alone is open
    with pytest.raises(TopoJSONError, match="does not close"):
        read_topojson(json.dumps(topology(geometries=geoms)))


def test_arc_index_out_of_range():
    geoms = [{"type": "Polygon", "arcs": [[0, 99]], "properties": {}}]
    with pytest.raises(TopoJSONError, match="arc 99.*only 8 arcs"):
        read_topojson(json.dumps(topology(geometries=geoms)))


def test_bad_documents():
    raw = json.dumps(topology()).encode()
    with pytest.raises(TopoJSONError, match="not valid JSON"):
        read_topojson(raw[: len(raw) // 2])
    with pytest.raises(TopoJSONError, match="not a TopoJSON Topology"):
        read_topojson(json.dumps({"type": "FeatureCollection", "features": []}))
    with pytest.raises(TopoJSONError, match="no object 'nope'; available: demo"):
        read_topojson(raw, layer="nope")
    two = topology()
    two["objects"]["other"] = two["objects"]["demo"]
    with pytest.raises(TopoJSONError, match="2 objects.*demo, other"):
        read_topojson(json.dumps(two))
    assert len(read_topojson(json.dumps(two), layer="other")) == len(GEOMETRIES)
    with pytest.raises(TypeError, match="Path, bytes or str"):
        read_topojson(42)  # type: ignore[arg-type]


# -- real files ---------------------------------------------------------------------------------
# feature counts as documented in shared/data/PROVENANCE.md §1
COUNTS = {
    **{f"gemeente_{y}": n for y, n in [(2020, 355), (2021, 352), (2022, 345)]},
    **{f"gemeente_{y}": 342 for y in (2023, 2024, 2025)},
    **{f"jeugdregio_{y}": 42 for y in range(2015, 2026)},
    "provincie_2023": 12,
    **{f"arbeidsmarktregio_{y}": 35 for y in (2023, 2024)},
    **{f"ggdregio_{y}": 25 for y in (2023, 2024)},
    **{f"veiligheidsregio_{y}": 25 for y in (2023, 2024)},
    **{f"zorgkantoorregio_{y}": 31 for y in (2023, 2024)},
    **{f"regionaalmeld_coordinatiepunt_{y}": 40 for y in (2023, 2024)},
    **{f"veiligthuisregio_{y}": 25 for y in (2023, 2024)},
}


def test_every_recorded_file_decodes(cartomap: Path):
    files = sorted(cartomap.glob("*.topojson"))
    assert {p.stem for p in files} == set(COUNTS)
    for p in files:
        gdf = read_topojson(p)
        assert gdf.attrs["object"] == p.stem
        assert len(gdf) == COUNTS[p.stem], p.name
        assert gdf["statcode"].is_unique
        geoms = np.asarray(gdf.geometry.values)
        assert not shapely.is_missing(geoms).any() and not shapely.is_empty(geoms).any()
        assert shapely.is_valid(geoms).all(), p.name
        assert set(gdf.geom_type) <= {"Polygon", "MultiPolygon"}
        # lon/lat inside the Netherlands
        x0, y0, x1, y1 = gdf.total_bounds
        assert 3.0 < x0 < x1 < 7.3 and 50.7 < y0 < y1 < 53.7, p.name


def _gdal(path: Path):
    pyogrio = pytest.importorskip("pyogrio")
    if "TopoJSON" not in pyogrio.list_drivers():
        pytest.skip("GDAL has no TopoJSON driver")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pyogrio.read_dataframe(path)


@pytest.mark.parametrize(
    "name",
    ["gemeente_2020", "gemeente_2023", "jeugdregio_2015", "jeugdregio_2017", "jeugdregio_2020"],
)
def test_matches_gdal_topojson_driver(cartomap: Path, name: str):
    """Same coordinates as GDAL for every valid feature; GDAL-invalid ones are our repairs."""
    path = cartomap / f"{name}.topojson"
    ours = read_topojson(path)
    theirs = _gdal(path).set_index("statcode").loc[ours["statcode"]]
    a, b = np.asarray(ours.geometry.values), np.asarray(theirs.geometry.values)
    gdal_valid = shapely.is_valid(b)
    assert shapely.equals_exact(a[gdal_valid], b[gdal_valid], tolerance=1e-9).all()
    assert ours.attrs["n_repaired"] == int((~gdal_valid).sum())
    fixed = shapely.make_valid(b[~gdal_valid])
    np.testing.assert_allclose(shapely.area(a[~gdal_valid]), shapely.area(fixed), rtol=1e-5)


def test_positions_with_extra_values_keep_x_and_y(demo):
    """Arc positions may carry more than two values; only x and y are used."""
    topo = topology()
    topo["arcs"] = [[[x, y, 7] for x, y in arc] for arc in topo["arcs"]]
    got = read_topojson(json.dumps(topo))
    for a, b in zip(demo.geometry, got.geometry, strict=True):
        assert (a is None and b is None) or a.equals_exact(b, tolerance=1e-12)
