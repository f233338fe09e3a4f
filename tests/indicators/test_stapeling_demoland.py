"""Stapeling on Demoland: the whole chain (generated CBS-shaped tables, the real client through
the replay server, the build) and the indicators of ``docs/stapeling.md`` on its output."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analysis import registry
from analysis.demo import load_info
from analysis.indicators import stapeling_data as sd


@pytest.fixture(scope="module")
def layer(demoland):
    root, _ = demoland
    df = pd.read_parquet(root / "processed" / "indicators.parquet")
    wijken = pd.read_parquet(root / "processed" / "wijken.parquet")
    report = json.loads((root / "processed" / "build_report.json").read_text())
    return root, df, wijken, report


def _eigen(df: pd.DataFrame) -> pd.DataFrame:
    """Gemeente year rows as published, each on its own year's classification."""
    pub = df[~df["berekend"] & df["indeling_jaar"].eq(df["jaar"])]
    frames = [sd.breed(pub, int(j)).xs(int(j), level="jaar", drop_level=False) for j in
              sorted(pub.loc[pub.indicator.eq(sd.TOTAAL), "jaar"].unique())]  # fmt: skip
    return pd.concat(frames)


def test_every_year_table_but_2020(layer) -> None:
    root, df, _, _ = layer
    generated = {t["id"] for t in load_info(root / "dumps").tables}
    years = set(df.loc[df.indicator.eq(sd.TOTAAL) & df.waarde.notna(), "jaar"])
    assert years == {2015, 2016, 2017, 2018, 2019, 2021, 2022, 2023, 2024}
    assert [t.years[0] for t in registry.unknown_tables() if t.reeks == "stapeling"] == [2020]
    assert {"83265NED", "86195NED", "85994NED", "85101NED", "85896NED"} <= generated


def test_sum_check_reported_for_every_gemeente_and_year(layer) -> None:
    _, df, _, report = layer
    wide = _eigen(df)
    wide = wide[wide.index.get_level_values("jaar") >= 2016]  # 2015: no combinations at CBS
    checks = sd.som_controle(wide)
    assert len(checks) == len(wide) and len(wide) > 200
    assert set(checks["status"]) <= {"ok", "onvolledig"}
    ok = checks[checks["status"].eq("ok")]
    assert len(ok) > 100 and (ok["verschil"].abs() <= 35).all()
    assert (ok["verschil"] != 0).any()  # rounding to 5 shows; nothing was forced
    # suppressed cells make the check "onvolledig", and the multi-law share stays missing
    onv = checks[checks["status"].eq("onvolledig")].index
    assert len(onv) > 0
    meer = wide.loc[onv, [sd.COMBI[c] for c in sd.stapeling.MEER_WETTEN]].isna().any(axis=1)
    for key in onv[meer.to_numpy()][:5]:
        assert sd.kengetallen(wide.loc[[key]])["aandeel_meer_wetten"] is None
    stap = next(c for c in report["checks"] if c["check"].startswith("stapeling: exclusive"))
    assert stap["ok"] and "0 deviating" in stap["detail"] and "nothing forced" in stap["detail"]


def test_per_row_figures_equal_kengetallen_of_each_row(layer) -> None:
    """The one-pass figures per gemeente are exactly kengetallen of each row on its own,
    including rows with suppressed cells (None, n_ = 0) and every sum-check status."""
    _, df, _, _ = layer
    wide = _eigen(df)
    seen = set()
    for jaar in (2015, 2019, 2023):
        rows = wide.xs(jaar, level="jaar")
        got = sd.kengetallen_per_rij(rows)
        assert list(got.index) == list(rows.index)
        for code in rows.index:
            want = sd.kengetallen(rows.loc[[code]])
            assert got.loc[code].to_dict() == want
            assert list(got.columns) == list(want)
            seen |= {want["controle"], want["aandeel_meer_wetten"] is None}
    assert {"ok", "onvolledig", True, False} <= seen


