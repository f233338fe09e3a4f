"""The warm kernel: one long-lived kernel that executes many notebooks, reset in between.

Execution goes through papermill's own ``PapermillNotebookClient`` on the already-started
kernel, with the parameters injected as papermill does (:mod:`.notebook`), so an executed
notebook equals a :func:`~analysis.report.engine.reference.render_one` run. Right after start
the kernel imports the preload modules and snapshots its state; before every report it is
reset through :mod:`.kernel_state` (the one seam for kernel reset). Known, accepted
differences from a fresh kernel: modules stay imported (that is the point), so module-level
caches and monkey-patches of library internals survive (report code must only cache data
keyed by its inputs and must not patch libraries), import-time warnings appear only once per
kernel (stderr is not exported anyway), and ``matplotlib.is_interactive()`` is already True
before a report's first figure.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import nbformat

from analysis.report.engine.kernels import IPCKernelManager
from analysis.report.engine.model import DEFAULT_PRELOAD, DEFAULT_START_TIMEOUT, text_tail
from analysis.report.engine.notebook import prepared_notebook

log = logging.getLogger(__name__)

#: how the kernel reaches :mod:`analysis.report.engine.kernel_state` without adding a name to
#: the user namespace
_STATE = "__import__('importlib').import_module('analysis.report.engine.kernel_state')"


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
                text_tail(
                    "\n".join(content.get("traceback", []))
                    + f"\n{content.get('ename')}: {content.get('evalue')}"
                )
            )

    async def _async_start(self) -> None:
        km = IPCKernelManager(kernel_name=self.kernel_name)
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
        await self._silent(f"{_STATE}.setup({self.preload!r})", self.start_timeout)

    # -- public --------------------------------------------------------------------------
    @property
    def started(self) -> bool:
        return self.km is not None

    def start(self) -> float:
        """Start the kernel (one retry on failure); returns the start time in seconds."""
        t0 = time.perf_counter()
        for attempt in (1, 2):
            try:
                self._run(self._async_start)
                break
            except BaseException as exc:  # noqa: BLE001 - retried once, then reported
                self.shutdown()  # a kernel that started but failed its setup must not linger
                if attempt == 2:
                    raise KernelFailure(f"kernel start failed twice: {exc}") from exc
                log.warning("kernel start failed (%s); retrying once", exc)
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
        """Reset the user namespace and global library state (:func:`.kernel_state.reset`)."""
        self._run(
            self._silent,
            f"{_STATE}.reset({str(cwd)!r})",
            120,
        )

    def execute(self, nb: nbformat.NotebookNode, *, timeout: int | None) -> nbformat.NotebookNode:
        """Run ``nb`` exactly as papermill's nbclient engine would, on this kernel."""
        return execute_on(
            self.km,
            self.kc,
            nb,
            timeout=timeout,
            start_timeout=self.start_timeout,
            kernel_name=self.kernel_name,
        )

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
    notebook = Path(notebook)
    nb = prepared_notebook(notebook, params, kernel_name=warm.kernel_name, output_path=output_path)
    warm.ensure_started()
    warm.reset(notebook.resolve().parent)
    return warm.execute(nb, timeout=timeout)


def execute_on(
    km: Any,
    kc: Any,
    nb: nbformat.NotebookNode,
    *,
    timeout: int | None,
    start_timeout: int,
    kernel_name: str,
) -> nbformat.NotebookNode:
    """Run ``nb`` on a started kernel (manager ``km``, client ``kc``) with papermill's own
    notebook client, exactly as ``papermill.execute_notebook`` would."""
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
            km=km,
            timeout=timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=pm_logger,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
        )
        client.kc = kc
        client.execute()
    finally:
        nb_man.cleanup_pbar()
        nb_man.notebook_complete()
    return nb_man.nb
