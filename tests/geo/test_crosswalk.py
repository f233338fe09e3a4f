"""Herindeling crosswalks and restating counts, on the real 2020 -> 2023 gemeente layers."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from analysis.geo import (
    CROSSWALK_COLUMNS,
    ConservationError,
    check_conservation,
    compose,
    crosswalk_from_boundaries,
    crosswalk_from_mergers,
    load_crosswalk,
    restate_counts,
)

NEW_2023 = {"GM1979", "GM1980", "GM1982", "GM1991", "GM1992"}


@pytest.fixture(scope="module")
def codes(layer):
    c20, c23 = set(layer("gemeente", 2020)["statcode"]), set(layer("gemeente", 2023)["statcode"])
    return c20, c23


@pytest.fixture(scope="module")
def restated(kwb2020_population, crosswalk_2020_2023):
    return restate_counts(kwb2020_population, crosswalk_2020_2023)


def _raw_population(records: list[dict], codes: set[str]) -> int:
    """Sum of AantalInwoners_5 straight from the raw KWB records (independent of the code)."""
    return sum(r["AantalInwoners_5"] for r in records if r["WijkenEnBuurten"].strip() in codes)


def test_crosswalk_structure(crosswalk_2020_2023, codes):
    cw = crosswalk_2020_2023
    c20, c23 = codes
    assert list(cw.columns[:6]) == CROSSWALK_COLUMNS
    assert set(cw["van_code"]) == c20  # every 2020 code maps
    assert set(cw["naar_code"]) == c23  # and covers every 2023 gemeente
    sums = cw.groupby("van_code")["gewicht"].sum()
    np.testing.assert_allclose(sums, 1.0, rtol=0, atol=1e-12)
    assert not cw.duplicated(["van_code", "naar_code"]).any()
    vanished, new = c20 - c23, c23 - c20
    assert len(vanished) == 18 and new == NEW_2023
    targets_of_vanished = set(cw.loc[cw["van_code"].isin(vanished), "naar_code"])
    assert new <= targets_of_vanished <= new | (c20 & c23)
    # new codes are formed only from vanished ones, each from at least two
    for code in new:
        preds = set(cw.loc[cw["naar_code"] == code, "van_code"])
        assert preds <= vanished and len(preds) >= 2, code
    # continuing codes map to themselves only
    cont = cw[cw["van_code"].isin(c20 & c23)]
    assert (cont["van_code"] == cont["naar_code"]).all()
    # PROVENANCE.md §1a: GM1979 new in 2021 where GM0003, GM0010, GM0024 (and GM0788) went
    assert set(cw.loc[cw["naar_code"] == "GM1979", "van_code"]) == {"GM0003", "GM0010", "GM0024"}
    assert set(cw.loc[cw["naar_code"] == "GM1992", "van_code"]) <= {
        "GM0457",
        "GM0501",
        "GM0530",
        "GM0614",
    }


def test_methode(crosswalk_2020_2023, codes):
    cw = crosswalk_2020_2023
    c20, c23 = codes
    vanished = c20 - c23
    assert set(cw["methode"]) <= {"ongewijzigd", "samengevoegd", "gesplitst", "grenscorrectie"}
    split = cw[cw["methode"] == "gesplitst"]
    assert set(split["van_code"]) <= vanished
    assert (split.groupby("van_code").size() > 1).all()
    # a gemeente is 'ongewijzigd' exactly when it keeps its code and nothing flows into it
    receivers = set(cw.loc[cw["van_code"] != cw["naar_code"], "naar_code"])
    plain = set(cw.loc[cw["methode"] == "ongewijzigd", "van_code"])
    assert plain == (c20 & c23) - receivers
    assert (cw.loc[cw["van_code"].isin(vanished), "methode"] != "ongewijzigd").all()


def test_restate_population_onto_2023(restated, kwb2020_records, kwb2020_population, codes):
    _, c23 = codes
    assert len(restated) == 342 and set(restated["regio_code"]) == c23
    nl = next(r for r in kwb2020_records if r["WijkenEnBuurten"].strip() == "NL00")
    assert nl["AantalInwoners_5"] == 17_407_585
    assert kwb2020_population["waarde"].sum() == 17_407_585  # the 355 gemeenten
    assert restated["waarde"].sum() == pytest.approx(17_407_585, rel=0, abs=1e-6)
    assert restated["volledig"].all()
    table = check_conservation(kwb2020_population, restated)
    assert table["gecontroleerd"].all() and abs(table["verschil"]).max() < 1e-6
    assert restated["regio_naam"].notna().all()


def test_merger_sums(restated, crosswalk_2020_2023, kwb2020_records):
    """Each new gemeente = the sum of its predecessors' raw populations, exactly."""
    cw = crosswalk_2020_2023
    out = restated.set_index("regio_code")
    for code in NEW_2023:
        rows = cw[cw["naar_code"] == code]
        assert (rows["gewicht"] == 1.0).all(), code  # wholly absorbed predecessors
        preds = set(rows["van_code"])
        assert out.loc[code, "waarde"] == _raw_population(kwb2020_records, preds), code
        assert out.loc[code, "berekend"]
    eemsdelta = _raw_population(kwb2020_records, {"GM0003", "GM0010", "GM0024"})
    assert out.loc["GM1979", "waarde"] == eemsdelta


