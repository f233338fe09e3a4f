"""Access to youth care: referral mix, inflow, crisis share, duration of ended trajectories as a
weighted mean, share ended as planned, stock per 1 000 young people.

Pure functions; definitions in ``docs/toegang.md``. A region's value is recomputed from its
members' numerators and weights (never an average of averages); coverage comes with it. None of
these is a waiting time: the chapter says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import registry


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


# --------------------------------------------------------------------------------------
# the chapter's figures from the processed layer (gemeente rows, recomputed for groups)
# --------------------------------------------------------------------------------------

#: denominator of "per 1 000 jongeren"
BEVOLKING = "bevolking_0_17"
#: the started-trajectory count of each referrer (order of :data:`registry.VERWIJZERS`)
VERWIJZER_IDS: tuple[str, ...] = tuple(f"toegang_begonnen_{s}" for s, _, _ in registry.VERWIJZERS)
#: "circa 80 % via de huisarts" (NVRR 2017, policy-questions B2): shown beside the GP share
HUISARTS_REFERENTIE_PCT = 80.0
#: the weighted mean duration and its weight (declared in the registry)
DUUR = "toegang_duur_beeindigd"
DUUR_GEWICHT = registry.indicator(DUUR).aggregatie.gewicht


@dataclass(frozen=True)
class Kengetal:
    """A ratio recomputed for any group of gemeenten: ``Σ teller / Σ noemer × schaal`` over the
    members that have both."""

    id: str
    label: str
    teller: str
    noemer: str
    schaal: float
    eenheid: str


def _kengetallen() -> tuple[Kengetal, ...]:
    out = [
        Kengetal(
            "begonnen_per_1000",
            "begonnen trajecten per 1 000 jongeren",
            "toegang_begonnen",
            BEVOLKING,
            1000.0,
            "per 1 000",
        ),
        Kengetal(
            "crisis_pct",
            "aandeel begonnen met crisis",
            "toegang_begonnen_crisis",
            "toegang_begonnen",
            100.0,
            "%",
        ),
        Kengetal(
            "herhaald_pct",
            "aandeel herhaald beroep",
            "toegang_begonnen_herhaald",
            "toegang_begonnen",
            100.0,
            "%",
        ),
        Kengetal(
            "volgens_plan_pct",
            "aandeel beëindigd volgens plan",
            "toegang_beeindigd_volgens_plan",
            "toegang_beeindigd",
            100.0,
            "%",
        ),
    ]
    out += [
        Kengetal(f"verwijzer_{s}_pct", f"via {label}", f"toegang_begonnen_{s}",
                 "toegang_begonnen", 100.0, "%")
        for s, label, _ in registry.VERWIJZERS
    ]  # fmt: skip
    for pre in ("jb", "jr"):
        out.append(
            Kengetal(f"{pre}_begonnen_per_1000", f"begonnen {pre.upper()}-trajecten per 1 000 "
                     "jongeren", f"toegang_{pre}_begonnen", BEVOLKING, 1000.0, "per 1 000")
        )  # fmt: skip
        out += [
            Kengetal(f"{pre}_duur_{s}_pct", f"duur {label}", f"toegang_{pre}_duur_{s}",
                     f"toegang_{pre}_beeindigd", 100.0, "%")
            for s, label, _ in registry.DUURKLASSEN
        ]  # fmt: skip
    return tuple(out)


KENGETALLEN: dict[str, Kengetal] = {k.id: k for k in _kengetallen()}
#: every indicator the chapter reads
INDICATOREN: tuple[str, ...] = tuple(
    sorted(
        {i.id for i in registry.INDICATORS if i.thema == "toegang"} | {BEVOLKING},
    )
)


def kengetal(kengetal_id: str) -> Kengetal:
    """Look up a ratio; unknown ids list the valid ones."""
    try:
        return KENGETALLEN[kengetal_id]
    except KeyError:
        raise KeyError(
            f"unknown kengetal {kengetal_id!r}; valid: {', '.join(KENGETALLEN)}"
        ) from None


def breed(df: pd.DataFrame, periode: str, *, indeling_jaar: int) -> pd.DataFrame:
    """Gemeente values of every access indicator in ``periode`` (one row per gemeente, one
    column per indicator; missing = not published or suppressed), with the 0–17 population of
    the period's year as :data:`BEVOLKING` and the least final status as ``status``."""
    gm = df[
        (df["regio_niveau"] == "gemeente")
        & (df["indeling_jaar"] == indeling_jaar)
        & df["indicator"].isin(INDICATOREN)
    ]
    rows = gm[(gm["periode"] == periode) & (gm["indicator"] != BEVOLKING)]
    wide = rows.pivot_table(
        index="regio_code", columns="indicator", values="waarde", aggfunc="first", dropna=False
    )
    jaar = int(rows["jaar"].iloc[0]) if len(rows) else int(str(periode)[:4])
    pop = gm[(gm["indicator"] == BEVOLKING) & (gm["periode"] == str(jaar))]
    wide = wide.join(pop.set_index("regio_code")["waarde"].rename(BEVOLKING), how="outer")
    voorlopig = rows[rows["status"] != "definitief"]
    status = voorlopig["status"].iloc[0] if len(voorlopig) else "definitief"
    for col in INDICATOREN:
        if col not in wide:
            wide[col] = np.nan
    wide.attrs.update(periode=periode, jaar=jaar, status=status)
    return wide


