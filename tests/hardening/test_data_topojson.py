"""Why ``geo/topojson.py`` stays (issue 12 item 21).

GDAL's TopoJSON driver (through pyogrio) reads the intact real cartomap files exactly as our
decoder does: after the same repair every one of the 2,914 features is identical. But on a
damaged file GDAL answers silently with a wrong map: a ring that does not close is closed with
a straight line (a valid polygon with the wrong area), and an arc that does not exist is
skipped (a wrong shape, or an empty polygon: the gemeente disappears). Our decoder rejects both with an
error naming the file, object and feature, which is what a build must do with a damaged
boundary file. These tests show both facts on the real files."""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path

import numpy as np
import pytest
import shapely

from analysis.geo.topojson import TopoJSONError, read_topojson, repair

pyogrio = pytest.importorskip("pyogrio")


@pytest.fixture(scope="module")
def cartomap(shared_data: Path) -> Path:
    return shared_data / "cartomap"


def _gdal(source):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pyogrio.read_dataframe(source)


def test_gdal_reads_every_intact_real_file_like_our_decoder(cartomap: Path) -> None:
    files = sorted(cartomap.glob("*.topojson"))
    assert len(files) == 30
    n = 0
    for path in files:
        ours = read_topojson(path)
        theirs = _gdal(path).set_index("statcode").loc[ours["statcode"]]
        fixed, _ = repair(np.asarray(theirs.geometry.values, dtype=object))
        same = shapely.equals_exact(np.asarray(ours.geometry.values), fixed, tolerance=1e-9)
        assert same.all(), (path.name, list(ours["statcode"][~same]))
        n += len(ours)
    assert n == 2914


def _damaged(cartomap: Path, damage) -> tuple[bytes, str]:
    topo = json.loads((cartomap / "gemeente_2023.topojson").read_text(encoding="utf-8"))
    geoms = topo["objects"]["gemeente_2023"]["geometries"]
    victim = next(g for g in geoms if g["type"] == "Polygon" and len(g["arcs"][0]) > 1)
    damage(topo, victim)
    return json.dumps(topo).encode(), victim["properties"]["statcode"]


def test_open_ring_gdal_closes_silently_ours_rejects(cartomap: Path) -> None:
    def open_ring(topo, victim):
        victim["arcs"][0] = victim["arcs"][0][:-1]  # drop the ring's last arc

    raw, code = _damaged(cartomap, open_ring)
    theirs = _gdal(io.BytesIO(raw)).set_index("statcode")
    assert len(theirs) == 342
    geom = theirs.loc[code].geometry
    assert geom.is_valid and not geom.is_empty  # no error, no warning: a wrong shape
    intact = read_topojson(cartomap / "gemeente_2023.topojson").set_index("statcode")
    assert abs(geom.area - intact.loc[code].geometry.area) > 1e-6
    with pytest.raises(TopoJSONError, match="does not close"):
        read_topojson(raw)


def test_missing_arc_gdal_skips_it_silently_ours_rejects(cartomap: Path) -> None:
    def bad_arc(topo, victim):
        victim["arcs"][0][0] = len(topo["arcs"]) + 5

    raw, code = _damaged(cartomap, bad_arc)
    theirs = _gdal(io.BytesIO(raw)).set_index("statcode")
    assert len(theirs) == 342  # no error, no warning: the arc is skipped
    geom = theirs.loc[code].geometry
    intact = read_topojson(cartomap / "gemeente_2023.topojson").set_index("statcode")
    assert geom.is_empty or abs(geom.area - intact.loc[code].geometry.area) > 1e-6
    with pytest.raises(TopoJSONError, match=r"arc \d+"):
        read_topojson(raw)
