"""The three report notebooks, generated from the chapter declaration.

``python -m analysis notebooks`` writes ``notebooks/{nederland,jeugdregio,gemeente}.ipynb``
from :data:`analysis.report.chapters.catalogus.CHAPTERS`: a static title (removed from the
HTML), one tagged ``parameters`` cell, the set-up cell that builds the report context, the
frame, then per chapter a Markdown heading and one thin call cell. The output is
deterministic: regenerating gives the same bytes (a test checks the committed notebooks).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import nbformat

from analysis import atomic
from analysis.report.chapters.catalogus import CHAPTERS, KINDS, Hoofdstuk, numbered

__all__ = ["NOTEBOOK_DIR", "PARAMETERS", "notebook", "notebook_text", "stale", "write_notebooks"]

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
    },
}

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


def notebook(kind: str, chapters: Sequence[Hoofdstuk] = CHAPTERS) -> nbformat.NotebookNode:
    """The report notebook of ``kind`` for the declared ``chapters``."""
    _check_kind(kind)
    v4 = nbformat.v4
    params = "\n".join(f"{k} = {_literal(v)}" for k, v in PARAMETERS[kind].items())
    setup = (
        "from analysis.report import chapters\n"
        "from analysis.store import report_context\n\n" + _CONTEXT_CALL[kind]
    )
    cells = [
        v4.new_markdown_cell(_TITLES[kind], id="titel", metadata={"tags": ["remove"]}),
        v4.new_code_cell(params, id="parameters", metadata={"tags": ["parameters"]}),
        v4.new_code_cell(setup, id="setup", metadata={"tags": ["remove"]}),
    ]
    for h in chapters:
        if h.status == "frame":
            cells.append(v4.new_code_cell(f"chapters.{h.entry(kind)}(ctx)", id=h.id))
    for number, h in numbered(chapters):
        cells.append(v4.new_markdown_cell(f"## {number}. {h.titel}", id=f"kop-{h.id}"))
        cells.append(v4.new_code_cell(f"chapters.{h.entry(kind)}(ctx)", id=f"hoofdstuk-{h.id}"))
    nb = v4.new_notebook(
        cells=cells,
        metadata={"kernelspec": dict(_KERNELSPEC), "language_info": {"name": "python"}},
    )
    nb.nbformat_minor = 5
    nbformat.validate(nb)
    return nb


def notebook_text(kind: str, chapters: Sequence[Hoofdstuk] = CHAPTERS) -> str:
    """The notebook of ``kind`` as the exact file contents (as Jupyter writes it)."""
    return nbformat.writes(notebook(kind, chapters)) + "\n"


def _folder(root: Path | None) -> Path:
    if root is None:
        from analysis.config import project_root

        root = project_root()
    return Path(root) / NOTEBOOK_DIR


def stale(root: Path | None = None, chapters: Sequence[Hoofdstuk] = CHAPTERS) -> list[Path]:
    """Notebooks under ``root/notebooks`` that differ from the generated ones (or are missing)."""
    folder = _folder(root)
    out = []
    for kind in KINDS:
        path = folder / f"{kind}.ipynb"
        if not path.is_file() or path.read_text(encoding="utf-8") != notebook_text(kind, chapters):
            out.append(path)
    return out


def write_notebooks(
    root: Path | None = None, chapters: Sequence[Hoofdstuk] = CHAPTERS
) -> list[Path]:
    """(Re)write the three notebooks under ``root/notebooks`` (default: the project root);
    returns the paths. Writes are atomic; unchanged files are left alone."""
    folder = _folder(root)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in KINDS:
        path = folder / f"{kind}.ipynb"
        text = notebook_text(kind, chapters)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            atomic.write_text(path, text)
        paths.append(path)
    return paths
