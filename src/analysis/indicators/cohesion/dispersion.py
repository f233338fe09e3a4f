"""Dispersion of youth-care use and spending among the members of each jeugdregio.

Per gemeente a value is computed from the processed long frame (``docs/data-contract.md``):

* ``gebruik``: ``jongeren_met_jeugdzorg / bevolking_0_17 * 1000`` (per 1 000 jongeren);
* ``kosten``: ``kosten_jeugdzorg_gerealiseerd * 1000 / bevolking_0_17`` (euro per jongere; the
  indicator is in 1 000 euro).

A gemeente is left out, with the reason recorded, when its cell is suppressed or missing, when
the count is below ``min_telling`` (counts only) or when it has fewer than ``min_jongeren`` young
people. Over the remaining members: mean, median, min, max, the coefficient of variation
(population standard deviation / mean), max/min, IQR/median and MAD/median, only when at least
``min_leden_spreiding`` members remain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.metadata.cohesion import drempel

__all__ = ["MAATEN", "Maat", "member_values", "dispersion", "dispersion_change"]


@dataclass(frozen=True)
class Maat:
    """A per-member value: numerator indicator over the youth population, with its scale."""

    id: str
    label: str
    teller: str
    noemer: str
    schaal: float
    eenheid: str
    is_telling: bool  # numerator is a count of persons (small-number rule applies)


MAATEN: dict[str, Maat] = {
    "gebruik": Maat(
        "gebruik",
        "Jongeren met jeugdzorg per 1 000 jongeren (0–17 jaar)",
        "jongeren_met_jeugdzorg",
        "bevolking_0_17",
        1000.0,
        "per 1 000 jongeren",
        True,
    ),
    "kosten": Maat(
        "kosten",
        "Gerealiseerde kosten jeugdzorg per jongere (0–17 jaar)",
        "kosten_jeugdzorg_gerealiseerd",
        "bevolking_0_17",
        1000.0,  # 1 000 euro -> euro
        "euro per jongere",
        False,
    ),
}

REDENEN = {
    "onderdrukt": "onderdrukt of niet gepubliceerd",
    "klein_aantal": "klein aantal",
    "kleine_noemer": "weinig jongeren",
    "geen_noemer": "geen bevolkingscijfer",
}


def _year_rows(indicators: pd.DataFrame, ids: list[str], jaar: int) -> pd.DataFrame:
    """Gemeente rows of one calendar year for the given indicators, own classification first."""
    d = indicators
    mask = d["indicator"].isin(ids) & (d["jaar"].astype("int64") == int(jaar))
    if "regio_niveau" in d:
        mask &= d["regio_niveau"].astype("str") == "gemeente"
    if "periode_type" in d:
        mask &= d["periode_type"].astype("str") == "jaar"
    rows = d.loc[mask].copy()
    if rows.empty:
        return rows
    if "indeling_jaar" in rows:
        own = rows["indeling_jaar"].astype("int64") == int(jaar)
        chosen = int(jaar) if own.any() else int(rows["indeling_jaar"].max())
        rows = rows[rows["indeling_jaar"].astype("int64") == chosen]
    return rows


def member_values(
    indicators: pd.DataFrame,
    membership: pd.DataFrame,
    jaar: int,
    maat: str = "gebruik",
    *,
    drempels: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """One row per member gemeente: teller, noemer, waarde and (if left out) ``uitgesloten``."""
    spec = MAATEN[maat]
    min_count, min_youth = drempel("min_telling", drempels), drempel("min_jongeren", drempels)
    rows = _year_rows(indicators, [spec.teller, spec.noemer], jaar)
    rows = rows.assign(regio_code=rows["regio_code"].astype("str"))
    values = rows.pivot_table(
        index="regio_code", columns="indicator", values="waarde", aggfunc="first", dropna=False
    )
    suppressed = (
        rows[rows["indicator"] == spec.teller].set_index("regio_code")["onderdrukt"].astype(bool)
        if "onderdrukt" in rows
        else pd.Series(dtype=bool)
    )
    reeks = (
        rows[rows["indicator"] == spec.teller].set_index("regio_code")["reeks"]
        if "reeks" in rows
        else pd.Series(dtype="str")
    )
    m = membership[["gemeente_code", "gemeente_naam", "regio_code", "regio_naam"]].copy()
    m = m.astype({"gemeente_code": "str"})
    teller = values[spec.teller] if spec.teller in values else pd.Series(dtype="float64")
    noemer = values[spec.noemer] if spec.noemer in values else pd.Series(dtype="float64")
    m["teller"] = m["gemeente_code"].map(teller).astype("float64")
    m["noemer"] = m["gemeente_code"].map(noemer).astype("float64")
    m["onderdrukt"] = m["gemeente_code"].isin(suppressed.index[suppressed.to_numpy()])
    m["reeks"] = m["gemeente_code"].map(reeks).astype("str").replace("nan", "")
    reason = pd.Series("", index=m.index, dtype="str")
    reason[m["noemer"].isna()] = "geen_noemer"
    reason[(reason == "") & (m["noemer"] < min_youth)] = "kleine_noemer"
    reason[(m["teller"].isna() | m["onderdrukt"])] = "onderdrukt"
    if spec.is_telling:
        reason[(reason == "") & (m["teller"] < min_count)] = "klein_aantal"
    m["uitgesloten"] = reason
    m["waarde"] = np.where(reason == "", m["teller"] / m["noemer"] * spec.schaal, np.nan)
    m["jaar"] = int(jaar)
    m["maat"] = maat
    return m


def _stats(values: np.ndarray) -> dict[str, float]:
    v = np.sort(values.astype("float64"))
    mean, median = float(v.mean()), float(np.median(v))
    q1, q3 = np.percentile(v, [25, 75])
    mad = float(np.median(np.abs(v - median)))
    return {
        "gemiddelde": mean,
        "mediaan": median,
        "minimum": float(v[0]),
        "maximum": float(v[-1]),
        "cv": float(v.std(ddof=0) / mean) if mean > 0 else np.nan,
        "max_min": float(v[-1] / v[0]) if v[0] > 0 else np.nan,
        "iqr_mediaan": float((q3 - q1) / median) if median > 0 else np.nan,
        "mad_mediaan": mad / median if median > 0 else np.nan,
    }


def _describe_exclusions(g: pd.DataFrame, maat: Maat, drempels: Mapping[str, float] | None) -> str:
    limits = {
        "klein_aantal": f"< {drempel('min_telling', drempels):g}",
        "kleine_noemer": f"< {drempel('min_jongeren', drempels):g} jongeren",
    }
    parts = []
    for _, r in g[g["uitgesloten"] != ""].iterrows():
        why = REDENEN[r["uitgesloten"]]
        if r["uitgesloten"] in limits:
            why += f" ({limits[r['uitgesloten']]})"
        parts.append(f"{r['gemeente_naam']}: {why}")
    return "; ".join(parts)


def dispersion(
    indicators: pd.DataFrame,
    memberships: Mapping[int, pd.DataFrame],
    jaren: list[int] | None = None,
    maat: str = "gebruik",
    *,
    drempels: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Per (jaar, jeugdregio): dispersion statistics over the members, with the exclusions.

    ``memberships`` maps a classification year to a jeugdregio membership; a year without its
    own membership uses the nearest earlier one (else the nearest later one).
    """
    spec = MAATEN[maat]
    min_members = drempel("min_leden_spreiding", drempels)
    if jaren is None:
        present = indicators.loc[indicators["indicator"] == spec.teller, "jaar"]
        jaren = sorted(int(j) for j in present.dropna().unique())
    rows = []
    for jaar in jaren:
        if not memberships:
            break
        known = sorted(memberships)
        earlier = [y for y in known if y <= jaar]
        m_year = earlier[-1] if earlier else known[0]
        members = member_values(indicators, memberships[m_year], jaar, maat, drempels=drempels)
        for code, g in members.groupby("regio_code", sort=True):
            kept = g[g["uitgesloten"] == ""]
            row: dict[str, object] = {
                "jaar": int(jaar),
                "maat": maat,
                "regio_code": code,
                "regio_naam": g["regio_naam"].iloc[0],
                "n_leden": len(g),
                "n_meegeteld": len(kept),
                "n_uitgesloten": int((g["uitgesloten"] != "").sum()),
                "uitgesloten": _describe_exclusions(g, spec, drempels),
                "regio_waarde": float(kept["teller"].sum() / kept["noemer"].sum() * spec.schaal)
                if len(kept) and kept["noemer"].sum() > 0
                else np.nan,
                "reeks": ", ".join(sorted({r for r in kept["reeks"] if r})),
                "indeling_jaar_leden": m_year,
            }
            if len(kept) >= min_members:
                row.update(_stats(kept["waarde"].to_numpy()))
            rows.append(row)
    cols = [
        "jaar", "maat", "regio_code", "regio_naam", "n_leden", "n_meegeteld", "n_uitgesloten",
        "uitgesloten", "regio_waarde", "gemiddelde", "mediaan", "minimum", "maximum", "cv",
        "max_min", "iqr_mediaan", "mad_mediaan", "reeks", "indeling_jaar_leden",
    ]  # fmt: skip
    return pd.DataFrame(rows).reindex(columns=cols)


def dispersion_change(disp: pd.DataFrame) -> pd.DataFrame:
    """Adds ``cv_vorig_jaar``, ``verandering_cv`` and ``trendbreuk`` (series changed) per region."""
    d = disp.sort_values(["maat", "regio_code", "jaar"]).copy()
    grouped = d.groupby(["maat", "regio_code"], sort=False)
    d["cv_vorig_jaar"] = grouped["cv"].shift(1)
    d["verandering_cv"] = d["cv"] - d["cv_vorig_jaar"]
    prev = grouped["reeks"].shift(1)
    d["trendbreuk"] = prev.notna() & (prev != d["reeks"]) & (d["reeks"] != "") & (prev != "")
    return d.reset_index(drop=True)
