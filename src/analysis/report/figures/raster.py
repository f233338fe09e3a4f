"""The one seam between report figures and pixels: PNG rendering and raster reuse.

:func:`render_png` turns any report figure into PNG bytes. Figures made with
:func:`~analysis.report.figures.stijl.new_figure` draw on :class:`RapportCanvas` (no redraw
on every geopandas layer, PNG by :func:`encode_png`). A :class:`Kaartbasis` keeps the rendering of the
part of a figure that many reports share (a jeugdregio map, a family of trend charts) and
draws only a report's own artists on top; :func:`kaartbasis` holds the bases of a process.

Every use of matplotlib's private internals is here, each with a fallback when a matplotlib
release moves it: ``_tight_bbox.adjust_bbox`` (cropping a reused map; without it every report
renders the whole map), ``RendererAgg._draw_disabled`` (measuring without drawing; without it
the figure is drawn once more), and the renderer references ``_lastKey`` / ``_renderer`` /
``_left_title`` that are dropped to free memory (skipped when absent).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import io
import struct
import zlib
from collections import OrderedDict
from collections.abc import Callable, Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from analysis.config import cache_enabled

__all__ = [
    "KAART",
    "RapportCanvas",
    "KAARTBASES_MAX",
    "Kaartbasis",
    "bases_held",
    "clear_bases",
    "encode_png",
    "inhoud_sleutel",
    "kaartbasis",
    "release",
    "render_png",
    "reused",
]

KAART = "kaart"  # figure label of maps (saved with a tight bounding box)
PNG_ZLIB_LEVEL = 1


class RapportCanvas(FigureCanvasAgg):
    """Agg canvas that ignores ``draw_idle``.

    geopandas ends every ``plot`` call with ``canvas.draw_idle()``, which on a plain Agg canvas
    renders the whole figure; a map built from four layers was drawn four times before being
    saved. Report figures are only ever rendered by :func:`render_png`.
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


def render_png(fig: Figure) -> bytes:
    """The figure as PNG bytes: a :class:`Kaartbasis` view from its kept raster, any other
    figure by ``savefig`` (maps, labelled :data:`KAART`, cropped to their tight box)."""
    kaart = getattr(fig, "_kaartbeeld", None)
    if kaart is not None:
        return kaart()
    buf = io.BytesIO()
    tight = "tight" if fig.get_label() == KAART else None  # maps: legend beside equal axes
    fig.savefig(buf, format="png", facecolor="white", bbox_inches=tight)
    return buf.getvalue()


def reused(fig: Figure) -> bool:
    """Whether ``fig`` is a view of a kept :class:`Kaartbasis` raster (rendered without
    redrawing the shared part)."""
    kaart = getattr(fig, "_kaartbeeld", None)
    basis = getattr(fig, "_kaartbasis", None)
    return kaart is not None and basis is not None and basis.reuse


def release(fig: Figure) -> None:
    """Remove a report's own artists from a reused base after it has been shown (a no-op for
    any other figure)."""
    opruimen = getattr(fig, "_kaart_opruimen", None)
    if opruimen is not None:
        opruimen()


def _without_pixels(renderer):
    """A context in which drawing only lays out (private ``_draw_disabled``, else a real draw)."""
    disabled = getattr(renderer, "_draw_disabled", None)
    return disabled() if disabled is not None else contextlib.nullcontext()


@functools.cache
def _adjust_bbox() -> tuple[Callable, tuple] | None:
    """matplotlib's private savefig helper and the positional arguments it needs after
    ``(fig, bbox_inches)``: 3.11 added a ``renderer`` argument (looked up once); None when
    it is not there."""
    try:
        from matplotlib._tight_bbox import adjust_bbox

        params = inspect.signature(adjust_bbox).parameters
    except (ImportError, TypeError, ValueError):  # moved or changed: no reuse of cropped maps
        return None
    return adjust_bbox, (None,) if "renderer" in params else ()


