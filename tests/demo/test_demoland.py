"""Demoland: synthetic tables in the exact shapes of the real CBS dumps, and boundaries."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon

from analysis import registry
from analysis.demo import bump_release, generate, load_info
from analysis.demo.jsonio import write_records, write_rows
from analysis.demo.names import DIACRITIC, all_generated_names
from tests.conftest import shared_data_dir

REAL = shared_data_dir() / "cbs_statline_bq"
DIM_TYPES = {"Dimension", "GeoDimension", "TimeDimension", "GeoDetail"}
NUMERIC = {"Long", "Double", "Float", "Integer"}
JZ_FORM = "VormenVanJeugdzorg"


# --------------------------------------------------------------------------------------
# fixtures and helpers
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("demoland") / "d"
    info = generate(out)
    return out, info


def load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def folders(out: Path) -> list[Path]:
    return sorted(p for p in (out / "opendata").iterdir() if p.is_dir())


def real(table: str, name: str):
    return load(REAL / table / name)


def dims_of(folder: Path) -> list[dict]:
    return [r for r in load(folder / "DataProperties.json") if r["Type"] in DIM_TYPES]


def rows_by(folder: Path, **where: str) -> list[dict]:
    data = load(folder / "TypedDataSet.json")
    return [r for r in data if all(r[k].strip() == v for k, v in where.items())]


def find_topic(folder: Path, pattern: str, group: str | None = None) -> list[dict]:
    dp = load(folder / "DataProperties.json")
    by_id = {r["ID"]: r for r in dp}

    def ancestors(rec: dict) -> list[dict]:
        out = []
        while rec["ParentID"] is not None:
            rec = by_id[rec["ParentID"]]
            out.append(rec)
        return out

    return [
        r
        for r in dp
        if r["Type"] == "Topic"
        and re.search(pattern, r["Title"], re.IGNORECASE)
        and (
            group is None or any(re.search(group, a["Title"], re.IGNORECASE) for a in ancestors(r))
        )
    ]


def resolve_selection(folder: Path, dim_pattern: str, cat_pattern: str) -> tuple[str, list[str]]:
    """The registry's rule: exactly one dimension by Key or Title, categories by Title."""
    dims = [
        d
        for d in dims_of(folder)
        if re.search(dim_pattern, d["Key"], re.IGNORECASE)
        or re.search(dim_pattern, d["Title"], re.IGNORECASE)
    ]
    assert len(dims) == 1, (folder.name, dim_pattern, [d["Key"] for d in dims])
    cats = load(folder / f"{dims[0]['Key']}.json")
    keys = [c["Key"] for c in cats if re.search(cat_pattern, c["Title"], re.IGNORECASE)]
    return dims[0]["Key"], keys


def decode_topojson(path: Path) -> tuple[str, list[tuple[dict, str, Polygon | MultiPolygon]]]:
    """Minimal TopoJSON decoder: quantised, delta-encoded arcs + transform; rings closed."""
    topo = load(path)
    assert topo["type"] == "Topology"
    ((name, obj),) = topo["objects"].items()
    scale = np.asarray(topo["transform"]["scale"])
    translate = np.asarray(topo["transform"]["translate"])
    arcs = [np.cumsum(np.asarray(a, dtype=np.int64), axis=0) for a in topo["arcs"]]

    def ring(idx: list[int]) -> np.ndarray:
        pts: list[np.ndarray] = []
        for i in idx:
            a = arcs[i] if i >= 0 else arcs[~i][::-1]
            pts.append(a if not pts else a[1:])
        q = np.concatenate(pts)
        assert (q[0] == q[-1]).all(), "ring not closed in quantised space"
        return q * scale + translate

    def polygon(rings: list[list[int]]) -> Polygon:
        rs = [ring(r) for r in rings]
        return Polygon(rs[0], rs[1:])

    feats = []
    for g in obj["geometries"]:
        if g["type"] == "Polygon":
            geom = polygon(g["arcs"])
        else:
            assert g["type"] == "MultiPolygon"
            geom = MultiPolygon([polygon(p) for p in g["arcs"]])
        feats.append((g["properties"], g["id"], geom))
    return name, feats


# --------------------------------------------------------------------------------------
# shapes
# --------------------------------------------------------------------------------------


