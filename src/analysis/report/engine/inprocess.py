"""One report on demand without starting a kernel process.

``python -m analysis report --gemeente …`` renders a single report. Starting a kernel process
and a worker for it costs seconds before the first cell runs; here the notebook runs in an
**in-process IPython kernel** (``ipykernel.inprocess``) in the calling process, through the
same papermill notebook client, parameter injection and HTML export as the batch engine, so
the HTML is byte-for-byte the one the kernel path makes (test). The calling process's working
directory is the notebook's folder while it runs and is restored afterwards; the process is
meant to render this one report (its module state is the notebook's afterwards).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import nbformat

from analysis.report.engine.kernel_state import GC_THRESHOLD
from analysis.report.engine.model import (
    BatchSummary,
    JobFailure,
    RenderError,
    RenderResult,
    ReportJob,
    error_tail,
)
from analysis.report.engine.notebook import check_notebook_params, prepared_notebook, write_ipynb
from analysis.report.engine.staging import (
    clean_leftovers,
    new_staging_dir,
    publish_text,
    remove_staging_dir,
)
from analysis.report.engine.state import StateStore, state_path_for
from analysis.report.engine.warm import execute_on
from analysis.report.engine.worker import Payload
from analysis.report.export import export_html, html_title
from analysis.report.footer import FooterInfo, footer_info

#: executes and publishes one payload: (payload, footer, timeout, staging) -> error tail or None
Renderer = Callable[[Payload, "FooterInfo | None", "int | None", Path], "str | None"]

#: the backend a kernel process gets from ipykernel (its ``MPLBACKEND``)
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


@contextlib.contextmanager
def _kernel_like_process(cwd: Path) -> Iterator[None]:
    """Working directory and matplotlib backend as in a kernel process, and the warm
    kernel's garbage-collector settings (:mod:`.kernel_state`); restored afterwards."""
    old_cwd = os.getcwd()
    old_backend = os.environ.get("MPLBACKEND")
    old_threshold = gc.get_threshold()
    os.environ["MPLBACKEND"] = INLINE_BACKEND
    if "matplotlib.pyplot" in sys.modules:  # imported earlier in this process
        sys.modules["matplotlib.pyplot"].switch_backend(INLINE_BACKEND)
    os.chdir(cwd)
    # what is alive now (imported libraries) is not garbage; fewer collections while the
    # report allocates: speed only, garbage collection never changes output
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*old_threshold)
        gc.unfreeze()
        os.chdir(old_cwd)
        if old_backend is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = old_backend


@contextlib.contextmanager
def _quiet_debugpy() -> Iterator[None]:
    """Starting an in-process kernel imports debugpy, which prints a "frozen modules" notice
    on stderr unless ``PYDEVD_DISABLE_FILE_VALIDATION`` is set; set it only meanwhile."""
    name = "PYDEVD_DISABLE_FILE_VALIDATION"
    old = os.environ.get(name)
    os.environ[name] = "1"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def _execute(
    notebook: Path, params: Mapping[str, Any], timeout: int | None, keep: Path | None
) -> nbformat.NotebookNode:
    """Run the parameterised notebook on an in-process kernel; RenderError on failure."""
    from ipykernel.inprocess.manager import InProcessKernelManager
    from papermill.exceptions import PapermillExecutionError
    from papermill.execute import raise_for_execution_errors

    nb = prepared_notebook(notebook, params, kernel_name="python3", output_path=keep)
    km = InProcessKernelManager()
    with _kernel_like_process(notebook.parent):
        with _quiet_debugpy():
            km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            nb = execute_on(km, kc, nb, timeout=timeout, start_timeout=60, kernel_name="python3")
        except Exception as exc:
            raise RenderError(f"{notebook.name}: uitvoering mislukt", error_tail(exc)) from exc
        finally:
            kc.stop_channels()
            km.shutdown_kernel()
    if keep:
        write_ipynb(nb, keep)
    try:
        raise_for_execution_errors(nb, None)
    except PapermillExecutionError as exc:
        raise RenderError(f"{notebook.name}: cel faalde", error_tail(exc)) from None
    return nb


