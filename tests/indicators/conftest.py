"""Fixtures for the indicator tests: the Testland dataset of ``tests/report/fixtures.py``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

FIXTURES_PATH = Path(__file__).resolve().parents[1] / "report" / "fixtures.py"


def load():
    """Import ``tests/report/fixtures.py`` by path (once per session)."""
    name = "testland_fixtures"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, FIXTURES_PATH)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def testland() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(indicators, regio_indeling) frames of Testland."""
    return load().build_frames()
