"""Figures and maps of the chapter "Regionale samenhang" (static PNG through
:mod:`analysis.report.figures`; maps of one region reuse a per-process base)."""

from __future__ import annotations

import geopandas as gpd
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from analysis.indicators.cohesion import INDELING_LABELS, MAATEN, Samenhang
from analysis.indicators.cohesion.dispersion import REDENEN
from analysis.report import figures
from analysis.report.text import getal


def stijl():
    """The report's matplotlib style."""
    return plt.rc_context(figures.STIJL)


def kaartmaat(dx: float, dy: float) -> tuple[float, float]:
    """Figure size for a map of extent dx x dy (metres), width 7 inch, height 3.5–8 inch."""
    return (7.0, float(np.clip(5.0 * dy / max(dx, 1.0) + 0.4, 3.5, 8.0)))


def signaal_kleuren(n: int) -> list[str]:
    cmap = matplotlib.colormaps["YlOrRd"]
    return [to_hex(cmap(x)) for x in np.linspace(0.08, 0.85, n)]


def kaart_signalen(regios: gpd.GeoDataFrame, profiel: pd.DataFrame, titel: str) -> Figure:
    """Regions coloured by their number of signals (0, 1, 2, 3 or more)."""
    g = regios.merge(profiel[["regio_code", "n_signalen"]], on="regio_code", how="left")
    klassen = ["0", "1", "2", "3 of meer"]
    kleuren = signaal_kleuren(len(klassen))
    idx = g["n_signalen"].fillna(-1).astype(int).clip(upper=3).to_numpy()
    with stijl():
        fig, ax = figures.new_figure((7.0, 6.6))
        face = [kleuren[i] if i >= 0 else "#d9d9d9" for i in idx]
        g.plot(ax=ax, color=face, edgecolor="#333333", linewidth=0.5)
        for _, row in g.iterrows():
            pt = row.geometry.representative_point()
            ax.annotate(row["regio_code"][2:], (pt.x, pt.y), ha="center", va="center", fontsize=6.5)
        ax.set_axis_off()
        ax.set_aspect("equal")
        handles = [
            Patch(facecolor=k, edgecolor="#333333", label=lab)
            for k, lab in zip(kleuren, klassen, strict=True)
        ]
        ax.legend(
            handles=handles, title="aantal signalen", loc="upper left", bbox_to_anchor=(1.0, 1.0)
        )
        figures.set_titel(ax, titel)
        figures.tight_layout(fig)
    return fig


def tijdlijn(tijdlijn: pd.DataFrame, titel: str) -> Figure:
    """Bars per year: events that changed a composition, by kind; herindelingen within a region
    as a separate grey bar."""
    t = tijdlijn[tijdlijn["soort"] != "regionaam"].copy()
    years = (
        list(range(int(tijdlijn["van_jaar"].min()) + 1, int(tijdlijn["naar_jaar"].max()) + 1))
        if len(tijdlijn)
        else []
    )
    with stijl():
        fig, ax = figures.new_figure((7.5, 4.2))
        if years:
            bottom = np.zeros(len(years))
            kinds = [k for k in t["soort_label"].unique()]
            order = sorted(
                kinds,
                key=lambda k: (
                    not t.loc[t["soort_label"] == k, "samenstelling_gewijzigd"].iloc[0],
                    k,
                ),
            )
            kleur_i = 0
            for k in order:
                sel = t[t["soort_label"] == k]
                changes = bool(sel["samenstelling_gewijzigd"].iloc[0])
                counts = sel.groupby("naar_jaar").size().reindex(years, fill_value=0).to_numpy()
                kleur = figures.PALETTE[kleur_i % len(figures.PALETTE)] if changes else "#bdbdbd"
                kleur_i += int(changes)
                label = k + ("" if changes else " (geen wijziging van de samenwerking)")
                ax.bar(years, counts, bottom=bottom, color=kleur, label=label, width=0.7)
                bottom += counts
            ax.set_xticks(years, [str(y) for y in years], rotation=0)
            ax.set_ylabel("aantal gebeurtenissen")
            ax.yaxis.get_major_locator().set_params(integer=True)
            ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.12), ncol=2, fontsize=7.5)
        figures.set_titel(ax, titel)
        ax.grid(axis="x", visible=False)
        figures.tight_layout(fig)
    return fig


