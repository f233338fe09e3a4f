"""Budget and spending: deviation from the gemeente's own budget, cost per young person, an
expected-cost model and a regional pooling (verevening) simulation.

Pure functions on tidy frames; definitions in ``docs/budget.md``. Rules that hold throughout:

* Region and national figures come from **summed numerators and denominators** of the gemeenten
  that have data; every aggregate carries its coverage (members with data of all members, and
  the share of the young population they hold). Nothing is imputed.
* Missing (suppressed or not delivered) stays missing, never 0.
* The expected-cost model is an estimate: it returns a prediction interval and a position code
  (``boven`` / ``binnen`` / ``onder``), never a judgement.
* Functions return codes and numbers; Dutch sentences are the chapter's job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

REALISATIE = "kosten_jeugdzorg_gerealiseerd"
BEGROTING = "kosten_jeugdzorg_begroot"
JONGEREN = "bevolking_0_17"

#: columns of :func:`kosten_per_gemeente`
KOSTEN_COLUMNS: tuple[str, ...] = (
    "regio_code",
    "jaar",
    "gerealiseerd",
    "begroot",
    "jongeren",
    "afwijking",
    "afwijking_pct",
    "kosten_per_jongere",
    "afwijking_per_jongere",
)

#: position of a realised value against the model's prediction interval
POSITIES: tuple[str, ...] = ("onder", "binnen", "boven")


def kosten_per_gemeente(
    indicators: pd.DataFrame, *, periode_type: str = "jaar", indeling_jaar: int | None = None
) -> pd.DataFrame:
    """One row per gemeente × year with realised and budgeted cost (1 000 euro), young people
    0–17 and the derived deviation, percentage and amounts per young person (euro).

    ``indicators`` is the long processed layer (``docs/data-contract.md``). A derived figure is
    missing when one of its inputs is missing; the deviation needs both cost figures.
    """
    df = indicators[
        (indicators["regio_niveau"] == "gemeente")
        & (indicators["indicator"].isin([REALISATIE, BEGROTING, JONGEREN]))
    ]
    if indeling_jaar is not None:
        df = df[df["indeling_jaar"] == indeling_jaar]
    kosten = df[(df["indicator"] != JONGEREN) & (df["periode_type"] == periode_type)]
    jong = df[(df["indicator"] == JONGEREN) & (df["periode_type"] == "jaar")]
    wide = kosten.pivot_table(
        index=["regio_code", "jaar"],
        columns="indicator",
        values="waarde",
        aggfunc="first",
        dropna=False,
    )
    wide = wide.reindex(columns=[REALISATIE, BEGROTING])
    jongeren = jong.groupby(["regio_code", "jaar"])["waarde"].first()
    out = pd.DataFrame(
        {
            "gerealiseerd": wide[REALISATIE],
            "begroot": wide[BEGROTING],
        }
    )
    out["jongeren"] = jongeren.reindex(out.index)
    out = out.reset_index()
    return _afgeleid(out)


def _afgeleid(out: pd.DataFrame) -> pd.DataFrame:
    out = out.copy()
    out["afwijking"] = out["gerealiseerd"] - out["begroot"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["afwijking_pct"] = np.where(
            out["begroot"] > 0, out["afwijking"] / out["begroot"] * 100.0, np.nan
        )
        jong = out["jongeren"].where(out["jongeren"] > 0)
        out["kosten_per_jongere"] = out["gerealiseerd"] * 1000.0 / jong
        out["afwijking_per_jongere"] = out["afwijking"] * 1000.0 / jong
    return out[list(KOSTEN_COLUMNS)]


def aggregeer(kosten: pd.DataFrame, leden: pd.DataFrame, *, groep: str = "regio") -> pd.DataFrame:
    """Sum :func:`kosten_per_gemeente` rows to groups of gemeenten, with coverage.

    ``leden``: columns ``gemeente_code`` and ``groep`` (e.g. the jeugdregio code, or one
    constant for Nederland). Per group and year: the sums over members **with** realised cost
    (``gerealiseerd``, ``jongeren``) and over members with **both** cost figures (``begroot``,
    ``afwijking``), the derived rates from those sums, ``n_leden``, ``n_met_gegevens``,
    ``n_met_beide`` and ``dekking_jongeren`` (share of the members' young people that live in
    members with realised cost; NaN when young people are unknown for a member).
    """
    df = kosten.merge(
        leden.rename(columns={"gemeente_code": "regio_code", groep: "groep"})[
            ["regio_code", "groep"]
        ],
        on="regio_code",
        how="inner",
    )
    rows = []
    for (g, jaar), d in df.groupby(["groep", "jaar"], sort=True):
        met = d[d["gerealiseerd"].notna() & d["jongeren"].notna()]
        beide = met[met["begroot"].notna()]
        alle_jong = d["jongeren"].sum(min_count=1) if d["jongeren"].notna().all() else np.nan
        rows.append(
            {
                "groep": g,
                "jaar": int(jaar),
                "gerealiseerd": met["gerealiseerd"].sum() if len(met) else np.nan,
                "jongeren": met["jongeren"].sum() if len(met) else np.nan,
                "begroot": beide["begroot"].sum() if len(beide) else np.nan,
                "gerealiseerd_beide": beide["gerealiseerd"].sum() if len(beide) else np.nan,
                "jongeren_beide": beide["jongeren"].sum() if len(beide) else np.nan,
                "n_leden": int(len(d)),
                "n_met_gegevens": int(len(met)),
                "n_met_beide": int(len(beide)),
                "dekking_jongeren": (
                    met["jongeren"].sum() / alle_jong
                    if len(met) and alle_jong and not pd.isna(alle_jong)
                    else np.nan
                ),
            }
        )
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    with np.errstate(divide="ignore", invalid="ignore"):
        out["afwijking"] = out["gerealiseerd_beide"] - out["begroot"]
        out["afwijking_pct"] = out["afwijking"] / out["begroot"].where(out["begroot"] > 0) * 100
        out["kosten_per_jongere"] = out["gerealiseerd"] * 1000.0 / out["jongeren"]
        out["afwijking_per_jongere"] = out["afwijking"] * 1000.0 / out["jongeren_beide"]
    return out


def aandeel_boven_begroting(kosten: pd.DataFrame) -> pd.DataFrame:
    """Per year: gemeenten with both cost figures, how many spent more than budgeted, and the
    share (from counts)."""
    d = kosten[kosten["gerealiseerd"].notna() & kosten["begroot"].notna()]
    g = d.groupby("jaar")
    out = pd.DataFrame(
        {"n": g.size(), "n_boven": g.apply(lambda x: int((x["afwijking"] > 0).sum()))}
    ).reset_index()
    out["aandeel_boven"] = out["n_boven"] / out["n"]
    return out


# --------------------------------------------------------------------------------------
# expected cost
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kostenmodel:
    """A fitted expected-cost model for one year (weighted least squares)."""

    jaar: int
    verklarend: tuple[str, ...]
    coefficienten: dict[str, float]
    standaardfouten: dict[str, float]
    r2: float
    n: int
    alpha: float
    #: per gemeente: realised, expected, interval bounds, position code
    voorspelling: pd.DataFrame


def fit_kostenmodel(
    frame: pd.DataFrame,
    verklarend: Sequence[str],
    *,
    jaar: int,
    doel: str = "kosten_per_jongere",
    gewicht: str = "jongeren",
    alpha: float = 0.05,
) -> Kostenmodel:
    """Fit ``doel ~ verklarend`` by WLS (weights ``gewicht``) on the rows with every value.

    ``frame`` has one row per gemeente (column ``regio_code``). Returns the prediction with its
    ``1 - alpha`` prediction interval for every fitted gemeente and the position of the realised
    value: ``boven`` (above the interval), ``binnen`` or ``onder``. Raises ``ValueError`` when
    fewer rows than parameters + 5 have data.
    """
    import statsmodels.api as sm

    cols = ["regio_code", doel, gewicht, *verklarend]
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise ValueError(f"kostenmodel: columns {missing} missing; present: {list(frame.columns)}")
    d = frame[cols].replace([np.inf, -np.inf], np.nan).dropna()
    d = d[d[gewicht] > 0]
    k = len(verklarend) + 1
    if len(d) < k + 5:
        raise ValueError(
            f"kostenmodel {jaar}: {len(d)} gemeenten with every value, need at least {k + 5}"
        )
    X = sm.add_constant(d[list(verklarend)].astype(float), has_constant="add")
    w = d[gewicht].astype(float)
    fit = sm.WLS(d[doel].astype(float), X, weights=w / w.mean()).fit()
    pred = fit.get_prediction(X, weights=(w / w.mean()).to_numpy()).summary_frame(alpha=alpha)
    out = pd.DataFrame(
        {
            "regio_code": d["regio_code"].to_numpy(),
            "gerealiseerd": d[doel].to_numpy(),
            "verwacht": pred["mean"].to_numpy(),
            "ondergrens": pred["obs_ci_lower"].to_numpy(),
            "bovengrens": pred["obs_ci_upper"].to_numpy(),
        }
    )
    out["positie"] = positie(out["gerealiseerd"], out["ondergrens"], out["bovengrens"])
    return Kostenmodel(
        jaar=int(jaar),
        verklarend=tuple(verklarend),
        coefficienten={str(k_): float(v) for k_, v in fit.params.items()},
        standaardfouten={str(k_): float(v) for k_, v in fit.bse.items()},
        r2=float(fit.rsquared),
        n=int(fit.nobs),
        alpha=alpha,
        voorspelling=out,
    )


@dataclass(frozen=True)
class Modelfit:
    """Size and fit of a year's expected-cost model, as a report states them."""

    jaar: int
    n: int
    r2: float