class Kaartbasis:
    """A map whose region-level part is rendered once and reused by every report.

    The gemeente reports of one jeugdregio (and the jeugdregio reports on the national map)
    show the same map and differ only in what is highlighted. ``fig`` is built and laid out
    once, without per-report artists; its rendering without the ``overlay`` and ``variabel``
    artists is kept (uncompressed, 1–2 MB). :meth:`png` restores that raster and puts on top,
    in this order: a report's own artists drawn before the overlay (highlight), the
    region-level ``overlay`` (names, boundaries, legends over the map; the same in every
    report, so rendered once onto a transparent layer and composited, which is what drawing
    them again would give up to rounding), the ``variabel`` artists a report changes (a title,
    the own series' legend label), drawn each time, and the report's artists drawn after the
    overlay. A report rendered in a fresh kernel builds the same base and takes the same path,
    so its output is identical.

    ``crop``: cut the image to the tight bounding box of the figure (as
    ``savefig(bbox_inches="tight")``), measured with the overlay present.
    """

    def __init__(
        self,
        fig: Figure,
        overlay: Sequence = (),
        *,
        variabel: Sequence = (),
        crop: bool = False,
    ) -> None:
        self.fig = fig
        self.overlay = list(overlay)
        self.variabel = list(variabel)
        self.laag: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.eigen: list = []
        self.bbox_inches = None
        canvas = fig.canvas
        fig.patch.set_facecolor("white")  # as savefig(facecolor="white") in render_png
        if crop:  # as savefig(bbox_inches="tight"): measure with everything present
            renderer = canvas.get_renderer()
            with _without_pixels(renderer):
                fig.draw(renderer)
            pad = matplotlib.rcParams["savefig.pad_inches"]
            self.bbox_inches = fig.get_tightbbox(renderer).padded(pad)
        # without matplotlib's private crop helper a cropped base cannot be reused: every
        # report then renders the whole figure (same picture, slower)
        self.reuse = not crop or _adjust_bbox() is not None
        if not self.reuse:
            self.pixels = None
            return
        bovenop = [*self.overlay, *self.variabel]
        for a in bovenop:
            a.set_visible(False)
        with self._uitsnede():
            canvas.draw()
            rgba = np.asarray(canvas.buffer_rgba())
            self.pixels = rgba.copy()
            self.pixels.flags.writeable = False
        for a in bovenop:
            a.set_visible(True)
        self.laag = self._overlay_laag()
        # the raster and the layer hold the rest: drop the (possibly large) polygons
        for ax in fig.axes:
            for coll in list(ax.collections):
                if not any(coll is a for a in self.variabel):
                    coll.remove()
        self._los()

    def _overlay_laag(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """The overlay rendered once on a transparent raster, kept as the flat indices of
        its non-transparent pixels with their colour (not premultiplied, as Agg keeps it)
        and opacity; None without overlay."""
        if not self.overlay:
            return None
        h, w = self.pixels.shape[:2]
        renderer = RendererAgg(w, h, self.fig.dpi)  # cleared to transparent
        with self._uitsnede():
            for a in self.overlay:
                a.draw(renderer)
        flat = np.asarray(renderer.buffer_rgba()).reshape(-1, 4)
        idx = np.flatnonzero(flat[:, 3])
        return idx, flat[idx, :3].astype(np.uint16), flat[idx, 3].astype(np.uint16)[:, None]

    def _leg_laag(self, buf: np.ndarray) -> None:
        """Composite the overlay layer onto ``buf`` (opaque RGBA): source over destination."""
        if self.laag is None:
            return
        idx, rgb, alpha = self.laag
        flat = buf.reshape(-1, 4)
        onder = flat[idx, :3].astype(np.uint16)
        flat[idx, :3] = ((rgb * alpha + onder * (255 - alpha) + 127) // 255).astype(np.uint8)

    @contextlib.contextmanager
    def _uitsnede(self):
        """The figure temporarily cut to ``bbox_inches`` (matplotlib's own savefig code)."""
        if self.bbox_inches is None:
            yield
            return
        adjust_bbox, extra = _adjust_bbox()  # type: ignore[misc]  # reuse implies present
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
        if hasattr(canvas, "_lastKey"):  # private: the key of the cached renderer
            canvas._lastKey = None
        texts = list(self.fig.texts)
        for ax in self.fig.axes:
            side = [getattr(ax, name, None) for name in ("_left_title", "_right_title")]
            texts += [ax.title, *(t for t in side if t is not None), *ax.texts]
            if ax.get_legend() is not None:
                texts += ax.get_legend().findobj(Text)
        for t in texts:
            if hasattr(t, "_renderer"):  # private: the renderer a text last measured with
                t._renderer = None

    def png(self, voor: Sequence = (), na: Sequence = ()) -> bytes:
        """The base raster with ``voor``, the overlay, the ``variabel`` artists and ``na`` on
        top, in that order, as PNG bytes."""
        if not self.reuse:
            buf = io.BytesIO()
            self.fig.savefig(buf, format="png", facecolor="white", bbox_inches=self.bbox_inches)
            return buf.getvalue()
        h, w = self.pixels.shape[:2]
        renderer = RendererAgg(w, h, self.fig.dpi)
        buf = np.asarray(renderer.buffer_rgba())
        buf[...] = self.pixels
        with self._uitsnede():
            for a in voor:
                a.draw(renderer)
            self._leg_laag(buf)
            for a in [*self.variabel, *na]:
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
        voor, na = list(voor), list(na)
        self.fig._kaartbeeld = lambda: self.png(voor, na)
        self.fig._kaart_opruimen = self.opruimen
        self.fig._kaartbasis = self
        return self.fig

    def opruimen(self) -> None:
        """Remove the artists of the last report from the figure."""
        for a in self.eigen:
            a.remove()
        self.eigen = []
        self.fig._kaartbeeld = None

    def vrijgeven(self) -> None:
        """Drop the raster and the layer once the base is no longer kept, and the figure's
        references to the base: they refer to each other, so without this the 1–2 MB of
        pixels would wait for a full garbage collection (a warm kernel runs one now and
        then). The figure itself is left to the collector (clearing it costs more time)."""
        self.opruimen()
        self.pixels = None
        self.laag = None
        self.fig._kaart_opruimen = None
        self.fig._kaartbasis = None


_KAARTBASES: OrderedDict[tuple, Kaartbasis] = OrderedDict()
#: at most this many cached bases per process. A gemeente report uses six (two trend charts,
#: three maps, one budget chart) that its jeugdregio's other gemeenten share, and the batch
#: renders gemeenten region by region, so bases of finished regions are dead weight (about
#: 0.5 MB of artists and 1–2 MB of pixels each)
KAARTBASES_MAX = 10


def kaartbasis(key: tuple | None, maak: Callable[[], Kaartbasis]) -> Kaartbasis:
    """The cached :class:`Kaartbasis` for ``key`` (built with ``maak`` when absent).

    ``key`` must identify everything the base shows (use :func:`inhoud_sleutel`); None: a
    map only one report shows (nothing to highlight), built without being kept. With
    ``ANALYSIS_NO_CACHE=1`` nothing is kept either (:func:`analysis.config.cache_enabled`)."""
    if key is None or not cache_enabled():
        return maak()
    basis = _KAARTBASES.get(key)
    if basis is None:
        basis = maak()
        _KAARTBASES[key] = basis
        while len(_KAARTBASES) > KAARTBASES_MAX:
            _KAARTBASES.popitem(last=False)[1].vrijgeven()
    else:
        _KAARTBASES.move_to_end(key)
    return basis


def bases_held() -> int:
    """Number of :class:`Kaartbasis` objects this process keeps."""
    return len(_KAARTBASES)


def clear_bases() -> None:
    """Forget every kept base (the next report builds them again, as a fresh process does)."""
    while _KAARTBASES:
        _KAARTBASES.popitem()[1].vrijgeven()


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