def heatmap(matrix: pd.DataFrame, titel: str) -> Figure:
    """Symmetric matrix of agreement scores with the values written in the cells."""
    labels = [INDELING_LABELS.get(c, c) for c in matrix.columns]
    vals = matrix.to_numpy(dtype="float64")
    with stijl():
        fig, ax = figures.new_figure((6.8, 5.6))
        im = ax.imshow(vals, cmap="YlGnBu", vmin=0, vmax=1)
        ax.set_xticks(range(len(labels)), labels, rotation=35, ha="right")
        ax.set_yticks(range(len(labels)), labels)
        ax.grid(False)
        for i in range(vals.shape[0]):
            for j in range(vals.shape[1]):
                if not np.isnan(vals[i, j]):
                    ax.text(
                        j,
                        i,
                        getal(vals[i, j], 2),
                        ha="center",
                        va="center",
                        fontsize=8,
                        color="white" if vals[i, j] > 0.75 else "black",
                    )
        fig.colorbar(im, ax=ax, shrink=0.75, label="gewogen adjusted Rand index")
        figures.set_titel(ax, titel)
        figures.tight_layout(fig)
    return fig


def spreiding(disp: pd.DataFrame, titel: str, grens: float) -> Figure:
    d = disp.dropna(subset=["cv"]).sort_values("cv")
    with stijl():
        fig, ax = figures.new_figure((7.5, max(3.0, 0.16 * len(d) + 1.2)))
        kleur = [figures.PALETTE[5] if v >= grens else figures.PALETTE[0] for v in d["cv"]]
        y = np.arange(len(d))
        ax.barh(y, d["cv"], color=kleur, height=0.7)
        ax.set_yticks(
            y,
            [f"{n} ({c})" for c, n in zip(d["regio_code"], d["regio_naam"], strict=True)],
            fontsize=7,
        )
        ax.axvline(grens, color="black", ls="--", lw=1)
        ax.text(grens, len(d) - 0.5, f" drempel {getal(grens, 2)}", va="bottom", fontsize=7.5)
        ax.set_xlabel("variatiecoëfficiënt tussen de lidgemeenten")
        ax.grid(axis="y", visible=False)
        figures.set_titel(ax, titel)
        figures.tight_layout(fig)
    return fig


def in_beeld(gdf: gpd.GeoDataFrame, xlim: tuple, ylim: tuple) -> gpd.GeoDataFrame:
    """The rows of ``gdf`` that can show in a map with these limits.

    Maps of one region are zoomed in on the national layers; drawing only what intersects the
    view (plus a margin for line widths) gives the same picture at a fraction of the cost.
    """
    marge = 0.05 * max(xlim[1] - xlim[0], ylim[1] - ylim[0])
    return gdf.cx[xlim[0] - marge : xlim[1] + marge, ylim[0] - marge : ylim[1] + marge]


