"""``make report`` passes values to the program without shell or make interpretation, and an
empty value is an error (issue 12 items 8 and 15). Runs the real Makefile on Demoland."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.echo import echo

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")


@pytest.fixture()
def make_report(demoland, tmp_path):
    root, _ = demoland
    reports = tmp_path / "reports"
    env = {
        **os.environ,
        "ANALYSIS_DEMO_DIR": str(root),
        "ANALYSIS_REPORTS_DIR": str(reports),
        "PYTHONPATH": str(ROOT / "src"),
    }
    env.pop("GEMEENTE", None)
    env.pop("REGIO", None)

    def run(*assignments: str, environ: dict[str, str] | None = None):
        proc = subprocess.run(
            ["make", "-s", "report", f"PY={sys.executable}", "PROFIEL=demoland", *assignments],
            cwd=ROOT,
            env={**env, **(environ or {})},
            capture_output=True,
            text=True,
            timeout=600,
        )
        rendered = sorted(p.name for p in reports.rglob("*.html")) if reports.exists() else []
        return proc, rendered

    return run


@pytest.mark.slow  # eight runs of the program (no kernel)
def test_backticks_and_make_functions_are_not_run(make_report, tmp_path):
    for value in (
        f"`touch {tmp_path}/x`GM9001",
        f"$$(touch {tmp_path}/x)GM9001",
        f"$(shell touch {tmp_path}/x)GM9001",
        f"GM9001; touch {tmp_path}/x",
    ):
        for how in ("command line", "environment"):
            if how == "command line":
                proc, rendered = make_report(f"GEMEENTE={value}")
            else:
                proc, rendered = make_report(environ={"GEMEENTE": value})
            assert not (tmp_path / "x").exists(), (value, how)
            assert proc.returncode != 0 and rendered == []
            assert f"onbekende gemeente {echo(value)}" in proc.stderr, (value, how, proc.stderr)


def test_empty_gemeente_or_regio_is_an_error(make_report):
    for assignment in ("GEMEENTE=", "REGIO="):
        proc, rendered = make_report(assignment)
        assert proc.returncode != 0 and rendered == []
        assert "is leeg" in proc.stderr and assignment.split("=")[0].lower() in proc.stderr


@pytest.mark.slow
def test_a_double_quote_is_no_shell_syntax_error(make_report):
    proc, rendered = make_report('GEMEENTE=Demo"Oog')
    assert "syntax error" not in proc.stderr and "unexpected" not in proc.stderr
    assert proc.returncode == 0, proc.stderr  # resolved by name (punctuation ignored)
    assert rendered == ["GM9004-demo-oog-2025.html"]
