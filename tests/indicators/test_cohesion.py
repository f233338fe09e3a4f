"""Cohesion of the jeugdregio's on the real boundaries (shared_data/cartomap) and hand examples.

One session-scoped run of :func:`analyse` over 2015–2025 feeds most tests; the expected facts
(42 regions, the 2023→2024 switches of Zeewolde and Voorschoten, regions spanning two
arbeidsmarktregio's) are determined independently from ``shared_data/derived`` where possible.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from analysis import geo, store
from analysis.config import project_root, settings
from analysis.indicators.cohesion import (
    DREMPELS,
    SIGNALEN,
    adjusted_rand_index,
    agreement,
    analyse,
    cohesion_profile,
    congruence_per_region,
    contingency,
    dispersion,
    dispersion_change,
    member_values,
    membership_events,
    normalized_mutual_information,
    region_events,
    region_geometry,
    restated_population,
)

JZ_CODES = [f"JZ{i:02d}" for i in range(1, 44) if i != 40]
DIVISIONS = (
    "jeugdregio",
    "arbeidsmarktregio",
    "ggdregio",
    "veiligheidsregio",
    "zorgkantoorregio",
    "regionaalmeld_coordinatiepunt",
    "veiligthuisregio",
)


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def real_settings(shared_data: Path, tmp_path_factory):
    """Settings reading the real cartomap files in place, caching in a temporary folder.

    The folder is shared with ``tests/report/test_samenhang.py`` (same session base dir), so the
    memoised decoding in :mod:`analysis.geo` serves both test modules.
    """
    data_dir = tmp_path_factory.getbasetemp() / "cohesion_real_boundaries"
    data_dir.mkdir(exist_ok=True)
    return settings(geo_base_url=str(shared_data / "cartomap"), data_dir=data_dir, offline=False)


#: share of 0–17-year-olds in the population, for test figures only (NL: about a fifth)
AANDEEL_JONGEREN = 0.2


@pytest.fixture(scope="session")
def population(real_processed) -> pd.DataFrame:
    """The population rows of the processed layer built from the real KWB 2020 recording
    (84799NED, fetched through the replay server with cbsodata)."""
    cfg, _ = real_processed
    d = store.load_indicators(cfg.data_dir)
    return d[d["indicator"].isin(["bevolking_totaal", "bevolking_0_17"])].reset_index(drop=True)


@pytest.fixture(scope="session")
def res(real_settings, population):
    """The whole cohesion analysis up to 2025 on the real boundaries, weighted by the
    processed population."""
    return analyse(real_settings, 2025, indicators=population)


def _derived(shared_data: Path, division: str, year: int) -> pd.DataFrame:
    df = pd.read_csv(
        shared_data / "derived" / f"gemeente_{division}_{year}.csv", dtype="str", encoding="utf-8"
    )
    return df.rename(columns={"gemeentecode": "gemeente_code", f"{division}code": "regio_code"})


def _members(res, name: str, year: int) -> pd.DataFrame:
    return res.geodata.lidmaatschap[name][year]


# ----------------------------------------------------------------------------- composition


@pytest.mark.parametrize("year", [2023, 2024])
def test_42_regions_every_gemeente_in_exactly_one(res, shared_data, year):
    m = _members(res, "jeugdregio", year)
    assert sorted(m["regio_code"].unique()) == JZ_CODES
    assert len(m) == 342 and m["gemeente_code"].is_unique
    comp = res.samenstelling[res.samenstelling["jaar"] == year]
    assert len(comp) == 42 and comp["n_gemeenten"].sum() == 342
    # independent check: the derived tables (interior point in region polygon) agree everywhere
    derived = _derived(shared_data, "jeugdregio", year).set_index("gemeente_code")["regio_code"]
    mine = m.set_index("gemeente_code")["regio_code"]
    assert mine.sort_index().equals(derived.sort_index())


def test_population_is_conserved_and_dominance(res, population):
    own = population[
        (population["jaar"] == 2020)
        & (population["indeling_jaar"] == 2020)
        & (population["regio_niveau"] == "gemeente")
    ]
    assert len(own) == 355
    total = own["waarde"].sum()
    for year in (2020, 2023, 2024):
        comp = res.samenstelling[res.samenstelling["jaar"] == year]
        assert comp["n_zonder_bevolking"].sum() == 0
        assert comp["bevolking"].sum() == pytest.approx(total, rel=1e-9)
    c24 = res.samenstelling[res.samenstelling["jaar"] == 2024].set_index("regio_code")
    # single-gemeente regions and Amsterdam are dominant; Zeeland (13 similar gemeenten) is not
    assert c24.loc["JZ15", "aandeel_grootste"] == 1.0 and c24.loc["JZ22", "n_gemeenten"] == 1
    assert c24.loc["JZ13", "grootste_naam"] == "Amsterdam"
    assert bool(c24.loc["JZ13", "dominante_centrumgemeente"])
    assert not bool(c24.loc["JZ38", "dominante_centrumgemeente"])
    assert c24.loc["JZ38", "ratio_grootste_kleinste"] > 1
    # 2024: the 2020 figures (KWB, 84799NED) restated onto the 2024 gemeenten
    assert "84799NED" in c24.loc["JZ13", "bron_bevolking"]
    assert "omgerekend naar indeling 2024" in c24.loc["JZ13", "bron_bevolking"]


def test_without_population_the_analysis_is_weighted_by_area_and_says_so(real_settings, res):
    bare = analyse(real_settings, 2024)
    assert bare.gewichten.soort == "oppervlakte"
    assert "geen inwonertallen" in bare.gewichten.bron
    assert res.gewichten.soort == "inwoners"


def test_production_code_never_reads_the_shared_test_folder():
    from analysis.config import project_root

    offenders = [
        str(p)
        for p in (project_root() / "src" / "analysis").rglob("*.py")
        if re.search(r"\.shared_data\b|[\"']cbs_statline_bq[\"']", p.read_text(encoding="utf-8"))
        and p.name != "config.py"  # declares the setting for tests and tools
    ]
    assert offenders == []


# ----------------------------------------------------------------------------- stability


def test_switches_2023_2024_found(res):
    t = res.tijdlijn
    t24 = t[(t["naar_jaar"] == 2024) & t["samenstelling_gewijzigd"]]
    assert set(t24["soort"]) == {"gewisseld"}
    got = {(r.gemeente_code, r.van_regio, r.naar_regio) for r in t24.itertuples()}
    assert got == {("GM0050", "JZ08", "JZ12"), ("GM0626", "JZ24", "JZ18")}
    assert set(t24["gemeente_naam"]) == {"Zeewolde", "Voorschoten"}


def test_events_and_notes_are_codes_not_sentences(res):
    from analysis.indicators.cohesion import NOTITIES, SOORTEN, Notitie

    assert not {"omschrijving", "soort_label"} & set(res.tijdlijn.columns)
    assert set(res.tijdlijn["soort"]) <= set(SOORTEN)
    assert all(isinstance(json.loads(g), dict) for g in res.tijdlijn["gegevens"])
    assert res.notities and all(
        isinstance(n, Notitie) and n.soort in NOTITIES for n in res.notities
    )


def test_2024_2025_no_change(res):
    t = res.tijdlijn
    assert t[t["naar_jaar"] == 2025].empty
    assert {"van_jaar": 2024, "naar_jaar": 2025, "methode": "leden"} in t.attrs["overgangen"]


def test_mergers_inside_and_across_regions(res):
    t = res.tijdlijn
    # Weesp (Gooi en Vechtstreek) joins Amsterdam (Amsterdam-Amstelland) in 2022 -> 2023
    weesp = t[(t["naar_jaar"] == 2023) & (t["gemeente_code"] == "GM0457")]
    assert list(weesp["soort"]) == ["herindeling_over_grens"]
    assert (weesp["van_regio"].iat[0], weesp["naar_regio"].iat[0]) == ("JZ16", "JZ13")
    # Voorne aan Zee: three members of Rijnmond merge; not a change of the cooperation
    voorne = t[(t["naar_jaar"] == 2023) & (t["gemeente_code"] == "GM1992")]
    assert (
        list(voorne["soort"]) == ["herindeling_binnen"]
        and not voorne["samenstelling_gewijzigd"].any()
    )
    assert set(voorne["betrokken_codes"].iat[0].split(",")) == {
        "GM0501",
        "GM0530",
        "GM0614",
        "GM1992",
    }
    # Haaren (Noordoost Brabant) is split in 2021, partly into Midden-Brabant
    haaren = t[(t["naar_jaar"] == 2021) & (t["gemeente_code"] == "GM0788")]
    assert set(haaren["soort"]) == {"splitsing_over_grens"}
    assert set(zip(haaren["van_regio"], haaren["naar_regio"], strict=True)) == {("JZ33", "JZ35")}
    # every 2021-2022 herindeling stays inside one region
    t22 = t[t["naar_jaar"] == 2022]
    assert len(t22) == 4 and not t22["samenstelling_gewijzigd"].any()


def test_boundary_method_agrees_with_memberships(res):
    """Where both methods apply, comparing region polygons finds the same region pairs."""
    layers = res.geodata.regio_lagen["jeugdregio"]
    t = res.tijdlijn
    for y in range(2020, 2025):
        by_poly = region_events(
            layers[y], layers[y + 1], van_jaar=y, naar_jaar=y + 1, boundary_changes=True
        )
        poly = by_poly[by_poly["soort"] == "grenswijziging"]
        members = t[
            (t["naar_jaar"] == y + 1) & (t["methode"] == "leden") & t["samenstelling_gewijzigd"]
        ]
        assert set(zip(poly["van_regio"], poly["naar_regio"], strict=True)) == set(
            zip(members["van_regio"], members["naar_regio"], strict=True)
        ), y
    # and it names the gemeenten from the gemeente layer
    by_poly = region_events(
        layers[2023], layers[2024], van_jaar=2023, naar_jaar=2024, boundary_changes=True,
        reference=res.geodata.gemeenten[2024], reference_jaar=2024,
    )  # fmt: skip
    named = by_poly.set_index("van_regio")["betrokken_gemeenten"]
    assert named["JZ08"] == "Zeewolde" and named["JZ24"] == "Voorschoten"


def test_years_without_gemeente_layers_use_boundaries(res):
    overg = {
        (o["van_jaar"], o["naar_jaar"]): o["methode"] for o in res.tijdlijn.attrs["overgangen"]
    }
    assert all(overg[(y, y + 1)] == "grenzen" for y in range(2015, 2020))
    assert all(overg[(y, y + 1)] == "leden" for y in range(2020, 2025))
    early = res.tijdlijn[res.tijdlijn["naar_jaar"] <= 2020]
    assert set(early["methode"]) <= {"grenzen"}
    # 2019 -> 2020: the only move is area now in Midden-Brabant, named after 2020 gemeenten
    e20 = early[(early["naar_jaar"] == 2020) & (early["soort"] == "grenswijziging")]
    assert set(zip(e20["van_regio"], e20["naar_regio"], strict=True)) == {("JZ34", "JZ35")}
    assert json.loads(e20["gegevens"].iat[0])["indeling_jaar"] == 2020


def test_region_rename_is_not_a_composition_change(res):
    t = res.tijdlijn
    names = t[t["soort"] == "regionaam"]
    assert {("JZ28", 2021), ("JZ32", 2021), ("JZ35", 2024)} <= set(
        zip(names["van_regio"], names["naar_jaar"], strict=True)
    )
    assert not names["samenstelling_gewijzigd"].any()


# ----------------------------------------------------------------------------- congruence


def test_ari_nmi_textbook_hand_example():
    """U = a a a b b b, V = x x y y z z (6 gemeenten, weight 1 each).

    Contingency [[2, 1, 0], [0, 1, 2]]: sum C(n_ij) = 1 + 1 = 2; rows C(3) + C(3) = 6; columns
    3 x C(2) = 3; C(6) = 15; expected = 6 * 3 / 15 = 1.2; max = 4.5; ARI = 0.8 / 3.3 = 8/33.
    I = 2 * (1/3) ln 2; H_U = ln 2; H_V = ln 3; NMI = (2/3 ln 2) / ((ln 2 + ln 3) / 2).
    """
    codes = [f"GM{i}" for i in range(6)]
    u = pd.DataFrame({"gemeente_code": codes, "regio_code": list("aaabbb")})
    v = pd.DataFrame({"gemeente_code": codes, "regio_code": list("xxyyzz")})
    table = contingency(u, v)
    assert table.to_numpy().tolist() == [[2, 1, 0], [0, 1, 2]]
    assert adjusted_rand_index(table) == pytest.approx(8 / 33)
    nmi = (2 / 3 * np.log(2)) / ((np.log(2) + np.log(3)) / 2)
    assert normalized_mutual_information(table) == pytest.approx(nmi)
    assert agreement(u, u)["ari"] == 1.0 and agreement(u, u)["nmi"] == pytest.approx(1.0)
    # integer weights are the same as repeating gemeenten: weight 2 on GM0 (a, x) gives
    # [[3, 1, 0], [0, 1, 2]]: index 3 + 1 = 4; rows C(4) + C(3) = 9; cols C(3) + C(2) + C(2) = 5;
    # C(7) = 21; expected 45/21; max 7; ARI = (4 - 15/7) / (7 - 15/7) = 13/34
    w = pd.Series([2, 1, 1, 1, 1, 1], index=codes)
    assert adjusted_rand_index(contingency(u, v, w)) == pytest.approx(13 / 34)
    expanded = [*codes, "GM0b"]
    u2 = pd.DataFrame({"gemeente_code": expanded, "regio_code": list("aaabbba")})
    v2 = pd.DataFrame({"gemeente_code": expanded, "regio_code": list("xxyyzzx")})
    assert adjusted_rand_index(contingency(u2, v2)) == pytest.approx(13 / 34)
    assert normalized_mutual_information(contingency(u, v, w)) == pytest.approx(
        normalized_mutual_information(contingency(u2, v2))
    )


@pytest.mark.parametrize("year", [2023, 2024])
def test_congruence_scores_every_division_pair(res, year):
    s = res.overeenstemming[res.overeenstemming["jaar"] == year]
    pairs = {frozenset((a, b)) for a, b in zip(s["indeling_a"], s["indeling_b"], strict=True)}
    expected = {frozenset((a, b)) for i, a in enumerate(DIVISIONS) for b in DIVISIONS[i + 1 :]}
    assert pairs == expected  # all 21 pairs, once each
    assert s["ari"].between(-1, 1).all() and s["nmi"].between(0, 1).all()
    assert (s["n_gemeenten"] == 342).all()
    # regions are far from random but not identical
    jz_am = s[(s["indeling_a"] == "jeugdregio") & (s["indeling_b"] == "arbeidsmarktregio")]
    assert 0.5 < jz_am["ari"].iat[0] < 1 and 0.5 < jz_am["nmi"].iat[0] < 1
    assert "inwoners" in jz_am["gewicht"].iat[0]


@pytest.mark.parametrize("year", [2023, 2024])
def test_regions_spanning_two_arbeidsmarktregios(res, shared_data, year):
    """The non-congruent set equals the one read independently from the derived CSVs."""
    jz = _derived(shared_data, "jeugdregio", year)
    am = _derived(shared_data, "arbeidsmarktregio", year)
    both = jz.merge(am, on="gemeente_code", suffixes=("_jz", "_am"))
    n_am = both.groupby("regio_code_jz")["regio_code_am"].nunique()
    spanning = sorted(n_am[n_am >= 2].index)
    assert spanning, "the derived tables must contain a jeugdregio spanning two regions"
    c = congruence_per_region(
        _members(res, "jeugdregio", year),
        _members(res, "arbeidsmarktregio", year).assign(indeling="arbeidsmarktregio"),
        res.gewichten_per_jaar[year],
    ).set_index("regio_code")
    assert len(c) == 42
    assert sorted(c.index[~c["congruent"]]) == spanning
    first = spanning[0]
    assert c.loc[first, "modaal_aandeel"] < 1
    assert c.loc[first, "n_regio_geraakt"] == n_am[first]
    assert (c.loc[c["congruent"], "modaal_aandeel"] == 1).all()
    assert set(c["relatie"]) <= {"gelijk", "binnen", "omvat", "overlappend"}
    if year == 2024:  # Zeewolde brought a second arbeidsmarktregio into Noord-Veluwe
        assert "Zeewolde" in c.loc["JZ12", "gemeenten_buiten_modaal"] or c.loc[
            "JZ12", "modale_regio_naam"
        ].startswith("Veluwe")
        assert not c.loc["JZ12", "congruent"]


def test_profile_uses_nearest_division_year_and_says_so(res):
    assert res.congruentie_jaar["arbeidsmarktregio"] == 2024
    assert any(
        n.soort == "congruentie_ander_jaar"
        and "arbeidsmarktregio" in n.indelingen
        and n.jaren[0] == 2024
        for n in res.notities
    )


# ----------------------------------------------------------------------------- geometry


def test_contiguity_all_42_with_island_rule(res):
    g = res.geometrie.set_index("regio_code")
    assert sorted(g.index) == JZ_CODES
    assert (g["n_delen"] >= 1).all() and g["polsby_popper"].between(0, 1).all()
    assert g["convexe_ratio"].between(0, 1).all()
    # Friesland and Kop van Noord-Holland have Wadden islands: counted, labelled, not fragmented
    for code, islands in {
        "JZ02": {"Terschelling", "Ameland", "Schiermonnikoog", "Vlieland"},
        "JZ03": {"Texel"},
    }.items():
        assert g.loc[code, "n_delen"] >= 1 + len(islands)
        assert islands <= set(re.split(r"[;,]\s*", g.loc[code, "eilanden"]))
        assert not g.loc[code, "versnipperd"]
    # Zeeuws-Vlaanderen is cut off by the Westerschelde and the border: an island, not a fragment
    assert "Terneuzen" in g.loc["JZ38", "eilanden"]
    assert not g["versnipperd"].any()
    assert (g["n_losse_delen"] == 0).all()


def test_fragment_reachable_only_through_another_region_is_flagged():
    """Hand-made: region A has two squares on both sides of region B -> 'los deel'."""
    regions = gpd.GeoDataFrame(
        {"regio_code": ["A", "B", "C"]},
        geometry=[
            box(0, 0, 10_000, 10_000).union(box(20_000, 0, 30_000, 10_000)),
            box(10_000, 0, 20_000, 10_000),
            box(0, 50_000, 5_000, 55_000),  # isolated: an island
        ],
        crs="EPSG:28992",
    )
    g = region_geometry(regions).set_index("regio_code")
    assert g.loc["A", "n_losse_delen"] == 1 and g.loc["A", "versnipperd"]
    assert not g.loc["B", "versnipperd"] and not g.loc["C", "versnipperd"]
    # a sliver below snipper_km2 is ignored
    sliver = regions.copy()
    sliver.loc[1, "geometry"] = sliver.geometry[1].union(box(40_000, 0, 40_500, 500))
    assert region_geometry(sliver).set_index("regio_code").loc["B", "n_snippers"] == 1


# ----------------------------------------------------------------------------- dispersion


def _constructed_indicators(members: pd.DataFrame, pop: pd.DataFrame, years=(2023, 2024)):
    """A long frame in the data contract: realistic rates, suppressed and tiny cells."""
    rng = np.random.default_rng(7)
    rows = []
    pop = pop.set_index("gemeente_code")
    for year in years:
        reeks = "jeugdzorg_2015_2020" if year <= 2020 else "jeugdzorg_2021_heden"
        for code in members["gemeente_code"]:
            youth = float(pop.at[code, "jongeren"])
            rate = rng.normal(120, 20) * (1.6 if code == "GM0014" else 1.0)  # Groningen high
            count = round(youth * rate / 1000)
            suppressed = code in {"GM0518", "GM1680"}  # Den Haag, Aa en Hunze
            kosten = youth * rng.normal(1.4, 0.25)  # 1 000 euro -> ~1 400 euro per jongere
            base = {"regio_code": code, "regio_niveau": "gemeente", "indeling_jaar": year,
                    "periode": str(year), "periode_type": "jaar", "jaar": year, "bron": "test"}  # fmt: skip
            rows += [
                {**base, "indicator": "bevolking_0_17", "waarde": youth, "onderdrukt": False, "reeks": ""},
                {**base, "indicator": "jongeren_met_jeugdzorg", "waarde": np.nan if suppressed else float(count),
                 "onderdrukt": suppressed, "reeks": reeks},
                {**base, "indicator": "kosten_jeugdzorg_gerealiseerd",
                 "waarde": np.nan if code == "GM0363" else kosten, "onderdrukt": code == "GM0363", "reeks": ""},
            ]  # fmt: skip
    return pd.DataFrame(rows)


@pytest.fixture(scope="session")
def constructed(res, real_settings, population):
    members = {y: _members(res, "jeugdregio", y) for y in (2023, 2024)}
    pop = restated_population(
        population, 2020, 2024, geo.load_crosswalk(2020, 2024, settings=real_settings)
    )
    pop["jongeren"] = (AANDEEL_JONGEREN * pop["bevolking"]).round()
    return members, pop, _constructed_indicators(members[2024], pop)


def test_dispersion_excludes_and_reports(constructed):
    members, pop, ind = constructed
    d = dispersion(ind, members, [2024], "gebruik").set_index("regio_code")
    assert len(d) == 42
    assert (d["n_meegeteld"] + d["n_uitgesloten"] == d["n_leden"]).all()
    # the Wadden islands Vlieland and Schiermonnikoog have far fewer than 500 young people
    assert "Vlieland: weinig jongeren" in d.loc["JZ02", "uitgesloten"]
    assert "Schiermonnikoog: weinig jongeren" in d.loc["JZ02", "uitgesloten"]
    assert "'s-Gravenhage: onderdrukt" in d.loc["JZ24", "uitgesloten"]
    assert "Aa en Hunze: onderdrukt" in d.loc["JZ04", "uitgesloten"]
    # statistics equal a direct computation over the included members
    mv = member_values(ind, members[2024], 2024, "gebruik")
    kept = mv[(mv["regio_code"] == "JZ01") & (mv["uitgesloten"] == "")]["waarde"].to_numpy()
    assert d.loc["JZ01", "cv"] == pytest.approx(kept.std() / kept.mean())
    assert d.loc["JZ01", "max_min"] == pytest.approx(kept.max() / kept.min())
    q1, q3 = np.percentile(kept, [25, 75])
    assert d.loc["JZ01", "iqr_mediaan"] == pytest.approx((q3 - q1) / np.median(kept))
    # single-gemeente regions get no spread
    assert np.isnan(d.loc["JZ22", "cv"]) and d.loc["JZ22", "n_meegeteld"] == 1
    # a small count (< 10) is excluded as such
    tiny = ind.copy()
    sel = (tiny["regio_code"] == "GM0088") & (tiny["indicator"] == "jongeren_met_jeugdzorg")
    tiny.loc[sel, "waarde"] = 4.0
    d2 = dispersion(tiny, members, [2024], "gebruik").set_index("regio_code")
    assert "Schiermonnikoog: weinig jongeren" in d2.loc["JZ02", "uitgesloten"]
    assert "klein aantal" not in d2.loc["JZ02", "uitgesloten"]  # tiny noemer wins for GM0088
    sel = (tiny["regio_code"] == "GM0093") & (tiny["indicator"] == "bevolking_0_17")
    tiny.loc[sel, "waarde"] = 800.0  # Terschelling: enough youth, count 4 -> small count
    sel = (tiny["regio_code"] == "GM0093") & (tiny["indicator"] == "jongeren_met_jeugdzorg")
    tiny.loc[sel, "waarde"] = 4.0
    d3 = dispersion(tiny, members, [2024], "gebruik").set_index("regio_code")
    assert "Terschelling: klein aantal (< 10)" in d3.loc["JZ02", "uitgesloten"]


def test_dispersion_of_spending_and_change_over_years(constructed):
    members, pop, ind = constructed
    k = dispersion(ind, members, [2024], "kosten").set_index("regio_code")
    assert "Amsterdam: onderdrukt" in k.loc["JZ13", "uitgesloten"]
    assert k["mediaan"].dropna().between(500, 3000).all()  # euro per jongere
    d = dispersion_change(dispersion(ind, members, [2023, 2024], "gebruik"))
    d24 = d[d["jaar"] == 2024].set_index("regio_code")
    assert d24["verandering_cv"].notna().sum() >= 30
    assert d24.loc["JZ01", "verandering_cv"] == pytest.approx(
        d24.loc["JZ01", "cv"] - d24.loc["JZ01", "cv_vorig_jaar"]
    )
    assert not d24["trendbreuk"].any()
    # a series change between the years is flagged as a trend break
    old = ind.copy()
    old.loc[(old["jaar"] == 2023) & (old["reeks"] != ""), "reeks"] = "jeugdzorg_2015_2020"
    d_break = dispersion_change(dispersion(old, members, [2023, 2024], "gebruik"))
    assert d_break.loc[d_break["jaar"] == 2024, "trendbreuk"].all()


# ----------------------------------------------------------------------------- profile


def test_profile_signals(res, shared_data):
    p = res.profiel.set_index("regio_code")
    assert len(p) == 42 and (p["jaar"] == 2025).all()
    assert set(SIGNALEN) <= set(p.columns)
    # composition changed within the 5-year window ending 2025: the 2024 switches and 2023 Weesp
    changed = set(p.index[p["samenstelling_gewijzigd"].fillna(False).astype(bool)])
    assert {"JZ08", "JZ12", "JZ18", "JZ24", "JZ13", "JZ16", "JZ33", "JZ35"} <= changed
    assert "JZ14" not in changed
    assert bool(p.loc["JZ22", "dominante_centrumgemeente"])
    assert not p["versnipperd_gebied"].fillna(True).any()
    assert p["grote_spreiding_gebruik"].isna().all()  # no use figures given: unknown, not "no"
    jz = _derived(shared_data, "jeugdregio", 2024)
    am = _derived(shared_data, "arbeidsmarktregio", 2024)
    n_am = jz.merge(am, on="gemeente_code").groupby("regio_code_x")["regio_code_y"].nunique()
    assert set(p.index[p["niet_congruent_arbeidsmarktregio"].astype(bool)]) == set(
        n_am[n_am >= 2].index
    )
    assert "samenstelling gewijzigd" in p.loc["JZ12", "signalen"]
    assert p.loc["JZ12", "n_signalen"] == p.loc["JZ12", "signalen"].count(";") + 1


def test_docs_thresholds_match_module_constant():
    doc = (project_root() / "docs" / "samenhang.md").read_text(encoding="utf-8")
    section = doc.split("## 8. Drempels", 1)[1]
    found = {
        m.group(1): float(m.group(2).replace(",", "."))
        for m in re.finditer(r"^\| `(\w+)` \| ([\d,]+) \|", section, flags=re.MULTILINE)
    }
    assert found == {k: float(v.waarde) for k, v in DREMPELS.items()}
    for s in SIGNALEN.values():
        assert s.label in doc


def test_membership_events_without_crosswalk_pairs_by_region():
    a = pd.DataFrame(
        {"jaar": 2021, "gemeente_code": ["G1", "G2", "G3"], "gemeente_naam": ["A", "B", "C"],
         "regio_code": ["R1", "R1", "R2"], "regio_naam": ["Een", "Een", "Twee"]}
    )  # fmt: skip
    b = pd.DataFrame(
        {"jaar": 2022, "gemeente_code": ["G9", "G3"], "gemeente_naam": ["AB", "C"],
         "regio_code": ["R1", "R1"], "regio_naam": ["Een", "Een"]}
    )  # fmt: skip
    ev = membership_events(a, b)
    assert set(ev["soort"]) == {"herindeling_binnen", "gewisseld"}
    assert ev.loc[ev["soort"] == "gewisseld", "gemeente_code"].tolist() == ["G3"]
    assert not ev.loc[ev["soort"] == "herindeling_binnen", "samenstelling_gewijzigd"].any()


def test_profile_unknown_is_not_no(res):
    """Without any pair of years in the window the composition signal is unknown (NA)."""
    empty = res.tijdlijn.iloc[0:0].copy()
    empty.attrs["overgangen"] = []
    p = cohesion_profile(2024, res.samenstelling, empty)
    assert p["samenstelling_gewijzigd"].isna().all()
    assert p["niet_congruent_arbeidsmarktregio"].isna().all()
    assert (p["n_signalen"] <= 1).all()  # only dominance can be known here
    assert p["onbekend"].str.contains("samenstelling gewijzigd").all()
    with_pairs = cohesion_profile(2024, res.samenstelling, res.tijdlijn)
    assert with_pairs["samenstelling_gewijzigd"].notna().all()