def leden_kaart(
    res: Samenhang,
    code: str,
    titel: str,
    *,
    highlight: str | None = None,
) -> Figure | None:
    """The region's gemeenten (named) on a light background of the surrounding regions.

    The map is the same for every gemeente of the region apart from the highlighted gemeente
    and the title: that part is built once per process (:class:`figures.Kaartbasis`).
    """
    if res.gemeenten is None or res.geo_jaar is None:
        return None
    members = res.geodata.lidmaatschap["jeugdregio"].get(res.geo_jaar)
    if members is None:
        return None
    own = set(members.loc[members["regio_code"] == code, "gemeente_code"])
    gem = res.gemeenten
    mine = gem[gem["statcode"].isin(own)]
    if mine.empty:
        return None
    region = res.regios[res.regios["regio_code"] == code]
    xmin, ymin, xmax, ymax = mine.total_bounds
    pad = 0.12 * max(xmax - xmin, ymax - ymin, 5_000)
    xlim, ylim = (xmin - pad, xmax + pad), (ymin - pad, ymax + pad)
    achter = in_beeld(gem, xlim, ylim)
    grenzen = in_beeld(res.regios, xlim, ylim)
    key = (
        None
        if not highlight
        else (
            "leden_kaart",
            figures.inhoud_sleutel(
                achter[["statcode", "geometry"]],
                mine[["statcode", "statnaam", "geometry"]],
                grenzen.geometry,
                region.geometry,
                bool(highlight),
                figures.DPI,
            ),
        )
    )

    def maak() -> figures.Kaartbasis:
        with stijl():
            fig, ax = figures.new_figure(kaartmaat(xmax - xmin + 2 * pad, ymax - ymin + 2 * pad))
            achter.plot(ax=ax, color="#f0f0f0", edgecolor="#bdbdbd", linewidth=0.4)
            mine.plot(ax=ax, color="#c6dbef", edgecolor="white", linewidth=0.8)
            n = len(ax.collections)
            grenzen.boundary.plot(ax=ax, color="#636363", linewidth=0.6)
            region.boundary.plot(ax=ax, color="black", linewidth=1.8)
            overlay = list(ax.collections[n:])
            for _, row in mine.iterrows():
                pt = row.geometry.representative_point()
                overlay.append(
                    ax.annotate(row["statnaam"], (pt.x, pt.y), ha="center", va="center", fontsize=7)
                )
            ax.set_xlim(*xlim)
            ax.set_ylim(*ylim)
            ax.set_axis_off()
            ax.set_aspect("equal")
            handles = [
                Patch(facecolor="#c6dbef", edgecolor="black", label="gemeente in de jeugdregio"),
                Patch(facecolor="#f0f0f0", edgecolor="#bdbdbd", label="andere gemeente"),
            ]
            if highlight:
                handles.insert(0, Patch(facecolor=figures.PALETTE[0], label="deze gemeente"))
            legend = ax.legend(
                handles=handles, loc="lower left", frameon=True, framealpha=0.9, fontsize=7.5
            )
            # the layout is made with a title of the same font; the report's own title is set
            # per report (its width does not count in the layout)
            figures.set_titel(ax, f"Gemeenten van {mine['statnaam'].iat[0]}, {res.geo_jaar}")
            figures.tight_layout(fig)
            return figures.Kaartbasis(
                fig,
                [*overlay, legend],
                variabel=[ax.title, ax._left_title, ax._right_title],
            )

    basis = figures.kaartbasis(key, maak)
    ax = basis.fig.axes[0]
    with stijl():
        figures.set_titel(ax, titel)
        voor = []
        if highlight:
            n = len(ax.collections)
            gem[gem["statcode"] == highlight].plot(
                ax=ax, color=figures.PALETTE[0], edgecolor="white", linewidth=0.8
            )
            voor = list(ax.collections[n:])
    return basis.toon(voor=voor)


