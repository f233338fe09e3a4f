"""Boundary layers on the real cartomap files, and the fetch / cache behaviour."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from analysis.config import settings
from analysis.geo import boundaries
from analysis.geo.boundaries import (
    LAYERS,
    GeoDownloadError,
    available_years,
    fetch_layer,
    layer_provenance,
    load_boundaries,
)

JZ_CODES = {f"JZ{i:02d}" for i in range(1, 44)} - {"JZ40"}


@pytest.mark.parametrize(
    ("year", "n"), [(2020, 355), (2021, 352), (2022, 345), (2023, 342), (2024, 342), (2025, 342)]
)
def test_gemeente_counts(layer, year, n):
    gdf = layer("gemeente", year)
    assert len(gdf) == n
    assert gdf["statcode"].is_unique
    assert gdf["statcode"].str.fullmatch(r"GM\d{4}").all()


def test_columns_crs_and_order(layer):
    gdf = layer("gemeente", 2023)
    assert list(gdf.columns) == ["statcode", "statnaam", "jaar", "layer", "geometry"]
    assert gdf.crs.to_epsg() == 28992
    assert gdf["jaar"].dtype == np.int64 and set(gdf["jaar"]) == {2023}
    assert set(gdf["layer"]) == {"gemeente"}
    assert gdf["statcode"].is_monotonic_increasing
    assert (gdf["statnaam"] == gdf["statnaam"].str.strip()).all()
    geoms = np.asarray(gdf.geometry.values)
    assert shapely.is_valid(geoms).all() and not shapely.is_empty(geoms).any()
    # RD New coordinates of the Netherlands (x 0-300 km, y 300-625 km)
    x0, y0, x1, y1 = gdf.total_bounds
    assert 0 < x0 < x1 < 300_000 and 300_000 < y0 < y1 < 625_000


@pytest.mark.parametrize("year", range(2015, 2026))
def test_jeugdregio_every_year(layer, year):
    gdf = layer("jeugdregio", year)
    assert len(gdf) == 42
    assert set(gdf["statcode"]) == JZ_CODES
    assert gdf.crs.to_epsg() == 28992


@pytest.mark.parametrize(
    ("name", "n", "prefix", "lo", "hi", "absent"),
    [
        ("provincie", 12, "PV", 20, 31, set()),
        ("arbeidsmarktregio", 35, "AM", 1, 38, {4, 16, 31}),
        ("veiligheidsregio", 25, "VR", 1, 25, set()),
        ("zorgkantoorregio", 31, "ZK", 1, 33, {5, 15}),
        ("regionaalmeld_coordinatiepunt", 40, "MC", 1, 41, {14}),
    ],
)
def test_other_divisions_codes(layer, name, n, prefix, lo, hi, absent):
    """Code ranges as documented in PROVENANCE.md §1."""
    years = [2023] if name == "provincie" else [2023, 2024]
    for year in years:
        codes = set(layer(name, year)["statcode"])
        assert len(codes) == n
        assert codes == {f"{prefix}{i:02d}" for i in range(lo, hi + 1) if i not in absent}


@pytest.mark.parametrize("name", ["ggdregio", "veiligthuisregio"])
def test_other_divisions_counts(layer, name):
    a, b = layer(name, 2023), layer(name, 2024)
    assert len(a) == len(b) == 25
    assert set(a["statcode"]) == set(b["statcode"])


def test_cbs_name_suffixes_are_kept(layer):
    names = set(layer("gemeente", 2024)["statnaam"])
    assert {"Laren (NH.)", "Rijswijk (ZH.)", "Hengelo (O.)", "Beek (L.)"} <= names


def test_areas_plausible(layer, kwb2020_records):
    """Generalised polygons include inland water but not the sea: between KWB land and total."""
    nl = next(r for r in kwb2020_records if r["WijkenEnBuurten"].strip() == "NL00")
    land_km2 = nl["OppervlakteLand_111"] / 100  # hectares -> km2
    total_km2 = nl["OppervlakteTotaal_110"] / 100
    area_2023 = layer("gemeente", 2023).area.sum() / 1e6
    assert land_km2 < area_2023 < total_km2
    # per gemeente (2020 division = KWB 2020 division): polygon area ~ CBS total area
    gem = layer("gemeente", 2020).set_index("statcode")
    kwb = pd.Series(
        {
            r["WijkenEnBuurten"].strip(): r["OppervlakteTotaal_110"] / 100
            for r in kwb2020_records
            if r["SoortRegio_2"].strip() == "Gemeente"
        }
    )
    ratio = (gem.area / 1e6) / kwb.reindex(gem.index)
    assert ratio.notna().all()
    assert 0.95 < ratio.median() < 1.05


def test_kwb2020_codes_and_names_match_gemeente_2020(layer, kwb2020_population):
    gem = layer("gemeente", 2020)
    kwb = kwb2020_population.sort_values("regio_code", ignore_index=True)
    assert kwb["regio_code"].tolist() == gem["statcode"].tolist()
    assert kwb["regio_naam"].tolist() == gem["statnaam"].tolist()


def test_load_is_memoised_and_returns_copies(layer, geo_settings):
    first = layer("provincie", 2023)
    before = boundaries._load_cached.cache_info()
    second = load_boundaries("provincie", 2023, settings=geo_settings)
    after = boundaries._load_cached.cache_info()
    assert after.hits == before.hits + 1 and after.misses == before.misses
    second.loc[0, "statnaam"] = "changed"
    assert layer("provincie", 2023).loc[0, "statnaam"] == first.loc[0, "statnaam"]


def test_bad_arguments_are_named(geo_settings):
    with pytest.raises(ValueError, match="unknown layer 'jeugdzorgregio'; valid: gemeente, prov"):
        load_boundaries("jeugdzorgregio", 2023, settings=geo_settings)
    with pytest.raises(TypeError, match="year must be an int"):
        fetch_layer("gemeente", "2023", settings=geo_settings)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown layer"):
        available_years("wijk", settings=geo_settings)
    assert set(LAYERS) >= {"gemeente", "jeugdregio", "veiligthuisregio"}
    assert LAYERS["jeugdregio"] == "Jeugdregio"
    assert LAYERS["arbeidsmarktregio"] == "Arbeidsmarktregio"


# -- fetch / cache -------------------------------------------------------------------------------
@pytest.fixture
def source(tmp_path: Path, cartomap: Path) -> Path:
    """A private source folder holding copies of two real layers."""
    src = tmp_path / "source"
    src.mkdir()
    for name in ("jeugdregio_2023", "jeugdregio_2024"):
        (src / f"{name}.topojson").write_bytes((cartomap / f"{name}.topojson").read_bytes())
    return src


def _settings(tmp_path: Path, base: str, offline: bool = False):
    return settings(data_dir=tmp_path / "data", geo_base_url=base, offline=offline)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_fetch_copies_once_with_provenance(tmp_path, source):
    s = _settings(tmp_path, str(source))
    path = fetch_layer("jeugdregio", 2023, settings=s)
    assert path == s.geo_cache_dir / "jeugdregio_2023.topojson"
    data = path.read_bytes()
    assert data == (source / "jeugdregio_2023.topojson").read_bytes()
    side = json.loads((s.geo_cache_dir / "jeugdregio_2023.json").read_text())
    assert side["sha256"] == hashlib.sha256(data).hexdigest()
    assert side["bytes"] == len(data)
    assert side["url"] == str((source / "jeugdregio_2023.topojson").resolve())
    stamp = datetime.fromisoformat(side["retrieved_at"])
    assert stamp.utcoffset() == timedelta(0)
    assert layer_provenance("jeugdregio", 2023, settings=s) == side
    mtime = path.stat().st_mtime_ns
    # second call: the source is not read again (it is even gone) and the file is untouched
    (source / "jeugdregio_2023.topojson").unlink()
    assert fetch_layer("jeugdregio", 2023, settings=s) == path
    assert path.stat().st_mtime_ns == mtime
    assert len(load_boundaries("jeugdregio", 2023, settings=s)) == 42
    assert available_years("jeugdregio", settings=s) == [2023]
    fetch_layer("jeugdregio", 2024, settings=s)
    assert available_years("jeugdregio", settings=s) == [2023, 2024]
    assert available_years("gemeente", settings=s) == []
    assert _leftovers(s.geo_cache_dir) == []


def test_corrupt_source_never_replaces_good_cache(tmp_path, source):
    s = _settings(tmp_path, str(source))
    path = fetch_layer("jeugdregio", 2023, settings=s)
    good = path.read_bytes()
    side = (s.geo_cache_dir / "jeugdregio_2023.json").read_bytes()
    src = source / "jeugdregio_2023.topojson"
    src.write_bytes(good[: len(good) // 2])  # truncated download
    with pytest.raises(GeoDownloadError, match="not a valid boundary file.*cache was not changed"):
        fetch_layer("jeugdregio", 2023, settings=s, refresh=True)
    assert path.read_bytes() == good
    assert (s.geo_cache_dir / "jeugdregio_2023.json").read_bytes() == side
    assert _leftovers(s.geo_cache_dir) == []
    # a corrupt file that is not cached yet: nothing is written
    (source / "jeugdregio_2024.topojson").write_bytes(good[:1000])
    with pytest.raises(GeoDownloadError):
        fetch_layer("jeugdregio", 2024, settings=s)
    assert not (s.geo_cache_dir / "jeugdregio_2024.topojson").exists()
    assert _leftovers(s.geo_cache_dir) == []


def test_wrong_object_is_rejected(tmp_path, source, cartomap):
    """Valid TopoJSON, but not the expected object: rejected before it enters the cache."""
    (source / "jeugdregio_2022.topojson").write_bytes(
        (cartomap / "gemeente_2022.topojson").read_bytes()
    )
    s = _settings(tmp_path, str(source))
    with pytest.raises(GeoDownloadError, match="no object 'jeugdregio_2022'.*gemeente_2022"):
        fetch_layer("jeugdregio", 2022, settings=s)
    assert not (s.geo_cache_dir / "jeugdregio_2022.topojson").exists()


def test_offline_without_cache_names_file_and_cache(tmp_path, source):
    online = _settings(tmp_path, str(source))
    fetch_layer("jeugdregio", 2023, settings=online)
    offline = _settings(tmp_path, "https://example.invalid/never", offline=True)
    assert fetch_layer("jeugdregio", 2023, settings=offline).exists()  # cached: fine
    with pytest.raises(FileNotFoundError) as err:
        fetch_layer("jeugdregio", 2024, settings=offline)
    msg = str(err.value)
    assert "jeugdregio_2024.topojson" in msg and "ANALYSIS_OFFLINE" in msg
    assert "jeugdregio 2023" in msg


def test_missing_at_source(tmp_path, source):
    s = _settings(tmp_path, str(source))
    with pytest.raises(FileNotFoundError, match="layer 'gemeente' year 2030"):
        fetch_layer("gemeente", 2030, settings=s)


def test_file_url_and_environment(tmp_path, source, monkeypatch):
    s = _settings(tmp_path, source.as_uri())
    assert fetch_layer("jeugdregio", 2024, settings=s).exists()
    monkeypatch.setenv("ANALYSIS_DATA_DIR", str(tmp_path / "env_data"))
    monkeypatch.setenv("GEO_BASE_URL", str(source))
    monkeypatch.delenv("ANALYSIS_OFFLINE", raising=False)
    path = fetch_layer("jeugdregio", 2023)
    assert path == (tmp_path / "env_data").resolve() / "raw" / "geo" / "jeugdregio_2023.topojson"


def test_reload_after_file_changes(tmp_path, source):
    s = _settings(tmp_path, str(source))
    path = fetch_layer("jeugdregio", 2023, settings=s)
    load_boundaries("jeugdregio", 2023, settings=s)
    misses = boundaries._load_cached.cache_info().misses
    load_boundaries("jeugdregio", 2023, settings=s)
    assert boundaries._load_cached.cache_info().misses == misses
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    load_boundaries("jeugdregio", 2023, settings=s)
    assert boundaries._load_cached.cache_info().misses == misses + 1


# -- HTTP (a local server on 127.0.0.1; no internet) ----------------------------------------------
class _Handler(http.server.BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}
    fail_first: int = 0
    status: int = 503
    calls: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        type(self).calls.append(self.path)
        if type(self).fail_first > 0:
            type(self).fail_first -= 1
            self.send_response(type(self).status)
            self.end_headers()
            return
        body = type(self).files.get(self.path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(cartomap: Path, monkeypatch) -> Iterator[tuple[str, type[_Handler]]]:
    handler = type("H", (_Handler,), {})
    handler.files = {
        "/nl/jeugdregio_2023.topojson": (cartomap / "jeugdregio_2023.topojson").read_bytes()
    }
    handler.calls = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    monkeypatch.setattr(boundaries, "RETRY_BACKOFF", 0.01)
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/nl", handler
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_http_retries_server_errors(tmp_path, server):
    base, handler = server
    handler.fail_first = 2
    s = _settings(tmp_path, base)
    path = fetch_layer("jeugdregio", 2023, settings=s)
    assert len(handler.calls) == 3
    assert path.read_bytes() == handler.files["/nl/jeugdregio_2023.topojson"]
    side = json.loads(path.with_suffix(".json").read_text())
    assert side["url"] == f"{base}/jeugdregio_2023.topojson"


def test_http_404_and_persistent_failure(tmp_path, server, monkeypatch):
    base, handler = server
    s = _settings(tmp_path, base)
    with pytest.raises(FileNotFoundError, match=r"layer 'jeugdregio' year 2019 at http://.*404"):
        fetch_layer("jeugdregio", 2019, settings=s)
    assert len(handler.calls) == 1  # a 404 is not retried
    monkeypatch.setattr(boundaries, "MAX_ATTEMPTS", 2)
    handler.fail_first, handler.status = 10, 500
    with pytest.raises(GeoDownloadError, match="after 2 attempts"):
        fetch_layer("jeugdregio", 2023, settings=s)
    assert not (s.geo_cache_dir / "jeugdregio_2023.topojson").exists()
