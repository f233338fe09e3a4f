"""Report chapters: one package (or module) per theme, each with ``nederland(ctx)``,
``jeugdregio(ctx)`` and ``gemeente(ctx)`` that display the chapter's content in a notebook
(``IPython.display``), as one HTML output per call (:mod:`analysis.report.output`).

Which chapters exist, in which order, with which entry points, is declared once in
:data:`analysis.report.chapters.catalogus.CHAPTERS`; the notebooks are generated from it. The
shared helpers (Markdown and HTML output, tables, sources) live in :mod:`._basis` and are
re-exported here.
"""

from __future__ import annotations

from analysis.report.chapters._basis import bronnen, geen_gegevens, html_tabel, md, toon_html
from analysis.report.chapters.kader import inleiding, titel

from analysis.report.chapters import (  # isort: skip
    budget,
    gebruik,
    nog_niet,
    samenhang,
    stapeling,
    toegang,
    validatie,
)
from analysis.report.chapters import rekenkamer  # isort: skip

__all__ = [
    "bronnen",
    "budget",
    "geen_gegevens",
    "gebruik",
    "html_tabel",
    "inleiding",
    "md",
    "nog_niet",
    "rekenkamer",
    "samenhang",
    "stapeling",
    "titel",
    "toegang",
    "toon_html",
    "validatie",
]
