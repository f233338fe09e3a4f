"""Execute parameterised report notebooks and export them to HTML, one or many at a time.

Two ways to run a notebook:

* :func:`render_one` — the reference path: ``papermill.execute_notebook`` in its own fresh
  kernel, then :mod:`analysis.report.export`.
* :func:`run_batch` — many reports. ``engine="warm"`` (default) runs ``workers`` processes that
  each keep **one warm kernel** (jupyter_client ``AsyncKernelManager``; execution through
  papermill's own ``PapermillNotebookClient`` on the already-started kernel, with the parameters
  injected by ``papermill.parameterize.parameterize_notebook``), reset the kernel between
  reports and export HTML in-process. ``engine="papermill"`` runs :func:`render_one` per job in
  the same kind of process pool (the naive reference, for benchmarks and the equality test).

Right after start each warm kernel imports ``DEFAULT_PRELOAD`` (pandas, geopandas, matplotlib,
...), activates the inline backend, snapshots the global state and ``gc.freeze()``s the imported
libraries. Before every report it is reset (``_KERNEL_STATE_SRC``): ``%reset -f`` plus the dunder
names of a fresh ``__main__``, execution counter back to 1, ``plt.close('all')``, matplotlib
rcParams, pandas options, numpy print/error options, warnings filters and registries,
``os.environ``, ``sys.path``, locale, IPython's float precision and inline-figure formats
restored to the snapshot, ``os.chdir`` to the notebook folder, and ``random`` / ``numpy.random``
reseeded from OS entropy, as a fresh kernel would be. For speed only (never for output), the
warm kernel raises the garbage collector's thresholds and, after each reset, ``gc.freeze()``s
what survived (module-level caches), so collections do not rescan them during every report;
every ``FULL_GC_EVERY`` resets it unfreezes and collects everything once, so that cache entries
evicted since (cyclic garbage) are freed. Known, accepted differences from a fresh
kernel: modules stay imported (that is the point), so module-level caches and monkey-patches of
library internals survive (report code must only cache data keyed by its inputs and must not
patch libraries), import-time warnings appear only once per kernel (stderr is not exported
anyway), and ``matplotlib.is_interactive()`` is already True before a report's first figure.

A failing cell, a dead kernel or a cell timeout fails that job only; the worker starts a fresh
kernel for its next job. Runs are resumable: a job is skipped when its HTML exists and its
fingerprint (notebook, parameters, ``processed/*.parquet`` + ``sources.json`` contents and the
``analysis`` package sources) matches ``<reports_dir>/<profiel>/.state.json``.

Workers are ``forkserver`` processes (``spawn`` where unavailable) started with ``__main__``
hidden, so the caller's script is never re-run inside them and needs no ``__main__`` guard.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import multiprocessing as mp
import re
import signal
import sys
import threading
import time
import traceback
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.connection import wait as mp_wait
from pathlib import Path
from typing import Any

import nbformat

from analysis.report.export import export_to_file, html_exporter, html_title, write_text_atomic
from analysis.report.footer import FooterInfo, footer_info
from analysis.report.params import ParameterError

log = logging.getLogger(__name__)

ENGINES = ("warm", "papermill")
DEFAULT_START_TIMEOUT = 180
#: Modules imported once into each warm kernel right after start (missing ones are ignored).
DEFAULT_PRELOAD: tuple[str, ...] = (
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.pyplot",
    "geopandas",
    "IPython.display",
    "analysis",
)
STATE_FILE = ".state.json"
_STATE_VERSION = 1
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_TAIL_LINES = 15


# =========================================================================== public data types


@dataclass(frozen=True)
class ReportJob:
    """One report to render: ``notebook`` executed with ``params`` into ``out_html``."""

    kind: str
    code: str
    notebook: Path
    params: dict
    out_html: Path
    title: str
    group: str


@dataclass(frozen=True)
class RenderResult:
    """Outcome of :func:`render_one`."""

    out_html: Path
    title: str
    seconds: float
    execute_seconds: float
    export_seconds: float
    ipynb: Path | None = None


class RenderError(RuntimeError):
    """A report could not be rendered; ``tail`` holds the last lines of the error."""

    def __init__(self, message: str, tail: str = "") -> None:
        super().__init__(message if not tail else f"{message}\n{tail}")
        self.tail = tail or message


@dataclass(frozen=True)
class JobFailure:
    """A failed job: its code, output path and the last lines of the error."""

    code: str
    out_html: str
    error: str


@dataclass
class BatchSummary:
    """Counts and timings of a :func:`run_batch` call."""

    engine: str
    workers: int
    rendered: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[JobFailure] = field(default_factory=list)
    total_seconds: float = 0.0
    job_seconds: dict[str, float] = field(default_factory=dict)
    kernel_start_seconds: list[float] = field(default_factory=list)

    @property
    def seconds_per_report(self) -> float:
        """Wall time divided by the number of reports rendered (0 when none)."""
        return self.total_seconds / self.rendered if self.rendered else 0.0

    @property
    def exit_code(self) -> int:
        """0 when nothing failed, 1 otherwise."""
        return 1 if self.failed else 0

    def format(self) -> str:
        """Dutch/English summary for the terminal."""
        lines = [
            f"Rapporten / reports: {self.rendered} gemaakt (rendered), {self.skipped} "
            f"overgeslagen (skipped, unchanged), {self.failed} mislukt (failed) — "
            f"engine={self.engine}, workers={self.workers}",
            f"Tijd / time: {self.total_seconds:.1f} s totaal, "
            f"{self.seconds_per_report:.2f} s per rapport",
        ]
        if self.kernel_start_seconds:
            ks = self.kernel_start_seconds
            lines.append(
                f"Kernelstarts / kernel starts: {len(ks)}, gemiddeld {sum(ks) / len(ks):.2f} s"
            )
        for f in self.failures:
            lines.append(f"MISLUKT / FAILED {f.code} -> {f.out_html}")
            lines.extend("    " + line for line in f.error.splitlines()[-_TAIL_LINES:])
        return "\n".join(lines)


# =========================================================================== helpers


def _tail(text: str, n: int = _TAIL_LINES) -> str:
    lines = [ln.rstrip() for ln in _ANSI.sub("", text).splitlines() if ln.strip()]
    return "\n".join(lines[-n:])


def _exception_tail(exc: BaseException) -> str:
    ename = getattr(exc, "ename", None)
    if ename:  # PapermillExecutionError
        tb = "\n".join(getattr(exc, "traceback", []) or [])
        return _tail(tb or f"{ename}: {getattr(exc, 'evalue', '')}")
    text = "".join(traceback.format_exception_only(type(exc), exc))
    return _tail(text)


def notebook_error(nb: nbformat.NotebookNode) -> str | None:
    """Last lines of the first error output in an executed notebook, or None."""
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            if out.get("output_type") == "error":
                tb = "\n".join(out.get("traceback", []))
                return _tail(tb or f"{out.get('ename', '')}: {out.get('evalue', '')}")
    return None


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


_PARAM_CACHE: dict[tuple[str, int], tuple[str, ...]] = {}


def notebook_parameters(notebook: Path) -> tuple[str, ...]:
    """Names assigned in the notebook's ``parameters`` cell (as papermill infers them)."""
    from papermill.inspection import _infer_parameters
    from papermill.iorw import load_notebook_node

    notebook = Path(notebook)
    key = (str(notebook.resolve()), notebook.stat().st_mtime_ns)
    if key not in _PARAM_CACHE:
        nb = load_notebook_node(str(notebook))
        _PARAM_CACHE[key] = tuple(p.name for p in _infer_parameters(nb))
    return _PARAM_CACHE[key]