def fit_uit_voorspelling(
    gerealiseerd: pd.Series, verwacht: pd.Series, gewicht: pd.Series, *, jaar: int
) -> Modelfit | None:
    """n and R² of a fitted model from its stored predictions (aligned Series; the rows with
    a prediction are the rows it was fitted on), without refitting: the weighted R² of WLS,
    ``1 − Σw(y − ŷ)² / Σw(y − ȳ_w)²`` (``Kostenmodel.r2``; weights scale-free). None when no
    row has a prediction."""
    d = pd.DataFrame({"y": gerealiseerd, "yhat": verwacht, "w": gewicht}).dropna()
    d = d[d["w"] > 0]
    if d.empty:
        return None
    w = d["w"].to_numpy(float)
    y = d["y"].to_numpy(float)
    ssr = float(np.sum(w * (y - d["yhat"].to_numpy(float)) ** 2))
    tss = float(np.sum(w * (y - np.average(y, weights=w)) ** 2))
    return Modelfit(jaar=int(jaar), n=len(d), r2=1.0 - ssr / tss if tss > 0 else float("nan"))


def positie(waarde: pd.Series, onder: pd.Series, boven: pd.Series) -> pd.Series:
    """``boven`` / ``binnen`` / ``onder`` per row (missing where an input is missing)."""
    pos = np.where(waarde > boven, "boven", np.where(waarde < onder, "onder", "binnen"))
    bad = waarde.isna() | onder.isna() | boven.isna()
    return pd.Series(np.where(bad, None, pos), index=waarde.index, dtype=object)


