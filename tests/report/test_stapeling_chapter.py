"""Chapter 5 "Stapeling van voorzieningen" on Demoland: the chapter functions (display captured)
and, slow, the three full reports rendered through the engine."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from analysis import store
from analysis.indicators import stapeling_data as sd
from analysis.report import text
from analysis.report.chapters import stapeling
from analysis.report.engine import ReportJob, run_batch
from analysis.report.jobs import notebook
from analysis.report.params import param_catalog, validate_report_params


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


def _tekst(shown: list[str]) -> str:
    t = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "IMG", " ".join(shown))
    return html.unescape(re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", t)))


def _latest(root) -> int:
    df = store.load_indicators(root)
    return int(df.loc[df.indicator.eq(sd.TOTAAL) & df.waarde.notna(), "jaar"].max())


def test_national_chapter(demoland, shown) -> None:
    root, _ = demoland
    jaar = _latest(root)
    ctx = store.report_context("nederland", None, jaar, None, root, "demoland")
    stapeling.nederland(ctx)
    out = _tekst(shown)
    rows = sd.breed(ctx.indicators, ctx.indeling_jaar).xs(jaar, level="jaar")
    assert f"hadden in Nederland {text.getal(rows[sd.TOTAAL].sum())} huishoudens" in out
    assert "Combinaties van wetten" in out and "alleen Wmo" in out
    assert "andere sectoren en regelingen" in out  # SCP/Nijmegen only as context
    assert "benadering" in out and "voor 2020 zijn er geen cijfers" in out
    assert "Grijs: geen cijfers (2020)" in out
    assert " ".join(shown).count("data:image/png") >= 4  # map, concentration, two trend charts
    assert "synthetische gegevens (Demoland)" in out and "Samenloop binnen de jeugdzorg" in out


def test_jeugdregio_chapter_members_side_by_side(demoland, shown) -> None:
    root, _ = demoland
    jaar = _latest(root)
    ctx0 = store.report_context("nederland", None, jaar, None, root, "demoland")
    code = ctx0.leden["regio_code"].iloc[0]
    ctx = store.report_context("jeugdregio", code, jaar, None, root, "demoland")
    stapeling.jeugdregio(ctx)
    out = _tekst(shown)
    leden = ctx.leden[ctx.leden.regio_code.eq(code)]
    assert all(n in out for n in leden["gemeente_naam"])
    assert "loopt tussen de gemeenten uiteen van" in out


def test_gemeente_chapter_wijken_with_suppression(demoland, shown) -> None:
    root, _ = demoland
    jaar = _latest(root)
    wijken = pd.read_parquet(root / "processed" / "wijken.parquet")
    sel = wijken[
        wijken.jaar.eq(jaar)
        & wijken.periode_type.eq("jaar")
        & wijken.indicator.eq(sd.TOTAAL)
        & wijken.onderdrukt
    ]
    code = sel["gemeente_code_ref"].iloc[0]
    ctx = store.report_context("gemeente", code, jaar, None, root, "demoland")
    stapeling.gemeente(ctx)
    out = _tekst(shown)
    assert f"Wijken van {ctx.naam}, {jaar}" in out
    assert "onderdrukt" in out and "Het gemeentecijfer komt altijd uit de gemeenterij" in out
    assert "vergelijkbare gemeenten" in out and f"jeugdregio {ctx.regio_naam}" in out
    assert "Controle " + ctx.naam in out  # the sum check of the combinations, in words
    assert "Ontwikkeling sinds 2015" in out and "geen CBS-tabel (2020)" in out


@pytest.mark.slow
def test_chapter_renders_in_all_three_reports(demoland, tmp_path) -> None:
    root, _ = demoland
    jaar = _latest(root)
    catalog = param_catalog(root)
    common = {"jaar": jaar, "indeling_jaar": None, "data_dir": str(root), "profiel": "demoland"}
    ctx = store.report_context("nederland", None, jaar, None, root, "demoland")
    regio = ctx.leden["regio_code"].iloc[0]
    gemeente = ctx.leden["gemeente_code"].iloc[0]
    specs = [
        ("nederland", "NL01", {}),
        ("jeugdregio", regio, {"regio": regio}),
        ("gemeente", gemeente, {"gemeente": gemeente, "vergelijkingsgroep": "grootteklasse"}),
    ]
    jobs = []
    for kind, code, extra in specs:
        params = validate_report_params(kind, {**common, **extra}, catalog)
        jobs.append(
            ReportJob(kind, code, notebook(kind), params, tmp_path / f"{code}.html", code, "")
        )
    summary = run_batch(
        jobs, workers=2, resume=False, progress=False, data_dir=root, reports_dir=tmp_path
    )
    assert summary.exit_code == 0, summary.format()
    for _, code, _ in specs:
        page = html.unescape((tmp_path / f"{code}.html").read_text(encoding="utf-8"))
        assert "5. Stapeling van voorzieningen" in page and "Traceback" not in page
        hoofdstuk = page[
            page.rindex("5. Stapeling van voorzieningen") :
        ]  # the heading, not the contents list
        assert "Kerncijfers stapeling" in hoofdstuk and "Concentratie" in hoofdstuk
        assert "Er staan nog geen resultaten in." not in hoofdstuk


def test_warm_memo_gives_the_same_chapter_as_a_cold_render(demoland, shown) -> None:
    """Dataset-wide frames are memoised per data version: a gemeente rendered after others
    (warm) shows exactly what it shows rendered alone (cold)."""
    from analysis.report import figures

    root, _ = demoland
    jaar = _latest(root)
    ctx0 = store.report_context("nederland", None, jaar, None, root, "demoland")
    a, b = ctx0.leden["gemeente_code"].iloc[0], ctx0.leden["gemeente_code"].iloc[-1]
    stapeling.nederland(ctx0)
    stapeling.gemeente(store.report_context("gemeente", a, jaar, None, root, "demoland"))
    shown.clear()
    stapeling.gemeente(store.report_context("gemeente", b, jaar, None, root, "demoland"))
    warm = list(shown)
    store._CLASSIFICATION.clear()
    figures.clear_bases()
    shown.clear()
    stapeling.gemeente(store.report_context("gemeente", b, jaar, None, root, "demoland"))
    assert shown == warm and len(warm) == 1
