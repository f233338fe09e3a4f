"""``python -m analysis registry check|load`` as users run it: a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import EXAMPLES, edit

WT = "wachttijden/jz91_aanbieders_2025-09.csv"


def _run(args: list[str], data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "ANALYSIS_DATA_DIR": str(data_dir), "ANALYSIS_DEMO_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "analysis", "registry", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_passes_on_the_examples(processed: Path) -> None:
    res = _run(["check", "--profiel", "demoland"], processed.parent)
    assert res.returncode == 0, res.stderr
    assert str(EXAMPLES) in res.stdout
    assert "regio_indeling.parquet" in res.stdout  # says what the codes were checked against
    wt = next(line for line in res.stdout.splitlines() if line.startswith("wachttijden"))
    assert "ok" in wt and "jeugdregio's: 2 of 4" in wt and "providers: 4" in wt
    assert not (processed / "lokaal").exists()  # check publishes nothing


def test_check_fails_with_file_line_and_field(registry_copy: Path, processed: Path) -> None:
    edit(registry_copy / WT, 3, "bron_vindplaats", "")
    edit(registry_copy / "budget" / "meicirculaire_2024.csv", 2, "code", "GM0363")
    res = _run(["check", "--dir", str(registry_copy)], processed.parent)
    assert res.returncode == 1
    assert "2 problem(s)" in res.stderr
    assert f"{WT}:3: field 'bron_vindplaats': is empty; every record needs a source" in res.stderr
    assert "meicirculaire_2024.csv:2: field 'code': 'GM0363' is an unknown code" in res.stderr
    assert "wachttijden  FAILED" in res.stdout


def test_load_publishes_and_a_failed_load_keeps_the_copy(
    registry_copy: Path, processed: Path
) -> None:
    ok = _run(["load", "--dir", str(registry_copy)], processed.parent)
    assert ok.returncode == 0, ok.stderr
    path = processed / "lokaal" / "wachttijden.parquet"
    before = path.read_bytes()
    edit(registry_copy / WT, 2, "wachttijd_maximum_weken", "-1")
    bad = _run(["load", "--dir", str(registry_copy)], processed.parent)
    assert bad.returncode == 1
    assert f"{WT}:2: field 'wachttijd_maximum_weken'" in bad.stderr
    assert "previous published copy kept" in bad.stdout
    assert path.read_bytes() == before
