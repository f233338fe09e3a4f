"""The batch driver: plan payloads, schedule them over worker processes, record outcomes."""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import sys
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import wait as mp_wait
from pathlib import Path
from typing import Any

from analysis.report.engine import state as resume_state
from analysis.report.engine.kernel_state import release_memory
from analysis.report.engine.model import (
    DEFAULT_PRELOAD,
    DEFAULT_START_TIMEOUT,
    ENGINES,
    BatchSummary,
    JobFailure,
    ReportJob,
)
from analysis.report.engine.notebook import check_notebook_params, notebook_parameters
from analysis.report.engine.staging import clean_leftovers, new_staging_dir, remove_staging_dir
from analysis.report.engine.worker import Outcome, Payload, Worker, WorkerConfig
from analysis.report.footer import footer_info
from analysis.report.params import ParameterError


class _Progress:
    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.done = 0
        self.enabled = enabled and total > 0
        self.bar = None
        if self.enabled and sys.stderr.isatty():
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, unit="rapport", desc="Rapporten", file=sys.stderr)

    def update(self, code: str, ok: bool, seconds: float) -> None:
        self.done += 1
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.set_postfix_str(f"{code} {'ok' if ok else 'MISLUKT'}", refresh=False)
            self.bar.update(1)
        else:
            width = len(str(self.total))
            status = "ok     " if ok else "MISLUKT"
            print(
                f"[{self.done:>{width}}/{self.total}] {status} {code} ({seconds:.2f} s)",
                flush=True,
            )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def validate_jobs(jobs: Sequence[ReportJob], reports_dir: Path) -> None:
    """Raise :class:`ParameterError` for output outside ``reports_dir``, a duplicate output or
    a parameter a notebook does not declare (each notebook is read once)."""
    root = Path(reports_dir).resolve()
    seen: dict[Path, str] = {}
    declared: dict[Path, tuple[str, ...]] = {}
    for job in jobs:
        out = Path(job.out_html).resolve()
        if not out.is_relative_to(root):
            raise ParameterError(f"uitvoer {out} van {job.code} ligt buiten de rapportmap {root}")
        if out in seen:
            raise ParameterError(f"{job.code} en {seen[out]} schrijven allebei naar {out}")
        seen[out] = job.code
        nb = Path(job.notebook).resolve()
        if nb not in declared and nb.is_file():
            declared[nb] = notebook_parameters(nb)
        check_notebook_params(nb, job.params, declared.get(nb))


def payloads(
    jobs: list[ReportJob],
    *,
    resume: bool,
    store: resume_state.StateStore,
    data_dir: Path,
    reports_dir: Path,
    kernel_name: str,
    keep_ipynb_dir: Path | None,
) -> tuple[list[Payload], int]:
    """The jobs that need rendering as payloads, and the number skipped as unchanged."""
    inputs = resume_state.inputs_digest(data_dir)
    package = resume_state.package_digest()
    nb_sha: dict[Path, str] = {}
    todo: list[Payload] = []
    skipped = 0
    for i, job in enumerate(jobs):
        nb = Path(job.notebook).resolve()
        if nb not in nb_sha:
            nb_sha[nb] = hashlib.sha256(nb.read_bytes()).hexdigest()
        fp = resume_state.job_fingerprint(
            job, notebook_sha=nb_sha[nb], inputs=inputs, package=package, kernel_name=kernel_name
        )
        out = Path(job.out_html).resolve()
        state = resume_state.state_path_for(out, reports_dir)
        if resume and out.is_file() and store.get(state, out) == fp:
            skipped += 1
            continue
        keep = str(Path(keep_ipynb_dir).resolve() / f"{out.stem}.ipynb") if keep_ipynb_dir else None
        todo.append(
            Payload(
                i, job.code, str(nb), dict(job.params), str(out), job.title, keep, fp, job.group
            )
        )
    return todo, skipped


def _check_options(engine: str, workers: int) -> None:
    if engine not in ENGINES:
        raise ParameterError(f"onbekende engine {engine!r}; geldig: {', '.join(ENGINES)}")
    if workers < 1:
        raise ParameterError(f"workers moet minstens 1 zijn, niet {workers!r}")


def run_batch(
    jobs: Sequence[ReportJob],
    *,
    workers: int = 2,
    resume: bool = True,
    progress: bool = True,
    engine: str = "warm",
    data_dir: Path,
    reports_dir: Path,
    kernel_name: str = "python3",
    timeout: int | None = 600,
    start_timeout: int = DEFAULT_START_TIMEOUT,
    keep_ipynb_dir: Path | None = None,
    preload: Sequence[str] = DEFAULT_PRELOAD,
    footer: bool = True,
) -> BatchSummary:
    """Render ``jobs`` with ``workers`` processes; one failure never stops the batch.

    ``reports_dir`` is the reports root; every ``out_html`` must lie inside it. Unchanged jobs
    with existing output are skipped when ``resume``. ``keep_ipynb_dir`` keeps each executed
    notebook as ``<stem>.ipynb``. ``footer=False`` omits the sources footer (no
    ``sources.json`` needed). Raises :class:`ParameterError` before executing anything when a
    job is invalid (output outside ``reports_dir``, duplicate output, unknown parameter).
    Leftovers of killed runs are removed first (:func:`~.staging.clean_leftovers`).
    """
    _check_options(engine, workers)
    t_start = time.perf_counter()
    reports_dir = Path(reports_dir).resolve()
    data_dir = Path(data_dir).resolve()
    jobs = list(jobs)
    validate_jobs(jobs, reports_dir)
    summary = BatchSummary(engine=engine, workers=workers)
    if not jobs:
        return summary
    clean_leftovers(reports_dir)
    release_memory()  # what planning read; the driver then only schedules
    staging = new_staging_dir(reports_dir)
    try:
        base_footer = footer_info(data_dir, {}, notebook=Path(jobs[0].notebook)) if footer else None
        store = resume_state.StateStore(staging)
        todo, summary.skipped = payloads(
            jobs,
            resume=resume,
            store=store,
            data_dir=data_dir,
            reports_dir=reports_dir,
            kernel_name=kernel_name,
            keep_ipynb_dir=keep_ipynb_dir,
        )
        cfg = WorkerConfig(
            engine=engine,
            kernel_name=kernel_name,
            timeout=timeout,
            start_timeout=start_timeout,
            footer=base_footer,
            preload=tuple(preload),
            staging=str(staging),
            environ=dict(os.environ),
        )
        _render(todo, cfg, min(workers, max(len(todo), 1)), summary, store, reports_dir, progress)
    finally:
        remove_staging_dir(staging)
    summary.total_seconds = time.perf_counter() - t_start
    if progress:
        print(summary.format(), flush=True)
    return summary


