"""Boundary layers per year: fetch (with a local cache) and load as GeoDataFrames.

Files are the cartomap/nl TopoJSON layers ``<layer>_<year>.topojson`` (CBS/PDOK generalised
*gebiedsindelingen*, WGS84), one object per file named after the file. ``fetch_layer`` keeps a
cached copy under ``settings.geo_cache_dir`` with a provenance sidecar ``<layer>_<year>.json``;
``load_boundaries`` decodes it (memoised per file + mtime) into EPSG:28992 (RD New).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis import atomic
from analysis.config import Settings
from analysis.config import settings as _settings
from analysis.geo.topojson import TopoJSONError, read_topojson, repair
from analysis.metadata import regions

__all__ = [
    "CRS",
    "LAYERS",
    "PREFIXES",
    "GeoDownloadError",
    "available_years",
    "cached_layers",
    "fetch_layer",
    "layer_provenance",
    "load_boundaries",
    "to_rd",
]

log = logging.getLogger(__name__)

#: Projected CRS for everything with areas or distances (Amersfoort / RD New).
CRS = "EPSG:28992"

#: Known layers -> Dutch display label; code prefix of each layer's ``statcode`` (both
#: declared in :mod:`analysis.metadata.regions`).
LAYERS = regions.LAYERS
PREFIXES = regions.PREFIXES

#: HTTP behaviour of :func:`fetch_layer` (module-level so tests can shorten the backoff).
TIMEOUT = (10.0, 60.0)
MAX_ATTEMPTS = 4
RETRY_BACKOFF = 1.0  # seconds; doubled after each failed attempt
USER_AGENT = "jeugdzorg-analysis/0.1 (+https://github.com/cartomap/nl)"


class GeoDownloadError(RuntimeError):
    """A boundary file could not be downloaded (after retries) or failed validation."""


def _check_layer(layer: str) -> None:
    if layer not in LAYERS:
        raise ValueError(f"unknown layer {layer!r}; valid: {', '.join(LAYERS)}")


def _check_year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int | np.integer):
        raise TypeError(f"year must be an int such as 2023, not {year!r}")
    if not 1800 <= int(year) <= 2200:
        raise ValueError(f"year {year!r} is out of range; give a calendar year such as 2023")
    return int(year)


def _file_name(layer: str, year: int) -> str:
    return f"{layer}_{year}.topojson"


def cached_layers(*, settings: Settings | None = None) -> dict[str, list[int]]:
    """Layer -> sorted list of years present in the local cache."""
    s = settings or _settings()
    out: dict[str, list[int]] = {}
    if not s.geo_cache_dir.is_dir():
        return out
    pattern = re.compile(r"^(?P<layer>[a-z_]+)_(?P<year>\d{4})\.topojson$")
    for p in s.geo_cache_dir.iterdir():
        m = pattern.match(p.name)
        if m and m["layer"] in LAYERS:
            out.setdefault(m["layer"], []).append(int(m["year"]))
    return {k: sorted(v) for k, v in sorted(out.items())}


def available_years(layer: str, *, settings: Settings | None = None) -> list[int]:
    """Years of ``layer`` present in the local cache (no network)."""
    _check_layer(layer)
    return cached_layers(settings=settings).get(layer, [])


def _describe_cache(s: Settings) -> str:
    cached = cached_layers(settings=s)
    if not cached:
        return f"nothing is cached in {s.geo_cache_dir}"
    items = "; ".join(f"{k} {', '.join(map(str, v))}" for k, v in cached.items())
    return f"cached in {s.geo_cache_dir}: {items}"


# -- downloading --------------------------------------------------------------------------------
def _source_location(base: str, name: str) -> tuple[str, Path | None]:
    """(url for the record, local path or None for http(s))."""
    parts = urlsplit(base)
    if parts.scheme in {"http", "https"}:
        return f"{base.rstrip('/')}/{name}", None
    if parts.scheme == "file":
        if parts.netloc not in {"", "localhost"}:
            raise ValueError(f"file URL {base!r} must not name a host other than localhost")
        folder = Path(url2pathname(unquote(parts.path)))
        return f"{base.rstrip('/')}/{name}", folder / name
    if parts.scheme and len(parts.scheme) > 1:
        raise ValueError(
            f"GEO_BASE_URL {base!r} has unsupported scheme {parts.scheme!r}; "
            "valid: http://, https://, file:// or a local folder path"
        )
    path = Path(base).expanduser() / name
    return str(path.resolve()), path


def _http_get(url: str, layer: str, year: int) -> bytes:
    import requests  # only a download needs it; reports read cached boundaries

    delay = RETRY_BACKOFF
    last: Exception | None = None
    with requests.Session() as session:
        session.headers["User-Agent"] = USER_AGENT
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                resp = session.get(url, timeout=TIMEOUT)
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
            ) as exc:
                last = exc
            else:
                if resp.status_code == 404:
                    raise FileNotFoundError(
                        f"no boundary file for layer {layer!r} year {year} at {url} (HTTP 404)"
                    )
                if resp.status_code >= 500:
                    last = GeoDownloadError(f"HTTP {resp.status_code} from {url}")
                elif resp.status_code != 200:
                    raise GeoDownloadError(
                        f"HTTP {resp.status_code} fetching layer {layer!r} year {year} from {url}"
                    )
                else:
                    return resp.content
            if attempt < MAX_ATTEMPTS:
                log.warning("attempt %d for %s failed (%s); retrying", attempt, url, last)
                time.sleep(delay)
                delay *= 2
    raise GeoDownloadError(
        f"could not download layer {layer!r} year {year} from {url} "
        f"after {MAX_ATTEMPTS} attempts: {last}"
    )


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :mod:`analysis.atomic`)."""
    atomic.write_bytes(path, data)


