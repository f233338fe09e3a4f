"""Population weights per gemeente for a boundary year, with a label saying where they came from.

Order of preference: the processed indicators (``bevolking_totaal`` / ``bevolking_0_17``), then
KWB 2020 (CBS 84799NED, real recording in ``shared_data``) restated onto the year's gemeenten
with the area crosswalk of :mod:`analysis.geo`, then gemeente area (clearly labelled).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.config import Settings
from analysis.indicators.cohesion.congruence import Gewichten

__all__ = [
    "KWB2020",
    "population_from_indicators",
    "kwb2020_population",
    "restated_kwb2020",
    "area_weights",
]

log = logging.getLogger(__name__)

KWB2020 = "84799NED"
#: Young people 15, 16 and 17 as a share of the KWB band 15–24 (uniform ages assumed).
AANDEEL_15_17 = 3 / 10


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


def _kwb_file(settings: Settings) -> Path:
    # TEMPORARY (issue 11; H3 replaces this read with the processed layer): the shared test
    # recording, found as the tests find it. Allow-listed in tests/test_layers.py until then.
    shared = os.environ.get("ANALYSIS_SHARED_DATA") or settings.root.parent / "shared" / "data"
    return Path(shared) / "cbs_statline_bq" / KWB2020 / "kwb2020_land_gemeenten.csv"


def kwb2020_population(settings: Settings) -> pd.DataFrame:
    """KWB 2020 per gemeente (2020 classification): ``gemeente_code, gemeente_naam, bevolking,
    jongeren`` where ``jongeren`` estimates 0–17 as 0–14 + 3/10 of 15–24. Empty when absent."""
    path = _kwb_file(settings)
    cols = ["gemeente_code", "gemeente_naam", "bevolking", "jongeren"]
    if not path.is_file():
        return pd.DataFrame(columns=cols)
    raw = pd.read_csv(path, dtype="str", keep_default_na=False)
    raw["code"] = raw["WijkenEnBuurten"].str.strip()
    raw = raw[raw["code"].str.startswith("GM")]

    def num(col: str) -> pd.Series:
        return pd.to_numeric(raw[col].str.strip(), errors="coerce").astype("float64")

    return pd.DataFrame(
        {
            "gemeente_code": raw["code"].to_numpy(),
            "gemeente_naam": raw["Gemeentenaam_1"].str.strip().to_numpy(),
            "bevolking": num("AantalInwoners_5").to_numpy(),
            "jongeren": (num("k_0Tot15Jaar_8") + AANDEEL_15_17 * num("k_15Tot25Jaar_9")).to_numpy(),
        }
    )


def restated_kwb2020(settings: Settings, jaar: int, crosswalk: pd.DataFrame | None) -> pd.DataFrame:
    """KWB 2020 counts on the gemeenten of ``jaar`` (``crosswalk`` 2020 -> ``jaar``; None = as is).

    Columns ``gemeente_code, jaar, bevolking, jongeren, bron, bron_jongeren``.
    """
    from analysis import geo

    kwb = kwb2020_population(settings)
    cols = ["gemeente_code", "jaar", "bevolking", "jongeren", "bron", "bron_jongeren"]
    if kwb.empty:
        return pd.DataFrame(columns=cols)
    if crosswalk is None:
        out = kwb.assign(jaar=int(jaar))
        bron = "KWB 2020 (CBS 84799NED)"
    else:
        parts = []
        for col in ("bevolking", "jongeren"):
            r = geo.restate_counts(
                kwb, crosswalk, code_col="gemeente_code", value_col=col, naam={}
            ).set_index("gemeente_code")[col]
            parts.append(r)
        out = pd.concat(parts, axis=1).reset_index().assign(jaar=int(jaar))
        bron = f"KWB 2020 (CBS 84799NED), omgerekend naar indeling {jaar}"
    out["bron"] = bron
    out["bron_jongeren"] = "schatting uit KWB 2020: 0–14 jaar + 3/10 van 15–24 jaar"
    return out[cols]


def area_weights(gemeenten) -> Gewichten:  # noqa: ANN001 - GeoDataFrame
    """Gemeente area in hectares as weights (fallback without population)."""
    area = pd.Series(
        gemeenten.geometry.area.to_numpy() / 1e4, index=gemeenten["statcode"].astype("str")
    )
    return Gewichten(area, "oppervlakte", "gemeentegrenzen; geen inwonertallen beschikbaar")
