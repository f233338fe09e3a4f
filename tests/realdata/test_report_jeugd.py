"""Reports rendered from the real CBS youth-care exports (issue 17, chapter part).

The processed layer is :func:`real_jeugd_processed`: the converted real exports fetched with the
real ``cbsodata`` client. Expected numbers are read from that processed layer (not typed in), so
the tests check that the chapter shows what the data hold, beside each other, with their
definitions: CBS's own relative figure next to the project's rate per 1 000, the denominator's
source and reference date per year, the build's reason for every skipped indicator, CBS's own
jeugdregio figure next to the sum of its gemeenten, and the 2020/2021 trend break.
"""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.report.engine import ReportJob, run_batch
from analysis.report.export import assert_self_contained
from analysis.report.jobs import notebook
from analysis.report.params import param_catalog, validate_report_params
from analysis.report.text import getal
from tests.report.test_browser import _assert_offline_and_clean, _screenshot
from tests.report.test_browser import browser as browser  # the fixture

pytestmark = pytest.mark.slow

JAAR = 2023
NOOT_EINDE = "Tussen 2020 en 2021 ligt een trendbreuk."
SPECS = (
    ("nederland", "NL01", {}),
    ("jeugdregio", "JZ13", {"regio": "JZ13"}),
    ("gemeente", "GM0363", {"gemeente": "Amsterdam", "vergelijkingsgroep": "grootteklasse"}),
)


@pytest.fixture(scope="module")
def rendered(real_jeugd_processed, tmp_path_factory) -> dict[str, Path]:
    """The national, Amsterdam-Amstelland and Amsterdam reports of 2023 (indeling 2023)."""
    cfg, _ = real_jeugd_processed
    out = tmp_path_factory.mktemp("real_jeugd_reports")
    catalog = param_catalog(cfg.data_dir)
    common = {"jaar": JAAR, "indeling_jaar": 2023, "data_dir": str(cfg.data_dir), "profiel": "cbs"}
    jobs = []
    for kind, code, extra in SPECS:
        params = validate_report_params(kind, {**common, **extra}, catalog)
        jobs.append(ReportJob(kind, code, notebook(kind), params, out / f"{code}.html", code, ""))
    summary = run_batch(
        jobs, workers=1, resume=False, progress=False, data_dir=cfg.data_dir, reports_dir=out
    )
    assert summary.exit_code == 0, summary.format()
    return {code: out / f"{code}.html" for _, code, _ in SPECS}


@pytest.fixture(scope="module")
def rows(real_jeugd_processed) -> pd.DataFrame:
    cfg, _ = real_jeugd_processed
    df = pd.read_parquet(cfg.data_dir / "processed" / "indicators.parquet")
    return df[(df["indeling_jaar"] == 2023) & (df["periode_type"] == "jaar")]


def _tekst(path: Path) -> str:
    """The report's visible text, whitespace collapsed (U+202F digit groups kept)."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", raw, flags=re.S)
    raw = re.sub(r"<img[^>]*>", " ", raw)
    return re.sub(r"[ \t\r\n]+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", raw)))


def _tabel(text: str, bijschrift: str, einde: str) -> str:
    """The text of the table whose caption starts with ``bijschrift``, through ``einde``
    (the last words of its note)."""
    start = text.index(bijschrift)
    return text[start : text.index(einde, start) + len(einde)]


def _waarde(rows: pd.DataFrame, ind: str, code: str, jaar: int) -> pd.Series:
    sel = rows[(rows["indicator"] == ind) & (rows["regio_code"] == code) & (rows["jaar"] == jaar)]
    sel = sel.sort_values("berekend", kind="stable")
    assert len(sel), (ind, code, jaar)
    return sel.iloc[0]


def _rij(tabel: str, jaar: int) -> str:
    """The cells of one year's row in a table's text (up to the next year or the note)."""
    m = re.search(
        rf" {jaar} (.*?)(?= (?:20[12]\d) (?:\d|geen|niet)| Twee cijfers| Het CBS telt| CBS \()",
        tabel,
    )
    assert m, (jaar, tabel[:400])
    return m.group(1)


def test_reports_render_self_contained(rendered: dict[str, Path]) -> None:
    for code, path in rendered.items():
        html = path.read_text(encoding="utf-8")
        assert_self_contained(html)
        assert "Traceback" not in html, code
        assert "Synthetische gegevens" not in html, code


def test_gemeente_cbs_relative_figure_beside_rate_with_denominator(
    rendered: dict[str, Path], rows: pd.DataFrame
) -> None:
    text = _tekst(rendered["GM0363"])
    tabel = _tabel(text, "Jongeren met jeugdzorg in Amsterdam: CBS-percentage", NOOT_EINDE)
    # 2021: the rate per 1 000 over the Maatstaven under-18 count, with source and peildatum
    aantal = _waarde(rows, "jongeren_met_jeugdzorg", "GM0363", 2021)["waarde"]
    noemer = _waarde(rows, "bevolking_0_17", "GM0363", 2021)
    assert noemer["bron"] == "85052NED"
    rij = _rij(tabel, 2021)
    assert getal(aantal) in rij and getal(1000 * aantal / noemer["waarde"], 1) in rij
    assert getal(noemer["waarde"]) in rij and "(85052NED), peildatum gemeentefonds 2021" in rij
    # 2023: CBS's own percentage beside it; the missing denominator is said, not estimated
    cbs = _waarde(rows, "jongeren_met_jeugdzorg_relatief_cbs", "GM0363", 2023)["waarde"]
    rij = _rij(tabel, 2023)
    assert getal(cbs, 1) in rij
    assert "aantal jongeren 0–17 ontbreekt voor 2023: geen cijfer per 1\u202f000" in rij
    assert "schatting" not in rij  # no KWB estimate exists for 2023, so none is named
    # 2022: Amsterdam's under-18 count is suppressed (Weesp): said so
    assert "aantal jongeren 0–17 onderdrukt voor 2022" in _rij(tabel, 2022)
    # both definitions in one note
    assert "Twee cijfers, twee noemers. CBS:" in tabel and "0 tot en met 17 jaar" in tabel


def test_national_report_names_sources_per_year(
    rendered: dict[str, Path], rows: pd.DataFrame
) -> None:
    text = _tekst(rendered["NL01"])
    tabel = _tabel(text, "Jongeren met jeugdzorg in Nederland: CBS-percentage", NOOT_EINDE)
    for jaar, bron in ((2019, "84590NED"), (2020, "84860NED"), (2021, "85052NED")):
        noemer = _waarde(rows, "bevolking_0_17", "NL01", jaar)
        assert noemer["bron"] == bron
        aantal = _waarde(rows, "jongeren_met_jeugdzorg", "NL01", jaar)["waarde"]
        cbs = _waarde(rows, "jongeren_met_jeugdzorg_relatief_cbs", "NL01", jaar)["waarde"]
        rij = _rij(tabel, jaar)
        assert getal(aantal) in rij and getal(cbs, 1) in rij, rij
        assert getal(1000 * aantal / noemer["waarde"], 1) in rij, rij
        assert f"({bron}), peildatum gemeentefonds {jaar}" in rij, rij
    assert "469\u202f705" in _rij(tabel, 2021) and "489\u202f895" in _rij(tabel, 2023)
    assert "geen cijfer per 1\u202f000" in _rij(tabel, 2015)  # before the Maatstaven years
    # the denominator CBS's percentage implies (latest year with both), beside the 0-17 count
    aantal = _waarde(rows, "jongeren_met_jeugdzorg", "NL01", 2022)["waarde"]
    pct = _waarde(rows, "jongeren_met_jeugdzorg_relatief_cbs", "NL01", 2022)["waarde"]
    noemer = _waarde(rows, "bevolking_0_17", "NL01", 2022)["waarde"]
    assert (
        f"In 2022 komt het CBS-percentage overeen met een noemer van ongeveer "
        f"{getal(round(aantal / (pct / 100), -3))} jongeren, tegen {getal(noemer)} inwoners van "
        "0 tot en met 17 jaar: het CBS rekent dus met een ruimere leeftijdsgroep."
    ) in text


def test_national_cbs_in_natura_percentages(rendered: dict[str, Path], rows: pd.DataFrame) -> None:
    """82972NED's own percentages (2015–2020) stand in the national report with their
    definition; without a project figure beside them (jeugdhulp is not in the real files)
    the note says so."""
    text = _tekst(rendered["NL01"])
    tabel = _tabel(text, "Jeugdzorg in natura in Nederland: CBS-percentages", "zie hierboven).")
    pct = {
        ind: _waarde(rows, ind, "NL01", 2020)["waarde"]
        for ind in ("jeugdhulp_in_natura_pct_cbs", "jeugdreclassering_pct_cbs")
    }
    rij = _rij(tabel, 2020)
    assert rij.startswith(getal(pct["jeugdhulp_in_natura_pct_cbs"], 1)), rij
    assert rij.rstrip().endswith(getal(pct["jeugdreclassering_pct_cbs"], 1)), rij
    assert "bij jeugdreclassering 12 tot 23 jaar" in tabel
    assert "Zonder eigen cijfer naast het CBS-percentage: jongeren met jeugdhulp" in tabel


def test_skipped_indicators_named_with_the_builds_reason(
    rendered: dict[str, Path], real_jeugd_processed
) -> None:
    _, report = real_jeugd_processed
    skipped = {s["indicator"]: s["tekst"] for s in report.skipped if s["tabel"] == "85099NED"}
    assert "jongeren_met_jeugdhulp_zonder_verblijf" in skipped
    for code, path in rendered.items():
        text = _tekst(path)
        assert "Niet in deze gegevensset." in text, code
        for tekst in skipped.values():
            assert tekst in text, (code, tekst)
    # where the jeugdhulp map would be, the reason stands instead of only "geen gegevens"
    gem = _tekst(rendered["GM0363"])
    einde = gem.index("Over deze cijfers Onderdrukte cijfers")
    kaart = gem[gem.rindex(" Kaart ", 0, einde) : einde]
    assert "Jongeren met jeugdhulp: niet gebouwd uit de CBS-tabellen (niet gevonden in" in kaart


def test_jeugdregio_cbs_figure_beside_members_sum(
    rendered: dict[str, Path], rows: pd.DataFrame, real_jeugd_processed
) -> None:
    cfg, _ = real_jeugd_processed
    text = _tekst(rendered["JZ13"])
    titel = "Jongeren met jeugdzorg in de jeugdregio Amsterdam-Amstelland: CBS-cijfer"
    tabel = _tabel(text, titel, "gemeenten als noemer).")
    indeling = pd.read_parquet(cfg.data_dir / "processed" / "regio_indeling.parquet")
    jz13 = indeling[
        (indeling["jaar"] == 2023)
        & (indeling["indeling"] == "jeugdregio")
        & (indeling["regio_code"] == "JZ13")
    ]["gemeente_code"]
    assert len(set(jz13)) == 6
    leden = rows[
        (rows["indicator"] == "jongeren_met_jeugdzorg")
        & rows["regio_code"].isin(set(jz13))
        & (rows["jaar"] == 2021)
    ]
    som = leden.sort_values("berekend").drop_duplicates("regio_code")["waarde"].sum()
    cbs = _waarde(rows, "jongeren_met_jeugdzorg", "JZ13", 2021)
    assert not cbs["berekend"]
    rij = _rij(tabel, 2021)
    assert getal(cbs["waarde"]) in rij and getal(som) in rij, rij
    assert f"−{getal(abs(cbs['waarde'] - som))}" in rij, rij
    assert "onderdrukte gemeentecijfers" in tabel and "afrondt" in tabel
    assert "anders samengesteld" in tabel  # Weesp joined Amsterdam in 2022
    assert "kiest niet stilzwijgend" in tabel


def test_trend_break_marked(rendered: dict[str, Path]) -> None:
    for code in ("GM0363", "NL01"):
        assert "Trendbreuk tussen 2020 en 2021" in _tekst(rendered[code]), code
    # the trend charts (jeugdzorg, as jeugdhulp is not in the real files) say where it lies
    gem = _tekst(rendered["GM0363"])
    ontwikkeling = gem[gem.index("Ontwikkeling sinds 2015 Jongeren") :]
    assert "Figuur: jongeren met jeugdzorg per 1\u202f000 jongeren" in ontwikkeling
    assert "De stippellijn 'trendbreuk' markeert de overgang" in ontwikkeling
    nl = _tekst(rendered["NL01"])
    ontwikkeling = nl[nl.index("Ontwikkeling sinds 2015 Jongeren") :]
    assert "de jaren voor en na de trendbreuk zijn niet vergelijkbaar" in ontwikkeling


@pytest.mark.browser
def test_screenshot_of_real_gemeente_report(rendered: dict[str, Path], browser, tmp_path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(rendered["GM0363"].as_uri())
    assert "Amsterdam" in browser.title
    caption = next(
        c for c in browser.find_elements(By.TAG_NAME, "caption") if "CBS-percentage naast" in c.text
    )
    browser.execute_script("arguments[0].scrollIntoView()", caption)
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "CBS: % jongeren met jeugdzorg" in body and "85052NED" in body
    shot = _screenshot(browser, tmp_path, "echt-gemeente-amsterdam.png")
    assert shot.is_file() and tmp_path in shot.parents
    _assert_offline_and_clean(browser, "real Amsterdam report")
