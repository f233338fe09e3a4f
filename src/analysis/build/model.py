"""The build's report, error and the steps a higher layer plugs in."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import registry

log = logging.getLogger("analysis.build")

STATUS = {
    "definitief": "definitief",
    "voorlopig": "voorlopig",
    "nader voorlopig": "nader voorlopig",
}


@dataclass(frozen=True)
class Steps:
    """Steps a higher layer plugs into the build (the build itself imports no indicator code):
    ``extra_sources`` turns ``(table, snapshot folder)`` pairs into more source rows (Iv3
    lasten); ``derived`` adds processed rows computed from the tidy rows and memberships after
    the regional sums (the budget indicators). :func:`analysis.pipeline.build_processed`
    supplies them."""

    extra_sources: Callable[[list[tuple[registry.Table, Path]]], list[pd.DataFrame]] | None = None
    derived: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame] | None = None
    #: checks on the tidy rows, each returning ``(name, ok, detail)`` or None (not applicable)
    checks: tuple[Callable[[pd.DataFrame], tuple[str, bool, str] | None], ...] = ()
    #: the same kind of checks on the source rows, before tables of one series are deduplicated
    #: (e.g. overlapping Wmo tables compared)
    source_checks: tuple[Callable[[pd.DataFrame], tuple[str, bool, str] | None], ...] = ()
    #: a last filter on the deduplicated source rows (e.g. half-year details dropped)
    source_filter: Callable[[pd.DataFrame], pd.DataFrame] | None = None


class _Quiet:
    """A report sink that keeps nothing (names of the build's own derived rows)."""

    def warn(self, msg: str) -> None:
        pass


QUIET = _Quiet()


class BuildError(RuntimeError):
    """The processed layer cannot be built from the snapshots at hand."""


@dataclass
class BuildReport:
    tables: dict[str, str] = field(default_factory=dict)  # table id -> snapshot folder
    rows: int = 0
    indeling_jaar: int | None = None
    warnings: list[str] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)
    #: indicators a table should have given but did not (pattern not found, cut download):
    #: {"tabel", "indicator", "reden", "tekst" (Dutch, for reports), "detail"}
    skipped: list[dict] = field(default_factory=list)
    #: CBS's own jeugdregio/provincie figures against the sum of their gemeenten
    regiototalen: list[dict] = field(default_factory=list)

    @property
    def skipped_indicators(self) -> list[str]:
        """Indicators that no table could provide (skipped and not built from another)."""
        return sorted({s["indicator"] for s in self.skipped if not s.get("elders_gebouwd")})

    #: declared tables the server does not have (see :func:`missing_entries`)
    missing_tables: list[dict] = field(default_factory=list)
    #: the published version folder of the processed layer
    version: str = ""

    def warn(self, msg: str) -> None:
        log.warning(msg)
        self.warnings.append(msg)

    def check(self, name: str, ok: bool, detail: str) -> None:
        self.checks.append({"check": name, "ok": bool(ok), "detail": detail})
        if not ok:
            self.warn(f"check failed: {name}: {detail}")
