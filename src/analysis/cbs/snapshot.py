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


class SnapshotError(ValueError):
    """A snapshot on disk is damaged; the message names the table, file and snapshot folder."""


def manifest_problem(folder: Path) -> str | None:
    """Why ``folder`` has no usable manifest (None when it has one)."""
    path = folder / MANIFEST
    if not path.is_file():
        return f"no {MANIFEST}"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return f"{MANIFEST} unreadable ({type(exc).__name__}: {str(exc)[:120]})"
    if not isinstance(manifest, dict) or not manifest.get("modified"):
        return f"{MANIFEST} is not a snapshot manifest (no 'modified')"
    if not isinstance(manifest.get("files"), list):
        return f"{MANIFEST} lists no files"
    return None


def invalid_snapshots(raw_dir: Path, catalog: str, table_id: str) -> list[tuple[Path, str]]:
    """Snapshot folders of a table without a valid manifest, with the reason for each."""
    base = table_dir(raw_dir, catalog, table_id)
    if not base.exists():
        return []
    out = []
    for p in sorted(base.iterdir()):
        if p.is_dir() and not p.name.startswith("."):
            problem = manifest_problem(p)
            if problem is not None:
                out.append((p, problem))
    return out


def snapshots(raw_dir: Path, catalog: str, table_id: str) -> list[Path]:
    """Complete snapshot folders of a table (valid manifest), oldest ``Modified`` first.

    Folders without a valid manifest are not snapshots; :func:`invalid_snapshots` lists them
    (the build refuses to run past them, see :func:`analysis.build.build`).
    """
    base = table_dir(raw_dir, catalog, table_id)
    _recover(base)
    if not base.exists():
        return []
    done = [p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")]
    done = [p for p in done if manifest_problem(p) is None]
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
        if not owner_alive(tmp.name):
            shutil.rmtree(tmp, ignore_errors=True)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def owner_alive(name: str) -> bool:
    """Whether the process that made a ``.tmp-<pid>-<uuid>`` folder is still running.

    Folders of another run that is still downloading are left alone; names without a pid
    (older versions) have no owner.
    """
    m = re.match(r"\.tmp-(\d+)-", name)
    return bool(m) and pid_alive(int(m.group(1)))


def new_staging(raw_dir: Path, catalog: str, table_id: str) -> Path:
    """A fresh staging folder ``.tmp-<pid>-<uuid>`` beside the table's snapshots."""
    base = table_dir(raw_dir, catalog, table_id)
    base.mkdir(parents=True, exist_ok=True)
    staging = base / f".tmp-{os.getpid()}-{uuid.uuid4().hex}"
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


def check(folder: Path, table_id: str | None = None) -> None:
    """Raise :class:`SnapshotError` unless every file matches its manifest checksum.

    The message names the table, the file(s) and the snapshot folder, and what to do.
    """
    table_id = table_id or folder.parent.name
    problem = manifest_problem(folder)
    if problem is not None:
        raise SnapshotError(
            f"table {table_id}: snapshot {folder} has {problem}; delete that folder and run "
            "`python -m analysis data` to download the table again"
        )
    problems = verify(folder)
    if problems:
        raise SnapshotError(
            f"table {table_id}: snapshot {folder} does not match its manifest "
            f"({'; '.join(problems[:3])}); the cached files were changed or damaged. Delete "
            "that folder and run `python -m analysis data` to download the table again"
        )


def read_json(path: Path) -> object:
    """JSON from a snapshot file; a damaged file is a :class:`SnapshotError` naming it."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SnapshotError(
            f"{path}: not valid JSON ({exc}); delete the snapshot folder {path.parent} and run "
            "`python -m analysis data` to download the table again"
        ) from None


def load_meta(folder: Path) -> TableMeta:
    """TableMeta from the metadata files of a snapshot folder."""
    manifest = read_manifest(folder)

    def read(name: str) -> list:
        p = folder / f"{name}.json"
        return read_json(p) if p.exists() else []  # type: ignore[return-value]

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
    records = read_json(p)
    if not isinstance(records, list):
        raise SnapshotError(f"{p}: expected a JSON list of records, got {type(records).__name__}")
    return pd.DataFrame.from_records(records)