def test_unchanged_gemeenten_keep_published_value(
    restated, crosswalk_2020_2023, kwb2020_population
):
    cw = crosswalk_2020_2023
    plain = set(cw.loc[cw["methode"] == "ongewijzigd", "van_code"])
    out = restated.set_index("regio_code")
    src = kwb2020_population.set_index("regio_code")["waarde"]
    assert not out.loc[sorted(plain), "berekend"].any()
    assert (out.loc[sorted(plain), "waarde"] == src[sorted(plain)]).all()
    assert set(out.index[out["berekend"]]) == set(restated["regio_code"]) - plain


def test_suppressed_and_missing_values_stay_missing(kwb2020_population, crosswalk_2020_2023):
    two = pd.concat(
        [kwb2020_population.assign(groep="a"), kwb2020_population.assign(groep="b")],
        ignore_index=True,
    )
    two.loc[(two["groep"] == "b") & (two["regio_code"] == "GM0003"), "waarde"] = np.nan
    two = two[~((two["groep"] == "b") & (two["regio_code"] == "GM0501"))]  # row missing
    two.loc[(two["groep"] == "b") & (two["regio_code"] == "GM0014"), "waarde"] = np.nan
    out = restate_counts(two, crosswalk_2020_2023, by=["groep"]).set_index(["groep", "regio_code"])
    for code in ("GM1979", "GM1992", "GM0014"):
        assert np.isnan(out.loc[("b", code), "waarde"]) and not out.loc[("b", code), "volledig"]
        assert out.loc[("a", code), "volledig"]
    assert out.loc["b", "volledig"].sum() == 339
    table = check_conservation(two, out.reset_index(), by=["groep"])
    assert table.loc["a", "gecontroleerd"] and not table.loc["b", "gecontroleerd"]


def test_restate_rejects_bad_input(kwb2020_population, crosswalk_2020_2023):
    bad = pd.concat(
        [kwb2020_population, pd.DataFrame({"regio_code": ["GM9999", "JZ01"], "waarde": [1, 2]})]
    )
    with pytest.raises(ValueError, match=r"2 codes .*GM9999, JZ01.* 355 valid"):
        restate_counts(bad, crosswalk_2020_2023)
    dup = pd.concat([kwb2020_population, kwb2020_population.head(1)])
    with pytest.raises(ValueError, match="duplicate rows"):
        restate_counts(dup, crosswalk_2020_2023)
    with pytest.raises(ValueError, match="lacks column"):
        restate_counts(kwb2020_population, crosswalk_2020_2023, value_col="aantal")
    broken = crosswalk_2020_2023.copy()
    broken.loc[0, "gewicht"] = 0.5
    with pytest.raises(ValueError, match="sum to 1"):
        restate_counts(kwb2020_population, broken)