def test_every_build_table_in_range_is_generated(demo) -> None:
    out, info = demo
    expected = set()
    for t in registry.tables(build_only=True):
        if t.table_year is not None:
            if 2015 <= t.table_year <= 2025:
                expected.add(t.id)
        elif t.years[0] <= 2025 and (t.years[1] is None or t.years[1] >= 2015):
            expected.add(t.id)
    skipped = {t["id"] for t in info.not_generated}
    assert all(t["reason"] for t in info.not_generated)
    assert {p.name for p in folders(out)} == expected - skipped
    assert {"84134NED", "85099NED", "03759ned", "83454NED", "82949NED", "86165NED"} <= (
        expected - skipped
    )
    # titles match the registry patterns (that is how the build finds them)
    for folder in folders(out):
        spec = registry.table(folder.name)
        (ti,) = load(folder / "TableInfos.json")
        assert ti["Identifier"] == folder.name
        assert re.search(spec.title, ti["Title"], re.IGNORECASE), (folder.name, ti["Title"])


def test_field_names_are_those_of_the_real_dumps(demo) -> None:
    out, _ = demo
    ti_fields = list(real("83583NED", "TableInfos.json")[0])
    assert ti_fields == list(real("84799NED", "TableInfos.json")[0])
    dp_fields = list(real("83583NED", "DataProperties.json")[0])
    dp_kwb = list(real("84799NED", "DataProperties.json")[0])
    dim_fields = list(real("83583NED", "Bedrijfsgrootte.json")[0])
    per_fields = list(real("83583NED", "Perioden.json")[0])
    cg_fields = list(real("83583NED", "CategoryGroups.json")[0])
    geo_fields = list(real("84799NED", "WijkenEnBuurten_land_gemeenten.json")[0])
    real_types = {(r["odata.type"], r["Type"]) for r in real("84799NED", "DataProperties.json")}
    real_types |= {(r["odata.type"], r["Type"]) for r in real("83583NED", "DataProperties.json")}
    real_types.add(("Cbs.OData.GeoDimension", "GeoDimension"))
    for folder in folders(out):
        (ti,) = load(folder / "TableInfos.json")
        assert list(ti) == ti_fields, folder.name
        assert ti["Catalog"] == "CBS" and ti["Language"] == "nl"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", ti["Modified"])
        assert ti["Updated"] == ti["Modified"] == ti["MetaDataModified"]
        dp = load(folder / "DataProperties.json")
        kwb = any(r["Type"] == "GeoDetail" for r in dp)
        for r in dp:
            assert list(r) == (dp_kwb if kwb else dp_fields), (folder.name, r["Key"])
            assert (r["odata.type"], r["Type"]) in real_types
        assert [r["ID"] for r in dp] == list(range(len(dp)))
        dims = [r for r in dp if r["Type"] in DIM_TYPES]
        topics = [r for r in dp if r["Type"] == "Topic"]
        assert ti["ColumnCount"] == len(dims) + len(topics)
        for d in dims:
            recs = load(folder / f"{d['Key']}.json")
            assert recs, (folder.name, d["Key"])
            want = {"TimeDimension": per_fields, "GeoDetail": geo_fields}.get(d["Type"], dim_fields)
            assert all(list(r) == want for r in recs), (folder.name, d["Key"])
        if (folder / "CategoryGroups.json").exists():
            groups = load(folder / "CategoryGroups.json")
            assert all(list(g) == cg_fields for g in groups)
            ids = {g["ID"] for g in groups}
            for d in dims:
                for c in load(folder / f"{d['Key']}.json"):
                    assert c.get("CategoryGroupID") is None or c["CategoryGroupID"] in ids


def test_typed_dataset_rows(demo) -> None:
    out, _ = demo
    real_pad = len(real("84799NED", "WijkenEnBuurten_land_gemeenten.json")[1]["Key"])
    for folder in folders(out):
        (ti,) = load(folder / "TableInfos.json")
        dp = load(folder / "DataProperties.json")
        dims = [r["Key"] for r in dp if r["Type"] in DIM_TYPES]
        topics = {r["Key"]: r["Datatype"] for r in dp if r["Type"] == "Topic"}
        data = load(folder / "TypedDataSet.json")
        assert len(data) == ti["RecordCount"] > 0
        assert [r["ID"] for r in data] == list(range(len(data)))
        assert all(list(r) == ["ID", *dims, *topics] for r in data)
        cats = {d: {c["Key"] for c in load(folder / f"{d}.json")} for d in dims}
        for d in dims:
            assert {r[d] for r in data} <= cats[d], (folder.name, d)
        for key in cats.get("RegioS", set()) | cats.get("WijkenEnBuurten", set()):
            assert len(key) == real_pad == 10 and key.strip() != key
        for k, dtype in topics.items():
            vals = [r[k] for r in data]
            if dtype in NUMERIC:
                assert all(v is None or type(v) in (int, float) for v in vals), (folder.name, k)
            else:
                assert dtype == "String" and all(isinstance(v, str) for v in vals), (folder.name, k)