def loo_dekking(
    frame: pd.DataFrame,
    verklarend: Sequence[str],
    *,
    doel: str = "kosten_per_jongere",
    gewicht: str = "jongeren",
    alpha: float = 0.05,
) -> float:
    """Leave-one-out coverage of the prediction interval: the share of gemeenten whose realised
    value lies inside the interval of a model fitted without them (nominal: ``1 - alpha``)."""
    import statsmodels.api as sm

    d = frame[["regio_code", doel, gewicht, *verklarend]].replace([np.inf, -np.inf], np.nan)
    d = d.dropna()
    d = d[d[gewicht] > 0].reset_index(drop=True)
    X = sm.add_constant(d[list(verklarend)].astype(float), has_constant="add").to_numpy()
    y = d[doel].astype(float).to_numpy()
    w = d[gewicht].astype(float).to_numpy()
    w = w / w.mean()
    binnen = 0
    for i in range(len(d)):
        keep = np.arange(len(d)) != i
        fit = sm.WLS(y[keep], X[keep], weights=w[keep]).fit()
        sf = fit.get_prediction(X[i : i + 1], weights=w[i : i + 1]).summary_frame(alpha=alpha)
        lo, hi = float(sf["obs_ci_lower"].iloc[0]), float(sf["obs_ci_upper"].iloc[0])
        binnen += lo <= y[i] <= hi
    return binnen / len(d) if len(d) else float("nan")


# --------------------------------------------------------------------------------------
# verevening (regional pooling) simulation
# --------------------------------------------------------------------------------------


def verevening(leden: pd.DataFrame, *, kosten: str = "gerealiseerd", sleutel: str) -> pd.DataFrame:
    """Pool the members' realised cost and share it by ``sleutel`` (e.g. young people 0–17 or
    expected cost): per member ``bijdrage = aandeel × pot`` and ``saldo = bijdrage − kosten``
    (positive: net payer; negative: net receiver). Members without cost or key take no part and
    are returned with ``doet_mee`` False. Per group the saldi sum to zero.

    ``leden``: columns ``groep``, ``regio_code``, ``kosten`` and ``sleutel``.
    """
    d = leden.copy()
    d["doet_mee"] = d[kosten].notna() & d[sleutel].notna() & (d[sleutel] > 0)
    mee = d[d["doet_mee"]]
    pot = mee.groupby("groep")[kosten].transform("sum")
    som_sleutel = mee.groupby("groep")[sleutel].transform("sum")
    d["aandeel"] = np.nan
    d.loc[mee.index, "aandeel"] = mee[sleutel] / som_sleutel
    d["bijdrage"] = np.nan
    d.loc[mee.index, "bijdrage"] = d.loc[mee.index, "aandeel"] * pot
    d["saldo"] = d["bijdrage"] - d[kosten]
    d["rol"] = np.where(
        ~d["doet_mee"],
        None,
        np.where(d["saldo"] > 0, "betaler", np.where(d["saldo"] < 0, "ontvanger", "neutraal")),
    )
    return d
