"""The cohesion analysis stored by the data step: written by the pipeline after ``build``, used
by reports only while it matches the data, code and options, equal to what a report computes
itself, and stored in formats that cannot run code (Parquet and JSON, no pickle)."""

from __future__ import annotations

import logging
import os
import shutil

import pytest

from analysis import store
from analysis.indicators.cohesion import pipeline, stored
from analysis.pipeline import build_processed
from analysis.report.chapters import samenhang


@pytest.fixture()
def data_dir(demoland, tmp_path):
    """A private copy of the built Demoland data (raw + processed, mtimes kept)."""
    root, _ = demoland
    for part in ("raw", "processed"):
        shutil.copytree(root / part, tmp_path / part)
    return tmp_path


@pytest.fixture()
def shown(monkeypatch) -> list[str]:
    import IPython.display

    out: list[str] = []
    monkeypatch.setattr(
        IPython.display, "display", lambda *objs, **kw: out.extend(str(o.data) for o in objs)
    )
    return out


def _ctx(root, kind="gemeente", code=None):
    if code is None:
        leden = store.report_context("nederland", None, 2025, None, root, "demoland").leden
        code = leden["gemeente_code"].iat[0] if kind == "gemeente" else leden["regio_code"].iat[0]
    return store.report_context(kind, code, 2025, None, root, "demoland")


#: the options a Demoland report passes (``synthetic``; default divisions and thresholds)
OPTIONS = {"synthetic": True}


def test_the_pipeline_stores_the_analysis_of_the_latest_classification_year(demoland):
    root, _ = demoland
    year = store.classification_years(root)[-1]
    s = store.report_settings(root)
    assert stored.sidecar_path(s, year).is_file()
    parts = stored.part_files(s, year)
    assert parts and all(p.is_file() and p.read_bytes()[:4] == b"PAR1" for p in parts)
    assert not list((s.processed_dir / stored.FOLDER).glob("*.pickle"))
    result = stored.load(s, year, **OPTIONS)
    assert isinstance(result, pipeline.Samenhang)
    assert result.geo_jaar == year and len(result.profiel) == result.regios.shape[0] > 0


def test_reports_show_the_same_chapter_from_the_stored_and_a_computed_analysis(
    data_dir, shown, monkeypatch
):
    calls = []
    real = pipeline._analyse
    monkeypatch.setattr(pipeline, "_analyse", lambda *a, **k: calls.append(1) or real(*a, **k))
    for kind in ("gemeente", "jeugdregio"):
        samenhang.__dict__[kind](_ctx(data_dir, kind))
    assert calls == []  # the stored analysis was used
    from_store = list(shown)

    # the same data without the stored analysis (a new folder: a new data version)
    shown.clear()
    shutil.rmtree(data_dir / "processed" / stored.FOLDER)
    other = data_dir.parent / f"{data_dir.name}_computed"
    shutil.copytree(data_dir, other)
    for kind in ("gemeente", "jeugdregio"):
        samenhang.__dict__[kind](_ctx(other, kind))
    assert calls == [1]  # computed in the kernel, once
    assert shown == from_store


def _touch(path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


@pytest.mark.parametrize(
    "change",
    ["processed table", "boundary file", "option", "code", "damaged part"],
)
def test_a_stale_or_damaged_store_is_not_used(data_dir, change, monkeypatch, caplog):
    s = store.report_settings(data_dir)
    year = store.classification_years(data_dir)[-1]
    options = dict(OPTIONS)
    assert stored.load(s, year, **options) is not None
    part = max(stored.part_files(s, year), key=lambda p: p.stat().st_size)
    if change == "processed table":
        _touch(s.processed_dir / "indicators.parquet")
    elif change == "boundary file":
        _touch(next(s.geo_cache_dir.glob("gemeente_*")))
    elif change == "option":
        options["drempels"] = {"polsby_popper": 0.5}
    elif change == "code":
        monkeypatch.setattr(stored, "_code_hash", lambda: "another version")
    else:
        data = bytearray(part.read_bytes())
        data[len(data) // 2] ^= 0xFF
        part.write_bytes(bytes(data))
    with caplog.at_level(logging.INFO, logger=stored.__name__):
        assert stored.load(s, year, **options) is None
    assert ("damaged" if change == "damaged part" else "stale") in caplog.text


def test_a_failing_analysis_does_not_fail_the_build(data_dir, monkeypatch):
    def broken(*_a, **_k):
        raise RuntimeError("no memory left")

    monkeypatch.setattr(stored, "materialise", broken)
    before = (data_dir / "processed" / "indicators.parquet").stat().st_mtime_ns
    report = build_processed(store.report_settings(data_dir), progress=lambda m: None)
    assert (data_dir / "processed" / "indicators.parquet").stat().st_mtime_ns != before
    assert any("samenhang not stored" in w and "no memory left" in w for w in report.warnings)


def test_the_build_itself_does_not_import_the_cohesion_analysis():
    import ast
    from pathlib import Path

    from analysis import build as build_module

    files = sorted(Path(build_module.__file__).parent.glob("*.py"))
    assert len(files) > 1  # the package and its submodules
    imported = {
        n.module if isinstance(n, ast.ImportFrom) else a.name
        for f in files
        for n in ast.walk(ast.parse(f.read_text(encoding="utf-8")))
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    }
    assert "analysis.build.core" in imported
    assert not any("cohesion" in (m or "") for m in imported)


class _Evil:
    """A pickle payload that would create ``marker`` when unpickled."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_crafted_files_beside_the_store_cannot_run_code(data_dir, tmp_path):
    import hashlib
    import json
    import pickle

    s = store.report_settings(data_dir)
    year = store.classification_years(data_dir)[-1]
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Evil(marker))
    folder = s.processed_dir / stored.FOLDER
    # the old format's file name, and every part replaced, with matching checksums written
    (folder / f"samenhang_{year}.pickle").write_bytes(payload)
    sidecar = stored.sidecar_path(s, year)
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    for part, path in zip(meta["delen"], stored.part_files(s, year), strict=True):
        path.write_bytes(payload)
        part["sha256"] = hashlib.sha256(payload).hexdigest()
    sidecar.write_text(json.dumps(meta), encoding="utf-8")
    assert stored.load(s, year, **OPTIONS) is None  # unreadable as Parquet: computed instead
    assert not marker.exists()


def test_no_pickle_load_anywhere_in_the_package():
    from analysis.config import project_root

    offenders = [
        str(p)
        for p in (project_root() / "src" / "analysis").rglob("*.py")
        if "pickle.load" in p.read_text(encoding="utf-8")
        or "import pickle" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []
