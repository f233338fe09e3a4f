"""Reports rendered from real data: the KWB 2020 recording (via cbsodata) + real boundaries."""

from __future__ import annotations

import re

import pytest

from analysis.report.engine import ReportJob, run_batch
from analysis.report.export import assert_self_contained
from analysis.report.jobs import notebook
from analysis.report.params import param_catalog, validate_report_params

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rendered(real_processed, tmp_path_factory) -> dict[str, str]:
    cfg, _ = real_processed
    out = tmp_path_factory.mktemp("real_reports")
    catalog = param_catalog(cfg.data_dir)
    common = {"jaar": 2020, "indeling_jaar": 2023, "data_dir": str(cfg.data_dir), "profiel": "cbs"}
    specs = [
        ("nederland", "NL01", {}),
        ("jeugdregio", "JZ13", {"regio": "JZ13"}),
        ("gemeente", "GM0363", {"gemeente": "Amsterdam", "vergelijkingsgroep": "grootteklasse"}),
        ("gemeente", "GM0363-rekenkamer", {"gemeente": "GM0363", "editie": "rekenkamer"}),
    ]
    jobs = []
    for kind, code, extra in specs:
        params = validate_report_params(kind, {**common, **extra}, catalog)
        nb = notebook(kind, params.get("editie", "standaard"))
        jobs.append(ReportJob(kind, code, nb, params, out / f"{code}.html", code, ""))
    summary = run_batch(
        jobs, workers=2, resume=False, progress=False, data_dir=cfg.data_dir, reports_dir=out
    )
    assert summary.exit_code == 0, summary.format()
    return {code: (out / f"{code}.html").read_text(encoding="utf-8") for _, code, _ in specs}


def test_reports_are_self_contained_dutch_html(rendered: dict[str, str]) -> None:
    for code, html in rendered.items():
        assert_self_contained(html)
        assert '<html lang="nl"' in html, code
        assert "In [" not in html and "injected-parameters" not in html
        assert "Traceback" not in html


def test_footer_cites_the_recorded_cbs_snapshot(rendered: dict[str, str]) -> None:
    for html in rendered.values():
        assert "84799NED" in html
        assert "Kerncijfers wijken en buurten 2020" in html
        assert "2021-03-26" in html  # TableInfos.Modified of the recording
        assert "Synthetische gegevens" not in html


def test_real_names_and_missing_youth_care_said_plainly(rendered: dict[str, str]) -> None:
    assert "Amsterdam" in rendered["GM0363"]
    assert "Amsterdam-Amstelland" in rendered["JZ13"]
    # The recording holds no youth-care figures: the reports say so instead of inventing them
    for html in rendered.values():
        text = re.sub(r"<[^>]+>", " ", html)
        assert "geen gegevens" in text.lower()


def test_population_of_region_as_in_processed_data(
    rendered: dict[str, str], real_processed
) -> None:
    """The national profile table shows each region's population, with Dutch digit groups."""
    import pandas as pd

    _, out = real_processed
    df = pd.read_parquet(out / "indicators.parquet")
    jz13 = df[
        (df.regio_code == "JZ13")
        & (df.indicator == "bevolking_totaal")
        & (df.indeling_jaar == 2023)
    ].waarde.item()
    digits = f"{int(jz13):,}".split(",")
    assert re.search(r"[\s\u202f\u00a0.]".join(digits), rendered["NL01"]), jz13
    assert "42 jeugdregio's" in rendered["NL01"] and "342 gemeenten" in rendered["NL01"]


def test_maps_embedded(rendered: dict[str, str]) -> None:
    for code, html in rendered.items():
        assert html.count("data:image/png;base64,") >= 1, code


def test_rekenkamer_edition_on_real_boundaries(rendered: dict[str, str]) -> None:
    """All nine sections for Amsterdam from the real recording; what the recording lacks is
    said in a sentence (no goals file: the template)."""
    html = rendered["GM0363-rekenkamer"]
    heads = [re.sub(r"<[^>]+>|¶", "", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html)]
    assert heads[:9] == [
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
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Jeugdzorg in Amsterdam: rekenkamereditie" in text
    assert "Amsterdam-Amstelland" in text
    assert "Voor Amsterdam is geen lokaal doelenbestand vastgelegd" in text
    assert "niet meetbaar met landelijke gegevens" in text