def test_concentration_curve_monotone_and_ends_at_one(layer) -> None:
    _, df, _, _ = layer
    wide = _eigen(df)
    n = 0
    for key in wide.index:
        curve = sd.concentratie(wide.loc[[key]])
        if curve is None:
            continue
        assert curve["aandeel_huishoudens"].is_monotonic_increasing
        assert curve["aandeel_voorzieningen"].is_monotonic_increasing
        assert curve.iloc[-1][["aandeel_huishoudens", "aandeel_voorzieningen"]].tolist() == [1, 1]
        # households with the most provisions hold more than their share
        assert sd.stapeling.aandeel_van_voorzieningen(curve, 0.2) > 0.2
        n += 1
    assert n > 200


def test_trend_shows_2020_as_a_gap(layer) -> None:
    _, df, _, _ = layer
    ref = int(df["indeling_jaar"].max())
    wide = sd.breed(df, ref)
    codes = sorted(set(wide.index.get_level_values("regio_code")))
    per_1000 = sd.trend(wide, codes, sd.TOTAAL, tot=2024, noemer=sd.HUISHOUDENS)
    assert np.isnan(per_1000[2020])
    assert per_1000.drop(2020).notna().all()
    assert 100 < per_1000[2019] < 300
    share = sd.aandeel_trend(wide, codes, tot=2024)
    assert np.isnan(share[2020]) and np.isnan(share[2015])  # 2015: no combinations
    assert share[[2016, 2019, 2021, 2024]].between(0.05, 0.3).all()


def test_national_value_from_summed_numerators(layer) -> None:
    _, df, _, _ = layer
    ref = int(df["indeling_jaar"].max())
    rows = sd.breed(df, ref).xs(2023, level="jaar")
    k = sd.kengetallen(rows)
    assert k["huishoudens"] == rows[sd.TOTAAL].sum()
    assert k["per_1000"] == pytest.approx(rows[sd.TOTAAL].sum() * 1000 / rows[sd.HUISHOUDENS].sum())
    # the mean of the gemeente rates is not the national rate
    mean = (rows[sd.TOTAAL] * 1000 / rows[sd.HUISHOUDENS]).mean()
    assert k["per_1000"] != pytest.approx(mean, rel=1e-6)
    assert 40 < k["wmo_per_1000"] < 120


def test_wijken_own_level_merger_moves_them(layer) -> None:
    root, df, wijken, report = layer
    assert not df["regio_code"].str.startswith("WK").any()
    info = load_info(root / "dumps")
    merged = wijken[wijken["koppeling"].eq("opgegaan")]
    assert len(merged) > 0
    assert (merged["gemeente_code"] != merged["gemeente_code_ref"]).all()
    to = {f["code"]: m["to"]["code"] for m in info.mergers for f in m["from"]}
    assert set(merged.gemeente_code) == set(to)  # every merged gemeente has wijken that moved
    assert all(
        to[g] == r for g, r in zip(merged.gemeente_code, merged.gemeente_code_ref, strict=True)
    )
    # small wijken are suppressed (missing, flagged), never 0
    small = wijken[wijken["regio_naam"].str.contains("Buitengebied")]
    assert small["onderdrukt"].any() and small.loc[small.onderdrukt, "waarde"].isna().all()
    check = next(c for c in report["checks"] if c["check"] == "wijk sums vs gemeente rows")
    assert "gemeente row kept" in check["detail"]


def test_youth_care_overlap_groups(layer) -> None:
    _, df, _, _ = layer
    ref = int(df["indeling_jaar"].max())
    rows = sd.breed(df, ref).xs(2023, level="jaar")
    groups = sd.samenloop(rows)
    assert groups is not None and list(groups["groep"]) == list(registry.JEUGDZORG_SAMENLOOP)
    natura = groups.set_index("groep").loc["natura"]
    # a suppressed pgb cell leaves the group missing for that gemeente (never filled in)
    assert natura["aantal"] > 0 and len(rows) / 2 < natura["n_gemeenten"] < len(rows)
    assert groups["n_gemeenten"].min() < natura["n_gemeenten"]
    complete = groups["aandeel"].dropna()
    if len(complete) == len(groups):
        assert complete.sum() == pytest.approx(1.0)