def test_check_conservation_detects_a_leak(kwb2020_population, restated):
    leaky = restated.copy()
    leaky.loc[0, "waarde"] += 1
    with pytest.raises(ConservationError, match="differ"):
        check_conservation(kwb2020_population, leaky)


def test_compose_year_by_year_matches_direct(layer, crosswalk_2020_2023, kwb2020_population):
    steps = [
        crosswalk_from_boundaries(layer("gemeente", y), layer("gemeente", y + 1))
        for y in (2020, 2021, 2022)
    ]
    chained = compose(compose(steps[0], steps[1]), steps[2])
    direct = crosswalk_2020_2023
    key = ["van_code", "naar_code"]
    assert chained[key].values.tolist() == direct[key].values.tolist()
    assert (chained["methode"] == direct["methode"]).all()
    # only area splits (Haaren) can differ, a little, between the two routes
    diff = (chained["gewicht"] - direct["gewicht"]).abs()
    assert diff[direct["gewicht"] == 1.0].max() == 0.0
    assert diff.max() < 0.05
    a = restate_counts(kwb2020_population, chained)["waarde"].sum()
    assert a == pytest.approx(17_407_585, abs=1e-6)
    with pytest.raises(ValueError, match="not from-codes of b_to_c"):
        compose(steps[0], steps[2])


def test_mergers_list_reproduces_boundary_crosswalk(crosswalk_2020_2023, codes, kwb2020_population):
    c20, _ = codes
    cw = crosswalk_2020_2023
    records = cw.loc[cw["methode"] != "ongewijzigd", ["van_code", "naar_code", "gewicht"]]
    explicit = crosswalk_from_mergers(records, codes=c20)
    cols = ["van_code", "naar_code", "gewicht", "methode"]
    pd.testing.assert_frame_equal(explicit[cols], cw[cols])
    # without codes=: unlisted codes map to themselves
    implicit = crosswalk_from_mergers(records)
    assert implicit.attrs["identiteit_overige"] is True
    a = restate_counts(kwb2020_population, implicit).set_index("regio_code")["waarde"]
    b = restate_counts(kwb2020_population, explicit).set_index("regio_code")["waarde"]
    pd.testing.assert_series_equal(a, b)


def test_mergers_validation_and_compose_with_identity():
    recs = pd.DataFrame({"van_code": ["GM0003", "GM0010"], "naar_code": ["GM1979", "GM1979"]})
    cw = crosswalk_from_mergers(recs, names={"GM1979": "Eemsdelta"})
    assert set(cw["methode"]) == {"samengevoegd"} and set(cw["naar_naam"]) == {"Eemsdelta"}
    split = pd.DataFrame({"van_code": ["A", "A"], "naar_code": ["B", "C"]})
    with pytest.raises(ValueError, match="A listed for several naar_code; give a gewicht"):
        crosswalk_from_mergers(split)
    with pytest.raises(ValueError, match="sum to 1"):
        crosswalk_from_mergers(split.assign(gewicht=[0.5, 0.4]))
    ok = crosswalk_from_mergers(split.assign(gewicht=[0.75, 0.25]))
    assert set(ok["methode"]) == {"gesplitst"}
    with pytest.raises(ValueError, match="compose"):
        crosswalk_from_mergers(pd.DataFrame({"van_code": ["A", "B"], "naar_code": ["B", "C"]}))
    with pytest.raises(ValueError, match="not among codes"):
        crosswalk_from_mergers(recs, codes=["GM0003"])
    # A -> B in step 1, then B -> C in step 2; X untouched throughout
    s1 = crosswalk_from_mergers(pd.DataFrame({"van_code": ["A"], "naar_code": ["B"]}))
    s2 = crosswalk_from_mergers(pd.DataFrame({"van_code": ["B"], "naar_code": ["C"]}))
    both = compose(s1, s2)
    assert sorted(map(tuple, both[["van_code", "naar_code"]].values.tolist())) == [
        ("A", "C"),
        ("B", "C"),
    ]
    df = pd.DataFrame({"regio_code": ["A", "B", "X"], "waarde": [1.0, 2.0, 4.0]})
    out = restate_counts(df, both).set_index("regio_code")
    assert out["waarde"].to_dict() == {"C": 3.0, "X": 4.0}
    assert out["berekend"].to_dict() == {"C": True, "X": False}


