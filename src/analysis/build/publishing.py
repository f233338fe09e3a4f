"""Versioned publishing of the processed layer, shrink guard and its problems."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from analysis import registry
from analysis.build.model import BuildError, BuildReport
from analysis.cbs import snapshot
from analysis.config import Settings

# ---------------------------------------------------------------------------------------
# publishing the processed layer as one unit
# ---------------------------------------------------------------------------------------

#: folder under the data dir holding the published versions of ``processed/``
VERSIONS_DIR = ".processed"
#: versions kept besides the current one (a reader may still hold the previous one)
KEEP_VERSIONS = 1


def _versions_dir(settings: Settings) -> Path:
    return settings.data_dir / VERSIONS_DIR


def _owner_alive(name: str) -> bool:
    parts = name.split("-")
    return len(parts) > 2 and parts[2].isdigit() and snapshot.pid_alive(int(parts[2]))


def new_version_name() -> str:
    """A unique, time-ordered name for a version of the processed layer."""
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"


def publish(settings: Settings, write: Callable[[Path], None], name: str | None = None) -> Path:
    """Write a new processed layer with ``write(folder)`` and switch ``processed/`` to it.

    ``processed`` is a symbolic link to ``.processed/<version>/``; the new version is built
    beside it and the link is replaced with one ``rename``, so a reader sees the old set of
    files or the new one, never a mix. A failure (e.g. a full disk) removes the half-written
    version and leaves ``processed/`` as it was. A ``processed/`` folder of an older version
    of this program is moved into ``.processed/`` on the first publish.
    """
    versions = _versions_dir(settings)
    versions.mkdir(parents=True, exist_ok=True)
    name = name or new_version_name()
    stamp = name.split("-")[0]
    staging = versions / f".tmp-{os.getpid()}-{name}"
    staging.mkdir()
    try:
        write(staging)
        final = versions / name
        os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    link = settings.processed_dir
    tmp_link = link.with_name(f".{link.name}.link-{uuid.uuid4().hex}")
    os.symlink(os.path.relpath(final, link.parent), tmp_link, target_is_directory=True)
    try:
        if link.is_dir() and not link.is_symlink():
            os.replace(link, versions / f"{stamp}-legacy-{uuid.uuid4().hex[:8]}")
        os.replace(tmp_link, link)
    finally:
        tmp_link.unlink(missing_ok=True)
    _prune_versions(versions, final)
    return final


def _prune_versions(versions: Path, current: Path) -> None:
    """Remove old versions (keeping :data:`KEEP_VERSIONS`) and staging folders of dead runs."""
    done = sorted(
        (p for p in versions.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime_ns,
    )
    old = [p for p in done if p != current]
    for p in old[: max(len(old) - KEEP_VERSIONS, 0)]:
        shutil.rmtree(p, ignore_errors=True)
    for p in versions.glob(".tmp-*"):
        if not _owner_alive(p.name):
            shutil.rmtree(p, ignore_errors=True)


def previous_content(settings: Settings, report: BuildReport) -> tuple[set[str], set[str]] | None:
    """(tables, indicators) of the processed layer now published; None if there is none."""
    path = settings.processed_dir / "indicators.parquet"
    if not path.exists():
        return None
    try:
        import pyarrow.parquet as pq

        old = pq.read_table(path, columns=["bron", "indicator"]).to_pandas()
    except Exception as exc:  # noqa: BLE001 - a damaged file is replaced, not compared
        report.warn(f"the current {path} is unreadable ({type(exc).__name__}); replaced")
        return None
    return _table_ids(old["bron"]), set(old["indicator"].astype(str))


def _table_ids(bron: pd.Series) -> set[str]:
    """Table ids in a ``bron`` column (derived rows name several, comma-separated)."""
    ids = {p.strip() for v in bron.dropna().astype(str).unique() for p in v.split(",")}
    return ids - {"", "berekend"}


def guard_shrink(
    settings: Settings, tidy: pd.DataFrame, report: BuildReport, *, allow_shrink: bool
) -> None:
    """Refuse to publish a layer that lost a table or indicator the current one has."""
    before = previous_content(settings, report)
    if before is None:
        return
    lost_tables = sorted(before[0] - _table_ids(tidy["bron"]))
    lost_inds = sorted(before[1] - set(tidy["indicator"].astype(str)))
    if not lost_tables and not lost_inds:
        return
    what = []
    if lost_tables:
        what.append(f"table(s) {', '.join(lost_tables)}")
    if lost_inds:
        shown = ", ".join(lost_inds[:8]) + (", …" if len(lost_inds) > 8 else "")
        what.append(f"{len(lost_inds)} indicator(s) ({shown})")
    msg = (
        f"the new processed layer would lose {' and '.join(what)} that the current "
        f"{settings.processed_dir} has"
    )
    if allow_shrink:
        report.warn(f"{msg}; replaced anyway (--allow-shrink)")
        return
    raise BuildError(
        f"{msg}; nothing replaced. Restore the missing snapshots (`python -m analysis data`) "
        "or accept the loss with `--allow-shrink`"
    )


PROCESSED_FILES = ("indicators.parquet", "regio_indeling.parquet", "sources.json")


def processed_problem(
    processed_dir: Path, *, rebuild: str = "python -m analysis build"
) -> str | None:
    """One line saying what is wrong with a processed layer (None when it is readable).

    Checks that each file exists and that the parquet footers and the JSON parse, cheaply,
    so a truncated file is named before a report or batch trips over it.
    """
    import pyarrow.parquet as pq

    for name in PROCESSED_FILES:
        path = Path(processed_dir) / name
        if not path.is_file():
            return f"{path} not found; build the processed layer with `{rebuild}`"
        try:
            if name.endswith(".parquet"):
                pq.read_metadata(path)
            else:
                json.loads(path.read_text(encoding="utf-8"))
        except Exception as exc:  # noqa: BLE001 - every kind of damage gets the same advice
            detail = " ".join(str(exc).split())[:120]
            return (
                f"{path} is damaged ({type(exc).__name__}: {detail}); rebuild the processed "
                f"layer with `{rebuild}`"
            )
    return None


def missing_tables(data_dir: str | Path) -> list[dict]:
    """Declared tables the last data run could not find on the server (``table_id``,
    ``series``, ``title``, ``message``), from ``processed/build_report.json``; a chapter that
    needs one of them can say so. Empty when there is no build report."""
    path = Path(data_dir) / "processed" / "build_report.json"
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return []
    entries = report.get("missing_tables") if isinstance(report, dict) else None
    return [e for e in entries or [] if isinstance(e, dict) and e.get("table_id")]


def missing_entries(missing: Iterable[tuple[str, str]]) -> list[dict]:
    """``[{table_id, reeks, title, message}]`` for tables the server does not have."""
    out = []
    for table_id, message in missing:
        try:
            spec = registry.table(table_id)
            reeks, title = spec.reeks, spec.title
        except KeyError:
            reeks, title = "", ""
        out.append({"table_id": table_id, "reeks": reeks, "title": title, "message": message})
    return out
