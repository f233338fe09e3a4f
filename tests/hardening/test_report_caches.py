"""A damaged ``sources.json`` (valid JSON, wrong shape) is one clear line from the command
line, naming the file, not a traceback (issue 12 item 13, report side); the last good report
stays as it was."""

from __future__ import annotations

import shutil

import pytest

from analysis import cli


@pytest.mark.parametrize(
    "content",
    ['{"niet": "een lijst"}', "[{}]", '[{"table_id": "85099NED", "files": "geen lijst"}]'],
)
def test_wrong_shaped_sources_is_one_clear_line(demoland, tmp_path, monkeypatch, capsys, content):
    root, _ = demoland
    data = tmp_path / "data"
    shutil.copytree(root / "processed", data / "processed")
    sources = data / "processed" / "sources.json"
    sources.write_text(content, encoding="utf-8")
    reports = tmp_path / "reports"
    good = reports / "demoland" / "nederland" / "NL01-nederland-2025.html"
    good.parent.mkdir(parents=True)
    good.write_text("<!DOCTYPE html><title>vorige versie</title>", encoding="utf-8")
    monkeypatch.setenv("ANALYSIS_DEMO_DIR", str(data))
    monkeypatch.setenv("ANALYSIS_REPORTS_DIR", str(reports))

    code = cli.main(["report", "--profiel", "demoland"])
    err = capsys.readouterr().err
    assert code == 1
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith("fout: ") and str(sources) in lines[0]
    assert good.read_text(encoding="utf-8") == "<!DOCTYPE html><title>vorige versie</title>"
    assert not [p for p in reports.rglob("*") if ".tmp" in p.name]


def test_a_huge_bad_entry_is_echoed_short(tmp_path):
    import json

    from analysis.report.footer import SourcesError, load_sources

    path = tmp_path / "sources.json"
    entry = {"table_id": "85099NED", "catalog": "opendata", "title": "t", "modified": "m",
             "retrieved_at": "r", "files": [{"name": "a" * 100_000}]}  # fmt: skip
    path.write_text(json.dumps([entry]), encoding="utf-8")
    with pytest.raises(SourcesError, match=r"without name/sha256") as info:
        load_sources(path)
    assert len(str(info.value)) < 400 and "tekens)" in str(info.value)
