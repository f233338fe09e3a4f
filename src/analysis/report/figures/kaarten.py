"""Maps: choropleths in quantile classes, built once per region and reused per report."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import matplotlib
import numpy as np
from matplotlib import patheffects
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis.report.figures.raster import KAART, Kaartbasis, inhoud_sleutel, kaartbasis
from analysis.report.figures.stijl import (
    DPI,
    MAP_CMAP,
    ONDERDRUKT_KLEUR,
    _context,
    new_figure,
    set_titel,
    tight_layout,
)
from analysis.report.text import getal

__all__ = ["choropleth", "lijnen", "quantile_classes"]


def lijnen(geoms) -> list[np.ndarray]:
    """Segments (x, y arrays) of the parts of line geometries, as geopandas draws them."""
    import shapely

    out = []
    for g in geoms:
        if g is None or g.is_empty:
            continue
        for part in shapely.get_parts(g):
            out.append(shapely.get_coordinates(part))
    return out


def quantile_classes(
    values: Sequence[float], k: int = 5, decimalen: int | None = None
) -> np.ndarray:
    """Class edges at quantiles of the finite ``values`` (at most ``k`` classes).

    With ``decimalen`` the edges are rounded to the shown precision (outer edges outward, so
    every value falls in a class) and classes that collapse at that precision are merged.
    """
    v = np.asarray(values, dtype="float64")
    v = v[~np.isnan(v)]
    if len(v) == 0:
        return np.array([])
    k = max(1, min(k, len(np.unique(v))))
    edges = np.quantile(v, np.linspace(0, 1, k + 1))
    if decimalen is not None:
        f = 10.0**decimalen
        inner = np.round(edges[1:-1] * f) / f
        edges = np.concatenate([[np.floor(v.min() * f) / f], inner, [np.ceil(v.max() * f) / f]])
    edges = np.unique(edges)
    if len(edges) == 1:
        edges = np.array([edges[0], edges[0]])
    return edges


def _class_labels(edges: np.ndarray, decimalen: int) -> list[str]:
    return [
        f"{getal(edges[i], decimalen)} – {getal(edges[i + 1], decimalen)}"
        for i in range(len(edges) - 1)
    ]


def choropleth(
    gdf,
    column: str,
    *,
    titel: str,
    legend_titel: str,
    highlight: Iterable[str] = (),
    code_col: str = "statcode",
    outline=None,
    k: int = 5,
    decimalen: int | None = None,
    labels: bool = False,
) -> Figure:
    """Map of ``gdf[column]`` in quantile classes (stated in the legend).

    Areas without a value are hatched grey ("onderdrukt / geen gegevens"); areas whose
    ``code_col`` is in ``highlight`` are outlined in black; ``outline`` (another
    GeoDataFrame, e.g. regions) is drawn on top in thin dark lines. ``labels`` writes the
    area names (for small maps).

    Everything but the highlight is the same for every report showing this map, so it is
    built once per process (:class:`Kaartbasis`); the outline and the names are drawn on top.
    """
    highlight = list(highlight)
    hl = gdf[gdf[code_col].isin(highlight)]
    namen = (
        [str(n) for n in (gdf["statnaam"] if "statnaam" in gdf else gdf[code_col])]
        if labels
        else []
    )
    key = (
        None
        if not highlight
        else (
            "choropleth",
            inhoud_sleutel(
                gdf[[code_col, "geometry"]],
                gdf[column].astype("float64").to_numpy(),
                outline.geometry if outline is not None and len(outline) else None,
                titel,
                legend_titel,
                k,
                decimalen,
                namen,
                bool(len(hl)),
                DPI,
            ),
        )
    )
    basis = kaartbasis(
        key,
        lambda: _choropleth_basis(
            gdf, column, titel, legend_titel, outline, k, decimalen, namen, bool(len(hl))
        ),
    )
    voor = []
    if len(hl):
        ax = basis.fig.axes[0]
        lc = LineCollection(lijnen(hl.geometry.boundary), colors="black", linewidths=2.2)
        ax.add_collection(lc, autolim=False)
        voor.append(lc)
    return basis.toon(voor=voor)


def _choropleth_basis(
    gdf, column, titel, legend_titel, outline, k, decimalen, namen, met_highlight
) -> Kaartbasis:
    vals = gdf[column].astype("float64").to_numpy()
    if decimalen is None:
        finite = vals[~np.isnan(vals)]
        decimalen = 1 if len(finite) and np.min(np.abs(finite)) < 10 else 0
    edges = quantile_classes(vals, k, decimalen)
    n_classes = max(len(edges) - 1, 0)
    cmap = matplotlib.colormaps[MAP_CMAP]
    kleuren = [to_hex(cmap(x)) for x in np.linspace(0.2, 0.9, max(n_classes, 1))]
    idx = np.full(len(vals), -1)
    if n_classes:
        inner = edges[1:-1]
        idx = np.where(np.isnan(vals), -1, np.searchsorted(inner, vals, side="right"))
    facecolors = [kleuren[i] if i >= 0 else ONDERDRUKT_KLEUR for i in idx]
    minx, miny, maxx, maxy = gdf.total_bounds if len(gdf) else (0.0, 0.0, 1.0, 1.0)
    aspect = (maxy - miny) / (maxx - minx) if maxx > minx else 1.0
    map_width = 4.6  # inches; the legend takes the rest of the 7.2-inch figure
    height = float(np.clip(map_width * aspect + 0.6, 2.8, 7.5))
    with _context():
        fig, ax = new_figure((7.2, height))
        fig.set_label(KAART)
        gdf.plot(ax=ax, color=facecolors, edgecolor="white", linewidth=0.3)
        missing = gdf[idx < 0]
        if len(missing):
            missing.plot(
                ax=ax,
                facecolor=ONDERDRUKT_KLEUR,
                edgecolor="#8c8c8c",
                hatch="////",
                linewidth=0.3,
            )
        if outline is not None and len(outline):
            outline.boundary.plot(ax=ax, color="#333333", linewidth=0.6)
        namen_op_kaart = []
        for naam, geom in zip(namen, gdf.geometry if namen else [], strict=True):
            pt = geom.representative_point()
            namen_op_kaart.append(
                ax.annotate(
                    naam,
                    (pt.x, pt.y),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="#111111",
                    path_effects=[patheffects.withStroke(linewidth=2.2, foreground="white")],
                )
            )
        ax.set_axis_off()
        ax.set_aspect("equal")
        handles = [
            Patch(facecolor=kleuren[i], edgecolor="none", label=lab)
            for i, lab in enumerate(_class_labels(edges, decimalen))
        ]
        if len(missing):
            handles.append(
                Patch(
                    facecolor=ONDERDRUKT_KLEUR,
                    edgecolor="#8c8c8c",
                    hatch="////",
                    label="onderdrukt / geen gegevens",
                )
            )
        if met_highlight:
            handles.append(
                Patch(facecolor="none", edgecolor="black", linewidth=2, label="geselecteerd gebied")
            )
        ax.legend(
            handles=handles,
            title=legend_titel,
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            title_fontsize=8,
        )
        set_titel(ax, titel)
        tight_layout(fig)
        return Kaartbasis(fig, namen_op_kaart, crop=True)
