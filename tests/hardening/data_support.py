"""Helpers for the data-side hardening tests: private copies of Demoland to damage."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from analysis.config import Settings, settings

SRC = Path(__file__).resolve().parents[2] / "src"


def demo_copy(demoland: tuple[Path, object], dest: Path, *, dumps: bool = False) -> Settings:
    """A private copy of the built Demoland data folder (raw + processed, dumps optional)."""
    root, _ = demoland
    dest.mkdir(parents=True)
    for name in ("raw", ".processed", "processed") + (("dumps",) if dumps else ()):
        src = root / name
        if src.is_symlink():
            os.symlink(os.readlink(src), dest / name)
        elif src.is_dir():
            shutil.copytree(src, dest / name, symlinks=True)
    return replace(settings(), data_dir=dest, offline=True)


def tree_digest(folder: Path) -> dict[str, str]:
    """sha256 of every file below ``folder`` (following a symlinked ``folder``)."""
    folder = folder.resolve()
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def cli(args: list[str], data_dir: Path, **kw) -> subprocess.CompletedProcess:
    """``python -m analysis ARGS`` on ``data_dir`` (offline), captured."""
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "ANALYSIS_DATA_DIR": str(data_dir),
        "ANALYSIS_OFFLINE": "1",
    }
    env.update(kw.pop("env", {}))
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=kw.pop("timeout", 300),
        **kw,
    )


def new_release(dumps: Path, table_id: str, modified: str, mutate=None) -> None:
    """Simulate a new CBS release of a served Demoland table: new ``Modified``, and
    ``mutate(folder)`` applied to its dump files (the server then serves the changed data)."""
    folder = dumps / "opendata" / table_id
    infos_path = folder / "TableInfos.json"
    infos = json.loads(infos_path.read_text(encoding="utf-8"))
    infos[0]["Modified"] = modified
    infos_path.write_text(json.dumps(infos), encoding="utf-8")
    if mutate is not None:
        mutate(folder)


def fetch_served(cfg: Settings, table_id: str):
    """Fetch one declared table from the served Demoland dumps with the real cbsodata client."""
    from analysis import registry
    from analysis.cbs.fetch import RetryPolicy, fetch_table
    from analysis.pipeline import serving_demoland

    online = replace(cfg, offline=False)
    with serving_demoland(cfg.data_dir / "dumps", online) as served:
        return fetch_table(
            registry.table(table_id),
            years=range(2015, 2026),
            settings=served,
            policy=RetryPolicy(backoff=0.01, table_retries=0),
            synthetic=True,
            progress=lambda m: None,
        )
