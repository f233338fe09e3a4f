"""Notebook side of a job: declared parameters, papermill's parameter injection, ipynb output.

Only public papermill functions are used: ``papermill.inspect_notebook`` for the parameters a
notebook declares, ``papermill.parameterize.parameterize_notebook`` and the metadata helpers of
``papermill.execute`` to prepare a notebook exactly as ``papermill.execute_notebook`` does.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import nbformat

from analysis.report.export import write_text_atomic
from analysis.report.params import ParameterError


def notebook_parameters(notebook: Path) -> tuple[str, ...]:
    """Names assigned in the notebook's ``parameters`` cell (as papermill infers them; read
    once per version of the file)."""
    path = Path(notebook).resolve()
    st = path.stat()
    return _parameters(str(path), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=16)
def _parameters(path: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    import papermill

    return tuple(papermill.inspect_notebook(path))


def check_notebook_params(
    notebook: Path, params: Mapping[str, Any], declared: Iterable[str] | None = None
) -> None:
    """Raise :class:`ParameterError` for a missing notebook or a parameter it does not declare.

    ``declared`` (the notebook's parameter names) saves reading the notebook again when the
    caller already knows them.
    """
    notebook = Path(notebook)
    if not notebook.is_file():
        raise ParameterError(f"notebook {notebook} bestaat niet")
    names = tuple(declared) if declared is not None else notebook_parameters(notebook)
    unknown = [k for k in params if k not in names]
    if unknown:
        raise ParameterError(
            f"notebook {notebook.name} kent parameter(s) {', '.join(map(repr, unknown))} niet; "
            f"de parameters-cel declareert: {', '.join(names) or '(geen parameters-cel)'}"
        )


def prepared_notebook(
    notebook: Path, params: Mapping[str, Any], *, kernel_name: str, output_path: Path | None
) -> nbformat.NotebookNode:
    """``notebook`` with ``params`` injected and papermill's metadata, ready to execute."""
    from papermill.execute import prepare_notebook_metadata, remove_error_markers
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(notebook))
    if params:
        nb = parameterize_notebook(nb, dict(params), False, kernel_name=kernel_name)
    nb = prepare_notebook_metadata(
        nb, str(notebook), str(output_path) if output_path else None, False
    )
    return remove_error_markers(nb)


def write_ipynb(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write an executed notebook atomically."""
    write_text_atomic(Path(path), nbformat.writes(nb))