def congruentie_kaart(
    res: Samenhang, code: str, divisie: str, jaar: int, titel: str
) -> Figure | None:
    """The region's gemeenten coloured by their region of ``divisie``, with its borders."""
    jz = res.geodata.lidmaatschap["jeugdregio"].get(jaar)
    other = res.geodata.lidmaatschap.get(divisie, {}).get(jaar)
    layer = res.geodata.regio_lagen.get(divisie, {}).get(jaar)
    gem = res.geodata.gemeenten.get(jaar)
    if jz is None or other is None or gem is None:
        return None
    own = jz.loc[jz["regio_code"] == code, "gemeente_code"]
    mine = gem[gem["statcode"].isin(set(own))].merge(
        other[["gemeente_code", "regio_code", "regio_naam"]],
        left_on="statcode",
        right_on="gemeente_code",
    )
    if mine.empty:
        return None
    regions = sorted(mine["regio_code"].unique())
    kleur = {r: figures.PALETTE[i % len(figures.PALETTE)] for i, r in enumerate(regions)}
    xmin, ymin, xmax, ymax = mine.total_bounds
    pad = 0.15 * max(xmax - xmin, ymax - ymin, 5_000)
    xlim, ylim = (xmin - pad, xmax + pad), (ymin - pad, ymax + pad)
    outline = res.geodata.regio_lagen["jeugdregio"].get(jaar)
    with stijl():
        fig, ax = figures.new_figure(kaartmaat(xmax - xmin + 2 * pad, ymax - ymin + 2 * pad))
        in_beeld(gem, xlim, ylim).plot(ax=ax, color="#f0f0f0", edgecolor="#d9d9d9", linewidth=0.3)
        mine.plot(
            ax=ax,
            color=[kleur[r] for r in mine["regio_code"]],
            edgecolor="white",
            linewidth=0.6,
            alpha=0.85,
        )
        if layer is not None:
            in_beeld(layer, xlim, ylim).boundary.plot(
                ax=ax, color="#252525", linewidth=1.4, linestyle="--"
            )
        if outline is not None:
            outline[outline["regio_code"] == code].boundary.plot(
                ax=ax, color="black", linewidth=2.2
            )
        for _, row in mine.iterrows():
            pt = row.geometry.representative_point()
            ax.annotate(row["statnaam"], (pt.x, pt.y), ha="center", va="center", fontsize=6.5)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_axis_off()
        ax.set_aspect("equal")
        names = mine.drop_duplicates("regio_code").set_index("regio_code")["regio_naam"]
        handles = [Patch(facecolor=kleur[r], label=f"{names[r]} ({r})") for r in regions]
        handles.append(
            Patch(
                facecolor="none",
                edgecolor="#252525",
                linestyle="--",
                label=f"grens {INDELING_LABELS[divisie]}",
            )
        )
        handles.append(
            Patch(facecolor="none", edgecolor="black", linewidth=2, label="grens jeugdregio")
        )
        ax.legend(handles=handles, loc="lower left", frameon=True, framealpha=0.9, fontsize=7.5)
        figures.set_titel(ax, titel)
        figures.tight_layout(fig)
    return fig


def leden_spreiding(leden: pd.DataFrame, maat: str, titel: str) -> Figure:
    spec = MAATEN[maat]
    d = leden.sort_values("waarde", na_position="first").reset_index(drop=True)
    with stijl():
        fig, ax = figures.new_figure((7.5, max(2.6, 0.28 * len(d) + 1.0)))
        y = np.arange(len(d))
        vals = d["waarde"].to_numpy(dtype="float64")
        ax.barh(y, np.nan_to_num(vals), color=figures.PALETTE[0], height=0.65)
        for k, v in enumerate(vals):
            if np.isnan(v):
                reden = d.at[k, "uitgesloten"]
                tekst = REDENEN.get(reden, "geen gegevens")
                ax.text(
                    0,
                    k,
                    f" uitgesloten: {tekst}",
                    va="center",
                    fontsize=7.5,
                    style="italic",
                    color="#444444",
                )
            else:
                ax.text(v, k, f" {getal(v, 0)}", va="center", fontsize=7.5)
        finite = vals[~np.isnan(vals)]
        if len(finite):
            median = float(np.median(finite))
            ax.axvline(median, color=figures.GRIJS, ls="--", lw=1)
            ax.text(median, len(d) - 0.35, " mediaan", fontsize=7.5, color="#444444", va="bottom")
            ax.set_xlim(0, float(finite.max()) * 1.3)
            ax.set_ylim(-0.6, len(d) + 0.3)
        ax.set_yticks(y, d["gemeente_naam"])
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: getal(v, 0)))
        ax.set_xlabel(spec.eenheid)
        ax.grid(axis="y", visible=False)
        figures.set_titel(ax, titel)
        figures.tight_layout(fig)
    return fig


def landkaart(
    regios: gpd.GeoDataFrame,
    p: pd.DataFrame,
    kaartmaat: str,
    titel: str,
    legenda: str,
    decimalen: int,
    procent: bool,
) -> Figure:
    """The national map: signals per region, or the regions coloured by one profile measure
    (``procent``: a share shown in %)."""
    if kaartmaat == "n_signalen":
        return kaart_signalen(regios, p, titel)
    g = regios.merge(p[["regio_code", kaartmaat]], on="regio_code", how="left")
    if procent:
        g[kaartmaat] = 100 * g[kaartmaat].astype("float64")
    return figures.choropleth(
        g,
        kaartmaat,
        titel=titel,
        legend_titel=legenda,
        code_col="regio_code",
        decimalen=decimalen,
    )
