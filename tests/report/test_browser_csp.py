"""The Content-Security-Policy is a working second line of defence (issue 12 item 1): markup
that slipped past escaping into a report or the index does not run in Chromium, while the
index's own search script, inline styles and data: images keep working."""

from __future__ import annotations

import base64

import pytest

from analysis.report.export import postprocess
from analysis.report.index import IndexEntry, write_index

from .test_browser import browser as browser  # the fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: a 1x1 PNG
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2f1"
        "fa6e0000000049454e44ae426082"
    )
).decode()
SLIPPED = (
    "<script>document.title = 'script ran';</script>"
    '<img src="data:image/png;base64,broken" onerror="document.title = \'handler ran\'">'
)


def test_injected_script_does_not_run_in_a_report(browser, tmp_path):
    html = postprocess(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>h1 {color: rgb(1, 2, 3);}</style>"
        "</head><body><main><h1>Rapport</h1>"
        f"<p>{SLIPPED}</p><img id='fig' src='data:image/png;base64,{PNG}' alt='x'>"
        "</main></body></html>",
        footer=None,
        synthetic=False,
    )
    page = tmp_path / "rapport.html"
    page.write_text(html, encoding="utf-8")
    browser.get(page.as_uri())
    assert browser.title == "Rapport"  # neither the script nor the handler ran
    color = browser.execute_script("return getComputedStyle(document.querySelector('h1')).color")
    assert color == "rgb(1, 2, 3)"  # inline styles work
    assert browser.execute_script("return document.getElementById('fig').naturalWidth") == 1
    blocked = [e["message"] for e in browser.get_log("browser")]
    assert any("Content Security Policy" in m for m in blocked), blocked


def test_index_search_runs_but_an_injected_script_does_not(browser, tmp_path):
    from selenium.webdriver.common.by import By

    (tmp_path / "gemeente").mkdir()
    entries = []
    for code, naam in (("GM9001", "Biezenberg"), ("GM9002", "Demo-Oog")):
        (tmp_path / "gemeente" / f"{code}.html").write_text("<p>x</p>", encoding="utf-8")
        entries.append(IndexEntry("gemeente", code, naam, "JZ91 Noord", f"gemeente/{code}.html"))
    index = write_index(tmp_path, entries, title="Rapporten", synthetic=False)
    text = index.read_text(encoding="utf-8").replace("</main>", SLIPPED + "</main>")
    index.write_text(text, encoding="utf-8")
    browser.get(index.as_uri())
    assert browser.title == "Rapporten"
    box = browser.find_element(By.ID, "zoek")
    box.send_keys("oog")
    shown = [li for li in browser.find_elements(By.CSS_SELECTOR, "li.rapport") if li.is_displayed()]
    assert len(shown) == 1 and "Demo-Oog" in shown[0].text  # the search script runs
    assert browser.find_element(By.ID, "aantal").text == "1 van 2 rapporten"