def test_files_are_byte_identical_to_cbsodata_output(demo) -> None:
    out, _ = demo
    checked = 0
    for folder in folders(out):
        for f in sorted(folder.glob("*.json")):
            if f.stat().st_size > 2_000_000:
                continue
            raw = f.read_bytes()
            assert raw == json.dumps(json.loads(raw), indent=2).encode("ascii"), f
            checked += 1
    assert checked > 100


def test_json_writer_matches_json_dump(tmp_path: Path) -> None:
    recs = [
        {"ID": 0, "A": "GM9001    ", "B": None, "C": 1.5, "D": True, "E": "'s-Demohage"},
        {"ID": 1, "A": 'Súdwest-Demolân — "x"\n', "B": 12345678901, "C": 0.1, "D": False, "E": ""},
        {},
    ]
    write_records(tmp_path / "a.json", recs)
    assert (tmp_path / "a.json").read_text() == json.dumps(recs, indent=2)
    cols = list(recs[0])
    rows = [tuple(r.get(c) for c in cols) for r in recs[:2]] * 6000
    write_rows(tmp_path / "b.json", cols, iter(rows))
    expected = json.dumps([dict(zip(cols, r, strict=True)) for r in rows], indent=2)
    assert (tmp_path / "b.json").read_text() == expected
    write_rows(tmp_path / "c.json", cols, iter([]))
    assert (tmp_path / "c.json").read_text() == "[]"


def test_everything_says_it_is_synthetic(demo) -> None:
    out, info = demo
    for folder in folders(out):
        (ti,) = load(folder / "TableInfos.json")
        assert ti["Source"] == "Demoland (synthetisch, geen CBS-cijfers)"
        assert "SYNTHETISCHE GEGEVENS — Demoland" in ti["ShortDescription"]
        assert "SYNTHETISCHE GEGEVENS — Demoland" in ti["Summary"]
    readme = (out / "DEMOLAND.md").read_text(encoding="utf-8")
    assert "SYNTHETISCHE GEGEVENS" in readme and "geen CBS-cijfers" in readme
    meta = load(out / "demoland.json")
    assert "SYNTHETISCHE" in meta["synthetic"] and meta["seed"] == 20261123
    assert load_info(out).tables == info.tables


# --------------------------------------------------------------------------------------
# the registry resolves against Demoland
# --------------------------------------------------------------------------------------


def test_registry_patterns_resolve(demo) -> None:
    out, _ = demo
    resolved = 0
    for folder in folders(out):
        spec = registry.table(folder.name)
        for dim_pat, cat_pat in spec.fixed.items():
            _, keys = resolve_selection(folder, dim_pat, cat_pat)
            assert keys, (folder.name, cat_pat)
        for m in spec.measures:
            hits = find_topic(folder, m.topic, m.group)
            assert len(hits) == 1, (folder.name, m.indicator, [h["Key"] for h in hits])
            for dim_pat, cat_pat in m.where.items():
                dim, keys = resolve_selection(folder, dim_pat, cat_pat)
                assert keys, (folder.name, m.indicator, cat_pat)
                if dim == JZ_FORM:
                    assert len(keys) == 1, (folder.name, m.indicator, keys)
            resolved += 1
    assert resolved >= 12


def test_topic_keys_differ_between_the_two_youth_tables(demo) -> None:
    out, _ = demo
    old = find_topic(out / "opendata" / "84134NED", r"^Jongeren met jeugdzorg$")[0]["Key"]
    new = find_topic(out / "opendata" / "85099NED", r"^Jongeren met jeugdzorg$")[0]["Key"]
    assert new == "JongerenMetJeugdzorg_1" and old != new
    k_old = {c["Key"] for c in load(out / "opendata" / "84134NED" / f"{JZ_FORM}.json")}
    k_new = {c["Key"] for c in load(out / "opendata" / "85099NED" / f"{JZ_FORM}.json")}
    assert "A045561" in k_new and not k_old & k_new


