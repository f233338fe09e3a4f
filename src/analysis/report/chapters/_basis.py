"""Helpers shared by the chapter packages: Markdown and HTML output, a Dutch table renderer,
the "no data" message and the source-table lookup for captions.

Chapters import these from here (not from the package ``analysis.report.chapters``), so the
package can import its chapters without an import cycle.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import pandas as pd

from analysis import registry
from analysis.report import output
from analysis.report.downloads import csv_bytes, csv_link
from analysis.report.text import GEEN_GEGEVENS_ZIN

__all__ = ["bronnen", "csv_bytes", "csv_link", "geen_gegevens", "html_tabel", "md", "toon_html"]


def md(text: str) -> None:
    """Show Markdown (see :mod:`analysis.report.output`)."""
    output.markdown(text)


def toon_html(markup: str) -> None:
    """Show raw HTML (see :mod:`analysis.report.output`)."""
    output.html(markup)


def geen_gegevens() -> None:
    """The standard message for a theme without data in this dataset."""
    md(f"*{GEEN_GEGEVENS_ZIN}*")


def html_tabel(
    df: pd.DataFrame,
    *,
    bijschrift: str | None = None,
    rechts: Sequence[str] = (),
    noot: str | None = None,
    cijfers: pd.DataFrame | None = None,
) -> str:
    """A plain HTML table of already formatted (string) cells, without index, followed by a
    link that downloads the table as CSV (see :func:`csv_bytes`).

    ``rechts``: columns aligned right (numbers). ``noot``: a note under the table.
    ``cijfers``: the raw numeric frame for the CSV (else the cells are parsed back).
    """
    uitlijning = [
        f' style="text-align: {"right" if c in rechts else "left"};">' for c in df.columns
    ]
    kop = "".join(
        f"<th{u}{html.escape(str(c))}</th>" for c, u in zip(df.columns, uitlijning, strict=True)
    )
    kolommen = [kolom.tolist() for _, kolom in df.items()]
    rijen = [
        "<tr>"
        + "".join(f"<td{u}{html.escape(str(v))}</td>" for u, v in zip(uitlijning, rij, strict=True))
        + "</tr>"
        for rij in (zip(*kolommen, strict=True) if kolommen else [()] * len(df))
    ]
    cap = f"<caption>{html.escape(bijschrift)}</caption>" if bijschrift else ""
    out = (
        f'<table class="rapport-tabel">{cap}<thead><tr>{kop}</tr></thead>'
        f"<tbody>{''.join(rijen)}</tbody></table>"
    )
    if noot:
        out += f'<p style="font-size: 0.9em; color: #444;">{html.escape(noot)}</p>'
    return out + csv_link(csv_bytes(df, cijfers=cijfers), bijschrift or "tabel")


def bronnen(
    df: pd.DataFrame,
    indicators: Iterable[str],
    jaren: Iterable[int],
    *,
    indeling_jaar: int,
    regio_codes: Iterable[str] | None = None,
) -> set[str]:
    """Table ids behind ``indicators`` in ``jaren``: the ``bron`` of the data rows (of
    ``regio_codes`` when given) plus the registry tables declared for them (derived rows only
    say ``berekend``)."""
    inds = list(indicators)
    years = sorted(set(int(j) for j in jaren))
    ids: set[str] = set()
    if len(df) and inds and years:
        rows = df[
            df["indicator"].isin(inds)
            & (df["indeling_jaar"] == indeling_jaar)
            & df["jaar"].isin(years)
        ]
        if regio_codes is not None:
            rows = rows[rows["regio_code"].isin(list(regio_codes))]
        for value in rows["bron"].dropna().unique():
            ids.update(p.strip() for p in str(value).split(",") if p.strip())
    for table in registry.TABLES:
        if not table.id or not table.build:
            continue
        if any(m.indicator in inds for m in table.measures) and any(table.covers(y) for y in years):
            ids.add(table.id)
    ids.discard("berekend")
    return ids
