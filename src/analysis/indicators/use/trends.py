"""Youth-care use: trends, series segments and breaks, labels, the latest period with data."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.indicators.use.selection import (
    periode_x,
    select,
)
from analysis.registry import indicator as _indicator

# ----------------------------------------------------------------------------- trends


def trend(frame: pd.DataFrame, regio_code: str, *, value: str = "per_1000", since: int = 2015):
    """Time series of one region from a rates/aggregate frame, ready for a trend chart.

    Columns: periode, jaar, x (year, or year + 0.25/0.75 for half-years), waarde, reeks,
    status, voorlopig (status is not ``definitief``), onderdrukt. Sorted by ``x``; the
    ``reeks`` column tells where a series segment ends (never bridge two segments).
    """
    f = frame[(frame["regio_code"] == regio_code) & (frame["jaar"] >= since)]
    out = pd.DataFrame(
        {
            "periode": f["periode"].astype("str").to_numpy(),
            "jaar": f["jaar"].astype("int64").to_numpy(),
            "x": [
                periode_x(p, j, t)
                for p, j, t in zip(f["periode"], f["jaar"], f["periode_type"], strict=True)
            ],
            "waarde": f[value].astype("float64").to_numpy(),
            "reeks": f["reeks"].fillna("").astype("str").to_numpy(),
            "status": f["status"].fillna("definitief").astype("str").to_numpy(),
            "onderdrukt": f["onderdrukt"].fillna(False).astype(bool).to_numpy(),
        }
    )
    out["voorlopig"] = out["status"] != "definitief"
    return out.sort_values("x", ignore_index=True)


def _segment_starts(series: pd.DataFrame) -> np.ndarray:
    """Row positions where a ``reeks`` run starts (always 0; a missing ``reeks`` is a run of
    its own, as it differs from everything)."""
    r = series["reeks"]
    return np.flatnonzero((r != r.shift()).to_numpy(dtype=bool))


def segments(series: pd.DataFrame) -> list[pd.DataFrame]:
    """Split a :func:`trend` series into its ``reeks`` segments (consecutive runs)."""
    if series.empty:
        return []
    bounds = [*_segment_starts(series), len(series)]
    return [
        series.iloc[a:b].reset_index(drop=True) for a, b in zip(bounds, bounds[1:], strict=False)
    ]


def breaks(series: pd.DataFrame) -> list[tuple[float, str]]:
    """Positions and labels of trend breaks (``reeks`` changes), e.g. ``(2020.5, '2020/2021')``."""
    if series.empty:
        return []
    x, jaar = series["x"].to_numpy(), series["jaar"].to_numpy()
    return [
        ((x[i - 1] + x[i]) / 2, f"{jaar[i - 1]}/{jaar[i]}") for i in _segment_starts(series)[1:]
    ]


def trend_change(series: pd.DataFrame) -> dict[str, object] | None:
    """First and last value of the **last** series segment (no comparison across a break).

    Returns None when the last segment has fewer than two values.
    """
    segs = segments(series.dropna(subset=["waarde"]))
    if not segs or len(segs[-1]) < 2:
        return None
    last = segs[-1]
    return {
        "van_periode": last["periode"].iat[0],
        "tot_periode": last["periode"].iat[-1],
        "van": float(last["waarde"].iat[0]),
        "tot": float(last["waarde"].iat[-1]),
        "voorlopig": bool(last["voorlopig"].iat[-1]),
        "reeks_begin": segs[-1]["periode"].iat[0],
        "n_reeksen": len(segs),
    }


def indicator_label(indicator_id: str) -> str:
    """The registry label of an indicator."""
    return _indicator(indicator_id).label


def latest_period_with_data(
    df: pd.DataFrame,
    indicators: Sequence[str],
    *,
    indeling_jaar: int,
    jaar: int,
    periode_type: str = "jaar",
) -> int | None:
    """The calendar year ``jaar`` if any of ``indicators`` has a row for it, else the latest
    earlier year with rows; None when there is none."""
    rows = select(df, indicators, indeling_jaar=indeling_jaar, periode_type=periode_type)
    if rows.empty:
        return None
    years = sorted(set(rows["jaar"].astype(int)))
    if jaar in years:
        return jaar
    earlier = [y for y in years if y < jaar]
    return earlier[-1] if earlier else None