def test_gebieden_jeugdregio_column_resolves_by_group(demo) -> None:
    out, info = demo
    keys = {}
    for year in range(2015, 2026):
        (spec,) = [
            t for t in registry.tables(reeks="gebieden_in_nederland") if t.table_year == year
        ]
        folder = out / "opendata" / spec.id
        code = find_topic(folder, r"^Code$", r"Jeugd")
        naam = find_topic(folder, r"^Naam$", r"Jeugd")
        assert len(code) == len(naam) == 1
        groups = {r["ID"]: r["Title"] for r in load(folder / "DataProperties.json")}
        assert groups[code[0]["ParentID"]] == (
            "Jeugdzorgregio's" if year <= 2016 else "Jeugdregio's"
        )
        assert len(find_topic(folder, r"^Inwonertal$")) == 1
        assert len(find_topic(folder, r"^Naam$", r"^Gemeenten$")) == 1
        keys[year] = (code[0]["Key"], find_topic(folder, r"^Inwonertal$")[0]["Key"])
        data = load(folder / "TypedDataSet.json")
        assert sorted(r["RegioS"].strip() for r in data) == sorted(info.gemeente_codes(year))
        assert all(re.fullmatch(r"JZ\d{2} {6}", r[code[0]["Key"]]) for r in data)
    assert len({k for k, _ in keys.values()}) > 1, "Code_* keys should shift between years"
    assert len({k for _, k in keys.values()}) > 1, "Inwonertal_* keys should shift between years"


# --------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------


def _youth_nl(out: Path, table: str, form_title: str, topic: str = r"^Jongeren met jeugdzorg$"):
    folder = out / "opendata" / table
    key = find_topic(folder, topic)[0]["Key"]
    (form,) = [c["Key"] for c in load(folder / f"{JZ_FORM}.json") if c["Title"] == form_title]
    rows = rows_by(folder, RegioS="NL01")
    return {r["Perioden"]: r[key] for r in rows if r[JZ_FORM] == form}


def test_suppression_and_rounding(demo) -> None:
    out, _ = demo
    for table in ("84134NED", "85099NED"):
        folder = out / "opendata" / table
        data = load(folder / "TypedDataSet.json")
        dp = load(folder / "DataProperties.json")
        counts = [r["Key"] for r in dp if r["Type"] == "Topic" and r["Title"] in
                  ("Jongeren met jeugdzorg", "Jeugdzorgtrajecten")]  # fmt: skip
        rel = find_topic(folder, r"relatief")[0]["Key"]
        n_null = 0
        for r in data:
            for k in counts:
                v = r[k]
                if v is None:
                    n_null += 1
                else:
                    assert v % 5 == 0 and v >= 10, (table, r)
            if r[counts[0]] is None:
                assert r[rel] is None
        assert n_null > 0
        # suppression hits small cells of existing gemeenten, not only absent codes
        gm = [r for r in data if r["RegioS"].startswith("GM") and r["Perioden"].endswith("JJ00")]
        tot = {(r["RegioS"], r["Perioden"]) for r in gm if r[JZ_FORM] in ("A045561", "A028400")
               and r[counts[0]] is not None}  # fmt: skip
        small = [r for r in gm if (r["RegioS"], r["Perioden"]) in tot and r[counts[0]] is None]
        assert small, table


def test_trend_break_visible_in_national_totals(demo) -> None:
    out, _ = demo
    old = _youth_nl(out, "84134NED", "JZ Totaal jeugdzorg")
    new = _youth_nl(out, "85099NED", "JZ Totaal jeugdzorg")
    series = {int(k[:4]): v for k, v in {**old, **new}.items() if k.endswith("JJ00")}
    assert sorted(series) == list(range(2015, 2026))
    yoy = [series[y] / series[y - 1] - 1 for y in range(2016, 2021)]
    jump = series[2021] / series[2020] - 1
    assert jump > 0.10 and jump > 2.5 * max(yoy), (jump, yoy)