def groepswaarde(breed_df: pd.DataFrame, leden: Iterable[str], kengetal_id: str) -> dict:
    """One ratio for a group of gemeenten from summed numerators and denominators.

    Only members with both a published numerator and a positive denominator count; ``n_leden``
    and ``n_met_waarde`` give the coverage. A single gemeente is a group of one.
    """
    k = kengetal(kengetal_id)
    d = breed_df.reindex(list(leden))
    t, n = d[k.teller], d[k.noemer]
    ok = t.notna() & n.notna() & (n > 0)
    teller, noemer = float(t[ok].sum()), float(n[ok].sum())
    return {
        "waarde": ratio(teller, noemer, k.schaal) if ok.any() else float("nan"),
        "teller": teller if ok.any() else float("nan"),
        "noemer": noemer if ok.any() else float("nan"),
        "n_met_waarde": int(ok.sum()),
        "n_leden": int(len(d)),
    }


def groepsduur(breed_df: pd.DataFrame, leden: Iterable[str]) -> dict:
    """Weighted mean duration of ended trajectories for a group (see :func:`gewogen_duur`)."""
    d = breed_df.reindex(list(leden))
    return gewogen_duur(
        pd.DataFrame({"duur": d[DUUR].to_numpy(), "beeindigd": d[DUUR_GEWICHT].to_numpy()})
    )


def balans(breed_df: pd.DataFrame, leden: Iterable[str]) -> dict:
    """Inflow minus outflow (``Σ begonnen − Σ beëindigd``) over members with both counts."""
    d = breed_df.reindex(list(leden))
    ok = d["toegang_begonnen"].notna() & d["toegang_beeindigd"].notna()
    b, e = float(d.loc[ok, "toegang_begonnen"].sum()), float(d.loc[ok, "toegang_beeindigd"].sum())
    return {
        "waarde": b - e if ok.any() else float("nan"),
        "begonnen": b if ok.any() else float("nan"),
        "beeindigd": e if ok.any() else float("nan"),
        "n_met_waarde": int(ok.sum()),
        "n_leden": int(len(d)),
    }


def per_gemeente(breed_df: pd.DataFrame, kengetal_id: str) -> pd.Series:
    """The ratio of every gemeente (for maps and rankings); missing where not computable."""
    k = kengetal(kengetal_id)
    return ratio(breed_df[k.teller], breed_df[k.noemer], k.schaal)


