"""Codes checked against a real ``regio_indeling.parquet`` (real boundaries, built by the build)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.localdata import Reference, check_kind, kind, load

from .conftest import EXAMPLES, read_rows, write_rows


@pytest.mark.slow
def test_real_codes_pass_and_demoland_codes_do_not(real_processed, tmp_path: Path) -> None:
    _cfg, processed = real_processed
    ind = pd.read_parquet(processed / "regio_indeling.parquet")
    jz = ind[(ind["indeling"] == "jeugdregio") & (ind["jaar"] == 2023)]
    ams = jz[jz["gemeente_code"] == "GM0363"].iloc[0]
    ref = Reference.from_processed(processed)
    assert "regio_indeling.parquet" in ref.description and ref.counts()["GM"] >= 342

    # a real region's provider file (values invented for the test, codes and names real)
    rows = read_rows(EXAMPLES / "wachttijden" / "jz91_aanbieders_2025-09.csv")[:3]
    header = rows[0]
    rows[1][header.index("code")], rows[1][header.index("naam")] = (
        ams["regio_code"],
        ams["regio_naam"],
    )
    rows[2][header.index("code")], rows[2][header.index("naam")] = "GM0363", "Amsterdam"
    root = tmp_path / "registry"
    (root / "wachttijden").mkdir(parents=True)
    write_rows(root / "wachttijden" / "amsterdam.csv", rows)
    res = check_kind(root, kind("wachttijden"), ref)
    assert res.ok and res.warnings == [], [str(p) for p in res.problems + res.warnings]

    # the synthetic Demoland examples are unknown to the real classification
    demo = load(EXAMPLES, processed, publish=False)
    assert not demo.ok
    assert any("'GM9004' is an unknown code" in p.message for p in demo.problems)
    assert not (processed / "lokaal").exists()
