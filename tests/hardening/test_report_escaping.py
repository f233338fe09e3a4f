"""Names from data never become markup (issue 12 item 1).

Demoland is generated with hostile names in the CBS region list and the boundary files (a
gemeente ``Biezenberg<img src=x onerror=alert(1)>`` and a jeugdregio with a ``<script>``
element), fetched with the real client and built; a table title in ``sources.json`` gets a
``<script>`` element too. The national, jeugdregio and gemeente reports and the index are
rendered and parsed: no element has an ``on*`` attribute, no ``<script>`` exists except the
index's own search script, the names are shown as text, and every page carries a
Content-Security-Policy that only allows that one script (by hash).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path

import lxml.html
import pytest

from analysis.config import settings
from analysis.demo import names as demo_names
from analysis.pipeline import run_demo_data
from analysis.report import jobs as report_jobs
from analysis.report.engine import run_batch
from analysis.report.output import markdown_html

IMG = "Biezenberg<img src=x onerror=alert(1)>"
SCRIPT_REGIO = "Noord<script>alert(2)</script>land"
SCRIPT_TITEL = "Jeugdhulp<script>alert(3)</script>"
INDEX_JS = (
    Path(__file__).resolve().parents[2] / "src/analysis/report/templates/index/index.js"
).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hostile")
    data, reports = root / "data", root / "reports"
    mp = pytest.MonkeyPatch()
    original = demo_names.region_names

    def region_names(n, rng, taken):
        out = original(n, rng, taken)
        return [SCRIPT_REGIO, *out[1:]]

    mp.setattr(demo_names, "ISLAND", IMG)
    mp.setattr(demo_names, "region_names", region_names)
    mp.setenv("ANALYSIS_DEMO_DIR", str(data))
    mp.setenv("ANALYSIS_REPORTS_DIR", str(reports))
    try:
        run = run_demo_data(cfg=replace(settings(), data_dir=data), progress=lambda m: None)
        assert run.exit_code == 0, run.summary()
        sources = data / "processed" / "sources.json"
        entries = json.loads(sources.read_text(encoding="utf-8"))
        entries[0]["title"] = SCRIPT_TITEL
        geo = next(e for e in entries if e.get("kind") == "geo")
        geo["name"] = "<svg onload=alert(4)>.topojson"
        sources.write_text(json.dumps(entries), encoding="utf-8")

        plan = report_jobs.plan("demoland")
        gemeente = next(j for j in plan.jobs if j.kind == "gemeente" and j.title == IMG)
        regio = next(j for j in plan.jobs if j.kind == "jeugdregio" and j.title == SCRIPT_REGIO)
        wanted = [plan.jobs[0], regio, gemeente]
        summary = run_batch(
            wanted,
            workers=1,
            resume=False,
            progress=False,
            data_dir=plan.cfg.data_dir,
            reports_dir=plan.cfg.reports_dir,
        )
        assert summary.exit_code == 0, summary.format()
        index = report_jobs._write_index(plan, plan.jobs)
    finally:
        mp.undo()
    return {"nederland": wanted[0].out_html, "jeugdregio": regio.out_html,
            "gemeente": gemeente.out_html, "index": index}  # fmt: skip


def _csp(doc) -> str:
    metas = doc.xpath('//head/meta[@http-equiv="Content-Security-Policy"]/@content')
    assert len(metas) == 1, "expected one Content-Security-Policy meta tag"
    return str(metas[0])


def _live_markup(doc) -> list[str]:
    problems = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in el.attrib:
            if attr.lower().startswith("on"):
                problems.append(f"<{el.tag} {attr}={el.get(attr)!r}>")
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["nederland", "jeugdregio", "gemeente"])
def test_reports_show_hostile_names_as_text(hostile_site, kind) -> None:
    text = hostile_site[kind].read_text(encoding="utf-8")
    doc = lxml.html.document_fromstring(text)
    assert _live_markup(doc) == []
    assert doc.xpath("//script") == []
    assert doc.xpath("//svg") == [] and doc.xpath("//img[@src='x']") == []
    body = doc.text_content()
    assert SCRIPT_TITEL in body  # the footer lists the hostile table title, as text
    if kind == "gemeente":
        assert IMG in body and IMG in doc.findtext(".//title")
        assert SCRIPT_REGIO in body  # its jeugdregio, named in the introduction
    if kind == "jeugdregio":
        assert SCRIPT_REGIO in body and SCRIPT_REGIO in doc.findtext(".//title")
        assert IMG in body  # a member gemeente
    if kind == "nederland":
        assert SCRIPT_REGIO in body  # the profile per jeugdregio and the region tables
    csp = _csp(doc)
    assert "script-src 'none'" in csp and "default-src 'none'" in csp
    assert "img-src data:" in csp and "style-src 'unsafe-inline'" in csp


@pytest.mark.slow
def test_index_has_only_its_own_script(hostile_site) -> None:
    doc = lxml.html.document_fromstring(hostile_site["index"].read_text(encoding="utf-8"))
    assert _live_markup(doc) == []
    scripts = doc.xpath("//script")
    assert len(scripts) == 1 and scripts[0].text.strip() == INDEX_JS.strip()
    body = doc.text_content()
    assert IMG in body and SCRIPT_REGIO in body
    digest = base64.b64encode(hashlib.sha256(scripts[0].text.encode("utf-8")).digest()).decode()
    csp = _csp(doc)
    assert f"script-src 'sha256-{digest}'" in csp and "default-src 'none'" in csp
    assert "'unsafe-inline'" not in re.search(r"script-src[^;]*", csp).group(0)


@pytest.mark.parametrize(
    "text",
    [
        "Gemeente **Biezenberg<img src=x onerror=alert(1)>** in de regio",
        "<script>alert(1)</script>",
        "- <div onclick='x()'>klik</div>\n- [link](javascript:alert(1))",
        "<!-- comment --><iframe src=x></iframe>",
    ],
)
def test_markdown_never_passes_raw_html(text) -> None:
    doc = lxml.html.fragment_fromstring(markdown_html(text), create_parent="div")
    assert _live_markup(doc) == []
    assert doc.xpath("//script | //img | //iframe | //div/div") == []
    assert not any("javascript:" in (a.get("href") or "") for a in doc.iter("a"))
