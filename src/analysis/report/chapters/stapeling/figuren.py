"""Figures of the chapter "Stapeling van voorzieningen": map, combinations, concentration and
trend. Static PNG via :mod:`analysis.report.figures`; the combinations are HTML bars."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib import pyplot as plt

from analysis.indicators import stapeling_data as sd
from analysis.report import figures
from analysis.report.chapters._basis import md, toon_html
from analysis.report.chapters.stapeling import teksten
from analysis.report.chapters.stapeling.gegevens import Gegevens
from analysis.report.figures import STIJL, new_figure, set_titel, tight_layout

__all__ = ["combinaties", "concentratie", "kaart_meer_wetten", "trend"]


def kaart_meer_wetten(ctx, d: Gegevens, highlight=()) -> None:
    """Map of the multi-law share per gemeente."""
    from analysis import store

    gdf, used, _ = store.load_boundaries_nearest("gemeente", ctx.indeling_jaar, ctx.settings)
    if gdf is None:
        md("*Kaart niet beschikbaar: geen gemeentegrenzen in deze gegevensset.*")
        return
    pg = d.per_gemeente()
    if pg.empty or pg["aandeel_meer_wetten"].isna().all():
        md(
            "*Kaart niet getoond: het aandeel meer wetten is voor geen enkele gemeente te berekenen.*"
        )
        return
    waarden = pd.DataFrame(
        {"code": pg.index, "pct": pd.to_numeric(pg["aandeel_meer_wetten"], errors="coerce") * 100}
    )
    data = gdf.merge(waarden, left_on="statcode", right_on="code", how="left")
    k = 5 if len(data) >= 15 else 3
    fig = figures.choropleth(
        data,
        "pct",
        titel=f"Huishoudens met voorzieningen uit meer dan één wet, {d.jaar}",
        legend_titel=f"% van de huishoudens met een voorziening\nklassen: "
        f"{'kwintielen' if k == 5 else 'kwantielen'}",
        highlight=list(highlight),
        k=k,
        decimalen=1,
    )
    figures.show(
        fig,
        figures.caption(
            f"Kaart: aandeel van de huishoudens met een voorziening dat voorzieningen uit twee of "
            f"drie wetten gebruikt, per gemeente, {d.jaar}. Gearceerd grijs: onderdrukt, niet "
            f"deelnemend of geen gegevens. Gemeentegrenzen {used}.",
            d.bronnen([sd.TOTAAL, *sd.COMBI.values()]),
            synthetic=ctx.synthetic,
        ),
    )


def combinaties(ctx, d: Gegevens, panels: list[tuple[str, dict]]) -> None:
    """The seven combinations as bars (one panel per unit; the first is the report's own)."""
    blokken = []
    for i, (naam, k) in enumerate(panels):
        vals = [k.get(f"aandeel_{c}") for c in teksten.COMBINATIE_LABEL]
        blokken.append(
            (
                naam,
                pd.DataFrame(
                    {
                        "label": list(teksten.COMBINATIE_LABEL.values()),
                        "waarde": [np.nan if v is None else 100 * v for v in vals],
                        "hoofd": i == 0,
                        "onderdrukt": [v is None for v in vals],
                    }
                ),
            )
        )
    toon_html(
        figures.staven_html(
            blokken,
            titel=f"Combinaties van wetten, {d.jaar}",
            caption=figures.caption(
                "Aandeel van de huishoudens met een voorziening per exclusieve combinatie van "
                "wetten (%). Elk huishouden valt in precies één groep.",
                d.bronnen([sd.TOTAAL, *sd.COMBI.values()]),
                synthetic=ctx.synthetic,
            ),
            xlabel="% van de huishoudens met een voorziening",
            ncols=min(2, len(blokken)),
        )
    )


def concentratie(ctx, d: Gegevens, curves: Mapping[str, pd.DataFrame]) -> None:
    """Lorenz-type curves (an approximation from grouped data) with the diagonal."""
    with plt.rc_context(STIJL):
        fig, ax = new_figure((5.6, 4.2))
        ax.plot([0, 100], [0, 100], color=figures.GRIJS, linestyle=":", linewidth=1,
                label="gelijke verdeling")  # fmt: skip
        for i, (naam, curve) in enumerate(curves.items()):
            ax.plot(
                100 * curve["aandeel_huishoudens"],
                100 * curve["aandeel_voorzieningen"],
                marker="o",
                color=figures.PALETTE[i % len(figures.PALETTE)],
                label=naam,
            )
        ax.set_xlabel("% huishoudens (met de meeste voorzieningen eerst)")
        ax.set_ylabel("% van alle voorzieningen")
        ax.set_xlim(0, 100)
        ax.set_ylim(0, 100)
        set_titel(ax, f"Concentratie van voorzieningen, {d.jaar}")
        ax.legend(loc="lower right")
        tight_layout(fig)
    figures.show(
        fig,
        figures.caption(
            "Concentratiecurve: benadering uit het aantal huishoudens per aantal voorzieningen "
            "(1, 2, 3, 4, 5 of meer). Binnen een klasse telt elk huishouden even zwaar en «5 of "
            "meer» telt als 5; de werkelijke concentratie is daardoor eerder hoger "
            f"({teksten.DOCS_TEKST}, §4).",
            d.bronnen([sd.TOTAAL, *sd.KLASSE.values()]),
            synthetic=ctx.synthetic,
        ),
    )


def trend(
    ctx,
    d: Gegevens,
    panelen: list[tuple[str, str, Mapping[str, pd.Series], bool]],
    *,
    noot: str,
    inds,
) -> None:
    """Yearly lines, one panel per (titel, ylabel, series, procent) side by side in one figure;
    a year without data is a gap (the line is not drawn across it, the year is shaded)."""
    panelen = [p for p in panelen if any(s.notna().sum() for s in p[2].values())]
    if not panelen:
        md("*Geen reeks te tonen.*")
        return
    alle = sorted({int(j) for p in panelen for s in p[2].values() for j in s.index})
    gaten = [
        j for j in alle if all(np.isnan(s.get(j, np.nan)) for p in panelen for s in p[2].values())
    ]
    with plt.rc_context(STIJL):
        fig, axes = new_figure((7.5 if len(panelen) == 1 else 10.0, 3.6), 1, len(panelen),
                               squeeze=False)  # fmt: skip
        for ax, (titel, ylabel, series, procent) in zip(axes[0], panelen, strict=True):
            for i, (naam, s) in enumerate(series.items()):
                y = s.astype(float) * (100 if procent else 1)
                ax.plot(list(s.index), y.to_numpy(), marker="o", markersize=4,
                        color=figures.PALETTE[i % len(figures.PALETTE)], label=naam)  # fmt: skip
            for j in gaten:
                ax.axvspan(j - 0.5, j + 0.5, color=figures.GRIJS, alpha=0.15, linewidth=0)
            ax.set_xticks(alle[::2] if len(panelen) > 1 else alle)
            ax.set_ylabel(ylabel)
            ax.set_ylim(bottom=0)
            set_titel(ax, titel)
        axes[0][0].legend(loc="lower left")
        tight_layout(fig)
    gat = (
        f" Grijs: geen cijfers ({', '.join(map(str, gaten))}); de lijn is daar onderbroken."
        if gaten
        else ""
    )
    figures.show(
        fig,
        figures.caption(f"{noot}{gat}", d.bronnen(inds, alle), synthetic=ctx.synthetic),
    )
