"""Shared fixtures: the recorded real data (read in place, never copied)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.config import settings


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` (or ``ANALYSIS_SHARED_DATA``). Missing in CI is a failure, not a skip."""
    path = settings().shared_data
    if not (path / "cbs_statline_bq").is_dir():
        msg = f"recorded shared data not found at {path} (set ANALYSIS_SHARED_DATA)"
        if os.environ.get("ANALYSIS_ALLOW_MISSING_SHARED") == "1" and not os.environ.get("CI"):
            pytest.skip(msg)
        pytest.fail(msg)
    return path


@pytest.fixture(scope="session")
def recordings(shared_data: Path) -> Path:
    return shared_data / "cbs_statline_bq"
