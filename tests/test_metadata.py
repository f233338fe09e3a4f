"""Metadata is declared once (``analysis.metadata``) and the other layers use that one copy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.config import project_root
from analysis.metadata import regions

SRC = project_root() / "src" / "analysis"


def _sources(exclude: tuple[str, ...] = ()) -> list[Path]:
    return [
        p
        for p in sorted(SRC.rglob("*.py"))
        if not any(p.relative_to(SRC).as_posix().startswith(e) for e in exclude)
    ]


@pytest.mark.parametrize(
    ("code", "level"),
    [("GM0363", "gemeente"), ("JZ13", "jeugdregio"), ("PV27", "provincie"), ("NL01", "land")],
)
def test_region_level_and_code_pattern(code: str, level: str) -> None:
    assert regions.region_level(code) == level
    assert re.fullmatch(regions.CODE_PATTERN, code)


def test_malformed_codes_rejected() -> None:
    for bad in ("GM363", "JZ1", "NL00", "XX01", "gm0363"):
        assert not re.fullmatch(regions.CODE_PATTERN, bad), bad
    assert regions.region_level("XX01") is None


def test_every_layer_has_a_prefix_and_divisions_are_layers() -> None:
    assert set(regions.PREFIXES) == set(regions.LAYERS)
    assert len(set(regions.PREFIXES.values())) == len(regions.PREFIXES)
    assert set(regions.GEBIEDEN_GROUPS) <= set(regions.BOUNDARY_DIVISIONS)
    assert set(regions.DEMOLAND_DIVISIONS) <= set(regions.BOUNDARY_DIVISIONS)
    assert "gemeente" not in regions.BOUNDARY_DIVISIONS


def test_other_layers_use_the_one_declaration() -> None:
    from analysis.demo import world
    from analysis.geo import boundaries
    from analysis.indicators import use
    from analysis.report import params

    assert boundaries.LAYERS is regions.LAYERS and boundaries.PREFIXES is regions.PREFIXES
    assert world.DIVISIONS is regions.DEMOLAND_DIVISIONS
    assert use.NEDERLAND == regions.NEDERLAND
    assert use.VERGELIJKINGSGROEPEN is params.VERGELIJKINGSGROEPEN is regions.VERGELIJKINGSGROEPEN


def test_no_copies_of_region_constants_in_src() -> None:
    """``"NL01"`` and the comparison groups are written only in ``metadata/regions.py``."""
    found = []
    for path in _sources(exclude=("metadata/", "replay/")):
        text = path.read_text(encoding="utf-8")
        for pattern in (r"[\"']NL01[\"']", r"\(\s*[\"']grootteklasse[\"'],\s*[\"']jeugdregio"):
            found += [f"{path.relative_to(SRC)}: {pattern}" for _ in re.finditer(pattern, text)]
    assert found == [], "use analysis.metadata.regions instead"


def test_label_columns_are_categoricals_in_memory_with_the_same_values(tmp_path: Path) -> None:
    """``store.load_indicators`` holds the declared label columns as categoricals (a warm
    kernel's memory), keys stay text, and every value reads back as written."""
    import pandas as pd

    from analysis import store
    from analysis.metadata import schema

    from .report import fixtures

    data = fixtures.write_dataset(tmp_path / "d", with_geo=False)
    raw = schema.coerce(pd.read_parquet(data / "processed" / "indicators.parquet"))
    got = store.load_indicators(data)
    labels = [c.name for c in schema.INDICATORS.columns if c.label]
    assert {"status", "bron", "reeks"} <= set(labels)
    assert "regio_code" not in labels and "indicator" not in labels  # keys stay text
    for col in schema.INDICATORS.names:
        if col in labels:
            assert isinstance(got[col].dtype, pd.CategoricalDtype), col
            assert list(got[col].cat.categories) == sorted(got[col].cat.categories)
        else:
            assert got[col].dtype == raw[col].dtype, col
        pd.testing.assert_series_equal(
            got[col].astype(raw[col].dtype), raw[col], check_names=False, obj=col
        )


def test_chapter_memo_keeps_recently_used_results_and_drops_the_oldest(monkeypatch) -> None:
    """A chapter's memo is bounded (a warm kernel renders hundreds of reports): results read
    by every report stay, one region's results go once the batch has moved on."""
    from analysis.store import Memo

    monkeypatch.setattr(Memo, "grootte", 3)
    memo = Memo()
    memo["landelijk"] = "NL"
    for regio in ("JZ01", "JZ02", "JZ03"):
        memo[regio] = regio.lower()
        assert memo["landelijk"] == "NL"  # read by every report: stays recent
    assert list(memo) == ["JZ02", "JZ03", "landelijk"]
    assert memo.get("JZ01") is None and memo.get("JZ03") == "jz03"
    assert "JZ02" in memo and len(memo) == 3
