"""gemeente → region memberships: CBS 'Gebieden in Nederland' or boundaries."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis import registry
from analysis.build.extract import check_values
from analysis.build.model import BuildReport
from analysis.cbs import snapshot
from analysis.cbs.keys import (
    KeyResolutionError,
    strip_key,
)
from analysis.config import Settings
from analysis.geo.membership import MEMBERSHIP_COLUMNS
from analysis.metadata.regions import (
    BOUNDARY_DIVISIONS,
    GEBIEDEN_GROUPS,
)


def memberships_from_gebieden(spec: registry.Table, folder: Path) -> pd.DataFrame:
    """gemeente → region memberships from a 'Gebieden in Nederland' snapshot."""
    meta = snapshot.load_meta(folder)
    data = snapshot.load_data(folder)
    check_values(spec, meta, data, folder)
    rdim = meta.region_dimension()
    names = meta.category_titles(rdim)
    data["gemeente_code"] = data[rdim].map(strip_key)
    data = data[data["gemeente_code"].str.startswith("GM")]
    frames = []
    for indeling, pattern in GEBIEDEN_GROUPS.items():
        try:
            topics = meta.group_topics(pattern)
        except KeyResolutionError:
            continue
        code_key = next((k for t, k in topics.items() if re.fullmatch(r"(?i)code", t)), None)
        naam_key = next((k for t, k in topics.items() if re.fullmatch(r"(?i)naam", t)), None)
        if code_key is None:
            continue
        frames.append(
            pd.DataFrame(
                {
                    "jaar": int(spec.table_year or spec.years[0]),
                    "gemeente_code": data["gemeente_code"].to_numpy(),
                    "gemeente_naam": data["gemeente_code"].map(names).to_numpy(),
                    "indeling": indeling,
                    "regio_code": data[code_key].map(strip_key).to_numpy(),
                    "regio_naam": (
                        data[naam_key].map(lambda s: " ".join(str(s).split()))
                        if naam_key
                        else data[code_key].map(strip_key)
                    ).to_numpy(),
                    "methode": "gebieden_in_nederland",
                    "bron": spec.id,
                }
            )
        )
    if not frames:
        raise KeyResolutionError(f"{spec.id}: no region columns found in Gebieden in Nederland")
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------------------------
# geography
# ---------------------------------------------------------------------------------------


def boundary_memberships(
    years: Iterable[int], settings: Settings, report: BuildReport
) -> pd.DataFrame:
    """Memberships derived from cached boundaries, for every division-year available."""
    from analysis import geo

    frames = []
    gm_years = set(geo.available_years("gemeente", settings=settings))
    for year in sorted(set(years) & gm_years):
        for division in BOUNDARY_DIVISIONS:
            if year not in geo.available_years(division, settings=settings):
                continue
            frames.append(geo.load_membership(division, year, settings=settings))
    if not frames:
        report.warn("no boundary layers cached: memberships only from Gebieden in Nederland")
        return pd.DataFrame(columns=MEMBERSHIP_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def combine_memberships(official: pd.DataFrame, derived: pd.DataFrame) -> pd.DataFrame:
    """Prefer CBS 'Gebieden in Nederland'; fill division-years it lacks from boundaries."""
    if official.empty:
        return derived.reset_index(drop=True)
    have = set(zip(official["jaar"], official["indeling"], strict=True))
    keep = [(j, i) not in have for j, i in zip(derived["jaar"], derived["indeling"], strict=True)]
    return pd.concat([official, derived[keep]], ignore_index=True)
