"""What a CBS table delivers, checked at build time (issue 12 items 5 and 12): only CBS's own
markers mean suppressed; duplicate keys are an error; a region is never nameless.

Each test serves a changed release of a Demoland table through the replay server, fetches it
with the real cbsodata client into a private copy of Demoland, and builds."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.build import BuildError, check_values
from analysis.cbs import snapshot
from analysis.pipeline import build_processed
from analysis.registry import table
from tests.hardening.data_support import demo_copy, fetch_served, new_release, tree_digest

TABLE = "85099NED"
MEASURE = "JongerenMetJeugdzorg_1"
RELEASE = "2026-11-01T02:00:00"


@pytest.fixture()
def data(demoland, tmp_path):
    return demo_copy(demoland, tmp_path / "data", dumps=True)


def _edit_rows(folder: Path, edit) -> None:
    path = folder / "TypedDataSet.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    rows = edit(rows)
    path.write_text(json.dumps(rows), encoding="utf-8")


def _first_gemeente(rows: list[dict]) -> dict:
    return next(r for r in rows if r["RegioS"].startswith("GM") and r[MEASURE] is not None)


@pytest.mark.parametrize("bad", ["14185a", "n/a", "1,5e3", True])
def test_unparsable_value_is_a_build_error_not_suppression(data, bad) -> None:
    seen = {}

    def put_bad_value(folder: Path) -> None:
        def edit(rows):
            row = _first_gemeente(rows)
            row[MEASURE] = bad
            seen.update(regio=row["RegioS"].strip(), periode=row["Perioden"])
            return rows

        _edit_rows(folder, edit)

    new_release(data.data_dir / "dumps", TABLE, RELEASE, put_bad_value)
    before = tree_digest(data.processed_dir)
    res = fetch_served(data, TABLE)
    assert res.status == "downloaded", res.message
    with pytest.raises(BuildError) as exc:
        build_processed(data, progress=lambda m: None)
    msg = str(exc.value)
    assert f"table {TABLE}" in msg and repr(bad) in msg and MEASURE in msg
    assert f"RegioS={seen['regio']}" in msg and f"Perioden={seen['periode']}" in msg
    assert "not a number and not a CBS suppression marker" in msg
    assert tree_digest(data.processed_dir) == before


def test_duplicate_key_rows_are_a_build_error(data) -> None:
    def duplicate(folder: Path) -> None:
        def edit(rows):
            row = dict(_first_gemeente(rows))
            row["ID"] = len(rows)
            row[MEASURE] = row[MEASURE] + 1
            return [*rows, row]

        _edit_rows(folder, edit)

    new_release(data.data_dir / "dumps", TABLE, RELEASE, duplicate)
    assert fetch_served(data, TABLE).status == "downloaded"
    with pytest.raises(BuildError, match=r"85099NED: 2 rows share their key \(e\.g\. "):
        build_processed(data, progress=lambda m: None)


def test_cbs_markers_still_mean_suppressed(data) -> None:
    """null (typed) and '.' (untyped, also padded) pass the check and become NaN."""
    folder = snapshot.latest(data.raw_dir, "opendata", TABLE)
    meta = snapshot.load_meta(folder)
    df = snapshot.load_data(folder)
    df[MEASURE] = df[MEASURE].astype(object)
    df.loc[df.index[0], MEASURE] = "       ."
    df.loc[df.index[1], MEASURE] = None
    df.loc[df.index[2], MEASURE] = " 12 "
    check_values(table(TABLE), meta, df, folder)  # no error
    assert pd.to_numeric(df[MEASURE].str.strip(), errors="coerce").iloc[:2].isna().all()


def test_regions_missing_from_the_cbs_region_list_get_a_name(data) -> None:
    dropped: list[str] = []

    def drop_names(folder: Path) -> None:
        path = folder / "RegioS.json"
        regions = json.loads(path.read_text(encoding="utf-8"))
        gm = [r for r in regions if r["Key"].startswith("GM")][:3]
        dropped.extend(r["Key"].strip() for r in gm)
        path.write_text(json.dumps([r for r in regions if r not in gm]), encoding="utf-8")

    new_release(data.data_dir / "dumps", TABLE, RELEASE, drop_names)
    assert fetch_served(data, TABLE).status == "downloaded"
    report = build_processed(data, progress=lambda m: None)
    df = pd.read_parquet(data.processed_dir / "indicators.parquet")
    assert not df["regio_naam"].fillna("").str.strip().eq("").any()
    indeling = pd.read_parquet(data.processed_dir / "regio_indeling.parquet")
    names = dict(zip(indeling["gemeente_code"], indeling["gemeente_naam"], strict=False))
    ours = df[(df["bron"] == TABLE) & df["regio_code"].isin(dropped)]
    assert not ours.empty
    for code, naam in zip(ours["regio_code"], ours["regio_naam"], strict=True):
        assert naam == names[code] and naam != code
    warning = next(w for w in report.warnings if "no name in their CBS table" in w)
    assert all(code in warning for code in dropped)
