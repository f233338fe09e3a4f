"""Population weights per gemeente for a boundary year, with a label saying where they came from.

Only the processed layer counts (``bevolking_totaal`` / ``bevolking_0_17``, built from the
declared tables' snapshots: KWB, 03759ned, Maatstaven). Order of preference: the year's own
figures, a recent earlier year on the same gemeenten, the nearest year with figures restated
onto the year's gemeenten with the boundary crosswalk of :mod:`analysis.geo`, and finally
gemeente area (clearly labelled as unweighted by population).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from analysis.indicators.cohesion.congruence import Gewichten

__all__ = [
    "population_from_indicators",
    "population_years",
    "restated_population",
    "area_weights",
]

log = logging.getLogger(__name__)


def population_from_indicators(
    indicators: pd.DataFrame | None, jaar: int, indeling_jaar: int | None = None
) -> pd.DataFrame:
    """``gemeente_code, jaar, bevolking, jongeren, bron`` for ``jaar`` from the processed frame.

    Rows on classification ``indeling_jaar`` (default ``jaar``) are preferred; without them the
    latest classification present for that year is used. Empty when nothing is there.
    """
    cols = ["gemeente_code", "jaar", "bevolking", "jongeren", "bron", "bron_jongeren"]
    if indicators is None or indicators.empty:
        return pd.DataFrame(columns=cols)
    d = indicators
    mask = d["indicator"].isin(["bevolking_totaal", "bevolking_0_17"]) & (
        d["jaar"].astype("int64") == int(jaar)
    )
    if "regio_niveau" in d:
        mask &= d["regio_niveau"].astype("str") == "gemeente"
    rows = d.loc[mask]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    if "indeling_jaar" in rows:
        target = int(indeling_jaar or jaar)
        years = rows["indeling_jaar"].astype("int64")
        chosen = target if (years == target).any() else int(years.max())
        rows = rows[years == chosen]
    wide = rows.pivot_table(
        index="regio_code", columns="indicator", values="waarde", aggfunc="first", dropna=False
    )
    out = pd.DataFrame(
        {
            "gemeente_code": wide.index.astype("str"),
            "jaar": int(jaar),
            "bevolking": wide.get("bevolking_totaal", pd.Series(np.nan, index=wide.index))
            .astype("float64")
            .to_numpy(),
            "jongeren": wide.get("bevolking_0_17", pd.Series(np.nan, index=wide.index))
            .astype("float64")
            .to_numpy(),
        }
    )
    out["bron"] = f"CBS bevolking {jaar}"
    out["bron_jongeren"] = f"CBS bevolking {jaar}, 0–17 jaar"
    return out[cols]


def population_years(indicators: pd.DataFrame | None) -> list[int]:
    """Years with gemeente population (``bevolking_totaal``) on their own classification."""
    if indicators is None or indicators.empty or "indeling_jaar" not in indicators:
        return []
    d = indicators
    mask = (d["indicator"] == "bevolking_totaal") & (
        d["jaar"].astype("int64") == d["indeling_jaar"].astype("int64")
    )
    if "regio_niveau" in d:
        mask &= d["regio_niveau"].astype("str") == "gemeente"
    rows = d.loc[mask & d["waarde"].notna()]
    return sorted(int(y) for y in rows["jaar"].unique())


def restated_population(
    indicators: pd.DataFrame | None, van_jaar: int, jaar: int, crosswalk: pd.DataFrame
) -> pd.DataFrame:
    """The processed population of ``van_jaar`` (on its own gemeenten) restated onto the
    gemeenten of ``jaar`` with ``crosswalk`` (``van_jaar`` -> ``jaar``, see
    :func:`analysis.geo.load_crosswalk`). Counts only: people are additive.

    Columns ``gemeente_code, jaar, bevolking, jongeren, bron, bron_jongeren``; ``bron`` names
    the CBS tables the figures came from. Empty when ``van_jaar`` has no population.
    """
    from analysis import geo

    cols = ["gemeente_code", "jaar", "bevolking", "jongeren", "bron", "bron_jongeren"]
    pop = population_from_indicators(indicators, van_jaar, indeling_jaar=van_jaar)
    pop = pop[pop["bevolking"].notna()]
    if pop.empty:
        return pd.DataFrame(columns=cols)

    def restate(col: str) -> pd.Series:
        known = pop.loc[pop[col].notna(), ["gemeente_code", col]]
        r = geo.restate_counts(known, crosswalk, code_col="gemeente_code", value_col=col, naam={})
        return r.set_index("gemeente_code")[col].astype("float64")

    bevolking = restate("bevolking")
    jongeren = (
        restate("jongeren").reindex(bevolking.index)
        if pop["jongeren"].notna().any()
        else pd.Series(np.nan, index=bevolking.index)
    )
    out = pd.DataFrame(
        {
            "gemeente_code": bevolking.index.astype("str"),
            "jaar": int(jaar),
            "bevolking": bevolking.to_numpy(),
            "jongeren": jongeren.to_numpy(),
        }
    )
    tabellen = ", ".join(_tables(indicators, van_jaar)) or "CBS"
    out["bron"] = f"CBS bevolking {van_jaar} ({tabellen}), omgerekend naar indeling {jaar}"
    out["bron_jongeren"] = f"CBS bevolking {van_jaar}, 0–17 jaar, omgerekend naar indeling {jaar}"
    return out[cols]


def _tables(indicators: pd.DataFrame | None, jaar: int) -> list[str]:
    """The source tables of the gemeente population of ``jaar`` on its own classification."""
    if indicators is None or indicators.empty or "bron" not in indicators:
        return []
    d = indicators
    mask = (
        (d["indicator"] == "bevolking_totaal")
        & (d["jaar"].astype("int64") == int(jaar))
        & (d["indeling_jaar"].astype("int64") == int(jaar))
    )
    return sorted({str(b) for b in d.loc[mask, "bron"] if str(b)})


def area_weights(gemeenten) -> Gewichten:  # noqa: ANN001 - GeoDataFrame
    """Gemeente area in hectares as weights (fallback without population)."""
    area = pd.Series(
        gemeenten.geometry.area.to_numpy() / 1e4, index=gemeenten["statcode"].astype("str")
    )
    return Gewichten(area, "oppervlakte", "gemeentegrenzen; geen inwonertallen beschikbaar")
