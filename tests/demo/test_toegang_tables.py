"""Demoland's access tables (85097NED, 85094NED, 82975NED, 82977NED) in their CBS shapes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import registry
from analysis.demo import bump_release, generate, load_info


def _load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def _frame(folder: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    df = pd.DataFrame(_load(folder / "TypedDataSet.json"))
    for c in ("RegioS", "Perioden", "Verwijzer"):
        if c in df:
            df[c] = df[c].str.strip()
    props = _load(folder / "DataProperties.json")
    return df, {p["Title"]: p["Key"] for p in props if p["Type"] == "Topic"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("demo_toegang") / "d"
    info = generate(out)
    return out, info


def test_all_four_tables_generated_with_titles_matching_the_registry(demo) -> None:
    out, info = demo
    for tid in ("85097NED", "85094NED", "82975NED", "82977NED"):
        entry = info.table(tid)
        title = _load(out / "opendata" / tid / "TableInfos.json")[0]["Title"]
        assert title == entry["title"]
        assert registry.table(tid).title.lower().replace("\\", "")[:20] in title.lower()
        assert entry["years"] == [2021, 2025]
    assert not [t for t in info.not_generated if t["id"] in {"85097NED", "85094NED"}]


def test_referrers_periods_and_reference_dates(demo) -> None:
    out, _ = demo
    verw = [r["Title"] for r in _load(out / "opendata" / "85097NED" / "Verwijzer.json")]
    assert verw[0] == "Totaal verwijzers" and "Huisarts" in verw and "Gemeentelijke toegang" in verw
    per = {r["Key"]: r for r in _load(out / "opendata" / "85097NED" / "Perioden.json")}
    assert per["2023HJ01"]["Title"] == "1e halfjaar 2023"
    assert per["2025JJ00"]["Status"] == "Voorlopig" and per["2025JJ00"]["Title"] == "2025*"
    peil = [r["Title"] for r in _load(out / "opendata" / "85094NED" / "Perioden.json")]
    assert peil[:2] == ["30 juni 2021", "31 december 2021"] and "30 juni 2025*" in peil
    jb = [r["Title"] for r in _load(out / "opendata" / "82975NED" / "Perioden.json")]
    assert "2022 1e halfjaar" in jb
    groups = [r["Title"] for r in _load(out / "opendata" / "82975NED" / "DataProperties.json")
              if r["Type"] == "TopicGroup"]  # fmt: skip
    assert "Duur beëindigde trajecten" in groups


def test_rounding_suppression_and_weighted_national_duration(demo) -> None:
    out, _ = demo
    df, keys = _frame(out / "opendata" / "85097NED")
    beg, eind = keys["Totaal begonnen trajecten"], keys["Totaal beëindigde trajecten"]
    duur = keys["Gemiddelde duur beëindigde trajecten"]
    vals = df[beg].dropna().to_numpy()
    assert (vals % 5 == 0).all() and vals.min() >= 10  # rounded to 5, nothing below 10
    assert df[beg].isna().any()  # suppressed cells exist (null, never 0)
    assert not (df[duur].notna() & df[eind].isna()).any()  # a duration only with its weight
    tot = df[(df["Verwijzer"] == "T001070") & (df["Perioden"] == "2024JJ00")]
    gm = tot[tot["RegioS"].str.startswith("GM") & tot[duur].notna()]
    nl = tot[tot["RegioS"] == "NL01"].iloc[0]
    weighted = (gm[duur] * gm[eind]).sum() / gm[eind].sum()
    assert nl[duur] == pytest.approx(weighted, abs=3)  # CBS's own mean over trajectories
    assert abs(nl[duur] - gm[duur].mean()) > abs(nl[duur] - weighted)


def test_new_release_revises_only_provisional_cells(tmp_path) -> None:
    out = tmp_path / "d"
    generate(out, n_gemeenten=12, n_regios=2)
    before, keys = _frame(out / "opendata" / "85097NED")
    bump_release(out, "85097NED", modified="2026-10-31T02:00:00")
    after, _ = _frame(out / "opendata" / "85097NED")
    beg = keys["Totaal begonnen trajecten"]
    prov = before["Perioden"].str.startswith(("2024", "2025"))
    assert before.loc[~prov, beg].equals(after.loc[~prov, beg])
    diff = before.loc[prov, beg].fillna(-1).to_numpy() != after.loc[prov, beg].fillna(-1).to_numpy()
    assert np.any(diff)
    assert load_info(out).table("85097NED")["revision"] == 1