def render_inprocess(
    notebook: Path,
    params: dict,
    out_html: Path,
    *,
    footer: FooterInfo | None = None,
    title: str | None = None,
    timeout: int | None = 600,
    keep_ipynb: Path | None = None,
    staging: Path | None = None,
) -> RenderResult:
    """Execute ``notebook`` in an in-process kernel and publish its HTML at ``out_html``.

    Raises :class:`RenderError` when a cell fails (nothing is written) and
    :class:`~analysis.report.params.ParameterError` for a parameter the notebook lacks.
    """
    notebook = Path(notebook).resolve()
    out_html = Path(out_html)
    check_notebook_params(notebook, params)
    t0 = time.perf_counter()
    nb = _execute(notebook, params, timeout, Path(keep_ipynb) if keep_ipynb else None)
    t1 = time.perf_counter()
    html = export_html(nb, footer=footer, title_hint=title or "")
    publish_text(html, out_html, staging)
    t2 = time.perf_counter()
    return RenderResult(
        out_html=out_html,
        title=html_title(html) or title or notebook.stem,
        seconds=t2 - t0,
        execute_seconds=t1 - t0,
        export_seconds=t2 - t1,
        ipynb=Path(keep_ipynb) if keep_ipynb else None,
    )


def run_single(
    job: ReportJob,
    *,
    data_dir: Path,
    reports_dir: Path,
    timeout: int | None = 600,
    footer: bool = True,
    progress: bool = True,
    render: Renderer | None = None,
) -> BatchSummary:
    """Render one job with :func:`render_inprocess`, as :func:`~.pool.run_batch` would.

    The same validation, leftover cleaning, staging and resume state as a batch of one; the
    summary has ``engine="inprocess"``. Unlike a kernel process, the in-process kernel cannot
    interrupt a cell, so ``timeout`` only bounds waiting for the kernel's replies.
    ``render``: what executes and publishes the payload instead (the report server's warm
    kernel, :mod:`analysis.report.server`; the summary then says ``engine=server``), with
    the same arguments as the in-process one.
    """
    from analysis.report.engine.pool import payloads, validate_jobs

    t0 = time.perf_counter()
    reports_dir = Path(reports_dir).resolve()
    data_dir = Path(data_dir).resolve()
    validate_jobs([job], reports_dir)
    # as in the batch workers: nbconvert's exporter config and papermill's progress are noise
    logging.getLogger("papermill").setLevel(logging.WARNING)
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    summary = BatchSummary(engine="inprocess" if render is None else "server", workers=0)
    clean_leftovers(reports_dir)
    staging = new_staging_dir(reports_dir)
    try:
        store = StateStore(staging)
        (p,), _ = payloads(
            [job],
            resume=False,
            store=store,
            data_dir=data_dir,
            reports_dir=reports_dir,
            kernel_name="python3",
            keep_ipynb_dir=None,
        )
        base = footer_info(data_dir, {}, notebook=Path(job.notebook)) if footer else None
        run_footer = base.for_run(p.params, notebook=Path(p.notebook)) if base else None
        error = (render or _render_payload)(p, run_footer, timeout, staging)
        state = state_path_for(Path(p.out_html), reports_dir)
        store.set(
            state,
            Path(p.out_html),
            p.fingerprint if error is None else None,
            time.perf_counter() - t0,
        )
    finally:
        remove_staging_dir(staging)
    summary.rendered, summary.failed = (1, 0) if error is None else (0, 1)
    if error is not None:
        summary.failures.append(JobFailure(job.code, str(job.out_html), error))
    summary.total_seconds = summary.job_seconds[job.code] = time.perf_counter() - t0
    if progress:
        print(summary.format(), flush=True)
    return summary


def _render_payload(
    p: Payload, footer: FooterInfo | None, timeout: int | None, staging: Path
) -> str | None:
    """Render ``p`` in-process; the error's last lines, or None when it worked."""
    try:
        render_inprocess(
            Path(p.notebook),
            p.params,
            Path(p.out_html),
            footer=footer,
            title=p.title,
            timeout=timeout,
            staging=staging,
        )
    except RenderError as exc:
        return exc.tail
    except Exception as exc:  # export or publishing failed: report it like a batch does
        return error_tail(exc) or type(exc).__name__
    return None
