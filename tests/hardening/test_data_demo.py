"""Demoland and the processed layer on disk (issue 12 items 7 and 13): a new size
regenerates; a truncated processed parquet is one clear line, and ``demo`` rebuilds it."""

from __future__ import annotations

import os
from dataclasses import replace

import pandas as pd
import pytest

from analysis.build import processed_problem
from analysis.config import settings
from analysis.pipeline import run_demo_data
from tests.hardening.data_support import cli, demo_copy


def _truncate(path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_truncated_parquet_is_one_clear_line_for_report(demoland, tmp_path) -> None:
    cfg = demo_copy(demoland, tmp_path / "demo")
    target = cfg.processed_dir / "indicators.parquet"
    _truncate(target)
    problem = processed_problem(cfg.processed_dir)
    assert problem is not None and str(target) in problem and "is damaged" in problem
    res = cli(
        ["report", "--profiel", "demoland"],
        cfg.data_dir,
        env={"ANALYSIS_DEMO_DIR": str(cfg.data_dir)},
    )
    assert res.returncode == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert str(target) in lines[0] and "python -m analysis demo-data" in lines[0]
    assert "Traceback" not in res.stderr


def test_truncated_json_is_named_too(demoland, tmp_path) -> None:
    cfg = demo_copy(demoland, tmp_path / "demo")
    _truncate(cfg.processed_dir / "sources.json")
    problem = processed_problem(cfg.processed_dir)
    assert problem is not None and "sources.json is damaged (JSONDecodeError" in problem


def _gemeenten_2015(data_dir) -> tuple[int, int]:
    mem = pd.read_parquet(data_dir / "processed" / "regio_indeling.parquet")
    first = mem[(mem["jaar"] == 2015) & (mem["indeling"] == "jeugdregio")]
    return first["gemeente_code"].nunique(), first["regio_code"].nunique()


@pytest.mark.slow
def test_demo_data_with_another_size_regenerates(tmp_path, monkeypatch) -> None:
    root = tmp_path / "demoland"
    monkeypatch.setenv("ANALYSIS_DEMO_DIR", str(root))
    cfg = replace(settings(), data_dir=root)
    lines: list[str] = []
    first = run_demo_data(n_gemeenten=12, n_regios=2, cfg=cfg, progress=lambda m: None)
    assert first.exit_code == 0, first.summary()
    assert _gemeenten_2015(root) == (12, 2)
    second = run_demo_data(n_gemeenten=16, n_regios=3, cfg=cfg, progress=lines.append)
    assert second.exit_code == 0, second.summary()
    assert _gemeenten_2015(root) == (16, 3)
    assert {r.status for r in second.fetched} == {"downloaded"}
    assert any("from 12 gemeenten/2 jeugdregio's" in m and "regenerating" in m for m in lines)


@pytest.mark.slow
def test_demo_rebuilds_a_truncated_processed_layer(demoland, tmp_path) -> None:
    cfg = demo_copy(demoland, tmp_path / "demo", dumps=True)
    _truncate(cfg.processed_dir / "indicators.parquet")
    res = cli(
        ["demo", "--limit", "1"],
        cfg.data_dir,
        env={
            "ANALYSIS_DEMO_DIR": str(cfg.data_dir),
            "ANALYSIS_REPORTS_DIR": str(tmp_path / "reports"),
            "ANALYSIS_OFFLINE": "",
        },
        timeout=600,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    assert "is damaged" in res.stderr and "rebuilding Demoland" in res.stderr
    assert processed_problem(cfg.processed_dir) is None
    assert len(pd.read_parquet(cfg.processed_dir / "indicators.parquet")) > 0
    assert os.listdir(tmp_path / "reports")
