"""Chapter "Wachttijden en toegang" on Demoland (fetched with cbsodata, built, example local data
published by ``demo-data``) and on Testland (no access tables): what a reader sees."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from analysis import localdata, store
from analysis.report.chapters import catalogus, toegang
from analysis.report.chapters.toegang import teksten

from . import fixtures

matplotlib.use("Agg")


@pytest.fixture()
def shown(monkeypatch) -> list[str]:
    import IPython.display

    out: list[str] = []

    def capture(*objs, **_kw):
        for o in objs:
            out.append(getattr(o, "data", None) or str(o))

    monkeypatch.setattr(IPython.display, "display", capture)
    return out


def _text(shown: list[str]) -> str:
    return re.sub(r"data:image/png;base64,[^\"]+", "IMG", "\n".join(shown))


@pytest.fixture(scope="module")
def demo(demoland):
    root, _ = demoland
    mem = pd.read_parquet(root / "processed" / "regio_indeling.parquet")
    ij = int(mem["jaar"].max())
    jz = mem[(mem["indeling"] == "jeugdregio") & (mem["jaar"] == ij)]
    return root, ij, jz


def _ctx(root: Path, kind: str, code: str | None):
    return store.report_context(kind, code, 2025, None, root, "demoland")


def test_registered_as_built_chapter_three() -> None:
    h = catalogus.chapter("wachttijden")
    assert h.status == "built" and h.titel == "Wachttijden en toegang"
    assert h.entries["gemeente"] == "toegang.gemeente"
    assert [n for n, c in catalogus.numbered() if c.id == "wachttijden"] == [3]
    from analysis.report import chapters

    for kind in catalogus.KINDS:  # the notebooks call chapters.toegang.<kind>(ctx)
        assert catalogus.entry_function(h.entry(kind)) is getattr(chapters.toegang, kind)


@pytest.mark.parametrize(("kind", "code"), [("nederland", None), ("jeugdregio", "JZ92"),
                                            ("gemeente", "GM9005")])  # fmt: skip
def test_chapter_renders_in_all_three_reports(demo, shown, kind, code) -> None:
    root, _, _ = demo
    getattr(toegang, kind)(_ctx(root, kind, code))
    out = _text(shown)
    assert "Er bestaan geen landelijke gegevens over wachttijden in de jeugdzorg" in out
    assert "geen wachttijd" in out and "Duur van beëindigde trajecten" in out
    assert "circa 80% (NVRR 2017)" in out  # the GP reference beside the referral mix
    assert "30 juni 2025" in out and "31 december 2024" in out  # reference dates in Dutch
    assert "Jeugdbescherming: begonnen per 1\u202f000 jongeren" in out
    if kind == "gemeente":  # the trend as a table and one map (cheap for 342 reports)
        assert "Duur van beëindigde trajecten in dagen (geen wachttijd), per jaar" in out
        assert out.count("IMG") == 1
    else:
        assert out.count("IMG") == 3  # duration trend and two maps
    assert "85097NED" in out and "85094NED" in out


def test_provider_file_renders_in_region_and_member_reports(demo, shown) -> None:
    root, ij, jz = demo
    records = localdata.read_published(root / "processed", "wachttijden")
    prov = records[records["aanbieder"].notna()]
    assert set(prov["code"]) >= {"JZ91"}  # the example provider file for one region
    member = sorted(set(jz.loc[jz["regio_code"] == "JZ91", "gemeente_code"]) - {"GM9004"})[0]
    for kind, code in (("jeugdregio", "JZ91"), ("gemeente", member)):
        shown.clear()
        getattr(toegang, kind)(_ctx(root, kind, code))
        out = _text(shown)
        part = out.split("Wachttijden uit lokale bronnen")[1]
        assert teksten.LOKALE_BRON in part
        assert "Mediaan van aanbieders" in part and "géén regionaal gemiddelde" in part
        assert "30 september 2025" in part  # the date
        assert "4,5 weken – 14 weken" in part  # the spread (Jeugd-GGZ, median waiting time)
        assert "3 van 4" in part  # providers with a figure of all providers in the region
        assert "Kustkompas" in part and "De Duinhoeve" in part  # the sources
        assert "Weken van aanmelding tot eerste behandelcontact" in part  # their definition
        assert teksten.GEEN_LOKAAL not in part
        assert "sluitende afspraken over wachtlijsten" in part  # building blocks with source
        assert "Regionale Agenda Jeugd 2025-2028 West-Demokust" in part


def test_region_without_file_says_none_was_supplied(demo, shown) -> None:
    root, _, jz = demo
    records = localdata.read_published(root / "processed", "wachttijden")
    mine = set(jz.loc[jz["regio_code"] == "JZ94", "gemeente_code"]) | {"JZ94"}
    assert not set(records["code"]) & mine
    toegang.jeugdregio(_ctx(root, "jeugdregio", "JZ94"))
    out = _text(shown)
    assert teksten.GEEN_LOKAAL in out
    assert "Wachttijden per aanbieder" not in out


def test_gemeente_record_shows_source_and_date(demo, shown) -> None:
    root, _, _ = demo
    toegang.gemeente(_ctx(root, "gemeente", "GM9005"))
    out = _text(shown).split("Wachttijden uit lokale bronnen")[1]
    assert "Raadsinformatiebrief wachttijden jeugdhulp" in out
    assert "10 juli 2025" in out and "30 juni 2025" in out  # source date and peildatum
    assert "gemiddelde wachttijd: 6 weken" in out


def test_region_columns_are_recomputed_with_coverage(demo, shown) -> None:
    root, _, _ = demo
    toegang.gemeente(_ctx(root, "gemeente", "GM9005"))
    out = _text(shown)
    kern = out.split("Toegang tot jeugdhulp in natura")[1].split("</table>")[0]
    assert "Jeugdregio" in kern and "Nederland" in kern and "Gemeenten met" in kern
    assert re.search(r"\(\d+ van \d+\)", out)  # coverage where not all gemeenten publish


def test_year_before_the_series_uses_its_first_year_and_says_so(demo, shown) -> None:
    root, _, _ = demo
    ctx = store.report_context("gemeente", "GM9005", 2019, None, root, "demoland")
    toegang.gemeente(ctx)
    out = _text(shown)
    assert "De CBS-cijfers in dit hoofdstuk gaan over 2021: over 2019 publiceert" in out
    assert "Toegang tot jeugdhulp in natura, 2021" in out
    shown.clear()
    toegang.gemeente(_ctx(root, "gemeente", "GM9005"))
    assert "De CBS-cijfers in dit hoofdstuk gaan over" not in _text(shown)


def test_chapter_without_access_tables_says_so(tmp_path, shown) -> None:
    d = fixtures.write_dataset(tmp_path)
    for kind, code in (("nederland", None), ("jeugdregio", "JZ91"), ("gemeente", "GM9003")):
        shown.clear()
        getattr(toegang, kind)(fixtures.context(d, kind, code))
        out = _text(shown)
        assert "Er bestaan geen landelijke gegevens over wachttijden" in out
        assert "(nog) geen gegevens beschikbaar" in out
        assert "geen lokale wachttijdgegevens aangeleverd" in out


@pytest.mark.slow
def test_full_reports_render_the_chapter(demoland, tmp_path) -> None:
    """The three real notebooks on Demoland through the report engine."""
    from analysis.report import jobs as report_jobs
    from analysis.report.engine import run_batch

    root, _ = demoland
    mp = pytest.MonkeyPatch()
    mp.setenv("ANALYSIS_DEMO_DIR", str(root))
    mp.setenv("ANALYSIS_REPORTS_DIR", str(tmp_path))
    try:
        plan = report_jobs.plan("demoland")
        wanted = [
            next(j for j in plan.jobs if j.kind == "nederland"),
            next(j for j in plan.jobs if j.kind == "jeugdregio" and j.code == "JZ91"),
            next(j for j in plan.jobs if j.kind == "gemeente" and j.code == "GM9005"),
        ]
        summary = run_batch(wanted, workers=1, resume=False, progress=False,
                            data_dir=plan.cfg.data_dir, reports_dir=plan.cfg.reports_dir)  # fmt: skip
    finally:
        mp.undo()
    assert summary.exit_code == 0, summary.format()
    for job in wanted:
        html = Path(job.out_html).read_text(encoding="utf-8")
        assert "3. Wachttijden en toegang" in html
        assert "Er bestaan geen landelijke gegevens over wachttijden" in html
        assert "Duur van beëindigde trajecten" in html
        assert "lokale bron, geen CBS-cijfer" in html


@pytest.mark.slow
def test_warm_kernel_equals_isolated_run_on_demoland(demo, tmp_path) -> None:
    """The chapter's shared caches (gemeente tables, provider summaries, map bases) never leak
    one report into another: a gemeente rendered after its region and a neighbour in one warm
    kernel equals its isolated run."""
    from analysis.config import project_root
    from analysis.report.engine import ReportJob

    from .test_engine import _assert_equals_isolated_run, _run_in_one_warm_kernel

    root, _, jz = demo
    reports = tmp_path / "reports"
    common = {"jaar": 2025, "indeling_jaar": None, "data_dir": str(root), "profiel": "demoland"}
    members = sorted(jz.loc[jz["regio_code"] == "JZ91", "gemeente_code"])[:2]

    def job(kind: str, code: str, params: dict) -> ReportJob:
        return ReportJob(
            kind=kind,
            code=code,
            notebook=project_root() / "notebooks" / f"{kind}.ipynb",
            params={**common, **params},
            out_html=reports / "demoland" / kind / f"{code}.html",
            title=code,
            group="JZ91",
        )

    jobs = [job("jeugdregio", "JZ91", {"regio": "JZ91"})]
    jobs += [job("gemeente", c, {"gemeente": c, "vergelijkingsgroep": "grootteklasse"})
             for c in members]  # fmt: skip
    warm_dir = tmp_path / "warm"
    _run_in_one_warm_kernel(jobs, root, reports, warm_dir)
    html = _assert_equals_isolated_run(jobs[-1], root, warm_dir, tmp_path / "ref")
    assert "Wachttijden per aanbieder" in html
