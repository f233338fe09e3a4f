"""Static charts and maps for the reports (matplotlib, embedded PNG, Dutch labels).

The package: :mod:`.stijl` (palette, style, figures without pyplot), :mod:`.trend` (trend
charts), :mod:`.kaarten` (maps), :mod:`.staven` (comparison bars as HTML), :mod:`.weergave`
(showing a figure with its caption) and :mod:`.raster`, the one seam to pixels: every figure
becomes PNG through :func:`render_png`, which also reuses the rendered base that many reports
share. All names are available from the package (``figures.choropleth``).

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

from analysis.report.figures.kaarten import choropleth, lijnen, quantile_classes
from analysis.report.figures.raster import (
    KAART,
    KAARTBASES_MAX,
    Kaartbasis,
    bases_held,
    clear_bases,
    encode_png,
    inhoud_sleutel,
    kaartbasis,
    release,
    render_png,
    reused,
)
from analysis.report.figures.staven import staven_html
from analysis.report.figures.stijl import (
    DPI,
    GRIJS,
    MAP_CMAP,
    ONDERDRUKT_KLEUR,
    PALETTE,
    STIJL,
    new_figure,
    set_titel,
    tight_layout,
)
from analysis.report.figures.trend import TrendSchaal, trend_chart, trend_chart_familie
from analysis.report.figures.weergave import caption, figure_html, show

#: Former name of :func:`render_png`.
png_bytes = render_png

__all__ = [
    "DPI",
    "GRIJS",
    "KAART",
    "KAARTBASES_MAX",
    "MAP_CMAP",
    "ONDERDRUKT_KLEUR",
    "PALETTE",
    "STIJL",
    "Kaartbasis",
    "TrendSchaal",
    "bases_held",
    "caption",
    "choropleth",
    "clear_bases",
    "encode_png",
    "figure_html",
    "inhoud_sleutel",
    "kaartbasis",
    "lijnen",
    "new_figure",
    "png_bytes",
    "quantile_classes",
    "release",
    "render_png",
    "reused",
    "set_titel",
    "show",
    "staven_html",
    "tight_layout",
    "trend_chart",
    "trend_chart_familie",
]
