"""Composition of the jeugdregio's: members, population, size balance and the dominant member."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.metadata.cohesion import drempel

__all__ = ["composition"]

COLUMNS = [
    "jaar",
    "regio_code",
    "regio_naam",
    "n_gemeenten",
    "bevolking",
    "jongeren",
    "grootste_code",
    "grootste_naam",
    "aandeel_grootste",
    "kleinste_code",
    "kleinste_naam",
    "ratio_grootste_kleinste",
    "dominante_centrumgemeente",
    "n_zonder_bevolking",
    "bron_bevolking",
    "bron_jongeren",
]


def composition(
    membership: pd.DataFrame,
    population: pd.DataFrame | None = None,
    *,
    drempels: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """One row per (jaar, jeugdregio) from a membership table and a population table.

    ``membership``: ``jaar, gemeente_code, gemeente_naam, regio_code, regio_naam`` (other
    columns ignored). ``population``: ``gemeente_code, bevolking`` and optionally ``jongeren``,
    ``jaar`` (joined on both when present), ``bron`` and ``bron_jongeren`` (labels). Gemeenten
    without population are counted in ``n_zonder_bevolking``; the region's population and size
    measures are then left empty (no partial sums).
    """
    threshold = drempel("dominantie_aandeel", drempels)
    m = membership.copy()
    m["gemeente_code"] = m["gemeente_code"].astype("str")
    if "jaar" not in m:
        m["jaar"] = 0
    if population is not None and len(population):
        p = population.copy()
        p["gemeente_code"] = p["gemeente_code"].astype("str")
        for col in ("jongeren", "bron", "bron_jongeren"):
            if col not in p:
                p[col] = np.nan if col == "jongeren" else ""
        keys = (
            ["gemeente_code", "jaar"] if "jaar" in p and "jaar" in membership else ["gemeente_code"]
        )
        p = p[[*keys, "bevolking", "jongeren", "bron", "bron_jongeren"]].drop_duplicates(keys)
        p = p.rename(columns={"bron": "_bron_bev", "bron_jongeren": "_bron_jong"})
        m = m.drop(columns=["bevolking", "jongeren"], errors="ignore").merge(p, on=keys, how="left")
    else:
        m["bevolking"] = np.nan
        m["jongeren"] = np.nan
        m["_bron_bev"] = ""
        m["_bron_jong"] = ""

    def label(values: pd.Series) -> str:
        return "; ".join(sorted({str(v) for v in values.dropna() if str(v)}))

    m["bevolking"] = m["bevolking"].astype("float64")
    m["jongeren"] = m["jongeren"].astype("float64")
    m["_missing"] = m["bevolking"].isna()
    keys = ["jaar", "regio_code"]
    g = m.groupby(keys, sort=True)
    out = g.agg(
        regio_naam=("regio_naam", "first"),
        n_gemeenten=("gemeente_code", "nunique"),
        bevolking=("bevolking", lambda x: x.sum(min_count=1)),
        jongeren=("jongeren", lambda x: x.sum(min_count=1)),
        n_zonder_bevolking=("_missing", "sum"),
        bron_bevolking=("_bron_bev", label),
        bron_jongeren=("_bron_jong", label),
    )
    out.loc[out["n_zonder_bevolking"] > 0, "bevolking"] = np.nan
    out.loc[out["jongeren"].isna(), "bron_jongeren"] = ""
    ranked = m.assign(_pop=m["bevolking"].fillna(-np.inf))
    big = ranked.loc[ranked.groupby(keys)["_pop"].idxmax()].set_index(keys)
    small = m.assign(_pop=m["bevolking"].fillna(np.inf))
    small = small.loc[small.groupby(keys)["_pop"].idxmin()].set_index(keys)
    complete = (out["n_zonder_bevolking"] == 0) & (out["bevolking"] > 0)
    out["grootste_code"] = big["gemeente_code"].where(complete)
    out["grootste_naam"] = big["gemeente_naam"].where(complete)
    out["aandeel_grootste"] = (big["bevolking"] / out["bevolking"]).where(complete)
    out["kleinste_code"] = small["gemeente_code"].where(complete)
    out["kleinste_naam"] = small["gemeente_naam"].where(complete)
    with np.errstate(divide="ignore"):
        ratio = big["bevolking"] / small["bevolking"]
    out["ratio_grootste_kleinste"] = ratio.replace(np.nan, np.inf).where(complete)
    out["dominante_centrumgemeente"] = pd.array(
        [
            bool(a >= threshold) if ok else pd.NA
            for a, ok in zip(out["aandeel_grootste"], complete, strict=True)
        ],
        dtype="boolean",
    )
    out["n_zonder_bevolking"] = out["n_zonder_bevolking"].astype("int64")
    out = out.reset_index()
    out["jaar"] = out["jaar"].astype("int64")
    return out.reindex(columns=COLUMNS)
