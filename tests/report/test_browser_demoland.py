"""The real notebooks on Demoland, opened from disk in headless Chromium (offline, no errors)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.report import jobs as report_jobs
from analysis.report.engine import run_batch

from .test_browser import _assert_offline_and_clean, _screenshot, _visible
from .test_browser import browser as browser  # the fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo_site(demoland, tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    root, _ = demoland
    reports = tmp_path_factory.mktemp("demo_reports")
    mp = pytest.MonkeyPatch()
    mp.setenv("ANALYSIS_DEMO_DIR", str(root))
    mp.setenv("ANALYSIS_REPORTS_DIR", str(reports))
    try:
        plan = report_jobs.plan("demoland")
        by_title = {j.title: j for j in plan.jobs if j.kind == "gemeente"}
        wanted = [plan.jobs[0], next(j for j in plan.jobs if j.kind == "jeugdregio")]
        wanted += [by_title["'s-Demohage"], next(j for t, j in by_title.items() if "â" in t)]
        summary = run_batch(wanted, workers=2, resume=False, progress=False,
                            data_dir=plan.cfg.data_dir, reports_dir=plan.cfg.reports_dir)  # fmt: skip
        assert summary.exit_code == 0, summary.format()
        index = report_jobs._write_index(plan, plan.jobs)
    finally:
        mp.undo()
    return index, {j.title: j.out_html for j in wanted}


def test_index_lists_rendered_reports_by_region(demo_site, browser, tmp_path) -> None:
    from selenium.webdriver.common.by import By

    index, pages = demo_site
    browser.get(index.as_uri())
    assert "Demoland" in browser.title
    assert len(_visible(browser)) == len(pages)  # only rendered reports are listed
    box = browser.find_element(By.ID, "zoek")
    box.send_keys("demohage")
    assert len(_visible(browser)) == 1
    _screenshot(browser, tmp_path, "demoland-index.png")
    _assert_offline_and_clean(browser, "Demoland index")


def test_gemeente_report_opens_offline_with_maps_and_footer(demo_site, browser, tmp_path) -> None:
    from selenium.webdriver.common.by import By

    _, pages = demo_site
    page = pages["'s-Demohage"]
    assert page.name.startswith("GM") and "s-demohage" in page.name
    browser.get(page.as_uri())
    assert "'s-Demohage" in browser.title
    images = browser.find_elements(By.TAG_NAME, "img")
    assert len(images) >= 4
    assert all(browser.execute_script("return arguments[0].naturalWidth", i) > 100 for i in images)
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Synthetische gegevens" in body and "Bronnen en verantwoording" in body
    assert "85099NED" in body and "trendbreuk" in body.lower()
    assert "Wachttijden en toegang" in body and "lokale bron, geen CBS-cijfer" in body  # ch. 3
    _screenshot(browser, tmp_path, "demoland-gemeente.png")
    _assert_offline_and_clean(browser, "Demoland gemeente report")
