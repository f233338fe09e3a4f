"""Access to youth care: referral mix, inflow, crisis share, duration of ended trajectories as a
weighted mean, share ended as planned, stock per 1 000 young people.

Pure functions; definitions in ``docs/toegang.md``. A region's value is recomputed from its
members' numerators and weights (never an average of averages); coverage comes with it. None of
these is a waiting time: the chapter says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def gewogen_duur(leden: pd.DataFrame, *, duur: str = "duur", gewicht: str = "beeindigd") -> dict:
    """Weighted mean duration of ended trajectories over a group of gemeenten.

    ``sum(duur × beeindigd) / sum(beeindigd)`` over members with both values (a member's mean
    duration weighs by its number of ended trajectories). Returns the value, the members used,
    all members and the weight covered. The value is NaN when no member has both.
    """
    ok = leden[duur].notna() & leden[gewicht].notna() & (leden[gewicht] > 0)
    d = leden[ok]
    w = d[gewicht].sum()
    waarde = float((d[duur] * d[gewicht]).sum() / w) if len(d) else float("nan")
    return {
        "waarde": waarde,
        "n_met_waarde": int(len(d)),
        "n_leden": int(len(leden)),
        "gewicht": float(w) if len(d) else float("nan"),
    }


def mix(aantallen: pd.DataFrame, *, categorie: str, aantal: str = "aantal") -> pd.DataFrame:
    """Share of each category (e.g. referrer) in the total of the published categories.

    ``aantallen``: rows per category with counts. Shares come from counts; a suppressed count
    (NaN) keeps its share missing and the total is taken over published counts only, with
    ``volledig`` False so the chapter can say so.
    """
    tot = aantallen[aantal].sum(min_count=1)
    out = aantallen[[categorie, aantal]].copy()
    out["aandeel"] = out[aantal] / tot if tot and not pd.isna(tot) else np.nan
    out["volledig"] = bool(aantallen[aantal].notna().all())
    return out


def ratio(teller: pd.Series | float, noemer: pd.Series | float, schaal: float = 1.0):
    """``teller / noemer × schaal``; missing when the denominator is missing or 0."""
    if isinstance(noemer, pd.Series):
        return teller * schaal / noemer.where(noemer > 0)
    if noemer is None or pd.isna(noemer) or noemer <= 0:
        return float("nan")
    return teller * schaal / noemer
