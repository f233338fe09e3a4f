"""Fixtures for the indicator tests: the Testland dataset of ``tests/report/fixtures.py``."""

from __future__ import annotations

import pandas as pd
import pytest

from ..report import fixtures


@pytest.fixture(scope="session")
def testland() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(indicators, regio_indeling) frames of Testland."""
    return fixtures.build_frames()