def test_levels_are_plausible(demo) -> None:
    out, info = demo
    pop = out / "opendata" / "03759ned"
    cats = load(pop / "Leeftijd.json")
    young = {c["Key"] for c in cats if re.fullmatch(r"([0-9]|1[0-7]) jaar", c["Title"])}
    tot_key = next(c["Key"] for c in cats if c["Title"] == "Totaal")
    nl = [r for r in rows_by(pop, RegioS="NL01", Perioden="2023JJ00")
          if r["Geslacht"] == "T001038" and r["BurgerlijkeStaat"] == "T001019"]  # fmt: skip
    total = next(r["BevolkingOp1Januari_1"] for r in nl if r["Leeftijd"] == tot_key)
    y17 = sum(r["BevolkingOp1Januari_1"] for r in nl if r["Leeftijd"] in young)
    assert 0.19 <= y17 / total <= 0.21
    gm = [g["inwoners"] for g in info.gemeenten["2023"]]
    assert sum(gm) == total
    assert 0.08 <= max(gm) / total <= 0.15
    assert min(gm) < 3_000 and sum(5_000 <= g <= 30_000 for g in gm) >= len(gm) // 3

    def share(form: str) -> float:
        return _youth_nl(out, "85099NED", form)["2023JJ00"] / y17

    jh, jz = share("JH 1 Totaal jeugdhulp"), share("JZ Totaal jeugdzorg")
    assert 0.09 <= jh <= 0.13 and jh < jz < jh * 1.1
    assert 0.007 <= share("JH 122 Jeugdhulp met verblijf") <= 0.014
    assert 0.008 <= share("JB 1 Totaal jeugdbescherming") <= 0.013
    assert 0.002 <= share("JR 1 Totaal jeugdreclassering") <= 0.004
    # half-years are smaller than the year (unique persons), year >= each half
    nl_jz = _youth_nl(out, "85099NED", "JZ Totaal jeugdzorg")
    assert nl_jz["2023HJ01"] < nl_jz["2023JJ00"] and nl_jz["2023HJ02"] < nl_jz["2023JJ00"]


def test_national_total_is_sum_of_gemeenten_before_rounding(demo) -> None:
    out, info = demo
    folder = out / "opendata" / "85099NED"
    data = load(folder / "TypedDataSet.json")
    codes = set(info.gemeente_codes(2023))
    jz = [r for r in data if r[JZ_FORM] == "A045561" and r["Perioden"] == "2023JJ00"]
    nl = next(r["JongerenMetJeugdzorg_1"] for r in jz if r["RegioS"].strip() == "NL01")
    gm = [r["JongerenMetJeugdzorg_1"] for r in jz if r["RegioS"].strip() in codes]
    assert None not in gm and len(gm) == len(codes)
    assert abs(nl - sum(gm)) <= 2.5 * len(gm) + 2.5
    pv = [r["JongerenMetJeugdzorg_1"] for r in jz if r["RegioS"].startswith("PV")]
    assert abs(nl - sum(pv)) <= 2.5 * len(pv) + 2.5


def test_gemeente_spread_larger_in_one_region(demo) -> None:
    out, info = demo
    data = load(out / "opendata" / "85099NED" / "TypedDataSet.json")
    rel = {r["RegioS"].strip(): r["JongerenMetJeugdzorgRelatief_2"] for r in data
           if r[JZ_FORM] == "A045560" and r["Perioden"] == "2023JJ00"}  # fmt: skip
    by_region: dict[str, list[float]] = {}
    for g in info.gemeenten["2023"]:
        if rel.get(g["code"]) is not None:
            by_region.setdefault(g["jeugdregio"], []).append(rel[g["code"]])
    cv = {k: np.std(v) / np.mean(v) for k, v in by_region.items() if len(v) >= 3}
    others = [v for k, v in cv.items() if k != info.spread_region]
    assert cv[info.spread_region] > 1.5 * max(others), cv


def test_period_status_and_titles(demo) -> None:
    out, _ = demo
    per = load(out / "opendata" / "85099NED" / "Perioden.json")
    by_key = {p["Key"]: p for p in per}
    assert by_key["2025JJ00"]["Status"] == "Voorlopig" and by_key["2025JJ00"]["Title"] == "2025*"
    assert by_key["2024HJ02"]["Status"] == "Nader voorlopig"
    assert by_key["2024HJ02"]["Title"] == "2e halfjaar 2024**"
    assert by_key["2023HJ01"] == {"Key": "2023HJ01", "Title": "1e halfjaar 2023",
                                  "Description": "", "Status": "Definitief"}  # fmt: skip
    old = load(out / "opendata" / "84134NED" / "Perioden.json")
    assert {p["Status"] for p in old} == {"Definitief"} and len(old) == 18


