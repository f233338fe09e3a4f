"""Cached loaders of the processed layer and the context a report notebook runs in.

The loaders memoise per resolved file path + modification time + size, so a warm kernel that
renders hundreds of reports reads each parquet file once, and a rebuilt file is read again.
They return shallow copies (pandas copy-on-write): callers may add columns without touching
the cache. Rendering never touches the network: :func:`report_context` builds its settings
with ``offline=True``.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from analysis import validation
from analysis.config import Settings, cache_enabled, project_root
from analysis.config import settings as _settings
from analysis.metadata import schema
from analysis.metadata.regions import NEDERLAND, NEDERLAND_NAAM

T = TypeVar("T")

__all__ = [
    "KINDS",
    "Memo",
    "NEDERLAND",
    "ReportContext",
    "data_version",
    "load_boundaries_nearest",
    "load_indeling",
    "load_indicators",
    "load_sources",
    "report_context",
    "resolve_data_dir",
]

KINDS: tuple[str, ...] = tuple(validation.KIND_PARAMS)


def resolve_data_dir(data_dir: str | Path) -> Path:
    """An absolute data dir: as given when absolute or present below the working directory,
    else relative to the project root (notebooks may run with ``notebooks/`` as cwd)."""
    p = Path(data_dir).expanduser()
    if p.is_absolute():
        return p.resolve()
    if (Path.cwd() / p / "processed").is_dir():
        return (Path.cwd() / p).resolve()
    return (project_root() / p).resolve()


def _processed_file(data_dir: str | Path, name: str) -> Path:
    path = resolve_data_dir(data_dir) / "processed" / name
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} not found; build the processed layer first "
            "(`python -m analysis data` or `python -m analysis demo-data`)"
        )
    return path


def _key(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return str(path.resolve()), st.st_mtime_ns, st.st_size


@functools.lru_cache(maxsize=8)
def _read_indicators(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    labels = schema.label_columns(schema.INDICATORS)
    frame = pd.read_parquet(path, read_dictionary=labels)  # categoricals, no text conversion
    return schema.compact_labels(schema.coerce(frame, schema.INDICATORS))


@functools.lru_cache(maxsize=8)
def _read_indeling(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    return schema.coerce(pd.read_parquet(path), schema.INDELING)


@functools.lru_cache(maxsize=8)
def _read_sources(path: str, mtime_ns: int, size: int) -> str:
    text = Path(path).read_text(encoding="utf-8")
    data = json.loads(text)
    if not isinstance(data, list):
        raise ValueError(
            f"{path}: expected a JSON list of source entries, got {type(data).__name__}"
        )
    return text


def data_version(data_dir: str | Path) -> tuple:
    """Identity of the processed layer (path, mtime, size of both parquet files): a cache key
    for results derived from it."""
    return tuple(
        _key(_processed_file(data_dir, name))
        for name in ("indicators.parquet", "regio_indeling.parquet")
    )


def load_indicators(data_dir: str | Path) -> pd.DataFrame:
    """``processed/indicators.parquet`` with the contract dtypes, label columns as
    categoricals (:func:`analysis.metadata.schema.compact_labels`; memoised)."""
    return _read_indicators(*_key(_processed_file(data_dir, "indicators.parquet"))).copy(deep=False)


def load_indeling(data_dir: str | Path) -> pd.DataFrame:
    """``processed/regio_indeling.parquet`` (memoised)."""
    return _read_indeling(*_key(_processed_file(data_dir, "regio_indeling.parquet"))).copy(
        deep=False
    )


def load_sources(data_dir: str | Path) -> list[dict[str, Any]]:
    """``processed/sources.json`` as a list of dicts (memoised; a fresh copy is returned)."""
    return json.loads(_read_sources(*_key(_processed_file(data_dir, "sources.json"))))


# ----------------------------------------------------------------------------- context


@dataclass(frozen=True, eq=False)
class ReportContext:
    """Everything a chapter function needs for one report.

    ``code``/``naam``: the report's subject (``NL01``/``Nederland``, a jeugdregio or a
    gemeente). ``regio_code``/``regio_naam``: the jeugdregio of the subject (for a gemeente
    its region in ``indeling_jaar``; for a jeugdregio itself; None for Nederland).
    ``leden``: jeugdregio membership of ``indeling_jaar`` (gemeente_code, gemeente_naam,
    regio_code, regio_naam). ``indicators`` holds all rows; chapters select on
    ``indeling_jaar`` themselves. ``sources`` (``processed/sources.json``) is shared by every
    report on the same data: read it, never change it.
    """

    kind: str
    code: str
    naam: str
    jaar: int
    indeling_jaar: int
    data_dir: Path
    profiel: str
    vergelijkingsgroep: str | None
    indicators: pd.DataFrame = field(repr=False)
    indeling: pd.DataFrame = field(repr=False)
    sources: list[dict[str, Any]] = field(repr=False)
    leden: pd.DataFrame = field(repr=False)
    regio_code: str | None
    regio_naam: str | None
    synthetic: bool
    settings: Settings = field(repr=False)

    @property
    def gemeenten(self) -> list[str]:
        """Codes of all gemeenten in the classification of ``indeling_jaar``."""
        m = self.indeling[self.indeling["jaar"] == self.indeling_jaar]
        return sorted(m["gemeente_code"].unique())

    def membership(self, soort: str = "jeugdregio") -> pd.DataFrame:
        """Membership gemeente -> ``soort`` region in ``indeling_jaar``."""
        m = self.indeling[
            (self.indeling["jaar"] == self.indeling_jaar) & (self.indeling["indeling"] == soort)
        ]
        cols = ["gemeente_code", "gemeente_naam", "regio_code", "regio_naam"]
        return m[cols].drop_duplicates("gemeente_code").reset_index(drop=True)


class Memo(OrderedDict):
    """A memo of results on one data version: a dict that keeps at most ``grootte`` entries,
    dropping the least recently used first.

    A batch renders the gemeenten region by region; the figures of one gemeente or region
    are not asked again once the batch has moved on, while dataset-wide results (read by
    every report) stay recent. Unbounded, a warm kernel grew ~0.4 MB per report."""

    grootte = 512

    def __init__(self, grootte: int | None = None) -> None:
        super().__init__()
        if grootte is not None:
            self.grootte = grootte

    def __getitem__(self, key):
        value = super().__getitem__(key)
        self.move_to_end(key)
        return value

    def get(self, key, default=None):
        if key not in self:
            return default
        return self[key]

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.grootte:
            self.popitem(last=False)


#: entries the one data-version memo keeps (least recently used dropped first)
MEMO_SIZE = 48
_CLASSIFICATION = Memo(MEMO_SIZE)


def _memo_data(key: tuple, fn):
    """Memoise ``fn()`` under ``key`` (which starts with the data version, or names the
    boundary-cache state): the one in-memory cache of the processed layer's readers, switched
    off by ``ANALYSIS_NO_CACHE=1`` (:func:`analysis.config.cache_enabled`)."""
    if not cache_enabled():
        return fn()
    if key not in _CLASSIFICATION:
        _CLASSIFICATION[key] = fn()
    return _CLASSIFICATION[key]


def per_data_version(data_dir: str | Path, name: str, fn: Callable[[], T]) -> T:
    """``fn()``, computed once per version of the processed layer under ``data_dir`` (a warm
    kernel renders many reports from the same data)."""
    return _memo_data((data_version(data_dir), name), fn)


def reads_processed(ctx: Any) -> bool:
    """Whether a report context reads a processed layer on disk (one built from files; a
    test may build a context from frames in memory), so its data version can key caches."""
    data_dir = getattr(ctx, "data_dir", None)
    return data_dir is not None and (Path(data_dir) / "processed" / "indicators.parquet").is_file()


def is_synthetic(sources: list[dict[str, Any]], profiel: str | None = None) -> bool:
    """Whether a data set is synthetic: the Demoland profile, or any synthetic source."""
    return profiel == "demoland" or any(bool(s.get("synthetic")) for s in sources)


def _classification_years(root: Path, indeling: pd.DataFrame, indicators: pd.DataFrame) -> list:
    """The classification years of the data set (memoised per data version)."""

    def f() -> list[int]:
        years = sorted(int(y) for y in indeling["jaar"].unique())
        return years or sorted(int(y) for y in indicators["indeling_jaar"].unique())

    return list(_memo_data((data_version(root), "years"), f))


def _classification(root: Path, indeling: pd.DataFrame, indeling_jaar: int) -> tuple:
    """(jeugdregio members, {gemeente code: name}, {jeugdregio code: name}) of
    ``indeling_jaar``, memoised per data version; copies are returned."""

    def f() -> tuple:
        of_year = indeling[indeling["jaar"] == indeling_jaar]
        jz = of_year[of_year["indeling"] == "jeugdregio"]
        leden = (
            jz[["gemeente_code", "gemeente_naam", "regio_code", "regio_naam"]]
            .drop_duplicates("gemeente_code")
            .reset_index(drop=True)
        )
        gemeenten = dict(zip(of_year["gemeente_code"], of_year["gemeente_naam"], strict=True))
        regios = dict(zip(leden["regio_code"], leden["regio_naam"], strict=True))
        return leden, gemeenten, regios

    leden, gemeenten, regios = _memo_data((data_version(root), "indeling", indeling_jaar), f)
    return leden.copy(deep=False), dict(gemeenten), dict(regios)


def report_context(
    kind: str,
    code: str | None,
    jaar: int,
    indeling_jaar: int | None,
    data_dir: str | Path,
    profiel: str,
    vergelijkingsgroep: str | None = None,
) -> ReportContext:
    """Load the processed layer and resolve the report's subject.

    ``kind`` is ``nederland`` (``code`` ignored, may be None), ``jeugdregio`` (a JZ code) or
    ``gemeente`` (a GM code; ``vergelijkingsgroep`` defaults to ``grootteklasse``).
    ``indeling_jaar`` None means the latest classification year in ``regio_indeling``.
    Errors (:class:`analysis.validation.ParameterError`, the one validator the report runner
    uses too) name the bad value and the valid choices.
    """
    validation.check_kind(kind)
    jaar = validation.as_year("jaar", jaar)
    root = resolve_data_dir(data_dir)
    indicators = load_indicators(root)
    indeling = load_indeling(root)
    # parsed once per version of the file (a report only reads it)
    sources = _memo_data(
        (_key(_processed_file(root, "sources.json")), "sources"), lambda: load_sources(root)
    )

    years = _classification_years(root, indeling, indicators)
    if indeling_jaar is None:
        if not years:
            raise ValueError(f"no classification year in {root / 'processed'}")
        indeling_jaar = years[-1]
    else:
        indeling_jaar = validation.check_indeling_jaar(indeling_jaar, years)

    leden, gemeenten, regios = _classification(root, indeling, indeling_jaar)

    regio_code: str | None = None
    regio_naam: str | None = None
    if kind == "nederland":
        code, naam = NEDERLAND, NEDERLAND_NAAM
        vergelijkingsgroep = None
    elif kind == "jeugdregio":
        code = validation.resolve_region("jeugdregio", code or "", regios, indeling_jaar)
        naam = regios[code]
        regio_code, regio_naam = code, naam
        vergelijkingsgroep = None
    else:
        code = validation.resolve_region("gemeente", code or "", gemeenten, indeling_jaar)
        naam = gemeenten[code]
        vergelijkingsgroep = validation.check_vergelijkingsgroep(
            vergelijkingsgroep or "grootteklasse"
        )
        own = leden.loc[leden["gemeente_code"] == code]
        if not own.empty:
            regio_code, regio_naam = own["regio_code"].iat[0], own["regio_naam"].iat[0]

    synthetic = is_synthetic(sources, profiel)
    return ReportContext(
        kind=kind,
        code=code,
        naam=naam,
        jaar=jaar,
        indeling_jaar=indeling_jaar,
        data_dir=root,
        profiel=profiel,
        vergelijkingsgroep=vergelijkingsgroep,
        indicators=indicators,
        indeling=indeling,
        sources=sources,
        leden=leden,
        regio_code=regio_code,
        regio_naam=regio_naam,
        synthetic=synthetic,
        settings=report_settings(root),
    )


def report_settings(data_dir: str | Path) -> Settings:
    """The settings a report (and all it computes) uses for ``data_dir``: offline, because
    rendering never touches the network."""
    return _settings(data_dir=resolve_data_dir(data_dir), offline=True)


def classification_years(data_dir: str | Path) -> list[int]:
    """The classification years of the processed layer under ``data_dir``, oldest first."""
    root = resolve_data_dir(data_dir)
    return _classification_years(root, load_indeling(root), load_indicators(root))


# ----------------------------------------------------------------------------- boundaries


def _geo_functions():
    """(load_boundaries, available_years) from :mod:`analysis.geo` (None when absent)."""
    try:
        from analysis.geo import boundaries as geo_boundaries
    except ImportError:
        return None, None
    return (
        getattr(geo_boundaries, "load_boundaries", None),
        getattr(geo_boundaries, "available_years", None),
    )


def _nearest(layer: str, year: int, settings: Settings) -> tuple:
    load, available = _geo_functions()
    if load is None:
        return None, None, "de grenzenmodule is niet beschikbaar"
    try:
        years = list(available(layer, settings=settings)) if available else [year]
    except (OSError, ValueError):
        years = [year]
    if not years:
        return None, None, f"geen grenzen van laag {layer} in {settings.geo_cache_dir}"
    last_error = ""
    for y in sorted(years, key=lambda y: (abs(y - year), -y)):
        try:
            return load(layer, y, settings=settings), y, ""
        except Exception as exc:  # a damaged or unreadable file: try the next year
            last_error = f"{type(exc).__name__}: {exc}"
    return None, None, last_error


def load_boundaries_nearest(layer: str, year: int, settings: Settings) -> tuple:
    """Boundaries of ``layer`` for ``year``, else of the nearest cached year (never online).

    Returns ``(GeoDataFrame or None, year used or None, reason when None)``. Memoised per
    layer, year and state of the boundary cache folder (file names and mtimes).
    """
    settings = dataclasses.replace(settings, offline=True)
    cache = settings.geo_cache_dir
    state = (
        tuple(sorted((p.name, p.stat().st_mtime_ns) for p in cache.glob(f"{layer}_*.topojson")))
        if cache.is_dir()
        else ()
    )
    key = ("grenzen", layer, int(year), str(cache), state)
    gdf, used, reason = _memo_data(key, lambda: _nearest(layer, int(year), settings))
    return (gdf.copy() if gdf is not None else None), used, reason
