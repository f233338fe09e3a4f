"""The reports index: grouping, relative links, banner, self-containment."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis.report.engine import ReportJob
from analysis.report.export import assert_self_contained
from analysis.report.footer import SYNTHETIC_BANNER_TEXT
from analysis.report.index import IndexEntry, write_index


def _touch(root: Path, rel: str) -> str:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("<html></html>")
    return rel


@pytest.fixture()
def site(tmp_path) -> tuple[Path, list[IndexEntry]]:
    root = tmp_path / "demoland"
    entries = [
        IndexEntry("gemeente", "GM0599", "Rotterdam", "JZ23 Rijnmond", _touch(root, "gemeente/GM0599-rotterdam.html")),
        IndexEntry("jeugdregio", "JZ23", "Rijnmond", "JZ23 Rijnmond", _touch(root, "jeugdregio/JZ23-rijnmond.html")),
        IndexEntry("gemeente", "GM0363", "Amsterdam", "JZ13 Amstelland en de Meerlanden", _touch(root, "gemeente/GM0363-amsterdam.html")),
        IndexEntry("gemeente", "GM1900", "Súdwest-Fryslân", "JZ02 Friesland", _touch(root, "gemeente/GM1900-sudwest-fryslan.html")),
        IndexEntry("gemeente", "GM0358", "Aalsmeer", "JZ13 Amstelland en de Meerlanden", _touch(root, "gemeente/GM0358-aalsmeer.html")),
        IndexEntry("jeugdregio", "JZ13", "Amstelland en de Meerlanden", "JZ13 Amstelland en de Meerlanden", _touch(root, "jeugdregio/JZ13.html")),
        IndexEntry("nederland", "NL01", "Nederland", "", _touch(root, "nederland/NL01-nederland.html")),
        IndexEntry("gemeente", "GM0796", "'s-Hertogenbosch", "JZ32", "gemeente/GM0796-ontbreekt.html"),
    ]  # fmt: skip
    return root, entries


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_grouped_national_first_then_regions(site):
    root, entries = site
    index = write_index(root, entries, title="Rapporten jeugdzorg 2023", synthetic=False)
    assert index == root / "index.html"
    soup = _soup(index)
    sections = soup.find_all("section", class_="groep")
    first = [li.get_text(" ", strip=True) for li in sections[0].find_all("li")]
    assert first == ["Nederland NL01"]
    headings = [s.h2.get_text(" ", strip=True) for s in sections[1:]]
    # regions by name; JZ32 has no region report, so its code is its name
    assert headings == [
        "Amstelland en de Meerlanden JZ13",
        "Friesland JZ02",
        "JZ32",
        "Rijnmond JZ23",
    ]
    amstelland = [li.get_text(" ", strip=True) for li in sections[1].find_all("li")]
    assert amstelland == [
        "Amstelland en de Meerlanden JZ13",  # the region report heads its group
        "Aalsmeer GM0358",
        "Amsterdam GM0363",
    ]
    assert "regio-rapport" in sections[1].li["class"]


def test_links_are_relative_and_work(site):
    root, entries = site
    soup = _soup(write_index(root, entries, title="t", synthetic=False))
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert "gemeente/GM0363-amsterdam.html" in hrefs
    for href in hrefs:
        assert not href.startswith(("/", "http", "file:"))
        assert (root / href).is_file()


def test_missing_report_is_listed_without_link(site):
    root, entries = site
    soup = _soup(write_index(root, entries, title="t", synthetic=False))
    li = soup.find("li", attrs={"data-zoek": "gm0796 s hertogenbosch"})
    assert li is not None and li.find("a") is None
    assert "niet beschikbaar" in li.get_text()


def test_self_contained_dutch_with_search(site):
    root, entries = site
    html = write_index(root, entries, title="Rapporten", synthetic=False).read_text()
    assert_self_contained(html)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "nl"
    assert soup.find("input", id="zoek") is not None
    assert soup.find("script", src=True) is None and soup.find("link") is None
    assert "Zoek een rapport" in html
    assert SYNTHETIC_BANNER_TEXT not in html


def test_synthetic_banner(site):
    root, entries = site
    soup = _soup(write_index(root, entries, title="Demoland", synthetic=True))
    banner = soup.find(class_="synthetisch-banner")
    assert banner is not None and SYNTHETIC_BANNER_TEXT in banner.get_text()


def test_search_keys_are_folded(site):
    root, entries = site
    soup = _soup(write_index(root, entries, title="t", synthetic=False))
    keys = {li["data-zoek"] for li in soup.find_all("li", class_="rapport")}
    assert "gm1900 sudwest fryslan" in keys


@pytest.mark.parametrize("href", ["../buiten.html", "/etc/passwd", "https://example.org/x.html"])
def test_href_outside_index_dir_is_refused(tmp_path, href):
    entry = IndexEntry("gemeente", "GM1", "X", "", href)
    with pytest.raises(ValueError, match="relative path"):
        write_index(tmp_path, [entry], title="t", synthetic=False)


def test_entry_from_job(tmp_path):
    job = ReportJob(
        kind="gemeente",
        code="GM0363",
        notebook=Path("nb.ipynb"),
        params={},
        out_html=tmp_path / "demoland" / "gemeente" / "GM0363.html",
        title="Amsterdam",
        group="JZ13 Amstelland",
    )
    entry = IndexEntry.from_job(job, tmp_path / "demoland")
    assert entry == IndexEntry(
        "gemeente", "GM0363", "Amsterdam", "JZ13 Amstelland", "gemeente/GM0363.html"
    )