def test_costs_have_gaps_like_the_real_table(demo) -> None:
    out, info = demo
    data = load(out / "opendata" / "83454NED" / "TypedDataSet.json")
    # as at CBS: region dimension 'Regio' (not RegioS), gemeenten only, half-years 2015-2018
    assert all(r["Regio"].startswith("GM") for r in data) and "RegioS" not in data[0]
    periods = {r["Perioden"] for r in data}
    assert {"2015HJ01", "2018HJ02", "2015JJ00"} <= periods and "2019HJ01" not in periods
    rows = [r for r in data if r[JZ_FORM] == "A045561" and r["Perioden"] == "2023JJ00"
            and r["Regio"].strip() in set(info.gemeente_codes(2023))]  # fmt: skip
    missing = sum(r["GerealiseerdeKosten_2"] is None for r in rows) / len(rows)
    assert 0.1 <= missing <= 0.5
    both = [r for r in rows if r["BegroteKosten_1"] and r["GerealiseerdeKosten_2"]]
    over = sum(r["BegroteKosten_1"] < r["GerealiseerdeKosten_2"] for r in both)
    assert 0 < over < len(both)  # most overspend, some do not


# --------------------------------------------------------------------------------------
# the story: merger and region switch, in tables and boundaries
# --------------------------------------------------------------------------------------


def test_merger_in_tables(demo) -> None:
    out, info = demo
    assert info.merger_year == 2022 and len(info.mergers) == 1
    (m,) = info.mergers
    olds = [f["code"] for f in m["from"]]
    new = m["to"]["code"]
    counts = {y: len(info.gemeente_codes(y)) for y in range(2015, 2026)}
    assert counts[2021] == 40 and counts[2022] == 40 - (len(olds) - 1)
    for y in range(2015, 2026):
        codes = set(info.gemeente_codes(y))
        assert (new in codes) == (y >= 2022) and all((o in codes) == (y < 2022) for o in olds)
    data = load(out / "opendata" / "85099NED" / "TypedDataSet.json")
    tot = {(r["RegioS"].strip(), r["Perioden"]): r["JongerenMetJeugdzorg_1"] for r in data
           if r[JZ_FORM] == "A045561"}  # fmt: skip
    assert tot[(new, "2021JJ00")] is None and tot[(new, "2022JJ00")] is not None
    assert all(tot[(o, "2021JJ00")] is not None and tot[(o, "2022JJ00")] is None for o in olds)
    regio = {r["Key"].strip(): r for r in load(out / "opendata" / "85099NED" / "RegioS.json")}
    assert "ontstaan uit" in regio[new]["Description"]
    # KWB and Gebieden follow the classification of their year
    for y, code_set in ((2021, olds), (2022, [new])):
        kwb = next(
            t for t in registry.tables(reeks="kerncijfers_wijken_buurten") if t.table_year == y
        )
        keys = {r["Key"].strip() for r in load(out / "opendata" / kwb.id / "WijkenEnBuurten.json")}
        assert set(code_set) <= keys


def test_region_switch_in_gebieden(demo) -> None:
    out, info = demo
    (sw,) = info.region_switches
    assert sw["year"] == 2024 and sw["from"] != sw["to"]

    def jz(year: int) -> dict[str, str]:
        (spec,) = [
            t for t in registry.tables(reeks="gebieden_in_nederland") if t.table_year == year
        ]
        folder = out / "opendata" / spec.id
        key = find_topic(folder, r"^Code$", r"Jeugd")[0]["Key"]
        return {r["RegioS"].strip(): r[key].strip() for r in load(folder / "TypedDataSet.json")}

    a, b = jz(2023), jz(2024)
    changed = {g: (a[g], b[g]) for g in a if a[g] != b[g]}
    assert changed == {sw["gemeente"]: (sw["from"], sw["to"])}
    assert jz(2024) == jz(2025)


def _geo(out: Path, layer: str, year: int):
    name, feats = decode_topojson(out / "geo" / f"{layer}_{year}.topojson")
    assert name == f"{layer}_{year}"
    return feats


def test_topojson_layout(demo) -> None:
    out, info = demo
    layers = ("gemeente", "jeugdregio", "provincie", "arbeidsmarktregio", "veiligheidsregio")
    assert len(info.geo) == len(layers) * 11
    for layer in layers:
        for year in (2015, 2024):
            feats = _geo(out, layer, year)
            for props, fid, geom in feats:
                assert list(props) == ["statcode", "jrstatcode", "statnaam", "rubriek", "id", "FID"]
                assert fid == props["statcode"] and props["rubriek"] == layer
                assert props["jrstatcode"] == f"{year}{fid}"
                assert geom.is_valid and geom.area > 0
                x0, y0, x1, y1 = geom.bounds
                assert 3.0 < x0 < x1 < 7.5 and 50.6 < y0 < y1 < 53.7  # lon/lat inside NL's box
    codes = [p["statcode"] for p, _, _ in _geo(out, "gemeente", 2023)]
    assert codes == sorted(info.gemeente_codes(2023))
    names = {p["statnaam"] for p, _, _ in _geo(out, "gemeente", 2025)}
    assert {"'s-Demohage", DIACRITIC} <= names


