"""The three report notebooks: thin, stripped, one parameters cell, and they execute."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from analysis.config import project_root
from analysis.report import chapters

from .report import fixtures

NOTEBOOK_DIR = project_root() / "notebooks"
KINDS = ("nederland", "jeugdregio", "gemeente")
COMMON = {"jaar": 2023, "indeling_jaar": None, "data_dir": "data", "profiel": "cbs"}
PARAMS = {
    "nederland": COMMON,
    "jeugdregio": {"regio": "JZ13", **COMMON},
    "gemeente": {"gemeente": "GM0363", "vergelijkingsgroep": "grootteklasse", **COMMON},
}
CHAPTERS = [
    ("## 1. Gebruik van jeugdzorg", "gebruik.{kind}"),
    ("## 2. Regionale samenhang", "samenhang.{kind}"),
    ("## 3. Wachttijden en toegang", "nog_niet.wachttijden"),
    ("## 4. Budget en tekorten", "nog_niet.budget"),
    ("## 5. Stapeling van voorzieningen", "nog_niet.stapeling"),
]
MAX_LINES = 15


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
    assert "Er staan nog geen resultaten in." in text  # the nog_niet chapters
    gebruik = next(c for c in nb.cells if c.source.startswith("chapters.gebruik."))
    images = sum(
        str(o.get("data", {}).get("text/html", "")).count("data:image/png;base64,")
        for o in gebruik.outputs
    )
    assert images >= 3


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
