"""Wide tables stay on the page (issue 12 item 19): on screen a table wider than the page
scrolls inside its own container, in print tables wrap or shrink to the page width.

The national Demoland report (its "Profiel per jeugdregio" table is the widest) is opened in
headless Chromium at 1000 px and, with print media emulated, at the width of an A4 page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.report import jobs as report_jobs
from analysis.report.engine import run_batch

from .test_browser import _assert_offline_and_clean, _screenshot
from .test_browser import browser as browser  # the fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: every table, its box, and the nearest ancestor that scrolls horizontally
_MEASURE = """
const W = document.documentElement.clientWidth;
const tables = [];
for (const t of document.querySelectorAll('table')) {
  const r = t.getBoundingClientRect();
  let c = t.parentElement;
  while (c && c !== document.body && !['auto', 'scroll'].includes(getComputedStyle(c).overflowX)) {
    c = c.parentElement;
  }
  const scroller = c && c !== document.body ? c : null;
  const box = scroller ? scroller.getBoundingClientRect() : r;
  tables.push({
    name: (t.caption ? t.caption.textContent : t.className || 'tabel').slice(0, 70),
    left: r.left, right: r.right, width: r.width,
    visibleRight: Math.min(r.right, box.right),
    own: !!scroller && scroller.children.length === 1 && scroller.firstElementChild === t,
  });
}
return {W: W, scrollWidth: document.documentElement.scrollWidth, tables: tables};
"""


@pytest.fixture(scope="module")
def national(demoland, tmp_path_factory) -> Path:
    root, _ = demoland
    reports = tmp_path_factory.mktemp("wide_tables")
    mp = pytest.MonkeyPatch()
    mp.setenv("ANALYSIS_DEMO_DIR", str(root))
    mp.setenv("ANALYSIS_REPORTS_DIR", str(reports))
    try:
        plan = report_jobs.plan("demoland")
        job = plan.jobs[0]
        assert job.kind == "nederland"
        summary = run_batch([job], workers=1, resume=False, progress=False,
                            data_dir=plan.cfg.data_dir, reports_dir=plan.cfg.reports_dir)  # fmt: skip
        assert summary.exit_code == 0, summary.format()
    finally:
        mp.undo()
    return job.out_html


def _viewport(driver, width: int, height: int = 1200) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def test_wide_tables_scroll_in_their_own_container_on_screen(national, browser, tmp_path):
    _viewport(browser, 1000)
    browser.get(national.as_uri())
    m = browser.execute_script(_MEASURE)
    names = [t["name"] for t in m["tables"]]
    assert any("Samenhangprofiel" in n for n in names), names
    assert 950 <= m["W"] <= 1000  # less a scrollbar
    assert m["scrollWidth"] <= m["W"], f"the page scrolls sideways: {m['scrollWidth']} px"
    for t in m["tables"]:
        assert t["left"] >= 0 and t["visibleRight"] <= m["W"] + 0.5, t
        if t["right"] > m["W"] or t["width"] > m["W"] - 40:
            assert t["own"], f"wide table without its own scroll container: {t}"
    wide = [t for t in m["tables"] if t["own"]]
    assert wide, "no table is in a scroll container of its own"
    _screenshot(browser, tmp_path, "nederland-1000px.png")
    _assert_offline_and_clean(browser, "national report at 1000 px")


def test_tables_fit_the_printed_page(national, browser):
    # A4 portrait with 1.5 cm margins: 18 cm = 680 CSS px
    _viewport(browser, 680)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    browser.get(national.as_uri())
    m = browser.execute_script(_MEASURE)
    assert 630 <= m["W"] <= 680
    too_wide = [t for t in m["tables"] if t["right"] > m["W"] + 0.5 or t["left"] < 0]
    assert not too_wide, f"tables wider than the printed page: {too_wide}"
    assert m["scrollWidth"] <= m["W"]
