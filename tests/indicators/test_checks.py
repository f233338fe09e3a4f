"""Validation checks (``analysis.indicators.checks``) and ``python -m analysis validate`` on
Demoland, and a deliberately altered input that makes an exact check fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import registry
from analysis.cli import main
from analysis.indicators import checks


def test_checks_table_on_demoland(demoland) -> None:
    root, _run = demoland
    uitkomsten = checks.run_checks(root, profiel="demoland")
    assert [u.controle.id for u in uitkomsten] == [c.id for c in checks.CONTROLES]
    status = {u.controle.id: u.status for u in uitkomsten}
    # the structural checks run on any data set and pass on a correct build
    for cid in ("witte_vlekken", "regio_som", "jeugdzorg_elk_jaar", "gemeenten_per_jaar"):
        assert status[cid] == checks.VOLDOET, (cid, uitkomsten)
    # the reference values of the real Netherlands are not checkable on synthetic data
    echt = [u for u in uitkomsten if u.controle.echt_nederland]
    assert echt and all(u.status == checks.NIET_TOETSBAAR for u in echt)
    assert all("Demoland" in u.toelichting for u in echt)
    som = next(u for u in uitkomsten if u.controle.id == "regio_som")
    n_gelijk, n_totaal = (int(x) for x in som.berekend.split(" gelijk")[0].split(" van "))
    assert n_gelijk == n_totaal > 0
    t = checks.tabel(uitkomsten)
    assert list(t.columns) == [
        "Controle",
        "Referentie",
        "Bron",
        "Soort",
        "Marge",
        "Berekend",
        "Uitkomst",
        "Toelichting",
    ]
    assert set(t["Uitkomst"]) <= set(checks.STATUSSEN)
    assert checks.exit_code(uitkomsten) == 0
    assert len(checks.inconsistenties_tabel()) == len(checks.BEKENDE_INCONSISTENTIES) == 8


def test_validate_command_on_demoland(demoland, monkeypatch, capsys) -> None:
    root, _run = demoland
    monkeypatch.setenv("ANALYSIS_DEMO_DIR", str(root))
    assert main(["validate", "--profiel", "demoland"]) == 0
    out = capsys.readouterr().out
    assert "[voldoet] Elke gemeente in precies één jeugdregio" in out
    assert "[niet toetsbaar] Aantal gemeenten in 2015" in out
    assert "'79 procent'" in out


def _altered_copy(root: Path, tmp: Path) -> Path:
    """A copy of Demoland's processed layer with one gemeente value of a summed indicator
    changed, so its jeugdregio no longer equals the sum of its members."""
    shutil.copytree(root / "processed", tmp / "processed")
    path = tmp / "processed" / "indicators.parquet"
    df = pd.read_parquet(path)
    som = {i.id for i in registry.INDICATORS if i.aggregatie == registry.SOM}
    regio = df[
        (df["regio_niveau"] == "jeugdregio")
        & df["berekend"]
        & df["indicator"].isin(som)
        & (df["dekking"] >= 1.0)
        & df["waarde"].notna()
    ].iloc[0]
    gm = df.index[
        (df["regio_niveau"] == "gemeente")
        & (df["indicator"] == regio["indicator"])
        & (df["periode"] == regio["periode"])
        & (df["indeling_jaar"] == regio["indeling_jaar"])
        & df["waarde"].notna()
    ]
    df.loc[gm, "waarde"] = df.loc[gm, "waarde"] + 7
    df.to_parquet(path)
    return tmp


def test_altered_input_fails_exact_check(demoland, tmp_path, monkeypatch, capsys) -> None:
    root, _run = demoland
    altered = _altered_copy(root, tmp_path)
    uitkomsten = checks.run_checks(altered, profiel="demoland")
    som = next(u for u in uitkomsten if u.controle.id == "regio_som")
    assert som.status == checks.VOLDOET_NIET
    assert "≠ som" in som.toelichting
    assert checks.exit_code(uitkomsten) == 1
    monkeypatch.setenv("ANALYSIS_DEMO_DIR", str(altered))
    assert main(["validate", "--profiel", "demoland"]) == 1
    captured = capsys.readouterr()
    assert "[voldoet niet] Berekende jeugdregio = som van de gemeenten" in captured.out
    assert "exacte controle voldoet niet" in captured.err


def test_validate_without_data_names_the_command(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ANALYSIS_DEMO_DIR", str(tmp_path / "leeg"))
    assert main(["validate", "--profiel", "demoland"]) == 1
    assert "python -m analysis demo-data" in capsys.readouterr().err


def test_unknown_kind_of_check_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown soort 'ongeveer'.*exact, marge, plausibiliteit"):
        checks.Controle("x", "x", "x", "x", "ongeveer", "x", lambda g: ("", "", ""))


def test_validation_appendix_on_demoland(demoland, monkeypatch) -> None:
    """The national report's appendix shows the checks table and the inconsistencies; the
    regional and gemeente reports point to it."""
    import html
    import re

    import IPython.display

    from analysis import store
    from analysis.report.chapters import validatie

    shown: list[str] = []
    monkeypatch.setattr(
        IPython.display,
        "display",
        lambda *objs, **_kw: shown.extend(getattr(o, "data", None) or str(o) for o in objs),
    )
    root, _run = demoland
    jaar = int(store.load_indicators(root)["jaar"].max())
    ctx = store.report_context("nederland", None, jaar, None, root, "demoland")
    validatie.nederland(ctx)
    out = html.unescape(" ".join(shown))
    assert "<caption>Controles van de gegevens</caption>" in out
    n_rijen = re.search(r"Controles van de gegevens</caption>.*?<tbody>(.*?)</tbody>", out, re.S)
    assert n_rijen and n_rijen.group(1).count("<tr>") == len(checks.CONTROLES)
    n_struct = sum(not c.echt_nederland for c in checks.CONTROLES)
    n_echt = len(checks.CONTROLES) - n_struct
    assert f"Uitkomst: {n_struct} voldoen, 0 voldoen niet, {n_echt} niet toetsbaar" in out
    assert "Bekende inconsistenties in de beleidsdocumenten" in out and "'79 procent'" in out
    shown.clear()
    gm = store.report_context("gemeente", ctx.gemeenten[0], jaar, None, root, "demoland")
    validatie.gemeente(gm)
    assert "bijlage <em>Validatie</em> van het rapport voor Nederland" in " ".join(shown)
