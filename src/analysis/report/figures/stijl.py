"""Figure style: palette, matplotlib settings, and figures made without pyplot."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.layout_engine import TightLayoutEngine
from matplotlib.ticker import FuncFormatter

from analysis.report.figures.raster import RapportCanvas
from analysis.report.text import getal

__all__ = [
    "DPI",
    "GRIJS",
    "MAP_CMAP",
    "ONDERDRUKT_KLEUR",
    "PALETTE",
    "STIJL",
    "new_figure",
    "set_titel",
    "tight_layout",
]

#: Okabe-Ito, without yellow (too light on white) and black (used for highlights).
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
)
GRIJS = "#7f7f7f"
ONDERDRUKT_KLEUR = "#d9d9d9"
MAP_CMAP = "YlGnBu"
DPI = 110

STIJL = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#e5e5e5",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 8,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
}


def _context():
    return plt.rc_context(STIJL)


def new_figure(figsize: tuple[float, float], nrows: int = 1, ncols: int = 1, **kwargs):
    """``(fig, axes)`` like ``plt.subplots``, but without pyplot.

    The figure is not registered with pyplot (no figure manager, no inline-backend hooks, no
    draw on every geopandas layer); call inside the style context so it picks up
    :data:`STIJL`. ``kwargs`` go to :meth:`Figure.subplots` (``squeeze`` etc.).
    """
    fig = Figure(figsize=figsize)
    RapportCanvas(fig)
    return fig, fig.subplots(nrows, ncols, **kwargs)


def set_titel(ax, titel: str, **kwargs) -> None:
    """Left-aligned axes title at a fixed height.

    With ``y`` given, matplotlib skips its automatic title placement, which re-measures the
    y-axis tick labels on every layout pass and draw; it only moves a title that collides with
    tick labels on top of the axes, which no report figure has.
    """
    ax.set_title(titel, loc="left", y=1.0, **kwargs)


def tight_layout(fig: Figure) -> None:
    """``fig.tight_layout()``, in one measuring pass instead of three.

    ``Figure.tight_layout`` measures every axes twice (the default ``rect=(0, 0, 1, 1)``
    triggers a second pass that can only reproduce the first result) and leaves a placeholder
    layout engine behind, which makes ``savefig`` run a third, non-rendering draw pass.
    """
    TightLayoutEngine(rect=None).execute(fig)


def _nl_formatter(decimalen: int = 0) -> FuncFormatter:
    return FuncFormatter(lambda v, _pos: getal(v, decimalen))
