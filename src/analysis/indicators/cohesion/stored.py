"""The cohesion analysis, computed once per data version as a derived step after the build.

:func:`~analysis.indicators.cohesion.pipeline.analyse` reads every boundary layer and
membership since 2015 and takes 10–20 s. Every report kernel needs it, for the same
classification year. So the pipeline, right after ``build`` (:func:`materialise`, called by
:mod:`analysis.pipeline`), stores it under ``data/processed/samenhang/`` in data formats that
cannot run code when read:

* ``samenhang_<jaar>.<token>/NNN.parquet``: every table of the :class:`Samenhang` (GeoParquet
  for the tables with geometry);
* ``samenhang_<jaar>.json``: the structure (which part is which table, the scalars, notes and
  weight labels), the sha256 of every part, what it was computed from (the :func:`fingerprint`),
  when and how long it took. It is written last and names the folder of its parts, so a reader
  sees the old set or the new one, never a mix.

A report kernel loads it (:func:`load`) only when the fingerprint still matches and every
checksum is right, and otherwise computes the analysis itself. The fingerprint covers every file
under ``data/raw`` and the processed tables (path, size, modification time), the analysis code
(sha256 of the cohesion, geo and metadata modules and the settings; not this module), the
versions of Python and the libraries that read and write the tables, and the options. The
report step never writes here.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from analysis import atomic
from analysis import store as processed
from analysis.config import Settings
from analysis.indicators.cohesion.congruence import Gewichten
from analysis.indicators.cohesion.constants import DIVISIES
from analysis.indicators.cohesion.pipeline import Geodata, Notitie, Samenhang, analyse

__all__ = [
    "FOLDER",
    "current",
    "fingerprint",
    "from_parts",
    "load",
    "materialise",
    "part_files",
    "sidecar_path",
    "store",
    "to_parts",
]

log = logging.getLogger(__name__)

#: folder under ``data/processed``
FOLDER = "samenhang"
_FORMAT = 2  # 1 was a pickle (never read any more)
_LIBRARIES = ("numpy", "pandas", "pyarrow", "geopandas", "shapely", "pyproj")
_PACKAGE = Path(__file__).resolve().parents[2]  # src/analysis
_CODE = ("indicators/cohesion", "geo", "metadata", "config.py")
_TABLES = (
    "samenstelling",
    "tijdlijn",
    "congruentie",
    "overeenstemming",
    "geometrie",
    "delen",
    "spreiding",
    "leden_waarden",
    "profiel",
    "regios",
    "gemeenten",
)


def sidecar_path(settings: Settings, jaar: int) -> Path:
    """The JSON sidecar of the stored analysis for ``jaar``."""
    return settings.processed_dir / FOLDER / f"samenhang_{int(jaar)}.json"


def part_files(settings: Settings, jaar: int) -> list[Path]:
    """The table files the current sidecar for ``jaar`` names (empty without a sidecar)."""
    meta = _read_sidecar(sidecar_path(settings, jaar))
    if meta is None or "map" not in meta:
        return []
    folder = sidecar_path(settings, jaar).parent / str(meta["map"])
    return [folder / p["bestand"] for p in meta.get("delen", [])]


def _code_hash() -> str:
    h = hashlib.sha256()
    for part in _CODE:
        base = _PACKAGE / part
        files = sorted(base.rglob("*.py")) if base.is_dir() else [base]
        for f in files:
            if f.resolve() == Path(__file__).resolve():
                continue  # storing, not computing
            h.update(f.relative_to(_PACKAGE).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()


#: the files of ``data/processed`` the analysis reads (it reads ``data/raw`` as well)
_PROCESSED = ("indicators.parquet", "regio_indeling.parquet", "sources.json")


def _data_files(settings: Settings) -> list[list]:
    """``[relative path, size, mtime_ns]`` of every file the analysis may read."""
    raw = sorted(settings.raw_dir.rglob("*")) if settings.raw_dir.is_dir() else []
    files = [f for f in raw if f.is_file() and not f.name.startswith(".")]
    files += [settings.processed_dir / n for n in _PROCESSED]
    out = []
    for f in files:
        st = f.stat() if f.is_file() else None
        out.append(
            [
                f.relative_to(settings.data_dir).as_posix(),
                st.st_size if st else None,
                st.st_mtime_ns if st else None,
            ]
        )
    return out


def fingerprint(
    settings: Settings,
    jaar: int,
    *,
    synthetic: bool,
    divisies: Iterable[str] = tuple(DIVISIES),
    drempels: Mapping[str, float] | None = None,
) -> dict:
    """Everything the stored analysis for ``jaar`` depends on (see the module docstring)."""
    versions = {"python": ".".join(map(str, sys.version_info[:3]))}
    for lib in _LIBRARIES:
        try:
            versions[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            versions[lib] = None
    return {
        "formaat": _FORMAT,
        "jaar": int(jaar),
        "synthetic": bool(synthetic),
        "divisies": list(divisies),
        "drempels": sorted([k, float(v)] for k, v in (drempels or {}).items()),
        "code": _code_hash(),
        "versions": versions,
        "files": _data_files(settings),
    }


# ----------------------------------------------------------------------------- (de)composition


def _json_attrs(df: pd.DataFrame) -> dict:
    """The frame's ``attrs`` when they are plain JSON (the timeline's year pairs)."""
    try:
        return json.loads(json.dumps(df.attrs))
    except (TypeError, ValueError):
        return {}


def _note(n: Notitie) -> list:
    return [n.soort, list(n.indelingen), [int(y) for y in n.jaren]]


def _unnote(n: list) -> Notitie:
    return Notitie(str(n[0]), tuple(str(i) for i in n[1]), tuple(int(y) for y in n[2]))


def to_parts(res: Samenhang) -> tuple[dict[str, Any], list[pd.DataFrame]]:
    """``(structure, tables)``: the analysis as plain JSON plus a list of (Geo)DataFrames.

    The structure names every table by its place in :class:`Samenhang`; a table that appears
    twice (the gemeenten of the map year) is stored once.
    """
    tables: list[pd.DataFrame] = []
    seen: dict[int, int] = {}

    def add(df: pd.DataFrame | None) -> int | None:
        if df is None:
            return None
        if id(df) not in seen:
            seen[id(df)] = len(tables)
            tables.append(df)
        return seen[id(df)]

    def weights(w: Gewichten | None) -> dict | None:
        if w is None:
            return None
        frame = pd.DataFrame({"waarde": w.waarden})
        return {"deel": add(frame), "naam": w.waarden.name, "soort": w.soort, "bron": w.bron}

    g = res.geodata
    structure = {
        "jaar": int(res.jaar),
        "geo_jaar": None if res.geo_jaar is None else int(res.geo_jaar),
        "tabellen": {name: add(getattr(res, name)) for name in _TABLES},
        "congruentie_jaar": {k: int(v) for k, v in res.congruentie_jaar.items()},
        "notities": [_note(n) for n in res.notities],
        "gewichten_per_jaar": [[int(y), weights(w)] for y, w in res.gewichten_per_jaar.items()],
        "gewichten": None,
        "geodata": {
            "gemeenten": [[int(y), add(d)] for y, d in g.gemeenten.items()],
            "regio_lagen": {
                n: [[int(y), add(d)] for y, d in per.items()] for n, per in g.regio_lagen.items()
            },
            "lidmaatschap": {
                n: [[int(y), add(d)] for y, d in per.items()] for n, per in g.lidmaatschap.items()
            },
            "notities": [_note(n) for n in g.notities],
        },
    }
    same = [y for y, w in res.gewichten_per_jaar.items() if w is res.gewichten]
    if res.gewichten is not None:
        structure["gewichten"] = (
            {"jaar": int(same[0])} if same else {"eigen": weights(res.gewichten)}
        )
    return structure, tables


def from_parts(structure: Mapping[str, Any], tables: list[pd.DataFrame]) -> Samenhang:
    """The inverse of :func:`to_parts`."""

    def get(i: int | None) -> pd.DataFrame | None:
        return None if i is None else tables[int(i)]

    def weights(spec: Mapping | None) -> Gewichten | None:
        if spec is None:
            return None
        values = get(spec["deel"])["waarde"].rename(spec["naam"])
        return Gewichten(values, spec["soort"], spec["bron"])

    g = structure["geodata"]
    geodata = Geodata(
        gemeenten={int(y): get(i) for y, i in g["gemeenten"]},
        regio_lagen={n: {int(y): get(i) for y, i in per} for n, per in g["regio_lagen"].items()},
        lidmaatschap={n: {int(y): get(i) for y, i in per} for n, per in g["lidmaatschap"].items()},
        notities=[_unnote(n) for n in g["notities"]],
    )
    per_year = {int(y): weights(spec) for y, spec in structure["gewichten_per_jaar"]}
    w = structure["gewichten"]
    gewichten = (
        None if w is None else (per_year[int(w["jaar"])] if "jaar" in w else weights(w["eigen"]))
    )
    t = {name: get(i) for name, i in structure["tabellen"].items()}
    return Samenhang(
        jaar=int(structure["jaar"]),
        geo_jaar=structure["geo_jaar"],
        congruentie_jaar=dict(structure["congruentie_jaar"]),
        geodata=geodata,
        gewichten=gewichten,
        notities=[_unnote(n) for n in structure["notities"]],
        gewichten_per_jaar=per_year,
        **t,
    )


def _to_bytes(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_parquet(buf, index=True)
    return buf.getvalue()


def _from_bytes(data: bytes, geo: bool) -> pd.DataFrame:
    buf = io.BytesIO(data)
    return gpd.read_parquet(buf) if geo else pd.read_parquet(buf)


# ----------------------------------------------------------------------------- store and load


def store(settings: Settings, jaar: int, result: Samenhang, key: dict, seconds: float) -> Path:
    """Write ``result`` as Parquet parts in a new folder, then its sidecar (atomically, last);
    older folders of ``jaar`` are removed afterwards. Returns the sidecar."""
    sidecar = sidecar_path(settings, jaar)
    structure, tables = to_parts(result)
    name = f"samenhang_{int(jaar)}.{uuid.uuid4().hex[:12]}"
    folder = sidecar.parent / name
    folder.mkdir(parents=True, exist_ok=False)
    parts = []
    try:
        for i, df in enumerate(tables):
            data = _to_bytes(df)
            bestand = f"{i:03d}.parquet"
            atomic.write_bytes(folder / bestand, data)
            parts.append(
                {
                    "bestand": bestand,
                    "geo": isinstance(df, gpd.GeoDataFrame),
                    "attrs": _json_attrs(df),
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "bytes": len(data),
                }
            )
        atomic.write_json(
            sidecar,
            {
                "fingerprint": key,
                "map": name,
                "structuur": structure,
                "delen": parts,
                "computed_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "seconds": round(seconds, 2),
            },
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    for old in sidecar.parent.glob(f"samenhang_{int(jaar)}.*"):
        if old.is_dir() and old.name != name:
            shutil.rmtree(old, ignore_errors=True)
        elif old.suffix == ".pickle":  # the old format: never read, removed
            old.unlink(missing_ok=True)
    return sidecar


def _read_sidecar(path: Path) -> dict | None:
    if not path.is_file():
        return None
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("stored cohesion analysis %s: unreadable sidecar (%s)", path, exc)
        return None
    return meta if isinstance(meta, dict) else None


def current(settings: Settings, jaar: int, **options) -> dict | None:
    """The sidecar of the stored analysis for ``jaar`` when its fingerprint matches the
    current data, code and options (see :func:`fingerprint`), else None."""
    sidecar = sidecar_path(settings, jaar)
    meta = _read_sidecar(sidecar)
    if meta is None:
        return None
    if meta.get("fingerprint") != json.loads(json.dumps(fingerprint(settings, jaar, **options))):
        log.info("stored cohesion analysis %s is stale; computing it", sidecar)
        return None
    return meta


def load(settings: Settings, jaar: int, **options) -> Samenhang | None:
    """The stored analysis for ``jaar`` when it is :func:`current` and every checksum is
    right, else None. A missing, stale or damaged store is never an error: the caller computes
    the analysis itself. Only Parquet and JSON are read; nothing in the folder is executed."""
    meta = current(settings, jaar, **options)
    if meta is None:
        return None
    folder = sidecar_path(settings, jaar).parent / str(meta.get("map", ""))
    try:
        tables = []
        for part in meta["delen"]:
            path = folder / Path(str(part["bestand"])).name
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() != part["sha256"]:
                log.warning("stored cohesion analysis %s is damaged; computing it", path)
                return None
            df = _from_bytes(data, bool(part["geo"]))
            df.attrs.update(part.get("attrs") or {})
            tables.append(df)
        return from_parts(meta["structuur"], tables)
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        log.warning("stored cohesion analysis in %s unreadable (%s); computing it", folder, exc)
        return None


def materialise(
    data_dir: str | Path,
    *,
    jaren: Iterable[int] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Compute and store the analysis for ``jaren`` (default: the latest classification year,
    the one every report of a batch uses) exactly as a report kernel on ``data_dir`` would:
    same processed tables, same offline settings, same options. Returns the sidecars."""
    say = progress or log.info
    settings = processed.report_settings(data_dir)
    root = settings.data_dir
    indicators = processed.load_indicators(root)
    indeling = processed.load_indeling(root)
    synthetic = processed.is_synthetic(processed.load_sources(root))
    if jaren is None:
        jaren = processed.classification_years(root)[-1:]
    written = []
    for jaar in jaren:
        t0 = time.perf_counter()
        result = analyse(
            settings, int(jaar), indicators=indicators, indeling=indeling, synthetic=synthetic
        )
        seconds = time.perf_counter() - t0
        key = fingerprint(settings, int(jaar), synthetic=synthetic)
        written.append(store(settings, int(jaar), result, key, seconds))
        say(f"samenhang {jaar}: berekend in {seconds:.1f} s, opgeslagen in {written[-1].parent}")
    return written