def test_gemeenten_tile_the_country(demo) -> None:
    out, _ = demo
    for year in (2021, 2022):
        geoms = [g for _, _, g in _geo(out, "gemeente", year)]
        union = shapely.union_all(geoms)
        total = sum(g.area for g in geoms)
        assert abs(total - union.area) / union.area < 0.005
        # neighbours share their boundaries: mainland + island, no holes (no gaps)
        assert union.geom_type == "MultiPolygon" and len(union.geoms) == 2
        assert all(len(p.interiors) == 0 for p in union.geoms)
        for layer in ("jeugdregio", "provincie", "arbeidsmarktregio", "veiligheidsregio"):
            regs = shapely.union_all([g for _, _, g in _geo(out, layer, year)])
            assert abs(regs.area - union.area) / union.area < 1e-6


def test_regions_are_contiguous_except_the_island(demo) -> None:
    out, info = demo
    island_geom = next(g for p, _, g in _geo(out, "gemeente", 2024) if p["statcode"] == info.island)
    multi = 0
    for layer in ("jeugdregio", "provincie", "arbeidsmarktregio", "veiligheidsregio"):
        for year in (2015, 2024):
            for props, _, geom in _geo(out, layer, year):
                parts = list(getattr(geom, "geoms", [geom]))
                if len(parts) > 1:
                    multi += 1
                    assert len(parts) == 2, (layer, props["statcode"])
                    assert any(p.symmetric_difference(island_geom).area < 1e-9 for p in parts)
    assert multi == 8  # the island's region, in each of the four divisions and both years


def test_switch_and_merger_in_boundaries(demo) -> None:
    out, info = demo
    (sw,) = info.region_switches

    def membership(year: int) -> dict[str, str]:
        regs = _geo(out, "jeugdregio", year)
        res = {}
        for p, _, g in _geo(out, "gemeente", year):
            pt = g.representative_point()
            (hit,) = [rp["statcode"] for rp, _, rg in regs if rg.contains(pt)]
            res[p["statcode"]] = hit
        return res

    a, b = membership(2023), membership(2024)
    assert {g for g in a if a[g] != b[g]} == {sw["gemeente"]}
    assert b[sw["gemeente"]] == sw["to"]
    # the merged gemeente is the union of its predecessors
    (m,) = info.mergers
    old = {p["statcode"]: g for p, _, g in _geo(out, "gemeente", 2021)}
    new = {p["statcode"]: g for p, _, g in _geo(out, "gemeente", 2022)}
    union = shapely.union_all([old[f["code"]] for f in m["from"]])
    assert new[m["to"]["code"]].symmetric_difference(union).area < 1e-9


def test_arbeidsmarktregios_do_not_line_up_with_jeugdregios(demo) -> None:
    _, info = demo
    ams: dict[str, set[str]] = {}
    for g in info.gemeenten["2023"]:
        ams.setdefault(g["jeugdregio"], set()).add(g["arbeidsmarktregio"])
    assert any(len(v) > 1 for v in ams.values())


def test_decoder_agrees_with_project_reader(demo) -> None:
    topojson = pytest.importorskip("analysis.geo.topojson")
    out, _ = demo
    path = out / "geo" / "gemeente_2022.topojson"
    gdf = topojson.read_topojson(path)
    mine = {fid: g for _, fid, g in decode_topojson(path)[1]}
    assert len(gdf) == len(mine)
    assert gdf.attrs.get("n_repaired", 0) == 0
    for code, geom in zip(gdf["statcode"], gdf.geometry, strict=True):
        assert geom.symmetric_difference(mine[code]).area < 1e-12


# --------------------------------------------------------------------------------------
# names, determinism, sizes, releases
# --------------------------------------------------------------------------------------


