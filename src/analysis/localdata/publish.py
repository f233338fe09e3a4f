"""Publish validated local data: ``<processed>/lokaal/<kind>.parquet``, one atomic file per kind.

A kind is published only when every one of its files passed; a kind that fails keeps its
previously published copy byte for byte. Each published record keeps ``bestand`` and
``regel`` (the file and line it came from) beside its source fields. The problems of the last
load are published too (``<processed>/lokaal/problemen.json``, per kind), so a report can say
why a kind it shows is an older copy or missing (:func:`read_problems`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from analysis import atomic
from analysis.localdata.check import KindResult, Problem, Reference, _frame, check_all
from analysis.localdata.kinds import kind as _kind

__all__ = [
    "LoadResult",
    "load",
    "problems_path",
    "published_path",
    "read_problems",
    "read_published",
]

SUBDIR = "lokaal"
PROBLEMS_FILE = "problemen.json"


def published_path(processed_dir: Path, kind: str) -> Path:
    """Where the validated copy of ``kind`` lives."""
    return Path(processed_dir) / SUBDIR / f"{_kind(kind).name}.parquet"


def problems_path(processed_dir: Path) -> Path:
    """Where the problems of the last published load live."""
    return Path(processed_dir) / SUBDIR / PROBLEMS_FILE


def read_problems(processed_dir: Path, kind: str) -> list[Problem]:
    """The problems the last published load found in the files of ``kind`` (empty: none, or
    never loaded)."""
    import json

    path = problems_path(processed_dir)
    name = _kind(kind).name
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Problem(**p) for p in data.get(name, [])]


@dataclass
class LoadResult:
    """Per kind: the check result and, when it passed, the published file."""

    results: dict[str, KindResult]
    root_problems: list[Problem]
    reference: Reference
    published: dict[str, Path] = field(default_factory=dict)

    @property
    def problems(self) -> list[Problem]:
        return [*self.root_problems, *(p for r in self.results.values() for p in r.problems)]

    @property
    def ok(self) -> bool:
        return not self.problems


def _write(df: pd.DataFrame, path: Path) -> None:
    with atomic.replacing(path) as tmp:
        df.to_parquet(tmp, index=False)


def load(
    root: Path,
    processed_dir: Path,
    *,
    reference: Reference | None = None,
    today: date | None = None,
    publish: bool = True,
) -> LoadResult:
    """Check every kind under ``root`` and publish each kind whose files all passed.

    Codes are checked against ``reference`` (default: ``regio_indeling.parquet`` in
    ``processed_dir`` when present, else the code format).
    """
    reference = reference or Reference.from_processed(processed_dir)
    results, root_probs = check_all(root, reference, today)
    out = LoadResult(results, root_probs, reference)
    if publish:
        for name, res in results.items():
            if res.ok:
                path = published_path(processed_dir, name)
                _write(res.records, path)
                out.published[name] = path
        atomic.write_json(
            problems_path(processed_dir),
            {
                name: [
                    {"file": p.file, "line": p.line, "field": p.field, "message": p.message}
                    for p in res.problems
                ]
                for name, res in results.items()
            },
        )
    return out


def read_published(processed_dir: Path, kind: str) -> pd.DataFrame:
    """The published records of ``kind``; an empty frame with its columns when none exist.

    Read once per version of the file (path, modification time, size): a batch asks for the
    same few files in every report. A copy is returned."""
    path = published_path(processed_dir, kind)
    try:
        st = path.stat()
    except FileNotFoundError:
        return _leeg(_kind(kind).name).copy()
    return _read_parquet(str(path), st.st_mtime_ns, st.st_size).copy()


@functools.lru_cache(maxsize=16)
def _read_parquet(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    return pd.read_parquet(path)


@functools.lru_cache(maxsize=16)
def _leeg(kind: str) -> pd.DataFrame:
    return _frame(_kind(kind), [])
