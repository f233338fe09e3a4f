"""Fetch hardening (issue 12 items 6, 10, 11, 13) with the real cbsodata client against the
replay server and its fault injection: empty data sets, deadlines, HTML pages, the data lock."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from analysis import registry
from analysis.cbs import snapshot
from analysis.cbs.fetch import RetryPolicy, fetch_table
from analysis.config import Settings, settings
from analysis.datalock import DataFolderBusy, data_lock
from analysis.replay import ReplayServer
from tests.hardening.data_support import SRC

BANEN = registry.Table(  # a small complete real table, declared like any other
    "83583NED",
    r"Banen van werknemers",
    "test_banen",
    "test",
    (2010, 2019),
    regions=(),
    fixed={"Bedrijfsgrootte": r"^Totaal$"},
)
FAST = RetryPolicy(page_retries=2, table_retries=1, backoff=0.01, timeout=(2.0, 5.0))


def _release(src: Path, dst: Path, modified: str, *, empty: bool = False) -> Path:
    """A copy of a recording (in tmp) with a new Modified and, if asked, no records."""
    shutil.copytree(src, dst)
    infos = json.loads((dst / "TableInfos.json").read_text())
    infos[0]["Modified"] = modified
    (dst / "TableInfos.json").write_text(json.dumps(infos))
    if empty:
        (dst / "TypedDataSet.json").write_text("[]")
    return dst


@pytest.fixture()
def server(recordings: Path) -> Iterator[ReplayServer]:
    with ReplayServer({"83583NED": recordings / "83583NED"}, page_size=100) as srv:
        yield srv


@pytest.fixture()
def cfg(server: ReplayServer, tmp_path: Path) -> Settings:
    return replace(
        settings(),
        data_dir=tmp_path / "data",
        catalog_urls={"opendata": server.url, "dataderden": server.url},
        offline=False,
    )


def _fetch(cfg: Settings, policy: RetryPolicy = FAST):
    return fetch_table(BANEN, years=range(2010, 2020), settings=cfg, policy=policy)


# --- item 6: an empty data set is a failed download ------------------------------------


def test_empty_release_is_rejected_and_previous_stays(
    cfg: Settings, server: ReplayServer, recordings: Path, tmp_path: Path
) -> None:
    first = _fetch(cfg)
    assert first.status == "downloaded" and first.records > 0
    empty = _release(recordings / "83583NED", tmp_path / "empty", "2021-01-01T02:00:00", empty=True)
    server.add_table("83583NED", empty)
    second = _fetch(cfg)
    assert second.status == "failed"
    assert "0 records" in second.message and "7440" in second.message
    assert str(first.snapshot) in second.message  # last good snapshot kept, and named
    assert snapshot.latest(cfg.raw_dir, "opendata", "83583NED") == Path(first.snapshot)
    assert len(snapshot.snapshots(cfg.raw_dir, "opendata", "83583NED")) == 1


def test_empty_first_download_is_rejected_when_cbs_says_there_are_records(
    cfg: Settings, server: ReplayServer, recordings: Path, tmp_path: Path
) -> None:
    empty = _release(recordings / "83583NED", tmp_path / "empty", "2020-11-19T02:00:00", empty=True)
    server.add_table("83583NED", empty)
    res = _fetch(cfg)
    assert res.status == "failed" and "TableInfos says 7440 records" in res.message
    assert snapshot.latest(cfg.raw_dir, "opendata", "83583NED") is None
    # with the same Modified, the next run downloads again (and now gets the records)
    server.add_table("83583NED", recordings / "83583NED")
    assert _fetch(cfg).status == "downloaded"


# --- item 13: an HTML page with status 200 ----------------------------------------------


def test_html_page_with_status_200_is_named_as_such(cfg: Settings, server: ReplayServer) -> None:
    server.inject("html200", table="83583NED", entity="TypedDataSet", times=None)
    res = _fetch(cfg)
    assert res.status == "failed"
    assert "answered HTTP 200 with text/html" in res.message
    assert "/83583NED/TypedDataSet" in res.message and "CBS_CATALOG_URL" in res.message
    assert "Onderhoud" in res.message and "JSONDecodeError" not in res.message
    assert snapshot.latest(cfg.raw_dir, "opendata", "83583NED") is None


# --- item 10: total deadlines per request and per table --------------------------------


def test_trickling_page_hits_the_page_deadline_and_is_retried(
    cfg: Settings, server: ReplayServer
) -> None:
    server.inject("trickle", table="83583NED", entity="TypedDataSet", page=0, delay=0.5)
    policy = replace(FAST, page_deadline=1.5)
    res = _fetch(cfg, policy)
    assert res.status == "downloaded", res.message
    assert res.retries >= 1
    assert [f.kind for f in server.fired] == ["trickle"]
    assert snapshot.verify(Path(res.snapshot)) == []


def test_table_deadline_fails_the_table_and_keeps_the_previous_snapshot(
    cfg: Settings, server: ReplayServer
) -> None:
    first = _fetch(cfg)
    for f in snapshot.snapshots(cfg.raw_dir, "opendata", "83583NED"):
        manifest = snapshot.read_manifest(f)
        manifest["filter"] = "stale"  # makes the next run download again
        snapshot.write_json_atomic(f / snapshot.MANIFEST, manifest)
    server.inject("trickle", table="83583NED", entity="TypedDataSet", delay=0.5, times=None)
    policy = replace(FAST, page_deadline=1.0, table_deadline=3.0, page_retries=10)
    t0 = time.monotonic()
    res = _fetch(cfg, policy)
    assert res.status == "failed"
    assert "ANALYSIS_TABLE_DEADLINE" in res.message and str(first.snapshot) in res.message
    assert time.monotonic() - t0 < 15
    assert snapshot.latest(cfg.raw_dir, "opendata", "83583NED") == Path(first.snapshot)


def test_deadline_settings_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANALYSIS_PAGE_DEADLINE", "soon")
    with pytest.raises(ValueError, match="ANALYSIS_PAGE_DEADLINE='soon' must be a positive"):
        RetryPolicy()
    monkeypatch.setenv("ANALYSIS_PAGE_DEADLINE", "12.5")
    monkeypatch.setenv("ANALYSIS_TABLE_DEADLINE", "60")
    policy = RetryPolicy()
    assert (policy.page_deadline, policy.table_deadline) == (12.5, 60.0)


# --- item 11: one run per data folder; another run's download is left alone ------------


def test_second_run_on_the_same_data_folder_stops_with_a_clear_message(tmp_path: Path) -> None:
    data = tmp_path / "data"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from analysis.datalock import data_lock\n"
            f"with data_lock(Path({str(data)!r})):\n"
            "    print('locked', flush=True); sys.stdin.read()",
        ],
        env={**os.environ, "PYTHONPATH": str(SRC)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(DataFolderBusy) as exc, data_lock(data):
            pass
        assert str(data) in str(exc.value) and f"pid {holder.pid}" in str(exc.value)
        res = subprocess.run(
            [sys.executable, "-m", "analysis", "build"],
            env={**os.environ, "PYTHONPATH": str(SRC), "ANALYSIS_DATA_DIR": str(data)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert res.returncode == 1
        assert res.stderr.strip().splitlines() == [f"error: {exc.value}"]
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    with data_lock(data), data_lock(data):  # released by the holder's exit; re-entrant
        pass


def test_only_staging_folders_of_dead_runs_are_cleaned(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    live = snapshot.new_staging(raw, "opendata", "83583NED")  # ours: this process is alive
    dead_pid = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    base = snapshot.table_dir(raw, "opendata", "83583NED")
    dead = base / f".tmp-{dead_pid}-0123456789abcdef"
    legacy = base / ".tmp-0123456789abcdef0123456789abcdef"
    dead.mkdir()
    legacy.mkdir()
    assert snapshot.snapshots(raw, "opendata", "83583NED") == []
    assert live.is_dir() and not dead.exists() and not legacy.exists()
