"""Data types, constants and error-text helpers shared by the engine modules."""

from __future__ import annotations

import dataclasses
import json
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

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
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_TAIL_LINES = 15


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


def text_tail(text: str, n: int = _TAIL_LINES) -> str:
    """The last ``n`` non-empty lines of ``text`` without ANSI colour codes."""
    lines = [ln.rstrip() for ln in _ANSI.sub("", text).splitlines() if ln.strip()]
    return "\n".join(lines[-n:])


def error_tail(exc: BaseException) -> str:
    """The last lines of an exception (a cell traceback for papermill's execution errors)."""
    ename = getattr(exc, "ename", None)
    if ename:  # PapermillExecutionError
        tb = "\n".join(getattr(exc, "traceback", []) or [])
        return text_tail(tb or f"{ename}: {getattr(exc, 'evalue', '')}")
    text = "".join(traceback.format_exception_only(type(exc), exc))
    return text_tail(text)


def notebook_error(nb: nbformat.NotebookNode) -> str | None:
    """Last lines of the first error output in an executed notebook, or None."""
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            if out.get("output_type") == "error":
                tb = "\n".join(out.get("traceback", []))
                return text_tail(tb or f"{out.get('ename', '')}: {out.get('evalue', '')}")
    return None


def canonical_json(value: Any) -> str:
    """Deterministic JSON text of ``value`` (sorted keys), for fingerprints."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def summary_dict(summary: BatchSummary) -> dict[str, Any]:
    """Plain-dict form of a summary (for JSON logs)."""
    data = dataclasses.asdict(summary)
    data["seconds_per_report"] = summary.seconds_per_report
    data["exit_code"] = summary.exit_code
    return data
