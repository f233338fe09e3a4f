"""Demoland end to end: generated dumps → replay server → real cbsodata → snapshots → build."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from analysis.cbs import snapshot
from analysis.config import settings
from analysis.demo.generator import planned_tables
from analysis.pipeline import run_data, serving_demoland


@pytest.fixture(scope="module")
def demo(demoland):
    return demoland


def test_every_build_table_downloaded_through_cbsodata(demo) -> None:
    root, run = demo
    statuses = {r.table_id: r.status for r in run.fetched}
    assert statuses, "nothing fetched"
    assert set(statuses.values()) == {"downloaded"}, statuses
    for tid in ("84134NED", "85099NED", "03759ned"):
        folder = snapshot.latest(root / "raw", "opendata", tid)
        assert folder is not None and snapshot.verify(folder) == []
        assert snapshot.read_manifest(folder)["synthetic"] is True


def test_second_run_downloads_nothing(demo) -> None:
    root, _ = demo
    dumps = root / "dumps"
    cfg = replace(settings(), data_dir=root)
    with serving_demoland(dumps, cfg) as served:
        run = run_data(
            cfg=served,
            years=tuple(range(2015, 2026)),
            synthetic=True,
            do_build=False,
            progress=lambda m: None,
            exclude=[t["id"] for t in planned_tables(2015, 2025)[1]],  # not generated
        )
    assert {r.status for r in run.fetched} == {"unchanged"}
    assert sum(r.records for r in run.fetched) < 50 * len(run.fetched)  # metadata only


def test_processed_contract(demo) -> None:
    root, _ = demo
    df = pd.read_parquet(root / "processed" / "indicators.parquet")
    expected = {
        "regio_code",
        "regio_naam",
        "regio_niveau",
        "indeling_jaar",
        "periode",
        "periode_type",
        "jaar",
        "indicator",
        "waarde",
        "eenheid",
        "status",
        "onderdrukt",
        "bron",
        "bron_modified",
        "reeks",
        "berekend",
        "dekking",
    }
    assert expected <= set(df.columns)
    for ind in (
        "bevolking_totaal",
        "bevolking_0_17",
        "jongeren_met_jeugdzorg",
        "jongeren_met_jeugdhulp",
        "jongeren_met_jeugdhulp_met_verblijf",
        "jongeren_met_jeugdbescherming",
        "jongeren_met_jeugdreclassering",
    ):
        assert ind in set(df.indicator), ind
    assert set(df.regio_niveau) >= {"gemeente", "jeugdregio", "land"}
    assert df.regio_code.str.fullmatch(r"GM\d{4}|JZ\d{2}|PV\d{2}|NL01").all()
    assert df.waarde.dtype == np.float64
    # suppressed cells are missing and flagged, never 0
    assert df.onderdrukt.any()
    assert df.loc[df.onderdrukt, "waarde"].isna().all()
    assert set(df.status) >= {"definitief", "voorlopig"}
    assert set(df.periode_type) >= {"jaar", "halfjaar"}


def test_trend_break_kept_as_two_series(demo) -> None:
    root, _ = demo
    df = pd.read_parquet(root / "processed" / "indicators.parquet")
    jh = df[
        (df.indicator == "jongeren_met_jeugdhulp")
        & (df.regio_code == "NL01")
        & (df.periode_type == "jaar")
    ]
    by_year = jh.drop_duplicates("jaar").set_index("jaar")
    assert set(by_year.loc[range(2015, 2021), "reeks"]) == {"jeugdzorg_2015_2020"}
    assert set(by_year.loc[by_year.index >= 2021, "reeks"]) == {"jeugdzorg_2021_heden"}


def test_harmonised_series_conserve_national_totals(demo) -> None:
    root, _ = demo
    df = pd.read_parquet(root / "processed" / "indicators.parquet")
    ref = int(df.indeling_jaar.max())
    pop = df[(df.indicator == "bevolking_totaal") & (df.periode_type == "jaar")]
    for year in sorted(set(pop.jaar)):
        src = pop[
            (pop.jaar == year) & (pop.indeling_jaar == year) & (pop.regio_niveau == "gemeente")
        ]
        har = pop[
            (pop.jaar == year) & (pop.indeling_jaar == ref) & (pop.regio_niveau == "gemeente")
        ]
        if src.empty or har.empty:
            continue
        assert np.isclose(src.waarde.sum(), har.waarde.sum(), rtol=1e-12), year
        assert (
            har.regio_code.nunique()
            == pop[
                (pop.jaar == ref) & (pop.indeling_jaar == ref) & (pop.regio_niveau == "gemeente")
            ].regio_code.nunique()
        )


def test_memberships_from_gebieden_and_region_switch(demo) -> None:
    root, _ = demo
    mem = pd.read_parquet(root / "processed" / "regio_indeling.parquet")
    jz = mem[mem.indeling == "jeugdregio"]
    assert "gebieden_in_nederland" in set(jz.methode)
    a = jz[jz.jaar == 2023].set_index("gemeente_code").regio_code
    b = jz[jz.jaar == 2024].set_index("gemeente_code").regio_code
    common = a.index.intersection(b.index)
    assert (a[common] != b[common]).sum() >= 1  # Demoland's region switch
    info = json.loads((root / "dumps" / "demoland.json").read_text())
    assert info  # the generator documents what it made


def test_sources_json_names_every_snapshot(demo) -> None:
    root, _ = demo
    sources = json.loads((root / "processed" / "sources.json").read_text())
    tables = [s for s in sources if s.get("kind") != "geo"]
    assert {s["table_id"] for s in tables} >= {"84134NED", "85099NED", "03759ned"}
    assert all(s["synthetic"] for s in sources)


def _cli(args: list[str], env: dict[str, str]):
    import os
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "analysis", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=600)  # fmt: skip


def test_report_command_validates_before_executing(demo, tmp_path) -> None:
    root, _ = demo
    env = {"ANALYSIS_DEMO_DIR": str(root), "ANALYSIS_REPORTS_DIR": str(tmp_path / "rep")}
    mem = pd.read_parquet(root / "processed" / "regio_indeling.parquet")
    last = mem[(mem.jaar == mem.jaar.max()) & (mem.indeling == "jeugdregio")]
    name = last.sort_values("gemeente_code").gemeente_naam.iloc[0]
    bad = _cli(["report", "--gemeente", name[:-1] + "x", "--profiel", "demoland"], env)
    assert bad.returncode == 2
    assert name in bad.stderr  # the closest valid name is suggested
    assert not (tmp_path / "rep").exists()  # nothing executed, nothing written
    year = _cli(["report", "--gemeente", name, "--jaar", "1999", "--profiel", "demoland"], env)
    assert year.returncode == 2 and "1999" in year.stderr and "2025" in year.stderr


@pytest.mark.slow
def test_report_command_renders_one_gemeente(demo, tmp_path) -> None:
    root, _ = demo
    env = {"ANALYSIS_DEMO_DIR": str(root), "ANALYSIS_REPORTS_DIR": str(tmp_path / "rep")}
    res = _cli(["report", "--gemeente", "'s-Demohage", "--profiel", "demoland"], env)
    assert res.returncode == 0, res.stdout + res.stderr
    out = list((tmp_path / "rep" / "demoland" / "gemeente").glob("*.html"))
    assert len(out) == 1 and out[0].name.startswith("GM") and "s-demohage" in out[0].name
    html = out[0].read_text(encoding="utf-8")
    assert "Synthetische gegevens" in html and "'s-Demohage" in html