def fetch_layer(
    layer: str, year: int, *, settings: Settings | None = None, refresh: bool = False
) -> Path:
    """Path of the cached ``<layer>_<year>.topojson``, downloading it first when missing.

    The source is ``settings.geo_base_url`` (http/https, ``file://`` URL or a local folder).
    Downloads are validated (must decode as TopoJSON with object ``<layer>_<year>`` holding
    unique codes of the right prefix) before they atomically replace the cache file, so a failed
    or partial download never damages a good copy. ``refresh=True`` re-downloads a cached file.
    A sidecar ``<layer>_<year>.json`` records url, retrieved_at (UTC), sha256 and bytes.
    """
    _check_layer(layer)
    year = _check_year(year)
    s = settings or _settings()
    name = _file_name(layer, year)
    target = s.geo_cache_dir / name
    if target.exists() and not refresh:
        return target
    if s.offline:
        raise FileNotFoundError(
            f"boundary file {name} is not cached ({target}) and ANALYSIS_OFFLINE is set; "
            f"{_describe_cache(s)}"
        )
    url, local = _source_location(s.geo_base_url, name)
    if local is None:
        data = _http_get(url, layer, year)
    else:
        if not local.is_file():
            raise FileNotFoundError(
                f"no boundary file for layer {layer!r} year {year}: {local} does not exist"
            )
        data = local.read_bytes()
    try:
        gdf = _to_boundaries(read_topojson(data, layer=f"{layer}_{year}"), layer, year, name)
    except (TopoJSONError, ValueError, KeyError) as exc:
        raise GeoDownloadError(
            f"{url} is not a valid boundary file for layer {layer!r} year {year}; "
            f"the cache was not changed: {exc}"
        ) from exc
    s.geo_cache_dir.mkdir(parents=True, exist_ok=True)
    _atomic_write(target, data)
    sidecar = {
        "layer": layer,
        "year": year,
        "file": name,
        "url": url,
        "retrieved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "object": f"{layer}_{year}",
        "n_features": len(gdf),
    }
    _atomic_write(target.with_suffix(".json"), json.dumps(sidecar, indent=2).encode("utf-8"))
    log.info("cached %s (%d bytes) from %s", name, len(data), url)
    return target


