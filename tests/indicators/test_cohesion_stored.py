"""The cohesion analysis stored by the data step: written by ``build``, used by reports only
while it matches the data, code and options, and equal to what a report computes itself."""

from __future__ import annotations

import logging
import os
import shutil

import pytest

from analysis import store
from analysis.build import build
from analysis.indicators.cohesion import pipeline, stored
from analysis.report.chapters import samenhang


@pytest.fixture()
def data_dir(demoland, tmp_path):
    """A private copy of the built Demoland data (raw + processed, mtimes kept)."""
    root, _ = demoland
    for part in ("raw", "processed"):
        shutil.copytree(root / part, tmp_path / part)
    pipeline._CACHE.clear()
    yield tmp_path
    pipeline._CACHE.clear()


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


def test_build_stores_the_analysis_of_the_latest_classification_year(demoland):
    root, _ = demoland
    year = store.classification_years(root)[-1]
    pickle_path, sidecar = stored.paths(store.report_settings(root), year)
    assert pickle_path.is_file() and sidecar.is_file()
    result = stored.load(store.report_settings(root), year, **OPTIONS)
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

    shown.clear()
    pipeline._CACHE.clear()
    for f in (data_dir / "processed" / stored.FOLDER).iterdir():
        f.unlink()
    for kind in ("gemeente", "jeugdregio"):
        samenhang.__dict__[kind](_ctx(data_dir, kind))
    assert calls == [1]  # computed in the kernel, once
    assert shown == from_store


def _touch(path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


@pytest.mark.parametrize(
    "change",
    ["processed table", "boundary file", "option", "code", "damaged pickle"],
)
def test_a_stale_or_damaged_store_is_not_used(data_dir, change, monkeypatch, caplog):
    s = store.report_settings(data_dir)
    year = store.classification_years(data_dir)[-1]
    options = dict(OPTIONS)
    assert stored.load(s, year, **options) is not None
    pickle_path, _ = stored.paths(s, year)
    if change == "processed table":
        _touch(s.processed_dir / "indicators.parquet")
    elif change == "boundary file":
        _touch(next(s.geo_cache_dir.glob("gemeente_*")))
    elif change == "option":
        options["drempels"] = {"polsby_popper": 0.5}
    elif change == "code":
        monkeypatch.setattr(stored, "_code_hash", lambda: "another version")
    else:
        data = bytearray(pickle_path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        pickle_path.write_bytes(bytes(data))
    with caplog.at_level(logging.INFO, logger=stored.__name__):
        assert stored.load(s, year, **options) is None
    assert ("damaged" if change == "damaged pickle" else "stale") in caplog.text


def test_a_failing_analysis_does_not_fail_the_build(data_dir, monkeypatch):
    def broken(*_a, **_k):
        raise RuntimeError("no memory left")

    monkeypatch.setattr(stored, "materialise", broken)
    before = (data_dir / "processed" / "indicators.parquet").stat().st_mtime_ns
    report = build(store.report_settings(data_dir), progress=lambda m: None)
    assert (data_dir / "processed" / "indicators.parquet").stat().st_mtime_ns != before
    assert any("samenhang not stored" in w and "no memory left" in w for w in report.warnings)
