"""Chapter "Budget en tekorten" on Demoland: the three report notebooks rendered by the batch
engine, the chapter's figures and sentences, and what it says without data or budget file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import store
from analysis.indicators import budget as bi
from analysis.report.chapters import budget
from analysis.report.chapters.budget import teksten
from analysis.report.engine import ReportJob, run_batch
from analysis.report.jobs import notebook
from analysis.report.params import param_catalog, validate_report_params

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(demoland):
    root, _ = demoland
    df = pd.read_parquet(root / "processed" / "indicators.parquet")
    mem = pd.read_parquet(root / "processed" / "regio_indeling.parquet")
    return root, df, mem


@pytest.fixture()
def shown(monkeypatch) -> list[str]:
    import IPython.display

    out: list[str] = []
    monkeypatch.setattr(
        IPython.display,
        "display",
        lambda *objs, **_kw: out.extend(getattr(o, "data", None) or str(o) for o in objs),
    )
    return out


def _text(parts: list[str]) -> str:
    html = "\n".join(parts)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _ctx(root: Path, kind: str, code: str | None, jaar: int = 2025):
    return store.report_context(kind, code, jaar, None, root, "demoland")


def _section(html: str) -> str:
    """The chapter 4 part of a rendered report."""
    start = html.rindex("4. Budget en tekorten")  # the heading, after the table of contents
    end = html.find("5. Stapeling", start)
    return html[start:end]


def test_chapter_in_all_three_rendered_reports(demo, tmp_path) -> None:
    root, _, mem = demo
    jz = mem[(mem["indeling"] == "jeugdregio") & (mem["jaar"] == mem["jaar"].max())]
    regio, gemeente = jz["regio_code"].iat[0], jz["gemeente_code"].iat[0]
    catalog = param_catalog(root)
    common = {"jaar": 2025, "indeling_jaar": None, "data_dir": str(root), "profiel": "demoland"}
    specs = [
        ("nederland", "NL01", {}),
        ("jeugdregio", regio, {"regio": regio}),
        ("gemeente", gemeente, {"gemeente": gemeente, "vergelijkingsgroep": "grootteklasse"}),
    ]
    jobs = [
        ReportJob(kind, code, notebook(kind), validate_report_params(kind, {**common, **extra},
                  catalog), tmp_path / f"{code}.html", code, "")
        for kind, code, extra in specs
    ]  # fmt: skip
    summary = run_batch(
        jobs, workers=1, resume=False, progress=False, data_dir=root, reports_dir=tmp_path
    )
    assert summary.exit_code == 0, summary.format()
    for kind, code, _ in specs:
        sec = _section((tmp_path / f"{code}.html").read_text(encoding="utf-8"))
        assert "nog niet gebouwd" not in sec.lower() and "Traceback" not in sec
        assert "Begrotingsafwijking" in sec and "niet</strong> van het budget" in sec
        assert "Tekort ten opzichte van het rijksbudget" in sec
        if kind != "gemeente" or "geen kosten voor jeugdzorg" not in sec:
            assert "data:image/png;base64" in sec, kind  # a chart or map
        assert "Synthetische gegevens (Demoland)" in sec or "synthetische gegevens" in sec


def test_national_chapter_shows_coverage_map_and_every_region(demo, shown) -> None:
    root, df, mem = demo
    ctx = _ctx(root, "nederland", None)
    budget.nederland(ctx)
    out = _text(shown)
    # realised cost of 2025 is not known yet: the chapter shows 2024 and says so
    assert "Voor 2025 zijn er nog geen gerealiseerde kosten; dit hoofdstuk toont 2024." in out
    gm = df[
        (df["indicator"] == bi.REALISATIE)
        & (df["regio_niveau"] == "gemeente")
        & (df["indeling_jaar"] == ctx.indeling_jaar)
        & (df["jaar"] == 2024)
    ]
    n = int(gm["waarde"].notna().sum())
    assert f"Dekking: {n} van de {len(ctx.gemeenten)} gemeenten leverden kosten" in out
    for naam in ctx.leden["regio_naam"].unique():
        assert naam in out
    assert out.count("Gearceerd grijs") == 1
    assert "Gemeenten boven hun begroting sinds 2015" in out


def test_jeugdregio_verevening_table_both_keys_and_zero_sum(demo, shown) -> None:
    root, df, mem = demo
    ctx = _ctx(root, "jeugdregio", "JZ93")
    budget.jeugdregio(ctx)
    out = _text(shown)
    assert "Verevening in de jeugdregio (simulatie)" in out
    assert "betaalt" in out and "ontvangt" in out and "Saldo sleutel verwachte kosten" in out
    assert "Positie 2022" in out  # the latest year with Maatstaven (Demoland: 2018-2022)
    # Demoland: per region and year the saldi sum to zero under both keys
    for ind in ("verevening_saldo_jongeren", "verevening_saldo_verwacht"):
        s = df[(df["indicator"] == ind) & (df["indeling_jaar"] == df["jaar"])]
        m = mem[mem["indeling"] == "jeugdregio"][["jaar", "gemeente_code", "regio_code"]]
        s = s.merge(m.rename(columns={"regio_code": "jz", "gemeente_code": "regio_code"}),
                    on=["jaar", "regio_code"])  # fmt: skip
        sums = s.groupby(["jaar", "jz"])["waarde"].sum()
        assert len(sums) > 4 and np.allclose(sums.to_numpy(), 0.0, atol=1e-6), ind


def test_gemeente_sentences_and_one_sentence_without_data(demo, shown) -> None:
    root, df, _ = demo
    ij = int(df["indeling_jaar"].max())
    real = df[
        (df["indicator"] == bi.REALISATIE)
        & (df["regio_niveau"] == "gemeente")
        & (df["indeling_jaar"] == ij)
        & (df["jaar"] == 2024)
    ]
    met = real.loc[real["waarde"].notna(), "regio_code"].iat[0]
    zonder = real.loc[real["waarde"].isna(), "regio_code"].iat[0]
    budget.gemeente(_ctx(root, "gemeente", met))
    out = _text(shown)
    assert "In 2024 waren de gerealiseerde kosten voor jeugdzorg van" in out
    assert "Volgens het kostenmodel voor 2022 (een schatting)" in out
    assert re.search(r"(boven|binnen|onder)\s*het interval", out)
    assert "Nederland" in out and "In de simulatie van regionale verevening (2024)" in out
    shown.clear()
    ctx = _ctx(root, "gemeente", zonder)
    budget.gemeente(ctx)
    out = _text(shown)
    assert teksten.NIET_GELEVERD.format(naam=ctx.naam, jaar=2024) in out
    assert "base64" not in "".join(shown)  # no empty charts


def test_without_a_budget_file_the_deficit_cannot_be_made(demo, shown, tmp_path) -> None:
    root, _, _ = demo
    copy = tmp_path / "data"
    shutil.copytree(root / "processed", copy / "processed")
    (copy / "processed" / "lokaal" / "budget.parquet").unlink()
    ctx = store.report_context("gemeente", "GM9002", 2025, None, copy, "demoland")
    budget.gemeente(ctx)
    out = _text(shown)
    assert teksten.TEKORT_NIET_MOGELIJK.format(wie=ctx.naam) in out
    assert "Ten opzichte van het rijksbudget voor jeugd" not in out


def test_model_size_and_fit_come_from_the_stored_predictions_as_a_refit_gives(demo) -> None:
    """The report states n and R² of each year's model without refitting (no statsmodels in a
    report kernel): recomputed from the build's stored predictions they equal a refit."""
    import importlib

    from analysis.indicators import budget_stap

    bg = importlib.import_module("analysis.report.chapters.budget.gegevens")

    root, _, _ = demo
    b = bg.gegevens(_ctx(root, "nederland", None))
    assert b.model_jaren, "Demoland has Maatstaven, so at least one model year"
    for jaar in b.model_jaren:
        fit, _ = budget_stap.fit_jaar(b.df, b.kosten, b.indeling_jaar, jaar)
        got = b.model(jaar)
        assert got.n == fit.n and got.n > 20
        assert got.r2 == pytest.approx(fit.r2, abs=1e-9)
