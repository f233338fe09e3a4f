"""Resume state: what every rendered report depends on, and which fingerprints are on disk.

A job is skipped when its HTML exists and its fingerprint (notebook, parameters,
``processed/*.parquet`` + ``sources.json`` contents and the ``analysis`` package sources)
matches ``<reports_dir>/<profiel>/.state.json``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from analysis.report.engine.digest import package_digest as package_digest  # re-export
from analysis.report.engine.digest import sha_file
from analysis.report.engine.model import ReportJob, canonical_json
from analysis.report.engine.staging import publish_text

log = logging.getLogger(__name__)

STATE_FILE = ".state.json"
_STATE_VERSION = 1


def inputs_digest(data_dir: Path) -> str:
    """sha256 over the names and contents of ``processed/*.parquet`` and ``sources.json``."""
    processed = Path(data_dir) / "processed"
    digest = hashlib.sha256()
    files = sorted(processed.glob("*.parquet"))
    sources = processed / "sources.json"
    if sources.is_file():
        files.append(sources)
    for path in files:
        digest.update(path.name.encode() + b"\0")
        sha_file(path, digest)
        digest.update(b"\0")
    return digest.hexdigest()


def job_fingerprint(
    job: ReportJob, *, notebook_sha: str, inputs: str, package: str, kernel_name: str
) -> str:
    """sha256 identifying everything a job's output depends on."""
    payload = {
        "v": _STATE_VERSION,
        "kind": job.kind,
        "code": job.code,
        "notebook": notebook_sha,
        "params": job.params,
        "inputs": inputs,
        "package": package,
        "kernel": kernel_name,
        "title": job.title,
    }
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()


def state_path_for(out_html: Path, reports_dir: Path) -> Path:
    """``<reports_dir>/<first folder under it>/.state.json`` (``reports/<profiel>/.state.json``)."""
    rel = Path(out_html).resolve().relative_to(Path(reports_dir).resolve())
    base = Path(reports_dir).resolve()
    return base / rel.parts[0] / STATE_FILE if len(rel.parts) > 1 else base / STATE_FILE


class StateStore:
    """Fingerprints of rendered reports, one JSON file per profile folder.

    The files are written through ``staging`` (:func:`~.staging.publish_text`), so no
    temporary file ever appears in a profile folder.
    """

    def __init__(self, staging: Path | None = None) -> None:
        self._data: dict[Path, dict[str, Any]] = {}
        self.staging = staging

    def _load(self, path: Path) -> dict[str, Any]:
        if path not in self._data:
            data: dict[str, Any] = {"version": _STATE_VERSION, "reports": {}}
            if path.is_file():
                try:
                    loaded = json.loads(path.read_text(encoding="utf-8"))
                    if loaded.get("version") == _STATE_VERSION:
                        data = loaded
                except (json.JSONDecodeError, AttributeError):
                    log.warning("ignoring unreadable state file %s", path)
            self._data[path] = data
        return self._data[path]

    @staticmethod
    def _key(state: Path, out_html: Path) -> str:
        return Path(out_html).resolve().relative_to(state.parent).as_posix()

    def get(self, state: Path, out_html: Path) -> str | None:
        entry = self._load(state)["reports"].get(self._key(state, out_html))
        return entry.get("fingerprint") if entry else None

    def set(self, state: Path, out_html: Path, fingerprint: str | None, seconds: float) -> None:
        reports = self._load(state)["reports"]
        key = self._key(state, out_html)
        if fingerprint is None:
            reports.pop(key, None)
        else:
            reports[key] = {
                "fingerprint": fingerprint,
                "rendered_at": datetime.now().astimezone().isoformat(timespec="seconds"),
                "seconds": round(seconds, 3),
            }
        text = json.dumps(self._data[state], indent=1, sort_keys=True)
        publish_text(text, state, self.staging)