def perioden(df: pd.DataFrame, indicator: str, *, indeling_jaar: int, periode_type: str) -> list:
    """Periods of ``periode_type`` in which some gemeente has a value of ``indicator``, oldest
    first."""
    sel = df[
        (df["indicator"] == indicator)
        & (df["indeling_jaar"] == indeling_jaar)
        & (df["periode_type"] == periode_type)
        & (df["regio_niveau"] == "gemeente")
        & df["waarde"].notna()
    ]
    return sorted(sel["periode"].unique())


def bestand_per_1000(
    df: pd.DataFrame,
    leden: Iterable[str],
    *,
    indeling_jaar: int,
    vorm: str = "jeugdzorg",
    matrix: tuple[pd.DataFrame, pd.DataFrame, dict[str, str]] | None = None,
) -> pd.DataFrame:
    """Stock on each reference date per 1 000 young people (population of 1 January of the
    reference date's year), recomputed for the group from sums, with coverage.

    ``matrix`` may supply the (memoised) :func:`bestand_matrix` of the data."""
    leden = list(leden)
    teller, noemer, status = matrix or bestand_matrix(df, indeling_jaar=indeling_jaar, vorm=vorm)
    t = teller.reindex(leden).to_numpy(dtype="float64", na_value=np.nan)
    n = noemer.reindex(index=leden, columns=teller.columns).to_numpy(
        dtype="float64", na_value=np.nan
    )
    with np.errstate(invalid="ignore"):
        ok = ~np.isnan(t) & ~np.isnan(n) & (n > 0)
    # counts: sums of whole numbers, exact in any order
    trajecten = np.where(ok, t, 0.0).sum(axis=0)
    jongeren = np.where(ok, n, 0.0).sum(axis=0)
    met_waarde = ok.sum(axis=0)
    rows = []
    for i, p in enumerate(teller.columns):
        any_ok = bool(met_waarde[i])
        tt, nn = float(trajecten[i]), float(jongeren[i])
        rows.append(
            {
                "periode": p,
                "jaar": int(p[:4]),
                "status": status[p],
                "trajecten": tt if any_ok else float("nan"),
                "jongeren": nn if any_ok else float("nan"),
                "per_1000": ratio(tt, nn, 1000.0) if any_ok else float("nan"),
                "n_met_waarde": int(met_waarde[i]),
                "n_leden": len(leden),
            }
        )
    return pd.DataFrame(rows)


def groepswaarden(breed_df: pd.DataFrame, leden: Iterable[str]) -> dict[str, dict]:
    """Every :data:`KENGETALLEN` ratio for one group at once (one look-up of the members);
    each value as :func:`groepswaarde` gives it."""
    d = breed_df.reindex(list(leden))
    cols = {c: d[c].to_numpy(dtype="float64") for c in d.columns if c in INDICATOREN}
    out = {}
    for k in KENGETALLEN.values():
        t, n = cols[k.teller], cols[k.noemer]
        ok = ~np.isnan(t) & ~np.isnan(n) & (np.nan_to_num(n) > 0)
        any_ok = bool(ok.any())
        teller, noemer = float(t[ok].sum()), float(n[ok].sum())
        out[k.id] = {
            "waarde": ratio(teller, noemer, k.schaal) if any_ok else float("nan"),
            "teller": teller if any_ok else float("nan"),
            "noemer": noemer if any_ok else float("nan"),
            "n_met_waarde": int(ok.sum()),
            "n_leden": int(len(d)),
        }
    return out


