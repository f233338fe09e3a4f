"""The rekenkamer edition of the gemeente report (issue 16 items 1 and 3) on Demoland: the
``editie`` parameter in the one validator, the generated notebook, the sections with and
without a local goals file, a malformed goals file named by file, line and field, and (slow)
the edition rendered through the batch engine next to the standard report."""

from __future__ import annotations

import csv
import dataclasses
import html
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from analysis import localdata, store
from analysis.config import project_root
from analysis.report import notebooks
from analysis.report.chapters import catalogus, rekenkamer
from analysis.report.engine import run_batch
from analysis.report.jobs import plan, render_single
from analysis.report.params import ParameterError, param_catalog, validate_report_params
from analysis.validation import check_notebook_editie

EXAMPLES = project_root() / "data" / "registry" / "voorbeeld"
MET_DOELEN = "GM9001"  # Biezenberg: the committed example goals file
SECTIES = [
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


def _tekst(parts: list[str] | str) -> str:
    t = parts if isinstance(parts, str) else " ".join(parts)
    t = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "IMG", t)
    t = re.sub(r"<style.*?</style>", " ", t, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", t)))


def _zonder_doelen(root: Path) -> str:
    cat = param_catalog(root)
    codes = sorted(cat.gemeenten[cat.latest_indeling()])
    return next(c for c in codes if c != MET_DOELEN)


# ---- parameter, notebook, declaration -----------------------------------------------------


def test_editie_is_checked_by_the_one_validator(demoland) -> None:
    root, _ = demoland
    cat = param_catalog(root)
    ok = validate_report_params("gemeente", {"gemeente": MET_DOELEN, "editie": "rekenkamer"}, cat)
    assert ok["editie"] == "rekenkamer"
    with pytest.raises(ParameterError) as err:
        validate_report_params("gemeente", {"gemeente": MET_DOELEN, "editie": "rekenkamr"}, cat)
    assert str(err.value) == (
        "onbekende editie 'rekenkamr' (bedoelde u 'rekenkamer'?); geldig: standaard, rekenkamer"
    )
    with pytest.raises(ParameterError, match="onbekende parameter.*'editie'.*'jeugdregio'"):
        validate_report_params("jeugdregio", {"regio": "JZ91", "editie": "rekenkamer"}, cat)
    # the notebook refuses to render another edition than its own
    with pytest.raises(ParameterError, match="gemeente_rekenkamer.ipynb"):
        check_notebook_editie("rekenkamer", "standaard")


def test_cli_rejects_a_bad_edition_naming_the_valid_ones(demoland, monkeypatch, capsys) -> None:
    root, _ = demoland
    monkeypatch.setenv("ANALYSIS_DEMO_DIR", str(root))
    assert render_single(gemeente=MET_DOELEN, profiel="demoland", editie="audit") == 2
    assert "onbekende editie 'audit'; geldig: standaard, rekenkamer" in capsys.readouterr().err
    assert render_single(regio="JZ91", profiel="demoland", editie="rekenkamer") == 2
    assert "alleen voor een gemeenterapport" in capsys.readouterr().err


def test_rekenkamer_notebook_is_generated_from_the_declaration() -> None:
    path = project_root() / "notebooks" / notebooks.REKENKAMER_NOTEBOOK
    nb = notebooks.rekenkamer_notebook()
    assert path.read_text(encoding="utf-8") == nbformat.writes(nb) + "\n"
    assert path not in notebooks.stale()
    heads = [c.source for c in nb.cells if c.source.startswith("## ")]
    assert heads == [f"## {s}" for s in SECTIES]
    calls = [c.source for c in nb.cells if c.source.startswith("chapters.")]
    assert calls[0] == "chapters.rekenkamer.inleiding(ctx)"
    assert calls[1:] == [f"chapters.{s.entry}(ctx)" for s in catalogus.REKENKAMER]
    for s in catalogus.REKENKAMER:
        assert callable(catalogus.entry_function(s.entry))
        assert s.hoofdstuk is None or catalogus.chapter(s.hoofdstuk)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert 'editie = "rekenkamer"' in params.source


def test_edition_file_names_do_not_collide(demoland, monkeypatch, tmp_path) -> None:
    root, _ = demoland
    monkeypatch.setenv("ANALYSIS_DEMO_DIR", str(root))
    monkeypatch.setenv("ANALYSIS_REPORTS_DIR", str(tmp_path))
    standaard = plan("demoland")
    beide = plan("demoland", editie="rekenkamer")
    gemeenten = [j for j in standaard.jobs if j.kind == "gemeente"]
    extra = [j for j in beide.jobs if j.params.get("editie") == "rekenkamer"]
    assert len(extra) == len(gemeenten) and len(beide.jobs) == len(standaard.jobs) + len(extra)
    outs = [j.out_html for j in beide.jobs]
    assert len(set(outs)) == len(outs)
    job = next(j for j in extra if j.code == MET_DOELEN)
    assert job.out_html.name == "GM9001-biezenberg-2025-rekenkamer.html"
    assert job.notebook.name == "gemeente_rekenkamer.ipynb"
    # the standard jobs are the same as without the edition (their resume state stays valid)
    assert [j for j in beide.jobs if "editie" not in j.params] == standaard.jobs
    with pytest.raises(ParameterError, match="onbekende editie"):
        plan("demoland", editie="alles")


# ---- sections ---------------------------------------------------------------------------


def _ctx(root: Path, code: str):
    cat = param_catalog(root)
    return store.report_context("gemeente", code, max(cat.jaren), None, root, "demoland")


def test_figures_looked_up_once_per_data_version_equal_the_definition(demoland) -> None:
    """The rekenkamer figures come from tables built once per data version; for every region
    and indicator (and an unknown one) they equal the direct selection they replace,
    including figures without a value and suppressed report-year cells."""
    from analysis.report.chapters.rekenkamer import gegevens

    root, _ = demoland
    ctx = _ctx(root, MET_DOELEN)
    df = ctx.indicators
    codes = sorted(df["regio_code"].astype(str).unique())
    indicatoren = [*sorted(df["indicator"].astype(str).unique()), "bestaat_niet"]
    soorten = set()
    for code in codes:
        direct = df[
            (df["indeling_jaar"] == ctx.indeling_jaar)
            & (df["regio_code"] == code)
            & (df["periode_type"] == "jaar")
        ]
        pd.testing.assert_frame_equal(gegevens._rijen(ctx, code), direct, check_exact=True)
        for ind in indicatoren:
            c = gegevens.cijfer(ctx, ind, code)
            assert c == gegevens.cijfer_direct(ctx, ind, code), (code, ind)
            soorten.add("waarde" if c.waarde is not None else f"geen:{c.onderdrukt}")
    assert soorten == {"waarde", "geen:False", "geen:True"}
    assert gegevens._rijen(ctx, "GM0000").empty
    # series breaks and suppressed indicators of every region, as the data notes use them
    overgangen = gegevens._reeksovergangen(df, ctx.indeling_jaar)
    onderdrukt = gegevens._onderdrukt_per_regio(ctx)
    for code in codes:
        rows = gegevens._rijen(ctx, code)
        assert overgangen.get(code, []) == gegevens.reeksovergangen(rows), code
        eigen = rows[(rows["jaar"] == ctx.jaar) & rows["onderdrukt"].fillna(False).astype(bool)]
        assert onderdrukt.get(code, []) == sorted(eigen["indicator"].unique()), code
    assert sum(map(len, overgangen.values())) > 100 and len(onderdrukt) > 10
    eigen_ctx = dataclasses.replace(ctx, code=codes[0])
    assert gegevens.trendbreuken(eigen_ctx) and all(n >= 1 for *_, n in gegevens.trendbreuken(ctx))


def test_local_goals_file_appears_with_its_source(demoland, shown) -> None:
    root, _ = demoland
    ctx = _ctx(root, MET_DOELEN)
    rekenkamer.doelen(ctx)
    t = _tekst(shown)
    assert "Minder jongeren in zwaardere zorg" in t
    assert "Daalt het aandeel jongeren met jeugdhulp met verblijf?" in t
    assert "Beleidsplan Jeugd Biezenberg 2025-2028" in t and "gm9001_biezenberg.csv regel 2" in t
    assert "De raad ontvangt geen tussentijdse rapportage over de kosten" in t
    assert "2 van 3 beleidsvragen met een indicator van dit rapport" in t
    assert "sjabloon" not in t
    shown.clear()
    rekenkamer.auditvragen(ctx)
    t = _tekst(shown)
    # the finding on costs goes with the financial w-vraag, auto-filled with figure and source
    assert re.search(r"Welke financiële effecten\? 5\. Financiën .*CBS .*ja \(landelijke "
                     r"gegevens\) De raad ontvangt geen tussentijdse rapportage", t), t  # fmt: skip
    assert "Welke keuzes liggen voor? – – niet meetbaar met landelijke gegevens" in t


def test_without_goals_file_an_empty_template_to_fill(demoland, shown) -> None:
    root, _ = demoland
    code = _zonder_doelen(root)
    ctx = _ctx(root, code)
    rekenkamer.doelen(ctx)
    t = _tekst(shown)
    assert f"Voor {ctx.naam} is geen lokaal doelenbestand vastgelegd" in t
    assert "code;naam;jaar;doel;beleidsvraag;indicator;bevinding;bron_titel" in t
    assert f"data/registry/doelen/{code.lower()}.csv" in t
    assert f"make report GEMEENTE={code} JAAR={ctx.jaar} EDITIE=rekenkamer" in t
    assert "(jongeren_met_jeugdhulp)" in t  # prefilled with this project's indicators
    assert t.count("door de rekenkamer in te vullen") == 4  # the four GRN questions


def test_malformed_goals_file_is_named_in_the_report(demoland, shown, tmp_path) -> None:
    """Missing source, unknown gemeente, unknown indicator id: rejected with file, line and
    field, and the edition says so instead of failing."""
    root, _ = demoland
    registry_root = tmp_path / "registry"
    shutil.copytree(EXAMPLES, registry_root)
    path = registry_root / "doelen" / "gm9001_biezenberg.csv"
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    kop = rows[0]
    rows[1][kop.index("bron_titel")] = ""
    rows[2][kop.index("code")] = "GM9999"
    rows[3][kop.index("indicator")] = "wachttijd_jeugd"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\n").writerows(rows)
    data = tmp_path / "data"
    (data / "processed").mkdir(parents=True)
    for name in ("regio_indeling.parquet",):
        shutil.copy2(root / "processed" / name, data / "processed" / name)
    res = localdata.load(registry_root, data / "processed")
    assert "doelen" not in res.published
    found = {(Path(p.file).name, p.line, p.field) for p in res.problems}
    assert found == {
        ("gm9001_biezenberg.csv", 2, "bron_titel"),
        ("gm9001_biezenberg.csv", 3, "code"),
        ("gm9001_biezenberg.csv", 4, "indicator"),
    }
    ctx = _ctx(root, MET_DOELEN)
    ctx = dataclasses.replace(ctx, settings=dataclasses.replace(ctx.settings, data_dir=data))
    rekenkamer.doelen(ctx)
    rekenkamer.datanotities(ctx)
    t = _tekst(shown)
    assert "Het lokale doelenbestand is afgewezen" in t
    for line, field in ((2, "bron_titel"), (3, "code"), (4, "indicator")):
        assert f"gm9001_biezenberg.csv:{line}: field '{field}':" in t
    assert "'wachttijd_jeugd' is an unknown indicator id" in t
    assert "Afgewezen lokaal bestand (doelen en bevindingen)" in t
    # repaired and loaded again: the problems are gone and the goals are published
    shutil.copy2(EXAMPLES / "doelen" / "gm9001_biezenberg.csv", path)
    assert localdata.load(registry_root, data / "processed").ok
    assert localdata.read_problems(data / "processed", "doelen") == []
    assert len(localdata.read_published(data / "processed", "doelen")) == 3


def test_data_notes_name_suppression_breaks_and_coverage(demoland, shown) -> None:
    root, _ = demoland
    ctx = _ctx(root, MET_DOELEN)
    rekenkamer.datanotities(ctx)
    t = _tekst(shown)
    assert "onderdrukte cellen" in t.lower()
    assert "Lokale bronnen voor Biezenberg en de jeugdregio (wachttijden:" in t
    assert "doelen en bevindingen: 3 records" in t
    assert "Trendbreuk tussen" in t


# ---- through the batch engine (slow) ------------------------------------------------------


@pytest.mark.slow
def test_edition_renders_through_the_batch_engine(demoland, monkeypatch, tmp_path) -> None:
    root, _ = demoland
    monkeypatch.setenv("ANALYSIS_DEMO_DIR", str(root))
    monkeypatch.setenv("ANALYSIS_REPORTS_DIR", str(tmp_path))
    p = plan("demoland", editie="rekenkamer")
    ander = _zonder_doelen(root)
    jobs = [j for j in p.jobs if j.code in (MET_DOELEN, ander)]
    assert len(jobs) == 4
    summary = run_batch(jobs, workers=2, resume=False, progress=False,
                        data_dir=p.cfg.data_dir, reports_dir=p.cfg.reports_dir)  # fmt: skip
    assert summary.exit_code == 0, summary.format()
    for job in jobs:
        doc = job.out_html.read_text(encoding="utf-8")
        heads = [_tekst(h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", doc, re.S)]
        if job.params.get("editie") == "rekenkamer":
            assert heads[: len(SECTIES)] == SECTIES, heads
            assert 'class="rekenkamer-editie"' in doc
        else:
            assert "rekenkamereditie" not in doc and "1. Gebruik van jeugdzorg" in heads
    eigen = next(j for j in jobs if j.code == MET_DOELEN and j.params.get("editie"))
    t = _tekst(eigen.out_html.read_text(encoding="utf-8"))
    assert "Minder jongeren in zwaardere zorg" in t
    leeg = next(j for j in jobs if j.code == ander and j.params.get("editie"))
    assert "geen lokaal doelenbestand vastgelegd" in _tekst(leeg.out_html.read_text("utf-8"))
