"""Fixtures: the committed example set and a Demoland ``regio_indeling.parquet`` to check codes."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.config import project_root
from analysis.demo.world import build_world
from analysis.geo.membership import MEMBERSHIP_COLUMNS

EXAMPLES = project_root() / "data" / "registry" / "voorbeeld"


@pytest.fixture(scope="session")
def demo_indeling() -> pd.DataFrame:
    """Demoland (the default world of ``make demo``) memberships 2023–2025, contract columns."""
    w = build_world(n_gemeenten=40, n_regios=4, seed=20261123, first_year=2015, last_year=2025)
    rows = []
    for year in (2023, 2024, 2025):
        for g in w.gemeenten_in(year):
            r = w.gemeente_region(g, "jeugdregio", year)
            rows.append(
                {
                    "jaar": year,
                    "gemeente_code": g.code,
                    "gemeente_naam": g.name,
                    "indeling": "jeugdregio",
                    "regio_code": r.code,
                    "regio_naam": r.name,
                    "methode": "demo",
                    "bron": "Demoland",
                }
            )
    return pd.DataFrame(rows, columns=MEMBERSHIP_COLUMNS)


@pytest.fixture
def processed(tmp_path: Path, demo_indeling: pd.DataFrame) -> Path:
    """A processed folder holding only ``regio_indeling.parquet`` (as the build writes it)."""
    out = tmp_path / "processed"
    out.mkdir()
    demo_indeling.to_parquet(out / "regio_indeling.parquet", index=False)
    return out


@pytest.fixture
def registry_copy(tmp_path: Path) -> Path:
    """A writable copy of the example set."""
    root = tmp_path / "registry"
    shutil.copytree(EXAMPLES, root)
    return root


def read_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=";"))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\n").writerows(rows)


def edit(path: Path, line: int, field: str, value: str) -> None:
    """Set ``field`` on file line ``line`` (1 = header) to ``value``."""
    rows = read_rows(path)
    rows[line - 1][rows[0].index(field)] = value
    write_rows(path, rows)
