"""The three report notebooks, generated from the chapter declaration.

``python -m analysis notebooks`` writes ``notebooks/{nederland,jeugdregio,gemeente}.ipynb``
from :data:`analysis.report.chapters.catalogus.CHAPTERS`: a static title (removed from the
HTML), one tagged ``parameters`` cell, the set-up cell that builds the report context, the
frame, then per chapter a Markdown heading and one thin call cell. The rekenkamer edition of
the gemeente report, ``notebooks/gemeente_rekenkamer.ipynb``, is generated the same way from
:data:`~analysis.report.chapters.catalogus.REKENKAMER` (same parameters, ``editie =
"rekenkamer"``). The output is
deterministic: regenerating gives the same bytes (a test checks the committed notebooks).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import nbformat

from analysis import atomic
from analysis.report.chapters.catalogus import (
    CHAPTERS,
    KINDS,
    REKENKAMER,
    Hoofdstuk,
    Sectie,
    numbered,
)

__all__ = [
    "NOTEBOOK_DIR",
    "PARAMETERS",
    "REKENKAMER_NOTEBOOK",
    "notebook",
    "notebook_name",
    "notebook_text",
    "rekenkamer_notebook",
    "stale",
    "write_notebooks",
]

#: Folder of the notebooks, relative to the project root.
NOTEBOOK_DIR = "notebooks"

#: Default parameters per report kind, in cell order (the engine's contract is
#: :data:`analysis.report.params.KIND_PARAMS`; a test keeps the two in step).
PARAMETERS: dict[str, dict[str, object]] = {
    "nederland": {"jaar": 2023, "indeling_jaar": None, "data_dir": "data", "profiel": "cbs"},
    "jeugdregio": {
        "regio": "JZ13",
        "jaar": 2023,
        "indeling_jaar": None,
        "data_dir": "data",
        "profiel": "cbs",
    },
    "gemeente": {
        "gemeente": "GM0363",
        "vergelijkingsgroep": "grootteklasse",
        "jaar": 2023,
        "indeling_jaar": None,
        "data_dir": "data",
        "profiel": "cbs",
        "editie": "standaard",
    },
}
#: File name of the rekenkamer edition's notebook (under :data:`NOTEBOOK_DIR`).
REKENKAMER_NOTEBOOK = "gemeente_rekenkamer.ipynb"

_TITLES = {
    "nederland": "# Jeugdzorg in Nederland",
    "jeugdregio": "# Jeugdzorg in de jeugdregio",
    "gemeente": "# Jeugdzorg in de gemeente",
}

_CONTEXT_CALL = {
    "nederland": 'ctx = report_context("nederland", None, jaar, indeling_jaar, data_dir, profiel)',
    "jeugdregio": 'ctx = report_context("jeugdregio", regio, jaar, indeling_jaar, data_dir, profiel)',
    "gemeente": (
        "ctx = report_context(\n"
        '    "gemeente", gemeente, jaar, indeling_jaar, data_dir, profiel, vergelijkingsgroep\n'
        ")"
    ),
}

_KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _literal(value: object) -> str:
    """A parameter value as Python source (strings in double quotes, as ruff writes them)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    raise TypeError(f"notebook parameter value {value!r}: only str, int, float, bool, None")


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown report kind {kind!r}; valid: {', '.join(KINDS)}")


def _head(kind: str, title: str, editie: str | None) -> list:
    """Title, parameters and set-up cells; a gemeente notebook checks its ``editie``."""
    v4 = nbformat.v4
    values = dict(PARAMETERS[kind])
    if editie is not None:
        values["editie"] = editie
    params = "\n".join(f"{k} = {_literal(v)}" for k, v in values.items())
    setup = "from analysis.report import chapters\nfrom analysis.store import report_context\n"
    if editie is not None:
        setup += "from analysis.validation import check_notebook_editie\n\n"
        setup += f"check_notebook_editie(editie, {_literal(editie)})\n"
    setup += "\n" + _CONTEXT_CALL[kind]
    return [
        v4.new_markdown_cell(title, id="titel", metadata={"tags": ["remove"]}),
        v4.new_code_cell(params, id="parameters", metadata={"tags": ["parameters"]}),
        v4.new_code_cell(setup, id="setup", metadata={"tags": ["remove"]}),
    ]


