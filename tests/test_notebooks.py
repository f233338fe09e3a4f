"""The three report notebooks: generated from the chapter declaration and current; thin,
stripped, one parameters cell; a chapter added to the declaration reaches every report."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from analysis.config import project_root
from analysis.report import chapters, notebooks
from analysis.report.chapters import catalogus

from .report import fixtures

NOTEBOOK_DIR = project_root() / "notebooks"
KINDS = ("nederland", "jeugdregio", "gemeente")
COMMON = {"jaar": 2023, "indeling_jaar": None, "data_dir": "data", "profiel": "cbs"}
PARAMS = {
    "nederland": COMMON,
    "jeugdregio": {"regio": "JZ13", **COMMON},
    "gemeente": {
        "gemeente": "GM0363",
        "vergelijkingsgroep": "grootteklasse",
        "editie": "standaard",
        **COMMON,
    },
}
CHAPTERS = [
    ("## 1. Gebruik van jeugdzorg", "gebruik.{kind}"),
    ("## 2. Regionale samenhang", "samenhang.{kind}"),
    ("## 3. Wachttijden en toegang", "toegang.{kind}"),
    ("## 4. Budget en tekorten", "budget.{kind}"),
    ("## 5. Stapeling van voorzieningen", "stapeling.{kind}"),
    ("## 6. Validatie", "validatie.{kind}"),
]
MAX_LINES = 15


def test_committed_notebooks_are_the_generated_ones():
    for kind in KINDS:
        on_disk = (NOTEBOOK_DIR / f"{kind}.ipynb").read_text(encoding="utf-8")
        assert on_disk == notebooks.notebook_text(kind), "run `python -m analysis notebooks`"
    assert notebooks.stale() == []


def test_generation_is_byte_identical_and_check_mode_reports_stale(tmp_path, capsys):
    from analysis.cli import main

    first = notebooks.write_notebooks(tmp_path)
    data = [p.read_bytes() for p in first]
    mtimes = [p.stat().st_mtime_ns for p in first]
    second = notebooks.write_notebooks(tmp_path)
    assert [p.read_bytes() for p in second] == data
    assert [p.stat().st_mtime_ns for p in second] == mtimes  # unchanged files left alone
    assert notebooks.stale(tmp_path) == []
    first[1].write_text(first[1].read_text().replace("## 1.", "## 9."))
    assert notebooks.stale(tmp_path) == [first[1]]
    # the command line checks the project's own notebooks
    assert main(["notebooks", "--check"]) == 0
    assert capsys.readouterr().err == ""


def test_parameters_follow_the_engine_contract():
    from analysis.report.params import KIND_PARAMS

    assert {k: set(v) for k, v in notebooks.PARAMETERS.items()} == {
        k: set(v) for k, v in KIND_PARAMS.items()
    }


def test_declaration_entry_points_exist_and_themes_are_registry_themes():
    from analysis import registry

    themes = {t.thema for t in registry.TABLES}
    assert [h.id for h in catalogus.CHAPTERS][0] == "inleiding"
    for h in catalogus.CHAPTERS:
        assert h.thema is None or h.thema in themes, h.id
        for kind in KINDS:
            assert callable(catalogus.entry_function(h.entry(kind)))
    with pytest.raises(LookupError, match="'gebruik.bestaat_niet'"):
        catalogus.entry_function("gebruik.bestaat_niet")
    with pytest.raises(ValueError, match="unknown status 'klaar'; valid: frame, built, planned"):
        catalogus.Hoofdstuk("x", "X", "?", None, "klaar", {})
    with pytest.raises(ValueError, match="missing \\['gemeente'\\]"):
        catalogus.Hoofdstuk("x", "X", "?", None, "built", {"nederland": "a", "jeugdregio": "b"})
    with pytest.raises(ValueError, match="unknown report kind 'provincie'"):
        notebooks.notebook("provincie")


#: A chapter added to a temporary declaration (the kernels import the real declaration, so it
#: reuses the stapeling chapter's entry points).
PROEF = catalogus.Hoofdstuk(
    "proef",
    "Proefhoofdstuk",
    "Komt een nieuw hoofdstuk in elk rapport?",
    "stapeling",
    "planned",
    {kind: f"stapeling.{kind}" for kind in KINDS},
)


def test_added_chapter_appears_in_all_three_generated_notebooks():
    declaration = (*catalogus.CHAPTERS, PROEF)
    for kind in KINDS:
        nb = notebooks.notebook(kind, declaration)
        sources = [c.source for c in nb.cells]
        i = sources.index("## 7. Proefhoofdstuk")
        assert sources[i + 1].startswith("chapters.stapeling.")
        assert nb.cells[i + 1].id == "hoofdstuk-proef"
        assert len(nb.cells) == len(notebooks.notebook(kind).cells) + 2


def _read(kind: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK_DIR / f"{kind}.ipynb", as_version=nbformat.NO_CONVERT)


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


@pytest.mark.parametrize("kind", KINDS)
def test_notebook_is_valid_and_stripped(kind):
    nb = _read(kind)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{kind}: outputs in {cell.source[:40]!r}"
            assert cell.execution_count is None
            n = len(cell.source.splitlines())
            assert n <= MAX_LINES, f"{kind}: code cell of {n} lines"
            assert "footer" not in cell.source and "toc" not in cell.source.lower()


@pytest.mark.parametrize("kind", KINDS)
def test_exactly_one_parameters_cell_with_plain_assignments(kind):
    from analysis.report.params import KIND_PARAMS

    nb = _read(kind)
    cells = [c for c in nb.cells if "parameters" in _tags(c)]
    assert len(cells) == 1
    tree = ast.parse(cells[0].source)
    values = {}
    for node in tree.body:
        assert isinstance(node, ast.Assign) and len(node.targets) == 1
        assert isinstance(node.targets[0], ast.Name)
        values[node.targets[0].id] = ast.literal_eval(node.value)
    assert values == PARAMS[kind]
    assert set(values) == set(KIND_PARAMS[kind])  # the engine's parameter contract


@pytest.mark.parametrize("kind", KINDS)
def test_structure_title_setup_and_chapters(kind):
    nb = _read(kind)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    # the static title is for JupyterLab; the HTML gets the named title from chapters.inleiding
    assert "remove" in _tags(nb.cells[0])
    assert any(c.source.strip() == "chapters.inleiding(ctx)" for c in nb.cells)
    setup = [c for c in nb.cells if "remove" in _tags(c) and c.cell_type == "code"]
    assert len(setup) == 1
    assert "report_context(" in setup[0].source and f'"{kind}"' in setup[0].source
    order = [i for i, c in enumerate(nb.cells) if "parameters" in _tags(c)]
    assert order[0] < nb.cells.index(setup[0])
    headings = [(i, c.source) for i, c in enumerate(nb.cells) if c.source.startswith("## ")]
    assert [h for _, h in headings] == [h for h, _ in CHAPTERS]
    for (i, _heading), (_h, target) in zip(headings, CHAPTERS, strict=True):
        call = nb.cells[i + 1]
        assert call.cell_type == "code" and not _tags(call)
        name = target.format(kind=kind)
        assert call.source.strip() == f"chapters.{name}(ctx)"
        module, func = name.split(".")
        assert callable(getattr(getattr(chapters, module), func))


def _outputs_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(f"[{out['name']}]{out['text']}")
            for key in ("text/markdown", "text/html", "text/plain"):
                if key in out.get("data", {}):
                    parts.append(str(out["data"][key]))
    return re.sub(r"base64,[A-Za-z0-9+/=]+", "base64,", "\n".join(parts))


def _execute(kind: str, params: dict, out_dir: Path) -> nbformat.NotebookNode:
    import papermill as pm

    out = out_dir / f"{kind}.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK_DIR / f"{kind}.ipynb"),
        str(out),
        parameters=params,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(NOTEBOOK_DIR),
        start_timeout=120,
        execution_timeout=600,
    )
    return nbformat.read(out, as_version=4)


@pytest.fixture(scope="module")
def testland_dir(tmp_path_factory) -> Path:
    return fixtures.write_dataset(tmp_path_factory.mktemp("testland_nb"))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "params", "naam"),
    [
        ("nederland", {}, "Nederland"),
        ("jeugdregio", {"regio": "JZ91"}, "Regio Noord"),
        ("gemeente", {"gemeente": "GM9002", "vergelijkingsgroep": "grootteklasse"}, "Havendam"),
    ],
)
def test_notebook_executes_on_processed_dataset(kind, params, naam, testland_dir, tmp_path):
    nb = _execute(kind, {**params, "data_dir": str(testland_dir), "profiel": "demoland"}, tmp_path)
    text = _outputs_text(nb)
    assert "[stderr]" not in text, text[text.find("[stderr]") :][:500]
    assert naam in text
    assert "Over deze cijfers" in text
    gebruik = next(c for c in nb.cells if c.source.startswith("chapters.gebruik."))
    images = sum(
        str(o.get("data", {}).get("text/html", "")).count("data:image/png;base64,")
        for o in gebruik.outputs
    )
    assert images >= 3


@pytest.mark.slow
def test_added_chapter_appears_in_rendered_reports(tmp_path, testland_dir):
    """Notebooks generated from a declaration with one extra chapter, rendered by the engine:
    every report shows the new chapter as number 6, after the five existing ones."""
    from analysis.report.engine import ReportJob, run_batch

    declaration = (*catalogus.CHAPTERS, PROEF)
    paths = notebooks.write_notebooks(tmp_path, declaration)
    common = {"jaar": 2023, "data_dir": str(testland_dir), "profiel": "demoland"}
    params = {
        "nederland": {},
        "jeugdregio": {"regio": "JZ91"},
        "gemeente": {"gemeente": "GM9002", "vergelijkingsgroep": "grootteklasse"},
    }
    reports = tmp_path / "reports"
    jobs = [
        ReportJob(
            kind=kind,
            code=kind,
            notebook=path,
            params={**common, **params[kind]},
            out_html=reports / f"{kind}.html",
            title=kind,
            group="JZ91",
        )
        for kind, path in zip(KINDS, paths[: len(KINDS)], strict=True)
    ]
    assert paths[-1].name == notebooks.REKENKAMER_NOTEBOOK  # written too, not rendered here
    summary = run_batch(
        jobs, workers=1, data_dir=testland_dir, reports_dir=reports, progress=False, footer=False
    )
    assert (summary.rendered, summary.failed) == (3, 0), summary.format()
    for job in jobs:
        html = job.out_html.read_text(encoding="utf-8")
        koppen = re.findall(r"<h2[^>]*>(\d\. [^<]*)<", html)
        assert koppen == [
            "1. Gebruik van jeugdzorg",
            "2. Regionale samenhang",
            "3. Wachttijden en toegang",
            "4. Budget en tekorten",
            "5. Stapeling van voorzieningen",
            "6. Validatie",
            "7. Proefhoofdstuk",
        ], job.kind
        assert "Er staan nog geen resultaten in." not in html  # every chapter is built


@pytest.mark.slow
def test_gemeente_notebook_executes_on_demoland(tmp_path, demoland):
    from analysis.store import load_indeling

    demo_dir = demoland[0]
    ind = load_indeling(demo_dir)
    latest = ind[ind["jaar"] == ind["jaar"].max()]
    code = sorted(latest["gemeente_code"].unique())[0]
    nb = _execute(
        "gemeente",
        {"gemeente": code, "data_dir": str(demo_dir), "profiel": "demoland"},
        tmp_path,
    )
    text = _outputs_text(nb)
    assert "[stderr]" not in text
    assert "Over deze cijfers" in text or "Voor dit onderwerp zijn (nog) geen gegevens" in text
