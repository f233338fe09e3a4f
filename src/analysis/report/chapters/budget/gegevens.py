"""Numbers of the chapter "Budget en tekorten" for one report context.

Everything here reads the processed layer (the derived budget rows of the build, see
:mod:`analysis.indicators.budget_stap`) and the published local budget records; the results
that every report of a batch shares are computed once per data version.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import store
from analysis.indicators import budget, budget_stap, iv3

__all__ = ["Budget", "gegevens", "rijksbudget"]

SINDS = 2015
AFGELEID = (
    "begrotingsafwijking",
    "begrotingsafwijking_pct",
    "kosten_per_jongere",
    "afwijking_per_jongere",
    "kosten_dekking_jongeren",
    "verwachte_kosten_per_jongere",
    "verwachte_kosten_ondergrens",
    "verwachte_kosten_bovengrens",
    "verevening_saldo_jongeren",
    "verevening_saldo_verwacht",
)
IV3 = tuple(f"iv3_lasten_{g}" for g in iv3.GROEPEN)
WMO = "wmo_uitgaven_gerealiseerd"
WANTED = (budget.REALISATIE, budget.BEGROTING, budget.JONGEREN, *AFGELEID, *IV3, WMO)


@dataclass
class Budget:
    """Budget figures of one classification year (shared by all reports on it)."""

    indeling_jaar: int
    df: pd.DataFrame
    kosten: pd.DataFrame  # gemeente x jaar (budget.kosten_per_gemeente)
    jaren: list[int]  # years with realised cost of at least one gemeente
    wide: pd.DataFrame  # (regio_code, jaar) x indicator, jaar rows only
    dekking: pd.DataFrame  # (regio_code, jaar) -> dekking of the realised cost row
    model_jaren: list[int]
    modellen: dict[int, budget.Modelfit | None] = field(default_factory=dict)
    #: results shared by reports on this data (e.g. the trend scale of a jeugdregio's members)
    cache: dict = field(default_factory=dict)

    def jaar_voor(self, jaar: int) -> int | None:
        """The latest year with cost data, not after ``jaar``."""
        kand = [j for j in self.jaren if j <= jaar]
        return max(kand) if kand else None

    def model_jaar_voor(self, jaar: int) -> int | None:
        kand = [j for j in self.model_jaren if j <= jaar]
        return max(kand) if kand else None

    def laatste_jaar(self, codes, indicator: str, jaar: int) -> int:
        """The latest year <= ``jaar`` in which one of ``codes`` has ``indicator`` (else
        ``jaar``): e.g. the verevening needs young people, which may lag the costs."""
        jaren = [
            j
            for j in self.jaren
            if j <= jaar and any(self.waarde(c, j, indicator) is not None for c in codes)
        ]
        return max(jaren) if jaren else jaar

    def waarde(self, code: str, jaar: int, indicator: str) -> float | None:
        try:
            v = self.wide.at[(code, jaar), indicator]
        except KeyError:
            return None
        return None if pd.isna(v) else float(v)

    def rij(self, code: str, jaar: int) -> dict:
        """All budget indicators of one region and year ({} when absent)."""
        try:
            r = self.wide.loc[(code, jaar)]
        except KeyError:
            return {}
        out = {k: (None if pd.isna(v) else float(v)) for k, v in r.items()}
        out["dekking"] = self.dekking.get((code, jaar))
        return out

    def model(self, jaar: int) -> budget.Modelfit | None:
        """n and R² of the expected-cost model of ``jaar``, from the predictions the build
        stored (no refit: a report needs no statsmodels)."""
        if jaar not in self.modellen:
            k = self.kosten[self.kosten["jaar"] == jaar].set_index("regio_code")
            verwacht = self.wide.xs(jaar, level="jaar")["verwachte_kosten_per_jongere"]
            self.modellen[jaar] = budget.fit_uit_voorspelling(
                k["kosten_per_jongere"], verwacht.reindex(k.index), k["jongeren"], jaar=jaar
            )
        return self.modellen[jaar]

    def iv3_lasten(self, codes, tot_jaar: int) -> tuple[pd.DataFrame, int]:
        """Iv3 lasten per group (rows) and boekjaar (columns) summed over ``codes`` (1 000
        euro, only values present), and the number of ``codes`` with any Iv3 figure."""
        d = self.df[
            self.df["indicator"].isin(IV3)
            & self.df["regio_code"].isin(list(codes))
            & (self.df["jaar"] <= tot_jaar)
            & self.df["waarde"].notna()
        ]
        if d.empty:
            return pd.DataFrame(), 0
        tab = d.pivot_table(index="indicator", columns="jaar", values="waarde", aggfunc="sum")
        return tab.reindex([i for i in IV3 if i in tab.index]), int(d["regio_code"].nunique())

    def gemeenten_in(self, jaar: int, codes) -> pd.DataFrame:
        """Gemeente rows of ``jaar`` for ``codes`` (derived indicators side by side)."""
        idx = [(c, jaar) for c in codes]
        return self.wide.reindex(idx).reset_index()


def _bereken(ctx) -> Budget:
    ij = ctx.indeling_jaar
    src = ctx.indicators
    model_inds = list(budget_stap.MODEL_INDICATORS)
    df = src[(src["indeling_jaar"] == ij) & src["indicator"].isin([*WANTED, *model_inds])]
    df = df.reset_index(drop=True)
    kosten = budget.kosten_per_gemeente(df, indeling_jaar=ij)
    jaren = sorted(int(j) for j in kosten.loc[kosten["gerealiseerd"].notna(), "jaar"].unique())
    jr = df[(df["periode_type"] == "jaar") & df["indicator"].isin(WANTED)]
    wide = jr.pivot_table(
        index=["regio_code", "jaar"], columns="indicator", values="waarde", aggfunc="first"
    )
    wide = wide.reindex(columns=list(WANTED))
    real = jr[jr["indicator"] == budget.REALISATIE]
    dekking = dict(
        zip(zip(real["regio_code"], real["jaar"], strict=True), real["dekking"], strict=True)
    )
    mj = sorted(
        int(j)
        for j in jr.loc[
            (jr["indicator"] == "verwachte_kosten_per_jongere") & jr["waarde"].notna(), "jaar"
        ].unique()
    )
    return Budget(ij, df, kosten, jaren, wide, dekking, mj)


def gegevens(ctx) -> Budget:
    """The :class:`Budget` of the report's classification year (memoised per data version)."""
    return store.per_data_version(
        ctx.data_dir, f"budget-{ctx.indeling_jaar}", lambda: _bereken(ctx)
    )


def rijksbudget(ctx) -> pd.DataFrame:
    """Published local budget records (kind ``budget``) with a source; empty when none
    (read once per version of the published file)."""
    path = Path(ctx.data_dir) / "processed" / "lokaal" / "budget.parquet"
    try:
        st = path.stat()
    except OSError:
        return pd.DataFrame()
    return _rijksbudget(str(path), st.st_mtime_ns, st.st_size).copy(deep=False)


@functools.lru_cache(maxsize=4)
def _rijksbudget(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    rec = pd.read_parquet(path)
    if rec.empty:
        return rec
    return rec[rec["bron_vindplaats"].astype(str).str.strip() != ""].reset_index(drop=True)


def positie(realised: float | None, lo: float | None, hi: float | None) -> str | None:
    """``boven`` / ``binnen`` / ``onder`` the interval (None when an input is missing)."""
    if realised is None or lo is None or hi is None or np.isnan([realised, lo, hi]).any():
        return None
    return "boven" if realised > hi else "onder" if realised < lo else "binnen"
