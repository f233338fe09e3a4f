"""Gemeente -> region memberships from the real boundary layers."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from analysis.geo import (
    MEMBERSHIP_COLUMNS,
    dissolve_regions,
    load_membership,
    membership_changes,
    membership_from_boundaries,
)

JZ_CODES = {f"JZ{i:02d}" for i in range(1, 44)} - {"JZ40"}
NEW_2023 = {"GM1979", "GM1980", "GM1982", "GM1991", "GM1992"}


@pytest.mark.parametrize("year", [2023, 2024])
def test_jeugdregio_membership(membership, layer, year):
    m = membership("jeugdregio", year)
    assert list(m.columns[: len(MEMBERSHIP_COLUMNS)]) == MEMBERSHIP_COLUMNS
    assert len(m) == 342 and m["gemeente_code"].is_unique
    assert set(m["gemeente_code"]) == set(layer("gemeente", year)["statcode"])
    assert set(m["regio_code"]) == JZ_CODES  # every one of the 42 regions has members
    assert m.attrs["regio_zonder_leden"] == []
    sizes = m["regio_code"].value_counts()
    assert sizes.min() >= 1 and sizes.max() == 21  # PROVENANCE.md §2: 1-21 members
    assert set(m["methode"]) == {"grenzen"}
    assert set(m["bron"]) == {f"jeugdregio_{year}.topojson"}
    assert set(m["jaar"]) == {year} and m["jaar"].dtype == np.int64
    # separately generalised layers: overlap is high but not exactly 1
    assert m["aandeel_oppervlak"].between(0.5, 1.0 + 1e-9).all()
    assert m["aandeel_oppervlak"].median() > 0.95
    assert (m["opmerking"] == "").all()


def test_changes_2023_2024_2025(membership):
    m23, m24, m25 = (membership("jeugdregio", y) for y in (2023, 2024, 2025))
    ch = membership_changes(m23, m24)
    got = ch[["gemeente_code", "gemeente_naam", "van_regio", "naar_regio", "soort"]]
    assert got.values.tolist() == [
        ["GM0050", "Zeewolde", "JZ08", "JZ12", "gewisseld"],
        ["GM0626", "Voorschoten", "JZ24", "JZ18", "gewisseld"],
    ]
    assert set(ch["van_jaar"]) == {2023} and set(ch["naar_jaar"]) == {2024}
    assert membership_changes(m24, m25).empty


def test_2020_to_2023_only_merger_changes(membership, layer, crosswalk_2020_2023):
    m20, m23 = membership("jeugdregio", 2020), membership("jeugdregio", 2023)
    ch = membership_changes(m20, m23)
    codes20, codes23 = (
        set(layer("gemeente", 2020)["statcode"]),
        set(layer("gemeente", 2023)["statcode"]),
    )
    assert not (ch["soort"] == "gewisseld").any()
    assert set(ch.loc[ch["soort"] == "nieuw", "gemeente_code"]) == codes23 - codes20 == NEW_2023
    assert set(ch.loc[ch["soort"] == "opgeheven", "gemeente_code"]) == codes20 - codes23
    # a new gemeente lies in the region of the gemeenten it was formed from
    regio20 = m20.set_index("gemeente_code")["regio_code"]
    regio23 = m23.set_index("gemeente_code")["regio_code"]
    cw = crosswalk_2020_2023
    for code in NEW_2023:
        preds = cw.loc[cw["naar_code"] == code, "van_code"]
        assert set(regio20[preds]) == {regio23[code]}, code
    # and the same holds year by year
    for a, b in [(2020, 2021), (2021, 2022), (2022, 2023)]:
        step = membership_changes(membership("jeugdregio", a), membership("jeugdregio", b))
        assert not (step["soort"] == "gewisseld").any()


def _derived_files(shared_data: Path) -> list[Path]:
    return sorted((shared_data / "derived").glob("gemeente_*_*.csv"))


def test_all_derived_tables_present(shared_data):
    assert len(_derived_files(shared_data)) == 19


def test_membership_agrees_with_derived_tables(shared_data, membership):
    """Derived independently (another spatial join): must agree for every gemeente."""
    files = _derived_files(shared_data)
    assert files
    for f in files:
        m = re.fullmatch(r"gemeente_(?P<ind>.+)_(?P<year>\d{4})\.csv", f.name)
        assert m, f.name
        ind, year = m["ind"], int(m["year"])
        ref = pd.read_csv(f, dtype={"gemeentecode": "str", f"{ind}code": "str"})
        ref = ref.set_index("gemeentecode").sort_index()
        ours = membership(ind, year).set_index("gemeente_code").sort_index()
        assert ours.index.tolist() == ref.index.tolist(), f.name
        assert (ours["regio_code"] == ref[f"{ind}code"]).all(), f.name
        assert (ours["regio_naam"] == ref[f"{ind}naam"].str.strip()).all(), f.name
        assert (ours["gemeente_naam"] == ref["gemeentenaam"].str.strip()).all(), f.name


def test_provinces(membership):
    m = membership("provincie", 2023)
    assert m["regio_code"].nunique() == 12 and len(m) == 342


def test_dissolve_jeugdregio_2023(layer, membership):
    gem = layer("gemeente", 2023)
    d = dissolve_regions(gem, membership("jeugdregio", 2023))
    assert len(d) == 42 and set(d["regio_code"]) == JZ_CODES
    assert d.crs.to_epsg() == 28992
    assert d["n_gemeenten"].sum() == 342
    union_gem = shapely.union_all(np.asarray(gem.geometry.values)).area
    union_reg = shapely.union_all(np.asarray(d.geometry.values)).area
    assert union_reg == pytest.approx(union_gem, rel=0.005)
    assert d.area.sum() == pytest.approx(union_gem, rel=0.005)  # no overlaps between regions
    # close to the separately published jeugdregio polygons
    jz = layer("jeugdregio", 2023).set_index("statcode").loc[d["regio_code"]]
    a, b = np.asarray(d.geometry.values), np.asarray(jz.geometry.values)
    iou = shapely.area(shapely.intersection(a, b)) / shapely.area(shapely.union(a, b))
    assert iou.min() > 0.9


def test_dissolve_rejects_mismatch(layer, membership):
    gem = layer("gemeente", 2023)
    m = membership("jeugdregio", 2023)
    with pytest.raises(ValueError, match="1 without membership \\(GM0014"):
        dissolve_regions(gem, m[m["gemeente_code"] != "GM0014"])
    with pytest.raises(ValueError, match="several jaar"):
        dissolve_regions(gem, pd.concat([m, membership("jeugdregio", 2024)]))


# -- synthetic cases ------------------------------------------------------------------------------
def _boxes(items: list[tuple[str, tuple[float, float, float, float]]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"statcode": [c for c, _ in items], "statnaam": [c.lower() for c, _ in items]},
        geometry=[shapely.box(*b) for _, b in items],
        crs="EPSG:28992",
    )


def test_fallback_and_regions_without_members(caplog):
    # G2 is an L-shape whose interior point falls in the gap between R1 and R2
    l_shape = shapely.Polygon([(10, 0), (30, 0), (30, 2), (12, 2), (12, 10), (10, 10)])
    gem = _boxes([("G1", (0, 0, 10, 10)), ("G2", (0, 0, 1, 1))])
    gem.loc[1, "geometry"] = l_shape
    reg = _boxes([("R1", (-1, -1, 10.5, 11)), ("R2", (13, -1, 31, 3)), ("R3", (50, 50, 60, 60))])
    pt = shapely.point_on_surface(l_shape)
    assert not any(r.intersects(pt) for r in reg.geometry)  # the fallback is really exercised
    m = membership_from_boundaries(gem, reg, indeling="test", jaar=2023, bron="x")
    row = m.set_index("gemeente_code").loc["G2"]
    expected = max(
        ("R1", "R2"), key=lambda r: reg.set_index("statcode").geometry[r].intersection(l_shape).area
    )
    assert row["regio_code"] == expected
    assert "geen regio" in row["opmerking"]
    assert m.set_index("gemeente_code").loc["G1", "regio_code"] == "R1"
    assert m.attrs["regio_zonder_leden"] == ["R3"]
    assert "R3" in caplog.text


def test_bad_input():
    gem = _boxes([("G1", (0, 0, 1, 1))])
    with pytest.raises(ValueError, match="indeling must be"):
        membership_from_boundaries(gem, gem, indeling="")
    with pytest.raises(ValueError, match="give jaar="):
        membership_from_boundaries(gem, gem, indeling="x")
    with pytest.raises(ValueError, match="lacks column.*statnaam"):
        membership_from_boundaries(gem.drop(columns="statnaam"), gem, indeling="x", jaar=1)
    with pytest.raises(ValueError, match="unknown indeling 'jeugdzorgregio'; valid: provincie"):
        load_membership("jeugdzorgregio", 2023)


def test_membership_from_lonlat_layers(cartomap, membership):
    """Decoded layers in EPSG:4326 are projected internally; same result as the cached path."""
    from analysis.geo import read_topojson

    gem = read_topojson(cartomap / "gemeente_2023.topojson")
    reg = read_topojson(cartomap / "jeugdregio_2023.topojson")
    m = membership_from_boundaries(gem, reg, indeling="jeugdregio", jaar=2023)
    ref = membership("jeugdregio", 2023)
    assert m["gemeente_code"].tolist() == ref["gemeente_code"].tolist()
    assert m["regio_code"].tolist() == ref["regio_code"].tolist()
