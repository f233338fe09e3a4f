"""Figures of the chapter "Budget en tekorten" (matplotlib through :mod:`analysis.report.figures`)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis import store
from analysis.metadata.regions import NEDERLAND
from analysis.report import figures
from analysis.report.chapters._basis import md
from analysis.report.chapters.budget.gegevens import Budget

__all__ = ["aandeel_figuur", "kaart", "trend", "trend_gemeente", "verdeling"]
YLABEL = "euro per jongere van 0 tot 18 jaar"


def verdeling(waarden: pd.Series, titel: str, eigen: float | None = None):
    """Histogram of the deviation per young person (euro), zero marked; ``eigen`` marked."""
    v = waarden.dropna().to_numpy(dtype=float)
    with plt.rc_context(figures.STIJL):
        fig, ax = figures.new_figure((7.0, 3.2))
        ax.hist(v, bins=min(30, max(8, len(v) // 8)), color=figures.PALETTE[1], edgecolor="white")
        ax.axvline(0, color="black", linewidth=1)
        if eigen is not None and not np.isnan(eigen):
            ax.axvline(eigen, color=figures.PALETTE[0], linewidth=2, linestyle="--", label="deze")
            ax.legend(loc="upper right")
        ax.set_xlabel("gerealiseerd min begroot, euro per jongere van 0 tot 18 jaar")
        ax.set_ylabel("aantal gemeenten")
        figures.set_titel(ax, titel)
        figures.tight_layout(fig)
    return fig


def aandeel_figuur(aandeel: pd.DataFrame, titel: str):
    """Share of gemeenten over budget per year (from counts), in percent."""
    with plt.rc_context(figures.STIJL):
        fig, ax = figures.new_figure((7.0, 3.0))
        x = aandeel["jaar"].astype(int).to_numpy()
        y = 100 * aandeel["aandeel_boven"].to_numpy(dtype=float)
        ax.plot(x, y, marker="o", color=figures.PALETTE[0])
        ax.set_ylim(0, 100)
        ax.set_xticks(x)
        ax.set_ylabel("% van de gemeenten met beide cijfers")
        figures.set_titel(ax, titel)
        figures.tight_layout(fig)
    return fig


def trend_frame(b: Budget, code: str, indicator: str) -> pd.DataFrame:
    """A trend series (``use.trend`` columns) of one region from the budget rows (the frames
    of all regions are built once per indicator and data version)."""
    key = ("trendframes", indicator)
    if key not in b.cache:
        d = b.df[(b.df["indicator"] == indicator) & (b.df["periode_type"] == "jaar")]
        d = d.sort_values(["regio_code", "jaar"])
        status = d["status"].fillna("definitief")
        alle = pd.DataFrame(
            {
                "regio_code": d["regio_code"].to_numpy(),
                "periode": d["periode"].astype(str).to_numpy(),
                "jaar": d["jaar"].astype(int).to_numpy(),
                "x": d["jaar"].astype(float).to_numpy(),
                "waarde": d["waarde"].astype(float).to_numpy(),
                "reeks": d["reeks"].fillna("").astype(str).to_numpy(),
                "status": status.astype(str).to_numpy(),
                "voorlopig": (status != "definitief").to_numpy(),
                "onderdrukt": d["waarde"].isna().to_numpy(),
            }
        )
        b.cache[key] = {
            c: g.drop(columns="regio_code").reset_index(drop=True)
            for c, g in alle.groupby("regio_code", sort=False)
        }
    leeg = pd.DataFrame(
        columns=["periode", "jaar", "x", "waarde", "reeks", "status", "voorlopig", "onderdrukt"]
    )
    return b.cache[key].get(code, leeg)


def trend(series: dict[str, pd.DataFrame], titel: str):
    """Cost per young person over the years (series breaks and provisional points marked)."""
    return figures.trend_chart(series, titel=titel, ylabel=YLABEL)


def trend_gemeente(b: Budget, ctx, indicator: str, titel: str):
    """The gemeente's series beside its jeugdregio and Nederland, on the scale shared by all
    members of the jeugdregio (the shared part is rendered once per family, as in the chapter
    "Gebruik"); a plain chart when the gemeente has no jeugdregio or does not fit the scale.
    Returns (figure, whether the shared scale is used)."""
    eigen = (ctx.naam, trend_frame(b, ctx.code, indicator))
    gedeeld = {"Nederland": trend_frame(b, NEDERLAND, indicator)}
    if ctx.regio_code:
        gedeeld = {ctx.regio_naam: trend_frame(b, ctx.regio_code, indicator), **gedeeld}
        key = ("trendschaal", indicator, ctx.regio_code)
        if key not in b.cache:
            leden = ctx.leden[ctx.leden["regio_code"] == ctx.regio_code]
            familie = {
                n: trend_frame(b, c, indicator)
                for c, n in zip(leden["gemeente_code"], leden["gemeente_naam"], strict=True)
            }
            b.cache[key] = figures.TrendSchaal.van(familie, list(gedeeld.values()))
        schaal = b.cache[key]
        if schaal is not None and schaal.past(*eigen):
            fig = figures.trend_chart_familie(eigen, gedeeld, schaal, titel=titel, ylabel=YLABEL)
            return fig, True
    return trend(dict([eigen, *gedeeld.items()]), titel), False


def kaart(ctx, waarden: pd.DataFrame, titel: str, caption: str, highlight=()) -> None:
    """Map per gemeente of ``waarden`` (code, waarde); missing hatched. Shown with caption."""
    gdf, used, _ = store.load_boundaries_nearest("gemeente", ctx.indeling_jaar, ctx.settings)
    if gdf is None:
        md("*Kaart niet beschikbaar: deze gegevensset bevat geen gemeentegrenzen.*")
        return
    data = gdf.merge(waarden, left_on="statcode", right_on="code", how="left")
    if data["waarde"].notna().sum() < 3:
        md("*Kaart niet getoond: te weinig gemeenten met cijfers.*")
        return
    k = 5 if data["waarde"].notna().sum() >= 15 else 3
    fig = figures.choropleth(
        data,
        "waarde",
        titel=titel,
        legend_titel="euro per jongere\nklassen: kwantielen",
        highlight=list(highlight),
        k=k,
    )
    noot = "" if used == ctx.indeling_jaar else f" Gemeentegrenzen {used}."
    figures.show(fig, caption + noot)
