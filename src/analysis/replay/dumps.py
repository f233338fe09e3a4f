"""Dump folders written by ``cbsodata.download_data``: layout, JSON cache, UntypedDataSet."""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Entity names every CBS v3 table may have, in service-document order.
KNOWN_ENTITIES = (
    "TableInfos",
    "UntypedDataSet",
    "TypedDataSet",
    "DataProperties",
    "CategoryGroups",
)
#: ``DataProperties.Type`` values that mark a dimension (one entity per dimension key).
DIMENSION_TYPES = frozenset({"Dimension", "TimeDimension", "GeoDimension", "GeoDetail"})
#: Minimum width of a synthesised UntypedDataSet cell (``"       ."``).
UNTYPED_MIN_WIDTH = 8


# --------------------------------------------------------------------------------------------
# Dump folders


def _format_measure(value: Any, decimals: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "."
        if isinstance(decimals, int) and not isinstance(decimals, bool) and decimals >= 0:
            return f"{value:.{decimals}f}"
        return repr(value)
    if isinstance(value, int) and isinstance(decimals, int) and decimals > 0:
        return f"{value:.{decimals}f}"
    return str(value)


def synthesise_untyped(
    rows: list[dict[str, Any]],
    data_properties: list[dict[str, Any]] | None,
) -> list[dict[str, Any]]:
    """Build the CBS ``UntypedDataSet`` shape from ``TypedDataSet`` rows.

    Every measure (``DataProperties`` ``Type == "Topic"``; without DataProperties every column
    but ``ID``) becomes a right-aligned string; the width per column is the longest formatted
    value (at least :data:`UNTYPED_MIN_WIDTH`); null becomes a right-aligned ``"."``. Numbers are
    formatted with the measure's ``Decimals``. Dimension keys and ``ID`` are unchanged.
    """
    if not rows:
        return []
    props = data_properties or []
    decimals = {p.get("Key"): p.get("Decimals") for p in props if p.get("Type") == "Topic"}
    if decimals:
        measures = [k for k in rows[0] if k in decimals]
    else:
        dims = {p.get("Key") for p in props if p.get("Type") in DIMENSION_TYPES}
        measures = [k for k in rows[0] if k != "ID" and k not in dims]
    columns: dict[str, list[str]] = {}
    for key in measures:
        d = decimals.get(key)
        cells = ["." if (v := row.get(key)) is None else _format_measure(v, d) for row in rows]
        width = max(UNTYPED_MIN_WIDTH, max(len(c) for c in cells))
        columns[key] = [c.rjust(width) for c in cells]
    out = []
    for i, row in enumerate(rows):
        new = dict(row)
        for key, cells in columns.items():
            new[key] = cells[i]
        out.append(new)
    return out


class _JsonCache:
    """Parsed JSON per file, reloaded when the file's mtime or size changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[Any, tuple[Any, Any]] = {}

    @staticmethod
    def stamp(path: Path) -> tuple[int, int]:
        st = path.stat()
        return (st.st_mtime_ns, st.st_size)

    def load(self, path: Path) -> Any:
        stamp = self.stamp(path)
        with self._lock:
            hit = self._items.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        data = json.loads(path.read_bytes())
        with self._lock:
            self._items[path] = (stamp, data)
        return data

    def derived(self, key: Any, stamp: Any, build: Callable[[], Any]) -> Any:
        with self._lock:
            hit = self._items.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        data = build()
        with self._lock:
            self._items[key] = (stamp, data)
        return data


@dataclass(frozen=True)
class _Layout:
    """What a dump folder holds: entity -> file, plus the dimension keys in order."""

    files: dict[str, Path]
    dimensions: list[str]
    data_properties: list[dict[str, Any]] | None

    def entities(self) -> list[str]:
        """Entity names in service-document order (UntypedDataSet synthesised if needed)."""
        names = [n for n in KNOWN_ENTITIES if n in self.files]
        if "TypedDataSet" in self.files and "UntypedDataSet" not in self.files:
            names.insert(names.index("TypedDataSet"), "UntypedDataSet")
        names += [d for d in self.dimensions if d in self.files]
        return names


def _entity_of(stem: str, names: set[str]) -> str | None:
    if stem in names:
        return stem
    for i, ch in enumerate(stem):
        if ch == "_" and stem[:i] in names:
            return stem[:i]
    return None


def _pick(files: dict[str, list[Path]]) -> dict[str, Path]:
    picked = {}
    for entity, paths in files.items():
        exact = [p for p in paths if p.stem == entity]
        picked[entity] = exact[0] if exact else sorted(paths)[0]
    return picked


def _scan_layout(folder: Path, cache: _JsonCache) -> _Layout:
    jsons = sorted(p for p in folder.iterdir() if p.suffix == ".json" and p.is_file())
    known = set(KNOWN_ENTITIES)
    found: dict[str, list[Path]] = {}
    for p in jsons:
        if (e := _entity_of(p.stem, known)) is not None:
            found.setdefault(e, []).append(p)
    files = _pick(found)
    props: list[dict[str, Any]] | None = None
    dims: list[str] = []
    if "DataProperties" in files:
        loaded = cache.load(files["DataProperties"])
        if isinstance(loaded, list):
            props = loaded
            dims = [
                p["Key"]
                for p in props
                if isinstance(p, dict) and p.get("Type") in DIMENSION_TYPES and p.get("Key")
            ]
    if dims:
        dim_set = set(dims)
        dim_found: dict[str, list[Path]] = {}
        for p in jsons:
            if _entity_of(p.stem, known) is None and (e := _entity_of(p.stem, dim_set)):
                dim_found.setdefault(e, []).append(p)
        files.update(_pick(dim_found))
    return _Layout(files=files, dimensions=dims, data_properties=props)


def _looks_like_dump(folder: Path) -> bool:
    known = set(KNOWN_ENTITIES)
    return any(
        p.suffix == ".json" and _entity_of(p.stem, known) is not None for p in folder.iterdir()
    )
