"""Declared tables the server does not have (issue 12 item 17): the data run goes on, names
them in its summary and in ``build_report.json``; other failures are errors and the build
uses the last good snapshots, named as stale; ``--strict`` makes a missing table fatal."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from analysis.build import missing_tables
from analysis.cbs.fetch import RetryPolicy
from analysis.config import settings
from analysis.demo.generator import planned_tables
from analysis.pipeline import run_data
from analysis.replay import ReplayServer

GONE = ("84134NED", "83454NED", "84378NED")  # confirmed, unconfirmed, a Gebieden table
YEARS = tuple(range(2015, 2026))
#: declared tables Demoland does not generate (not "missing": never asked for)
NOT_GENERATED = tuple(t["id"] for t in planned_tables(2015, 2025)[1])
FAST = RetryPolicy(backoff=0.01, page_retries=1, table_retries=0, timeout=(2.0, 10.0))


@pytest.fixture()
def served(demoland, tmp_path):
    root, _ = demoland
    dumps = tmp_path / "dumps"
    shutil.copytree(root / "dumps" / "opendata", dumps / "opendata")
    for table_id in GONE:
        shutil.rmtree(dumps / "opendata" / table_id)
    with ReplayServer(dumps / "opendata", geo_dir=root / "dumps" / "geo") as srv:
        cfg = replace(
            settings(),
            data_dir=tmp_path / "data",
            catalog_urls={"opendata": srv.url, "dataderden": srv.url},
            geo_base_url=f"{srv.url}/geo",
            offline=False,
        )
        yield cfg, srv, dumps


def test_missing_tables_are_named_and_not_an_error(served) -> None:
    cfg, srv, dumps = served
    lines: list[str] = []
    run = run_data(
        cfg=cfg,
        years=YEARS,
        synthetic=True,
        policy=FAST,
        progress=lines.append,
        exclude=NOT_GENERATED,
    )
    assert run.exit_code == 0, run.summary()
    assert sorted(t for t, _ in run.missing) == sorted(GONE)
    summary = run.summary()
    assert "missing on the server (3; reports are rendered without them)" in summary
    assert all(t in summary for t in GONE)
    assert run.build is not None and run.build.rows > 0
    recorded = missing_tables(cfg.data_dir)
    assert {m["table_id"] for m in recorded} == set(GONE)
    by_id = {m["table_id"]: m for m in recorded}
    assert (
        by_id["83454NED"]["reeks"] == "jeugdzorg_kosten" and "404" in by_id["83454NED"]["message"]
    )
    report = json.loads((cfg.processed_dir / "build_report.json").read_text())
    assert {m["table_id"] for m in report["missing_tables"]} == set(GONE)

    # --strict: the same server is a failed run
    strict = run_data(
        cfg=cfg,
        years=YEARS,
        synthetic=True,
        policy=FAST,
        strict=True,
        do_build=False,
        exclude=NOT_GENERATED,
        progress=lambda m: None,
    )
    assert strict.exit_code == 1
    assert sorted(e.split(":")[0] for e in strict.errors) == sorted(GONE)

    # a table failing for another reason: an error, the build uses its last good snapshot
    infos = json.loads((dumps / "opendata" / "85099NED" / "TableInfos.json").read_text())
    infos[0]["Modified"] = "2026-11-01T02:00:00"
    (dumps / "opendata" / "85099NED" / "TableInfos.json").write_text(json.dumps(infos))
    srv.inject("http500", table="85099NED", entity="TypedDataSet", times=None)
    again = run_data(cfg=cfg, years=YEARS, synthetic=True, policy=FAST, progress=lambda m: None)
    assert again.exit_code == 1
    assert [t for t, _ in again.stale] == ["85099NED"]
    stale_folder = Path(again.stale[0][1])
    assert stale_folder.is_dir()
    assert f"STALE: 85099NED uses its last good snapshot {stale_folder}" in again.summary()
    assert again.build is not None  # processed rebuilt from the last good snapshots
    assert "85099NED" in again.build.tables


@pytest.mark.slow
def test_reports_command_renders_without_the_missing_tables(served, tmp_path) -> None:
    from tests.hardening.data_support import cli

    cfg, _, _ = served
    reports = tmp_path / "reports"
    res = cli(
        ["reports", "--limit", "1", "--workers", "1"],
        cfg.data_dir,
        env={
            "ANALYSIS_OFFLINE": "",
            "CBS_CATALOG_URL": cfg.catalog_urls["opendata"],
            "CBS_THIRD_PARTY_URL": cfg.catalog_urls["dataderden"],
            "GEO_BASE_URL": cfg.geo_base_url,
            "ANALYSIS_REPORTS_DIR": str(reports),
        },
        timeout=900,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    out = res.stdout + res.stderr
    assert "missing on the server" in out and all(t in out for t in GONE)
    assert list(reports.rglob("*.html"))
    assert {m["table_id"] for m in missing_tables(cfg.data_dir)} >= set(GONE)
