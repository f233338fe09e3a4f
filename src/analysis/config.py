"""Paths, base URLs and switches, all read from the environment in one place.

Environment variables (all optional):

``CBS_CATALOG_URL``      base of the CBS open-data service (default ``https://opendata.cbs.nl``)
``CBS_THIRD_PARTY_URL``  base of the third-party catalog (default ``https://dataderden.cbs.nl``)
``GEO_BASE_URL``         folder with ``<layer>_<year>.topojson`` files
                         (default ``https://cartomap.github.io/nl/wgs84``; a local path or
                         ``file://`` URL also works)
``ANALYSIS_OFFLINE``     ``1`` = never touch the network, use cached snapshots only
``ANALYSIS_DATA_DIR``    root holding ``raw/`` and ``processed/`` (default ``<project>/data``)
``ANALYSIS_REPORTS_DIR`` root for rendered reports (default ``<project>/reports``)
``ANALYSIS_DEMO_DIR``   root of the Demoland profile (default ``<project>/data/demoland``)
``ANALYSIS_NO_CACHE``    ``1`` = switch every in-memory cache off (see :func:`cache_enabled`)

The recorded real data the tests use is not a setting: production code never reads it (the
tests find it through their own fixture in ``tests/conftest.py``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_CATALOG_URL = "https://opendata.cbs.nl"
DEFAULT_THIRD_PARTY_URL = "https://dataderden.cbs.nl"
DEFAULT_GEO_BASE_URL = "https://cartomap.github.io/nl/wgs84"

#: Catalog name (as recorded in manifests) -> environment variable holding its base URL.
CATALOG_ENV = {"opendata": "CBS_CATALOG_URL", "dataderden": "CBS_THIRD_PARTY_URL"}
CATALOG_DEFAULT = {"opendata": DEFAULT_CATALOG_URL, "dataderden": DEFAULT_THIRD_PARTY_URL}


def project_root() -> Path:
    """The repository root: the folder holding ``pyproject.toml`` above this package."""
    env = os.environ.get("ANALYSIS_PROJECT_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "src" / "analysis").exists():
            return parent
    return Path.cwd().resolve()


def cache_enabled() -> bool:
    """False when ``ANALYSIS_NO_CACHE=1``: caches then recompute instead of remembering.

    The one switch for every cache (read at call time, so a kernel sees its environment).
    Output must be the same either way; the warm-vs-isolated equality test runs both.
    """
    return os.environ.get("ANALYSIS_NO_CACHE") != "1"


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Resolved settings; build one with :func:`settings` so the environment is read once."""

    root: Path
    data_dir: Path
    reports_dir: Path
    catalog_urls: dict[str, str] = field(default_factory=dict)
    geo_base_url: str = DEFAULT_GEO_BASE_URL
    offline: bool = False

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def processed_dir(self) -> Path:
        return self.data_dir / "processed"

    @property
    def geo_cache_dir(self) -> Path:
        return self.raw_dir / "geo"

    def catalog_url(self, catalog: str) -> str:
        """Base URL (scheme + host, no trailing slash) for a catalog name."""
        try:
            return self.catalog_urls[catalog].rstrip("/")
        except KeyError:
            raise ValueError(
                f"unknown catalog {catalog!r}; valid: {', '.join(sorted(self.catalog_urls))}"
            ) from None


def settings(**overrides: object) -> Settings:
    """Read the environment (and apply keyword overrides) into a :class:`Settings`."""
    root = project_root()
    env = os.environ
    data_dir = Path(env.get("ANALYSIS_DATA_DIR") or root / "data")
    reports_dir = Path(env.get("ANALYSIS_REPORTS_DIR") or root / "reports")
    urls = {name: env.get(var) or CATALOG_DEFAULT[name] for name, var in CATALOG_ENV.items()}
    values: dict[str, object] = {
        "root": root,
        "data_dir": data_dir.resolve(),
        "reports_dir": reports_dir.resolve(),
        "catalog_urls": urls,
        "geo_base_url": env.get("GEO_BASE_URL") or DEFAULT_GEO_BASE_URL,
        "offline": _truthy(env.get("ANALYSIS_OFFLINE")),
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def demoland_settings(base: Settings | None = None) -> Settings:
    """Settings of the Demoland profile: data under ``data/demoland/`` (or
    ``ANALYSIS_DEMO_DIR``), reports where ``base`` puts them."""
    base = base or settings()
    root = base.root / "data" / "demoland"
    if os.environ.get("ANALYSIS_DEMO_DIR"):
        root = Path(os.environ["ANALYSIS_DEMO_DIR"]).resolve()
    return replace(base, data_dir=root, reports_dir=base.reports_dir, offline=False)


def split_base_url(url: str) -> tuple[str, bool]:
    """Split a catalog base URL into (host[:port], use_https) as ``cbsodata`` wants them."""
    parts = urlsplit(url if "://" in url else f"https://{url}")
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"catalog URL {url!r} must look like https://host or http://host:port")
    return parts.netloc, parts.scheme == "https"
