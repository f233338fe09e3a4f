"""Batch worker processes: each keeps one warm kernel (or runs papermill) and renders jobs.

Workers are ``forkserver`` processes (``spawn`` where unavailable) started with ``__main__``
hidden, so the caller's script is never re-run inside them and needs no ``__main__`` guard.
A failing cell, a dead kernel or a cell timeout fails that job only; the worker starts a
fresh kernel for its next job. Each worker runs with the driver's environment as it was when
the batch started (``os.environ``), whatever the forkserver inherited earlier.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import signal
import sys
import threading
import time
import types
from dataclasses import dataclass
from pathlib import Path

from analysis.report.engine.kernels import remove_own_kernel_dir
from analysis.report.engine.model import RenderError, error_tail
from analysis.report.engine.notebook import write_ipynb
from analysis.report.engine.reference import render_one
from analysis.report.engine.staging import publish_text
from analysis.report.engine.warm import WarmKernel, execute_warm
from analysis.report.export import export_html, html_exporter
from analysis.report.footer import FooterInfo


@dataclass(frozen=True)
class Payload:
    """One job as sent to a worker."""

    index: int
    code: str
    notebook: str
    params: dict
    out_html: str
    title: str
    keep_ipynb: str | None
    fingerprint: str
    group: str = ""


@dataclass(frozen=True)
class WorkerConfig:
    """What every worker of a batch needs besides its jobs."""

    engine: str
    kernel_name: str
    timeout: int | None
    start_timeout: int
    footer: FooterInfo | None
    preload: tuple[str, ...]
    staging: str
    environ: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """A worker's answer for one payload."""

    index: int
    ok: bool
    seconds: float
    error: str = ""
    kernel_starts: tuple[float, ...] = ()


def render_warm(
    warm: WarmKernel,
    p: Payload,
    footer: FooterInfo | None,
    *,
    timeout: int | None,
    staging: Path,
) -> str | None:
    """Execute one payload on the warm kernel and publish its HTML; the error's last lines,
    or None when it worked. A failed job leaves no kernel behind: the next one starts fresh."""
    from papermill.exceptions import PapermillExecutionError
    from papermill.execute import raise_for_execution_errors

    notebook = Path(p.notebook)
    keep = Path(p.keep_ipynb) if p.keep_ipynb else None
    try:
        nb = execute_warm(warm, notebook, p.params, timeout=timeout, output_path=keep)
    except Exception as exc:  # dead kernel, timeout, start failure: fail this job only
        warm.shutdown()  # a fresh kernel is started for the next job
        return error_tail(exc)
    error = None
    try:
        raise_for_execution_errors(nb, None)  # papermill's rules (SystemExit(0) is fine)
    except PapermillExecutionError as exc:
        error = error_tail(exc)
        warm.shutdown()  # state after a failed cell is unknown: next job gets a fresh kernel
    try:
        if keep:
            write_ipynb(nb, keep)
        if error is None:
            html = export_html(nb, footer=footer, title_hint=p.title)
            publish_text(html, Path(p.out_html), staging)
    except Exception as exc:
        error = (error + "\n" if error else "") + error_tail(exc)
    return error


def run_job_warm(warm: WarmKernel, cfg: WorkerConfig, p: Payload) -> Outcome:
    """Execute one payload on the warm kernel and publish its HTML."""
    t0 = time.perf_counter()
    try:
        footer = cfg.footer.for_run(p.params, notebook=Path(p.notebook)) if cfg.footer else None
    except Exception as exc:
        return Outcome(p.index, False, time.perf_counter() - t0, error_tail(exc))
    error = render_warm(warm, p, footer, timeout=cfg.timeout, staging=Path(cfg.staging))
    return Outcome(p.index, error is None, time.perf_counter() - t0, error or "")


def run_job_papermill(cfg: WorkerConfig, p: Payload) -> Outcome:
    """Render one payload with :func:`render_one` (a fresh kernel per job)."""
    t0 = time.perf_counter()
    notebook = Path(p.notebook)
    try:
        footer = cfg.footer.for_run(p.params, notebook=notebook) if cfg.footer else None
        render_one(
            notebook,
            p.params,
            Path(p.out_html),
            kernel_name=cfg.kernel_name,
            timeout=cfg.timeout or 600,
            footer=footer,
            keep_ipynb=Path(p.keep_ipynb) if p.keep_ipynb else None,
            start_timeout=cfg.start_timeout,
            title=p.title,
            staging=Path(cfg.staging),
        )
    except RenderError as exc:
        return Outcome(p.index, False, time.perf_counter() - t0, exc.tail)
    except Exception as exc:
        return Outcome(p.index, False, time.perf_counter() - t0, error_tail(exc))
    return Outcome(p.index, True, time.perf_counter() - t0)


def _prewarm_exporter() -> None:
    with contextlib.suppress(Exception):
        html_exporter()


def _start_warm(cfg: WorkerConfig) -> WarmKernel | None:
    if cfg.engine != "warm":
        return None
    warm = WarmKernel(cfg.kernel_name, start_timeout=cfg.start_timeout, preload=cfg.preload)
    # a failed start is retried by the first job, which then records the failure
    with contextlib.suppress(Exception):
        warm.start()
    return warm


def worker_main(conn, cfg: WorkerConfig) -> None:
    """Worker process: receive payloads, send outcomes, until ``None`` arrives."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop

    def _term(signum, frame):  # noqa: ARG001
        raise SystemExit(1)

    signal.signal(signal.SIGTERM, _term)
    if cfg.environ:
        os.environ.clear()
        os.environ.update(cfg.environ)
    logging.getLogger("papermill").setLevel(logging.WARNING)
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    warm: WarmKernel | None = None
    reported_starts = 0
    try:
        # build the HTML exporter (templates, ~0.5 s) while the kernel boots
        prewarm = threading.Thread(target=_prewarm_exporter, daemon=True)
        prewarm.start()
        warm = _start_warm(cfg)
        prewarm.join()
        while (payload := _receive(conn)) is not None:
            if warm is not None:
                outcome = run_job_warm(warm, cfg, payload)
                starts = tuple(warm.start_seconds[reported_starts:])
                reported_starts = len(warm.start_seconds)
                outcome = dataclasses.replace(outcome, kernel_starts=starts)
            else:
                outcome = run_job_papermill(cfg, payload)
            conn.send(outcome)
    finally:
        if warm is not None:
            warm.shutdown()
        remove_own_kernel_dir()
        conn.close()


def _receive(conn) -> Payload | None:
    try:
        return conn.recv()
    except EOFError:
        return None


@contextlib.contextmanager
def _main_module_hidden():
    """Hide ``__main__`` while starting a worker, so the child never re-runs the caller's script.

    Workers only need :func:`worker_main` and picklable payloads; re-running an unguarded
    caller script in each worker (what ``spawn``/``forkserver`` do by default) would start a
    batch inside every worker.
    """
    real = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = real


class Worker:
    """The driver's handle on one worker process."""

    def __init__(self, ctx, cfg: WorkerConfig) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=worker_main, args=(child, cfg), name="report-worker")
        with _main_module_hidden():
            self.proc.start()
        child.close()
        self.current: Payload | None = None
        self.group: str | None = None  # group of the last job sent
        self.started_at = 0.0

    def send(self, payload: Payload) -> None:
        self.current = payload
        self.started_at = time.perf_counter()
        self.conn.send(payload)

    def stop(self, timeout: float = 30.0) -> None:
        with contextlib.suppress(OSError, BrokenPipeError):
            self.conn.send(None)
        self.proc.join(timeout)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(10)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)
        self.conn.close()
