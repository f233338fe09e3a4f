"""Raw snapshots on disk: ``data/raw/<catalog>/<table_id>/<Modified>/`` plus ``manifest.json``.

A snapshot folder is complete if and only if it holds a ``manifest.json``; folders are built
under a temporary name in the same parent and moved into place with one ``rename``, so a
crash or a failed download never leaves a half-written snapshot where a good one was.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import uuid
from pathlib import Path

import pandas as pd

from analysis import atomic
from analysis.cbs.keys import TableMeta

MANIFEST = "manifest.json"
DATA_ENTITIES = ("TypedDataSet", "UntypedDataSet")
META_ENTITIES = ("TableInfos", "DataProperties", "CategoryGroups")


def folder_name(modified: str) -> str:
    """A filesystem-safe folder name for a ``Modified`` timestamp (``2021-03-26T020000``)."""
    return re.sub(r"[^0-9A-Za-z_.-]", "", modified.replace(":", "")) or "unknown"


def table_dir(raw_dir: Path, catalog: str, table_id: str) -> Path:
    return raw_dir / catalog / table_id


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_json_atomic(path: Path, obj: object) -> None:
    """Write JSON atomically (see :mod:`analysis.atomic`)."""
    atomic.write_json(path, obj)


def snapshots(raw_dir: Path, catalog: str, table_id: str) -> list[Path]:
    """Complete snapshot folders of a table, oldest ``Modified`` first."""
    base = table_dir(raw_dir, catalog, table_id)
    _recover(base)
    if not base.exists():
        return []
    done = [p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")]
    done = [p for p in done if (p / MANIFEST).exists()]
    return sorted(done, key=lambda p: read_manifest(p).get("modified", ""))


def latest(raw_dir: Path, catalog: str, table_id: str) -> Path | None:
    found = snapshots(raw_dir, catalog, table_id)
    return found[-1] if found else None


def read_manifest(folder: Path) -> dict:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def _recover(base: Path) -> None:
    """Undo an interrupted swap: an ``.old-`` folder whose final name is missing goes back."""
    if not base.exists():
        return
    for old in base.glob(".old-*"):
        final = base / old.name.split("-", 2)[2]
        if not final.exists():
            os.replace(old, final)
        else:
            shutil.rmtree(old, ignore_errors=True)
    for tmp in base.glob(".tmp-*"):
        shutil.rmtree(tmp, ignore_errors=True)


def new_staging(raw_dir: Path, catalog: str, table_id: str) -> Path:
    base = table_dir(raw_dir, catalog, table_id)
    base.mkdir(parents=True, exist_ok=True)
    staging = base / f".tmp-{uuid.uuid4().hex}"
    staging.mkdir()
    return staging


def file_entries(folder: Path) -> list[dict]:
    """name, bytes, sha256 and record count of every JSON file in a folder."""
    out = []
    for p in sorted(folder.glob("*.json")):
        if p.name == MANIFEST:
            continue
        records = json.loads(p.read_text(encoding="utf-8"))
        out.append(
            {
                "name": p.name,
                "bytes": p.stat().st_size,
                "sha256": sha256_file(p),
                "rows": len(records) if isinstance(records, list) else 1,
            }
        )
    return out


def commit(staging: Path, manifest: dict) -> Path:
    """Write the manifest and move the staging folder to its final ``<Modified>`` name.

    If a snapshot with the same ``Modified`` exists (e.g. downloaded with another filter), it
    is replaced only after the new one is complete.
    """
    write_json_atomic(staging / MANIFEST, manifest)
    final = staging.parent / folder_name(manifest["modified"])
    if final.exists():
        old = staging.parent / f".old-{uuid.uuid4().hex}-{final.name}"
        os.replace(final, old)
        os.replace(staging, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, final)
    return final


def verify(folder: Path) -> list[str]:
    """Problems with a snapshot (missing files, checksum mismatches); empty if intact."""
    problems = []
    manifest = read_manifest(folder)
    for entry in manifest.get("files", []):
        p = folder / entry["name"]
        if not p.exists():
            problems.append(f"{entry['name']}: missing")
        elif sha256_file(p) != entry["sha256"]:
            problems.append(f"{entry['name']}: sha256 differs from manifest")
    return problems


def load_meta(folder: Path) -> TableMeta:
    """TableMeta from the metadata files of a snapshot folder."""
    manifest = read_manifest(folder)

    def read(name: str) -> list:
        p = folder / f"{name}.json"
        return json.loads(p.read_text(encoding="utf-8")) if p.exists() else []

    props = read("DataProperties")
    dims = {
        p["Key"]: read(p["Key"])
        for p in props
        if p.get("Type") in {"Dimension", "TimeDimension", "GeoDimension", "GeoDetail"}
    }
    info = read("TableInfos")
    return TableMeta(
        table_id=manifest["table_id"],
        info=info[0] if info else {},
        properties=props,
        dimensions=dims,
        category_groups=read("CategoryGroups"),
    )


def load_data(folder: Path) -> pd.DataFrame:
    """The TypedDataSet of a snapshot as a DataFrame (keys still padded, as delivered)."""
    p = folder / "TypedDataSet.json"
    if not p.exists():
        raise FileNotFoundError(f"{folder}: no TypedDataSet.json in snapshot")
    records = json.loads(p.read_text(encoding="utf-8"))
    return pd.DataFrame.from_records(records)