def test_area_split_and_point_weights():
    """A gemeente split 3:1 by area but 1:3 by population points."""
    van = gpd.GeoDataFrame(
        {"statcode": ["GM0001", "GM0002"], "statnaam": ["Een", "Twee"]},
        geometry=[shapely.box(0, 0, 4000, 1000), shapely.box(4000, 0, 8000, 1000)],
        crs="EPSG:28992",
    )
    naar = gpd.GeoDataFrame(
        {"statcode": ["GM0003", "GM0002"], "statnaam": ["Drie", "Twee"]},
        geometry=[shapely.box(0, 0, 3000, 1000), shapely.box(3000, 0, 8000, 1000)],
        crs="EPSG:28992",
    )
    by_area = crosswalk_from_boundaries(van, naar, tolerance=0, weights=pd.Series({"GM0001": 100}))
    g = by_area.set_index(["van_code", "naar_code"])["gewicht"]
    assert g[("GM0001", "GM0003")] == pytest.approx(0.75)
    assert g[("GM0001", "GM0002")] == pytest.approx(0.25)
    assert set(by_area.loc[by_area["van_code"] == "GM0001", "methode"]) == {"gesplitst"}
    assert by_area.loc[by_area["van_code"] == "GM0001", "omvang"].sum() == pytest.approx(100)
    pts = gpd.GeoDataFrame(
        {"inwoners": [10.0, 30.0]},
        geometry=[shapely.Point(1000, 500), shapely.Point(3500, 500)],
        crs="EPSG:28992",
    )
    by_pts = crosswalk_from_boundaries(van, naar, tolerance=0, point_weights=pts)
    p = by_pts.set_index(["van_code", "naar_code"])
    assert p.loc[("GM0001", "GM0003"), "gewicht"] == pytest.approx(0.25)
    assert p.loc[("GM0001", "GM0002"), "gewicht"] == pytest.approx(0.75)
    assert "geen puntgewichten" in p.loc[("GM0002", "GM0002"), "opmerking"]
    with pytest.raises(ValueError, match="not from-gemeenten: GM9999"):
        crosswalk_from_boundaries(van, naar, weights=pd.Series({"GM9999": 1}))


def test_load_crosswalk_memoised(geo_settings, crosswalk_2020_2023):
    a = load_crosswalk(2020, 2023, settings=geo_settings)
    b = load_crosswalk(2020, 2023, settings=geo_settings)
    assert a is not b
    pd.testing.assert_frame_equal(a, crosswalk_2020_2023)
    assert a.attrs["van_jaar"] == 2020 and a.attrs["naar_jaar"] == 2023


def test_same_codes_give_identity_and_raw_overlay_shows_noise(layer):
    """2023, 2024 and 2025 share all 342 codes: the default crosswalk is the identity.

    With ``keep_persisting=False`` the raw overlay of the separately generalised layers
    produces spurious boundary corrections, which is why continuing codes are kept whole.
    """
    g23, g24, g25 = (layer("gemeente", y) for y in (2023, 2024, 2025))
    for a, b in [(g23, g24), (g24, g25)]:
        cw = crosswalk_from_boundaries(a, b)
        assert len(cw) == 342 and set(cw["methode"]) == {"ongewijzigd"}
        assert (cw["van_code"] == cw["naar_code"]).all() and (cw["gewicht"] == 1.0).all()
        assert cw["aandeel"].min() > 0.5  # measured self-overlap, before keeping whole
    raw = crosswalk_from_boundaries(g24, g25, keep_persisting=False)
    assert (raw["methode"] == "grenscorrectie").any()
    np.testing.assert_allclose(raw.groupby("van_code")["gewicht"].sum(), 1.0, atol=1e-12)