def check_notebook_params(notebook: Path, params: Mapping[str, Any]) -> None:
    """Raise :class:`ParameterError` for a missing notebook or a parameter it does not declare."""
    notebook = Path(notebook)
    if not notebook.is_file():
        raise ParameterError(f"notebook {notebook} bestaat niet")
    declared = notebook_parameters(notebook)
    unknown = [k for k in params if k not in declared]
    if unknown:
        raise ParameterError(
            f"notebook {notebook.name} kent parameter(s) {', '.join(map(repr, unknown))} niet; "
            f"de parameters-cel declareert: {', '.join(declared) or '(geen parameters-cel)'}"
        )


def _is_kernel_start_failure(exc: BaseException) -> bool:
    from nbclient.exceptions import CellTimeoutError

    if isinstance(exc, CellTimeoutError):
        return False
    msg = str(exc)
    return isinstance(exc, TimeoutError) or any(
        s in msg for s in ("didn't respond", "kernel_info", "Kernel died before replying")
    )


def _write_ipynb(nb: nbformat.NotebookNode, path: Path) -> None:
    write_text_atomic(Path(path), nbformat.writes(nb))


# =========================================================================== reference path


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
) -> RenderResult:
    """Execute ``notebook`` with papermill in a fresh kernel and export it to ``out_html``.

    The kernel's working directory is the notebook's folder. A kernel that fails to start is
    retried once. Raises :class:`RenderError` (with the error's last lines) when a cell fails,
    and :class:`~analysis.report.params.ParameterError` for a parameter the notebook lacks.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    notebook = Path(notebook).resolve()
    out_html = Path(out_html)
    check_notebook_params(notebook, params)
    if keep_ipynb:
        Path(keep_ipynb).parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    nb = None
    for attempt in (1, 2):
        try:
            nb = papermill.execute_notebook(
                str(notebook),
                str(keep_ipynb) if keep_ipynb else None,
                parameters=dict(params),
                kernel_name=kernel_name,
                progress_bar=False,
                request_save_on_cell_execute=False,
                start_timeout=start_timeout,
                execution_timeout=timeout,
                cwd=str(notebook.parent),
            )
            break
        except PapermillExecutionError as exc:
            raise RenderError(f"{notebook.name}: cel faalde", _exception_tail(exc)) from None
        except Exception as exc:
            if attempt == 1 and _is_kernel_start_failure(exc):
                log.warning("kernel start failed (%s); retrying once", exc)
                continue
            raise RenderError(f"{notebook.name}: uitvoering mislukt", _exception_tail(exc)) from exc
    assert nb is not None
    t1 = time.perf_counter()
    html = export_to_file(nb, out_html, footer=footer, title_hint=title or "")
    t2 = time.perf_counter()
    return RenderResult(
        out_html=out_html,
        title=html_title(html) or title or notebook.stem,
        seconds=t2 - t0,
        execute_seconds=t1 - t0,
        export_seconds=t2 - t1,
        ipynb=Path(keep_ipynb) if keep_ipynb else None,
    )


# =========================================================================== warm kernel

#: Installed in each warm kernel as module ``_report_engine_state`` (never in the user namespace).
_KERNEL_STATE_SRC = r'''
GC_THRESHOLD = (20_000, 20, 20)
#: every this many resets, frozen objects are unfrozen and collected once: caches that report
#: code evicted (figures are full of reference cycles) are otherwise never freed
FULL_GC_EVERY = 16

import copy as _copy
import gc as _gc
import importlib as _importlib
import locale as _locale
import os as _os
import random as _random
import sys as _sys
import time as _time
import warnings as _warnings

from IPython import get_ipython as _get_ipython

_ip = _get_ipython()
_snap = {}


def _pd_options(pd):
    from pandas._config import config as cfg
    out = {}
    for key in cfg._registered_options:
        if key in cfg._deprecated_options:
            continue
        try:
            out[key] = _copy.deepcopy(pd.get_option(key))
        except Exception:
            pass
    return out


def _inline_backend():
    if "matplotlib_inline.backend_inline" not in _sys.modules:
        return None
    from matplotlib_inline.config import InlineBackend
    return InlineBackend.instance()


def setup(preload):
    """Preload modules, activate the inline backend, snapshot the fresh state."""
    _snap["ns"] = dict(_ip.user_ns)
    for name in preload:
        try:
            _importlib.import_module(name)
        except Exception:
            pass
    if "matplotlib.pyplot" in _sys.modules:
        plt = _sys.modules["matplotlib.pyplot"]
        plt.figure()
        plt.close("all")
    _snapshot()
    # objects alive now (the preloaded libraries) are never garbage: keep them out of the
    # full collections that %reset runs, which would otherwise scan them on every report
    _gc.collect()
    _gc.freeze()
    # report code allocates millions of short-lived objects (pandas, matplotlib); with the
    # default first-generation threshold (700) the collector runs thousands of times per
    # report. Garbage collection never changes a report's output.
    _gc.set_threshold(*GC_THRESHOLD)


def _snapshot():
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        if "matplotlib" in _sys.modules:
            mpl = _sys.modules["matplotlib"]
            _snap["rc"] = {k: _copy.deepcopy(v) for k, v in dict.items(mpl.rcParams)}
        if "pandas" in _sys.modules:
            _snap["pd"] = _pd_options(_sys.modules["pandas"])
        if "numpy" in _sys.modules:
            np = _sys.modules["numpy"]
            _snap["np_print"] = np.get_printoptions()
            _snap["np_err"] = np.geterr()
        ib = _inline_backend()
        if ib is not None:
            _snap["inline"] = (set(ib.figure_formats), dict(ib.print_figure_kwargs),
                               ib.close_figures, dict(ib.rc))
    _snap["filters"] = list(_warnings.filters)
    _snap["env"] = dict(_os.environ)
    _snap["path"] = list(_sys.path)
    try:
        _snap["locale"] = _locale.setlocale(_locale.LC_ALL)
    except Exception:
        pass
    fmt = _ip.display_formatter.formatters.get("text/plain")
    _snap["precision"] = getattr(fmt, "float_precision", "")


def reset(cwd):
    """Bring the kernel back to its post-start state before the next report."""
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        if "matplotlib.pyplot" in _sys.modules:
            _sys.modules["matplotlib.pyplot"].close("all")
        _ip.run_line_magic("reset", "-f")
        ns = _ip.user_ns
        for key, value in _snap["ns"].items():
            if key not in ns:
                ns[key] = value
        _ip.execution_count = 1
        if "rc" in _snap:
            mpl = _sys.modules["matplotlib"]
            changed = {k: v for k, v in _snap["rc"].items()
                       if k != "backend" and dict.get(mpl.rcParams, k) != v}
            if changed:
                mpl.rcParams.update(changed)
        if "pd" in _snap:
            pd = _sys.modules["pandas"]
            for key, value in _snap["pd"].items():
                try:
                    if pd.get_option(key) != value:
                        pd.set_option(key, value)
                except Exception:
                    pass
        if "np_print" in _snap:
            np = _sys.modules["numpy"]
            np.set_printoptions(**_snap["np_print"])
            np.seterr(**_snap["np_err"])
        ib = _inline_backend()
        if ib is not None and "inline" in _snap:
            formats, kwargs, close, rc = _snap["inline"]
            if (set(ib.figure_formats), dict(ib.print_figure_kwargs)) != (formats, kwargs):
                ib.figure_formats = set(formats)
                ib.print_figure_kwargs = dict(kwargs)
                from matplotlib_inline.backend_inline import select_figure_formats
                select_figure_formats(_ip, formats, **kwargs)
            ib.close_figures = close
            ib.rc = dict(rc)
        bi = _sys.modules.get("matplotlib_inline.backend_inline")
        if bi is not None and hasattr(bi, "show"):
            bi.show._to_draw = []
            bi.show._draw_called = False
        fmt = _ip.display_formatter.formatters.get("text/plain")
        if fmt is not None and fmt.float_precision != _snap["precision"]:
            fmt.float_precision = _snap["precision"]
        env = _snap["env"]
        for key in [k for k in _os.environ if k not in env]:
            del _os.environ[key]
        for key, value in env.items():
            if _os.environ.get(key) != value:
                _os.environ[key] = value
        _time.tzset()
        _sys.path[:] = _snap["path"]
        if "locale" in _snap:
            try:
                _locale.setlocale(_locale.LC_ALL, _snap["locale"])
            except Exception:
                pass
        _os.chdir(cwd)
        _random.seed()
        if "numpy" in _sys.modules:
            _sys.modules["numpy"].random.seed()
    _warnings.filters[:] = _snap["filters"]
    _warnings._filters_mutated()
    _warnings.onceregistry.clear()
    for mod in list(_sys.modules.values()):
        reg = getattr(mod, "__warningregistry__", None)
        if isinstance(reg, dict):
            reg.clear()
    # %reset collected the previous report's garbage after clearing the namespace; what is
    # still alive are module-level caches (data, boundaries, map bases) kept for the next
    # reports: move them out of the collector's way, as setup() did with the libraries
    _snap["resets"] = _snap.get("resets", 0) + 1
    if _snap["resets"] % FULL_GC_EVERY == 0:
        _gc.unfreeze()
        _gc.collect()
    _gc.freeze()
'''


class KernelFailure(RuntimeError):
    """The warm kernel could not be started or did not answer."""


class WarmKernel:
    """One long-lived kernel that executes many notebooks, reset in between."""

    def __init__(
        self,
        kernel_name: str = "python3",
        *,
        start_timeout: int = DEFAULT_START_TIMEOUT,
        preload: Sequence[str] = DEFAULT_PRELOAD,
        cwd: Path | None = None,
    ) -> None:
        self.kernel_name = kernel_name
        self.start_timeout = start_timeout
        self.preload = tuple(preload)
        self.cwd = str(cwd or Path.cwd())
        self.km = None
        self.kc = None
        self.start_seconds: list[float] = []

    # -- low level -----------------------------------------------------------------------
    def _run(self, coro_fn, *args, **kwargs):
        from jupyter_core.utils import run_sync

        return run_sync(coro_fn)(*args, **kwargs)

    async def _silent(self, code: str, timeout: float) -> None:
        """Execute ``code`` silently; raise KernelFailure on error or no reply."""

        msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + timeout
        reply = None
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise KernelFailure(f"kernel did not answer within {timeout:.0f} s")
            try:
                msg = await self.kc.get_shell_msg(timeout=min(remaining, 1.0))
            except (TimeoutError, Exception) as exc:  # queue.Empty
                if not await self.km.is_alive():
                    raise KernelFailure("kernel died") from exc
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                reply = msg
                break
        # drain iopub up to our idle status so nbclient never sees our messages
        while time.monotonic() < deadline:
            try:
                msg = await self.kc.get_iopub_msg(timeout=1.0)
            except Exception:
                break
            if (
                msg["parent_header"].get("msg_id") == msg_id
                and msg["msg_type"] == "status"
                and msg["content"].get("execution_state") == "idle"
            ):
                break
        content = reply["content"]
        if content.get("status") != "ok":
            raise KernelFailure(
                _tail(
                    "\n".join(content.get("traceback", []))
                    + f"\n{content.get('ename')}: {content.get('evalue')}"
                )
            )

    async def _async_start(self) -> None:
        from jupyter_client.manager import AsyncKernelManager

        km = AsyncKernelManager(kernel_name=self.kernel_name)
        await km.start_kernel(extra_arguments=["--HistoryManager.hist_file=:memory:"], cwd=self.cwd)
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=self.start_timeout)
        except BaseException:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)
            raise
        kc.allow_stdin = False
        self.km, self.kc = km, kc
        code = (
            "exec(compile(" + repr(_KERNEL_STATE_SRC) + ", '<report-engine>', 'exec'), "
            "__import__('sys').modules.setdefault('_report_engine_state', "
            "__import__('types').ModuleType('_report_engine_state')).__dict__)"
        )
        await self._silent(code, self.start_timeout)
        await self._silent(
            "__import__('sys').modules['_report_engine_state'].setup(" + repr(self.preload) + ")",
            self.start_timeout,
        )

    # -- public --------------------------------------------------------------------------
    @property
    def started(self) -> bool:
        return self.km is not None

    def start(self) -> float:
        """Start the kernel (one retry on failure); returns the start time in seconds."""
        t0 = time.perf_counter()
        last: BaseException | None = None
        for attempt in (1, 2):
            try:
                self._run(self._async_start)
                break
            except BaseException as exc:  # noqa: BLE001 - retried once, then reported
                last = exc
                self._discard()
                if attempt == 2:
                    raise KernelFailure(f"kernel start failed twice: {exc}") from exc
                log.warning("kernel start failed (%s); retrying once", exc)
        del last
        seconds = time.perf_counter() - t0
        self.start_seconds.append(seconds)
        return seconds

    def is_alive(self) -> bool:
        if self.km is None:
            return False
        try:
            return bool(self._run(self.km.is_alive))
        except Exception:
            return False

    def ensure_started(self) -> None:
        if not self.is_alive():
            self.shutdown()
            self.start()

    def reset(self, cwd: str | Path) -> None:
        """Reset the user namespace and global library state (see module docstring)."""
        self._run(
            self._silent,
            f"__import__('sys').modules['_report_engine_state'].reset({str(cwd)!r})",
            120,
        )

    def execute(self, nb: nbformat.NotebookNode, *, timeout: int | None) -> nbformat.NotebookNode:
        """Run ``nb`` exactly as papermill's nbclient engine would, on this kernel."""
        from papermill.clientwrap import PapermillNotebookClient
        from papermill.engines import NotebookExecutionManager
        from papermill.log import logger as pm_logger

        nb_man = NotebookExecutionManager(
            nb, output_path=None, log_output=False, progress_bar=False, autosave_cell_every=30
        )
        nb_man.notebook_start()
        try:
            client = PapermillNotebookClient(
                nb_man,
                km=self.km,
                timeout=timeout,
                startup_timeout=self.start_timeout,
                kernel_name=self.kernel_name,
                log=pm_logger,
                log_output=False,
                stdout_file=None,
                stderr_file=None,
            )
            client.kc = self.kc
            client.execute()
        finally:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
        return nb_man.nb

    def restart(self) -> None:
        """Throw the kernel away and start a fresh one."""
        self.shutdown()
        self.start()

    def _discard(self) -> None:
        self.km = None
        self.kc = None

    def shutdown(self) -> None:
        """Stop the kernel (quietly; it may already be dead)."""
        km, kc = self.km, self.kc
        self._discard()
        if kc is not None:
            with contextlib.suppress(Exception):
                kc.stop_channels()
        if km is not None:
            with contextlib.suppress(Exception):
                self._run(km.shutdown_kernel, now=True)

    def pid(self) -> int | None:
        """Process id of the kernel, when known."""
        provisioner = getattr(self.km, "provisioner", None)
        proc = getattr(provisioner, "process", None)
        return getattr(proc, "pid", None)


