"""Showing figures in a report: embedded PNG with a caption, and the source line."""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from analysis.report.figures.raster import release, render_png

__all__ = ["caption", "figure_html", "show"]


def figure_html(fig: Figure, caption: str, alt: str | None = None) -> str:
    """``<figure>`` with the PNG embedded as a data URI and a ``<figcaption>``."""
    data = base64.b64encode(render_png(fig)).decode("ascii")
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
        release(fig)
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