def test_names_unique_fictional_and_tricky(demo) -> None:
    _, info = demo
    for year, gems in info.gemeenten.items():
        names = [g["naam"] for g in gems]
        assert len(set(names)) == len(names), year
        assert all(re.fullmatch(r"GM9\d{3}", g["code"]) for g in gems)
    latest = {g["naam"] for g in info.gemeenten["2025"]}
    assert "'s-Demohage" in latest and "Súdwest-Demolân" in latest
    assert all(re.fullmatch(r"JZ\d{2}", r["code"]) for r in info.regions["jeugdregio"])
    real_names: set[str] = set()
    for f in (shared_data_dir() / "derived").glob("*.csv"):
        with open(f, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                real_names |= {v for k, v in row.items() if k.endswith("naam")}
    assert len(real_names) > 300
    assert not real_names & set(all_generated_names())


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_gives_identical_bytes(demo, tmp_path: Path) -> None:
    out, _ = demo
    generate(tmp_path / "again")
    assert _digest(tmp_path / "again") == _digest(out)


def test_other_size_and_years(tmp_path: Path) -> None:
    info = generate(tmp_path / "big", n_gemeenten=100, n_regios=12, seed=7, first_year=2019,
                    last_year=2024)  # fmt: skip
    assert info.sizes["jeugdregio"] == 12 and len(info.gemeente_codes(2019)) == 100
    jz = [r["code"] for r in info.regions["jeugdregio"]]
    assert len(set(jz)) == 12 and all(re.fullmatch(r"JZ\d{2}", c) for c in jz)
    assert info.merger_year == 2022 and info.switch_year == 2024
    ids = {t["id"] for t in info.tables}
    assert {"84134NED", "85099NED", "83454NED", "03759ned"} <= ids
    assert "82949NED" not in ids and "84378NED" in ids  # Gebieden 2015 out of range, 2019 in
    periods = [p["Key"] for p in load(tmp_path / "big" / "opendata" / "84134NED" / "Perioden.json")]
    assert periods[0] == "2019JJ00" and periods[-1] == "2020HJ02"
    feats = decode_topojson(tmp_path / "big" / "geo" / "gemeente_2024.topojson")[1]
    assert (
        len(feats)
        == len(info.gemeente_codes(2024))
        == 100 - sum(len(m["from"]) - 1 for m in info.mergers)
    )
    generate(tmp_path / "big", n_gemeenten=30, n_regios=3, first_year=2023, last_year=2024)
    assert not (tmp_path / "big" / "opendata" / "84134NED").exists()  # old output replaced


def test_sparse_cube_leaves_out_absent_codes(tmp_path: Path) -> None:
    info = generate(tmp_path / "s", n_gemeenten=20, n_regios=2, first_year=2020, last_year=2023,
                    full_cube=False)  # fmt: skip
    assert load_info(tmp_path / "s").full_cube is False
    for tid in ("85099NED", "84134NED", "83454NED", "03759ned"):
        data = load(tmp_path / "s" / "opendata" / tid / "TypedDataSet.json")
        (ti,) = load(tmp_path / "s" / "opendata" / tid / "TableInfos.json")
        assert [r["ID"] for r in data] == list(range(len(data))) and ti["RecordCount"] == len(data)
        for r in data:
            code = r.get("RegioS", r.get("Regio", "")).strip()
            if code.startswith("GM"):
                assert code in info.gemeente_codes(int(r["Perioden"][:4])), (tid, r)


def test_refuses_to_overwrite_foreign_folders(tmp_path: Path) -> None:
    (tmp_path / "x" / "opendata" / "mine").mkdir(parents=True)
    with pytest.raises(FileExistsError):
        generate(tmp_path / "x")


def test_bump_release(tmp_path: Path) -> None:
    out = tmp_path / "rel"
    generate(out)
    folder = out / "opendata" / "85099NED"
    before = load(folder / "TypedDataSet.json")
    other = _digest(out / "opendata" / "03759ned")
    bump_release(out, "85099NED", modified="2026-10-31T02:00:00")
    (ti,) = load(folder / "TableInfos.json")
    assert ti["Modified"] == ti["MetaDataModified"] == "2026-10-31T02:00:00"
    after = load(folder / "TypedDataSet.json")
    assert len(after) == len(before) == ti["RecordCount"]
    status = {p["Key"]: p["Status"] for p in load(folder / "Perioden.json")}
    changed = {a["Perioden"] for a, b in zip(after, before, strict=True) if a != b}
    assert changed and all(status[p] != "Definitief" for p in changed)
    n_changed = sum(a != b for a, b in zip(after, before, strict=True))
    assert n_changed < len(before) // 4  # a few revisions, not a new table
    assert _digest(out / "opendata" / "03759ned") == other
    entry = load_info(out).table("85099NED")
    assert entry["modified"] == "2026-10-31T02:00:00" and entry["revision"] == 1
    bump_release(out, "85099NED", modified="2027-04-30T02:00:00")
    assert load(folder / "TableInfos.json")[0]["Modified"] == "2027-04-30T02:00:00"
    assert load(folder / "TypedDataSet.json") != after