def layer_provenance(layer: str, year: int, *, settings: Settings | None = None) -> dict[str, Any]:
    """The provenance sidecar of a cached layer (fetching it first if needed)."""
    path = fetch_layer(layer, year, settings=settings)
    side = path.with_suffix(".json")
    if side.exists():
        return json.loads(side.read_text(encoding="utf-8"))
    data = path.read_bytes()  # cache filled by hand: describe what is there
    return {
        "layer": layer,
        "year": year,
        "file": path.name,
        "url": None,
        "retrieved_at": None,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
    }


# -- loading ------------------------------------------------------------------------------------
def to_rd(gdf: gpd.GeoDataFrame, what: str = "layer") -> gpd.GeoDataFrame:
    """``gdf`` in EPSG:28992 with geometries that became invalid by reprojection repaired."""
    if gdf.crs is None:
        raise ValueError(f"{what} has no CRS; set one (EPSG:4326 or EPSG:28992)")
    if gdf.crs.to_epsg() == 28992:
        return gdf
    out = gdf.to_crs(CRS)
    arr, fixed = repair(np.asarray(out.geometry.values))
    if fixed.any():
        out = out.set_geometry(gpd.GeoSeries(arr, index=out.index, crs=CRS))
    return out


def _to_boundaries(raw: gpd.GeoDataFrame, layer: str, year: int, bron: str) -> gpd.GeoDataFrame:
    """Normalise a decoded layer: statcode/statnaam/jaar/layer/geometry in EPSG:28992."""
    for col in ("statcode", "statnaam"):
        if col not in raw.columns:
            raise ValueError(f"{bron}: property {col!r} missing; have {', '.join(raw.columns)}")
    code = raw["statcode"].astype("str").str.strip()
    naam = raw["statnaam"].astype("str").str.strip()
    if code.isna().any() or (code == "").any():
        raise ValueError(f"{bron}: {int((code.isna() | (code == '')).sum())} features lack a code")
    dup = code[code.duplicated()].unique().tolist()
    if dup:
        raise ValueError(f"{bron}: statcode not unique: {', '.join(dup[:10])}")
    prefix = PREFIXES[layer]
    wrong = code[~code.str.startswith(prefix)].tolist()
    if wrong:
        raise ValueError(
            f"{bron}: layer {layer!r} codes must start with {prefix!r}; got {', '.join(wrong[:5])}"
        )
    geom = raw.geometry.to_crs(CRS)
    arr, fixed = repair(np.asarray(geom.values))
    empty = pd.isna(arr) | np.array([g is None or g.is_empty for g in arr])
    if empty.any():
        raise ValueError(f"{bron}: no geometry for {', '.join(code[empty].tolist()[:10])}")
    out = gpd.GeoDataFrame(
        {
            "statcode": code.to_numpy(),
            "statnaam": naam.to_numpy(),
            "jaar": np.full(len(raw), year, dtype="int64"),
            "layer": layer,
        },
        geometry=gpd.GeoSeries(arr, crs=CRS),
    )
    out = out.sort_values("statcode", ignore_index=True)
    out.attrs.update(
        {
            "bron": bron,
            "layer": layer,
            "jaar": year,
            "n_repaired": int(raw.attrs.get("n_repaired", 0)),
            "n_repaired_projected": int(fixed.sum()),
        }
    )
    return out


@functools.lru_cache(maxsize=64)
def _load_cached(path: str, mtime_ns: int, size: int, layer: str, year: int) -> gpd.GeoDataFrame:
    raw = read_topojson(Path(path), layer=f"{layer}_{year}")
    return _to_boundaries(raw, layer, year, Path(path).name)


def load_boundaries(layer: str, year: int, *, settings: Settings | None = None) -> gpd.GeoDataFrame:
    """Boundaries of ``layer`` in ``year``: statcode, statnaam, jaar, layer, geometry (EPSG:28992).

    One row per statcode, sorted by it; names stripped. Decoded layers are memoised per file
    path + mtime, and every call returns a fresh copy.
    """
    path = fetch_layer(layer, year, settings=settings)
    st = path.stat()
    return _load_cached(str(path.resolve()), st.st_mtime_ns, st.st_size, layer, year).copy()
