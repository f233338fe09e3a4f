"""Write lists of flat records byte-identical to ``json.dump(records, f, indent=2)``.

``cbsodata.download_data(dir=...)`` saves every entity with ``json.dump(data, f, indent=2)``
(ASCII-escaped). The standard library falls back to its pure-Python encoder whenever
``indent`` is set, which is slow for the hundreds of thousands of rows of a large Demoland
table; :func:`write_records` produces the same bytes for flat records much faster.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring_ascii as _enc  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

__all__ = ["write_records", "write_rows", "read_records", "format_value"]


def format_value(value: Any) -> str:
    """One JSON scalar exactly as :func:`json.dumps` writes it."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"non-finite float {value!r} cannot be written")
        return float.__repr__(value)
    if isinstance(value, str):
        return _enc(value)
    raise TypeError(f"only flat JSON scalars are supported, got {type(value).__name__}")


def _float(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError(f"non-finite float {value!r} cannot be written")
    return float.__repr__(value)


_FORMAT = {
    int: int.__repr__,
    str: _enc,
    float: _float,
    type(None): lambda v: "null",
    bool: lambda v: "true" if v else "false",
}


def _record_text(prefixes: Sequence[str], values: Sequence[Any]) -> str:
    if not prefixes:
        return "  {}"
    get = _FORMAT.get
    body = ",\n".join(
        [p + get(type(v), format_value)(v) for p, v in zip(prefixes, values, strict=True)]
    )
    return "  {\n" + body + "\n  }"


def write_rows(path: Path, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write rows (tuples aligned with ``columns``) as a JSON list of records; returns the count."""
    prefixes = [f"    {_enc(c)}: " for c in columns]
    n = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        chunk: list[str] = []
        for row in rows:
            chunk.append(_record_text(prefixes, row))
            n += 1
            if len(chunk) >= 5000:
                fh.write(("[\n" if n == len(chunk) else ",\n") + ",\n".join(chunk))
                chunk = []
        if chunk:
            fh.write(("[\n" if n == len(chunk) else ",\n") + ",\n".join(chunk))
        fh.write("\n]" if n else "[]")
    return n


def write_records(path: Path, records: Sequence[dict[str, Any]]) -> int:
    """Write a list of flat dicts (keys may differ per record); returns the count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    parts = []
    for rec in records:
        prefixes = [f"    {_enc(k)}: " for k in rec]
        parts.append(_record_text(prefixes, list(rec.values())))
    text = "[\n" + ",\n".join(parts) + "\n]" if parts else "[]"
    path.write_text(text, encoding="utf-8", newline="\n")
    return len(parts)


def read_records(path: Path) -> list[dict[str, Any]]:
    """Read a JSON list of records."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