def bestand_matrix(
    df: pd.DataFrame, *, indeling_jaar: int, vorm: str = "jeugdzorg"
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """(stock, population 0–17) per gemeente (rows) and reference date (columns), and the least
    final status per reference date: what :func:`bestand_per_1000` sums for any group."""
    ind = f"toegang_bestand_{vorm}"
    gm = df[
        (df["regio_niveau"] == "gemeente")
        & (df["indeling_jaar"] == indeling_jaar)
        & (df["indicator"].isin([ind, BEVOLKING]))
    ]
    st = gm[(gm["indicator"] == ind) & (gm["periode_type"] == "peildatum")]
    teller = st.pivot_table(
        index="regio_code", columns="periode", values="waarde", aggfunc="first", dropna=False
    )
    teller = teller.loc[
        :, [p for p in teller.columns if st.loc[st["periode"] == p, "waarde"].notna().any()]
    ]
    pop = gm[gm["indicator"] == BEVOLKING].pivot_table(
        index="regio_code", columns="periode", values="waarde", aggfunc="first"
    )
    rijen = teller.index.union(pop.index)
    noemer = pd.DataFrame(index=rijen, columns=teller.columns, dtype="float64")
    for p in teller.columns:
        if p[:4] in pop.columns:
            noemer[p] = pop[p[:4]].reindex(rijen)
    teller = teller.reindex(rijen)
    status = {}
    for p in teller.columns:
        s = st.loc[(st["periode"] == p) & (st["status"] != "definitief"), "status"]
        status[p] = s.iloc[0] if len(s) else "definitief"
    return teller, noemer, status


def duur_matrix(
    df: pd.DataFrame, *, indeling_jaar: int, periode_type: str = "jaar"
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """(mean duration, ended trajectories) per gemeente (rows) and period (columns), and the
    least final status per period: what :func:`duur_reeks` weighs for any group."""
    gm = df[
        (df["regio_niveau"] == "gemeente")
        & (df["indeling_jaar"] == indeling_jaar)
        & (df["periode_type"] == periode_type)
        & df["indicator"].isin([DUUR, DUUR_GEWICHT])
    ]

    def wide(ind: str) -> pd.DataFrame:
        return gm[gm["indicator"] == ind].pivot_table(
            index="regio_code", columns="periode", values="waarde", aggfunc="first", dropna=False
        )

    duur, gewicht = wide(DUUR), wide(DUUR_GEWICHT)
    rijen = duur.index.union(gewicht.index)
    kolommen = sorted(set(duur.columns) | set(gewicht.columns))
    duur, gewicht = (
        duur.reindex(index=rijen, columns=kolommen),
        gewicht.reindex(index=rijen, columns=kolommen),
    )
    status = {}
    for p in kolommen:
        s = gm.loc[(gm["periode"] == p) & (gm["status"] != "definitief"), "status"]
        status[p] = s.iloc[0] if len(s) else "definitief"
    return duur, gewicht, status


def duur_reeks(
    matrix: tuple[pd.DataFrame, pd.DataFrame, dict[str, str]], leden: Iterable[str]
) -> pd.DataFrame:
    """Weighted mean duration of ended trajectories of a group in every period of
    :func:`duur_matrix` (``Σ duur × beëindigd / Σ beëindigd`` over members with both)."""
    duur, gewicht, status = matrix
    leden = list(leden)
    d = duur.reindex(leden).to_numpy(dtype="float64")
    w = gewicht.reindex(leden).to_numpy(dtype="float64")
    ok = ~np.isnan(d) & ~np.isnan(w) & (np.nan_to_num(w) > 0)
    som_w = np.where(ok, w, 0.0).sum(axis=0)
    som_dw = np.where(ok, d * np.nan_to_num(w), 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        waarde = np.where(som_w > 0, som_dw / np.where(som_w > 0, som_w, 1.0), np.nan)
    return pd.DataFrame(
        {
            "periode": list(duur.columns),
            "waarde": waarde,
            "gewicht": np.where(som_w > 0, som_w, np.nan),
            "n_met_waarde": ok.sum(axis=0).astype(int),
            "n_leden": len(leden),
            "status": [status[p] for p in duur.columns],
        }
    )
