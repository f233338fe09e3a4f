"""Execute parameterised report notebooks and export them to HTML, one or many at a time.

* :func:`render_one` (:mod:`.reference`) — the reference path: ``papermill.execute_notebook``
  in its own fresh kernel, then :mod:`analysis.report.export`.
* :func:`run_batch` (:mod:`.pool`) — many reports. ``engine="warm"`` (default) runs
  ``workers`` processes (:mod:`.worker`) that each keep **one warm kernel** (:mod:`.warm`),
  reset between reports by :mod:`.kernel_state`, and export HTML in-process.
  ``engine="papermill"`` runs :func:`render_one` per job in the same kind of process pool
  (the naive reference, for benchmarks and the equality test).
* :func:`render_inprocess` (:mod:`.inprocess`) — one report on demand without starting a
  kernel process: the same notebook, executed by an in-process IPython kernel.

Runs are resumable (:mod:`.state`); reports are published without temporary files in the
published folders and leftovers of killed runs are removed at the next run (:mod:`.staging`);
local kernels talk over IPC sockets (:mod:`.kernels`).

The public names are loaded lazily, so that a kernel importing :mod:`.kernel_state` does not
import the rest of the engine.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from analysis.exports import lazy_exports


def _skip_slow_optional_validators() -> None:
    """Keep ``jsonschema`` from importing the optional ``rfc3987_syntax`` package.

    Seam: ``nbformat`` imports ``jsonschema``, whose format module imports
    ``rfc3987_syntax`` when installed; that builds 38 parser grammars at import (0.8 s → 5 s
    per process on a busy 2-core machine, in the driver, every batch worker and every single
    report). It only checks the ``iri``/``iri-reference`` string formats, which no notebook
    schema uses. Marking it unimportable makes jsonschema skip those two checks. When the
    package is absent (or already imported) this does nothing.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


_skip_slow_optional_validators()

_EXPORTS = {
    "model": (
        "DEFAULT_PRELOAD",
        "DEFAULT_START_TIMEOUT",
        "ENGINES",
        "BatchSummary",
        "JobFailure",
        "RenderError",
        "RenderResult",
        "ReportJob",
        "notebook_error",
        "summary_dict",
    ),
    "notebook": ("check_notebook_params", "notebook_parameters"),
    "reference": ("render_one",),
    "warm": ("KernelFailure", "WarmKernel", "execute_warm"),
    "state": ("STATE_FILE", "inputs_digest", "job_fingerprint", "package_digest", "state_path_for"),
    "pool": ("run_batch",),
    "inprocess": ("render_inprocess", "run_single"),
    "staging": ("clean_leftovers",),
}
__all__ = [
    "BatchSummary",
    "DEFAULT_PRELOAD",
    "DEFAULT_START_TIMEOUT",
    "ENGINES",
    "JobFailure",
    "KernelFailure",
    "RenderError",
    "RenderResult",
    "ReportJob",
    "STATE_FILE",
    "WarmKernel",
    "check_notebook_params",
    "clean_leftovers",
    "execute_warm",
    "inputs_digest",
    "job_fingerprint",
    "notebook_error",
    "notebook_parameters",
    "package_digest",
    "render_inprocess",
    "render_one",
    "run_batch",
    "run_single",
    "state_path_for",
    "summary_dict",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from analysis.report.engine.inprocess import render_inprocess, run_single
    from analysis.report.engine.model import (
        DEFAULT_PRELOAD,
        DEFAULT_START_TIMEOUT,
        ENGINES,
        BatchSummary,
        JobFailure,
        RenderError,
        RenderResult,
        ReportJob,
        notebook_error,
        summary_dict,
    )
    from analysis.report.engine.notebook import check_notebook_params, notebook_parameters
    from analysis.report.engine.pool import run_batch
    from analysis.report.engine.reference import render_one
    from analysis.report.engine.staging import clean_leftovers
    from analysis.report.engine.state import (
        STATE_FILE,
        inputs_digest,
        job_fingerprint,
        package_digest,
        state_path_for,
    )
    from analysis.report.engine.warm import KernelFailure, WarmKernel, execute_warm


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, __all__)
