"""Publishing rendered files without temporary files in the published folders.

A report is written completely in a *staging* folder, a hidden sibling of the reports root
(``<root>/../.<root name>.staging/<pid>-<run>/``), and then renamed onto its place, so a reader
of ``reports/`` (a web server, a sync to a share) sees the old file or the new one and never a
partial ``.X.html.<uuid>.tmp``. :func:`clean_leftovers` removes what a killed run (``kill -9``)
left: staging folders of processes that are gone, temporary files that older versions wrote
inside ``reports/``, and stale kernel folders (:mod:`.kernels`).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import shutil
import uuid
from pathlib import Path

from analysis import atomic
from analysis.report.engine.kernels import clean_stale_kernel_dirs, pid_alive

log = logging.getLogger(__name__)

#: ``.<name>.<32 hex>.tmp``: the temporary files of :func:`analysis.atomic.replacing`
TEMP_FILE = re.compile(r"^\..+\.[0-9a-f]{32}\.tmp$")


def staging_root(reports_dir: Path) -> Path:
    """The hidden sibling of ``reports_dir`` that holds the staging folders of all runs."""
    reports_dir = Path(reports_dir).resolve()
    return reports_dir.parent / f".{reports_dir.name}.staging"


def new_staging_dir(reports_dir: Path) -> Path:
    """A fresh staging folder for this process and run (created)."""
    path = staging_root(reports_dir) / f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def remove_staging_dir(staging: Path) -> None:
    """Remove a run's staging folder, and the staging root when no other run uses it."""
    shutil.rmtree(staging, ignore_errors=True)
    with contextlib.suppress(OSError):
        staging.parent.rmdir()


def publish_bytes(data: bytes, target: Path, staging: Path | None = None) -> None:
    """Write ``data`` in ``staging`` (default: a folder of this process beside the target's
    folder) and rename it onto ``target``; on a failure ``target`` keeps its old content."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    own = staging is None
    if staging is None:
        staging = staging_root(target.parent) / f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    staging.mkdir(parents=True, exist_ok=True)
    tmp = staging / f"{uuid.uuid4().hex}-{target.name}"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.replace(tmp, target)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            atomic.write_bytes(target, data)  # staging on another file system
    finally:
        tmp.unlink(missing_ok=True)
        if own:
            remove_staging_dir(staging)


def publish_text(text: str, target: Path, staging: Path | None = None) -> None:
    """:func:`publish_bytes` for text (UTF-8)."""
    publish_bytes(text.encode("utf-8"), target, staging)


def _owner_gone(folder: Path) -> bool:
    pid = folder.name.split("-", 1)[0]
    return pid.isdigit() and not pid_alive(int(pid))


def clean_leftovers(reports_dir: Path) -> list[Path]:
    """Remove what killed runs left behind; returns the removed paths.

    Staging folders and kernel folders are removed only when the process that made them is
    gone. Temporary files (``.<name>.<uuid>.tmp``) inside ``reports_dir`` are always removed:
    the engine never writes them there, so any one found is a leftover.
    """
    reports_dir = Path(reports_dir)
    removed: list[Path] = []
    root = staging_root(reports_dir)
    if root.is_dir():
        for folder in root.iterdir():
            if folder.is_dir() and _owner_gone(folder):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
        with contextlib.suppress(OSError):
            root.rmdir()
    if reports_dir.is_dir():
        for path in reports_dir.rglob(".*.tmp"):
            if TEMP_FILE.match(path.name) and path.is_file():
                path.unlink(missing_ok=True)
                removed.append(path)
    removed += clean_stale_kernel_dirs()
    if removed:
        log.info("removed %d leftovers of interrupted runs", len(removed))
    return removed
