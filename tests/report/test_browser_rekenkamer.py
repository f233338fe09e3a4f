"""The rekenkamer edition in headless Chromium (issue 16 item 4): opened from disk with no failed
or external requests and no console errors, printed to an A4 PDF (``Page.printToPDF``) with a
sane page count, every numbered section on a new page and no table wider than the page."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from analysis.report import jobs as report_jobs
from analysis.report.engine import run_batch

from .test_browser import _assert_offline_and_clean, _network
from .test_browser import browser as browser  # the fixture
from .test_browser_tables import _MEASURE, _viewport

pytestmark = [pytest.mark.browser, pytest.mark.slow]

A4_INCH = (8.27, 11.69)


@pytest.fixture(scope="module")
def edition(demoland, tmp_path_factory) -> Path:
    root, _ = demoland
    reports = tmp_path_factory.mktemp("rekenkamer_print")
    mp = pytest.MonkeyPatch()
    mp.setenv("ANALYSIS_DEMO_DIR", str(root))
    mp.setenv("ANALYSIS_REPORTS_DIR", str(reports))
    try:
        plan = report_jobs.plan("demoland", editie="rekenkamer")
        job = next(
            j for j in plan.jobs if j.code == "GM9001" and j.params.get("editie") == "rekenkamer"
        )
        summary = run_batch([job], workers=1, resume=False, progress=False,
                            data_dir=plan.cfg.data_dir, reports_dir=plan.cfg.reports_dir)  # fmt: skip
        assert summary.exit_code == 0, summary.format()
    finally:
        mp.undo()
    return job.out_html


def _pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def test_edition_opens_offline_and_prints_to_a4(edition, browser, tmp_path):
    browser.get(edition.as_uri())
    assert "rekenkamereditie" in browser.title
    heads = browser.execute_script(
        "return [...document.querySelectorAll('main h2')].map(h => h.textContent.trim());"
    )
    assert [h.rstrip("¶") for h in heads][:9] == [
        "1. Profiel",
        "2. Doelen en sturing",
        "3. Gebruik van jeugdzorg",
        "4. Toegang en verwijzing",
        "5. Financiën",
        "6. Regionale samenwerking",
        "7. Stapeling en integrale aanpak",
        "8. Auditvragen-checklist",
        "9. Datanotities",
    ]
    _assert_offline_and_clean(browser, "rekenkamer edition")

    pdf = browser.execute_cdp_cmd(
        "Page.printToPDF",
        {"paperWidth": A4_INCH[0], "paperHeight": A4_INCH[1], "preferCSSPageSize": True,
         "printBackground": True},
    )  # fmt: skip
    data = base64.b64decode(pdf["data"])
    (tmp_path / "rekenkamer.pdf").write_bytes(data)
    assert data.startswith(b"%PDF")
    pages = _pdf_pages(data)
    # a title page plus nine sections that each start a page; not hundreds of pages
    assert 10 <= pages <= 80, pages
    # printing loaded nothing from outside and logged no errors
    requested, failed = _network(browser)
    assert not [u for u in requested if not u.startswith(("file://", "data:"))]
    assert not failed
    assert not [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]


def test_print_layout_sections_on_new_pages_and_tables_fit(edition, browser):
    # A4 portrait with 1.5 cm margins: 18 cm = 680 CSS px
    _viewport(browser, 680)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    browser.get(edition.as_uri())
    breaks = browser.execute_script(
        "return [...document.querySelectorAll('main h2')].map(h => "
        "[h.textContent.trim(), getComputedStyle(h).breakBefore]);"
    )
    sections = [b for t, b in breaks if re.match(r"\d\. ", t)]
    assert sections == ["page"] * 9, breaks
    captions = browser.execute_script(
        "return [...document.querySelectorAll('figcaption')].map(c => "
        "getComputedStyle(c).breakBefore);"
    )
    assert captions and set(captions) == {"avoid"}
    m = browser.execute_script(_MEASURE)
    assert 630 <= m["W"] <= 680
    too_wide = [t for t in m["tables"] if t["right"] > m["W"] + 0.5 or t["left"] < 0]
    assert not too_wide, f"tables wider than the printed page: {too_wide}"
    assert m["scrollWidth"] <= m["W"]