def execute_warm(
    warm: WarmKernel,
    notebook: Path,
    params: Mapping[str, Any],
    *,
    timeout: int | None,
    output_path: Path | None = None,
) -> nbformat.NotebookNode:
    """Parameterise ``notebook`` as papermill does and execute it on the warm kernel."""
    from papermill.execute import prepare_notebook_metadata, remove_error_markers
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    notebook = Path(notebook)
    nb = load_notebook_node(str(notebook))
    if params:
        nb = parameterize_notebook(nb, dict(params), False, kernel_name=warm.kernel_name)
    nb = prepare_notebook_metadata(
        nb, str(notebook), str(output_path) if output_path else None, False
    )
    nb = remove_error_markers(nb)
    warm.ensure_started()
    warm.reset(notebook.resolve().parent)
    return warm.execute(nb, timeout=timeout)


# =========================================================================== batch workers


@dataclass(frozen=True)
class _Payload:
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
class _WorkerConfig:
    engine: str
    kernel_name: str
    timeout: int | None
    start_timeout: int
    footer: FooterInfo | None
    preload: tuple[str, ...]


@dataclass(frozen=True)
class _Outcome:
    index: int
    ok: bool
    seconds: float
    error: str = ""
    kernel_starts: tuple[float, ...] = ()


def _run_job_warm(warm: WarmKernel, cfg: _WorkerConfig, p: _Payload) -> _Outcome:
    from papermill.exceptions import PapermillExecutionError
    from papermill.execute import raise_for_execution_errors

    t0 = time.perf_counter()
    notebook = Path(p.notebook)
    try:
        nb = execute_warm(
            warm,
            notebook,
            p.params,
            timeout=cfg.timeout,
            output_path=Path(p.keep_ipynb) if p.keep_ipynb else None,
        )
    except Exception as exc:  # dead kernel, timeout, start failure: fail this job only
        warm.shutdown()  # a fresh kernel is started for the next job
        return _Outcome(p.index, False, time.perf_counter() - t0, _exception_tail(exc))
    error = None
    try:
        raise_for_execution_errors(nb, None)  # papermill's rules (SystemExit(0) is fine)
    except PapermillExecutionError as exc:
        error = _exception_tail(exc)
        warm.shutdown()  # state after a failed cell is unknown: next job gets a fresh kernel
    try:
        if p.keep_ipynb:
            _write_ipynb(nb, Path(p.keep_ipynb))
        if error is None:
            footer = cfg.footer.for_run(p.params, notebook=notebook) if cfg.footer else None
            export_to_file(nb, Path(p.out_html), footer=footer, title_hint=p.title)
    except Exception as exc:
        error = (error + "\n" if error else "") + _exception_tail(exc)
    return _Outcome(p.index, error is None, time.perf_counter() - t0, error or "")