def _render(
    todo: list[Payload],
    cfg: WorkerConfig,
    n_workers: int,
    summary: BatchSummary,
    store: resume_state.StateStore,
    reports_dir: Path,
    progress: bool,
) -> None:
    """Run ``todo`` on the workers, recording each outcome in ``summary`` and ``store``."""
    bar = _Progress(len(todo), progress)

    def record(p: Payload, outcome: Outcome) -> None:
        out = Path(p.out_html)
        state = resume_state.state_path_for(out, reports_dir)
        summary.kernel_start_seconds.extend(outcome.kernel_starts)
        summary.job_seconds[p.code] = outcome.seconds
        if outcome.ok:
            summary.rendered += 1
            store.set(state, out, p.fingerprint, outcome.seconds)
        else:
            summary.failed += 1
            summary.failures.append(JobFailure(p.code, p.out_html, outcome.error or "onbekend"))
            store.set(state, out, None, outcome.seconds)
        bar.update(p.code, outcome.ok, outcome.seconds)

    try:
        _drive(todo, cfg, n_workers, record)
    finally:
        bar.close()


def _mp_context():
    """``forkserver`` where available (workers fork from a clean server that has the worker
    module preloaded: no inherited threads, cheap respawns), else ``spawn``."""
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["analysis.report.engine.worker"])
        return ctx
    return mp.get_context("spawn")


def next_payload(pending: list[Payload], last_group: str | None, other_groups: set[str]) -> Payload:
    """Take the next job for a worker from ``pending`` (non-empty, in plan order).

    Reports of one group (the gemeenten of a jeugdregio) share figure bases that a kernel
    caches, so a worker stays with its group: the next job of ``last_group`` if one is
    pending, else the first job of a group no other worker is on (``other_groups``), else
    the first pending job. A group is still shared when it is all that is left.
    """
    i = next((k for k, p in enumerate(pending) if p.group and p.group == last_group), None)
    if i is None:
        i = next((k for k, p in enumerate(pending) if p.group not in other_groups), 0)
    return pending.pop(i)


def _feed(pool: list[Worker], pending: list[Payload]) -> None:
    """Give every idle worker its next payload."""
    for w in pool:
        if w.current is None and pending:
            others = {o.group for o in pool if o is not w and o.current is not None}
            payload = next_payload(pending, w.group, others)
            w.group = payload.group
            try:
                w.send(payload)
            except (OSError, BrokenPipeError):
                pending.insert(0, payload)
                w.current = None


def _collect(w: Worker, ready: list[Any], record: Callable[[Payload, Outcome], None]) -> bool:
    """Record ``w``'s outcome if it has one; True when the worker died (its job failed)."""
    outcome = None
    if w.conn in ready or w.conn.poll():
        try:
            outcome = w.conn.recv()
        except (EOFError, OSError):
            outcome = None
    payload = w.current
    assert payload is not None
    if outcome is not None:
        w.current = None
        record(payload, outcome)
        return False
    if w.proc.sentinel in ready or not w.proc.is_alive():
        w.current = None
        w.proc.join(1)
        seconds = time.perf_counter() - w.started_at
        error = f"werkproces stopte onverwacht (exitcode {w.proc.exitcode})"
        record(payload, Outcome(payload.index, False, seconds, error))
        w.conn.close()
        return True
    return False


def _drive(
    todo: list[Payload],
    cfg: WorkerConfig,
    n_workers: int,
    record: Callable[[Payload, Outcome], None],
) -> None:
    """Hand payloads to worker processes, replace workers that die, collect outcomes."""
    if not todo:
        return
    ctx = _mp_context()
    pending: list[Payload] = list(todo)
    pool: list[Worker] = [Worker(ctx, cfg) for _ in range(n_workers)]
    deaths = 0
    interrupted = False
    try:
        while pending or any(w.current is not None for w in pool):
            _feed(pool, pending)
            busy = [w for w in pool if w.current is not None]
            if not busy:
                break
            ready = mp_wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], 5.0)
            for w in busy:
                if _collect(w, ready, record):
                    pool[pool.index(w)] = Worker(ctx, cfg)
                    deaths += 1
                    if deaths > len(todo) + n_workers:
                        raise RuntimeError("report workers keep dying; giving up")
    except BaseException:
        interrupted = True
        raise
    finally:
        for w in pool:
            # idle workers stop cleanly; on Ctrl-C busy ones get a short grace period
            w.stop(timeout=2.0 if interrupted and w.current is not None else 30.0)
