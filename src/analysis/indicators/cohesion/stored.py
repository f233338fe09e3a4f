"""The cohesion analysis, computed once per data version in the data step.

:func:`~analysis.indicators.cohesion.pipeline.analyse` reads every boundary layer and
membership since 2015 and takes 10–20 s. Every report kernel needs it, for the same
classification year. So the data step (:func:`materialise`, called at the end of
``build``) stores it under ``data/processed/samenhang/``:

* ``samenhang_<jaar>.pickle``: the :class:`Samenhang` object;
* ``samenhang_<jaar>.json``: what it was computed from (the :func:`fingerprint`), when, how
  long it took, and the sha256 of the pickle.

A report kernel loads it (:func:`load`) only when the fingerprint still matches and the
checksum is right, and otherwise computes the analysis itself, as before. The fingerprint
covers every file under ``data/raw`` and the processed tables (path, size, modification
time), the analysis code (sha256 of the cohesion and geo modules and the settings; not this
module), the versions of Python and the libraries that make up the pickle, and the options.
The report step never writes here; only ``build`` does, atomically (pickle first, sidecar
last).
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from analysis import atomic
from analysis.config import Settings
from analysis.indicators.cohesion.constants import DIVISIES

__all__ = ["FOLDER", "current", "fingerprint", "load", "materialise", "paths", "store"]

log = logging.getLogger(__name__)

#: folder under ``data/processed``
FOLDER = "samenhang"
_LIBRARIES = ("numpy", "pandas", "pyarrow", "geopandas", "shapely", "pyproj")
_PACKAGE = Path(__file__).resolve().parents[2]  # src/analysis
_CODE = ("indicators/cohesion", "geo", "config.py")


def paths(settings: Settings, jaar: int) -> tuple[Path, Path]:
    """``(pickle, sidecar)`` of the stored analysis for ``jaar``."""
    folder = settings.processed_dir / FOLDER
    return folder / f"samenhang_{int(jaar)}.pickle", folder / f"samenhang_{int(jaar)}.json"


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
        "jaar": int(jaar),
        "synthetic": bool(synthetic),
        "divisies": list(divisies),
        "drempels": sorted([k, float(v)] for k, v in (drempels or {}).items()),
        "code": _code_hash(),
        "versions": versions,
        "files": _data_files(settings),
    }


def store(settings: Settings, jaar: int, result: object, key: dict, seconds: float) -> Path:
    """Write ``result`` and its sidecar (atomically; the sidecar last)."""
    pickle_path, sidecar = paths(settings, jaar)
    data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    atomic.write_bytes(pickle_path, data)
    atomic.write_json(
        sidecar,
        {
            "fingerprint": key,
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
            "computed_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "seconds": round(seconds, 2),
        },
    )
    return pickle_path


def current(settings: Settings, jaar: int, **options) -> dict | None:
    """The sidecar of the stored analysis for ``jaar`` when its fingerprint matches the
    current data, code and options (see :func:`fingerprint`), else None."""
    pickle_path, sidecar = paths(settings, jaar)
    if not sidecar.is_file() or not pickle_path.is_file():
        return None
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("stored cohesion analysis %s: unreadable sidecar (%s)", sidecar, exc)
        return None
    if meta.get("fingerprint") != json.loads(json.dumps(fingerprint(settings, jaar, **options))):
        log.info("stored cohesion analysis %s is stale; computing it", pickle_path)
        return None
    return meta


def load(settings: Settings, jaar: int, **options) -> object | None:
    """The stored analysis for ``jaar`` when it is :func:`current` and its checksum is right,
    else None. A missing, stale or damaged store is never an error: the caller computes the
    analysis itself."""
    from analysis.indicators.cohesion.pipeline import Samenhang

    meta = current(settings, jaar, **options)
    if meta is None:
        return None
    pickle_path, _ = paths(settings, jaar)
    try:
        data = pickle_path.read_bytes()
        if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
            log.warning("stored cohesion analysis %s is damaged; computing it", pickle_path)
            return None
        result = pickle.loads(data)
    except (OSError, ValueError, pickle.UnpicklingError, AttributeError, ImportError) as exc:
        log.warning("stored cohesion analysis %s unreadable (%s); computing it", pickle_path, exc)
        return None
    return result if isinstance(result, Samenhang) else None


def materialise(
    data_dir: str | Path,
    *,
    jaren: Iterable[int] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Compute and store the analysis for ``jaren`` (default: the latest classification year,
    the one every report of a batch uses) exactly as a report kernel on ``data_dir`` would:
    same processed tables, same offline settings, same options."""
    from analysis import store as processed
    from analysis.indicators.cohesion.pipeline import analyse

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
        say(f"samenhang {jaar}: berekend in {seconds:.1f} s, opgeslagen in {written[-1]}")
    return written
