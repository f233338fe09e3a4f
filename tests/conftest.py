"""Shared fixtures: the recorded real data (read in place, never copied)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from analysis import registry
from analysis.build import build
from analysis.cbs.fetch import RetryPolicy, fetch_table
from analysis.config import Settings, project_root, settings
from analysis.pipeline import fetch_geo, run_demo_data
from analysis.replay import ReplayServer


def shared_data_dir() -> Path:
    """The recorded real data the tests read in place: ``ANALYSIS_SHARED_DATA``, else
    ``<project>/../shared/data``. Only tests (and benchmarks) know this folder; production
    code under ``src/`` never reads it (``tests/test_layers.py``)."""
    env = os.environ.get("ANALYSIS_SHARED_DATA")
    return Path(env or project_root().parent / "shared" / "data").resolve()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """:func:`shared_data_dir`, checked. Missing in CI is a failure, not a skip."""
    path = shared_data_dir()
    if not (path / "cbs_statline_bq").is_dir():
        msg = f"recorded shared data not found at {path} (set ANALYSIS_SHARED_DATA)"
        if os.environ.get("ANALYSIS_ALLOW_MISSING_SHARED") == "1" and not os.environ.get("CI"):
            pytest.skip(msg)
        pytest.fail(msg)
    return path


@pytest.fixture(scope="session")
def recordings(shared_data: Path) -> Path:
    return shared_data / "cbs_statline_bq"


@pytest.fixture(scope="session")
def real_processed(
    recordings: Path, shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Settings, Path]:
    """KWB 2020 fetched with cbsodata + real boundaries 2020/2023, built onto 2023 (offline)."""
    tmp = tmp_path_factory.mktemp("real")
    with ReplayServer(
        {"84799NED": recordings / "84799NED"}, geo_dir=shared_data / "cartomap"
    ) as srv:
        cfg = replace(
            settings(),
            data_dir=tmp / "data",
            catalog_urls={"opendata": srv.url, "dataderden": srv.url},
            geo_base_url=f"{srv.url}/geo",
            offline=False,
        )
        res = fetch_table(
            registry.table("84799NED"), years=[2020], settings=cfg, policy=RetryPolicy(backoff=0.01)
        )
        assert res.status == "downloaded", res.message
        years = [2020, 2021, 2022, 2023, 2024]
        geo = fetch_geo(years, cfg, lambda m: None)
        assert ("gemeente", 2020, "ok") in geo and ("jeugdregio", 2023, "ok") in geo
    offline = replace(cfg, offline=True)  # the build never needs the network
    report = build(offline, indeling_jaar=2023, progress=lambda m: None)
    assert report.indeling_jaar == 2023
    return offline, offline.processed_dir


@pytest.fixture(scope="session")
def demoland(tmp_path_factory: pytest.TempPathFactory):
    """Demoland generated, served, fetched with cbsodata and built, in a temporary folder."""
    root = tmp_path_factory.mktemp("demoland")
    cfg = replace(settings(), data_dir=root)
    mp = pytest.MonkeyPatch()
    mp.setenv("ANALYSIS_DEMO_DIR", str(root))
    run = run_demo_data(cfg=cfg, progress=lambda m: None)
    mp.undo()
    assert run.exit_code == 0, run.summary()
    return root, run
