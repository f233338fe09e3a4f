"""Open rendered reports from disk in headless Chromium: no network, no console errors.

Needs Debian ``chromium`` and ``chromium-driver`` (``/usr/bin/chromium``,
``/usr/bin/chromedriver``). Without them the test is skipped, or fails when ``CI`` is set.
Screenshots go to ``tmp_path`` and, when ``REPORT_SCREENSHOT_DIR`` is set, are copied there.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from analysis.report.engine import ReportJob, run_batch
from analysis.report.index import IndexEntry, write_index

from . import NOTEBOOKS, make_data_dir

CHROMIUM = Path(os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _require_chromium() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        msg = f"headless Chromium not installed ({', '.join(missing)}); apt-get install chromium chromium-driver"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Index + three gemeente reports rendered by the warm engine (Demoland)."""
    root = tmp_path_factory.mktemp("site")
    data = make_data_dir(root / "data")
    reports = root / "reports"
    jobs = [
        ReportJob(
            kind="gemeente",
            code=code,
            notebook=NOTEBOOKS / "rapport.ipynb",
            params={"gemeente": code, "data_dir": str(data), "profiel": "demoland"},
            out_html=reports / "demoland" / "gemeente" / f"{code}.html",
            title=name,
            group=group,
        )
        for code, name, group in [
            ("GM0363", "Amsterdam", "JZ13 Amstelland en de Meerlanden"),
            ("GM0796", "'s-Hertogenbosch", "JZ32 Noordoost-Brabant"),
            ("GM1900", "Súdwest-Fryslân", "JZ02 Friesland"),
        ]
    ]
    summary = run_batch(jobs, workers=2, data_dir=data, reports_dir=reports, progress=False)
    assert summary.failed == 0, summary.format()
    index_dir = reports / "demoland"
    write_index(
        index_dir,
        [IndexEntry.from_job(j, index_dir) for j in jobs],
        title="Rapporten jeugdzorg — Demoland",
        synthetic=True,
    )
    return index_dir


@pytest.fixture()
def browser(tmp_path):
    _require_chromium()
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager go online
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1600",
        f"--user-data-dir={tmp_path / 'chromium-profiel'}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        # drop what the browser itself loaded at start-up (its new-tab page, chrome://...)
        driver.get("about:blank")
        driver.get_log("performance")
        driver.get_log("browser")
        yield driver
    finally:
        driver.quit()


def _network(driver) -> tuple[list[str], list[str]]:
    """URLs requested and requests that failed, from the performance log."""
    requested: list[str] = []
    failed: list[str] = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        method, params = message.get("method"), message.get("params", {})
        if method == "Network.requestWillBeSent":
            requested.append(params["request"]["url"])
        elif method == "Network.loadingFailed":
            failed.append(f"{params.get('errorText')} ({params.get('requestId')})")
    return requested, failed


def _assert_offline_and_clean(driver, what: str) -> None:
    requested, failed = _network(driver)
    assert requested, f"{what}: no requests recorded at all (performance log not working?)"
    foreign = [u for u in requested if not u.startswith(("file://", "data:"))]
    assert not foreign, f"{what} requested non-local URLs: {foreign}"
    assert not failed, f"{what}: failed requests: {failed}"
    severe = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    assert not severe, f"{what}: console errors: {severe}"


def _screenshot(driver, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 1000
    target = os.environ.get("REPORT_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, Path(target) / name)
    return path


def _visible(driver) -> list[str]:
    from selenium.webdriver.common.by import By

    return [
        li.get_attribute("data-zoek")
        for li in driver.find_elements(By.CSS_SELECTOR, "li.rapport")
        if li.is_displayed()
    ]


def test_index_offline_and_search_filters(site, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get((site / "index.html").as_uri())
    assert browser.title == "Rapporten jeugdzorg — Demoland"
    assert "geen echte cijfers" in browser.find_element(By.CLASS_NAME, "synthetisch-banner").text
    assert len(_visible(browser)) == 3
    _screenshot(browser, tmp_path, "index.png")

    box = browser.find_element(By.ID, "zoek")
    box.send_keys("amster")
    assert _visible(browser) == ["gm0363 amsterdam"]
    assert browser.find_element(By.ID, "aantal").text == "1 van 3 rapporten"
    # the two other regions' sections are hidden entirely
    shown = [s for s in browser.find_elements(By.CSS_SELECTOR, "section.groep") if s.is_displayed()]
    assert len(shown) == 1
    _screenshot(browser, tmp_path, "index-gezocht.png")

    box.clear()
    box.send_keys("GM1900")
    assert _visible(browser) == ["gm1900 sudwest fryslan"]
    box.clear()
    box.send_keys("súdwest")  # diacritics in the query fold too
    assert _visible(browser) == ["gm1900 sudwest fryslan"]
    box.clear()
    box.send_keys("bestaat niet")
    assert _visible(browser) == []
    assert browser.find_element(By.ID, "geen-resultaat").is_displayed()
    box.clear()
    box.send_keys("s-Hertogenbosch")
    assert _visible(browser) == ["gm0796 s hertogenbosch"]

    link = browser.find_element(By.CSS_SELECTOR, 'li[data-zoek="gm0796 s hertogenbosch"] a')
    link.click()
    assert browser.current_url == (site / "gemeente" / "GM0796.html").as_uri()
    assert browser.title == "Jeugdzorg in 's-Hertogenbosch (2023)"
    _assert_offline_and_clean(browser, "index + click")


def test_report_offline_images_toc(site, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get((site / "gemeente" / "GM1900.html").as_uri())
    assert browser.title == "Jeugdzorg in Súdwest-Fryslân (2023)"
    images = browser.find_elements(By.TAG_NAME, "img")
    assert len(images) == 2
    for img in images:
        assert browser.execute_script("return arguments[0].naturalWidth", img) > 100
    toc = browser.find_elements(By.CSS_SELECTOR, "nav.inhoud a")
    assert [a.text for a in toc][:2] == ["Kerncijfers", "Figuren"]
    toc[-1].click()
    assert browser.current_url.endswith("#bronnen-en-verantwoording")
    footer_text = browser.find_element(By.CSS_SELECTOR, "footer.bronnen").text
    assert "Bron: CBS, CC BY 4.0" in footer_text and "85099NED" in footer_text
    browser.execute_script("window.scrollTo(0, 0)")
    _screenshot(browser, tmp_path, "rapport.png")
    _assert_offline_and_clean(browser, "report")
