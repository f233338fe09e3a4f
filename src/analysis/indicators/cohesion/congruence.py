"""Congruence of the jeugdregio's with other regional divisions.

Two memberships (gemeente -> region) give a contingency table ``n[i, j]``: the weight (inhabitants,
or 1 per gemeente when unweighted) of the gemeenten in region ``i`` of the first division and
region ``j`` of the second. From it:

* per jeugdregio the **modal share** ``max_j n[i, j] / n[i, .]`` and the number of regions of the
  other division it touches;
* per division pair the **adjusted Rand index** (Hubert & Arabie 1985) with ``C(x) = x (x - 1) / 2``::

      index    = sum_ij C(n_ij)
      expected = sum_i C(a_i) * sum_j C(b_j) / C(N)
      maximum  = (sum_i C(a_i) + sum_j C(b_j)) / 2
      ARI      = (index - expected) / (maximum - expected)

  where ``a_i``, ``b_j`` are the row and column sums and ``N`` the total. With inhabitants as
  weights every inhabitant is a unit (an inhabitant takes the regions of his gemeente), so this is
  the textbook ARI over inhabitants; with weight 1 per gemeente it is the textbook ARI over
  gemeenten;
* the **normalised mutual information** with arithmetic-mean normalisation, from ``p = n / N``::

      I   = sum_ij p_ij ln(p_ij / (p_i. p_.j))
      H_U = -sum_i p_i. ln p_i.,   H_V = -sum_j p_.j ln p_.j
      NMI = I / ((H_U + H_V) / 2)           (1 when both entropies are 0)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from analysis.indicators.cohesion.constants import INDELING_LABELS
from analysis.metadata.cohesion import drempel

__all__ = [
    "Gewichten",
    "contingency",
    "adjusted_rand_index",
    "normalized_mutual_information",
    "agreement",
    "agreement_matrix",
    "congruence_per_region",
]


@dataclass(frozen=True)
class Gewichten:
    """Weights per gemeente code, with where they come from (Dutch label for reports)."""

    waarden: pd.Series  # index gemeente_code -> weight
    soort: str  # "inwoners", "oppervlakte" or "gemeenten"
    bron: str

    @property
    def label(self) -> str:
        return f"{self.soort} ({self.bron})" if self.bron else self.soort


def _pairs(membership: pd.DataFrame) -> pd.Series:
    """gemeente_code -> regio_code (unique per gemeente; duplicates raise)."""
    m = membership[["gemeente_code", "regio_code"]].astype("str")
    dup = m["gemeente_code"].duplicated(keep=False)
    if dup.any():
        raise ValueError(
            "membership has gemeenten in more than one region: "
            + ", ".join(sorted(m.loc[dup, "gemeente_code"].unique())[:10])
        )
    return m.set_index("gemeente_code")["regio_code"]


def _weights(codes: pd.Index, weights: Gewichten | pd.Series | None) -> pd.Series:
    if weights is None:
        return pd.Series(1.0, index=codes)
    values = weights.waarden if isinstance(weights, Gewichten) else weights
    values = pd.Series(values, dtype="float64")
    values.index = values.index.astype("str")
    return values.reindex(codes)


def contingency(
    a: pd.DataFrame, b: pd.DataFrame, weights: Gewichten | pd.Series | None = None
) -> pd.DataFrame:
    """Weighted cross table: rows = regions of ``a``, columns = regions of ``b``.

    Gemeenten present in only one membership, or without a weight, are left out and listed in
    ``result.attrs["niet_gekoppeld"]`` / ``["zonder_gewicht"]``.
    """
    pa, pb = _pairs(a), _pairs(b)
    common = pa.index.intersection(pb.index)
    w = _weights(common, weights)
    no_weight = w.index[w.isna()]
    w = w.dropna()
    codes_a, rows = pd.factorize(pa.reindex(w.index), sort=True)
    codes_b, cols = pd.factorize(pb.reindex(w.index), sort=True)
    values = np.zeros((len(rows), len(cols)), dtype="float64")
    np.add.at(values, (codes_a, codes_b), w.to_numpy(dtype="float64"))
    table = pd.DataFrame(
        values,
        index=pd.Index(np.asarray(rows, dtype=object), name="regio_a"),
        columns=pd.Index(np.asarray(cols, dtype=object), name="regio_b"),
    )
    table.attrs["niet_gekoppeld"] = sorted(set(pa.index) ^ set(pb.index))
    table.attrs["zonder_gewicht"] = sorted(no_weight)
    return table


def _comb2(x: np.ndarray | float) -> np.ndarray | float:
    return np.asarray(x, dtype="float64") * (np.asarray(x, dtype="float64") - 1.0) / 2.0


def adjusted_rand_index(table: np.ndarray | pd.DataFrame) -> float:
    """Adjusted Rand index of a (weighted) contingency table; NaN for fewer than 2 units."""
    t = np.asarray(table, dtype="float64")
    n = t.sum()
    if n < 2:
        return float("nan")
    index = float(_comb2(t).sum())
    sum_a = float(_comb2(t.sum(axis=1)).sum())
    sum_b = float(_comb2(t.sum(axis=0)).sum())
    expected = sum_a * sum_b / float(_comb2(n))
    maximum = (sum_a + sum_b) / 2.0
    if np.isclose(maximum, expected):
        return 1.0  # both partitions trivial (all in one region, or every unit alone)
    return (index - expected) / (maximum - expected)


def normalized_mutual_information(table: np.ndarray | pd.DataFrame) -> float:
    """Mutual information normalised by the arithmetic mean of the two entropies (0–1)."""
    t = np.asarray(table, dtype="float64")
    n = t.sum()
    if n <= 0:
        return float("nan")
    p = t / n
    pa, pb = p.sum(axis=1), p.sum(axis=0)
    nz = p > 0
    mi = float((p[nz] * np.log(p[nz] / np.outer(pa, pb)[nz])).sum())
    ha = float(-(pa[pa > 0] * np.log(pa[pa > 0])).sum())
    hb = float(-(pb[pb > 0] * np.log(pb[pb > 0])).sum())
    denom = (ha + hb) / 2.0
    if denom <= 0:
        return 1.0
    return float(min(1.0, max(0.0, mi / denom)))


def agreement(
    a: pd.DataFrame, b: pd.DataFrame, weights: Gewichten | pd.Series | None = None
) -> dict[str, float | int | str]:
    """ARI and NMI of two memberships, with the size of the comparison."""
    table = contingency(a, b, weights)
    return {
        "ari": adjusted_rand_index(table),
        "nmi": normalized_mutual_information(table),
        "n_gemeenten": int(len(set(_pairs(a).index) & set(_pairs(b).index))),
        "n_regio_a": int(table.shape[0]),
        "n_regio_b": int(table.shape[1]),
        "gewicht": weights.label
        if isinstance(weights, Gewichten)
        else ("gemeenten" if weights is None else "gewogen"),
    }


def agreement_matrix(
    memberships: Mapping[str, pd.DataFrame], weights: Gewichten | pd.Series | None = None
) -> pd.DataFrame:
    """ARI and NMI for every unordered pair of divisions (long format, one row per pair)."""
    rows = []
    for name_a, name_b in combinations(memberships, 2):
        score = agreement(memberships[name_a], memberships[name_b], weights)
        rows.append({"indeling_a": name_a, "indeling_b": name_b, **score})
    columns = ["indeling_a", "indeling_b", "ari", "nmi", "n_gemeenten", "n_regio_a", "n_regio_b"]
    return pd.DataFrame(rows, columns=[*columns, "gewicht"])


def _relation(members: set[str], touched: list[str], other_members: Mapping[str, set[str]]) -> str:
    if len(touched) == 1:
        return "gelijk" if other_members[touched[0]] == members else "binnen"
    if all(other_members[r] <= members for r in touched):
        return "omvat"
    return "overlappend"


def congruence_per_region(
    jeugd: pd.DataFrame,
    other: pd.DataFrame,
    weights: Gewichten | pd.Series | None = None,
    *,
    drempels: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Per region of ``jeugd``: modal region of ``other``, modal share and regions touched.

    ``relatie`` is ``gelijk`` (same member set), ``binnen`` (inside one region of the other
    division), ``omvat`` (a union of whole regions of the other division) or ``overlappend``.
    ``congruent`` is True when the modal share reaches ``congruent_min_aandeel``.
    """
    threshold = drempel("congruent_min_aandeel", drempels)
    table = contingency(jeugd, other, weights)
    j = jeugd.assign(gemeente_code=jeugd["gemeente_code"].astype("str"))
    o = other.assign(gemeente_code=other["gemeente_code"].astype("str"))
    names_j = j.drop_duplicates("regio_code").set_index("regio_code")["regio_naam"]
    names_o = o.drop_duplicates("regio_code").set_index("regio_code")["regio_naam"]
    gm_names = j.set_index("gemeente_code")["gemeente_naam"].to_dict()
    other_of = o.set_index("gemeente_code")["regio_code"].to_dict()
    members_o = {r: set(g) for r, g in o.groupby("regio_code")["gemeente_code"]}
    members_j = {r: set(g) for r, g in j.groupby("regio_code")["gemeente_code"]}
    values = table.to_numpy()
    columns = list(table.columns)
    rows = []
    for k, code in enumerate(table.index):
        row = values[k]
        total = row.sum()
        touched = [columns[i] for i in np.flatnonzero(row > 0)]
        modal = columns[int(np.argmax(row))]
        members = members_j.get(code, set())
        outside = sorted(g for g in members if other_of.get(g) not in (None, modal))
        share = float(row.max() / total) if total > 0 else float("nan")
        rows.append(
            {
                "regio_code": code,
                "regio_naam": names_j.get(code, code),
                "indeling": other["indeling"].iloc[0] if "indeling" in other else "",
                "modale_regio_code": modal,
                "modale_regio_naam": names_o.get(modal, modal),
                "modaal_aandeel": share,
                "n_regio_geraakt": len(touched),
                "regio_geraakt": ", ".join(f"{names_o.get(c, c)} ({c})" for c in touched),
                "n_gemeenten": len(members),
                "n_gemeenten_buiten_modaal": len(outside),
                "gemeenten_buiten_modaal": ", ".join(str(gm_names.get(g, g)) for g in outside),
                "relatie": _relation(members, touched, members_o),
                "congruent": bool(share >= threshold - 1e-12),
            }
        )
    out = pd.DataFrame(rows)
    if len(out) and "indeling" in other:
        out["indeling_label"] = out["indeling"].map(INDELING_LABELS).fillna(out["indeling"])
    return out
