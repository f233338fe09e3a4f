"""Session fixtures for the geo tests: a temporary cache filled through the real fetch path.

``GEO_BASE_URL`` points at the recorded cartomap folder (a local path) and ``ANALYSIS_DATA_DIR``
at a session temp dir, so every layer is copied, validated and cached exactly as in production.
The environment is only changed while the Settings object is built (no leakage to other tests).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from analysis.config import Settings, settings
from analysis.geo import crosswalk_from_boundaries, load_boundaries, load_membership
from tests.conftest import shared_data_dir


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if not (path / "cartomap").is_dir():
        pytest.fail(f"recorded data not found at {path} (set ANALYSIS_SHARED_DATA)")
    return path


@pytest.fixture(scope="session")
def cartomap(shared_data: Path) -> Path:
    return shared_data / "cartomap"


@pytest.fixture(scope="session")
def geo_settings(tmp_path_factory: pytest.TempPathFactory, cartomap: Path) -> Settings:
    data_dir = tmp_path_factory.mktemp("geo_data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANALYSIS_DATA_DIR", str(data_dir))
        mp.setenv("GEO_BASE_URL", str(cartomap))
        mp.delenv("ANALYSIS_OFFLINE", raising=False)
        s = settings()
    assert s.geo_cache_dir == data_dir.resolve() / "raw" / "geo"
    return s


@pytest.fixture(scope="session")
def layer(geo_settings: Settings) -> Callable[[str, int], gpd.GeoDataFrame]:
    """``layer(name, year)`` -> boundaries (decoded once per session by the library's memo)."""

    def get(name: str, year: int) -> gpd.GeoDataFrame:
        return load_boundaries(name, year, settings=geo_settings)

    return get


@pytest.fixture(scope="session")
def membership(geo_settings: Settings) -> Callable[[str, int], pd.DataFrame]:
    def get(indeling: str, year: int) -> pd.DataFrame:
        return load_membership(indeling, year, settings=geo_settings)

    return get


@pytest.fixture(scope="session")
def kwb2020_records(shared_data: Path) -> list[dict]:
    path = shared_data / "cbs_statline_bq" / "84799NED" / "TypedDataSet_land_gemeenten.json"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def kwb2020_population(kwb2020_records: list[dict]) -> pd.DataFrame:
    """KWB 2020 inhabitants per gemeente: regio_code (stripped), regio_naam, waarde."""
    rows = [
        (r["WijkenEnBuurten"].strip(), r["Gemeentenaam_1"].strip(), r["AantalInwoners_5"])
        for r in kwb2020_records
        if r["SoortRegio_2"].strip() == "Gemeente"
    ]
    return pd.DataFrame(rows, columns=["regio_code", "regio_naam", "waarde"])


@pytest.fixture(scope="session")
def crosswalk_2020_2023(layer: Callable[[str, int], gpd.GeoDataFrame]) -> pd.DataFrame:
    return crosswalk_from_boundaries(layer("gemeente", 2020), layer("gemeente", 2023))
