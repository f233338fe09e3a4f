"""Build hardening (issue 12 items 2, 3, 9, 13): verified snapshots, no silent shrink,
the processed layer published as one unit, one clear line for a full disk."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis.build import BuildError
from analysis.cbs import snapshot
from analysis.pipeline import build_processed
from tests.hardening.data_support import SRC, cli, demo_copy, tree_digest

TABLE = "85099NED"  # Demoland's kerncijfers jeugdzorg from 2021


@pytest.fixture()
def data(demoland, tmp_path):
    return demo_copy(demoland, tmp_path / "data")


def _snap(cfg) -> Path:
    folder = snapshot.latest(cfg.raw_dir, "opendata", TABLE)
    assert folder is not None
    return folder


def _alter_one_value(folder: Path) -> tuple[str, float]:
    """Change one number in TypedDataSet.json in place (manifest untouched)."""
    path = folder / "TypedDataSet.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    row = next(r for r in rows if r["RegioS"].startswith("GM"))
    col = next(k for k, v in row.items() if isinstance(v, int | float) and k != "ID")
    row[col] = 987654321
    path.write_text(json.dumps(rows), encoding="utf-8")
    return col, row[col]


# --- item 2: sha256 verified before reading --------------------------------------------


def test_altered_snapshot_file_stops_the_build_and_keeps_processed(data) -> None:
    before = tree_digest(data.processed_dir)
    folder = _snap(data)
    _alter_one_value(folder)
    res = cli(["build"], data.data_dir)
    assert res.returncode == 1
    err = res.stderr.strip()
    assert len(err.splitlines()) == 1, err  # one clear line, no traceback
    assert TABLE in err and "TypedDataSet.json" in err and str(folder) in err
    assert "sha256" in err and "python -m analysis data" in err
    assert tree_digest(data.processed_dir) == before
    values = pd.read_parquet(data.processed_dir / "indicators.parquet")["waarde"]
    assert not (values == 987654321).any()


def test_offline_data_refuses_an_altered_snapshot(data) -> None:
    from analysis.cbs.fetch import fetch_table
    from analysis.registry import table

    folder = _snap(data)
    _alter_one_value(folder)
    result = fetch_table(table(TABLE), years=[2023], settings=data, progress=lambda m: None)
    assert result.status == "failed"
    assert "TypedDataSet.json" in result.message and str(folder) in result.message


def test_corrupt_json_names_the_file(data) -> None:
    """A damaged raw JSON (checksums rewritten to match) is named, not a bare JSONDecodeError."""
    folder = _snap(data)
    path = folder / "TypedDataSet.json"
    path.write_bytes(path.read_bytes()[:-40])
    manifest = snapshot.read_manifest(folder)
    for f in manifest["files"]:
        if f["name"] == "TypedDataSet.json":
            f["sha256"] = snapshot.sha256_file(path)
    snapshot.write_json_atomic(folder / snapshot.MANIFEST, manifest)
    res = cli(["build"], data.data_dir)
    assert res.returncode == 1
    assert len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert str(path) in res.stderr and "not valid JSON" in res.stderr


# --- item 3: no manifest -> no silent shrink ---------------------------------------------


def test_snapshot_without_manifest_is_an_error_not_a_smaller_layer(data) -> None:
    before = tree_digest(data.processed_dir)
    rows_before = len(pd.read_parquet(data.processed_dir / "indicators.parquet"))
    folder = _snap(data)
    (folder / snapshot.MANIFEST).unlink()
    res = cli(["build"], data.data_dir)
    assert res.returncode == 1
    assert TABLE in res.stderr and str(folder) in res.stderr and "manifest" in res.stderr
    assert tree_digest(data.processed_dir) == before
    assert len(pd.read_parquet(data.processed_dir / "indicators.parquet")) == rows_before


def test_build_that_loses_a_table_needs_allow_shrink(data) -> None:
    import shutil

    before = tree_digest(data.processed_dir)
    old = pd.read_parquet(data.processed_dir / "indicators.parquet")
    shutil.rmtree(snapshot.table_dir(data.raw_dir, "opendata", TABLE))  # table gone entirely
    with pytest.raises(BuildError) as exc:
        build_processed(data, progress=lambda m: None)
    msg = str(exc.value)
    assert TABLE in msg and "--allow-shrink" in msg and "nothing replaced" in msg
    assert tree_digest(data.processed_dir) == before
    report = build_processed(data, progress=lambda m: None, allow_shrink=True)
    assert any(TABLE in w and "--allow-shrink" in w for w in report.warnings)
    new = pd.read_parquet(data.processed_dir / "indicators.parquet")
    assert TABLE in set(old["bron"]) and TABLE not in set(new["bron"])


# --- item 9: published as one unit -------------------------------------------------------


def _consistent(processed: Path) -> str:
    """The version folder processed/ points at, after checking its files belong together."""
    real = processed.resolve()
    names = {p.name for p in real.iterdir()}
    assert {"indicators.parquet", "regio_indeling.parquet", "sources.json"} <= names
    report = json.loads((real / "build_report.json").read_text(encoding="utf-8"))
    assert report["rows"] == len(pd.read_parquet(real / "indicators.parquet"))
    return real.name


def test_processed_is_switched_as_one_unit(data) -> None:
    first = _consistent(data.processed_dir)
    assert data.processed_dir.is_symlink()
    report = build_processed(data, progress=lambda m: None)
    second = _consistent(data.processed_dir)
    assert second != first and report.version == second
    # the previous version stays for readers that still hold it; nothing half-written remains
    versions = data.data_dir / ".processed"
    assert {p.name for p in versions.iterdir()} == {first, second}


def test_kill_during_build_leaves_old_or_new_never_a_mix(data) -> None:
    before = tree_digest(data.processed_dir)
    old_version = data.processed_dir.resolve().name
    env = {**os.environ, "PYTHONPATH": str(SRC), "ANALYSIS_DATA_DIR": str(data.data_dir)}
    env["ANALYSIS_OFFLINE"] = "1"
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "build"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    versions = data.data_dir / ".processed"
    try:  # kill it as soon as the new version is being written
        while proc.poll() is None:
            if any(p.name.startswith(".tmp-") for p in versions.iterdir()):
                break
            time.sleep(0.002)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=120)
    version = _consistent(data.processed_dir)
    if version == old_version:
        assert tree_digest(data.processed_dir) == before
    # the next build removes what the killed one left and publishes normally
    build_processed(data, progress=lambda m: None)
    _consistent(data.processed_dir)
    assert not [p for p in versions.iterdir() if p.name.startswith(".tmp-")]


# --- item 13: a full disk during build ---------------------------------------------------


def _limit_file_size() -> None:  # runs in the child: writes beyond 64 KB fail with EFBIG
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_disk_full_during_build_is_one_line_and_keeps_processed(data) -> None:
    before = tree_digest(data.processed_dir)
    res = cli(["build"], data.data_dir, preexec_fn=_limit_file_size)
    assert res.returncode == 1
    err = res.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert "could not write the processed layer" in err and "is unchanged" in err
    assert "Free disk space" in err
    assert tree_digest(data.processed_dir) == before
    leftovers = [p for p in (data.data_dir / ".processed").iterdir() if p.name.startswith(".")]
    assert leftovers == []


# --- item 6: an empty snapshot kept by an older version is refused by the build ----------


def test_snapshot_with_no_records_is_a_clear_build_error(data) -> None:
    before = tree_digest(data.processed_dir)
    folder = _snap(data)
    (folder / "TypedDataSet.json").write_text("[]", encoding="utf-8")
    manifest = snapshot.read_manifest(folder)
    manifest["files"] = snapshot.file_entries(folder)
    manifest["rows"] = 0
    snapshot.write_json_atomic(folder / snapshot.MANIFEST, manifest)
    with pytest.raises(BuildError, match=rf"table {TABLE}: snapshot .* has 0 records; delete"):
        build_processed(data, progress=lambda m: None)
    assert tree_digest(data.processed_dir) == before
