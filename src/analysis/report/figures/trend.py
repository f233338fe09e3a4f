"""Trend charts: series over the years, trend breaks and provisional periods marked, and
families of charts that share one scale and one rendered base."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from analysis.indicators.use import breaks, segments
from analysis.report import text
from analysis.report.figures.raster import Kaartbasis, inhoud_sleutel, kaartbasis
from analysis.report.figures.stijl import (
    DPI,
    GRIJS,
    PALETTE,
    _context,
    _nl_formatter,
    new_figure,
    set_titel,
    tight_layout,
)

__all__ = ["TrendSchaal", "trend_chart", "trend_chart_familie"]


#: marker sizes (points) of the trend charts: filled, and hollow for provisional figures
_MS_VAST = 5.3
_MS_VOORLOPIG = 5.5


def _runs(ys: np.ndarray, prov: np.ndarray) -> list[tuple[int, int, bool]]:
    """``(first, last, dashed)`` index ranges of consecutive drawable steps with one style.

    Step ``j`` joins points ``j`` and ``j + 1``; it is drawn when both values exist, dashed
    when either point is provisional.
    """
    runs: list[tuple[int, int, bool]] = []
    for j in range(len(ys) - 1):
        if np.isnan(ys[j]) or np.isnan(ys[j + 1]):
            continue
        dashed = bool(prov[j] or prov[j + 1])
        if runs and runs[-1][1] == j and runs[-1][2] == dashed:
            runs[-1] = (runs[-1][0], j + 1, dashed)
        else:
            runs.append((j, j + 1, dashed))
    return runs


def _teken_reeks(ax, s: pd.DataFrame, kleur: str, marker: str) -> tuple[list[Line2D], bool]:
    """Draw one :func:`analysis.indicators.use.trend` series on ``ax``: per ``reeks`` segment
    one line per run of equally styled steps (a step is dashed when either end is
    provisional; a missing value interrupts the line), filled markers for final figures and
    hollow ones for provisional figures. Returns the artists and whether any point is
    provisional."""
    artists: list[Line2D] = []
    provisional = False
    for seg in segments(s.sort_values("x")):
        xs, ys = seg["x"].to_numpy(), seg["waarde"].to_numpy()
        prov = seg["voorlopig"].to_numpy(dtype=bool)
        for lo, hi, dashed in _runs(ys, prov):
            artists += ax.plot(
                xs[lo : hi + 1],
                ys[lo : hi + 1],
                color=kleur,
                lw=1.8,
                ls=(0, (3, 2)) if dashed else "-",
                zorder=2,
            )
        ok = ~np.isnan(ys)
        if (ok & ~prov).any():
            artists += ax.plot(
                xs[ok & ~prov],
                ys[ok & ~prov],
                ls="none",
                marker=marker,
                ms=_MS_VAST,
                color=kleur,
                markeredgewidth=0,
                zorder=3,
            )
        if (ok & prov).any():
            provisional = True
            artists += ax.plot(
                xs[ok & prov],
                ys[ok & prov],
                ls="none",
                marker=marker,
                ms=_MS_VOORLOPIG,
                markerfacecolor="white",
                markeredgecolor=kleur,
                markeredgewidth=1.4,
                zorder=3,
            )
    return artists, provisional


def _trend_stijl(i: int) -> tuple[str, str]:
    """Colour and marker of the ``i``-th series of a trend chart."""
    return PALETTE[i % len(PALETTE)], "osD^v<>"[i % 7]


def _trend_legenda(ax, labels: Sequence[str], voorlopig: bool, breuk: bool):
    """The legend of a trend chart, right of the axes."""
    handles = []
    for i, label in enumerate(labels):
        kleur, marker = _trend_stijl(i)
        handles.append(Line2D([], [], color=kleur, marker=marker, lw=1.8, label=label))
    if voorlopig:
        handles.append(
            Line2D(
                [],
                [],
                color=GRIJS,
                marker="o",
                markerfacecolor="white",
                lw=1.4,
                ls=(0, (3, 2)),
                label="voorlopig",
            )
        )
    if breuk:
        handles.append(Line2D([], [], color=GRIJS, ls="--", lw=1, label="trendbreuk"))
    return ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0))


def _trend_assen(ax, xs: Iterable[float], top: float | None, marks, decimalen: int) -> None:
    """Axis limits, ticks and trend-break marks of a trend chart (``top`` None: automatic)."""
    all_x = list(xs)
    ax.set_ylim(bottom=0, top=top)
    top = ax.get_ylim()[1]
    for x, lab in sorted(marks.items()):
        ax.axvline(x, color=GRIJS, ls="--", lw=1, zorder=1)
        ax.text(
            x,
            top,
            f"trendbreuk {lab}",
            rotation=90,
            va="top",
            ha="right",
            fontsize=7.5,
            color="#444444",
        )
    if all_x:
        lo, hi = min(all_x), max(all_x)
        ax.set_xlim(lo - 0.4, hi + 0.4)
    if all_x and max(all_x) - min(all_x) <= 15:
        ax.set_xticks(range(int(np.floor(min(all_x))), int(np.ceil(max(all_x))) + 1))
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{int(v)}"))
    ax.yaxis.set_major_formatter(_nl_formatter(decimalen))


def _breuken(series: Iterable[pd.DataFrame]) -> dict[float, str]:
    marks: dict[float, str] = {}
    for s in series:
        for x, lab in breaks(s.sort_values("x")):
            marks[round(float(x), 3)] = lab
    return marks


def trend_chart(
    series: Mapping[str, pd.DataFrame],
    *,
    titel: str,
    ylabel: str,
    decimalen: int = 0,
) -> Figure:
    """Lines per area/indicator over time from :func:`analysis.indicators.use.trend` frames.

    Series segments (``reeks``) are drawn separately with a labelled marker at each change;
    provisional points have hollow markers and dashed connecting segments.
    """
    with _context():
        fig, ax = new_figure((7.5, 3.8))
        provisional = False
        for i, s in enumerate(series.values()):
            provisional |= _teken_reeks(ax, s, *_trend_stijl(i))[1]
        marks = _breuken(series.values())
        all_x = [x for s in series.values() for x in s["x"]]
        _trend_assen(ax, all_x, None, marks, decimalen)
        set_titel(ax, titel)
        ax.set_ylabel(ylabel)
        _trend_legenda(ax, list(series), provisional, bool(marks))
        tight_layout(fig)
    return fig


@dataclass(frozen=True)
class TrendSchaal:
    """What a family of trend charts shares (e.g. one per gemeente of a jeugdregio): the
    x positions, the top of the vertical axis, the tick decimals, the trend breaks, whether a
    provisional point occurs, and the labels of the series that differs per chart."""

    xs: tuple[float, ...]
    top: float
    decimalen: int
    breuken: tuple[tuple[float, str], ...]
    voorlopig: bool
    labels: tuple[str, ...]

    @classmethod
    def van(
        cls, familie: Mapping[str, pd.DataFrame], gedeeld: Iterable[pd.DataFrame]
    ) -> TrendSchaal | None:
        """The scale of charts showing one series of ``familie`` (label: series) each beside
        the ``gedeeld`` series; None when no series has a value."""
        alle = [*familie.values(), *gedeeld]
        waarden = np.concatenate([s["waarde"].to_numpy(dtype="float64") for s in alle])
        waarden = waarden[~np.isnan(waarden)]
        if not len(waarden):
            return None
        hoog, laag = float(waarden.max()), float(waarden.min())
        return cls(
            xs=tuple(sorted({float(x) for s in alle for x in s["x"]})),
            # matplotlib's autoscale (5 % of the data range above the highest value); 0 below
            top=hoog + 0.05 * (hoog - laag) if hoog > laag else (hoog * 1.05 or 1.0),
            decimalen=text.decimalen_per_1000(*waarden),
            breuken=tuple(sorted(_breuken(alle).items())),
            voorlopig=bool(any(s["voorlopig"].any() for s in alle)),
            labels=tuple(familie),
        )

    def past(self, label: str, s: pd.DataFrame) -> bool:
        """Whether the chart of ``label`` with series ``s`` belongs to this family."""
        w = s["waarde"].to_numpy(dtype="float64")
        w = w[~np.isnan(w)]
        return (
            label in self.labels
            and set(s["x"].astype(float)) <= set(self.xs)
            and (not len(w) or (w.min() >= 0 and w.max() <= self.top))
            and (self.voorlopig or not s["voorlopig"].any())
            and set(_breuken([s]).items()) <= set(self.breuken)
        )


def trend_chart_familie(
    eigen: tuple[str, pd.DataFrame],
    gedeeld: Mapping[str, pd.DataFrame],
    schaal: TrendSchaal,
    *,
    titel: str,
    ylabel: str,
) -> Figure:
    """A :func:`trend_chart` of the series ``eigen`` (label, series; first in colour and
    legend) beside the ``gedeeld`` series, on the common ``schaal`` of its family.

    Everything but the own series and its name in the legend (axes, ticks, the shared
    series, trend breaks, the rest of the legend) is the same for every chart of the family,
    so it is rendered once per process (:class:`Kaartbasis`) with room for the widest name
    of the family; the own series is drawn on top of the shared ones. A series that does
    not fit ``schaal`` gets a plain :func:`trend_chart`.
    """
    label, s = eigen
    if not schaal.past(label, s):
        return trend_chart(
            {label: s, **gedeeld}, titel=titel, ylabel=ylabel, decimalen=schaal.decimalen
        )
    key = (
        "trend",
        inhoud_sleutel(
            *gedeeld,
            *(v[["x", "waarde", "reeks", "voorlopig"]] for v in gedeeld.values()),
            schaal,
            titel,
            ylabel,
            DPI,
        ),
    )

    def maak() -> Kaartbasis:
        with _context():
            fig, ax = new_figure((7.5, 3.8))
            for i, g in enumerate(gedeeld.values(), start=1):
                _teken_reeks(ax, g, *_trend_stijl(i))
            marks = dict(schaal.breuken)
            _trend_assen(ax, schaal.xs, schaal.top, marks, schaal.decimalen)
            set_titel(ax, titel)
            ax.set_ylabel(ylabel)
            renderer = fig.canvas.get_renderer()
            font = FontProperties(size=matplotlib.rcParams["legend.fontsize"])
            breedste = max(
                schaal.labels,
                key=lambda t: renderer.get_text_width_height_descent(t, font, ismath=False)[0],
            )
            legenda = _trend_legenda(ax, [breedste, *gedeeld], schaal.voorlopig, bool(marks))
            tight_layout(fig)
            # the legend is in the raster but for the first label, the own series' name
            return Kaartbasis(fig, variabel=[legenda.get_texts()[0]])

    basis = kaartbasis(key, maak)
    ax = basis.fig.axes[0]
    # a left-aligned, frameless legend: the label keeps the place the layout gave it
    basis.variabel[0].set_text(label)
    with _context():
        lijnen_eigen, _ = _teken_reeks(ax, s, *_trend_stijl(0))
    return basis.toon(na=lijnen_eigen)
