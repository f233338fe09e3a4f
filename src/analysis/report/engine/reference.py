"""The reference path: one notebook in its own fresh kernel with ``papermill.execute_notebook``."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import nbformat

from analysis.report.engine.kernels import IPCKernelManager, remove_own_kernel_dir
from analysis.report.engine.model import (
    DEFAULT_START_TIMEOUT,
    RenderError,
    RenderResult,
    error_tail,
)
from analysis.report.engine.notebook import check_notebook_params
from analysis.report.engine.staging import publish_text
from analysis.report.export import export_html, html_title
from analysis.report.footer import FooterInfo

log = logging.getLogger(__name__)


def is_kernel_start_failure(exc: BaseException) -> bool:
    """True for errors that mean the kernel did not start (worth one retry)."""
    from nbclient.exceptions import CellTimeoutError

    if isinstance(exc, CellTimeoutError):
        return False
    msg = str(exc)
    return isinstance(exc, TimeoutError) or any(
        s in msg for s in ("didn't respond", "kernel_info", "Kernel died before replying")
    )


def render_one(
    notebook: Path,
    params: dict,
    out_html: Path,
    *,
    kernel_name: str = "python3",
    timeout: int = 600,
    footer: FooterInfo | None = None,
    keep_ipynb: Path | None = None,
    start_timeout: int = DEFAULT_START_TIMEOUT,
    title: str | None = None,
    staging: Path | None = None,
) -> RenderResult:
    """Execute ``notebook`` with papermill in a fresh kernel and export it to ``out_html``.

    The kernel's working directory is the notebook's folder. A kernel that fails to start is
    retried once. Raises :class:`RenderError` (with the error's last lines) when a cell fails,
    and :class:`~analysis.report.params.ParameterError` for a parameter the notebook lacks.
    The HTML is written in ``staging`` (default: see :func:`~.staging.publish_text`) and then
    renamed onto ``out_html``.
    """
    notebook = Path(notebook).resolve()
    out_html = Path(out_html)
    check_notebook_params(notebook, params)
    if keep_ipynb:
        Path(keep_ipynb).parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    nb = _execute(
        notebook,
        params,
        keep_ipynb=keep_ipynb,
        kernel_name=kernel_name,
        start_timeout=start_timeout,
        timeout=timeout,
    )
    t1 = time.perf_counter()
    html = export_html(nb, footer=footer, title_hint=title or "")
    publish_text(html, out_html, staging=staging)
    t2 = time.perf_counter()
    return RenderResult(
        out_html=out_html,
        title=html_title(html) or title or notebook.stem,
        seconds=t2 - t0,
        execute_seconds=t1 - t0,
        export_seconds=t2 - t1,
        ipynb=Path(keep_ipynb) if keep_ipynb else None,
    )


def _execute(
    notebook: Path,
    params: dict,
    *,
    keep_ipynb: Path | None,
    kernel_name: str,
    start_timeout: int,
    timeout: int,
) -> nbformat.NotebookNode:
    """``papermill.execute_notebook`` on an IPC kernel; a failed kernel start is retried once."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        for attempt in (1, 2):
            try:
                return papermill.execute_notebook(
                    str(notebook),
                    str(keep_ipynb) if keep_ipynb else None,
                    parameters=dict(params),
                    kernel_name=kernel_name,
                    progress_bar=False,
                    request_save_on_cell_execute=False,
                    start_timeout=start_timeout,
                    execution_timeout=timeout,
                    cwd=str(notebook.parent),
                    kernel_manager_class=IPCKernelManager,
                )
            except PapermillExecutionError as exc:
                raise RenderError(f"{notebook.name}: cel faalde", error_tail(exc)) from None
            except Exception as exc:
                if attempt == 1 and is_kernel_start_failure(exc):
                    log.warning("kernel start failed (%s); retrying once", exc)
                    continue
                raise RenderError(f"{notebook.name}: uitvoering mislukt", error_tail(exc)) from exc
        raise AssertionError("unreachable")
    finally:
        remove_own_kernel_dir()
