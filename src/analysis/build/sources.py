"""Reading and verifying the snapshots; names of regions without one."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis import atomic, registry
from analysis.build.model import BuildError, BuildReport
from analysis.cbs import snapshot
from analysis.config import Settings
from analysis.metadata.regions import (
    NEDERLAND,
    NEDERLAND_NAAM,
)

# ---------------------------------------------------------------------------------------
# orchestration
# ---------------------------------------------------------------------------------------


def _write_parquet_atomic(df: pd.DataFrame, path: Path) -> None:
    with atomic.replacing(path) as tmp:
        df.to_parquet(tmp, index=False)


def _geo_sources(settings: Settings) -> list[dict]:
    out = []
    for side in sorted(settings.geo_cache_dir.glob("*.topojson.json")) + sorted(
        settings.geo_cache_dir.glob("*_[0-9][0-9][0-9][0-9].json")
    ):
        try:
            entry = json.loads(side.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        entry.setdefault("name", side.name.removesuffix(".json"))
        entry["kind"] = "geo"
        out.append(entry)
    return out


# ---------------------------------------------------------------------------------------
# reading and verifying the snapshots
# ---------------------------------------------------------------------------------------


def select_snapshots(
    specs: Iterable[registry.Table], settings: Settings, report: BuildReport
) -> dict[str, tuple[registry.Table, Path]]:
    """The latest verified snapshot of every build table that has one.

    Every file is checked against its manifest sha256 before anything is read; a mismatch, a
    snapshot with 0 records and a table whose only snapshot folders lack a valid manifest are
    a :class:`BuildError` naming table, file and snapshot. A folder without a valid manifest
    beside a good snapshot is skipped with a warning.
    """
    found: dict[str, tuple[registry.Table, Path]] = {}
    for spec in specs:
        tid = spec.id or ""
        folder = snapshot.latest(settings.raw_dir, spec.catalog, tid)
        invalid = snapshot.invalid_snapshots(settings.raw_dir, spec.catalog, tid)
        if invalid and folder is None:
            bad, why = invalid[-1]
            raise BuildError(
                f"table {tid}: snapshot folder {bad} has {why}, and there is no other "
                "snapshot of this table; delete that folder and run `python -m analysis data` "
                "to download the table again"
            )
        for bad, why in invalid:
            report.warn(
                f"table {tid}: snapshot folder {bad} has {why}; skipped (using {folder}). "
                "Delete it to silence this warning"
            )
        if folder is None:
            continue
        try:
            snapshot.check(folder, tid)
        except snapshot.SnapshotError as exc:
            raise BuildError(str(exc)) from None
        manifest = snapshot.read_manifest(folder)
        if not manifest.get("rows"):
            raise BuildError(
                f"table {tid}: snapshot {folder} has 0 records; delete that folder and run "
                "`python -m analysis data` to download the table again"
            )
        found[tid] = (spec, folder)
        report.tables[tid] = str(folder)
    return found


def _fill_names(df: pd.DataFrame, memberships: pd.DataFrame, report: BuildReport) -> pd.DataFrame:
    """Regions without a name in their own table get the classification/boundary name.

    Never an empty name: what no source names keeps its code as name; both are warned about.
    """
    naam = df["regio_naam"].fillna("").astype(str).str.strip()
    empty = naam.eq("")
    if not empty.any():
        return df
    lookup: dict[tuple[int, str], str] = {}
    if not memberships.empty:
        for jaar, code, name in zip(
            memberships["jaar"],
            memberships["gemeente_code"],
            memberships["gemeente_naam"],
            strict=True,
        ):
            if isinstance(name, str) and name.strip():
                lookup.setdefault((int(jaar), code), name.strip())
        for jaar, code, name in zip(
            memberships["jaar"],
            memberships["regio_code"],
            memberships["regio_naam"],
            strict=True,
        ):
            if isinstance(name, str) and name.strip():
                lookup.setdefault((int(jaar), code), name.strip())
    by_code: dict[str, str] = {}
    for (_, code), name in sorted(lookup.items()):
        by_code[code] = name  # the latest year's name of a code, for other years
    sub = df.loc[empty, ["regio_code", "indeling_jaar"]]
    filled = [
        lookup.get((int(j), c)) or by_code.get(c) or (NEDERLAND_NAAM if c == NEDERLAND else None)
        for c, j in zip(sub["regio_code"], sub["indeling_jaar"], strict=True)
    ]
    filled_s = pd.Series(filled, index=sub.index, dtype=object)
    found = filled_s.notna()
    codes = sorted(set(sub.loc[found.to_numpy(), "regio_code"]))
    if codes:
        report.warn(
            f"{len(codes)} regions have no name in their CBS table "
            f"({', '.join(codes[:5])}{', …' if len(codes) > 5 else ''}); "
            "named after the classification or boundary files"
        )
    unnamed = sorted(set(sub.loc[~found.to_numpy(), "regio_code"]))
    if unnamed:
        report.warn(
            f"{len(unnamed)} regions have no name in any source "
            f"({', '.join(unnamed[:5])}{', …' if len(unnamed) > 5 else ''}); their code is "
            "used as name"
        )
    df = df.copy()
    df.loc[empty, "regio_naam"] = filled_s.fillna(sub["regio_code"]).to_numpy()
    return df


def _fill_membership_names(memberships: pd.DataFrame, report: BuildReport) -> pd.DataFrame:
    """Empty gemeente or region names in the memberships: another year's, else the code."""
    if memberships.empty:
        return memberships
    out = memberships.copy()
    for code_col, name_col in (("gemeente_code", "gemeente_naam"), ("regio_code", "regio_naam")):
        names = out[name_col].where(out[name_col].notna(), "").astype(str).str.strip()
        empty = names.eq("")
        if not empty.any():
            continue
        known = dict(zip(out.loc[~empty, code_col], names[~empty], strict=True))
        codes = out.loc[empty, code_col]
        out.loc[empty, name_col] = [known.get(c, c) for c in codes]
        sample = sorted(set(codes))
        report.warn(
            f"{len(sample)} codes without a {name_col} in the classification "
            f"({', '.join(sample[:5])}); named after another year or their code"
        )
    return out