def _run_job_papermill(cfg: _WorkerConfig, p: _Payload) -> _Outcome:
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
        )
    except RenderError as exc:
        return _Outcome(p.index, False, time.perf_counter() - t0, exc.tail)
    except Exception as exc:
        return _Outcome(p.index, False, time.perf_counter() - t0, _exception_tail(exc))
    return _Outcome(p.index, True, time.perf_counter() - t0)


def _prewarm_exporter() -> None:
    with contextlib.suppress(Exception):
        html_exporter()


def _worker_main(conn, cfg: _WorkerConfig) -> None:
    """Worker process: receive payloads, send outcomes, until ``None`` arrives."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop

    def _term(signum, frame):  # noqa: ARG001
        raise SystemExit(1)

    signal.signal(signal.SIGTERM, _term)
    logging.getLogger("papermill").setLevel(logging.WARNING)
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    warm: WarmKernel | None = None
    reported_starts = 0
    try:
        # build the HTML exporter (templates, ~0.5 s) while the kernel boots
        prewarm = threading.Thread(target=_prewarm_exporter, daemon=True)
        prewarm.start()
        if cfg.engine == "warm":
            warm = WarmKernel(cfg.kernel_name, start_timeout=cfg.start_timeout, preload=cfg.preload)
            # a failed start is retried by the first job, which then records the failure
            with contextlib.suppress(Exception):
                warm.start()
        prewarm.join()
        while True:
            try:
                payload = conn.recv()
            except EOFError:
                break
            if payload is None:
                break
            if warm is not None:
                outcome = _run_job_warm(warm, cfg, payload)
                starts = tuple(warm.start_seconds[reported_starts:])
                reported_starts = len(warm.start_seconds)
                outcome = dataclasses.replace(outcome, kernel_starts=starts)
            else:
                outcome = _run_job_papermill(cfg, payload)
            conn.send(outcome)
    finally:
        if warm is not None:
            warm.shutdown()
        conn.close()


@contextlib.contextmanager
def _main_module_hidden():
    """Hide ``__main__`` while starting a worker, so the child never re-runs the caller's script.

    Workers only need :func:`_worker_main` and picklable payloads from this module; re-running
    an unguarded caller script in each worker (what ``spawn``/``forkserver`` do by default)
    would start a batch inside every worker.
    """
    real = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = real


class _Worker:
    def __init__(self, ctx, cfg: _WorkerConfig) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, cfg), name="report-worker")
        with _main_module_hidden():
            self.proc.start()
        child.close()
        self.current: _Payload | None = None
        self.group: str | None = None  # group of the last job sent
        self.started_at = 0.0
        self.reported_start = False

    def send(self, payload: _Payload) -> None:
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


# =========================================================================== fingerprints & state


def _sha_file(path: Path, digest: Any) -> None:
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)


def inputs_digest(data_dir: Path) -> str:
    """sha256 over the names and contents of ``processed/*.parquet`` and ``sources.json``."""
    processed = Path(data_dir) / "processed"
    digest = hashlib.sha256()
    files = sorted(processed.glob("*.parquet"))
    sources = processed / "sources.json"
    if sources.is_file():
        files.append(sources)
    for path in files:
        digest.update(path.name.encode() + b"\0")
        _sha_file(path, digest)
        digest.update(b"\0")
    return digest.hexdigest()


def package_digest() -> str:
    """sha256 over the source files (code, templates) of the ``analysis`` package."""
    import analysis

    root = Path(analysis.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix in {".pyc", ".pyo"}:
            continue
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        _sha_file(path, digest)
        digest.update(b"\0")
    return digest.hexdigest()


def job_fingerprint(
    job: ReportJob, *, notebook_sha: str, inputs: str, package: str, kernel_name: str
) -> str:
    """sha256 identifying everything a job's output depends on."""
    payload = {
        "v": _STATE_VERSION,
        "kind": job.kind,
        "code": job.code,
        "notebook": notebook_sha,
        "params": job.params,
        "inputs": inputs,
        "package": package,
        "kernel": kernel_name,
        "title": job.title,
    }
    return hashlib.sha256(_canonical(payload).encode()).hexdigest()


def state_path_for(out_html: Path, reports_dir: Path) -> Path:
    """``<reports_dir>/<first folder under it>/.state.json`` (``reports/<profiel>/.state.json``)."""
    rel = Path(out_html).resolve().relative_to(Path(reports_dir).resolve())
    base = Path(reports_dir).resolve()
    return base / rel.parts[0] / STATE_FILE if len(rel.parts) > 1 else base / STATE_FILE


class _StateStore:
    """Fingerprints of rendered reports, one JSON file per profile folder."""

    def __init__(self) -> None:
        self._data: dict[Path, dict[str, Any]] = {}

    def _load(self, path: Path) -> dict[str, Any]:
        if path not in self._data:
            data: dict[str, Any] = {"version": _STATE_VERSION, "reports": {}}
            if path.is_file():
                try:
                    loaded = json.loads(path.read_text(encoding="utf-8"))
                    if loaded.get("version") == _STATE_VERSION:
                        data = loaded
                except (json.JSONDecodeError, AttributeError):
                    log.warning("ignoring unreadable state file %s", path)
            self._data[path] = data
        return self._data[path]

    @staticmethod
    def _key(state: Path, out_html: Path) -> str:
        return Path(out_html).resolve().relative_to(state.parent).as_posix()

    def get(self, state: Path, out_html: Path) -> str | None:
        entry = self._load(state)["reports"].get(self._key(state, out_html))
        return entry.get("fingerprint") if entry else None

    def set(self, state: Path, out_html: Path, fingerprint: str | None, seconds: float) -> None:
        reports = self._load(state)["reports"]
        key = self._key(state, out_html)
        if fingerprint is None:
            reports.pop(key, None)
        else:
            reports[key] = {
                "fingerprint": fingerprint,
                "rendered_at": datetime.now().astimezone().isoformat(timespec="seconds"),
                "seconds": round(seconds, 3),
            }
        write_text_atomic(state, json.dumps(self._data[state], indent=1, sort_keys=True))


# =========================================================================== batch driver


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


def _validate_jobs(jobs: Sequence[ReportJob], reports_dir: Path) -> None:
    root = Path(reports_dir).resolve()
    seen: dict[Path, str] = {}
    for job in jobs:
        out = Path(job.out_html).resolve()
        if not out.is_relative_to(root):
            raise ParameterError(f"uitvoer {out} van {job.code} ligt buiten de rapportmap {root}")
        if out in seen:
            raise ParameterError(f"{job.code} en {seen[out]} schrijven allebei naar {out}")
        seen[out] = job.code
        check_notebook_params(Path(job.notebook), job.params)


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
    """
    if engine not in ENGINES:
        raise ParameterError(f"onbekende engine {engine!r}; geldig: {', '.join(ENGINES)}")
    if workers < 1:
        raise ParameterError(f"workers moet minstens 1 zijn, niet {workers!r}")
    t_start = time.perf_counter()
    reports_dir = Path(reports_dir).resolve()
    data_dir = Path(data_dir).resolve()
    jobs = list(jobs)
    _validate_jobs(jobs, reports_dir)
    summary = BatchSummary(engine=engine, workers=workers)
    if not jobs:
        return summary

    base_footer = footer_info(data_dir, {}, notebook=Path(jobs[0].notebook)) if footer else None
    inputs = inputs_digest(data_dir)
    package = package_digest()
    nb_sha: dict[Path, str] = {}
    for job in jobs:
        path = Path(job.notebook).resolve()
        if path not in nb_sha:
            nb_sha[path] = hashlib.sha256(path.read_bytes()).hexdigest()

    store = _StateStore()
    todo: list[_Payload] = []
    for i, job in enumerate(jobs):
        fp = job_fingerprint(
            job,
            notebook_sha=nb_sha[Path(job.notebook).resolve()],
            inputs=inputs,
            package=package,
            kernel_name=kernel_name,
        )
        out = Path(job.out_html).resolve()
        state = state_path_for(out, reports_dir)
        if resume and out.is_file() and store.get(state, out) == fp:
            summary.skipped += 1
            continue
        keep = None
        if keep_ipynb_dir is not None:
            keep = str(Path(keep_ipynb_dir).resolve() / f"{out.stem}.ipynb")
        todo.append(
            _Payload(
                index=i,
                code=job.code,
                notebook=str(Path(job.notebook).resolve()),
                params=dict(job.params),
                out_html=str(out),
                title=job.title,
                keep_ipynb=keep,
                fingerprint=fp,
                group=job.group,
            )
        )

    cfg = _WorkerConfig(
        engine=engine,
        kernel_name=kernel_name,
        timeout=timeout,
        start_timeout=start_timeout,
        footer=base_footer,
        preload=tuple(preload),
    )
    bar = _Progress(len(todo), progress)

    def record(p: _Payload, outcome: _Outcome) -> None:
        out = Path(p.out_html)
        state = state_path_for(out, reports_dir)
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
        _drive(todo, cfg, min(workers, len(todo)), record)
    finally:
        bar.close()
    summary.total_seconds = time.perf_counter() - t_start
    if progress:
        print(summary.format(), flush=True)
    return summary


def _mp_context():
    """``forkserver`` where available (workers fork from a clean server that has this module
    preloaded: no inherited threads, cheap respawns), else ``spawn``."""
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["analysis.report.engine"])
        return ctx
    return mp.get_context("spawn")


def _next_payload(
    pending: list[_Payload], last_group: str | None, other_groups: set[str]
) -> _Payload:
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


def _drive(todo: list[_Payload], cfg: _WorkerConfig, n_workers: int, record) -> None:
    """Hand payloads to worker processes, replace workers that die, collect outcomes."""
    if not todo:
        return
    ctx = _mp_context()
    pending: list[_Payload] = list(todo)
    pool: list[_Worker] = [_Worker(ctx, cfg) for _ in range(n_workers)]
    idle_deaths = 0
    interrupted = False
    try:
        while pending or any(w.current is not None for w in pool):
            for w in pool:
                if w.current is None and pending:
                    others = {o.group for o in pool if o is not w and o.current is not None}
                    payload = _next_payload(pending, w.group, others)
                    w.group = payload.group
                    try:
                        w.send(payload)
                    except (OSError, BrokenPipeError):
                        pending.insert(0, payload)
                        w.current = None
            busy = [w for w in pool if w.current is not None]
            if not busy:
                break
            waitables: list[Any] = [w.conn for w in busy] + [w.proc.sentinel for w in busy]
            ready = mp_wait(waitables, timeout=5.0)
            for w in list(busy):
                outcome = None
                if w.conn in ready or w.conn.poll():
                    try:
                        outcome = w.conn.recv()
                    except (EOFError, OSError):
                        outcome = None
                if outcome is not None:
                    payload = w.current
                    w.current = None
                    assert payload is not None
                    record(payload, outcome)
                elif w.proc.sentinel in ready or not w.proc.is_alive():
                    payload = w.current
                    w.current = None
                    w.proc.join(1)
                    assert payload is not None
                    record(
                        payload,
                        _Outcome(
                            payload.index,
                            False,
                            time.perf_counter() - w.started_at,
                            f"werkproces stopte onverwacht (exitcode {w.proc.exitcode})",
                        ),
                    )
                    w.conn.close()
                    pool[pool.index(w)] = _Worker(ctx, cfg)
                    idle_deaths += 1
                    if idle_deaths > len(todo) + n_workers:
                        raise RuntimeError("report workers keep dying; giving up")
    except BaseException:
        interrupted = True
        raise
    finally:
        for w in pool:
            # idle workers stop cleanly; on Ctrl-C busy ones get a short grace period
            w.stop(timeout=2.0 if interrupted and w.current is not None else 30.0)


def summary_dict(summary: BatchSummary) -> dict[str, Any]:
    """Plain-dict form of a summary (for JSON logs)."""
    data = dataclasses.asdict(summary)
    data["seconds_per_report"] = summary.seconds_per_report
    data["exit_code"] = summary.exit_code
    return data