def _finish(cells: list) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(
        cells=cells,
        metadata={"kernelspec": dict(_KERNELSPEC), "language_info": {"name": "python"}},
    )
    nb.nbformat_minor = 5
    nbformat.validate(nb)
    return nb


def notebook(kind: str, chapters: Sequence[Hoofdstuk] = CHAPTERS) -> nbformat.NotebookNode:
    """The report notebook of ``kind`` for the declared ``chapters``."""
    _check_kind(kind)
    v4 = nbformat.v4
    cells = _head(kind, _TITLES[kind], "standaard" if kind == "gemeente" else None)
    for h in chapters:
        if h.status == "frame":
            cells.append(v4.new_code_cell(f"chapters.{h.entry(kind)}(ctx)", id=h.id))
    for number, h in numbered(chapters):
        cells.append(v4.new_markdown_cell(f"## {number}. {h.titel}", id=f"kop-{h.id}"))
        cells.append(v4.new_code_cell(f"chapters.{h.entry(kind)}(ctx)", id=f"hoofdstuk-{h.id}"))
    return _finish(cells)


def rekenkamer_notebook(secties: Sequence[Sectie] = REKENKAMER) -> nbformat.NotebookNode:
    """The notebook of the rekenkamer edition of the gemeente report for ``secties``."""
    v4 = nbformat.v4
    cells = _head("gemeente", "# Jeugdzorg in de gemeente: rekenkamereditie", "rekenkamer")
    cells.append(v4.new_code_cell("chapters.rekenkamer.inleiding(ctx)", id="inleiding"))
    for number, s in enumerate(secties, start=1):
        cells.append(v4.new_markdown_cell(f"## {number}. {s.titel}", id=f"kop-{s.id}"))
        cells.append(v4.new_code_cell(f"chapters.{s.entry}(ctx)", id=f"sectie-{s.id}"))
    return _finish(cells)


def notebook_name(kind: str, editie: str = "standaard") -> str:
    """File name of the notebook of report ``kind`` in ``editie``."""
    _check_kind(kind)
    if editie == "rekenkamer" and kind == "gemeente":
        return REKENKAMER_NOTEBOOK
    if editie != "standaard":
        raise ValueError(f"report kind {kind!r} has no edition {editie!r}")
    return f"{kind}.ipynb"


def notebook_text(kind: str, chapters: Sequence[Hoofdstuk] = CHAPTERS) -> str:
    """The notebook of ``kind`` as the exact file contents (as Jupyter writes it)."""
    return nbformat.writes(notebook(kind, chapters)) + "\n"


def _texts(chapters: Sequence[Hoofdstuk]) -> dict[str, str]:
    """Every generated notebook: file name -> exact contents."""
    out = {f"{kind}.ipynb": notebook_text(kind, chapters) for kind in KINDS}
    out[REKENKAMER_NOTEBOOK] = nbformat.writes(rekenkamer_notebook()) + "\n"
    return out


def _folder(root: Path | None) -> Path:
    if root is None:
        from analysis.config import project_root

        root = project_root()
    return Path(root) / NOTEBOOK_DIR


def stale(root: Path | None = None, chapters: Sequence[Hoofdstuk] = CHAPTERS) -> list[Path]:
    """Notebooks under ``root/notebooks`` that differ from the generated ones (or are missing)."""
    folder = _folder(root)
    out = []
    for name, text in _texts(chapters).items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            out.append(path)
    return out


def write_notebooks(
    root: Path | None = None, chapters: Sequence[Hoofdstuk] = CHAPTERS
) -> list[Path]:
    """(Re)write the report notebooks (the three kinds and the rekenkamer edition) under
    ``root/notebooks`` (default: the project root); returns the paths. Writes are atomic;
    unchanged files are left alone."""
    folder = _folder(root)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in _texts(chapters).items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            atomic.write_text(path, text)
        paths.append(path)
    return paths
