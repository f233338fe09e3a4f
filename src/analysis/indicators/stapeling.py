"""Stapeling (overlap) of social-domain provisions: shares of law combinations, the check that
the exclusive combinations add up to the total, and a concentration curve from the distribution
over the number of provisions.

Pure functions; definitions in ``docs/stapeling.md``. Counts are CBS's (rounded to 5, small cells
suppressed): a suppressed cell stays missing and is never derived as total minus the others.
Functions return codes and numbers; Dutch text is the chapter's job.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

#: the seven exclusive combinations of the three laws (codes), in CBS's order
COMBINATIES: tuple[str, ...] = (
    "alleen_jeugd",
    "alleen_pwet",
    "alleen_wmo",
    "jeugd_pwet",
    "jeugd_wmo",
    "pwet_wmo",
    "jeugd_pwet_wmo",
)
#: combinations with provisions from two or three laws
MEER_WETTEN: tuple[str, ...] = ("jeugd_pwet", "jeugd_wmo", "pwet_wmo", "jeugd_pwet_wmo")
#: the laws in each combination
WETTEN: Mapping[str, tuple[str, ...]] = {
    "alleen_jeugd": ("jeugd",),
    "alleen_pwet": ("pwet",),
    "alleen_wmo": ("wmo",),
    "jeugd_pwet": ("jeugd", "pwet"),
    "jeugd_wmo": ("jeugd", "wmo"),
    "pwet_wmo": ("pwet", "wmo"),
    "jeugd_pwet_wmo": ("jeugd", "pwet", "wmo"),
}


def aandelen(combinaties: pd.DataFrame, totaal: str = "totaal") -> pd.DataFrame:
    """Share of each exclusive combination and of "more than one law" in the total.

    ``combinaties``: one row per unit (gemeente × period), a column ``totaal`` and one column
    per code in :data:`COMBINATIES` (counts; NaN = suppressed). A share is missing when its
    count or the total is missing. ``aandeel_meer_wetten`` needs all four multi-law cells.
    """
    out = pd.DataFrame(index=combinaties.index)
    tot = combinaties[totaal].where(combinaties[totaal] > 0)
    for c in COMBINATIES:
        out[f"aandeel_{c}"] = combinaties[c] / tot
    meer = combinaties[list(MEER_WETTEN)].sum(axis=1, min_count=len(MEER_WETTEN))
    out["meer_wetten"] = meer
    out["aandeel_meer_wetten"] = meer / tot
    return out


def som_controle(
    combinaties: pd.DataFrame, totaal: str = "totaal", *, tolerantie: int = 5
) -> pd.DataFrame:
    """Check that the seven exclusive combinations add up to the total (PUDL-style).

    Returns per row: the sum of the published cells, the difference with the total, how many
    cells are suppressed and a status code: ``ok`` (all cells published, difference within
    ``tolerantie`` per cell for CBS's rounding to 5), ``afwijking`` (all published, difference
    larger) or ``onvolledig`` (cells suppressed: the difference is not evidence of an error).
    Nothing is forced to add up.
    """
    cells = combinaties[list(COMBINATIES)]
    n_missing = cells.isna().sum(axis=1)
    som = cells.sum(axis=1, min_count=1)
    verschil = som - combinaties[totaal]
    grens = tolerantie * len(COMBINATIES)
    status = np.where(
        n_missing > 0, "onvolledig", np.where(verschil.abs() <= grens, "ok", "afwijking")
    )
    status = np.where(combinaties[totaal].isna(), "onvolledig", status)
    return pd.DataFrame(
        {"som": som, "verschil": verschil, "n_onderdrukt": n_missing, "status": status},
        index=combinaties.index,
    )


def concentratie(verdeling: Mapping[int, float]) -> pd.DataFrame:
    """Lorenz-type concentration curve from grouped data.

    ``verdeling``: number of provisions k (1, 2, …; the highest class is "k or more" and counts
    as k) -> number of households with k provisions. Households are ordered from most to fewest
    provisions; each row gives the cumulative share of households (``aandeel_huishoudens``) and
    the cumulative share of all provisions they hold (``aandeel_voorzieningen``), starting at
    (0, 0) and ending at (1, 1). Within a class every household counts the same, and the open top
    class counts as k: the curve is a lower bound of the true concentration (an approximation).
    Raises ``ValueError`` when a class count is missing or negative or nothing is left.
    """
    items = sorted(((int(k), v) for k, v in verdeling.items()), reverse=True)
    if not items or any(v is None or pd.isna(v) or v < 0 for _, v in items):
        raise ValueError(f"concentratie: every class needs a non-negative count; got {verdeling}")
    hh = np.array([v for _, v in items], dtype=float)
    voorz = np.array([k * v for k, v in items], dtype=float)
    if hh.sum() <= 0 or voorz.sum() <= 0:
        raise ValueError("concentratie: no households with provisions")
    return pd.DataFrame(
        {
            "aantal_voorzieningen": [None, *[k for k, _ in items]],
            "aandeel_huishoudens": np.concatenate([[0.0], np.cumsum(hh) / hh.sum()]),
            "aandeel_voorzieningen": np.concatenate([[0.0], np.cumsum(voorz) / voorz.sum()]),
        }
    )


def aandeel_van_voorzieningen(curve: pd.DataFrame, aandeel_huishoudens: float) -> float:
    """Share of all provisions held by the ``aandeel_huishoudens`` with the most provisions,
    read from :func:`concentratie` by linear interpolation within a class."""
    return float(
        np.interp(aandeel_huishoudens, curve["aandeel_huishoudens"], curve["aandeel_voorzieningen"])
    )


def per_duizend(teller: pd.Series, noemer: pd.Series) -> pd.Series:
    """``teller / noemer × 1 000`` (missing when either is missing or the denominator is 0)."""
    return teller * 1000.0 / noemer.where(noemer > 0)
