"""Fixtures on the real CBS label exports, converted to dump folders and served to ``cbsodata``.

The exports stay in ``shared/data``; conversion writes only to pytest's tmp dirs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from analysis import registry
from analysis.build import BuildReport, build
from analysis.cbs.fetch import RetryPolicy, fetch_table
from analysis.config import Settings, settings
from analysis.pipeline import fetch_geo
from analysis.replay import ReplayServer
from tests.realdata.convert import RegionIndex, convert_many, region_index

#: youth care 2015–2020 and 2021–, CBS's own percentages, the two official Gebieden tables and
#: the Maatstaven gemeentefonds (under-18 population) of every year in shared/data
JEUGD_TABLES = ("84134NED", "85099NED", "82972NED")
GEBIEDEN_TABLES = ("85385NED", "84721NED")
MAATSTAVEN_TABLES = ("83997NED", "84590NED", "84860NED", "85052NED", "85309NED")
REAL_TABLES = JEUGD_TABLES + GEBIEDEN_TABLES + MAATSTAVEN_TABLES
YEARS = tuple(range(2015, 2025))


@pytest.fixture(scope="session")
def regions(shared_data: Path) -> RegionIndex:
    """Export title -> CBS code (Gebieden in Nederland, stapeling codes, cartomap names)."""
    return region_index(shared_data)


@pytest.fixture(scope="session")
def converted(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every real export the youth-care build uses, as dump folders in a tmp dir."""
    return convert_many(REAL_TABLES, tmp_path_factory.mktemp("converted"), shared=shared_data)


@pytest.fixture(scope="session")
def real_server(
    converted: dict[str, Path], shared_data: Path, recordings: Path
) -> Iterator[ReplayServer]:
    """The converted tables, the recorded KWB 2020 dump and the cartomap boundaries over HTTP."""
    tables = {**converted, "84799NED": recordings / "84799NED"}
    with ReplayServer(tables, geo_dir=shared_data / "cartomap") as srv:
        yield srv


def served_settings(srv: ReplayServer, data_dir: Path) -> Settings:
    return replace(
        settings(),
        data_dir=data_dir,
        catalog_urls={"opendata": srv.url, "dataderden": srv.url},
        geo_base_url=f"{srv.url}/geo",
        offline=False,
    )


@pytest.fixture(scope="session")
def real_jeugd_processed(
    real_server: ReplayServer, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Settings, BuildReport]:
    """A processed layer built from the converted real exports, fetched with the real client.

    Tables: :data:`REAL_TABLES` and the KWB 2020 recording (84799NED); boundaries 2020–2024
    (cartomap); reference classification 2023.
    Use it to render reports on real figures (``settings.data_dir`` holds ``processed/``).
    """
    cfg = served_settings(real_server, tmp_path_factory.mktemp("real_jeugd") / "data")
    policy = RetryPolicy(backoff=0.01)
    for tid in (*REAL_TABLES, "84799NED"):
        res = fetch_table(registry.table(tid), years=YEARS, settings=cfg, policy=policy)
        assert res.status == "downloaded", f"{tid}: {res.message}"
    geo = fetch_geo([2020, 2021, 2022, 2023, 2024], cfg, lambda m: None)
    assert ("gemeente", 2023, "ok") in geo
    offline = replace(cfg, offline=True)
    report = build(offline, indeling_jaar=2023, progress=lambda m: None)
    return offline, report
