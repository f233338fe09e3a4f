"""Static charts and maps for the reports (matplotlib, embedded PNG, Dutch labels).

Every figure function returns a ``Figure``; :func:`show` displays it as an embedded PNG with
a caption and closes it, so a warm kernel rendering hundreds of reports does not leak figures.
Colours are the Okabe-Ito palette (colour-blind safe) and, for maps, ColorBrewer ``YlGnBu``.

Conventions shared by all charts:

* a vertical dashed line with the label "trendbreuk 2020/2021" wherever the ``reeks`` of a
  series changes; the line is never drawn across such a break;
* provisional periods (``voorlopig`` / ``nader voorlopig``) get hollow markers and dashed line
  segments, with a legend entry "voorlopig";
* suppressed or missing areas on maps are hatched grey with a legend entry
  "onderdrukt / geen gegevens".
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import html
import inspect
import io
import struct
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import TightLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator

from analysis.indicators.use import breaks, segments
from analysis.report import text
from analysis.report.text import getal

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
KAART = "kaart"  # figure label of maps (saved with a tight bounding box)
PNG_ZLIB_LEVEL = 1

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


class _Canvas(FigureCanvasAgg):
    """Agg canvas that ignores ``draw_idle``.

    geopandas ends every ``plot`` call with ``canvas.draw_idle()``, which on a plain Agg canvas
    renders the whole figure; a map built from four layers was drawn four times before being
    saved. Report figures are only ever rendered by :func:`png_bytes`.
    """

    def draw_idle(self, *args, **kwargs) -> None:
        pass

    def print_png(self, filename_or_obj, **_kwargs) -> None:
        """PNG via :func:`encode_png`. ``savefig`` passes options such as ``facecolor`` and
        ``dpi`` to third-party print methods; they are already applied to the figure by then."""
        FigureCanvasAgg.draw(self)
        data = encode_png(np.asarray(self.buffer_rgba()), self.figure.dpi)
        if isinstance(filename_or_obj, (str, bytes)) or hasattr(filename_or_obj, "__fspath__"):
            with open(filename_or_obj, "wb") as fh:
                fh.write(data)
        else:
            filename_or_obj.write(data)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def encode_png(rgba: np.ndarray, dpi: float) -> bytes:
    """An RGBA pixel array (height × width × 4, uint8) as lossless PNG bytes.

    RGB when every pixel is opaque (report figures have a white background), else RGBA; the
    resolution is recorded (``pHYs``). Rows are stored unfiltered and deflated at zlib level
    1: for these flat-colour charts that is as small as Pillow's adaptive filtering at level 1
    and about three times faster (Pillow offers no choice of filter).
    """
    h, w, _ = rgba.shape
    opaque = bool((rgba[:, :, 3] == 255).all())
    channels = 3 if opaque else 4
    rows = np.empty((h, w * channels + 1), np.uint8)
    rows[:, 0] = 0  # filter type "none"
    rows[:, 1:].reshape(h, w, channels)[...] = rgba[:, :, :channels]
    per_metre = round(dpi / 0.0254)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2 if opaque else 6, 0, 0, 0)),
            _png_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            _png_chunk(b"IDAT", zlib.compress(rows.data, PNG_ZLIB_LEVEL)),
            _png_chunk(b"IEND", b""),
        )
    )


def new_figure(figsize: tuple[float, float], nrows: int = 1, ncols: int = 1, **kwargs):
    """``(fig, axes)`` like ``plt.subplots``, but without pyplot.

    The figure is not registered with pyplot (no figure manager, no inline-backend hooks, no
    draw on every geopandas layer); call inside the style context so it picks up
    :data:`STIJL`. ``kwargs`` go to :meth:`Figure.subplots` (``squeeze`` etc.).
    """
    fig = Figure(figsize=figsize)
    _Canvas(fig)
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


# ----------------------------------------------------------------------------- display


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    kaart = getattr(fig, "_kaartbeeld", None)
    if kaart is not None:
        return kaart()
    buf = io.BytesIO()
    tight = "tight" if fig.get_label() == KAART else None  # maps: legend beside equal axes
    fig.savefig(buf, format="png", facecolor="white", bbox_inches=tight)
    return buf.getvalue()


def figure_html(fig: Figure, caption: str, alt: str | None = None) -> str:
    """``<figure>`` with the PNG embedded as a data URI and a ``<figcaption>``."""
    data = base64.b64encode(png_bytes(fig)).decode("ascii")
    alt_text = html.escape(alt or caption, quote=True)
    return (
        '<figure class="rapport-figuur" style="margin: 1em 0;">'
        f'<img src="data:image/png;base64,{data}" alt="{alt_text}" style="max-width: 100%;"/>'
        '<figcaption style="font-size: 0.9em; color: #444;">'
        f"{html.escape(caption)}</figcaption></figure>"
    )


def show(fig: Figure, caption: str, alt: str | None = None) -> None:
    """Show ``fig`` (embedded PNG + caption) in the notebook (:mod:`analysis.report.output`)
    and close it."""
    from analysis.report import output

    try:
        output.html(figure_html(fig, caption, alt))
    finally:
        opruimen = getattr(fig, "_kaart_opruimen", None)
        if opruimen is not None:
            opruimen()
        plt.close(fig)


def caption(
    text: str, table_ids: Iterable[str], *, synthetic: bool = False, eigen: str = ""
) -> str:
    """A caption ending with the sources, e.g. ``'… Bron: CBS (85099NED, 03759ned).'``."""
    ids = sorted({t for t in table_ids if t and t != "berekend"}, key=str.lower)
    if synthetic:
        bron = "Bron: synthetische gegevens (Demoland)"
        bron += f" in de vorm van CBS-tabellen {', '.join(ids)}" if ids else ""
    else:
        bron = f"Bron: CBS ({', '.join(ids)})" if ids else "Bron: CBS"
    if eigen:
        bron += f"; {eigen}"
    return f"{text.rstrip()} {bron}."


# ----------------------------------------------------------------------------- trend


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
            return Kaartbasis(fig, overlay=[legenda.get_texts()[0]])

    basis = kaartbasis(key, maak)
    ax = basis.fig.axes[0]
    # a left-aligned, frameless legend: the label keeps the place the layout gave it
    basis.overlay[0].set_text(label)
    with _context():
        lijnen_eigen, _ = _teken_reeks(ax, s, *_trend_stijl(0))
    return basis.toon(na=lijnen_eigen)


# ----------------------------------------------------------------------------- comparison


def staven_html(
    panels: Sequence[tuple[str, pd.DataFrame]],
    *,
    titel: str,
    caption: str,
    xlabel: str = "per 1\u202f000 jongeren van 0 tot 18 jaar",
    ncols: int = 2,
) -> str:
    """Horizontal bars per area for one or more indicators, as an HTML table per panel.

    Each panel frame has ``label``, ``waarde``, ``hoofd`` (bool: the report's own area,
    drawn in colour) and optionally ``onderdrukt`` and ``schatting`` (bool). Every panel has
    its own scale (the longest bar is the panel's maximum); missing values are written as
    "onderdrukt" / "geen gegevens" instead of a bar. Text, not pixels: readable by screen
    readers, searchable, sharp in print, and cheap to make for hundreds of reports.
    """
    blokken = []
    for ptitel, frame in panels:
        f = frame.reset_index(drop=True)
        vals = f["waarde"].astype("float64").to_numpy()
        finite = vals[~np.isnan(vals)]
        dec = 1 if len(finite) and np.min(np.abs(finite)) < 10 else 0
        xmax = float(np.max(finite)) if len(finite) else 0.0
        onderdrukt = f["onderdrukt"] if "onderdrukt" in f else pd.Series(False, index=f.index)
        schatting = f["schatting"] if "schatting" in f else pd.Series(False, index=f.index)
        rijen = []
        for k, v in enumerate(vals):
            hoofd = bool(f["hoofd"].iat[k])
            if np.isnan(v):
                staaf = ""
                waarde = (
                    '<span class="staaf-leeg">'
                    f"{'onderdrukt' if bool(onderdrukt.iat[k]) else 'geen gegevens'}</span>"
                )
            else:
                breedte = min(max(100.0 * v / xmax, 0.0), 100.0) if xmax > 0 else 0.0
                staaf = f'<span class="staaf" style="width: {breedte:.1f}%;"></span>'
                waarde = f"{'ca. ' if bool(schatting.iat[k]) else ''}{getal(v, dec)}"
            klasse = ' class="hoofd"' if hoofd else ""
            rijen.append(
                f'<tr{klasse}><th scope="row">'
                f"{html.escape(str(f['label'].iat[k]))}</th>"
                f'<td class="staaf-cel"><span class="staaf-baan">{staaf}</span></td>'
                f'<td class="staaf-waarde">{waarde}</td></tr>'
            )
        blokken.append(
            f'<table class="staven"><caption>{html.escape(ptitel)}</caption>'
            '<thead><tr><th scope="col">Gebied</th><th scope="col" class="staaf-kop">Staaf</th>'
            f'<th scope="col">{html.escape(xlabel)}</th></tr></thead>'
            f"<tbody>{''.join(rijen)}</tbody></table>"
        )
    kolommen = max(1, min(ncols, len(panels)))
    return (
        f'<figure class="rapport-figuur staafdiagram" style="margin: 1em 0;">'
        f'<p class="staven-titel">{html.escape(titel)}</p>'
        f'<div class="staven-panelen" style="grid-template-columns: repeat({kolommen}, 1fr);">'
        f"{''.join(blokken)}</div>"
        f'<p class="staven-as">{html.escape(xlabel)}</p>'
        '<figcaption style="font-size: 0.9em; color: #444;">'
        f"{html.escape(caption)}</figcaption></figure>"
    )


# ----------------------------------------------------------------------------- maps


@functools.cache
def _adjust_bbox() -> tuple[Callable, tuple]:
    """matplotlib's private savefig helper and the positional arguments it needs after
    ``(fig, bbox_inches)``: 3.11 added a ``renderer`` argument (looked up once)."""
    from matplotlib._tight_bbox import adjust_bbox

    return adjust_bbox, (None,) if "renderer" in inspect.signature(adjust_bbox).parameters else ()


class Kaartbasis:
    """A map whose region-level part is rendered once and reused by every report.

    The gemeente reports of one jeugdregio (and the jeugdregio reports on the national map)
    show the same map and differ only in what is highlighted. ``fig`` is built and laid out
    once, without per-report artists; its rendering without the ``overlay`` artists is kept
    (uncompressed, 1–2 MB). :meth:`png` restores that raster and draws, in the given order,
    only the artists on top of it: the region-level ``overlay`` (labels, legends drawn over
    the map) and a report's own artists (highlight). A report rendered in a fresh kernel builds the
    same base and takes the same path, so its output is identical.

    ``crop``: cut the image to the tight bounding box of the figure (as
    ``savefig(bbox_inches="tight")``), measured with the overlay present.
    """

    def __init__(self, fig: Figure, overlay: Sequence = (), *, crop: bool = False) -> None:
        self.fig = fig
        self.overlay = list(overlay)
        self.eigen: list = []
        self.bbox_inches = None
        canvas = fig.canvas
        fig.patch.set_facecolor("white")  # as savefig(facecolor="white") in png_bytes
        if crop:  # as savefig(bbox_inches="tight"): measure with everything present
            renderer = canvas.get_renderer()
            with renderer._draw_disabled():
                fig.draw(renderer)
            pad = matplotlib.rcParams["savefig.pad_inches"]
            self.bbox_inches = fig.get_tightbbox(renderer).padded(pad)
        for a in self.overlay:
            a.set_visible(False)
        with self._uitsnede():
            canvas.draw()
            rgba = np.asarray(canvas.buffer_rgba())
            self.pixels = rgba.copy()
            self.pixels.flags.writeable = False
        for a in self.overlay:
            a.set_visible(True)
        # the raster holds the rest: drop the (possibly large) polygons from the figure
        for ax in fig.axes:
            for coll in list(ax.collections):
                if not any(coll is a for a in self.overlay):
                    coll.remove()
        self._los()

    @contextlib.contextmanager
    def _uitsnede(self):
        """The figure temporarily cut to ``bbox_inches`` (matplotlib's own savefig code)."""
        if self.bbox_inches is None:
            yield
            return
        adjust_bbox, extra = _adjust_bbox()
        restore = adjust_bbox(
            self.fig, self.bbox_inches, *extra, fixed_dpi=self.fig.canvas.fixed_dpi
        )
        try:
            yield
        finally:
            restore()

    def _los(self) -> None:
        """Drop references to renderers (a full-size pixel buffer each) held by the figure.

        (``findobj`` is avoided: walking an axis creates its tick artists.)"""
        canvas = self.fig.canvas
        canvas.renderer = None
        canvas._lastKey = None
        texts = list(self.fig.texts)
        for ax in self.fig.axes:
            texts += [ax.title, ax._left_title, ax._right_title, *ax.texts]
            if ax.get_legend() is not None:
                texts += ax.get_legend().findobj(Text)
        for t in texts:
            t._renderer = None

    def png(self, artists: Sequence) -> bytes:
        """The base raster with ``artists`` drawn on top, in order, as PNG bytes."""
        h, w = self.pixels.shape[:2]
        renderer = RendererAgg(w, h, self.fig.dpi)
        buf = np.asarray(renderer.buffer_rgba())
        buf[...] = self.pixels
        with self._uitsnede():
            for a in artists:
                a.draw(renderer)
        data = encode_png(buf, self.fig.dpi)
        del buf, renderer
        self._los()
        return data

    def toon(self, voor: Sequence = (), na: Sequence = ()) -> Figure:
        """The figure with a report's own artists (already added to it): ``voor`` are drawn
        before the region-level overlay, ``na`` after it. :func:`show` renders it with
        :meth:`png` and removes them again."""
        self.opruimen()
        self.eigen = [*voor, *na]
        order = [*voor, *self.overlay, *na]
        self.fig._kaartbeeld = lambda: self.png(order)
        self.fig._kaart_opruimen = self.opruimen
        return self.fig

    def opruimen(self) -> None:
        """Remove the artists of the last report from the figure."""
        for a in self.eigen:
            a.remove()
        self.eigen = []
        self.fig._kaartbeeld = None


_KAARTBASES: OrderedDict[tuple, Kaartbasis] = OrderedDict()
#: at most this many cached bases per process. A jeugdregio's gemeente reports share four
#: (two maps, two trend charts) and the batch renders gemeenten region by region, so bases of
#: finished regions are dead weight (about 0.5 MB of artists and 1–2 MB of pixels each)
KAARTBASES_MAX = 16


def kaartbasis(key: tuple | None, maak: Callable[[], Kaartbasis]) -> Kaartbasis:
    """The cached :class:`Kaartbasis` for ``key`` (built with ``maak`` when absent).

    ``key`` must identify everything the base shows (use :func:`inhoud_sleutel`); None: a
    map only one report shows (nothing to highlight), built without being kept."""
    if key is None:
        return maak()
    basis = _KAARTBASES.get(key)
    if basis is None:
        basis = maak()
        _KAARTBASES[key] = basis
        while len(_KAARTBASES) > KAARTBASES_MAX:
            _KAARTBASES.popitem(last=False)
    else:
        _KAARTBASES.move_to_end(key)
    return basis


def _hash_frame(h, df: pd.DataFrame, skip: object = None) -> None:
    """Column names, index, and per column its dtype and values (pandas' row hashes)."""
    cols = [c for c in df.columns if c != skip]
    h.update(b"F" + repr(cols).encode())
    h.update(pd.util.hash_pandas_object(df.index).to_numpy().tobytes())
    for c in cols:
        col = df[c]
        h.update(repr(getattr(col, "dtype", None)).encode())
        h.update(pd.util.hash_pandas_object(col, index=False).to_numpy().tobytes())


def inhoud_sleutel(*delen) -> str:
    """A digest of figure content: GeoDataFrames/GeoSeries (geometry as WKB and the other
    columns), DataFrames, arrays and plain values."""
    import shapely

    h = hashlib.sha256()
    for deel in delen:
        if hasattr(deel, "geometry") or hasattr(deel, "geom_type"):
            geoms = deel.geometry if hasattr(deel, "geometry") else deel
            h.update(b"G")
            for wkb in shapely.to_wkb(np.asarray(geoms.values)):
                h.update(len(wkb or b"").to_bytes(8, "little"))
                h.update(wkb or b"")
            if isinstance(deel, pd.DataFrame):
                _hash_frame(h, deel, skip=deel.geometry.name)
        elif isinstance(deel, pd.DataFrame):
            _hash_frame(h, deel)
        elif isinstance(deel, np.ndarray):
            h.update(b"A" + str(deel.dtype).encode() + repr(deel.shape).encode())
            h.update(np.ascontiguousarray(deel).tobytes())
        else:
            h.update(b"V" + repr(deel).encode())
    return h.hexdigest()


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


__all__ = [
    "PALETTE",
    "Kaartbasis",
    "caption",
    "choropleth",
    "staven_html",
    "figure_html",
    "png_bytes",
    "quantile_classes",
    "show",
    "TrendSchaal",
    "trend_chart",
    "trend_chart_familie",
]
